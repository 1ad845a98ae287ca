/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Variants c and d: an encoder linked to a decoder, driven by pads the
 * benchmark owns, with no pipeline, thread or queue in the way:
 *
 *   bench src pad -> encoder rtp_sink_0 / rtp_src_0
 *                 -> decoder rtp_sink(_0) / rtp_src(_0) -> bench sink pad
 *
 * Every gst_pad_push () runs the encoder, the decoder and the counting
 * chain function on this thread before it returns.
 *
 * c is gst-plugins-bad's srtpenc ! srtpdec. Its srtpdec takes the key
 * from the caps srtpenc puts on its source pad (srtp-key, srtp-cipher,
 * ...), with the request-key signal as a fallback. In 1.22 its srtpdec
 * cannot take buffer lists, so c runs in single mode only.
 *
 * d is our secsrtpenc ! secsrtpdec with the key and profile properties.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "srtpbench.h"


typedef struct
{
  BenchRunner runner;
  BenchVariant variant;
  BenchProfile profile;
  BenchMode mode;
  GstElement *encoder;
  GstElement *decoder;
  GstPad *encoder_sink;         /* the requested pad, released at free */
  GstPad *decoder_sink;         /* requested for d, static for c */
  GstPad *src;                  /* ours, pushes into the encoder */
  GstPad *sink;                 /* ours, counts what the decoder sends */
  guint16 seq;                  /* next sequence number to send */
  guint16 expected_seq;         /* next sequence number the sink wants */
  gint64 intact;                /* packets that arrived as sent */
  gint64 damaged;               /* wrong size, content or order */
  gboolean use_allocation;      /* allocate as the allocation query says */
  GstAllocationParams params;
  gchar *backend;
} ElementRunner;

/* ---- the sink end: count and unref ---- */

static void
receive_buffer (ElementRunner * self, GstBuffer * buf)
{
  GstMapInfo map;

  if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
    if (bench_packet_check (map.data, map.size, self->expected_seq))
      self->intact++;
    else
      self->damaged++;
    gst_buffer_unmap (buf, &map);
  } else {
    self->damaged++;
  }
  self->expected_seq++;
}

static GstFlowReturn
sink_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  ElementRunner *self = gst_pad_get_element_private (pad);

  receive_buffer (self, buf);
  gst_buffer_unref (buf);
  return GST_FLOW_OK;
}

static GstFlowReturn
sink_chain_list (GstPad * pad, GstObject * parent, GstBufferList * list)
{
  ElementRunner *self = gst_pad_get_element_private (pad);
  guint i, n = gst_buffer_list_length (list);

  for (i = 0; i < n; i++)
    receive_buffer (self, gst_buffer_list_get (list, i));
  gst_buffer_list_unref (list);
  return GST_FLOW_OK;
}

static gboolean
sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  gst_event_unref (event);
  return TRUE;
}

/* ---- the source end: fresh packets ---- */

static GstBuffer *
new_packet (ElementRunner * self)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, BENCH_PACKET_SIZE,
      self->use_allocation ? &self->params : NULL);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  bench_packet_fill (map.data, self->seq++);
  gst_buffer_unmap (buf, &map);
  return buf;
}

static gint64
element_process (BenchRunner * runner, guint n)
{
  ElementRunner *self = (ElementRunner *) runner;
  gint64 intact_before = self->intact;
  GstFlowReturn flow;
  guint i, j;

  if (self->mode == BENCH_MODE_SINGLE) {
    for (i = 0; i < n; i++) {
      flow = gst_pad_push (self->src, new_packet (self));
      if (flow != GST_FLOW_OK)
        goto flow_error;
    }
  } else {
    for (i = 0; i < n; i += BENCH_LIST_LEN) {
      GstBufferList *list = gst_buffer_list_new_sized (BENCH_LIST_LEN);

      for (j = 0; j < BENCH_LIST_LEN; j++)
        gst_buffer_list_add (list, new_packet (self));
      flow = gst_pad_push_list (self->src, list);
      if (flow != GST_FLOW_OK)
        goto flow_error;
    }
  }
  if (self->damaged > 0) {
    g_printerr ("%" G_GINT64_FORMAT " packet(s) arrived damaged or out of "
        "order\n", self->damaged);
    return -1;
  }
  return self->intact - intact_before;

flow_error:
  g_printerr ("push returned %s\n", gst_flow_get_name (flow));
  return -1;
}

/* ---- set-up ---- */

/* The environment check of docs/design/overview.md: the elements
 * measured are the ones the column says, and the other implementation is
 * not in the process (it would share libsrtp2's crypto kernel). Ours may
 * come from any plugin file of the build tree. */
static gboolean
check_factories (BenchVariant variant)
{
  static const gchar *const ours[] = { "secsrtpenc", "secsrtpdec" };
  static const gchar *const bad[] = { "srtpenc", "srtpdec" };

  if (variant == BENCH_VARIANT_OURS)
    return sec_bench_check_factories ("SEC_BUILD_ROOT", NULL, ours, bad,
        G_N_ELEMENTS (ours));
  /* gst-plugins-bad's srtp plugin, straight from the system dir */
  return sec_bench_check_factories ("SEC_SYSTEM_PLUGIN_DIR",
      "libgstsrtp.so", bad, ours, G_N_ELEMENTS (bad));
}

static GstBuffer *
key_buffer (BenchProfile profile)
{
  gsize key_len;
  const guint8 *key = bench_profile_key (profile, &key_len);

  return gst_buffer_new_memdup (key, key_len);
}

/* gst-plugins-bad srtpdec: the key for an SSRC it has none for. */
static GstCaps *
on_request_key (GstElement * decoder, guint ssrc, gpointer user_data)
{
  ElementRunner *self = user_data;
  GstBuffer *key = key_buffer (self->profile);
  gboolean cm = self->profile == BENCH_PROFILE_CM;
  GstCaps *caps;

  caps = gst_caps_new_simple ("application/x-srtp",
      "ssrc", G_TYPE_UINT, ssrc,
      "srtp-key", GST_TYPE_BUFFER, key,
      "srtp-cipher", G_TYPE_STRING, cm ? "aes-128-icm" : "aes-128-gcm",
      "srtp-auth", G_TYPE_STRING, cm ? "hmac-sha1-80" : "null",
      "srtcp-cipher", G_TYPE_STRING, cm ? "aes-128-icm" : "aes-128-gcm",
      "srtcp-auth", G_TYPE_STRING, cm ? "hmac-sha1-80" : "null", NULL);
  gst_buffer_unref (key);
  return caps;
}

static gboolean
configure_elements (ElementRunner * self)
{
  GstBuffer *key = key_buffer (self->profile);
  gboolean cm = self->profile == BENCH_PROFILE_CM;

  if (self->variant == BENCH_VARIANT_OURS) {
    const gchar *profile = cm ? "aes128-cm-sha1-80" : "aead-aes-128-gcm";

    g_object_set (self->encoder, "key", key, NULL);
    g_object_set (self->decoder, "key", key, NULL);
    gst_util_set_object_arg (G_OBJECT (self->encoder), "profile", profile);
    gst_util_set_object_arg (G_OBJECT (self->decoder), "profile", profile);
  } else {
    const gchar *cipher = cm ? "aes-128-icm" : "aes-128-gcm";
    const gchar *auth = cm ? "hmac-sha1-80" : "null";

    g_object_set (self->encoder, "key", key, NULL);
    gst_util_set_object_arg (G_OBJECT (self->encoder), "rtp-cipher", cipher);
    gst_util_set_object_arg (G_OBJECT (self->encoder), "rtcp-cipher", cipher);
    gst_util_set_object_arg (G_OBJECT (self->encoder), "rtp-auth", auth);
    gst_util_set_object_arg (G_OBJECT (self->encoder), "rtcp-auth", auth);
    g_signal_connect (self->decoder, "request-key",
        G_CALLBACK (on_request_key), self);
  }
  gst_buffer_unref (key);
  return TRUE;
}

static gboolean
link_and_start (ElementRunner * self)
{
  GstPad *encoder_src = NULL, *decoder_src = NULL;
  GstCaps *caps;
  GstSegment segment;
  gboolean ok = FALSE;

  self->encoder_sink = gst_element_request_pad_simple (self->encoder,
      "rtp_sink_%u");
  if (self->variant == BENCH_VARIANT_OURS)
    self->decoder_sink = gst_element_request_pad_simple (self->decoder,
        "rtp_sink_%u");
  else
    self->decoder_sink = gst_element_get_static_pad (self->decoder,
        "rtp_sink");
  if (self->encoder_sink == NULL || self->decoder_sink == NULL) {
    g_printerr ("could not get the elements' RTP sink pads\n");
    return FALSE;
  }
  encoder_src = gst_element_get_static_pad (self->encoder, "rtp_src_0");
  decoder_src = gst_element_get_static_pad (self->decoder,
      self->variant == BENCH_VARIANT_OURS ? "rtp_src_0" : "rtp_src");
  if (encoder_src == NULL || decoder_src == NULL) {
    g_printerr ("could not get the elements' RTP source pads\n");
    goto done;
  }

  self->src = gst_pad_new ("bench_src", GST_PAD_SRC);
  self->sink = gst_pad_new ("bench_sink", GST_PAD_SINK);
  gst_pad_set_element_private (self->sink, self);
  gst_pad_set_chain_function (self->sink, sink_chain);
  gst_pad_set_chain_list_function (self->sink, sink_chain_list);
  gst_pad_set_event_function (self->sink, sink_event);

  if (gst_pad_link (self->src, self->encoder_sink) != GST_PAD_LINK_OK
      || gst_pad_link (encoder_src, self->decoder_sink) != GST_PAD_LINK_OK
      || gst_pad_link (decoder_src, self->sink) != GST_PAD_LINK_OK) {
    g_printerr ("could not link the pads\n");
    goto done;
  }
  gst_pad_set_active (self->sink, TRUE);
  gst_pad_set_active (self->src, TRUE);
  if (gst_element_set_state (self->decoder, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE
      || gst_element_set_state (self->encoder, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE) {
    g_printerr ("could not start the elements\n");
    goto done;
  }

  caps = gst_caps_new_simple ("application/x-rtp",
      "media", G_TYPE_STRING, "video",
      "clock-rate", G_TYPE_INT, 90000,
      "encoding-name", G_TYPE_STRING, "VP8",
      "payload", G_TYPE_INT, BENCH_PAYLOAD_TYPE,
      "ssrc", G_TYPE_UINT, BENCH_SSRC, NULL);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  if (!gst_pad_push_event (self->src,
          gst_event_new_stream_start ("srtp-bench"))
      || !gst_pad_push_event (self->src, gst_event_new_caps (caps))
      || !gst_pad_push_event (self->src, gst_event_new_segment (&segment))) {
    g_printerr ("the elements refused stream-start, caps or segment\n");
    gst_caps_unref (caps);
    goto done;
  }
  if (self->use_allocation) {
    /* what a payloader that honours the query would do: secsrtpenc
     * asks for padding to protect in place */
    GstQuery *query = gst_query_new_allocation (caps, TRUE);

    gst_allocation_params_init (&self->params);
    if (gst_pad_peer_query (self->src, query)
        && gst_query_get_n_allocation_params (query) > 0)
      gst_query_parse_nth_allocation_param (query, 0, NULL, &self->params);
    g_printerr ("allocation query: padding %" G_GSIZE_FORMAT "\n",
        self->params.padding);
    gst_query_unref (query);
  }
  gst_caps_unref (caps);
  ok = TRUE;

done:
  if (encoder_src)
    gst_object_unref (encoder_src);
  if (decoder_src)
    gst_object_unref (decoder_src);
  return ok;
}

static void
element_free (BenchRunner * runner)
{
  ElementRunner *self = (ElementRunner *) runner;

  if (self->encoder)
    gst_element_set_state (self->encoder, GST_STATE_NULL);
  if (self->decoder)
    gst_element_set_state (self->decoder, GST_STATE_NULL);
  if (self->src) {
    gst_pad_set_active (self->src, FALSE);
    gst_object_unref (self->src);
  }
  if (self->sink) {
    gst_pad_set_active (self->sink, FALSE);
    gst_object_unref (self->sink);
  }
  if (self->encoder_sink) {
    gst_element_release_request_pad (self->encoder, self->encoder_sink);
    gst_object_unref (self->encoder_sink);
  }
  if (self->decoder_sink) {
    if (self->variant == BENCH_VARIANT_OURS)
      gst_element_release_request_pad (self->decoder, self->decoder_sink);
    gst_object_unref (self->decoder_sink);
  }
  if (self->encoder)
    gst_object_unref (self->encoder);
  if (self->decoder)
    gst_object_unref (self->decoder);
  g_free (self->backend);
  g_free (self);
}

/* What our encoder reports in its stats (d only). */
static gchar *
stats_backend (GstElement * element)
{
  GstStructure *stats = NULL;
  gchar *backend;

  g_object_get (element, "stats", &stats, NULL);
  if (stats == NULL)
    return g_strdup ("unknown");
  backend = g_strdup (gst_structure_get_string (stats, "crypto-backend"));
  gst_structure_free (stats);
  return backend ? backend : g_strdup ("unknown");
}

BenchRunner *
bench_element_runner_new (BenchVariant variant, BenchProfile profile,
    BenchMode mode, gboolean allocation_query)
{
  ElementRunner *self;
  gboolean ours = variant == BENCH_VARIANT_OURS;

  g_return_val_if_fail (variant == BENCH_VARIANT_BAD
      || variant == BENCH_VARIANT_OURS, NULL);

  if (variant == BENCH_VARIANT_BAD && mode == BENCH_MODE_LIST) {
    g_printerr ("gst-plugins-bad's srtpdec does not handle buffer lists in "
        "1.22: variant c runs in single mode only\n");
    return NULL;
  }
  if (!check_factories (variant))
    return NULL;

  self = g_new0 (ElementRunner, 1);
  self->runner.process = element_process;
  self->runner.free = element_free;
  self->variant = variant;
  self->profile = profile;
  self->mode = mode;
  self->use_allocation = allocation_query;
  self->seq = self->expected_seq = 1;
  self->encoder = gst_element_factory_make (ours ? "secsrtpenc" : "srtpenc",
      NULL);
  self->decoder = gst_element_factory_make (ours ? "secsrtpdec" : "srtpdec",
      NULL);
  if (self->encoder == NULL || self->decoder == NULL) {
    g_printerr ("could not create the elements\n");
    element_free (&self->runner);
    return NULL;
  }
  gst_object_ref_sink (self->encoder);
  gst_object_ref_sink (self->decoder);

  if (!configure_elements (self) || !link_and_start (self)) {
    element_free (&self->runner);
    return NULL;
  }

  /* gst-plugins-bad uses whatever libsrtp2 has: with our plugin kept
   * out of this process, its built-in crypto */
  self->backend = ours ? stats_backend (self->encoder) : g_strdup ("libsrtp2");
  self->runner.crypto_backend = self->backend;
  return &self->runner;
}
