/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What differs between the two bins (dcbench.h, DcBenchWebrtcImpl), as
 * in tests/benchmarks/webrtc/webrtcbench-impl.c:
 *
 * - ours, secwebrtcbin: descriptions are SDP text (the "sdp" field of
 *   the create-offer/create-answer reply, then "type" and text to
 *   set-local-description/set-remote-description); local-addresses
 *   =127.0.0.1 keeps it on loopback; max-bundle is its default.
 * - gst-plugins-bad's webrtcbin 1.22: descriptions are
 *   GstWebRTCSessionDescription boxed values (the "offer"/"answer" field
 *   of the reply), handed on as they came. It has no property for the
 *   addresses it gathers on: its ICE object's libnice agent is given
 *   127.0.0.1 with nice_agent_add_local_address () (an agent with local
 *   addresses gathers on those alone), ICE-TCP and UPnP are turned off;
 *   bundle-policy max-bundle (its default is none).
 *
 * Each child checks that the bin and the elements a data channel goes
 * through (SCTP, DTLS, ICE) come from the plugin files of its
 * implementation and that the other's are not in its registry.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "dcbench.h"

#include <nice/nice.h>

/* ---- promises ---- */

/* Emits @what on @webrtc with the arguments that follow and a promise,
 * then waits for the reply, at most DC_BENCH_PROMISE_TIMEOUT_S: a copy
 * of it (NULL if empty) in *@reply, TRUE unless it holds "error" or
 * never came (then the reason in @error, g_free). */
static gboolean
call_with_promise (GstElement *webrtc, const gchar *what, gpointer arg1,
    gpointer arg2, gboolean two_args, GstStructure **reply, gchar **error)
{
  GstPromise *promise = sec_bench_promise_new ();
  const GstStructure *s = NULL;
  gboolean ok;

  if (two_args)
    g_signal_emit_by_name (webrtc, what, arg1, arg2, promise);
  else
    g_signal_emit_by_name (webrtc, what, arg1, promise);
  ok = sec_bench_promise_wait (promise, what, DC_BENCH_PROMISE_TIMEOUT_S,
      &s, error);
  *reply = ok && s ? gst_structure_copy (s) : NULL;
  gst_promise_unref (promise);
  return ok;
}

/* ---- the factories each child must (and must not) see ---- */

static const gchar *const ours_factories[] = { "secwebrtcbin", "secsctpenc",
  "secdtlsenc", "secicesrc" };

static const gchar *const bad_factories[] = { "webrtcbin", "sctpenc",
  "dtlsenc", "nicesrc" };

/* ---- ours: secwebrtcbin ---- */

static gboolean
ours_check_factories (void)
{
  return sec_bench_check_factories ("SEC_BUILD_ROOT", NULL, ours_factories,
      bad_factories, G_N_ELEMENTS (ours_factories));
}

static gboolean
ours_configure (GstElement *webrtc)
{
  g_object_set (webrtc, "local-addresses", "127.0.0.1", NULL);
  gst_util_set_object_arg (G_OBJECT (webrtc), "bundle-policy", "max-bundle");
  return TRUE;
}

static gpointer
ours_create (GstElement *webrtc, gboolean offer, gchar **error)
{
  const gchar *what = offer ? "create-offer" : "create-answer";
  GstStructure *reply = NULL;
  gchar *sdp = NULL;

  if (call_with_promise (webrtc, what, NULL, NULL, FALSE, &reply, error)) {
    sdp = g_strdup (reply ? gst_structure_get_string (reply, "sdp") : NULL);
    if (sdp == NULL)
      *error = g_strdup_printf ("%s: no sdp in the reply", what);
  }
  if (reply)
    gst_structure_free (reply);
  return sdp;
}

static gboolean
ours_set (GstElement *webrtc, gboolean local, gboolean offer, gpointer desc,
    gchar **error)
{
  GstStructure *reply = NULL;
  gboolean ok = call_with_promise (webrtc,
      local ? "set-local-description" : "set-remote-description",
      (gpointer)(offer ? "offer" : "answer"), desc, TRUE, &reply, error);

  if (reply)
    gst_structure_free (reply);
  return ok;
}

const DcBenchWebrtcImpl dc_bench_ours = { "ours", "secwebrtcbin",
  ours_check_factories, ours_configure, ours_create, ours_set, g_free };

/* ---- gst-plugins-bad's webrtcbin ---- */

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
  return sec_bench_check_factories ("SEC_SYSTEM_PLUGIN_DIR", NULL,
      bad_factories, ours_factories, G_N_ELEMENTS (bad_factories));
}

static gboolean
bad_configure (GstElement *webrtc)
{
  GObject *ice = NULL;
  NiceAgent *agent = NULL;
  NiceAddress address;
  gboolean ok = FALSE;

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
  const gchar *what = offer ? "create-offer" : "create-answer";
  GstStructure *reply = NULL;
  BadDescription *desc = NULL;

  if (call_with_promise (webrtc, what, NULL, NULL, FALSE, &reply, error)) {
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
  if (reply)
    gst_structure_free (reply);
  return desc;
}

static gboolean
bad_set (GstElement *webrtc, gboolean local, gboolean offer, gpointer desc,
    gchar **error)
{
  GstStructure *reply = NULL;
  gboolean ok;

  /* the description says whether it is an offer or an answer */
  (void)offer;
  ok = call_with_promise (webrtc,
      local ? "set-local-description" : "set-remote-description",
      ((BadDescription *)desc)->boxed, NULL, FALSE, &reply, error);
  if (reply)
    gst_structure_free (reply);
  return ok;
}

const DcBenchWebrtcImpl dc_bench_bad = { "webrtcbin", "webrtcbin",
  bad_check_factories, bad_configure, bad_create, bad_set,
  bad_free_description };
