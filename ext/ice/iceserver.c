/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * STUN and TURN server URIs.
 *
 * RFC 7064 §3.1:  stunURI = scheme ":" host [ ":" port ]
 *                 scheme  = "stun" / "stuns"
 * RFC 7065 §3.1:  turnURI = scheme ":" host [ ":" port ]
 *                           [ "?transport=" transport ]
 *                 scheme  = "turn" / "turns"
 *                 transport = "udp" / "tcp" / transport-ext
 *
 * On top of the RFC forms the elements take "scheme://" and, for TURN,
 * credentials in the userinfo ("turn://user:pass@host", percent-encoded
 * as in RFC 3986 §3.2.1), as webrtcbin does. "stuns" and DTLS-TURN
 * ("turns" over udp) are not supported.
 *
 * The URI usually comes from an application property, but it carries a
 * password: nothing of the userinfo is ever quoted in an error message,
 * and the port text is not either (in "turn://user:secret" without
 * '@', "secret" would be read as the port). Every buffer that held the
 * password, or a piece of it, is zeroed before it is freed.
 *
 * An IP address host is kept in its canonical form, so that every part
 * of secice (libnice, the TLS proxy's list of servers) names a server the
 * same way however the URI wrote it.
 */
#include "iceserver.h"

#include <arpa/inet.h>
#include <string.h>

#define STUN_DEFAULT_PORT 3478  /* RFC 7064 §3.2 */
#define TURN_DEFAULT_PORT 3478  /* RFC 7065 §3.2 */
#define TURNS_DEFAULT_PORT 5349 /* RFC 7065 §3.2 */


typedef enum
{
  SCHEME_STUN,
  SCHEME_TURN,
  SCHEME_TURNS,
} Scheme;

/* "server <what> '<quoted>' <problem>" */
static void
set_invalid_quoted (GError ** error, const gchar * what, const gchar * text,
    gsize len, const gchar * problem)
{
  gchar *quoted = sec_ice_quote_untrusted (text, len);

  sec_ice_set_invalid (error, "server %s '%s' %s", what, quoted, problem);
  g_free (quoted);
}

void
sec_ice_secret_free (gchar * secret)
{
  if (secret == NULL)
    return;
  /* volatile: the compiler may not drop stores to memory about to be
   * freed */
  {
    volatile gchar *p = secret;

    while (*p != '\0')
      *p++ = '\0';
  }
  g_free (secret);
}

void
sec_ice_secret_strfreev (gchar ** list)
{
  gchar **p;

  if (list == NULL)
    return;
  for (p = list; *p != NULL; p++)
    sec_ice_secret_free (*p);
  g_free (list);
}

gboolean
sec_ice_secret_equal (const gchar * given, const gchar * expected)
{
  gsize i, n, given_len;
  guint diff;

  g_return_val_if_fail (given != NULL && expected != NULL, FALSE);

  n = strlen (expected);
  /* strnlen: no read past @given's end, and no time that depends on
   * how much longer than @expected it is */
  given_len = strnlen (given, n + 1);
  diff = given_len != n;
  for (i = 0; i < n; i++) {
    /* past the end of a shorter @given, compare with its NUL */
    gchar g = given[MIN (i, given_len)];

    diff |= (guchar) g ^ (guchar) expected[i];
  }
  return diff == 0;
}

void
sec_ice_server_free (SecIceServer * server)
{
  if (server == NULL)
    return;
  g_free (server->host);
  g_free (server->username);
  sec_ice_secret_free (server->password);
  g_free (server);
}

/* Percent-decodes a userinfo part (RFC 3986 §2.1) into one buffer that is
 * zeroed on failure (GLib's unescaping frees its own buffer without
 * zeroing it); NULL if the escapes are malformed, it decodes to a NUL or
 * control character, or it is not UTF-8. */
static gchar *
decode_credential (const gchar * text, gsize len)
{
  gchar *decoded = g_malloc (len + 1);
  gsize i, n = 0;

  for (i = 0; i < len; i++) {
    guchar c = (guchar) text[i];

    if (c == '%') {
      gint high, low;

      if (len - i < 3)
        goto failed;
      high = g_ascii_xdigit_value (text[i + 1]);
      low = g_ascii_xdigit_value (text[i + 2]);
      if (high < 0 || low < 0)
        goto failed;
      c = (guchar) (high << 4 | low);
      i += 2;
    }
    if (c < 0x20 || c == 0x7f)
      goto failed;
    decoded[n++] = (gchar) c;
  }
  decoded[n] = '\0';
  if (!g_utf8_validate (decoded, (gssize) n, NULL))
    goto failed;
  return decoded;

failed:
  {
    volatile gchar *p = decoded;

    for (i = 0; i <= len; i++)
      p[i] = '\0';
  }
  g_free (decoded);
  return NULL;
}

gchar *
sec_ice_address_canonical (const gchar * address)
{
  guint8 bytes[16];
  gchar text[INET6_ADDRSTRLEN];

  g_return_val_if_fail (address != NULL, NULL);

  /* sec_ice_address_is_ip () first: only hex digits, '.' and ':' (no
   * zone index), and what GLib takes for an IP address */
  if (!sec_ice_address_is_ip (address))
    return NULL;
  if (strchr (address, ':') != NULL) {
    if (inet_pton (AF_INET6, address, bytes) != 1
        || inet_ntop (AF_INET6, bytes, text, sizeof (text)) == NULL)
      return NULL;
  } else {
    if (inet_pton (AF_INET, address, bytes) != 1
        || inet_ntop (AF_INET, bytes, text, sizeof (text)) == NULL)
      return NULL;
  }
  return g_strdup (text);
}

/* 1..65535; the text is not quoted (see the top of the file) */
static gboolean
parse_port (const gchar * text, gsize len, guint16 * port, GError ** error)
{
  guint value = 0;
  gsize i;

  if (len == 0) {
    sec_ice_set_invalid (error, "server URI has ':' but no port after it");
    return FALSE;
  }
  for (i = 0; i < len; i++) {
    if (!g_ascii_isdigit (text[i])) {
      sec_ice_set_invalid (error, "server port is not a number in 1..65535");
      return FALSE;
    }
  }
  if (len > 5) {
    sec_ice_set_invalid (error, "server port is not in 1..65535");
    return FALSE;
  }
  for (i = 0; i < len; i++)
    value = value * 10 + (guint) (text[i] - '0');
  if (value < 1 || value > G_MAXUINT16) {
    sec_ice_set_invalid (error, "server port %u is not in 1..65535", value);
    return FALSE;
  }
  *port = (guint16) value;
  return TRUE;
}

/* RFC 3986 §3.2.2 host, as RFC 7064/7065 take it: a name, an IPv4
 * address or an IPv6 address in brackets; then [":" port]. */
static gboolean
parse_host_port (const gchar * text, gsize len, gchar ** host,
    guint16 * port, GError ** error)
{
  const gchar *host_start = text, *port_start = NULL;
  gsize host_len, i;
  gchar *name, *canonical;

  if (len > 0 && text[0] == '[') {
    const gchar *close = memchr (text, ']', len);

    if (close == NULL) {
      set_invalid_quoted (error, "host", text, len, "has no closing ']'");
      return FALSE;
    }
    host_start = text + 1;
    host_len = (gsize) (close - host_start);
    i = (gsize) (close - text) + 1;
    if (i < len) {
      if (text[i] != ':') {
        set_invalid_quoted (error, "host", text, i,
            "is followed by something other than ':'");
        return FALSE;
      }
      port_start = text + i + 1;
    }
    name = g_strndup (host_start, host_len);
    canonical = strchr (name, ':') != NULL && strlen (name) == host_len ?
        sec_ice_address_canonical (name) : NULL;
    g_free (name);
    if (canonical == NULL) {
      set_invalid_quoted (error, "host", text, i,
          "is not an IPv6 address in brackets");
      return FALSE;
    }
    name = canonical;
  } else {
    const gchar *colon = memchr (text, ':', len);

    host_len = colon != NULL ? (gsize) (colon - text) : len;
    if (colon != NULL) {
      port_start = colon + 1;
      if (memchr (port_start, ':', len - host_len - 1) != NULL) {
        sec_ice_set_invalid (error, "server URI has more than one ':' after the "
            "host (an IPv6 address must be in brackets: \"[::1]\")");
        return FALSE;
      }
    }
    if (host_len == 0) {
      sec_ice_set_invalid (error, "server URI has no host");
      return FALSE;
    }
    name = g_strndup (text, host_len);
    if (strlen (name) != host_len || !sec_ice_address_is_valid (name)) {
      set_invalid_quoted (error, "host", text, host_len,
          "is neither a host name nor an IP address");
      g_free (name);
      return FALSE;
    }
    /* an IPv4 address in its one dotted-quad form (GLib and inet_pton
     * refuse leading zeros alike); names as written */
    canonical = sec_ice_address_canonical (name);
    if (canonical != NULL) {
      g_free (name);
      name = canonical;
    } else if (sec_ice_address_is_ip (name)) {
      set_invalid_quoted (error, "host", text, host_len,
          "is not an IP address inet_pton() takes");
      g_free (name);
      return FALSE;
    }
  }

  if (port_start != NULL
      && !parse_port (port_start, (gsize) (text + len - port_start), port,
          error)) {
    g_free (name);
    return FALSE;
  }
  *host = name;
  return TRUE;
}

/* RFC 7065 §3.1 "?transport=udp|tcp", TURN only; @kind is set from the
 * scheme and the transport. */
static gboolean
parse_query (Scheme scheme, const gchar * text, gsize len,
    SecIceServerKind * kind, GError ** error)
{
  static const gchar transport_key[] = "transport=";
  const gsize key_len = sizeof (transport_key) - 1;
  const gchar *value = NULL;
  gsize value_len = 0;
  gboolean tcp;

  if (text != NULL) {
    if (scheme == SCHEME_STUN) {
      sec_ice_set_invalid (error, "stun server URI takes no '?' parameters "
          "(RFC 7064 §3.1)");
      return FALSE;
    }
    if (len < key_len || g_ascii_strncasecmp (text, transport_key,
            key_len) != 0) {
      set_invalid_quoted (error, "URI parameter", text, len,
          "is unknown (only transport=udp or transport=tcp)");
      return FALSE;
    }
    value = text + key_len;
    value_len = len - key_len;
  }

  switch (scheme) {
    case SCHEME_STUN:
      *kind = SEC_ICE_SERVER_STUN;
      return TRUE;
    case SCHEME_TURN:
    case SCHEME_TURNS:
      break;
  }

  if (value == NULL) {
    /* RFC 7065 §3.1: turn defaults to udp, turns to tcp */
    tcp = scheme == SCHEME_TURNS;
  } else if (value_len == 3 && g_ascii_strncasecmp (value, "udp", 3) == 0) {
    tcp = FALSE;
  } else if (value_len == 3 && g_ascii_strncasecmp (value, "tcp", 3) == 0) {
    tcp = TRUE;
  } else {
    set_invalid_quoted (error, "transport", value, value_len,
        "is unknown (udp or tcp)");
    return FALSE;
  }

  if (scheme == SCHEME_TURNS) {
    if (!tcp) {
      sec_ice_set_invalid (error, "turns with transport=udp (TURN over DTLS) is "
          "not supported; use transport=tcp (TLS)");
      return FALSE;
    }
    *kind = SEC_ICE_SERVER_TURN_TLS;
  } else {
    *kind = tcp ? SEC_ICE_SERVER_TURN_TCP : SEC_ICE_SERVER_TURN_UDP;
  }
  return TRUE;
}

/* "user:pass" (RFC 3986 §3.2.1), never quoted in messages */
static gboolean
parse_credentials (const gchar * text, gsize len, gchar ** username,
    gchar ** password, GError ** error)
{
  const gchar *colon = memchr (text, ':', len);
  gsize user_len;

  if (colon == NULL || colon == text || (gsize) (colon - text) + 1 == len) {
    sec_ice_set_invalid (error, "TURN server URI needs a user name and a password "
        "(turn://user:password@host)");
    return FALSE;
  }
  user_len = (gsize) (colon - text);
  *username = decode_credential (text, user_len);
  if (*username == NULL) {
    sec_ice_set_invalid (error, "TURN user name is not valid percent-encoded "
        "UTF-8 text");
    return FALSE;
  }
  *password = decode_credential (colon + 1, len - user_len - 1);
  if (*password == NULL) {
    g_clear_pointer (username, g_free);
    sec_ice_set_invalid (error, "TURN password is not valid percent-encoded "
        "UTF-8 text");
    return FALSE;
  }
  return TRUE;
}

SecIceServer *
sec_ice_server_parse (const gchar * uri, GError ** error)
{
  SecIceServer *server;
  const gchar *colon, *rest, *at, *query, *userinfo = NULL;
  gsize start, end, scheme_len, host_len, userinfo_len = 0, query_len = 0;
  Scheme scheme;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (uri == NULL) {
    sec_ice_set_invalid (error, "no server URI");
    return NULL;
  }
  start = 0;
  end = strlen (uri);
  while (start < end && g_ascii_isspace (uri[start]))
    start++;
  while (end > start && g_ascii_isspace (uri[end - 1]))
    end--;
  if (start == end) {
    sec_ice_set_invalid (error, "server URI is empty");
    return NULL;
  }

  /* scheme, case-insensitive (RFC 3986 §3.1) */
  colon = memchr (uri + start, ':', end - start);
  if (colon == NULL) {
    sec_ice_set_invalid (error, "server URI has no scheme (stun:, turn: or turns:)");
    return NULL;
  }
  scheme_len = (gsize) (colon - (uri + start));
  if (scheme_len == 4 && g_ascii_strncasecmp (uri + start, "stun", 4) == 0) {
    scheme = SCHEME_STUN;
  } else if (scheme_len == 4
      && g_ascii_strncasecmp (uri + start, "turn", 4) == 0) {
    scheme = SCHEME_TURN;
  } else if (scheme_len == 5
      && g_ascii_strncasecmp (uri + start, "turns", 5) == 0) {
    scheme = SCHEME_TURNS;
  } else if (scheme_len == 5
      && g_ascii_strncasecmp (uri + start, "stuns", 5) == 0) {
    sec_ice_set_invalid (error, "stuns (STUN over TLS) server URIs are not "
        "supported");
    return NULL;
  } else {
    set_invalid_quoted (error, "URI scheme", uri + start, scheme_len,
        "is unknown (stun, turn or turns)");
    return NULL;
  }

  rest = colon + 1;
  if ((gsize) (uri + end - rest) >= 2 && rest[0] == '/' && rest[1] == '/')
    rest += 2;

  /* userinfo up to the last '@': a password with an unencoded '@', '?'
   * or '/' still stays out of the host, the port and the messages */
  at = g_strrstr_len (rest, (gssize) (uri + end - rest), "@");
  if (at != NULL) {
    userinfo = rest;
    userinfo_len = (gsize) (at - rest);
    rest = at + 1;
  }
  query = memchr (rest, '?', (gsize) (uri + end - rest));
  if (query != NULL) {
    host_len = (gsize) (query - rest);
    query++;
    query_len = (gsize) (uri + end - query);
  } else {
    host_len = (gsize) (uri + end - rest);
  }

  server = g_new0 (SecIceServer, 1);
  server->port = scheme == SCHEME_TURNS ? TURNS_DEFAULT_PORT :
      scheme == SCHEME_TURN ? TURN_DEFAULT_PORT : STUN_DEFAULT_PORT;

  if (!parse_host_port (rest, host_len, &server->host, &server->port, error)
      || !parse_query (scheme, query, query_len, &server->kind, error))
    goto failed;

  if (scheme == SCHEME_STUN) {
    if (userinfo != NULL) {
      sec_ice_set_invalid (error, "stun server URI takes no user name or password "
          "(RFC 7064 §3.1)");
      goto failed;
    }
  } else {
    if (userinfo == NULL) {
      sec_ice_set_invalid (error, "TURN server URI needs a user name and a "
          "password (turn://user:password@host)");
      goto failed;
    }
    if (!parse_credentials (userinfo, userinfo_len, &server->username,
            &server->password, error))
      goto failed;
  }
  return server;

failed:
  sec_ice_server_free (server);
  return NULL;
}

gchar *
sec_ice_server_to_log_string (const SecIceServer * server)
{
  GString *text;

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (server->host != NULL, NULL);

  text = g_string_new (NULL);
  switch (server->kind) {
    case SEC_ICE_SERVER_STUN:
      g_string_append (text, "stun://");
      break;
    case SEC_ICE_SERVER_TURN_UDP:
    case SEC_ICE_SERVER_TURN_TCP:
      g_string_append (text, "turn://");
      break;
    case SEC_ICE_SERVER_TURN_TLS:
      g_string_append (text, "turns://");
      break;
  }
  if (server->kind != SEC_ICE_SERVER_STUN) {
    if (server->username != NULL)
      g_string_append_uri_escaped (text, server->username, NULL, TRUE);
    g_string_append (text, ":***@");
  }
  if (strchr (server->host, ':') != NULL)
    g_string_append_printf (text, "[%s]", server->host);
  else
    g_string_append (text, server->host);
  g_string_append_printf (text, ":%u", server->port);
  if (server->kind == SEC_ICE_SERVER_TURN_UDP)
    g_string_append (text, "?transport=udp");
  else if (server->kind == SEC_ICE_SERVER_TURN_TCP)
    g_string_append (text, "?transport=tcp");
  return g_string_free (text, FALSE);
}

/* ---- CONNECT requests to the TURN-over-TLS proxy ---- */

void
sec_ice_proxy_request_free (SecIceProxyRequest * request)
{
  if (request == NULL)
    return;
  g_free (request->host);
  sec_ice_secret_free (request->authorization);
  g_free (request);
}

/* "<what> '<quoted>' <problem>" */
static void
set_proxy_invalid_quoted (GError ** error, const gchar * what,
    const gchar * text, gsize len, const gchar * problem)
{
  gchar *quoted = sec_ice_quote_untrusted (text, len);

  sec_ice_set_invalid (error, "%s '%s' %s", what, quoted, problem);
  g_free (quoted);
}

/* RFC 9110 §5.1: field-name = token */
static gboolean
is_token_char (gchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~",
          c) != NULL);
}

/* "<ip>:<port>" or "[<ipv6>]:<port>" (RFC 9110 §9.3.6 authority-form;
 * libnice writes IPv6 without brackets, so the port follows the last
 * ':'). */
static gboolean
parse_proxy_target (const gchar * text, gsize len, SecIceProxyRequest * request,
    GError ** error)
{
  const gchar *colon = NULL, *host = text;
  gsize host_len, i;
  gchar *name;

  for (i = len; i > 0; i--) {
    if (text[i - 1] == ':') {
      colon = text + i - 1;
      break;
    }
  }
  if (colon == NULL) {
    set_proxy_invalid_quoted (error, "CONNECT target", text, len,
        "has no port");
    return FALSE;
  }
  host_len = (gsize) (colon - text);
  if (host_len >= 2 && host[0] == '[' && host[host_len - 1] == ']') {
    host++;
    host_len -= 2;
  }
  name = g_strndup (host, host_len);
  request->host = strlen (name) == host_len && strchr (name, '[') == NULL ?
      sec_ice_address_canonical (name) : NULL;
  g_free (name);
  if (request->host == NULL) {
    set_proxy_invalid_quoted (error, "CONNECT target", text, len,
        "is not an IP address and a port");
    return FALSE;
  }
  return parse_port (colon + 1, (gsize) (text + len - colon - 1),
      &request->port, error);
}

/* "CONNECT SP target SP HTTP/1.0|1.1" (RFC 9112 §3) */
static gboolean
parse_proxy_request_line (const gchar * line, gsize len,
    SecIceProxyRequest * request, GError ** error)
{
  static const gchar method[] = "CONNECT ";
  const gsize method_len = sizeof (method) - 1;
  const gchar *target, *space;
  gsize target_len, version_len;

  /* method names are case-sensitive (RFC 9110 §9.1) */
  if (len < method_len || memcmp (line, method, method_len) != 0) {
    set_proxy_invalid_quoted (error, "proxy request", line, len,
        "is not a CONNECT request");
    return FALSE;
  }
  target = line + method_len;
  space = memchr (target, ' ', len - method_len);
  if (space == NULL || space == target) {
    set_proxy_invalid_quoted (error, "proxy request", line, len,
        "has no target and version");
    return FALSE;
  }
  target_len = (gsize) (space - target);
  version_len = len - method_len - target_len - 1;
  if (version_len != 8 || (memcmp (space + 1, "HTTP/1.0", 8) != 0
          && memcmp (space + 1, "HTTP/1.1", 8) != 0)) {
    set_proxy_invalid_quoted (error, "proxy request", line, len,
        "is not HTTP/1.0 or HTTP/1.1");
    return FALSE;
  }
  return parse_proxy_target (target, target_len, request, error);
}

/* "name: value"; only Proxy-Authorization is kept (its value is never
 * quoted: it holds the proxy credential) */
static gboolean
parse_proxy_header (const gchar * line, gsize len,
    SecIceProxyRequest * request, GError ** error)
{
  static const gchar auth_name[] = "Proxy-Authorization";
  const gsize auth_len = sizeof (auth_name) - 1;
  const gchar *colon = memchr (line, ':', len);
  const gchar *value, *end;
  gsize name_len, i;

  if (colon == NULL || colon == line) {
    sec_ice_set_invalid (error, "proxy request has a header line that is "
        "not \"name: value\"");
    return FALSE;
  }
  name_len = (gsize) (colon - line);
  for (i = 0; i < name_len; i++) {
    if (!is_token_char (line[i])) {
      /* also refuses obsolete line folding (RFC 9112 §5.2) */
      sec_ice_set_invalid (error, "proxy request has a header name that is "
          "not a token");
      return FALSE;
    }
  }
  if (name_len != auth_len || g_ascii_strncasecmp (line, auth_name,
          auth_len) != 0)
    return TRUE;
  if (request->authorization != NULL) {
    sec_ice_set_invalid (error, "proxy request has more than one "
        "Proxy-Authorization field");
    return FALSE;
  }
  value = colon + 1;
  end = line + len;
  while (value < end && (*value == ' ' || *value == '\t'))
    value++;
  while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  for (i = 0; value + i < end; i++) {
    guchar c = (guchar) value[i];

    if (c < 0x20 && c != '\t') {
      sec_ice_set_invalid (error, "proxy request has a control character "
          "in its Proxy-Authorization field");
      return FALSE;
    }
  }
  request->authorization = g_strndup (value, (gsize) (end - value));
  return TRUE;
}

SecIceProxyRequest *
sec_ice_proxy_request_parse (const gchar * data, gsize len, GError ** error)
{
  SecIceProxyRequest *request;
  const gchar *line, *end;
  gboolean first = TRUE;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len < 4 || memcmp (data + len - 4, "\r\n\r\n", 4) != 0) {
    sec_ice_set_invalid (error, "proxy request does not end with an empty "
        "line");
    return NULL;
  }
  if (memchr (data, '\0', len) != NULL) {
    sec_ice_set_invalid (error, "proxy request contains a NUL byte");
    return NULL;
  }

  request = g_new0 (SecIceProxyRequest, 1);
  line = data;
  end = data + len - 2;         /* the final "\r\n" */
  while (line < end) {
    const gchar *cr = memchr (line, '\r', (gsize) (end - line));
    gsize line_len;

    /* every line ends with CRLF; the head ends at the first empty line */
    if (cr == NULL || cr[1] != '\n') {
      sec_ice_set_invalid (error, "proxy request has a bare CR or LF");
      goto failed;
    }
    line_len = (gsize) (cr - line);
    if (memchr (line, '\n', line_len) != NULL) {
      sec_ice_set_invalid (error, "proxy request has a bare CR or LF");
      goto failed;
    }
    if (line_len == 0) {
      sec_ice_set_invalid (error, first ? "proxy request is empty" :
          "proxy request has data after its head");
      goto failed;
    }
    if (first ? !parse_proxy_request_line (line, line_len, request, error)
        : !parse_proxy_header (line, line_len, request, error))
      goto failed;
    first = FALSE;
    line = cr + 2;
  }
  if (first) {
    sec_ice_set_invalid (error, "proxy request is empty");
    goto failed;
  }
  return request;

failed:
  sec_ice_proxy_request_free (request);
  return NULL;
}
