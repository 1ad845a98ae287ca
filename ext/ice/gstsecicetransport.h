/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecIceTransport: one ICE transport (a libnice agent with one stream
 * and one component, RTP and RTCP multiplexed) shared by a secicesrc and
 * a secicesink through its name. Every transport of the process runs on
 * one ICE thread and GMainContext.
 *
 * Applications and the webrtc bin use it through GObject only (properties,
 * signals, action signals), read from an element's "ice-transport"
 * property; this header is for the secice plugin itself.
 */
#ifndef GST_SEC_ICE_TRANSPORT_H
#define GST_SEC_ICE_TRANSPORT_H

#include <gst/gst.h>

#include "gstsecicereceiver.h"

G_BEGIN_DECLS

#define GST_TYPE_SEC_ICE_TRANSPORT (gst_sec_ice_transport_get_type ())
G_DECLARE_FINAL_TYPE (GstSecIceTransport, gst_sec_ice_transport, GST,
    SEC_ICE_TRANSPORT, GstObject)

typedef enum
{
  GST_SEC_ICE_STATE_NEW,
  GST_SEC_ICE_STATE_CHECKING,
  GST_SEC_ICE_STATE_CONNECTED,
  GST_SEC_ICE_STATE_COMPLETED,
  GST_SEC_ICE_STATE_FAILED,
  GST_SEC_ICE_STATE_DISCONNECTED,
  GST_SEC_ICE_STATE_CLOSED,
} GstSecIceState;

#define GST_TYPE_SEC_ICE_STATE (gst_sec_ice_state_get_type ())
G_GNUC_INTERNAL GType gst_sec_ice_state_get_type (void);

typedef enum
{
  GST_SEC_ICE_POLICY_ALL,
  GST_SEC_ICE_POLICY_RELAY,
} GstSecIcePolicy;

#define GST_TYPE_SEC_ICE_POLICY (gst_sec_ice_policy_get_type ())
G_GNUC_INTERNAL GType gst_sec_ice_policy_get_type (void);

/* The transport named @name (made if absent); a reference. */
G_GNUC_INTERNAL GstSecIceTransport *gst_sec_ice_transport_obtain
    (const gchar * name);

/* For the elements' "transport" property: replaces *@transport (under
 * @element's object lock) by the transport named @name, or NULL. */
G_GNUC_INTERNAL void gst_sec_ice_transport_set_by_name
    (GstElement * element, GstSecIceTransport ** transport,
    const gchar * name);

/* The element that reports this transport's errors and warnings on the
 * bus (the last attached wins; weak). */
G_GNUC_INTERNAL void gst_sec_ice_transport_attach_element
    (GstSecIceTransport * transport, GstElement * element);

/* Checks the settings and starts gathering unless already started. Posts
 * an error on @element and returns FALSE for unusable settings. */
G_GNUC_INTERNAL gboolean gst_sec_ice_transport_start
    (GstSecIceTransport * transport, GstElement * element);

/* Datagrams received are queued on @receiver (started, a reference is
 * taken); the receiver it replaces is stopped. Datagrams with no
 * receiver, and those a stopped receiver discarded, are counted as
 * dropped. Neither call waits for the ICE thread. */
G_GNUC_INTERNAL void gst_sec_ice_transport_set_receiver
    (GstSecIceTransport * transport, GstSecIceReceiver * receiver);

/* Stops @receiver and detaches it if it is the transport's. */
G_GNUC_INTERNAL void gst_sec_ice_transport_remove_receiver
    (GstSecIceTransport * transport, GstSecIceReceiver * receiver);

/* Sends one datagram; FALSE (counted) when there is no selected pair. */
G_GNUC_INTERNAL gboolean gst_sec_ice_transport_send
    (GstSecIceTransport * transport, const guint8 * data, gsize len);

G_END_DECLS

#endif
