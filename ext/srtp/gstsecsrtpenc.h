/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef GST_SEC_SRTP_ENC_H
#define GST_SEC_SRTP_ENC_H

#include "gstsecsrtpcommon.h"

G_BEGIN_DECLS

#define GST_TYPE_SEC_SRTP_ENC (gst_sec_srtp_enc_get_type ())
G_DECLARE_FINAL_TYPE (GstSecSrtpEnc, gst_sec_srtp_enc, GST, SEC_SRTP_ENC,
    GstSecSrtpBase);

GST_ELEMENT_REGISTER_DECLARE (secsrtpenc);

G_END_DECLS

#endif
