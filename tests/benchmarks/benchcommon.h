/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the benchmarks share (docs/design/overview.md, "Layout"): the
 * parent runs each variant in a child process of its own (the same
 * program again, with --variant) in the environment that variant needs,
 * and prints the figures with the machine and its load; the child checks
 * that its elements come from the plugin file they must come from before
 * it measures anything. Only correctness decides the exit code, never
 * timing.
 */
#ifndef SEC_BENCH_COMMON_H
#define SEC_BENCH_COMMON_H

#include <gst/gst.h>

G_BEGIN_DECLS

/* Which plugins a child process sees (docs/design/overview.md,
 * "Element names"). */
typedef enum
{
  /* the test environment meson gives us: our plugins and the system
   * ones, without gst-plugins-bad's of the same purpose */
  SEC_BENCH_PLUGINS_TEST,
  /* only $SEC_SYSTEM_PLUGIN_DIR, gst-plugins-bad's included */
  SEC_BENCH_PLUGINS_SYSTEM,
  /* no plugin at all */
  SEC_BENCH_PLUGINS_NONE,
} SecBenchPlugins;

/* Reads the child's stdout @out into @result; FALSE if it holds no
 * result. */
typedef gboolean (*SecBenchParseFunc) (const gchar * out, gpointer result);

/* CLOCK_MONOTONIC in nanoseconds (the clock g_get_monotonic_time ()
 * reads, in finer units). */
gint64 sec_bench_now_ns (void);

/* Orders gdoubles, smallest first (qsort (), g_array_sort ()). */
gint sec_bench_compare_double (gconstpointer a, gconstpointer b);

/* The CPU model from /proc/cpuinfo, or "unknown CPU" (g_free). */
gchar *sec_bench_cpu_model (void);

/* "0.12 0.30 0.25" from /proc/loadavg, or "unknown" (g_free). */
gchar *sec_bench_load_average (void);

/* Parses the command line with @entries, @summary as in
 * g_option_context_new (). FALSE, with the reason on stderr, if it is
 * wrong. */
gboolean sec_bench_parse_options (const gchar * summary,
    const GOptionEntry * entries, int *argc, char ***argv);

/* The parent's start: this program's path (g_free), once it knows that
 * SEC_BUILD_ROOT and SEC_SYSTEM_PLUGIN_DIR are set (meson test, meson
 * devenv) and has made @work_dir, where the children's registries go;
 * otherwise NULL with the reason on stderr. */
gchar *sec_bench_parent_prepare (const gchar * work_dir);

/* The environment of a child that sees @plugins (g_strfreev): ours
 * without MALLOC_PERTURB_ (meson test sets it for every test; it makes
 * malloc () and free () fill each block, a cost no real pipeline pays).
 * Unless it is SEC_BENCH_PLUGINS_TEST, the child also gets a registry of
 * its own in @work_dir, "@bench_name-registry-system.bin" or
 * "-empty.bin", so the test environment's registry is never rewritten. */
gchar **sec_bench_child_environ_new (SecBenchPlugins plugins,
    const gchar * work_dir, const gchar * bench_name);

/* Runs @argv (argv[0] this program) in @env and waits for it, its stderr
 * going straight to ours, then hands its stdout to @parse with @result.
 * Returns that stdout (g_free) when the child exited 0 and @parse found
 * a result; otherwise NULL, having said on stderr what went wrong with
 * the variant @what. */
gchar *sec_bench_run_child (const gchar * const *argv, gchar ** env,
    const gchar * what, SecBenchParseFunc parse, gpointer result);

/* The environment check of docs/design/overview.md, in a child: each of the
 * @n_factories factories in @wanted loads from @plugin_file, a path
 * below the directory in the environment variable @root_var (NULL: any
 * plugin file below it), and none in @unwanted is in this process's
 * registry. FALSE, with what is wrong on stderr, otherwise. */
gboolean sec_bench_check_factories (const gchar * root_var,
    const gchar * plugin_file, const gchar * const *wanted,
    const gchar * const *unwanted, guint n_factories);

/* Timing samples gathered from children that print
 * "result samples=<ns>,<ns>,..." and optionally "info <text>". */
typedef struct
{
  gboolean ran;                 /* a child was started */
  gboolean ok;                  /* every child exited 0 with a result */
  GArray *samples;              /* gdouble ns, all rounds */
  gdouble median;
  gdouble p90;
  gdouble min;
  gchar *info;                  /* from the first child */
} SecBenchSamples;

/* A SecBenchParseFunc-style parser for sec_bench_run_child: adds the
 * samples of @out to the SecBenchSamples in @user_data. */
gboolean sec_bench_parse_samples (const gchar * out, gpointer user_data);

/* Sorts @values (gdouble) and returns their median. */
gdouble sec_bench_median (GArray * values);

/* Sets ok, median, p90 (nearest rank) and min. */
void sec_bench_samples_finish (SecBenchSamples * s);

/* A counter of the "Udp:" lines of /proc/net/snmp (OutDatagrams,
 * RcvbufErrors, ...: the whole network namespace), -1 if unknown. */
gint64 sec_bench_udp_counter (const gchar * name);

/* "key=value" of a child's result line split at spaces, or -1. */
gdouble sec_bench_field (gchar ** words, const gchar * key);

/* @ours / @theirs as "0.31 (3.2x @less)", "1.5 (1.50x @more)", "1 (about
 * the same)" or "n/a" (g_free). */
gchar *sec_bench_format_ratio (gdouble ours, gdouble theirs,
    const gchar * less, const gchar * more);

/* A promise sec_bench_promise_wait () can wait for with a bound. */
GstPromise *sec_bench_promise_new (void);

/* Waits for @promise at most @timeout_s: TRUE when it was replied to
 * without "error", its reply (owned by the promise, may be NULL) in
 * @reply; otherwise FALSE with the reason, prefixed with @what, in
 * @error (g_free). */
gboolean sec_bench_promise_wait (GstPromise * promise, const gchar * what,
    guint timeout_s, const GstStructure ** reply, gchar ** error);

/* The nick of the enum property @property of @object ("?" if none). */
const gchar *sec_bench_enum_nick (GObject * object, const gchar * property);

G_END_DECLS

#endif /* SEC_BENCH_COMMON_H */
