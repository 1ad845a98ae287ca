/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secsrtpenc through GstHarness: round trips with secsrtpdec for every
 * profile, buffer lists, shared (non-writable) buffers, protection in
 * place, caps, key errors at start, key lifetime signals, stats; keys
 * are single-use (no keystream reuse after re-setting profile or key or
 * after a restart) and a re-key to another profile is one step.
 */
#include "seccheck.h"

#include <string.h>

/* Room after a packet for any trailer (SEC_SRTP_MAX_TRAILER_LEN). */
#define SEC_SRTP_TEST_ROOM 20

typedef struct
{
  const gchar *profile;
  gsize key_len;
  guint rtp_trailer;
  guint rtcp_trailer;
} ProfileCase;

static const ProfileCase profile_cases[] = {
  {"aes128-cm-sha1-80", 30, 10, 14},
  {"aes128-cm-sha1-32", 30, 4, 14},
  {"aead-aes-128-gcm", 28, 16, 20},
  {"aead-aes-256-gcm", 44, 16, 20},
};

/* A protecting and a verifying harness sharing one key. */
typedef struct
{
  GstElement *enc_element, *dec_element;
  GstHarness *enc, *dec;
} SrtpPair;

static SrtpPair *
pair_new (const ProfileCase * pc, gboolean rtcp)
{
  SrtpPair *pair = g_new0 (SrtpPair, 1);
  GstBuffer *key = sec_check_key_new (pc->key_len, 0x42);

  pair->enc_element =
      sec_check_srtp_element_new ("secsrtpenc", pc->profile, key);
  pair->dec_element =
      sec_check_srtp_element_new ("secsrtpdec", pc->profile, key);
  gst_buffer_unref (key);
  pair->enc = sec_check_srtp_harness_new (pair->enc_element, rtcp);
  pair->dec = sec_check_srtp_harness_new (pair->dec_element, rtcp);
  return pair;
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

/* Protects @in (not consumed), checks the ciphertext's shape, verifies it
 * back and checks the plaintext is @in byte for byte. */
static void
pair_roundtrip_one (SrtpPair * pair, GstBuffer * in, guint trailer)
{
  GstBuffer *protected, *out;
  GstMapInfo min, mprot;

  fail_unless_equals_int (gst_harness_push (pair->enc, gst_buffer_copy (in)),
      GST_FLOW_OK);
  protected = gst_harness_pull (pair->enc);
  fail_unless (protected != NULL);
  fail_unless_equals_int (gst_buffer_get_size (protected),
      gst_buffer_get_size (in) + trailer);

  gst_buffer_map (in, &min, GST_MAP_READ);
  gst_buffer_map (protected, &mprot, GST_MAP_READ);
  /* the header stays in clear (RTP 12 bytes, RTCP first 8) */
  fail_unless (memcmp (min.data, mprot.data, 8) == 0);
  /* ... and the payload does not */
  fail_if (memcmp (min.data + 12, mprot.data + 12, min.size - 12) == 0,
      "payload left the encoder in clear");
  gst_buffer_unmap (in, &min);
  gst_buffer_unmap (protected, &mprot);

  fail_unless_equals_int (gst_harness_push (pair->dec, protected),
      GST_FLOW_OK);
  out = gst_harness_pull (pair->dec);
  fail_unless (out != NULL);
  fail_unless (sec_check_buffers_equal (in, out),
      "decrypted packet differs from the original");
  gst_buffer_unref (out);
}

GST_START_TEST (test_factories_are_ours)
{
  sec_check_factory_is_ours ("secsrtpenc");
  sec_check_factory_is_ours ("secsrtpdec");
  /* the same-purpose system elements must be out of the process */
  sec_check_factory_absent ("srtpenc");
  sec_check_factory_absent ("srtpdec");
  sec_check_factory_absent ("dtlsenc");
  sec_check_factory_absent ("webrtcbin");
  sec_check_factory_absent ("nicesrc");
}

GST_END_TEST;

GST_START_TEST (test_roundtrip_rtp)
{
  const ProfileCase *pc = &profile_cases[__i__];
  SrtpPair *pair = pair_new (pc, FALSE);
  guint16 seq;

  for (seq = 1000; seq < 1050; seq++) {
    GstBuffer *in = sec_check_rtp_buffer_new (0x11223344, seq, seq * 3000,
        1 + (seq * 37) % 1188);

    pair_roundtrip_one (pair, in, pc->rtp_trailer);
    gst_buffer_unref (in);
  }
  fail_unless_equals_uint64 (sec_check_stat (pair->enc_element, 0,
          "packets-protected"), 50);
  fail_unless_equals_uint64 (sec_check_stat (pair->dec_element, 0x11223344,
          "rtp-packets-unprotected"), 50);
  pair_free (pair);
}

GST_END_TEST;

GST_START_TEST (test_roundtrip_rtcp)
{
  const ProfileCase *pc = &profile_cases[__i__];
  SrtpPair *pair = pair_new (pc, TRUE);
  guint i;

  for (i = 0; i < 20; i++) {
    GstBuffer *in = sec_check_rtcp_buffer_new (0xcafe0000 + i % 3);

    pair_roundtrip_one (pair, in, pc->rtcp_trailer);
    gst_buffer_unref (in);
  }
  fail_unless_equals_uint64 (sec_check_stat (pair->dec_element, 0xcafe0001,
          "rtcp-packets-unprotected"), 7);
  pair_free (pair);
}

GST_END_TEST;

static GstBufferList *
rtp_list_new (guint32 ssrc, guint16 first_seq, guint n, gsize payload)
{
  GstBufferList *list = gst_buffer_list_new_sized (n);
  guint i;

  for (i = 0; i < n; i++)
    gst_buffer_list_add (list, sec_check_rtp_buffer_new (ssrc,
            first_seq + i, 0, payload));
  return list;
}

GST_START_TEST (test_roundtrip_lists)
{
  const ProfileCase *pc = &profile_cases[__i__];
  SrtpPair *pair = pair_new (pc, FALSE);
  GstBufferList *list = rtp_list_new (0x5555, 7, 32, 1188);
  GstBufferList *copy = gst_buffer_list_copy_deep (list);
  guint i;

  /* the harness forwards lists as lists to its sink pad's chain; our
   * element must push them on as one list too */
  fail_unless_equals_int (gst_pad_push_list (pair->enc->srcpad, list),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (pair->enc), 32);
  list = gst_buffer_list_new_sized (32);
  for (i = 0; i < 32; i++) {
    GstBuffer *b = gst_harness_pull (pair->enc);

    fail_unless_equals_int (gst_buffer_get_size (b), 12 + 1188 +
        pc->rtp_trailer);
    gst_buffer_list_add (list, b);
  }
  fail_unless_equals_int (gst_pad_push_list (pair->dec->srcpad, list),
      GST_FLOW_OK);
  for (i = 0; i < 32; i++) {
    GstBuffer *b = gst_harness_pull (pair->dec);

    fail_unless (sec_check_buffers_equal (b, gst_buffer_list_get (copy, i)),
        "packet %u of the list differs after the round trip", i);
    gst_buffer_unref (b);
  }
  gst_buffer_list_unref (copy);
  pair_free (pair);
}

GST_END_TEST;

/* A buffer shared with another branch (as after a tee) is not writable:
 * the other holder must still see its original bytes, on both sides. */
GST_START_TEST (test_shared_buffers_untouched)
{
  const ProfileCase *pc = &profile_cases[__i__];
  SrtpPair *pair = pair_new (pc, FALSE);
  GstBuffer *in = sec_check_rtp_buffer_new (0x77, 1, 0, 600);
  GstBuffer *pristine = gst_buffer_copy_deep (in);
  GstBuffer *protected, *protected_copy, *out;

  fail_unless_equals_int (gst_harness_push (pair->enc, gst_buffer_ref (in)),
      GST_FLOW_OK);
  protected = gst_harness_pull (pair->enc);
  fail_unless (sec_check_buffers_equal (in, pristine),
      "secsrtpenc modified a buffer it did not own");

  protected_copy = gst_buffer_copy_deep (protected);
  fail_unless_equals_int (gst_harness_push (pair->dec,
          gst_buffer_ref (protected)), GST_FLOW_OK);
  out = gst_harness_pull (pair->dec);
  fail_unless (sec_check_buffers_equal (out, pristine));
  fail_unless (sec_check_buffers_equal (protected, protected_copy),
      "secsrtpdec modified a buffer it did not own");

  /* the same through a list of shared buffers */
  {
    GstBufferList *list = gst_buffer_list_new ();
    GstBuffer *in2 = sec_check_rtp_buffer_new (0x77, 2, 0, 600);
    GstBuffer *pristine2 = gst_buffer_copy_deep (in2);
    GstBuffer *p2;

    gst_buffer_list_add (list, gst_buffer_ref (in2));
    fail_unless_equals_int (gst_pad_push_list (pair->enc->srcpad, list),
        GST_FLOW_OK);
    p2 = gst_harness_pull (pair->enc);
    fail_unless (sec_check_buffers_equal (in2, pristine2));
    gst_buffer_unref (p2);
    gst_buffer_unref (in2);
    gst_buffer_unref (pristine2);
  }

  gst_buffer_unref (out);
  gst_buffer_unref (protected);
  gst_buffer_unref (protected_copy);
  gst_buffer_unref (in);
  gst_buffer_unref (pristine);
  pair_free (pair);
}

GST_END_TEST;

/* With room after the packet (which the allocation query asks upstream
 * for), the packet is protected where it lies: no copy. */
GST_START_TEST (test_protect_in_place)
{
  const ProfileCase *pc = &profile_cases[__i__];
  SrtpPair *pair = pair_new (pc, FALSE);
  GstAllocationParams params;
  GstBuffer *tmpl = sec_check_rtp_buffer_new (0x99, 5, 0, 1188);
  GstBuffer *in, *out;
  GstMapInfo map;
  guint8 *data_in;
  GstQuery *query;
  GstCaps *caps;
  guint i, n;
  gboolean has_padding = FALSE;

  /* the element asks for at least 20 bytes of padding */
  caps = gst_caps_new_empty_simple ("application/x-rtp");
  query = gst_query_new_allocation (caps, TRUE);
  gst_caps_unref (caps);
  fail_unless (gst_pad_peer_query (pair->enc->srcpad, query));
  n = gst_query_get_n_allocation_params (query);
  for (i = 0; i < n; i++) {
    gst_query_parse_nth_allocation_param (query, i, NULL, &params);
    if (params.padding >= 20)
      has_padding = TRUE;
  }
  fail_unless (has_padding, "no padding asked for in the allocation query");
  gst_query_unref (query);

  gst_allocation_params_init (&params);
  params.padding = 20;
  in = gst_buffer_new_allocate (NULL, gst_buffer_get_size (tmpl), &params);
  gst_buffer_map (in, &map, GST_MAP_WRITE);
  gst_buffer_extract (tmpl, 0, map.data, map.size);
  data_in = map.data;
  gst_buffer_unmap (in, &map);

  fail_unless_equals_int (gst_harness_push (pair->enc, in), GST_FLOW_OK);
  out = gst_harness_pull (pair->enc);
  gst_buffer_map (out, &map, GST_MAP_READ);
  fail_unless (map.data == data_in, "the packet was copied, not protected "
      "in place");
  gst_buffer_unmap (out, &map);

  fail_unless_equals_int (gst_harness_push (pair->dec, out), GST_FLOW_OK);
  out = gst_harness_pull (pair->dec);
  fail_unless (sec_check_buffers_equal (out, tmpl));
  gst_buffer_unref (out);
  gst_buffer_unref (tmpl);
  pair_free (pair);
}

GST_END_TEST;

/* @tmpl's bytes in a new buffer whose memory has @room bytes free after
 * them, as from an upstream that honours the allocation query. */
static GstBuffer *
buffer_with_room (GstBuffer * tmpl, gsize room)
{
  GstAllocationParams params;
  GstBuffer *buf;
  GstMapInfo map;

  gst_allocation_params_init (&params);
  params.padding = room;
  buf = gst_buffer_new_allocate (NULL, gst_buffer_get_size (tmpl), &params);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  gst_buffer_extract (tmpl, 0, map.data, map.size);
  gst_buffer_unmap (buf, &map);
  return buf;
}

/* @tmpl's bytes in a new buffer whose memory ends right after them. */
static GstBuffer *
buffer_without_room (GstBuffer * tmpl)
{
  gsize size = gst_buffer_get_size (tmpl);
  guint8 *data = g_malloc (size);
  GstBuffer *buf;
  gsize maxsize;

  gst_buffer_extract (tmpl, 0, data, size);
  buf = gst_buffer_new_wrapped (data, size);
  gst_memory_get_sizes (gst_buffer_peek_memory (buf, 0), NULL, &maxsize);
  fail_unless_equals_int (maxsize, size);
  return buf;
}

/* Loop index: profile, then RTP or RTCP. */
#define N_PROFILE_RTP_RTCP (G_N_ELEMENTS (profile_cases) * 2)

/* Protection in place and into a copy give the same bytes: two encoders
 * with the same key get the same packet, one with room after it, one
 * without; then each decoder takes back its own. */
GST_START_TEST (test_in_place_same_bytes_as_copy)
{
  const ProfileCase *pc = &profile_cases[__i__ / 2];
  gboolean rtcp = __i__ % 2;
  guint trailer = rtcp ? pc->rtcp_trailer : pc->rtp_trailer;
  SrtpPair *in_place = pair_new (pc, rtcp);
  SrtpPair *copied = pair_new (pc, rtcp);
  GstBuffer *tmpl = rtcp ? sec_check_rtcp_buffer_new (0x99) :
      sec_check_rtp_buffer_new (0x99, 7, 0, 1188);
  GstBuffer *with_room = buffer_with_room (tmpl, SEC_SRTP_TEST_ROOM);
  GstBuffer *without_room = buffer_without_room (tmpl);
  GstBuffer *out_in_place, *out_copied, *out;
  GstMapInfo map;
  guint8 *data_with_room, *data_without_room;

  gst_buffer_map (with_room, &map, GST_MAP_READ);
  data_with_room = map.data;
  gst_buffer_unmap (with_room, &map);
  gst_buffer_map (without_room, &map, GST_MAP_READ);
  data_without_room = map.data;
  gst_buffer_unmap (without_room, &map);

  fail_unless_equals_int (gst_harness_push (in_place->enc, with_room),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (copied->enc, without_room),
      GST_FLOW_OK);
  out_in_place = gst_harness_pull (in_place->enc);
  out_copied = gst_harness_pull (copied->enc);

  gst_buffer_map (out_in_place, &map, GST_MAP_READ);
  fail_unless (map.data == data_with_room, "not protected in place");
  gst_buffer_unmap (out_in_place, &map);
  gst_buffer_map (out_copied, &map, GST_MAP_READ);
  fail_if (map.data == data_without_room, "no room, yet not copied");
  gst_buffer_unmap (out_copied, &map);

  fail_unless_equals_int (gst_buffer_get_size (out_in_place),
      gst_buffer_get_size (tmpl) + trailer);
  fail_unless (sec_check_buffers_equal (out_in_place, out_copied),
      "protected in place and into a copy, the bytes differ");

  fail_unless_equals_int (gst_harness_push (in_place->dec, out_in_place),
      GST_FLOW_OK);
  out = gst_harness_pull (in_place->dec);
  fail_unless (sec_check_buffers_equal (out, tmpl));
  gst_buffer_unref (out);
  fail_unless_equals_int (gst_harness_push (copied->dec, out_copied),
      GST_FLOW_OK);
  out = gst_harness_pull (copied->dec);
  fail_unless (sec_check_buffers_equal (out, tmpl));
  gst_buffer_unref (out);

  gst_buffer_unref (tmpl);
  pair_free (in_place);
  pair_free (copied);
}

GST_END_TEST;

/* How a packet with room after it can still belong to someone else. */
typedef enum
{
  SHARE_BUFFER_REF,             /* the buffer itself, as after a tee */
  SHARE_MEMORY,                 /* its memory, by a shallow copy */
  SHARE_READONLY_MEMORY,        /* memory flagged read-only */
  SHARE_N
} ShareMode;

/* A packet (@tmpl's bytes) with room for the trailer that another holder
 * still sees: @keep gets a reference to its memory, and for SHARE_MEMORY
 * @other is a second buffer holding the same memory. */
static GstBuffer *
shared_buffer_with_room (GstBuffer * tmpl, ShareMode mode, GstMemory ** keep,
    GstBuffer ** other)
{
  GstBuffer *buf;

  if (mode == SHARE_READONLY_MEMORY) {
    gsize size = gst_buffer_get_size (tmpl);
    guint8 *data = g_malloc (size + SEC_SRTP_TEST_ROOM);

    gst_buffer_extract (tmpl, 0, data, size);
    buf = gst_buffer_new_wrapped_full (GST_MEMORY_FLAG_READONLY, data,
        size + SEC_SRTP_TEST_ROOM, 0, size, data, g_free);
  } else {
    buf = buffer_with_room (tmpl, SEC_SRTP_TEST_ROOM);
  }
  /* a plain reference: it does not make the memory shared */
  *keep = gst_memory_ref (gst_buffer_peek_memory (buf, 0));
  *other = NULL;
  if (mode == SHARE_BUFFER_REF)
    gst_buffer_ref (buf);
  else if (mode == SHARE_MEMORY)
    *other = gst_buffer_copy (buf);     /* both buffers hold the memory */
  fail_unless (mode == SHARE_BUFFER_REF || gst_buffer_is_writable (buf));
  return buf;
}

/* The memory @keep still holds exactly @expected's bytes. */
static gboolean
memory_holds (GstMemory * keep, GstBuffer * expected)
{
  GstMapInfo map, mexp;
  gboolean equal;

  fail_unless (gst_memory_map (keep, &map, GST_MAP_READ));
  gst_buffer_map (expected, &mexp, GST_MAP_READ);
  equal = map.size == mexp.size && memcmp (map.data, mexp.data,
      map.size) == 0;
  gst_buffer_unmap (expected, &mexp);
  gst_memory_unmap (keep, &map);
  return equal;
}

/* Room after the packet is not enough: the encoder protects in place
 * only what is its own to change (a writable buffer, memory shared with
 * no other buffer and not read-only); otherwise it works on a copy and
 * the other holder keeps the original bytes. The decoder likewise. */
GST_START_TEST (test_shared_with_room_untouched)
{
  const ProfileCase *pc = &profile_cases[__i__ / SHARE_N];
  ShareMode mode = __i__ % SHARE_N;
  SrtpPair *pair = pair_new (pc, FALSE);
  GstBuffer *tmpl = sec_check_rtp_buffer_new (0x77, 3, 0, 1188);
  GstBuffer *in, *other, *protected, *protected_copy, *out;
  GstMemory *keep;

  in = shared_buffer_with_room (tmpl, mode, &keep, &other);
  fail_unless_equals_int (gst_harness_push (pair->enc, in), GST_FLOW_OK);
  protected = gst_harness_pull (pair->enc);
  fail_unless (memory_holds (keep, tmpl),
      "secsrtpenc wrote into memory that was not its own");
  if (other)
    fail_unless (sec_check_buffers_equal (other, tmpl),
        "secsrtpenc changed a buffer sharing the memory");
  if (mode == SHARE_BUFFER_REF)
    gst_buffer_unref (in);
  gst_memory_unref (keep);
  if (other)
    gst_buffer_unref (other);

  /* the decoder, given a protected packet that is shared the same way */
  protected_copy = gst_buffer_copy_deep (protected);
  in = shared_buffer_with_room (protected, mode, &keep, &other);
  gst_buffer_unref (protected);
  fail_unless_equals_int (gst_harness_push (pair->dec, in), GST_FLOW_OK);
  out = gst_harness_pull (pair->dec);
  fail_unless (sec_check_buffers_equal (out, tmpl));
  fail_unless (memory_holds (keep, protected_copy),
      "secsrtpdec wrote into memory that was not its own");
  if (other)
    fail_unless (sec_check_buffers_equal (other, protected_copy),
        "secsrtpdec changed a buffer sharing the memory");
  if (mode == SHARE_BUFFER_REF)
    gst_buffer_unref (in);
  gst_memory_unref (keep);
  if (other)
    gst_buffer_unref (other);

  gst_buffer_unref (out);
  gst_buffer_unref (protected_copy);
  gst_buffer_unref (tmpl);
  pair_free (pair);
}

GST_END_TEST;

GST_START_TEST (test_caps_renamed_without_keys)
{
  SrtpPair *pair = pair_new (&profile_cases[0], FALSE);
  GstBuffer *in = sec_check_rtp_buffer_new (1, 1, 0, 10);
  GstCaps *caps;
  const GstStructure *s;

  gst_harness_set_src_caps_str (pair->enc,
      "application/x-rtp,media=audio,payload=111,clock-rate=48000,"
      "encoding-name=OPUS,srtp-key=(buffer)0011,srtp-cipher=aes-128-icm");
  fail_unless_equals_int (gst_harness_push (pair->enc, in), GST_FLOW_OK);
  gst_buffer_unref (gst_harness_pull (pair->enc));
  caps = gst_pad_get_current_caps (pair->enc->sinkpad);
  fail_unless (caps != NULL);
  s = gst_caps_get_structure (caps, 0);
  fail_unless_equals_string (gst_structure_get_name (s), "application/x-srtp");
  fail_unless_equals_string (gst_structure_get_string (s, "encoding-name"),
      "OPUS");
  fail_if (gst_structure_has_field (s, "srtp-key"), "a key travelled in caps");
  fail_if (gst_structure_has_field (s, "srtp-cipher"));
  gst_caps_unref (caps);
  pair_free (pair);
}

GST_END_TEST;

/* Starts @e (no harness) and returns the error message it posts, or NULL
 * when it started. */
static GstMessage *
start_and_get_error (GstElement * e)
{
  GstBus *bus = gst_bus_new ();
  GstPad *pad = gst_element_request_pad_simple (e, "rtp_sink_%u");
  GstStateChangeReturn ret;
  GstMessage *msg;

  gst_element_set_bus (e, bus);
  ret = gst_element_set_state (e, GST_STATE_PAUSED);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  if (ret != GST_STATE_CHANGE_FAILURE)
    fail_unless (msg == NULL);
  else
    fail_unless (msg != NULL, "state change failed without an error message");
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_release_request_pad (e, pad);
  gst_object_unref (pad);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  return msg;
}

static void
assert_error_mentions (GstMessage * msg, const gchar * a, const gchar * b)
{
  GError *error = NULL;
  gchar *debug = NULL;

  fail_unless (msg != NULL, "expected an error");
  gst_message_parse_error (msg, &error, &debug);
  fail_unless (error->domain == GST_RESOURCE_ERROR);
  fail_unless (strstr (debug, a) != NULL, "'%s' not in '%s'", a, debug);
  if (b)
    fail_unless (strstr (debug, b) != NULL, "'%s' not in '%s'", b, debug);
  g_clear_error (&error);
  g_free (debug);
  gst_message_unref (msg);
}

GST_START_TEST (test_key_errors_at_start)
{
  const gchar *factories[] = { "secsrtpenc", "secsrtpdec" };
  guint i;

  for (i = 0; i < 2; i++) {
    GstElement *e;
    GstBuffer *key;

    /* no key */
    e = sec_check_srtp_element_new (factories[i], "aes128-cm-sha1-80", NULL);
    assert_error_mentions (start_and_get_error (e), "key", NULL);
    gst_object_unref (e);

    /* a 16-byte key for a profile that needs 30 */
    key = sec_check_key_new (16, 1);
    e = sec_check_srtp_element_new (factories[i], "aes128-cm-sha1-80", key);
    assert_error_mentions (start_and_get_error (e), "30-byte key",
        "16 bytes");
    gst_object_unref (e);
    gst_buffer_unref (key);

    /* a CM-sized key for GCM-256 */
    key = sec_check_key_new (30, 1);
    e = sec_check_srtp_element_new (factories[i], "aead-aes-256-gcm", key);
    assert_error_mentions (start_and_get_error (e), "44-byte key",
        "30 bytes");
    gst_object_unref (e);
    gst_buffer_unref (key);

    /* the right length starts */
    key = sec_check_key_new (44, 1);
    e = sec_check_srtp_element_new (factories[i], "aead-aes-256-gcm", key);
    fail_unless (start_and_get_error (e) == NULL);
    gst_object_unref (e);
    gst_buffer_unref (key);

    /* no key but wait-for-key starts, and drops what comes */
    e = sec_check_srtp_element_new (factories[i], "aes128-cm-sha1-80", NULL);
    g_object_set (e, "wait-for-key", TRUE, NULL);
    fail_unless (start_and_get_error (e) == NULL);
    gst_object_unref (e);
  }
}

GST_END_TEST;

GST_START_TEST (test_wait_for_key)
{
  GstElement *e =
      sec_check_srtp_element_new ("secsrtpenc", "aes128-cm-sha1-80", NULL);
  GstHarness *h;
  GstBuffer *key = sec_check_key_new (30, 9);

  g_object_set (e, "wait-for-key", TRUE, NULL);
  h = sec_check_srtp_harness_new (e, FALSE);
  fail_unless_equals_int (gst_harness_push (h,
          sec_check_rtp_buffer_new (1, 1, 0, 100)), GST_FLOW_OK);
  /* nothing leaves in clear */
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  fail_unless_equals_uint64 (sec_check_stat (e, 0, "no-key-dropped"), 1);

  g_object_set (e, "key", key, NULL);
  fail_unless_equals_int (gst_harness_push (h,
          sec_check_rtp_buffer_new (1, 2, 0, 100)), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 1);
  gst_buffer_unref (key);
  gst_harness_teardown (h);
  gst_object_unref (e);
}

GST_END_TEST;

static void
count_signal (GstElement * e, guint ssrc, gpointer user_data)
{
  guint *count = user_data;

  fail_unless_equals_int (ssrc, 0xabc);
  (*count)++;
}

GST_START_TEST (test_key_lifetime)
{
  SrtpPair *pair = pair_new (&profile_cases[0], FALSE);
  guint soft = 0, hard = 0, i;
  GstBuffer *key;

  g_object_set (pair->enc_element, "key-lifetime", (guint64) 20, NULL);
  g_signal_connect (pair->enc_element, "soft-limit",
      G_CALLBACK (count_signal), &soft);
  g_signal_connect (pair->enc_element, "hard-limit",
      G_CALLBACK (count_signal), &hard);

  for (i = 1; i <= 17; i++)
    gst_harness_push (pair->enc, sec_check_rtp_buffer_new (0xabc, i, 0, 50));
  fail_unless_equals_int (soft, 0);
  /* a tenth of 20 before the end */
  gst_harness_push (pair->enc, sec_check_rtp_buffer_new (0xabc, 18, 0, 50));
  fail_unless_equals_int (soft, 1);
  fail_unless_equals_int (hard, 0);
  gst_harness_push (pair->enc, sec_check_rtp_buffer_new (0xabc, 19, 0, 50));
  gst_harness_push (pair->enc, sec_check_rtp_buffer_new (0xabc, 20, 0, 50));
  fail_unless_equals_int (hard, 1);
  fail_unless_equals_int (gst_harness_buffers_in_queue (pair->enc), 20);

  /* past the lifetime nothing is protected any more */
  gst_harness_push (pair->enc, sec_check_rtp_buffer_new (0xabc, 21, 0, 50));
  fail_unless_equals_int (gst_harness_buffers_in_queue (pair->enc), 20);
  fail_unless_equals_uint64 (sec_check_stat (pair->enc_element, 0,
          "key-expired-dropped"), 1);
  fail_unless_equals_int (soft, 1);
  fail_unless_equals_int (hard, 1);

  /* a new key starts a new lifetime */
  key = sec_check_key_new (30, 0x77);
  g_object_set (pair->enc_element, "key", key, NULL);
  gst_buffer_unref (key);
  gst_harness_push (pair->enc, sec_check_rtp_buffer_new (0xabc, 22, 0, 50));
  fail_unless_equals_int (gst_harness_buffers_in_queue (pair->enc), 21);
  pair_free (pair);
}

GST_END_TEST;

GST_START_TEST (test_stats_per_ssrc)
{
  SrtpPair *pair = pair_new (&profile_cases[2], FALSE);
  GstStructure *stats;
  guint i;

  for (i = 0; i < 30; i++) {
    gst_harness_push (pair->enc, sec_check_rtp_buffer_new (i % 3 == 0 ?
            0x1000 : 0x2000, i, 0, 100));
  }
  fail_unless_equals_uint64 (sec_check_stat (pair->enc_element, 0x1000,
          "rtp-packets-protected"), 10);
  fail_unless_equals_uint64 (sec_check_stat (pair->enc_element, 0x2000,
          "rtp-packets-protected"), 20);
  fail_unless_equals_uint64 (sec_check_stat (pair->enc_element, 0x2000,
          "bytes"), 20 * 112);
  g_object_get (pair->enc_element, "stats", &stats, NULL);
  fail_unless_equals_string (gst_structure_get_string (stats, "profile"),
      "aead-aes-128-gcm");
  fail_unless (gst_structure_get_string (stats, "crypto-backend") != NULL);
  /* no field of the stats may carry the key: look for any 8 bytes of it
   * (pair_new's key) in hex */
  {
    gchar *text = gst_structure_to_string (stats);
    GstBuffer *key = sec_check_key_new (28, 0x42);
    GstMapInfo map;
    gchar hex[17];
    gsize k, j;

    gst_buffer_map (key, &map, GST_MAP_READ);
    for (k = 0; k + 8 <= map.size; k++) {
      for (j = 0; j < 8; j++)
        g_snprintf (hex + 2 * j, 3, "%02x", map.data[k + j]);
      fail_if (strstr (text, hex) != NULL, "key bytes in stats: %s", text);
    }
    gst_buffer_unmap (key, &map);
    gst_buffer_unref (key);
    g_free (text);
  }
  gst_structure_free (stats);
  pair_free (pair);
}

GST_END_TEST;

/* Each element's stats hold what means something for it: the encoder
 * authenticates nothing, so it has no auth-failures, top-level or per
 * SSRC; the decoder has them. Both count replays (the encoder refuses to
 * protect an index twice). The long names say whose elements these are,
 * as the other plugins' do. */
GST_START_TEST (test_stats_fields_and_names)
{
  SrtpPair *pair = pair_new (&profile_cases[0], FALSE);
  static const gchar *dec_only[] = { "auth-failures" };
  const gchar *factories[] = { "secsrtpenc", "secsrtpdec" };
  GstElement *elements[2] = { pair->enc_element, pair->dec_element };
  GstBuffer *srtp;
  guint i, k;

  gst_harness_push (pair->enc, sec_check_rtp_buffer_new (0x77, 1, 0, 50));
  srtp = gst_harness_pull (pair->enc);
  gst_harness_push (pair->dec, srtp);
  gst_buffer_unref (gst_harness_pull (pair->dec));

  for (i = 0; i < 2; i++) {
    GstStructure *stats = NULL;
    const GValue *streams;
    const GstStructure *stream;
    GstElementFactory *factory = gst_element_factory_find (factories[i]);
    const gchar *long_name;

    g_object_get (elements[i], "stats", &stats, NULL);
    streams = gst_structure_get_value (stats, "streams");
    fail_unless_equals_int (gst_value_array_get_size (streams), 1);
    stream = gst_value_get_structure (gst_value_array_get_value (streams, 0));
    for (k = 0; k < G_N_ELEMENTS (dec_only); k++) {
      gboolean want = elements[i] == pair->dec_element;

      fail_unless_equals_int (gst_structure_has_field (stats, dec_only[k]),
          want);
      fail_unless_equals_int (gst_structure_has_field (stream, dec_only[k]),
          want);
    }
    /* the drops that can happen on either side */
    fail_unless (gst_structure_has_field (stats, "replays-dropped"));
    fail_unless (gst_structure_has_field (stream, "replays-dropped"));
    fail_unless (gst_structure_has_field (stats, "malformed-dropped"));
    fail_unless (gst_structure_has_field (stats, "no-key-dropped"));
    gst_structure_free (stats);

    long_name = gst_element_factory_get_metadata (factory,
        GST_ELEMENT_METADATA_LONGNAME);
    fail_unless (g_str_has_suffix (long_name, " (gst-secwebrtc)"),
        "long name of %s: '%s'", factories[i], long_name);
    gst_object_unref (factory);
  }
  pair_free (pair);
}

GST_END_TEST;

GST_START_TEST (test_sequence_wrap)
{
  const ProfileCase *pc = &profile_cases[__i__];
  SrtpPair *pair = pair_new (pc, FALSE);
  guint32 i;

  /* across the 16-bit wrap the rollover counter must advance on both
   * sides (RFC 3711 §3.3.1), or decryption after the wrap fails */
  for (i = 65530; i < 65530 + 12; i++) {
    GstBuffer *in = sec_check_rtp_buffer_new (0x42, (guint16) i, i, 200);

    pair_roundtrip_one (pair, in, pc->rtp_trailer);
    gst_buffer_unref (in);
  }
  pair_free (pair);
}

GST_END_TEST;

GST_START_TEST (test_garbage_into_encoder)
{
  SrtpPair *pair = pair_new (&profile_cases[0], FALSE);
  GstBuffer *short_buf = gst_buffer_new_allocate (NULL, 5, NULL);
  GstBuffer *not_rtp = sec_check_rtp_buffer_new (1, 1, 0, 20);

  gst_buffer_memset (short_buf, 0, 0x80, 5);
  gst_buffer_memset (not_rtp, 0, 0x40, 1);      /* version 1 */
  fail_unless_equals_int (gst_harness_push (pair->enc, short_buf),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (pair->enc, not_rtp), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (pair->enc), 0);
  fail_unless_equals_uint64 (sec_check_stat (pair->enc_element, 0,
          "malformed-dropped"), 2);
  pair_free (pair);
}

GST_END_TEST;


static void
collect_log (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  GString *log = user_data;
  const gchar *text = gst_debug_message_get (message);

  if (text) {
    g_string_append (log, text);
    g_string_append_c (log, '\n');
  }
}

/* With every debug category at its most verbose, a whole round trip
 * (key set, start, packets, stats, stop) never logs the key. */
GST_START_TEST (test_key_never_logged)
{
  GString *log = g_string_new (NULL);
  GstBuffer *key = sec_check_key_new (30, 0xd1);
  GstElement *enc, *dec;
  GstHarness *he, *hd;
  GstStructure *stats;
  GstMapInfo map;
  gchar *hex_lower, *hex_upper;
  guint i;

  gst_debug_set_active (TRUE);
  gst_debug_add_log_function (collect_log, log, NULL);
  gst_debug_set_threshold_for_name ("sec*", GST_LEVEL_MEMDUMP);
  gst_debug_set_threshold_for_name ("GST_PADS", GST_LEVEL_MEMDUMP);
  gst_debug_set_threshold_for_name ("GST_CAPS", GST_LEVEL_MEMDUMP);
  gst_debug_set_threshold_for_name ("GST_EVENT", GST_LEVEL_MEMDUMP);
  gst_debug_set_threshold_for_name ("GST_ELEMENT_PADS", GST_LEVEL_MEMDUMP);
  gst_debug_set_threshold_for_name ("GST_STATES", GST_LEVEL_MEMDUMP);

  enc = sec_check_srtp_element_new ("secsrtpenc", "aes128-cm-sha1-80", key);
  dec = sec_check_srtp_element_new ("secsrtpdec", "aes128-cm-sha1-80", key);
  he = sec_check_srtp_harness_new (enc, FALSE);
  hd = sec_check_srtp_harness_new (dec, FALSE);
  for (i = 0; i < 5; i++) {
    gst_harness_push (he, sec_check_rtp_buffer_new (9, i, 0, 40));
    gst_harness_push (hd, gst_harness_pull (he));
    gst_buffer_unref (gst_harness_pull (hd));
  }
  g_object_get (enc, "stats", &stats, NULL);
  gst_structure_free (stats);
  gst_harness_teardown (he);
  gst_harness_teardown (hd);

  gst_debug_remove_log_function (collect_log);
  gst_debug_set_threshold_from_string ("", TRUE);
  gst_debug_set_default_threshold (GST_LEVEL_NONE);

  fail_unless (log->len > 0, "nothing was logged: the check proves nothing");
  gst_buffer_map (key, &map, GST_MAP_READ);
  hex_lower = g_malloc0 (2 * map.size + 1);
  for (i = 0; i < map.size; i++)
    g_snprintf (hex_lower + 2 * i, 3, "%02x", map.data[i]);
  hex_upper = g_ascii_strup (hex_lower, -1);
  /* the key, or any 8-byte piece of it, in hex */
  for (i = 0; i + 16 <= 2 * map.size; i += 2) {
    gchar *lo = g_strndup (hex_lower + i, 16), *up = g_strndup (hex_upper + i,
        16);

    fail_if (strstr (log->str, lo) != NULL, "key bytes in the log");
    fail_if (strstr (log->str, up) != NULL, "key bytes in the log");
    g_free (lo);
    g_free (up);
  }
  gst_buffer_unmap (key, &map);
  g_free (hex_lower);
  g_free (hex_upper);
  g_string_free (log, TRUE);
  gst_buffer_unref (key);
  gst_object_unref (enc);
  gst_object_unref (dec);
}

GST_END_TEST;


/* Requesting rtp_sink_N creates rtp_src_N; releasing it removes both. */
GST_START_TEST (test_pad_pairs)
{
  GstBuffer *key = sec_check_key_new (30, 3);
  GstElement *e = sec_check_srtp_element_new ("secsrtpenc",
      "aes128-cm-sha1-80", key);
  GstPad *rtp0, *rtp5, *rtcp1, *src;

  rtp0 = gst_element_request_pad_simple (e, "rtp_sink_%u");
  fail_unless_equals_string (GST_PAD_NAME (rtp0), "rtp_sink_0");
  rtp5 = gst_element_request_pad_simple (e, "rtp_sink_5");
  fail_unless_equals_string (GST_PAD_NAME (rtp5), "rtp_sink_5");
  rtcp1 = gst_element_request_pad_simple (e, "rtcp_sink_%u");
  fail_unless (rtcp1 != NULL);
  /* a name that does not fit the template's pattern */
  fail_unless (gst_element_request_pad_simple (e, "rtp_sink_x") == NULL);

  src = gst_element_get_static_pad (e, "rtp_src_5");
  fail_unless (src != NULL);
  gst_object_unref (src);
  fail_unless_equals_int (e->numpads, 6);

  gst_element_release_request_pad (e, rtp5);
  src = gst_element_get_static_pad (e, "rtp_src_5");
  fail_unless (src == NULL, "rtp_src_5 outlived its sink pad");
  fail_unless_equals_int (e->numpads, 4);

  gst_element_release_request_pad (e, rtp0);
  gst_element_release_request_pad (e, rtcp1);
  fail_unless_equals_int (e->numpads, 0);
  gst_object_unref (rtp0);
  gst_object_unref (rtp5);
  gst_object_unref (rtcp1);
  gst_object_unref (e);
  gst_buffer_unref (key);
}

GST_END_TEST;

/* ---- keys are single-use: the keystream is never reused ---- */

/* The value of the profile enum for @nick, for g_object_set (). */
static gint
profile_value (GstElement * e, const gchar * nick)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (e),
      "profile");
  GEnumClass *klass = g_type_class_ref (G_PARAM_SPEC_VALUE_TYPE (pspec));
  GEnumValue *v = g_enum_get_value_by_nick (klass, nick);
  gint value;

  fail_unless (v != NULL, "no profile %s", nick);
  value = v->value;
  g_type_class_unref (klass);
  return value;
}

/* A copy of @in whose payload (after the 12-byte header) is XORed with
 * @mask: same header, same length, other plaintext. */
static GstBuffer *
rtp_with_other_payload (GstBuffer * in, guint8 mask)
{
  GstBuffer *out = gst_buffer_copy_deep (in);
  GstMapInfo map;
  gsize i;

  gst_buffer_map (out, &map, GST_MAP_WRITE);
  for (i = 12; i < map.size; i++)
    map.data[i] ^= mask;
  gst_buffer_unmap (out, &map);
  return out;
}

/* RFC 3711 §9.1: two packets protected with the same key, SSRC and index
 * share their keystream, so C1 xor C2 == P1 xor P2 over the payload.
 * @c2 NULL means the second packet was refused, which is fine. */
static void
assert_keystream_not_reused (GstBuffer * p1, GstBuffer * c1, GstBuffer * p2,
    GstBuffer * c2)
{
  GstMapInfo mp1, mc1, mp2, mc2;
  gsize i, n;
  gboolean same = TRUE;

  if (c2 == NULL)
    return;
  gst_buffer_map (p1, &mp1, GST_MAP_READ);
  gst_buffer_map (c1, &mc1, GST_MAP_READ);
  gst_buffer_map (p2, &mp2, GST_MAP_READ);
  gst_buffer_map (c2, &mc2, GST_MAP_READ);
  fail_unless_equals_int (mp1.size, mp2.size);
  n = mp1.size;
  fail_unless (mc1.size >= n && mc2.size >= n);
  for (i = 12; i < n; i++)
    if ((mc1.data[i] ^ mc2.data[i]) != (mp1.data[i] ^ mp2.data[i]))
      same = FALSE;
  gst_buffer_unmap (p1, &mp1);
  gst_buffer_unmap (c1, &mc1);
  gst_buffer_unmap (p2, &mp2);
  gst_buffer_unmap (c2, &mc2);
  fail_if (same, "keystream reused: C1 xor C2 == P1 xor P2 over the "
      "payload of two packets with the same SSRC and index");
}

/* Pushes @in (consumed) and returns what came out, or NULL. */
static GstBuffer *
protect_or_null (GstHarness * h, GstBuffer * in)
{
  fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);
  if (gst_harness_buffers_in_queue (h) == 0)
    return NULL;
  return gst_harness_pull (h);
}

/* The error message on @bus (popped), or NULL. */
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

enum
{
  RESET_PROFILE,                /* the same profile again */
  RESET_KEY,                    /* the same key again */
  RESET_BOTH,                   /* both, in one g_object_set */
  RESET_N
};

/* Re-setting the profile or the key to the value it has, while packets
 * flow, must not rebuild the libsrtp2 context: a rebuilt context starts
 * again at packet index 0 and protects the next packet with keystream
 * already used. */
GST_START_TEST (test_reset_same_key_no_keystream_reuse)
{
  const ProfileCase *pc = &profile_cases[0];
  SrtpPair *pair = pair_new (pc, FALSE);
  GstBus *bus = gst_bus_new ();
  GstBuffer *key = sec_check_key_new (pc->key_len, 0x42);
  GstBuffer *p1 = sec_check_rtp_buffer_new (0x3344, 100, 0, 160);
  GstBuffer *p2 = rtp_with_other_payload (p1, 0x5a);
  GstBuffer *c1, *c2, *out;

  gst_element_set_bus (pair->enc_element, bus);
  c1 = protect_or_null (pair->enc, gst_buffer_ref (p1));
  fail_unless (c1 != NULL);

  switch (__i__) {
    case RESET_PROFILE:
      gst_util_set_object_arg (G_OBJECT (pair->enc_element), "profile",
          pc->profile);
      break;
    case RESET_KEY:
      g_object_set (pair->enc_element, "key", key, NULL);
      break;
    case RESET_BOTH:
      g_object_set (pair->enc_element, "profile",
          profile_value (pair->enc_element, pc->profile), "key", key, NULL);
      break;
  }

  /* the same SSRC and sequence number, another payload */
  c2 = protect_or_null (pair->enc, gst_buffer_ref (p2));
  assert_keystream_not_reused (p1, c1, p2, c2);
  fail_unless (c2 == NULL, "a repeated packet index was protected again");
  fail_unless_equals_uint64 (sec_check_stat (pair->enc_element, 0,
          "replays-dropped"), 1);
  /* nothing was wrong with the setting: no error, and the stream goes on
   * under the live context (the receiver never re-keyed) */
  fail_unless (pop_error (bus) == NULL);
  out = protect_or_null (pair->enc, sec_check_rtp_buffer_new (0x3344, 101, 0,
          160));
  fail_unless (out != NULL);
  fail_unless_equals_int (gst_harness_push (pair->dec, c1), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (pair->dec, out), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (pair->dec), 2);

  gst_element_set_bus (pair->enc_element, NULL);
  gst_object_unref (bus);
  gst_buffer_unref (key);
  gst_buffer_unref (p1);
  gst_buffer_unref (p2);
  pair_free (pair);
}

GST_END_TEST;

/* A key is wiped when the element stops: the restarted element has no
 * key, and setting the old one again (in READY, or while PLAYING with
 * wait-for-key) is refused with an error. Nothing is protected under it,
 * so packet index 100 is never protected twice with one keystream. */
GST_START_TEST (test_restart_refuses_old_key)
{
  const ProfileCase *pc = &profile_cases[0];
  SrtpPair *pair = pair_new (pc, FALSE);
  GstBus *bus = gst_bus_new ();
  GstBuffer *key = sec_check_key_new (pc->key_len, 0x42);
  GstBuffer *new_key = sec_check_key_new (pc->key_len, 0x43);
  GstBuffer *p1 = sec_check_rtp_buffer_new (0x3344, 100, 0, 160);
  GstBuffer *p2 = rtp_with_other_payload (p1, 0x5a);
  GstBuffer *c1, *c2, *out;
  GstStructure *stats;
  gboolean key_set = TRUE;
  GstElement *dec_new;
  GstHarness *hd_new;

  gst_element_set_bus (pair->enc_element, bus);
  c1 = protect_or_null (pair->enc, gst_buffer_ref (p1));
  fail_unless (c1 != NULL);

  /* 1. the old key set again in READY: the start is refused */
  fail_unless_equals_int (harness_restart (pair->enc, pair->enc_element,
          set_key_in_ready, key), GST_STATE_CHANGE_FAILURE);
  assert_settings_error (pop_error (bus), "An SRTP key was used twice.",
      "single-use");

  /* 2. with wait-for-key the element starts without a key: the old one
   * was wiped at PAUSED->READY */
  g_object_set (pair->enc_element, "wait-for-key", TRUE, NULL);
  fail_unless_equals_int (harness_restart (pair->enc, pair->enc_element,
          NULL, NULL), GST_STATE_CHANGE_SUCCESS);
  g_object_get (pair->enc_element, "stats", &stats, NULL);
  fail_unless (gst_structure_get_boolean (stats, "key-set", &key_set));
  gst_structure_free (stats);
  fail_if (key_set, "the key outlived PAUSED->READY");
  fail_unless (protect_or_null (pair->enc, gst_buffer_ref (p2)) == NULL,
      "a packet was protected after a restart without a new key");

  /* ... and the old key set while PLAYING is an error, not a key */
  g_object_set (pair->enc_element, "key", key, NULL);
  assert_settings_error (pop_error (bus), "An SRTP key was used twice.",
      "single-use");
  c2 = protect_or_null (pair->enc, gst_buffer_ref (p2));
  assert_keystream_not_reused (p1, c1, p2, c2);
  fail_unless (c2 == NULL, "a packet was protected under a reused key");
  fail_unless_equals_uint64 (sec_check_stat (pair->enc_element, 0,
          "no-key-dropped"), 2);

  /* 3. a new key works, and only a receiver with the new key reads it */
  g_object_set (pair->enc_element, "key", new_key, NULL);
  fail_unless (pop_error (bus) == NULL);
  c2 = protect_or_null (pair->enc, gst_buffer_ref (p2));
  fail_unless (c2 != NULL);
  assert_keystream_not_reused (p1, c1, p2, c2);
  dec_new = sec_check_srtp_element_new ("secsrtpdec", pc->profile, new_key);
  hd_new = sec_check_srtp_harness_new (dec_new, FALSE);
  fail_unless_equals_int (gst_harness_push (hd_new, c2), GST_FLOW_OK);
  out = gst_harness_pull (hd_new);
  fail_unless (sec_check_buffers_equal (out, p2));
  gst_buffer_unref (out);

  gst_harness_teardown (hd_new);
  gst_object_unref (dec_new);
  gst_element_set_bus (pair->enc_element, NULL);
  gst_object_unref (bus);
  gst_buffer_unref (c1);
  gst_buffer_unref (key);
  gst_buffer_unref (new_key);
  gst_buffer_unref (p1);
  gst_buffer_unref (p2);
  pair_free (pair);
}

GST_END_TEST;

/* ---- re-keying to another profile is one step ---- */

typedef struct
{
  GstElement *enc;
  GstHarness *h;
  GstElement *dec_old, *dec_new;
  GstHarness *hd_old, *hd_new;
  GstBus *bus;
} Rekey;

/* secsrtpenc on aes128-cm-sha1-80 with a 30-byte key, and one receiver
 * for that key and one for the aead-aes-256-gcm 44-byte key to come. */
static void
rekey_init (Rekey * r)
{
  GstBuffer *old_key = sec_check_key_new (30, 0x10);
  GstBuffer *new_key = sec_check_key_new (44, 0x20);

  r->bus = gst_bus_new ();
  r->enc = sec_check_srtp_element_new ("secsrtpenc", "aes128-cm-sha1-80",
      old_key);
  gst_element_set_bus (r->enc, r->bus);
  r->h = sec_check_srtp_harness_new (r->enc, FALSE);
  r->dec_old = sec_check_srtp_element_new ("secsrtpdec", "aes128-cm-sha1-80",
      old_key);
  r->dec_new = sec_check_srtp_element_new ("secsrtpdec", "aead-aes-256-gcm",
      new_key);
  r->hd_old = sec_check_srtp_harness_new (r->dec_old, FALSE);
  r->hd_new = sec_check_srtp_harness_new (r->dec_new, FALSE);
  gst_buffer_unref (old_key);
  gst_buffer_unref (new_key);
}

static void
rekey_clear (Rekey * r)
{
  gst_harness_teardown (r->h);
  gst_harness_teardown (r->hd_old);
  gst_harness_teardown (r->hd_new);
  gst_element_set_bus (r->enc, NULL);
  gst_object_unref (r->enc);
  gst_object_unref (r->dec_old);
  gst_object_unref (r->dec_new);
  gst_object_unref (r->bus);
}

/* Which receiver reads @srtp (consumed): 0 the old, 1 the new, -1 none.
 * Each packet is tried on copies, so both receivers see every index. */
static gint
rekey_classify (Rekey * r, GstBuffer * srtp, guint16 seq)
{
  GstBuffer *plain = sec_check_rtp_buffer_new (0x600d, seq, 0, 200);
  GstHarness *hds[2] = { r->hd_old, r->hd_new };
  gint which = -1, i;

  for (i = 0; i < 2; i++) {
    GstBuffer *out;

    fail_unless_equals_int (gst_harness_push (hds[i],
            gst_buffer_copy_deep (srtp)), GST_FLOW_OK);
    if (gst_harness_buffers_in_queue (hds[i]) == 0)
      continue;
    out = gst_harness_pull (hds[i]);
    fail_unless (sec_check_buffers_equal (out, plain),
        "packet %u decrypted to other bytes", seq);
    gst_buffer_unref (out);
    fail_unless (which == -1, "packet %u read by both receivers", seq);
    which = i;
  }
  gst_buffer_unref (plain);
  gst_buffer_unref (srtp);
  return which;
}

static GstBuffer *
rekey_protect (Rekey * r, guint16 seq)
{
  GstBuffer *out = protect_or_null (r->h, sec_check_rtp_buffer_new (0x600d,
          seq, 0, 200));

  fail_unless (out != NULL, "packet %u was not protected", seq);
  return out;
}

/* RFC 5764 §4.2: a DTLS handshake gives a profile and a key together;
 * the element applies both at once. Set together in one g_object_set, or
 * profile then key with a packet in between (as the DTLS association
 * does): the packet in between is still protected with the old profile
 * and key, never with the new profile and the old key. */
GST_START_TEST (test_rekey_to_other_profile)
{
  Rekey r;
  GstBuffer *new_key = sec_check_key_new (44, 0x20);
  GstBuffer *srtp;

  rekey_init (&r);
  srtp = rekey_protect (&r, 1);
  fail_unless_equals_int (gst_buffer_get_size (srtp), 12 + 200 + 10);
  fail_unless_equals_int (rekey_classify (&r, srtp, 1), 0);

  if (__i__ == 0) {
    /* both in one call, profile first */
    g_object_set (r.enc, "profile", profile_value (r.enc,
            "aead-aes-256-gcm"), "key", new_key, NULL);
  } else {
    /* two calls, as DTLS does, with a packet in between */
    gst_util_set_object_arg (G_OBJECT (r.enc), "profile", "aead-aes-256-gcm");
    srtp = rekey_protect (&r, 2);
    fail_unless_equals_int (gst_buffer_get_size (srtp), 12 + 200 + 10);
    fail_unless_equals_int (rekey_classify (&r, srtp, 2), 0);
    g_object_set (r.enc, "key", new_key, NULL);
  }
  fail_unless (pop_error (r.bus) == NULL, "re-keying raised an error");

  srtp = rekey_protect (&r, 3);
  fail_unless_equals_int (gst_buffer_get_size (srtp), 12 + 200 + 16);
  fail_unless_equals_int (rekey_classify (&r, srtp, 3), 1);
  srtp = rekey_protect (&r, 4);
  fail_unless_equals_int (rekey_classify (&r, srtp, 4), 1);
  fail_unless (pop_error (r.bus) == NULL);

  gst_buffer_unref (new_key);
  rekey_clear (&r);
}

GST_END_TEST;

#define REKEY_AT 100             /* packets pulled before the switch */
#define REKEY_AFTER 200          /* packets pushed once it is done */
#define REKEY_MAX_SEQ 60000

typedef struct
{
  GstHarness *h;
  gint pushed;                  /* atomic */
  gint switched;                /* atomic: the new key is set */
} Pusher;

/* Pushes until REKEY_AFTER packets went in after the switch; those must
 * all be under the new key. */
static gpointer
push_packets (gpointer data)
{
  Pusher *p = data;
  guint seq, after = 0;

  for (seq = 1; seq <= REKEY_MAX_SEQ && after < REKEY_AFTER; seq++) {
    gboolean switched = g_atomic_int_get (&p->switched);

    fail_unless_equals_int (gst_harness_push (p->h,
            sec_check_rtp_buffer_new (0x600d, seq, 0, 200)), GST_FLOW_OK);
    g_atomic_int_inc (&p->pushed);
    if (switched)
      after++;
  }
  return NULL;
}

/* The same while another thread pushes packets: every packet leaves
 * under exactly one of (old profile, old key) and (new profile, new
 * key), the old ones first, and no error. */
GST_START_TEST (test_rekey_while_streaming)
{
  Rekey r;
  GstBuffer *new_key = sec_check_key_new (44, 0x20);
  Pusher pusher;
  GThread *thread;
  guint i, pushed, n_old = 0, n_new = 0;

  rekey_init (&r);
  pusher.h = r.h;
  pusher.pushed = 0;
  pusher.switched = 0;
  thread = g_thread_new ("pusher", push_packets, &pusher);
  /* wait (gst_harness_pull blocks, bounded) until packets flow; the
   * receivers see them in order, on this thread */
  for (i = 0; i < REKEY_AT; i++) {
    GstBuffer *out = gst_harness_pull (r.h);

    fail_unless (out != NULL, "timed out waiting for packet %u", i + 1);
    fail_unless_equals_int (rekey_classify (&r, out, i + 1), 0);
    n_old++;
  }
  if (__i__ == 0) {
    g_object_set (r.enc, "profile", profile_value (r.enc,
            "aead-aes-256-gcm"), "key", new_key, NULL);
  } else {
    gst_util_set_object_arg (G_OBJECT (r.enc), "profile", "aead-aes-256-gcm");
    g_thread_yield ();
    g_object_set (r.enc, "key", new_key, NULL);
  }
  g_atomic_int_set (&pusher.switched, 1);
  g_thread_join (thread);
  fail_unless (pop_error (r.bus) == NULL, "re-keying raised an error");

  /* every push ran the element in the pusher's thread: all are queued */
  pushed = g_atomic_int_get (&pusher.pushed);
  fail_unless_equals_int (gst_harness_buffers_in_queue (r.h),
      pushed - REKEY_AT);
  for (; i < pushed; i++) {
    gint which = rekey_classify (&r, gst_harness_pull (r.h), i + 1);

    fail_unless (which >= 0, "packet %u readable by neither receiver", i + 1);
    if (which == 0) {
      fail_unless (n_new == 0, "packet %u under the old key after one "
          "under the new key", i + 1);
      n_old++;
    } else {
      n_new++;
    }
  }
  /* at least the packets pushed after the switch are under the new key */
  fail_unless (n_new >= REKEY_AFTER, "only %u packets under the new key",
      n_new);
  gst_buffer_unref (new_key);
  rekey_clear (&r);
}

GST_END_TEST;

static Suite *
secsrtpenc_suite (void)
{
  Suite *s = suite_create ("secsrtpenc");
  TCase *tc;

  tc = tcase_create ("isolation");
  tcase_add_test (tc, test_factories_are_ours);
  suite_add_tcase (s, tc);

  tc = tcase_create ("roundtrip");
  tcase_add_loop_test (tc, test_roundtrip_rtp, 0, G_N_ELEMENTS (profile_cases));
  tcase_add_loop_test (tc, test_roundtrip_rtcp, 0,
      G_N_ELEMENTS (profile_cases));
  tcase_add_loop_test (tc, test_roundtrip_lists, 0,
      G_N_ELEMENTS (profile_cases));
  tcase_add_loop_test (tc, test_sequence_wrap, 0,
      G_N_ELEMENTS (profile_cases));
  suite_add_tcase (s, tc);

  tc = tcase_create ("buffers");
  tcase_add_loop_test (tc, test_shared_buffers_untouched, 0,
      G_N_ELEMENTS (profile_cases));
  tcase_add_loop_test (tc, test_protect_in_place, 0,
      G_N_ELEMENTS (profile_cases));
  tcase_add_loop_test (tc, test_in_place_same_bytes_as_copy, 0,
      N_PROFILE_RTP_RTCP);
  tcase_add_loop_test (tc, test_shared_with_room_untouched, 0,
      G_N_ELEMENTS (profile_cases) * SHARE_N);
  tcase_add_test (tc, test_caps_renamed_without_keys);
  tcase_add_test (tc, test_pad_pairs);
  tcase_add_test (tc, test_garbage_into_encoder);
  suite_add_tcase (s, tc);

  tc = tcase_create ("keys");
  tcase_add_test (tc, test_key_errors_at_start);
  tcase_add_test (tc, test_wait_for_key);
  tcase_add_test (tc, test_key_lifetime);
  tcase_add_test (tc, test_stats_per_ssrc);
  tcase_add_test (tc, test_stats_fields_and_names);
  tcase_add_test (tc, test_key_never_logged);
  suite_add_tcase (s, tc);

  tc = tcase_create ("key-reuse");
  tcase_add_loop_test (tc, test_reset_same_key_no_keystream_reuse, 0,
      RESET_N);
  tcase_add_test (tc, test_restart_refuses_old_key);
  suite_add_tcase (s, tc);

  tc = tcase_create ("rekey");
  tcase_add_loop_test (tc, test_rekey_to_other_profile, 0, 2);
  tcase_add_loop_test (tc, test_rekey_while_streaming, 0, 2);
  suite_add_tcase (s, tc);

  return s;
}

GST_CHECK_MAIN (secsrtpenc);
