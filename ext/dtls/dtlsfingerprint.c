/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Certificate fingerprints as SDP carries them, RFC 8122 §5:
 *
 *   fingerprint-attribute = "fingerprint" ":" hash-func SP fingerprint
 *   hash-func             = "sha-1" / "sha-224" / "sha-256" /
 *                           "sha-384" / "sha-512" /
 *                           "md5" / "md2" / token
 *   fingerprint           = 2UHEX *(":" 2UHEX)
 *
 * The text comes from the peer's signaling, so it is untrusted: the
 * parser walks it with an index bounded by its (trimmed) length, writes
 * at most SEC_DTLS_FINGERPRINT_MAX_DIGEST bytes and quotes at most a
 * short, escaped piece of it in error messages.
 */
#include "dtlsfingerprint.h"

#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

G_DEFINE_QUARK (sec-dtls-error-quark, sec_dtls_error);

typedef enum
{
  HASH_ACCEPTED,
  HASH_WEAK,
  HASH_UNSUPPORTED,
} HashVerdict;

typedef struct
{
  const gchar *name;            /* as written, case-insensitive */
  const gchar *canonical;       /* IANA "Hash Function Textual Names" */
  HashVerdict verdict;
  SecDtlsHash hash;             /* when accepted */
} HashName;

/* RFC 8122 §5 names. sha-256 is the one every WebRTC endpoint must
 * support (RFC 8827 §6.5); sha-1, md5 and md2 are open to collision
 * attacks and refused, sha-224 is not offered by browsers. OpenSSL names
 * the same hashes without the dash (`openssl x509 -fingerprint -sha256`
 * prints "sha256 Fingerprint=AB:..."): those names mean the same, so
 * what OpenSSL prints can be pasted as it is, and sha1 stays refused. */
static const HashName hash_names[] = {
  {"sha-256", "sha-256", HASH_ACCEPTED, SEC_DTLS_HASH_SHA256},
  {"sha-384", "sha-384", HASH_ACCEPTED, SEC_DTLS_HASH_SHA384},
  {"sha-512", "sha-512", HASH_ACCEPTED, SEC_DTLS_HASH_SHA512},
  {"sha-1", "sha-1", HASH_WEAK, SEC_DTLS_HASH_SHA256},
  {"md5", "md5", HASH_WEAK, SEC_DTLS_HASH_SHA256},
  {"md2", "md2", HASH_WEAK, SEC_DTLS_HASH_SHA256},
  {"sha-224", "sha-224", HASH_UNSUPPORTED, SEC_DTLS_HASH_SHA256},
  /* OpenSSL's spelling */
  {"sha256", "sha-256", HASH_ACCEPTED, SEC_DTLS_HASH_SHA256},
  {"sha384", "sha-384", HASH_ACCEPTED, SEC_DTLS_HASH_SHA384},
  {"sha512", "sha-512", HASH_ACCEPTED, SEC_DTLS_HASH_SHA512},
  {"sha1", "sha-1", HASH_WEAK, SEC_DTLS_HASH_SHA256},
  {"sha224", "sha-224", HASH_UNSUPPORTED, SEC_DTLS_HASH_SHA256},
};

/* What OpenSSL's `x509 -fingerprint` puts between the hash name and the
 * digest ("sha256 Fingerprint=AB:..."), case-insensitive. */
#define OPENSSL_FINGERPRINT_LABEL "Fingerprint="

/* Longest piece of untrusted text quoted in an error message. */
#define QUOTE_MAX 24

const gchar *
sec_dtls_hash_name (SecDtlsHash hash)
{
  switch (hash) {
    case SEC_DTLS_HASH_SHA256:
      return "sha-256";
    case SEC_DTLS_HASH_SHA384:
      return "sha-384";
    case SEC_DTLS_HASH_SHA512:
      return "sha-512";
  }
  g_return_val_if_reached (NULL);
}

/* 0 for a value outside the enum */
static gsize
hash_digest_len (SecDtlsHash hash)
{
  switch (hash) {
    case SEC_DTLS_HASH_SHA256:
      return 32;
    case SEC_DTLS_HASH_SHA384:
      return 48;
    case SEC_DTLS_HASH_SHA512:
      return 64;
  }
  return 0;
}

static const EVP_MD *
hash_md (SecDtlsHash hash)
{
  switch (hash) {
    case SEC_DTLS_HASH_SHA256:
      return EVP_sha256 ();
    case SEC_DTLS_HASH_SHA384:
      return EVP_sha384 ();
    case SEC_DTLS_HASH_SHA512:
      return EVP_sha512 ();
  }
  return NULL;
}

static gboolean
is_blank (gchar c)
{
  return c == ' ' || c == '\t';
}

/* A short piece of untrusted text fit for an error message: printable
 * ASCII kept, anything else escaped, cut after QUOTE_MAX characters. */
static gchar *
quote_untrusted (const gchar * text, gsize len)
{
  GString *quoted = g_string_sized_new (QUOTE_MAX + 8);
  gsize i;

  for (i = 0; i < len && i < QUOTE_MAX; i++) {
    guchar c = (guchar) text[i];

    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'')
      g_string_append_c (quoted, (gchar) c);
    else
      g_string_append_printf (quoted, "\\x%02x", c);
  }
  if (len > QUOTE_MAX)
    g_string_append (quoted, "...");
  return g_string_free (quoted, FALSE);
}

/* "'x'" or "byte 0x0a" for one character of untrusted text */
static void
describe_char (gchar c, gchar * buf, gsize buf_len)
{
  guchar u = (guchar) c;

  if (u > 0x20 && u < 0x7f)
    g_snprintf (buf, buf_len, "'%c'", c);
  else if (u == ' ')
    g_snprintf (buf, buf_len, "a space");
  else
    g_snprintf (buf, buf_len, "byte 0x%02x", u);
}

static const HashName *
lookup_hash_name (const gchar * name, gsize name_len)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (hash_names); i++) {
    if (strlen (hash_names[i].name) == name_len
        && g_ascii_strncasecmp (name, hash_names[i].name, name_len) == 0)
      return &hash_names[i];
  }
  return NULL;
}

/* The accepted hash a mistyped name most likely meant, or NULL: the
 * name's letters and digits, lower case, are those of an accepted one
 * ("sha_256", "SHA2-256"), or a bare "sha" is followed by the number
 * ("sha 256 AB:..."). text[start, name_end) is the name; *@quote_end is
 * set to the end of what an error message should quote. */
static const gchar *
near_miss_hash (const gchar * text, gsize start, gsize name_end, gsize end,
    gsize * quote_end)
{
  static const gchar *const meant[][2] = {
    {"sha256", "sha-256"}, {"sha2256", "sha-256"},
    {"sha384", "sha-384"}, {"sha2384", "sha-384"},
    {"sha512", "sha-512"}, {"sha2512", "sha-512"},
  };
  gchar squashed[16];
  gsize i, n = 0;

  *quote_end = name_end;
  for (i = start; i < name_end; i++) {
    if (!g_ascii_isalnum (text[i]))
      continue;
    if (n + 1 >= sizeof (squashed))
      return NULL;
    squashed[n++] = g_ascii_tolower (text[i]);
  }
  squashed[n] = '\0';
  if (strcmp (squashed, "sha") == 0 || strcmp (squashed, "sha2") == 0) {
    gsize pos = name_end, digits;

    while (pos < end && is_blank (text[pos]))
      pos++;
    for (digits = 0; pos < end && g_ascii_isdigit (text[pos]); digits++)
      pos++;
    if (digits != 3 || (pos < end && !is_blank (text[pos])))
      return NULL;
    memcpy (squashed + n, text + pos - 3, 3);
    squashed[n + 3] = '\0';
    *quote_end = pos;
  }
  for (i = 0; i < G_N_ELEMENTS (meant); i++) {
    if (strcmp (squashed, meant[i][0]) == 0)
      return meant[i][1];
  }
  return NULL;
}

/* Reads "2HEX *(":" 2HEX)" from text[pos, end) into @digest (at most
 * SEC_DTLS_FINGERPRINT_MAX_DIGEST bytes stored, all of them counted in
 * @n_bytes, so that a too-long digest can be reported with its length). */
static gboolean
parse_digest (const gchar * text, gsize pos, gsize end, guint8 * digest,
    gsize * n_bytes, GError ** error)
{
  gchar what[16];
  gsize n = 0;

  for (;;) {
    gint hi, lo;

    if (pos >= end) {
      g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
          "fingerprint digest ends with ':' after byte %" G_GSIZE_FORMAT, n);
      return FALSE;
    }
    hi = g_ascii_xdigit_value (text[pos]);
    if (hi < 0) {
      describe_char (text[pos], what, sizeof (what));
      g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
          "fingerprint digest has %s at offset %" G_GSIZE_FORMAT
          " where a hex digit was expected", what, pos);
      return FALSE;
    }
    lo = pos + 1 < end ? g_ascii_xdigit_value (text[pos + 1]) : -1;
    if (lo < 0) {
      if (pos + 1 >= end || text[pos + 1] == ':') {
        g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
            "fingerprint digest byte %" G_GSIZE_FORMAT
            " has one hex digit, not two", n + 1);
      } else {
        describe_char (text[pos + 1], what, sizeof (what));
        g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
            "fingerprint digest has %s at offset %" G_GSIZE_FORMAT
            " where a hex digit was expected", what, pos + 1);
      }
      return FALSE;
    }
    if (n < SEC_DTLS_FINGERPRINT_MAX_DIGEST)
      digest[n] = (guint8) ((hi << 4) | lo);
    n++;
    pos += 2;

    if (pos == end)
      break;
    if (text[pos] != ':') {
      if (g_ascii_isxdigit (text[pos])) {
        g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
            "fingerprint digest bytes must be separated by ':' (missing "
            "after byte %" G_GSIZE_FORMAT ", offset %" G_GSIZE_FORMAT ")",
            n, pos);
      } else {
        describe_char (text[pos], what, sizeof (what));
        g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
            "fingerprint digest has %s at offset %" G_GSIZE_FORMAT
            " where ':' or the end was expected", what, pos);
      }
      return FALSE;
    }
    pos++;
  }

  *n_bytes = n;
  return TRUE;
}

gboolean
sec_dtls_fingerprint_parse (const gchar * text,
    SecDtlsFingerprint * fingerprint, GError ** error)
{
  guint8 digest[SEC_DTLS_FINGERPRINT_MAX_DIGEST];
  const HashName *hash_name;
  gsize start, end, pos, n_bytes, expected_len;

  g_return_val_if_fail (fingerprint != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
        "no fingerprint text");
    return FALSE;
  }

  /* leading and trailing whitespace (an SDP line's CR LF, say) */
  start = 0;
  end = strlen (text);
  while (start < end && g_ascii_isspace (text[start]))
    start++;
  while (end > start && g_ascii_isspace (text[end - 1]))
    end--;
  if (start == end) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
        "fingerprint is empty");
    return FALSE;
  }

  /* hash-func, case-insensitive */
  pos = start;
  while (pos < end && !is_blank (text[pos]))
    pos++;
  hash_name = lookup_hash_name (text + start, pos - start);
  if (hash_name == NULL) {
    gsize quote_end;
    const gchar *meant = near_miss_hash (text, start, pos, end, &quote_end);
    gchar *quoted = quote_untrusted (text + start, quote_end - start);

    if (meant) {
      g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
          "unknown fingerprint hash '%s': did you mean %s? (expected "
          "sha-256, sha-384 or sha-512)", quoted, meant);
    } else {
      g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
          "unknown fingerprint hash '%s' (expected sha-256, sha-384 or "
          "sha-512)", quoted);
    }
    g_free (quoted);
    return FALSE;
  }
  if (hash_name->verdict == HASH_WEAK) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_WEAK_HASH,
        "%s fingerprints are refused: the hash is open to collision "
        "attacks (use sha-256, sha-384 or sha-512; `openssl x509 -noout "
        "-fingerprint -sha256` prints a sha-256 one)", hash_name->canonical);
    return FALSE;
  }
  if (hash_name->verdict == HASH_UNSUPPORTED) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
        "%s fingerprints are not supported (use sha-256, sha-384 or "
        "sha-512)", hash_name->canonical);
    return FALSE;
  }

  /* one or more spaces or tabs; text[end - 1] is not blank, so a blank
   * run that starts before @end also stops before it */
  if (pos == end) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
        "fingerprint has the hash name %s but no digest",
        hash_name->canonical);
    return FALSE;
  }
  while (pos < end && is_blank (text[pos]))
    pos++;
  /* OpenSSL's "Fingerprint=" right before the digest */
  if (end - pos >= strlen (OPENSSL_FINGERPRINT_LABEL)
      && g_ascii_strncasecmp (text + pos, OPENSSL_FINGERPRINT_LABEL,
          strlen (OPENSSL_FINGERPRINT_LABEL)) == 0) {
    pos += strlen (OPENSSL_FINGERPRINT_LABEL);
    if (pos == end) {
      g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
          "fingerprint has the hash name %s but no digest",
          hash_name->canonical);
      return FALSE;
    }
  }

  if (!parse_digest (text, pos, end, digest, &n_bytes, error))
    return FALSE;
  expected_len = hash_digest_len (hash_name->hash);
  if (n_bytes != expected_len) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
        "fingerprint digest has %" G_GSIZE_FORMAT " %s, %s needs %"
        G_GSIZE_FORMAT, n_bytes, n_bytes == 1 ? "byte" : "bytes",
        hash_name->canonical, expected_len);
    return FALSE;
  }

  fingerprint->hash = hash_name->hash;
  fingerprint->digest_len = n_bytes;
  memset (fingerprint->digest, 0, sizeof (fingerprint->digest));
  memcpy (fingerprint->digest, digest, n_bytes);
  return TRUE;
}

gchar *
sec_dtls_fingerprint_to_string (const SecDtlsFingerprint * fingerprint)
{
  static const gchar hex[] = "0123456789ABCDEF";
  const gchar *name;
  GString *text;
  gsize i;

  g_return_val_if_fail (fingerprint != NULL, NULL);
  name = sec_dtls_hash_name (fingerprint->hash);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (fingerprint->digest_len ==
      hash_digest_len (fingerprint->hash), NULL);

  text = g_string_sized_new (8 + 3 * fingerprint->digest_len);
  g_string_append (text, name);
  g_string_append_c (text, ' ');
  for (i = 0; i < fingerprint->digest_len; i++) {
    if (i > 0)
      g_string_append_c (text, ':');
    g_string_append_c (text, hex[fingerprint->digest[i] >> 4]);
    g_string_append_c (text, hex[fingerprint->digest[i] & 0x0f]);
  }
  return g_string_free (text, FALSE);
}

void
sec_dtls_fingerprint_compute (SecDtlsHash hash, const guint8 * der,
    gsize der_len, SecDtlsFingerprint * fingerprint)
{
  const EVP_MD *md = hash_md (hash);
  unsigned int digest_len = 0;

  g_return_if_fail (fingerprint != NULL);
  g_return_if_fail (der != NULL || der_len == 0);

  memset (fingerprint, 0, sizeof (*fingerprint));
  fingerprint->hash = hash;
  g_return_if_fail (md != NULL);

  /* RFC 8122 §5: the hash of the DER form of the certificate */
  if (EVP_Digest (der, der_len, fingerprint->digest, &digest_len, md,
          NULL) != 1 || digest_len != hash_digest_len (hash)) {
    /* digest_len 0 never equals a real fingerprint: fails closed */
    g_critical ("could not compute the %s of a certificate",
        sec_dtls_hash_name (hash));
    memset (fingerprint->digest, 0, sizeof (fingerprint->digest));
    fingerprint->digest_len = 0;
    return;
  }
  fingerprint->digest_len = digest_len;
}

gboolean
sec_dtls_fingerprint_equal (const SecDtlsFingerprint * a,
    const SecDtlsFingerprint * b)
{
  gsize len;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  /* hash and length are public (they come with the SDP), the digest
   * comparison is constant-time; an incomplete fingerprint (length not
   * that of its hash) equals nothing */
  len = hash_digest_len (a->hash);
  if (len == 0 || a->hash != b->hash || a->digest_len != len
      || b->digest_len != len)
    return FALSE;
  return CRYPTO_memcmp (a->digest, b->digest, len) == 0;
}
