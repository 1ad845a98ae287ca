/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The data channels of one association: see datachannels.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "datachannels.h"

#include <string.h>

struct _SecDcTable
{
  gboolean dtls_client;
  guint max_streams;
  /* id -> SecDcChannel; few channels, looked up by id on every message */
  GHashTable *channels;
};

static void
channel_free (gpointer data)
{
  SecDcChannel *channel = data;

  sec_dcep_open_clear (&channel->params);
  g_free (channel);
}

SecDcTable *
sec_dc_table_new (gboolean dtls_client, guint max_streams)
{
  SecDcTable *table = g_new0 (SecDcTable, 1);

  table->dtls_client = dtls_client;
  table->max_streams = MIN (max_streams, G_MAXUINT16);
  table->channels = g_hash_table_new_full (NULL, NULL, NULL, channel_free);
  return table;
}

void
sec_dc_table_free (SecDcTable * table)
{
  if (table == NULL)
    return;
  g_hash_table_unref (table->channels);
  g_free (table);
}

void
sec_dc_table_set_dtls_client (SecDcTable * table, gboolean dtls_client)
{
  table->dtls_client = dtls_client;
}

void
sec_dc_table_set_max_streams (SecDcTable * table, guint max_streams)
{
  table->max_streams = MIN (max_streams, G_MAXUINT16);
}

guint
sec_dc_table_get_max_streams (SecDcTable * table)
{
  return table->max_streams;
}

SecDcChannel *
sec_dc_table_lookup (SecDcTable * table, guint id)
{
  return g_hash_table_lookup (table->channels, GUINT_TO_POINTER (id));
}

static gint
compare_id (gconstpointer a, gconstpointer b)
{
  const SecDcChannel *ca = a, *cb = b;

  return (gint) ca->id - (gint) cb->id;
}

GList *
sec_dc_table_channels (SecDcTable * table)
{
  return g_list_sort (g_hash_table_get_values (table->channels), compare_id);
}

guint
sec_dc_table_count (SecDcTable * table)
{
  return g_hash_table_size (table->channels);
}

static SecDcChannel *
channel_add (SecDcTable * table, guint16 id, const SecDcepOpen * params,
    gboolean negotiated, gboolean ours)
{
  SecDcChannel *channel = g_new0 (SecDcChannel, 1);

  channel->id = id;
  channel->params = *params;
  channel->params.label = g_strdup (params->label ? params->label : "");
  channel->params.protocol = g_strdup (params->protocol ?
      params->protocol : "");
  channel->negotiated = negotiated;
  channel->ours = ours;
  channel->state = SEC_DC_STATE_CONNECTING;
  g_hash_table_insert (table->channels, GUINT_TO_POINTER (id), channel);
  return channel;
}

static void
channel_remove (SecDcTable * table, guint16 id)
{
  g_hash_table_remove (table->channels, GUINT_TO_POINTER (id));
}

SecDcChannel *
sec_dc_table_open (SecDcTable * table, gint id, gboolean negotiated,
    const SecDcepOpen * params, GError ** error)
{
  /* RFC 8832 §6: the DTLS client takes even ids, the server odd ones */
  guint first = table->dtls_client ? 0 : 1;
  SecDcepOpen checked = *params;
  GBytes *open;

  /* what the OPEN would say must be sayable, negotiated or not */
  checked.label = params->label ? params->label : (gchar *) "";
  checked.protocol = params->protocol ? params->protocol : (gchar *) "";
  open = sec_dcep_build_open (&checked, error);
  if (open == NULL)
    return NULL;
  g_bytes_unref (open);

  if (id < 0) {
    guint candidate;

    if (negotiated) {
      g_set_error_literal (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
          "a negotiated channel needs an id: both sides create it with the "
          "same one (RFC 8832 §4)");
      return NULL;
    }
    for (candidate = first; candidate < table->max_streams; candidate += 2) {
      if (!sec_dc_table_lookup (table, candidate))
        return channel_add (table, candidate, params, FALSE, TRUE);
    }
    g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
        "every stream id this side may open is in use (%u streams each way)",
        table->max_streams);
    return NULL;
  }
  if (!sec_dc_stream_id_valid ((guint) id) || (guint) id >= table->max_streams) {
    g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
        "channel id %d is out of range: the association has %u streams "
        "(ids 0 to %u)", id, table->max_streams, table->max_streams - 1);
    return NULL;
  }
  if (sec_dc_table_lookup (table, (guint) id)) {
    g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
        "channel id %d is in use", id);
    return NULL;
  }
  if (!negotiated && !sec_dc_stream_id_ours ((guint16) id, table->dtls_client)) {
    g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
        "channel id %d is the peer's to open: the DTLS %s opens %s ids "
        "(RFC 8832 §6)", id, table->dtls_client ? "client" : "server",
        table->dtls_client ? "even" : "odd");
    return NULL;
  }
  return channel_add (table, (guint16) id, params, negotiated, TRUE);
}

static gboolean
receive_dcep (SecDcTable * table, guint16 stream, const guint8 * data,
    gsize size, SecDcRx * rx, GError ** error)
{
  SecDcChannel *channel = sec_dc_table_lookup (table, stream);
  SecDcepOpen open = { 0, };
  SecDcepType type;

  if (!sec_dcep_parse (data, size, &type, &open, error))
    return FALSE;

  if (type == SEC_DCEP_ACK) {
    if (channel == NULL || !channel->ours || channel->negotiated
        || !channel->open_sent) {
      g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
          "a DATA_CHANNEL_ACK on stream %u, where no channel of ours waits "
          "for one", stream);
      return FALSE;
    }
    if (channel->state != SEC_DC_STATE_CONNECTING) {
      /* the peer's data overtook its ACK and opened the channel (RFC
       * 8832 §6), or it said it twice: nothing more to do */
      rx->type = SEC_DC_RX_NONE;
      rx->channel = channel;
      return TRUE;
    }
    channel->state = SEC_DC_STATE_OPEN;
    rx->type = SEC_DC_RX_OPENED;
    rx->channel = channel;
    return TRUE;
  }

  /* DATA_CHANNEL_OPEN */
  if (!sec_dc_stream_id_valid (stream) || stream >= table->max_streams) {
    g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
        "a DATA_CHANNEL_OPEN on stream %u, out of the association's %u",
        stream, table->max_streams);
    sec_dcep_open_clear (&open);
    return FALSE;
  }
  if (channel) {
    g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
        "a DATA_CHANNEL_OPEN on stream %u, which channel '%s' uses",
        stream, channel->params.label);
    sec_dcep_open_clear (&open);
    return FALSE;
  }
  if (sec_dc_stream_id_ours (stream, table->dtls_client)) {
    g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
        "a DATA_CHANNEL_OPEN on stream %u: the DTLS %s opens %s ids, so "
        "that id is ours (RFC 8832 §6)", stream,
        table->dtls_client ? "server" : "client",
        table->dtls_client ? "odd" : "even");
    sec_dcep_open_clear (&open);
    return FALSE;
  }
  channel = channel_add (table, stream, &open, FALSE, FALSE);
  sec_dcep_open_clear (&open);
  /* RFC 8832 §6: open once the ACK is sent */
  channel->state = SEC_DC_STATE_OPEN;
  rx->type = SEC_DC_RX_NEW_CHANNEL;
  rx->channel = channel;
  rx->reply = sec_dcep_build_ack ();
  return TRUE;
}

gboolean
sec_dc_table_receive (SecDcTable * table, guint16 stream, guint32 ppid,
    const guint8 * data, gsize size, SecDcRx * rx, GError ** error)
{
  SecDcChannel *channel;
  gboolean binary;
  gsize message_size;

  memset (rx, 0, sizeof (*rx));
  if (ppid == SEC_DC_PPID_DCEP)
    return receive_dcep (table, stream, data, size, rx, error);

  if (!sec_dc_message_parse (ppid, data, size, &binary, &message_size, error))
    return FALSE;
  channel = sec_dc_table_lookup (table, stream);
  if (channel == NULL) {
    g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
        "a message on stream %u, where no channel is", stream);
    return FALSE;
  }
  if (channel->reset_in || channel->state == SEC_DC_STATE_CLOSED) {
    g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
        "a message on stream %u after the peer closed channel '%s'",
        stream, channel->params.label);
    return FALSE;
  }
  if (channel->state == SEC_DC_STATE_CONNECTING) {
    if (channel->negotiated) {
      /* the peer's side is up before our association event came */
      channel->state = SEC_DC_STATE_OPEN;
      rx->opened_too = TRUE;
    } else if (channel->open_sent) {
      /* RFC 8832 §6: data before the ACK means the peer got the OPEN */
      channel->state = SEC_DC_STATE_OPEN;
      rx->opened_too = TRUE;
    } else {
      g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
          "a message on stream %u before channel '%s' was offered",
          stream, channel->params.label);
      return FALSE;
    }
  }
  channel->messages_received++;
  channel->bytes_received += message_size;
  rx->type = SEC_DC_RX_MESSAGE;
  rx->channel = channel;
  rx->binary = binary;
  rx->size = message_size;
  return TRUE;
}

void
sec_dc_table_association_up (SecDcTable * table, GArray * opens,
    GArray * opened, GArray * closed)
{
  GList *channels = sec_dc_table_channels (table), *l;

  for (l = channels; l; l = l->next) {
    SecDcChannel *channel = l->data;

    if (channel->id >= table->max_streams) {
      /* the peer offered fewer streams than we did */
      guint16 id = channel->id;

      channel_remove (table, id);
      if (closed)
        g_array_append_val (closed, id);
      continue;
    }
    if (channel->state != SEC_DC_STATE_CONNECTING)
      continue;
    if (channel->negotiated) {
      channel->state = SEC_DC_STATE_OPEN;
      g_array_append_val (opened, channel->id);
    } else if (channel->ours && !channel->open_sent) {
      SecDcOutgoing out;

      /* the parameters were checked when the channel was made */
      out.id = channel->id;
      out.message = sec_dcep_build_open (&channel->params, NULL);
      if (out.message) {
        channel->open_sent = TRUE;
        g_array_append_val (opens, out);
      }
    }
  }
  g_list_free (channels);
}

gboolean
sec_dc_table_sent (SecDcTable * table, SecDcChannel * channel, gsize size)
{
  (void) table;
  channel->messages_sent++;
  channel->bytes_sent += size;
  return channel->state == SEC_DC_STATE_OPEN;
}

gboolean
sec_dc_table_close (SecDcTable * table, guint id, gboolean up,
    gboolean * closed)
{
  SecDcChannel *channel = sec_dc_table_lookup (table, id);

  *closed = FALSE;
  if (channel == NULL || channel->state == SEC_DC_STATE_CLOSING
      || channel->state == SEC_DC_STATE_CLOSED)
    return FALSE;
  if (!up) {
    /* nothing of the channel reached the peer */
    channel_remove (table, (guint16) id);
    *closed = TRUE;
    return FALSE;
  }
  channel->state = SEC_DC_STATE_CLOSING;
  return TRUE;
}

void
sec_dc_table_stream_reset (SecDcTable * table, guint id, gboolean incoming,
    gboolean * reset_outgoing, gboolean * closing, gboolean * closed)
{
  SecDcChannel *channel = sec_dc_table_lookup (table, id);

  *reset_outgoing = *closing = *closed = FALSE;
  if (channel == NULL)
    return;
  if (incoming) {
    channel->reset_in = TRUE;
    if (channel->state != SEC_DC_STATE_CLOSING) {
      /* RFC 8831 §6.7: the peer closed, close our side too */
      channel->state = SEC_DC_STATE_CLOSING;
      *closing = TRUE;
      *reset_outgoing = TRUE;
    }
  } else {
    channel->reset_out = TRUE;
  }
  if (channel->reset_in && channel->reset_out) {
    channel_remove (table, (guint16) id);
    *closed = TRUE;
  }
}

void
sec_dc_table_close_all (SecDcTable * table, GArray * closed)
{
  GList *channels = sec_dc_table_channels (table), *l;

  for (l = channels; l; l = l->next) {
    SecDcChannel *channel = l->data;

    g_array_append_val (closed, channel->id);
  }
  g_list_free (channels);
  g_hash_table_remove_all (table->channels);
}

const gchar *
sec_dc_state_name (SecDcState state)
{
  switch (state) {
    case SEC_DC_STATE_CONNECTING:
      return "connecting";
    case SEC_DC_STATE_OPEN:
      return "open";
    case SEC_DC_STATE_CLOSING:
      return "closing";
    case SEC_DC_STATE_CLOSED:
      return "closed";
  }
  return "unknown";
}
