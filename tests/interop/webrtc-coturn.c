/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secwebrtcbin calls relayed through coturn's turnserver, the independent
 * TURN server (RFC 8656), on loopback (issue 10). Two bins in this
 * process (the fixture tests/check/secwebrtcpair.c), the test doing the
 * signaling, both with ice-transport-policy=relay and turnserver as their
 * turn-server:
 *
 * - a call for each way of reaching the server: TURN over UDP
 *   (turn:...?transport=udp), over TCP (turn:...?transport=tcp) and over
 *   TLS (turns:..., through secice's TLS proxy; our test certificate is
 *   trusted through the bin's turn-tls-ca-file, and the test first makes a
 *   TLS handshake of its own with turnserver). VP8 video and Opus audio
 *   go both ways and are counted after the decoders; both bins reach
 *   connection-state connected, and both say in security-info that their
 *   selected pair is relay to relay. Every candidate either bin signals
 *   (on-ice-candidate, and any a=candidate in its descriptions) is a relay
 *   candidate on a relayed address of turnserver with no address of ours
 *   as raddr, and the descriptions' c= lines give no address either: no
 *   host address leaves. For TCP and TLS, turnserver's log must show one
 *   session of each bin on the port and the transport the URI asked for,
 *   ended once the bins are gone (and the bins must be gone once their
 *   pipelines are freed).
 * - a wrong TURN password: turnserver refuses the allocations, so there is
 *   no relay candidate and nothing else may be used. Both bins finish
 *   gathering without signaling a candidate, say so on their bus (the
 *   call cannot work), end in ice-connection-state and connection-state
 *   failed (no local candidate, so no pair can ever succeed) and decode
 *   nothing; their messages never show the password.
 *
 * turnserver (secturn.h) is started by each test and stopped by its PID.
 * Exits with 77 (skipped) only when turnserver or openssl is not
 * installed, and fails instead when the environment variable CI is set.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "secturn.h"
#include "secwebrtcpair.h"

#include <string.h>

/* bounds of the waits: a relayed call on loopback connects in well under
 * a second, and decodes FRAMES video frames (30/s) in about one more;
 * the bound leaves room for valgrind */
#define CALL_TIMEOUT_S 60
#define FRAMES 20
/* our own TLS handshake with turnserver (seconds under valgrind) */
#define TLS_CHECK_TIMEOUT_S 60

#define WRONG_PASSWORD "not-the-secret"

/* GstSecWebRTCIceTransportPolicy and GstSecWebRTCIceGatheringState */
#define POLICY_RELAY 1
#define GATHERING_COMPLETE 2

/* found by the suite function, the files made by the unchecked fixture,
 * before the tests fork */
static SecTurnSetup setup;

/* ---- a call through turnserver ---- */

typedef struct
{
  SecWebRTCPair *pair;
  SecTurn *turn;
  SecTurnTransport transport;
  /* protected by pair->lock */
  GPtrArray *candidates[2];     /* what each bin signaled, "" at the end */
  GPtrArray *sdp_problems;      /* lines of a description that leak */
} RelayCall;

/* on-ice-candidate, after the fixture's handler (which trickles it) */
static void
on_candidate (GstElement * bin, guint mline, const gchar * candidate,
    RelayCall * call)
{
  SecWebRTCPair *pair = call->pair;
  gint i = bin == pair->peer[0].bin ? 0 : 1;

  (void) mline;
  g_mutex_lock (&pair->lock);
  g_ptr_array_add (call->candidates[i], g_strdup (candidate ? candidate :
          ""));
  g_cond_broadcast (&pair->cond);
  g_mutex_unlock (&pair->lock);
}

static void
on_gathering_state (GObject * bin, GParamSpec * pspec, RelayCall * call)
{
  (void) bin;
  (void) pspec;
  g_mutex_lock (&call->pair->lock);
  g_cond_broadcast (&call->pair->cond);
  g_mutex_unlock (&call->pair->lock);
}

/* NULL if @candidate (with or without "a=" before "candidate:") is a
 * relay candidate on a relayed address of turnserver whose related
 * address, if any, is blank; otherwise what is wrong with it. */
static gchar *
candidate_problem (RelayCall * call, const gchar * candidate)
{
  gchar *type, *address, *port, *raddr, *problem = NULL;

  if (g_str_has_prefix (candidate, "a="))
    candidate += 2;
  type = sec_turn_candidate_word (candidate, SEC_TURN_CANDIDATE_TYPE, NULL);
  address = sec_turn_candidate_word (candidate, SEC_TURN_CANDIDATE_ADDRESS,
      NULL);
  port = sec_turn_candidate_word (candidate, SEC_TURN_CANDIDATE_PORT, NULL);
  raddr = sec_turn_candidate_word (candidate, 0, "raddr");
  if (g_strcmp0 (type, "relay") != 0)
    problem = g_strdup_printf ("a %s candidate under relay policy: %s",
        type ? type : "malformed", candidate);
  else if (port == NULL || !sec_turn_is_relayed_address (call->turn, address,
          g_ascii_strtoull (port, NULL, 10)))
    problem = g_strdup_printf ("%s is not on a relayed address of "
        "turnserver (127.0.0.1:%u-%u)", candidate, call->turn->relay_min,
        call->turn->relay_max);
  else if (raddr && !g_str_equal (raddr, "0.0.0.0") && !g_str_equal (raddr,
          "::"))
    problem = g_strdup_printf ("%s gives an address of ours as raddr",
        candidate);
  g_free (type);
  g_free (address);
  g_free (port);
  g_free (raddr);
  return problem;
}

/* SecWebRTCPairSdpHook: notes every line of a description that gives an
 * address away (a=candidate lines that are not relay candidates of
 * turnserver, c= lines other than 0.0.0.0); passes it on as it is. */
static gchar *
check_description (gint from, const gchar * type, const gchar * sdp,
    gpointer user_data)
{
  RelayCall *call = user_data;
  gchar **lines = g_strsplit (sdp, "\n", -1);
  guint i;

  for (i = 0; lines[i] != NULL; i++) {
    gchar *line = g_strstrip (lines[i]);
    gchar *problem = NULL;

    if (g_str_has_prefix (line, "a=candidate:"))
      problem = candidate_problem (call, line);
    else if (g_str_has_prefix (line, "c=")
        && !g_str_equal (line, "c=IN IP4 0.0.0.0"))
      problem = g_strdup_printf ("\"%s\" (only 0.0.0.0 gives no address)",
          line);
    if (problem) {
      g_mutex_lock (&call->pair->lock);
      g_ptr_array_add (call->sdp_problems, g_strdup_printf ("peer %d's %s: "
              "%s", from, type, problem));
      g_mutex_unlock (&call->pair->lock);
      g_free (problem);
    }
  }
  g_strfreev (lines);
  return NULL;
}

/* GSocketClient "event": our test certificate is the trust anchor of
 * the TLS connection it is about to handshake. */
static void
on_tls_client_event (GSocketClient * client, GSocketClientEvent event,
    GSocketConnectable * connectable, GIOStream * connection,
    GTlsDatabase * database)
{
  (void) client;
  (void) connectable;
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    g_tls_connection_set_database (G_TLS_CONNECTION (connection), database);
}

/* Two bins with ice-transport-policy=relay and @turn, reached over
 * @transport with @password (NULL: the right one), as their TURN server;
 * VP8 and Opus to send on both, playing, not negotiated yet. */
static RelayCall *
relay_call_new (SecTurn * turn, SecTurnTransport transport,
    const gchar * password)
{
  RelayCall *call = g_new0 (RelayCall, 1);
  gchar *uri = sec_turn_uri_new (turn, transport, password);
  gint i;

  sec_webrtc_pair_check_plugins ();
  call->pair = sec_webrtc_pair_new ();
  call->turn = turn;
  call->transport = transport;
  call->sdp_problems = g_ptr_array_new_with_free_func (g_free);
  call->pair->sdp_hook = check_description;
  call->pair->sdp_hook_data = call;
  for (i = 0; i < 2; i++) {
    SecWebRTCPeer *peer = &call->pair->peer[i];

    call->candidates[i] = g_ptr_array_new_with_free_func (g_free);
    g_object_set (peer->bin, "ice-transport-policy", POLICY_RELAY,
        "turn-server", uri, NULL);
    /* our test certificate is trusted for turns:// by this bin only */
    if (transport == SEC_TURN_TLS)
      g_object_set (peer->bin, "turn-tls-ca-file", setup.cert_path, NULL);
    g_signal_connect (peer->bin, "on-ice-candidate",
        G_CALLBACK (on_candidate), call);
    g_signal_connect (peer->bin, "notify::ice-gathering-state",
        G_CALLBACK (on_gathering_state), call);
    sec_webrtc_peer_add_video (peer);
    sec_webrtc_peer_add_audio (peer);
  }
  g_free (uri);
  sec_webrtc_pair_play (call->pair);
  return call;
}

/* Frees the call. Returns what went wrong (g_free) if a bin outlived its
 * pipeline: its ICE agent, and with it the TURN allocations, would stay. */
static gchar *
relay_call_free (RelayCall * call)
{
  GWeakRef bins[2];
  gchar *problem = NULL;
  gint i;

  for (i = 0; i < 2; i++) {
    g_signal_handlers_disconnect_by_data (call->pair->peer[i].bin, call);
    g_weak_ref_init (&bins[i], call->pair->peer[i].bin);
  }
  sec_webrtc_pair_free (call->pair);
  for (i = 0; i < 2; i++) {
    GObject *bin = g_weak_ref_get (&bins[i]);

    if (bin && problem == NULL)
      problem = g_strdup_printf ("peer %d's secwebrtcbin is still there (%u "
          "references) after its pipeline was stopped and freed", i,
          bin->ref_count - 1);
    if (bin)
      g_object_unref (bin);
    g_weak_ref_clear (&bins[i]);
    g_ptr_array_unref (call->candidates[i]);
  }
  g_ptr_array_unref (call->sdp_problems);
  g_free (call);
  return problem;
}

/* Every message peer @i's bus had (errors, then warnings), one a line. */
static gchar *
peer_messages (RelayCall * call, gint i)
{
  SecWebRTCPeer *peer = &call->pair->peer[i];
  GString *text = g_string_new (NULL);
  guint j;

  for (j = 0; j < peer->errors->len; j++)
    g_string_append_printf (text, "\n  peer %d error: %s", i,
        (gchar *) g_ptr_array_index (peer->errors, j));
  for (j = 0; j < peer->warnings->len; j++)
    g_string_append_printf (text, "\n  peer %d warning: %s", i,
        (gchar *) g_ptr_array_index (peer->warnings, j));
  return g_string_free (text, FALSE);
}

/* TRUE if a warning or error on @peer's bus contains @text; with the
 * pair's lock held. */
static gboolean
peer_said (SecWebRTCPeer * peer, const gchar * text)
{
  guint i;

  for (i = 0; i < peer->warnings->len; i++)
    if (strstr (g_ptr_array_index (peer->warnings, i), text))
      return TRUE;
  for (i = 0; i < peer->errors->len; i++)
    if (strstr (g_ptr_array_index (peer->errors, i), text))
      return TRUE;
  return FALSE;
}

/* Waits until both bins finished gathering (end of candidates signaled). */
static void
relay_call_wait_gathered (RelayCall * call, gint seconds)
{
  SecWebRTCPair *pair = call->pair;
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  gint i, state[2];

  g_mutex_lock (&pair->lock);
  for (;;) {
    for (i = 0; i < 2; i++)
      g_object_get (pair->peer[i].bin, "ice-gathering-state", &state[i],
          NULL);
    if (state[0] == GATHERING_COMPLETE && state[1] == GATHERING_COMPLETE)
      break;
    if (!g_cond_wait_until (&pair->cond, &pair->lock, end)) {
      gchar *m0 = peer_messages (call, 0), *m1 = peer_messages (call, 1);

      fail ("ice-gathering-state not complete after %d s (peer 0: %d, peer "
          "1: %d)%s%s; turnserver printed last:\n%s", seconds, state[0],
          state[1], m0, m1, sec_turn_log_tail (call->turn,
              SEC_TURN_LOG_TAIL_LINES));
    }
  }
  g_mutex_unlock (&pair->lock);
}

/* Each bin signaled a relay candidate at least, and nothing but relay
 * candidates of turnserver; neither description gave an address away. */
static void
relay_call_check_candidates (RelayCall * call)
{
  SecWebRTCPair *pair = call->pair;
  gint i;
  guint j;

  g_mutex_lock (&pair->lock);
  for (i = 0; i < 2; i++) {
    guint n_relay = 0;

    for (j = 0; j < call->candidates[i]->len; j++) {
      const gchar *candidate = g_ptr_array_index (call->candidates[i], j);
      gchar *problem;

      if (candidate[0] == '\0')
        continue;
      problem = candidate_problem (call, candidate);
      fail_unless (problem == NULL, "peer %d signaled %s", i, problem);
      n_relay++;
    }
    fail_unless (n_relay > 0, "peer %d signaled no relay candidate; "
        "turnserver printed last:\n%s", i, sec_turn_log_tail (call->turn,
            SEC_TURN_LOG_TAIL_LINES));
  }
  fail_unless (call->sdp_problems->len == 0, "%s",
      call->sdp_problems->len ? (const gchar *)
      g_ptr_array_index (call->sdp_problems, 0) : "");
  g_mutex_unlock (&pair->lock);
}

/* Both bins' security-info: the selected pair is relay to relay, over
 * UDP (the relayed address is UDP whatever the way to the server). */
static void
relay_call_check_selected_relay (RelayCall * call)
{
  gint i;

  for (i = 0; i < 2; i++) {
    GstStructure *info = NULL;
    gchar *text;

    g_object_get (call->pair->peer[i].bin, "security-info", &info, NULL);
    fail_unless (info != NULL, "peer %d: connected, but no security-info",
        i);
    text = gst_structure_to_string (info);
    GST_INFO ("peer %d: %s", i, text);
    fail_unless (g_strcmp0 (gst_structure_get_string (info,
                "local-candidate-type"), "relay") == 0
        && g_strcmp0 (gst_structure_get_string (info,
                "remote-candidate-type"), "relay") == 0, "peer %d's selected "
        "pair is not relay to relay: %s", i, text);
    fail_unless_equals_string (gst_structure_get_string (info,
            "local-candidate-protocol"), "udp");
    g_free (text);
    gst_structure_free (info);
  }
}

/* A TLS handshake with turnserver's TLS listener, our test certificate
 * the trust anchor, done by the test itself before the bins gather: it
 * checks that turns:// can work at all (the failure message names what
 * did not), and it makes the TLS library's one-time start (seconds under
 * valgrind, longer than libnice waits for a TURN server's answer) happen
 * before the bins' proxies need it. */
static void
turn_check_tls (SecTurn * turn)
{
  GSocketClient *client = g_socket_client_new ();
  GTlsDatabase *database;
  GSocketConnection *connection;
  GError *error = NULL;
  gchar *address = g_strdup_printf ("127.0.0.1:%u", turn->tls_port);

  database = g_tls_file_database_new (setup.cert_path, &error);
  fail_unless (database != NULL, "%s: %s", setup.cert_path,
      error ? error->message : "?");
  g_socket_client_set_tls (client, TRUE);
  g_socket_client_set_timeout (client, TLS_CHECK_TIMEOUT_S);
  g_signal_connect (client, "event", G_CALLBACK (on_tls_client_event),
      database);
  connection = g_socket_client_connect_to_host (client, address, 0, NULL,
      &error);
  fail_unless (connection != NULL, "no TLS connection to turnserver's TLS "
      "listener %s with our test certificate as the trust anchor: %s; "
      "turnserver printed last:\n%s", address, error ? error->message : "?",
      sec_turn_log_tail (turn, SEC_TURN_LOG_TAIL_LINES));
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_object_unref (connection);
  g_object_unref (database);
  g_object_unref (client);
  g_free (address);
}

/* ---- the cases ---- */

/* A call through turnserver reached over @transport: see the top of the
 * file. */
static void
run_relay_call (SecTurnTransport transport)
{
  gint64 start = g_get_monotonic_time ();
  gchar problem[512] = "";
  gchar *left = NULL;
  RelayCall *call;
  SecTurn turn;
  gint i;

  sec_turn_start (&turn, &setup);
  if (transport == SEC_TURN_TLS)
    turn_check_tls (&turn);
  call = relay_call_new (&turn, transport, NULL);
  sec_webrtc_pair_negotiate (call->pair, 0, NULL);
  sec_webrtc_pair_wait_state (call->pair, SEC_WEBRTC_PAIR_CONNECTED,
      CALL_TIMEOUT_S);
  relay_call_check_selected_relay (call);
  for (i = 0; i < 2; i++)
    sec_webrtc_peer_wait_frames (&call->pair->peer[i], FRAMES, FRAMES,
        CALL_TIMEOUT_S);
  /* every candidate, the late ones too */
  relay_call_wait_gathered (call, CALL_TIMEOUT_S);
  relay_call_check_candidates (call);
  for (i = 0; i < 2; i++) {
    gchar *messages = peer_messages (call, i);

    fail_unless (messages[0] == '\0', "a relayed call that went right, "
        "but:%s", messages);
    g_free (messages);
  }
  GST_INFO ("relayed call, TURN over %s: connected and decoding both ways "
      "in %" G_GINT64_FORMAT " ms", sec_turn_transport_name (transport),
      (g_get_monotonic_time () - start) / 1000);
  left = relay_call_free (call);

  /* turnserver's word on how the two bins' connections came (and that
   * they went with the bins) */
  if (left == NULL && transport != SEC_TURN_UDP) {
    guint16 port = transport == SEC_TURN_TLS ? turn.tls_port : turn.port;
    const gchar *expected = transport == SEC_TURN_TLS ? "TLS/TCP " : "TCP ";
    GPtrArray *reasons = sec_turn_wait_sessions_closed (&turn, port, 2);
    guint j;

    for (j = 0; j < reasons->len && problem[0] == '\0'; j++) {
      const gchar *reason = g_ptr_array_index (reasons, j);

      if (!g_str_has_prefix (reason, expected))
        g_snprintf (problem, sizeof (problem), "turnserver says a TURN "
            "session on 127.0.0.1:%u was not %s: it ended it with \"%s\", "
            "where a %s session ends with \"%s...\"", port,
            sec_turn_transport_name (transport), reason,
            sec_turn_transport_name (transport), expected);
    }
    g_ptr_array_unref (reasons);
  }
  sec_turn_stop (&turn);
  /* after the clean-up, so that a failure leaves nothing running (the
   * valgrind setup runs the tests without forking) */
  fail_unless (left == NULL, "%s", left);
  fail_unless (problem[0] == '\0', "%s", problem);
}

/* ---- tests ---- */

GST_START_TEST (test_elements_are_ours)
{
  sec_webrtc_pair_check_plugins ();
}

GST_END_TEST;

/* __i__: SEC_TURN_UDP, SEC_TURN_TCP or SEC_TURN_TLS */
GST_START_TEST (test_relay_call)
{
  run_relay_call ((SecTurnTransport) __i__);
}

GST_END_TEST;

/* Relay policy with a wrong TURN password: turnserver answers every
 * Allocate with 401 (RFC 8489 §9.2), so neither bin has a candidate it
 * may use. Both finish gathering having signaled none, report on their
 * bus that the call cannot work, never reach connected and decode no
 * frame; no message shows the password. */
GST_START_TEST (test_wrong_password)
{
  gchar *left;
  RelayCall *call;
  SecTurn turn;
  gint64 end;
  gint i;
  guint j;

  sec_turn_start (&turn, &setup);
  call = relay_call_new (&turn, SEC_TURN_UDP, WRONG_PASSWORD);
  sec_webrtc_pair_negotiate (call->pair, 0, NULL);
  relay_call_wait_gathered (call, CALL_TIMEOUT_S);

  g_mutex_lock (&call->pair->lock);
  end = g_get_monotonic_time () + CALL_TIMEOUT_S * G_USEC_PER_SEC;
  for (i = 0; i < 2; i++) {
    SecWebRTCPeer *peer = &call->pair->peer[i];

    /* the only thing signaled: the end of candidates */
    for (j = 0; j < call->candidates[i]->len; j++)
      fail_unless_equals_string ((const gchar *)
          g_ptr_array_index (call->candidates[i], j), "");
    /* said on the bus (before the end of gathering): a relay-only call
     * without a relay candidate */
    while (!peer_said (peer, "ice-transport-policy=relay"))
      fail_unless (g_cond_wait_until (&call->pair->cond, &call->pair->lock,
              end), "peer %d: turnserver refused its TURN credentials and "
          "it has no candidate to use under ice-transport-policy=relay, "
          "but no warning or error on its bus says so %d s after gathering "
          "ended (connection-state %d)%s; turnserver printed last:\n%s", i,
          CALL_TIMEOUT_S, sec_webrtc_peer_state (peer),
          peer_messages (call, i), sec_turn_log_tail (&turn,
              SEC_TURN_LOG_TAIL_LINES));
  }
  /* with no local candidate ICE can never connect: both bins say
   * failed (W3C: gathering complete, every pair, of none, failed) */
  end = g_get_monotonic_time () + CALL_TIMEOUT_S * G_USEC_PER_SEC;
  while ((sec_webrtc_peer_state (&call->pair->peer[0]) !=
          SEC_WEBRTC_PAIR_FAILED
          || sec_webrtc_peer_state (&call->pair->peer[1]) !=
          SEC_WEBRTC_PAIR_FAILED)
      && g_cond_wait_until (&call->pair->cond, &call->pair->lock, end));
  for (i = 0; i < 2; i++) {
    SecWebRTCPeer *peer = &call->pair->peer[i];
    gchar *messages = peer_messages (call, i);
    gint ice_state;

    g_object_get (peer->bin, "ice-connection-state", &ice_state, NULL);
    fail_unless_equals_int (sec_webrtc_peer_state (peer),
        SEC_WEBRTC_PAIR_FAILED);
    fail_unless_equals_int (ice_state, 4);      /* failed */
    fail_unless (peer_said (peer, "no local candidate"), "peer %d: no "
        "warning says it gathered no candidate:%s", i, messages);
    fail_unless_equals_int (peer->video_frames, 0);
    fail_unless_equals_int (peer->audio_frames, 0);
    fail_unless (strstr (messages, WRONG_PASSWORD) == NULL, "the password "
        "in a message:%s", messages);
    GST_INFO ("peer %d, wrong TURN password, connection-state %d:%s", i,
        sec_webrtc_peer_state (peer), messages);
    g_free (messages);
  }
  g_mutex_unlock (&call->pair->lock);
  left = relay_call_free (call);
  sec_turn_stop (&turn);
  fail_unless (left == NULL, "%s", left);
}

GST_END_TEST;

/* ---- fixture: a directory with turnserver's certificate ---- */

static void
certificate_make (void)
{
  sec_turn_setup_make_files (&setup, "secwebrtc-coturn-XXXXXX");
}

static void
certificate_remove (void)
{
  sec_turn_setup_remove_files (&setup);
}

static Suite *
webrtc_coturn_suite (void)
{
  Suite *s = suite_create ("webrtc-coturn");
  TCase *tc_env = tcase_create ("environment");
  TCase *tc = tcase_create ("relay-only");

  sec_turn_setup_find_programs (&setup);

  suite_add_tcase (s, tc_env);
  tcase_add_test (tc_env, test_elements_are_ours);

  /* the directory is made and removed by this process, not by the forked
   * test processes, so it goes whatever the tests do */
  suite_add_tcase (s, tc);
  tcase_add_unchecked_fixture (tc, certificate_make, certificate_remove);
  tcase_add_loop_test (tc, test_relay_call, SEC_TURN_UDP, SEC_TURN_TLS + 1);
  tcase_add_test (tc, test_wrong_password);
  return s;
}

GST_CHECK_MAIN (webrtc_coturn);
