/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secwhepsrc
 *
 * Plays from a WHEP endpoint (WebRTC-HTTP Egress Protocol, the playback
 * side of RFC 9725's exchange): on the way to PLAYING the element adds a
 * receive-only transceiver to its secwebrtcbin for each of `video-caps`
 * and `audio-caps` (either may be empty), POSTs the offer with every
 * candidate in it, applies the 201's answer and keeps the session's
 * Location, which it DELETEs on the way to READY. What the server sends
 * comes out of `src_%u` pads as RTP with full caps (link them to
 * decodebin, or to a depayloader). The HTTPS and token rules are those of
 * secwhipsink.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 secwhepsrc whep-endpoint=https://example.net/whep \
 *   auth-token-file=token ! rtpvp8depay ! vp8dec ! videoconvert ! \
 *   autovideosink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecwhepsrc.h"

#include <glib/gi18n-lib.h>

#include "gstsecwhipclient.h"
#include "gstsecwhipcommon.h"

GST_DEBUG_CATEGORY_STATIC (gst_sec_whep_src_debug);
#define GST_CAT_DEFAULT gst_sec_whep_src_debug

#define DEFAULT_TIMEOUT 15
#define DEFAULT_VIDEO_CAPS \
  "application/x-rtp, media=video, encoding-name=VP8, clock-rate=90000"
#define DEFAULT_AUDIO_CAPS \
  "application/x-rtp, media=audio, encoding-name=OPUS, clock-rate=48000"

enum
{
  PROP_0,
  PROP_WHEP_ENDPOINT,
  PROP_CA_FILE,
  PROP_TIMEOUT,
  PROP_VIDEO_CAPS,
  PROP_AUDIO_CAPS,
  PROP_RESOURCE_URL,
  PROP_TOKEN_FIRST,
  PROP_FORWARD_FIRST = PROP_TOKEN_FIRST + 3,
};

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src_%u",
    GST_PAD_SRC, GST_PAD_SOMETIMES, GST_STATIC_CAPS ("application/x-rtp"));

struct _GstSecWhepSrc
{
  GstBin parent;

  GstElement *webrtcbin;        /* our child, from init; NULL when missing */

  /* protected by the object lock */
  gchar *endpoint;
  gchar *ca_file;
  guint timeout_s;
  GstCaps *video_caps;
  GstCaps *audio_caps;
  GstSecWhipToken token;
  gboolean transceivers_added;

  /* the session: the thread owns client until it is joined */
  GThread *thread;
  GstSecWhipClient client;
  GMutex client_lock;
};

G_DEFINE_TYPE (GstSecWhepSrc, gst_sec_whep_src, GST_TYPE_BIN);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (secwhepsrc, "secwhepsrc",
    GST_RANK_NONE, GST_TYPE_SEC_WHEP_SRC,
    GST_DEBUG_CATEGORY_INIT (gst_sec_whep_src_debug, "secwhepsrc", 0,
        "WHEP client"));

static void gst_sec_whep_src_finalize (GObject * object);
static void gst_sec_whep_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_sec_whep_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_sec_whep_src_change_state (GstElement *
    element, GstStateChange transition);
static void on_pad_added (GstElement * webrtcbin, GstPad * pad,
    GstSecWhepSrc * self);

static void
gst_sec_whep_src_class_init (GstSecWhepSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_sec_whep_src_finalize;
  gobject_class->set_property = gst_sec_whep_src_set_property;
  gobject_class->get_property = gst_sec_whep_src_get_property;

  g_object_class_install_property (gobject_class, PROP_WHEP_ENDPOINT,
      g_param_spec_string ("whep-endpoint", "WHEP endpoint",
          "URL the offer is POSTed to: https (http only to a loopback "
          "address)", NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_CA_FILE,
      g_param_spec_string ("ca-file", "CA file",
          "PEM file of the certificates trusted for the endpoint instead of "
          "the system's store (a self-signed server's own certificate)",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_TIMEOUT,
      g_param_spec_uint ("timeout", "Timeout",
          "Seconds an HTTP request, and ICE gathering, may take", 1, 300,
          DEFAULT_TIMEOUT, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_VIDEO_CAPS,
      g_param_spec_boxed ("video-caps", "Video caps",
          "application/x-rtp caps of the video to receive (empty: none)",
          GST_TYPE_CAPS, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_AUDIO_CAPS,
      g_param_spec_boxed ("audio-caps", "Audio caps",
          "application/x-rtp caps of the audio to receive (empty: none)",
          GST_TYPE_CAPS, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_RESOURCE_URL,
      g_param_spec_string ("resource-url", "Resource URL",
          "The session's URL on the server (its Location), once playing",
          NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  gst_sec_whip_token_install (gobject_class, PROP_TOKEN_FIRST, FALSE);
  gst_sec_whip_forward_install (gobject_class, PROP_FORWARD_FIRST);

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "WHEP client (gst-secwebrtc)", "Source/Network/WebRTC",
      "Plays the streams of a WHEP endpoint over secwebrtcbin",
      "gst-secwebrtc developers");
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_sec_whep_src_change_state);
}

static void
gst_sec_whep_src_init (GstSecWhepSrc * self)
{
  self->timeout_s = DEFAULT_TIMEOUT;
  self->video_caps = gst_caps_from_string (DEFAULT_VIDEO_CAPS);
  self->audio_caps = gst_caps_from_string (DEFAULT_AUDIO_CAPS);
  g_mutex_init (&self->client_lock);
  self->webrtcbin = gst_element_factory_make ("secwebrtcbin", "webrtc");
  if (self->webrtcbin != NULL) {
    gst_bin_add (GST_BIN (self), self->webrtcbin);
    g_signal_connect (self->webrtcbin, "pad-added",
        G_CALLBACK (on_pad_added), self);
    gst_sec_whip_watch_connection (GST_ELEMENT (self), self->webrtcbin,
        "WHEP");
  }
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}

static void
gst_sec_whep_src_finalize (GObject * object)
{
  GstSecWhepSrc *self = GST_SEC_WHEP_SRC (object);

  gst_sec_whip_client_clear (&self->client);
  g_free (self->endpoint);
  g_free (self->ca_file);
  gst_clear_caps (&self->video_caps);
  gst_clear_caps (&self->audio_caps);
  gst_sec_whip_token_clear (&self->token);
  g_mutex_clear (&self->client_lock);
  G_OBJECT_CLASS (gst_sec_whep_src_parent_class)->finalize (object);
}

static void
gst_sec_whep_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecWhepSrc *self = GST_SEC_WHEP_SRC (object);
  const gchar *forwarded = gst_sec_whip_forward_name (PROP_FORWARD_FIRST,
      prop_id);

  if (forwarded != NULL) {
    if (self->webrtcbin != NULL)
      gst_sec_whip_forward_set (self->webrtcbin, forwarded, value);
    return;
  }
  GST_OBJECT_LOCK (self);
  if (!gst_sec_whip_token_set (&self->token, object, PROP_TOKEN_FIRST,
          prop_id, value)) {
    switch (prop_id) {
      case PROP_WHEP_ENDPOINT:
        g_free (self->endpoint);
        self->endpoint = g_value_dup_string (value);
        break;
      case PROP_CA_FILE:
        g_free (self->ca_file);
        self->ca_file = g_value_dup_string (value);
        break;
      case PROP_TIMEOUT:
        self->timeout_s = g_value_get_uint (value);
        break;
      case PROP_VIDEO_CAPS:
        gst_caps_replace (&self->video_caps, g_value_get_boxed (value));
        break;
      case PROP_AUDIO_CAPS:
        gst_caps_replace (&self->audio_caps, g_value_get_boxed (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        break;
    }
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_sec_whep_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecWhepSrc *self = GST_SEC_WHEP_SRC (object);
  const gchar *forwarded = gst_sec_whip_forward_name (PROP_FORWARD_FIRST,
      prop_id);

  if (forwarded != NULL) {
    if (self->webrtcbin != NULL)
      gst_sec_whip_forward_read (self->webrtcbin, forwarded, value);
    else
      g_param_value_set_default (pspec, value);
    return;
  }
  if (prop_id == PROP_RESOURCE_URL) {
    g_mutex_lock (&self->client_lock);
    g_value_set_string (value, self->client.resource);
    g_mutex_unlock (&self->client_lock);
    return;
  }
  GST_OBJECT_LOCK (self);
  if (!gst_sec_whip_token_get (&self->token, PROP_TOKEN_FIRST, prop_id,
          value)) {
    switch (prop_id) {
      case PROP_WHEP_ENDPOINT:
        g_value_set_string (value, self->endpoint);
        break;
      case PROP_CA_FILE:
        g_value_set_string (value, self->ca_file);
        break;
      case PROP_TIMEOUT:
        g_value_set_uint (value, self->timeout_s);
        break;
      case PROP_VIDEO_CAPS:
        gst_value_set_caps (value, self->video_caps);
        break;
      case PROP_AUDIO_CAPS:
        gst_value_set_caps (value, self->audio_caps);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        break;
    }
  }
  GST_OBJECT_UNLOCK (self);
}

/* --- the session --------------------------------------------------------- */

static gpointer
play (gpointer data)
{
  GstSecWhepSrc *self = data;
  GstSecWhipClient *client = &self->client;
  GError *error = NULL;
  gchar *offer, *answer, *done;

  offer = gst_sec_whip_bin_describe (self->webrtcbin, "offer",
      client->timeout_s, &error);
  if (offer == NULL) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        (_("The offer could not be made.")), ("%s", error->message));
    g_error_free (error);
    return NULL;
  }
  g_mutex_lock (&self->client_lock);
  answer = gst_sec_whip_client_post (client, offer);
  g_mutex_unlock (&self->client_lock);
  gst_sec_whip_secret_free (offer);
  if (answer == NULL)
    return NULL;
  done = gst_sec_whip_bin_call (self->webrtcbin, "set-remote-description",
      "answer", answer, &error);
  gst_sec_whip_secret_free (answer);
  if (done == NULL) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        (_("The endpoint's answer was refused.")), ("%s", error->message));
    g_error_free (error);
    g_mutex_lock (&self->client_lock);
    gst_sec_whip_client_delete (client);
    g_mutex_unlock (&self->client_lock);
    return NULL;
  }
  g_free (done);
  GST_INFO_OBJECT (self, "playing");
  g_object_notify (G_OBJECT (self), "resource-url");
  return NULL;
}

/* A receive-only m-line for @caps, once per element (they stay in the
 * bin's session). */
static gboolean
add_transceiver (GstSecWhepSrc * self, GstCaps * caps)
{
  guint mline = G_MAXUINT;

  if (caps == NULL || gst_caps_is_empty (caps))
    return TRUE;
  g_signal_emit_by_name (self->webrtcbin, "add-transceiver", "recvonly",
      caps, &mline);
  return mline != G_MAXUINT;    /* the bin has posted why */
}

static gboolean
session_start (GstSecWhepSrc * self)
{
  gchar *endpoint, *ca_file;
  GstCaps *video, *audio;
  guint timeout_s;
  gboolean ok = TRUE, add;

  if (self->webrtcbin == NULL) {
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        (_("The secwebrtc plugin is missing.")),
        ("secwhepsrc plays through a secwebrtcbin"));
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  endpoint = g_strdup (self->endpoint);
  ca_file = g_strdup (self->ca_file);
  timeout_s = self->timeout_s;
  video = self->video_caps ? gst_caps_ref (self->video_caps) : NULL;
  audio = self->audio_caps ? gst_caps_ref (self->audio_caps) : NULL;
  add = !self->transceivers_added;
  self->transceivers_added = TRUE;
  GST_OBJECT_UNLOCK (self);

  if (add && (gst_caps_is_empty (video) && gst_caps_is_empty (audio))) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("There is nothing to receive.")),
        ("video-caps and audio-caps are both empty"));
    ok = FALSE;
  } else if (add) {
    ok = add_transceiver (self, video) && add_transceiver (self, audio);
    if (!ok)
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          (_("The caps to receive are not usable.")),
          ("video-caps %" GST_PTR_FORMAT ", audio-caps %" GST_PTR_FORMAT
              ": each must be application/x-rtp with media and "
              "encoding-name", video, audio));
  }
  gst_clear_caps (&video);
  gst_clear_caps (&audio);
  if (ok) {
    g_mutex_lock (&self->client_lock);
    ok = gst_sec_whip_client_start (&self->client, GST_ELEMENT (self),
        "WHEP", endpoint, ca_file, timeout_s, &self->token);
    g_mutex_unlock (&self->client_lock);
  }
  g_free (endpoint);
  g_free (ca_file);
  if (ok)
    self->thread = g_thread_new ("secwhepsrc", play, self);
  return ok;
}

static void
session_stop (GstSecWhepSrc * self)
{
  gst_sec_whip_client_stop (&self->client, self->thread);
  self->thread = NULL;
  g_mutex_lock (&self->client_lock);
  gst_sec_whip_client_delete (&self->client);
  g_mutex_unlock (&self->client_lock);
}

static GstStateChangeReturn
gst_sec_whep_src_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSecWhepSrc *self = GST_SEC_WHEP_SRC (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    session_stop (self);

  ret = GST_ELEMENT_CLASS (gst_sec_whep_src_parent_class)->change_state
      (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      /* a live source: its pads come with the server's streams */
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
      /* as secwhipsink: the offer once the bin's state changes are over */
      if (self->thread == NULL && !session_start (self))
        ret = GST_STATE_CHANGE_FAILURE;
      break;
    default:
      break;
  }
  return ret;
}

/* --- pads ---------------------------------------------------------------- */

static void
on_pad_added (GstElement * webrtcbin, GstPad * pad, GstSecWhepSrc * self)
{
  GstPad *ghost;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  /* the bin's name (src_<m-line>) is unique in ours as well */
  ghost = gst_ghost_pad_new_from_template (GST_PAD_NAME (pad), pad,
      gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self),
          "src_%u"));
  gst_pad_set_active (ghost, TRUE);
  gst_element_add_pad (GST_ELEMENT (self), ghost);
  GST_INFO_OBJECT (self, "receiving on %s", GST_PAD_NAME (ghost));
}
