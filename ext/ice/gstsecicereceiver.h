/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecIceReceiver: hands the datagrams the ICE thread receives to a
 * secicesrc's pad without the ICE thread ever waiting on downstream.
 *
 * The ICE thread only queues (at most max-pending datagrams; more are
 * refused, and the caller counts them as dropped). A worker from one
 * process-wide pool of threads pushes them on the pad, one at a time per
 * receiver and in order of arrival, holding the pad's stream lock as a
 * pad task would; the worker returns to the pool as soon as the queue is
 * empty or the receiver is paused. So a downstream that blocks (a paused
 * sink, a full queue) holds one worker and costs only this receiver's
 * datagrams, never another transport's, and a state change never waits
 * for the ICE thread.
 *
 * Refcounted: the ICE transport holds a reference while the receiver is
 * attached, each scheduled worker holds one, and secicesrc owns one.
 */
#ifndef GST_SEC_ICE_RECEIVER_H
#define GST_SEC_ICE_RECEIVER_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_SEC_ICE_RECEIVER_DEFAULT_MAX_PENDING 1024

typedef struct _GstSecIceReceiver GstSecIceReceiver;

/* A paused receiver pushing on @pad (a reference is taken). */
G_GNUC_INTERNAL GstSecIceReceiver *gst_sec_ice_receiver_new (GstPad * pad);
G_GNUC_INTERNAL GstSecIceReceiver *gst_sec_ice_receiver_ref
    (GstSecIceReceiver * receiver);
G_GNUC_INTERNAL void gst_sec_ice_receiver_unref (GstSecIceReceiver * receiver);

G_GNUC_INTERNAL void gst_sec_ice_receiver_set_max_pending
    (GstSecIceReceiver * receiver, guint max_pending);
G_GNUC_INTERNAL guint gst_sec_ice_receiver_get_max_pending
    (GstSecIceReceiver * receiver);

/* Any thread, never blocks: queues @buffer (taken) for pushing. FALSE
 * (@buffer dropped) when max-pending datagrams are already waiting or
 * the receiver is stopped; the caller counts the drop. */
G_GNUC_INTERNAL gboolean gst_sec_ice_receiver_queue
    (GstSecIceReceiver * receiver, GstBuffer * buffer);

/* Pushing resumes (PLAYING) or pauses (PAUSED: datagrams keep queueing
 * up to max-pending, as a socket's buffer fills while udpsrc is paused).
 * Never waits. */
G_GNUC_INTERNAL void gst_sec_ice_receiver_set_playing
    (GstSecIceReceiver * receiver, gboolean playing);

/* Starts (queueing accepted again, a new flow error may be posted) or
 * stops: pending datagrams are discarded and their number returned,
 * later ones refused. Stopping never waits either; a push in progress
 * is waited for by the pad's deactivation (its stream lock). */
G_GNUC_INTERNAL guint gst_sec_ice_receiver_set_started
    (GstSecIceReceiver * receiver, gboolean started);

G_END_DECLS

#endif /* GST_SEC_ICE_RECEIVER_H */
