/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The base of secwhipsink and secwhepsrc: a bin with a secwebrtcbin
 * child whose offer it POSTs to an endpoint on the way to PLAYING, and
 * whose session it DELETEs on the way to READY. It holds the properties
 * both have (ca-file, timeout, resource-url, the token's, secwebrtcbin's
 * forwarded ones); each subclass installs its endpoint property
 * (whip-endpoint, whep-endpoint) and sets it with set_endpoint.
 */
#ifndef GST_SEC_WHIP_CLIENT_BIN_H
#define GST_SEC_WHIP_CLIENT_BIN_H

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SEC_WHIP_CLIENT_BIN (gst_sec_whip_client_bin_get_type ())
G_DECLARE_DERIVABLE_TYPE (GstSecWhipClientBin, gst_sec_whip_client_bin, GST,
    SEC_WHIP_CLIENT_BIN, GstBin)

struct _GstSecWhipClientBinClass
{
  GstBinClass parent_class;

  /* "WHIP" or "WHEP", for messages */
  const gchar *protocol;
  /* a live source (its pads come with the session): no preroll */
  gboolean live_source;
  /* before the offer (the bin's transceivers); FALSE after posting an
   * error */
  gboolean (*prepare) (GstSecWhipClientBin * self);
};

G_GNUC_INTERNAL
GstElement *gst_sec_whip_client_bin_get_webrtcbin (GstSecWhipClientBin *
    self);
G_GNUC_INTERNAL
void gst_sec_whip_client_bin_set_endpoint (GstSecWhipClientBin * self,
    const gchar * endpoint);
G_GNUC_INTERNAL
gchar *gst_sec_whip_client_bin_dup_endpoint (GstSecWhipClientBin * self);
/* DELETEs the session, once (EOS or stopping, whichever comes first). */
G_GNUC_INTERNAL
void gst_sec_whip_client_bin_delete (GstSecWhipClientBin * self);

G_END_DECLS

#endif /* GST_SEC_WHIP_CLIENT_BIN_H */
