/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The DTLS timer: one thread per process ("sec-dtls-timer") that runs the
 * timed work of every DTLS association (the ClientHello at the start,
 * retransmissions and the handshake timeout, the silence check, datagrams
 * queued by application threads), so an association costs no thread of
 * its own (issue 10, item 7; docs/design/dtls.md, "Threads and locking").
 *
 * An entry is embedded in its owner and scheduled with the time it must
 * run by at the latest; the thread calls its function, which does what is
 * due and returns when it wants to run next (-1: not until scheduled
 * again). Scheduling is cheap and may come early: the function decides
 * what is due. The owner keeps the entry's data alive from the first
 * schedule until gst_sec_dtls_timer_cancel () returned.
 *
 * The timer's lock is the innermost: schedule may be called with any
 * other lock held; the function runs with no timer lock held.
 */
#ifndef GST_SEC_DTLS_TIMER_H
#define GST_SEC_DTLS_TIMER_H

#include <glib.h>

G_BEGIN_DECLS

/* Does what is due for @data at g_get_monotonic_time (); returns the
 * monotonic time (us) it wants to run again by, or -1. */
typedef gint64 (*GstSecDtlsTimerFunc) (gpointer data);

typedef struct
{
  /* set once (gst_sec_dtls_timer_entry_init) */
  GstSecDtlsTimerFunc func;
  gpointer data;
  /* protected by the timer's lock */
  gint64 when;                  /* queued to run then; -1 not queued */
  GSequenceIter *iter;          /* in the queue while queued */
  gboolean running;             /* func is running on the timer thread */
  gint64 rerun;                 /* while running: run again by then, -1 */
  gboolean cancelled;           /* while running: do not queue it again */
} GstSecDtlsTimerEntry;

G_GNUC_INTERNAL void gst_sec_dtls_timer_entry_init (GstSecDtlsTimerEntry *
    entry, GstSecDtlsTimerFunc func, gpointer data);

/* @entry's function runs by @when_us (monotonic) at the latest: earlier
 * if it was queued earlier, once more after a run in progress. Starts the
 * timer thread the first time. @when_us < 0 does nothing. */
G_GNUC_INTERNAL void gst_sec_dtls_timer_schedule (GstSecDtlsTimerEntry *
    entry, gint64 when_us);

/* @entry is not queued any more and its function does not run when this
 * returns (it waits for a run in progress, except when called from that
 * run itself: then the run's result is dropped). */
G_GNUC_INTERNAL void gst_sec_dtls_timer_cancel (GstSecDtlsTimerEntry *
    entry);

G_END_DECLS

#endif /* GST_SEC_DTLS_TIMER_H */
