/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef GST_SEC_DTLS_SRTP_DEMUX_H
#define GST_SEC_DTLS_SRTP_DEMUX_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SEC_DTLS_SRTP_DEMUX (gst_sec_dtls_srtp_demux_get_type ())
G_DECLARE_FINAL_TYPE (GstSecDtlsSrtpDemux, gst_sec_dtls_srtp_demux, GST,
    SEC_DTLS_SRTP_DEMUX, GstElement)

GST_ELEMENT_REGISTER_DECLARE (secdtlssrtpdemux);

G_END_DECLS

#endif
