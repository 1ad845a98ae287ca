/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecIceTlsProxy: TURN over TLS (RFC 7065 "turns:") for libnice.
 *
 * libnice 0.1.21 has no TLS client for TURN, but it sends its TCP TURN
 * connections through an HTTP CONNECT proxy when one is configured. This
 * is that proxy, inside the process, on 127.0.0.1: it accepts libnice's
 * connection, reads the CONNECT request, opens a TLS connection to the
 * TURN server (certificate verified against the system's or a given CA
 * list, and the server's name), answers 200 and relays bytes both ways.
 * libnice uses one proxy for all its TCP TURN servers, so TURN servers
 * configured for plain TCP are relayed unchanged.
 *
 * It is no open relay: it tunnels only to the servers it was given
 * (gst_sec_ice_tls_proxy_add_server(), keyed by canonical IP address and
 * port, each with its way: TLS or plain TCP), only for a client that
 * presents its random per-proxy credential (which the transport gives to
 * libnice as proxy-username/proxy-password, RFC 7617 Basic), at most
 * GST_SEC_ICE_TLS_PROXY_MAX_CONNECTIONS connections at a time, and closes
 * a connection that has not sent a complete request within
 * GST_SEC_ICE_TLS_PROXY_REQUEST_TIMEOUT_S. Everything else is refused
 * with an HTTP error and closed; a TLS server is never reached in plain
 * TCP. Everything runs on the ICE thread's GMainContext.
 */
#ifndef GST_SEC_ICE_TLS_PROXY_H
#define GST_SEC_ICE_TLS_PROXY_H

#include <gio/gio.h>

G_BEGIN_DECLS

/* Connections at a time, from accept to close: libnice opens one per
 * local address and TCP/TLS TURN server. */
#define GST_SEC_ICE_TLS_PROXY_MAX_CONNECTIONS 16
/* From accept until the whole CONNECT request has come (libnice sends it
 * at once, ~250 bytes). */
#define GST_SEC_ICE_TLS_PROXY_REQUEST_TIMEOUT_S 5
/* To connect to the TURN server, TLS handshake included. */
#define GST_SEC_ICE_TLS_PROXY_CONNECT_TIMEOUT_S 10

typedef struct _GstSecIceTlsProxy GstSecIceTlsProxy;

/* Called on the ICE thread when a TURN server cannot be reached over TLS
 * or its certificate is not trusted; @message never holds credentials. */
typedef void (*GstSecIceTlsProxyErrorFunc) (const gchar * message,
    gpointer user_data);

/* Listens on 127.0.0.1 (an ephemeral port); callbacks on @context. Makes
 * the credential from the system's CSPRNG (getrandom). */
G_GNUC_INTERNAL GstSecIceTlsProxy *gst_sec_ice_tls_proxy_new
    (GMainContext * context, GstSecIceTlsProxyErrorFunc on_error,
    gpointer user_data, GError ** error);

G_GNUC_INTERNAL guint16 gst_sec_ice_tls_proxy_get_port
    (GstSecIceTlsProxy * proxy);

/* The credential a client must present (for libnice's proxy-username and
 * proxy-password); valid as long as @proxy. Never log them. */
G_GNUC_INTERNAL const gchar *gst_sec_ice_tls_proxy_get_username
    (GstSecIceTlsProxy * proxy);
G_GNUC_INTERNAL const gchar *gst_sec_ice_tls_proxy_get_password
    (GstSecIceTlsProxy * proxy);

/* Allows CONNECT to @ip:@port (an IP literal, in any spelling; it is
 * canonicalised, as the requests are). With @tls_host_name the
 * connection is wrapped in TLS and the server's certificate must be valid
 * for that name; with NULL it is relayed in plain TCP. A server given
 * both ways is reached over TLS. FALSE if @ip is not an IP address. */
G_GNUC_INTERNAL gboolean gst_sec_ice_tls_proxy_add_server
    (GstSecIceTlsProxy * proxy, const gchar * ip, guint16 port,
    const gchar * tls_host_name);

/* Trust the certificates in this PEM file instead of the system's. */
G_GNUC_INTERNAL gboolean gst_sec_ice_tls_proxy_set_ca_file
    (GstSecIceTlsProxy * proxy, const gchar * path, GError ** error);

/* Number of TLS connections established to TURN servers so far. */
G_GNUC_INTERNAL guint gst_sec_ice_tls_proxy_get_tls_connections
    (GstSecIceTlsProxy * proxy);

/* Stops accepting and cancels every connection, and (called from another
 * thread than the ICE thread) waits up to 2 s for them to end on the ICE
 * thread; the port is closed, and the error function is not called any
 * more, once the ICE thread has run past what it was doing (the
 * transport waits for that with its barrier). */
G_GNUC_INTERNAL void gst_sec_ice_tls_proxy_free (GstSecIceTlsProxy * proxy);

G_END_DECLS

#endif
