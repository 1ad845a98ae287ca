/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secicesrc and secicesink against coturn's turnserver, the independent
 * TURN server (RFC 8656), on loopback. Two ICE transports in this
 * process, each its own pipeline (appsrc ! secicesink, secicesrc !
 * appsink), the test doing the signaling:
 *
 * - relay only (ice-transport-policy=relay on both), for each way of
 *   reaching the server: TURN over UDP (turn:...?transport=udp), over TCP
 *   (turn:...?transport=tcp) and over TLS (turns:..., RFC 7065). Both
 *   transports gather relay candidates from turnserver, trickle them and
 *   connect through two allocations: both selected pairs must be relay to
 *   relay, on turnserver's relayed addresses, and datagrams must cross
 *   both ways byte for byte. Every candidate either side signals must be
 *   a relay candidate on a relayed address of turnserver: no host or
 *   server-reflexive address of ours leaves. For TCP and TLS, turnserver's
 *   log must show our sessions on the port and the transport the URI
 *   asked for ("TLS/TCP" for turns:).
 * - relay only, the related address: what a relay candidate gives as
 *   raddr is an address of ours (the TURN-mapped address, RFC 8839 §5.1,
 *   or the local base), so under relay policy it must be blanked
 *   (0.0.0.0), as libwebrtc does.
 * - relay only with a wrong TURN password: turnserver refuses every
 *   allocation, nothing is signaled, and each side says so on its bus.
 * - policy all with the TURN server: relay candidates are gathered
 *   alongside the host ones, and the transports connect.
 *
 * - turns:// goes through secice's TLS proxy (libnice 0.1.21 has no TLS
 *   client for TURN and would connect in plain TCP, which turnserver
 *   accepts on its TLS port): turnserver's log must show TLS sessions;
 *   with an untrusted certificate there is no relay candidate at all.
 *
 * turnserver (secturn.h: loopback only, one long-term-credential user,
 * UDP+TCP and TLS listeners, a relay range) is started by each test and
 * stopped by its PID.
 *
 * Exits with 77 (skipped) only when turnserver or openssl is not
 * installed, and fails instead when the environment variable CI is set.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "secicepair.h"
#include "secturn.h"

#include <string.h>

/* bounds of every wait; on loopback each takes milliseconds */
#define ICE_TIMEOUT_US (20 * G_USEC_PER_SEC)
#define N_DATAGRAMS 20

#define WRONG_PASSWORD "not-the-secret"

/* values of GstSecIcePolicy */
enum
{
  POLICY_ALL,
  POLICY_RELAY,
};

/* found by the suite function, the files made by the unchecked fixture,
 * before the tests fork */
static SecTurnSetup setup;

/* ---- two ICE transports (secicepair.h) through turnserver ---- */

static gboolean trust_test_certificate = TRUE;

/* SecIcePairDetailFunc: the end of the fixture's failure messages */
static gchar *
turn_failure_detail (gpointer turn)
{
  return g_strdup_printf ("; turnserver printed last:\n%s",
      sec_turn_log_tail (turn, SEC_TURN_LOG_TAIL_LINES));
}

/* Two transports (sec_ice_pair_new ()) with @policy and @turn reached over
 * @transport; the fixture's waits are bounded by ICE_TIMEOUT_US and its
 * failure messages end with what turnserver printed last. */
static SecIcePair *
turn_pair_new (gint policy, SecTurn * turn, SecTurnTransport transport)
{
  SecIcePair *p = sec_ice_pair_new ();
  gchar *uri = sec_turn_uri_new (turn, transport, NULL);
  gint i;

  p->wait_us = ICE_TIMEOUT_US;
  sec_ice_pair_set_failure_detail (p, turn_failure_detail, turn);
  for (i = 0; i < 2; i++) {
    g_object_set (p->side[i].transport, "ice-transport-policy", policy,
        "turn-server", uri, NULL);
    /* our test certificate is the trust anchor for turns:// */
    if (transport == SEC_TURN_TLS && trust_test_certificate)
      g_object_set (p->side[i].transport, "turn-tls-ca-file", setup.cert_path,
          NULL);
  }
  g_free (uri);
  return p;
}

/* The number of candidates side @s signaled of type @type ("relay"). */
static guint
side_count_candidates (SecIceSide * s, const gchar * type)
{
  guint i, n = 0;

  g_mutex_lock (&s->pair->lock);
  for (i = 0; i < s->candidates->len; i++) {
    gchar *candidate_type = sec_turn_candidate_word (g_ptr_array_index
        (s->candidates, i), SEC_TURN_CANDIDATE_TYPE, NULL);

    if (g_strcmp0 (candidate_type, type) == 0)
      n++;
    g_free (candidate_type);
  }
  g_mutex_unlock (&s->pair->lock);
  return n;
}

/* Side @s signaled a relay candidate at least, and every candidate it
 * signaled is a relay candidate on a relayed address of turnserver. */
static void
side_check_relay_only (SecIceSide * s, SecTurn * turn)
{
  guint i;

  g_mutex_lock (&s->pair->lock);
  fail_unless (s->candidates->len > 0, "side %d gathered no relay "
      "candidate; turnserver printed last:\n%s", s->index,
      sec_turn_log_tail (turn, SEC_TURN_LOG_TAIL_LINES));
  for (i = 0; i < s->candidates->len; i++) {
    const gchar *candidate = g_ptr_array_index (s->candidates, i);
    gchar *type = sec_turn_candidate_word (candidate,
        SEC_TURN_CANDIDATE_TYPE, NULL);
    gchar *address = sec_turn_candidate_word (candidate,
        SEC_TURN_CANDIDATE_ADDRESS, NULL);
    gchar *port = sec_turn_candidate_word (candidate,
        SEC_TURN_CANDIDATE_PORT, NULL);

    fail_unless (g_strcmp0 (type, "relay") == 0, "side %d signaled a "
        "%s candidate under relay policy: %s", s->index, type, candidate);
    fail_unless (port && sec_turn_is_relayed_address (turn, address,
            g_ascii_strtoull (port, NULL, 10)), "side %d: %s is not on "
        "a relayed address of turnserver (127.0.0.1:%u-%u)", s->index,
        candidate, turn->relay_min, turn->relay_max);
    g_free (type);
    g_free (address);
    g_free (port);
  }
  g_mutex_unlock (&s->pair->lock);
}

/* Both selected pairs are relay candidate to relay candidate, each on a
 * relayed address of turnserver. */
static void
pair_check_selected_relay (SecIcePair * p, SecTurn * turn)
{
  gint i;

  for (i = 0; i < 2; i++) {
    GstStructure *selected = NULL;
    guint local_port = 0, remote_port = 0;

    g_object_get (p->side[i].transport, "selected-pair", &selected, NULL);
    fail_unless (selected != NULL, "side %d: no selected pair", i);
    GST_INFO ("side %d: %" GST_PTR_FORMAT, i, selected);
    fail_unless_equals_string (gst_structure_get_string (selected,
            "local-type"), "relay");
    fail_unless_equals_string (gst_structure_get_string (selected,
            "remote-type"), "relay");
    /* the relayed address is UDP whatever the way to the server */
    fail_unless_equals_string (gst_structure_get_string (selected,
            "local-protocol"), "udp");
    fail_unless (gst_structure_get_uint (selected, "local-port",
            &local_port));
    fail_unless (gst_structure_get_uint (selected, "remote-port",
            &remote_port));
    fail_unless (sec_turn_is_relayed_address (turn, gst_structure_get_string
            (selected, "local-address"), local_port), "side %d: %"
        GST_PTR_FORMAT, i, selected);
    fail_unless (sec_turn_is_relayed_address (turn, gst_structure_get_string
            (selected, "remote-address"), remote_port), "side %d: %"
        GST_PTR_FORMAT, i, selected);
    gst_structure_free (selected);
  }
}

/* ---- the cases ---- */

/* ice-transport-policy=relay on both sides, through turnserver reached
 * over @transport: see the top of the file. */
static void
run_relay_only (SecTurnTransport transport)
{
  gint64 start = g_get_monotonic_time ();
  gchar problem[512] = "";
  SecIcePair *p;
  SecTurn turn;
  gint i;

  sec_ice_pair_check_plugins ();
  sec_turn_start (&turn, &setup);
  p = turn_pair_new (POLICY_RELAY, &turn, transport);
  sec_ice_pair_start (p);
  sec_ice_pair_wait_gathered (p);
  for (i = 0; i < 2; i++)
    side_check_relay_only (&p->side[i], &turn);
  sec_ice_pair_wait_connected (p);
  pair_check_selected_relay (p, &turn);
  sec_ice_pair_check_data (p, 0, N_DATAGRAMS);
  sec_ice_pair_check_data (p, 1, N_DATAGRAMS);
  /* still nothing but relay candidates after the checks */
  for (i = 0; i < 2; i++)
    side_check_relay_only (&p->side[i], &turn);
  GST_INFO ("relay only, TURN over %s: connected and checked in %"
      G_GINT64_FORMAT " ms", sec_turn_transport_name (transport),
      (g_get_monotonic_time () - start) / 1000);
  sec_ice_pair_free (p);

  /* turnserver's word on how our two connections (one per side) came */
  if (transport != SEC_TURN_UDP) {
    guint16 port = transport == SEC_TURN_TLS ? turn.tls_port : turn.port;
    const gchar *expected = transport == SEC_TURN_TLS ? "TLS/TCP " : "TCP ";
    GPtrArray *reasons = sec_turn_wait_sessions_closed (&turn, port, 2);
    guint j;

    for (j = 0; j < reasons->len && problem[0] == '\0'; j++) {
      const gchar *reason = g_ptr_array_index (reasons, j);

      if (!g_str_has_prefix (reason, expected))
        g_snprintf (problem, sizeof (problem), "turnserver says our TURN "
            "session on 127.0.0.1:%u was not %s: it ended it with \"%s\", "
            "where a %s session ends with \"%s...\"", port,
            sec_turn_transport_name (transport), reason,
            sec_turn_transport_name (transport), expected);
    }
    g_ptr_array_unref (reasons);
  }
  sec_turn_stop (&turn);
  /* after the clean-up, so that a known failure leaves nothing running
   * (the valgrind setup runs the tests without forking) */
  fail_unless (problem[0] == '\0', "%s%s", problem, transport == SEC_TURN_TLS ?
      ". The relay worked, but the TURN requests (our username among them) "
      "and the relayed data crossed in the clear" : "");
}

/* RFC 8839 §5.1 puts the TURN-mapped address in a relay candidate's
 * raddr/rport: an address of ours, as is the local base libnice puts
 * there. Under relay policy nothing of ours may leave, so it must be
 * blanked ("raddr 0.0.0.0 rport 0", as libwebrtc does when the policy
 * excludes reflexive candidates) or left out. */
static void
run_relay_only_related_address (SecTurnTransport transport)
{
  gchar problem[512] = "";
  SecIcePair *p;
  SecTurn turn;
  gint i;
  guint j;

  sec_ice_pair_check_plugins ();
  sec_turn_start (&turn, &setup);
  p = turn_pair_new (POLICY_RELAY, &turn, transport);
  sec_ice_pair_start (p);
  sec_ice_pair_wait_gathered (p);
  for (i = 0; i < 2; i++) {
    SecIceSide *s = &p->side[i];

    side_check_relay_only (s, &turn);
    g_mutex_lock (&p->lock);
    for (j = 0; j < s->candidates->len && problem[0] == '\0'; j++) {
      const gchar *candidate = g_ptr_array_index (s->candidates, j);
      gchar *raddr = sec_turn_candidate_word (candidate, 0, "raddr");

      if (raddr && !g_str_equal (raddr, "0.0.0.0") && !g_str_equal (raddr,
              "::"))
        g_snprintf (problem, sizeof (problem), "side %d signaled \"%s\"",
            i, candidate);
      g_free (raddr);
    }
    g_mutex_unlock (&p->lock);
  }
  sec_ice_pair_free (p);
  sec_turn_stop (&turn);
  /* after the clean-up, so that a known failure leaves nothing running
   * (the valgrind setup runs the tests without forking) */
  fail_unless (problem[0] == '\0', "%s under ice-transport-policy=relay: "
      "its raddr/rport is our own local address (libnice gives a relay "
      "candidate's base, the local socket it reaches turnserver from, and "
      "secicetransport passes it on); with relay policy it must be 0.0.0.0 "
      "or absent", problem);
}

/* ---- tests ---- */

GST_START_TEST (test_elements_are_ours)
{
  sec_ice_pair_check_plugins ();
}

GST_END_TEST;

/* __i__: SEC_TURN_UDP or SEC_TURN_TCP */
GST_START_TEST (test_relay_only)
{
  run_relay_only ((SecTurnTransport) __i__);
}

GST_END_TEST;

/* known bug: turns: is plain TCP */
/* turns:// over our TLS proxy (libnice 0.1.21 has no TLS client): the
 * same checks as the other relay cases, and turnserver must have seen TLS
 * sessions ("TLS/TCP") from both sides. */
GST_START_TEST (test_relay_only_turns)
{
  trust_test_certificate = TRUE;
  run_relay_only (SEC_TURN_TLS);
}

GST_END_TEST;

/* A turns:// server whose certificate is not trusted (no CA file: the
 * system's store does not know our self-signed test certificate) gives no
 * relay candidate at all: the TLS proxy refuses it, nothing is sent in
 * the clear instead. */
GST_START_TEST (test_turns_untrusted)
{
  SecIcePair *p;
  SecTurn turn;
  GstBus *bus;
  GstMessage *msg;
  GError *error = NULL;
  gchar *debug = NULL;
  gint i;

  sec_ice_pair_check_plugins ();
  sec_turn_start (&turn, &setup);
  trust_test_certificate = FALSE;
  p = turn_pair_new (POLICY_RELAY, &turn, SEC_TURN_TLS);
  trust_test_certificate = TRUE;
  bus = gst_element_get_bus (p->side[0].pipeline);
  sec_ice_pair_start (p);
  /* the refusal is reported (libnice itself gives up on the server only
   * after its own, much longer, TURN timeout) */
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
      GST_MESSAGE_WARNING);
  fail_unless (msg != NULL, "no warning about the untrusted TURN server");
  gst_message_parse_warning (msg, &error, &debug);
  fail_unless (strstr (debug, "not trusted") != NULL, "%s", debug);
  fail_unless (strstr (debug, SEC_TURN_PASSWORD) == NULL, "password shown");
  g_clear_error (&error);
  g_free (debug);
  gst_message_unref (msg);
  gst_object_unref (bus);
  for (i = 0; i < 2; i++) {
    GstStructure *stats = NULL;
    guint tls = 99;

    g_mutex_lock (&p->lock);
    fail_unless_equals_int (p->side[i].candidates->len, 0);
    g_mutex_unlock (&p->lock);
    g_object_get (p->side[i].transport, "stats", &stats, NULL);
    fail_unless (gst_structure_get_uint (stats, "turn-tls-connections",
            &tls));
    fail_unless_equals_int (tls, 0);
    gst_structure_free (stats);
  }
  sec_ice_pair_free (p);
  sec_turn_stop (&turn);
}

GST_END_TEST;

/* Relay policy with a wrong TURN password: turnserver answers every
 * Allocate with 401 (RFC 8489 §9.2), so there is no relay candidate and
 * nothing to connect with. Each side ends gathering having signaled
 * nothing and says on its bus why nothing can connect, without the
 * password. */
GST_START_TEST (test_relay_only_wrong_password)
{
  SecIcePair *p;
  SecTurn turn;
  gchar *uri;
  gint i;

  sec_ice_pair_check_plugins ();
  sec_turn_start (&turn, &setup);
  p = turn_pair_new (POLICY_RELAY, &turn, SEC_TURN_UDP);
  uri = sec_turn_uri_new (&turn, SEC_TURN_UDP, WRONG_PASSWORD);
  for (i = 0; i < 2; i++)
    g_object_set (p->side[i].transport, "turn-server", uri, NULL);
  g_free (uri);
  sec_ice_pair_start (p);
  sec_ice_pair_wait_gathered (p);
  for (i = 0; i < 2; i++) {
    GstBus *bus = gst_element_get_bus (p->side[i].pipeline);
    GstMessage *msg;
    GError *error = NULL;
    gchar *debug = NULL;

    g_mutex_lock (&p->lock);
    fail_unless_equals_int (p->side[i].candidates->len, 0);
    g_mutex_unlock (&p->lock);
    /* posted before the end of gathering was signaled */
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
    fail_unless (msg != NULL, "side %d: turnserver refused its TURN "
        "credentials, so under ice-transport-policy=relay it has no "
        "candidate, but it posted no warning about it; turnserver printed "
        "last:\n%s", i, sec_turn_log_tail (&turn, SEC_TURN_LOG_TAIL_LINES));
    gst_message_parse_warning (msg, &error, &debug);
    GST_INFO ("side %d: %s (%s)", i, error->message, debug);
    fail_unless (strstr (error->message, "relay") != NULL, "%s",
        error->message);
    fail_unless (strstr (debug, WRONG_PASSWORD) == NULL, "password shown");
    fail_if (sec_ice_side_is_connected (&p->side[i]));
    g_clear_error (&error);
    g_free (debug);
    gst_message_unref (msg);
    gst_object_unref (bus);
  }
  sec_ice_pair_free (p);
  sec_turn_stop (&turn);
}

GST_END_TEST;

/* under relay policy, raddr gives no address of ours away; __i__:
 * SEC_TURN_UDP or SEC_TURN_TCP */
GST_START_TEST (test_relay_only_related_address)
{
  run_relay_only_related_address ((SecTurnTransport) __i__);
}

GST_END_TEST;

/* ice-transport-policy=all with the TURN server: host and relay
 * candidates both, and a connection */
GST_START_TEST (test_policy_all)
{
  SecIcePair *p;
  SecTurn turn;
  gint i;

  sec_ice_pair_check_plugins ();
  sec_turn_start (&turn, &setup);
  p = turn_pair_new (POLICY_ALL, &turn, SEC_TURN_UDP);
  sec_ice_pair_start (p);
  sec_ice_pair_wait_gathered (p);
  for (i = 0; i < 2; i++) {
    fail_unless (side_count_candidates (&p->side[i], "host") >= 1,
        "side %d signaled no host candidate", i);
    fail_unless (side_count_candidates (&p->side[i], "relay") >= 1,
        "side %d signaled no relay candidate; turnserver printed last:\n%s",
        i, sec_turn_log_tail (&turn, SEC_TURN_LOG_TAIL_LINES));
  }
  sec_ice_pair_wait_connected (p);
  sec_ice_pair_check_data (p, 0, 5);
  sec_ice_pair_check_data (p, 1, 5);
  sec_ice_pair_free (p);
  sec_turn_stop (&turn);
}

GST_END_TEST;

/* ---- fixture: a directory with turnserver's certificate ---- */

static void
certificate_make (void)
{
  sec_turn_setup_make_files (&setup, "secice-coturn-XXXXXX");
}

static void
certificate_remove (void)
{
  sec_turn_setup_remove_files (&setup);
}

/* A test case whose tests turnserver serves; the directory with its
 * certificate is made and removed by this process, not by the forked
 * test processes, so it goes whatever the tests do. */
static TCase *
turn_tcase_new (Suite * s, const gchar * name, const gchar * tags)
{
  TCase *tc = tcase_create (name);

  if (tags)
    tcase_set_tags (tc, tags);
  suite_add_tcase (s, tc);
  tcase_add_unchecked_fixture (tc, certificate_make, certificate_remove);
  return tc;
}

static Suite *
ice_coturn_suite (void)
{
  Suite *s = suite_create ("ice-coturn");
  TCase *tc_env = tcase_create ("environment");
  TCase *tc;

  sec_turn_setup_find_programs (&setup);

  suite_add_tcase (s, tc_env);
  tcase_add_test (tc_env, test_elements_are_ours);

  tc = turn_tcase_new (s, "relay-only", NULL);
  tcase_add_loop_test (tc, test_relay_only, SEC_TURN_UDP, SEC_TURN_TCP + 1);

  tc = turn_tcase_new (s, "relay-only-wrong-password", NULL);
  tcase_add_test (tc, test_relay_only_wrong_password);

  tc = turn_tcase_new (s, "policy-all", NULL);
  tcase_add_test (tc, test_policy_all);

  tc = turn_tcase_new (s, "relay-only-turns", NULL);
  tcase_add_test (tc, test_relay_only_turns);
  tcase_add_test (tc, test_turns_untrusted);

  tc = turn_tcase_new (s, "relay-only-related-address", NULL);
  tcase_add_loop_test (tc, test_relay_only_related_address, SEC_TURN_UDP,
      SEC_TURN_TCP + 1);
  return s;
}

GST_CHECK_MAIN (ice_coturn);
