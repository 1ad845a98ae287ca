/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The secice plugin: secicesrc and secicesink over one libnice agent per
 * transport, every agent of the process on one ICE thread.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gi18n-lib.h>

#include "gstsecicesrc.h"
#include "gstsecicesink.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = TRUE;

#ifdef ENABLE_NLS
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
#endif
  ret &= GST_ELEMENT_REGISTER (secicesrc, plugin);
  ret &= GST_ELEMENT_REGISTER (secicesink, plugin);
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, secice,
    "ICE over libnice with TURN, relay-only policy and consent freshness "
    "(gst-secwebrtc)", plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME,
    GST_PACKAGE_ORIGIN)
