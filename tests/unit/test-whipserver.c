/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The request rules of a WHIP endpoint (ext/whip/whipserver.c): each
 * refusal with its status, the order of the checks, failed
 * authentications per address and their window (time given, not read),
 * max-sessions with sessions being made, and sessions by their id.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "whipserver.h"

#include <string.h>

#define TOKEN "t0ken-abc"
#define AUTH "Bearer " TOKEN
#define OFFER "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" \
  "a=ice-ufrag:ufA1\r\n"

static const gchar *const origins[] = { "https://good.example", NULL };

static SecWhipServer *
server_new (guint max_sessions)
{
  return sec_whip_server_new ("/whip/", TOKEN, origins, max_sessions);
}

static SecWhipRequest
post (const gchar * peer, const gchar * authorization, gint64 now_us)
{
  SecWhipRequest request = { 0, };

  request.method = "POST";
  request.path = "/whip";
  request.peer = peer;
  request.authorization = authorization;
  request.content_type = "application/sdp";
  request.body = OFFER;
  request.body_length = strlen (OFFER);
  request.content_length = request.body_length;
  request.now_us = now_us;
  return request;
}

static guint
status_of (SecWhipServer * server, const SecWhipRequest * request,
    SecWhipAction * action)
{
  SecWhipResponse response;
  guint status;

  sec_whip_server_handle (server, request, &response);
  status = response.status;
  g_assert_nonnull (response.reason);
  if (action != NULL)
    *action = response.action;
  if (response.action == SEC_WHIP_ACTION_NONE)
    g_assert_null (response.session_id);
  sec_whip_response_clear (&response);
  return status;
}

static void
test_post (void)
{
  SecWhipServer *server = server_new (2);
  SecWhipRequest request = post ("10.0.0.1", AUTH, 0);
  SecWhipAction action;
  gchar *big;

  g_assert_cmpuint (status_of (server, &request, &action), ==, 201);
  g_assert_cmpint (action, ==, SEC_WHIP_ACTION_CREATE);
  g_assert_cmpuint (sec_whip_server_n_sessions (server), ==, 1);
  sec_whip_server_release (server);
  g_assert_cmpuint (sec_whip_server_n_sessions (server), ==, 0);

  /* "Bearer" in any case */
  request.authorization = "bEaReR " TOKEN;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 201);
  sec_whip_server_release (server);

  request = post ("10.0.0.1", AUTH, 0);
  request.content_type = "application/sdp; charset=utf-8";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 201);
  sec_whip_server_release (server);
  request.content_type = "application/sdpx";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 415);
  request.content_type = NULL;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 415);

  request = post ("10.0.0.1", AUTH, 0);
  request.content_length = -1;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 411);

  big = g_strnfill (SEC_WHIP_SERVER_MAX_BODY + 1, 'a');
  memcpy (big, "v=0\n", 4);
  request = post ("10.0.0.1", AUTH, 0);
  request.body = big;
  request.body_length = strlen (big);
  request.content_length = request.body_length;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 413);
  /* a Content-Length that lies about a larger body */
  request.content_length = 10;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 413);
  g_free (big);

  /* not SDP: text, a NUL, bad UTF-8, nothing */
  request = post ("10.0.0.1", AUTH, 0);
  request.body = "hello";
  request.body_length = 5;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 400);
  request.body = "v=0\r\n\0x";
  request.body_length = 8;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 400);
  request.body = "v=0\r\n\xff\xfe";
  request.body_length = 7;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 400);
  request.body = NULL;
  request.body_length = 0;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 400);
  g_assert_cmpuint (sec_whip_server_n_sessions (server), ==, 0);
  sec_whip_server_free (server);
}

static void
test_auth_and_order (void)
{
  SecWhipServer *server = server_new (1);
  SecWhipRequest request = post ("10.0.0.1", NULL, 0);
  SecWhipResponse response;

  /* missing, wrong scheme, malformed, wrong: 401 with a challenge */
  sec_whip_server_handle (server, &request, &response);
  g_assert_cmpuint (response.status, ==, 401);
  g_assert_true (response.challenge);
  g_assert_null (strstr (response.reason, TOKEN));
  sec_whip_response_clear (&response);
  request.authorization = "Basic " TOKEN;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 401);
  request.authorization = "Bearer ";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 401);
  request.authorization = "Bearer " TOKEN "x";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 401);

  /* the token is checked before the body: no hint without it */
  request.content_type = "text/plain";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 401);

  /* CORS first: an origin not allowed is 403 even with the token */
  request = post ("10.0.0.2", AUTH, 0);
  request.origin = "https://evil.example";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 403);
  request.origin = "https://good.example";
  sec_whip_server_handle (server, &request, &response);
  g_assert_cmpuint (response.status, ==, 201);
  g_assert_true (response.cors);
  sec_whip_response_clear (&response);

  /* the preflight needs no token; its origin is checked */
  request = post ("10.0.0.2", NULL, 0);
  request.method = "OPTIONS";
  request.origin = "https://GOOD.example";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 204);
  request.origin = "null";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 403);
  /* the ICE servers only to an authenticated OPTIONS (RFC 9725 §4.6) */
  request.origin = NULL;
  sec_whip_server_handle (server, &request, &response);
  g_assert_cmpuint (response.status, ==, 204);
  g_assert_false (response.ice_servers);
  sec_whip_response_clear (&response);
  request.authorization = "Bearer wrong";
  sec_whip_server_handle (server, &request, &response);
  g_assert_cmpuint (response.status, ==, 401);
  g_assert_false (response.ice_servers);
  sec_whip_response_clear (&response);
  request.authorization = AUTH;
  sec_whip_server_handle (server, &request, &response);
  g_assert_cmpuint (response.status, ==, 204);
  g_assert_true (response.ice_servers);
  sec_whip_response_clear (&response);

  /* max-sessions (one, being made): 503 with Retry-After */
  request = post ("10.0.0.2", AUTH, 0);
  sec_whip_server_handle (server, &request, &response);
  g_assert_cmpuint (response.status, ==, 503);
  g_assert_cmpuint (response.retry_after_s, >, 0);
  sec_whip_response_clear (&response);

  /* methods and paths */
  request.method = "GET";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 405);
  request.path = "/other";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 404);
  request.path = "/whipx";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 404);
  request.path = NULL;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 404);
  sec_whip_server_free (server);

  /* no allowed origin at all: every browser origin is refused */
  server = sec_whip_server_new ("/whip", TOKEN, NULL, 1);
  request = post ("10.0.0.3", AUTH, 0);
  request.origin = "https://good.example";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 403);
  sec_whip_server_free (server);
}

static void
test_rate_limit (void)
{
  SecWhipServer *server = server_new (4);
  SecWhipRequest bad = post ("10.0.0.9", "Bearer nope", 1000);
  SecWhipRequest good = post ("10.0.0.9", AUTH, 1000);
  SecWhipRequest other = post ("10.0.0.10", AUTH, 1000);
  SecWhipResponse response;

  for (guint i = 0; i < SEC_WHIP_SERVER_AUTH_FAILURES; i++)
    g_assert_cmpuint (status_of (server, &bad, NULL), ==, 401);
  /* the address is blocked, the right token too; not another address */
  g_assert_cmpuint (status_of (server, &bad, NULL), ==, 429);
  good.now_us = 1000 + 30 * G_USEC_PER_SEC;
  sec_whip_server_handle (server, &good, &response);
  g_assert_cmpuint (response.status, ==, 429);
  g_assert_cmpuint (response.retry_after_s, ==, 30);
  sec_whip_response_clear (&response);
  g_assert_cmpuint (status_of (server, &other, NULL), ==, 201);
  /* the window ends */
  good.now_us = 1000 + SEC_WHIP_SERVER_AUTH_WINDOW_S * G_USEC_PER_SEC;
  g_assert_cmpuint (status_of (server, &good, NULL), ==, 201);
  sec_whip_server_free (server);

  /* many addresses: the table stays bounded and works */
  server = server_new (4);
  for (guint i = 0; i < SEC_WHIP_SERVER_MAX_ADDRESSES + 100; i++) {
    gchar *peer = g_strdup_printf ("10.%u.%u.%u", i >> 16, (i >> 8) & 255,
        i & 255);
    SecWhipRequest r = post (peer, "Bearer nope", i);
    g_assert_cmpuint (status_of (server, &r, NULL), ==, 401);
    g_free (peer);
  }
  sec_whip_server_free (server);
}

static void
test_sessions (void)
{
  SecWhipServer *server = server_new (2);
  SecWhipRequest request = post ("10.0.0.1", AUTH, 0);
  SecWhipResponse response;
  gchar *etag = NULL, *id, *path, *other_path;
  const gchar *frag = "a=ice-ufrag:ufA1\r\na=ice-pwd:secretpassword1234567890\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"
      "a=candidate:1 1 UDP 2015363327 192.0.2.1 5000 typ host\r\n";

  g_assert_cmpuint (status_of (server, &request, NULL), ==, 201);
  id = sec_whip_server_add_session (server, "ufA1", &etag);
  g_assert_cmpuint (strlen (id), ==, 32);
  g_assert_cmpuint (sec_whip_server_n_sessions (server), ==, 1);
  path = sec_whip_server_session_path (server, id);
  g_assert_true (g_str_has_prefix (path, "/whip/"));
  g_assert_cmpstr (path + 6, ==, id);

  /* PATCH: trickle taken, the fragment parsed */
  request = post ("10.0.0.1", AUTH, 0);
  request.method = "PATCH";
  request.path = path;
  request.content_type = "application/trickle-ice-sdpfrag";
  request.body = frag;
  request.body_length = strlen (frag);
  sec_whip_server_handle (server, &request, &response);
  g_assert_cmpuint (response.status, ==, 204);
  g_assert_cmpint (response.action, ==, SEC_WHIP_ACTION_PATCH);
  g_assert_cmpstr (response.session_id, ==, id);
  g_assert_nonnull (response.frag);
  sec_whip_response_clear (&response);
  request.if_match = etag;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 204);
  request.if_match = "\"stale\"";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 412);
  request.if_match = NULL;
  request.content_type = "application/sdp";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 415);
  request.content_type = "application/trickle-ice-sdpfrag";
  request.body = "garbage";
  request.body_length = 7;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 400);
  /* new credentials: an ICE restart (RFC 9725 §4.3.2), which needs
   * If-Match and both credentials */
  request.body = "a=ice-ufrag:ufB2\r\na=ice-pwd:otherpassword1234567890\r\n";
  request.body_length = strlen (request.body);
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 428);
  request.if_match = "*";
  sec_whip_server_handle (server, &request, &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpint (response.action, ==, SEC_WHIP_ACTION_RESTART);
  g_assert_cmpstr (response.frag->ice_ufrag, ==, "ufB2");
  sec_whip_response_clear (&response);
  request.body = "a=ice-ufrag:ufB2\r\n";
  request.body_length = strlen (request.body);
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 400);
  /* once restarted: the new ufrag is trickle, the old ETag is stale */
  {
    gchar *new_etag = NULL;

    g_assert_true (sec_whip_server_restart_session (server, id, "ufB2",
            &new_etag));
    g_assert_cmpstr (new_etag, !=, etag);
    request.if_match = etag;
    g_assert_cmpuint (status_of (server, &request, NULL), ==, 412);
    request.if_match = new_etag;
    g_assert_cmpuint (status_of (server, &request, NULL), ==, 204);
    g_free (new_etag);
  }
  g_assert_false (sec_whip_server_restart_session (server, "nothere", "x",
          NULL));
  request.if_match = NULL;

  /* someone else's session, a sub-path, the endpoint: not ours to end */
  other_path = g_strdup_printf ("/whip/%032x", 7);
  request.method = "DELETE";
  request.path = other_path;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 404);
  request.path = "/whip/a/b";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 404);
  request.path = "/whip/";
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 405);
  /* without the token: 401, the session stays */
  request.path = path;
  request.authorization = NULL;
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 401);
  g_assert_cmpuint (sec_whip_server_n_sessions (server), ==, 1);
  request.authorization = AUTH;
  sec_whip_server_handle (server, &request, &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpint (response.action, ==, SEC_WHIP_ACTION_DELETE);
  g_assert_cmpstr (response.session_id, ==, id);
  sec_whip_response_clear (&response);
  sec_whip_server_remove_session (server, id);
  g_assert_cmpuint (status_of (server, &request, NULL), ==, 404);
  g_assert_cmpuint (sec_whip_server_n_sessions (server), ==, 0);

  g_free (other_path);
  g_free (path);
  g_free (etag);
  g_free (id);
  sec_whip_server_free (server);
}

static void
test_ice_ufrag (void)
{
  gchar *ufrag = sec_whip_sdp_ice_ufrag (OFFER, strlen (OFFER));

  g_assert_cmpstr (ufrag, ==, "ufA1");
  g_free (ufrag);
  g_assert_null (sec_whip_sdp_ice_ufrag ("v=0\n", 4));
  /* every prefix: no read past the end */
  for (gsize i = 0; i <= strlen (OFFER); i++) {
    gchar *prefix = g_strndup (OFFER, i);
    g_free (sec_whip_sdp_ice_ufrag (prefix, i));
    g_free (prefix);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/whipserver/post", test_post);
  g_test_add_func ("/whipserver/auth-and-order", test_auth_and_order);
  g_test_add_func ("/whipserver/rate-limit", test_rate_limit);
  g_test_add_func ("/whipserver/sessions", test_sessions);
  g_test_add_func ("/whipserver/ice-ufrag", test_ice_ufrag);
  return g_test_run ();
}
