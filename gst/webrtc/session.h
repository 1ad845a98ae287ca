/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecWebRTCSession: what secwebrtcbin negotiates, without any element: the
 * transceivers (one per m-line), the JSEP signaling state, our offers and
 * answers as SDP text, and what a remote description asks of the
 * transports and media (SecWebRTCRemotePlan). The element creates and
 * wires the GStreamer objects; this file decides what they must do.
 *
 * Plain C over GLib, GstCaps and GstSDPMessage (jsep.c, sdpcheck.c and
 * codecs.c below it): no pads, threads or clocks; every call is made
 * under the bin's negotiation lock. Unit-tested by negotiating two
 * sessions with each other (tests/unit/test-webrtcsession.c).
 *
 * Transports (RFC 8829 §4.1.1, RFC 8843): with the bundle policy
 * max-bundle (the default) one transport, id 0, carries every m-line. With
 * balanced, an offer that is not inside an existing BUNDLE gives the first
 * m-line of each media kind a transport of its own (its id is that
 * m-line's index) and makes the other m-lines of the kind bundle-only on
 * it; all are in one a=group:BUNDLE, so an answerer that bundles puts
 * everything on the tag's transport, and one that does not gets one
 * audio and one video m-line on separate transports. As the answerer,
 * balanced accepts the transport of the first m-line of each kind,
 * max-bundle only the first one's. Each transport is its own RTP session
 * (its payload types and SSRCs apart from the others').
 */
#ifndef SEC_WEBRTC_SESSION_H
#define SEC_WEBRTC_SESSION_H

#include <gst/gst.h>

#include "codecs.h"
#include "jsep.h"
#include "sdpcheck.h"

G_BEGIN_DECLS

#define SEC_WEBRTC_SESSION_ERROR (sec_webrtc_session_error_quark ())

typedef enum
{
  SEC_WEBRTC_SESSION_ERROR_INVALID,     /* a bad argument from the app */
  SEC_WEBRTC_SESSION_ERROR_NO_MEDIA,    /* nothing to offer */
  SEC_WEBRTC_SESSION_ERROR_LOCAL,       /* not the description we made */
  SEC_WEBRTC_SESSION_ERROR_REMOTE,      /* the remote description cannot
                                         * be used with ours */
} SecWebRTCSessionError;

GQuark sec_webrtc_session_error_quark (void);

/* The RFC 8843 MID header extension, the one we offer (id 1) and use
 * to route received packets. */
#define SEC_WEBRTC_MID_EXTENSION_URI "urn:ietf:params:rtp-hdrext:sdes:mid"

/* Directions from our side: "sendonly" means we send. */
typedef SecSdpDirection SecWebRTCDirection;

typedef struct
{
  guint mline;                  /* its m-line, from 0 */
  gchar *mid;                   /* NULL until first in a description */
  gchar *media;                 /* "audio" or "video" */
  SecWebRTCDirection direction; /* what the application wants */
  GstCaps *caps;                /* codec preferences, NULL: all we have */
  guint32 ssrc;                 /* what we send: RTP, and RTX for video */
  guint32 rtx_ssrc;
  gchar *msid_stream;
  gchar *msid_track;

  /* set by negotiation */
  gboolean stopped;             /* the m-line was rejected (port 0) */
  gboolean has_current;         /* an offer/answer exchange completed */
  SecWebRTCDirection current_direction;
  GPtrArray *local_codecs;      /* SecWebRTCCodec *, what we wrote last */
  GPtrArray *negotiated;        /* SecWebRTCCodec *, the last exchange */
  guint32 *remote_ssrcs;        /* a=ssrc of the remote m-line */
  guint n_remote_ssrcs;
  guint8 remote_mid_ext_id;     /* 0: the peer does not send MIDs */
  gint transport;               /* the local transport (id) of the last
                                 * exchange, -1: none (stopped) */

  /* the data channel m-line (m=application UDP/DTLS/SCTP
   * webrtc-datachannel, RFC 8841): no codecs, SSRCs or pads; one per
   * session at most. After an exchange: the peer's a=sctp-port (5000
   * when it gives none) and a=max-message-size (65536 when it gives
   * none, 0: no limit) */
  gboolean data;
  guint remote_sctp_port;
  guint64 remote_max_message_size;
} SecWebRTCTransceiver;

/* What the element gives for our descriptions: a transport's ICE
 * credentials and certificate fingerprint (create-offer and create-answer
 * take a GHashTable of them, GUINT_TO_POINTER (id) -> this). */
typedef struct
{
  const gchar *ice_ufrag;
  const gchar *ice_pwd;
  const gchar *fingerprint;     /* "sha-256 AB:..." */
} SecWebRTCLocalTransport;

/* What applying a remote description asks of one local transport. */
typedef struct
{
  guint id;                     /* the local transport */
  gchar *ice_ufrag;
  gchar *ice_pwd;               /* never log it */
  gchar *fingerprint;           /* the first of the peer's, normalised */
  gboolean ice_restart;         /* new remote credentials */
  gboolean dtls_client;         /* we are the DTLS client on it */
  gchar **candidates;           /* from the description, "candidate:..." */
  gboolean end_of_candidates;
} SecWebRTCRemoteTransport;

/* What applying a remote description asks of the element. */
typedef struct
{
  GPtrArray *transports;        /* SecWebRTCRemoteTransport *, by id */
  /* transceivers made for m-lines of a remote offer that matched none of
   * ours (their indexes); the application sees them as new m-lines */
  GArray *new_transceivers;     /* guint */
} SecWebRTCRemotePlan;

void sec_webrtc_remote_plan_free (SecWebRTCRemotePlan * plan);

typedef struct _SecWebRTCSession SecWebRTCSession;

SecWebRTCSession *sec_webrtc_session_new (void);
void sec_webrtc_session_free (SecWebRTCSession * session);

/* The bundle policy: FALSE max-bundle (the default), TRUE balanced; it
 * shapes the offers and answers made from now on. */
void sec_webrtc_session_set_balanced (SecWebRTCSession * session,
    gboolean balanced);

/* The local transports (ids, guint) the next offer or answer needs: the
 * caller makes each of them before create_offer or create_answer. */
GArray *sec_webrtc_session_get_offer_transports (SecWebRTCSession * session);
GArray *sec_webrtc_session_get_answer_transports (SecWebRTCSession * session);

/* The local transports (ids, guint) the current and pending descriptions
 * use: the others can go. */
GArray *sec_webrtc_session_get_used_transports (SecWebRTCSession * session);

/* The local transport a remote candidate for the peer's m-line @mline
 * goes to, -1 when none (a rejected m-line, or no remote description). */
gint sec_webrtc_session_get_candidate_transport (SecWebRTCSession * session,
    guint mline);

SecJsepState sec_webrtc_session_get_signaling_state
    (const SecWebRTCSession * session);

guint sec_webrtc_session_get_n_transceivers (const SecWebRTCSession * session);
SecWebRTCTransceiver *sec_webrtc_session_get_transceiver
    (SecWebRTCSession * session, guint mline);
SecWebRTCTransceiver *sec_webrtc_session_find_mid
    (SecWebRTCSession * session, const gchar * mid);

/* A new transceiver at the next m-line. @caps (may be NULL: every codec
 * of that media) are checked now: NULL and an error when they name no
 * codec we implement. @media NULL: taken from @caps. */
SecWebRTCTransceiver *sec_webrtc_session_add_transceiver
    (SecWebRTCSession * session, const gchar * media,
    SecWebRTCDirection direction, const GstCaps * caps, GError ** error);

/* Data channels (RFC 8841, RFC 8831): the data m-line, made at the next
 * m-line when there is none (the next offer carries it: negotiation is
 * needed), or the one there is (stopped when the peer rejected it). */
SecWebRTCTransceiver *sec_webrtc_session_add_data (SecWebRTCSession * session);
/* The data m-line, NULL when none. */
SecWebRTCTransceiver *sec_webrtc_session_get_data (SecWebRTCSession * session);
/* What our data m-lines say: a=sctp-port (5000 by default) and
 * a=max-message-size (the largest message we take, 262144 by default;
 * 0: no limit). */
void sec_webrtc_session_set_sctp (SecWebRTCSession * session, guint port,
    guint64 max_message_size);

/* Codec preferences of a transceiver whose sink pad got caps; the next
 * offer uses them (an answer picks from them). */
gboolean sec_webrtc_session_set_transceiver_caps
    (SecWebRTCSession * session, SecWebRTCTransceiver * transceiver,
    const GstCaps * caps, GError ** error);

/* SDP text (g_free) of a new offer or answer, checked against the
 * signaling state. Nothing changes until it is set as the local
 * description. @ice_restart: the caller has restarted ICE (the
 * credentials in @transport are new). */
gchar *sec_webrtc_session_create_offer (SecWebRTCSession * session,
    GHashTable * transports, GError ** error);
gchar *sec_webrtc_session_create_answer (SecWebRTCSession * session,
    GHashTable * transports, GError ** error);

/* set-local-description: @sdp NULL or the text create-offer or
 * create-answer returned last (anything else is refused: edit the
 * transceivers instead). Rollback: @type SEC_JSEP_SDP_ROLLBACK. */
gboolean sec_webrtc_session_set_local (SecWebRTCSession * session,
    SecJsepSdpType type, const gchar * sdp, GError ** error);

/* set-remote-description: checked (sdpcheck.c's rules, the renegotiation
 * rule, the state, and for an answer that it answers our offer) before
 * anything is applied; @plan tells the element what to do. */
gboolean sec_webrtc_session_set_remote (SecWebRTCSession * session,
    SecJsepSdpType type, const gchar * sdp, SecWebRTCRemotePlan ** plan,
    GError ** error);

/* After a completed exchange: are we the DTLS client (a=setup), the ICE
 * controlling side (the offerer of the first exchange)? */
gboolean sec_webrtc_session_is_dtls_client (const SecWebRTCSession * session);
gboolean sec_webrtc_session_is_ice_controlling
    (const SecWebRTCSession * session);

/* The current local and remote descriptions, NULL when none. */
const gchar *sec_webrtc_session_get_local_sdp
    (const SecWebRTCSession * session);
const gchar *sec_webrtc_session_get_remote_sdp
    (const SecWebRTCSession * session);

/* on-negotiation-needed (W3C "update the negotiation-needed flag"): TRUE
 * when a transceiver is not in the current descriptions, or wants
 * another direction than was negotiated. */
gboolean sec_webrtc_session_negotiation_needed
    (const SecWebRTCSession * session);

/* Receiving on local transport @transport: the caps of payload type @pt
 * (from the negotiated codecs), NULL if unknown; the transceiver an RTP
 * stream belongs to by the MID it carried (NULL: not known), its SSRC
 * (a=ssrc), or its payload type when only one m-line uses it. */
GstCaps *sec_webrtc_session_get_pt_caps (SecWebRTCSession * session,
    guint transport, guint pt);
SecWebRTCTransceiver *sec_webrtc_session_route
    (SecWebRTCSession * session, guint transport, const gchar * mid,
    guint32 ssrc, guint pt);

/* Sending: the codec a transceiver's stream goes out with (the
 * negotiated one matching @caps, or the first), NULL while it may not
 * send (not negotiated, or its direction does not send). */
const SecWebRTCCodec *sec_webrtc_session_get_send_codec
    (SecWebRTCSession * session, SecWebRTCTransceiver * transceiver,
    const GstCaps * caps);

/* The extension id the peer agreed for the MID extension, 0 if none. */
guint8 sec_webrtc_session_get_mid_extension_id
    (const SecWebRTCSession * session);

/* Statistics: the SSRC of the retransmission stream (RFC 4588) the
 * peer's current description pairs with its stream @ssrc on m-line
 * @mline (a=ssrc-group:FID <ssrc> <rtx-ssrc>, RFC 5576 §4.2), 0 if it
 * names none. */
guint32 sec_webrtc_session_get_remote_rtx_ssrc
    (const SecWebRTCSession * session, guint mline, guint32 ssrc);

G_END_DECLS

#endif /* SEC_WEBRTC_SESSION_H */
