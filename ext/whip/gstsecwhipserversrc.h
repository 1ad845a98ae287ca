/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef GST_SEC_WHIP_SERVER_SRC_H
#define GST_SEC_WHIP_SERVER_SRC_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SEC_WHIP_SERVER_SRC (gst_sec_whip_server_src_get_type ())
G_DECLARE_FINAL_TYPE (GstSecWhipServerSrc, gst_sec_whip_server_src, GST,
    SEC_WHIP_SERVER_SRC, GstBin)

GST_ELEMENT_REGISTER_DECLARE (secwhipserversrc);

G_END_DECLS

#endif
