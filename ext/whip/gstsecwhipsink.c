/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secwhipsink
 *
 * Publishes to a WHIP endpoint (RFC 9725): link payloaders to request
 * `sink_%u` pads, and on the way to PLAYING the element asks the endpoint
 * for its ICE servers (an authenticated OPTIONS: the STUN and TURN
 * servers of its Link header fields, RFC 9725 §4.6, `use-link-headers`),
 * makes the offer of its secwebrtcbin, POSTs it (application/sdp, the
 * bearer token of auth-token-file or auth-token-env), follows 307/308,
 * applies the 201's answer and keeps the session's Location and ETag.
 * When the endpoint takes trickle ICE PATCHes the offer goes at once and
 * the candidates follow by PATCH (`trickle`); otherwise it waits for every
 * candidate. `restart-ice` restarts ICE by PATCH. At EOS on every pad, and
 * on the way to READY, it DELETEs the session. The endpoint must be https, its certificate
 * verified against the system's store or `ca-file` (http only to a
 * loopback address, with a warning). An HTTP failure is an element error
 * that names the method, the endpoint and the status, never the token.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -e videotestsrc is-live=true ! vp8enc deadline=1 ! \
 *   rtpvp8pay ! secwhipsink whip-endpoint=https://example.net/whip \
 *   auth-token-file=token
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecwhipsink.h"

#include "gstsecwhipclientbin.h"

GST_DEBUG_CATEGORY_STATIC (gst_sec_whip_sink_debug);
#define GST_CAT_DEFAULT gst_sec_whip_sink_debug

enum
{
  PROP_0,
  PROP_WHIP_ENDPOINT,
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink_%u",
    GST_PAD_SINK, GST_PAD_REQUEST, GST_STATIC_CAPS ("application/x-rtp"));

struct _GstSecWhipSink
{
  GstSecWhipClientBin parent;

  /* protected by the object lock */
  guint n_pads;
  guint next_pad;
  guint n_eos;
};

G_DEFINE_TYPE (GstSecWhipSink, gst_sec_whip_sink,
    GST_TYPE_SEC_WHIP_CLIENT_BIN);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (secwhipsink, "secwhipsink",
    GST_RANK_NONE, GST_TYPE_SEC_WHIP_SINK,
    GST_DEBUG_CATEGORY_INIT (gst_sec_whip_sink_debug, "secwhipsink", 0,
        "WHIP client"));

static void gst_sec_whip_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_sec_whip_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static gboolean gst_sec_whip_sink_prepare (GstSecWhipClientBin * bin);
static GstPad *gst_sec_whip_sink_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
static void gst_sec_whip_sink_release_pad (GstElement * element,
    GstPad * pad);

static void
gst_sec_whip_sink_class_init (GstSecWhipSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstSecWhipClientBinClass *client_class =
      GST_SEC_WHIP_CLIENT_BIN_CLASS (klass);

  gobject_class->set_property = gst_sec_whip_sink_set_property;
  gobject_class->get_property = gst_sec_whip_sink_get_property;

  g_object_class_install_property (gobject_class, PROP_WHIP_ENDPOINT,
      g_param_spec_string ("whip-endpoint", "WHIP endpoint",
          "URL the offer is POSTed to: https (http only to a loopback "
          "address)", NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class,
      "WHIP client (gst-secwebrtc)", "Sink/Network/WebRTC",
      "Publishes RTP streams to a WHIP endpoint (RFC 9725) over "
      "secwebrtcbin", "gst-secwebrtc developers");
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_sec_whip_sink_request_new_pad);
  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_sec_whip_sink_release_pad);
  client_class->protocol = "WHIP";
  client_class->prepare = gst_sec_whip_sink_prepare;
}

static void
gst_sec_whip_sink_init (GstSecWhipSink * self)
{
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SINK);
}

static void
gst_sec_whip_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  if (prop_id == PROP_WHIP_ENDPOINT)
    gst_sec_whip_client_bin_set_endpoint (GST_SEC_WHIP_CLIENT_BIN (object),
        g_value_get_string (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
gst_sec_whip_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  if (prop_id == PROP_WHIP_ENDPOINT)
    g_value_take_string (value, gst_sec_whip_client_bin_dup_endpoint
        (GST_SEC_WHIP_CLIENT_BIN (object)));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static gboolean
gst_sec_whip_sink_prepare (GstSecWhipClientBin * bin)
{
  GstSecWhipSink *self = GST_SEC_WHIP_SINK (bin);

  GST_OBJECT_LOCK (self);
  self->n_eos = 0;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

/* --- pads ---------------------------------------------------------------- */

/* EOS on every pad: the publisher is done, the session is deleted before
 * the EOS goes on (so that gst-launch -e ends after the DELETE). */
static GstPadProbeReturn
on_sink_event (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstSecWhipSink *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  gboolean all;

  if (GST_EVENT_TYPE (event) != GST_EVENT_EOS)
    return GST_PAD_PROBE_OK;
  GST_OBJECT_LOCK (self);
  all = ++self->n_eos >= self->n_pads;
  GST_OBJECT_UNLOCK (self);
  if (all) {
    GST_INFO_OBJECT (self, "EOS on every pad: ending the session");
    gst_sec_whip_client_bin_delete (GST_SEC_WHIP_CLIENT_BIN (self));
    /* the bin's own sinks never see our EOS: say it for them */
    gst_element_post_message (GST_ELEMENT (self),
        gst_message_new_eos (GST_OBJECT (self)));
  }
  return GST_PAD_PROBE_OK;
}

/* Our pad is linked: the bin's pad is requested with what upstream
 * offers (a payloader's media), so that it makes the m-line at once. */
static void
on_ghost_linked (GstPad * ghost, GstPad * peer, GstSecWhipSink * self)
{
  GstPad *target = gst_ghost_pad_get_target (GST_GHOST_PAD (ghost));
  GstElement *webrtcbin;
  GstCaps *caps;

  if (target != NULL) {         /* linked again: it has its m-line */
    gst_object_unref (target);
    return;
  }
  caps = gst_pad_query_caps (peer, NULL);
  webrtcbin = gst_sec_whip_client_bin_get_webrtcbin (GST_SEC_WHIP_CLIENT_BIN
      (self));
  target = gst_element_request_pad (webrtcbin,
      gst_element_get_pad_template (webrtcbin, "sink_%u"), NULL, caps);
  gst_caps_unref (caps);
  if (target == NULL)
    return;                     /* the bin has posted why */
  gst_ghost_pad_set_target (GST_GHOST_PAD (ghost), target);
  gst_object_unref (target);
}

static GstPad *
gst_sec_whip_sink_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstSecWhipSink *self = GST_SEC_WHIP_SINK (element);
  GstPad *ghost;
  gchar *pad_name;

  if (gst_sec_whip_client_bin_get_webrtcbin (GST_SEC_WHIP_CLIENT_BIN (self))
      == NULL)
    return NULL;
  GST_OBJECT_LOCK (self);
  pad_name = g_strdup_printf ("sink_%u", self->next_pad++);
  self->n_pads++;
  GST_OBJECT_UNLOCK (self);
  ghost = gst_ghost_pad_new_no_target_from_template (pad_name, templ);
  g_free (pad_name);
  g_signal_connect (ghost, "linked", G_CALLBACK (on_ghost_linked), self);
  gst_pad_add_probe (ghost, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      on_sink_event, self, NULL);
  gst_pad_set_active (ghost, TRUE);
  gst_element_add_pad (element, ghost);
  return ghost;
}

static void
gst_sec_whip_sink_release_pad (GstElement * element, GstPad * pad)
{
  GstSecWhipSink *self = GST_SEC_WHIP_SINK (element);
  GstPad *target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));

  if (target != NULL) {
    gst_element_release_request_pad (gst_sec_whip_client_bin_get_webrtcbin
        (GST_SEC_WHIP_CLIENT_BIN (self)), target);
    gst_object_unref (target);
  }
  GST_OBJECT_LOCK (self);
  self->n_pads--;
  GST_OBJECT_UNLOCK (self);
  gst_element_remove_pad (element, pad);
}
