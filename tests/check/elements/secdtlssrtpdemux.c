/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secdtlssrtpdemux: DTLS records, SRTP and SRTCP packets leave on their own
 * pads with their own caps, in order; everything else is dropped and
 * counted, never passed on.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "seccheck.h"

#include <string.h>

typedef struct
{
  GstElement *demux;
  GstHarness *in;
  GstHarness *out[3];           /* dtls, rtp, rtcp */
} Demux;

static const gchar *out_pads[3] = { "dtls_src", "rtp_src", "rtcp_src" };
static const gchar *out_caps[3] = {
  "application/x-dtls", "application/x-srtp", "application/x-srtcp"
};

static Demux *
demux_new (void)
{
  Demux *d = g_new0 (Demux, 1);
  guint i;

  sec_check_factory_is_ours ("secdtlssrtpdemux");
  sec_check_factory_absent ("dtlssrtpdemux");
  d->demux = gst_element_factory_make ("secdtlssrtpdemux", NULL);
  fail_unless (d->demux != NULL);
  d->in = gst_harness_new_with_element (d->demux, "sink", NULL);
  for (i = 0; i < 3; i++)
    d->out[i] = gst_harness_new_with_element (d->demux, NULL, out_pads[i]);
  gst_harness_play (d->in);
  /* stream-start, caps (any: the outputs have their own) and segment */
  gst_harness_set_src_caps_str (d->in, "application/x-ice-datagram");
  return d;
}

static void
demux_free (Demux * d)
{
  guint i;

  for (i = 0; i < 3; i++)
    gst_harness_teardown (d->out[i]);
  gst_harness_teardown (d->in);
  gst_object_unref (d->demux);
  g_free (d);
}

static void
push (Demux * d, const guint8 * data, gsize len)
{
  fail_unless_equals_int (gst_harness_push (d->in,
          gst_buffer_new_memdup (data, len)), GST_FLOW_OK);
}

/* the next buffer on output @i holds @data */
static void
expect (Demux * d, guint i, const guint8 * data, gsize len)
{
  GstBuffer *b = gst_harness_try_pull (d->out[i]);

  fail_unless (b != NULL, "nothing on %s", out_pads[i]);
  fail_unless (gst_buffer_memcmp (b, 0, data, len) == 0
      && gst_buffer_get_size (b) == len, "wrong datagram on %s",
      out_pads[i]);
  gst_buffer_unref (b);
}

static guint64
stat (Demux * d, const gchar * field)
{
  GstStructure *s = NULL;
  guint64 v = 0;

  g_object_get (d->demux, "stats", &s, NULL);
  fail_unless (gst_structure_get_uint64 (s, field, &v), "no %s", field);
  gst_structure_free (s);
  return v;
}

static const guint8 client_hello[] = {
  0x16, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x40, 0x01, 0x00, 0x00, 0x34
};
static const guint8 srtp[] = {
  0x80, 0x60, 0x12, 0x34, 0x00, 0x00, 0x10, 0x00, 0xde, 0xad, 0xbe, 0xef,
  0xaa, 0xbb, 0xcc
};
static const guint8 srtcp[] = {
  0x81, 0xc9, 0x00, 0x07, 0xde, 0xad, 0xbe, 0xef, 0x80, 0x00, 0x00, 0x01,
  0x11, 0x22
};

GST_START_TEST (test_routes_each_protocol)
{
  Demux *d = demux_new ();
  guint i;

  push (d, client_hello, sizeof (client_hello));
  push (d, srtp, sizeof (srtp));
  push (d, srtcp, sizeof (srtcp));
  push (d, srtp, sizeof (srtp));
  expect (d, 0, client_hello, sizeof (client_hello));
  expect (d, 1, srtp, sizeof (srtp));
  expect (d, 1, srtp, sizeof (srtp));
  expect (d, 2, srtcp, sizeof (srtcp));
  for (i = 0; i < 3; i++) {
    GstCaps *caps = gst_pad_get_current_caps (GST_PAD_PEER (d->out[i]->
            sinkpad));
    GstCaps *want = gst_caps_from_string (out_caps[i]);

    fail_unless (caps && gst_caps_is_equal (caps, want), "caps on %s: %"
        GST_PTR_FORMAT, out_pads[i], caps);
    gst_caps_unref (caps);
    gst_caps_unref (want);
    fail_unless_equals_int (gst_harness_buffers_in_queue (d->out[i]), 0);
  }
  fail_unless_equals_int (stat (d, "dtls"), 1);
  fail_unless_equals_int (stat (d, "rtp"), 2);
  fail_unless_equals_int (stat (d, "rtcp"), 1);
  demux_free (d);
}

GST_END_TEST;

/* STUN, ZRTP, TURN channel data, unknown first bytes and datagrams too
 * short for what they claim: dropped, counted, nothing passed on */
GST_START_TEST (test_drops_the_rest)
{
  Demux *d = demux_new ();
  static const guint8 stun[] = { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4,
    0x42
  };
  static const guint8 zrtp[] = { 0x10, 0x00, 0x00, 0x00 };
  static const guint8 channel[] = { 0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4 };
  static const guint8 unknown[] = { 0xff, 0x01, 0x02 };
  guint i;
  gsize len;

  push (d, stun, sizeof (stun));
  push (d, zrtp, sizeof (zrtp));
  push (d, channel, sizeof (channel));
  push (d, unknown, sizeof (unknown));
  /* every prefix too short to be what it says */
  for (len = 1; len < 13; len++)
    push (d, client_hello, len);
  for (len = 1; len < 12; len++)
    push (d, srtp, len);
  fail_unless_equals_int (gst_harness_push (d->in, gst_buffer_new ()),
      GST_FLOW_OK);
  for (i = 0; i < 3; i++)
    fail_unless_equals_int (gst_harness_buffers_in_queue (d->out[i]), 0);
  fail_unless_equals_int (stat (d, "stun"), 1);
  fail_unless_equals_int (stat (d, "zrtp"), 1);
  fail_unless_equals_int (stat (d, "turn-channel"), 1);
  fail_unless_equals_int (stat (d, "unknown"), 1);
  /* 12 DTLS prefixes, 11 RTP prefixes (one of two bytes is RTCP-like:
   * 0x80 0x60 is RTP, so all count as malformed), the empty buffer */
  fail_unless_equals_int (stat (d, "malformed"), 12 + 11 + 1);
  /* real traffic still flows afterwards */
  push (d, srtp, sizeof (srtp));
  expect (d, 1, srtp, sizeof (srtp));
  demux_free (d);
}

GST_END_TEST;

/* a buffer list is routed buffer by buffer, in order */
GST_START_TEST (test_buffer_list)
{
  Demux *d = demux_new ();
  GstBufferList *list = gst_buffer_list_new ();

  gst_buffer_list_add (list, gst_buffer_new_memdup (srtp, sizeof (srtp)));
  gst_buffer_list_add (list, gst_buffer_new_memdup (client_hello,
          sizeof (client_hello)));
  gst_buffer_list_add (list, gst_buffer_new_memdup ("\x01\x01", 2));
  gst_buffer_list_add (list, gst_buffer_new_memdup (srtcp, sizeof (srtcp)));
  fail_unless_equals_int (gst_pad_push_list (d->in->srcpad, list), GST_FLOW_OK);
  expect (d, 1, srtp, sizeof (srtp));
  expect (d, 0, client_hello, sizeof (client_hello));
  expect (d, 2, srtcp, sizeof (srtcp));
  fail_unless_equals_int (stat (d, "stun"), 1);
  demux_free (d);
}

GST_END_TEST;

static Suite *
secdtlssrtpdemux_suite (void)
{
  Suite *s = suite_create ("secdtlssrtpdemux");
  TCase *tc = tcase_create ("demux");

  tcase_add_test (tc, test_routes_each_protocol);
  tcase_add_test (tc, test_drops_the_rest);
  tcase_add_test (tc, test_buffer_list);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (secdtlssrtpdemux);
