/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecIceTlsProxy: see gstsecicetlsproxy.h. Every callback runs on the
 * ICE thread (the listening source is attached to its context, and the
 * asynchronous GIO calls are made from that thread, whose thread-default
 * context it is).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecicetlsproxy.h"

#include <gst/gst.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (sec_ice_tls_proxy_debug);
#define GST_CAT_DEFAULT sec_ice_tls_proxy_debug

#define REQUEST_MAX 2048        /* libnice's CONNECT request is ~200 bytes */
#define CONNECT_REPLY "HTTP/1.1 200 Connection established\r\n\r\n"

struct _GstSecIceTlsProxy
{
  gint refcount;                /* atomic; each relay holds one */
  GSocket *listener;
  GSource *accept_source;
  GCancellable *cancellable;
  guint16 port;

  GMutex lock;
  /* protected by lock */
  GHashTable *tls_servers;      /* "ip:port" -> host name */
  GTlsDatabase *database;
  guint tls_connections;
  GstSecIceTlsProxyErrorFunc on_error;
  gpointer on_error_data;
};

typedef struct
{
  GstSecIceTlsProxy *proxy;
  GIOStream *downstream;        /* libnice's connection to us */
  GIOStream *upstream;          /* ours to the TURN server */
  gchar request[REQUEST_MAX + 1];
  gsize request_len;
  gboolean tls;
  gchar *server;                /* "host:port", for messages */
} Relay;

static GstSecIceTlsProxy *
proxy_ref (GstSecIceTlsProxy * proxy)
{
  g_atomic_int_inc (&proxy->refcount);
  return proxy;
}

static void
proxy_unref (GstSecIceTlsProxy * proxy)
{
  if (!g_atomic_int_dec_and_test (&proxy->refcount))
    return;
  g_clear_object (&proxy->listener);
  g_clear_object (&proxy->cancellable);
  g_hash_table_unref (proxy->tls_servers);
  g_clear_object (&proxy->database);
  g_mutex_clear (&proxy->lock);
  g_free (proxy);
}

static void
relay_free (Relay * relay)
{
  if (relay->downstream)
    g_io_stream_close (relay->downstream, NULL, NULL);
  if (relay->upstream)
    g_io_stream_close (relay->upstream, NULL, NULL);
  g_clear_object (&relay->downstream);
  g_clear_object (&relay->upstream);
  proxy_unref (relay->proxy);
  g_free (relay->server);
  g_free (relay);
}

static void
on_spliced (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Relay *relay = user_data;
  GError *error = NULL;

  if (!g_io_stream_splice_finish (result, &error)) {
    GST_DEBUG ("relay ended: %s", error->message);
    g_error_free (error);
  }
  relay_free (relay);
}

static void
on_reply_written (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Relay *relay = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result,
          NULL, &error)) {
    GST_DEBUG ("CONNECT reply not sent: %s", error->message);
    g_error_free (error);
    relay_free (relay);
    return;
  }
  g_io_stream_splice_async (relay->downstream, relay->upstream,
      G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2,
      G_PRIORITY_DEFAULT, relay->proxy->cancellable, on_spliced, relay);
}

static void
on_upstream_connected (GObject * source, GAsyncResult * result,
    gpointer user_data)
{
  Relay *relay = user_data;
  GError *error = NULL;
  GSocketConnection *connection;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source),
      result, &error);
  if (connection == NULL) {
    /* e.g. an untrusted certificate: libnice sees the connection close
     * and gets no relay candidate from this server */
    gchar *message = g_strdup_printf ("TURN server %s %s: %s",
        relay->server, relay->tls ? "unreachable over TLS or not trusted" :
        "unreachable over TCP", error->message);
    GstSecIceTlsProxyErrorFunc on_error;
    gpointer data;

    GST_WARNING ("%s", message);
    g_mutex_lock (&relay->proxy->lock);
    on_error = relay->proxy->on_error;
    data = relay->proxy->on_error_data;
    g_mutex_unlock (&relay->proxy->lock);
    if (on_error)
      on_error (message, data);
    g_free (message);
    g_error_free (error);
    relay_free (relay);
    return;
  }
  relay->upstream = G_IO_STREAM (connection);
  if (relay->tls) {
    g_mutex_lock (&relay->proxy->lock);
    relay->proxy->tls_connections++;
    g_mutex_unlock (&relay->proxy->lock);
  }
  g_output_stream_write_all_async (g_io_stream_get_output_stream
      (relay->downstream), CONNECT_REPLY, strlen (CONNECT_REPLY),
      G_PRIORITY_DEFAULT, relay->proxy->cancellable, on_reply_written, relay);
}

static void
on_client_event (GSocketClient * client, GSocketClientEvent event,
    GSocketConnectable * connectable, GIOStream * connection,
    GstSecIceTlsProxy * proxy)
{
  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKING)
    return;
  g_mutex_lock (&proxy->lock);
  if (proxy->database)
    g_tls_connection_set_database (G_TLS_CONNECTION (connection),
        proxy->database);
  g_mutex_unlock (&proxy->lock);
}

/* "CONNECT <ip>:<port> HTTP/1.x\r\n..." (libnice's socket/http.c) */
static gboolean
parse_connect (const gchar * request, gchar ** ip, guint16 * port)
{
  const gchar *start, *end, *colon;
  guint64 value;
  gchar *port_text;
  gboolean ok;

  if (!g_str_has_prefix (request, "CONNECT "))
    return FALSE;
  start = request + strlen ("CONNECT ");
  end = strchr (start, ' ');
  if (end == NULL || end - start > 64)
    return FALSE;
  colon = g_strrstr_len (start, end - start, ":");
  if (colon == NULL || colon == start)
    return FALSE;
  port_text = g_strndup (colon + 1, end - colon - 1);
  ok = g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &value, NULL);
  g_free (port_text);
  if (!ok)
    return FALSE;
  *ip = g_strndup (start, colon - start);
  *port = value;
  return TRUE;
}

static void read_request (Relay * relay);

static void
on_request_read (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Relay *relay = user_data;
  GError *error = NULL;
  gssize n;
  gchar *ip = NULL, *key, *host_name;
  guint16 port = 0;
  GSocketClient *client;
  GSocketConnectable *connectable;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n <= 0) {
    if (error) {
      GST_DEBUG ("CONNECT request not read: %s", error->message);
      g_error_free (error);
    }
    relay_free (relay);
    return;
  }
  relay->request_len += n;
  relay->request[relay->request_len] = '\0';
  if (strstr (relay->request, "\r\n\r\n") == NULL) {
    if (relay->request_len >= REQUEST_MAX) {
      GST_WARNING ("CONNECT request too long");
      relay_free (relay);
    } else {
      read_request (relay);
    }
    return;
  }
  if (!parse_connect (relay->request, &ip, &port)) {
    GST_WARNING ("not a CONNECT request");
    relay_free (relay);
    return;
  }

  key = g_strdup_printf ("%s:%u", ip, port);
  g_mutex_lock (&relay->proxy->lock);
  host_name = g_strdup (g_hash_table_lookup (relay->proxy->tls_servers,
          key));
  g_mutex_unlock (&relay->proxy->lock);
  g_free (key);

  client = g_socket_client_new ();
  if (host_name) {
    relay->tls = TRUE;
    g_socket_client_set_tls (client, TRUE);
    g_signal_connect (client, "event", G_CALLBACK (on_client_event),
        relay->proxy);
    /* the name the certificate must be valid for */
    connectable = g_network_address_new (host_name, port);
  } else {
    connectable = G_SOCKET_CONNECTABLE (g_inet_socket_address_new_from_string
        (ip, port));
  }
  relay->server = g_strdup_printf ("%s:%u", host_name ? host_name : ip, port);
  GST_DEBUG ("relaying to %s%s", relay->server, host_name ? " over TLS" : "");
  if (connectable == NULL) {
    relay_free (relay);
  } else {
    g_socket_client_connect_async (client, connectable,
        relay->proxy->cancellable, on_upstream_connected, relay);
    g_object_unref (connectable);
  }
  g_object_unref (client);
  g_free (host_name);
  g_free (ip);
}

static void
read_request (Relay * relay)
{
  g_input_stream_read_async (g_io_stream_get_input_stream
      (relay->downstream), relay->request + relay->request_len,
      REQUEST_MAX - relay->request_len, G_PRIORITY_DEFAULT,
      relay->proxy->cancellable, on_request_read, relay);
}

static gboolean
on_incoming (GSocket * listener, GIOCondition condition, gpointer user_data)
{
  GstSecIceTlsProxy *proxy = user_data;
  GSocket *socket = g_socket_accept (listener, NULL, NULL);
  Relay *relay;

  if (socket == NULL)
    return G_SOURCE_CONTINUE;
  relay = g_new0 (Relay, 1);
  relay->proxy = proxy_ref (proxy);
  relay->downstream =
      G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
  g_object_unref (socket);
  read_request (relay);
  return G_SOURCE_CONTINUE;
}

GstSecIceTlsProxy *
gst_sec_ice_tls_proxy_new (GMainContext * context,
    GstSecIceTlsProxyErrorFunc on_error, gpointer user_data, GError ** error)
{
  static gsize debug_once = 0;
  GstSecIceTlsProxy *proxy;
  GInetAddress *loopback;
  GSocketAddress *address, *bound;

  if (g_once_init_enter (&debug_once)) {
    GST_DEBUG_CATEGORY_INIT (sec_ice_tls_proxy_debug, "secicetlsproxy", 0,
        "TURN over TLS for libnice");
    g_once_init_leave (&debug_once, 1);
  }

  proxy = g_new0 (GstSecIceTlsProxy, 1);
  proxy->refcount = 1;
  proxy->on_error = on_error;
  proxy->on_error_data = user_data;
  g_mutex_init (&proxy->lock);
  proxy->tls_servers = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, g_free);
  proxy->cancellable = g_cancellable_new ();
  proxy->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, error);
  if (proxy->listener == NULL) {
    proxy_unref (proxy);
    return NULL;
  }
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  g_object_unref (loopback);
  if (!g_socket_bind (proxy->listener, address, FALSE, error)
      || !g_socket_listen (proxy->listener, error)) {
    g_object_unref (address);
    proxy_unref (proxy);
    return NULL;
  }
  g_object_unref (address);
  bound = g_socket_get_local_address (proxy->listener, error);
  if (bound == NULL) {
    proxy_unref (proxy);
    return NULL;
  }
  proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS
      (bound));
  g_object_unref (bound);
  g_socket_set_blocking (proxy->listener, FALSE);
  proxy->accept_source = g_socket_create_source (proxy->listener, G_IO_IN,
      NULL);
  g_source_set_callback (proxy->accept_source,
      G_SOURCE_FUNC (on_incoming), proxy, NULL);
  g_source_attach (proxy->accept_source, context);
  return proxy;
}

guint16
gst_sec_ice_tls_proxy_get_port (GstSecIceTlsProxy * proxy)
{
  return proxy->port;
}

void
gst_sec_ice_tls_proxy_add_tls_server (GstSecIceTlsProxy * proxy,
    const gchar * ip, guint16 port, const gchar * host_name)
{
  g_mutex_lock (&proxy->lock);
  g_hash_table_replace (proxy->tls_servers, g_strdup_printf ("%s:%u", ip,
          port), g_strdup (host_name));
  g_mutex_unlock (&proxy->lock);
}

gboolean
gst_sec_ice_tls_proxy_set_ca_file (GstSecIceTlsProxy * proxy,
    const gchar * path, GError ** error)
{
  GTlsDatabase *database = g_tls_file_database_new (path, error);

  if (database == NULL)
    return FALSE;
  g_mutex_lock (&proxy->lock);
  g_clear_object (&proxy->database);
  proxy->database = database;
  g_mutex_unlock (&proxy->lock);
  return TRUE;
}

guint
gst_sec_ice_tls_proxy_get_tls_connections (GstSecIceTlsProxy * proxy)
{
  guint n;

  g_mutex_lock (&proxy->lock);
  n = proxy->tls_connections;
  g_mutex_unlock (&proxy->lock);
  return n;
}

void
gst_sec_ice_tls_proxy_free (GstSecIceTlsProxy * proxy)
{
  if (proxy == NULL)
    return;
  g_mutex_lock (&proxy->lock);
  proxy->on_error = NULL;
  g_mutex_unlock (&proxy->lock);
  g_source_destroy (proxy->accept_source);
  g_source_unref (proxy->accept_source);
  proxy->accept_source = NULL;
  g_cancellable_cancel (proxy->cancellable);
  g_socket_close (proxy->listener, NULL);
  /* relays still running finish on the ICE thread and drop their refs */
  proxy_unref (proxy);
}
