/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The TURN-over-TLS proxy of the ICE transport (ext/ice/gstsecicetlsproxy.c,
 * docs/ice.md "TURN over TLS"), seen from outside, as a user or another
 * local process sees it. No TURN server is needed: the "servers" are TCP
 * listeners of this test on loopback that record the first bytes they
 * get (tests/interop/ice-coturn.c runs the real thing through coturn).
 *
 * - turns:// with an IPv6 literal written in a non-canonical way
 *   ([0:0:0:0:0:0:0:1], leading zeros, ...): what reaches the server on
 *   ::1 is a TLS ClientHello (0x16 0x03), never a plaintext STUN Allocate
 *   (0x00 0x03).
 * - The proxy is no open relay: a local client that is not the
 *   transport's own libnice agent gets no tunnel, neither to an address
 *   that is not a configured TURN server nor to one that is (no or a
 *   wrong proxy credential): the reply is an HTTP error and nothing
 *   reaches the destination.
 * - At most PROXY_MAX_CONNECTIONS connections at a time; one more is
 *   closed at once, and a connection that sends no complete CONNECT
 *   request is closed after PROXY_REQUEST_TIMEOUT_S.
 * - Transports destroyed while connections to their proxy are being
 *   accepted (run it under valgrind or ASan).
 *
 * The proxy's port is found the way an administrator would: the TCP
 * sockets listening on 127.0.0.1 that belong to this process
 * (/proc/self/net/tcp and the socket inodes of /proc/self/fd).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "seccheck.h"

#include <gio/gio.h>
#include <string.h>

/* what docs/ice.md promises */
#define PROXY_MAX_CONNECTIONS 16
#define PROXY_REQUEST_TIMEOUT_S 5

/* bounds of the waits; on loopback each event takes milliseconds */
#define CONNECT_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define REPLY_TIMEOUT_US (5 * G_USEC_PER_SEC)
/* the first bytes of a TLS handshake: the TLS library's first start takes
 * seconds under valgrind (the proxy itself gives up after 10 s) */
#define HANDSHAKE_TIMEOUT_US (10 * G_USEC_PER_SEC)

/* values of GstSecIcePolicy */
#define POLICY_RELAY 1

static guint side_counter;

/* ---- one ICE transport on a pipeline of its own ---- */

typedef struct
{
  GstElement *pipeline;
  GstElement *src;
  GObject *transport;
} Side;

/* A transport relaying through @turn_uri only (relay policy), host
 * candidates on @local_address; not started. */
static Side *
side_new (const gchar * turn_uri, const gchar * local_address)
{
  Side *s = g_new0 (Side, 1);
  gchar *name = g_strdup_printf ("sec-ice-turnproxy-%u", side_counter++);
  GstElement *sink;

  sec_check_factory_is_ours ("secicesrc");
  s->pipeline = gst_pipeline_new (NULL);
  s->src = gst_element_factory_make ("secicesrc", NULL);
  sink = gst_element_factory_make ("fakesink", NULL);
  fail_unless (s->src != NULL && sink != NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add_many (GST_BIN (s->pipeline), s->src, sink, NULL);
  fail_unless (gst_element_link (s->src, sink));
  g_object_set (s->src, "transport", name, NULL);
  g_object_get (s->src, "ice-transport", &s->transport, NULL);
  fail_unless (s->transport != NULL);
  g_object_set (s->transport, "local-addresses", local_address,
      "ice-transport-policy", POLICY_RELAY, "turn-server", turn_uri, NULL);
  g_free (name);
  return s;
}

/* Starts gathering (and so the TURN connections). */
static void
side_start (Side * s)
{
  fail_unless (gst_element_set_state (s->pipeline, GST_STATE_PAUSED) !=
      GST_STATE_CHANGE_FAILURE);
}

static guint
side_tls_connections (Side * s)
{
  GstStructure *stats = NULL;
  guint n = 0;

  g_object_get (s->transport, "stats", &stats, NULL);
  fail_unless (stats != NULL);
  fail_unless (gst_structure_get_uint (stats, "turn-tls-connections", &n));
  gst_structure_free (stats);
  return n;
}

/* The first warning posted within @timeout_us, its debug text (g_free),
 * or NULL. */
static gchar *
side_wait_warning (Side * s, gint64 timeout_us)
{
  GstBus *bus = gst_element_get_bus (s->pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, timeout_us * GST_USECOND,
      GST_MESSAGE_WARNING);
  gchar *debug = NULL;

  if (msg) {
    GError *error = NULL;

    gst_message_parse_warning (msg, &error, &debug);
    g_clear_error (&error);
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return debug;
}

static void
side_free (Side * s)
{
  gst_element_set_state (s->pipeline, GST_STATE_NULL);
  g_object_unref (s->transport);
  gst_object_unref (s->pipeline);
  g_free (s);
}

/* ---- TCP on loopback ---- */

static gboolean
ipv6_loopback_usable (void)
{
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV6,
      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  GSocketAddress *address = g_inet_socket_address_new (loopback, 0);
  gboolean ok = socket && g_socket_bind (socket, address, FALSE, NULL);

  g_clear_object (&socket);
  g_object_unref (address);
  g_object_unref (loopback);
  return ok;
}

/* A TCP socket listening on the loopback address of @family. */
static GSocket *
listener_new (GSocketFamily family, guint16 * port)
{
  GInetAddress *loopback = g_inet_address_new_loopback (family);
  GSocketAddress *address = g_inet_socket_address_new (loopback, 0);
  GSocketAddress *bound;
  GError *error = NULL;
  GSocket *socket = g_socket_new (family, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, &error);

  fail_unless (socket != NULL, "socket: %s", error ? error->message : "?");
  fail_unless (g_socket_bind (socket, address, FALSE, &error), "bind: %s",
      error->message);
  fail_unless (g_socket_listen (socket, &error), "listen: %s",
      error->message);
  bound = g_socket_get_local_address (socket, NULL);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_object_unref (bound);
  g_object_unref (address);
  g_object_unref (loopback);
  g_socket_set_blocking (socket, FALSE);
  return socket;
}

/* A connection to @listener that came before @deadline, or NULL. */
static GSocket *
listener_accept (GSocket * listener, gint64 deadline)
{
  for (;;) {
    gint64 left = deadline - g_get_monotonic_time ();
    GSocket *accepted = g_socket_accept (listener, NULL, NULL);

    if (accepted)
      return accepted;
    if (left <= 0)
      return NULL;
    g_socket_condition_timed_wait (listener, G_IO_IN, left, NULL, NULL);
  }
}

/* Reads into @buf until @len bytes, end of stream, an error or @deadline;
 * returns the number of bytes read, and in @closed whether the stream
 * ended (end of stream or reset). */
static gsize
socket_read (GSocket * socket, guint8 * buf, gsize len, gint64 deadline,
    gboolean * closed)
{
  gsize got = 0;

  *closed = FALSE;
  g_socket_set_blocking (socket, FALSE);
  while (got < len) {
    gint64 left = deadline - g_get_monotonic_time ();
    gssize n;
    GError *error = NULL;

    if (left <= 0)
      break;
    if (!g_socket_condition_timed_wait (socket, G_IO_IN, left, NULL, NULL))
      break;
    n = g_socket_receive (socket, (gchar *) buf + got, len - got, NULL,
        &error);
    if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
      g_error_free (error);
      continue;
    }
    g_clear_error (&error);
    if (n <= 0) {
      *closed = TRUE;
      break;
    }
    got += n;
  }
  return got;
}

/* A connection to 127.0.0.1:@port, connected (loopback: at once). */
static GSocket *
connect_loopback (guint16 port)
{
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *address = g_inet_socket_address_new (loopback, port);
  GError *error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4,
      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  fail_unless (socket != NULL, "socket: %s", error ? error->message : "?");
  fail_unless (g_socket_connect (socket, address, NULL, &error),
      "connect to 127.0.0.1:%u: %s", port, error ? error->message : "?");
  g_object_unref (address);
  g_object_unref (loopback);
  return socket;
}

static void
socket_send_text (GSocket * socket, const gchar * text)
{
  GError *error = NULL;
  gsize len = strlen (text);

  g_socket_set_blocking (socket, TRUE);
  fail_unless (g_socket_send (socket, text, len, NULL, &error) ==
      (gssize) len, "send: %s", error ? error->message : "short");
}

/* The text of bytes received, printable, for failure messages. */
static gchar *
printable (const guint8 * data, gsize len)
{
  GString *text = g_string_new (NULL);
  gsize i;

  for (i = 0; i < len; i++) {
    if (data[i] >= 0x20 && data[i] < 0x7f)
      g_string_append_c (text, data[i]);
    else
      g_string_append_printf (text, "\\x%02x", data[i]);
  }
  return g_string_free (text, FALSE);
}

/* ---- the proxy's port, from this process' listening sockets ---- */

/* Inodes of the sockets this process has open. */
static GHashTable *
own_socket_inodes (void)
{
  GHashTable *inodes = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const gchar *entry;

  fail_unless (dir != NULL, "cannot read /proc/self/fd");
  while ((entry = g_dir_read_name (dir)) != NULL) {
    gchar *path = g_build_filename ("/proc/self/fd", entry, NULL);
    gchar *target = g_file_read_link (path, NULL);

    if (target && g_str_has_prefix (target, "socket:[")
        && g_str_has_suffix (target, "]"))
      g_hash_table_add (inodes, g_strndup (target + 8, strlen (target) - 9));
    g_free (target);
    g_free (path);
  }
  g_dir_close (dir);
  return inodes;
}

/* The ports of this process' TCP sockets listening on 127.0.0.1, but for
 * @except (0-terminated). */
static GArray *
own_loopback_listeners (const guint16 * except)
{
  GArray *ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  GHashTable *inodes = own_socket_inodes ();
  gchar *contents = NULL;
  gchar **lines;
  guint i;

  fail_unless (g_file_get_contents ("/proc/self/net/tcp", &contents, NULL,
          NULL), "cannot read /proc/self/net/tcp");
  lines = g_strsplit (contents, "\n", -1);
  /* "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout
   * inode ..."; 0100007F:PORT is 127.0.0.1, st 0A is LISTEN */
  for (i = 1; lines[i] != NULL; i++) {
    gchar **words = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
    GPtrArray *fields = g_ptr_array_new ();
    guint j;

    for (j = 0; words[j] != NULL; j++)
      if (words[j][0] != '\0')
        g_ptr_array_add (fields, words[j]);
    if (fields->len >= 10
        && g_str_has_prefix (g_ptr_array_index (fields, 1), "0100007F:")
        && g_str_equal (g_ptr_array_index (fields, 3), "0A")
        && g_hash_table_contains (inodes, g_ptr_array_index (fields, 9))) {
      guint16 port = (guint16) g_ascii_strtoull ((const gchar *)
          g_ptr_array_index (fields, 1) + 9, NULL, 16);
      gboolean skip = FALSE;
      const guint16 *e;

      for (e = except; *e != 0; e++)
        skip = skip || *e == port;
      if (!skip)
        g_array_append_val (ports, port);
    }
    g_ptr_array_unref (fields);
    g_strfreev (words);
  }
  g_strfreev (lines);
  g_free (contents);
  g_hash_table_unref (inodes);
  return ports;
}

/* The port of the one proxy listening in this process (the test's own
 * listeners in @except, 0-terminated). */
static guint16
proxy_port (const guint16 * except)
{
  GArray *ports = own_loopback_listeners (except);
  guint16 port;

  fail_unless_equals_int (ports->len, 1);
  port = g_array_index (ports, guint16, 0);
  g_array_unref (ports);
  return port;
}

/* Sends @request to the proxy on @port and reads its reply, up to the
 * end of the headers or of the stream (g_free). The connection is left
 * in *@connection when it is not NULL. */
static gchar *
proxy_request (guint16 port, const gchar * request, GSocket ** connection)
{
  GSocket *socket = connect_loopback (port);
  guint8 reply[512];
  gsize got = 0;
  gboolean closed = FALSE;
  gint64 deadline = g_get_monotonic_time () + REPLY_TIMEOUT_US;

  socket_send_text (socket, request);
  /* byte by byte up to the blank line, so that nothing of a tunnel is
   * read */
  while (got < sizeof (reply) - 1 && !closed
      && !(got >= 4 && memcmp (reply + got - 4, "\r\n\r\n", 4) == 0)) {
    if (socket_read (socket, reply + got, 1, deadline, &closed) == 0)
      break;
    got++;
  }
  if (connection)
    *connection = socket;
  else
    g_object_unref (socket);
  return printable (reply, got);
}

/* ---- the tests ---- */

/* RFC 4291 §2.2 lets an IPv6 address be written in many ways; RFC 5952
 * §4 says which one is canonical ("::1"). */
static const gchar *const ipv6_loopback_spellings[] = {
  "0:0:0:0:0:0:0:1",
  "0000:0000:0000:0000:0000:0000:0000:0001",
  "::0:1",
  "0::0001",
};

/* turns:// to a server on ::1, the address written as in
 * ipv6_loopback_spellings[__i__]: the server must see TLS. */
GST_START_TEST (test_turns_ipv6_literal_not_canonical)
{
  const gchar *spelling = ipv6_loopback_spellings[__i__];
  guint8 head[16];
  gboolean closed;
  gsize got;
  GSocket *listener, *accepted;
  guint16 port;
  gchar *uri, *text;
  Side *s;

  if (!ipv6_loopback_usable ()) {
    /* some containers run with IPv6 disabled */
    g_printerr ("test_turns_ipv6_literal_not_canonical: ::1 cannot be "
        "bound here, not tested\n");
    return;
  }
  listener = listener_new (G_SOCKET_FAMILY_IPV6, &port);
  uri = g_strdup_printf ("turns://user:secret@[%s]:%u", spelling, port);
  /* libnice pairs a TURN server only with host candidates of its family */
  s = side_new (uri, "::1");
  side_start (s);
  accepted = listener_accept (listener, g_get_monotonic_time () +
      CONNECT_TIMEOUT_US);
  /* before the fix, it came and was plaintext TURN */
  if (accepted) {
    got = socket_read (accepted, head, sizeof (head),
        g_get_monotonic_time () + HANDSHAKE_TIMEOUT_US, &closed);
    text = printable (head, got);
    fail_unless (got >= 2, "%s: the server on ::1 got %u bytes (\"%s\")",
        uri, (guint) got, text);
    fail_if (head[0] == 0x00 && head[1] == 0x03, "%s: the server on ::1 "
        "got a plaintext STUN Allocate request (\"%s\"), not TLS", uri, text);
    fail_unless (head[0] == 0x16 && head[1] == 0x03, "%s: the server on "
        "::1 got \"%s\", not a TLS handshake record", uri, text);
    g_free (text);
    g_object_unref (accepted);
  }
  /* the listener is not a TLS server: no TLS session was established */
  fail_unless_equals_int (side_tls_connections (s), 0);
  fail_unless (accepted != NULL, "%s: no connection reached the server on "
      "[::1]:%u within %d s", uri, port, (gint) (CONNECT_TIMEOUT_US /
          G_USEC_PER_SEC));
  side_free (s);
  g_object_unref (listener);
  g_free (uri);
}

GST_END_TEST;

/* A local client asks the proxy for a tunnel to a listener that is not a
 * configured TURN server: refused, and the listener gets no connection. */
GST_START_TEST (test_connect_to_other_address_refused)
{
  GSocket *server, *other, *accepted;
  guint16 server_port, other_port, except[3] = { 0 };
  gchar *uri, *request, *reply;
  Side *s;

  server = listener_new (G_SOCKET_FAMILY_IPV4, &server_port);
  other = listener_new (G_SOCKET_FAMILY_IPV4, &other_port);
  except[0] = server_port;
  except[1] = other_port;
  uri = g_strdup_printf ("turns://user:secret@127.0.0.1:%u", server_port);
  s = side_new (uri, "127.0.0.1");
  side_start (s);

  request = g_strdup_printf ("CONNECT 127.0.0.1:%u HTTP/1.0\r\n\r\n",
      other_port);
  reply = proxy_request (proxy_port (except), request, NULL);
  fail_if (g_str_has_prefix (reply, "HTTP/1.1 2")
      || g_str_has_prefix (reply, "HTTP/1.0 2"), "the proxy opened a "
      "tunnel to 127.0.0.1:%u, which is no TURN server of ours, for a "
      "local client: it replied \"%s\"", other_port, reply);
  fail_unless (g_str_has_prefix (reply, "HTTP/1.0 4"), "reply \"%s\"",
      reply);
  /* the proxy replies after connecting, if it connects at all */
  accepted = listener_accept (other, 0);
  fail_unless (accepted == NULL, "127.0.0.1:%u got a connection", other_port);
  g_free (reply);
  g_free (request);
  side_free (s);
  g_object_unref (other);
  g_object_unref (server);
  g_free (uri);
}

GST_END_TEST;

/* A local client asks for a tunnel to the configured TURN servers
 * themselves (a turns:// one and a TCP one), without the proxy
 * credential that only the transport's libnice agent has, or with a
 * wrong one: refused. */
GST_START_TEST (test_connect_without_credential_refused)
{
  static const gchar *const authorizations[] = {
    "",
    "Proxy-Authorization: Basic c2VjaWNlOmd1ZXNz\r\n",  /* secice:guess */
    "Proxy-Authorization: Basic \r\n",
    "Proxy-Authorization: Bearer x\r\n",
  };
  GSocket *tls_server, *tcp_server;
  guint16 tls_port, tcp_port, except[3] = { 0 };
  gchar *uri;
  Side *s;
  guint i, j;

  tls_server = listener_new (G_SOCKET_FAMILY_IPV4, &tls_port);
  tcp_server = listener_new (G_SOCKET_FAMILY_IPV4, &tcp_port);
  except[0] = tls_port;
  except[1] = tcp_port;
  uri = g_strdup_printf ("turns://user:secret@127.0.0.1:%u,"
      "turn://user:secret@127.0.0.1:%u?transport=tcp", tls_port, tcp_port);
  s = side_new (uri, "127.0.0.1");
  side_start (s);

  for (i = 0; i < G_N_ELEMENTS (authorizations); i++) {
    for (j = 0; j < 2; j++) {
      guint16 port = j == 0 ? tcp_port : tls_port;
      gchar *request = g_strdup_printf ("CONNECT 127.0.0.1:%u HTTP/1.0\r\n"
          "Host: 127.0.0.1\r\n%s\r\n", port, authorizations[i]);
      gchar *reply = proxy_request (proxy_port (except), request, NULL);

      fail_if (g_str_has_prefix (reply, "HTTP/1.1 2")
          || g_str_has_prefix (reply, "HTTP/1.0 2"), "the proxy opened a "
          "tunnel to the TURN server 127.0.0.1:%u for a local client "
          "without the proxy credential (\"%s\"): it replied \"%s\"", port,
          authorizations[i], reply);
      fail_unless (g_str_has_prefix (reply, "HTTP/1.0 407"), "reply \"%s\"",
          reply);
      g_free (reply);
      g_free (request);
    }
  }
  side_free (s);
  g_object_unref (tcp_server);
  g_object_unref (tls_server);
  g_free (uri);
}

GST_END_TEST;

/* TRUE if the peer closes @socket before @deadline; what it sent before
 * is dropped. */
static gboolean
socket_wait_closed (GSocket * socket, gint64 deadline)
{
  guint8 buf[256];
  gboolean closed = FALSE;

  while (!closed && g_get_monotonic_time () < deadline)
    socket_read (socket, buf, sizeof (buf), deadline, &closed);
  return closed;
}

/* PROXY_MAX_CONNECTIONS idle connections are held (until the request
 * timeout), more are closed at once; each held one is closed once it has
 * sent no complete request for PROXY_REQUEST_TIMEOUT_S. */
GST_START_TEST (test_connection_cap_and_request_timeout)
{
  const guint n_extra = 4, n = PROXY_MAX_CONNECTIONS + n_extra;
  GSocket *sockets[PROXY_MAX_CONNECTIONS + 4];
  gint64 opened[PROXY_MAX_CONNECTIONS + 4];
  guint16 dead_port, except[2] = { 0 };
  gchar *uri, *warning;
  GSocket *dead;
  Side *s;
  guint i;

  /* a turns:// server that refuses connections: the agent's own
   * connection through the proxy ends (with a warning) before the test
   * opens its own */
  dead = listener_new (G_SOCKET_FAMILY_IPV4, &dead_port);
  g_socket_close (dead, NULL);
  g_object_unref (dead);
  uri = g_strdup_printf ("turns://user:secret@127.0.0.1:%u", dead_port);
  s = side_new (uri, "127.0.0.1");
  side_start (s);
  warning = side_wait_warning (s, CONNECT_TIMEOUT_US);
  fail_unless (warning != NULL, "no warning about the unreachable server");
  fail_unless (strstr (warning, "secret") == NULL, "%s", warning);
  g_free (warning);

  for (i = 0; i < n; i++) {
    sockets[i] = connect_loopback (proxy_port (except));
    opened[i] = g_get_monotonic_time ();
  }
  /* the connections above the cap: closed at once, before the request
   * timeout (the bound leaves room for valgrind) */
  for (i = PROXY_MAX_CONNECTIONS; i < n; i++)
    fail_unless (socket_wait_closed (sockets[i], opened[i] +
            (PROXY_REQUEST_TIMEOUT_S - 1) * G_USEC_PER_SEC), "connection %u "
        "to the proxy, with %d open before it, is still open after %d s",
        i + 1, PROXY_MAX_CONNECTIONS, PROXY_REQUEST_TIMEOUT_S - 1);
  /* the others: closed by the request timeout, not before */
  for (i = 0; i < PROXY_MAX_CONNECTIONS; i++) {
    gboolean closed = socket_wait_closed (sockets[i], opened[i] +
        (PROXY_REQUEST_TIMEOUT_S + 5) * G_USEC_PER_SEC);
    gint64 lasted = g_get_monotonic_time () - opened[i];

    fail_unless (closed, "connection %u, which sent nothing, is still "
        "open after %d s", i + 1, PROXY_REQUEST_TIMEOUT_S + 5);
    fail_unless (lasted >= (PROXY_REQUEST_TIMEOUT_S - 1) * G_USEC_PER_SEC,
        "connection %u (of %d allowed) was closed after %" G_GINT64_FORMAT
        " ms, before the request timeout", i + 1, PROXY_MAX_CONNECTIONS,
        lasted / 1000);
  }
  for (i = 0; i < n; i++)
    g_object_unref (sockets[i]);
  side_free (s);
  g_free (uri);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean done;                /* protected by lock */
} Gathering;

/* ICE thread */
static void
on_gathering_done (GObject * transport, Gathering * g)
{
  g_mutex_lock (&g->lock);
  g->done = TRUE;
  g_cond_signal (&g->cond);
  g_mutex_unlock (&g->lock);
}

/* libnice's own timeout for a TURN server it reaches over TCP (about 2 s
 * with libnice 0.1.21), and room for a loaded machine */
#define GATHERING_TIMEOUT_US (20 * G_USEC_PER_SEC)

/* A turns:// server that cannot be used (__i__ 0: nothing listens; 1: it
 * accepts and closes at once, so the TLS handshake fails): a warning, and
 * gathering still ends, without a relay candidate. libnice 0.1.21 never
 * ends gathering when its connection to the proxy closes under it, so
 * the proxy keeps that connection open (and silent) until libnice closes
 * it, and libnice's own timeout ends the discovery. */
GST_START_TEST (test_failed_server_ends_gathering)
{
  guint16 port;
  GSocket *listener = listener_new (G_SOCKET_FAMILY_IPV4, &port);
  GSocket *accepted = NULL;
  gchar *uri = g_strdup_printf ("turns://user:secret@127.0.0.1:%u", port);
  Gathering g = { {0}, {0}, FALSE };
  gint64 start;
  gboolean done = TRUE;
  gchar *warning;
  Side *s;

  g_mutex_init (&g.lock);
  g_cond_init (&g.cond);
  if (__i__ == 0) {
    g_socket_close (listener, NULL);
    g_clear_object (&listener);
  }
  s = side_new (uri, "127.0.0.1");
  g_signal_connect (s->transport, "on-gathering-done",
      G_CALLBACK (on_gathering_done), &g);
  start = g_get_monotonic_time ();
  side_start (s);
  if (listener) {
    accepted = listener_accept (listener, start + CONNECT_TIMEOUT_US);
    fail_unless (accepted != NULL, "no connection reached the server");
    g_socket_close (accepted, NULL);
  }
  warning = side_wait_warning (s, CONNECT_TIMEOUT_US);
  fail_unless (warning != NULL, "no warning about the failed server");
  fail_unless (strstr (warning, "127.0.0.1") != NULL, "%s", warning);
  fail_unless (strstr (warning, "secret") == NULL, "%s", warning);
  g_free (warning);
  g_mutex_lock (&g.lock);
  while (!g.done && done)
    done = g_cond_wait_until (&g.cond, &g.lock, start + GATHERING_TIMEOUT_US);
  done = g.done;
  g_mutex_unlock (&g.lock);
  fail_unless (done, "gathering did not end within %d s of the start with "
      "an unusable TURN server", (gint) (GATHERING_TIMEOUT_US /
          G_USEC_PER_SEC));
  g_signal_handlers_disconnect_by_data (s->transport, &g);
  side_free (s);
  g_mutex_clear (&g.lock);
  g_cond_clear (&g.cond);
  g_clear_object (&accepted);
  g_clear_object (&listener);
  g_free (uri);
}

GST_END_TEST;

#define HAMMER_CONNECT_WAIT_US (50 * G_TIME_SPAN_MILLISECOND)
#ifndef TEARDOWN_ROUNDS
#define TEARDOWN_ROUNDS 20
#endif

typedef struct
{
  guint16 port;
  gint stop;                    /* atomic */
  gint n_connected;             /* atomic */
} Hammer;

/* Connects to the proxy again and again, sending half a request, until
 * told to stop (or the proxy is gone). */
static gpointer
hammer_run (gpointer data)
{
  Hammer *h = data;
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *address = g_inet_socket_address_new (loopback, h->port);

  while (!g_atomic_int_get (&h->stop)) {
    GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4,
        G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
    GError *error = NULL;
    gboolean connected;

    fail_unless (socket != NULL);
    /* non-blocking: a full backlog while the proxy goes would make a
     * blocking connect wait for SYN retransmissions */
    g_socket_set_blocking (socket, FALSE);
    connected = g_socket_connect (socket, address, NULL, &error);
    if (!connected && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
      connected = g_socket_condition_timed_wait (socket, G_IO_OUT,
          HAMMER_CONNECT_WAIT_US, NULL, NULL)
          && g_socket_check_connect_result (socket, NULL);
    g_clear_error (&error);
    if (connected) {
      g_atomic_int_inc (&h->n_connected);
      g_socket_send (socket, "CONNECT 127.0.0.1:1 HTTP/1.0\r\n", 30, NULL,
          NULL);
    }
    g_object_unref (socket);
  }
  g_object_unref (address);
  g_object_unref (loopback);
  return NULL;
}

/* Transports (and so their proxies) destroyed while local clients keep
 * connecting to the proxy: nothing touches freed memory (valgrind, ASan),
 * nothing hangs. */
GST_START_TEST (test_teardown_while_accepting)
{
  guint16 server_port, except[2] = { 0 };
  GSocket *server = listener_new (G_SOCKET_FAMILY_IPV4, &server_port);
  gchar *uri = g_strdup_printf ("turns://user:secret@127.0.0.1:%u",
      server_port);
  guint round;

  except[0] = server_port;
  for (round = 0; round < TEARDOWN_ROUNDS; round++) {
    Side *s = side_new (uri, "127.0.0.1");
    Hammer h = { 0 };
    GThread *threads[2];
    guint t;

    side_start (s);
    h.port = proxy_port (except);
    for (t = 0; t < G_N_ELEMENTS (threads); t++)
      threads[t] = g_thread_new ("hammer", hammer_run, &h);
    /* more connections each round, so that the teardown falls at
     * different points of the proxy's work */
    while (g_atomic_int_get (&h.n_connected) < (gint) (5 + 3 * round))
      g_thread_yield ();
    side_free (s);
    g_atomic_int_set (&h.stop, 1);
    for (t = 0; t < G_N_ELEMENTS (threads); t++)
      g_thread_join (threads[t]);
  }
  g_object_unref (server);
  g_free (uri);
}

GST_END_TEST;

static Suite *
secice_turnproxy_suite (void)
{
  Suite *s = suite_create ("secice-turnproxy");
  TCase *tc = tcase_create ("turns");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_loop_test (tc, test_turns_ipv6_literal_not_canonical, 0,
      G_N_ELEMENTS (ipv6_loopback_spellings));
  tcase_add_loop_test (tc, test_failed_server_ends_gathering, 0, 2);

  tc = tcase_create ("open-relay");
  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_connect_to_other_address_refused);
  tcase_add_test (tc, test_connect_without_credential_refused);
  tcase_add_test (tc, test_connection_cap_and_request_timeout);
  tcase_add_test (tc, test_teardown_while_accepting);
  return s;
}

GST_CHECK_MAIN (secice_turnproxy);
