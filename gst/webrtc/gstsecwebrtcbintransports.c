/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secwebrtcbin: its transports (see gstsecwebrtcbin.c for the element):
 * making them (one GstSecWebRTCTransport each, linked to its rtpbin
 * session), dropping those no description uses any more, their local
 * candidates (held until the local description is set, then signaled
 * with the transport's m-line), and the W3C states and security-info
 * from theirs (docs/design/webrtc.md, "Transports and the bundle
 * policy").
 *
 * Threads: the transports' callbacks come from the ICE thread or a
 * streaming thread and take the negotiation lock or the object lock for
 * what they read; the rest is called by the negotiation code with the
 * negotiation lock held.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecwebrtcbin-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define GST_CAT_DEFAULT gst_sec_webrtc_bin_debug

/* --- states --------------------------------------------------------------- */

static GstSecWebRTCConnectionState
connection_state_of (gint ice, gint dtls)
{
  /* W3C RTCPeerConnectionState from one transport's ICE and DTLS */
  if (ice == ICE_STATE_FAILED || dtls == DTLS_STATE_FAILED)
    return GST_SEC_WEBRTC_CONNECTION_STATE_FAILED;
  if (ice == ICE_STATE_CLOSED)
    return GST_SEC_WEBRTC_CONNECTION_STATE_CLOSED;
  if (ice == ICE_STATE_DISCONNECTED)
    return GST_SEC_WEBRTC_CONNECTION_STATE_DISCONNECTED;
  if ((ice == ICE_STATE_CONNECTED || ice == ICE_STATE_COMPLETED)
      && dtls == DTLS_STATE_CONNECTED)
    return GST_SEC_WEBRTC_CONNECTION_STATE_CONNECTED;
  if (dtls == DTLS_STATE_CLOSED)
    return GST_SEC_WEBRTC_CONNECTION_STATE_CLOSED;
  if (ice != 0 || dtls != 0)
    return GST_SEC_WEBRTC_CONNECTION_STATE_CONNECTING;
  return GST_SEC_WEBRTC_CONNECTION_STATE_NEW;
}

/* W3C: the states of the peer connection from those of its transports
 * (RTCIceConnectionState and RTCPeerConnectionState, "any ... else all
 * ..."): failed if one failed, then disconnected, then checking or
 * connecting while one is on its way, connected when all are. */
static gint
aggregate_ice (gint all, gint one)
{
  static const gint rank[] = {
    /* new */ 3, /* checking */ 4, /* connected */ 2, /* completed */ 1,
    /* failed */ 6, /* disconnected */ 5, /* closed */ 0,
  };

  if (all < 0)
    return one;
  if ((all == 0 && (one == ICE_STATE_CONNECTED || one == ICE_STATE_COMPLETED))
      || (one == 0 && (all == ICE_STATE_CONNECTED
              || all == ICE_STATE_COMPLETED)))
    return ICE_STATE_CHECKING;
  return rank[one] > rank[all] ? one : all;
}

static GstSecWebRTCConnectionState
aggregate_connection (gint all, GstSecWebRTCConnectionState one)
{
  static const gint rank[] = {
    /* new */ 3, /* connecting */ 4, /* connected */ 2,
    /* disconnected */ 5, /* failed */ 6, /* closed */ 1,
  };

  if (all < 0)
    return one;
  if ((all == GST_SEC_WEBRTC_CONNECTION_STATE_NEW
          && one == GST_SEC_WEBRTC_CONNECTION_STATE_CONNECTED)
      || (one == GST_SEC_WEBRTC_CONNECTION_STATE_NEW
          && all == GST_SEC_WEBRTC_CONNECTION_STATE_CONNECTED))
    return GST_SEC_WEBRTC_CONNECTION_STATE_CONNECTING;
  return rank[one] > rank[(gint) all] ? one : (GstSecWebRTCConnectionState)
      all;
}

static GstStructure *
build_security_info (GstSecWebRTCBin * self, GstStructure * dtls,
    GstStructure * pair)
{
  GstStructure *info = gst_structure_new ("application/x-secwebrtc-security",
      "dtls-version", G_TYPE_STRING, gst_structure_get_string (dtls,
          "dtls-version"),
      "cipher-suite", G_TYPE_STRING, gst_structure_get_string (dtls,
          "cipher-suite"),
      "srtp-profile", G_TYPE_STRING, gst_structure_get_string (dtls,
          "srtp-profile"),
      "local-fingerprint", G_TYPE_STRING, gst_structure_get_string (dtls,
          "local-fingerprint"),
      "remote-fingerprint", G_TYPE_STRING, gst_structure_get_string (dtls,
          "peer-fingerprint"),
      /* connected implies it: the association verified the certificate
       * against the signaled fingerprint before exporting any key */
      "fingerprint-verified", G_TYPE_BOOLEAN, TRUE, NULL);

  (void) self;
  /* the short authentication string of the DTLS association (secdtls) */
  if (gst_structure_has_field (dtls, "sas"))
    gst_structure_set (info, "sas", G_TYPE_STRING,
        gst_structure_get_string (dtls, "sas"), NULL);
  if (pair) {
    gst_structure_set (info, "local-candidate-type", G_TYPE_STRING,
        gst_structure_get_string (pair, "local-type"),
        "remote-candidate-type", G_TYPE_STRING,
        gst_structure_get_string (pair, "remote-type"),
        "local-candidate-protocol", G_TYPE_STRING,
        gst_structure_get_string (pair, "local-protocol"), NULL);
  }
  return info;
}

GPtrArray *
gst_sec_webrtc_bin_ref_transports (GstSecWebRTCBin * self)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (gst_object_unref);
  guint i;

  GST_OBJECT_LOCK (self);
  for (i = 0; i < self->transports->len; i++)
    g_ptr_array_add (list, gst_object_ref (((GstSecWebRTCBinTransport *)
                g_ptr_array_index (self->transports, i))->transport));
  GST_OBJECT_UNLOCK (self);
  return list;
}

/* Called with the object lock held. */
static GstSecWebRTCBinTransport *
entry_of (GstSecWebRTCBin * self, GstSecWebRTCTransport * transport)
{
  guint i;

  for (i = 0; i < self->transports->len; i++) {
    GstSecWebRTCBinTransport *entry = g_ptr_array_index (self->transports, i);

    if (entry->transport == transport)
      return entry;
  }
  return NULL;
}

/* Called with the object lock or the negotiation lock held. */
GstSecWebRTCBinTransport *
gst_sec_webrtc_bin_transport_by_id (GstSecWebRTCBin * self, guint id)
{
  guint i;

  for (i = 0; i < self->transports->len; i++) {
    GstSecWebRTCBinTransport *entry = g_ptr_array_index (self->transports, i);

    if (entry->id == id)
      return entry;
  }
  return NULL;
}

/* Any thread, no lock held: the ICE or DTLS state of a transport changed,
 * or the set of transports did. security-info comes from the first
 * transport (the lowest id: the BUNDLE's with max-bundle, the first media
 * kind's otherwise) once every one is connected. */
void
gst_sec_webrtc_bin_update_connection_state (GstSecWebRTCBin * self)
{
  GPtrArray *transports = gst_sec_webrtc_bin_ref_transports (self);
  gint ice = -1, connection = -1;
  GstStructure *info = NULL;
  gboolean ice_changed, connection_changed, info_changed = FALSE;
  guint i;

  for (i = 0; i < transports->len; i++) {
    GstSecWebRTCTransport *transport = g_ptr_array_index (transports, i);
    gint t_ice = gst_sec_webrtc_transport_get_ice_state (transport);
    gint t_dtls = gst_sec_webrtc_transport_get_dtls_state (transport);
    GstStructure *dtls_info = gst_sec_webrtc_transport_get_dtls_info
        (transport);
    GstSecWebRTCBinTransport *entry;

    /* W3C: ICE has failed once gathering is complete and every pair has
     * failed; with no local candidate there is no pair at all, whatever
     * the peer signals (a relay-only call whose TURN servers all refused
     * us) */
    GST_OBJECT_LOCK (self);
    entry = entry_of (self, transport);
    if (entry && entry->gathered_nothing)
      t_ice = ICE_STATE_FAILED;
    GST_OBJECT_UNLOCK (self);
    /* connected once what was negotiated is known too (the association's
     * dtls-connected message follows its state), so that security-info
     * is there when connection-state says connected */
    if (t_dtls == DTLS_STATE_CONNECTED && dtls_info == NULL)
      t_dtls = DTLS_STATE_CONNECTING;
    ice = aggregate_ice (ice, t_ice);
    connection = aggregate_connection (connection,
        connection_state_of (t_ice, t_dtls));
    if (i == 0 && connection_state_of (t_ice, t_dtls) ==
        GST_SEC_WEBRTC_CONNECTION_STATE_CONNECTED) {
      GstStructure *pair = gst_sec_webrtc_transport_get_selected_pair
          (transport);

      info = build_security_info (self, dtls_info, pair);
      if (pair)
        gst_structure_free (pair);
    }
    if (dtls_info)
      gst_structure_free (dtls_info);
  }
  g_ptr_array_unref (transports);
  if (ice < 0)
    ice = 0;
  if (connection < 0)
    connection = GST_SEC_WEBRTC_CONNECTION_STATE_NEW;
  if (connection != GST_SEC_WEBRTC_CONNECTION_STATE_CONNECTED && info) {
    gst_structure_free (info);
    info = NULL;
  }
  GST_OBJECT_LOCK (self);
  ice_changed = self->ice_connection_state !=
      (GstSecWebRTCIceConnectionState) ice;
  self->ice_connection_state = ice;
  connection_changed = self->connection_state !=
      (GstSecWebRTCConnectionState) connection;
  self->connection_state = connection;
  if (info && (self->security_info == NULL
          || !gst_structure_is_equal (info, self->security_info))) {
    if (self->security_info)
      gst_structure_free (self->security_info);
    self->security_info = info;
    info = NULL;
    info_changed = TRUE;
  }
  GST_OBJECT_UNLOCK (self);
  if (info)
    gst_structure_free (info);
  if (info_changed)
    g_object_notify (G_OBJECT (self), "security-info");
  if (ice_changed)
    g_object_notify (G_OBJECT (self), "ice-connection-state");
  if (connection_changed) {
    GST_INFO_OBJECT (self, "connection-state %s",
        g_enum_get_value (g_type_class_peek
            (GST_TYPE_SEC_WEBRTC_CONNECTION_STATE), connection)->value_nick);
    g_object_notify (G_OBJECT (self), "connection-state");
  }
}

/* The ICE thread or a streaming thread. */
static void
on_sctp_created (GstSecWebRTCTransport * transport, GstElement * enc,
    GstElement * dec, gpointer user_data)
{
  (void) transport;
  gst_sec_webrtc_bin_sctp_created (GST_SEC_WEBRTC_BIN (user_data), enc, dec);
}

static void
on_sctp_started (GstSecWebRTCTransport * transport, gpointer user_data)
{
  (void) transport;
  gst_sec_webrtc_bin_sctp_started (GST_SEC_WEBRTC_BIN (user_data));
}

static void
on_transport_state (GstSecWebRTCTransport * transport, gpointer user_data)
{
  (void) transport;
  gst_sec_webrtc_bin_update_connection_state (GST_SEC_WEBRTC_BIN (user_data));
}

void
gst_sec_webrtc_bin_set_gathering_state (GstSecWebRTCBin * self,
    GstSecWebRTCIceGatheringState state)
{
  gboolean changed;

  GST_OBJECT_LOCK (self);
  changed = self->ice_gathering_state != state;
  self->ice_gathering_state = state;
  GST_OBJECT_UNLOCK (self);
  if (changed)
    g_object_notify (G_OBJECT (self), "ice-gathering-state");
}

/* complete when every transport finished gathering (W3C) */
void
gst_sec_webrtc_bin_update_gathering_state (GstSecWebRTCBin * self)
{
  gboolean all = TRUE;
  guint i;

  GST_OBJECT_LOCK (self);
  for (i = 0; i < self->transports->len; i++)
    all &= ((GstSecWebRTCBinTransport *) g_ptr_array_index (self->transports,
            i))->gathering_done;
  GST_OBJECT_UNLOCK (self);
  if (all)
    gst_sec_webrtc_bin_set_gathering_state (self,
        GST_SEC_WEBRTC_ICE_GATHERING_STATE_COMPLETE);
}

/* --- candidates ---------------------------------------------------------- */

void
gst_sec_webrtc_bin_candidate_free (GstSecWebRTCBinCandidate * candidate)
{
  g_free (candidate->candidate);
  g_free (candidate);
}

void
gst_sec_webrtc_bin_queue_candidate (GPtrArray * queue, guint mline,
    const gchar * candidate)
{
  GstSecWebRTCBinCandidate *c = g_new0 (GstSecWebRTCBinCandidate, 1);

  c->mline = mline;
  c->candidate = g_strdup (candidate ? candidate : "");
  g_ptr_array_add (queue, c);
}

void
gst_sec_webrtc_bin_emit_local_candidate (GstSecWebRTCBin * self, guint mline,
    const gchar * candidate)
{
  /* the transport's id is the m-line that carries its attributes (the
   * BUNDLE tag, or the m-line of its own) */
  g_signal_emit (self, gst_sec_webrtc_bin_signals[SIGNAL_ON_ICE_CANDIDATE], 0,
      mline, candidate);
}

/* The ICE thread: JSEP signals candidates only after the local
 * description is set (RFC 8829 §3.5.1); earlier ones wait. A transport
 * that was dropped (an unused one of a balanced offer) says nothing. */
static void
on_local_candidate (GstSecWebRTCTransport * transport,
    const gchar * candidate, gpointer user_data)
{
  GstSecWebRTCBin *self = user_data;
  GstSecWebRTCBinTransport *entry;
  gboolean emit = FALSE;
  guint id = 0;

  /* the object lock only: this runs inside the transport's state change
   * (libnice gathers host candidates there), while create-offer may hold
   * the bin's lock and wait for that state change (ensure_transport) */
  GST_OBJECT_LOCK (self);
  entry = entry_of (self, transport);
  if (entry) {
    entry->n_local_candidates++;
    id = entry->id;
    emit = self->local_description_set;
    if (!emit)
      gst_sec_webrtc_bin_queue_candidate (self->early_local_candidates, id,
          candidate);
  }
  GST_OBJECT_UNLOCK (self);
  if (emit)
    gst_sec_webrtc_bin_emit_local_candidate (self, id, candidate);
}

static void
on_gathering_done (GstSecWebRTCTransport * transport, gpointer user_data)
{
  GstSecWebRTCBin *self = user_data;
  GstSecWebRTCBinTransport *entry;
  gboolean emit = FALSE, nothing = FALSE;
  guint id = 0;

  GST_OBJECT_LOCK (self);          /* not the bin's lock: as above */
  entry = entry_of (self, transport);
  if (entry) {
    id = entry->id;
    entry->gathering_done = TRUE;
    nothing = entry->gathered_nothing = entry->n_local_candidates == 0;
    emit = self->local_description_set;
    if (!emit)
      gst_sec_webrtc_bin_queue_candidate (self->early_local_candidates, id, "");
  }
  GST_OBJECT_UNLOCK (self);
  if (entry == NULL)
    return;
  gst_sec_webrtc_bin_update_gathering_state (self);
  if (emit)
    gst_sec_webrtc_bin_emit_local_candidate (self, id, "");
  if (nothing) {
    GST_ELEMENT_WARNING (self, RESOURCE, OPEN_READ_WRITE,
        (_("ICE gathered no local candidate: this call cannot connect.")),
        ("ice-connection-state and connection-state are failed; see the "
            "warnings before this one for why (ice-transport-policy=relay "
            "with no usable TURN server, local-addresses with no usable "
            "interface)"));
    gst_sec_webrtc_bin_update_connection_state (self);
  }
}

/* Called with the object lock held, emits nothing: the caller does. */
GPtrArray *
gst_sec_webrtc_bin_take_early_local_candidates (GstSecWebRTCBin * self)
{
  GPtrArray *early = self->early_local_candidates;

  self->early_local_candidates = g_ptr_array_new_with_free_func
      ((GDestroyNotify) gst_sec_webrtc_bin_candidate_free);
  return early;
}

/* --- the transports ------------------------------------------------------ */

/* Called with the lock held. New credentials and a new gathering on
 * transport @entry: candidates are counted again. */
void
gst_sec_webrtc_bin_restart_ice (GstSecWebRTCBin * self,
    GstSecWebRTCBinTransport * entry)
{
  GST_OBJECT_LOCK (self);
  entry->n_local_candidates = 0;
  entry->gathering_done = FALSE;
  entry->gathered_nothing = FALSE;
  GST_OBJECT_UNLOCK (self);
  gst_sec_webrtc_bin_set_gathering_state (self,
      GST_SEC_WEBRTC_ICE_GATHERING_STATE_GATHERING);
  gst_sec_webrtc_transport_restart_ice (entry->transport);
}

static gchar *
turn_servers_text (GstSecWebRTCBin * self)
{
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; i < self->turn_servers->len; i++) {
    if (i)
      g_string_append_c (text, ',');
    g_string_append (text, g_ptr_array_index (self->turn_servers, i));
  }
  return g_string_free (text, text->len == 0);
}

void
gst_sec_webrtc_bin_transport_entry_free (GstSecWebRTCBinTransport * entry)
{
  gst_object_unref (entry->transport);
  g_free (entry);
}

/* Called with the lock held. Transport @id, made when an offer or a
 * remote offer first needs it, so that its ICE credentials and
 * certificate go into the description; linked to rtpbin's session @id at
 * once (packets may come as soon as ICE and DTLS are through). */
GstSecWebRTCBinTransport *
gst_sec_webrtc_bin_ensure_transport (GstSecWebRTCBin * self, guint id,
    GError ** error)
{
  static const GstSecWebRTCTransportCallbacks callbacks = {
    on_local_candidate, on_gathering_done, on_transport_state,
    on_sctp_created, on_sctp_started,
  };
  GstSecWebRTCBinTransport *entry =
      gst_sec_webrtc_bin_transport_by_id (self, id);
  GstSecWebRTCTransport *transport;
  gchar *name, *certificate, *stun, *turn, *addresses, *ports, *ca_file;
  gint policy;
  guint i;

  if (entry)
    return entry;
  GST_OBJECT_LOCK (self);
  certificate = g_strdup (self->certificate);
  stun = g_strdup (self->stun_server);
  turn = turn_servers_text (self);
  addresses = g_strdup (self->local_addresses);
  ports = g_strdup (self->port_range);
  ca_file = g_strdup (self->turn_tls_ca_file);
  policy = self->ice_transport_policy;
  GST_OBJECT_UNLOCK (self);

  /* unique in the process, also while a dropped transport with the same
   * id is still leaving the bin (remove_transport) */
  name = g_strdup_printf ("%s-transport%u-%u", self->id, id,
      self->transports_made++);
  /* one certificate for every transport of the bin (a browser's
   * RTCPeerConnection has one; webrtcbin refuses a description whose
   * m-lines show different fingerprints) */
  transport = gst_sec_webrtc_transport_new (name, certificate, self->id,
      &callbacks, self, error);
  g_free (name);
  gst_sec_webrtc_bin_secure_free (certificate);
  if (transport) {
    GstElement *send = gst_sec_webrtc_transport_get_send_bin (transport);

    gst_sec_webrtc_transport_configure_ice (transport, stun, turn, policy,
        addresses, ports, ca_file);
    gst_bin_add_many (GST_BIN (self), GST_ELEMENT (transport), send, NULL);
    if (!sec_webrtc_media_link_transport (self->media, id,
            GST_ELEMENT (transport), send, error)) {
      gst_bin_remove_many (GST_BIN (self), GST_ELEMENT (transport), send,
          NULL);
      transport = NULL;
    } else {
      entry = g_new0 (GstSecWebRTCBinTransport, 1);
      entry->id = id;
      entry->transport = gst_object_ref (transport);
      /* in id order; written under both locks: handle_message and the
       * transport's callbacks read it under the object lock */
      GST_OBJECT_LOCK (self);
      for (i = 0; i < self->transports->len && ((GstSecWebRTCBinTransport *)
              g_ptr_array_index (self->transports, i))->id < id;)
        i++;
      g_ptr_array_insert (self->transports, i, entry);
      GST_OBJECT_UNLOCK (self);
      GST_INFO_OBJECT (self, "transport %u made", id);
      /* gathering starts with the transport's elements (PAUSED), and may
       * end before they return (host candidates only): gathering first */
      if (GST_STATE (self) >= GST_STATE_PAUSED
          || GST_STATE_TARGET (self) >= GST_STATE_PAUSED)
        gst_sec_webrtc_bin_set_gathering_state (self,
            GST_SEC_WEBRTC_ICE_GATHERING_STATE_GATHERING);
      gst_element_sync_state_with_parent (send);
      gst_element_sync_state_with_parent (GST_ELEMENT (transport));
    }
  }
  g_free (stun);
  gst_sec_webrtc_bin_secure_free (turn);
  g_free (addresses);
  g_free (ports);
  g_free (ca_file);
  return entry;
}

typedef struct
{
  GstElement *transport;
  GstElement *send;
} RemovedTransport;

/* GStreamer's thread pool, no lock held: a transport nobody uses any more
 * leaves the bin (stopping it waits for the ICE thread, whose callbacks
 * take the negotiation lock: never done under it). */
static void
remove_transport (GstElement * element, gpointer user_data)
{
  RemovedTransport *removed = user_data;

  gst_element_set_locked_state (removed->transport, TRUE);
  gst_element_set_locked_state (removed->send, TRUE);
  gst_element_set_state (removed->transport, GST_STATE_NULL);
  gst_element_set_state (removed->send, GST_STATE_NULL);
  gst_bin_remove_many (GST_BIN (element), removed->transport, removed->send,
      NULL);
}

static void
removed_transport_free (RemovedTransport * removed)
{
  gst_object_unref (removed->transport);
  gst_object_unref (removed->send);
  g_free (removed);
}

/* Called with the lock held, after an exchange completed or was rolled
 * back: transports no description uses any more go (the other media
 * kind's of a balanced offer that the answer bundled). */
void
gst_sec_webrtc_bin_drop_unused_transports (GstSecWebRTCBin * self)
{
  GArray *used = sec_webrtc_session_get_used_transports (self->session);
  guint i, k;

  for (i = self->transports->len; i > 0; i--) {
    GstSecWebRTCBinTransport *entry = g_ptr_array_index (self->transports,
        i - 1);
    RemovedTransport *removed;
    gboolean in_use = FALSE;

    for (k = 0; k < used->len; k++)
      in_use |= g_array_index (used, guint, k) == entry->id;
    if (in_use)
      continue;
    GST_INFO_OBJECT (self, "transport %u is not used any more", entry->id);
    GST_OBJECT_LOCK (self);
    g_ptr_array_steal_index (self->transports, i - 1);
    GST_OBJECT_UNLOCK (self);
    sec_webrtc_media_unlink_transport (self->media, entry->id);
    removed = g_new0 (RemovedTransport, 1);
    removed->transport = gst_object_ref (GST_ELEMENT (entry->transport));
    removed->send = gst_object_ref (gst_sec_webrtc_transport_get_send_bin
        (entry->transport));
    gst_element_call_async (GST_ELEMENT (self), remove_transport, removed,
        (GDestroyNotify) removed_transport_free);
    gst_sec_webrtc_bin_transport_entry_free (entry);
  }
  g_array_unref (used);
}

/* Called with the lock held: the transports @ids made, and their
 * credentials and fingerprints for a description (free with
 * g_hash_table_unref). */
GHashTable *
gst_sec_webrtc_bin_local_transports (GstSecWebRTCBin * self, GArray * ids,
    GError ** error)
{
  GHashTable *table = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) g_free);
  guint i;

  for (i = 0; i < ids->len; i++) {
    guint id = g_array_index (ids, guint, i);
    GstSecWebRTCBinTransport *entry =
        gst_sec_webrtc_bin_ensure_transport (self, id, error);
    SecWebRTCLocalTransport *local;
    gchar *ufrag = NULL, *pwd = NULL;

    if (entry == NULL) {
      g_hash_table_unref (table);
      return NULL;
    }
    /* one allocation: the struct and its three strings after it */
    gst_sec_webrtc_transport_get_local_credentials (entry->transport, &ufrag,
        &pwd);
    {
      gchar *fingerprint = gst_sec_webrtc_transport_get_local_fingerprint
          (entry->transport);
      gsize lu = strlen (ufrag) + 1, lp = strlen (pwd) + 1,
          lf = strlen (fingerprint) + 1;
      gchar *text;

      local = g_malloc (sizeof (SecWebRTCLocalTransport) + lu + lp + lf);
      text = (gchar *) (local + 1);
      memcpy (text, ufrag, lu);
      memcpy (text + lu, pwd, lp);
      memcpy (text + lu + lp, fingerprint, lf);
      local->ice_ufrag = text;
      local->ice_pwd = text + lu;
      local->fingerprint = text + lu + lp;
      g_free (fingerprint);
    }
    g_free (ufrag);
    gst_sec_webrtc_bin_secure_free (pwd);
    g_hash_table_insert (table, GUINT_TO_POINTER (id), local);
  }
  return table;
}

void
gst_sec_webrtc_bin_local_transports_free (GHashTable * table)
{
  GHashTableIter iter;
  gpointer value;

  if (table == NULL)
    return;
  /* the ICE passwords are wiped with the structs */
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    SecWebRTCLocalTransport *local = value;

    memset ((gchar *) local->ice_pwd, 0, strlen (local->ice_pwd));
  }
  g_hash_table_unref (table);
}
