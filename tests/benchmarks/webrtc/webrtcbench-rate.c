/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The highest packet rate one call carries without loss (webrtcbench.h,
 * bench_rate_run ()).
 *
 * One call, BENCH_MEDIA_RTP: once both peers are connected, the child's
 * main thread pushes 1200-byte RTP packets (12-byte header, 1188 bytes of
 * payload that the receiver checks) into peer 0's sink pad at a rate
 * that rises step by step: a millisecond's worth of packets at once, as
 * a video frame's packets leave a payloader, computed from the time
 * elapsed so the rate holds even when the thread wakes late. Each push
 * runs the sending bin's whole path on that thread (rtpbin, SRTP, the
 * ICE sink's sendto ()). After each step the benchmark waits until
 * every packet arrived at the pad behind peer 1's src pad or nothing
 * more came for 300 ms, and counts: a step is loss-free when every
 * packet sent arrived intact and the sender kept the rate (at least 95 %
 * of it). The series stops after two steps in a row that were not. The
 * kernel's UDP RcvbufErrors (/proc/net/snmp, the whole network
 * namespace) are read around each step: packets a full socket buffer
 * dropped; and the process's CPU time (getrusage) per packet sent: what
 * one packet costs the two bins, sending and receiving.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "webrtcbench.h"

#include <sys/resource.h>

#define PAYLOAD_LEN 1188
#define DRAIN_QUIET_US (300 * 1000)
#define DRAIN_MAX_US (3 * G_USEC_PER_SEC)
#define KEPT_RATE 0.95

static const guint rates[] = { 5000, 10000, 20000, 30000, 40000, 50000, 60000,
  80000, 100000, 120000, 150000 };

/* The process's CPU time, user and system, in ns. */
static gint64
cpu_ns (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;
  return ((gint64)usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000
      + ((gint64)usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000;
}

/* Sends @rate packets a second for @seconds; the packets sent, the time
 * it took in *@elapsed_ns. FALSE if a push failed. */
static gboolean
send_step (GstPad *pad, guint rate, gdouble seconds, guint32 *index,
    guint64 *sent, gint64 *elapsed_ns)
{
  guint64 total = (guint64)(rate * seconds);
  gint64 start = sec_bench_now_ns (), now = start;
  GstFlowReturn ret = GST_FLOW_OK;

  *sent = 0;
  while (*sent < total && ret == GST_FLOW_OK) {
    guint64 due = MIN (total, (guint64)((now - start) / 1e9 * rate) + 1);

    while (*sent < due && ret == GST_FLOW_OK) {
      guint32 timestamp = (guint32)(now / 1000 * 90 / 1000);

      ret = gst_pad_push (
          pad, bench_rtp_packet_new ((*index)++, timestamp, PAYLOAD_LEN));
      (*sent)++;
    }
    /* the next millisecond's packets */
    if (*sent < total) {
      gint64 next = start + (gint64)((gdouble)(*sent) / rate * 1e9);

      now = sec_bench_now_ns ();
      if (next > now)
        g_usleep ((next - now) / 1000);
      now = sec_bench_now_ns ();
    }
  }
  *elapsed_ns = sec_bench_now_ns () - start;
  if (ret != GST_FLOW_OK)
    g_printerr ("pushing into the bin returned %s\n", gst_flow_get_name (ret));
  return ret == GST_FLOW_OK;
}

/* Waits until @expected packets arrived or none came for a while. */
static guint64
drain (BenchCall *call, guint64 expected)
{
  gint64 end = g_get_monotonic_time () + DRAIN_MAX_US;
  gint64 last_change = g_get_monotonic_time ();
  guint64 received = bench_call_rtp_received (call), before = received;

  while (received < expected && g_get_monotonic_time () < end
      && g_get_monotonic_time () - last_change < DRAIN_QUIET_US) {
    g_usleep (10 * 1000);
    received = bench_call_rtp_received (call);
    if (received != before) {
      before = received;
      last_change = g_get_monotonic_time ();
    }
  }
  return received;
}

gboolean
bench_rate_run (
    const BenchWebrtcImpl *impl, guint latency_ms, gdouble step_seconds)
{
  BenchWatch watch;
  BenchCall *call;
  guint64 received_before = 0;
  guint32 index = 0;
  guint loss_free = 0, misses = 0, i;
  gboolean ok;

  bench_watch_init (&watch);
  call = bench_call_new (impl, &watch, BENCH_MEDIA_RTP, latency_ms, 0);
  ok = call != NULL && bench_call_prepare (call)
      && bench_call_apply_answer (call)
      && bench_watch_wait (&watch, BENCH_MILESTONE_DTLS, 2,
          g_get_monotonic_time ()
              + BENCH_CONNECT_TIMEOUT_S * G_TIME_SPAN_SECOND);

  for (i = 0; ok && i < G_N_ELEMENTS (rates) && misses < 2; i++) {
    gint64 errors_before = sec_bench_udp_counter ("RcvbufErrors"), errors_after;
    gint64 cpu_before = cpu_ns ();
    guint64 sent = 0, received;
    gint64 elapsed_ns = 0;
    gdouble kept;

    ok = send_step (bench_call_rtp_pad (call), rates[i], step_seconds, &index,
        &sent, &elapsed_ns);
    received = drain (call, received_before + sent) - received_before;
    received_before += received;
    errors_after = sec_bench_udp_counter ("RcvbufErrors");
    kept = sent / (elapsed_ns / 1e9) / rates[i];
    /* both bins' work for each packet, sending and receiving, plus the
     * draining wait's few wake-ups */
    g_print ("step offered=%u sent=%" G_GUINT64_FORMAT
             " received=%" G_GUINT64_FORMAT
             " seconds=%.3f rcvbuf-errors=%" G_GINT64_FORMAT
             " cpu-us-per-packet=%.1f\n",
        rates[i], sent, received, elapsed_ns / 1e9,
        errors_before >= 0 && errors_after >= 0 ? errors_after - errors_before
                                                : -1,
        sent ? (cpu_ns () - cpu_before) / 1e3 / sent : 0.0);
    if (received == sent && kept >= KEPT_RATE) {
      loss_free = rates[i];
      misses = 0;
    } else {
      misses++;
    }
    g_mutex_lock (&watch.lock);
    if (watch.error) {
      g_printerr ("%s\n", watch.error);
      ok = FALSE;
    }
    g_mutex_unlock (&watch.lock);
  }
  if (ok)
    g_print ("result loss-free=%u\n", loss_free);
  if (call)
    bench_call_free (call);
  bench_watch_clear (&watch);
  return ok;
}
