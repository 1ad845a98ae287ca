/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecWebRTCTransport: see transport.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "transport.h"

#include <string.h>

GST_DEBUG_CATEGORY_STATIC (sec_webrtc_transport_debug);
#define GST_CAT_DEFAULT sec_webrtc_transport_debug

/* GstSecIceState and GstSecDtlsConnectionState values (the plugins'
 * enums, read as integers: plugins do not include each other) */
#define ICE_STATE_CONNECTED 2
#define ICE_STATE_COMPLETED 3

/* Remote candidates kept for get-stats (the first ones of a generation:
 * libnice keeps them all, this list only names them) */
#define MAX_REMOTE_CANDIDATES 64

struct _GstSecWebRTCTransport
{
  GstBin parent;

  /* set at construction */
  GstBin *send_bin;             /* the sending half, a sibling */
  GstElement *icesrc, *icesink, *demux, *dtlsdec, *dtlsenc;
  GstElement *srtpenc, *srtpdec, *funnel, *appsink;
  GObject *ice;                 /* the ICE transport, a reference */
  gchar *dtls_id;               /* the association's connection-id */
  GstSecWebRTCTransportCallbacks callbacks;
  gpointer user_data;

  /* protected by the object lock */
  GPtrArray *local_candidates;  /* "candidate:..." */
  GPtrArray *remote_candidates; /* accepted ones, at most MAX_REMOTE */
  gboolean gathering_done;
  gboolean dtls_released;       /* the encoder runs (ICE had a pair) */
  GstElement *sctpenc, *sctpdec;        /* data channels, once made */
  gboolean sctp_running;        /* started (DTLS was connected) */
  GstStructure *dtls_info;      /* dtls-connected, once */
};

G_DEFINE_TYPE_WITH_CODE (GstSecWebRTCTransport, gst_sec_webrtc_transport,
    GST_TYPE_BIN,
    GST_DEBUG_CATEGORY_INIT (sec_webrtc_transport_debug, "secwebrtctransport",
        0, "secwebrtcbin's transports"));

static void gst_sec_webrtc_transport_dispose (GObject * object);
static void gst_sec_webrtc_transport_finalize (GObject * object);

static void
gst_sec_webrtc_transport_class_init (GstSecWebRTCTransportClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  gobject_class->dispose = gst_sec_webrtc_transport_dispose;
  gobject_class->finalize = gst_sec_webrtc_transport_finalize;
}

static void
gst_sec_webrtc_transport_init (GstSecWebRTCTransport * self)
{
  self->local_candidates = g_ptr_array_new_with_free_func (g_free);
  self->remote_candidates = g_ptr_array_new_with_free_func (g_free);
}

static void
gst_sec_webrtc_transport_dispose (GObject * object)
{
  GstSecWebRTCTransport *self = GST_SEC_WEBRTC_TRANSPORT (object);

  if (self->ice) {
    g_signal_handlers_disconnect_by_data (self->ice, self);
    g_clear_object (&self->ice);
  }
  if (self->dtlsdec)
    g_signal_handlers_disconnect_by_data (self->dtlsdec, self);
  gst_clear_object (&self->send_bin);
  G_OBJECT_CLASS (gst_sec_webrtc_transport_parent_class)->dispose (object);
}

static void
gst_sec_webrtc_transport_finalize (GObject * object)
{
  GstSecWebRTCTransport *self = GST_SEC_WEBRTC_TRANSPORT (object);

  g_ptr_array_unref (self->local_candidates);
  g_ptr_array_unref (self->remote_candidates);
  g_free (self->dtls_id);
  if (self->dtls_info)
    gst_structure_free (self->dtls_info);
  G_OBJECT_CLASS (gst_sec_webrtc_transport_parent_class)->finalize (object);
}

/* --- reports from the elements ----------------------------------------- */

static void
on_local_candidate (GObject * ice, const gchar * candidate,
    GstSecWebRTCTransport * self)
{
  (void) ice;
  GST_OBJECT_LOCK (self);
  g_ptr_array_add (self->local_candidates, g_strdup (candidate));
  GST_OBJECT_UNLOCK (self);
  if (self->callbacks.local_candidate)
    self->callbacks.local_candidate (self, candidate, self->user_data);
}

static void
on_gathering_done (GObject * ice, GstSecWebRTCTransport * self)
{
  (void) ice;
  GST_OBJECT_LOCK (self);
  self->gathering_done = TRUE;
  GST_OBJECT_UNLOCK (self);
  if (self->callbacks.gathering_done)
    self->callbacks.gathering_done (self, self->user_data);
}

/* Runs off the ICE thread (gst_element_call_async): the DTLS encoder
 * starts now that ICE has a pair, so its first flight is not lost. */
static void
release_dtls (GstElement * element, gpointer user_data)
{
  GstSecWebRTCTransport *self = GST_SEC_WEBRTC_TRANSPORT (element);

  (void) user_data;
  GST_DEBUG_OBJECT (self, "ICE has a pair: the DTLS encoder starts");
  gst_element_set_locked_state (self->dtlsenc, FALSE);
  gst_element_sync_state_with_parent (self->dtlsenc);
}

static void
on_ice_state (GObject * ice, GParamSpec * pspec, GstSecWebRTCTransport * self)
{
  gint state = gst_sec_webrtc_transport_get_ice_state (self);
  gboolean release = FALSE;

  (void) ice;
  (void) pspec;
  if (state == ICE_STATE_CONNECTED || state == ICE_STATE_COMPLETED) {
    GST_OBJECT_LOCK (self);
    release = !self->dtls_released;
    self->dtls_released = TRUE;
    GST_OBJECT_UNLOCK (self);
  }
  if (release)
    gst_element_call_async (GST_ELEMENT (self), release_dtls, NULL, NULL);
  if (self->callbacks.state_changed)
    self->callbacks.state_changed (self, self->user_data);
}

static void
on_dtls_state (GObject * dec, GParamSpec * pspec, GstSecWebRTCTransport * self)
{
  (void) dec;
  (void) pspec;
  if (self->callbacks.state_changed)
    self->callbacks.state_changed (self, self->user_data);
}

static void run_sctp (GstSecWebRTCTransport * self);
static void run_sctp_async (GstElement * element, gpointer user_data);

gboolean
gst_sec_webrtc_transport_handle_message (GstSecWebRTCTransport * self,
    GstMessage * message)
{
  const GstStructure *s;
  gboolean run;

  /* either DTLS element posts it (the one whose call completed the
   * handshake); its connection-id says whose it is */
  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ELEMENT
      || !gst_message_has_name (message, "dtls-connected"))
    return FALSE;
  s = gst_message_get_structure (message);
  if (g_strcmp0 (gst_structure_get_string (s, "connection-id"),
          self->dtls_id) != 0)
    return FALSE;
  GST_OBJECT_LOCK (self);
  if (self->dtls_info)
    gst_structure_free (self->dtls_info);
  self->dtls_info = gst_structure_copy (s);
  run = self->sctpenc != NULL && !self->sctp_running;
  self->sctp_running |= run;
  GST_OBJECT_UNLOCK (self);
  if (run)
    gst_element_call_async (GST_ELEMENT (self), run_sctp_async, NULL, NULL);
  if (self->callbacks.state_changed)
    self->callbacks.state_changed (self, self->user_data);
  return TRUE;
}

gboolean
gst_sec_webrtc_transport_swallows (GstSecWebRTCTransport * self,
    GstMessage * message)
{
  GstStructure *details = NULL;
  gboolean ours;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_WARNING
      || GST_MESSAGE_SRC (message) != GST_OBJECT (self->dtlsdec))
    return FALSE;
  gst_message_parse_warning_details (message, (const GstStructure **)
      & details);
  ours = details && g_strcmp0 (gst_structure_get_string (details,
          "sec-dtls-check"), "no-peer-fingerprint") == 0;
  if (ours)
    GST_DEBUG_OBJECT (self, "the DTLS decoder starts before the remote "
        "description: its fingerprint comes from there");
  return ours;
}

/* --- construction ------------------------------------------------------ */

static GstElement *
make (GstBin * bin, const gchar * factory, const gchar * name,
    GError ** error)
{
  GstElement *element = gst_element_factory_make (factory, name);

  if (element == NULL) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "element '%s' is missing: secwebrtcbin needs the secice, secdtls "
        "and secsrtp plugins of gst-secwebrtc and gst-plugins-base's "
        "%s", factory, "coreelements");
    return NULL;
  }
  gst_bin_add (bin, element);
  return element;
}

static gboolean
link_pads (GstElement * src, const gchar * src_pad, GstElement * sink,
    const gchar * sink_pad, GError ** error)
{
  if (!gst_element_link_pads (src, src_pad, sink, sink_pad)) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
        "cannot link %s:%s to %s:%s", GST_ELEMENT_NAME (src),
        src_pad ? src_pad : "*", GST_ELEMENT_NAME (sink),
        sink_pad ? sink_pad : "*");
    return FALSE;
  }
  return TRUE;
}

static gboolean
ghost (GstBin * bin, GstElement * element, const gchar * pad_name,
    const gchar * ghost_name)
{
  GstPad *pad = gst_element_get_static_pad (element, pad_name);
  gboolean ok;

  if (pad == NULL)
    pad = gst_element_request_pad_simple (element, pad_name);
  if (pad == NULL)
    return FALSE;
  ok = gst_element_add_pad (GST_ELEMENT (bin), gst_ghost_pad_new (ghost_name,
          pad));
  gst_object_unref (pad);
  return ok;
}

static gboolean
build (GstSecWebRTCTransport * self, const gchar * id,
    const gchar * certificate, const gchar * certificate_group,
    GError ** error)
{
  gchar *dtls_id = g_strconcat (id, "-dtls", NULL);
  gchar *send_name = g_strconcat (id, "-send", NULL);
  /* two halves, so that rtpbin -> send half and receive half -> rtpbin
   * make no loop in the bin's graph; names are unique in the bin */
  GstBin *recv = GST_BIN (self), *send;
  gchar *srtpenc_name = g_strconcat (id, "-srtpenc", NULL);
  gchar *srtpdec_name = g_strconcat (id, "-srtpdec", NULL);
  gboolean ok = FALSE;

  self->dtls_id = g_strdup (dtls_id);
  self->send_bin = GST_BIN (gst_object_ref_sink (gst_bin_new (send_name)));
  send = self->send_bin;
  g_free (send_name);
  if (!(self->icesrc = make (recv, "secicesrc", NULL, error))
      || !(self->demux = make (recv, "secdtlssrtpdemux", NULL, error))
      || !(self->dtlsdec = make (recv, "secdtlsdec", NULL, error))
      || !(self->srtpdec = make (recv, "secsrtpdec", srtpdec_name, error))
      || !(self->appsink = make (recv, "fakesink", NULL, error))
      || !(self->icesink = make (send, "secicesink", NULL, error))
      || !(self->dtlsenc = make (send, "secdtlsenc", NULL, error))
      || !(self->srtpenc = make (send, "secsrtpenc", srtpenc_name, error))
      || !(self->funnel = make (send, "funnel", NULL, error)))
    goto done;

  g_object_set (self->icesrc, "transport", id, NULL);
  g_object_set (self->icesink, "transport", id, NULL);
  g_object_get (self->icesrc, "ice-transport", &self->ice, NULL);
  /* the certificate first: the association takes it on creation; else
   * the one of the group (all transports of a bin show one) */
  if (certificate)
    g_object_set (self->dtlsdec, "certificate", certificate, NULL);
  else if (certificate_group)
    g_object_set (self->dtlsdec, "certificate-group", certificate_group,
        NULL);
  /* found from the DTLS element's bin outwards: the send half is its
   * sibling in secwebrtcbin */
  g_object_set (self->dtlsdec, "connection-id", dtls_id,
      "srtp-encoder", srtpenc_name, "srtp-decoder", srtpdec_name, NULL);
  g_object_set (self->dtlsenc, "connection-id", dtls_id, NULL);
  /* keys come from DTLS only; until then packets are dropped (counted) */
  g_object_set (self->srtpenc, "wait-for-key", TRUE, NULL);
  g_object_set (self->srtpdec, "wait-for-key", TRUE, NULL);
  /* DTLS application data (SCTP, later) */
  g_object_set (self->appsink, "sync", FALSE, "async", FALSE, NULL);

  /* the SRTP encoder's src pads exist once its sink pads are requested */
  if (!ghost (send, self->srtpenc, "rtp_sink_0", "rtp_sink")
      || !ghost (send, self->srtpenc, "rtcp_sink_0", "rtcp_sink")) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_PAD,
        "secsrtpenc has no rtp_sink/rtcp_sink pads");
    goto done;
  }
  if (!link_pads (self->icesrc, "src", self->demux, "sink", error)
      || !link_pads (self->demux, "dtls_src", self->dtlsdec, "sink", error)
      || !link_pads (self->dtlsdec, "src", self->appsink, "sink", error)
      || !link_pads (self->demux, "rtp_src", self->srtpdec, "rtp_sink_0",
          error)
      || !link_pads (self->demux, "rtcp_src", self->srtpdec, "rtcp_sink_0",
          error)
      || !link_pads (self->srtpenc, "rtp_src_0", self->funnel, NULL, error)
      || !link_pads (self->srtpenc, "rtcp_src_0", self->funnel, NULL, error)
      || !link_pads (self->dtlsenc, "src", self->funnel, NULL, error)
      || !link_pads (self->funnel, "src", self->icesink, "sink", error))
    goto done;
  if (!ghost (recv, self->srtpdec, "rtp_src_0", "rtp_src")
      || !ghost (recv, self->srtpdec, "rtcp_src_0", "rtcp_src")) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_PAD,
        "the SRTP elements have no rtp/rtcp pads");
    goto done;
  }
  /* held back until ICE has a pair (on_ice_state) */
  gst_element_set_locked_state (self->dtlsenc, TRUE);

  g_signal_connect (self->ice, "on-local-candidate",
      G_CALLBACK (on_local_candidate), self);
  g_signal_connect (self->ice, "on-gathering-done",
      G_CALLBACK (on_gathering_done), self);
  g_signal_connect (self->ice, "notify::state", G_CALLBACK (on_ice_state),
      self);
  g_signal_connect (self->dtlsdec, "notify::connection-state",
      G_CALLBACK (on_dtls_state), self);
  ok = TRUE;
done:
  g_free (dtls_id);
  g_free (srtpenc_name);
  g_free (srtpdec_name);
  return ok;
}

GstSecWebRTCTransport *
gst_sec_webrtc_transport_new (const gchar * id, const gchar * certificate,
    const gchar * certificate_group,
    const GstSecWebRTCTransportCallbacks * callbacks, gpointer user_data,
    GError ** error)
{
  GstSecWebRTCTransport *self = g_object_new (GST_TYPE_SEC_WEBRTC_TRANSPORT,
      "name", id, NULL);

  self->callbacks = *callbacks;
  self->user_data = user_data;
  if (!build (self, id, certificate, certificate_group, error)) {
    gst_object_unref (gst_object_ref_sink (self));
    return NULL;
  }
  return self;
}

/* --- data channels ------------------------------------------------------ */

typedef struct
{
  GstPad *old_peer, *new_peer;
} Relink;

/* The DTLS decoder's application data go to secsctpdec instead of the
 * fakesink, between two buffers (the pad is idle). */
static GstPadProbeReturn
relink_app_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Relink *relink = user_data;

  (void) info;
  gst_pad_unlink (pad, relink->old_peer);
  if (gst_pad_link (pad, relink->new_peer) != GST_PAD_LINK_OK)
    GST_ERROR_OBJECT (pad, "cannot link the DTLS application data to "
        "secsctpdec");
  return GST_PAD_PROBE_REMOVE;
}

static void
relink_free (Relink * relink)
{
  gst_object_unref (relink->old_peer);
  gst_object_unref (relink->new_peer);
  g_free (relink);
}

gboolean
gst_sec_webrtc_transport_start_sctp (GstSecWebRTCTransport * self,
    gboolean is_client, guint local_port, guint remote_port,
    guint64 max_message_size, guint64 remote_max_message_size,
    GError ** error)
{
  GstElement *enc, *dec;
  GstPad *src, *sink;
  gboolean run;
  gchar *name;

  if (self->sctpenc) {
    /* renegotiation: only the peer's limit may change (RFC 8841 §6.1) */
    g_object_set (self->sctpenc, "remote-max-message-size",
        remote_max_message_size, NULL);
    return TRUE;
  }
  enc = gst_element_factory_make ("secsctpenc", NULL);
  dec = gst_element_factory_make ("secsctpdec", NULL);
  if (enc == NULL || dec == NULL) {
    if (enc)
      gst_object_unref (gst_object_ref_sink (enc));
    if (dec)
      gst_object_unref (gst_object_ref_sink (dec));
    g_set_error_literal (error, GST_CORE_ERROR,
        GST_CORE_ERROR_MISSING_PLUGIN, "element 'secsctpenc' or 'secsctpdec' "
        "is missing: data channels need the secsctp plugin of gst-secwebrtc "
        "(built when libusrsctp-dev is installed)");
    return FALSE;
  }
  /* one association, by name, as the DTLS pair's */
  name = g_strconcat (GST_OBJECT_NAME (self), "-sctp", NULL);
  g_object_set (enc, "association-id", name, "is-client", is_client,
      "local-port", local_port, "remote-port", remote_port,
      "max-message-size", max_message_size, "remote-max-message-size",
      remote_max_message_size, NULL);
  g_object_set (dec, "association-id", name, NULL);
  g_free (name);

  gst_bin_add (GST_BIN (self), dec);
  gst_bin_add (self->send_bin, enc);
  src = gst_element_get_static_pad (enc, "src");
  sink = gst_element_request_pad_simple (self->dtlsenc, "sink");
  if (sink == NULL || gst_pad_link (src, sink) != GST_PAD_LINK_OK) {
    g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
        "cannot link secsctpenc to secdtlsenc");
    gst_object_unref (src);
    if (sink)
      gst_object_unref (sink);
    gst_bin_remove (GST_BIN (self), dec);
    gst_bin_remove (self->send_bin, enc);
    return FALSE;
  }
  gst_object_unref (src);
  gst_object_unref (sink);

  /* held until the DTLS association is connected: secdtlsenc takes
   * nothing before ICE has a pair, and an INIT pushed into it then would
   * be lost (SCTP would send it again after its initial RTO, 1 s) */
  gst_element_set_locked_state (enc, TRUE);
  gst_element_set_locked_state (dec, TRUE);
  GST_OBJECT_LOCK (self);
  self->sctpenc = enc;
  self->sctpdec = dec;
  run = self->dtls_info != NULL;
  self->sctp_running = run;
  GST_OBJECT_UNLOCK (self);
  if (self->callbacks.sctp_created)
    self->callbacks.sctp_created (self, enc, dec, self->user_data);
  GST_INFO_OBJECT (self, "data channels: SCTP association made (%s, ports "
      "%u -> %u)%s", is_client ? "DTLS client" : "DTLS server", local_port,
      remote_port, run ? "" : "; it starts when DTLS is connected");
  if (run)
    run_sctp (self);
  return TRUE;
}

/* DTLS is connected: the SCTP elements start (the decoder first: what
 * the encoder's INIT brings back finds it), the DTLS decoder's
 * application data go to secsctpdec from now on, and the bin opens the
 * channels that waited. */
static void
run_sctp (GstSecWebRTCTransport * self)
{
  Relink *relink;
  GstPad *src;

  gst_element_set_locked_state (self->sctpdec, FALSE);
  gst_element_set_locked_state (self->sctpenc, FALSE);
  gst_element_sync_state_with_parent (self->sctpdec);
  gst_element_sync_state_with_parent (self->sctpenc);
  relink = g_new0 (Relink, 1);
  relink->old_peer = gst_element_get_static_pad (self->appsink, "sink");
  relink->new_peer = gst_element_get_static_pad (self->sctpdec, "sink");
  src = gst_element_get_static_pad (self->dtlsdec, "src");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_IDLE, relink_app_data, relink,
      (GDestroyNotify) relink_free);
  gst_object_unref (src);
  GST_INFO_OBJECT (self, "data channels: SCTP association started");
  if (self->callbacks.sctp_started)
    self->callbacks.sctp_started (self, self->user_data);
}

static void
run_sctp_async (GstElement * element, gpointer user_data)
{
  (void) user_data;
  run_sctp (GST_SEC_WEBRTC_TRANSPORT (element));
}

void
gst_sec_webrtc_transport_get_sctp_stats (GstSecWebRTCTransport * self,
    GstStructure ** stats)
{
  GstElement *enc;

  *stats = NULL;
  gst_sec_webrtc_transport_get_sctp (self, &enc, NULL);
  if (enc) {
    g_object_get (enc, "stats", stats, NULL);
    gst_object_unref (enc);
  }
}

void
gst_sec_webrtc_transport_get_sctp (GstSecWebRTCTransport * self,
    GstElement ** enc, GstElement ** dec)
{
  GST_OBJECT_LOCK (self);
  *enc = self->sctpenc ? gst_object_ref (self->sctpenc) : NULL;
  if (dec)
    *dec = self->sctpdec ? gst_object_ref (self->sctpdec) : NULL;
  GST_OBJECT_UNLOCK (self);
}

/* --- API ----------------------------------------------------------------- */

GObject *
gst_sec_webrtc_transport_get_ice (GstSecWebRTCTransport * self)
{
  return self->ice;
}

GstElement *
gst_sec_webrtc_transport_get_send_bin (GstSecWebRTCTransport * self)
{
  return GST_ELEMENT (self->send_bin);
}

gchar *
gst_sec_webrtc_transport_get_local_fingerprint (GstSecWebRTCTransport * self)
{
  gchar *fingerprint = NULL;

  g_object_get (self->dtlsdec, "local-fingerprint", &fingerprint, NULL);
  return fingerprint;
}

void
gst_sec_webrtc_transport_get_local_credentials (GstSecWebRTCTransport * self,
    gchar ** ufrag, gchar ** pwd)
{
  g_object_get (self->ice, "local-ufrag", ufrag, "local-pwd", pwd, NULL);
}

static gchar **
copy_candidates (GstSecWebRTCTransport * self, GPtrArray * list)
{
  gchar **candidates;
  guint i;

  GST_OBJECT_LOCK (self);
  candidates = g_new0 (gchar *, list->len + 1);
  for (i = 0; i < list->len; i++)
    candidates[i] = g_strdup (g_ptr_array_index (list, i));
  GST_OBJECT_UNLOCK (self);
  return candidates;
}

gchar **
gst_sec_webrtc_transport_get_local_candidates (GstSecWebRTCTransport * self)
{
  return copy_candidates (self, self->local_candidates);
}

gchar **
gst_sec_webrtc_transport_get_remote_candidates (GstSecWebRTCTransport * self)
{
  return copy_candidates (self, self->remote_candidates);
}

gboolean
gst_sec_webrtc_transport_is_gathering_done (GstSecWebRTCTransport * self)
{
  gboolean done;

  GST_OBJECT_LOCK (self);
  done = self->gathering_done;
  GST_OBJECT_UNLOCK (self);
  return done;
}

void
gst_sec_webrtc_transport_configure_ice (GstSecWebRTCTransport * self,
    const gchar * stun_server, const gchar * turn_servers, gint policy,
    const gchar * local_addresses, const gchar * port_range,
    const gchar * turn_tls_ca_file)
{
  g_object_set (self->ice, "stun-server", stun_server, "turn-server",
      turn_servers, "ice-transport-policy", policy, "local-addresses",
      local_addresses, "port-range", port_range, "turn-tls-ca-file",
      turn_tls_ca_file, NULL);
}

void
gst_sec_webrtc_transport_set_controlling (GstSecWebRTCTransport * self,
    gboolean controlling)
{
  g_object_set (self->ice, "controlling", controlling, NULL);
}

gboolean
gst_sec_webrtc_transport_set_remote (GstSecWebRTCTransport * self,
    const gchar * ufrag, const gchar * pwd, const gchar * fingerprint,
    gboolean dtls_client, GError ** error)
{
  gboolean ok = FALSE;
  gchar *set = NULL;

  g_signal_emit_by_name (self->ice, "set-remote-credentials", ufrag, pwd,
      &ok);
  if (!ok) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "the remote ICE credentials were refused (see the warning)");
    return FALSE;
  }
  /* checked inside the handshake before any key exists */
  g_object_set (self->dtlsdec, "peer-fingerprint", fingerprint, NULL);
  g_object_get (self->dtlsdec, "peer-fingerprint", &set, NULL);
  if (set == NULL) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "the remote fingerprint '%s' was refused", fingerprint);
    return FALSE;
  }
  g_free (set);
  g_object_set (self->dtlsdec, "is-client", dtls_client, NULL);
  g_object_set (self->dtlsenc, "is-client", dtls_client, NULL);
  return TRUE;
}

gboolean
gst_sec_webrtc_transport_add_remote_candidate (GstSecWebRTCTransport * self,
    const gchar * candidate)
{
  gboolean ok = FALSE;

  if (candidate == NULL || *candidate == '\0') {
    g_signal_emit_by_name (self->ice, "end-of-remote-candidates");
    return TRUE;
  }
  g_signal_emit_by_name (self->ice, "add-remote-candidate", candidate, &ok);
  if (ok) {
    GST_OBJECT_LOCK (self);
    if (self->remote_candidates->len < MAX_REMOTE_CANDIDATES)
      g_ptr_array_add (self->remote_candidates, g_strdup (candidate));
    GST_OBJECT_UNLOCK (self);
  }
  return ok;
}

gboolean
gst_sec_webrtc_transport_restart_ice (GstSecWebRTCTransport * self)
{
  gboolean ok = FALSE;

  GST_OBJECT_LOCK (self);
  g_ptr_array_set_size (self->local_candidates, 0);
  g_ptr_array_set_size (self->remote_candidates, 0);
  self->gathering_done = FALSE;
  GST_OBJECT_UNLOCK (self);
  g_signal_emit_by_name (self->ice, "restart", &ok);
  return ok;
}

gint
gst_sec_webrtc_transport_get_ice_state (GstSecWebRTCTransport * self)
{
  gint state = 0;

  g_object_get (self->ice, "state", &state, NULL);
  return state;
}

gint
gst_sec_webrtc_transport_get_dtls_state (GstSecWebRTCTransport * self)
{
  gint state = 0;

  g_object_get (self->dtlsdec, "connection-state", &state, NULL);
  return state;
}

GstStructure *
gst_sec_webrtc_transport_get_dtls_info (GstSecWebRTCTransport * self)
{
  GstStructure *info;

  GST_OBJECT_LOCK (self);
  info = self->dtls_info ? gst_structure_copy (self->dtls_info) : NULL;
  GST_OBJECT_UNLOCK (self);
  return info;
}

GstStructure *
gst_sec_webrtc_transport_get_selected_pair (GstSecWebRTCTransport * self)
{
  GstStructure *pair = NULL;

  g_object_get (self->ice, "selected-pair", &pair, NULL);
  return pair;
}

void
gst_sec_webrtc_transport_get_stats (GstSecWebRTCTransport * self,
    GstStructure ** ice, GstStructure ** dtls, GstStructure ** srtp_enc,
    GstStructure ** srtp_dec)
{
  g_object_get (self->ice, "stats", ice, NULL);
  g_object_get (self->dtlsdec, "stats", dtls, NULL);
  g_object_get (self->srtpenc, "stats", srtp_enc, NULL);
  g_object_get (self->srtpdec, "stats", srtp_dec, NULL);
}
