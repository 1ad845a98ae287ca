/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the parts of the data channel benchmark share (dcbench.c says
 * what is measured and how): the two peer-connection bins behind one
 * small interface (dcbench-impl.c), a data-only call between two peers
 * of this process with one channel open (dcbench-call.c), and the two
 * measurements on it (dcbench-measure.c).
 */
#ifndef DC_BENCH_H
#define DC_BENCH_H

#include "benchcommon.h"

G_BEGIN_DECLS

typedef enum
{
  DC_BENCH_IMPL_OURS, /* secwebrtcbin, GstSecWebRTCDataChannel */
  DC_BENCH_IMPL_BAD,  /* gst-plugins-bad's webrtcbin, GstWebRTCDataChannel */
  DC_BENCH_N_IMPLS
} DcBenchImpl;

/* How long the call may take to open its channel, one promise to be
 * replied to, and the transfer to make no progress at all, before the
 * benchmark calls it failed. */
#define DC_BENCH_OPEN_TIMEOUT_S 30
#define DC_BENCH_PROMISE_TIMEOUT_S 10
#define DC_BENCH_STALL_TIMEOUT_S 30

/* What differs between the two bins. Descriptions are opaque: SDP text
 * for ours, a GstWebRTCSessionDescription for webrtcbin (this program
 * does not link libgstwebrtc: the boxed value is passed on as it came).
 * Their data channels are used by signal and property names alone, which
 * the two share (send-data, on-message-data, on-open, on-error,
 * on-buffered-amount-low, buffered-amount, buffered-amount-low-threshold,
 * ready-state). */
typedef struct
{
  const gchar *name; /* "ours", "webrtcbin" */
  const gchar *factory;
  /* The environment check of docs/design/overview.md: the bin and the
   * parts a data channel goes through come from the plugin files they
   * must come from, the other implementation's are not in this
   * process's registry. */
  gboolean (*check_factories) (void);
  /* 127.0.0.1 only (UDP host candidates), max-bundle; FALSE, said on
   * stderr, if it cannot. */
  gboolean (*configure) (GstElement *webrtc);
  /* create-offer (@offer) or create-answer: the description, or NULL
   * with the reason in @error (g_free). */
  gpointer (*create) (GstElement *webrtc, gboolean offer, gchar **error);
  /* set-local-description (@local) or set-remote-description of @desc,
   * an offer (@offer) or an answer. */
  gboolean (*set) (GstElement *webrtc, gboolean local, gboolean offer,
      gpointer desc, gchar **error);
  void (*free_description) (gpointer desc);
} DcBenchWebrtcImpl;

extern const DcBenchWebrtcImpl dc_bench_ours;
extern const DcBenchWebrtcImpl dc_bench_bad;

/* ---- the call (dcbench-call.c) ---- */

/* What the channels' messages are for: the measurement under way
 * decides what the peers do with what arrives. */
typedef enum
{
  DC_BENCH_PHASE_IDLE,  /* a message is an error */
  DC_BENCH_PHASE_RTT,   /* peer 1 sends each message back; peer 0 times it */
  DC_BENCH_PHASE_BULK,  /* peer 1 checks and counts each message */
} DcBenchPhase;

/* Fletcher-style sum over the stream's little-endian 32-bit words, each
 * message's last few bytes padded with zeros: position-sensitive (a
 * reordered or changed word changes b), cheap enough to run on every
 * byte at several GB/s. */
typedef struct
{
  guint64 a, b;
} DcBenchChecksum;

void dc_bench_checksum_update (
    DcBenchChecksum *sum, const guint8 *data, gsize len);

/* The bulk transfer's messages: @index's bytes are a 4-byte big-endian
 * index, a 4-byte big-endian length, then a slice of a fixed
 * pseudo-random block that starts where the index says. */
typedef struct
{
  guint64 total;   /* bytes in all */
  guint msg_size;  /* every message but the last */
  guint n_msgs;
  guint8 *pattern; /* msg_size + DC_BENCH_PATTERN_SPREAD bytes */
} DcBenchStream;

#define DC_BENCH_PATTERN_SPREAD 4096

void dc_bench_stream_init (DcBenchStream *stream, guint64 total, guint msg_size);
void dc_bench_stream_clear (DcBenchStream *stream);
guint dc_bench_stream_msg_len (const DcBenchStream *stream, guint index);
/* Message @index, made as an application makes one: a fresh block. */
GBytes *dc_bench_stream_msg (const DcBenchStream *stream, guint index);

/* What peer 1 has received of the bulk transfer, and peer 0 of the
 * round trips; written by the thread the bin emits on-message-data on,
 * read under the call's lock. */
typedef struct
{
  guint64 bytes;
  guint msgs;
  DcBenchChecksum sum;
  gint64 last_ns; /* when the last message of the stream arrived */
  gint64 progress_us; /* g_get_monotonic_time () of the latest message */
} DcBenchReceived;

typedef struct _DcBenchCall DcBenchCall;

/* Two peers, each a pipeline of its own holding one bin, playing; peer 0
 * has created the channel "bench" (reliable, ordered). NULL, said on
 * stderr, if it could not be built. */
DcBenchCall *dc_bench_call_new (const DcBenchWebrtcImpl *impl);
void dc_bench_call_free (DcBenchCall *call);

/* The offer/answer exchange (peer 0 offers), candidates trickling as
 * the bins give them, until the channel is open on both peers: TRUE,
 * and the time from creating the offer to that in *@open_ns; FALSE, said
 * on stderr, otherwise. */
gboolean dc_bench_call_open (DcBenchCall *call, gint64 *open_ns);

/* The channel on peer @index (0 made it, 1 was told of it), not a
 * reference. */
GObject *dc_bench_call_channel (DcBenchCall *call, guint index);

/* The first failure (a bus error, on-error, on-close, a message that
 * arrived wrong), or NULL (g_free). */
gchar *dc_bench_call_error (DcBenchCall *call);

/* Switches what the peers do with messages; the bulk phase checks
 * against @stream (it must live until the phase changes). Resets what
 * was received and the count of on-buffered-amount-low. */
void dc_bench_call_set_phase (
    DcBenchCall *call, DcBenchPhase phase, const DcBenchStream *stream);

/* Waits until peer 0 has received @msgs echoes in all (RTT phase), at
 * most until @deadline_us: TRUE with the arrival time of the last one in
 * *@arrived_ns. */
gboolean dc_bench_call_wait_echo (
    DcBenchCall *call, guint msgs, gint64 deadline_us, gint64 *arrived_ns);

/* A copy of what peer 1 received so far (bulk phase). */
void dc_bench_call_received (DcBenchCall *call, DcBenchReceived *received);

/* Waits at most @timeout_us for peer 1 to have received the whole
 * stream (bulk phase) or a failure; a copy of what it received in
 * *@received. */
void dc_bench_call_wait_bulk (
    DcBenchCall *call, gint64 timeout_us, DcBenchReceived *received);

/* Waits at most @timeout_us for on-buffered-amount-low on peer 0's
 * channel to have been emitted more than @seen times in all, or a
 * failure; returns how often it was. */
guint dc_bench_call_wait_low (DcBenchCall *call, guint seen, gint64 timeout_us);

/* on-buffered-amount-low emissions on peer 0's channel in this phase. */
guint dc_bench_call_low_events (DcBenchCall *call);

/* ---- the measurements (dcbench-measure.c) ---- */

typedef struct
{
  guint64 size;          /* bytes to send */
  guint msg_size;        /* bytes per message */
  guint rtt_count;       /* timed round trips */
  guint64 low_threshold; /* buffered-amount-low-threshold */
  guint64 high_water;    /* send while buffered-amount stays under it */
} DcBenchPlan;

/* One process: the call, then the round trips, then the bulk transfer;
 * prints "result ..." (dcbench.c reads it). FALSE if the call failed,
 * a message arrived wrong or the environment was wrong. */
gboolean dc_bench_run (const DcBenchWebrtcImpl *impl, const DcBenchPlan *plan);

G_END_DECLS

#endif /* DC_BENCH_H */
