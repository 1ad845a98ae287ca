/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: a sequence of requests to a WHIP endpoint's rules
 * (ext/whip/whipserver.c, what secwhipserversrc answers before any WebRTC
 * work). The input is requests separated by a 0xff byte; each is lines
 * (method, path, peer, origin, authorization, content-type, if-match,
 * then the body), "-" for an absent field. Checked: only the statuses the
 * rules know; a CREATE, DELETE or PATCH only with the right token and an
 * allowed or absent origin; a DELETE/PATCH only of a session that exists;
 * no more sessions than max-sessions; a reason that never quotes the
 * token. A CREATE becomes a session (or is released), so DELETE and
 * PATCH reach real sessions: the path "@" names the last one made.
 *
 * Built as a libFuzzer target with clang and, with any compiler, linked to
 * replay-main.c, which runs the corpus as a regression test.
 */
#include "whipserver.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

#define TOKEN "fuzz-T0ken"
#define MAX_SESSIONS 3

static const gchar *
field (gchar ** lines, guint n, guint i)
{
  if (i >= n || strcmp (lines[i], "-") == 0)
    return NULL;
  return lines[i];
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  static const gchar *const origins[] = { "https://ok.example", NULL };
  static const guint known[] = { 200, 201, 204, 400, 401, 403, 404, 405,
    411, 412, 413, 415, 428, 429, 503
  };
  SecWhipServer *server = sec_whip_server_new ("/whip", TOKEN, origins,
      MAX_SESSIONS);
  gchar *text = g_strndup ((const gchar *) data, MIN (size, 256 * 1024));
  gchar **requests = g_strsplit (text, "\xff", 64);
  gchar *last = NULL, *last_path = NULL;
  GHashTable *live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  gint64 now = 0;

  for (gchar ** r = requests; *r != NULL; r++) {
    gchar **lines = g_strsplit (*r, "\n", 8);
    guint n = g_strv_length (lines);
    SecWhipRequest request = { 0, };
    SecWhipResponse response;
    gboolean known_status = FALSE;
    const gchar *path = field (lines, n, 1);

    request.method = field (lines, n, 0);
    request.path = path != NULL && strcmp (path, "@") == 0 ? last_path : path;
    request.peer = field (lines, n, 2);
    request.origin = field (lines, n, 3);
    request.authorization = field (lines, n, 4);
    request.content_type = field (lines, n, 5);
    request.if_match = field (lines, n, 6);
    request.body = field (lines, n, 7);
    request.body_length = request.body ? strlen (request.body) : 0;
    request.content_length = request.body ? (gint64) request.body_length : -1;
    request.now_us = now;
    now += 7 * G_USEC_PER_SEC;

    sec_whip_server_handle (server, &request, &response);
    for (guint i = 0; i < G_N_ELEMENTS (known); i++)
      known_status |= response.status == known[i];
    if (!known_status || response.reason == NULL
        || strstr (response.reason, TOKEN) != NULL)
      abort ();
    if (response.action != SEC_WHIP_ACTION_NONE || response.ice_servers) {
      gchar *expected = g_strconcat ("Bearer ", TOKEN, NULL);
      /* a token check, as the rule says: the scheme in any case */
      if (request.authorization == NULL
          || g_ascii_strncasecmp (request.authorization, "bearer ", 7) != 0
          || strstr (request.authorization, TOKEN) == NULL)
        abort ();
      if (request.origin != NULL
          && g_ascii_strcasecmp (request.origin, origins[0]) != 0)
        abort ();
      g_free (expected);
    }
    switch (response.action) {
      case SEC_WHIP_ACTION_CREATE:
        if (sec_whip_server_n_sessions (server) > MAX_SESSIONS)
          abort ();
        if (request.body_length % 2 == 0) {
          gchar *ufrag = sec_whip_sdp_ice_ufrag (request.body,
              request.body_length);
          g_free (last);
          last = sec_whip_server_add_session (server, ufrag, NULL);
          g_free (ufrag);
          g_free (last_path);
          last_path = sec_whip_server_session_path (server, last);
          g_hash_table_add (live, g_strdup (last));
        } else
          sec_whip_server_release (server);
        break;
      case SEC_WHIP_ACTION_DELETE:
        if (!g_hash_table_remove (live, response.session_id))
          abort ();
        sec_whip_server_remove_session (server, response.session_id);
        break;
      case SEC_WHIP_ACTION_PATCH:
        if (!g_hash_table_contains (live, response.session_id)
            || response.frag == NULL)
          abort ();
        break;
      case SEC_WHIP_ACTION_RESTART:
        /* new credentials, both, and a precondition */
        if (!g_hash_table_contains (live, response.session_id)
            || response.frag == NULL || response.frag->ice_ufrag == NULL
            || response.frag->ice_pwd == NULL || request.if_match == NULL)
          abort ();
        if (!sec_whip_server_restart_session (server, response.session_id,
                response.frag->ice_ufrag, NULL))
          abort ();
        break;
      case SEC_WHIP_ACTION_NONE:
        break;
    }
    if (sec_whip_server_n_sessions (server) != g_hash_table_size (live))
      abort ();
    sec_whip_response_clear (&response);
    g_strfreev (lines);
  }

  g_hash_table_unref (live);
  g_free (last);
  g_free (last_path);
  g_strfreev (requests);
  g_free (text);
  sec_whip_server_free (server);
  return 0;
}
