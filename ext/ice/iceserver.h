/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * STUN and TURN server URIs (RFC 7064, RFC 7065), in the forms the
 * elements take:
 *   stun://host:port   stun:host:port   (port defaults to 3478)
 *   turn://user:pass@host:port?transport=udp|tcp   (3478)
 *   turns://user:pass@host:port?transport=tcp      (5349, TLS over TCP)
 * user and pass are percent-decoded; host may be a name, an IPv4 address
 * or a bracketed IPv6 address. Plain C over GLib, bounds-checked.
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
  gchar *host;                  /* without brackets */
  guint16 port;
  gchar *username;              /* TURN only */
  gchar *password;              /* TURN only; never logged */
} SecIceServer;

/* Fails with SEC_ICE_ERROR_INVALID naming what is wrong (scheme, missing
 * credentials for TURN, bad port, unknown transport, turns with udp).
 * Error messages never contain the password. */
SecIceServer *sec_ice_server_parse (const gchar * uri, GError ** error);
void sec_ice_server_free (SecIceServer * server);

/* The URI with the password replaced by "***", for logs; g_free. */
gchar *sec_ice_server_to_log_string (const SecIceServer * server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecIceServer, sec_ice_server_free)

G_END_DECLS

#endif
