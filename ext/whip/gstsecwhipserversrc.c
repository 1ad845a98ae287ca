/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secwhipserversrc
 *
 * A WHIP endpoint (RFC 9725) inside a pipeline: an HTTPS server that
 * answers each publisher's POSTed offer with a secwebrtcbin of its own and
 * exposes what the publisher sends as `src_%u` pads (RTP, full caps);
 * a DELETE of the session's URL ends it, as does its call failing: EOS
 * on its pads, which then go (a pipeline fed by that publisher only
 * reaches EOS). A PATCH trickles candidates (RFC 8840) or, with new ICE
 * credentials, restarts ICE (RFC 9725 §4.3.2): the publisher's bin takes
 * the restarted offer and the 200 carries our new credentials and
 * candidates. `link-ice-servers` are announced to publishers in Link
 * header fields (RFC 9725 §4.6) of the 201 and of an authenticated
 * OPTIONS, so that they can gather relay candidates through the TURN
 * server the endpoint names. Every request needs the bearer token
 * (auth-token-file or auth-token-env); the rules of a request (CORS
 * origins, size, max-sessions, failed authentications) are in
 * whipserver.c. The server certificate is `tls-certificate-file`'s, or a
 * self-signed one made at start, whose fingerprint is logged and which
 * `tls-certificate` gives (clients take it as their ca-file).
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 secwhipserversrc name=s port=8443 auth-token-file=token \
 *   s. ! queue ! rtpvp8depay ! vp8dec ! videoconvert ! autovideosink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecwhipserversrc.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "gstsecwhipcommon.h"
#include "iceserver.h"
#include "whipcert.h"
#include "whiplink.h"
#include "whipserver.h"

GST_DEBUG_CATEGORY_STATIC (gst_sec_whip_server_src_debug);
#define GST_CAT_DEFAULT gst_sec_whip_server_src_debug

#define DEFAULT_ADDRESS "127.0.0.1"
#define DEFAULT_PORT 8443
#define DEFAULT_PATH "/whip"
#define DEFAULT_MAX_SESSIONS 4
#define DEFAULT_TIMEOUT 10

enum
{
  PROP_0,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_BOUND_PORT,
  PROP_PATH,
  PROP_TLS_CERTIFICATE_FILE,
  PROP_TLS_CERTIFICATE,
  PROP_ALLOWED_ORIGINS,
  PROP_MAX_SESSIONS,
  PROP_TIMEOUT,
  PROP_N_SESSIONS,
  PROP_REQUESTS,
  PROP_LINK_ICE_SERVERS,
  PROP_TOKEN_FIRST,
  PROP_FORWARD_FIRST = PROP_TOKEN_FIRST + 3,
};

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src_%u",
    GST_PAD_SRC, GST_PAD_SOMETIMES, GST_STATIC_CAPS ("application/x-rtp"));

typedef struct _Session Session;

struct _GstSecWhipServerSrc
{
  GstBin parent;

  /* properties: protected by the object lock */
  gchar *address;
  guint port;
  gchar *path;
  gchar *tls_certificate_file;
  gchar *allowed_origins;
  gchar *link_ice_servers;      /* a secret: TURN passwords */
  guint max_sessions;
  guint timeout_s;
  GstSecWhipToken token;
  GstSecWhipForward forward;
  guint bound_port;
  gchar *certificate_pem;       /* the public certificate, once started */
  guint next_pad;
  guint n_sessions;             /* a copy of the rules' count */
  guint64 requests;
  GstElement *last_connected;   /* a ref: for security-info */

  /* the server: made and ended by change_state, used in its thread */
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  SoupServer *server;
  SecWhipServer *rules;
  GHashTable *sessions;         /* id -> Session, server thread only */
  GList *pending;               /* Session being made, server thread only */
  guint restarts;               /* ICE restarts running, server thread */
  GPtrArray *links;             /* Link values of link-ice-servers (secrets) */
  gboolean accepting;           /* atomic: in PAUSED or PLAYING */
};

struct _Session
{
  GstSecWhipServerSrc *self;
  gchar *id;                    /* NULL until the answer is sent */
  gchar *peer;
  GstElement *webrtcbin;
  GPtrArray *mids;              /* of the offer's m-lines, in order */
  SoupServerMessage *message;   /* while paused for the answer */
  gchar *offer;
  gchar *answer;
  GError *error;
  GList *pads;                  /* our ghost pads; object lock */
  gboolean ended;
  gboolean restarting;          /* an ICE restart runs (server thread) */
};

G_DEFINE_TYPE (GstSecWhipServerSrc, gst_sec_whip_server_src, GST_TYPE_BIN);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (secwhipserversrc, "secwhipserversrc",
    GST_RANK_NONE, GST_TYPE_SEC_WHIP_SERVER_SRC,
    GST_DEBUG_CATEGORY_INIT (gst_sec_whip_server_src_debug,
        "secwhipserversrc", 0, "WHIP endpoint"));

static void gst_sec_whip_server_src_finalize (GObject * object);
static void gst_sec_whip_server_src_set_property (GObject * object,
    guint prop_id, const GValue * value, GParamSpec * pspec);
static void gst_sec_whip_server_src_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_sec_whip_server_src_change_state (GstElement
    * element, GstStateChange transition);

static gboolean server_start (GstSecWhipServerSrc * self);
static void server_stop (GstSecWhipServerSrc * self);
static void end_all_sessions (GstSecWhipServerSrc * self);
static void sessions_changed (GstSecWhipServerSrc * self);

static void
gst_sec_whip_server_src_class_init (GstSecWhipServerSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_sec_whip_server_src_finalize;
  gobject_class->set_property = gst_sec_whip_server_src_set_property;
  gobject_class->get_property = gst_sec_whip_server_src_get_property;

  g_object_class_install_property (gobject_class, PROP_ADDRESS,
      g_param_spec_string ("address", "Address",
          "IP address the HTTPS server listens on (0.0.0.0 or :: for every "
          "interface)", DEFAULT_ADDRESS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_PORT,
      g_param_spec_uint ("port", "Port",
          "TCP port of the HTTPS server (0: any free port, see bound-port)",
          0, 65535, DEFAULT_PORT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_BOUND_PORT,
      g_param_spec_uint ("bound-port", "Bound port",
          "The port the server listens on, once in READY (0 before)",
          0, 65535, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_PATH,
      g_param_spec_string ("path", "Path",
          "Path of the WHIP endpoint; sessions are PATH/<random id>",
          DEFAULT_PATH, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_TLS_CERTIFICATE_FILE,
      g_param_spec_string ("tls-certificate-file", "TLS certificate file",
          "PEM file with the server's certificate (chain) and private key; "
          "unset: a self-signed one is made at start (see tls-certificate)",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_TLS_CERTIFICATE,
      g_param_spec_string ("tls-certificate", "TLS certificate",
          "The server's certificate in PEM (no key), once in READY: what a "
          "client trusts as its ca-file when it is self-signed", NULL,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_ALLOWED_ORIGINS,
      g_param_spec_string ("allowed-origins", "Allowed origins",
          "Comma-separated origins (https://host:port) whose web pages may "
          "publish (CORS); empty: no browser page may (requests without an "
          "Origin, from programs, are not concerned)", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MAX_SESSIONS,
      g_param_spec_uint ("max-sessions", "Max sessions",
          "Publishers at a time; one more is answered 503", 1, 1024,
          DEFAULT_MAX_SESSIONS, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_TIMEOUT,
      g_param_spec_uint ("timeout", "Timeout",
          "Seconds ICE gathering may take before the answer is sent", 1, 120,
          DEFAULT_TIMEOUT, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_N_SESSIONS,
      g_param_spec_uint ("n-sessions", "Sessions",
          "Publishers connected or being answered now", 0, G_MAXUINT, 0,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_REQUESTS,
      g_param_spec_uint64 ("requests", "Requests",
          "HTTP requests received since start (refused ones included)", 0,
          G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_LINK_ICE_SERVERS,
      g_param_spec_string ("link-ice-servers", "ICE servers for publishers",
          "Comma-separated STUN and TURN servers announced to publishers in "
          "Link header fields (RFC 9725 §4.6) of the 201 and of an "
          "authenticated OPTIONS, as turn-server takes them: "
          "stun://host:port, turn://user:pass@host:port?transport=udp|tcp, "
          "turns://user:pass@host:port. Only clients with the token see "
          "them. Write-only: it holds passwords", NULL,
          G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  gst_sec_whip_token_install (gobject_class, PROP_TOKEN_FIRST, TRUE);
  gst_sec_whip_forward_install (gobject_class, PROP_FORWARD_FIRST);

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "WHIP endpoint (gst-secwebrtc)", "Source/Network/WebRTC",
      "An HTTPS WHIP endpoint (RFC 9725) that receives what publishers send "
      "over secwebrtcbin", "gst-secwebrtc developers");
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_sec_whip_server_src_change_state);
}

static void
gst_sec_whip_server_src_init (GstSecWhipServerSrc * self)
{
  self->address = g_strdup (DEFAULT_ADDRESS);
  self->port = DEFAULT_PORT;
  self->path = g_strdup (DEFAULT_PATH);
  self->max_sessions = DEFAULT_MAX_SESSIONS;
  self->timeout_s = DEFAULT_TIMEOUT;
  gst_sec_whip_forward_init (&self->forward);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}

static void
gst_sec_whip_server_src_finalize (GObject * object)
{
  GstSecWhipServerSrc *self = GST_SEC_WHIP_SERVER_SRC (object);

  server_stop (self);
  g_free (self->address);
  g_free (self->path);
  g_free (self->tls_certificate_file);
  g_free (self->allowed_origins);
  sec_ice_secret_free (self->link_ice_servers);
  g_free (self->certificate_pem);
  gst_object_replace ((GstObject **) & self->last_connected, NULL);
  gst_sec_whip_token_clear (&self->token);
  gst_sec_whip_forward_clear (&self->forward);
  G_OBJECT_CLASS (gst_sec_whip_server_src_parent_class)->finalize (object);
}

static void
gst_sec_whip_server_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecWhipServerSrc *self = GST_SEC_WHIP_SERVER_SRC (object);
  const gchar *forwarded = gst_sec_whip_forward_name (PROP_FORWARD_FIRST,
      prop_id);

  GST_OBJECT_LOCK (self);
  if (gst_sec_whip_token_set (&self->token, object, PROP_TOKEN_FIRST,
          prop_id, value)) {
  } else if (forwarded != NULL) {
    gst_sec_whip_forward_store (&self->forward, forwarded, value);
  } else {
    switch (prop_id) {
      case PROP_ADDRESS:
        g_free (self->address);
        self->address = g_value_dup_string (value);
        break;
      case PROP_PORT:
        self->port = g_value_get_uint (value);
        break;
      case PROP_PATH:
        g_free (self->path);
        self->path = g_value_dup_string (value);
        break;
      case PROP_TLS_CERTIFICATE_FILE:
        g_free (self->tls_certificate_file);
        self->tls_certificate_file = g_value_dup_string (value);
        break;
      case PROP_ALLOWED_ORIGINS:
        g_free (self->allowed_origins);
        self->allowed_origins = g_value_dup_string (value);
        break;
      case PROP_LINK_ICE_SERVERS:
        sec_ice_secret_free (self->link_ice_servers);
        self->link_ice_servers = g_value_dup_string (value);
        break;
      case PROP_MAX_SESSIONS:
        self->max_sessions = g_value_get_uint (value);
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
gst_sec_whip_server_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecWhipServerSrc *self = GST_SEC_WHIP_SERVER_SRC (object);
  const gchar *forwarded = gst_sec_whip_forward_name (PROP_FORWARD_FIRST,
      prop_id);

  if (forwarded != NULL && !gst_sec_whip_forward_writable (forwarded)) {
    /* what was negotiated: the publisher that connected last */
    GstElement *bin = NULL;

    GST_OBJECT_LOCK (self);
    if (self->last_connected != NULL)
      bin = gst_object_ref (self->last_connected);
    GST_OBJECT_UNLOCK (self);
    if (bin != NULL) {
      gst_sec_whip_forward_read (bin, forwarded, value);
      gst_object_unref (bin);
    } else
      g_param_value_set_default (pspec, value);
    return;
  }

  GST_OBJECT_LOCK (self);
  if (gst_sec_whip_token_get (&self->token, PROP_TOKEN_FIRST, prop_id,
          value)) {
  } else if (forwarded != NULL) {
    gst_sec_whip_forward_get (&self->forward, pspec, value);
  } else {
    switch (prop_id) {
      case PROP_ADDRESS:
        g_value_set_string (value, self->address);
        break;
      case PROP_PORT:
        g_value_set_uint (value, self->port);
        break;
      case PROP_BOUND_PORT:
        g_value_set_uint (value, self->bound_port);
        break;
      case PROP_PATH:
        g_value_set_string (value, self->path);
        break;
      case PROP_TLS_CERTIFICATE_FILE:
        g_value_set_string (value, self->tls_certificate_file);
        break;
      case PROP_TLS_CERTIFICATE:
        g_value_set_string (value, self->certificate_pem);
        break;
      case PROP_ALLOWED_ORIGINS:
        g_value_set_string (value, self->allowed_origins);
        break;
      case PROP_MAX_SESSIONS:
        g_value_set_uint (value, self->max_sessions);
        break;
      case PROP_TIMEOUT:
        g_value_set_uint (value, self->timeout_s);
        break;
      case PROP_N_SESSIONS:
        g_value_set_uint (value, self->n_sessions);
        break;
      case PROP_REQUESTS:
        g_value_set_uint64 (value, self->requests);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        break;
    }
  }
  GST_OBJECT_UNLOCK (self);
}

/* Runs @func in the server's thread and waits for it. */
typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean done;
  GSourceFunc func;
  gpointer data;
} SyncCall;

static gboolean
sync_call_run (gpointer data)
{
  SyncCall *call = data;

  call->func (call->data);
  g_mutex_lock (&call->lock);
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->lock);
  return G_SOURCE_REMOVE;
}

static void
run_in_server_thread (GstSecWhipServerSrc * self, GSourceFunc func,
    gpointer data)
{
  SyncCall call = { 0, };

  if (self->context == NULL) {
    func (data);
    return;
  }
  g_mutex_init (&call.lock);
  g_cond_init (&call.cond);
  call.func = func;
  call.data = data;
  g_main_context_invoke (self->context, sync_call_run, &call);
  g_mutex_lock (&call.lock);
  while (!call.done)
    g_cond_wait (&call.cond, &call.lock);
  g_mutex_unlock (&call.lock);
  g_mutex_clear (&call.lock);
  g_cond_clear (&call.cond);
}

static GstStateChangeReturn
gst_sec_whip_server_src_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSecWhipServerSrc *self = GST_SEC_WHIP_SERVER_SRC (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:
      if (!server_start (self))
        return GST_STATE_CHANGE_FAILURE;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      g_atomic_int_set (&self->accepting, FALSE);
      end_all_sessions (self);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (gst_sec_whip_server_src_parent_class)->change_state
      (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      g_atomic_int_set (&self->accepting, TRUE);
      /* a live source: its pads come with publishers */
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_READY_TO_NULL:
      server_stop (self);
      break;
    default:
      break;
  }
  return ret;
}

/* --- sessions ------------------------------------------------------------ */

static void
session_free (Session * session)
{
  g_free (session->id);
  g_free (session->peer);
  g_clear_pointer (&session->mids, g_ptr_array_unref);
  gst_sec_whip_secret_free (session->offer);    /* holds the ice-pwd */
  gst_sec_whip_secret_free (session->answer);
  g_clear_error (&session->error);
  g_clear_object (&session->message);
  if (session->webrtcbin != NULL)
    gst_object_unref (session->webrtcbin);
  g_list_free_full (session->pads, gst_object_unref);
  g_free (session);
}

static void
on_pad_added (GstElement * webrtcbin, GstPad * pad, Session * session)
{
  GstSecWhipServerSrc *self = session->self;
  GstPad *ghost;
  gchar *name;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  GST_OBJECT_LOCK (self);
  name = g_strdup_printf ("src_%u", self->next_pad++);
  GST_OBJECT_UNLOCK (self);
  ghost = gst_ghost_pad_new_from_template (name, pad,
      gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self),
          "src_%u"));
  g_free (name);
  gst_pad_set_active (ghost, TRUE);
  GST_OBJECT_LOCK (self);
  session->pads = g_list_prepend (session->pads, gst_object_ref (ghost));
  GST_OBJECT_UNLOCK (self);
  gst_element_add_pad (GST_ELEMENT (self), ghost);
  GST_INFO_OBJECT (self, "publisher %s: %" GST_PTR_FORMAT " as %s",
      session->peer, pad, GST_PAD_NAME (ghost));
}

/* Ends @session: EOS on its pads, which go, and its bin stops. In the
 * server thread, or with it stopped. */
static void
session_end (GstSecWhipServerSrc * self, Session * session)
{
  GList *pads;

  if (session->ended)
    return;
  session->ended = TRUE;
  GST_OBJECT_LOCK (self);
  pads = session->pads;
  session->pads = NULL;
  if (self->last_connected == session->webrtcbin)
    gst_object_replace ((GstObject **) & self->last_connected, NULL);
  GST_OBJECT_UNLOCK (self);
  for (GList * l = pads; l != NULL; l = l->next)
    gst_pad_push_event (l->data, gst_event_new_eos ());
  g_signal_handlers_disconnect_by_data (session->webrtcbin, session);
  gst_element_set_locked_state (session->webrtcbin, TRUE);
  gst_element_set_state (session->webrtcbin, GST_STATE_NULL);
  for (GList * l = pads; l != NULL; l = l->next)
    gst_element_remove_pad (GST_ELEMENT (self), l->data);
  g_list_free_full (pads, gst_object_unref);
  gst_bin_remove (GST_BIN (self), session->webrtcbin);
}

typedef struct
{
  GstSecWhipServerSrc *self;
  GstElement *webrtcbin;
  gboolean failed;
} StateChange;

static gboolean
connection_state_in_server (gpointer data)
{
  StateChange *change = data;
  GstSecWhipServerSrc *self = change->self;
  GHashTableIter iter;
  gpointer id, value;

  if (self->sessions == NULL)
    return G_SOURCE_REMOVE;
  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, &id, &value)) {
    Session *session = value;

    if (session->webrtcbin != change->webrtcbin)
      continue;
    if (change->failed) {
      GST_WARNING_OBJECT (self, "publisher %s: the call failed or closed; "
          "its session ends", session->peer);
      sec_whip_server_remove_session (self->rules, id);
      session_end (self, session);
      g_hash_table_iter_remove (&iter);
      sessions_changed (self);
    } else {
      GST_OBJECT_LOCK (self);
      gst_object_replace ((GstObject **) & self->last_connected,
          GST_OBJECT (session->webrtcbin));
      GST_OBJECT_UNLOCK (self);
      g_object_notify (G_OBJECT (self), "security-info");
    }
    break;
  }
  return G_SOURCE_REMOVE;
}

static void
on_connection_state (GstElement * webrtcbin, GParamSpec * pspec,
    Session * session)
{
  GstSecWhipServerSrc *self = session->self;
  StateChange *change;
  gint state = 0;
  GEnumValue *value;
  GEnumClass *klass = g_type_class_ref (pspec->value_type);

  g_object_get (webrtcbin, "connection-state", &state, NULL);
  value = g_enum_get_value (klass, state);
  g_type_class_unref (klass);
  if (value == NULL || (strcmp (value->value_nick, "connected") != 0
          && strcmp (value->value_nick, "failed") != 0
          && strcmp (value->value_nick, "closed") != 0))
    return;
  change = g_new0 (StateChange, 1);
  /* no ref: the server's thread is joined before self goes, and what
   * it has not run by then is dropped with its context */
  change->self = self;
  change->webrtcbin = webrtcbin;
  change->failed = strcmp (value->value_nick, "connected") != 0;
  if (self->context == NULL) {
    g_free (change);
    return;
  }
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT,
      connection_state_in_server, change, (GDestroyNotify) g_free);
}

/* In the server thread, after the rules' sessions changed. */
static void
sessions_changed (GstSecWhipServerSrc * self)
{
  GST_OBJECT_LOCK (self);
  self->n_sessions = self->rules != NULL ?
      sec_whip_server_n_sessions (self->rules) : 0;
  GST_OBJECT_UNLOCK (self);
  g_object_notify (G_OBJECT (self), "n-sessions");
}

/* --- requests ------------------------------------------------------------ */

/* The m-lines' mids of @sdp in order ("" for an m-line without one). */
static GPtrArray *
offer_mids (const gchar * sdp)
{
  GPtrArray *mids = g_ptr_array_new_with_free_func (g_free);
  gchar **lines = g_strsplit (sdp, "\n", -1);

  for (gchar ** line = lines; *line != NULL; line++) {
    g_strchomp (*line);
    if (g_str_has_prefix (*line, "m="))
      g_ptr_array_add (mids, g_strdup (""));
    else if (g_str_has_prefix (*line, "a=mid:") && mids->len > 0) {
      g_free (mids->pdata[mids->len - 1]);
      mids->pdata[mids->len - 1] = g_strdup (*line + 6);
    }
  }
  g_strfreev (lines);
  return mids;
}

static gboolean
answer_ready (gpointer data)
{
  Session *session = data;
  GstSecWhipServerSrc *self = session->self;
  SoupServerMessage *message = session->message;
  SoupMessageHeaders *headers =
      soup_server_message_get_response_headers (message);

  self->pending = g_list_remove (self->pending, session);
  if (session->error != NULL || !g_atomic_int_get (&self->accepting)) {
    /* the offer was refused by the bin: the publisher's to fix; its
     * message quotes only what the publisher sent */
    if (session->error != NULL) {
      GST_INFO_OBJECT (self, "publisher %s: offer refused: %s",
          session->peer, session->error->message);
      gst_sec_whip_respond_text (message, 400, session->error->message);
    } else
      gst_sec_whip_respond_text (message, 503, "the endpoint is stopping");
    sec_whip_server_release (self->rules);
    sessions_changed (self);
    session_end (self, session);
    soup_server_message_unpause (message);
    session_free (session);
    return G_SOURCE_REMOVE;
  }

  {
    gchar *ufrag = sec_whip_sdp_ice_ufrag (session->offer,
        strlen (session->offer));
    gchar *etag = NULL, *location;

    session->id = sec_whip_server_add_session (self->rules, ufrag, &etag);
    location = sec_whip_server_session_path (self->rules, session->id);
    g_free (ufrag);
    soup_message_headers_replace (headers, "Location", location);
    soup_message_headers_replace (headers, "ETag", etag);
    /* RFC 9725 §4.3.1: trickle ICE by PATCH */
    soup_message_headers_replace (headers, "Accept-Patch",
        "application/trickle-ice-sdpfrag");
    soup_server_message_set_status (message, 201, NULL);
    soup_server_message_set_response (message, "application/sdp",
        SOUP_MEMORY_COPY, session->answer, strlen (session->answer));
    g_free (location);
    g_free (etag);
  }
  GST_INFO_OBJECT (self, "publisher %s: answered (%u sessions)",
      session->peer, sec_whip_server_n_sessions (self->rules));
  soup_server_message_unpause (message);
  g_clear_object (&session->message);
  g_hash_table_insert (self->sessions, g_strdup (session->id), session);
  sessions_changed (self);
  return G_SOURCE_REMOVE;
}

/* A thread per offer: the bin's calls wait on promises and on ICE. */
static gpointer
negotiate (gpointer data)
{
  Session *session = data;
  GstSecWhipServerSrc *self = session->self;
  guint timeout_s;

  GST_OBJECT_LOCK (self);
  timeout_s = self->timeout_s;
  GST_OBJECT_UNLOCK (self);
  session->answer = gst_sec_whip_bin_describe_full (session->webrtcbin,
      "answer", FALSE, session->offer, timeout_s, &session->error);
  g_main_context_invoke (self->context, answer_ready, session);
  return NULL;
}

static void
start_session (GstSecWhipServerSrc * self, SoupServerMessage * message,
    const gchar * peer, const gchar * offer, gsize length)
{
  Session *session = g_new0 (Session, 1);
  GThread *thread;

  session->self = self;
  session->peer = g_strdup (peer);
  session->offer = g_strndup (offer, length);
  session->mids = offer_mids (session->offer);
  session->message = g_object_ref (message);
  session->webrtcbin = gst_element_factory_make ("secwebrtcbin", NULL);
  if (session->webrtcbin == NULL) {
    gst_sec_whip_respond_text (message, 500, "the endpoint cannot make a peer");
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        (_("The secwebrtc plugin is missing.")),
        ("secwhipserversrc makes a secwebrtcbin per publisher"));
    sec_whip_server_release (self->rules);
    session_free (session);
    return;
  }
  gst_object_ref_sink (session->webrtcbin);
  GST_OBJECT_LOCK (self);
  gst_sec_whip_forward_apply (&self->forward, session->webrtcbin);
  GST_OBJECT_UNLOCK (self);
  g_signal_connect (session->webrtcbin, "pad-added",
      G_CALLBACK (on_pad_added), session);
  g_signal_connect (session->webrtcbin, "notify::connection-state",
      G_CALLBACK (on_connection_state), session);
  gst_bin_add (GST_BIN (self), session->webrtcbin);
  gst_element_sync_state_with_parent (session->webrtcbin);

  soup_server_message_pause (message);
  self->pending = g_list_prepend (self->pending, session);
  thread = g_thread_new ("secwhip-answer", negotiate, session);
  g_thread_unref (thread);
}

static void
patch_session (GstSecWhipServerSrc * self, Session * session,
    SecWhipFrag * frag)
{
  for (guint i = 0; i < frag->media->len; i++) {
    SecWhipFragMedia *media = g_ptr_array_index (frag->media, i);
    guint mline = 0;

    /* RFC 8840 §9: the media section is named by its mid */
    for (guint m = 0; media->mid != NULL && m < session->mids->len; m++)
      if (strcmp (session->mids->pdata[m], media->mid) == 0)
        mline = m;
    for (guint c = 0; c < media->candidates->len; c++)
      g_signal_emit_by_name (session->webrtcbin, "add-ice-candidate", mline,
          g_ptr_array_index (media->candidates, c));
    if (media->end_of_candidates && !frag->end_of_candidates)
      g_signal_emit_by_name (session->webrtcbin, "add-ice-candidate", mline,
          "");
  }
  /* RFC 8840 §9: at session level it ends every m-line */
  for (guint m = 0; frag->end_of_candidates && m < session->mids->len; m++)
    g_signal_emit_by_name (session->webrtcbin, "add-ice-candidate", m, "");
}

/* --- ICE restart by PATCH (RFC 9725 §4.3.2) ------------------------------ */

typedef struct
{
  GstSecWhipServerSrc *self;
  gchar *id;
  GstElement *webrtcbin;        /* a ref */
  SoupServerMessage *message;   /* paused until the answer */
  SecWhipFrag *frag;            /* the publisher's */
  gchar *offer;                 /* restarted; holds the ice-pwd */
  gchar *answer;
  GError *error;
  guint timeout_s;
} Restart;

static void
restart_free (Restart * restart)
{
  g_free (restart->id);
  gst_object_unref (restart->webrtcbin);
  g_object_unref (restart->message);
  sec_whip_frag_free (restart->frag);
  gst_sec_whip_secret_free (restart->offer);
  gst_sec_whip_secret_free (restart->answer);
  g_clear_error (&restart->error);
  g_free (restart);
}

static gboolean
restart_ready (gpointer data)
{
  Restart *restart = data;
  GstSecWhipServerSrc *self = restart->self;
  Session *session = g_hash_table_lookup (self->sessions, restart->id);
  SoupServerMessage *message = restart->message;
  SecWhipFrag *ours = NULL;

  self->restarts--;
  if (session != NULL)
    session->restarting = FALSE;
  if (restart->answer != NULL)
    ours = gst_sec_whip_sdp_to_frag (restart->answer, &restart->error);
  if (session == NULL || session->ended)
    gst_sec_whip_respond_text (message, 404, "no such session");
  else if (ours == NULL) {
    GST_INFO_OBJECT (self, "publisher %s: ICE restart refused: %s",
        session->peer, restart->error->message);
    gst_sec_whip_respond_text (message, 400, restart->error->message);
  } else {
    SoupMessageHeaders *headers =
        soup_server_message_get_response_headers (message);
    gchar *text = sec_whip_frag_to_string (ours), *etag = NULL;

    sec_whip_server_restart_session (self->rules, restart->id,
        restart->frag->ice_ufrag, &etag);
    gst_sec_whip_secret_free (session->offer);
    session->offer = g_steal_pointer (&restart->offer);
    soup_message_headers_replace (headers, "ETag", etag);
    soup_server_message_set_status (message, 200, NULL);
    /* the text "ICE restarted" is replaced by our fragment */
    soup_message_body_truncate (soup_server_message_get_response_body
        (message));
    soup_server_message_set_response (message,
        "application/trickle-ice-sdpfrag", SOUP_MEMORY_COPY, text,
        strlen (text));
    GST_INFO_OBJECT (self, "publisher %s: ICE restarted", session->peer);
    gst_sec_whip_secret_free (text);
    g_free (etag);
  }
  g_clear_pointer (&ours, sec_whip_frag_free);
  soup_server_message_unpause (message);
  restart_free (restart);
  return G_SOURCE_REMOVE;
}

/* A thread per restart: the bin's calls wait on promises and on ICE. */
static gpointer
restart_run (gpointer data)
{
  Restart *restart = data;

  restart->answer = gst_sec_whip_bin_describe_full (restart->webrtcbin,
      "answer", FALSE, restart->offer, restart->timeout_s, &restart->error);
  g_main_context_invoke (restart->self->context, restart_ready, restart);
  return NULL;
}

static void
restart_session (GstSecWhipServerSrc * self, SoupServerMessage * message,
    Session * session, SecWhipFrag * frag)
{
  Restart *restart;
  GError *error = NULL;
  gchar *offer;

  if (session->restarting) {
    gst_sec_whip_respond_text (message, 409, "an ICE restart is running");
    return;
  }
  /* the publisher's offer as restarted: its bin tells an ICE restart by
   * the new credentials, and keeps the call's DTLS association */
  offer = gst_sec_whip_sdp_restart (session->offer, frag, &error);
  if (offer == NULL) {
    gst_sec_whip_respond_text (message, 400, error->message);
    g_error_free (error);
    return;
  }
  restart = g_new0 (Restart, 1);
  restart->self = self;
  restart->id = g_strdup (session->id);
  restart->webrtcbin = gst_object_ref (session->webrtcbin);
  restart->message = g_object_ref (message);
  restart->frag = frag;
  restart->offer = offer;
  GST_OBJECT_LOCK (self);
  restart->timeout_s = self->timeout_s;
  GST_OBJECT_UNLOCK (self);
  session->restarting = TRUE;
  self->restarts++;
  soup_server_message_pause (message);
  g_thread_unref (g_thread_new ("secwhip-restart", restart_run, restart));
}

static void
handle_request (SoupServer * server, SoupServerMessage * message,
    const char *path, GHashTable * query, gpointer user_data)
{
  GstSecWhipServerSrc *self = user_data;
  SecWhipRequest request = { 0, };
  SecWhipResponse response;
  GBytes *bytes = gst_sec_whip_request_read (message, path, &request);
  const gchar *peer = request.peer;

  GST_OBJECT_LOCK (self);
  self->requests++;
  GST_OBJECT_UNLOCK (self);

  if (!g_atomic_int_get (&self->accepting)
      && g_strcmp0 (request.method, "OPTIONS") != 0) {
    gst_sec_whip_respond_text (message, 503, "the endpoint is not playing");
    g_clear_pointer (&bytes, g_bytes_unref);
    return;
  }

  sec_whip_server_handle (self->rules, &request, &response);
  GST_DEBUG_OBJECT (self, "%s %s from %s: %u %s", request.method,
      response.session_id != NULL ? "(a session)" : path, peer,
      response.status, response.reason);
  if (response.status == 401 || response.status == 429
      || response.status == 403)
    GST_INFO_OBJECT (self, "%s from %s refused: %u %s", request.method,
        peer, response.status, response.reason);
  gst_sec_whip_respond (message, &request, &response);
  if (response.ice_servers) {
    SoupMessageHeaders *headers =
        soup_server_message_get_response_headers (message);

    for (guint i = 0; i < self->links->len; i++)
      soup_message_headers_append (headers, "Link",
          g_ptr_array_index (self->links, i));
    /* RFC 5789 §3.1: what a PATCH of the sessions takes */
    soup_message_headers_replace (headers, "Accept-Patch",
        "application/trickle-ice-sdpfrag");
  }

  switch (response.action) {
    case SEC_WHIP_ACTION_CREATE:
      start_session (self, message, peer, request.body, request.body_length);
      sessions_changed (self);
      break;
    case SEC_WHIP_ACTION_DELETE:{
      Session *session = g_hash_table_lookup (self->sessions,
          response.session_id);

      sec_whip_server_remove_session (self->rules, response.session_id);
      if (session != NULL) {
        GST_INFO_OBJECT (self, "publisher %s: session deleted",
            session->peer);
        session_end (self, session);
        g_hash_table_remove (self->sessions, response.session_id);
      }
      sessions_changed (self);
      break;
    }
    case SEC_WHIP_ACTION_PATCH:{
      Session *session = g_hash_table_lookup (self->sessions,
          response.session_id);

      if (session != NULL)
        patch_session (self, session, response.frag);
      break;
    }
    case SEC_WHIP_ACTION_RESTART:{
      Session *session = g_hash_table_lookup (self->sessions,
          response.session_id);

      if (session != NULL)
        restart_session (self, message, session,
            g_steal_pointer (&response.frag));
      break;
    }
    case SEC_WHIP_ACTION_NONE:
      break;
  }
  sec_whip_response_clear (&response);
  g_clear_pointer (&bytes, g_bytes_unref);
}

/* --- the server's thread ------------------------------------------------- */

static gpointer
server_thread (gpointer data)
{
  GstSecWhipServerSrc *self = data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gchar *
read_certificate (GstSecWhipServerSrc * self, const gchar * file,
    GTlsCertificate ** certificate, GError ** error)
{
  gchar *pem = NULL, *cert_pem = NULL, *key_pem = NULL, *fingerprint;
  const gchar *begin;

  if (file != NULL) {
    if (!g_file_get_contents (file, &pem, NULL, error))
      return NULL;
    *certificate = g_tls_certificate_new_from_pem (pem, -1, error);
    begin = strstr (pem, "-----BEGIN CERTIFICATE-----");
    if (*certificate != NULL && begin != NULL) {
      const gchar *end = strstr (begin, "-----END CERTIFICATE-----");
      if (end != NULL)
        cert_pem = g_strndup (begin, end - begin + 25);
    }
    gst_sec_whip_secret_free (pem);
    if (*certificate == NULL)
      return NULL;
    if (cert_pem == NULL) {
      g_clear_object (certificate);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "%s holds no certificate", file);
      return NULL;
    }
    fingerprint = sec_whip_cert_fingerprint (cert_pem);
    GST_INFO_OBJECT (self, "certificate from %s: %s", file, fingerprint);
  } else {
    if (!sec_whip_self_signed_new (self->address, &cert_pem, &key_pem,
            &fingerprint, error))
      return NULL;
    pem = g_strconcat (cert_pem, key_pem, NULL);
    *certificate = g_tls_certificate_new_from_pem (pem, -1, error);
    gst_sec_whip_secret_free (pem);
    gst_sec_whip_secret_free (key_pem);
    if (*certificate == NULL) {
      g_free (cert_pem);
      g_free (fingerprint);
      return NULL;
    }
    /* what a person compares with what the client shows */
    GST_ELEMENT_INFO (self, RESOURCE, SETTINGS,
        ("The server made a self-signed certificate: %s", fingerprint),
        ("clients trust it through the tls-certificate property "
            "(their ca-file)"));
  }
  g_free (fingerprint);
  return cert_pem;
}

static gboolean
server_start (GstSecWhipServerSrc * self)
{
  GError *error = NULL;
  gchar *token, *cert_pem, *address, *file, *path, *origins, *links;
  gchar **allowed = NULL;
  GTlsCertificate *certificate = NULL;
  GInetAddress *inet = NULL;
  GSocketAddress *socket_address;
  GSList *listeners;
  guint port, max_sessions;

  gst_sec_whip_token_warn (&self->token, GST_ELEMENT (self));
  GST_OBJECT_LOCK (self);
  token = gst_sec_whip_token_resolve (&self->token, &error);
  address = g_strdup (self->address);
  file = g_strdup (self->tls_certificate_file);
  path = g_strdup (self->path);
  origins = g_strdup (self->allowed_origins);
  links = g_strdup (self->link_ice_servers);
  port = self->port;
  max_sessions = self->max_sessions;
  GST_OBJECT_UNLOCK (self);

  if (token == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("The WHIP endpoint has no bearer token.")),
        ("%s", error != NULL ? error->message : "set auth-token-file (a "
            "file only the user can read) or auth-token-env: every request "
            "must carry the token"));
    goto fail;
  }
  inet = address != NULL ? g_inet_address_new_from_string (address) : NULL;
  if (inet == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("The WHIP endpoint's address is not valid.")),
        ("address '%s' is not an IP address", GST_STR_NULL (address)));
    goto fail;
  }
  self->links = g_ptr_array_new_with_free_func ((GDestroyNotify)
      sec_ice_secret_free);
  if (links != NULL && *links != '\0') {
    gchar **servers = g_strsplit (links, ",", -1);
    gboolean ok = TRUE;

    for (gchar ** uri = servers; ok && *uri != NULL; uri++) {
      gchar *value = sec_whip_ice_server_link_value (g_strstrip (*uri),
          &error);

      if (value != NULL)
        g_ptr_array_add (self->links, value);
      else
        ok = FALSE;
    }
    sec_ice_secret_strfreev (servers);
    if (!ok) {
      /* ext/ice's message names what is wrong, never the password */
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          (_("An ICE server of link-ice-servers is not usable.")),
          ("%s", error->message));
      goto fail;
    }
  }
  cert_pem = read_certificate (self, file, &certificate, &error);
  if (cert_pem == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("The WHIP endpoint has no usable TLS certificate.")),
        ("%s", error->message));
    goto fail;
  }

  if (origins != NULL && *origins != '\0') {
    allowed = g_strsplit (origins, ",", -1);
    for (gchar ** o = allowed; *o != NULL; o++)
      g_strstrip (*o);
  }
  self->rules = sec_whip_server_new (path, token,
      (const gchar * const *) allowed, max_sessions);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) session_free);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  g_main_context_push_thread_default (self->context);
  self->server = soup_server_new ("tls-certificate", certificate,
      "server-header", "gst-secwebrtc", NULL);
  gst_sec_whip_server_limit_bodies (self->server);
  soup_server_add_handler (self->server, NULL, handle_request, self, NULL);
  socket_address = g_inet_socket_address_new (inet, port);
  if (!soup_server_listen (self->server, socket_address,
          SOUP_SERVER_LISTEN_HTTPS, &error)) {
    g_main_context_pop_thread_default (self->context);
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        (_("The WHIP endpoint could not listen.")),
        ("https://%s:%u: %s", address, port, error->message));
    g_object_unref (socket_address);
    g_free (cert_pem);
    server_stop (self);
    goto fail;
  }
  g_main_context_pop_thread_default (self->context);
  g_object_unref (socket_address);
  g_clear_object (&inet);

  /* the port from the listening socket's own address: not by
   * soup_server_get_uris, whose listener (libsoup 3.2) caches the
   * address it asks for and never frees it */
  listeners = soup_server_get_listeners (self->server);
  socket_address = listeners != NULL ?
      g_socket_get_local_address (listeners->data, NULL) : NULL;
  g_slist_free (listeners);
  GST_OBJECT_LOCK (self);
  self->bound_port = G_IS_INET_SOCKET_ADDRESS (socket_address) ?
      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (socket_address))
      : port;
  g_free (self->certificate_pem);
  self->certificate_pem = cert_pem;
  GST_OBJECT_UNLOCK (self);
  g_clear_object (&socket_address);
  GST_INFO_OBJECT (self, "listening on https://%s:%u%s", address,
      self->bound_port, path);

  self->thread = g_thread_new ("secwhipserver", server_thread, self);
  gst_sec_whip_secret_free (token);
  g_object_unref (certificate);
  g_strfreev (allowed);
  g_free (address);
  g_free (file);
  g_free (path);
  g_free (origins);
  sec_ice_secret_free (links);
  return TRUE;

fail:
  g_clear_error (&error);
  g_clear_object (&inet);
  gst_sec_whip_secret_free (token);
  g_clear_object (&certificate);
  g_strfreev (allowed);
  g_free (address);
  g_free (file);
  g_free (path);
  g_free (origins);
  sec_ice_secret_free (links);
  return FALSE;
}

static gboolean
end_all_in_server (gpointer data)
{
  GstSecWhipServerSrc *self = data;
  GHashTableIter iter;
  gpointer id, session;

  if (self->sessions == NULL)
    return G_SOURCE_REMOVE;
  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, &id, &session)) {
    sec_whip_server_remove_session (self->rules, id);
    session_end (self, session);
    g_hash_table_iter_remove (&iter);
  }
  sessions_changed (self);
  return G_SOURCE_REMOVE;
}

static void
end_all_sessions (GstSecWhipServerSrc * self)
{
  run_in_server_thread (self, end_all_in_server, self);
}

typedef struct
{
  GstSecWhipServerSrc *self;
  gboolean pending;
} PendingCheck;

static gboolean
check_pending (gpointer data)
{
  PendingCheck *check = data;

  check->pending = check->self->pending != NULL || check->self->restarts > 0;
  return G_SOURCE_REMOVE;
}

static void
server_stop (GstSecWhipServerSrc * self)
{
  if (self->thread != NULL) {
    /* answers being made come back to this thread first (answered 503:
     * accepting is off), each within its timeout */
    while (TRUE) {
      PendingCheck check = { self, TRUE };

      run_in_server_thread (self, check_pending, &check);
      if (!check.pending)
        break;
      g_usleep (10 * 1000);
    }
    end_all_sessions (self);
    g_main_loop_quit (self->loop);
    g_thread_join (self->thread);
    self->thread = NULL;
  }
  if (self->server != NULL) {
    soup_server_disconnect (self->server);
    g_clear_object (&self->server);
  }
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->rules, sec_whip_server_free);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  GST_OBJECT_LOCK (self);
  self->bound_port = 0;
  GST_OBJECT_UNLOCK (self);
}
