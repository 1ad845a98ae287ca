/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The DTLS association core without GStreamer: two SecDtlsConnections
 * joined by in-memory queues. Handshakes in both roles and with every
 * SRTP profile (keys equal crosswise), verification failures that must
 * fail closed, retransmission, timeouts, garbage and close_notify.
 */
#include "dtlsconnection.h"
#include "dtlssas.h"

#include <string.h>

typedef struct
{
  const gchar *name;
  SecDtlsCertificate *cert;
  SecDtlsConnection *conn;
  GQueue out;                   /* GBytes datagrams to deliver to the peer */
  GByteArray *app;              /* application data received */
  guint sent;                   /* datagrams sent so far */
  guint max_datagram;
  /* datagram indexes (of this side's sends) to drop, -1 terminated */
  gint drop[8];
  gboolean accept;              /* accept_certificate answer */
  /* set as expected fingerprint from inside accept_certificate */
  const gchar *expect_in_accept;
  guint accept_calls;
  gchar *accepted_pem;
} Peer;

static void
peer_send (const guint8 * data, gsize len, gpointer user_data)
{
  Peer *peer = user_data;
  guint index = peer->sent++;
  guint i;

  peer->max_datagram = MAX (peer->max_datagram, len);
  for (i = 0; i < G_N_ELEMENTS (peer->drop) && peer->drop[i] >= 0; i++) {
    if ((guint) peer->drop[i] == index)
      return;
  }
  g_queue_push_tail (&peer->out, g_bytes_new (data, len));
}

static void
peer_app_data (const guint8 * data, gsize len, gpointer user_data)
{
  Peer *peer = user_data;

  g_byte_array_append (peer->app, data, len);
}

static gboolean
peer_accept (const gchar * pem, gpointer user_data)
{
  Peer *peer = user_data;

  peer->accept_calls++;
  if (peer->expect_in_accept)
    g_assert_true (sec_dtls_connection_set_peer_fingerprint (peer->conn,
            peer->expect_in_accept, NULL));
  g_free (peer->accepted_pem);
  peer->accepted_pem = g_strdup (pem);
  return peer->accept;
}

static const SecDtlsConnectionCallbacks callbacks = {
  peer_send, peer_app_data, NULL
};

static const SecDtlsConnectionCallbacks callbacks_with_accept = {
  peer_send, peer_app_data, peer_accept
};

static Peer *
peer_new (const gchar * name, gboolean is_client, gboolean with_accept)
{
  Peer *peer = g_new0 (Peer, 1);
  GError *error = NULL;

  peer->name = name;
  peer->cert = sec_dtls_certificate_new (&error);
  g_assert_no_error (error);
  peer->conn = sec_dtls_connection_new (peer->cert, is_client,
      with_accept ? &callbacks_with_accept : &callbacks, peer, &error);
  g_assert_no_error (error);
  g_assert_nonnull (peer->conn);
  g_queue_init (&peer->out);
  peer->app = g_byte_array_new ();
  memset (peer->drop, 0xff, sizeof (peer->drop));
  return peer;
}

static void
peer_free (Peer * peer)
{
  g_queue_clear_full (&peer->out, (GDestroyNotify) g_bytes_unref);
  sec_dtls_connection_free (peer->conn);
  sec_dtls_certificate_unref (peer->cert);
  g_byte_array_unref (peer->app);
  g_free (peer->accepted_pem);
  g_free (peer);
}

/* Each side expects the other's real fingerprint. */
static void
peers_expect_each_other (Peer * a, Peer * b)
{
  GError *error = NULL;

  g_assert_true (sec_dtls_connection_set_peer_fingerprint (a->conn,
          sec_dtls_certificate_get_fingerprint (b->cert), &error));
  g_assert_no_error (error);
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (b->conn,
          sec_dtls_certificate_get_fingerprint (a->cert), &error));
  g_assert_no_error (error);
}

/* Delivers what @from sent to @to; returns the number delivered. The
 * first error of @to is stored in @error. */
static guint
deliver (Peer * from, Peer * to, GError ** error)
{
  guint n = 0;
  GBytes *datagram;

  while ((datagram = g_queue_pop_head (&from->out))) {
    gsize len;
    const guint8 *data = g_bytes_get_data (datagram, &len);
    GError *local = NULL;

    if (!sec_dtls_connection_receive (to->conn, data, len,
            g_get_monotonic_time (), &local)) {
      if (error && *error == NULL)
        g_propagate_error (error, local);
      else
        g_clear_error (&local);
    }
    g_bytes_unref (datagram);
    n++;
  }
  return n;
}

/* Pumps until neither side has anything to send; returns the number of
 * datagrams moved. */
static guint
pump (Peer * a, Peer * b, GError ** a_error, GError ** b_error)
{
  guint total = 0, n;

  do {
    n = deliver (a, b, b_error);
    n += deliver (b, a, a_error);
    total += n;
  } while (n > 0);
  return total;
}

static gboolean
is_finished (SecDtlsConnection * conn)
{
  SecDtlsState state = sec_dtls_connection_get_state (conn);

  return state == SEC_DTLS_STATE_CONNECTED || state == SEC_DTLS_STATE_FAILED
      || state == SEC_DTLS_STATE_CLOSED;
}

/* Pumps and, when both are idle, waits for the earliest retransmission
 * timer the cores ask for, until both are finished or @limit_us passed. */
static void
run_until_finished (Peer * a, Peer * b, GError ** a_error, GError ** b_error,
    gint64 limit_us)
{
  gint64 end = g_get_monotonic_time () + limit_us;

  for (;;) {
    gint64 next = -1, t, now;

    pump (a, b, a_error, b_error);
    if (is_finished (a->conn) && is_finished (b->conn))
      return;
    t = sec_dtls_connection_get_next_timeout (a->conn);
    next = t;
    t = sec_dtls_connection_get_next_timeout (b->conn);
    if (t >= 0 && (next < 0 || t < next))
      next = t;
    now = g_get_monotonic_time ();
    g_assert_cmpint (next, >=, 0);
    g_assert_cmpint (now, <, end);
    /* the core's own timer is the event we wait for */
    if (next > now)
      g_usleep (next - now);
    now = g_get_monotonic_time ();
    if (!sec_dtls_connection_handle_timeout (a->conn, now, a_error))
      continue;
    sec_dtls_connection_handle_timeout (b->conn, now, b_error);
  }
}

static void
start_pair (Peer * client, Peer * server)
{
  GError *error = NULL;

  g_assert_true (sec_dtls_connection_start (server->conn,
          g_get_monotonic_time (), &error));
  g_assert_no_error (error);
  g_assert_true (sec_dtls_connection_start (client->conn,
          g_get_monotonic_time (), &error));
  g_assert_no_error (error);
  g_assert_cmpint (sec_dtls_connection_get_state (client->conn), ==,
      SEC_DTLS_STATE_CONNECTING);
  /* a client sends its ClientHello at once */
  g_assert_cmpuint (client->sent, ==, 1);
}

static void
assert_keys_crosswise (Peer * a, Peer * b, guint16 profile_id)
{
  SecDtlsSrtpKeys ka, kb;
  const SecDtlsSrtpProfile *profile =
      sec_dtls_srtp_profile_from_id (profile_id);

  g_assert_true (sec_dtls_connection_export_srtp_keys (a->conn, &ka));
  g_assert_true (sec_dtls_connection_export_srtp_keys (b->conn, &kb));
  g_assert_cmpuint (ka.profile_id, ==, profile_id);
  g_assert_cmpuint (kb.profile_id, ==, profile_id);
  g_assert_cmpuint (ka.key_len, ==, profile->key_len + profile->salt_len);
  g_assert_cmpuint (kb.key_len, ==, ka.key_len);
  /* what one side protects with, the other unprotects with */
  g_assert_cmpmem (ka.local, ka.key_len, kb.remote, kb.key_len);
  g_assert_cmpmem (ka.remote, ka.key_len, kb.local, kb.key_len);
  /* and the two directions differ */
  g_assert_true (memcmp (ka.local, ka.remote, ka.key_len) != 0);
  sec_dtls_srtp_keys_clear (&ka);
  sec_dtls_srtp_keys_clear (&kb);
}

static void
handshake_with_profiles (const gchar * client_profiles,
    const gchar * server_profiles, guint16 expected_profile)
{
  Peer *client = peer_new ("client", TRUE, FALSE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  GError *ce = NULL, *se = NULL;
  guint16 ids[4];
  guint n;
  gchar *fp;
  const gchar *suite;

  peers_expect_each_other (client, server);
  if (client_profiles) {
    g_assert_true (sec_dtls_srtp_profiles_parse (client_profiles, ids, &n,
            NULL));
    g_assert_true (sec_dtls_connection_set_srtp_profiles (client->conn, ids,
            n, NULL));
  }
  if (server_profiles) {
    g_assert_true (sec_dtls_srtp_profiles_parse (server_profiles, ids, &n,
            NULL));
    g_assert_true (sec_dtls_connection_set_srtp_profiles (server->conn, ids,
            n, NULL));
  }
  start_pair (client, server);
  pump (client, server, &ce, &se);
  g_assert_no_error (ce);
  g_assert_no_error (se);
  g_assert_cmpint (sec_dtls_connection_get_state (client->conn), ==,
      SEC_DTLS_STATE_CONNECTED);
  g_assert_cmpint (sec_dtls_connection_get_state (server->conn), ==,
      SEC_DTLS_STATE_CONNECTED);
  g_assert_cmpstr (sec_dtls_connection_get_version (client->conn), ==,
      "DTLSv1.2");
  suite = sec_dtls_connection_get_cipher_suite (client->conn);
  g_assert_nonnull (strstr (suite, "TLS_ECDHE_ECDSA_WITH_"));
  g_assert_nonnull (strstr (suite, "GCM") ? suite : strstr (suite,
          "CHACHA20"));
  g_assert_cmpstr (suite, ==,
      sec_dtls_connection_get_cipher_suite (server->conn));
  g_assert_cmpuint (sec_dtls_connection_get_srtp_profile (client->conn)->id,
      ==, expected_profile);

  fp = sec_dtls_connection_get_peer_fingerprint (client->conn);
  g_assert_cmpstr (fp, ==, sec_dtls_certificate_get_fingerprint
      (server->cert));
  g_free (fp);
  fp = sec_dtls_connection_get_peer_fingerprint (server->conn);
  g_assert_cmpstr (fp, ==, sec_dtls_certificate_get_fingerprint
      (client->cert));
  g_free (fp);

  assert_keys_crosswise (client, server, expected_profile);
  /* handshake records sized for a 1200-byte MTU */
  g_assert_cmpuint (client->max_datagram, <=, SEC_DTLS_DEFAULT_MTU);
  g_assert_cmpuint (server->max_datagram, <=, SEC_DTLS_DEFAULT_MTU);
  peer_free (client);
  peer_free (server);
}

static void
test_handshake_default_profile (void)
{
  /* AEAD_AES_256_GCM first (the srtp-profiles default) */
  handshake_with_profiles (NULL, NULL, 0x0008);
}

static void
test_handshake_each_profile (void)
{
  handshake_with_profiles ("aead-aes-128-gcm", NULL, 0x0007);
  handshake_with_profiles ("aes128-cm-sha1-80", NULL, 0x0001);
  handshake_with_profiles ("aead-aes-256-gcm", NULL, 0x0008);
  /* AES128_CM_SHA1_32 only when both sides ask for it */
  handshake_with_profiles ("aes128-cm-sha1-32", "aes128-cm-sha1-32", 0x0002);
  /* the server's preference decides among the common ones */
  handshake_with_profiles ("aes128-cm-sha1-80,aead-aes-128-gcm",
      "aead-aes-128-gcm,aes128-cm-sha1-80", 0x0007);
}

static void
test_no_common_profile (void)
{
  Peer *client = peer_new ("client", TRUE, FALSE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  GError *ce = NULL, *se = NULL;
  SecDtlsSrtpKeys keys;
  guint16 cm32 = 0x0002;

  peers_expect_each_other (client, server);
  g_assert_true (sec_dtls_connection_set_srtp_profiles (client->conn, &cm32,
          1, NULL));
  start_pair (client, server);
  pump (client, server, &ce, &se);
  /* RFC 5764 §4.1.3: the server may go on without use_srtp; then no
   * SRTP keys exist, and none are made up */
  if (sec_dtls_connection_get_state (client->conn) ==
      SEC_DTLS_STATE_CONNECTED) {
    g_assert_null (sec_dtls_connection_get_srtp_profile (client->conn));
    g_assert_false (sec_dtls_connection_export_srtp_keys (client->conn,
            &keys));
  } else {
    g_assert_nonnull (ce);
  }
  g_clear_error (&ce);
  g_clear_error (&se);
  peer_free (client);
  peer_free (server);
}

static void
test_fingerprint_mismatch (gconstpointer data)
{
  gboolean client_checks_wrong = GPOINTER_TO_INT (data);
  Peer *client = peer_new ("client", TRUE, FALSE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  Peer *third = peer_new ("third", FALSE, FALSE);
  Peer *checker = client_checks_wrong ? client : server;
  Peer *other = client_checks_wrong ? server : client;
  GError *ce = NULL, *se = NULL;
  GError *checker_error, *other_error;
  SecDtlsSrtpKeys keys;

  peers_expect_each_other (client, server);
  /* the checker expects a third party's certificate */
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (checker->conn,
          sec_dtls_certificate_get_fingerprint (third->cert), NULL));
  start_pair (client, server);
  pump (client, server, &ce, &se);
  checker_error = client_checks_wrong ? ce : se;
  other_error = client_checks_wrong ? se : ce;

  g_assert_error (checker_error, SEC_DTLS_ERROR,
      SEC_DTLS_ERROR_FINGERPRINT_MISMATCH);
  /* the message names both fingerprints */
  g_assert_nonnull (strstr (checker_error->message,
          sec_dtls_certificate_get_fingerprint (third->cert)));
  g_assert_nonnull (strstr (checker_error->message,
          sec_dtls_certificate_get_fingerprint (other->cert)));
  g_assert_cmpint (sec_dtls_connection_get_state (checker->conn), ==,
      SEC_DTLS_STATE_FAILED);
  g_assert_false (sec_dtls_connection_export_srtp_keys (checker->conn,
          &keys));
  /* the other side got a fatal bad_certificate alert */
  g_assert_error (other_error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_ALERT);
  g_assert_nonnull (strstr (other_error->message, "bad certificate"));
  g_assert_cmpint (sec_dtls_connection_get_state (other->conn), ==,
      SEC_DTLS_STATE_FAILED);
  g_assert_false (sec_dtls_connection_export_srtp_keys (other->conn, &keys));
  g_clear_error (&ce);
  g_clear_error (&se);
  peer_free (client);
  peer_free (server);
  peer_free (third);
}

static void
test_fingerprint_other_hashes (void)
{
  Peer *client = peer_new ("client", TRUE, FALSE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  SecDtlsFingerprint fp;
  GError *ce = NULL, *se = NULL;
  gchar *text;

  /* the client expects a sha-512 fingerprint, the server a sha-384 one */
  sec_dtls_x509_fingerprint (sec_dtls_certificate_get_x509 (server->cert),
      SEC_DTLS_HASH_SHA512, &fp);
  text = sec_dtls_fingerprint_to_string (&fp);
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (client->conn, text,
          NULL));
  g_free (text);
  sec_dtls_x509_fingerprint (sec_dtls_certificate_get_x509 (client->cert),
      SEC_DTLS_HASH_SHA384, &fp);
  text = sec_dtls_fingerprint_to_string (&fp);
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (server->conn, text,
          NULL));
  start_pair (client, server);
  pump (client, server, &ce, &se);
  g_assert_no_error (ce);
  g_assert_no_error (se);
  {
    gchar *seen = sec_dtls_connection_get_peer_fingerprint (server->conn);

    g_assert_cmpstr (seen, ==, text);
    g_free (seen);
  }
  g_free (text);
  peer_free (client);
  peer_free (server);
}

static void
test_weak_fingerprint_refused (void)
{
  Peer *client = peer_new ("client", TRUE, FALSE);
  GError *error = NULL;

  g_assert_false (sec_dtls_connection_set_peer_fingerprint (client->conn,
          "sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB",
          &error));
  g_assert_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_WEAK_HASH);
  g_clear_error (&error);
  g_assert_false (sec_dtls_connection_set_peer_fingerprint (client->conn,
          "sha-256 00:11", &error));
  g_assert_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID);
  g_clear_error (&error);
  peer_free (client);
}

static void
test_no_fingerprint (void)
{
  Peer *client = peer_new ("client", TRUE, FALSE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  GError *ce = NULL, *se = NULL;
  SecDtlsSrtpKeys keys;

  /* the server knows the client; the client knows nothing and has no
   * accept_certificate callback: it fails closed */
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (server->conn,
          sec_dtls_certificate_get_fingerprint (client->cert), NULL));
  start_pair (client, server);
  pump (client, server, &ce, &se);
  g_assert_error (ce, SEC_DTLS_ERROR, SEC_DTLS_ERROR_NO_FINGERPRINT);
  g_assert_nonnull (strstr (ce->message,
          sec_dtls_certificate_get_fingerprint (server->cert)));
  /* it says what was missing and what to do */
  g_assert_nonnull (strstr (ce->message, "no peer-fingerprint was set"));
  g_assert_nonnull (strstr (ce->message, "local-fingerprint"));
  g_assert_nonnull (strstr (ce->message, "set peer-fingerprint"));
  g_assert_nonnull (strstr (ce->message, "accept-certificate"));
  g_assert_false (sec_dtls_connection_export_srtp_keys (client->conn, &keys));
  /* the refused side hears which of its certificates was refused */
  g_assert_error (se, SEC_DTLS_ERROR, SEC_DTLS_ERROR_ALERT);
  g_assert_nonnull (strstr (se->message, "bad certificate (42)"));
  g_assert_nonnull (strstr (se->message,
          sec_dtls_certificate_get_fingerprint (server->cert)));
  g_assert_nonnull (strstr (se->message, "peer-fingerprint"));
  g_clear_error (&ce);
  g_clear_error (&se);
  peer_free (client);
  peer_free (server);
}

static gboolean
cannot_accept (gpointer user_data)
{
  (void) user_data;
  return FALSE;
}

/* An accept_certificate callback that has nothing to ask (no handler):
 * the certificate is refused as having no fingerprint, and the callback
 * is not called. */
static void
test_no_fingerprint_no_handler (void)
{
  static const SecDtlsConnectionCallbacks without_handler = {
    peer_send, peer_app_data, peer_accept, cannot_accept
  };
  Peer *client = peer_new ("client", TRUE, FALSE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  GError *ce = NULL, *se = NULL;

  sec_dtls_connection_free (client->conn);
  client->conn = sec_dtls_connection_new (client->cert, TRUE,
      &without_handler, client, NULL);
  client->accept = TRUE;
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (server->conn,
          sec_dtls_certificate_get_fingerprint (client->cert), NULL));
  start_pair (client, server);
  pump (client, server, &ce, &se);
  g_assert_cmpuint (client->accept_calls, ==, 0);
  g_assert_error (ce, SEC_DTLS_ERROR, SEC_DTLS_ERROR_NO_FINGERPRINT);
  g_assert_nonnull (strstr (ce->message, "no peer-fingerprint was set"));
  g_assert_error (se, SEC_DTLS_ERROR, SEC_DTLS_ERROR_ALERT);
  g_clear_error (&ce);
  g_clear_error (&se);
  peer_free (client);
  peer_free (server);
}

static void
test_accept_certificate (gconstpointer data)
{
  gboolean accept = GPOINTER_TO_INT (data);
  Peer *client = peer_new ("client", TRUE, TRUE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  GError *ce = NULL, *se = NULL;

  client->accept = accept;
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (server->conn,
          sec_dtls_certificate_get_fingerprint (client->cert), NULL));
  start_pair (client, server);
  pump (client, server, &ce, &se);
  g_assert_cmpuint (client->accept_calls, ==, 1);
  g_assert_nonnull (strstr (client->accepted_pem, "BEGIN CERTIFICATE"));
  g_assert_null (strstr (client->accepted_pem, "PRIVATE"));
  if (accept) {
    gchar *fp;

    g_assert_no_error (ce);
    g_assert_no_error (se);
    assert_keys_crosswise (client, server, 0x0008);
    fp = sec_dtls_connection_get_peer_fingerprint (client->conn);
    g_assert_cmpstr (fp, ==, sec_dtls_certificate_get_fingerprint
        (server->cert));
    g_free (fp);
  } else {
    g_assert_error (ce, SEC_DTLS_ERROR, SEC_DTLS_ERROR_REJECTED);
    g_assert_error (se, SEC_DTLS_ERROR, SEC_DTLS_ERROR_ALERT);
  }
  g_clear_error (&ce);
  g_clear_error (&se);
  peer_free (client);
  peer_free (server);
}

/* --- the peer's identity once verified ---------------------------------- */

static gchar *
fingerprint_with (SecDtlsCertificate * cert, SecDtlsHash hash)
{
  SecDtlsFingerprint fp;

  sec_dtls_x509_fingerprint (sec_dtls_certificate_get_x509 (cert), hash, &fp);
  return sec_dtls_fingerprint_to_string (&fp);
}

static void
assert_still_connected (Peer * client, Peer * server)
{
  g_assert_cmpint (sec_dtls_connection_get_state (client->conn), ==,
      SEC_DTLS_STATE_CONNECTED);
  assert_keys_crosswise (client, server, 0x0008);
}

/* After the handshake, signaling may repeat the peer's fingerprint in any
 * spelling or hash (nothing happens); any other value means the peer is
 * no longer the one verified: the association fails and its keys are
 * gone (RFC 8842: a changed fingerprint needs a new DTLS association). */
static void
test_peer_changed_after_connected (void)
{
  Peer *client = peer_new ("client", TRUE, FALSE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  Peer *third = peer_new ("third", FALSE, FALSE);
  const gchar *verified = sec_dtls_certificate_get_fingerprint (server->cert);
  const gchar *other = sec_dtls_certificate_get_fingerprint (third->cert);
  GError *ce = NULL, *se = NULL;
  SecDtlsSrtpKeys keys;
  gchar *text;

  peers_expect_each_other (client, server);
  start_pair (client, server);
  pump (client, server, &ce, &se);
  g_assert_no_error (ce);
  g_assert_no_error (se);

  g_assert_true (sec_dtls_connection_set_peer_fingerprint (client->conn,
          verified, &ce));
  text = g_ascii_strdown (verified, -1);
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (client->conn,
          text, &ce));
  g_free (text);
  text = fingerprint_with (server->cert, SEC_DTLS_HASH_SHA512);
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (client->conn,
          text, &ce));
  g_free (text);
  /* no expectation any more: nothing contradicts the verified peer */
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (client->conn,
          NULL, &ce));
  g_assert_no_error (ce);
  g_assert_cmpuint (g_queue_get_length (&client->out), ==, 0);
  assert_still_connected (client, server);

  g_assert_false (sec_dtls_connection_set_peer_fingerprint (client->conn,
          other, &ce));
  g_assert_error (ce, SEC_DTLS_ERROR, SEC_DTLS_ERROR_PEER_CHANGED);
  g_assert_nonnull (strstr (ce->message, verified));
  g_assert_nonnull (strstr (ce->message, other));
  g_assert_nonnull (strstr (ce->message, "new handshake"));
  g_clear_error (&ce);
  g_assert_cmpint (sec_dtls_connection_get_state (client->conn), ==,
      SEC_DTLS_STATE_FAILED);
  g_assert_false (sec_dtls_connection_export_srtp_keys (client->conn, &keys));
  g_assert_false (sec_dtls_connection_send (client->conn, (guint8 *) "x", 1,
          &ce));
  g_clear_error (&ce);
  /* what was verified is still reported as such */
  text = sec_dtls_connection_get_peer_fingerprint (client->conn);
  g_assert_cmpstr (text, ==, verified);
  g_free (text);
  /* the peer hears that the association is over (close_notify) */
  g_assert_cmpuint (g_queue_get_length (&client->out), ==, 1);
  deliver (client, server, &se);
  g_assert_no_error (se);
  g_assert_cmpint (sec_dtls_connection_get_state (server->conn), ==,
      SEC_DTLS_STATE_CLOSED);
  /* once failed, a setting changes nothing more */
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (client->conn,
          verified, &ce));
  g_assert_cmpint (sec_dtls_connection_get_state (client->conn), ==,
      SEC_DTLS_STATE_FAILED);
  peer_free (client);
  peer_free (server);
  peer_free (third);
}

/* A value signaling gives that is not a usable fingerprint cannot
 * confirm the verified peer either. */
static void
test_peer_unusable_after_connected (gconstpointer data)
{
  const gchar *unusable = data;
  Peer *client = peer_new ("client", TRUE, FALSE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  GError *ce = NULL, *se = NULL;
  SecDtlsSrtpKeys keys;

  peers_expect_each_other (client, server);
  start_pair (client, server);
  pump (client, server, &ce, &se);
  g_assert_false (sec_dtls_connection_set_peer_fingerprint (server->conn,
          unusable, &se));
  g_assert_error (se, SEC_DTLS_ERROR, SEC_DTLS_ERROR_PEER_CHANGED);
  g_assert_nonnull (strstr (se->message,
          sec_dtls_certificate_get_fingerprint (client->cert)));
  g_clear_error (&se);
  g_assert_cmpint (sec_dtls_connection_get_state (server->conn), ==,
      SEC_DTLS_STATE_FAILED);
  g_assert_false (sec_dtls_connection_export_srtp_keys (server->conn, &keys));
  peer_free (client);
  peer_free (server);
}

/* The client has checked the server's certificate (flight 2) but the
 * handshake has not finished: a change now fails it before any key
 * exists. */
static void
test_peer_changed_mid_handshake (void)
{
  Peer *client = peer_new ("client", TRUE, FALSE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  Peer *third = peer_new ("third", FALSE, FALSE);
  GError *ce = NULL, *se = NULL;
  SecDtlsSrtpKeys keys;
  gchar *text;

  peers_expect_each_other (client, server);
  start_pair (client, server);
  deliver (client, server, &se);        /* ClientHello */
  deliver (server, client, &ce);        /* ServerHello .. ServerHelloDone */
  g_assert_no_error (ce);
  g_assert_no_error (se);
  g_assert_cmpint (sec_dtls_connection_get_state (client->conn), ==,
      SEC_DTLS_STATE_CONNECTING);
  text = sec_dtls_connection_get_peer_fingerprint (client->conn);
  g_assert_cmpstr (text, ==, sec_dtls_certificate_get_fingerprint
      (server->cert));
  g_free (text);

  g_assert_false (sec_dtls_connection_set_peer_fingerprint (client->conn,
          sec_dtls_certificate_get_fingerprint (third->cert), &ce));
  g_assert_error (ce, SEC_DTLS_ERROR, SEC_DTLS_ERROR_PEER_CHANGED);
  g_clear_error (&ce);
  g_assert_cmpint (sec_dtls_connection_get_state (client->conn), ==,
      SEC_DTLS_STATE_FAILED);
  g_assert_cmpint (sec_dtls_connection_get_next_timeout (client->conn), ==,
      -1);
  /* the rest of the handshake arrives: nothing changes */
  pump (client, server, &ce, &se);
  g_clear_error (&ce);
  g_clear_error (&se);
  g_assert_cmpint (sec_dtls_connection_get_state (client->conn), ==,
      SEC_DTLS_STATE_FAILED);
  g_assert_false (sec_dtls_connection_export_srtp_keys (client->conn, &keys));
  peer_free (client);
  peer_free (server);
  peer_free (third);
}

/* A certificate the callback accepted is the verified one: its
 * fingerprint confirms it later, another one fails the association. */
static void
test_peer_changed_after_accept (void)
{
  Peer *client = peer_new ("client", TRUE, TRUE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  Peer *third = peer_new ("third", FALSE, FALSE);
  GError *ce = NULL, *se = NULL;

  client->accept = TRUE;
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (server->conn,
          sec_dtls_certificate_get_fingerprint (client->cert), NULL));
  start_pair (client, server);
  pump (client, server, &ce, &se);
  g_assert_no_error (ce);
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (client->conn,
          sec_dtls_certificate_get_fingerprint (server->cert), &ce));
  assert_still_connected (client, server);
  g_assert_false (sec_dtls_connection_set_peer_fingerprint (client->conn,
          sec_dtls_certificate_get_fingerprint (third->cert), &ce));
  g_assert_error (ce, SEC_DTLS_ERROR, SEC_DTLS_ERROR_PEER_CHANGED);
  g_clear_error (&ce);
  peer_free (client);
  peer_free (server);
  peer_free (third);
}

/* An accept_certificate callback that sets an expected fingerprint (the
 * application learnt it meanwhile): the certificate must match it, even
 * though the callback said yes. */
static void
test_accept_callback_sets_fingerprint (gconstpointer data)
{
  gboolean right = GPOINTER_TO_INT (data);
  Peer *client = peer_new ("client", TRUE, TRUE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  Peer *third = peer_new ("third", FALSE, FALSE);
  GError *ce = NULL, *se = NULL;
  SecDtlsSrtpKeys keys;

  client->accept = TRUE;
  client->expect_in_accept = right ?
      sec_dtls_certificate_get_fingerprint (server->cert) :
      sec_dtls_certificate_get_fingerprint (third->cert);
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (server->conn,
          sec_dtls_certificate_get_fingerprint (client->cert), NULL));
  start_pair (client, server);
  pump (client, server, &ce, &se);
  g_assert_cmpuint (client->accept_calls, ==, 1);
  if (right) {
    g_assert_no_error (ce);
    assert_keys_crosswise (client, server, 0x0008);
  } else {
    g_assert_error (ce, SEC_DTLS_ERROR, SEC_DTLS_ERROR_FINGERPRINT_MISMATCH);
    g_assert_nonnull (strstr (ce->message, client->expect_in_accept));
    g_assert_false (sec_dtls_connection_export_srtp_keys (client->conn,
            &keys));
  }
  g_clear_error (&ce);
  g_clear_error (&se);
  peer_free (client);
  peer_free (server);
  peer_free (third);
}

static void
test_retransmission (void)
{
  Peer *client = peer_new ("client", TRUE, FALSE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  GError *ce = NULL, *se = NULL;
  SecDtlsConnectionStats stats;

  peers_expect_each_other (client, server);
  /* lose the first flight of each side: the ClientHello, then the
   * server's first flight (ServerHello ... ServerHelloDone, several
   * datagrams; drop them all) */
  client->drop[0] = 0;
  server->drop[0] = 0;
  server->drop[1] = 1;
  server->drop[2] = 2;
  server->drop[3] = 3;
  server->drop[4] = 4;
  start_pair (client, server);
  g_assert_cmpuint (g_queue_get_length (&client->out), ==, 0);
  run_until_finished (client, server, &ce, &se, 10 * G_USEC_PER_SEC);
  g_assert_no_error (ce);
  g_assert_no_error (se);
  assert_keys_crosswise (client, server, 0x0008);
  sec_dtls_connection_get_stats (client->conn, &stats);
  g_assert_cmpuint (stats.retransmissions, >=, 2);
  peer_free (client);
  peer_free (server);
}

static void
test_handshake_timeout (void)
{
  Peer *client = peer_new ("client", TRUE, FALSE);
  GError *error = NULL;
  gint64 start = 1000 * G_USEC_PER_SEC;
  SecDtlsSrtpKeys keys;

  sec_dtls_connection_set_handshake_timeout (client->conn, 500 * 1000);
  g_assert_true (sec_dtls_connection_start (client->conn, start, &error));
  /* the deadline is in the caller's clock */
  g_assert_cmpint (sec_dtls_connection_get_next_timeout (client->conn), <=,
      start + 500 * 1000);
  g_assert_true (sec_dtls_connection_handle_timeout (client->conn,
          start + 499 * 1000, &error));
  g_assert_false (sec_dtls_connection_handle_timeout (client->conn,
          start + 500 * 1000, &error));
  g_assert_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "500 ms"));
  /* nothing came back: it names the likely causes */
  g_assert_nonnull (strstr (error->message, "0 datagrams received"));
  g_assert_nonnull (strstr (error->message, "no answer to our ClientHello"));
  g_assert_nonnull (strstr (error->message, "network path"));
  g_clear_error (&error);
  g_assert_cmpint (sec_dtls_connection_get_state (client->conn), ==,
      SEC_DTLS_STATE_FAILED);
  g_assert_cmpint (sec_dtls_connection_get_next_timeout (client->conn), ==,
      -1);
  g_assert_false (sec_dtls_connection_export_srtp_keys (client->conn, &keys));
  peer_free (client);
}

/* Two servers wait for a ClientHello that never comes: the timeout says
 * so and names the role setting. */
static void
test_two_servers_time_out (void)
{
  Peer *a = peer_new ("a", FALSE, FALSE);
  Peer *b = peer_new ("b", FALSE, FALSE);
  gint64 start = 1000 * G_USEC_PER_SEC;
  GError *error = NULL;
  guint8 junk[4] = { 0x80, 0x60, 0, 1 };

  peers_expect_each_other (a, b);
  sec_dtls_connection_set_handshake_timeout (a->conn, 500 * 1000);
  g_assert_true (sec_dtls_connection_start (a->conn, start, &error));
  g_assert_true (sec_dtls_connection_start (b->conn, start, &error));
  g_assert_cmpuint (pump (a, b, NULL, NULL), ==, 0);
  /* only garbage arrives */
  g_assert_true (sec_dtls_connection_receive (a->conn, junk, sizeof (junk),
          start + 1000, &error));
  g_assert_false (sec_dtls_connection_handle_timeout (a->conn,
          start + 500 * 1000, &error));
  g_assert_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message,
          "1 datagrams received, 1 of them not DTLS"));
  g_assert_nonnull (strstr (error->message, "no ClientHello arrived"));
  g_assert_nonnull (strstr (error->message, "is-client=true"));
  g_assert_nonnull (strstr (error->message, "network path"));
  g_clear_error (&error);
  peer_free (a);
  peer_free (b);
}

/* Two clients (is-client=true on both sides): each gets the other's
 * ClientHello and fails saying both are clients, whichever order the
 * datagrams take; nobody connects. */
static void
test_two_clients (void)
{
  guint order;

  for (order = 0; order < 2; order++) {
    Peer *a = peer_new ("a", TRUE, FALSE);
    Peer *b = peer_new ("b", TRUE, FALSE);
    GError *ae = NULL, *be = NULL, *error = NULL;
    SecDtlsSrtpKeys keys;

    peers_expect_each_other (a, b);
    g_assert_true (sec_dtls_connection_start (a->conn,
            g_get_monotonic_time (), &error));
    /* order 1: b starts by receiving a's ClientHello */
    if (order == 0)
      g_assert_true (sec_dtls_connection_start (b->conn,
              g_get_monotonic_time (), &error));
    pump (a, b, &ae, &be);
    g_assert_error (ae, SEC_DTLS_ERROR, SEC_DTLS_ERROR_ROLE_CONFLICT);
    g_assert_error (be, SEC_DTLS_ERROR, SEC_DTLS_ERROR_ROLE_CONFLICT);
    g_assert_nonnull (strstr (ae->message, "both sides are DTLS clients"));
    g_assert_nonnull (strstr (ae->message, "is-client=false"));
    g_assert_cmpint (sec_dtls_connection_get_state (a->conn), ==,
        SEC_DTLS_STATE_FAILED);
    g_assert_cmpint (sec_dtls_connection_get_state (b->conn), ==,
        SEC_DTLS_STATE_FAILED);
    g_assert_cmpint (sec_dtls_connection_get_next_timeout (a->conn), ==, -1);
    g_assert_false (sec_dtls_connection_export_srtp_keys (a->conn, &keys));
    g_clear_error (&ae);
    g_clear_error (&be);
    peer_free (a);
    peer_free (b);
  }
}

/* A client whose own ClientHello comes back (it sends to its own port)
 * is not told that both sides are clients. */
static void
test_own_client_hello (void)
{
  Peer *client = peer_new ("client", TRUE, FALSE);
  GError *error = NULL;
  GBytes *hello;
  const guint8 *data;
  gsize len;

  g_assert_true (sec_dtls_connection_start (client->conn,
          g_get_monotonic_time (), &error));
  hello = g_queue_pop_head (&client->out);
  data = g_bytes_get_data (hello, &len);
  g_assert_false (sec_dtls_connection_receive (client->conn, data, len,
          g_get_monotonic_time (), &error));
  g_assert_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_HANDSHAKE);
  g_assert_nonnull (strstr (error->message, "its own ClientHello"));
  g_assert_nonnull (strstr (error->message, "network path"));
  g_assert_cmpint (sec_dtls_connection_get_state (client->conn), ==,
      SEC_DTLS_STATE_FAILED);
  g_clear_error (&error);
  g_bytes_unref (hello);
  peer_free (client);
}

/* What counts as DTLS for secdtlsenc's swapped-elements check. */
static void
test_datagram_is_dtls (void)
{
  Peer *client = peer_new ("client", TRUE, FALSE);
  GError *error = NULL;
  GBytes *hello;
  const guint8 *data;
  gsize len, i;
  guint8 other[32];

  g_assert_true (sec_dtls_connection_start (client->conn,
          g_get_monotonic_time (), &error));
  hello = g_queue_pop_head (&client->out);
  data = g_bytes_get_data (hello, &len);
  g_assert_true (sec_dtls_datagram_is_dtls (data, len));
  for (i = 0; i < len; i++)
    g_assert_false (sec_dtls_datagram_is_dtls (data, i));
  /* RTP (RFC 7983: 128..191), STUN (0..3), an SCTP packet of a data
   * channel (source port 5000) */
  memset (other, 0, sizeof (other));
  other[0] = 0x80;
  g_assert_false (sec_dtls_datagram_is_dtls (other, sizeof (other)));
  other[0] = 0x00;
  other[1] = 0x01;
  g_assert_false (sec_dtls_datagram_is_dtls (other, sizeof (other)));
  other[0] = 0x13;
  other[1] = 0x88;
  g_assert_false (sec_dtls_datagram_is_dtls (other, sizeof (other)));
  g_bytes_unref (hello);
  peer_free (client);
}

static void
test_garbage (void)
{
  Peer *client = peer_new ("client", TRUE, FALSE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  GError *ce = NULL, *se = NULL;
  SecDtlsConnectionStats stats;
  GBytes *hello;
  const guint8 *data;
  gsize len, i;
  guint8 junk[64];
  guint64 expected_malformed = 0;

  peers_expect_each_other (client, server);
  start_pair (client, server);
  hello = g_queue_pop_head (&client->out);
  data = g_bytes_get_data (hello, &len);
  /* every proper prefix of the ClientHello datagram is dropped before
   * OpenSSL sees it, and counted */
  for (i = 0; i < len; i++) {
    g_assert_true (sec_dtls_connection_receive (server->conn, data, i,
            g_get_monotonic_time (), &se));
    g_assert_no_error (se);
    expected_malformed++;
  }
  /* not a DTLS record at all: an RTP-looking packet, a TLS (not DTLS)
   * version, and a record claiming more than it has */
  memset (junk, 0x80, sizeof (junk));
  g_assert_true (sec_dtls_connection_receive (server->conn, junk,
          sizeof (junk), g_get_monotonic_time (), &se));
  junk[0] = 22;
  junk[1] = 0x03;
  g_assert_true (sec_dtls_connection_receive (server->conn, junk,
          sizeof (junk), g_get_monotonic_time (), &se));
  junk[1] = 0xfe;
  junk[11] = 0;
  junk[12] = 200;
  g_assert_true (sec_dtls_connection_receive (server->conn, junk,
          sizeof (junk), g_get_monotonic_time (), &se));
  expected_malformed += 3;
  sec_dtls_connection_get_stats (server->conn, &stats);
  g_assert_cmpuint (stats.datagrams_malformed, ==, expected_malformed);
  g_assert_cmpint (sec_dtls_connection_get_state (server->conn), ==,
      SEC_DTLS_STATE_CONNECTING);

  /* well framed but garbage content: OpenSSL discards it; then the real
   * handshake still completes with the right keys */
  junk[11] = 0;
  junk[12] = sizeof (junk) - 13;
  g_assert_true (sec_dtls_connection_receive (server->conn, junk,
          sizeof (junk), g_get_monotonic_time (), &se));
  g_assert_no_error (se);
  g_assert_true (sec_dtls_connection_receive (server->conn, data, len,
          g_get_monotonic_time (), &se));
  g_assert_no_error (se);
  g_bytes_unref (hello);
  pump (client, server, &ce, &se);
  g_assert_no_error (ce);
  g_assert_no_error (se);
  assert_keys_crosswise (client, server, 0x0008);
  peer_free (client);
  peer_free (server);
}

static void
test_app_data_and_close (void)
{
  Peer *client = peer_new ("client", TRUE, FALSE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  GError *ce = NULL, *se = NULL;
  const gchar *ping = "ping from the client", *pong = "pong";

  peers_expect_each_other (client, server);
  /* nothing can be sent before the handshake */
  g_assert_false (sec_dtls_connection_send (client->conn, (guint8 *) ping,
          strlen (ping), &ce));
  g_assert_error (ce, SEC_DTLS_ERROR, SEC_DTLS_ERROR_CLOSED);
  g_clear_error (&ce);
  start_pair (client, server);
  pump (client, server, &ce, &se);
  g_assert_true (sec_dtls_connection_send (client->conn, (guint8 *) ping,
          strlen (ping), &ce));
  g_assert_true (sec_dtls_connection_send (server->conn, (guint8 *) pong,
          strlen (pong), &se));
  pump (client, server, &ce, &se);
  g_assert_no_error (ce);
  g_assert_no_error (se);
  g_assert_cmpmem (server->app->data, server->app->len, ping, strlen (ping));
  g_assert_cmpmem (client->app->data, client->app->len, pong, strlen (pong));

  /* close_notify: the peer closes too */
  sec_dtls_connection_close (client->conn);
  g_assert_cmpint (sec_dtls_connection_get_state (client->conn), ==,
      SEC_DTLS_STATE_CLOSED);
  g_assert_cmpuint (g_queue_get_length (&client->out), ==, 1);
  deliver (client, server, &se);
  g_assert_no_error (se);
  g_assert_cmpint (sec_dtls_connection_get_state (server->conn), ==,
      SEC_DTLS_STATE_CLOSED);
  /* nothing more is accepted */
  g_assert_false (sec_dtls_connection_send (server->conn, (guint8 *) pong,
          strlen (pong), &se));
  g_assert_error (se, SEC_DTLS_ERROR, SEC_DTLS_ERROR_CLOSED);
  g_clear_error (&se);
  peer_free (client);
  peer_free (server);
}

static void
test_profiles_parse (void)
{
  guint16 ids[4];
  guint n = 0;
  GError *error = NULL;

  g_assert_true (sec_dtls_srtp_profiles_parse
      (" aead-aes-128-gcm , aes128-cm-sha1-32", ids, &n, &error));
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (ids[0], ==, 0x0007);
  g_assert_cmpuint (ids[1], ==, 0x0002);
  g_assert_false (sec_dtls_srtp_profiles_parse ("null-sha1-80", ids, &n,
          &error));
  g_assert_error (error, SEC_DTLS_ERROR, SEC_DTLS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sec_dtls_srtp_profiles_parse ("", ids, &n, &error));
  g_clear_error (&error);
  g_assert_false (sec_dtls_srtp_profiles_parse
      ("aead-aes-128-gcm,aead-aes-128-gcm", ids, &n, &error));
  g_clear_error (&error);
  g_assert_false (sec_dtls_srtp_profiles_parse
      ("aead-aes-128-gcm,aead-aes-256-gcm,aes128-cm-sha1-80,"
          "aes128-cm-sha1-32,aead-aes-128-gcm", ids, &n, &error));
  g_clear_error (&error);
  g_assert_null (sec_dtls_srtp_profile_from_id (0x0003));
  g_assert_cmpuint (sec_dtls_srtp_profile_from_nick ("aead-aes-256-gcm")->key_len,
      ==, 32);
}

/* The short authentication string (dtlssas.h): none before the
 * handshake is done; then the same four words on both ends; another
 * handshake between the same two certificates, another string. */
static Peer *
connected_pair (Peer ** server_out)
{
  Peer *client = peer_new ("client", TRUE, FALSE);
  Peer *server = peer_new ("server", FALSE, FALSE);
  GError *ce = NULL, *se = NULL;

  peers_expect_each_other (client, server);
  g_assert_null (sec_dtls_connection_get_sas (client->conn));
  start_pair (client, server);
  g_assert_null (sec_dtls_connection_get_sas (client->conn));
  pump (client, server, &ce, &se);
  g_assert_no_error (ce);
  g_assert_no_error (se);
  g_assert_cmpint (sec_dtls_connection_get_state (client->conn), ==,
      SEC_DTLS_STATE_CONNECTED);
  g_assert_cmpint (sec_dtls_connection_get_state (server->conn), ==,
      SEC_DTLS_STATE_CONNECTED);
  *server_out = server;
  return client;
}

static void
assert_sas_words (const gchar * sas)
{
  gchar **words = g_strsplit (sas, " ", -1);
  guint i, j;

  g_assert_cmpuint (g_strv_length (words), ==, SEC_DTLS_SAS_WORDS);
  for (i = 0; words[i]; i++) {
    for (j = 0; j < SEC_DTLS_SAS_WORD_COUNT; j++)
      if (g_str_equal (words[i], sec_dtls_sas_words[j]))
        break;
    g_assert_cmpuint (j, <, SEC_DTLS_SAS_WORD_COUNT);
  }
  g_strfreev (words);
}

static void
test_sas_same_on_both_ends (void)
{
  Peer *server, *client = connected_pair (&server);
  gchar *a = sec_dtls_connection_get_sas (client->conn);
  gchar *b = sec_dtls_connection_get_sas (server->conn);
  Peer *server2, *client2;
  gchar *again;

  g_assert_nonnull (a);
  assert_sas_words (a);
  g_assert_cmpstr (a, ==, b);
  g_free (b);
  /* asked again: the same */
  b = sec_dtls_connection_get_sas (client->conn);
  g_assert_cmpstr (a, ==, b);
  g_free (b);

  /* a new association: new randoms, new master secret, another string
   * (equal by chance once in 2^44) */
  client2 = connected_pair (&server2);
  again = sec_dtls_connection_get_sas (client2->conn);
  b = sec_dtls_connection_get_sas (server2->conn);
  g_assert_cmpstr (again, ==, b);
  g_assert_cmpstr (again, !=, a);
  g_free (again);
  g_free (b);
  g_free (a);
  peer_free (client);
  peer_free (server);
  peer_free (client2);
  peer_free (server2);
}

/* A man in the middle who rewrote the fingerprints in signaling: each
 * victim expects the attacker's certificate and gets it, so both
 * handshakes succeed and both fingerprint checks pass; only the strings
 * tell: each victim's equals the attacker's end facing it, and the
 * victims' differ. */
static void
test_sas_man_in_the_middle (void)
{
  Peer *alice = peer_new ("alice", TRUE, FALSE);
  Peer *mallory_a = peer_new ("mallory facing alice", FALSE, FALSE);
  Peer *mallory_b = peer_new ("mallory facing bob", TRUE, FALSE);
  Peer *bob = peer_new ("bob", FALSE, FALSE);
  GError *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL;
  gchar *sas_alice, *sas_ma, *sas_mb, *sas_bob, *fp;

  /* what signaling told each victim: the attacker's fingerprint (one
   * certificate or two: here two, as two processes would have) */
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (alice->conn,
          sec_dtls_certificate_get_fingerprint (mallory_a->cert), NULL));
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (mallory_a->conn,
          sec_dtls_certificate_get_fingerprint (alice->cert), NULL));
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (mallory_b->conn,
          sec_dtls_certificate_get_fingerprint (bob->cert), NULL));
  g_assert_true (sec_dtls_connection_set_peer_fingerprint (bob->conn,
          sec_dtls_certificate_get_fingerprint (mallory_b->cert), NULL));
  start_pair (alice, mallory_a);
  start_pair (mallory_b, bob);
  pump (alice, mallory_a, &e1, &e2);
  pump (mallory_b, bob, &e3, &e4);
  g_assert_no_error (e1);
  g_assert_no_error (e2);
  g_assert_no_error (e3);
  g_assert_no_error (e4);
  g_assert_cmpint (sec_dtls_connection_get_state (alice->conn), ==,
      SEC_DTLS_STATE_CONNECTED);
  g_assert_cmpint (sec_dtls_connection_get_state (bob->conn), ==,
      SEC_DTLS_STATE_CONNECTED);
  /* the fingerprint checks passed: each victim verified what it was
   * told */
  fp = sec_dtls_connection_get_peer_fingerprint (alice->conn);
  g_assert_cmpstr (fp, ==, sec_dtls_certificate_get_fingerprint
      (mallory_a->cert));
  g_free (fp);

  sas_alice = sec_dtls_connection_get_sas (alice->conn);
  sas_ma = sec_dtls_connection_get_sas (mallory_a->conn);
  sas_mb = sec_dtls_connection_get_sas (mallory_b->conn);
  sas_bob = sec_dtls_connection_get_sas (bob->conn);
  g_assert_cmpstr (sas_alice, ==, sas_ma);
  g_assert_cmpstr (sas_bob, ==, sas_mb);
  g_assert_cmpstr (sas_alice, !=, sas_bob);
  g_test_message ("alice reads \"%s\", bob reads \"%s\"", sas_alice,
      sas_bob);
  g_free (sas_alice);
  g_free (sas_ma);
  g_free (sas_mb);
  g_free (sas_bob);
  peer_free (alice);
  peer_free (mallory_a);
  peer_free (mallory_b);
  peer_free (bob);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dtls/sas/same-on-both-ends", test_sas_same_on_both_ends);
  g_test_add_func ("/dtls/sas/man-in-the-middle", test_sas_man_in_the_middle);
  g_test_add_func ("/dtls/profiles/parse", test_profiles_parse);
  g_test_add_func ("/dtls/handshake/default-profile",
      test_handshake_default_profile);
  g_test_add_func ("/dtls/handshake/each-profile", test_handshake_each_profile);
  g_test_add_func ("/dtls/handshake/no-common-profile",
      test_no_common_profile);
  g_test_add_func ("/dtls/handshake/other-hashes",
      test_fingerprint_other_hashes);
  g_test_add_data_func ("/dtls/verify/mismatch-at-client",
      GINT_TO_POINTER (TRUE), test_fingerprint_mismatch);
  g_test_add_data_func ("/dtls/verify/mismatch-at-server",
      GINT_TO_POINTER (FALSE), test_fingerprint_mismatch);
  g_test_add_func ("/dtls/verify/weak-refused", test_weak_fingerprint_refused);
  g_test_add_func ("/dtls/verify/no-fingerprint", test_no_fingerprint);
  g_test_add_func ("/dtls/verify/no-fingerprint-no-handler",
      test_no_fingerprint_no_handler);
  g_test_add_data_func ("/dtls/verify/accept-callback-yes",
      GINT_TO_POINTER (TRUE), test_accept_certificate);
  g_test_add_data_func ("/dtls/verify/accept-callback-no",
      GINT_TO_POINTER (FALSE), test_accept_certificate);
  g_test_add_func ("/dtls/verify/changed-after-connected",
      test_peer_changed_after_connected);
  g_test_add_data_func ("/dtls/verify/unusable-after-connected",
      "sha-256 00:11", test_peer_unusable_after_connected);
  g_test_add_data_func ("/dtls/verify/weak-after-connected",
      "sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB",
      test_peer_unusable_after_connected);
  g_test_add_func ("/dtls/verify/changed-mid-handshake",
      test_peer_changed_mid_handshake);
  g_test_add_func ("/dtls/verify/changed-after-accept",
      test_peer_changed_after_accept);
  g_test_add_data_func ("/dtls/verify/accept-callback-sets-right",
      GINT_TO_POINTER (TRUE), test_accept_callback_sets_fingerprint);
  g_test_add_data_func ("/dtls/verify/accept-callback-sets-wrong",
      GINT_TO_POINTER (FALSE), test_accept_callback_sets_fingerprint);
  g_test_add_func ("/dtls/timer/retransmission", test_retransmission);
  g_test_add_func ("/dtls/timer/handshake-timeout", test_handshake_timeout);
  g_test_add_func ("/dtls/timer/two-servers", test_two_servers_time_out);
  g_test_add_func ("/dtls/roles/two-clients", test_two_clients);
  g_test_add_func ("/dtls/roles/own-client-hello", test_own_client_hello);
  g_test_add_func ("/dtls/input/is-dtls", test_datagram_is_dtls);
  g_test_add_func ("/dtls/input/garbage", test_garbage);
  g_test_add_func ("/dtls/data/app-data-and-close", test_app_data_and_close);
  return g_test_run ();
}
