/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Data channels from C with secsctpenc and secsctpdec: two peers in one
 * pipeline, each an SCTP association over a DTLS association, joined
 * back to back (docs/elements/secsctpenc.md). Peer a (the DTLS client)
 * opens "chat", both send a message, both print what arrived.
 *
 *   meson devenv -C build build/tests/examples/sctp-chat
 */
#include <gst/gst.h>
#include <string.h>

typedef struct
{
  GstElement *dtlsenc, *dtlsdec, *sctpenc, *sctpdec;
  GMutex lock;
  GCond cond;
  guint messages, opened;
} Peer;

static void
on_open (GstElement * dec, guint id, Peer * peer)
{
  g_print ("%s: channel %u is open\n", GST_ELEMENT_NAME (dec), id);
  g_mutex_lock (&peer->lock);
  peer->opened++;
  g_cond_signal (&peer->cond);
  g_mutex_unlock (&peer->lock);
}

static void
on_message (GstElement * dec, guint id, gboolean binary, GBytes * data,
    Peer * peer)
{
  gsize size;
  const gchar *bytes = g_bytes_get_data (data, &size);

  g_print ("%s got on channel %u: %s '%.*s'\n", GST_ELEMENT_NAME (dec), id,
      binary ? "binary" : "text", (int) size, size ? bytes : "");
  g_mutex_lock (&peer->lock);
  peer->messages++;
  g_cond_signal (&peer->cond);
  g_mutex_unlock (&peer->lock);
}

static void
peer_init (Peer * peer, GstElement * pipeline, const gchar * id,
    gboolean is_client)
{
  gchar *name = g_strdup_printf ("sctpdec-%s", id);
  GstPad *src, *sink;

  peer->dtlsenc = gst_element_factory_make ("secdtlsenc", NULL);
  peer->dtlsdec = gst_element_factory_make ("secdtlsdec", NULL);
  peer->sctpenc = gst_element_factory_make ("secsctpenc", NULL);
  peer->sctpdec = gst_element_factory_make ("secsctpdec", name);
  g_free (name);
  g_assert (peer->dtlsenc && peer->dtlsdec && peer->sctpenc && peer->sctpdec);
  g_object_set (peer->dtlsenc, "connection-id", id, "is-client", is_client,
      NULL);
  g_object_set (peer->dtlsdec, "connection-id", id, NULL);
  /* one SCTP association: the same id on both, and the DTLS role */
  g_object_set (peer->sctpenc, "association-id", id, "is-client", is_client,
      NULL);
  g_object_set (peer->sctpdec, "association-id", id, NULL);
  gst_bin_add_many (GST_BIN (pipeline), peer->dtlsenc, peer->dtlsdec,
      peer->sctpenc, peer->sctpdec, NULL);
  src = gst_element_get_static_pad (peer->sctpenc, "src");
  sink = gst_element_request_pad_simple (peer->dtlsenc, "sink");
  gst_pad_link (src, sink);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_element_link (peer->dtlsdec, peer->sctpdec);
  g_mutex_init (&peer->lock);
  g_cond_init (&peer->cond);
  g_signal_connect (peer->sctpdec, "on-message", G_CALLBACK (on_message),
      peer);
  g_signal_connect (peer->sctpdec, "on-open", G_CALLBACK (on_open), peer);
}

/* Waits (10 s at most) until *@counter reaches @count. */
static gboolean
wait_count (Peer * peer, guint * counter, guint count)
{
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  gboolean ok = TRUE;

  g_mutex_lock (&peer->lock);
  while (ok && *counter < count)
    ok = g_cond_wait_until (&peer->cond, &peer->lock, end);
  g_mutex_unlock (&peer->lock);
  return ok;
}

int
main (int argc, char **argv)
{
  GstElement *pipeline;
  Peer a = { 0, }, b = { 0, };
  Peer *peers[2] = { &a, &b };
  gboolean sent_a = FALSE, sent_b = FALSE;
  gint channel, i;

  gst_init (&argc, &argv);
  pipeline = gst_pipeline_new (NULL);
  peer_init (&a, pipeline, "a", TRUE);
  peer_init (&b, pipeline, "b", FALSE);
  for (i = 0; i < 2; i++) {
    Peer *me = peers[i], *other = peers[1 - i];
    gchar *fingerprint = NULL;

    gst_element_link (me->dtlsenc, other->dtlsdec);
    /* in WebRTC the fingerprints travel in the SDP */
    g_object_get (other->dtlsenc, "local-fingerprint", &fingerprint, NULL);
    g_object_set (me->dtlsdec, "peer-fingerprint", fingerprint, NULL);
    g_free (fingerprint);
  }
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  /* opened at once: it opens when the association is up */
  g_signal_emit_by_name (a.sctpenc, "open-channel", "chat", NULL, &channel);
  g_print ("a opened channel %d\n", channel);
  /* messages go on an open channel: wait for on-open (the peer gets
   * on-channel for it) */
  if (channel < 0 || !wait_count (&a, &a.opened, 1)) {
    g_printerr ("the channel did not open\n");
    return 1;
  }
  g_signal_emit_by_name (a.sctpenc, "send-string", (guint) channel,
      "hello from a", &sent_a);
  g_signal_emit_by_name (b.sctpenc, "send-string", (guint) channel,
      "hello from b", &sent_b);
  if (!sent_a || !sent_b || !wait_count (&a, &a.messages, 1)
      || !wait_count (&b, &b.messages, 1)) {
    g_printerr ("the messages did not arrive\n");
    return 1;
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return 0;
}
