/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef GST_SEC_DTLS_DEC_H
#define GST_SEC_DTLS_DEC_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SEC_DTLS_DEC (gst_sec_dtls_dec_get_type ())
G_DECLARE_FINAL_TYPE (GstSecDtlsDec, gst_sec_dtls_dec, GST, SEC_DTLS_DEC,
    GstElement)

GST_ELEMENT_REGISTER_DECLARE (secdtlsdec);

G_END_DECLS

#endif
