/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecDtlsCertificate without GStreamer: the generated ECDSA P-256
 * self-signed certificate (RFC 8827 §6.5, RFC 5280 §4.1), PEM input in
 * every order and key format, refusal of mismatched, weak and
 * unsupported keys, and error messages that never carry key material.
 */
#include "dtlscertificate.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>

/*
 * Test material made with the openssl CLI when this test was written
 * (the keys exist for this test only):
 *   openssl ecparam -name prime256v1 -genkey -out ec.key  (traditional,
 *     with an EC PARAMETERS block)
 *   openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256
 *     -out ec2.key  (PKCS#8)
 *   openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 (and 1024)
 *   openssl genpkey -algorithm ED25519
 *   openssl req -x509 -new -key K -sha256 -days 3650 -subj /CN=... -out C
 * and the fingerprints are what `openssl x509 -noout -fingerprint -sha256`
 * printed for the certificates.
 */
static const gchar ec_key[] =
    "-----BEGIN EC PARAMETERS-----\n"
    "BggqhkjOPQMBBw==\n"
    "-----END EC PARAMETERS-----\n"
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIP8gwlKmpY0ofRZy53f28ydNTCgcZMNpzEYaPNe63s66oAoGCCqGSM49\n"
    "AwEHoUQDQgAEYYGsLnpOfEe8tzu4NZEkbidfZZ3SQtzRxe/qXj2WkPJuAYfczWyL\n"
    "8jyOZXt/MuTy4fz3NXhqLNI26ttjBFJ2Ew==\n"
    "-----END EC PRIVATE KEY-----\n";

static const gchar ec_crt[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBejCCAR+gAwIBAgIUVoitsjZy4e6ueNX0RHEjorTuiK4wCgYIKoZIzj0EAwIw\n"
    "EjEQMA4GA1UEAwwHZWMtdGVzdDAeFw0yNjExMjYwMzU3MTlaFw0zNjExMjMwMzU3\n"
    "MTlaMBIxEDAOBgNVBAMMB2VjLXRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC\n"
    "AARhgawuek58R7y3O7g1kSRuJ19lndJC3NHF7+pePZaQ8m4Bh9zNbIvyPI5le38y\n"
    "5PLh/Pc1eGos0jbq22MEUnYTo1MwUTAdBgNVHQ4EFgQUzOib0OWXhhath1mPFf5Y\n"
    "bqHCmCMwHwYDVR0jBBgwFoAUzOib0OWXhhath1mPFf5YbqHCmCMwDwYDVR0TAQH/\n"
    "BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEAoxcXmdqF2eZR2Zls3cjGL+4ZSNzj\n"
    "a3fzEaKDRjtp/GECIQCUqj9lJvyL1jGMUxPC/8um2hgRm8LoZaHmnzqmLxTTSw==\n"
    "-----END CERTIFICATE-----\n";

static const gchar ec2_key[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgNL5DWQYwcjSVOREo\n"
    "1qINU+ieIO4lDL8Xi9AdeirMXJShRANCAAQNsedekPZvvT6M2RxvPBmvOfJ5FWLq\n"
    "Yl4Jqu/pFVog6IzCFsfM0bSJpCw+hEXzFJfBnvhqtXPvNOJkkHJys92b\n"
    "-----END PRIVATE KEY-----\n";

static const gchar ec2_crt[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBezCCASGgAwIBAgIUNnNCa33CZ0zvOzcTq+6ZFJ5ruzIwCgYIKoZIzj0EAwIw\n"
    "EzERMA8GA1UEAwwIZWMyLXRlc3QwHhcNMjYxMTI2MDM1NzE5WhcNMzYxMTIzMDM1\n"
    "NzE5WjATMREwDwYDVQQDDAhlYzItdGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEH\n"
    "A0IABA2x516Q9m+9PozZHG88Ga858nkVYupiXgmq7+kVWiDojMIWx8zRtImkLD6E\n"
    "RfMUl8Ge+Gq1c+804mSQcnKz3ZujUzBRMB0GA1UdDgQWBBR0m21ILIyr0YNdTDML\n"
    "QPwDxYAW3DAfBgNVHSMEGDAWgBR0m21ILIyr0YNdTDMLQPwDxYAW3DAPBgNVHRMB\n"
    "Af8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIDeKIuwVu1zSKSbXUYqpTx86zH58\n"
    "RIXmxpj1TUAmyxTLAiEAni4rRT6coaHp23ltAWhMVWZlSDmNCCJeTiGgyIxy1fA=\n"
    "-----END CERTIFICATE-----\n";

static const gchar rsa_key[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDMnZ664vYlzrJS\n"
    "llz03wpq/sdtAxPC0NQUi4tjIk4SVyC3yCpRvz7SV1xDUaL0h/AXll5wyz9Xt/mK\n"
    "Xy//bTJno0pJs0Aj38Hc438djG8tkoWX1B5z3vWZo1cmGNDP/oWHBIx4eKE1T7B2\n"
    "y5whr3KwSVS92EDCBjqEa/mDoEnAjyEqdWhD6a/uBCXfFY1qhXrMzvQXKRnNGiaL\n"
    "AQlbS8FYMb17puyfofv/MAAOFWjAYuwee99EraEWd68sYiOT7a8kOIbkepxjf7VH\n"
    "nevispFxUpZuJPYWOLFmnCnokVaNPG+q+NOqGf0AwY0CqpJWPs9PUcT5MopwAzMV\n"
    "TmLkj3V5AgMBAAECggEAA7oGsTFvSYC+XXP04TZbPJfjlrQQxPJz/GROv3lZWerp\n"
    "kwNTpv3AVYknCmhXGxRLPoi781q2ToEQq9EgQQsSeRH/qUA5JbYedCkWEHoVb8ts\n"
    "gLeJrvNTfo77qDtZOUKR2MPP0aVjzUJkbMN4VmI5SOXrA9KnmkkOAYmsZ5Xwpe/F\n"
    "EIgmT0UFqyN9UZzAtAcg5jc8najNwCJbtruobPlk1wfj9WSGpV5PIyNCggw3arkM\n"
    "t2elLaDnPRpGANDtG1W/WIoXI8xR4c988E0UlcBx89MVjTfjoELkblysig+ME26x\n"
    "G1Rbv+Kx2S+pvHtAm6iaHPtf+b7n8tZcji1Yo+yeMQKBgQD0I2yjqZ08dH9c3RQ+\n"
    "t2nK7olUkxcta5+J+kwsFUOw6h7lVfWojkT9KdL1ZOIiPlC0RIdqpVFCdBQQUxvS\n"
    "SXsgue9tKe25VfBjkf0/UNPZxKLmyS7S9HEwEimOPcotyrS7peTFzg0tNkrv5gHk\n"
    "wJOSHP+EkfS5b9rUyH6WEkz1CQKBgQDWjp2QzE6OMheZ1CxLjnFN1YDF9KG/I+3D\n"
    "LXW/nwXTRIzvaREnWeQ4IsiKqXlO8GyvYEV0bgO9kGXL0K8hfOE9M9mXATNwoXCY\n"
    "nHMmX2io+pzJEy+z8v5XllJnm2yz7iUJkCUB4JDgcCQcqljtuygVlN/CUjHl93xG\n"
    "6gqT9HCI8QKBgQCxvJh7DiDKwoV2tfznK+B5PO/+Apf9GT0s1mxeK5z8T3XuwIX4\n"
    "EJtpM+nBfZCkHXnjw4BSw8hE+P0iZV772UMqsDL+5meLZmV8F+ynC9Ev2Vg/bHgK\n"
    "XKuKs65NP+7RJ6Isernyx/AP2lb0EB+QyiKlXTco7Jmd5zEJeG2wE+KzAQKBgHpc\n"
    "BPHyAg7H9Huu67//MRDBZNn/5Ep8c/juMQuh5hGRM4rJcZXuht+YvqONePgS1vjB\n"
    "P3rhztJJyjQNBANmE5HywvGCJtLhzrPJ7UWB/c74dXeasIbAWlqbCM27bqfCdW7Z\n"
    "vLEwX48PhRiv8V1Kcda0+1L3yysqE77hdDzil1cRAoGBAPOyMdKKKPyknWEy8CWv\n"
    "hwwNWXFqs5ND/UaQH/bqtVhoOeXkVjqJX5Dmd8Db+wTht6B/wDnQwW2FlrSUhxps\n"
    "vx0LfncpX8jdYm74cdev5uXmwfwtYaVkieTPTI5zZAoUJxUx4S2ztSIN0Ar1han5\n"
    "F4df9v7sXlmlB7oKU7SRTflx\n"
    "-----END PRIVATE KEY-----\n";

static const gchar rsa_crt[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIDBzCCAe+gAwIBAgIUMnBBZVoHzhUHu/2gy6QgDR/trCYwDQYJKoZIhvcNAQEL\n"
    "BQAwEzERMA8GA1UEAwwIcnNhLXRlc3QwHhcNMjYxMTI2MDM1NzE5WhcNMzYxMTIz\n"
    "MDM1NzE5WjATMREwDwYDVQQDDAhyc2EtdGVzdDCCASIwDQYJKoZIhvcNAQEBBQAD\n"
    "ggEPADCCAQoCggEBAMydnrri9iXOslKWXPTfCmr+x20DE8LQ1BSLi2MiThJXILfI\n"
    "KlG/PtJXXENRovSH8BeWXnDLP1e3+YpfL/9tMmejSkmzQCPfwdzjfx2Mby2ShZfU\n"
    "HnPe9ZmjVyYY0M/+hYcEjHh4oTVPsHbLnCGvcrBJVL3YQMIGOoRr+YOgScCPISp1\n"
    "aEPpr+4EJd8VjWqFeszO9BcpGc0aJosBCVtLwVgxvXum7J+h+/8wAA4VaMBi7B57\n"
    "30StoRZ3ryxiI5PtryQ4huR6nGN/tUed6+KykXFSlm4k9hY4sWacKeiRVo08b6r4\n"
    "06oZ/QDBjQKqklY+z09RxPkyinADMxVOYuSPdXkCAwEAAaNTMFEwHQYDVR0OBBYE\n"
    "FMWB726TqTQPFQPBWU/Hejuwvbl+MB8GA1UdIwQYMBaAFMWB726TqTQPFQPBWU/H\n"
    "ejuwvbl+MA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZIhvcNAQELBQADggEBAI7DAt5/\n"
    "qT2svh93A9wIcXC45Qg/f3KTnT+oG5sT1d3mUt9J+4QWBgG2yGI5AZdWfnCchFTR\n"
    "uRa5qdSmyiw/JH3m6hRByJXXlsYDHYd2ghpnIruzV5WBIfRPgL1IzlAL96EThQvC\n"
    "isVNl8m3shE0vDJM8ooQdTb5/RxJcXZ6Emyj2ofgsIE7U1sBPIYt7k34ZGIkp/L9\n"
    "2XK24Y+gEPR9DOlk7XOIOIeTLbuoKKN3taRiDi2CZYFLCJJUJC/TewQXbPno6hmi\n"
    "om7kv84ifca+NxgcIAeWmRW0nOytBprEljgZFQX7q14uYXY160e8sFdZwqEC0EUT\n"
    "W8X7SzdafLq/6yk=\n"
    "-----END CERTIFICATE-----\n";

static const gchar rsa1024_key[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBANEzvUwVbm8UNChV\n"
    "UaELkVCST4JCdVTQzwzeSKJ3WHDFwQwUApaFlgR+/fxVle0A7hg5b37CnRqPwq/C\n"
    "nUj5zjSqsWbu3ocssm7gqy/kEXEUu6CxlWJ/C/Vk7aIYRC3r1lT2UhObX9YkfoNO\n"
    "qCQuyJxFVTtkZzIM1HKqG41O0aBdAgMBAAECgYEAwSLbKFrA0Zv9ax8ZdWyQg6oP\n"
    "7VodqGf+PwsYU6WK6NIpH1V57iz2CsCTC1qYR24MYiDkZkqVb+g4/LrXKoA1dY4N\n"
    "F2CcpVc0gq4aBR/qy9Bp2bxrpS03OJyJanv/dGR1LQ4gHhgqjrx0Or367TCK34dL\n"
    "WRBGFMGyqmIbtvaXU6ECQQD0g5kjMkOSn/HZxPJlnTkwLCPf2gUrD/cP25FDoq9O\n"
    "YxLQ9PA4JyPKXEA9W7w7gO2/e2Vr0332XiywqaaVyEW7AkEA2wd/aTkVpwdPa9nf\n"
    "JgpsplsdNAGyLxIBKOOYX3ijHx5+fBjQJtUEGgLjKfv3qJMy1FWnac41BP+U2zEk\n"
    "wh2ExwJAERlO0TZHoW5L9GWgadi30hWUIKhXai6AoXxCSU+MINguzawDTHn4N8OB\n"
    "voi2vhaDCbvwWLz+dwcY6vXCL4FE1wJAA/hq0tl6DwEO64GTjfj6ZzmXme298SR+\n"
    "aONXS8PAETxYRp+chleuL1qGC6jJoICqlzbGRiC6zVBkvmRxqiMm2QJACiVu+xZd\n"
    "4mq2BnYgukg0Sak1fe5EXwtRbV+fGuWhTK2iZvN3zxEZ8dMgvtM4cRHculu7kiJD\n"
    "/7Bnllo3YfN7jA==\n"
    "-----END PRIVATE KEY-----\n";

static const gchar rsa1024_crt[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIICCjCCAXOgAwIBAgIUIsd1+inJ/b4/ABnNVWeuNlPYBhowDQYJKoZIhvcNAQEL\n"
    "BQAwFzEVMBMGA1UEAwwMcnNhMTAyNC10ZXN0MB4XDTI2MTEyNjAzNTcxOVoXDTM2\n"
    "MTEyMzAzNTcxOVowFzEVMBMGA1UEAwwMcnNhMTAyNC10ZXN0MIGfMA0GCSqGSIb3\n"
    "DQEBAQUAA4GNADCBiQKBgQDRM71MFW5vFDQoVVGhC5FQkk+CQnVU0M8M3kiid1hw\n"
    "xcEMFAKWhZYEfv38VZXtAO4YOW9+wp0aj8Kvwp1I+c40qrFm7t6HLLJu4Ksv5BFx\n"
    "FLugsZVifwv1ZO2iGEQt69ZU9lITm1/WJH6DTqgkLsicRVU7ZGcyDNRyqhuNTtGg\n"
    "XQIDAQABo1MwUTAdBgNVHQ4EFgQUsob3FEKjMeM8TyFIcbihHWa+yfMwHwYDVR0j\n"
    "BBgwFoAUsob3FEKjMeM8TyFIcbihHWa+yfMwDwYDVR0TAQH/BAUwAwEB/zANBgkq\n"
    "hkiG9w0BAQsFAAOBgQBn7SvJUmKII3pUumeHQxED8TitxYDq/d3UE6Z1SuyoiUT5\n"
    "d6vZR4looRvSRO09mkHA6UE7kzfSyVXA0PYyzpyZhXYNJLvOPwyPsL1CgZHNLCOO\n"
    "G3jGq1TKfbhOvn57rckKE/hytS7U0XsQ/7bfE00KE/d9V2737ztRSB5ILvM+1w==\n"
    "-----END CERTIFICATE-----\n";

static const gchar ed_key[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIO69wOS4m5quxsgx+X9RMbDWsy1eOmQGbNXnj+7Dh5sK\n"
    "-----END PRIVATE KEY-----\n";

static const gchar ed_crt[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBODCB66ADAgECAhRD7k3PAUk1Vm+tIlEzlgqgv904NDAFBgMrZXAwEjEQMA4G\n"
    "A1UEAwwHZWQtdGVzdDAeFw0yNjExMjYwMzU3MTlaFw0zNjExMjMwMzU3MTlaMBIx\n"
    "EDAOBgNVBAMMB2VkLXRlc3QwKjAFBgMrZXADIQA8QB6ch6/8Wxrj8shcWmdkoTD0\n"
    "oUcjAs7ym+WXkE8AhKNTMFEwHQYDVR0OBBYEFNh/m/dI7tXuu4HyZsUXoGYK4bWr\n"
    "MB8GA1UdIwQYMBaAFNh/m/dI7tXuu4HyZsUXoGYK4bWrMA8GA1UdEwEB/wQFMAMB\n"
    "Af8wBQYDK2VwA0EA9CfCwRMWMJFowqU/28qJdQxrdeaKp2kZpnCFc2x9QVHvMQfG\n"
    "B+kFxDULsyncegoWp4fB2bzMdEZvoArYsGMVCQ==\n"
    "-----END CERTIFICATE-----\n";

static const gchar ec_sha256[] =
    "sha-256 6D:88:5F:58:99:7C:49:EC:11:26:5F:DE:21:4A:A9:25:"
    "2C:15:70:5D:76:FA:56:9E:12:C4:63:82:FB:A0:A1:07";
static const gchar ec2_sha256[] =
    "sha-256 A0:16:7C:49:1F:C3:9F:FC:D7:FD:26:52:A8:07:13:9A:"
    "E9:52:10:34:33:51:F2:7E:18:BF:F0:C8:6B:E9:95:07";
static const gchar rsa_sha256[] =
    "sha-256 88:05:AA:75:9F:83:99:A6:92:2A:1F:AF:59:DA:3F:CB:"
    "83:AE:9C:14:16:D6:00:1A:09:69:75:CA:64:A5:A1:0C";

/* every private key of this file, for the no-key-in-messages checks */
static const gchar *const all_keys[] = {
  ec_key, ec2_key, rsa_key, rsa1024_key, ed_key,
};

/* No private key text (not even a 16-character piece of a base64 line)
 * and no PEM key label may show in a message. */
static void
assert_no_key_material (const gchar * message)
{
  gsize k;

  g_assert_null (strstr (message, "PRIVATE KEY"));
  g_assert_null (strstr (message, "-----"));
  for (k = 0; k < G_N_ELEMENTS (all_keys); k++) {
    gchar **lines = g_strsplit (all_keys[k], "\n", -1);
    gchar **line;

    for (line = lines; *line != NULL; line++) {
      gsize len = strlen (*line), start;

      if (g_str_has_prefix (*line, "-----"))
        continue;
      /* every window of 16 characters of the line */
      for (start = 0; start + 16 <= len; start++) {
        gchar *window = g_strndup (*line + start, 16);

        if (strstr (message, window) != NULL)
          g_error ("key text in error message \"%s\"", message);
        g_free (window);
      }
    }
    g_strfreev (lines);
  }
}

/* from_pem must fail with @code and a message that contains @in_message
 * and no key material, leaving OpenSSL's error queue empty. */
static void
assert_pem_fails (const gchar * pem, gint code, const gchar * in_message)
{
  SecDtlsCertificate *cert;
  GError *error = NULL;

  cert = sec_dtls_certificate_new_from_pem (pem, &error);
  if (cert != NULL)
    g_error ("PEM text accepted, expected an error containing \"%s\"",
        in_message);
  g_assert_error (error, SEC_DTLS_ERROR, code);
  if (strstr (error->message, in_message) == NULL)
    g_error ("error is \"%s\", expected it to contain \"%s\"",
        error->message, in_message);
  assert_no_key_material (error->message);
  g_assert_cmpuint (ERR_peek_error (), ==, 0);
  g_clear_error (&error);
}

static SecDtlsCertificate *
assert_pem_loads (const gchar * pem, const gchar * expected_fingerprint)
{
  SecDtlsCertificate *cert;
  GError *error = NULL;

  cert = sec_dtls_certificate_new_from_pem (pem, &error);
  if (cert == NULL)
    g_error ("PEM text refused: %s", error->message);
  g_assert_no_error (error);
  g_assert_cmpstr (sec_dtls_certificate_get_fingerprint (cert), ==,
      expected_fingerprint);
  g_assert_cmpuint (ERR_peek_error (), ==, 0);
  return cert;
}

static gchar *
key_to_pem (EVP_PKEY * key, gboolean traditional)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *data;
  long len;
  gchar *pem;

  if (traditional)
    g_assert_cmpint (PEM_write_bio_PrivateKey_traditional (bio, key, NULL,
            NULL, 0, NULL, NULL), ==, 1);
  else
    g_assert_cmpint (PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0,
            NULL, NULL), ==, 1);
  len = BIO_get_mem_data (bio, &data);
  pem = g_strndup (data, len);
  BIO_free (bio);
  return pem;
}

static void
test_new (void)
{
  SecDtlsCertificate *cert;
  SecDtlsFingerprint from_string, from_x509;
  GError *error = NULL;
  X509 *x509;
  EVP_PKEY *key;
  X509_NAME *subject;
  const ASN1_INTEGER *serial;
  uint64_t serial_value = 0;
  gchar curve[32], cn[64];
  int days = 0, secs = 0;

  cert = sec_dtls_certificate_new (&error);
  g_assert_no_error (error);
  g_assert_nonnull (cert);
  g_assert_cmpuint (ERR_peek_error (), ==, 0);
  x509 = sec_dtls_certificate_get_x509 (cert);
  key = sec_dtls_certificate_get_key (cert);
  g_assert_nonnull (x509);
  g_assert_nonnull (key);

  /* ECDSA P-256 */
  g_assert_true (EVP_PKEY_is_a (key, "EC"));
  g_assert_cmpint (EVP_PKEY_get_bits (key), ==, 256);
  g_assert_cmpint (EVP_PKEY_get_utf8_string_param (key,
          OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof (curve), NULL), ==, 1);
  g_assert_cmpstr (curve, ==, "prime256v1");

  /* X.509 v3, self-signed with ecdsa-with-SHA256 by its own key */
  g_assert_cmpint (X509_get_version (x509), ==, X509_VERSION_3);
  g_assert_cmpint (X509_get_signature_nid (x509), ==,
      NID_ecdsa_with_SHA256);
  g_assert_cmpint (X509_verify (x509, key), ==, 1);
  g_assert_cmpint (X509_verify (x509, X509_get0_pubkey (x509)), ==, 1);
  g_assert_cmpint (X509_check_private_key (x509, key), ==, 1);
  subject = X509_get_subject_name (x509);
  g_assert_cmpint (X509_NAME_cmp (subject, X509_get_issuer_name (x509)), ==,
      0);
  g_assert_cmpint (X509_NAME_get_text_by_NID (subject, NID_commonName, cn,
          sizeof (cn)), >, 0);
  g_assert_cmpstr (cn, ==, "gst-secwebrtc");

  /* a positive serial that fits in 64 bits */
  serial = X509_get0_serialNumber (x509);
  g_assert_cmpint (ASN1_INTEGER_get_uint64 (&serial_value, serial), ==, 1);
  g_assert_cmpuint (serial_value, >, 0);
  g_assert_cmpuint (serial_value, <=, G_MAXINT64);

  /* from one day ago, for 30 days */
  g_assert_cmpint (ASN1_TIME_diff (&days, &secs, X509_get0_notBefore (x509),
          X509_get0_notAfter (x509)), ==, 1);
  g_assert_cmpint (days, ==, 30);
  g_assert_cmpint (secs, ==, 0);
  g_assert_cmpint (ASN1_TIME_diff (&days, &secs, NULL,
          X509_get0_notBefore (x509)), ==, 1);
  g_assert_cmpint (days * 86400 + secs, <=, -86400 + 60);
  g_assert_cmpint (days * 86400 + secs, >=, -86400 - 60);

  /* the fingerprint string is the sha-256 of this certificate */
  g_assert_true (g_str_has_prefix (sec_dtls_certificate_get_fingerprint
          (cert), "sha-256 "));
  g_assert_true (sec_dtls_fingerprint_parse
      (sec_dtls_certificate_get_fingerprint (cert), &from_string, &error));
  g_assert_no_error (error);
  sec_dtls_x509_fingerprint (x509, SEC_DTLS_HASH_SHA256, &from_x509);
  g_assert_true (sec_dtls_fingerprint_equal (&from_string, &from_x509));
  sec_dtls_x509_fingerprint (x509, SEC_DTLS_HASH_SHA512, &from_x509);
  g_assert_cmpuint (from_x509.digest_len, ==, 64);
  g_assert_false (sec_dtls_fingerprint_equal (&from_string, &from_x509));

  /* refcounting */
  g_assert_true (sec_dtls_certificate_ref (cert) == cert);
  sec_dtls_certificate_unref (cert);
  g_assert_true (sec_dtls_certificate_get_x509 (cert) == x509);
  sec_dtls_certificate_unref (cert);
}

static void
test_new_unique (void)
{
  g_autoptr (SecDtlsCertificate) a = sec_dtls_certificate_new (NULL);
  g_autoptr (SecDtlsCertificate) b = sec_dtls_certificate_new (NULL);

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpstr (sec_dtls_certificate_get_fingerprint (a), !=,
      sec_dtls_certificate_get_fingerprint (b));
  g_assert_cmpint (ASN1_INTEGER_cmp (X509_get0_serialNumber
          (sec_dtls_certificate_get_x509 (a)),
          X509_get0_serialNumber (sec_dtls_certificate_get_x509 (b))), !=,
      0);
  g_assert_cmpint (EVP_PKEY_eq (sec_dtls_certificate_get_key (a),
          sec_dtls_certificate_get_key (b)), !=, 1);
}

static void
test_new_speed (void)
{
  const guint n = 100;
  gdouble elapsed;
  guint i;

  g_test_timer_start ();
  for (i = 0; i < n; i++) {
    SecDtlsCertificate *cert = sec_dtls_certificate_new (NULL);

    g_assert_nonnull (cert);
    sec_dtls_certificate_unref (cert);
  }
  elapsed = g_test_timer_elapsed ();
  g_test_message ("sec_dtls_certificate_new: %.3f ms per call over %u calls",
      elapsed * 1000.0 / n, n);
}

static void
test_from_pem_ec (void)
{
  SecDtlsCertificate *cert;
  gchar *pem, *pkcs8;
  EVP_PKEY *key;

  /* traditional EC key (with its EC PARAMETERS block) after and before
   * the certificate */
  pem = g_strconcat (ec_crt, ec_key, NULL);
  cert = assert_pem_loads (pem, ec_sha256);
  key = sec_dtls_certificate_get_key (cert);
  g_assert_true (EVP_PKEY_is_a (key, "EC"));
  g_assert_cmpint (X509_check_private_key (sec_dtls_certificate_get_x509
          (cert), key), ==, 1);
  pkcs8 = key_to_pem (key, FALSE);
  g_assert_true (g_str_has_prefix (pkcs8, "-----BEGIN PRIVATE KEY-----"));
  sec_dtls_certificate_unref (cert);
  g_free (pem);

  pem = g_strconcat (ec_key, ec_crt, NULL);
  sec_dtls_certificate_unref (assert_pem_loads (pem, ec_sha256));
  g_free (pem);

  /* the same key as PKCS#8 */
  pem = g_strconcat (pkcs8, ec_crt, NULL);
  sec_dtls_certificate_unref (assert_pem_loads (pem, ec_sha256));
  g_free (pem);
  g_free (pkcs8);

  /* a PKCS#8 key of its own, with text around the blocks as
   * `openssl pkcs12` and editors leave */
  pem = g_strconcat ("Bag Attributes\n    friendlyName: test\n", ec2_crt,
      "\n\n# key below\r\n", ec2_key, "trailing text\n", NULL);
  sec_dtls_certificate_unref (assert_pem_loads (pem, ec2_sha256));
  g_free (pem);
}

static void
test_from_pem_rsa (void)
{
  SecDtlsCertificate *cert;
  gchar *pem, *traditional;
  EVP_PKEY *key;

  pem = g_strconcat (rsa_crt, rsa_key, NULL);
  cert = assert_pem_loads (pem, rsa_sha256);
  key = sec_dtls_certificate_get_key (cert);
  g_assert_true (EVP_PKEY_is_a (key, "RSA"));
  g_assert_cmpint (EVP_PKEY_get_bits (key), ==, 2048);
  traditional = key_to_pem (key, TRUE);
  g_assert_true (g_str_has_prefix (traditional,
          "-----BEGIN RSA PRIVATE KEY-----"));
  sec_dtls_certificate_unref (cert);
  g_free (pem);

  pem = g_strconcat (rsa_key, rsa_crt, NULL);
  sec_dtls_certificate_unref (assert_pem_loads (pem, rsa_sha256));
  g_free (pem);

  pem = g_strconcat (traditional, rsa_crt, NULL);
  sec_dtls_certificate_unref (assert_pem_loads (pem, rsa_sha256));
  g_free (pem);
  g_free (traditional);
}

/* Cut at every 50th byte, the text is refused cleanly (until only the
 * last "-\n" or less is missing). */
static void
assert_truncations_fail (const gchar * pem)
{
  gsize full_len = strlen (pem), len;

  for (len = 0; len + 2 <= full_len; len += 50) {
    gchar *prefix = g_strndup (pem, len);

    assert_pem_fails (prefix, SEC_DTLS_ERROR_INVALID, "PEM text");
    g_free (prefix);
  }
}

static void
test_from_pem_malformed (void)
{
  gchar *pem, *broken;
  gsize i;

  assert_pem_fails (NULL, SEC_DTLS_ERROR_INVALID, "no PEM text");
  assert_pem_fails ("", SEC_DTLS_ERROR_INVALID, "no PEM text");
  assert_pem_fails ("garbage\n", SEC_DTLS_ERROR_INVALID,
      "no readable certificate");
  assert_pem_fails ("\xff\xfe\x01-----BEGIN", SEC_DTLS_ERROR_INVALID,
      "no readable certificate");

  /* one without the other */
  assert_pem_fails (ec_crt, SEC_DTLS_ERROR_INVALID,
      "PEM text holds no readable private key");
  assert_pem_fails (rsa_crt, SEC_DTLS_ERROR_INVALID,
      "PEM text holds no readable private key");
  assert_pem_fails (ec_key, SEC_DTLS_ERROR_INVALID,
      "PEM text holds no readable certificate");
  assert_pem_fails (rsa_key, SEC_DTLS_ERROR_INVALID,
      "PEM text holds no readable certificate");

  /* damaged base64 in the certificate, then in the key */
  pem = g_strconcat (ec_crt, ec_key, NULL);
  broken = g_strdup (pem);
  broken[strlen ("-----BEGIN CERTIFICATE-----\n") + 10] = '*';
  assert_pem_fails (broken, SEC_DTLS_ERROR_INVALID, "no readable certificate");
  g_free (broken);
  broken = g_strdup (pem);
  broken[strlen (ec_crt) + strlen (ec_key) - 60] = '*';
  assert_pem_fails (broken, SEC_DTLS_ERROR_INVALID, "no readable private key");
  g_free (broken);
  /* a certificate whose DER is cut short */
  broken = g_strdup (pem);
  for (i = strlen ("-----BEGIN CERTIFICATE-----\n") + 64; i < 300; i++)
    if (broken[i] != '\n')
      broken[i] = 'A';
  assert_pem_fails (broken, SEC_DTLS_ERROR_INVALID, "no readable certificate");
  g_free (broken);

  /* every 50th prefix, in both orders, for both key types */
  assert_truncations_fail (pem);
  g_free (pem);
  pem = g_strconcat (ec_key, ec_crt, NULL);
  assert_truncations_fail (pem);
  g_free (pem);
  pem = g_strconcat (rsa_crt, rsa_key, NULL);
  assert_truncations_fail (pem);
  g_free (pem);
  pem = g_strconcat (rsa_key, rsa_crt, NULL);
  assert_truncations_fail (pem);
  g_free (pem);
}

static void
test_from_pem_encrypted_key (void)
{
  EVP_PKEY *key;
  BIO *bio, *key_bio;
  char *data;
  long len;
  gchar *pem;

  key_bio = BIO_new_mem_buf (ec2_key, -1);
  key = PEM_read_bio_PrivateKey (key_bio, NULL, NULL, NULL);
  g_assert_nonnull (key);
  BIO_free (key_bio);
  bio = BIO_new (BIO_s_mem ());
  g_assert_cmpint (PEM_write_bio_PKCS8PrivateKey (bio, key,
          EVP_aes_128_cbc (), "passphrase", 10, NULL, NULL), ==, 1);
  len = BIO_get_mem_data (bio, &data);
  pem = g_strdup_printf ("%s%.*s", ec2_crt, (int) len, data);
  g_assert_nonnull (strstr (pem, "ENCRYPTED PRIVATE KEY"));
  /* refused without asking for a passphrase */
  assert_pem_fails (pem, SEC_DTLS_ERROR_INVALID,
      "encrypted keys are not supported");
  g_free (pem);
  BIO_free (bio);
  EVP_PKEY_free (key);
}

static void
test_from_pem_mismatch (void)
{
  gchar *pem;

  pem = g_strconcat (ec_crt, ec2_key, NULL);
  assert_pem_fails (pem, SEC_DTLS_ERROR_CERTIFICATE,
      "the private key does not belong to the certificate");
  g_free (pem);
  pem = g_strconcat (ec2_key, ec_crt, NULL);
  assert_pem_fails (pem, SEC_DTLS_ERROR_CERTIFICATE, "does not belong");
  g_free (pem);
  pem = g_strconcat (rsa_crt, ec_key, NULL);
  assert_pem_fails (pem, SEC_DTLS_ERROR_CERTIFICATE, "does not belong");
  g_free (pem);
  pem = g_strconcat (ec_crt, rsa_key, NULL);
  assert_pem_fails (pem, SEC_DTLS_ERROR_CERTIFICATE, "does not belong");
  g_free (pem);
  /* only the first certificate is ours */
  pem = g_strconcat (ec2_crt, ec_crt, ec_key, NULL);
  assert_pem_fails (pem, SEC_DTLS_ERROR_CERTIFICATE, "does not belong");
  g_free (pem);
}

static void
test_from_pem_weak_or_unsupported_key (void)
{
  gchar *pem;

  pem = g_strconcat (rsa1024_crt, rsa1024_key, NULL);
  assert_pem_fails (pem, SEC_DTLS_ERROR_CERTIFICATE,
      "RSA key has 1024 bits, at least 2048 are required");
  g_free (pem);
  /* refused for its size before the mismatch is looked at */
  pem = g_strconcat (rsa_crt, rsa1024_key, NULL);
  assert_pem_fails (pem, SEC_DTLS_ERROR_CERTIFICATE, "1024 bits");
  g_free (pem);
  pem = g_strconcat (ed_crt, ed_key, NULL);
  assert_pem_fails (pem, SEC_DTLS_ERROR_CERTIFICATE,
      "private key type ED25519 is not supported");
  g_free (pem);
}

static void
test_to_pem (void)
{
  SecDtlsCertificate *cert;
  gchar *pem, *text;
  BIO *bio;
  X509 *read_back;

  cert = sec_dtls_certificate_new (NULL);
  g_assert_nonnull (cert);
  text = sec_dtls_x509_to_pem (sec_dtls_certificate_get_x509 (cert));
  g_assert_nonnull (text);
  g_assert_true (g_str_has_prefix (text, "-----BEGIN CERTIFICATE-----\n"));
  g_assert_true (g_str_has_suffix (text, "-----END CERTIFICATE-----\n"));
  g_assert_null (strstr (text, "PRIVATE"));
  bio = BIO_new_mem_buf (text, -1);
  read_back = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  BIO_free (bio);
  g_assert_nonnull (read_back);
  g_assert_cmpint (X509_cmp (read_back, sec_dtls_certificate_get_x509 (cert)),
      ==, 0);
  X509_free (read_back);
  g_free (text);
  sec_dtls_certificate_unref (cert);

  /* a loaded certificate comes back as it was given */
  pem = g_strconcat (ec_key, ec_crt, NULL);
  cert = assert_pem_loads (pem, ec_sha256);
  text = sec_dtls_x509_to_pem (sec_dtls_certificate_get_x509 (cert));
  g_assert_cmpstr (text, ==, ec_crt);
  g_free (text);
  sec_dtls_certificate_unref (cert);
  g_free (pem);
}

/* --- what reading the PEM text leaves behind ---------------------------- */

/* OpenSSL allocates through these once main() installed them (before
 * OpenSSL's first allocation), so a test can see which freed OpenSSL
 * blocks still held key material. Each block carries its size in front
 * (16 bytes, keeping malloc's alignment); blocks start zeroed and are
 * wiped when freed, so one reading cannot show up in the next. */
typedef struct
{
  gsize size;
  gsize pad;
} BlockHeader;

static struct
{
  gboolean installed;
  gboolean active;
  gchar **needles;              /* lines of the key's base64 text */
  guint8 scalar[512];           /* the private scalar / modulus bytes */
  gsize scalar_len;
  guint hits;
} watch;

static gboolean
contains (const guint8 * data, gsize size, const void *needle, gsize len)
{
  gsize i;

  for (i = 0; len > 0 && i + len <= size; i++) {
    if (memcmp (data + i, needle, len) == 0)
      return TRUE;
  }
  return FALSE;
}

static gboolean
holds_key_material (const guint8 * data, gsize size)
{
  gchar **needle;

  for (needle = watch.needles; needle && *needle; needle++) {
    gsize len = strlen (*needle);

    if (len >= 20 && contains (data, size, *needle, len))
      return TRUE;
  }
  return contains (data, size, watch.scalar, watch.scalar_len);
}

static void *
watch_malloc (size_t size, const char *file, int line)
{
  BlockHeader *header = malloc (sizeof (BlockHeader) + size);

  (void) file;
  (void) line;
  if (header == NULL)
    return NULL;
  header->size = size;
  /* only what OpenSSL writes counts, not what an earlier user of the
   * memory left */
  memset (header + 1, 0, size);
  return header + 1;
}

static void
watch_free (void *data, const char *file, int line)
{
  BlockHeader *header;

  (void) file;
  (void) line;
  if (data == NULL)
    return;
  header = (BlockHeader *) data - 1;
  if (watch.active && holds_key_material (data, header->size))
    watch.hits++;
  OPENSSL_cleanse (data, header->size);
  free (header);
}

static void *
watch_realloc (void *data, size_t size, const char *file, int line)
{
  void *moved;

  if (data == NULL)
    return watch_malloc (size, file, line);
  if (size == 0) {
    watch_free (data, file, line);
    return NULL;
  }
  moved = watch_malloc (size, file, line);
  if (moved != NULL) {
    memcpy (moved, data, MIN (size, ((BlockHeader *) data - 1)->size));
    watch_free (data, file, line);
  }
  return moved;
}

/* Freed OpenSSL blocks holding a piece of @key_pem (or its private
 * value) while @pem is read. */
static guint
key_traces (const gchar * pem, const gchar * key_pem)
{
  SecDtlsCertificate *cert;
  BIGNUM *secret = NULL;
  GError *error = NULL;
  EVP_PKEY *key;
  BIO *bio;

  bio = BIO_new_mem_buf (key_pem, -1);
  key = PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL);
  BIO_free (bio);
  g_assert_nonnull (key);
  if (!EVP_PKEY_get_bn_param (key, OSSL_PKEY_PARAM_PRIV_KEY, &secret))
    g_assert_true (EVP_PKEY_get_bn_param (key, OSSL_PKEY_PARAM_RSA_D,
            &secret));
  watch.scalar_len = (gsize) BN_num_bytes (secret);
  g_assert_cmpuint (watch.scalar_len, <=, sizeof (watch.scalar));
  BN_bn2bin (secret, watch.scalar);
  BN_clear_free (secret);
  EVP_PKEY_free (key);
  watch.needles = g_strsplit (key_pem, "\n", -1);

  watch.hits = 0;
  watch.active = TRUE;
  cert = sec_dtls_certificate_new_from_pem (pem, &error);
  watch.active = FALSE;
  g_assert_no_error (error);
  sec_dtls_certificate_unref (cert);

  g_strfreev (watch.needles);
  watch.needles = NULL;
  OPENSSL_cleanse (watch.scalar, sizeof (watch.scalar));
  watch.scalar_len = 0;
  return watch.hits;
}

/* The certificate reader never passes over the key block: whichever
 * block comes first, the key leaves exactly the traces of its own
 * reader in OpenSSL's freed memory (those are OpenSSL 3.0's own, see
 * ext/dtls/README.md; the certificate reader would add its own copy of
 * the decoded key when the key came first). */
static void
test_from_pem_key_read_once (void)
{
  static const struct
  {
    const gchar *crt, *key;
  } pairs[] = {
    {ec2_crt, ec2_key}, {ec_crt, ec_key}, {rsa_crt, rsa_key},
  };
  guint i;

  if (!watch.installed) {
    g_test_skip ("OpenSSL allocated before main() could watch it");
    return;
  }
  for (i = 0; i < G_N_ELEMENTS (pairs); i++) {
    gchar *cert_first = g_strconcat (pairs[i].crt, pairs[i].key, NULL);
    gchar *key_first = g_strconcat (pairs[i].key, pairs[i].crt, NULL);
    guint after = key_traces (cert_first, pairs[i].key);
    guint before = key_traces (key_first, pairs[i].key);

    g_test_message ("key %u: %u freed OpenSSL blocks held key material "
        "(certificate first), %u (key first)", i, after, before);
    g_assert_cmpuint (before, ==, after);
    g_free (cert_first);
    g_free (key_first);
  }
}

/* The certificate keeps no pointer into the text: wiped and freed right
 * after parsing, the certificate and its key still work (valgrind would
 * see a read of freed memory). */
static void
test_from_pem_text_not_kept (void)
{
  gchar *pem = g_strconcat (ec2_key, ec2_crt, NULL);
  gsize len = strlen (pem);
  SecDtlsCertificate *cert;
  GError *error = NULL;
  EVP_MD_CTX *ctx;
  guint8 signature[128];
  size_t signature_len = sizeof (signature);
  const guint8 message[] = "DTLS CertificateVerify stand-in";

  cert = sec_dtls_certificate_new_from_pem (pem, &error);
  g_assert_no_error (error);
  OPENSSL_cleanse (pem, len);
  g_free (pem);

  g_assert_cmpstr (sec_dtls_certificate_get_fingerprint (cert), ==,
      ec2_sha256);
  ctx = EVP_MD_CTX_new ();
  g_assert_cmpint (EVP_DigestSignInit (ctx, NULL, EVP_sha256 (), NULL,
          sec_dtls_certificate_get_key (cert)), ==, 1);
  g_assert_cmpint (EVP_DigestSign (ctx, signature, &signature_len, message,
          sizeof (message)), ==, 1);
  EVP_MD_CTX_free (ctx);
  ctx = EVP_MD_CTX_new ();
  g_assert_cmpint (EVP_DigestVerifyInit (ctx, NULL, EVP_sha256 (), NULL,
          X509_get0_pubkey (sec_dtls_certificate_get_x509 (cert))), ==, 1);
  g_assert_cmpint (EVP_DigestVerify (ctx, signature, signature_len, message,
          sizeof (message)), ==, 1);
  EVP_MD_CTX_free (ctx);
  sec_dtls_certificate_unref (cert);
}

int
main (int argc, char **argv)
{
  /* before anything makes OpenSSL allocate */
  watch.installed = CRYPTO_set_mem_functions (watch_malloc, watch_realloc,
      watch_free) == 1;
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dtls/certificate/new", test_new);
  g_test_add_func ("/dtls/certificate/new-unique", test_new_unique);
  g_test_add_func ("/dtls/certificate/new-speed", test_new_speed);
  g_test_add_func ("/dtls/certificate/from-pem-ec", test_from_pem_ec);
  g_test_add_func ("/dtls/certificate/from-pem-rsa", test_from_pem_rsa);
  g_test_add_func ("/dtls/certificate/from-pem-malformed",
      test_from_pem_malformed);
  g_test_add_func ("/dtls/certificate/from-pem-encrypted-key",
      test_from_pem_encrypted_key);
  g_test_add_func ("/dtls/certificate/from-pem-mismatch",
      test_from_pem_mismatch);
  g_test_add_func ("/dtls/certificate/from-pem-weak-or-unsupported-key",
      test_from_pem_weak_or_unsupported_key);
  g_test_add_func ("/dtls/certificate/to-pem", test_to_pem);
  g_test_add_func ("/dtls/certificate/from-pem-key-read-once",
      test_from_pem_key_read_once);
  g_test_add_func ("/dtls/certificate/from-pem-text-not-kept",
      test_from_pem_text_not_kept);
  return g_test_run ();
}
