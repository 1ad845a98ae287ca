/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secsrtpenc and secsrtpdec against gst-plugins-bad's srtpenc and srtpdec
 * (libsrtp2 on the distribution's crypto backend), the independent peer,
 * for every protection profile both implement:
 *
 * - their encrypt, our decrypt: plaintext RTP and RTCP go over loopback to
 *   "udpsrc ! srtpenc ! udpsink". (a) Their SRTP/SRTCP must be the very
 *   bytes secsrtpenc makes of the same packets: SRTP is deterministic given
 *   key, SSRC, index and payload, so this is a known-answer test against
 *   another implementation. (b) secsrtpdec must turn their packets back
 *   into the plaintext byte for byte. A second SSRC whose sequence
 *   numbers wrap checks that both agree on the rollover counter.
 * - our encrypt, their decrypt: secsrtpenc output goes to
 *   "udpsrc caps=... ! srtpdec ! udpsink" and must come back as the
 *   plaintext byte for byte.
 *
 * The peer is a gst-launch-1.0 process whose plugin path holds only the
 * system plugin directory and whose registry is a file of its own, so this
 * process never sees gst-plugins-bad's srtp plugin (DESIGN.md "Element
 * names"). One peer per direction serves all profiles, one branch each.
 * Peers are started and stopped by the parent test process (unchecked
 * fixtures), so a test that fails or crashes in its forked child cannot
 * leave one running; they also get SIGKILL if this process dies.
 *
 * The peer's udpsrc elements may not be bound when the first packet goes
 * out. Each peer pipeline has one more branch, a plain "udpsrc ! udpsink"
 * echo: the tests send it probe datagrams (a new one each try) until one
 * comes back, so the pipeline is playing and every udpsrc in it is bound
 * before the first SRTP packet goes out. Then a missing answer from an
 * SRTP branch means that branch dropped the packet, not that the peer was
 * slow to start, and the SRTP streams carry only the test packets.
 *
 * Exits with 77 (skipped) only when gst-launch-1.0 or gst-plugins-bad's
 * srtp plugin is not installed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "seccheck.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

typedef struct
{
  const gchar *profile;         /* our "profile" nick */
  gsize key_len;                /* master key || master salt */
  /* the same profile in gst-plugins-bad's terms */
  const gchar *rtp_cipher;
  const gchar *rtp_auth;
  const gchar *rtcp_cipher;
  const gchar *rtcp_auth;
  guint rtp_trailer;            /* tag */
  guint rtcp_trailer;           /* E flag and SRTCP index, tag */
  guint32 ssrc;
  guint8 key_seed;
} ProfileCase;

static const ProfileCase profile_cases[] = {
  {"aes128-cm-sha1-80", 30, "aes-128-icm", "hmac-sha1-80", "aes-128-icm",
      "hmac-sha1-80", 10, 14, 0x5ec0a001, 0x11},
  /* RFC 5764 §4.1.2: the 32-bit tag is for SRTP only, SRTCP keeps 80 */
  {"aes128-cm-sha1-32", 30, "aes-128-icm", "hmac-sha1-32", "aes-128-icm",
      "hmac-sha1-80", 4, 14, 0x5ec0a002, 0x22},
  /* RFC 7714: the AEAD tag replaces the authentication transform */
  {"aead-aes-128-gcm", 28, "aes-128-gcm", "null", "aes-128-gcm", "null",
      16, 20, 0x5ec0a003, 0x33},
  {"aead-aes-256-gcm", 44, "aes-256-gcm", "null", "aes-256-gcm", "null",
      16, 20, 0x5ec0a004, 0x44},
};

#define N_PROFILES G_N_ELEMENTS (profile_cases)

#define FIRST_TEST_SEQ 1000
#define N_TEST_RTP 50
/* the second stream of the srtpenc test: 65520..65535, then 0..13 under
 * rollover counter 1 (RFC 3711 §3.3.1) */
#define FIRST_WRAP_SEQ 65520
#define N_WRAP_RTP 30
#define WRAP_SSRC_OFFSET 0x100
#define N_TEST_RTCP 10
#define MAX_PAYLOAD 1188
#define MAX_DATAGRAM 65536
/* covers the peer's start, registry scan included, on a loaded machine */
#define READY_TIMEOUT_US (60 * G_USEC_PER_SEC)
#define PROBE_MIN_WAIT_US (20 * G_TIME_SPAN_MILLISECOND)
#define PROBE_MAX_WAIT_US (250 * G_TIME_SPAN_MILLISECOND)
/* once the peer echoes, an answer takes well under a millisecond */
#define PACKET_TIMEOUT_US (3 * G_USEC_PER_SEC)
#define STOP_TIMEOUT_MS 3000
/* mismatching packets described in a failure message, per kind */
#define MAX_REPORTED 5

/* A gst-launch-1.0 process and the sockets around it. Profile i has its
 * own branch: the peer's udpsrc ports (rtp_in, rtcp_in) and our sockets
 * its udpsinks send to (rtp_out, rtcp_out); echo_in and echo_out are the
 * ends of the plain echo branch. */
typedef struct
{
  const gchar *element;         /* "srtpenc" or "srtpdec" */
  GPid pid;                     /* 0 when not running */
  /* read end of the peer's stdout, where it writes nothing (-q): end of
   * file there means the process is gone. Forked tests can watch it too,
   * and it works where pidfds do not (valgrind). */
  gint stdout_fd;
  gchar *dir;                   /* holds the peer's registry */
  GSocketAddress *echo_in;
  GSocket *echo_out;
  GSocketAddress *rtp_in[N_PROFILES];
  GSocketAddress *rtcp_in[N_PROFILES];
  GSocket *rtp_out[N_PROFILES];
  GSocket *rtcp_out[N_PROFILES];
} Peer;

static Peer encrypting_peer = {.element = "srtpenc",.stdout_fd = -1 };
static Peer decrypting_peer = {.element = "srtpdec",.stdout_fd = -1 };

static gchar *gst_launch_path;

/* ---- helpers: packets ---- */

static gsize
test_payload_len (guint n)
{
  /* 1 and the largest first and last, varied sizes between */
  if (n == 0)
    return 1;
  if (n == N_TEST_RTP - 1)
    return MAX_PAYLOAD;
  return 1 + (FIRST_TEST_SEQ + n) * 37 % MAX_PAYLOAD;
}

static GstBuffer *
test_rtp_new (const ProfileCase * pc, guint n)
{
  guint16 seq = FIRST_TEST_SEQ + n;

  return sec_check_rtp_buffer_new (pc->ssrc, seq, seq * 3000,
      test_payload_len (n));
}

/* A sender report whose counters and NTP time differ from packet to
 * packet. */
static GstBuffer *
test_rtcp_new (const ProfileCase * pc, guint n)
{
  GstBuffer *buf = sec_check_rtcp_buffer_new (pc->ssrc);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  GST_WRITE_UINT32_BE (map.data + 12, 0x01020304 + n * 0x01010101);
  GST_WRITE_UINT32_BE (map.data + 16, 90000 + n * 3000);
  GST_WRITE_UINT32_BE (map.data + 20, 42 + n);
  GST_WRITE_UINT32_BE (map.data + 24, 4200 + n * 1000);
  gst_buffer_unmap (buf, &map);
  return buf;
}

static GstBuffer *
wrap_rtp_new (const ProfileCase * pc, guint n)
{
  guint16 seq = (guint16) (FIRST_WRAP_SEQ + n);

  return sec_check_rtp_buffer_new (pc->ssrc + WRAP_SSRC_OFFSET, seq,
      seq * 960, 1 + n * 97 % MAX_PAYLOAD);
}

static guint16
rtp_seq (GstBuffer * buf)
{
  guint8 header[4];

  fail_unless (gst_buffer_extract (buf, 0, header, 4) == 4);
  return GST_READ_UINT16_BE (header + 2);
}

/* "RTP SSRC 0x5ec0a001 seq 1000" or "RTCP packet 3", for messages */
static gchar *
describe_packet (GstBuffer * plain, gboolean rtcp, guint n)
{
  guint8 header[12];

  if (rtcp)
    return g_strdup_printf ("RTCP packet %u", n);
  fail_unless (gst_buffer_extract (plain, 0, header, 12) == 12);
  return g_strdup_printf ("RTP SSRC 0x%08x seq %u",
      GST_READ_UINT32_BE (header + 8), GST_READ_UINT16_BE (header + 2));
}

static gchar *
buffer_to_hex (GstBuffer * buf)
{
  GstMapInfo map;
  GString *hex = g_string_new (NULL);
  gsize i;

  gst_buffer_map (buf, &map, GST_MAP_READ);
  for (i = 0; i < map.size; i++)
    g_string_append_printf (hex, "%02x", map.data[i]);
  gst_buffer_unmap (buf, &map);
  return g_string_free (hex, FALSE);
}

/* TRUE if @a and @b hold the same bytes; otherwise counts the mismatch in
 * @n_mismatches and describes it (size, first differing offset) in
 * @report. */
static gboolean
compare_packets (const gchar * what, const gchar * name_a, GstBuffer * a,
    const gchar * name_b, GstBuffer * b, GString * report,
    guint * n_mismatches)
{
  GstMapInfo ma, mb;
  gsize common, offset;

  if (sec_check_buffers_equal (a, b))
    return TRUE;

  gst_buffer_map (a, &ma, GST_MAP_READ);
  gst_buffer_map (b, &mb, GST_MAP_READ);
  common = MIN (ma.size, mb.size);
  for (offset = 0; offset < common; offset++)
    if (ma.data[offset] != mb.data[offset])
      break;
  if (*n_mismatches < MAX_REPORTED) {
    g_string_append_printf (report, "\n  %s: %s %" G_GSIZE_FORMAT
        " bytes, %s %" G_GSIZE_FORMAT " bytes, first difference at offset %"
        G_GSIZE_FORMAT, what, name_a, ma.size, name_b, mb.size, offset);
    if (offset < common)
      g_string_append_printf (report, " (0x%02x vs 0x%02x)",
          ma.data[offset], mb.data[offset]);
  }
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
  (*n_mismatches)++;
  return FALSE;
}

/* ---- helpers: our elements ---- */

static void
assert_elements_are_ours (void)
{
  sec_check_factory_is_ours ("secsrtpenc");
  sec_check_factory_is_ours ("secsrtpdec");
  /* gst-plugins-bad lives only in the peer's process */
  sec_check_factory_absent ("srtpenc");
  sec_check_factory_absent ("srtpdec");
}

/* A harness around a new @factory element keyed for @pc. The caller
 * unrefs *element after gst_harness_teardown (). */
static GstHarness *
our_harness_new (const gchar * factory, const ProfileCase * pc,
    GstBuffer * key, gboolean rtcp, GstElement ** element)
{
  gboolean protect = g_str_equal (factory, "secsrtpenc");
  GstHarness *h;

  *element = gst_element_factory_make (factory, NULL);
  fail_unless (*element != NULL, "no %s", factory);
  gst_util_set_object_arg (G_OBJECT (*element), "profile", pc->profile);
  g_object_set (*element, "key", key, NULL);

  h = gst_harness_new_with_element (*element,
      rtcp ? "rtcp_sink_0" : "rtp_sink_0", rtcp ? "rtcp_src_0" : "rtp_src_0");
  if (rtcp)
    gst_harness_set_src_caps_str (h,
        protect ? "application/x-rtcp" : "application/x-srtcp");
  else
    gst_harness_set_src_caps_str (h, protect ?
        "application/x-rtp,media=video,clock-rate=90000,payload=96" :
        "application/x-srtp,media=video,clock-rate=90000,payload=96");
  return h;
}

/* Runs a copy of @in through @h; NULL if the element dropped it. */
static GstBuffer *
our_process (GstHarness * h, GstBuffer * in)
{
  fail_unless_equals_int (gst_harness_push (h, gst_buffer_copy_deep (in)),
      GST_FLOW_OK);
  /* the elements work synchronously: a result is there or never comes */
  return gst_harness_try_pull (h);
}

/* ---- helpers: sockets ---- */

static GSocketAddress *
loopback_address_new (guint16 port)
{
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *address = g_inet_socket_address_new (loopback, port);

  g_object_unref (loopback);
  return address;
}

/* A non-blocking UDP socket bound to 127.0.0.1 on a free port. */
static GSocket *
udp_socket_new_bound (void)
{
  GError *error = NULL;
  GSocket *socket;
  GSocketAddress *address;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, &error);
  fail_unless (socket != NULL, "socket: %s", error->message);
  address = loopback_address_new (0);
  fail_unless (g_socket_bind (socket, address, FALSE, &error),
      "bind 127.0.0.1:0: %s", error->message);
  g_object_unref (address);
  g_socket_set_blocking (socket, FALSE);
  return socket;
}

static guint16
socket_port (GSocket * socket)
{
  GSocketAddress *address = g_socket_get_local_address (socket, NULL);
  guint16 port;

  fail_unless (address != NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  g_object_unref (address);
  return port;
}

static void
send_packet (GSocket * sender, GSocketAddress * to, GstBuffer * packet)
{
  GError *error = NULL;
  GstMapInfo map;
  gssize sent;

  gst_buffer_map (packet, &map, GST_MAP_READ);
  sent = g_socket_send_to (sender, to, (const gchar *) map.data, map.size,
      NULL, &error);
  fail_unless (sent == (gssize) map.size, "send: %s",
      error ? error->message : "short write");
  gst_buffer_unmap (packet, &map);
}

/* Reads what the peer wrote on its stdout, passing it on to stderr.
 * Returns TRUE at end of file: the peer has exited. Never blocks. */
static gboolean
peer_drain_stdout (Peer * peer)
{
  gchar text[4096];

  for (;;) {
    gssize n = read (peer->stdout_fd, text, sizeof (text));

    if (n > 0)
      g_printerr ("%s peer: %.*s", peer->element, (gint) n, text);
    else if (n == 0)
      return TRUE;
    else if (errno != EINTR)
      return FALSE;             /* EAGAIN: nothing more for now */
  }
}

/* Waits until @socket is readable (TRUE) or @deadline (monotonic time)
 * passes (FALSE). Fails the test if the peer process exits meanwhile. */
static gboolean
wait_readable (Peer * peer, GSocket * socket, gint64 deadline)
{
  for (;;) {
    GPollFD fds[2];
    gint64 now = g_get_monotonic_time ();
    gint n;

    if (now >= deadline)
      return FALSE;
    fds[0].fd = g_socket_get_fd (socket);
    fds[0].events = G_IO_IN;
    fds[0].revents = 0;
    fds[1].fd = peer->stdout_fd;
    fds[1].events = G_IO_IN | G_IO_HUP;
    fds[1].revents = 0;
    n = g_poll (fds, 2, (gint) ((deadline - now + 999) / 1000));
    if (n < 0) {
      fail_unless (errno == EINTR, "poll: %s", g_strerror (errno));
      continue;
    }
    fail_if (fds[1].revents != 0 && peer_drain_stdout (peer),
        "the %s peer (gst-launch-1.0, pid %d) exited early; its messages "
        "are above", peer->element, (gint) peer->pid);
    if (fds[0].revents != 0)
      return TRUE;
  }
}

/* The next datagram on @socket, or NULL if none came before @deadline. */
static GstBuffer *
receive_datagram (Peer * peer, GSocket * socket, gint64 deadline)
{
  static guint8 datagram[MAX_DATAGRAM];

  for (;;) {
    GError *error = NULL;
    gssize len = g_socket_receive (socket, (gchar *) datagram,
        sizeof (datagram), NULL, &error);

    if (len >= 0)
      return gst_buffer_new_memdup (datagram, len);
    fail_unless (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK),
        "receive: %s", error->message);
    g_clear_error (&error);
    if (!wait_readable (peer, socket, deadline))
      return NULL;
  }
}

/* The RTP (or SRTP) packet with sequence number @seq from @socket, or
 * NULL if nothing came before @deadline. Any other packet is an error:
 * packets go one at a time over loopback. */
static GstBuffer *
receive_rtp (Peer * peer, GSocket * socket, guint16 seq, gint64 deadline)
{
  GstBuffer *buf = receive_datagram (peer, socket, deadline);

  if (buf == NULL)
    return NULL;
  fail_unless (gst_buffer_get_size (buf) >= 12,
      "the %s peer sent a %" G_GSIZE_FORMAT "-byte datagram", peer->element,
      gst_buffer_get_size (buf));
  fail_unless (rtp_seq (buf) == seq, "waiting for sequence number %u, the "
      "%s peer sent %u", seq, peer->element, rtp_seq (buf));
  return buf;
}

/* Sends probe datagrams to the echo branch of @peer, a new one each try,
 * until one comes back: from then on its pipeline is playing. */
static void
wait_until_peer_answers (Peer * peer, GSocket * sender)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + READY_TIMEOUT_US;
  gint64 wait_us = PROBE_MIN_WAIT_US;
  guint n_probes = 0;

  while (g_get_monotonic_time () < deadline) {
    GstBuffer *probe = gst_buffer_new_allocate (NULL, 4, NULL);
    GstBuffer *answer;

    gst_buffer_memset (probe, 0, (guint8) n_probes, 4);
    send_packet (sender, peer->echo_in, probe);
    gst_buffer_unref (probe);
    n_probes++;

    /* an answer to any probe, this test's or an earlier one's, will do */
    answer = receive_datagram (peer, peer->echo_out,
        MIN (deadline, g_get_monotonic_time () + wait_us));
    if (answer) {
      gst_buffer_unref (answer);
      GST_INFO ("the %s peer answered probe %u after %" G_GINT64_FORMAT
          " ms", peer->element, n_probes,
          (g_get_monotonic_time () - start) / 1000);
      return;
    }
    wait_us = MIN (wait_us * 2, PROBE_MAX_WAIT_US);
  }
  fail ("the %s peer (gst-launch-1.0, pid %d) did not echo any of %u probe "
      "datagrams in %d s: its pipeline is not playing (see its messages "
      "above)", peer->element, (gint) peer->pid, n_probes,
      (gint) (READY_TIMEOUT_US / G_USEC_PER_SEC));
}

/* ---- the peer process ---- */

static void
peer_child_setup (gpointer user_data)
{
#ifdef __linux__
  /* if this process dies without its teardown (a crash, meson's timeout),
   * the peer goes too */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

/* TRUE once the peer has exited (end of file on its stdout), FALSE after
 * @timeout_ms. */
static gboolean
peer_wait_exit (Peer * peer, gint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  for (;;) {
    GPollFD fd = { peer->stdout_fd, G_IO_IN | G_IO_HUP, 0 };
    gint64 now;

    if (peer_drain_stdout (peer))
      return TRUE;
    now = g_get_monotonic_time ();
    if (now >= deadline)
      return FALSE;
    g_poll (&fd, 1, (gint) ((deadline - now + 999) / 1000));
  }
}

static void
remove_dir (const gchar * path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL) {
    gchar *file = g_build_filename (path, name, NULL);

    g_unlink (file);
    g_free (file);
  }
  g_dir_close (dir);
  g_rmdir (path);
}

/* Stops @peer by its PID: SIGTERM, then SIGKILL if it is still there
 * after STOP_TIMEOUT_MS; every wait is bounded. Also frees its sockets
 * and registry. Safe on a partly started peer. */
static void
peer_stop (Peer * peer)
{
  guint i;

  if (peer->pid > 0) {
    gboolean early = peer_wait_exit (peer, 0);
    gboolean exited = early;
    gint status = 0;

    if (!exited) {
      kill (peer->pid, SIGTERM);
      exited = peer_wait_exit (peer, STOP_TIMEOUT_MS);
    }
    if (!exited) {
      g_printerr ("the %s peer (pid %d) ignored SIGTERM for %d ms, sending "
          "SIGKILL\n", peer->element, (gint) peer->pid, STOP_TIMEOUT_MS);
      kill (peer->pid, SIGKILL);
      exited = peer_wait_exit (peer, STOP_TIMEOUT_MS);
    }
    if (exited) {
      pid_t reaped = waitpid (peer->pid, &status, WNOHANG);

      /* Its files are closed, so it is a zombie already or in its last
       * steps of exiting; SIGKILL makes sure this wait ends. */
      if (reaped == 0) {
        kill (peer->pid, SIGKILL);
        reaped = waitpid (peer->pid, &status, 0);
      }
      if (early && reaped == peer->pid)
        g_printerr ("the %s peer (pid %d) had exited before its teardown, "
            "with %s %d\n", peer->element, (gint) peer->pid,
            WIFEXITED (status) ? "exit code" : "signal",
            WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status));
    } else {
      g_printerr ("the %s peer (pid %d) survived SIGKILL for %d ms\n",
          peer->element, (gint) peer->pid, STOP_TIMEOUT_MS);
    }
    g_spawn_close_pid (peer->pid);
    peer->pid = 0;
  }
  if (peer->stdout_fd >= 0) {
    close (peer->stdout_fd);
    peer->stdout_fd = -1;
  }
  g_clear_object (&peer->echo_in);
  g_clear_object (&peer->echo_out);
  for (i = 0; i < N_PROFILES; i++) {
    g_clear_object (&peer->rtp_in[i]);
    g_clear_object (&peer->rtcp_in[i]);
    g_clear_object (&peer->rtp_out[i]);
    g_clear_object (&peer->rtcp_out[i]);
  }
  if (peer->dir) {
    remove_dir (peer->dir);
    g_clear_pointer (&peer->dir, g_free);
  }
}

/* Binds sockets for our ends and finds free ports for the peer's
 * udpsrc elements (bound all at once so they differ, then closed). */
static void
peer_prepare_sockets (Peer * peer)
{
  GSocket *placeholder[2 * N_PROFILES + 1];
  guint i;

  peer->echo_out = udp_socket_new_bound ();
  for (i = 0; i < N_PROFILES; i++) {
    peer->rtp_out[i] = udp_socket_new_bound ();
    peer->rtcp_out[i] = udp_socket_new_bound ();
  }
  for (i = 0; i < G_N_ELEMENTS (placeholder); i++)
    placeholder[i] = udp_socket_new_bound ();
  for (i = 0; i < N_PROFILES; i++) {
    peer->rtp_in[i] = loopback_address_new (socket_port (placeholder[2 * i]));
    peer->rtcp_in[i] =
        loopback_address_new (socket_port (placeholder[2 * i + 1]));
  }
  peer->echo_in =
      loopback_address_new (socket_port (placeholder[2 * N_PROFILES]));
  for (i = 0; i < G_N_ELEMENTS (placeholder); i++)
    g_object_unref (placeholder[i]);
}

static guint16
address_port (GSocketAddress * address)
{
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* Appends the words of @description (no word contains a space) to @argv;
 * gst-launch-1.0 joins its arguments back into one description. */
static void
add_words (GPtrArray * argv, gchar * description)
{
  gchar **words = g_strsplit (description, " ", -1);
  guint i;

  for (i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_ptr_array_add (argv, g_strdup (words[i]));
  g_strfreev (words);
  g_free (description);
}

static void
add_encrypting_branch (GPtrArray * argv, Peer * peer, guint i)
{
  const ProfileCase *pc = &profile_cases[i];
  GstBuffer *key = sec_check_key_new (pc->key_len, pc->key_seed);
  gchar *hex = buffer_to_hex (key);

  add_words (argv, g_strdup_printf ("srtpenc name=enc%u key=%s "
          "rtp-cipher=%s rtp-auth=%s rtcp-cipher=%s rtcp-auth=%s "
          "udpsrc address=127.0.0.1 port=%u caps=application/x-rtp "
          "! enc%u.rtp_sink_0 "
          "enc%u.rtp_src_0 ! udpsink host=127.0.0.1 port=%u "
          "bind-address=127.0.0.1 sync=false async=false "
          "udpsrc address=127.0.0.1 port=%u caps=application/x-rtcp "
          "! enc%u.rtcp_sink_0 "
          "enc%u.rtcp_src_0 ! udpsink host=127.0.0.1 port=%u "
          "bind-address=127.0.0.1 sync=false async=false",
          i, hex, pc->rtp_cipher, pc->rtp_auth, pc->rtcp_cipher,
          pc->rtcp_auth, address_port (peer->rtp_in[i]), i, i,
          socket_port (peer->rtp_out[i]), address_port (peer->rtcp_in[i]),
          i, i, socket_port (peer->rtcp_out[i])));
  g_free (hex);
  gst_buffer_unref (key);
}

static void
add_decrypting_branch (GPtrArray * argv, Peer * peer, guint i)
{
  const ProfileCase *pc = &profile_cases[i];
  GstBuffer *key = sec_check_key_new (pc->key_len, pc->key_seed);
  gchar *hex = buffer_to_hex (key);
  /* srtpdec takes the key of the SSRC from its sink caps */
  gchar *fields = g_strdup_printf ("ssrc=(uint)%u,srtp-key=(buffer)%s,"
      "srtp-cipher=(string)%s,srtp-auth=(string)%s,"
      "srtcp-cipher=(string)%s,srtcp-auth=(string)%s",
      pc->ssrc, hex, pc->rtp_cipher, pc->rtp_auth, pc->rtcp_cipher,
      pc->rtcp_auth);

  add_words (argv, g_strdup_printf ("srtpdec name=dec%u "
          "udpsrc address=127.0.0.1 port=%u caps=application/x-srtp,%s "
          "! dec%u.rtp_sink "
          "dec%u.rtp_src ! udpsink host=127.0.0.1 port=%u "
          "bind-address=127.0.0.1 sync=false async=false "
          "udpsrc address=127.0.0.1 port=%u caps=application/x-srtcp,%s "
          "! dec%u.rtcp_sink "
          "dec%u.rtcp_src ! udpsink host=127.0.0.1 port=%u "
          "bind-address=127.0.0.1 sync=false async=false",
          i, address_port (peer->rtp_in[i]), fields, i, i,
          socket_port (peer->rtp_out[i]), address_port (peer->rtcp_in[i]),
          fields, i, i, socket_port (peer->rtcp_out[i])));
  g_free (fields);
  g_free (hex);
  gst_buffer_unref (key);
}

/* The peer's environment: ours, but with the system plugin directory as
 * the only plugin path and a registry file of its own. */
static gchar **
peer_environ_new (Peer * peer)
{
  gchar **envp = g_get_environ ();
  gchar *registry = g_build_filename (peer->dir, "registry.bin", NULL);

  envp = g_environ_setenv (envp, "GST_PLUGIN_SYSTEM_PATH_1_0",
      g_getenv ("SEC_SYSTEM_PLUGIN_DIR"), TRUE);
  envp = g_environ_unsetenv (envp, "GST_PLUGIN_SYSTEM_PATH");
  envp = g_environ_unsetenv (envp, "GST_PLUGIN_PATH_1_0");
  envp = g_environ_unsetenv (envp, "GST_PLUGIN_PATH");
  envp = g_environ_setenv (envp, "GST_REGISTRY_1_0", registry, TRUE);
  envp = g_environ_unsetenv (envp, "GST_REGISTRY");
  g_free (registry);
  return envp;
}

static void
peer_start (Peer * peer, gboolean encrypting)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  gchar **envp;
  gchar *command;
  gboolean spawned;
  guint i;

  fail_unless (g_getenv ("SEC_SYSTEM_PLUGIN_DIR") != NULL,
      "SEC_SYSTEM_PLUGIN_DIR is not set: run the tests through meson test");
  peer_prepare_sockets (peer);
  peer->dir = g_dir_make_tmp ("secsrtp-gstbad-XXXXXX", &error);
  fail_unless (peer->dir != NULL, "temporary directory: %s", error->message);

  g_ptr_array_add (argv, g_strdup (gst_launch_path));
  g_ptr_array_add (argv, g_strdup ("-q"));
  add_words (argv, g_strdup_printf ("udpsrc address=127.0.0.1 port=%u "
          "! udpsink host=127.0.0.1 port=%u bind-address=127.0.0.1 "
          "sync=false async=false", address_port (peer->echo_in),
          socket_port (peer->echo_out)));
  for (i = 0; i < N_PROFILES; i++) {
    if (encrypting)
      add_encrypting_branch (argv, peer, i);
    else
      add_decrypting_branch (argv, peer, i);
  }
  g_ptr_array_add (argv, NULL);
  command = g_strjoinv (" ", (gchar **) argv->pdata);
  GST_INFO ("starting the %s peer: %s", peer->element, command);

  envp = peer_environ_new (peer);
  spawned = g_spawn_async_with_pipes (NULL, (gchar **) argv->pdata, envp,
      G_SPAWN_DO_NOT_REAP_CHILD, peer_child_setup, NULL, &peer->pid, NULL,
      &peer->stdout_fd, NULL, &error);
  g_strfreev (envp);
  g_ptr_array_unref (argv);
  if (!spawned) {
    peer_stop (peer);
    fail ("cannot start %s: %s", command, error->message);
  }
  g_free (command);
  fail_unless (g_unix_set_fd_nonblocking (peer->stdout_fd, TRUE, NULL));
}

static void
encrypting_peer_start (void)
{
  peer_start (&encrypting_peer, TRUE);
}

static void
encrypting_peer_stop (void)
{
  peer_stop (&encrypting_peer);
}

static void
decrypting_peer_start (void)
{
  peer_start (&decrypting_peer, FALSE);
}

static void
decrypting_peer_stop (void)
{
  peer_stop (&decrypting_peer);
}

/* ---- tests ---- */

GST_START_TEST (test_elements_are_ours)
{
  assert_elements_are_ours ();
}

GST_END_TEST;

GST_START_TEST (test_their_encrypt_our_decrypt)
{
  const ProfileCase *pc = &profile_cases[__i__];
  Peer *peer = &encrypting_peer;
  GstBuffer *key = sec_check_key_new (pc->key_len, pc->key_seed);
  /* RTP packets (two SSRCs), then RTCP packets */
  GstBuffer *plain[N_TEST_RTP + N_WRAP_RTP + N_TEST_RTCP];
  GstBuffer *theirs[N_TEST_RTP + N_WRAP_RTP + N_TEST_RTCP];
  const guint n_rtp = N_TEST_RTP + N_WRAP_RTP;
  const guint n_packets = G_N_ELEMENTS (plain);
  GstElement *enc_rtp, *enc_rtcp, *dec_rtp, *dec_rtcp;
  GstHarness *h_enc_rtp, *h_enc_rtcp, *h_dec_rtp, *h_dec_rtcp;
  GString *report_enc = g_string_new (NULL);
  GString *report_dec = g_string_new (NULL);
  guint n_ours_differ = 0, n_not_decrypted = 0;
  GSocket *sender;
  guint n;

  assert_elements_are_ours ();
  sender = udp_socket_new_bound ();
  g_socket_set_blocking (sender, TRUE);
  wait_until_peer_answers (peer, sender);

  /* their encrypt, one packet at a time */
  for (n = 0; n < n_packets; n++) {
    gboolean rtcp = n >= n_rtp;
    gint64 deadline = g_get_monotonic_time () + PACKET_TIMEOUT_US;
    gchar *what;

    if (rtcp)
      plain[n] = test_rtcp_new (pc, n - n_rtp);
    else if (n < N_TEST_RTP)
      plain[n] = test_rtp_new (pc, n);
    else
      plain[n] = wrap_rtp_new (pc, n - N_TEST_RTP);
    what = describe_packet (plain[n], rtcp, n - n_rtp);

    send_packet (sender, rtcp ? peer->rtcp_in[__i__] : peer->rtp_in[__i__],
        plain[n]);
    if (rtcp)
      theirs[n] = receive_datagram (peer, peer->rtcp_out[__i__], deadline);
    else
      theirs[n] = receive_rtp (peer, peer->rtp_out[__i__],
          rtp_seq (plain[n]), deadline);
    fail_unless (theirs[n] != NULL, "%s: srtpenc sent nothing for %s",
        pc->profile, what);
    fail_unless_equals_int (gst_buffer_get_size (theirs[n]),
        gst_buffer_get_size (plain[n]) +
        (rtcp ? pc->rtcp_trailer : pc->rtp_trailer));
    g_free (what);
  }

  /* (a) known answers: secsrtpenc makes the same bytes of the same
   * packets (same key, SSRCs and indexes; SRTCP indexes from 1) */
  h_enc_rtp = our_harness_new ("secsrtpenc", pc, key, FALSE, &enc_rtp);
  h_enc_rtcp = our_harness_new ("secsrtpenc", pc, key, TRUE, &enc_rtcp);
  for (n = 0; n < n_packets; n++) {
    gboolean rtcp = n >= n_rtp;
    GstBuffer *ours = our_process (rtcp ? h_enc_rtcp : h_enc_rtp, plain[n]);
    gchar *what = describe_packet (plain[n], rtcp, n - n_rtp);

    fail_unless (ours != NULL, "secsrtpenc dropped %s", what);
    compare_packets (what, "secsrtpenc", ours, "srtpenc", theirs[n],
        report_enc, &n_ours_differ);
    gst_buffer_unref (ours);
    g_free (what);
  }

  /* (b) secsrtpdec decrypts theirs back to the plaintext */
  h_dec_rtp = our_harness_new ("secsrtpdec", pc, key, FALSE, &dec_rtp);
  h_dec_rtcp = our_harness_new ("secsrtpdec", pc, key, TRUE, &dec_rtcp);
  for (n = 0; n < n_packets; n++) {
    gboolean rtcp = n >= n_rtp;
    GstBuffer *out = our_process (rtcp ? h_dec_rtcp : h_dec_rtp, theirs[n]);
    gchar *what = describe_packet (plain[n], rtcp, n - n_rtp);

    if (out == NULL) {
      if (n_not_decrypted < MAX_REPORTED)
        g_string_append_printf (report_dec, "\n  %s: secsrtpdec dropped "
            "srtpenc's packet", what);
      n_not_decrypted++;
    } else {
      compare_packets (what, "plaintext", plain[n], "secsrtpdec output", out,
          report_dec, &n_not_decrypted);
      gst_buffer_unref (out);
    }
    g_free (what);
  }

  fail_unless (n_ours_differ == 0 && n_not_decrypted == 0,
      "%s: %u of %u packets from secsrtpenc differ from srtpenc's, %u of "
      "srtpenc's packets did not decrypt to the plaintext with "
      "secsrtpdec:%s%s", pc->profile, n_ours_differ, n_packets,
      n_not_decrypted, report_enc->str, report_dec->str);
  fail_unless_equals_uint64 (sec_check_stat (dec_rtp, pc->ssrc,
          "rtp-packets-unprotected"), N_TEST_RTP);
  fail_unless_equals_uint64 (sec_check_stat (dec_rtp,
          pc->ssrc + WRAP_SSRC_OFFSET, "rtp-packets-unprotected"),
      N_WRAP_RTP);
  fail_unless_equals_uint64 (sec_check_stat (dec_rtcp, pc->ssrc,
          "rtcp-packets-unprotected"), N_TEST_RTCP);
  fail_unless_equals_uint64 (sec_check_stat (dec_rtp, 0, "auth-failures"), 0);

  for (n = 0; n < n_packets; n++) {
    gst_buffer_unref (plain[n]);
    gst_buffer_unref (theirs[n]);
  }
  gst_harness_teardown (h_enc_rtp);
  gst_harness_teardown (h_enc_rtcp);
  gst_harness_teardown (h_dec_rtp);
  gst_harness_teardown (h_dec_rtcp);
  gst_object_unref (enc_rtp);
  gst_object_unref (enc_rtcp);
  gst_object_unref (dec_rtp);
  gst_object_unref (dec_rtcp);
  g_string_free (report_enc, TRUE);
  g_string_free (report_dec, TRUE);
  g_object_unref (sender);
  gst_buffer_unref (key);
}

GST_END_TEST;

GST_START_TEST (test_our_encrypt_their_decrypt)
{
  const ProfileCase *pc = &profile_cases[__i__];
  Peer *peer = &decrypting_peer;
  GstBuffer *key = sec_check_key_new (pc->key_len, pc->key_seed);
  GstElement *enc_rtp, *enc_rtcp;
  GstHarness *h_enc_rtp, *h_enc_rtcp;
  GString *report = g_string_new (NULL);
  guint n_differ = 0;
  GSocket *sender;
  guint n;

  assert_elements_are_ours ();
  h_enc_rtp = our_harness_new ("secsrtpenc", pc, key, FALSE, &enc_rtp);
  h_enc_rtcp = our_harness_new ("secsrtpenc", pc, key, TRUE, &enc_rtcp);
  sender = udp_socket_new_bound ();
  g_socket_set_blocking (sender, TRUE);
  wait_until_peer_answers (peer, sender);

  for (n = 0; n < N_TEST_RTP + N_TEST_RTCP; n++) {
    gboolean rtcp = n >= N_TEST_RTP;
    guint k = rtcp ? n - N_TEST_RTP : n;
    guint16 seq = FIRST_TEST_SEQ + k;
    GstBuffer *plain = rtcp ? test_rtcp_new (pc, k) : test_rtp_new (pc, k);
    GstBuffer *protected = our_process (rtcp ? h_enc_rtcp : h_enc_rtp, plain);
    GstBuffer *theirs;
    gchar *what = describe_packet (plain, rtcp, k);
    gint64 deadline = g_get_monotonic_time () + PACKET_TIMEOUT_US;

    fail_unless (protected != NULL, "secsrtpenc dropped %s", what);
    send_packet (sender, rtcp ? peer->rtcp_in[__i__] : peer->rtp_in[__i__],
        protected);
    if (rtcp)
      theirs = receive_datagram (peer, peer->rtcp_out[__i__], deadline);
    else
      theirs = receive_rtp (peer, peer->rtp_out[__i__], seq, deadline);
    fail_unless (theirs != NULL, "%s: srtpdec gave nothing back for %s "
        "within %d s: it rejected what secsrtpenc protected (run with "
        "GST_DEBUG=srtpdec:5 for its reason)", pc->profile, what,
        (gint) (PACKET_TIMEOUT_US / G_USEC_PER_SEC));
    compare_packets (what, "plaintext", plain, "srtpdec output", theirs,
        report, &n_differ);

    gst_buffer_unref (theirs);
    gst_buffer_unref (protected);
    gst_buffer_unref (plain);
    g_free (what);
  }
  fail_unless (n_differ == 0, "%s: %u of %u packets protected by "
      "secsrtpenc came out of srtpdec different from the plaintext:%s",
      pc->profile, n_differ, N_TEST_RTP + N_TEST_RTCP, report->str);
  fail_unless_equals_uint64 (sec_check_stat (enc_rtp, 0,
          "packets-protected"), N_TEST_RTP);
  fail_unless_equals_uint64 (sec_check_stat (enc_rtcp, 0,
          "packets-protected"), N_TEST_RTCP);

  gst_harness_teardown (h_enc_rtp);
  gst_harness_teardown (h_enc_rtcp);
  gst_object_unref (enc_rtp);
  gst_object_unref (enc_rtcp);
  g_string_free (report, TRUE);
  g_object_unref (sender);
  gst_buffer_unref (key);
}

GST_END_TEST;

/* Exits with 77 (meson's "skipped") when the peer is not installed. */
static void
skip_unless_peer_installed (void)
{
  const gchar *system_dir = g_getenv ("SEC_SYSTEM_PLUGIN_DIR");

  gst_launch_path = g_find_program_in_path ("gst-launch-1.0");
  if (gst_launch_path == NULL) {
    g_print ("SKIP: gst-launch-1.0 is not installed (Debian: "
        "gstreamer1.0-tools), so gst-plugins-bad's srtpenc/srtpdec cannot "
        "run as the peer\n");
    exit (77);
  }
  if (system_dir != NULL) {
    gchar *plugin = g_build_filename (system_dir, "libgstsrtp.so", NULL);

    if (!g_file_test (plugin, G_FILE_TEST_IS_REGULAR)) {
      g_print ("SKIP: %s is missing: gst-plugins-bad's srtp plugin is not "
          "installed (Debian: gstreamer1.0-plugins-bad)\n", plugin);
      exit (77);
    }
    g_free (plugin);
  }
  /* without SEC_SYSTEM_PLUGIN_DIR the peers fail to start, loudly */
}

static Suite *
srtp_gstbad_suite (void)
{
  Suite *s = suite_create ("srtp-gstbad");
  TCase *tc_env = tcase_create ("environment");
  TCase *tc_their_encrypt = tcase_create ("their-encrypt-our-decrypt");
  TCase *tc_their_decrypt = tcase_create ("our-encrypt-their-decrypt");

  skip_unless_peer_installed ();

  suite_add_tcase (s, tc_env);
  tcase_add_test (tc_env, test_elements_are_ours);

  /* the peers are started and stopped by this process, not by the forked
   * test processes, so they are stopped whatever the tests do */
  suite_add_tcase (s, tc_their_encrypt);
  tcase_add_unchecked_fixture (tc_their_encrypt, encrypting_peer_start,
      encrypting_peer_stop);
  tcase_add_loop_test (tc_their_encrypt, test_their_encrypt_our_decrypt, 0,
      N_PROFILES);

  suite_add_tcase (s, tc_their_decrypt);
  tcase_add_unchecked_fixture (tc_their_decrypt, decrypting_peer_start,
      decrypting_peer_stop);
  tcase_add_loop_test (tc_their_decrypt, test_our_encrypt_their_decrypt, 0,
      N_PROFILES);

  return s;
}

GST_CHECK_MAIN (srtp_gstbad);
