/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: arbitrary bytes into what ext/ice/iceserver.c parses:
 *
 * - the STUN/TURN server URI (RFC 7064, RFC 7065) from the stun-server and
 *   turn-server properties: a URI that parses has a host (an IP address
 *   host in canonical form), a port, and for TURN a user name and a
 *   password; its log string parses back to the same server with "***"
 *   for the password; an error message never quotes the user name and
 *   password of the input;
 * - the CONNECT request the TURN-over-TLS proxy reads from any local
 *   process: one that parses names a canonical IP address and a port; an
 *   error message quotes nothing but its request line (never the
 *   Proxy-Authorization value);
 * - the IP address canonicalisation both sides of the proxy use (its
 *   result is its own canonical form) and the constant-time comparison.
 *
 * Built as a libFuzzer target with clang and, with any compiler, linked to
 * replay-main.c, which runs the corpus as a regression test.
 */
#include "iceserver.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

/* TRUE if @needle is in @haystack (lengths given) */
static gboolean
contains (const gchar * haystack, gsize haystack_len, const gchar * needle,
    gsize needle_len)
{
  gsize i;

  if (needle_len > haystack_len)
    return FALSE;
  for (i = 0; i + needle_len <= haystack_len; i++)
    if (memcmp (haystack + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

/* @len bytes at @text as sec_ice_quote_untrusted () quotes them, but
 * never cut: printable ASCII as is but for '\\' and '\'', any other byte
 * as "\\xNN". */
static gchar *
quote_whole (const gchar * text, gsize len)
{
  GString *quoted = g_string_sized_new (len);
  gsize i;

  for (i = 0; i < len; i++) {
    guchar c = (guchar) text[i];

    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'')
      g_string_append_c (quoted, (gchar) c);
    else
      g_string_append_printf (quoted, "\\x%02x", c);
  }
  return g_string_free (quoted, FALSE);
}

/* TRUE if what @message quotes of the input (between its first two
 * '\'', with the "..." of a cut taken off; the parsers quote one piece)
 * is part of the quoted form of @len bytes at @text: it may have come
 * from there. A message without a quote quotes nothing. */
static gboolean
quote_from (const gchar * message, const gchar * text, gsize len)
{
  const gchar *open = strchr (message, '\'');
  /* a quote holds no '\'' of its own (it is escaped) */
  const gchar *close = open ? strchr (open + 1, '\'') : NULL;
  gchar *allowed;
  gsize quoted_len;
  gboolean ok;

  if (open == NULL || close == NULL)
    return TRUE;
  quoted_len = (gsize) (close - open - 1);
  if (quoted_len >= 3 && memcmp (close - 3, "...", 3) == 0)
    quoted_len -= 3;
  allowed = quote_whole (text, len);
  ok = contains (allowed, strlen (allowed), open + 1, quoted_len);
  g_free (allowed);
  return ok;
}

static void
check_canonical (const gchar * host)
{
  gchar *canonical;

  if (!sec_ice_address_is_ip (host))
    return;
  /* an IP address host is canonical already */
  canonical = sec_ice_address_canonical (host);
  if (canonical == NULL || strcmp (canonical, host) != 0)
    abort ();
  g_free (canonical);
}

static void
check_server (const gchar * text)
{
  SecIceServer *server;
  GError *error = NULL;
  gchar *log_string;

  server = sec_ice_server_parse (text, &error);
  if (server == NULL) {
    const gchar *colon = strchr (text, ':'), *at = strrchr (text, '@');

    if (error == NULL || error->domain != SEC_ICE_ERROR
        || error->code != SEC_ICE_ERROR_INVALID || error->message == NULL)
      abort ();
    /* the user name and password ("scheme:[//]userinfo@host", up to the
     * last '@') are never quoted: a quote comes from the scheme or from
     * what follows the userinfo */
    if (colon != NULL && at != NULL && at > colon
        && !quote_from (error->message, text, (gsize) (colon - text))
        && !quote_from (error->message, at + 1, strlen (at + 1))) {
      g_printerr ("error for '%s' quotes its userinfo: %s\n", text,
          error->message);
      abort ();
    }
    g_error_free (error);
    return;
  }
  if (server->host == NULL || server->host[0] == '\0' || server->port == 0)
    abort ();
  check_canonical (server->host);
  if (server->kind == SEC_ICE_SERVER_STUN) {
    if (server->username != NULL || server->password != NULL)
      abort ();
  } else if (server->username == NULL || server->password == NULL
      || server->username[0] == '\0' || server->password[0] == '\0') {
    abort ();
  }
  log_string = sec_ice_server_to_log_string (server);
  if (log_string == NULL)
    abort ();
  if (server->kind != SEC_ICE_SERVER_STUN) {
    SecIceServer *again = sec_ice_server_parse (log_string, NULL);

    /* the log string is made of the kind, user name, host and port only
     * (and so holds the password only where one of those spells it):
     * parsed back, it gives the same server with "***" as password */
    if (again == NULL || again->kind != server->kind
        || again->port != server->port
        || strcmp (again->host, server->host) != 0
        || strcmp (again->username, server->username) != 0
        || strcmp (again->password, "***") != 0)
      abort ();
    sec_ice_server_free (again);
  }
  g_free (log_string);
  sec_ice_server_free (server);
}

static void
check_proxy_request (const gchar * data, gsize size)
{
  SecIceProxyRequest *request;
  GError *error = NULL;

  request = sec_ice_proxy_request_parse (data, size, &error);
  if (request == NULL) {
    const gchar *line_end = memchr (data, '\n', size);

    if (error == NULL || error->domain != SEC_ICE_ERROR
        || error->code != SEC_ICE_ERROR_INVALID || error->message == NULL)
      abort ();
    /* only the request line is ever quoted, never a header field (the
     * Proxy-Authorization value holds the proxy credential) */
    if (!quote_from (error->message, data, line_end ? (gsize) (line_end -
                data) : size)) {
      g_printerr ("error quotes more than the request line: %s\n",
          error->message);
      abort ();
    }
    g_error_free (error);
    return;
  }
  if (request->host == NULL || request->port == 0)
    abort ();
  check_canonical (request->host);
  if (request->authorization != NULL
      && !sec_ice_secret_equal (request->authorization,
          request->authorization))
    abort ();
  sec_ice_proxy_request_free (request);
}

static void
check_address (const gchar * text)
{
  gchar *canonical = sec_ice_address_canonical (text);

  if (canonical != NULL) {
    check_canonical (canonical);
    g_free (canonical);
  }
}

static void
check_secret_equal (const gchar * text)
{
  gsize len = strlen (text);
  gchar *other;

  if (!sec_ice_secret_equal (text, text))
    abort ();
  if (len == 0)
    return;
  /* a difference at the end, or one byte shorter */
  other = g_strdup (text);
  other[len - 1] ^= 0x01;
  if (other[len - 1] != '\0' && sec_ice_secret_equal (other, text))
    abort ();
  other[len - 1] = '\0';
  if (sec_ice_secret_equal (other, text) || sec_ice_secret_equal (text,
          other))
    abort ();
  g_free (other);
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  gchar *text, *raw;

  /* exact-size heap copies (the text with its NUL), so ASan sees any
   * read past the end */
  text = g_malloc (size + 1);
  memcpy (text, data, size);
  text[size] = '\0';
  raw = g_malloc (size > 0 ? size : 1);
  memcpy (raw, data, size);

  check_server (text);
  check_proxy_request (raw, size);
  check_address (text);
  check_secret_equal (text);

  g_free (raw);
  g_free (text);
  return 0;
}
