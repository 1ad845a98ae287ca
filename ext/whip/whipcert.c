/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A self-signed server certificate: see whipcert.h.
 */
#include "whipcert.h"

#include <string.h>

#include <gio/gio.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static gchar *
bio_text (BIO * bio)
{
  char *data = NULL;
  long len = BIO_get_mem_data (bio, &data);

  return g_strndup (data, len);
}

static gchar *
fingerprint_of (X509 * x509)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  GString *text = g_string_new ("sha-256 ");

  X509_digest (x509, EVP_sha256 (), md, &len);
  for (unsigned int i = 0; i < len; i++)
    g_string_append_printf (text, i == 0 ? "%02X" : ":%02X", md[i]);
  return g_string_free (text, FALSE);
}

gchar *
sec_whip_cert_fingerprint (const gchar * cert_pem)
{
  BIO *bio = BIO_new_mem_buf (cert_pem, -1);
  X509 *x509 = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  gchar *fingerprint = NULL;

  if (x509 != NULL)
    fingerprint = fingerprint_of (x509);
  X509_free (x509);
  BIO_free (bio);
  return fingerprint;
}

static gboolean
add_ext (X509 * x509, int nid, const gchar * value)
{
  X509V3_CTX ctx;
  X509_EXTENSION *ext;
  gboolean ok;

  X509V3_set_ctx_nodb (&ctx);
  X509V3_set_ctx (&ctx, x509, x509, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, nid, value);
  if (ext == NULL)
    return FALSE;
  ok = X509_add_ext (x509, ext, -1) == 1;
  X509_EXTENSION_free (ext);
  return ok;
}

gboolean
sec_whip_self_signed_new (const gchar * address, gchar ** cert_pem,
    gchar ** key_pem, gchar ** fingerprint, GError ** error)
{
  EVP_PKEY *key = EVP_EC_gen ("P-256");
  X509 *x509 = X509_new ();
  X509_NAME *name;
  GString *san = g_string_new ("IP:127.0.0.1,IP:::1,DNS:localhost");
  BIO *cert_bio = BIO_new (BIO_s_mem ()), *key_bio = BIO_new (BIO_s_mem ());
  unsigned char serial[16];
  BIGNUM *bn = NULL;
  gboolean ok = FALSE;

  if (address != NULL && *address != '\0'
      && strcmp (address, "0.0.0.0") != 0 && strcmp (address, "::") != 0
      && strcmp (address, "127.0.0.1") != 0 && strcmp (address, "::1") != 0
      && strcmp (address, "localhost") != 0) {
    if (g_hostname_is_ip_address (address))
      g_string_append_printf (san, ",IP:%s", address);
    else
      g_string_append_printf (san, ",DNS:%s", address);
  }

  if (key == NULL || x509 == NULL || RAND_bytes (serial, sizeof serial) != 1)
    goto done;
  serial[0] &= 0x7f;
  bn = BN_bin2bn (serial, sizeof serial, NULL);
  name = X509_get_subject_name (x509);
  if (bn == NULL || X509_set_version (x509, 2) != 1
      || BN_to_ASN1_INTEGER (bn, X509_get_serialNumber (x509)) == NULL
      || X509_gmtime_adj (X509_getm_notBefore (x509), -3600) == NULL
      || X509_gmtime_adj (X509_getm_notAfter (x509), 365L * 24 * 3600) == NULL
      || X509_set_pubkey (x509, key) != 1
      || X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC,
          (const unsigned char *) "gst-secwebrtc secwhipserversrc", -1, -1,
          0) != 1
      || X509_set_issuer_name (x509, name) != 1
      || !add_ext (x509, NID_subject_alt_name, san->str)
      || !add_ext (x509, NID_basic_constraints, "critical,CA:FALSE")
      || !add_ext (x509, NID_key_usage, "critical,digitalSignature")
      || !add_ext (x509, NID_ext_key_usage, "serverAuth")
      || X509_sign (x509, key, EVP_sha256 ()) == 0
      || PEM_write_bio_X509 (cert_bio, x509) != 1
      || PEM_write_bio_PrivateKey (key_bio, key, NULL, NULL, 0, NULL,
          NULL) != 1)
    goto done;
  *cert_pem = bio_text (cert_bio);
  *key_pem = bio_text (key_bio);
  *fingerprint = fingerprint_of (x509);
  ok = TRUE;

done:
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "could not make a self-signed certificate (OpenSSL)");
  g_string_free (san, TRUE);
  BN_free (bn);
  X509_free (x509);
  EVP_PKEY_free (key);
  BIO_free (cert_bio);
  BIO_free (key_bio);
  return ok;
}

gchar *
sec_whip_cert_spki_sha256 (const gchar * cert_pem)
{
  BIO *bio = BIO_new_mem_buf (cert_pem, -1);
  X509 *x509 = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  unsigned char *der = NULL, md[SHA256_DIGEST_LENGTH];
  gchar *text = NULL;
  int len;

  if (x509 != NULL
      && (len = i2d_X509_PUBKEY (X509_get_X509_PUBKEY (x509), &der)) > 0) {
    SHA256 (der, len, md);
    text = g_base64_encode (md, sizeof md);
    OPENSSL_free (der);
  }
  X509_free (x509);
  BIO_free (bio);
  return text;
}
