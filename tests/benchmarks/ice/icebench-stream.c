/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ICE benchmark's streaming part: the same pairs as icebench.c's
 * (icebench-ours.c, icebench-nice.c), with datagrams flowing.
 *
 * Each side's sink element gets a source pad of the benchmark's own,
 * pushed from the child's main thread as GstHarness does: no appsrc, so
 * sending adds no queue and no thread per side, and what the process's
 * thread count shows is the receive path. Each side's fakesink
 * (signal-handoffs) checks every datagram (its size and contents) and
 * takes its one-way latency from the send time in its first bytes:
 *
 *   bytes 0..7   sequence number (big-endian)
 *   bytes 8..15  CLOCK_MONOTONIC in ns just before gst_pad_push ()
 *   the rest     a fixed pattern
 *
 * stream-ours / stream-nice, one pair, side 0 sending to side 1:
 *  - throughput: THROUGHPUT_DATAGRAMS datagrams of 1200 bytes at
 *    THROUGHPUT_RATE per second, in bursts of one millisecond's worth:
 *    received per second, the fraction lost, what the implementation
 *    itself dropped, and the process's CPU time (getrusage) per received
 *    datagram, with the sending thread's own share apart;
 *  - latency: LATENCY_DATAGRAMS of 200 bytes at LATENCY_RATE per second:
 *    receive time at the fakesink minus send time, every datagram.
 * stream-scale-ours / stream-scale-nice --pairs N: N pairs connected at
 * once, then every side sends STREAM_SCALE_RATE datagrams of 200 bytes
 * per second to its peer (sends spread evenly over the period, the
 * main thread sending what is due every SEND_TICK_US) for
 * STREAM_SCALE_MS; Threads: of /proc/self/status every 10 ms meanwhile,
 * against the process before the first pair (after a warm-up pair, as
 * scale-* does).
 *
 * The rates and sizes are in icebench-stream.h; the parent's side (the
 * rounds and the tables) is icebench-streamreport.c.
 *
 * The exit code fails on a pair that does not connect, a push that
 * fails, a datagram that arrives changed, or a stream of which nothing
 * arrives; never on loss, latency, CPU or threads.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RUSAGE_THREAD */
#endif
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "icebench-stream.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

/* No datagram for so long after the last one was sent: the rest are
 * lost. */
#define DRAIN_QUIET_MS 200

#define HEADER_SIZE 16

/* stream-scale: how often the main thread wakes to send what is due
 * (-DSEND_TICK_US=100 spreads the sends finer) */
#ifndef SEND_TICK_US
#define SEND_TICK_US 1000
#endif

static guint8 pattern[THROUGHPUT_SIZE];

typedef struct
{
  GstPad *pad;  /* ours, linked to the side's sink element */
  guint64 sent; /* main thread only */
  gint64 next_ns;
} StreamSender;

/* What the side's fakesink saw, from its streaming thread. */
typedef struct
{
  GMutex lock;
  GCond cond;
  /* protected by lock */
  gsize size;         /* what every datagram must have */
  guint64 received;   /* of that size and intact */
  guint64 corrupt;    /* anything else */
  guint64 reordered;  /* arrived after a later one */
  guint64 next_seq;   /* the one after the highest seen */
  guint64 wanted;     /* cond is signalled when received reaches it */
  gint64 last_ns;     /* when the last one arrived */
  GArray *latency_ns; /* gdouble, or NULL: not recorded */
  guint latency_ns_max;
} StreamReceiver;

typedef struct
{
  BenchIcePair *pair; /* NULL until configured */
  StreamSender sender[2];
  StreamReceiver receiver[2];
} StreamPair;

typedef struct
{
  const BenchIceImpl *impl;
  StreamPair *pairs;
  guint n_pairs;
} StreamRun;

static void
pattern_init (void)
{
  guint i;

  for (i = 0; i < sizeof (pattern); i++)
    pattern[i] = (guint8)(i * 7 + 3);
}

static void
sleep_until (gint64 ns)
{
  struct timespec ts;

  ts.tv_sec = ns / G_GINT64_CONSTANT (1000000000);
  ts.tv_nsec = ns % G_GINT64_CONSTANT (1000000000);
  while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
    ;
}

static gint64
cpu_ns (int who)
{
  struct rusage usage;

  if (getrusage (who, &usage) != 0)
    return 0;
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
      * G_GINT64_CONSTANT (1000000000)
      + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000;
}

/* "nice-agent x200, nicesrcN:src x200, ..." from /proc/self/task, each
 * number in a name replaced by N (g_free). */
static gchar *
thread_census (void)
{
  GHashTable *counts =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GDir *dir = g_dir_open ("/proc/self/task", 0, NULL);
  GString *text = g_string_new (NULL);
  const gchar *task;
  GList *names, *l;

  while (dir != NULL && (task = g_dir_read_name (dir)) != NULL) {
    gchar *path = g_build_filename ("/proc/self/task", task, "comm", NULL);
    gchar *comm = NULL;

    if (g_file_get_contents (path, &comm, NULL, NULL)) {
      GString *grouped = g_string_new (NULL);
      const gchar *c;
      gchar *name;

      for (c = g_strstrip (comm); *c; c++) {
        if (!g_ascii_isdigit (*c))
          g_string_append_c (grouped, *c);
        else if (!g_ascii_isdigit (c[1]))
          g_string_append_c (grouped, 'N');
      }
      name = g_string_free (grouped, FALSE);

      g_hash_table_insert (counts, name,
          GUINT_TO_POINTER (
              GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) + 1));
    }
    g_free (comm);
    g_free (path);
  }
  if (dir != NULL)
    g_dir_close (dir);
  names = g_list_sort (g_hash_table_get_keys (counts), (GCompareFunc)g_strcmp0);
  for (l = names; l != NULL; l = l->next)
    g_string_append_printf (text, "%s%s x%u", text->len ? ", " : "",
        (const gchar *)l->data,
        GPOINTER_TO_UINT (g_hash_table_lookup (counts, l->data)));
  g_list_free (names);
  g_hash_table_unref (counts);
  return g_string_free (text, FALSE);
}

/* Adds the ids of this process's threads to @seen; returns how many
 * were not in it. */
static guint
threads_note (GHashTable *seen)
{
  GDir *dir = g_dir_open ("/proc/self/task", 0, NULL);
  const gchar *task;
  guint added = 0;

  while (dir != NULL && (task = g_dir_read_name (dir)) != NULL) {
    if (g_hash_table_add (seen, g_strdup (task)))
      added++;
  }
  if (dir != NULL)
    g_dir_close (dir);
  return added;
}

/* fakesink's handoff, on the implementation's streaming thread (ours: a
 * worker of the receivers' pool; libnice: nicesrc's task) */
static void
on_handoff (
    GstElement *fakesink, GstBuffer *buffer, GstPad *pad, StreamReceiver *r)
{
  gint64 now = sec_bench_now_ns ();
  GstMapInfo map;
  gboolean mapped = gst_buffer_map (buffer, &map, GST_MAP_READ);

  g_mutex_lock (&r->lock);
  r->last_ns = now;
  if (!mapped || map.size != r->size || map.size < HEADER_SIZE
      || map.size > sizeof (pattern)
      || memcmp (map.data + HEADER_SIZE, pattern + HEADER_SIZE,
             map.size - HEADER_SIZE)
          != 0) {
    r->corrupt++;
  } else {
    guint64 seq = GST_READ_UINT64_BE (map.data);
    gint64 sent_ns = (gint64)GST_READ_UINT64_BE (map.data + 8);

    r->received++;
    if (seq < r->next_seq)
      r->reordered++;
    else
      r->next_seq = seq + 1;
    if (r->latency_ns != NULL && r->latency_ns->len < r->latency_ns_max) {
      gdouble latency = (gdouble)(now - sent_ns);

      g_array_append_val (r->latency_ns, latency);
    }
    if (r->received == r->wanted)
      g_cond_broadcast (&r->cond);
  }
  g_mutex_unlock (&r->lock);
  if (mapped)
    gst_buffer_unmap (buffer, &map);
}

/* A new phase: datagrams of @size, the latencies of the first
 * @latencies kept. */
static void
receiver_reset (StreamReceiver *r, gsize size, guint latencies)
{
  g_mutex_lock (&r->lock);
  r->size = size;
  r->received = r->corrupt = r->reordered = r->next_seq = 0;
  r->wanted = G_MAXUINT64;
  r->last_ns = 0;
  if (r->latency_ns != NULL)
    g_array_unref (r->latency_ns);
  r->latency_ns_max = latencies;
  r->latency_ns = latencies > 0
      ? g_array_sized_new (FALSE, FALSE, sizeof (gdouble), latencies)
      : NULL;
  g_mutex_unlock (&r->lock);
}

/* Waits until @r has @wanted datagrams, or none came for DRAIN_QUIET_MS
 * (the rest are lost). */
static void
receiver_wait (StreamReceiver *r, guint64 wanted)
{
  g_mutex_lock (&r->lock);
  r->wanted = wanted;
  while (r->received + r->corrupt < wanted) {
    guint64 before = r->received + r->corrupt;
    gint64 deadline = g_get_monotonic_time () + DRAIN_QUIET_MS * 1000;

    while (r->received + r->corrupt < wanted
        && g_cond_wait_until (&r->cond, &r->lock, deadline))
      ;
    if (r->received + r->corrupt == before)
      break;
  }
  g_mutex_unlock (&r->lock);
}

/* One datagram of @size from @sender, its send time in it. */
static gboolean
sender_push (StreamSender *sender, gsize size)
{
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, size, NULL);
  GstFlowReturn ret;
  GstMapInfo map;

  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  memcpy (map.data + HEADER_SIZE, pattern + HEADER_SIZE, size - HEADER_SIZE);
  GST_WRITE_UINT64_BE (map.data, sender->sent);
  GST_WRITE_UINT64_BE (map.data + 8, (guint64)sec_bench_now_ns ());
  gst_buffer_unmap (buffer, &map);
  ret = gst_pad_push (sender->pad, buffer);
  sender->sent++;
  if (ret != GST_FLOW_OK)
    g_printerr (
        "pushing a datagram into the sink: %s\n", gst_flow_get_name (ret));
  return ret == GST_FLOW_OK;
}

/* bench_ice_connect_pairs ()'s configure: a pad of ours into each side's
 * sink, the fakesinks reporting to the receivers. */
static gboolean
stream_pair_configure (BenchIcePair *pair, guint i, gpointer data)
{
  StreamRun *run = data;
  StreamPair *sp = &run->pairs[i];
  gint side;

  sp->pair = pair;
  for (side = 0; side < 2; side++) {
    g_mutex_init (&sp->receiver[side].lock);
    g_cond_init (&sp->receiver[side].cond);
    sp->receiver[side].wanted = G_MAXUINT64;
  }
  for (side = 0; side < 2; side++) {
    GstElement *sink = run->impl->pair_sink (pair, side);
    GstElement *fakesink = run->impl->pair_fakesink (pair, side);
    GstPad *sinkpad = gst_element_get_static_pad (sink, "sink");
    StreamSender *sender = &sp->sender[side];
    GstPadLinkReturn link;
    GstSegment segment;
    gchar *stream_id;

    sender->pad = gst_pad_new ("bench-src", GST_PAD_SRC);
    link = gst_pad_link (sender->pad, sinkpad);
    gst_object_unref (sinkpad);
    if (link != GST_PAD_LINK_OK || !gst_pad_set_active (sender->pad, TRUE)) {
      g_printerr ("could not link a pad to %s\n", GST_OBJECT_NAME (sink));
      return FALSE;
    }
    /* kept on the pad (the sink is not active yet), sent before the first
     * datagram */
    stream_id = g_strdup_printf ("ice-bench-%u-%d", i, side);
    gst_pad_push_event (sender->pad, gst_event_new_stream_start (stream_id));
    g_free (stream_id);
    gst_segment_init (&segment, GST_FORMAT_TIME);
    gst_pad_push_event (sender->pad, gst_event_new_segment (&segment));
    g_object_set (fakesink, "signal-handoffs", TRUE, NULL);
    g_signal_connect (
        fakesink, "handoff", G_CALLBACK (on_handoff), &sp->receiver[side]);
  }
  return TRUE;
}

static StreamRun *
stream_run_new (const BenchIceImpl *impl, guint n_pairs)
{
  StreamRun *run = g_new0 (StreamRun, 1);

  run->impl = impl;
  run->n_pairs = n_pairs;
  run->pairs = g_new0 (StreamPair, n_pairs);
  return run;
}

/* Frees @pairs (made with @run as the configure data) and @run. */
static void
stream_run_free (StreamRun *run, BenchIcePair **pairs)
{
  guint i;
  gint side;

  for (i = 0; i < run->n_pairs; i++) {
    for (side = 0; side < 2; side++) {
      if (run->pairs[i].sender[side].pad != NULL)
        gst_pad_set_active (run->pairs[i].sender[side].pad, FALSE);
    }
  }
  /* no handoff after this */
  bench_ice_free_pairs (run->impl, pairs, run->n_pairs);
  for (i = 0; i < run->n_pairs; i++) {
    StreamPair *sp = &run->pairs[i];

    if (sp->pair == NULL)
      continue;
    for (side = 0; side < 2; side++) {
      StreamReceiver *r = &sp->receiver[side];

      gst_clear_object (&sp->sender[side].pad);
      if (r->latency_ns != NULL)
        g_array_unref (r->latency_ns);
      g_mutex_clear (&r->lock);
      g_cond_clear (&r->cond);
    }
  }
  g_free (run->pairs);
  g_free (run);
}

/* The implementation's own drops on @side, or -1 if it counts none. */
static gint64
side_dropped (StreamRun *run, guint i, gint side)
{
  guint64 dropped = 0;

  if (!run->impl->pair_dropped (run->pairs[i].pair, side, &dropped))
    return -1;
  return (gint64)dropped;
}

/* Sends @count datagrams of @size from side 0 to side 1 of the only pair
 * at @rate per second, @burst at a time, and waits for them. */
static gboolean
send_phase (StreamRun *run, guint count, guint rate, guint burst, gsize size,
    gint64 *start_ns)
{
  StreamSender *sender = &run->pairs[0].sender[0];
  StreamReceiver *r = &run->pairs[0].receiver[1];
  gint64 start;
  guint i;

  receiver_reset (r, size, count);
  sender->sent = 0;
  start = *start_ns = sec_bench_now_ns ();
  for (i = 0; i < count; i++) {
    if (i % burst == 0)
      sleep_until (start + (gint64)i * 1000000000 / rate);
    if (!sender_push (sender, size))
      return FALSE;
  }
  receiver_wait (r, count);
  return TRUE;
}

/* Checks what @r saw of a phase; FALSE, said on stderr, if anything
 * arrived changed or nothing arrived. */
static gboolean
receiver_check (StreamReceiver *r, const gchar *phase)
{
  gboolean ok;

  g_mutex_lock (&r->lock);
  ok = r->corrupt == 0 && r->received > 0;
  if (!ok)
    g_printerr ("%s: %" G_GUINT64_FORMAT " datagrams intact, %" G_GUINT64_FORMAT
                " changed on the way\n",
        phase, r->received, r->corrupt);
  g_mutex_unlock (&r->lock);
  return ok;
}

gboolean
bench_stream_run_throughput (const BenchIceImpl *impl)
{
  StreamRun *run = stream_run_new (impl, 1);
  StreamReceiver *r = &run->pairs[0].receiver[1];
  BenchIcePair *pair = NULL;
  BenchIceWatch watch;
  gdouble connect_ns = 0;
  gint64 start = 0, dropped_before, dropped, rcvbuf_before, cpu_self, cpu_send;
  gdouble median, p99;
  GString *line;
  gboolean ok;
  guint i;

  pattern_init ();
  bench_ice_watch_init (&watch);
  ok = bench_ice_connect_pairs (
      impl, &watch, 0, 1, &pair, stream_pair_configure, run, &connect_ns);
  if (!ok)
    goto done;

  /* throughput */
  dropped_before = side_dropped (run, 0, 1);
  rcvbuf_before = sec_bench_udp_counter ("RcvbufErrors");
  cpu_self = cpu_ns (RUSAGE_SELF);
  cpu_send = cpu_ns (RUSAGE_THREAD);
  ok = send_phase (run, THROUGHPUT_DATAGRAMS, THROUGHPUT_RATE, THROUGHPUT_BURST,
           THROUGHPUT_SIZE, &start)
      && receiver_check (r, "throughput");
  if (!ok)
    goto done;
  cpu_self = cpu_ns (RUSAGE_SELF) - cpu_self;
  cpu_send = cpu_ns (RUSAGE_THREAD) - cpu_send;
  dropped = side_dropped (run, 0, 1);
  g_mutex_lock (&r->lock);
  median = sec_bench_median (r->latency_ns); /* sorts them */
  /* nearest rank */
  p99 = g_array_index (
      r->latency_ns, gdouble, (99 * r->latency_ns->len + 99) / 100 - 1);
  /* what the hop costs under load: the latency of these datagrams */
  g_print ("result throughput sent=%u received=%" G_GUINT64_FORMAT
           " reordered=%" G_GUINT64_FORMAT " dropped=%" G_GINT64_FORMAT
           " rcvbuf-errors=%" G_GINT64_FORMAT " duration-ns=%" G_GINT64_FORMAT
           " cpu-ns=%" G_GINT64_FORMAT " send-cpu-ns=%" G_GINT64_FORMAT
           " latency-median-ns=%.0f latency-p99-ns=%.0f\n",
      THROUGHPUT_DATAGRAMS, r->received, r->reordered,
      dropped < 0 ? -1 : dropped - dropped_before,
      rcvbuf_before < 0 ? -1 : sec_bench_udp_counter ("RcvbufErrors") - rcvbuf_before,
      r->last_ns - start, cpu_self, cpu_send, median, p99);
  g_mutex_unlock (&r->lock);

  /* latency */
  dropped_before = side_dropped (run, 0, 1);
  ok =
      send_phase (run, LATENCY_DATAGRAMS, LATENCY_RATE, 1, LATENCY_SIZE, &start)
      && receiver_check (r, "latency");
  if (!ok)
    goto done;
  dropped = side_dropped (run, 0, 1);
  g_mutex_lock (&r->lock);
  g_print ("result latency sent=%u received=%" G_GUINT64_FORMAT
           " dropped=%" G_GINT64_FORMAT "\n",
      LATENCY_DATAGRAMS, r->received,
      dropped < 0 ? -1 : dropped - dropped_before);
  line = g_string_new ("result samples=");
  for (i = 0; i < r->latency_ns->len; i++)
    g_string_append_printf (line, "%s%.0f", i ? "," : "",
        g_array_index (r->latency_ns, gdouble, i));
  g_mutex_unlock (&r->lock);
  g_print ("%s\n", line->str);
  g_string_free (line, TRUE);

done:
  stream_run_free (run, &pair);
  bench_ice_watch_clear (&watch);
  return ok;
}

gboolean
bench_stream_run_scale (const BenchIceImpl *impl, guint n_pairs)
{
  BenchIcePair **pairs = g_new0 (BenchIcePair *, n_pairs);
  BenchIcePair *warm_up = NULL;
  StreamRun *run = stream_run_new (impl, n_pairs);
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (gdouble));
  guint n_senders = 2 * n_pairs;
  gint64 period_ns = 1000000000 / STREAM_SCALE_RATE, start;
  guint threads_start = 0, threads_before = 0, threads_connected = 0;
  guint threads = 0, threads_peak = 0, rss = 0, tick, i;
  guint64 sent = 0, received = 0;
  gint64 dropped = 0;
  gchar *peak_census = NULL;
  GHashTable *seen =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint threads_started = 0;
  gint64 cpu = 0;
  BenchIceWatch warm_up_watch, watch;
  gdouble connect_ns = 0;
  gboolean ok;
  gint side;

  pattern_init ();
  bench_ice_raise_fd_limit ();
  /* as scale-*: threads that end are gone at once, so the process before
   * the first pair is the same for both (a pool thread still waits half
   * a second for work of its own pool before it leaves) */
  g_thread_pool_set_max_unused_threads (0);
  bench_ice_watch_init (&watch);
  bench_ice_watch_init (&warm_up_watch);
  ok = bench_ice_read_status (&threads_start, &rss)
      && bench_ice_connect_pairs (
          impl, &warm_up_watch, 0, 1, &warm_up, NULL, NULL, &connect_ns);
  bench_ice_free_pairs (impl, &warm_up, 1);
  bench_ice_watch_clear (&warm_up_watch);
  if (ok) {
    bench_ice_settle_threads (threads_start);
    ok = bench_ice_read_status (&threads_before, &rss);
  }

  ok = ok
      && bench_ice_connect_pairs (impl, &watch, 1, n_pairs, pairs,
          stream_pair_configure, run, &connect_ns)
      && bench_ice_read_status (&threads_connected, &rss);
  if (!ok)
    goto done;
  for (i = 0; i < n_pairs; i++)
    for (side = 0; side < 2; side++)
      receiver_reset (&run->pairs[i].receiver[side], STREAM_SCALE_SIZE, 0);

  /* every side sends every period_ns, the sends of all sides spread
   * evenly over the period; the main thread wakes every SEND_TICK_US */
  threads_note (seen);
  cpu = cpu_ns (RUSAGE_SELF);
  start = sec_bench_now_ns ();
  for (i = 0; i < n_senders; i++)
    run->pairs[i / 2].sender[i % 2].next_ns =
        start + period_ns * (gint64)i / n_senders;
  for (tick = 0; ok && tick < STREAM_SCALE_MS * 1000 / SEND_TICK_US; tick++) {
    gint64 now;

    sleep_until (start + (gint64)tick * SEND_TICK_US * 1000);
    now = sec_bench_now_ns ();
    for (i = 0; ok && i < n_senders; i++) {
      StreamSender *sender = &run->pairs[i / 2].sender[i % 2];

      while (ok && sender->next_ns <= now) {
        ok = sender_push (sender, STREAM_SCALE_SIZE);
        sender->next_ns += period_ns;
      }
    }
    if (tick % (SAMPLE_INTERVAL_MS * 1000 / SEND_TICK_US) == 0
        && (ok = bench_ice_read_status (&threads, &rss))) {
      gdouble added = (gdouble)threads - threads_before;

      g_array_append_val (samples, added);
      threads_started += threads_note (seen);
      if (threads > threads_peak) {
        threads_peak = threads;
        g_free (peak_census);
        peak_census = thread_census ();
      }
    }
  }
  cpu = cpu_ns (RUSAGE_SELF) - cpu;
  if (!ok)
    goto done;

  for (i = 0; i < n_pairs; i++) {
    for (side = 0; side < 2; side++) {
      StreamReceiver *r = &run->pairs[i].receiver[side];
      gint64 d;

      receiver_wait (r, run->pairs[i].sender[1 - side].sent);
      d = side_dropped (run, i, side);
      ok &= receiver_check (r, "streaming");
      sent += run->pairs[i].sender[1 - side].sent;
      g_mutex_lock (&r->lock);
      received += r->received;
      g_mutex_unlock (&r->lock);
      dropped = d < 0 || dropped < 0 ? -1 : dropped + d;
    }
  }
  if (ok) {
    g_print ("result threads-before=%u threads-connected=%u threads-peak=%u "
             "threads-median=%.1f threads-started=%u cpu-ns=%" G_GINT64_FORMAT
             " sent=%" G_GUINT64_FORMAT " received=%" G_GUINT64_FORMAT
             " dropped=%" G_GINT64_FORMAT "\n",
        threads_before, threads_connected, threads_peak,
        threads_before + sec_bench_median (samples), threads_started, cpu, sent,
        received, dropped);
    g_print ("info %s\n", peak_census ? peak_census : "-");
  }

done:
  stream_run_free (run, pairs);
  bench_ice_watch_clear (&watch);
  g_free (peak_census);
  g_hash_table_unref (seen);
  g_array_unref (samples);
  g_free (pairs);
  return ok;
}
