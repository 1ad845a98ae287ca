/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecDtlsConnection: one DTLS association (RFC 6347) with DTLS-SRTP
 * key export (RFC 5764), driven over memory: the caller feeds received
 * datagrams and the current time, and gets datagrams to send, events and
 * the next time it must call back. No sockets, threads, locks or clock
 * of its own (the caller serialises calls); OpenSSL underneath.
 *
 * Security rules it enforces:
 *  - DTLS 1.2 at least, ECDHE with AEAD cipher suites only, no
 *    renegotiation, no compression;
 *  - the peer certificate is verified inside the handshake against the
 *    expected fingerprint (or the accept_certificate callback when none
 *    was set; fail closed when neither); a mismatch aborts with a fatal
 *    bad_certificate alert;
 *  - once verified, the peer cannot change: an expected fingerprint set
 *    later must be one of the verified certificate, or the association
 *    fails (sec_dtls_connection_set_peer_fingerprint);
 *  - SRTP keys can only be read once the handshake has completed.
 *
 * Its error messages are written for the users of secdtlsenc and
 * secdtlsdec: where the fix is a setting they name the elements'
 * properties (peer-fingerprint, is-client, ...).
 */
#ifndef SEC_DTLS_CONNECTION_H
#define SEC_DTLS_CONNECTION_H

#include <glib.h>

#include "dtlscertificate.h"
#include "dtlsfingerprint.h"

G_BEGIN_DECLS

typedef enum
{
  SEC_DTLS_STATE_NEW,
  SEC_DTLS_STATE_CONNECTING,
  SEC_DTLS_STATE_CONNECTED,
  SEC_DTLS_STATE_CLOSED,
  SEC_DTLS_STATE_FAILED,
} SecDtlsState;

const gchar *sec_dtls_state_name (SecDtlsState state);

/* DTLS-SRTP protection profiles (RFC 5764 §4.1.2, RFC 7714 §14.2), by
 * the same ids and nicks as the secsrtp elements use. */
typedef struct
{
  guint16 id;
  const gchar *nick;            /* "aead-aes-128-gcm" */
  const gchar *openssl_name;    /* "SRTP_AEAD_AES_128_GCM" */
  guint key_len;
  guint salt_len;
} SecDtlsSrtpProfile;

/* NULL when unknown. Names are the nicks; ids are RFC values. */
const SecDtlsSrtpProfile *sec_dtls_srtp_profile_from_nick (const gchar * nick);
const SecDtlsSrtpProfile *sec_dtls_srtp_profile_from_id (guint16 id);

/* Parses a comma-separated list of nicks ("aead-aes-128-gcm,
 * aes128-cm-sha1-80"), most preferred first, into @ids (at most 4).
 * Empty, unknown or repeated entries are an error. */
gboolean sec_dtls_srtp_profiles_parse (const gchar * text, guint16 ids[4],
    guint * n_ids, GError ** error);

#define SEC_DTLS_SRTP_MAX_KEY (32 + 14)

/* Exported DTLS-SRTP keying material, split per RFC 5764 §4.2 into the
 * master key + master salt we protect with (local) and the one we
 * unprotect with (remote). Clear with sec_dtls_srtp_keys_clear. */
typedef struct
{
  guint16 profile_id;
  gsize key_len;                /* key + salt, bytes, for both halves */
  guint8 local[SEC_DTLS_SRTP_MAX_KEY];
  guint8 remote[SEC_DTLS_SRTP_MAX_KEY];
} SecDtlsSrtpKeys;

void sec_dtls_srtp_keys_clear (SecDtlsSrtpKeys * keys);

typedef struct
{
  /* One datagram to send (already a complete DTLS record set, at most
   * the MTU). Called from inside any call below. */
  void (*send) (const guint8 * data, gsize len, gpointer user_data);
  /* Application data received from the peer (after the handshake). */
  void (*app_data) (const guint8 * data, gsize len, gpointer user_data);
  /* Only when no expected fingerprint is set: the peer certificate as
   * PEM; return TRUE to accept it. NULL means fail closed. Called from
   * inside sec_dtls_connection_receive, in the middle of the handshake.
   * It may call sec_dtls_connection_set_peer_fingerprint (an application
   * that learnt the fingerprint meanwhile): then the certificate is
   * accepted only if it also matches that fingerprint. */
  gboolean (*accept_certificate) (const gchar * pem, gpointer user_data);
  /* Optional: FALSE when nothing would decide (no application handler),
   * so that a certificate arriving without an expected fingerprint fails
   * with SEC_DTLS_ERROR_NO_FINGERPRINT ("no peer-fingerprint was set")
   * rather than SEC_DTLS_ERROR_REJECTED. NULL: accept_certificate always
   * decides. */
  gboolean (*can_accept_certificate) (gpointer user_data);
} SecDtlsConnectionCallbacks;

typedef struct _SecDtlsConnection SecDtlsConnection;

typedef struct
{
  guint64 datagrams_received;
  guint64 datagrams_malformed;  /* dropped before OpenSSL saw them */
  guint64 datagrams_sent;
  guint64 retransmissions;      /* timer expiries that resent a flight */
  guint64 app_bytes_sent;
  guint64 app_bytes_received;
} SecDtlsConnectionStats;

#define SEC_DTLS_DEFAULT_MTU 1200
#define SEC_DTLS_DEFAULT_HANDSHAKE_TIMEOUT_US (20 * G_USEC_PER_SEC)
#define SEC_DTLS_INITIAL_RETRANSMIT_US (100 * 1000)
#define SEC_DTLS_MAX_RETRANSMIT_US (6400 * 1000)

/* @cert is referenced. */
SecDtlsConnection *sec_dtls_connection_new (SecDtlsCertificate * cert,
    gboolean is_client, const SecDtlsConnectionCallbacks * callbacks,
    gpointer user_data, GError ** error);
void sec_dtls_connection_free (SecDtlsConnection * conn);

/* Settings; only before sec_dtls_connection_start, except the expected
 * peer fingerprint:
 *  - until the peer certificate has been verified it sets (NULL: clears)
 *    what the check compares against; an unusable @fingerprint is an
 *    error (SEC_DTLS_ERROR_INVALID or _WEAK_HASH) and changes nothing;
 *  - once a certificate has been verified (it matched, or
 *    accept_certificate took it), the peer is fixed: NULL, or a
 *    fingerprint of that certificate (any supported hash, any case),
 *    returns TRUE and the association goes on; anything else (another
 *    fingerprint, or an unusable one) fails the association with
 *    SEC_DTLS_ERROR_PEER_CHANGED naming the verified and the new
 *    fingerprint: state FAILED, timers stopped, no key can be exported
 *    any more, and a close_notify is sent if it was connected (RFC 8842:
 *    a changed fingerprint needs a new DTLS association). What was
 *    verified is still returned by get_peer_fingerprint;
 *  - in state FAILED it only records the value. */
gboolean sec_dtls_connection_set_peer_fingerprint (SecDtlsConnection * conn,
    const gchar * fingerprint, GError ** error);
gboolean sec_dtls_connection_set_srtp_profiles (SecDtlsConnection * conn,
    const guint16 * ids, guint n_ids, GError ** error);
void sec_dtls_connection_set_handshake_timeout (SecDtlsConnection * conn,
    gint64 timeout_us);
void sec_dtls_connection_set_mtu (SecDtlsConnection * conn, guint mtu);

/* Arms the handshake deadline; a client sends its ClientHello. Calling it
 * again is a no-op. FALSE (and state FAILED) on error. */
gboolean sec_dtls_connection_start (SecDtlsConnection * conn, gint64 now_us,
    GError ** error);

/* TRUE when @data is a sequence of whole DTLS records (RFC 6347 §4.1:
 * content type 20..23, which RFC 7983 §7 puts in DTLS's first-byte range
 * 20..63, a DTLS version, lengths in bounds): what
 * sec_dtls_connection_receive does not drop as malformed. */
gboolean sec_dtls_datagram_is_dtls (const guint8 * data, gsize len);

/* One received datagram. Malformed datagrams (no valid DTLS record
 * header sequence) are counted and dropped (RFC 6347 §4.1.2.7) and
 * return TRUE. FALSE with @error when the association failed (state
 * FAILED) or is closed (SEC_DTLS_ERROR_CLOSED). The state may become
 * CONNECTED or CLOSED during the call. A client that receives a
 * ClientHello fails with SEC_DTLS_ERROR_ROLE_CONFLICT (both sides are
 * clients). */
gboolean sec_dtls_connection_receive (SecDtlsConnection * conn,
    const guint8 * data, gsize len, gint64 now_us, GError ** error);

/* Absolute time (in the caller's now_us clock) at which
 * sec_dtls_connection_handle_timeout must be called, or -1 for none. */
gint64 sec_dtls_connection_get_next_timeout (SecDtlsConnection * conn);

/* Retransmits a flight when its timer expired; fails with
 * SEC_DTLS_ERROR_TIMEOUT once the handshake deadline has passed (the
 * message ends with sec_dtls_connection_explain_silence). */
gboolean sec_dtls_connection_handle_timeout (SecDtlsConnection * conn,
    gint64 now_us, GError ** error);

/* Encrypts application data as one record (CONNECTED only). */
gboolean sec_dtls_connection_send (SecDtlsConnection * conn,
    const guint8 * data, gsize len, GError ** error);

/* Sends close_notify when connected; state becomes CLOSED unless it was
 * FAILED. */
void sec_dtls_connection_close (SecDtlsConnection * conn);

SecDtlsState sec_dtls_connection_get_state (SecDtlsConnection * conn);
/* TRUE when the state is CLOSED because the peer's close_notify was
 * received (RFC 5246 §7.2.1): the peer ended the association cleanly and
 * every application record before the close_notify went to app_data,
 * none after it. FALSE after sec_dtls_connection_close (our close, even
 * if the peer's close_notify then comes), a failure (a fatal alert too)
 * or while the association is open. */
gboolean sec_dtls_connection_closed_by_peer (SecDtlsConnection * conn);
/* Why a handshake may not have progressed, from what was received so far
 * and the role: the likely causes and what to check (the client's
 * ClientHello never came, no answer to ours, ...). A static string. */
const gchar *sec_dtls_connection_explain_silence (SecDtlsConnection * conn);
gboolean sec_dtls_connection_is_client (SecDtlsConnection * conn);
void sec_dtls_connection_get_stats (SecDtlsConnection * conn,
    SecDtlsConnectionStats * stats);

/* After CONNECTED: */
/* "DTLSv1.2" */
const gchar *sec_dtls_connection_get_version (SecDtlsConnection * conn);
/* IANA name, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" */
const gchar *sec_dtls_connection_get_cipher_suite (SecDtlsConnection * conn);
/* The negotiated profile, NULL when the peer did not negotiate use_srtp. */
const SecDtlsSrtpProfile *sec_dtls_connection_get_srtp_profile
    (SecDtlsConnection * conn);
/* The verified peer fingerprint, with the expected fingerprint's hash
 * (sha-256 when the certificate was accepted by callback); NULL until a
 * certificate was verified (it stays set if the association fails
 * later). g_free. */
gchar *sec_dtls_connection_get_peer_fingerprint (SecDtlsConnection * conn);
/* The certificate this association presents (borrowed). */
SecDtlsCertificate *sec_dtls_connection_get_certificate
    (SecDtlsConnection * conn);
/* FALSE unless CONNECTED with a negotiated SRTP profile. */
gboolean sec_dtls_connection_export_srtp_keys (SecDtlsConnection * conn,
    SecDtlsSrtpKeys * keys);
/* The short authentication string of the association (dtlssas.h): the
 * same on both ends of it, different across a man in the middle. NULL
 * unless CONNECTED. g_free. */
gchar *sec_dtls_connection_get_sas (SecDtlsConnection * conn);

G_END_DECLS

#endif
