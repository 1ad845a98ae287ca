/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The DTLS association core: OpenSSL's DTLS state machine over a BIO of
 * our own that hands each record OpenSSL writes to the caller as one
 * datagram and gives OpenSSL exactly one received datagram per read, so
 * datagram boundaries survive (RFC 6347 §4.1.1: records never span
 * datagrams). See dtlsconnection.h for the rules it enforces.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "dtlsconnection.h"
#include "dtlssas.h"

#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

/* ECDHE key exchange with AEAD ciphers only (no CBC, no static RSA, no
 * SHA-1 MACs). Which of ECDSA/RSA applies follows the certificate. */
#define SEC_DTLS_CIPHER_LIST \
  "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" \
  "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" \
  "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
#define SEC_DTLS_GROUPS "X25519:P-256:P-384"

/* RFC 5764 §4.2 */
#define SEC_DTLS_SRTP_EXPORTER_LABEL "EXTRACTOR-dtls_srtp"

/* Record content types we let reach OpenSSL (RFC 6347 §4.1, RFC 5246
 * §6.2.1): change_cipher_spec, alert, handshake, application_data. */
#define RECORD_TYPE_FIRST 20
#define RECORD_TYPE_LAST 23
#define RECORD_HEADER_LEN 13
#define RECORD_TYPE_HANDSHAKE 22
#define HANDSHAKE_CLIENT_HELLO 1        /* RFC 5246 §7.4 */
#define HANDSHAKE_SERVER_HELLO 2
/* RFC 6347 §4.2.2 handshake header (type, length, message_seq,
 * fragment_offset, fragment_length), then client_version and random */
#define HANDSHAKE_HEADER_LEN 12
#define CLIENT_HELLO_RANDOM_OFFSET (HANDSHAKE_HEADER_LEN + 2)
#define HELLO_RANDOM_LEN 32
#define MAX_RECORD_LEN (16384 + 2048)   /* RFC 5246 §6.2.3 */

/* Default preference (the srtp-profiles property's default): AEAD first,
 * AES128_CM_SHA1_32 only when asked for. */
static const guint16 default_profiles[] = { 0x0008, 0x0007, 0x0001 };

static const SecDtlsSrtpProfile srtp_profiles[] = {
  {0x0001, "aes128-cm-sha1-80", "SRTP_AES128_CM_SHA1_80", 16, 14},
  {0x0002, "aes128-cm-sha1-32", "SRTP_AES128_CM_SHA1_32", 16, 14},
  {0x0007, "aead-aes-128-gcm", "SRTP_AEAD_AES_128_GCM", 16, 12},
  {0x0008, "aead-aes-256-gcm", "SRTP_AEAD_AES_256_GCM", 32, 12},
};

struct _SecDtlsConnection
{
  SSL_CTX *ctx;
  SSL *ssl;
  SecDtlsCertificate *cert;
  gboolean is_client;
  SecDtlsConnectionCallbacks callbacks;
  gpointer user_data;

  SecDtlsState state;
  gboolean started;

  gboolean have_expected;
  SecDtlsFingerprint expected;
  /* set once the peer's certificate passed the check, never unset */
  gboolean have_peer;
  SecDtlsFingerprint peer;
  X509 *peer_cert;              /* the verified certificate (a reference) */

  guint16 profiles[4];
  guint n_profiles;
  guint mtu;

  gint64 handshake_timeout_us;
  gint64 deadline_us;           /* -1: none */
  gint64 retransmit_us;         /* -1: none */

  /* the datagram OpenSSL may read during the current call */
  const guint8 *in_data;
  gsize in_len;

  /* why the handshake failed, set from OpenSSL callbacks */
  GError *verify_error;
  GError *alert_error;
  /* CLOSED by the peer's close_notify, not by sec_dtls_connection_close */
  gboolean peer_closed;
  /* handshake messages seen in received datagrams (epoch 0, in clear):
   * a ClientHello at a client means both sides are clients */
  gboolean got_client_hello;
  gboolean got_server_hello;
  gboolean got_own_client_hello;        /* ours, come back */

  SecDtlsConnectionStats stats;
};

const gchar *
sec_dtls_state_name (SecDtlsState state)
{
  switch (state) {
    case SEC_DTLS_STATE_NEW:
      return "new";
    case SEC_DTLS_STATE_CONNECTING:
      return "connecting";
    case SEC_DTLS_STATE_CONNECTED:
      return "connected";
    case SEC_DTLS_STATE_CLOSED:
      return "closed";
    case SEC_DTLS_STATE_FAILED:
      return "failed";
  }
  return "unknown";
}

/* --- SRTP profiles ------------------------------------------------------ */

const SecDtlsSrtpProfile *
sec_dtls_srtp_profile_from_nick (const gchar * nick)
{
  guint i;

  if (nick == NULL)
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (srtp_profiles); i++) {
    if (g_ascii_strcasecmp (srtp_profiles[i].nick, nick) == 0)
      return &srtp_profiles[i];
  }
  return NULL;
}

const SecDtlsSrtpProfile *
sec_dtls_srtp_profile_from_id (guint16 id)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (srtp_profiles); i++) {
    if (srtp_profiles[i].id == id)
      return &srtp_profiles[i];
  }
  return NULL;
}

gboolean
sec_dtls_srtp_profiles_parse (const gchar * text, guint16 ids[4],
    guint * n_ids, GError ** error)
{
  gchar **parts;
  guint i, j, n = 0;
  gboolean ok = TRUE;

  if (text == NULL) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
        "no SRTP profile given");
    return FALSE;
  }
  parts = g_strsplit (text, ",", -1);
  for (i = 0; parts[i] != NULL && ok; i++) {
    const SecDtlsSrtpProfile *profile;
    gchar *nick = g_strstrip (parts[i]);

    profile = sec_dtls_srtp_profile_from_nick (nick);
    if (profile == NULL) {
      g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
          "unknown SRTP profile '%s' (known: aead-aes-256-gcm, "
          "aead-aes-128-gcm, aes128-cm-sha1-80, aes128-cm-sha1-32)", nick);
      ok = FALSE;
      break;
    }
    for (j = 0; j < n; j++) {
      if (ids[j] == profile->id) {
        g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
            "SRTP profile '%s' is listed twice", nick);
        ok = FALSE;
      }
    }
    if (ok)
      ids[n++] = profile->id;
  }
  g_strfreev (parts);
  if (ok && n == 0) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
        "no SRTP profile given");
    ok = FALSE;
  }
  if (ok)
    *n_ids = n;
  return ok;
}

void
sec_dtls_srtp_keys_clear (SecDtlsSrtpKeys * keys)
{
  OPENSSL_cleanse (keys, sizeof (*keys));
}

/* --- the datagram BIO --------------------------------------------------- */

static int
bio_write (BIO * bio, const char *data, int len)
{
  SecDtlsConnection *conn = BIO_get_data (bio);

  if (len <= 0)
    return 0;
  conn->stats.datagrams_sent++;
  conn->callbacks.send ((const guint8 *) data, (gsize) len, conn->user_data);
  return len;
}

static int
bio_read (BIO * bio, char *out, int len)
{
  SecDtlsConnection *conn = BIO_get_data (bio);
  gsize n;

  BIO_clear_retry_flags (bio);
  if (conn->in_data == NULL || len <= 0) {
    BIO_set_retry_read (bio);
    return -1;
  }
  /* One datagram per read; a datagram larger than OpenSSL's buffer is
   * cut, and the record layer then rejects the cut record. */
  n = MIN ((gsize) len, conn->in_len);
  memcpy (out, conn->in_data, n);
  conn->in_data = NULL;
  conn->in_len = 0;
  return (int) n;
}

static int
bio_puts (BIO * bio, const char *str)
{
  return bio_write (bio, str, (int) strlen (str));
}

static long
bio_ctrl (BIO * bio, int cmd, long num, void *ptr)
{
  SecDtlsConnection *conn = BIO_get_data (bio);

  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return conn ? (long) conn->mtu : SEC_DTLS_DEFAULT_MTU;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
      /* the MTU we are given is already what a datagram may carry */
      return 0;
    case BIO_CTRL_PENDING:
      return conn && conn->in_data ? (long) conn->in_len : 0;
    case BIO_CTRL_WPENDING:
      return 0;
    default:
      return 0;
  }
}

static int
bio_create (BIO * bio)
{
  BIO_set_init (bio, 1);
  return 1;
}

static BIO_METHOD *
datagram_bio_method (void)
{
  static gsize once = 0;
  static BIO_METHOD *method;

  if (g_once_init_enter (&once)) {
    method = BIO_meth_new (BIO_get_new_index () | BIO_TYPE_SOURCE_SINK,
        "secdtls datagram");
    BIO_meth_set_write (method, bio_write);
    BIO_meth_set_read (method, bio_read);
    BIO_meth_set_puts (method, bio_puts);
    BIO_meth_set_ctrl (method, bio_ctrl);
    BIO_meth_set_create (method, bio_create);
    g_once_init_leave (&once, 1);
  }
  return method;
}

/* --- OpenSSL callbacks -------------------------------------------------- */

static int ssl_conn_index = -1;

static SecDtlsConnection *
connection_from_ssl (const SSL * ssl)
{
  return SSL_get_ex_data (ssl, ssl_conn_index);
}

static void
set_verify_error (SecDtlsConnection * conn, SecDtlsError code,
    const gchar * format, ...) G_GNUC_PRINTF (3, 4);

static void
set_verify_error (SecDtlsConnection * conn, SecDtlsError code,
    const gchar * format, ...)
{
  va_list args;

  g_clear_error (&conn->verify_error);
  va_start (args, format);
  conn->verify_error = g_error_new_valist (SEC_DTLS_ERROR, code, format, args);
  va_end (args);
}

/* The certificate passed: it is the peer from now on (set_peer_fingerprint
 * holds every later expectation against it). */
static int
accept_peer (SecDtlsConnection * conn, X509 * peer_cert,
    const SecDtlsFingerprint * fingerprint)
{
  X509_up_ref (peer_cert);
  if (conn->peer_cert)
    X509_free (conn->peer_cert);
  conn->peer_cert = peer_cert;
  conn->peer = *fingerprint;
  conn->have_peer = TRUE;
  return 1;
}

static void
set_mismatch_error (SecDtlsConnection * conn,
    const SecDtlsFingerprint * received)
{
  gchar *expected = sec_dtls_fingerprint_to_string (&conn->expected);
  gchar *seen = sec_dtls_fingerprint_to_string (received);

  set_verify_error (conn, SEC_DTLS_ERROR_FINGERPRINT_MISMATCH,
      "peer certificate fingerprint %s does not match the expected %s",
      seen, expected);
  g_free (expected);
  g_free (seen);
}

/* The whole certificate check (replaces X.509 path validation: WebRTC
 * certificates are self-signed and authenticated by the fingerprint from
 * signaling, RFC 8827 §6.5, RFC 5763 §5). Runs inside the handshake, so a
 * failure aborts it with a fatal bad_certificate alert before any key is
 * derived. */
static int
verify_certificate (X509_STORE_CTX * store, void *arg)
{
  SSL *ssl = X509_STORE_CTX_get_ex_data (store,
      SSL_get_ex_data_X509_STORE_CTX_idx ());
  SecDtlsConnection *conn = connection_from_ssl (ssl);
  X509 *peer_cert = X509_STORE_CTX_get0_cert (store);
  SecDtlsFingerprint received;
  SecDtlsHash hash;

  (void) arg;
  if (peer_cert == NULL) {
    set_verify_error (conn, SEC_DTLS_ERROR_HANDSHAKE,
        "the peer sent no certificate");
    X509_STORE_CTX_set_error (store, X509_V_ERR_CERT_REJECTED);
    return 0;
  }

  hash = conn->have_expected ? conn->expected.hash : SEC_DTLS_HASH_SHA256;
  sec_dtls_x509_fingerprint (peer_cert, hash, &received);

  if (conn->have_expected) {
    if (sec_dtls_fingerprint_equal (&conn->expected, &received))
      return accept_peer (conn, peer_cert, &received);
    set_mismatch_error (conn, &received);
  } else if (conn->callbacks.accept_certificate
      && (conn->callbacks.can_accept_certificate == NULL
          || conn->callbacks.can_accept_certificate (conn->user_data))) {
    gchar *pem = sec_dtls_x509_to_pem (peer_cert);
    gboolean accepted;

    accepted = pem && conn->callbacks.accept_certificate (pem,
        conn->user_data);
    g_free (pem);
    /* the callback may have set the expected fingerprint meanwhile: a
     * "yes" then holds only for a certificate that matches it */
    if (accepted && conn->have_expected) {
      sec_dtls_x509_fingerprint (peer_cert, conn->expected.hash, &received);
      if (sec_dtls_fingerprint_equal (&conn->expected, &received))
        return accept_peer (conn, peer_cert, &received);
      set_mismatch_error (conn, &received);
    } else if (accepted) {
      return accept_peer (conn, peer_cert, &received);
    } else {
      gchar *seen = sec_dtls_fingerprint_to_string (&received);

      set_verify_error (conn, SEC_DTLS_ERROR_REJECTED,
          "the application rejected the peer certificate %s", seen);
      g_free (seen);
    }
  } else {
    gchar *seen = sec_dtls_fingerprint_to_string (&received);

    set_verify_error (conn, SEC_DTLS_ERROR_NO_FINGERPRINT,
        "no peer-fingerprint was set (and no accept-certificate handler "
        "decides), so the peer's certificate %s was refused: compare it "
        "with the peer's local-fingerprint, which its signaling sends, "
        "then set peer-fingerprint to that before the peer's certificate "
        "arrives, or connect to accept-certificate to decide in code",
        seen);
    g_free (seen);
  }
  X509_STORE_CTX_set_error (store, X509_V_ERR_CERT_REJECTED);
  return 0;
}

static void
info_callback (const SSL * ssl, int where, int ret)
{
  SecDtlsConnection *conn;

  if (!(where & SSL_CB_ALERT) || !(where & SSL_CB_READ))
    return;
  conn = connection_from_ssl (ssl);
  /* close_notify is no failure: read_records ends the association */
  if ((ret & 0xff) == SSL_AD_CLOSE_NOTIFY)
    return;
  if ((ret >> 8) == SSL3_AL_FATAL && conn->alert_error == NULL) {
    const gchar *why = "";
    gchar *hint = NULL;

    if (conn->state == SEC_DTLS_STATE_CONNECTING
        && (ret & 0xff) == SSL_AD_BAD_CERTIFICATE) {
      /* RFC 5763 §5: the peer checked our certificate against the
       * fingerprint it expects */
      hint = g_strdup_printf (": the peer did not accept our certificate "
          "%s; the peer's peer-fingerprint must be this one (our "
          "local-fingerprint), sent to it through signaling",
          sec_dtls_certificate_get_fingerprint (conn->cert));
      why = hint;
    } else if (conn->state == SEC_DTLS_STATE_CONNECTING && conn->is_client
        && !conn->got_server_hello
        && (ret & 0xff) == SSL_AD_UNEXPECTED_MESSAGE) {
      why = ": if the peer is a DTLS client too (is-client=true on both "
          "sides), one side must set is-client=false";
    }
    conn->alert_error = g_error_new (SEC_DTLS_ERROR, SEC_DTLS_ERROR_ALERT,
        "the peer sent a fatal alert: %s (%d)%s",
        SSL_alert_desc_string_long (ret), ret & 0xff, why);
    g_free (hint);
  }
}

/* Retransmission timer (RFC 6347 §4.2.4.1): start short, as WebRTC
 * stacks do on a path ICE has just proven, double up to a ceiling. */
static unsigned int
retransmit_timer (SSL * ssl, unsigned int previous_us)
{
  (void) ssl;
  if (previous_us == 0)
    return SEC_DTLS_INITIAL_RETRANSMIT_US;
  return MIN ((guint64) previous_us * 2, SEC_DTLS_MAX_RETRANSMIT_US);
}

/* --- life cycle --------------------------------------------------------- */

/* One SSL_CTX for every association of the process: it holds only the
 * fixed policy below (no certificate, no key, no session cache), so
 * sharing it links nothing between associations, and it spares each
 * association OpenSSL 3's costly context set-up (provider look-ups of
 * ciphers, groups and signature algorithms, ~0.1 ms). Certificates and
 * keys are set per SSL. Made once, kept for the life of the process. */
static SSL_CTX *
shared_context (GError ** error)
{
  static gsize once = 0;
  static SSL_CTX *ctx;
  static gchar *failure;

  if (g_once_init_enter (&once)) {
    SSL_CTX *made = SSL_CTX_new (DTLS_method ());

    /* DTLS 1.2 at least; 1.3 is taken when the OpenSSL in use has it. */
    if (made == NULL
        || !SSL_CTX_set_min_proto_version (made, DTLS1_2_VERSION)
        || !SSL_CTX_set_cipher_list (made, SEC_DTLS_CIPHER_LIST)
        || !SSL_CTX_set1_groups_list (made, SEC_DTLS_GROUPS)) {
      gchar reason[256];

      ERR_error_string_n (ERR_get_error (), reason, sizeof (reason));
      failure = g_strdup (reason);
      ERR_clear_error ();
      SSL_CTX_free (made);
    } else {
      SSL_CTX_set_options (made, SSL_OP_NO_COMPRESSION
          | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET);
      SSL_CTX_set_session_cache_mode (made, SSL_SESS_CACHE_OFF);
      /* Both roles demand the peer's certificate (RFC 5763 §5). */
      SSL_CTX_set_verify (made, SSL_VERIFY_PEER
          | SSL_VERIFY_FAIL_IF_NO_PEER_CERT | SSL_VERIFY_CLIENT_ONCE, NULL);
      SSL_CTX_set_cert_verify_callback (made, verify_certificate, NULL);
      SSL_CTX_set_info_callback (made, info_callback);
      ctx = made;
    }
    g_once_init_leave (&once, 1);
  }
  if (ctx == NULL) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_FAILED,
        "could not set up OpenSSL for DTLS: %s", failure);
    return NULL;
  }
  SSL_CTX_up_ref (ctx);
  return ctx;
}


SecDtlsConnection *
sec_dtls_connection_new (SecDtlsCertificate * cert, gboolean is_client,
    const SecDtlsConnectionCallbacks * callbacks, gpointer user_data,
    GError ** error)
{
  static gsize index_once = 0;
  SecDtlsConnection *conn;
  BIO *bio;

  g_return_val_if_fail (cert != NULL, NULL);
  g_return_val_if_fail (callbacks != NULL && callbacks->send != NULL, NULL);

  if (g_once_init_enter (&index_once)) {
    ssl_conn_index = SSL_get_ex_new_index (0, NULL, NULL, NULL, NULL);
    g_once_init_leave (&index_once, 1);
  }

  ERR_clear_error ();
  conn = g_new0 (SecDtlsConnection, 1);
  conn->cert = sec_dtls_certificate_ref (cert);
  conn->is_client = is_client;
  conn->callbacks = *callbacks;
  conn->user_data = user_data;
  conn->state = SEC_DTLS_STATE_NEW;
  conn->mtu = SEC_DTLS_DEFAULT_MTU;
  conn->handshake_timeout_us = SEC_DTLS_DEFAULT_HANDSHAKE_TIMEOUT_US;
  conn->deadline_us = -1;
  conn->retransmit_us = -1;
  memcpy (conn->profiles, default_profiles, sizeof (default_profiles));
  conn->n_profiles = G_N_ELEMENTS (default_profiles);

  conn->ctx = shared_context (error);
  if (conn->ctx == NULL) {
    sec_dtls_connection_free (conn);
    return NULL;
  }
  conn->ssl = SSL_new (conn->ctx);
  if (conn->ssl == NULL)
    goto openssl_failed;
  if (SSL_use_certificate (conn->ssl, sec_dtls_certificate_get_x509 (cert))
      != 1
      || SSL_use_PrivateKey (conn->ssl, sec_dtls_certificate_get_key (cert))
      != 1 || SSL_check_private_key (conn->ssl) != 1) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_CERTIFICATE,
        "the certificate or its key cannot be used for DTLS");
    ERR_clear_error ();
    sec_dtls_connection_free (conn);
    return NULL;
  }
  SSL_set_ex_data (conn->ssl, ssl_conn_index, conn);
  bio = BIO_new (datagram_bio_method ());
  if (bio == NULL)
    goto openssl_failed;
  BIO_set_data (bio, conn);
  SSL_set_bio (conn->ssl, bio, bio);
  SSL_set_mtu (conn->ssl, conn->mtu);
  DTLS_set_timer_cb (conn->ssl, retransmit_timer);
  if (is_client)
    SSL_set_connect_state (conn->ssl);
  else
    SSL_set_accept_state (conn->ssl);
  return conn;

openssl_failed:
  {
    gchar reason[256];

    ERR_error_string_n (ERR_get_error (), reason, sizeof (reason));
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_FAILED,
        "could not set up OpenSSL for DTLS: %s", reason);
    ERR_clear_error ();
    sec_dtls_connection_free (conn);
    return NULL;
  }
}

void
sec_dtls_connection_free (SecDtlsConnection * conn)
{
  if (conn == NULL)
    return;
  if (conn->ssl)
    SSL_free (conn->ssl);       /* frees the BIO too */
  if (conn->ctx)
    SSL_CTX_free (conn->ctx);
  sec_dtls_certificate_unref (conn->cert);
  if (conn->peer_cert)
    X509_free (conn->peer_cert);
  g_clear_error (&conn->verify_error);
  g_clear_error (&conn->alert_error);
  g_free (conn);
}

/* --- settings ----------------------------------------------------------- */

/* A verified peer is contradicted by signaling: the association is over
 * (RFC 8842: a changed fingerprint needs a new DTLS association). */
static void
fail_peer_changed (SecDtlsConnection * conn, const gchar * now_expected,
    GError ** error)
{
  gchar *verified = sec_dtls_fingerprint_to_string (&conn->peer);

  g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_PEER_CHANGED,
      "the peer's identity changed in signaling: its certificate was "
      "verified as %s, but signaling now expects %s; this association is "
      "ended, a new one (a new handshake) is needed", verified,
      now_expected);
  g_free (verified);
  if (conn->state == SEC_DTLS_STATE_CONNECTED) {
    /* tell the peer (RFC 5246 §7.2.1 close_notify) */
    ERR_clear_error ();
    SSL_shutdown (conn->ssl);
    ERR_clear_error ();
  }
  conn->state = SEC_DTLS_STATE_FAILED;
  conn->deadline_us = -1;
  conn->retransmit_us = -1;
}

gboolean
sec_dtls_connection_set_peer_fingerprint (SecDtlsConnection * conn,
    const gchar * fingerprint, GError ** error)
{
  SecDtlsFingerprint parsed, actual;
  GError *parse_error = NULL;
  gchar *text;

  if (!conn->have_peer || conn->state == SEC_DTLS_STATE_FAILED) {
    /* nothing verified (yet, or any more): the value is what a check
     * compares against */
    if (fingerprint == NULL) {
      conn->have_expected = FALSE;
      return TRUE;
    }
    if (!sec_dtls_fingerprint_parse (fingerprint, &parsed, error))
      return FALSE;
    conn->expected = parsed;
    conn->have_expected = TRUE;
    return TRUE;
  }

  /* the peer is verified: it may be confirmed, never replaced */
  if (fingerprint == NULL) {
    conn->have_expected = FALSE;
    return TRUE;
  }
  if (sec_dtls_fingerprint_parse (fingerprint, &parsed, &parse_error)) {
    sec_dtls_x509_fingerprint (conn->peer_cert, parsed.hash, &actual);
    if (sec_dtls_fingerprint_equal (&parsed, &actual)) {
      conn->expected = parsed;
      conn->have_expected = TRUE;
      return TRUE;
    }
    text = sec_dtls_fingerprint_to_string (&parsed);
  } else {
    text = g_strdup_printf ("an unusable fingerprint (%s)",
        parse_error->message);
    g_clear_error (&parse_error);
  }
  fail_peer_changed (conn, text, error);
  g_free (text);
  return FALSE;
}

gboolean
sec_dtls_connection_set_srtp_profiles (SecDtlsConnection * conn,
    const guint16 * ids, guint n_ids, GError ** error)
{
  guint i;

  if (n_ids == 0 || n_ids > G_N_ELEMENTS (conn->profiles)) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
        "between 1 and 4 SRTP profiles must be given, not %u", n_ids);
    return FALSE;
  }
  for (i = 0; i < n_ids; i++) {
    if (sec_dtls_srtp_profile_from_id (ids[i]) == NULL) {
      g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
          "unknown SRTP profile 0x%04x", ids[i]);
      return FALSE;
    }
  }
  memcpy (conn->profiles, ids, n_ids * sizeof (guint16));
  conn->n_profiles = n_ids;
  return TRUE;
}

void
sec_dtls_connection_set_handshake_timeout (SecDtlsConnection * conn,
    gint64 timeout_us)
{
  conn->handshake_timeout_us = timeout_us;
}

void
sec_dtls_connection_set_mtu (SecDtlsConnection * conn, guint mtu)
{
  conn->mtu = CLAMP (mtu, 256, 65507);
  SSL_set_mtu (conn->ssl, conn->mtu);
}

/* --- driving ------------------------------------------------------------ */

/* Two clients: each sends a ClientHello and gets the other's (OpenSSL
 * says only "unexpected message"). Our own ClientHello coming back is
 * another mistake. */
static GError *
role_conflict_error (SecDtlsConnection * conn)
{
  if (conn->got_own_client_hello)
    return g_error_new (SEC_DTLS_ERROR, SEC_DTLS_ERROR_HANDSHAKE,
        "this side received its own ClientHello: the datagrams it sends "
        "come back to it; check the network path (does this side's "
        "secdtlsenc send to the address and port its own secdtlsdec "
        "receives on?)");
  return g_error_new (SEC_DTLS_ERROR, SEC_DTLS_ERROR_ROLE_CONFLICT,
      "the peer sent a ClientHello, but this side is the DTLS client: both "
      "sides are DTLS clients (is-client=true); one side must set "
      "is-client=false (in SDP, a=setup:active is the client, "
      "a=setup:passive the server)");
}

static gboolean
fail (SecDtlsConnection * conn, GError ** error)
{
  GError *why = NULL;

  if (conn->verify_error) {
    why = conn->verify_error;
    conn->verify_error = NULL;
  } else if (conn->is_client && conn->got_client_hello
      && conn->state == SEC_DTLS_STATE_CONNECTING) {
    why = role_conflict_error (conn);
  } else if (conn->alert_error) {
    why = conn->alert_error;
    conn->alert_error = NULL;
  } else {
    unsigned long code = ERR_peek_last_error ();
    gchar reason[256];

    if (code != 0) {
      ERR_error_string_n (code, reason, sizeof (reason));
      why = g_error_new (SEC_DTLS_ERROR, SEC_DTLS_ERROR_HANDSHAKE,
          "DTLS %s: %s", conn->state == SEC_DTLS_STATE_CONNECTED ?
          "protocol error" : "handshake failed", reason);
    } else {
      why = g_error_new (SEC_DTLS_ERROR, SEC_DTLS_ERROR_HANDSHAKE,
          "DTLS %s without a reason from OpenSSL",
          conn->state == SEC_DTLS_STATE_CONNECTED ?
          "protocol error" : "handshake failed");
    }
  }
  ERR_clear_error ();
  conn->state = SEC_DTLS_STATE_FAILED;
  conn->deadline_us = -1;
  conn->retransmit_us = -1;
  g_propagate_error (error, why);
  return FALSE;
}

static void
update_retransmit_timer (SecDtlsConnection * conn, gint64 now_us)
{
  struct timeval remaining;

  if (conn->state == SEC_DTLS_STATE_CONNECTING
      && DTLSv1_get_timeout (conn->ssl, &remaining) == 1)
    conn->retransmit_us = now_us + (gint64) remaining.tv_sec * G_USEC_PER_SEC
        + remaining.tv_usec;
  else
    conn->retransmit_us = -1;
}

/* Reads application data and alerts until OpenSSL wants more input. */
static gboolean
read_records (SecDtlsConnection * conn, GError ** error)
{
  guint8 buffer[MAX_RECORD_LEN];

  for (;;) {
    int n = SSL_read (conn->ssl, buffer, sizeof (buffer));

    if (n > 0) {
      conn->stats.app_bytes_received += n;
      if (conn->callbacks.app_data)
        conn->callbacks.app_data (buffer, n, conn->user_data);
      continue;
    }
    switch (SSL_get_error (conn->ssl, n)) {
      case SSL_ERROR_WANT_READ:
        ERR_clear_error ();
        return TRUE;
      case SSL_ERROR_ZERO_RETURN:
        /* close_notify (RFC 5246 §7.2.1): answer it and stop. The
         * records before it were read (and handed to app_data) by the
         * earlier SSL_read calls; none after it are. */
        SSL_shutdown (conn->ssl);
        ERR_clear_error ();
        conn->state = SEC_DTLS_STATE_CLOSED;
        conn->peer_closed = TRUE;
        return TRUE;
      default:
        return fail (conn, error);
    }
  }
}

static gboolean
drive (SecDtlsConnection * conn, gint64 now_us, GError ** error)
{
  if (conn->state == SEC_DTLS_STATE_CONNECTING) {
    int ret = SSL_do_handshake (conn->ssl);

    if (ret != 1) {
      int code = SSL_get_error (conn->ssl, ret);

      if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
        ERR_clear_error ();
        update_retransmit_timer (conn, now_us);
        return TRUE;
      }
      return fail (conn, error);
    }
    /* Verified (verify_certificate accepted the peer) and finished. */
    conn->state = SEC_DTLS_STATE_CONNECTED;
    conn->deadline_us = -1;
    conn->retransmit_us = -1;
  }
  if (conn->state == SEC_DTLS_STATE_CONNECTED)
    return read_records (conn, error);
  return TRUE;
}

gboolean
sec_dtls_connection_start (SecDtlsConnection * conn, gint64 now_us,
    GError ** error)
{
  gchar names[128] = "";
  guint i;

  if (conn->started)
    return conn->state != SEC_DTLS_STATE_FAILED;
  conn->started = TRUE;
  ERR_clear_error ();

  for (i = 0; i < conn->n_profiles; i++) {
    const SecDtlsSrtpProfile *profile =
        sec_dtls_srtp_profile_from_id (conn->profiles[i]);

    if (i > 0)
      g_strlcat (names, ":", sizeof (names));
    g_strlcat (names, profile->openssl_name, sizeof (names));
  }
  /* RFC 5764 §4.1.1; returns 0 on success. */
  if (SSL_set_tlsext_use_srtp (conn->ssl, names) != 0) {
    conn->state = SEC_DTLS_STATE_FAILED;
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_FAILED,
        "OpenSSL does not support the SRTP profiles %s", names);
    ERR_clear_error ();
    return FALSE;
  }

  conn->state = SEC_DTLS_STATE_CONNECTING;
  if (conn->handshake_timeout_us > 0)
    conn->deadline_us = now_us + conn->handshake_timeout_us;
  if (conn->is_client)
    return drive (conn, now_us, error);
  return TRUE;
}

/* RFC 6347 §4.1: a datagram holds one or more whole records. Anything
 * else is dropped here (§4.1.2.7) and counted, so OpenSSL only sees
 * well-framed input. */
static gboolean
datagram_is_well_framed (const guint8 * data, gsize len)
{
  gsize offset = 0;

  if (len == 0)
    return FALSE;
  while (offset < len) {
    guint8 type;
    gsize record_len;

    if (len - offset < RECORD_HEADER_LEN)
      return FALSE;
    type = data[offset];
    if (type < RECORD_TYPE_FIRST || type > RECORD_TYPE_LAST)
      return FALSE;
    if (data[offset + 1] != 0xfe)       /* DTLS major version byte */
      return FALSE;
    record_len = ((gsize) data[offset + 11] << 8) | data[offset + 12];
    if (record_len > MAX_RECORD_LEN
        || record_len > len - offset - RECORD_HEADER_LEN)
      return FALSE;
    offset += RECORD_HEADER_LEN + record_len;
  }
  return TRUE;
}

gboolean
sec_dtls_datagram_is_dtls (const guint8 * data, gsize len)
{
  return datagram_is_well_framed (data, len);
}

/* Notes the first handshake message of each record in clear (epoch 0) of
 * a well-framed datagram: only ClientHello and ServerHello matter. */
static void
note_handshake_messages (SecDtlsConnection * conn, const guint8 * data,
    gsize len)
{
  gsize offset = 0;

  while (offset + RECORD_HEADER_LEN < len) {
    gsize record_len = ((gsize) data[offset + 11] << 8) | data[offset + 12];

    if (data[offset] == RECORD_TYPE_HANDSHAKE && data[offset + 3] == 0
        && data[offset + 4] == 0 && record_len > 0) {
      const guint8 *body = data + offset + RECORD_HEADER_LEN;
      guint8 msg_type = body[0];

      if (msg_type == HANDSHAKE_CLIENT_HELLO) {
        guint8 ours[HELLO_RANDOM_LEN];

        conn->got_client_hello = TRUE;
        /* the first fragment carries the random: ours means it is the
         * ClientHello this side sent */
        if (conn->is_client && record_len >= CLIENT_HELLO_RANDOM_OFFSET
            + HELLO_RANDOM_LEN && body[6] == 0 && body[7] == 0
            && body[8] == 0
            && SSL_get_client_random (conn->ssl, ours, sizeof (ours))
            == sizeof (ours)
            && CRYPTO_memcmp (body + CLIENT_HELLO_RANDOM_OFFSET, ours,
                sizeof (ours)) == 0)
          conn->got_own_client_hello = TRUE;
      } else if (msg_type == HANDSHAKE_SERVER_HELLO) {
        conn->got_server_hello = TRUE;
      }
    }
    offset += RECORD_HEADER_LEN + record_len;
  }
}

gboolean
sec_dtls_connection_receive (SecDtlsConnection * conn, const guint8 * data,
    gsize len, gint64 now_us, GError ** error)
{
  gboolean ok;

  conn->stats.datagrams_received++;
  if (conn->state == SEC_DTLS_STATE_CLOSED
      || conn->state == SEC_DTLS_STATE_FAILED) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_CLOSED,
        "the DTLS association is %s", sec_dtls_state_name (conn->state));
    return FALSE;
  }
  if (!datagram_is_well_framed (data, len)) {
    conn->stats.datagrams_malformed++;
    return TRUE;
  }
  if (!conn->started && !sec_dtls_connection_start (conn, now_us, error))
    return FALSE;

  note_handshake_messages (conn, data, len);

  ERR_clear_error ();
  conn->in_data = data;
  conn->in_len = len;
  ok = drive (conn, now_us, error);
  conn->in_data = NULL;
  conn->in_len = 0;
  /* a client that got a ClientHello never completes, whatever OpenSSL
   * made of it */
  if (ok && conn->is_client && conn->got_client_hello
      && conn->state == SEC_DTLS_STATE_CONNECTING) {
    conn->state = SEC_DTLS_STATE_FAILED;
    conn->deadline_us = -1;
    conn->retransmit_us = -1;
    g_propagate_error (error, role_conflict_error (conn));
    return FALSE;
  }
  return ok;
}

gint64
sec_dtls_connection_get_next_timeout (SecDtlsConnection * conn)
{
  if (conn->state != SEC_DTLS_STATE_CONNECTING)
    return -1;
  if (conn->retransmit_us < 0)
    return conn->deadline_us;
  if (conn->deadline_us < 0)
    return conn->retransmit_us;
  return MIN (conn->retransmit_us, conn->deadline_us);
}

gboolean
sec_dtls_connection_handle_timeout (SecDtlsConnection * conn, gint64 now_us,
    GError ** error)
{
  if (conn->state != SEC_DTLS_STATE_CONNECTING)
    return conn->state != SEC_DTLS_STATE_FAILED;

  if (conn->deadline_us >= 0 && now_us >= conn->deadline_us) {
    conn->state = SEC_DTLS_STATE_FAILED;
    conn->deadline_us = -1;
    conn->retransmit_us = -1;
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_TIMEOUT,
        "no DTLS handshake with the peer within %" G_GINT64_FORMAT
        " ms (%" G_GUINT64_FORMAT " flights resent, %" G_GUINT64_FORMAT
        " datagrams received, %" G_GUINT64_FORMAT " of them not DTLS): %s",
        conn->handshake_timeout_us / 1000, conn->stats.retransmissions,
        conn->stats.datagrams_received, conn->stats.datagrams_malformed,
        sec_dtls_connection_explain_silence (conn));
    return FALSE;
  }
  if (conn->retransmit_us >= 0 && now_us >= conn->retransmit_us) {
    int ret;

    ERR_clear_error ();
    ret = DTLSv1_handle_timeout (conn->ssl);
    if (ret < 0)
      return fail (conn, error);
    if (ret > 0)
      conn->stats.retransmissions++;
    update_retransmit_timer (conn, now_us);
  }
  return TRUE;
}

gboolean
sec_dtls_connection_send (SecDtlsConnection * conn, const guint8 * data,
    gsize len, GError ** error)
{
  int ret;

  if (conn->state != SEC_DTLS_STATE_CONNECTED) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_CLOSED,
        "cannot send application data: the DTLS association is %s",
        sec_dtls_state_name (conn->state));
    return FALSE;
  }
  if (len == 0)
    return TRUE;
  if (len > 16384) {
    g_set_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID,
        "application data of %" G_GSIZE_FORMAT " bytes does not fit one "
        "DTLS record (16384 at most)", len);
    return FALSE;
  }
  ERR_clear_error ();
  ret = SSL_write (conn->ssl, data, (int) len);
  if (ret <= 0)
    return fail (conn, error);
  conn->stats.app_bytes_sent += len;
  return TRUE;
}

void
sec_dtls_connection_close (SecDtlsConnection * conn)
{
  if (conn->state == SEC_DTLS_STATE_FAILED
      || conn->state == SEC_DTLS_STATE_CLOSED)
    return;
  if (conn->state == SEC_DTLS_STATE_CONNECTED) {
    /* RFC 5246 §7.2.1 close_notify */
    SSL_shutdown (conn->ssl);
    ERR_clear_error ();
  }
  conn->state = SEC_DTLS_STATE_CLOSED;
  conn->deadline_us = -1;
  conn->retransmit_us = -1;
}

/* --- queries ------------------------------------------------------------ */

const gchar *
sec_dtls_connection_explain_silence (SecDtlsConnection * conn)
{
  gboolean heard = conn->stats.datagrams_received
      > conn->stats.datagrams_malformed;

  if (heard && conn->is_client && !conn->got_server_hello)
    return "the peer's DTLS datagrams arrive, but no ServerHello answered "
        "our ClientHello: check that the peer is the DTLS server "
        "(is-client=false) and that our datagrams reach it";
  if (heard)
    return "the handshake began but did not finish: datagrams are lost on "
        "the way in one direction (network path, ports), or the peer "
        "stopped";
  if (conn->is_client)
    return "no answer to our ClientHello: check the network path both ways "
        "(this secdtlsenc's datagrams must reach the peer's secdtlsdec, the "
        "peer's reach this side's secdtlsdec), that the peer runs as the "
        "DTLS server (is-client=false), and that secdtlsenc and secdtlsdec "
        "are not swapped on either side";
  return "as the DTLS server this side waits for a ClientHello, and no "
      "ClientHello arrived: check that exactly one side has "
      "is-client=true, and that the network path is right (the peer's "
      "secdtlsenc must send to where this side's secdtlsdec receives)";
}

SecDtlsState
sec_dtls_connection_get_state (SecDtlsConnection * conn)
{
  return conn->state;
}

gboolean
sec_dtls_connection_closed_by_peer (SecDtlsConnection * conn)
{
  return conn->state == SEC_DTLS_STATE_CLOSED && conn->peer_closed;
}

gboolean
sec_dtls_connection_is_client (SecDtlsConnection * conn)
{
  return conn->is_client;
}

void
sec_dtls_connection_get_stats (SecDtlsConnection * conn,
    SecDtlsConnectionStats * stats)
{
  *stats = conn->stats;
}

const gchar *
sec_dtls_connection_get_version (SecDtlsConnection * conn)
{
  if (conn->state != SEC_DTLS_STATE_CONNECTED)
    return NULL;
  return SSL_get_version (conn->ssl);
}

const gchar *
sec_dtls_connection_get_cipher_suite (SecDtlsConnection * conn)
{
  const SSL_CIPHER *cipher;

  if (conn->state != SEC_DTLS_STATE_CONNECTED)
    return NULL;
  cipher = SSL_get_current_cipher (conn->ssl);
  return cipher ? SSL_CIPHER_standard_name (cipher) : NULL;
}

const SecDtlsSrtpProfile *
sec_dtls_connection_get_srtp_profile (SecDtlsConnection * conn)
{
  SRTP_PROTECTION_PROFILE *selected;

  if (conn->state != SEC_DTLS_STATE_CONNECTED)
    return NULL;
  selected = SSL_get_selected_srtp_profile (conn->ssl);
  if (selected == NULL)
    return NULL;
  return sec_dtls_srtp_profile_from_id ((guint16) selected->id);
}

gchar *
sec_dtls_connection_get_peer_fingerprint (SecDtlsConnection * conn)
{
  if (!conn->have_peer)
    return NULL;
  return sec_dtls_fingerprint_to_string (&conn->peer);
}

SecDtlsCertificate *
sec_dtls_connection_get_certificate (SecDtlsConnection * conn)
{
  return conn->cert;
}

gboolean
sec_dtls_connection_export_srtp_keys (SecDtlsConnection * conn,
    SecDtlsSrtpKeys * keys)
{
  const SecDtlsSrtpProfile *profile;
  guint8 material[2 * SEC_DTLS_SRTP_MAX_KEY];
  const guint8 *client_key, *server_key, *client_salt, *server_salt;
  guint8 *mine, *theirs;
  gsize k, s;

  memset (keys, 0, sizeof (*keys));
  /* Only after a completed handshake, which includes the verification. */
  if (conn->state != SEC_DTLS_STATE_CONNECTED || !conn->have_peer)
    return FALSE;
  profile = sec_dtls_connection_get_srtp_profile (conn);
  if (profile == NULL)
    return FALSE;

  k = profile->key_len;
  s = profile->salt_len;
  if (SSL_export_keying_material (conn->ssl, material, 2 * (k + s),
          SEC_DTLS_SRTP_EXPORTER_LABEL,
          strlen (SEC_DTLS_SRTP_EXPORTER_LABEL), NULL, 0, 0) != 1) {
    ERR_clear_error ();
    return FALSE;
  }
  /* RFC 5764 §4.2: client key, server key, client salt, server salt */
  client_key = material;
  server_key = material + k;
  client_salt = material + 2 * k;
  server_salt = material + 2 * k + s;
  mine = keys->local;
  theirs = keys->remote;
  memcpy (mine, conn->is_client ? client_key : server_key, k);
  memcpy (mine + k, conn->is_client ? client_salt : server_salt, s);
  memcpy (theirs, conn->is_client ? server_key : client_key, k);
  memcpy (theirs + k, conn->is_client ? server_salt : client_salt, s);
  keys->profile_id = profile->id;
  keys->key_len = k + s;
  OPENSSL_cleanse (material, sizeof (material));
  return TRUE;
}

gchar *
sec_dtls_connection_get_sas (SecDtlsConnection * conn)
{
  guint8 material[SEC_DTLS_SAS_EXPORT_LEN];
  gchar *sas;

  /* after a completed handshake, which includes the verification */
  if (conn->state != SEC_DTLS_STATE_CONNECTED || !conn->have_peer)
    return NULL;
  if (SSL_export_keying_material (conn->ssl, material, sizeof (material),
          SEC_DTLS_SAS_EXPORTER_LABEL,
          strlen (SEC_DTLS_SAS_EXPORTER_LABEL), NULL, 0, 0) != 1) {
    ERR_clear_error ();
    return NULL;
  }
  sas = sec_dtls_sas_from_bytes (material, sizeof (material));
  OPENSSL_cleanse (material, sizeof (material));
  return sas;
}
