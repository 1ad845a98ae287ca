/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the parts of the webrtc benchmark share: the two peer-connection
 * bins (our secwebrtcbin, gst-plugins-bad's webrtcbin) behind one small
 * interface, and a "call": two peers in this process, each a pipeline of
 * its own, connected on 127.0.0.1 with the benchmark doing the
 * signaling. webrtcbench.c runs every variant in a child process of its
 * own and prints the tables; webrtcbench-call.c builds calls and their
 * media; webrtcbench-impl.c holds what differs between the two bins;
 * webrtcbench-rate.c steps the packet rate of one call up.
 */
#ifndef WEBRTC_BENCH_H
#define WEBRTC_BENCH_H

#include "benchcommon.h"

G_BEGIN_DECLS

typedef enum
{
  BENCH_IMPL_OURS, /* secwebrtcbin */
  BENCH_IMPL_BAD,  /* gst-plugins-bad's webrtcbin */
  BENCH_N_IMPLS
} BenchImpl;

/* How long one call (or all calls of a scale measurement) may take to
 * connect and decode a frame before the benchmark calls it failed, and
 * how long one promise may take. */
#define BENCH_CONNECT_TIMEOUT_S 30
#define BENCH_PROMISE_TIMEOUT_S 10

/* The video's frames a second (BENCH_MEDIA_VIDEO). */
#define BENCH_FRAME_RATE 30

/* What differs between the two bins. Descriptions are opaque: SDP text
 * for ours, a GstWebRTCSessionDescription for webrtcbin (whose library
 * this program does not link: the boxed value is passed on as it came). */
typedef struct
{
  const gchar *name; /* "ours", "webrtcbin" */
  const gchar *factory;
  /* The environment check of docs/design/overview.md: the bin and its
   * parts come from the plugin files they must come from, the other
   * implementation's are not in this process's registry. */
  gboolean (*check_factories) (void);
  /* 127.0.0.1 only (UDP host candidates), max-bundle, the jitter
   * buffer's latency; FALSE, said on stderr, if it cannot. */
  gboolean (*configure) (GstElement *webrtc, guint latency_ms);
  /* create-offer (@offer) or create-answer: the description, or NULL
   * with the reason in @error (g_free). */
  gpointer (*create) (GstElement *webrtc, gboolean offer, gchar **error);
  /* set-local-description (@local) or set-remote-description of @desc,
   * an offer (@offer) or an answer. */
  gboolean (*set) (GstElement *webrtc, gboolean local, gboolean offer,
      gpointer desc, gchar **error);
  void (*free_description) (gpointer desc);
} BenchWebrtcImpl;

extern const BenchWebrtcImpl bench_webrtc_ours;
extern const BenchWebrtcImpl bench_webrtc_bad;

/* ---- calls ---- */

/* What a call's peers send each other. */
typedef enum
{
  /* VP8 video both ways: 160x120 keyframes made before the clock starts,
   * 30 a second from the feeder thread into an appsrc per peer (live,
   * leaky: a push never waits), rtpvp8pay into the bin; what arrives is
   * depayloaded, decoded (vp8dec, on the bin's streaming thread) and
   * counted */
  BENCH_MEDIA_VIDEO,
  /* the same video, depayloaded and counted but not decoded: for the
   * scale runs, whose memory and threads are to be the bins' (a decoder
   * is the application's, the same whichever bin it is) */
  BENCH_MEDIA_VIDEO_UNDECODED,
  /* RTP packets both bins are given the same caps for (VP8, payload type
   * 96), pushed by the benchmark from a pad of its own once the call is
   * connected (webrtcbin blocks its sink pads until then); what arrives
   * goes to a pad of the benchmark's own that checks every packet */
  BENCH_MEDIA_RTP,
} BenchMedia;

/* What every call of a process reports to, from whatever thread the
 * bins notify on: how many peers reached each milestone, and the first
 * failure. */
typedef struct
{
  GMutex lock;
  GCond cond;
  /* protected by lock */
  guint ice;    /* peers ICE connected (or completed) */
  guint dtls;   /* peers whose connection-state is connected */
  guint frames; /* peers that decoded (received) a frame */
  gchar *error; /* the first failure */
} BenchWatch;

void bench_watch_init (BenchWatch *watch);
void bench_watch_clear (BenchWatch *watch);
/* Takes @message; only the first failure is kept. */
void bench_watch_fail (BenchWatch *watch, gchar *message);

typedef enum
{
  BENCH_MILESTONE_ICE,
  BENCH_MILESTONE_DTLS,
  BENCH_MILESTONE_FRAME,
} BenchMilestone;

/* Waits until @peers peers reached @milestone or something failed, at
 * most until @deadline_us (g_get_monotonic_time ()). FALSE, with the
 * reason on stderr, unless they all did. */
gboolean bench_watch_wait (BenchWatch *watch, BenchMilestone milestone,
    guint peers, gint64 deadline_us);

typedef struct _BenchCall BenchCall;

/* Starts the feeder thread (once per process) and makes the frames it
 * sends; FALSE, said on stderr, if vp8enc cannot make them. */
gboolean bench_media_init (void);
void bench_media_shutdown (void);

/* Two peers, each in a pipeline of its own, playing, with their media
 * sources and sink pads: ready to negotiate. NULL, said on stderr, if it
 * could not be built. */
BenchCall *bench_call_new (const BenchWebrtcImpl *impl, BenchWatch *watch,
    BenchMedia media, guint latency_ms, guint index);
void bench_call_free (BenchCall *call);

/* The offer/answer exchange up to, not including, applying the answer:
 * peer 0 creates and sets its offer, peer 1 sets it and creates its
 * answer. Candidates trickle from on-ice-candidate to add-ice-candidate
 * at once from here on. */
gboolean bench_call_prepare (BenchCall *call);
/* Applies the answer: set-local-description on peer 1, then
 * set-remote-description on peer 0; returns when both replied. */
gboolean bench_call_apply_answer (BenchCall *call);

/* When the later of the two peers reached @milestone; 0 before. */
gint64 bench_call_milestone_ns (BenchCall *call, BenchMilestone milestone);

/* The peers' states, for a failure message (g_free). */
gchar *bench_call_describe (BenchCall *call);

/* BENCH_MEDIA_RTP: the pad peer 0 sends on (active, its caps and
 * segment pushed), and the packets peer 1 received so far (checked:
 * a packet that arrived changed fails the watch). */
GstPad *bench_call_rtp_pad (BenchCall *call);
guint64 bench_call_rtp_received (BenchCall *call);

/* A packet bench_call_rtp_pad () takes: 12-byte header, then
 * @payload_len bytes, the first four the big-endian @index, the rest a
 * pattern derived from it that the receiving side checks. */
GstBuffer *
bench_rtp_packet_new (guint32 index, guint32 timestamp, gsize payload_len);

/* ---- the packet rate (webrtcbench-rate.c) ---- */

/* One call with BENCH_MEDIA_RTP: once connected, peer 0 sends 1200-byte
 * RTP packets to peer 1 at each rate of a rising series for
 * @step_seconds; prints a "step ..." line per rate and "result
 * loss-free=R". FALSE only if the call failed or a packet arrived
 * changed. */
gboolean bench_rate_run (
    const BenchWebrtcImpl *impl, guint latency_ms, gdouble step_seconds);

/* ---- what webrtcbench.c lends the other parts ---- */

/* Threads: and VmRSS: (kB) of /proc/self/status. */
gboolean bench_read_status (guint *threads, guint *rss_kb);

/* "%.2f ms" and the like (g_free). */
gchar *bench_format_duration (gdouble ns);

const gchar *bench_verdict (gboolean pass);

G_END_DECLS

#endif /* WEBRTC_BENCH_H */
