/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef GST_SEC_ICE_SINK_H
#define GST_SEC_ICE_SINK_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SEC_ICE_SINK (gst_sec_ice_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstSecIceSink, gst_sec_ice_sink, GST, SEC_ICE_SINK,
    GstElement)

GST_ELEMENT_REGISTER_DECLARE (secicesink);

G_END_DECLS

#endif
