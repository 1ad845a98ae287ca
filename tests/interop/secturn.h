/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * coturn's turnserver, the independent TURN server (RFC 8656), for the
 * interop tests that relay through it (ice-coturn, webrtc-coturn).
 *
 * turnserver runs without a configuration file, on 127.0.0.1 only, with
 * one static long-term-credential user (SEC_TURN_USER, SEC_TURN_PASSWORD),
 * a UDP+TCP listener and a TLS listener on free ports, relayed addresses
 * from a small free range, and loopback peers allowed (otherwise it
 * refuses to relay to 127.0.0.1). Its certificate is made with "openssl
 * req" in a temporary directory that also holds its database and pid
 * file. Each test starts its own turnserver, waits until every listener
 * answers (again on other ports if one was taken meanwhile) and stops it
 * by PID (secpeer.h); it gets SIGKILL if the test process dies.
 *
 * The helpers fail the running test (check's fail_unless) on errors,
 * with the end of what turnserver printed.
 */
#ifndef SEC_TURN_H
#define SEC_TURN_H

#include "secpeer.h"

G_BEGIN_DECLS

#define SEC_TURN_USER "test"
#define SEC_TURN_PASSWORD "secret"
#define SEC_TURN_REALM "test"

/* how many lines of turnserver's output failure messages show */
#define SEC_TURN_LOG_TAIL_LINES 30

/* The programs and files of every turnserver a test program starts:
 * found and made by the test program itself (its suite function and an
 * unchecked fixture, before check forks the tests), read by its tests. */
typedef struct
{
  gchar *turnserver_path;
  gchar *openssl_path;
  gchar *dir;                   /* certificate, key, database, pid file */
  gchar *cert_path;             /* self-signed, for IP:127.0.0.1 */
  gchar *key_path;
} SecTurnSetup;

/* The way to reach turnserver (RFC 7065 URIs). */
typedef enum
{
  SEC_TURN_UDP,                 /* turn:...?transport=udp */
  SEC_TURN_TCP,                 /* turn:...?transport=tcp */
  SEC_TURN_TLS,                 /* turns:... */
} SecTurnTransport;

/* A running turnserver; the fields are for reading. */
typedef struct
{
  SecPeer peer;
  guint16 port;                 /* UDP and TCP */
  guint16 tls_port;
  guint16 relay_min, relay_max; /* relayed addresses, on 127.0.0.1 */
} SecTurn;

/* Finds turnserver and openssl in PATH. When one is missing: exit 77
 * (skipped) with the reason, or, when the environment variable CI is
 * set, exit 1 with it (CI must run the test). */
void sec_turn_setup_find_programs (SecTurnSetup * setup);

/* Makes a temporary directory from @dir_template ("name-XXXXXX") with
 * turnserver's certificate and key; fails the test if it cannot. */
void sec_turn_setup_make_files (SecTurnSetup * setup,
    const gchar * dir_template);

/* Removes the directory and forgets the paths in it (not the programs). */
void sec_turn_setup_remove_files (SecTurnSetup * setup);

/* Starts turnserver with @setup's files on free ports of 127.0.0.1;
 * returns once its UDP, TCP and TLS listeners answer. */
void sec_turn_start (SecTurn * turn, const SecTurnSetup * setup);

/* Stops turnserver by its PID; fails the test if it had exited before. */
void sec_turn_stop (SecTurn * turn);

/* The last @n_lines lines of what @turn printed (valid until it prints
 * more), for failure messages. */
const gchar *sec_turn_log_tail (SecTurn * turn, guint n_lines);

/* "UDP", "TCP", "TLS" */
const gchar *sec_turn_transport_name (SecTurnTransport transport);

/* The TURN URI for reaching @turn over @transport with SEC_TURN_USER and
 * @password (NULL: SEC_TURN_PASSWORD). */
gchar *sec_turn_uri_new (SecTurn * turn, SecTurnTransport transport,
    const gchar * password);

/* TRUE if @address:@port is a relayed address of @turn. */
gboolean sec_turn_is_relayed_address (SecTurn * turn, const gchar * address,
    guint64 port);

/* turnserver's reasons for closing the TCP or TLS sessions of
 * SEC_TURN_USER that came to its port @port, once it has logged
 * @n_sessions of them (fails the test if it has not within 5 s): "TCP
 * connection closed by client (callback)" or, for a TLS session,
 * "TLS/TCP connection closed by ...". */
GPtrArray *sec_turn_wait_sessions_closed (SecTurn * turn, guint16 port,
    guint n_sessions);

/* Field @index of @candidate ("candidate:F 1 UDP PRIO ADDRESS PORT typ
 * TYPE ..."), or the word after @name when @name is set ("raddr"); NULL
 * if there is none (g_free). */
gchar *sec_turn_candidate_word (const gchar * candidate, guint index,
    const gchar * name);

#define SEC_TURN_CANDIDATE_ADDRESS 4
#define SEC_TURN_CANDIDATE_PORT 5
#define SEC_TURN_CANDIDATE_TYPE 7

G_END_DECLS

#endif /* SEC_TURN_H */
