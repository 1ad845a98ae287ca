/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef GST_SEC_WHEP_SRC_H
#define GST_SEC_WHEP_SRC_H

#include <gst/gst.h>

#include "gstsecwhipclientbin.h"

G_BEGIN_DECLS

#define GST_TYPE_SEC_WHEP_SRC (gst_sec_whep_src_get_type ())
G_DECLARE_FINAL_TYPE (GstSecWhepSrc, gst_sec_whep_src, GST, SEC_WHEP_SRC,
    GstSecWhipClientBin)

GST_ELEMENT_REGISTER_DECLARE (secwhepsrc);

G_END_DECLS

#endif
