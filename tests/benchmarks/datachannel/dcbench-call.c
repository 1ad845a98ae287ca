/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A data-only call (dcbench.h): two peers in this process, each a
 * pipeline holding nothing but its bin, connected on 127.0.0.1 with the
 * benchmark doing the signaling; one channel, "bench", created by peer 0
 * before the offer (reliable and ordered: no option given), announced to
 * peer 1 in-band (DCEP, on-data-channel).
 *
 * Signaling: descriptions from one bin's promise to the other's action
 * signal; candidates from on-ice-candidate to the other bin's
 * add-ice-candidate as the bins emit them, held only until the receiving
 * bin has applied its remote description.
 *
 * What arrives on the channels is handled on the thread the bin emits
 * on-message-data on (ours: the SCTP association's thread; webrtcbin:
 * its own task thread), as an application would: in the round-trip
 * phase peer 1 sends each message straight back from there and peer 0
 * notes when the echo came; in the bulk phase peer 1 checks each
 * message's length and index, folds its bytes into the checksum and
 * keeps nothing.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "dcbench.h"

#include <string.h>

#define CHANNEL_LABEL "bench"
/* How often waits look again at what has no signal of its own. */
#define RECHECK_US (50 * 1000)

typedef struct
{
  DcBenchCall *call;
  guint index;
  GstElement *pipeline;
  GstElement *webrtc; /* owned by the pipeline */

  /* protected by the call's lock */
  gboolean remote_set;        /* its remote description is applied */
  GPtrArray *held_candidates; /* for it, until then: mline, candidate */
  GObject *channel;           /* a reference */
} Peer;

struct _DcBenchCall
{
  const DcBenchWebrtcImpl *impl;
  gpointer offer, answer;
  Peer peer[2];

  GMutex lock;
  GCond cond;     /* anything below changed */
  GCond low_cond; /* low_events or error changed */
  /* protected by lock */
  gchar *error;   /* the first failure */
  gboolean closing; /* the benchmark is tearing the call down */
  DcBenchPhase phase;
  const DcBenchStream *stream;
  DcBenchReceived bulk; /* peer 1 */
  guint echoes;         /* peer 0 */
  gint64 echo_ns;
  guint low_events;     /* peer 0's on-buffered-amount-low */
  guint news;           /* bumped with each change */
};

/* ---- the bulk stream and its checksum ---- */

void
dc_bench_checksum_update (DcBenchChecksum *sum, const guint8 *data, gsize len)
{
  guint64 a = sum->a, b = sum->b;
  gsize i;

  for (i = 0; i + 4 <= len; i += 4) {
    guint32 w;

    memcpy (&w, data + i, 4);
    a += GUINT32_FROM_LE (w);
    b += a;
  }
  if (i < len) {
    guint8 tail[4] = { 0, 0, 0, 0 };

    memcpy (tail, data + i, len - i);
    a += GST_READ_UINT32_LE (tail);
    b += a;
  }
  sum->a = a;
  sum->b = b;
}

void
dc_bench_stream_init (DcBenchStream *stream, guint64 total, guint msg_size)
{
  GRand *rand = g_rand_new_with_seed (0x5ecdc0de);
  gsize i, len = (gsize)msg_size + DC_BENCH_PATTERN_SPREAD;

  g_assert (msg_size >= 8);
  stream->total = total;
  stream->msg_size = msg_size;
  stream->n_msgs = (guint)((total + msg_size - 1) / msg_size);
  stream->pattern = g_malloc (len);
  for (i = 0; i < len; i++)
    stream->pattern[i] = (guint8)g_rand_int (rand);
  g_rand_free (rand);
}

void
dc_bench_stream_clear (DcBenchStream *stream)
{
  g_clear_pointer (&stream->pattern, g_free);
}

guint
dc_bench_stream_msg_len (const DcBenchStream *stream, guint index)
{
  if (index + 1 < stream->n_msgs)
    return stream->msg_size;
  return (guint)(stream->total - (guint64)index * stream->msg_size);
}

/* Where message @index's slice of the pattern starts. */
static gsize
pattern_offset (guint index)
{
  return ((gsize)index * 1031) % DC_BENCH_PATTERN_SPREAD;
}

GBytes *
dc_bench_stream_msg (const DcBenchStream *stream, guint index)
{
  guint len = dc_bench_stream_msg_len (stream, index);
  guint8 *data = g_malloc (len);

  GST_WRITE_UINT32_BE (data, index);
  GST_WRITE_UINT32_BE (data + 4, len);
  memcpy (data + 8, stream->pattern + pattern_offset (index), len - 8);
  return g_bytes_new_take (data, len);
}

/* ---- failures ---- */

/* Takes @message; only the first failure is kept. */
static void
call_fail (DcBenchCall *call, gchar *message)
{
  g_mutex_lock (&call->lock);
  if (call->error == NULL && !call->closing) {
    call->error = message;
    message = NULL;
  }
  call->news++;
  g_cond_broadcast (&call->cond);
  g_cond_broadcast (&call->low_cond);
  g_mutex_unlock (&call->lock);
  g_free (message);
}

gchar *
dc_bench_call_error (DcBenchCall *call)
{
  gchar *error;

  g_mutex_lock (&call->lock);
  error = g_strdup (call->error);
  g_mutex_unlock (&call->lock);
  return error;
}

/* ---- the channels' signals ---- */

/* Peer 1, round trips: the message goes straight back. */
static void
echo (Peer *peer, GBytes *data)
{
  GObject *channel;

  g_mutex_lock (&peer->call->lock);
  channel = peer->channel ? g_object_ref (peer->channel) : NULL;
  g_mutex_unlock (&peer->call->lock);
  if (channel) {
    g_signal_emit_by_name (channel, "send-data", data);
    g_object_unref (channel);
  }
}

/* Peer 1, bulk: called with the call's lock. NULL if @data is the next
 * message of the stream, otherwise what is wrong with it (g_free). */
static gchar *
bulk_message_locked (DcBenchCall *call, const guint8 *data, gsize size)
{
  const DcBenchStream *stream = call->stream;
  DcBenchReceived *r = &call->bulk;
  guint index = r->msgs;
  guint len;

  if (index >= stream->n_msgs)
    return g_strdup_printf ("message %u arrived after the last one (%u)",
        index, stream->n_msgs);
  len = dc_bench_stream_msg_len (stream, index);
  if (size != len)
    return g_strdup_printf ("message %u has %" G_GSIZE_FORMAT " bytes, sent "
        "with %u", index, size, len);
  if (GST_READ_UINT32_BE (data) != index || GST_READ_UINT32_BE (data + 4) != len)
    return g_strdup_printf ("message %u arrived where message %u (%u bytes) "
        "was due: lost, repeated or out of order on an ordered reliable "
        "channel", GST_READ_UINT32_BE (data), index, len);
  dc_bench_checksum_update (&r->sum, data, size);
  r->bytes += size;
  r->msgs++;
  r->progress_us = g_get_monotonic_time ();
  if (r->msgs == stream->n_msgs)
    r->last_ns = sec_bench_now_ns ();
  return NULL;
}

static void
on_message_data (GObject *channel, GBytes *data, Peer *peer)
{
  gint64 now = sec_bench_now_ns ();
  DcBenchCall *call = peer->call;
  gsize size = 0;
  const guint8 *bytes = data ? g_bytes_get_data (data, &size) : NULL;
  gchar *wrong = NULL;
  gboolean send_back = FALSE;

  (void)channel;
  g_mutex_lock (&call->lock);
  switch (call->phase) {
    case DC_BENCH_PHASE_RTT:
      if (peer->index == 1) {
        send_back = TRUE;
      } else if (size != 1 || bytes[0] != (guint8)call->echoes) {
        wrong = g_strdup_printf ("echo %u came back as %" G_GSIZE_FORMAT
            " bytes starting 0x%02x, sent as 1 byte 0x%02x", call->echoes,
            size, size ? bytes[0] : 0, (guint8)call->echoes);
      } else {
        call->echoes++;
        call->echo_ns = now;
      }
      break;
    case DC_BENCH_PHASE_BULK:
      if (peer->index == 1)
        wrong = bulk_message_locked (call, bytes, size);
      else
        wrong = g_strdup ("peer 0 received a message during the bulk "
            "transfer, which goes from peer 0 to peer 1 only");
      break;
    case DC_BENCH_PHASE_IDLE:
    default:
      wrong = g_strdup_printf ("peer %u received %" G_GSIZE_FORMAT " bytes "
          "when nothing was sent", peer->index, size);
      break;
  }
  call->news++;
  g_cond_broadcast (&call->cond);
  g_mutex_unlock (&call->lock);

  if (send_back)
    echo (peer, data);
  if (wrong)
    call_fail (call, g_strdup_printf ("%s, peer %u: %s", call->impl->name,
            peer->index, wrong));
  g_free (wrong);
}

static void
on_message_string (GObject *channel, const gchar *text, Peer *peer)
{
  (void)channel;
  call_fail (peer->call, g_strdup_printf ("%s, peer %u: a text message "
          "(%" G_GSIZE_FORMAT " bytes) arrived; only binary ones are sent",
          peer->call->impl->name, peer->index, text ? strlen (text) : 0));
}

static void
on_channel_error (GObject *channel, GError *error, Peer *peer)
{
  (void)channel;
  call_fail (peer->call, g_strdup_printf ("%s, peer %u: on-error: %s",
          peer->call->impl->name, peer->index,
          error ? error->message : "(no GError)"));
}

static void
on_channel_close (GObject *channel, Peer *peer)
{
  (void)channel;
  call_fail (peer->call, g_strdup_printf ("%s, peer %u: the channel closed",
          peer->call->impl->name, peer->index));
}

static void
on_low (GObject *channel, Peer *peer)
{
  DcBenchCall *call = peer->call;

  (void)channel;
  g_mutex_lock (&call->lock);
  if (peer->index == 0)
    call->low_events++;
  call->news++;
  g_cond_broadcast (&call->cond);
  g_cond_broadcast (&call->low_cond);
  g_mutex_unlock (&call->lock);
}

/* on-open and notify::ready-state: the opening wait looks again. */
static void
on_state (GObject *channel, Peer *peer)
{
  DcBenchCall *call = peer->call;

  (void)channel;
  g_mutex_lock (&call->lock);
  call->news++;
  g_cond_broadcast (&call->cond);
  g_mutex_unlock (&call->lock);
}

static void
on_ready_state (GObject *channel, GParamSpec *pspec, Peer *peer)
{
  (void)pspec;
  on_state (channel, peer);
}

/* Takes a reference to @channel for @peer and listens to it. */
static void
peer_take_channel (Peer *peer, GObject *channel)
{
  DcBenchCall *call = peer->call;
  gboolean first;

  g_signal_connect (channel, "on-message-data", G_CALLBACK (on_message_data),
      peer);
  g_signal_connect (channel, "on-message-string",
      G_CALLBACK (on_message_string), peer);
  g_signal_connect (channel, "on-error", G_CALLBACK (on_channel_error), peer);
  g_signal_connect (channel, "on-close", G_CALLBACK (on_channel_close), peer);
  g_signal_connect (channel, "on-open", G_CALLBACK (on_state), peer);
  g_signal_connect (channel, "notify::ready-state",
      G_CALLBACK (on_ready_state), peer);
  g_signal_connect (channel, "on-buffered-amount-low", G_CALLBACK (on_low),
      peer);
  g_mutex_lock (&call->lock);
  first = peer->channel == NULL;
  if (first)
    peer->channel = g_object_ref (channel);
  call->news++;
  g_cond_broadcast (&call->cond);
  g_mutex_unlock (&call->lock);
  if (!first) {
    g_signal_handlers_disconnect_by_data (channel, peer);
    call_fail (call, g_strdup_printf ("%s, peer %u: a second data channel "
            "was announced", call->impl->name, peer->index));
  }
}

static void
on_data_channel (GstElement *webrtc, GObject *channel, Peer *peer)
{
  (void)webrtc;
  if (peer->index != 1) {
    call_fail (peer->call, g_strdup_printf ("%s, peer 0: on-data-channel for "
            "a channel it did not make", peer->call->impl->name));
    return;
  }
  peer_take_channel (peer, channel);
}

/* ---- signaling ---- */

static void
on_ice_candidate (GstElement *webrtc, guint mline, const gchar *candidate,
    Peer *peer)
{
  DcBenchCall *call = peer->call;
  Peer *other = &call->peer[1 - peer->index];
  gboolean now;

  (void)webrtc;
  g_mutex_lock (&call->lock);
  now = other->remote_set;
  if (!now) {
    g_ptr_array_add (other->held_candidates, GUINT_TO_POINTER (mline));
    g_ptr_array_add (other->held_candidates, g_strdup (candidate));
  }
  g_mutex_unlock (&call->lock);
  if (now)
    g_signal_emit_by_name (other->webrtc, "add-ice-candidate", mline,
        candidate);
}

/* @peer applied its remote description: the candidates held for it. */
static void
peer_remote_set (Peer *peer)
{
  DcBenchCall *call = peer->call;
  GPtrArray *held;
  guint i;

  g_mutex_lock (&call->lock);
  peer->remote_set = TRUE;
  held = peer->held_candidates;
  peer->held_candidates = g_ptr_array_new ();
  g_mutex_unlock (&call->lock);
  for (i = 0; i + 1 < held->len; i += 2) {
    g_signal_emit_by_name (peer->webrtc, "add-ice-candidate",
        GPOINTER_TO_UINT (g_ptr_array_index (held, i)),
        (const gchar *)g_ptr_array_index (held, i + 1));
    g_free (g_ptr_array_index (held, i + 1));
  }
  g_ptr_array_unref (held);
}

static GstBusSyncReply
on_message (GstBus *bus, GstMessage *msg, gpointer user_data)
{
  Peer *peer = user_data;
  GError *error = NULL;
  gchar *debug = NULL;

  (void)bus;
  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (msg, &error, &debug);
      call_fail (peer->call, g_strdup_printf ("%s, peer %u: error from %s: "
              "%s (%s)", peer->call->impl->name, peer->index,
              GST_MESSAGE_SRC_NAME (msg), error->message,
              GST_STR_NULL (debug)));
      break;
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (msg, &error, &debug);
      g_printerr ("%s, peer %u: warning from %s: %s\n",
          peer->call->impl->name, peer->index, GST_MESSAGE_SRC_NAME (msg),
          error->message);
      break;
    default:
      break;
  }
  g_clear_error (&error);
  g_free (debug);
  /* nobody pops these buses */
  gst_message_unref (msg);
  return GST_BUS_DROP;
}

/* ---- the call ---- */

static gboolean
peer_build (Peer *peer)
{
  const DcBenchWebrtcImpl *impl = peer->call->impl;
  gchar *name = g_strdup_printf ("peer%u", peer->index);
  GstBus *bus;

  peer->pipeline = gst_pipeline_new (name);
  g_free (name);
  peer->webrtc = gst_element_factory_make (impl->factory, NULL);
  if (peer->webrtc == NULL) {
    g_printerr ("no %s\n", impl->factory);
    return FALSE;
  }
  gst_bin_add (GST_BIN (peer->pipeline), peer->webrtc);
  bus = gst_element_get_bus (peer->pipeline);
  gst_bus_set_sync_handler (bus, on_message, peer, NULL);
  gst_object_unref (bus);
  g_signal_connect (peer->webrtc, "on-ice-candidate",
      G_CALLBACK (on_ice_candidate), peer);
  g_signal_connect (peer->webrtc, "on-data-channel",
      G_CALLBACK (on_data_channel), peer);
  if (!impl->configure (peer->webrtc))
    return FALSE;
  if (gst_element_set_state (peer->pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE) {
    g_printerr ("%s, peer %u: cannot play\n", impl->name, peer->index);
    return FALSE;
  }
  return TRUE;
}

DcBenchCall *
dc_bench_call_new (const DcBenchWebrtcImpl *impl)
{
  DcBenchCall *call = g_new0 (DcBenchCall, 1);
  GObject *channel = NULL;
  guint i;

  call->impl = impl;
  g_mutex_init (&call->lock);
  g_cond_init (&call->cond);
  g_cond_init (&call->low_cond);
  for (i = 0; i < 2; i++) {
    call->peer[i].call = call;
    call->peer[i].index = i;
    call->peer[i].held_candidates = g_ptr_array_new ();
  }
  for (i = 0; i < 2; i++) {
    if (!peer_build (&call->peer[i])) {
      dc_bench_call_free (call);
      return NULL;
    }
  }
  /* options NULL: reliable and ordered, the defaults of both bins */
  g_signal_emit_by_name (call->peer[0].webrtc, "create-data-channel",
      CHANNEL_LABEL, NULL, &channel);
  if (channel == NULL) {
    g_printerr ("%s: create-data-channel gave no channel\n", impl->name);
    dc_bench_call_free (call);
    return NULL;
  }
  peer_take_channel (&call->peer[0], channel);
  g_object_unref (channel);
  return call;
}

void
dc_bench_call_free (DcBenchCall *call)
{
  guint i, k;

  g_mutex_lock (&call->lock);
  call->closing = TRUE;
  call->phase = DC_BENCH_PHASE_IDLE;
  g_mutex_unlock (&call->lock);
  for (i = 0; i < 2; i++) {
    Peer *peer = &call->peer[i];

    if (peer->pipeline)
      gst_element_set_state (peer->pipeline, GST_STATE_NULL);
  }
  for (i = 0; i < 2; i++) {
    Peer *peer = &call->peer[i];

    if (peer->channel) {
      g_signal_handlers_disconnect_by_data (peer->channel, peer);
      g_object_unref (peer->channel);
    }
    if (peer->pipeline) {
      GstBus *bus = gst_element_get_bus (peer->pipeline);

      g_signal_handlers_disconnect_by_data (peer->webrtc, peer);
      gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
      gst_object_unref (bus);
      gst_object_unref (peer->pipeline);
    }
    for (k = 1; k < peer->held_candidates->len; k += 2)
      g_free (g_ptr_array_index (peer->held_candidates, k));
    g_ptr_array_unref (peer->held_candidates);
  }
  if (call->offer)
    call->impl->free_description (call->offer);
  if (call->answer)
    call->impl->free_description (call->answer);
  g_free (call->error);
  g_mutex_clear (&call->lock);
  g_cond_clear (&call->cond);
  g_cond_clear (&call->low_cond);
  g_free (call);
}

static gboolean
step (DcBenchCall *call, gboolean ok, gchar *error)
{
  if (!ok)
    g_printerr ("%s: %s\n", call->impl->name, error ? error : "?");
  g_free (error);
  return ok;
}

/* Both channels open, a failure, or the deadline. */
static gboolean
wait_open (DcBenchCall *call, gint64 deadline_us)
{
  gboolean open = FALSE, failed = FALSE;

  while (!open && !failed && g_get_monotonic_time () < deadline_us) {
    GObject *channel[2];
    guint i, news;

    g_mutex_lock (&call->lock);
    news = call->news;
    failed = call->error != NULL;
    for (i = 0; i < 2; i++)
      channel[i] = call->peer[i].channel ?
          g_object_ref (call->peer[i].channel) : NULL;
    g_mutex_unlock (&call->lock);

    open = TRUE;
    for (i = 0; i < 2; i++) {
      open = open && channel[i] != NULL
          && g_str_equal (sec_bench_enum_nick (channel[i], "ready-state"), "open");
      if (channel[i])
        g_object_unref (channel[i]);
    }
    if (open || failed)
      break;
    /* on-open, notify::ready-state and on-data-channel wake us; the
     * states are read again at least this often regardless */
    g_mutex_lock (&call->lock);
    if (call->news == news)
      g_cond_wait_until (&call->cond, &call->lock,
          MIN (deadline_us, g_get_monotonic_time () + RECHECK_US));
    g_mutex_unlock (&call->lock);
  }
  if (!open) {
    gchar *error = dc_bench_call_error (call);
    guint i;

    g_printerr ("%s: the channel did not open within %d s%s%s\n",
        call->impl->name, DC_BENCH_OPEN_TIMEOUT_S, error ? ": " : "",
        error ? error : "");
    for (i = 0; i < 2; i++) {
      GObject *webrtc = G_OBJECT (call->peer[i].webrtc);

      g_printerr ("  peer %u: signaling %s, ICE %s, connection %s, "
          "channel %s\n", i, sec_bench_enum_nick (webrtc, "signaling-state"),
          sec_bench_enum_nick (webrtc, "ice-connection-state"),
          sec_bench_enum_nick (webrtc, "connection-state"),
          call->peer[i].channel ?
          sec_bench_enum_nick (call->peer[i].channel, "ready-state") : "not announced");
    }
    g_free (error);
  }
  return open;
}

gboolean
dc_bench_call_open (DcBenchCall *call, gint64 *open_ns)
{
  const DcBenchWebrtcImpl *impl = call->impl;
  GstElement *offerer = call->peer[0].webrtc, *answerer = call->peer[1].webrtc;
  gint64 start = sec_bench_now_ns ();
  gchar *error = NULL;

  call->offer = impl->create (offerer, TRUE, &error);
  if (!step (call, call->offer != NULL, error))
    return FALSE;
  error = NULL;
  if (!step (call, impl->set (offerer, TRUE, TRUE, call->offer, &error),
          error))
    return FALSE;
  error = NULL;
  if (!step (call, impl->set (answerer, FALSE, TRUE, call->offer, &error),
          error))
    return FALSE;
  peer_remote_set (&call->peer[1]);
  error = NULL;
  call->answer = impl->create (answerer, FALSE, &error);
  if (!step (call, call->answer != NULL, error))
    return FALSE;
  error = NULL;
  if (!step (call, impl->set (answerer, TRUE, FALSE, call->answer, &error),
          error))
    return FALSE;
  error = NULL;
  if (!step (call, impl->set (offerer, FALSE, FALSE, call->answer, &error),
          error))
    return FALSE;
  peer_remote_set (&call->peer[0]);
  if (!wait_open (call, g_get_monotonic_time ()
          + DC_BENCH_OPEN_TIMEOUT_S * G_TIME_SPAN_SECOND))
    return FALSE;
  *open_ns = sec_bench_now_ns () - start;
  return TRUE;
}

GObject *
dc_bench_call_channel (DcBenchCall *call, guint index)
{
  GObject *channel;

  g_mutex_lock (&call->lock);
  channel = call->peer[index].channel;
  g_mutex_unlock (&call->lock);
  return channel;
}

void
dc_bench_call_set_phase (DcBenchCall *call, DcBenchPhase phase,
    const DcBenchStream *stream)
{
  g_mutex_lock (&call->lock);
  call->phase = phase;
  call->stream = stream;
  memset (&call->bulk, 0, sizeof (call->bulk));
  call->bulk.progress_us = g_get_monotonic_time ();
  call->echoes = 0;
  call->echo_ns = 0;
  /* with the default threshold 0, every round trip's message fires it */
  call->low_events = 0;
  g_mutex_unlock (&call->lock);
}

gboolean
dc_bench_call_wait_echo (DcBenchCall *call, guint msgs, gint64 deadline_us,
    gint64 *arrived_ns)
{
  gboolean ok;

  g_mutex_lock (&call->lock);
  while (call->error == NULL && call->echoes < msgs
      && g_cond_wait_until (&call->cond, &call->lock, deadline_us))
    ;
  ok = call->error == NULL && call->echoes >= msgs;
  *arrived_ns = call->echo_ns;
  g_mutex_unlock (&call->lock);
  return ok;
}

void
dc_bench_call_received (DcBenchCall *call, DcBenchReceived *received)
{
  g_mutex_lock (&call->lock);
  *received = call->bulk;
  g_mutex_unlock (&call->lock);
}

void
dc_bench_call_wait_bulk (DcBenchCall *call, gint64 timeout_us,
    DcBenchReceived *received)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;

  g_mutex_lock (&call->lock);
  while (call->error == NULL && call->stream != NULL
      && call->bulk.msgs < call->stream->n_msgs
      && g_cond_wait_until (&call->cond, &call->lock, deadline))
    ;
  *received = call->bulk;
  g_mutex_unlock (&call->lock);
}

guint
dc_bench_call_wait_low (DcBenchCall *call, guint seen, gint64 timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  guint n;

  g_mutex_lock (&call->lock);
  while (call->error == NULL && call->low_events == seen
      && g_cond_wait_until (&call->low_cond, &call->lock, deadline))
    ;
  n = call->low_events;
  g_mutex_unlock (&call->lock);
  return n;
}

guint
dc_bench_call_low_events (DcBenchCall *call)
{
  guint n;

  g_mutex_lock (&call->lock);
  n = call->low_events;
  g_mutex_unlock (&call->lock);
  return n;
}
