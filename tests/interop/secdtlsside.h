/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the DTLS interop tests share about our side: one pipeline with
 * secdtlsdec and secdtlsenc on a single UDP socket on 127.0.0.1 (our
 * udpsrc "net_in" feeds secdtlsdec, and secdtlsenc's records leave
 * through the udpsink "net_out" on the very socket of that udpsrc), the
 * association keying the test's secsrtpenc "srtpenc" and secsrtpdec
 * "srtpdec". Each test adds its own SRTP branches to the description and
 * looks up their elements with sec_dtls_side_get_by_name ().
 *
 * The helpers fail the running test (check's fail_unless) on errors,
 * like the rest of the test code.
 */
#ifndef SEC_DTLS_SIDE_H
#define SEC_DTLS_SIDE_H

#include "secpeer.h"

G_BEGIN_DECLS

/* Our side. All zeros is a side that is not set up; the fields are for
 * reading. */
typedef struct
{
  GstElement *pipeline;
  GstElement *dtlsdec;          /* "dtlsdec" */
  GstElement *net_in;           /* "net_in": udpsrc ! secdtlsdec */
  GstElement *net_out;          /* "net_out": udpsink on net_in's socket */
  GstBus *bus;
  gchar *connection_id;
} SecDtlsSide;

/* The element called @name in @pipeline (a new reference); fails the
 * test if there is none. */
GstElement *sec_dtls_side_get_by_name (GstElement * pipeline,
    const gchar * name);

/* Builds @side's pipeline: "udpsrc name=net_in ... ! secdtlsdec
 * secdtlsenc", both with @connection_id (taken), then @rest, which must
 * link secdtlsenc's output to a udpsink called net_out (starting with
 * "! ") and hold a secsrtpenc "srtpenc" and a secsrtpdec "srtpdec".
 * Sets the association's is-client to @is_client, its peer-fingerprint
 * to @expected_fingerprint, its SRTP elements and, unless NULL, its
 * srtp-profiles to @srtp_profiles. Then brings it to READY, which binds
 * net_in to a free port on 127.0.0.1; net_out sends from that same
 * socket. */
void sec_dtls_side_setup (SecDtlsSide * side, gchar * connection_id,
    gboolean is_client, const gchar * expected_fingerprint,
    const gchar * srtp_profiles, const gchar * rest);

/* The UDP port on 127.0.0.1 that @side receives on and sends from. */
guint16 sec_dtls_side_port (SecDtlsSide * side);

/* Points net_out at 127.0.0.1:@peer_port and sets @side playing; as the
 * client it sends its ClientHello now. */
void sec_dtls_side_play (SecDtlsSide * side, guint16 peer_port);

/* The fields of @side's dtls-connected message (gst_structure_free), or
 * NULL if none came within @timeout_us. Fails the test on an error
 * message from @side's pipeline or if @peer exits meanwhile, with what
 * @peer printed. */
GstStructure *sec_dtls_side_wait_connected (SecDtlsSide * side,
    SecPeer * peer, gint64 timeout_us);

/* Stops @side's pipeline and frees the side; safe on a side that was only
 * partly set up. */
void sec_dtls_side_teardown (SecDtlsSide * side);

G_END_DECLS

#endif /* SEC_DTLS_SIDE_H */
