/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The baseline: libnice's own nicesrc/nicesink as applications use them.
 * The elements take a NiceAgent, a stream id and a component id
 * (properties "agent", "stream", "component"; gst-inspect-1.0 nicesrc)
 * and do nothing about ICE themselves, so per side the application:
 *
 *  - makes a GMainContext and a thread of its own that runs a main loop
 *    on it, and a NiceAgent on that context with nice_agent_new
 *    (RFC 5245 compatibility, libnice's default options: aggressive
 *    nomination, no trickle or consent-freshness flags);
 *  - turns UPnP and ICE-TCP off and adds 127.0.0.1 as the only local
 *    address (nice_agent_add_local_address), as ours is told to through
 *    local-addresses (ours has UPnP and ICE-TCP off by default);
 *  - adds a stream of one component (RTP and RTCP multiplexed) and sets
 *    the controlling role, side 0 controlling;
 *  - builds a pipeline  nicesrc agent=A stream=S component=1 ! fakesink
 *    plus  nicesink agent=A stream=S component=1  (no upstream, so
 *    async=false; the same shape as ours);
 *  - exchanges the credentials (nice_agent_get_local_credentials ->
 *    nice_agent_set_remote_credentials) before either side starts;
 *  - starts: pipeline to PLAYING, then nice_agent_gather_candidates ();
 *  - trickles each candidate from "new-candidate-full" as SDP text, as
 *    signaling would carry it (nice_agent_generate_local_candidate_sdp
 *    -> nice_agent_parse_remote_candidate_sdp and
 *    nice_agent_set_remote_candidates on the peer's agent);
 *  - counts a side connected when "component-state-changed" says
 *    CONNECTED or READY.
 *
 * What that costs in threads: the agent's thread, and nicesrc's
 * streaming thread (a GstPushSrc: its task runs a main loop on a context
 * of nicesrc's own, to which nicesrc moves the component's sockets with
 * nice_agent_attach_recv (), so incoming STUN is handled there).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "icebench.h"

#include <nice/agent.h>

#define COMPONENT 1

typedef struct _NiceSide NiceSide;

struct _NiceSide
{
  BenchIcePair *pair;
  NiceSide *peer;
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  NiceAgent *agent;
  guint stream_id;
  GstElement *pipeline;
  GstElement *sink;     /* owned by the pipeline */
  GstElement *fakesink; /* owned by the pipeline */
  gint64 connected_ns;  /* protected by the watch's lock */
};

struct _BenchIcePair
{
  BenchIceWatch *watch;
  NiceSide side[2];
};

static gboolean
nice_check_factories (void)
{
  static const gchar *const nice[] = { "nicesrc", "nicesink" };
  static const gchar *const ours[] = { "secicesrc", "secicesink" };
  GstElementFactory *factory = gst_element_factory_find ("nicesrc");

  if (factory == NULL) {
    g_printerr (
        "nicesrc is not in this process's registry: libnice's "
        "GStreamer plugin (libgstnice.so, Debian package gstreamer1.0-nice) "
        "is not installed in %s, or this process does not see that "
        "directory (the parent runs the baseline with "
        "GST_PLUGIN_SYSTEM_PATH_1_0 set to it)\n",
        GST_STR_NULL (g_getenv ("SEC_SYSTEM_PLUGIN_DIR")));
    return FALSE;
  }
  gst_object_unref (factory);
  return sec_bench_check_factories ("SEC_SYSTEM_PLUGIN_DIR", "libgstnice.so",
      nice, ours, G_N_ELEMENTS (nice));
}

static gpointer
agent_thread_run (gpointer data)
{
  GMainLoop *loop = data;

  g_main_context_push_thread_default (g_main_loop_get_context (loop));
  g_main_loop_run (loop);
  g_main_context_pop_thread_default (g_main_loop_get_context (loop));
  return NULL;
}

/* "new-candidate-full" (the agent's thread, or the thread that called
 * nice_agent_gather_candidates ()): trickle it to the peer as SDP */
static void
on_new_candidate (NiceAgent *agent, NiceCandidate *candidate, NiceSide *side)
{
  NiceSide *peer = side->peer;
  NiceCandidate *remote;
  GSList *list;
  gchar *sdp;
  gint added;

  if (candidate->stream_id != side->stream_id
      || candidate->component_id != COMPONENT)
    return;
  sdp = nice_agent_generate_local_candidate_sdp (agent, candidate);
  remote = sdp ? nice_agent_parse_remote_candidate_sdp (
               peer->agent, peer->stream_id, sdp)
               : NULL;
  if (remote == NULL) {
    bench_ice_watch_fail (side->pair->watch,
        g_strdup_printf ("libnice could not make or parse the candidate "
                         "%s",
            GST_STR_NULL (sdp)));
    g_free (sdp);
    return;
  }
  list = g_slist_append (NULL, remote);
  added = nice_agent_set_remote_candidates (
      peer->agent, peer->stream_id, COMPONENT, list);
  g_slist_free_full (list, (GDestroyNotify)nice_candidate_free);
  if (added != 1)
    bench_ice_watch_fail (side->pair->watch,
        g_strdup_printf ("the peer agent refused the candidate %s", sdp));
  g_free (sdp);
}

static void
on_component_state (NiceAgent *agent, guint stream_id, guint component_id,
    guint state, NiceSide *side)
{
  gint64 now = sec_bench_now_ns ();

  if (stream_id != side->stream_id || component_id != COMPONENT)
    return;
  if (state == NICE_COMPONENT_STATE_CONNECTED
      || state == NICE_COMPONENT_STATE_READY)
    bench_ice_watch_side_connected (
        side->pair->watch, &side->connected_ns, now);
  else if (state == NICE_COMPONENT_STATE_FAILED)
    bench_ice_watch_fail (side->pair->watch,
        g_strdup_printf ("agent %d: component state %s",
            side == &side->pair->side[0] ? 0 : 1,
            nice_component_state_to_string (state)));
}

static gboolean
side_build (NiceSide *side, gint i)
{
  GstElement *src, *sink, *fakesink;
  NiceAddress loopback;
  GstBus *bus;

  side->context = g_main_context_new ();
  side->loop = g_main_loop_new (side->context, FALSE);
  side->thread = g_thread_new ("nice-agent", agent_thread_run, side->loop);
  side->agent = nice_agent_new (side->context, NICE_COMPATIBILITY_RFC5245);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (side->agent), "upnp")
      != NULL)
    g_object_set (side->agent, "upnp", FALSE, NULL);
  g_object_set (
      side->agent, "ice-tcp", FALSE, "controlling-mode", i == 0, NULL);
  nice_address_init (&loopback);
  if (!nice_address_set_from_string (&loopback, "127.0.0.1")
      || !nice_agent_add_local_address (side->agent, &loopback)) {
    g_printerr ("nice_agent_add_local_address (127.0.0.1) failed\n");
    return FALSE;
  }
  side->stream_id = nice_agent_add_stream (side->agent, 1);
  if (side->stream_id == 0) {
    g_printerr ("nice_agent_add_stream failed\n");
    return FALSE;
  }
  g_signal_connect (
      side->agent, "new-candidate-full", G_CALLBACK (on_new_candidate), side);
  g_signal_connect (side->agent, "component-state-changed",
      G_CALLBACK (on_component_state), side);

  side->pipeline = gst_pipeline_new (NULL);
  src = gst_element_factory_make ("nicesrc", NULL);
  sink = side->sink = gst_element_factory_make ("nicesink", NULL);
  fakesink = side->fakesink = gst_element_factory_make ("fakesink", NULL);
  if (src == NULL || sink == NULL || fakesink == NULL) {
    g_printerr ("could not make nicesrc, nicesink and fakesink\n");
    gst_clear_object (&src);
    gst_clear_object (&side->sink);
    gst_clear_object (&side->fakesink);
    return FALSE;
  }
  gst_bin_add_many (GST_BIN (side->pipeline), src, sink, fakesink, NULL);
  g_object_set (src, "agent", side->agent, "stream", side->stream_id,
      "component", COMPONENT, NULL);
  g_object_set (sink, "agent", side->agent, "stream", side->stream_id,
      "component", COMPONENT, "sync", FALSE, "async", FALSE, NULL);
  g_object_set (fakesink, "sync", FALSE, "async", FALSE, NULL);
  if (!gst_element_link (src, fakesink)) {
    g_printerr ("could not link nicesrc to fakesink\n");
    return FALSE;
  }
  bus = gst_pipeline_get_bus (GST_PIPELINE (side->pipeline));
  gst_bus_set_sync_handler (
      bus, bench_ice_bus_handler, side->pair->watch, NULL);
  gst_object_unref (bus);
  return TRUE;
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* Stops the agent's thread, whether its loop runs already or not. */
static void
side_stop_thread (NiceSide *side)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, quit_loop, side->loop, NULL);
  g_source_attach (source, side->context);
  g_source_unref (source);
  g_thread_join (side->thread);
  side->thread = NULL;
}

static void nice_pair_free (BenchIcePair *pair);

static BenchIcePair *
nice_pair_new (guint index, BenchIceWatch *watch)
{
  BenchIcePair *pair = g_new0 (BenchIcePair, 1);
  gint i;

  pair->watch = watch;
  for (i = 0; i < 2; i++) {
    pair->side[i].pair = pair;
    pair->side[i].peer = &pair->side[1 - i];
  }
  for (i = 0; i < 2; i++) {
    if (!side_build (&pair->side[i], i)) {
      nice_pair_free (pair);
      return NULL;
    }
  }
  /* what signaling carries before either side starts */
  for (i = 0; i < 2; i++) {
    NiceSide *side = &pair->side[i], *peer = &pair->side[1 - i];
    gchar *ufrag = NULL, *pwd = NULL;
    gboolean ok;

    ok = nice_agent_get_local_credentials (
             peer->agent, peer->stream_id, &ufrag, &pwd)
        && nice_agent_set_remote_credentials (
            side->agent, side->stream_id, ufrag, pwd);
    g_free (ufrag);
    g_free (pwd);
    if (!ok) {
      g_printerr ("exchanging the credentials failed\n");
      nice_pair_free (pair);
      return NULL;
    }
  }
  return pair;
}

static gboolean
nice_pair_start (BenchIcePair *pair)
{
  gint i;

  for (i = 0; i < 2; i++) {
    NiceSide *side = &pair->side[i];

    if (gst_element_set_state (side->pipeline, GST_STATE_PLAYING)
        == GST_STATE_CHANGE_FAILURE) {
      g_printerr ("a nicesrc/nicesink pipeline could not go to PLAYING\n");
      return FALSE;
    }
    if (!nice_agent_gather_candidates (side->agent, side->stream_id)) {
      g_printerr ("nice_agent_gather_candidates failed\n");
      return FALSE;
    }
  }
  return TRUE;
}

static gint64
nice_pair_connected_ns (BenchIcePair *pair)
{
  gint64 ns;

  g_mutex_lock (&pair->watch->lock);
  ns = pair->side[0].connected_ns && pair->side[1].connected_ns
      ? MAX (pair->side[0].connected_ns, pair->side[1].connected_ns)
      : 0;
  g_mutex_unlock (&pair->watch->lock);
  return ns;
}

static const gchar *
type_name (NiceCandidateType type)
{
  switch (type) {
    case NICE_CANDIDATE_TYPE_HOST:
      return "host";
    case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE:
      return "srflx";
    case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE:
      return "prflx";
    case NICE_CANDIDATE_TYPE_RELAYED:
      return "relay";
  }
  return "unknown";
}

static gchar *
nice_pair_describe (BenchIcePair *pair)
{
  NiceSide *side = &pair->side[0];
  NiceCandidate *local = NULL, *remote = NULL;
  gchar local_address[NICE_ADDRESS_STRING_LEN];
  gchar remote_address[NICE_ADDRESS_STRING_LEN];
  guint pacing_ms = 0;

  if (!nice_agent_get_selected_pair (
          side->agent, side->stream_id, COMPONENT, &local, &remote))
    return g_strdup ("no selected pair");
  nice_address_to_string (&local->addr, local_address);
  nice_address_to_string (&remote->addr, remote_address);
  /* the check pacing (Ta, RFC 8445 §14) sets the time to connected */
  g_object_get (side->agent, "stun-pacing-timer", &pacing_ms, NULL);
  return g_strdup_printf ("%s/%s %s:%u <-> %s/%s %s:%u; agent "
                          "stun-pacing-timer %u ms",
      type_name (local->type),
      local->transport == NICE_CANDIDATE_TRANSPORT_UDP ? "udp" : "tcp",
      local_address, nice_address_get_port (&local->addr),
      type_name (remote->type),
      remote->transport == NICE_CANDIDATE_TRANSPORT_UDP ? "udp" : "tcp",
      remote_address, nice_address_get_port (&remote->addr), pacing_ms);
}

static void
nice_pair_free (BenchIcePair *pair)
{
  gint i;

  /* no more trickling into a side being torn down */
  for (i = 0; i < 2; i++) {
    if (pair->side[i].agent != NULL)
      g_signal_handlers_disconnect_by_data (
          pair->side[i].agent, &pair->side[i]);
  }
  /* nicesrc leaving READY gives the component back to the agent's
   * context (nice_agent_attach_recv with no callback) */
  for (i = 0; i < 2; i++) {
    NiceSide *side = &pair->side[i];

    if (side->pipeline != NULL) {
      GstBus *bus = gst_pipeline_get_bus (GST_PIPELINE (side->pipeline));

      gst_element_set_state (side->pipeline, GST_STATE_NULL);
      gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
      gst_object_unref (bus);
      gst_object_unref (side->pipeline);
    }
  }
  /* the agents go once no thread runs their context any more */
  for (i = 0; i < 2; i++) {
    NiceSide *side = &pair->side[i];

    if (side->thread != NULL)
      side_stop_thread (side);
    if (side->agent != NULL)
      g_object_unref (side->agent);
    if (side->loop != NULL)
      g_main_loop_unref (side->loop);
    if (side->context != NULL)
      g_main_context_unref (side->context);
  }
  g_free (pair);
}

static GstElement *
nice_pair_sink (BenchIcePair *pair, gint side)
{
  return pair->side[side].sink;
}

static GstElement *
nice_pair_fakesink (BenchIcePair *pair, gint side)
{
  return pair->side[side].fakesink;
}

/* nicesrc keeps what its component receives in a queue without bound:
 * it drops nothing itself (the kernel does, when the socket's buffer is
 * full). */
static gboolean
nice_pair_dropped (BenchIcePair *pair, gint side, guint64 *dropped)
{
  return FALSE;
}

const BenchIceImpl bench_ice_nice = {
  "libnice",
  nice_check_factories,
  nice_pair_new,
  nice_pair_start,
  nice_pair_connected_ns,
  nice_pair_describe,
  nice_pair_free,
  nice_pair_sink,
  nice_pair_fakesink,
  nice_pair_dropped,
};
