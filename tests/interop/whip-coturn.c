/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A WHIP publisher that gathers through the TURN server its endpoint
 * names (RFC 9725 §4.6): secwhipserversrc announces coturn's turnserver
 * (started on loopback by each test, secturn.c) with its credentials in
 * the Link header fields of an authenticated OPTIONS, and secwhipsink,
 * with ice-transport-policy=relay and no TURN server of its own, takes
 * them before its offer. The call is relayed (local-candidate-type relay
 * on the publisher), fingerprint-verified, and VP8 is decoded on the
 * endpoint. With use-link-headers=false the same publisher has no TURN
 * server: an error that says so, and no call.
 */
#include <glib/gstdio.h>

#include "seccheck.h"
#include "secturn.h"

#define TOKEN "whip-coturn-token.7d2e~a1"
#define WAIT_S 30
#define FRAMES 30

static SecTurnSetup setup;

typedef struct
{
  SecTurn turn;
  gchar *dir, *token_file, *ca_file, *endpoint;
  GstElement *server_pipeline, *server, *client;
  GMutex lock;
  GCond cond;
  guint frames;
} Relay;

static gchar *
write_file (Relay * r, const gchar * name, const gchar * contents, gint mode)
{
  gchar *path = g_build_filename (r->dir, name, NULL);

  fail_unless (g_file_set_contents (path, contents, -1, NULL));
  fail_unless (g_chmod (path, mode) == 0);
  return path;
}

static void
on_frame (GstElement * sink, GstBuffer * buffer, GstPad * pad, Relay * r)
{
  g_mutex_lock (&r->lock);
  r->frames++;
  g_cond_broadcast (&r->cond);
  g_mutex_unlock (&r->lock);
}

static void
on_server_pad (GstElement * server, GstPad * pad, Relay * r)
{
  GstElement *branch = gst_parse_bin_from_description ("queue ! rtpvp8depay "
      "! vp8dec ! fakesink name=frames sync=false signal-handoffs=true",
      TRUE, NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (branch), "frames");
  GstPad *sinkpad = gst_element_get_static_pad (branch, "sink");

  g_signal_connect (sink, "handoff", G_CALLBACK (on_frame), r);
  gst_object_unref (sink);
  gst_bin_add (GST_BIN (r->server_pipeline), branch);
  gst_element_sync_state_with_parent (branch);
  fail_unless_equals_int (gst_pad_link (pad, sinkpad), GST_PAD_LINK_OK);
  gst_object_unref (sinkpad);
}

/* coturn, and an endpoint announcing it over UDP */
static Relay *
relay_new (void)
{
  Relay *r = g_new0 (Relay, 1);
  gchar *turn_uri, *certificate = NULL;
  guint port = 0;

  sec_check_factory_is_ours ("secwhipserversrc");
  sec_check_factory_is_ours ("secwhipsink");
  sec_check_factory_is_ours ("secwebrtcbin");
  sec_check_factory_absent ("webrtcbin");
  g_mutex_init (&r->lock);
  g_cond_init (&r->cond);
  r->dir = g_dir_make_tmp ("whip-coturn-XXXXXX", NULL);
  fail_unless (r->dir != NULL);
  r->token_file = write_file (r, "token", TOKEN "\n", 0600);
  sec_turn_start (&r->turn, &setup);
  turn_uri = sec_turn_uri_new (&r->turn, SEC_TURN_UDP, NULL);

  r->server_pipeline = gst_pipeline_new ("endpoint");
  r->server = gst_element_factory_make ("secwhipserversrc", "server");
  fail_unless (r->server != NULL);
  g_object_set (r->server, "port", 0, "local-addresses", "127.0.0.1",
      "auth-token-file", r->token_file, "link-ice-servers", turn_uri, NULL);
  g_free (turn_uri);
  gst_bin_add (GST_BIN (r->server_pipeline), r->server);
  g_signal_connect (r->server, "pad-added", G_CALLBACK (on_server_pad), r);
  fail_unless_equals_int (gst_element_set_state (r->server_pipeline,
          GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  g_object_get (r->server, "bound-port", &port, "tls-certificate",
      &certificate, NULL);
  fail_unless (port > 0 && certificate != NULL);
  r->ca_file = write_file (r, "ca.pem", certificate, 0644);
  g_free (certificate);
  r->endpoint = g_strdup_printf ("https://127.0.0.1:%u/whip", port);
  fail_if (gst_element_set_state (r->server_pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  return r;
}

/* A VP8 publisher, relay only, with no TURN server of its own. */
static void
relay_publish (Relay * r, const gchar * extra)
{
  gchar *description = g_strdup_printf ("videotestsrc is-live=true "
      "! video/x-raw,width=160,height=120,framerate=30/1 "
      "! vp8enc deadline=1 ! rtpvp8pay ! secwhipsink name=w "
      "whip-endpoint=%s ca-file=%s auth-token-file=%s "
      "local-addresses=127.0.0.1 ice-transport-policy=relay %s",
      r->endpoint, r->ca_file, r->token_file, extra);

  r->client = gst_parse_launch (description, NULL);
  g_free (description);
  fail_unless (r->client != NULL);
  fail_if (gst_element_set_state (r->client, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
}

static void
relay_free (Relay * r)
{
  if (r->client != NULL) {
    gst_element_set_state (r->client, GST_STATE_NULL);
    gst_object_unref (r->client);
  }
  gst_element_set_state (r->server_pipeline, GST_STATE_NULL);
  gst_object_unref (r->server_pipeline);
  sec_turn_stop (&r->turn);
  g_unlink (r->token_file);
  g_unlink (r->ca_file);
  g_rmdir (r->dir);
  g_free (r->token_file);
  g_free (r->ca_file);
  g_free (r->dir);
  g_free (r->endpoint);
  g_mutex_clear (&r->lock);
  g_cond_clear (&r->cond);
  g_free (r);
}

static gboolean
relay_wait_frames (Relay * r, guint frames)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  gboolean ok;

  g_mutex_lock (&r->lock);
  while (r->frames < frames)
    if (!g_cond_wait_until (&r->cond, &r->lock, deadline))
      break;
  ok = r->frames >= frames;
  g_mutex_unlock (&r->lock);
  return ok;
}

/* The first error on the publisher's bus within WAIT_S, or NULL. */
static GstMessage *
publisher_error (Relay * r)
{
  GstBus *bus = gst_element_get_bus (r->client);
  GstMessage *message = gst_bus_timed_pop_filtered (bus,
      WAIT_S * GST_SECOND, GST_MESSAGE_ERROR);

  gst_object_unref (bus);
  return message;
}

GST_START_TEST (test_relay_through_link_turn)
{
  Relay *r = relay_new ();
  GstStructure *info = NULL;
  GstElement *sink;
  gboolean verified = FALSE;
  GstBus *bus;
  GstMessage *error;

  relay_publish (r, "");
  if (!relay_wait_frames (r, FRAMES)) {
    error = publisher_error (r);
    fail ("%u frames; publisher: %" GST_PTR_FORMAT "; turnserver:\n%s",
        r->frames, error, sec_turn_log_tail (&r->turn,
            SEC_TURN_LOG_TAIL_LINES));
  }
  sink = gst_bin_get_by_name (GST_BIN (r->client), "w");
  g_object_get (sink, "security-info", &info, NULL);
  gst_object_unref (sink);
  fail_unless (info != NULL);
  fail_unless (gst_structure_get_boolean (info, "fingerprint-verified",
          &verified) && verified);
  fail_unless_equals_string (gst_structure_get_string (info,
          "local-candidate-type"), "relay");
  /* nothing went wrong on the way */
  bus = gst_element_get_bus (r->client);
  error = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR | GST_MESSAGE_WARNING);
  fail_unless (error == NULL, "%" GST_PTR_FORMAT, error);
  gst_object_unref (bus);
  gst_structure_free (info);
  relay_free (r);
}

GST_END_TEST;

/* Without the endpoint's TURN server: the warning that relay needs one,
 * then the failed call as an error. */
GST_START_TEST (test_no_link_headers_no_relay)
{
  Relay *r = relay_new ();
  GstBus *bus;
  GstMessage *message;
  GString *warnings = g_string_new (NULL);
  gboolean failed = FALSE;

  relay_publish (r, "use-link-headers=false");
  bus = gst_element_get_bus (r->client);
  while (!failed && (message = gst_bus_timed_pop_filtered (bus,
              WAIT_S * GST_SECOND, GST_MESSAGE_ERROR | GST_MESSAGE_WARNING))) {
    GError *error = NULL;
    gchar *debug = NULL;

    if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
      gst_message_parse_error (message, &error, &debug);
      failed = TRUE;
    } else
      gst_message_parse_warning (message, &error, &debug);
    g_string_append_printf (warnings, "\n%s: %s", error->message,
        GST_STR_NULL (debug));
    g_error_free (error);
    g_free (debug);
    gst_message_unref (message);
  }
  gst_object_unref (bus);
  fail_unless (failed, "no error without a TURN server:%s", warnings->str);
  fail_unless (strstr (warnings->str, "ice-transport-policy=relay and no "
          "usable turn-server") != NULL, "%s", warnings->str);
  fail_unless_equals_int (r->frames, 0);
  g_string_free (warnings, TRUE);
  relay_free (r);
}

GST_END_TEST;

static void
certificate_make (void)
{
  sec_turn_setup_make_files (&setup, "secwhip-coturn-XXXXXX");
}

static void
certificate_remove (void)
{
  sec_turn_setup_remove_files (&setup);
}

static Suite *
whip_coturn_suite (void)
{
  Suite *s = suite_create ("whip-coturn");
  TCase *tc = tcase_create ("link-ice-servers");

  sec_turn_setup_find_programs (&setup);
  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 90);
  tcase_add_unchecked_fixture (tc, certificate_make, certificate_remove);
  tcase_add_test (tc, test_relay_through_link_turn);
  tcase_add_test (tc, test_no_link_headers_no_relay);
  return s;
}

GST_CHECK_MAIN (whip_coturn);
