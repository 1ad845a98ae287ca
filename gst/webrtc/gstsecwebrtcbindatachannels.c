/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secwebrtcbin's data channels (see gstsecwebrtcbin.c for the element and
 * docs/design/sctp.md, "In secwebrtcbin"): create-data-channel, the
 * SCTP association on the data m-line's transport, and secsctpdec's and
 * secsctpenc's signals dispatched by stream id to the
 * GstSecWebRTCDataChannel objects.
 *
 * The session (session.c) owns the data m-line; this file owns the
 * channels. A channel created before the association exists waits in
 * pending_channels, connecting, with id -1; the association is started
 * when an exchange with a usable data m-line completes (its DTLS role
 * decides the ids), and the waiting channels are opened then (they open
 * on the wire when SCTP is up).
 *
 * Locks: channels_lock guards the tables; it is held around
 * secsctpenc's open-channel and the insertion of the id it returned, so
 * that a signal for that id (from the association's thread) finds the
 * channel. Signals to the application are emitted with no lock held.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecwebrtcbin-private.h"
#include "gstsecwebrtcdatachannel.h"

#include <glib/gi18n-lib.h>

#define GST_CAT_DEFAULT gst_sec_webrtc_bin_debug

/* RFC 8841 §5: what we offer and answer */
#define SCTP_PORT 5000

void
gst_sec_webrtc_bin_data_channels_init (GstSecWebRTCBin * self)
{
  g_mutex_init (&self->channels_lock);
  self->channels = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->pending_channels = g_ptr_array_new_with_free_func (g_object_unref);
  self->sctp_max_message_size = GST_SEC_WEBRTC_BIN_MAX_MESSAGE_SIZE;
}

void
gst_sec_webrtc_bin_data_channels_free (GstSecWebRTCBin * self)
{
  if (self->sctpenc) {
    g_signal_handlers_disconnect_by_data (self->sctpenc, self);
    gst_clear_object (&self->sctpenc);
  }
  if (self->sctpdec) {
    g_signal_handlers_disconnect_by_data (self->sctpdec, self);
    gst_clear_object (&self->sctpdec);
  }
  g_hash_table_unref (self->channels);
  g_ptr_array_unref (self->pending_channels);
  g_mutex_clear (&self->channels_lock);
}

/* The channel on stream @id (a reference), NULL if none. */
static GstSecWebRTCDataChannel *
lookup (GstSecWebRTCBin * self, guint id)
{
  GstSecWebRTCDataChannel *channel;

  g_mutex_lock (&self->channels_lock);
  channel = g_hash_table_lookup (self->channels, GUINT_TO_POINTER (id));
  if (channel)
    g_object_ref (channel);
  g_mutex_unlock (&self->channels_lock);
  return channel;
}

/* Called with channels_lock: secsctpenc takes @channel (TRUE), or refuses
 * it (FALSE with @error; secsctpenc posted a warning saying why). */
static gboolean
open_locked (GstSecWebRTCBin * self, GstSecWebRTCDataChannel * channel,
    GError ** error)
{
  GstStructure *options = gst_sec_webrtc_data_channel_get_options (channel);
  gint id = -1;

  g_signal_emit_by_name (self->sctpenc, "open-channel",
      gst_sec_webrtc_data_channel_get_label (channel), options, &id);
  gst_structure_free (options);
  if (id < 0) {
    g_set_error (error, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS,
        "data channel '%s' was refused by the SCTP association (see "
        "secsctpenc's warning)", gst_sec_webrtc_data_channel_get_label
        (channel));
    return FALSE;
  }
  g_hash_table_insert (self->channels, GINT_TO_POINTER (id),
      g_object_ref (channel));
  gst_sec_webrtc_data_channel_attach (channel, self->sctpenc, id);
  return TRUE;
}

/* An id the application asked for that a channel of ours has: FALSE. */
static gboolean
id_free_locked (GstSecWebRTCBin * self, gint id)
{
  guint i;

  if (id < 0)
    return TRUE;
  if (g_hash_table_contains (self->channels, GINT_TO_POINTER (id)))
    return FALSE;
  for (i = 0; i < self->pending_channels->len; i++) {
    GstStructure *o = gst_sec_webrtc_data_channel_get_options
        (g_ptr_array_index (self->pending_channels, i));
    gint other = -1;

    gst_structure_get_int (o, "id", &other);
    gst_structure_free (o);
    if (other == id)
      return FALSE;
  }
  return TRUE;
}

GstSecWebRTCDataChannel *
gst_sec_webrtc_bin_create_data_channel (GstSecWebRTCBin * self,
    const gchar * label, const GstStructure * options)
{
  GstSecWebRTCDataChannel *channel;
  SecWebRTCTransceiver *data;
  GError *error = NULL;
  gboolean needed = FALSE, opening = FALSE;
  gint id = -1;

  channel = gst_sec_webrtc_data_channel_new (label, options, &error);
  if (channel == NULL)
    goto refused;
  if (options)
    gst_structure_get_int (options, "id", &id);

  g_rec_mutex_lock (&self->lock);
  data = sec_webrtc_session_get_data (self->session);
  if (data && data->stopped) {
    g_rec_mutex_unlock (&self->lock);
    g_set_error_literal (&error, GST_LIBRARY_ERROR,
        GST_LIBRARY_ERROR_SETTINGS, "the peer rejected data channels "
        "(its answer refused the m=application section)");
    g_clear_object (&channel);
    goto refused;
  }
  if (data == NULL) {
    /* the next offer carries the data m-line */
    sec_webrtc_session_add_data (self->session);
    needed = TRUE;
  }
  g_mutex_lock (&self->channels_lock);
  if (!id_free_locked (self, id)) {
    g_set_error (&error, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS,
        "id %d is in use by another data channel", id);
    g_clear_object (&channel);
  } else if (self->sctp_running) {
    opening = TRUE;
    if (!open_locked (self, channel, &error))
      g_clear_object (&channel);
  } else {
    g_ptr_array_add (self->pending_channels, g_object_ref (channel));
  }
  g_mutex_unlock (&self->channels_lock);
  g_rec_mutex_unlock (&self->lock);
  if (channel == NULL)
    goto refused;
  GST_INFO_OBJECT (self, "data channel '%s' created (%s)", label ? label :
      "", opening ? "opening" : "waiting for the negotiation");
  if (needed)
    gst_sec_webrtc_bin_schedule_negotiation_needed (self);
  return channel;

refused:
  GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS,
      (_("Could not create a data channel.")), ("create-data-channel('%s'): "
          "%s", label ? label : "", error->message));
  g_error_free (error);
  return NULL;
}

/* --- the SCTP elements' signals (the association's thread) -------------- */

static void
on_channel (GstElement * dec, guint id, GstStructure * info,
    GstSecWebRTCBin * self)
{
  GstSecWebRTCDataChannel *channel;

  (void) dec;
  g_mutex_lock (&self->channels_lock);
  if (self->sctpenc == NULL) {
    g_mutex_unlock (&self->channels_lock);
    return;
  }
  channel = gst_sec_webrtc_data_channel_new_remote (self->sctpenc, info);
  g_hash_table_insert (self->channels, GUINT_TO_POINTER (id),
      g_object_ref (channel));
  g_mutex_unlock (&self->channels_lock);
  GST_INFO_OBJECT (self, "the peer opened data channel '%s' on stream %u",
      gst_sec_webrtc_data_channel_get_label (channel), id);
  g_signal_emit (self, gst_sec_webrtc_bin_signals[SIGNAL_ON_DATA_CHANNEL], 0,
      channel);
  /* W3C "announce the channel as open" comes after the datachannel
   * event: a handler connected there sees on-open */
  g_signal_emit_by_name (channel, "on-open");
  g_object_unref (channel);
}

static void
on_open (GstElement * dec, guint id, GstSecWebRTCBin * self)
{
  GstSecWebRTCDataChannel *channel = lookup (self, id);

  (void) dec;
  if (channel) {
    gst_sec_webrtc_data_channel_opened (channel);
    g_object_unref (channel);
  }
}

static void
on_message (GstElement * dec, guint id, gboolean binary, GBytes * data,
    GstSecWebRTCBin * self)
{
  GstSecWebRTCDataChannel *channel = lookup (self, id);

  (void) dec;
  if (channel) {
    gst_sec_webrtc_data_channel_message (channel, binary, data);
    g_object_unref (channel);
  }
}

static void
on_closing (GstElement * dec, guint id, GstSecWebRTCBin * self)
{
  GstSecWebRTCDataChannel *channel = lookup (self, id);

  (void) dec;
  if (channel) {
    gst_sec_webrtc_data_channel_closing (channel);
    g_object_unref (channel);
  }
}

static void
on_close (GstElement * dec, guint id, GstSecWebRTCBin * self)
{
  GstSecWebRTCDataChannel *channel = NULL;
  gpointer key;

  (void) dec;
  /* the id may be used again from now on */
  g_mutex_lock (&self->channels_lock);
  if (g_hash_table_steal_extended (self->channels, GUINT_TO_POINTER (id),
          &key, (gpointer *) & channel) == FALSE)
    channel = NULL;
  g_mutex_unlock (&self->channels_lock);
  if (channel) {
    gst_sec_webrtc_data_channel_closed (channel);
    g_object_unref (channel);
  }
}

static void
on_buffered_amount_low (GstElement * enc, guint id, GstSecWebRTCBin * self)
{
  GstSecWebRTCDataChannel *channel = lookup (self, id);

  (void) enc;
  if (channel) {
    gst_sec_webrtc_data_channel_buffered_amount_low (channel);
    g_object_unref (channel);
  }
}

static void
on_error (GstElement * enc, guint id, GError * error, GstSecWebRTCBin * self)
{
  GstSecWebRTCDataChannel *channel = lookup (self, id);

  (void) enc;
  if (channel) {
    gst_sec_webrtc_data_channel_error (channel, error);
    g_object_unref (channel);
  }
}

/* The transport made the SCTP elements (start_sctp, under the
 * negotiation lock): their signals are ours before they start. */
void
gst_sec_webrtc_bin_sctp_created (GstSecWebRTCBin * self, GstElement * enc,
    GstElement * dec)
{
  g_mutex_lock (&self->channels_lock);
  if (self->sctpenc) {
    g_mutex_unlock (&self->channels_lock);
    return;
  }
  self->sctpenc = gst_object_ref (enc);
  self->sctpdec = gst_object_ref (dec);
  g_mutex_unlock (&self->channels_lock);
  g_signal_connect (dec, "on-channel", G_CALLBACK (on_channel), self);
  g_signal_connect (dec, "on-open", G_CALLBACK (on_open), self);
  g_signal_connect (dec, "on-message", G_CALLBACK (on_message), self);
  g_signal_connect (dec, "on-closing", G_CALLBACK (on_closing), self);
  g_signal_connect (dec, "on-close", G_CALLBACK (on_close), self);
  g_signal_connect (enc, "on-buffered-amount-low",
      G_CALLBACK (on_buffered_amount_low), self);
  g_signal_connect (enc, "on-error", G_CALLBACK (on_error), self);
}

/* Called with the negotiation lock after an exchange completed. */
void
gst_sec_webrtc_bin_start_data_channels (GstSecWebRTCBin * self)
{
  SecWebRTCTransceiver *data = sec_webrtc_session_get_data (self->session);
  GstSecWebRTCBinTransport *entry;
  GError *error = NULL;

  if (data == NULL || data->stopped || data->transport < 0)
    return;
  entry = gst_sec_webrtc_bin_transport_by_id (self, data->transport);
  if (entry == NULL)
    return;
  if (!gst_sec_webrtc_transport_start_sctp (entry->transport,
          entry->dtls_client, SCTP_PORT, data->remote_sctp_port,
          self->sctp_max_message_size, data->remote_max_message_size,
          &error)) {
    GST_ELEMENT_WARNING (self, CORE, MISSING_PLUGIN,
        (_("Data channels are not available.")), ("%s", error->message));
    g_clear_error (&error);
  }
}

void
gst_sec_webrtc_bin_sctp_started (GstSecWebRTCBin * self)
{
  GPtrArray *pending, *refused;
  GError *error = NULL;
  guint i;

  /* the channels that waited open now */
  refused = g_ptr_array_new_with_free_func (g_object_unref);
  g_mutex_lock (&self->channels_lock);
  if (self->sctpenc == NULL || self->sctp_running) {
    g_mutex_unlock (&self->channels_lock);
    g_ptr_array_unref (refused);
    return;
  }
  self->sctp_running = TRUE;
  pending = self->pending_channels;
  self->pending_channels = g_ptr_array_new_with_free_func (g_object_unref);
  for (i = 0; i < pending->len; i++) {
    GstSecWebRTCDataChannel *channel = g_ptr_array_index (pending, i);

    if (gst_sec_webrtc_data_channel_get_state (channel) ==
        GST_SEC_WEBRTC_DATA_CHANNEL_STATE_CLOSED)
      continue;                 /* closed while it waited */
    if (!open_locked (self, channel, NULL))
      g_ptr_array_add (refused, g_object_ref (channel));
  }
  g_mutex_unlock (&self->channels_lock);
  g_ptr_array_unref (pending);
  for (i = 0; i < refused->len; i++) {
    GstSecWebRTCDataChannel *channel = g_ptr_array_index (refused, i);

    error = g_error_new (GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS,
        "data channel '%s' could not be opened on the association (see "
        "secsctpenc's warning)", gst_sec_webrtc_data_channel_get_label
        (channel));
    gst_sec_webrtc_data_channel_error (channel, error);
    g_clear_error (&error);
    gst_sec_webrtc_data_channel_closed (channel);
  }
  g_ptr_array_unref (refused);
}
