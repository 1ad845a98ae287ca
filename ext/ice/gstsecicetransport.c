/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecIceTransport: see gstsecicetransport.h.
 *
 * Threads: every agent of the process is created on one GMainContext run
 * by one thread ("sec-ice"), started with the first transport and stopped
 * with the last. libnice calls us back on that thread (received
 * datagrams, candidates, states). The ICE thread never waits on anything
 * downstream: it only queues a received datagram on the secicesrc's
 * receiver (gstsecicereceiver.c), whose worker pushes it. Action signals
 * and sends come from any thread; libnice serialises them with its agent
 * lock.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecicetransport.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <nice/agent.h>
#include <string.h>

#include "gstsecicereceiver.h"
#include "gstsecicetlsproxy.h"
#include "icecandidate.h"
#include "iceserver.h"

GST_DEBUG_CATEGORY_STATIC (sec_ice_transport_debug);
#define GST_CAT_DEFAULT sec_ice_transport_debug

#define COMPONENT 1             /* RTP and RTCP multiplexed (RFC 5761) */
#define SEC_ICE_PACING_MS 10

enum
{
  PROP_0,
  PROP_STUN_SERVER,
  PROP_TURN_SERVER,
  PROP_POLICY,
  PROP_PORT_RANGE,
  PROP_LOCAL_ADDRESSES,
  PROP_ICE_TCP,
  PROP_CONTROLLING,
  PROP_TURN_TLS_CA_FILE,
  PROP_LOCAL_UFRAG,
  PROP_LOCAL_PWD,
  PROP_STATE,
  PROP_SELECTED_PAIR,
  PROP_STATS,
};

enum
{
  SIGNAL_ON_LOCAL_CANDIDATE,
  SIGNAL_ON_GATHERING_DONE,
  SIGNAL_GATHER_CANDIDATES,
  SIGNAL_SET_REMOTE_CREDENTIALS,
  SIGNAL_ADD_REMOTE_CANDIDATE,
  SIGNAL_END_OF_REMOTE_CANDIDATES,
  SIGNAL_RESTART,
  LAST_SIGNAL
};

static guint signals[LAST_SIGNAL];

struct _GstSecIceTransport
{
  GstObject parent;

  /* set at construction */
  NiceAgent *agent;
  guint stream_id;
  GMainContext *context;

  /* protected by the object lock */
  gchar *stun_server;
  gchar *turn_server;
  GstSecIcePolicy policy;
  guint n_relay_servers;        /* TURN servers given to libnice */
  gchar *port_range;
  gchar *local_addresses;
  gboolean ice_tcp;
  gboolean controlling;
  gchar *turn_tls_ca_file;
  GstSecIceTlsProxy *tls_proxy; /* made when a turns:// server is set */
  gboolean started;
  GstSecIceState state;
  GstStructure *selected_pair;
  GPtrArray *local_candidates;  /* strings signaled so far */
  GstSecIceReceiver *receiver;  /* the running secicesrc's, or NULL */
  GPtrArray *holders;           /* Holder: the elements holding us, the
                                 * one that reports last */
  guint64 datagrams_sent;
  guint64 datagrams_unsent;
  guint64 datagrams_received;
  guint64 datagrams_dropped;    /* received, never pushed downstream */
  /* payload bytes (what secicesink gave, what libnice delivered), in
   * total and since the selected pair was selected (W3C RTCTransportStats
   * and RTCIceCandidatePairStats bytesSent/bytesReceived) */
  guint64 bytes_sent;
  guint64 bytes_received;
  guint64 pair_bytes_sent;
  guint64 pair_bytes_received;
};

static void gst_sec_ice_transport_dispose (GObject * object);
static void gst_sec_ice_transport_finalize (GObject * object);
static void gst_sec_ice_transport_set_property (GObject * object,
    guint prop_id, const GValue * value, GParamSpec * pspec);
static void gst_sec_ice_transport_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static void gst_sec_ice_transport_constructed (GObject * object);
static gboolean gather_candidates (GstSecIceTransport * self);
static gboolean set_remote_credentials (GstSecIceTransport * self,
    const gchar * ufrag, const gchar * pwd);
static gboolean add_remote_candidate (GstSecIceTransport * self,
    const gchar * candidate);
static void end_of_remote_candidates (GstSecIceTransport * self);
static gboolean restart (GstSecIceTransport * self);
static void replace_receiver (GstSecIceTransport * self,
    GstSecIceReceiver * expected, GstSecIceReceiver * receiver);

G_DEFINE_TYPE (GstSecIceTransport, gst_sec_ice_transport, GST_TYPE_OBJECT);

/* An element holding the transport. @key identifies it for detaching,
 * also from its finalize, when the weak reference is already cleared;
 * it is never dereferenced. */
typedef struct
{
  GWeakRef ref;
  gconstpointer key;
} Holder;

static void
holder_free (gpointer data)
{
  Holder *holder = data;

  g_weak_ref_clear (&holder->ref);
  g_free (holder);
}

/* The element that reports: the last attached that still exists and has
 * a bus (is in a pipeline), else the last that still exists (a
 * reference), or NULL. */
static GstElement *
reporting_element (GstSecIceTransport * self)
{
  GPtrArray *alive = g_ptr_array_new_with_free_func (gst_object_unref);
  GstElement *element = NULL;
  guint i;

  GST_OBJECT_LOCK (self);
  for (i = self->holders->len; i > 0; i--) {
    Holder *holder = g_ptr_array_index (self->holders, i - 1);
    GstElement *e = g_weak_ref_get (&holder->ref);

    if (e)
      g_ptr_array_add (alive, e);
  }
  GST_OBJECT_UNLOCK (self);
  /* an element taken out of its pipeline may live on (a message on the
   * bus holds it) with no bus to post to */
  for (i = 0; i < alive->len && element == NULL; i++) {
    GstBus *bus = gst_element_get_bus (g_ptr_array_index (alive, i));

    if (bus) {
      element = gst_object_ref (g_ptr_array_index (alive, i));
      gst_object_unref (bus);
    }
  }
  if (element == NULL && alive->len > 0)
    element = gst_object_ref (g_ptr_array_index (alive, 0));
  g_ptr_array_unref (alive);
  return element;
}

/* The property names of GstSecIceSetting, on the transport and on the
 * elements alike. */
static const gchar *const setting_names[GST_SEC_ICE_N_SETTINGS] = {
  "stun-server", "turn-server", "ice-transport-policy", "local-addresses",
  "port-range", "ice-tcp", "turn-tls-ca-file",
};

static gboolean apply_setting (GstSecIceTransport * self,
    GstElement * element, GstSecIceSetting setting, const GValue * value);

/* --- the process's ICE thread ------------------------------------------- */

static GMutex ice_thread_lock;
static guint ice_thread_users;  /* protected by ice_thread_lock */
static GMainContext *ice_context;
static GMainLoop *ice_loop;
static GThread *ice_thread;

static gpointer
ice_thread_run (gpointer data)
{
  GMainLoop *loop = data;

  GMainContext *context = g_main_loop_get_context (loop);

  g_main_context_push_thread_default (context);
  g_main_loop_run (loop);
  /* let finished work (cancelled relays, closed sockets) complete */
  while (g_main_context_iteration (context, FALSE));
  g_main_context_pop_thread_default (context);
  return NULL;
}

static GMainContext *
ice_thread_ref (void)
{
  GMainContext *context;

  g_mutex_lock (&ice_thread_lock);
  if (ice_thread_users++ == 0) {
    ice_context = g_main_context_new ();
    ice_loop = g_main_loop_new (ice_context, FALSE);
    ice_thread = g_thread_new ("sec-ice", ice_thread_run, ice_loop);
  }
  context = g_main_context_ref (ice_context);
  g_mutex_unlock (&ice_thread_lock);
  return context;
}

static void
ice_thread_unref (void)
{
  GThread *thread = NULL;
  GMainLoop *loop = NULL;
  GMainContext *context = NULL;

  g_mutex_lock (&ice_thread_lock);
  if (--ice_thread_users == 0) {
    thread = ice_thread;
    loop = ice_loop;
    context = ice_context;
    ice_thread = NULL;
    ice_loop = NULL;
    ice_context = NULL;
  }
  g_mutex_unlock (&ice_thread_lock);
  if (thread) {
    g_main_loop_quit (loop);
    if (g_thread_self () != thread)
      g_thread_join (thread);
    else
      g_thread_unref (thread);
    g_main_loop_unref (loop);
    g_main_context_unref (context);
  }
}

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean done;
  GDestroyNotify func;
  gpointer data;
} IceCall;

static gboolean
ice_call_run (gpointer user_data)
{
  IceCall *call = user_data;

  if (call->func)
    call->func (call->data);
  g_mutex_lock (&call->lock);
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->lock);
  return G_SOURCE_REMOVE;
}

/* Runs @func (@data) on the ICE thread, once what is queued there at
 * @priority or above has run, and returns when it has run. Called on the
 * ICE thread, runs @func at once. */
static void
ice_thread_call (GMainContext * context, gint priority, GDestroyNotify func,
    gpointer data)
{
  IceCall call = { {0}, {0}, FALSE, func, data };
  GSource *source;

  if (g_main_context_is_owner (context)) {
    if (func)
      func (data);
    return;
  }
  g_mutex_init (&call.lock);
  g_cond_init (&call.cond);
  source = g_idle_source_new ();
  g_source_set_priority (source, priority);
  g_source_set_callback (source, ice_call_run, &call, NULL);
  g_source_attach (source, context);
  g_source_unref (source);
  g_mutex_lock (&call.lock);
  while (!call.done)
    g_cond_wait (&call.cond, &call.lock);
  g_mutex_unlock (&call.lock);
  g_mutex_clear (&call.lock);
  g_cond_clear (&call.cond);
}

/* Returns once everything already queued on the ICE thread has run, so no
 * callback of ours is still running there. */
static void
ice_thread_barrier (GMainContext * context)
{
  ice_thread_call (context, G_PRIORITY_LOW, NULL, NULL);
}

/* --- registry ----------------------------------------------------------- */

static GMutex registry_lock;
/* name -> GWeakRef to the transport: a transport being disposed is no
 * longer returned, and a new one of the same name may replace it */
static GHashTable *registry;

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

GstSecIceTransport *
gst_sec_ice_transport_obtain (const gchar * name)
{
  GstSecIceTransport *transport = NULL;
  GWeakRef *ref;

  g_mutex_lock (&registry_lock);
  if (registry == NULL)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        weak_ref_free);
  ref = name ? g_hash_table_lookup (registry, name) : NULL;
  if (ref)
    transport = g_weak_ref_get (ref);
  if (transport == NULL) {
    transport = g_object_new (GST_TYPE_SEC_ICE_TRANSPORT, "name", name,
        NULL);
    gst_object_ref_sink (transport);
    ref = g_new0 (GWeakRef, 1);
    g_weak_ref_init (ref, transport);
    g_hash_table_replace (registry, g_strdup (GST_OBJECT_NAME (transport)),
        ref);
  }
  g_mutex_unlock (&registry_lock);
  return transport;
}

static void
registry_forget (GstSecIceTransport * self)
{
  GWeakRef *ref;

  g_mutex_lock (&registry_lock);
  ref = registry ? g_hash_table_lookup (registry, GST_OBJECT_NAME (self)) :
      NULL;
  if (ref) {
    GstSecIceTransport *listed = g_weak_ref_get (ref);

    /* ours (already cleared) or gone: drop; a newer one stays */
    if (listed == NULL)
      g_hash_table_remove (registry, GST_OBJECT_NAME (self));
    else
      gst_object_unref (listed);
  }
  g_mutex_unlock (&registry_lock);
}

/* --- enums -------------------------------------------------------------- */

GType
gst_sec_ice_state_get_type (void)
{
  static gsize id = 0;
  static const GEnumValue values[] = {
    {GST_SEC_ICE_STATE_NEW, "New", "new"},
    {GST_SEC_ICE_STATE_CHECKING, "Checking", "checking"},
    {GST_SEC_ICE_STATE_CONNECTED, "Connected", "connected"},
    {GST_SEC_ICE_STATE_COMPLETED, "Completed", "completed"},
    {GST_SEC_ICE_STATE_FAILED, "Failed", "failed"},
    {GST_SEC_ICE_STATE_DISCONNECTED, "Disconnected", "disconnected"},
    {GST_SEC_ICE_STATE_CLOSED, "Closed", "closed"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&id))
    g_once_init_leave (&id, g_enum_register_static ("GstSecIceState",
            values));
  return (GType) id;
}

GType
gst_sec_ice_policy_get_type (void)
{
  static gsize id = 0;
  static const GEnumValue values[] = {
    {GST_SEC_ICE_POLICY_ALL, "Every candidate type", "all"},
    {GST_SEC_ICE_POLICY_RELAY, "Relay candidates only", "relay"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&id))
    g_once_init_leave (&id, g_enum_register_static ("GstSecIcePolicy",
            values));
  return (GType) id;
}

/* --- class -------------------------------------------------------------- */

static void
gst_sec_ice_transport_class_init (GstSecIceTransportClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (sec_ice_transport_debug, "secicetransport", 0,
      "ICE transport shared by secicesrc and secicesink");

  gobject_class->constructed = gst_sec_ice_transport_constructed;
  gobject_class->dispose = gst_sec_ice_transport_dispose;
  gobject_class->finalize = gst_sec_ice_transport_finalize;
  gobject_class->set_property = gst_sec_ice_transport_set_property;
  gobject_class->get_property = gst_sec_ice_transport_get_property;

  g_object_class_install_property (gobject_class, PROP_STUN_SERVER,
      g_param_spec_string ("stun-server", "STUN server",
          "stun://host:port (RFC 7064) for server-reflexive candidates",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_TURN_SERVER,
      g_param_spec_string ("turn-server", "TURN servers",
          "Comma-separated TURN URIs (RFC 7065): "
          "turn://user:pass@host:port?transport=udp|tcp, "
          "turns://user:pass@host:port (TLS, certificate checked against "
          "the host name); percent-encode commas in credentials. "
          "Write-only: it holds passwords",
          NULL, G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_POLICY,
      g_param_spec_enum ("ice-transport-policy", "ICE transport policy",
          "relay: gather, signal and use relay candidates only",
          GST_TYPE_SEC_ICE_POLICY, GST_SEC_ICE_POLICY_ALL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_PORT_RANGE,
      g_param_spec_string ("port-range", "Port range",
          "\"min-max\": the local ports of host candidates (UDP and TCP) "
          "are taken from this range; TURN over UDP uses the same "
          "sockets", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_LOCAL_ADDRESSES,
      g_param_spec_string ("local-addresses", "Local addresses",
          "Comma-separated IP addresses to gather host candidates on "
          "(loopback included); empty: every non-loopback interface",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_ICE_TCP,
      g_param_spec_boolean ("ice-tcp", "ICE-TCP",
          "Also gather TCP candidates (RFC 6544)", FALSE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_CONTROLLING,
      g_param_spec_boolean ("controlling", "Controlling",
          "Take the controlling role (the offerer, RFC 8445 §6.1.1)", FALSE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_TURN_TLS_CA_FILE,
      g_param_spec_string ("turn-tls-ca-file", "TURN TLS CA file",
          "PEM file of the certificates trusted for turns:// servers "
          "instead of the system's", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_LOCAL_UFRAG,
      g_param_spec_string ("local-ufrag", "Local ufrag",
          "Our ICE username fragment (for signaling)", NULL,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_LOCAL_PWD,
      g_param_spec_string ("local-pwd", "Local password",
          "Our ICE password (for signaling; never logged)", NULL,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STATE,
      g_param_spec_enum ("state", "State", "ICE connection state",
          GST_TYPE_SEC_ICE_STATE, GST_SEC_ICE_STATE_NEW,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_SELECTED_PAIR,
      g_param_spec_boxed ("selected-pair", "Selected pair",
          "local-type, local-protocol, local-address, local-port and the "
          "same for remote; NULL before a pair is selected",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "datagrams-sent, datagrams-unsent (no selected pair), "
          "datagrams-received, datagrams-dropped (received but not pushed: "
          "no secicesrc running, or its max-pending reached), "
          "bytes-sent, bytes-received (datagram payloads: no IP, UDP, TURN "
          "or STUN bytes), selected-pair-bytes-sent and -received (since "
          "the selected pair was selected), turn-tls-connections",
          GST_TYPE_STRUCTURE,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstSecIceTransport::on-local-candidate:
   * @candidate: "candidate:..." (the a=candidate attribute value)
   *
   * A local candidate to signal to the peer (trickle ICE, RFC 8838).
   * With ice-transport-policy=relay only relay candidates are signaled.
   */
  signals[SIGNAL_ON_LOCAL_CANDIDATE] =
      g_signal_new ("on-local-candidate", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_ON_GATHERING_DONE] =
      g_signal_new ("on-gathering-done", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_GATHER_CANDIDATES] =
      g_signal_new_class_handler ("gather-candidates",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gather_candidates), NULL, NULL, NULL, G_TYPE_BOOLEAN, 0);
  signals[SIGNAL_SET_REMOTE_CREDENTIALS] =
      g_signal_new_class_handler ("set-remote-credentials",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (set_remote_credentials), NULL, NULL, NULL, G_TYPE_BOOLEAN,
      2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_ADD_REMOTE_CANDIDATE] =
      g_signal_new_class_handler ("add-remote-candidate",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (add_remote_candidate), NULL, NULL, NULL, G_TYPE_BOOLEAN,
      1, G_TYPE_STRING);
  signals[SIGNAL_END_OF_REMOTE_CANDIDATES] =
      g_signal_new_class_handler ("end-of-remote-candidates",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (end_of_remote_candidates), NULL, NULL, NULL, G_TYPE_NONE,
      0);
  signals[SIGNAL_RESTART] =
      g_signal_new_class_handler ("restart", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, G_CALLBACK (restart), NULL, NULL,
      NULL, G_TYPE_BOOLEAN, 0);
}

/* --- libnice callbacks (ICE thread, or the thread that made libnice
 * release its lock) ------------------------------------------------------ */

static void
post_warning_valist (GstSecIceTransport * self, GstElement * element,
    const gchar * message, const gchar * format, va_list args)
    G_GNUC_PRINTF (4, 0);

/* A warning on the bus, from @element or else from the element that
 * reports for the transport (in any state), and in the log. @message is
 * for people (translated); the details go into the debug text. */
static void
post_warning_valist (GstSecIceTransport * self, GstElement * element,
    const gchar * message, const gchar * format, va_list args)
{
  GstElement *poster = element ? gst_object_ref (element) :
      reporting_element (self);
  gchar *text = g_strdup_vprintf (format, args);

  GST_WARNING_OBJECT (self, "%s", text);
  if (poster) {
    GError *error = g_error_new_literal (GST_RESOURCE_ERROR,
        GST_RESOURCE_ERROR_SETTINGS, message);

    gst_element_post_message (poster,
        gst_message_new_warning (GST_OBJECT (poster), error, text));
    g_error_free (error);
    gst_object_unref (poster);
  } else {
    GST_WARNING_OBJECT (self, "no element holds the transport: the "
        "warning above reaches no bus");
  }
  g_free (text);
}

static void
post_warning_full (GstSecIceTransport * self, GstElement * element,
    const gchar * message, const gchar * format, ...) G_GNUC_PRINTF (4, 5);

static void
post_warning_full (GstSecIceTransport * self, GstElement * element,
    const gchar * message, const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  post_warning_valist (self, element, message, format, args);
  va_end (args);
}

static void
post_warning (GstSecIceTransport * self, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);

/* A problem with input from the application or the network: a warning on
 * the bus and in the log, never fatal. */
static void
post_warning (GstSecIceTransport * self, const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  post_warning_valist (self, NULL, _("Invalid ICE input was ignored."),
      format, args);
  va_end (args);
}

static const gchar *
nice_type_name (NiceCandidateType type)
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

static void
on_new_candidate (NiceAgent * agent, NiceCandidate * candidate,
    GstSecIceTransport * self)
{
  gchar *sdp;
  const gchar *value;
  gboolean relay_only;

  if (candidate->stream_id != self->stream_id
      || candidate->component_id != COMPONENT)
    return;
  GST_OBJECT_LOCK (self);
  relay_only = self->policy == GST_SEC_ICE_POLICY_RELAY;
  GST_OBJECT_UNLOCK (self);
  /* relay policy: no host or server-reflexive address of ours leaves */
  if (relay_only && candidate->type != NICE_CANDIDATE_TYPE_RELAYED) {
    GST_DEBUG_OBJECT (self, "relay only: not signaling a %s candidate",
        nice_type_name (candidate->type));
    return;
  }
  sdp = nice_agent_generate_local_candidate_sdp (agent, candidate);
  if (sdp == NULL)
    return;
  value = g_str_has_prefix (sdp, "a=") ? sdp + 2 : sdp;
  if (relay_only) {
    SecIceCandidate parsed;

    /* libnice puts our local socket address in a relay candidate's
     * raddr/rport; under relay policy no address of ours may leave, so
     * they are blanked as RFC 8839 §5.1 allows (as browsers do) */
    if (!sec_ice_candidate_parse (value, &parsed, NULL)) {
      GST_WARNING_OBJECT (self, "cannot check a local candidate, dropped");
      g_free (sdp);
      return;
    }
    if (parsed.has_related) {
      gchar *blanked;

      g_strlcpy (parsed.related_address, "0.0.0.0",
          sizeof (parsed.related_address));
      parsed.related_port = 0;
      blanked = sec_ice_candidate_to_string (&parsed);
      g_free (sdp);
      sdp = blanked;
      value = sdp;
    }
  }
  GST_OBJECT_LOCK (self);
  g_ptr_array_add (self->local_candidates, g_strdup (value));
  GST_OBJECT_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "local candidate %s", value);
  g_signal_emit (self, signals[SIGNAL_ON_LOCAL_CANDIDATE], 0, value);
  g_free (sdp);
}

static void
on_gathering_done (NiceAgent * agent, guint stream_id,
    GstSecIceTransport * self)
{
  gboolean nothing_to_use;

  (void) agent;
  if (stream_id != self->stream_id)
    return;
  GST_DEBUG_OBJECT (self, "gathering done");
  GST_OBJECT_LOCK (self);
  nothing_to_use = self->policy == GST_SEC_ICE_POLICY_RELAY
      && self->n_relay_servers > 0 && self->local_candidates->len == 0;
  GST_OBJECT_UNLOCK (self);
  /* relay policy and not one relay candidate: every TURN server refused
   * our credentials (401 to each Allocate, RFC 8489 §9.2), refused the
   * allocation or never answered. libnice says nothing of it; without a
   * word here the call would wait forever. (No usable TURN server at all
   * was said when gathering started.) Said before the end of gathering
   * is signaled. */
  if (nothing_to_use)
    post_warning_full (self, NULL,
        _("With ice-transport-policy=relay no relay candidate was "
            "gathered, so nothing can connect: check the TURN server and "
            "its credentials."),
        "ice-transport-policy=relay: gathering ended on transport '%s' "
        "without a relay candidate; no TURN server in turn-server gave an "
        "allocation (credentials refused, allocation refused, or no "
        "answer)", GST_OBJECT_NAME (self));
  g_signal_emit (self, signals[SIGNAL_ON_GATHERING_DONE], 0);
}

static void
set_state (GstSecIceTransport * self, GstSecIceState state)
{
  gboolean changed;

  GST_OBJECT_LOCK (self);
  changed = self->state != state;
  self->state = state;
  GST_OBJECT_UNLOCK (self);
  if (changed) {
    GST_INFO_OBJECT (self, "state %s",
        g_enum_get_value (g_type_class_peek (GST_TYPE_SEC_ICE_STATE),
            state)->value_nick);
    g_object_notify (G_OBJECT (self), "state");
  }
}

static void
on_component_state (NiceAgent * agent, guint stream_id, guint component_id,
    guint nice_state, GstSecIceTransport * self)
{
  GstSecIceState state;

  (void) agent;
  if (stream_id != self->stream_id || component_id != COMPONENT)
    return;
  switch (nice_state) {
    case NICE_COMPONENT_STATE_DISCONNECTED:
      state = GST_SEC_ICE_STATE_DISCONNECTED;
      break;
    case NICE_COMPONENT_STATE_GATHERING:
      state = GST_SEC_ICE_STATE_NEW;
      break;
    case NICE_COMPONENT_STATE_CONNECTING:
      /* libnice goes back to CONNECTING to check candidates trickled in
       * after it chose a pair, and may not say READY again; the pair still
       * carries the media, so the state stays connected (W3C: checking
       * is before the first pair; a restart clears the pair) */
      GST_OBJECT_LOCK (self);
      state = self->selected_pair ? GST_SEC_ICE_STATE_CONNECTED :
          GST_SEC_ICE_STATE_CHECKING;
      GST_OBJECT_UNLOCK (self);
      break;
    case NICE_COMPONENT_STATE_CONNECTED:
      state = GST_SEC_ICE_STATE_CONNECTED;
      break;
    case NICE_COMPONENT_STATE_READY:
      state = GST_SEC_ICE_STATE_COMPLETED;
      break;
    case NICE_COMPONENT_STATE_FAILED:
      state = GST_SEC_ICE_STATE_FAILED;
      break;
    default:
      return;
  }
  set_state (self, state);
}

static void
describe_candidate (GstStructure * s, const gchar * prefix,
    NiceCandidate * candidate)
{
  gchar address[NICE_ADDRESS_STRING_LEN];
  gchar *type = g_strconcat (prefix, "-type", NULL);
  gchar *protocol = g_strconcat (prefix, "-protocol", NULL);
  gchar *addr = g_strconcat (prefix, "-address", NULL);
  gchar *port = g_strconcat (prefix, "-port", NULL);

  nice_address_to_string (&candidate->addr, address);
  gst_structure_set (s, type, G_TYPE_STRING, nice_type_name (candidate->type),
      protocol, G_TYPE_STRING,
      candidate->transport == NICE_CANDIDATE_TRANSPORT_UDP ? "udp" : "tcp",
      addr, G_TYPE_STRING, address,
      port, G_TYPE_UINT, nice_address_get_port (&candidate->addr), NULL);
  g_free (type);
  g_free (protocol);
  g_free (addr);
  g_free (port);
}

static void
on_selected_pair (NiceAgent * agent, guint stream_id, guint component_id,
    NiceCandidate * local, NiceCandidate * remote, GstSecIceTransport * self)
{
  GstStructure *pair;

  (void) agent;
  if (stream_id != self->stream_id || component_id != COMPONENT)
    return;
  pair = gst_structure_new_empty ("selected-pair");
  describe_candidate (pair, "local", local);
  describe_candidate (pair, "remote", remote);
  GST_INFO_OBJECT (self, "selected pair %" GST_PTR_FORMAT, pair);
  GST_OBJECT_LOCK (self);
  if (self->selected_pair)
    gst_structure_free (self->selected_pair);
  self->selected_pair = pair;
  self->pair_bytes_sent = self->pair_bytes_received = 0;
  GST_OBJECT_UNLOCK (self);
  g_object_notify (G_OBJECT (self), "selected-pair");
}

static void
on_receive (NiceAgent * agent, guint stream_id, guint component_id,
    guint len, gchar * data, gpointer user_data)
{
  GstSecIceTransport *self = user_data;
  GstSecIceReceiver *receiver;
  gboolean queued = FALSE;

  (void) agent;
  (void) stream_id;
  (void) component_id;
  GST_OBJECT_LOCK (self);
  receiver = self->receiver ? gst_sec_ice_receiver_ref (self->receiver) :
      NULL;
  self->datagrams_received++;
  self->bytes_received += len;
  if (self->selected_pair)
    self->pair_bytes_received += len;
  GST_OBJECT_UNLOCK (self);

  /* the one copy: out of libnice's receive buffer; queueing never waits */
  if (receiver) {
    queued = gst_sec_ice_receiver_queue (receiver,
        gst_buffer_new_memdup (data, len));
    gst_sec_ice_receiver_unref (receiver);
  }
  if (!queued) {
    GST_OBJECT_LOCK (self);
    self->datagrams_dropped++;
    GST_OBJECT_UNLOCK (self);
    GST_LOG_OBJECT (self, "datagram of %u bytes dropped (no running "
        "secicesrc, or its max-pending reached)", len);
  }
}

/* --- life cycle --------------------------------------------------------- */

static void
gst_sec_ice_transport_init (GstSecIceTransport * self)
{
  self->local_candidates = g_ptr_array_new_with_free_func (g_free);
  self->state = GST_SEC_ICE_STATE_NEW;
  self->holders = g_ptr_array_new_with_free_func (holder_free);
}

static void
gst_sec_ice_transport_constructed (GObject * object)
{
  GstSecIceTransport *self = GST_SEC_ICE_TRANSPORT (object);

  G_OBJECT_CLASS (gst_sec_ice_transport_parent_class)->constructed (object);
  self->context = ice_thread_ref ();
  /* trickle ICE and consent freshness (RFC 8838, RFC 7675) always on;
   * UPnP off (a fixed 200 ms and multicast traffic for nothing) */
  self->agent = nice_agent_new_full (self->context,
      NICE_COMPATIBILITY_RFC5245,
      NICE_AGENT_OPTION_ICE_TRICKLE | NICE_AGENT_OPTION_CONSENT_FRESHNESS);
  /* Ta (RFC 8445 §14.2): 10 ms between checks, twice the RFC's floor,
   * instead of libnice's 20 ms; the first check goes out one tick after
   * the checks are scheduled, so this is most of the time to connect */
  g_object_set (self->agent, "upnp", FALSE, "ice-tcp", FALSE,
      "stun-pacing-timer", SEC_ICE_PACING_MS, NULL);
  self->stream_id = nice_agent_add_stream (self->agent, 1);
  g_signal_connect (self->agent, "new-candidate-full",
      G_CALLBACK (on_new_candidate), self);
  g_signal_connect (self->agent, "candidate-gathering-done",
      G_CALLBACK (on_gathering_done), self);
  g_signal_connect (self->agent, "component-state-changed",
      G_CALLBACK (on_component_state), self);
  g_signal_connect (self->agent, "new-selected-pair-full",
      G_CALLBACK (on_selected_pair), self);
  nice_agent_attach_recv (self->agent, self->stream_id, COMPONENT,
      self->context, on_receive, self);
}

/* On the ICE thread: the agent stops calling us and goes. */
static void
release_agent (gpointer data)
{
  GstSecIceTransport *self = data;

  nice_agent_attach_recv (self->agent, self->stream_id, COMPONENT,
      self->context, NULL, NULL);
  g_signal_handlers_disconnect_by_data (self->agent, self);
  nice_agent_remove_stream (self->agent, self->stream_id);
  g_object_unref (self->agent);
  self->agent = NULL;
}

static void
gst_sec_ice_transport_dispose (GObject * object)
{
  GstSecIceTransport *self = GST_SEC_ICE_TRANSPORT (object);

  registry_forget (self);

  if (self->agent) {
    /* on the ICE thread, where libnice dispatches its socket sources:
     * removed from any other thread, the stream's sockets could be freed
     * under a callback libnice is dispatching there (a crash when a STUN
     * request was pending, test_teardown_while_asking_stun) */
    ice_thread_call (self->context, G_PRIORITY_HIGH, release_agent, self);
    /* nothing of ours still runs on the ICE thread */
    ice_thread_barrier (self->context);
    gst_sec_ice_tls_proxy_free (self->tls_proxy);
    self->tls_proxy = NULL;
    ice_thread_barrier (self->context);
    g_main_context_unref (self->context);
    self->context = NULL;
    ice_thread_unref ();
  }
  replace_receiver (self, NULL, NULL);
  G_OBJECT_CLASS (gst_sec_ice_transport_parent_class)->dispose (object);
}

static void
gst_sec_ice_transport_finalize (GObject * object)
{
  GstSecIceTransport *self = GST_SEC_ICE_TRANSPORT (object);

  g_free (self->stun_server);
  sec_ice_secret_free (self->turn_server);
  g_free (self->port_range);
  g_free (self->local_addresses);
  g_free (self->turn_tls_ca_file);
  if (self->selected_pair)
    gst_structure_free (self->selected_pair);
  g_ptr_array_unref (self->local_candidates);
  g_ptr_array_unref (self->holders);
  G_OBJECT_CLASS (gst_sec_ice_transport_parent_class)->finalize (object);
}

/* --- properties --------------------------------------------------------- */

/* The current value of a string setting, for a message; never the TURN
 * servers (passwords). */
static gchar *
describe_setting_locked (GstSecIceTransport * self, GstSecIceSetting setting)
{
  const gchar *text = NULL;

  switch (setting) {
    case GST_SEC_ICE_SETTING_STUN_SERVER:
      text = self->stun_server;
      break;
    case GST_SEC_ICE_SETTING_LOCAL_ADDRESSES:
      text = self->local_addresses;
      break;
    case GST_SEC_ICE_SETTING_PORT_RANGE:
      text = self->port_range;
      break;
    case GST_SEC_ICE_SETTING_TURN_TLS_CA_FILE:
      text = self->turn_tls_ca_file;
      break;
    case GST_SEC_ICE_SETTING_POLICY:
      return g_strdup (self->policy == GST_SEC_ICE_POLICY_RELAY ? "relay" :
          "all");
    case GST_SEC_ICE_SETTING_ICE_TCP:
      return g_strdup (self->ice_tcp ? "true" : "false");
    default:
      return g_strdup ("its value");
  }
  return g_strdup_printf ("'%s'", text ? text : "");
}

/* TRUE if @value is what @setting holds already. */
static gboolean
setting_equal_locked (GstSecIceTransport * self, GstSecIceSetting setting,
    const GValue * value)
{
  const gchar *current = NULL, *given;

  switch (setting) {
    case GST_SEC_ICE_SETTING_POLICY:
      return self->policy == (GstSecIcePolicy) g_value_get_enum (value);
    case GST_SEC_ICE_SETTING_ICE_TCP:
      return self->ice_tcp == g_value_get_boolean (value);
    case GST_SEC_ICE_SETTING_STUN_SERVER:
      current = self->stun_server;
      break;
    case GST_SEC_ICE_SETTING_TURN_SERVER:
      current = self->turn_server;
      break;
    case GST_SEC_ICE_SETTING_LOCAL_ADDRESSES:
      current = self->local_addresses;
      break;
    case GST_SEC_ICE_SETTING_PORT_RANGE:
      current = self->port_range;
      break;
    case GST_SEC_ICE_SETTING_TURN_TLS_CA_FILE:
      current = self->turn_tls_ca_file;
      break;
    default:
      return FALSE;
  }
  given = g_value_get_string (value);
  /* NULL and "" both mean unset */
  if (current == NULL || *current == '\0' || given == NULL
      || *given == '\0')
    return (current == NULL || *current == '\0')
        == (given == NULL || *given == '\0');
  /* constant time: the TURN servers hold passwords */
  return sec_ice_secret_equal (given, current);
}

/* Sets @setting, unless gathering started: then a change is refused with
 * a warning (from @element, or the transport's reporting element), as the
 * agent was configured from it already; the value it holds is accepted
 * again silently. */
static gboolean
apply_setting (GstSecIceTransport * self, GstElement * element,
    GstSecIceSetting setting, const GValue * value)
{
  GST_OBJECT_LOCK (self);
  if (self->started && setting_equal_locked (self, setting, value)) {
    GST_OBJECT_UNLOCK (self);
    return TRUE;
  }
  if (self->started) {
    gchar *kept = describe_setting_locked (self, setting);

    GST_OBJECT_UNLOCK (self);
    post_warning_full (self, element,
        _("An ICE setting was not changed: it is fixed once gathering "
            "started. Set it before the pipeline starts."),
        "%s refused: transport '%s' configured its ICE agent when it "
        "started gathering (its first element went to PAUSED) and keeps %s; "
        "set it in NULL or READY before the first start",
        setting_names[setting], GST_OBJECT_NAME (self), kept);
    g_free (kept);
    return FALSE;
  }
  switch (setting) {
    case GST_SEC_ICE_SETTING_STUN_SERVER:
      g_free (self->stun_server);
      self->stun_server = g_value_dup_string (value);
      break;
    case GST_SEC_ICE_SETTING_TURN_SERVER:
      /* it holds passwords: the old copy is zeroed */
      sec_ice_secret_free (self->turn_server);
      self->turn_server = g_value_dup_string (value);
      break;
    case GST_SEC_ICE_SETTING_POLICY:
      self->policy = g_value_get_enum (value);
      break;
    case GST_SEC_ICE_SETTING_PORT_RANGE:
      g_free (self->port_range);
      self->port_range = g_value_dup_string (value);
      break;
    case GST_SEC_ICE_SETTING_LOCAL_ADDRESSES:
      g_free (self->local_addresses);
      self->local_addresses = g_value_dup_string (value);
      break;
    case GST_SEC_ICE_SETTING_ICE_TCP:
      self->ice_tcp = g_value_get_boolean (value);
      break;
    case GST_SEC_ICE_SETTING_TURN_TLS_CA_FILE:
      g_free (self->turn_tls_ca_file);
      self->turn_tls_ca_file = g_value_dup_string (value);
      break;
    default:
      g_assert_not_reached ();
  }
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static void
gst_sec_ice_transport_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecIceTransport *self = GST_SEC_ICE_TRANSPORT (object);
  GstSecIceSetting setting;

  switch (prop_id) {
    case PROP_STUN_SERVER:
      setting = GST_SEC_ICE_SETTING_STUN_SERVER;
      break;
    case PROP_TURN_SERVER:
      setting = GST_SEC_ICE_SETTING_TURN_SERVER;
      break;
    case PROP_POLICY:
      setting = GST_SEC_ICE_SETTING_POLICY;
      break;
    case PROP_PORT_RANGE:
      setting = GST_SEC_ICE_SETTING_PORT_RANGE;
      break;
    case PROP_LOCAL_ADDRESSES:
      setting = GST_SEC_ICE_SETTING_LOCAL_ADDRESSES;
      break;
    case PROP_ICE_TCP:
      setting = GST_SEC_ICE_SETTING_ICE_TCP;
      break;
    case PROP_TURN_TLS_CA_FILE:
      setting = GST_SEC_ICE_SETTING_TURN_TLS_CA_FILE;
      break;
    case PROP_CONTROLLING:
      /* the role may change until the checks start (the answer decides) */
      GST_OBJECT_LOCK (self);
      self->controlling = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      g_object_set (self->agent, "controlling-mode",
          g_value_get_boolean (value), NULL);
      return;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
  }
  apply_setting (self, NULL, setting, value);
}

static void
gst_sec_ice_transport_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecIceTransport *self = GST_SEC_ICE_TRANSPORT (object);
  gchar *ufrag = NULL, *pwd = NULL;

  switch (prop_id) {
    case PROP_LOCAL_UFRAG:
    case PROP_LOCAL_PWD:
      nice_agent_get_local_credentials (self->agent, self->stream_id, &ufrag,
          &pwd);
      g_value_set_string (value, prop_id == PROP_LOCAL_UFRAG ? ufrag : pwd);
      g_free (ufrag);
      g_free (pwd);
      return;
    default:
      break;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_STUN_SERVER:
      g_value_set_string (value, self->stun_server);
      break;
    case PROP_POLICY:
      g_value_set_enum (value, self->policy);
      break;
    case PROP_PORT_RANGE:
      g_value_set_string (value, self->port_range);
      break;
    case PROP_LOCAL_ADDRESSES:
      g_value_set_string (value, self->local_addresses);
      break;
    case PROP_ICE_TCP:
      g_value_set_boolean (value, self->ice_tcp);
      break;
    case PROP_TURN_TLS_CA_FILE:
      g_value_set_string (value, self->turn_tls_ca_file);
      break;
    case PROP_CONTROLLING:
      g_value_set_boolean (value, self->controlling);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SELECTED_PAIR:
      g_value_set_boxed (value, self->selected_pair);
      break;
    case PROP_STATS:
      g_value_take_boxed (value, gst_structure_new ("application/x-secice-stats",
              "datagrams-sent", G_TYPE_UINT64, self->datagrams_sent,
              "datagrams-unsent", G_TYPE_UINT64, self->datagrams_unsent,
              "datagrams-received", G_TYPE_UINT64, self->datagrams_received,
              "datagrams-dropped", G_TYPE_UINT64, self->datagrams_dropped,
              "bytes-sent", G_TYPE_UINT64, self->bytes_sent,
              "bytes-received", G_TYPE_UINT64, self->bytes_received,
              "selected-pair-bytes-sent", G_TYPE_UINT64,
              self->pair_bytes_sent,
              "selected-pair-bytes-received", G_TYPE_UINT64,
              self->pair_bytes_received,
              "turn-tls-connections", G_TYPE_UINT, self->tls_proxy ?
              gst_sec_ice_tls_proxy_get_tls_connections (self->tls_proxy) : 0,
              NULL));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* --- configuration ------------------------------------------------------ */

/* The server's address as an IP literal (libnice takes no names). */
static gchar *
resolve_host (const gchar * host, GError ** error)
{
  GResolver *resolver;
  GList *addresses;
  gchar *ip;

  /* canonical, as the TLS proxy's list and libnice's CONNECT name it */
  if (sec_ice_address_is_ip (host)) {
    ip = sec_ice_address_canonical (host);
    if (ip == NULL)
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "'%s' is not an IP address", host);
    return ip;
  }
  resolver = g_resolver_get_default ();
  addresses = g_resolver_lookup_by_name (resolver, host, NULL, error);
  g_object_unref (resolver);
  if (addresses == NULL)
    return NULL;
  ip = g_inet_address_to_string (addresses->data);
  g_resolver_free_addresses (addresses);
  return ip;
}

static gboolean
parse_port_range (const gchar * text, guint * min, guint * max)
{
  gchar **parts = g_strsplit (text, "-", 3);
  guint64 a, b;
  gboolean ok;

  ok = g_strv_length (parts) == 2
      && g_ascii_string_to_unsigned (g_strstrip (parts[0]), 10, 1, 65535, &a,
      NULL)
      && g_ascii_string_to_unsigned (g_strstrip (parts[1]), 10, 1, 65535, &b,
      NULL)
      && a <= b;
  g_strfreev (parts);
  if (ok) {
    *min = a;
    *max = b;
  }
  return ok;
}

static void
on_tls_proxy_error (const gchar * message, gpointer user_data)
{
  post_warning (GST_SEC_ICE_TRANSPORT (user_data),
      "no relay candidates from it: %s", message);
}

static gboolean
ensure_tls_proxy (GstSecIceTransport * self, GstElement * element,
    const gchar * ca_file)
{
  GError *error = NULL;

  if (self->tls_proxy)
    return TRUE;
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ())) {
    GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
        (_("TURN over TLS is not available.")),
        ("turns:// needs GLib's TLS backend (the glib-networking package)"));
    return FALSE;
  }
  self->tls_proxy = gst_sec_ice_tls_proxy_new (self->context,
      on_tls_proxy_error, self, &error);
  if (self->tls_proxy && ca_file && *ca_file
      && !gst_sec_ice_tls_proxy_set_ca_file (self->tls_proxy, ca_file,
          &error)) {
    gst_sec_ice_tls_proxy_free (self->tls_proxy);
    self->tls_proxy = NULL;
  }
  if (self->tls_proxy == NULL) {
    GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
        (_("TURN over TLS is not available.")),
        ("turn-tls-ca-file / TLS proxy: %s", error->message));
    g_error_free (error);
    return FALSE;
  }
  return TRUE;
}

static gboolean
configure (GstSecIceTransport * self, GstElement * element)
{
  gchar *stun, *turn, *ports, *addresses, *ca_file;
  gboolean ice_tcp, relay, ok = TRUE;
  guint min = 0, max = 0, n_relay_servers = 0;
  GError *error = NULL;

  GST_OBJECT_LOCK (self);
  stun = g_strdup (self->stun_server);
  turn = g_strdup (self->turn_server);
  ports = g_strdup (self->port_range);
  addresses = g_strdup (self->local_addresses);
  ca_file = g_strdup (self->turn_tls_ca_file);
  ice_tcp = self->ice_tcp;
  relay = self->policy == GST_SEC_ICE_POLICY_RELAY;
  GST_OBJECT_UNLOCK (self);

  /* settings errors stop the element; an unresolvable server name only
   * costs its candidates (a warning) */
  if (ports && *ports) {
    if (!parse_port_range (ports, &min, &max)) {
      GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
          (_("The ICE settings are not usable.")),
          ("port-range '%s' is not \"min-max\" with 1 <= min <= max <= "
              "65535", ports));
      ok = FALSE;
      goto done;
    }
    nice_agent_set_port_range (self->agent, self->stream_id, COMPONENT, min,
        max);
  }
  if (addresses && *addresses) {
    gchar **list = g_strsplit (addresses, ",", -1);
    guint i;

    for (i = 0; list[i] && ok; i++) {
      NiceAddress address;
      gchar *text = g_strstrip (list[i]);

      nice_address_init (&address);
      if (*text == '\0')
        continue;
      if (!nice_address_set_from_string (&address, text)) {
        GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
            (_("The ICE settings are not usable.")),
            ("local-addresses: '%s' is not an IP address", text));
        ok = FALSE;
      } else {
        nice_agent_add_local_address (self->agent, &address);
      }
    }
    g_strfreev (list);
    if (!ok)
      goto done;
  }
  if (stun && *stun) {
    SecIceServer *server = sec_ice_server_parse (stun, &error);
    gchar *ip;

    if (server == NULL || server->kind != SEC_ICE_SERVER_STUN) {
      GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
          (_("The ICE settings are not usable.")),
          ("stun-server: %s", error ? error->message :
              "a turn URI belongs in turn-server"));
      g_clear_error (&error);
      sec_ice_server_free (server);
      ok = FALSE;
      goto done;
    }
    ip = resolve_host (server->host, &error);
    if (ip == NULL) {
      post_warning (self, "STUN server '%s' does not resolve: %s; no "
          "server-reflexive candidates", server->host, error->message);
      g_clear_error (&error);
    } else {
      g_object_set (self->agent, "stun-server", ip, "stun-server-port",
          (guint) server->port, NULL);
    }
    g_free (ip);
    sec_ice_server_free (server);
  }
  if (turn && *turn) {
    /* the pieces hold passwords: zeroed before they are freed */
    gchar **list = g_strsplit (turn, ",", -1);
    /* TURN over plain TCP servers: libnice reaches them through the
     * proxy too, once there is one, which must know them */
    GPtrArray *tcp_ips = g_ptr_array_new_with_free_func (g_free);
    GArray *tcp_ports = g_array_new (FALSE, FALSE, sizeof (guint16));
    guint i;

    for (i = 0; list[i] && ok; i++) {
      SecIceServer *server;
      gchar *ip;
      NiceRelayType type;

      if (*g_strstrip (list[i]) == '\0')
        continue;
      server = sec_ice_server_parse (list[i], &error);
      if (server == NULL || server->kind == SEC_ICE_SERVER_STUN) {
        GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
            (_("The ICE settings are not usable.")),
            ("turn-server: %s", error ? error->message :
                "a stun URI belongs in stun-server"));
        g_clear_error (&error);
        sec_ice_server_free (server);
        ok = FALSE;
        break;
      }
      ip = resolve_host (server->host, &error);
      if (ip == NULL) {
        gchar *safe = sec_ice_server_to_log_string (server);

        post_warning (self, "TURN server %s does not resolve: %s; no relay "
            "candidates from it", safe, error->message);
        g_free (safe);
        g_clear_error (&error);
      } else {
        type = server->kind == SEC_ICE_SERVER_TURN_UDP ?
            NICE_RELAY_TYPE_TURN_UDP : NICE_RELAY_TYPE_TURN_TCP;
        /* libnice 0.1.21 has no TLS client for TURN (its "TLS" type is
         * plain TCP in RFC 5245 mode): TURN over TCP through our own
         * proxy, which wraps the connection in TLS (gstsecicetlsproxy.c) */
        if (server->kind == SEC_ICE_SERVER_TURN_TLS
            && !ensure_tls_proxy (self, element, ca_file)) {
          ok = FALSE;
        } else if (server->kind == SEC_ICE_SERVER_TURN_TLS) {
          /* the certificate must be valid for the URI's host (an IP
           * address host is canonical, iceserver.h) */
          gst_sec_ice_tls_proxy_add_server (self->tls_proxy, ip,
              server->port, server->host);
        } else if (server->kind == SEC_ICE_SERVER_TURN_TCP) {
          g_ptr_array_add (tcp_ips, g_strdup (ip));
          g_array_append_val (tcp_ports, server->port);
        }
        if (ok && nice_agent_set_relay_info (self->agent, self->stream_id,
                COMPONENT, ip, server->port, server->username,
                server->password, type))
          n_relay_servers++;
      }
      g_free (ip);
      sec_ice_server_free (server);
    }
    sec_ice_secret_strfreev (list);
    for (i = 0; ok && self->tls_proxy && i < tcp_ips->len; i++)
      gst_sec_ice_tls_proxy_add_server (self->tls_proxy,
          g_ptr_array_index (tcp_ips, i), g_array_index (tcp_ports, guint16,
              i), NULL);
    g_ptr_array_unref (tcp_ips);
    g_array_unref (tcp_ports);
    if (!ok)
      goto done;
  }
  GST_OBJECT_LOCK (self);
  self->n_relay_servers = n_relay_servers;
  GST_OBJECT_UNLOCK (self);
  if (relay && n_relay_servers == 0) {
    /* relay candidates come only from TURN servers: with none, nothing
     * is gathered, signaled or connected, and ICE ends in failed */
    post_warning_full (self, element,
        _("With ice-transport-policy=relay and no usable turn-server, "
            "nothing can connect: set turn-server, or use "
            "ice-transport-policy=all."),
        "ice-transport-policy=relay gathers, signals and uses only relay "
        "candidates, which only a TURN server gives; %s, so transport '%s' "
        "will gather no candidate at all",
        turn && *turn ? "no TURN server in turn-server could be used (see "
        "the warnings before this one)" : "turn-server is not set",
        GST_OBJECT_NAME (self));
  }
  g_object_set (self->agent, "ice-tcp", ice_tcp, "force-relay", relay, NULL);
  /* libnice sends the proxy credential in each CONNECT (RFC 7617 Basic):
   * only our agent's connections get through the proxy */
  if (self->tls_proxy)
    g_object_set (self->agent, "proxy-type", NICE_PROXY_TYPE_HTTP,
        "proxy-ip", "127.0.0.1", "proxy-port",
        (guint) gst_sec_ice_tls_proxy_get_port (self->tls_proxy),
        "proxy-username",
        gst_sec_ice_tls_proxy_get_username (self->tls_proxy),
        "proxy-password",
        gst_sec_ice_tls_proxy_get_password (self->tls_proxy), NULL);

done:
  g_free (stun);
  sec_ice_secret_free (turn);
  g_free (ports);
  g_free (addresses);
  g_free (ca_file);
  return ok;
}

gboolean
gst_sec_ice_transport_start (GstSecIceTransport * self, GstElement * element)
{
  gboolean started;

  gst_sec_ice_transport_attach_element (self, element);
  GST_OBJECT_LOCK (self);
  started = self->started;
  self->started = TRUE;
  GST_OBJECT_UNLOCK (self);
  if (started)
    return TRUE;
  if (!configure (self, element)) {
    GST_OBJECT_LOCK (self);
    self->started = FALSE;
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  if (!nice_agent_gather_candidates (self->agent, self->stream_id)) {
    GST_ELEMENT_ERROR (element, RESOURCE, OPEN_READ_WRITE,
        (_("Could not gather ICE candidates.")),
        ("libnice could not open a socket on any local address (port "
            "range or local-addresses too narrow?)"));
    return FALSE;
  }
  return TRUE;
}

void
gst_sec_ice_transport_set_by_name (GstElement * element,
    GstSecIceTransport ** transport, GstSecIceSettings * pending,
    const gchar * name)
{
  GstSecIceTransport *named = name && *name ?
      gst_sec_ice_transport_obtain (name) : NULL;
  GstSecIceTransport *old = NULL;
  GstSecIceSettings given = { 0, };
  gchar *current = NULL;
  gboolean running;
  guint i;

  GST_OBJECT_LOCK (element);
  /* the streaming threads and the ICE thread use the transport from
   * PAUSED on (READY->PAUSED included, whose change_state reads it) */
  running = GST_STATE (element) > GST_STATE_READY
      || GST_STATE_NEXT (element) > GST_STATE_READY;
  if (running) {
    current = *transport ? g_strdup (GST_OBJECT_NAME (*transport)) : NULL;
  } else {
    old = *transport;
    *transport = named ? gst_object_ref (named) : NULL;
    /* the settings given while there was no transport go to this one */
    if (named && pending) {
      given = *pending;
      memset (pending, 0, sizeof (*pending));
    }
  }
  GST_OBJECT_UNLOCK (element);
  if (!running) {
    if (old && old != named)
      gst_sec_ice_transport_detach_element (old, element);
    if (old)
      gst_object_unref (old);
    if (named) {
      gst_sec_ice_transport_attach_element (named, element);
      for (i = 0; i < GST_SEC_ICE_N_SETTINGS; i++) {
        if (given.given & (1u << i))
          apply_setting (named, element, i, &given.values[i]);
      }
      gst_sec_ice_settings_clear (&given);
    }
  }
  if (running) {
    GST_ELEMENT_WARNING (element, RESOURCE, SETTINGS,
        (_("The ICE transport cannot change while the element is running.")),
        ("transport '%s' refused: set it in the NULL or READY state; the "
            "element keeps '%s'", name ? name : "", current ? current : ""));
    g_free (current);
  }
  if (named)
    gst_object_unref (named);
}

/* Removes @element's entry; with the object lock. */
static Holder *
steal_holder_locked (GstSecIceTransport * self, gconstpointer element)
{
  guint i;

  for (i = 0; i < self->holders->len; i++) {
    Holder *holder = g_ptr_array_index (self->holders, i);

    if (holder->key == element)
      return g_ptr_array_steal_index (self->holders, i);
  }
  return NULL;
}

void
gst_sec_ice_transport_attach_element (GstSecIceTransport * self,
    GstElement * element)
{
  Holder *holder;

  GST_OBJECT_LOCK (self);
  holder = steal_holder_locked (self, element);
  if (holder == NULL) {
    holder = g_new0 (Holder, 1);
    g_weak_ref_init (&holder->ref, element);
    holder->key = element;
  }
  /* the last is the one that reports */
  g_ptr_array_add (self->holders, holder);
  GST_OBJECT_UNLOCK (self);
}

void
gst_sec_ice_transport_detach_element (GstSecIceTransport * self,
    GstElement * element)
{
  Holder *holder;

  GST_OBJECT_LOCK (self);
  holder = steal_holder_locked (self, element);
  GST_OBJECT_UNLOCK (self);
  if (holder)
    holder_free (holder);
}

/* --- the settings on the elements ---------------------------------------- */

void
gst_sec_ice_settings_install (GObjectClass * klass, guint first_prop_id)
{
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
      | GST_PARAM_MUTABLE_READY;
  GParamSpec *pspecs[GST_SEC_ICE_N_SETTINGS];
  guint i;

  pspecs[GST_SEC_ICE_SETTING_STUN_SERVER] =
      g_param_spec_string ("stun-server", "STUN server",
      "stun://host:port (RFC 7064) for server-reflexive candidates; "
      "written to the transport, fixed once it gathers", NULL, rw);
  pspecs[GST_SEC_ICE_SETTING_TURN_SERVER] =
      g_param_spec_string ("turn-server", "TURN servers",
      "Comma-separated TURN URIs (RFC 7065): "
      "turn://user:pass@host:port?transport=udp|tcp, "
      "turns://user:pass@host:port (TLS); percent-encode commas in "
      "credentials; written to the transport, fixed once it gathers. "
      "Write-only: it holds passwords", NULL,
      G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  pspecs[GST_SEC_ICE_SETTING_POLICY] =
      g_param_spec_enum ("ice-transport-policy", "ICE transport policy",
      "relay: gather, signal and use relay candidates only (needs "
      "turn-server); written to the transport, fixed once it gathers",
      GST_TYPE_SEC_ICE_POLICY, GST_SEC_ICE_POLICY_ALL, rw);
  pspecs[GST_SEC_ICE_SETTING_LOCAL_ADDRESSES] =
      g_param_spec_string ("local-addresses", "Local addresses",
      "Comma-separated IP addresses to gather host candidates on "
      "(loopback included); empty: every non-loopback interface; written "
      "to the transport, fixed once it gathers", NULL, rw);
  pspecs[GST_SEC_ICE_SETTING_PORT_RANGE] =
      g_param_spec_string ("port-range", "Port range",
      "\"min-max\": the local ports of host candidates (UDP and TCP); "
      "written to the transport, fixed once it gathers", NULL, rw);
  pspecs[GST_SEC_ICE_SETTING_ICE_TCP] =
      g_param_spec_boolean ("ice-tcp", "ICE-TCP",
      "Also gather TCP candidates (RFC 6544); written to the transport, "
      "fixed once it gathers", FALSE, rw);
  pspecs[GST_SEC_ICE_SETTING_TURN_TLS_CA_FILE] =
      g_param_spec_string ("turn-tls-ca-file", "TURN TLS CA file",
      "PEM file of the certificates trusted for turns:// servers instead "
      "of the system's; written to the transport, fixed once it gathers",
      NULL, rw);
  for (i = 0; i < GST_SEC_ICE_N_SETTINGS; i++) {
    g_assert (g_str_equal (g_param_spec_get_name (pspecs[i]),
            setting_names[i]));
    g_object_class_install_property (klass, first_prop_id + i, pspecs[i]);
  }
}

void
gst_sec_ice_settings_clear (GstSecIceSettings * pending)
{
  guint i;

  for (i = 0; i < GST_SEC_ICE_N_SETTINGS; i++) {
    if (!(pending->given & (1u << i)))
      continue;
    if (i == GST_SEC_ICE_SETTING_TURN_SERVER) {
      /* the value is ours (a copy): zeroed before it goes */
      gchar *secret = (gchar *) g_value_get_string (&pending->values[i]);

      if (secret)
        explicit_bzero (secret, strlen (secret));
    }
    g_value_unset (&pending->values[i]);
  }
  pending->given = 0;
}

void
gst_sec_ice_settings_set (GstElement * element,
    GstSecIceTransport ** transport, GstSecIceSettings * pending,
    GstSecIceSetting setting, const GValue * value)
{
  GstSecIceTransport *target;

  GST_OBJECT_LOCK (element);
  target = *transport ? gst_object_ref (*transport) : NULL;
  if (target == NULL) {
    GValue *kept = &pending->values[setting];

    if (pending->given & (1u << setting)) {
      GstSecIceSettings one = { 0, };

      /* the old value goes as clear() wipes it */
      one.given = 1u << setting;
      one.values[setting] = *kept;
      memset (kept, 0, sizeof (*kept));
      gst_sec_ice_settings_clear (&one);
    }
    g_value_init (kept, G_VALUE_TYPE (value));
    g_value_copy (value, kept);
    pending->given |= 1u << setting;
  }
  GST_OBJECT_UNLOCK (element);
  if (target) {
    apply_setting (target, element, setting, value);
    gst_object_unref (target);
  }
}

void
gst_sec_ice_settings_get (GstElement * element,
    GstSecIceTransport ** transport, GstSecIceSettings * pending,
    GstSecIceSetting setting, GValue * value)
{
  GstSecIceTransport *source;

  GST_OBJECT_LOCK (element);
  source = *transport ? gst_object_ref (*transport) : NULL;
  if (source == NULL) {
    if (pending->given & (1u << setting))
      g_value_copy (&pending->values[setting], value);
    else
      g_param_value_set_default (g_object_class_find_property
          (G_OBJECT_GET_CLASS (element), setting_names[setting]), value);
  }
  GST_OBJECT_UNLOCK (element);
  if (source) {
    g_object_get_property (G_OBJECT (source), setting_names[setting], value);
    gst_object_unref (source);
  }
}

/* Makes @receiver (may be NULL) the one datagrams are queued on if the
 * current one is @expected (NULL: whichever). The one replaced is stopped,
 * and what it discarded is counted as dropped. No wait for the ICE
 * thread: a datagram it is queueing on the old receiver right now is
 * refused there (stopped) and counted by on_receive. */
static void
replace_receiver (GstSecIceTransport * self, GstSecIceReceiver * expected,
    GstSecIceReceiver * receiver)
{
  GstSecIceReceiver *old = NULL;
  guint discarded;

  if (receiver)
    gst_sec_ice_receiver_set_started (receiver, TRUE);
  GST_OBJECT_LOCK (self);
  if (expected == NULL || self->receiver == expected) {
    old = self->receiver;
    self->receiver = receiver ? gst_sec_ice_receiver_ref (receiver) : NULL;
  }
  GST_OBJECT_UNLOCK (self);
  if (old == receiver) {
    /* attached again: it stays started */
    if (old)
      gst_sec_ice_receiver_unref (old);
    return;
  }
  if (old == NULL)
    return;
  discarded = gst_sec_ice_receiver_set_started (old, FALSE);
  gst_sec_ice_receiver_unref (old);
  GST_OBJECT_LOCK (self);
  self->datagrams_dropped += discarded;
  GST_OBJECT_UNLOCK (self);
}

void
gst_sec_ice_transport_set_receiver (GstSecIceTransport * self,
    GstSecIceReceiver * receiver)
{
  replace_receiver (self, NULL, receiver);
}

void
gst_sec_ice_transport_remove_receiver (GstSecIceTransport * self,
    GstSecIceReceiver * receiver)
{
  guint discarded;

  replace_receiver (self, receiver, NULL);
  /* stopped even if another secicesrc took the transport over */
  discarded = gst_sec_ice_receiver_set_started (receiver, FALSE);
  GST_OBJECT_LOCK (self);
  self->datagrams_dropped += discarded;
  GST_OBJECT_UNLOCK (self);
}

gboolean
gst_sec_ice_transport_send (GstSecIceTransport * self, const guint8 * data,
    gsize len)
{
  gint sent = nice_agent_send (self->agent, self->stream_id, COMPONENT, len,
      (const gchar *) data);

  GST_OBJECT_LOCK (self);
  if (sent == (gint) len) {
    self->datagrams_sent++;
    self->bytes_sent += len;
    self->pair_bytes_sent += len;
  } else
    self->datagrams_unsent++;
  GST_OBJECT_UNLOCK (self);
  return sent == (gint) len;
}

/* --- action signals ----------------------------------------------------- */

static gboolean
gather_candidates (GstSecIceTransport * self)
{
  GstElement *element = reporting_element (self);
  gboolean ok;

  if (element == NULL) {
    GST_WARNING_OBJECT (self, "gather-candidates: no element holds the "
        "transport");
    return FALSE;
  }
  ok = gst_sec_ice_transport_start (self, element);
  gst_object_unref (element);
  return ok;
}

/* RFC 8445 §5.3: ufrag 4..256 and pwd 22..256 ice-chars. */
static gboolean
credential_ok (const gchar * text, gsize min, gsize max)
{
  gsize i, len;

  if (text == NULL)
    return FALSE;
  len = strlen (text);
  if (len < min || len > max)
    return FALSE;
  for (i = 0; i < len; i++) {
    if (!g_ascii_isalnum (text[i]) && text[i] != '+' && text[i] != '/')
      return FALSE;
  }
  return TRUE;
}

static gboolean
set_remote_credentials (GstSecIceTransport * self, const gchar * ufrag,
    const gchar * pwd)
{
  if (!credential_ok (ufrag, 4, 256)) {
    post_warning (self, "remote ufrag refused: RFC 8445 §5.3 wants 4 to "
        "256 characters of A-Z a-z 0-9 + /, got %" G_GSIZE_FORMAT,
        ufrag ? strlen (ufrag) : 0);
    return FALSE;
  }
  if (!credential_ok (pwd, 22, 256)) {
    /* the password itself is never logged */
    post_warning (self, "remote pwd refused: RFC 8445 §5.3 wants 22 to "
        "256 characters of A-Z a-z 0-9 + /, got %" G_GSIZE_FORMAT,
        pwd ? strlen (pwd) : 0);
    return FALSE;
  }
  return nice_agent_set_remote_credentials (self->agent, self->stream_id,
      ufrag, pwd);
}

static gboolean
add_remote_candidate (GstSecIceTransport * self, const gchar * text)
{
  SecIceCandidate parsed;
  NiceCandidate *candidate;
  GSList *list;
  GError *error = NULL;
  gboolean tcp_off;
  gchar *line;
  gint added;

  if (!sec_ice_candidate_parse (text, &parsed, &error)) {
    post_warning (self, "remote candidate refused: %s", error->message);
    g_error_free (error);
    return FALSE;
  }
  if (parsed.component != COMPONENT) {
    post_warning (self, "remote candidate refused: component %u, but RTP "
        "and RTCP share component 1 here (rtcp-mux, RFC 5761)",
        parsed.component);
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  tcp_off = !self->ice_tcp;
  GST_OBJECT_UNLOCK (self);
  if (parsed.transport == SEC_ICE_TRANSPORT_TCP && tcp_off) {
    /* valid, just not for us: ICE-TCP is off here (RFC 6544 §4.4) */
    GST_DEBUG_OBJECT (self, "ignoring a TCP candidate (ice-tcp is off)");
    return TRUE;
  }
  if (!sec_ice_address_is_ip (parsed.address)) {
    post_warning (self, "remote candidate refused: '%s' is a name (mDNS "
        "candidates are not resolved)", parsed.address);
    return FALSE;
  }
  /* libnice parses the canonical form we produce */
  {
    gchar *canonical = sec_ice_candidate_to_string (&parsed);

    line = g_strconcat ("a=", canonical, NULL);
    g_free (canonical);
  }
  candidate = nice_agent_parse_remote_candidate_sdp (self->agent,
      self->stream_id, line);
  g_free (line);
  if (candidate == NULL) {
    post_warning (self, "remote candidate refused by libnice");
    return FALSE;
  }
  list = g_slist_append (NULL, candidate);
  added = nice_agent_set_remote_candidates (self->agent, self->stream_id,
      COMPONENT, list);
  g_slist_free_full (list, (GDestroyNotify) nice_candidate_free);
  return added == 1;
}

static void
end_of_remote_candidates (GstSecIceTransport * self)
{
  nice_agent_peer_candidate_gathering_done (self->agent, self->stream_id);
}

/* RFC 8445 §9: new credentials, checks start over. The local candidates
 * are kept and signaled again for the new session. */
static gboolean
restart (GstSecIceTransport * self)
{
  GPtrArray *candidates;
  guint i;

  if (!nice_agent_restart_stream (self->agent, self->stream_id))
    return FALSE;
  GST_OBJECT_LOCK (self);
  candidates = self->local_candidates;
  self->local_candidates = g_ptr_array_new_with_free_func (g_free);
  if (self->selected_pair)
    gst_structure_free (self->selected_pair);
  self->selected_pair = NULL;
  GST_OBJECT_UNLOCK (self);
  set_state (self, GST_SEC_ICE_STATE_CHECKING);
  for (i = 0; i < candidates->len; i++) {
    const gchar *candidate = g_ptr_array_index (candidates, i);

    GST_OBJECT_LOCK (self);
    g_ptr_array_add (self->local_candidates, g_strdup (candidate));
    GST_OBJECT_UNLOCK (self);
    g_signal_emit (self, signals[SIGNAL_ON_LOCAL_CANDIDATE], 0, candidate);
  }
  g_ptr_array_unref (candidates);
  g_signal_emit (self, signals[SIGNAL_ON_GATHERING_DONE], 0);
  return TRUE;
}
