/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secwebrtcbin
 * @title: secwebrtcbin
 *
 * A WebRTC peer connection whose security does not depend on the
 * application: the application does signaling (SDP offer and answer as
 * text, trickled ICE candidates) through action signals and signals, as
 * with GStreamer's webrtcbin or a browser's RTCPeerConnection; the bin
 * carries RTP media over ICE (secice), keyed by DTLS-SRTP (secdtls,
 * secsrtp), with every m-line on one transport (BUNDLE, rtcp-mux); with
 * `bundle-policy=balanced`, audio and video on a transport each when the
 * peer does not bundle.
 *
 * The security rules cannot be switched off: a remote description
 * without `a=fingerprint`, with a fingerprint hash weaker than sha-256,
 * with plain RTP (RTP/AVP, RTP/AVPF) or with SDES keying (RTP/SAVP,
 * RTP/SAVPF, `a=crypto`, `k=`) is refused with an error in the promise;
 * the peer's DTLS certificate is checked against the signaled fingerprint
 * inside the handshake, before any key exists, and a mismatch ends in
 * `connection-state` failed with an error on the bus naming both
 * fingerprints and no media in either direction; a renegotiation that
 * changes the peer's fingerprint without an ICE restart is refused.
 * `security-info` says what was negotiated.
 *
 * Send: request a `sink_%u` pad and link RTP (a payloader's output) to
 * it, or call `add-transceiver` first; the bin writes the negotiated
 * payload type, its SSRC and the MID header extension into each packet.
 * Receive: a `src_%u` pad appears for each m-line's incoming stream, with
 * full application/x-rtp caps.
 *
 * Data channels (RFC 8831): `create-data-channel` gives a
 * GstSecWebRTCDataChannel (send-string, send-data, close; on-open,
 * on-message-string, on-message-data, on-close, on-error,
 * on-buffered-amount-low); `on-data-channel` gives those the peer opens.
 * They run on SCTP over the DTLS association of the media (secsctp),
 * bundled on one transport, and work without any media as well.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc is-live=true ! vp8enc deadline=1 ! \
 *   rtpvp8pay ! secwebrtcbin name=pc local-addresses=127.0.0.1
 * ]| Runs as written, but a fragment: a launch line cannot do signaling.
 * Complete programs in C and Python are in tests/examples/
 * (webrtc-minimal-call.c, webrtc-call.c, python/webrtc_call.py).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecwebrtcbin.h"
#include "gstsecwebrtcbin-private.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "session.h"
#include "transport.h"
#include "webrtcenums.h"
#include "webrtcmedia.h"

GST_DEBUG_CATEGORY (gst_sec_webrtc_bin_debug);
#define GST_CAT_DEFAULT gst_sec_webrtc_bin_debug

#define DEFAULT_LATENCY 200

enum
{
  PROP_0,
  PROP_STUN_SERVER,
  PROP_TURN_SERVER,
  PROP_ICE_TRANSPORT_POLICY,
  PROP_LOCAL_ADDRESSES,
  PROP_PORT_RANGE,
  PROP_TURN_TLS_CA_FILE,
  PROP_BUNDLE_POLICY,
  PROP_CERTIFICATE,
  PROP_LOCAL_FINGERPRINT,
  PROP_LATENCY,
  PROP_SIGNALING_STATE,
  PROP_ICE_GATHERING_STATE,
  PROP_ICE_CONNECTION_STATE,
  PROP_CONNECTION_STATE,
  PROP_SECURITY_INFO,
  PROP_MAX_MESSAGE_SIZE,
};

/* the largest a=max-message-size we write: what one message may hold in
 * memory while it is reassembled */
#define MAX_MAX_MESSAGE_SIZE (64 * 1024 * 1024)

guint gst_sec_webrtc_bin_signals[GST_SEC_WEBRTC_BIN_LAST_SIGNAL];


#define gst_sec_webrtc_bin_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstSecWebRTCBin, gst_sec_webrtc_bin, GST_TYPE_BIN,
    GST_DEBUG_CATEGORY_INIT (gst_sec_webrtc_bin_debug, "secwebrtcbin", 0,
        "WebRTC peer connection"));
GST_ELEMENT_REGISTER_DEFINE (secwebrtcbin, "secwebrtcbin", GST_RANK_NONE,
    GST_TYPE_SEC_WEBRTC_BIN);

static void gst_sec_webrtc_bin_finalize (GObject * object);
static void gst_sec_webrtc_bin_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_sec_webrtc_bin_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_sec_webrtc_bin_change_state (GstElement *
    element, GstStateChange transition);
static void gst_sec_webrtc_bin_handle_message (GstBin * bin,
    GstMessage * message);

static void create_offer (GstSecWebRTCBin * self, GstStructure * options,
    GstPromise * promise);
static void create_answer (GstSecWebRTCBin * self, GstStructure * options,
    GstPromise * promise);
static void set_local_description (GstSecWebRTCBin * self,
    const gchar * type, const gchar * sdp, GstPromise * promise);
static void set_remote_description (GstSecWebRTCBin * self,
    const gchar * type, const gchar * sdp, GstPromise * promise);
static void add_ice_candidate (GstSecWebRTCBin * self, guint mline,
    const gchar * candidate);
static gboolean add_turn_server (GstSecWebRTCBin * self, const gchar * uri);

/* --- class -------------------------------------------------------------- */

static void
gst_sec_webrtc_bin_class_init (GstSecWebRTCBinClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_sec_webrtc_bin_finalize;
  gobject_class->set_property = gst_sec_webrtc_bin_set_property;
  gobject_class->get_property = gst_sec_webrtc_bin_get_property;

  g_object_class_install_property (gobject_class, PROP_STUN_SERVER,
      g_param_spec_string ("stun-server", "STUN server",
          "stun://host:port (RFC 7064) for server-reflexive candidates",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_TURN_SERVER,
      g_param_spec_string ("turn-server", "TURN server",
          "turn://user:pass@host:port?transport=udp|tcp or "
          "turns://user:pass@host:port (TLS, certificate checked); more "
          "with add-turn-server. Write-only: it holds a password", NULL,
          G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_ICE_TRANSPORT_POLICY,
      g_param_spec_enum ("ice-transport-policy", "ICE transport policy",
          "relay: gather, signal and use relay (TURN) candidates only",
          GST_TYPE_SEC_WEBRTC_ICE_TRANSPORT_POLICY,
          GST_SEC_WEBRTC_ICE_TRANSPORT_POLICY_ALL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_LOCAL_ADDRESSES,
      g_param_spec_string ("local-addresses", "Local addresses",
          "Comma-separated IP addresses to gather host candidates on "
          "(loopback included); empty: every non-loopback interface",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_PORT_RANGE,
      g_param_spec_string ("port-range", "Port range",
          "\"min-max\": the local ports of host candidates", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  /* not in webrtcbin: a TURN server behind TLS with a private CA (an
   * enterprise's) must be usable without changing the system's trust */
  g_object_class_install_property (gobject_class, PROP_TURN_TLS_CA_FILE,
      g_param_spec_string ("turn-tls-ca-file", "TURN TLS CA file",
          "PEM file of the certificates trusted for turns:// servers "
          "instead of the system's trust store; taken when the transport "
          "is made (the first description)", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_BUNDLE_POLICY,
      g_param_spec_enum ("bundle-policy", "Bundle policy",
          "max-bundle: every m-line on one transport (RFC 8843); balanced: "
          "offers give the first audio and the first video m-line a "
          "transport each, so a peer that does not bundle gets them on two "
          "(RFC 8829 §4.1.1); taken by the next offer or answer",
          GST_TYPE_SEC_WEBRTC_BUNDLE_POLICY,
          GST_SEC_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_CERTIFICATE,
      g_param_spec_string ("certificate", "Certificate",
          "PEM certificate and private key (ECDSA or RSA >= 2048) for DTLS; "
          "unset: a fresh ECDSA P-256 one per connection (one for all its "
          "transports). Write-only", NULL,
          G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_LOCAL_FINGERPRINT,
      g_param_spec_string ("local-fingerprint", "Local fingerprint",
          "\"sha-256 AB:CD:...\" of our DTLS certificate (in our "
          "a=fingerprint)", NULL,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_LATENCY,
      g_param_spec_uint ("latency", "Latency",
          "Jitter buffer latency of received streams in ms", 0, G_MAXUINT,
          DEFAULT_LATENCY, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_MAX_MESSAGE_SIZE,
      g_param_spec_uint64 ("max-message-size", "Max message size",
          "The largest data channel message this bin takes, written as "
          "a=max-message-size (RFC 8841 §6) in the offers and answers made "
          "from now on (larger ones are dropped and counted); the largest "
          "it sends is the peer's, at most 1 MiB", 1024, MAX_MAX_MESSAGE_SIZE,
          GST_SEC_WEBRTC_BIN_MAX_MESSAGE_SIZE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_SIGNALING_STATE,
      g_param_spec_enum ("signaling-state", "Signaling state",
          "JSEP signaling state (W3C RTCSignalingState)",
          GST_TYPE_SEC_WEBRTC_SIGNALING_STATE,
          GST_SEC_WEBRTC_SIGNALING_STATE_STABLE,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_ICE_GATHERING_STATE,
      g_param_spec_enum ("ice-gathering-state", "ICE gathering state",
          "W3C RTCIceGatheringState", GST_TYPE_SEC_WEBRTC_ICE_GATHERING_STATE,
          GST_SEC_WEBRTC_ICE_GATHERING_STATE_NEW,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_ICE_CONNECTION_STATE,
      g_param_spec_enum ("ice-connection-state", "ICE connection state",
          "W3C RTCIceConnectionState",
          GST_TYPE_SEC_WEBRTC_ICE_CONNECTION_STATE,
          GST_SEC_WEBRTC_ICE_CONNECTION_STATE_NEW,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_CONNECTION_STATE,
      g_param_spec_enum ("connection-state", "Connection state",
          "W3C RTCPeerConnectionState: connected once ICE has a pair and "
          "the peer's certificate matched its fingerprint (DTLS done)",
          GST_TYPE_SEC_WEBRTC_CONNECTION_STATE,
          GST_SEC_WEBRTC_CONNECTION_STATE_NEW,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_SECURITY_INFO,
      g_param_spec_boxed ("security-info", "Security info",
          "What was negotiated, once connected: dtls-version, cipher-suite, "
          "srtp-profile, local-fingerprint, remote-fingerprint, "
          "fingerprint-verified, local-candidate-type, "
          "remote-candidate-type, sas (the short authentication string; "
          "never keys)", GST_TYPE_STRUCTURE,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstSecWebRTCBin::create-offer:
   * @options: (nullable): `ice-restart` (boolean)
   * @promise: replied with `type` "offer" and `sdp`, or `error`
   */
  gst_sec_webrtc_bin_signals[SIGNAL_CREATE_OFFER] =
      g_signal_new_class_handler ("create-offer", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, G_CALLBACK (create_offer), NULL,
      NULL, NULL, G_TYPE_NONE, 2, GST_TYPE_STRUCTURE, GST_TYPE_PROMISE);
  gst_sec_webrtc_bin_signals[SIGNAL_CREATE_ANSWER] =
      g_signal_new_class_handler ("create-answer", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, G_CALLBACK (create_answer), NULL,
      NULL, NULL, G_TYPE_NONE, 2, GST_TYPE_STRUCTURE, GST_TYPE_PROMISE);
  /**
   * GstSecWebRTCBin::set-local-description:
   * @type: "offer", "answer" or "rollback"
   * @sdp: (nullable): NULL (the last created) or that text
   * @promise: replied empty, or with `error`
   */
  gst_sec_webrtc_bin_signals[SIGNAL_SET_LOCAL_DESCRIPTION] =
      g_signal_new_class_handler ("set-local-description",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (set_local_description), NULL, NULL, NULL, G_TYPE_NONE, 3,
      G_TYPE_STRING, G_TYPE_STRING, GST_TYPE_PROMISE);
  gst_sec_webrtc_bin_signals[SIGNAL_SET_REMOTE_DESCRIPTION] =
      g_signal_new_class_handler ("set-remote-description",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (set_remote_description), NULL, NULL, NULL, G_TYPE_NONE, 3,
      G_TYPE_STRING, G_TYPE_STRING, GST_TYPE_PROMISE);
  /**
   * GstSecWebRTCBin::add-ice-candidate:
   * @mline: the m-line index (sdpMLineIndex)
   * @candidate: (nullable): "candidate:..."; NULL or "": end of candidates
   */
  gst_sec_webrtc_bin_signals[SIGNAL_ADD_ICE_CANDIDATE] =
      g_signal_new_class_handler ("add-ice-candidate",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (add_ice_candidate), NULL, NULL, NULL, G_TYPE_NONE, 2,
      G_TYPE_UINT, G_TYPE_STRING);
  gst_sec_webrtc_bin_signals[SIGNAL_ADD_TURN_SERVER] =
      g_signal_new_class_handler ("add-turn-server",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (add_turn_server), NULL, NULL, NULL, G_TYPE_BOOLEAN, 1,
      G_TYPE_STRING);
  /**
   * GstSecWebRTCBin::add-transceiver:
   * @direction: "sendrecv", "sendonly" or "recvonly"
   * @caps: (nullable): application/x-rtp caps (media, encoding-name, ...)
   *
   * Returns: the new m-line's index (G_MAXUINT and a warning on bad input)
   */
  gst_sec_webrtc_bin_signals[SIGNAL_ADD_TRANSCEIVER] =
      g_signal_new_class_handler ("add-transceiver",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_sec_webrtc_bin_add_transceiver), NULL, NULL, NULL,
      G_TYPE_UINT, 2,
      G_TYPE_STRING, GST_TYPE_CAPS);
  gst_sec_webrtc_bin_signals[SIGNAL_GET_STATS] =
      g_signal_new_class_handler ("get-stats", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_sec_webrtc_bin_get_stats), NULL, NULL,
      NULL, G_TYPE_NONE, 2, GST_TYPE_PAD, GST_TYPE_PROMISE);
  gst_sec_webrtc_bin_signals[SIGNAL_ON_NEGOTIATION_NEEDED] =
      g_signal_new ("on-negotiation-needed", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * GstSecWebRTCBin::on-ice-candidate:
   * @mline: the m-line index whose transport gathered it (the BUNDLE
   *   tag's: 0 with max-bundle)
   * @candidate: "candidate:...", or "" at the end of gathering
   */
  gst_sec_webrtc_bin_signals[SIGNAL_ON_ICE_CANDIDATE] =
      g_signal_new ("on-ice-candidate", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT,
      G_TYPE_STRING);

  /**
   * GstSecWebRTCBin::create-data-channel:
   * @label: the channel's label
   * @options: (nullable): ordered (boolean), max-packet-lifetime (int, ms)
   *   or max-retransmits (int), protocol (string), negotiated (boolean)
   *   with id (int), priority (uint)
   *
   * A data channel (RFC 8831). Made before the first offer, it puts the
   * data m-line in it (on-negotiation-needed fires); made on a call
   * whose data m-line is negotiated, it opens at once.
   *
   * Returns: (transfer full) (nullable): the channel, NULL and a warning
   * when an option is refused
   */
  gst_sec_webrtc_bin_signals[SIGNAL_CREATE_DATA_CHANNEL] =
      g_signal_new_class_handler ("create-data-channel",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_sec_webrtc_bin_create_data_channel), NULL, NULL, NULL,
      GST_TYPE_SEC_WEBRTC_DATA_CHANNEL, 2, G_TYPE_STRING, GST_TYPE_STRUCTURE);
  /**
   * GstSecWebRTCBin::on-data-channel:
   * @channel: a channel the peer opened (open; on-open follows)
   *
   * From the SCTP association's thread.
   */
  gst_sec_webrtc_bin_signals[SIGNAL_ON_DATA_CHANNEL] =
      g_signal_new ("on-data-channel", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
      GST_TYPE_SEC_WEBRTC_DATA_CHANNEL);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_sec_webrtc_bin_change_state);
  GST_BIN_CLASS (klass)->handle_message =
      GST_DEBUG_FUNCPTR (gst_sec_webrtc_bin_handle_message);
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_sec_webrtc_bin_request_new_pad);
  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_sec_webrtc_bin_release_pad);
  gst_element_class_add_static_pad_template (element_class,
      &gst_sec_webrtc_bin_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &gst_sec_webrtc_bin_src_template);
  gst_element_class_set_static_metadata (element_class,
      "WebRTC peer connection (gst-secwebrtc)", "Filter/Network/WebRTC",
      "A WebRTC peer connection with verified DTLS-SRTP over ICE, driven "
      "by SDP offer/answer", "gst-secwebrtc developers");
  gst_type_mark_as_plugin_api (GST_TYPE_SEC_WEBRTC_SIGNALING_STATE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_SEC_WEBRTC_ICE_GATHERING_STATE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_SEC_WEBRTC_ICE_CONNECTION_STATE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_SEC_WEBRTC_CONNECTION_STATE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_SEC_WEBRTC_BUNDLE_POLICY, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_SEC_WEBRTC_ICE_TRANSPORT_POLICY, 0);
}

/* --- helpers -------------------------------------------------------------- */

static void
reply_error (GstPromise * promise, GError * error)
{
  GST_INFO ("refused: %s", error->message);
  if (promise)
    gst_promise_reply (promise, gst_structure_new ("application/x-gst-promise",
            "error", G_TYPE_ERROR, error, NULL));
  g_error_free (error);
}

static void
reply_empty (GstPromise * promise)
{
  if (promise)
    gst_promise_reply (promise, NULL);
}

void
gst_sec_webrtc_bin_secure_free (gchar * text)
{
  if (text)
    memset (text, 0, strlen (text));
  g_free (text);
}

static void
emit_negotiation_needed (GstElement * element, gpointer user_data)
{
  (void) user_data;
  g_signal_emit (element,
      gst_sec_webrtc_bin_signals[SIGNAL_ON_NEGOTIATION_NEEDED], 0);
}

/* W3C: fired as a task, after the call that made it necessary returns. */
void
gst_sec_webrtc_bin_schedule_negotiation_needed (GstSecWebRTCBin * self)
{
  gst_element_call_async (GST_ELEMENT (self), emit_negotiation_needed, NULL,
      NULL);
}

MLinePads *
gst_sec_webrtc_bin_mline_pads (GstSecWebRTCBin * self, guint mline)
{
  if (mline >= self->pads->len)
    g_array_set_size (self->pads, mline + 1);
  return &g_array_index (self->pads, MLinePads, mline);
}

static void
update_signaling_state (GstSecWebRTCBin * self)
{
  GstSecWebRTCSignalingState state = (GstSecWebRTCSignalingState)
      sec_webrtc_session_get_signaling_state (self->session);
  gboolean changed;

  GST_OBJECT_LOCK (self);
  changed = self->signaling_state != state;
  self->signaling_state = state;
  GST_OBJECT_UNLOCK (self);
  if (changed)
    g_object_notify (G_OBJECT (self), "signaling-state");
}

/* --- negotiation --------------------------------------------------------- */

static void
map_set (GstStructure * map, guint from, guint to)
{
  gchar *field = g_strdup_printf ("%u", from);

  gst_structure_set (map, field, G_TYPE_UINT, to, NULL);
  g_free (field);
}

/* Called with the lock held: RTX (RFC 4588) and NACK as negotiated, for
 * the m-lines of each transport (one RTP session each: one map each way
 * per session). */
static void
apply_rtx (GstSecWebRTCBin * self, guint transport)
{
  GstStructure *send_pt = gst_structure_new_empty ("application/x-rtp-pt-map");
  GstStructure *send_ssrc =
      gst_structure_new_empty ("application/x-rtp-ssrc-map");
  GstStructure *recv_pt = gst_structure_new_empty ("application/x-rtp-pt-map");
  guint i, k, n = sec_webrtc_session_get_n_transceivers (self->session);
  gboolean nack = FALSE;

  for (i = 0; i < n; i++) {
    SecWebRTCTransceiver *t = sec_webrtc_session_get_transceiver
        (self->session, i);
    gboolean sends = t->current_direction == SEC_SDP_DIRECTION_SENDRECV
        || t->current_direction == SEC_SDP_DIRECTION_SENDONLY;
    gboolean has_rtx = FALSE;

    if (t->stopped || t->transport != (gint) transport)
      continue;
    for (k = 0; t->negotiated && k < t->negotiated->len; k++) {
      const SecWebRTCCodec *c = g_ptr_array_index (t->negotiated, k);

      if (c->kind == SEC_WEBRTC_CODEC_RTX && c->apt >= 0) {
        map_set (send_pt, c->apt, c->payload_type);
        map_set (recv_pt, c->apt, c->payload_type);
        has_rtx = TRUE;
      }
      nack |= sec_webrtc_codec_has_feedback (c, SEC_WEBRTC_FEEDBACK_NACK);
    }
    if (has_rtx && sends)
      map_set (send_ssrc, t->ssrc, t->rtx_ssrc);
  }
  sec_webrtc_media_set_rtx (self->media, transport, send_pt, send_ssrc,
      recv_pt, nack);
  gst_structure_free (send_pt);
  gst_structure_free (send_ssrc);
  gst_structure_free (recv_pt);
}

/* Called with the lock held, after an exchange completed: every sender
 * learns how (and on which transport's RTP session) its stream leaves,
 * the receive side which MID extension id to read; transports nothing
 * uses any more go. */
static void
apply_negotiated (GstSecWebRTCBin * self)
{
  guint8 mid_ext = sec_webrtc_session_get_mid_extension_id (self->session);
  guint i, n = sec_webrtc_session_get_n_transceivers (self->session);

  sec_webrtc_media_set_receive_mid_ext (self->media, mid_ext);
  for (i = 0; i < n; i++) {
    SecWebRTCTransceiver *t = sec_webrtc_session_get_transceiver
        (self->session, i);
    GstCaps *caps = sec_webrtc_media_get_sender_caps (self->media, i);
    const SecWebRTCCodec *codec = sec_webrtc_session_get_send_codec
        (self->session, t, caps);

    sec_webrtc_media_set_sender (self->media, i, MAX (t->transport, 0),
        codec != NULL && t->transport >= 0,
        codec ? codec->payload_type : 0, t->ssrc, t->mid, mid_ext);
    if (caps)
      gst_caps_unref (caps);
  }
  gst_sec_webrtc_bin_drop_unused_transports (self);
  for (i = 0; i < self->transports->len; i++) {
    GstSecWebRTCBinTransport *entry = g_ptr_array_index (self->transports, i);

    gst_sec_webrtc_transport_set_controlling (entry->transport,
        sec_webrtc_session_is_ice_controlling (self->session));
    apply_rtx (self, entry->id);
  }
  gst_sec_webrtc_bin_start_data_channels (self);
}

static gboolean
parse_type (const gchar * type, SecJsepSdpType * out, GError ** error)
{
  return sec_jsep_sdp_type_from_string (type, out, error);
}

static void
create_offer (GstSecWebRTCBin * self, GstStructure * options,
    GstPromise * promise)
{
  GHashTable *locals = NULL;
  gboolean restart = FALSE;
  GError *error = NULL;
  gchar *sdp = NULL;
  GArray *ids;
  guint i;

  if (options)
    gst_structure_get_boolean (options, "ice-restart", &restart);
  g_rec_mutex_lock (&self->lock);
  ids = sec_webrtc_session_get_offer_transports (self->session);
  if (restart) {
    /* RFC 8445 §9: new credentials; media continues once reconnected */
    for (i = 0; i < ids->len; i++) {
      GstSecWebRTCBinTransport *entry =
          gst_sec_webrtc_bin_transport_by_id (self,
          g_array_index (ids, guint, i));

      if (entry)
        gst_sec_webrtc_bin_restart_ice (self, entry);
    }
  }
  locals = gst_sec_webrtc_bin_local_transports (self, ids, &error);
  if (locals)
    sdp = sec_webrtc_session_create_offer (self->session, locals, &error);
  g_rec_mutex_unlock (&self->lock);
  g_array_unref (ids);
  gst_sec_webrtc_bin_local_transports_free (locals);
  if (sdp == NULL) {
    reply_error (promise, error);
    return;
  }
  gst_promise_reply (promise, gst_structure_new ("application/x-gst-promise",
          "type", G_TYPE_STRING, "offer", "sdp", G_TYPE_STRING, sdp, NULL));
  g_free (sdp);
}

static void
create_answer (GstSecWebRTCBin * self, GstStructure * options,
    GstPromise * promise)
{
  GHashTable *locals;
  GError *error = NULL;
  gchar *sdp = NULL;
  GArray *ids;

  (void) options;
  g_rec_mutex_lock (&self->lock);
  ids = sec_webrtc_session_get_answer_transports (self->session);
  locals = gst_sec_webrtc_bin_local_transports (self, ids, &error);
  if (locals)
    sdp = sec_webrtc_session_create_answer (self->session, locals, &error);
  g_rec_mutex_unlock (&self->lock);
  g_array_unref (ids);
  gst_sec_webrtc_bin_local_transports_free (locals);
  if (sdp == NULL) {
    reply_error (promise, error);
    return;
  }
  gst_promise_reply (promise, gst_structure_new ("application/x-gst-promise",
          "type", G_TYPE_STRING, "answer", "sdp", G_TYPE_STRING, sdp, NULL));
  g_free (sdp);
}

static void
emit_candidates (GstSecWebRTCBin * self, GPtrArray * candidates)
{
  guint i;

  for (i = 0; candidates && i < candidates->len; i++) {
    GstSecWebRTCBinCandidate *c = g_ptr_array_index (candidates, i);

    gst_sec_webrtc_bin_emit_local_candidate (self, c->mline, c->candidate);
  }
  if (candidates)
    g_ptr_array_unref (candidates);
}

static void
set_local_description (GstSecWebRTCBin * self, const gchar * type,
    const gchar * sdp, GstPromise * promise)
{
  SecJsepSdpType jsep_type;
  GError *error = NULL;
  GPtrArray *early = NULL;
  gboolean stable;

  g_rec_mutex_lock (&self->lock);
  if (!parse_type (type, &jsep_type, &error)
      || !sec_webrtc_session_set_local (self->session, jsep_type, sdp,
          &error)) {
    g_rec_mutex_unlock (&self->lock);
    g_prefix_error (&error, "set-local-description: ");
    reply_error (promise, error);
    return;
  }
  stable = sec_webrtc_session_get_signaling_state (self->session) ==
      SEC_JSEP_STATE_STABLE;
  if (stable)
    apply_negotiated (self);
  GST_OBJECT_LOCK (self);
  if (!self->local_description_set && jsep_type != SEC_JSEP_SDP_ROLLBACK) {
    self->local_description_set = TRUE;
    early = gst_sec_webrtc_bin_take_early_local_candidates (self);
  }
  GST_OBJECT_UNLOCK (self);
  g_rec_mutex_unlock (&self->lock);
  update_signaling_state (self);
  if (stable) {
    gst_sec_webrtc_bin_update_gathering_state (self);
    gst_sec_webrtc_bin_update_connection_state (self);
  }
  reply_empty (promise);
  emit_candidates (self, early);
  if (stable && sec_webrtc_session_negotiation_needed (self->session))
    gst_sec_webrtc_bin_schedule_negotiation_needed (self);
}

/* Called with the lock held: the remote candidates queued for the peer's
 * m-line @mline go to the transport now responsible for it. */
static void
add_remote_candidate (GstSecWebRTCBin * self, guint mline,
    const gchar * candidate)
{
  gint id = sec_webrtc_session_get_candidate_transport (self->session, mline);
  GstSecWebRTCBinTransport *entry = id < 0 ? NULL :
      gst_sec_webrtc_bin_transport_by_id (self, id);

  if (entry == NULL) {
    GST_INFO_OBJECT (self, "remote candidate for m-line %u, which has no "
        "transport (rejected or bundled away): ignored", mline);
    return;
  }
  if (!gst_sec_webrtc_transport_add_remote_candidate (entry->transport,
          candidate && *candidate ? candidate : NULL)) {
    /* refused: the ICE transport posted a warning naming it; the call
     * goes on with the others */
    GST_INFO_OBJECT (self, "remote candidate refused: %s", candidate);
  }
}

/* Called with the lock held: a remote description was applied to the
 * session; each transport it names follows it. */
static gboolean
apply_remote_plan (GstSecWebRTCBin * self, SecWebRTCRemotePlan * plan,
    SecJsepSdpType type, GError ** error)
{
  guint i, k;

  for (i = 0; i < plan->transports->len; i++) {
    SecWebRTCRemoteTransport *rt = g_ptr_array_index (plan->transports, i);
    GstSecWebRTCBinTransport *entry =
        gst_sec_webrtc_bin_ensure_transport (self, rt->id, error);

    if (entry == NULL)
      return FALSE;
    if (rt->ice_restart && type == SEC_JSEP_SDP_OFFER)
      gst_sec_webrtc_bin_restart_ice (self, entry);
    if (!gst_sec_webrtc_transport_set_remote (entry->transport,
            rt->ice_ufrag, rt->ice_pwd, rt->fingerprint, rt->dtls_client,
            error))
      return FALSE;
    entry->dtls_client = rt->dtls_client;
    for (k = 0; rt->candidates && rt->candidates[k]; k++)
      gst_sec_webrtc_transport_add_remote_candidate (entry->transport,
          rt->candidates[k]);
    if (rt->end_of_candidates)
      gst_sec_webrtc_transport_add_remote_candidate (entry->transport, NULL);
  }
  /* candidates that came before the description */
  for (i = 0; i < self->early_remote_candidates->len; i++) {
    GstSecWebRTCBinCandidate *c =
        g_ptr_array_index (self->early_remote_candidates, i);

    add_remote_candidate (self, c->mline, c->candidate);
  }
  g_ptr_array_set_size (self->early_remote_candidates, 0);
  return TRUE;
}

static void
set_remote_description (GstSecWebRTCBin * self, const gchar * type,
    const gchar * sdp, GstPromise * promise)
{
  SecWebRTCRemotePlan *plan = NULL;
  SecJsepSdpType jsep_type;
  GError *error = NULL;
  gboolean stable;

  g_rec_mutex_lock (&self->lock);
  if (!parse_type (type, &jsep_type, &error)
      || !sec_webrtc_session_set_remote (self->session, jsep_type, sdp,
          &plan, &error)
      || (plan && !apply_remote_plan (self, plan, jsep_type, &error))) {
    g_rec_mutex_unlock (&self->lock);
    sec_webrtc_remote_plan_free (plan);
    if (!g_str_has_prefix (error->message, "set-remote-description"))
      g_prefix_error (&error, "set-remote-description: ");
    reply_error (promise, error);
    return;
  }
  stable = sec_webrtc_session_get_signaling_state (self->session) ==
      SEC_JSEP_STATE_STABLE;
  if (stable)
    apply_negotiated (self);
  g_rec_mutex_unlock (&self->lock);
  sec_webrtc_remote_plan_free (plan);
  update_signaling_state (self);
  if (stable) {
    gst_sec_webrtc_bin_update_gathering_state (self);
    gst_sec_webrtc_bin_update_connection_state (self);
  }
  reply_empty (promise);
  if (stable && sec_webrtc_session_negotiation_needed (self->session))
    gst_sec_webrtc_bin_schedule_negotiation_needed (self);
}

static void
add_ice_candidate (GstSecWebRTCBin * self, guint mline,
    const gchar * candidate)
{
  g_rec_mutex_lock (&self->lock);
  if (sec_webrtc_session_get_remote_sdp (self->session) == NULL) {
    /* RFC 8829 §4.1.17: before the remote description they wait */
    gst_sec_webrtc_bin_queue_candidate (self->early_remote_candidates,
        mline, candidate);
  } else {
    add_remote_candidate (self, mline, candidate);
  }
  g_rec_mutex_unlock (&self->lock);
}

static gboolean
add_turn_server (GstSecWebRTCBin * self, const gchar * uri)
{
  gboolean ok = uri && (g_str_has_prefix (uri, "turn:")
      || g_str_has_prefix (uri, "turns:"));

  if (!ok) {
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        (_("The TURN server was not added.")),
        ("add-turn-server: '%s' is not a turn:// or turns:// URI",
            uri ? (g_str_has_prefix (uri, "stun") ? uri : "(not shown)") :
            "(null)"));
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  g_ptr_array_add (self->turn_servers, g_strdup (uri));
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

/* --- media callbacks ----------------------------------------------------- */

static GstCaps *
on_pt_caps (guint session, guint pt, gpointer user_data)
{
  GstSecWebRTCBin *self = user_data;
  GstCaps *caps;

  g_rec_mutex_lock (&self->lock);
  caps = sec_webrtc_session_get_pt_caps (self->session, session, pt);
  g_rec_mutex_unlock (&self->lock);
  return caps;
}

static void
on_new_stream (GstPad * pad, guint session, guint32 ssrc, guint pt,
    const gchar * mid, gpointer user_data)
{
  GstSecWebRTCBin *self = user_data;
  SecWebRTCTransceiver *t;
  GstPad *ghost = NULL;
  gchar *name;

  g_rec_mutex_lock (&self->lock);
  t = sec_webrtc_session_route (self->session, session, mid, ssrc, pt);
  if (t == NULL) {
    g_rec_mutex_unlock (&self->lock);
    GST_WARNING_OBJECT (self, "a stream (SSRC %08x, payload type %u, mid "
        "%s) on transport %u matches no m-line: not exposed", ssrc, pt,
        GST_STR_NULL (mid), session);
    return;
  }
  if (gst_sec_webrtc_bin_mline_pads (self, t->mline)->srcpad == NULL) {
    GstPadTemplate *templ =
        gst_static_pad_template_get (&gst_sec_webrtc_bin_src_template);

    name = g_strdup_printf ("src_%u", t->mline);
    ghost = gst_ghost_pad_new_from_template (name, pad, templ);
    gst_object_unref (templ);
    g_free (name);
    gst_sec_webrtc_bin_mline_pads (self, t->mline)->srcpad = ghost;
  }
  g_rec_mutex_unlock (&self->lock);
  if (ghost) {
    GST_INFO_OBJECT (self, "m-line %u receives SSRC %08x (payload type %u)",
        t->mline, ssrc, pt);
    gst_pad_set_active (ghost, TRUE);
    gst_element_add_pad (GST_ELEMENT (self), ghost);
  }
}

/* Runs in GStreamer's thread pool (gst_element_call_async): caps arrived
 * on a sink pad requested without caps. */
static void
handle_sender_caps (GstElement * element, gpointer user_data)
{
  GstSecWebRTCBin *self = GST_SEC_WEBRTC_BIN (element);
  guint mline = GPOINTER_TO_UINT (user_data);
  SecWebRTCTransceiver *t;
  GstCaps *caps;

  /* the caps become the codec preferences of an m-line not negotiated
   * yet (once negotiated, the stream's codec is chosen among the
   * negotiated ones by its caps) */
  g_rec_mutex_lock (&self->lock);
  caps = sec_webrtc_media_get_sender_caps (self->media, mline);
  t = sec_webrtc_session_get_transceiver (self->session, mline);
  if (caps && t && !t->has_current)
    sec_webrtc_session_set_transceiver_caps (self->session, t, caps, NULL);
  g_rec_mutex_unlock (&self->lock);
  if (caps)
    gst_caps_unref (caps);
}

static void
on_sender_caps (guint mline, GstCaps * caps, gpointer user_data)
{
  (void) caps;
  gst_element_call_async (GST_ELEMENT (user_data), handle_sender_caps,
      GUINT_TO_POINTER (mline), NULL);
}

/* --- life cycle ---------------------------------------------------------- */

static void
gst_sec_webrtc_bin_init (GstSecWebRTCBin * self)
{
  static const SecWebRTCMediaCallbacks media_callbacks = {
    on_pt_caps, on_new_stream, on_sender_caps,
  };
  static gint counter;
  GError *error = NULL;

  g_rec_mutex_init (&self->lock);
  self->id = g_strdup_printf ("secwebrtcbin%d-%08x",
      g_atomic_int_add (&counter, 1), g_random_int ());
  self->session = sec_webrtc_session_new ();
  self->pads = g_array_new (FALSE, TRUE, sizeof (MLinePads));
  self->pending_sinkpads = g_ptr_array_new ();
  self->transports = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_sec_webrtc_bin_transport_entry_free);
  self->early_remote_candidates = g_ptr_array_new_with_free_func
      ((GDestroyNotify) gst_sec_webrtc_bin_candidate_free);
  self->early_local_candidates = g_ptr_array_new_with_free_func
      ((GDestroyNotify) gst_sec_webrtc_bin_candidate_free);
  self->turn_servers = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_sec_webrtc_bin_secure_free);
  self->latency = DEFAULT_LATENCY;
  self->media = sec_webrtc_media_new (GST_BIN (self), &media_callbacks, self,
      &error);
  if (self->media == NULL) {
    /* reported when the element starts */
    GST_ERROR_OBJECT (self, "%s", error->message);
    g_error_free (error);
  } else {
    sec_webrtc_media_set_latency (self->media, DEFAULT_LATENCY);
  }
  gst_sec_webrtc_bin_stats_init (self);
  gst_sec_webrtc_bin_data_channels_init (self);
}

static void
gst_sec_webrtc_bin_finalize (GObject * object)
{
  GstSecWebRTCBin *self = GST_SEC_WEBRTC_BIN (object);

  gst_sec_webrtc_bin_stats_free (self);
  gst_sec_webrtc_bin_data_channels_free (self);
  sec_webrtc_media_free (self->media);
  sec_webrtc_session_free (self->session);
  g_array_unref (self->pads);
  g_ptr_array_unref (self->pending_sinkpads);
  g_ptr_array_unref (self->early_remote_candidates);
  g_ptr_array_unref (self->early_local_candidates);
  g_ptr_array_unref (self->transports);
  g_ptr_array_unref (self->turn_servers);
  g_free (self->stun_server);
  g_free (self->local_addresses);
  g_free (self->port_range);
  g_free (self->turn_tls_ca_file);
  gst_sec_webrtc_bin_secure_free (self->certificate);
  if (self->security_info)
    gst_structure_free (self->security_info);
  g_free (self->id);
  g_rec_mutex_clear (&self->lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static GstStateChangeReturn
gst_sec_webrtc_bin_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSecWebRTCBin *self = GST_SEC_WEBRTC_BIN (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY && self->media == NULL) {
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        (_("A plugin secwebrtcbin needs is missing.")),
        ("rtpbin and rtpfunnel (gst-plugins-good's rtpmanager) are needed"));
    return GST_STATE_CHANGE_FAILURE;
  }
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    /* the transports start gathering below, and may be done before the
     * call returns (host candidates only): gathering first */
    g_rec_mutex_lock (&self->lock);
    if (self->transports->len > 0)
      gst_sec_webrtc_bin_set_gathering_state (self,
          GST_SEC_WEBRTC_ICE_GATHERING_STATE_GATHERING);
    g_rec_mutex_unlock (&self->lock);
  }
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  return ret;
}

static void
gst_sec_webrtc_bin_handle_message (GstBin * bin, GstMessage * message)
{
  GstSecWebRTCBin *self = GST_SEC_WEBRTC_BIN (bin);

  /* not the negotiation lock: any thread posts messages, also while a
   * negotiation call (holding it) changes states */
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT
      || GST_MESSAGE_TYPE (message) == GST_MESSAGE_WARNING) {
    GPtrArray *transports = gst_sec_webrtc_bin_ref_transports (self);
    gboolean swallowed = FALSE;
    guint i;

    for (i = 0; i < transports->len && !swallowed; i++) {
      GstSecWebRTCTransport *transport = g_ptr_array_index (transports, i);

      gst_sec_webrtc_transport_handle_message (transport, message);
      swallowed = gst_sec_webrtc_transport_swallows (transport, message);
    }
    g_ptr_array_unref (transports);
    if (swallowed) {
      gst_message_unref (message);
      return;
    }
  }
  GST_BIN_CLASS (parent_class)->handle_message (bin, message);
}

/* --- properties ---------------------------------------------------------- */

static void
gst_sec_webrtc_bin_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecWebRTCBin *self = GST_SEC_WEBRTC_BIN (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_STUN_SERVER:
      g_free (self->stun_server);
      self->stun_server = g_value_dup_string (value);
      break;
    case PROP_TURN_SERVER:
      g_ptr_array_set_size (self->turn_servers, 0);
      if (g_value_get_string (value))
        g_ptr_array_add (self->turn_servers, g_value_dup_string (value));
      break;
    case PROP_ICE_TRANSPORT_POLICY:
      self->ice_transport_policy = g_value_get_enum (value);
      break;
    case PROP_LOCAL_ADDRESSES:
      g_free (self->local_addresses);
      self->local_addresses = g_value_dup_string (value);
      break;
    case PROP_PORT_RANGE:
      g_free (self->port_range);
      self->port_range = g_value_dup_string (value);
      break;
    case PROP_TURN_TLS_CA_FILE:
      g_free (self->turn_tls_ca_file);
      self->turn_tls_ca_file = g_value_dup_string (value);
      break;
    case PROP_BUNDLE_POLICY:
      self->bundle_policy = g_value_get_enum (value);
      break;
    case PROP_CERTIFICATE:
      gst_sec_webrtc_bin_secure_free (self->certificate);
      self->certificate = g_value_dup_string (value);
      break;
    case PROP_LATENCY:
      self->latency = g_value_get_uint (value);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      break;                    /* below, under the negotiation lock */
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
  if (prop_id == PROP_MAX_MESSAGE_SIZE) {
    /* the descriptions made from now on say it; the association takes it
     * when it starts */
    g_rec_mutex_lock (&self->lock);
    self->sctp_max_message_size = g_value_get_uint64 (value);
    sec_webrtc_session_set_sctp (self->session, 5000,
        self->sctp_max_message_size);
    g_rec_mutex_unlock (&self->lock);
  }
  if (prop_id == PROP_BUNDLE_POLICY) {
    /* the offers and answers made from now on follow it */
    g_rec_mutex_lock (&self->lock);
    sec_webrtc_session_set_balanced (self->session, g_value_get_enum (value)
        == GST_SEC_WEBRTC_BUNDLE_POLICY_BALANCED);
    g_rec_mutex_unlock (&self->lock);
  }
  /* children are never called with our object lock held */
  if (prop_id == PROP_LATENCY && self->media)
    sec_webrtc_media_set_latency (self->media, g_value_get_uint (value));
}

static void
gst_sec_webrtc_bin_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecWebRTCBin *self = GST_SEC_WEBRTC_BIN (object);

  if (prop_id == PROP_MAX_MESSAGE_SIZE) {
    g_rec_mutex_lock (&self->lock);
    g_value_set_uint64 (value, self->sctp_max_message_size);
    g_rec_mutex_unlock (&self->lock);
    return;
  }
  if (prop_id == PROP_LOCAL_FINGERPRINT) {
    GError *error = NULL;

    GstSecWebRTCBinTransport *entry;

    /* the first transport's (made for it if there is none yet: the
     * first m-line's is transport 0, whatever the bundle policy) */
    g_rec_mutex_lock (&self->lock);
    entry = self->transports->len > 0 ?
        g_ptr_array_index (self->transports, 0) :
        gst_sec_webrtc_bin_ensure_transport (self, 0, &error);
    if (entry) {
      g_value_take_string (value,
          gst_sec_webrtc_transport_get_local_fingerprint (entry->transport));
    } else {
      GST_WARNING_OBJECT (self, "no fingerprint: %s", error->message);
      g_error_free (error);
    }
    g_rec_mutex_unlock (&self->lock);
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_STUN_SERVER:
      g_value_set_string (value, self->stun_server);
      break;
    case PROP_ICE_TRANSPORT_POLICY:
      g_value_set_enum (value, self->ice_transport_policy);
      break;
    case PROP_LOCAL_ADDRESSES:
      g_value_set_string (value, self->local_addresses);
      break;
    case PROP_PORT_RANGE:
      g_value_set_string (value, self->port_range);
      break;
    case PROP_TURN_TLS_CA_FILE:
      g_value_set_string (value, self->turn_tls_ca_file);
      break;
    case PROP_BUNDLE_POLICY:
      g_value_set_enum (value, self->bundle_policy);
      break;
    case PROP_LATENCY:
      g_value_set_uint (value, self->latency);
      break;
    case PROP_SIGNALING_STATE:
      g_value_set_enum (value, self->signaling_state);
      break;
    case PROP_ICE_GATHERING_STATE:
      g_value_set_enum (value, self->ice_gathering_state);
      break;
    case PROP_ICE_CONNECTION_STATE:
      g_value_set_enum (value, self->ice_connection_state);
      break;
    case PROP_CONNECTION_STATE:
      g_value_set_enum (value, self->connection_state);
      break;
    case PROP_SECURITY_INFO:
      g_value_set_boxed (value, self->security_info);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}
