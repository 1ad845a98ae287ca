/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsrtp2 crypto types on OpenSSL 3 EVP: AES-ICM (RFC 3711 §4.1.1,
 * RFC 6188), AES-GCM (RFC 7714) and HMAC-SHA1 (RFC 3711 §4.2.1,
 * RFC 2104), registered with srtp_replace_cipher_type () and
 * srtp_replace_auth_type () once they pass their known-answer tests.
 *
 * How libsrtp2 2.5 drives these function pointers (srtp.c, cipher.c,
 * auth.c, crypto_kernel.c), which is the contract implemented here:
 *
 * - alloc (key_len, tag_len), then init (key) once per key; init may run
 *   again on the same object with another key (self-tests). A cipher gets
 *   key_len including the salt (AES-ICM 30/46, AES-GCM 28/44) and the key
 *   as base key || salt. srtp.c derives the base key length from
 *   type->id and takes its AEAD path when cipher->algorithm is
 *   SRTP_AES_GCM_128 or SRTP_AES_GCM_256.
 * - AES-ICM: set_iv (16 octets), then one or more encrypt calls that
 *   continue one keystream: the KDF (RFC 3711 §4.3), the RFC 6904
 *   header extension encryption (one srtp_cipher_output () per element)
 *   and the payload all rely on that. The tag_len given to alloc is the
 *   HMAC's and is ignored.
 * - AES-GCM: set_iv (12 octets and a direction), set_aad one or more
 *   times (SRTCP passes the header, then the E flag and index), then
 *   encrypt (NULL and 0 octets for unencrypted SRTCP) and get_tag; or
 *   decrypt over ciphertext || tag with the length including the tag,
 *   which checks the tag and shortens the length by it.
 * - HMAC-SHA1: init leaves a started MAC (the self-test calls compute
 *   right after init), start restarts it under the same key, update
 *   adds data, compute adds the last data and writes the truncated tag.
 *
 * Contexts are allocated in alloc and keyed in init; per packet there is
 * no allocation in the ciphers, and set_iv reuses the keyed context.
 */
#ifndef G_LOG_DOMAIN
#define G_LOG_DOMAIN "secsrtp"
#endif

#include "srtpcrypto.h"

#include <limits.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#define SEC_AES_BLOCK_LEN 16
#define SEC_AES_ICM_IV_LEN 16
#define SEC_SHA1_BLOCK_LEN 64
#define SEC_SHA1_DIGEST_LEN 20
/* RFC 2104 §3 allows keys of any length; SRTP uses 20 octets. The bound
 * only keeps a wild value from reaching the digest. */
#define SEC_HMAC_MAX_KEY_LEN 1024
/* RFC 3711 §4.1.1: the low 16 bits of the counter block count the blocks
 * of one packet, so one IV yields at most 2^16 blocks of keystream. */
#define SEC_AES_ICM_MAX_BLOCKS 0x10000

/* ------------------------------------------------------------------ */
/* OpenSSL algorithms                                                  */
/* ------------------------------------------------------------------ */

typedef struct
{
  EVP_CIPHER *aes_128_ctr;
  EVP_CIPHER *aes_256_ctr;
  EVP_CIPHER *aes_128_gcm;
  EVP_CIPHER *aes_256_gcm;
  EVP_MD *sha1;
} SecCryptoAlgorithms;

/* written once under g_once, read-only afterwards */
static SecCryptoAlgorithms algorithms;

/* Fetched once from the default library context and kept for the life of
 * the process: passing EVP_aes_128_ctr () and friends would repeat an
 * implicit fetch on every init. A missing algorithm (say, a FIPS-only
 * configuration without SHA-1) makes alloc fail, hence the known-answer
 * tests fail and libsrtp2 keeps its own type. */
static const SecCryptoAlgorithms *
sec_crypto_algorithms (void)
{
  static gsize fetched = 0;

  if (g_once_init_enter (&fetched)) {
    algorithms.aes_128_ctr = EVP_CIPHER_fetch (NULL, "AES-128-CTR", NULL);
    algorithms.aes_256_ctr = EVP_CIPHER_fetch (NULL, "AES-256-CTR", NULL);
    algorithms.aes_128_gcm = EVP_CIPHER_fetch (NULL, "AES-128-GCM", NULL);
    algorithms.aes_256_gcm = EVP_CIPHER_fetch (NULL, "AES-256-GCM", NULL);
    algorithms.sha1 = EVP_MD_fetch (NULL, "SHA1", NULL);
    ERR_clear_error ();
    g_once_init_leave (&fetched, 1);
  }
  return &algorithms;
}

/* ------------------------------------------------------------------ */
/* AES-ICM: RFC 3711 §4.1.1, RFC 6188                                  */
/* ------------------------------------------------------------------ */

typedef struct
{
  EVP_CIPHER_CTX *ctx;          /* AES-CTR, keyed by init */
  const EVP_CIPHER *evp;
  gsize key_size;               /* 16 or 32 octets of AES key */
  gboolean keyed;
  /* the 112-bit session salt k_s, shifted left by 16 bits */
  guint8 salt[SEC_AES_BLOCK_LEN];
  /* keystream octets left before the 16-bit block counter would wrap;
   * 0 until set_iv */
  guint64 keystream_left;
} SecAesIcm;

typedef struct
{
  srtp_cipher_t cipher;         /* first: libsrtp2 holds a pointer to it */
  SecAesIcm icm;
} SecAesIcmCipher;

static const srtp_cipher_type_t sec_aes_icm_128_type;
static const srtp_cipher_type_t sec_aes_icm_256_type;

static srtp_err_status_t
sec_aes_icm_alloc (srtp_cipher_t ** cipher, int key_len,
    const srtp_cipher_type_t * type, const EVP_CIPHER * evp, gsize key_size)
{
  SecAesIcmCipher *self;

  if (cipher == NULL || key_len < 0
      || (gsize) key_len != key_size + SRTP_SALT_LEN)
    return srtp_err_status_bad_param;
  if (evp == NULL)
    return srtp_err_status_init_fail;

  self = g_try_new0 (SecAesIcmCipher, 1);
  if (self == NULL)
    return srtp_err_status_alloc_fail;
  self->icm.ctx = EVP_CIPHER_CTX_new ();
  if (self->icm.ctx == NULL) {
    g_free (self);
    return srtp_err_status_alloc_fail;
  }
  self->icm.evp = evp;
  self->icm.key_size = key_size;

  self->cipher.type = type;
  self->cipher.state = &self->icm;
  self->cipher.key_len = key_len;
  self->cipher.algorithm = type->id;
  *cipher = &self->cipher;
  return srtp_err_status_ok;
}

static srtp_err_status_t
sec_aes_icm_128_alloc (srtp_cipher_t ** cipher, int key_len,
    int tag_len G_GNUC_UNUSED)
{
  return sec_aes_icm_alloc (cipher, key_len, &sec_aes_icm_128_type,
      sec_crypto_algorithms ()->aes_128_ctr, SRTP_AES_128_KEY_LEN);
}

static srtp_err_status_t
sec_aes_icm_256_alloc (srtp_cipher_t ** cipher, int key_len,
    int tag_len G_GNUC_UNUSED)
{
  return sec_aes_icm_alloc (cipher, key_len, &sec_aes_icm_256_type,
      sec_crypto_algorithms ()->aes_256_ctr, SRTP_AES_256_KEY_LEN);
}

static srtp_err_status_t
sec_aes_icm_dealloc (srtp_cipher_t * cipher)
{
  SecAesIcmCipher *self = (SecAesIcmCipher *) cipher;

  if (self == NULL)
    return srtp_err_status_bad_param;
  EVP_CIPHER_CTX_free (self->icm.ctx);
  OPENSSL_cleanse (self, sizeof (*self));
  g_free (self);
  return srtp_err_status_ok;
}

/* key is the session key followed by the 112-bit session salt. */
static srtp_err_status_t
sec_aes_icm_init (void *state, const uint8_t * key)
{
  SecAesIcm *icm = state;

  if (key == NULL)
    return srtp_err_status_bad_param;
  /* Once keyed, passing no cipher rekeys the provider context in place. */
  if (EVP_EncryptInit_ex (icm->ctx, icm->keyed ? NULL : icm->evp, NULL, key,
          NULL) != 1) {
    ERR_clear_error ();
    return srtp_err_status_init_fail;
  }
  memcpy (icm->salt, key + icm->key_size, SRTP_SALT_LEN);
  icm->salt[SRTP_SALT_LEN] = 0;
  icm->salt[SRTP_SALT_LEN + 1] = 0;
  icm->keyed = TRUE;
  icm->keystream_left = 0;
  return srtp_err_status_ok;
}

/* RFC 3711 §4.1.1: the first counter block is (k_s * 2^16) XOR IV.
 * libsrtp2 passes IV = (SSRC * 2^64) XOR (i * 2^16) for SRTP and SRTCP and
 * the label in octet 7 for the KDF (§4.3.1). CTR is its own inverse, so
 * the direction does not matter. */
static srtp_err_status_t
sec_aes_icm_set_iv (void *state, uint8_t * iv,
    srtp_cipher_direction_t direction G_GNUC_UNUSED)
{
  SecAesIcm *icm = state;
  guint8 counter[SEC_AES_BLOCK_LEN];
  guint first_block, i;

  icm->keystream_left = 0;
  if (!icm->keyed)
    return srtp_err_status_init_fail;
  if (iv == NULL)
    return srtp_err_status_bad_param;

  for (i = 0; i < SEC_AES_BLOCK_LEN; i++)
    counter[i] = icm->salt[i] ^ iv[i];
  /* Keeps the key schedule; resets the counter and any partial block. */
  if (EVP_EncryptInit_ex (icm->ctx, NULL, NULL, NULL, counter) != 1) {
    ERR_clear_error ();
    return srtp_err_status_cipher_fail;
  }
  first_block = ((guint) counter[14] << 8) | counter[15];
  icm->keystream_left =
      (guint64) (SEC_AES_ICM_MAX_BLOCKS - first_block) * SEC_AES_BLOCK_LEN;
  return srtp_err_status_ok;
}

/* XORs the next *octets of keystream into buffer: successive calls after
 * one set_iv continue the same keystream, across partial blocks. */
static srtp_err_status_t
sec_aes_icm_encrypt (void *state, uint8_t * buffer, unsigned int *octets)
{
  SecAesIcm *icm = state;
  int out_len;

  if (octets == NULL)
    return srtp_err_status_bad_param;
  if (*octets == 0)
    return srtp_err_status_ok;
  if (buffer == NULL)
    return srtp_err_status_bad_param;
  /* also keeps the length within an int: at most 2^20 octets */
  if (*octets > icm->keystream_left)
    return srtp_err_status_terminus;

  if (EVP_EncryptUpdate (icm->ctx, buffer, &out_len, buffer,
          (int) *octets) != 1 || out_len != (int) *octets) {
    ERR_clear_error ();
    return srtp_err_status_cipher_fail;
  }
  icm->keystream_left -= *octets;
  return srtp_err_status_ok;
}

/* ------------------------------------------------------------------ */
/* AES-GCM: RFC 7714                                                   */
/* ------------------------------------------------------------------ */

typedef struct
{
  EVP_CIPHER_CTX *ctx;          /* AES-GCM, keyed by init */
  const EVP_CIPHER *evp;
  guint tag_len;                /* 8 or 16 octets */
  gboolean keyed;
  /* set_iv was called and the packet is not finished yet */
  gboolean have_iv;
  srtp_cipher_direction_t direction;
} SecAesGcm;

typedef struct
{
  srtp_cipher_t cipher;         /* first: libsrtp2 holds a pointer to it */
  SecAesGcm gcm;
} SecAesGcmCipher;

static const srtp_cipher_type_t sec_aes_gcm_128_type;
static const srtp_cipher_type_t sec_aes_gcm_256_type;

static srtp_err_status_t
sec_aes_gcm_alloc (srtp_cipher_t ** cipher, int key_len, int tag_len,
    const srtp_cipher_type_t * type, const EVP_CIPHER * evp, gsize key_size)
{
  SecAesGcmCipher *self;

  /* RFC 7714 §14.2 profiles use 16-octet tags; libsrtp2 also offers 8 */
  if (cipher == NULL || key_len < 0
      || (gsize) key_len != key_size + SRTP_AEAD_SALT_LEN
      || (tag_len != 16 && tag_len != 8))
    return srtp_err_status_bad_param;
  if (evp == NULL)
    return srtp_err_status_init_fail;

  self = g_try_new0 (SecAesGcmCipher, 1);
  if (self == NULL)
    return srtp_err_status_alloc_fail;
  self->gcm.ctx = EVP_CIPHER_CTX_new ();
  if (self->gcm.ctx == NULL) {
    g_free (self);
    return srtp_err_status_alloc_fail;
  }
  self->gcm.evp = evp;
  self->gcm.tag_len = tag_len;

  self->cipher.type = type;
  self->cipher.state = &self->gcm;
  self->cipher.key_len = key_len;
  self->cipher.algorithm = type->id;
  *cipher = &self->cipher;
  return srtp_err_status_ok;
}

static srtp_err_status_t
sec_aes_gcm_128_alloc (srtp_cipher_t ** cipher, int key_len, int tag_len)
{
  return sec_aes_gcm_alloc (cipher, key_len, tag_len, &sec_aes_gcm_128_type,
      sec_crypto_algorithms ()->aes_128_gcm, SRTP_AES_128_KEY_LEN);
}

static srtp_err_status_t
sec_aes_gcm_256_alloc (srtp_cipher_t ** cipher, int key_len, int tag_len)
{
  return sec_aes_gcm_alloc (cipher, key_len, tag_len, &sec_aes_gcm_256_type,
      sec_crypto_algorithms ()->aes_256_gcm, SRTP_AES_256_KEY_LEN);
}

static srtp_err_status_t
sec_aes_gcm_dealloc (srtp_cipher_t * cipher)
{
  SecAesGcmCipher *self = (SecAesGcmCipher *) cipher;

  if (self == NULL)
    return srtp_err_status_bad_param;
  EVP_CIPHER_CTX_free (self->gcm.ctx);
  OPENSSL_cleanse (self, sizeof (*self));
  g_free (self);
  return srtp_err_status_ok;
}

/* RFC 7714 §8.1, §9.1: the AES key is the session key alone; srtp.c keeps
 * the 96-bit session salt and folds it into every IV itself. */
static srtp_err_status_t
sec_aes_gcm_init (void *state, const uint8_t * key)
{
  SecAesGcm *gcm = state;

  if (key == NULL)
    return srtp_err_status_bad_param;
  gcm->have_iv = FALSE;
  if (EVP_CipherInit_ex (gcm->ctx, gcm->keyed ? NULL : gcm->evp, NULL, key,
          NULL, 1) != 1) {
    ERR_clear_error ();
    return srtp_err_status_init_fail;
  }
  gcm->keyed = TRUE;
  return srtp_err_status_ok;
}

/* RFC 7714 §8.1 (SRTP) and §9.1 (SRTCP): the 12-octet IV, already salted. */
static srtp_err_status_t
sec_aes_gcm_set_iv (void *state, uint8_t * iv,
    srtp_cipher_direction_t direction)
{
  SecAesGcm *gcm = state;

  gcm->have_iv = FALSE;
  if (!gcm->keyed)
    return srtp_err_status_init_fail;
  if (iv == NULL || (direction != srtp_direction_encrypt
          && direction != srtp_direction_decrypt))
    return srtp_err_status_bad_param;
  /* Keeps the key schedule and hash key; starts a new message. */
  if (EVP_CipherInit_ex (gcm->ctx, NULL, NULL, NULL, iv,
          direction == srtp_direction_encrypt) != 1) {
    ERR_clear_error ();
    return srtp_err_status_cipher_fail;
  }
  gcm->direction = direction;
  gcm->have_iv = TRUE;
  return srtp_err_status_ok;
}

/* RFC 7714 §8.2 and §9.2: may be called several times before the data;
 * the pieces are authenticated as one concatenated AAD. */
static srtp_err_status_t
sec_aes_gcm_set_aad (void *state, const uint8_t * aad, uint32_t aad_len)
{
  SecAesGcm *gcm = state;
  int out_len;

  if (!gcm->have_iv)
    return srtp_err_status_bad_param;
  if (aad_len == 0)
    return srtp_err_status_ok;
  if (aad == NULL || aad_len > INT_MAX)
    return srtp_err_status_bad_param;
  if (EVP_CipherUpdate (gcm->ctx, NULL, &out_len, aad, (int) aad_len) != 1) {
    ERR_clear_error ();
    return srtp_err_status_cipher_fail;
  }
  return srtp_err_status_ok;
}

/* Encrypts in place; the tag comes from get_tag. */
static srtp_err_status_t
sec_aes_gcm_encrypt (void *state, uint8_t * buffer, unsigned int *octets)
{
  SecAesGcm *gcm = state;
  int out_len;

  if (octets == NULL || !gcm->have_iv
      || gcm->direction != srtp_direction_encrypt)
    return srtp_err_status_bad_param;
  if (*octets == 0)
    return srtp_err_status_ok;
  if (buffer == NULL || *octets > INT_MAX)
    return srtp_err_status_bad_param;
  if (EVP_CipherUpdate (gcm->ctx, buffer, &out_len, buffer,
          (int) *octets) != 1 || out_len != (int) *octets) {
    ERR_clear_error ();
    return srtp_err_status_cipher_fail;
  }
  return srtp_err_status_ok;
}

/* Finishes the message and writes the leftmost tag_len octets of the GCM
 * tag (RFC 7714 §8.2); a new set_iv is needed for the next packet. */
static srtp_err_status_t
sec_aes_gcm_get_tag (void *state, uint8_t * tag, uint32_t * len)
{
  SecAesGcm *gcm = state;
  guint8 no_output[SEC_AES_BLOCK_LEN];
  OSSL_PARAM params[2];
  int out_len;

  if (tag == NULL || len == NULL || !gcm->have_iv
      || gcm->direction != srtp_direction_encrypt)
    return srtp_err_status_bad_param;
  gcm->have_iv = FALSE;
  /* the OSSL_PARAM call is cheaper than EVP_CIPHER_CTX_ctrl () on 3.0 */
  params[0] = OSSL_PARAM_construct_octet_string (OSSL_CIPHER_PARAM_AEAD_TAG,
      tag, gcm->tag_len);
  params[1] = OSSL_PARAM_construct_end ();
  if (EVP_CipherFinal_ex (gcm->ctx, no_output, &out_len) != 1
      || EVP_CIPHER_CTX_get_params (gcm->ctx, params) != 1) {
    ERR_clear_error ();
    return srtp_err_status_cipher_fail;
  }
  *len = gcm->tag_len;
  return srtp_err_status_ok;
}

/* buffer holds ciphertext || tag and *octets counts both. On success the
 * plaintext replaces the ciphertext and *octets loses the tag. A wrong tag
 * gives srtp_err_status_auth_fail and a zeroed payload: no unauthenticated
 * plaintext is released (RFC 5116 §2.2). */
static srtp_err_status_t
sec_aes_gcm_decrypt (void *state, uint8_t * buffer, unsigned int *octets)
{
  SecAesGcm *gcm = state;
  guint8 no_output[SEC_AES_BLOCK_LEN];
  OSSL_PARAM params[2];
  unsigned int ciphertext_len;
  int out_len;

  if (buffer == NULL || octets == NULL || !gcm->have_iv
      || gcm->direction != srtp_direction_decrypt)
    return srtp_err_status_bad_param;
  if (*octets < gcm->tag_len || *octets > INT_MAX)
    return srtp_err_status_bad_param;
  gcm->have_iv = FALSE;
  ciphertext_len = *octets - gcm->tag_len;

  params[0] = OSSL_PARAM_construct_octet_string (OSSL_CIPHER_PARAM_AEAD_TAG,
      buffer + ciphertext_len, gcm->tag_len);
  params[1] = OSSL_PARAM_construct_end ();
  if (EVP_CIPHER_CTX_set_params (gcm->ctx, params) != 1)
    goto cipher_fail;
  if (ciphertext_len > 0 && (EVP_CipherUpdate (gcm->ctx, buffer, &out_len,
              buffer, (int) ciphertext_len) != 1
          || out_len != (int) ciphertext_len))
    goto cipher_fail;
  if (EVP_CipherFinal_ex (gcm->ctx, no_output, &out_len) != 1) {
    ERR_clear_error ();
    memset (buffer, 0, ciphertext_len);
    return srtp_err_status_auth_fail;
  }
  *octets = ciphertext_len;
  return srtp_err_status_ok;

cipher_fail:
  ERR_clear_error ();
  memset (buffer, 0, ciphertext_len);
  return srtp_err_status_cipher_fail;
}

/* ------------------------------------------------------------------ */
/* HMAC-SHA1: RFC 3711 §4.2.1, RFC 2104                                */
/* ------------------------------------------------------------------ */

/* HMAC (K, m) = H ((K' XOR opad) || H ((K' XOR ipad) || m)), RFC 2104 §2.
 * init hashes the two pad blocks once and keeps the SHA-1 states; start
 * copies the inner one, compute finishes it and runs the outer one from
 * its copy, so a packet costs its own blocks plus two.
 *
 * Measured on the development host (AMD EPYC Zen 4 with SHA-NI, OpenSSL
 * 3.0.22), start + update + compute of a 4-octet ROC, best of 7 runs of
 * 100000, ns per MAC for 1200 / 160 octets of packet:
 *   kept inner/outer EVP_MD_CTX, EVP_MD_CTX_copy_ex () (this)   753 / 219
 *   re-init + pad block for the inner hash, copy for the outer  793 / 272
 *   re-init + pad block for both                                882 / 308
 *   EVP_MAC "HMAC", EVP_MAC_init (key NULL) per packet          798 / 260
 *   EVP_MAC_CTX_dup () of a keyed template per packet          1069 / 531
 * SHA-1 itself (SHA-NI, ~1.4 cycles/octet) is most of it: plain SHA-1 of
 * 1200 octets takes ~680 ns. None of these uses an API deprecated in
 * OpenSSL 3. */
typedef struct
{
  EVP_MD_CTX *inner;            /* SHA-1 after the (K' XOR ipad) block */
  EVP_MD_CTX *outer;            /* SHA-1 after the (K' XOR opad) block */
  EVP_MD_CTX *running;          /* the MAC being computed */
  gboolean keyed;
  gboolean started;             /* start ran and compute did not yet */
} SecHmacSha1;

typedef struct
{
  srtp_auth_t auth;             /* first: libsrtp2 holds a pointer to it */
  SecHmacSha1 hmac;
} SecHmacSha1Auth;

static const srtp_auth_type_t sec_hmac_sha1_type;

static srtp_err_status_t
sec_hmac_sha1_dealloc (srtp_auth_t * auth)
{
  SecHmacSha1Auth *self = (SecHmacSha1Auth *) auth;

  if (self == NULL)
    return srtp_err_status_bad_param;
  EVP_MD_CTX_free (self->hmac.inner);
  EVP_MD_CTX_free (self->hmac.outer);
  EVP_MD_CTX_free (self->hmac.running);
  OPENSSL_cleanse (self, sizeof (*self));
  g_free (self);
  return srtp_err_status_ok;
}

/* out_len is the tag length, at most the 20 octets of SHA-1. */
static srtp_err_status_t
sec_hmac_sha1_alloc (srtp_auth_t ** auth, int key_len, int out_len)
{
  SecHmacSha1Auth *self;

  if (auth == NULL || key_len < 0 || key_len > SEC_HMAC_MAX_KEY_LEN
      || out_len < 0 || out_len > SEC_SHA1_DIGEST_LEN)
    return srtp_err_status_bad_param;
  if (sec_crypto_algorithms ()->sha1 == NULL)
    return srtp_err_status_init_fail;

  self = g_try_new0 (SecHmacSha1Auth, 1);
  if (self == NULL)
    return srtp_err_status_alloc_fail;
  self->hmac.inner = EVP_MD_CTX_new ();
  self->hmac.outer = EVP_MD_CTX_new ();
  self->hmac.running = EVP_MD_CTX_new ();
  self->auth.type = &sec_hmac_sha1_type;
  self->auth.state = &self->hmac;
  self->auth.out_len = out_len;
  self->auth.key_len = key_len;
  self->auth.prefix_len = 0;
  if (self->hmac.inner == NULL || self->hmac.outer == NULL
      || self->hmac.running == NULL) {
    sec_hmac_sha1_dealloc (&self->auth);
    return srtp_err_status_alloc_fail;
  }
  *auth = &self->auth;
  return srtp_err_status_ok;
}

static srtp_err_status_t
sec_hmac_sha1_start (void *state)
{
  SecHmacSha1 *hmac = state;

  hmac->started = FALSE;
  if (!hmac->keyed)
    return srtp_err_status_init_fail;
  if (EVP_MD_CTX_copy_ex (hmac->running, hmac->inner) != 1) {
    ERR_clear_error ();
    return srtp_err_status_auth_fail;
  }
  hmac->started = TRUE;
  return srtp_err_status_ok;
}

static srtp_err_status_t
sec_hmac_sha1_init (void *state, const uint8_t * key, int key_len)
{
  SecHmacSha1 *hmac = state;
  const EVP_MD *sha1 = sec_crypto_algorithms ()->sha1;
  guint8 block[SEC_SHA1_BLOCK_LEN] = { 0, };
  guint8 pad[SEC_SHA1_BLOCK_LEN];
  srtp_err_status_t status = srtp_err_status_init_fail;
  guint i;

  if (key_len < 0 || key_len > SEC_HMAC_MAX_KEY_LEN
      || (key == NULL && key_len > 0))
    return srtp_err_status_bad_param;
  hmac->keyed = FALSE;
  hmac->started = FALSE;

  /* RFC 2104 §2: a key longer than the block is hashed first; K' is the
   * key zero-padded to the block size. */
  if (key_len > SEC_SHA1_BLOCK_LEN) {
    if (EVP_Digest (key, key_len, block, NULL, sha1, NULL) != 1)
      goto out;
  } else if (key_len > 0) {
    memcpy (block, key, key_len);
  }

  for (i = 0; i < SEC_SHA1_BLOCK_LEN; i++)
    pad[i] = block[i] ^ 0x36;
  if (EVP_DigestInit_ex (hmac->inner, sha1, NULL) != 1
      || EVP_DigestUpdate (hmac->inner, pad, sizeof (pad)) != 1)
    goto out;
  for (i = 0; i < SEC_SHA1_BLOCK_LEN; i++)
    pad[i] = block[i] ^ 0x5c;
  if (EVP_DigestInit_ex (hmac->outer, sha1, NULL) != 1
      || EVP_DigestUpdate (hmac->outer, pad, sizeof (pad)) != 1)
    goto out;

  hmac->keyed = TRUE;
  status = sec_hmac_sha1_start (hmac);

out:
  OPENSSL_cleanse (block, sizeof (block));
  OPENSSL_cleanse (pad, sizeof (pad));
  if (status != srtp_err_status_ok)
    ERR_clear_error ();
  return status;
}

static srtp_err_status_t
sec_hmac_sha1_update (void *state, const uint8_t * buffer, int octets)
{
  SecHmacSha1 *hmac = state;

  if (!hmac->started || octets < 0 || (buffer == NULL && octets > 0))
    return srtp_err_status_bad_param;
  if (octets > 0 && EVP_DigestUpdate (hmac->running, buffer, octets) != 1) {
    ERR_clear_error ();
    return srtp_err_status_auth_fail;
  }
  return srtp_err_status_ok;
}

/* Adds the last octets and writes the leftmost tag_len octets of the MAC
 * (RFC 3711 §4.2.1); the next packet begins with start. */
static srtp_err_status_t
sec_hmac_sha1_compute (void *state, const uint8_t * buffer, int octets,
    int tag_len, uint8_t * result)
{
  SecHmacSha1 *hmac = state;
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len;

  if (!hmac->started || octets < 0 || (buffer == NULL && octets > 0)
      || tag_len < 0 || tag_len > SEC_SHA1_DIGEST_LEN
      || (result == NULL && tag_len > 0))
    return srtp_err_status_bad_param;
  hmac->started = FALSE;

  if ((octets > 0 && EVP_DigestUpdate (hmac->running, buffer, octets) != 1)
      || EVP_DigestFinal_ex (hmac->running, digest, &digest_len) != 1
      || EVP_MD_CTX_copy_ex (hmac->running, hmac->outer) != 1
      || EVP_DigestUpdate (hmac->running, digest, digest_len) != 1
      || EVP_DigestFinal_ex (hmac->running, digest, &digest_len) != 1) {
    ERR_clear_error ();
    return srtp_err_status_auth_fail;
  }
  memcpy (result, digest, tag_len);
  return srtp_err_status_ok;
}

/* ------------------------------------------------------------------ */
/* Known-answer vectors                                                */
/* ------------------------------------------------------------------ */

/* RFC 3711 Appendix B.2: session key || session salt, and the keystream
 * at counters F0F1..FCFD0000 to ..0002 and ..FEFF to ..FF01. */
static const guint8 rfc3711_b2_key[30] = {
  0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88,
  0x09, 0xcf, 0x4f, 0x3c, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
  0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd,
};
static const guint8 rfc3711_b2_keystream_0000[48] = {
  0xe0, 0x3e, 0xad, 0x09, 0x35, 0xc9, 0x5e, 0x80, 0xe1, 0x66, 0xb1, 0x6d,
  0xd9, 0x2b, 0x4e, 0xb4, 0xd2, 0x35, 0x13, 0x16, 0x2b, 0x02, 0xd0, 0xf7,
  0x2a, 0x43, 0xa2, 0xfe, 0x4a, 0x5f, 0x97, 0xab, 0x41, 0xe9, 0x5b, 0x3b,
  0xb0, 0xa2, 0xe8, 0xdd, 0x47, 0x79, 0x01, 0xe4, 0xfc, 0xa8, 0x94, 0xc0,
};
static const guint8 rfc3711_b2_keystream_feff[48] = {
  0xec, 0x8c, 0xdf, 0x73, 0x98, 0x60, 0x7c, 0xb0, 0xf2, 0xd2, 0x16, 0x75,
  0xea, 0x9e, 0xa1, 0xe4, 0x36, 0x2b, 0x7c, 0x3c, 0x67, 0x73, 0x51, 0x63,
  0x18, 0xa0, 0x77, 0xd7, 0xfc, 0x50, 0x73, 0xae, 0x6a, 0x2c, 0xc3, 0x78,
  0x78, 0x89, 0x37, 0x4f, 0xbe, 0xb4, 0xc8, 0x1b, 0x17, 0xba, 0x6c, 0x44,
};
/* RFC 6188 §7.1: the same for AES-256-CM. */
static const guint8 rfc6188_key[46] = {
  0x57, 0xf8, 0x2f, 0xe3, 0x61, 0x3f, 0xd1, 0x70, 0xa8, 0x5e, 0xc9, 0x3c,
  0x40, 0xb1, 0xf0, 0x92, 0x2e, 0xc4, 0xcb, 0x0d, 0xc0, 0x25, 0xb5, 0x82,
  0x72, 0x14, 0x7c, 0xc4, 0x38, 0x94, 0x4a, 0x98, 0xf0, 0xf1, 0xf2, 0xf3,
  0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd,
};
static const guint8 rfc6188_keystream_0000[48] = {
  0x92, 0xbd, 0xd2, 0x8a, 0x93, 0xc3, 0xf5, 0x25, 0x11, 0xc6, 0x77, 0xd0,
  0x8b, 0x55, 0x15, 0xa4, 0x9d, 0xa7, 0x1b, 0x23, 0x78, 0xa8, 0x54, 0xf6,
  0x70, 0x50, 0x75, 0x6d, 0xed, 0x16, 0x5b, 0xac, 0x63, 0xc4, 0x86, 0x8b,
  0x70, 0x96, 0xd8, 0x84, 0x21, 0xb5, 0x63, 0xb8, 0xc9, 0x4c, 0x9a, 0x31,
};
static const guint8 rfc6188_keystream_feff[48] = {
  0xce, 0xa5, 0x18, 0xc9, 0x0f, 0xd9, 0x1c, 0xed, 0x9c, 0xbb, 0x18, 0xc0,
  0x78, 0xa5, 0x47, 0x11, 0x3d, 0xbc, 0x48, 0x14, 0xf4, 0xda, 0x5f, 0x00,
  0xa0, 0x87, 0x72, 0xb6, 0x3c, 0x6a, 0x04, 0x6d, 0x6e, 0xb2, 0x46, 0x91,
  0x30, 0x62, 0xa1, 0x68, 0x91, 0x43, 0x3e, 0x97, 0xdd, 0x01, 0xa5, 0x7f,
};
/* RFC 7714 §16 and §17: AEAD_AES_128_GCM and AEAD_AES_256_GCM on an RTP
 * and an RTCP packet, given session key and salt. */
/* session key || session salt ("Quid pro quo") */
static const guint8 rfc7714_128_key[28] = {
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
  0x0c, 0x0d, 0x0e, 0x0f, 0x51, 0x75, 0x69, 0x64, 0x20, 0x70, 0x72, 0x6f,
  0x20, 0x71, 0x75, 0x6f,
};
static const guint8 rfc7714_256_key[44] = {
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
  0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
  0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x51, 0x75, 0x69, 0x64,
  0x20, 0x70, 0x72, 0x6f, 0x20, 0x71, 0x75, 0x6f,
};
/* §16: the salted IV, the RTP header as AAD and the payload */
static guint8 rfc7714_rtp_iv[12] = {
  0x51, 0x75, 0x3c, 0x65, 0x80, 0xc2, 0x72, 0x6f, 0x20, 0x71, 0x84, 0x14,
};
static const guint8 rfc7714_rtp_aad[12] = {
  0x80, 0x40, 0xf1, 0x7b, 0x80, 0x41, 0xf8, 0xd3, 0x55, 0x01, 0xa0, 0xb2,
};
static const guint8 rfc7714_rtp_plaintext[38] = {
  0x47, 0x61, 0x6c, 0x6c, 0x69, 0x61, 0x20, 0x65, 0x73, 0x74, 0x20, 0x6f,
  0x6d, 0x6e, 0x69, 0x73, 0x20, 0x64, 0x69, 0x76, 0x69, 0x73, 0x61, 0x20,
  0x69, 0x6e, 0x20, 0x70, 0x61, 0x72, 0x74, 0x65, 0x73, 0x20, 0x74, 0x72,
  0x65, 0x73,
};
/* §16.1.1 and §16.2.1: ciphertext || 16-octet tag */
static const guint8 rfc7714_16_1_1_sealed[54] = {
  0xf2, 0x4d, 0xe3, 0xa3, 0xfb, 0x34, 0xde, 0x6c, 0xac, 0xba, 0x86, 0x1c,
  0x9d, 0x7e, 0x4b, 0xca, 0xbe, 0x63, 0x3b, 0xd5, 0x0d, 0x29, 0x4e, 0x6f,
  0x42, 0xa5, 0xf4, 0x7a, 0x51, 0xc7, 0xd1, 0x9b, 0x36, 0xde, 0x3a, 0xdf,
  0x88, 0x33, 0x89, 0x9d, 0x7f, 0x27, 0xbe, 0xb1, 0x6a, 0x91, 0x52, 0xcf,
  0x76, 0x5e, 0xe4, 0x39, 0x0c, 0xce,
};
static const guint8 rfc7714_16_2_1_sealed[54] = {
  0x32, 0xb1, 0xde, 0x78, 0xa8, 0x22, 0xfe, 0x12, 0xef, 0x9f, 0x78, 0xfa,
  0x33, 0x2e, 0x33, 0xaa, 0xb1, 0x80, 0x12, 0x38, 0x9a, 0x58, 0xe2, 0xf3,
  0xb5, 0x0b, 0x2a, 0x02, 0x76, 0xff, 0xae, 0x0f, 0x1b, 0xa6, 0x37, 0x99,
  0xb8, 0x7b, 0x7a, 0xa3, 0xdb, 0x36, 0xdf, 0xff, 0xd6, 0xb0, 0xf9, 0xbb,
  0x78, 0x78, 0xd7, 0xa7, 0x6c, 0x13,
};
/* §17: the SRTCP IV (index 0x5d4); the AAD is the first 8 octets of the
 * packet then the E flag and index; the rest of the packet */
static guint8 rfc7714_rtcp_iv[12] = {
  0x51, 0x75, 0x24, 0x05, 0x52, 0x03, 0x72, 0x6f, 0x20, 0x71, 0x70, 0xbb,
};
static const guint8 rfc7714_rtcp_aad[12] = {
  0x81, 0xc8, 0x00, 0x0d, 0x4d, 0x61, 0x72, 0x73, 0x80, 0x00, 0x05, 0xd4,
};
static const guint8 rfc7714_rtcp_plaintext[44] = {
  0x4e, 0x54, 0x50, 0x31, 0x4e, 0x54, 0x50, 0x32, 0x52, 0x54, 0x50, 0x20,
  0x00, 0x00, 0x04, 0x2a, 0x00, 0x00, 0xe9, 0x30, 0x4c, 0x75, 0x6e, 0x61,
  0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
  0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
};
/* §17.1 and §17.2: ciphertext || 16-octet tag */
static const guint8 rfc7714_17_1_sealed[60] = {
  0x63, 0xe9, 0x48, 0x85, 0xdc, 0xda, 0xb6, 0x7c, 0xa7, 0x27, 0xd7, 0x66,
  0x2f, 0x6b, 0x7e, 0x99, 0x7f, 0xf5, 0xc0, 0xf7, 0x6c, 0x06, 0xf3, 0x2d,
  0xc6, 0x76, 0xa5, 0xf1, 0x73, 0x0d, 0x6f, 0xda, 0x4c, 0xe0, 0x9b, 0x46,
  0x86, 0x30, 0x3d, 0xed, 0x0b, 0xb9, 0x27, 0x5b, 0xc8, 0x4a, 0xa4, 0x58,
  0x96, 0xcf, 0x4d, 0x2f, 0xc5, 0xab, 0xf8, 0x72, 0x45, 0xd9, 0xea, 0xde,
};
static const guint8 rfc7714_17_2_sealed[60] = {
  0xd5, 0x0a, 0xe4, 0xd1, 0xf5, 0xce, 0x5d, 0x30, 0x4b, 0xa2, 0x97, 0xe4,
  0x7d, 0x47, 0x0c, 0x28, 0x2c, 0x3e, 0xce, 0x5d, 0xbf, 0xfe, 0x0a, 0x50,
  0xa2, 0xea, 0xa5, 0xc1, 0x11, 0x05, 0x55, 0xbe, 0x84, 0x15, 0xf6, 0x58,
  0xc6, 0x1d, 0xe0, 0x47, 0x6f, 0x1b, 0x6f, 0xad, 0x1d, 0x1e, 0xb3, 0x0c,
  0x44, 0x46, 0x83, 0x9f, 0x57, 0xff, 0x6f, 0x6c, 0xb2, 0x6a, 0xc3, 0xbe,
};
/* §17.3: unencrypted SRTCP, E flag clear: the whole packet and the index
 * are AAD, nothing is encrypted and the output is the tag alone */
static const guint8 rfc7714_17_3_aad[56] = {
  0x81, 0xc8, 0x00, 0x0d, 0x4d, 0x61, 0x72, 0x73, 0x4e, 0x54, 0x50, 0x31,
  0x4e, 0x54, 0x50, 0x32, 0x52, 0x54, 0x50, 0x20, 0x00, 0x00, 0x04, 0x2a,
  0x00, 0x00, 0xe9, 0x30, 0x4c, 0x75, 0x6e, 0x61, 0xde, 0xad, 0xbe, 0xef,
  0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
  0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x05, 0xd4,
};
static const guint8 rfc7714_17_3_tag[16] = {
  0x84, 0x1d, 0xd9, 0x68, 0x3d, 0xd7, 0x8e, 0xc9, 0x2a, 0xe5, 0x87, 0x90,
  0x12, 0x5f, 0x62, 0xb3,
};
/* RFC 2202 §3: HMAC-SHA1 test cases 1 to 7. */
static const guint8 rfc2202_key_0b[20] = {
  0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
  0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
};
static const guint8 rfc2202_key_0c[20] = {
  0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c,
  0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c,
};
static const guint8 rfc2202_key_aa[80] = {
  0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
  0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
  0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
  0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
  0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
  0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
  0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
};
static const guint8 rfc2202_key_4[25] = {
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
  0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
  0x19,
};
static const guint8 rfc2202_data_dd[50] = {
  0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,
  0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,
  0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,
  0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,
  0xdd, 0xdd,
};
static const guint8 rfc2202_data_cd[50] = {
  0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd,
  0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd,
  0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd,
  0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd, 0xcd,
  0xcd, 0xcd,
};
static const guint8 rfc2202_digest_1[20] = {
  0xb6, 0x17, 0x31, 0x86, 0x55, 0x05, 0x72, 0x64, 0xe2, 0x8b, 0xc0, 0xb6,
  0xfb, 0x37, 0x8c, 0x8e, 0xf1, 0x46, 0xbe, 0x00,
};
static const guint8 rfc2202_digest_2[20] = {
  0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2, 0xd2, 0x74, 0x16, 0xd5,
  0xf1, 0x84, 0xdf, 0x9c, 0x25, 0x9a, 0x7c, 0x79,
};
static const guint8 rfc2202_digest_3[20] = {
  0x12, 0x5d, 0x73, 0x42, 0xb9, 0xac, 0x11, 0xcd, 0x91, 0xa3, 0x9a, 0xf4,
  0x8a, 0xa1, 0x7b, 0x4f, 0x63, 0xf1, 0x75, 0xd3,
};
static const guint8 rfc2202_digest_4[20] = {
  0x4c, 0x90, 0x07, 0xf4, 0x02, 0x62, 0x50, 0xc6, 0xbc, 0x84, 0x14, 0xf9,
  0xbf, 0x50, 0xc8, 0x6c, 0x2d, 0x72, 0x35, 0xda,
};
static const guint8 rfc2202_digest_5[20] = {
  0x4c, 0x1a, 0x03, 0x42, 0x4b, 0x55, 0xe0, 0x7f, 0xe7, 0xf2, 0x7b, 0xe1,
  0xd5, 0x8b, 0xb9, 0x32, 0x4a, 0x9a, 0x5a, 0x04,
};
static const guint8 rfc2202_digest_6[20] = {
  0xaa, 0x4a, 0xe5, 0xe1, 0x52, 0x72, 0xd0, 0x0e, 0x95, 0x70, 0x56, 0x37,
  0xce, 0x8a, 0x3b, 0x55, 0xed, 0x40, 0x21, 0x12,
};
static const guint8 rfc2202_digest_7[20] = {
  0xe8, 0xe9, 0x9d, 0x0f, 0x45, 0x23, 0x7d, 0x78, 0x6d, 0x6b, 0xba, 0xa7,
  0x96, 0x5c, 0x78, 0x08, 0xbb, 0xff, 0x1a, 0x91,
};
/* counter blocks are salt XOR IV, so these IVs select the blocks above */
static guint8 icm_iv_0000[SEC_AES_ICM_IV_LEN];
static guint8 icm_iv_feff[SEC_AES_ICM_IV_LEN] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0xff
};

static const guint8 zeros[48];

/* In libsrtp2's form, as test_data of our types: srtp_replace_*_type ()
 * runs them, and libsrtp2's random round trips use the first one. */
static const srtp_cipher_test_case_t rfc3711_b2_case_feff = {
  sizeof (rfc3711_b2_key), rfc3711_b2_key, icm_iv_feff,
  sizeof (zeros), zeros, sizeof (rfc3711_b2_keystream_feff),
  rfc3711_b2_keystream_feff, 0, NULL, 0, NULL
};

static const srtp_cipher_test_case_t rfc3711_b2_case_0000 = {
  sizeof (rfc3711_b2_key), rfc3711_b2_key, icm_iv_0000,
  sizeof (zeros), zeros, sizeof (rfc3711_b2_keystream_0000),
  rfc3711_b2_keystream_0000, 0, NULL, 0, &rfc3711_b2_case_feff
};

static const srtp_cipher_test_case_t rfc6188_case_feff = {
  sizeof (rfc6188_key), rfc6188_key, icm_iv_feff,
  sizeof (zeros), zeros, sizeof (rfc6188_keystream_feff),
  rfc6188_keystream_feff, 0, NULL, 0, NULL
};

static const srtp_cipher_test_case_t rfc6188_case_0000 = {
  sizeof (rfc6188_key), rfc6188_key, icm_iv_0000,
  sizeof (zeros), zeros, sizeof (rfc6188_keystream_0000),
  rfc6188_keystream_0000, 0, NULL, 0, &rfc6188_case_feff
};

/* An 8-octet tag (libsrtp2's *_8_auth policies) is the leftmost half of
 * the 16-octet one, so its sealed packet is a prefix of the 16-octet one. */
#define RFC7714_CASE(key, iv, plaintext, plaintext_len, sealed, aad, tag_len, \
    next) \
  { sizeof (key), key, iv, plaintext_len, plaintext, plaintext_len + tag_len, \
    sealed, sizeof (aad), aad, tag_len, next }

static const srtp_cipher_test_case_t rfc7714_17_3_case =
RFC7714_CASE (rfc7714_128_key, rfc7714_rtcp_iv, zeros, 0, rfc7714_17_3_tag,
    rfc7714_17_3_aad, 16, NULL);
static const srtp_cipher_test_case_t rfc7714_17_1_case =
RFC7714_CASE (rfc7714_128_key, rfc7714_rtcp_iv, rfc7714_rtcp_plaintext,
    sizeof (rfc7714_rtcp_plaintext), rfc7714_17_1_sealed, rfc7714_rtcp_aad,
    16, &rfc7714_17_3_case);
static const srtp_cipher_test_case_t rfc7714_16_1_1_case_tag8 =
RFC7714_CASE (rfc7714_128_key, rfc7714_rtp_iv, rfc7714_rtp_plaintext,
    sizeof (rfc7714_rtp_plaintext), rfc7714_16_1_1_sealed, rfc7714_rtp_aad,
    8, &rfc7714_17_1_case);
static const srtp_cipher_test_case_t rfc7714_16_1_1_case =
RFC7714_CASE (rfc7714_128_key, rfc7714_rtp_iv, rfc7714_rtp_plaintext,
    sizeof (rfc7714_rtp_plaintext), rfc7714_16_1_1_sealed, rfc7714_rtp_aad,
    16, &rfc7714_16_1_1_case_tag8);

static const srtp_cipher_test_case_t rfc7714_17_2_case =
RFC7714_CASE (rfc7714_256_key, rfc7714_rtcp_iv, rfc7714_rtcp_plaintext,
    sizeof (rfc7714_rtcp_plaintext), rfc7714_17_2_sealed, rfc7714_rtcp_aad,
    16, NULL);
static const srtp_cipher_test_case_t rfc7714_16_2_1_case_tag8 =
RFC7714_CASE (rfc7714_256_key, rfc7714_rtp_iv, rfc7714_rtp_plaintext,
    sizeof (rfc7714_rtp_plaintext), rfc7714_16_2_1_sealed, rfc7714_rtp_aad,
    8, &rfc7714_17_2_case);
static const srtp_cipher_test_case_t rfc7714_16_2_1_case =
RFC7714_CASE (rfc7714_256_key, rfc7714_rtp_iv, rfc7714_rtp_plaintext,
    sizeof (rfc7714_rtp_plaintext), rfc7714_16_2_1_sealed, rfc7714_rtp_aad,
    16, &rfc7714_16_2_1_case_tag8);

#define RFC2202_CASE(key, key_len, data, data_len, digest, next) \
  { key_len, key, data_len, data, SEC_SHA1_DIGEST_LEN, digest, next }

static const srtp_auth_test_case_t rfc2202_case_7 =
RFC2202_CASE (rfc2202_key_aa, 80, (const guint8 *)
    "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
    73, rfc2202_digest_7, NULL);
static const srtp_auth_test_case_t rfc2202_case_6 =
RFC2202_CASE (rfc2202_key_aa, 80, (const guint8 *)
    "Test Using Larger Than Block-Size Key - Hash Key First", 54,
    rfc2202_digest_6, &rfc2202_case_7);
static const srtp_auth_test_case_t rfc2202_case_5 =
RFC2202_CASE (rfc2202_key_0c, 20, (const guint8 *) "Test With Truncation",
    20, rfc2202_digest_5, &rfc2202_case_6);
static const srtp_auth_test_case_t rfc2202_case_4 =
RFC2202_CASE (rfc2202_key_4, 25, rfc2202_data_cd, 50, rfc2202_digest_4,
    &rfc2202_case_5);
static const srtp_auth_test_case_t rfc2202_case_3 =
RFC2202_CASE (rfc2202_key_aa, 20, rfc2202_data_dd, 50, rfc2202_digest_3,
    &rfc2202_case_4);
static const srtp_auth_test_case_t rfc2202_case_2 =
RFC2202_CASE ((const guint8 *) "Jefe", 4, (const guint8 *)
    "what do ya want for nothing?", 28, rfc2202_digest_2, &rfc2202_case_3);
static const srtp_auth_test_case_t rfc2202_case_1 =
RFC2202_CASE (rfc2202_key_0b, 20, (const guint8 *) "Hi There", 8,
    rfc2202_digest_1, &rfc2202_case_2);

/* ------------------------------------------------------------------ */
/* The types                                                           */
/* ------------------------------------------------------------------ */

static const srtp_cipher_type_t sec_aes_icm_128_type = {
  .alloc = sec_aes_icm_128_alloc,
  .dealloc = sec_aes_icm_dealloc,
  .init = sec_aes_icm_init,
  .set_aad = NULL,
  .encrypt = sec_aes_icm_encrypt,
  .decrypt = sec_aes_icm_encrypt,
  .set_iv = sec_aes_icm_set_iv,
  .get_tag = NULL,
  .description = "AES-128 counter mode (OpenSSL EVP, secsrtp)",
  .test_data = &rfc3711_b2_case_0000,
  .id = SRTP_AES_ICM_128,
};

static const srtp_cipher_type_t sec_aes_icm_256_type = {
  .alloc = sec_aes_icm_256_alloc,
  .dealloc = sec_aes_icm_dealloc,
  .init = sec_aes_icm_init,
  .set_aad = NULL,
  .encrypt = sec_aes_icm_encrypt,
  .decrypt = sec_aes_icm_encrypt,
  .set_iv = sec_aes_icm_set_iv,
  .get_tag = NULL,
  .description = "AES-256 counter mode (OpenSSL EVP, secsrtp)",
  .test_data = &rfc6188_case_0000,
  .id = SRTP_AES_ICM_256,
};

static const srtp_cipher_type_t sec_aes_gcm_128_type = {
  .alloc = sec_aes_gcm_128_alloc,
  .dealloc = sec_aes_gcm_dealloc,
  .init = sec_aes_gcm_init,
  .set_aad = sec_aes_gcm_set_aad,
  .encrypt = sec_aes_gcm_encrypt,
  .decrypt = sec_aes_gcm_decrypt,
  .set_iv = sec_aes_gcm_set_iv,
  .get_tag = sec_aes_gcm_get_tag,
  .description = "AES-128 GCM (OpenSSL EVP, secsrtp)",
  .test_data = &rfc7714_16_1_1_case,
  .id = SRTP_AES_GCM_128,
};

static const srtp_cipher_type_t sec_aes_gcm_256_type = {
  .alloc = sec_aes_gcm_256_alloc,
  .dealloc = sec_aes_gcm_dealloc,
  .init = sec_aes_gcm_init,
  .set_aad = sec_aes_gcm_set_aad,
  .encrypt = sec_aes_gcm_encrypt,
  .decrypt = sec_aes_gcm_decrypt,
  .set_iv = sec_aes_gcm_set_iv,
  .get_tag = sec_aes_gcm_get_tag,
  .description = "AES-256 GCM (OpenSSL EVP, secsrtp)",
  .test_data = &rfc7714_16_2_1_case,
  .id = SRTP_AES_GCM_256,
};

static const srtp_auth_type_t sec_hmac_sha1_type = {
  .alloc = sec_hmac_sha1_alloc,
  .dealloc = sec_hmac_sha1_dealloc,
  .init = sec_hmac_sha1_init,
  .compute = sec_hmac_sha1_compute,
  .update = sec_hmac_sha1_update,
  .start = sec_hmac_sha1_start,
  .description = "HMAC-SHA1 (OpenSSL EVP, secsrtp)",
  .test_data = &rfc2202_case_1,
  .id = SRTP_HMAC_SHA1,
};

const srtp_cipher_type_t *
sec_srtp_crypto_get_cipher_type (srtp_cipher_type_id_t id)
{
  switch (id) {
    case SRTP_AES_ICM_128:
      return &sec_aes_icm_128_type;
    case SRTP_AES_ICM_256:
      return &sec_aes_icm_256_type;
    case SRTP_AES_GCM_128:
      return &sec_aes_gcm_128_type;
    case SRTP_AES_GCM_256:
      return &sec_aes_gcm_256_type;
    default:
      return NULL;
  }
}

const srtp_auth_type_t *
sec_srtp_crypto_get_auth_type (srtp_auth_type_id_t id)
{
  return id == SRTP_HMAC_SHA1 ? &sec_hmac_sha1_type : NULL;
}

/* ------------------------------------------------------------------ */
/* Known-answer tests, run through the types' function pointers the    */
/* way libsrtp2 calls them                                             */
/* ------------------------------------------------------------------ */

static const gchar *
sec_srtp_status_name (srtp_err_status_t status)
{
  switch (status) {
    case srtp_err_status_ok:
      return "ok";
    case srtp_err_status_bad_param:
      return "bad parameter";
    case srtp_err_status_alloc_fail:
      return "allocation failed";
    case srtp_err_status_init_fail:
      return "initialisation failed";
    case srtp_err_status_terminus:
      return "keystream exhausted";
    case srtp_err_status_auth_fail:
      return "authentication failed";
    case srtp_err_status_cipher_fail:
      return "cipher failed";
    case srtp_err_status_algo_fail:
      return "wrong result on test data";
    case srtp_err_status_no_such_op:
      return "operation missing";
    case srtp_err_status_cant_check:
      return "no test data";
    default:
      return "failed";
  }
}

static gboolean G_GNUC_PRINTF (2, 3)
sec_kat_fail (gchar ** reason, const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  *reason = g_strdup_vprintf (format, args);
  va_end (args);
  return FALSE;
}

/* RFC 3711 B.2 / RFC 6188 §7.1, with the keystream produced by calls of
 * odd lengths that straddle block boundaries, the 16-bit block counter
 * near its top, and decryption as the same XOR. */
static gboolean
sec_kat_aes_icm (const srtp_cipher_type_t * type,
    const srtp_cipher_test_case_t * vector_0000,
    const srtp_cipher_test_case_t * vector_feff, const gchar * rfc,
    gchar ** reason)
{
  static const guint chunks[] = { 1, 14, 17, 3, 13 };
  srtp_cipher_t *cipher = NULL;
  guint8 buffer[48];
  unsigned int len, offset, i;
  srtp_err_status_t status;
  gboolean passed = FALSE;

  G_STATIC_ASSERT (sizeof (zeros) == sizeof (buffer));

  status = type->alloc (&cipher, vector_0000->key_length_octets, 0);
  if (status != srtp_err_status_ok)
    return sec_kat_fail (reason, "alloc: %s", sec_srtp_status_name (status));
  status = type->init (cipher->state, vector_0000->key);
  if (status != srtp_err_status_ok) {
    sec_kat_fail (reason, "init: %s", sec_srtp_status_name (status));
    goto out;
  }

  memset (buffer, 0, sizeof (buffer));
  status = type->set_iv (cipher->state, vector_0000->idx,
      srtp_direction_encrypt);
  for (i = 0, offset = 0; i < G_N_ELEMENTS (chunks); i++) {
    len = chunks[i];
    if (status == srtp_err_status_ok)
      status = type->encrypt (cipher->state, buffer + offset, &len);
    offset += chunks[i];
  }
  g_assert (offset == sizeof (buffer));
  if (status != srtp_err_status_ok
      || memcmp (buffer, vector_0000->ciphertext, sizeof (buffer)) != 0) {
    sec_kat_fail (reason, "%s keystream from counter ..0000 in pieces: %s",
        rfc, status ? sec_srtp_status_name (status) : "wrong keystream");
    goto out;
  }

  memset (buffer, 0, sizeof (buffer));
  len = sizeof (buffer);
  status = type->set_iv (cipher->state, vector_feff->idx,
      srtp_direction_encrypt);
  if (status == srtp_err_status_ok)
    status = type->encrypt (cipher->state, buffer, &len);
  if (status != srtp_err_status_ok
      || memcmp (buffer, vector_feff->ciphertext, sizeof (buffer)) != 0) {
    sec_kat_fail (reason, "%s keystream from counter ..FEFF: %s", rfc,
        status ? sec_srtp_status_name (status) : "wrong keystream");
    goto out;
  }

  memcpy (buffer, vector_0000->ciphertext, sizeof (buffer));
  len = sizeof (buffer);
  status = type->set_iv (cipher->state, vector_0000->idx,
      srtp_direction_decrypt);
  if (status == srtp_err_status_ok)
    status = type->decrypt (cipher->state, buffer, &len);
  if (status != srtp_err_status_ok
      || memcmp (buffer, zeros, sizeof (buffer)) != 0) {
    sec_kat_fail (reason, "%s decryption: %s", rfc,
        status ? sec_srtp_status_name (status) : "wrong plaintext");
    goto out;
  }
  passed = TRUE;

out:
  type->dealloc (cipher);
  return passed;
}

/* One GCM vector with its tag length: seal (the AAD in two pieces, as
 * SRTCP passes it), open, and refuse a forged tag. */
static gboolean
sec_kat_aes_gcm_one (const srtp_cipher_type_t * type,
    const srtp_cipher_test_case_t * vector, const gchar * rfc,
    gchar ** reason)
{
  srtp_cipher_t *cipher = NULL;
  guint8 buffer[128];
  unsigned int len;
  unsigned int plaintext_len = vector->plaintext_length_octets;
  unsigned int sealed_len = vector->ciphertext_length_octets;
  uint32_t tag_len = 0;
  uint32_t aad_split = vector->aad_length_octets / 2;
  srtp_err_status_t status;
  gboolean passed = FALSE;

  g_assert (sealed_len <= sizeof (buffer));
  status = type->alloc (&cipher, vector->key_length_octets,
      vector->tag_length_octets);
  if (status != srtp_err_status_ok)
    return sec_kat_fail (reason, "alloc: %s", sec_srtp_status_name (status));
  status = type->init (cipher->state, vector->key);
  if (status != srtp_err_status_ok) {
    sec_kat_fail (reason, "init: %s", sec_srtp_status_name (status));
    goto out;
  }

  /* seal */
  memcpy (buffer, vector->plaintext, plaintext_len);
  len = plaintext_len;
  status = type->set_iv (cipher->state, vector->idx, srtp_direction_encrypt);
  if (status == srtp_err_status_ok)
    status = type->set_aad (cipher->state, vector->aad, aad_split);
  if (status == srtp_err_status_ok)
    status = type->set_aad (cipher->state, vector->aad + aad_split,
        vector->aad_length_octets - aad_split);
  if (status == srtp_err_status_ok)
    status = type->encrypt (cipher->state, buffer, &len);
  if (status == srtp_err_status_ok)
    status = type->get_tag (cipher->state, buffer + len, &tag_len);
  if (status != srtp_err_status_ok || len != plaintext_len
      || len + tag_len != sealed_len
      || memcmp (buffer, vector->ciphertext, sealed_len) != 0) {
    sec_kat_fail (reason, "%s encryption, %d-octet tag: %s", rfc,
        vector->tag_length_octets,
        status ? sec_srtp_status_name (status) : "wrong ciphertext or tag");
    goto out;
  }

  /* open */
  len = sealed_len;
  status = type->set_iv (cipher->state, vector->idx, srtp_direction_decrypt);
  if (status == srtp_err_status_ok)
    status = type->set_aad (cipher->state, vector->aad,
        vector->aad_length_octets);
  if (status == srtp_err_status_ok)
    status = type->decrypt (cipher->state, buffer, &len);
  if (status != srtp_err_status_ok || len != plaintext_len
      || memcmp (buffer, vector->plaintext, plaintext_len) != 0) {
    sec_kat_fail (reason, "%s decryption, %d-octet tag: %s", rfc,
        vector->tag_length_octets,
        status ? sec_srtp_status_name (status) : "wrong plaintext");
    goto out;
  }

  /* forged: the last bit of the tag flipped */
  memcpy (buffer, vector->ciphertext, sealed_len);
  buffer[sealed_len - 1] ^= 0x01;
  len = sealed_len;
  status = type->set_iv (cipher->state, vector->idx, srtp_direction_decrypt);
  if (status == srtp_err_status_ok)
    status = type->set_aad (cipher->state, vector->aad,
        vector->aad_length_octets);
  if (status == srtp_err_status_ok)
    status = type->decrypt (cipher->state, buffer, &len);
  if (status != srtp_err_status_auth_fail) {
    sec_kat_fail (reason, "%s forged tag, %d octets: %s instead of an "
        "authentication failure", rfc, vector->tag_length_octets,
        sec_srtp_status_name (status));
    goto out;
  }
  passed = TRUE;

out:
  type->dealloc (cipher);
  return passed;
}

static const gchar *
sec_rfc7714_section (const srtp_cipher_test_case_t * vector)
{
  if (vector->ciphertext == rfc7714_16_1_1_sealed)
    return "RFC 7714 section 16.1.1";
  if (vector->ciphertext == rfc7714_16_2_1_sealed)
    return "RFC 7714 section 16.2.1";
  if (vector->ciphertext == rfc7714_17_1_sealed)
    return "RFC 7714 section 17.1";
  if (vector->ciphertext == rfc7714_17_2_sealed)
    return "RFC 7714 section 17.2";
  return "RFC 7714 section 17.3";
}

/* All of the type's RFC 7714 vectors: RTP and SRTCP, 16- and 8-octet tags,
 * and unencrypted SRTCP (nothing but AAD). */
static gboolean
sec_kat_aes_gcm (const srtp_cipher_type_t * type, gchar ** reason)
{
  const srtp_cipher_test_case_t *vector;

  for (vector = type->test_data; vector; vector = vector->next_test_case) {
    if (!sec_kat_aes_gcm_one (type, vector, sec_rfc7714_section (vector),
            reason))
      return FALSE;
  }
  return TRUE;
}

/* RFC 2202 §3 cases 1 to 7: data split over update and compute, start
 * discarding earlier data, and the 96-bit truncation of case 5. */
static gboolean
sec_kat_hmac_sha1 (gchar ** reason)
{
  const srtp_auth_type_t *type = &sec_hmac_sha1_type;
  const srtp_auth_test_case_t *vector;
  srtp_auth_t *auth;
  guint8 tag[SEC_SHA1_DIGEST_LEN];
  srtp_err_status_t status;
  guint case_number = 1;
  gint half;
  gboolean passed;

  for (vector = type->test_data; vector; vector = vector->next_test_case) {
    status = type->alloc (&auth, vector->key_length_octets,
        vector->tag_length_octets);
    if (status != srtp_err_status_ok)
      return sec_kat_fail (reason, "alloc: %s",
          sec_srtp_status_name (status));

    half = vector->data_length_octets / 2;
    status = type->init (auth->state, vector->key, auth->key_len);
    if (status == srtp_err_status_ok)
      status = type->update (auth->state, vector->data, half);
    if (status == srtp_err_status_ok)
      status = type->compute (auth->state, vector->data + half,
          vector->data_length_octets - half, auth->out_len, tag);
    passed = status == srtp_err_status_ok
        && memcmp (tag, vector->tag, auth->out_len) == 0;

    if (passed) {
      memset (tag, 0, sizeof (tag));
      status = type->start (auth->state);
      if (status == srtp_err_status_ok)
        status = type->update (auth->state, (const guint8 *) "junk", 4);
      if (status == srtp_err_status_ok)
        status = type->start (auth->state);
      if (status == srtp_err_status_ok)
        status = type->compute (auth->state, vector->data,
            vector->data_length_octets, auth->out_len, tag);
      passed = status == srtp_err_status_ok
          && memcmp (tag, vector->tag, auth->out_len) == 0;
    }
    type->dealloc (auth);
    if (!passed)
      return sec_kat_fail (reason, "RFC 2202 section 3 test case %u: %s",
          case_number, status ? sec_srtp_status_name (status) : "wrong MAC");
    case_number++;
  }

  /* RFC 2202 §3 case 5, HMAC-SHA-1-96: only the leftmost 12 octets */
  status = type->alloc (&auth, rfc2202_case_5.key_length_octets, 12);
  if (status != srtp_err_status_ok)
    return sec_kat_fail (reason, "alloc: %s", sec_srtp_status_name (status));
  memset (tag, 0xa5, sizeof (tag));
  status = type->init (auth->state, rfc2202_case_5.key, auth->key_len);
  if (status == srtp_err_status_ok)
    status = type->compute (auth->state, rfc2202_case_5.data,
        rfc2202_case_5.data_length_octets, auth->out_len, tag);
  passed = status == srtp_err_status_ok
      && memcmp (tag, rfc2202_digest_5, 12) == 0 && tag[12] == 0xa5;
  type->dealloc (auth);
  if (!passed)
    return sec_kat_fail (reason,
        "RFC 2202 section 3 test case 5, 96-bit tag: %s",
        status ? sec_srtp_status_name (status) : "wrong MAC");
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Installation                                                        */
/* ------------------------------------------------------------------ */

typedef struct
{
  const srtp_cipher_type_t *cipher_type;        /* NULL for the auth type */
  gboolean (*kat) (gchar ** reason);
} SecCryptoEntry;

static gboolean
sec_kat_aes_icm_128 (gchar ** reason)
{
  return sec_kat_aes_icm (&sec_aes_icm_128_type, &rfc3711_b2_case_0000,
      &rfc3711_b2_case_feff, "RFC 3711 B.2", reason);
}

static gboolean
sec_kat_aes_icm_256 (gchar ** reason)
{
  return sec_kat_aes_icm (&sec_aes_icm_256_type, &rfc6188_case_0000,
      &rfc6188_case_feff, "RFC 6188 section 7.1", reason);
}

static gboolean
sec_kat_aes_gcm_128 (gchar ** reason)
{
  return sec_kat_aes_gcm (&sec_aes_gcm_128_type, reason);
}

static gboolean
sec_kat_aes_gcm_256 (gchar ** reason)
{
  return sec_kat_aes_gcm (&sec_aes_gcm_256_type, reason);
}

#define SEC_CRYPTO_N_TYPES 5

static const SecCryptoEntry entries[SEC_CRYPTO_N_TYPES] = {
  {&sec_aes_icm_128_type, sec_kat_aes_icm_128},
  {&sec_aes_icm_256_type, sec_kat_aes_icm_256},
  {&sec_aes_gcm_128_type, sec_kat_aes_gcm_128},
  {&sec_aes_gcm_256_type, sec_kat_aes_gcm_256},
  {NULL, sec_kat_hmac_sha1},
};

static GMutex install_lock;
/* protected by install_lock */
static gboolean installed;
static SecSrtpCryptoTypeStatus statuses[SEC_CRYPTO_N_TYPES] = {
  {"aes-icm-128", FALSE, NULL},
  {"aes-icm-256", FALSE, NULL},
  {"aes-gcm-128", FALSE, NULL},
  {"aes-gcm-256", FALSE, NULL},
  {"hmac-sha1", FALSE, NULL},
};

gboolean
sec_srtp_crypto_install (void)
{
  guint i, n_replaced = 0;

  g_mutex_lock (&install_lock);
  for (i = 0; i < SEC_CRYPTO_N_TYPES; i++) {
    const SecCryptoEntry *entry = &entries[i];
    SecSrtpCryptoTypeStatus *status = &statuses[i];
    gchar *kat_reason = NULL;
    srtp_err_status_t err;

    g_clear_pointer (&status->reason, g_free);
    status->replaced = FALSE;

    if (!entry->kat (&kat_reason)) {
      status->reason = g_strdup_printf ("our known-answer test failed: %s",
          kat_reason);
      g_free (kat_reason);
    } else if (entry->cipher_type) {
      /* also runs our test_data and then the built-in type's */
      err = srtp_replace_cipher_type (entry->cipher_type,
          entry->cipher_type->id);
      if (err != srtp_err_status_ok)
        status->reason =
            g_strdup_printf ("srtp_replace_cipher_type () refused it: %s "
            "(%d)", sec_srtp_status_name (err), err);
    } else {
      err = srtp_replace_auth_type (&sec_hmac_sha1_type, SRTP_HMAC_SHA1);
      if (err != srtp_err_status_ok)
        status->reason =
            g_strdup_printf ("srtp_replace_auth_type () refused it: %s (%d)",
            sec_srtp_status_name (err), err);
    }

    if (status->reason == NULL) {
      status->replaced = TRUE;
      n_replaced++;
      g_debug ("%s: using the OpenSSL implementation (%s)", status->name,
          OpenSSL_version (OPENSSL_VERSION));
    } else {
      g_warning ("%s: keeping libsrtp2's built-in implementation: %s",
          status->name, status->reason);
    }
  }
  installed = TRUE;
  g_mutex_unlock (&install_lock);

  g_debug ("SRTP crypto backend: %s (%u of %u types on OpenSSL)",
      sec_srtp_crypto_backend (), n_replaced, SEC_CRYPTO_N_TYPES);
  return n_replaced == SEC_CRYPTO_N_TYPES;
}

const gchar *
sec_srtp_crypto_backend (void)
{
  const gchar *backend;
  guint i, n_replaced = 0;

  g_mutex_lock (&install_lock);
  for (i = 0; i < SEC_CRYPTO_N_TYPES; i++) {
    if (statuses[i].replaced)
      n_replaced++;
  }
  if (!installed || n_replaced == 0)
    backend = "libsrtp2";
  else if (n_replaced == SEC_CRYPTO_N_TYPES)
    backend = "openssl";
  else
    backend = "mixed";
  g_mutex_unlock (&install_lock);
  return backend;
}

const SecSrtpCryptoTypeStatus *
sec_srtp_crypto_status (guint * n_types)
{
  if (n_types)
    *n_types = SEC_CRYPTO_N_TYPES;
  return statuses;
}
