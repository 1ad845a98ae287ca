/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The secdtls plugin: secdtlsenc and secdtlsdec, a DTLS association over
 * OpenSSL with fingerprint verification and DTLS-SRTP key export.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gi18n-lib.h>

#include "gstsecdtlsenc.h"
#include "gstsecdtlsdec.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = TRUE;

#ifdef ENABLE_NLS
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
#endif
  ret &= GST_ELEMENT_REGISTER (secdtlsenc, plugin);
  ret &= GST_ELEMENT_REGISTER (secdtlsdec, plugin);
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, secdtls,
    "DTLS for WebRTC over OpenSSL: verified peers, DTLS-SRTP keys "
    "(gst-secwebrtc)", plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME,
    GST_PACKAGE_ORIGIN)
