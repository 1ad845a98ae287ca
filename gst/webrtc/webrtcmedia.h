/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The RTP side of secwebrtcbin: one rtpbin session per transport, its
 * number the transport's id (BUNDLE: every m-line of the bundle is one
 * RTP session, RFC 8843 §4; max-bundle has only session 0), an rtpfunnel
 * per session that merges its senders, the per-sender rewriting
 * (negotiated payload type, our SSRC, the MID header extension), and the
 * routing of received streams by the MID they carry.
 *
 *   sink_%u -> [sender probe] -> rtpfunnel_<n> -> rtpbin send_rtp_sink_<n>
 *   rtpbin send_rtp_src_<n> / send_rtcp_src_<n> -> transport n's
 *     rtp_sink / rtcp_sink
 *   transport n's rtp_src / rtcp_src -> [MID probe] -> recv_*_sink_<n>
 *   rtpbin recv_rtp_src_<n>_<ssrc>_<pt> -> (the bin) src_%u
 *
 * A sender starts on session 0 and moves to the session of its m-line's
 * transport when it is negotiated onto another one (its sink ghost pad is
 * retargeted; nothing passes before negotiation).
 *
 * Threads: senders' buffers in the application's streaming threads, the
 * receive probe in the transport's, rtpbin's signals in its own; the
 * bin's callbacks are called without any lock of this file held.
 */
#ifndef GST_SEC_WEBRTC_MEDIA_H
#define GST_SEC_WEBRTC_MEDIA_H

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _SecWebRTCMedia SecWebRTCMedia;

typedef struct
{
  /* rtpbin asks for the caps of a payload type of a session (NULL:
   * unknown) */
  GstCaps *(*pt_caps) (guint session, guint pt, gpointer user_data);
  /* a received stream appeared: @pad is rtpbin's recv_rtp_src pad, @mid
   * the MID it carried (NULL: none seen) */
  void (*new_stream) (GstPad * pad, guint session, guint32 ssrc, guint pt,
      const gchar * mid, gpointer user_data);
  /* caps arrived on @mline's sink pad (from the sender's thread) */
  void (*sender_caps) (guint mline, GstCaps * caps, gpointer user_data);
} SecWebRTCMediaCallbacks;

/* Adds rtpbin and rtpfunnel to @bin. FALSE with @error when an element is
 * missing (gst-plugins-good's rtpmanager). */
G_GNUC_INTERNAL SecWebRTCMedia *sec_webrtc_media_new (GstBin * bin,
    const SecWebRTCMediaCallbacks * callbacks, gpointer user_data,
    GError ** error);
G_GNUC_INTERNAL void sec_webrtc_media_free (SecWebRTCMedia * media);

G_GNUC_INTERNAL GstElement *sec_webrtc_media_get_rtpbin
    (SecWebRTCMedia * media);

/* The jitter buffer's latency (ms). */
G_GNUC_INTERNAL void sec_webrtc_media_set_latency (SecWebRTCMedia * media,
    guint latency_ms);

/* Links rtpbin's session @id to a transport's rtp_src and rtcp_src and to
 * its send half's rtp_sink and rtcp_sink. */
G_GNUC_INTERNAL gboolean sec_webrtc_media_link_transport
    (SecWebRTCMedia * media, guint id, GstElement * transport,
    GstElement * send, GError ** error);
/* Unlinks session @id from its transport (which is going away) and
 * releases rtpbin's pads of it (rtpbin then frees the session). */
G_GNUC_INTERNAL void sec_webrtc_media_unlink_transport
    (SecWebRTCMedia * media, guint id);

/* A pad to put behind a sink_%u ghost pad for m-line @mline: nothing
 * passes until sec_webrtc_media_set_sender () allows it. */
G_GNUC_INTERNAL GstPad *sec_webrtc_media_add_sender (SecWebRTCMedia * media,
    guint mline, guint32 ssrc);
G_GNUC_INTERNAL void sec_webrtc_media_remove_sender (SecWebRTCMedia * media,
    guint mline);
/* The sender made for m-line @from belongs to m-line @to, with @ssrc. */
G_GNUC_INTERNAL void sec_webrtc_media_move_sender (SecWebRTCMedia * media,
    guint from, guint to, guint32 ssrc);
/* How @mline's stream leaves: in RTP session @session, with payload
 * type, SSRC and MID (written in the header extension @mid_ext_id, 0:
 * none); @send FALSE drops it. */
G_GNUC_INTERNAL void sec_webrtc_media_set_sender (SecWebRTCMedia * media,
    guint mline, guint session, gboolean send, guint pt, guint32 ssrc,
    const gchar * mid, guint8 mid_ext_id);
/* The caps last seen on @mline's sink pad (a reference, or NULL). */
G_GNUC_INTERNAL GstCaps *sec_webrtc_media_get_sender_caps
    (SecWebRTCMedia * media, guint mline);
/* How @mline's stream leaves now (for statistics): TRUE when it is sent,
 * with the payload type and SSRC written into its packets. */
G_GNUC_INTERNAL gboolean sec_webrtc_media_get_sender
    (SecWebRTCMedia * media, guint mline, guint * pt, guint32 * ssrc);

/* Retransmission after a negotiation, per RTP session: for what we
 * send, original payload type -> RTX payload type and our SSRC -> our RTX
 * SSRC ("application/x-rtp-pt-map" / "application/x-rtp-ssrc-map",
 * fields named by the decimal number, uint values); for what we receive
 * the same, original -> RTX payload type (as rtprtxreceive takes it);
 * @nack: ask for lost packets. */
G_GNUC_INTERNAL void sec_webrtc_media_set_rtx (SecWebRTCMedia * media,
    guint session, const GstStructure * send_pt_map,
    const GstStructure * send_ssrc_map, const GstStructure * receive_pt_map,
    gboolean nack);

/* The MID header extension id received packets carry (0: none). */
G_GNUC_INTERNAL void sec_webrtc_media_set_receive_mid_ext
    (SecWebRTCMedia * media, guint8 mid_ext_id);

G_END_DECLS

#endif
