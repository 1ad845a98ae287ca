/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef GST_SEC_ICE_SRC_H
#define GST_SEC_ICE_SRC_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SEC_ICE_SRC (gst_sec_ice_src_get_type ())
G_DECLARE_FINAL_TYPE (GstSecIceSrc, gst_sec_ice_src, GST, SEC_ICE_SRC,
    GstElement)

GST_ELEMENT_REGISTER_DECLARE (secicesrc);

G_END_DECLS

#endif
