/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secwebrtcbin's data channels (RFC 8831, RFC 8832, RFC 8841), two bins in
 * one process on 127.0.0.1 (tests/check/secwebrtcpair.c), the test doing
 * the signaling:
 *   - a data-only call: channels created by each side before the offer
 *     (the answerer's goes where the offer has its data m-line), one by
 *     each side on the running call (in-band, DCEP), text and binary
 *     messages of 0 to 262144 bytes both ways, stream ids by DTLS role,
 *     close from either side;
 *   - a negotiated channel (both ends, the same id, no DCEP) and the
 *     options a peer-opened channel shows (unordered, max-retransmits,
 *     protocol); get-stats' data-channel and sctp-transport entries;
 *   - channels next to audio and video in one BUNDLE, and a channel
 *     added by renegotiation to a call that had only media;
 *   - refusals: bad options, an id in use, sending on a channel that is
 *     not open, a message above the peer's a=max-message-size, a sink
 *     pad asked for the data m-line;
 *   - 20 MB in 64 KiB messages, checked by SHA-256 on arrival, the
 *     sender paced by buffered-amount-low: its queue stays bounded.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "secwebrtcpair.h"

#include <string.h>

#define WAIT_S 15
#define STATE_OPEN 2
#define STATE_CLOSED 4

/* --- what a channel went through ----------------------------------------- */

typedef struct
{
  gboolean binary;
  GBytes *data;                 /* text without its NUL */
} Message;

typedef struct
{
  SecWebRTCPair *pair;
  GObject *channel;             /* a reference */
  gint opened, closed;
  GPtrArray *messages;          /* Message * */
  GPtrArray *errors;            /* gchar * */
  guint low_events;
  /* the large transfer: what arrived, hashed on the way */
  GChecksum *sha256;
  guint64 received_bytes;
} Chan;

typedef struct
{
  SecWebRTCPair *pair;
  GPtrArray *remote[2];         /* Chan *: channels each peer was given */
  GPtrArray *own;               /* Chan *: created by the test */
  gboolean hash_only;           /* the large transfer: hash, keep nothing */
} Channels;

static Channels *channels_ctx;

static void
message_free (Message * m)
{
  g_bytes_unref (m->data);
  g_free (m);
}

static void
chan_free (Chan * c)
{
  g_signal_handlers_disconnect_by_data (c->channel, c);
  g_object_unref (c->channel);
  g_ptr_array_unref (c->messages);
  g_ptr_array_unref (c->errors);
  if (c->sha256)
    g_checksum_free (c->sha256);
  g_free (c);
}

static void
locked_update (Chan * c, void (*update) (Chan * c, gpointer data),
    gpointer data)
{
  g_mutex_lock (&c->pair->lock);
  update (c, data);
  g_cond_broadcast (&c->pair->cond);
  g_mutex_unlock (&c->pair->lock);
}

static void
count_open (Chan * c, gpointer data)
{
  (void) data;
  c->opened++;
}

static void
count_close (Chan * c, gpointer data)
{
  (void) data;
  c->closed++;
}

static void
count_low (Chan * c, gpointer data)
{
  (void) data;
  c->low_events++;
}

static void
add_error (Chan * c, gpointer data)
{
  g_ptr_array_add (c->errors, g_strdup (data));
}

static void
add_message (Chan * c, gpointer data)
{
  Message *m = data;

  if (channels_ctx && channels_ctx->hash_only) {
    gsize size;
    const guint8 *bytes = g_bytes_get_data (m->data, &size);

    if (size)
      g_checksum_update (c->sha256, bytes, size);
    c->received_bytes += size;
    message_free (m);
    return;
  }
  g_ptr_array_add (c->messages, m);
}

static void
on_open (GObject * channel, Chan * c)
{
  (void) channel;
  locked_update (c, count_open, NULL);
}

static void
on_close (GObject * channel, Chan * c)
{
  (void) channel;
  locked_update (c, count_close, NULL);
}

static void
on_low (GObject * channel, Chan * c)
{
  (void) channel;
  locked_update (c, count_low, NULL);
}

static void
on_error (GObject * channel, GError * error, Chan * c)
{
  (void) channel;
  GST_INFO ("channel error: %s", error->message);
  locked_update (c, add_error, error->message);
}

static void
on_string (GObject * channel, const gchar * text, Chan * c)
{
  Message *m = g_new0 (Message, 1);

  (void) channel;
  m->data = g_bytes_new (text, strlen (text));
  locked_update (c, add_message, m);
}

static void
on_data (GObject * channel, GBytes * data, Chan * c)
{
  Message *m = g_new0 (Message, 1);

  (void) channel;
  m->binary = TRUE;
  m->data = data ? g_bytes_ref (data) : g_bytes_new (NULL, 0);
  locked_update (c, add_message, m);
}

/* Watches @channel (a reference is taken). The channel may have opened
 * before this: the test reads ready-state after connecting. */
static Chan *
chan_new (SecWebRTCPair * pair, GObject * channel)
{
  Chan *c = g_new0 (Chan, 1);
  gint state;

  c->pair = pair;
  c->channel = g_object_ref (channel);
  c->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)
      message_free);
  c->errors = g_ptr_array_new_with_free_func (g_free);
  c->sha256 = g_checksum_new (G_CHECKSUM_SHA256);
  g_signal_connect (channel, "on-open", G_CALLBACK (on_open), c);
  g_signal_connect (channel, "on-close", G_CALLBACK (on_close), c);
  g_signal_connect (channel, "on-error", G_CALLBACK (on_error), c);
  g_signal_connect (channel, "on-message-string", G_CALLBACK (on_string), c);
  g_signal_connect (channel, "on-message-data", G_CALLBACK (on_data), c);
  g_signal_connect (channel, "on-buffered-amount-low", G_CALLBACK (on_low),
      c);
  g_object_get (channel, "ready-state", &state, NULL);
  if (state == STATE_OPEN) {
    g_mutex_lock (&pair->lock);
    c->opened = MAX (c->opened, 1);
    g_mutex_unlock (&pair->lock);
  }
  return c;
}

static void
on_data_channel (GstElement * bin, GObject * channel, SecWebRTCPeer * peer)
{
  Chan *c;
  gint state;

  (void) bin;
  /* announced open; on-open follows and is counted as well */
  g_object_get (channel, "ready-state", &state, NULL);
  fail_unless_equals_int (state, STATE_OPEN);
  c = chan_new (peer->pair, channel);
  g_mutex_lock (&peer->pair->lock);
  c->opened = 0;
  g_ptr_array_add (channels_ctx->remote[peer->index], c);
  g_cond_broadcast (&peer->pair->cond);
  g_mutex_unlock (&peer->pair->lock);
}

static Channels *
channels_new (SecWebRTCPair * pair)
{
  Channels *ctx = g_new0 (Channels, 1);
  gint i;

  ctx->pair = pair;
  ctx->own = g_ptr_array_new_with_free_func ((GDestroyNotify) chan_free);
  for (i = 0; i < 2; i++) {
    ctx->remote[i] = g_ptr_array_new_with_free_func ((GDestroyNotify)
        chan_free);
    g_signal_connect (pair->peer[i].bin, "on-data-channel",
        G_CALLBACK (on_data_channel), &pair->peer[i]);
  }
  channels_ctx = ctx;
  return ctx;
}

/* Stops the pair first: no signal comes any more. */
static void
channels_free_with_pair (Channels * ctx)
{
  gint i;

  for (i = 0; i < 2; i++)
    gst_element_set_state (ctx->pair->peer[i].pipeline, GST_STATE_NULL);
  for (i = 0; i < 2; i++) {
    g_signal_handlers_disconnect_by_data (ctx->pair->peer[i].bin,
        &ctx->pair->peer[i]);
    g_ptr_array_unref (ctx->remote[i]);
  }
  g_ptr_array_unref (ctx->own);
  sec_webrtc_pair_free (ctx->pair);
  channels_ctx = NULL;
  g_free (ctx);
}

/* A channel made by peer @i; NULL when refused. */
static Chan *
create (Channels * ctx, gint i, const gchar * label, const gchar * options)
{
  GstStructure *s = options ? gst_structure_from_string (options, NULL) :
      NULL;
  GObject *channel = NULL;
  Chan *c = NULL;

  g_signal_emit_by_name (ctx->pair->peer[i].bin, "create-data-channel",
      label, s, &channel);
  if (s)
    gst_structure_free (s);
  if (channel) {
    c = chan_new (ctx->pair, channel);
    g_ptr_array_add (ctx->own, c);
    g_object_unref (channel);
  }
  return c;
}

typedef gboolean (*Predicate) (Channels * ctx, gpointer data);

/* Waits, under the pair's lock, until @done; fails with @what after
 * @seconds. */
static void
wait_for (Channels * ctx, Predicate done, gpointer data, gint seconds,
    const gchar * what)
{
  gint64 end = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;
  gboolean ok;

  g_mutex_lock (&ctx->pair->lock);
  while (!(ok = done (ctx, data))
      && g_cond_wait_until (&ctx->pair->cond, &ctx->pair->lock, end));
  if (!ok)
    ok = done (ctx, data);
  g_mutex_unlock (&ctx->pair->lock);
  fail_unless (ok, "timed out after %d s waiting for %s", seconds, what);
}

static gboolean
is_open (Channels * ctx, gpointer data)
{
  (void) ctx;
  return ((Chan *) data)->opened > 0;
}

static gboolean
is_closed (Channels * ctx, gpointer data)
{
  (void) ctx;
  return ((Chan *) data)->closed > 0;
}

typedef struct
{
  Chan *chan;
  guint count;
} MessageCount;

static gboolean
has_messages (Channels * ctx, gpointer data)
{
  MessageCount *mc = data;

  (void) ctx;
  return mc->chan->messages->len >= mc->count;
}

static gboolean
has_error (Channels * ctx, gpointer data)
{
  (void) ctx;
  return ((Chan *) data)->errors->len > 0;
}

/* The channel peer @i was given with @label (waits for it). */
static Chan *
remote_channel (Channels * ctx, gint i, const gchar * label)
{
  gint64 end = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  Chan *found = NULL;

  g_mutex_lock (&ctx->pair->lock);
  while (found == NULL) {
    guint k;

    for (k = 0; k < ctx->remote[i]->len && found == NULL; k++) {
      Chan *c = g_ptr_array_index (ctx->remote[i], k);
      gchar *l = NULL;

      g_object_get (c->channel, "label", &l, NULL);
      if (g_strcmp0 (l, label) == 0)
        found = c;
      g_free (l);
    }
    if (found == NULL && !g_cond_wait_until (&ctx->pair->cond,
            &ctx->pair->lock, end))
      break;
  }
  g_mutex_unlock (&ctx->pair->lock);
  fail_unless (found != NULL, "peer %d was not given channel '%s'", i, label);
  return found;
}

static gint
channel_id (Chan * c)
{
  gint id;

  g_object_get (c->channel, "id", &id, NULL);
  return id;
}

static gint
channel_state (Chan * c)
{
  gint state;

  g_object_get (c->channel, "ready-state", &state, NULL);
  return state;
}

static GBytes *
pattern (gsize size, guint seed)
{
  guint8 *data = g_malloc (MAX (size, 1));
  gsize i;

  for (i = 0; i < size; i++)
    data[i] = (guint8) (i * 31 + seed + (i >> 8));
  return g_bytes_new_take (data, size);
}

/* @from sends text and binary messages of several sizes; @to gets each,
 * exactly, in order. */
static void
exchange (Channels * ctx, Chan * from, Chan * to, const gchar * tag)
{
  static const gsize sizes[] = { 0, 1, 1199, 1200, 65536, 262144 };
  guint k, start = to->messages->len;
  MessageCount mc = { to, 0 };

  for (k = 0; k < G_N_ELEMENTS (sizes); k++) {
    GBytes *data = pattern (sizes[k], k);
    gchar *text = g_strdup_printf ("%s %u", tag, k);

    g_signal_emit_by_name (from->channel, "send-data", data);
    g_signal_emit_by_name (from->channel, "send-string", text);
    g_bytes_unref (data);
    g_free (text);
  }
  mc.count = start + 2 * G_N_ELEMENTS (sizes);
  wait_for (ctx, has_messages, &mc, WAIT_S, "the messages");
  g_mutex_lock (&ctx->pair->lock);
  fail_unless_equals_int (to->messages->len, mc.count);
  for (k = 0; k < G_N_ELEMENTS (sizes); k++) {
    Message *bin = g_ptr_array_index (to->messages, start + 2 * k);
    Message *txt = g_ptr_array_index (to->messages, start + 2 * k + 1);
    GBytes *expected = pattern (sizes[k], k);
    gchar *text = g_strdup_printf ("%s %u", tag, k);

    fail_unless (bin->binary, "message %u: not binary", k);
    fail_unless (g_bytes_equal (bin->data, expected),
        "binary message of %" G_GSIZE_FORMAT " bytes differs", sizes[k]);
    fail_unless (!txt->binary, "message %u: not text", k);
    fail_unless (g_bytes_get_size (txt->data) == strlen (text)
        && memcmp (g_bytes_get_data (txt->data, NULL), text,
            strlen (text)) == 0, "text message %u differs", k);
    g_bytes_unref (expected);
    g_free (text);
  }
  g_mutex_unlock (&ctx->pair->lock);
  fail_unless_equals_int (from->errors->len, 0);
}

static gchar *
capture_sdp (gint from, const gchar * type, const gchar * sdp, gpointer data)
{
  gchar **slot = g_str_equal (type, "offer") ? data : ((gchar **) data) + 1;

  (void) from;
  g_free (*slot);
  *slot = g_strdup (sdp);
  return NULL;
}

static guint
count_lines (const gchar * sdp, const gchar * prefix)
{
  gchar **lines = g_strsplit (sdp, "\r\n", -1);
  guint i, n = 0;

  for (i = 0; lines[i]; i++)
    n += g_str_has_prefix (lines[i], prefix);
  g_strfreev (lines);
  return n;
}

static void
check_no_errors (SecWebRTCPair * pair)
{
  gint i;

  for (i = 0; i < 2; i++)
    fail_unless (pair->peer[i].errors->len == 0, "peer %d: %s", i,
        pair->peer[i].errors->len ? (gchar *) g_ptr_array_index
        (pair->peer[i].errors, 0) : "");
}

/* --- tests --------------------------------------------------------------- */

GST_START_TEST (test_data_only_call)
{
  SecWebRTCPair *pair;
  Channels *ctx;
  Chan *a, *b_early, *a_remote, *b_early_remote, *b2, *b2_remote, *a2;
  gchar *sdp[2] = { NULL, NULL };
  gint id;

  sec_webrtc_pair_check_plugins ();
  sec_check_factory_is_ours ("secsctpenc");
  sec_check_factory_is_ours ("secsctpdec");
  sec_check_factory_absent ("sctpenc");
  pair = sec_webrtc_pair_new ();
  ctx = channels_new (pair);
  pair->sdp_hook = capture_sdp;
  pair->sdp_hook_data = sdp;
  sec_webrtc_pair_play (pair);

  /* both sides before the offer: peer 1's data m-line is the offer's */
  a = create (ctx, 0, "chat", NULL);
  b_early = create (ctx, 1, "early", "options, protocol=(string)x-test");
  fail_unless (a != NULL && b_early != NULL);
  fail_unless_equals_int (channel_id (a), -1);
  fail_unless_equals_int (channel_state (a), 1);
  sec_webrtc_pair_negotiate (pair, 0, NULL);
  fail_unless_equals_int (count_lines (sdp[0], "m="), 1);
  fail_unless_equals_int (count_lines (sdp[0],
          "m=application 9 UDP/DTLS/SCTP webrtc-datachannel"), 1);
  fail_unless_equals_int (count_lines (sdp[0], "a=sctp-port:5000"), 1);
  fail_unless_equals_int (count_lines (sdp[0],
          "a=max-message-size:262144"), 1);
  fail_unless_equals_int (count_lines (sdp[1], "m=application 9 "), 1);
  fail_unless_equals_int (count_lines (sdp[1], "a=setup:active"), 1);
  sec_webrtc_pair_wait_state (pair, SEC_WEBRTC_PAIR_CONNECTED, WAIT_S);

  wait_for (ctx, is_open, a, WAIT_S, "channel 'chat' to open");
  wait_for (ctx, is_open, b_early, WAIT_S, "channel 'early' to open");
  /* RFC 8832 §6: the DTLS client (the answerer, a=setup:active) opens
   * even ids, the server odd ones */
  fail_unless_equals_int (channel_id (a) % 2, 1);
  fail_unless_equals_int (channel_id (b_early) % 2, 0);
  a_remote = remote_channel (ctx, 1, "chat");
  b_early_remote = remote_channel (ctx, 0, "early");
  fail_unless_equals_int (channel_id (a_remote), channel_id (a));
  {
    gchar *protocol = NULL;

    g_object_get (b_early_remote->channel, "protocol", &protocol, NULL);
    fail_unless_equals_string (protocol, "x-test");
    g_free (protocol);
  }
  exchange (ctx, a, a_remote, "a to b");
  exchange (ctx, a_remote, a, "b to a");
  exchange (ctx, b_early, b_early_remote, "early");

  /* on the running call: in-band, no renegotiation */
  b2 = create (ctx, 1, "later", NULL);
  wait_for (ctx, is_open, b2, WAIT_S, "channel 'later' to open");
  id = channel_id (b2);
  fail_unless (id >= 0 && id % 2 == 0, "id %d", id);
  b2_remote = remote_channel (ctx, 0, "later");
  exchange (ctx, b2_remote, b2, "later");
  a2 = create (ctx, 0, "later-a", NULL);
  wait_for (ctx, is_open, a2, WAIT_S, "channel 'later-a' to open");
  fail_unless_equals_int (channel_id (a2) % 2, 1);

  /* closing from either side: on-close on both, the id free again */
  g_signal_emit_by_name (a->channel, "close");
  wait_for (ctx, is_closed, a, WAIT_S, "on-close of 'chat'");
  wait_for (ctx, is_closed, a_remote, WAIT_S, "on-close of 'chat' (peer)");
  fail_unless_equals_int (channel_state (a), STATE_CLOSED);
  g_signal_emit_by_name (b2->channel, "close");
  wait_for (ctx, is_closed, b2_remote, WAIT_S, "on-close of 'later' (peer)");
  wait_for (ctx, is_closed, b2, WAIT_S, "on-close of 'later'");
  /* the other channels carry on */
  exchange (ctx, b_early, b_early_remote, "after close");
  fail_unless_equals_int (sec_webrtc_peer_state (&pair->peer[0]),
      SEC_WEBRTC_PAIR_CONNECTED);
  check_no_errors (pair);
  g_free (sdp[0]);
  g_free (sdp[1]);
  channels_free_with_pair (ctx);
}

GST_END_TEST;

static GstStructure *
get_stats (SecWebRTCPeer * peer)
{
  GstPromise *promise = gst_promise_new ();
  GstStructure *stats;

  g_signal_emit_by_name (peer->bin, "get-stats", NULL, promise);
  fail_unless_equals_int (gst_promise_wait (promise),
      GST_PROMISE_RESULT_REPLIED);
  stats = gst_structure_copy (gst_promise_get_reply (promise));
  gst_promise_unref (promise);
  return stats;
}

GST_START_TEST (test_negotiated_options_and_stats)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  Channels *ctx = channels_new (pair);
  Chan *n0, *n1, *u, *u_remote;
  GstStructure *stats, *entry = NULL;
  gboolean ordered = TRUE;
  gint retransmits = -1, lifetime = 0;
  guint64 messages = 0, bytes = 0;
  gchar *state = NULL;

  sec_webrtc_pair_play (pair);
  n0 = create (ctx, 0, "control", "options, negotiated=true, id=7");
  fail_unless (n0 != NULL);
  /* known at once: the application gave it */
  fail_unless_equals_int (channel_id (n0), -1);
  sec_webrtc_pair_negotiate (pair, 0, NULL);
  n1 = create (ctx, 1, "control", "options, negotiated=true, id=7");
  fail_unless (n1 != NULL);
  wait_for (ctx, is_open, n0, WAIT_S, "negotiated channel (peer 0)");
  wait_for (ctx, is_open, n1, WAIT_S, "negotiated channel (peer 1)");
  fail_unless_equals_int (channel_id (n0), 7);
  fail_unless_equals_int (channel_id (n1), 7);
  exchange (ctx, n0, n1, "negotiated");
  exchange (ctx, n1, n0, "negotiated back");

  u = create (ctx, 0, "telemetry", "options, ordered=false, "
      "max-retransmits=0, protocol=(string)telemetry-v1, priority=(uint)256");
  fail_unless (u != NULL);
  u_remote = remote_channel (ctx, 1, "telemetry");
  g_object_get (u_remote->channel, "ordered", &ordered, "max-retransmits",
      &retransmits, "max-packet-lifetime", &lifetime, NULL);
  fail_unless (!ordered);
  fail_unless_equals_int (retransmits, 0);
  fail_unless_equals_int (lifetime, -1);
  wait_for (ctx, is_open, u, WAIT_S, "unordered channel");
  {
    /* no loss on loopback: every message arrives once */
    MessageCount mc = { u_remote, 50 };
    guint k;

    for (k = 0; k < 50; k++) {
      gchar *text = g_strdup_printf ("%u", k);

      g_signal_emit_by_name (u->channel, "send-string", text);
      g_free (text);
    }
    wait_for (ctx, has_messages, &mc, WAIT_S, "50 unordered messages");
  }

  /* W3C RTCDataChannelStats and RTCSctpTransportStats */
  stats = get_stats (&pair->peer[0]);
  fail_unless (gst_structure_get (stats, "data-channel-7", GST_TYPE_STRUCTURE,
          &entry, NULL), "no data-channel-7 in %" GST_PTR_FORMAT, stats);
  fail_unless_equals_string (gst_structure_get_string (entry, "label"),
      "control");
  fail_unless (gst_structure_get_uint64 (entry, "messagesSent", &messages));
  fail_unless_equals_int ((gint) messages, 12);
  fail_unless (gst_structure_get_uint64 (entry, "messagesReceived",
          &messages));
  fail_unless_equals_int ((gint) messages, 12);
  fail_unless (gst_structure_get_uint64 (entry, "bytesSent", &bytes));
  /* 0+1+1199+1200+65536+262144 binary and six "negotiated <k>" texts */
  fail_unless_equals_uint64 (bytes, 330080 + 6 * 12);
  state = g_strdup (gst_structure_get_string (entry, "state"));
  fail_unless_equals_string (state, "open");
  g_free (state);
  gst_structure_free (entry);
  fail_unless (gst_structure_get (stats, "sctp-transport", GST_TYPE_STRUCTURE,
          &entry, NULL));
  fail_unless_equals_string (gst_structure_get_string (entry, "transportId"),
      "transport-0");
  fail_unless_equals_string (gst_structure_get_string (entry, "state"),
      "connected");
  fail_unless (gst_structure_get_uint64 (entry, "bytesReceived", &bytes));
  fail_unless (bytes > 330080, "%" G_GUINT64_FORMAT, bytes);
  gst_structure_free (entry);
  {
    gchar *field = g_strdup_printf ("data-channel-%d", channel_id (u));

    fail_unless (gst_structure_get (stats, field, GST_TYPE_STRUCTURE, &entry,
            NULL));
    fail_unless_equals_string (gst_structure_get_string (entry, "protocol"),
        "telemetry-v1");
    gst_structure_free (entry);
    g_free (field);
  }
  gst_structure_free (stats);
  check_no_errors (pair);
  channels_free_with_pair (ctx);
}

GST_END_TEST;

typedef struct
{
  SecWebRTCPair *pair;
  gint needed;
} Needed;

static void
on_negotiation_needed (GstElement * bin, Needed * needed)
{
  (void) bin;
  g_mutex_lock (&needed->pair->lock);
  needed->needed++;
  g_cond_broadcast (&needed->pair->cond);
  g_mutex_unlock (&needed->pair->lock);
}

static gboolean
negotiation_was_needed (Channels * ctx, gpointer data)
{
  (void) ctx;
  return ((Needed *) data)->needed > 0;
}

GST_START_TEST (test_next_to_media)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  Channels *ctx = channels_new (pair);
  gchar *sdp[2] = { NULL, NULL };
  Chan *c, *c_remote;
  GstPad *pad;

  pair->sdp_hook = capture_sdp;
  pair->sdp_hook_data = sdp;
  sec_webrtc_peer_add_video (&pair->peer[0]);
  sec_webrtc_peer_add_audio (&pair->peer[0]);
  sec_webrtc_peer_add_video (&pair->peer[1]);
  sec_webrtc_peer_add_audio (&pair->peer[1]);
  c = create (ctx, 0, "chat", NULL);
  sec_webrtc_pair_play (pair);
  sec_webrtc_pair_negotiate (pair, 0, NULL);
  /* three m-lines, one BUNDLE, one transport */
  fail_unless_equals_int (count_lines (sdp[0], "m="), 3);
  fail_unless_equals_int (count_lines (sdp[0], "a=group:BUNDLE 0 1 2"), 1);
  fail_unless_equals_int (count_lines (sdp[1], "a=group:BUNDLE 0 1 2"), 1);
  fail_unless_equals_int (count_lines (sdp[1], "m=application 9 "), 1);
  sec_webrtc_pair_wait_state (pair, SEC_WEBRTC_PAIR_CONNECTED, WAIT_S);
  wait_for (ctx, is_open, c, WAIT_S, "the channel next to media");
  c_remote = remote_channel (ctx, 1, "chat");
  exchange (ctx, c, c_remote, "with media");
  exchange (ctx, c_remote, c, "with media back");
  sec_webrtc_peer_wait_frames (&pair->peer[0], 20, 20, WAIT_S);
  sec_webrtc_peer_wait_frames (&pair->peer[1], 20, 20, WAIT_S);
  /* the data m-line (2) has no media pads */
  pad = gst_element_request_pad_simple (pair->peer[0].bin, "sink_2");
  fail_unless (pad == NULL);
  check_no_errors (pair);
  g_free (sdp[0]);
  g_free (sdp[1]);
  channels_free_with_pair (ctx);
}

GST_END_TEST;

GST_START_TEST (test_added_by_renegotiation)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  Channels *ctx = channels_new (pair);
  Needed needed = { pair, 0 };
  gchar *sdp[2] = { NULL, NULL };
  Chan *c, *c_remote;
  guint frames;

  pair->sdp_hook = capture_sdp;
  pair->sdp_hook_data = sdp;
  sec_webrtc_peer_add_audio (&pair->peer[0]);
  sec_webrtc_peer_add_audio (&pair->peer[1]);
  sec_webrtc_pair_play (pair);
  sec_webrtc_pair_negotiate (pair, 0, NULL);
  fail_unless_equals_int (count_lines (sdp[0], "m=application"), 0);
  sec_webrtc_pair_wait_state (pair, SEC_WEBRTC_PAIR_CONNECTED, WAIT_S);
  sec_webrtc_peer_wait_frames (&pair->peer[1], 0, 20, WAIT_S);

  /* the answerer adds data: negotiation is needed, it offers */
  g_signal_connect (pair->peer[1].bin, "on-negotiation-needed",
      G_CALLBACK (on_negotiation_needed), &needed);
  c = create (ctx, 1, "added", NULL);
  wait_for (ctx, negotiation_was_needed, &needed, WAIT_S,
      "on-negotiation-needed");
  sec_webrtc_pair_negotiate (pair, 1, NULL);
  fail_unless_equals_int (count_lines (sdp[0], "m="), 2);
  fail_unless_equals_int (count_lines (sdp[0], "m=application 9 "), 1);
  /* RFC 8842 §5.5: the answerer of a renegotiation keeps its DTLS role
   * (peer 0 is the server since the first exchange) */
  fail_unless_equals_int (count_lines (sdp[1], "a=setup:passive"), 2);
  wait_for (ctx, is_open, c, WAIT_S, "the channel added later");
  /* it stays the DTLS client of the first exchange: even ids */
  fail_unless_equals_int (channel_id (c) % 2, 0);
  c_remote = remote_channel (ctx, 0, "added");
  exchange (ctx, c, c_remote, "added");
  exchange (ctx, c_remote, c, "added back");
  /* media went on */
  g_mutex_lock (&pair->lock);
  frames = pair->peer[1].audio_frames;
  g_mutex_unlock (&pair->lock);
  sec_webrtc_peer_wait_frames (&pair->peer[1], 0, frames + 20, WAIT_S);
  g_signal_handlers_disconnect_by_data (pair->peer[1].bin, &needed);
  check_no_errors (pair);
  g_free (sdp[0]);
  g_free (sdp[1]);
  channels_free_with_pair (ctx);
}

GST_END_TEST;

static guint
warnings_of (SecWebRTCPeer * peer)
{
  guint n;

  g_mutex_lock (&peer->pair->lock);
  n = peer->warnings->len;
  g_mutex_unlock (&peer->pair->lock);
  return n;
}

static gchar *
small_max_message_size (gint from, const gchar * type, const gchar * sdp,
    gpointer data)
{
  gchar **parts;
  gchar *out;

  (void) from;
  (void) data;
  if (!g_str_equal (type, "answer"))
    return NULL;
  parts = g_strsplit (sdp, "a=max-message-size:262144", -1);
  fail_unless_equals_int (g_strv_length (parts), 2);
  out = g_strjoinv ("a=max-message-size:1000", parts);
  g_strfreev (parts);
  return out;
}

static void
check_refused (Channels * ctx, const gchar * options, const gchar * why)
{
  SecWebRTCPeer *peer = &ctx->pair->peer[0];
  guint before = warnings_of (peer);
  gchar *warning;

  fail_unless (create (ctx, 0, "refused", options) == NULL,
      "%s was taken", options);
  fail_unless_equals_int (warnings_of (peer), before + 1);
  g_mutex_lock (&ctx->pair->lock);
  warning = g_ptr_array_index (peer->warnings, before);
  fail_unless (strstr (warning, why) != NULL, "warning '%s' does not say "
      "'%s'", warning, why);
  g_mutex_unlock (&ctx->pair->lock);
}

GST_START_TEST (test_refusals)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  Channels *ctx = channels_new (pair);
  Chan *c, *c_remote, *early;
  GBytes *data;

  pair->sdp_hook = small_max_message_size;
  sec_webrtc_pair_play (pair);
  check_refused (ctx, "options, max-retransmits=1, max-packet-lifetime=100",
      "cannot both be set");
  check_refused (ctx, "options, negotiated=true", "needs an 'id'");
  check_refused (ctx, "options, id=70000", "not a stream id");
  check_refused (ctx, "options, ordered=(string)yes", "must be a boolean");
  check_refused (ctx, "options, max-retransmits=-5", "must be an int");
  fail_unless (create (ctx, 0, "n", "options, negotiated=true, id=4"));
  check_refused (ctx, "options, negotiated=true, id=4", "in use");

  /* a message before the channel opens: an error, not a crash */
  early = create (ctx, 0, "early", NULL);
  g_signal_emit_by_name (early->channel, "send-string", "too soon");
  wait_for (ctx, has_error, early, WAIT_S, "the error of an early send");
  fail_unless (strstr (g_ptr_array_index (early->errors, 0), "connecting"));

  c = create (ctx, 0, "limits", NULL);
  sec_webrtc_pair_negotiate (pair, 0, NULL);
  wait_for (ctx, is_open, c, WAIT_S, "channel 'limits'");
  c_remote = remote_channel (ctx, 1, "limits");
  /* the peer's answer said a=max-message-size:1000 */
  data = pattern (1001, 1);
  g_signal_emit_by_name (c->channel, "send-data", data);
  g_bytes_unref (data);
  wait_for (ctx, has_error, c, WAIT_S, "the error of a message too large");
  fail_unless (strstr (g_ptr_array_index (c->errors, 0), "1000") != NULL,
      "%s", (gchar *) g_ptr_array_index (c->errors, 0));
  data = pattern (1000, 2);
  g_signal_emit_by_name (c->channel, "send-data", data);
  {
    MessageCount mc = { c_remote, 1 };

    wait_for (ctx, has_messages, &mc, WAIT_S, "the 1000-byte message");
    fail_unless (g_bytes_equal (((Message *) g_ptr_array_index
                (c_remote->messages, 0))->data, data));
  }
  g_bytes_unref (data);
  /* a message after close: an error */
  g_signal_emit_by_name (c->channel, "close");
  wait_for (ctx, is_closed, c, WAIT_S, "on-close");
  g_signal_emit_by_name (c->channel, "send-string", "too late");
  fail_unless_equals_int (c->errors->len, 2);
  fail_unless (strstr (g_ptr_array_index (c->errors, 1), "closed"));
  check_no_errors (pair);
  channels_free_with_pair (ctx);
}

GST_END_TEST;

/* max-message-size: what each side writes is what the other may send */
GST_START_TEST (test_max_message_size)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  Channels *ctx = channels_new (pair);
  gchar *sdp[2] = { NULL, NULL };
  Chan *c, *c_remote;
  GBytes *data;
  guint64 size = 0;

  pair->sdp_hook = capture_sdp;
  pair->sdp_hook_data = sdp;
  g_object_set (pair->peer[1].bin, "max-message-size",
      (guint64) (1024 * 1024), NULL);
  g_object_get (pair->peer[1].bin, "max-message-size", &size, NULL);
  fail_unless_equals_uint64 (size, (guint64) (1024 * 1024));
  sec_webrtc_pair_play (pair);
  c = create (ctx, 0, "big", NULL);
  sec_webrtc_pair_negotiate (pair, 0, NULL);
  fail_unless_equals_int (count_lines (sdp[0], "a=max-message-size:262144"),
      1);
  fail_unless_equals_int (count_lines (sdp[1],
          "a=max-message-size:1048576"), 1);
  wait_for (ctx, is_open, c, WAIT_S, "channel 'big'");
  c_remote = remote_channel (ctx, 1, "big");
  /* 1 MiB to the side that takes it */
  data = pattern (1024 * 1024, 7);
  g_signal_emit_by_name (c->channel, "send-data", data);
  {
    MessageCount mc = { c_remote, 1 };

    wait_for (ctx, has_messages, &mc, WAIT_S, "the 1 MiB message");
    fail_unless (g_bytes_equal (((Message *) g_ptr_array_index
                (c_remote->messages, 0))->data, data));
  }
  g_bytes_unref (data);
  /* one byte over 256 KiB the other way: refused on the sending side */
  data = pattern (262145, 8);
  g_signal_emit_by_name (c_remote->channel, "send-data", data);
  g_bytes_unref (data);
  wait_for (ctx, has_error, c_remote, WAIT_S, "the error of 262145 bytes");
  fail_unless (strstr (g_ptr_array_index (c_remote->errors, 0), "262144"));
  fail_unless_equals_int (c->messages->len, 0);
  check_no_errors (pair);
  g_free (sdp[0]);
  g_free (sdp[1]);
  channels_free_with_pair (ctx);
}

GST_END_TEST;

#define TRANSFER_BYTES (20 * 1000 * 1000)
#define CHUNK (64 * 1024)
#define LOW_THRESHOLD (1024 * 1024)
#define HIGH_WATER (2 * 1024 * 1024)

static gboolean
low_since (Channels * ctx, gpointer data)
{
  guint *seen = data;

  (void) ctx;
  return channels_ctx->own->len > 0 && ((Chan *) g_ptr_array_index
      (channels_ctx->own, 0))->low_events != *seen;
}

typedef struct
{
  Chan *chan;
  guint64 bytes;
} ByteCount;

static gboolean
has_bytes (Channels * ctx, gpointer data)
{
  ByteCount *bc = data;

  (void) ctx;
  return bc->chan->received_bytes >= bc->bytes;
}

GST_START_TEST (test_large_transfer)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  Channels *ctx = channels_new (pair);
  GChecksum *sent_hash = g_checksum_new (G_CHECKSUM_SHA256);
  guint64 sent = 0, amount = 0, peak = 0;
  Chan *c, *c_remote;
  guint waits = 0;
  gchar *received;

  sec_webrtc_pair_play (pair);
  c = create (ctx, 0, "file", NULL);
  g_object_set (c->channel, "buffered-amount-low-threshold",
      (guint64) LOW_THRESHOLD, NULL);
  sec_webrtc_pair_negotiate (pair, 0, NULL);
  wait_for (ctx, is_open, c, WAIT_S, "channel 'file'");
  c_remote = remote_channel (ctx, 1, "file");
  g_mutex_lock (&pair->lock);
  ctx->hash_only = TRUE;
  g_mutex_unlock (&pair->lock);

  while (sent < TRANSFER_BYTES) {
    guint seen;
    gsize size = MIN (CHUNK, TRANSFER_BYTES - sent);
    GBytes *data;

    g_mutex_lock (&pair->lock);
    seen = c->low_events;
    g_mutex_unlock (&pair->lock);
    g_object_get (c->channel, "buffered-amount", &amount, NULL);
    peak = MAX (peak, amount);
    if (amount >= HIGH_WATER) {
      /* a writer that loops: paced by on-buffered-amount-low */
      wait_for (ctx, low_since, &seen, WAIT_S, "on-buffered-amount-low");
      waits++;
      continue;
    }
    data = pattern (size, (guint) (sent / CHUNK));
    g_checksum_update (sent_hash, g_bytes_get_data (data, NULL), size);
    g_signal_emit_by_name (c->channel, "send-data", data);
    g_bytes_unref (data);
    sent += size;
  }
  {
    ByteCount bc = { c_remote, TRANSFER_BYTES };

    wait_for (ctx, has_bytes, &bc, 60, "20 MB to arrive");
  }
  g_mutex_lock (&pair->lock);
  fail_unless_equals_uint64 (c_remote->received_bytes,
      (guint64) TRANSFER_BYTES);
  received = g_strdup (g_checksum_get_string (c_remote->sha256));
  g_mutex_unlock (&pair->lock);
  fail_unless_equals_string (received, g_checksum_get_string (sent_hash));
  fail_unless_equals_int (c->errors->len, 0);
  /* bounded: the queue never held more than the high water mark and one
   * message, and the writer did wait */
  GST_INFO ("peak buffered-amount %" G_GUINT64_FORMAT ", %u waits", peak,
      waits);
  fail_unless (peak < HIGH_WATER + CHUNK, "peak %" G_GUINT64_FORMAT, peak);
  fail_unless (waits > 0);
  g_free (received);
  g_checksum_free (sent_hash);
  check_no_errors (pair);
  channels_free_with_pair (ctx);
}

GST_END_TEST;

static Suite *
secwebrtcbin_datachannel_suite (void)
{
  Suite *s = suite_create ("secwebrtcbin-datachannel");
  TCase *tc = tcase_create ("datachannel");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_data_only_call);
  tcase_add_test (tc, test_negotiated_options_and_stats);
  tcase_add_test (tc, test_next_to_media);
  tcase_add_test (tc, test_added_by_renegotiation);
  tcase_add_test (tc, test_refusals);
  tcase_add_test (tc, test_max_message_size);
  tcase_add_test (tc, test_large_transfer);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (secwebrtcbin_datachannel);
