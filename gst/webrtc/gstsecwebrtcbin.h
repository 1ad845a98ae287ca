/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef GST_SEC_WEBRTC_BIN_H
#define GST_SEC_WEBRTC_BIN_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SEC_WEBRTC_BIN (gst_sec_webrtc_bin_get_type ())
G_DECLARE_FINAL_TYPE (GstSecWebRTCBin, gst_sec_webrtc_bin, GST,
    SEC_WEBRTC_BIN, GstBin)

GST_ELEMENT_REGISTER_DECLARE (secwebrtcbin);

G_END_DECLS

#endif
