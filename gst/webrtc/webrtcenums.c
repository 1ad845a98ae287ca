/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "webrtcenums.h"

#define DEFINE_ENUM(func, type_name, ...)                                 \
GType                                                                     \
func (void)                                                               \
{                                                                         \
  static gsize id = 0;                                                    \
  static const GEnumValue values[] = { __VA_ARGS__, {0, NULL, NULL} };    \
                                                                          \
  if (g_once_init_enter (&id))                                            \
    g_once_init_leave (&id, g_enum_register_static (type_name, values));  \
  return (GType) id;                                                      \
}

DEFINE_ENUM (gst_sec_webrtc_signaling_state_get_type,
    "GstSecWebRTCSignalingState",
    {GST_SEC_WEBRTC_SIGNALING_STATE_STABLE, "Stable", "stable"},
    {GST_SEC_WEBRTC_SIGNALING_STATE_HAVE_LOCAL_OFFER, "Have local offer",
        "have-local-offer"},
    {GST_SEC_WEBRTC_SIGNALING_STATE_HAVE_REMOTE_OFFER, "Have remote offer",
        "have-remote-offer"},
    {GST_SEC_WEBRTC_SIGNALING_STATE_CLOSED, "Closed", "closed"});

DEFINE_ENUM (gst_sec_webrtc_ice_gathering_state_get_type,
    "GstSecWebRTCIceGatheringState",
    {GST_SEC_WEBRTC_ICE_GATHERING_STATE_NEW, "New", "new"},
    {GST_SEC_WEBRTC_ICE_GATHERING_STATE_GATHERING, "Gathering", "gathering"},
    {GST_SEC_WEBRTC_ICE_GATHERING_STATE_COMPLETE, "Complete", "complete"});

DEFINE_ENUM (gst_sec_webrtc_ice_connection_state_get_type,
    "GstSecWebRTCIceConnectionState",
    {GST_SEC_WEBRTC_ICE_CONNECTION_STATE_NEW, "New", "new"},
    {GST_SEC_WEBRTC_ICE_CONNECTION_STATE_CHECKING, "Checking", "checking"},
    {GST_SEC_WEBRTC_ICE_CONNECTION_STATE_CONNECTED, "Connected", "connected"},
    {GST_SEC_WEBRTC_ICE_CONNECTION_STATE_COMPLETED, "Completed", "completed"},
    {GST_SEC_WEBRTC_ICE_CONNECTION_STATE_FAILED, "Failed", "failed"},
    {GST_SEC_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED, "Disconnected",
        "disconnected"},
    {GST_SEC_WEBRTC_ICE_CONNECTION_STATE_CLOSED, "Closed", "closed"});

DEFINE_ENUM (gst_sec_webrtc_connection_state_get_type,
    "GstSecWebRTCConnectionState",
    {GST_SEC_WEBRTC_CONNECTION_STATE_NEW, "New", "new"},
    {GST_SEC_WEBRTC_CONNECTION_STATE_CONNECTING, "Connecting", "connecting"},
    {GST_SEC_WEBRTC_CONNECTION_STATE_CONNECTED, "Connected", "connected"},
    {GST_SEC_WEBRTC_CONNECTION_STATE_DISCONNECTED, "Disconnected",
        "disconnected"},
    {GST_SEC_WEBRTC_CONNECTION_STATE_FAILED, "Failed", "failed"},
    {GST_SEC_WEBRTC_CONNECTION_STATE_CLOSED, "Closed", "closed"});

DEFINE_ENUM (gst_sec_webrtc_bundle_policy_get_type,
    "GstSecWebRTCBundlePolicy",
    {GST_SEC_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE,
        "One transport for every m-line", "max-bundle"},
    {GST_SEC_WEBRTC_BUNDLE_POLICY_BALANCED,
        "One transport per media kind", "balanced"});

DEFINE_ENUM (gst_sec_webrtc_ice_transport_policy_get_type,
    "GstSecWebRTCIceTransportPolicy",
    {GST_SEC_WEBRTC_ICE_TRANSPORT_POLICY_ALL, "Every candidate type", "all"},
    {GST_SEC_WEBRTC_ICE_TRANSPORT_POLICY_RELAY, "Relay candidates only",
        "relay"});

DEFINE_ENUM (gst_sec_webrtc_data_channel_state_get_type,
    "GstSecWebRTCDataChannelState",
    {GST_SEC_WEBRTC_DATA_CHANNEL_STATE_CONNECTING, "Connecting", "connecting"},
    {GST_SEC_WEBRTC_DATA_CHANNEL_STATE_OPEN, "Open", "open"},
    {GST_SEC_WEBRTC_DATA_CHANNEL_STATE_CLOSING, "Closing", "closing"},
    {GST_SEC_WEBRTC_DATA_CHANNEL_STATE_CLOSED, "Closed", "closed"});
