/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * W3C RTCStats assembly (gst/webrtc/stats.c): what the bin collects (the
 * ICE transport's stats and selected pair, the candidates signaled, the
 * DTLS association's dtls-connected, rtpsession's source stats as
 * GStreamer 1.22 and 1.24 write them, the negotiated m-lines) in, the
 * get-stats reply out, member by member. Inputs that are missing,
 * mistyped or malformed leave the members they feed out, never a wrong
 * value and never a crash.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "stats.h"

#include <string.h>

#define OUR_AUDIO 1111
#define OUR_VIDEO 2222
#define OUR_RTX 2223
#define THEIR_AUDIO 3333
#define THEIR_VIDEO 4444
#define THEIR_RTX 4445
#define STRANGER 5555

#define LOCAL_FP "sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:" \
  "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99"
#define PEER_FP "sha-256 01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:" \
  "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF"

/* get-stats' time (ms since the Unix epoch) */
#define NOW_MS 1700000000123.5

/* --- building inputs ------------------------------------------------------ */

/* The middle 32 bits of the NTP time (RFC 3550 §4) @ms_before NOW_MS. */
static guint32
ntp_middle (gdouble ms_before)
{
  return (guint32) (guint64) (((NOW_MS - ms_before) / 1000.0 + 2208988800.0)
      * 65536.0);
}

static GstStructure *
source (guint ssrc, gboolean internal, const gchar * first, ...)
{
  GstStructure *s = gst_structure_new ("application/x-rtp-source-stats",
      "ssrc", G_TYPE_UINT, ssrc, "internal", G_TYPE_BOOLEAN, internal, NULL);
  va_list args;

  va_start (args, first);
  if (first)
    gst_structure_set_valist (s, first, args);
  va_end (args);
  return s;
}

/* rtpsession's stats as GStreamer 1.22 writes them: "source-stats" is a
 * GValueArray of structures. Takes the structures. */
static GstStructure *
session_stats (GstStructure * first, ...)
{
  GstStructure *stats = gst_structure_new ("application/x-rtp-session-stats",
      "rtx-drop-count", G_TYPE_UINT, 0, NULL);
  GValue array = G_VALUE_INIT;
  GValueArray *sources;
  GstStructure *s;
  va_list args;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS;
  sources = g_value_array_new (0);
  va_start (args, first);
  for (s = first; s; s = va_arg (args, GstStructure *)) {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, s);
    g_value_array_append (sources, &v);
    g_value_unset (&v);
  }
  va_end (args);
  g_value_init (&array, g_value_array_get_type ());
  g_value_take_boxed (&array, sources);
  G_GNUC_END_IGNORE_DEPRECATIONS;
  gst_structure_take_value (stats, "source-stats", &array);
  return stats;
}

static SecWebRTCCodec *
codec (const gchar * media, guint pt, const gchar * rtpmap,
    const gchar * fmtp)
{
  GError *error = NULL;
  SecWebRTCCodec *c = sec_webrtc_codec_parse (media, pt, rtpmap, fmtp, NULL,
      &error);

  g_assert_no_error (error);
  return c;
}

/* our stream on m-line 1 (video, RTX) and its report by the peer */
static GstStructure *
our_video (void)
{
  return source (OUR_VIDEO, TRUE, "clock-rate", G_TYPE_INT, 90000,
      "packets-sent", G_TYPE_UINT64, (guint64) 1000,
      "octets-sent", G_TYPE_UINT64, (guint64) 900000,
      "packets-received", G_TYPE_UINT64, (guint64) 1000,
      "recv-nack-count", G_TYPE_UINT, 7, "recv-pli-count", G_TYPE_UINT, 2,
      "recv-fir-count", G_TYPE_UINT, 1, "sent-nack-count", G_TYPE_UINT, 0,
      NULL);
}

static GstStructure *
our_rtx (void)
{
  /* 10 retransmissions of 800-byte payloads (RFC 4588: + 2 bytes) */
  return source (OUR_RTX, TRUE, "clock-rate", G_TYPE_INT, 90000,
      "packets-sent", G_TYPE_UINT64, (guint64) 10,
      "octets-sent", G_TYPE_UINT64, (guint64) 8020,
      "recv-nack-count", G_TYPE_UINT, 0, NULL);
}

static GstStructure *
our_audio (void)
{
  return source (OUR_AUDIO, TRUE, "clock-rate", G_TYPE_INT, 48000,
      "packets-sent", G_TYPE_UINT64, (guint64) 502,
      "octets-sent", G_TYPE_UINT64, (guint64) 40100,
      "recv-nack-count", G_TYPE_UINT, 3, "recv-pli-count", G_TYPE_UINT, 0,
      "recv-fir-count", G_TYPE_UINT, 0, NULL);
}

/* GStreamer 1.22: a remote source keeps the last report block it sent.
 * This one arrived 1 s before NOW_MS, 0.1 s after the sender report it
 * refers to left. */
/* their video's report block: the round trip rtpsession measured from it
 * (1/65536 s) */
static guint their_round_trip = 6554;

static GstStructure *
their_video (void)
{
  return source (THEIR_VIDEO, FALSE, "clock-rate", G_TYPE_INT, 90000,
      "packets-received", G_TYPE_UINT64, (guint64) 950,
      "octets-received", G_TYPE_UINT64, (guint64) 850000,
      "packets-lost", G_TYPE_INT, 12, "jitter", G_TYPE_UINT, 900,
      "sent-pli-count", G_TYPE_UINT, 3, "sent-fir-count", G_TYPE_UINT, 1,
      "sent-nack-count", G_TYPE_UINT, 40,
      "have-rb", G_TYPE_BOOLEAN, TRUE, "rb-ssrc", G_TYPE_UINT, OUR_VIDEO,
      "rb-packetslost", G_TYPE_INT, 4, "rb-jitter", G_TYPE_UINT, 450,
      "rb-exthighestseq", G_TYPE_UINT, 5000, "rb-lsr", G_TYPE_UINT,
      ntp_middle (1000) - 2000 - their_round_trip, "rb-dlsr", G_TYPE_UINT,
      2000, "rb-round-trip", G_TYPE_UINT, their_round_trip,
      "rb-fractionlost", G_TYPE_UINT, 9, NULL);
}

static GstStructure *
their_rtx (void)
{
  /* 8 retransmissions of 700-byte payloads; an older block about our
   * video than their video source's */
  return source (THEIR_RTX, FALSE, "clock-rate", G_TYPE_INT, 90000,
      "packets-received", G_TYPE_UINT64, (guint64) 8,
      "octets-received", G_TYPE_UINT64, (guint64) 5616,
      "packets-lost", G_TYPE_INT, 0, "jitter", G_TYPE_UINT, 0,
      "have-rb", G_TYPE_BOOLEAN, TRUE, "rb-ssrc", G_TYPE_UINT, OUR_VIDEO,
      "rb-packetslost", G_TYPE_INT, 99, "rb-jitter", G_TYPE_UINT, 1,
      "rb-exthighestseq", G_TYPE_UINT, 4000, "rb-lsr", G_TYPE_UINT, 1,
      "rb-dlsr", G_TYPE_UINT, 1, "rb-round-trip", G_TYPE_UINT, 1, NULL);
}

static GstStructure *
their_audio (void)
{
  /* a block about our audio sent at once (DLSR 0), arrived 2 s ago */
  return source (THEIR_AUDIO, FALSE, "clock-rate", G_TYPE_INT, 48000,
      "packets-received", G_TYPE_UINT64, (guint64) 500,
      "octets-received", G_TYPE_UINT64, (guint64) 40000,
      "packets-lost", G_TYPE_INT, 0, "jitter", G_TYPE_UINT, 480,
      "sent-pli-count", G_TYPE_UINT, 0, "sent-fir-count", G_TYPE_UINT, 0,
      "have-rb", G_TYPE_BOOLEAN, TRUE, "rb-ssrc", G_TYPE_UINT, OUR_AUDIO,
      "rb-packetslost", G_TYPE_INT, 2, "rb-jitter", G_TYPE_UINT, 96,
      "rb-exthighestseq", G_TYPE_UINT, 100, "rb-lsr", G_TYPE_UINT,
      ntp_middle (2000) - 655, "rb-dlsr", G_TYPE_UINT, 0,
      "rb-round-trip", G_TYPE_UINT, 655, NULL);
}

static GstStructure *
stranger (void)
{
  return source (STRANGER, FALSE, "packets-received", G_TYPE_UINT64,
      (guint64) 3, "have-rb", G_TYPE_BOOLEAN, FALSE, "rb-ssrc", G_TYPE_UINT,
      0, NULL);
}

/* A connected call with audio on m-line 0 and video with RTX on 1. */
static void
call_input (SecWebRTCStatsInput * in)
{
  SecWebRTCStatsMLine *m;
  static const gchar *local[] = {
    "candidate:1 1 UDP 2015363327 127.0.0.1 40000 typ host",
    "candidate:3 1 TCP 1015022079 127.0.0.1 9 typ host tcptype active",
    NULL
  };
  static const gchar *remote[] = {
    "candidate:7 1 udp 2015363327 127.0.0.1 39999 typ host",
    "candidate:8 1 udp 2015363326 127.0.0.1 40001 typ host",
    NULL
  };

  sec_webrtc_stats_input_init (in);
  in->timestamp = NOW_MS;
  in->have_transport = TRUE;
  in->ice_state = 2;            /* connected */
  in->ice_controlling = 1;
  in->ice_stats = gst_structure_new ("application/x-secice-stats",
      "datagrams-sent", G_TYPE_UINT64, (guint64) 1500,
      "datagrams-received", G_TYPE_UINT64, (guint64) 1480,
      "bytes-sent", G_TYPE_UINT64, (guint64) 1000000,
      "bytes-received", G_TYPE_UINT64, (guint64) 990000,
      "selected-pair-bytes-sent", G_TYPE_UINT64, (guint64) 999000,
      "selected-pair-bytes-received", G_TYPE_UINT64, (guint64) 989000, NULL);
  in->selected_pair = gst_structure_new ("selected-pair",
      "local-type", G_TYPE_STRING, "host",
      "local-protocol", G_TYPE_STRING, "udp",
      "local-address", G_TYPE_STRING, "127.0.0.1",
      "local-port", G_TYPE_UINT, 40000,
      "remote-type", G_TYPE_STRING, "host",
      "remote-protocol", G_TYPE_STRING, "udp",
      "remote-address", G_TYPE_STRING, "127.0.0.1",
      "remote-port", G_TYPE_UINT, 40001, NULL);
  in->local_candidates = g_strdupv ((gchar **) local);
  in->remote_candidates = g_strdupv ((gchar **) remote);
  in->dtls_state = 2;           /* connected */
  in->dtls_info = gst_structure_new ("dtls-connected",
      "connection-id", G_TYPE_STRING, "x-dtls",
      "is-client", G_TYPE_BOOLEAN, TRUE,
      "dtls-version", G_TYPE_STRING, "DTLSv1.2",
      "cipher-suite", G_TYPE_STRING,
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "srtp-profile", G_TYPE_STRING, "aead-aes-256-gcm",
      "local-fingerprint", G_TYPE_STRING, LOCAL_FP,
      "peer-fingerprint", G_TYPE_STRING, PEER_FP, NULL);
  in->local_fingerprint = g_strdup (LOCAL_FP);
  in->rtp_stats = session_stats (our_audio (), our_video (), our_rtx (),
      their_audio (), their_video (), their_rtx (), stranger (), NULL);

  m = sec_webrtc_stats_input_add_mline (in, 0);
  m->mid = g_strdup ("0");
  m->kind = g_strdup ("audio");
  m->ssrc = OUR_AUDIO;
  m->send_codec = codec ("audio", 111, "opus/48000/2",
      "minptime=10;useinbandfec=1");
  m->received_ssrc = THEIR_AUDIO;
  m->receive_codec = codec ("audio", 111, "opus/48000/2",
      "minptime=10;useinbandfec=1");
  m->nack_packets_sent = 0;

  m = sec_webrtc_stats_input_add_mline (in, 1);
  m->mid = g_strdup ("1");
  m->kind = g_strdup ("video");
  m->ssrc = OUR_VIDEO;
  m->rtx_ssrc = OUR_RTX;
  m->send_codec = codec ("video", 96, "VP8/90000", NULL);
  m->received_ssrc = THEIR_VIDEO;
  m->receive_codec = codec ("video", 96, "VP8/90000", NULL);
  m->receive_rtx = TRUE;
  m->received_rtx_ssrc = THEIR_RTX;
  m->nack_packets_sent = 5;
}

/* --- reading the reply ---------------------------------------------------- */

static const GstStructure *
entry (const GstStructure * reply, const gchar * id)
{
  const GValue *v = gst_structure_get_value (reply, id);

  if (v == NULL)
    g_error ("no entry %s in %s", id, gst_structure_to_string (reply));
  g_assert_true (GST_VALUE_HOLDS_STRUCTURE (v));
  return gst_value_get_structure (v);
}

static void
assert_type (const GstStructure * reply, const gchar * id,
    const gchar * type)
{
  const GstStructure *e = entry (reply, id);
  gdouble timestamp = 0;

  g_assert_cmpstr (gst_structure_get_name (e), ==, type);
  g_assert_cmpstr (gst_structure_get_string (e, "id"), ==, id);
  g_assert_cmpstr (gst_structure_get_string (e, "type"), ==, type);
  g_assert_true (gst_structure_get_double (e, "timestamp", &timestamp));
  g_assert_cmpfloat (timestamp, ==, NOW_MS);
}

static void
assert_str (const GstStructure * e, const gchar * field, const gchar * want)
{
  const GValue *v = gst_structure_get_value (e, field);

  if (v == NULL || !G_VALUE_HOLDS_STRING (v))
    g_error ("%s: no string %s (want %s)", gst_structure_to_string (e),
        field, want);
  g_assert_cmpstr (g_value_get_string (v), ==, want);
}

static void
assert_u64 (const GstStructure * e, const gchar * field, guint64 want)
{
  guint64 value;

  if (!gst_structure_get_uint64 (e, field, &value))
    g_error ("%s: no guint64 %s", gst_structure_to_string (e), field);
  g_assert_cmpuint (value, ==, want);
}

static void
assert_uint (const GstStructure * e, const gchar * field, guint want)
{
  guint value;

  if (!gst_structure_get_uint (e, field, &value))
    g_error ("%s: no guint %s", gst_structure_to_string (e), field);
  g_assert_cmpuint (value, ==, want);
}

static void
assert_int (const GstStructure * e, const gchar * field, gint want)
{
  gint value;

  if (!gst_structure_get_int (e, field, &value))
    g_error ("%s: no gint %s", gst_structure_to_string (e), field);
  g_assert_cmpint (value, ==, want);
}

static void
assert_i64 (const GstStructure * e, const gchar * field, gint64 want)
{
  gint64 value;

  if (!gst_structure_get_int64 (e, field, &value))
    g_error ("%s: no gint64 %s", gst_structure_to_string (e), field);
  g_assert_cmpint (value, ==, want);
}

static void
assert_double (const GstStructure * e, const gchar * field, gdouble want)
{
  gdouble value;

  if (!gst_structure_get_double (e, field, &value))
    g_error ("%s: no double %s", gst_structure_to_string (e), field);
  g_assert_cmpfloat_with_epsilon (value, want, 1e-9);
}

static void
assert_bool (const GstStructure * e, const gchar * field, gboolean want)
{
  gboolean value;

  if (!gst_structure_get_boolean (e, field, &value))
    g_error ("%s: no boolean %s", gst_structure_to_string (e), field);
  g_assert_cmpint (value, ==, want);
}

static void
assert_absent (const GstStructure * e, const gchar * field)
{
  if (gst_structure_has_field (e, field))
    g_error ("%s: %s should be absent", gst_structure_to_string (e), field);
}

/* exactly these members (besides id, type, timestamp) */
static void
assert_members (const GstStructure * e, const gchar * const *members)
{
  guint i, n = 0;

  for (i = 0; members[i]; i++)
    if (!gst_structure_has_field (e, members[i]))
      g_error ("%s: no %s", gst_structure_to_string (e), members[i]);
  n = i + 3;
  if ((guint) gst_structure_n_fields (e) != n)
    g_error ("%s: %d members, expected %u", gst_structure_to_string (e),
        gst_structure_n_fields (e), n);
}

/* exactly these entries */
static void
assert_ids (const GstStructure * reply, const gchar * const *ids)
{
  guint i;

  for (i = 0; ids[i]; i++)
    entry (reply, ids[i]);
  if ((guint) gst_structure_n_fields (reply) != i)
    g_error ("%d entries, expected %u: %s", gst_structure_n_fields (reply),
        i, gst_structure_to_string (reply));
}

static GstStructure *
build_all (const SecWebRTCStatsInput * in)
{
  GstStructure *reply = sec_webrtc_stats_build (in, -1, SEC_WEBRTC_STATS_ALL);

  g_assert_cmpstr (gst_structure_get_name (reply), ==,
      "application/x-webrtc-stats");
  return reply;
}

/* --- the tests ------------------------------------------------------------ */

static const gchar *const call_ids[] = {
  "transport-0", "candidate-pair-0-1", "local-candidate-0",
  "remote-candidate-1", "certificate-local", "certificate-remote",
  "codec-111", "codec-96", "outbound-rtp-0", "remote-inbound-rtp-0",
  "inbound-rtp-0", "outbound-rtp-1", "remote-inbound-rtp-1",
  "inbound-rtp-1", NULL
};

static void
test_transport (void)
{
  SecWebRTCStatsInput in;
  GstStructure *reply;
  const GstStructure *t;
  static const gchar *const members[] = { "packetsSent", "packetsReceived",
    "bytesSent", "bytesReceived", "iceRole", "iceState", "dtlsState",
    "selectedCandidatePairId", "localCertificateId", "remoteCertificateId",
    "tlsVersion", "dtlsCipher", "srtpCipher", "dtlsRole", NULL
  };

  call_input (&in);
  reply = build_all (&in);
  assert_ids (reply, call_ids);
  assert_type (reply, "transport-0", "transport");
  t = entry (reply, "transport-0");
  assert_members (t, members);
  assert_u64 (t, "packetsSent", 1500);
  assert_u64 (t, "packetsReceived", 1480);
  assert_u64 (t, "bytesSent", 1000000);
  assert_u64 (t, "bytesReceived", 990000);
  assert_str (t, "iceRole", "controlling");
  assert_str (t, "iceState", "connected");
  assert_str (t, "dtlsState", "connected");
  assert_str (t, "selectedCandidatePairId", "candidate-pair-0-1");
  assert_str (t, "localCertificateId", "certificate-local");
  assert_str (t, "remoteCertificateId", "certificate-remote");
  assert_str (t, "tlsVersion", "FEFD");
  assert_str (t, "dtlsCipher", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
  assert_str (t, "srtpCipher", "SRTP_AEAD_AES_256_GCM");
  assert_str (t, "dtlsRole", "client");
  gst_structure_free (reply);

  /* the other names */
  gst_structure_set (in.dtls_info, "is-client", G_TYPE_BOOLEAN, FALSE,
      "dtls-version", G_TYPE_STRING, "DTLSv1",
      "srtp-profile", G_TYPE_STRING, "aes128-cm-sha1-80", NULL);
  in.ice_controlling = 0;
  in.ice_state = 5;
  reply = build_all (&in);
  t = entry (reply, "transport-0");
  assert_str (t, "dtlsRole", "server");
  assert_str (t, "tlsVersion", "FEFF");
  assert_str (t, "srtpCipher", "SRTP_AES128_CM_HMAC_SHA1_80");
  assert_str (t, "iceRole", "controlled");
  assert_str (t, "iceState", "disconnected");
  gst_structure_free (reply);
  gst_structure_set (in.dtls_info, "dtls-version", G_TYPE_STRING, "DTLSv1.3",
      "srtp-profile", G_TYPE_STRING, "aes128-cm-sha1-32", NULL);
  reply = build_all (&in);
  t = entry (reply, "transport-0");
  assert_str (t, "tlsVersion", "FEFC");
  assert_str (t, "srtpCipher", "SRTP_AES128_CM_HMAC_SHA1_32");
  gst_structure_free (reply);
  gst_structure_set (in.dtls_info, "srtp-profile", G_TYPE_STRING,
      "aead-aes-128-gcm", NULL);
  reply = build_all (&in);
  assert_str (entry (reply, "transport-0"), "srtpCipher",
      "SRTP_AEAD_AES_128_GCM");
  gst_structure_free (reply);
  sec_webrtc_stats_input_clear (&in);
}

/* Another transport than 0 (bundle-policy=balanced with a peer that does
 * not bundle): its own ids, so that the bin can merge the replies of its
 * transports into one; the streams refer to it. */
static void
test_other_transport (void)
{
  SecWebRTCStatsInput in;
  GstStructure *reply;
  static const gchar *const ids[] = {
    "transport-1", "candidate-pair-0-1-t1", "local-candidate-0-t1",
    "remote-candidate-1-t1", "certificate-local-t1", "certificate-remote-t1",
    "codec-111-t1", "codec-96-t1", "outbound-rtp-0", "remote-inbound-rtp-0",
    "inbound-rtp-0", "outbound-rtp-1", "remote-inbound-rtp-1",
    "inbound-rtp-1", NULL
  };

  call_input (&in);
  in.transport = 1;
  reply = build_all (&in);
  assert_ids (reply, ids);
  assert_type (reply, "transport-1", "transport");
  assert_str (entry (reply, "transport-1"), "selectedCandidatePairId",
      "candidate-pair-0-1-t1");
  assert_str (entry (reply, "transport-1"), "localCertificateId",
      "certificate-local-t1");
  assert_str (entry (reply, "candidate-pair-0-1-t1"), "localCandidateId",
      "local-candidate-0-t1");
  assert_str (entry (reply, "candidate-pair-0-1-t1"), "transportId",
      "transport-1");
  assert_str (entry (reply, "inbound-rtp-1"), "transportId", "transport-1");
  assert_str (entry (reply, "inbound-rtp-1"), "codecId", "codec-96-t1");
  assert_str (entry (reply, "codec-96-t1"), "transportId", "transport-1");
  gst_structure_free (reply);
  sec_webrtc_stats_input_clear (&in);
}

/* Before the call connects: what is known and nothing else. */
static void
test_transport_before_connected (void)
{
  SecWebRTCStatsInput in;
  GstStructure *reply;
  const GstStructure *t;
  static const gchar *const ids[] = { "transport-0", "certificate-local",
    NULL
  };
  static const gchar *const members[] = { "iceState", "dtlsState",
    "localCertificateId", "dtlsRole", NULL
  };

  sec_webrtc_stats_input_init (&in);
  in.timestamp = NOW_MS;
  in.have_transport = TRUE;
  in.ice_state = 0;
  in.dtls_state = 0;
  in.local_fingerprint = g_strdup (LOCAL_FP);
  reply = build_all (&in);
  assert_ids (reply, ids);
  t = entry (reply, "transport-0");
  assert_members (t, members);
  assert_str (t, "iceState", "new");
  assert_str (t, "dtlsState", "new");
  /* W3C: unknown until the DTLS negotiation starts */
  assert_str (t, "dtlsRole", "unknown");
  gst_structure_free (reply);

  /* the handshake runs: the role is decided, but not known here */
  in.ice_state = 1;
  in.dtls_state = 1;
  reply = build_all (&in);
  t = entry (reply, "transport-0");
  assert_str (t, "iceState", "checking");
  assert_str (t, "dtlsState", "connecting");
  assert_absent (t, "dtlsRole");
  assert_absent (t, "iceRole");
  gst_structure_free (reply);

  /* failed: no pair, no negotiated parameters */
  in.ice_state = 4;
  in.dtls_state = 4;
  reply = build_all (&in);
  t = entry (reply, "transport-0");
  assert_str (t, "iceState", "failed");
  assert_str (t, "dtlsState", "failed");
  assert_absent (t, "tlsVersion");
  assert_absent (t, "remoteCertificateId");
  gst_structure_free (reply);
  in.dtls_state = 3;
  in.ice_state = 6;
  reply = build_all (&in);
  assert_str (entry (reply, "transport-0"), "dtlsState", "closed");
  assert_str (entry (reply, "transport-0"), "iceState", "closed");
  gst_structure_free (reply);
  in.ice_state = 3;
  reply = build_all (&in);
  assert_str (entry (reply, "transport-0"), "iceState", "completed");
  gst_structure_free (reply);

  /* no transport yet: an empty reply */
  in.have_transport = FALSE;
  reply = build_all (&in);
  g_assert_cmpint (gst_structure_n_fields (reply), ==, 0);
  gst_structure_free (reply);
  sec_webrtc_stats_input_clear (&in);
}

static void
test_pair_and_candidates (void)
{
  SecWebRTCStatsInput in;
  GstStructure *reply;
  const GstStructure *e;
  static const gchar *const pair_members[] = { "transportId",
    "localCandidateId", "remoteCandidateId", "state", "nominated",
    "bytesSent", "bytesReceived", "currentRoundTripTime", NULL
  };
  static const gchar *const candidate_members[] = { "transportId",
    "address", "port", "protocol", "candidateType", "priority",
    "foundation", NULL
  };

  call_input (&in);
  reply = build_all (&in);
  assert_type (reply, "candidate-pair-0-1", "candidate-pair");
  e = entry (reply, "candidate-pair-0-1");
  assert_members (e, pair_members);
  assert_str (e, "transportId", "transport-0");
  assert_str (e, "localCandidateId", "local-candidate-0");
  assert_str (e, "remoteCandidateId", "remote-candidate-1");
  assert_str (e, "state", "succeeded");
  assert_bool (e, "nominated", TRUE);
  assert_u64 (e, "bytesSent", 999000);
  assert_u64 (e, "bytesReceived", 989000);
  /* the latest RTCP round trip on the pair (the video stream's report;
   * the audio one has no DLSR) */
  assert_double (e, "currentRoundTripTime", 6554 / 65536.0);
  {
    /* a block whose round trip is no path's (1526 s: an LSR or DLSR that
     * does not match our reports; seen once from rtpsession in a slow
     * call): no round trip at all rather than that one */
    SecWebRTCStatsInput odd;
    GstStructure *odd_reply;
    guint k;

    their_round_trip = 100000000;
    call_input (&odd);
    their_round_trip = 6554;
    odd_reply = build_all (&odd);
    g_assert_false (gst_structure_has_field (entry (odd_reply,
                "candidate-pair-0-1"), "currentRoundTripTime"));
    for (k = 0; k < (guint) gst_structure_n_fields (odd_reply); k++) {
      const GstStructure *x = entry (odd_reply,
          gst_structure_nth_field_name (odd_reply, k));

      g_assert_false (gst_structure_has_field (x, "roundTripTime"));
    }
    gst_structure_free (odd_reply);
    sec_webrtc_stats_input_clear (&odd);
  }

  assert_type (reply, "local-candidate-0", "local-candidate");
  e = entry (reply, "local-candidate-0");
  assert_members (e, candidate_members);
  assert_str (e, "transportId", "transport-0");
  assert_str (e, "address", "127.0.0.1");
  assert_int (e, "port", 40000);
  assert_str (e, "protocol", "udp");
  assert_str (e, "candidateType", "host");
  assert_int (e, "priority", 2015363327);
  assert_str (e, "foundation", "1");

  assert_type (reply, "remote-candidate-1", "remote-candidate");
  e = entry (reply, "remote-candidate-1");
  assert_members (e, candidate_members);
  assert_int (e, "port", 40001);
  assert_int (e, "priority", 2015363326);
  assert_str (e, "foundation", "8");
  gst_structure_free (reply);

  /* a peer-reflexive remote candidate (never signaled): named by its
   * type, without what only the signaled text says */
  gst_structure_set (in.selected_pair, "remote-type", G_TYPE_STRING, "prflx",
      "remote-port", G_TYPE_UINT, 50000, NULL);
  reply = build_all (&in);
  assert_str (entry (reply, "transport-0"), "selectedCandidatePairId",
      "candidate-pair-0-prflx");
  e = entry (reply, "remote-candidate-prflx");
  assert_str (e, "candidateType", "prflx");
  assert_int (e, "port", 50000);
  assert_absent (e, "priority");
  assert_absent (e, "foundation");
  gst_structure_free (reply);

  /* a later generation signaled the same address: the last one is it */
  gst_structure_set (in.selected_pair, "remote-type", G_TYPE_STRING, "host",
      "remote-port", G_TYPE_UINT, 40001, NULL);
  {
    static const gchar *remote[] = {
      "candidate:8 1 udp 2015363326 127.0.0.1 40001 typ host",
      "candidate:9 1 udp 2015363300 127.0.0.1 40001 typ host",
      NULL
    };
    g_strfreev (in.remote_candidates);
    in.remote_candidates = g_strdupv ((gchar **) remote);
  }
  reply = build_all (&in);
  e = entry (reply, "remote-candidate-1");
  assert_str (e, "foundation", "9");
  assert_int (e, "priority", 2015363300);
  gst_structure_free (reply);

  /* ICE failed: the pair that was selected failed with it */
  in.ice_state = 4;
  reply = build_all (&in);
  assert_str (entry (reply, "candidate-pair-0-1"), "state", "failed");
  gst_structure_free (reply);
  sec_webrtc_stats_input_clear (&in);
}

/* Every prefix of a signaled candidate: it is matched with what the
 * selected pair says, or not matched; never a wrong foundation or
 * priority, never a crash. */
static void
test_candidate_prefixes (void)
{
  const gchar *full = "candidate:8 1 udp 2015363326 127.0.0.1 40001 typ "
      "host generation 0";
  guint len;

  for (len = 0; len <= strlen (full); len++) {
    SecWebRTCStatsInput in;
    GstStructure *reply;
    const GstStructure *e;
    gboolean matched;

    call_input (&in);
    g_strfreev (in.remote_candidates);
    in.remote_candidates = g_new0 (gchar *, 2);
    in.remote_candidates[0] = g_strndup (full, len);
    reply = build_all (&in);
    matched = gst_structure_has_field (reply, "remote-candidate-0");
    /* matched once it is whole up to its type */
    g_assert_cmpint (matched, ==, len >= strlen ("candidate:8 1 udp "
            "2015363326 127.0.0.1 40001 typ host"));
    e = entry (reply, matched ? "remote-candidate-0" :
        "remote-candidate-host");
    assert_str (entry (reply, "transport-0"), "selectedCandidatePairId",
        matched ? "candidate-pair-0-0" : "candidate-pair-0-host");
    assert_int (e, "port", 40001);
    assert_str (e, "address", "127.0.0.1");
    assert_str (e, "candidateType", "host");
    if (matched) {
      assert_str (e, "foundation", "8");
      assert_int (e, "priority", 2015363326);
    } else {
      assert_absent (e, "foundation");
      assert_absent (e, "priority");
    }
    gst_structure_free (reply);
    sec_webrtc_stats_input_clear (&in);
  }
}

static void
test_certificates (void)
{
  SecWebRTCStatsInput in;
  GstStructure *reply;
  const GstStructure *e;
  static const gchar *const members[] = { "fingerprint",
    "fingerprintAlgorithm", NULL
  };

  call_input (&in);
  reply = build_all (&in);
  assert_type (reply, "certificate-local", "certificate");
  e = entry (reply, "certificate-local");
  assert_members (e, members);
  assert_str (e, "fingerprint", LOCAL_FP + strlen ("sha-256 "));
  assert_str (e, "fingerprintAlgorithm", "sha-256");
  e = entry (reply, "certificate-remote");
  assert_members (e, members);
  assert_str (e, "fingerprint", PEER_FP + strlen ("sha-256 "));
  assert_str (e, "fingerprintAlgorithm", "sha-256");
  gst_structure_free (reply);

  /* the certificate the association presented wins over the setting
   * (changed since, for the next association) */
  g_free (in.local_fingerprint);
  in.local_fingerprint = g_strdup (PEER_FP);
  reply = build_all (&in);
  assert_str (entry (reply, "certificate-local"), "fingerprint",
      LOCAL_FP + strlen ("sha-256 "));
  gst_structure_free (reply);
  sec_webrtc_stats_input_clear (&in);
}

static void
test_codecs (void)
{
  SecWebRTCStatsInput in;
  GstStructure *reply;
  const GstStructure *e;
  static const gchar *const opus_members[] = { "transportId", "payloadType",
    "mimeType", "clockRate", "channels", "sdpFmtpLine", NULL
  };
  static const gchar *const vp8_members[] = { "transportId", "payloadType",
    "mimeType", "clockRate", NULL
  };

  call_input (&in);
  reply = build_all (&in);
  assert_type (reply, "codec-111", "codec");
  e = entry (reply, "codec-111");
  assert_members (e, opus_members);
  assert_str (e, "transportId", "transport-0");
  assert_uint (e, "payloadType", 111);
  assert_str (e, "mimeType", "audio/opus");
  assert_uint (e, "clockRate", 48000);
  assert_uint (e, "channels", 2);
  assert_str (e, "sdpFmtpLine", "minptime=10;useinbandfec=1");
  e = entry (reply, "codec-96");
  assert_members (e, vp8_members);
  assert_uint (e, "payloadType", 96);
  assert_str (e, "mimeType", "video/VP8");
  assert_uint (e, "clockRate", 90000);
  assert_str (entry (reply, "outbound-rtp-0"), "codecId", "codec-111");
  assert_str (entry (reply, "inbound-rtp-1"), "codecId", "codec-96");
  gst_structure_free (reply);
  sec_webrtc_stats_input_clear (&in);
}

static void
test_outbound (void)
{
  SecWebRTCStatsInput in;
  GstStructure *reply;
  const GstStructure *e;
  static const gchar *const video_members[] = { "ssrc", "kind",
    "transportId", "codecId", "mid", "packetsSent", "bytesSent",
    "retransmittedPacketsSent", "retransmittedBytesSent", "nackCount",
    "pliCount", "firCount", "remoteId", NULL
  };
  static const gchar *const audio_members[] = { "ssrc", "kind",
    "transportId", "codecId", "mid", "packetsSent", "bytesSent",
    "nackCount", "remoteId", NULL
  };
  static const gchar *const remote_video_members[] = { "ssrc", "kind",
    "transportId", "codecId", "localId", "packetsLost", "jitter",
    "roundTripTime", NULL
  };
  static const gchar *const remote_audio_members[] = { "ssrc", "kind",
    "transportId", "codecId", "localId", "packetsLost", "jitter", NULL
  };
  gdouble timestamp;
  guint i;

  call_input (&in);
  reply = build_all (&in);
  assert_type (reply, "outbound-rtp-1", "outbound-rtp");
  e = entry (reply, "outbound-rtp-1");
  assert_members (e, video_members);
  assert_uint (e, "ssrc", OUR_VIDEO);
  assert_str (e, "kind", "video");
  assert_str (e, "transportId", "transport-0");
  assert_str (e, "codecId", "codec-96");
  assert_str (e, "mid", "1");
  /* the retransmissions are packets of the stream (W3C), each carrying
   * one original payload after its 2-byte sequence number (RFC 4588) */
  assert_u64 (e, "packetsSent", 1010);
  assert_u64 (e, "bytesSent", 908000);
  assert_u64 (e, "retransmittedPacketsSent", 10);
  assert_u64 (e, "retransmittedBytesSent", 8000);
  assert_uint (e, "nackCount", 7);
  assert_uint (e, "pliCount", 2);
  assert_uint (e, "firCount", 1);
  assert_str (e, "remoteId", "remote-inbound-rtp-1");

  /* the latest of the peer's blocks about it, stamped with its arrival
   * (W3C) */
  e = entry (reply, "remote-inbound-rtp-1");
  g_assert_cmpstr (gst_structure_get_name (e), ==, "remote-inbound-rtp");
  assert_str (e, "type", "remote-inbound-rtp");
  assert_str (e, "id", "remote-inbound-rtp-1");
  assert_members (e, remote_video_members);
  g_assert_true (gst_structure_get_double (e, "timestamp", &timestamp));
  g_assert_cmpfloat_with_epsilon (timestamp, NOW_MS - 1000, 0.05);
  assert_uint (e, "ssrc", OUR_VIDEO);
  assert_str (e, "kind", "video");
  assert_str (e, "codecId", "codec-96");
  assert_str (e, "localId", "outbound-rtp-1");
  assert_i64 (e, "packetsLost", 4);
  assert_double (e, "jitter", 450.0 / 90000);
  assert_double (e, "roundTripTime", 6554 / 65536.0);

  e = entry (reply, "outbound-rtp-0");
  assert_members (e, audio_members);
  assert_uint (e, "ssrc", OUR_AUDIO);
  assert_str (e, "kind", "audio");
  assert_u64 (e, "packetsSent", 502);
  assert_u64 (e, "bytesSent", 40100);
  assert_uint (e, "nackCount", 3);
  /* no round trip from a block with DLSR 0 (W3C) */
  e = entry (reply, "remote-inbound-rtp-0");
  assert_members (e, remote_audio_members);
  assert_i64 (e, "packetsLost", 2);
  assert_double (e, "jitter", 96.0 / 48000);
  g_assert_true (gst_structure_get_double (e, "timestamp", &timestamp));
  g_assert_cmpfloat_with_epsilon (timestamp, NOW_MS - 2000, 0.05);
  gst_structure_free (reply);

  /* a block that refers to no sender report of ours (LSR 0), or whose
   * arrival would be later than now: when it arrived is not known, so no
   * remote entry */
  for (i = 0; i < 2; i++) {
    const GValue *sources = gst_structure_get_value (in.rtp_stats,
        "source-stats");
    GstStructure *s;

    G_GNUC_BEGIN_IGNORE_DEPRECATIONS;
    s = g_value_get_boxed (&((GValueArray *)
            g_value_get_boxed (sources))->values[3]);
    G_GNUC_END_IGNORE_DEPRECATIONS;
    g_assert_cmpstr (gst_structure_get_name (s), ==,
        "application/x-rtp-source-stats");
    if (i == 0)
      gst_structure_set (s, "rb-lsr", G_TYPE_UINT, 0, NULL);
    else
      gst_structure_set (s, "rb-lsr", G_TYPE_UINT, ntp_middle (-5000), NULL);
    reply = build_all (&in);
    g_assert_false (gst_structure_has_field (reply, "remote-inbound-rtp-0"));
    assert_absent (entry (reply, "outbound-rtp-0"), "remoteId");
    gst_structure_free (reply);
  }

  /* RTX negotiated but nothing resent yet: rtpsession has no source */
  gst_structure_free (in.rtp_stats);
  in.rtp_stats = session_stats (our_video (), NULL);
  reply = build_all (&in);
  e = entry (reply, "outbound-rtp-1");
  assert_u64 (e, "packetsSent", 1000);
  assert_u64 (e, "bytesSent", 900000);
  assert_u64 (e, "retransmittedPacketsSent", 0);
  assert_u64 (e, "retransmittedBytesSent", 0);
  assert_absent (e, "remoteId");
  g_assert_false (gst_structure_has_field (reply, "remote-inbound-rtp-1"));
  gst_structure_free (reply);

  /* a block with DLSR 0 has no round trip (W3C) */
  gst_structure_free (in.rtp_stats);
  in.rtp_stats = session_stats (our_video (), their_video (), NULL);
  {
    const GValue *sources = gst_structure_get_value (in.rtp_stats,
        "source-stats");
    GstStructure *s;

    G_GNUC_BEGIN_IGNORE_DEPRECATIONS;
    s = g_value_get_boxed (&((GValueArray *)
            g_value_get_boxed (sources))->values[1]);
    G_GNUC_END_IGNORE_DEPRECATIONS;
    gst_structure_set (s, "rb-dlsr", G_TYPE_UINT, 0, NULL);
  }
  reply = build_all (&in);
  assert_absent (entry (reply, "remote-inbound-rtp-1"), "roundTripTime");
  gst_structure_free (reply);
  sec_webrtc_stats_input_clear (&in);
}

static void
test_inbound (void)
{
  SecWebRTCStatsInput in;
  GstStructure *reply;
  const GstStructure *e;
  SecWebRTCStatsMLine *m;
  gchar *text;
  static const gchar *const video_members[] = { "ssrc", "kind",
    "transportId", "codecId", "mid", "packetsReceived", "bytesReceived",
    "retransmittedPacketsReceived", "retransmittedBytesReceived",
    "packetsLost", "jitter", "nackCount", "pliCount", "firCount", NULL
  };
  static const gchar *const audio_members[] = { "ssrc", "kind",
    "transportId", "codecId", "mid", "packetsReceived", "bytesReceived",
    "packetsLost", "jitter", "nackCount", NULL
  };

  call_input (&in);
  reply = build_all (&in);
  assert_type (reply, "inbound-rtp-1", "inbound-rtp");
  e = entry (reply, "inbound-rtp-1");
  assert_members (e, video_members);
  assert_uint (e, "ssrc", THEIR_VIDEO);
  assert_str (e, "kind", "video");
  assert_str (e, "transportId", "transport-0");
  assert_str (e, "codecId", "codec-96");
  assert_str (e, "mid", "1");
  assert_u64 (e, "packetsReceived", 958);
  assert_u64 (e, "bytesReceived", 855600);
  assert_u64 (e, "retransmittedPacketsReceived", 8);
  assert_u64 (e, "retransmittedBytesReceived", 5600);
  /* expected (962) less received, retransmissions included */
  assert_i64 (e, "packetsLost", 4);
  assert_double (e, "jitter", 900.0 / 90000);
  /* NACK packets as the bin counted them, not rtpsession's entries */
  assert_uint (e, "nackCount", 5);
  assert_uint (e, "pliCount", 3);
  assert_uint (e, "firCount", 1);
  /* the bin does not decode: no frame counts */
  assert_absent (e, "framesDecoded");

  e = entry (reply, "inbound-rtp-0");
  assert_members (e, audio_members);
  assert_uint (e, "ssrc", THEIR_AUDIO);
  assert_str (e, "kind", "audio");
  assert_u64 (e, "packetsReceived", 500);
  assert_u64 (e, "bytesReceived", 40000);
  assert_i64 (e, "packetsLost", 0);
  assert_double (e, "jitter", 480.0 / 48000);
  assert_uint (e, "nackCount", 0);
  gst_structure_free (reply);

  /* the peer did not say which SSRC carries its retransmissions: what
   * includes them cannot be counted */
  m = &g_array_index (in.mlines, SecWebRTCStatsMLine, 1);
  m->received_rtx_ssrc = 0;
  m->nack_packets_sent = -1;
  reply = build_all (&in);
  e = entry (reply, "inbound-rtp-1");
  assert_absent (e, "packetsReceived");
  assert_absent (e, "bytesReceived");
  assert_absent (e, "packetsLost");
  assert_absent (e, "retransmittedPacketsReceived");
  assert_absent (e, "nackCount");
  assert_double (e, "jitter", 900.0 / 90000);
  assert_uint (e, "pliCount", 3);
  gst_structure_free (reply);

  /* no RTX negotiated: no retransmissions, and no members for them */
  m->receive_rtx = FALSE;
  reply = build_all (&in);
  e = entry (reply, "inbound-rtp-1");
  assert_u64 (e, "packetsReceived", 950);
  assert_u64 (e, "bytesReceived", 850000);
  assert_i64 (e, "packetsLost", 12);
  assert_absent (e, "retransmittedPacketsReceived");
  gst_structure_free (reply);

  /* a stream the bin does not deliver (STRANGER) is in no entry, and a
   * delivered stream rtpsession does not know has none */
  m->received_ssrc = 7777;
  reply = build_all (&in);
  g_assert_false (gst_structure_has_field (reply, "inbound-rtp-1"));
  text = gst_structure_to_string (reply);
  g_assert_null (strstr (text, "5555"));
  g_free (text);
  gst_structure_free (reply);
  sec_webrtc_stats_input_clear (&in);
}

/* rtpsession removes a source that went quiet (its retransmission
 * stream, typically) and starts a new one at zero when it comes back:
 * the counters go on from where they were. */
static void
test_history (void)
{
  SecWebRTCStatsInput in;
  SecWebRTCStatsHistory *history = sec_webrtc_stats_history_new ();
  GstStructure *reply, *old;
  const GstStructure *e;
  guint i;

  call_input (&in);
  /* both RTX sources were removed once with these counts; the peer's
   * video source too */
  old = our_rtx ();
  sec_webrtc_stats_history_add (history, old);
  gst_structure_free (old);
  old = their_rtx ();
  sec_webrtc_stats_history_add (history, old);
  sec_webrtc_stats_history_add (history, old);
  gst_structure_free (old);
  in.rtp_history = sec_webrtc_stats_history_copy (history);
  reply = build_all (&in);
  e = entry (reply, "outbound-rtp-1");
  assert_u64 (e, "packetsSent", 1020);
  assert_u64 (e, "bytesSent", 916000);
  assert_u64 (e, "retransmittedPacketsSent", 20);
  e = entry (reply, "inbound-rtp-1");
  assert_u64 (e, "retransmittedPacketsReceived", 24);
  assert_u64 (e, "retransmittedBytesReceived", 16800);
  assert_u64 (e, "packetsReceived", 974);
  assert_i64 (e, "packetsLost", 12 - 24);
  gst_structure_free (reply);

  /* the RTX sources are gone now: their past counts remain */
  gst_structure_free (in.rtp_stats);
  in.rtp_stats = session_stats (our_video (), their_video (), NULL);
  reply = build_all (&in);
  assert_u64 (entry (reply, "outbound-rtp-1"), "retransmittedPacketsSent",
      10);
  assert_u64 (entry (reply, "inbound-rtp-1"),
      "retransmittedPacketsReceived", 16);
  gst_structure_free (reply);

  /* the primary stream came back: counts go on, but its loss count
   * starts again and is left out */
  old = their_video ();
  sec_webrtc_stats_history_add (history, old);
  gst_structure_free (old);
  sec_webrtc_stats_history_free (in.rtp_history);
  in.rtp_history = sec_webrtc_stats_history_copy (history);
  reply = build_all (&in);
  e = entry (reply, "inbound-rtp-1");
  assert_u64 (e, "packetsReceived", 1900 + 16);
  assert_u64 (e, "bytesReceived", 1700000 + 11200);
  assert_uint (e, "pliCount", 6);
  assert_absent (e, "packetsLost");
  gst_structure_free (reply);

  /* gone and not back: the stream is still reported with what it had */
  gst_structure_free (in.rtp_stats);
  in.rtp_stats = session_stats (NULL, NULL);
  reply = build_all (&in);
  e = entry (reply, "inbound-rtp-1");
  assert_u64 (e, "packetsReceived", 950 + 16);
  assert_absent (e, "jitter");
  assert_absent (e, "packetsLost");
  g_assert_false (gst_structure_has_field (reply, "inbound-rtp-0"));
  gst_structure_free (reply);

  /* a removal without a counter makes that counter unknown */
  old = source (THEIR_VIDEO, FALSE, "packets-received", G_TYPE_UINT64,
      (guint64) 1, "octets-received", G_TYPE_UINT64, (guint64) 100, NULL);
  sec_webrtc_stats_history_add (history, old);
  gst_structure_free (old);
  sec_webrtc_stats_history_free (in.rtp_history);
  in.rtp_history = sec_webrtc_stats_history_copy (history);
  reply = build_all (&in);
  e = entry (reply, "inbound-rtp-1");
  assert_u64 (e, "packetsReceived", 950 + 1 + 16);
  assert_u64 (e, "bytesReceived", 850000 + 100 + 11200);
  assert_absent (e, "pliCount");
  gst_structure_free (reply);

  /* full: sources not kept make every stream without history unknown */
  gst_structure_free (in.rtp_stats);
  in.rtp_stats = session_stats (our_audio (), their_audio (), NULL);
  for (i = 0; i < 300; i++) {
    old = source (100000 + i, FALSE, "packets-received", G_TYPE_UINT64,
        (guint64) 1, NULL);
    sec_webrtc_stats_history_add (history, old);
    gst_structure_free (old);
  }
  sec_webrtc_stats_history_free (in.rtp_history);
  in.rtp_history = sec_webrtc_stats_history_copy (history);
  reply = build_all (&in);
  e = entry (reply, "inbound-rtp-0");
  assert_absent (e, "packetsReceived");
  assert_absent (e, "packetsLost");
  e = entry (reply, "outbound-rtp-0");
  assert_absent (e, "packetsSent");
  assert_absent (e, "nackCount");
  gst_structure_free (reply);
  /* a removal whose SSRC is unknown does the same */
  sec_webrtc_stats_history_free (history);
  history = sec_webrtc_stats_history_new ();
  old = gst_structure_new_empty ("application/x-rtp-source-stats");
  sec_webrtc_stats_history_add (history, old);
  sec_webrtc_stats_history_add (history, NULL);
  gst_structure_free (old);
  sec_webrtc_stats_history_free (in.rtp_history);
  in.rtp_history = sec_webrtc_stats_history_copy (history);
  reply = build_all (&in);
  assert_absent (entry (reply, "inbound-rtp-0"), "bytesReceived");
  gst_structure_free (reply);
  sec_webrtc_stats_history_free (history);
  sec_webrtc_stats_input_clear (&in);
}

/* get-stats with a pad: one m-line, one direction. */
static void
test_selection (void)
{
  SecWebRTCStatsInput in;
  GstStructure *reply;
  static const gchar *const sender_ids[] = {
    "transport-0", "candidate-pair-0-1", "local-candidate-0",
    "remote-candidate-1", "certificate-local", "certificate-remote",
    "codec-96", "outbound-rtp-1", "remote-inbound-rtp-1", NULL
  };
  static const gchar *const receiver_ids[] = {
    "transport-0", "candidate-pair-0-1", "local-candidate-0",
    "remote-candidate-1", "certificate-local", "certificate-remote",
    "codec-111", "inbound-rtp-0", NULL
  };
  static const gchar *const no_stream_ids[] = {
    "transport-0", "candidate-pair-0-1", "local-candidate-0",
    "remote-candidate-1", "certificate-local", "certificate-remote", NULL
  };

  call_input (&in);
  reply = sec_webrtc_stats_build (&in, 1, SEC_WEBRTC_STATS_OUTBOUND);
  assert_ids (reply, sender_ids);
  gst_structure_free (reply);
  reply = sec_webrtc_stats_build (&in, 0, SEC_WEBRTC_STATS_INBOUND);
  assert_ids (reply, receiver_ids);
  gst_structure_free (reply);
  reply = sec_webrtc_stats_build (&in, -1, 0);
  assert_ids (reply, no_stream_ids);
  gst_structure_free (reply);
  reply = sec_webrtc_stats_build (&in, 7, SEC_WEBRTC_STATS_ALL);
  assert_ids (reply, no_stream_ids);
  gst_structure_free (reply);
  sec_webrtc_stats_input_clear (&in);
}

/* GStreamer 1.24's rtpsession: "received-rr" on our source, one block per
 * sender; "source-stats" of other container types. */
static void
test_newer_rtpsession (void)
{
  SecWebRTCStatsInput in;
  GstStructure *reply, *ours, *rr;
  GValue list = G_VALUE_INIT, v = G_VALUE_INIT, array = G_VALUE_INIT;
  const GstStructure *e;
  gint pass;

  for (pass = 0; pass < 2; pass++) {
    call_input (&in);
    ours = our_video ();
    g_value_init (&list, GST_TYPE_LIST);
    rr = gst_structure_new ("application/x-rtp-receiver-report",
        "rb-ssrc", G_TYPE_UINT, OUR_VIDEO, "rb-sender-ssrc", G_TYPE_UINT,
        THEIR_VIDEO, "rb-packetslost", G_TYPE_INT, 6,
        "rb-exthighestseq", G_TYPE_UINT, 6000, "rb-jitter", G_TYPE_UINT, 90,
        "rb-lsr", G_TYPE_UINT, ntp_middle (0) - 5 - 32768,
        "rb-dlsr", G_TYPE_UINT, 5, "rb-round-trip", G_TYPE_UINT, 32768,
        NULL);
    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, rr);
    gst_value_list_append_and_take_value (&list, &v);
    gst_structure_take_value (ours, "received-rr", &list);
    gst_structure_free (in.rtp_stats);
    in.rtp_stats = gst_structure_new_empty ("application/x-rtp-session-stats");
    g_value_init (&array, pass == 0 ? GST_TYPE_ARRAY : GST_TYPE_LIST);
    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, ours);
    if (pass == 0)
      gst_value_array_append_and_take_value (&array, &v);
    else
      gst_value_list_append_and_take_value (&array, &v);
    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, their_video ());
    if (pass == 0)
      gst_value_array_append_and_take_value (&array, &v);
    else
      gst_value_list_append_and_take_value (&array, &v);
    gst_structure_take_value (in.rtp_stats, "source-stats", &array);
    reply = build_all (&in);
    e = entry (reply, "remote-inbound-rtp-1");
    assert_i64 (e, "packetsLost", 6);
    assert_double (e, "roundTripTime", 0.5);
    assert_double (e, "jitter", 90.0 / 90000);
    e = entry (reply, "inbound-rtp-1");
    assert_u64 (e, "packetsReceived", 950);
    gst_structure_free (reply);
    sec_webrtc_stats_input_clear (&in);
  }
}

/* Mistyped, missing and malformed inputs: the members they feed are left
 * out, nothing crashes. */
static void
test_malformed (void)
{
  SecWebRTCStatsInput in;
  GstStructure *reply;
  const GstStructure *t;
  SecWebRTCStatsMLine *m;
  static const gchar *bad_fingerprints[] = { "", "sha-256", "sha-256 ",
    " AB:CD", "sha-256 AB CD", "sha-256 AB:ZZ", "sha 256 AB:CD", NULL
  };
  guint i;

  /* an empty input */
  sec_webrtc_stats_input_init (&in);
  reply = sec_webrtc_stats_build (&in, -1, SEC_WEBRTC_STATS_ALL);
  g_assert_cmpint (gst_structure_n_fields (reply), ==, 0);
  gst_structure_free (reply);
  /* a transport and m-lines of nothing */
  in.have_transport = TRUE;
  m = sec_webrtc_stats_input_add_mline (&in, 0);
  m->kind = g_strdup ("video");
  m = sec_webrtc_stats_input_add_mline (&in, 1);
  m->ssrc = OUR_AUDIO;
  m->received_ssrc = THEIR_AUDIO;
  m->kind = g_strdup ("application");
  reply = build_all (&in);
  g_assert_cmpint (gst_structure_n_fields (reply), ==, 1);
  t = entry (reply, "transport-0");
  g_assert_cmpint (gst_structure_n_fields (t), ==, 3);
  gst_structure_free (reply);
  sec_webrtc_stats_input_clear (&in);

  /* mistyped fields everywhere */
  call_input (&in);
  gst_structure_set (in.ice_stats, "datagrams-sent", G_TYPE_STRING, "1500",
      "bytes-sent", G_TYPE_INT, 5, NULL);
  gst_structure_remove_field (in.ice_stats, "selected-pair-bytes-sent");
  gst_structure_set (in.dtls_info, "dtls-version", G_TYPE_STRING, "TLSv1.2",
      "cipher-suite", G_TYPE_STRING, "ecdhe-ecdsa-aes128-gcm-sha256",
      "srtp-profile", G_TYPE_STRING, "null", "is-client", G_TYPE_STRING,
      "yes", "peer-fingerprint", G_TYPE_INT, 3, NULL);
  in.ice_state = 17;
  in.dtls_state = -5;
  reply = build_all (&in);
  t = entry (reply, "transport-0");
  assert_absent (t, "packetsSent");
  assert_absent (t, "bytesSent");
  assert_u64 (t, "bytesReceived", 990000);
  assert_absent (t, "tlsVersion");
  assert_absent (t, "dtlsCipher");
  assert_absent (t, "srtpCipher");
  assert_absent (t, "dtlsRole");
  assert_absent (t, "remoteCertificateId");
  assert_absent (t, "iceState");
  assert_absent (t, "dtlsState");
  g_assert_false (gst_structure_has_field (reply, "certificate-remote"));
  assert_absent (entry (reply, "candidate-pair-0-1"), "bytesSent");
  gst_structure_free (reply);
  sec_webrtc_stats_input_clear (&in);

  /* fingerprints not in "<algorithm> <hex:...>" form */
  for (i = 0; bad_fingerprints[i]; i++) {
    call_input (&in);
    gst_structure_set (in.dtls_info, "local-fingerprint", G_TYPE_STRING,
        bad_fingerprints[i], "peer-fingerprint", G_TYPE_STRING,
        bad_fingerprints[i], NULL);
    g_free (in.local_fingerprint);
    in.local_fingerprint = g_strdup (bad_fingerprints[i]);
    reply = build_all (&in);
    g_assert_false (gst_structure_has_field (reply, "certificate-local"));
    g_assert_false (gst_structure_has_field (reply, "certificate-remote"));
    assert_absent (entry (reply, "transport-0"), "localCertificateId");
    gst_structure_free (reply);
    sec_webrtc_stats_input_clear (&in);
  }

  /* a selected pair that says too little: no pair, no candidates */
  for (i = 0; i < 6; i++) {
    call_input (&in);
    switch (i) {
      case 0:
        gst_structure_set (in.selected_pair, "local-type", G_TYPE_STRING,
            "bogus", NULL);
        break;
      case 1:
        gst_structure_set (in.selected_pair, "remote-port", G_TYPE_UINT,
            70000, NULL);
        break;
      case 2:
        gst_structure_set (in.selected_pair, "local-port", G_TYPE_STRING,
            "40000", NULL);
        break;
      case 3:
        gst_structure_set (in.selected_pair, "remote-protocol",
            G_TYPE_STRING, "sctp", NULL);
        break;
      case 4:
        gst_structure_set (in.selected_pair, "local-address", G_TYPE_STRING,
            "", NULL);
        break;
      case 5:
        gst_structure_remove_field (in.selected_pair, "remote-address");
        break;
    }
    reply = build_all (&in);
    assert_absent (entry (reply, "transport-0"), "selectedCandidatePairId");
    g_assert_false (gst_structure_has_field (reply, "candidate-pair-0-1"));
    gst_structure_free (reply);
    sec_webrtc_stats_input_clear (&in);
  }

  /* malformed candidate lines: not matched */
  call_input (&in);
  {
    static const gchar *local[] = {
      "candidate:1 1 UDP 2015363327 127.0.0.1 40000",
      "candidate:1 1 sctp 2015363327 127.0.0.1 40000 typ host",
      "candidate:1 2 UDP 2015363327 127.0.0.1 40000 typ host",
      "candidate:1 1 UDP 2015363327 127.0.0.1 99999 typ host",
      "candidate:1 1 UDP -5 127.0.0.1 40000 typ host",
      "candidate:f\xc3\xa9 1 UDP 5 127.0.0.1 40000 typ host",
      "candidate: 1 UDP 5 127.0.0.1 40000 typ host",
      "a=candidate:1 1 UDP 5 127.0.0.1 40000 typ host",
      "", NULL
    };
    g_strfreev (in.local_candidates);
    in.local_candidates = g_strdupv ((gchar **) local);
  }
  reply = build_all (&in);
  t = entry (reply, "local-candidate-host");
  assert_str (t, "address", "127.0.0.1");
  assert_absent (t, "foundation");
  assert_absent (t, "priority");
  gst_structure_free (reply);
  sec_webrtc_stats_input_clear (&in);

  /* rtpsession's stats of another form */
  call_input (&in);
  gst_structure_set (in.rtp_stats, "source-stats", G_TYPE_STRING, "none",
      NULL);
  reply = build_all (&in);
  g_assert_false (gst_structure_has_field (reply, "outbound-rtp-1"));
  g_assert_false (gst_structure_has_field (reply, "inbound-rtp-1"));
  gst_structure_free (reply);
  gst_structure_free (in.rtp_stats);
  in.rtp_stats = session_stats (
      /* a mistyped counter, no clock rate */
      source (OUR_VIDEO, TRUE, "packets-sent", G_TYPE_UINT64, (guint64) 5,
          "octets-sent", G_TYPE_UINT64, (guint64) 5, "clock-rate",
          G_TYPE_INT, 0, "recv-nack-count", G_TYPE_STRING, "7", NULL),
      /* no "internal" */
      gst_structure_new ("application/x-rtp-source-stats", "ssrc",
          G_TYPE_UINT, THEIR_AUDIO, NULL),
      /* no counters, an unusable report block */
      source (THEIR_VIDEO, FALSE, "jitter", G_TYPE_UINT, 9, "clock-rate",
          G_TYPE_INT, -1, "have-rb", G_TYPE_STRING, "yes", "rb-ssrc",
          G_TYPE_UINT, OUR_VIDEO, NULL),
      /* RTX bytes that cannot hold the sequence numbers */
      source (OUR_RTX, TRUE, "packets-sent", G_TYPE_UINT64, (guint64) 10,
          "octets-sent", G_TYPE_UINT64, (guint64) 19, NULL), NULL);
  for (i = 0; i < in.mlines->len; i++) {
    m = &g_array_index (in.mlines, SecWebRTCStatsMLine, i);
    sec_webrtc_codec_free (m->receive_codec);
    m->receive_codec = NULL;
  }
  reply = build_all (&in);
  t = entry (reply, "outbound-rtp-1");
  assert_absent (t, "packetsSent");
  assert_absent (t, "bytesSent");
  assert_absent (t, "retransmittedPacketsSent");
  assert_absent (t, "nackCount");
  assert_absent (t, "remoteId");
  g_assert_false (gst_structure_has_field (reply, "inbound-rtp-0"));
  t = entry (reply, "inbound-rtp-1");
  /* no clock rate from rtpsession nor a codec: no jitter in seconds */
  assert_absent (t, "jitter");
  assert_absent (t, "codecId");
  assert_absent (t, "packetsReceived");
  gst_structure_free (reply);
  sec_webrtc_stats_input_clear (&in);
}

/* Keys never reach the stats: only named fields of the inputs are read. */
static void
test_no_keys (void)
{
  SecWebRTCStatsInput in;
  GstStructure *reply;
  gchar *text;

  call_input (&in);
  gst_structure_set (in.dtls_info,
      "srtp-master-key", G_TYPE_STRING, "SECRETSECRETSECRET",
      "certificate", G_TYPE_STRING, "-----BEGIN PRIVATE KEY-----", NULL);
  gst_structure_set (in.ice_stats, "local-pwd", G_TYPE_STRING,
      "SECRETPASSWORD", NULL);
  gst_structure_set (in.selected_pair, "turn-password", G_TYPE_STRING,
      "SECRETPASSWORD", NULL);
  reply = build_all (&in);
  text = gst_structure_to_string (reply);
  g_assert_null (strstr (text, "SECRET"));
  g_assert_null (strstr (text, "PRIVATE"));
  g_assert_null (strstr (text, "key"));
  g_free (text);
  gst_structure_free (reply);
  sec_webrtc_stats_input_clear (&in);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/webrtcstats/transport", test_transport);
  g_test_add_func ("/webrtcstats/other-transport", test_other_transport);
  g_test_add_func ("/webrtcstats/transport-before-connected",
      test_transport_before_connected);
  g_test_add_func ("/webrtcstats/pair-and-candidates",
      test_pair_and_candidates);
  g_test_add_func ("/webrtcstats/candidate-prefixes",
      test_candidate_prefixes);
  g_test_add_func ("/webrtcstats/certificates", test_certificates);
  g_test_add_func ("/webrtcstats/codecs", test_codecs);
  g_test_add_func ("/webrtcstats/outbound", test_outbound);
  g_test_add_func ("/webrtcstats/inbound", test_inbound);
  g_test_add_func ("/webrtcstats/history", test_history);
  g_test_add_func ("/webrtcstats/selection", test_selection);
  g_test_add_func ("/webrtcstats/newer-rtpsession", test_newer_rtpsession);
  g_test_add_func ("/webrtcstats/malformed", test_malformed);
  g_test_add_func ("/webrtcstats/no-keys", test_no_keys);
  return g_test_run ();
}
