/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secdtlsenc and secdtlsdec, with secsrtpenc and secsrtpdec keyed by the
 * DTLS association, against gst-plugins-bad's dtlssrtpenc and
 * dtlssrtpdec (DTLS on OpenSSL, SRTP on the distribution's libsrtp2), the
 * independent peer, in both roles:
 *
 * - their dtlssrtpenc is the DTLS client and we are the server, then the
 *   reverse. The handshake runs over UDP on 127.0.0.1, and must settle on
 *   aes128-cm-sha1-80, the only profile gst-plugins-bad offers.
 * - Their dtlssrtpdec presents a certificate the test makes with
 *   "openssl req" and passes as its pem property, so our peer-fingerprint
 *   is the real expected one and the dtls-connected message must name it.
 *   They accept any certificate.
 * - Media both ways, compared byte for byte:
 *   their encrypt, our decrypt: we send plaintext RTP over loopback to
 *   "udpsrc ! dtlssrtpenc", whose SRTP comes to our UDP port next to the
 *   DTLS records; our receive side routes each datagram by its first byte
 *   (RFC 7983: 20..63 DTLS to secdtlsdec, 128..191 SRTP to secsrtpdec)
 *   and secsrtpdec must give back the plaintext.
 *   our encrypt, their decrypt: RTP through our secsrtpenc goes out of
 *   the same UDP socket as our DTLS records to their dtlssrtpdec, whose
 *   decrypted RTP comes back to the test over loopback and must be the
 *   plaintext.
 *   Each direction first sends probe packets (a new SSRC each) until one
 *   comes through, since the two ends finish the handshake at slightly
 *   different times and their SRTP elements use a throwaway key until
 *   then; the test packets that follow must all come through intact.
 *
 * The peer is a gst-launch-1.0 process whose plugin path holds only the
 * system plugin directory and whose registry is a file of the peers' own
 * (one per run, in a temporary directory), so this process never sees
 * gst-plugins-bad's dtls plugin (docs/design/overview.md, "Element
 * names"). A plain "udpsrc ! udpsink" echo branch tells when its
 * pipeline plays. It is
 * started and stopped by PID (SIGTERM, then SIGKILL after a bounded
 * wait; secpeer.c) and gets SIGKILL if the test process dies.
 *
 * Exits with 77 (skipped) only when gst-launch-1.0 or gst-plugins-bad's
 * dtls plugin is not installed (or openssl, which makes the peer's
 * certificate).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "secdtlsside.h"

#include <glib/gstdio.h>

#include <stdlib.h>
#include <string.h>

/* gst-plugins-bad's DTLS offers only this profile (RFC 5764 §4.1.2) */
#define THEIR_PROFILE "aes128-cm-sha1-80"

#define N_TEST_RTP 20
#define TEST_SSRC 0x5ec0ba01
/* probe packets use PROBE_SSRC_BASE + n */
#define PROBE_SSRC_BASE 0x5ec0bb00
#define PROBE_SSRC_MASK 0xffffff00
#define FIRST_SEQ 2000
#define MAX_PAYLOAD 1100
/* covers the peer's start, registry scan included, on a loaded machine */
#define READY_TIMEOUT_US (30 * G_USEC_PER_SEC)
/* starts of the peer when one of its ports was taken meanwhile */
#define PEER_ATTEMPTS 3
#define HANDSHAKE_TIMEOUT_US (15 * G_USEC_PER_SEC)
#define KEYS_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define PROBE_MIN_WAIT_US (20 * G_TIME_SPAN_MILLISECOND)
#define PROBE_MAX_WAIT_US (250 * G_TIME_SPAN_MILLISECOND)
/* once keys are in place on both ends a packet takes milliseconds */
#define PACKET_TIMEOUT_US (3 * G_USEC_PER_SEC)

#define RTP_CAPS "application/x-rtp,media=video,clock-rate=90000," \
    "encoding-name=VP8,payload=96"
#define SRTP_CAPS "application/x-srtp,media=video,clock-rate=90000," \
    "encoding-name=VP8,payload=96"

/* The gst-launch-1.0 process and the sockets around it. */
typedef struct
{
  /* its stdout and stderr are kept in process.output */
  SecPeer process;
  /* their udpsrc ports */
  GSocketAddress *echo_in;
  GSocketAddress *dtls_in;      /* DTLS and SRTP from us */
  GSocketAddress *plain_in;     /* plaintext RTP for their dtlssrtpenc */
  /* our sockets */
  GSocket *echo_out;            /* their echo branch answers here */
  GSocket *rtp_back;            /* their decrypted RTP comes here */
  GSocket *sender;              /* probes and plaintext RTP go from here */
} Peer;

/* Our side: the DTLS pair and the SRTP pair it keys, on one UDP socket.
 * side.net_in diverts SRTP to srtp_in; side.net_out is fed by a funnel
 * after secdtlsenc. */
typedef struct
{
  SecDtlsSide side;
  GstElement *rtp_in;           /* appsrc ! secsrtpenc ! funnel */
  GstElement *srtp_in;          /* appsrc ! secsrtpdec */
  GstElement *rtp_out;          /* secsrtpdec ! appsink */
  GstElement *srtpenc;
  GstElement *srtpdec;
  /* counted by the demultiplexing probe (streaming thread) */
  gint n_dtls;
  gint n_srtp;
  gint n_other;
} Ours;

/* made in the suite setup, before the tests fork */
static gchar *gst_launch_path;
static gchar *openssl_path;
static gchar *their_pem;                /* certificate and key */
static gchar *their_fingerprint;        /* "sha-256 AB:..." */
/* made and removed by the unchecked fixture, in the parent process */
static gchar *peer_registry_dir;

/* ---- helpers: packets ---- */

static GstBuffer *
test_rtp_new (guint32 ssrc, guint n)
{
  guint16 seq = FIRST_SEQ + n;

  return sec_check_rtp_buffer_new (ssrc, seq, seq * 3000,
      n == 0 ? 1 : 1 + (n * 389) % MAX_PAYLOAD);
}

static guint32
rtp_ssrc (GstBuffer * buf)
{
  guint8 header[12];

  if (gst_buffer_extract (buf, 0, header, 12) != 12)
    return 0;
  return GST_READ_UINT32_BE (header + 8);
}

static gboolean
is_probe (GstBuffer * buf)
{
  return (rtp_ssrc (buf) & PROBE_SSRC_MASK) == PROBE_SSRC_BASE;
}

static GstBuffer *
probe_rtp_new (guint n)
{
  return test_rtp_new (PROBE_SSRC_BASE + n, n);
}

/* TRUE if @buf is a probe packet exactly as it was sent (the RTP header
 * alone, which SRTP leaves in clear, does not count) */
static gboolean
is_intact_probe (GstBuffer * buf)
{
  GstBuffer *probe;
  gboolean intact;

  if (!is_probe (buf))
    return FALSE;
  probe = probe_rtp_new (rtp_ssrc (buf) - PROBE_SSRC_BASE);
  intact = sec_check_buffers_equal (probe, buf);
  gst_buffer_unref (probe);
  return intact;
}

/* ---- the peer process ---- */

/* Stops the peer by its PID (sec_peer_stop ()) and frees its sockets.
 * Safe on a partly started peer. */
static void
peer_stop (Peer * peer)
{
  sec_peer_stop (&peer->process, NULL);
  g_clear_object (&peer->echo_in);
  g_clear_object (&peer->dtls_in);
  g_clear_object (&peer->plain_in);
  g_clear_object (&peer->echo_out);
  g_clear_object (&peer->rtp_back);
  g_clear_object (&peer->sender);
}

/* Starts the peer: its dtlssrtpenc sends to our @our_port. */
static void
peer_start (Peer * peer, gboolean they_are_client, guint16 our_port)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  /* their 3 udpsrc and 3 udpsink elements: left to bind to port 0, a
   * udpsink binds in NULL to READY, before the udpsrc elements, and the
   * kernel may hand it the very port just found free for a udpsrc */
  guint16 port[6];
  GError *error = NULL;
  gchar **envp;
  gboolean started;

  memset (peer, 0, sizeof (*peer));
  fail_unless (g_getenv ("SEC_SYSTEM_PLUGIN_DIR") != NULL,
      "SEC_SYSTEM_PLUGIN_DIR is not set: run the tests through meson test");

  /* our sockets, and free ports for theirs */
  peer->echo_out = sec_peer_udp_socket_new ();
  peer->rtp_back = sec_peer_udp_socket_new ();
  peer->sender = sec_peer_udp_socket_new ();
  g_socket_set_blocking (peer->sender, TRUE);
  sec_peer_free_ports (port, G_N_ELEMENTS (port));
  peer->echo_in = sec_peer_loopback_address_new (port[0]);
  peer->dtls_in = sec_peer_loopback_address_new (port[1]);
  peer->plain_in = sec_peer_loopback_address_new (port[2]);

  g_ptr_array_add (argv, g_strdup (gst_launch_path));
  /* a crash ends the peer (and so the test) instead of leaving it spinning
   * in gst-launch's fault handler */
  g_ptr_array_add (argv, g_strdup ("--no-fault"));
  /* the echo branch */
  sec_peer_add_words (argv, g_strdup_printf ("udpsrc address=127.0.0.1 "
          "port=%u reuse=false ! udpsink host=127.0.0.1 port=%u "
          "bind-address=127.0.0.1 bind-port=%u sync=false async=false",
          sec_peer_address_port (peer->echo_in),
          sec_peer_socket_port (peer->echo_out), port[3]));
  /* dtlsdec takes its certificate when pem is set before connection-id */
  g_ptr_array_add (argv, g_strdup ("dtlssrtpdec"));
  g_ptr_array_add (argv, g_strdup ("name=theirdec"));
  g_ptr_array_add (argv, g_strdup_printf ("pem=\"%s\"", their_pem));
  sec_peer_add_words (argv, g_strdup_printf ("connection-id=gstbad "
          "udpsrc address=127.0.0.1 port=%u reuse=false ! theirdec.sink "
          "theirdec.rtp_src ! udpsink host=127.0.0.1 port=%u "
          "bind-address=127.0.0.1 bind-port=%u sync=false async=false "
          "dtlssrtpenc name=theirenc connection-id=gstbad is-client=%s "
          "udpsrc address=127.0.0.1 port=%u reuse=false caps=" RTP_CAPS " "
          "! theirenc.rtp_sink_0 "
          "theirenc.src ! udpsink host=127.0.0.1 port=%u "
          "bind-address=127.0.0.1 bind-port=%u sync=false async=false",
          sec_peer_address_port (peer->dtls_in),
          sec_peer_socket_port (peer->rtp_back), port[4],
          they_are_client ? "true" : "false",
          sec_peer_address_port (peer->plain_in), our_port, port[5]));
  g_ptr_array_add (argv, NULL);

  /* the peers of this run share a registry */
  envp = sec_peer_gst_environ_new (peer_registry_dir);
  started = sec_peer_start (&peer->process, "the gst-plugins-bad peer",
      SEC_PEER_MERGE_STDERR, (gchar **) argv->pdata, envp, &error);
  g_strfreev (envp);
  g_ptr_array_unref (argv);
  fail_unless (started, "%s", error ? error->message : "?");
}

/* Starts the peer and waits until it echoes. Its ports were free when
 * chosen, but another process may bind one before the peer does; its
 * udpsrc elements bind without SO_REUSEADDR (reuse=false: otherwise both
 * would bind and the datagrams go to one of them), so it then exits at
 * once, and it is started again on other ports (at most PEER_ATTEMPTS
 * times). A peer that is alive but does not echo fails the test. */
static void
peer_start_ready (Peer * peer, gboolean they_are_client, guint16 our_port)
{
  for (guint attempt = 1;; attempt++) {
    gchar *why = NULL;
    gboolean exited;

    peer_start (peer, they_are_client, our_port);
    if (sec_peer_try_wait_echo (&peer->process, peer->sender,
            peer->echo_in, peer->echo_out, READY_TIMEOUT_US, &why))
      return;
    exited = peer->process.exited;
    peer_stop (peer);
    if (!exited || attempt == PEER_ATTEMPTS)
      fail ("%s (attempt %u)", why, attempt);
    GST_WARNING ("the peer exited before it echoed (%s): again on other "
        "ports", why);
    g_free (why);
  }
}

/* ---- our side ---- */

static void
assert_elements_are_ours (void)
{
  sec_check_factory_is_ours ("secdtlsenc");
  sec_check_factory_is_ours ("secdtlsdec");
  sec_check_factory_is_ours ("secsrtpenc");
  sec_check_factory_is_ours ("secsrtpdec");
  /* gst-plugins-bad lives only in the peer's process */
  sec_check_factory_absent ("dtlsenc");
  sec_check_factory_absent ("dtlsdec");
  sec_check_factory_absent ("dtlssrtpenc");
  sec_check_factory_absent ("dtlssrtpdec");
  sec_check_factory_absent ("srtpenc");
  sec_check_factory_absent ("srtpdec");
}

/* RFC 7983 §7 on what arrives at our UDP port: DTLS records go on to
 * secdtlsdec, SRTP to secsrtpdec through its appsrc, the rest nowhere. */
static GstPadProbeReturn
demux_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Ours *ours = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstFlowReturn flow;
  guint8 first;

  if (gst_buffer_extract (buf, 0, &first, 1) != 1) {
    g_atomic_int_inc (&ours->n_other);
    return GST_PAD_PROBE_DROP;
  }
  if (first >= 20 && first <= 63) {
    g_atomic_int_inc (&ours->n_dtls);
    return GST_PAD_PROBE_OK;
  }
  if (first >= 128 && first <= 191) {
    g_atomic_int_inc (&ours->n_srtp);
    g_signal_emit_by_name (ours->srtp_in, "push-buffer", buf, &flow);
    return GST_PAD_PROBE_DROP;
  }
  g_atomic_int_inc (&ours->n_other);
  return GST_PAD_PROBE_DROP;
}

/* Builds our pipeline and brings it to READY, which binds net_in to a
 * free port on 127.0.0.1; net_out sends from that same socket. */
static void
ours_setup (Ours * ours, gboolean is_client)
{
  GstElement *pipeline;
  GstPad *pad;

  memset (ours, 0, sizeof (*ours));
  sec_dtls_side_setup (&ours->side, g_strdup_printf ("dtls-gstbad-%s",
          is_client ? "client" : "server"), is_client, their_fingerprint,
      NULL,
      "! net_mux. "
      "funnel name=net_mux ! udpsink name=net_out host=127.0.0.1 port=9 "
      "sync=false async=false close-socket=false "
      "appsrc name=rtp_in is-live=true format=time caps=\"" RTP_CAPS "\" "
      "! srtpenc.rtp_sink_0 "
      "secsrtpenc name=srtpenc wait-for-key=true srtpenc.rtp_src_0 "
      "! net_mux. "
      "appsrc name=srtp_in is-live=true format=time caps=\"" SRTP_CAPS "\" "
      "! srtpdec.rtp_sink_0 "
      "secsrtpdec name=srtpdec wait-for-key=true srtpdec.rtp_src_0 "
      "! appsink name=rtp_out sync=false async=false");

  pipeline = ours->side.pipeline;
  ours->rtp_in = sec_dtls_side_get_by_name (pipeline, "rtp_in");
  ours->srtp_in = sec_dtls_side_get_by_name (pipeline, "srtp_in");
  ours->rtp_out = sec_dtls_side_get_by_name (pipeline, "rtp_out");
  ours->srtpenc = sec_dtls_side_get_by_name (pipeline, "srtpenc");
  ours->srtpdec = sec_dtls_side_get_by_name (pipeline, "srtpdec");

  /* nothing arrives before PLAYING: the peer starts after this */
  pad = gst_element_get_static_pad (ours->side.net_in, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, demux_probe, ours,
      NULL);
  gst_object_unref (pad);
}

static void
ours_teardown (Ours * ours)
{
  sec_dtls_side_teardown (&ours->side);
  g_clear_object (&ours->rtp_in);
  g_clear_object (&ours->srtp_in);
  g_clear_object (&ours->rtp_out);
  g_clear_object (&ours->srtpenc);
  g_clear_object (&ours->srtpdec);
}

/* Fails the test on an error message from our pipeline. */
static void
ours_check_bus (Ours * ours, Peer * peer)
{
  GstMessage *msg;

  while ((msg = gst_bus_pop_filtered (ours->side.bus, GST_MESSAGE_ERROR))) {
    GError *error = NULL;
    gchar *debug = NULL;

    sec_peer_drain (&peer->process);
    gst_message_parse_error (msg, &error, &debug);
    fail ("error from %s: %s (%s); the peer printed:\n%s",
        GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), error->message,
        debug ? debug : "", peer->process.output->str);
  }
}

/* The fields of our dtls-connected message; fails the test on an error
 * message, if the peer exits, or after HANDSHAKE_TIMEOUT_US. */
static GstStructure *
ours_wait_connected (Ours * ours, Peer * peer)
{
  GstStructure *connected = sec_dtls_side_wait_connected (&ours->side,
      &peer->process, HANDSHAKE_TIMEOUT_US);

  fail_unless (connected != NULL, "no dtls-connected message within %d s "
      "(datagrams in: %d DTLS, %d SRTP, %d other); the peer printed:\n%s",
      (gint) (HANDSHAKE_TIMEOUT_US / G_USEC_PER_SEC),
      g_atomic_int_get (&ours->n_dtls), g_atomic_int_get (&ours->n_srtp),
      g_atomic_int_get (&ours->n_other), peer->process.output->str);
  return connected;
}

/* The next RTP packet out of our secsrtpdec before @deadline, NULL if
 * none. */
static GstBuffer *
ours_pull_rtp (Ours * ours, gint64 deadline)
{
  gint64 now = g_get_monotonic_time ();
  GstSample *sample = NULL;
  GstBuffer *buf;

  if (now >= deadline)
    return NULL;
  g_signal_emit_by_name (ours->rtp_out, "try-pull-sample",
      (GstClockTime) ((deadline - now) * GST_USECOND), &sample);
  if (sample == NULL)
    return NULL;
  buf = gst_buffer_ref (gst_sample_get_buffer (sample));
  gst_sample_unref (sample);
  return buf;
}

static void
ours_send_rtp (Ours * ours, GstBuffer * plain)
{
  GstFlowReturn flow = GST_FLOW_ERROR;

  g_signal_emit_by_name (ours->rtp_in, "push-buffer", plain, &flow);
  fail_unless_equals_int (flow, GST_FLOW_OK);
}

/* ---- the two directions ---- */

/* Their dtlssrtpenc protects RTP we hand it in plaintext; our secsrtpdec,
 * keyed by our DTLS association, must give back the plaintext. */
static void
check_their_encrypt_our_decrypt (Ours * ours, Peer * peer)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + KEYS_TIMEOUT_US;
  gint64 wait_us = PROBE_MIN_WAIT_US;
  gboolean through = FALSE;
  guint n_probes = 0, n;

  /* probes until their srtpenc has the DTLS key */
  while (!through && g_get_monotonic_time () < deadline) {
    GstBuffer *probe = probe_rtp_new (n_probes);
    gint64 probe_deadline = MIN (deadline, g_get_monotonic_time () + wait_us);
    GstBuffer *out;

    sec_peer_send (peer->sender, peer->plain_in, probe);
    gst_buffer_unref (probe);
    n_probes++;
    while (!through && (out = ours_pull_rtp (ours, probe_deadline)) != NULL) {
      through = is_intact_probe (out);
      gst_buffer_unref (out);
    }
    sec_peer_fail_if_exited (&peer->process);
    ours_check_bus (ours, peer);
    wait_us = MIN (wait_us * 2, PROBE_MAX_WAIT_US);
  }
  fail_unless (through, "none of %u RTP packets protected by their "
      "dtlssrtpenc came out of our secsrtpdec within %d s (datagrams in: "
      "%d DTLS, %d SRTP, %d other; secsrtpdec auth-failures %"
      G_GUINT64_FORMAT "); the peer printed:\n%s", n_probes,
      (gint) (KEYS_TIMEOUT_US / G_USEC_PER_SEC),
      g_atomic_int_get (&ours->n_dtls), g_atomic_int_get (&ours->n_srtp),
      g_atomic_int_get (&ours->n_other),
      sec_check_stat (ours->srtpdec, 0, "auth-failures"),
      peer->process.output->str);
  GST_INFO ("their SRTP came through after %u probes, %" G_GINT64_FORMAT
      " ms", n_probes, (g_get_monotonic_time () - start) / 1000);

  for (n = 0; n < N_TEST_RTP; n++) {
    GstBuffer *plain = test_rtp_new (TEST_SSRC, n);
    gint64 packet_deadline = g_get_monotonic_time () + PACKET_TIMEOUT_US;
    GstBuffer *out;

    sec_peer_send (peer->sender, peer->plain_in, plain);
    /* late probes may still come */
    while ((out = ours_pull_rtp (ours, packet_deadline)) != NULL
        && is_probe (out))
      gst_buffer_unref (out);
    fail_unless (out != NULL, "RTP packet %u (seq %u) protected by their "
        "dtlssrtpenc did not come out of our secsrtpdec within %d s",
        n, FIRST_SEQ + n, (gint) (PACKET_TIMEOUT_US / G_USEC_PER_SEC));
    fail_unless (sec_check_buffers_equal (plain, out), "RTP packet %u "
        "(seq %u, %" G_GSIZE_FORMAT " bytes) came out of our secsrtpdec "
        "as other bytes (%" G_GSIZE_FORMAT ")", n, FIRST_SEQ + n,
        gst_buffer_get_size (plain), gst_buffer_get_size (out));
    gst_buffer_unref (out);
    gst_buffer_unref (plain);
  }
  ours_check_bus (ours, peer);
}

/* The next datagram from their dtlssrtpdec that is not a probe, or NULL
 * if none came before @deadline. */
static GstBuffer *
their_next_rtp (Peer * peer, gint64 deadline)
{
  GstBuffer *buf;

  while ((buf = sec_peer_receive (&peer->process, peer->rtp_back,
              deadline)) != NULL) {
    if (!is_probe (buf))
      return buf;
    gst_buffer_unref (buf);
  }
  return NULL;
}

/* Our secsrtpenc, keyed by our DTLS association, protects RTP that goes
 * out with our DTLS records; their dtlssrtpdec must give back the
 * plaintext. */
static void
check_our_encrypt_their_decrypt (Ours * ours, Peer * peer)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + KEYS_TIMEOUT_US;
  gint64 wait_us = PROBE_MIN_WAIT_US;
  guint n_probes = 0, n_not_decrypted = 0, n;
  gboolean through = FALSE;

  /* probes until their dtlssrtpdec has the DTLS key; what comes back
   * before (if anything) is counted only */
  while (!through && g_get_monotonic_time () < deadline) {
    GstBuffer *probe = probe_rtp_new (n_probes);
    gint64 probe_deadline = MIN (deadline, g_get_monotonic_time () + wait_us);
    GstBuffer *out;

    ours_send_rtp (ours, probe);
    gst_buffer_unref (probe);
    n_probes++;
    while (!through && (out = sec_peer_receive (&peer->process,
                peer->rtp_back, probe_deadline)) != NULL) {
      through = is_intact_probe (out);
      if (!through)
        n_not_decrypted++;
      gst_buffer_unref (out);
    }
    ours_check_bus (ours, peer);
    wait_us = MIN (wait_us * 2, PROBE_MAX_WAIT_US);
  }
  fail_unless (through, "none of %u RTP packets protected by our "
      "secsrtpenc came out of their dtlssrtpdec decrypted within %d s (%u "
      "other datagrams came back; our secsrtpenc protected %"
      G_GUINT64_FORMAT "); the peer printed:\n%s", n_probes,
      (gint) (KEYS_TIMEOUT_US / G_USEC_PER_SEC), n_not_decrypted,
      sec_check_stat (ours->srtpenc, 0, "packets-protected"),
      peer->process.output->str);
  GST_INFO ("our SRTP came through after %u probes, %" G_GINT64_FORMAT
      " ms", n_probes, (g_get_monotonic_time () - start) / 1000);

  for (n = 0; n < N_TEST_RTP; n++) {
    GstBuffer *plain = test_rtp_new (TEST_SSRC, n);
    GstBuffer *out;

    ours_send_rtp (ours, plain);
    out = their_next_rtp (peer, g_get_monotonic_time () + PACKET_TIMEOUT_US);
    fail_unless (out != NULL, "RTP packet %u (seq %u) protected by our "
        "secsrtpenc did not come out of their dtlssrtpdec within %d s (run "
        "with GST_DEBUG=srtpdec:5 in the peer for its reason); it "
        "printed:\n%s", n, FIRST_SEQ + n,
        (gint) (PACKET_TIMEOUT_US / G_USEC_PER_SEC),
        peer->process.output->str);
    fail_unless (sec_check_buffers_equal (plain, out), "RTP packet %u "
        "(seq %u, %" G_GSIZE_FORMAT " bytes) came out of their dtlssrtpdec "
        "as other bytes (%" G_GSIZE_FORMAT ")", n, FIRST_SEQ + n,
        gst_buffer_get_size (plain), gst_buffer_get_size (out));
    gst_buffer_unref (out);
    gst_buffer_unref (plain);
  }
  ours_check_bus (ours, peer);
}

/* ---- the tests ---- */

static void
run_case (gboolean we_are_client)
{
  Ours ours;
  Peer peer;
  GstStructure *connected;
  gboolean msg_is_client = !we_are_client;
  gchar *local_fingerprint = NULL;

  assert_elements_are_ours ();
  ours_setup (&ours, we_are_client);
  peer_start_ready (&peer, !we_are_client, sec_dtls_side_port (&ours.side));
  /* as the client we send the ClientHello now; as the server we take
   * theirs, which may wait in our socket */
  sec_dtls_side_play (&ours.side, sec_peer_address_port (peer.dtls_in));

  connected = ours_wait_connected (&ours, &peer);
  GST_INFO ("%" GST_PTR_FORMAT, connected);
  fail_unless_equals_string (gst_structure_get_string (connected,
          "connection-id"), ours.side.connection_id);
  fail_unless (gst_structure_get_boolean (connected, "is-client",
          &msg_is_client));
  fail_unless_equals_int (msg_is_client, we_are_client);
  fail_unless_equals_string (gst_structure_get_string (connected,
          "dtls-version"), "DTLSv1.2");
  fail_unless (gst_structure_get_string (connected, "cipher-suite") != NULL);
  fail_unless_equals_string (gst_structure_get_string (connected,
          "srtp-profile"), THEIR_PROFILE);
  fail_unless_equals_string (gst_structure_get_string (connected,
          "peer-fingerprint"), their_fingerprint);
  g_object_get (ours.side.dtlsdec, "local-fingerprint", &local_fingerprint, NULL);
  fail_unless_equals_string (gst_structure_get_string (connected,
          "local-fingerprint"), local_fingerprint);

  check_their_encrypt_our_decrypt (&ours, &peer);
  check_our_encrypt_their_decrypt (&ours, &peer);
  fail_unless_equals_uint64 (sec_check_stat (ours.srtpdec, TEST_SSRC,
          "rtp-packets-unprotected"), N_TEST_RTP);

  ours_teardown (&ours);
  peer_stop (&peer);
  gst_structure_free (connected);
  g_free (local_fingerprint);
}

GST_START_TEST (test_elements_are_ours)
{
  assert_elements_are_ours ();
}

GST_END_TEST;

GST_START_TEST (test_they_are_client)
{
  run_case (FALSE);
}

GST_END_TEST;

GST_START_TEST (test_we_are_client)
{
  run_case (TRUE);
}

GST_END_TEST;

/* ---- setup: the peer's certificate ---- */

static gchar *
run_openssl (const gchar * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();
  GError *error = NULL;
  gchar *out = NULL, *err = NULL;
  gint status = 0;
  gboolean ran;
  guint i;

  g_ptr_array_add (argv, openssl_path);
  for (i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  ran = g_spawn_sync (NULL, (gchar **) argv->pdata, NULL, G_SPAWN_DEFAULT,
      NULL, NULL, &out, &err, &status, &error);
  g_ptr_array_unref (argv);
  if (!ran || !g_spawn_check_wait_status (status, NULL)) {
    g_printerr ("openssl %s failed: %s\n", args[0],
        error ? error->message : err);
    exit (1);
  }
  g_free (err);
  return out;
}

/* Makes their certificate and key (ECDSA P-256) with "openssl req" and
 * its fingerprint with "openssl x509"; in the parent, before any test
 * forks, so the tests share it. */
static void
their_certificate_make (void)
{
  GError *error = NULL;
  gchar *dir = g_dir_make_tmp ("secdtls-gstbad-cert-XXXXXX", &error);
  gchar *cert_path, *key_path, *cert, *key, *out;

  if (dir == NULL) {
    g_printerr ("temporary directory: %s\n", error->message);
    exit (1);
  }
  cert_path = g_build_filename (dir, "cert.pem", NULL);
  key_path = g_build_filename (dir, "key.pem", NULL);
  {
    const gchar *req[] = { "req", "-x509", "-newkey", "ec", "-pkeyopt",
      "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=gst-plugins-bad",
      "-days", "2", "-keyout", key_path, "-out", cert_path, NULL
    };
    const gchar *x509[] = { "x509", "-noout", "-fingerprint", "-sha256",
      "-in", cert_path, NULL
    };

    g_free (run_openssl (req));
    out = run_openssl (x509);
  }
  /* "sha256 Fingerprint=AB:CD:..." */
  if (!g_str_has_prefix (out, "sha256 Fingerprint=")) {
    g_printerr ("unexpected output of openssl x509: %s\n", out);
    exit (1);
  }
  their_fingerprint = g_strconcat ("sha-256 ", g_strstrip (out +
          strlen ("sha256 Fingerprint=")), NULL);
  g_free (out);

  if (!g_file_get_contents (cert_path, &cert, NULL, &error) ||
      !g_file_get_contents (key_path, &key, NULL, &error)) {
    g_printerr ("reading the certificate: %s\n", error->message);
    exit (1);
  }
  their_pem = g_strconcat (cert, key, NULL);
  g_free (cert);
  g_free (key);

  g_unlink (cert_path);
  g_unlink (key_path);
  g_rmdir (dir);
  g_free (cert_path);
  g_free (key_path);
  g_free (dir);
}

static void
peer_registry_make (void)
{
  peer_registry_dir = sec_peer_dir_new ("secdtls-gstbad-XXXXXX");
}

static void
peer_registry_remove (void)
{
  if (peer_registry_dir)
    sec_peer_dir_remove (peer_registry_dir);
  g_clear_pointer (&peer_registry_dir, g_free);
}

/* Exits with 77 (meson's "skipped") when the peer is not installed. */
static void
skip_unless_peer_installed (void)
{
  gst_launch_path = sec_peer_find_gst_launch_or_skip ("dtls",
      "dtlssrtpenc/dtlssrtpdec");
  openssl_path = sec_peer_find_program_or_skip ("openssl", "the openssl "
      "program is not installed (Debian: openssl); it makes the "
      "certificate of the gst-plugins-bad peer");
}

static Suite *
dtls_gstbad_suite (void)
{
  Suite *s = suite_create ("dtls-gstbad");
  TCase *tc_env = tcase_create ("environment");
  TCase *tc_media = tcase_create ("handshake-and-media");

  skip_unless_peer_installed ();
  their_certificate_make ();

  suite_add_tcase (s, tc_env);
  tcase_add_test (tc_env, test_elements_are_ours);

  /* the peers' registry is made and removed by this process, not by the
   * forked test processes, so it goes whatever the tests do */
  suite_add_tcase (s, tc_media);
  tcase_add_unchecked_fixture (tc_media, peer_registry_make,
      peer_registry_remove);
  tcase_add_test (tc_media, test_they_are_client);
  tcase_add_test (tc_media, test_we_are_client);

  return s;
}

GST_CHECK_MAIN (dtls_gstbad);
