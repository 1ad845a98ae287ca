/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Data channel benchmark: our secwebrtcbin against gst-plugins-bad's
 * webrtcbin in one run (issue 11, data channels). Per implementation, two
 * peers in one process, each a pipeline holding only its bin, connected
 * on 127.0.0.1 (dcbench-call.c), one reliable ordered channel made by
 * peer 0 before the offer; then (dcbench-measure.c):
 *
 *  1. round-trip latency of 1-byte messages: 1,000 (--rtt-count) sent one
 *     at a time by peer 0 and sent back by peer 1 from its
 *     on-message-data handler; median and p99;
 *  2. throughput of the channel: 100 MB (--size-mb; MB = 10^6 bytes) in
 *     64 KiB messages (--message-kib) from peer 0 to peer 1, the sender
 *     paced by buffered-amount as a browser application is (send while
 *     under 4 MiB, --high-water-kib, then wait for on-buffered-amount-low
 *     at 1 MiB, --low-threshold-kib); MB/s from the first send-data to
 *     the last message's arrival. Every message's length and index and
 *     the checksum of all bytes are checked on arrival;
 *  3. memory on the sending side during that transfer: the highest
 *     buffered-amount of peer 0's channel, and the growth of the
 *     process's resident set over what it was just before the first
 *     message (sampled every 5 ms; its peak by each quarter of the
 *     stream, so that memory that grows with the transfer's size shows).
 *     Both peers share the process, so the receiving bin's memory is in
 *     the resident set too (dcbench-measure.c says why that is still the
 *     sender's figure to compare).
 *
 * Each measurement runs in a child process of its own (this program
 * again, with --variant), as in tests/benchmarks/webrtc: ours in the test
 * environment meson gives us (our plugins, the system ones without
 * gst-plugins-bad's webrtc, sctp, dtls and srtp plugins and libnice's),
 * webrtcbin with only the system plugin directory and a registry of its
 * own (benchcommon.c). Each child checks the plugin files its factories
 * come from. Separate processes also keep each resident set to one
 * implementation, and usrsctp (process-wide state) to one user. The
 * rounds (--rounds, default 2) alternate which implementation goes first.
 *
 * The exit code says whether every call opened its channel in the right
 * environment and every byte arrived intact and in order; it never
 * depends on timing or memory. The issue's targets (at least twice
 * webrtcbin's throughput, at most half its median round trip, sender
 * memory that does not grow with the transfer) are printed with
 * PASS/MISS for people to read.
 *
 * Usage: meson test -C build --suite benchmarks --verbose datachannel-bench
 * (or ./run bench). A quick run:
 *   SEC_DC_BENCH_SIZE_MB=10 SEC_DC_BENCH_RTT_COUNT=200 \
 *       meson test -C build --suite benchmarks --verbose datachannel-bench
 * or, by hand, meson devenv -C build tests/benchmarks/datachannel/\
 * datachannel-bench --size-mb 10 --rounds 1. One variant by hand:
 *   meson devenv -C build tests/benchmarks/datachannel/datachannel-bench \
 *       --variant ours --size-mb 10
 * (webrtcbin's variant also needs GST_PLUGIN_SYSTEM_PATH_1_0 set to
 * $SEC_SYSTEM_PLUGIN_DIR, GST_PLUGIN_PATH_1_0 empty and a registry file of
 * its own in GST_REGISTRY_1_0, as the parent gives it).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "dcbench.h"

#include <string.h>
#include <unistd.h>

#define DEFAULT_SIZE_MB 100
#define DEFAULT_MESSAGE_KIB 64
#define DEFAULT_RTT_COUNT 1000
#define DEFAULT_ROUNDS 2
#define DEFAULT_LOW_THRESHOLD_KIB 1024
#define DEFAULT_HIGH_WATER_KIB 4096

/* A child that hangs is killed by then. */
#define CHILD_ALARM_S 600

/* The issue's targets. */
#define TARGET_THROUGHPUT_RATIO 2.0
#define TARGET_RTT_RATIO 0.5

#define QUARTERS 4

static const DcBenchWebrtcImpl *const impls[DC_BENCH_N_IMPLS] = {
  [DC_BENCH_IMPL_OURS] = &dc_bench_ours,
  [DC_BENCH_IMPL_BAD] = &dc_bench_bad,
};

/* The plugins each implementation's child sees (docs/design/overview.md,
 * "Element names"). */
static const SecBenchPlugins child_plugins[DC_BENCH_N_IMPLS] = {
  [DC_BENCH_IMPL_OURS] = SEC_BENCH_PLUGINS_TEST,
  [DC_BENCH_IMPL_BAD] = SEC_BENCH_PLUGINS_SYSTEM,
};

/* ---- the child ---- */

static gint
run_child (const DcBenchWebrtcImpl *impl, const DcBenchPlan *plan)
{
  alarm (CHILD_ALARM_S);
  if (!impl->check_factories ())
    return 1;
  return dc_bench_run (impl, plan) ? 0 : 1;
}

/* ---- the parent: reading the children ---- */

/* One child's figures. */
typedef struct
{
  gdouble open_ns, bulk_ns, bytes, msgs, cpu_ns, switches, datagrams;
  gdouble buffered_peak, buffered_after;
  gdouble rss_before_kb, rss_q_kb[QUARTERS], rss_end_kb;
  gdouble samples, waits, low_events, missed_low;
  gdouble rtt_median, rtt_p99;
} ProcResult;

typedef struct
{
  gboolean ran, ok;
  GArray *procs; /* ProcResult */
  GArray *rtt;   /* gdouble ns, every process's */
} ImplResult;

/* nearest rank: the ceil (@pct n / 100)-th smallest of sorted @values */
static gdouble
percentile (GArray *sorted, guint pct)
{
  guint n = sorted->len;
  guint rank = (pct * n + 99) / 100;

  return g_array_index (sorted, gdouble, MAX (rank, 1) - 1);
}

static gboolean
parse_child (const gchar *out, gpointer user_data)
{
  ImplResult *result = user_data;
  gchar **lines = g_strsplit (out, "\n", -1);
  gchar **words = NULL;
  GArray *rtt = g_array_new (FALSE, FALSE, sizeof (gdouble));
  ProcResult p;
  gboolean ok = FALSE;
  guint i, q;

  for (i = 0; lines[i] && words == NULL; i++) {
    if (g_str_has_prefix (lines[i], "result "))
      words = g_strsplit (lines[i] + strlen ("result "), " ", -1);
  }
  g_strfreev (lines);
  if (words == NULL)
    goto done;
  p.open_ns = sec_bench_field (words, "open-ns");
  p.bulk_ns = sec_bench_field (words, "bulk-ns");
  p.bytes = sec_bench_field (words, "bytes");
  p.msgs = sec_bench_field (words, "msgs");
  p.cpu_ns = sec_bench_field (words, "cpu-ns");
  p.switches = sec_bench_field (words, "switches");
  p.datagrams = sec_bench_field (words, "datagrams");
  p.buffered_peak = sec_bench_field (words, "buffered-peak");
  p.buffered_after = sec_bench_field (words, "buffered-after");
  p.rss_before_kb = sec_bench_field (words, "rss-before-kb");
  for (q = 0; q < QUARTERS; q++) {
    gchar *key = g_strdup_printf ("rss-q%u-kb", q + 1);

    p.rss_q_kb[q] = sec_bench_field (words, key);
    g_free (key);
  }
  p.rss_end_kb = sec_bench_field (words, "rss-end-kb");
  p.samples = sec_bench_field (words, "samples");
  p.waits = sec_bench_field (words, "waits");
  p.low_events = sec_bench_field (words, "low-events");
  p.missed_low = sec_bench_field (words, "missed-low");
  for (i = 0; words[i]; i++) {
    if (g_str_has_prefix (words[i], "rtt=")) {
      gchar **values = g_strsplit (words[i] + 4, ",", -1);
      guint v;

      for (v = 0; values[v]; v++) {
        gdouble ns = g_ascii_strtod (values[v], NULL);

        if (ns > 0)
          g_array_append_val (rtt, ns);
      }
      g_strfreev (values);
    }
  }
  g_strfreev (words);
  if (p.bulk_ns <= 0 || p.bytes <= 0 || p.rss_before_kb < 0
      || p.rss_q_kb[QUARTERS - 1] < 0 || rtt->len == 0)
    goto done;
  g_array_append_vals (result->rtt, rtt->data, rtt->len);
  g_array_sort (rtt, sec_bench_compare_double);
  p.rtt_median = sec_bench_median (rtt);
  p.rtt_p99 = percentile (rtt, 99);
  g_array_append_val (result->procs, p);
  ok = TRUE;
done:
  g_array_unref (rtt);
  return ok;
}

static gboolean
run_variant (const gchar *self_exe, const gchar *work_dir, DcBenchImpl impl,
    const DcBenchPlan *plan, ImplResult *result)
{
  gchar *size = g_strdup_printf ("%" G_GUINT64_FORMAT, plan->size);
  gchar *msg = g_strdup_printf ("%u", plan->msg_size);
  gchar *rtt = g_strdup_printf ("%u", plan->rtt_count);
  gchar *low = g_strdup_printf ("%" G_GUINT64_FORMAT, plan->low_threshold);
  gchar *high = g_strdup_printf ("%" G_GUINT64_FORMAT, plan->high_water);
  const gchar *argv[] = { self_exe, "--variant", impls[impl]->name,
    "--size-bytes", size, "--message-bytes", msg, "--rtt-count", rtt,
    "--low-threshold-bytes", low, "--high-water-bytes", high, NULL };
  gchar **env = sec_bench_child_environ_new (child_plugins[impl], work_dir,
      "datachannel-bench");
  gint64 start = sec_bench_now_ns ();
  gchar *out;

  result->ran = TRUE;
  out = sec_bench_run_child (argv, env, impls[impl]->name, parse_child,
      result);
  if (out != NULL)
    g_printerr ("  %-10s process %.2f s\n", impls[impl]->name,
        (sec_bench_now_ns () - start) / 1e9);
  else
    result->ok = FALSE;
  g_free (out);
  g_strfreev (env);
  g_free (high);
  g_free (low);
  g_free (rtt);
  g_free (msg);
  g_free (size);
  return out != NULL;
}

/* ---- the parent: the tables ---- */

static gchar *
format_duration (gdouble ns)
{
  if (ns < 1e6)
    return g_strdup_printf ("%.0f us", ns / 1e3);
  if (ns < 1e9)
    return g_strdup_printf ("%.2f ms", ns / 1e6);
  return g_strdup_printf ("%.2f s", ns / 1e9);
}

static gchar *
format_kb (gdouble kb)
{
  if (kb < 0)
    return g_strdup_printf ("-%.1f MiB", -kb / 1024);
  return g_strdup_printf ("%.1f MiB", kb / 1024);
}

static const gchar *
verdict (gboolean pass)
{
  return pass ? "PASS" : "MISS";
}

static gdouble
proc_mbps (const ProcResult *p)
{
  return p->bytes / 1e6 / (p->bulk_ns / 1e9);
}

/* The median over the processes of @get's figure. */
static gdouble
median_of (ImplResult *r, gdouble (*get) (const ProcResult *))
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gdouble median;
  guint i;

  for (i = 0; i < r->procs->len; i++) {
    gdouble v = get (&g_array_index (r->procs, ProcResult, i));

    g_array_append_val (values, v);
  }
  median = sec_bench_median (values);
  g_array_unref (values);
  return median;
}

static gdouble
proc_rss_growth (const ProcResult *p)
{
  return p->rss_q_kb[QUARTERS - 1] - p->rss_before_kb;
}

static gdouble
proc_buffered_peak (const ProcResult *p)
{
  return p->buffered_peak;
}

static gdouble
proc_cpu_per_mb (const ProcResult *p)
{
  return p->cpu_ns / 1e6 / (p->bytes / 1e6);
}

static gdouble
proc_switches_per_mb (const ProcResult *p)
{
  return p->switches / (p->bytes / 1e6);
}

static gdouble
proc_datagrams_per_mb (const ProcResult *p)
{
  return p->datagrams < 0 ? -1 : p->datagrams / (p->bytes / 1e6);
}

/* Bounded: the resident set's peak rose by no more than the high-water
 * mark over the second half of the transfer (a sender whose memory grows
 * with the bytes sent adds about as much in the second half as in the
 * first). */
static gboolean
proc_bounded (const ProcResult *p, const DcBenchPlan *plan)
{
  return p->rss_q_kb[QUARTERS - 1] - p->rss_q_kb[QUARTERS / 2 - 1]
      <= plan->high_water / 1024.0;
}

static gboolean
all_bounded (ImplResult *r, const DcBenchPlan *plan)
{
  guint i;

  for (i = 0; i < r->procs->len; i++)
    if (!proc_bounded (&g_array_index (r->procs, ProcResult, i), plan))
      return FALSE;
  return r->procs->len > 0;
}

static void
print_throughput (ImplResult *results, const DcBenchPlan *plan)
{
  guint impl, i;

  g_print ("\n1. Throughput of one reliable ordered channel, peer 0 to peer "
      "1: %.1f MB (10^6 bytes) in %u-byte messages, the sender sending "
      "while buffered-amount stays under %" G_GUINT64_FORMAT " KiB, then "
      "waiting for on-buffered-amount-low (threshold %" G_GUINT64_FORMAT
      " KiB); from the first send-data to peer 1's on-message-data for the "
      "last message; every message's length and index and the checksum of "
      "all bytes checked on arrival. CPU time and context switches are the "
      "process's (both peers, every thread) during the transfer; UDP "
      "datagrams are those sent in the whole network namespace meanwhile "
      "(both directions: data and SCTP's acknowledgements)\n\n", plan->size / 1e6, plan->msg_size,
      plan->high_water / 1024, plan->low_threshold / 1024);
  g_print ("| bin | MB/s, median | per process | CPU ms per MB | context "
      "switches per MB | UDP datagrams per MB | waits for "
      "on-buffered-amount-low | on-buffered-amount-low emitted | waits "
      "ended by polling (no signal) |\n"
      "|---|---:|---|---:|---:|---:|---|---|---|\n");
  for (impl = 0; impl < DC_BENCH_N_IMPLS; impl++) {
    ImplResult *r = &results[impl];
    GString *each, *waits, *lows, *missed;

    if (!r->ok) {
      g_print ("| %s | %s | | | | | | | |\n", impls[impl]->name,
          r->ran ? "FAILED" : "n/a");
      continue;
    }
    each = g_string_new (NULL);
    waits = g_string_new (NULL);
    lows = g_string_new (NULL);
    missed = g_string_new (NULL);
    for (i = 0; i < r->procs->len; i++) {
      ProcResult *p = &g_array_index (r->procs, ProcResult, i);
      const gchar *sep = i ? ", " : "";

      g_string_append_printf (each, "%s%.1f", sep, proc_mbps (p));
      g_string_append_printf (waits, "%s%.0f", sep, p->waits);
      g_string_append_printf (lows, "%s%.0f", sep, p->low_events);
      g_string_append_printf (missed, "%s%.0f", sep, p->missed_low);
    }
    g_print ("| %s | %.1f | %s | %.2f | %.0f | %.0f | %s | %s | %s |\n",
        impls[impl]->name, median_of (r, proc_mbps), each->str,
        median_of (r, proc_cpu_per_mb), median_of (r, proc_switches_per_mb),
        median_of (r, proc_datagrams_per_mb), waits->str, lows->str,
        missed->str);
    g_string_free (each, TRUE);
    g_string_free (waits, TRUE);
    g_string_free (lows, TRUE);
    g_string_free (missed, TRUE);
  }
}

static void
print_rtt (ImplResult *results, const DcBenchPlan *plan, gdouble *medians)
{
  guint impl, i;

  g_print ("\n2. Round trip of a 1-byte message: peer 0 sends, peer 1 sends "
      "it back from its on-message-data handler, peer 0's on-message-data "
      "ends the sample; one at a time, %u per process after 20 untimed; "
      "median and p99 (nearest rank) of all processes' samples\n\n",
      plan->rtt_count);
  g_print ("| bin | median | p99 | min | max | n | per process, median / p99 "
      "|\n|---|---:|---:|---:|---:|---:|---|\n");
  for (impl = 0; impl < DC_BENCH_N_IMPLS; impl++) {
    ImplResult *r = &results[impl];
    gchar *median, *p99, *min, *max;
    GString *each;

    medians[impl] = 0;
    if (!r->ok) {
      g_print ("| %s | %s | | | | 0 | |\n", impls[impl]->name,
          r->ran ? "FAILED" : "n/a");
      continue;
    }
    medians[impl] = sec_bench_median (r->rtt); /* sorts */
    median = format_duration (medians[impl]);
    p99 = format_duration (percentile (r->rtt, 99));
    min = format_duration (g_array_index (r->rtt, gdouble, 0));
    max = format_duration (g_array_index (r->rtt, gdouble, r->rtt->len - 1));
    each = g_string_new (NULL);
    for (i = 0; i < r->procs->len; i++) {
      ProcResult *p = &g_array_index (r->procs, ProcResult, i);
      gchar *a = format_duration (p->rtt_median);
      gchar *b = format_duration (p->rtt_p99);

      g_string_append_printf (each, "%s%s / %s", i ? ", " : "", a, b);
      g_free (a);
      g_free (b);
    }
    g_print ("| %s | %s | %s | %s | %s | %u | %s |\n", impls[impl]->name,
        median, p99, min, max, r->rtt->len, each->str);
    g_free (median);
    g_free (p99);
    g_free (min);
    g_free (max);
    g_string_free (each, TRUE);
  }
}

static void
print_memory (ImplResult *results, const DcBenchPlan *plan)
{
  guint impl, i, q;

  g_print ("\n3. Memory on the sending side during the transfer, sampled "
      "every 5 ms by a thread of the benchmark: the highest buffered-amount "
      "of peer 0's channel (what the bin says it holds that SCTP has not "
      "taken; the sender also reads it before each message), and the growth "
      "of the process's resident set (VmRSS) over what it was just before "
      "the first message (after malloc_trim): its peak by the end of each "
      "quarter of the stream sent, and at the end. The process holds both "
      "peers, so the receiving bin's memory is counted too; the benchmark "
      "keeps no message. Bounded: the peak rose by at most the high-water "
      "mark (%" G_GUINT64_FORMAT " KiB) over the second half of the "
      "transfer\n\n", plan->high_water / 1024);
  g_print ("| bin | process | peak buffered-amount | RSS before | RSS growth, "
      "peak by 1/4, 1/2, 3/4, end | RSS growth at the end | buffered-amount "
      "after | bounded |\n|---|---:|---:|---:|---|---:|---:|---|\n");
  for (impl = 0; impl < DC_BENCH_N_IMPLS; impl++) {
    ImplResult *r = &results[impl];

    if (!r->ok) {
      g_print ("| %s | %s | | | | | | |\n", impls[impl]->name,
          r->ran ? "FAILED" : "n/a");
      continue;
    }
    for (i = 0; i < r->procs->len; i++) {
      ProcResult *p = &g_array_index (r->procs, ProcResult, i);
      gchar *peak = format_kb (p->buffered_peak / 1024);
      gchar *before = format_kb (p->rss_before_kb);
      gchar *end = format_kb (p->rss_end_kb - p->rss_before_kb);
      GString *quarters = g_string_new (NULL);

      for (q = 0; q < QUARTERS; q++) {
        gchar *g = format_kb (p->rss_q_kb[q] - p->rss_before_kb);

        g_string_append_printf (quarters, "%s%s", q ? ", " : "", g);
        g_free (g);
      }
      g_print ("| %s | %u | %s | %s | %s | %s | %.0f | %s |\n",
          impls[impl]->name, i + 1, peak, before, quarters->str, end,
          p->buffered_after, proc_bounded (p, plan) ? "yes" : "no");
      g_free (peak);
      g_free (before);
      g_free (end);
      g_string_free (quarters, TRUE);
    }
  }
}

static void
print_ratios (ImplResult *results, const DcBenchPlan *plan,
    const gdouble *rtt_medians)
{
  ImplResult *o = &results[DC_BENCH_IMPL_OURS];
  ImplResult *t = &results[DC_BENCH_IMPL_BAD];
  gdouble ot, tt, op99, tp99, om, tm, ob, tb;
  gchar *text;

  g_print ("\n| ours / webrtcbin | ratio | target |\n|---|---|---|\n");
  if (!o->ok || !t->ok) {
    g_print ("| (one implementation failed) | n/a | n/a |\n");
    if (o->ok)
      g_print ("| ours: sender memory bounded | %s | no growth with the "
          "transfer: %s |\n", all_bounded (o, plan) ? "yes" : "no",
          verdict (all_bounded (o, plan)));
    return;
  }
  ot = median_of (o, proc_mbps);
  tt = median_of (t, proc_mbps);
  text = sec_bench_format_ratio (ot, tt, "lower", "higher");
  g_print ("| throughput (MB/s), medians | %s | >= 2: %s |\n", text,
      verdict (ot >= TARGET_THROUGHPUT_RATIO * tt));
  g_free (text);

  text = sec_bench_format_ratio (rtt_medians[DC_BENCH_IMPL_OURS],
      rtt_medians[DC_BENCH_IMPL_BAD], "faster", "slower");
  g_print ("| round trip, median | %s | <= 0.5: %s |\n", text,
      verdict (rtt_medians[DC_BENCH_IMPL_OURS]
          <= TARGET_RTT_RATIO * rtt_medians[DC_BENCH_IMPL_BAD]));
  g_free (text);

  /* the arrays are sorted by print_rtt () */
  op99 = percentile (o->rtt, 99);
  tp99 = percentile (t->rtt, 99);
  text = sec_bench_format_ratio (op99, tp99, "faster", "slower");
  g_print ("| round trip, p99 | %s | (for reference) |\n", text);
  g_free (text);

  om = median_of (o, proc_rss_growth);
  tm = median_of (t, proc_rss_growth);
  text = sec_bench_format_ratio (MAX (om, 1), MAX (tm, 1), "less", "more");
  g_print ("| RSS growth during the transfer, peak, medians | %s | "
      "(for reference) |\n", text);
  g_free (text);

  ob = median_of (o, proc_buffered_peak);
  tb = median_of (t, proc_buffered_peak);
  text = sec_bench_format_ratio (ob, tb, "less", "more");
  g_print ("| peak buffered-amount, medians | %s | (for reference) |\n", text);
  g_free (text);

  text = sec_bench_format_ratio (median_of (o, proc_cpu_per_mb),
      median_of (t, proc_cpu_per_mb), "less", "more");
  g_print ("| CPU time per MB, medians | %s | (for reference) |\n", text);
  g_free (text);

  g_print ("| ours: sender memory bounded (webrtcbin: %s) | %s | no growth "
      "with the transfer: %s |\n", all_bounded (t, plan) ? "yes" : "no",
      all_bounded (o, plan) ? "yes" : "no", verdict (all_bounded (o, plan)));
}

static void
print_tables (ImplResult *results, const DcBenchPlan *plan, guint rounds,
    const gchar *load_before, gdouble wall_s)
{
  gchar *cpu = sec_bench_cpu_model ();
  gchar *load_after = sec_bench_load_average ();
  gdouble rtt_medians[DC_BENCH_N_IMPLS];
  guint impl, i;

  g_print ("\nmachine: %s, %u CPUs; %s\n", cpu, g_get_num_processors (),
      gst_version_string ());
  g_print ("load average (1, 5, 15 min) before: %s, after: %s; whole run "
      "%.1f s\n", load_before, load_after, wall_s);
  g_print ("each bin: two peers in one process (%u processes each, the "
      "first one alternating), each peer a pipeline holding only the bin; "
      "127.0.0.1 only, max-bundle; one channel \"bench\" made by peer 0 "
      "before the offer, reliable and ordered (no options), announced to "
      "peer 1 in-band\n", rounds);
  for (impl = 0; impl < DC_BENCH_N_IMPLS; impl++) {
    ImplResult *r = &results[impl];
    GString *open = g_string_new (NULL);

    for (i = 0; r->ok && i < r->procs->len; i++) {
      gchar *t =
          format_duration (g_array_index (r->procs, ProcResult, i).open_ns);

      g_string_append_printf (open, "%s%s", i ? ", " : "", t);
      g_free (t);
    }
    g_print ("  %s: from create-offer to the channel open on both peers: "
        "%s\n", impls[impl]->name, open->len ? open->str : "-");
    g_string_free (open, TRUE);
  }
  print_throughput (results, plan);
  print_rtt (results, plan, rtt_medians);
  print_memory (results, plan);
  print_ratios (results, plan, rtt_medians);
  g_print ("\nTargets (issue 11): at least twice webrtcbin's throughput, at "
      "most half its median round trip, sender memory bounded (no growth "
      "with the transfer's size). PASS/MISS is informational; the exit code "
      "only says whether every channel opened in the right environment and "
      "every byte arrived intact and in order.\n");
  g_free (load_after);
  g_free (cpu);
}

static gint
run_parent (const gchar *work_dir, const DcBenchPlan *plan, guint rounds)
{
  ImplResult results[DC_BENCH_N_IMPLS];
  gint64 start = sec_bench_now_ns ();
  gchar *load_before, *self_exe;
  gboolean all_ok = TRUE;
  guint impl, round, k;

  self_exe = sec_bench_parent_prepare (work_dir);
  if (self_exe == NULL)
    return 1;
  load_before = sec_bench_load_average ();
  for (impl = 0; impl < DC_BENCH_N_IMPLS; impl++) {
    results[impl].ran = FALSE;
    results[impl].ok = TRUE;
    results[impl].procs = g_array_new (FALSE, FALSE, sizeof (ProcResult));
    results[impl].rtt = g_array_new (FALSE, FALSE, sizeof (gdouble));
  }
  for (round = 0; round < rounds; round++) {
    g_printerr ("round %u of %u\n", round + 1, rounds);
    /* each implementation goes first every other round, so that a
     * burst of load from elsewhere spreads over both */
    for (k = 0; k < DC_BENCH_N_IMPLS; k++) {
      impl = (k + round) % DC_BENCH_N_IMPLS;
      if (results[impl].ok)
        all_ok &= run_variant (self_exe, work_dir, impl, plan,
            &results[impl]);
    }
  }
  for (impl = 0; impl < DC_BENCH_N_IMPLS; impl++)
    results[impl].ok = results[impl].ran && results[impl].ok
        && results[impl].procs->len > 0;
  print_tables (results, plan, rounds, load_before,
      (sec_bench_now_ns () - start) / 1e9);
  for (impl = 0; impl < DC_BENCH_N_IMPLS; impl++) {
    g_array_unref (results[impl].procs);
    g_array_unref (results[impl].rtt);
  }
  g_free (load_before);
  g_free (self_exe);
  if (!all_ok)
    g_print ("\nFAILED: at least one variant did not run, did not open its "
        "channel, lost or changed data, or ran in the wrong environment (see "
        "above)\n");
  return all_ok ? 0 : 1;
}

/* ---- main ---- */

/* @name's value from the environment as a default, if it is set. */
static gboolean
env_default (const gchar *name, gint *value)
{
  const gchar *text = g_getenv (name);
  gint64 v;
  gchar *end = NULL;

  if (text == NULL || *text == '\0')
    return TRUE;
  v = g_ascii_strtoll (text, &end, 10);
  if (end == text || *end != '\0' || v < 1 || v > G_MAXINT) {
    g_printerr ("%s=%s is not a whole number >= 1\n", name, text);
    return FALSE;
  }
  *value = (gint)v;
  return TRUE;
}

int
main (int argc, char **argv)
{
  gchar *variant = NULL, *work_dir = NULL;
  gint size_mb = DEFAULT_SIZE_MB, message_kib = DEFAULT_MESSAGE_KIB;
  gint rtt_count = DEFAULT_RTT_COUNT, rounds = DEFAULT_ROUNDS;
  gint low_kib = DEFAULT_LOW_THRESHOLD_KIB, high_kib = DEFAULT_HIGH_WATER_KIB;
  gint64 size_bytes = 0, message_bytes = 0, low_bytes = 0, high_bytes = 0;
  GOptionEntry entries[] = {
    { "variant", 0, 0, G_OPTION_ARG_STRING, &variant,
        "Run one implementation in this process (ours, webrtcbin)", "V" },
    { "size-mb", 0, 0, G_OPTION_ARG_INT, &size_mb,
        "Bytes of the bulk transfer, in MB of 10^6 (default 100, or "
        "$SEC_DC_BENCH_SIZE_MB)", "MB" },
    { "message-kib", 0, 0, G_OPTION_ARG_INT, &message_kib,
        "Bytes per message of the bulk transfer, in KiB (default 64)",
        "KIB" },
    { "rtt-count", 0, 0, G_OPTION_ARG_INT, &rtt_count,
        "Timed round trips per process (default 1000, or "
        "$SEC_DC_BENCH_RTT_COUNT)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds,
        "Processes per implementation (default 2, or $SEC_DC_BENCH_ROUNDS)",
        "R" },
    { "low-threshold-kib", 0, 0, G_OPTION_ARG_INT, &low_kib,
        "buffered-amount-low-threshold of the sender, in KiB (default 1024)",
        "KIB" },
    { "high-water-kib", 0, 0, G_OPTION_ARG_INT, &high_kib,
        "The sender sends while buffered-amount stays under this, in KiB "
        "(default 4096)", "KIB" },
    /* what the parent hands its children, exact */
    { "size-bytes", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT64, &size_bytes,
        NULL, NULL },
    { "message-bytes", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT64,
        &message_bytes, NULL, NULL },
    { "low-threshold-bytes", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT64,
        &low_bytes, NULL, NULL },
    { "high-water-bytes", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT64,
        &high_bytes, NULL, NULL },
    { "work-dir", 0, 0, G_OPTION_ARG_FILENAME, &work_dir,
        "Where the child registries go (default: the temporary directory)",
        "DIR" },
    { NULL }
  };
  DcBenchPlan plan;
  gint ret;

  if (!env_default ("SEC_DC_BENCH_SIZE_MB", &size_mb)
      || !env_default ("SEC_DC_BENCH_RTT_COUNT", &rtt_count)
      || !env_default ("SEC_DC_BENCH_ROUNDS", &rounds))
    return 2;
  if (!sec_bench_parse_options ("- data channel benchmark: secwebrtcbin "
          "against gst-plugins-bad's webrtcbin", entries, &argc, &argv))
    return 2;
  plan.size = size_bytes > 0 ? (guint64)size_bytes
      : (guint64)MAX (size_mb, 0) * 1000000;
  plan.msg_size = message_bytes > 0 ? (guint)MIN (message_bytes, G_MAXUINT)
      : (guint)MAX (message_kib, 0) * 1024;
  plan.rtt_count = (guint)MAX (rtt_count, 0);
  plan.low_threshold = low_bytes > 0 ? (guint64)low_bytes
      : (guint64)MAX (low_kib, 0) * 1024;
  plan.high_water = high_bytes > 0 ? (guint64)high_bytes
      : (guint64)MAX (high_kib, 0) * 1024;
  if (plan.size < 1 || plan.msg_size < 8 || plan.msg_size > 1024 * 1024
      || plan.rtt_count < 1 || rounds < 1 || plan.low_threshold < 1
      || plan.high_water <= plan.low_threshold) {
    g_printerr ("the size must be >= 1 MB, messages 1 to 1024 KiB, "
        "--rtt-count and --rounds >= 1, and 0 < --low-threshold-kib < "
        "--high-water-kib\n");
    ret = 2;
  } else if (variant != NULL) {
    guint impl;

    for (impl = 0; impl < DC_BENCH_N_IMPLS; impl++)
      if (g_str_equal (variant, impls[impl]->name))
        break;
    if (impl == DC_BENCH_N_IMPLS) {
      g_printerr ("--variant is ours or webrtcbin\n");
      ret = 2;
    } else {
      gst_init (NULL, NULL);
      ret = run_child (impls[impl], &plan);
    }
  } else {
    if (work_dir == NULL)
      work_dir = g_build_filename (g_get_tmp_dir (), "datachannel-bench",
          NULL);
    ret = run_parent (work_dir, &plan, (guint)rounds);
  }
  g_free (variant);
  g_free (work_dir);
  return ret;
}
