/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: arbitrary datagrams into the DTLS core's receive path in
 * each handshake state, which is what secdtlsdec feeds it. Each state is
 * reached by a real handshake between two connections in memory; then up
 * to four datagrams of the input go to the connection under test.
 *
 * Both ends use the fixed test certificates below, so a Certificate
 * message captured from another run (the seed corpus) passes the
 * fingerprint check and the fuzzer gets to the messages after it
 * (ClientKeyExchange and CertificateVerify on the server,
 * ServerKeyExchange and its signature on the client), and an input
 * replays the same way in any process. Only the ECDHE keys and randoms
 * stay fresh on each run, so a replayed flight never completes a
 * handshake.
 *
 * Input: one selector byte (state = byte % 6, the rest picks a variant),
 * then up to four datagrams, each a 2-byte big-endian length and that
 * many bytes (fewer when the input ends first).
 *
 *   0  fresh server, nothing received
 *   1  server after a real ClientHello (waiting for flight 3)
 *   2  client after sending its ClientHello (waiting for flight 2)
 *   3  client after the real flight 2 (waiting for flight 4)
 *   4  both connected; variant picks the server or the client
 *   5  server closed (close_notify) or failed (handshake timeout)
 *
 * Invariants (abort () when broken): no handshake completes with a
 * fuzzer-made peer (the test keys are public, but a fixed input cannot
 * sign this run's fresh randoms nor know its ECDHE secret), no
 * application data is ever delivered from fuzzer-made datagrams, and
 * SRTP keys are exported only once CONNECTED.
 *
 * Built as a libFuzzer target with clang and, with any compiler, linked
 * to replay-main.c, which runs the corpus as a regression test.
 */
#include "dtlsconnection.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

#define N_STATES 6
#define MAX_DATAGRAMS 4
/* a fixed clock: OpenSSL's own retransmission timer never expires
 * during one input, so runs are repeatable */
#define NOW_US (G_GINT64_CONSTANT (1000) * G_USEC_PER_SEC)
#define FAR_FUTURE_US (NOW_US + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

typedef struct
{
  SecDtlsConnection *conn;
  GQueue out;                   /* GBytes datagrams to deliver to the peer */
  guint64 app_bytes;            /* application data received */
} Side;

/* Test-only ECDSA P-256 certificates and keys, made once with
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes
 *     -subj /CN=fuzz-client -days 36500 -keyout KEY -out CERT
 * (and /CN=fuzz-server). The seed corpus was captured with these very
 * certificates: replacing them means regenerating the corpus. The core
 * does not check validity dates. */
static const gchar client_pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBgzCCASmgAwIBAgIUNDqLUAwJL286ILUUdzkOL+82XngwCgYIKoZIzj0EAwIw\n"
    "FjEUMBIGA1UEAwwLZnV6ei1jbGllbnQwIBcNMjYxMTI2MDQwOTE0WhgPMjEyNjEx\n"
    "MDIwNDA5MTRaMBYxFDASBgNVBAMMC2Z1enotY2xpZW50MFkwEwYHKoZIzj0CAQYI\n"
    "KoZIzj0DAQcDQgAEsELSjTFy8N5RrcwGVzVzm0cADcjO/Xge4+7ky84pOlisjipT\n"
    "Xjy3tnYVQ4YNFBxJ1O1WyKM0DgUYChHzU2HKmqNTMFEwHQYDVR0OBBYEFED7IGVe\n"
    "N+THjL1cHBOfNzut57BKMB8GA1UdIwQYMBaAFED7IGVeN+THjL1cHBOfNzut57BK\n"
    "MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgfqsdfKe48aKm+UXz\n"
    "nqkj3ELUoncOk2NAmaOqKSP6JbYCIQCjn47ywdUNo0OFlGuBb60FRMQ7g8KHUsV3\n"
    "8Nw/qoXh3Q==\n"
    "-----END CERTIFICATE-----\n"
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgR175cnJ08h2JxXAq\n"
    "xi55emoD/lX/Srh4TiRBhPKCKeqhRANCAASwQtKNMXLw3lGtzAZXNXObRwANyM79\n"
    "eB7j7uTLzik6WKyOKlNePLe2dhVDhg0UHEnU7VbIozQOBRgKEfNTYcqa\n"
    "-----END PRIVATE KEY-----\n";

static const gchar server_pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBgjCCASmgAwIBAgIUajpvV4bJDQmmVkWNv6LKI0PEhBAwCgYIKoZIzj0EAwIw\n"
    "FjEUMBIGA1UEAwwLZnV6ei1zZXJ2ZXIwIBcNMjYxMTI2MDQwOTE0WhgPMjEyNjEx\n"
    "MDIwNDA5MTRaMBYxFDASBgNVBAMMC2Z1enotc2VydmVyMFkwEwYHKoZIzj0CAQYI\n"
    "KoZIzj0DAQcDQgAErKy4Uvng9YduV33eg0U9wxfbs+trOwIM/c35dGITcIP7G5yz\n"
    "Ij+EeslfvsTtaOQuvoi2F0YX41cRD3s+pNlHW6NTMFEwHQYDVR0OBBYEFNWuqS7t\n"
    "5faulGH/PLz4fafWyI7EMB8GA1UdIwQYMBaAFNWuqS7t5faulGH/PLz4fafWyI7E\n"
    "MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgd9F5jnnjE0hWNU6x\n"
    "gTcHk4NKRM8pEAImsZoRPO4sihcCICQSmiiUm0h5W6BWpCYgoK5WY2a3Eb0L7vsH\n"
    "NdMn9ah5\n"
    "-----END CERTIFICATE-----\n"
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+9mOyMAYJWw595xV\n"
    "O/mw1rPKhf0aYkLhCsyOhJ+V9TqhRANCAASsrLhS+eD1h25Xfd6DRT3DF9uz62s7\n"
    "Agz9zfl0YhNwg/sbnLMiP4R6yV++xO1o5C6+iLYXRhfjVxEPez6k2Udb\n"
    "-----END PRIVATE KEY-----\n";

static SecDtlsCertificate *client_cert;
static SecDtlsCertificate *server_cert;

static void
fuzz_abort (const gchar * why)
{
  g_printerr ("fuzz-dtls-receive: %s\n", why);
  abort ();
}

static SecDtlsCertificate *
load_certificate (const gchar * pem)
{
  GError *error = NULL;
  SecDtlsCertificate *cert = sec_dtls_certificate_new_from_pem (pem, &error);

  if (cert == NULL) {
    g_printerr ("fuzz-dtls-receive: %s\n", error->message);
    g_error_free (error);
    fuzz_abort ("cannot load a test certificate");
  }
  return cert;
}

static void
side_send (const guint8 * data, gsize len, gpointer user_data)
{
  Side *side = user_data;

  g_queue_push_tail (&side->out, g_bytes_new (data, len));
}

static void
side_app_data (const guint8 * data, gsize len, gpointer user_data)
{
  Side *side = user_data;

  (void) data;
  side->app_bytes += len;
}

static const SecDtlsConnectionCallbacks side_callbacks = {
  side_send, side_app_data, NULL
};

static void
side_init (Side * side, gboolean is_client)
{
  SecDtlsCertificate *cert = is_client ? client_cert : server_cert;
  SecDtlsCertificate *peer_cert = is_client ? server_cert : client_cert;

  memset (side, 0, sizeof (*side));
  g_queue_init (&side->out);
  side->conn = sec_dtls_connection_new (cert, is_client, &side_callbacks,
      side, NULL);
  if (side->conn == NULL)
    fuzz_abort ("cannot make a connection");
  /* each side expects the other's real fingerprint */
  if (!sec_dtls_connection_set_peer_fingerprint (side->conn,
          sec_dtls_certificate_get_fingerprint (peer_cert), NULL))
    fuzz_abort ("cannot set the peer fingerprint");
}

static void
side_clear (Side * side)
{
  g_queue_clear_full (&side->out, (GDestroyNotify) g_bytes_unref);
  if (side->conn)
    sec_dtls_connection_free (side->conn);
  side->conn = NULL;
}

/* Delivers what @from sent to @to; returns the number delivered. */
static guint
deliver (Side * from, Side * to)
{
  GBytes *datagram;
  guint n = 0;

  while ((datagram = g_queue_pop_head (&from->out))) {
    gsize len;
    const guint8 *bytes = g_bytes_get_data (datagram, &len);

    sec_dtls_connection_receive (to->conn, bytes, len, NOW_US, NULL);
    g_bytes_unref (datagram);
    n++;
  }
  return n;
}

static void
expect_state (Side * side, SecDtlsState state)
{
  if (sec_dtls_connection_get_state (side->conn) != state)
    fuzz_abort ("the real handshake did not reach the expected state");
}

static void
start_client (Side * client)
{
  if (!sec_dtls_connection_start (client->conn, NOW_US, NULL))
    fuzz_abort ("cannot start the client");
  if (g_queue_is_empty (&client->out))
    fuzz_abort ("the client sent no ClientHello");
}

static void
connect_pair (Side * client, Side * server)
{
  guint rounds;

  start_client (client);
  /* a handshake takes a few flights; the bound only guards a bug */
  for (rounds = 0; rounds < 16; rounds++) {
    if (deliver (client, server) + deliver (server, client) == 0)
      break;
  }
  expect_state (client, SEC_DTLS_STATE_CONNECTED);
  expect_state (server, SEC_DTLS_STATE_CONNECTED);
}

/* Brings @client and @server to @state with real datagrams and returns
 * the side under test. */
static Side *
reach_state (guint state, guint variant, Side * client, Side * server)
{
  side_init (server, FALSE);
  switch (state) {
    case 0:
      return server;
    case 1:
      side_init (client, TRUE);
      start_client (client);
      deliver (client, server);
      expect_state (server, SEC_DTLS_STATE_CONNECTING);
      if (g_queue_is_empty (&server->out))
        fuzz_abort ("the server did not answer the ClientHello");
      return server;
    case 2:
      side_init (client, TRUE);
      start_client (client);
      return client;
    case 3:
      side_init (client, TRUE);
      start_client (client);
      deliver (client, server);
      deliver (server, client);
      expect_state (client, SEC_DTLS_STATE_CONNECTING);
      if (g_queue_is_empty (&client->out))
        fuzz_abort ("the client did not answer the server flight");
      return client;
    case 4:
      side_init (client, TRUE);
      connect_pair (client, server);
      return (variant & 1) ? client : server;
    case 5:
    default:
      side_init (client, TRUE);
      if (variant & 1) {
        /* failed: a real ClientHello, then the handshake deadline */
        start_client (client);
        deliver (client, server);
        sec_dtls_connection_handle_timeout (server->conn, FAR_FUTURE_US, NULL);
        expect_state (server, SEC_DTLS_STATE_FAILED);
      } else {
        /* closed: the client's close_notify */
        connect_pair (client, server);
        sec_dtls_connection_close (client->conn);
        deliver (client, server);
        expect_state (server, SEC_DTLS_STATE_CLOSED);
      }
      return server;
  }
}

static void
check_invariants (Side * side, guint state)
{
  SecDtlsState reached = sec_dtls_connection_get_state (side->conn);
  SecDtlsSrtpKeys keys;
  gboolean exported;

  if (state <= 3 && reached == SEC_DTLS_STATE_CONNECTED)
    fuzz_abort ("a handshake completed with a fuzzer-made peer");
  if (side->app_bytes > 0)
    fuzz_abort ("application data was accepted from a fuzzer-made peer");
  exported = sec_dtls_connection_export_srtp_keys (side->conn, &keys);
  sec_dtls_srtp_keys_clear (&keys);
  if (exported && reached != SEC_DTLS_STATE_CONNECTED)
    fuzz_abort ("SRTP keys were exported before the handshake completed");
  if (sec_dtls_connection_get_version (side->conn) != NULL
      && reached != SEC_DTLS_STATE_CONNECTED)
    fuzz_abort ("a version is reported before the handshake completed");
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  static const guint8 app_data[] = { 'f', 'u', 'z', 'z' };
  Side client = { 0, }, server = { 0, };
  Side *test;
  guint state, variant, i;
  gsize offset = 1;
  gchar *fingerprint;

  if (size < 1)
    return 0;
  if (client_cert == NULL) {
    client_cert = load_certificate (client_pem);
    server_cert = load_certificate (server_pem);
  }

  state = data[0] % N_STATES;
  variant = data[0] / N_STATES;
  test = reach_state (state, variant, &client, &server);
  /* what the real handshake left queued is not delivered */
  g_queue_clear_full (&client.out, (GDestroyNotify) g_bytes_unref);
  g_queue_clear_full (&server.out, (GDestroyNotify) g_bytes_unref);

  for (i = 0; i < MAX_DATAGRAMS && size - offset >= 2; i++) {
    gsize len = ((gsize) data[offset] << 8) | data[offset + 1];
    guint8 *datagram;

    offset += 2;
    len = MIN (len, size - offset);
    /* an exact-size heap copy, so ASan sees any read past the end */
    datagram = g_malloc (MAX (len, 1));
    memcpy (datagram, data + offset, len);
    sec_dtls_connection_receive (test->conn, datagram, len, NOW_US, NULL);
    g_free (datagram);
    offset += len;
    check_invariants (test, state);
  }

  if (state == 4
      && sec_dtls_connection_get_state (test->conn) == SEC_DTLS_STATE_CONNECTED)
    sec_dtls_connection_send (test->conn, app_data, sizeof (app_data), NULL);
  sec_dtls_connection_handle_timeout (test->conn, FAR_FUTURE_US, NULL);
  check_invariants (test, state);
  fingerprint = sec_dtls_connection_get_peer_fingerprint (test->conn);
  g_free (fingerprint);

  side_clear (&client);
  side_clear (&server);
  return 0;
}
