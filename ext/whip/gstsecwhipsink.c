/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secwhipsink
 *
 * Publishes to a WHIP endpoint (RFC 9725): link payloaders to request
 * `sink_%u` pads, and on the way to PLAYING the element makes the offer of
 * its secwebrtcbin, waits for ICE to gather every candidate, POSTs the
 * offer (application/sdp, the bearer token of auth-token-file or
 * auth-token-env), follows 307/308, applies the 201's answer and keeps the
 * session's Location. At EOS on every pad, and on the way to READY, it
 * DELETEs the session. The endpoint must be https, its certificate
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

#include <glib/gi18n-lib.h>

#include "gstsecwhipclient.h"
#include "gstsecwhipcommon.h"

GST_DEBUG_CATEGORY_STATIC (gst_sec_whip_sink_debug);
#define GST_CAT_DEFAULT gst_sec_whip_sink_debug

#define DEFAULT_TIMEOUT 15

enum
{
  PROP_0,
  PROP_WHIP_ENDPOINT,
  PROP_CA_FILE,
  PROP_TIMEOUT,
  PROP_RESOURCE_URL,
  PROP_TOKEN_FIRST,
  PROP_FORWARD_FIRST = PROP_TOKEN_FIRST + 3,
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink_%u",
    GST_PAD_SINK, GST_PAD_REQUEST, GST_STATIC_CAPS ("application/x-rtp"));

struct _GstSecWhipSink
{
  GstBin parent;

  GstElement *webrtcbin;        /* our child, from init; NULL when missing */

  /* protected by the object lock */
  gchar *endpoint;
  gchar *ca_file;
  guint timeout_s;
  GstSecWhipToken token;
  guint n_pads;
  guint next_pad;
  guint n_eos;

  /* the session: the thread owns client until it is joined */
  GThread *thread;
  GstSecWhipClient client;
  GMutex client_lock;           /* the DELETE: EOS or stopping, once */
};

G_DEFINE_TYPE (GstSecWhipSink, gst_sec_whip_sink, GST_TYPE_BIN);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (secwhipsink, "secwhipsink",
    GST_RANK_NONE, GST_TYPE_SEC_WHIP_SINK,
    GST_DEBUG_CATEGORY_INIT (gst_sec_whip_sink_debug, "secwhipsink", 0,
        "WHIP client"));

static void gst_sec_whip_sink_finalize (GObject * object);
static void gst_sec_whip_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_sec_whip_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_sec_whip_sink_change_state (GstElement *
    element, GstStateChange transition);
static GstPad *gst_sec_whip_sink_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
static void gst_sec_whip_sink_release_pad (GstElement * element,
    GstPad * pad);

static void
gst_sec_whip_sink_class_init (GstSecWhipSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_sec_whip_sink_finalize;
  gobject_class->set_property = gst_sec_whip_sink_set_property;
  gobject_class->get_property = gst_sec_whip_sink_get_property;

  g_object_class_install_property (gobject_class, PROP_WHIP_ENDPOINT,
      g_param_spec_string ("whip-endpoint", "WHIP endpoint",
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
  g_object_class_install_property (gobject_class, PROP_RESOURCE_URL,
      g_param_spec_string ("resource-url", "Resource URL",
          "The session's URL on the server (its Location), once published",
          NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  gst_sec_whip_token_install (gobject_class, PROP_TOKEN_FIRST, FALSE);
  gst_sec_whip_forward_install (gobject_class, PROP_FORWARD_FIRST);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class,
      "WHIP client (gst-secwebrtc)", "Sink/Network/WebRTC",
      "Publishes RTP streams to a WHIP endpoint (RFC 9725) over "
      "secwebrtcbin", "gst-secwebrtc developers");
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_sec_whip_sink_change_state);
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_sec_whip_sink_request_new_pad);
  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_sec_whip_sink_release_pad);
}

static void
gst_sec_whip_sink_init (GstSecWhipSink * self)
{
  self->timeout_s = DEFAULT_TIMEOUT;
  g_mutex_init (&self->client_lock);
  self->webrtcbin = gst_element_factory_make ("secwebrtcbin", "webrtc");
  if (self->webrtcbin != NULL) {
    gst_bin_add (GST_BIN (self), self->webrtcbin);
    gst_sec_whip_watch_connection (GST_ELEMENT (self), self->webrtcbin,
        "WHIP");
  }
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SINK);
}

static void
gst_sec_whip_sink_finalize (GObject * object)
{
  GstSecWhipSink *self = GST_SEC_WHIP_SINK (object);

  gst_sec_whip_client_clear (&self->client);
  g_free (self->endpoint);
  g_free (self->ca_file);
  gst_sec_whip_token_clear (&self->token);
  g_mutex_clear (&self->client_lock);
  G_OBJECT_CLASS (gst_sec_whip_sink_parent_class)->finalize (object);
}

static void
gst_sec_whip_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecWhipSink *self = GST_SEC_WHIP_SINK (object);
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
      case PROP_WHIP_ENDPOINT:
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
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        break;
    }
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_sec_whip_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecWhipSink *self = GST_SEC_WHIP_SINK (object);
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
      case PROP_WHIP_ENDPOINT:
        g_value_set_string (value, self->endpoint);
        break;
      case PROP_CA_FILE:
        g_value_set_string (value, self->ca_file);
        break;
      case PROP_TIMEOUT:
        g_value_set_uint (value, self->timeout_s);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        break;
    }
  }
  GST_OBJECT_UNLOCK (self);
}

/* --- the session --------------------------------------------------------- */

static void
session_delete (GstSecWhipSink * self)
{
  g_mutex_lock (&self->client_lock);
  gst_sec_whip_client_delete (&self->client);
  g_mutex_unlock (&self->client_lock);
}

/* The offer, the POST and the answer: blocking, so on a thread of ours. */
static gpointer
publish (gpointer data)
{
  GstSecWhipSink *self = data;
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
  if (client->ice_servers->len > 0)
    /* they came with the answer, after our gathering: RFC 9725 §4.6
     * lets a client use them for an ICE restart, which we do not do */
    GST_INFO_OBJECT (self, "the endpoint named %u ICE servers; set "
        "stun-server/turn-server to use them", client->ice_servers->len);
  done = gst_sec_whip_bin_call (self->webrtcbin, "set-remote-description",
      "answer", answer, &error);
  gst_sec_whip_secret_free (answer);
  if (done == NULL) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        (_("The endpoint's answer was refused.")), ("%s", error->message));
    g_error_free (error);
    session_delete (self);
    return NULL;
  }
  g_free (done);
  GST_INFO_OBJECT (self, "published");
  g_object_notify (G_OBJECT (self), "resource-url");
  return NULL;
}

static gboolean
session_start (GstSecWhipSink * self)
{
  gchar *endpoint, *ca_file;
  guint timeout_s;
  gboolean ok;

  if (self->webrtcbin == NULL) {
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        (_("The secwebrtc plugin is missing.")),
        ("secwhipsink publishes through a secwebrtcbin"));
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  endpoint = g_strdup (self->endpoint);
  ca_file = g_strdup (self->ca_file);
  timeout_s = self->timeout_s;
  self->n_eos = 0;
  GST_OBJECT_UNLOCK (self);
  g_mutex_lock (&self->client_lock);
  ok = gst_sec_whip_client_start (&self->client, GST_ELEMENT (self), "WHIP",
      endpoint, ca_file, timeout_s, &self->token);
  g_mutex_unlock (&self->client_lock);
  g_free (endpoint);
  g_free (ca_file);
  if (ok)
    self->thread = g_thread_new ("secwhipsink", publish, self);
  return ok;
}

static void
session_stop (GstSecWhipSink * self)
{
  gst_sec_whip_client_stop (&self->client, self->thread);
  self->thread = NULL;
  session_delete (self);
}

static GstStateChangeReturn
gst_sec_whip_sink_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSecWhipSink *self = GST_SEC_WHIP_SINK (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    session_stop (self);

  ret = GST_ELEMENT_CLASS (gst_sec_whip_sink_parent_class)->change_state
      (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  /* PLAYING: the pads of a launch line are linked, and the bin's state
   * changes are over (its create-offer builds transports, which must not
   * race with a state change of the bin) */
  if (transition == GST_STATE_CHANGE_PAUSED_TO_PLAYING && self->thread == NULL
      && !session_start (self))
    return GST_STATE_CHANGE_FAILURE;
  return ret;
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
    session_delete (self);
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
  GstCaps *caps;

  if (target != NULL) {         /* linked again: it has its m-line */
    gst_object_unref (target);
    return;
  }
  caps = gst_pad_query_caps (peer, NULL);
  target = gst_element_request_pad (self->webrtcbin,
      gst_element_get_pad_template (self->webrtcbin, "sink_%u"), NULL, caps);
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

  if (self->webrtcbin == NULL)
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
    gst_element_release_request_pad (self->webrtcbin, target);
    gst_object_unref (target);
  }
  GST_OBJECT_LOCK (self);
  self->n_pads--;
  GST_OBJECT_UNLOCK (self);
  gst_element_remove_pad (element, pad);
}
