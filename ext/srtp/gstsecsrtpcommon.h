/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecSrtpBase: what secsrtpenc and secsrtpdec share. Request pad
 * pairs, caps renaming, the session lock, key properties, stats and
 * the per-buffer and per-list loops; the subclasses say which
 * direction they work in and add their own properties and signals.
 */
#ifndef GST_SEC_SRTP_COMMON_H
#define GST_SEC_SRTP_COMMON_H

#include <gst/gst.h>
#include "srtpsession.h"

G_BEGIN_DECLS

#define GST_TYPE_SEC_SRTP_PROFILE (gst_sec_srtp_profile_get_type ())
G_GNUC_INTERNAL GType gst_sec_srtp_profile_get_type (void);

#define GST_TYPE_SEC_SRTP_BASE (gst_sec_srtp_base_get_type ())
G_DECLARE_DERIVABLE_TYPE (GstSecSrtpBase, gst_sec_srtp_base, GST, SEC_SRTP_BASE,
    GstElement);


struct _GstSecSrtpBaseClass
{
  GstElementClass parent_class;

  SecSrtpDirection direction;
  const gchar *rtp_out_caps;    /* "application/x-srtp" or x-rtp */
  const gchar *rtcp_out_caps;
  const gchar *stats_name;
  const gchar *verb;            /* "protected" / "unprotected" */

  /* Called without the lock when a packet's SSRC has no key; returns
   * TRUE if @ssrc has a key now (installed with
   * gst_sec_srtp_base_set_stream_key(), or live already because another
   * thread installed it meanwhile). @expired: the SSRC had a key whose
   * lifetime ran out. Optional. */
  gboolean (*need_key) (GstSecSrtpBase * self, guint32 ssrc,
      gboolean expired);
  /* Called at READY->PAUSED with the lock held when no key is set and
   * wait-for-key is off: TRUE if the element can still get keys
   * (request-key handler). Optional. */
  gboolean (*can_get_keys) (GstSecSrtpBase * self);
};

G_GNUC_INTERNAL SecSrtpKeyChange
gst_sec_srtp_base_set_stream_key (GstSecSrtpBase * self, guint32 ssrc,
    SecSrtpProfile profile, const guint8 * key, gsize key_len,
    gboolean set_roc, guint32 roc, GError ** error);
G_GNUC_INTERNAL void gst_sec_srtp_base_post_key_error (GstSecSrtpBase * self,
    const gchar * what, const GError * error);
G_GNUC_INTERNAL void gst_sec_srtp_base_install_pad_templates (GstElementClass *
    klass,
    const gchar * rtp_in, const gchar * rtp_out, const gchar * rtcp_in,
    const gchar * rtcp_out);
G_GNUC_INTERNAL guint gst_sec_srtp_base_get_replay_window (GstSecSrtpBase *
    self);
/* The value of the subclasses' "stats" property (transfer full). The
 * encoder's has no auth-failures: it verifies nothing. */
G_GNUC_INTERNAL GstStructure *gst_sec_srtp_base_get_stats (GstSecSrtpBase *
    self);
G_GNUC_INTERNAL void gst_sec_srtp_base_set_replay_window (GstSecSrtpBase * self,
    guint window);

G_GNUC_INTERNAL void sec_srtp_secure_free (guint8 * key, gsize len);

G_END_DECLS

#endif /* GST_SEC_SRTP_COMMON_H */
