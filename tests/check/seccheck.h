/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers every GStreamer-level test uses to prove it runs against our
 * elements and not a system element of the same purpose.
 */
#ifndef SEC_CHECK_H
#define SEC_CHECK_H

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>

G_BEGIN_DECLS

/* Fails the test unless @factory_name is registered and loads from a
 * plugin file inside $SEC_BUILD_ROOT (the meson build directory). */
void sec_check_factory_is_ours (const gchar * factory_name);

/* Fails the test if @factory_name (a system element of the same purpose,
 * e.g. "srtpenc") can be found at all. */
void sec_check_factory_absent (const gchar * factory_name);

/* A 12-byte RTP header with @ssrc and @seq followed by @payload_len bytes
 * of a pattern derived from @seq. */
GstBuffer *sec_check_rtp_buffer_new (guint32 ssrc, guint16 seq,
    guint32 timestamp, gsize payload_len);
/* A sender report (RFC 3550 §6.4.1) for @ssrc, 28 bytes. */
GstBuffer *sec_check_rtcp_buffer_new (guint32 ssrc);

/* A secsrtpenc or secsrtpdec with @profile (a nick) and @key (may be
 * NULL). */
GstElement *sec_check_srtp_element_new (const gchar * factory,
    const gchar * profile, GstBuffer * key);

/* A harness on the rtp (or rtcp) pad pair 0 of @element, with source caps
 * fitting its direction. */
GstHarness *sec_check_srtp_harness_new (GstElement * element, gboolean rtcp);

/* A key of @len bytes, deterministic from @seed. */
GstBuffer *sec_check_key_new (gsize len, guint8 seed);

/* Reads a guint64 counter of the element's "stats" structure; with
 * @ssrc != 0, from the per-SSRC entry of that SSRC (0 if absent). */
guint64 sec_check_stat (GstElement * element, guint32 ssrc,
    const gchar * field);

/* TRUE if @a and @b hold the same bytes. */
gboolean sec_check_buffers_equal (GstBuffer * a, GstBuffer * b);

/* The first element made by @factory inside @bin, looked for
 * recursively (a reference), or NULL. */
GstElement *sec_check_find_by_factory (GstElement * bin,
    const gchar * factory);

G_END_DECLS

#endif
