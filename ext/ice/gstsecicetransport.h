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

/* The common ICE settings, which secicesrc and secicesink also have as
 * properties of their own and write through to their transport (same
 * names as the transport's properties). */
typedef enum
{
  GST_SEC_ICE_SETTING_STUN_SERVER,
  GST_SEC_ICE_SETTING_TURN_SERVER,
  GST_SEC_ICE_SETTING_POLICY,
  GST_SEC_ICE_SETTING_LOCAL_ADDRESSES,
  GST_SEC_ICE_SETTING_PORT_RANGE,
  GST_SEC_ICE_SETTING_ICE_TCP,
  GST_SEC_ICE_SETTING_TURN_TLS_CA_FILE,
  GST_SEC_ICE_N_SETTINGS,
} GstSecIceSetting;

/* Settings given to an element while it has no transport: written to the
 * transport when it is set. Protected by the element's object lock. */
typedef struct
{
  guint given;                  /* a bit per GstSecIceSetting */
  GValue values[GST_SEC_ICE_N_SETTINGS];
} GstSecIceSettings;

/* Installs the settings on an element class as properties
 * @first_prop_id .. @first_prop_id + GST_SEC_ICE_N_SETTINGS - 1. */
G_GNUC_INTERNAL void gst_sec_ice_settings_install (GObjectClass * klass,
    guint first_prop_id);

/* Wipes @pending (a TURN password included). */
G_GNUC_INTERNAL void gst_sec_ice_settings_clear (GstSecIceSettings * pending);

/* An element's property @setting: written to *@transport (under
 * @element's object lock) if there is one, else kept in @pending. The
 * transport refuses a change once it gathers, with a warning from
 * @element. */
G_GNUC_INTERNAL void gst_sec_ice_settings_set (GstElement * element,
    GstSecIceTransport ** transport, GstSecIceSettings * pending,
    GstSecIceSetting setting, const GValue * value);

/* Reads @setting: the transport's value, else the pending one, else the
 * default. */
G_GNUC_INTERNAL void gst_sec_ice_settings_get (GstElement * element,
    GstSecIceTransport ** transport, GstSecIceSettings * pending,
    GstSecIceSetting setting, GValue * value);

/* The transport named @name (made if absent); a reference. */
G_GNUC_INTERNAL GstSecIceTransport *gst_sec_ice_transport_obtain
    (const gchar * name);

/* For the elements' "transport" property: replaces *@transport (under
 * @element's object lock) by the transport named @name, or NULL, and
 * writes the settings in @pending to it. Refused with a warning while
 * @element runs. @element is attached to the new transport and detached
 * from the old one. */
G_GNUC_INTERNAL void gst_sec_ice_transport_set_by_name
    (GstElement * element, GstSecIceTransport ** transport,
    GstSecIceSettings * pending, const gchar * name);

/* The elements that hold the transport: the last attached of them that
 * still exists posts the transport's warnings on the bus, in every state
 * (weak references). Attaching again makes an element the last. */
G_GNUC_INTERNAL void gst_sec_ice_transport_attach_element
    (GstSecIceTransport * transport, GstElement * element);
/* When @element lets go of the transport (also from its finalize). */
G_GNUC_INTERNAL void gst_sec_ice_transport_detach_element
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
