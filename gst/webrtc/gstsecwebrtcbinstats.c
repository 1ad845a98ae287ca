/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secwebrtcbin: get-stats (see gstsecwebrtcbin.c for the element).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecwebrtcbin-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define GST_CAT_DEFAULT gst_sec_webrtc_bin_debug

/* --- stats --------------------------------------------------------------- */

void
gst_sec_webrtc_bin_get_stats (GstSecWebRTCBin * self, GstPad * pad,
    GstPromise * promise)
{
  GstStructure *reply = gst_structure_new_empty ("application/x-webrtc-stats");
  GstStructure *ice = NULL, *dtls = NULL, *enc = NULL, *dec = NULL;

  (void) pad;
  g_rec_mutex_lock (&self->lock);
  if (self->transport)
    gst_sec_webrtc_transport_get_stats (self->transport, &ice, &dtls, &enc,
        &dec);
  g_rec_mutex_unlock (&self->lock);
  if (ice)
    gst_structure_set (reply, "ice", GST_TYPE_STRUCTURE, ice, NULL);
  if (dtls)
    gst_structure_set (reply, "dtls", GST_TYPE_STRUCTURE, dtls, NULL);
  if (enc)
    gst_structure_set (reply, "srtp-encoder", GST_TYPE_STRUCTURE, enc, NULL);
  if (dec)
    gst_structure_set (reply, "srtp-decoder", GST_TYPE_STRUCTURE, dec, NULL);
  if (ice)
    gst_structure_free (ice);
  if (dtls)
    gst_structure_free (dtls);
  if (enc)
    gst_structure_free (enc);
  if (dec)
    gst_structure_free (dec);
  gst_promise_reply (promise, reply);
}
