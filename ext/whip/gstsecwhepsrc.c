/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secwhepsrc
 *
 * Plays from a WHEP endpoint (WebRTC-HTTP Egress Protocol, the playback
 * side of RFC 9725's exchange): on the way to PLAYING the element adds a
 * receive-only transceiver to its secwebrtcbin for each of `video-caps`
 * and `audio-caps` (either may be empty), POSTs the offer, applies the
 * 201's answer and keeps the session's Location, which it DELETEs on the
 * way to READY. What the server sends comes out of `src_%u` pads as RTP
 * with full caps (link them to decodebin, or to a depayloader). The
 * HTTPS and token rules, the endpoint's ICE servers, trickle and
 * `restart-ice` are those of secwhipsink.
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

GST_DEBUG_CATEGORY_STATIC (gst_sec_whep_src_debug);
#define GST_CAT_DEFAULT gst_sec_whep_src_debug

#define DEFAULT_VIDEO_CAPS \
  "application/x-rtp, media=video, encoding-name=VP8, clock-rate=90000"
#define DEFAULT_AUDIO_CAPS \
  "application/x-rtp, media=audio, encoding-name=OPUS, clock-rate=48000"

enum
{
  PROP_0,
  PROP_WHEP_ENDPOINT,
  PROP_VIDEO_CAPS,
  PROP_AUDIO_CAPS,
};

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src_%u",
    GST_PAD_SRC, GST_PAD_SOMETIMES, GST_STATIC_CAPS ("application/x-rtp"));

struct _GstSecWhepSrc
{
  GstSecWhipClientBin parent;

  /* protected by the object lock */
  GstCaps *video_caps;
  GstCaps *audio_caps;
  gboolean transceivers_added;
};

G_DEFINE_TYPE (GstSecWhepSrc, gst_sec_whep_src, GST_TYPE_SEC_WHIP_CLIENT_BIN);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (secwhepsrc, "secwhepsrc",
    GST_RANK_NONE, GST_TYPE_SEC_WHEP_SRC,
    GST_DEBUG_CATEGORY_INIT (gst_sec_whep_src_debug, "secwhepsrc", 0,
        "WHEP client"));

static void gst_sec_whep_src_finalize (GObject * object);
static void gst_sec_whep_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_sec_whep_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static gboolean gst_sec_whep_src_prepare (GstSecWhipClientBin * bin);
static void on_pad_added (GstElement * webrtcbin, GstPad * pad,
    GstSecWhepSrc * self);

static void
gst_sec_whep_src_class_init (GstSecWhepSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstSecWhipClientBinClass *client_class =
      GST_SEC_WHIP_CLIENT_BIN_CLASS (klass);

  gobject_class->finalize = gst_sec_whep_src_finalize;
  gobject_class->set_property = gst_sec_whep_src_set_property;
  gobject_class->get_property = gst_sec_whep_src_get_property;

  g_object_class_install_property (gobject_class, PROP_WHEP_ENDPOINT,
      g_param_spec_string ("whep-endpoint", "WHEP endpoint",
          "URL the offer is POSTed to: https (http only to a loopback "
          "address)", NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
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

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "WHEP client (gst-secwebrtc)", "Source/Network/WebRTC",
      "Plays the streams of a WHEP endpoint over secwebrtcbin",
      "gst-secwebrtc developers");
  client_class->protocol = "WHEP";
  client_class->live_source = TRUE;
  client_class->prepare = gst_sec_whep_src_prepare;
}

static void
gst_sec_whep_src_init (GstSecWhepSrc * self)
{
  GstElement *webrtcbin =
      gst_sec_whip_client_bin_get_webrtcbin (GST_SEC_WHIP_CLIENT_BIN (self));

  self->video_caps = gst_caps_from_string (DEFAULT_VIDEO_CAPS);
  self->audio_caps = gst_caps_from_string (DEFAULT_AUDIO_CAPS);
  if (webrtcbin != NULL)
    g_signal_connect (webrtcbin, "pad-added", G_CALLBACK (on_pad_added),
        self);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}

static void
gst_sec_whep_src_finalize (GObject * object)
{
  GstSecWhepSrc *self = GST_SEC_WHEP_SRC (object);

  gst_clear_caps (&self->video_caps);
  gst_clear_caps (&self->audio_caps);
  G_OBJECT_CLASS (gst_sec_whep_src_parent_class)->finalize (object);
}

static void
gst_sec_whep_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecWhepSrc *self = GST_SEC_WHEP_SRC (object);

  if (prop_id == PROP_WHEP_ENDPOINT) {
    gst_sec_whip_client_bin_set_endpoint (GST_SEC_WHIP_CLIENT_BIN (self),
        g_value_get_string (value));
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
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
  GST_OBJECT_UNLOCK (self);
}

static void
gst_sec_whep_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecWhepSrc *self = GST_SEC_WHEP_SRC (object);

  if (prop_id == PROP_WHEP_ENDPOINT) {
    g_value_take_string (value, gst_sec_whip_client_bin_dup_endpoint
        (GST_SEC_WHIP_CLIENT_BIN (self)));
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
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
  GST_OBJECT_UNLOCK (self);
}

/* A receive-only m-line for @caps (they stay in the bin's session, so
 * once per element). */
static gboolean
add_transceiver (GstElement * webrtcbin, GstCaps * caps)
{
  guint mline = G_MAXUINT;

  if (caps == NULL || gst_caps_is_empty (caps))
    return TRUE;
  g_signal_emit_by_name (webrtcbin, "add-transceiver", "recvonly", caps,
      &mline);
  return mline != G_MAXUINT;    /* the bin has posted why */
}

static gboolean
gst_sec_whep_src_prepare (GstSecWhipClientBin * bin)
{
  GstSecWhepSrc *self = GST_SEC_WHEP_SRC (bin);
  GstElement *webrtcbin = gst_sec_whip_client_bin_get_webrtcbin (bin);
  GstCaps *video, *audio;
  gboolean ok = TRUE, add;

  GST_OBJECT_LOCK (self);
  video = self->video_caps ? gst_caps_ref (self->video_caps) : NULL;
  audio = self->audio_caps ? gst_caps_ref (self->audio_caps) : NULL;
  add = !self->transceivers_added;
  self->transceivers_added = TRUE;
  GST_OBJECT_UNLOCK (self);

  if (add && (video == NULL || gst_caps_is_empty (video))
      && (audio == NULL || gst_caps_is_empty (audio))) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("There is nothing to receive.")),
        ("video-caps and audio-caps are both empty"));
    ok = FALSE;
  } else if (add && !(add_transceiver (webrtcbin, video)
          && add_transceiver (webrtcbin, audio))) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("The caps to receive are not usable.")),
        ("video-caps %" GST_PTR_FORMAT ", audio-caps %" GST_PTR_FORMAT
            ": each must be application/x-rtp with media and "
            "encoding-name", video, audio));
    ok = FALSE;
  }
  gst_clear_caps (&video);
  gst_clear_caps (&audio);
  return ok;
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
