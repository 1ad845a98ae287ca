/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Our side of the DTLS interop tests: see secdtlsside.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "secdtlsside.h"

#include <string.h>

GstElement *
sec_dtls_side_get_by_name (GstElement * pipeline, const gchar * name)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), name);

  fail_unless (e != NULL, "no element %s", name);
  return e;
}

void
sec_dtls_side_setup (SecDtlsSide * side, gchar * connection_id,
    gboolean is_client, const gchar * expected_fingerprint,
    const gchar * srtp_profiles, const gchar * rest)
{
  GError *error = NULL;
  GSocket *socket = NULL;
  gchar *description;

  memset (side, 0, sizeof (*side));
  side->connection_id = connection_id;
  description = g_strdup_printf (
      "udpsrc name=net_in address=127.0.0.1 port=0 caps=application/x-dtls "
      "! secdtlsdec name=dtlsdec connection-id=%s "
      "secdtlsenc name=dtlsenc connection-id=%s %s",
      side->connection_id, side->connection_id, rest);
  side->pipeline = gst_parse_launch (description, &error);
  fail_unless (side->pipeline != NULL, "cannot build %s: %s", description,
      error ? error->message : "?");
  g_free (description);

  side->dtlsdec = sec_dtls_side_get_by_name (side->pipeline, "dtlsdec");
  side->net_in = sec_dtls_side_get_by_name (side->pipeline, "net_in");
  side->net_out = sec_dtls_side_get_by_name (side->pipeline, "net_out");
  side->bus = gst_element_get_bus (side->pipeline);

  /* association properties: set on one element, they hold for the pair */
  g_object_set (side->dtlsdec, "is-client", is_client,
      "peer-fingerprint", expected_fingerprint,
      "srtp-encoder", "srtpenc", "srtp-decoder", "srtpdec", NULL);
  if (srtp_profiles)
    g_object_set (side->dtlsdec, "srtp-profiles", srtp_profiles, NULL);

  /* udpsrc binds in READY, udpsink takes its socket when it goes to
   * READY: the source first */
  fail_unless_equals_int (gst_element_set_state (side->net_in,
          GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  g_object_get (side->net_in, "used-socket", &socket, NULL);
  fail_unless (socket != NULL, "udpsrc has no socket in READY");
  g_object_set (side->net_out, "socket", socket, NULL);
  g_object_unref (socket);
  fail_unless_equals_int (gst_element_set_state (side->pipeline,
          GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
}

guint16
sec_dtls_side_port (SecDtlsSide * side)
{
  GSocket *socket = NULL;
  guint16 port;

  g_object_get (side->net_in, "used-socket", &socket, NULL);
  fail_unless (socket != NULL, "udpsrc has no socket");
  port = sec_peer_socket_port (socket);
  g_object_unref (socket);
  return port;
}

void
sec_dtls_side_play (SecDtlsSide * side, guint16 peer_port)
{
  GstStateChangeReturn ret;

  g_object_set (side->net_out, "host", "127.0.0.1", "port", (gint) peer_port,
      NULL);
  ret = gst_element_set_state (side->pipeline, GST_STATE_PLAYING);
  fail_if (ret == GST_STATE_CHANGE_FAILURE, "our pipeline does not play");
}

GstStructure *
sec_dtls_side_wait_connected (SecDtlsSide * side, SecPeer * peer,
    gint64 timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;

  while (g_get_monotonic_time () < deadline) {
    GstMessage *msg = gst_bus_timed_pop_filtered (side->bus,
        50 * GST_MSECOND, GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);

    sec_peer_drain (peer);
    if (msg == NULL) {
      fail_if (peer->exited, "%s (%s, pid %d) exited during the handshake; "
          "it printed:\n%s", peer->name, peer->program, (gint) peer->pid,
          peer->output->str);
      continue;
    }
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      GError *error = NULL;
      gchar *debug = NULL;

      gst_message_parse_error (msg, &error, &debug);
      fail ("error from %s during the handshake: %s (%s); %s printed:\n%s",
          GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), error->message,
          debug ? debug : "", peer->name, peer->output->str);
    }
    if (gst_message_has_name (msg, "dtls-connected")) {
      GstStructure *s = gst_structure_copy (gst_message_get_structure (msg));

      gst_message_unref (msg);
      return s;
    }
    gst_message_unref (msg);
  }
  return NULL;
}

void
sec_dtls_side_teardown (SecDtlsSide * side)
{
  if (side->pipeline)
    gst_element_set_state (side->pipeline, GST_STATE_NULL);
  g_clear_object (&side->bus);
  g_clear_object (&side->dtlsdec);
  g_clear_object (&side->net_in);
  g_clear_object (&side->net_out);
  g_clear_object (&side->pipeline);
  g_clear_pointer (&side->connection_id, g_free);
}
