/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The HTTP side of a WHIP or WHEP client: see gstsecwhipclient.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecwhipclient.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gstsecwhipcommon.h"
#include "iceserver.h"
#include "whiplink.h"

GST_DEBUG_CATEGORY_STATIC (gst_sec_whip_client_debug);
#define GST_CAT_DEFAULT gst_sec_whip_client_debug

/* RFC 9725 §4.5: redirections the client follows */
#define MAX_REDIRECTS 5
/* what an error quotes of the server's answer */
#define MAX_QUOTED 200

static gboolean
client_open (GstSecWhipClient * client)
{
  GError *error = NULL;
  gboolean plain = FALSE;
  GUri *uri = gst_sec_whip_check_url (client->endpoint, &plain, &error);

  if (uri == NULL) {
    GST_ELEMENT_ERROR (client->element, RESOURCE, SETTINGS,
        (_("The endpoint URL is not usable.")), ("%s endpoint: %s",
            client->protocol, error->message));
    g_error_free (error);
    return FALSE;
  }
  if (plain) {
    gchar *shown = gst_sec_whip_url_for_log (uri);
    GST_ELEMENT_WARNING (client->element, RESOURCE, SETTINGS,
        (_("The endpoint is plain http: signaling is not encrypted.")),
        ("%s is http, taken only because it is a loopback address; use "
            "https anywhere else", shown));
    g_free (shown);
  }
  g_uri_unref (uri);
  client->session = gst_sec_whip_session_new (client->ca_file,
      client->timeout_s, &error);
  if (client->session == NULL) {
    GST_ELEMENT_ERROR (client->element, RESOURCE, SETTINGS,
        (_("The certificates to trust could not be read.")),
        ("ca-file %s: %s", client->ca_file, error->message));
    g_error_free (error);
    return FALSE;
  }
  /* TURN URIs hold their credentials */
  client->ice_servers = g_ptr_array_new_with_free_func ((GDestroyNotify)
      sec_ice_secret_free);
  return TRUE;
}

gboolean
gst_sec_whip_client_start (GstSecWhipClient * client, GstElement * element,
    const gchar * protocol, const gchar * endpoint, const gchar * ca_file,
    guint timeout_s, GstSecWhipToken * token)
{
  static gsize debug_done;
  GError *error = NULL;

  if (g_once_init_enter (&debug_done)) {
    GST_DEBUG_CATEGORY_INIT (gst_sec_whip_client_debug, "secwhipclient", 0,
        "WHIP/WHEP client requests");
    g_once_init_leave (&debug_done, 1);
  }
  gst_sec_whip_client_clear (client);
  client->element = element;
  client->protocol = protocol;
  client->endpoint = g_strdup (endpoint);
  client->ca_file = g_strdup (ca_file);
  client->timeout_s = timeout_s;
  client->cancellable = g_cancellable_new ();
  gst_sec_whip_token_warn (token, element);
  GST_OBJECT_LOCK (element);
  client->token = gst_sec_whip_token_resolve (token, &error);
  GST_OBJECT_UNLOCK (element);
  if (error != NULL) {
    GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
        (_("The bearer token could not be read.")), ("%s", error->message));
    g_error_free (error);
    return FALSE;
  }
  return client_open (client);
}

void
gst_sec_whip_client_stop (GstSecWhipClient * client, GThread * thread)
{
  if (client->cancellable != NULL)
    g_cancellable_cancel (client->cancellable);
  if (thread != NULL)
    g_thread_join (thread);
}

/* The first line of @body, up to MAX_QUOTED printable characters. */
static gchar *
quote_body (GBytes * body)
{
  gsize len = 0;
  const gchar *data = body ? g_bytes_get_data (body, &len) : NULL;
  GString *text = g_string_new (NULL);

  for (gsize i = 0; data != NULL && i < len && i < MAX_QUOTED; i++) {
    if (data[i] == '\n' || data[i] == '\r')
      break;
    g_string_append_c (text, g_ascii_isprint (data[i]) ? data[i] : '?');
  }
  return g_string_free (text, FALSE);
}

static void
post_http_error (GstSecWhipClient * client, const gchar * method,
    GUri * uri, guint status, const gchar * reason, GBytes * body)
{
  gchar *shown = gst_sec_whip_url_for_log (uri);
  gchar *quoted = quote_body (body);

#define HTTP_ERROR(code, text)                                          \
  GST_ELEMENT_ERROR (client->element, RESOURCE, code, (text),           \
      ("%s %s answered %u %s%s%s", method, shown, status,               \
          reason != NULL ? reason : "", *quoted ? ": " : "", quoted))
  if (status == 401 || status == 403)
    HTTP_ERROR (NOT_AUTHORIZED, _("The endpoint refused our credentials."));
  else if (status == 404)
    HTTP_ERROR (NOT_FOUND, _("The endpoint was not found."));
  else
    HTTP_ERROR (FAILED, _("The endpoint refused the session."));
#undef HTTP_ERROR
  g_free (shown);
  g_free (quoted);
}

static void
apply_links (GstSecWhipClient * client, SoupMessageHeaders * headers)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value)) {
    GPtrArray *servers;
    GError *error = NULL;

    if (g_ascii_strcasecmp (name, "Link") != 0)
      continue;
    servers = sec_whip_ice_servers_new ();
    if (!sec_whip_link_parse (value, servers, &error)) {
      GST_WARNING_OBJECT (client->element, "Link ignored: %s",
          error->message);
      g_clear_error (&error);
    }
    for (guint i = 0; i < servers->len; i++) {
      gboolean is_turn = FALSE;
      gchar *server = sec_whip_ice_server_to_uri (servers->pdata[i],
          &is_turn, &error);

      if (server != NULL)
        g_ptr_array_add (client->ice_servers, server);
      else {
        GST_WARNING_OBJECT (client->element, "ice-server ignored: %s",
            error->message);
        g_clear_error (&error);
      }
    }
    g_ptr_array_unref (servers);
  }
}

static SoupMessage *
request_new (GstSecWhipClient * client, const gchar * method, GUri * uri)
{
  SoupMessage *message = soup_message_new_from_uri (method, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  /* redirections are ours to check (https rule) */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  if (client->token != NULL) {
    gchar *value = g_strconcat ("Bearer ", client->token, NULL);
    soup_message_headers_replace (headers, "Authorization", value);
    gst_sec_whip_secret_free (value);
  }
  return message;
}

static gboolean
takes_trickle (SoupMessageHeaders * headers)
{
  const gchar *accept = soup_message_headers_get_list (headers,
      "Accept-Patch");
  gchar **types;
  gboolean found = FALSE;

  if (accept == NULL)
    return FALSE;
  types = g_strsplit (accept, ",", -1);
  for (gchar ** type = types; *type != NULL && !found; type++) {
    gchar *bare = g_strstrip (g_strdup (*type)), *semicolon;

    semicolon = strchr (bare, ';');
    if (semicolon != NULL)
      *semicolon = '\0';
    g_strstrip (bare);
    found = g_ascii_strcasecmp (bare, "application/trickle-ice-sdpfrag") == 0;
    g_free (bare);
  }
  g_strfreev (types);
  return found;
}

gboolean
gst_sec_whip_client_options (GstSecWhipClient * client)
{
  GUri *uri = g_uri_parse (client->endpoint, SOUP_HTTP_URI_FLAGS, NULL);
  SoupMessage *message;
  SoupMessageHeaders *headers;
  GError *error = NULL;
  GBytes *body;
  guint status;

  if (uri == NULL)
    return TRUE;
  message = request_new (client, "OPTIONS", uri);
  body = soup_session_send_and_read (client->session, message,
      client->cancellable, &error);
  if (body == NULL) {
    /* the POST that follows says what is wrong */
    GST_INFO_OBJECT (client->element, "OPTIONS: %s", error->message);
    g_error_free (error);
    g_object_unref (message);
    g_uri_unref (uri);
    return TRUE;
  }
  status = soup_message_get_status (message);
  headers = soup_message_get_response_headers (message);
  if (status == 401 || status == 403) {
    /* a failed authentication counts against us at the endpoint: not
     * twice */
    post_http_error (client, "OPTIONS", uri, status,
        soup_message_get_reason_phrase (message), body);
    g_bytes_unref (body);
    g_object_unref (message);
    g_uri_unref (uri);
    return FALSE;
  }
  g_bytes_unref (body);
  g_uri_unref (uri);
  if (status < 200 || status >= 300) {
    GST_INFO_OBJECT (client->element, "OPTIONS answered %u", status);
    g_object_unref (message);
    return TRUE;
  }
  apply_links (client, headers);
  client->accept_patch = takes_trickle (headers);
  GST_INFO_OBJECT (client->element, "OPTIONS: %u ICE servers, trickle %s",
      client->ice_servers->len, client->accept_patch ? "taken" : "not taken");
  g_object_unref (message);
  return TRUE;
}

guint
gst_sec_whip_client_patch (GstSecWhipClient * client, const gchar * body,
    gboolean restart, gchar ** reply, GError ** error)
{
  GUri *uri;
  SoupMessage *message;
  SoupMessageHeaders *headers;
  GBytes *sent, *answer;
  const gchar *etag;
  guint status;

  if (client->resource == NULL || client->session == NULL) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
        "there is no session to PATCH");
    return 0;
  }
  uri = g_uri_parse (client->resource, SOUP_HTTP_URI_FLAGS, error);
  if (uri == NULL)
    return 0;
  message = request_new (client, "PATCH", uri);
  g_uri_unref (uri);
  headers = soup_message_get_request_headers (message);
  /* RFC 9725 §4.3.1 and §4.3.2 */
  soup_message_headers_replace (headers, "If-Match", restart ? "*" :
      client->etag != NULL ? client->etag : "*");
  sent = g_bytes_new (body, strlen (body));
  soup_message_set_request_body_from_bytes (message,
      "application/trickle-ice-sdpfrag", sent);
  g_bytes_unref (sent);
  answer = soup_session_send_and_read (client->session, message,
      client->cancellable, error);
  if (answer == NULL) {
    g_object_unref (message);
    return 0;
  }
  status = soup_message_get_status (message);
  etag = soup_message_headers_get_one (soup_message_get_response_headers
      (message), "ETag");
  if (status >= 200 && status < 300 && etag != NULL) {
    g_free (client->etag);
    client->etag = g_strdup (etag);
  }
  if (status == 200 && reply != NULL)
    *reply = g_strndup (g_bytes_get_data (answer, NULL),
        g_bytes_get_size (answer));
  else if (status < 200 || status >= 300) {
    gchar *quoted = quote_body (answer);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "PATCH answered %u %s%s%s", status,
        soup_message_get_reason_phrase (message), *quoted ? ": " : "",
        quoted);
    g_free (quoted);
  }
  g_bytes_unref (answer);
  g_object_unref (message);
  return status;
}

gchar *
gst_sec_whip_client_post (GstSecWhipClient * client, const gchar * offer)
{
  GUri *uri = g_uri_parse (client->endpoint, SOUP_HTTP_URI_FLAGS, NULL);
  gchar *answer = NULL;

  for (guint redirects = 0; uri != NULL; redirects++) {
    SoupMessage *message = request_new (client, "POST", uri);
    GError *error = NULL;
    GBytes *body, *sent = g_bytes_new (offer, strlen (offer));
    guint status;
    const gchar *location;

    soup_message_set_request_body_from_bytes (message, "application/sdp",
        sent);
    g_bytes_unref (sent);
    body = soup_session_send_and_read (client->session, message,
        client->cancellable, &error);
    if (body == NULL) {
      gchar *shown = gst_sec_whip_url_for_log (uri);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        GST_ELEMENT_ERROR (client->element, RESOURCE, OPEN_WRITE,
            (error->domain == G_TLS_ERROR ?
                _("The endpoint's certificate is not trusted.") :
                _("The endpoint could not be reached.")),
            ("POST %s: %s%s", shown, error->message,
                error->domain == G_TLS_ERROR ? " (give its certificate "
                "authority as ca-file)" : ""));
      g_free (shown);
      g_error_free (error);
      g_object_unref (message);
      break;
    }
    status = soup_message_get_status (message);
    location = soup_message_headers_get_one
        (soup_message_get_response_headers (message), "Location");

    if ((status == 307 || status == 308) && location != NULL
        && redirects < MAX_REDIRECTS) {
      GUri *next = g_uri_parse_relative (uri, location, SOUP_HTTP_URI_FLAGS,
          NULL);
      gboolean plain = FALSE;
      gchar *text = next ? g_uri_to_string (next) : NULL;
      GUri *checked = text ? gst_sec_whip_check_url (text, &plain,
          &error) : NULL;

      g_free (text);
      g_clear_pointer (&next, g_uri_unref);
      if (checked == NULL) {
        gchar *shown = gst_sec_whip_url_for_log (uri);
        GST_ELEMENT_ERROR (client->element, RESOURCE, OPEN_WRITE,
            (_("The endpoint redirected to a URL that is not usable.")),
            ("POST %s answered %u to %s", shown, status,
                error != NULL ? error->message : "an invalid URL"));
        g_free (shown);
        g_clear_error (&error);
        g_bytes_unref (body);
        g_object_unref (message);
        break;
      }
      GST_INFO_OBJECT (client->element, "redirected (%u)", status);
      g_uri_unref (uri);
      uri = checked;
      g_bytes_unref (body);
      g_object_unref (message);
      continue;
    }
    if (status != 201) {
      post_http_error (client, "POST", uri, status,
          soup_message_get_reason_phrase (message), body);
      g_bytes_unref (body);
      g_object_unref (message);
      break;
    }

    if (location == NULL) {
      GST_ELEMENT_WARNING (client->element, RESOURCE, FAILED, (NULL),
          ("the 201 has no Location: the session cannot be deleted"));
    } else {
      GUri *resource = g_uri_parse_relative (uri, location,
          SOUP_HTTP_URI_FLAGS, NULL);
      if (resource != NULL) {
        client->resource = g_uri_to_string (resource);
        g_uri_unref (resource);
      }
    }
    client->etag = g_strdup (soup_message_headers_get_one
        (soup_message_get_response_headers (message), "ETag"));
    client->accept_patch |=
        takes_trickle (soup_message_get_response_headers (message));
    answer = g_strndup (g_bytes_get_data (body, NULL),
        g_bytes_get_size (body));
    g_bytes_unref (body);
    g_object_unref (message);
    break;
  }
  g_clear_pointer (&uri, g_uri_unref);
  return answer;
}

void
gst_sec_whip_client_delete (GstSecWhipClient * client)
{
  gchar *resource = g_steal_pointer (&client->resource);
  GUri *uri;
  SoupMessage *message;
  GBytes *body;
  GError *error = NULL;

  if (resource == NULL || client->session == NULL) {
    g_free (resource);
    return;
  }
  uri = g_uri_parse (resource, SOUP_HTTP_URI_FLAGS, NULL);
  g_free (resource);
  if (uri == NULL)
    return;
  message = request_new (client, "DELETE", uri);
  /* not the element's cancellable: the DELETE is what stopping does */
  body = soup_session_send_and_read (client->session, message, NULL, &error);
  if (body == NULL) {
    GST_ELEMENT_WARNING (client->element, RESOURCE, WRITE,
        (_("The session could not be ended on the server.")),
        ("DELETE: %s", error->message));
    g_error_free (error);
  } else {
    guint status = soup_message_get_status (message);

    if (status < 200 || status >= 300)
      GST_ELEMENT_WARNING (client->element, RESOURCE, WRITE,
          (_("The session could not be ended on the server.")),
          ("DELETE answered %u %s", status,
              soup_message_get_reason_phrase (message)));
    else
      GST_INFO_OBJECT (client->element, "session deleted (%u)", status);
    g_bytes_unref (body);
  }
  g_object_unref (message);
  g_uri_unref (uri);
}

void
gst_sec_whip_client_clear (GstSecWhipClient * client)
{
  g_clear_pointer (&client->endpoint, g_free);
  g_clear_pointer (&client->ca_file, g_free);
  g_clear_pointer (&client->token, gst_sec_whip_secret_free);
  g_clear_pointer (&client->resource, g_free);
  g_clear_pointer (&client->etag, g_free);
  g_clear_pointer (&client->ice_servers, g_ptr_array_unref);
  g_clear_object (&client->session);
  g_clear_object (&client->cancellable);
}
