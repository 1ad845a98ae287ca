/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The base of the WHIP and WHEP clients: see gstsecwhipclientbin.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecwhipclientbin.h"

#include <glib/gi18n-lib.h>

#include "gstsecwhipclient.h"
#include "gstsecwhipcommon.h"

GST_DEBUG_CATEGORY_STATIC (gst_sec_whip_client_bin_debug);
#define GST_CAT_DEFAULT gst_sec_whip_client_bin_debug

#define DEFAULT_TIMEOUT 15

enum
{
  PROP_0,
  PROP_CA_FILE,
  PROP_TIMEOUT,
  PROP_RESOURCE_URL,
  PROP_TOKEN_FIRST,
  PROP_FORWARD_FIRST = PROP_TOKEN_FIRST + 3,
};

typedef struct
{
  GstElement *webrtcbin;        /* our child, from init; NULL when missing */

  /* protected by the object lock */
  gchar *endpoint;
  gchar *ca_file;
  guint timeout_s;
  GstSecWhipToken token;

  /* the session: the thread owns client until it is joined, then
   * client_lock guards it (the DELETE: EOS or stopping, once) */
  GThread *thread;
  GstSecWhipClient client;
  GMutex client_lock;
} GstSecWhipClientBinPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (GstSecWhipClientBin,
    gst_sec_whip_client_bin, GST_TYPE_BIN,
    G_ADD_PRIVATE (GstSecWhipClientBin);
    GST_DEBUG_CATEGORY_INIT (gst_sec_whip_client_bin_debug, "secwhipclientbin",
        0, "WHIP and WHEP clients"));

#define PRIV(self) ((GstSecWhipClientBinPrivate *) \
    gst_sec_whip_client_bin_get_instance_private (self))

static void gst_sec_whip_client_bin_finalize (GObject * object);
static void gst_sec_whip_client_bin_set_property (GObject * object,
    guint prop_id, const GValue * value, GParamSpec * pspec);
static void gst_sec_whip_client_bin_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_sec_whip_client_bin_change_state (GstElement
    * element, GstStateChange transition);

static void
gst_sec_whip_client_bin_class_init (GstSecWhipClientBinClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_sec_whip_client_bin_finalize;
  gobject_class->set_property = gst_sec_whip_client_bin_set_property;
  gobject_class->get_property = gst_sec_whip_client_bin_get_property;

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
          "The session's URL on the server (its Location), once the "
          "endpoint answered", NULL,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  gst_sec_whip_token_install (gobject_class, PROP_TOKEN_FIRST, FALSE);
  gst_sec_whip_forward_install (gobject_class, PROP_FORWARD_FIRST);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_sec_whip_client_bin_change_state);
}

static void
gst_sec_whip_client_bin_init (GstSecWhipClientBin * self)
{
  GstSecWhipClientBinPrivate *priv = PRIV (self);

  priv->timeout_s = DEFAULT_TIMEOUT;
  g_mutex_init (&priv->client_lock);
  priv->webrtcbin = gst_element_factory_make ("secwebrtcbin", "webrtc");
  if (priv->webrtcbin != NULL) {
    gst_bin_add (GST_BIN (self), priv->webrtcbin);
    gst_sec_whip_watch_connection (GST_ELEMENT (self), priv->webrtcbin);
  }
}

static void
gst_sec_whip_client_bin_finalize (GObject * object)
{
  GstSecWhipClientBinPrivate *priv = PRIV (GST_SEC_WHIP_CLIENT_BIN (object));

  gst_sec_whip_client_clear (&priv->client);
  g_free (priv->endpoint);
  g_free (priv->ca_file);
  gst_sec_whip_token_clear (&priv->token);
  g_mutex_clear (&priv->client_lock);
  G_OBJECT_CLASS (gst_sec_whip_client_bin_parent_class)->finalize (object);
}

static void
gst_sec_whip_client_bin_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecWhipClientBin *self = GST_SEC_WHIP_CLIENT_BIN (object);
  GstSecWhipClientBinPrivate *priv = PRIV (self);
  const gchar *forwarded = gst_sec_whip_forward_name (PROP_FORWARD_FIRST,
      prop_id);

  if (forwarded != NULL) {
    if (priv->webrtcbin != NULL)
      gst_sec_whip_forward_set (priv->webrtcbin, forwarded, value);
    return;
  }
  GST_OBJECT_LOCK (self);
  if (!gst_sec_whip_token_set (&priv->token, object, PROP_TOKEN_FIRST,
          prop_id, value)) {
    switch (prop_id) {
      case PROP_CA_FILE:
        g_free (priv->ca_file);
        priv->ca_file = g_value_dup_string (value);
        break;
      case PROP_TIMEOUT:
        priv->timeout_s = g_value_get_uint (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        break;
    }
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_sec_whip_client_bin_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecWhipClientBin *self = GST_SEC_WHIP_CLIENT_BIN (object);
  GstSecWhipClientBinPrivate *priv = PRIV (self);
  const gchar *forwarded = gst_sec_whip_forward_name (PROP_FORWARD_FIRST,
      prop_id);

  if (forwarded != NULL) {
    if (priv->webrtcbin != NULL)
      gst_sec_whip_forward_read (priv->webrtcbin, forwarded, value);
    else
      g_param_value_set_default (pspec, value);
    return;
  }
  if (prop_id == PROP_RESOURCE_URL) {
    g_mutex_lock (&priv->client_lock);
    g_value_set_string (value, priv->client.resource);
    g_mutex_unlock (&priv->client_lock);
    return;
  }
  GST_OBJECT_LOCK (self);
  if (!gst_sec_whip_token_get (&priv->token, PROP_TOKEN_FIRST, prop_id,
          value)) {
    switch (prop_id) {
      case PROP_CA_FILE:
        g_value_set_string (value, priv->ca_file);
        break;
      case PROP_TIMEOUT:
        g_value_set_uint (value, priv->timeout_s);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        break;
    }
  }
  GST_OBJECT_UNLOCK (self);
}

GstElement *
gst_sec_whip_client_bin_get_webrtcbin (GstSecWhipClientBin * self)
{
  return PRIV (self)->webrtcbin;
}

void
gst_sec_whip_client_bin_set_endpoint (GstSecWhipClientBin * self,
    const gchar * endpoint)
{
  GST_OBJECT_LOCK (self);
  g_free (PRIV (self)->endpoint);
  PRIV (self)->endpoint = g_strdup (endpoint);
  GST_OBJECT_UNLOCK (self);
}

gchar *
gst_sec_whip_client_bin_dup_endpoint (GstSecWhipClientBin * self)
{
  gchar *endpoint;

  GST_OBJECT_LOCK (self);
  endpoint = g_strdup (PRIV (self)->endpoint);
  GST_OBJECT_UNLOCK (self);
  return endpoint;
}

void
gst_sec_whip_client_bin_delete (GstSecWhipClientBin * self)
{
  GstSecWhipClientBinPrivate *priv = PRIV (self);

  g_mutex_lock (&priv->client_lock);
  gst_sec_whip_client_delete (&priv->client);
  g_mutex_unlock (&priv->client_lock);
}

/* --- the session --------------------------------------------------------- */

/* The offer, the POST and the answer: blocking, so on a thread of ours. */
static gpointer
exchange (gpointer data)
{
  GstSecWhipClientBin *self = data;
  GstSecWhipClientBinPrivate *priv = PRIV (self);
  GstSecWhipClient *client = &priv->client;
  GError *error = NULL;
  gchar *offer, *answer, *done;

  offer = gst_sec_whip_bin_describe (priv->webrtcbin, "offer",
      client->timeout_s, &error);
  if (offer == NULL) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        (_("The offer could not be made.")), ("%s", error->message));
    g_error_free (error);
    return NULL;
  }
  g_mutex_lock (&priv->client_lock);
  answer = gst_sec_whip_client_post (client, offer);
  g_mutex_unlock (&priv->client_lock);
  gst_sec_whip_secret_free (offer);
  if (answer == NULL)
    return NULL;
  if (client->ice_servers->len > 0)
    /* they came with the answer, after our gathering: RFC 9725 §4.6
     * lets a client use them for an ICE restart, which we do not do */
    GST_INFO_OBJECT (self, "the endpoint named %u ICE servers; set "
        "stun-server/turn-server to use them", client->ice_servers->len);
  done = gst_sec_whip_bin_call (priv->webrtcbin, "set-remote-description",
      "answer", answer, &error);
  gst_sec_whip_secret_free (answer);
  if (done == NULL) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        (_("The endpoint's answer was refused.")), ("%s", error->message));
    g_error_free (error);
    gst_sec_whip_client_bin_delete (self);
    return NULL;
  }
  g_free (done);
  GST_INFO_OBJECT (self, "session established");
  g_object_notify (G_OBJECT (self), "resource-url");
  return NULL;
}

static gboolean
session_start (GstSecWhipClientBin * self)
{
  GstSecWhipClientBinClass *klass = GST_SEC_WHIP_CLIENT_BIN_GET_CLASS (self);
  GstSecWhipClientBinPrivate *priv = PRIV (self);
  gchar *endpoint, *ca_file;
  guint timeout_s;
  gboolean ok;

  if (priv->webrtcbin == NULL) {
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        (_("The secwebrtc plugin is missing.")),
        ("the %s client works through a secwebrtcbin", klass->protocol));
    return FALSE;
  }
  if (klass->prepare != NULL && !klass->prepare (self))
    return FALSE;
  GST_OBJECT_LOCK (self);
  endpoint = g_strdup (priv->endpoint);
  ca_file = g_strdup (priv->ca_file);
  timeout_s = priv->timeout_s;
  GST_OBJECT_UNLOCK (self);
  g_mutex_lock (&priv->client_lock);
  ok = gst_sec_whip_client_start (&priv->client, GST_ELEMENT (self),
      klass->protocol, endpoint, ca_file, timeout_s, &priv->token);
  g_mutex_unlock (&priv->client_lock);
  g_free (endpoint);
  g_free (ca_file);
  if (ok)
    priv->thread = g_thread_new ("secwhipclient", exchange, self);
  return ok;
}

static void
session_stop (GstSecWhipClientBin * self)
{
  GstSecWhipClientBinPrivate *priv = PRIV (self);

  gst_sec_whip_client_stop (&priv->client, priv->thread);
  priv->thread = NULL;
  gst_sec_whip_client_bin_delete (self);
}

static GstStateChangeReturn
gst_sec_whip_client_bin_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSecWhipClientBin *self = GST_SEC_WHIP_CLIENT_BIN (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    session_stop (self);

  ret = GST_ELEMENT_CLASS (gst_sec_whip_client_bin_parent_class)->change_state
      (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      /* a live source's pads come with the session */
      if (GST_SEC_WHIP_CLIENT_BIN_GET_CLASS (self)->live_source)
        ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
      /* PLAYING: the pads of a launch line are linked, and the bin's
       * state changes are over (its create-offer builds transports, which
       * must not race with a state change of the bin) */
      if (PRIV (self)->thread == NULL && !session_start (self))
        ret = GST_STATE_CHANGE_FAILURE;
      break;
    default:
      break;
  }
  return ret;
}
