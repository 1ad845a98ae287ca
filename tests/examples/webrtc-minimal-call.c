/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * webrtc-minimal-call: the C program of docs/elements/secwebrtcbin.md (the
 * page quotes it, and the test webrtc-doc-excerpts checks that it quotes it
 * as it is). Two secwebrtcbin peers in this process, each in a pipeline
 * "videotestsrc ! vp8enc ! rtpvp8pay ! secwebrtcbin" on 127.0.0.1; the
 * program plays the signaling channel: offer and answer through the action
 * signals and their promises, candidates trickled from on-ice-candidate to
 * the other side's add-ice-candidate. It waits until both sides are
 * connected and decoded FRAMES VP8 frames, then reads security-info: the
 * peer's certificate was verified against the fingerprint signaled.
 * The offerer also opens a data channel "chat" before the offer: it
 * says hello when the channel opens, and the answerer, given the channel
 * by on-data-channel, answers each message.
 *
 *   meson devenv -C build -w . build/tests/examples/webrtc-minimal-call
 *
 * Exit status 0 when all of that happened within WAIT_S seconds, 1 when not;
 * the whole program is bounded by DEADLINE_S (SIGALRM).
 */
#include <gst/gst.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FRAMES 30
#define WAIT_S 10
#define DEADLINE_S 50

/* each side sends VP8 from a test source; the bin's sink_%u pad is
 * requested by the link from rtpvp8pay */
#define SENDER                                                                 \
  "videotestsrc is-live=true "                                                 \
  "! video/x-raw,width=320,height=240,framerate=30/1 "                         \
  "! vp8enc deadline=1 ! rtpvp8pay "                                           \
  "! secwebrtcbin name=pc local-addresses=127.0.0.1"

typedef struct Peer Peer;
struct Peer
{
  const gchar *name;
  GstElement *pipeline;
  GstElement *pc; /* secwebrtcbin */
  Peer *other;
  guint frames; /* decoded, under lock */
  GObject *channel; /* the data channel "chat" */
  gchar *received; /* the first text on it, under lock */
};

static GMutex lock;
static GCond changed;

static gboolean check_factories (void);

/* The reply of an action signal's promise: FALSE, with the message said,
 * when it holds an "error". */
static gboolean
check_reply (GstPromise *promise, const gchar *what, gchar **sdp)
{
  const GstStructure *reply = NULL;
  GError *error = NULL;
  gboolean ok = FALSE;

  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED)
    g_printerr ("%s: no reply\n", what);
  else if ((reply = gst_promise_get_reply (promise)) != NULL
      && gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL)) {
    g_printerr ("%s refused: %s\n", what, error->message);
    g_error_free (error);
  } else {
    if (sdp != NULL)
      *sdp = g_strdup (gst_structure_get_string (reply, "sdp"));
    ok = TRUE;
  }
  gst_promise_unref (promise);
  return ok;
}

/* create-offer or create-answer, then set-local-description with it;
 * returns the SDP text to send to the other side */
static gchar *
create_description (Peer *peer, const gchar *type)
{
  gchar *signal = g_strconcat ("create-", type, NULL);
  GstPromise *promise = gst_promise_new ();
  gchar *sdp = NULL;

  g_signal_emit_by_name (peer->pc, signal, NULL, promise);
  if (check_reply (promise, signal, &sdp)) {
    promise = gst_promise_new ();
    /* NULL: the description just created */
    g_signal_emit_by_name (
        peer->pc, "set-local-description", type, NULL, promise);
    if (!check_reply (promise, "set-local-description", NULL))
      g_clear_pointer (&sdp, g_free);
  }
  g_free (signal);
  return sdp;
}

static gboolean
set_remote_description (Peer *peer, const gchar *type, const gchar *sdp)
{
  GstPromise *promise = gst_promise_new ();

  g_signal_emit_by_name (
      peer->pc, "set-remote-description", type, sdp, promise);
  return check_reply (promise, "set-remote-description", NULL);
}

/* trickle: each candidate to the other side at once ("" ends them) */
static void
on_ice_candidate (
    GstElement *pc, guint mline, const gchar *candidate, Peer *peer)
{
  g_signal_emit_by_name (
      peer->other->pc, "add-ice-candidate", mline, candidate);
}

static GstPadProbeReturn
on_frame (GstPad *pad, GstPadProbeInfo *info, Peer *peer)
{
  g_mutex_lock (&lock);
  peer->frames++;
  g_cond_broadcast (&changed);
  g_mutex_unlock (&lock);
  return GST_PAD_PROBE_OK;
}

/* a src_%u pad for what the other side sends: depayload, decode, count */
static void
on_pad_added (GstElement *pc, GstPad *pad, Peer *peer)
{
  GstElement *decoder, *vp8dec;
  GstPad *decoded, *sink;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  decoder = gst_parse_bin_from_description (
      "rtpvp8depay ! vp8dec name=dec ! fakesink sync=false async=false", TRUE,
      NULL);
  vp8dec = gst_bin_get_by_name (GST_BIN (decoder), "dec");
  decoded = gst_element_get_static_pad (vp8dec, "src");
  gst_pad_add_probe (decoded, GST_PAD_PROBE_TYPE_BUFFER,
      (GstPadProbeCallback)on_frame, peer, NULL);
  gst_bin_add (GST_BIN (peer->pipeline), decoder);
  gst_element_sync_state_with_parent (decoder);
  sink = gst_element_get_static_pad (decoder, "sink");
  gst_pad_link (pad, sink);
  gst_object_unref (sink);
  gst_object_unref (decoded);
  gst_object_unref (vp8dec);
}

/* data channel signals come from the channel's own thread */
static void
on_message_string (GObject *channel, const gchar *text, Peer *peer)
{
  g_mutex_lock (&lock);
  if (peer->received == NULL)
    peer->received = g_strdup (text);
  g_cond_broadcast (&changed);
  g_mutex_unlock (&lock);
  if (g_str_equal (peer->name, "answerer"))
    g_signal_emit_by_name (channel, "send-string", "hello from the answerer");
}

static void
on_open (GObject *channel, Peer *peer)
{
  g_signal_emit_by_name (channel, "send-string", "hello from the offerer");
}

/* a channel the other side opened */
static void
on_data_channel (GstElement *pc, GObject *channel, Peer *peer)
{
  peer->channel = g_object_ref (channel);
  g_signal_connect (
      channel, "on-message-string", G_CALLBACK (on_message_string), peer);
}

static void
on_state (GstElement *pc, GParamSpec *pspec, Peer *peer)
{
  g_mutex_lock (&lock);
  g_cond_broadcast (&changed);
  g_mutex_unlock (&lock);
}

static gboolean
peer_init (Peer *peer, const gchar *name)
{
  peer->name = name;
  peer->pipeline = gst_parse_launch (SENDER, NULL);
  if (peer->pipeline == NULL)
    return FALSE;
  peer->pc = gst_bin_get_by_name (GST_BIN (peer->pipeline), "pc");
  g_signal_connect (
      peer->pc, "on-ice-candidate", G_CALLBACK (on_ice_candidate), peer);
  g_signal_connect (peer->pc, "pad-added", G_CALLBACK (on_pad_added), peer);
  g_signal_connect (
      peer->pc, "notify::connection-state", G_CALLBACK (on_state), peer);
  g_signal_connect (
      peer->pc, "on-data-channel", G_CALLBACK (on_data_channel), peer);
  return TRUE;
}

/* "new", "connecting", "connected", "failed"... */
static const gchar *
connection_state (Peer *peer)
{
  GParamSpec *pspec = g_object_class_find_property (
      G_OBJECT_GET_CLASS (peer->pc), "connection-state");
  gint state;

  g_object_get (peer->pc, "connection-state", &state, NULL);
  return g_enum_get_value (G_PARAM_SPEC_ENUM (pspec)->enum_class, state)
      ->value_nick;
}

static gboolean
ready (Peer *peer)
{
  return g_str_equal (connection_state (peer), "connected")
      && peer->frames >= FRAMES && peer->received != NULL;
}

/* What security-info says: the peer's certificate, verified in the DTLS
 * handshake, is the one whose fingerprint the other side signaled (its
 * local-fingerprint). */
static gboolean
check_security_info (Peer *peer)
{
  GstStructure *info = NULL;
  gchar *signaled = NULL;
  const gchar *remote;
  gboolean verified = FALSE, ok;

  g_object_get (peer->pc, "security-info", &info, NULL);
  g_object_get (peer->other->pc, "local-fingerprint", &signaled, NULL);
  if (info == NULL) {
    g_printerr ("%s: no security-info\n", peer->name);
    g_free (signaled);
    return FALSE;
  }
  gst_structure_get_boolean (info, "fingerprint-verified", &verified);
  remote = gst_structure_get_string (info, "remote-fingerprint");
  ok = verified && g_strcmp0 (remote, signaled) == 0;
  g_print ("%s: %s, %s, SRTP %s\n  peer %s %s\n", peer->name,
      gst_structure_get_string (info, "dtls-version"),
      gst_structure_get_string (info, "cipher-suite"),
      gst_structure_get_string (info, "srtp-profile"), remote,
      ok ? "verified" : "NOT VERIFIED");
  gst_structure_free (info);
  g_free (signaled);
  return ok;
}

int
main (int argc, char **argv)
{
  Peer offerer = { 0 }, answerer = { 0 };
  gchar *offer = NULL, *answer = NULL;
  gint64 end;
  gboolean ok = FALSE;

  alarm (DEADLINE_S); /* a hang anywhere ends the program */
  gst_init (&argc, &argv);
  if (!check_factories () || !peer_init (&offerer, "offerer")
      || !peer_init (&answerer, "answerer"))
    return EXIT_FAILURE;
  offerer.other = &answerer;
  answerer.other = &offerer;
  gst_element_set_state (offerer.pipeline, GST_STATE_PLAYING);
  gst_element_set_state (answerer.pipeline, GST_STATE_PLAYING);

  /* before the offer, so that the offer carries data channels */
  g_signal_emit_by_name (
      offerer.pc, "create-data-channel", "chat", NULL, &offerer.channel);
  if (offerer.channel == NULL)
    goto done;
  g_signal_connect (offerer.channel, "on-open", G_CALLBACK (on_open), NULL);
  g_signal_connect (offerer.channel, "on-message-string",
      G_CALLBACK (on_message_string), &offerer);

  /* the signaling: SDP as text, from one side's promise to the other */
  if ((offer = create_description (&offerer, "offer")) == NULL
      || !set_remote_description (&answerer, "offer", offer)
      || (answer = create_description (&answerer, "answer")) == NULL
      || !set_remote_description (&offerer, "answer", answer))
    goto done;

  end = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  g_mutex_lock (&lock);
  while (!(ready (&offerer) && ready (&answerer)))
    if (!g_cond_wait_until (&changed, &lock, end))
      break;
  g_print ("offerer %s, %u frames decoded; answerer %s, %u frames decoded\n",
      connection_state (&offerer), offerer.frames, connection_state (&answerer),
      answerer.frames);
  g_print ("data channel: the offerer got \"%s\", the answerer \"%s\"\n",
      offerer.received, answerer.received);
  ok = ready (&offerer) && ready (&answerer)
      && g_str_equal (offerer.received, "hello from the answerer")
      && g_str_equal (answerer.received, "hello from the offerer");
  g_mutex_unlock (&lock);
  ok = ok && check_security_info (&offerer) && check_security_info (&answerer);

done:
  gst_element_set_state (offerer.pipeline, GST_STATE_NULL);
  gst_element_set_state (answerer.pipeline, GST_STATE_NULL);
  g_clear_object (&offerer.channel);
  g_clear_object (&answerer.channel);
  g_free (offerer.received);
  g_free (answerer.received);
  gst_object_unref (offerer.pc);
  gst_object_unref (answerer.pc);
  gst_object_unref (offerer.pipeline);
  gst_object_unref (answerer.pipeline);
  g_free (offer);
  g_free (answer);
  g_print ("%s\n", ok ? "OK" : "FAIL");
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* In the project's tests (SEC_BUILD_ROOT set), the elements must come
 * from the build tree, not from an installed copy. */
static gboolean
check_factories (void)
{
  static const gchar *names[] = { "secwebrtcbin", "secicesrc", "secdtlsdec",
    "secsrtpenc", "secsctpenc" };
  const gchar *root = g_getenv ("SEC_BUILD_ROOT");
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    GstElementFactory *factory = gst_element_factory_find (names[i]);
    GstPlugin *plugin;
    gboolean ours;

    if (factory == NULL) {
      g_printerr ("no element %s: is GST_PLUGIN_PATH set?\n", names[i]);
      return FALSE;
    }
    plugin = GST_PLUGIN (
        gst_plugin_feature_get_plugin (GST_PLUGIN_FEATURE (factory)));
    ours = root == NULL
        || (plugin
            && g_str_has_prefix (gst_plugin_get_filename (plugin), root));
    if (!ours)
      g_printerr ("%s comes from %s, not from %s\n", names[i],
          plugin ? gst_plugin_get_filename (plugin) : "?", root);
    if (plugin)
      gst_object_unref (plugin);
    gst_object_unref (factory);
    if (!ours)
      return FALSE;
  }
  return TRUE;
}
