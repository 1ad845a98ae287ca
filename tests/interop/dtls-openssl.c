/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secdtlsenc and secdtlsdec against the openssl command line tool
 * (s_server and s_client with -dtls1_2 -use_srtp), the independent peer,
 * in both roles and for every DTLS-SRTP protection profile:
 *
 * - we are the DTLS client of "openssl s_server -verify 1" (it asks for
 *   our certificate), and the DTLS server of "openssl s_client".
 * - The handshake runs over real UDP on 127.0.0.1: our udpsrc feeds
 *   secdtlsdec, and secdtlsenc sends through a udpsink on the very socket
 *   of that udpsrc, since s_server answers the address the ClientHello
 *   came from and s_client's socket is connected to ours.
 * - The dtls-connected message must say DTLSv1.2, the cipher suite and
 *   SRTP profile OpenSSL reports, and the peer's certificate fingerprint
 *   (the one we expected through peer-fingerprint); the certificate
 *   OpenSSL prints as ours must have our local-fingerprint.
 * - The SRTP keys: our elements never show keys, so the proof is by use.
 *   OpenSSL prints the RFC 5764 exporter output ("-keymatexport
 *   EXTRACTOR-dtls_srtp"), which we split into client and server halves.
 *   (a) A separate secsrtpenc keyed with the peer's write half protects
 *   RTP that our DTLS-keyed secsrtpdec must decrypt to the original
 *   bytes. (b) RTP protected by our DTLS-keyed secsrtpenc must decrypt
 *   to the original bytes in a separate secsrtpdec keyed with our half.
 *   Wrong key material, a wrong half or a wrong profile fails both.
 * - A peer whose certificate is not the expected one: the handshake ends
 *   in an error, with no dtls-connected and no key for the SRTP elements.
 *
 * The peer's certificate (ECDSA P-256) is made at test time with
 * "openssl req" in a temporary directory. Peers are started and stopped
 * by PID (SIGTERM, then SIGKILL after a bounded wait) and get SIGKILL if
 * the test process dies; their stdin is a pipe held open, because end of
 * file there makes them quit.
 *
 * Exits with 77 (skipped) only when the openssl program is not installed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "secdtlsside.h"

#include <stdarg.h>
#include <string.h>

typedef struct
{
  const gchar *profile;         /* our nick, as in dtls-connected */
  const gchar *openssl_name;    /* the -use_srtp name (RFC 5764 §4.1.2) */
  /* our srtp-profiles; NULL keeps the default offer, which lists every
   * profile but aes128-cm-sha1-32 */
  const gchar *our_offer;
  gsize key_len;
  gsize salt_len;
} ProfileCase;

static const ProfileCase profile_cases[] = {
  {"aead-aes-128-gcm", "SRTP_AEAD_AES_128_GCM", NULL, 16, 12},
  {"aes128-cm-sha1-80", "SRTP_AES128_CM_SHA1_80", NULL, 16, 14},
  {"aead-aes-256-gcm", "SRTP_AEAD_AES_256_GCM", NULL, 32, 12},
  {"aes128-cm-sha1-32", "SRTP_AES128_CM_SHA1_32", "aes128-cm-sha1-32", 16,
      14},
};

#define N_PROFILES G_N_ELEMENTS (profile_cases)

#define N_TEST_RTP 8
#define OUR_SSRC 0x5ec0d701
#define PEER_SSRC 0x5ec0d702
#define FIRST_SEQ 4000
/* bounds of every wait; on loopback each takes milliseconds */
#define PEER_READY_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define HANDSHAKE_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define PEER_OUTPUT_TIMEOUT_US (5 * G_USEC_PER_SEC)
#define PACKET_TIMEOUT_NS (3 * GST_SECOND)

#define RTP_CAPS "application/x-rtp,media=video,clock-rate=90000," \
    "encoding-name=VP8,payload=96"
#define SRTP_CAPS "application/x-srtp,media=video,clock-rate=90000," \
    "encoding-name=VP8,payload=96"

/* Our side: one pipeline holding the DTLS pair, the udp elements and the
 * SRTP pair the DTLS association keys. */
typedef struct
{
  SecDtlsSide side;
  GstElement *rtp_in;           /* appsrc ! secsrtpenc */
  GstElement *srtp_out;         /* secsrtpenc ! appsink */
  GstElement *srtp_in;          /* appsrc ! secsrtpdec */
  GstElement *rtp_out;          /* secsrtpdec ! appsink */
  GstElement *srtpdec;          /* keyed by the DTLS association */
} Ours;

/* set before the tests fork: the program by the suite setup, the rest by
 * the unchecked fixture */
static gchar *openssl_path;
static gchar *cert_dir;
static gchar *peer_cert_path;
static gchar *peer_key_path;
static gchar *peer_fingerprint;  /* "sha-256 AB:..." */

/* ---- helpers: text and certificates ---- */

/* "sha-256 AB:CD:..." of the DER certificate in the first PEM
 * certificate block of @text (NULL if there is none). */
static gchar *
fingerprint_of_pem (const gchar * text)
{
  static const gchar begin_line[] = "-----BEGIN CERTIFICATE-----";
  const gchar *begin = strstr (text, begin_line);
  const gchar *end;
  gchar *base64;
  guchar *der;
  gsize der_len, digest_len = 32, i;
  guint8 digest[32];
  GChecksum *sha256;
  GString *fingerprint;

  if (begin == NULL)
    return NULL;
  begin += strlen (begin_line);
  end = strstr (begin, "-----END CERTIFICATE-----");
  if (end == NULL)
    return NULL;
  /* g_base64_decode () skips the line breaks */
  base64 = g_strndup (begin, end - begin);
  der = g_base64_decode (base64, &der_len);
  g_free (base64);

  sha256 = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sha256, der, der_len);
  g_checksum_get_digest (sha256, digest, &digest_len);
  g_checksum_free (sha256);
  g_free (der);

  fingerprint = g_string_new ("sha-256 ");
  for (i = 0; i < digest_len; i++)
    g_string_append_printf (fingerprint, "%s%02X", i ? ":" : "", digest[i]);
  return g_string_free (fingerprint, FALSE);
}

/* The rest of the line after @label in @text, NULL if @label is absent or
 * its line is not complete yet. */
static gchar *
line_after (const gchar * text, const gchar * label)
{
  const gchar *start = strstr (text, label);
  const gchar *end;

  if (start == NULL)
    return NULL;
  start += strlen (label);
  end = strchr (start, '\n');
  if (end == NULL)
    return NULL;
  return g_strstrip (g_strndup (start, end - start));
}

/* Bytes of the hex string @hex, NULL if it is not one. */
static GBytes *
bytes_from_hex (const gchar * hex)
{
  gsize len = strlen (hex), i;
  guint8 *data;

  if (len == 0 || len % 2 != 0)
    return NULL;
  data = g_malloc (len / 2);
  for (i = 0; i < len / 2; i++) {
    gint high = g_ascii_xdigit_value (hex[2 * i]);
    gint low = g_ascii_xdigit_value (hex[2 * i + 1]);

    if (high < 0 || low < 0) {
      g_free (data);
      return NULL;
    }
    data[i] = (guint8) (high << 4 | low);
  }
  return g_bytes_new_take (data, len / 2);
}

/* Runs the openssl tool with the arguments from @first_arg on (a NULL
 * ends them) and returns its standard output; fails the test if it does
 * not succeed. */
static gchar *
run_openssl (const gchar * first_arg, ...)
{
  GPtrArray *argv = g_ptr_array_new ();
  GError *error = NULL;
  gchar *out = NULL, *err = NULL, *command;
  gint status;
  const gchar *arg;
  va_list args;

  g_ptr_array_add (argv, openssl_path);
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const gchar *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  command = g_strjoinv (" ", (gchar **) argv->pdata);

  fail_unless (g_spawn_sync (NULL, (gchar **) argv->pdata, NULL,
          G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error),
      "cannot run %s: %s", command, error ? error->message : "?");
  fail_unless (g_spawn_check_wait_status (status, NULL), "%s failed:\n%s",
      command, err);
  g_free (err);
  g_free (command);
  g_ptr_array_unref (argv);
  return out;
}

/* The IANA name of the OpenSSL cipher suite @openssl_name, as our
 * dtls-connected message gives it. */
static gchar *
cipher_standard_name (const gchar * openssl_name)
{
  /* lines of "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 - ECDHE-ECDSA-AES128-
   * GCM-SHA256 TLSv1.2 Kx=ECDH ...", the TLS 1.3 suites first */
  gchar *out = run_openssl ("ciphers", "-stdname", openssl_name, NULL);
  gchar **lines = g_strsplit (out, "\n", -1);
  gchar *name = NULL;
  guint i;

  for (i = 0; lines[i] != NULL && name == NULL; i++) {
    gchar **words = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
    guint n_words = 0, j;
    gchar *word[3];

    for (j = 0; words[j] != NULL && n_words < 3; j++)
      if (words[j][0] != '\0')
        word[n_words++] = words[j];
    if (n_words == 3 && g_str_equal (word[1], "-")
        && g_str_equal (word[2], openssl_name))
      name = g_strdup (word[0]);
    g_strfreev (words);
  }
  fail_unless (name != NULL, "openssl ciphers -stdname does not know %s:\n%s",
      openssl_name, out);
  g_strfreev (lines);
  g_free (out);
  return name;
}

/* ---- the peer process ---- */

/* Waits, until @deadline, for the peer to have printed a complete line
 * after @label; returns the rest of that line or NULL. */
static gchar *
peer_wait_line (SecPeer * peer, const gchar * label, gint64 deadline)
{
  for (;;) {
    gchar *line = line_after (peer->output->str, label);

    if (line != NULL)
      return line;
    if (peer->exited || g_get_monotonic_time () >= deadline)
      return NULL;
    sec_peer_poll (peer, deadline);
  }
}

/* Starts @argv (no NULL at the end yet) as @peer, called @name. Its
 * stdin is a pipe held open, because end of file there makes it quit. */
static void
peer_start (SecPeer * peer, const gchar * name, GPtrArray * argv)
{
  GError *error = NULL;
  gboolean started;

  g_ptr_array_add (argv, NULL);
  started = sec_peer_start (peer, name,
      SEC_PEER_STDIN_PIPE | SEC_PEER_MERGE_STDERR, (gchar **) argv->pdata,
      NULL, &error);
  fail_unless (started, "%s", error ? error->message : "?");
}

/* openssl s_server on 127.0.0.1:@port; returns once it listens. */
static void
s_server_start (SecPeer * peer, const ProfileCase * pc, guint16 port)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  gchar *ready;

  g_ptr_array_add (argv, g_strdup (openssl_path));
  g_ptr_array_add (argv, g_strdup ("s_server"));
  g_ptr_array_add (argv, g_strdup ("-dtls1_2"));
  g_ptr_array_add (argv, g_strdup ("-accept"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", port));
  g_ptr_array_add (argv, g_strdup ("-cert"));
  g_ptr_array_add (argv, g_strdup (peer_cert_path));
  g_ptr_array_add (argv, g_strdup ("-key"));
  g_ptr_array_add (argv, g_strdup (peer_key_path));
  /* asks for our certificate; accepts a self-signed one */
  g_ptr_array_add (argv, g_strdup ("-verify"));
  g_ptr_array_add (argv, g_strdup ("1"));
  g_ptr_array_add (argv, g_strdup ("-use_srtp"));
  g_ptr_array_add (argv, g_strdup (pc->openssl_name));
  g_ptr_array_add (argv, g_strdup ("-keymatexport"));
  g_ptr_array_add (argv, g_strdup ("EXTRACTOR-dtls_srtp"));
  g_ptr_array_add (argv, g_strdup ("-keymatexportlen"));
  g_ptr_array_add (argv, g_strdup_printf ("%" G_GSIZE_FORMAT,
          2 * (pc->key_len + pc->salt_len)));
  peer_start (peer, "openssl s_server", argv);
  g_ptr_array_unref (argv);

  /* printed once its socket is bound */
  ready = peer_wait_line (peer, "ACCEPT",
      g_get_monotonic_time () + PEER_READY_TIMEOUT_US);
  fail_unless (ready != NULL, "openssl s_server did not start listening "
      "on 127.0.0.1:%u within %d s; it printed:\n%s", port,
      (gint) (PEER_READY_TIMEOUT_US / G_USEC_PER_SEC), peer->output->str);
  g_free (ready);
}

/* openssl s_client from 127.0.0.1:@local_port to 127.0.0.1:@port. */
static void
s_client_start (SecPeer * peer, const ProfileCase * pc, guint16 local_port,
    guint16 port)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (openssl_path));
  g_ptr_array_add (argv, g_strdup ("s_client"));
  g_ptr_array_add (argv, g_strdup ("-dtls1_2"));
  g_ptr_array_add (argv, g_strdup ("-bind"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", local_port));
  g_ptr_array_add (argv, g_strdup ("-connect"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", port));
  g_ptr_array_add (argv, g_strdup ("-cert"));
  g_ptr_array_add (argv, g_strdup (peer_cert_path));
  g_ptr_array_add (argv, g_strdup ("-key"));
  g_ptr_array_add (argv, g_strdup (peer_key_path));
  g_ptr_array_add (argv, g_strdup ("-use_srtp"));
  g_ptr_array_add (argv, g_strdup (pc->openssl_name));
  g_ptr_array_add (argv, g_strdup ("-keymatexport"));
  g_ptr_array_add (argv, g_strdup ("EXTRACTOR-dtls_srtp"));
  g_ptr_array_add (argv, g_strdup ("-keymatexportlen"));
  g_ptr_array_add (argv, g_strdup_printf ("%" G_GSIZE_FORMAT,
          2 * (pc->key_len + pc->salt_len)));
  peer_start (peer, "openssl s_client", argv);
  g_ptr_array_unref (argv);
}

/* ---- our side ---- */

static void
assert_elements_are_ours (void)
{
  sec_check_factory_is_ours ("secdtlsenc");
  sec_check_factory_is_ours ("secdtlsdec");
  sec_check_factory_is_ours ("secsrtpenc");
  sec_check_factory_is_ours ("secsrtpdec");
  /* gst-plugins-bad's elements must not be the ones under test */
  sec_check_factory_absent ("dtlsenc");
  sec_check_factory_absent ("dtlsdec");
  sec_check_factory_absent ("srtpenc");
  sec_check_factory_absent ("srtpdec");
}

/* Builds our pipeline, expecting the peer's certificate to have
 * @expected_fingerprint, and brings it to READY, which binds net_in to a
 * free port on 127.0.0.1; net_out sends from that same socket. */
static void
ours_setup (Ours * ours, const ProfileCase * pc, gboolean is_client,
    const gchar * expected_fingerprint)
{
  GstElement *pipeline;

  memset (ours, 0, sizeof (*ours));
  sec_dtls_side_setup (&ours->side, g_strdup_printf ("dtls-openssl-%s-%s",
          is_client ? "client" : "server", pc->profile), is_client,
      expected_fingerprint, pc->our_offer,
      "! udpsink name=net_out host=127.0.0.1 port=9 sync=false async=false "
      "close-socket=false "
      "appsrc name=rtp_in is-live=true format=time caps=\"" RTP_CAPS "\" "
      "! srtpenc.rtp_sink_0 "
      "secsrtpenc name=srtpenc wait-for-key=true srtpenc.rtp_src_0 "
      "! appsink name=srtp_out sync=false async=false "
      "appsrc name=srtp_in is-live=true format=time caps=\"" SRTP_CAPS "\" "
      "! srtpdec.rtp_sink_0 "
      "secsrtpdec name=srtpdec wait-for-key=true srtpdec.rtp_src_0 "
      "! appsink name=rtp_out sync=false async=false");

  pipeline = ours->side.pipeline;
  ours->rtp_in = sec_dtls_side_get_by_name (pipeline, "rtp_in");
  ours->srtp_out = sec_dtls_side_get_by_name (pipeline, "srtp_out");
  ours->srtp_in = sec_dtls_side_get_by_name (pipeline, "srtp_in");
  ours->rtp_out = sec_dtls_side_get_by_name (pipeline, "rtp_out");
  ours->srtpdec = sec_dtls_side_get_by_name (pipeline, "srtpdec");
}

static void
ours_teardown (Ours * ours)
{
  sec_dtls_side_teardown (&ours->side);
  g_clear_object (&ours->rtp_in);
  g_clear_object (&ours->srtp_out);
  g_clear_object (&ours->srtp_in);
  g_clear_object (&ours->rtp_out);
  g_clear_object (&ours->srtpdec);
}

/* The fields of our dtls-connected message; fails the test on an error
 * message, if the peer exits, or after HANDSHAKE_TIMEOUT_US. */
static GstStructure *
ours_wait_connected (Ours * ours, SecPeer * peer)
{
  GstStructure *connected = sec_dtls_side_wait_connected (&ours->side, peer,
      HANDSHAKE_TIMEOUT_US);

  fail_unless (connected != NULL, "no dtls-connected message within %d s; "
      "%s printed:\n%s", (gint) (HANDSHAKE_TIMEOUT_US / G_USEC_PER_SEC),
      peer->name, peer->output->str);
  return connected;
}

static const gchar *
connection_state_nick (GstElement * element)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS
      (element), "connection-state");
  GEnumClass *enum_class;
  GEnumValue *value;
  gint state;

  fail_unless (pspec != NULL && G_IS_PARAM_SPEC_ENUM (pspec));
  g_object_get (element, "connection-state", &state, NULL);
  enum_class = G_PARAM_SPEC_ENUM (pspec)->enum_class;
  value = g_enum_get_value (enum_class, state);
  return value ? value->value_nick : "?";
}

/* Pushes @buf (not taken) into @appsrc and returns what comes out of
 * @appsink within PACKET_TIMEOUT_NS, or NULL. */
static GstBuffer *
ours_process (GstElement * appsrc, GstElement * appsink, GstBuffer * buf)
{
  GstFlowReturn flow = GST_FLOW_ERROR;
  GstSample *sample = NULL;
  GstBuffer *out;

  g_signal_emit_by_name (appsrc, "push-buffer", buf, &flow);
  fail_unless_equals_int (flow, GST_FLOW_OK);
  g_signal_emit_by_name (appsink, "try-pull-sample", PACKET_TIMEOUT_NS,
      &sample);
  if (sample == NULL)
    return NULL;
  out = gst_buffer_ref (gst_sample_get_buffer (sample));
  gst_sample_unref (sample);
  return out;
}

/* ---- SRTP keys from the exporter output ---- */

/* RFC 5764 §4.2: client_write_SRTP_master_key | server_write_..._key |
 * client_write_SRTP_master_salt | server_write_..._salt. Returns the
 * key || salt the client (or the server) protects with. */
static GstBuffer *
write_key_new (GBytes * material, const ProfileCase * pc, gboolean client)
{
  gsize len;
  const guint8 *m = g_bytes_get_data (material, &len);
  gsize k = pc->key_len, s = pc->salt_len;
  GstBuffer *key = gst_buffer_new_allocate (NULL, k + s, NULL);

  fail_unless_equals_int (len, 2 * (k + s));
  gst_buffer_fill (key, 0, m + (client ? 0 : k), k);
  gst_buffer_fill (key, k, m + 2 * k + (client ? 0 : s), s);
  return key;
}

static GstBuffer *
test_rtp_new (guint32 ssrc, guint n)
{
  guint16 seq = FIRST_SEQ + n;

  /* sizes from 1 byte to a full 1200-byte datagram */
  return sec_check_rtp_buffer_new (ssrc, seq, seq * 3000,
      n == 0 ? 1 : 1 + (n * 331) % 1150);
}

/* (a) the peer's half in a separate secsrtpenc, our DTLS-keyed
 * secsrtpdec decrypts */
static void
check_peer_protects_we_unprotect (Ours * ours, const ProfileCase * pc,
    GstBuffer * peer_key)
{
  GstElement *enc = sec_check_srtp_element_new ("secsrtpenc", pc->profile,
      peer_key);
  GstHarness *h = sec_check_srtp_harness_new (enc, FALSE);
  guint n;

  for (n = 0; n < N_TEST_RTP; n++) {
    GstBuffer *plain = test_rtp_new (PEER_SSRC, n);
    GstBuffer *protected, *out;

    fail_unless_equals_int (gst_harness_push (h, gst_buffer_copy_deep
            (plain)), GST_FLOW_OK);
    protected = gst_harness_try_pull (h);
    fail_unless (protected != NULL, "the test secsrtpenc dropped packet %u",
        n);
    fail_if (sec_check_buffers_equal (plain, protected));

    out = ours_process (ours->srtp_in, ours->rtp_out, protected);
    if (out == NULL)
      fail ("%s: our DTLS-keyed secsrtpdec did not decrypt packet %u "
          "protected with the peer's write key from OpenSSL's exporter "
          "output (its auth-failures: %" G_GUINT64_FORMAT ")", pc->profile,
          n, sec_check_stat (ours->srtpdec, 0, "auth-failures"));
    fail_unless (sec_check_buffers_equal (plain, out), "%s: packet %u "
        "decrypted by our secsrtpdec differs from the original",
        pc->profile, n);
    gst_buffer_unref (out);
    gst_buffer_unref (protected);
    gst_buffer_unref (plain);
  }
  gst_harness_teardown (h);
  gst_object_unref (enc);
}

/* (b) our DTLS-keyed secsrtpenc protects, a separate secsrtpdec with our
 * half decrypts */
static void
check_we_protect_peer_unprotects (Ours * ours, const ProfileCase * pc,
    GstBuffer * our_key)
{
  GstElement *dec = sec_check_srtp_element_new ("secsrtpdec", pc->profile,
      our_key);
  GstHarness *h = sec_check_srtp_harness_new (dec, FALSE);
  guint n;

  for (n = 0; n < N_TEST_RTP; n++) {
    GstBuffer *plain = test_rtp_new (OUR_SSRC, n);
    GstBuffer *protected, *out;

    protected = ours_process (ours->rtp_in, ours->srtp_out, plain);
    fail_unless (protected != NULL, "%s: our DTLS-keyed secsrtpenc gave "
        "nothing for packet %u after dtls-connected", pc->profile, n);
    fail_if (sec_check_buffers_equal (plain, protected));

    fail_unless_equals_int (gst_harness_push (h, gst_buffer_ref (protected)),
        GST_FLOW_OK);
    out = gst_harness_try_pull (h);
    fail_unless (out != NULL, "%s: packet %u from our DTLS-keyed secsrtpenc "
        "does not authenticate under our write key from OpenSSL's exporter "
        "output", pc->profile, n);
    fail_unless (sec_check_buffers_equal (plain, out), "%s: packet %u "
        "from our secsrtpenc decrypts to other bytes", pc->profile, n);
    gst_buffer_unref (out);
    gst_buffer_unref (protected);
    gst_buffer_unref (plain);
  }
  fail_unless_equals_uint64 (sec_check_stat (dec, 0, "auth-failures"), 0);
  gst_harness_teardown (h);
  gst_object_unref (dec);
}

/* ---- the tests ---- */

/* Starts the peer in the other role and our pipeline, in the order the
 * roles need. Returns the label under which the peer prints our
 * certificate. */
static const gchar *
ours_and_peer_start (Ours * ours, SecPeer * peer, const ProfileCase * pc,
    gboolean is_client)
{
  if (is_client) {
    /* s_server answers the source address of our ClientHello */
    guint16 server_port;

    sec_peer_free_ports (&server_port, 1);

    s_server_start (peer, pc, server_port);
    sec_dtls_side_play (&ours->side, server_port);
    return "Client certificate";
  } else {
    /* s_client's socket is connected: we answer from the port it calls */
    guint16 client_port;

    sec_peer_free_ports (&client_port, 1);

    sec_dtls_side_play (&ours->side, client_port);
    s_client_start (peer, pc, client_port,
        sec_dtls_side_port (&ours->side));
    return "Server certificate";
  }
}

static void
run_case (const ProfileCase * pc, gboolean is_client)
{
  Ours ours;
  SecPeer peer;
  GstStructure *connected;
  gchar *hex, *peer_profile, *peer_cipher, *iana_cipher, *seen_ours;
  gchar *local_fingerprint = NULL;
  const gchar *our_cert_label;
  const gchar *cert_text;
  GBytes *material;
  GstBuffer *our_key, *peer_key;
  gboolean msg_is_client = !is_client;
  gint64 deadline;

  assert_elements_are_ours ();
  ours_setup (&ours, pc, is_client, peer_fingerprint);
  our_cert_label = ours_and_peer_start (&ours, &peer, pc, is_client);

  connected = ours_wait_connected (&ours, &peer);
  GST_INFO ("%" GST_PTR_FORMAT, connected);

  /* what OpenSSL says about the same association */
  deadline = g_get_monotonic_time () + PEER_OUTPUT_TIMEOUT_US;
  hex = peer_wait_line (&peer, "Keying material: ", deadline);
  fail_unless (hex != NULL, "%s printed no keying material within %d s:\n%s",
      peer.name, (gint) (PEER_OUTPUT_TIMEOUT_US / G_USEC_PER_SEC),
      peer.output->str);
  GST_INFO ("%s printed its keying material", peer.name);
  peer_profile = line_after (peer.output->str, "SRTP Extension negotiated, "
      "profile=");
  fail_unless (peer_profile != NULL, "%s negotiated no SRTP profile:\n%s",
      peer.name, peer.output->str);
  fail_unless_equals_string (peer_profile, pc->openssl_name);
  /* s_server: "CIPHER is X", s_client: "New, TLSv1.2, Cipher is X" */
  peer_cipher = line_after (peer.output->str, is_client ? "CIPHER is " :
      "Cipher is ");
  fail_unless (peer_cipher != NULL);
  iana_cipher = cipher_standard_name (peer_cipher);
  GST_INFO ("%s: cipher suite %s (%s)", peer.name, peer_cipher, iana_cipher);
  cert_text = strstr (peer.output->str, our_cert_label);
  fail_unless (cert_text != NULL, "%s printed no \"%s\":\n%s", peer.name,
      our_cert_label, peer.output->str);
  seen_ours = fingerprint_of_pem (cert_text);
  fail_unless (seen_ours != NULL);

  /* the dtls-connected message */
  fail_unless_equals_string (gst_structure_get_string (connected,
          "connection-id"), ours.side.connection_id);
  fail_unless (gst_structure_get_boolean (connected, "is-client",
          &msg_is_client));
  fail_unless_equals_int (msg_is_client, is_client);
  fail_unless_equals_string (gst_structure_get_string (connected,
          "dtls-version"), "DTLSv1.2");
  fail_unless_equals_string (gst_structure_get_string (connected,
          "cipher-suite"), iana_cipher);
  fail_unless_equals_string (gst_structure_get_string (connected,
          "srtp-profile"), pc->profile);
  fail_unless_equals_string (gst_structure_get_string (connected,
          "peer-fingerprint"), peer_fingerprint);
  g_object_get (ours.side.dtlsdec, "local-fingerprint", &local_fingerprint, NULL);
  fail_unless_equals_string (gst_structure_get_string (connected,
          "local-fingerprint"), local_fingerprint);
  /* the certificate OpenSSL got is the one local-fingerprint names */
  fail_unless_equals_string (seen_ours, local_fingerprint);
  fail_unless_equals_string (connection_state_nick (ours.side.dtlsdec),
      "connected");
  /* no key material in the message */
  fail_if (gst_structure_has_field (connected, "key"));

  /* the keys, proven by use */
  material = bytes_from_hex (hex);
  fail_unless (material != NULL, "cannot read keying material \"%s\"", hex);
  our_key = write_key_new (material, pc, is_client);
  peer_key = write_key_new (material, pc, !is_client);
  check_peer_protects_we_unprotect (&ours, pc, peer_key);
  GST_INFO ("%s: the peer's key decrypts in our secsrtpdec", pc->profile);
  check_we_protect_peer_unprotects (&ours, pc, our_key);
  GST_INFO ("%s: our secsrtpenc protects under our key", pc->profile);

  ours_teardown (&ours);
  sec_peer_stop (&peer, NULL);

  gst_buffer_unref (our_key);
  gst_buffer_unref (peer_key);
  g_bytes_unref (material);
  gst_structure_free (connected);
  g_free (local_fingerprint);
  g_free (seen_ours);
  g_free (iana_cipher);
  g_free (peer_cipher);
  g_free (peer_profile);
  g_free (hex);
}

/* A peer whose certificate is not the signaled one: the handshake fails
 * with an error, no dtls-connected, and the SRTP elements get no key. */
static void
run_wrong_fingerprint_case (gboolean is_client)
{
  const ProfileCase *pc = &profile_cases[0];
  Ours ours;
  SecPeer peer;
  gchar *wrong = g_strdup (peer_fingerprint);
  gint64 deadline;
  GstMessage *error_msg = NULL;
  GstBuffer *plain, *protected;

  assert_elements_are_ours ();
  /* the last hex digit changed */
  wrong[strlen (wrong) - 1] = wrong[strlen (wrong) - 1] == '0' ? '1' : '0';
  ours_setup (&ours, pc, is_client, wrong);
  ours_and_peer_start (&ours, &peer, pc, is_client);

  deadline = g_get_monotonic_time () + HANDSHAKE_TIMEOUT_US;
  while (error_msg == NULL && g_get_monotonic_time () < deadline) {
    GstMessage *msg = gst_bus_timed_pop_filtered (ours.side.bus,
        50 * GST_MSECOND, GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);

    sec_peer_drain (&peer);
    if (msg == NULL)
      continue;
    fail_if (gst_message_has_name (msg, "dtls-connected"), "dtls-connected "
        "with a peer whose certificate is not %s: %" GST_PTR_FORMAT, wrong,
        gst_message_get_structure (msg));
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
      error_msg = gst_message_ref (msg);
    gst_message_unref (msg);
  }
  fail_unless (error_msg != NULL, "no error within %d s from a handshake "
      "with a peer whose certificate is not %s; %s printed:\n%s",
      (gint) (HANDSHAKE_TIMEOUT_US / G_USEC_PER_SEC), wrong, peer.name,
      peer.output->str);
  {
    GError *error = NULL;
    gchar *debug = NULL;

    gst_message_parse_error (error_msg, &error, &debug);
    GST_INFO ("expected error from %s: %s (%s)",
        GST_OBJECT_NAME (GST_MESSAGE_SRC (error_msg)), error->message,
        debug);
    g_clear_error (&error);
    g_free (debug);
  }
  fail_unless_equals_string (connection_state_nick (ours.side.dtlsdec), "failed");

  /* no key reached the DTLS-keyed secsrtpenc: it drops what comes */
  plain = test_rtp_new (OUR_SSRC, 0);
  {
    GstFlowReturn flow = GST_FLOW_ERROR;
    GstSample *sample = NULL;

    g_signal_emit_by_name (ours.rtp_in, "push-buffer", plain, &flow);
    g_signal_emit_by_name (ours.srtp_out, "try-pull-sample",
        (GstClockTime) (100 * GST_MSECOND), &sample);
    protected = sample ? gst_buffer_ref (gst_sample_get_buffer (sample)) :
        NULL;
    if (sample)
      gst_sample_unref (sample);
  }
  fail_unless (protected == NULL, "secsrtpenc protected a packet after a "
      "failed handshake");

  gst_buffer_unref (plain);
  gst_message_unref (error_msg);
  ours_teardown (&ours);
  sec_peer_stop (&peer, NULL);
  g_free (wrong);
}

GST_START_TEST (test_elements_are_ours)
{
  assert_elements_are_ours ();
}

GST_END_TEST;

GST_START_TEST (test_we_are_client)
{
  run_case (&profile_cases[__i__], TRUE);
}

GST_END_TEST;

GST_START_TEST (test_we_are_server)
{
  run_case (&profile_cases[__i__], FALSE);
}

GST_END_TEST;

GST_START_TEST (test_wrong_fingerprint)
{
  /* 0: we are the client, 1: the server */
  run_wrong_fingerprint_case (__i__ == 0);
}

GST_END_TEST;

/* ---- fixture: the peer's certificate, made once ---- */

static void
peer_certificate_make (void)
{
  GError *error = NULL;
  gchar *out, *pem, *ours;

  cert_dir = sec_peer_dir_new ("secdtls-openssl-XXXXXX");
  peer_cert_path = g_build_filename (cert_dir, "peer-cert.pem", NULL);
  peer_key_path = g_build_filename (cert_dir, "peer-key.pem", NULL);
  g_free (run_openssl ("req", "-x509", "-newkey", "ec", "-pkeyopt",
          "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=peer", "-days",
          "2", "-keyout", peer_key_path, "-out", peer_cert_path, NULL));

  /* "sha256 Fingerprint=AB:CD:..." */
  out = run_openssl ("x509", "-noout", "-fingerprint", "-sha256", "-in",
      peer_cert_path, NULL);
  fail_unless (g_str_has_prefix (out, "sha256 Fingerprint="),
      "unexpected fingerprint output: %s", out);
  peer_fingerprint = g_strconcat ("sha-256 ", g_strstrip (out +
          strlen ("sha256 Fingerprint=")), NULL);
  g_free (out);

  /* our own fingerprint helper agrees with OpenSSL's */
  fail_unless (g_file_get_contents (peer_cert_path, &pem, NULL, &error));
  ours = fingerprint_of_pem (pem);
  fail_unless_equals_string (ours, peer_fingerprint);
  g_free (ours);
  g_free (pem);
}

static void
peer_certificate_remove (void)
{
  if (cert_dir)
    sec_peer_dir_remove (cert_dir);
  g_clear_pointer (&cert_dir, g_free);
  g_clear_pointer (&peer_cert_path, g_free);
  g_clear_pointer (&peer_key_path, g_free);
  g_clear_pointer (&peer_fingerprint, g_free);
}

/* Exits with 77 (meson's "skipped") when the peer is not installed. */
static void
skip_unless_peer_installed (void)
{
  openssl_path = sec_peer_find_program_or_skip ("openssl", "the openssl "
      "program is not installed (Debian: openssl), so there is no OpenSSL "
      "s_server/s_client peer");
}

static Suite *
dtls_openssl_suite (void)
{
  Suite *s = suite_create ("dtls-openssl");
  TCase *tc_env = tcase_create ("environment");
  TCase *tc_client = tcase_create ("we-are-client");
  TCase *tc_server = tcase_create ("we-are-server");
  TCase *tc_wrong = tcase_create ("wrong-fingerprint");

  skip_unless_peer_installed ();

  suite_add_tcase (s, tc_env);
  tcase_add_test (tc_env, test_elements_are_ours);

  /* the certificate is made and removed by this process, not by the
   * forked test processes, so it goes whatever the tests do */
  suite_add_tcase (s, tc_client);
  tcase_add_unchecked_fixture (tc_client, peer_certificate_make,
      peer_certificate_remove);
  tcase_add_loop_test (tc_client, test_we_are_client, 0, N_PROFILES);

  suite_add_tcase (s, tc_server);
  tcase_add_unchecked_fixture (tc_server, peer_certificate_make,
      peer_certificate_remove);
  tcase_add_loop_test (tc_server, test_we_are_server, 0, N_PROFILES);

  suite_add_tcase (s, tc_wrong);
  tcase_add_unchecked_fixture (tc_wrong, peer_certificate_make,
      peer_certificate_remove);
  tcase_add_loop_test (tc_wrong, test_wrong_fingerprint, 0, 2);

  return s;
}

GST_CHECK_MAIN (dtls_openssl);
