/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What differs between the two bins (webrtcbench.h, BenchWebrtcImpl):
 *
 * - ours, secwebrtcbin: descriptions are SDP text (the "sdp" field of
 *   the create-offer/create-answer reply, then "type" and text to
 *   set-local-description/set-remote-description); local-addresses
 *   =127.0.0.1 keeps it on loopback; max-bundle is its default.
 * - gst-plugins-bad's webrtcbin 1.22: descriptions are
 *   GstWebRTCSessionDescription boxed values (the "offer"/"answer" field
 *   of the reply), handed to the set-*-description signals as they came:
 *   this program does not link libgstwebrtc, whose headers Debian ships
 *   only in libgstreamer-plugins-bad1.0-dev. webrtcbin has no property
 *   for the addresses it gathers on: its ICE object's libnice agent is
 *   given 127.0.0.1 with nice_agent_add_local_address () (an agent with
 *   local addresses gathers on those alone) and ICE-TCP is turned off,
 *   as tests/interop/webrtc-gstbad-peer.py does; UPnP is turned off as
 *   ours has it. bundle-policy is set to max-bundle (its default is
 *   none).
 *
 * Both get the same jitter-buffer latency (property "latency", ms).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "webrtcbench.h"

#include <nice/nice.h>

static gboolean
check_factories (const gchar *root_var, const gchar *const *wanted,
    const gchar *const *unwanted, guint n)
{
  return sec_bench_check_factories (root_var, NULL, wanted, unwanted, n);
}

/* ---- ours: secwebrtcbin ---- */

static const gchar *const ours_factories[] = { "secwebrtcbin", "secicesrc",
  "secdtlsenc", "secsrtpenc" };

static const gchar *const bad_factories[] = { "webrtcbin", "nicesrc", "dtlsenc",
  "srtpenc" };

static gboolean
ours_check_factories (void)
{
  return check_factories ("SEC_BUILD_ROOT", ours_factories, bad_factories,
      G_N_ELEMENTS (ours_factories));
}

static gboolean
ours_configure (GstElement *webrtc, guint latency_ms)
{
  g_object_set (
      webrtc, "local-addresses", "127.0.0.1", "latency", latency_ms, NULL);
  gst_util_set_object_arg (G_OBJECT (webrtc), "bundle-policy", "max-bundle");
  return TRUE;
}

static gpointer
ours_create (GstElement *webrtc, gboolean offer, gchar **error)
{
  GstPromise *promise = sec_bench_promise_new ();
  const gchar *what = offer ? "create-offer" : "create-answer";
  const GstStructure *reply;
  gchar *sdp = NULL;

  g_signal_emit_by_name (webrtc, what, NULL, promise);
  if (sec_bench_promise_wait (promise, what, BENCH_PROMISE_TIMEOUT_S, &reply,
      error)) {
    sdp = g_strdup (reply ? gst_structure_get_string (reply, "sdp") : NULL);
    if (sdp == NULL)
      *error = g_strdup_printf ("%s: no sdp in the reply", what);
  }
  gst_promise_unref (promise);
  return sdp;
}

static gboolean
ours_set (GstElement *webrtc, gboolean local, gboolean offer, gpointer desc,
    gchar **error)
{
  GstPromise *promise = sec_bench_promise_new ();
  const gchar *what =
      local ? "set-local-description" : "set-remote-description";
  const GstStructure *reply;
  gboolean ok;

  g_signal_emit_by_name (
      webrtc, what, offer ? "offer" : "answer", (const gchar *)desc, promise);
  ok = sec_bench_promise_wait (promise, what, BENCH_PROMISE_TIMEOUT_S, &reply,
      error);
  gst_promise_unref (promise);
  return ok;
}

const BenchWebrtcImpl bench_webrtc_ours = { "ours", "secwebrtcbin",
  ours_check_factories, ours_configure, ours_create, ours_set, g_free };

/* ---- gst-plugins-bad's webrtcbin ---- */

/* A GstWebRTCSessionDescription and its type. */
typedef struct
{
  GType type;
  gpointer boxed;
} BadDescription;

static void
bad_free_description (gpointer desc)
{
  BadDescription *d = desc;

  if (d->boxed)
    g_boxed_free (d->type, d->boxed);
  g_free (d);
}

static gboolean
bad_check_factories (void)
{
  return check_factories ("SEC_SYSTEM_PLUGIN_DIR", bad_factories,
      ours_factories, G_N_ELEMENTS (bad_factories));
}

static gboolean
bad_configure (GstElement *webrtc, guint latency_ms)
{
  GObject *ice = NULL;
  NiceAgent *agent = NULL;
  NiceAddress address;
  gboolean ok = FALSE;

  g_object_set (webrtc, "latency", latency_ms, NULL);
  gst_util_set_object_arg (G_OBJECT (webrtc), "bundle-policy", "max-bundle");
  g_object_get (webrtc, "ice-agent", &ice, NULL);
  if (ice == NULL
      || g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "agent")
          == NULL) {
    g_printerr ("webrtcbin has no libnice agent to restrict to 127.0.0.1\n");
    goto done;
  }
  g_object_set (ice, "ice-tcp", FALSE, NULL);
  g_object_get (ice, "agent", &agent, NULL);
  nice_address_init (&address);
  /* UPnP off as in ours (and the ICE benchmark's libnice): with it,
   * each agent opens UPnP contexts on 127.0.0.1 (more threads and
   * descriptors, the same times) */
  if (agent != NULL)
    g_object_set (agent, "upnp", FALSE, NULL);
  if (agent == NULL || !nice_address_set_from_string (&address, "127.0.0.1")
      || !nice_agent_add_local_address (agent, &address)) {
    g_printerr ("webrtcbin's libnice agent refused 127.0.0.1\n");
    goto done;
  }
  ok = TRUE;
done:
  if (agent)
    g_object_unref (agent);
  if (ice)
    g_object_unref (ice);
  return ok;
}

static gpointer
bad_create (GstElement *webrtc, gboolean offer, gchar **error)
{
  GstPromise *promise = sec_bench_promise_new ();
  const gchar *what = offer ? "create-offer" : "create-answer";
  const GstStructure *reply;
  BadDescription *desc = NULL;

  g_signal_emit_by_name (webrtc, what, NULL, promise);
  if (sec_bench_promise_wait (promise, what, BENCH_PROMISE_TIMEOUT_S, &reply,
      error)) {
    const GValue *value = reply
        ? gst_structure_get_value (reply, offer ? "offer" : "answer")
        : NULL;

    if (value != NULL && G_VALUE_HOLDS_BOXED (value)
        && g_value_get_boxed (value) != NULL) {
      desc = g_new0 (BadDescription, 1);
      desc->type = G_VALUE_TYPE (value);
      desc->boxed = g_value_dup_boxed (value);
    } else {
      *error = g_strdup_printf ("%s: no description in the reply", what);
    }
  }
  gst_promise_unref (promise);
  return desc;
}

static gboolean
bad_set (GstElement *webrtc, gboolean local, gboolean offer, gpointer desc,
    gchar **error)
{
  GstPromise *promise = sec_bench_promise_new ();
  const gchar *what =
      local ? "set-local-description" : "set-remote-description";
  const GstStructure *reply;
  gboolean ok;

  /* the description says whether it is an offer or an answer */
  (void)offer;
  g_signal_emit_by_name (
      webrtc, what, ((BadDescription *)desc)->boxed, promise);
  ok = sec_bench_promise_wait (promise, what, BENCH_PROMISE_TIMEOUT_S, &reply,
      error);
  gst_promise_unref (promise);
  return ok;
}

const BenchWebrtcImpl bench_webrtc_bad = { "webrtcbin", "webrtcbin",
  bad_check_factories, bad_configure, bad_create, bad_set,
  bad_free_description };
