/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The secsrtp plugin: secsrtpenc and secsrtpdec.
 *
 * At load, libsrtp2 is initialised and, unless turned off with the
 * meson option openssl-srtp-crypto=false or the environment variable
 * SEC_SRTP_CRYPTO=libsrtp2, our OpenSSL AES-ICM, AES-GCM and HMAC-SHA1
 * replace libsrtp2's built-in primitives after passing known-answer
 * tests (see srtpcrypto.c). The element stats say which is in use.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>

#include "gstsecsrtpenc.h"
#include "gstsecsrtpdec.h"
#include "srtpcrypto.h"
#include "srtpsession.h"

GST_DEBUG_CATEGORY_STATIC (sec_srtp_plugin_debug);
#define GST_CAT_DEFAULT sec_srtp_plugin_debug

static void
install_crypto (void)
{
#ifdef SEC_OPENSSL_SRTP_CRYPTO
  const gchar *env = g_getenv ("SEC_SRTP_CRYPTO");
  const SecSrtpCryptoTypeStatus *status;
  guint i, n = 0;

  if (env && g_ascii_strcasecmp (env, "libsrtp2") == 0) {
    GST_INFO ("SEC_SRTP_CRYPTO=libsrtp2: keeping libsrtp2's built-in crypto");
    return;
  }
  if (!sec_srtp_crypto_install ()) {
    status = sec_srtp_crypto_status (&n);
    for (i = 0; i < n; i++) {
      if (!status[i].replaced)
        GST_WARNING ("%s: keeping libsrtp2's built-in implementation: %s",
            status[i].name, status[i].reason);
    }
  }
#else
  GST_INFO ("built with openssl-srtp-crypto=false");
#endif
  GST_INFO ("SRTP crypto backend: %s", sec_srtp_crypto_backend ());
}

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = TRUE;

  GST_DEBUG_CATEGORY_INIT (sec_srtp_plugin_debug, "secsrtpplugin", 0,
      "secsrtp plugin loading");
  /* As in secdtls: OpenSSL must not tear itself down in an atexit handler
   * that runs before GStreamer's stops the streaming threads that use it
   * (our AES/HMAC under libsrtp2, key digests); only the first
   * initialisation in the process decides. */
  OPENSSL_init_crypto (OPENSSL_INIT_NO_ATEXIT, NULL);
#ifdef ENABLE_NLS
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
#endif

  if (!sec_srtp_library_init ())
    return FALSE;
  install_crypto ();

  ret &= GST_ELEMENT_REGISTER (secsrtpenc, plugin);
  ret &= GST_ELEMENT_REGISTER (secsrtpdec, plugin);
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, secsrtp,
    "SRTP protection over libsrtp2, with OpenSSL crypto (gst-secwebrtc)",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
