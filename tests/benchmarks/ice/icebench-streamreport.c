/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ICE benchmark's streaming part, in the parent: runs the stream and
 * stream-scale children (icebench-stream.c) a round at a time, reads
 * what they print and prints the tables, ours against libnice.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "icebench-stream.h"

#include <string.h>

/* pairs streaming at once, and how many processes measure each */
static const guint stream_scale_pairs[] = { 1, 10, 100 };
static const guint stream_scale_repeats[] = { 3, 3, 3 };

#define N_STREAM_SCALES G_N_ELEMENTS (stream_scale_pairs)

static const BenchIceImpl *const stream_impls[BENCH_N_IMPLS] = {
  [BENCH_IMPL_OURS] = &bench_ice_ours,
  [BENCH_IMPL_NICE] = &bench_ice_nice,
};

static const gchar *const stream_variant[BENCH_N_IMPLS] = {
  [BENCH_IMPL_OURS] = "stream-ours",
  [BENCH_IMPL_NICE] = "stream-nice",
};

static const gchar *const stream_scale_variant[BENCH_N_IMPLS] = {
  [BENCH_IMPL_OURS] = "stream-scale-ours",
  [BENCH_IMPL_NICE] = "stream-scale-nice",
};

/* One stream child's figures (dropped, rcvbuf_errors: -1 unknown). */
typedef struct
{
  gdouble received_per_s;
  gdouble lost;    /* fraction of those sent */
  gdouble dropped; /* by the implementation itself */
  gdouble rcvbuf_errors;
  gdouble reordered;
  gdouble cpu_ns;              /* process CPU per received datagram */
  gdouble recv_cpu_ns;         /* the same less the sending thread's */
  gdouble load_latency_median; /* of the throughput datagrams */
  gdouble load_latency_p99;
  gdouble latency_lost;
  gdouble latency_dropped;
} StreamSample;

typedef struct
{
  gboolean ran;
  gboolean ok;
  GArray *samples;         /* StreamSample, one per child */
  SecBenchSamples latency; /* ns, every child's pooled */
  StreamSample median;     /* of each figure on its own */
  gdouble latency_p99;
  gdouble latency_max;
} StreamResult;

/* One stream-scale child's figures: increases over the process before
 * the first pair. */
typedef struct
{
  gdouble connected;
  gdouble peak;
  gdouble median;
  gdouble started; /* threads seen while streaming that were new */
  gdouble cores;   /* the process's CPU time over the streaming time */
  gdouble lost;    /* fraction */
  gdouble dropped;
} StreamScaleSample;

typedef struct
{
  gboolean ran;
  gboolean ok;
  GArray *samples; /* StreamScaleSample, one per child */
  StreamScaleSample median;
  gdouble max_peak; /* the highest peak of any child */
  gdouble max_lost; /* the most any child lost */
  gdouble max_dropped;
  gchar *peak_census; /* threads at the peak, from the first child */
} StreamScaleResult;

struct _BenchStreamResults
{
  StreamResult stream[BENCH_N_IMPLS];
  StreamScaleResult scale[BENCH_N_IMPLS][N_STREAM_SCALES];
};

BenchStreamResults *
bench_stream_results_new (void)
{
  BenchStreamResults *results = g_new0 (BenchStreamResults, 1);
  guint impl, s;

  for (impl = 0; impl < BENCH_N_IMPLS; impl++) {
    results->stream[impl].ok = TRUE;
    results->stream[impl].samples =
        g_array_new (FALSE, FALSE, sizeof (StreamSample));
    results->stream[impl].latency.ok = TRUE;
    results->stream[impl].latency.samples =
        g_array_new (FALSE, FALSE, sizeof (gdouble));
    for (s = 0; s < N_STREAM_SCALES; s++) {
      results->scale[impl][s].ok = TRUE;
      results->scale[impl][s].samples =
          g_array_new (FALSE, FALSE, sizeof (StreamScaleSample));
    }
  }
  return results;
}

void
bench_stream_results_free (BenchStreamResults *results)
{
  guint impl, s;

  for (impl = 0; impl < BENCH_N_IMPLS; impl++) {
    g_array_unref (results->stream[impl].samples);
    g_array_unref (results->stream[impl].latency.samples);
    g_free (results->stream[impl].latency.info);
    for (s = 0; s < N_STREAM_SCALES; s++) {
      g_array_unref (results->scale[impl][s].samples);
      g_free (results->scale[impl][s].peak_census);
    }
  }
  g_free (results);
}

guint
bench_stream_rounds (void)
{
  guint rounds = STREAM_ROUNDS, s;

  for (s = 0; s < N_STREAM_SCALES; s++)
    rounds = MAX (rounds, stream_scale_repeats[s]);
  return rounds;
}

/* The "result WORD ..." line of @out split into words (g_strfreev), or
 * NULL. */
static gchar **
result_words (const gchar *out, const gchar *word)
{
  gchar *prefix = g_strdup_printf ("result %s ", word);
  gchar **lines = g_strsplit (out, "\n", -1);
  gchar **words = NULL;
  guint i;

  for (i = 0; lines[i] && words == NULL; i++) {
    if (g_str_has_prefix (lines[i], prefix))
      words = g_strsplit (lines[i], " ", -1);
  }
  g_strfreev (lines);
  g_free (prefix);
  return words;
}

static gboolean
parse_stream_output (const gchar *out, gpointer user_data)
{
  StreamResult *result = user_data;
  gchar **tp = result_words (out, "throughput");
  gchar **lat = result_words (out, "latency");
  gboolean found = FALSE;

  if (tp != NULL && lat != NULL) {
    gdouble sent = sec_bench_field (tp, "sent");
    gdouble received = sec_bench_field (tp, "received");
    gdouble duration = sec_bench_field (tp, "duration-ns");
    gdouble cpu = sec_bench_field (tp, "cpu-ns");
    gdouble send_cpu = sec_bench_field (tp, "send-cpu-ns");
    gdouble lat_sent = sec_bench_field (lat, "sent");
    gdouble lat_received = sec_bench_field (lat, "received");
    StreamSample sample;

    if (sent > 0 && received > 0 && duration > 0 && cpu >= 0 && send_cpu >= 0
        && lat_sent > 0 && lat_received >= 0) {
      sample.received_per_s = received / (duration / 1e9);
      sample.lost = (sent - received) / sent;
      sample.dropped = sec_bench_field (tp, "dropped");
      sample.rcvbuf_errors = sec_bench_field (tp, "rcvbuf-errors");
      sample.reordered = sec_bench_field (tp, "reordered");
      sample.cpu_ns = cpu / received;
      sample.recv_cpu_ns = (cpu - send_cpu) / received;
      sample.load_latency_median = sec_bench_field (tp, "latency-median-ns");
      sample.load_latency_p99 = sec_bench_field (tp, "latency-p99-ns");
      sample.latency_lost = (lat_sent - lat_received) / lat_sent;
      sample.latency_dropped = sec_bench_field (lat, "dropped");
      found = sec_bench_parse_samples (out, &result->latency);
      if (found)
        g_array_append_val (result->samples, sample);
    }
  }
  g_strfreev (tp);
  g_strfreev (lat);
  return found;
}

static gboolean
parse_stream_scale_output (const gchar *out, gpointer user_data)
{
  StreamScaleResult *result = user_data;
  gchar **lines = g_strsplit (out, "\n", -1);
  gboolean found = FALSE;
  guint i;

  for (i = 0; lines[i]; i++) {
    gchar **words;
    gdouble before, connected, peak, median, started, cpu, sent, received;
    gdouble dropped;
    StreamScaleSample sample;

    if (g_str_has_prefix (lines[i], "info ") && result->peak_census == NULL)
      result->peak_census = g_strdup (lines[i] + strlen ("info "));
    if (found || !g_str_has_prefix (lines[i], "result "))
      continue;
    words = g_strsplit (lines[i], " ", -1);
    before = sec_bench_field (words, "threads-before");
    connected = sec_bench_field (words, "threads-connected");
    peak = sec_bench_field (words, "threads-peak");
    median = sec_bench_field (words, "threads-median");
    started = sec_bench_field (words, "threads-started");
    cpu = sec_bench_field (words, "cpu-ns");
    sent = sec_bench_field (words, "sent");
    received = sec_bench_field (words, "received");
    dropped = sec_bench_field (words, "dropped");
    g_strfreev (words);
    if (before < 0 || connected < 0 || peak < 0 || median < 0 || started < 0
        || cpu < 0 || sent <= 0 || received < 0)
      continue;
    sample.connected = connected - before;
    sample.peak = peak - before;
    sample.median = median - before;
    sample.started = started;
    sample.cores = cpu / (STREAM_SCALE_MS * 1e6);
    sample.lost = (sent - received) / sent;
    sample.dropped = dropped;
    g_array_append_val (result->samples, sample);
    found = TRUE;
  }
  g_strfreev (lines);
  return found;
}

gboolean
bench_stream_run_round (BenchStreamResults *results, const gchar *self_exe,
    const gchar *work_dir, guint round)
{
  gboolean all_ok = TRUE;
  guint impl, s;

  for (impl = 0; impl < BENCH_N_IMPLS; impl++) {
    StreamResult *r = &results->stream[impl];
    gchar *what = g_strdup_printf ("stream-%s", stream_impls[impl]->name);

    if (round < STREAM_ROUNDS && r->ok) {
      r->ran = TRUE;
      r->ok = bench_ice_run_variant (self_exe, work_dir, stream_variant[impl],
          impl, NULL, 0, parse_stream_output, r, what);
      all_ok &= r->ok;
    }
    g_free (what);
  }
  for (s = 0; s < N_STREAM_SCALES; s++) {
    for (impl = 0; impl < BENCH_N_IMPLS; impl++) {
      StreamScaleResult *r = &results->scale[impl][s];
      gchar *what = g_strdup_printf ("stream-scale-%s, %u pairs",
          stream_impls[impl]->name, stream_scale_pairs[s]);

      if (round < stream_scale_repeats[s] && r->ok) {
        r->ran = TRUE;
        r->ok = bench_ice_run_variant (self_exe, work_dir,
            stream_scale_variant[impl], impl, "--pairs", stream_scale_pairs[s],
            parse_stream_scale_output, r, what);
        all_ok &= r->ok;
      }
      g_free (what);
    }
  }
  return all_ok;
}

/* The median over @samples (of @size bytes each) of the gdouble at
 * @offset; @max, if not NULL, gets the largest. */
static gdouble
field_median (GArray *samples, gsize size, gsize offset, gdouble *max)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gdouble median;
  guint i;

  for (i = 0; i < samples->len; i++) {
    gdouble value = G_STRUCT_MEMBER (gdouble, samples->data + i * size, offset);

    g_array_append_val (values, value);
  }
  median = sec_bench_median (values);
  if (max != NULL)
    *max = g_array_index (values, gdouble, values->len - 1);
  g_array_unref (values);
  return median;
}

#define STREAM_MEDIAN(r, f)                                                    \
  ((r)->median.f = field_median ((r)->samples, sizeof (StreamSample),          \
       G_STRUCT_OFFSET (StreamSample, f), NULL))

static void
results_finish (BenchStreamResults *results)
{
  guint impl, s;

  for (impl = 0; impl < BENCH_N_IMPLS; impl++) {
    StreamResult *r = &results->stream[impl];

    r->ok = r->ran && r->ok && r->samples->len > 0;
    r->latency.ran = r->ran;
    r->latency.ok = r->ok;
    sec_bench_samples_finish (&r->latency);
    if (r->ok) {
      GArray *lat = r->latency.samples; /* sorted by the median */
      guint n = lat->len;

      STREAM_MEDIAN (r, received_per_s);
      STREAM_MEDIAN (r, lost);
      STREAM_MEDIAN (r, dropped);
      STREAM_MEDIAN (r, rcvbuf_errors);
      STREAM_MEDIAN (r, reordered);
      STREAM_MEDIAN (r, cpu_ns);
      STREAM_MEDIAN (r, recv_cpu_ns);
      STREAM_MEDIAN (r, load_latency_median);
      STREAM_MEDIAN (r, load_latency_p99);
      STREAM_MEDIAN (r, latency_lost);
      STREAM_MEDIAN (r, latency_dropped);
      /* nearest rank */
      r->latency_p99 = g_array_index (lat, gdouble, (99 * n + 99) / 100 - 1);
      r->latency_max = g_array_index (lat, gdouble, n - 1);
    }
    for (s = 0; s < N_STREAM_SCALES; s++) {
      StreamScaleResult *sr = &results->scale[impl][s];
      gsize size = sizeof (StreamScaleSample);

      sr->ok = sr->ran && sr->ok && sr->samples->len > 0;
      if (!sr->ok)
        continue;
      sr->median.connected = field_median (sr->samples, size,
          G_STRUCT_OFFSET (StreamScaleSample, connected), NULL);
      sr->median.peak = field_median (sr->samples, size,
          G_STRUCT_OFFSET (StreamScaleSample, peak), &sr->max_peak);
      sr->median.median = field_median (
          sr->samples, size, G_STRUCT_OFFSET (StreamScaleSample, median), NULL);
      sr->median.started = field_median (sr->samples, size,
          G_STRUCT_OFFSET (StreamScaleSample, started), NULL);
      sr->median.cores = field_median (
          sr->samples, size, G_STRUCT_OFFSET (StreamScaleSample, cores), NULL);
      sr->median.lost = field_median (sr->samples, size,
          G_STRUCT_OFFSET (StreamScaleSample, lost), &sr->max_lost);
      sr->median.dropped = field_median (sr->samples, size,
          G_STRUCT_OFFSET (StreamScaleSample, dropped), &sr->max_dropped);
    }
  }
}

/* "0.012 %" or "n/a" (g_free) */
static gchar *
format_percent (gdouble fraction)
{
  return fraction < 0 ? g_strdup ("n/a")
                      : g_strdup_printf ("%.3g %%", fraction * 100);
}

/* a count, or "not counted" for -1 */
static gchar *
format_count (gdouble count)
{
  return count < 0 ? g_strdup ("not counted") : g_strdup_printf ("%.0f", count);
}

static void
print_ratio_row (const gchar *what, gdouble ours, gdouble theirs,
    const gchar *less, const gchar *more)
{
  gchar *ratio = sec_bench_format_ratio (ours, theirs, less, more);

  g_print ("| %s | %s | (for reference) |\n", what, ratio);
  g_free (ratio);
}

static void
print_stream (BenchStreamResults *results, guint section)
{
  const StreamResult *o = &results->stream[BENCH_IMPL_OURS];
  const StreamResult *t = &results->stream[BENCH_IMPL_NICE];
  guint impl;

  g_print ("\n%u. Throughput on one pair: side 0 sends %u datagrams of %u "
           "bytes at %u/s (%u every millisecond) from the process's main "
           "thread through a pad of its own into the sink element; side 1's "
           "fakesink checks each one. Received per second from the first "
           "send to the last arrival; lost = not arrived; dropped = dropped "
           "by the implementation itself; kernel drops = UDP RcvbufErrors of "
           "the whole machine meanwhile; CPU = the process's user+system time "
           "(getrusage) per received datagram, and the same less the sending "
           "thread's (the receive path and the ICE threads); latency as in "
           "%u. below, of these datagrams. Median of %u processes\n\n",
      section, THROUGHPUT_DATAGRAMS, THROUGHPUT_SIZE, THROUGHPUT_RATE,
      THROUGHPUT_BURST, section + 1, STREAM_ROUNDS);
  g_print ("| elements | received/s | lost | dropped | kernel drops | "
           "reordered | CPU per datagram | of which not sending | latency "
           "median | latency p99 | n |\n");
  g_print ("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (impl = 0; impl < BENCH_N_IMPLS; impl++) {
    const StreamResult *r = &results->stream[impl];

    if (r->ok) {
      gchar *lost = format_percent (r->median.lost);
      gchar *dropped = format_count (r->median.dropped);
      gchar *rcvbuf = format_count (r->median.rcvbuf_errors);
      gchar *median = bench_ice_format_duration (r->median.load_latency_median);
      gchar *p99 = bench_ice_format_duration (r->median.load_latency_p99);

      g_print ("| %s | %.0f | %s | %s | %s | %.0f | %.2f us | %.2f us | %s | "
               "%s | %u |\n",
          stream_impls[impl]->name, r->median.received_per_s, lost, dropped,
          rcvbuf, r->median.reordered, r->median.cpu_ns / 1e3,
          r->median.recv_cpu_ns / 1e3, median, p99, r->samples->len);
      g_free (median);
      g_free (p99);
      g_free (lost);
      g_free (dropped);
      g_free (rcvbuf);
    } else {
      g_print ("| %s | %s | | | | | | | | | 0 |\n", stream_impls[impl]->name,
          r->ran ? "FAILED" : "n/a");
    }
  }

  g_print ("\n%u. One-way latency on one pair: %u datagrams of %u bytes at "
           "%u/s per process, each carrying its send time (CLOCK_MONOTONIC "
           "just before the push into the sink); latency = time at side 1's "
           "fakesink handoff minus that; every datagram of %u processes\n\n",
      section + 1, LATENCY_DATAGRAMS, LATENCY_SIZE, LATENCY_RATE,
      STREAM_ROUNDS);
  g_print ("| elements | median | p90 | p99 | max | lost | dropped | n |\n");
  g_print ("|---|---:|---:|---:|---:|---:|---:|---:|\n");
  for (impl = 0; impl < BENCH_N_IMPLS; impl++) {
    const StreamResult *r = &results->stream[impl];

    if (r->ok) {
      gchar *median = bench_ice_format_duration (r->latency.median);
      gchar *p90 = bench_ice_format_duration (r->latency.p90);
      gchar *p99 = bench_ice_format_duration (r->latency_p99);
      gchar *max = bench_ice_format_duration (r->latency_max);
      gchar *lost = format_percent (r->median.latency_lost);
      gchar *dropped = format_count (r->median.latency_dropped);

      g_print ("| %s | %s | %s | %s | %s | %s | %s | %u |\n",
          stream_impls[impl]->name, median, p90, p99, max, lost, dropped,
          r->latency.samples->len);
      g_free (median);
      g_free (p90);
      g_free (p99);
      g_free (max);
      g_free (lost);
      g_free (dropped);
    } else {
      g_print ("| %s | %s | | | | | | 0 |\n", stream_impls[impl]->name,
          r->ran ? "FAILED" : "n/a");
    }
  }

  g_print ("\n| ours / libnice | ratio | target |\n|---|---|---|\n");
  if (o->ok && t->ok) {
    print_ratio_row ("received/s", o->median.received_per_s,
        t->median.received_per_s, "fewer", "more");
    print_ratio_row ("CPU per received datagram", o->median.cpu_ns,
        t->median.cpu_ns, "less", "more");
    print_ratio_row ("of which not sending", o->median.recv_cpu_ns,
        t->median.recv_cpu_ns, "less", "more");
    print_ratio_row ("latency, medians", o->latency.median, t->latency.median,
        "lower", "higher");
    print_ratio_row (
        "latency, p99", o->latency_p99, t->latency_p99, "lower", "higher");
  } else {
    g_print ("| streaming | n/a | n/a |\n");
  }
}

static void
print_stream_scale (BenchStreamResults *results, guint section)
{
  guint s, impl;
  gboolean known = TRUE, few_threads = TRUE, no_drops = TRUE;

  g_print ("\n%u. Threads while streaming: N pairs connected at once, then "
           "each side sends %u datagrams/s of %u bytes to its peer for %u ms "
           "(all sends spread evenly; the main thread sends). Increase of "
           "Threads: (/proc/self/status) over the process before the first "
           "pair, when connected and sampled every %u ms while streaming; "
           "threads started while streaming (seen in a sample, not there "
           "before: a lower bound); CPU = the process's CPU time while "
           "streaming over the streaming time, in cores; lost and dropped "
           "over all sides; median of the processes (n); peak also the "
           "highest of any process\n\n",
      section, STREAM_SCALE_RATE, STREAM_SCALE_SIZE, STREAM_SCALE_MS,
      SAMPLE_INTERVAL_MS);
  g_print ("| pairs | elements | threads connected | streaming: median | "
           "peak | highest peak | per pair (peak) | started | CPU | lost | "
           "dropped | n |\n");
  g_print ("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (s = 0; s < N_STREAM_SCALES; s++) {
    for (impl = 0; impl < BENCH_N_IMPLS; impl++) {
      const StreamScaleResult *r = &results->scale[impl][s];

      if (r->ok) {
        gchar *lost = format_percent (r->median.lost);
        gchar *dropped = format_count (r->median.dropped);

        g_print ("| %u | %s | %+.0f | %+.1f | %+.0f | %+.0f | %.2f | %.0f | "
                 "%.2f | %s | %s | %u |\n",
            stream_scale_pairs[s], stream_impls[impl]->name,
            r->median.connected, r->median.median, r->median.peak, r->max_peak,
            r->median.peak / stream_scale_pairs[s], r->median.started,
            r->median.cores, lost, dropped, r->samples->len);
        g_free (lost);
        g_free (dropped);
      } else {
        g_print ("| %u | %s | %s | | | | | | | | | 0 |\n",
            stream_scale_pairs[s], stream_impls[impl]->name,
            r->ran ? "FAILED" : "n/a");
      }
    }
  }

  g_print ("\nthreads at the peak (first process):\n");
  for (s = 0; s < N_STREAM_SCALES; s++)
    for (impl = 0; impl < BENCH_N_IMPLS; impl++)
      g_print ("  %3u pairs %-8s %s\n", stream_scale_pairs[s],
          stream_impls[impl]->name,
          results->scale[impl][s].peak_census
              ? results->scale[impl][s].peak_census
              : "-");

  g_print ("\n| ours / libnice | ratio | target |\n|---|---|---|\n");
  for (s = 0; s < N_STREAM_SCALES; s++) {
    const StreamScaleResult *o = &results->scale[BENCH_IMPL_OURS][s];
    const StreamScaleResult *t = &results->scale[BENCH_IMPL_NICE][s];
    gchar *what;

    if (!o->ok) {
      known = FALSE;
      continue;
    }
    /* any loss or drop in any process misses the target */
    no_drops &= o->max_lost == 0 && o->max_dropped == 0;
    if (!t->ok)
      continue;
    what = g_strdup_printf (
        "peak threads, %u pairs streaming", stream_scale_pairs[s]);
    print_ratio_row (what, o->median.peak, t->median.peak, "fewer", "more");
    g_free (what);
  }
  if (known) {
    const StreamScaleResult *o =
        &results->scale[BENCH_IMPL_OURS][N_STREAM_SCALES - 1];
    guint most = stream_scale_pairs[N_STREAM_SCALES - 1];

    few_threads = o->max_peak <= TARGET_STREAM_THREADS_PER_PAIR * most;
    g_print ("| ours: highest peak of threads added, %u pairs streaming | "
             "%+.0f | <= %.0f (%.1f per pair): %s |\n",
        most, o->max_peak, TARGET_STREAM_THREADS_PER_PAIR * most,
        TARGET_STREAM_THREADS_PER_PAIR, bench_ice_verdict (few_threads));
    g_print ("| ours: lost or dropped at %u/s per side, any process | %s | "
             "none: %s |\n",
        STREAM_SCALE_RATE, no_drops ? "none" : "some",
        bench_ice_verdict (no_drops));
  } else {
    g_print ("| ours: threads and drops while streaming | n/a | n/a |\n");
  }
}

void
bench_stream_print (BenchStreamResults *results, guint section)
{
  results_finish (results);
  print_stream (results, section);
  print_stream_scale (results, section + 2);
}
