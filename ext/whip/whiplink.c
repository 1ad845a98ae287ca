/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ICE servers from Link header fields: see whiplink.h.
 *
 * RFC 8288 §3:
 *   Link       = #link-value
 *   link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )
 *   link-param = token BWS [ "=" BWS ( token / quoted-string ) ]
 * with quoted-string as RFC 9110 §5.6.4 has it, parameter names matched
 * without regard to case, and of a parameter given twice the first
 * taken (§3.3 says so of rel).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "whiplink.h"

#include <string.h>

#include "iceserver.h"

G_DEFINE_QUARK (sec-whip-link-error-quark, sec_whip_link_error);

void
sec_whip_ice_server_free (SecWhipIceServer * server)
{
  if (server == NULL)
    return;
  g_free (server->uri);
  g_free (server->username);
  sec_ice_secret_free (server->credential);
  g_free (server->credential_type);
  g_free (server);
}

GPtrArray *
sec_whip_ice_servers_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)
      sec_whip_ice_server_free);
}

/* --- RFC 9110 §5.6 pieces ------------------------------------------------ */

static gboolean
is_tchar (guchar c)
{
  return g_ascii_isalnum (c) || (c != 0 && strchr ("!#$%&'*+-.^_`|~", c));
}

static const gchar *
skip_ows (const gchar * p, const gchar * end)
{
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  return p;
}

/* A quoted-string at @p (its opening quote): its unescaped content in
 * @out, the position after the closing quote returned; NULL if
 * malformed. */
static const gchar *
read_quoted (const gchar * p, const gchar * end, GString * out)
{
  p++;
  while (p < end) {
    guchar c = (guchar) * p;

    if (c == '"')
      return p + 1;
    if (c == '\\') {
      if (p + 1 >= end)
        return NULL;
      c = (guchar) p[1];
      /* quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ) */
      if (!(c == '\t' || c == ' ' || (c >= 0x21 && c != 0x7f)))
        return NULL;
      g_string_append_c (out, (gchar) c);
      p += 2;
      continue;
    }
    /* qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text */
    if (!(c == '\t' || c == ' ' || (c >= 0x21 && c != 0x7f)))
      return NULL;
    g_string_append_c (out, (gchar) c);
    p++;
  }
  return NULL;
}

/* --- link-values --------------------------------------------------------- */

typedef struct
{
  gchar *rel, *username, *credential, *credential_type;
} LinkParams;

static void
link_params_clear (LinkParams * params)
{
  g_clear_pointer (&params->rel, g_free);
  g_clear_pointer (&params->username, g_free);
  g_clear_pointer (&params->credential, sec_ice_secret_free);
  g_clear_pointer (&params->credential_type, g_free);
}

/* TRUE if the space-separated relation types of @rel have "ice-server" */
static gboolean
rel_is_ice_server (const gchar * rel)
{
  gchar **types;
  gboolean found = FALSE;
  guint i;

  if (rel == NULL)
    return FALSE;
  types = g_strsplit_set (rel, " \t", -1);
  for (i = 0; types[i] && !found; i++)
    found = g_ascii_strcasecmp (types[i], "ice-server") == 0;
  g_strfreev (types);
  return found;
}

/* the position only: the value may hold a credential */
#define FAIL(at, what) G_STMT_START { \
  g_set_error (error, SEC_WHIP_LINK_ERROR, SEC_WHIP_LINK_ERROR_SYNTAX, \
      "malformed Link header field at byte %" G_GSIZE_FORMAT ": %s", \
      (gsize) ((at) - value), (what)); \
  goto fail; \
} G_STMT_END

gboolean
sec_whip_link_parse (const gchar * value, GPtrArray * servers,
    GError ** error)
{
  GPtrArray *found;
  const gchar *p, *end;
  gsize len;

  g_return_val_if_fail (value != NULL && servers != NULL, FALSE);
  len = strlen (value);
  if (len > SEC_WHIP_LINK_MAX_LENGTH) {
    g_set_error (error, SEC_WHIP_LINK_ERROR, SEC_WHIP_LINK_ERROR_SYNTAX,
        "a Link header field of %" G_GSIZE_FORMAT " bytes (at most %d "
        "taken)", len, SEC_WHIP_LINK_MAX_LENGTH);
    return FALSE;
  }
  found = sec_whip_ice_servers_new ();
  p = value;
  end = value + len;
  for (;;) {
    const gchar *uri_start, *uri_end;
    LinkParams params = { NULL, };

    p = skip_ows (p, end);
    if (p == end)
      break;
    if (*p == ',') {            /* an empty list element */
      p++;
      continue;
    }
    if (*p != '<')
      FAIL (p, "a link-value starts with '<'");
    uri_start = ++p;
    while (p < end && *p != '>') {
      guchar c = (guchar) * p;

      /* URI-Reference: visible ASCII, none of "<>\"" */
      if (c <= 0x20 || c >= 0x7f || c == '<' || c == '"')
        FAIL (p, "a character that is not in a URI");
      p++;
    }
    if (p == end)
      FAIL (p, "no '>' ends the URI");
    uri_end = p++;

    for (;;) {
      GString *param_value = NULL;
      gchar *name;
      const gchar *name_start;

      p = skip_ows (p, end);
      if (p == end || *p == ',')
        break;
      if (*p != ';') {
        link_params_clear (&params);
        FAIL (p, "expected ';' or ','");
      }
      p = skip_ows (p + 1, end);
      name_start = p;
      while (p < end && is_tchar ((guchar) * p))
        p++;
      if (p == name_start) {
        link_params_clear (&params);
        FAIL (p, "a link-param without a name");
      }
      name = g_ascii_strdown (name_start, p - name_start);
      p = skip_ows (p, end);
      if (p < end && *p == '=') {
        p = skip_ows (p + 1, end);
        param_value = g_string_new (NULL);
        if (p < end && *p == '"') {
          const gchar *quote = p;

          p = read_quoted (p, end, param_value);
          if (p == NULL) {
            g_free (name);
            sec_ice_secret_free (g_string_free (param_value, FALSE));
            link_params_clear (&params);
            FAIL (quote, "an unterminated or malformed quoted-string");
          }
        } else {
          const gchar *token = p;

          while (p < end && is_tchar ((guchar) * p))
            p++;
          if (p == token) {
            g_free (name);
            g_string_free (param_value, TRUE);
            link_params_clear (&params);
            FAIL (p, "a link-param with '=' and no value");
          }
          g_string_append_len (param_value, token, p - token);
        }
      }
#define TAKE_FIRST(field) \
      if (params.field == NULL && param_value) { \
        params.field = g_string_free (param_value, FALSE); \
        param_value = NULL; \
      }
      if (g_str_equal (name, "rel")) {
        TAKE_FIRST (rel);
      } else if (g_str_equal (name, "username")) {
        TAKE_FIRST (username);
      } else if (g_str_equal (name, "credential")) {
        TAKE_FIRST (credential);
      } else if (g_str_equal (name, "credential-type")) {
        TAKE_FIRST (credential_type);
      }
#undef TAKE_FIRST
      if (param_value)
        sec_ice_secret_free (g_string_free (param_value, FALSE));
      g_free (name);
    }

    if (rel_is_ice_server (params.rel)) {
      SecWhipIceServer *server = g_new0 (SecWhipIceServer, 1);

      server->uri = g_strndup (uri_start, uri_end - uri_start);
      server->username = g_steal_pointer (&params.username);
      server->credential = g_steal_pointer (&params.credential);
      server->credential_type = g_steal_pointer (&params.credential_type);
      g_ptr_array_add (found, server);
    }
    link_params_clear (&params);
    if (p < end && *p == ',')
      p++;
  }
  while (found->len > 0 && servers->len < SEC_WHIP_LINK_MAX_SERVERS)
    g_ptr_array_add (servers, g_ptr_array_steal_index (found, 0));
  g_ptr_array_unref (found);
  return TRUE;

fail:
  g_ptr_array_unref (found);
  return FALSE;
}

/* --- to secwebrtcbin's server URIs --------------------------------------- */

static gboolean
server_error (GError ** error, const gchar * uri, const gchar * why)
{
  const gchar *at = strrchr (uri, '@');

  /* a server that wrote user and password into the URI: not quoted */
  if (at)
    g_set_error (error, SEC_WHIP_LINK_ERROR, SEC_WHIP_LINK_ERROR_SERVER,
        "ice-server link <***%s>: %s", at, why);
  else
    g_set_error (error, SEC_WHIP_LINK_ERROR, SEC_WHIP_LINK_ERROR_SERVER,
        "ice-server link <%s>: %s", uri, why);
  return FALSE;
}

gchar *
sec_whip_ice_server_to_uri (const SecWhipIceServer * server,
    gboolean * is_turn, GError ** error)
{
  const gchar *colon, *rest;
  gchar *scheme, *result;
  SecIceServer *parsed;
  GError *local = NULL;
  gboolean turn;

  g_return_val_if_fail (server != NULL && server->uri != NULL, NULL);
  colon = strchr (server->uri, ':');
  if (colon == NULL) {
    server_error (error, server->uri, "no scheme");
    return NULL;
  }
  scheme = g_ascii_strdown (server->uri, colon - server->uri);
  rest = colon + 1;
  /* RFC 7064 and RFC 7065 URIs have no authority part: "turn:host:port",
   * with the credentials beside them, never in them */
  if (g_str_has_prefix (rest, "//") || strchr (rest, '@')) {
    g_free (scheme);
    server_error (error, server->uri, "not a STUN or TURN URI of RFC 7064 "
        "or RFC 7065 (no '//', no user part)");
    return NULL;
  }
  if (g_str_equal (scheme, "stun")) {
    turn = FALSE;
    result = g_strconcat ("stun://", rest, NULL);
  } else if (g_str_equal (scheme, "turn") || g_str_equal (scheme, "turns")) {
    gchar *user, *password;

    turn = TRUE;
    if (server->username == NULL || server->credential == NULL) {
      g_free (scheme);
      server_error (error, server->uri, "a TURN server without username "
          "and credential");
      return NULL;
    }
    if (server->credential_type
        && !g_str_equal (server->credential_type, "password")) {
      g_free (scheme);
      server_error (error, server->uri, "credential-type is not "
          "\"password\" (the only type RFC 9725 and W3C define)");
      return NULL;
    }
    user = g_uri_escape_string (server->username, NULL, FALSE);
    password = g_uri_escape_string (server->credential, NULL, FALSE);
    result = g_strconcat (scheme, "://", user, ":", password, "@", rest,
        NULL);
    g_free (user);
    sec_ice_secret_free (password);
  } else {
    gchar *why = g_strdup_printf ("the scheme '%s' is none of stun, turn "
        "and turns", scheme);

    server_error (error, server->uri, why);
    g_free (why);
    g_free (scheme);
    return NULL;
  }
  g_free (scheme);
  /* what secwebrtcbin will take, checked now (its errors never quote the
   * password) */
  parsed = sec_ice_server_parse (result, &local);
  if (parsed == NULL) {
    server_error (error, server->uri, local->message);
    g_error_free (local);
    sec_ice_secret_free (result);
    return NULL;
  }
  sec_ice_server_free (parsed);
  if (is_turn)
    *is_turn = turn;
  return result;
}

/* @value as a quoted-string (RFC 9110 §5.6.4) */
static void
append_quoted (GString * out, const gchar * value)
{
  g_string_append_c (out, '"');
  for (const gchar * p = value; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_c (out, '\\');
    g_string_append_c (out, *p);
  }
  g_string_append_c (out, '"');
}

gchar *
sec_whip_ice_server_link_value (const gchar * uri, GError ** error)
{
  SecIceServer *server = sec_ice_server_parse (uri, error);
  GString *out;
  gboolean v6;

  if (server == NULL)
    return NULL;
  out = g_string_new ("<");
  v6 = strchr (server->host, ':') != NULL;
  switch (server->kind) {
    case SEC_ICE_SERVER_STUN:
      g_string_append (out, "stun:");
      break;
    case SEC_ICE_SERVER_TURN_TLS:
      g_string_append (out, "turns:");
      break;
    default:
      g_string_append (out, "turn:");
      break;
  }
  g_string_append_printf (out, "%s%s%s:%u", v6 ? "[" : "", server->host,
      v6 ? "]" : "", server->port);
  if (server->kind == SEC_ICE_SERVER_TURN_UDP)
    g_string_append (out, "?transport=udp");
  else if (server->kind != SEC_ICE_SERVER_STUN)
    g_string_append (out, "?transport=tcp");
  g_string_append (out, ">; rel=\"ice-server\"");
  if (server->kind != SEC_ICE_SERVER_STUN) {
    g_string_append (out, "; username=");
    append_quoted (out, server->username);
    g_string_append (out, "; credential=");
    append_quoted (out, server->password);
    g_string_append (out, "; credential-type=\"password\"");
  }
  sec_ice_server_free (server);
  return g_string_free (out, FALSE);
}
