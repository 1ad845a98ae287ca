/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the parts of the ICE benchmark share: the two implementations of
 * "a pair of ICE transports in this process" behind one small interface,
 * and what every pair of a process reports to; what it shares with the
 * other benchmarks (the clock, child processes, the factory check) is in
 * benchcommon.h. icebench.c runs every variant in a child process of its
 * own and prints the table; icebench-ours.c builds pairs of our
 * secicesrc/secicesink, icebench-nice.c the same with libnice's own
 * nicesrc/nicesink and NiceAgents made by the application.
 */
#ifndef ICE_BENCH_H
#define ICE_BENCH_H

#include "benchcommon.h"

G_BEGIN_DECLS

typedef enum
{
  BENCH_IMPL_OURS, /* secicesrc/secicesink, one ICE thread */
  BENCH_IMPL_NICE, /* nicesrc/nicesink, an agent per side */
  BENCH_N_IMPLS
} BenchImpl;

/* How long the pairs of one measurement may take to connect before the
 * benchmark calls it failed. */
#define BENCH_CONNECT_TIMEOUT_S 30

/* What every pair of one process reports to, from whatever thread its
 * ICE callbacks run on: how many sides are connected, and the first
 * failure. */
typedef struct
{
  GMutex lock;
  GCond cond;
  /* protected by lock */
  guint sides_connected; /* sides that reached connected/completed */
  gchar *error;          /* the first failure, or NULL */
} BenchIceWatch;

void bench_ice_watch_init (BenchIceWatch *watch);
void bench_ice_watch_clear (BenchIceWatch *watch);

/* A side reached connected or completed at @now: the first time, stores
 * @now in @side_connected_ns (protected by the watch's lock) and counts
 * the side. */
void bench_ice_watch_side_connected (
    BenchIceWatch *watch, gint64 *side_connected_ns, gint64 now);

/* A failure (takes @message); only the first is kept. A side that fails
 * after it was connected is a failure too. */
void bench_ice_watch_fail (BenchIceWatch *watch, gchar *message);

/* Waits until @sides sides are connected or something failed, at most
 * until @deadline_us (g_get_monotonic_time ()). FALSE, with the reason
 * on stderr, unless all of them are connected. */
gboolean
bench_ice_watch_wait (BenchIceWatch *watch, guint sides, gint64 deadline_us);

/* Reports element errors from a pipeline's bus to @watch (a bus sync
 * handler; every message is dropped, nobody pops these buses). */
GstBusSyncReply
bench_ice_bus_handler (GstBus *bus, GstMessage *message, gpointer watch);

typedef struct _BenchIcePair BenchIcePair;

/* One implementation: a pair of ICE transports ("sides") in this process
 * that connect to each other on 127.0.0.1, UDP host candidates only, no
 * UPnP, side 0 controlling. Each side is a pipeline of its own with the
 * implementation's source (into a fakesink) and sink. */
typedef struct
{
  const gchar *name;
  /* The environment check of docs/design/overview.md
   * (sec_bench_check_factories ()): the implementation's elements come
   * from the plugin file they must come from, the other's are not in
   * this process's registry. */
  gboolean (*check_factories) (void);
  /* Both sides built, credentials exchanged, nothing gathered yet; NULL
   * with the reason on stderr. Failures later go to @watch. */
  BenchIcePair *(*pair_new) (guint index, BenchIceWatch *watch);
  /* Both sides start, side 0 first: what the application does to get
   * the pair connected (pipelines to PLAYING, and for libnice the
   * application's own gather call). Candidates trickle to the peer from
   * the implementation's local-candidate callback. */
  gboolean (*pair_start) (BenchIcePair *pair);
  /* When the later of the two sides was connected; 0 before. */
  gint64 (*pair_connected_ns) (BenchIcePair *pair);
  /* The selected candidate pair as side 0 sees it (g_free). */
  gchar *(*pair_describe) (BenchIcePair *pair);
  void (*pair_free) (BenchIcePair *pair);
  /* For the streaming part (icebench-stream.c), before pair_start: the
   * implementation's sink element of @side (whose sink pad has no peer)
   * and the fakesink its source pushes into (sync=false), both owned by
   * the side's pipeline. */
  GstElement *(*pair_sink) (BenchIcePair *pair, gint side);
  GstElement *(*pair_fakesink) (BenchIcePair *pair, gint side);
  /* Received datagrams the implementation itself dropped on @side (ours:
   * datagrams-dropped in the transport's stats); FALSE if it counts none
   * (nicesrc queues without bound). */
  gboolean (*pair_dropped) (BenchIcePair *pair, gint side, guint64 *dropped);
} BenchIceImpl;

extern const BenchIceImpl bench_ice_ours;
extern const BenchIceImpl bench_ice_nice;

/* ---- what icebench.c lends the streaming part ---- */

/* Threads: and VmRSS: (kB) of /proc/self/status; FALSE, said on stderr,
 * if it cannot be read. */
gboolean bench_ice_read_status (guint *threads, guint *rss_kb);

/* Waits, bounded, until the process is back to @expected threads and
 * returns its thread count then. */
guint bench_ice_settle_threads (guint expected);

/* Lets one process hold the descriptors of 100 pairs of the baseline. */
void bench_ice_raise_fd_limit (void);

/* Makes @n_pairs pairs (@configure, if not NULL, sees each one before
 * it starts) and connects them at once: TRUE when every side is
 * connected, after @connect_ns from the first start. The pairs stay up;
 * free them with bench_ice_free_pairs () whatever this returns. */
gboolean
bench_ice_connect_pairs (const BenchIceImpl *impl, BenchIceWatch *watch,
    guint first_index, guint n_pairs, BenchIcePair **pairs,
    gboolean (*configure) (BenchIcePair *pair, guint i, gpointer data),
    gpointer data, gdouble *connect_ns);
void bench_ice_free_pairs (
    const BenchIceImpl *impl, BenchIcePair **pairs, guint n_pairs);

/* Runs the variant @name in a child process of its own with the plugins
 * @impl's child sees and "@option @value" (@option NULL: none); @parse
 * reads its output into @result. FALSE, said on stderr, if it failed. */
gboolean bench_ice_run_variant (const gchar *self_exe, const gchar *work_dir,
    const gchar *name, BenchImpl impl, const gchar *option, guint value,
    SecBenchParseFunc parse, gpointer result, const gchar *what);

/* "412 us", "12.34 ms", "1.20 s" (g_free). */
gchar *bench_ice_format_duration (gdouble ns);

const gchar *bench_ice_verdict (gboolean pass);

G_END_DECLS

#endif /* ICE_BENCH_H */
