/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secsrtpdec through GstHarness: bad input is dropped and counted and
 * nothing it carries goes downstream; the rollover counter across
 * sequence wrap with reordering; the replay window; request-key for
 * per-SSRC keys; several SSRCs on one key; keys are single-use, so a
 * replay never passes after a restart or after the live key is set again.
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

/* ---- keys are single-use: replay protection survives ---- */

static GstMessage *
pop_error (GstBus * bus)
{
  return gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
}

/* Fails unless @msg (consumed) is a RESOURCE/SETTINGS error whose text is
 * @text and whose debug detail contains @detail. */
static void
assert_settings_error (GstMessage * msg, const gchar * text,
    const gchar * detail)
{
  GError *error = NULL;
  gchar *debug = NULL;

  fail_unless (msg != NULL, "expected an error: '%s'", text);
  gst_message_parse_error (msg, &error, &debug);
  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS), "%s", error->message);
  fail_unless_equals_string (error->message, text);
  fail_unless (debug != NULL && strstr (debug, detail) != NULL,
      "'%s' not in '%s'", detail, debug);
  g_clear_error (&error);
  g_free (debug);
  gst_message_unref (msg);
}

/* Takes @e (driven by @h) through READY and back to PLAYING, calling
 * @in_ready in READY, and gives the harness's stream its events again
 * (deactivated pads forget them). Returns the result of going back to
 * PLAYING. */
static GstStateChangeReturn
harness_restart (GstHarness * h, GstElement * e,
    void (*in_ready) (GstElement * e, gpointer data), gpointer data)
{
  GstStateChangeReturn ret;
  GstCaps *caps;

  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  if (in_ready)
    in_ready (e, data);
  ret = gst_element_set_state (e, GST_STATE_PLAYING);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;
  caps = gst_pad_get_current_caps (h->srcpad);
  fail_unless (caps != NULL);
  fail_unless (gst_harness_push_event (h,
          gst_event_new_stream_start ("restarted")));
  gst_harness_set_src_caps (h, caps);
  return ret;
}

static void
set_key_in_ready (GstElement * e, gpointer key)
{
  g_object_set (e, "key", key, NULL);
}

/* Decrypt a packet, replay it (dropped), restart the decoder: its key is
 * gone, the same key again is refused (in READY, the start fails; while
 * PLAYING with wait-for-key, the element keeps no key), and the replay
 * never passes. Under a new key the old packet fails authentication. */
GST_START_TEST (test_replay_after_restart)
{
  SrtpPair *pair = pair_new (FALSE);
  GstBus *bus = gst_bus_new ();
  GstBuffer *key = sec_check_key_new (30, 0x42);
  GstBuffer *new_key = sec_check_key_new (30, 0x43);
  GstBuffer *plain = sec_check_rtp_buffer_new (0x1234, 100, 0, 200);
  GstBuffer *srtp = pair_protect (pair, gst_buffer_ref (plain));
  GstBuffer *out;

  gst_element_set_bus (pair->dec_element, bus);
  out = pair_unprotect (pair, gst_buffer_ref (srtp));
  fail_unless (out != NULL);
  gst_buffer_unref (out);
  assert_dropped (pair, gst_buffer_ref (srtp), "replays-dropped", 1,
      "a replayed packet");

  if (__i__ == 0) {
    /* the old key set again in READY: the start is refused */
    fail_unless_equals_int (harness_restart (pair->dec, pair->dec_element,
            set_key_in_ready, key), GST_STATE_CHANGE_FAILURE);
    assert_settings_error (pop_error (bus), "An SRTP key was used twice.",
        "single-use");
  } else {
    /* wait-for-key: the element starts without a key; the old key set
     * while PLAYING is refused and the replay is dropped as no-key */
    g_object_set (pair->dec_element, "wait-for-key", TRUE, NULL);
    fail_unless_equals_int (harness_restart (pair->dec, pair->dec_element,
            NULL, NULL), GST_STATE_CHANGE_SUCCESS);
    assert_dropped (pair, gst_buffer_ref (srtp), "no-key-dropped", 1,
        "a replay after the restart, before any key");
    g_object_set (pair->dec_element, "key", key, NULL);
    assert_settings_error (pop_error (bus), "An SRTP key was used twice.",
        "single-use");
    assert_dropped (pair, gst_buffer_ref (srtp), "no-key-dropped", 2,
        "a replay after the old key was set again");
  }

  /* a new key: the old packet does not authenticate under it */
  if (__i__ == 0) {
    fail_unless_equals_int (harness_restart (pair->dec, pair->dec_element,
            set_key_in_ready, new_key), GST_STATE_CHANGE_SUCCESS);
  } else {
    g_object_set (pair->dec_element, "key", new_key, NULL);
  }
  fail_unless (pop_error (bus) == NULL);
  assert_dropped (pair, gst_buffer_ref (srtp), "auth-failures", 1,
      "an old packet under a new key");

  gst_element_set_bus (pair->dec_element, NULL);
  gst_object_unref (bus);
  gst_buffer_unref (srtp);
  gst_buffer_unref (plain);
  gst_buffer_unref (key);
  gst_buffer_unref (new_key);
  pair_free (pair);
}

GST_END_TEST;

/* Re-setting the live key, the profile, or both while PLAYING changes
 * nothing: the replay database and rollover counter continue, so a
 * replay is still dropped and the stream goes on. */
GST_START_TEST (test_same_key_while_live_keeps_replay_state)
{
  SrtpPair *pair = pair_new (FALSE);
  GstBus *bus = gst_bus_new ();
  GstBuffer *key = sec_check_key_new (30, 0x42);
  GstBuffer *srtp1, *srtp2, *out;

  gst_element_set_bus (pair->dec_element, bus);
  srtp1 = pair_protect (pair, sec_check_rtp_buffer_new (0x1234, 100, 0, 50));
  srtp2 = pair_protect (pair, sec_check_rtp_buffer_new (0x1234, 101, 0, 50));
  out = pair_unprotect (pair, gst_buffer_ref (srtp1));
  fail_unless (out != NULL);
  gst_buffer_unref (out);

  switch (__i__) {
    case 0:
      g_object_set (pair->dec_element, "key", key, NULL);
      break;
    case 1:
      gst_util_set_object_arg (G_OBJECT (pair->dec_element), "profile",
          "aes128-cm-sha1-80");
      break;
    case 2:
      gst_util_set_object_arg (G_OBJECT (pair->dec_element), "profile",
          "aes128-cm-sha1-80");
      g_object_set (pair->dec_element, "key", key, NULL);
      break;
  }
  fail_unless (pop_error (bus) == NULL, "the same key raised an error");
  assert_dropped (pair, gst_buffer_ref (srtp1), "replays-dropped", 1,
      "a replay after the same key was set again");
  out = pair_unprotect (pair, srtp2);
  fail_unless (out != NULL, "the stream stopped after the same key");
  gst_buffer_unref (out);

  gst_element_set_bus (pair->dec_element, NULL);
  gst_object_unref (bus);
  gst_buffer_unref (srtp1);
  gst_buffer_unref (key);
  pair_free (pair);
}

GST_END_TEST;

typedef struct
{
  GstHarness *hd;
  GstBuffer *nested;            /* pushed from inside the first request */
  guint calls;
} RacingRequests;

static GstCaps *
key_caps_new (gsize len, guint8 seed, const gchar * profile)
{
  GstBuffer *key = sec_check_key_new (len, seed);
  GstCaps *caps = gst_caps_new_simple ("application/x-srtp", "srtp-key",
      GST_TYPE_BUFFER, key, "srtp-profile", G_TYPE_STRING, profile, NULL);

  gst_buffer_unref (key);
  return caps;
}

/* Answers every SSRC with the same key. The first request pushes another
 * packet of the same SSRC from inside the handler, as a second streaming
 * thread (the RTCP pad, say) would while the first waits for its key:
 * that packet gets the key first, then the first request returns it
 * again for an SSRC whose context is now live. */
static GstCaps *
on_request_key_racing (GstElement * dec, guint ssrc, RacingRequests * r)
{
  r->calls++;
  if (r->nested) {
    GstBuffer *nested = r->nested;

    r->nested = NULL;
    fail_unless_equals_int (gst_harness_push (r->hd, nested), GST_FLOW_OK);
  }
  return key_caps_new (30, 0x42, "aes128-cm-sha1-80");
}

/* A request-key answer identical to the SSRC's live key changes nothing:
 * the replay database of that SSRC is not reset. */
GST_START_TEST (test_request_key_same_key_again)
{
  SrtpPair *pair = pair_new (FALSE);
  GstBus *bus = gst_bus_new ();
  RacingRequests r = { 0, };
  GstBuffer *first_srtp, *nested, *plain_a, *plain_b, *out;
  GstElement *dec;
  GstHarness *hd;

  /* a decoder with keys from request-key only */
  dec = sec_check_srtp_element_new ("secsrtpdec", "aes128-cm-sha1-80", NULL);
  gst_element_set_bus (dec, bus);
  g_signal_connect (dec, "request-key", G_CALLBACK (on_request_key_racing),
      &r);
  hd = sec_check_srtp_harness_new (dec, FALSE);
  r.hd = hd;

  plain_a = sec_check_rtp_buffer_new (0xA, 100, 0, 80);
  plain_b = sec_check_rtp_buffer_new (0xA, 101, 0, 80);
  first_srtp = pair_protect (pair, gst_buffer_ref (plain_a));
  nested = pair_protect (pair, gst_buffer_ref (plain_b));
  r.nested = gst_buffer_ref (nested);

  fail_unless_equals_int (gst_harness_push (hd, first_srtp), GST_FLOW_OK);
  fail_unless_equals_int (r.calls, 2);
  fail_unless (pop_error (bus) == NULL, "the same key raised an error");
  /* both came out: the nested one first */
  fail_unless_equals_int (gst_harness_buffers_in_queue (hd), 2);
  out = gst_harness_pull (hd);
  fail_unless (sec_check_buffers_equal (out, plain_b));
  gst_buffer_unref (out);
  out = gst_harness_pull (hd);
  fail_unless (sec_check_buffers_equal (out, plain_a));
  gst_buffer_unref (out);

  /* the nested packet's index is still known: its replay is dropped */
  fail_unless_equals_int (gst_harness_push (hd, nested), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (hd), 0);
  fail_unless_equals_uint64 (sec_check_stat (dec, 0, "replays-dropped"), 1);
  fail_unless_equals_int (r.calls, 2);

  gst_harness_teardown (hd);
  gst_element_set_bus (dec, NULL);
  gst_object_unref (dec);
  gst_object_unref (bus);
  gst_buffer_unref (plain_a);
  gst_buffer_unref (plain_b);
  pair_free (pair);
}

GST_END_TEST;

/* 0xA and 0xB share one key; any other SSRC gets the key of seed 0x55. */
static GstCaps *
on_request_key_shared (GstElement * dec, guint ssrc, gpointer unused)
{
  if (ssrc == 0xA || ssrc == 0xB)
    return key_caps_new (30, 0x42, "aes128-cm-sha1-80");
  return key_caps_new (30, 0x55, "aes128-cm-sha1-80");
}

/* One key for several SSRCs through request-key is fine (the SSRC is part
 * of every IV, RFC 3711 §4.1.1). A key the element used as its common key
 * is not, nor a request-key key as the common key: either would start a
 * second replay database for SSRCs that already had one under that key. */
GST_START_TEST (test_request_key_reuse_rules)
{
  SrtpPair *pair = pair_new (FALSE);
  GstBus *bus = gst_bus_new ();
  GstBuffer *shared_key = sec_check_key_new (30, 0x42);
  GstBuffer *common_key = sec_check_key_new (30, 0x55);
  GstElement *dec;
  GstHarness *hd;

  dec = sec_check_srtp_element_new ("secsrtpdec", "aes128-cm-sha1-80", NULL);
  gst_element_set_bus (dec, bus);
  g_signal_connect (dec, "request-key", G_CALLBACK (on_request_key_shared),
      NULL);
  hd = sec_check_srtp_harness_new (dec, FALSE);

  gst_harness_push (hd, pair_protect (pair,
          sec_check_rtp_buffer_new (0xA, 1, 0, 40)));
  gst_harness_push (hd, pair_protect (pair,
          sec_check_rtp_buffer_new (0xB, 1, 0, 40)));
  fail_unless_equals_int (gst_harness_buffers_in_queue (hd), 2);
  fail_unless (pop_error (bus) == NULL, "one key for two SSRCs refused");
  gst_buffer_unref (gst_harness_pull (hd));
  gst_buffer_unref (gst_harness_pull (hd));

  /* the key of 0xA and 0xB as the common key: refused */
  g_object_set (dec, "key", shared_key, NULL);
  assert_settings_error (pop_error (bus), "An SRTP key was used twice.",
      "single-use");

  /* a common key, set and cleared; then request-key offers it for a new
   * SSRC: refused, and the packet is dropped */
  g_object_set (dec, "key", common_key, NULL);
  fail_unless (pop_error (bus) == NULL);
  g_object_set (dec, "key", NULL, NULL);
  gst_harness_push (hd, pair_protect (pair,
          sec_check_rtp_buffer_new (0xC, 1, 0, 40)));
  fail_unless_equals_int (gst_harness_buffers_in_queue (hd), 0);
  assert_settings_error (pop_error (bus), "An SRTP key was used twice.",
      "single-use");

  gst_harness_teardown (hd);
  gst_element_set_bus (dec, NULL);
  gst_object_unref (dec);
  gst_object_unref (bus);
  gst_buffer_unref (shared_key);
  gst_buffer_unref (common_key);
  pair_free (pair);
}

GST_END_TEST;

/* ---- drops that keep happening are said on the bus ---- */

/* The next WARNING on @bus, or NULL: they are posted synchronously from
 * the streaming thread, which is the test's own under GstHarness. */
static GstMessage *
pop_warning (GstBus * bus)
{
  return gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
}

/* Fails if @text holds any 8 bytes of @key in hex (either case). */
static void
assert_no_key_bytes (const gchar * text, GstBuffer * key)
{
  GstMapInfo map;
  gchar hex[17], upper[17];
  gsize k, j;

  if (text == NULL)
    return;
  gst_buffer_map (key, &map, GST_MAP_READ);
  for (k = 0; k + 8 <= map.size; k++) {
    for (j = 0; j < 8; j++) {
      g_snprintf (hex + 2 * j, 3, "%02x", map.data[k + j]);
      g_snprintf (upper + 2 * j, 3, "%02X", map.data[k + j]);
    }
    fail_if (strstr (text, hex) != NULL, "key bytes in '%s'", text);
    fail_if (strstr (text, upper) != NULL, "key bytes in '%s'", text);
  }
  gst_buffer_unmap (key, &map);
}

/* Fails unless @msg (consumed) is secsrtpdec's warning about drops of
 * @reason ("authentication" or "replay"): STREAM/DECRYPT, a sentence
 * that says what to check (@advice), a debug text with @detail, details
 * with the counts since the last warning (@dropped) and in total, and
 * no byte of @key1 or @key2 anywhere. */
static void
assert_drop_warning (GstMessage * msg, const gchar * reason,
    const gchar * advice, const gchar * detail, guint64 dropped,
    guint64 total, GstBuffer * key1, GstBuffer * key2)
{
  GError *error = NULL;
  gchar *debug = NULL, *details_text;
  const GstStructure *details = NULL;
  guint64 value = 0;

  fail_unless (msg != NULL, "no warning about %s failures on the bus",
      reason);
  gst_message_parse_warning (msg, &error, &debug);
  gst_message_parse_warning_details (msg, &details);
  fail_unless (g_error_matches (error, GST_STREAM_ERROR,
          GST_STREAM_ERROR_DECRYPT), "%s", error->message);
  fail_unless (strstr (error->message, advice) != NULL, "'%s' not in '%s'",
      advice, error->message);
  fail_unless (debug != NULL && strstr (debug, detail) != NULL,
      "'%s' not in '%s'", detail, debug);
  fail_unless (details != NULL, "no details in the warning");
  fail_unless_equals_string (gst_structure_get_string (details, "reason"),
      reason);
  fail_unless (gst_structure_get_uint64 (details, "dropped", &value));
  fail_unless_equals_uint64 (value, dropped);
  fail_unless (gst_structure_get_uint64 (details, "total", &value));
  fail_unless_equals_uint64 (value, total);
  details_text = gst_structure_to_string (details);
  assert_no_key_bytes (error->message, key1);
  assert_no_key_bytes (debug, key1);
  assert_no_key_bytes (details_text, key1);
  assert_no_key_bytes (error->message, key2);
  assert_no_key_bytes (debug, key2);
  assert_no_key_bytes (details_text, key2);
  g_free (details_text);
  g_clear_error (&error);
  g_free (debug);
  gst_message_unref (msg);
}

/* Pushes @n packets of SSRC 7 from seq @seq on, protected under the
 * encoder's key, into the decoder, and checks each is dropped. */
static void
push_undecodable (SrtpPair * pair, guint16 seq, guint n)
{
  guint i;

  for (i = 0; i < n; i++) {
    GstBuffer *srtp = pair_protect (pair, sec_check_rtp_buffer_new (7,
            seq + i, 0, 100));

    fail_unless (pair_unprotect (pair, srtp) == NULL,
        "a packet under another key was delivered");
  }
}

/* A receiver keyed differently from the sender (a mistyped key, another
 * profile): gst-launch users saw nothing but silence. The first failure
 * is a warning at once, then at most one every 5 s of the element's
 * clock, with the counts; the advice names key and profile. */
GST_START_TEST (test_wrong_key_warns)
{
  SrtpPair *pair = pair_new (FALSE);
  GstBuffer *key = sec_check_key_new (30, 0x42);
  GstBuffer *other_key = sec_check_key_new (30, 0x99);
  GstBus *bus = gst_bus_new ();
  GstTestClock *clock;

  gst_element_set_bus (pair->dec_element, bus);
  gst_harness_use_testclock (pair->dec);
  clock = gst_harness_get_testclock (pair->dec);
  gst_test_clock_set_time (clock, 10 * GST_SECOND);
  g_object_set (pair->dec_element, "key", other_key, NULL);

  push_undecodable (pair, 1, 1);
  assert_drop_warning (pop_warning (bus), "authentication",
      "Check that the key and the protection profile match the sender's",
      "no packet has authenticated", 1, 1, key, other_key);
  fail_unless (pop_warning (bus) == NULL);

  /* more failures within 5 s: counted, not said */
  push_undecodable (pair, 2, 9);
  gst_test_clock_advance_time (clock, 5 * GST_SECOND - 1);
  push_undecodable (pair, 11, 1);
  fail_unless (pop_warning (bus) == NULL, "a second warning within 5 s");
  fail_unless_equals_uint64 (sec_check_stat (pair->dec_element, 0,
          "auth-failures"), 11);

  /* 5 s after the first: the next failure is said, with the counts */
  gst_test_clock_advance_time (clock, 1);
  push_undecodable (pair, 12, 1);
  assert_drop_warning (pop_warning (bus), "authentication",
      "Check that the key and the protection profile match the sender's",
      "11 packets failed authentication in the last 5 s", 11, 12, key,
      other_key);
  fail_unless (pop_warning (bus) == NULL);

  gst_element_set_bus (pair->dec_element, NULL);
  gst_object_unref (bus);
  gst_object_unref (clock);
  gst_buffer_unref (key);
  gst_buffer_unref (other_key);
  pair_free (pair);
}

GST_END_TEST;

/* Sender and receiver on different profiles with keys of the same
 * length: every tag fails, as with a wrong key, and the warning names
 * the receiver's profile so it can be compared with the sender's. */
GST_START_TEST (test_wrong_profile_warns)
{
  SrtpPair *pair = pair_new_full ("aes128-cm-sha1-32", 30, FALSE, 0);
  GstBuffer *key = sec_check_key_new (30, 0x42);
  GstBuffer *new_key = sec_check_key_new (30, 0x43);
  GstBus *bus = gst_bus_new ();

  gst_element_set_bus (pair->dec_element, bus);
  gst_util_set_object_arg (G_OBJECT (pair->dec_element), "profile",
      "aes128-cm-sha1-80");
  g_object_set (pair->dec_element, "key", new_key, NULL);
  gst_util_set_object_arg (G_OBJECT (pair->enc_element), "profile",
      "aes128-cm-sha1-32");
  g_object_set (pair->enc_element, "key", new_key, NULL);

  push_undecodable (pair, 1, 3);
  assert_drop_warning (pop_warning (bus), "authentication",
      "Check that the key and the protection profile match the sender's",
      "aes128-cm-sha1-80", 1, 1, key, new_key);
  fail_unless (pop_warning (bus) == NULL);

  gst_element_set_bus (pair->dec_element, NULL);
  gst_object_unref (bus);
  gst_buffer_unref (key);
  gst_buffer_unref (new_key);
  pair_free (pair);
}

GST_END_TEST;

/* A forgery in a stream that authenticates: the key is right, so the
 * warning says what else fails authentication. */
GST_START_TEST (test_forgery_among_good_packets_warns)
{
  SrtpPair *pair = pair_new (FALSE);
  GstBuffer *key = sec_check_key_new (30, 0x42);
  GstBus *bus = gst_bus_new ();
  GstBuffer *srtp, *out;
  guint i;

  gst_element_set_bus (pair->dec_element, bus);
  for (i = 0; i < 5; i++) {
    out = pair_unprotect (pair, pair_protect (pair,
            sec_check_rtp_buffer_new (7, i, 0, 100)));
    fail_unless (out != NULL);
    gst_buffer_unref (out);
  }
  fail_unless (pop_warning (bus) == NULL, "a warning for good packets");
  srtp = pair_protect (pair, sec_check_rtp_buffer_new (7, 5, 0, 100));
  flip_bit (srtp, 40);
  fail_unless (pair_unprotect (pair, srtp) == NULL);
  assert_drop_warning (pop_warning (bus), "authentication",
      "Check that the key and the protection profile match the sender's",
      "5 packets authenticated", 1, 1, key, key);

  gst_element_set_bus (pair->dec_element, NULL);
  gst_object_unref (bus);
  gst_buffer_unref (key);
  pair_free (pair);
}

GST_END_TEST;

/* Replays are normal in small numbers (a duplicating network path) and
 * stay a count; a run of 50 with nothing accepted between them (a
 * sender that restarted under its old key, or old traffic sent again)
 * is a warning, then at most one every 5 s while the run goes on. */
GST_START_TEST (test_replay_flood_warns)
{
  SrtpPair *pair = pair_new (FALSE);
  GstBuffer *key = sec_check_key_new (30, 0x42);
  GstBus *bus = gst_bus_new ();
  GPtrArray *sent = g_ptr_array_new_with_free_func (
      (GDestroyNotify) gst_buffer_unref);
  GstTestClock *clock;
  GstBuffer *out;
  guint i;

  gst_element_set_bus (pair->dec_element, bus);
  gst_harness_use_testclock (pair->dec);
  clock = gst_harness_get_testclock (pair->dec);
  for (i = 0; i < 60; i++) {
    GstBuffer *srtp = pair_protect (pair, sec_check_rtp_buffer_new (7, i, 0,
            100));

    g_ptr_array_add (sent, gst_buffer_ref (srtp));
    out = pair_unprotect (pair, srtp);
    fail_unless (out != NULL);
    gst_buffer_unref (out);
  }

  /* 49 replays in a row, a new packet, 49 again: no warning */
  for (i = 0; i < 49; i++)
    fail_unless (pair_unprotect (pair,
            gst_buffer_ref (g_ptr_array_index (sent, i))) == NULL);
  out = pair_unprotect (pair, pair_protect (pair,
          sec_check_rtp_buffer_new (7, 60, 0, 100)));
  fail_unless (out != NULL);
  gst_buffer_unref (out);
  for (i = 0; i < 49; i++)
    fail_unless (pair_unprotect (pair,
            gst_buffer_ref (g_ptr_array_index (sent, i))) == NULL);
  fail_unless (pop_warning (bus) == NULL, "a warning for sporadic replays");

  /* the 50th of the run */
  fail_unless (pair_unprotect (pair,
          gst_buffer_ref (g_ptr_array_index (sent, 49))) == NULL);
  assert_drop_warning (pop_warning (bus), "replay",
      "Check that the sender uses a new key after each restart",
      "50 packets in a row were replays", 99, 99, key, key);
  fail_unless (pop_warning (bus) == NULL);

  /* the run goes on: said again 5 s later, with the count since */
  for (i = 0; i < 10; i++)
    fail_unless (pair_unprotect (pair,
            gst_buffer_ref (g_ptr_array_index (sent, i))) == NULL);
  fail_unless (pop_warning (bus) == NULL, "a second warning within 5 s");
  gst_test_clock_advance_time (clock, 5 * GST_SECOND);
  fail_unless (pair_unprotect (pair,
          gst_buffer_ref (g_ptr_array_index (sent, 10))) == NULL);
  assert_drop_warning (pop_warning (bus), "replay",
      "Check that the sender uses a new key after each restart",
      "61 packets in a row were replays", 11, 110, key, key);
  fail_unless_equals_uint64 (sec_check_stat (pair->dec_element, 0,
          "replays-dropped"), 110);

  gst_element_set_bus (pair->dec_element, NULL);
  gst_object_unref (bus);
  gst_object_unref (clock);
  g_ptr_array_unref (sent);
  gst_buffer_unref (key);
  pair_free (pair);
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

  tc = tcase_create ("key-reuse");
  tcase_add_loop_test (tc, test_replay_after_restart, 0, 2);
  tcase_add_loop_test (tc, test_same_key_while_live_keeps_replay_state, 0, 3);
  tcase_add_test (tc, test_request_key_same_key_again);
  tcase_add_test (tc, test_request_key_reuse_rules);
  suite_add_tcase (s, tc);

  tc = tcase_create ("warnings");
  tcase_add_test (tc, test_wrong_key_warns);
  tcase_add_test (tc, test_wrong_profile_warns);
  tcase_add_test (tc, test_forgery_among_good_packets_warns);
  tcase_add_test (tc, test_replay_flood_warns);
  suite_add_tcase (s, tc);

  return s;
}

GST_CHECK_MAIN (secsrtpdec);
