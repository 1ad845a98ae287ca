/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ICE benchmark, ours against libnice's own GStreamer elements in one
 * run:
 *
 *  1. time to connected on loopback: a pair of ICE transports in one
 *     process (each side a pipeline of its own, 127.0.0.1 only,
 *     credentials exchanged before the start, candidates trickled from
 *     the local-candidate callback), from the first side starting until
 *     both report connected or completed; a fresh pair per measurement:
 *       connect-ours  secicesrc/secicesink (icebench-ours.c)
 *       connect-nice  nicesrc/nicesink with a NiceAgent per side, each
 *                     on a GMainContext and thread of the application's
 *                     (icebench-nice.c)
 *  2. threads and memory at scale: 1, 10 and 100 such pairs connected
 *     at once in one process; the increase of Threads: and VmRSS in
 *     /proc/self/status and of open file descriptors over the process
 *     before the first pair (after an untimed warm-up pair, its memory
 *     given back with malloc_trim), each figure the median of 5, 5 and
 *     3 processes:
 *       scale-ours, scale-nice
 *  3. datagrams flowing (icebench-stream.c): throughput, loss and CPU
 *     per datagram, and one-way latency, for one pair:
 *       stream-ours, stream-nice
 *     and the threads of the process while 1, 10 and 100 pairs stream
 *     at once:
 *       stream-scale-ours, stream-scale-nice
 *
 * Each measurement runs in a child process of its own (this program
 * again, with --variant): ours in the test environment meson gives us
 * (our plugins, the system ones without libnice's gst plugin), the
 * baseline with only the system plugin directory and a registry of its
 * own, so libnice's gst plugin never loads in the process that measures
 * ours; each child checks the plugin file its factories come from.
 *
 * The exit code says whether every pair connected in the right
 * environment and every datagram that arrived was intact; it never
 * depends on timing, loss, threads or memory. The
 * targets are printed with PASS/MISS for people to read.
 *
 * Usage: meson test -C build --suite benchmarks --verbose ice-bench (or
 * ./run bench). One variant by hand:
 *   meson devenv -C build tests/benchmarks/ice/ice-bench \
 *       --variant connect-ours --count 20
 *   meson devenv -C build tests/benchmarks/ice/ice-bench \
 *       --variant scale-ours --pairs 100
 *   meson devenv -C build tests/benchmarks/ice/ice-bench \
 *       --variant stream-scale-ours --pairs 100
 * (the baseline's variants also need GST_PLUGIN_SYSTEM_PATH_1_0 set to
 * $SEC_SYSTEM_PLUGIN_DIR, GST_PLUGIN_PATH_1_0 empty and a registry file
 * of their own in GST_REGISTRY_1_0, as the parent gives them).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "icebench.h"
#include "icebench-stream.h"

#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#define DEFAULT_CONNECT_ROUNDS 2
#define DEFAULT_CONNECTS 10 /* per child: 20 per variant in all */

/* pairs per scale measurement, and how many processes measure each */
static const guint scale_pairs[] = { 1, 10, 100 };
static const guint scale_repeats[] = { 5, 5, 3 };

#define N_SCALES G_N_ELEMENTS (scale_pairs)

/* A child that hangs (a deadlock on teardown, say) is killed by then. */
#define CHILD_ALARM_S 120

/* How long a scale child waits for threads that ended to be gone. */
#define SETTLE_TIMEOUT_MS 3000

/* The issue's targets: connected in under 15 ms on loopback; threads
 * constant as pairs grow; memory per pair at most half the baseline's. */
#define TARGET_CONNECT_NS 15e6
#define TARGET_RSS_RATIO 0.5
#define TARGET_OURS_THREADS 1

typedef enum
{
  BENCH_KIND_CONNECT,
  BENCH_KIND_SCALE,
  BENCH_KIND_STREAM,       /* icebench-stream.c */
  BENCH_KIND_STREAM_SCALE, /* icebench-stream.c */
} BenchKind;

typedef struct
{
  const gchar *name; /* --variant */
  BenchKind kind;
  BenchImpl impl;
} VariantInfo;

static const VariantInfo variants[] = {
  { "connect-ours", BENCH_KIND_CONNECT, BENCH_IMPL_OURS },
  { "connect-nice", BENCH_KIND_CONNECT, BENCH_IMPL_NICE },
  { "scale-ours", BENCH_KIND_SCALE, BENCH_IMPL_OURS },
  { "scale-nice", BENCH_KIND_SCALE, BENCH_IMPL_NICE },
  { "stream-ours", BENCH_KIND_STREAM, BENCH_IMPL_OURS },
  { "stream-nice", BENCH_KIND_STREAM, BENCH_IMPL_NICE },
  { "stream-scale-ours", BENCH_KIND_STREAM_SCALE, BENCH_IMPL_OURS },
  { "stream-scale-nice", BENCH_KIND_STREAM_SCALE, BENCH_IMPL_NICE },
};

static const BenchIceImpl *const impls[BENCH_N_IMPLS] = {
  [BENCH_IMPL_OURS] = &bench_ice_ours,
  [BENCH_IMPL_NICE] = &bench_ice_nice,
};

/* Row titles. */
static const gchar *const impl_titles[BENCH_N_IMPLS] = {
  [BENCH_IMPL_OURS] = "ours secicesrc/secicesink (one ICE thread)",
  [BENCH_IMPL_NICE] = "libnice nicesrc/nicesink, a NiceAgent and thread "
                      "per side",
};

/* The plugins each implementation's child sees (docs/design/overview.md,
 * "Element names"): ours the test environment (libnice's gst plugin
 * filtered out), the baseline only the system plugin directory. */
static const SecBenchPlugins child_plugins[BENCH_N_IMPLS] = {
  [BENCH_IMPL_OURS] = SEC_BENCH_PLUGINS_TEST,
  [BENCH_IMPL_NICE] = SEC_BENCH_PLUGINS_SYSTEM,
};

/* ---- what the parts share ---- */

void
bench_ice_watch_init (BenchIceWatch *watch)
{
  memset (watch, 0, sizeof (*watch));
  g_mutex_init (&watch->lock);
  g_cond_init (&watch->cond);
}

void
bench_ice_watch_clear (BenchIceWatch *watch)
{
  g_free (watch->error);
  g_mutex_clear (&watch->lock);
  g_cond_clear (&watch->cond);
}

void
bench_ice_watch_side_connected (
    BenchIceWatch *watch, gint64 *side_connected_ns, gint64 now)
{
  g_mutex_lock (&watch->lock);
  if (*side_connected_ns == 0) {
    *side_connected_ns = now;
    watch->sides_connected++;
    g_cond_broadcast (&watch->cond);
  }
  g_mutex_unlock (&watch->lock);
}

void
bench_ice_watch_fail (BenchIceWatch *watch, gchar *message)
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

gboolean
bench_ice_watch_wait (BenchIceWatch *watch, guint sides, gint64 deadline_us)
{
  gboolean ok;

  g_mutex_lock (&watch->lock);
  while (watch->error == NULL && watch->sides_connected < sides) {
    if (!g_cond_wait_until (&watch->cond, &watch->lock, deadline_us))
      break;
  }
  ok = watch->error == NULL && watch->sides_connected >= sides;
  if (watch->error != NULL)
    g_printerr ("ICE failed: %s\n", watch->error);
  else if (!ok)
    g_printerr ("only %u of %u sides connected after %d s\n",
        watch->sides_connected, sides, BENCH_CONNECT_TIMEOUT_S);
  g_mutex_unlock (&watch->lock);
  return ok;
}

GstBusSyncReply
bench_ice_bus_handler (GstBus *bus, GstMessage *message, gpointer watch)
{
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    GError *error = NULL;
    gchar *debug = NULL;

    gst_message_parse_error (message, &error, &debug);
    bench_ice_watch_fail (watch,
        g_strdup_printf ("error from %s: %s (%s)",
            GST_MESSAGE_SRC_NAME (message), error->message,
            GST_STR_NULL (debug)));
    g_clear_error (&error);
    g_free (debug);
  }
  /* nobody pops the bus; a sync handler that drops a message unrefs it */
  gst_message_unref (message);
  return GST_BUS_DROP;
}

/* ---- the child: one variant ---- */

/* Threads: and VmRSS: (kB) of /proc/self/status. */
gboolean
bench_ice_read_status (guint *threads, guint *rss_kb)
{
  gchar *contents = NULL;
  gchar **lines;
  gboolean have_threads = FALSE, have_rss = FALSE;
  guint i;

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL)) {
    g_printerr ("cannot read /proc/self/status\n");
    return FALSE;
  }
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i]; i++) {
    if (g_str_has_prefix (lines[i], "Threads:")) {
      *threads =
          (guint)g_ascii_strtoull (lines[i] + strlen ("Threads:"), NULL, 10);
      have_threads = TRUE;
    } else if (g_str_has_prefix (lines[i], "VmRSS:")) {
      *rss_kb =
          (guint)g_ascii_strtoull (lines[i] + strlen ("VmRSS:"), NULL, 10);
      have_rss = TRUE;
    }
  }
  g_strfreev (lines);
  g_free (contents);
  if (!have_threads || !have_rss)
    g_printerr ("/proc/self/status has no Threads: or VmRSS: line\n");
  return have_threads && have_rss;
}

/* The names of this process's threads (/proc/self/task/N/comm), to say
 * which ones stayed (g_free). */
static gchar *
thread_names (void)
{
  GString *names = g_string_new (NULL);
  GDir *dir = g_dir_open ("/proc/self/task", 0, NULL);
  const gchar *task;

  while (dir != NULL && (task = g_dir_read_name (dir)) != NULL) {
    gchar *path = g_build_filename ("/proc/self/task", task, "comm", NULL);
    gchar *comm = NULL;

    if (g_file_get_contents (path, &comm, NULL, NULL))
      g_string_append_printf (
          names, "%s%s", names->len ? ", " : "", g_strstrip (comm));
    g_free (comm);
    g_free (path);
  }
  if (dir != NULL)
    g_dir_close (dir);
  return g_string_free (names, FALSE);
}

/* Waits, bounded, until the threads that ended are gone (joined threads
 * are; GStreamer's task pool threads leave GLib's thread pool half a
 * second after their task ends, once it keeps no unused threads) and
 * returns the process's thread count then. */
guint
bench_ice_settle_threads (guint expected)
{
  gint64 end = g_get_monotonic_time () + SETTLE_TIMEOUT_MS * 1000;
  guint threads = 0, rss_kb = 0;

  g_thread_pool_stop_unused_threads ();
  while (bench_ice_read_status (&threads, &rss_kb) && threads > expected
      && g_get_monotonic_time () < end)
    g_usleep (10 * 1000);
  if (threads > expected) {
    gchar *names = thread_names ();

    g_printerr ("%u threads, %u expected, after %d ms: %s\n", threads, expected,
        SETTLE_TIMEOUT_MS, names);
    g_free (names);
  }
  return threads;
}

/* The number of open file descriptors (/proc/self/fd, less the one that
 * reads it). */
static guint
count_fds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint fds = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    fds++;
  g_dir_close (dir);
  return fds > 0 ? fds - 1 : 0;
}

/* Gives freed heap memory back to the system, so that what the pairs
 * allocate next shows in VmRSS instead of reusing pages the warm-up
 * touched. */
static void
trim_heap (void)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

/* Every agent has a socket, every main context and bus a wake-up fd: 100
 * pairs of the baseline need about 1,200, more than the usual soft limit
 * of 1,024. */
void
bench_ice_raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0
      && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
      g_printerr ("could not raise RLIMIT_NOFILE\n");
  }
}

gboolean
bench_ice_connect_pairs (const BenchIceImpl *impl, BenchIceWatch *watch,
    guint first_index, guint n_pairs, BenchIcePair **pairs,
    gboolean (*configure) (BenchIcePair *pair, guint i, gpointer data),
    gpointer data, gdouble *connect_ns)
{
  gint64 start, deadline, last = 0;
  guint i;

  for (i = 0; i < n_pairs; i++) {
    pairs[i] = impl->pair_new (first_index + i, watch);
    if (pairs[i] == NULL
        || (configure != NULL && !configure (pairs[i], i, data)))
      return FALSE;
  }
  start = sec_bench_now_ns ();
  for (i = 0; i < n_pairs; i++) {
    if (!impl->pair_start (pairs[i]))
      return FALSE;
  }
  deadline =
      g_get_monotonic_time () + BENCH_CONNECT_TIMEOUT_S * G_TIME_SPAN_SECOND;
  if (!bench_ice_watch_wait (watch, 2 * n_pairs, deadline))
    return FALSE;
  for (i = 0; i < n_pairs; i++)
    last = MAX (last, impl->pair_connected_ns (pairs[i]));
  *connect_ns = last - start;
  return TRUE;
}

void
bench_ice_free_pairs (
    const BenchIceImpl *impl, BenchIcePair **pairs, guint n_pairs)
{
  guint i;

  for (i = 0; i < n_pairs; i++) {
    if (pairs[i] != NULL)
      impl->pair_free (pairs[i]);
    pairs[i] = NULL;
  }
}

/* A fresh pair per measurement; i == 0 is the warm-up. Prints
 * "result samples=NS,NS,..." and "info TEXT". */
static gboolean
run_connect (const BenchIceImpl *impl, guint count)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gchar *selected = NULL;
  gboolean ok = TRUE;
  guint i;

  for (i = 0; ok && i <= count; i++) {
    BenchIceWatch watch;
    BenchIcePair *pair = NULL;
    gdouble ns = 0;

    bench_ice_watch_init (&watch);
    ok = bench_ice_connect_pairs (impl, &watch, i, 1, &pair, NULL, NULL, &ns);
    if (ok && i > 0)
      g_array_append_val (samples, ns);
    if (ok && selected == NULL)
      selected = impl->pair_describe (pair);
    bench_ice_free_pairs (impl, &pair, 1);
    bench_ice_watch_clear (&watch);
  }

  if (ok) {
    GString *line = g_string_new ("result samples=");

    for (i = 0; i < samples->len; i++)
      g_string_append_printf (
          line, "%s%.0f", i ? "," : "", g_array_index (samples, gdouble, i));
    g_print ("%s\ninfo selected pair %s\n", line->str, selected);
    g_string_free (line, TRUE);
  }
  g_free (selected);
  g_array_unref (samples);
  return ok;
}

/* Prints "result threads-before=T threads=T threads-after=T
 * rss-before-kb=K rss-kb=K fds-before=F fds=F connect-ns=NS". */
static gboolean
run_scale (const BenchIceImpl *impl, guint n_pairs)
{
  BenchIcePair **pairs = g_new0 (BenchIcePair *, n_pairs);
  BenchIcePair *warm_up = NULL;
  BenchIceWatch watch;
  guint threads_start = 0, threads_before = 0, threads = 0;
  guint threads_after = 0, rss_start = 0, rss_before = 0, rss = 0;
  guint fds_before = 0, fds = 0;
  gdouble connect_ns = 0;
  gboolean ok;

  bench_ice_raise_fd_limit ();
  /* GStreamer's task threads end with their task, not 15 s later */
  g_thread_pool_set_max_unused_threads (0);
  ok = bench_ice_read_status (&threads_start, &rss_start);

  /* warm-up: the plugin, libnice, the classes and the first sockets */
  bench_ice_watch_init (&watch);
  ok = ok
      && bench_ice_connect_pairs (
          impl, &watch, 0, 1, &warm_up, NULL, NULL, &connect_ns);
  bench_ice_free_pairs (impl, &warm_up, 1);
  bench_ice_watch_clear (&watch);
  if (!ok)
    goto done;
  bench_ice_settle_threads (threads_start);
  trim_heap ();
  if (!bench_ice_read_status (&threads_before, &rss_before)) {
    ok = FALSE;
    goto done;
  }
  fds_before = count_fds ();

  bench_ice_watch_init (&watch);
  ok = bench_ice_connect_pairs (
           impl, &watch, 1, n_pairs, pairs, NULL, NULL, &connect_ns)
      && bench_ice_read_status (&threads, &rss);
  fds = count_fds ();
  bench_ice_free_pairs (impl, pairs, n_pairs);
  bench_ice_watch_clear (&watch);
  if (!ok)
    goto done;
  threads_after = bench_ice_settle_threads (threads_before);

  g_print ("result threads-before=%u threads=%u threads-after=%u "
           "rss-before-kb=%u rss-kb=%u fds-before=%u fds=%u connect-ns=%.0f\n",
      threads_before, threads, threads_after, rss_before, rss, fds_before, fds,
      connect_ns);

done:
  g_free (pairs);
  return ok;
}

static gint
run_child (const VariantInfo *variant, guint count)
{
  const BenchIceImpl *impl = impls[variant->impl];
  gboolean ok;

  alarm (CHILD_ALARM_S);
  if (!impl->check_factories ())
    return 1;
  switch (variant->kind) {
    case BENCH_KIND_CONNECT:
      ok = run_connect (impl, count);
      break;
    case BENCH_KIND_SCALE:
      ok = run_scale (impl, count);
      break;
    case BENCH_KIND_STREAM:
      ok = bench_stream_run_throughput (impl);
      break;
    case BENCH_KIND_STREAM_SCALE:
      ok = bench_stream_run_scale (impl, count);
      break;
    default:
      g_assert_not_reached ();
  }
  return ok ? 0 : 1;
}

/* ---- the parent: every variant in its own process, then the table ---- */

typedef SecBenchSamples ConnectResult;

/* One scale child's figures. */
typedef struct
{
  gdouble threads;      /* increase with the pairs connected */
  gdouble threads_left; /* increase left after they were freed */
  gdouble rss_kb;       /* increase with the pairs connected */
  gdouble fds;          /* increase with the pairs connected */
  gdouble connect_ns;   /* until every side was connected */
} ScaleSample;

typedef struct
{
  gboolean ran;
  gboolean ok;
  GArray *samples;    /* ScaleSample, one per child */
  ScaleSample median; /* of each figure on its own */
} ScaleResult;

typedef struct
{
  guint connect_rounds;
  guint connects;
} Plan;

static gboolean
parse_scale_output (const gchar *out, gpointer user_data)
{
  ScaleResult *result = user_data;
  gchar **lines = g_strsplit (out, "\n", -1);
  gboolean found = FALSE;
  guint i;

  for (i = 0; lines[i] && !found; i++) {
    gchar **words;
    gdouble before, threads, after, rss_before, rss, fds_before, fds;
    gdouble connect_ns;
    ScaleSample sample;

    if (!g_str_has_prefix (lines[i], "result "))
      continue;
    words = g_strsplit (lines[i], " ", -1);
    before = sec_bench_field (words, "threads-before");
    threads = sec_bench_field (words, "threads");
    after = sec_bench_field (words, "threads-after");
    rss_before = sec_bench_field (words, "rss-before-kb");
    rss = sec_bench_field (words, "rss-kb");
    fds_before = sec_bench_field (words, "fds-before");
    fds = sec_bench_field (words, "fds");
    connect_ns = sec_bench_field (words, "connect-ns");
    g_strfreev (words);
    if (before < 0 || threads < 0 || after < 0 || rss_before < 0 || rss < 0
        || fds_before < 0 || fds < 0 || connect_ns < 0)
      continue;
    sample.threads = threads - before;
    sample.threads_left = after - before;
    sample.rss_kb = rss - rss_before;
    sample.fds = fds - fds_before;
    sample.connect_ns = connect_ns;
    g_array_append_val (result->samples, sample);
    found = TRUE;
  }
  g_strfreev (lines);
  return found;
}

/* The index in variants[] of @kind for @impl. */
static guint
variant_index (BenchKind kind, BenchImpl impl)
{
  guint v;

  for (v = 0; v < G_N_ELEMENTS (variants); v++)
    if (variants[v].kind == kind && variants[v].impl == impl)
      return v;
  g_return_val_if_reached (0);
}

gboolean
bench_ice_run_variant (const gchar *self_exe, const gchar *work_dir,
    const gchar *name, BenchImpl impl, const gchar *option, guint value,
    SecBenchParseFunc parse, gpointer result, const gchar *what)
{
  gchar *value_str = g_strdup_printf ("%u", value);
  const gchar *argv[] = { self_exe, "--variant", name, option, value_str,
    NULL };
  gchar **env =
      sec_bench_child_environ_new (child_plugins[impl], work_dir, "ice-bench");
  gint64 start = sec_bench_now_ns ();
  gchar *out;

  out = sec_bench_run_child (argv, env, what, parse, result);
  if (out != NULL)
    g_printerr (
        "  %-24s process %.2f s\n", what, (sec_bench_now_ns () - start) / 1e9);
  g_free (out);
  g_strfreev (env);
  g_free (value_str);
  return out != NULL;
}

/* The median of the ScaleSample field at @offset over @samples. */
static gdouble
scale_median (GArray *samples, gsize offset)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gdouble median;
  guint i;

  for (i = 0; i < samples->len; i++) {
    gdouble value = G_STRUCT_MEMBER (
        gdouble, &g_array_index (samples, ScaleSample, i), offset);

    g_array_append_val (values, value);
  }
  median = sec_bench_median (values);
  g_array_unref (values);
  return median;
}

static void
scale_result_finish (ScaleResult *r)
{
  r->ok = r->ran && r->ok && r->samples->len > 0;
  if (!r->ok)
    return;
  r->median.threads =
      scale_median (r->samples, G_STRUCT_OFFSET (ScaleSample, threads));
  r->median.threads_left =
      scale_median (r->samples, G_STRUCT_OFFSET (ScaleSample, threads_left));
  r->median.rss_kb =
      scale_median (r->samples, G_STRUCT_OFFSET (ScaleSample, rss_kb));
  r->median.fds = scale_median (r->samples, G_STRUCT_OFFSET (ScaleSample, fds));
  r->median.connect_ns =
      scale_median (r->samples, G_STRUCT_OFFSET (ScaleSample, connect_ns));
}

/* "412 us", "12.34 ms" */
gchar *
bench_ice_format_duration (gdouble ns)
{
  if (ns < 1e6)
    return g_strdup_printf ("%.0f us", ns / 1e3);
  if (ns < 1e9)
    return g_strdup_printf ("%.2f ms", ns / 1e6);
  return g_strdup_printf ("%.2f s", ns / 1e9);
}

static void
print_connect_row (const ConnectResult *r, const gchar *title)
{
  if (r->ok) {
    gchar *median = bench_ice_format_duration (r->median);
    gchar *p90 = bench_ice_format_duration (r->p90);
    gchar *min = bench_ice_format_duration (r->min);

    g_print ("| %s | %s | %s | %s | %u |\n", title, median, p90, min,
        r->samples->len);
    g_free (median);
    g_free (p90);
    g_free (min);
  } else {
    const gchar *what = r->ran ? "FAILED" : "n/a";

    g_print ("| %s | %s | %s | %s | 0 |\n", title, what, what, what);
  }
}

const gchar *
bench_ice_verdict (gboolean pass)
{
  return pass ? "PASS" : "MISS";
}

static void
print_tables (ConnectResult *connect, ScaleResult scale[][N_SCALES],
    BenchStreamResults *stream, const Plan *plan, const gchar *load_before,
    gdouble wall_s)
{
  const ConnectResult *ours = &connect[BENCH_IMPL_OURS];
  const ConnectResult *theirs = &connect[BENCH_IMPL_NICE];
  gchar *cpu = sec_bench_cpu_model ();
  gchar *load_after = sec_bench_load_average ();
  gboolean threads_known = TRUE, threads_constant = TRUE;
  guint s, impl;

  g_print ("\nmachine: %s, %u CPUs; %s, libnice %s\n", cpu,
      g_get_num_processors (), gst_version_string (), BENCH_NICE_VERSION);
  g_print ("load average (1, 5, 15 min) before: %s, after: %s; whole run "
           "%.1f s\n",
      load_before, load_after, wall_s);

  g_print ("\n1. Time to ICE connected on loopback (127.0.0.1 only, UDP host "
           "candidates, no UPnP): two transports in one process, each side a "
           "pipeline of its own, credentials exchanged before the start, "
           "candidates trickled from the local-candidate callback; from the "
           "first side starting until both report connected or completed. %u "
           "rounds of %u, each in a process of its own\n\n",
      plan->connect_rounds, plan->connects);
  g_print ("| elements | median | p90 | min | n |\n");
  g_print ("|---|---:|---:|---:|---:|\n");
  for (impl = 0; impl < BENCH_N_IMPLS; impl++)
    print_connect_row (&connect[impl], impl_titles[impl]);
  g_print ("\nselected:\n");
  for (impl = 0; impl < BENCH_N_IMPLS; impl++)
    g_print ("  %-8s %s\n", impls[impl]->name,
        connect[impl].info ? connect[impl].info : "-");

  g_print ("\n| ours / libnice | ratio | target |\n|---|---|---|\n");
  if (ours->ok && theirs->ok) {
    gchar *median = sec_bench_format_ratio (
        ours->median, theirs->median, "faster", "slower");
    gchar *min =
        sec_bench_format_ratio (ours->min, theirs->min, "faster", "slower");

    g_print ("| connect time, medians | %s | ours median < 15 ms: %s |\n",
        median, bench_ice_verdict (ours->median < TARGET_CONNECT_NS));
    g_print ("| connect time, minima | %s | (for reference) |\n", min);
    g_free (median);
    g_free (min);
  } else {
    g_print ("| connect time | n/a | n/a |\n");
  }

  g_print ("\n2. Threads and memory with N pairs connected at once in one "
           "process (2N transports, each side a pipeline with its source and "
           "sink): increase of Threads: and VmRSS (/proc/self/status) and of "
           "open file descriptors over the process before the first pair, "
           "after a warm-up pair; median of the "
           "processes measured (n)\n\n");
  g_print ("| pairs | elements | threads | threads left after teardown | "
           "RSS | RSS per pair | fds | all connected after | n |\n");
  g_print ("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
  for (s = 0; s < N_SCALES; s++) {
    for (impl = 0; impl < BENCH_N_IMPLS; impl++) {
      const ScaleResult *r = &scale[impl][s];

      if (r->ok) {
        gchar *connect_time = bench_ice_format_duration (r->median.connect_ns);

        g_print ("| %u | %s | %+.0f | %+.0f | %.0f kB | %.1f kB | %+.0f | %s "
                 "| %u |\n",
            scale_pairs[s], impls[impl]->name, r->median.threads,
            r->median.threads_left, r->median.rss_kb,
            r->median.rss_kb / scale_pairs[s], r->median.fds, connect_time,
            r->samples->len);
        g_free (connect_time);
      } else {
        g_print ("| %u | %s | %s | | | | | | 0 |\n", scale_pairs[s],
            impls[impl]->name, r->ran ? "FAILED" : "n/a");
      }
    }
  }

  g_print ("\n| ours / libnice | ratio | target |\n|---|---|---|\n");
  for (s = 0; s < N_SCALES; s++) {
    const ScaleResult *o = &scale[BENCH_IMPL_OURS][s];
    const ScaleResult *t = &scale[BENCH_IMPL_NICE][s];

    if (o->ok && t->ok) {
      gchar *rss = sec_bench_format_ratio (
          o->median.rss_kb, t->median.rss_kb, "less", "more");
      gchar *threads = sec_bench_format_ratio (
          o->median.threads, t->median.threads, "fewer", "more");
      /* one pair's few pages are within the noise of the allocator: the
       * target is judged on the most pairs */
      gchar *target = s == N_SCALES - 1
          ? g_strdup_printf ("<= %.2f: %s", TARGET_RSS_RATIO,
              bench_ice_verdict (
                  o->median.rss_kb <= TARGET_RSS_RATIO * t->median.rss_kb))
          : g_strdup ("(for reference)");

      g_print ("| RSS per pair, %u pairs | %s | %s |\n", scale_pairs[s], rss,
          target);
      g_print ("| threads, %u pairs | %s | (for reference) |\n", scale_pairs[s],
          threads);
      g_free (target);
      g_free (rss);
      g_free (threads);
    } else {
      g_print ("| %u pairs | n/a | n/a |\n", scale_pairs[s]);
    }
  }

  /* ours: the same number of threads added, one, whatever the pairs */
  g_print ("| ours: threads added for");
  for (s = 0; s < N_SCALES; s++)
    g_print ("%s %u", s ? "," : "", scale_pairs[s]);
  g_print (" pairs |");
  for (s = 0; s < N_SCALES; s++) {
    const ScaleResult *o = &scale[BENCH_IMPL_OURS][s];

    if (o->ok) {
      g_print ("%s %+.0f", s ? "," : "", o->median.threads);
      threads_constant &= o->median.threads == TARGET_OURS_THREADS;
    } else {
      g_print ("%s n/a", s ? "," : "");
      threads_known = FALSE;
    }
  }
  g_print (" | constant, one ICE thread: %s |\n",
      threads_known ? bench_ice_verdict (threads_constant) : "n/a");

  bench_stream_print (stream, 3);

  g_print ("\nTargets (from the issues): connected in under 15 ms on "
           "loopback; threads constant as pairs grow (one ICE thread for ours) "
           "while connected, and well below one per pair while streaming; "
           "memory per pair at most half of the baseline's; nothing dropped by "
           "ours at 50 datagrams/s per pair. PASS/MISS is informational; the "
           "exit code only says whether every pair connected in the right "
           "environment and every datagram that arrived was intact.\n");
  g_print ("The baseline per side: a GMainContext, a thread running a main "
           "loop on it and a NiceAgent made with nice_agent_new () on it (RFC "
           "5245, UPnP and ICE-TCP off, 127.0.0.1 only), nicesrc ! fakesink "
           "and nicesink on that agent (nicesrc's streaming thread runs a main "
           "loop of its own for the component's sockets), gather with "
           "nice_agent_gather_candidates (), candidates as SDP text to the "
           "peer's nice_agent_set_remote_candidates (). Ours per side: "
           "secicesrc ! fakesink and secicesink sharing one transport; all "
           "agents on the transport code's one thread.\n");
  g_free (load_after);
  g_free (cpu);
}

static gint
run_parent (const gchar *work_dir, const Plan *plan)
{
  ConnectResult connect[BENCH_N_IMPLS];
  ScaleResult scale[BENCH_N_IMPLS][N_SCALES];
  BenchStreamResults *stream = bench_stream_results_new ();
  gint64 start = sec_bench_now_ns ();
  guint max_rounds = MAX (plan->connect_rounds, bench_stream_rounds ());
  gchar *load_before;
  gchar *self_exe;
  gboolean all_ok = TRUE;
  guint impl, s, round;

  self_exe = sec_bench_parent_prepare (work_dir);
  if (self_exe == NULL) {
    bench_stream_results_free (stream);
    return 1;
  }

  load_before = sec_bench_load_average ();
  memset (connect, 0, sizeof (connect));
  memset (scale, 0, sizeof (scale));
  for (impl = 0; impl < BENCH_N_IMPLS; impl++) {
    connect[impl].ok = TRUE;
    connect[impl].samples = g_array_new (FALSE, FALSE, sizeof (gdouble));
    for (s = 0; s < N_SCALES; s++) {
      scale[impl][s].ok = TRUE;
      scale[impl][s].samples = g_array_new (FALSE, FALSE, sizeof (ScaleSample));
      max_rounds = MAX (max_rounds, scale_repeats[s]);
    }
  }

  /* every variant once per round, so a burst of load from elsewhere
   * spreads over all of them instead of landing on one */
  for (round = 0; round < max_rounds; round++) {
    g_printerr ("round %u of %u\n", round + 1, max_rounds);
    for (impl = 0; impl < BENCH_N_IMPLS; impl++) {
      ConnectResult *r = &connect[impl];
      gchar *what = g_strdup_printf ("connect-%s", impls[impl]->name);

      if (round < plan->connect_rounds && r->ok) {
        r->ran = TRUE;
        r->ok = bench_ice_run_variant (self_exe, work_dir,
            variants[variant_index (BENCH_KIND_CONNECT, impl)].name, impl,
            "--count", plan->connects, sec_bench_parse_samples, r, what);
        all_ok &= r->ok;
      }
      g_free (what);
    }
    for (s = 0; s < N_SCALES; s++) {
      for (impl = 0; impl < BENCH_N_IMPLS; impl++) {
        ScaleResult *r = &scale[impl][s];
        gchar *what = g_strdup_printf (
            "scale-%s, %u pairs", impls[impl]->name, scale_pairs[s]);

        if (round < scale_repeats[s] && r->ok) {
          r->ran = TRUE;
          r->ok = bench_ice_run_variant (self_exe, work_dir,
              variants[variant_index (BENCH_KIND_SCALE, impl)].name, impl,
              "--pairs", scale_pairs[s], parse_scale_output, r, what);
          all_ok &= r->ok;
        }
        g_free (what);
      }
    }
    all_ok &= bench_stream_run_round (stream, self_exe, work_dir, round);
  }
  for (impl = 0; impl < BENCH_N_IMPLS; impl++) {
    sec_bench_samples_finish (&connect[impl]);
    for (s = 0; s < N_SCALES; s++)
      scale_result_finish (&scale[impl][s]);
  }

  print_tables (connect, scale, stream, plan, load_before,
      (sec_bench_now_ns () - start) / 1e9);
  g_free (load_before);
  bench_stream_results_free (stream);
  for (impl = 0; impl < BENCH_N_IMPLS; impl++) {
    g_array_unref (connect[impl].samples);
    g_free (connect[impl].info);
    for (s = 0; s < N_SCALES; s++)
      g_array_unref (scale[impl][s].samples);
  }
  g_free (self_exe);
  if (!all_ok)
    g_print ("\nFAILED: at least one variant did not run, did not connect "
             "or ran in the wrong environment (see above)\n");
  return all_ok ? 0 : 1;
}

int
main (int argc, char **argv)
{
  gchar *variant_arg = NULL;
  gchar *work_dir = NULL;
  gint count = 0, pairs = 0;
  gint connect_rounds = DEFAULT_CONNECT_ROUNDS, connects = DEFAULT_CONNECTS;
  GOptionEntry entries[] = {
    { "variant", 0, 0, G_OPTION_ARG_STRING, &variant_arg,
        "Run one variant in this process (connect-ours, connect-nice, "
        "scale-ours, scale-nice, stream-ours, stream-nice, "
        "stream-scale-ours, stream-scale-nice)",
        "V" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count,
        "With a connect variant: timed connections after the warm-up", "N" },
    { "pairs", 0, 0, G_OPTION_ARG_INT, &pairs,
        "With a scale or stream-scale variant: pairs connected at once", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &connect_rounds,
        "Processes per connect variant (default 2)", "R" },
    { "connects", 0, 0, G_OPTION_ARG_INT, &connects,
        "Timed connections per connect process (default 10)", "N" },
    { "work-dir", 0, 0, G_OPTION_ARG_FILENAME, &work_dir,
        "Where the child registries go (default: the temporary directory)",
        "DIR" },
    { NULL }
  };
  gint ret;

  if (!sec_bench_parse_options ("- ICE benchmark: ours against libnice's "
                                "nicesrc/nicesink",
          entries, &argc, &argv))
    return 2;

  if (variant_arg != NULL) {
    guint v;

    for (v = 0; v < G_N_ELEMENTS (variants); v++)
      if (g_str_equal (variant_arg, variants[v].name))
        break;
    if (v == G_N_ELEMENTS (variants)
        || (variants[v].kind == BENCH_KIND_CONNECT && count < 1)
        || ((variants[v].kind == BENCH_KIND_SCALE
                || variants[v].kind == BENCH_KIND_STREAM_SCALE)
            && pairs < 1)) {
      g_printerr ("--variant needs one of the names --help lists, and "
                  "--count >= 1 (connect) or --pairs >= 1 (scale, "
                  "stream-scale)\n");
      ret = 2;
    } else {
      gst_init (NULL, NULL);
      ret = run_child (&variants[v],
          (guint)(variants[v].kind == BENCH_KIND_CONNECT ? count : pairs));
    }
  } else if (connect_rounds < 1 || connects < 1) {
    g_printerr ("--rounds and --connects must be >= 1\n");
    ret = 2;
  } else {
    Plan plan;

    plan.connect_rounds = (guint)connect_rounds;
    plan.connects = (guint)connects;
    if (work_dir == NULL)
      work_dir = g_build_filename (g_get_tmp_dir (), "ice-bench", NULL);
    ret = run_parent (work_dir, &plan);
  }
  g_free (variant_arg);
  g_free (work_dir);
  return ret;
}
