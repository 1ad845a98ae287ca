/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secwhipsink and secwhipserversrc over https on 127.0.0.1: a publisher's
 * VP8 and Opus decoded on the server, the session deleted at EOS, and
 * every refusal of the endpoint and of the client with its HTTP status.
 * The server makes its own self-signed certificate; the test writes it
 * (the tls-certificate property) to a file that is the client's ca-file.
 */
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "seccheck.h"
#include "whipcert.h"
#include "whependpoint.h"

#define TOKEN "test-token.4f1c-9a7e_b2~d0+e/8="
#define WAIT_S 30

typedef struct
{
  gchar *dir;
  gchar *token_file;
  gchar *ca_file;
  GstElement *server_pipeline;
  GstElement *server;
  gchar *endpoint;
  GstElement *client_pipeline;
  GMutex lock;
  GCond cond;
  guint video_frames;
  guint audio_frames;
  GError *server_error;
  gchar *server_error_debug;
  SoupSession *http;
} Fixture;

static gboolean
wait_for (Fixture * f, guint * counter, guint at_least)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  gboolean ok;

  g_mutex_lock (&f->lock);
  while (*counter < at_least && f->server_error == NULL)
    if (!g_cond_wait_until (&f->cond, &f->lock, deadline))
      break;
  ok = *counter >= at_least;
  g_mutex_unlock (&f->lock);
  return ok;
}

static guint
counter_get (Fixture * f, guint * counter)
{
  guint value;

  g_mutex_lock (&f->lock);
  value = *counter;
  g_mutex_unlock (&f->lock);
  return value;
}

static void
on_frame (GstElement * sink, GstBuffer * buffer, GstPad * pad, gpointer data)
{
  Fixture *f = data;
  gboolean video = g_object_get_data (G_OBJECT (sink), "video") != NULL;

  g_mutex_lock (&f->lock);
  if (video)
    f->video_frames++;
  else
    f->audio_frames++;
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->lock);
}

/* A publisher's stream: depayload, decode, count. */
static void
on_server_pad (GstElement * server, GstPad * pad, Fixture * f)
{
  GstCaps *caps = gst_pad_query_caps (pad, NULL);
  const gchar *encoding =
      gst_structure_get_string (gst_caps_get_structure (caps, 0),
      "encoding-name");
  gboolean video = g_strcmp0 (encoding, "VP8") == 0;
  GstElement *branch = gst_parse_bin_from_description (video ?
      "queue ! rtpvp8depay ! vp8dec ! fakesink name=frames sync=false "
      "signal-handoffs=true" :
      "queue ! rtpopusdepay ! opusdec ! fakesink name=frames sync=false "
      "signal-handoffs=true", TRUE, NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (branch), "frames");
  GstPad *sinkpad;

  fail_unless (video || g_strcmp0 (encoding, "OPUS") == 0,
      "a stream of %" GST_PTR_FORMAT, caps);
  gst_caps_unref (caps);
  if (video)
    g_object_set_data (G_OBJECT (sink), "video", GINT_TO_POINTER (1));
  g_signal_connect (sink, "handoff", G_CALLBACK (on_frame), f);
  gst_object_unref (sink);
  gst_bin_add (GST_BIN (f->server_pipeline), branch);
  gst_element_sync_state_with_parent (branch);
  sinkpad = gst_element_get_static_pad (branch, "sink");
  fail_unless_equals_int (gst_pad_link (pad, sinkpad), GST_PAD_LINK_OK);
  gst_object_unref (sinkpad);
}

static GstBusSyncReply
on_server_message (GstBus * bus, GstMessage * message, gpointer data)
{
  Fixture *f = data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    g_mutex_lock (&f->lock);
    if (f->server_error == NULL)
      gst_message_parse_error (message, &f->server_error,
          &f->server_error_debug);
    g_cond_broadcast (&f->cond);
    g_mutex_unlock (&f->lock);
  }
  /* a sync handler that drops a message unrefs it: each message kept
   * would hold its source, and so the whole server pipeline */
  gst_message_unref (message);
  return GST_BUS_DROP;
}

static gchar *
write_file (Fixture * f, const gchar * name, const gchar * contents,
    gint mode)
{
  gchar *path = g_build_filename (f->dir, name, NULL);

  fail_unless (g_file_set_contents (path, contents, -1, NULL));
  fail_unless_equals_int (g_chmod (path, mode), 0);
  return path;
}

/* The endpoint, playing, with @properties (a launch line fragment). */
static Fixture *
fixture_new (const gchar * properties)
{
  Fixture *f = g_new0 (Fixture, 1);
  gchar *description, *certificate = NULL;
  GstBus *bus;
  guint port = 0;
  GTlsDatabase *database;

  sec_check_factory_is_ours ("secwhipserversrc");
  sec_check_factory_is_ours ("secwhipsink");
  sec_check_factory_is_ours ("secwebrtcbin");
  sec_check_factory_absent ("webrtcbin");

  g_mutex_init (&f->lock);
  g_cond_init (&f->cond);
  f->dir = g_dir_make_tmp ("secwhip-XXXXXX", NULL);
  fail_unless (f->dir != NULL);
  f->token_file = write_file (f, "token", TOKEN "\n", 0600);

  description = g_strdup_printf ("secwhipserversrc name=server port=0 "
      "local-addresses=127.0.0.1 auth-token-file=%s %s", f->token_file,
      properties != NULL ? properties : "");
  f->server_pipeline = gst_pipeline_new ("server");
  f->server = gst_parse_launch (description, NULL);
  g_free (description);
  fail_unless (f->server != NULL);
  gst_bin_add (GST_BIN (f->server_pipeline), gst_object_ref (f->server));
  g_signal_connect (f->server, "pad-added", G_CALLBACK (on_server_pad), f);
  bus = gst_element_get_bus (f->server_pipeline);
  gst_bus_set_sync_handler (bus, on_server_message, f, NULL);
  gst_object_unref (bus);

  /* READY: the server listens and has its certificate */
  fail_unless_equals_int (gst_element_set_state (f->server_pipeline,
          GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  g_object_get (f->server, "bound-port", &port, "tls-certificate",
      &certificate, NULL);
  fail_unless (port > 0);
  fail_unless (certificate != NULL
      && g_str_has_prefix (certificate, "-----BEGIN CERTIFICATE-----"));
  fail_if (strstr (certificate, "PRIVATE KEY") != NULL);
  f->ca_file = write_file (f, "ca.pem", certificate, 0644);
  g_free (certificate);
  f->endpoint = g_strdup_printf ("https://127.0.0.1:%u/whip", port);
  fail_if (gst_element_set_state (f->server_pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);

  database = g_tls_file_database_new (f->ca_file, NULL);
  fail_unless (database != NULL);
  f->http = soup_session_new_with_options ("tls-database", database,
      "timeout", 10, NULL);
  g_object_unref (database);
  return f;
}

static void
client_stop (Fixture * f)
{
  if (f->client_pipeline == NULL)
    return;
  gst_element_set_state (f->client_pipeline, GST_STATE_NULL);
  gst_clear_object (&f->client_pipeline);
}

static void
fixture_free (Fixture * f)
{
  client_stop (f);
  gst_element_set_state (f->server_pipeline, GST_STATE_NULL);
  gst_object_unref (f->server);
  gst_object_unref (f->server_pipeline);
  g_object_unref (f->http);
  g_unlink (f->token_file);
  g_unlink (f->ca_file);
  g_rmdir (f->dir);
  g_free (f->token_file);
  g_free (f->ca_file);
  g_free (f->dir);
  g_free (f->endpoint);
  g_clear_error (&f->server_error);
  g_free (f->server_error_debug);
  g_mutex_clear (&f->lock);
  g_cond_clear (&f->cond);
  g_free (f);
}

/* A publisher of VP8 and Opus; @properties are secwhipsink's. */
static GstElement *
client_new (Fixture * f, const gchar * properties)
{
  gchar *description = g_strdup_printf ("videotestsrc is-live=true "
      "! video/x-raw,width=160,height=120,framerate=30/1 "
      "! vp8enc deadline=1 ! rtpvp8pay ! w. "
      "audiotestsrc is-live=true ! opusenc ! rtpopuspay ! w. "
      "secwhipsink name=w local-addresses=127.0.0.1 %s", properties);
  GstElement *pipeline = gst_parse_launch (description, NULL);

  g_free (description);
  fail_unless (pipeline != NULL);
  return pipeline;
}

static void
client_start_with (Fixture * f, const gchar * extra)
{
  gchar *properties = g_strdup_printf ("whip-endpoint=%s ca-file=%s "
      "auth-token-file=%s %s", f->endpoint, f->ca_file, f->token_file,
      extra);

  f->client_pipeline = client_new (f, properties);
  g_free (properties);
  fail_if (gst_element_set_state (f->client_pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
}

static void
client_start (Fixture * f)
{
  client_start_with (f, "");
}

/* The first error on @pipeline's bus within WAIT_S (NULL when none). */
static GError *
pipeline_error (GstElement * pipeline, gchar ** debug)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *message = gst_bus_timed_pop_filtered (bus,
      WAIT_S * GST_SECOND, GST_MESSAGE_ERROR);
  GError *error = NULL;

  gst_object_unref (bus);
  if (message == NULL)
    return NULL;
  gst_message_parse_error (message, &error, debug);
  gst_message_unref (message);
  return error;
}

static guint
n_sessions (Fixture * f)
{
  guint n = 0;

  g_object_get (f->server, "n-sessions", &n, NULL);
  return n;
}

static gboolean
wait_sessions (Fixture * f, guint wanted)
{
  for (guint i = 0; i < WAIT_S * 20; i++) {
    if (n_sessions (f) == wanted)
      return TRUE;
    g_usleep (50 * 1000);
  }
  return FALSE;
}

/* One request to the endpoint (@path relative to it); returns the status
 * and, when asked, the response's header fields and body. */
static guint
http (Fixture * f, const gchar * method, const gchar * path,
    const gchar * const *headers, const gchar * content_type,
    const gchar * body, gsize length, SoupMessageHeaders ** response,
    gchar ** text)
{
  gchar *url = g_strconcat (f->endpoint, path, NULL);
  SoupMessage *message = soup_message_new (method, url);
  GBytes *received;
  GError *error = NULL;
  guint status;

  fail_unless (message != NULL, "bad URL %s", url);
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (message),
        headers[i], headers[i + 1]);
  if (body != NULL) {
    GBytes *bytes = g_bytes_new (body, length);
    soup_message_set_request_body_from_bytes (message, content_type, bytes);
    g_bytes_unref (bytes);
  }
  received = soup_session_send_and_read (f->http, message, NULL, &error);
  fail_unless (received != NULL, "%s %s: %s", method, url,
      error ? error->message : "");
  status = soup_message_get_status (message);
  if (response != NULL)
    *response = soup_message_headers_ref (soup_message_get_response_headers
        (message));
  if (text != NULL)
    *text = g_strndup (g_bytes_get_data (received, NULL),
        g_bytes_get_size (received));
  /* nothing we send as a credential ever comes back */
  fail_if (g_bytes_get_size (received) > 0 && g_strstr_len (g_bytes_get_data (received, NULL),
          g_bytes_get_size (received), TOKEN) != NULL);
  fail_if (g_bytes_get_size (received) > 0
      && g_strstr_len (g_bytes_get_data (received, NULL),
          g_bytes_get_size (received), "wrong-token-zz") != NULL);
  g_bytes_unref (received);
  g_object_unref (message);
  g_free (url);
  return status;
}

static gboolean
accept_any (GTlsConnection * connection, GTlsCertificate * certificate,
    GTlsCertificateFlags errors, gpointer data)
{
  return TRUE;
}

/* A POST to the endpoint, with the token, written on a TLS connection of
 * our own: @rest is the header fields after Content-Type, and the body.
 * Returns what the server answered within 10 s (its status line first). */
static gchar *
raw_request (Fixture * f, const gchar * rest)
{
  GSocketClient *client = g_socket_client_new ();
  GUri *uri = g_uri_parse (f->endpoint, G_URI_FLAGS_NONE, NULL);
  GSocketConnection *tcp = g_socket_client_connect_to_host (client,
      "127.0.0.1", g_uri_get_port (uri), NULL, NULL);
  GIOStream *tls;
  gchar *request, buffer[512] = { 0, };
  gssize n;

  fail_unless (tcp != NULL);
  g_socket_set_timeout (g_socket_connection_get_socket (tcp), 10);
  tls = g_tls_client_connection_new (G_IO_STREAM (tcp), NULL, NULL);
  fail_unless (tls != NULL);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any), NULL);
  fail_unless (g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL,
          NULL));
  request = g_strconcat ("POST /whip HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer " TOKEN "\r\n"
      "Content-Type: application/sdp\r\n", rest, NULL);
  fail_unless (g_output_stream_write_all (g_io_stream_get_output_stream
          (tls), request, strlen (request), NULL, NULL, NULL));
  n = g_input_stream_read (g_io_stream_get_input_stream (tls), buffer,
      sizeof buffer - 1, NULL, NULL);
  fail_unless (n > 0, "no answer to %s", rest);
  g_free (request);
  g_io_stream_close (tls, NULL, NULL);
  g_object_unref (tls);
  g_object_unref (tcp);
  g_uri_unref (uri);
  g_object_unref (client);
  return g_strndup (buffer, n);
}

static const gchar *const auth[] = {
  "Authorization", "Bearer " TOKEN, NULL
};

#define OFFER_LIKE "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"

GST_START_TEST (test_publish_vp8_opus)
{
  Fixture *f = fixture_new (NULL);
  GstStructure *client_info = NULL, *server_info = NULL;
  gboolean verified = FALSE;
  gchar *resource = NULL;
  GstBus *bus;
  GstMessage *eos;

  client_start (f);
  fail_unless (wait_for (f, &f->video_frames, 30), "%u video frames (%s)",
      f->video_frames, f->server_error_debug);
  fail_unless (wait_for (f, &f->audio_frames, 30), "%u audio frames",
      f->audio_frames);
  fail_unless_equals_int (n_sessions (f), 1);

  /* what both ends negotiated: the same verified call */
  {
    GstElement *sink = gst_bin_get_by_name (GST_BIN (f->client_pipeline),
        "w");
    gchar *state = NULL, *policy = NULL;

    g_object_get (sink, "security-info", &client_info, "resource-url",
        &resource, "connection-state", &state, "ice-transport-policy",
        &policy, NULL);
    /* the bin's enums, forwarded as their nicks */
    fail_unless_equals_string (state, "connected");
    fail_unless_equals_string (policy, "all");
    g_object_set (sink, "bundle-policy", "balanced", NULL);
    g_free (policy);
    g_object_get (sink, "bundle-policy", &policy, NULL);
    fail_unless_equals_string (policy, "balanced");
    g_free (state);
    g_free (policy);
    gst_object_unref (sink);
  }
  g_object_get (f->server, "security-info", &server_info, NULL);
  fail_unless (client_info != NULL && server_info != NULL);
  fail_unless (gst_structure_get_boolean (client_info,
          "fingerprint-verified", &verified) && verified);
  fail_unless (gst_structure_get_boolean (server_info,
          "fingerprint-verified", &verified) && verified);
  fail_unless_equals_string (gst_structure_get_string (client_info, "sas"),
      gst_structure_get_string (server_info, "sas"));
  fail_unless_equals_string (gst_structure_get_string (client_info,
          "remote-fingerprint"), gst_structure_get_string (server_info,
          "local-fingerprint"));
  fail_unless (resource != NULL && g_str_has_prefix (resource,
          f->endpoint) && strlen (resource) > strlen (f->endpoint) + 16,
      "resource %s", resource);

  /* EOS: the session is deleted before the client's pipeline ends */
  gst_element_send_event (f->client_pipeline, gst_event_new_eos ());
  bus = gst_element_get_bus (f->client_pipeline);
  eos = gst_bus_timed_pop_filtered (bus, WAIT_S * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (eos != NULL && GST_MESSAGE_TYPE (eos) == GST_MESSAGE_EOS);
  gst_message_unref (eos);
  gst_object_unref (bus);
  fail_unless (wait_sessions (f, 0), "%u sessions after EOS",
      n_sessions (f));
  /* and the session's URL is gone */
  fail_unless_equals_int (http (f, "DELETE", resource +
          strlen (f->endpoint), auth, NULL, NULL, 0, NULL, NULL), 404);
  fail_unless (f->server_error == NULL, "%s", f->server_error_debug);

  gst_structure_free (client_info);
  gst_structure_free (server_info);
  g_free (resource);
  fixture_free (f);
}

GST_END_TEST;

GST_START_TEST (test_endpoint_refusals)
{
  Fixture *f = fixture_new ("max-sessions=1 "
      "allowed-origins=https://good.example");
  static const gchar *const no_auth[] = { NULL };
  static const gchar *const wrong[] = {
    "Authorization", "Bearer wrong-token-zz", NULL
  };
  static const gchar *const basic[] = {
    "Authorization", "Basic dXNlcjpwYXNz", NULL
  };
  static const gchar *const evil[] = {
    "Authorization", "Bearer " TOKEN, "Origin", "https://evil.example", NULL
  };
  static const gchar *const preflight[] = {
    "Origin", "https://good.example",
    "Access-Control-Request-Method", "POST", NULL
  };
  SoupMessageHeaders *headers = NULL;
  gchar *text = NULL, *other;
  guint frames, status = 0, tries;

  /* credentials: 401 and a Bearer challenge */
  fail_unless_equals_int (http (f, "POST", "", no_auth, "application/sdp",
          OFFER_LIKE, strlen (OFFER_LIKE), &headers, NULL), 401);
  fail_unless (g_str_has_prefix (soup_message_headers_get_one (headers,
              "WWW-Authenticate"), "Bearer"));
  soup_message_headers_unref (headers);
  fail_unless_equals_int (http (f, "POST", "", wrong, "application/sdp",
          OFFER_LIKE, strlen (OFFER_LIKE), NULL, &text), 401);
  fail_unless (strstr (text, "wrong bearer token") != NULL, "%s", text);
  g_free (text);
  fail_unless_equals_int (http (f, "POST", "", basic, "application/sdp",
          OFFER_LIKE, strlen (OFFER_LIKE), NULL, NULL), 401);

  /* CORS: an origin not in the list, then the one that is */
  fail_unless_equals_int (http (f, "POST", "", evil, "application/sdp",
          OFFER_LIKE, strlen (OFFER_LIKE), &headers, NULL), 403);
  fail_if (soup_message_headers_get_one (headers,
          "Access-Control-Allow-Origin") != NULL);
  soup_message_headers_unref (headers);
  fail_unless_equals_int (http (f, "OPTIONS", "", preflight, NULL, NULL, 0,
          &headers, NULL), 204);
  fail_unless_equals_string (soup_message_headers_get_one (headers,
          "Access-Control-Allow-Origin"), "https://good.example");
  fail_unless (strstr (soup_message_headers_get_one (headers,
              "Access-Control-Allow-Headers"), "Authorization") != NULL);
  soup_message_headers_unref (headers);

  /* bodies: over 64 KiB (refused from the header, before the body is
   * read: the server does not wait for 100 MB), of unknown length, not
   * SDP, not application/sdp */
  text = raw_request (f, "Content-Length: 100000000\r\n\r\nv=0\r\n");
  fail_unless (g_str_has_prefix (text, "HTTP/1.1 413 "), "%s", text);
  g_free (text);
  text = raw_request (f, "Transfer-Encoding: chunked\r\n\r\n5\r\nv=0\r\n\r\n");
  fail_unless (g_str_has_prefix (text, "HTTP/1.1 411 "), "%s", text);
  g_free (text);
  fail_unless_equals_int (http (f, "POST", "", auth, "application/sdp",
          "hello", 5, NULL, NULL), 400);
  fail_unless_equals_int (http (f, "POST", "", auth, "application/sdp",
          "v=0\r\nhello\r\n", 12, NULL, &text), 400);
  fail_unless (strstr (text, "not an SDP line") != NULL, "%s", text);
  g_free (text);
  fail_unless_equals_int (http (f, "POST", "", auth, "text/plain",
          OFFER_LIKE, strlen (OFFER_LIKE), NULL, NULL), 415);
  fail_unless_equals_int (n_sessions (f), 0);

  /* a publisher; then another one is one too many */
  client_start (f);
  fail_unless (wait_for (f, &f->video_frames, 10));
  fail_unless_equals_int (http (f, "POST", "", auth, "application/sdp",
          OFFER_LIKE, strlen (OFFER_LIKE), &headers, NULL), 503);
  fail_unless (soup_message_headers_get_one (headers, "Retry-After"));
  soup_message_headers_unref (headers);

  /* another publisher's session: 404, and it goes on */
  other = g_strdup_printf ("/%032x", 0x1234);
  fail_unless_equals_int (http (f, "DELETE", other, auth, NULL, NULL, 0,
          NULL, NULL), 404);
  fail_unless_equals_int (http (f, "PATCH", other, auth,
          "application/trickle-ice-sdpfrag", "a=ice-ufrag:abcd\r\n", 18,
          NULL, NULL), 404);
  g_free (other);
  fail_unless_equals_int (n_sessions (f), 1);
  frames = counter_get (f, &f->video_frames);
  fail_unless (wait_for (f, &f->video_frames, frames + 10),
      "the publisher stopped after the refused DELETE");

  /* a flood of bad tokens: 429, then even the right token is refused */
  for (tries = 0; tries < 20; tries++) {
    status = http (f, "POST", "", wrong, "application/sdp", OFFER_LIKE,
        strlen (OFFER_LIKE), NULL, NULL);
    if (status == 429)
      break;
    fail_unless_equals_int (status, 401);
  }
  fail_unless_equals_int (status, 429);
  fail_unless_equals_int (http (f, "POST", "", auth, "application/sdp",
          OFFER_LIKE, strlen (OFFER_LIKE), &headers, NULL), 429);
  fail_unless (atoi (soup_message_headers_get_one (headers,
              "Retry-After")) > 0);
  soup_message_headers_unref (headers);
  /* the running call is not concerned */
  fail_unless_equals_int (n_sessions (f), 1);
  fail_unless (f->server_error == NULL, "%s", f->server_error_debug);
  fixture_free (f);
}

GST_END_TEST;

/* The client's own refusals: each an element error, before a session. */
static void
check_client_error (Fixture * f, const gchar * properties,
    const gchar * in_message, const gchar * in_debug)
{
  GstElement *pipeline = client_new (f, properties);
  GError *error;
  gchar *debug = NULL;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  error = pipeline_error (pipeline, &debug);
  GST_INFO ("case %s: %s", properties, error ? error->message : "none");
  fail_unless (error != NULL, "no error with %s", properties);
  fail_unless (strstr (error->message, in_message) != NULL, "%s (%s)",
      error->message, debug);
  fail_unless (debug != NULL && strstr (debug, in_debug) != NULL, "%s",
      debug);
  fail_if (strstr (debug, TOKEN) != NULL || strstr (error->message,
          TOKEN) != NULL || strstr (debug, "wrong-token-zz") != NULL);
  g_error_free (error);
  g_free (debug);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

GST_START_TEST (test_client_refusals)
{
  Fixture *f = fixture_new (NULL);
  gchar *properties, *wrong_file, *exposed_file;
  guint64 requests = 1;

  /* the server's certificate is not trusted: no request reaches it */
  properties = g_strdup_printf ("whip-endpoint=%s auth-token-file=%s",
      f->endpoint, f->token_file);
  check_client_error (f, properties, "not trusted", "TLS certificate");
  g_free (properties);
  g_object_get (f->server, "requests", &requests, NULL);
  fail_unless_equals_int (requests, 0);

  /* a wrong token: the error names the status and the endpoint */
  wrong_file = write_file (f, "wrong", "wrong-token-zz", 0600);
  properties = g_strdup_printf ("whip-endpoint=%s ca-file=%s "
      "auth-token-file=%s", f->endpoint, f->ca_file, wrong_file);
  check_client_error (f, properties, "refused our credentials", "401");
  check_client_error (f, properties, "refused our credentials", f->endpoint);
  g_free (properties);

  /* a token file others can read */
  exposed_file = write_file (f, "exposed", TOKEN, 0644);
  properties = g_strdup_printf ("whip-endpoint=%s ca-file=%s "
      "auth-token-file=%s", f->endpoint, f->ca_file, exposed_file);
  check_client_error (f, properties, "bearer token", "chmod");
  g_free (properties);

  /* http to anything but loopback */
  properties = g_strdup_printf ("whip-endpoint=http://192.0.2.1/whip "
      "auth-token-file=%s", f->token_file);
  check_client_error (f, properties, "not usable", "only https");
  g_free (properties);

  /* a path that is not the endpoint */
  properties = g_strdup_printf ("whip-endpoint=%s/nothing ca-file=%s "
      "auth-token-file=%s", f->endpoint, f->ca_file, f->token_file);
  check_client_error (f, properties, "not found", "404");
  g_free (properties);

  fail_unless_equals_int (n_sessions (f), 0);
  g_unlink (wrong_file);
  g_unlink (exposed_file);
  g_free (wrong_file);
  g_free (exposed_file);
  fixture_free (f);
}

GST_END_TEST;

/* --- WHEP: secwhepsrc plays what a WHEP endpoint sends --------------- */

typedef struct
{
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  SoupServer *server;
  SecWhepEndpoint *endpoint;
} WhepServer;

static gpointer
whep_thread (gpointer data)
{
  WhepServer *whep = data;

  g_main_context_push_thread_default (whep->context);
  g_main_loop_run (whep->loop);
  g_main_context_pop_thread_default (whep->context);
  return NULL;
}

/* A WHEP endpoint on https://127.0.0.1:PORT/whep, its certificate made
 * here and written to @f's ca-file. */
static WhepServer *
whep_server_new (Fixture * f, gchar ** endpoint_url)
{
  static const gchar *const senders[] = {
    "videotestsrc is-live=true ! video/x-raw,width=160,height=120,"
        "framerate=30/1 ! vp8enc deadline=1 ! rtpvp8pay",
    "audiotestsrc is-live=true ! opusenc ! rtpopuspay",
    NULL
  };
  WhepServer *whep = g_new0 (WhepServer, 1);
  gchar *cert = NULL, *key = NULL, *fingerprint = NULL, *pem;
  GTlsCertificate *certificate;
  GSList *uris;

  fail_unless (sec_whip_self_signed_new ("127.0.0.1", &cert, &key,
          &fingerprint, NULL));
  pem = g_strconcat (cert, key, NULL);
  certificate = g_tls_certificate_new_from_pem (pem, -1, NULL);
  fail_unless (certificate != NULL);
  g_free (f->ca_file);
  f->ca_file = write_file (f, "whep-ca.pem", cert, 0644);

  whep->context = g_main_context_new ();
  whep->loop = g_main_loop_new (whep->context, FALSE);
  g_main_context_push_thread_default (whep->context);
  whep->server = soup_server_new ("tls-certificate", certificate, NULL);
  whep->endpoint = sec_whep_endpoint_new (whep->server, "/whep", TOKEN,
      senders, "127.0.0.1", NULL);
  fail_unless (soup_server_listen_local (whep->server, 0,
          SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY, NULL));
  g_main_context_pop_thread_default (whep->context);
  uris = soup_server_get_uris (whep->server);
  *endpoint_url = g_strdup_printf ("https://127.0.0.1:%d/whep",
      g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  whep->thread = g_thread_new ("whep-server", whep_thread, whep);

  g_object_unref (certificate);
  g_free (pem);
  g_free (cert);
  g_free (key);
  g_free (fingerprint);
  return whep;
}

static gboolean
whep_quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
whep_server_free (WhepServer * whep)
{
  g_main_context_invoke (whep->context, whep_quit, whep->loop);
  g_thread_join (whep->thread);
  soup_server_disconnect (whep->server);
  sec_whep_endpoint_free (whep->endpoint);
  g_object_unref (whep->server);
  g_main_loop_unref (whep->loop);
  g_main_context_unref (whep->context);
  g_free (whep);
}

GST_START_TEST (test_whep_play)
{
  Fixture *f = fixture_new (NULL);
  gchar *url = NULL, *description;
  WhepServer *whep = whep_server_new (f, &url);
  GstElement *src;
  GstStructure *info = NULL, *server_info;
  gboolean verified = FALSE;

  sec_check_factory_is_ours ("secwhepsrc");
  /* the fixture's endpoint is not used: frames are counted the same way */
  description = g_strdup_printf ("secwhepsrc name=src whep-endpoint=%s "
      "ca-file=%s auth-token-file=%s local-addresses=127.0.0.1", url,
      f->ca_file, f->token_file);
  f->client_pipeline = gst_pipeline_new ("player");
  src = gst_parse_launch (description, NULL);
  g_free (description);
  fail_unless (src != NULL);
  gst_bin_add (GST_BIN (f->client_pipeline), src);
  /* the decoding branches go into the player's pipeline */
  {
    GstElement *server_pipeline = f->server_pipeline;

    f->server_pipeline = f->client_pipeline;
    g_signal_connect (src, "pad-added", G_CALLBACK (on_server_pad), f);
    fail_if (gst_element_set_state (f->client_pipeline, GST_STATE_PLAYING)
        == GST_STATE_CHANGE_FAILURE);
    fail_unless (wait_for (f, &f->video_frames, 30), "%u video frames",
        f->video_frames);
    fail_unless (wait_for (f, &f->audio_frames, 30), "%u audio frames",
        f->audio_frames);
    f->server_pipeline = server_pipeline;
  }
  fail_unless_equals_int (sec_whep_endpoint_n_sessions (whep->endpoint), 1);
  g_object_get (src, "security-info", &info, NULL);
  server_info = sec_whep_endpoint_security_info (whep->endpoint);
  fail_unless (info != NULL && server_info != NULL);
  fail_unless (gst_structure_get_boolean (info, "fingerprint-verified",
          &verified) && verified);
  fail_unless_equals_string (gst_structure_get_string (info, "sas"),
      gst_structure_get_string (server_info, "sas"));

  /* stopping deletes the session */
  client_stop (f);
  fail_unless_equals_int (sec_whep_endpoint_n_sessions (whep->endpoint), 0);

  gst_structure_free (info);
  gst_structure_free (server_info);
  whep_server_free (whep);
  g_free (url);
  fixture_free (f);
}

GST_END_TEST;

/* What ICE does after a restart: checking, then connected again. */
typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean armed, checking, connected;
} IceWatch;

static void
on_ice_state (GstElement * webrtcbin, GParamSpec * pspec, IceWatch * watch)
{
  GEnumClass *klass = g_type_class_ref (pspec->value_type);
  GEnumValue *value;
  gint state = 0;

  g_object_get (webrtcbin, "ice-connection-state", &state, NULL);
  value = g_enum_get_value (klass, state);
  g_mutex_lock (&watch->lock);
  if (watch->armed && value != NULL) {
    if (strcmp (value->value_nick, "checking") == 0)
      watch->checking = TRUE;
    else if (watch->checking && (strcmp (value->value_nick, "connected") == 0
            || strcmp (value->value_nick, "completed") == 0))
      watch->connected = TRUE;
  }
  g_cond_broadcast (&watch->cond);
  g_mutex_unlock (&watch->lock);
  g_type_class_unref (klass);
}

/* restart-ice on @sink: TRUE, ICE checks again and connects again, and
 * 30 more video frames are decoded on the server. */
static void
restart_and_check (Fixture * f, GstElement * sink, IceWatch * watch)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  gboolean restarted = FALSE;
  guint frames;

  g_mutex_lock (&watch->lock);
  watch->armed = TRUE;
  watch->checking = watch->connected = FALSE;
  g_mutex_unlock (&watch->lock);
  g_signal_emit_by_name (sink, "restart-ice", &restarted);
  fail_unless (restarted, "restart-ice refused");
  g_mutex_lock (&watch->lock);
  while (!watch->connected)
    if (!g_cond_wait_until (&watch->cond, &watch->lock, deadline))
      break;
  fail_unless (watch->checking && watch->connected,
      "ICE after the restart: checking %d, connected again %d",
      watch->checking, watch->connected);
  watch->armed = FALSE;
  g_mutex_unlock (&watch->lock);
  frames = counter_get (f, &f->video_frames);
  fail_unless (wait_for (f, &f->video_frames, frames + 30),
      "%u video frames after the restart (%u before)",
      counter_get (f, &f->video_frames), frames);
}

/* RFC 9725 §4.3: the endpoint's OPTIONS says it takes PATCHes, so the
 * client POSTs its offer at once and trickles its candidates; an ICE
 * restart by PATCH keeps the call (same DTLS association: same SAS) and
 * its media; with trickle=false the offer carries every candidate and
 * no PATCH is sent. */
GST_START_TEST (test_trickle_and_ice_restart)
{
  Fixture *f = fixture_new (NULL);
  IceWatch watch = { 0, };
  GstStructure *before = NULL, *after = NULL, *server_info = NULL;
  GstElement *sink, *webrtc;
  guint64 requests = 0, requests_before = 0;
  gboolean verified = FALSE;
  gchar *state = NULL;
  guint frames;

  g_mutex_init (&watch.lock);
  g_cond_init (&watch.cond);
  client_start (f);
  fail_unless (wait_for (f, &f->video_frames, 30), "%u video frames (%s)",
      f->video_frames, f->server_error_debug);
  /* OPTIONS, POST, and at least one PATCH of candidates */
  g_object_get (f->server, "requests", &requests, NULL);
  fail_unless (requests >= 3, "%" G_GUINT64_FORMAT " requests", requests);

  sink = gst_bin_get_by_name (GST_BIN (f->client_pipeline), "w");
  webrtc = gst_bin_get_by_name (GST_BIN (sink), "webrtc");
  fail_unless (webrtc != NULL);
  g_signal_connect (webrtc, "notify::ice-connection-state",
      G_CALLBACK (on_ice_state), &watch);
  g_object_get (sink, "security-info", &before, NULL);
  fail_unless (before != NULL);

  restart_and_check (f, sink, &watch);
  /* a second one: the session's ufrag and ETag are the new ones */
  restart_and_check (f, sink, &watch);

  g_object_get (sink, "security-info", &after, "connection-state", &state,
      NULL);
  g_object_get (f->server, "security-info", &server_info, NULL);
  fail_unless (after != NULL && server_info != NULL);
  fail_unless_equals_string (state, "connected");
  fail_unless (gst_structure_get_boolean (after, "fingerprint-verified",
          &verified) && verified);
  fail_unless_equals_string (gst_structure_get_string (after, "sas"),
      gst_structure_get_string (before, "sas"));
  fail_unless_equals_string (gst_structure_get_string (after, "sas"),
      gst_structure_get_string (server_info, "sas"));
  fail_unless_equals_int (n_sessions (f), 1);
  g_signal_handlers_disconnect_by_data (webrtc, &watch);
  gst_object_unref (webrtc);
  gst_object_unref (sink);
  client_stop (f);
  fail_unless (wait_sessions (f, 0), "%u sessions", n_sessions (f));

  /* trickle off: OPTIONS and POST, nothing more */
  g_object_get (f->server, "requests", &requests_before, NULL);
  frames = counter_get (f, &f->video_frames);
  client_start_with (f, "trickle=false");
  fail_unless (wait_for (f, &f->video_frames, frames + 30),
      "%u video frames", counter_get (f, &f->video_frames));
  g_object_get (f->server, "requests", &requests, NULL);
  fail_unless_equals_int ((gint) (requests - requests_before), 2);
  fail_unless (f->server_error == NULL, "%s", f->server_error_debug);

  gst_structure_free (before);
  gst_structure_free (after);
  gst_structure_free (server_info);
  g_free (state);
  g_mutex_clear (&watch.lock);
  g_cond_clear (&watch.cond);
  fixture_free (f);
}

GST_END_TEST;

static Suite *
secwhip_suite (void)
{
  Suite *s = suite_create ("secwhip");
  TCase *tc = tcase_create ("whip");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_publish_vp8_opus);
  tcase_add_test (tc, test_endpoint_refusals);
  tcase_add_test (tc, test_client_refusals);
  tcase_add_test (tc, test_whep_play);
  tcase_add_test (tc, test_trickle_and_ice_restart);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (secwhip);
