/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fingerprint core without GStreamer: RFC 8122 §5 parse/format round
 * trips, the refusal of weak hashes, malformed input (every prefix of a
 * valid string included), the constant-time comparison and the digest
 * of a fixed certificate against values printed by the openssl CLI.
 */
#include "dtlsfingerprint.h"

#include <string.h>

/* An ECDSA P-256 self-signed certificate (CN=ec-test) made with
 * `openssl req -x509` when this test was written; its fingerprints are
 * what `openssl x509 -noout -fingerprint -sha256/-sha384/-sha512`
 * printed for it. */
static const gchar ec_test_cert_base64[] =
    "MIIBejCCAR+gAwIBAgIUVoitsjZy4e6ueNX0RHEjorTuiK4wCgYIKoZIzj0EAwIw"
    "EjEQMA4GA1UEAwwHZWMtdGVzdDAeFw0yNjExMjYwMzU3MTlaFw0zNjExMjMwMzU3"
    "MTlaMBIxEDAOBgNVBAMMB2VjLXRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC"
    "AARhgawuek58R7y3O7g1kSRuJ19lndJC3NHF7+pePZaQ8m4Bh9zNbIvyPI5le38y"
    "5PLh/Pc1eGos0jbq22MEUnYTo1MwUTAdBgNVHQ4EFgQUzOib0OWXhhath1mPFf5Y"
    "bqHCmCMwHwYDVR0jBBgwFoAUzOib0OWXhhath1mPFf5YbqHCmCMwDwYDVR0TAQH/"
    "BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEAoxcXmdqF2eZR2Zls3cjGL+4ZSNzj"
    "a3fzEaKDRjtp/GECIQCUqj9lJvyL1jGMUxPC/8um2hgRm8LoZaHmnzqmLxTTSw==";

static const gchar ec_test_sha256[] =
    "sha-256 6D:88:5F:58:99:7C:49:EC:11:26:5F:DE:21:4A:A9:25:"
    "2C:15:70:5D:76:FA:56:9E:12:C4:63:82:FB:A0:A1:07";
static const gchar ec_test_sha384[] =
    "sha-384 1C:34:2E:43:BD:43:D9:79:B5:DE:43:D3:FD:5B:C6:DB:"
    "51:BF:1F:30:A1:3F:94:81:B1:04:7E:EF:36:D9:F4:02:"
    "C3:4F:93:30:9A:8B:35:48:8F:D8:ED:11:7D:19:9D:1C";
static const gchar ec_test_sha512[] =
    "sha-512 82:70:60:43:C3:FB:5F:CD:5F:C2:C3:45:EF:01:3E:C8:"
    "55:4F:AE:E7:C4:EA:23:4A:E2:74:15:AF:78:66:82:4D:"
    "4E:D7:92:D5:FA:AD:89:94:1B:E3:A1:AE:41:28:6F:83:"
    "98:85:62:7E:A3:81:25:D4:DE:A4:BE:A5:E4:3F:78:BA";

static const SecDtlsHash all_hashes[] = {
  SEC_DTLS_HASH_SHA256, SEC_DTLS_HASH_SHA384, SEC_DTLS_HASH_SHA512,
};

static const gchar *const valid_strings[] = {
  ec_test_sha256, ec_test_sha384, ec_test_sha512,
};

/* "AB:CD:..." of @n_bytes bytes, starting at @first and counting up */
static gchar *
make_hex (gsize n_bytes, guint first)
{
  GString *hex = g_string_new (NULL);
  gsize i;

  for (i = 0; i < n_bytes; i++)
    g_string_append_printf (hex, "%s%02X", i > 0 ? ":" : "",
        (guint) ((first + i) & 0xff));
  return g_string_free (hex, FALSE);
}

static gchar *
make_fingerprint_text (const gchar * hash_name, gsize n_bytes)
{
  gchar *hex = make_hex (n_bytes, 0xa0);
  gchar *text = g_strconcat (hash_name, " ", hex, NULL);

  g_free (hex);
  return text;
}

static void
assert_parse_fails (const gchar * text, gint code, const gchar * in_message)
{
  SecDtlsFingerprint fingerprint;
  GError *error = NULL;

  if (sec_dtls_fingerprint_parse (text, &fingerprint, &error))
    g_error ("'%s' parsed, expected an error", text);
  g_assert_error (error, SEC_DTLS_ERROR, code);
  if (strstr (error->message, in_message) == NULL)
    g_error ("error for '%s' is \"%s\", expected it to contain \"%s\"",
        text, error->message, in_message);
  g_clear_error (&error);
}

static void
test_hash_names (void)
{
  g_assert_cmpstr (sec_dtls_hash_name (SEC_DTLS_HASH_SHA256), ==, "sha-256");
  g_assert_cmpstr (sec_dtls_hash_name (SEC_DTLS_HASH_SHA384), ==, "sha-384");
  g_assert_cmpstr (sec_dtls_hash_name (SEC_DTLS_HASH_SHA512), ==, "sha-512");
}

static void
test_roundtrip (void)
{
  static const gsize digest_lens[] = { 32, 48, 64 };
  gsize h, i;

  for (h = 0; h < G_N_ELEMENTS (all_hashes); h++) {
    SecDtlsFingerprint fingerprint, parsed;
    const gchar *name = sec_dtls_hash_name (all_hashes[h]);
    gchar *text, *expected;

    memset (&fingerprint, 0, sizeof (fingerprint));
    fingerprint.hash = all_hashes[h];
    fingerprint.digest_len = digest_lens[h];
    for (i = 0; i < fingerprint.digest_len; i++)
      fingerprint.digest[i] = (guint8) (0xa0 + i);

    text = sec_dtls_fingerprint_to_string (&fingerprint);
    expected = make_fingerprint_text (name, digest_lens[h]);
    g_assert_cmpstr (text, ==, expected);
    g_assert_cmpuint (strlen (text), ==, 8 + 3 * digest_lens[h] - 1);

    g_assert_true (sec_dtls_fingerprint_parse (text, &parsed, NULL));
    g_assert_cmpint (parsed.hash, ==, all_hashes[h]);
    g_assert_cmpuint (parsed.digest_len, ==, digest_lens[h]);
    g_assert_cmpmem (parsed.digest, parsed.digest_len, fingerprint.digest,
        fingerprint.digest_len);
    g_assert_true (sec_dtls_fingerprint_equal (&parsed, &fingerprint));
    g_free (text);
    g_free (expected);

    /* and from text to text */
    g_assert_true (sec_dtls_fingerprint_parse (valid_strings[h], &parsed,
            NULL));
    text = sec_dtls_fingerprint_to_string (&parsed);
    g_assert_cmpstr (text, ==, valid_strings[h]);
    g_free (text);
  }
}

static void
test_case_and_whitespace (void)
{
  static const gchar *const variants[] = {
    "SHA-256 6d:88:5f:58:99:7c:49:ec:11:26:5f:de:21:4a:a9:25:"
        "2c:15:70:5d:76:fa:56:9e:12:c4:63:82:fb:a0:a1:07",
    "Sha-256 6D:88:5f:58:99:7C:49:eC:11:26:5F:DE:21:4A:A9:25:"
        "2C:15:70:5D:76:FA:56:9E:12:C4:63:82:FB:A0:A1:07",
    "  \t sha-256 6D:88:5F:58:99:7C:49:EC:11:26:5F:DE:21:4A:A9:25:"
        "2C:15:70:5D:76:FA:56:9E:12:C4:63:82:FB:A0:A1:07 \t\r\n",
    "sha-256\t6D:88:5F:58:99:7C:49:EC:11:26:5F:DE:21:4A:A9:25:"
        "2C:15:70:5D:76:FA:56:9E:12:C4:63:82:FB:A0:A1:07",
    "sha-256  \t  6D:88:5F:58:99:7C:49:EC:11:26:5F:DE:21:4A:A9:25:"
        "2C:15:70:5D:76:FA:56:9E:12:C4:63:82:FB:A0:A1:07",
    "\r\nsha-256 6D:88:5F:58:99:7C:49:EC:11:26:5F:DE:21:4A:A9:25:"
        "2C:15:70:5D:76:FA:56:9E:12:C4:63:82:FB:A0:A1:07\r\n",
  };
  SecDtlsFingerprint reference, parsed;
  gsize i;

  g_assert_true (sec_dtls_fingerprint_parse (ec_test_sha256, &reference,
          NULL));
  for (i = 0; i < G_N_ELEMENTS (variants); i++) {
    GError *error = NULL;
    gchar *text;

    if (!sec_dtls_fingerprint_parse (variants[i], &parsed, &error))
      g_error ("variant %" G_GSIZE_FORMAT " refused: %s", i, error->message);
    g_assert_true (sec_dtls_fingerprint_equal (&parsed, &reference));
    /* always printed in the canonical form */
    text = sec_dtls_fingerprint_to_string (&parsed);
    g_assert_cmpstr (text, ==, ec_test_sha256);
    g_free (text);
  }
  g_assert_true (sec_dtls_fingerprint_parse ("SHA-512 "
          "82:70:60:43:C3:FB:5F:CD:5F:C2:C3:45:EF:01:3E:C8:"
          "55:4F:AE:E7:C4:EA:23:4A:E2:74:15:AF:78:66:82:4D:"
          "4E:D7:92:D5:FA:AD:89:94:1B:E3:A1:AE:41:28:6F:83:"
          "98:85:62:7e:a3:81:25:d4:de:a4:be:a5:e4:3f:78:ba", &parsed, NULL));
  g_assert_cmpint (parsed.hash, ==, SEC_DTLS_HASH_SHA512);

  /* whitespace inside the digest, or a separator other than space/tab */
  assert_parse_fails ("sha-256 6D: 88:5F:58:99:7C:49:EC:11:26:5F:DE:21:4A:"
      "A9:25:2C:15:70:5D:76:FA:56:9E:12:C4:63:82:FB:A0:A1:07",
      SEC_DTLS_ERROR_INVALID, "a space at offset 11");
  assert_parse_fails ("sha-256 6D:88 :5F:58:99:7C:49:EC:11:26:5F:DE:21:4A:"
      "A9:25:2C:15:70:5D:76:FA:56:9E:12:C4:63:82:FB:A0:A1:07",
      SEC_DTLS_ERROR_INVALID, "where ':' or the end was expected");
  assert_parse_fails ("sha-256\n6D:88:5F:58:99:7C:49:EC:11:26:5F:DE:21:4A:"
      "A9:25:2C:15:70:5D:76:FA:56:9E:12:C4:63:82:FB:A0:A1:07",
      SEC_DTLS_ERROR_INVALID, "unknown fingerprint hash 'sha-256\\x0a6D");
}

static void
test_weak_hashes (void)
{
  gchar *sha1 = make_fingerprint_text ("sha-1", 20);
  gchar *sha1_upper = make_fingerprint_text ("SHA-1", 20);
  gchar *md5 = make_fingerprint_text ("md5", 16);
  gchar *md2 = make_fingerprint_text ("MD2", 16);

  assert_parse_fails (sha1, SEC_DTLS_ERROR_WEAK_HASH,
      "sha-1 fingerprints are refused");
  assert_parse_fails (sha1, SEC_DTLS_ERROR_WEAK_HASH, "collision");
  assert_parse_fails (sha1_upper, SEC_DTLS_ERROR_WEAK_HASH,
      "sha-1 fingerprints are refused");
  assert_parse_fails (md5, SEC_DTLS_ERROR_WEAK_HASH,
      "md5 fingerprints are refused");
  assert_parse_fails (md2, SEC_DTLS_ERROR_WEAK_HASH,
      "md2 fingerprints are refused");
  /* the hash alone decides, whatever follows */
  assert_parse_fails ("sha-1", SEC_DTLS_ERROR_WEAK_HASH, "refused");
  assert_parse_fails (" md5 xyz ", SEC_DTLS_ERROR_WEAK_HASH, "refused");
  g_free (sha1);
  g_free (sha1_upper);
  g_free (md5);
  g_free (md2);
}

static void
test_invalid (void)
{
  gchar *text, *hex;
  GString *long_name;
  SecDtlsFingerprint fingerprint;
  GError *error = NULL;

  assert_parse_fails (NULL, SEC_DTLS_ERROR_INVALID, "no fingerprint");
  assert_parse_fails ("", SEC_DTLS_ERROR_INVALID, "empty");
  assert_parse_fails (" \t\r\n ", SEC_DTLS_ERROR_INVALID, "empty");

  text = make_fingerprint_text ("sha-224", 28);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
      "sha-224 fingerprints are not supported");
  g_free (text);
  assert_parse_fails ("sha-257 AB:CD", SEC_DTLS_ERROR_INVALID,
      "unknown fingerprint hash 'sha-257'");
  text = make_fingerprint_text ("sha2560", 32);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
      "unknown fingerprint hash 'sha2560'");
  g_free (text);
  text = make_fingerprint_text ("sha-256-x", 32);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID, "unknown");
  g_free (text);
  assert_parse_fails ("6D:88:5F", SEC_DTLS_ERROR_INVALID,
      "unknown fingerprint hash '6D:88:5F'");

  assert_parse_fails ("sha-256", SEC_DTLS_ERROR_INVALID, "no digest");
  assert_parse_fails ("sha-256   ", SEC_DTLS_ERROR_INVALID, "no digest");

  /* wrong digest lengths */
  text = make_fingerprint_text ("sha-256", 31);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
      "fingerprint digest has 31 bytes, sha-256 needs 32");
  g_free (text);
  text = make_fingerprint_text ("sha-256", 33);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
      "fingerprint digest has 33 bytes, sha-256 needs 32");
  g_free (text);
  text = make_fingerprint_text ("sha-384", 32);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
      "has 32 bytes, sha-384 needs 48");
  g_free (text);
  text = make_fingerprint_text ("sha-512", 48);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
      "has 48 bytes, sha-512 needs 64");
  g_free (text);
  text = make_fingerprint_text ("sha-256", 1000);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
      "has 1000 bytes, sha-256 needs 32");
  g_free (text);
  assert_parse_fails ("sha-256 AB", SEC_DTLS_ERROR_INVALID,
      "has 1 byte, sha-256 needs 32");

  /* odd hex digits */
  hex = make_hex (31, 0xa0);
  text = g_strconcat ("sha-256 A:", hex, NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
      "byte 1 has one hex digit, not two");
  g_free (text);
  text = g_strconcat ("sha-256 ", hex, ":A", NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
      "byte 32 has one hex digit, not two");
  g_free (text);
  text = g_strconcat ("sha-256 ", hex, ":ABC", NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
      "must be separated by ':' (missing after byte 32");
  g_free (text);

  /* missing colons */
  assert_parse_fails ("sha-256 6D885F58997C49EC11265FDE214AA9252C15705D"
      "76FA569E12C46382FBA0A107", SEC_DTLS_ERROR_INVALID,
      "must be separated by ':' (missing after byte 1, offset 10)");

  /* trailing garbage, stray separators, characters that are not hex */
  text = g_strconcat (ec_test_sha256, " x", NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
      "a space at offset 103 where ':' or the end was expected");
  g_free (text);
  text = g_strconcat (ec_test_sha256, ":", NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
      "ends with ':' after byte 32");
  g_free (text);
  text = g_strconcat (ec_test_sha256, ";", NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID, "';' at offset 103");
  g_free (text);
  text = g_strconcat ("sha-256 :", hex, NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
      "':' at offset 8 where a hex digit was expected");
  g_free (text);
  text = g_strconcat ("sha-256 AB::", hex, NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID, "':' at offset 11");
  g_free (text);
  text = g_strconcat ("sha-256 GG:", hex, NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID, "'G' at offset 8");
  g_free (text);
  text = g_strconcat ("sha-256 A\x01:", hex, NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID, "byte 0x01 at offset 9");
  g_free (text);
  text = g_strconcat ("sha-256 0x:", hex, NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID, "'x' at offset 9");
  g_free (text);
  g_free (hex);

  /* untrusted text in messages is escaped and cut short */
  assert_parse_fails ("s\xff\x01'\\ AB", SEC_DTLS_ERROR_INVALID,
      "'s\\xff\\x01\\x27\\x5c'");
  long_name = g_string_new (NULL);
  while (long_name->len < 10000)
    g_string_append (long_name, "sha-256-");
  g_string_append (long_name, " AB:CD");
  g_assert_false (sec_dtls_fingerprint_parse (long_name->str, &fingerprint,
          &error));
  g_assert_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "...'"));
  g_assert_cmpuint (strlen (error->message), <, 120);
  g_clear_error (&error);
  g_string_free (long_name, TRUE);
}

/* What `openssl x509 -noout -fingerprint -sha256` prints ("sha256
 * Fingerprint=AB:..." from OpenSSL 3, "SHA256 Fingerprint=..." from 1.1)
 * and OpenSSL's hash names without the dash are accepted and read back
 * in the SDP form; sha1 stays refused in any spelling; near misses say
 * what was meant. */
static void
test_openssl_forms (void)
{
  static const gchar digest256[] =
      "6D:88:5F:58:99:7C:49:EC:11:26:5F:DE:21:4A:A9:25:"
      "2C:15:70:5D:76:FA:56:9E:12:C4:63:82:FB:A0:A1:07";
  static const gchar *const accepted_prefixes[] = {
    "sha256 Fingerprint=", "SHA256 Fingerprint=", "sha256 fingerprint=",
    "sha-256 Fingerprint=", "sha256 ", "SHA256\t", "SHA-256 ",
  };
  static const gchar *const near_misses[] = {
    "sha_256 ", "SHA2-256 ", "sha 256 ", "Sha_256 Fingerprint=",
  };
  SecDtlsFingerprint reference, parsed;
  gchar *text, *sha1, *digest1;
  gsize i, len;

  g_assert_true (sec_dtls_fingerprint_parse (ec_test_sha256, &reference,
          NULL));
  for (i = 0; i < G_N_ELEMENTS (accepted_prefixes); i++) {
    GError *error = NULL;
    gchar *canonical;

    text = g_strconcat (accepted_prefixes[i], digest256, "\n", NULL);
    if (!sec_dtls_fingerprint_parse (text, &parsed, &error))
      g_error ("'%s' refused: %s", text, error->message);
    g_assert_true (sec_dtls_fingerprint_equal (&parsed, &reference));
    canonical = sec_dtls_fingerprint_to_string (&parsed);
    g_assert_cmpstr (canonical, ==, ec_test_sha256);
    g_free (canonical);
    g_free (text);
  }
  /* the other accepted hashes, as OpenSSL names them */
  text = g_strconcat ("sha384 Fingerprint=", ec_test_sha384 + 8, NULL);
  g_assert_true (sec_dtls_fingerprint_parse (text, &parsed, NULL));
  g_assert_cmpint (parsed.hash, ==, SEC_DTLS_HASH_SHA384);
  g_free (text);
  text = g_strconcat ("SHA512 Fingerprint=", ec_test_sha512 + 8, NULL);
  g_assert_true (sec_dtls_fingerprint_parse (text, &parsed, NULL));
  g_assert_cmpint (parsed.hash, ==, SEC_DTLS_HASH_SHA512);
  g_free (text);

  /* what `openssl x509 -fingerprint` prints without -sha256: refused */
  digest1 = make_hex (20, 0xa0);
  sha1 = g_strconcat ("SHA1 Fingerprint=", digest1, NULL);
  assert_parse_fails (sha1, SEC_DTLS_ERROR_WEAK_HASH,
      "sha-1 fingerprints are refused");
  g_free (sha1);
  sha1 = g_strconcat ("sha1 Fingerprint=", digest1, NULL);
  assert_parse_fails (sha1, SEC_DTLS_ERROR_WEAK_HASH, "-sha256");
  g_free (sha1);
  sha1 = g_strconcat ("sha1 ", digest1, NULL);
  assert_parse_fails (sha1, SEC_DTLS_ERROR_WEAK_HASH, "refused");
  g_free (sha1);
  g_free (digest1);
  assert_parse_fails ("MD5 Fingerprint=AB:CD", SEC_DTLS_ERROR_WEAK_HASH,
      "md5 fingerprints are refused");
  text = g_strconcat ("sha224 Fingerprint=", digest256, NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
      "sha-224 fingerprints are not supported");
  g_free (text);

  for (i = 0; i < G_N_ELEMENTS (near_misses); i++) {
    text = g_strconcat (near_misses[i], digest256, NULL);
    assert_parse_fails (text, SEC_DTLS_ERROR_INVALID,
        "did you mean sha-256?");
    g_free (text);
  }
  text = g_strconcat ("sha_384 ", ec_test_sha384 + 8, NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID, "did you mean sha-384?");
  g_free (text);
  /* "Fingerprint=" alone, or not followed by the digest */
  assert_parse_fails ("sha256 Fingerprint=", SEC_DTLS_ERROR_INVALID,
      "no digest");
  text = g_strconcat ("sha256 Fingerprint= ", digest256, NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID, "a space at offset 19");
  g_free (text);
  text = g_strconcat ("sha256 Fingerprint:", digest256, NULL);
  assert_parse_fails (text, SEC_DTLS_ERROR_INVALID, "'i' at offset 8");
  g_free (text);

  /* no prefix of the OpenSSL form parses */
  text = g_strconcat ("sha256 Fingerprint=", digest256, NULL);
  for (len = 0; len < strlen (text); len++) {
    gchar *prefix = g_strndup (text, len);
    GError *error = NULL;

    g_assert_false (sec_dtls_fingerprint_parse (prefix, &parsed, &error));
    g_assert_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID);
    g_clear_error (&error);
    g_free (prefix);
  }
  g_free (text);
}

/* libnice stun/tests/test-parse.c style: no prefix of a valid input is
 * valid, and none of them crashes. */
static void
test_every_prefix (void)
{
  gsize i, len;

  for (i = 0; i < G_N_ELEMENTS (valid_strings); i++) {
    gsize full_len = strlen (valid_strings[i]);

    for (len = 0; len < full_len; len++) {
      /* an exact-size heap copy, so that a read past the end shows
       * under valgrind or ASan */
      gchar *prefix = g_strndup (valid_strings[i], len);
      SecDtlsFingerprint fingerprint;
      GError *error = NULL;

      g_assert_false (sec_dtls_fingerprint_parse (prefix, &fingerprint,
              &error));
      g_assert_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID);
      g_assert_nonnull (error->message);
      g_clear_error (&error);
      g_free (prefix);
    }
  }
}

static void
test_equal (void)
{
  SecDtlsFingerprint a, b, sha384;
  gsize h, i;
  guint bit;

  for (h = 0; h < G_N_ELEMENTS (valid_strings); h++) {
    g_assert_true (sec_dtls_fingerprint_parse (valid_strings[h], &a, NULL));
    b = a;
    g_assert_true (sec_dtls_fingerprint_equal (&a, &b));
    g_assert_true (sec_dtls_fingerprint_equal (&b, &a));
    g_assert_true (sec_dtls_fingerprint_equal (&a, &a));
    for (i = 0; i < a.digest_len; i++) {
      for (bit = 0; bit < 8; bit++) {
        b = a;
        b.digest[i] ^= (guint8) (1u << bit);
        if (sec_dtls_fingerprint_equal (&a, &b))
          g_error ("%s: flipping bit %u of byte %" G_GSIZE_FORMAT
              " went unnoticed", valid_strings[h], bit, i);
        g_assert_false (sec_dtls_fingerprint_equal (&b, &a));
      }
    }
  }

  /* different hashes never match, even with the same leading bytes */
  g_assert_true (sec_dtls_fingerprint_parse (ec_test_sha256, &a, NULL));
  g_assert_true (sec_dtls_fingerprint_parse (ec_test_sha384, &sha384, NULL));
  b = sha384;
  memcpy (b.digest, a.digest, a.digest_len);
  g_assert_false (sec_dtls_fingerprint_equal (&a, &b));
  b.hash = SEC_DTLS_HASH_SHA256;
  b.digest_len = 32;
  g_assert_true (sec_dtls_fingerprint_equal (&a, &b));
  b.hash = SEC_DTLS_HASH_SHA384;
  g_assert_false (sec_dtls_fingerprint_equal (&a, &b));
  /* an incomplete fingerprint equals nothing, not even itself */
  b = a;
  b.digest_len = 0;
  g_assert_false (sec_dtls_fingerprint_equal (&b, &b));
  b.digest_len = 31;
  g_assert_false (sec_dtls_fingerprint_equal (&a, &b));
}

static void
test_compute (void)
{
  static const gchar *const expected[] = {
    ec_test_sha256, ec_test_sha384, ec_test_sha512,
  };
  guchar *der;
  gsize der_len, h;

  der = g_base64_decode (ec_test_cert_base64, &der_len);
  g_assert_cmpuint (der_len, ==, 382);
  for (h = 0; h < G_N_ELEMENTS (all_hashes); h++) {
    SecDtlsFingerprint computed, parsed;
    gchar *text;

    sec_dtls_fingerprint_compute (all_hashes[h], der, der_len, &computed);
    g_assert_cmpint (computed.hash, ==, all_hashes[h]);
    text = sec_dtls_fingerprint_to_string (&computed);
    g_assert_cmpstr (text, ==, expected[h]);
    g_free (text);
    g_assert_true (sec_dtls_fingerprint_parse (expected[h], &parsed, NULL));
    g_assert_true (sec_dtls_fingerprint_equal (&computed, &parsed));

    /* one changed byte of the certificate changes the fingerprint */
    der[der_len / 2] ^= 0x01;
    sec_dtls_fingerprint_compute (all_hashes[h], der, der_len, &computed);
    der[der_len / 2] ^= 0x01;
    g_assert_false (sec_dtls_fingerprint_equal (&computed, &parsed));
  }
  g_free (der);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dtls/fingerprint/hash-names", test_hash_names);
  g_test_add_func ("/dtls/fingerprint/roundtrip", test_roundtrip);
  g_test_add_func ("/dtls/fingerprint/case-and-whitespace",
      test_case_and_whitespace);
  g_test_add_func ("/dtls/fingerprint/weak-hashes", test_weak_hashes);
  g_test_add_func ("/dtls/fingerprint/invalid", test_invalid);
  g_test_add_func ("/dtls/fingerprint/openssl-forms", test_openssl_forms);
  g_test_add_func ("/dtls/fingerprint/every-prefix", test_every_prefix);
  g_test_add_func ("/dtls/fingerprint/equal", test_equal);
  g_test_add_func ("/dtls/fingerprint/compute", test_compute);
  return g_test_run ();
}
