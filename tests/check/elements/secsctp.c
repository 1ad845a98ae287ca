/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secsctpenc / secsctpdec: two SCTP associations over two secdtls
 * associations in one process (side 0 is the DTLS client):
 *
 *   secsctpenc[i] ! secdtlsenc[i] ! sectestdrop[i] ! secdtlsdec[1-i]
 *       ! secsctpdec[1-i]
 *
 * Messages both ways, text and binary, empty and 256 KiB, ordered and
 * unordered, in-band (DCEP) and negotiated channels, partial reliability
 * under loss made by the drop element, 100 channels at once, close from
 * either side, the peer leaving (DTLS close_notify), and refusals.
 */
#include "seccheck.h"
#include "sectestdrop.h"

#include <string.h>

#define WAIT_US (20 * G_TIME_SPAN_SECOND)

typedef struct
{
  guint id;
  gboolean binary;
  GBytes *data;
} Received;

typedef struct
{
  GstElement *pipeline;
  GstBus *bus;
  GstElement *dtlsenc[2], *dtlsdec[2], *drop[2], *sctpenc[2], *sctpdec[2];

  /* protected by lock: what each side's elements said */
  GMutex lock;
  GCond cond;
  GQueue received[2];           /* Received */
  GHashTable *peer_channels[2]; /* id -> GstStructure, from on-channel */
  GHashTable *opened[2];        /* ids from on-open */
  GHashTable *closing[2];
  GHashTable *closed[2];
  guint low[2];                 /* on-buffered-amount-low count */
  GQueue errors[2];             /* GError from on-error */
} Pair;

static guint pair_counter;

static GstElement *
make (const gchar * factory)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  fail_unless (e != NULL, "no element %s", factory);
  return e;
}

static void
link_request (GstElement * a, GstElement * b)
{
  GstPad *src = gst_element_get_static_pad (a, "src");
  GstPad *sink = gst_element_request_pad_simple (b, "sink");

  fail_unless (src && sink);
  fail_unless_equals_int (gst_pad_link (src, sink), GST_PAD_LINK_OK);
  gst_object_unref (src);
  gst_object_unref (sink);
}

static gint
side_of (Pair * p, gpointer element)
{
  return element == (gpointer) p->sctpdec[0]
      || element == (gpointer) p->sctpenc[0] ? 0 : 1;
}

static void
on_channel (GstElement * dec, guint id, const GstStructure * info, Pair * p)
{
  gint side = side_of (p, dec);

  g_mutex_lock (&p->lock);
  g_hash_table_insert (p->peer_channels[side], GUINT_TO_POINTER (id),
      gst_structure_copy (info));
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static void
record_id (Pair * p, GHashTable ** tables, gpointer element, guint id)
{
  g_mutex_lock (&p->lock);
  g_hash_table_add (tables[side_of (p, element)], GUINT_TO_POINTER (id));
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static void
on_open (GstElement * dec, guint id, Pair * p)
{
  record_id (p, p->opened, dec, id);
}

static void
on_closing (GstElement * dec, guint id, Pair * p)
{
  record_id (p, p->closing, dec, id);
}

static void
on_close (GstElement * dec, guint id, Pair * p)
{
  record_id (p, p->closed, dec, id);
}

static void
on_message (GstElement * dec, guint id, gboolean binary, GBytes * data,
    Pair * p)
{
  Received *r = g_new0 (Received, 1);

  r->id = id;
  r->binary = binary;
  r->data = g_bytes_ref (data);
  g_mutex_lock (&p->lock);
  g_queue_push_tail (&p->received[side_of (p, dec)], r);
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static void
on_low (GstElement * enc, guint id, Pair * p)
{
  (void) id;
  g_mutex_lock (&p->lock);
  p->low[side_of (p, enc)]++;
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static void
on_error (GstElement * enc, guint id, const GError * error, Pair * p)
{
  (void) id;
  g_mutex_lock (&p->lock);
  g_queue_push_tail (&p->errors[side_of (p, enc)], g_error_copy (error));
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static void
received_free (gpointer data)
{
  Received *r = data;

  g_bytes_unref (r->data);
  g_free (r);
}

static Pair *
pair_new (void)
{
  Pair *p = g_new0 (Pair, 1);
  guint n = pair_counter++;
  gint i;

  g_mutex_init (&p->lock);
  g_cond_init (&p->cond);
  p->pipeline = gst_pipeline_new (NULL);
  p->bus = gst_element_get_bus (p->pipeline);
  for (i = 0; i < 2; i++) {
    gchar *id = g_strdup_printf ("sctp%u-side%d", n, i);

    p->dtlsenc[i] = make ("secdtlsenc");
    p->dtlsdec[i] = make ("secdtlsdec");
    p->drop[i] = make ("sectestdrop");
    p->sctpenc[i] = make ("secsctpenc");
    p->sctpdec[i] = make ("secsctpdec");
    g_object_set (p->dtlsenc[i], "connection-id", id, "is-client", i == 0,
        NULL);
    g_object_set (p->dtlsdec[i], "connection-id", id, NULL);
    g_object_set (p->sctpenc[i], "association-id", id, "is-client", i == 0,
        NULL);
    g_object_set (p->sctpdec[i], "association-id", id, NULL);
    gst_bin_add_many (GST_BIN (p->pipeline), p->dtlsenc[i], p->dtlsdec[i],
        p->drop[i], p->sctpenc[i], p->sctpdec[i], NULL);
    g_free (id);

    p->peer_channels[i] = g_hash_table_new_full (NULL, NULL, NULL,
        (GDestroyNotify) gst_structure_free);
    p->opened[i] = g_hash_table_new (NULL, NULL);
    p->closing[i] = g_hash_table_new (NULL, NULL);
    p->closed[i] = g_hash_table_new (NULL, NULL);
    g_signal_connect (p->sctpdec[i], "on-channel", G_CALLBACK (on_channel),
        p);
    g_signal_connect (p->sctpdec[i], "on-open", G_CALLBACK (on_open), p);
    g_signal_connect (p->sctpdec[i], "on-closing", G_CALLBACK (on_closing),
        p);
    g_signal_connect (p->sctpdec[i], "on-close", G_CALLBACK (on_close), p);
    g_signal_connect (p->sctpdec[i], "on-message", G_CALLBACK (on_message),
        p);
    g_signal_connect (p->sctpenc[i], "on-buffered-amount-low",
        G_CALLBACK (on_low), p);
    g_signal_connect (p->sctpenc[i], "on-error", G_CALLBACK (on_error), p);
  }
  for (i = 0; i < 2; i++) {
    gchar *fp = NULL;

    link_request (p->sctpenc[i], p->dtlsenc[i]);
    fail_unless (gst_element_link_many (p->dtlsenc[i], p->drop[i],
            p->dtlsdec[1 - i], p->sctpdec[1 - i], NULL));
    g_object_get (p->dtlsenc[1 - i], "local-fingerprint", &fp, NULL);
    g_object_set (p->dtlsdec[i], "peer-fingerprint", fp, NULL);
    g_free (fp);
  }
  return p;
}

static void
pair_free (Pair * p)
{
  gint i;

  gst_element_set_state (p->pipeline, GST_STATE_NULL);
  for (i = 0; i < 2; i++) {
    g_queue_clear_full (&p->received[i], received_free);
    g_queue_clear_full (&p->errors[i], (GDestroyNotify) g_error_free);
    g_hash_table_unref (p->peer_channels[i]);
    g_hash_table_unref (p->opened[i]);
    g_hash_table_unref (p->closing[i]);
    g_hash_table_unref (p->closed[i]);
  }
  gst_object_unref (p->bus);
  gst_object_unref (p->pipeline);
  g_mutex_clear (&p->lock);
  g_cond_clear (&p->cond);
  g_free (p);
}

static void
pair_start (Pair * p)
{
  fail_if (gst_element_set_state (p->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
}

/* Fails on an error message on the bus. */
static void
check_no_error (Pair * p)
{
  GstMessage *msg;

  while ((msg = gst_bus_pop_filtered (p->bus, GST_MESSAGE_ERROR))) {
    GError *error = NULL;
    gchar *debug = NULL;

    gst_message_parse_error (msg, &error, &debug);
    fail ("error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (msg),
        error->message, debug);
  }
}

/* Both sctp-connected messages. */
static void
pair_wait_connected (Pair * p)
{
  gboolean connected[2] = { FALSE, FALSE };

  while (!connected[0] || !connected[1]) {
    GstMessage *msg = gst_bus_timed_pop_filtered (p->bus, 20 * GST_SECOND,
        GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);
    const GstStructure *s;

    fail_unless (msg != NULL, "no sctp-connected within 20 s");
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      GError *error = NULL;
      gchar *debug = NULL;

      gst_message_parse_error (msg, &error, &debug);
      fail ("error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (msg),
          error->message, debug);
    }
    s = gst_message_get_structure (msg);
    if (gst_structure_has_name (s, "sctp-connected")) {
      guint streams = 0;

      fail_unless (gst_structure_get_uint (s, "streams", &streams));
      fail_unless_equals_int (streams, 1024);
      connected[side_of (p, GST_MESSAGE_SRC (msg))] = TRUE;
    }
    gst_message_unref (msg);
  }
}

typedef gboolean (*Predicate) (Pair * p, gpointer data);

/* Waits (bounded) until @predicate holds, checked under the lock. */
static gboolean
wait_for (Pair * p, Predicate predicate, gpointer data)
{
  gint64 end = g_get_monotonic_time () + WAIT_US;
  gboolean ok;

  g_mutex_lock (&p->lock);
  while (!(ok = predicate (p, data)))
    if (!g_cond_wait_until (&p->cond, &p->lock, end))
      break;
  if (!ok)
    ok = predicate (p, data);
  g_mutex_unlock (&p->lock);
  return ok;
}

typedef struct
{
  gint side;
  guint count;
  GHashTable **tables;
} CountWait;

static gboolean
table_has (Pair * p, gpointer data)
{
  CountWait *w = data;

  (void) p;
  return g_hash_table_size (w->tables[w->side]) >= w->count;
}

static gboolean
received_count (Pair * p, gpointer data)
{
  CountWait *w = data;

  return p->received[w->side].length >= w->count;
}

static gboolean
errors_count (Pair * p, gpointer data)
{
  CountWait *w = data;

  return p->errors[w->side].length >= w->count;
}

static void
wait_table (Pair * p, GHashTable ** tables, gint side, guint count,
    const gchar * what)
{
  CountWait w = { side, count, tables };

  fail_unless (wait_for (p, table_has, &w), "side %d: %u %s not seen "
      "(%u)", side, count, what, g_hash_table_size (tables[side]));
}

static void
wait_received (Pair * p, gint side, guint count)
{
  CountWait w = { side, count, NULL };

  fail_unless (wait_for (p, received_count, &w), "side %d: %u messages not "
      "received (%u)", side, count, p->received[side].length);
}

static Received *
pop_received (Pair * p, gint side)
{
  Received *r;

  g_mutex_lock (&p->lock);
  r = g_queue_pop_head (&p->received[side]);
  g_mutex_unlock (&p->lock);
  fail_unless (r != NULL);
  return r;
}

/* The first message received on channel @id (channels are not ordered
 * with respect to each other: SCTP streams are independent). */
static Received *
pop_received_on (Pair * p, gint side, guint id)
{
  Received *r = NULL;
  GList *l;

  g_mutex_lock (&p->lock);
  for (l = p->received[side].head; l; l = l->next) {
    if (((Received *) l->data)->id == id) {
      r = l->data;
      g_queue_delete_link (&p->received[side], l);
      break;
    }
  }
  g_mutex_unlock (&p->lock);
  fail_unless (r != NULL, "no message on channel %u", id);
  return r;
}

static GError *
pop_error (Pair * p, gint side)
{
  CountWait w = { side, 1, NULL };
  GError *error;

  fail_unless (wait_for (p, errors_count, &w), "no on-error");
  g_mutex_lock (&p->lock);
  error = g_queue_pop_head (&p->errors[side]);
  g_mutex_unlock (&p->lock);
  return error;
}

static gint
open_channel (Pair * p, gint side, const gchar * label, const gchar * opts)
{
  GstStructure *options = opts ? gst_structure_from_string (opts, NULL) :
      NULL;
  gint id = -2;

  g_signal_emit_by_name (p->sctpenc[side], "open-channel", label, options,
      &id);
  if (options)
    gst_structure_free (options);
  return id;
}

static gboolean
send_string (Pair * p, gint side, guint id, const gchar * text)
{
  gboolean ok = FALSE;

  g_signal_emit_by_name (p->sctpenc[side], "send-string", id, text, &ok);
  return ok;
}

static gboolean
send_data (Pair * p, gint side, guint id, GBytes * data)
{
  gboolean ok = FALSE;

  g_signal_emit_by_name (p->sctpenc[side], "send-data", id, data, &ok);
  return ok;
}

static GBytes *
pattern (gsize size, guint8 seed)
{
  guint8 *data = g_malloc (size ? size : 1);
  gsize i;

  for (i = 0; i < size; i++)
    data[i] = (guint8) (seed + i * 7 + (i >> 11));
  return g_bytes_new_take (data, size);
}

static guint64
stat_u64 (GstElement * e, const gchar * field)
{
  GstStructure *stats = NULL;
  guint64 value = 0;

  g_object_get (e, "stats", &stats, NULL);
  fail_unless (stats != NULL);
  fail_unless (gst_structure_get_uint64 (stats, field, &value), "no %s",
      field);
  gst_structure_free (stats);
  return value;
}

static void
check_plugins (void)
{
  sec_check_factory_is_ours ("secsctpenc");
  sec_check_factory_is_ours ("secsctpdec");
  sec_check_factory_is_ours ("secdtlsenc");
  sec_check_factory_is_ours ("secdtlsdec");
  sec_check_factory_absent ("sctpenc");
  sec_check_factory_absent ("sctpdec");
  sec_check_factory_absent ("dtlsenc");
}

/* An in-band channel opened from each side (the first before the
 * association is up), text and binary both ways, empty messages of both
 * types and 256 KiB messages. */
GST_START_TEST (test_messages_both_ways)
{
  Pair *p = pair_new ();
  const GstStructure *info;
  gint ids[2];
  guint sizes[] = { 0, 1, 1199, 1200, 65536, 256 * 1024 };
  guint i, k;
  gint side;

  check_plugins ();
  pair_start (p);
  /* opened before anything is connected: it opens when SCTP is up */
  ids[0] = open_channel (p, 0, "chat", "options, protocol=(string)x-chat");
  fail_unless_equals_int (ids[0], 0);   /* the DTLS client: even */
  pair_wait_connected (p);
  ids[1] = open_channel (p, 1, "files", NULL);
  fail_unless_equals_int (ids[1], 1);   /* the DTLS server: odd */

  for (side = 0; side < 2; side++) {
    wait_table (p, p->opened, side, 1, "on-open");
    wait_table (p, p->peer_channels, 1 - side, 1, "on-channel");
    g_mutex_lock (&p->lock);
    fail_unless (g_hash_table_contains (p->opened[side],
            GINT_TO_POINTER (ids[side])));
    info = g_hash_table_lookup (p->peer_channels[1 - side],
        GINT_TO_POINTER (ids[side]));
    fail_unless (info != NULL);
    fail_unless_equals_string (gst_structure_get_string (info, "label"),
        side == 0 ? "chat" : "files");
    fail_unless_equals_string (gst_structure_get_string (info, "protocol"),
        side == 0 ? "x-chat" : "");
    g_mutex_unlock (&p->lock);
  }

  /* on each channel, from each side: text then binary of every size */
  for (side = 0; side < 2; side++) {
    for (k = 0; k < 2; k++) {
      for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
        GBytes *data = pattern (sizes[i], (guint8) (i + k + side));
        gchar *text = g_strnfill (sizes[i], 'a' + (gchar) i);

        fail_unless (send_string (p, side, (guint) ids[k], text));
        fail_unless (send_data (p, side, (guint) ids[k], data));
        g_free (text);
        g_bytes_unref (data);
      }
    }
  }
  for (side = 0; side < 2; side++) {
    wait_received (p, 1 - side, 2 * 2 * G_N_ELEMENTS (sizes));
    for (k = 0; k < 2; k++) {
      for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
        GBytes *data = pattern (sizes[i], (guint8) (i + k + side));
        gchar *text = g_strnfill (sizes[i], 'a' + (gchar) i);
        Received *r = pop_received_on (p, 1 - side, (guint) ids[k]);

        fail_if (r->binary);
        fail_unless_equals_int (g_bytes_get_size (r->data), sizes[i]);
        fail_unless (sizes[i] == 0 || memcmp (g_bytes_get_data (r->data,
                    NULL), text, sizes[i]) == 0);
        received_free (r);
        r = pop_received_on (p, 1 - side, (guint) ids[k]);
        fail_unless (r->binary);
        fail_unless (g_bytes_equal (r->data, data), "binary message of %u "
            "bytes differs", sizes[i]);
        received_free (r);
        g_free (text);
        g_bytes_unref (data);
      }
    }
  }
  fail_unless_equals_int (stat_u64 (p->sctpdec[0], "messages-refused"), 0);
  fail_unless_equals_int (stat_u64 (p->sctpdec[1], "messages-refused"), 0);
  check_no_error (p);
  pair_free (p);
}

GST_END_TEST;

static void
send_numbered (Pair * p, gint side, guint id, guint count)
{
  guint i;

  for (i = 0; i < count; i++) {
    gchar *text = g_strdup_printf ("%u", i);

    fail_unless (send_string (p, side, id, text));
    g_free (text);
  }
}

static guint
number_of (Received * r)
{
  gsize size;
  const gchar *data = g_bytes_get_data (r->data, &size);
  gchar *text = g_strndup (data, size);
  guint n = (guint) g_ascii_strtoull (text, NULL, 10);

  g_free (text);
  return n;
}

/* A negotiated channel (same id on both sides, no DCEP; id 7 is odd,
 * which only an in-band channel would have to respect) and an unordered
 * reliable one: everything arrives once. */
GST_START_TEST (test_negotiated_and_unordered)
{
  Pair *p = pair_new ();
  gboolean seen[200] = { FALSE, };
  gint id, unordered;
  guint i;

  check_plugins ();
  pair_start (p);
  for (i = 0; i < 2; i++)
    fail_unless_equals_int (open_channel (p, i, "control",
            "options, negotiated=(boolean)true, id=(int)7"), 7);
  pair_wait_connected (p);
  wait_table (p, p->opened, 0, 1, "on-open");
  wait_table (p, p->opened, 1, 1, "on-open");
  /* no DCEP: neither side saw the other open anything */
  fail_unless_equals_int (g_hash_table_size (p->peer_channels[0]), 0);
  fail_unless_equals_int (g_hash_table_size (p->peer_channels[1]), 0);
  fail_unless (send_string (p, 1, 7, "from 1"));
  fail_unless (send_string (p, 0, 7, "from 0"));
  wait_received (p, 0, 1);
  wait_received (p, 1, 1);
  {
    Received *r = pop_received (p, 0);

    fail_unless (g_bytes_get_size (r->data) == 6);
    fail_unless (memcmp (g_bytes_get_data (r->data, NULL), "from 1", 6) == 0);
    received_free (r);
    r = pop_received (p, 1);
    fail_unless (memcmp (g_bytes_get_data (r->data, NULL), "from 0", 6) == 0);
    received_free (r);
  }

  unordered = open_channel (p, 0, "unordered",
      "options, ordered=(boolean)false");
  fail_unless (unordered >= 0);
  wait_table (p, p->opened, 0, 2, "on-open");
  wait_table (p, p->peer_channels, 1, 1, "on-channel");
  g_mutex_lock (&p->lock);
  {
    const GstStructure *info = g_hash_table_lookup (p->peer_channels[1],
        GINT_TO_POINTER (unordered));
    gboolean ordered = TRUE;

    fail_unless (info != NULL);
    fail_unless (gst_structure_get_boolean (info, "ordered", &ordered));
    fail_if (ordered);
  }
  g_mutex_unlock (&p->lock);
  send_numbered (p, 0, (guint) unordered, 200);
  wait_received (p, 1, 200);
  for (i = 0; i < 200; i++) {
    Received *r = pop_received (p, 1);

    id = (gint) r->id;
    fail_unless_equals_int (id, unordered);
    fail_unless (number_of (r) < 200);
    fail_if (seen[number_of (r)], "message %u twice", number_of (r));
    seen[number_of (r)] = TRUE;
    received_free (r);
  }
  check_no_error (p);
  pair_free (p);
}

GST_END_TEST;

/* The drop element loses 12 datagrams of side 0's direction right after
 * the first few messages. A channel with max-retransmits=0 gives up what
 * was lost (fewer messages arrive, the last one does, none twice); a
 * reliable ordered channel gets everything, in order. */
GST_START_TEST (test_partial_reliability_under_loss)
{
  static const gchar *options[] = {
    "options, ordered=(boolean)false, max-retransmits=(int)0",
    "options, ordered=(boolean)true, max-packet-lifetime=(int)0",
    NULL,
  };
  guint k;

  check_plugins ();
  for (k = 0; k < G_N_ELEMENTS (options); k++) {
    Pair *p = pair_new ();
    gboolean seen[60] = { FALSE, };
    guint64 index;
    guint i, count = 0, last = 0;
    gchar *drop;
    gint id;

    pair_start (p);
    pair_wait_connected (p);
    id = open_channel (p, 0, "lossy", options[k]);
    fail_unless (id >= 0);
    wait_table (p, p->opened, 0, 1, "on-open");
    wait_table (p, p->peer_channels, 1, 1, "on-channel");
    /* let the ACK's SACK settle: then the direction is quiet */
    g_usleep (50 * 1000);
    {
      guint64 forwarded = 0, dropped = 0;

      g_object_get (p->drop[0], "forwarded", &forwarded, "dropped", &dropped,
          NULL);
      index = forwarded + dropped;
    }
    drop = g_strdup_printf ("%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT,
        index + 5, index + 16);
    g_object_set (p->drop[0], "drop", drop, NULL);
    g_free (drop);
    send_numbered (p, 0, (guint) id, 60);

    if (options[k] == NULL) {
      /* reliable: all 60, in order, after retransmissions */
      wait_received (p, 1, 60);
      for (i = 0; i < 60; i++) {
        Received *r = pop_received (p, 1);

        fail_unless_equals_int (number_of (r), i);
        received_free (r);
      }
    } else {
      /* the last message arrives: what was lost is abandoned, not waited
       * for */
      gint64 end = g_get_monotonic_time () + WAIT_US;

      while (!seen[59] && g_get_monotonic_time () < end) {
        Received *r = NULL;

        g_mutex_lock (&p->lock);
        if (g_queue_is_empty (&p->received[1]))
          g_cond_wait_until (&p->cond, &p->lock, end);
        r = g_queue_pop_head (&p->received[1]);
        g_mutex_unlock (&p->lock);
        if (r == NULL)
          continue;
        i = number_of (r);
        fail_unless (i < 60);
        fail_if (seen[i], "message %u twice", i);
        seen[i] = TRUE;
        if (g_str_has_prefix (options[k], "options, ordered=(boolean)true"))
          fail_unless (count == 0 || i > last, "ordered: %u after %u", i,
              last);
        last = i;
        count++;
        received_free (r);
      }
      fail_unless (seen[59], "the last message never arrived");
      fail_unless (count < 60, "nothing was lost (%u)", count);
      fail_unless (count >= 5, "only %u arrived", count);
      GST_INFO ("%s: %u of 60 arrived, %" G_GUINT64_FORMAT " abandoned",
          options[k], count, stat_u64 (p->sctpenc[0], "messages-abandoned"));
    }
    {
      guint64 dropped = 0;

      g_object_get (p->drop[0], "dropped", &dropped, NULL);
      fail_unless_equals_int (dropped, 12);
    }
    check_no_error (p);
    pair_free (p);
  }
}

GST_END_TEST;

/* 100 channels at once from side 0, one message each; then side 0
 * closes them all and both sides see every one close. */
GST_START_TEST (test_hundred_channels)
{
  Pair *p = pair_new ();
  gint ids[100];
  guint i;

  check_plugins ();
  pair_start (p);
  pair_wait_connected (p);
  for (i = 0; i < 100; i++) {
    gchar *label = g_strdup_printf ("channel-%u", i);

    ids[i] = open_channel (p, 0, label, NULL);
    fail_unless_equals_int (ids[i], 2 * i);
    g_free (label);
  }
  wait_table (p, p->opened, 0, 100, "on-open");
  wait_table (p, p->peer_channels, 1, 100, "on-channel");
  for (i = 0; i < 100; i++) {
    gchar *text = g_strdup_printf ("%u", i);

    fail_unless (send_string (p, 0, (guint) ids[i], text));
    g_free (text);
  }
  wait_received (p, 1, 100);
  for (i = 0; i < 100; i++) {
    Received *r = pop_received (p, 1);
    const GstStructure *info;
    gchar *label;

    g_mutex_lock (&p->lock);
    info = g_hash_table_lookup (p->peer_channels[1],
        GUINT_TO_POINTER (r->id));
    fail_unless (info != NULL);
    label = g_strdup_printf ("channel-%u", number_of (r));
    fail_unless_equals_string (gst_structure_get_string (info, "label"),
        label);
    g_mutex_unlock (&p->lock);
    fail_unless_equals_int (r->id, 2 * number_of (r));
    g_free (label);
    received_free (r);
  }
  for (i = 0; i < 100; i++)
    g_signal_emit_by_name (p->sctpenc[0], "close-channel", (guint) ids[i]);
  wait_table (p, p->closed, 0, 100, "on-close");
  wait_table (p, p->closed, 1, 100, "on-close");
  wait_table (p, p->closing, 1, 100, "on-closing");
  check_no_error (p);
  pair_free (p);
}

GST_END_TEST;

/* Close from the side that did not open it, then from the side that
 * did; a closed channel refuses messages and its id is free again. */
GST_START_TEST (test_close_from_either_side)
{
  Pair *p = pair_new ();
  GError *error;
  gint a, b;

  check_plugins ();
  pair_start (p);
  pair_wait_connected (p);
  a = open_channel (p, 0, "a", NULL);
  b = open_channel (p, 0, "b", NULL);
  wait_table (p, p->opened, 0, 2, "on-open");
  wait_table (p, p->peer_channels, 1, 2, "on-channel");

  /* the receiver closes a */
  g_signal_emit_by_name (p->sctpenc[1], "close-channel", (guint) a);
  wait_table (p, p->closed, 0, 1, "on-close");
  wait_table (p, p->closed, 1, 1, "on-close");
  g_mutex_lock (&p->lock);
  fail_unless (g_hash_table_contains (p->closed[0], GINT_TO_POINTER (a)));
  fail_unless (g_hash_table_contains (p->closing[0], GINT_TO_POINTER (a)));
  g_mutex_unlock (&p->lock);
  fail_if (send_string (p, 0, (guint) a, "too late"));
  error = pop_error (p, 0);
  fail_unless (strstr (error->message, "open channel") != NULL, "%s",
      error->message);
  g_error_free (error);

  /* b still works, then its opener closes it */
  fail_unless (send_string (p, 0, (guint) b, "still here"));
  wait_received (p, 1, 1);
  g_signal_emit_by_name (p->sctpenc[0], "close-channel", (guint) b);
  wait_table (p, p->closed, 0, 2, "on-close");
  wait_table (p, p->closed, 1, 2, "on-close");

  /* the id of a is free again */
  g_mutex_lock (&p->lock);
  g_hash_table_remove (p->opened[0], GINT_TO_POINTER (a));
  g_hash_table_remove (p->peer_channels[1], GINT_TO_POINTER (a));
  g_mutex_unlock (&p->lock);
  fail_unless_equals_int (open_channel (p, 0, "again", NULL), a);
  wait_table (p, p->opened, 0, 2, "on-open");
  wait_table (p, p->peer_channels, 1, 2, "on-channel");
  g_mutex_lock (&p->lock);
  fail_unless_equals_string (gst_structure_get_string (g_hash_table_lookup
          (p->peer_channels[1], GINT_TO_POINTER (a)), "label"), "again");
  g_mutex_unlock (&p->lock);
  check_no_error (p);
  pair_free (p);
}

GST_END_TEST;

/* Each refusal is an answer, not a crash. */
GST_START_TEST (test_refusals)
{
  Pair *p = pair_new ();
  GError *error;
  GBytes *big;
  gint id;

  check_plugins ();
  g_object_set (p->sctpenc[0], "remote-max-message-size", (guint64) 1000,
      NULL);
  pair_start (p);
  pair_wait_connected (p);
  /* bad options: -1 with a warning */
  fail_unless_equals_int (open_channel (p, 0, "x",
          "options, max-retransmits=(int)1, max-packet-lifetime=(int)100"),
      -1);
  fail_unless_equals_int (open_channel (p, 0, "x",
          "options, negotiated=(boolean)true"), -1);
  fail_unless_equals_int (open_channel (p, 0, "x", "options, id=(int)3"),
      -1);                      /* odd: the DTLS server's */
  fail_unless_equals_int (open_channel (p, 0, "x", "options, id=(int)4000"),
      -1);                      /* above the 1024 streams */
  id = open_channel (p, 0, "x", "options, id=(int)4");
  fail_unless_equals_int (id, 4);
  fail_unless_equals_int (open_channel (p, 0, "y", "options, id=(int)4"),
      -1);                      /* in use */
  {
    GstMessage *msg = gst_bus_pop_filtered (p->bus, GST_MESSAGE_WARNING);
    GError *warning = NULL;

    fail_unless (msg != NULL, "no warning for bad options");
    gst_message_parse_warning (msg, &warning, NULL);
    GST_INFO ("warning: %s", warning->message);
    g_error_free (warning);
    gst_message_unref (msg);
  }

  /* sending before the channel is open, and on no channel */
  fail_if (send_string (p, 0, 100, "nobody"));
  error = pop_error (p, 0);
  g_error_free (error);

  wait_table (p, p->opened, 0, 1, "on-open");
  /* above the peer's max-message-size */
  big = pattern (1001, 1);
  fail_if (send_data (p, 0, (guint) id, big));
  error = pop_error (p, 0);
  fail_unless (strstr (error->message, "max-message-size") != NULL, "%s",
      error->message);
  g_error_free (error);
  g_bytes_unref (big);
  /* text that is not UTF-8 */
  fail_if (send_string (p, 0, (guint) id, "\xff\xfe"));
  error = pop_error (p, 0);
  g_error_free (error);
  /* and what fits still goes */
  big = pattern (1000, 2);
  fail_unless (send_data (p, 0, (guint) id, big));
  wait_received (p, 1, 1);
  g_bytes_unref (big);
  check_no_error (p);
  pair_free (p);
}

GST_END_TEST;

/* No association-id: the start fails with an error that says so. */
GST_START_TEST (test_no_association_id)
{
  GstElement *enc = make ("secsctpenc");
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *error = NULL;
  gchar *debug = NULL;

  gst_element_set_bus (enc, bus);
  fail_unless_equals_int (gst_element_set_state (enc, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &error, &debug);
  fail_unless (strstr (debug, "association-id") != NULL, "%s", debug);
  g_error_free (error);
  g_free (debug);
  gst_message_unref (msg);
  gst_element_set_state (enc, GST_STATE_NULL);
  gst_element_set_bus (enc, NULL);
  gst_object_unref (bus);
  gst_object_unref (enc);
}

GST_END_TEST;

static gboolean
low_seen (Pair * p, gpointer data)
{
  (void) data;
  return p->low[0] > 0;
}

/* A sender that keeps SCTP's buffer full is paced by the buffered
 * amount: it never holds more than its own threshold plus one message,
 * and on-buffered-amount-low says when to write more. */
GST_START_TEST (test_buffered_amount_pacing)
{
  Pair *p = pair_new ();
  const guint64 threshold = 256 * 1024;
  const gsize chunk = 64 * 1024;
  guint sent = 0, total = 160;  /* 10 MiB */
  guint64 max_buffered = 0;
  gint id;

  check_plugins ();
  pair_start (p);
  pair_wait_connected (p);
  id = open_channel (p, 0, "file", NULL);
  wait_table (p, p->opened, 0, 1, "on-open");
  g_signal_emit_by_name (p->sctpenc[0], "set-buffered-amount-low-threshold",
      (guint) id, threshold);
  while (sent < total) {
    guint64 buffered = 0;

    g_signal_emit_by_name (p->sctpenc[0], "get-buffered-amount", (guint) id,
        &buffered);
    max_buffered = MAX (max_buffered, buffered);
    if (buffered > threshold) {
      g_mutex_lock (&p->lock);
      p->low[0] = 0;
      g_mutex_unlock (&p->lock);
      g_signal_emit_by_name (p->sctpenc[0], "get-buffered-amount",
          (guint) id, &buffered);
      if (buffered > threshold)
        fail_unless (wait_for (p, low_seen, NULL), "no "
            "on-buffered-amount-low");
      continue;
    }
    {
      GBytes *data = pattern (chunk, (guint8) sent);

      fail_unless (send_data (p, 0, (guint) id, data));
      g_bytes_unref (data);
    }
    sent++;
  }
  wait_received (p, 1, total);
  fail_unless (max_buffered <= threshold + chunk, "buffered %"
      G_GUINT64_FORMAT, max_buffered);
  GST_INFO ("max buffered %" G_GUINT64_FORMAT, max_buffered);
  {
    guint i;

    for (i = 0; i < total; i++) {
      Received *r = pop_received (p, 1);
      GBytes *data = pattern (chunk, (guint8) i);

      fail_unless (g_bytes_equal (r->data, data), "message %u differs", i);
      g_bytes_unref (data);
      received_free (r);
    }
  }
  check_no_error (p);
  pair_free (p);
}

GST_END_TEST;

/* Side 1's secdtlsenc gets EOS: it sends close_notify, side 0's
 * secdtlsdec ends its stream, and side 0's association closes with every
 * channel and says why. */
GST_START_TEST (test_peer_leaves)
{
  Pair *p = pair_new ();
  GstMessage *msg;
  const gchar *reason = NULL;
  GstPad *pad;

  check_plugins ();
  pair_start (p);
  pair_wait_connected (p);
  open_channel (p, 0, "a", NULL);
  open_channel (p, 1, "b", NULL);
  wait_table (p, p->opened, 0, 1, "on-open");
  wait_table (p, p->opened, 1, 1, "on-open");
  wait_table (p, p->peer_channels, 0, 1, "on-channel");

  pad = gst_element_get_static_pad (p->dtlsenc[1], "sink");
  fail_unless (pad != NULL);
  gst_pad_send_event (pad, gst_event_new_eos ());
  gst_object_unref (pad);

  wait_table (p, p->closed, 0, 2, "on-close");
  for (;;) {
    const GstStructure *s;

    msg = gst_bus_timed_pop_filtered (p->bus, 20 * GST_SECOND,
        GST_MESSAGE_ELEMENT);
    fail_unless (msg != NULL, "no sctp-closed");
    s = gst_message_get_structure (msg);
    if (GST_MESSAGE_SRC (msg) == GST_OBJECT (p->sctpdec[0])
        && gst_structure_has_name (s, "sctp-closed")) {
      reason = gst_structure_get_string (s, "reason");
      fail_unless (reason && strstr (reason, "close_notify"), "%s", reason);
      gst_message_unref (msg);
      break;
    }
    gst_message_unref (msg);
  }
  {
    gint state = -1;

    g_object_get (p->sctpdec[0], "state", &state, NULL);
    fail_unless_equals_int (state, 3);  /* closed */
  }
  pair_free (p);
}

GST_END_TEST;

static Suite *
secsctp_suite (void)
{
  Suite *s = suite_create ("secsctp");
  TCase *tc = tcase_create ("general");

  sec_test_drop_register ();
  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_messages_both_ways);
  tcase_add_test (tc, test_negotiated_and_unordered);
  tcase_add_test (tc, test_partial_reliability_under_loss);
  tcase_add_test (tc, test_hundred_channels);
  tcase_add_test (tc, test_close_from_either_side);
  tcase_add_test (tc, test_refusals);
  tcase_add_test (tc, test_no_association_id);
  tcase_add_test (tc, test_buffered_amount_pacing);
  tcase_add_test (tc, test_peer_leaves);
  return s;
}

GST_CHECK_MAIN (secsctp);
