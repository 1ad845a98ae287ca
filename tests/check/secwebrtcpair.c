/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "secwebrtcpair.h"

#include <string.h>

static GstElement *
make (const gchar * factory)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  fail_unless (e != NULL, "no element %s", factory);
  return e;
}

void
sec_webrtc_pair_check_plugins (void)
{
  sec_check_factory_is_ours ("secwebrtcbin");
  sec_check_factory_is_ours ("secicesrc");
  sec_check_factory_is_ours ("secdtlsdec");
  sec_check_factory_is_ours ("secsrtpenc");
  sec_check_factory_absent ("webrtcbin");
  sec_check_factory_absent ("dtlsdec");
  sec_check_factory_absent ("srtpenc");
  sec_check_factory_absent ("nicesrc");
}

static void
broadcast (SecWebRTCPair * pair)
{
  g_mutex_lock (&pair->lock);
  g_cond_broadcast (&pair->cond);
  g_mutex_unlock (&pair->lock);
}

static GstBusSyncReply
on_message (GstBus * bus, GstMessage * msg, SecWebRTCPeer * peer)
{
  GError *error = NULL;
  gchar *debug = NULL;

  (void) bus;
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    gst_message_parse_error (msg, &error, &debug);
  else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING)
    gst_message_parse_warning (msg, &error, &debug);
  if (error) {
    gchar *text = g_strdup_printf ("%s: %s (%s)", GST_OBJECT_NAME
        (GST_MESSAGE_SRC (msg)), error->message, debug ? debug : "");

    GST_INFO ("peer %d: %s", peer->index, text);
    g_mutex_lock (&peer->pair->lock);
    g_ptr_array_add (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR ?
        peer->errors : peer->warnings, text);
    g_cond_broadcast (&peer->pair->cond);
    g_mutex_unlock (&peer->pair->lock);
    g_error_free (error);
    g_free (debug);
  }
  /* a sync handler that drops a message unrefs it: a message kept would
   * keep its source, and so both pipelines and their bins, alive */
  gst_message_unref (msg);
  return GST_BUS_DROP;
}

static void
on_candidate (GstElement * bin, guint mline, const gchar * candidate,
    SecWebRTCPeer * peer)
{
  SecWebRTCPeer *other = &peer->pair->peer[1 - peer->index];

  (void) bin;
  if (peer->pair->trickle)
    g_signal_emit_by_name (other->bin, "add-ice-candidate", mline, candidate);
}

static void
on_state (GObject * bin, GParamSpec * pspec, SecWebRTCPeer * peer)
{
  (void) bin;
  (void) pspec;
  broadcast (peer->pair);
}

static void
on_frame (GstElement * sink, GstBuffer * buffer, GstPad * pad, guint * count)
{
  SecWebRTCPeer *peer = g_object_get_data (G_OBJECT (sink), "peer");

  (void) buffer;
  (void) pad;
  g_mutex_lock (&peer->pair->lock);
  (*count)++;
  g_cond_broadcast (&peer->pair->cond);
  g_mutex_unlock (&peer->pair->lock);
}

/* a src_%u pad: depayload, decode, count */
static void
on_pad_added (GstElement * bin, GstPad * pad, SecWebRTCPeer * peer)
{
  GstCaps *caps;
  const gchar *encoding;
  GstElement *decoder, *sink;
  GstPad *decoder_sink;
  GError *error = NULL;
  gboolean video;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  encoding = gst_structure_get_string (gst_caps_get_structure (caps, 0),
      "encoding-name");
  video = g_strcmp0 (encoding, "VP8") == 0;
  fail_unless (video || g_strcmp0 (encoding, "OPUS") == 0,
      "unexpected stream %" GST_PTR_FORMAT, caps);
  decoder = gst_parse_bin_from_description (video ?
      "rtpvp8depay request-keyframe=true wait-for-keyframe=true ! vp8dec ! "
      "fakesink name=frames sync=false async=false signal-handoffs=true" :
      "rtpopusdepay ! opusdec ! fakesink name=frames sync=false async=false "
      "signal-handoffs=true", TRUE, &error);
  fail_unless (decoder != NULL, "%s", error ? error->message : "");
  sink = gst_bin_get_by_name (GST_BIN (decoder), "frames");
  g_object_set_data (G_OBJECT (sink), "peer", peer);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_frame),
      video ? &peer->video_frames : &peer->audio_frames);
  gst_object_unref (sink);
  gst_bin_add (GST_BIN (peer->pipeline), decoder);
  gst_element_sync_state_with_parent (decoder);
  decoder_sink = gst_element_get_static_pad (decoder, "sink");
  fail_unless_equals_int (gst_pad_link (pad, decoder_sink), GST_PAD_LINK_OK);
  gst_object_unref (decoder_sink);
  g_mutex_lock (&peer->pair->lock);
  peer->src_pads++;
  g_cond_broadcast (&peer->pair->cond);
  g_mutex_unlock (&peer->pair->lock);
  gst_caps_unref (caps);
  (void) bin;
}

SecWebRTCPair *
sec_webrtc_pair_new (void)
{
  SecWebRTCPair *pair = g_new0 (SecWebRTCPair, 1);
  gint i;

  g_mutex_init (&pair->lock);
  g_cond_init (&pair->cond);
  pair->trickle = TRUE;
  for (i = 0; i < 2; i++) {
    SecWebRTCPeer *peer = &pair->peer[i];
    GstBus *bus;

    peer->pair = pair;
    peer->index = i;
    peer->errors = g_ptr_array_new_with_free_func (g_free);
    peer->warnings = g_ptr_array_new_with_free_func (g_free);
    peer->pipeline = gst_pipeline_new (NULL);
    peer->bin = make ("secwebrtcbin");
    g_object_set (peer->bin, "local-addresses", "127.0.0.1", "latency", 50,
        NULL);
    gst_bin_add (GST_BIN (peer->pipeline), peer->bin);
    g_signal_connect (peer->bin, "on-ice-candidate",
        G_CALLBACK (on_candidate), peer);
    g_signal_connect (peer->bin, "pad-added", G_CALLBACK (on_pad_added),
        peer);
    g_signal_connect (peer->bin, "notify::connection-state",
        G_CALLBACK (on_state), peer);
    bus = gst_element_get_bus (peer->pipeline);
    gst_bus_set_sync_handler (bus, (GstBusSyncHandler) on_message, peer,
        NULL);
    gst_object_unref (bus);
  }
  return pair;
}

void
sec_webrtc_pair_free (SecWebRTCPair * pair)
{
  gint i;

  for (i = 0; i < 2; i++) {
    SecWebRTCPeer *peer = &pair->peer[i];
    GstBus *bus = gst_element_get_bus (peer->pipeline);

    gst_element_set_state (peer->pipeline, GST_STATE_NULL);
    g_signal_handlers_disconnect_by_data (peer->bin, peer);
    gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
    gst_object_unref (bus);
    gst_object_unref (peer->pipeline);
    g_ptr_array_unref (peer->errors);
    g_ptr_array_unref (peer->warnings);
  }
  g_mutex_clear (&pair->lock);
  g_cond_clear (&pair->cond);
  g_free (pair);
}

static GstPadProbeReturn
count_keyunit (GstPad * pad, GstPadProbeInfo * info, SecWebRTCPeer * peer)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

  (void) pad;
  if (GST_EVENT_TYPE (event) == GST_EVENT_CUSTOM_UPSTREAM
      && gst_structure_has_name (gst_event_get_structure (event),
          "GstForceKeyUnit")) {
    g_mutex_lock (&peer->pair->lock);
    peer->keyunit_requests++;
    g_cond_broadcast (&peer->pair->cond);
    g_mutex_unlock (&peer->pair->lock);
  }
  return GST_PAD_PROBE_OK;
}

static void
add_source (SecWebRTCPeer * peer, const gchar * description, gboolean video)
{
  GError *error = NULL;
  GstElement *source = gst_parse_bin_from_description (description, TRUE,
      &error);
  GstPad *src, *sink;

  fail_unless (source != NULL, "%s", error ? error->message : "");
  gst_bin_add (GST_BIN (peer->pipeline), source);
  src = gst_element_get_static_pad (source, "src");
  sink = gst_element_request_pad_simple (peer->bin, "sink_%u");
  fail_unless (sink != NULL, "peer %d: no sink pad", peer->index);
  fail_unless_equals_int (gst_pad_link (src, sink), GST_PAD_LINK_OK);
  if (video) {
    GstPad *pay_src;

    peer->video_pay = gst_bin_get_by_name (GST_BIN (source), "pay");
    pay_src = gst_element_get_static_pad (peer->video_pay, "src");
    gst_pad_add_probe (pay_src, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
        (GstPadProbeCallback) count_keyunit, peer, NULL);
    gst_object_unref (pay_src);
    gst_object_unref (peer->video_pay);
  }
  gst_element_sync_state_with_parent (source);
  gst_object_unref (src);
  gst_object_unref (sink);
}

void
sec_webrtc_peer_add_video (SecWebRTCPeer * peer)
{
  add_source (peer, "videotestsrc is-live=true ! "
      "video/x-raw,width=160,height=120,framerate=30/1 ! "
      "vp8enc deadline=1 keyframe-max-dist=300 ! rtpvp8pay name=pay", TRUE);
}

void
sec_webrtc_peer_add_audio (SecWebRTCPeer * peer)
{
  add_source (peer, "audiotestsrc is-live=true ! opusenc ! rtpopuspay",
      FALSE);
}

void
sec_webrtc_pair_play (SecWebRTCPair * pair)
{
  gint i;

  for (i = 0; i < 2; i++)
    fail_if (gst_element_set_state (pair->peer[i].pipeline,
            GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE,
        "peer %d does not play", i);
}

gchar *
sec_webrtc_peer_create (SecWebRTCPeer * peer, const gchar * what,
    GstStructure * options, gchar ** error)
{
  GstPromise *promise = gst_promise_new ();
  const GstStructure *reply;
  GError *err = NULL;
  gchar *sdp = NULL, *signal = g_strdup_printf ("create-%s", what);

  g_signal_emit_by_name (peer->bin, signal, options, promise);
  fail_unless_equals_int (gst_promise_wait (promise),
      GST_PROMISE_RESULT_REPLIED);
  reply = gst_promise_get_reply (promise);
  if (gst_structure_get (reply, "error", G_TYPE_ERROR, &err, NULL)) {
    *error = g_strdup (err->message);
    g_error_free (err);
  } else {
    sdp = g_strdup (gst_structure_get_string (reply, "sdp"));
    fail_unless (sdp != NULL, "%s: no sdp", signal);
  }
  gst_promise_unref (promise);
  g_free (signal);
  return sdp;
}

gboolean
sec_webrtc_peer_set (SecWebRTCPeer * peer, const gchar * which,
    const gchar * type, const gchar * sdp, gchar ** error)
{
  GstPromise *promise = gst_promise_new ();
  const GstStructure *reply;
  GError *err = NULL;
  gchar *signal = g_strdup_printf ("set-%s-description", which);
  gboolean ok = TRUE;

  g_signal_emit_by_name (peer->bin, signal, type, sdp, promise);
  fail_unless_equals_int (gst_promise_wait (promise),
      GST_PROMISE_RESULT_REPLIED);
  reply = gst_promise_get_reply (promise);
  if (reply && gst_structure_get (reply, "error", G_TYPE_ERROR, &err, NULL)) {
    *error = g_strdup (err->message);
    g_error_free (err);
    ok = FALSE;
  }
  gst_promise_unref (promise);
  g_free (signal);
  return ok;
}

static gchar *
hook (SecWebRTCPair * pair, gint from, const gchar * type, gchar * sdp)
{
  gchar *rewritten;

  if (pair->sdp_hook == NULL)
    return sdp;
  rewritten = pair->sdp_hook (from, type, sdp, pair->sdp_hook_data);
  if (rewritten == NULL)
    return sdp;
  g_free (sdp);
  return rewritten;
}

gboolean
sec_webrtc_pair_try_negotiate (SecWebRTCPair * pair, gint offerer,
    GstStructure * options, gchar ** failed_step, gchar ** error_message)
{
  SecWebRTCPeer *a = &pair->peer[offerer], *b = &pair->peer[1 - offerer];
  gchar *offer, *answer = NULL, *error = NULL;
  const gchar *step = NULL;

  offer = sec_webrtc_peer_create (a, "offer", options, &error);
  if (offer == NULL) {
    step = "create-offer";
    goto failed;
  }
  if (!sec_webrtc_peer_set (a, "local", "offer", NULL, &error)) {
    step = "set-local-description(offer)";
    goto failed;
  }
  offer = hook (pair, offerer, "offer", offer);
  if (!sec_webrtc_peer_set (b, "remote", "offer", offer, &error)) {
    step = "set-remote-description(offer)";
    goto failed;
  }
  answer = sec_webrtc_peer_create (b, "answer", NULL, &error);
  if (answer == NULL) {
    step = "create-answer";
    goto failed;
  }
  if (!sec_webrtc_peer_set (b, "local", "answer", NULL, &error)) {
    step = "set-local-description(answer)";
    goto failed;
  }
  answer = hook (pair, 1 - offerer, "answer", answer);
  if (!sec_webrtc_peer_set (a, "remote", "answer", answer, &error)) {
    step = "set-remote-description(answer)";
    goto failed;
  }
  g_free (offer);
  g_free (answer);
  return TRUE;

failed:
  g_free (offer);
  g_free (answer);
  if (failed_step)
    *failed_step = g_strdup (step);
  if (error_message)
    *error_message = error;
  else
    g_free (error);
  return FALSE;
}

void
sec_webrtc_pair_negotiate (SecWebRTCPair * pair, gint offerer,
    GstStructure * options)
{
  gchar *step = NULL, *error = NULL;

  if (!sec_webrtc_pair_try_negotiate (pair, offerer, options, &step, &error))
    fail ("negotiation with peer %d offering failed at %s: %s", offerer,
        step, error);
}

gint
sec_webrtc_peer_state (SecWebRTCPeer * peer)
{
  gint state;

  g_object_get (peer->bin, "connection-state", &state, NULL);
  return state;
}

static gchar *
messages (SecWebRTCPeer * peer)
{
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; i < peer->errors->len; i++)
    g_string_append_printf (text, "\n  peer %d error: %s", peer->index,
        (gchar *) g_ptr_array_index (peer->errors, i));
  return g_string_free (text, FALSE);
}

void
sec_webrtc_pair_wait_state (SecWebRTCPair * pair, gint state, gint seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  g_mutex_lock (&pair->lock);
  while (sec_webrtc_peer_state (&pair->peer[0]) != state
      || sec_webrtc_peer_state (&pair->peer[1]) != state) {
    if (!g_cond_wait_until (&pair->cond, &pair->lock, end)) {
      gchar *m0 = messages (&pair->peer[0]), *m1 = messages (&pair->peer[1]);

      fail ("connection-state not %d after %d s (peer 0: %d, peer 1: %d)"
          "%s%s", state, seconds, sec_webrtc_peer_state (&pair->peer[0]),
          sec_webrtc_peer_state (&pair->peer[1]), m0, m1);
    }
  }
  g_mutex_unlock (&pair->lock);
}

void
sec_webrtc_peer_wait_frames (SecWebRTCPeer * peer, guint video, guint audio,
    gint seconds)
{
  SecWebRTCPair *pair = peer->pair;
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  g_mutex_lock (&pair->lock);
  while (peer->video_frames < video || peer->audio_frames < audio) {
    if (!g_cond_wait_until (&pair->cond, &pair->lock, end)) {
      gchar *m = messages (peer);

      fail ("peer %d decoded %u video and %u audio frames in %d s, expected "
          "%u and %u%s", peer->index, peer->video_frames, peer->audio_frames,
          seconds, video, audio, m);
    }
  }
  g_mutex_unlock (&pair->lock);
}
