/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecWebRTCSession: see session.h. JSEP is RFC 8829 (RFC 9429); the
 * references below are to its sections.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "session.h"
#include "session-private.h"

#include <gst/sdp/sdp.h>
#include <string.h>

GST_DEBUG_CATEGORY (sec_webrtc_session_debug);
#define GST_CAT_DEFAULT sec_webrtc_session_debug

#define MID_EXTENSION_ID 1      /* ours, in offers */
#define RTP_PROFILE "UDP/TLS/RTP/SAVPF"
/* RFC 8841 §4.1: what JSEP (RFC 8829 §5.2.1) and browsers offer */
#define DATA_PROFILE "UDP/DTLS/SCTP"
#define DATA_FORMAT "webrtc-datachannel"
#define SEC_WEBRTC_SCTP_PORT 5000
#define SEC_WEBRTC_MAX_MESSAGE_SIZE 262144
/* RFC 8841 §6.1: a peer that says nothing takes 64 KiB */
#define DEFAULT_REMOTE_MAX_MESSAGE_SIZE 65536

G_DEFINE_QUARK (sec-webrtc-session-error-quark, sec_webrtc_session_error);

/* --- helpers ------------------------------------------------------------- */


static gchar *
random_token (guint len)
{
  static const gchar chars[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  gchar *s = g_malloc (len + 1);
  guint i;

  for (i = 0; i < len; i++)
    s[i] = chars[g_random_int_range (0, sizeof (chars) - 1)];
  s[len] = '\0';
  return s;
}

static guint32
random_ssrc (SecWebRTCSession * session)
{
  guint32 ssrc;
  gboolean used;

  do {
    guint i;

    ssrc = g_random_int ();
    used = ssrc == 0;
    for (i = 0; i < session->transceivers->len && !used; i++)
      used = tr (session, i)->public.ssrc == ssrc
          || tr (session, i)->public.rtx_ssrc == ssrc;
  } while (used);
  return ssrc;
}

static void
codecs_replace (GPtrArray ** slot, GPtrArray * codecs)
{
  if (*slot)
    g_ptr_array_unref (*slot);
  *slot = codecs;
}

static gboolean
direction_sends (SecWebRTCDirection direction)
{
  return direction == SEC_SDP_DIRECTION_SENDRECV
      || direction == SEC_SDP_DIRECTION_SENDONLY;
}

static gboolean
direction_receives (SecWebRTCDirection direction)
{
  return direction == SEC_SDP_DIRECTION_SENDRECV
      || direction == SEC_SDP_DIRECTION_RECVONLY;
}

static SecWebRTCDirection
direction_from (gboolean send, gboolean recv)
{
  if (send && recv)
    return SEC_SDP_DIRECTION_SENDRECV;
  if (send)
    return SEC_SDP_DIRECTION_SENDONLY;
  if (recv)
    return SEC_SDP_DIRECTION_RECVONLY;
  return SEC_SDP_DIRECTION_INACTIVE;
}

static const gchar *
direction_name (SecWebRTCDirection direction)
{
  switch (direction) {
    case SEC_SDP_DIRECTION_SENDRECV:
      return "sendrecv";
    case SEC_SDP_DIRECTION_SENDONLY:
      return "sendonly";
    case SEC_SDP_DIRECTION_RECVONLY:
      return "recvonly";
    case SEC_SDP_DIRECTION_INACTIVE:
      break;
  }
  return "inactive";
}

/* RFC 3264 §6.1: the answer's direction from what we want and what the
 * offer (the peer's view) allows. */
static SecWebRTCDirection
answer_direction (SecWebRTCDirection wanted, SecSdpDirection offered)
{
  return direction_from (direction_sends (wanted)
      && direction_receives (offered), direction_receives (wanted)
      && direction_sends (offered));
}

/* --- life cycle ---------------------------------------------------------- */

static void
transceiver_free (Transceiver * t)
{
  g_free (t->public.mid);
  g_free (t->public.media);
  if (t->public.caps)
    gst_caps_unref (t->public.caps);
  g_free (t->public.msid_stream);
  g_free (t->public.msid_track);
  codecs_replace (&t->public.local_codecs, NULL);
  codecs_replace (&t->public.negotiated, NULL);
  g_free (t->public.remote_ssrcs);
  codecs_replace (&t->created_codecs, NULL);
  codecs_replace (&t->pending_codecs, NULL);
  g_free (t);
}



SecWebRTCSession *
sec_webrtc_session_new (void)
{
  static gsize debug_once = 0;
  SecWebRTCSession *session = g_new0 (SecWebRTCSession, 1);

  if (g_once_init_enter (&debug_once)) {
    GST_DEBUG_CATEGORY_INIT (sec_webrtc_session_debug, "secwebrtcsession",
        0, "secwebrtcbin's negotiation");
    g_once_init_leave (&debug_once, 1);
  }
  sec_jsep_init (&session->jsep);
  session->transceivers =
      g_ptr_array_new_with_free_func ((GDestroyNotify) transceiver_free);
  session->space = sec_webrtc_payload_space_new ();
  /* RFC 8829 §5.2.1: a 64-bit id whose top bit is 0 */
  session->session_id = (((guint64) g_random_int () << 32)
      | g_random_int ()) & G_GUINT64_CONSTANT (0x7fffffffffffffff);
  session->cname = random_token (16);
  session->msid_stream = random_token (20);
  session->bundle_transport = -1;
  session->sctp_port = SEC_WEBRTC_SCTP_PORT;
  session->max_message_size = SEC_WEBRTC_MAX_MESSAGE_SIZE;
  return session;
}

void
sec_webrtc_session_free (SecWebRTCSession * session)
{
  if (session == NULL)
    return;
  g_ptr_array_unref (session->transceivers);
  sec_webrtc_payload_space_free (session->space);
  g_free (session->cname);
  g_free (session->msid_stream);
  g_free (session->created_sdp);
  g_free (session->local_sdp);
  g_free (session->remote_sdp);
  g_free (session->pending_local_sdp);
  g_free (session->pending_remote_sdp);
  sec_sdp_description_free (session->remote);
  sec_sdp_description_free (session->pending_remote);
  g_free (session);
}

void
sec_webrtc_session_set_balanced (SecWebRTCSession * session,
    gboolean balanced)
{
  session->balanced = balanced;
}

SecJsepState
sec_webrtc_session_get_signaling_state (const SecWebRTCSession * session)
{
  return session->jsep.state;
}

guint
sec_webrtc_session_get_n_transceivers (const SecWebRTCSession * session)
{
  return session->transceivers->len;
}

SecWebRTCTransceiver *
sec_webrtc_session_get_transceiver (SecWebRTCSession * session, guint mline)
{
  if (mline >= session->transceivers->len)
    return NULL;
  return &tr (session, mline)->public;
}

SecWebRTCTransceiver *
sec_webrtc_session_find_mid (SecWebRTCSession * session, const gchar * mid)
{
  guint i;

  for (i = 0; mid && i < session->transceivers->len; i++)
    if (g_strcmp0 (tr (session, i)->public.mid, mid) == 0)
      return &tr (session, i)->public;
  return NULL;
}

static gchar *
media_of_caps (const GstCaps * caps)
{
  const GstStructure *s;
  const gchar *media;

  if (caps == NULL || gst_caps_get_size (caps) == 0)
    return NULL;
  s = gst_caps_get_structure (caps, 0);
  media = gst_structure_get_string (s, "media");
  if (media)
    return g_ascii_strdown (media, -1);
  return NULL;
}

static Transceiver *
transceiver_new (SecWebRTCSession * session, const gchar * media,
    SecWebRTCDirection direction)
{
  Transceiver *t = g_new0 (Transceiver, 1);

  t->public.mline = session->transceivers->len;
  t->public.media = g_ascii_strdown (media, -1);
  t->public.direction = direction;
  t->public.ssrc = random_ssrc (session);
  t->public.rtx_ssrc = random_ssrc (session);
  t->public.msid_stream = g_strdup (session->msid_stream);
  t->public.msid_track = random_token (20);
  t->negotiated_direction = SEC_SDP_DIRECTION_INACTIVE;
  t->public.transport = -1;
  t->created_transport = -1;
  t->pending_transport = -1;
  g_ptr_array_add (session->transceivers, t);
  return t;
}

SecWebRTCTransceiver *
sec_webrtc_session_add_transceiver (SecWebRTCSession * session,
    const gchar * media, SecWebRTCDirection direction, const GstCaps * caps,
    GError ** error)
{
  gchar *caps_media = media_of_caps (caps);
  Transceiver *t;
  GPtrArray *codecs;

  if (media == NULL)
    media = caps_media;
  if (media == NULL || (g_ascii_strcasecmp (media, "audio") != 0
          && g_ascii_strcasecmp (media, "video") != 0)) {
    g_set_error (error, SEC_WEBRTC_SESSION_ERROR,
        SEC_WEBRTC_SESSION_ERROR_INVALID,
        "a transceiver needs caps with media=audio or media=video "
        "(application/x-rtp with media, encoding-name and clock-rate)");
    g_free (caps_media);
    return NULL;
  }
  if (caps && !gst_caps_is_any (caps)) {
    /* refused now rather than at the offer */
    codecs = sec_webrtc_codecs_from_caps (caps, error);
    if (codecs == NULL) {
      g_free (caps_media);
      return NULL;
    }
    g_ptr_array_unref (codecs);
  }
  t = transceiver_new (session, media, direction);
  if (caps && !gst_caps_is_any (caps))
    t->public.caps = gst_caps_copy (caps);
  g_free (caps_media);
  return &t->public;
}

SecWebRTCTransceiver *
sec_webrtc_session_get_data (SecWebRTCSession * session)
{
  guint i;

  for (i = 0; i < session->transceivers->len; i++)
    if (tr (session, i)->public.data)
      return &tr (session, i)->public;
  return NULL;
}

SecWebRTCTransceiver *
sec_webrtc_session_add_data (SecWebRTCSession * session)
{
  SecWebRTCTransceiver *data = sec_webrtc_session_get_data (session);
  Transceiver *t;

  if (data)
    return data;
  t = transceiver_new (session, "application", SEC_SDP_DIRECTION_SENDRECV);
  t->public.data = TRUE;
  return &t->public;
}

void
sec_webrtc_session_set_sctp (SecWebRTCSession * session, guint port,
    guint64 max_message_size)
{
  session->sctp_port = port;
  session->max_message_size = max_message_size;
}

gboolean
sec_webrtc_session_set_transceiver_caps (SecWebRTCSession * session,
    SecWebRTCTransceiver * transceiver, const GstCaps * caps, GError ** error)
{
  GPtrArray *codecs = sec_webrtc_codecs_from_caps (caps, error);
  GstCaps *copy;

  (void) session;
  if (codecs == NULL)
    return FALSE;
  g_ptr_array_unref (codecs);
  /* the fields a payloader adds per stream say nothing about the codec */
  copy = gst_caps_copy (caps);
  gst_structure_remove_fields (gst_caps_get_structure (copy, 0), "ssrc",
      "timestamp-offset", "seqnum-offset", "payload", NULL);
  gst_caps_replace (&transceiver->caps, copy);
  gst_caps_unref (copy);
  return TRUE;
}

/* --- our descriptions ---------------------------------------------------- */

static void
add_attribute (GstSDPMedia * media, const gchar * key, const gchar * value)
{
  gst_sdp_media_add_attribute (media, key, value);
}

static void
add_transport (GstSDPMedia * media, const SecWebRTCLocalTransport * transport,
    const gchar * setup)
{
  gchar *fingerprint = g_strdup (transport->fingerprint);

  add_attribute (media, "ice-ufrag", transport->ice_ufrag);
  add_attribute (media, "ice-pwd", transport->ice_pwd);
  add_attribute (media, "ice-options", "trickle");
  add_attribute (media, "fingerprint", fingerprint);
  add_attribute (media, "setup", setup);
  g_free (fingerprint);
}

static void
add_ssrcs (SecWebRTCSession * session, GstSDPMedia * media,
    const SecWebRTCTransceiver * t, gboolean rtx)
{
  gchar *value;

  if (rtx) {
    value = g_strdup_printf ("FID %u %u", t->ssrc, t->rtx_ssrc);
    add_attribute (media, "ssrc-group", value);
    g_free (value);
  }
  value = g_strdup_printf ("%u cname:%s", t->ssrc, session->cname);
  add_attribute (media, "ssrc", value);
  g_free (value);
  value = g_strdup_printf ("%u msid:%s %s", t->ssrc, t->msid_stream,
      t->msid_track);
  add_attribute (media, "ssrc", value);
  g_free (value);
  if (rtx) {
    value = g_strdup_printf ("%u cname:%s", t->rtx_ssrc, session->cname);
    add_attribute (media, "ssrc", value);
    g_free (value);
    value = g_strdup_printf ("%u msid:%s %s", t->rtx_ssrc, t->msid_stream,
        t->msid_track);
    add_attribute (media, "ssrc", value);
    g_free (value);
  }
}

static gboolean
codecs_have_rtx (const GPtrArray * codecs)
{
  guint i;

  for (i = 0; codecs && i < codecs->len; i++)
    if (((SecWebRTCCodec *) g_ptr_array_index (codecs, i))->kind ==
        SEC_WEBRTC_CODEC_RTX)
      return TRUE;
  return FALSE;
}

/* An m-line's first lines: its kind, protocol and c= line, and
 * @formats when given (@fallback when they are empty). */
static GstSDPMedia *
media_begin (const gchar * kind, const gchar * protocol,
    const gchar * const *formats, const gchar * fallback)
{
  GstSDPMedia *media;
  guint i;

  gst_sdp_media_new (&media);
  gst_sdp_media_set_media (media, kind);
  gst_sdp_media_set_proto (media, protocol);
  gst_sdp_media_add_connection (media, "IN", "IP4", "0.0.0.0", 0, 0);
  for (i = 0; formats && formats[i]; i++)
    gst_sdp_media_add_format (media, formats[i]);
  if (fallback && gst_sdp_media_formats_len (media) == 0)
    gst_sdp_media_add_format (media, fallback);
  return media;
}

/* The rest of a rejected m-line (RFC 3264 §6: port 0, the m-line and its
 * mid kept). With @transport, its attributes too: not needed (RFC 8843
 * §7.3.3 asks only port 0 and no group), but webrtcbin 1.22 refuses an
 * m-line without a fingerprint, port 0 or not ("No fingerprint lines in
 * sdp for media 1"), and every peer ignores them on a rejected m-line. */
static GstSDPMedia *
media_end_rejected (GstSDPMedia * media, const SecWebRTCTransceiver * t,
    const SecWebRTCLocalTransport * transport, const gchar * setup)
{
  gst_sdp_media_set_port_info (media, 0, 1);
  if (t->mid)
    add_attribute (media, "mid", t->mid);
  if (transport)
    add_transport (media, transport, setup);
  return media;
}

/* An accepted m-line's port, transport and mid: @transport's, or with
 * @transport NULL bundle-only (RFC 8843 §6: port 0, on the tag's
 * transport, which it does not repeat). */
static void
media_add_transport (GstSDPMedia * media, const SecWebRTCTransceiver * t,
    const SecWebRTCLocalTransport * transport, const gchar * setup)
{
  if (transport) {
    gst_sdp_media_set_port_info (media, 9, 1);
    add_transport (media, transport, setup);
  } else {
    gst_sdp_media_set_port_info (media, 0, 1);
    add_attribute (media, "bundle-only", NULL);
  }
  add_attribute (media, "mid", t->mid);
}

/* One m-line of ours. @codecs NULL or @rejected: port 0, with
 * @rejected_formats (media_end_rejected ()). Otherwise on @transport, or
 * bundle-only when it is NULL (media_add_transport ()). */
static GstSDPMedia *
media_new (SecWebRTCSession * session, const SecWebRTCTransceiver * t,
    const SecWebRTCLocalTransport * transport, const gchar * setup,
    GPtrArray * codecs, SecWebRTCDirection direction, gboolean rejected,
    guint8 mid_ext_id, const gchar * const *rejected_formats)
{
  GstSDPMedia *media;
  gchar *value;

  if (rejected || codecs == NULL)
    return media_end_rejected (media_begin (t->media, RTP_PROFILE,
            rejected_formats, "0"), t, transport, setup);
  media = media_begin (t->media, RTP_PROFILE, NULL, NULL);
  media_add_transport (media, t, transport, setup);
  if (mid_ext_id) {
    value = g_strdup_printf ("%u %s", mid_ext_id,
        SEC_WEBRTC_MID_EXTENSION_URI);
    add_attribute (media, "extmap", value);
    g_free (value);
  }
  add_attribute (media, direction_name (direction), NULL);
  if (direction_sends (direction)) {
    value = g_strdup_printf ("%s %s", t->msid_stream, t->msid_track);
    add_attribute (media, "msid", value);
    g_free (value);
  }
  add_attribute (media, "rtcp-mux", NULL);
  add_attribute (media, "rtcp-rsize", NULL);
  sec_webrtc_codecs_to_sdp_media (codecs, media);
  if (direction_sends (direction))
    add_ssrcs (session, media, t, codecs_have_rtx (codecs));
  return media;
}

/* The data m-line (RFC 8841): like media_new, without RTP. @protocol and
 * @formats: a rejected m-line of the peer's, echoed (NULL: ours). */
static GstSDPMedia *
data_media_new (SecWebRTCSession * session, const SecWebRTCTransceiver * t,
    const SecWebRTCLocalTransport * transport, const gchar * setup,
    gboolean rejected, const gchar * protocol,
    const gchar * const *formats)
{
  GstSDPMedia *media = media_begin ("application",
      protocol ? protocol : DATA_PROFILE, formats, DATA_FORMAT);
  gchar *value;

  if (rejected)
    return media_end_rejected (media, t, transport, setup);
  media_add_transport (media, t, transport, setup);
  value = g_strdup_printf ("%u", session->sctp_port);
  add_attribute (media, "sctp-port", value);
  g_free (value);
  value = g_strdup_printf ("%" G_GUINT64_FORMAT, session->max_message_size);
  add_attribute (media, "max-message-size", value);
  g_free (value);
  return media;
}

/* The session part and BUNDLE group of a description; the m-lines are
 * added by the caller. */
static GstSDPMessage *
message_new (SecWebRTCSession * session)
{
  GstSDPMessage *msg;
  gchar *id = g_strdup_printf ("%" G_GUINT64_FORMAT, session->session_id);
  gchar *version = g_strdup_printf ("%" G_GUINT64_FORMAT,
      ++session->version);

  gst_sdp_message_new (&msg);
  gst_sdp_message_set_version (msg, "0");
  gst_sdp_message_set_origin (msg, "-", id, version, "IN", "IP4", "0.0.0.0");
  gst_sdp_message_set_session_name (msg, "-");
  gst_sdp_message_add_time (msg, "0", "0", NULL);
  g_free (id);
  g_free (version);
  return msg;
}

static gboolean
media_accepted (const GstSDPMedia * media)
{
  guint i;

  if (gst_sdp_media_get_port (media) != 0)
    return TRUE;
  /* a flag: its value is NULL either way */
  for (i = 0; i < gst_sdp_media_attributes_len (media); i++)
    if (g_strcmp0 (gst_sdp_media_get_attribute (media, i)->key,
            "bundle-only") == 0)
      return TRUE;
  return FALSE;
}

/* An offer: every m-line that is not rejected in one group (the first,
 * its tag, carries a transport). */
static void
add_bundle_group (GstSDPMessage * msg)
{
  GString *group = g_string_new ("BUNDLE");
  guint i;

  for (i = 0; i < gst_sdp_message_medias_len (msg); i++) {
    const GstSDPMedia *media = gst_sdp_message_get_media (msg, i);
    const gchar *mid = gst_sdp_media_get_attribute_val (media, "mid");

    if (media_accepted (media) && mid)
      g_string_append_printf (group, " %s", mid);
  }
  gst_sdp_message_add_attribute (msg, "group", group->str);
  g_string_free (group, TRUE);
}

/* An answer: the offer's groups with the m-lines we accept (RFC 8843
 * §7.3: never a group the offer did not have). */
static void
add_answer_bundle_groups (GstSDPMessage * msg, const SecSdpDescription * offer)
{
  guint i, k, j;

  for (i = 0; i < offer->bundle_groups->len; i++) {
    gchar **mids = g_ptr_array_index (offer->bundle_groups, i);
    GString *group = g_string_new ("BUNDLE");
    gboolean any = FALSE;

    for (k = 0; mids[k]; k++) {
      for (j = 0; j < gst_sdp_message_medias_len (msg); j++) {
        const GstSDPMedia *media = gst_sdp_message_get_media (msg, j);

        if (media_accepted (media) && g_strcmp0 (mids[k],
                gst_sdp_media_get_attribute_val (media, "mid")) == 0) {
          g_string_append_printf (group, " %s", mids[k]);
          any = TRUE;
        }
      }
    }
    if (any)
      gst_sdp_message_add_attribute (msg, "group", group->str);
    g_string_free (group, TRUE);
  }
}

static gchar *
next_free_mid (SecWebRTCSession * session)
{
  for (;;) {
    gchar *mid = g_strdup_printf ("%u", session->next_mid++);

    if (sec_webrtc_session_find_mid (session, mid) == NULL)
      return mid;
    g_free (mid);
  }
}

static void
set_created (SecWebRTCSession * session, gchar * sdp, SecJsepSdpType type)
{
  g_free (session->created_sdp);
  session->created_sdp = sdp;
  session->created_type = type;
}





/* The transport of the lowest id in @transports (what a rejected m-line
 * shows), NULL when there is none. */
static const SecWebRTCLocalTransport *
first_transport (GHashTable * transports)
{
  const SecWebRTCLocalTransport *first = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint lowest = G_MAXUINT;

  g_hash_table_iter_init (&iter, transports);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    if (GPOINTER_TO_UINT (key) < lowest) {
      lowest = GPOINTER_TO_UINT (key);
      first = value;
    }
  }
  return first;
}

gchar *
sec_webrtc_session_create_offer (SecWebRTCSession * session,
    GHashTable * transports, GError ** error)
{
  SecJsepTransition transition;
  GstSDPMessage *msg;
  gboolean any = FALSE, *bundle_only;
  gchar *sdp;
  guint i;

  if (!sec_jsep_check (&session->jsep, SEC_JSEP_OP_CREATE_OFFER,
          SEC_JSEP_SDP_NONE, &transition, error))
    return NULL;
  for (i = 0; i < session->transceivers->len; i++)
    any |= !tr (session, i)->public.stopped;
  if (!any) {
    g_set_error_literal (error, SEC_WEBRTC_SESSION_ERROR,
        SEC_WEBRTC_SESSION_ERROR_NO_MEDIA, "create-offer: there is nothing "
        "to offer; request a sink_%u pad or call add-transceiver first");
    return NULL;
  }

  bundle_only = g_new0 (gboolean, session->transceivers->len);
  g_array_unref (sec_session_assign_offer (session, bundle_only));
  msg = message_new (session);
  for (i = 0; i < session->transceivers->len; i++) {
    Transceiver *t = tr (session, i);
    const SecWebRTCLocalTransport *transport = NULL;
    GPtrArray *codecs = NULL;
    GstCaps *caps = NULL;

    if (t->public.mid == NULL)
      t->public.mid = next_free_mid (session);
    if (t->public.data) {
      GstSDPMedia *media;

      if (!t->public.stopped && !bundle_only[i] && (transport =
              sec_session_local_transport (transports,
                  t->created_transport, error)) == NULL) {
        gst_sdp_message_free (msg);
        g_free (bundle_only);
        return NULL;
      }
      media = data_media_new (session, &t->public, t->public.stopped ?
          first_transport (transports) : transport, "actpass",
          t->public.stopped, NULL, NULL);
      gst_sdp_message_add_media (msg, media);
      g_free (media);
      codecs_replace (&t->created_codecs, NULL);
      t->created_direction = SEC_SDP_DIRECTION_SENDRECV;
      t->created_rejected = t->public.stopped;
      continue;
    }
    if (!t->public.stopped) {
      caps = t->public.caps ? gst_caps_ref (t->public.caps) :
          sec_webrtc_codecs_default_caps (t->public.media);
      codecs = sec_webrtc_codecs_offer (caps, session->space, error);
      gst_caps_unref (caps);
      if (codecs == NULL) {
        g_prefix_error (error, "create-offer: m-line %u (%s): ", i,
            t->public.media);
        gst_sdp_message_free (msg);
        g_free (bundle_only);
        return NULL;
      }
      if (!bundle_only[i] && (transport =
              sec_session_local_transport (transports,
                  t->created_transport, error)) == NULL) {
        codecs_replace (&codecs, NULL);
        gst_sdp_message_free (msg);
        g_free (bundle_only);
        return NULL;
      }
    }
    {
      GstSDPMedia *media = media_new (session, &t->public,
          t->public.stopped ? first_transport (transports) : transport,
          "actpass", codecs, t->public.direction, t->public.stopped,
          MID_EXTENSION_ID, NULL);

      /* the message takes the contents, not the struct */
      gst_sdp_message_add_media (msg, media);
      g_free (media);
    }
    codecs_replace (&t->created_codecs, codecs);
    t->created_direction = t->public.direction;
    t->created_rejected = t->public.stopped;
  }
  g_free (bundle_only);
  add_bundle_group (msg);
  sdp = gst_sdp_message_as_text (msg);
  gst_sdp_message_free (msg);
  set_created (session, g_strdup (sdp), SEC_JSEP_SDP_OFFER);
  return sdp;
}

static guint8
remote_mid_ext_id (const SecSdpMedia * m)
{
  guint i;

  for (i = 0; m->extmaps && i < m->extmaps->len; i++) {
    const SecSdpExtmap *e = g_ptr_array_index (m->extmaps, i);

    if (g_strcmp0 (e->uri, SEC_WEBRTC_MID_EXTENSION_URI) == 0 && e->id <= 14)
      return e->id;
  }
  return 0;
}

static GPtrArray *
remote_codecs (const SecSdpMedia * m, GError ** error)
{
  GPtrArray *codecs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      sec_webrtc_codec_free);
  guint i;

  for (i = 0; m->payloads && i < m->payloads->len; i++) {
    const SecSdpPayload *p = g_ptr_array_index (m->payloads, i);
    GError *local = NULL;
    SecWebRTCCodec *codec = sec_webrtc_codec_parse (m->media, p->pt,
        p->rtpmap, p->fmtp, (const gchar * const *) p->rtcp_fb, &local);

    if (codec) {
      g_ptr_array_add (codecs, codec);
    } else if (g_error_matches (local, SEC_WEBRTC_CODEC_ERROR,
            SEC_WEBRTC_CODEC_ERROR_UNSUPPORTED)) {
      g_clear_error (&local);   /* a payload type without rtpmap */
    } else {
      g_propagate_prefixed_error (error, local, "m-line %u (mid %s): ",
          m->index, m->mid);
      g_ptr_array_unref (codecs);
      return NULL;
    }
  }
  return codecs;
}







gchar *
sec_webrtc_session_create_answer (SecWebRTCSession * session,
    GHashTable * transports, GError ** error)
{
  SecJsepTransition transition;
  const SecSdpDescription *offer = session->pending_remote;
  const gchar *setup;
  GstSDPMessage *msg;
  gchar *sdp;
  guint i;

  if (!sec_jsep_check (&session->jsep, SEC_JSEP_OP_CREATE_ANSWER,
          SEC_JSEP_SDP_NONE, &transition, error))
    return NULL;
  g_return_val_if_fail (offer != NULL, NULL);
  /* RFC 8842 §5.5: an answer on a running DTLS association keeps its
   * roles; the first answer makes us the client (§5.3) */
  setup = session->local_sdp && !session->dtls_client ? "passive" : "active";

  msg = message_new (session);
  for (i = 0; i < offer->media->len; i++) {
    const SecSdpMedia *m = g_ptr_array_index (offer->media, i);
    Transceiver *t = tr (session, i);
    const SecWebRTCLocalTransport *transport = NULL;
    GPtrArray *codecs = NULL;
    SecWebRTCDirection direction = SEC_SDP_DIRECTION_INACTIVE;
    gint id = sec_session_answer_transport (session, offer, i);
    gboolean rejected = t->public.stopped || id < 0;

    if (t->public.data)
      rejected |= !sec_session_data_usable (m);
    if (!rejected && (transport = sec_session_local_transport (transports, id,
                error)) == NULL) {
      gst_sdp_message_free (msg);
      return NULL;
    }
    if (t->public.data || (m->kind == SEC_SDP_MEDIA_APPLICATION
            && m->proto == SEC_SDP_PROTO_DTLS_SCTP)) {
      /* a=setup:active, as below */
      GstSDPMedia *media = data_media_new (session, &t->public,
          rejected ? first_transport (transports) : transport, setup,
          rejected, rejected ? m->protocol : NULL,
          rejected ? (const gchar * const *) m->formats : NULL);

      gst_sdp_message_add_media (msg, media);
      g_free (media);
      codecs_replace (&t->created_codecs, NULL);
      t->created_direction = SEC_SDP_DIRECTION_SENDRECV;
      t->created_rejected = rejected;
      t->created_transport = rejected ? -1 : id;
      continue;
    }
    if (!rejected) {
      GPtrArray *offered = remote_codecs (m, error);
      GError *local = NULL;

      if (offered == NULL) {
        gst_sdp_message_free (msg);
        return NULL;
      }
      codecs = sec_webrtc_codecs_answer (offered, t->public.caps,
          session->space, &local);
      g_ptr_array_unref (offered);
      if (codecs == NULL) {
        /* no codec in common: this m-line only is rejected */
        GST_INFO ("m-line %u rejected: %s", i, local->message);
        g_clear_error (&local);
        rejected = TRUE;
      } else {
        direction = answer_direction (t->public.direction, m->direction);
      }
    }
    /* a=setup:active: the answerer is the DTLS client (RFC 8842 §5.3) */
    {
      GstSDPMedia *media = media_new (session, &t->public,
          rejected ? first_transport (transports) : transport,
          setup, codecs, direction, rejected, remote_mid_ext_id (m),
          (const gchar * const *) m->formats);

      /* the message takes the contents, not the struct */
      gst_sdp_message_add_media (msg, media);
      g_free (media);
    }
    codecs_replace (&t->created_codecs, codecs);
    t->created_direction = direction;
    t->created_rejected = rejected;
    t->created_transport = rejected ? -1 : id;
  }
  add_answer_bundle_groups (msg, offer);
  sdp = gst_sdp_message_as_text (msg);
  gst_sdp_message_free (msg);
  set_created (session, g_strdup (sdp), SEC_JSEP_SDP_ANSWER);
  return sdp;
}

/* --- applying descriptions ----------------------------------------------- */

static void
replace_str (gchar ** slot, gchar * value)
{
  g_free (*slot);
  *slot = value;
}



/* An exchange completed: what both descriptions say is now current.
 * @remote is the peer's offer (@we_answered) or its answer. */
static gboolean
complete_exchange (SecWebRTCSession * session, const SecSdpDescription * remote,
    gboolean we_answered, GError ** error)
{
  guint i;

  for (i = 0; i < session->transceivers->len; i++) {
    Transceiver *t = tr (session, i);
    const SecSdpMedia *m = i < remote->media->len ?
        g_ptr_array_index (remote->media, i) : NULL;
    GPtrArray *theirs, *negotiated;
    GError *local = NULL;
    gint transport = m == NULL ? -1 : we_answered ? t->pending_transport :
        sec_session_answered_transport (session, remote, i);

    /* ours, after the peer's offer's m-lines: not in this exchange (the
     * next offer of ours carries it; JSEP §5.3.1) */
    if (m == NULL && we_answered)
      continue;
    t->made_by_remote_offer = FALSE;
    codecs_replace (&t->public.local_codecs, t->pending_codecs);
    t->pending_codecs = NULL;
    t->negotiated_direction = t->pending_direction;
    t->public.has_current = TRUE;
    t->public.transport = transport;
    if (t->public.data) {
      gboolean usable = m && !t->pending_rejected && transport >= 0
          && sec_session_data_usable (m);

      t->public.stopped = !usable;
      t->public.transport = usable ? transport : -1;
      t->public.current_direction = usable ? SEC_SDP_DIRECTION_SENDRECV :
          SEC_SDP_DIRECTION_INACTIVE;
      if (usable) {
        t->public.remote_sctp_port = m->sctp_port ? m->sctp_port :
            SEC_WEBRTC_SCTP_PORT;
        t->public.remote_max_message_size = m->has_max_message_size ?
            m->max_message_size : DEFAULT_REMOTE_MAX_MESSAGE_SIZE;
      }
      continue;
    }
    if (m == NULL || t->pending_rejected || transport < 0
        || t->public.local_codecs == NULL) {
      t->public.stopped = TRUE;
      t->public.transport = -1;
      t->public.current_direction = SEC_SDP_DIRECTION_INACTIVE;
      codecs_replace (&t->public.negotiated, NULL);
      continue;
    }
    theirs = remote_codecs (m, error);
    if (theirs == NULL)
      return FALSE;
    negotiated = sec_webrtc_codecs_negotiate (t->public.local_codecs, theirs,
        &local);
    g_ptr_array_unref (theirs);
    if (negotiated == NULL) {
      GST_INFO ("m-line %u: %s", i, local->message);
      g_clear_error (&local);
      t->public.stopped = TRUE;
      t->public.transport = -1;
      t->public.current_direction = SEC_SDP_DIRECTION_INACTIVE;
    } else {
      t->public.current_direction = t->pending_direction;
    }
    codecs_replace (&t->public.negotiated, negotiated);
    {
      guint k;

      g_free (t->public.remote_ssrcs);
      t->public.n_remote_ssrcs = m->ssrcs ? m->ssrcs->len : 0;
      t->public.remote_ssrcs = g_new0 (guint32, t->public.n_remote_ssrcs + 1);
      for (k = 0; k < t->public.n_remote_ssrcs; k++)
        t->public.remote_ssrcs[k] =
            ((SecSdpSsrc *) g_ptr_array_index (m->ssrcs, k))->ssrc;
      t->public.remote_mid_ext_id = remote_mid_ext_id (m);
    }
  }
  /* our answer has the offer's groups with what we accepted */
  session->bundle_transport = sec_session_bundle_transport (session, remote);
  /* the MID extension both agreed on */
  session->mid_ext_id = 0;
  for (i = 0; i < session->transceivers->len; i++)
    if (tr (session, i)->public.remote_mid_ext_id && !tr (session,
            i)->public.stopped)
      session->mid_ext_id = tr (session, i)->public.remote_mid_ext_id;
  return TRUE;
}

gboolean
sec_webrtc_session_set_local (SecWebRTCSession * session,
    SecJsepSdpType type, const gchar * sdp, GError ** error)
{
  SecJsepTransition transition;
  guint i;

  if (!sec_jsep_check (&session->jsep, SEC_JSEP_OP_SET_LOCAL_DESCRIPTION,
          type, &transition, error))
    return FALSE;

  if (type == SEC_JSEP_SDP_ROLLBACK) {
    /* RFC 8829 §4.1.8.2: back to the last stable state */
    for (i = 0; i < session->transceivers->len; i++)
      codecs_replace (&tr (session, i)->pending_codecs, NULL);
    replace_str (&session->pending_local_sdp, NULL);
    return sec_jsep_apply (&session->jsep, &transition, error);
  }

  if (session->created_sdp == NULL || session->created_type != type
      || (sdp && g_strcmp0 (sdp, session->created_sdp) != 0)) {
    g_set_error (error, SEC_WEBRTC_SESSION_ERROR,
        SEC_WEBRTC_SESSION_ERROR_LOCAL, "set-local-description(%s): give "
        "NULL or the text the last create-%s returned; secwebrtcbin "
        "applies only descriptions it made (change transceivers, caps or "
        "directions, then create a new one)", sec_jsep_sdp_type_name (type),
        sec_jsep_sdp_type_name (type));
    return FALSE;
  }
  for (i = 0; i < session->transceivers->len; i++) {
    Transceiver *t = tr (session, i);

    codecs_replace (&t->pending_codecs, t->created_codecs ?
        g_ptr_array_ref (t->created_codecs) : NULL);
    t->pending_direction = t->created_direction;
    t->pending_rejected = t->created_rejected;
    t->pending_transport = t->created_transport;
  }
  if (type == SEC_JSEP_SDP_ANSWER) {
    if (!complete_exchange (session, session->pending_remote, TRUE, error))
      return FALSE;
    /* the first exchange decides the roles: we answered a=setup:active
     * and were not the offerer (later answers keep them: RFC 8842 §5.5,
     * RFC 8829 §5.10) */
    if (session->local_sdp == NULL) {
      session->dtls_client = TRUE;
      session->ice_controlling = FALSE;
    }
    replace_str (&session->local_sdp, g_strdup (session->created_sdp));
    replace_str (&session->remote_sdp, session->pending_remote_sdp);
    session->pending_remote_sdp = NULL;
    sec_sdp_description_free (session->remote);
    session->remote = session->pending_remote;
    session->pending_remote = NULL;
  } else {
    replace_str (&session->pending_local_sdp,
        g_strdup (session->created_sdp));
  }
  return sec_jsep_apply (&session->jsep, &transition, error);
}

/* An answer must answer our offer: the same m-lines with the same mids
 * (RFC 3264 §6). */
static gboolean
answers_our_offer (SecWebRTCSession * session, const SecSdpDescription * d,
    GError ** error)
{
  guint i;

  if (d->media->len != session->transceivers->len) {
    g_set_error (error, SEC_WEBRTC_SESSION_ERROR,
        SEC_WEBRTC_SESSION_ERROR_REMOTE, "set-remote-description(answer): "
        "the answer has %u m-lines, our offer %u; an answer keeps every "
        "m-line of the offer in its place (RFC 3264 §6)", d->media->len,
        session->transceivers->len);
    return FALSE;
  }
  for (i = 0; i < d->media->len; i++) {
    const SecSdpMedia *m = g_ptr_array_index (d->media, i);
    Transceiver *t = tr (session, i);

    if (!m->rejected && g_strcmp0 (m->mid, t->public.mid) != 0) {
      g_set_error (error, SEC_WEBRTC_SESSION_ERROR,
          SEC_WEBRTC_SESSION_ERROR_REMOTE, "set-remote-description(answer): "
          "m-line %u has mid '%s', our offer said '%s'", i, m->mid,
          t->public.mid);
      return FALSE;
    }
    if (!m->rejected && g_ascii_strcasecmp (m->media, t->public.media) != 0) {
      g_set_error (error, SEC_WEBRTC_SESSION_ERROR,
          SEC_WEBRTC_SESSION_ERROR_REMOTE, "set-remote-description(answer): "
          "m-line %u is %s, our offer said %s", i, m->media,
          t->public.media);
      return FALSE;
    }
  }
  if (sec_session_main_transport (d) < 0) {
    g_set_error_literal (error, SEC_WEBRTC_SESSION_ERROR,
        SEC_WEBRTC_SESSION_ERROR_REMOTE, "set-remote-description(answer): "
        "the answer rejects every m-line");
    return FALSE;
  }
  return TRUE;
}

/* Matches the m-lines of a remote offer to our transceivers (RFC 8829
 * §5.10: by mid, else a transceiver of the same media that no
 * description named yet) and makes the missing ones. */
static gboolean
match_offer_checked (SecWebRTCSession * session,
    const SecSdpDescription * d, GArray * made, GError ** error);

/* Our data m-line when it is in no description yet and is our last
 * m-line: it takes the place of the offer's data m-line, or goes after
 * the offer's m-lines, wherever the application created its first data
 * channel (the offerer decides the order). */
static gboolean
match_offer (SecWebRTCSession * session, const SecSdpDescription * d,
    GArray * made, GError ** error)
{
  guint n = session->transceivers->len;
  Transceiver *pending = NULL;
  gboolean ok;

  if (n > 0 && tr (session, n - 1)->public.data
      && tr (session, n - 1)->public.mid == NULL && !(n - 1 < d->media->len
          && sec_session_data_usable (g_ptr_array_index (d->media, n - 1))))
    pending = g_ptr_array_steal_index (session->transceivers, n - 1);
  ok = match_offer_checked (session, d, made, error);
  if (pending && ok && sec_webrtc_session_get_data (session)) {
    GST_DEBUG ("our data m-line goes where the offer has its own");
    transceiver_free (pending);
  } else if (pending) {
    pending->public.mline = session->transceivers->len;
    g_ptr_array_add (session->transceivers, pending);
  }
  return ok;
}

static gboolean
match_offer_checked (SecWebRTCSession * session,
    const SecSdpDescription * d, GArray * made, GError ** error)
{
  guint i;

  if (d->media->len < session->transceivers->len) {
    /* our transceivers that are in no description yet cannot be placed
     * after the peer's m-lines without an offer of ours: refuse */
    for (i = d->media->len; i < session->transceivers->len; i++) {
      if (tr (session, i)->public.mid != NULL) {
        g_set_error (error, SEC_WEBRTC_SESSION_ERROR,
            SEC_WEBRTC_SESSION_ERROR_REMOTE, "set-remote-description(offer):"
            " the offer has %u m-lines but %u were negotiated; m-lines are "
            "never removed (RFC 8829 §5.2.2)", d->media->len,
            session->transceivers->len);
        return FALSE;
      }
    }
  }
  for (i = 0; i < d->media->len; i++) {
    const SecSdpMedia *m = g_ptr_array_index (d->media, i);
    Transceiver *t = i < session->transceivers->len ? tr (session, i) : NULL;

    if (t && t->public.mid && m->mid && g_strcmp0 (t->public.mid, m->mid)) {
      g_set_error (error, SEC_WEBRTC_SESSION_ERROR,
          SEC_WEBRTC_SESSION_ERROR_REMOTE, "set-remote-description(offer): "
          "m-line %u has mid '%s' but was negotiated as '%s'", i, m->mid,
          t->public.mid);
      return FALSE;
    }
    if (t && t->public.mid == NULL && m->kind != SEC_SDP_MEDIA_OTHER
        && g_ascii_strcasecmp (t->public.media, m->media) != 0) {
      g_set_error (error, SEC_WEBRTC_SESSION_ERROR,
          SEC_WEBRTC_SESSION_ERROR_REMOTE, "set-remote-description(offer): "
          "m-line %u is %s but our transceiver %u (not negotiated yet) is %s;"
          " let the peer's offer come first, or offer yourself", i, m->media,
          i, t->public.media);
      return FALSE;
    }
  }
  for (i = 0; i < d->media->len; i++) {
    const SecSdpMedia *m = g_ptr_array_index (d->media, i);
    Transceiver *t;

    if (i < session->transceivers->len) {
      t = tr (session, i);
    } else {
      /* W3C: a transceiver made for a remote m-line receives only, until
       * the application gives it something to send */
      t = transceiver_new (session, m->kind == SEC_SDP_MEDIA_AUDIO ? "audio"
          : m->kind == SEC_SDP_MEDIA_VIDEO ? "video" : m->media,
          SEC_SDP_DIRECTION_RECVONLY);
      t->made_by_remote_offer = TRUE;
      g_array_append_val (made, i);
    }
    if (t->public.mid == NULL && m->mid)
      t->public.mid = g_strdup (m->mid);
    /* the offer's first data m-line is the session's (RFC 8841: one
     * SCTP association); other m-lines that are not media are rejected */
    if (t->made_by_remote_offer && !t->public.data
        && sec_session_data_usable (m)
        && sec_webrtc_session_get_data (session) == NULL) {
      t->public.data = TRUE;
      /* data channels go both ways: no direction to negotiate */
      t->public.direction = SEC_SDP_DIRECTION_SENDRECV;
    }
    if (m->kind != SEC_SDP_MEDIA_AUDIO && m->kind != SEC_SDP_MEDIA_VIDEO
        && !t->public.data)
      t->public.stopped = TRUE;
  }
  return TRUE;
}


gboolean
sec_webrtc_session_set_remote (SecWebRTCSession * session,
    SecJsepSdpType type, const gchar * sdp, SecWebRTCRemotePlan ** plan,
    GError ** error)
{
  SecJsepTransition transition;
  SecSdpDescription *d;
  GArray *made;
  guint i;

  *plan = NULL;
  if (!sec_jsep_check (&session->jsep, SEC_JSEP_OP_SET_REMOTE_DESCRIPTION,
          type, &transition, error))
    return FALSE;

  if (type == SEC_JSEP_SDP_ROLLBACK) {
    /* drop what the rolled back offer made */
    for (i = session->transceivers->len; i > 0; i--) {
      Transceiver *t = tr (session, i - 1);

      if (!t->made_by_remote_offer)
        break;
      g_ptr_array_remove_index (session->transceivers, i - 1);
    }
    sec_sdp_description_free (session->pending_remote);
    session->pending_remote = NULL;
    replace_str (&session->pending_remote_sdp, NULL);
    return sec_jsep_apply (&session->jsep, &transition, error);
  }
  if (sdp == NULL) {
    g_set_error_literal (error, SEC_WEBRTC_SESSION_ERROR,
        SEC_WEBRTC_SESSION_ERROR_INVALID,
        "set-remote-description: no SDP text was given");
    return FALSE;
  }

  d = sec_sdp_check (sdp, -1, type == SEC_JSEP_SDP_OFFER ? SEC_SDP_TYPE_OFFER
      : SEC_SDP_TYPE_ANSWER, error);
  if (d == NULL) {
    g_prefix_error (error, "set-remote-description(%s): ",
        sec_jsep_sdp_type_name (type));
    return FALSE;
  }
  if (sec_session_main_transport (d) < 0) {
    g_set_error (error, SEC_WEBRTC_SESSION_ERROR,
        SEC_WEBRTC_SESSION_ERROR_REMOTE, "set-remote-description(%s): no "
        "m-line carries audio or video over DTLS-SRTP, or data channels "
        "over DTLS/SCTP",
        sec_jsep_sdp_type_name (type));
    sec_sdp_description_free (d);
    return FALSE;
  }
  if (session->remote && !sec_sdp_check_renegotiation (session->remote, d,
          NULL, error)) {
    g_prefix_error (error, "set-remote-description(%s): ",
        sec_jsep_sdp_type_name (type));
    sec_sdp_description_free (d);
    return FALSE;
  }

  if (type == SEC_JSEP_SDP_ANSWER) {
    const SecSdpMedia *owner;

    if (!answers_our_offer (session, d, error)) {
      sec_sdp_description_free (d);
      return FALSE;
    }
    *plan = sec_session_plan_new (session, d, FALSE);
    if (!complete_exchange (session, d, FALSE, error)) {
      sec_webrtc_remote_plan_free (*plan);
      *plan = NULL;
      sec_sdp_description_free (d);
      return FALSE;
    }
    /* RFC 8842 §5.3: the answerer chose; passive makes us the client */
    owner = g_ptr_array_index (d->media, sec_session_main_transport (d));
    session->dtls_client = owner->setup == SEC_SDP_SETUP_PASSIVE;
    /* the offerer of the first exchange controls ICE (RFC 8445 §6.1.1) */
    if (session->local_sdp == NULL)
      session->ice_controlling = !d->ice_lite;
    replace_str (&session->local_sdp, session->pending_local_sdp);
    session->pending_local_sdp = NULL;
    replace_str (&session->remote_sdp, g_strdup (sdp));
    sec_sdp_description_free (session->remote);
    session->remote = d;
  } else {
    made = g_array_new (FALSE, FALSE, sizeof (guint));
    if (!match_offer (session, d, made, error)) {
      g_array_unref (made);
      sec_sdp_description_free (d);
      return FALSE;
    }
    *plan = sec_session_plan_new (session, d, TRUE);
    g_array_unref ((*plan)->new_transceivers);
    (*plan)->new_transceivers = made;
    replace_str (&session->pending_remote_sdp, g_strdup (sdp));
    sec_sdp_description_free (session->pending_remote);
    session->pending_remote = d;
  }
  return sec_jsep_apply (&session->jsep, &transition, error);
}

gboolean
sec_webrtc_session_is_dtls_client (const SecWebRTCSession * session)
{
  return session->dtls_client;
}

gboolean
sec_webrtc_session_is_ice_controlling (const SecWebRTCSession * session)
{
  return session->ice_controlling;
}

const gchar *
sec_webrtc_session_get_local_sdp (const SecWebRTCSession * session)
{
  return session->pending_local_sdp ? session->pending_local_sdp :
      session->local_sdp;
}

const gchar *
sec_webrtc_session_get_remote_sdp (const SecWebRTCSession * session)
{
  return session->pending_remote_sdp ? session->pending_remote_sdp :
      session->remote_sdp;
}



gboolean
sec_webrtc_session_negotiation_needed (const SecWebRTCSession * session)
{
  guint i;

  if (session->jsep.state != SEC_JSEP_STATE_STABLE)
    return FALSE;
  for (i = 0; i < session->transceivers->len; i++) {
    const Transceiver *t = g_ptr_array_index (session->transceivers, i);

    if (t->public.stopped)
      continue;
    if (!t->public.has_current)
      return TRUE;
    if (t->public.data)
      continue;                 /* no direction */
    /* W3C: the direction we would write differs from the current one */
    if (t->public.direction != t->negotiated_direction
        && answer_direction (t->public.direction,
            SEC_SDP_DIRECTION_SENDRECV) != t->negotiated_direction)
      return TRUE;
  }
  return FALSE;
}

GstCaps *
sec_webrtc_session_get_pt_caps (SecWebRTCSession * session, guint transport,
    guint pt)
{
  guint i, k;

  for (i = 0; i < session->transceivers->len; i++) {
    GPtrArray *codecs = tr (session, i)->public.negotiated;

    if (tr (session, i)->public.transport != (gint) transport)
      continue;
    for (k = 0; codecs && k < codecs->len; k++) {
      SecWebRTCCodec *codec = g_ptr_array_index (codecs, k);

      if (codec->payload_type == (gint) pt)
        return sec_webrtc_codec_to_caps (codec);
    }
  }
  return NULL;
}

static gboolean
has_pt (const GPtrArray * codecs, guint pt)
{
  guint k;

  for (k = 0; codecs && k < codecs->len; k++)
    if (((SecWebRTCCodec *) g_ptr_array_index (codecs, k))->payload_type ==
        (gint) pt)
      return TRUE;
  return FALSE;
}

SecWebRTCTransceiver *
sec_webrtc_session_route (SecWebRTCSession * session, guint transport,
    const gchar * mid, guint32 ssrc, guint pt)
{
  SecWebRTCTransceiver *found = NULL;
  guint i, k, matches = 0;

  /* RFC 8843 §9.2: the MID first, then a=ssrc, then a unique payload
   * type; only m-lines on the transport it came in on */
  if (mid && (found = sec_webrtc_session_find_mid (session, mid)))
    return found->stopped || found->transport != (gint) transport ? NULL :
        found;
  for (i = 0; i < session->transceivers->len; i++) {
    SecWebRTCTransceiver *t = &tr (session, i)->public;

    for (k = 0; k < t->n_remote_ssrcs; k++)
      if (t->remote_ssrcs[k] == ssrc && !t->stopped
          && t->transport == (gint) transport)
        return t;
  }
  for (i = 0; i < session->transceivers->len; i++) {
    SecWebRTCTransceiver *t = &tr (session, i)->public;

    if (!t->stopped && t->transport == (gint) transport
        && has_pt (t->negotiated, pt)) {
      found = t;
      matches++;
    }
  }
  return matches == 1 ? found : NULL;
}

const SecWebRTCCodec *
sec_webrtc_session_get_send_codec (SecWebRTCSession * session,
    SecWebRTCTransceiver * t, const GstCaps * caps)
{
  const SecWebRTCCodec *codec = NULL;
  guint k;

  (void) session;
  if (t->stopped || t->negotiated == NULL
      || !direction_sends (t->current_direction))
    return NULL;
  if (caps)
    codec = sec_webrtc_codecs_find_for_caps (t->negotiated, caps);
  for (k = 0; codec == NULL && k < t->negotiated->len; k++) {
    SecWebRTCCodec *c = g_ptr_array_index (t->negotiated, k);

    if (c->kind != SEC_WEBRTC_CODEC_RTX && c->kind != SEC_WEBRTC_CODEC_UNKNOWN)
      codec = c;
  }
  return codec;
}

guint8
sec_webrtc_session_get_mid_extension_id (const SecWebRTCSession * session)
{
  return session->mid_ext_id;
}

guint32
sec_webrtc_session_get_remote_rtx_ssrc (const SecWebRTCSession * session,
    guint mline, guint32 ssrc)
{
  const SecSdpMedia *m;
  guint i;

  if (session->remote == NULL || mline >= session->remote->media->len)
    return 0;
  m = g_ptr_array_index (session->remote->media, mline);
  for (i = 0; m->ssrc_groups && i < m->ssrc_groups->len; i++) {
    const SecSdpSsrcGroup *group = g_ptr_array_index (m->ssrc_groups, i);

    /* RFC 4588 §8.3: FID, the original stream first */
    if (strcmp (group->semantics, "FID") == 0 && group->ssrcs->len == 2
        && g_array_index (group->ssrcs, guint32, 0) == ssrc)
      return g_array_index (group->ssrcs, guint32, 1);
  }
  return 0;
}
