/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * STUN and TURN server URIs (RFC 7064, RFC 7065), in the forms the
 * elements take:
 *   stun://host:port   stun:host:port   (port defaults to 3478)
 *   turn://user:pass@host:port?transport=udp|tcp   (3478)
 *   turns://user:pass@host:port?transport=tcp      (5349, TLS over TCP)
 * user and pass are percent-decoded; host may be a name, an IPv4 address
 * or a bracketed IPv6 address (kept in its canonical form).
 *
 * Also the HTTP CONNECT requests naming such a server that libnice sends
 * to secice's TURN-over-TLS proxy (gstsecicetlsproxy.c). Plain C over
 * GLib, bounds-checked.
 */
#ifndef SEC_ICE_SERVER_H
#define SEC_ICE_SERVER_H

#include <glib.h>

#include "icecandidate.h"

G_BEGIN_DECLS

typedef enum
{
  SEC_ICE_SERVER_STUN,
  SEC_ICE_SERVER_TURN_UDP,
  SEC_ICE_SERVER_TURN_TCP,
  SEC_ICE_SERVER_TURN_TLS,
} SecIceServerKind;

typedef struct
{
  SecIceServerKind kind;
  gchar *host;                  /* without brackets; an IP address in
                                 * canonical form (sec_ice_address_canonical) */
  guint16 port;
  gchar *username;              /* TURN only */
  gchar *password;              /* TURN only; never logged */
} SecIceServer;

/* Fails with SEC_ICE_ERROR_INVALID naming what is wrong (scheme, missing
 * credentials for TURN, bad port, unknown transport, turns with udp).
 * Error messages never contain the password. */
SecIceServer *sec_ice_server_parse (const gchar * uri, GError ** error);
/* Frees @server; its password (and every copy the parser made of it)
 * is zeroed first. */
void sec_ice_server_free (SecIceServer * server);

/* The URI with the password replaced by "***", for logs; g_free. */
gchar *sec_ice_server_to_log_string (const SecIceServer * server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecIceServer, sec_ice_server_free)

/* The canonical text of the IP address literal @address: an IPv4 dotted
 * quad, or IPv6 as RFC 5952 §4 writes it ("::1" for "0:0:0:0:0:0:0:1"),
 * which is what inet_ntop(), g_inet_address_to_string() and libnice's
 * nice_address_to_string() give. NULL if @address is not an IP literal
 * (names, zone indexes). g_free. */
gchar *sec_ice_address_canonical (const gchar * address);

/* Zeroes the string @secret (may be NULL) and frees it. */
void sec_ice_secret_free (gchar * secret);

/* Zeroes every string of @list (may be NULL) and frees it, as
 * g_strfreev() would. */
void sec_ice_secret_strfreev (gchar ** list);

/* TRUE if @given equals @expected; the time taken depends on the length
 * of @expected only, never on where they differ (RFC 7617 credentials
 * checked against a secret). */
gboolean sec_ice_secret_equal (const gchar * given, const gchar * expected);

/* The head of an HTTP CONNECT request (RFC 9110 §9.3.6) as libnice's
 * HTTP proxy client (socket/http.c) sends it for a TURN server over TCP:
 *   "CONNECT <ip>:<port> HTTP/1.0\r\n" (IPv6 without brackets, as
 *   libnice writes it; brackets are taken too), header fields, among
 *   them "Proxy-Authorization: Basic <base64>" (RFC 7617), and an empty
 *   line. */
typedef struct
{
  gchar *host;                  /* canonical IP address */
  guint16 port;
  gchar *authorization;         /* the Proxy-Authorization value without
                                 * surrounding blanks, or NULL; a secret */
} SecIceProxyRequest;

/* Parses exactly @len bytes of @data, which must end with the first
 * "\r\n\r\n" (nothing may follow the head: libnice waits for the
 * reply). Fails with SEC_ICE_ERROR_INVALID for anything else: another
 * method or version, a target that is not an IP address and a port, a
 * malformed or repeated header field. Error messages never contain the
 * Proxy-Authorization value. */
SecIceProxyRequest *sec_ice_proxy_request_parse (const gchar * data,
    gsize len, GError ** error);
/* Frees @request, zeroing its authorization first. */
void sec_ice_proxy_request_free (SecIceProxyRequest * request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecIceProxyRequest, sec_ice_proxy_request_free)

G_END_DECLS

#endif
