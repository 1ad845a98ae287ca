/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "secicepair.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <string.h>

static guint pair_counter;

static GstElement *
make (const gchar * factory)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  fail_unless (e != NULL, "no element %s", factory);
  return e;
}

/* The end of a failure message: the warnings and errors the sides
 * posted, and the test's failure detail, or "". Kept until the next call
 * or the pair is freed. */
static const gchar *
failure_detail (SecIcePair * p)
{
  gchar *extra = p->detail_func ? p->detail_func (p->detail_data) : NULL;

  g_free (p->detail);
  g_mutex_lock (&p->bus_lock);
  p->detail = g_strdup_printf ("%s%s%s", p->bus_log->len ? "; on the "
      "buses:\n" : "", p->bus_log->str, extra ? extra : "");
  g_mutex_unlock (&p->bus_lock);
  g_free (extra);
  return p->detail;
}

#define BUS_LOG_MAX 4096

/* Any thread: keeps the warnings and errors a side posts (they stay on
 * the bus for the test too). */
static GstBusSyncReply
on_bus_message (GstBus * bus, GstMessage * msg, SecIceSide * side)
{
  SecIcePair *p = side->pair;
  GError *error = NULL;
  gchar *debug = NULL;
  const gchar *kind;

  (void) bus;
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING) {
    gst_message_parse_warning (msg, &error, &debug);
    kind = "warning";
  } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (msg, &error, &debug);
    kind = "error";
  } else {
    return GST_BUS_PASS;
  }
  g_mutex_lock (&p->bus_lock);
  if (p->bus_log->len < BUS_LOG_MAX)
    g_string_append_printf (p->bus_log, "side %d, %s from %s: %s (%s)\n",
        side->index, kind, GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)),
        error->message, debug ? debug : "");
  g_mutex_unlock (&p->bus_lock);
  g_clear_error (&error);
  g_free (debug);
  return GST_BUS_PASS;
}

/* ICE thread: keeps the candidate and trickles it to the peer at once
 * unless the side is told not to */
static void
on_candidate (GObject * transport, const gchar * candidate, SecIceSide * side)
{
  SecIcePair *p = side->pair;
  SecIceSide *peer = &p->side[1 - side->index];
  GObject *to = NULL;

  (void) transport;
  GST_INFO ("side %d signals %s", side->index, candidate);
  g_mutex_lock (&p->lock);
  g_ptr_array_add (side->candidates, g_strdup (candidate));
  /* none once the peer side is removed */
  if (side->forward && peer->transport)
    to = g_object_ref (peer->transport);
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
  if (to) {
    gboolean ok = FALSE;

    g_signal_emit_by_name (to, "add-remote-candidate", candidate, &ok);
    g_object_unref (to);
    fail_unless (ok, "side %d refused side %d's candidate %s", peer->index,
        side->index, candidate);
  }
}

static void
on_gathering_done (GObject * transport, SecIceSide * side)
{
  (void) transport;
  g_mutex_lock (&side->pair->lock);
  side->gathering_done = TRUE;
  g_cond_broadcast (&side->pair->cond);
  g_mutex_unlock (&side->pair->lock);
}

static void
on_state (GObject * transport, GParamSpec * pspec, SecIcePair * p)
{
  (void) transport;
  (void) pspec;
  g_mutex_lock (&p->lock);
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static SecIcePair *
pair_ref (SecIcePair * p)
{
  g_atomic_int_inc (&p->refcount);
  return p;
}

static void
pair_unref (SecIcePair * p)
{
  gint i;

  if (!g_atomic_int_dec_and_test (&p->refcount))
    return;
  for (i = 0; i < 2; i++)
    g_ptr_array_unref (p->side[i].candidates);
  g_mutex_clear (&p->lock);
  g_cond_clear (&p->cond);
  g_mutex_clear (&p->bus_lock);
  g_string_free (p->bus_log, TRUE);
  g_free (p->detail);
  g_free (p);
}

/* the notifies of the handlers: @data is a side or the pair */
static void
side_handler_gone (gpointer data, GClosure * closure)
{
  (void) closure;
  pair_unref (((SecIceSide *) data)->pair);
}

static void
pair_handler_gone (gpointer data, GClosure * closure)
{
  (void) closure;
  pair_unref (data);
}

static void
bus_handler_gone (gpointer data)
{
  pair_unref (((SecIceSide *) data)->pair);
}

void
sec_ice_pair_check_plugins (void)
{
  sec_check_factory_is_ours ("secicesrc");
  sec_check_factory_is_ours ("secicesink");
  /* libnice's own elements must not be the ones under test */
  sec_check_factory_absent ("nicesrc");
  sec_check_factory_absent ("nicesink");
}

SecIcePair *
sec_ice_pair_new (void)
{
  SecIcePair *p = g_new0 (SecIcePair, 1);
  guint n = pair_counter++;
  gint i;

  p->refcount = 1;
  g_mutex_init (&p->lock);
  g_cond_init (&p->cond);
  g_mutex_init (&p->bus_lock);
  p->bus_log = g_string_new (NULL);
  p->wait_us = SEC_ICE_PAIR_WAIT_US;
  for (i = 0; i < 2; i++) {
    SecIceSide *s = &p->side[i];
    gchar *name = g_strdup_printf ("sec-ice-pair%u-side%d", n, i);

    s->pair = p;
    s->index = i;
    s->forward = TRUE;
    s->candidates = g_ptr_array_new_with_free_func (g_free);
    s->pipeline = gst_pipeline_new (NULL);
    {
      GstBus *bus = gst_element_get_bus (s->pipeline);

      pair_ref (p);
      gst_bus_set_sync_handler (bus, (GstBusSyncHandler) on_bus_message, s,
          bus_handler_gone);
      gst_object_unref (bus);
    }
    s->src = make ("secicesrc");
    s->sink = make ("secicesink");
    s->appsrc = make ("appsrc");
    s->appsink = make ("appsink");
    g_object_set (s->src, "transport", name, NULL);
    g_object_set (s->sink, "transport", name, NULL);
    g_object_set (s->appsrc, "format", GST_FORMAT_TIME, NULL);
    g_object_set (s->appsink, "sync", FALSE, "async", FALSE, NULL);
    gst_bin_add_many (GST_BIN (s->pipeline), s->src, s->sink, s->appsrc,
        s->appsink, NULL);
    fail_unless (gst_element_link (s->appsrc, s->sink));
    fail_unless (gst_element_link (s->src, s->appsink));
    g_object_get (s->src, "ice-transport", &s->transport, NULL);
    fail_unless (s->transport != NULL);
    g_object_set (s->transport, "local-addresses", "127.0.0.1",
        "controlling", i == 0, NULL);
    /* the transport's ICE thread may be in one of these while the test
     * frees the pair: each holds a ref on it */
    pair_ref (p);
    g_signal_connect_data (s->transport, "on-local-candidate",
        G_CALLBACK (on_candidate), s, side_handler_gone, 0);
    pair_ref (p);
    g_signal_connect_data (s->transport, "on-gathering-done",
        G_CALLBACK (on_gathering_done), s, side_handler_gone, 0);
    pair_ref (p);
    g_signal_connect_data (s->transport, "notify::state",
        G_CALLBACK (on_state), p, pair_handler_gone, 0);
    g_free (name);
  }
  return p;
}

void
sec_ice_side_remove (SecIceSide * s)
{
  GObject *transport;

  if (s->pipeline) {
    GstBus *bus = gst_element_get_bus (s->pipeline);

    gst_element_set_state (s->pipeline, GST_STATE_NULL);
    /* its notify drops the handler's ref on the pair */
    gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
    gst_object_unref (bus);
  }
  if (s->transport) {
    g_signal_handlers_disconnect_by_data (s->transport, s);
    g_signal_handlers_disconnect_by_data (s->transport, s->pair);
  }
  g_mutex_lock (&s->pair->lock);
  transport = g_steal_pointer (&s->transport);
  g_mutex_unlock (&s->pair->lock);
  g_clear_object (&transport);
  gst_clear_object (&s->pipeline);
}

void
sec_ice_pair_free (SecIcePair * p)
{
  gint i;

  for (i = 0; i < 2; i++)
    sec_ice_side_remove (&p->side[i]);
  /* freed now, or when the last handler call running elsewhere ends */
  pair_unref (p);
}

void
sec_ice_pair_set_failure_detail (SecIcePair * p, SecIcePairDetailFunc func,
    gpointer user_data)
{
  p->detail_func = func;
  p->detail_data = user_data;
}

void
sec_ice_pair_exchange_credentials (SecIcePair * p)
{
  gint i;

  for (i = 0; i < 2; i++) {
    gchar *ufrag = NULL, *pwd = NULL;
    gboolean ok = FALSE;

    g_object_get (p->side[1 - i].transport, "local-ufrag", &ufrag,
        "local-pwd", &pwd, NULL);
    g_signal_emit_by_name (p->side[i].transport, "set-remote-credentials",
        ufrag, pwd, &ok);
    fail_unless (ok, "side %d refused side %d's credentials", i, 1 - i);
    g_free (ufrag);
    g_free (pwd);
  }
}

void
sec_ice_side_play (SecIceSide * s)
{
  fail_if (gst_element_set_state (s->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE, "side %d does not play", s->index);
}

void
sec_ice_pair_start (SecIcePair * p)
{
  sec_ice_pair_exchange_credentials (p);
  sec_ice_side_play (&p->side[0]);
  sec_ice_side_play (&p->side[1]);
}

gint
sec_ice_side_state (SecIceSide * s)
{
  gint state;

  g_object_get (s->transport, "state", &state, NULL);
  return state;
}

gboolean
sec_ice_side_is_connected (SecIceSide * s)
{
  gint state = sec_ice_side_state (s);

  return state == SEC_ICE_PAIR_STATE_CONNECTED
      || state == SEC_ICE_PAIR_STATE_COMPLETED;
}

void
sec_ice_pair_wait_connected (SecIcePair * p)
{
  gint64 end = g_get_monotonic_time () + p->wait_us;

  g_mutex_lock (&p->lock);
  while (!sec_ice_side_is_connected (&p->side[0])
      || !sec_ice_side_is_connected (&p->side[1]))
    fail_unless (g_cond_wait_until (&p->cond, &p->lock, end),
        "not connected after %d s (states %d %d)%s",
        (gint) (p->wait_us / G_USEC_PER_SEC),
        sec_ice_side_state (&p->side[0]), sec_ice_side_state (&p->side[1]),
        failure_detail (p));
  g_mutex_unlock (&p->lock);
}

void
sec_ice_pair_wait_gathered (SecIcePair * p)
{
  gint64 end = g_get_monotonic_time () + p->wait_us;

  g_mutex_lock (&p->lock);
  while (!p->side[0].gathering_done || !p->side[1].gathering_done)
    fail_unless (g_cond_wait_until (&p->cond, &p->lock, end),
        "gathering not done after %d s (side 0: %s, side 1: %s)%s",
        (gint) (p->wait_us / G_USEC_PER_SEC),
        p->side[0].gathering_done ? "done" : "not done",
        p->side[1].gathering_done ? "done" : "not done", failure_detail (p));
  g_mutex_unlock (&p->lock);
}

void
sec_ice_side_wait_gathered (SecIceSide * s)
{
  SecIcePair *p = s->pair;
  gint64 end = g_get_monotonic_time () + p->wait_us;

  g_mutex_lock (&p->lock);
  while (!s->gathering_done)
    fail_unless (g_cond_wait_until (&p->cond, &p->lock, end),
        "side %d: gathering not done after %d s%s", s->index,
        (gint) (p->wait_us / G_USEC_PER_SEC), failure_detail (p));
  g_mutex_unlock (&p->lock);
}

void
sec_ice_pair_check_data (SecIcePair * p, gint from, guint count)
{
  SecIceSide *s = &p->side[from], *peer = &p->side[1 - from];
  guint i, tries = 0;
  GstSample *sample;

  do {
    GstBuffer *probe = gst_buffer_new_memdup ("probe", 5);

    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC
            (s->appsrc), probe), GST_FLOW_OK);
    sample = gst_app_sink_try_pull_sample (GST_APP_SINK (peer->appsink),
        100 * GST_MSECOND);
  } while (sample == NULL && ++tries < 100);
  fail_unless (sample != NULL, "no datagram from side %d%s", from,
      failure_detail (p));
  gst_sample_unref (sample);
  /* drain late probes */
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK
              (peer->appsink), 50 * GST_MSECOND)))
    gst_sample_unref (sample);

  for (i = 0; i < count; i++) {
    guint8 data[1000];
    GstBuffer *received;
    GstMapInfo map;
    /* 100, 137, ... 999 bytes, then again from 100 */
    gsize len = 100 + (i * 37) % (sizeof (data) - 99);
    guint j;

    for (j = 0; j < sizeof (data); j++)
      data[j] = (guint8) (i * 7 + j + from);
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC
            (s->appsrc), gst_buffer_new_memdup (data, len)), GST_FLOW_OK);
    sample = gst_app_sink_try_pull_sample (GST_APP_SINK (peer->appsink),
        5 * GST_SECOND);
    fail_unless (sample != NULL, "datagram %u from side %d lost%s", i, from,
        failure_detail (p));
    received = gst_sample_get_buffer (sample);
    gst_buffer_map (received, &map, GST_MAP_READ);
    fail_unless_equals_int (map.size, len);
    fail_unless (memcmp (map.data, data, map.size) == 0, "datagram %u from "
        "side %d changed", i, from);
    fail_unless (GST_BUFFER_PTS_IS_VALID (received), "datagram %u from "
        "side %d without a timestamp", i, from);
    gst_buffer_unmap (received, &map);
    gst_sample_unref (sample);
  }
}
