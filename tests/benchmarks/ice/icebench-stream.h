/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ICE benchmark's streaming part: what its child (icebench-stream.c)
 * and its report (icebench-streamreport.c) share.
 */
#ifndef ICE_BENCH_STREAM_H
#define ICE_BENCH_STREAM_H

#include "icebench.h"

G_BEGIN_DECLS

/* Throughput: 20,000 datagrams/s of 1200 bytes is 192 Mbit/s, far above
 * one call's media (a 1080p video call sends a few Mbit/s), yet a rate
 * both implementations take on a 2-core machine, so the two are
 * compared doing the same work: the CPU each spends per datagram, and
 * whether it keeps up. Sending as fast as the main thread can would
 * measure mostly which thread the scheduler runs: on 2 cores the sender
 * and the receiving threads take turns, and the kernel drops what
 * overflows the socket's buffer meanwhile. One millisecond's worth
 * leaves at once, as a video frame's packets do. */
#define THROUGHPUT_DATAGRAMS 10000
#define THROUGHPUT_RATE 20000
#define THROUGHPUT_SIZE 1200
#define THROUGHPUT_BURST (THROUGHPUT_RATE / 1000)

/* Latency: an audio-like stream, one datagram at a time. */
#define LATENCY_DATAGRAMS 1700
#define LATENCY_RATE 1000
#define LATENCY_SIZE 200

/* Processes per stream variant: latency samples pooled, the rest the
 * median of the processes. */
#define STREAM_ROUNDS 3

/* Threads while streaming (the numbers of pairs: icebench-streamreport.c) */
#define STREAM_SCALE_RATE 50 /* per side, so 100 per pair */
#define STREAM_SCALE_SIZE 200
#define STREAM_SCALE_MS 700
#define SAMPLE_INTERVAL_MS 10

/* Our threads while streaming, at the most pairs: "well below one per
 * pair". */
#define TARGET_STREAM_THREADS_PER_PAIR 0.1

/* The child of a stream variant: one pair, throughput then latency.
 * Prints "result throughput sent=N received=N reordered=N dropped=N
 * rcvbuf-errors=N duration-ns=NS cpu-ns=NS send-cpu-ns=NS
 * latency-median-ns=NS latency-p99-ns=NS", "result latency sent=N
 * received=N dropped=N" and the latencies as "result samples=NS,...";
 * dropped and rcvbuf-errors are -1 when not known. */
gboolean bench_stream_run_throughput (const BenchIceImpl *impl);

/* The child of a stream-scale variant: @n_pairs pairs streaming both
 * ways at once, the process's threads sampled meanwhile. Prints "result
 * threads-before=T threads-connected=T threads-peak=T threads-median=T
 * threads-started=T cpu-ns=NS sent=N received=N dropped=N" (started: the
 * threads seen in a sample that were not there before, a lower bound;
 * cpu-ns: the process's while streaming) and "info" with the threads at
 * the peak by name. */
gboolean bench_stream_run_scale (const BenchIceImpl *impl, guint n_pairs);

typedef struct _BenchStreamResults BenchStreamResults;

BenchStreamResults *bench_stream_results_new (void);
void bench_stream_results_free (BenchStreamResults *results);

/* The streaming part's children of round @round (0-based) of
 * bench_stream_rounds (); FALSE if one failed (the others still run). */
gboolean bench_stream_run_round (BenchStreamResults *results,
    const gchar *self_exe, const gchar *work_dir, guint round);
guint bench_stream_rounds (void);

/* Prints the streaming part's tables, numbered from @section. */
void bench_stream_print (BenchStreamResults *results, guint section);

G_END_DECLS

#endif /* ICE_BENCH_STREAM_H */
