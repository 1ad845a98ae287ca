/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * OpenSSL 3 (EVP) implementations of the libsrtp2 crypto types the SRTP
 * profiles use, registered through libsrtp2's documented extension point
 * (srtp_replace_cipher_type () and srtp_replace_auth_type ()):
 *
 *   aes-icm-128, aes-icm-256  AES Counter Mode, RFC 3711 §4.1.1, RFC 6188
 *   aes-gcm-128, aes-gcm-256  AES-GCM for SRTP and SRTCP, RFC 7714
 *   hmac-sha1                 HMAC-SHA1, RFC 3711 §4.2.1, RFC 2104
 *
 * Debian's libsrtp2 is built against NSS, whose per-packet overhead is
 * several microseconds; these types are the hot path of every SRTP
 * packet. Plain C, no GStreamer.
 */
#ifndef SEC_SRTP_CRYPTO_H
#define SEC_SRTP_CRYPTO_H

#include <glib.h>
#include <srtp2/srtp.h>
#include <srtp2/cipher.h>
#include <srtp2/auth.h>

G_BEGIN_DECLS

/* Which implementation backs one libsrtp2 crypto type. */
typedef struct
{
  const gchar *name;            /* "aes-icm-128", "aes-icm-256", "aes-gcm-128",
                                 * "aes-gcm-256", "hmac-sha1" */
  gboolean replaced;            /* TRUE: our OpenSSL implementation is
                                 * registered */
  gchar *reason;                /* why not replaced (NULL when replaced);
                                 * never contains key material */
} SecSrtpCryptoTypeStatus;

/* Must be called once, after srtp_init () (before it, libsrtp2's own
 * srtp_init () would later refuse to load its built-in types). For each of
 * the five types: run our own known-answer tests (RFC 3711 B.2 AES-CM,
 * RFC 6188 AES-256-CM, RFC 7714 GCM, RFC 2202 HMAC-SHA1) directly on our
 * implementation; only if they pass, call srtp_replace_*_type (which also
 * runs libsrtp2's self-test data of the built-in type). A type whose checks
 * fail keeps libsrtp2's built-in implementation. Returns TRUE when all five
 * were replaced.
 *
 * srtp_shutdown () forgets the replacement: after a later srtp_init (),
 * call this again (it may be called again; it then rebuilds the status,
 * invalidating what sec_srtp_crypto_status () returned before).
 * Sessions created before the call keep the implementation they were
 * created with. */
G_GNUC_INTERNAL gboolean sec_srtp_crypto_install (void);

/* "openssl" when all five are ours, "libsrtp2" when none, "mixed"
 * otherwise; "libsrtp2" before install. */
G_GNUC_INTERNAL const gchar *sec_srtp_crypto_backend (void);

/* Per-type status array of n_types entries, owned by the module (valid
 * after install). */
G_GNUC_INTERNAL const SecSrtpCryptoTypeStatus
    *sec_srtp_crypto_status (guint * n_types);

/* Our implementations, whether registered or not, for tests and
 * benchmarks: id is SRTP_AES_ICM_128, SRTP_AES_ICM_256, SRTP_AES_GCM_128
 * or SRTP_AES_GCM_256, resp. SRTP_HMAC_SHA1. NULL for any other id. */
G_GNUC_INTERNAL const srtp_cipher_type_t
    *sec_srtp_crypto_get_cipher_type (srtp_cipher_type_id_t id);
G_GNUC_INTERNAL const srtp_auth_type_t
    *sec_srtp_crypto_get_auth_type (srtp_auth_type_id_t id);

G_END_DECLS

#endif /* SEC_SRTP_CRYPTO_H */
