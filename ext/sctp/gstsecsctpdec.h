/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef GST_SEC_SCTP_DEC_H
#define GST_SEC_SCTP_DEC_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SEC_SCTP_DEC (gst_sec_sctp_dec_get_type ())
G_DECLARE_FINAL_TYPE (GstSecSctpDec, gst_sec_sctp_dec, GST, SEC_SCTP_DEC,
    GstElement)

GST_ELEMENT_REGISTER_DECLARE (secsctpdec);

G_END_DECLS

#endif /* GST_SEC_SCTP_DEC_H */
