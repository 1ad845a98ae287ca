/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The secwhip plugin: WHIP and WHEP (RFC 9725) over secwebrtcbin and
 * libsoup 3.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gi18n-lib.h>

#include "gstsecwhepsrc.h"
#include "gstsecwhipcommon.h"
#include "gstsecwhipserversrc.h"
#include "gstsecwhipsink.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = TRUE;

  gst_sec_whip_debug_init ();
#ifdef ENABLE_NLS
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
#endif
  ret &= GST_ELEMENT_REGISTER (secwhipsink, plugin);
  ret &= GST_ELEMENT_REGISTER (secwhepsrc, plugin);
  ret &= GST_ELEMENT_REGISTER (secwhipserversrc, plugin);
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, secwhip,
    "WHIP and WHEP signaling over secwebrtcbin (gst-secwebrtc)",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
