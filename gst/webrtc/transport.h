/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecWebRTCTransport: one secure transport of secwebrtcbin (one per
 * BUNDLE group): two GstBins of the secice, secdtls and secsrtp elements,
 * made by factory name, the receiving half (this object) and the sending
 * half (get_send_bin), so that rtpbin -> send and receive -> rtpbin make
 * no loop in the bin's graph:
 *
 *   secicesrc -> secdtlssrtpdemux -> dtls -> secdtlsdec (-> fakesink)
 *                                  -> srtp -> secsrtpdec.rtp  -> "rtp_src"
 *                                  -> srtcp-> secsrtpdec.rtcp -> "rtcp_src"
 *   "rtp_sink"  -> secsrtpenc.rtp  --\
 *   "rtcp_sink" -> secsrtpenc.rtcp ---> funnel -> secicesink
 *                  secdtlsenc -------/
 *
 * The DTLS pair shares an association (a connection-id unique in the
 * process) and keys the SRTP pair named in it once the peer's certificate
 * matched the remote fingerprint; nothing is sent or delivered before.
 * The DTLS encoder is held back (locked state) until ICE has a pair, so
 * that the first flight is not lost, and released then.
 *
 * Thread: the transport's signals (candidates, states) come from the ICE
 * thread or a streaming thread; its API from the bin's negotiation code
 * under the bin's lock.
 */
#ifndef GST_SEC_WEBRTC_TRANSPORT_H
#define GST_SEC_WEBRTC_TRANSPORT_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SEC_WEBRTC_TRANSPORT (gst_sec_webrtc_transport_get_type ())
G_DECLARE_FINAL_TYPE (GstSecWebRTCTransport, gst_sec_webrtc_transport, GST,
    SEC_WEBRTC_TRANSPORT, GstBin)

/* What a transport reports to the bin (all may be called from the ICE
 * thread or a streaming thread, without any lock of the transport). */
typedef struct
{
  void (*local_candidate) (GstSecWebRTCTransport * transport,
      const gchar * candidate, gpointer user_data);
  void (*gathering_done) (GstSecWebRTCTransport * transport,
      gpointer user_data);
  /* ICE or DTLS state changed: read them with the getters */
  void (*state_changed) (GstSecWebRTCTransport * transport,
      gpointer user_data);
  /* start_sctp made the SCTP elements, not started yet: the last moment
   * to connect to their signals before anything can arrive (called by
   * start_sctp's caller's thread) */
  void (*sctp_created) (GstSecWebRTCTransport * transport, GstElement * enc,
      GstElement * dec, gpointer user_data);
  /* the SCTP elements started (DTLS is connected): channels may be
   * opened on them from now on (start_sctp's thread, or a thread of the
   * transport's own, no lock held) */
  void (*sctp_started) (GstSecWebRTCTransport * transport,
      gpointer user_data);
} GstSecWebRTCTransportCallbacks;

/* @id: unique in the process (it names the ICE transport and the DTLS
 * association). @certificate: PEM or NULL: the association makes its
 * own, or takes the one of @certificate_group when given (secdtls's
 * certificate-group: the transports of a bin show one fingerprint).
 * FALSE when an element of ours is missing (a plugin not installed),
 * with @error saying which. */
G_GNUC_INTERNAL GstSecWebRTCTransport *gst_sec_webrtc_transport_new
    (const gchar * id, const gchar * certificate,
    const gchar * certificate_group,
    const GstSecWebRTCTransportCallbacks * callbacks, gpointer user_data,
    GError ** error);

/* The sending half (a GstBin with "rtp_sink" and "rtcp_sink"), to be
 * added next to the transport (the receiving half, "rtp_src" and
 * "rtcp_src"); no reference. */
G_GNUC_INTERNAL GstElement *gst_sec_webrtc_transport_get_send_bin
    (GstSecWebRTCTransport * transport);

/* A message from inside secwebrtcbin: TRUE if it was this transport's
 * DTLS association's dtls-connected (kept for get_dtls_info). */
G_GNUC_INTERNAL gboolean gst_sec_webrtc_transport_handle_message
    (GstSecWebRTCTransport * transport, GstMessage * message);

/* A message from inside secwebrtcbin that must not leave it: secdtlsdec's
 * start-time warning that no peer-fingerprint is set (the bin sets it
 * from the remote description, before the peer's certificate can be
 * checked; a description without one is refused). */
G_GNUC_INTERNAL gboolean gst_sec_webrtc_transport_swallows
    (GstSecWebRTCTransport * transport, GstMessage * message);

/* The ICE transport object (for its settings); no reference. */
G_GNUC_INTERNAL GObject *gst_sec_webrtc_transport_get_ice
    (GstSecWebRTCTransport * transport);

/* "sha-256 AB:..." of our certificate (g_free). */
G_GNUC_INTERNAL gchar *gst_sec_webrtc_transport_get_local_fingerprint
    (GstSecWebRTCTransport * transport);
/* Our ICE credentials (g_free both). */
G_GNUC_INTERNAL void gst_sec_webrtc_transport_get_local_credentials
    (GstSecWebRTCTransport * transport, gchar ** ufrag, gchar ** pwd);
/* Candidates signaled so far ("candidate:..."), g_strfreev. */
G_GNUC_INTERNAL gchar **gst_sec_webrtc_transport_get_local_candidates
    (GstSecWebRTCTransport * transport);
/* The peer's candidates the ICE transport took since the last ICE
 * restart (the first 64), for get-stats; g_strfreev. */
G_GNUC_INTERNAL gchar **gst_sec_webrtc_transport_get_remote_candidates
    (GstSecWebRTCTransport * transport);
G_GNUC_INTERNAL gboolean gst_sec_webrtc_transport_is_gathering_done
    (GstSecWebRTCTransport * transport);

/* Settings that must be made before the transport gathers. */
G_GNUC_INTERNAL void gst_sec_webrtc_transport_configure_ice
    (GstSecWebRTCTransport * transport, const gchar * stun_server,
    const gchar * turn_servers, gint policy, const gchar * local_addresses,
    const gchar * port_range, const gchar * turn_tls_ca_file);

/* The offerer is ICE-controlling (RFC 8445 §6.1.1). */
G_GNUC_INTERNAL void gst_sec_webrtc_transport_set_controlling
    (GstSecWebRTCTransport * transport, gboolean controlling);

/* From a remote description: the peer's ICE credentials, its verified
 * certificate's expected fingerprint and our DTLS role. FALSE with
 * @error when one is refused. */
G_GNUC_INTERNAL gboolean gst_sec_webrtc_transport_set_remote
    (GstSecWebRTCTransport * transport, const gchar * ufrag,
    const gchar * pwd, const gchar * fingerprint, gboolean dtls_client,
    GError ** error);

/* A trickled or described candidate; "" or NULL: end of candidates.
 * FALSE when refused (the ICE transport has posted a warning). */
G_GNUC_INTERNAL gboolean gst_sec_webrtc_transport_add_remote_candidate
    (GstSecWebRTCTransport * transport, const gchar * candidate);

/* ICE restart (RFC 8445 §9): new local credentials. */
G_GNUC_INTERNAL gboolean gst_sec_webrtc_transport_restart_ice
    (GstSecWebRTCTransport * transport);

/* The ICE transport's state (GstSecIceState values: new, checking,
 * connected, completed, failed, disconnected, closed) and the DTLS
 * association's (new, connecting, connected, closed, failed). */
G_GNUC_INTERNAL gint gst_sec_webrtc_transport_get_ice_state
    (GstSecWebRTCTransport * transport);
G_GNUC_INTERNAL gint gst_sec_webrtc_transport_get_dtls_state
    (GstSecWebRTCTransport * transport);

/* The `dtls-connected` message's structure once connected (a copy, or
 * NULL), and the ICE transport's selected pair (a copy, or NULL). */
G_GNUC_INTERNAL GstStructure *gst_sec_webrtc_transport_get_dtls_info
    (GstSecWebRTCTransport * transport);
G_GNUC_INTERNAL GstStructure *gst_sec_webrtc_transport_get_selected_pair
    (GstSecWebRTCTransport * transport);

/* The elements' stats (ICE transport, DTLS association, SRTP encoder and
 * decoder), for get-stats. Each a copy or NULL. */
G_GNUC_INTERNAL void gst_sec_webrtc_transport_get_stats
    (GstSecWebRTCTransport * transport, GstStructure ** ice,
    GstStructure ** dtls, GstStructure ** srtp_enc, GstStructure ** srtp_dec);

/* Data channels (RFC 8261, RFC 8831): a secsctpenc/secsctpdec pair on
 * this transport's DTLS association (made by name, once), started when
 * DTLS is connected (at once if it is: callbacks sctp_created, then
 * sctp_started; the DTLS decoder's application data go to it from
 * then on). @is_client: our
 * DTLS role (the stream ids we open); the ports and the largest message
 * each end takes as the descriptions say. Called again: only the peer's
 * largest message is updated. FALSE with @error when the secsctp plugin
 * is missing. */
G_GNUC_INTERNAL gboolean gst_sec_webrtc_transport_start_sctp
    (GstSecWebRTCTransport * transport, gboolean is_client,
    guint local_port, guint remote_port, guint64 max_message_size,
    guint64 remote_max_message_size, GError ** error);
/* The SCTP association's stats (secsctpenc's "stats", a copy), NULL
 * before start_sctp. */
G_GNUC_INTERNAL void gst_sec_webrtc_transport_get_sctp_stats
    (GstSecWebRTCTransport * transport, GstStructure ** stats);
/* The SCTP elements (references, NULL before start_sctp); @dec may be
 * NULL. */
G_GNUC_INTERNAL void gst_sec_webrtc_transport_get_sctp
    (GstSecWebRTCTransport * transport, GstElement ** enc, GstElement ** dec);

G_END_DECLS

#endif /* GST_SEC_WEBRTC_TRANSPORT_H */
