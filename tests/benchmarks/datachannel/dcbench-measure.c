/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The measurements of one child process (dcbench.h, dc_bench_run ()),
 * on one call whose channel is open:
 *
 * 1. Round trips: peer 0 sends a 1-byte message (binary), peer 1 sends
 *    it back from its on-message-data handler, and the time from
 *    emitting send-data on peer 0 to peer 0's on-message-data for the
 *    echo is one sample (taken in the handler, so the benchmark's own
 *    thread waking up is not in it). One message at a time, after
 *    RTT_WARM_UP untimed ones.
 *
 * 2. Bulk: peer 0 sends the stream (dcbench.h, DcBenchStream: 64 KiB
 *    messages by default) from this thread, paced as a browser
 *    application paces a WebRTC data channel: it sends while the
 *    channel's buffered-amount stays under the high-water mark, then
 *    waits for on-buffered-amount-low (buffered-amount-low-threshold
 *    set to the plan's threshold). The time runs from the first
 *    send-data to peer 1's on-message-data for the last message; peer 1
 *    checks every message's length and index and the checksum of all
 *    bytes against the one computed before the clock started.
 *
 *    Memory on the sending side, sampled every SAMPLE_EVERY_US by a
 *    thread of the benchmark's own during the transfer: peer 0's
 *    buffered-amount (what its bin says it holds, not yet taken by
 *    SCTP; the sender also reads it before every message) and the
 *    process's resident set (/proc/self/statm) against what it was just
 *    before the first message, after malloc_trim (). Both peers live in
 *    this process, so the resident set also holds what the receiving
 *    bin keeps; the benchmark itself keeps no message (each is made
 *    when sent and dropped once checked). The resident set's peak is
 *    kept per quarter of the stream sent, so that growth with the
 *    transfer's size shows as a peak that keeps rising from quarter to
 *    quarter, where a bounded sender levels off.
 *
 * Prints one "result key=value ..." line that dcbench.c reads.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "dcbench.h"

#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#define RTT_WARM_UP 20
#define RTT_TIMEOUT_S 5
#define SAMPLE_EVERY_US 5000
/* How often the sender looks at buffered-amount itself while it waits
 * for on-buffered-amount-low (a bin that never emits it is then counted,
 * and slow, instead of hanging the benchmark). */
#define LOW_RECHECK_US (100 * 1000)
#define QUARTERS 4

/* ---- the process ---- */

static guint64
rss_kb (void)
{
  gchar *contents = NULL;
  guint64 kb = 0;

  if (g_file_get_contents ("/proc/self/statm", &contents, NULL, NULL)) {
    gchar **fields = g_strsplit (contents, " ", 3);

    if (fields[0] && fields[1])
      kb = g_ascii_strtoull (fields[1], NULL, 10)
          * (guint64)sysconf (_SC_PAGESIZE) / 1024;
    g_strfreev (fields);
  }
  g_free (contents);
  return kb;
}

static gint64
cpu_ns (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;
  return ((gint64)usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000
      + ((gint64)usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000;
}

/* Voluntary and involuntary context switches of every thread of the
 * process: a thread that hands each packet to another pays one. */
static gint64
context_switches (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;
  return (gint64)usage.ru_nvcsw + usage.ru_nivcsw;
}

static void
trim_heap (void)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

static guint64
buffered_amount (GObject *channel)
{
  guint64 amount = 0;

  g_object_get (channel, "buffered-amount", &amount, NULL);
  return amount;
}

/* ---- 1. round trips ---- */

static gboolean
run_rtt (DcBenchCall *call, guint count, GArray *samples)
{
  GObject *channel = dc_bench_call_channel (call, 0);
  guint i;

  dc_bench_call_set_phase (call, DC_BENCH_PHASE_RTT, NULL);
  for (i = 0; i < RTT_WARM_UP + count; i++) {
    guint8 byte = (guint8)i;
    GBytes *msg = g_bytes_new (&byte, 1);
    gint64 sent, arrived = 0;

    sent = sec_bench_now_ns ();
    g_signal_emit_by_name (channel, "send-data", msg);
    g_bytes_unref (msg);
    if (!dc_bench_call_wait_echo (call, i + 1, g_get_monotonic_time ()
            + RTT_TIMEOUT_S * G_TIME_SPAN_SECOND, &arrived)) {
      gchar *error = dc_bench_call_error (call);

      g_printerr ("round trip %u of %u: %s\n", i + 1, RTT_WARM_UP + count,
          error ? error : "no echo within " G_STRINGIFY (RTT_TIMEOUT_S) " s");
      g_free (error);
      return FALSE;
    }
    if (i >= RTT_WARM_UP) {
      gdouble ns = (gdouble)(arrived - sent);

      g_array_append_val (samples, ns);
    }
  }
  dc_bench_call_set_phase (call, DC_BENCH_PHASE_IDLE, NULL);
  return TRUE;
}

/* ---- 2. bulk ---- */

typedef struct
{
  GObject *channel; /* peer 0's */
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean stop;  /* protected by lock */
  gint quarter;   /* atomic: the quarter of the stream being sent */
  /* the sampler's own until it is joined */
  guint64 rss_peak_kb[QUARTERS];
  guint64 buffered_peak;
  guint samples;
} Sampler;

static gpointer
sampler_run (gpointer data)
{
  Sampler *s = data;
  gint64 next = g_get_monotonic_time ();

  g_mutex_lock (&s->lock);
  while (!s->stop) {
    gint q = g_atomic_int_get (&s->quarter);
    guint64 kb, amount;

    g_mutex_unlock (&s->lock);
    kb = rss_kb ();
    amount = buffered_amount (s->channel);
    s->rss_peak_kb[q] = MAX (s->rss_peak_kb[q], kb);
    s->buffered_peak = MAX (s->buffered_peak, amount);
    s->samples++;
    next += SAMPLE_EVERY_US;
    g_mutex_lock (&s->lock);
    while (!s->stop && g_cond_wait_until (&s->cond, &s->lock, next))
      ;
  }
  g_mutex_unlock (&s->lock);
  return NULL;
}

static void
sampler_stop (Sampler *s)
{
  g_mutex_lock (&s->lock);
  s->stop = TRUE;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  g_thread_join (s->thread);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
}

typedef struct
{
  gint64 ns;              /* first send-data to the last message's arrival */
  gint64 cpu_ns;          /* the process's CPU time meanwhile */
  gint64 switches;        /* its context switches meanwhile */
  gint64 datagrams;       /* UDP datagrams sent meanwhile, or -1 */
  guint64 bytes;
  guint msgs;
  guint64 buffered_peak;  /* peer 0's buffered-amount, highest seen */
  guint64 buffered_after; /* once everything arrived */
  guint64 rss_before_kb;
  guint64 rss_peak_kb[QUARTERS]; /* highest up to the end of each quarter */
  guint64 rss_end_kb;
  guint samples;
  guint waits;      /* times the sender waited for on-buffered-amount-low */
  guint low_events; /* on-buffered-amount-low emissions */
  guint missed_low; /* waits that ended with buffered-amount under the
                     * threshold and no on-buffered-amount-low */
} BulkResult;

/* Fails the transfer when peer 1 received nothing for
 * DC_BENCH_STALL_TIMEOUT_S, saying what it got. */
static gboolean
check_progress (DcBenchCall *call, const DcBenchStream *stream,
    guint sent_msgs, guint64 buffered)
{
  DcBenchReceived r;
  gchar *error;

  dc_bench_call_received (call, &r);
  error = dc_bench_call_error (call);
  if (error != NULL) {
    g_printerr ("bulk transfer failed: %s\n", error);
    g_free (error);
    return FALSE;
  }
  if (g_get_monotonic_time () - r.progress_us
      > DC_BENCH_STALL_TIMEOUT_S * G_TIME_SPAN_SECOND) {
    g_printerr ("bulk transfer stalled: nothing arrived for %d s; %u of %u "
        "messages sent, %u received (%" G_GUINT64_FORMAT " bytes), "
        "buffered-amount %" G_GUINT64_FORMAT "\n", DC_BENCH_STALL_TIMEOUT_S,
        sent_msgs, stream->n_msgs, r.msgs, r.bytes, buffered);
    return FALSE;
  }
  return TRUE;
}

static gboolean
run_bulk (DcBenchCall *call, const DcBenchPlan *plan, BulkResult *res)
{
  GObject *channel = dc_bench_call_channel (call, 0);
  DcBenchStream stream;
  DcBenchChecksum expected = { 0, 0 };
  DcBenchReceived r;
  Sampler sampler;
  gint64 start, cpu_start, switches_start, datagrams_start;
  guint next = 0, i, q;
  gboolean ok = TRUE;

  memset (res, 0, sizeof (*res));
  dc_bench_stream_init (&stream, plan->size, plan->msg_size);
  /* what peer 1 must end with, before the clock starts */
  for (i = 0; i < stream.n_msgs; i++) {
    GBytes *msg = dc_bench_stream_msg (&stream, i);
    gsize len;
    const guint8 *data = g_bytes_get_data (msg, &len);

    dc_bench_checksum_update (&expected, data, len);
    g_bytes_unref (msg);
  }
  g_object_set (channel, "buffered-amount-low-threshold", plan->low_threshold,
      NULL);
  dc_bench_call_set_phase (call, DC_BENCH_PHASE_BULK, &stream);

  trim_heap ();
  res->rss_before_kb = rss_kb ();
  memset (&sampler, 0, sizeof (sampler));
  sampler.channel = channel;
  g_mutex_init (&sampler.lock);
  g_cond_init (&sampler.cond);
  sampler.thread = g_thread_new ("dc-bench-sampler", sampler_run, &sampler);

  datagrams_start = sec_bench_udp_counter ("OutDatagrams");
  switches_start = context_switches ();
  cpu_start = cpu_ns ();
  start = sec_bench_now_ns ();
  while (ok && next < stream.n_msgs) {
    guint seen = dc_bench_call_low_events (call);
    guint64 amount = buffered_amount (channel);
    guint len = dc_bench_stream_msg_len (&stream, next);

    res->buffered_peak = MAX (res->buffered_peak, amount);
    if (amount == 0 || amount + len <= plan->high_water) {
      GBytes *msg = dc_bench_stream_msg (&stream, next);

      g_signal_emit_by_name (channel, "send-data", msg);
      g_bytes_unref (msg);
      next++;
      g_atomic_int_set (&sampler.quarter,
          (gint)MIN ((guint64)next * QUARTERS / stream.n_msgs, QUARTERS - 1));
      continue;
    }
    /* above the high-water mark: wait for on-buffered-amount-low */
    res->waits++;
    while (ok) {
      if (dc_bench_call_wait_low (call, seen, LOW_RECHECK_US) != seen)
        break;
      amount = buffered_amount (channel);
      if (amount < plan->low_threshold) {
        res->missed_low++;
        break;
      }
      ok = check_progress (call, &stream, next, amount);
    }
    if (ok)
      ok = check_progress (call, &stream, next, amount);
  }
  /* everything is sent: until the last message arrived */
  while (ok) {
    dc_bench_call_wait_bulk (call, LOW_RECHECK_US, &r);
    if (r.msgs == stream.n_msgs)
      break;
    ok = check_progress (call, &stream, next, buffered_amount (channel));
  }
  res->cpu_ns = cpu_ns () - cpu_start;
  res->switches = context_switches () - switches_start;
  res->datagrams = datagrams_start < 0 ? -1
      : sec_bench_udp_counter ("OutDatagrams") - datagrams_start;
  res->rss_end_kb = rss_kb ();
  sampler_stop (&sampler);

  if (ok) {
    gchar *error = dc_bench_call_error (call);

    res->ns = r.last_ns - start;
    res->bytes = r.bytes;
    res->msgs = r.msgs;
    if (error != NULL) {
      g_printerr ("bulk transfer failed: %s\n", error);
      ok = FALSE;
    } else if (r.bytes != stream.total || r.msgs != stream.n_msgs) {
      g_printerr ("bulk transfer: %" G_GUINT64_FORMAT " bytes in %u messages "
          "arrived, %" G_GUINT64_FORMAT " in %u were sent\n", r.bytes, r.msgs,
          stream.total, stream.n_msgs);
      ok = FALSE;
    } else if (r.sum.a != expected.a || r.sum.b != expected.b) {
      g_printerr ("bulk transfer: the checksum of what arrived (%016"
          G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x) is not the one of "
          "what was sent (%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER
          "x): bytes were changed on the way\n", r.sum.a, r.sum.b,
          expected.a, expected.b);
      ok = FALSE;
    }
    g_free (error);
  }
  res->buffered_peak = MAX (res->buffered_peak, sampler.buffered_peak);
  res->buffered_after = buffered_amount (channel);
  res->samples = sampler.samples;
  res->low_events = dc_bench_call_low_events (call);
  for (q = 0; q < QUARTERS; q++)
    res->rss_peak_kb[q] = MAX (q ? res->rss_peak_kb[q - 1] : 0,
        sampler.rss_peak_kb[q]);
  dc_bench_call_set_phase (call, DC_BENCH_PHASE_IDLE, NULL);
  dc_bench_stream_clear (&stream);
  return ok;
}

/* ---- one process ---- */

gboolean
dc_bench_run (const DcBenchWebrtcImpl *impl, const DcBenchPlan *plan)
{
  GArray *rtt = g_array_new (FALSE, FALSE, sizeof (gdouble));
  DcBenchCall *call;
  BulkResult bulk;
  gint64 open_ns = 0;
  gboolean ok;
  guint i;

  call = dc_bench_call_new (impl);
  ok = call != NULL && dc_bench_call_open (call, &open_ns)
      && run_rtt (call, plan->rtt_count, rtt)
      && run_bulk (call, plan, &bulk);
  if (ok) {
    g_print ("result open-ns=%" G_GINT64_FORMAT " bulk-ns=%" G_GINT64_FORMAT
        " bytes=%" G_GUINT64_FORMAT " msgs=%u cpu-ns=%" G_GINT64_FORMAT
        " switches=%" G_GINT64_FORMAT " datagrams=%" G_GINT64_FORMAT
        " buffered-peak=%" G_GUINT64_FORMAT " buffered-after=%"
        G_GUINT64_FORMAT " rss-before-kb=%" G_GUINT64_FORMAT, open_ns,
        bulk.ns, bulk.bytes, bulk.msgs, bulk.cpu_ns, bulk.switches,
        bulk.datagrams, bulk.buffered_peak, bulk.buffered_after,
        bulk.rss_before_kb);
    for (i = 0; i < QUARTERS; i++)
      g_print (" rss-q%u-kb=%" G_GUINT64_FORMAT, i + 1, bulk.rss_peak_kb[i]);
    g_print (" rss-end-kb=%" G_GUINT64_FORMAT " samples=%u waits=%u "
        "low-events=%u missed-low=%u rtt=", bulk.rss_end_kb, bulk.samples,
        bulk.waits, bulk.low_events, bulk.missed_low);
    for (i = 0; i < rtt->len; i++)
      g_print ("%s%.0f", i ? "," : "", g_array_index (rtt, gdouble, i));
    g_print ("\n");
  }
  if (call)
    dc_bench_call_free (call);
  g_array_unref (rtt);
  return ok;
}
