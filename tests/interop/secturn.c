/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * coturn's turnserver on loopback for the interop tests (secturn.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "secturn.h"

#include <stdlib.h>
#include <string.h>

/* turnserver's relayed addresses: a range of free UDP ports below the
 * usual ephemeral range (32768 up), where the ICE host sockets are */
#define RELAY_RANGE_SIZE 32
#define RELAY_RANGE_LOW 20000
#define RELAY_RANGE_HIGH 32768

/* bounds of every wait; on loopback each takes milliseconds */
#define SERVER_READY_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define SESSION_LOG_TIMEOUT_US (5 * G_USEC_PER_SEC)
#define PROBE_MIN_WAIT_US (20 * G_TIME_SPAN_MILLISECOND)
#define PROBE_MAX_WAIT_US (250 * G_TIME_SPAN_MILLISECOND)
/* free ports may be taken by another process before turnserver binds */
#define TURN_START_ATTEMPTS 5

/* ---- the programs and files ---- */

/* A missing program: skipped, or a failure under CI. */
static gchar *
find_program (const gchar * program, const gchar * reason)
{
  gchar *path = g_find_program_in_path (program);

  if (path == NULL && g_getenv ("CI") != NULL) {
    g_print ("FAIL: %s; CI is set, and CI must run this test\n", reason);
    exit (1);
  }
  if (path == NULL)
    sec_peer_skip ("%s", reason);
  return path;
}

void
sec_turn_setup_find_programs (SecTurnSetup * setup)
{
  setup->turnserver_path = find_program ("turnserver", "the turnserver "
      "program is not installed (Debian: coturn), so there is no TURN "
      "server to relay through");
  setup->openssl_path = find_program ("openssl", "the openssl program is "
      "not installed (Debian: openssl), so there is no certificate for "
      "turnserver's TLS listener");
}

void
sec_turn_setup_make_files (SecTurnSetup * setup, const gchar * dir_template)
{
  gchar *out = NULL, *err = NULL;
  GError *error = NULL;
  gchar *argv[20];
  gint status, n = 0;

  setup->dir = sec_peer_dir_new (dir_template);
  setup->cert_path = g_build_filename (setup->dir, "cert.pem", NULL);
  setup->key_path = g_build_filename (setup->dir, "key.pem", NULL);
  argv[n++] = setup->openssl_path;
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
  argv[n++] = setup->key_path;
  argv[n++] = (gchar *) "-out";
  argv[n++] = setup->cert_path;
  argv[n++] = NULL;
  fail_unless (g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
          &out, &err, &status, &error), "cannot run openssl req: %s",
      error ? error->message : "?");
  fail_unless (g_spawn_check_wait_status (status, NULL), "openssl req "
      "failed:\n%s", err);
  g_free (out);
  g_free (err);
}

void
sec_turn_setup_remove_files (SecTurnSetup * setup)
{
  if (setup->dir)
    sec_peer_dir_remove (setup->dir);
  g_clear_pointer (&setup->dir, g_free);
  g_clear_pointer (&setup->cert_path, g_free);
  g_clear_pointer (&setup->key_path, g_free);
}

/* ---- turnserver ---- */

const gchar *
sec_turn_log_tail (SecTurn * turn, guint n_lines)
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
turn_bind_failed (SecTurn * turn)
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
turn_wait_udp (SecTurn * turn, gint64 deadline)
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
      sec_turn_log_tail (turn, SEC_TURN_LOG_TAIL_LINES));
  g_byte_array_unref (ids);
  g_object_unref (server);
  g_object_unref (socket);
  return answered;
}

/* Connects to turnserver's TCP listener on @port until it accepts (TRUE)
 * or it cannot bind a port (FALSE). */
static gboolean
turn_wait_tcp (SecTurn * turn, guint16 port, gint64 deadline)
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
        error->message, sec_turn_log_tail (turn, SEC_TURN_LOG_TAIL_LINES));
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
turn_try_start (SecTurn * turn, const SecTurnSetup * setup,
    gchar ** failure)
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

  g_ptr_array_add (argv, g_strdup (setup->turnserver_path));
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
  g_ptr_array_add (argv, g_strdup ("--user=" SEC_TURN_USER ":"
          SEC_TURN_PASSWORD));
  g_ptr_array_add (argv, g_strdup ("--realm=" SEC_TURN_REALM));
  g_ptr_array_add (argv, g_strdup_printf ("--cert=%s", setup->cert_path));
  g_ptr_array_add (argv, g_strdup_printf ("--pkey=%s", setup->key_path));
  /* both peers' relayed addresses are on 127.0.0.1 */
  g_ptr_array_add (argv, g_strdup ("--allow-loopback-peers"));
  g_ptr_array_add (argv, g_strdup_printf ("--db=%s/turnserver.db",
          setup->dir));
  g_ptr_array_add (argv, g_strdup_printf ("--pidfile=%s/turnserver.pid",
          setup->dir));
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
    *failure = g_strdup (sec_turn_log_tail (turn, SEC_TURN_LOG_TAIL_LINES));
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

void
sec_turn_start (SecTurn * turn, const SecTurnSetup * setup)
{
  gchar *failure = NULL;
  guint attempt;

  for (attempt = 0; attempt < TURN_START_ATTEMPTS; attempt++) {
    if (turn_try_start (turn, setup, &failure)) {
      g_free (failure);
      return;
    }
  }
  fail ("turnserver found one of its ports taken %d times in a row; it "
      "printed last:\n%s", TURN_START_ATTEMPTS, failure);
}

void
sec_turn_stop (SecTurn * turn)
{
  gchar *output;

  sec_peer_drain (&turn->peer);
  output = g_strdup (turn->peer.output->str);
  fail_if (sec_peer_stop (&turn->peer, NULL), "turnserver exited during "
      "the test; it printed:\n%s", output);
  g_free (output);
}

const gchar *
sec_turn_transport_name (SecTurnTransport transport)
{
  static const gchar *const names[] = { "UDP", "TCP", "TLS" };

  g_return_val_if_fail (transport <= SEC_TURN_TLS, NULL);
  return names[transport];
}

/* RFC 7065 */
gchar *
sec_turn_uri_new (SecTurn * turn, SecTurnTransport transport,
    const gchar * password)
{
  if (password == NULL)
    password = SEC_TURN_PASSWORD;
  switch (transport) {
    case SEC_TURN_UDP:
      return g_strdup_printf ("turn://" SEC_TURN_USER ":%s@127.0.0.1:%u"
          "?transport=udp", password, turn->port);
    case SEC_TURN_TCP:
      return g_strdup_printf ("turn://" SEC_TURN_USER ":%s@127.0.0.1:%u"
          "?transport=tcp", password, turn->port);
    case SEC_TURN_TLS:
      return g_strdup_printf ("turns://" SEC_TURN_USER ":%s@127.0.0.1:%u",
          password, turn->tls_port);
  }
  g_assert_not_reached ();
  return NULL;
}

gboolean
sec_turn_is_relayed_address (SecTurn * turn, const gchar * address,
    guint64 port)
{
  return g_strcmp0 (address, "127.0.0.1") == 0 && port >= turn->relay_min
      && port <= turn->relay_max;
}

/* Its line for each closed session: "session N: closed (2nd stage), user
 * <test> realm <test> origin <>, local 127.0.0.1:PORT, remote ...,
 * reason: REASON". */
GPtrArray *
sec_turn_wait_sessions_closed (SecTurn * turn, guint16 port,
    guint n_sessions)
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

      if (strstr (lines[i], ": closed (2nd stage), user <" SEC_TURN_USER "> ")
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
        sec_turn_log_tail (turn, SEC_TURN_LOG_TAIL_LINES));
    sec_peer_poll (&turn->peer, deadline);
  }
  g_free (local);
  return reasons;
}


gchar *
sec_turn_candidate_word (const gchar * candidate, guint index,
    const gchar * name)
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
