/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Certificate fingerprints as SDP carries them (RFC 8122 §5):
 * "sha-256 AB:CD:...". Parsing, formatting, computing and a
 * constant-time comparison. Plain C over GLib and OpenSSL's libcrypto.
 *
 * Only sha-256, sha-384 and sha-512 are accepted; sha-1 and md5 (and
 * the other hash names of the IANA registry) are refused with
 * SEC_DTLS_ERROR_WEAK_HASH or SEC_DTLS_ERROR_INVALID.
 */
#ifndef SEC_DTLS_FINGERPRINT_H
#define SEC_DTLS_FINGERPRINT_H

#include <glib.h>

G_BEGIN_DECLS

#define SEC_DTLS_ERROR (sec_dtls_error_quark ())

/* Every error of the DTLS core, in one domain. */
typedef enum
{
  SEC_DTLS_ERROR_INVALID,       /* malformed input (fingerprint, PEM, ...) */
  SEC_DTLS_ERROR_WEAK_HASH,     /* sha-1 / md5 fingerprint refused */
  SEC_DTLS_ERROR_CERTIFICATE,   /* certificate/key unusable or mismatched */
  SEC_DTLS_ERROR_NO_FINGERPRINT,        /* no expected fingerprint, not accepted */
  SEC_DTLS_ERROR_FINGERPRINT_MISMATCH,  /* peer certificate does not match */
  SEC_DTLS_ERROR_REJECTED,      /* accept-certificate said no */
  SEC_DTLS_ERROR_HANDSHAKE,     /* protocol failure inside the handshake */
  SEC_DTLS_ERROR_ALERT,         /* the peer sent a fatal alert */
  SEC_DTLS_ERROR_TIMEOUT,       /* the handshake did not finish in time */
  SEC_DTLS_ERROR_CLOSED,        /* the association is closed */
  SEC_DTLS_ERROR_FAILED,        /* anything else (out of memory, ...) */
  SEC_DTLS_ERROR_PEER_CHANGED,  /* signaling changed a verified peer */
  SEC_DTLS_ERROR_ROLE_CONFLICT, /* both sides are DTLS clients */
} SecDtlsError;

GQuark sec_dtls_error_quark (void);

typedef enum
{
  SEC_DTLS_HASH_SHA256,
  SEC_DTLS_HASH_SHA384,
  SEC_DTLS_HASH_SHA512,
} SecDtlsHash;

#define SEC_DTLS_FINGERPRINT_MAX_DIGEST 64

typedef struct
{
  SecDtlsHash hash;
  gsize digest_len;             /* 32, 48 or 64 */
  guint8 digest[SEC_DTLS_FINGERPRINT_MAX_DIGEST];
} SecDtlsFingerprint;

/* "sha-256", "sha-384", "sha-512" */
const gchar *sec_dtls_hash_name (SecDtlsHash hash);

/* Parses "<hash> <hex pairs separated by ':'>" as in an SDP
 * a=fingerprint attribute value. The hash name and the hex digits are
 * case-insensitive; leading/trailing ASCII whitespace is ignored, the
 * single separator between hash and digest may be one or more spaces or
 * tabs. The digest must have exactly the hash's length. What
 * `openssl x509 -noout -fingerprint -sha256` prints is accepted as well:
 * OpenSSL's hash names without the dash ("sha256", also alone), and
 * "Fingerprint=" right before the digest ("sha256 Fingerprint=AB:...").
 * sha-1 (sha1) and md5 fail with SEC_DTLS_ERROR_WEAK_HASH, any other
 * malformation with SEC_DTLS_ERROR_INVALID; the message says what was
 * wrong, and for a near miss of an accepted name ("sha_256", "SHA2-256",
 * "sha 256") which one was probably meant ("did you mean sha-256?"). */
gboolean sec_dtls_fingerprint_parse (const gchar * text,
    SecDtlsFingerprint * fingerprint, GError ** error);

/* "sha-256 AB:CD:..." with upper-case hex; free with g_free. */
gchar *sec_dtls_fingerprint_to_string (const SecDtlsFingerprint * fingerprint);

/* Hashes a DER-encoded certificate with @hash. */
void sec_dtls_fingerprint_compute (SecDtlsHash hash, const guint8 * der,
    gsize der_len, SecDtlsFingerprint * fingerprint);

/* TRUE when hash and digest are equal; the digest comparison takes the
 * same time wherever the first difference is (CRYPTO_memcmp). */
gboolean sec_dtls_fingerprint_equal (const SecDtlsFingerprint * a,
    const SecDtlsFingerprint * b);

G_END_DECLS

#endif
