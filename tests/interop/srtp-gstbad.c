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
 * process never sees gst-plugins-bad's srtp plugin
 * (docs/design/overview.md, "Element names"). One peer per direction
 * serves all profiles, one branch each.
 * srtpdec gets its key from the caps of its sink pads and handles those
 * caps without taking its lock: with RTP and RTCP into one srtpdec, the two
 * udpsrc streaming threads set caps at once at startup and, now and then,
 * corrupt its stream table (a crash at the first packet, or in malloc).
 * So each srtpdec takes one pad's stream, RTP or RTCP. The peer runs with
 * --no-fault: if it crashes all the same, it dies and the tests fail at
 * once, where gst-launch's fault handler would keep the crashed process
 * alive and silent (a crashed streaming thread that holds its udpsrc's
 * lock stops the pipeline from reaching PLAYING, so the echo never comes
 * and every test waited its full ready timeout).
 * Peers are started and stopped by the parent test process (unchecked
 * fixtures), so a test that fails or crashes in its forked child cannot
 * leave one running; they also get SIGKILL if this process dies.
 *
 * The peer's udpsrc elements may not be bound when the first packet goes
 * out. Each peer pipeline has one more branch, a plain "udpsrc ! udpsink"
 * echo: the fixture that starts the peer sends it probe datagrams (a new
 * one each try) until one comes back, so the pipeline is playing and every
 * udpsrc in it is bound before the first SRTP packet goes out. Then a
 * missing answer from an SRTP branch means that branch dropped the packet,
 * not that the peer was slow to start, and the SRTP streams carry only the
 * test packets. A peer that never plays costs one ready timeout, in the
 * fixture, whose failure skips the tests of its direction; each test
 * checks the echo again with the short packet timeout.
 *
 * Exits with 77 (skipped) only when gst-launch-1.0 or gst-plugins-bad's
 * srtp plugin is not installed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "secpeer.h"

#include <string.h>
#include <sys/wait.h>

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
/* covers the peer's start, registry scan included, on a loaded machine */
#define READY_TIMEOUT_US (60 * G_USEC_PER_SEC)
/* starts of a peer when one of its ports was taken meanwhile */
#define PEER_ATTEMPTS 3
/* once the peer echoes, an answer takes well under a millisecond */
#define PACKET_TIMEOUT_US (3 * G_USEC_PER_SEC)
/* mismatching packets described in a failure message, per kind */
#define MAX_REPORTED 5

/* A gst-launch-1.0 process and the sockets around it. Profile i has its
 * own branch: the peer's udpsrc ports (rtp_in, rtcp_in) and our sockets
 * its udpsinks send to (rtp_out, rtcp_out); echo_in and echo_out are the
 * ends of the plain echo branch. */
typedef struct
{
  const gchar *element;         /* "srtpenc" or "srtpdec" */
  /* started with SEC_PEER_ECHO: what it writes on stdout (nothing, with
   * -q) is passed on to our stderr, where its stderr goes directly. End
   * of file on its stdout means the process is gone; forked tests can
   * watch it too, and it works where pidfds do not (valgrind). */
  SecPeer process;
  gchar *dir;                   /* holds the peer's registry */
  GSocket *probe_sender;        /* the fixture's, for the echo */
  GSocketAddress *echo_in;
  GSocket *echo_out;
  GSocketAddress *rtp_in[N_PROFILES];
  GSocketAddress *rtcp_in[N_PROFILES];
  GSocket *rtp_out[N_PROFILES];
  GSocket *rtcp_out[N_PROFILES];
  /* the local ports of the peer's udpsinks: echo, then RTP and RTCP of
   * each profile */
  guint16 sink_port[2 * N_PROFILES + 1];
} Peer;

static Peer encrypting_peer = {.element = "srtpenc" };
static Peer decrypting_peer = {.element = "srtpdec" };

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

/* The RTP (or SRTP) packet with sequence number @seq from @socket, or
 * NULL if nothing came before @deadline. Any other packet is an error:
 * packets go one at a time over loopback. */
static GstBuffer *
receive_rtp (Peer * peer, GSocket * socket, guint16 seq, gint64 deadline)
{
  GstBuffer *buf = sec_peer_receive (&peer->process, socket, deadline);

  if (buf == NULL)
    return NULL;
  fail_unless (gst_buffer_get_size (buf) >= 12,
      "the %s peer sent a %" G_GSIZE_FORMAT "-byte datagram", peer->element,
      gst_buffer_get_size (buf));
  fail_unless (rtp_seq (buf) == seq, "waiting for sequence number %u, the "
      "%s peer sent %u", seq, peer->element, rtp_seq (buf));
  return buf;
}

/* ---- the peer process ---- */

/* Stops @peer by its PID (sec_peer_stop ()), saying so if it had exited
 * on its own. Also frees its sockets and registry. Safe on a partly
 * started peer. */
static void
peer_stop (Peer * peer)
{
  GPid pid = peer->process.pid;
  gint status = 0;
  guint i;

  if (sec_peer_stop (&peer->process, &status))
    g_printerr ("the %s peer (pid %d) had exited before its teardown, "
        "with %s %d\n", peer->element, (gint) pid,
        WIFEXITED (status) ? "exit code" : "signal",
        WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status));
  g_clear_object (&peer->probe_sender);
  g_clear_object (&peer->echo_in);
  g_clear_object (&peer->echo_out);
  for (i = 0; i < N_PROFILES; i++) {
    g_clear_object (&peer->rtp_in[i]);
    g_clear_object (&peer->rtcp_in[i]);
    g_clear_object (&peer->rtp_out[i]);
    g_clear_object (&peer->rtcp_out[i]);
  }
  if (peer->dir) {
    sec_peer_dir_remove (peer->dir);
    g_clear_pointer (&peer->dir, g_free);
  }
}

/* Binds sockets for our ends and finds free ports for the peer's
 * udpsrc and udpsink elements (bound all at once so they differ, then
 * closed). The kernel readily hands a port just closed to the next bind
 * to port 0, so nothing here binds one between sec_peer_free_ports () and
 * the peer's start: the fixture's probe sender is bound first, and the
 * udpsinks get ports of their own (left to pick one, a udpsink binds in
 * the peer's NULL to READY, before the udpsrc elements, and may take the
 * very port a udpsrc then fails to bind). */
static void
peer_prepare_sockets (Peer * peer)
{
  guint16 port[2 * (2 * N_PROFILES + 1)];
  guint i;

  peer->probe_sender = sec_peer_udp_socket_new ();
  g_socket_set_blocking (peer->probe_sender, TRUE);
  peer->echo_out = sec_peer_udp_socket_new ();
  for (i = 0; i < N_PROFILES; i++) {
    peer->rtp_out[i] = sec_peer_udp_socket_new ();
    peer->rtcp_out[i] = sec_peer_udp_socket_new ();
  }
  sec_peer_free_ports (port, G_N_ELEMENTS (port));
  for (i = 0; i < N_PROFILES; i++) {
    peer->rtp_in[i] = sec_peer_loopback_address_new (port[2 * i]);
    peer->rtcp_in[i] = sec_peer_loopback_address_new (port[2 * i + 1]);
  }
  peer->echo_in = sec_peer_loopback_address_new (port[2 * N_PROFILES]);
  for (i = 0; i < G_N_ELEMENTS (peer->sink_port); i++)
    peer->sink_port[i] = port[2 * N_PROFILES + 1 + i];
}

static void
add_encrypting_branch (GPtrArray * argv, Peer * peer, guint i)
{
  const ProfileCase *pc = &profile_cases[i];
  GstBuffer *key = sec_check_key_new (pc->key_len, pc->key_seed);
  gchar *hex = buffer_to_hex (key);

  sec_peer_add_words (argv, g_strdup_printf ("srtpenc name=enc%u key=%s "
          "rtp-cipher=%s rtp-auth=%s rtcp-cipher=%s rtcp-auth=%s "
          "udpsrc address=127.0.0.1 port=%u reuse=false caps=application/x-rtp "
          "! enc%u.rtp_sink_0 "
          "enc%u.rtp_src_0 ! udpsink host=127.0.0.1 port=%u "
          "bind-address=127.0.0.1 bind-port=%u sync=false async=false "
          "udpsrc address=127.0.0.1 port=%u reuse=false caps=application/x-rtcp "
          "! enc%u.rtcp_sink_0 "
          "enc%u.rtcp_src_0 ! udpsink host=127.0.0.1 port=%u "
          "bind-address=127.0.0.1 bind-port=%u sync=false async=false",
          i, hex, pc->rtp_cipher, pc->rtp_auth, pc->rtcp_cipher,
          pc->rtcp_auth, sec_peer_address_port (peer->rtp_in[i]), i, i,
          sec_peer_socket_port (peer->rtp_out[i]), peer->sink_port[1 + 2 * i],
          sec_peer_address_port (peer->rtcp_in[i]), i, i,
          sec_peer_socket_port (peer->rtcp_out[i]),
          peer->sink_port[2 + 2 * i]));
  g_free (hex);
  gst_buffer_unref (key);
}

static void
add_decrypting_branch (GPtrArray * argv, Peer * peer, guint i)
{
  const ProfileCase *pc = &profile_cases[i];
  GstBuffer *key = sec_check_key_new (pc->key_len, pc->key_seed);
  gchar *hex = buffer_to_hex (key);
  /* srtpdec takes the key of the SSRC from its sink caps; one srtpdec
   * for RTP (dec) and one for RTCP (decrtcp), so that no srtpdec gets
   * caps from two streaming threads at once (see the top of this file) */
  gchar *fields = g_strdup_printf ("ssrc=(uint)%u,srtp-key=(buffer)%s,"
      "srtp-cipher=(string)%s,srtp-auth=(string)%s,"
      "srtcp-cipher=(string)%s,srtcp-auth=(string)%s",
      pc->ssrc, hex, pc->rtp_cipher, pc->rtp_auth, pc->rtcp_cipher,
      pc->rtcp_auth);

  sec_peer_add_words (argv, g_strdup_printf ("srtpdec name=dec%u "
          "udpsrc address=127.0.0.1 port=%u reuse=false caps=application/x-srtp,%s "
          "! dec%u.rtp_sink "
          "dec%u.rtp_src ! udpsink host=127.0.0.1 port=%u "
          "bind-address=127.0.0.1 bind-port=%u sync=false async=false "
          "srtpdec name=decrtcp%u "
          "udpsrc address=127.0.0.1 port=%u reuse=false caps=application/x-srtcp,%s "
          "! decrtcp%u.rtcp_sink "
          "decrtcp%u.rtcp_src ! udpsink host=127.0.0.1 port=%u "
          "bind-address=127.0.0.1 bind-port=%u sync=false async=false",
          i, sec_peer_address_port (peer->rtp_in[i]), fields, i, i,
          sec_peer_socket_port (peer->rtp_out[i]), peer->sink_port[1 + 2 * i],
          i, sec_peer_address_port (peer->rtcp_in[i]), fields, i, i,
          sec_peer_socket_port (peer->rtcp_out[i]),
          peer->sink_port[2 + 2 * i]));
  g_free (fields);
  g_free (hex);
  gst_buffer_unref (key);
}

/* Starts @peer; TRUE once it echoes, else FALSE with the reason in @why
 * (g_free). */
static gboolean
peer_launch (Peer * peer, gboolean encrypting, gchar ** why)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  gchar **envp;
  gchar *name;
  gboolean started;
  guint i;

  fail_unless (g_getenv ("SEC_SYSTEM_PLUGIN_DIR") != NULL,
      "SEC_SYSTEM_PLUGIN_DIR is not set: run the tests through meson test");
  peer_prepare_sockets (peer);
  peer->dir = sec_peer_dir_new ("secsrtp-gstbad-XXXXXX");

  g_ptr_array_add (argv, g_strdup (gst_launch_path));
  g_ptr_array_add (argv, g_strdup ("-q"));
  /* a crash kills it (end of file on its stdout), see the top of the file */
  g_ptr_array_add (argv, g_strdup ("--no-fault"));
  sec_peer_add_words (argv, g_strdup_printf ("udpsrc address=127.0.0.1 "
          "port=%u reuse=false ! udpsink host=127.0.0.1 port=%u "
          "bind-address=127.0.0.1 bind-port=%u sync=false async=false",
          sec_peer_address_port (peer->echo_in),
          sec_peer_socket_port (peer->echo_out), peer->sink_port[0]));
  for (i = 0; i < N_PROFILES; i++) {
    if (encrypting)
      add_encrypting_branch (argv, peer, i);
    else
      add_decrypting_branch (argv, peer, i);
  }
  g_ptr_array_add (argv, NULL);

  /* its messages go to our stderr as they come */
  name = g_strdup_printf ("the %s peer", peer->element);
  envp = sec_peer_gst_environ_new (peer->dir);
  started = sec_peer_start (&peer->process, name, SEC_PEER_ECHO,
      (gchar **) argv->pdata, envp, &error);
  g_strfreev (envp);
  g_free (name);
  g_ptr_array_unref (argv);
  if (!started) {
    peer_stop (peer);
    fail ("%s", error->message);
  }

  /* playing, its registry scan done, before the tests start */
  return sec_peer_try_wait_echo (&peer->process, peer->probe_sender,
      peer->echo_in, peer->echo_out, READY_TIMEOUT_US, why);
}

/* Starts @peer and waits until it echoes. Its ports were free when
 * chosen, but another process may bind one before the peer does; its
 * udpsrc elements bind without SO_REUSEADDR (reuse=false: otherwise both
 * would bind and the datagrams go to one of them), so it then exits at
 * once, and it is started again on other ports (at most PEER_ATTEMPTS
 * times). A peer that is alive but does not echo fails, stopped first
 * (a failed unchecked fixture has no teardown). */
static void
peer_start (Peer * peer, gboolean encrypting)
{
  for (guint attempt = 1;; attempt++) {
    gchar *why = NULL;
    gboolean exited;

    if (peer_launch (peer, encrypting, &why))
      return;
    exited = peer->process.exited;
    peer_stop (peer);
    if (!exited || attempt == PEER_ATTEMPTS)
      fail ("%s (attempt %u)", why, attempt);
    g_printerr ("the %s peer exited before it echoed (%s): again on other "
        "ports\n", peer->element, why);
    g_free (why);
  }
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
  sender = sec_peer_udp_socket_new ();
  g_socket_set_blocking (sender, TRUE);
  sec_peer_wait_echo (&peer->process, sender, peer->echo_in, peer->echo_out,
      PACKET_TIMEOUT_US);

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

    sec_peer_send (sender, rtcp ? peer->rtcp_in[__i__] : peer->rtp_in[__i__],
        plain[n]);
    if (rtcp)
      theirs[n] = sec_peer_receive (&peer->process, peer->rtcp_out[__i__],
          deadline);
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
  sender = sec_peer_udp_socket_new ();
  g_socket_set_blocking (sender, TRUE);
  sec_peer_wait_echo (&peer->process, sender, peer->echo_in, peer->echo_out,
      PACKET_TIMEOUT_US);

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
    sec_peer_send (sender, rtcp ? peer->rtcp_in[__i__] : peer->rtp_in[__i__],
        protected);
    if (rtcp)
      theirs = sec_peer_receive (&peer->process, peer->rtcp_out[__i__],
          deadline);
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

static Suite *
srtp_gstbad_suite (void)
{
  Suite *s = suite_create ("srtp-gstbad");
  TCase *tc_env = tcase_create ("environment");
  TCase *tc_their_encrypt = tcase_create ("their-encrypt-our-decrypt");
  TCase *tc_their_decrypt = tcase_create ("our-encrypt-their-decrypt");

  /* exits with 77 (meson's "skipped") when the peer is not installed */
  gst_launch_path = sec_peer_find_gst_launch_or_skip ("srtp",
      "srtpenc/srtpdec");

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
