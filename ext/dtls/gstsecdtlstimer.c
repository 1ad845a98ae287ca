/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The DTLS timer thread: see gstsecdtlstimer.h.
 *
 * A queue of entries ordered by the time they are due, one thread that
 * sleeps until the first is due (g_cond_wait_until on the monotonic
 * clock, the associations' now_us) and runs it with no lock held. The
 * thread is started on first use and stays for the life of the process,
 * like the ICE elements' thread; with nothing queued it sleeps.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecdtlstimer.h"

static GMutex timer_lock;
static GCond timer_cond;        /* the queue's head changed */
static GCond timer_done;        /* a run ended */
/* protected by timer_lock */
static GSequence *timer_queue;  /* GstSecDtlsTimerEntry, by when */
static GThread *timer_thread;

static gint
compare_entries (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const GstSecDtlsTimerEntry *ea = a, *eb = b;

  (void) user_data;
  if (ea->when != eb->when)
    return ea->when < eb->when ? -1 : 1;
  /* the same time: any fixed order */
  return ea < eb ? -1 : (ea > eb ? 1 : 0);
}

/* timer_lock held */
static void
queue_locked (GstSecDtlsTimerEntry * entry, gint64 when)
{
  gboolean first;

  entry->when = when;
  entry->iter = g_sequence_insert_sorted (timer_queue, entry,
      compare_entries, NULL);
  first = g_sequence_iter_is_begin (entry->iter);
  if (first)
    g_cond_signal (&timer_cond);
}

/* timer_lock held */
static void
unqueue_locked (GstSecDtlsTimerEntry * entry)
{
  if (entry->iter == NULL)
    return;
  g_sequence_remove (entry->iter);
  entry->iter = NULL;
  entry->when = -1;
}

static gpointer
timer_run (gpointer data)
{
  (void) data;
  g_mutex_lock (&timer_lock);
  for (;;) {
    GSequenceIter *head = g_sequence_get_begin_iter (timer_queue);
    GstSecDtlsTimerEntry *entry;
    gint64 next;

    if (g_sequence_iter_is_end (head)) {
      g_cond_wait (&timer_cond, &timer_lock);
      continue;
    }
    entry = g_sequence_get (head);
    if (entry->when > g_get_monotonic_time ()) {
      g_cond_wait_until (&timer_cond, &timer_lock, entry->when);
      continue;
    }
    unqueue_locked (entry);
    entry->running = TRUE;
    entry->rerun = -1;
    entry->cancelled = FALSE;
    g_mutex_unlock (&timer_lock);

    next = entry->func (entry->data);

    g_mutex_lock (&timer_lock);
    entry->running = FALSE;
    if (!entry->cancelled) {
      if (entry->rerun >= 0 && (next < 0 || entry->rerun < next))
        next = entry->rerun;
      if (next >= 0)
        queue_locked (entry, next);
    }
    g_cond_broadcast (&timer_done);
  }
  g_mutex_unlock (&timer_lock);
  return NULL;
}

void
gst_sec_dtls_timer_entry_init (GstSecDtlsTimerEntry * entry,
    GstSecDtlsTimerFunc func, gpointer data)
{
  entry->func = func;
  entry->data = data;
  entry->when = -1;
  entry->iter = NULL;
  entry->running = FALSE;
  entry->rerun = -1;
  entry->cancelled = FALSE;
}

void
gst_sec_dtls_timer_schedule (GstSecDtlsTimerEntry * entry, gint64 when_us)
{
  if (when_us < 0)
    return;
  g_mutex_lock (&timer_lock);
  if (timer_thread == NULL) {
    timer_queue = g_sequence_new (NULL);
    timer_thread = g_thread_new ("sec-dtls-timer", timer_run, NULL);
  }
  if (entry->running) {
    /* once more when this run ends (by then at the latest) */
    if (entry->rerun < 0 || when_us < entry->rerun)
      entry->rerun = when_us;
    entry->cancelled = FALSE;
  } else if (entry->iter == NULL) {
    queue_locked (entry, when_us);
  } else if (when_us < entry->when) {
    unqueue_locked (entry);
    queue_locked (entry, when_us);
  }
  g_mutex_unlock (&timer_lock);
}

void
gst_sec_dtls_timer_cancel (GstSecDtlsTimerEntry * entry)
{
  g_mutex_lock (&timer_lock);
  unqueue_locked (entry);
  if (entry->running) {
    entry->cancelled = TRUE;
    entry->rerun = -1;
    /* from the run itself (its function made something cancel it): the
     * run ends when the stack unwinds, and queues nothing */
    while (entry->running && g_thread_self () != timer_thread)
      g_cond_wait (&timer_done, &timer_lock);
  }
  g_mutex_unlock (&timer_lock);
}
