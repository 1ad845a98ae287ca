/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secwebrtcbin: request pads (sink_%u), the transceivers behind them and
 * add-transceiver (see gstsecwebrtcbin.c for the element).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecwebrtcbin-private.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#define GST_CAT_DEFAULT gst_sec_webrtc_bin_debug

GstStaticPadTemplate gst_sec_webrtc_bin_sink_template =
GST_STATIC_PAD_TEMPLATE ("sink_%u", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("application/x-rtp"));
GstStaticPadTemplate gst_sec_webrtc_bin_src_template =
GST_STATIC_PAD_TEMPLATE ("src_%u", GST_PAD_SRC, GST_PAD_SOMETIMES,
    GST_STATIC_CAPS ("application/x-rtp"));

/* --- transceivers -------------------------------------------------------- */

static gboolean
parse_direction (const gchar * text, SecWebRTCDirection * direction)
{
  if (g_strcmp0 (text, "sendrecv") == 0)
    *direction = SEC_SDP_DIRECTION_SENDRECV;
  else if (g_strcmp0 (text, "sendonly") == 0)
    *direction = SEC_SDP_DIRECTION_SENDONLY;
  else if (g_strcmp0 (text, "recvonly") == 0)
    *direction = SEC_SDP_DIRECTION_RECVONLY;
  else if (g_strcmp0 (text, "inactive") == 0)
    *direction = SEC_SDP_DIRECTION_INACTIVE;
  else
    return FALSE;
  return TRUE;
}

guint
gst_sec_webrtc_bin_add_transceiver (GstSecWebRTCBin * self,
    const gchar * direction_text,
    GstCaps * caps)
{
  SecWebRTCDirection direction;
  SecWebRTCTransceiver *t;
  GError *error = NULL;
  guint mline = G_MAXUINT;

  if (!parse_direction (direction_text, &direction)) {
    GST_ELEMENT_WARNING (self, CORE, FAILED,
        (_("The transceiver was not added.")),
        ("add-transceiver: direction '%s' is not sendrecv, sendonly or "
            "recvonly", GST_STR_NULL (direction_text)));
    return G_MAXUINT;
  }
  g_rec_mutex_lock (&self->lock);
  t = sec_webrtc_session_add_transceiver (self->session, NULL, direction,
      caps, &error);
  if (t)
    mline = t->mline;
  g_rec_mutex_unlock (&self->lock);
  if (t == NULL) {
    GST_ELEMENT_WARNING (self, CORE, FAILED,
        (_("The transceiver was not added.")), ("add-transceiver: %s",
            error->message));
    g_error_free (error);
    return G_MAXUINT;
  }
  gst_sec_webrtc_bin_schedule_negotiation_needed (self);
  return mline;
}

/* --- pads ---------------------------------------------------------------- */

/* The first string of a field that is a string or a list of them. */
static const gchar *
first_string (const GstStructure * s, const gchar * field)
{
  const GValue *v = gst_structure_get_value (s, field);

  if (v && GST_VALUE_HOLDS_LIST (v) && gst_value_list_get_size (v) > 0)
    v = gst_value_list_get_value (v, 0);
  return v && G_VALUE_HOLDS_STRING (v) ? g_value_get_string (v) : NULL;
}

/* A payloader's template caps often say only encoding-name (rtpvp8pay:
 * no media): the media of the codecs we implement. */
static const gchar *
media_of_encoding (const gchar * encoding)
{
  static const gchar *video[] = { "VP8", "VP9", "H264" };
  static const gchar *audio[] = { "OPUS", "PCMU", "PCMA" };
  guint i;

  for (i = 0; encoding && i < G_N_ELEMENTS (video); i++)
    if (g_ascii_strcasecmp (encoding, video[i]) == 0)
      return "video";
  for (i = 0; encoding && i < G_N_ELEMENTS (audio); i++)
    if (g_ascii_strcasecmp (encoding, audio[i]) == 0)
      return "audio";
  return NULL;
}

static gchar *
media_of (const GstCaps * caps)
{
  guint i;

  for (i = 0; caps && i < gst_caps_get_size (caps); i++) {
    const GstStructure *s = gst_caps_get_structure (caps, i);
    const gchar *media = first_string (s, "media");

    if (media == NULL)
      media = media_of_encoding (first_string (s, "encoding-name"));
    if (media)
      return g_ascii_strdown (media, -1);
  }
  return NULL;
}

/* Codec preferences from what a linked payloader can produce: its first
 * encoding, as fixed caps (the stream's own caps refine them later). */
static GstCaps *
preferences_of (const GstCaps * caps)
{
  guint i;

  for (i = 0; caps && i < gst_caps_get_size (caps); i++) {
    const GstStructure *s = gst_caps_get_structure (caps, i);
    const gchar *encoding = first_string (s, "encoding-name");
    const gchar *media = first_string (s, "media");

    if (encoding && (media || media_of_encoding (encoding)))
      return gst_caps_new_simple ("application/x-rtp", "media",
          G_TYPE_STRING, media ? media : media_of_encoding (encoding),
          "encoding-name", G_TYPE_STRING, encoding, NULL);
  }
  return NULL;
}

/* Called with the lock held: a sink pad for m-line @mline (@t: its
 * transceiver, NULL while the media is not known). */
static GstPad *
make_sink_pad (GstSecWebRTCBin * self, guint mline, SecWebRTCTransceiver * t)
{
  gchar *name = g_strdup_printf ("sink_%u", mline);
  GstPad *target = sec_webrtc_media_add_sender (self->media, mline,
      t ? t->ssrc : 0);
  GstPadTemplate *templ =
      gst_static_pad_template_get (&gst_sec_webrtc_bin_sink_template);
  GstPad *ghost = gst_ghost_pad_new_from_template (name, target, templ);

  gst_object_unref (templ);
  g_free (name);
  if (t)
    gst_sec_webrtc_bin_mline_pads (self, mline)->sinkpad = ghost;
  return ghost;
}

#define PENDING_MLINE_KEY "secwebrtcbin-pending-mline"

/* A sink pad requested without caps was linked: its peer's caps tell the
 * media, and the transceiver is made now (W3C addTrack). */
static void
on_pending_pad_linked (GstPad * pad, GstPad * peer, GstSecWebRTCBin * self)
{
  GstCaps *caps = gst_pad_query_caps (peer, NULL);
  gchar *media = media_of (caps);
  GstCaps *preferences = preferences_of (caps);
  guint provisional = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (pad),
          PENDING_MLINE_KEY));
  SecWebRTCTransceiver *t = NULL;
  GError *error = NULL;

  g_rec_mutex_lock (&self->lock);
  if (g_ptr_array_remove (self->pending_sinkpads, pad)) {
    t = sec_webrtc_session_add_transceiver (self->session, media,
        SEC_SDP_DIRECTION_SENDRECV, preferences, &error);
    if (t) {
      sec_webrtc_media_move_sender (self->media, provisional, t->mline,
          t->ssrc);
      gst_sec_webrtc_bin_mline_pads (self, t->mline)->sinkpad = pad;
    }
  }
  g_rec_mutex_unlock (&self->lock);
  if (error) {
    GST_ELEMENT_WARNING (self, CORE, PAD,
        (_("The stream cannot be sent.")), ("%s: the linked element offers "
            "%" GST_PTR_FORMAT ": %s", GST_PAD_NAME (pad), caps,
            error->message));
    g_error_free (error);
  }
  g_free (media);
  gst_caps_unref (caps);
  if (preferences)
    gst_caps_unref (preferences);
  if (t)
    gst_sec_webrtc_bin_schedule_negotiation_needed (self);
}

GstPad *
gst_sec_webrtc_bin_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstSecWebRTCBin *self = GST_SEC_WEBRTC_BIN (element);
  SecWebRTCTransceiver *t = NULL;
  GstPad *pad = NULL;
  GError *error = NULL;
  guint wanted = G_MAXUINT, i, n;
  gchar *media = media_of (caps);
  gboolean created = FALSE;

  (void) templ;
  if (name && sscanf (name, "sink_%u", &wanted) != 1)
    wanted = G_MAXUINT;
  g_rec_mutex_lock (&self->lock);
  n = sec_webrtc_session_get_n_transceivers (self->session);
  if (wanted != G_MAXUINT && wanted < n) {
    t = sec_webrtc_session_get_transceiver (self->session, wanted);
  } else {
    /* W3C addTrack: a transceiver of that media that sends nothing yet
     * (one a remote offer made) takes the stream */
    for (i = 0; i < n && t == NULL && media; i++) {
      SecWebRTCTransceiver *c = sec_webrtc_session_get_transceiver
          (self->session, i);

      if (gst_sec_webrtc_bin_mline_pads (self, i)->sinkpad == NULL
          && !c->stopped
          && g_ascii_strcasecmp (c->media, media) == 0)
        t = c;
    }
  }
  if (t == NULL && wanted != G_MAXUINT && wanted > n
      + self->pending_sinkpads->len) {
    g_set_error (&error, GST_CORE_ERROR, GST_CORE_ERROR_PAD,
        "sink_%u: the next m-line is %u", wanted,
        n + self->pending_sinkpads->len);
  } else if (t == NULL && media == NULL) {
    /* no caps yet: the m-line is made when the pad is linked */
    guint provisional = n + self->pending_sinkpads->len;

    pad = make_sink_pad (self, provisional, NULL);
    g_object_set_data (G_OBJECT (pad), PENDING_MLINE_KEY,
        GUINT_TO_POINTER (provisional));
    g_ptr_array_add (self->pending_sinkpads, pad);
    g_signal_connect (pad, "linked", G_CALLBACK (on_pending_pad_linked),
        self);
  } else if (t == NULL) {
    GstCaps *preferences = caps && gst_caps_is_fixed (caps) ?
        gst_caps_copy (caps) : preferences_of (caps);

    t = sec_webrtc_session_add_transceiver (self->session, media,
        SEC_SDP_DIRECTION_SENDRECV, preferences, &error);
    if (preferences)
      gst_caps_unref (preferences);
    created = t != NULL;
  } else if (t->data) {
    g_set_error (&error, GST_CORE_ERROR, GST_CORE_ERROR_PAD,
        "sink_%u: m-line %u carries data channels, not media", t->mline,
        t->mline);
    t = NULL;
  } else if (gst_sec_webrtc_bin_mline_pads (self, t->mline)->sinkpad) {
    g_set_error (&error, GST_CORE_ERROR, GST_CORE_ERROR_PAD,
        "sink_%u exists already", t->mline);
    t = NULL;
  } else if (t->direction == SEC_SDP_DIRECTION_RECVONLY) {
    t->direction = SEC_SDP_DIRECTION_SENDRECV;
    created = TRUE;
  } else if (t->direction == SEC_SDP_DIRECTION_INACTIVE) {
    t->direction = SEC_SDP_DIRECTION_SENDONLY;
    created = TRUE;
  }
  if (t)
    pad = make_sink_pad (self, t->mline, t);
  g_rec_mutex_unlock (&self->lock);
  g_free (media);
  if (pad == NULL) {
    GST_ELEMENT_WARNING (self, CORE, PAD, (_("No such pad.")),
        ("request %s: %s; give caps with media=audio or video (or call "
            "add-transceiver first)", GST_STR_NULL (name), error ?
            error->message : "no transceiver"));
    g_clear_error (&error);
    return NULL;
  }
  gst_pad_set_active (pad, TRUE);
  gst_element_add_pad (element, pad);
  if (created)
    gst_sec_webrtc_bin_schedule_negotiation_needed (self);
  return pad;
}

void
gst_sec_webrtc_bin_release_pad (GstElement * element, GstPad * pad)
{
  GstSecWebRTCBin *self = GST_SEC_WEBRTC_BIN (element);
  guint i;

  g_rec_mutex_lock (&self->lock);
  if (g_ptr_array_remove (self->pending_sinkpads, pad))
    sec_webrtc_media_remove_sender (self->media,
        GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (pad),
                PENDING_MLINE_KEY)));
  for (i = 0; i < self->pads->len; i++) {
    MLinePads *p = &g_array_index (self->pads, MLinePads, i);

    if (p->sinkpad == pad) {
      p->sinkpad = NULL;
      sec_webrtc_media_remove_sender (self->media, i);
    }
  }
  g_rec_mutex_unlock (&self->lock);
  gst_element_remove_pad (element, pad);
}
