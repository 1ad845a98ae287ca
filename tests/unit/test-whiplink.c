/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ICE servers from a WHIP/WHEP server's Link header fields
 * (ext/whip/whiplink.c): RFC 9725 §4.6's example, RFC 8288's syntax
 * (several links in one field, quoted strings with escapes, parameter
 * names in any case, the first of a repeated parameter, other relations
 * skipped), what is refused and how (no credential quoted), and the URIs
 * secwebrtcbin's stun-server and turn-server take.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "whiplink.h"

#include <string.h>

static GPtrArray *
parse_ok (const gchar * value)
{
  GPtrArray *servers = sec_whip_ice_servers_new ();
  GError *error = NULL;

  if (!sec_whip_link_parse (value, servers, &error))
    g_error ("'%s' refused: %s", value, error->message);
  return servers;
}

static SecWhipIceServer *
server_at (GPtrArray * servers, guint i)
{
  g_assert_cmpuint (i, <, servers->len);
  return g_ptr_array_index (servers, i);
}

static gchar *
uri_ok (const SecWhipIceServer * server, gboolean expect_turn)
{
  GError *error = NULL;
  gboolean is_turn = !expect_turn;
  gchar *uri = sec_whip_ice_server_to_uri (server, &is_turn, &error);

  g_assert_no_error (error);
  g_assert_nonnull (uri);
  g_assert_cmpint (is_turn, ==, expect_turn);
  return uri;
}

/* RFC 9725 §4.6, one header field per server as a server sends them */
static void
test_rfc_example (void)
{
  GPtrArray *servers = sec_whip_ice_servers_new ();
  static const gchar *const fields[] = {
    "<stun:stun.example.net>; rel=\"ice-server\"",
    "<turn:turn.example.net?transport=udp>; rel=\"ice-server\"; "
        "username=\"user\"; credential=\"myPassword\"; "
        "credential-type=\"password\"",
    "<turn:turn.example.net?transport=tcp>; rel=\"ice-server\"; "
        "username=\"user\"; credential=\"myPassword\"; "
        "credential-type=\"password\"",
    "<turns:turn.example.net?transport=tcp>; rel=\"ice-server\"; "
        "username=\"user\"; credential=\"myPassword\"; "
        "credential-type=\"password\"",
  };
  static const gchar *const expected[] = {
    "stun://stun.example.net",
    "turn://user:myPassword@turn.example.net?transport=udp",
    "turn://user:myPassword@turn.example.net?transport=tcp",
    "turns://user:myPassword@turn.example.net?transport=tcp",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fields); i++)
    g_assert_true (sec_whip_link_parse (fields[i], servers, NULL));
  g_assert_cmpuint (servers->len, ==, 4);
  g_assert_cmpstr (server_at (servers, 0)->uri, ==, "stun:stun.example.net");
  g_assert_null (server_at (servers, 0)->username);
  g_assert_cmpstr (server_at (servers, 1)->username, ==, "user");
  g_assert_cmpstr (server_at (servers, 1)->credential, ==, "myPassword");
  g_assert_cmpstr (server_at (servers, 1)->credential_type, ==, "password");
  for (i = 0; i < G_N_ELEMENTS (expected); i++) {
    gchar *uri = uri_ok (server_at (servers, i), i > 0);

    g_assert_cmpstr (uri, ==, expected[i]);
    g_free (uri);
  }
  g_ptr_array_unref (servers);
}

static void
test_syntax (void)
{
  GPtrArray *servers;
  gchar *uri;

  /* several links in one field, other relations skipped, empty list
   * elements, OWS and BWS, names in any case, token values, a rel list */
  servers = parse_ok (" , <https://example.net/x>; rel=\"next\" ,"
      "<stun:192.0.2.1:3479>;REL=ice-server,"
      "<turn:[2001:db8::1]:3480?transport=tcp> ; rel = \"alternate "
      "ice-server\" ; UserName = alice ; Credential=\"s\\\"e;c,r=e\\\\t\" ,,");
  g_assert_cmpuint (servers->len, ==, 2);
  g_assert_cmpstr (server_at (servers, 0)->uri, ==, "stun:192.0.2.1:3479");
  g_assert_cmpstr (server_at (servers, 1)->username, ==, "alice");
  /* quoted-pair: the escaped quote and backslash, the comma and
   * semicolon inside the quotes are the credential's */
  g_assert_cmpstr (server_at (servers, 1)->credential, ==, "s\"e;c,r=e\\t");
  uri = uri_ok (server_at (servers, 0), FALSE);
  g_assert_cmpstr (uri, ==, "stun://192.0.2.1:3479");
  g_free (uri);
  /* the credential percent-encoded: ext/ice decodes it back */
  uri = uri_ok (server_at (servers, 1), TRUE);
  g_assert_cmpstr (uri, ==, "turn://alice:s%22e%3Bc%2Cr%3De%5Ct@"
      "[2001:db8::1]:3480?transport=tcp");
  g_free (uri);
  g_ptr_array_unref (servers);

  /* the first of a repeated parameter counts (RFC 8288 §3.3) */
  servers = parse_ok ("<stun:a.example>; rel=\"ice-server\"; rel=\"next\"");
  g_assert_cmpuint (servers->len, ==, 1);
  g_ptr_array_unref (servers);
  servers = parse_ok ("<stun:a.example>; rel=\"next\"; rel=\"ice-server\"");
  g_assert_cmpuint (servers->len, ==, 0);
  g_ptr_array_unref (servers);
  /* no rel, a parameter without a value, an empty field */
  servers = parse_ok ("<stun:a.example>; anchor; title=\"x\", ");
  g_assert_cmpuint (servers->len, ==, 0);
  g_ptr_array_unref (servers);
  servers = parse_ok ("");
  g_assert_cmpuint (servers->len, ==, 0);
  g_ptr_array_unref (servers);
}

static void
expect_syntax_error (const gchar * value, const gchar * part)
{
  GPtrArray *servers = sec_whip_ice_servers_new ();
  GError *error = NULL;

  g_assert_false (sec_whip_link_parse (value, servers, &error));
  g_assert_error (error, SEC_WHIP_LINK_ERROR, SEC_WHIP_LINK_ERROR_SYNTAX);
  if (strstr (error->message, part) == NULL)
    g_error ("\"%s\" not in \"%s\"", part, error->message);
  /* the position, never the value (it may hold a credential) */
  g_assert_null (strstr (error->message, "secret"));
  /* nothing of a refused field is kept */
  g_assert_cmpuint (servers->len, ==, 0);
  g_error_free (error);
  g_ptr_array_unref (servers);
}

static void
test_refused_syntax (void)
{
  gchar *long_value;

  expect_syntax_error ("stun:a.example; rel=ice-server", "starts with '<'");
  expect_syntax_error ("<stun:a.example; rel=ice-server", "not in a URI");
  expect_syntax_error ("<stun:a.example", "no '>'");
  expect_syntax_error ("<stun:a example>", "not in a URI");
  expect_syntax_error ("<stun:a.example> rel=ice-server", "expected ';'");
  expect_syntax_error ("<stun:a.example>; =ice-server", "without a name");
  expect_syntax_error ("<stun:a.example>; rel=", "no value");
  expect_syntax_error ("<turn:a.example>; rel=\"ice-server\"; credential="
      "\"secret", "at byte 47: an unterminated or malformed quoted-string");
  expect_syntax_error ("<turn:a.example>; rel=\"ice-server\"; credential="
      "\"secret\\", "quoted-string");
  expect_syntax_error ("<turn:a.example>; credential=\"sec\x01ret\"",
      "quoted-string");
  /* a good link before a bad one: nothing kept */
  expect_syntax_error ("<stun:a.example>; rel=ice-server, <stun:b", "no '>'");
  expect_syntax_error ("<stun:a.example>; rel=ice-server; \"x\"",
      "without a name");
  long_value = g_strnfill (SEC_WHIP_LINK_MAX_LENGTH + 1, ' ');
  expect_syntax_error (long_value, "at most");
  g_free (long_value);
}

static void
test_max_servers (void)
{
  GPtrArray *servers = sec_whip_ice_servers_new ();
  GString *value = g_string_new (NULL);
  guint i;

  for (i = 0; i < SEC_WHIP_LINK_MAX_SERVERS + 5; i++)
    g_string_append_printf (value, "%s<stun:s%u.example>; rel=ice-server",
        i ? ", " : "", i);
  g_assert_true (sec_whip_link_parse (value->str, servers, NULL));
  g_assert_cmpuint (servers->len, ==, SEC_WHIP_LINK_MAX_SERVERS);
  /* and across fields */
  g_assert_true (sec_whip_link_parse ("<stun:x.example>; rel=ice-server",
          servers, NULL));
  g_assert_cmpuint (servers->len, ==, SEC_WHIP_LINK_MAX_SERVERS);
  g_string_free (value, TRUE);
  g_ptr_array_unref (servers);
}

static void
expect_server_error (const gchar * value, const gchar * part)
{
  GPtrArray *servers = parse_ok (value);
  GError *error = NULL;
  gchar *uri;

  g_assert_cmpuint (servers->len, ==, 1);
  uri = sec_whip_ice_server_to_uri (server_at (servers, 0), NULL, &error);
  g_assert_null (uri);
  g_assert_error (error, SEC_WHIP_LINK_ERROR, SEC_WHIP_LINK_ERROR_SERVER);
  if (strstr (error->message, part) == NULL)
    g_error ("\"%s\" not in \"%s\"", part, error->message);
  g_assert_null (strstr (error->message, "hunter2"));
  g_error_free (error);
  g_ptr_array_unref (servers);
}

static void
test_refused_servers (void)
{
  expect_server_error ("<https://turn.example>; rel=ice-server",
      "not a STUN or TURN URI");
  expect_server_error ("<turn://u:hunter2@turn.example>; rel=ice-server",
      "not a STUN or TURN URI");
  expect_server_error ("<turnx:turn.example>; rel=ice-server",
      "none of stun, turn and turns");
  expect_server_error ("<nothing>; rel=ice-server", "no scheme");
  expect_server_error ("<turn:turn.example>; rel=ice-server; username=u",
      "without username and credential");
  expect_server_error ("<turn:turn.example>; rel=ice-server; "
      "credential=hunter2", "without username and credential");
  expect_server_error ("<turn:turn.example>; rel=ice-server; username=u; "
      "credential=hunter2; credential-type=oauth", "credential-type");
  /* what ext/ice refuses: an unknown transport, turns over udp, a bad
   * port; the credential never quoted */
  expect_server_error ("<turn:turn.example?transport=sctp>; rel=ice-server; "
      "username=u; credential=hunter2", "transport");
  expect_server_error ("<turns:turn.example?transport=udp>; rel=ice-server; "
      "username=u; credential=hunter2", "udp");
  expect_server_error ("<stun:stun.example:99999>; rel=ice-server", "port");
}

/* What an endpoint announces reads back, through the client's parser, as
 * the URI it was made from. */
static void
test_announce (void)
{
  static const gchar *const uris[][2] = {
    {"stun://192.0.2.7:3478", "stun://192.0.2.7:3478"},
    {"turn://us%22er:p%5Cass%2Cw@[2001:db8::1]:3478?transport=udp",
        "turn://us%22er:p%5Cass%2Cw@[2001:db8::1]:3478?transport=udp"},
    {"turn://u:p@turn.example:80?transport=tcp",
        "turn://u:p@turn.example:80?transport=tcp"},
    {"turns://u:p@turn.example", "turns://u:p@turn.example:5349?transport=tcp"},
  };
  GError *error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++) {
    gchar *value = sec_whip_ice_server_link_value (uris[i][0], &error);
    GPtrArray *servers = sec_whip_ice_servers_new ();
    gboolean is_turn = FALSE;
    gchar *back;

    g_assert_no_error (error);
    g_assert_true (g_str_has_suffix (value, "credential-type=\"password\"")
        || g_str_has_prefix (value, "<stun:"));
    g_assert_true (sec_whip_link_parse (value, servers, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (servers->len, ==, 1);
    back = sec_whip_ice_server_to_uri (servers->pdata[0], &is_turn, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (back, ==, uris[i][1]);
    g_assert_true (is_turn == (i > 0));
    g_free (back);
    g_free (value);
    g_ptr_array_unref (servers);
  }
  g_assert_null (sec_whip_ice_server_link_value ("http://x", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (sec_whip_ice_server_link_value ("turn://x:1", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/whip-link/rfc-example", test_rfc_example);
  g_test_add_func ("/whip-link/syntax", test_syntax);
  g_test_add_func ("/whip-link/refused-syntax", test_refused_syntax);
  g_test_add_func ("/whip-link/max-servers", test_max_servers);
  g_test_add_func ("/whip-link/refused-servers", test_refused_servers);
  g_test_add_func ("/whip-link/announce", test_announce);
  return g_test_run ();
}
