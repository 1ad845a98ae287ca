/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * webrtc-call: the main job (./run demo). Two secwebrtcbin peers in one
 * process, each in a pipeline of its own, call each other on 127.0.0.1:
 *
 *   each peer: videotestsrc ! vp8enc ! rtpvp8pay ! secwebrtcbin.sink_0
 *              audiotestsrc ! opusenc ! rtpopuspay ! secwebrtcbin.sink_1
 *              secwebrtcbin.src_N ! rtpvp8depay ! vp8dec ! fakesink (counted)
 *              secwebrtcbin.src_M ! rtpopusdepay ! opusdec ! fakesink
 *
 * The program is the signaling channel and carries only text: the
 * caller's SDP offer (create-offer) goes to the callee's
 * set-remote-description, the callee's answer back to the caller, and
 * each ICE candidate from on-ice-candidate to the other's
 * add-ice-candidate. It prints what the descriptions say about media and
 * security (m-lines, a=fingerprint, a=setup), then each side's
 * security-info once connected and the frames decoded each way.
 *
 * The caller also creates a data channel "chat" before the offer (the
 * offer gains an m=application line, bundled with the media); the callee
 * is given it by on-data-channel, and one text message goes each way,
 * printed as it arrived.
 *
 * Then it places the same call again with the answer's a=fingerprint
 * changed in transit, as a man in the middle of signaling would: the
 * caller's DTLS check must refuse the callee's certificate, both sides
 * must end in connection-state failed with an error naming both
 * fingerprints, and no frame may be decoded on either side.
 *
 * Exit status 0 when both outcomes are right, 1 when either is wrong
 * (or a step timed out), 2 for bad options.
 *
 * Usage: webrtc-call [--frames N] [--timeout SECONDS] [--show-sdp]
 *                    [--tamper answer|offer|none]
 */
#include <gst/gst.h>
#include <string.h>
#include <unistd.h>

#define CALLER 0
#define CALLEE 1

/* GstSecWebRTCConnectionState (the bin's enum, by value) */
#define STATE_CONNECTED 2
#define STATE_FAILED 4

typedef struct _Call Call;

typedef struct
{
  Call *call;
  const gchar *name;            /* "caller" or "callee" */
  GstElement *pipeline;
  GstElement *bin;              /* secwebrtcbin */
  gchar *local_fingerprint;     /* the bin's local-fingerprint property */

  /* protected by call->lock */
  guint video_frames;           /* after vp8dec */
  guint audio_frames;           /* after opusdec */
  GPtrArray *candidates;        /* trickled to the other side, text */
  GPtrArray *errors;            /* from the bus, "element: message\n detail" */
  GPtrArray *warnings;
  GObject *channel;             /* the data channel "chat", a reference */
  gchar *message;               /* the text that came on it */
} Peer;

struct _Call
{
  GMutex lock;
  GCond cond;                   /* broadcast on frames, states, messages */
  Peer peer[2];
  gboolean show_sdp;
  gboolean closing;             /* protected by lock: stop forwarding */
  gint64 deadline;              /* monotonic time, us */
};

/* --- text helpers ------------------------------------------------------- */

/* The value of the first "a=fingerprint:" line, "sha-256 AB:..", or
 * NULL. */
static gchar *
sdp_fingerprint (const gchar * sdp)
{
  const gchar *line = strstr (sdp, "a=fingerprint:");

  if (line == NULL)
    return NULL;
  line += strlen ("a=fingerprint:");
  return g_strndup (line, strcspn (line, "\r\n"));
}

/* What a description says about media and security: the BUNDLE group,
 * each m-line with its mid and direction, and each distinct
 * a=fingerprint and a=setup line with how often it occurs. */
static void
print_sdp_summary (const gchar * what, const gchar * sdp)
{
  gchar **lines = g_strsplit (sdp, "\n", -1);
  GString *media = NULL;
  GPtrArray *security = g_ptr_array_new ();
  GArray *counts = g_array_new (FALSE, TRUE, sizeof (guint));
  guint i, k, mlines = 0;

  g_print ("  %s (%" G_GSIZE_FORMAT " bytes of SDP text):\n", what,
      strlen (sdp));
  for (i = 0; lines[i]; i++) {
    gchar *line = g_strchomp (lines[i]);

    if (g_str_has_prefix (line, "a=group:BUNDLE")) {
      g_print ("    %s\n", line);
    } else if (g_str_has_prefix (line, "m=")) {
      if (media)
        g_print ("    %s\n", media->str);
      media = media ? g_string_assign (media, line) : g_string_new (line);
      mlines++;
    } else if (media && (g_str_has_prefix (line, "a=mid:")
            || g_str_equal (line, "a=sendrecv")
            || g_str_equal (line, "a=sendonly")
            || g_str_equal (line, "a=recvonly")
            || g_str_equal (line, "a=inactive"))) {
      g_string_append_printf (media, "  %s", line);
    }
    if (g_str_has_prefix (line, "a=fingerprint:")
        || g_str_has_prefix (line, "a=setup:")) {
      for (k = 0; k < security->len; k++)
        if (g_str_equal (g_ptr_array_index (security, k), line))
          break;
      if (k == security->len) {
        guint zero = 0;

        g_ptr_array_add (security, line);
        g_array_append_val (counts, zero);
      }
      g_array_index (counts, guint, k)++;
    }
  }
  if (media) {
    g_print ("    %s\n", media->str);
    g_string_free (media, TRUE);
  }
  for (k = 0; k < security->len; k++) {
    guint n = g_array_index (counts, guint, k);

    g_print ("    %s%s\n", (gchar *) g_ptr_array_index (security, k),
        n == mlines && mlines > 1 ? "  (on every m-line)" : "");
  }
  g_ptr_array_unref (security);
  g_array_unref (counts);
  g_strfreev (lines);
}

/* "candidate:1 1 UDP 2015363327 127.0.0.1 41371 typ host" ->
 * "host udp 127.0.0.1:41371" */
static gchar *
candidate_summary (const gchar * candidate)
{
  gchar **f = g_strsplit (candidate, " ", -1);
  gchar *out;

  if (g_strv_length (f) >= 8 && g_str_equal (f[6], "typ")) {
    gchar *protocol = g_ascii_strdown (f[2], -1);

    out = g_strdup_printf ("%s %s %s:%s", f[7], protocol, f[4], f[5]);
    g_free (protocol);
  } else {
    out = g_strdup (candidate);
  }
  g_strfreev (f);
  return out;
}

/* Each a=fingerprint:sha-256 value with its last hex digit changed: a
 * well-formed fingerprint of no certificate either peer has. */
static gchar *
tamper_fingerprint (const gchar * sdp)
{
  gchar *out = g_strdup (sdp);
  gchar *line = strstr (out, "a=fingerprint:sha-256 ");

  while (line) {
    gchar *end = line + strcspn (line, "\r\n");

    end[-1] = end[-1] == '0' ? '1' : '0';
    line = strstr (end, "a=fingerprint:sha-256 ");
  }
  return out;
}

static const gchar *
enum_nick (GObject * object, const gchar * property)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS
      (object), property);
  GEnumValue *value;
  gint v = 0;

  g_object_get (object, property, &v, NULL);
  value = g_enum_get_value (g_type_class_peek (pspec->value_type), v);
  return value ? value->value_nick : "?";
}

static gint
connection_state (Peer * peer)
{
  gint state = 0;

  g_object_get (peer->bin, "connection-state", &state, NULL);
  return state;
}

/* --- the peers ---------------------------------------------------------- */

static void
broadcast (Call * call)
{
  g_mutex_lock (&call->lock);
  g_cond_broadcast (&call->cond);
  g_mutex_unlock (&call->lock);
}

/* Any thread: errors and warnings are kept as "element: message" and, on
 * a line of its own, the detail (the debug string without its source
 * location and object path). */
static GstBusSyncReply
on_message (GstBus * bus, GstMessage * msg, Peer * peer)
{
  GError *error = NULL;
  gchar *debug = NULL, *text;
  const gchar *detail;
  gboolean is_error = GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR;

  (void) bus;
  if (is_error)
    gst_message_parse_error (msg, &error, &debug);
  else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING)
    gst_message_parse_warning (msg, &error, &debug);
  else
    goto done;
  detail = debug ? strstr (debug, ":\n") : NULL;
  detail = detail ? detail + 2 : debug;
  text = g_strdup_printf ("%s: %s%s%s", GST_OBJECT_NAME
      (GST_MESSAGE_SRC (msg)), error->message, detail ? "\n      " : "",
      detail ? detail : "");
  g_mutex_lock (&peer->call->lock);
  g_ptr_array_add (is_error ? peer->errors : peer->warnings, text);
  g_cond_broadcast (&peer->call->cond);
  g_mutex_unlock (&peer->call->lock);
  g_error_free (error);
  g_free (debug);
done:
  /* a sync handler that drops a message owns it */
  gst_message_unref (msg);
  return GST_BUS_DROP;
}

/* The ICE thread: a local candidate, or "" at the end of gathering, goes
 * to the other peer as text. */
static void
on_ice_candidate (GstElement * bin, guint mline, const gchar * candidate,
    Peer * peer)
{
  Call *call = peer->call;
  Peer *other = &call->peer[1 - (peer - call->peer)];
  gboolean forward;

  (void) bin;
  g_mutex_lock (&call->lock);
  forward = !call->closing;
  if (forward)
    g_ptr_array_add (peer->candidates, g_strdup (candidate));
  g_mutex_unlock (&call->lock);
  if (forward)
    g_signal_emit_by_name (other->bin, "add-ice-candidate", mline, candidate);
}

static void
on_connection_state (GObject * bin, GParamSpec * pspec, Peer * peer)
{
  (void) bin;
  (void) pspec;
  broadcast (peer->call);
}

static void
on_decoded (GstElement * sink, GstBuffer * buffer, GstPad * pad,
    guint * count)
{
  Call *call = g_object_get_data (G_OBJECT (sink), "call");

  (void) buffer;
  (void) pad;
  g_mutex_lock (&call->lock);
  (*count)++;
  g_cond_broadcast (&call->cond);
  g_mutex_unlock (&call->lock);
}

/* A streaming thread: a src_%u pad for a received stream. Depayload,
 * decode and count it. */
static void
on_pad_added (GstElement * bin, GstPad * pad, Peer * peer)
{
  GstCaps *caps;
  const gchar *encoding;
  GstElement *decoder, *sink;
  GstPad *sinkpad;
  GError *error = NULL;
  gboolean video;

  (void) bin;
  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  encoding = gst_structure_get_string (gst_caps_get_structure (caps, 0),
      "encoding-name");
  video = g_strcmp0 (encoding, "VP8") == 0;
  if (!video && g_strcmp0 (encoding, "OPUS") != 0) {
    g_printerr ("%s: unexpected stream %s, not decoded\n", peer->name,
        GST_STR_NULL (encoding));
    gst_caps_unref (caps);
    return;
  }
  gst_caps_unref (caps);
  decoder = gst_parse_bin_from_description (video ?
      "rtpvp8depay request-keyframe=true wait-for-keyframe=true ! vp8dec ! "
      "fakesink name=decoded sync=false async=false signal-handoffs=true" :
      "rtpopusdepay ! opusdec ! "
      "fakesink name=decoded sync=false async=false signal-handoffs=true",
      TRUE, &error);
  if (decoder == NULL) {
    g_printerr ("%s: %s\n", peer->name, error->message);
    g_error_free (error);
    return;
  }
  sink = gst_bin_get_by_name (GST_BIN (decoder), "decoded");
  g_object_set_data (G_OBJECT (sink), "call", peer->call);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_decoded),
      video ? &peer->video_frames : &peer->audio_frames);
  gst_object_unref (sink);
  gst_bin_add (GST_BIN (peer->pipeline), decoder);
  gst_element_sync_state_with_parent (decoder);
  sinkpad = gst_element_get_static_pad (decoder, "sink");
  if (gst_pad_link (pad, sinkpad) != GST_PAD_LINK_OK)
    g_printerr ("%s: cannot link %s to its decoder\n", peer->name,
        GST_PAD_NAME (pad));
  gst_object_unref (sinkpad);
}

static gboolean
add_source (Peer * peer, const gchar * description)
{
  GError *error = NULL;
  GstElement *source = gst_parse_bin_from_description (description, TRUE,
      &error);
  GstPad *src, *sink;
  gboolean ok;

  if (source == NULL) {
    g_printerr ("FAIL: %s: %s\n", peer->name, error->message);
    g_error_free (error);
    return FALSE;
  }
  gst_bin_add (GST_BIN (peer->pipeline), source);
  src = gst_element_get_static_pad (source, "src");
  sink = gst_element_request_pad_simple (peer->bin, "sink_%u");
  ok = sink != NULL && gst_pad_link (src, sink) == GST_PAD_LINK_OK;
  if (!ok)
    g_printerr ("FAIL: %s: cannot link a source to a sink pad of "
        "secwebrtcbin\n", peer->name);
  gst_object_unref (src);
  if (sink)
    gst_object_unref (sink);
  return ok;
}

/* A text message on the data channel (the association's thread). */
static void
on_channel_message (GObject * channel, const gchar * text, Peer * peer)
{
  (void) channel;
  g_mutex_lock (&peer->call->lock);
  if (peer->message == NULL)
    peer->message = g_strdup (text);
  g_cond_broadcast (&peer->call->cond);
  g_mutex_unlock (&peer->call->lock);
}

static void
on_channel_open (GObject * channel, Peer * peer)
{
  (void) channel;
  broadcast (peer->call);
}

/* The callee is given the caller's channel (open already). */
static void
on_data_channel (GstElement * bin, GObject * channel, Peer * peer)
{
  (void) bin;
  g_signal_connect (channel, "on-message-string",
      G_CALLBACK (on_channel_message), peer);
  g_mutex_lock (&peer->call->lock);
  if (peer->channel == NULL)
    peer->channel = g_object_ref (channel);
  g_cond_broadcast (&peer->call->cond);
  g_mutex_unlock (&peer->call->lock);
}

static gboolean
peer_init (Peer * peer, Call * call, const gchar * name)
{
  GstBus *bus;

  peer->call = call;
  peer->name = name;
  peer->candidates = g_ptr_array_new_with_free_func (g_free);
  peer->errors = g_ptr_array_new_with_free_func (g_free);
  peer->warnings = g_ptr_array_new_with_free_func (g_free);
  peer->pipeline = gst_pipeline_new (name);
  peer->bin = gst_element_factory_make ("secwebrtcbin", NULL);
  if (peer->bin == NULL) {
    g_printerr ("FAIL: no secwebrtcbin element (is the secwebrtc plugin "
        "built? meson configure -Dwebrtc=enabled)\n");
    return FALSE;
  }
  g_object_set (peer->bin, "local-addresses", "127.0.0.1", "latency", 50,
      NULL);
  gst_bin_add (GST_BIN (peer->pipeline), peer->bin);
  g_signal_connect (peer->bin, "on-ice-candidate",
      G_CALLBACK (on_ice_candidate), peer);
  g_signal_connect (peer->bin, "pad-added", G_CALLBACK (on_pad_added), peer);
  g_signal_connect (peer->bin, "notify::connection-state",
      G_CALLBACK (on_connection_state), peer);
  g_signal_connect (peer->bin, "on-data-channel",
      G_CALLBACK (on_data_channel), peer);
  bus = gst_element_get_bus (peer->pipeline);
  gst_bus_set_sync_handler (bus, (GstBusSyncHandler) on_message, peer, NULL);
  gst_object_unref (bus);
  g_object_get (peer->bin, "local-fingerprint", &peer->local_fingerprint,
      NULL);

  return add_source (peer, "videotestsrc is-live=true ! "
      "video/x-raw,width=320,height=240,framerate=30/1 ! "
      "vp8enc deadline=1 keyframe-max-dist=300 ! rtpvp8pay")
      && add_source (peer, "audiotestsrc is-live=true ! opusenc ! "
      "rtpopuspay");
}

/* Stops both pipelines; nothing is forwarded to a peer any more. */
static void
call_stop (Call * call)
{
  guint i;

  g_mutex_lock (&call->lock);
  call->closing = TRUE;
  g_mutex_unlock (&call->lock);
  for (i = 0; i < 2; i++)
    if (call->peer[i].pipeline)
      gst_element_set_state (call->peer[i].pipeline, GST_STATE_NULL);
}

static void
call_free (Call * call)
{
  guint i;

  call_stop (call);
  for (i = 0; i < 2; i++) {
    Peer *peer = &call->peer[i];

    if (peer->pipeline) {
      GstBus *bus = gst_element_get_bus (peer->pipeline);

      if (peer->bin)
        g_signal_handlers_disconnect_by_data (peer->bin, peer);
      gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
      gst_object_unref (bus);
      gst_object_unref (peer->pipeline);
    }
    if (peer->channel) {
      g_signal_handlers_disconnect_by_data (peer->channel, peer);
      g_object_unref (peer->channel);
    }
    g_free (peer->message);
    g_free (peer->local_fingerprint);
    g_ptr_array_unref (peer->candidates);
    g_ptr_array_unref (peer->errors);
    g_ptr_array_unref (peer->warnings);
  }
  g_mutex_clear (&call->lock);
  g_cond_clear (&call->cond);
  g_free (call);
}

/* --- signaling ------------------------------------------------------------ */

typedef struct
{
  Call *call;
  gboolean changed;             /* protected by call->lock */
} PromiseWait;

/* The thread that replies (or ours, on interrupt). */
static void
on_promise_changed (GstPromise * promise, gpointer user_data)
{
  PromiseWait *wait = user_data;

  (void) promise;
  g_mutex_lock (&wait->call->lock);
  wait->changed = TRUE;
  g_cond_broadcast (&wait->call->cond);
  g_mutex_unlock (&wait->call->lock);
}

/* Emits @signal (create-offer, create-answer: no @type nor @sdp) and
 * waits for its promise, at most until the call's deadline. Returns a
 * copy of the reply structure (an empty one for an empty reply), or NULL
 * with @error set. */
static GstStructure *
call_promise (Peer * peer, const gchar * signal, const gchar * type,
    const gchar * sdp, gchar ** error)
{
  Call *call = peer->call;
  PromiseWait *wait = g_new0 (PromiseWait, 1);
  GstPromise *promise;
  GstStructure *reply = NULL;
  GError *err = NULL;
  gboolean changed;

  wait->call = call;
  promise = gst_promise_new_with_change_func (on_promise_changed, wait,
      g_free);
  if (g_str_has_prefix (signal, "create-"))
    g_signal_emit_by_name (peer->bin, signal, NULL, promise);
  else
    g_signal_emit_by_name (peer->bin, signal, type, sdp, promise);
  g_mutex_lock (&call->lock);
  while (!wait->changed)
    if (!g_cond_wait_until (&call->cond, &call->lock, call->deadline))
      break;
  changed = wait->changed;
  g_mutex_unlock (&call->lock);
  if (!changed) {
    gst_promise_interrupt (promise);
    *error = g_strdup ("no reply within the timeout");
  } else if (gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED) {
    const GstStructure *s = gst_promise_get_reply (promise);

    reply = s ? gst_structure_copy (s) : gst_structure_new_empty ("reply");
    if (gst_structure_get (reply, "error", G_TYPE_ERROR, &err, NULL)) {
      *error = g_strdup (err->message);
      g_error_free (err);
      gst_structure_free (reply);
      reply = NULL;
    }
  } else {
    *error = g_strdup ("the promise was interrupted or expired");
  }
  gst_promise_unref (promise);
  return reply;
}

/* One half of an offer/answer exchange, as text: @from creates the
 * description and applies it as its local one, the text travels
 * (@tamper: with its a=fingerprint changed on the way) and @to applies
 * it as its remote one. Returns the text @to received, or NULL. */
static gchar *
send_description (Peer * from, Peer * to, const gchar * type,
    gboolean tamper)
{
  Call *call = from->call;
  gchar *create = g_strdup_printf ("create-%s", type);
  gchar *sdp = NULL, *sent_fingerprint, *error = NULL;
  GstStructure *reply;
  const gchar *step = create;

  reply = call_promise (from, create, NULL, NULL, &error);
  if (reply == NULL)
    goto failed;
  sdp = g_strdup (gst_structure_get_string (reply, "sdp"));
  gst_structure_free (reply);
  if (sdp == NULL) {
    error = g_strdup ("the reply holds no sdp");
    goto failed;
  }
  step = "set-local-description";
  reply = call_promise (from, step, type, NULL, &error);
  if (reply == NULL)
    goto failed;
  gst_structure_free (reply);

  /* in transit */
  sent_fingerprint = sdp_fingerprint (sdp);
  if (tamper) {
    gchar *tampered = tamper_fingerprint (sdp);

    g_free (sdp);
    sdp = tampered;
  }
  {
    gchar *what = g_strdup_printf ("%s, %s -> %s%s", type, from->name,
        to->name, tamper ? ", a=fingerprint TAMPERED in transit" : "");

    print_sdp_summary (what, sdp);
    g_free (what);
  }
  if (tamper) {
    gchar *received = sdp_fingerprint (sdp);

    g_print ("    tampered: the %s sent %s (its certificate's), the %s "
        "receives %s\n", from->name, GST_STR_NULL (sent_fingerprint),
        to->name, GST_STR_NULL (received));
    g_free (received);
  }
  g_free (sent_fingerprint);
  if (call->show_sdp) {
    gchar **lines = g_strsplit (sdp, "\r\n", -1);
    guint i;

    g_print ("    the %s as the %s receives it:\n", type, to->name);
    for (i = 0; lines[i] && lines[i][0]; i++) {
      /* the ICE password is a credential: its length only */
      if (g_str_has_prefix (lines[i], "a=ice-pwd:"))
        g_print ("      a=ice-pwd:(%" G_GSIZE_FORMAT " characters, not "
            "printed)\n", strlen (lines[i]) - strlen ("a=ice-pwd:"));
      else
        g_print ("      %s\n", lines[i]);
    }
    g_strfreev (lines);
  }

  step = "set-remote-description";
  reply = call_promise (to, step, type, sdp, &error);
  if (reply == NULL)
    goto failed;
  gst_structure_free (reply);
  g_free (create);
  return sdp;

failed:
  g_printerr ("FAIL: %s: %s(%s): %s\n", step == create ? from->name :
      g_str_equal (step, "set-local-description") ? from->name : to->name,
      step, type, error);
  g_free (error);
  g_free (sdp);
  g_free (create);
  return NULL;
}

/* --- waiting on the call (bounded by the deadline) --------------------- */

static gboolean
both_in_state (Call * call, gint state)
{
  return connection_state (&call->peer[0]) == state
      && connection_state (&call->peer[1]) == state;
}

static gboolean
either_failed (Call * call)
{
  return connection_state (&call->peer[0]) == STATE_FAILED
      || connection_state (&call->peer[1]) == STATE_FAILED;
}

/* Waits with the lock held until @done (called with the lock held) or
 * the deadline. */
static gboolean
wait_until (Call * call, gboolean (*done) (Call * call, gpointer data),
    gpointer data)
{
  gboolean ok = TRUE;

  g_mutex_lock (&call->lock);
  while (!(ok = done (call, data)))
    if (!g_cond_wait_until (&call->cond, &call->lock, call->deadline)) {
      ok = done (call, data);
      break;
    }
  g_mutex_unlock (&call->lock);
  return ok;
}

/* connected on both sides, or failed on either (no use waiting) */
static gboolean
connected_or_failed (Call * call, gpointer data)
{
  (void) data;
  return both_in_state (call, STATE_CONNECTED) || either_failed (call);
}

static gboolean
frames_decoded (Call * call, gpointer data)
{
  guint frames = GPOINTER_TO_UINT (data), i;

  if (either_failed (call))
    return TRUE;
  for (i = 0; i < 2; i++)
    if (call->peer[i].video_frames < frames
        || call->peer[i].audio_frames < frames)
      return FALSE;
  return TRUE;
}

/* the error that names both fingerprints, from @checker's bus */
static const gchar *
find_mismatch_error (Peer * checker, const gchar * real,
    const gchar * signaled)
{
  guint i;

  for (i = 0; i < checker->errors->len; i++) {
    const gchar *e = g_ptr_array_index (checker->errors, i);

    if (strstr (e, real) && strstr (e, signaled))
      return e;
  }
  return NULL;
}

typedef struct
{
  Peer *checker;
  const gchar *real, *signaled;
} Refusal;

/* refused, or connected on both sides (then no refusal will come) */
static gboolean
refused_or_connected (Call * call, gpointer data)
{
  Refusal *r = data;

  return (both_in_state (call, STATE_FAILED)
      && find_mismatch_error (r->checker, r->real, r->signaled) != NULL)
      || both_in_state (call, STATE_CONNECTED);
}

/* --- what happened ------------------------------------------------------ */

static void
print_candidates (Call * call)
{
  guint i, k;

  g_print ("  ICE candidates trickled as text (on-ice-candidate -> "
      "add-ice-candidate):\n");
  for (i = 0; i < 2; i++) {
    Peer *peer = &call->peer[i];
    GString *line = g_string_new (NULL);

    g_mutex_lock (&call->lock);
    for (k = 0; k < peer->candidates->len; k++) {
      const gchar *c = g_ptr_array_index (peer->candidates, k);
      gchar *summary = *c ? candidate_summary (c) : g_strdup
          ("end-of-candidates");

      g_string_append_printf (line, "%s%s", k ? ", " : "", summary);
      if (call->show_sdp && *c)
        g_print ("    %s -> %s: %s\n", peer->name,
            call->peer[1 - i].name, c);
      g_free (summary);
    }
    g_mutex_unlock (&call->lock);
    g_print ("    %s -> %s: %s\n", peer->name, call->peer[1 - i].name,
        line->len ? line->str : "none");
    g_string_free (line, TRUE);
  }
}

static void
print_states (Call * call)
{
  g_print ("  ice-connection-state: caller %s, callee %s; connection-state: "
      "caller %s, callee %s\n",
      enum_nick (G_OBJECT (call->peer[0].bin), "ice-connection-state"),
      enum_nick (G_OBJECT (call->peer[1].bin), "ice-connection-state"),
      enum_nick (G_OBJECT (call->peer[0].bin), "connection-state"),
      enum_nick (G_OBJECT (call->peer[1].bin), "connection-state"));
}

/* Prints @peer's security-info and checks it against the fingerprint
 * the other side signaled in @received_sdp (the text @peer received). */
static gboolean
print_security_info (Peer * peer, Peer * other, const gchar * received_sdp)
{
  GstStructure *info = NULL;
  gchar *signaled = sdp_fingerprint (received_sdp);
  const gchar *remote, *local_type, *remote_type, *protocol, *sas;
  gboolean verified = FALSE, ok = TRUE;

  g_object_get (peer->bin, "security-info", &info, NULL);
  if (info == NULL) {
    g_print ("  %s security-info: none\n", peer->name);
    g_printerr ("FAIL: %s is connected but has no security-info\n",
        peer->name);
    g_free (signaled);
    return FALSE;
  }
  remote = gst_structure_get_string (info, "remote-fingerprint");
  gst_structure_get_boolean (info, "fingerprint-verified", &verified);
  local_type = gst_structure_get_string (info, "local-candidate-type");
  remote_type = gst_structure_get_string (info, "remote-candidate-type");
  protocol = gst_structure_get_string (info, "local-candidate-protocol");
  sas = gst_structure_get_string (info, "sas");
  g_print ("  %s security-info:\n", peer->name);
  g_print ("    DTLS version:       %s\n",
      gst_structure_get_string (info, "dtls-version"));
  g_print ("    cipher suite:       %s\n",
      gst_structure_get_string (info, "cipher-suite"));
  g_print ("    SRTP profile:       %s (keys stay inside the bin, never "
      "printed)\n", gst_structure_get_string (info, "srtp-profile"));
  g_print ("    local fingerprint:  %s\n",
      gst_structure_get_string (info, "local-fingerprint"));
  g_print ("    remote fingerprint: %s (%s)\n", remote,
      verified && g_strcmp0 (remote, signaled) == 0 ?
      "verified: the peer's certificate matches the a=fingerprint received" :
      "NOT VERIFIED against the a=fingerprint received");
  g_print ("    candidate pair:     local %s%s%s, remote %s\n",
      GST_STR_NULL (local_type), protocol ? " " : "", protocol ? protocol :
      "", GST_STR_NULL (remote_type));
  if (sas)
    g_print ("    SAS:                %s\n", sas);

  if (!verified || g_strcmp0 (remote, signaled) != 0
      || g_strcmp0 (remote, other->local_fingerprint) != 0) {
    g_printerr ("FAIL: %s verified %s; the a=fingerprint it received says "
        "%s and %s's certificate is %s\n", peer->name, GST_STR_NULL (remote),
        GST_STR_NULL (signaled), other->name,
        GST_STR_NULL (other->local_fingerprint));
    ok = FALSE;
  }
  if (g_strcmp0 (gst_structure_get_string (info, "local-fingerprint"),
          peer->local_fingerprint) != 0
      || gst_structure_get_string (info, "dtls-version") == NULL
      || gst_structure_get_string (info, "srtp-profile") == NULL) {
    gchar *text = gst_structure_to_string (info);

    g_printerr ("FAIL: %s's security-info is incomplete: %s\n", peer->name,
        text);
    g_free (text);
    ok = FALSE;
  }
  gst_structure_free (info);
  g_free (signaled);
  return ok;
}

static void
print_messages (Peer * peer, GPtrArray * messages, const gchar * kind)
{
  guint i;

  g_mutex_lock (&peer->call->lock);
  for (i = 0; i < messages->len; i++)
    g_print ("  %s %s: %s\n", peer->name, kind,
        (gchar *) g_ptr_array_index (messages, i));
  g_mutex_unlock (&peer->call->lock);
}

static void
print_frames (Call * call)
{
  guint i;

  g_print ("  decoded (video frames after vp8dec, audio buffers after "
      "opusdec):\n");
  for (i = 0; i < 2; i++) {
    Peer *to = &call->peer[1 - i];

    g_print ("    %s -> %s: %u video frames, %u audio buffers\n",
        call->peer[i].name, to->name, to->video_frames, to->audio_frames);
  }
}

/* --- the two calls ------------------------------------------------------ */

typedef enum
{
  TAMPER_NONE,
  TAMPER_OFFER,
  TAMPER_ANSWER,
} Tamper;

static Call *
call_new (gboolean show_sdp, gint timeout)
{
  Call *call = g_new0 (Call, 1);
  guint i;
  gboolean ok = TRUE;

  g_mutex_init (&call->lock);
  g_cond_init (&call->cond);
  call->show_sdp = show_sdp;
  call->deadline = g_get_monotonic_time () + timeout * G_USEC_PER_SEC;
  for (i = 0; i < 2; i++)
    ok &= peer_init (&call->peer[i], call, i == CALLER ? "caller" : "callee");
  for (i = 0; ok && i < 2; i++)
    if (gst_element_set_state (call->peer[i].pipeline, GST_STATE_PLAYING)
        == GST_STATE_CHANGE_FAILURE) {
      g_printerr ("FAIL: the %s's pipeline does not play\n",
          call->peer[i].name);
      ok = FALSE;
    }
  if (!ok) {
    call_free (call);
    return NULL;
  }
  return call;
}

/* The offer from the caller to the callee, the answer back (with
 * @tamper applied on the way). Fills the texts each side received. */
static gboolean
negotiate (Call * call, Tamper tamper, gchar ** offer, gchar ** answer)
{
  Peer *caller = &call->peer[CALLER], *callee = &call->peer[CALLEE];

  *offer = send_description (caller, callee, "offer", tamper == TAMPER_OFFER);
  if (*offer == NULL)
    return FALSE;
  *answer = send_description (callee, caller, "answer",
      tamper == TAMPER_ANSWER);
  return *answer != NULL;
}

/* The caller's channel is open and the callee has it. */
static gboolean
channel_ready (Call * call, gpointer data)
{
  gint state = 0;

  (void) data;
  if (either_failed (call) || call->peer[CALLEE].channel == NULL)
    return either_failed (call);
  g_object_get (call->peer[CALLER].channel, "ready-state", &state, NULL);
  return state == 2;            /* open */
}

static gboolean
message_arrived (Call * call, gpointer data)
{
  return either_failed (call) || ((Peer *) data)->message != NULL;
}

/* One text message each way on the data channel "chat". */
static gboolean
chat (Call * call)
{
  Peer *caller = &call->peer[CALLER], *callee = &call->peer[CALLEE];
  static const gchar *const text[2] = { "hello from the caller",
    "hello from the callee"
  };
  gint id = -1;
  guint i;

  if (!wait_until (call, channel_ready, NULL) || either_failed (call)) {
    g_printerr ("FAIL: the data channel did not open\n");
    return FALSE;
  }
  g_object_get (caller->channel, "id", &id, NULL);
  for (i = 0; i < 2; i++) {
    Peer *from = &call->peer[i], *to = &call->peer[1 - i];

    g_signal_emit_by_name (from->channel, "send-string", text[i]);
    if (!wait_until (call, message_arrived, to) || to->message == NULL) {
      g_printerr ("FAIL: the %s's message did not arrive\n", from->name);
      return FALSE;
    }
    g_print ("  data channel 'chat' (SCTP stream %d): %s -> %s: \"%s\"\n",
        id, from->name, to->name, to->message);
    if (g_strcmp0 (to->message, text[i]) != 0) {
      g_printerr ("FAIL: the %s sent \"%s\"\n", from->name, text[i]);
      return FALSE;
    }
  }
  (void) callee;
  return TRUE;
}

/* The first call: it must connect, verify both certificates against
 * what was signaled and decode @frames video frames and audio buffers
 * each way. */
static gboolean
honest_call (guint frames, gint timeout, gboolean show_sdp)
{
  Call *call;
  gchar *offer = NULL, *answer = NULL;
  gint64 applied;
  gboolean ok;
  guint i;

  g_print ("\nCall 1: the SDP delivered as sent\n");
  call = call_new (show_sdp, timeout);
  if (call == NULL)
    return FALSE;
  /* before the offer: it carries the data m-line */
  g_signal_emit_by_name (call->peer[CALLER].bin, "create-data-channel",
      "chat", NULL, &call->peer[CALLER].channel);
  if (call->peer[CALLER].channel == NULL) {
    g_printerr ("FAIL: no data channel (is the secsctp plugin built? it "
        "needs libusrsctp-dev)\n");
    call_free (call);
    return FALSE;
  }
  g_signal_connect (call->peer[CALLER].channel, "on-message-string",
      G_CALLBACK (on_channel_message), &call->peer[CALLER]);
  g_signal_connect (call->peer[CALLER].channel, "on-open",
      G_CALLBACK (on_channel_open), &call->peer[CALLER]);
  ok = negotiate (call, TAMPER_NONE, &offer, &answer);
  applied = g_get_monotonic_time ();
  if (ok && !wait_until (call, connected_or_failed, NULL))
    g_printerr ("FAIL: not connected within %d s\n", timeout);
  if (ok && both_in_state (call, STATE_CONNECTED)) {
    g_print ("  connected %.0f ms after the answer was applied\n",
        (g_get_monotonic_time () - applied) / 1000.0);
    if (!wait_until (call, frames_decoded, GUINT_TO_POINTER
            (frames)))
      g_printerr ("FAIL: fewer than %u video frames and audio buffers "
          "decoded each way within %d s\n", frames, timeout);
  }
  if (ok && both_in_state (call, STATE_CONNECTED))
    ok = chat (call);
  if (ok)
    print_states (call);
  ok &= both_in_state (call, STATE_CONNECTED);
  for (i = 0; ok && i < 2; i++)
    ok &= print_security_info (&call->peer[i], &call->peer[1 - i],
        i == CALLER ? answer : offer);
  call_stop (call);
  print_candidates (call);
  print_frames (call);
  for (i = 0; i < 2; i++) {
    Peer *peer = &call->peer[i];

    print_messages (peer, peer->errors, "error");
    print_messages (peer, peer->warnings, "warning");
    if (peer->video_frames < frames || peer->audio_frames < frames)
      ok = FALSE;
    if (peer->errors->len > 0) {
      g_printerr ("FAIL: %s posted an error\n", peer->name);
      ok = FALSE;
    }
  }
  if (ok)
    g_print ("  OK: connected; each side verified the other's certificate "
        "against the a=fingerprint it received; media decoded both ways; "
        "a data channel message each way\n");
  else
    g_printerr ("FAIL: the call did not work as it should (see above)\n");
  g_free (offer);
  g_free (answer);
  call_free (call);
  return ok;
}

/* The second call, with a fingerprint changed in signaling: both sides
 * must end in failed, the side that checked it must post an error naming
 * the fingerprint it expected and the one it got, and nothing may be
 * decoded on either side. */
static gboolean
tampered_call (Tamper tamper, gint timeout, gboolean show_sdp)
{
  Call *call;
  gchar *offer = NULL, *answer = NULL, *signaled = NULL;
  Peer *checker, *checked;
  Refusal refusal;
  gboolean ok, named;
  guint i;

  if (tamper == TAMPER_NONE)
    g_print ("\nCall 2: the same call, nothing tampered (--tamper none): "
        "the refusal this call shows is missing\n");
  else
    g_print ("\nCall 2: the same call with the %s's a=fingerprint tampered "
        "in transit (a man in the middle of signaling)\n",
        tamper == TAMPER_OFFER ? "offer" : "answer");
  call = call_new (show_sdp, timeout);
  if (call == NULL)
    return FALSE;
  checker = &call->peer[tamper == TAMPER_OFFER ? CALLEE : CALLER];
  checked = &call->peer[tamper == TAMPER_OFFER ? CALLER : CALLEE];
  ok = negotiate (call, tamper, &offer, &answer);
  if (ok) {
    signaled = sdp_fingerprint (checker == &call->peer[CALLER] ? answer :
        offer);
    refusal.checker = checker;
    refusal.real = checked->local_fingerprint;
    refusal.signaled = signaled ? signaled : "";
    if (!wait_until (call, refused_or_connected, &refusal))
      g_printerr ("FAIL: within %d s, not both sides failed with an error "
          "from the %s naming both fingerprints\n", timeout, checker->name);
    else if (both_in_state (call, STATE_CONNECTED))
      g_printerr ("FAIL: both sides connected\n");
    print_states (call);
  }
  ok &= both_in_state (call, STATE_FAILED);
  for (i = 0; i < 2; i++) {
    GstStructure *info = NULL;

    g_object_get (call->peer[i].bin, "security-info", &info, NULL);
    if (info) {
      gchar *text = gst_structure_to_string (info);

      g_printerr ("FAIL: %s has security-info after a refused handshake: "
          "%s\n", call->peer[i].name, text);
      g_free (text);
      gst_structure_free (info);
      ok = FALSE;
    }
  }
  if (ok)
    g_print ("  security-info: none on either side (never connected)\n");
  call_stop (call);
  print_candidates (call);
  for (i = 0; i < 2; i++)
    print_messages (&call->peer[i], call->peer[i].errors, "error");
  g_mutex_lock (&call->lock);
  named = signaled && find_mismatch_error (checker,
      checked->local_fingerprint, signaled) != NULL;
  g_mutex_unlock (&call->lock);
  print_frames (call);
  for (i = 0; i < 2; i++)
    if (call->peer[i].video_frames > 0 || call->peer[i].audio_frames > 0) {
      g_printerr ("FAIL: %s decoded media from a peer it did not verify\n",
          call->peer[i].name);
      ok = FALSE;
    }
  if (!named)
    ok = FALSE;
  if (ok)
    g_print ("  OK: refused: the %s checked the %s's certificate (%s) "
        "against the tampered a=fingerprint (%s) inside the DTLS "
        "handshake; both sides failed, no media either way\n",
        checker->name, checked->name, checked->local_fingerprint, signaled);
  else
    g_printerr ("FAIL: the tampered call was not refused as it should be "
        "(see above)\n");
  g_free (signaled);
  g_free (offer);
  g_free (answer);
  call_free (call);
  return ok;
}

/* --- no hang: a watchdog over the whole program ------------------------- */

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean done;
  gint seconds;
} Watchdog;

static gpointer
watchdog_run (gpointer data)
{
  Watchdog *w = data;
  gint64 end = g_get_monotonic_time () + w->seconds * G_USEC_PER_SEC;

  g_mutex_lock (&w->lock);
  while (!w->done)
    if (!g_cond_wait_until (&w->cond, &w->lock, end)) {
      g_printerr ("FAIL: webrtc-call did not finish within %d s; "
          "stopping\n", w->seconds);
      _exit (1);
    }
  g_mutex_unlock (&w->lock);
  return NULL;
}

static gboolean
parse_tamper (const gchar * name, const gchar * value, gpointer data,
    GError ** error)
{
  Tamper *tamper = data;

  (void) name;
  if (g_str_equal (value, "answer"))
    *tamper = TAMPER_ANSWER;
  else if (g_str_equal (value, "offer"))
    *tamper = TAMPER_OFFER;
  else if (g_str_equal (value, "none"))
    *tamper = TAMPER_NONE;
  else {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--tamper: unknown value '%s' (known: answer, offer, none)", value);
    return FALSE;
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  gint frames = 60, timeout = 20;
  gboolean show_sdp = FALSE;
  Tamper tamper = TAMPER_ANSWER;
  GOptionEntry entries[] = {
    {"frames", 'n', 0, G_OPTION_ARG_INT, &frames,
          "Video frames and audio buffers each side must decode in the "
          "first call (default: 60)", "N"},
    {"timeout", 't', 0, G_OPTION_ARG_INT, &timeout,
          "Seconds each call may take to connect (or fail) and decode the "
          "frames (default: 20)", "SECONDS"},
    {"show-sdp", 's', 0, G_OPTION_ARG_NONE, &show_sdp,
        "Print each offer and answer whole (but the a=ice-pwd value), and "
        "each candidate", NULL},
    {"tamper", 0, 0, G_OPTION_ARG_CALLBACK, parse_tamper,
          "Which description's a=fingerprint the second call changes in "
          "transit: answer, offer, or none (then the call connects and the "
          "program reports the refusal missing) (default: answer)", "WHAT"},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("- a WebRTC call between two "
      "secwebrtcbin peers on loopback, then the same call with a tampered "
      "fingerprint");
  GOptionGroup *group;
  GstElementFactory *factory;
  GstPlugin *plugin;
  GError *err = NULL;
  Watchdog watchdog = { 0, };
  GThread *watchdog_thread;
  gboolean ok;

  group = g_option_group_new ("webrtc-call", "", "", &tamper, NULL);
  g_option_group_add_entries (group, entries);
  g_option_context_set_main_group (ctx, group);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("%s\n", err->message);
    g_error_free (err);
    g_option_context_free (ctx);
    return 2;
  }
  g_option_context_free (ctx);
  if (frames < 1 || timeout < 1) {
    g_printerr ("--frames and --timeout must be at least 1\n");
    return 2;
  }

  factory = gst_element_factory_find ("secwebrtcbin");
  if (factory == NULL) {
    g_printerr ("FAIL: no secwebrtcbin element (the secwebrtc plugin is "
        "not built or not on GST_PLUGIN_PATH)\n");
    return 1;
  }
  plugin = gst_plugin_feature_get_plugin (GST_PLUGIN_FEATURE (factory));

  g_mutex_init (&watchdog.lock);
  g_cond_init (&watchdog.cond);
  watchdog.seconds = 2 * timeout + 60;
  watchdog_thread = g_thread_new ("watchdog", watchdog_run, &watchdog);

  g_print ("WebRTC call between two secwebrtcbin peers in one process, each "
      "its own pipeline, on 127.0.0.1\n");
  g_print ("  secwebrtcbin from %s\n", plugin ?
      gst_plugin_get_filename (plugin) : "?");
  g_print ("  media: VP8 320x240 video and Opus audio both ways; "
      "signaling: SDP offer and answer and trickled ICE candidates as text\n");

  ok = honest_call (frames, timeout, show_sdp);
  ok &= tampered_call (tamper, timeout, show_sdp);

  g_mutex_lock (&watchdog.lock);
  watchdog.done = TRUE;
  g_cond_broadcast (&watchdog.cond);
  g_mutex_unlock (&watchdog.lock);
  g_thread_join (watchdog_thread);
  g_mutex_clear (&watchdog.lock);
  g_cond_clear (&watchdog.cond);
  if (plugin)
    gst_object_unref (plugin);
  gst_object_unref (factory);

  if (ok)
    g_print ("\nOK: the call connected with both certificates verified "
        "against the signaled fingerprints and carried VP8 and Opus both "
        "ways; with a tampered fingerprint the same call failed on both "
        "sides and delivered nothing\n");
  else
    g_printerr ("\nFAIL: see above\n");
  gst_deinit ();
  return ok ? 0 : 1;
}
