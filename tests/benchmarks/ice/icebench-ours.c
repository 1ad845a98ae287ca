/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Ours: a pair of ICE transports made of secicesrc/secicesink, each side
 * a pipeline of its own:
 *
 *   secicesrc transport=ice-bench-N-S ! fakesink     secicesink transport=...
 *
 * The application does what docs/ice.md tells it to: set
 * local-addresses=127.0.0.1 (libnice skips loopback otherwise) and the
 * role on the transport (ice-transport of secicesrc), exchange the
 * credentials (local-ufrag/local-pwd -> set-remote-credentials) before
 * either side starts, and hand each candidate from on-local-candidate
 * to the peer's add-remote-candidate as it comes (trickle). Starting is
 * setting the pipelines to PLAYING: the transport gathers when the first
 * element goes to PAUSED. A side is connected when the transport's state
 * is connected or completed (notify::state). Every agent of the process
 * runs on the transport code's one ICE thread; the elements add none.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "icebench.h"

typedef struct _OursSide OursSide;

struct _OursSide
{
  BenchIcePair *pair;
  OursSide *peer;
  GstElement *pipeline;
  GstElement *src;
  GstElement *sink;     /* owned by the pipeline */
  GstElement *fakesink; /* owned by the pipeline */
  GObject *transport;
  gint64 connected_ns; /* protected by the watch's lock */
};

struct _BenchIcePair
{
  BenchIceWatch *watch;
  OursSide side[2];
};

static gboolean
ours_check_factories (void)
{
  static const gchar *const ours[] = { "secicesrc", "secicesink" };
  static const gchar *const nice[] = { "nicesrc", "nicesink" };

  return sec_bench_check_factories ("SEC_BUILD_ROOT", "ext/ice/libgstsecice.so",
      ours, nice, G_N_ELEMENTS (ours));
}

/* on-local-candidate (the ICE thread, or the thread that started
 * gathering): trickle it to the peer at once */
static void
on_local_candidate (GObject *transport, const gchar *candidate, OursSide *side)
{
  gboolean ok = FALSE;

  g_signal_emit_by_name (
      side->peer->transport, "add-remote-candidate", candidate, &ok);
  if (!ok)
    bench_ice_watch_fail (side->pair->watch,
        g_strdup_printf ("%s refused the candidate %s",
            GST_OBJECT_NAME (side->peer->transport), candidate));
}

static void
on_state (GObject *transport, GParamSpec *pspec, OursSide *side)
{
  gint64 now = sec_bench_now_ns ();
  GEnumClass *klass;
  GEnumValue *value;
  gint state = 0;

  g_object_get (transport, "state", &state, NULL);
  klass = g_type_class_ref (G_PARAM_SPEC_VALUE_TYPE (pspec));
  value = g_enum_get_value (klass, state);
  if (value == NULL) {
    bench_ice_watch_fail (side->pair->watch,
        g_strdup_printf (
            "%s: unknown state %d", GST_OBJECT_NAME (transport), state));
  } else if (g_str_equal (value->value_nick, "connected")
      || g_str_equal (value->value_nick, "completed")) {
    bench_ice_watch_side_connected (
        side->pair->watch, &side->connected_ns, now);
  } else if (g_str_equal (value->value_nick, "failed")) {
    bench_ice_watch_fail (side->pair->watch,
        g_strdup_printf (
            "%s: state %s", GST_OBJECT_NAME (transport), value->value_nick));
  }
  g_type_class_unref (klass);
}

static gboolean
side_build (OursSide *side, guint index, gint i)
{
  gchar *name = g_strdup_printf ("ice-bench-%u-%d", index, i);
  GstElement *sink, *fakesink;
  GstBus *bus;
  gboolean ok = FALSE;

  side->pipeline = gst_pipeline_new (NULL);
  side->src = gst_element_factory_make ("secicesrc", NULL);
  sink = side->sink = gst_element_factory_make ("secicesink", NULL);
  fakesink = side->fakesink = gst_element_factory_make ("fakesink", NULL);
  if (side->src == NULL || sink == NULL || fakesink == NULL) {
    g_printerr ("could not make secicesrc, secicesink and fakesink\n");
    gst_clear_object (&side->src);
    gst_clear_object (&side->sink);
    gst_clear_object (&side->fakesink);
    goto done;
  }
  gst_bin_add_many (GST_BIN (side->pipeline), side->src, sink, fakesink, NULL);
  g_object_set (fakesink, "sync", FALSE, "async", FALSE, NULL);
  if (!gst_element_link (side->src, fakesink)) {
    g_printerr ("could not link secicesrc to fakesink\n");
    goto done;
  }
  g_object_set (side->src, "transport", name, NULL);
  g_object_set (sink, "transport", name, NULL);
  g_object_get (side->src, "ice-transport", &side->transport, NULL);
  if (side->transport == NULL) {
    g_printerr ("secicesrc transport=%s has no ice-transport\n", name);
    goto done;
  }
  g_object_set (side->transport, "local-addresses", "127.0.0.1", "controlling",
      i == 0, NULL);
  g_signal_connect (side->transport, "on-local-candidate",
      G_CALLBACK (on_local_candidate), side);
  g_signal_connect (
      side->transport, "notify::state", G_CALLBACK (on_state), side);
  bus = gst_pipeline_get_bus (GST_PIPELINE (side->pipeline));
  gst_bus_set_sync_handler (
      bus, bench_ice_bus_handler, side->pair->watch, NULL);
  gst_object_unref (bus);
  ok = TRUE;

done:
  g_free (name);
  return ok;
}

static void ours_pair_free (BenchIcePair *pair);

static BenchIcePair *
ours_pair_new (guint index, BenchIceWatch *watch)
{
  BenchIcePair *pair = g_new0 (BenchIcePair, 1);
  gint i;

  pair->watch = watch;
  for (i = 0; i < 2; i++) {
    pair->side[i].pair = pair;
    pair->side[i].peer = &pair->side[1 - i];
  }
  for (i = 0; i < 2; i++) {
    if (!side_build (&pair->side[i], index, i)) {
      ours_pair_free (pair);
      return NULL;
    }
  }
  /* what signaling carries before either side starts */
  for (i = 0; i < 2; i++) {
    gchar *ufrag = NULL, *pwd = NULL;
    gboolean ok = FALSE;

    g_object_get (pair->side[1 - i].transport, "local-ufrag", &ufrag,
        "local-pwd", &pwd, NULL);
    g_signal_emit_by_name (
        pair->side[i].transport, "set-remote-credentials", ufrag, pwd, &ok);
    g_free (ufrag);
    g_free (pwd);
    if (!ok) {
      g_printerr ("set-remote-credentials failed\n");
      ours_pair_free (pair);
      return NULL;
    }
  }
  return pair;
}

static gboolean
ours_pair_start (BenchIcePair *pair)
{
  gint i;

  for (i = 0; i < 2; i++) {
    if (gst_element_set_state (pair->side[i].pipeline, GST_STATE_PLAYING)
        == GST_STATE_CHANGE_FAILURE) {
      g_printerr ("a secicesrc/secicesink pipeline could not go to "
                  "PLAYING\n");
      return FALSE;
    }
  }
  return TRUE;
}

static gint64
ours_pair_connected_ns (BenchIcePair *pair)
{
  gint64 ns;

  g_mutex_lock (&pair->watch->lock);
  ns = pair->side[0].connected_ns && pair->side[1].connected_ns
      ? MAX (pair->side[0].connected_ns, pair->side[1].connected_ns)
      : 0;
  g_mutex_unlock (&pair->watch->lock);
  return ns;
}

static gchar *
ours_pair_describe (BenchIcePair *pair)
{
  GstStructure *selected = NULL;
  gchar *text;
  guint local_port = 0, remote_port = 0;

  g_object_get (pair->side[0].transport, "selected-pair", &selected, NULL);
  if (selected == NULL)
    return g_strdup ("no selected pair");
  gst_structure_get_uint (selected, "local-port", &local_port);
  gst_structure_get_uint (selected, "remote-port", &remote_port);
  text = g_strdup_printf ("%s/%s %s:%u <-> %s/%s %s:%u",
      GST_STR_NULL (gst_structure_get_string (selected, "local-type")),
      GST_STR_NULL (gst_structure_get_string (selected, "local-protocol")),
      GST_STR_NULL (gst_structure_get_string (selected, "local-address")),
      local_port,
      GST_STR_NULL (gst_structure_get_string (selected, "remote-type")),
      GST_STR_NULL (gst_structure_get_string (selected, "remote-protocol")),
      GST_STR_NULL (gst_structure_get_string (selected, "remote-address")),
      remote_port);
  gst_structure_free (selected);
  return text;
}

static void
ours_pair_free (BenchIcePair *pair)
{
  gint i;

  /* no more trickling into a side being torn down */
  for (i = 0; i < 2; i++) {
    if (pair->side[i].transport != NULL)
      g_signal_handlers_disconnect_by_data (
          pair->side[i].transport, &pair->side[i]);
  }
  /* secicesrc leaving PLAYING waits for the ICE thread's callbacks that
   * were already running */
  for (i = 0; i < 2; i++) {
    if (pair->side[i].pipeline != NULL)
      gst_element_set_state (pair->side[i].pipeline, GST_STATE_NULL);
  }
  for (i = 0; i < 2; i++) {
    OursSide *side = &pair->side[i];

    if (side->transport != NULL)
      g_object_unref (side->transport);
    if (side->pipeline != NULL) {
      GstBus *bus = gst_pipeline_get_bus (GST_PIPELINE (side->pipeline));

      gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
      gst_object_unref (bus);
      gst_object_unref (side->pipeline);
    }
  }
  g_free (pair);
}

static GstElement *
ours_pair_sink (BenchIcePair *pair, gint side)
{
  return pair->side[side].sink;
}

static GstElement *
ours_pair_fakesink (BenchIcePair *pair, gint side)
{
  return pair->side[side].fakesink;
}

static gboolean
ours_pair_dropped (BenchIcePair *pair, gint side, guint64 *dropped)
{
  GstStructure *stats = NULL;
  gboolean ok;

  g_object_get (pair->side[side].transport, "stats", &stats, NULL);
  ok = stats != NULL
      && gst_structure_get_uint64 (stats, "datagrams-dropped", dropped);
  if (stats != NULL)
    gst_structure_free (stats);
  return ok;
}

const BenchIceImpl bench_ice_ours = {
  "ours",
  ours_check_factories,
  ours_pair_new,
  ours_pair_start,
  ours_pair_connected_ns,
  ours_pair_describe,
  ours_pair_free,
  ours_pair_sink,
  ours_pair_fakesink,
  ours_pair_dropped,
};
