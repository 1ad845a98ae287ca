/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The request rules of a WHIP endpoint: see whipserver.h.
 */
#include "whipserver.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "whipauth.h"

typedef struct
{
  gchar *ice_ufrag;
  gchar *etag;
} Session;

typedef struct
{
  guint failures;
  gint64 window_start_us;
} Address;

struct _SecWhipServer
{
  gchar *path;                  /* "/whip", no trailing slash */
  gchar *token;
  gchar **allowed_origins;
  guint max_sessions;
  guint reserved;
  GHashTable *sessions;         /* id -> Session */
  GHashTable *addresses;        /* peer -> Address */
};

static void
session_free (gpointer data)
{
  Session *session = data;

  g_free (session->ice_ufrag);
  g_free (session->etag);
  g_free (session);
}

SecWhipServer *
sec_whip_server_new (const gchar * path, const gchar * token,
    const gchar * const *allowed_origins, guint max_sessions)
{
  SecWhipServer *server = g_new0 (SecWhipServer, 1);
  gsize len = strlen (path);

  while (len > 1 && path[len - 1] == '/')
    len--;
  server->path = g_strndup (path, len);
  server->token = g_strdup (token);
  server->allowed_origins = g_strdupv ((gchar **) allowed_origins);
  server->max_sessions = max_sessions;
  server->sessions =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, session_free);
  server->addresses =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return server;
}

void
sec_whip_server_free (SecWhipServer * server)
{
  if (server == NULL)
    return;
  if (server->token != NULL) {
    memset (server->token, 0, strlen (server->token));
    g_free (server->token);
  }
  g_free (server->path);
  g_strfreev (server->allowed_origins);
  g_hash_table_unref (server->sessions);
  g_hash_table_unref (server->addresses);
  g_free (server);
}

void
sec_whip_response_clear (SecWhipResponse * response)
{
  g_clear_pointer (&response->session_id, g_free);
  g_clear_pointer (&response->frag, sec_whip_frag_free);
}

static gboolean
origin_allowed (SecWhipServer * server, const gchar * origin)
{
  if (server->allowed_origins == NULL)
    return FALSE;
  for (gchar ** o = server->allowed_origins; *o != NULL; o++)
    if (g_ascii_strcasecmp (*o, origin) == 0 || strcmp (*o, "*") == 0)
      return TRUE;
  return FALSE;
}

/* The address's entry, its window restarted when it has ended. */
static Address *
address_get (SecWhipServer * server, const gchar * peer, gint64 now_us,
    gboolean create)
{
  Address *address = g_hash_table_lookup (server->addresses, peer);

  if (address != NULL && now_us - address->window_start_us >=
      (gint64) SEC_WHIP_SERVER_AUTH_WINDOW_S * G_USEC_PER_SEC) {
    address->failures = 0;
    address->window_start_us = now_us;
  }
  if (address == NULL && create) {
    if (g_hash_table_size (server->addresses) >=
        SEC_WHIP_SERVER_MAX_ADDRESSES) {
      /* forget the entry whose window began first */
      GHashTableIter iter;
      gpointer key, value, oldest_key = NULL;
      gint64 oldest = G_MAXINT64;

      g_hash_table_iter_init (&iter, server->addresses);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (((Address *) value)->window_start_us < oldest) {
          oldest = ((Address *) value)->window_start_us;
          oldest_key = key;
        }
      g_hash_table_remove (server->addresses, oldest_key);
    }
    address = g_new0 (Address, 1);
    address->window_start_us = now_us;
    g_hash_table_insert (server->addresses, g_strdup (peer), address);
  }
  return address;
}

static void
respond (SecWhipResponse * response, guint status, const gchar * reason)
{
  response->status = status;
  response->reason = reason;
}

/* The session id of @path when it is a resource of ours: NULL when it is
 * the endpoint, "" when it is neither. */
static const gchar *
session_of_path (SecWhipServer * server, const gchar * path)
{
  gsize len = strlen (server->path);

  if (strncmp (path, server->path, len) != 0)
    return "";
  path += len;
  if (*path == '\0' || strcmp (path, "/") == 0)
    return NULL;
  if (*path != '/' || strchr (path + 1, '/') != NULL)
    return "";
  return path + 1;
}

static gboolean
media_type_is (const gchar * value, const gchar * type)
{
  gsize len = strlen (type);

  if (value == NULL || g_ascii_strncasecmp (value, type, len) != 0)
    return FALSE;
  value += len;
  while (*value == ' ' || *value == '\t')
    value++;
  return *value == '\0' || *value == ';';
}

gchar *
sec_whip_sdp_ice_ufrag (const gchar * sdp, gsize length)
{
  const gchar *end = sdp + length;
  const gchar *line = sdp;

  while (line < end) {
    const gchar *eol = memchr (line, '\n', end - line);
    const gchar *stop = eol != NULL ? eol : end;

    if (stop > line && stop[-1] == '\r')
      stop--;
    if (stop - line > 12 && memcmp (line, "a=ice-ufrag:", 12) == 0)
      return g_strndup (line + 12, stop - line - 12);
    if (eol == NULL)
      break;
    line = eol + 1;
  }
  return NULL;
}

/* Only the shape: the bin reads and checks the offer itself, this keeps
 * what is plainly not an offer away from it. */
static gboolean
looks_like_sdp (const gchar * body, gsize length)
{
  if (length < 4 || memcmp (body, "v=0", 3) != 0
      || (body[3] != '\n' && body[3] != '\r'))
    return FALSE;
  if (memchr (body, '\0', length) != NULL)
    return FALSE;
  return g_utf8_validate (body, length, NULL);
}

static void
handle_post (SecWhipServer * server, const SecWhipRequest * request,
    SecWhipResponse * response)
{
  if (!media_type_is (request->content_type, "application/sdp"))
    respond (response, 415, "the offer must be application/sdp");
  else if (request->content_length < 0)
    respond (response, 411, "a Content-Length is required");
  else if (request->content_length > SEC_WHIP_SERVER_MAX_BODY
      || request->body_length > SEC_WHIP_SERVER_MAX_BODY)
    respond (response, 413, "the offer is larger than 64 KiB");
  else if (sec_whip_server_n_sessions (server) >= server->max_sessions) {
    respond (response, 503, "the endpoint has as many sessions as it takes");
    response->retry_after_s = 10;
  } else if (request->body == NULL
      || !looks_like_sdp (request->body, request->body_length))
    respond (response, 400, "the body is not an SDP offer");
  else {
    respond (response, 201, "created");
    response->action = SEC_WHIP_ACTION_CREATE;
    response->ice_servers = TRUE;
    server->reserved++;
  }
}

static void
handle_patch (SecWhipServer * server, const SecWhipRequest * request,
    Session * session, SecWhipResponse * response)
{
  GError *error = NULL;
  SecWhipFrag *frag;

  if (!media_type_is (request->content_type,
          "application/trickle-ice-sdpfrag")) {
    respond (response, 415,
        "a PATCH must be application/trickle-ice-sdpfrag");
    return;
  }
  if (request->if_match != NULL && strcmp (request->if_match, "*") != 0
      && strcmp (request->if_match, session->etag) != 0) {
    respond (response, 412, "If-Match is not the session's ETag");
    return;
  }
  frag = sec_whip_frag_parse (request->body != NULL ? request->body : "",
      request->body != NULL ? request->body_length : 0, &error);
  if (frag == NULL) {
    g_error_free (error);
    respond (response, 400, "the body is not a trickle ICE fragment");
    return;
  }
  if (frag->ice_ufrag != NULL && session->ice_ufrag != NULL
      && strcmp (frag->ice_ufrag, session->ice_ufrag) != 0) {
    /* RFC 9725 §4.3.2: an ICE restart */
    if (request->if_match == NULL) {
      sec_whip_frag_free (frag);
      respond (response, 428, "an ICE restart needs If-Match");
      return;
    }
    if (frag->ice_pwd == NULL) {
      sec_whip_frag_free (frag);
      respond (response, 400, "an ICE restart needs a=ice-pwd");
      return;
    }
    respond (response, 200, "ICE restarted");
    response->action = SEC_WHIP_ACTION_RESTART;
    response->frag = frag;
    return;
  }
  respond (response, 204, "candidates added");
  response->action = SEC_WHIP_ACTION_PATCH;
  response->frag = frag;
}

void
sec_whip_server_handle (SecWhipServer * server,
    const SecWhipRequest * request, SecWhipResponse * response)
{
  const gchar *peer = request->peer != NULL ? request->peer : "";
  const gchar *id;
  SecWhipAuthResult auth;
  Address *address;

  memset (response, 0, sizeof *response);

  if (request->origin != NULL) {
    if (!origin_allowed (server, request->origin)) {
      respond (response, 403, "this origin is not allowed");
      return;
    }
    response->cors = TRUE;
  }
  if (g_strcmp0 (request->method, "OPTIONS") == 0
      && request->authorization == NULL) {
    respond (response, 204, "allowed");
    return;
  }

  address = address_get (server, peer, request->now_us, FALSE);
  if (address != NULL && address->failures >= SEC_WHIP_SERVER_AUTH_FAILURES) {
    gint64 left = address->window_start_us +
        (gint64) SEC_WHIP_SERVER_AUTH_WINDOW_S * G_USEC_PER_SEC -
        request->now_us;
    respond (response, 429, "too many failed authentications");
    response->retry_after_s = (guint) ((left + G_USEC_PER_SEC - 1) /
        G_USEC_PER_SEC);
    return;
  }

  auth = sec_whip_auth_check (request->authorization, server->token);
  if (auth != SEC_WHIP_AUTH_OK) {
    address = address_get (server, peer, request->now_us, TRUE);
    address->failures++;
    respond (response, 401, sec_whip_auth_result_describe (auth));
    response->challenge = TRUE;
    return;
  }

  if (request->path == NULL) {
    respond (response, 404, "no such resource");
    return;
  }
  if (g_strcmp0 (request->method, "OPTIONS") == 0) {
    /* RFC 9725 §4.6: a client asking for the ICE servers before its
     * offer (one that cannot take them after) */
    respond (response, 204, "allowed");
    response->ice_servers = TRUE;
    return;
  }
  id = session_of_path (server, request->path);
  if (id == NULL) {
    if (g_strcmp0 (request->method, "POST") == 0)
      handle_post (server, request, response);
    else
      respond (response, 405, "the endpoint takes POST");
  } else {
    Session *session = *id != '\0' ?
        g_hash_table_lookup (server->sessions, id) : NULL;

    if (session == NULL)
      respond (response, 404, "no such session");
    else if (g_strcmp0 (request->method, "DELETE") == 0) {
      respond (response, 200, "session ended");
      response->action = SEC_WHIP_ACTION_DELETE;
    } else if (g_strcmp0 (request->method, "PATCH") == 0)
      handle_patch (server, request, session, response);
    else
      respond (response, 405, "a session takes PATCH and DELETE");
    if (response->action != SEC_WHIP_ACTION_NONE)
      response->session_id = g_strdup (id);
  }
}

/* @bytes random bytes from the kernel's CSPRNG as hex: a session's URL is
 * the capability to end it, so it must not be guessable. */
static gchar *
random_hex (guint bytes)
{
  guint8 buf[32];
  GString *hex = g_string_sized_new (bytes * 2);
  gsize got = 0;

  g_assert (bytes <= sizeof buf);
  while (got < bytes) {
    gssize n = getrandom (buf + got, bytes - got, 0);

    if (n < 0 && errno != EINTR)
      g_error ("getrandom failed: %s", g_strerror (errno));
    if (n > 0)
      got += n;
  }
  for (guint i = 0; i < bytes; i++)
    g_string_append_printf (hex, "%02x", buf[i]);
  return g_string_free (hex, FALSE);
}

gchar *
sec_whip_server_add_session (SecWhipServer * server,
    const gchar * ice_ufrag, gchar ** etag)
{
  Session *session = g_new0 (Session, 1);
  gchar *id = random_hex (16), *tag = random_hex (8);

  session->ice_ufrag = g_strdup (ice_ufrag);
  session->etag = g_strdup_printf ("\"%s\"", tag);
  g_free (tag);
  if (etag != NULL)
    *etag = g_strdup (session->etag);
  g_hash_table_insert (server->sessions, g_strdup (id), session);
  if (server->reserved > 0)
    server->reserved--;
  return id;
}

gboolean
sec_whip_server_restart_session (SecWhipServer * server,
    const gchar * session_id, const gchar * ice_ufrag, gchar ** etag)
{
  Session *session = g_hash_table_lookup (server->sessions, session_id);
  gchar *tag;

  if (session == NULL)
    return FALSE;
  g_free (session->ice_ufrag);
  session->ice_ufrag = g_strdup (ice_ufrag);
  tag = random_hex (8);
  g_free (session->etag);
  session->etag = g_strdup_printf ("\"%s\"", tag);
  g_free (tag);
  if (etag != NULL)
    *etag = g_strdup (session->etag);
  return TRUE;
}

gchar *
sec_whip_server_session_path (SecWhipServer * server,
    const gchar * session_id)
{
  return g_strdup_printf ("%s/%s", server->path, session_id);
}

void
sec_whip_server_remove_session (SecWhipServer * server,
    const gchar * session_id)
{
  g_hash_table_remove (server->sessions, session_id);
}

guint
sec_whip_server_n_sessions (SecWhipServer * server)
{
  return g_hash_table_size (server->sessions) + server->reserved;
}

void
sec_whip_server_release (SecWhipServer * server)
{
  if (server->reserved > 0)
    server->reserved--;
}
