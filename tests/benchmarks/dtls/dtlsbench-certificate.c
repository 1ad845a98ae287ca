/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The cost of a default certificate, three ways:
 *
 *   cert-bad           gst-plugins-bad: g_object_new (GstDtlsCertificate),
 *                      which makes its default key and certificate (RSA-2048
 *                      up to 1.26; the key type is read back and printed)
 *   cert-ours-core     sec_dtls_certificate_new (): ECDSA P-256 key and
 *                      self-signed certificate, our plain-C core
 *   cert-ours-element  the same through the element: set connection-id on
 *                      a new secdtlsdec and read local-fingerprint
 *
 * GstDtlsCertificate is not a public type: the dtls plugin registers it
 * when the first dtlsdec is made (the dtlsdec makes the process-wide
 * default certificate then, untimed here), after which
 * g_type_from_name () finds it.
 *
 * Also the PEM certificates the handshake variants give to both
 * implementations, made with OpenSSL before any clock starts.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "dtlsbench.h"

#include <string.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "dtlscertificate.h"

#define BENCH_CERTIFICATE_CN "dtls-bench"
#define ONE_DAY_S (24 * 60 * 60)

/* "RSA-2048", "ECDSA P-256", ... */
static gchar *
key_description (EVP_PKEY * key)
{
  gchar group[80];
  gsize group_len = 0;

  if (key == NULL)
    return g_strdup ("unknown key");
  switch (EVP_PKEY_get_base_id (key)) {
    case EVP_PKEY_RSA:
      return g_strdup_printf ("RSA-%d", EVP_PKEY_get_bits (key));
    case EVP_PKEY_EC:
      if (EVP_PKEY_get_group_name (key, group, sizeof (group), &group_len)) {
        if (g_str_equal (group, "prime256v1"))
          return g_strdup ("ECDSA P-256");
        return g_strdup_printf ("ECDSA %s", group);
      }
      return g_strdup_printf ("ECDSA-%d", EVP_PKEY_get_bits (key));
    default:
      return g_strdup_printf ("key type %d", EVP_PKEY_get_base_id (key));
  }
}

/* The key type of the first certificate in @pem. */
static gchar *
pem_key_description (const gchar * pem)
{
  BIO *bio = BIO_new_mem_buf (pem, -1);
  X509 *x509 = bio ? PEM_read_bio_X509 (bio, NULL, NULL, NULL) : NULL;
  gchar *ret = key_description (x509 ? X509_get0_pubkey (x509) : NULL);

  X509_free (x509);
  BIO_free (bio);
  return ret;
}

gchar *
bench_make_pem (BenchKeyType type, gchar ** fingerprint)
{
  EVP_PKEY *key;
  X509 *x509 = NULL;
  X509_NAME *name;
  BIO *bio = NULL;
  SecDtlsFingerprint digest;
  gchar *pem = NULL;
  char *data;
  long len;

  key = type == BENCH_KEY_RSA ? EVP_RSA_gen (2048) : EVP_EC_gen ("P-256");
  if (key == NULL)
    goto failed;
  x509 = X509_new ();
  if (x509 == NULL || !X509_set_version (x509, 2)
      || !ASN1_INTEGER_set (X509_get_serialNumber (x509),
          g_random_int_range (1, G_MAXINT32))
      || !X509_gmtime_adj (X509_getm_notBefore (x509), -ONE_DAY_S)
      || !X509_gmtime_adj (X509_getm_notAfter (x509), 30 * ONE_DAY_S)
      || !X509_set_pubkey (x509, key))
    goto failed;
  name = X509_get_subject_name (x509);
  if (!X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC,
          (const unsigned char *) BENCH_CERTIFICATE_CN, -1, -1, 0)
      || !X509_set_issuer_name (x509, name)
      || X509_sign (x509, key, EVP_sha256 ()) <= 0)
    goto failed;

  bio = BIO_new (BIO_s_mem ());
  if (bio == NULL || !PEM_write_bio_X509 (bio, x509)
      || !PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL))
    goto failed;
  len = BIO_get_mem_data (bio, &data);
  pem = g_strndup (data, len);

  sec_dtls_x509_fingerprint (x509, SEC_DTLS_HASH_SHA256, &digest);
  *fingerprint = sec_dtls_fingerprint_to_string (&digest);

  BIO_free (bio);
  X509_free (x509);
  EVP_PKEY_free (key);
  return pem;

failed:
  g_printerr ("could not make a %s certificate with OpenSSL\n",
      type == BENCH_KEY_RSA ? "RSA-2048" : "ECDSA P-256");
  BIO_free (bio);
  X509_free (x509);
  EVP_PKEY_free (key);
  return NULL;
}

/* ---- gst-plugins-bad: g_object_new (GstDtlsCertificate) ---- */

static gboolean
run_bad (guint count, GArray * samples_ns, GString * info)
{
  GstElement *decoder;
  GType type;
  gchar *key = NULL;
  guint i;

  if (!bench_check_factories (BENCH_IMPL_BAD))
    return FALSE;
  /* registers GstDtlsCertificate and makes the process's default one */
  decoder = gst_element_factory_make ("dtlsdec", NULL);
  if (decoder == NULL) {
    g_printerr ("could not make a dtlsdec\n");
    return FALSE;
  }
  gst_object_unref (gst_object_ref_sink (decoder));
  type = g_type_from_name ("GstDtlsCertificate");
  if (type == 0) {
    g_printerr ("no type GstDtlsCertificate after making a dtlsdec\n");
    return FALSE;
  }

  /* i == 0 is the warm-up */
  for (i = 0; i <= count; i++) {
    gint64 start = sec_bench_now_ns (), end;
    GObject *certificate = g_object_new (type, NULL);
    gchar *pem = NULL;

    end = sec_bench_now_ns ();
    g_object_get (certificate, "pem", &pem, NULL);
    if (pem == NULL || strstr (pem, "BEGIN CERTIFICATE") == NULL) {
      g_printerr ("GstDtlsCertificate made no certificate\n");
      g_free (pem);
      g_object_unref (certificate);
      g_free (key);
      return FALSE;
    }
    if (key == NULL)
      key = pem_key_description (pem);
    if (i > 0) {
      gdouble ns = end - start;

      g_array_append_val (samples_ns, ns);
    }
    g_free (pem);
    g_object_unref (certificate);
  }
  g_string_append (info, key);
  g_free (key);
  return TRUE;
}

/* ---- ours: the core function ---- */

static gboolean
run_ours_core (guint count, GArray * samples_ns, GString * info)
{
  gchar *key = NULL;
  guint i;
  /* a few untimed calls first: OpenSSL loads its providers lazily */
  const guint warmup = 3;

  for (i = 0; i < warmup + count; i++) {
    GError *error = NULL;
    gint64 start = sec_bench_now_ns (), end;
    SecDtlsCertificate *certificate = sec_dtls_certificate_new (&error);

    end = sec_bench_now_ns ();
    if (certificate == NULL) {
      g_printerr ("sec_dtls_certificate_new: %s\n", error->message);
      g_clear_error (&error);
      g_free (key);
      return FALSE;
    }
    if (!g_str_has_prefix (sec_dtls_certificate_get_fingerprint
            (certificate), "sha-256 ")) {
      g_printerr ("sec_dtls_certificate_new: no sha-256 fingerprint\n");
      sec_dtls_certificate_unref (certificate);
      g_free (key);
      return FALSE;
    }
    if (key == NULL)
      key = key_description (sec_dtls_certificate_get_key (certificate));
    if (i >= warmup) {
      gdouble ns = end - start;

      g_array_append_val (samples_ns, ns);
    }
    sec_dtls_certificate_unref (certificate);
  }
  g_string_append (info, key);
  g_free (key);
  return TRUE;
}

/* ---- ours: through secdtlsdec ---- */

static gboolean
run_ours_element (guint count, GArray * samples_ns, GString * info)
{
  guint i;

  if (!bench_check_factories (BENCH_IMPL_OURS))
    return FALSE;

  /* i == 0 is the warm-up */
  for (i = 0; i <= count; i++) {
    GstElement *decoder = gst_element_factory_make ("secdtlsdec", NULL);
    gchar *connection_id = g_strdup_printf ("dtls-bench-cert-%u", i);
    gchar *fingerprint = NULL;
    gint64 start, end;

    if (decoder == NULL) {
      g_printerr ("could not make a secdtlsdec\n");
      g_free (connection_id);
      return FALSE;
    }
    gst_object_ref_sink (decoder);

    start = sec_bench_now_ns ();
    g_object_set (decoder, "connection-id", connection_id, NULL);
    g_object_get (decoder, "local-fingerprint", &fingerprint, NULL);
    end = sec_bench_now_ns ();

    if (fingerprint == NULL || !g_str_has_prefix (fingerprint, "sha-256 ")) {
      g_printerr ("secdtlsdec: local-fingerprint is \"%s\" right after "
          "connection-id was set, expected \"sha-256 ...\"\n",
          GST_STR_NULL (fingerprint));
      g_free (fingerprint);
      g_free (connection_id);
      gst_object_unref (decoder);
      return FALSE;
    }
    if (i > 0) {
      gdouble ns = end - start;

      g_array_append_val (samples_ns, ns);
    }
    g_free (fingerprint);
    g_free (connection_id);
    gst_object_unref (decoder);
  }
  /* the element's default certificate is the core's (docs/security.md) */
  g_string_append (info, "default certificate");
  return TRUE;
}

gboolean
bench_certificate_run (BenchVariant variant, guint count,
    GArray * samples_ns, GString * info)
{
  switch (variant) {
    case BENCH_CERT_BAD:
      return run_bad (count, samples_ns, info);
    case BENCH_CERT_OURS_CORE:
      return run_ours_core (count, samples_ns, info);
    case BENCH_CERT_OURS_ELEMENT:
      return run_ours_element (count, samples_ns, info);
    default:
      g_return_val_if_reached (FALSE);
  }
}
