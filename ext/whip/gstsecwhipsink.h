/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef GST_SEC_WHIP_SINK_H
#define GST_SEC_WHIP_SINK_H

#include <gst/gst.h>

#include "gstsecwhipclientbin.h"

G_BEGIN_DECLS

#define GST_TYPE_SEC_WHIP_SINK (gst_sec_whip_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstSecWhipSink, gst_sec_whip_sink, GST,
    SEC_WHIP_SINK, GstSecWhipClientBin)

GST_ELEMENT_REGISTER_DECLARE (secwhipsink);

G_END_DECLS

#endif
