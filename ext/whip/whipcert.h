/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The self-signed certificate secwhipserversrc makes at start when it is
 * given none: ECDSA P-256, valid for a year, its subjectAltName the
 * listening address, 127.0.0.1, ::1 and localhost, so that a client given
 * it as its ca-file verifies the server by name.
 */
#ifndef SEC_WHIP_CERT_H
#define SEC_WHIP_CERT_H

#include <glib.h>

G_BEGIN_DECLS

/* @address: an IP address or a host name, NULL or "" for none beyond the
 * loopback names. Fills PEM texts (g_free; @key_pem is private: zero it
 * before freeing) and the certificate's "sha-256 AB:CD:..." fingerprint. */
gboolean sec_whip_self_signed_new (const gchar * address, gchar ** cert_pem,
    gchar ** key_pem, gchar ** fingerprint, GError ** error);

/* The "sha-256 AB:CD:..." fingerprint of the first certificate of
 * @cert_pem, NULL when it holds none. */
gchar *sec_whip_cert_fingerprint (const gchar * cert_pem);

/* base64 (SHA-256 (SubjectPublicKeyInfo)) of the first certificate of
 * @cert_pem (what Chromium's --ignore-certificate-errors-spki-list
 * takes), NULL when it holds none. */
gchar *sec_whip_cert_spki_sha256 (const gchar * cert_pem);

G_END_DECLS

#endif /* SEC_WHIP_CERT_H */
