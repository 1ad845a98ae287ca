/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ICE servers a WHIP or WHEP endpoint announces in the Link header
 * fields of its responses (RFC 9725 §4.6, RFC 8288):
 *
 *   Link: <stun:stun.example.net>; rel="ice-server"
 *   Link: <turn:turn.example.net?transport=udp>; rel="ice-server";
 *         username="user"; credential="pass"; credential-type="password"
 *
 * parsed into SecWhipIceServer, and turned into the URIs secwebrtcbin's
 * stun-server and turn-server properties take (ext/ice/iceserver.h), the
 * credentials percent-encoded. Links of other relations are skipped.
 * Plain C over GLib, bounds-checked, fuzzed (tests/fuzz/fuzz-whip-link.c):
 * the header comes from a server. Error messages never quote a
 * credential.
 */
#ifndef SEC_WHIP_LINK_H
#define SEC_WHIP_LINK_H

#include <glib.h>

G_BEGIN_DECLS

#define SEC_WHIP_LINK_ERROR (sec_whip_link_error_quark ())
GQuark sec_whip_link_error_quark (void);

typedef enum
{
  SEC_WHIP_LINK_ERROR_SYNTAX,   /* not RFC 8288's link-value syntax */
  SEC_WHIP_LINK_ERROR_SERVER,   /* an ice-server link we cannot use */
} SecWhipLinkError;

/* The longest header field value taken, and the most ice-server links
 * kept from one response: a server gives a handful. */
#define SEC_WHIP_LINK_MAX_LENGTH (16 * 1024)
#define SEC_WHIP_LINK_MAX_SERVERS 16

typedef struct
{
  gchar *uri;                   /* as the link says: "turn:host?transport=udp" */
  gchar *username;              /* NULL when absent */
  gchar *credential;            /* NULL when absent; never logged */
  gchar *credential_type;       /* NULL when absent ("password" assumed) */
} SecWhipIceServer;

/* Frees @server, its credential zeroed first. */
void sec_whip_ice_server_free (SecWhipIceServer * server);

/* Parses the value of one Link header field (one or more link-values
 * separated by commas) and appends its rel="ice-server" links to
 * @servers (of SecWhipIceServer, freed by the array: make it with
 * sec_whip_ice_servers_new ()), up to SEC_WHIP_LINK_MAX_SERVERS in all.
 * FALSE with SEC_WHIP_LINK_ERROR_SYNTAX if the value is malformed or too
 * long: then nothing of it is appended. */
gboolean sec_whip_link_parse (const gchar * value, GPtrArray * servers,
    GError ** error);

/* An empty array for sec_whip_link_parse (). */
GPtrArray *sec_whip_ice_servers_new (void);

/* @server as secwebrtcbin takes it: "stun://host:port" (*@is_turn FALSE)
 * or "turn://user:pass@host:port?transport=udp", "turns://..."
 * (*@is_turn TRUE), checked by ext/ice's parser. FALSE with
 * SEC_WHIP_LINK_ERROR_SERVER for a scheme other than stun, turn and turns
 * (RFC 7064, RFC 7065), TURN without a username and credential, a
 * credential-type other than "password", or what ext/ice refuses. The
 * result holds the credential: free it with sec_ice_secret_free (). */
gchar *sec_whip_ice_server_to_uri (const SecWhipIceServer * server,
    gboolean * is_turn, GError ** error);

/* The other way, for an endpoint: the Link header field value announcing
 * @uri (as secwebrtcbin takes it: "stun://host:port",
 * "turn://user:pass@host:port?transport=udp|tcp", "turns://...") to a
 * client:
 *   <turn:host:port?transport=udp>; rel="ice-server"; username="user";
 *   credential="pass"; credential-type="password"
 * NULL with ext/ice's error when @uri is not one. The result holds the
 * credential: free it with sec_ice_secret_free (). */
gchar *sec_whip_ice_server_link_value (const gchar * uri, GError ** error);

G_END_DECLS

#endif /* SEC_WHIP_LINK_H */
