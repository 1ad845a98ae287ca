/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests for srtpcrypto.c, our OpenSSL implementations of libsrtp2's
 * AES-ICM, AES-GCM and HMAC-SHA1 types:
 *
 * - RFC vectors (RFC 3711 B.2, RFC 6188 §7.1, RFC 7714 §16 and §17,
 *   RFC 2202 §3), through libsrtp2's srtp_*_type_test () and through our
 *   own calls of the function pointers;
 * - AES-ICM keystream continuity over many calls of odd lengths and the
 *   2^16-block limit of RFC 3711 §4.1.1;
 * - AES-GCM refusing a flipped bit in ciphertext, AAD, tag or IV;
 * - a differential run: whole SRTP and SRTCP sessions protected first with
 *   libsrtp2's built-in crypto, then, after sec_srtp_crypto_install (), with
 *   ours, which must give the same octets and unprotect them again; with a
 *   timing of both printed by g_test_message ().
 *
 * The install is process-global, so the tests run in the order they are
 * added: everything that needs the built-in types first.
 */
#include "srtpcrypto.h"

#include <string.h>

/* Exported by libsrtp2 2.x from its crypto kernel, but crypto_kernel.h is
 * not installed: used here only to see which types are registered. */
const srtp_cipher_type_t *srtp_crypto_kernel_get_cipher_type
    (srtp_cipher_type_id_t id);
const srtp_auth_type_t *srtp_crypto_kernel_get_auth_type
    (srtp_auth_type_id_t id);

static const srtp_cipher_type_id_t cipher_ids[] = {
  SRTP_AES_ICM_128, SRTP_AES_ICM_256, SRTP_AES_GCM_128, SRTP_AES_GCM_256,
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Hex digits to newly allocated octets; spaces are ignored. */
static guint8 *
unhex (const gchar * text, gsize * len)
{
  guint8 *out = g_malloc0 (strlen (text) / 2 + 1);
  gsize n = 0;
  gint high = -1;

  for (; *text; text++) {
    gint digit;

    if (*text == ' ')
      continue;
    digit = g_ascii_xdigit_value (*text);
    g_assert_cmpint (digit, >=, 0);
    if (high < 0) {
      high = digit;
    } else {
      out[n++] = (guint8) ((high << 4) | digit);
      high = -1;
    }
  }
  g_assert_cmpint (high, ==, -1);
  *len = n;
  return out;
}

static void
assert_octets (const guint8 * actual, const guint8 * expected, gsize len)
{
  if (memcmp (actual, expected, len) != 0) {
    gchar *a = g_strdup ("");
    gchar *e = g_strdup ("");
    gsize i;

    for (i = 0; i < len; i++) {
      gchar *tmp_a = g_strdup_printf ("%s%02x", a, actual[i]);
      gchar *tmp_e = g_strdup_printf ("%s%02x", e, expected[i]);

      g_free (a);
      g_free (e);
      a = tmp_a;
      e = tmp_e;
    }
    g_error ("octets differ:\n  actual   %s\n  expected %s", a, e);
  }
}

static srtp_cipher_t *
cipher_new (srtp_cipher_type_id_t id, const guint8 * key, gsize key_len,
    gint tag_len)
{
  const srtp_cipher_type_t *type = sec_srtp_crypto_get_cipher_type (id);
  srtp_cipher_t *cipher = NULL;

  g_assert_nonnull (type);
  g_assert_cmpint (type->alloc (&cipher, key_len, tag_len), ==,
      srtp_err_status_ok);
  g_assert_cmpint (type->init (cipher->state, key), ==, srtp_err_status_ok);
  return cipher;
}

static void
cipher_free (srtp_cipher_t * cipher)
{
  g_assert_cmpint (cipher->type->dealloc (cipher), ==, srtp_err_status_ok);
}

/* ------------------------------------------------------------------ */
/* The types as libsrtp2 sees them                                     */
/* ------------------------------------------------------------------ */

static void
test_type_fields (void)
{
  static const struct
  {
    srtp_cipher_type_id_t id;
    gint key_len;               /* with the salt */
    gint tag_len;
    gint bad_key_len;
  } cases[] = {
    {SRTP_AES_ICM_128, 30, 10, 46},
    {SRTP_AES_ICM_256, 46, 4, 30},
    {SRTP_AES_GCM_128, 28, 16, 44},
    {SRTP_AES_GCM_128, 28, 8, 30},
    {SRTP_AES_GCM_256, 44, 16, 28},
    {SRTP_AES_GCM_256, 44, 8, 46},
  };
  const srtp_auth_type_t *auth_type;
  srtp_auth_t *auth = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    const srtp_cipher_type_t *type =
        sec_srtp_crypto_get_cipher_type (cases[i].id);
    srtp_cipher_t *cipher = NULL;

    g_assert_nonnull (type);
    g_assert_cmpuint (type->id, ==, cases[i].id);
    g_assert_nonnull (type->test_data);
    g_assert_cmpint (type->alloc (&cipher, cases[i].key_len,
            cases[i].tag_len), ==, srtp_err_status_ok);
    g_assert_true (cipher->type == type);
    g_assert_nonnull (cipher->state);
    g_assert_cmpint (cipher->key_len, ==, cases[i].key_len);
    /* srtp.c takes the AEAD path on this field */
    g_assert_cmpint (cipher->algorithm, ==, (gint) cases[i].id);
    g_assert_cmpint (srtp_cipher_get_key_length (cipher), ==,
        cases[i].key_len);
    cipher_free (cipher);

    cipher = NULL;
    g_assert_cmpint (type->alloc (&cipher, cases[i].bad_key_len,
            cases[i].tag_len), ==, srtp_err_status_bad_param);
    g_assert_null (cipher);
  }

  /* GCM takes 8- or 16-octet tags only */
  {
    const srtp_cipher_type_t *type =
        sec_srtp_crypto_get_cipher_type (SRTP_AES_GCM_128);
    srtp_cipher_t *cipher = NULL;

    g_assert_cmpint (type->alloc (&cipher, 28, 12), ==,
        srtp_err_status_bad_param);
    g_assert_cmpint (type->alloc (&cipher, 28, 0), ==,
        srtp_err_status_bad_param);
    g_assert_null (cipher);
  }
  g_assert_null (sec_srtp_crypto_get_cipher_type (SRTP_AES_ICM_192));
  g_assert_null (sec_srtp_crypto_get_cipher_type (SRTP_NULL_CIPHER));

  auth_type = sec_srtp_crypto_get_auth_type (SRTP_HMAC_SHA1);
  g_assert_nonnull (auth_type);
  g_assert_null (sec_srtp_crypto_get_auth_type (SRTP_NULL_AUTH));
  g_assert_cmpuint (auth_type->id, ==, SRTP_HMAC_SHA1);
  g_assert_cmpint (auth_type->alloc (&auth, 20, 10), ==, srtp_err_status_ok);
  g_assert_true (auth->type == auth_type);
  g_assert_nonnull (auth->state);
  g_assert_cmpint (srtp_auth_get_key_length (auth), ==, 20);
  g_assert_cmpint (srtp_auth_get_tag_length (auth), ==, 10);
  g_assert_cmpint (srtp_auth_get_prefix_length (auth), ==, 0);
  g_assert_cmpint (auth_type->dealloc (auth), ==, srtp_err_status_ok);
  auth = NULL;
  g_assert_cmpint (auth_type->alloc (&auth, 20, 21), ==,
      srtp_err_status_bad_param);
  g_assert_null (auth);
}

/* ------------------------------------------------------------------ */
/* AES-ICM                                                             */
/* ------------------------------------------------------------------ */

typedef struct
{
  const gchar *name;
  srtp_cipher_type_id_t id;
  const gchar *key;             /* session key || 112-bit session salt */
  const gchar *keystream_0000;  /* blocks 0000 to 0002 */
  const gchar *keystream_feff;  /* blocks FEFF to FF01 */
} IcmVector;

static const IcmVector icm_vectors[] = {
  {"RFC 3711 B.2", SRTP_AES_ICM_128,
        "2B7E151628AED2A6ABF7158809CF4F3C F0F1F2F3F4F5F6F7F8F9FAFBFCFD",
        "E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB"
        "41E95B3BB0A2E8DD477901E4FCA894C0",
        "EC8CDF7398607CB0F2D21675EA9EA1E4 362B7C3C6773516318A077D7FC5073AE"
      "6A2CC3787889374FBEB4C81B17BA6C44"},
  {"RFC 6188 section 7.1", SRTP_AES_ICM_256,
        "57f82fe3613fd170a85ec93c40b1f092 2ec4cb0dc025b58272147cc438944a98"
        "F0F1F2F3F4F5F6F7F8F9FAFBFCFD",
        "92bdd28a93c3f52511c677d08b5515a4 9da71b2378a854f67050756ded165bac"
        "63c4868b7096d88421b563b8c94c9a31",
        "cea518c90fd91ced9cbb18c078a54711 3dbc4814f4da5f00a08772b63c6a046d"
      "6eb246913062a16891433e97dd01a57f"},
};

#define RFC_BLOCKS 0xff02       /* counters 0000 to FF01 */

/* Through libsrtp2's own test driver, with our transcription of the RFC
 * (blocks 0000-0002 from IV 0, blocks FEFF-FF01 from IV ..FEFF). */
static void
test_aes_icm_libsrtp_driver (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (icm_vectors); i++) {
    const IcmVector *v = &icm_vectors[i];
    gsize key_len, ks_len, ks_feff_len;
    guint8 *key = unhex (v->key, &key_len);
    guint8 *keystream = unhex (v->keystream_0000, &ks_len);
    guint8 *keystream_feff = unhex (v->keystream_feff, &ks_feff_len);
    guint8 iv_0000[16] = { 0, };
    guint8 iv_feff[16] = { 0, };
    guint8 zeros[48] = { 0, };
    srtp_cipher_test_case_t case_feff = {
      (int) key_len, key, iv_feff, sizeof (zeros), zeros, ks_feff_len,
      keystream_feff, 0, NULL, 0, NULL
    };
    srtp_cipher_test_case_t case_0000 = {
      (int) key_len, key, iv_0000, sizeof (zeros), zeros, ks_len, keystream,
      0, NULL, 0, &case_feff
    };

    g_test_message ("%s", v->name);
    iv_feff[14] = 0xfe;
    iv_feff[15] = 0xff;
    g_assert_cmpint (srtp_cipher_type_test (sec_srtp_crypto_get_cipher_type
            (v->id), &case_0000), ==, srtp_err_status_ok);
    g_assert_cmpint (srtp_cipher_type_self_test
        (sec_srtp_crypto_get_cipher_type (v->id)), ==, srtp_err_status_ok);
    g_free (key);
    g_free (keystream);
    g_free (keystream_feff);
  }
}

/* The whole RFC keystream, 0xFF02 blocks after one set_iv: in one call
 * and in calls of odd lengths, which must continue the same keystream. */
static void
test_aes_icm_continuity (void)
{
  static const guint pieces[] = { 1, 3, 5, 7, 11, 13, 16, 17, 31, 33, 63,
    65, 127, 1001, 4093
  };
  const gsize total = RFC_BLOCKS * 16;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (icm_vectors); i++) {
    const IcmVector *v = &icm_vectors[i];
    gsize key_len, ks_len, ks_feff_len, offset;
    guint8 *key = unhex (v->key, &key_len);
    guint8 *keystream = unhex (v->keystream_0000, &ks_len);
    guint8 *keystream_feff = unhex (v->keystream_feff, &ks_feff_len);
    guint8 *whole = g_malloc0 (total);
    guint8 *split = g_malloc0 (total);
    guint8 iv[16] = { 0, };
    srtp_cipher_t *cipher = cipher_new (v->id, key, key_len, 0);
    unsigned int len;
    guint n = 0;

    g_test_message ("%s", v->name);
    g_assert_cmpint (cipher->type->set_iv (cipher->state, iv,
            srtp_direction_encrypt), ==, srtp_err_status_ok);
    len = total;
    g_assert_cmpint (cipher->type->encrypt (cipher->state, whole, &len), ==,
        srtp_err_status_ok);
    g_assert_cmpuint (len, ==, total);
    assert_octets (whole, keystream, ks_len);
    assert_octets (whole + total - ks_feff_len, keystream_feff, ks_feff_len);

    g_assert_cmpint (cipher->type->set_iv (cipher->state, iv,
            srtp_direction_encrypt), ==, srtp_err_status_ok);
    for (offset = 0; offset < total; offset += len) {
      len = MIN (pieces[n++ % G_N_ELEMENTS (pieces)], total - offset);
      g_assert_cmpint (cipher->type->encrypt (cipher->state, split + offset,
              &len), ==, srtp_err_status_ok);
    }
    g_assert_cmpint (memcmp (whole, split, total), ==, 0);

    /* set_iv starts over, also in the middle of a block */
    memset (split, 0, 64);
    len = 5;
    g_assert_cmpint (cipher->type->set_iv (cipher->state, iv,
            srtp_direction_encrypt), ==, srtp_err_status_ok);
    g_assert_cmpint (cipher->type->encrypt (cipher->state, split, &len), ==,
        srtp_err_status_ok);
    memset (split, 0, 64);
    len = 64;
    g_assert_cmpint (cipher->type->set_iv (cipher->state, iv,
            srtp_direction_decrypt), ==, srtp_err_status_ok);
    g_assert_cmpint (cipher->type->decrypt (cipher->state, split, &len), ==,
        srtp_err_status_ok);
    assert_octets (split, whole, 64);

    /* RFC 3711 §4.1.1: 2^16 blocks per IV and no more */
    g_free (split);
    split = g_malloc0 (0x10000 * 16 + 1);
    len = 0x10000 * 16;
    g_assert_cmpint (cipher->type->set_iv (cipher->state, iv,
            srtp_direction_encrypt), ==, srtp_err_status_ok);
    g_assert_cmpint (cipher->type->encrypt (cipher->state, split, &len), ==,
        srtp_err_status_ok);
    assert_octets (split, whole, total);
    len = 1;
    g_assert_cmpint (cipher->type->encrypt (cipher->state, split, &len), ==,
        srtp_err_status_terminus);
    iv[14] = 0xff;
    iv[15] = 0xff;
    len = 17;
    g_assert_cmpint (cipher->type->set_iv (cipher->state, iv,
            srtp_direction_encrypt), ==, srtp_err_status_ok);
    g_assert_cmpint (cipher->type->encrypt (cipher->state, split, &len), ==,
        srtp_err_status_terminus);
    len = 16;
    g_assert_cmpint (cipher->type->encrypt (cipher->state, split, &len), ==,
        srtp_err_status_ok);

    /* a new key on the same object */
    memset (iv, 0, sizeof (iv));
    key[0] ^= 0x80;
    g_assert_cmpint (cipher->type->init (cipher->state, key), ==,
        srtp_err_status_ok);
    memset (split, 0, 48);
    len = 48;
    g_assert_cmpint (cipher->type->set_iv (cipher->state, iv,
            srtp_direction_encrypt), ==, srtp_err_status_ok);
    g_assert_cmpint (cipher->type->encrypt (cipher->state, split, &len), ==,
        srtp_err_status_ok);
    g_assert_cmpint (memcmp (split, whole, 48), !=, 0);

    cipher_free (cipher);
    g_free (key);
    g_free (keystream);
    g_free (keystream_feff);
    g_free (whole);
    g_free (split);
  }
}

/* The salt enters the counter block (RFC 3711 §4.1.1): two keys that
 * differ only in the salt give different keystreams, and the keystream
 * for salt s and IV 0 is the one for salt 0 and IV s. */
static void
test_aes_icm_salt (void)
{
  gsize key_len, ks_len;
  guint8 *key = unhex (icm_vectors[0].key, &key_len);
  guint8 *keystream = unhex (icm_vectors[0].keystream_0000, &ks_len);
  guint8 iv[16] = { 0, };
  guint8 buffer[48] = { 0, };
  srtp_cipher_t *cipher;
  unsigned int len = sizeof (buffer);

  memcpy (iv, key + 16, 14);
  memset (key + 16, 0, 14);
  cipher = cipher_new (SRTP_AES_ICM_128, key, key_len, 0);
  g_assert_cmpint (cipher->type->set_iv (cipher->state, iv,
          srtp_direction_encrypt), ==, srtp_err_status_ok);
  g_assert_cmpint (cipher->type->encrypt (cipher->state, buffer, &len), ==,
      srtp_err_status_ok);
  assert_octets (buffer, keystream, sizeof (buffer));
  cipher_free (cipher);
  g_free (key);
  g_free (keystream);
}

/* ------------------------------------------------------------------ */
/* AES-GCM                                                             */
/* ------------------------------------------------------------------ */

#define RFC7714_SALT "517569642070726f2071756f"
#define RFC7714_KEY_128 "000102030405060708090a0b0c0d0e0f"
#define RFC7714_KEY_256 RFC7714_KEY_128 "101112131415161718191a1b1c1d1e1f"
#define RFC7714_RTP_IV "51753c6580c2726f20718414"
#define RFC7714_RTP_HEADER "8040f17b 8041f8d3 5501a0b2"
#define RFC7714_RTP_PAYLOAD "47616c6c 69612065 7374206f 6d6e6973 20646976" \
  "69736120 696e2070 61727465 73207472 6573"
#define RFC7714_RTCP_IV "517524055203726f207170bb"
#define RFC7714_RTCP_HEADER "81c8000d 4d617273"
#define RFC7714_RTCP_PAYLOAD "4e545031 4e545032 52545020 0000042a 0000e930" \
  "4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef"

typedef struct
{
  const gchar *name;
  srtp_cipher_type_id_t id;
  const gchar *key;             /* session key || 96-bit session salt */
  const gchar *iv;
  const gchar *aad;
  const gchar *plaintext;
  const gchar *sealed;          /* ciphertext || 16-octet tag */
} GcmVector;

static const GcmVector gcm_vectors[] = {
  {"RFC 7714 section 16.1.1", SRTP_AES_GCM_128, RFC7714_KEY_128 RFC7714_SALT,
        RFC7714_RTP_IV, RFC7714_RTP_HEADER, RFC7714_RTP_PAYLOAD,
        "f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a"
      "51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce"},
  {"RFC 7714 section 16.2.1", SRTP_AES_GCM_256, RFC7714_KEY_256 RFC7714_SALT,
        RFC7714_RTP_IV, RFC7714_RTP_HEADER, RFC7714_RTP_PAYLOAD,
        "32b1de78 a822fe12 ef9f78fa 332e33aa b1801238 9a58e2f3 b50b2a02"
      "76ffae0f 1ba63799 b87b7aa3 db36dfff d6b0f9bb 7878d7a7 6c13"},
  {"RFC 7714 section 17.1", SRTP_AES_GCM_128, RFC7714_KEY_128 RFC7714_SALT,
        RFC7714_RTCP_IV, RFC7714_RTCP_HEADER "800005d4", RFC7714_RTCP_PAYLOAD,
        "63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1"
        "730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872"
      "45d9eade"},
  {"RFC 7714 section 17.2", SRTP_AES_GCM_256, RFC7714_KEY_256 RFC7714_SALT,
        RFC7714_RTCP_IV, RFC7714_RTCP_HEADER "800005d4", RFC7714_RTCP_PAYLOAD,
        "d50ae4d1 f5ce5d30 4ba297e4 7d470c28 2c3ece5d bffe0a50 a2eaa5c1"
        "110555be 8415f658 c61de047 6f1b6fad 1d1eb30c 4446839f 57ff6f6c"
      "b26ac3be"},
  /* unencrypted SRTCP: the packet and index are AAD, the output a tag */
  {"RFC 7714 section 17.3", SRTP_AES_GCM_128, RFC7714_KEY_128 RFC7714_SALT,
        RFC7714_RTCP_IV, RFC7714_RTCP_HEADER RFC7714_RTCP_PAYLOAD "000005d4",
      "", "841dd968 3dd78ec9 2ae58790 125f62b3"},
};

typedef struct
{
  guint8 *key, *iv, *aad, *plaintext, *sealed;
  gsize key_len, iv_len, aad_len, plaintext_len, sealed_len;
} GcmData;

static void
gcm_data_init (GcmData * d, const GcmVector * v)
{
  d->key = unhex (v->key, &d->key_len);
  d->iv = unhex (v->iv, &d->iv_len);
  d->aad = unhex (v->aad, &d->aad_len);
  d->plaintext = unhex (v->plaintext, &d->plaintext_len);
  d->sealed = unhex (v->sealed, &d->sealed_len);
  g_assert_cmpuint (d->iv_len, ==, 12);
  g_assert_cmpuint (d->sealed_len, ==, d->plaintext_len + 16);
}

static void
gcm_data_clear (GcmData * d)
{
  g_free (d->key);
  g_free (d->iv);
  g_free (d->aad);
  g_free (d->plaintext);
  g_free (d->sealed);
}

/* Decrypts buffer (ciphertext || tag, len octets) as libsrtp2 does. */
static srtp_err_status_t
gcm_open (srtp_cipher_t * cipher, guint8 * iv, const guint8 * aad,
    gsize aad_len, guint8 * buffer, unsigned int *len)
{
  srtp_err_status_t status;

  status = cipher->type->set_iv (cipher->state, iv, srtp_direction_decrypt);
  if (status == srtp_err_status_ok)
    status = cipher->type->set_aad (cipher->state, aad, aad_len);
  if (status == srtp_err_status_ok)
    status = cipher->type->decrypt (cipher->state, buffer, len);
  return status;
}

static void
test_aes_gcm_vectors (void)
{
  static const gint tag_lens[] = { 16, 8 };
  guint i, t;

  for (i = 0; i < G_N_ELEMENTS (gcm_vectors); i++) {
    const GcmVector *v = &gcm_vectors[i];
    GcmData d;

    gcm_data_init (&d, v);
    for (t = 0; t < G_N_ELEMENTS (tag_lens); t++) {
      gint tag_len = tag_lens[t];
      srtp_cipher_test_case_t test_case = {
        (int) d.key_len, d.key, d.iv, d.plaintext_len, d.plaintext,
        d.plaintext_len + tag_len, d.sealed, (int) d.aad_len, d.aad,
        tag_len, NULL
      };
      srtp_cipher_t *cipher;
      guint8 buffer[128];
      unsigned int len = d.plaintext_len;
      uint32_t got_tag_len = 0;
      gsize third = d.aad_len / 3;

      g_test_message ("%s, %d-octet tag", v->name, tag_len);
      /* libsrtp2's driver, then random round trips */
      g_assert_cmpint (srtp_cipher_type_test (sec_srtp_crypto_get_cipher_type
              (v->id), &test_case), ==, srtp_err_status_ok);

      /* our own calls, the AAD in three pieces */
      cipher = cipher_new (v->id, d.key, d.key_len, tag_len);
      memcpy (buffer, d.plaintext, d.plaintext_len);
      g_assert_cmpint (cipher->type->set_iv (cipher->state, d.iv,
              srtp_direction_encrypt), ==, srtp_err_status_ok);
      g_assert_cmpint (cipher->type->set_aad (cipher->state, d.aad, third),
          ==, srtp_err_status_ok);
      g_assert_cmpint (cipher->type->set_aad (cipher->state, d.aad + third,
              0), ==, srtp_err_status_ok);
      g_assert_cmpint (cipher->type->set_aad (cipher->state, d.aad + third,
              d.aad_len - third), ==, srtp_err_status_ok);
      g_assert_cmpint (cipher->type->encrypt (cipher->state,
              d.plaintext_len ? buffer : NULL, &len), ==, srtp_err_status_ok);
      g_assert_cmpuint (len, ==, d.plaintext_len);
      /* libsrtp2 passes its own idea of the tag length in; we say ours */
      got_tag_len = 99;
      g_assert_cmpint (cipher->type->get_tag (cipher->state, buffer + len,
              &got_tag_len), ==, srtp_err_status_ok);
      g_assert_cmpuint (got_tag_len, ==, tag_len);
      assert_octets (buffer, d.sealed, d.plaintext_len + tag_len);

      /* the tag is the end of the packet: a new IV is needed */
      len = 0;
      g_assert_cmpint (cipher->type->encrypt (cipher->state, buffer, &len),
          ==, srtp_err_status_bad_param);

      len = d.plaintext_len + tag_len;
      g_assert_cmpint (gcm_open (cipher, d.iv, d.aad, d.aad_len, buffer,
              &len), ==, srtp_err_status_ok);
      g_assert_cmpuint (len, ==, d.plaintext_len);
      assert_octets (buffer, d.plaintext, d.plaintext_len);

      /* init rekeys the same object: the vector still holds */
      g_assert_cmpint (cipher->type->init (cipher->state, d.key), ==,
          srtp_err_status_ok);
      memcpy (buffer, d.sealed, d.plaintext_len + tag_len);
      len = d.plaintext_len + tag_len;
      g_assert_cmpint (gcm_open (cipher, d.iv, d.aad, d.aad_len, buffer,
              &len), ==, srtp_err_status_ok);
      assert_octets (buffer, d.plaintext, d.plaintext_len);
      cipher_free (cipher);
    }
    gcm_data_clear (&d);
  }
}

/* RFC 7714 §8.2 / RFC 5116 §2.2: any flipped bit in ciphertext, AAD, tag
 * or IV fails authentication, and no plaintext is left behind. */
static void
test_aes_gcm_forgery (void)
{
  static const gint tag_lens[] = { 16, 8 };
  guint i, t, where;

  for (i = 0; i < G_N_ELEMENTS (gcm_vectors); i++) {
    GcmData d;

    gcm_data_init (&d, &gcm_vectors[i]);
    for (t = 0; t < G_N_ELEMENTS (tag_lens); t++) {
      gint tag_len = tag_lens[t];
      gsize sealed_len = d.plaintext_len + tag_len;
      srtp_cipher_t *cipher = cipher_new (gcm_vectors[i].id, d.key,
          d.key_len, tag_len);

      /* 0, 1: first and last ciphertext octet; 2, 3: AAD; 4, 5: tag;
       * 6: IV */
      for (where = 0; where < 7; where++) {
        guint8 buffer[128];
        guint8 aad[128];
        guint8 iv[12];
        unsigned int len = sealed_len;
        gsize k;

        if (where < 2 && d.plaintext_len == 0)
          continue;
        memcpy (buffer, d.sealed, sealed_len);
        memcpy (aad, d.aad, d.aad_len);
        memcpy (iv, d.iv, sizeof (iv));
        switch (where) {
          case 0:
            buffer[0] ^= 0x80;
            break;
          case 1:
            buffer[d.plaintext_len - 1] ^= 0x01;
            break;
          case 2:
            aad[0] ^= 0x01;
            break;
          case 3:
            aad[d.aad_len - 1] ^= 0x80;
            break;
          case 4:
            buffer[d.plaintext_len] ^= 0x01;
            break;
          case 5:
            buffer[sealed_len - 1] ^= 0x80;
            break;
          default:
            iv[11] ^= 0x01;
            break;
        }
        g_assert_cmpint (gcm_open (cipher, iv, aad, d.aad_len, buffer,
                &len), ==, srtp_err_status_auth_fail);
        for (k = 0; k < d.plaintext_len; k++)
          g_assert_cmpuint (buffer[k], ==, 0);
      }

      /* shorter than a tag */
      {
        guint8 buffer[16] = { 0, };
        unsigned int len = tag_len - 1;

        g_assert_cmpint (gcm_open (cipher, d.iv, d.aad, d.aad_len, buffer,
                &len), !=, srtp_err_status_ok);
      }

      /* and the cipher still works afterwards */
      {
        guint8 buffer[128];
        unsigned int len = sealed_len;

        memcpy (buffer, d.sealed, sealed_len);
        g_assert_cmpint (gcm_open (cipher, d.iv, d.aad, d.aad_len, buffer,
                &len), ==, srtp_err_status_ok);
        assert_octets (buffer, d.plaintext, d.plaintext_len);
      }
      cipher_free (cipher);
    }
    gcm_data_clear (&d);
  }
}

/* How srtp.c handles unencrypted SRTCP (RFC 7714 §9.3): encrypt gets NULL
 * and 0 octets before get_tag; decrypt gets the tag alone. */
static void
test_aes_gcm_tag_only (void)
{
  GcmData d;
  srtp_cipher_t *cipher;
  guint8 tag[16];
  unsigned int len = 0;
  uint32_t tag_len = 16;

  gcm_data_init (&d, &gcm_vectors[4]);
  cipher = cipher_new (SRTP_AES_GCM_128, d.key, d.key_len, 16);
  g_assert_cmpint (cipher->type->set_iv (cipher->state, d.iv,
          srtp_direction_encrypt), ==, srtp_err_status_ok);
  g_assert_cmpint (cipher->type->set_aad (cipher->state, d.aad,
          d.aad_len - 4), ==, srtp_err_status_ok);
  g_assert_cmpint (cipher->type->set_aad (cipher->state,
          d.aad + d.aad_len - 4, 4), ==, srtp_err_status_ok);
  g_assert_cmpint (cipher->type->encrypt (cipher->state, NULL, &len), ==,
      srtp_err_status_ok);
  g_assert_cmpint (cipher->type->get_tag (cipher->state, tag, &tag_len), ==,
      srtp_err_status_ok);
  assert_octets (tag, d.sealed, 16);

  len = 16;
  g_assert_cmpint (gcm_open (cipher, d.iv, d.aad, d.aad_len, tag, &len), ==,
      srtp_err_status_ok);
  g_assert_cmpuint (len, ==, 0);
  cipher_free (cipher);
  gcm_data_clear (&d);
}

/* ------------------------------------------------------------------ */
/* HMAC-SHA1                                                           */
/* ------------------------------------------------------------------ */

typedef struct
{
  const gchar *key;             /* hex */
  const gchar *data;            /* text, or hex when data_hex */
  gboolean data_hex;
  const gchar *digest;
} HmacVector;

/* RFC 2202 §3 */
static const HmacVector hmac_vectors[] = {
  {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", FALSE,
      "b617318655057264e28bc0b6fb378c8ef146be00"},
  {"4a656665", "what do ya want for nothing?", FALSE,
      "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
  {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "dddddddddddddddddddddddddddddddddddddddddddddddddd"
        "dddddddddddddddddddddddddddddddddddddddddddddddddd", TRUE,
      "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
  {"0102030405060708090a0b0c0d0e0f10111213141516171819",
        "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
        "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd", TRUE,
      "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
  {"0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "Test With Truncation", FALSE,
      "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
  {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "Test Using Larger Than Block-Size Key - Hash Key First", FALSE,
      "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
  {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "Test Using Larger Than Block-Size Key and Larger Than One Block-Size "
        "Data", FALSE,
      "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
};

static void
test_hmac_sha1_vectors (void)
{
  const srtp_auth_type_t *type = sec_srtp_crypto_get_auth_type
      (SRTP_HMAC_SHA1);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (hmac_vectors); i++) {
    const HmacVector *v = &hmac_vectors[i];
    gsize key_len, data_len, digest_len, k;
    guint8 *key = unhex (v->key, &key_len);
    guint8 *data = v->data_hex ? unhex (v->data, &data_len)
        : (guint8 *) g_strdup (v->data);
    guint8 *digest = unhex (v->digest, &digest_len);
    srtp_auth_test_case_t test_case = {
      (int) key_len, key, 0, data, (int) digest_len, digest, NULL
    };
    srtp_auth_t *auth = NULL;
    guint8 tag[20];
    gint tag_len;

    if (!v->data_hex)
      data_len = strlen (v->data);
    test_case.data_length_octets = data_len;
    g_test_message ("RFC 2202 section 3 test case %u", i + 1);

    /* libsrtp2's driver: alloc, init, compute */
    g_assert_cmpint (srtp_auth_type_test (type, &test_case), ==,
        srtp_err_status_ok);

    /* one octet per update, the last four in compute (as srtp.c passes
     * the ROC) */
    g_assert_cmpint (type->alloc (&auth, key_len, 20), ==,
        srtp_err_status_ok);
    g_assert_cmpint (type->init (auth->state, key, key_len), ==,
        srtp_err_status_ok);
    for (k = 0; k + 4 < data_len; k++)
      g_assert_cmpint (type->update (auth->state, data + k, 1), ==,
          srtp_err_status_ok);
    g_assert_cmpint (type->update (auth->state, data, 0), ==,
        srtp_err_status_ok);
    g_assert_cmpint (type->compute (auth->state, data + k, data_len - k, 20,
            tag), ==, srtp_err_status_ok);
    assert_octets (tag, digest, 20);

    /* start discards what came before and keeps the key */
    for (tag_len = 20; tag_len >= 0; tag_len -= 5) {
      memset (tag, 0xa5, sizeof (tag));
      g_assert_cmpint (type->start (auth->state), ==, srtp_err_status_ok);
      g_assert_cmpint (type->update (auth->state, (const guint8 *) "x", 1),
          ==, srtp_err_status_ok);
      g_assert_cmpint (type->start (auth->state), ==, srtp_err_status_ok);
      g_assert_cmpint (type->update (auth->state, data, data_len), ==,
          srtp_err_status_ok);
      g_assert_cmpint (type->compute (auth->state, NULL, 0, tag_len, tag),
          ==, srtp_err_status_ok);
      /* RFC 3711 §4.2.1: the leftmost octets, nothing written beyond */
      assert_octets (tag, digest, tag_len);
      for (k = tag_len; k < sizeof (tag); k++)
        g_assert_cmpuint (tag[k], ==, 0xa5);
    }
    g_assert_cmpint (type->dealloc (auth), ==, srtp_err_status_ok);

    g_free (key);
    g_free (data);
    g_free (digest);
  }

  g_assert_cmpint (srtp_auth_type_self_test (type), ==, srtp_err_status_ok);
}

/* A different key gives a different MAC, also after re-init. */
static void
test_hmac_sha1_rekey (void)
{
  const srtp_auth_type_t *type = sec_srtp_crypto_get_auth_type
      (SRTP_HMAC_SHA1);
  guint8 key[20] = { 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
    0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b
  };
  gsize digest_len;
  guint8 *digest = unhex (hmac_vectors[0].digest, &digest_len);
  srtp_auth_t *auth = NULL;
  guint8 tag[20];

  g_assert_cmpint (type->alloc (&auth, 20, 10), ==, srtp_err_status_ok);
  key[19] = 0x0a;
  g_assert_cmpint (type->init (auth->state, key, 20), ==, srtp_err_status_ok);
  g_assert_cmpint (type->compute (auth->state, (const guint8 *) "Hi There", 8,
          10, tag), ==, srtp_err_status_ok);
  g_assert_cmpint (memcmp (tag, digest, 10), !=, 0);
  key[19] = 0x0b;
  g_assert_cmpint (type->init (auth->state, key, 20), ==, srtp_err_status_ok);
  g_assert_cmpint (type->compute (auth->state, (const guint8 *) "Hi There", 8,
          10, tag), ==, srtp_err_status_ok);
  assert_octets (tag, digest, 10);
  g_assert_cmpint (type->dealloc (auth), ==, srtp_err_status_ok);
  g_free (digest);
}

/* ------------------------------------------------------------------ */
/* Against libsrtp2's built-in types                                   */
/* ------------------------------------------------------------------ */

/* Ours pass the built-in types' own test data (what
 * srtp_replace_*_type () will also check). Must run before install. */
static void
test_builtin_test_data (void)
{
  const srtp_auth_type_t *builtin_auth;
  guint i;

  g_assert_cmpstr (sec_srtp_crypto_backend (), ==, "libsrtp2");
  for (i = 0; i < G_N_ELEMENTS (cipher_ids); i++) {
    const srtp_cipher_type_t *builtin =
        srtp_crypto_kernel_get_cipher_type (cipher_ids[i]);

    g_assert_nonnull (builtin);
    g_assert_true (builtin != sec_srtp_crypto_get_cipher_type (cipher_ids[i]));
    g_test_message ("%s", builtin->description);
    g_assert_cmpint (srtp_cipher_type_test (sec_srtp_crypto_get_cipher_type
            (cipher_ids[i]), builtin->test_data), ==, srtp_err_status_ok);
  }
  builtin_auth = srtp_crypto_kernel_get_auth_type (SRTP_HMAC_SHA1);
  g_assert_nonnull (builtin_auth);
  g_assert_true (builtin_auth != sec_srtp_crypto_get_auth_type
      (SRTP_HMAC_SHA1));
  g_test_message ("%s", builtin_auth->description);
  g_assert_cmpint (srtp_auth_type_test (sec_srtp_crypto_get_auth_type
          (SRTP_HMAC_SHA1), builtin_auth->test_data), ==, srtp_err_status_ok);
}

typedef struct
{
  const gchar *name;
  void (*rtp_policy) (srtp_crypto_policy_t * p);
  void (*rtcp_policy) (srtp_crypto_policy_t * p);
  gsize master_len;             /* master key || master salt */
} Profile;

static const Profile profiles[] = {
  {"AES_CM_128_HMAC_SHA1_80", srtp_crypto_policy_set_rtp_default,
      srtp_crypto_policy_set_rtcp_default, 30},
  /* RFC 5764 §4.1.2: SRTCP keeps the 80-bit tag */
  {"AES_CM_128_HMAC_SHA1_32", srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32,
      srtp_crypto_policy_set_rtcp_default, 30},
  {"AES_256_CM_HMAC_SHA1_80", srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80,
      srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80, 46},
  {"AEAD_AES_128_GCM", srtp_crypto_policy_set_aes_gcm_128_16_auth,
      srtp_crypto_policy_set_aes_gcm_128_16_auth, 28},
  {"AEAD_AES_256_GCM", srtp_crypto_policy_set_aes_gcm_256_16_auth,
      srtp_crypto_policy_set_aes_gcm_256_16_auth, 44},
  /* 8-octet tags; SRTCP authenticated only (RFC 7714 §9.3) */
  {"AEAD_AES_128_GCM_8, SRTCP unencrypted",
        srtp_crypto_policy_set_aes_gcm_128_8_auth,
      srtp_crypto_policy_set_aes_gcm_128_8_only_auth, 28},
};

#define N_RTP 300
#define N_RTCP 100
#define MAX_PACKET (1500 + SRTP_MAX_TRAILER_LEN)

static const guint32 ssrcs[] = { 0x11111111, 0xdecafbad, 0x5501a0b2 };

typedef struct
{
  GBytes *rtp[N_RTP];           /* plaintext */
  GBytes *rtcp[N_RTCP];
  GBytes *srtp[G_N_ELEMENTS (profiles)][N_RTP];  /* built-in output */
  GBytes *srtcp[G_N_ELEMENTS (profiles)][N_RTCP];
} Traffic;

static void
put_be32 (guint8 * p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

static void
put_be16 (guint8 * p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v;
}

/* Random RTP (with CSRCs and RFC 8285 header extensions now and then) and
 * RTCP packets of random sizes from a fixed seed. */
static void
traffic_generate (Traffic * traffic)
{
  GRand *rand = g_rand_new_with_seed (0x5ec5a7c);
  guint16 seq[G_N_ELEMENTS (ssrcs)] = { 0xfff0, 1, 0x7000 };
  guint i, k;

  for (i = 0; i < N_RTP; i++) {
    guint8 packet[1500];
    guint which = g_rand_int_range (rand, 0, G_N_ELEMENTS (ssrcs));
    guint n_csrc = g_rand_int_range (rand, 0, 4) == 0 ?
        g_rand_int_range (rand, 1, 4) : 0;
    gboolean extension = g_rand_int_range (rand, 0, 3) == 0;
    gsize len = 12 + 4 * n_csrc;
    gsize payload;

    packet[0] = 0x80 | (extension ? 0x10 : 0) | n_csrc;
    packet[1] = 96 | (g_rand_boolean (rand) ? 0x80 : 0);
    put_be16 (packet + 2, seq[which]++);
    put_be32 (packet + 4, g_rand_int (rand));
    put_be32 (packet + 8, ssrcs[which]);
    for (k = 0; k < n_csrc; k++)
      put_be32 (packet + 12 + 4 * k, g_rand_int (rand));
    if (extension) {
      guint words = g_rand_int_range (rand, 1, 5);

      put_be16 (packet + len, 0xbede);
      put_be16 (packet + len + 2, words);
      for (k = 0; k < 4 * words; k++)
        packet[len + 4 + k] = g_rand_int_range (rand, 0, 256);
      len += 4 + 4 * words;
    }
    /* empty payloads too, and lengths around the block size */
    payload = g_rand_int_range (rand, 0, 5) == 0 ?
        g_rand_int_range (rand, 0, 40) : g_rand_int_range (rand, 0,
        1500 - len + 1);
    for (k = 0; k < payload; k++)
      packet[len + k] = g_rand_int_range (rand, 0, 256);
    len += payload;
    traffic->rtp[i] = g_bytes_new (packet, len);
  }

  for (i = 0; i < N_RTCP; i++) {
    guint8 packet[1024];
    gsize words = g_rand_int_range (rand, 1, 250);
    gsize len = 4 * (words + 1);

    for (k = 0; k < len; k++)
      packet[k] = g_rand_int_range (rand, 0, 256);
    packet[0] = 0x80;
    packet[1] = g_rand_boolean (rand) ? 200 : 201;
    put_be16 (packet + 2, words);
    put_be32 (packet + 4,
        ssrcs[g_rand_int_range (rand, 0, G_N_ELEMENTS (ssrcs))]);
    traffic->rtcp[i] = g_bytes_new (packet, len);
  }
  g_rand_free (rand);
}

static void
traffic_clear (Traffic * traffic)
{
  guint i, p;

  for (i = 0; i < N_RTP; i++) {
    g_bytes_unref (traffic->rtp[i]);
    for (p = 0; p < G_N_ELEMENTS (profiles); p++)
      g_clear_pointer (&traffic->srtp[p][i], g_bytes_unref);
  }
  for (i = 0; i < N_RTCP; i++) {
    g_bytes_unref (traffic->rtcp[i]);
    for (p = 0; p < G_N_ELEMENTS (profiles); p++)
      g_clear_pointer (&traffic->srtcp[p][i], g_bytes_unref);
  }
}

static guint8 master_key[46];

static srtp_t
session_new (const Profile * profile, gboolean sender)
{
  srtp_policy_t policy;
  srtp_t session = NULL;

  memset (&policy, 0, sizeof (policy));
  profile->rtp_policy (&policy.rtp);
  profile->rtcp_policy (&policy.rtcp);
  policy.ssrc.type = sender ? ssrc_any_outbound : ssrc_any_inbound;
  policy.key = master_key;
  policy.window_size = 1024;
  g_assert_cmpuint (policy.rtp.cipher_key_len, ==, profile->master_len);
  g_assert_cmpint (srtp_create (&session, &policy), ==, srtp_err_status_ok);
  return session;
}

static GBytes *
protect (srtp_t session, GBytes * plain, gboolean rtcp)
{
  guint8 buffer[MAX_PACKET];
  gsize plain_len;
  const guint8 *data = g_bytes_get_data (plain, &plain_len);
  int len = plain_len;

  memcpy (buffer, data, plain_len);
  if (rtcp)
    g_assert_cmpint (srtp_protect_rtcp (session, buffer, &len), ==,
        srtp_err_status_ok);
  else
    g_assert_cmpint (srtp_protect (session, buffer, &len), ==,
        srtp_err_status_ok);
  g_assert_cmpint (len, >, (int) plain_len);
  return g_bytes_new (buffer, len);
}

static void
unprotect_and_check (srtp_t session, GBytes * protected, GBytes * plain,
    gboolean rtcp)
{
  guint8 buffer[MAX_PACKET];
  gsize protected_len, plain_len;
  const guint8 *data = g_bytes_get_data (protected, &protected_len);
  const guint8 *expected = g_bytes_get_data (plain, &plain_len);
  int len = protected_len;

  memcpy (buffer, data, protected_len);
  if (rtcp)
    g_assert_cmpint (srtp_unprotect_rtcp (session, buffer, &len), ==,
        srtp_err_status_ok);
  else
    g_assert_cmpint (srtp_unprotect (session, buffer, &len), ==,
        srtp_err_status_ok);
  g_assert_cmpint (len, ==, (int) plain_len);
  assert_octets (buffer, expected, plain_len);
}

/* RTP header length with CSRCs and header extension (RFC 3550 §5.3.1). */
static gsize
rtp_header_len (const guint8 * packet)
{
  gsize len = 12 + 4 * (packet[0] & 0x0f);

  if (packet[0] & 0x10)
    len += 4 + 4 * ((packet[len + 2] << 8) | packet[len + 3]);
  return len;
}

/* A flipped bit anywhere after the clear header (payload, tag, SRTCP
 * trailer) is refused by authentication. */
static void
check_tamper_refused (srtp_t session, GBytes * protected, guint seed,
    gboolean rtcp)
{
  guint8 buffer[MAX_PACKET];
  gsize protected_len, header_len;
  const guint8 *data = g_bytes_get_data (protected, &protected_len);
  int len = protected_len;
  srtp_err_status_t status;

  memcpy (buffer, data, protected_len);
  header_len = rtcp ? 8 : rtp_header_len (buffer);
  g_assert_cmpuint (protected_len, >, header_len);
  buffer[header_len + seed % (protected_len - header_len)] ^= 0x04;
  if (rtcp)
    status = srtp_unprotect_rtcp (session, buffer, &len);
  else
    status = srtp_unprotect (session, buffer, &len);
  g_assert_cmpint (status, ==, srtp_err_status_auth_fail);
}

/* ns per packet for srtp_protect () then srtp_unprotect () of a
 * 1200-octet RTP packet. */
static gdouble
time_profile (const Profile * profile, guint iterations)
{
  srtp_t sender = session_new (profile, TRUE);
  srtp_t receiver = session_new (profile, FALSE);
  guint8 plain[1200];
  guint8 buffer[1200 + SRTP_MAX_TRAILER_LEN];
  gint64 start = 0;
  guint i;

  memset (plain, 0x5a, sizeof (plain));
  plain[0] = 0x80;
  plain[1] = 96;
  put_be32 (plain + 8, 0x12345678);
  for (i = 0; i < iterations + iterations / 10; i++) {
    int len = sizeof (plain);

    if (i == iterations / 10)   /* warmed up */
      start = g_get_monotonic_time ();
    memcpy (buffer, plain, sizeof (plain));
    put_be16 (buffer + 2, (guint16) i);
    if (srtp_protect (sender, buffer, &len) != srtp_err_status_ok
        || srtp_unprotect (receiver, buffer, &len) != srtp_err_status_ok)
      g_error ("%s: packet %u failed", profile->name, i);
  }
  srtp_dealloc (sender);
  srtp_dealloc (receiver);
  return (g_get_monotonic_time () - start) * 1000.0 / iterations;
}

/* The same packets, fresh sessions with the same keys: byte for byte the
 * output of libsrtp2's built-in crypto, then ours. */
static void
test_differential (void)
{
  Traffic *traffic = g_new0 (Traffic, 1);
  gdouble builtin_ns[G_N_ELEMENTS (profiles)] = { 0, };
  const guint timed_profiles[] = { 0, 3 };      /* CM-80 and GCM-128 */
  const guint iterations = g_test_slow ()? 50000 : 5000;
  guint i, p, t;

  for (i = 0; i < sizeof (master_key); i++)
    master_key[i] = 0xa0 + 7 * i;
  traffic_generate (traffic);

  /* built-in crypto */
  g_assert_cmpstr (sec_srtp_crypto_backend (), ==, "libsrtp2");
  for (p = 0; p < G_N_ELEMENTS (profiles); p++) {
    srtp_t sender = session_new (&profiles[p], TRUE);

    for (i = 0; i < N_RTP; i++)
      traffic->srtp[p][i] = protect (sender, traffic->rtp[i], FALSE);
    for (i = 0; i < N_RTCP; i++)
      traffic->srtcp[p][i] = protect (sender, traffic->rtcp[i], TRUE);
    srtp_dealloc (sender);
  }
  for (t = 0; t < G_N_ELEMENTS (timed_profiles); t++) {
    p = timed_profiles[t];
    builtin_ns[p] = time_profile (&profiles[p], iterations);
  }

  /* ours */
  g_assert_true (sec_srtp_crypto_install ());
  g_assert_cmpstr (sec_srtp_crypto_backend (), ==, "openssl");
  for (i = 0; i < G_N_ELEMENTS (cipher_ids); i++)
    g_assert_true (srtp_crypto_kernel_get_cipher_type (cipher_ids[i]) ==
        sec_srtp_crypto_get_cipher_type (cipher_ids[i]));
  g_assert_true (srtp_crypto_kernel_get_auth_type (SRTP_HMAC_SHA1) ==
      sec_srtp_crypto_get_auth_type (SRTP_HMAC_SHA1));

  for (p = 0; p < G_N_ELEMENTS (profiles); p++) {
    srtp_t sender = session_new (&profiles[p], TRUE);
    srtp_t receiver = session_new (&profiles[p], FALSE);
    srtp_t forged = session_new (&profiles[p], FALSE);

    g_test_message ("%s: %u RTP and %u RTCP packets", profiles[p].name,
        N_RTP, N_RTCP);
    for (i = 0; i < N_RTP; i++) {
      GBytes *ours = protect (sender, traffic->rtp[i], FALSE);

      if (!g_bytes_equal (ours, traffic->srtp[p][i]))
        g_error ("%s: SRTP packet %u differs from libsrtp2's",
            profiles[p].name, i);
      unprotect_and_check (receiver, ours, traffic->rtp[i], FALSE);
      if (i % 10 == 0)
        check_tamper_refused (forged, ours, 37 * i, FALSE);
      g_bytes_unref (ours);
    }
    for (i = 0; i < N_RTCP; i++) {
      GBytes *ours = protect (sender, traffic->rtcp[i], TRUE);

      if (!g_bytes_equal (ours, traffic->srtcp[p][i]))
        g_error ("%s: SRTCP packet %u differs from libsrtp2's",
            profiles[p].name, i);
      unprotect_and_check (receiver, ours, traffic->rtcp[i], TRUE);
      if (i % 10 == 0)
        check_tamper_refused (forged, ours, 29 * i, TRUE);
      g_bytes_unref (ours);
    }
    srtp_dealloc (sender);
    srtp_dealloc (receiver);
    srtp_dealloc (forged);
  }

  for (t = 0; t < G_N_ELEMENTS (timed_profiles); t++) {
    gdouble ours_ns;

    p = timed_profiles[t];
    ours_ns = time_profile (&profiles[p], iterations);
    g_test_message ("%s, protect+unprotect of 1200-octet RTP: libsrtp2 "
        "built-in %.0f ns/packet, OpenSSL %.0f ns/packet (x%.1f)",
        profiles[p].name, builtin_ns[p], ours_ns, builtin_ns[p] / ours_ns);
  }

  traffic_clear (traffic);
  g_free (traffic);
}

static void
test_install_status (void)
{
  const SecSrtpCryptoTypeStatus *status;
  static const gchar *names[] = { "aes-icm-128", "aes-icm-256",
    "aes-gcm-128", "aes-gcm-256", "hmac-sha1"
  };
  guint n_types = 0, i;

  /* run on its own (-p), the differential test did not install yet; a
   * second install replaces ours with ours */
  g_assert_true (sec_srtp_crypto_install ());
  g_assert_cmpstr (sec_srtp_crypto_backend (), ==, "openssl");
  status = sec_srtp_crypto_status (&n_types);
  g_assert_cmpuint (n_types, ==, G_N_ELEMENTS (names));
  for (i = 0; i < n_types; i++) {
    g_assert_cmpstr (status[i].name, ==, names[i]);
    g_assert_true (status[i].replaced);
    g_assert_null (status[i].reason);
  }
  for (i = 0; i < G_N_ELEMENTS (cipher_ids); i++)
    g_assert_true (srtp_crypto_kernel_get_cipher_type (cipher_ids[i]) ==
        sec_srtp_crypto_get_cipher_type (cipher_ids[i]));
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  if (srtp_init () != srtp_err_status_ok)
    g_error ("srtp_init () failed");

  g_test_add_func ("/srtpcrypto/types/fields", test_type_fields);
  g_test_add_func ("/srtpcrypto/aes-icm/libsrtp-driver",
      test_aes_icm_libsrtp_driver);
  g_test_add_func ("/srtpcrypto/aes-icm/continuity", test_aes_icm_continuity);
  g_test_add_func ("/srtpcrypto/aes-icm/salt", test_aes_icm_salt);
  g_test_add_func ("/srtpcrypto/aes-gcm/vectors", test_aes_gcm_vectors);
  g_test_add_func ("/srtpcrypto/aes-gcm/forgery", test_aes_gcm_forgery);
  g_test_add_func ("/srtpcrypto/aes-gcm/tag-only", test_aes_gcm_tag_only);
  g_test_add_func ("/srtpcrypto/hmac-sha1/vectors", test_hmac_sha1_vectors);
  g_test_add_func ("/srtpcrypto/hmac-sha1/rekey", test_hmac_sha1_rekey);
  /* needs libsrtp2's built-in types: before anything installs */
  g_test_add_func ("/srtpcrypto/builtin/test-data", test_builtin_test_data);
  g_test_add_func ("/srtpcrypto/install/differential", test_differential);
  g_test_add_func ("/srtpcrypto/install/status", test_install_status);

  result = g_test_run ();
  srtp_shutdown ();
  return result;
}
