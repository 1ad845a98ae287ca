/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecWebRTCDataChannel: one data channel of secwebrtcbin (RFC 8831,
 * W3C RTCDataChannel), with the names webrtcbin's users know
 * (DESIGN.md, "Data channels"): action signals send-string, send-data
 * and close; signals on-open, on-close, on-error, on-message-string,
 * on-message-data, on-buffered-amount-low; properties label, ordered,
 * max-packet-lifetime, max-retransmits, protocol, negotiated, priority,
 * id, ready-state, buffered-amount, buffered-amount-low-threshold.
 *
 * It is a handle on a stream id of the bin's SCTP association: what it
 * sends goes through the transport's secsctpenc, what arrives comes from
 * the bin (which dispatches secsctpdec's signals by id). Until the
 * association exists (the offer/answer exchange decides the DTLS role,
 * hence the id) it waits, connecting, with id -1.
 *
 * Threads: its signals come from the SCTP association's thread (or, for
 * errors, from the thread that sent); its API may be called from any
 * thread.
 */
#ifndef GST_SEC_WEBRTC_DATA_CHANNEL_H
#define GST_SEC_WEBRTC_DATA_CHANNEL_H

#include <gst/gst.h>

#include "webrtcenums.h"

G_BEGIN_DECLS

#define GST_TYPE_SEC_WEBRTC_DATA_CHANNEL (gst_sec_webrtc_data_channel_get_type ())
G_DECLARE_FINAL_TYPE (GstSecWebRTCDataChannel, gst_sec_webrtc_data_channel,
    GST, SEC_WEBRTC_DATA_CHANNEL, GObject)

/* A channel the application creates: @options checked (the rules of
 * secsctpenc's open-channel that do not need the association: both
 * reliability options, negotiated without an id, an id out of range,
 * fields of the wrong type); NULL and @error otherwise. */
G_GNUC_INTERNAL GstSecWebRTCDataChannel *gst_sec_webrtc_data_channel_new
    (const gchar * label, const GstStructure * options, GError ** error);

/* A channel the peer opened (secsctpdec's on-channel @info): open. */
G_GNUC_INTERNAL GstSecWebRTCDataChannel *gst_sec_webrtc_data_channel_new_remote
    (GstElement * enc, const GstStructure * info);

/* The options for secsctpenc's open-channel (free it). */
G_GNUC_INTERNAL GstStructure *gst_sec_webrtc_data_channel_get_options
    (GstSecWebRTCDataChannel * channel);
G_GNUC_INTERNAL const gchar *gst_sec_webrtc_data_channel_get_label
    (GstSecWebRTCDataChannel * channel);
/* -1 while not known */
G_GNUC_INTERNAL gint gst_sec_webrtc_data_channel_get_id
    (GstSecWebRTCDataChannel * channel);
G_GNUC_INTERNAL GstSecWebRTCDataChannelState
gst_sec_webrtc_data_channel_get_state (GstSecWebRTCDataChannel * channel);

/* The association took it on stream @id (secsctpenc's open-channel). */
G_GNUC_INTERNAL void gst_sec_webrtc_data_channel_attach
    (GstSecWebRTCDataChannel * channel, GstElement * enc, gint id);

/* What the association says about it (no lock of the bin held). */
G_GNUC_INTERNAL void gst_sec_webrtc_data_channel_opened
    (GstSecWebRTCDataChannel * channel);
G_GNUC_INTERNAL void gst_sec_webrtc_data_channel_closing
    (GstSecWebRTCDataChannel * channel);
G_GNUC_INTERNAL void gst_sec_webrtc_data_channel_closed
    (GstSecWebRTCDataChannel * channel);
G_GNUC_INTERNAL void gst_sec_webrtc_data_channel_message
    (GstSecWebRTCDataChannel * channel, gboolean binary, GBytes * data);
G_GNUC_INTERNAL void gst_sec_webrtc_data_channel_error
    (GstSecWebRTCDataChannel * channel, const GError * error);
G_GNUC_INTERNAL void gst_sec_webrtc_data_channel_buffered_amount_low
    (GstSecWebRTCDataChannel * channel);

G_END_DECLS

#endif /* GST_SEC_WEBRTC_DATA_CHANNEL_H */
