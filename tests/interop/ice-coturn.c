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
 * - policy all with the TURN server: relay candidates are gathered
 *   alongside the host ones, and the transports connect.
 *
 * - turns:// goes through secice's TLS proxy (libnice 0.1.21 has no TLS
 *   client for TURN and would connect in plain TCP, which turnserver
 *   accepts on its TLS port): turnserver's log must show TLS sessions;
 *   with an untrusted certificate there is no relay candidate at all.
 *
 * turnserver runs without a configuration file, on 127.0.0.1 only, with
 * one static long-term-credential user, a UDP+TCP listener and a TLS
 * listener on free ports, relayed addresses from a small free range, and
 * loopback peers allowed (otherwise it refuses to relay to 127.0.0.1).
 * Its certificate is made with "openssl req" in a temporary directory
 * that also holds its database and pid file. Each test starts its own
 * turnserver and stops it by PID (secpeer.h); it gets SIGKILL if the test
 * process dies.
 *
 * Exits with 77 (skipped) only when turnserver or openssl is not
 * installed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "secicepair.h"
#include "secpeer.h"

#include <string.h>

#define TURN_USER "test"
#define TURN_PASSWORD "secret"
#define TURN_REALM "test"

/* turnserver's relayed addresses: a range of free UDP ports below the
 * usual ephemeral range (32768 up), where the ICE host sockets are */
#define RELAY_RANGE_SIZE 32
#define RELAY_RANGE_LOW 20000
#define RELAY_RANGE_HIGH 32768

/* bounds of every wait; on loopback each takes milliseconds */
#define SERVER_READY_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define ICE_TIMEOUT_US (20 * G_USEC_PER_SEC)
#define SESSION_LOG_TIMEOUT_US (5 * G_USEC_PER_SEC)
#define PROBE_MIN_WAIT_US (20 * G_TIME_SPAN_MILLISECOND)
#define PROBE_MAX_WAIT_US (250 * G_TIME_SPAN_MILLISECOND)
#define N_DATAGRAMS 20
#define LOG_TAIL_LINES 30
/* free ports may be taken by another process before turnserver binds */
#define TURN_START_ATTEMPTS 5

/* values of GstSecIcePolicy */
enum
{
  POLICY_ALL,
  POLICY_RELAY,
};

typedef enum
{
  TURN_UDP,
  TURN_TCP,
  TURN_TLS,
} TurnTransport;

static const gchar *const turn_transport_names[] = { "UDP", "TCP", "TLS" };

/* set before the tests fork: the programs by the suite setup, the rest by
 * the unchecked fixture */
static gchar *turnserver_path;
static gchar *openssl_path;
static gchar *work_dir;
static gchar *cert_path;
static gchar *key_path;

/* ---- turnserver ---- */

typedef struct
{
  SecPeer peer;
  guint16 port;                 /* UDP and TCP */
  guint16 tls_port;
  guint16 relay_min, relay_max;
} Turn;

/* The last @n_lines lines of what @turn printed, for failure messages. */
static const gchar *
turn_log_tail (Turn * turn, guint n_lines)
{
  const gchar *text, *end, *p;

  sec_peer_drain (&turn->peer);
  text = turn->peer.output->str;
  end = text + turn->peer.output->len;
  p = end;
  while (p > text && n_lines > 0) {
    p--;
    if (*p == '\n' && p + 1 < end)
      n_lines--;
  }
  return p == text ? p : p + 1;
}

/* The first port of RELAY_RANGE_SIZE UDP ports on 127.0.0.1 that were all
 * free a moment ago. */
static guint16
free_relay_range (void)
{
  guint tries;

  for (tries = 0; tries < 100; tries++) {
    guint16 base = (guint16) g_random_int_range (RELAY_RANGE_LOW,
        RELAY_RANGE_HIGH - RELAY_RANGE_SIZE);
    GSocket *sockets[RELAY_RANGE_SIZE] = { NULL };
    gboolean all_free = TRUE;
    guint i;

    for (i = 0; i < RELAY_RANGE_SIZE && all_free; i++) {
      GSocketAddress *address = sec_peer_loopback_address_new (base + i);

      sockets[i] = g_socket_new (G_SOCKET_FAMILY_IPV4,
          G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
      fail_unless (sockets[i] != NULL);
      all_free = g_socket_bind (sockets[i], address, FALSE, NULL);
      g_object_unref (address);
    }
    for (i = 0; i < RELAY_RANGE_SIZE; i++)
      g_clear_object (&sockets[i]);
    if (all_free)
      return base;
  }
  fail ("no %d free UDP ports in a row on 127.0.0.1 between %d and %d",
      RELAY_RANGE_SIZE, RELAY_RANGE_LOW, RELAY_RANGE_HIGH);
  return 0;
}

/* RFC 8489 §5: a Binding request without attributes, transaction @id. */
static GstBuffer *
stun_binding_request_new (const guint8 id[12])
{
  guint8 request[20] = { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42 };

  memcpy (request + 8, id, 12);
  return gst_buffer_new_memdup (request, sizeof (request));
}

/* TRUE if @packet is a Binding success response to one of the
 * transactions in @ids (12 bytes each). */
static gboolean
is_stun_binding_response (GstBuffer * packet, GByteArray * ids)
{
  GstMapInfo map;
  gboolean ok = FALSE;
  guint i;

  gst_buffer_map (packet, &map, GST_MAP_READ);
  for (i = 0; i + 12 <= ids->len && !ok; i += 12)
    ok = map.size >= 20 && map.data[0] == 0x01 && map.data[1] == 0x01
        && memcmp (map.data + 8, ids->data + i, 12) == 0;
  gst_buffer_unmap (packet, &map);
  return ok;
}

/* TRUE if turnserver could not bind one of its ports: free a moment ago
 * (sec_peer_free_ports), taken by another process since. */
static gboolean
turn_bind_failed (Turn * turn)
{
  sec_peer_drain (&turn->peer);
  return strstr (turn->peer.output->str, "Address already in use") != NULL;
}

/* Sends Binding requests to turnserver's UDP listener, a new one each
 * try, until one is answered (TRUE) or it cannot bind a port (FALSE).
 * The answer to an earlier request counts too: one that comes late is
 * still queued when the next request goes, and waiting for the answer to
 * that one only would keep the probe one answer behind until the
 * deadline. */
static gboolean
turn_wait_udp (Turn * turn, gint64 deadline)
{
  GSocket *socket = sec_peer_udp_socket_new ();
  GSocketAddress *server = sec_peer_loopback_address_new (turn->port);
  GByteArray *ids = g_byte_array_new ();
  gint64 wait_us = PROBE_MIN_WAIT_US;
  guint n_probes = 0;
  gboolean answered = FALSE;

  while (!answered && g_get_monotonic_time () < deadline
      && !turn_bind_failed (turn)) {
    guint8 id[12];
    GstBuffer *request, *answer;
    gint64 probe_deadline;
    guint i;

    for (i = 0; i < sizeof (id); i++)
      id[i] = (guint8) g_random_int ();
    g_byte_array_append (ids, id, sizeof (id));
    request = stun_binding_request_new (id);
    sec_peer_send (socket, server, request);
    gst_buffer_unref (request);
    n_probes++;
    probe_deadline = MIN (deadline, g_get_monotonic_time () + wait_us);
    /* every datagram that comes until the probe's deadline; fails the
     * test if turnserver exits */
    while (!answered && (answer = sec_peer_receive (&turn->peer, socket,
                probe_deadline)) != NULL) {
      answered = is_stun_binding_response (answer, ids);
      gst_buffer_unref (answer);
    }
    wait_us = MIN (wait_us * 2, PROBE_MAX_WAIT_US);
  }
  fail_unless (answered || turn_bind_failed (turn), "turnserver answered "
      "none of %u STUN Binding requests to 127.0.0.1:%u (UDP) in %d s; it "
      "printed last:\n%s", n_probes, turn->port,
      (gint) (SERVER_READY_TIMEOUT_US / G_USEC_PER_SEC),
      turn_log_tail (turn, LOG_TAIL_LINES));
  g_byte_array_unref (ids);
  g_object_unref (server);
  g_object_unref (socket);
  return answered;
}

/* Connects to turnserver's TCP listener on @port until it accepts (TRUE)
 * or it cannot bind a port (FALSE). */
static gboolean
turn_wait_tcp (Turn * turn, guint16 port, gint64 deadline)
{
  GSocketAddress *server = sec_peer_loopback_address_new (port);
  GError *error = NULL;
  gboolean ready = FALSE;

  while (!turn_bind_failed (turn)) {
    GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4,
        G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
    gboolean connected;

    fail_unless (socket != NULL, "socket: %s", error ? error->message : "?");
    connected = g_socket_connect (socket, server, NULL, &error);
    g_socket_close (socket, NULL);
    g_object_unref (socket);
    if (connected) {
      ready = TRUE;
      break;
    }
    sec_peer_fail_if_exited (&turn->peer);
    fail_unless (g_get_monotonic_time () < deadline, "turnserver does not "
        "accept TCP connections on 127.0.0.1:%u after %d s (%s); it printed "
        "last:\n%s", port, (gint) (SERVER_READY_TIMEOUT_US / G_USEC_PER_SEC),
        error->message, turn_log_tail (turn, LOG_TAIL_LINES));
    g_clear_error (&error);
    /* a refused connect on loopback returns at once: pace the retries */
    g_usleep (20 * G_TIME_SPAN_MILLISECOND);
  }
  g_clear_error (&error);
  g_object_unref (server);
  return ready;
}

/* Starts turnserver on ports of 127.0.0.1 that are free; TRUE once its
 * UDP, TCP and TLS listeners are open, FALSE (and stopped) if one of the
 * ports was taken in the meantime. */
static gboolean
turn_try_start (Turn * turn, gchar ** failure)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  guint16 ports[2];
  gint64 deadline;

  memset (turn, 0, sizeof (*turn));
  sec_peer_free_ports (ports, G_N_ELEMENTS (ports));
  turn->port = ports[0];
  turn->tls_port = ports[1];
  turn->relay_min = free_relay_range ();
  turn->relay_max = turn->relay_min + RELAY_RANGE_SIZE - 1;

  g_ptr_array_add (argv, g_strdup (turnserver_path));
  /* no configuration file: only what is here */
  g_ptr_array_add (argv, g_strdup ("-n"));
  g_ptr_array_add (argv, g_strdup ("--no-cli"));
  /* verbose: it then logs how each session came and went */
  g_ptr_array_add (argv, g_strdup ("-v"));
  g_ptr_array_add (argv, g_strdup ("--listening-ip=127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("--relay-ip=127.0.0.1"));
  g_ptr_array_add (argv, g_strdup_printf ("--listening-port=%u",
          turn->port));
  g_ptr_array_add (argv, g_strdup_printf ("--tls-listening-port=%u",
          turn->tls_port));
  g_ptr_array_add (argv, g_strdup_printf ("--min-port=%u",
          turn->relay_min));
  g_ptr_array_add (argv, g_strdup_printf ("--max-port=%u",
          turn->relay_max));
  /* no NAT behaviour discovery, which would also listen on port + 1 */
  g_ptr_array_add (argv, g_strdup ("--no-rfc5780"));
  g_ptr_array_add (argv, g_strdup ("--no-dtls"));
  g_ptr_array_add (argv, g_strdup ("--lt-cred-mech"));
  g_ptr_array_add (argv, g_strdup ("--user=" TURN_USER ":" TURN_PASSWORD));
  g_ptr_array_add (argv, g_strdup ("--realm=" TURN_REALM));
  g_ptr_array_add (argv, g_strdup_printf ("--cert=%s", cert_path));
  g_ptr_array_add (argv, g_strdup_printf ("--pkey=%s", key_path));
  /* both peers' relayed addresses are on 127.0.0.1 */
  g_ptr_array_add (argv, g_strdup ("--allow-loopback-peers"));
  g_ptr_array_add (argv, g_strdup_printf ("--db=%s/turnserver.db",
          work_dir));
  g_ptr_array_add (argv, g_strdup_printf ("--pidfile=%s/turnserver.pid",
          work_dir));
  g_ptr_array_add (argv, g_strdup ("--log-file=stdout"));
  g_ptr_array_add (argv, g_strdup ("--simple-log"));
  g_ptr_array_add (argv, g_strdup ("--no-software-attribute"));
  g_ptr_array_add (argv, NULL);
  fail_unless (sec_peer_start (&turn->peer, "turnserver",
          SEC_PEER_MERGE_STDERR, (gchar **) argv->pdata, NULL, &error),
      "%s", error ? error->message : "?");
  g_ptr_array_unref (argv);

  deadline = g_get_monotonic_time () + SERVER_READY_TIMEOUT_US;
  /* the TCP probes might have reached another process on a taken port:
   * turnserver's word on its binds decides */
  if (!turn_wait_udp (turn, deadline)
      || !turn_wait_tcp (turn, turn->port, deadline)
      || !turn_wait_tcp (turn, turn->tls_port, deadline)
      || turn_bind_failed (turn)) {
    g_free (*failure);
    *failure = g_strdup (turn_log_tail (turn, LOG_TAIL_LINES));
    GST_INFO ("turnserver could not bind its ports; again on others:\n%s",
        *failure);
    sec_peer_stop (&turn->peer, NULL);
    return FALSE;
  }
  GST_INFO ("turnserver (pid %d) listens on 127.0.0.1:%u, TLS on "
      "127.0.0.1:%u, relays on %u-%u", (gint) turn->peer.pid, turn->port,
      turn->tls_port, turn->relay_min, turn->relay_max);
  return TRUE;
}

/* Starts turnserver on free ports of 127.0.0.1; returns once its UDP, TCP
 * and TLS listeners are open. */
static void
turn_start (Turn * turn)
{
  gchar *failure = NULL;
  guint attempt;

  for (attempt = 0; attempt < TURN_START_ATTEMPTS; attempt++) {
    if (turn_try_start (turn, &failure)) {
      g_free (failure);
      return;
    }
  }
  fail ("turnserver found one of its ports taken %d times in a row; it "
      "printed last:\n%s", TURN_START_ATTEMPTS, failure);
}

/* Stops turnserver by its PID; fails the test if it had exited before. */
static void
turn_stop (Turn * turn)
{
  gchar *output;

  sec_peer_drain (&turn->peer);
  output = g_strdup (turn->peer.output->str);
  fail_if (sec_peer_stop (&turn->peer, NULL), "turnserver exited during "
      "the test; it printed:\n%s", output);
  g_free (output);
}

/* The TURN URI for reaching @turn over @transport (RFC 7065). */
static gchar *
turn_uri_new (Turn * turn, TurnTransport transport)
{
  switch (transport) {
    case TURN_UDP:
      return g_strdup_printf ("turn://" TURN_USER ":" TURN_PASSWORD
          "@127.0.0.1:%u?transport=udp", turn->port);
    case TURN_TCP:
      return g_strdup_printf ("turn://" TURN_USER ":" TURN_PASSWORD
          "@127.0.0.1:%u?transport=tcp", turn->port);
    case TURN_TLS:
      return g_strdup_printf ("turns://" TURN_USER ":" TURN_PASSWORD
          "@127.0.0.1:%u", turn->tls_port);
  }
  g_assert_not_reached ();
  return NULL;
}

/* turnserver's reasons for closing the TCP or TLS sessions of TURN_USER
 * that came to its port @port, once it has logged @n_sessions of them
 * (within SESSION_LOG_TIMEOUT_US): "TCP connection closed by client
 * (callback)" or, for a TLS session, "TLS/TCP connection closed by ...".
 * Its line for each: "session N: closed (2nd stage), user <test> realm
 * <test> origin <>, local 127.0.0.1:PORT, remote ..., reason: REASON". */
static GPtrArray *
turn_wait_sessions_closed (Turn * turn, guint16 port, guint n_sessions)
{
  gint64 deadline = g_get_monotonic_time () + SESSION_LOG_TIMEOUT_US;
  gchar *local = g_strdup_printf (", local 127.0.0.1:%u,", port);
  GPtrArray *reasons = NULL;

  for (;;) {
    gchar **lines;
    guint i;

    sec_peer_drain (&turn->peer);
    g_clear_pointer (&reasons, g_ptr_array_unref);
    reasons = g_ptr_array_new_with_free_func (g_free);
    lines = g_strsplit (turn->peer.output->str, "\n", -1);
    for (i = 0; lines[i] != NULL; i++) {
      const gchar *reason = strstr (lines[i], ", reason: ");

      if (strstr (lines[i], ": closed (2nd stage), user <" TURN_USER "> ")
          && strstr (lines[i], local) && reason)
        g_ptr_array_add (reasons, g_strdup (reason + strlen (", reason: ")));
    }
    g_strfreev (lines);
    if (reasons->len >= n_sessions)
      break;
    sec_peer_fail_if_exited (&turn->peer);
    fail_unless (g_get_monotonic_time () < deadline, "turnserver logged the "
        "end of %u of our %u sessions on 127.0.0.1:%u within %d s of our "
        "transports going; it printed last:\n%s", reasons->len, n_sessions,
        port, (gint) (SESSION_LOG_TIMEOUT_US / G_USEC_PER_SEC),
        turn_log_tail (turn, LOG_TAIL_LINES));
    sec_peer_poll (&turn->peer, deadline);
  }
  g_free (local);
  return reasons;
}

/* ---- candidates ---- */

/* Field @index of @candidate ("candidate:F 1 UDP PRIO ADDRESS PORT typ
 * TYPE ..."), or the word after @name when @name is set ("raddr"); NULL
 * if there is none. */
static gchar *
candidate_word (const gchar * candidate, guint index, const gchar * name)
{
  gchar **words = g_strsplit (candidate, " ", -1);
  gchar *word = NULL;
  guint i, n = g_strv_length (words);

  if (name == NULL && index < n)
    word = g_strdup (words[index]);
  /* the extension attributes are name-value pairs after the type */
  for (i = 8; name != NULL && i + 1 < n; i += 2)
    if (g_str_equal (words[i], name))
      word = g_strdup (words[i + 1]);
  g_strfreev (words);
  return word;
}

#define CANDIDATE_ADDRESS 4
#define CANDIDATE_PORT 5
#define CANDIDATE_TYPE 7

/* ---- two ICE transports (secicepair.h) through turnserver ---- */

static gboolean trust_test_certificate = TRUE;

/* SecIcePairDetailFunc: the end of the fixture's failure messages */
static gchar *
turn_failure_detail (gpointer turn)
{
  return g_strdup_printf ("; turnserver printed last:\n%s",
      turn_log_tail (turn, LOG_TAIL_LINES));
}

/* Two transports (sec_ice_pair_new ()) with @policy and @turn reached over
 * @transport; the fixture's waits are bounded by ICE_TIMEOUT_US and its
 * failure messages end with what turnserver printed last. */
static SecIcePair *
turn_pair_new (gint policy, Turn * turn, TurnTransport transport)
{
  SecIcePair *p = sec_ice_pair_new ();
  gchar *uri = turn_uri_new (turn, transport);
  gint i;

  p->wait_us = ICE_TIMEOUT_US;
  sec_ice_pair_set_failure_detail (p, turn_failure_detail, turn);
  for (i = 0; i < 2; i++) {
    g_object_set (p->side[i].transport, "ice-transport-policy", policy,
        "turn-server", uri, NULL);
    /* our test certificate is the trust anchor for turns:// */
    if (transport == TURN_TLS && trust_test_certificate)
      g_object_set (p->side[i].transport, "turn-tls-ca-file", cert_path,
          NULL);
  }
  g_free (uri);
  return p;
}

/* TRUE if @address:@port is a relayed address of turnserver. */
static gboolean
is_relayed_address (Turn * turn, const gchar * address, guint64 port)
{
  return g_strcmp0 (address, "127.0.0.1") == 0 && port >= turn->relay_min
      && port <= turn->relay_max;
}

/* The number of candidates side @s signaled of type @type ("relay"). */
static guint
side_count_candidates (SecIceSide * s, const gchar * type)
{
  guint i, n = 0;

  g_mutex_lock (&s->pair->lock);
  for (i = 0; i < s->candidates->len; i++) {
    gchar *candidate_type = candidate_word (g_ptr_array_index
        (s->candidates, i), CANDIDATE_TYPE, NULL);

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
side_check_relay_only (SecIceSide * s, Turn * turn)
{
  guint i;

  g_mutex_lock (&s->pair->lock);
  fail_unless (s->candidates->len > 0, "side %d gathered no relay "
      "candidate; turnserver printed last:\n%s", s->index,
      turn_log_tail (turn, LOG_TAIL_LINES));
  for (i = 0; i < s->candidates->len; i++) {
    const gchar *candidate = g_ptr_array_index (s->candidates, i);
    gchar *type = candidate_word (candidate, CANDIDATE_TYPE, NULL);
    gchar *address = candidate_word (candidate, CANDIDATE_ADDRESS, NULL);
    gchar *port = candidate_word (candidate, CANDIDATE_PORT, NULL);

    fail_unless (g_strcmp0 (type, "relay") == 0, "side %d signaled a "
        "%s candidate under relay policy: %s", s->index, type, candidate);
    fail_unless (port && is_relayed_address (turn, address,
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
pair_check_selected_relay (SecIcePair * p, Turn * turn)
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
    fail_unless (is_relayed_address (turn, gst_structure_get_string
            (selected, "local-address"), local_port), "side %d: %"
        GST_PTR_FORMAT, i, selected);
    fail_unless (is_relayed_address (turn, gst_structure_get_string
            (selected, "remote-address"), remote_port), "side %d: %"
        GST_PTR_FORMAT, i, selected);
    gst_structure_free (selected);
  }
}

/* ---- the cases ---- */

/* ice-transport-policy=relay on both sides, through turnserver reached
 * over @transport: see the top of the file. */
static void
run_relay_only (TurnTransport transport)
{
  gint64 start = g_get_monotonic_time ();
  gchar problem[512] = "";
  SecIcePair *p;
  Turn turn;
  gint i;

  sec_ice_pair_check_plugins ();
  turn_start (&turn);
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
      G_GINT64_FORMAT " ms", turn_transport_names[transport],
      (g_get_monotonic_time () - start) / 1000);
  sec_ice_pair_free (p);

  /* turnserver's word on how our two connections (one per side) came */
  if (transport != TURN_UDP) {
    guint16 port = transport == TURN_TLS ? turn.tls_port : turn.port;
    const gchar *expected = transport == TURN_TLS ? "TLS/TCP " : "TCP ";
    GPtrArray *reasons = turn_wait_sessions_closed (&turn, port, 2);
    guint j;

    for (j = 0; j < reasons->len && problem[0] == '\0'; j++) {
      const gchar *reason = g_ptr_array_index (reasons, j);

      if (!g_str_has_prefix (reason, expected))
        g_snprintf (problem, sizeof (problem), "turnserver says our TURN "
            "session on 127.0.0.1:%u was not %s: it ended it with \"%s\", "
            "where a %s session ends with \"%s...\"", port,
            turn_transport_names[transport], reason,
            turn_transport_names[transport], expected);
    }
    g_ptr_array_unref (reasons);
  }
  turn_stop (&turn);
  /* after the clean-up, so that a known failure leaves nothing running
   * (the valgrind setup runs the tests without forking) */
  fail_unless (problem[0] == '\0', "%s%s", problem, transport == TURN_TLS ?
      ". The relay worked, but the TURN requests (our username among them) "
      "and the relayed data crossed in the clear" : "");
}

/* RFC 8839 §5.1 puts the TURN-mapped address in a relay candidate's
 * raddr/rport: an address of ours, as is the local base libnice puts
 * there. Under relay policy nothing of ours may leave, so it must be
 * blanked ("raddr 0.0.0.0 rport 0", as libwebrtc does when the policy
 * excludes reflexive candidates) or left out. */
static void
run_relay_only_related_address (TurnTransport transport)
{
  gchar problem[512] = "";
  SecIcePair *p;
  Turn turn;
  gint i;
  guint j;

  sec_ice_pair_check_plugins ();
  turn_start (&turn);
  p = turn_pair_new (POLICY_RELAY, &turn, transport);
  sec_ice_pair_start (p);
  sec_ice_pair_wait_gathered (p);
  for (i = 0; i < 2; i++) {
    SecIceSide *s = &p->side[i];

    side_check_relay_only (s, &turn);
    g_mutex_lock (&p->lock);
    for (j = 0; j < s->candidates->len && problem[0] == '\0'; j++) {
      const gchar *candidate = g_ptr_array_index (s->candidates, j);
      gchar *raddr = candidate_word (candidate, 0, "raddr");

      if (raddr && !g_str_equal (raddr, "0.0.0.0") && !g_str_equal (raddr,
              "::"))
        g_snprintf (problem, sizeof (problem), "side %d signaled \"%s\"",
            i, candidate);
      g_free (raddr);
    }
    g_mutex_unlock (&p->lock);
  }
  sec_ice_pair_free (p);
  turn_stop (&turn);
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

/* __i__: TURN_UDP or TURN_TCP */
GST_START_TEST (test_relay_only)
{
  run_relay_only ((TurnTransport) __i__);
}

GST_END_TEST;

/* known bug: turns: is plain TCP */
/* turns:// over our TLS proxy (libnice 0.1.21 has no TLS client): the
 * same checks as the other relay cases, and turnserver must have seen TLS
 * sessions ("TLS/TCP") from both sides. */
GST_START_TEST (test_relay_only_turns)
{
  trust_test_certificate = TRUE;
  run_relay_only (TURN_TLS);
}

GST_END_TEST;

/* A turns:// server whose certificate is not trusted (no CA file: the
 * system's store does not know our self-signed test certificate) gives no
 * relay candidate at all: the TLS proxy refuses it, nothing is sent in
 * the clear instead. */
GST_START_TEST (test_turns_untrusted)
{
  SecIcePair *p;
  Turn turn;
  GstBus *bus;
  GstMessage *msg;
  GError *error = NULL;
  gchar *debug = NULL;
  gint i;

  sec_ice_pair_check_plugins ();
  turn_start (&turn);
  trust_test_certificate = FALSE;
  p = turn_pair_new (POLICY_RELAY, &turn, TURN_TLS);
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
  fail_unless (strstr (debug, TURN_PASSWORD) == NULL, "password shown");
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
  turn_stop (&turn);
}

GST_END_TEST;

/* under relay policy, raddr gives no address of ours away; __i__:
 * TURN_UDP or TURN_TCP */
GST_START_TEST (test_relay_only_related_address)
{
  run_relay_only_related_address ((TurnTransport) __i__);
}

GST_END_TEST;

/* ice-transport-policy=all with the TURN server: host and relay
 * candidates both, and a connection */
GST_START_TEST (test_policy_all)
{
  SecIcePair *p;
  Turn turn;
  gint i;

  sec_ice_pair_check_plugins ();
  turn_start (&turn);
  p = turn_pair_new (POLICY_ALL, &turn, TURN_UDP);
  sec_ice_pair_start (p);
  sec_ice_pair_wait_gathered (p);
  for (i = 0; i < 2; i++) {
    fail_unless (side_count_candidates (&p->side[i], "host") >= 1,
        "side %d signaled no host candidate", i);
    fail_unless (side_count_candidates (&p->side[i], "relay") >= 1,
        "side %d signaled no relay candidate; turnserver printed last:\n%s",
        i, turn_log_tail (&turn, LOG_TAIL_LINES));
  }
  sec_ice_pair_wait_connected (p);
  sec_ice_pair_check_data (p, 0, 5);
  sec_ice_pair_check_data (p, 1, 5);
  sec_ice_pair_free (p);
  turn_stop (&turn);
}

GST_END_TEST;

/* ---- fixture: a directory with turnserver's certificate ---- */

static void
certificate_make (void)
{
  gchar *out = NULL, *err = NULL;
  GError *error = NULL;
  gchar *argv[20];
  gint status, n = 0;

  work_dir = sec_peer_dir_new ("secice-coturn-XXXXXX");
  cert_path = g_build_filename (work_dir, "cert.pem", NULL);
  key_path = g_build_filename (work_dir, "key.pem", NULL);
  argv[n++] = openssl_path;
  argv[n++] = (gchar *) "req";
  argv[n++] = (gchar *) "-x509";
  argv[n++] = (gchar *) "-newkey";
  argv[n++] = (gchar *) "ec";
  argv[n++] = (gchar *) "-pkeyopt";
  argv[n++] = (gchar *) "ec_paramgen_curve:P-256";
  argv[n++] = (gchar *) "-nodes";
  argv[n++] = (gchar *) "-subj";
  argv[n++] = (gchar *) "/CN=127.0.0.1";
  /* the name a TLS client checks: the IP address of the turns:// URI */
  argv[n++] = (gchar *) "-addext";
  argv[n++] = (gchar *) "subjectAltName=IP:127.0.0.1";
  argv[n++] = (gchar *) "-days";
  argv[n++] = (gchar *) "2";
  argv[n++] = (gchar *) "-keyout";
  argv[n++] = key_path;
  argv[n++] = (gchar *) "-out";
  argv[n++] = cert_path;
  argv[n++] = NULL;
  fail_unless (g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
          &out, &err, &status, &error), "cannot run openssl req: %s",
      error ? error->message : "?");
  fail_unless (g_spawn_check_wait_status (status, NULL), "openssl req "
      "failed:\n%s", err);
  g_free (out);
  g_free (err);
}

static void
certificate_remove (void)
{
  if (work_dir)
    sec_peer_dir_remove (work_dir);
  g_clear_pointer (&work_dir, g_free);
  g_clear_pointer (&cert_path, g_free);
  g_clear_pointer (&key_path, g_free);
}

/* Exits with 77 (meson's "skipped") when a peer program is missing. */
static void
skip_unless_peer_installed (void)
{
  turnserver_path = sec_peer_find_program_or_skip ("turnserver", "the "
      "turnserver program is not installed (Debian: coturn), so there is no "
      "TURN server to relay through");
  openssl_path = sec_peer_find_program_or_skip ("openssl", "the openssl "
      "program is not installed (Debian: openssl), so there is no "
      "certificate for turnserver's TLS listener");
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

  skip_unless_peer_installed ();

  suite_add_tcase (s, tc_env);
  tcase_add_test (tc_env, test_elements_are_ours);

  tc = turn_tcase_new (s, "relay-only", NULL);
  tcase_add_loop_test (tc, test_relay_only, TURN_UDP, TURN_TCP + 1);

  tc = turn_tcase_new (s, "policy-all", NULL);
  tcase_add_test (tc, test_policy_all);

  tc = turn_tcase_new (s, "relay-only-turns", NULL);
  tcase_add_test (tc, test_relay_only_turns);
  tcase_add_test (tc, test_turns_untrusted);

  tc = turn_tcase_new (s, "relay-only-related-address", NULL);
  tcase_add_loop_test (tc, test_relay_only_related_address, TURN_UDP,
      TURN_TCP + 1);
  return s;
}

GST_CHECK_MAIN (ice_coturn);
