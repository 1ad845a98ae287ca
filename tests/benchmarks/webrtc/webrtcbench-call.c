/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A call (webrtcbench.h): two peers in this process, each a pipeline of
 * its own holding one bin, with the same media whichever bin it is.
 *
 * BENCH_MEDIA_VIDEO, per peer:
 *
 *   appsrc name=benchsrc ! rtpvp8pay ! bin.sink_0
 *   bin.src_N ! rtpvp8depay ! vp8dec threads=1 ! fakesink   (counts frames)
 *
 * BENCH_MEDIA_VIDEO_UNDECODED: the same without vp8dec.
 *
 * The frames are 160x120 VP8 keyframes (videotestsrc's ball) made once
 * per process before anything is timed; the feeder thread, one per
 * process, pushes the next one into every peer's appsrc 30 times a
 * second. Every frame being a keyframe, the first one that crosses the
 * call decodes: the time to the first decoded frame is the bins', not
 * the encoder's keyframe interval or its answer to a keyframe request.
 * The appsrc is live, timestamps what it gets and keeps at most one
 * frame, dropping the older one (leaky), so the feeder never waits:
 * webrtcbin blocks the streaming thread on its sink pad until DTLS has
 * its keys (as a live source's thread would block), ours drops what
 * comes before the keys. The appsrc's streaming thread ("benchsrc:src")
 * is the application's, the same for both bins.
 *
 * BENCH_MEDIA_RTP, per peer: a pad of the benchmark's own linked to the
 * bin's sink_0 (caps for VP8, payload type 96, pushed at once), whose
 * packets the benchmark pushes from its own thread once the call is
 * connected; received packets go to a sink pad of the benchmark's own
 * that checks and counts each one (webrtcbench-rate.c).
 *
 * Signaling: descriptions from one bin's promise to the other's action
 * signal; candidates from on-ice-candidate to the other bin's
 * add-ice-candidate as the bins emit them (trickle), held only until the
 * receiving bin has applied its remote description.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "webrtcbench.h"

#include <string.h>

#define FRAMES 30 /* made once, sent in a loop */
#define VIDEO_CAPS "video/x-raw,width=160,height=120,framerate=30/1"
#define RTP_SSRC 0x5eb0a7c5
#define RTP_CAPS                                                               \
  "application/x-rtp,media=video,encoding-name=VP8,"                           \
  "clock-rate=90000,payload=96"

typedef struct _BenchPeer BenchPeer;

struct _BenchPeer
{
  BenchCall *call;
  gint index;
  GstElement *pipeline;
  GstElement *webrtc; /* owned by the pipeline */
  GstElement *appsrc; /* VIDEO; owned by the pipeline */
  GstPad *rtp_src;    /* RTP: ours, linked to the bin */
  GstPad *rtp_sink;   /* RTP: ours, once a stream arrived */

  /* protected by the watch's lock */
  gboolean remote_set;        /* its remote description is applied */
  GPtrArray *held_candidates; /* for it, until then: mline, candidate */
  gint64 ice_ns, dtls_ns, frame_ns;
  gboolean have_caps; /* caps reached the bin's sink pad */
  guint64 rtp_received;
};

struct _BenchCall
{
  const BenchWebrtcImpl *impl;
  BenchWatch *watch;
  BenchMedia media;
  BenchPeer peer[2];
  gpointer offer, answer; /* the implementation's descriptions */
};

/* ---- the watch ---- */

void
bench_watch_init (BenchWatch *watch)
{
  memset (watch, 0, sizeof (*watch));
  g_mutex_init (&watch->lock);
  g_cond_init (&watch->cond);
}

void
bench_watch_clear (BenchWatch *watch)
{
  g_free (watch->error);
  g_mutex_clear (&watch->lock);
  g_cond_clear (&watch->cond);
}

void
bench_watch_fail (BenchWatch *watch, gchar *message)
{
  g_mutex_lock (&watch->lock);
  if (watch->error == NULL) {
    watch->error = message;
    message = NULL;
  }
  g_cond_broadcast (&watch->cond);
  g_mutex_unlock (&watch->lock);
  g_free (message);
}

static const gchar *const milestone_names[] = {
  [BENCH_MILESTONE_ICE] = "ICE connected",
  [BENCH_MILESTONE_DTLS] = "connected (DTLS)",
  [BENCH_MILESTONE_FRAME] = "a decoded frame",
};

static guint *
milestone_count (BenchWatch *watch, BenchMilestone milestone)
{
  switch (milestone) {
    case BENCH_MILESTONE_ICE:
      return &watch->ice;
    case BENCH_MILESTONE_DTLS:
      return &watch->dtls;
    case BENCH_MILESTONE_FRAME:
    default:
      return &watch->frames;
  }
}

gboolean
bench_watch_wait (BenchWatch *watch, BenchMilestone milestone, guint peers,
    gint64 deadline_us)
{
  guint *count = milestone_count (watch, milestone);
  gboolean ok;

  g_mutex_lock (&watch->lock);
  while (watch->error == NULL && *count < peers) {
    if (!g_cond_wait_until (&watch->cond, &watch->lock, deadline_us))
      break;
  }
  ok = watch->error == NULL && *count >= peers;
  if (watch->error != NULL)
    g_printerr ("call failed: %s\n", watch->error);
  else if (!ok)
    g_printerr ("only %u of %u peers reached %s in time (ICE %u, DTLS %u, "
                "frames %u)\n",
        *count, peers, milestone_names[milestone], watch->ice, watch->dtls,
        watch->frames);
  g_mutex_unlock (&watch->lock);
  return ok;
}

/* Stores @now in *@slot and counts the milestone, the first time. */
static void
peer_reached (
    BenchPeer *peer, gint64 *slot, BenchMilestone milestone, gint64 now)
{
  BenchWatch *watch = peer->call->watch;

  g_mutex_lock (&watch->lock);
  if (*slot == 0) {
    *slot = now;
    (*milestone_count (watch, milestone))++;
    g_cond_broadcast (&watch->cond);
  }
  g_mutex_unlock (&watch->lock);
}

/* ---- media: the frames and the feeder thread ---- */

typedef struct
{
  GMutex lock;
  GCond cond;
  GThread *thread;
  /* protected by lock */
  gboolean stop;
  GPtrArray *sources; /* appsrc, a reference each */
  /* set before the thread starts */
  GstBuffer *frames[FRAMES];
  GstCaps *caps;
} Feeder;

static Feeder feeder;

static void
on_encoded (GstElement *sink, GstBuffer *buffer, GstPad *pad, guint *n_frames)
{
  (void)sink;
  (void)pad;
  if (*n_frames < FRAMES) {
    feeder.frames[*n_frames] = gst_buffer_copy_deep (buffer);
    GST_BUFFER_PTS (feeder.frames[*n_frames]) = GST_CLOCK_TIME_NONE;
    GST_BUFFER_DTS (feeder.frames[*n_frames]) = GST_CLOCK_TIME_NONE;
    (*n_frames)++;
  }
}

/* The keyframes, made once: the encoder's time is not the bins'. */
static gboolean
encode_frames (void)
{
  GError *error = NULL;
  gchar *description = g_strdup_printf (
      "videotestsrc num-buffers=%d "
      "pattern=ball ! " VIDEO_CAPS " ! vp8enc deadline=1 keyframe-max-dist=1 "
      "! fakesink name=out signal-handoffs=true sync=false",
      FRAMES);
  GstElement *pipeline = gst_parse_launch (description, &error);
  GstElement *out;
  GstPad *pad;
  GstBus *bus;
  GstMessage *msg;
  guint n_frames = 0, i;
  gboolean ok;

  g_free (description);
  if (pipeline == NULL) {
    g_printerr ("cannot make the VP8 frames: %s\n", error->message);
    g_clear_error (&error);
    return FALSE;
  }
  out = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  g_signal_connect (out, "handoff", G_CALLBACK (on_encoded), &n_frames);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (
      bus, 30 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  pad = gst_element_get_static_pad (out, "sink");
  feeder.caps = gst_pad_get_current_caps (pad);
  gst_object_unref (pad);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  ok = msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS
      && n_frames == FRAMES && feeder.caps != NULL;
  for (i = 0; ok && i < FRAMES; i++)
    ok = !GST_BUFFER_FLAG_IS_SET (feeder.frames[i], GST_BUFFER_FLAG_DELTA_UNIT);
  if (!ok)
    g_printerr ("vp8enc made %u of %d frames, not all keyframes or without "
                "caps\n",
        n_frames, FRAMES);
  if (msg)
    gst_message_unref (msg);
  gst_object_unref (bus);
  gst_object_unref (out);
  gst_object_unref (pipeline);
  return ok;
}

static gpointer
feeder_run (gpointer data)
{
  gint64 next = g_get_monotonic_time ();
  guint frame = 0;

  (void)data;
  g_mutex_lock (&feeder.lock);
  while (!feeder.stop) {
    guint i;

    for (i = 0; i < feeder.sources->len; i++) {
      GstFlowReturn ret;

      /* appsrc takes its own reference; it never blocks (leaky) */
      g_signal_emit_by_name (g_ptr_array_index (feeder.sources, i),
          "push-buffer", feeder.frames[frame], &ret);
    }
    frame = (frame + 1) % FRAMES;
    next += G_USEC_PER_SEC / BENCH_FRAME_RATE;
    while (!feeder.stop && g_cond_wait_until (&feeder.cond, &feeder.lock, next))
      ;
  }
  g_mutex_unlock (&feeder.lock);
  return NULL;
}

gboolean
bench_media_init (void)
{
  g_mutex_init (&feeder.lock);
  g_cond_init (&feeder.cond);
  feeder.sources = g_ptr_array_new_with_free_func (gst_object_unref);
  if (!encode_frames ())
    return FALSE;
  feeder.thread = g_thread_new ("bench-feeder", feeder_run, NULL);
  return TRUE;
}

void
bench_media_shutdown (void)
{
  guint i;

  if (feeder.thread) {
    g_mutex_lock (&feeder.lock);
    feeder.stop = TRUE;
    g_cond_broadcast (&feeder.cond);
    g_mutex_unlock (&feeder.lock);
    g_thread_join (feeder.thread);
    feeder.thread = NULL;
  }
  for (i = 0; i < FRAMES; i++)
    gst_clear_buffer (&feeder.frames[i]);
  gst_clear_caps (&feeder.caps);
  g_clear_pointer (&feeder.sources, g_ptr_array_unref);
}

static void
feeder_add (GstElement *appsrc)
{
  g_mutex_lock (&feeder.lock);
  g_ptr_array_add (feeder.sources, gst_object_ref (appsrc));
  g_mutex_unlock (&feeder.lock);
}

static void
feeder_remove (GstElement *appsrc)
{
  g_mutex_lock (&feeder.lock);
  g_ptr_array_remove_fast (feeder.sources, appsrc);
  g_mutex_unlock (&feeder.lock);
}

/* ---- RTP packets ---- */

static guint8
pattern_byte (guint32 index, gsize i)
{
  return (guint8)(index * 7 + i);
}

GstBuffer *
bench_rtp_packet_new (guint32 index, guint32 timestamp, gsize payload_len)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 12 + payload_len, NULL);
  GstMapInfo map;
  gsize i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  map.data[0] = 0x80;
  map.data[1] = 0x80 | 96; /* marker: each packet a whole frame */
  GST_WRITE_UINT16_BE (map.data + 2, (guint16)index);
  GST_WRITE_UINT32_BE (map.data + 4, timestamp);
  GST_WRITE_UINT32_BE (map.data + 8, RTP_SSRC);
  GST_WRITE_UINT32_BE (map.data + 12, index);
  for (i = 4; i < payload_len; i++)
    map.data[12 + i] = pattern_byte (index, i);
  gst_buffer_unmap (buf, &map);
  return buf;
}

/* The payload of a received packet, as the sender made it? */
static gboolean
rtp_packet_intact (GstBuffer *buf)
{
  GstMapInfo map;
  gboolean ok = FALSE;

  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return FALSE;
  if (map.size >= 12 && (map.data[0] >> 6) == 2) {
    gsize offset = 12 + 4 * (map.data[0] & 0x0f);
    gsize end = map.size;

    if ((map.data[0] & 0x10) && offset + 4 <= end) /* extension */
      offset += 4 + 4 * GST_READ_UINT16_BE (map.data + offset + 2);
    if ((map.data[0] & 0x20) && end > offset) /* padding */
      end -= map.data[end - 1];
    if (offset + 4 <= end) {
      guint32 index = GST_READ_UINT32_BE (map.data + offset);
      gsize i;

      ok = TRUE;
      for (i = 4; ok && offset + i < end; i++)
        ok = map.data[offset + i] == pattern_byte (index, i);
    }
  }
  gst_buffer_unmap (buf, &map);
  return ok;
}

static GstFlowReturn
rtp_chain (GstPad *pad, GstObject *parent, GstBuffer *buf)
{
  BenchPeer *peer = g_object_get_data (G_OBJECT (pad), "peer");
  BenchWatch *watch = peer->call->watch;
  gboolean intact = rtp_packet_intact (buf);

  (void)parent;
  gst_buffer_unref (buf);
  if (!intact) {
    bench_watch_fail (watch,
        g_strdup_printf ("peer %d (%s) received a "
                         "packet that was changed on its way",
            peer->index, peer->call->impl->name));
    return GST_FLOW_ERROR;
  }
  g_mutex_lock (&watch->lock);
  peer->rtp_received++;
  g_mutex_unlock (&watch->lock);
  return GST_FLOW_OK;
}

/* ---- a peer ---- */

/* A candidate travels as signaling carries it: held until the peer it
 * is for has applied its remote description (as applications and
 * tests/interop/webrtc-gstbad-peer.py do; webrtcbin 1.22 lost some that
 * came before), then handed over at once. */
static void
on_ice_candidate (
    GstElement *webrtc, guint mline, const gchar *candidate, BenchPeer *peer)
{
  BenchPeer *other = &peer->call->peer[1 - peer->index];
  BenchWatch *watch = peer->call->watch;
  gboolean now;

  (void)webrtc;
  g_mutex_lock (&watch->lock);
  now = other->remote_set;
  if (!now) {
    g_ptr_array_add (other->held_candidates, GUINT_TO_POINTER (mline));
    g_ptr_array_add (other->held_candidates, g_strdup (candidate));
  }
  g_mutex_unlock (&watch->lock);
  if (now)
    g_signal_emit_by_name (
        other->webrtc, "add-ice-candidate", mline, candidate);
}

/* @peer applied its remote description: the candidates held for it. */
static void
peer_remote_set (BenchPeer *peer)
{
  BenchWatch *watch = peer->call->watch;
  GPtrArray *held;
  guint i;

  g_mutex_lock (&watch->lock);
  peer->remote_set = TRUE;
  held = peer->held_candidates;
  peer->held_candidates = g_ptr_array_new ();
  g_mutex_unlock (&watch->lock);
  for (i = 0; i + 1 < held->len; i += 2) {
    g_signal_emit_by_name (peer->webrtc, "add-ice-candidate",
        GPOINTER_TO_UINT (g_ptr_array_index (held, i)),
        (const gchar *)g_ptr_array_index (held, i + 1));
    g_free (g_ptr_array_index (held, i + 1));
  }
  g_ptr_array_unref (held);
}

static void
on_ice_state (GObject *webrtc, GParamSpec *pspec, BenchPeer *peer)
{
  gint64 now = sec_bench_now_ns ();
  const gchar *nick = sec_bench_enum_nick (webrtc, "ice-connection-state");

  (void)pspec;
  if (g_str_equal (nick, "connected") || g_str_equal (nick, "completed"))
    peer_reached (peer, &peer->ice_ns, BENCH_MILESTONE_ICE, now);
  else if (g_str_equal (nick, "failed"))
    bench_watch_fail (peer->call->watch,
        g_strdup_printf ("peer %d (%s): "
                         "ice-connection-state failed",
            peer->index, peer->call->impl->name));
}

static void
on_connection_state (GObject *webrtc, GParamSpec *pspec, BenchPeer *peer)
{
  gint64 now = sec_bench_now_ns ();
  const gchar *nick = sec_bench_enum_nick (webrtc, "connection-state");

  (void)pspec;
  if (g_str_equal (nick, "connected"))
    peer_reached (peer, &peer->dtls_ns, BENCH_MILESTONE_DTLS, now);
  else if (g_str_equal (nick, "failed"))
    bench_watch_fail (peer->call->watch,
        g_strdup_printf ("peer %d (%s): "
                         "connection-state failed",
            peer->index, peer->call->impl->name));
}

static void
on_frame (GstElement *sink, GstBuffer *buffer, GstPad *pad, BenchPeer *peer)
{
  gint64 now = sec_bench_now_ns ();

  (void)sink;
  (void)buffer;
  (void)pad;
  peer_reached (peer, &peer->frame_ns, BENCH_MILESTONE_FRAME, now);
}

/* A received stream (a streaming thread of the bin's). */
static void
on_pad_added (GstElement *webrtc, GstPad *pad, BenchPeer *peer)
{
  (void)webrtc;
  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  if (peer->call->media != BENCH_MEDIA_RTP) {
    GError *error = NULL;
    /* threads=1: libvpx starts no worker thread of its own */
    GstElement *decoder = gst_parse_bin_from_description (
        peer->call->media == BENCH_MEDIA_VIDEO
            ? "rtpvp8depay ! "
              "vp8dec threads=1 ! fakesink name=frames sync=false async=false "
              "signal-handoffs=true"
            : "rtpvp8depay ! fakesink name=frames "
              "sync=false async=false signal-handoffs=true",
        TRUE, &error);
    GstElement *sink;
    GstPad *decoder_sink;

    if (decoder == NULL) {
      bench_watch_fail (peer->call->watch,
          g_strdup_printf ("no decoder: %s", error->message));
      g_clear_error (&error);
      return;
    }
    sink = gst_bin_get_by_name (GST_BIN (decoder), "frames");
    g_signal_connect (sink, "handoff", G_CALLBACK (on_frame), peer);
    gst_object_unref (sink);
    gst_bin_add (GST_BIN (peer->pipeline), decoder);
    gst_element_sync_state_with_parent (decoder);
    decoder_sink = gst_element_get_static_pad (decoder, "sink");
    if (gst_pad_link (pad, decoder_sink) != GST_PAD_LINK_OK)
      bench_watch_fail (peer->call->watch,
          g_strdup_printf ("peer %d: "
                           "cannot link %s to the decoder",
              peer->index, GST_PAD_NAME (pad)));
    gst_object_unref (decoder_sink);
  } else if (peer->rtp_sink == NULL) {
    GstPad *sink = gst_pad_new ("benchsink", GST_PAD_SINK);

    g_object_set_data (G_OBJECT (sink), "peer", peer);
    gst_pad_set_chain_function (sink, rtp_chain);
    gst_pad_set_active (sink, TRUE);
    if (gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
      bench_watch_fail (peer->call->watch,
          g_strdup_printf ("peer %d: "
                           "cannot link %s",
              peer->index, GST_PAD_NAME (pad)));
    peer->rtp_sink = sink;
  }
}

static GstBusSyncReply
on_message (GstBus *bus, GstMessage *msg, gpointer user_data)
{
  BenchPeer *peer = user_data;

  (void)bus;
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *error = NULL;
    gchar *debug = NULL;

    gst_message_parse_error (msg, &error, &debug);
    bench_watch_fail (peer->call->watch,
        g_strdup_printf ("peer %d (%s): "
                         "error from %s: %s (%s)",
            peer->index, peer->call->impl->name, GST_MESSAGE_SRC_NAME (msg),
            error->message, GST_STR_NULL (debug)));
    g_clear_error (&error);
    g_free (debug);
  }
  /* nobody pops these buses */
  gst_message_unref (msg);
  return GST_BUS_DROP;
}

static GstPadProbeReturn
on_sink_event (GstPad *pad, GstPadProbeInfo *info, BenchPeer *peer)
{
  BenchWatch *watch = peer->call->watch;

  (void)pad;
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_CAPS) {
    g_mutex_lock (&watch->lock);
    peer->have_caps = TRUE;
    g_cond_broadcast (&watch->cond);
    g_mutex_unlock (&watch->lock);
  }
  return GST_PAD_PROBE_OK;
}

static GstCaps *
rtp_caps (void)
{
  GstCaps *caps = gst_caps_from_string (RTP_CAPS);

  gst_caps_set_simple (caps, "ssrc", G_TYPE_UINT, RTP_SSRC, NULL);
  return caps;
}

/* What the pad can send, as a payloader answers (ours makes the
 * transceiver from it when the pad is linked). */
static gboolean
rtp_src_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  if (GST_QUERY_TYPE (query) == GST_QUERY_CAPS) {
    GstCaps *filter, *caps = rtp_caps ();

    gst_query_parse_caps (query, &filter);
    if (filter) {
      GstCaps *both = gst_caps_intersect (filter, caps);

      gst_caps_unref (caps);
      caps = both;
    }
    gst_query_set_caps_result (query, caps);
    gst_caps_unref (caps);
    return TRUE;
  }
  return gst_pad_query_default (pad, parent, query);
}

/* The sender in front of the bin's sink pad; its caps are on their way
 * once this returns. */
static gboolean
peer_add_sender (BenchPeer *peer)
{
  GstPad *sink = gst_element_request_pad_simple (peer->webrtc, "sink_%u");
  GstPad *src;
  gboolean ok;

  if (sink == NULL) {
    g_printerr ("%s gives no sink pad\n", peer->call->impl->factory);
    return FALSE;
  }
  gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      (GstPadProbeCallback)on_sink_event, peer, NULL);
  if (peer->call->media != BENCH_MEDIA_RTP) {
    GstElement *pay = gst_element_factory_make ("rtpvp8pay", NULL);

    peer->appsrc = gst_element_factory_make ("appsrc", "benchsrc");
    if (peer->appsrc == NULL || pay == NULL) {
      g_printerr ("no appsrc or rtpvp8pay\n");
      gst_clear_object (&pay);
      gst_clear_object (&peer->appsrc);
      gst_object_unref (sink);
      return FALSE;
    }
    g_object_set (peer->appsrc, "caps", feeder.caps, "is-live", TRUE, "format",
        GST_FORMAT_TIME, "do-timestamp", TRUE, "max-buffers", (guint64)1, NULL);
    gst_util_set_object_arg (
        G_OBJECT (peer->appsrc), "leaky-type", "downstream");
    g_object_set (pay, "pt", 96, "mtu", 1200, NULL);
    gst_bin_add_many (GST_BIN (peer->pipeline), peer->appsrc, pay, NULL);
    src = gst_element_get_static_pad (pay, "src");
    ok = gst_element_link (peer->appsrc, pay)
        && gst_pad_link (src, sink) == GST_PAD_LINK_OK;
    gst_object_unref (src);
  } else {
    peer->rtp_src = gst_pad_new ("benchsrc", GST_PAD_SRC);
    gst_pad_set_query_function (peer->rtp_src, rtp_src_query);
    gst_pad_set_active (peer->rtp_src, TRUE);
    ok = gst_pad_link (peer->rtp_src, sink) == GST_PAD_LINK_OK;
  }
  gst_object_unref (sink);
  if (!ok)
    g_printerr ("cannot link the sender to %s\n", peer->call->impl->factory);
  return ok;
}

/* BENCH_MEDIA_RTP, once the bin plays: what precedes the packets. */
static gboolean
peer_start_rtp (BenchPeer *peer)
{
  GstCaps *caps = rtp_caps ();
  GstSegment segment;
  gboolean ok;

  gst_segment_init (&segment, GST_FORMAT_TIME);
  ok = gst_pad_push_event (
           peer->rtp_src, gst_event_new_stream_start ("webrtc-bench"))
      && gst_pad_push_event (peer->rtp_src, gst_event_new_caps (caps))
      && gst_pad_push_event (peer->rtp_src, gst_event_new_segment (&segment));
  gst_caps_unref (caps);
  if (!ok)
    g_printerr (
        "%s refused the stream's first events\n", peer->call->impl->factory);
  return ok;
}

static gboolean
peer_build (BenchPeer *peer, guint index)
{
  gchar *name = g_strdup_printf ("call%u-peer%d", index, peer->index);
  GstBus *bus;

  peer->pipeline = gst_pipeline_new (name);
  g_free (name);
  peer->webrtc = gst_element_factory_make (peer->call->impl->factory, NULL);
  if (peer->webrtc == NULL) {
    g_printerr ("no %s\n", peer->call->impl->factory);
    return FALSE;
  }
  gst_bin_add (GST_BIN (peer->pipeline), peer->webrtc);
  bus = gst_element_get_bus (peer->pipeline);
  gst_bus_set_sync_handler (bus, on_message, peer, NULL);
  gst_object_unref (bus);
  g_signal_connect (
      peer->webrtc, "on-ice-candidate", G_CALLBACK (on_ice_candidate), peer);
  g_signal_connect (peer->webrtc, "notify::ice-connection-state",
      G_CALLBACK (on_ice_state), peer);
  g_signal_connect (peer->webrtc, "notify::connection-state",
      G_CALLBACK (on_connection_state), peer);
  g_signal_connect (peer->webrtc, "pad-added", G_CALLBACK (on_pad_added), peer);
  return peer_add_sender (peer);
}

/* ---- a call ---- */

BenchCall *
bench_call_new (const BenchWebrtcImpl *impl, BenchWatch *watch,
    BenchMedia media, guint latency_ms, guint index)
{
  BenchCall *call = g_new0 (BenchCall, 1);
  gint64 deadline;
  gint i;

  call->impl = impl;
  call->watch = watch;
  call->media = media;
  for (i = 0; i < 2; i++) {
    call->peer[i].call = call;
    call->peer[i].index = i;
    call->peer[i].held_candidates = g_ptr_array_new ();
  }
  for (i = 0; i < 2; i++) {
    BenchPeer *peer = &call->peer[i];

    if (!peer_build (peer, index) || !impl->configure (peer->webrtc, latency_ms)
        || gst_element_set_state (peer->pipeline, GST_STATE_PLAYING)
            == GST_STATE_CHANGE_FAILURE
        || (peer->rtp_src != NULL && !peer_start_rtp (peer))) {
      g_printerr ("peer %d (%s) could not be set up\n", i, impl->name);
      bench_call_free (call);
      return NULL;
    }
    if (peer->appsrc)
      feeder_add (peer->appsrc);
  }

  /* the bins make their descriptions from the caps on their sink pads */
  deadline =
      g_get_monotonic_time () + BENCH_PROMISE_TIMEOUT_S * G_TIME_SPAN_SECOND;
  g_mutex_lock (&watch->lock);
  while (!(call->peer[0].have_caps && call->peer[1].have_caps)
      && g_cond_wait_until (&watch->cond, &watch->lock, deadline))
    ;
  i = call->peer[0].have_caps && call->peer[1].have_caps;
  g_mutex_unlock (&watch->lock);
  if (!i) {
    g_printerr ("no caps reached %s's sink pads\n", impl->name);
    bench_call_free (call);
    return NULL;
  }
  return call;
}

void
bench_call_free (BenchCall *call)
{
  guint k;
  gint i;

  for (i = 0; i < 2; i++) {
    BenchPeer *peer = &call->peer[i];

    if (peer->appsrc)
      feeder_remove (peer->appsrc);
    if (peer->pipeline) {
      GstBus *bus = gst_element_get_bus (peer->pipeline);

      g_signal_handlers_disconnect_by_data (peer->webrtc, peer);
      gst_element_set_state (peer->pipeline, GST_STATE_NULL);
      gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
      gst_object_unref (bus);
      gst_object_unref (peer->pipeline);
    }
    if (peer->rtp_src) {
      gst_pad_set_active (peer->rtp_src, FALSE);
      gst_object_unref (peer->rtp_src);
    }
    if (peer->rtp_sink) {
      gst_pad_set_active (peer->rtp_sink, FALSE);
      gst_object_unref (peer->rtp_sink);
    }
    for (k = 1; k < peer->held_candidates->len; k += 2)
      g_free (g_ptr_array_index (peer->held_candidates, k));
    g_ptr_array_unref (peer->held_candidates);
  }
  if (call->offer)
    call->impl->free_description (call->offer);
  if (call->answer)
    call->impl->free_description (call->answer);
  g_free (call);
}

static gboolean
call_step (BenchCall *call, gboolean ok, gchar *error)
{
  if (!ok) {
    bench_watch_fail (call->watch,
        g_strdup_printf ("%s: %s", call->impl->name, error ? error : "?"));
    g_printerr ("%s: %s\n", call->impl->name, error ? error : "?");
  }
  g_free (error);
  return ok;
}

gboolean
bench_call_prepare (BenchCall *call)
{
  const BenchWebrtcImpl *impl = call->impl;
  GstElement *offerer = call->peer[0].webrtc, *answerer = call->peer[1].webrtc;
  gchar *error = NULL;

  call->offer = impl->create (offerer, TRUE, &error);
  if (!call_step (call, call->offer != NULL, error))
    return FALSE;
  error = NULL;
  if (!call_step (
          call, impl->set (offerer, TRUE, TRUE, call->offer, &error), error))
    return FALSE;
  error = NULL;
  if (!call_step (
          call, impl->set (answerer, FALSE, TRUE, call->offer, &error), error))
    return FALSE;
  peer_remote_set (&call->peer[1]);
  error = NULL;
  call->answer = impl->create (answerer, FALSE, &error);
  return call_step (call, call->answer != NULL, error);
}

gboolean
bench_call_apply_answer (BenchCall *call)
{
  const BenchWebrtcImpl *impl = call->impl;
  gchar *error = NULL;

  if (!call_step (call,
          impl->set (call->peer[1].webrtc, TRUE, FALSE, call->answer, &error),
          error))
    return FALSE;
  error = NULL;
  if (!call_step (call,
          impl->set (call->peer[0].webrtc, FALSE, FALSE, call->answer, &error),
          error))
    return FALSE;
  peer_remote_set (&call->peer[0]);
  return TRUE;
}

gint64
bench_call_milestone_ns (BenchCall *call, BenchMilestone milestone)
{
  BenchWatch *watch = call->watch;
  gint64 ns[2];
  gint i;

  g_mutex_lock (&watch->lock);
  for (i = 0; i < 2; i++) {
    BenchPeer *peer = &call->peer[i];

    ns[i] = milestone == BENCH_MILESTONE_ICE ? peer->ice_ns
        : milestone == BENCH_MILESTONE_DTLS  ? peer->dtls_ns
                                             : peer->frame_ns;
  }
  g_mutex_unlock (&watch->lock);
  return ns[0] && ns[1] ? MAX (ns[0], ns[1]) : 0;
}

GstPad *
bench_call_rtp_pad (BenchCall *call)
{
  return call->peer[0].rtp_src;
}

guint64
bench_call_rtp_received (BenchCall *call)
{
  guint64 n;

  g_mutex_lock (&call->watch->lock);
  n = call->peer[1].rtp_received;
  g_mutex_unlock (&call->watch->lock);
  return n;
}

gchar *
bench_call_describe (BenchCall *call)
{
  GString *text = g_string_new (NULL);
  gint i;

  for (i = 0; i < 2; i++) {
    GObject *webrtc = G_OBJECT (call->peer[i].webrtc);

    g_string_append_printf (text,
        "%speer %d: signaling %s, gathering %s, "
        "ICE %s, connection %s",
        i ? "; " : "", i, sec_bench_enum_nick (webrtc, "signaling-state"),
        sec_bench_enum_nick (webrtc, "ice-gathering-state"),
        sec_bench_enum_nick (webrtc, "ice-connection-state"),
        sec_bench_enum_nick (webrtc, "connection-state"));
  }
  return g_string_free (text, FALSE);
}
