/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecWebRTCSession's inside, shared by session.c (transceivers, offers,
 * answers, applying descriptions) and sessiontransports.c (which m-line
 * goes on which local transport, and what a remote description asks of
 * each: docs/design/webrtc.md, "Transports and the bundle policy").
 */
#ifndef SEC_WEBRTC_SESSION_PRIVATE_H
#define SEC_WEBRTC_SESSION_PRIVATE_H

#include "session.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (sec_webrtc_session_debug);

typedef struct
{
  SecWebRTCTransceiver public;

  /* what create-offer/create-answer wrote, committed by set_local */
  GPtrArray *created_codecs;
  SecWebRTCDirection created_direction;
  gboolean created_rejected;
  gint created_transport;       /* -1: none */
  /* set_local moved them here until the exchange completes */
  GPtrArray *pending_codecs;
  SecWebRTCDirection pending_direction;
  gboolean pending_rejected;
  gint pending_transport;
  /* what the last completed exchange said */
  SecWebRTCDirection negotiated_direction;      /* as we wrote it */
  gboolean made_by_remote_offer;        /* not yet in a completed exchange */
} Transceiver;

struct _SecWebRTCSession
{
  SecJsep jsep;
  GPtrArray *transceivers;      /* Transceiver * */
  SecWebRTCPayloadSpace *space;
  guint64 session_id;
  guint64 version;
  gchar *cname;
  gchar *msid_stream;

  gchar *created_sdp;           /* create-offer/create-answer's last text */
  SecJsepSdpType created_type;
  gchar *local_sdp, *remote_sdp;        /* current (stable) */
  gchar *pending_local_sdp, *pending_remote_sdp;
  SecSdpDescription *remote;    /* parsed remote_sdp */
  SecSdpDescription *pending_remote;

  gboolean dtls_client;
  gboolean ice_controlling;
  guint8 mid_ext_id;            /* agreed, 0: none */
  guint next_mid;

  gboolean balanced;            /* bundle policy; FALSE: max-bundle */
  guint sctp_port;              /* our a=sctp-port */
  guint64 max_message_size;     /* our a=max-message-size */
  gint bundle_transport;        /* the current BUNDLE's transport, -1 */
};

static inline Transceiver *
tr (SecWebRTCSession * session, guint i)
{
  return g_ptr_array_index (session->transceivers, i);
}

/* sessiontransports.c; every call under the bin's negotiation lock. */

/* The transport of each m-line of our next offer (created_transport),
 * which are bundle-only (@bundle_only: one per transceiver, or NULL);
 * returns the ids (guint). */
GArray *sec_session_assign_offer (SecWebRTCSession * session,
    gboolean * bundle_only);
/* Transport @id of the caller's table, or NULL with @error. */
const SecWebRTCLocalTransport *sec_session_local_transport
    (GHashTable * transports, gint id, GError ** error);
/* The remote transport of the first m-line that is not rejected, -1. */
gint sec_session_main_transport (const SecSdpDescription * d);
/* An m-line of @d we can use: audio or video over DTLS-SRTP on a remote
 * transport the bundle policy takes. */
gboolean sec_session_media_usable (SecWebRTCSession * session,
    const SecSdpDescription * d, const SecSdpMedia * m);
/* A data m-line we can take: m=application over DTLS/SCTP with the
 * webrtc-datachannel format (RFC 8841 §4), not rejected. */
gboolean sec_session_data_usable (const SecSdpMedia * m);
/* The local transport of m-line @i of the remote offer @d, -1: rejected. */
gint sec_session_answer_transport (SecWebRTCSession * session,
    const SecSdpDescription * d, guint i);
/* The local transport of m-line @i after the peer's answer @d to our
 * offer, -1: stopped. */
gint sec_session_answered_transport (SecWebRTCSession * session,
    const SecSdpDescription * d, guint i);
/* The current BUNDLE's transport after an exchange whose answer is (or
 * repeats the groups of) @answer, -1: none. */
gint sec_session_bundle_transport (SecWebRTCSession * session,
    const SecSdpDescription * answer);
/* What applying @d asks of each local transport; @offer: @d is a remote
 * offer, else the answer to our pending offer. */
SecWebRTCRemotePlan *sec_session_plan_new (SecWebRTCSession * session,
    const SecSdpDescription * d, gboolean offer);

G_END_DECLS

#endif /* SEC_WEBRTC_SESSION_PRIVATE_H */
