/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secwebrtcbin's get-stats (W3C RTCStats, docs/design/webrtc.md,
 * "Statistics") checked against what happened in a call between two bins
 * on 127.0.0.1 (the fixture tests/check/secwebrtcpair.c): the selected
 * pair and the candidates, the certificates against each side's
 * fingerprints, the DTLS parameters against security-info, each side's
 * outbound streams against the other side's inbound ones (SSRC, codec,
 * packets and bytes, NACK, PLI and FIR packets), the caps of the
 * received streams; stats for one pad; losses repaired by
 * retransmissions, counted exactly, and counters that keep their value
 * when rtpsession drops a quiet retransmission stream.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "secwebrtcpair.h"

#include <gst/rtp/rtp.h>

#include <stdio.h>
#include <string.h>

#define FRAMES 20
/* packets that may be on their way between two get-stats calls */
#define IN_FLIGHT 300

/* --- helpers ---------------------------------------------------------------- */

static void
start_call (SecWebRTCPair * pair, gint offerer, gboolean video,
    gboolean audio)
{
  gint i;

  sec_webrtc_pair_check_plugins ();
  for (i = 0; i < 2; i++) {
    if (video)
      sec_webrtc_peer_add_video (&pair->peer[i]);
    if (audio)
      sec_webrtc_peer_add_audio (&pair->peer[i]);
  }
  sec_webrtc_pair_play (pair);
  sec_webrtc_pair_negotiate (pair, offerer, NULL);
  sec_webrtc_pair_wait_state (pair, SEC_WEBRTC_PAIR_CONNECTED, 10);
  for (i = 0; i < 2; i++)
    sec_webrtc_peer_wait_frames (&pair->peer[i], video ? FRAMES : 0,
        audio ? FRAMES : 0, 10);
}

/* The get-stats reply for @pad (NULL: all); fails on an error reply. */
static GstStructure *
get_stats (SecWebRTCPeer * peer, GstPad * pad)
{
  GstPromise *promise = gst_promise_new ();
  const GstStructure *reply;
  GstStructure *copy;

  g_signal_emit_by_name (peer->bin, "get-stats", pad, promise);
  fail_unless_equals_int (gst_promise_wait (promise),
      GST_PROMISE_RESULT_REPLIED);
  reply = gst_promise_get_reply (promise);
  fail_unless (reply != NULL, "peer %d: no reply", peer->index);
  fail_if (gst_structure_has_field (reply, "error"), "peer %d: %s",
      peer->index, gst_structure_to_string (reply));
  fail_unless_equals_string (gst_structure_get_name (reply),
      "application/x-webrtc-stats");
  copy = gst_structure_copy (reply);
  gst_promise_unref (promise);
  return copy;
}

/* The entry @id (fails if absent). */
static const GstStructure *
entry (const GstStructure * stats, const gchar * id)
{
  const GValue *v = id ? gst_structure_get_value (stats, id) : NULL;

  fail_unless (v != NULL && GST_VALUE_HOLDS_STRUCTURE (v), "no entry %s in %s",
      id ? id : "(null)", gst_structure_to_string (stats));
  return gst_value_get_structure (v);
}

/* Every entry of W3C type @type. */
static GPtrArray *
entries (const GstStructure * stats, const gchar * type)
{
  GPtrArray *found = g_ptr_array_new ();
  gint i;

  for (i = 0; i < gst_structure_n_fields (stats); i++) {
    const GValue *v = gst_structure_get_value (stats,
        gst_structure_nth_field_name (stats, i));
    const GstStructure *e;

    fail_unless (GST_VALUE_HOLDS_STRUCTURE (v));
    e = gst_value_get_structure (v);
    fail_unless_equals_string (gst_structure_get_string (e, "id"),
        gst_structure_nth_field_name (stats, i));
    fail_unless_equals_string (gst_structure_get_string (e, "type"),
        gst_structure_get_name (e));
    if (g_strcmp0 (gst_structure_get_string (e, "type"), type) == 0)
      g_ptr_array_add (found, (gpointer) e);
  }
  return found;
}

/* The entry of @type whose @field is @value (NULL if none; fails if
 * several). */
static const GstStructure *
find_entry (const GstStructure * stats, const gchar * type,
    const gchar * field, const gchar * value)
{
  GPtrArray *all = entries (stats, type);
  const GstStructure *found = NULL;
  guint i;

  for (i = 0; i < all->len; i++) {
    const GstStructure *e = g_ptr_array_index (all, i);

    if (g_strcmp0 (gst_structure_get_string (e, field), value) == 0) {
      fail_unless (found == NULL, "two %s with %s=%s", type, field, value);
      found = e;
    }
  }
  g_ptr_array_unref (all);
  return found;
}

static const gchar *
str (const GstStructure * e, const gchar * field)
{
  const gchar *value = gst_structure_get_string (e, field);

  fail_unless (value != NULL, "no %s in %s", field,
      gst_structure_to_string (e));
  return value;
}

static guint64
u64 (const GstStructure * e, const gchar * field)
{
  guint64 value = 0;

  fail_unless (gst_structure_get_uint64 (e, field, &value), "no %s in %s",
      field, gst_structure_to_string (e));
  return value;
}

static guint
u32 (const GstStructure * e, const gchar * field)
{
  guint value = 0;

  fail_unless (gst_structure_get_uint (e, field, &value), "no %s in %s",
      field, gst_structure_to_string (e));
  return value;
}

static gint64
i64 (const GstStructure * e, const gchar * field)
{
  gint64 value = 0;

  fail_unless (gst_structure_get_int64 (e, field, &value), "no %s in %s",
      field, gst_structure_to_string (e));
  return value;
}

static gdouble
dbl (const GstStructure * e, const gchar * field)
{
  gdouble value = 0;

  fail_unless (gst_structure_get_double (e, field, &value), "no %s in %s",
      field, gst_structure_to_string (e));
  return value;
}

/* W3C tlsVersion and srtpCipher from security-info's names */
static const gchar *
tls_version_hex (const gchar * version)
{
  if (g_strcmp0 (version, "DTLSv1.2") == 0)
    return "FEFD";
  if (g_strcmp0 (version, "DTLSv1.3") == 0)
    return "FEFC";
  fail ("unexpected DTLS version %s", version);
  return NULL;
}

static const gchar *
srtp_profile_iana (const gchar * profile)
{
  if (g_strcmp0 (profile, "aead-aes-256-gcm") == 0)
    return "SRTP_AEAD_AES_256_GCM";
  if (g_strcmp0 (profile, "aead-aes-128-gcm") == 0)
    return "SRTP_AEAD_AES_128_GCM";
  if (g_strcmp0 (profile, "aes128-cm-sha1-80") == 0)
    return "SRTP_AES128_CM_HMAC_SHA1_80";
  fail ("unexpected SRTP profile %s", profile);
  return NULL;
}

/* The entry of the certificate @id, as "<algorithm> <fingerprint>". */
static gchar *
certificate (const GstStructure * stats, const gchar * id)
{
  const GstStructure *e = entry (stats, id);

  fail_unless_equals_string (str (e, "type"), "certificate");
  return g_strdup_printf ("%s %s", str (e, "fingerprintAlgorithm"),
      str (e, "fingerprint"));
}

/* The caps of the peer's src pad carrying m-line @mid's stream. */
static GstCaps *
received_caps (SecWebRTCPeer * peer, const gchar * id)
{
  const gchar *mline = strrchr (id, '-') + 1;
  gchar *name = g_strdup_printf ("src_%s", mline);
  GstPad *pad = gst_element_get_static_pad (peer->bin, name);
  GstCaps *caps;

  fail_unless (pad != NULL, "peer %d has no %s", peer->index, name);
  caps = gst_pad_get_current_caps (pad);
  fail_unless (caps != NULL);
  gst_object_unref (pad);
  g_free (name);
  return caps;
}

/* --- a call, field by field ------------------------------------------------ */

/* The transport, selected pair, candidates and certificates of @stats
 * (peer @i) against what the call did. */
static void
check_transport (SecWebRTCPair * pair, gint i, gint offerer,
    const GstStructure * stats, const GstStructure * other_stats)
{
  SecWebRTCPeer *peer = &pair->peer[i], *other = &pair->peer[1 - i];
  GPtrArray *all = entries (stats, "transport");
  const GstStructure *t, *p, *local, *remote, *other_local, *other_remote,
      *other_p;
  GstStructure *info = NULL;
  gchar *fingerprint, *other_fingerprint, *cert;
  const gchar *ice_state;

  fail_unless_equals_int (all->len, 1);
  t = g_ptr_array_index (all, 0);
  g_ptr_array_unref (all);
  fail_unless_equals_string (str (t, "id"), "transport-0");
  g_object_get (peer->bin, "security-info", &info, "local-fingerprint",
      &fingerprint, NULL);
  g_object_get (other->bin, "local-fingerprint", &other_fingerprint, NULL);
  fail_unless (info != NULL);

  /* states and roles: the offerer controls ICE (RFC 8445 §6.1.1), the
   * answerer chose a=setup:active, the DTLS client (RFC 8842) */
  fail_unless_equals_string (str (t, "dtlsState"), "connected");
  ice_state = str (t, "iceState");
  fail_unless (g_str_equal (ice_state, "connected")
      || g_str_equal (ice_state, "completed"), "iceState %s", ice_state);
  fail_unless_equals_string (str (t, "iceRole"), i == offerer ?
      "controlling" : "controlled");
  fail_unless_equals_string (str (t, "dtlsRole"), i == offerer ?
      "server" : "client");

  /* what the handshake negotiated, as security-info says */
  fail_unless_equals_string (str (t, "tlsVersion"),
      tls_version_hex (gst_structure_get_string (info, "dtls-version")));
  fail_unless_equals_string (str (t, "dtlsCipher"),
      gst_structure_get_string (info, "cipher-suite"));
  fail_unless (g_str_has_prefix (str (t, "dtlsCipher"), "TLS_ECDHE_"));
  fail_unless_equals_string (str (t, "srtpCipher"),
      srtp_profile_iana (gst_structure_get_string (info, "srtp-profile")));

  /* the certificates: ours, and the peer's as verified */
  cert = certificate (stats, str (t, "localCertificateId"));
  fail_unless_equals_string (cert, fingerprint);
  fail_unless_equals_string (cert, gst_structure_get_string (info,
          "local-fingerprint"));
  g_free (cert);
  cert = certificate (stats, str (t, "remoteCertificateId"));
  fail_unless_equals_string (cert, other_fingerprint);
  fail_unless_equals_string (cert, gst_structure_get_string (info,
          "remote-fingerprint"));
  g_free (cert);

  /* the selected pair: on loopback, host candidates, each side's local
   * candidate the other's remote one */
  p = entry (stats, str (t, "selectedCandidatePairId"));
  fail_unless_equals_string (str (p, "type"), "candidate-pair");
  fail_unless_equals_string (str (p, "transportId"), "transport-0");
  fail_unless_equals_string (str (p, "state"), "succeeded");
  fail_unless (gst_structure_has_field_typed (p, "nominated",
          G_TYPE_BOOLEAN));
  {
    gboolean nominated = FALSE;

    gst_structure_get_boolean (p, "nominated", &nominated);
    fail_unless (nominated);
  }
  /* from RTCP on the pair, once a report with a round trip came */
  if (gst_structure_has_field (p, "currentRoundTripTime"))
    fail_unless (dbl (p, "currentRoundTripTime") > 0
        && dbl (p, "currentRoundTripTime") < 1.0, "%f",
        dbl (p, "currentRoundTripTime"));
  local = entry (stats, str (p, "localCandidateId"));
  remote = entry (stats, str (p, "remoteCandidateId"));
  fail_unless_equals_string (str (local, "type"), "local-candidate");
  fail_unless_equals_string (str (remote, "type"), "remote-candidate");
  other_p = entry (other_stats, str (entry (other_stats, "transport-0"),
          "selectedCandidatePairId"));
  other_local = entry (other_stats, str (other_p, "localCandidateId"));
  other_remote = entry (other_stats, str (other_p, "remoteCandidateId"));
  fail_unless_equals_string (str (local, "address"), "127.0.0.1");
  fail_unless_equals_string (str (remote, "address"), "127.0.0.1");
  fail_unless_equals_string (str (local, "candidateType"),
      gst_structure_get_string (info, "local-candidate-type"));
  fail_unless_equals_string (str (remote, "candidateType"),
      gst_structure_get_string (info, "remote-candidate-type"));
  fail_unless_equals_string (str (local, "protocol"),
      gst_structure_get_string (info, "local-candidate-protocol"));
  fail_unless_equals_string (str (local, "candidateType"), "host");
  fail_unless_equals_string (str (local, "protocol"), "udp");
  fail_unless_equals_string (str (remote, "protocol"), "udp");
  {
    gint port, other_port;

    fail_unless (gst_structure_get_int (local, "port", &port));
    fail_unless (gst_structure_get_int (other_remote, "port", &other_port));
    fail_unless_equals_int (port, other_port);
    fail_unless (gst_structure_get_int (remote, "port", &port));
    fail_unless (gst_structure_get_int (other_local, "port", &other_port));
    fail_unless_equals_int (port, other_port);
    /* our host candidate as we signaled it */
    fail_unless (gst_structure_get_int (local, "priority", &port));
    fail_unless (gst_structure_has_field (local, "foundation"));
  }
  fail_unless (u64 (p, "bytesSent") > 0);
  fail_unless (u64 (p, "bytesReceived") > 0);
  fail_unless (u64 (t, "bytesSent") >= u64 (p, "bytesSent"));
  fail_unless (u64 (t, "packetsSent") > 0);
  fail_unless (u64 (t, "packetsReceived") > 0);

  gst_structure_free (info);
  g_free (fingerprint);
  g_free (other_fingerprint);
}

/* Each outbound stream of the sender against the receiver's inbound one
 * for the same m-line, from four get-stats replies taken in this order:
 * @tx_before (sender), @rx (receiver), @tx_after (sender), @rx_after
 * (receiver). */
static void
check_direction (SecWebRTCPair * pair, gint sender,
    const GstStructure * tx_before, const GstStructure * rx,
    const GstStructure * tx_after, const GstStructure * rx_after,
    guint expected_streams)
{
  SecWebRTCPeer *receiver = &pair->peer[1 - sender];
  GPtrArray *outbound = entries (tx_after, "outbound-rtp");
  guint k;

  fail_unless_equals_int (outbound->len, expected_streams);
  for (k = 0; k < outbound->len; k++) {
    const GstStructure *out = g_ptr_array_index (outbound, k);
    const gchar *id = str (out, "id"), *mid = str (out, "mid");
    const GstStructure *out_before = entry (tx_before, id);
    const GstStructure *in = find_entry (rx, "inbound-rtp", "mid", mid);
    const GstStructure *in_after = find_entry (rx_after, "inbound-rtp",
        "mid", mid);
    const GstStructure *codec_out, *codec_in, *s;
    gboolean video = g_str_equal (str (out, "kind"), "video");
    GstCaps *caps;
    gchar *mime;
    gint pt = -1, clock_rate = -1;
    gdouble jitter;

    fail_unless (in != NULL && in_after != NULL, "peer %d: no inbound-rtp "
        "for mid %s", receiver->index, mid);
    /* the same stream on both sides */
    fail_unless_equals_int (u32 (out, "ssrc"), u32 (in, "ssrc"));
    fail_unless_equals_string (str (out, "kind"), str (in, "kind"));
    fail_unless_equals_string (str (out, "transportId"), "transport-0");
    fail_unless_equals_string (str (in, "transportId"), "transport-0");

    /* the codec: both sides' entries, and the caps of the received
     * stream */
    codec_out = entry (tx_after, str (out, "codecId"));
    codec_in = entry (rx, str (in, "codecId"));
    fail_unless_equals_string (str (codec_out, "type"), "codec");
    fail_unless_equals_int (u32 (codec_out, "payloadType"),
        u32 (codec_in, "payloadType"));
    fail_unless_equals_string (str (codec_out, "mimeType"),
        str (codec_in, "mimeType"));
    caps = received_caps (receiver, str (in, "id"));
    s = gst_caps_get_structure (caps, 0);
    fail_unless (gst_structure_get_int (s, "payload", &pt));
    fail_unless (gst_structure_get_int (s, "clock-rate", &clock_rate));
    fail_unless_equals_int (u32 (codec_in, "payloadType"), pt);
    fail_unless_equals_int (u32 (codec_in, "clockRate"), clock_rate);
    mime = g_strdup_printf ("%s/%s", gst_structure_get_string (s, "media"),
        gst_structure_get_string (s, "encoding-name"));
    fail_unless (g_ascii_strcasecmp (str (codec_in, "mimeType"), mime) == 0,
        "%s is not %s", str (codec_in, "mimeType"), mime);
    fail_unless (g_ascii_strcasecmp (mime, video ? "video/VP8" :
            "audio/OPUS") == 0);
    g_free (mime);
    gst_caps_unref (caps);

    /* packets and bytes: what the receiver counted was sent before, what
     * was sent before the receiver counted arrived but for what was in
     * flight */
    fail_unless (u64 (in, "packetsReceived") > 0);
    fail_unless (u64 (in, "bytesReceived") > 0);
    fail_unless (u64 (in, "packetsReceived") <= u64 (out, "packetsSent"),
        "%" G_GUINT64_FORMAT " received, %" G_GUINT64_FORMAT " sent",
        u64 (in, "packetsReceived"), u64 (out, "packetsSent"));
    fail_unless (u64 (in, "bytesReceived") <= u64 (out, "bytesSent"));
    fail_unless (u64 (out_before, "packetsSent") <= u64 (in,
            "packetsReceived") + IN_FLIGHT, "%" G_GUINT64_FORMAT " sent, %"
        G_GUINT64_FORMAT " received", u64 (out_before, "packetsSent"),
        u64 (in, "packetsReceived"));
    /* nothing is lost on loopback: a hole is only a packet the jitter
     * buffer asked for again too early and got twice */
    if (video) {
      fail_unless (i64 (in, "packetsLost") + (gint64) u64 (in,
              "retransmittedPacketsReceived") >= 0);
      fail_unless (u64 (in, "retransmittedPacketsReceived") <= u64 (out,
              "retransmittedPacketsSent"));
    } else {
      fail_unless_equals_int (i64 (in, "packetsLost"), 0);
      fail_if (gst_structure_has_field (in, "retransmittedPacketsReceived"));
      fail_if (gst_structure_has_field (out, "retransmittedPacketsSent"));
    }
    fail_unless (i64 (in, "packetsLost") <= IN_FLIGHT);
    jitter = dbl (in, "jitter");
    fail_unless (jitter >= 0 && jitter < 1, "jitter %f", jitter);

    /* feedback: the receiver's NACK, PLI and FIR packets (counted by the
     * receiving bin itself and by the sender's rtpsession) */
    fail_unless (u32 (out, "nackCount") <= u32 (in_after, "nackCount"),
        "%u NACK received, %u sent", u32 (out, "nackCount"),
        u32 (in_after, "nackCount"));
    fail_unless (u32 (in, "nackCount") <= u32 (out, "nackCount") + 5,
        "%u NACK sent, %u received", u32 (in, "nackCount"),
        u32 (out, "nackCount"));
    if (video) {
      fail_unless (u32 (out, "pliCount") <= u32 (in_after, "pliCount"));
      fail_unless (u32 (out, "firCount") <= u32 (in_after, "firCount"));
    } else {
      fail_if (gst_structure_has_field (out, "pliCount"));
      fail_if (gst_structure_has_field (in, "firCount"));
    }

    /* the peer's report on it, once there is one with a known arrival */
    if (gst_structure_has_field (out, "remoteId")) {
      const GstStructure *r = entry (tx_after, str (out, "remoteId"));
      gdouble now = dbl (out, "timestamp"), arrived = dbl (r, "timestamp");

      fail_unless_equals_string (str (r, "type"), "remote-inbound-rtp");
      fail_unless_equals_string (str (r, "localId"), id);
      fail_unless_equals_int (u32 (r, "ssrc"), u32 (out, "ssrc"));
      fail_unless (arrived <= now && arrived > now - 60000,
          "arrived %f, now %f", arrived, now);
      fail_unless (i64 (r, "packetsLost") >= -IN_FLIGHT
          && i64 (r, "packetsLost") <= IN_FLIGHT);
      if (gst_structure_has_field (r, "roundTripTime"))
        fail_unless (dbl (r, "roundTripTime") > 0
            && dbl (r, "roundTripTime") < 1.0);
    }
  }
  g_ptr_array_unref (outbound);
}

static void
check_no_keys (const GstStructure * stats)
{
  gchar *text = gst_structure_to_string (stats);

  fail_if (strstr (text, "PRIVATE") != NULL, "%s", text);
  fail_if (strstr (text, "key") != NULL, "%s", text);
  fail_if (strstr (text, "pwd") != NULL, "%s", text);
  g_free (text);
}

static void
check_call (gint offerer)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  GstStructure *s0, *s1, *s2, *s3, *s4;

  start_call (pair, offerer, TRUE, TRUE);
  /* peer 0, 1, 0, 1, 0: each side's inbound counts lie between two of the
   * other side's outbound ones */
  s0 = get_stats (&pair->peer[0], NULL);
  s1 = get_stats (&pair->peer[1], NULL);
  s2 = get_stats (&pair->peer[0], NULL);
  s3 = get_stats (&pair->peer[1], NULL);
  s4 = get_stats (&pair->peer[0], NULL);
  check_transport (pair, 0, offerer, s0, s1);
  check_transport (pair, 1, offerer, s1, s0);
  check_direction (pair, 0, s0, s1, s2, s3, 2);
  check_direction (pair, 1, s1, s2, s3, s4, 2);
  check_no_keys (s0);
  check_no_keys (s1);
  gst_structure_free (s0);
  gst_structure_free (s1);
  gst_structure_free (s2);
  gst_structure_free (s3);
  gst_structure_free (s4);
  sec_webrtc_pair_free (pair);
}

GST_START_TEST (test_stats_first_offers)
{
  check_call (0);
}

GST_END_TEST;

GST_START_TEST (test_stats_second_offers)
{
  check_call (1);
}

GST_END_TEST;

/* --- one pad --------------------------------------------------------------- */

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar **) a, *(const gchar **) b);
}

/* The RTP entries of @stats: "outbound-rtp-1 inbound-rtp-0 ..." sorted. */
static gchar *
rtp_ids (const GstStructure * stats)
{
  GPtrArray *ids = g_ptr_array_new ();
  gchar *joined;
  gint i;

  for (i = 0; i < gst_structure_n_fields (stats); i++) {
    const gchar *id = gst_structure_nth_field_name (stats, i);

    if (strstr (id, "-rtp-") || g_str_has_prefix (id, "codec-"))
      g_ptr_array_add (ids, (gpointer) id);
  }
  g_ptr_array_sort (ids, compare_ids);
  g_ptr_array_add (ids, NULL);
  joined = g_strjoinv (" ", (gchar **) ids->pdata);
  g_ptr_array_unref (ids);
  return joined;
}

/* With a pad, get-stats holds that pad's stream only (W3C getStats with
 * a sender or receiver): a sink_%u pad its outbound-rtp (and the peer's
 * report on it), a src_%u pad its inbound-rtp, with their codecs; the
 * transport and its parts as always. A pad of another element is
 * refused. */
GST_START_TEST (test_stats_for_one_pad)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  SecWebRTCPeer *peer = &pair->peer[0];
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  GstStructure *all;
  guint checked = 0;
  GstPromise *promise;
  const GstStructure *reply;
  GError *error = NULL;
  GstPad *foreign;

  start_call (pair, 0, TRUE, TRUE);
  all = get_stats (peer, NULL);
  it = gst_element_iterate_pads (peer->bin);
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstPad *pad = g_value_get_object (&item);
    const gchar *name = GST_PAD_NAME (pad);
    gboolean sink = g_str_has_prefix (name, "sink_");
    const gchar *mline = strchr (name, '_') + 1;
    GstStructure *one = get_stats (peer, pad);
    gchar *stream_id = g_strdup_printf ("%s-%s", sink ? "outbound-rtp" :
        "inbound-rtp", mline);
    const GstStructure *stream = entry (one, stream_id);
    GPtrArray *want = g_ptr_array_new ();
    gchar *got, *expected;

    /* the same stream as in the whole report, nothing else of RTP */
    fail_unless_equals_int (u32 (stream, "ssrc"),
        u32 (entry (all, stream_id), "ssrc"));
    g_ptr_array_add (want, stream_id);
    g_ptr_array_add (want, (gpointer) str (stream, "codecId"));
    if (gst_structure_has_field (stream, "remoteId"))
      g_ptr_array_add (want, (gpointer) str (stream, "remoteId"));
    g_ptr_array_sort (want, compare_ids);
    g_ptr_array_add (want, NULL);
    expected = g_strjoinv (" ", (gchar **) want->pdata);
    got = rtp_ids (one);
    fail_unless_equals_string (got, expected);
    /* and the transport as in the whole report */
    fail_unless_equals_string (str (entry (one, "transport-0"),
            "selectedCandidatePairId"), str (entry (all, "transport-0"),
            "selectedCandidatePairId"));
    entry (one, "certificate-local");
    entry (one, "certificate-remote");
    g_free (got);
    g_free (expected);
    g_ptr_array_unref (want);
    g_free (stream_id);
    gst_structure_free (one);
    checked++;
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  /* sink_0, sink_1, src_0, src_1 */
  fail_unless_equals_int (checked, 4);

  /* a pad of the other bin */
  foreign = gst_element_get_static_pad (pair->peer[1].bin, "src_0");
  fail_unless (foreign != NULL);
  promise = gst_promise_new ();
  g_signal_emit_by_name (peer->bin, "get-stats", foreign, promise);
  fail_unless_equals_int (gst_promise_wait (promise),
      GST_PROMISE_RESULT_REPLIED);
  reply = gst_promise_get_reply (promise);
  fail_unless (gst_structure_get (reply, "error", G_TYPE_ERROR, &error,
          NULL), "%s", gst_structure_to_string (reply));
  fail_unless (strstr (error->message, "src_0") != NULL, "%s",
      error->message);
  g_error_free (error);
  gst_promise_unref (promise);
  gst_object_unref (foreign);
  gst_structure_free (all);
  sec_webrtc_pair_free (pair);
}

GST_END_TEST;

/* Before a call: nothing, then a transport that says only what it knows
 * (no pair, no negotiated parameters, no streams). A sink pad without an
 * m-line has no stream yet. */
GST_START_TEST (test_stats_before_call)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  SecWebRTCPeer *peer = &pair->peer[0];
  GstStructure *stats;
  const GstStructure *t;
  gchar *offer, *error = NULL, *fingerprint, *cert;
  GstPad *pad;

  sec_webrtc_pair_check_plugins ();
  stats = get_stats (peer, NULL);
  fail_unless_equals_int (gst_structure_n_fields (stats), 0);
  gst_structure_free (stats);

  pad = gst_element_request_pad_simple (peer->bin, "sink_%u");
  fail_unless (pad != NULL);
  stats = get_stats (peer, pad);
  fail_unless_equals_int (gst_structure_n_fields (stats), 0);
  gst_structure_free (stats);
  gst_element_release_request_pad (peer->bin, pad);
  gst_object_unref (pad);

  sec_webrtc_peer_add_video (peer);
  offer = sec_webrtc_peer_create (peer, "offer", NULL, &error);
  fail_unless (offer != NULL, "%s", error);
  fail_unless (sec_webrtc_peer_set (peer, "local", "offer", NULL, &error),
      "%s", error);
  stats = get_stats (peer, NULL);
  t = entry (stats, "transport-0");
  fail_unless_equals_string (str (t, "iceState"), "new");
  fail_unless_equals_string (str (t, "dtlsState"), "new");
  fail_unless_equals_string (str (t, "dtlsRole"), "unknown");
  /* no exchange completed: the ICE role is not decided */
  fail_if (gst_structure_has_field (t, "iceRole"));
  fail_if (gst_structure_has_field (t, "selectedCandidatePairId"));
  fail_if (gst_structure_has_field (t, "tlsVersion"));
  fail_if (gst_structure_has_field (t, "remoteCertificateId"));
  g_object_get (peer->bin, "local-fingerprint", &fingerprint, NULL);
  cert = certificate (stats, str (t, "localCertificateId"));
  fail_unless_equals_string (cert, fingerprint);
  {
    gchar *ids = rtp_ids (stats);

    fail_unless_equals_string (ids, "");
    g_free (ids);
  }
  /* a pad requested without caps has no m-line: no stream, no error */
  gst_structure_free (stats);
  pad = gst_element_request_pad_simple (peer->bin, "sink_%u");
  fail_unless (pad != NULL);
  stats = get_stats (peer, pad);
  entry (stats, "transport-0");
  {
    gchar *ids = rtp_ids (stats);

    fail_unless_equals_string (ids, "");
    g_free (ids);
  }
  gst_structure_free (stats);
  gst_element_release_request_pad (peer->bin, pad);
  gst_object_unref (pad);
  g_free (cert);
  g_free (fingerprint);
  g_free (offer);
  sec_webrtc_pair_free (pair);
}

GST_END_TEST;

/* --- losses and retransmissions ------------------------------------------- */

typedef struct
{
  gint pt;                      /* video's payload type */
  guint seen;                   /* video packets */
  gint dropped;
} Loss;

/* every 7th SRTP packet of the original video stream (not its RTX) */
static gboolean
lose (GstBuffer * buffer, Loss * loss)
{
  guint8 head[2];

  if (gst_buffer_extract (buffer, 0, head, 2) != 2 || head[0] < 128
      || head[0] > 191 || (head[1] & 0x7f) != loss->pt)
    return FALSE;
  if (++loss->seen % 7 != 0)
    return FALSE;
  g_atomic_int_inc (&loss->dropped);
  return TRUE;
}

static GstPadProbeReturn
lose_video (GstPad * pad, GstPadProbeInfo * info, Loss * loss)
{
  (void) pad;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    if (lose (GST_PAD_PROBE_INFO_BUFFER (info), loss))
      return GST_PAD_PROBE_DROP;
  } else {
    GstBufferList *list =
        gst_buffer_list_make_writable (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
    guint i;

    for (i = 0; i < gst_buffer_list_length (list);) {
      if (lose (gst_buffer_list_get (list, i), loss))
        gst_buffer_list_remove (list, i, 1);
      else
        i++;
    }
    info->data = list;
  }
  return GST_PAD_PROBE_OK;
}

typedef struct
{
  GMutex lock;
  GCond cond;
  guint32 ssrc;                 /* the source waited for */
  gboolean removed;
} Removal;

static void
on_source_timeout (GstElement * rtpbin, guint session, guint ssrc,
    Removal * removal)
{
  (void) rtpbin;
  (void) session;
  g_mutex_lock (&removal->lock);
  if (ssrc == removal->ssrc)
    removal->removed = TRUE;
  g_cond_broadcast (&removal->cond);
  g_mutex_unlock (&removal->lock);
}

static gboolean
is_rtp_of (GstBuffer * buffer, guint32 ssrc)
{
  guint8 head[12];

  return gst_buffer_extract (buffer, 0, head, 12) == 12
      && GST_READ_UINT32_BE (head + 8) == ssrc;
}

/* Nothing more of the RTX stream arrives (under load the jitter buffer
 * may still ask for a late packet, which would be resent). */
static GstPadProbeReturn
drop_rtx (GstPad * pad, GstPadProbeInfo * info, Removal * removal)
{
  (void) pad;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    if (is_rtp_of (GST_PAD_PROBE_INFO_BUFFER (info), removal->ssrc))
      return GST_PAD_PROBE_DROP;
  } else {
    GstBufferList *list =
        gst_buffer_list_make_writable (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
    guint i;

    for (i = 0; i < gst_buffer_list_length (list);) {
      if (is_rtp_of (gst_buffer_list_get (list, i), removal->ssrc))
        gst_buffer_list_remove (list, i, 1);
      else
        i++;
    }
    info->data = list;
  }
  return GST_PAD_PROBE_OK;
}

/* The sender's own report packets (SR, RR, SDES) of @ssrc: what tells
 * rtpsession a source is alive (RFC 3550 §6.3.5). */
static gboolean
reports_of (GstRTCPPacket * packet, guint32 ssrc)
{
  guint32 sender = 0;

  switch (gst_rtcp_packet_get_type (packet)) {
    case GST_RTCP_TYPE_SR:
      gst_rtcp_packet_sr_get_sender_info (packet, &sender, NULL, NULL, NULL,
          NULL);
      return sender == ssrc;
    case GST_RTCP_TYPE_RR:
      return gst_rtcp_packet_rr_get_ssrc (packet) == ssrc;
    case GST_RTCP_TYPE_SDES:
      return gst_rtcp_packet_sdes_first_item (packet)
          && gst_rtcp_packet_sdes_get_ssrc (packet) == ssrc;
    default:
      return FALSE;
  }
}

/* The receiver no longer hears the RTX stream's own reports (browsers
 * send none from it; the feedback packets still pass): once nothing is
 * resent, its source goes quiet. */
static GstPadProbeReturn
mute_rtx_reports (GstPad * pad, GstPadProbeInfo * info, Removal * removal)
{
  GstBuffer *buffer;
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  gboolean more, empty;

  (void) pad;
  if (!(info->type & GST_PAD_PROBE_TYPE_BUFFER))
    return GST_PAD_PROBE_OK;
  buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  info->data = buffer;
  if (!gst_rtcp_buffer_map (buffer, GST_MAP_READWRITE, &rtcp))
    return GST_PAD_PROBE_OK;
  more = gst_rtcp_buffer_get_first_packet (&rtcp, &packet);
  while (more) {
    if (reports_of (&packet, removal->ssrc))
      more = gst_rtcp_packet_remove (&packet);
    else
      more = gst_rtcp_packet_move_to_next (&packet);
  }
  empty = gst_rtcp_buffer_get_packet_count (&rtcp) == 0;
  gst_rtcp_buffer_unmap (&rtcp);
  return empty ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

/* "a=ssrc-group:FID <ssrc> <rtx-ssrc>" of peer 0's offer */
static gchar *
capture_rtx_ssrc (gint from, const gchar * type, const gchar * sdp,
    gpointer user_data)
{
  const gchar *fid = strstr (sdp, "a=ssrc-group:FID ");
  guint32 *rtx_ssrc = user_data;
  guint ssrc, rtx;

  (void) type;
  if (from == 0 && fid && sscanf (fid, "a=ssrc-group:FID %u %u", &ssrc,
          &rtx) == 2)
    *rtx_ssrc = rtx;
  return NULL;
}

/* Every 7th video packet from peer 0 is lost on the wire: peer 1 asks
 * for each (NACK), peer 0 resends it on its RTX stream (RFC 4588). The
 * stats count the losses exactly, with the retransmissions as packets of
 * the stream (W3C); and once rtpsession drops the RTX stream that went
 * quiet, what it carried stays counted. */
GST_START_TEST (test_stats_losses_repaired)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  Loss loss = { -1, 0, 0 };
  Removal removal;
  guint32 rtx_ssrc = 0;
  GstElement *icesink, *rtpbin;
  GstStructure *s0, *s1, *s2, *later;
  const GstStructure *out, *in, *in_later;
  GstPad *pad, *rtp_pad;
  gulong probe, rtp_probe;
  gint64 end;
  guint64 primary_sent, primary_received, retransmitted;
  gint dropped;

  g_mutex_init (&removal.lock);
  g_cond_init (&removal.cond);
  removal.removed = FALSE;
  pair->sdp_hook = capture_rtx_ssrc;
  pair->sdp_hook_data = &rtx_ssrc;
  start_call (pair, 0, TRUE, FALSE);
  fail_unless (rtx_ssrc != 0, "no a=ssrc-group:FID in the offer");
  s0 = get_stats (&pair->peer[0], NULL);
  out = find_entry (s0, "outbound-rtp", "kind", "video");
  loss.pt = (gint) u32 (entry (s0, str (out, "codecId")), "payloadType");
  gst_structure_free (s0);

  icesink = sec_check_find_by_factory (pair->peer[0].bin, "secicesink");
  fail_unless (icesink != NULL);
  pad = gst_element_get_static_pad (icesink, "sink");
  probe = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, (GstPadProbeCallback) lose_video,
      &loss, NULL);
  /* until peer 1 took a few retransmissions */
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  for (;;) {
    s1 = get_stats (&pair->peer[1], NULL);
    in = find_entry (s1, "inbound-rtp", "kind", "video");
    retransmitted = u64 (in, "retransmittedPacketsReceived");
    gst_structure_free (s1);
    if (retransmitted >= 5)
      break;
    fail_unless (g_get_monotonic_time () < end, "after 20 s: %u packets "
        "dropped, %" G_GUINT64_FORMAT " retransmissions taken",
        g_atomic_int_get (&loss.dropped), retransmitted);
    sec_webrtc_peer_wait_frames (&pair->peer[1],
        pair->peer[1].video_frames + 1, 0, 10);
  }
  gst_pad_remove_probe (pad, probe);
  gst_object_unref (pad);
  gst_object_unref (icesink);
  /* what left before the probe went has arrived once a frame sent after
   * it is decoded */
  sec_webrtc_peer_wait_frames (&pair->peer[1],
      pair->peer[1].video_frames + 5, 0, 10);
  dropped = g_atomic_int_get (&loss.dropped);

  s0 = get_stats (&pair->peer[0], NULL);
  s1 = get_stats (&pair->peer[1], NULL);
  s2 = get_stats (&pair->peer[0], NULL);
  out = find_entry (s2, "outbound-rtp", "kind", "video");
  in = find_entry (s1, "inbound-rtp", "kind", "video");
  GST_INFO ("%u dropped; sent %" GST_PTR_FORMAT "; received %"
      GST_PTR_FORMAT, dropped, out, in);
  /* resent and taken */
  fail_unless (u64 (out, "retransmittedPacketsSent") >= 5);
  fail_unless (u64 (in, "retransmittedPacketsReceived") >= 5);
  fail_unless (u64 (in, "retransmittedPacketsReceived") <= u64 (out,
          "retransmittedPacketsSent"));
  fail_unless (u64 (in, "retransmittedBytesReceived") > 0);
  fail_unless (u64 (in, "retransmittedBytesReceived") <= u64 (out,
          "retransmittedBytesSent"));
  /* asked for: the NACK packets peer 1 sent and peer 0 received */
  fail_unless (u32 (in, "nackCount") >= 5);
  fail_unless (u32 (out, "nackCount") <= u32 (in, "nackCount") + 5);
  fail_unless (u32 (entry (s0, str (out, "id")), "nackCount") <= u32 (in,
          "nackCount"));
  /* RFC 3550 §6.4.1 on the original stream: its holes are exactly the
   * packets dropped; the W3C count takes the retransmissions as
   * received */
  fail_unless_equals_int (i64 (in, "packetsLost") + (gint64) u64 (in,
          "retransmittedPacketsReceived"), dropped);
  primary_received = u64 (in, "packetsReceived") - u64 (in,
      "retransmittedPacketsReceived");
  primary_sent = u64 (out, "packetsSent") - u64 (out,
      "retransmittedPacketsSent");
  fail_unless (primary_received + dropped <= primary_sent,
      "%" G_GUINT64_FORMAT " + %u received and dropped, %" G_GUINT64_FORMAT
      " sent", primary_received, dropped, primary_sent);
  {
    const GstStructure *out0 = find_entry (s0, "outbound-rtp", "kind",
        "video");

    fail_unless (u64 (out0, "packetsSent") - u64 (out0,
            "retransmittedPacketsSent") <= primary_received + dropped
        + IN_FLIGHT);
  }

  /* no more losses, and nothing of the RTX stream is heard, its reports
   * neither: it goes quiet and rtpsession removes it (RFC 3550 §6.3.5);
   * what it carried stays counted */
  removal.ssrc = rtx_ssrc;
  rtpbin = sec_check_find_by_factory (pair->peer[1].bin, "rtpbin");
  fail_unless (rtpbin != NULL);
  pad = gst_element_get_static_pad (rtpbin, "recv_rtcp_sink_0");
  fail_unless (pad != NULL);
  probe = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER,
      (GstPadProbeCallback) mute_rtx_reports, &removal, NULL);
  rtp_pad = gst_element_get_static_pad (rtpbin, "recv_rtp_sink_0");
  fail_unless (rtp_pad != NULL);
  rtp_probe = gst_pad_add_probe (rtp_pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, (GstPadProbeCallback) drop_rtx,
      &removal, NULL);
  g_signal_connect (rtpbin, "on-timeout", G_CALLBACK (on_source_timeout),
      &removal);
  g_signal_connect (rtpbin, "on-bye-timeout", G_CALLBACK (on_source_timeout),
      &removal);
  /* RFC 3550 §6.3.5: five reporting intervals (rtpsession: at most 25
   * s, checked at each report) */
  end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  g_mutex_lock (&removal.lock);
  while (!removal.removed)
    fail_unless (g_cond_wait_until (&removal.cond, &removal.lock, end),
        "rtpsession did not remove the quiet RTX source %08x in 60 s",
        rtx_ssrc);
  g_mutex_unlock (&removal.lock);
  g_signal_handlers_disconnect_by_data (rtpbin, &removal);
  gst_object_unref (rtpbin);
  gst_pad_remove_probe (pad, probe);
  gst_object_unref (pad);
  gst_pad_remove_probe (rtp_pad, rtp_probe);
  gst_object_unref (rtp_pad);
  /* rtpsession removes it right after saying so: a frame later it is
   * gone */
  sec_webrtc_peer_wait_frames (&pair->peer[1],
      pair->peer[1].video_frames + 3, 0, 10);
  later = get_stats (&pair->peer[1], NULL);
  in_later = find_entry (later, "inbound-rtp", "kind", "video");
  fail_unless (u64 (in_later, "retransmittedPacketsReceived") >= u64 (in,
          "retransmittedPacketsReceived"), "%" G_GUINT64_FORMAT
      " retransmissions received, %" G_GUINT64_FORMAT " before",
      u64 (in_later, "retransmittedPacketsReceived"), u64 (in,
          "retransmittedPacketsReceived"));
  fail_unless (u64 (in_later, "packetsReceived") > u64 (in,
          "packetsReceived"));
  fail_unless (u64 (in_later, "bytesReceived") > u64 (in, "bytesReceived"));
  fail_unless (i64 (in_later, "packetsLost") + (gint64) u64 (in_later,
          "retransmittedPacketsReceived") >= (gint64) dropped);

  gst_structure_free (later);
  gst_structure_free (s0);
  gst_structure_free (s1);
  gst_structure_free (s2);
  sec_webrtc_pair_free (pair);
  g_mutex_clear (&removal.lock);
  g_cond_clear (&removal.cond);
}

GST_END_TEST;

static Suite *
secwebrtcbin_stats_suite (void)
{
  Suite *s = suite_create ("secwebrtcbin-stats");
  TCase *tc;

  tc = tcase_create ("call");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_stats_before_call);
  tcase_add_test (tc, test_stats_first_offers);
  tcase_add_test (tc, test_stats_second_offers);
  tcase_add_test (tc, test_stats_for_one_pad);
  tcase_add_test (tc, test_stats_losses_repaired);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (secwebrtcbin_stats);
