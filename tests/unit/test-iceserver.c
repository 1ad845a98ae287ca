/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * STUN/TURN server URIs (RFC 7064, RFC 7065) without GStreamer: every
 * accepted form with its defaults, IPv6 hosts (kept canonical, RFC 5952),
 * percent-decoded credentials, the refusals, and the password kept out of
 * every error message and of the log string. Then the CONNECT requests
 * libnice sends to the TURN-over-TLS proxy (the request exactly as
 * libnice 0.1.21 sends it, captured), the proxy credential kept out of
 * every error message, and the constant-time comparison.
 */
#include "iceserver.h"

#include <string.h>

/* in every URI below that has a password; never in a message */
#define PASSWORD "S3cr3tPw"

typedef struct
{
  const gchar *uri;
  SecIceServerKind kind;
  const gchar *host;
  guint16 port;
  const gchar *username;        /* NULL for STUN */
  const gchar *password;
  const gchar *log_string;
} ValidServer;

static const ValidServer valid_servers[] = {
  /* RFC 7064 forms, default port 3478 */
  {"stun:stun.l.google.com:19302", SEC_ICE_SERVER_STUN,
      "stun.l.google.com", 19302, NULL, NULL,
      "stun://stun.l.google.com:19302"},
  {"stun:stun.example.org", SEC_ICE_SERVER_STUN, "stun.example.org", 3478,
      NULL, NULL, "stun://stun.example.org:3478"},
  {"stun://stun.example.org", SEC_ICE_SERVER_STUN, "stun.example.org", 3478,
      NULL, NULL, "stun://stun.example.org:3478"},
  {"STUN:Stun.Example.ORG:3479", SEC_ICE_SERVER_STUN, "Stun.Example.ORG",
      3479, NULL, NULL, "stun://Stun.Example.ORG:3479"},
  {"stun:192.0.2.1", SEC_ICE_SERVER_STUN, "192.0.2.1", 3478, NULL, NULL,
      "stun://192.0.2.1:3478"},
  {"stun:[2001:db8::1]:3478", SEC_ICE_SERVER_STUN, "2001:db8::1", 3478,
      NULL, NULL, "stun://[2001:db8::1]:3478"},
  {"stun://[::1]", SEC_ICE_SERVER_STUN, "::1", 3478, NULL, NULL,
      "stun://[::1]:3478"},
  {" stun:stun.example.org:1 \r\n", SEC_ICE_SERVER_STUN, "stun.example.org",
      1, NULL, NULL, "stun://stun.example.org:1"},
  /* RFC 7065: turn defaults to udp and 3478 */
  {"turn://alice:" PASSWORD "@turn.example.org", SEC_ICE_SERVER_TURN_UDP,
      "turn.example.org", 3478, "alice", PASSWORD,
      "turn://alice:***@turn.example.org:3478?transport=udp"},
  {"turn:alice:" PASSWORD "@turn.example.org:3479?transport=tcp",
      SEC_ICE_SERVER_TURN_TCP, "turn.example.org", 3479, "alice",
      PASSWORD, "turn://alice:***@turn.example.org:3479?transport=tcp"},
  {"turn://alice:" PASSWORD "@turn.example.org?transport=UDP",
      SEC_ICE_SERVER_TURN_UDP, "turn.example.org", 3478, "alice",
      PASSWORD, "turn://alice:***@turn.example.org:3478?transport=udp"},
  {"TURN://alice:" PASSWORD "@198.51.100.3:65535?Transport=Tcp",
      SEC_ICE_SERVER_TURN_TCP, "198.51.100.3", 65535, "alice", PASSWORD,
      "turn://alice:***@198.51.100.3:65535?transport=tcp"},
  /* turns defaults to tcp (TLS) and 5349 */
  {"turns://alice:" PASSWORD "@turn.example.org", SEC_ICE_SERVER_TURN_TLS,
      "turn.example.org", 5349, "alice", PASSWORD,
      "turns://alice:***@turn.example.org:5349"},
  {"turns:alice:" PASSWORD "@turn.example.org:443?transport=tcp",
      SEC_ICE_SERVER_TURN_TLS, "turn.example.org", 443, "alice",
      PASSWORD, "turns://alice:***@turn.example.org:443"},
  /* percent-decoding (RFC 3986 §2.1) and bracketed IPv6 */
  {"turn://al%69ce%20b:p%40ss%3Aw%2Fo%3Frd%25@[2001:db8::2]:3478",
      SEC_ICE_SERVER_TURN_UDP, "2001:db8::2", 3478, "alice b",
      "p@ss:w/o?rd%",
      "turn://alice%20b:***@[2001:db8::2]:3478?transport=udp"},
  {"turn://%C3%A9lise:%E2%82%AC@turn.example.org", SEC_ICE_SERVER_TURN_UDP,
      "turn.example.org", 3478, "\xc3\xa9lise", "\xe2\x82\xac",
      "turn://\xc3\xa9lise:***@turn.example.org:3478?transport=udp"},
  /* an unencoded '@', ':', '?' or '/' in the password: the last '@'
   * ends the userinfo */
  {"turn://alice:p@ss:w?o/rd@turn.example.org:3478", SEC_ICE_SERVER_TURN_UDP,
      "turn.example.org", 3478, "alice", "p@ss:w?o/rd",
      "turn://alice:***@turn.example.org:3478?transport=udp"},
  /* an IPv6 address in any spelling is kept canonical (RFC 5952 §4), as
   * libnice and the TLS proxy name it */
  {"turns://alice:" PASSWORD "@[0:0:0:0:0:0:0:1]:5349",
      SEC_ICE_SERVER_TURN_TLS, "::1", 5349, "alice", PASSWORD,
      "turns://alice:***@[::1]:5349"},
  {"turns://alice:" PASSWORD "@[0000:0000:0000:0000:0000:0000:0000:0001]",
      SEC_ICE_SERVER_TURN_TLS, "::1", 5349, "alice", PASSWORD,
      "turns://alice:***@[::1]:5349"},
  {"turn://alice:" PASSWORD "@[2001:DB8:0:0:0:0:0:A]:3478?transport=tcp",
      SEC_ICE_SERVER_TURN_TCP, "2001:db8::a", 3478, "alice", PASSWORD,
      "turn://alice:***@[2001:db8::a]:3478?transport=tcp"},
  {"stun:[::FFFF:7F00:1]", SEC_ICE_SERVER_STUN, "::ffff:127.0.0.1", 3478,
      NULL, NULL, "stun://[::ffff:127.0.0.1]:3478"},
};

static void
assert_parse_fails (const gchar * uri, const gchar * in_message)
{
  SecIceServer *server;
  GError *error = NULL;

  server = sec_ice_server_parse (uri, &error);
  if (server != NULL)
    g_error ("'%s' parsed, expected an error", uri);
  g_assert_error (error, SEC_ICE_ERROR, SEC_ICE_ERROR_INVALID);
  if (strstr (error->message, in_message) == NULL)
    g_error ("error for '%s' is \"%s\", expected it to contain \"%s\"",
        uri, error->message, in_message);
  /* the password, or a piece of it */
  if (strstr (error->message, PASSWORD) != NULL
      || strstr (error->message, "cr3t") != NULL
      || strstr (error->message, "S3") != NULL)
    g_error ("error for '%s' gives the password away: \"%s\"", uri,
        error->message);
  g_clear_error (&error);
}

static void
test_valid (void)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (valid_servers); i++) {
    const ValidServer *expected = &valid_servers[i];
    g_autoptr (SecIceServer) server = NULL;
    g_autoptr (SecIceServer) again = NULL;
    GError *error = NULL;
    gchar *log_string;

    server = sec_ice_server_parse (expected->uri, &error);
    if (server == NULL)
      g_error ("'%s' refused: %s", expected->uri, error->message);
    g_assert_cmpint (server->kind, ==, expected->kind);
    g_assert_cmpstr (server->host, ==, expected->host);
    g_assert_cmpuint (server->port, ==, expected->port);
    g_assert_cmpstr (server->username, ==, expected->username);
    g_assert_cmpstr (server->password, ==, expected->password);

    log_string = sec_ice_server_to_log_string (server);
    g_assert_cmpstr (log_string, ==, expected->log_string);
    if (expected->password != NULL)
      g_assert_null (strstr (log_string, expected->password));

    /* the log string is a URI again, with "***" for the password */
    again = sec_ice_server_parse (log_string, &error);
    if (again == NULL)
      g_error ("log string '%s' refused: %s", log_string, error->message);
    g_assert_cmpint (again->kind, ==, server->kind);
    g_assert_cmpstr (again->host, ==, server->host);
    g_assert_cmpuint (again->port, ==, server->port);
    g_assert_cmpstr (again->username, ==, server->username);
    if (server->password != NULL)
      g_assert_cmpstr (again->password, ==, "***");
    g_free (log_string);
  }
}

static void
test_invalid (void)
{
  g_assert_null (sec_ice_server_parse (NULL, NULL));
  assert_parse_fails (NULL, "no server URI");
  assert_parse_fails ("", "server URI is empty");
  assert_parse_fails (" \t\r\n", "server URI is empty");

  /* scheme */
  assert_parse_fails ("stun.example.org", "server URI has no scheme");
  assert_parse_fails ("http://alice:" PASSWORD "@example.org",
      "server URI scheme 'http' is unknown");
  assert_parse_fails ("turnx://alice:" PASSWORD "@example.org",
      "server URI scheme 'turnx' is unknown");
  assert_parse_fails (":" PASSWORD "@example.org",
      "server URI scheme '' is unknown");
  assert_parse_fails ("stuns:stun.example.org", "stuns (STUN over TLS)");

  /* credentials */
  assert_parse_fails ("turn:turn.example.org",
      "TURN server URI needs a user name and a password");
  assert_parse_fails ("turn://turn.example.org:3478?transport=tcp",
      "needs a user name and a password");
  assert_parse_fails ("turns://alice@turn.example.org",
      "needs a user name and a password");
  assert_parse_fails ("turn://alice:@turn.example.org",
      "needs a user name and a password");
  assert_parse_fails ("turn://:" PASSWORD "@turn.example.org",
      "needs a user name and a password");
  assert_parse_fails ("turn://@turn.example.org",
      "needs a user name and a password");
  assert_parse_fails ("stun://alice:" PASSWORD "@stun.example.org",
      "stun server URI takes no user name or password");
  assert_parse_fails ("turn://alice:S3%zzcr3tPw@turn.example.org",
      "TURN password is not valid percent-encoded");
  assert_parse_fails ("turn://alice:" PASSWORD "%00@turn.example.org",
      "TURN password is not valid percent-encoded");
  assert_parse_fails ("turn://alice:" PASSWORD "%0a@turn.example.org",
      "TURN password is not valid percent-encoded");
  assert_parse_fails ("turn://alice:" PASSWORD "%ff@turn.example.org",
      "TURN password is not valid percent-encoded UTF-8");
  assert_parse_fails ("turn://alice:" PASSWORD "%@turn.example.org",
      "TURN password is not valid");
  assert_parse_fails ("turn://al%zzice:" PASSWORD "@turn.example.org",
      "TURN user name is not valid percent-encoded");

  /* port */
  assert_parse_fails ("turn://alice:" PASSWORD "@turn.example.org:0",
      "server port 0 is not in 1..65535");
  assert_parse_fails ("turn://alice:" PASSWORD "@turn.example.org:70000",
      "server port 70000 is not in 1..65535");
  assert_parse_fails ("turn://alice:" PASSWORD "@turn.example.org:123456",
      "server port is not in 1..65535");
  assert_parse_fails ("turn://alice:" PASSWORD "@turn.example.org:x",
      "server port is not a number");
  assert_parse_fails ("turn://alice:" PASSWORD "@turn.example.org:-1",
      "server port is not a number");
  assert_parse_fails ("turn://alice:" PASSWORD "@turn.example.org:",
      "has ':' but no port");
  assert_parse_fails ("stun:[::1]:", "has ':' but no port");
  assert_parse_fails ("stun:[::1]:0", "server port 0 is not in 1..65535");
  assert_parse_fails ("stun:stun.example.org:3478/", "is not a number");
  /* no '@': the "password" is taken for a port, and not quoted */
  assert_parse_fails ("turn://alice:" PASSWORD, "server port is not a number");

  /* transport */
  assert_parse_fails ("turn://alice:" PASSWORD "@turn.example.org"
      "?transport=sctp", "server transport 'sctp' is unknown (udp or tcp)");
  assert_parse_fails ("turn://alice:" PASSWORD "@turn.example.org"
      "?transport=", "server transport '' is unknown");
  assert_parse_fails ("turn://alice:" PASSWORD "@turn.example.org"
      "?transport=udp&x=1", "server transport 'udp&x=1' is unknown");
  assert_parse_fails ("turn://alice:" PASSWORD "@turn.example.org?foo=bar",
      "server URI parameter 'foo=bar' is unknown");
  assert_parse_fails ("turns://alice:" PASSWORD "@turn.example.org"
      "?transport=udp", "turns with transport=udp (TURN over DTLS) is not "
      "supported");
  assert_parse_fails ("stun:stun.example.org?transport=udp",
      "stun server URI takes no '?' parameters");

  /* host */
  assert_parse_fails ("stun:", "server URI has no host");
  assert_parse_fails ("stun://", "server URI has no host");
  assert_parse_fails ("stun://:3478", "server URI has no host");
  assert_parse_fails ("turn://alice:" PASSWORD "@", "server URI has no host");
  assert_parse_fails ("turn://alice:" PASSWORD "@:3478",
      "server URI has no host");
  assert_parse_fails ("turn://alice:" PASSWORD "@?transport=tcp",
      "server URI has no host");
  assert_parse_fails ("stun:stun_server.example.org",
      "server host 'stun_server.example.org' is neither a host name nor");
  assert_parse_fails ("stun:192.0.2.300", "server host '192.0.2.300'");
  assert_parse_fails ("stun:stun example.org", "server host 'stun example");
  assert_parse_fails ("stun:::1", "an IPv6 address must be in brackets");
  assert_parse_fails ("stun:2001:db8::1:3478",
      "an IPv6 address must be in brackets");
  assert_parse_fails ("stun:[::1", "server host '[::1' has no closing ']'");
  assert_parse_fails ("stun:[]", "is not an IPv6 address in brackets");
  assert_parse_fails ("stun:[192.0.2.1]",
      "server host '[192.0.2.1]' is not an IPv6 address in brackets");
  assert_parse_fails ("stun:[fe80::1%25eth0]",
      "is not an IPv6 address in brackets");
  assert_parse_fails ("turn://alice:" PASSWORD "@[::1]x",
      "server host '[::1]' is followed by something other than ':'");
}

/* every prefix of a valid URI fails cleanly or parses, and never shows
 * the password; exact-size heap copies for valgrind and ASan */
static void
test_every_prefix (void)
{
  gsize i, len;

  for (i = 0; i < G_N_ELEMENTS (valid_servers); i++) {
    const gchar *uri = valid_servers[i].uri;
    gsize full_len = strlen (uri);

    for (len = 0; len < full_len; len++) {
      gchar *prefix = g_strndup (uri, len);
      GError *error = NULL;
      SecIceServer *server = sec_ice_server_parse (prefix, &error);

      if (server != NULL) {
        gchar *log_string = sec_ice_server_to_log_string (server);

        g_assert_nonnull (server->host);
        g_assert_cmpuint (server->port, >, 0);
        g_assert_null (strstr (log_string, PASSWORD));
        g_free (log_string);
        sec_ice_server_free (server);
      } else {
        g_assert_error (error, SEC_ICE_ERROR, SEC_ICE_ERROR_INVALID);
        if (strstr (error->message, "S3cr") != NULL)
          g_error ("error for '%s' gives the password away: \"%s\"",
              prefix, error->message);
        g_clear_error (&error);
      }
      g_free (prefix);
    }
  }
}

static void
test_free (void)
{
  SecIceServer *server;
  gchar **list;

  sec_ice_server_free (NULL);
  server = sec_ice_server_parse ("turns://alice:" PASSWORD "@example.org",
      NULL);
  g_assert_nonnull (server);
  sec_ice_server_free (server);
  sec_ice_secret_free (NULL);
  sec_ice_secret_free (g_strdup (PASSWORD));
  sec_ice_secret_strfreev (NULL);
  list = g_strsplit ("turn://a:" PASSWORD "@x,turns://b:" PASSWORD "@y", ",",
      -1);
  sec_ice_secret_strfreev (list);
}

/* RFC 5952 §4: one text per address, whatever the spelling */
static void
test_canonical_address (void)
{
  static const struct
  {
    const gchar *address;
    const gchar *canonical;     /* NULL: not an IP address */
  } cases[] = {
    {"127.0.0.1", "127.0.0.1"},
    {"192.0.2.255", "192.0.2.255"},
    {"::1", "::1"},
    {"0:0:0:0:0:0:0:1", "::1"},
    {"0000:0000:0000:0000:0000:0000:0000:0001", "::1"},
    {"::0:1", "::1"},
    {"0::0001", "::1"},
    {"::", "::"},
    {"2001:DB8::A", "2001:db8::a"},
    {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
    {"2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1"},
    {"::FFFF:7F00:1", "::ffff:127.0.0.1"},
    {"::ffff:127.0.0.1", "::ffff:127.0.0.1"},
    /* not IP addresses */
    {"", NULL},
    {"localhost", NULL},
    {"turn.example.org", NULL},
    {"127.000.000.001", NULL},
    {"127.0.0.01", NULL},
    {"1.2.3", NULL},
    {"192.0.2.256", NULL},
    {"1::2::3", NULL},
    {"fe80::1%eth0", NULL},
    {"[::1]", NULL},
    {"::1 ", NULL},
    {"0:0:0:0:0:0:0:0:1", NULL},
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar *canonical = sec_ice_address_canonical (cases[i].address);

    if (g_strcmp0 (canonical, cases[i].canonical) != 0)
      g_error ("'%s' gives '%s', expected '%s'", cases[i].address,
          canonical ? canonical : "(NULL)",
          cases[i].canonical ? cases[i].canonical : "(NULL)");
    /* canonical text is its own canonical form */
    if (canonical != NULL) {
      gchar *again = sec_ice_address_canonical (canonical);

      g_assert_cmpstr (again, ==, canonical);
      g_free (again);
    }
    g_free (canonical);
  }
}

static void
test_secret_equal (void)
{
  g_assert_true (sec_ice_secret_equal ("Basic c2VjaWNlOng=",
          "Basic c2VjaWNlOng="));
  g_assert_true (sec_ice_secret_equal ("", ""));
  g_assert_false (sec_ice_secret_equal ("Basic c2VjaWNlOnk=",
          "Basic c2VjaWNlOng="));
  g_assert_false (sec_ice_secret_equal ("Basic c2VjaWNlOng",
          "Basic c2VjaWNlOng="));
  g_assert_false (sec_ice_secret_equal ("Basic c2VjaWNlOng==",
          "Basic c2VjaWNlOng="));
  g_assert_false (sec_ice_secret_equal ("", "x"));
  g_assert_false (sec_ice_secret_equal ("x", ""));
  g_assert_false (sec_ice_secret_equal ("basic c2VjaWNlOng=",
          "Basic c2VjaWNlOng="));
}

/* in the requests below; never in a message */
#define PROXY_AUTH "Basic c2VjaWNlOjAxMjM0NTY3ODlhYmNkZWY="

/* what libnice 0.1.21 (socket/http.c) sends, captured from its agent
 * with proxy-username "secice" and proxy-password "0123456789abcdef" */
#define LIBNICE_HEADERS \
  "Host: 127.0.0.1\r\n" \
  "User-Agent: libnice\r\n" \
  "Content-Length: 0\r\n" \
  "Proxy-Connection: Keep-Alive\r\n" \
  "Connection: Keep-Alive\r\n" \
  "Cache-Control: no-cache\r\n" \
  "Pragma: no-cache\r\n" \
  "Proxy-Authorization: " PROXY_AUTH "\r\n" \
  "\r\n"

static const struct
{
  const gchar *request;
  const gchar *host;
  guint16 port;
  const gchar *authorization;
} valid_requests[] = {
  {"CONNECT 127.0.0.1:5349 HTTP/1.0\r\n" LIBNICE_HEADERS, "127.0.0.1",
      5349, PROXY_AUTH},
  /* libnice writes IPv6 without brackets */
  {"CONNECT ::1:5349 HTTP/1.0\r\n" LIBNICE_HEADERS, "::1", 5349,
      PROXY_AUTH},
  {"CONNECT 0:0:0:0:0:0:0:1:443 HTTP/1.0\r\n" LIBNICE_HEADERS, "::1", 443,
      PROXY_AUTH},
  {"CONNECT [2001:DB8::A]:3478 HTTP/1.1\r\n" LIBNICE_HEADERS,
      "2001:db8::a", 3478, PROXY_AUTH},
  {"CONNECT 192.0.2.1:1 HTTP/1.0\r\n\r\n", "192.0.2.1", 1, NULL},
  /* field names are case-insensitive, blanks around the value go */
  {"CONNECT 192.0.2.1:65535 HTTP/1.0\r\nproxy-AUTHORIZATION:\t "
        PROXY_AUTH " \r\n\r\n", "192.0.2.1", 65535, PROXY_AUTH},
};

static void
assert_proxy_request_fails (const gchar * request, const gchar * in_message)
{
  SecIceProxyRequest *parsed;
  GError *error = NULL;

  parsed = sec_ice_proxy_request_parse (request, strlen (request), &error);
  if (parsed != NULL)
    g_error ("'%s' parsed, expected an error", request);
  g_assert_error (error, SEC_ICE_ERROR, SEC_ICE_ERROR_INVALID);
  if (strstr (error->message, in_message) == NULL)
    g_error ("error for '%s' is \"%s\", expected it to contain \"%s\"",
        request, error->message, in_message);
  if (strstr (error->message, "c2VjaWNl") != NULL)
    g_error ("error for '%s' gives the credential away: \"%s\"", request,
        error->message);
  g_clear_error (&error);
}

static void
test_proxy_request_valid (void)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (valid_requests); i++) {
    const gchar *text = valid_requests[i].request;
    GError *error = NULL;
    g_autoptr (SecIceProxyRequest) request =
        sec_ice_proxy_request_parse (text, strlen (text), &error);

    if (request == NULL)
      g_error ("'%s' refused: %s", text, error->message);
    g_assert_cmpstr (request->host, ==, valid_requests[i].host);
    g_assert_cmpuint (request->port, ==, valid_requests[i].port);
    g_assert_cmpstr (request->authorization, ==,
        valid_requests[i].authorization);
  }
}

static void
test_proxy_request_invalid (void)
{
  const gchar head_with_data[] = "CONNECT 127.0.0.1:5349 HTTP/1.0\r\n\r\nx";
  const gchar with_nul[] = "CONNECT 127.0.0.1:5349 HTTP/1.0\r\nA: \0\r\n\r\n";
  GError *error = NULL;

  /* the length given is what counts */
  g_assert_null (sec_ice_proxy_request_parse (head_with_data,
          sizeof (head_with_data) - 1, &error));
  g_assert_error (error, SEC_ICE_ERROR, SEC_ICE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sec_ice_proxy_request_parse (with_nul,
          sizeof (with_nul) - 1, &error));
  g_assert_error (error, SEC_ICE_ERROR, SEC_ICE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "NUL"));
  g_clear_error (&error);

  assert_proxy_request_fails ("", "does not end with an empty line");
  assert_proxy_request_fails ("\r\n\r\n", "proxy request is empty");
  assert_proxy_request_fails ("CONNECT 127.0.0.1:5349 HTTP/1.0\r\n",
      "does not end with an empty line");
  assert_proxy_request_fails ("CONNECT 127.0.0.1:5349 HTTP/1.0\r\n\r\n"
      "\r\n\r\n", "has data after its head");
  assert_proxy_request_fails ("GET / HTTP/1.0\r\n\r\n",
      "proxy request 'GET / HTTP/1.0' is not a CONNECT request");
  assert_proxy_request_fails ("connect 127.0.0.1:5349 HTTP/1.0\r\n\r\n",
      "is not a CONNECT request");
  assert_proxy_request_fails ("CONNECT 127.0.0.1:5349\r\n\r\n",
      "has no target and version");
  assert_proxy_request_fails ("CONNECT  127.0.0.1:5349 HTTP/1.0\r\n\r\n",
      "has no target and version");
  assert_proxy_request_fails ("CONNECT 127.0.0.1:5349 HTTP/2.0\r\n\r\n",
      "is not HTTP/1.0 or HTTP/1.1");
  assert_proxy_request_fails ("CONNECT 127.0.0.1:5349 HTTP/1.0 x\r\n\r\n",
      "is not HTTP/1.0 or HTTP/1.1");
  assert_proxy_request_fails ("CONNECT turn.example.org:5349 HTTP/1.0\r\n"
      "\r\n", "CONNECT target 'turn.example.org:5349' is not an IP address "
      "and a port");
  assert_proxy_request_fails ("CONNECT 127.0.0.1 HTTP/1.0\r\n\r\n",
      "CONNECT target '127.0.0.1' has no port");
  assert_proxy_request_fails ("CONNECT 127.0.0.1:0 HTTP/1.0\r\n\r\n",
      "server port 0 is not in 1..65535");
  assert_proxy_request_fails ("CONNECT 127.0.0.1:65536 HTTP/1.0\r\n\r\n",
      "server port 65536 is not in 1..65535");
  assert_proxy_request_fails ("CONNECT 127.0.0.1: HTTP/1.0\r\n\r\n",
      "has ':' but no port");
  assert_proxy_request_fails ("CONNECT 127.0.0.1:+1 HTTP/1.0\r\n\r\n",
      "server port is not a number");
  assert_proxy_request_fails ("CONNECT [[::1]]:1 HTTP/1.0\r\n\r\n",
      "is not an IP address and a port");
  assert_proxy_request_fails ("CONNECT fe80::1%eth0:1 HTTP/1.0\r\n\r\n",
      "is not an IP address and a port");
  assert_proxy_request_fails ("CONNECT 127.0.0.1:5349 HTTP/1.0\n\r\n\r\n",
      "bare CR or LF");
  assert_proxy_request_fails ("CONNECT 127.0.0.1:5349 HTTP/1.0\r\r\n\r\n",
      "bare CR or LF");
  assert_proxy_request_fails ("CONNECT 127.0.0.1:5349 HTTP/1.0\r\n"
      "Proxy-Authorization " PROXY_AUTH "\r\n\r\n", "a header line that is "
      "not \"name: value\"");
  /* obsolete line folding (RFC 9112 §5.2) */
  assert_proxy_request_fails ("CONNECT 127.0.0.1:5349 HTTP/1.0\r\n"
      "Host: x\r\n Proxy-Authorization: " PROXY_AUTH "\r\n\r\n",
      "header name that is not a token");
  assert_proxy_request_fails ("CONNECT 127.0.0.1:5349 HTTP/1.0\r\n"
      ": " PROXY_AUTH "\r\n\r\n", "not \"name: value\"");
  assert_proxy_request_fails ("CONNECT 127.0.0.1:5349 HTTP/1.0\r\n"
      "Proxy-Authorization: " PROXY_AUTH "\r\n"
      "Proxy-Authorization: " PROXY_AUTH "\r\n\r\n",
      "more than one Proxy-Authorization");
  assert_proxy_request_fails ("CONNECT 127.0.0.1:5349 HTTP/1.0\r\n"
      "Proxy-Authorization: " PROXY_AUTH "\x01\r\n\r\n",
      "control character in its Proxy-Authorization");
}

/* every prefix of a valid request fails cleanly (it has no final empty
 * line yet) and never shows the credential; exact-size heap copies */
static void
test_proxy_request_every_prefix (void)
{
  gsize i, len;

  for (i = 0; i < G_N_ELEMENTS (valid_requests); i++) {
    const gchar *text = valid_requests[i].request;
    gsize full_len = strlen (text);

    for (len = 0; len < full_len; len++) {
      gchar *prefix = g_memdup2 (text, len);
      GError *error = NULL;
      SecIceProxyRequest *request =
          sec_ice_proxy_request_parse (prefix, len, &error);

      g_assert_null (request);
      g_assert_error (error, SEC_ICE_ERROR, SEC_ICE_ERROR_INVALID);
      g_assert_null (strstr (error->message, "c2VjaWNl"));
      g_clear_error (&error);
      g_free (prefix);
    }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ice/server/valid", test_valid);
  g_test_add_func ("/ice/server/invalid", test_invalid);
  g_test_add_func ("/ice/server/every-prefix", test_every_prefix);
  g_test_add_func ("/ice/server/free", test_free);
  g_test_add_func ("/ice/server/canonical-address", test_canonical_address);
  g_test_add_func ("/ice/secret/equal", test_secret_equal);
  g_test_add_func ("/ice/proxy-request/valid", test_proxy_request_valid);
  g_test_add_func ("/ice/proxy-request/invalid", test_proxy_request_invalid);
  g_test_add_func ("/ice/proxy-request/every-prefix",
      test_proxy_request_every_prefix);
  return g_test_run ();
}
