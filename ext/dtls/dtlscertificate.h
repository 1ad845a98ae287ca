/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecDtlsCertificate: a certificate and its private key, with the
 * sha-256 fingerprint signaling needs. Refcounted and immutable once
 * made, so one may be shared across threads. Plain C over GLib and
 * OpenSSL.
 */
#ifndef SEC_DTLS_CERTIFICATE_H
#define SEC_DTLS_CERTIFICATE_H

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "dtlsfingerprint.h"

G_BEGIN_DECLS

typedef struct _SecDtlsCertificate SecDtlsCertificate;

/* A fresh ECDSA P-256 key and a self-signed X.509 v3 certificate for it:
 * random 64-bit serial, subject/issuer CN "gst-secwebrtc", valid from one
 * day ago for 30 days, signed with ecdsa-with-SHA256. */
SecDtlsCertificate *sec_dtls_certificate_new (GError ** error);

/* From PEM text holding one certificate and its private key, in any
 * order (ECDSA or RSA keys; PKCS#8 or traditional key PEM). Fails with
 * SEC_DTLS_ERROR_INVALID when there is no certificate or no key in the
 * text, and SEC_DTLS_ERROR_CERTIFICATE when the key does not belong to
 * the certificate or the key type is neither EC nor RSA (RSA under 2048
 * bits refused). Error messages never contain key material. */
SecDtlsCertificate *sec_dtls_certificate_new_from_pem (const gchar * pem,
    GError ** error);

SecDtlsCertificate *sec_dtls_certificate_ref (SecDtlsCertificate * cert);
void sec_dtls_certificate_unref (SecDtlsCertificate * cert);

/* Borrowed; valid as long as @cert is. */
X509 *sec_dtls_certificate_get_x509 (SecDtlsCertificate * cert);
EVP_PKEY *sec_dtls_certificate_get_key (SecDtlsCertificate * cert);

/* "sha-256 AB:CD:..." (computed once, borrowed). */
const gchar *sec_dtls_certificate_get_fingerprint (SecDtlsCertificate * cert);

/* Fingerprint of any X509 with @hash. */
void sec_dtls_x509_fingerprint (X509 * x509, SecDtlsHash hash,
    SecDtlsFingerprint * fingerprint);

/* The certificate (never the key) as PEM text; g_free it. */
gchar *sec_dtls_x509_to_pem (X509 * x509);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecDtlsCertificate, sec_dtls_certificate_unref)

G_END_DECLS

#endif
