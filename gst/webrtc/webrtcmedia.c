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

#define SESSION 0               /* the one RTP session (BUNDLE) */

/* One sender: what its packets become. */
typedef struct
{
  SecWebRTCMedia *media;
  guint mline;
  GstPad *pad;                  /* rtpfunnel's request pad */
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

struct _SecWebRTCMedia
{
  GstBin *bin;                  /* no reference: it owns us */
  GstElement *rtpbin;
  GstElement *funnel;
  GstElement *rtx_send;         /* RFC 4588, in rtpbin before the session */
  GstElement *rtx_receive;      /* in rtpbin after the session */
  SecWebRTCMediaCallbacks callbacks;
  gpointer user_data;

  GMutex lock;
  /* protected by lock */
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

GstPad *
sec_webrtc_media_add_sender (SecWebRTCMedia * media, guint mline,
    guint32 ssrc)
{
  Sender *sender = g_new0 (Sender, 1);

  sender->media = media;
  sender->mline = mline;
  sender->ssrc = ssrc;
  g_mutex_init (&sender->lock);
  sender->pad = gst_element_request_pad_simple (media->funnel, "sink_%u");
  sender->probe = gst_pad_add_probe (sender->pad,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, sender_probe, sender, NULL);
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
    gboolean send, guint pt, guint32 ssrc, const gchar * mid,
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
  g_mutex_unlock (&sender->lock);
  pad = gst_object_ref (sender->pad);
  g_mutex_unlock (&media->lock);
  GST_INFO ("m-line %u: %s, payload type %u, SSRC %08x, mid %s", mline,
      send ? "sends" : "does not send", pt, ssrc, GST_STR_NULL (mid));
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
  (void) session;
  caps = media->callbacks.pt_caps (pt, media->user_data);
  GST_DEBUG ("payload type %u: %" GST_PTR_FORMAT, pt, caps);
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
  media->callbacks.new_stream (pad, ssrc, pt, mid, media->user_data);
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
static GstElement *
on_request_aux_sender (GstElement * rtpbin, guint session,
    SecWebRTCMedia * media)
{
  (void) rtpbin;
  if (media->rtx_send)
    return NULL;
  return aux_bin ("rtprtxsend", session, &media->rtx_send);
}

static GstElement *
on_request_aux_receiver (GstElement * rtpbin, guint session,
    SecWebRTCMedia * media)
{
  (void) rtpbin;
  if (media->rtx_receive)
    return NULL;
  return aux_bin ("rtprtxreceive", session, &media->rtx_receive);
}

void
sec_webrtc_media_set_rtx (SecWebRTCMedia * media,
    const GstStructure * send_pt_map, const GstStructure * send_ssrc_map,
    const GstStructure * receive_pt_map, gboolean nack)
{
  if (media->rtx_send)
    g_object_set (media->rtx_send, "payload-type-map", send_pt_map,
        "ssrc-map", send_ssrc_map, NULL);
  if (media->rtx_receive)
    g_object_set (media->rtx_receive, "payload-type-map", receive_pt_map,
        NULL);
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
  GstPad *sink;

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
  media->senders = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) sender_free);
  media->ssrc_mid = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  media->rtpbin = gst_element_factory_make ("rtpbin", "rtpbin");
  media->funnel = gst_element_factory_make ("rtpfunnel", "rtpfunnel");
  if (media->rtpbin == NULL || media->funnel == NULL) {
    g_set_error_literal (error, GST_CORE_ERROR,
        GST_CORE_ERROR_MISSING_PLUGIN, "secwebrtcbin needs rtpbin and "
        "rtpfunnel (gst-plugins-good's rtpmanager)");
    if (media->rtpbin)
      gst_object_unref (gst_object_ref_sink (media->rtpbin));
    if (media->funnel)
      gst_object_unref (gst_object_ref_sink (media->funnel));
    media->rtpbin = media->funnel = NULL;
    sec_webrtc_media_free (media);
    return NULL;
  }
  /* RTP/AVPF timing (RFC 4585): feedback (PLI, FIR, NACK) goes out at
   * once instead of with the next regular report; SRTP is done outside
   * rtpbin (the transport), so not SAVPF */
  gst_util_set_object_arg (G_OBJECT (media->rtpbin), "rtp-profile", "avpf");
  gst_bin_add_many (bin, media->rtpbin, media->funnel, NULL);
  g_signal_connect (media->rtpbin, "request-pt-map",
      G_CALLBACK (on_request_pt_map), media);
  g_signal_connect (media->rtpbin, "pad-added", G_CALLBACK (on_pad_added),
      media);
  g_signal_connect (media->rtpbin, "request-aux-sender",
      G_CALLBACK (on_request_aux_sender), media);
  g_signal_connect (media->rtpbin, "request-aux-receiver",
      G_CALLBACK (on_request_aux_receiver), media);
  sink = gst_element_request_pad_simple (media->rtpbin, "send_rtp_sink_0");
  gst_element_link_pads (media->funnel, "src", media->rtpbin,
      "send_rtp_sink_0");
  gst_object_unref (sink);
  return media;
}

void
sec_webrtc_media_free (SecWebRTCMedia * media)
{
  if (media == NULL)
    return;
  g_hash_table_unref (media->senders);
  g_hash_table_unref (media->ssrc_mid);
  gst_clear_object (&media->rtx_send);
  gst_clear_object (&media->rtx_receive);
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

gboolean
sec_webrtc_media_link_transport (SecWebRTCMedia * media,
    GstElement * transport, GstElement * send, GError ** error)
{
  GstPad *recv;

  if (!gst_element_link_pads (media->rtpbin, "send_rtp_src_0", send,
          "rtp_sink")
      || !gst_element_link_pads (media->rtpbin, "send_rtcp_src_0", send,
          "rtcp_sink")
      || !gst_element_link_pads (transport, "rtp_src", media->rtpbin,
          "recv_rtp_sink_0")
      || !gst_element_link_pads (transport, "rtcp_src", media->rtpbin,
          "recv_rtcp_sink_0")) {
    g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
        "cannot link rtpbin to the transport");
    return FALSE;
  }
  recv = gst_element_get_static_pad (transport, "rtp_src");
  gst_pad_add_probe (recv, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, receive_probe, media, NULL);
  gst_object_unref (recv);
  return TRUE;
}
