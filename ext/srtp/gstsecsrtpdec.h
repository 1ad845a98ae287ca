/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef GST_SEC_SRTP_DEC_H
#define GST_SEC_SRTP_DEC_H

#include "gstsecsrtpcommon.h"

G_BEGIN_DECLS

#define GST_TYPE_SEC_SRTP_DEC (gst_sec_srtp_dec_get_type ())
G_DECLARE_FINAL_TYPE (GstSecSrtpDec, gst_sec_srtp_dec, GST, SEC_SRTP_DEC,
    GstSecSrtpBase);

GST_ELEMENT_REGISTER_DECLARE (secsrtpdec);

G_END_DECLS

#endif
