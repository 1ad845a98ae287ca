/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecDtlsCertificate: the certificate and private key one end of a
 * DTLS-SRTP association presents. WebRTC endpoints use self-signed
 * certificates that the peer authenticates by the fingerprint signaled
 * in SDP (RFC 5763 §5, RFC 8122 §5), so new() makes a fresh ECDSA P-256
 * key (the curve every WebRTC endpoint supports, RFC 8827 §6.5) and a
 * self-signed certificate for it; new_from_pem() takes a configured one.
 *
 * Private keys are never printed: error messages are built from our own
 * text and OpenSSL's reason strings only, never from the PEM input. The
 * PEM text is the caller's: it is read in place (no copy is made, so
 * there is none to wipe), each OpenSSL reader sees only its own block,
 * and nothing keeps a pointer into it once new_from_pem() returns.
 */
#include "dtlscertificate.h"

#include <string.h>
#include <time.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#define CERTIFICATE_CN "gst-secwebrtc"
#define ONE_DAY_S (24 * 60 * 60)
#define VALIDITY_DAYS 30
#define RSA_MIN_BITS 2048

struct _SecDtlsCertificate
{
  gatomicrefcount ref_count;
  /* immutable after construction */
  X509 *x509;
  EVP_PKEY *key;
  gchar *fingerprint;           /* "sha-256 AB:CD:..." */
};

/* Sets @error from OpenSSL's queue (its reason string only) and empties
 * the queue so that nothing is left for later calls to trip over. */
static void
set_openssl_error (GError ** error, gint code, const gchar * what)
{
  unsigned long err = ERR_peek_last_error ();
  const gchar *reason = err != 0 ? ERR_reason_error_string (err) : NULL;

  g_set_error (error, SEC_DTLS_ERROR, code, "%s (%s)", what,
      reason != NULL ? reason : "no OpenSSL reason");
  ERR_clear_error ();
}

/* Takes ownership of @x509 and @key (freed on failure too). */
static SecDtlsCertificate *
certificate_wrap (X509 * x509, EVP_PKEY * key, GError ** error)
{
  SecDtlsCertificate *cert;
  SecDtlsFingerprint fingerprint;

  sec_dtls_x509_fingerprint (x509, SEC_DTLS_HASH_SHA256, &fingerprint);
  if (fingerprint.digest_len == 0) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_FAILED,
        "could not compute the certificate's sha-256 fingerprint");
    X509_free (x509);
    EVP_PKEY_free (key);
    return NULL;
  }

  cert = g_new0 (SecDtlsCertificate, 1);
  g_atomic_ref_count_init (&cert->ref_count);
  cert->x509 = x509;
  cert->key = key;
  cert->fingerprint = sec_dtls_fingerprint_to_string (&fingerprint);
  return cert;
}

/* RFC 5280 §4.1.2.2: a positive integer, unique per issuer; 63 random
 * bits so that its DER form fits in 8 octets. */
static gboolean
random_serial (guint64 * serial)
{
  guint8 bytes[8];
  gsize i;

  do {
    if (RAND_bytes (bytes, sizeof (bytes)) != 1)
      return FALSE;
    *serial = 0;
    for (i = 0; i < sizeof (bytes); i++)
      *serial = (*serial << 8) | bytes[i];
    *serial &= G_GUINT64_CONSTANT (0x7fffffffffffffff);
  } while (*serial == 0);
  return TRUE;
}

SecDtlsCertificate *
sec_dtls_certificate_new (GError ** error)
{
  EVP_PKEY *key;
  X509 *x509;
  X509_NAME *name;
  guint64 serial;
  time_t now;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key = EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-256");
  if (key == NULL) {
    set_openssl_error (error, SEC_DTLS_ERROR_FAILED,
        "could not generate an ECDSA P-256 key");
    return NULL;
  }
  x509 = X509_new ();
  if (x509 == NULL) {
    set_openssl_error (error, SEC_DTLS_ERROR_FAILED,
        "could not allocate a certificate");
    EVP_PKEY_free (key);
    return NULL;
  }
  if (!random_serial (&serial)) {
    set_openssl_error (error, SEC_DTLS_ERROR_FAILED,
        "could not draw a random certificate serial number");
    goto fail;
  }

  /* X.509 v3 (RFC 5280 §4.1), valid from one day ago (clocks of the
   * peers may differ) for VALIDITY_DAYS days in all, both ends from the
   * same "now" (two clock reads could straddle a second) */
  name = X509_get_subject_name (x509);
  now = time (NULL);
  if (X509_set_version (x509, X509_VERSION_3) != 1
      || ASN1_INTEGER_set_uint64 (X509_get_serialNumber (x509), serial) != 1
      || X509_time_adj (X509_getm_notBefore (x509), -ONE_DAY_S, &now) == NULL
      || X509_time_adj (X509_getm_notAfter (x509),
          (long) (VALIDITY_DAYS - 1) * ONE_DAY_S, &now) == NULL
      || X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8,
          (const unsigned char *) CERTIFICATE_CN, -1, -1, 0) != 1
      || X509_set_issuer_name (x509, name) != 1
      || X509_set_pubkey (x509, key) != 1) {
    set_openssl_error (error, SEC_DTLS_ERROR_FAILED,
        "could not fill in the certificate");
    goto fail;
  }
  /* self-signed, ecdsa-with-SHA256 */
  if (X509_sign (x509, key, EVP_sha256 ()) <= 0) {
    set_openssl_error (error, SEC_DTLS_ERROR_FAILED,
        "could not sign the certificate");
    goto fail;
  }

  return certificate_wrap (x509, key, error);

fail:
  X509_free (x509);
  EVP_PKEY_free (key);
  return NULL;
}

typedef gboolean (*LabelFilter) (const gchar * label, gsize len);

static gboolean
is_certificate_label (const gchar * label, gsize len)
{
  /* the labels PEM_read_bio_X509 takes (RFC 7468 §5, and the old one) */
  return (len == 11 && memcmp (label, "CERTIFICATE", 11) == 0)
      || (len == 16 && memcmp (label, "X509 CERTIFICATE", 16) == 0);
}

static gboolean
is_private_key_label (const gchar * label, gsize len)
{
  /* "PRIVATE KEY", "ENCRYPTED PRIVATE KEY" (RFC 7468 §10, §11), and the
   * traditional "EC PRIVATE KEY", "RSA PRIVATE KEY", ... */
  return len >= 11 && memcmp (label + len - 11, "PRIVATE KEY", 11) == 0;
}

/* The first PEM block of @pem whose label @wanted takes: from its
 * "-----BEGIN" line to the end of the "-----END" line after it (or of
 * the text), as a range of @pem itself. Handing each OpenSSL reader only
 * its block keeps the certificate reader from decoding the private key
 * on its way (it decodes, then frees without wiping, every block it
 * skips). */
static gboolean
find_pem_block (const gchar * pem, LabelFilter wanted, const gchar ** start,
    gsize * len)
{
  const gchar *line = pem;

  while (line != NULL) {
    const gchar *eol = strchr (line, '\n');

    if (g_str_has_prefix (line, "-----BEGIN ")) {
      const gchar *label = line + strlen ("-----BEGIN ");
      const gchar *label_end = strstr (label, "-----");

      if (label_end != NULL && (eol == NULL || label_end < eol)
          && wanted (label, (gsize) (label_end - label))) {
        const gchar *end = strstr (label_end + 5, "-----END ");

        if (end != NULL) {
          const gchar *end_eol = strchr (end, '\n');

          end = end_eol != NULL ? end_eol + 1 : end + strlen (end);
        } else {
          end = line + strlen (line);
        }
        *start = line;
        *len = (gsize) (end - line);
        return TRUE;
      }
    }
    line = eol != NULL ? eol + 1 : NULL;
  }
  return FALSE;
}

/* Encrypted keys are not supported; without a callback OpenSSL would
 * prompt for a passphrase on the terminal. */
static int
refuse_passphrase (char *buf, int size, int rwflag, void *user_data)
{
  return -1;
}

SecDtlsCertificate *
sec_dtls_certificate_new_from_pem (const gchar * pem, GError ** error)
{
  X509 *x509 = NULL;
  EVP_PKEY *key = NULL;
  const gchar *block;
  gsize pem_len, block_len;
  BIO *bio;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (pem == NULL || pem[0] == '\0') {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
        "no PEM text");
    return NULL;
  }
  pem_len = strlen (pem);
  if (pem_len > G_MAXINT) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
        "PEM text is too long (%" G_GSIZE_FORMAT " bytes)", pem_len);
    return NULL;
  }

  /* The certificate and the key may come in any order, with other text
   * around them: each reader gets its own block, through a read-only
   * memory BIO over the caller's text (BIO_new_mem_buf copies nothing). */
  if (find_pem_block (pem, is_certificate_label, &block, &block_len)) {
    bio = BIO_new_mem_buf (block, (int) block_len);
    if (bio != NULL) {
      x509 = PEM_read_bio_X509 (bio, NULL, refuse_passphrase, NULL);
      BIO_free (bio);
    }
  }
  if (x509 == NULL) {
    ERR_clear_error ();
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
        "PEM text holds no readable certificate");
    return NULL;
  }

  if (find_pem_block (pem, is_private_key_label, &block, &block_len)) {
    bio = BIO_new_mem_buf (block, (int) block_len);
    if (bio != NULL) {
      key = PEM_read_bio_PrivateKey (bio, NULL, refuse_passphrase, NULL);
      BIO_free (bio);
    }
  }
  if (key == NULL) {
    ERR_clear_error ();
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
        "PEM text holds no readable private key (encrypted keys are not "
        "supported)");
    X509_free (x509);
    return NULL;
  }

  if (EVP_PKEY_is_a (key, "RSA")) {
    int bits = EVP_PKEY_get_bits (key);

    if (bits < RSA_MIN_BITS) {
      g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_CERTIFICATE,
          "RSA key has %d bits, at least %d are required", bits,
          RSA_MIN_BITS);
      goto fail;
    }
  } else if (!EVP_PKEY_is_a (key, "EC")) {
    const gchar *type = EVP_PKEY_get0_type_name (key);

    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_CERTIFICATE,
        "private key type %s is not supported (only EC and RSA keys are)",
        type != NULL ? type : "(unknown)");
    goto fail;
  }

  if (X509_check_private_key (x509, key) != 1) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_CERTIFICATE,
        "the private key does not belong to the certificate (its public "
        "key differs from the certificate's)");
    goto fail;
  }

  return certificate_wrap (x509, key, error);

fail:
  ERR_clear_error ();
  X509_free (x509);
  EVP_PKEY_free (key);
  return NULL;
}

SecDtlsCertificate *
sec_dtls_certificate_ref (SecDtlsCertificate * cert)
{
  g_return_val_if_fail (cert != NULL, NULL);

  g_atomic_ref_count_inc (&cert->ref_count);
  return cert;
}

void
sec_dtls_certificate_unref (SecDtlsCertificate * cert)
{
  g_return_if_fail (cert != NULL);

  if (!g_atomic_ref_count_dec (&cert->ref_count))
    return;
  X509_free (cert->x509);
  /* EVP_PKEY_free clears the key material before freeing it */
  EVP_PKEY_free (cert->key);
  g_free (cert->fingerprint);
  g_free (cert);
}

X509 *
sec_dtls_certificate_get_x509 (SecDtlsCertificate * cert)
{
  g_return_val_if_fail (cert != NULL, NULL);

  return cert->x509;
}

EVP_PKEY *
sec_dtls_certificate_get_key (SecDtlsCertificate * cert)
{
  g_return_val_if_fail (cert != NULL, NULL);

  return cert->key;
}

const gchar *
sec_dtls_certificate_get_fingerprint (SecDtlsCertificate * cert)
{
  g_return_val_if_fail (cert != NULL, NULL);

  return cert->fingerprint;
}

void
sec_dtls_x509_fingerprint (X509 * x509, SecDtlsHash hash,
    SecDtlsFingerprint * fingerprint)
{
  unsigned char *der = NULL;
  int der_len;

  g_return_if_fail (fingerprint != NULL);
  memset (fingerprint, 0, sizeof (*fingerprint));
  fingerprint->hash = hash;
  g_return_if_fail (x509 != NULL);

  /* RFC 8122 §5: over the DER form of the certificate */
  der_len = i2d_X509 (x509, &der);
  if (der_len <= 0) {
    /* digest_len stays 0: equals no fingerprint */
    ERR_clear_error ();
    g_critical ("could not DER-encode a certificate");
    return;
  }
  sec_dtls_fingerprint_compute (hash, der, (gsize) der_len, fingerprint);
  OPENSSL_free (der);
}

gchar *
sec_dtls_x509_to_pem (X509 * x509)
{
  BIO *bio;
  char *data = NULL;
  long len;
  gchar *pem = NULL;

  g_return_val_if_fail (x509 != NULL, NULL);

  bio = BIO_new (BIO_s_mem ());
  if (bio == NULL) {
    ERR_clear_error ();
    return NULL;
  }
  if (PEM_write_bio_X509 (bio, x509) == 1) {
    len = BIO_get_mem_data (bio, &data);
    if (len > 0 && data != NULL)
      pem = g_strndup (data, (gsize) len);
  }
  if (pem == NULL)
    ERR_clear_error ();
  BIO_free (bio);
  return pem;
}
