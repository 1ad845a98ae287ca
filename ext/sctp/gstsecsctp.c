/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The secsctp plugin: secsctpenc and secsctpdec, WebRTC data channels
 * (RFC 8831, DCEP RFC 8832) on an SCTP association over DTLS (RFC 8261)
 * run by usrsctp.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gi18n-lib.h>

#include "gstsecsctpenc.h"
#include "gstsecsctpdec.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = TRUE;

#ifdef ENABLE_NLS
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
#endif
  ret &= GST_ELEMENT_REGISTER (secsctpenc, plugin);
  ret &= GST_ELEMENT_REGISTER (secsctpdec, plugin);
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, secsctp,
    "WebRTC data channels: SCTP over DTLS on usrsctp, with DCEP "
    "(gst-secwebrtc)", plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME,
    GST_PACKAGE_ORIGIN)
