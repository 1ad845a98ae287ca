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
#include <openssl/crypto.h>

#include "gstsecdtlsenc.h"
#include "gstsecdtlsdec.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = TRUE;

  /* A plugin must not let OpenSSL tear itself down in an atexit handler:
   * GStreamer's own exit handler (gst_deinit) runs after it and stops the
   * task threads that used OpenSSL, whose thread-local cleanup then reads
   * freed OpenSSL state (a crash at exit). Only the first initialisation
   * in the process decides; the memory is the process's until it ends. */
  OPENSSL_init_crypto (OPENSSL_INIT_NO_ATEXIT, NULL);
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
