/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A WHEP endpoint for the tests and the browser demo: see whependpoint.h.
 * The HTTP rules are the same as secwhipserversrc's (whipserver.c); the
 * answer is made by the helpers the secwhip elements use.
 */
#include "whependpoint.h"

#include <string.h>

#include "gstsecwhipcommon.h"
#include "whipserver.h"

typedef struct
{
  SecWhepEndpoint *endpoint;
  gchar *id;
  GstElement *pipeline;
  GstElement *webrtcbin;
  SoupServerMessage *message;
  gchar *offer;
  gchar *answer;
  GError *error;
} Session;

struct _SecWhepEndpoint
{
  SoupServer *server;
  GMainContext *context;
  gchar **senders;
  gchar *local_addresses;
  GMutex lock;                  /* the fields below */
  SecWhipServer *rules;
  GHashTable *sessions;         /* id -> Session */
  GstStructure *security_info;
};

static void
session_free (Session * session)
{
  if (session->pipeline != NULL) {
    gst_element_set_state (session->pipeline, GST_STATE_NULL);
    gst_object_unref (session->pipeline);
  }
  g_clear_object (&session->message);
  g_clear_error (&session->error);
  gst_sec_whip_secret_free (session->offer);
  gst_sec_whip_secret_free (session->answer);
  g_free (session->id);
  g_free (session);
}

static void
on_connection_state (GstElement * webrtcbin, GParamSpec * pspec,
    SecWhepEndpoint * endpoint)
{
  GstStructure *info = NULL;
  GEnumClass *klass = g_type_class_ref (pspec->value_type);
  GEnumValue *value;
  gint state = 0;

  g_object_get (webrtcbin, "connection-state", &state, NULL);
  value = g_enum_get_value (klass, state);
  if (value != NULL && strcmp (value->value_nick, "connected") == 0) {
    g_object_get (webrtcbin, "security-info", &info, NULL);
    g_mutex_lock (&endpoint->lock);
    if (endpoint->security_info != NULL)
      gst_structure_free (endpoint->security_info);
    endpoint->security_info = info;
    g_mutex_unlock (&endpoint->lock);
  }
  g_type_class_unref (klass);
}

static gboolean
answered (gpointer data)
{
  Session *session = data;
  SecWhepEndpoint *endpoint = session->endpoint;
  SoupServerMessage *message = session->message;

  g_mutex_lock (&endpoint->lock);
  if (session->error != NULL) {
    sec_whip_server_release (endpoint->rules);
    g_mutex_unlock (&endpoint->lock);
    gst_sec_whip_respond_text (message, 400, session->error->message);
    soup_server_message_unpause (message);
    session_free (session);
    return G_SOURCE_REMOVE;
  }
  {
    gchar *ufrag = sec_whip_sdp_ice_ufrag (session->offer,
        strlen (session->offer));
    gchar *etag = NULL, *location;
    SoupMessageHeaders *headers =
        soup_server_message_get_response_headers (message);

    session->id = sec_whip_server_add_session (endpoint->rules, ufrag, &etag);
    location = sec_whip_server_session_path (endpoint->rules, session->id);
    g_hash_table_insert (endpoint->sessions, g_strdup (session->id), session);
    g_mutex_unlock (&endpoint->lock);
    soup_message_headers_replace (headers, "Location", location);
    soup_message_headers_replace (headers, "ETag", etag);
    soup_server_message_set_status (message, 201, NULL);
    soup_server_message_set_response (message, "application/sdp",
        SOUP_MEMORY_COPY, session->answer, strlen (session->answer));
    g_free (ufrag);
    g_free (etag);
    g_free (location);
  }
  soup_server_message_unpause (message);
  g_clear_object (&session->message);
  return G_SOURCE_REMOVE;
}

/* The remote offer, then the senders linked (each takes the receive-only
 * m-line the offer made for its media), then the answer. */
static gpointer
negotiate (gpointer data)
{
  Session *session = data;
  SecWhepEndpoint *endpoint = session->endpoint;
  gchar *done;

  gst_element_set_state (session->pipeline, GST_STATE_PLAYING);
  gst_element_get_state (session->pipeline, NULL, NULL, 5 * GST_SECOND);
  done = gst_sec_whip_bin_call (session->webrtcbin, "set-remote-description",
      "offer", session->offer, &session->error);
  for (gchar ** s = endpoint->senders; done != NULL && *s != NULL; s++) {
    GstElement *branch = gst_parse_bin_from_description (*s, TRUE,
        &session->error);
    GstPad *out, *in;
    GstCaps *caps;
    gboolean linked;

    if (branch == NULL)
      break;
    gst_bin_add (GST_BIN (session->pipeline), branch);
    /* requested with the payloader's caps: the bin gives the pad of the
     * offer's m-line of that media (W3C addTrack) */
    out = gst_element_get_static_pad (branch, "src");
    caps = gst_pad_query_caps (out, NULL);
    in = gst_element_request_pad (session->webrtcbin,
        gst_element_get_pad_template (session->webrtcbin, "sink_%u"), NULL,
        caps);
    gst_caps_unref (caps);
    linked = in != NULL && gst_pad_link (out, in) == GST_PAD_LINK_OK;
    gst_object_unref (out);
    g_clear_object (&in);
    if (!linked) {
      g_set_error (&session->error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
          "the offer takes nothing of '%s'", *s);
      break;
    }
    gst_element_sync_state_with_parent (branch);
  }
  if (done != NULL && session->error == NULL)
    session->answer = gst_sec_whip_bin_describe (session->webrtcbin,
        "answer", 10, &session->error);
  g_free (done);
  g_main_context_invoke (endpoint->context, answered, session);
  return NULL;
}

static void
handle (SoupServer * server, SoupServerMessage * message, const char *path,
    GHashTable * query, gpointer user_data)
{
  SecWhepEndpoint *endpoint = user_data;
  SecWhipRequest request;
  SecWhipResponse response;
  GBytes *bytes = gst_sec_whip_request_read (message, path, &request);
  Session *session = NULL;

  g_mutex_lock (&endpoint->lock);
  sec_whip_server_handle (endpoint->rules, &request, &response);
  if (response.action == SEC_WHIP_ACTION_DELETE) {
    gchar *id = NULL;

    /* stolen, to be freed outside the lock; the key the table owned
     * too, which a plain steal would leave */
    if (g_hash_table_steal_extended (endpoint->sessions, response.session_id,
            (gpointer *) & id, (gpointer *) & session))
      g_free (id);
    sec_whip_server_remove_session (endpoint->rules, response.session_id);
  }
  g_mutex_unlock (&endpoint->lock);

  gst_sec_whip_respond (message, &request, &response);
  if (response.action == SEC_WHIP_ACTION_CREATE) {
    session = g_new0 (Session, 1);
    session->endpoint = endpoint;
    session->offer = g_strndup (request.body, request.body_length);
    session->message = g_object_ref (message);
    session->pipeline = gst_pipeline_new (NULL);
    session->webrtcbin = gst_element_factory_make ("secwebrtcbin", NULL);
    g_object_set (session->webrtcbin, "local-addresses",
        endpoint->local_addresses, NULL);
    g_signal_connect (session->webrtcbin, "notify::connection-state",
        G_CALLBACK (on_connection_state), endpoint);
    gst_bin_add (GST_BIN (session->pipeline), session->webrtcbin);
    soup_server_message_pause (message);
    g_thread_unref (g_thread_new ("whep-answer", negotiate, session));
  } else if (session != NULL)
    session_free (session);
  sec_whip_response_clear (&response);
  g_clear_pointer (&bytes, g_bytes_unref);
}

SecWhepEndpoint *
sec_whep_endpoint_new (SoupServer * server, const gchar * path,
    const gchar * token, const gchar * const *senders,
    const gchar * local_addresses, const gchar * allowed_origin)
{
  SecWhepEndpoint *endpoint = g_new0 (SecWhepEndpoint, 1);
  const gchar *origins[] = { allowed_origin, NULL };

  gst_sec_whip_debug_init ();
  endpoint->server = g_object_ref (server);
  endpoint->context = g_main_context_ref_thread_default ();
  endpoint->senders = g_strdupv ((gchar **) senders);
  endpoint->local_addresses = g_strdup (local_addresses);
  g_mutex_init (&endpoint->lock);
  endpoint->rules = sec_whip_server_new (path, token, origins, 8);
  endpoint->sessions = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, (GDestroyNotify) session_free);
  soup_server_add_handler (server, path, handle, endpoint, NULL);
  gst_sec_whip_server_limit_bodies (server);
  return endpoint;
}

void
sec_whep_endpoint_free (SecWhepEndpoint * endpoint)
{
  g_hash_table_unref (endpoint->sessions);
  sec_whip_server_free (endpoint->rules);
  if (endpoint->security_info != NULL)
    gst_structure_free (endpoint->security_info);
  g_mutex_clear (&endpoint->lock);
  g_strfreev (endpoint->senders);
  g_free (endpoint->local_addresses);
  g_main_context_unref (endpoint->context);
  g_object_unref (endpoint->server);
  g_free (endpoint);
}

guint
sec_whep_endpoint_n_sessions (SecWhepEndpoint * endpoint)
{
  guint n;

  g_mutex_lock (&endpoint->lock);
  n = g_hash_table_size (endpoint->sessions);
  g_mutex_unlock (&endpoint->lock);
  return n;
}

GstStructure *
sec_whep_endpoint_security_info (SecWhepEndpoint * endpoint)
{
  GstStructure *info;

  g_mutex_lock (&endpoint->lock);
  info = endpoint->security_info ?
      gst_structure_copy (endpoint->security_info) : NULL;
  g_mutex_unlock (&endpoint->lock);
  return info;
}
