/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The secwebrtc plugin: the parts of a WebRTC peer connection above the
 * secice, secdtls and secsrtp elements, which it uses by factory name.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gi18n-lib.h>

#include "gstsecdtlssrtpdemux.h"
#include "gstsecwebrtcbin.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = TRUE;

#ifdef ENABLE_NLS
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
#endif
  ret &= GST_ELEMENT_REGISTER (secdtlssrtpdemux, plugin);
  ret &= GST_ELEMENT_REGISTER (secwebrtcbin, plugin);
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, secwebrtc,
    "WebRTC peer connections over the secure transport "
    "(gst-secwebrtc)", plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME,
    GST_PACKAGE_ORIGIN)
