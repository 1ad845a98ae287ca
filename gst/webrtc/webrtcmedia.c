/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The RTP side of secwebrtcbin: see webrtcmedia.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "webrtcmedia.h"

#include <gst/rtp/rtp.h>
#include <stdio.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (sec_webrtc_media_debug);
#define GST_CAT_DEFAULT sec_webrtc_media_debug

/* One sender: what its packets become. */
typedef struct
{
  SecWebRTCMedia *media;
  guint mline;
  guint session;                /* the RTP session (transport) it is on */
  GstPad *pad;                  /* that session's rtpfunnel's request pad */
  gulong probe;

  GMutex lock;
  /* protected by lock */
  gboolean send;
  guint pt;
  guint32 ssrc;
  gchar *mid;
  guint8 mid_ext_id;
  GstCaps *caps;                /* as the application sent them */
  gboolean dropped_logged;
} Sender;

/* One RTP session per transport; its number is the transport's id. */
typedef struct
{
  SecWebRTCMedia *media;
  guint id;
  GstElement *funnel;           /* the senders -> rtpbin send_rtp_sink_<id> */
  GstElement *rtx_send;         /* RFC 4588, in rtpbin before the session */
  GstElement *rtx_receive;      /* in rtpbin after the session */
  gulong receive_probe;
  GstPad *receive_pad;          /* the transport's rtp_src */
} Session;

struct _SecWebRTCMedia
{
  GstBin *bin;                  /* no reference: it owns us */
  GstElement *rtpbin;
  SecWebRTCMediaCallbacks callbacks;
  gpointer user_data;

  GMutex lock;
  /* protected by lock */
  GHashTable *sessions;         /* id -> Session */
  GHashTable *senders;          /* mline -> Sender */
  GHashTable *ssrc_mid;         /* received SSRC -> MID (gchar *) */
  guint8 recv_mid_ext_id;
};

/* --- senders --------------------------------------------------------------- */

static void
sender_free (Sender * sender)
{
  if (sender->probe)
    gst_pad_remove_probe (sender->pad, sender->probe);
  if (sender->pad) {
    GstElement *funnel = GST_ELEMENT (gst_pad_get_parent (sender->pad));

    if (funnel) {
      gst_element_release_request_pad (funnel, sender->pad);
      gst_object_unref (funnel);
    }
    gst_object_unref (sender->pad);
  }
  if (sender->caps)
    gst_caps_unref (sender->caps);
  g_free (sender->mid);
  g_mutex_clear (&sender->lock);
  g_free (sender);
}

/* The caps downstream sees: our SSRC (rtpfunnel routes a key-unit
 * request by the caps' ssrc) and, once negotiated, the payload type. */
static GstCaps *
rewrite_caps (Sender * sender, GstCaps * caps)
{
  GstCaps *out = gst_caps_copy (caps);
  GstStructure *s = gst_caps_get_structure (out, 0);

  gst_structure_set (s, "ssrc", G_TYPE_UINT, sender->ssrc, NULL);
  if (sender->send)
    gst_structure_set (s, "payload", G_TYPE_INT, (gint) sender->pt, NULL);
  return out;
}

/* Writes the payload type, SSRC and MID into a writable packet. */
static GstBuffer *
rewrite_packet (Sender * sender, GstBuffer * buffer)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

  buffer = gst_buffer_make_writable (buffer);
  if (!gst_rtp_buffer_map (buffer, GST_MAP_READWRITE, &rtp)) {
    gst_buffer_unref (buffer);
    return NULL;
  }
  gst_rtp_buffer_set_payload_type (&rtp, sender->pt);
  gst_rtp_buffer_set_ssrc (&rtp, sender->ssrc);
  /* RFC 8843 §15.1: the MID in every packet (small, and the receiver
   * never has to guess which m-line a packet belongs to) */
  if (sender->mid_ext_id && sender->mid)
    gst_rtp_buffer_add_extension_onebyte_header (&rtp, sender->mid_ext_id,
        sender->mid, strlen (sender->mid));
  gst_rtp_buffer_unmap (&rtp);
  return buffer;
}

static GstPadProbeReturn
sender_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Sender *sender = user_data;
  GstPadProbeReturn ret = GST_PAD_PROBE_OK;

  (void) pad;
  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
    GstCaps *caps, *out;

    if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
      return GST_PAD_PROBE_OK;
    gst_event_parse_caps (event, &caps);
    g_mutex_lock (&sender->lock);
    gst_caps_replace (&sender->caps, caps);
    out = rewrite_caps (sender, caps);
    g_mutex_unlock (&sender->lock);
    if (sender->media->callbacks.sender_caps)
      sender->media->callbacks.sender_caps (sender->mline, caps,
          sender->media->user_data);
    /* the caps always pass (sticky events keep their order); the
     * buffers wait for negotiation */
    info->data = gst_event_new_caps (out);
    gst_event_unref (event);
    gst_caps_unref (out);
    return GST_PAD_PROBE_OK;
  }

  g_mutex_lock (&sender->lock);
  if (!sender->send) {
    if (!sender->dropped_logged)
      GST_DEBUG ("m-line %u: dropping until negotiated", sender->mline);
    sender->dropped_logged = TRUE;
    ret = GST_PAD_PROBE_DROP;
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = rewrite_packet (sender,
        GST_PAD_PROBE_INFO_BUFFER (info));

    info->data = buffer;
    if (buffer == NULL)
      ret = GST_PAD_PROBE_DROP;
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list =
        gst_buffer_list_make_writable (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
    guint i;

    for (i = 0; i < gst_buffer_list_length (list);) {
      GstBuffer *buffer = rewrite_packet (sender,
          gst_buffer_ref (gst_buffer_list_get (list, i)));

      gst_buffer_list_remove (list, i, 1);
      if (buffer)
        gst_buffer_list_insert (list, i++, buffer);
    }
    info->data = list;
  }
  g_mutex_unlock (&sender->lock);
  return ret;
}

/* --- RTP sessions ------------------------------------------------------- */

static gchar *
pad_name (const gchar * prefix, guint id)
{
  return g_strdup_printf ("%s_%u", prefix, id);
}

/* The session of transport @id, made with its rtpfunnel linked to
 * rtpbin's send_rtp_sink_<id> on first use. Called without the lock
 * (rtpbin calls our aux-element handlers while it makes the pads). */
static Session *
ensure_session (SecWebRTCMedia * media, guint id)
{
  Session *session;
  gchar *name;

  g_mutex_lock (&media->lock);
  session = g_hash_table_lookup (media->sessions, GUINT_TO_POINTER (id));
  if (session == NULL) {
    session = g_new0 (Session, 1);
    session->media = media;
    session->id = id;
    g_hash_table_insert (media->sessions, GUINT_TO_POINTER (id), session);
  }
  g_mutex_unlock (&media->lock);
  if (session->funnel == NULL) {
    name = pad_name ("rtpfunnel", id);
    session->funnel = gst_element_factory_make ("rtpfunnel", name);
    g_free (name);
    gst_bin_add (media->bin, session->funnel);
    gst_element_sync_state_with_parent (session->funnel);
  }
  {
    GstPad *src = gst_element_get_static_pad (session->funnel, "src");

    if (!gst_pad_is_linked (src)) {
      GstElement *rtp_session = NULL;

      name = pad_name ("send_rtp_sink", id);
      gst_element_link_pads (session->funnel, "src", media->rtpbin, name);
      g_free (name);
      /* no RFC 3550 probation: every packet passed SRTP authentication
       * with the verified peer's keys (see gstsecwebrtcbinstats.c, which
       * does the same for session 0 when it starts watching it) */
      g_signal_emit_by_name (media->rtpbin, "get-session", id, &rtp_session);
      if (rtp_session) {
        g_object_set (rtp_session, "probation", 0, NULL);
        gst_object_unref (rtp_session);
      }
    }
    gst_object_unref (src);
  }
  return session;
}

/* Unlinks rtpbin's pad @prefix_<id>, if it exists, and releases it
 * (@release: a request pad). */
static void
release_rtpbin_pad (SecWebRTCMedia * media, const gchar * prefix, guint id,
    gboolean release)
{
  gchar *name = pad_name (prefix, id);
  GstPad *pad = gst_element_get_static_pad (media->rtpbin, name);
  GstPad *peer;

  g_free (name);
  if (pad == NULL)
    return;
  peer = gst_pad_get_peer (pad);
  if (peer) {
    if (GST_PAD_IS_SRC (pad))
      gst_pad_unlink (pad, peer);
    else
      gst_pad_unlink (peer, pad);
    gst_object_unref (peer);
  }
  if (release)
    gst_element_release_request_pad (media->rtpbin, pad);
  gst_object_unref (pad);
}

static void
session_free (Session * session)
{
  gst_clear_object (&session->rtx_send);
  gst_clear_object (&session->rtx_receive);
  gst_clear_object (&session->receive_pad);
  g_free (session);
}

/* --- senders (continued) ------------------------------------------------- */

static void
sender_attach (Sender * sender, guint session_id)
{
  Session *session = ensure_session (sender->media, session_id);

  sender->session = session_id;
  sender->pad = gst_element_request_pad_simple (session->funnel, "sink_%u");
  sender->probe = gst_pad_add_probe (sender->pad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, sender_probe, sender, NULL);
}

/* Moves @sender to the rtpfunnel of session @session_id: the sink ghost
 * pad in front of it gets the new funnel pad as its target (its sticky
 * events follow with the next buffer), the old pad is released. */
static void
sender_move_session (Sender * sender, guint session_id)
{
  GstPad *old_pad = sender->pad, *peer, *ghost = NULL;
  gulong old_probe = sender->probe;
  GstElement *old_funnel = GST_ELEMENT (gst_pad_get_parent (old_pad));

  GST_INFO ("m-line %u moves from RTP session %u to %u", sender->mline,
      sender->session, session_id);
  peer = gst_pad_get_peer (old_pad);
  if (peer && GST_IS_PROXY_PAD (peer))
    ghost = GST_PAD (gst_proxy_pad_get_internal (GST_PROXY_PAD (peer)));
  g_mutex_lock (&sender->lock);
  sender_attach (sender, session_id);
  g_mutex_unlock (&sender->lock);
  if (ghost && GST_IS_GHOST_PAD (ghost))
    gst_ghost_pad_set_target (GST_GHOST_PAD (ghost), sender->pad);
  else if (peer)
    gst_pad_unlink (peer, old_pad);
  gst_pad_remove_probe (old_pad, old_probe);
  if (old_funnel) {
    gst_element_release_request_pad (old_funnel, old_pad);
    gst_object_unref (old_funnel);
  }
  gst_object_unref (old_pad);
  if (ghost)
    gst_object_unref (ghost);
  if (peer)
    gst_object_unref (peer);
}

GstPad *
sec_webrtc_media_add_sender (SecWebRTCMedia * media, guint mline,
    guint32 ssrc)
{
  Sender *sender = g_new0 (Sender, 1);

  sender->media = media;
  sender->mline = mline;
  sender->ssrc = ssrc;
  g_mutex_init (&sender->lock);
  /* on session 0 until negotiated (nothing passes before) */
  sender_attach (sender, 0);
  g_mutex_lock (&media->lock);
  g_hash_table_replace (media->senders, GUINT_TO_POINTER (mline), sender);
  g_mutex_unlock (&media->lock);
  return sender->pad;
}

void
sec_webrtc_media_remove_sender (SecWebRTCMedia * media, guint mline)
{
  g_mutex_lock (&media->lock);
  g_hash_table_remove (media->senders, GUINT_TO_POINTER (mline));
  g_mutex_unlock (&media->lock);
}

typedef struct
{
  GstPad *pad;
  GstCaps *caps;
} ResendCaps;

static void
resend_caps_free (ResendCaps * resend)
{
  gst_object_unref (resend->pad);
  gst_caps_unref (resend->caps);
  g_free (resend);
}

static void
resend_caps (GstElement * element, gpointer user_data)
{
  ResendCaps *resend = user_data;

  (void) element;
  gst_pad_send_event (resend->pad, gst_event_new_caps (resend->caps));
}

void
sec_webrtc_media_move_sender (SecWebRTCMedia * media, guint from, guint to,
    guint32 ssrc)
{
  Sender *sender;

  g_mutex_lock (&media->lock);
  if (g_hash_table_steal_extended (media->senders, GUINT_TO_POINTER (from),
          NULL, (gpointer *) & sender)) {
    g_mutex_lock (&sender->lock);
    sender->mline = to;
    sender->ssrc = ssrc;
    g_mutex_unlock (&sender->lock);
    g_hash_table_replace (media->senders, GUINT_TO_POINTER (to), sender);
  }
  g_mutex_unlock (&media->lock);
}

void
sec_webrtc_media_set_sender (SecWebRTCMedia * media, guint mline,
    guint session, gboolean send, guint pt, guint32 ssrc, const gchar * mid,
    guint8 mid_ext_id)
{
  Sender *sender;
  GstCaps *caps = NULL;
  GstPad *pad = NULL;

  g_mutex_lock (&media->lock);
  sender = g_hash_table_lookup (media->senders, GUINT_TO_POINTER (mline));
  if (sender == NULL) {
    g_mutex_unlock (&media->lock);
    return;
  }
  if (send && sender->session != session) {
    /* the sender stays in the table: only the bin's negotiation code
     * (holding its lock) adds, moves and removes senders */
    g_mutex_unlock (&media->lock);
    sender_move_session (sender, session);
    g_mutex_lock (&media->lock);
  }
  g_mutex_lock (&sender->lock);
  /* the payload type in the caps changes only with the negotiation */
  if (sender->caps && send && (!sender->send || sender->pt != pt))
    caps = gst_caps_ref (sender->caps);
  sender->send = send;
  sender->pt = pt;
  sender->ssrc = ssrc;
  g_free (sender->mid);
  sender->mid = g_strdup (mid);
  sender->mid_ext_id = mid_ext_id;
  /* caps go in where the application's stream comes in, the sink ghost
   * pad, behind the sticky events a moved sender's new funnel pad has
   * not had yet */
  {
    GstPad *peer = gst_pad_get_peer (sender->pad);

    if (peer && GST_IS_PROXY_PAD (peer))
      pad = GST_PAD (gst_proxy_pad_get_internal (GST_PROXY_PAD (peer)));
    if (pad == NULL)
      pad = gst_object_ref (sender->pad);
    if (peer)
      gst_object_unref (peer);
  }
  g_mutex_unlock (&sender->lock);
  g_mutex_unlock (&media->lock);
  GST_INFO ("m-line %u: %s, payload type %u, SSRC %08x, mid %s, RTP "
      "session %u", mline, send ? "sends" : "does not send", pt, ssrc,
      GST_STR_NULL (mid), session);
  if (caps) {
    /* the application's caps again: the probe rewrites them with the
     * negotiated payload type. Sent from another thread: the caller holds
     * the bin's lock, and the sender's streaming thread may be in the
     * pad (whose stream lock a serialized event waits for). */
    ResendCaps *resend = g_new0 (ResendCaps, 1);

    resend->pad = gst_object_ref (pad);
    resend->caps = caps;
    gst_element_call_async (GST_ELEMENT (media->bin), resend_caps, resend,
        (GDestroyNotify) resend_caps_free);
  }
  gst_object_unref (pad);
}

GstCaps *
sec_webrtc_media_get_sender_caps (SecWebRTCMedia * media, guint mline)
{
  Sender *sender;
  GstCaps *caps = NULL;

  g_mutex_lock (&media->lock);
  sender = g_hash_table_lookup (media->senders, GUINT_TO_POINTER (mline));
  if (sender) {
    g_mutex_lock (&sender->lock);
    caps = sender->caps ? gst_caps_ref (sender->caps) : NULL;
    g_mutex_unlock (&sender->lock);
  }
  g_mutex_unlock (&media->lock);
  return caps;
}

gboolean
sec_webrtc_media_get_sender (SecWebRTCMedia * media, guint mline, guint * pt,
    guint32 * ssrc)
{
  Sender *sender;
  gboolean send = FALSE;

  g_mutex_lock (&media->lock);
  sender = g_hash_table_lookup (media->senders, GUINT_TO_POINTER (mline));
  if (sender) {
    g_mutex_lock (&sender->lock);
    send = sender->send;
    *pt = sender->pt;
    *ssrc = sender->ssrc;
    g_mutex_unlock (&sender->lock);
  }
  g_mutex_unlock (&media->lock);
  return send;
}

/* --- receiving ------------------------------------------------------------- */

void
sec_webrtc_media_set_receive_mid_ext (SecWebRTCMedia * media,
    guint8 mid_ext_id)
{
  g_mutex_lock (&media->lock);
  media->recv_mid_ext_id = mid_ext_id;
  g_mutex_unlock (&media->lock);
}

/* Learns which MID each received SSRC carries (RFC 8843 §9.2), from the
 * decrypted packets before rtpbin; a packet's MID is read only until its
 * SSRC is known. */
static void
learn_mid (SecWebRTCMedia * media, GstBuffer * buffer)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  gpointer data;
  guint size;
  guint32 ssrc;
  guint8 id;

  g_mutex_lock (&media->lock);
  id = media->recv_mid_ext_id;
  g_mutex_unlock (&media->lock);
  if (id == 0 || !gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp))
    return;
  ssrc = gst_rtp_buffer_get_ssrc (&rtp);
  g_mutex_lock (&media->lock);
  if (!g_hash_table_contains (media->ssrc_mid, GUINT_TO_POINTER (ssrc))
      && gst_rtp_buffer_get_extension_onebyte_header (&rtp, id, 0, &data,
          &size) && size > 0 && size <= 16) {
    gchar *mid = g_strndup (data, size);

    GST_DEBUG ("SSRC %08x carries mid %s", ssrc, mid);
    g_hash_table_insert (media->ssrc_mid, GUINT_TO_POINTER (ssrc), mid);
  }
  g_mutex_unlock (&media->lock);
  gst_rtp_buffer_unmap (&rtp);
}

static GstPadProbeReturn
receive_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  SecWebRTCMedia *media = user_data;

  (void) pad;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    learn_mid (media, GST_PAD_PROBE_INFO_BUFFER (info));
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);
    guint i;

    for (i = 0; i < gst_buffer_list_length (list); i++)
      learn_mid (media, gst_buffer_list_get (list, i));
  }
  return GST_PAD_PROBE_OK;
}

static GstCaps *
on_request_pt_map (GstElement * rtpbin, guint session, guint pt,
    SecWebRTCMedia * media)
{
  GstCaps *caps;

  (void) rtpbin;
  caps = media->callbacks.pt_caps (session, pt, media->user_data);
  GST_DEBUG ("session %u, payload type %u: %" GST_PTR_FORMAT, session, pt,
      caps);
  return caps;
}

static void
on_pad_added (GstElement * rtpbin, GstPad * pad, SecWebRTCMedia * media)
{
  guint session = 0, ssrc = 0, pt = 0;
  gchar *mid;

  (void) rtpbin;
  if (sscanf (GST_PAD_NAME (pad), "recv_rtp_src_%u_%u_%u", &session, &ssrc,
          &pt) != 3)
    return;
  g_mutex_lock (&media->lock);
  mid = g_strdup (g_hash_table_lookup (media->ssrc_mid,
          GUINT_TO_POINTER (ssrc)));
  g_mutex_unlock (&media->lock);
  media->callbacks.new_stream (pad, session, ssrc, pt, mid,
      media->user_data);
  g_free (mid);
}

/* --- retransmission (RFC 4588) ------------------------------------------- */

/* An aux element for rtpbin: @factory in a bin whose pads carry the
 * session number, as rtpbin asks. */
static GstElement *
aux_bin (const gchar * factory, guint session, GstElement ** inner)
{
  GstElement *bin = gst_bin_new (NULL);
  GstElement *element = gst_element_factory_make (factory, NULL);
  gchar *name;
  GstPad *pad;

  if (element == NULL) {
    gst_object_unref (bin);
    return NULL;
  }
  gst_bin_add (GST_BIN (bin), element);
  name = g_strdup_printf ("sink_%u", session);
  pad = gst_element_get_static_pad (element, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new (name, pad));
  gst_object_unref (pad);
  g_free (name);
  name = g_strdup_printf ("src_%u", session);
  pad = gst_element_get_static_pad (element, "src");
  gst_element_add_pad (bin, gst_ghost_pad_new (name, pad));
  gst_object_unref (pad);
  g_free (name);
  *inner = gst_object_ref (element);
  return bin;
}

/* rtpbin asks when a send or receive pad of the session is requested,
 * before any negotiation: the maps are filled in later (set_rtx). */
/* The aux element of session @id in @slot, made once per session. */
static GstElement *
session_aux (SecWebRTCMedia * media, guint id, gboolean send)
{
  GstElement *aux = NULL, *inner = NULL;
  Session *session;

  g_mutex_lock (&media->lock);
  session = g_hash_table_lookup (media->sessions, GUINT_TO_POINTER (id));
  if (session && (send ? session->rtx_send : session->rtx_receive) == NULL) {
    aux = aux_bin (send ? "rtprtxsend" : "rtprtxreceive", id, &inner);
    if (send)
      session->rtx_send = inner;
    else
      session->rtx_receive = inner;
  }
  g_mutex_unlock (&media->lock);
  return aux;
}

static GstElement *
on_request_aux_sender (GstElement * rtpbin, guint session,
    SecWebRTCMedia * media)
{
  (void) rtpbin;
  return session_aux (media, session, TRUE);
}

static GstElement *
on_request_aux_receiver (GstElement * rtpbin, guint session,
    SecWebRTCMedia * media)
{
  (void) rtpbin;
  return session_aux (media, session, FALSE);
}

void
sec_webrtc_media_set_rtx (SecWebRTCMedia * media, guint session_id,
    const GstStructure * send_pt_map, const GstStructure * send_ssrc_map,
    const GstStructure * receive_pt_map, gboolean nack)
{
  GstElement *rtx_send = NULL, *rtx_receive = NULL;
  Session *session;

  g_mutex_lock (&media->lock);
  session = g_hash_table_lookup (media->sessions,
      GUINT_TO_POINTER (session_id));
  if (session && session->rtx_send)
    rtx_send = gst_object_ref (session->rtx_send);
  if (session && session->rtx_receive)
    rtx_receive = gst_object_ref (session->rtx_receive);
  g_mutex_unlock (&media->lock);
  if (rtx_send) {
    g_object_set (rtx_send, "payload-type-map", send_pt_map,
        "ssrc-map", send_ssrc_map, NULL);
    gst_object_unref (rtx_send);
  }
  if (rtx_receive) {
    g_object_set (rtx_receive, "payload-type-map", receive_pt_map, NULL);
    gst_object_unref (rtx_receive);
  }
  /* the jitter buffers of streams that arrive from now on ask for lost
   * packets (rtpsession sends them as NACK, RFC 4585) */
  g_object_set (media->rtpbin, "do-retransmission", nack, NULL);
}

/* --- construction ------------------------------------------------------- */

SecWebRTCMedia *
sec_webrtc_media_new (GstBin * bin, const SecWebRTCMediaCallbacks * callbacks,
    gpointer user_data, GError ** error)
{
  static gsize debug_once = 0;
  SecWebRTCMedia *media;
  GstElement *funnel;

  if (g_once_init_enter (&debug_once)) {
    GST_DEBUG_CATEGORY_INIT (sec_webrtc_media_debug, "secwebrtcmedia", 0,
        "secwebrtcbin's RTP side");
    g_once_init_leave (&debug_once, 1);
  }
  media = g_new0 (SecWebRTCMedia, 1);
  media->bin = bin;
  media->callbacks = *callbacks;
  media->user_data = user_data;
  g_mutex_init (&media->lock);
  media->sessions = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) session_free);
  media->senders = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) sender_free);
  media->ssrc_mid = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  media->rtpbin = gst_element_factory_make ("rtpbin", "rtpbin");
  funnel = gst_element_factory_make ("rtpfunnel", NULL);
  if (media->rtpbin == NULL || funnel == NULL) {
    g_set_error_literal (error, GST_CORE_ERROR,
        GST_CORE_ERROR_MISSING_PLUGIN, "secwebrtcbin needs rtpbin and "
        "rtpfunnel (gst-plugins-good's rtpmanager)");
    if (media->rtpbin)
      gst_object_unref (gst_object_ref_sink (media->rtpbin));
    media->rtpbin = NULL;
    sec_webrtc_media_free (media);
    if (funnel)
      gst_object_unref (gst_object_ref_sink (funnel));
    return NULL;
  }
  gst_object_unref (gst_object_ref_sink (funnel));
  /* RTP/AVPF timing (RFC 4585): feedback (PLI, FIR, NACK) goes out at
   * once instead of with the next regular report; SRTP is done outside
   * rtpbin (the transport), so not SAVPF */
  gst_util_set_object_arg (G_OBJECT (media->rtpbin), "rtp-profile", "avpf");
  gst_bin_add (bin, media->rtpbin);
  g_signal_connect (media->rtpbin, "request-pt-map",
      G_CALLBACK (on_request_pt_map), media);
  g_signal_connect (media->rtpbin, "pad-added", G_CALLBACK (on_pad_added),
      media);
  g_signal_connect (media->rtpbin, "request-aux-sender",
      G_CALLBACK (on_request_aux_sender), media);
  g_signal_connect (media->rtpbin, "request-aux-receiver",
      G_CALLBACK (on_request_aux_receiver), media);
  /* session 0: the BUNDLE transport of max-bundle */
  ensure_session (media, 0);
  return media;
}

void
sec_webrtc_media_free (SecWebRTCMedia * media)
{
  if (media == NULL)
    return;
  g_hash_table_unref (media->senders);
  g_hash_table_unref (media->ssrc_mid);
  g_hash_table_unref (media->sessions);
  g_mutex_clear (&media->lock);
  g_free (media);
}

GstElement *
sec_webrtc_media_get_rtpbin (SecWebRTCMedia * media)
{
  return media->rtpbin;
}

void
sec_webrtc_media_set_latency (SecWebRTCMedia * media, guint latency_ms)
{
  g_object_set (media->rtpbin, "latency", latency_ms, NULL);
}

static gboolean
link_rtpbin (SecWebRTCMedia * media, GstElement * src, const gchar * src_pad,
    const gchar * src_prefix, GstElement * sink, const gchar * sink_pad,
    const gchar * sink_prefix, guint id)
{
  gchar *name = pad_name (src_prefix ? src_prefix : sink_prefix, id);
  gboolean ok = gst_element_link_pads (src, src_prefix ? name : src_pad,
      sink, sink_prefix ? name : sink_pad);

  (void) media;
  g_free (name);
  return ok;
}

gboolean
sec_webrtc_media_link_transport (SecWebRTCMedia * media, guint id,
    GstElement * transport, GstElement * send, GError ** error)
{
  Session *session = ensure_session (media, id);
  GstPad *recv;

  if (!link_rtpbin (media, media->rtpbin, NULL, "send_rtp_src", send,
          "rtp_sink", NULL, id)
      || !link_rtpbin (media, media->rtpbin, NULL, "send_rtcp_src", send,
          "rtcp_sink", NULL, id)
      || !link_rtpbin (media, transport, "rtp_src", NULL, media->rtpbin,
          NULL, "recv_rtp_sink", id)
      || !link_rtpbin (media, transport, "rtcp_src", NULL, media->rtpbin,
          NULL, "recv_rtcp_sink", id)) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
        "cannot link rtpbin's session %u to the transport", id);
    return FALSE;
  }
  recv = gst_element_get_static_pad (transport, "rtp_src");
  session->receive_probe = gst_pad_add_probe (recv,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
      receive_probe, media, NULL);
  gst_clear_object (&session->receive_pad);
  session->receive_pad = recv;
  return TRUE;
}

void
sec_webrtc_media_unlink_transport (SecWebRTCMedia * media, guint id)
{
  Session *session;
  gboolean senders = FALSE;
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&media->lock);
  session = g_hash_table_lookup (media->sessions, GUINT_TO_POINTER (id));
  g_hash_table_iter_init (&iter, media->senders);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    senders |= ((Sender *) value)->session == id;
  g_mutex_unlock (&media->lock);
  if (session == NULL)
    return;
  if (session->receive_pad && session->receive_probe)
    gst_pad_remove_probe (session->receive_pad, session->receive_probe);
  session->receive_probe = 0;
  gst_clear_object (&session->receive_pad);
  /* session 0 stays (get-stats watches its rtpsession from the start;
   * a transport 0 made again, after a rollback, links to it), and so
   * does a session with senders on it: only unlinked (rtpbin cannot give
   * a session its receiving pads again once released) */
  if (!senders && id != 0) {
    /* rtpbin frees the session with its last request pad */
    release_rtpbin_pad (media, "recv_rtp_sink", id, TRUE);
    release_rtpbin_pad (media, "recv_rtcp_sink", id, TRUE);
    release_rtpbin_pad (media, "send_rtcp_src", id, TRUE);
    release_rtpbin_pad (media, "send_rtp_sink", id, TRUE);
    gst_object_ref (session->funnel);
    gst_bin_remove (media->bin, session->funnel);
    gst_element_set_state (session->funnel, GST_STATE_NULL);
    gst_object_unref (session->funnel);
    g_mutex_lock (&media->lock);
    g_hash_table_remove (media->sessions, GUINT_TO_POINTER (id));
    g_mutex_unlock (&media->lock);
  } else {
    release_rtpbin_pad (media, "recv_rtp_sink", id, FALSE);
    release_rtpbin_pad (media, "recv_rtcp_sink", id, FALSE);
    release_rtpbin_pad (media, "send_rtcp_src", id, FALSE);
    release_rtpbin_pad (media, "send_rtp_src", id, FALSE);
  }
}
