/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the three WHIP/WHEP elements share: see gstsecwhipcommon.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecwhipcommon.h"

#include <string.h>

#include <gst/sdp/sdp.h>
#include <glib/gi18n-lib.h>

#include "whipauth.h"

/* static: the tests link these helpers too, next to the plugin */
GST_DEBUG_CATEGORY_STATIC (gst_sec_whip_debug);
#define GST_CAT_DEFAULT gst_sec_whip_debug

void
gst_sec_whip_debug_init (void)
{
  static gsize done;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (gst_sec_whip_debug, "secwhip", 0,
        "WHIP/WHEP helpers");
    g_once_init_leave (&done, 1);
  }
}

/* --- the bearer token ---------------------------------------------------- */

void
gst_sec_whip_token_install (GObjectClass * klass, guint first_prop_id,
    gboolean server)
{
  const gchar *whose = server ? "clients must present" : "to present";
  const GParamFlags names = G_PARAM_STATIC_NAME | G_PARAM_STATIC_NICK |
      GST_PARAM_MUTABLE_READY;
  /* GLib copies a blurb that is not static */
  gchar *file = g_strdup_printf ("File holding the bearer token %s (RFC "
      "6750); refused when group or others can read it (chmod 600)", whose);
  gchar *env = g_strdup_printf ("Name of the environment variable holding "
      "the bearer token %s (used when auth-token-file is unset)", whose);
  gchar *plain = g_strdup_printf ("The bearer token %s, for applications "
      "(write only; used when the other two are unset). On a command line "
      "every user sees it through ps: use auth-token-file there", whose);

  g_object_class_install_property (klass, first_prop_id,
      g_param_spec_string ("auth-token-file", "Bearer token file", file,
          NULL, G_PARAM_READWRITE | names));
  g_object_class_install_property (klass, first_prop_id + 1,
      g_param_spec_string ("auth-token-env", "Bearer token variable", env,
          NULL, G_PARAM_READWRITE | names));
  g_object_class_install_property (klass, first_prop_id + 2,
      g_param_spec_string ("auth-token", "Bearer token", plain, NULL,
          G_PARAM_WRITABLE | names));
  g_free (file);
  g_free (env);
  g_free (plain);
}

void
gst_sec_whip_secret_free (gchar * secret)
{
  if (secret == NULL)
    return;
  memset (secret, 0, strlen (secret));
  g_free (secret);
}

gboolean
gst_sec_whip_token_set (GstSecWhipToken * token, GObject * object,
    guint first_prop_id, guint prop_id, const GValue * value)
{
  if (prop_id == first_prop_id) {
    g_free (token->file);
    token->file = g_value_dup_string (value);
  } else if (prop_id == first_prop_id + 1) {
    g_free (token->env);
    token->env = g_value_dup_string (value);
  } else if (prop_id == first_prop_id + 2) {
    const gchar *prgname = g_get_prgname ();

    gst_sec_whip_secret_free (token->value);
    token->value = g_value_dup_string (value);
    /* gst-launch-1.0 has it from its command line, which every user of
     * the machine can read (ps, /proc/PID/cmdline); said on the bus at
     * start (gst_sec_whip_token_warn), when there is a bus: called with
     * the object lock, and before the element is in a pipeline */
    token->from_command_line = token->value != NULL && prgname != NULL
        && g_str_has_prefix (prgname, "gst-launch");
  } else
    return FALSE;
  return TRUE;
}

gboolean
gst_sec_whip_token_get (GstSecWhipToken * token, guint first_prop_id,
    guint prop_id, GValue * value)
{
  if (prop_id == first_prop_id)
    g_value_set_string (value, token->file);
  else if (prop_id == first_prop_id + 1)
    g_value_set_string (value, token->env);
  else if (prop_id == first_prop_id + 2)
    g_value_set_string (value, NULL);   /* never read back */
  else
    return FALSE;
  return TRUE;
}

void
gst_sec_whip_token_warn (GstSecWhipToken * token, GstElement * element)
{
  gboolean warn;

  GST_OBJECT_LOCK (element);
  warn = token->from_command_line && (token->file == NULL
      || *token->file == '\0') && (token->env == NULL || *token->env == '\0');
  GST_OBJECT_UNLOCK (element);
  if (warn)
    GST_ELEMENT_WARNING (element, RESOURCE, SETTINGS,
        ("The bearer token was given on the command line, where every "
            "user of this machine can read it."),
        ("auth-token set from %s: use auth-token-file (a file only you "
            "can read) or auth-token-env instead", g_get_prgname ()));
}

void
gst_sec_whip_token_clear (GstSecWhipToken * token)
{
  g_clear_pointer (&token->file, g_free);
  g_clear_pointer (&token->env, g_free);
  g_clear_pointer (&token->value, gst_sec_whip_secret_free);
}

gchar *
gst_sec_whip_token_resolve (GstSecWhipToken * token, GError ** error)
{
  if (token->file != NULL && *token->file != '\0')
    return sec_whip_token_from_file (token->file, error);
  if (token->env != NULL && *token->env != '\0')
    return sec_whip_token_from_env (token->env, error);
  if (token->value != NULL && *token->value != '\0') {
    if (!sec_whip_token_valid (token->value)) {
      g_set_error (error, SEC_WHIP_AUTH_ERROR, SEC_WHIP_AUTH_ERROR_INVALID,
          "auth-token is not a bearer token (RFC 6750 §2.1: letters, "
          "digits and -._~+/ then any =)");
      return NULL;
    }
    return g_strdup (token->value);
  }
  return NULL;
}

/* --- secwebrtcbin's properties, forwarded -------------------------------- */

/* Declared here rather than copied from the bin's class: class_init runs
 * while the registry is being built (gst_element_register), where loading
 * another plugin would deadlock. The bin's enums are strings here (their
 * nicks), which is also what a launch line gives. */
typedef enum
{
  FORWARD_STRING,
  FORWARD_ENUM,                 /* a string: the nick of the bin's enum */
  FORWARD_UINT,
  FORWARD_STRUCTURE,
} ForwardType;

typedef struct
{
  const gchar *name;
  ForwardType type;
  gboolean writable;
  const gchar *default_value;   /* strings and enums */
  const gchar *blurb;
} Forwarded;

static const Forwarded forwarded[] = {
  {"local-addresses", FORWARD_STRING, TRUE, NULL,
      "Comma-separated IP addresses to gather host candidates on "
        "(secwebrtcbin's); empty: every non-loopback interface"},
  {"port-range", FORWARD_STRING, TRUE, NULL,
      "\"min-max\": the local ports of host candidates (secwebrtcbin's)"},
  {"stun-server", FORWARD_STRING, TRUE, NULL,
      "stun://host:port for server-reflexive candidates (secwebrtcbin's)"},
  {"turn-server", FORWARD_STRING, TRUE, NULL,
      "turn://user:pass@host:port?transport=udp|tcp or "
        "turns://user:pass@host:port (secwebrtcbin's). Write-only: it "
        "holds a password"},
  {"turn-tls-ca-file", FORWARD_STRING, TRUE, NULL,
      "PEM file of the certificates trusted for turns:// servers "
        "(secwebrtcbin's)"},
  {"ice-transport-policy", FORWARD_ENUM, TRUE, "all",
      "all, or relay: gather, signal and use relay (TURN) candidates only "
        "(secwebrtcbin's)"},
  {"certificate", FORWARD_STRING, TRUE, NULL,
      "PEM certificate and private key for DTLS; unset: a fresh ECDSA "
        "P-256 one (secwebrtcbin's)"},
  {"latency", FORWARD_UINT, TRUE, NULL,
      "Jitter buffer latency of received streams in ms (secwebrtcbin's)"},
  {"bundle-policy", FORWARD_ENUM, TRUE, "max-bundle",
      "max-bundle or balanced (secwebrtcbin's)"},
  {"local-fingerprint", FORWARD_STRING, FALSE, NULL,
      "\"sha-256 AB:CD:...\" of our DTLS certificate (secwebrtcbin's)"},
  {"security-info", FORWARD_STRUCTURE, FALSE, NULL,
      "What was negotiated, once connected: dtls-version, cipher-suite, "
        "srtp-profile, fingerprints, fingerprint-verified, candidate types, "
        "sas (secwebrtcbin's)"},
  {"connection-state", FORWARD_ENUM, FALSE, "new",
      "W3C RTCPeerConnectionState, as its nick: new, connecting, "
        "connected, disconnected, failed, closed (secwebrtcbin's)"},
};

guint
gst_sec_whip_forward_install (GObjectClass * klass, guint first_prop_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++) {
    const Forwarded *f = &forwarded[i];
    /* turn-server holds passwords: write-only, as the bin's */
    GParamFlags flags = G_PARAM_STATIC_STRINGS |
        (strcmp (f->name, "turn-server") != 0 ? G_PARAM_READABLE : 0) |
        (f->writable ? G_PARAM_WRITABLE | GST_PARAM_MUTABLE_READY : 0);
    GParamSpec *pspec = NULL;

    switch (f->type) {
      case FORWARD_STRING:
      case FORWARD_ENUM:
        pspec = g_param_spec_string (f->name, f->name, f->blurb,
            f->default_value, flags);
        break;
      case FORWARD_UINT:
        pspec = g_param_spec_uint (f->name, f->name, f->blurb, 0,
            G_MAXUINT, 200, flags);
        break;
      case FORWARD_STRUCTURE:
        pspec = g_param_spec_boxed (f->name, f->name, f->blurb,
            GST_TYPE_STRUCTURE, flags);
        break;
    }
    g_object_class_install_property (klass, first_prop_id + i, pspec);
  }
  return G_N_ELEMENTS (forwarded);
}

static const Forwarded *
forward_lookup (const gchar * name)
{
  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    if (strcmp (forwarded[i].name, name) == 0)
      return &forwarded[i];
  return NULL;
}

const gchar *
gst_sec_whip_forward_name (guint first_prop_id, guint prop_id)
{
  if (prop_id < first_prop_id
      || prop_id - first_prop_id >= G_N_ELEMENTS (forwarded))
    return NULL;
  return forwarded[prop_id - first_prop_id].name;
}

gboolean
gst_sec_whip_forward_writable (const gchar * name)
{
  const Forwarded *f = forward_lookup (name);

  return f != NULL && f->writable;
}

void
gst_sec_whip_forward_set (GstElement * webrtcbin, const gchar * name,
    const GValue * value)
{
  const Forwarded *f = forward_lookup (name);

  if (f != NULL && f->type == FORWARD_ENUM) {
    const gchar *nick = g_value_get_string (value);

    /* an unknown nick is a warning of GStreamer's, the value unchanged */
    if (nick != NULL)
      gst_util_set_object_arg (G_OBJECT (webrtcbin), name, nick);
  } else
    g_object_set_property (G_OBJECT (webrtcbin), name, value);
}

void
gst_sec_whip_forward_read (GstElement * webrtcbin, const gchar * name,
    GValue * value)
{
  const Forwarded *f = forward_lookup (name);

  if (f != NULL && f->type == FORWARD_ENUM) {
    GParamSpec *pspec =
        g_object_class_find_property (G_OBJECT_GET_CLASS (webrtcbin), name);
    GValue bin_value = G_VALUE_INIT;
    GEnumValue *nick;

    if (pspec == NULL)
      return;
    g_value_init (&bin_value, pspec->value_type);
    g_object_get_property (G_OBJECT (webrtcbin), name, &bin_value);
    nick = g_enum_get_value (g_type_class_peek (pspec->value_type),
        g_value_get_enum (&bin_value));
    g_value_set_string (value, nick != NULL ? nick->value_nick : NULL);
    g_value_unset (&bin_value);
  } else
    g_object_get_property (G_OBJECT (webrtcbin), name, value);
}

static void
value_free (gpointer data)
{
  g_value_unset (data);
  g_free (data);
}

void
gst_sec_whip_forward_init (GstSecWhipForward * forward)
{
  forward->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      value_free);
}

void
gst_sec_whip_forward_clear (GstSecWhipForward * forward)
{
  g_clear_pointer (&forward->values, g_hash_table_unref);
}

void
gst_sec_whip_forward_store (GstSecWhipForward * forward, const gchar * name,
    const GValue * value)
{
  GValue *copy = g_new0 (GValue, 1);

  g_value_init (copy, G_VALUE_TYPE (value));
  g_value_copy (value, copy);
  g_hash_table_replace (forward->values, g_strdup (name), copy);
}

void
gst_sec_whip_forward_apply (GstSecWhipForward * forward,
    GstElement * webrtcbin)
{
  GHashTableIter iter;
  gpointer name, value;

  g_hash_table_iter_init (&iter, forward->values);
  while (g_hash_table_iter_next (&iter, &name, &value))
    gst_sec_whip_forward_set (webrtcbin, name, value);
}

void
gst_sec_whip_forward_get (GstSecWhipForward * forward, GParamSpec * pspec,
    GValue * value)
{
  GValue *kept = g_hash_table_lookup (forward->values, pspec->name);

  if (kept != NULL)
    g_value_copy (kept, value);
  else
    g_param_value_set_default (pspec, value);
}

/* --- the clients' HTTPS ------------------------------------------------- */

static gboolean
host_is_loopback (const gchar * host)
{
  GInetAddress *address;
  gboolean loopback;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return FALSE;
  loopback = g_inet_address_get_is_loopback (address);
  g_object_unref (address);
  return loopback;
}

GUri *
gst_sec_whip_check_url (const gchar * url, gboolean * plain, GError ** error)
{
  GUri *uri;
  const gchar *scheme, *host;

  *plain = FALSE;
  if (url == NULL || *url == '\0') {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "no endpoint URL is set");
    return NULL;
  }
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL
      || *g_uri_get_host (uri) == '\0') {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "the endpoint is not an absolute http(s) URL");
    g_clear_pointer (&uri, g_uri_unref);
    return NULL;
  }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return uri;
  if (g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (host)) {
    *plain = TRUE;
    return uri;
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
      "the endpoint's scheme is %s: only https is taken (http only to a "
      "loopback address), because the offer, the answer and the token "
      "must not travel in clear", scheme);
  g_uri_unref (uri);
  return NULL;
}

gchar *
gst_sec_whip_url_for_log (GUri * uri)
{
  return g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO |
      G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT | G_URI_HIDE_AUTH_PARAMS);
}

SoupSession *
gst_sec_whip_session_new (const gchar * ca_file, guint timeout_s,
    GError ** error)
{
  GTlsDatabase *database = NULL;
  SoupSession *session;

  if (ca_file != NULL && *ca_file != '\0') {
    /* GTlsFileDatabase takes absolute paths only */
    gchar *path = g_canonicalize_filename (ca_file, NULL);

    database = g_tls_file_database_new (path, error);
    g_free (path);
    if (database == NULL)
      return NULL;
  }
  session = soup_session_new_with_options ("timeout", timeout_s,
      "idle-timeout", timeout_s, "user-agent", "gst-secwebrtc/" VERSION,
      database != NULL ? "tls-database" : NULL, database, NULL);
  g_clear_object (&database);
  return session;
}

gchar *
gst_sec_whip_sdp_add_candidates (const gchar * sdp, GPtrArray * candidates,
    GArray * mlines)
{
  GstSDPMessage *message = NULL;
  gchar *text;

  if (gst_sdp_message_new_from_text (sdp, &message) != GST_SDP_OK)
    return g_strdup (sdp);
  for (guint i = 0; i < candidates->len; i++) {
    const gchar *candidate = g_ptr_array_index (candidates, i);
    guint mline = g_array_index (mlines, guint, i);
    GstSDPMedia *media;

    if (mline >= gst_sdp_message_medias_len (message))
      continue;
    media = (GstSDPMedia *) gst_sdp_message_get_media (message, mline);
    if (g_str_has_prefix (candidate, "a="))
      candidate += 2;
    if (g_str_has_prefix (candidate, "candidate:"))
      gst_sdp_media_add_attribute (media, "candidate",
          candidate + strlen ("candidate:"));
  }
  for (guint m = 0; m < gst_sdp_message_medias_len (message); m++) {
    GstSDPMedia *media =
        (GstSDPMedia *) gst_sdp_message_get_media (message, m);
    if (gst_sdp_media_get_port (media) != 0)
      gst_sdp_media_add_attribute (media, "end-of-candidates", NULL);
  }
  text = gst_sdp_message_as_text (message);
  gst_sdp_message_free (message);
  return text;
}

/* gst_sec_whip_bin_call, create-offer with @options */
static gchar *
bin_call (GstElement * webrtcbin, const gchar * call, const gchar * type,
    const gchar * sdp, GstStructure * options, GError ** error)
{
  GstPromise *promise = gst_promise_new ();
  const GstStructure *reply;
  gchar *result = NULL;

  if (g_str_has_prefix (call, "create-"))
    g_signal_emit_by_name (webrtcbin, call, options, promise);
  else
    g_signal_emit_by_name (webrtcbin, call, type, sdp, promise);
  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
        "%s: no reply", call);
  } else if ((reply = gst_promise_get_reply (promise)) != NULL
      && gst_structure_has_field (reply, "error")) {
    gst_structure_get (reply, "error", G_TYPE_ERROR, error, NULL);
  } else if (reply != NULL && gst_structure_has_field (reply, "sdp"))
    result = g_strdup (gst_structure_get_string (reply, "sdp"));
  else
    result = g_strdup ("");
  gst_promise_unref (promise);
  return result;
}

gchar *
gst_sec_whip_bin_call (GstElement * webrtcbin, const gchar * call,
    const gchar * type, const gchar * sdp, GError ** error)
{
  return bin_call (webrtcbin, call, type, sdp, NULL, error);
}

typedef struct
{
  GMutex lock;
  GCond cond;
  GPtrArray *candidates;
  GArray *mlines;
  GHashTable *ended;            /* m-lines whose "" came */
  gboolean complete;
} Gathering;

/* Every candidate is in: gathering is complete (the bin's state) and each
 * m-line that gave candidates has given its "" after them (the bin
 * emits what it gathered before the local description was set only
 * after that description's promise is answered). */
static gboolean
gathering_done (Gathering * gathering)
{
  if (!gathering->complete || g_hash_table_size (gathering->ended) == 0)
    return FALSE;
  for (guint i = 0; i < gathering->mlines->len; i++)
    if (!g_hash_table_contains (gathering->ended, GUINT_TO_POINTER
            (g_array_index (gathering->mlines, guint, i))))
      return FALSE;
  return TRUE;
}

static void
on_candidate (GstElement * webrtcbin, guint mline, const gchar * candidate,
    Gathering * gathering)
{
  GST_LOG_OBJECT (webrtcbin, "m-line %u: %s", mline,
      candidate && *candidate ? "a candidate" : "end of candidates");
  g_mutex_lock (&gathering->lock);
  if (candidate != NULL && *candidate != '\0') {
    g_ptr_array_add (gathering->candidates, g_strdup (candidate));
    g_array_append_val (gathering->mlines, mline);
  } else
    g_hash_table_add (gathering->ended, GUINT_TO_POINTER (mline));
  g_cond_broadcast (&gathering->cond);
  g_mutex_unlock (&gathering->lock);
}

static gboolean
gathering_complete (GstElement * webrtcbin)
{
  gint state = 0;
  GParamSpec *pspec =
      g_object_class_find_property (G_OBJECT_GET_CLASS (webrtcbin),
      "ice-gathering-state");
  GEnumClass *klass = g_type_class_ref (pspec->value_type);
  GEnumValue *value;
  gboolean complete;

  g_object_get (webrtcbin, "ice-gathering-state", &state, NULL);
  value = g_enum_get_value (klass, state);
  complete = value != NULL && strcmp (value->value_nick, "complete") == 0;
  g_type_class_unref (klass);
  return complete;
}

static void
on_gathering_state (GstElement * webrtcbin, GParamSpec * pspec,
    Gathering * gathering)
{
  g_mutex_lock (&gathering->lock);
  gathering->complete = gathering_complete (webrtcbin);
  GST_LOG_OBJECT (webrtcbin, "gathering %s", gathering->complete ?
      "complete" : "not complete");
  g_cond_broadcast (&gathering->cond);
  g_mutex_unlock (&gathering->lock);
}

gchar *
gst_sec_whip_bin_describe (GstElement * webrtcbin, const gchar * type,
    guint timeout_s, GError ** error)
{
  return gst_sec_whip_bin_describe_full (webrtcbin, type, FALSE, NULL,
      timeout_s, error);
}

gchar *
gst_sec_whip_bin_describe_full (GstElement * webrtcbin, const gchar * type,
    gboolean ice_restart, const gchar * offer, guint timeout_s,
    GError ** error)
{
  GstStructure *options = ice_restart ?
      gst_structure_new ("options", "ice-restart", G_TYPE_BOOLEAN, TRUE,
      NULL) : NULL;
  Gathering gathering = { 0, };
  gulong candidate_id, state_id;
  gchar *call = g_strconcat ("create-", type, NULL);
  gchar *sdp = NULL, *described = NULL;
  gint64 deadline;

  gst_sec_whip_debug_init ();
  g_mutex_init (&gathering.lock);
  g_cond_init (&gathering.cond);
  gathering.candidates = g_ptr_array_new_with_free_func (g_free);
  gathering.mlines = g_array_new (FALSE, FALSE, sizeof (guint));
  gathering.ended = g_hash_table_new (NULL, NULL);
  candidate_id = g_signal_connect (webrtcbin, "on-ice-candidate",
      G_CALLBACK (on_candidate), &gathering);
  state_id = g_signal_connect (webrtcbin, "notify::ice-gathering-state",
      G_CALLBACK (on_gathering_state), &gathering);

  if (offer != NULL) {
    gchar *set = bin_call (webrtcbin, "set-remote-description", "offer",
        offer, NULL, error);

    if (set == NULL)
      goto done;
    g_free (set);
  }
  sdp = bin_call (webrtcbin, call, type, NULL, options, error);
  if (sdp == NULL)
    goto done;
  g_free (gst_sec_whip_bin_call (webrtcbin, "set-local-description", type,
          NULL, error));
  if (error != NULL && *error != NULL)
    goto done;

  /* RFC 9725 §4.3: a client or server that does not trickle puts every
   * candidate in its description: wait until gathering ends */
  deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  g_mutex_lock (&gathering.lock);
  gathering.complete = gathering.complete || gathering_complete (webrtcbin);
  while (!gathering_done (&gathering))
    if (!g_cond_wait_until (&gathering.cond, &gathering.lock, deadline))
      break;
  if (gathering.candidates->len == 0) {
    g_mutex_unlock (&gathering.lock);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
        "ICE gathered no candidate in %u s", timeout_s);
    goto done;
  }
  described = gst_sec_whip_sdp_add_candidates (sdp, gathering.candidates,
      gathering.mlines);
  g_mutex_unlock (&gathering.lock);

done:
  g_signal_handler_disconnect (webrtcbin, candidate_id);
  g_signal_handler_disconnect (webrtcbin, state_id);
  g_ptr_array_unref (gathering.candidates);
  g_array_unref (gathering.mlines);
  g_hash_table_unref (gathering.ended);
  g_mutex_clear (&gathering.lock);
  g_cond_clear (&gathering.cond);
  g_free (sdp);
  g_free (call);
  if (options)
    gst_structure_free (options);
  return described;
}

/* --- trickle ICE --------------------------------------------------------- */

struct _GstSecWhipGathering
{
  Gathering gathering;
  GstElement *webrtcbin;        /* a ref */
  gulong candidate_id, state_id;
  guint taken;
};

GstSecWhipGathering *
gst_sec_whip_gathering_new (GstElement * webrtcbin)
{
  GstSecWhipGathering *watch = g_new0 (GstSecWhipGathering, 1);
  Gathering *gathering = &watch->gathering;

  g_mutex_init (&gathering->lock);
  g_cond_init (&gathering->cond);
  gathering->candidates = g_ptr_array_new_with_free_func (g_free);
  gathering->mlines = g_array_new (FALSE, FALSE, sizeof (guint));
  gathering->ended = g_hash_table_new (NULL, NULL);
  watch->webrtcbin = gst_object_ref (webrtcbin);
  watch->candidate_id = g_signal_connect (webrtcbin, "on-ice-candidate",
      G_CALLBACK (on_candidate), gathering);
  watch->state_id = g_signal_connect (webrtcbin,
      "notify::ice-gathering-state", G_CALLBACK (on_gathering_state),
      gathering);
  return watch;
}

gboolean
gst_sec_whip_gathering_wait (GstSecWhipGathering * watch, gint64 deadline,
    GPtrArray * candidates, GArray * mlines)
{
  Gathering *gathering = &watch->gathering;
  gboolean done;

  g_mutex_lock (&gathering->lock);
  gathering->complete = gathering->complete
      || gathering_complete (watch->webrtcbin);
  while (watch->taken == gathering->candidates->len
      && !gathering_done (gathering))
    if (!g_cond_wait_until (&gathering->cond, &gathering->lock, deadline))
      break;
  for (; watch->taken < gathering->candidates->len; watch->taken++) {
    g_ptr_array_add (candidates,
        g_strdup (g_ptr_array_index (gathering->candidates, watch->taken)));
    g_array_append_val (mlines,
        g_array_index (gathering->mlines, guint, watch->taken));
  }
  done = gathering_done (gathering);
  g_mutex_unlock (&gathering->lock);
  return done;
}

void
gst_sec_whip_gathering_free (GstSecWhipGathering * watch)
{
  Gathering *gathering = &watch->gathering;

  g_signal_handler_disconnect (watch->webrtcbin, watch->candidate_id);
  g_signal_handler_disconnect (watch->webrtcbin, watch->state_id);
  gst_object_unref (watch->webrtcbin);
  g_ptr_array_unref (gathering->candidates);
  g_array_unref (gathering->mlines);
  g_hash_table_unref (gathering->ended);
  g_mutex_clear (&gathering->lock);
  g_cond_clear (&gathering->cond);
  g_free (watch);
}

/* --- ICE restart by PATCH ------------------------------------------------ */

static const gchar *
media_attribute (const GstSDPMedia * media, const gchar * key)
{
  return media != NULL ? gst_sdp_media_get_attribute_val (media, key) : NULL;
}

/* @sdp as a message: GstSDP takes nearly any text, so a description is
 * also asked to start with v=0 and to have an m-line */
static GstSDPMessage *
description_parse (const gchar * sdp, GError ** error)
{
  GstSDPMessage *message = NULL;

  if (!g_str_has_prefix (sdp, "v=0")
      || gst_sdp_message_new_from_text (sdp, &message) != GST_SDP_OK
      || gst_sdp_message_medias_len (message) == 0) {
    if (message != NULL)
      gst_sdp_message_free (message);
    g_set_error_literal (error, SEC_WHIP_FRAG_ERROR,
        SEC_WHIP_FRAG_ERROR_SYNTAX, "the description is not SDP with an "
        "m-line");
    return NULL;
  }
  return message;
}

SecWhipFrag *
gst_sec_whip_sdp_to_frag (const gchar * sdp, GError ** error)
{
  GstSDPMessage *message = description_parse (sdp, error);
  const gchar *ufrag, *pwd;
  SecWhipFrag *frag;
  guint n;

  if (message == NULL)
    return NULL;
  n = gst_sdp_message_medias_len (message);
  ufrag = gst_sdp_message_get_attribute_val (message, "ice-ufrag");
  pwd = gst_sdp_message_get_attribute_val (message, "ice-pwd");
  if (ufrag == NULL && n > 0)
    ufrag = media_attribute (gst_sdp_message_get_media (message, 0),
        "ice-ufrag");
  if (pwd == NULL && n > 0)
    pwd = media_attribute (gst_sdp_message_get_media (message, 0), "ice-pwd");
  if (ufrag == NULL || pwd == NULL) {
    gst_sdp_message_free (message);
    g_set_error_literal (error, SEC_WHIP_FRAG_ERROR,
        SEC_WHIP_FRAG_ERROR_SYNTAX, "the description has no ICE credentials");
    return NULL;
  }
  frag = sec_whip_frag_new (ufrag, pwd);
  for (guint m = 0; m < n; m++) {
    const GstSDPMedia *media = gst_sdp_message_get_media (message, m);
    SecWhipFragMedia *section = sec_whip_frag_add_media (frag,
        gst_sdp_media_get_media (media), media_attribute (media, "mid"));

    for (guint a = 0; a < gst_sdp_media_attributes_len (media); a++) {
      const GstSDPAttribute *attribute =
          gst_sdp_media_get_attribute (media, a);
      gchar *candidate;

      if (g_strcmp0 (attribute->key, "candidate") != 0
          || attribute->value == NULL)
        continue;
      candidate = g_strconcat ("candidate:", attribute->value, NULL);
      /* ours: malformed ones are not expected, and skipped */
      if (!sec_whip_frag_media_add_candidate (section, candidate, NULL))
        GST_WARNING ("a local candidate of m-line %u is malformed", m);
      g_free (candidate);
    }
    section->end_of_candidates = TRUE;
  }
  gst_sdp_message_free (message);
  return frag;
}

/* Removes every @key attribute of @media; TRUE if there was one. */
static gboolean
media_remove_all (GstSDPMedia * media, const gchar * key)
{
  gboolean removed = FALSE;

  for (guint a = gst_sdp_media_attributes_len (media); a > 0; a--)
    if (g_strcmp0 (gst_sdp_media_get_attribute (media, a - 1)->key,
            key) == 0) {
      gst_sdp_media_remove_attribute (media, a - 1);
      removed = TRUE;
    }
  return removed;
}

static void
message_remove_all (GstSDPMessage * message, const gchar * key)
{
  for (guint a = gst_sdp_message_attributes_len (message); a > 0; a--)
    if (g_strcmp0 (gst_sdp_message_get_attribute (message, a - 1)->key,
            key) == 0)
      gst_sdp_message_remove_attribute (message, a - 1);
}

gchar *
gst_sec_whip_sdp_restart (const gchar * sdp, const SecWhipFrag * frag,
    GError ** error)
{
  GstSDPMessage *message = NULL;
  const GstSDPOrigin *origin;
  gboolean at_session;
  gchar *text, *version;
  guint n;

  if (frag->ice_ufrag == NULL || frag->ice_pwd == NULL) {
    g_set_error_literal (error, SEC_WHIP_FRAG_ERROR,
        SEC_WHIP_FRAG_ERROR_SYNTAX, "an ICE restart needs a=ice-ufrag and "
        "a=ice-pwd");
    return NULL;
  }
  message = description_parse (sdp, error);
  if (message == NULL)
    return NULL;
  at_session = gst_sdp_message_get_attribute_val (message, "ice-ufrag")
      != NULL;
  message_remove_all (message, "ice-ufrag");
  message_remove_all (message, "ice-pwd");
  message_remove_all (message, "end-of-candidates");
  if (at_session) {
    gst_sdp_message_add_attribute (message, "ice-ufrag", frag->ice_ufrag);
    gst_sdp_message_add_attribute (message, "ice-pwd", frag->ice_pwd);
  }
  n = gst_sdp_message_medias_len (message);
  for (guint m = 0; m < n; m++) {
    GstSDPMedia *media = (GstSDPMedia *)
        gst_sdp_message_get_media (message, m);
    const gchar *mid = media_attribute (media, "mid");
    const SecWhipFragMedia *section = NULL;
    gboolean had_ufrag = media_remove_all (media, "ice-ufrag");

    media_remove_all (media, "ice-pwd");
    media_remove_all (media, "candidate");
    media_remove_all (media, "end-of-candidates");
    if (had_ufrag || !at_session) {
      gst_sdp_media_add_attribute (media, "ice-ufrag", frag->ice_ufrag);
      gst_sdp_media_add_attribute (media, "ice-pwd", frag->ice_pwd);
    }
    for (guint i = 0; i < frag->media->len && section == NULL; i++) {
      const SecWhipFragMedia *one = g_ptr_array_index (frag->media, i);

      if (one->mid != NULL ? g_strcmp0 (one->mid, mid) == 0 : i == m)
        section = one;
    }
    for (guint c = 0; section != NULL && c < section->candidates->len; c++) {
      const gchar *candidate = g_ptr_array_index (section->candidates, c);

      gst_sdp_media_add_attribute (media, "candidate",
          candidate + strlen ("candidate:"));
    }
    if ((section != NULL && section->end_of_candidates)
        || frag->end_of_candidates)
      gst_sdp_media_add_attribute (media, "end-of-candidates", NULL);
  }
  origin = gst_sdp_message_get_origin (message);
  version = g_strdup_printf ("%" G_GUINT64_FORMAT,
      g_ascii_strtoull (origin->sess_version ? origin->sess_version : "0",
          NULL, 10) + 1);
  {
    gchar *user = g_strdup (origin->username), *id = g_strdup (origin->sess_id),
        *net = g_strdup (origin->nettype), *type = g_strdup (origin->addrtype),
        *address = g_strdup (origin->addr);

    gst_sdp_message_set_origin (message, user, id, version, net, type,
        address);
    g_free (user);
    g_free (id);
    g_free (net);
    g_free (type);
    g_free (address);
  }
  g_free (version);
  text = gst_sdp_message_as_text (message);
  gst_sdp_message_free (message);
  return text;
}

/* --- an endpoint's HTTP side -------------------------------------------- */

GBytes *
gst_sec_whip_request_read (SoupServerMessage * message, const char *path,
    SecWhipRequest * request)
{
  SoupMessageHeaders *headers =
      soup_server_message_get_request_headers (message);
  SoupMessageBody *body = soup_server_message_get_request_body (message);
  GBytes *bytes = NULL;

  memset (request, 0, sizeof *request);
  request->method = soup_server_message_get_method (message);
  request->path = path;
  request->peer = soup_server_message_get_remote_host (message);
  request->origin = soup_message_headers_get_one (headers, "Origin");
  request->authorization =
      soup_message_headers_get_one (headers, "Authorization");
  request->content_type =
      soup_message_headers_get_one (headers, "Content-Type");
  request->if_match = soup_message_headers_get_one (headers, "If-Match");
  request->content_length =
      soup_message_headers_get_encoding (headers) ==
      SOUP_ENCODING_CONTENT_LENGTH ?
      soup_message_headers_get_content_length (headers) : -1;
  if (body != NULL && body->length > 0) {
    bytes = soup_message_body_flatten (body);
    request->body = g_bytes_get_data (bytes, &request->body_length);
  }
  request->now_us = g_get_monotonic_time ();
  return bytes;
}

void
gst_sec_whip_respond_text (SoupServerMessage * message, guint status,
    const gchar * text)
{
  /* libsoup appends to a body already set: a response replaced (a
   * request answered later) starts again */
  soup_message_body_truncate (soup_server_message_get_response_body
      (message));
  soup_server_message_set_status (message, status, NULL);
  if (text != NULL) {
    gchar *body = g_strconcat (text, "\n", NULL);
    soup_server_message_set_response (message, "text/plain; charset=utf-8",
        SOUP_MEMORY_TAKE, body, strlen (body));
  }
}

void
gst_sec_whip_respond (SoupServerMessage * message,
    const SecWhipRequest * request, const SecWhipResponse * response)
{
  SoupMessageHeaders *headers =
      soup_server_message_get_response_headers (message);

  if (response->cors) {
    soup_message_headers_replace (headers, "Access-Control-Allow-Origin",
        request->origin);
    soup_message_headers_replace (headers, "Vary", "Origin");
    soup_message_headers_replace (headers, "Access-Control-Allow-Methods",
        SEC_WHIP_CORS_METHODS);
    soup_message_headers_replace (headers, "Access-Control-Allow-Headers",
        SEC_WHIP_CORS_HEADERS);
    soup_message_headers_replace (headers, "Access-Control-Expose-Headers",
        SEC_WHIP_CORS_EXPOSE);
    soup_message_headers_replace (headers, "Access-Control-Max-Age", "600");
  }
  if (response->challenge)
    soup_message_headers_replace (headers, "WWW-Authenticate",
        "Bearer realm=\"whip\"");
  if (response->retry_after_s > 0) {
    gchar *seconds = g_strdup_printf ("%u", response->retry_after_s);
    soup_message_headers_replace (headers, "Retry-After", seconds);
    g_free (seconds);
  }
  if (g_strcmp0 (request->method, "OPTIONS") == 0 && response->status == 204)
    soup_message_headers_replace (headers, "Accept-Post", "application/sdp");
  /* a 201 is the answer's, once it is made */
  if (response->status != 201)
    gst_sec_whip_respond_text (message, response->status,
        response->status == 204 ? NULL : response->reason);
}

/* Answers @status on the connection itself and closes it. */
static void
refuse_before_body (SoupServerMessage * message, guint status,
    const gchar * reason)
{
  GIOStream *stream = soup_server_message_steal_connection (message);
  gchar *response;

  if (stream == NULL)
    return;
  response = g_strdup_printf ("HTTP/1.1 %u %s\r\nConnection: close\r\n"
      "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n"
      "\r\n%s\n", status, soup_status_get_phrase (status),
      strlen (reason) + 1, reason);
  g_output_stream_write_all (g_io_stream_get_output_stream (stream),
      response, strlen (response), NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
  g_object_unref (stream);
  g_free (response);
}

static void
on_got_headers (SoupServerMessage * message, gpointer user_data)
{
  SoupMessageHeaders *headers =
      soup_server_message_get_request_headers (message);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  if (encoding == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) >
      SEC_WHIP_SERVER_MAX_BODY) {
    GST_INFO ("%s refused: a body of %" G_GINT64_FORMAT " bytes",
        soup_server_message_get_remote_host (message),
        (gint64) soup_message_headers_get_content_length (headers));
    refuse_before_body (message, 413, "the request body is larger than "
        "64 KiB");
  } else if (encoding == SOUP_ENCODING_CHUNKED
      || encoding == SOUP_ENCODING_EOF) {
    refuse_before_body (message, 411, "a Content-Length is required");
  }
}

static void
on_request_started (SoupServer * server, SoupServerMessage * message,
    gpointer user_data)
{
  g_signal_connect (message, "got-headers", G_CALLBACK (on_got_headers),
      NULL);
}

void
gst_sec_whip_server_limit_bodies (SoupServer * server)
{
  gst_sec_whip_debug_init ();
  g_signal_connect (server, "request-started",
      G_CALLBACK (on_request_started), NULL);
}

static void
on_client_connection_state (GstElement * webrtcbin, GParamSpec * pspec,
    GstElement * element)
{
  gint state = 0;
  GEnumClass *klass = g_type_class_ref (pspec->value_type);
  GEnumValue *value;

  g_object_get (webrtcbin, "connection-state", &state, NULL);
  value = g_enum_get_value (klass, state);
  if (value != NULL && strcmp (value->value_nick, "failed") == 0)
    GST_ELEMENT_ERROR (element, RESOURCE, OPEN_READ_WRITE,
        (_("The connection with the endpoint's peer failed.")),
        ("connection-state is failed (ICE found no working pair, the "
            "peer's certificate was refused, or the peer is gone)"));
  g_type_class_unref (klass);
}

void
gst_sec_whip_watch_connection (GstElement * element, GstElement * webrtcbin)
{
  g_signal_connect_object (webrtcbin, "notify::connection-state",
      G_CALLBACK (on_client_connection_state), element, 0);
}
