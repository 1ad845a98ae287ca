/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef GST_SEC_SCTP_ENC_H
#define GST_SEC_SCTP_ENC_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SEC_SCTP_ENC (gst_sec_sctp_enc_get_type ())
G_DECLARE_FINAL_TYPE (GstSecSctpEnc, gst_sec_sctp_enc, GST, SEC_SCTP_ENC,
    GstElement)

GST_ELEMENT_REGISTER_DECLARE (secsctpenc);

G_END_DECLS

#endif /* GST_SEC_SCTP_ENC_H */
