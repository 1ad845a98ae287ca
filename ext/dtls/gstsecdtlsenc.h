/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef GST_SEC_DTLS_ENC_H
#define GST_SEC_DTLS_ENC_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SEC_DTLS_ENC (gst_sec_dtls_enc_get_type ())
G_DECLARE_FINAL_TYPE (GstSecDtlsEnc, gst_sec_dtls_enc, GST, SEC_DTLS_ENC,
    GstElement)

GST_ELEMENT_REGISTER_DECLARE (secdtlsenc);

G_END_DECLS

#endif
