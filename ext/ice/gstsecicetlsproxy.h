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
 * Destinations that are not TURN-over-TLS servers are relayed in plain
 * TCP, unchanged (libnice uses one proxy for all its TCP TURN servers).
 * Everything runs on the ICE thread's GMainContext.
 */
#ifndef GST_SEC_ICE_TLS_PROXY_H
#define GST_SEC_ICE_TLS_PROXY_H

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _GstSecIceTlsProxy GstSecIceTlsProxy;

/* Called on the ICE thread when a TURN server cannot be reached over TLS
 * or its certificate is not trusted; @message never holds credentials. */
typedef void (*GstSecIceTlsProxyErrorFunc) (const gchar * message,
    gpointer user_data);

/* Listens on 127.0.0.1 (an ephemeral port); callbacks on @context. */
G_GNUC_INTERNAL GstSecIceTlsProxy *gst_sec_ice_tls_proxy_new
    (GMainContext * context, GstSecIceTlsProxyErrorFunc on_error,
    gpointer user_data, GError ** error);

G_GNUC_INTERNAL guint16 gst_sec_ice_tls_proxy_get_port
    (GstSecIceTlsProxy * proxy);

/* Connections to @ip:@port (as libnice asks for them) are wrapped in TLS
 * and the server's certificate must be valid for @host_name. */
G_GNUC_INTERNAL void gst_sec_ice_tls_proxy_add_tls_server
    (GstSecIceTlsProxy * proxy, const gchar * ip, guint16 port,
    const gchar * host_name);

/* Trust the certificates in this PEM file instead of the system's. */
G_GNUC_INTERNAL gboolean gst_sec_ice_tls_proxy_set_ca_file
    (GstSecIceTlsProxy * proxy, const gchar * path, GError ** error);

/* Number of TLS connections established to TURN servers so far. */
G_GNUC_INTERNAL guint gst_sec_ice_tls_proxy_get_tls_connections
    (GstSecIceTlsProxy * proxy);

/* Stops listening and closes every relayed connection; the error
 * function is not called any more once the ICE thread has run past what
 * it was doing (the transport waits for that with its barrier). */
G_GNUC_INTERNAL void gst_sec_ice_tls_proxy_free (GstSecIceTlsProxy * proxy);

G_END_DECLS

#endif
