/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secsrtpdec through GstHarness: bad input is dropped and counted and
 * nothing it carries goes downstream; the rollover counter across
 * sequence wrap with reordering; the replay window; request-key for
 * per-SSRC keys; several SSRCs on one key.
 */
#include "seccheck.h"

#include <string.h>

typedef struct
{
  GstElement *enc_element, *dec_element;
  GstHarness *enc, *dec;
} SrtpPair;

static SrtpPair *
pair_new_full (const gchar * profile, gsize key_len, gboolean rtcp,
    guint replay_window)
{
  SrtpPair *pair = g_new0 (SrtpPair, 1);
  GstBuffer *key = sec_check_key_new (key_len, 0x42);

  pair->enc_element = sec_check_srtp_element_new ("secsrtpenc", profile, key);
  pair->dec_element = sec_check_srtp_element_new ("secsrtpdec", profile, key);
  if (replay_window)
    g_object_set (pair->dec_element, "replay-window-size", replay_window,
        NULL);
  gst_buffer_unref (key);
  pair->enc = sec_check_srtp_harness_new (pair->enc_element, rtcp);
  pair->dec = sec_check_srtp_harness_new (pair->dec_element, rtcp);
  return pair;
}

static SrtpPair *
pair_new (gboolean rtcp)
{
  return pair_new_full ("aes128-cm-sha1-80", 30, rtcp, 0);
}

static void
pair_free (SrtpPair * pair)
{
  gst_harness_teardown (pair->enc);
  gst_harness_teardown (pair->dec);
  gst_object_unref (pair->enc_element);
  gst_object_unref (pair->dec_element);
  g_free (pair);
}

/* Protects @in (consumed) and returns the SRTP packet. */
static GstBuffer *
pair_protect (SrtpPair * pair, GstBuffer * in)
{
  fail_unless_equals_int (gst_harness_push (pair->enc, in), GST_FLOW_OK);
  return gst_harness_pull (pair->enc);
}

/* Pushes @srtp (consumed) into the decoder; returns what came out or
 * NULL when the packet was dropped. */
static GstBuffer *
pair_unprotect (SrtpPair * pair, GstBuffer * srtp)
{
  fail_unless_equals_int (gst_harness_push (pair->dec, srtp), GST_FLOW_OK);
  if (gst_harness_buffers_in_queue (pair->dec) == 0)
    return NULL;
  return gst_harness_pull (pair->dec);
}

static void
flip_bit (GstBuffer * buf, gsize offset)
{
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  fail_unless (offset < map.size);
  map.data[offset] ^= 0x01;
  gst_buffer_unmap (buf, &map);
}

GST_START_TEST (test_factories_are_ours)
{
  sec_check_factory_is_ours ("secsrtpdec");
  sec_check_factory_is_ours ("secsrtpenc");
  sec_check_factory_absent ("srtpdec");
  sec_check_factory_absent ("srtpenc");
}

GST_END_TEST;

/* Each forgery must be dropped, counted under @counter, and nothing
 * of it may go downstream. */
static void
assert_dropped (SrtpPair * pair, GstBuffer * srtp, const gchar * counter,
    guint64 expected_count, const gchar * what)
{
  GstBuffer *out = pair_unprotect (pair, srtp);

  fail_unless (out == NULL, "%s was delivered downstream", what);
  fail_unless_equals_uint64 (sec_check_stat (pair->dec_element, 0, counter),
      expected_count);
}

GST_START_TEST (test_bad_rtp_dropped_and_counted)
{
  SrtpPair *pair = pair_new (FALSE);
  GstBuffer *good, *bad, *out, *plain;
  gsize size;

  plain = sec_check_rtp_buffer_new (0x1234, 100, 0, 200);
  good = pair_protect (pair, gst_buffer_ref (plain));
  size = gst_buffer_get_size (good);

  /* a flipped bit in the payload, the header, and the tag */
  bad = gst_buffer_copy_deep (good);
  flip_bit (bad, 40);
  assert_dropped (pair, bad, "auth-failures", 1, "a flipped payload bit");
  bad = gst_buffer_copy_deep (good);
  flip_bit (bad, 5);
  assert_dropped (pair, bad, "auth-failures", 2, "a flipped header bit");
  bad = gst_buffer_copy_deep (good);
  flip_bit (bad, size - 1);
  assert_dropped (pair, bad, "auth-failures", 3, "a flipped tag bit");

  /* truncated by one byte: the tag no longer verifies */
  bad = gst_buffer_copy_region (good, GST_BUFFER_COPY_ALL, 0, size - 1);
  assert_dropped (pair, bad, "auth-failures", 4, "a truncated packet");

  /* shorter than an RTP header */
  bad = gst_buffer_copy_region (good, GST_BUFFER_COPY_ALL, 0, 8);
  assert_dropped (pair, bad, "malformed-dropped", 1, "an 8-byte packet");
  bad = gst_buffer_new ();
  assert_dropped (pair, bad, "malformed-dropped", 2, "an empty buffer");

  /* the genuine packet goes through, once */
  out = pair_unprotect (pair, gst_buffer_ref (good));
  fail_unless (out != NULL);
  fail_unless (sec_check_buffers_equal (out, plain));
  gst_buffer_unref (out);

  /* and its replay does not */
  assert_dropped (pair, gst_buffer_ref (good), "replays-dropped", 1,
      "a replayed packet");
  fail_unless_equals_uint64 (sec_check_stat (pair->dec_element, 0x1234,
          "replays-dropped"), 1);
  fail_unless_equals_uint64 (sec_check_stat (pair->dec_element, 0x1234,
          "rtp-packets-unprotected"), 1);

  gst_buffer_unref (good);
  gst_buffer_unref (plain);
  pair_free (pair);
}

GST_END_TEST;

GST_START_TEST (test_wrong_key_dropped)
{
  SrtpPair *pair = pair_new (FALSE);
  GstBuffer *other_key = sec_check_key_new (30, 0x99);
  guint i;

  g_object_set (pair->dec_element, "key", other_key, NULL);
  gst_buffer_unref (other_key);
  for (i = 0; i < 10; i++) {
    GstBuffer *srtp = pair_protect (pair, sec_check_rtp_buffer_new (7, i, 0,
            100));
    assert_dropped (pair, srtp, "auth-failures", i + 1,
        "a packet under another key");
  }
  fail_unless_equals_uint64 (sec_check_stat (pair->dec_element, 0,
          "packets-unprotected"), 0);
  pair_free (pair);
}

GST_END_TEST;

GST_START_TEST (test_bad_rtcp_dropped_and_counted)
{
  SrtpPair *pair = pair_new (TRUE);
  GstBuffer *plain = sec_check_rtcp_buffer_new (0x4321);
  GstBuffer *good = pair_protect (pair, gst_buffer_ref (plain));
  GstBuffer *bad, *out;
  gsize size = gst_buffer_get_size (good);

  bad = gst_buffer_copy_deep (good);
  flip_bit (bad, 12);
  assert_dropped (pair, bad, "auth-failures", 1, "a flipped SRTCP bit");
  bad = gst_buffer_copy_region (good, GST_BUFFER_COPY_ALL, 0, size - 3);
  assert_dropped (pair, bad, "auth-failures", 2, "a truncated SRTCP packet");
  bad = gst_buffer_copy_region (good, GST_BUFFER_COPY_ALL, 0, 6);
  assert_dropped (pair, bad, "malformed-dropped", 1, "a 6-byte SRTCP packet");

  out = pair_unprotect (pair, gst_buffer_ref (good));
  fail_unless (out != NULL);
  fail_unless (sec_check_buffers_equal (out, plain));
  gst_buffer_unref (out);
  assert_dropped (pair, good, "replays-dropped", 1, "a replayed SRTCP packet");
  gst_buffer_unref (plain);
  pair_free (pair);
}

GST_END_TEST;

/* A list with forgeries in it: only the genuine packets come out, as a
 * list, in order. */
GST_START_TEST (test_list_with_forgeries)
{
  SrtpPair *pair = pair_new (FALSE);
  GstBufferList *list = gst_buffer_list_new ();
  GstBuffer *plains[32];
  guint i, n_out = 0;

  for (i = 0; i < 32; i++) {
    GstBuffer *srtp;

    plains[i] = sec_check_rtp_buffer_new (0x31, 500 + i, 0, 300);
    srtp = pair_protect (pair, gst_buffer_ref (plains[i]));
    if (i % 4 == 1)
      flip_bit (srtp, 50);
    gst_buffer_list_add (list, srtp);
  }
  fail_unless_equals_int (gst_pad_push_list (pair->dec->srcpad, list),
      GST_FLOW_OK);
  for (i = 0; i < 32; i++) {
    GstBuffer *out;

    if (i % 4 == 1)
      continue;
    out = gst_harness_pull (pair->dec);
    fail_unless (sec_check_buffers_equal (out, plains[i]),
        "packet %u differs", i);
    gst_buffer_unref (out);
    n_out++;
  }
  fail_unless_equals_int (gst_harness_buffers_in_queue (pair->dec), 0);
  fail_unless_equals_int (n_out, 24);
  fail_unless_equals_uint64 (sec_check_stat (pair->dec_element, 0,
          "auth-failures"), 8);
  for (i = 0; i < 32; i++)
    gst_buffer_unref (plains[i]);
  pair_free (pair);
}

GST_END_TEST;

/* RFC 3711 §3.3.1: the receiver guesses the rollover counter from the
 * sequence number; packets reordered around the 16-bit wrap must all
 * decrypt, once each. */
GST_START_TEST (test_rollover_with_reordering)
{
  SrtpPair *pair = pair_new_full ("aead-aes-128-gcm", 28, FALSE, 0);
  const guint first_seq = 65520, count = 40;
  GstBuffer *srtp[40], *plain[40];
  /* delivery order: mostly in order, with swaps across the wrap */
  guint order[40];
  guint i;

  for (i = 0; i < count; i++) {
    plain[i] = sec_check_rtp_buffer_new (0x77, (guint16) (first_seq + i),
        i * 90, 100 + i);
    srtp[i] = pair_protect (pair, gst_buffer_ref (plain[i]));
    order[i] = i;
  }
  /* 65534 after 0, 65535 after 2, 1 before 65533 */
  order[14] = 16;
  order[16] = 14;
  order[15] = 18;
  order[18] = 15;
  order[13] = 17;
  order[17] = 13;

  for (i = 0; i < count; i++) {
    guint k = order[i];
    GstBuffer *out = pair_unprotect (pair, gst_buffer_ref (srtp[k]));

    fail_unless (out != NULL, "packet with seq %u (delivered %u-th) dropped",
        (first_seq + k) & 0xffff, i);
    fail_unless (sec_check_buffers_equal (out, plain[k]));
    gst_buffer_unref (out);
  }
  /* and none a second time */
  for (i = 10; i < 25; i++)
    fail_unless (pair_unprotect (pair, gst_buffer_ref (srtp[i])) == NULL);
  fail_unless_equals_uint64 (sec_check_stat (pair->dec_element, 0,
          "replays-dropped"), 15);

  for (i = 0; i < count; i++) {
    gst_buffer_unref (srtp[i]);
    gst_buffer_unref (plain[i]);
  }
  pair_free (pair);
}

GST_END_TEST;

GST_START_TEST (test_replay_window)
{
  SrtpPair *pair = pair_new_full ("aes128-cm-sha1-80", 30, FALSE, 64);
  GstBuffer *srtp[200];
  GstBuffer *out;
  guint i, window;

  g_object_get (pair->dec_element, "replay-window-size", &window, NULL);
  fail_unless_equals_int (window, 64);
  for (i = 0; i < 200; i++)
    srtp[i] = pair_protect (pair, sec_check_rtp_buffer_new (5, 1000 + i, 0,
            20));

  out = pair_unprotect (pair, gst_buffer_ref (srtp[199]));
  fail_unless (out != NULL);
  gst_buffer_unref (out);
  /* 50 behind the newest: inside the window, accepted once */
  out = pair_unprotect (pair, gst_buffer_ref (srtp[149]));
  fail_unless (out != NULL, "a reordered packet inside the window dropped");
  gst_buffer_unref (out);
  fail_unless (pair_unprotect (pair, gst_buffer_ref (srtp[149])) == NULL);
  /* 100 behind: older than the window, dropped as a replay */
  fail_unless (pair_unprotect (pair, gst_buffer_ref (srtp[99])) == NULL);
  fail_unless_equals_uint64 (sec_check_stat (pair->dec_element, 0,
          "replays-dropped"), 2);

  for (i = 0; i < 200; i++)
    gst_buffer_unref (srtp[i]);
  pair_free (pair);
}

GST_END_TEST;

GST_START_TEST (test_new_ssrcs_on_one_key)
{
  SrtpPair *pair = pair_new (FALSE);
  guint i;

  for (i = 0; i < 60; i++) {
    guint32 ssrc = 0x100 + i % 3;
    GstBuffer *plain = sec_check_rtp_buffer_new (ssrc, i / 3, 0, 64);
    GstBuffer *out = pair_unprotect (pair, pair_protect (pair,
            gst_buffer_ref (plain)));

    fail_unless (out != NULL);
    fail_unless (sec_check_buffers_equal (out, plain));
    gst_buffer_unref (out);
    gst_buffer_unref (plain);
  }
  for (i = 0; i < 3; i++)
    fail_unless_equals_uint64 (sec_check_stat (pair->dec_element, 0x100 + i,
            "rtp-packets-unprotected"), 20);
  pair_free (pair);
}

GST_END_TEST;

typedef struct
{
  guint calls[4];
} KeyRequests;

/* SSRC 0xA gets a GCM-256 key, 0xB a CM-32 key, anything else none. */
static GstCaps *
on_request_key (GstElement * dec, guint ssrc, KeyRequests * requests)
{
  GstBuffer *key;
  GstCaps *caps;

  if (ssrc == 0xA) {
    requests->calls[0]++;
    key = sec_check_key_new (44, 0xA0);
    caps = gst_caps_new_simple ("application/x-srtp", "srtp-key",
        GST_TYPE_BUFFER, key, "srtp-profile", G_TYPE_STRING,
        "aead-aes-256-gcm", NULL);
  } else if (ssrc == 0xB) {
    requests->calls[1]++;
    key = sec_check_key_new (30, 0xB0);
    /* the DTLS-SRTP name is accepted too */
    caps = gst_caps_new_simple ("application/x-srtp", "srtp-key",
        GST_TYPE_BUFFER, key, "srtp-profile", G_TYPE_STRING,
        "SRTP_AES128_CM_HMAC_SHA1_32", NULL);
  } else {
    requests->calls[2]++;
    return NULL;
  }
  gst_buffer_unref (key);
  return caps;
}

static GstHarness *
enc_harness_for (const gchar * profile, gsize key_len, guint8 seed,
    GstElement ** element)
{
  GstBuffer *key = sec_check_key_new (key_len, seed);

  *element = sec_check_srtp_element_new ("secsrtpenc", profile, key);
  gst_buffer_unref (key);
  return sec_check_srtp_harness_new (*element, FALSE);
}

GST_START_TEST (test_request_key_per_ssrc)
{
  GstElement *enc_a, *enc_b, *enc_c, *dec;
  GstHarness *ha, *hb, *hc, *hd;
  KeyRequests requests = { {0,} };
  guint i;

  ha = enc_harness_for ("aead-aes-256-gcm", 44, 0xA0, &enc_a);
  hb = enc_harness_for ("aes128-cm-sha1-32", 30, 0xB0, &enc_b);
  hc = enc_harness_for ("aes128-cm-sha1-80", 30, 0xC0, &enc_c);

  /* no common key: keys come only from request-key */
  dec = sec_check_srtp_element_new ("secsrtpdec", "aes128-cm-sha1-80", NULL);
  g_signal_connect (dec, "request-key", G_CALLBACK (on_request_key),
      &requests);
  hd = sec_check_srtp_harness_new (dec, FALSE);

  for (i = 0; i < 10; i++) {
    GstBuffer *pa = sec_check_rtp_buffer_new (0xA, i, 0, 100);
    GstBuffer *pb = sec_check_rtp_buffer_new (0xB, i, 0, 100);
    GstBuffer *out;

    gst_harness_push (ha, gst_buffer_ref (pa));
    gst_harness_push (hd, gst_harness_pull (ha));
    out = gst_harness_pull (hd);
    fail_unless (sec_check_buffers_equal (out, pa));
    gst_buffer_unref (out);

    gst_harness_push (hb, gst_buffer_ref (pb));
    gst_harness_push (hd, gst_harness_pull (hb));
    out = gst_harness_pull (hd);
    fail_unless (sec_check_buffers_equal (out, pb));
    gst_buffer_unref (out);

    /* an SSRC the application has no key for is dropped */
    gst_harness_push (hc, sec_check_rtp_buffer_new (0xC, i, 0, 100));
    gst_harness_push (hd, gst_harness_pull (hc));
    fail_unless_equals_int (gst_harness_buffers_in_queue (hd), 0);

    gst_buffer_unref (pa);
    gst_buffer_unref (pb);
  }
  /* asked once per keyed SSRC, and each time for the unkeyed one */
  fail_unless_equals_int (requests.calls[0], 1);
  fail_unless_equals_int (requests.calls[1], 1);
  fail_unless_equals_int (requests.calls[2], 10);
  fail_unless_equals_uint64 (sec_check_stat (dec, 0, "no-key-dropped"), 10);
  fail_unless_equals_uint64 (sec_check_stat (dec, 0, "packets-unprotected"),
      20);

  gst_harness_teardown (ha);
  gst_harness_teardown (hb);
  gst_harness_teardown (hc);
  gst_harness_teardown (hd);
  gst_object_unref (enc_a);
  gst_object_unref (enc_b);
  gst_object_unref (enc_c);
  gst_object_unref (dec);
}

GST_END_TEST;

static GstCaps *
on_request_bad_key (GstElement * dec, guint ssrc, gpointer unused)
{
  GstBuffer *key = sec_check_key_new (16, 0);
  GstCaps *caps = gst_caps_new_simple ("application/x-srtp", "srtp-key",
      GST_TYPE_BUFFER, key, "srtp-profile", G_TYPE_STRING,
      "aead-aes-128-gcm", NULL);

  gst_buffer_unref (key);
  return caps;
}

GST_START_TEST (test_request_key_wrong_length_is_error)
{
  GstElement *enc, *dec;
  GstHarness *he, *hd;
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *error = NULL;
  gchar *debug = NULL;

  he = enc_harness_for ("aead-aes-128-gcm", 28, 1, &enc);
  dec = sec_check_srtp_element_new ("secsrtpdec", "aes128-cm-sha1-80", NULL);
  gst_element_set_bus (dec, bus);
  g_signal_connect (dec, "request-key", G_CALLBACK (on_request_bad_key),
      NULL);
  hd = sec_check_srtp_harness_new (dec, FALSE);

  gst_harness_push (he, sec_check_rtp_buffer_new (3, 1, 0, 10));
  gst_harness_push (hd, gst_harness_pull (he));
  fail_unless_equals_int (gst_harness_buffers_in_queue (hd), 0);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &error, &debug);
  fail_unless (strstr (debug, "28-byte key") != NULL, "%s", debug);
  fail_unless (strstr (debug, "16 bytes") != NULL, "%s", debug);
  g_clear_error (&error);
  g_free (debug);
  gst_message_unref (msg);

  gst_harness_teardown (he);
  gst_harness_teardown (hd);
  gst_element_set_bus (dec, NULL);
  gst_object_unref (bus);
  gst_object_unref (enc);
  gst_object_unref (dec);
}

GST_END_TEST;

static Suite *
secsrtpdec_suite (void)
{
  Suite *s = suite_create ("secsrtpdec");
  TCase *tc;

  tc = tcase_create ("isolation");
  tcase_add_test (tc, test_factories_are_ours);
  suite_add_tcase (s, tc);

  tc = tcase_create ("bad-input");
  tcase_add_test (tc, test_bad_rtp_dropped_and_counted);
  tcase_add_test (tc, test_bad_rtcp_dropped_and_counted);
  tcase_add_test (tc, test_wrong_key_dropped);
  tcase_add_test (tc, test_list_with_forgeries);
  suite_add_tcase (s, tc);

  tc = tcase_create ("index");
  tcase_add_test (tc, test_rollover_with_reordering);
  tcase_add_test (tc, test_replay_window);
  suite_add_tcase (s, tc);

  tc = tcase_create ("keys");
  tcase_add_test (tc, test_new_ssrcs_on_one_key);
  tcase_add_test (tc, test_request_key_per_ssrc);
  tcase_add_test (tc, test_request_key_wrong_length_is_error);
  suite_add_tcase (s, tc);

  return s;
}

GST_CHECK_MAIN (secsrtpdec);
