/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecIceReceiver: see gstsecicereceiver.h.
 *
 * One GThreadPool per process, not exclusive and without a thread limit:
 * GLib starts a thread only when every one of the pool's threads is busy
 * and lets idle ones go, so the number of threads follows the number of
 * receivers pushing at the same moment (usually one or two), not the
 * number of transports.
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

static GThreadPool *workers;

static void worker_run (gpointer data, gpointer unused);

static GThreadPool *
get_workers (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once)) {
    GST_DEBUG_CATEGORY_INIT (sec_ice_receiver_debug, "secicereceiver", 0,
        "secicesrc's datagram delivery");
    /* shared, unlimited: cannot fail to be made */
    workers = g_thread_pool_new (worker_run, NULL, -1, FALSE, NULL);
    g_once_init_leave (&once, 1);
  }
  return workers;
}

GstSecIceReceiver *
gst_sec_ice_receiver_new (GstPad * pad)
{
  GstSecIceReceiver *receiver = g_new0 (GstSecIceReceiver, 1);

  get_workers ();
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
  GError *error = NULL;

  if (receiver->scheduled || !receiver->playing
      || g_queue_is_empty (&receiver->pending))
    return;
  receiver->scheduled = TRUE;
  gst_sec_ice_receiver_ref (receiver);
  if (!g_thread_pool_push (workers, receiver, &error)) {
    /* no thread could be made: nothing is pushed until the next datagram
     * or state change tries again */
    GST_WARNING_OBJECT (receiver->pad, "no thread to push datagrams: %s",
        error->message);
    g_error_free (error);
    receiver->scheduled = FALSE;
    g_atomic_int_add (&receiver->refcount, -1);
  }
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

static void
worker_run (gpointer data, gpointer unused)
{
  GstSecIceReceiver *receiver = data;

  (void) unused;
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
  }
  receiver->scheduled = FALSE;
  g_mutex_unlock (&receiver->lock);
  gst_sec_ice_receiver_unref (receiver);
}
