/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secwebrtcbin's bundle policies (RFC 8829 §4.1.1, RFC 8843), two bins
 * in one process on 127.0.0.1 (tests/check/secwebrtcpair.c), the test
 * doing the signaling:
 *   - balanced offers give the first audio and the first video m-line a
 *     transport each (own ICE credentials), all in one BUNDLE group; an
 *     answerer that bundles puts both on the tag's, and the offerer drops
 *     the other transport;
 *   - a peer that does not bundle (the group taken out of the offer on
 *     its way) gets audio and video on two transports, each with its own
 *     ICE and DTLS, media both ways on both;
 *   - further m-lines of a kind are bundle-only in a balanced offer, so a
 *     peer that does not bundle rejects them; max-bundle answers a
 *     non-bundled offer with its first transport only.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "secwebrtcpair.h"

#include <string.h>

#define FRAMES 20               /* video frames (30/s) and audio frames */

/* --- helpers ------------------------------------------------------------- */

typedef struct
{
  gboolean drop_group;          /* take a=group:BUNDLE out of the offer */
  gchar *offer;                 /* as the answerer got it */
  gchar *answer;
} Signaling;

static gchar *
without_group (const gchar * sdp)
{
  gchar **lines = g_strsplit (sdp, "\r\n", -1);
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; lines[i]; i++) {
    if (g_str_has_prefix (lines[i], "a=group:BUNDLE"))
      continue;
    g_string_append (out, lines[i]);
    if (lines[i + 1])
      g_string_append (out, "\r\n");
  }
  g_strfreev (lines);
  return g_string_free (out, FALSE);
}

static gchar *
on_sdp (gint from, const gchar * type, const gchar * sdp, gpointer user_data)
{
  Signaling *signaling = user_data;
  gchar *out = NULL;

  (void) from;
  if (g_str_equal (type, "offer") && signaling->drop_group)
    out = without_group (sdp);
  if (g_str_equal (type, "offer")) {
    g_free (signaling->offer);
    signaling->offer = g_strdup (out ? out : sdp);
  } else {
    g_free (signaling->answer);
    signaling->answer = g_strdup (sdp);
  }
  return out;
}

/* The value of attribute @key (e.g. "a=ice-ufrag:") in m-line @mline (from
 * 0; -1: the session level), NULL if absent. */
static gchar *
attribute (const gchar * sdp, gint mline, const gchar * key)
{
  gchar **lines = g_strsplit (sdp, "\r\n", -1);
  gchar *value = NULL;
  gint current = -1;
  guint i;

  for (i = 0; lines[i] && value == NULL; i++) {
    if (g_str_has_prefix (lines[i], "m="))
      current++;
    else if (current == mline && g_str_has_prefix (lines[i], key))
      value = g_strdup (lines[i] + strlen (key));
  }
  g_strfreev (lines);
  return value;
}

/* The port of m-line @mline. */
static guint
port_of (const gchar * sdp, gint mline)
{
  gchar **lines = g_strsplit (sdp, "\r\n", -1);
  gint current = -1;
  guint i, port = G_MAXUINT;

  for (i = 0; lines[i]; i++) {
    if (g_str_has_prefix (lines[i], "m=") && ++current == mline) {
      const gchar *space = strchr (lines[i], ' ');

      port = space ? (guint) atoi (space + 1) : G_MAXUINT;
      break;
    }
  }
  g_strfreev (lines);
  return port;
}

static void
count_factory (const GValue * value, gpointer user_data)
{
  GstElement *element = g_value_get_object (value);
  GstElementFactory *factory = gst_element_get_factory (element);

  if (factory && g_str_equal (GST_OBJECT_NAME (factory), "secicesrc"))
    (*(guint *) user_data)++;
}

/* How many ICE transports (secicesrc elements) the bin holds now. */
static guint
n_transports (GstElement * bin)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (bin));
  guint count = 0;

  while (gst_iterator_foreach (it, count_factory, &count) ==
      GST_ITERATOR_RESYNC) {
    count = 0;
    gst_iterator_resync (it);
  }
  gst_iterator_free (it);
  return count;
}

/* An unused transport leaves the bin from GStreamer's thread pool: wait
 * (bounded) until the bin holds @expected. */
static void
wait_transports (SecWebRTCPeer * peer, guint expected)
{
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  guint n;

  while ((n = n_transports (peer->bin)) != expected
      && g_get_monotonic_time () < end)
    g_usleep (20 * 1000);
  fail_unless_equals_int (n, expected);
}

static void
start (SecWebRTCPair * pair, Signaling * signaling, guint n_video,
    guint n_audio)
{
  guint i, k;

  sec_webrtc_pair_check_plugins ();
  pair->sdp_hook = on_sdp;
  pair->sdp_hook_data = signaling;
  for (i = 0; i < 2; i++) {
    for (k = 0; k < n_audio; k++)
      sec_webrtc_peer_add_audio (&pair->peer[i]);
    for (k = 0; k < n_video; k++)
      sec_webrtc_peer_add_video (&pair->peer[i]);
  }
  sec_webrtc_pair_play (pair);
}

static void
check_media_and_security (SecWebRTCPair * pair)
{
  gint i;

  sec_webrtc_pair_wait_state (pair, SEC_WEBRTC_PAIR_CONNECTED, 10);
  for (i = 0; i < 2; i++)
    sec_webrtc_peer_wait_frames (&pair->peer[i], FRAMES, FRAMES, 10);
  for (i = 0; i < 2; i++) {
    GstStructure *info = NULL;

    g_object_get (pair->peer[i].bin, "security-info", &info, NULL);
    fail_unless (info != NULL, "peer %d: no security-info", i);
    fail_unless (gst_structure_has_field (info, "remote-fingerprint"));
    gst_structure_free (info);
    fail_unless_equals_int (pair->peer[i].errors->len, 0);
  }
}

/* get-stats (NULL): the reply, or fails the test. */
static GstStructure *
get_stats (GstElement * bin)
{
  GstPromise *promise = gst_promise_new ();
  GstStructure *stats;

  g_signal_emit_by_name (bin, "get-stats", NULL, promise);
  fail_unless_equals_int (gst_promise_wait (promise),
      GST_PROMISE_RESULT_REPLIED);
  stats = gst_structure_copy (gst_promise_get_reply (promise));
  gst_promise_unref (promise);
  return stats;
}

/* The entry @id of a get-stats reply (NULL: none). */
static const GstStructure *
stats_entry (const GstStructure * stats, const gchar * id)
{
  const GValue *value = gst_structure_get_value (stats, id);

  return value && GST_VALUE_HOLDS_STRUCTURE (value) ?
      gst_value_get_structure (value) : NULL;
}

static guint64
stats_u64 (const GstStructure * entry, const gchar * field)
{
  guint64 value = 0;

  fail_unless (entry != NULL);
  fail_unless (gst_structure_get_uint64 (entry, field, &value),
      "no %s in %" GST_PTR_FORMAT, field, entry);
  return value;
}

/* Each transport in get-stats: connected, its selected pair and
 * certificates there, and the streams of its m-line on it. */
static void
check_stats_per_transport (SecWebRTCPeer * peer, guint n_transports)
{
  GstStructure *stats = get_stats (peer->bin);
  guint t;

  for (t = 0; t < n_transports; t++) {
    gchar *id = g_strdup_printf ("transport-%u", t);
    gchar *inbound = g_strdup_printf ("inbound-rtp-%u", t);
    gchar *outbound = g_strdup_printf ("outbound-rtp-%u", t);
    const GstStructure *transport = stats_entry (stats, id);
    const GstStructure *entry;
    const gchar *ref;

    fail_unless (transport != NULL, "no %s in %" GST_PTR_FORMAT, id, stats);
    fail_unless_equals_string (gst_structure_get_string (transport,
            "dtlsState"), "connected");
    ref = gst_structure_get_string (transport, "selectedCandidatePairId");
    fail_unless (ref && stats_entry (stats, ref), "%s: no pair", id);
    ref = gst_structure_get_string (transport, "localCertificateId");
    fail_unless (ref && stats_entry (stats, ref), "%s: no certificate", id);
    ref = gst_structure_get_string (transport, "remoteCertificateId");
    fail_unless (ref && stats_entry (stats, ref), "%s: no peer certificate",
        id);
    entry = stats_entry (stats, inbound);
    fail_unless (entry != NULL, "no %s in %" GST_PTR_FORMAT, inbound, stats);
    fail_unless_equals_string (gst_structure_get_string (entry,
            "transportId"), id);
    fail_unless (stats_u64 (entry, "packetsReceived") > 0);
    entry = stats_entry (stats, outbound);
    fail_unless (entry != NULL, "no %s", outbound);
    fail_unless_equals_string (gst_structure_get_string (entry,
            "transportId"), id);
    fail_unless (stats_u64 (entry, "packetsSent") > 0);
    g_free (id);
    g_free (inbound);
    g_free (outbound);
  }
  fail_if (stats_entry (stats, "transport-2") != NULL);
  gst_structure_free (stats);
}

static void
signaling_clear (Signaling * signaling)
{
  g_free (signaling->offer);
  g_free (signaling->answer);
}

/* --- tests --------------------------------------------------------------- */

/* A balanced offer: audio and video each with ICE credentials of their
 * own, one BUNDLE group; the answerer (max-bundle, or balanced) bundles,
 * so both end on m-line 0's transport and the other one goes. */
static void
check_balanced_offer_bundled (gboolean answerer_balanced)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  Signaling signaling = { FALSE, NULL, NULL };
  gchar *ufrag0, *ufrag1, *group;

  gst_util_set_object_arg (G_OBJECT (pair->peer[0].bin), "bundle-policy",
      "balanced");
  if (answerer_balanced)
    gst_util_set_object_arg (G_OBJECT (pair->peer[1].bin), "bundle-policy",
        "balanced");
  start (pair, &signaling, 1, 1);
  sec_webrtc_pair_negotiate (pair, 0, NULL);

  ufrag0 = attribute (signaling.offer, 0, "a=ice-ufrag:");
  ufrag1 = attribute (signaling.offer, 1, "a=ice-ufrag:");
  group = attribute (signaling.offer, -1, "a=group:");
  fail_unless (ufrag0 && ufrag1, "%s", signaling.offer);
  fail_if (g_str_equal (ufrag0, ufrag1), "one transport for both kinds:\n%s",
      signaling.offer);
  fail_unless_equals_string (group, "BUNDLE 0 1");
  g_free (ufrag1);
  g_free (group);
  /* one certificate for the bin's transports, as a browser has */
  ufrag1 = attribute (signaling.offer, 0, "a=fingerprint:");
  group = attribute (signaling.offer, 1, "a=fingerprint:");
  fail_unless_equals_string (ufrag1, group);
  g_free (ufrag1);
  g_free (group);
  /* the answer bundles: one transport, the tag's (m-line 0) */
  group = attribute (signaling.answer, -1, "a=group:");
  fail_unless_equals_string (group, "BUNDLE 0 1");
  ufrag1 = attribute (signaling.answer, 1, "a=ice-ufrag:");
  g_free (group);
  group = attribute (signaling.answer, 0, "a=ice-ufrag:");
  fail_unless_equals_string (ufrag1, group);

  check_media_and_security (pair);
  wait_transports (&pair->peer[0], 1);
  wait_transports (&pair->peer[1], 1);
  {
    GstStructure *stats = get_stats (pair->peer[0].bin);
    const GstStructure *entry = stats_entry (stats, "inbound-rtp-1");

    fail_unless (stats_entry (stats, "transport-0") != NULL);
    fail_if (stats_entry (stats, "transport-1") != NULL);
    fail_unless (entry != NULL);
    fail_unless_equals_string (gst_structure_get_string (entry,
            "transportId"), "transport-0");
    gst_structure_free (stats);
  }
  /* the transport left is the one the offer gave m-line 0 */
  {
    gchar *offer = sec_webrtc_peer_create (&pair->peer[0], "offer", NULL,
        NULL);
    gchar *now0 = attribute (offer, 0, "a=ice-ufrag:");
    gchar *now1 = attribute (offer, 1, "a=ice-ufrag:");

    fail_unless_equals_string (now0, ufrag0);
    fail_unless_equals_string (now1, ufrag0);
    g_free (now0);
    g_free (now1);
    g_free (offer);
  }
  g_free (ufrag0);
  g_free (ufrag1);
  g_free (group);
  signaling_clear (&signaling);
  sec_webrtc_pair_free (pair);
}

GST_START_TEST (test_balanced_offer_max_bundle_answer)
{
  check_balanced_offer_bundled (FALSE);
}

GST_END_TEST;

GST_START_TEST (test_balanced_offer_balanced_answer)
{
  check_balanced_offer_bundled (TRUE);
}

GST_END_TEST;

/* A peer that does not bundle (no a=group:BUNDLE in the offer it gets):
 * balanced on both sides gives audio and video a transport each, two ICE
 * transports and two DTLS associations per bin, media both ways on
 * both. */
GST_START_TEST (test_balanced_without_bundle)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  Signaling signaling = { TRUE, NULL, NULL };
  gchar *ufrag0, *ufrag1, *group;
  gint i;

  for (i = 0; i < 2; i++)
    gst_util_set_object_arg (G_OBJECT (pair->peer[i].bin), "bundle-policy",
        "balanced");
  start (pair, &signaling, 1, 1);
  sec_webrtc_pair_negotiate (pair, 0, NULL);

  /* an answer never has a group the offer did not have (RFC 8843 §7.3) */
  group = attribute (signaling.answer, -1, "a=group:");
  fail_unless (group == NULL, "the answer bundles: %s", group);
  ufrag0 = attribute (signaling.answer, 0, "a=ice-ufrag:");
  ufrag1 = attribute (signaling.answer, 1, "a=ice-ufrag:");
  fail_unless (ufrag0 && ufrag1, "%s", signaling.answer);
  fail_if (g_str_equal (ufrag0, ufrag1), "one transport:\n%s",
      signaling.answer);
  fail_if (port_of (signaling.answer, 0) == 0);
  fail_if (port_of (signaling.answer, 1) == 0);

  check_media_and_security (pair);
  for (i = 0; i < 2; i++) {
    fail_unless_equals_int (n_transports (pair->peer[i].bin), 2);
    check_stats_per_transport (&pair->peer[i], 2);
  }
  /* a renegotiation keeps each m-line on its transport */
  sec_webrtc_pair_negotiate (pair, 1, NULL);
  for (i = 0; i < 2; i++) {
    guint video, audio;

    g_mutex_lock (&pair->lock);
    video = pair->peer[i].video_frames;
    audio = pair->peer[i].audio_frames;
    g_mutex_unlock (&pair->lock);
    sec_webrtc_peer_wait_frames (&pair->peer[i], video + FRAMES,
        audio + FRAMES, 10);
    fail_unless_equals_int (n_transports (pair->peer[i].bin), 2);
  }
  g_free (ufrag0);
  g_free (ufrag1);
  signaling_clear (&signaling);
  sec_webrtc_pair_free (pair);
}

GST_END_TEST;

/* Two video m-lines and one audio: in a balanced offer the second video
 * one is bundle-only (port 0, a=bundle-only, no transport of its own);
 * an answerer that bundles takes all three. */
GST_START_TEST (test_balanced_bundle_only)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  Signaling signaling = { FALSE, NULL, NULL };
  gchar *value;

  gst_util_set_object_arg (G_OBJECT (pair->peer[0].bin), "bundle-policy",
      "balanced");
  start (pair, &signaling, 2, 1);
  sec_webrtc_pair_negotiate (pair, 0, NULL);

  /* m-lines: audio 0, video 1, video 2 (the order the pads came) */
  fail_unless_equals_int (port_of (signaling.offer, 2), 0);
  value = attribute (signaling.offer, 2, "a=bundle-only");
  fail_unless (value != NULL, "no a=bundle-only:\n%s", signaling.offer);
  g_free (value);
  value = attribute (signaling.offer, 2, "a=ice-ufrag:");
  fail_unless (value == NULL, "a bundle-only m-line with a transport");
  value = attribute (signaling.offer, -1, "a=group:");
  fail_unless_equals_string (value, "BUNDLE 0 1 2");
  g_free (value);
  fail_if (port_of (signaling.answer, 2) == 0, "rejected:\n%s",
      signaling.answer);

  check_media_and_security (pair);
  wait_transports (&pair->peer[0], 1);
  signaling_clear (&signaling);
  sec_webrtc_pair_free (pair);
}

GST_END_TEST;

/* max-bundle answering an offer that does not bundle: only the first
 * m-line's transport is taken, the video m-line is rejected (port 0) and
 * the call carries audio. */
GST_START_TEST (test_max_bundle_answers_unbundled_offer)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  Signaling signaling = { TRUE, NULL, NULL };
  gchar *group;
  gint i;

  gst_util_set_object_arg (G_OBJECT (pair->peer[0].bin), "bundle-policy",
      "balanced");
  start (pair, &signaling, 1, 1);
  sec_webrtc_pair_negotiate (pair, 0, NULL);
  group = attribute (signaling.answer, -1, "a=group:");
  fail_unless (group == NULL, "the answer bundles: %s", group);
  fail_if (port_of (signaling.answer, 0) == 0);
  fail_unless_equals_int (port_of (signaling.answer, 1), 0);

  sec_webrtc_pair_wait_state (pair, SEC_WEBRTC_PAIR_CONNECTED, 10);
  for (i = 0; i < 2; i++)
    sec_webrtc_peer_wait_frames (&pair->peer[i], 0, FRAMES, 10);
  wait_transports (&pair->peer[0], 1);
  for (i = 0; i < 2; i++) {
    g_mutex_lock (&pair->lock);
    fail_unless_equals_int (pair->peer[i].video_frames, 0);
    g_mutex_unlock (&pair->lock);
  }
  signaling_clear (&signaling);
  sec_webrtc_pair_free (pair);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  guint ends;                   /* "" candidates (one per transport) */
} Gathering;

static void
on_candidate (GstElement * bin, guint mline, const gchar * candidate,
    Gathering * gathering)
{
  (void) bin;
  (void) mline;
  if (candidate == NULL || candidate[0] == '\0') {
    g_mutex_lock (&gathering->lock);
    gathering->ends++;
    g_cond_broadcast (&gathering->cond);
    g_mutex_unlock (&gathering->lock);
  }
}

/* Once every transport of an offer said it finished gathering (its ""
 * candidate), ice-gathering-state is complete, under each policy (the
 * offer's transports gather on 127.0.0.1 and are done almost at once;
 * the state once went back to gathering after that and stayed so until
 * the answer). */
static void
check_gathering_complete (const gchar * policy, guint n_transports)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  Gathering gathering = { 0, };
  gint64 end;
  gchar *offer;
  gint state = -1;

  g_mutex_init (&gathering.lock);
  g_cond_init (&gathering.cond);
  gst_util_set_object_arg (G_OBJECT (pair->peer[0].bin), "bundle-policy",
      policy);
  sec_webrtc_pair_check_plugins ();
  sec_webrtc_peer_add_audio (&pair->peer[0]);
  sec_webrtc_peer_add_video (&pair->peer[0]);
  sec_webrtc_pair_play (pair);
  g_signal_connect (pair->peer[0].bin, "on-ice-candidate",
      G_CALLBACK (on_candidate), &gathering);
  offer = sec_webrtc_peer_create (&pair->peer[0], "offer", NULL, NULL);
  fail_unless (offer != NULL);
  fail_unless (sec_webrtc_peer_set (&pair->peer[0], "local", "offer", offer,
          NULL));
  end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  g_mutex_lock (&gathering.lock);
  while (gathering.ends < n_transports)
    fail_unless (g_cond_wait_until (&gathering.cond, &gathering.lock, end),
        "%u of %u transports finished gathering", gathering.ends,
        n_transports);
  g_mutex_unlock (&gathering.lock);
  end = g_get_monotonic_time () + 2 * G_TIME_SPAN_SECOND;
  do {
    g_object_get (pair->peer[0].bin, "ice-gathering-state", &state, NULL);
    if (state != 2)
      g_usleep (10 * 1000);
  } while (state != 2 && g_get_monotonic_time () < end);
  fail_unless_equals_int (state, 2);    /* complete */
  g_signal_handlers_disconnect_by_data (pair->peer[0].bin, &gathering);
  g_free (offer);
  sec_webrtc_pair_free (pair);
  g_mutex_clear (&gathering.lock);
  g_cond_clear (&gathering.cond);
}

GST_START_TEST (test_gathering_complete_max_bundle)
{
  check_gathering_complete ("max-bundle", 1);
}

GST_END_TEST;

GST_START_TEST (test_gathering_complete_balanced)
{
  check_gathering_complete ("balanced", 2);
}

GST_END_TEST;

static Suite *
secwebrtcbin_bundle_suite (void)
{
  Suite *s = suite_create ("secwebrtcbin-bundle");
  TCase *tc = tcase_create ("bundle-policy");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_balanced_offer_max_bundle_answer);
  tcase_add_test (tc, test_balanced_offer_balanced_answer);
  tcase_add_test (tc, test_balanced_without_bundle);
  tcase_add_test (tc, test_balanced_bundle_only);
  tcase_add_test (tc, test_max_bundle_answers_unbundled_offer);
  tcase_add_test (tc, test_gathering_complete_max_bundle);
  tcase_add_test (tc, test_gathering_complete_balanced);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (secwebrtcbin_bundle);
