/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The base of the WHIP and WHEP clients: see gstsecwhipclientbin.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecwhipclientbin.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gstsecwhipclient.h"
#include "gstsecwhipcommon.h"
#include "iceserver.h"
#include "whipfrag.h"

GST_DEBUG_CATEGORY_STATIC (gst_sec_whip_client_bin_debug);
#define GST_CAT_DEFAULT gst_sec_whip_client_bin_debug

#define DEFAULT_TIMEOUT 15
#define DEFAULT_USE_LINK_HEADERS TRUE
#define DEFAULT_TRICKLE TRUE

enum
{
  PROP_0,
  PROP_CA_FILE,
  PROP_TIMEOUT,
  PROP_RESOURCE_URL,
  PROP_USE_LINK_HEADERS,
  PROP_TRICKLE,
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
  gboolean use_link_headers;
  gboolean trickle;
  GstSecWhipToken token;

  /* the session: the thread owns client until it is joined, then
   * client_lock guards it (the DELETE: EOS or stopping, once) */
  GThread *thread;
  GstSecWhipClient client;
  GMutex client_lock;
  /* client_lock: the endpoint's answer (for ICE restarts), and whether
   * the exchange is over (trickling included) */
  gchar *answer;
  gboolean established;
  /* object lock: turn-server as the application set it (a secret), and
   * whether the endpoint's ICE servers were added to the bin's (undone
   * when the session stops: their credentials are the session's) */
  gchar *user_turn_server;
  gboolean link_turn, link_stun;
} GstSecWhipClientBinPrivate;

enum
{
  SIGNAL_RESTART_ICE,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static gboolean restart_ice (GstSecWhipClientBin * self);

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
  g_object_class_install_property (gobject_class, PROP_USE_LINK_HEADERS,
      g_param_spec_boolean ("use-link-headers", "Use Link headers",
          "Ask the endpoint for its ICE servers with an authenticated "
          "OPTIONS before the offer (RFC 9725 §4.6) and gather through the "
          "STUN and TURN servers of its Link header fields (TURN "
          "credentials included), in addition to stun-server and "
          "turn-server; stun-server, when set, wins over the endpoint's",
          DEFAULT_USE_LINK_HEADERS, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_TRICKLE,
      g_param_spec_boolean ("trickle", "Trickle ICE",
          "When the endpoint takes trickle ICE PATCHes (Accept-Patch: "
          "application/trickle-ice-sdpfrag in its OPTIONS answer), POST the "
          "offer at once and PATCH the candidates as they are gathered "
          "(RFC 9725 §4.3.1); otherwise, or FALSE, the offer waits for "
          "every candidate", DEFAULT_TRICKLE, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  gst_sec_whip_token_install (gobject_class, PROP_TOKEN_FIRST, FALSE);
  gst_sec_whip_forward_install (gobject_class, PROP_FORWARD_FIRST);

  /**
   * GstSecWhipClientBin::restart-ice:
   *
   * Restarts ICE by PATCH (RFC 9725 §4.3.2): new ICE credentials and
   * candidates go to the endpoint, whose answer gives its own; the DTLS
   * association and the media go on once ICE has a pair again. Blocks
   * until the endpoint answered (at most about twice timeout): call it
   * from a thread of the application, not a streaming thread.
   *
   * Returns: TRUE when the endpoint took the restart; FALSE (after a
   * warning message saying why) when there is no session yet, the
   * endpoint takes no PATCH, or it refused the restart.
   */
  signals[SIGNAL_RESTART_ICE] =
      g_signal_new_class_handler ("restart-ice", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, G_CALLBACK (restart_ice), NULL,
      NULL, NULL, G_TYPE_BOOLEAN, 0);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_sec_whip_client_bin_change_state);
}

static void
gst_sec_whip_client_bin_init (GstSecWhipClientBin * self)
{
  GstSecWhipClientBinPrivate *priv = PRIV (self);

  priv->timeout_s = DEFAULT_TIMEOUT;
  priv->use_link_headers = DEFAULT_USE_LINK_HEADERS;
  priv->trickle = DEFAULT_TRICKLE;
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
  gst_sec_whip_secret_free (priv->answer);
  sec_ice_secret_free (priv->user_turn_server);
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
    if (strcmp (forwarded, "turn-server") == 0) {
      GST_OBJECT_LOCK (self);
      sec_ice_secret_free (priv->user_turn_server);
      priv->user_turn_server = g_value_dup_string (value);
      GST_OBJECT_UNLOCK (self);
    }
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
      case PROP_USE_LINK_HEADERS:
        priv->use_link_headers = g_value_get_boolean (value);
        break;
      case PROP_TRICKLE:
        priv->trickle = g_value_get_boolean (value);
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
      case PROP_USE_LINK_HEADERS:
        g_value_set_boolean (value, priv->use_link_headers);
        break;
      case PROP_TRICKLE:
        g_value_set_boolean (value, priv->trickle);
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

/* The endpoint's ICE servers (RFC 9725 §4.6) added to the bin's before
 * it gathers. */
static void
apply_ice_servers (GstSecWhipClientBin * self, GPtrArray * servers)
{
  GstSecWhipClientBinPrivate *priv = PRIV (self);
  guint used = 0;

  for (guint i = 0; i < servers->len; i++) {
    const gchar *uri = g_ptr_array_index (servers, i);

    if (g_str_has_prefix (uri, "stun")) {
      gchar *stun = NULL;

      g_object_get (priv->webrtcbin, "stun-server", &stun, NULL);
      if (stun == NULL || *stun == '\0') {
        g_object_set (priv->webrtcbin, "stun-server", uri, NULL);
        GST_OBJECT_LOCK (self);
        priv->link_stun = TRUE;
        GST_OBJECT_UNLOCK (self);
        used++;
      } else
        GST_INFO_OBJECT (self, "stun-server is set: the endpoint's STUN "
            "server is not used");
      g_free (stun);
    } else {
      gboolean ok = FALSE;

      g_signal_emit_by_name (priv->webrtcbin, "add-turn-server", uri, &ok);
      if (ok) {
        GST_OBJECT_LOCK (self);
        priv->link_turn = TRUE;
        GST_OBJECT_UNLOCK (self);
        used++;
      }
    }
  }
  GST_INFO_OBJECT (self, "gathering through %u ICE servers of the endpoint",
      used);
}

/* The bin's ICE servers as the application set them. */
static void
unapply_ice_servers (GstSecWhipClientBin * self)
{
  GstSecWhipClientBinPrivate *priv = PRIV (self);
  gboolean turn, stun;
  gchar *user_turn;

  GST_OBJECT_LOCK (self);
  turn = priv->link_turn;
  stun = priv->link_stun;
  priv->link_turn = priv->link_stun = FALSE;
  user_turn = g_strdup (priv->user_turn_server);
  GST_OBJECT_UNLOCK (self);
  if (turn && priv->webrtcbin != NULL)
    g_object_set (priv->webrtcbin, "turn-server", user_turn, NULL);
  if (stun && priv->webrtcbin != NULL)
    g_object_set (priv->webrtcbin, "stun-server", NULL, NULL);
  sec_ice_secret_free (user_turn);
}

/* The candidates of m-lines @mlines as a fragment (ended when @done) with
 * the credentials and m-lines of @offer's. */
static gchar *
candidates_fragment (const SecWhipFrag * offer, GPtrArray * candidates,
    GArray * mlines, gboolean done)
{
  SecWhipFrag *frag = sec_whip_frag_new (offer->ice_ufrag, offer->ice_pwd);
  gchar *text;

  for (guint m = 0; m < offer->media->len; m++) {
    const SecWhipFragMedia *line = g_ptr_array_index (offer->media, m);
    SecWhipFragMedia *section = NULL;

    for (guint i = 0; i < candidates->len; i++) {
      if (g_array_index (mlines, guint, i) != m)
        continue;
      if (section == NULL)
        section = sec_whip_frag_add_media (frag, line->kind, line->mid);
      if (!sec_whip_frag_media_add_candidate (section,
              g_ptr_array_index (candidates, i), NULL))
        GST_WARNING ("a local candidate is malformed");
    }
    if (done) {
      if (section == NULL)
        section = sec_whip_frag_add_media (frag, line->kind, line->mid);
      section->end_of_candidates = TRUE;
    }
  }
  text = sec_whip_frag_to_string (frag);
  sec_whip_frag_free (frag);
  return text;
}

/* RFC 9725 §4.3.1: the candidates gathered after the offer, PATCHed as
 * they come, the last PATCH with end-of-candidates. */
static void
trickle (GstSecWhipClientBin * self, GstSecWhipGathering * watch,
    const gchar * offer)
{
  GstSecWhipClientBinPrivate *priv = PRIV (self);
  GstSecWhipClient *client = &priv->client;
  gint64 deadline = g_get_monotonic_time () +
      (gint64) client->timeout_s * G_USEC_PER_SEC;
  SecWhipFrag *ours = gst_sec_whip_sdp_to_frag (offer, NULL);
  gboolean done = FALSE;
  guint patches = 0, sent = 0;

  if (ours == NULL)
    return;
  while (!done && g_get_monotonic_time () < deadline) {
    GPtrArray *candidates = g_ptr_array_new_with_free_func (g_free);
    GArray *mlines = g_array_new (FALSE, FALSE, sizeof (guint));
    GError *error = NULL;
    gchar *body;
    guint status;

    done = gst_sec_whip_gathering_wait (watch, deadline, candidates, mlines);
    if (candidates->len == 0 && !done) {
      g_ptr_array_unref (candidates);
      g_array_unref (mlines);
      continue;
    }
    body = candidates_fragment (ours, candidates, mlines, done);
    g_mutex_lock (&priv->client_lock);
    status = gst_sec_whip_client_patch (client, body, FALSE, NULL, &error);
    g_mutex_unlock (&priv->client_lock);
    gst_sec_whip_secret_free (body);
    sent += candidates->len;
    g_ptr_array_unref (candidates);
    g_array_unref (mlines);
    if (status < 200 || status >= 300) {
      /* cancelled: stopping; not connected: deleted meanwhile (EOS) */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
        GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
            (_("The endpoint did not take our ICE candidates.")),
            ("%s; the candidates gathered after the offer did not reach "
                "it", error != NULL ? error->message : "no answer"));
      g_clear_error (&error);
      break;
    }
    patches++;
  }
  if (!done)
    GST_WARNING_OBJECT (self, "ICE gathering did not end in %u s",
        client->timeout_s);
  GST_INFO_OBJECT (self, "trickled %u candidates in %u PATCHes", sent,
      patches);
  sec_whip_frag_free (ours);
}

/* The offer, the POST and the answer, and the trickled candidates:
 * blocking, so on a thread of ours. */
static gpointer
exchange (gpointer data)
{
  GstSecWhipClientBin *self = data;
  GstSecWhipClientBinPrivate *priv = PRIV (self);
  GstSecWhipClient *client = &priv->client;
  GstSecWhipGathering *watch = NULL;
  GError *error = NULL;
  gchar *offer = NULL, *answer, *done;
  gboolean use_links, trickled;

  GST_OBJECT_LOCK (self);
  use_links = priv->use_link_headers;
  trickled = priv->trickle;
  GST_OBJECT_UNLOCK (self);

  /* RFC 9725 §4.6: secwebrtcbin gathers as its transports are made (with
   * the offer), so the endpoint's ICE servers are asked for before */
  if (use_links || trickled) {
    gboolean ok;

    g_mutex_lock (&priv->client_lock);
    ok = gst_sec_whip_client_options (client);
    g_mutex_unlock (&priv->client_lock);
    if (!ok)
      goto out;
    if (use_links && client->ice_servers->len > 0)
      apply_ice_servers (self, client->ice_servers);
  }
  trickled = trickled && client->accept_patch;

  if (trickled) {
    watch = gst_sec_whip_gathering_new (priv->webrtcbin);
    offer = gst_sec_whip_bin_call (priv->webrtcbin, "create-offer", "offer",
        NULL, &error);
    if (offer != NULL)
      g_free (gst_sec_whip_bin_call (priv->webrtcbin,
              "set-local-description", "offer", NULL, &error));
    if (error != NULL)
      g_clear_pointer (&offer, g_free);
  } else
    offer = gst_sec_whip_bin_describe (priv->webrtcbin, "offer",
        client->timeout_s, &error);
  if (offer == NULL) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        (_("The offer could not be made.")), ("%s", error->message));
    g_error_free (error);
    goto out;
  }
  g_mutex_lock (&priv->client_lock);
  answer = gst_sec_whip_client_post (client, offer);
  g_mutex_unlock (&priv->client_lock);
  if (answer == NULL)
    goto out;
  done = gst_sec_whip_bin_call (priv->webrtcbin, "set-remote-description",
      "answer", answer, &error);
  if (done == NULL) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        (_("The endpoint's answer was refused.")), ("%s", error->message));
    g_error_free (error);
    gst_sec_whip_secret_free (answer);
    gst_sec_whip_client_bin_delete (self);
    goto out;
  }
  g_free (done);
  g_mutex_lock (&priv->client_lock);
  gst_sec_whip_secret_free (priv->answer);
  priv->answer = answer;
  g_mutex_unlock (&priv->client_lock);
  GST_INFO_OBJECT (self, "session established%s", trickled ?
      ", trickling candidates" : "");
  g_object_notify (G_OBJECT (self), "resource-url");
  if (trickled)
    trickle (self, watch, offer);
  g_mutex_lock (&priv->client_lock);
  priv->established = TRUE;
  g_mutex_unlock (&priv->client_lock);

out:
  if (watch != NULL)
    gst_sec_whip_gathering_free (watch);
  gst_sec_whip_secret_free (offer);
  return NULL;
}

/* RFC 9725 §4.3.2: new credentials and candidates by PATCH with If-Match
 * "*", the endpoint's in its 200. */
static gboolean
restart_ice (GstSecWhipClientBin * self)
{
  GstSecWhipClientBinPrivate *priv = PRIV (self);
  GstSecWhipClient *client = &priv->client;
  SecWhipFrag *ours = NULL, *theirs = NULL;
  gchar *offer = NULL, *body = NULL, *reply = NULL, *answer = NULL;
  gchar *done = NULL;
  GError *error = NULL;
  const gchar *why = NULL;
  gboolean ok;
  guint status;

  g_mutex_lock (&priv->client_lock);
  if (!priv->established || priv->answer == NULL) {
    why = "there is no session yet";
    goto out;
  }
  if (!client->accept_patch) {
    why = "the endpoint takes no PATCH (no Accept-Patch: "
        "application/trickle-ice-sdpfrag)";
    goto out;
  }
  offer = gst_sec_whip_bin_describe_full (priv->webrtcbin, "offer", TRUE,
      NULL, client->timeout_s, &error);
  if (offer != NULL)
    ours = gst_sec_whip_sdp_to_frag (offer, &error);
  if (ours == NULL)
    goto out;
  body = sec_whip_frag_to_string (ours);
  status = gst_sec_whip_client_patch (client, body, TRUE, &reply, &error);
  if (status != 200) {
    if (error == NULL)
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "PATCH answered "
          "%u without a fragment", status);
    goto out;
  }
  theirs = sec_whip_frag_parse (reply, strlen (reply), &error);
  if (theirs != NULL)
    answer = gst_sec_whip_sdp_restart (priv->answer, theirs, &error);
  if (answer != NULL)
    done = gst_sec_whip_bin_call (priv->webrtcbin, "set-remote-description",
        "answer", answer, &error);
  if (done != NULL) {
    gst_sec_whip_secret_free (priv->answer);
    priv->answer = g_steal_pointer (&answer);
    GST_INFO_OBJECT (self, "ICE restarted");
  }

out:
  g_mutex_unlock (&priv->client_lock);
  if (why != NULL || error != NULL)
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
        (_("ICE could not be restarted.")), ("%s", why != NULL ? why :
            error->message));
  g_clear_error (&error);
  g_clear_pointer (&ours, sec_whip_frag_free);
  g_clear_pointer (&theirs, sec_whip_frag_free);
  gst_sec_whip_secret_free (offer);
  gst_sec_whip_secret_free (body);
  gst_sec_whip_secret_free (reply);
  gst_sec_whip_secret_free (answer);
  ok = done != NULL;
  g_free (done);
  return ok;
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
  g_mutex_lock (&priv->client_lock);
  priv->established = FALSE;
  g_clear_pointer (&priv->answer, gst_sec_whip_secret_free);
  g_mutex_unlock (&priv->client_lock);
  unapply_ice_servers (self);
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
