/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The enums of secwebrtcbin's properties, with the W3C names
 * (RTCSignalingState, RTCIceGatheringState, RTCIceConnectionState,
 * RTCPeerConnectionState, RTCBundlePolicy, RTCIceTransportPolicy,
 * RTCDataChannelState) as
 * their nicks.
 */
#ifndef GST_SEC_WEBRTC_ENUMS_H
#define GST_SEC_WEBRTC_ENUMS_H

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  GST_SEC_WEBRTC_SIGNALING_STATE_STABLE,
  GST_SEC_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER,
  GST_SEC_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER,
  GST_SEC_WEBRTC_SIGNALING_STATE_CLOSED,
} GstSecWebRTCSignalingState;

typedef enum
{
  GST_SEC_WEBRTC_ICE_GATHERING_STATE_NEW,
  GST_SEC_WEBRTC_ICE_GATHERING_STATE_GATHERING,
  GST_SEC_WEBRTC_ICE_GATHERING_STATE_COMPLETE,
} GstSecWebRTCIceGatheringState;

typedef enum
{
  GST_SEC_WEBRTC_ICE_CONNECTION_STATE_NEW,
  GST_SEC_WEBRTC_ICE_CONNECTION_STATE_CHECKING,
  GST_SEC_WEBRTC_ICE_CONNECTION_STATE_CONNECTED,
  GST_SEC_WEBRTC_ICE_CONNECTION_STATE_COMPLETED,
  GST_SEC_WEBRTC_ICE_CONNECTION_STATE_FAILED,
  GST_SEC_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED,
  GST_SEC_WEBRTC_ICE_CONNECTION_STATE_CLOSED,
} GstSecWebRTCIceConnectionState;

typedef enum
{
  GST_SEC_WEBRTC_CONNECTION_STATE_NEW,
  GST_SEC_WEBRTC_CONNECTION_STATE_CONNECTING,
  GST_SEC_WEBRTC_CONNECTION_STATE_CONNECTED,
  GST_SEC_WEBRTC_CONNECTION_STATE_DISCONNECTED,
  GST_SEC_WEBRTC_CONNECTION_STATE_FAILED,
  GST_SEC_WEBRTC_CONNECTION_STATE_CLOSED,
} GstSecWebRTCConnectionState;

typedef enum
{
  GST_SEC_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE,
  GST_SEC_WEBRTC_BUNDLE_POLICY_BALANCED,
} GstSecWebRTCBundlePolicy;

typedef enum
{
  GST_SEC_WEBRTC_ICE_TRANSPORT_POLICY_ALL,
  GST_SEC_WEBRTC_ICE_TRANSPORT_POLICY_RELAY,
} GstSecWebRTCIceTransportPolicy;

/* RTCDataChannelState, numbered as webrtcbin's GstWebRTCDataChannelState */
typedef enum
{
  GST_SEC_WEBRTC_DATA_CHANNEL_STATE_CONNECTING = 1,
  GST_SEC_WEBRTC_DATA_CHANNEL_STATE_OPEN,
  GST_SEC_WEBRTC_DATA_CHANNEL_STATE_CLOSING,
  GST_SEC_WEBRTC_DATA_CHANNEL_STATE_CLOSED,
} GstSecWebRTCDataChannelState;

#define GST_TYPE_SEC_WEBRTC_DATA_CHANNEL_STATE \
  (gst_sec_webrtc_data_channel_state_get_type ())
#define GST_TYPE_SEC_WEBRTC_SIGNALING_STATE \
  (gst_sec_webrtc_signaling_state_get_type ())
#define GST_TYPE_SEC_WEBRTC_ICE_GATHERING_STATE \
  (gst_sec_webrtc_ice_gathering_state_get_type ())
#define GST_TYPE_SEC_WEBRTC_ICE_CONNECTION_STATE \
  (gst_sec_webrtc_ice_connection_state_get_type ())
#define GST_TYPE_SEC_WEBRTC_CONNECTION_STATE \
  (gst_sec_webrtc_connection_state_get_type ())
#define GST_TYPE_SEC_WEBRTC_BUNDLE_POLICY \
  (gst_sec_webrtc_bundle_policy_get_type ())
#define GST_TYPE_SEC_WEBRTC_ICE_TRANSPORT_POLICY \
  (gst_sec_webrtc_ice_transport_policy_get_type ())

G_GNUC_INTERNAL GType gst_sec_webrtc_data_channel_state_get_type (void);
G_GNUC_INTERNAL GType gst_sec_webrtc_signaling_state_get_type (void);
G_GNUC_INTERNAL GType gst_sec_webrtc_ice_gathering_state_get_type (void);
G_GNUC_INTERNAL GType gst_sec_webrtc_ice_connection_state_get_type (void);
G_GNUC_INTERNAL GType gst_sec_webrtc_connection_state_get_type (void);
G_GNUC_INTERNAL GType gst_sec_webrtc_bundle_policy_get_type (void);
G_GNUC_INTERNAL GType gst_sec_webrtc_ice_transport_policy_get_type (void);

G_END_DECLS

#endif
