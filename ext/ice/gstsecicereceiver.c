/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecIceReceiver: see gstsecicereceiver.h.
 *
 * The workers: one executor per process, with a queue of receivers that
 * have datagrams to push (each at most once). A worker takes the first,
 * pushes up to PUSH_BATCH of its datagrams and puts it back at the end if
 * more wait, so a busy receiver cannot hold a worker from the others.
 * Workers are started as receivers need them up to the number of CPUs
 * (BASE_WORKERS at least) and those stay. Beyond that a thread is started
 * only for a push that blocks: the watchdog thread notices receivers
 * waiting in the queue while every worker is busy and no worker took a
 * receiver for STALL_US, and starts one more worker, which leaves again
 * after IDLE_EXIT_US without work. (GLib's GThreadPool starts a thread
 * whenever no thread is waiting at the moment of a push, which made one
 * thread per receiving transport under load: docs/benchmarks.md.)
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecicereceiver.h"

GST_DEBUG_CATEGORY_STATIC (sec_ice_receiver_debug);
#define GST_CAT_DEFAULT sec_ice_receiver_debug

struct _GstSecIceReceiver
{
  gint refcount;                /* atomic */
  GstPad *pad;                  /* set at construction */

  GMutex lock;
  /* protected by lock */
  GQueue pending;               /* GstBuffer *, oldest first */
  guint max_pending;
  gboolean started;             /* attached to a running transport */
  gboolean playing;             /* a worker may push */
  gboolean scheduled;           /* a worker has this receiver */
  gboolean flow_error_posted;
};

#define BASE_WORKERS 2
#define PUSH_BATCH 32
#define STALL_US (5 * G_TIME_SPAN_MILLISECOND)
#define IDLE_EXIT_US G_TIME_SPAN_SECOND

/* The process's executor; every field protected by lock. */
static struct
{
  GMutex lock;
  GCond work;                   /* a receiver was queued (for workers) */
  GCond watch;                  /* receivers wait and no worker is idle */
  GQueue ready;                 /* GstSecIceReceiver *, a reference each */
  guint base;                   /* workers that stay */
  guint workers;                /* running */
  guint idle;                   /* waiting on work */
  guint64 taken;                /* receivers taken off ready, ever */
  gboolean watchdog;            /* the watchdog thread runs */
} executor;

static gpointer worker_main (gpointer data);
static void run_receiver (GstSecIceReceiver * receiver);

static void
executor_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once)) {
    GST_DEBUG_CATEGORY_INIT (sec_ice_receiver_debug, "secicereceiver", 0,
        "secicesrc's datagram delivery");
    g_mutex_init (&executor.lock);
    g_cond_init (&executor.work);
    g_cond_init (&executor.watch);
    g_queue_init (&executor.ready);
    executor.base = MAX (BASE_WORKERS, g_get_num_processors ());
    g_once_init_leave (&once, 1);
  }
}

/* Called with the executor's lock held. */
static gboolean
start_worker_locked (void)
{
  GError *error = NULL;
  GThread *thread = g_thread_try_new ("sec-ice-push", worker_main, NULL,
      &error);

  if (thread == NULL) {
    GST_WARNING ("no thread to push datagrams: %s", error->message);
    g_error_free (error);
    return FALSE;
  }
  g_thread_unref (thread);
  executor.workers++;
  GST_DEBUG ("%u workers", executor.workers);
  return TRUE;
}

/* A worker that has run out of work waits; one beyond the base leaves
 * after IDLE_EXIT_US. Returns with a receiver taken, or NULL to leave.
 * Called with the lock held. */
static GstSecIceReceiver *
take_receiver_locked (void)
{
  while (g_queue_is_empty (&executor.ready)) {
    gboolean woken = TRUE;

    executor.idle++;
    if (executor.workers > executor.base)
      woken = g_cond_wait_until (&executor.work, &executor.lock,
          g_get_monotonic_time () + IDLE_EXIT_US);
    else
      g_cond_wait (&executor.work, &executor.lock);
    executor.idle--;
    if (!woken && g_queue_is_empty (&executor.ready)
        && executor.workers > executor.base) {
      executor.workers--;
      GST_DEBUG ("a worker leaves, %u left", executor.workers);
      return NULL;
    }
  }
  executor.taken++;
  return g_queue_pop_head (&executor.ready);
}

static gpointer
worker_main (gpointer data)
{
  GstSecIceReceiver *receiver;

  (void) data;
  g_mutex_lock (&executor.lock);
  while ((receiver = take_receiver_locked ())) {
    g_mutex_unlock (&executor.lock);
    run_receiver (receiver);
    g_mutex_lock (&executor.lock);
  }
  g_mutex_unlock (&executor.lock);
  return NULL;
}

/* Starts a worker when receivers have waited STALL_US with every worker
 * busy and none taken: the workers are blocked downstream. */
static gpointer
watchdog_main (gpointer data)
{
  (void) data;
  g_mutex_lock (&executor.lock);
  for (;;) {
    guint64 taken;
    gint64 end;

    while (g_queue_is_empty (&executor.ready) || executor.idle > 0)
      g_cond_wait (&executor.watch, &executor.lock);
    taken = executor.taken;
    end = g_get_monotonic_time () + STALL_US;
    while (g_cond_wait_until (&executor.watch, &executor.lock, end));
    if (!g_queue_is_empty (&executor.ready) && executor.idle == 0
        && executor.taken == taken) {
      GST_DEBUG ("%u receivers waited %" G_GINT64_FORMAT " us with every "
          "worker busy: one more worker", executor.ready.length,
          (gint64) STALL_US);
      start_worker_locked ();
    }
  }
  g_mutex_unlock (&executor.lock);
  return NULL;
}

/* Queues @receiver (a reference is taken) for a worker. */
static gboolean
executor_queue (GstSecIceReceiver * receiver)
{
  gboolean queued = TRUE;

  g_mutex_lock (&executor.lock);
  if (executor.idle == 0 && executor.workers < executor.base)
    queued = start_worker_locked ();
  if (queued || executor.workers > 0) {
    queued = TRUE;
    g_queue_push_tail (&executor.ready, gst_sec_ice_receiver_ref (receiver));
    if (executor.idle > 0) {
      g_cond_signal (&executor.work);
    } else if (!executor.watchdog) {
      GThread *thread = g_thread_try_new ("sec-ice-watch", watchdog_main,
          NULL, NULL);

      if (thread) {
        executor.watchdog = TRUE;
        g_thread_unref (thread);
      }
    } else {
      g_cond_signal (&executor.watch);
    }
  }
  g_mutex_unlock (&executor.lock);
  return queued;
}

GstSecIceReceiver *
gst_sec_ice_receiver_new (GstPad * pad)
{
  GstSecIceReceiver *receiver = g_new0 (GstSecIceReceiver, 1);

  executor_init ();
  receiver->refcount = 1;
  receiver->pad = gst_object_ref (pad);
  receiver->max_pending = GST_SEC_ICE_RECEIVER_DEFAULT_MAX_PENDING;
  g_mutex_init (&receiver->lock);
  g_queue_init (&receiver->pending);
  return receiver;
}

GstSecIceReceiver *
gst_sec_ice_receiver_ref (GstSecIceReceiver * receiver)
{
  g_atomic_int_inc (&receiver->refcount);
  return receiver;
}

void
gst_sec_ice_receiver_unref (GstSecIceReceiver * receiver)
{
  if (!g_atomic_int_dec_and_test (&receiver->refcount))
    return;
  g_queue_clear_full (&receiver->pending, (GDestroyNotify) gst_buffer_unref);
  g_mutex_clear (&receiver->lock);
  gst_object_unref (receiver->pad);
  g_free (receiver);
}

void
gst_sec_ice_receiver_set_max_pending (GstSecIceReceiver * receiver,
    guint max_pending)
{
  g_mutex_lock (&receiver->lock);
  receiver->max_pending = max_pending;
  g_mutex_unlock (&receiver->lock);
}

guint
gst_sec_ice_receiver_get_max_pending (GstSecIceReceiver * receiver)
{
  guint max_pending;

  g_mutex_lock (&receiver->lock);
  max_pending = receiver->max_pending;
  g_mutex_unlock (&receiver->lock);
  return max_pending;
}

/* PTS and DTS: the element's running time now. */
static void
stamp (GstSecIceReceiver * receiver, GstBuffer * buffer)
{
  GstElement *element = gst_pad_get_parent_element (receiver->pad);
  GstClock *clock;

  if (element == NULL)
    return;
  clock = gst_element_get_clock (element);
  if (clock) {
    GstClockTime now = gst_clock_get_time (clock);
    GstClockTime base = gst_element_get_base_time (element);

    if (now >= base)
      GST_BUFFER_PTS (buffer) = GST_BUFFER_DTS (buffer) = now - base;
    gst_object_unref (clock);
  }
  gst_object_unref (element);
}

/* Called with the lock held: hands the receiver to a worker unless one
 * has it already or there is nothing to do. */
static void
schedule_locked (GstSecIceReceiver * receiver)
{
  if (receiver->scheduled || !receiver->playing
      || g_queue_is_empty (&receiver->pending))
    return;
  /* without any thread, nothing is pushed until the next datagram or
   * state change tries again */
  receiver->scheduled = executor_queue (receiver);
}

gboolean
gst_sec_ice_receiver_queue (GstSecIceReceiver * receiver, GstBuffer * buffer)
{
  gboolean playing;

  g_mutex_lock (&receiver->lock);
  if (!receiver->started
      || g_queue_get_length (&receiver->pending) >= receiver->max_pending) {
    g_mutex_unlock (&receiver->lock);
    gst_buffer_unref (buffer);
    return FALSE;
  }
  playing = receiver->playing;
  g_mutex_unlock (&receiver->lock);

  /* arrival time; datagrams that wait out a pause are stamped when they
   * are pushed, so running time never goes backwards across a pause */
  if (playing)
    stamp (receiver, buffer);

  g_mutex_lock (&receiver->lock);
  if (!receiver->started) {
    g_mutex_unlock (&receiver->lock);
    gst_buffer_unref (buffer);
    return FALSE;
  }
  g_queue_push_tail (&receiver->pending, buffer);
  schedule_locked (receiver);
  g_mutex_unlock (&receiver->lock);
  return TRUE;
}

void
gst_sec_ice_receiver_set_playing (GstSecIceReceiver * receiver,
    gboolean playing)
{
  g_mutex_lock (&receiver->lock);
  receiver->playing = playing;
  schedule_locked (receiver);
  g_mutex_unlock (&receiver->lock);
}

guint
gst_sec_ice_receiver_set_started (GstSecIceReceiver * receiver,
    gboolean started)
{
  GQueue discarded = G_QUEUE_INIT;
  guint n;

  g_mutex_lock (&receiver->lock);
  receiver->started = started;
  if (started)
    receiver->flow_error_posted = FALSE;
  else
    discarded = receiver->pending;
  if (!started)
    g_queue_init (&receiver->pending);
  g_mutex_unlock (&receiver->lock);
  n = discarded.length;
  g_queue_clear_full (&discarded, (GDestroyNotify) gst_buffer_unref);
  return n;
}

/* Downstream refused a datagram for good (not linked, an error): posted
 * once per start, as a GstBaseSrc does; datagrams keep being delivered
 * (and refused) until the application stops the element. */
static void
post_flow_error (GstSecIceReceiver * receiver, GstFlowReturn ret)
{
  GstElement *element;
  gboolean post;

  g_mutex_lock (&receiver->lock);
  post = !receiver->flow_error_posted;
  receiver->flow_error_posted = TRUE;
  g_mutex_unlock (&receiver->lock);
  element = gst_pad_get_parent_element (receiver->pad);
  if (post && element)
    GST_ELEMENT_FLOW_ERROR (element, ret);
  if (element)
    gst_object_unref (element);
}

/* A worker's turn with @receiver (the executor's reference, dropped):
 * up to PUSH_BATCH datagrams, then back to the end of the queue if more
 * wait. */
static void
run_receiver (GstSecIceReceiver * receiver)
{
  guint pushed = 0;

  g_mutex_lock (&receiver->lock);
  while (receiver->playing && !g_queue_is_empty (&receiver->pending)) {
    GstBuffer *buffer = g_queue_pop_head (&receiver->pending);
    GstFlowReturn ret;

    g_mutex_unlock (&receiver->lock);
    if (!GST_BUFFER_PTS_IS_VALID (buffer))
      stamp (receiver, buffer);
    /* as a pad task does: deactivating the pad waits for this push */
    GST_PAD_STREAM_LOCK (receiver->pad);
    ret = gst_pad_push (receiver->pad, buffer);
    GST_PAD_STREAM_UNLOCK (receiver->pad);
    if (ret == GST_FLOW_NOT_LINKED || ret < GST_FLOW_EOS)
      post_flow_error (receiver, ret);
    else if (ret != GST_FLOW_OK)
      GST_DEBUG_OBJECT (receiver->pad, "push: %s", gst_flow_get_name (ret));
    g_mutex_lock (&receiver->lock);
    if (++pushed == PUSH_BATCH)
      break;
  }
  receiver->scheduled = FALSE;
  schedule_locked (receiver);
  g_mutex_unlock (&receiver->lock);
  gst_sec_ice_receiver_unref (receiver);
}
