/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecIceTlsProxy: see gstsecicetlsproxy.h and docs/ice.md "TURN over
 * TLS". Every callback runs on the ICE thread (the listening source and
 * the timeouts are attached to its context, and the asynchronous GIO
 * calls are made from that thread, whose thread-default context it is);
 * only gst_sec_ice_tls_proxy_free () and the getters are called from
 * other threads.
 *
 * A connection from libnice goes: accepted (at most MAX_CONNECTIONS at a
 * time, else "503" and closed) -> its CONNECT request read, within
 * REQUEST_TIMEOUT_S (else closed) -> checked (sec_ice_proxy_request_parse:
 * "400" if malformed; the proxy credential: "407" if missing or wrong;
 * the destination among the configured servers, by canonical IP address
 * and port: "403" if not) -> connected to the TURN server, over TLS for a
 * turns:// one (certificate checked; closed, and the transport warned,
 * if that fails) -> "200" -> bytes relayed both ways until either side
 * closes. No request is ever relayed anywhere else, and never in plain
 * TCP to a server that is configured for TLS. When the server cannot be
 * used, libnice's connection is parked: kept open and silent until
 * libnice closes it (see relay_park ()).
 *
 * Lifetime: the owner (the transport), the accepting source (its
 * callback data, released by its GDestroyNotify) and each connection hold
 * a reference to the proxy, so that nothing they dereference goes away
 * under them whichever thread drops the last one. Closing happens on the
 * ICE thread (listening socket, cancellations), and _free () waits for
 * the connections to end there before the transport stops that thread.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecicetlsproxy.h"
#include "iceserver.h"

#include <errno.h>
#include <gst/gst.h>
#include <string.h>
#include <sys/random.h>

GST_DEBUG_CATEGORY_STATIC (sec_ice_tls_proxy_debug);
#define GST_CAT_DEFAULT sec_ice_tls_proxy_debug

#define REQUEST_MAX 2048        /* libnice's CONNECT request is ~250 bytes */
#define CREDENTIAL_BYTES 16     /* of the CSPRNG, in the proxy password */
#define PROXY_USERNAME "secice"
#define WARNING_INTERVAL_US G_USEC_PER_SEC
/* how long _free () waits for cancelled connections to end */
#define CLOSE_WAIT_US (2 * G_USEC_PER_SEC)

#define REPLY_CONNECTED "HTTP/1.0 200 Connection established\r\n\r\n"
#define REPLY_BAD_REQUEST "HTTP/1.0 400 Bad Request\r\n\r\n"
#define REPLY_FORBIDDEN "HTTP/1.0 403 Forbidden\r\n\r\n"
#define REPLY_AUTH_REQUIRED "HTTP/1.0 407 Proxy Authentication Required\r\n" \
  "Proxy-Authenticate: Basic realm=\"secice\"\r\n\r\n"
#define REPLY_BUSY "HTTP/1.0 503 Service Unavailable\r\n\r\n"

struct _GstSecIceTlsProxy
{
  gint refcount;                /* atomic */

  /* set at construction */
  GMainContext *context;
  GSocket *listener;
  GSource *accept_source;
  guint16 port;
  gchar *password;              /* hex of CREDENTIAL_BYTES random bytes */
  gchar *authorization;         /* "Basic base64(user:password)" */

  /* ICE thread only */
  guint n_connections;
  gint64 last_busy_warning;

  GMutex lock;
  GCond relays_gone;            /* signalled when relays becomes empty
                                 * or listener_closed is set */
  /* protected by lock */
  gboolean closed;
  gboolean listener_closed;
  GHashTable *relays;           /* set of Relay *, for closing */
  GHashTable *servers;          /* "ip:port" ("[ip6]:port") -> Server */
  GTlsDatabase *database;
  guint tls_connections;
  GstSecIceTlsProxyErrorFunc on_error;
  gpointer on_error_data;
};

typedef struct
{
  gchar *tls_host_name;         /* NULL: plain TCP */
} Server;

/* one connection from libnice, on the ICE thread */
typedef struct
{
  GstSecIceTlsProxy *proxy;     /* a reference */
  GCancellable *cancellable;    /* cancelled by a timeout or the proxy */
  GSource *timeout;             /* for the request, then for connecting */
  gboolean timed_out;
  GIOStream *downstream;        /* libnice's connection to us */
  GIOStream *upstream;          /* ours to the TURN server */
  gchar request[REQUEST_MAX];   /* holds the credential: zeroed */
  gsize request_len;
  gchar *tls_host_name;         /* NULL: plain TCP */
  guint16 port;
  gchar *server;                /* "host:port", for messages */
  gboolean parked;              /* the server failed: see relay_park () */
} Relay;

static GstSecIceTlsProxy *
proxy_ref (GstSecIceTlsProxy * proxy)
{
  g_atomic_int_inc (&proxy->refcount);
  return proxy;
}

static void
server_free (gpointer data)
{
  Server *server = data;

  g_free (server->tls_host_name);
  g_free (server);
}

static void
proxy_unref (gpointer data)
{
  GstSecIceTlsProxy *proxy = data;

  if (!g_atomic_int_dec_and_test (&proxy->refcount))
    return;
  if (proxy->listener)
    g_socket_close (proxy->listener, NULL);
  g_clear_object (&proxy->listener);
  g_hash_table_unref (proxy->relays);
  g_hash_table_unref (proxy->servers);
  g_clear_object (&proxy->database);
  sec_ice_secret_free (proxy->password);
  sec_ice_secret_free (proxy->authorization);
  g_main_context_unref (proxy->context);
  g_cond_clear (&proxy->relays_gone);
  g_mutex_clear (&proxy->lock);
  g_free (proxy);
}

/* "ip:port", "[ip6]:port"; @ip canonical */
static gchar *
server_key (const gchar * ip, guint16 port)
{
  return strchr (ip, ':') ? g_strdup_printf ("[%s]:%u", ip, port) :
      g_strdup_printf ("%s:%u", ip, port);
}

static void
relay_free (Relay * relay)
{
  GstSecIceTlsProxy *proxy = relay->proxy;

  GST_LOG ("connection %p closed", relay);
  if (relay->timeout) {
    g_source_destroy (relay->timeout);
    g_source_unref (relay->timeout);
  }
  if (relay->downstream)
    g_io_stream_close (relay->downstream, NULL, NULL);
  if (relay->upstream)
    g_io_stream_close (relay->upstream, NULL, NULL);
  g_clear_object (&relay->downstream);
  g_clear_object (&relay->upstream);
  g_mutex_lock (&proxy->lock);
  g_hash_table_remove (proxy->relays, relay);
  if (g_hash_table_size (proxy->relays) == 0)
    g_cond_broadcast (&proxy->relays_gone);
  g_mutex_unlock (&proxy->lock);
  if (!relay->parked)
    proxy->n_connections--;
  g_object_unref (relay->cancellable);
  /* the request is gone, the credential with it */
  memset (relay->request, 0, sizeof (relay->request));
  g_free (relay->tls_host_name);
  g_free (relay->server);
  g_free (relay);
  proxy_unref (proxy);
}

/* Best effort: the reply is a few dozen bytes on a fresh connection, so
 * it fits in the socket buffer; the close follows. */
static void
send_reply (GSocket * socket, const gchar * reply)
{
  g_socket_send_with_blocking (socket, reply, strlen (reply), FALSE, NULL,
      NULL);
}

/* Answers @reply (an HTTP error) and closes the connection. */
static void
relay_refuse (Relay * relay, const gchar * reply)
{
  send_reply (g_socket_connection_get_socket (G_SOCKET_CONNECTION
          (relay->downstream)), reply);
  relay_free (relay);
}

static void
on_spliced (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Relay *relay = user_data;
  GError *error = NULL;

  if (!g_io_stream_splice_finish (result, &error)) {
    GST_DEBUG ("relay to %s ended: %s", relay->server, error->message);
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
  /* no idle timeout from here on: the connection is our own libnice
   * agent's (it had the credential), which closes it with its stream;
   * TURN keeps it busy (refreshes at least every 10 minutes, RFC 8656
   * §7.2, and consent checks every few seconds once connected) */
  g_io_stream_splice_async (relay->downstream, relay->upstream,
      G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2,
      G_PRIORITY_DEFAULT, relay->cancellable, on_spliced, relay);
}

static void
on_parked_read (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Relay *relay = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result,
      NULL);

  if (n > 0) {
    /* nothing is relayed: dropped */
    g_input_stream_read_async (G_INPUT_STREAM (source), relay->request,
        sizeof (relay->request), G_PRIORITY_DEFAULT, relay->cancellable,
        on_parked_read, relay);
    return;
  }
  /* libnice closed it, or the proxy is going (cancelled) */
  GST_DEBUG ("parked connection %p ends", relay);
  relay_free (relay);
}

/* The TURN server of @relay cannot be used. libnice (0.1.21) takes its
 * connection to the proxy closing under it as a socket error, drops the
 * TURN discovery, and then never ends candidate gathering
 * (on-gathering-done never comes). So libnice's connection stays open,
 * with no reply and nothing relayed, until libnice closes it or the proxy
 * goes: libnice's own timeout for the server (about 2 s with libnice
 * 0.1.21) ends the discovery, and gathering completes without a relay
 * candidate from that server. A parked connection is our
 * agent's (it had the credential) and no longer counts against
 * GST_SEC_ICE_TLS_PROXY_MAX_CONNECTIONS; there is at most one per TURN
 * discovery of our agent. */
static void
relay_park (Relay * relay)
{
  GstSecIceTlsProxy *proxy = relay->proxy;
  gboolean closed;

  /* after a timeout the cancellable is cancelled: a new one, which
   * close_on_ice_thread () (on this thread too) cancels from now on */
  g_mutex_lock (&proxy->lock);
  closed = proxy->closed;
  if (!closed && g_cancellable_is_cancelled (relay->cancellable)) {
    g_object_unref (relay->cancellable);
    relay->cancellable = g_cancellable_new ();
  }
  g_mutex_unlock (&proxy->lock);
  if (closed) {
    relay_free (relay);
    return;
  }
  if (relay->timeout) {
    g_source_destroy (relay->timeout);
    g_clear_pointer (&relay->timeout, g_source_unref);
  }
  if (relay->upstream) {
    g_io_stream_close (relay->upstream, NULL, NULL);
    g_clear_object (&relay->upstream);
  }
  relay->parked = TRUE;
  proxy->n_connections--;
  GST_DEBUG ("connection %p parked: open and silent until libnice closes "
      "it", relay);
  g_input_stream_read_async (g_io_stream_get_input_stream
      (relay->downstream), relay->request, sizeof (relay->request),
      G_PRIORITY_DEFAULT, relay->cancellable, on_parked_read, relay);
}

/* The TURN server is unreachable or (TLS) not trusted: no relay candidate
 * from it; the transport warns and the connection from libnice is parked.
 * @error is NULL after a timeout. */
static void
relay_fail (Relay * relay, const GError * error)
{
  GstSecIceTlsProxy *proxy = relay->proxy;
  GstSecIceTlsProxyErrorFunc on_error;
  gpointer data;
  gchar *message;

  if (!relay->timed_out && g_error_matches (error, G_IO_ERROR,
          G_IO_ERROR_CANCELLED)) {
    /* the proxy is going */
    relay_free (relay);
    return;
  }
  message = g_strdup_printf ("TURN server %s %s: %s", relay->server,
      relay->tls_host_name ? "unreachable over TLS or not trusted" :
      "unreachable over TCP", relay->timed_out ? "no connection within "
      G_STRINGIFY (GST_SEC_ICE_TLS_PROXY_CONNECT_TIMEOUT_S) " s" :
      error->message);
  GST_WARNING ("%s", message);
  g_mutex_lock (&proxy->lock);
  on_error = proxy->on_error;
  data = proxy->on_error_data;
  g_mutex_unlock (&proxy->lock);
  if (on_error)
    on_error (message, data);
  g_free (message);
  relay_park (relay);
}

/* Connected to the TURN server (and through the TLS handshake): "200",
 * then relay. */
static void
relay_connected (Relay * relay)
{
  GstSecIceTlsProxy *proxy = relay->proxy;

  g_source_destroy (relay->timeout);
  g_clear_pointer (&relay->timeout, g_source_unref);
  if (relay->tls_host_name) {
    g_mutex_lock (&proxy->lock);
    proxy->tls_connections++;
    g_mutex_unlock (&proxy->lock);
  }
  g_output_stream_write_all_async (g_io_stream_get_output_stream
      (relay->downstream), REPLY_CONNECTED, strlen (REPLY_CONNECTED),
      G_PRIORITY_DEFAULT, relay->cancellable, on_reply_written, relay);
}

static void
on_handshake (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Relay *relay = user_data;
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result,
          &error)) {
    relay_fail (relay, error);
    g_error_free (error);
    return;
  }
  relay_connected (relay);
}

static void
on_tcp_connected (GObject * source, GAsyncResult * result,
    gpointer user_data)
{
  Relay *relay = user_data;
  GstSecIceTlsProxy *proxy = relay->proxy;
  GSocketConnectable *identity;
  GIOStream *tls;
  GError *error = NULL;

  if (!g_socket_connection_connect_finish (G_SOCKET_CONNECTION (source),
          result, &error)) {
    relay_fail (relay, error);
    g_error_free (error);
    return;
  }
  if (relay->tls_host_name == NULL) {
    relay_connected (relay);
    return;
  }
  /* the certificate must be valid for the URI's host name (or IP
   * address), against the system's trust store or turn-tls-ca-file */
  identity = g_network_address_new (relay->tls_host_name, relay->port);
  tls = g_tls_client_connection_new (relay->upstream, identity, &error);
  g_object_unref (identity);
  if (tls == NULL) {
    relay_fail (relay, error);
    g_error_free (error);
    return;
  }
  g_mutex_lock (&proxy->lock);
  if (proxy->database)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), proxy->database);
  g_mutex_unlock (&proxy->lock);
  /* the TLS connection holds the TCP one and closes it with itself */
  g_object_unref (relay->upstream);
  relay->upstream = tls;
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls),
      G_PRIORITY_DEFAULT, relay->cancellable, on_handshake, relay);
}

static gboolean
on_timeout (gpointer user_data)
{
  Relay *relay = user_data;

  if (relay->upstream == NULL) {
    GST_DEBUG ("closing a connection that sent no complete CONNECT "
        "request in %d s", GST_SEC_ICE_TLS_PROXY_REQUEST_TIMEOUT_S);
  } else {
    relay->timed_out = TRUE;
  }
  /* the pending operation ends with G_IO_ERROR_CANCELLED, and its
   * callback frees the relay */
  g_cancellable_cancel (relay->cancellable);
  g_clear_pointer (&relay->timeout, g_source_unref);
  return G_SOURCE_REMOVE;
}

/* Replaces the relay's timeout by one of @seconds. */
static void
relay_set_timeout (Relay * relay, guint seconds)
{
  if (relay->timeout) {
    g_source_destroy (relay->timeout);
    g_source_unref (relay->timeout);
  }
  relay->timeout = g_timeout_source_new_seconds (seconds);
  g_source_set_callback (relay->timeout, on_timeout, relay, NULL);
  g_source_attach (relay->timeout, relay->proxy->context);
}

/* Connects to @ip (canonical) and the relay's port: a plain socket and,
 * for TLS, a GTlsClientConnection over it, each step cancellable at once
 * and the whole bounded by GST_SEC_ICE_TLS_PROXY_CONNECT_TIMEOUT_S. No
 * GSocketClient: the destination is one address, with no system proxy
 * (GProxyResolver) in between, as for libnice's own UDP and TCP. */
static void
relay_connect (Relay * relay, const gchar * ip)
{
  GSocketAddress *address = g_inet_socket_address_new_from_string (ip,
      relay->port);
  GSocket *socket;
  GError *error = NULL;

  socket = g_socket_new (g_socket_address_get_family (address),
      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  if (socket == NULL) {
    relay_fail (relay, error);
    g_error_free (error);
    g_object_unref (address);
    return;
  }
  relay->upstream =
      G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
  g_object_unref (socket);
  relay_set_timeout (relay, GST_SEC_ICE_TLS_PROXY_CONNECT_TIMEOUT_S);
  g_socket_connection_connect_async (G_SOCKET_CONNECTION (relay->upstream),
      address, relay->cancellable, on_tcp_connected, relay);
  g_object_unref (address);
}

/* The request is complete (@head_len bytes): check it and connect, or
 * refuse it. */
static void
relay_handle_request (Relay * relay, gsize head_len)
{
  GstSecIceTlsProxy *proxy = relay->proxy;
  SecIceProxyRequest *request;
  GError *error = NULL;
  gboolean authorized;
  gchar *key;
  Server *server;

  if (head_len != relay->request_len) {
    /* libnice sends nothing before the reply */
    GST_DEBUG ("refused: data after the CONNECT request");
    relay_refuse (relay, REPLY_BAD_REQUEST);
    return;
  }
  request = sec_ice_proxy_request_parse (relay->request, head_len, &error);
  memset (relay->request, 0, sizeof (relay->request));
  if (request == NULL) {
    /* the message quotes no credential (iceserver.h) */
    GST_DEBUG ("refused: %s", error->message);
    g_error_free (error);
    relay_refuse (relay, REPLY_BAD_REQUEST);
    return;
  }
  authorized = request->authorization != NULL
      && sec_ice_secret_equal (request->authorization, proxy->authorization);
  key = server_key (request->host, request->port);
  if (!authorized) {
    /* another local process: it gets nothing, whatever it asks for */
    GST_DEBUG ("refused CONNECT to %s: %s proxy credential", key,
        request->authorization ? "wrong" : "no");
    relay_refuse (relay, REPLY_AUTH_REQUIRED);
    goto done;
  }
  g_mutex_lock (&proxy->lock);
  server = g_hash_table_lookup (proxy->servers, key);
  if (server)
    relay->tls_host_name = g_strdup (server->tls_host_name);
  g_mutex_unlock (&proxy->lock);
  if (server == NULL) {
    /* never a plain connection to something we do not know: it might be
     * a TLS server under another name */
    GST_DEBUG ("refused CONNECT to %s: not a configured TURN server", key);
    relay_refuse (relay, REPLY_FORBIDDEN);
    goto done;
  }
  relay->port = request->port;
  relay->server = relay->tls_host_name == NULL ? g_strdup (key) :
      strchr (relay->tls_host_name, ':') ?
      g_strdup_printf ("[%s]:%u", relay->tls_host_name, request->port) :
      g_strdup_printf ("%s:%u", relay->tls_host_name, request->port);
  GST_DEBUG ("connection %p: relaying to %s%s", relay, relay->server,
      relay->tls_host_name ? " over TLS" : " over plain TCP");
  relay_connect (relay, request->host);

done:
  g_free (key);
  sec_ice_proxy_request_free (request);
}

static void read_request (Relay * relay);

/* The length of the request head up to its empty line, or 0. */
static gsize
request_head_length (const gchar * data, gsize len)
{
  gsize i;

  for (i = 0; i + 4 <= len; i++)
    if (memcmp (data + i, "\r\n\r\n", 4) == 0)
      return i + 4;
  return 0;
}

static void
on_request_read (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Relay *relay = user_data;
  GError *error = NULL;
  gssize n;
  gsize head_len;

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
  head_len = request_head_length (relay->request, relay->request_len);
  if (head_len > 0) {
    relay_handle_request (relay, head_len);
  } else if (relay->request_len >= sizeof (relay->request)) {
    GST_DEBUG ("refused: CONNECT request longer than %d bytes", REQUEST_MAX);
    relay_refuse (relay, REPLY_BAD_REQUEST);
  } else {
    read_request (relay);
  }
}

static void
read_request (Relay * relay)
{
  g_input_stream_read_async (g_io_stream_get_input_stream
      (relay->downstream), relay->request + relay->request_len,
      sizeof (relay->request) - relay->request_len, G_PRIORITY_DEFAULT,
      relay->cancellable, on_request_read, relay);
}

/* user_data: the proxy, a reference the source holds */
static gboolean
on_incoming (GSocket * listener, GIOCondition condition, gpointer user_data)
{
  GstSecIceTlsProxy *proxy = user_data;
  GSocket *socket = g_socket_accept (listener, NULL, NULL);
  Relay *relay;
  gboolean closed;

  if (socket == NULL)
    return G_SOURCE_CONTINUE;
  if (proxy->n_connections >= GST_SEC_ICE_TLS_PROXY_MAX_CONNECTIONS) {
    gint64 now = g_get_monotonic_time ();

    /* at most once a second: anyone on the machine can cause it */
    if (now - proxy->last_busy_warning >= WARNING_INTERVAL_US) {
      GST_WARNING ("refusing connections: %d are open already",
          GST_SEC_ICE_TLS_PROXY_MAX_CONNECTIONS);
      proxy->last_busy_warning = now;
    }
    send_reply (socket, REPLY_BUSY);
    g_socket_close (socket, NULL);
    g_object_unref (socket);
    return G_SOURCE_CONTINUE;
  }

  relay = g_new0 (Relay, 1);
  relay->proxy = proxy_ref (proxy);
  relay->cancellable = g_cancellable_new ();
  relay->downstream =
      G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
  g_object_unref (socket);
  proxy->n_connections++;
  relay_set_timeout (relay, GST_SEC_ICE_TLS_PROXY_REQUEST_TIMEOUT_S);
  g_mutex_lock (&proxy->lock);
  closed = proxy->closed;
  g_hash_table_add (proxy->relays, relay);
  g_mutex_unlock (&proxy->lock);
  /* freed while this ran: _free () did not see this relay */
  if (closed)
    g_cancellable_cancel (relay->cancellable);
  read_request (relay);
  return G_SOURCE_CONTINUE;
}

/* Hex of CREDENTIAL_BYTES from the kernel's CSPRNG. */
static gchar *
make_password (GError ** error)
{
  guint8 bytes[CREDENTIAL_BYTES];
  gsize got = 0;
  gchar *hex;
  guint i;

  while (got < sizeof (bytes)) {
    gssize n = getrandom (bytes + got, sizeof (bytes) - got, 0);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      gint saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
          "no random bytes for the proxy credential: %s",
          g_strerror (saved));
      return NULL;
    }
    got += n;
  }
  hex = g_malloc (2 * sizeof (bytes) + 1);
  for (i = 0; i < sizeof (bytes); i++) {
    static const gchar digits[] = "0123456789abcdef";

    hex[2 * i] = digits[bytes[i] >> 4];
    hex[2 * i + 1] = digits[bytes[i] & 0xf];
  }
  hex[2 * sizeof (bytes)] = '\0';
  memset (bytes, 0, sizeof (bytes));
  return hex;
}

/* RFC 7617 §2: "Basic " base64(user-id ":" password) */
static gchar *
make_authorization (const gchar * username, const gchar * password)
{
  gchar *pair = g_strconcat (username, ":", password, NULL);
  gchar *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  gchar *authorization = g_strconcat ("Basic ", encoded, NULL);

  sec_ice_secret_free (pair);
  sec_ice_secret_free (encoded);
  return authorization;
}

GstSecIceTlsProxy *
gst_sec_ice_tls_proxy_new (GMainContext * context,
    GstSecIceTlsProxyErrorFunc on_error, gpointer user_data, GError ** error)
{
  static gsize debug_once = 0;
  GstSecIceTlsProxy *proxy;
  GInetAddress *loopback;
  GSocketAddress *address, *bound;
  gchar *password;

  if (g_once_init_enter (&debug_once)) {
    GST_DEBUG_CATEGORY_INIT (sec_ice_tls_proxy_debug, "secicetlsproxy", 0,
        "TURN over TLS for libnice");
    g_once_init_leave (&debug_once, 1);
  }

  password = make_password (error);
  if (password == NULL)
    return NULL;
  proxy = g_new0 (GstSecIceTlsProxy, 1);
  proxy->refcount = 1;
  proxy->context = g_main_context_ref (context);
  proxy->password = password;
  proxy->authorization = make_authorization (PROXY_USERNAME, password);
  proxy->on_error = on_error;
  proxy->on_error_data = user_data;
  proxy->last_busy_warning = G_MININT64 / 2;
  g_mutex_init (&proxy->lock);
  g_cond_init (&proxy->relays_gone);
  proxy->relays = g_hash_table_new (NULL, NULL);
  proxy->servers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      server_free);
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
  /* the source holds the proxy its callback dereferences */
  g_source_set_callback (proxy->accept_source, G_SOURCE_FUNC (on_incoming),
      proxy_ref (proxy), proxy_unref);
  g_source_attach (proxy->accept_source, context);
  return proxy;
}

guint16
gst_sec_ice_tls_proxy_get_port (GstSecIceTlsProxy * proxy)
{
  return proxy->port;
}

const gchar *
gst_sec_ice_tls_proxy_get_username (GstSecIceTlsProxy * proxy)
{
  return PROXY_USERNAME;
}

const gchar *
gst_sec_ice_tls_proxy_get_password (GstSecIceTlsProxy * proxy)
{
  return proxy->password;
}

gboolean
gst_sec_ice_tls_proxy_add_server (GstSecIceTlsProxy * proxy,
    const gchar * ip, guint16 port, const gchar * tls_host_name)
{
  gchar *canonical = sec_ice_address_canonical (ip);
  Server *existing, *server;
  gchar *key;

  if (canonical == NULL)
    return FALSE;
  key = server_key (canonical, port);
  g_free (canonical);
  g_mutex_lock (&proxy->lock);
  existing = g_hash_table_lookup (proxy->servers, key);
  if (existing && existing->tls_host_name && tls_host_name == NULL) {
    /* also configured for TLS: TLS it is (never the weaker way) */
    g_mutex_unlock (&proxy->lock);
    g_free (key);
    return TRUE;
  }
  server = g_new0 (Server, 1);
  server->tls_host_name = g_strdup (tls_host_name);
  g_hash_table_replace (proxy->servers, key, server);
  g_mutex_unlock (&proxy->lock);
  return TRUE;
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

/* On the ICE thread, where everything else of the proxy runs: closes the
 * listening socket (never under the accepting callback) and cancels every
 * connection (GLib 2.74's GCancellableSource can leak when it is
 * cancelled from another thread while its operation completes). */
static gboolean
close_on_ice_thread (gpointer user_data)
{
  GstSecIceTlsProxy *proxy = user_data;
  GHashTableIter iter;
  gpointer relay;

  g_socket_close (proxy->listener, NULL);
  g_mutex_lock (&proxy->lock);
  proxy->listener_closed = TRUE;
  g_cond_broadcast (&proxy->relays_gone);
  GST_DEBUG ("closing: %u connections to end",
      g_hash_table_size (proxy->relays));
  g_hash_table_iter_init (&iter, proxy->relays);
  while (g_hash_table_iter_next (&iter, &relay, NULL))
    g_cancellable_cancel (((Relay *) relay)->cancellable);
  g_mutex_unlock (&proxy->lock);
  return G_SOURCE_REMOVE;
}

void
gst_sec_ice_tls_proxy_free (GstSecIceTlsProxy * proxy)
{
  if (proxy == NULL)
    return;
  /* no new connection is accepted once this returns; one being accepted
   * now holds the source's reference to the proxy, and is cancelled at
   * once (closed) */
  g_source_destroy (proxy->accept_source);
  g_source_unref (proxy->accept_source);
  proxy->accept_source = NULL;
  g_mutex_lock (&proxy->lock);
  proxy->on_error = NULL;
  proxy->closed = TRUE;
  g_mutex_unlock (&proxy->lock);
  if (g_main_context_is_owner (proxy->context)) {
    /* the connections end after this returns */
    close_on_ice_thread (proxy);
  } else {
    GSource *source = g_idle_source_new ();
    gint64 deadline = g_get_monotonic_time () + CLOSE_WAIT_US;

    g_source_set_priority (source, G_PRIORITY_HIGH);
    g_source_set_callback (source, close_on_ice_thread, proxy_ref (proxy),
        proxy_unref);
    g_source_attach (source, proxy->context);
    g_source_unref (source);
    /* Wait for the connections to end while the ICE thread still runs
     * (the transport stops it after this): some end through another
     * thread first (glib-networking hands TLS handshakes to a worker),
     * and nothing may be left behind in the ICE thread's context. */
    g_mutex_lock (&proxy->lock);
    while (!proxy->listener_closed || g_hash_table_size (proxy->relays) > 0)
      if (!g_cond_wait_until (&proxy->relays_gone, &proxy->lock, deadline))
        break;
    if (g_hash_table_size (proxy->relays) > 0)
      GST_WARNING ("%u connections did not end within %d ms",
          g_hash_table_size (proxy->relays), (gint) (CLOSE_WAIT_US / 1000));
    g_mutex_unlock (&proxy->lock);
  }
  proxy_unref (proxy);
}
