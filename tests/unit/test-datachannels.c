/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The data channel table of an association (ext/sctp/datachannels.c):
 * which stream ids each DTLS role opens (RFC 8832 §6), what the table
 * sends when the association comes up, what each message from the peer
 * means (a DCEP OPEN makes a channel, an ACK opens ours, data before the
 * ACK opens it too, anything else is refused and changes nothing), and
 * how a channel closes by resetting both directions of its stream (RFC
 * 8831 §6.7).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "datachannels.h"

#include <string.h>

/* --- helpers ------------------------------------------------------------ */

static const SecDcepOpen reliable_chat = {
  TRUE, SEC_DC_RELIABLE, 0, SEC_DC_PRIORITY_NORMAL, (gchar *) "chat",
  (gchar *) "xmpp"
};

/* A DATA_CHANNEL_OPEN as the peer sends it, written out per RFC 8832
 * §5.1 rather than by our builder: type, channel type, priority (256),
 * reliability parameter, label and protocol lengths, label, protocol. */
static GBytes *
peer_open (guint8 channel_type, guint32 parameter, const gchar * label,
    const gchar * protocol)
{
  gsize label_len = strlen (label), protocol_len = strlen (protocol);
  GByteArray *message = g_byte_array_new ();
  guint8 header[12] = {
    0x03, channel_type, 0x01, 0x00,
    parameter >> 24, (parameter >> 16) & 0xff, (parameter >> 8) & 0xff,
    parameter & 0xff,
    label_len >> 8, label_len & 0xff, protocol_len >> 8, protocol_len & 0xff,
  };

  g_byte_array_append (message, header, sizeof (header));
  g_byte_array_append (message, (const guint8 *) label, label_len);
  g_byte_array_append (message, (const guint8 *) protocol, protocol_len);
  return g_byte_array_free_to_bytes (message);
}

static const guint8 dcep_ack[] = { 0x02 };

/* Everything the table says about its channels, to see that a refused
 * message changed nothing. */
static gchar *
table_describe (SecDcTable * table)
{
  GString *description = g_string_new (NULL);
  GList *channels = sec_dc_table_channels (table), *l;

  g_string_append_printf (description, "%u channels:",
      sec_dc_table_count (table));
  for (l = channels; l; l = l->next) {
    SecDcChannel *channel = l->data;

    g_string_append_printf (description, " [%u %s%s%s%s%s%s '%s' '%s' %d "
        "%d %u rx %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " tx %"
        G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "]", channel->id,
        sec_dc_state_name (channel->state), channel->ours ? " ours" : "",
        channel->negotiated ? " negotiated" : "",
        channel->open_sent ? " open-sent" : "",
        channel->reset_in ? " reset-in" : "",
        channel->reset_out ? " reset-out" : "", channel->params.label,
        channel->params.protocol, channel->params.ordered,
        channel->params.reliability, channel->params.reliability_parameter,
        channel->messages_received, channel->bytes_received,
        channel->messages_sent, channel->bytes_sent);
  }
  g_list_free (channels);
  return g_string_free (description, FALSE);
}

/* @stream, @ppid, @data is refused with @code and leaves the table as it
 * was. */
static void
expect_refused (SecDcTable * table, guint16 stream, guint32 ppid,
    const guint8 * data, gsize size, gint code, const gchar * part)
{
  gchar *before = table_describe (table), *after;
  GError *error = NULL;
  SecDcRx rx;

  memset (&rx, 0xaa, sizeof (rx));
  g_assert_false (sec_dc_table_receive (table, stream, ppid, data, size, &rx,
          &error));
  g_assert_error (error, SEC_DCEP_ERROR, code);
  if (part && strstr (error->message, part) == NULL)
    g_error ("\"%s\" not in \"%s\"", part, error->message);
  g_assert_null (rx.reply);
  g_assert_null (rx.channel);
  g_error_free (error);
  after = table_describe (table);
  g_assert_cmpstr (after, ==, before);
  g_free (before);
  g_free (after);
}

static void
expect_receive (SecDcTable * table, guint16 stream, guint32 ppid,
    const guint8 * data, gsize size, SecDcRx * rx)
{
  GError *error = NULL;

  g_assert_true (sec_dc_table_receive (table, stream, ppid, data, size, rx,
          &error));
  g_assert_no_error (error);
  g_assert_nonnull (rx->channel);
  g_assert_cmpuint (rx->channel->id, ==, stream);
  g_assert_true (rx->channel == sec_dc_table_lookup (table, stream));
}

static void
expect_receive_bytes (SecDcTable * table, guint16 stream, guint32 ppid,
    GBytes * bytes, SecDcRx * rx)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  expect_receive (table, stream, ppid, data, size, rx);
}

static gint
open_id (SecDcTable * table, gint id, gboolean negotiated,
    const SecDcepOpen * params)
{
  GError *error = NULL;
  SecDcChannel *channel = sec_dc_table_open (table, id, negotiated, params,
      &error);

  g_assert_no_error (error);
  g_assert_nonnull (channel);
  g_assert_true (channel->ours);
  g_assert_cmpint (channel->negotiated, ==, negotiated);
  g_assert_cmpint (channel->state, ==, SEC_DC_STATE_CONNECTING);
  g_assert_false (channel->open_sent);
  g_assert_true (channel == sec_dc_table_lookup (table, channel->id));
  return channel->id;
}

static void
expect_open_refused (SecDcTable * table, gint id, gboolean negotiated,
    const gchar * part)
{
  gchar *before = table_describe (table), *after;
  GError *error = NULL;

  g_assert_null (sec_dc_table_open (table, id, negotiated, &reliable_chat,
          &error));
  g_assert_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID);
  if (strstr (error->message, part) == NULL)
    g_error ("\"%s\" not in \"%s\"", part, error->message);
  g_error_free (error);
  after = table_describe (table);
  g_assert_cmpstr (after, ==, before);
  g_free (before);
  g_free (after);
}

/* The association comes up: the DCEP OPENs it asks us to send (their
 * ids in @open_ids, the messages freed) and the negotiated channels it
 * opened (@opened_ids); "" for none. */
static void
association_up (SecDcTable * table, const gchar * open_ids,
    const gchar * opened_ids)
{
  GArray *opens = g_array_new (FALSE, FALSE, sizeof (SecDcOutgoing));
  GArray *opened = g_array_new (FALSE, FALSE, sizeof (guint16));
  GString *ids = g_string_new (NULL);
  guint i;

  sec_dc_table_association_up (table, opens, opened, NULL);
  for (i = 0; i < opens->len; i++) {
    SecDcOutgoing *out = &g_array_index (opens, SecDcOutgoing, i);
    SecDcChannel *channel = sec_dc_table_lookup (table, out->id);
    SecDcepOpen said = { 0, };
    SecDcepType type = 0;
    gsize size;
    const guint8 *data = g_bytes_get_data (out->message, &size);

    g_string_append_printf (ids, "%s%u", i ? " " : "", out->id);
    /* what goes on the wire is what the application asked for */
    g_assert_nonnull (channel);
    g_assert_true (channel->ours);
    g_assert_false (channel->negotiated);
    g_assert_true (channel->open_sent);
    g_assert_cmpint (channel->state, ==, SEC_DC_STATE_CONNECTING);
    g_assert_true (sec_dcep_parse (data, size, &type, &said, NULL));
    g_assert_cmpint (type, ==, SEC_DCEP_OPEN);
    g_assert_cmpstr (said.label, ==, channel->params.label);
    g_assert_cmpstr (said.protocol, ==, channel->params.protocol);
    g_assert_cmpint (said.ordered, ==, channel->params.ordered);
    g_assert_cmpint (said.reliability, ==, channel->params.reliability);
    g_assert_cmpuint (said.reliability_parameter, ==,
        channel->params.reliability_parameter);
    g_assert_cmpuint (said.priority, ==, channel->params.priority);
    sec_dcep_open_clear (&said);
    g_bytes_unref (out->message);
  }
  g_assert_cmpstr (ids->str, ==, open_ids);
  g_string_truncate (ids, 0);
  for (i = 0; i < opened->len; i++) {
    guint16 id = g_array_index (opened, guint16, i);
    SecDcChannel *channel = sec_dc_table_lookup (table, id);

    g_string_append_printf (ids, "%s%u", i ? " " : "", id);
    g_assert_nonnull (channel);
    g_assert_true (channel->negotiated);
    g_assert_cmpint (channel->state, ==, SEC_DC_STATE_OPEN);
  }
  g_assert_cmpstr (ids->str, ==, opened_ids);
  g_string_free (ids, TRUE);
  g_array_unref (opens);
  g_array_unref (opened);
}

static SecDcState
state_of (SecDcTable * table, guint id)
{
  SecDcChannel *channel = sec_dc_table_lookup (table, id);

  g_assert_nonnull (channel);
  return channel->state;
}

/* --- stream ids (RFC 8832 §6) ------------------------------------------- */

static void
test_ids_client_even (void)
{
  SecDcTable *table = sec_dc_table_new (TRUE, 16);
  gboolean closed = FALSE;

  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 0);
  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 2);
  g_assert_cmpint (open_id (table, 6, FALSE, &reliable_chat), ==, 6);
  /* the lowest free even id: 4, then past 6 */
  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 4);
  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 8);
  /* a freed id is the lowest free again */
  g_assert_false (sec_dc_table_close (table, 2, FALSE, &closed));
  g_assert_true (closed);
  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 2);
  g_assert_cmpuint (sec_dc_table_count (table), ==, 5);
  sec_dc_table_free (table);
}

static void
test_ids_server_odd (void)
{
  SecDcTable *table = sec_dc_table_new (FALSE, 16);

  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 1);
  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 3);
  g_assert_cmpint (open_id (table, 15, FALSE, &reliable_chat), ==, 15);
  expect_open_refused (table, 4, FALSE, "the peer's to open");
  sec_dc_table_free (table);

  /* the role is set once DTLS knows it: the parity follows */
  table = sec_dc_table_new (TRUE, 16);
  sec_dc_table_set_dtls_client (table, FALSE);
  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 1);
  sec_dc_table_set_dtls_client (table, TRUE);
  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 0);
  sec_dc_table_free (table);
}

static void
test_ids_refused (void)
{
  SecDcTable *table = sec_dc_table_new (TRUE, 16);

  /* in band, the peer's parity */
  expect_open_refused (table, 1, FALSE, "the peer's to open");
  expect_open_refused (table, 15, FALSE, "RFC 8832 §6");
  /* at or beyond the association's streams */
  expect_open_refused (table, 16, FALSE, "out of range");
  expect_open_refused (table, 16, TRUE, "out of range");
  expect_open_refused (table, 70000, TRUE, "out of range");
  /* in use, by ours in band or negotiated */
  g_assert_cmpint (open_id (table, 4, FALSE, &reliable_chat), ==, 4);
  expect_open_refused (table, 4, FALSE, "in use");
  expect_open_refused (table, 4, TRUE, "in use");
  /* a negotiated channel needs its id, and may take either parity */
  expect_open_refused (table, -1, TRUE, "needs an id");
  g_assert_cmpint (open_id (table, 5, TRUE, &reliable_chat), ==, 5);
  g_assert_cmpint (open_id (table, 6, TRUE, &reliable_chat), ==, 6);
  expect_open_refused (table, 5, FALSE, "in use");
  g_assert_cmpuint (sec_dc_table_count (table), ==, 3);
  sec_dc_table_free (table);

  /* 65535 is reserved (RFC 8831 §6.5): the most streams leave it out */
  table = sec_dc_table_new (FALSE, 70000);
  g_assert_cmpuint (sec_dc_table_get_max_streams (table), ==, 65535);
  expect_open_refused (table, 65535, FALSE, "out of range");
  expect_open_refused (table, 65535, TRUE, "out of range");
  g_assert_cmpint (open_id (table, 65534, TRUE, &reliable_chat), ==, 65534);
  g_assert_cmpint (open_id (table, 65533, FALSE, &reliable_chat), ==, 65533);
  g_assert_cmpuint (sec_dc_table_count (table), ==, 2);
  sec_dc_table_free (table);
}

static void
test_ids_exhausted (void)
{
  SecDcTable *table = sec_dc_table_new (TRUE, 5);
  GError *error = NULL;

  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 0);
  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 2);
  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 4);
  expect_open_refused (table, -1, FALSE, "every stream id");
  /* the peer's ids are still there for negotiated channels */
  g_assert_cmpint (open_id (table, 3, TRUE, &reliable_chat), ==, 3);
  sec_dc_table_free (table);

  /* fewer streams than make one id of ours */
  table = sec_dc_table_new (FALSE, 1);
  expect_open_refused (table, -1, FALSE, "every stream id");
  sec_dc_table_free (table);
  table = sec_dc_table_new (TRUE, 0);
  g_assert_null (sec_dc_table_open (table, -1, FALSE, &reliable_chat,
          &error));
  g_assert_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sec_dc_table_open (table, 0, TRUE, &reliable_chat, &error));
  g_assert_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (sec_dc_table_count (table), ==, 0);
  sec_dc_table_free (table);

  /* the association agreed on fewer streams than configured */
  table = sec_dc_table_new (TRUE, 16);
  sec_dc_table_set_max_streams (table, 4);
  g_assert_cmpuint (sec_dc_table_get_max_streams (table), ==, 4);
  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 0);
  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 2);
  expect_open_refused (table, -1, FALSE, "every stream id");
  expect_open_refused (table, 4, TRUE, "out of range");
  sec_dc_table_free (table);
}

/* --- the association comes up ------------------------------------------- */

static void
test_association_up (void)
{
  SecDcTable *table = sec_dc_table_new (TRUE, 16);
  SecDcepOpen lossy = { FALSE, SEC_DC_PARTIAL_RELIABLE_REXMIT, 3,
    SEC_DC_PRIORITY_HIGH, (gchar *) "l\xc3\xa9", NULL
  };
  SecDcepOpen timed = { TRUE, SEC_DC_PARTIAL_RELIABLE_TIMED, 1500,
    SEC_DC_PRIORITY_BELOW_NORMAL, NULL, (gchar *) "proto"
  };
  GBytes *open = peer_open (0x00, 0, "theirs", "");
  SecDcRx rx;

  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 0);
  g_assert_cmpint (open_id (table, -1, FALSE, &lossy), ==, 2);
  g_assert_cmpint (open_id (table, 7, TRUE, &reliable_chat), ==, 7);
  g_assert_cmpint (open_id (table, 10, FALSE, &timed), ==, 10);
  g_assert_cmpint (open_id (table, 3, TRUE, &lossy), ==, 3);
  /* a NULL label or protocol is "" */
  g_assert_cmpstr (sec_dc_table_lookup (table, 2)->params.protocol, ==, "");
  g_assert_cmpstr (sec_dc_table_lookup (table, 10)->params.label, ==, "");

  /* the OPEN of each in-band channel (checked against its parameters),
   * the negotiated ones open, in id order */
  association_up (table, "0 2 10", "3 7");
  g_assert_cmpint (state_of (table, 0), ==, SEC_DC_STATE_CONNECTING);
  g_assert_cmpint (state_of (table, 2), ==, SEC_DC_STATE_CONNECTING);
  g_assert_cmpint (state_of (table, 10), ==, SEC_DC_STATE_CONNECTING);
  /* again: nothing new */
  association_up (table, "", "");

  /* a channel of the peer's is not ours to offer; a new one of ours is */
  expect_receive_bytes (table, 1, SEC_DC_PPID_DCEP, open, &rx);
  g_bytes_unref (rx.reply);
  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 4);
  association_up (table, "4", "");
  association_up (table, "", "");
  g_assert_cmpuint (sec_dc_table_count (table), ==, 7);
  g_bytes_unref (open);
  sec_dc_table_free (table);
}

static void
test_sent (void)
{
  SecDcTable *table = sec_dc_table_new (TRUE, 16);
  SecDcChannel *channel;
  SecDcRx rx;

  open_id (table, 0, FALSE, &reliable_chat);
  channel = sec_dc_table_lookup (table, 0);
  association_up (table, "0", "");
  /* RFC 8832 §6: ordered until the ACK */
  g_assert_false (sec_dc_table_sent (table, channel, 5));
  expect_receive (table, 0, SEC_DC_PPID_DCEP, dcep_ack, 1, &rx);
  g_assert_true (sec_dc_table_sent (table, channel, 0));
  g_assert_true (sec_dc_table_sent (table, channel, 7));
  g_assert_cmpuint (channel->messages_sent, ==, 3);
  g_assert_cmpuint (channel->bytes_sent, ==, 12);
  g_assert_cmpuint (channel->messages_received, ==, 0);
  sec_dc_table_free (table);
}

/* --- what the peer sends ------------------------------------------------ */

static void
test_receive_open (void)
{
  /* we are the DTLS server: the peer opens even ids */
  SecDcTable *table = sec_dc_table_new (FALSE, 16);
  GBytes *open = peer_open (0x82, 1500, "chat", "p");
  SecDcepType type = 0;
  gsize size;
  const guint8 *data;
  SecDcRx rx;

  expect_receive_bytes (table, 0, SEC_DC_PPID_DCEP, open, &rx);
  g_assert_cmpint (rx.type, ==, SEC_DC_RX_NEW_CHANNEL);
  g_assert_false (rx.channel->ours);
  g_assert_false (rx.channel->negotiated);
  g_assert_cmpint (rx.channel->state, ==, SEC_DC_STATE_OPEN);
  g_assert_false (rx.channel->params.ordered);
  g_assert_cmpint (rx.channel->params.reliability, ==,
      SEC_DC_PARTIAL_RELIABLE_TIMED);
  g_assert_cmpuint (rx.channel->params.reliability_parameter, ==, 1500);
  g_assert_cmpuint (rx.channel->params.priority, ==, 256);
  g_assert_cmpstr (rx.channel->params.label, ==, "chat");
  g_assert_cmpstr (rx.channel->params.protocol, ==, "p");
  g_assert_false (rx.opened_too);
  /* the reply is a DATA_CHANNEL_ACK: 0x02, one byte (RFC 8832 §5.2) */
  g_assert_nonnull (rx.reply);
  data = g_bytes_get_data (rx.reply, &size);
  g_assert_cmpmem (data, size, dcep_ack, sizeof (dcep_ack));
  g_assert_true (sec_dcep_parse (data, size, &type, NULL, NULL));
  g_assert_cmpint (type, ==, SEC_DCEP_ACK);
  g_bytes_unref (rx.reply);
  g_assert_cmpuint (sec_dc_table_count (table), ==, 1);

  /* it is open at once: its messages are the application's */
  expect_receive (table, 0, SEC_DC_PPID_STRING, (const guint8 *) "hi", 2,
      &rx);
  g_assert_cmpint (rx.type, ==, SEC_DC_RX_MESSAGE);
  g_assert_false (rx.opened_too);
  g_assert_null (rx.reply);
  g_bytes_unref (open);
  sec_dc_table_free (table);
}

static void
test_receive_open_refused (void)
{
  /* we are the DTLS client: the peer opens odd ids */
  SecDcTable *table = sec_dc_table_new (TRUE, 16);
  GBytes *open = peer_open (0x00, 0, "chat", "xmpp");
  gsize size, i;
  const guint8 *data = g_bytes_get_data (open, &size);
  SecDcRx rx;

  open_id (table, -1, FALSE, &reliable_chat);
  open_id (table, 5, TRUE, &reliable_chat);
  expect_receive (table, 1, SEC_DC_PPID_DCEP, data, size, &rx);
  g_bytes_unref (rx.reply);

  /* our parity, even with no channel on it */
  expect_refused (table, 2, SEC_DC_PPID_DCEP, data, size,
      SEC_DCEP_ERROR_INVALID, "that id is ours");
  /* ids in use: the peer's channel, ours, a negotiated one */
  expect_refused (table, 1, SEC_DC_PPID_DCEP, data, size,
      SEC_DCEP_ERROR_INVALID, "which channel 'chat' uses");
  expect_refused (table, 0, SEC_DC_PPID_DCEP, data, size,
      SEC_DCEP_ERROR_INVALID, "uses");
  expect_refused (table, 5, SEC_DC_PPID_DCEP, data, size,
      SEC_DCEP_ERROR_INVALID, "uses");
  /* beyond the association's streams, and the reserved 65535 */
  expect_refused (table, 17, SEC_DC_PPID_DCEP, data, size,
      SEC_DCEP_ERROR_INVALID, "out of the association's 16");
  expect_refused (table, 65535, SEC_DC_PPID_DCEP, data, size,
      SEC_DCEP_ERROR_INVALID, "out of");
  /* every truncation of a good OPEN on a free id, then the whole of it */
  for (i = 0; i < size; i++)
    expect_refused (table, 3, SEC_DC_PPID_DCEP, data, i,
        SEC_DCEP_ERROR_TRUNCATED, NULL);
  expect_receive (table, 3, SEC_DC_PPID_DCEP, data, size, &rx);
  g_assert_cmpint (rx.type, ==, SEC_DC_RX_NEW_CHANNEL);
  g_bytes_unref (rx.reply);
  g_assert_cmpuint (sec_dc_table_count (table), ==, 4);
  g_bytes_unref (open);
  sec_dc_table_free (table);
}

static void
test_receive_ack (void)
{
  SecDcTable *table = sec_dc_table_new (TRUE, 16);
  static const guint8 long_ack[] = { 0x02, 0x00 };
  GBytes *open = peer_open (0x00, 0, "theirs", "");
  SecDcRx rx;

  open_id (table, -1, FALSE, &reliable_chat);
  open_id (table, 6, TRUE, &reliable_chat);
  /* no OPEN of ours went out yet */
  expect_refused (table, 0, SEC_DC_PPID_DCEP, dcep_ack, 1,
      SEC_DCEP_ERROR_INVALID, "no channel of ours waits");
  association_up (table, "0", "6");
  expect_receive_bytes (table, 1, SEC_DC_PPID_DCEP, open, &rx);
  g_bytes_unref (rx.reply);

  /* an ACK of two bytes is no ACK */
  expect_refused (table, 0, SEC_DC_PPID_DCEP, long_ack, 2,
      SEC_DCEP_ERROR_INVALID, "ACK of 2 bytes");
  /* the ACK opens our channel; nothing to reply */
  expect_receive (table, 0, SEC_DC_PPID_DCEP, dcep_ack, 1, &rx);
  g_assert_cmpint (rx.type, ==, SEC_DC_RX_OPENED);
  g_assert_null (rx.reply);
  g_assert_cmpint (rx.channel->state, ==, SEC_DC_STATE_OPEN);
  /* a second one (or one overtaken by data) changes nothing */
  expect_receive (table, 0, SEC_DC_PPID_DCEP, dcep_ack, 1, &rx);
  g_assert_cmpint (rx.type, ==, SEC_DC_RX_NONE);
  g_assert_null (rx.reply);
  g_assert_cmpint (rx.channel->state, ==, SEC_DC_STATE_OPEN);
  /* no channel, a negotiated one, the peer's own */
  expect_refused (table, 4, SEC_DC_PPID_DCEP, dcep_ack, 1,
      SEC_DCEP_ERROR_INVALID, "no channel of ours waits");
  expect_refused (table, 6, SEC_DC_PPID_DCEP, dcep_ack, 1,
      SEC_DCEP_ERROR_INVALID, "no channel of ours waits");
  expect_refused (table, 1, SEC_DC_PPID_DCEP, dcep_ack, 1,
      SEC_DCEP_ERROR_INVALID, "no channel of ours waits");
  expect_refused (table, 65535, SEC_DC_PPID_DCEP, dcep_ack, 1,
      SEC_DCEP_ERROR_INVALID, NULL);
  g_bytes_unref (open);
  sec_dc_table_free (table);
}

static void
test_message_before_ack (void)
{
  SecDcTable *table = sec_dc_table_new (FALSE, 16);
  SecDcRx rx;

  open_id (table, -1, FALSE, &reliable_chat);
  open_id (table, -1, FALSE, &reliable_chat);
  /* before our OPEN went out, data on the stream is refused */
  expect_refused (table, 1, SEC_DC_PPID_BINARY, (const guint8 *) "xy", 2,
      SEC_DCEP_ERROR_INVALID, "before channel 'chat' was offered");
  association_up (table, "1 3", "");

  /* RFC 8832 §6: data before the ACK means the peer has the channel */
  expect_receive (table, 1, SEC_DC_PPID_BINARY, (const guint8 *) "xy", 2,
      &rx);
  g_assert_cmpint (rx.type, ==, SEC_DC_RX_MESSAGE);
  g_assert_true (rx.opened_too);
  g_assert_true (rx.binary);
  g_assert_cmpuint (rx.size, ==, 2);
  g_assert_cmpint (rx.channel->state, ==, SEC_DC_STATE_OPEN);
  /* once */
  expect_receive (table, 1, SEC_DC_PPID_STRING_EMPTY,
      (const guint8 *) "\0", 1, &rx);
  g_assert_false (rx.opened_too);
  /* the other channel still waits for its ACK */
  g_assert_cmpint (state_of (table, 3), ==, SEC_DC_STATE_CONNECTING);

  /* a negotiated channel whose peer is up before our association event */
  open_id (table, 8, TRUE, &reliable_chat);
  expect_receive (table, 8, SEC_DC_PPID_STRING, (const guint8 *) "a", 1,
      &rx);
  g_assert_true (rx.opened_too);
  g_assert_cmpint (state_of (table, 8), ==, SEC_DC_STATE_OPEN);
  sec_dc_table_free (table);
}

static void
test_receive_messages (void)
{
  SecDcTable *table = sec_dc_table_new (TRUE, 16);
  static const guint8 bin[] = { 0x00, 0xff, 0xc3 };
  SecDcChannel *channel;
  SecDcRx rx;

  open_id (table, 4, TRUE, &reliable_chat);
  association_up (table, "", "4");
  channel = sec_dc_table_lookup (table, 4);

  expect_receive (table, 4, SEC_DC_PPID_STRING,
      (const guint8 *) "h\xc3\xa9", 3, &rx);
  g_assert_cmpint (rx.type, ==, SEC_DC_RX_MESSAGE);
  g_assert_false (rx.binary);
  g_assert_cmpuint (rx.size, ==, 3);
  g_assert_null (rx.reply);
  expect_receive (table, 4, SEC_DC_PPID_BINARY, bin, sizeof (bin), &rx);
  g_assert_true (rx.binary);
  g_assert_cmpuint (rx.size, ==, 3);
  /* RFC 8831 §6.6: empty messages travel as one byte, whatever it is */
  expect_receive (table, 4, SEC_DC_PPID_STRING_EMPTY, bin + 1, 1, &rx);
  g_assert_false (rx.binary);
  g_assert_cmpuint (rx.size, ==, 0);
  expect_receive (table, 4, SEC_DC_PPID_BINARY_EMPTY, bin, 1, &rx);
  g_assert_true (rx.binary);
  g_assert_cmpuint (rx.size, ==, 0);
  g_assert_cmpuint (channel->messages_received, ==, 4);
  g_assert_cmpuint (channel->bytes_received, ==, 6);

  /* refused, counting nothing */
  expect_refused (table, 4, SEC_DC_PPID_STRING, bin, sizeof (bin),
      SEC_DCEP_ERROR_INVALID, "not UTF-8");
  expect_refused (table, 4, SEC_DC_PPID_STRING, bin, 0,
      SEC_DCEP_ERROR_INVALID, "empty");
  expect_refused (table, 4, SEC_DC_PPID_BINARY_EMPTY, bin, 2,
      SEC_DCEP_ERROR_INVALID, "carries one");
  expect_refused (table, 4, SEC_DC_PPID_BINARY_PARTIAL, bin, 2,
      SEC_DCEP_ERROR_UNSUPPORTED, "deprecated");
  expect_refused (table, 4, 0, bin, 2, SEC_DCEP_ERROR_UNSUPPORTED, NULL);
  /* a stream with no channel */
  expect_refused (table, 6, SEC_DC_PPID_BINARY, bin, 2,
      SEC_DCEP_ERROR_INVALID, "no channel");
  expect_refused (table, 65535, SEC_DC_PPID_BINARY, bin, 2,
      SEC_DCEP_ERROR_INVALID, "no channel");
  /* a DCEP message that is neither ACK nor OPEN */
  expect_refused (table, 4, SEC_DC_PPID_DCEP, (const guint8 *) "\x01", 1,
      SEC_DCEP_ERROR_UNSUPPORTED, "type 0x01");
  expect_refused (table, 4, SEC_DC_PPID_DCEP, NULL, 0,
      SEC_DCEP_ERROR_TRUNCATED, NULL);
  g_assert_cmpuint (channel->messages_received, ==, 4);
  g_assert_cmpuint (channel->bytes_received, ==, 6);
  g_assert_cmpint (channel->state, ==, SEC_DC_STATE_OPEN);
  sec_dc_table_free (table);
}

/* --- closing (RFC 8831 §6.7) -------------------------------------------- */

static void
test_close_before_up (void)
{
  SecDcTable *table = sec_dc_table_new (TRUE, 16);
  gboolean closed = FALSE;

  open_id (table, -1, FALSE, &reliable_chat);
  open_id (table, 3, TRUE, &reliable_chat);
  /* nothing reached the peer: closed at once, nothing to reset */
  g_assert_false (sec_dc_table_close (table, 0, FALSE, &closed));
  g_assert_true (closed);
  g_assert_null (sec_dc_table_lookup (table, 0));
  g_assert_false (sec_dc_table_close (table, 3, FALSE, &closed));
  g_assert_true (closed);
  g_assert_cmpuint (sec_dc_table_count (table), ==, 0);
  /* no such channel */
  g_assert_false (sec_dc_table_close (table, 0, FALSE, &closed));
  g_assert_false (closed);
  /* the ids are free again */
  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 0);
  association_up (table, "0", "");
  sec_dc_table_free (table);
}

static void
test_close_when_up (void)
{
  SecDcTable *table = sec_dc_table_new (TRUE, 16);
  gboolean closed = TRUE, reset_outgoing = TRUE, closing = TRUE;
  SecDcRx rx;

  open_id (table, -1, FALSE, &reliable_chat);
  association_up (table, "0", "");
  expect_receive (table, 0, SEC_DC_PPID_DCEP, dcep_ack, 1, &rx);

  /* we reset our outgoing stream; the channel is closing */
  g_assert_true (sec_dc_table_close (table, 0, TRUE, &closed));
  g_assert_false (closed);
  g_assert_cmpint (state_of (table, 0), ==, SEC_DC_STATE_CLOSING);
  /* twice: nothing more to do */
  g_assert_false (sec_dc_table_close (table, 0, TRUE, &closed));
  g_assert_false (closed);
  g_assert_false (sec_dc_table_close (table, 0, FALSE, &closed));
  g_assert_false (closed);

  /* our outgoing reset, then the peer's: closed and gone */
  sec_dc_table_stream_reset (table, 0, FALSE, &reset_outgoing, &closing,
      &closed);
  g_assert_false (reset_outgoing);
  g_assert_false (closing);
  g_assert_false (closed);
  g_assert_cmpint (state_of (table, 0), ==, SEC_DC_STATE_CLOSING);
  sec_dc_table_stream_reset (table, 0, TRUE, &reset_outgoing, &closing,
      &closed);
  g_assert_false (reset_outgoing);
  g_assert_false (closing);
  g_assert_true (closed);
  g_assert_null (sec_dc_table_lookup (table, 0));
  g_assert_cmpint (open_id (table, -1, FALSE, &reliable_chat), ==, 0);
  sec_dc_table_free (table);
}

static void
test_peer_closes (void)
{
  SecDcTable *table = sec_dc_table_new (FALSE, 16);
  GBytes *open = peer_open (0x00, 0, "chat", "");
  gboolean closed = TRUE, reset_outgoing = FALSE, closing = FALSE;
  const guint8 *data;
  gsize size;
  SecDcRx rx;

  expect_receive_bytes (table, 2, SEC_DC_PPID_DCEP, open, &rx);
  g_bytes_unref (rx.reply);

  /* RFC 8831 §6.7: the peer reset its outgoing stream: we reset ours */
  sec_dc_table_stream_reset (table, 2, TRUE, &reset_outgoing, &closing,
      &closed);
  g_assert_true (reset_outgoing);
  g_assert_true (closing);
  g_assert_false (closed);
  g_assert_cmpint (state_of (table, 2), ==, SEC_DC_STATE_CLOSING);
  /* after it: no more data, no new channel on the id, no close of ours */
  expect_refused (table, 2, SEC_DC_PPID_STRING, (const guint8 *) "x", 1,
      SEC_DCEP_ERROR_INVALID, "after the peer closed");
  data = g_bytes_get_data (open, &size);
  expect_refused (table, 2, SEC_DC_PPID_DCEP, data, size,
      SEC_DCEP_ERROR_INVALID, "uses");
  g_assert_false (sec_dc_table_close (table, 2, TRUE, &closed));
  g_assert_false (closed);

  /* our outgoing reset done: closed, the id free for the peer again */
  sec_dc_table_stream_reset (table, 2, FALSE, &reset_outgoing, &closing,
      &closed);
  g_assert_false (reset_outgoing);
  g_assert_false (closing);
  g_assert_true (closed);
  g_assert_null (sec_dc_table_lookup (table, 2));
  g_assert_cmpuint (sec_dc_table_count (table), ==, 0);
  expect_receive_bytes (table, 2, SEC_DC_PPID_DCEP, open, &rx);
  g_assert_cmpint (rx.type, ==, SEC_DC_RX_NEW_CHANNEL);
  g_bytes_unref (rx.reply);

  /* a reset of a stream with no channel says nothing */
  sec_dc_table_stream_reset (table, 9, TRUE, &reset_outgoing, &closing,
      &closed);
  g_assert_false (reset_outgoing || closing || closed);
  sec_dc_table_stream_reset (table, 9, FALSE, &reset_outgoing, &closing,
      &closed);
  g_assert_false (reset_outgoing || closing || closed);
  g_assert_cmpuint (sec_dc_table_count (table), ==, 1);
  g_bytes_unref (open);
  sec_dc_table_free (table);
}

static void
test_close_all (void)
{
  SecDcTable *table = sec_dc_table_new (TRUE, 32);
  GArray *closed = g_array_new (FALSE, FALSE, sizeof (guint16));
  GBytes *open = peer_open (0x80, 0, "", "");
  gboolean gone;
  SecDcRx rx;

  open_id (table, 20, FALSE, &reliable_chat);
  open_id (table, -1, FALSE, &reliable_chat);
  open_id (table, 9, TRUE, &reliable_chat);
  association_up (table, "0 20", "9");
  expect_receive_bytes (table, 3, SEC_DC_PPID_DCEP, open, &rx);
  g_bytes_unref (rx.reply);
  g_assert_true (sec_dc_table_close (table, 20, TRUE, &gone));

  /* every channel, whatever its state, in id order */
  sec_dc_table_close_all (table, closed);
  g_assert_cmpuint (closed->len, ==, 4);
  g_assert_cmpuint (g_array_index (closed, guint16, 0), ==, 0);
  g_assert_cmpuint (g_array_index (closed, guint16, 1), ==, 3);
  g_assert_cmpuint (g_array_index (closed, guint16, 2), ==, 9);
  g_assert_cmpuint (g_array_index (closed, guint16, 3), ==, 20);
  g_assert_cmpuint (sec_dc_table_count (table), ==, 0);
  g_assert_null (sec_dc_table_channels (table));
  g_assert_null (sec_dc_table_lookup (table, 0));

  /* an empty table: nothing */
  g_array_set_size (closed, 0);
  sec_dc_table_close_all (table, closed);
  g_assert_cmpuint (closed->len, ==, 0);
  g_array_unref (closed);
  g_bytes_unref (open);
  sec_dc_table_free (table);
  sec_dc_table_free (NULL);
}

/* Review fixes: what cannot go on the wire is refused when the channel
 * is made; channels above the streams the peer took close when the
 * association comes up; text may hold U+0000. */
static void
test_open_checks_and_streams (void)
{
  SecDcTable *table = sec_dc_table_new (TRUE, 1024);
  SecDcepOpen params = { 0, };
  GArray *opens = g_array_new (FALSE, FALSE, sizeof (SecDcOutgoing));
  GArray *opened = g_array_new (FALSE, FALSE, sizeof (guint16));
  GArray *closed = g_array_new (FALSE, FALSE, sizeof (guint16));
  GError *error = NULL;
  gboolean binary = TRUE;
  gsize size = 0;
  guint i;

  params.ordered = TRUE;
  params.label = (gchar *) "\xff";
  g_assert_null (sec_dc_table_open (table, -1, FALSE, &params, &error));
  g_assert_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sec_dc_table_open (table, 8, TRUE, &params, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (sec_dc_table_count (table), ==, 0);

  params.label = (gchar *) "ok";
  g_assert_nonnull (sec_dc_table_open (table, 2, FALSE, &params, NULL));
  g_assert_nonnull (sec_dc_table_open (table, 600, FALSE, &params, NULL));
  g_assert_nonnull (sec_dc_table_open (table, 701, TRUE, &params, NULL));
  /* the peer took 512 streams */
  sec_dc_table_set_max_streams (table, 512);
  sec_dc_table_association_up (table, opens, opened, closed);
  g_assert_cmpuint (opens->len, ==, 1);
  g_assert_cmpuint (g_array_index (opens, SecDcOutgoing, 0).id, ==, 2);
  g_assert_cmpuint (opened->len, ==, 0);
  g_assert_cmpuint (closed->len, ==, 2);
  g_assert_cmpuint (g_array_index (closed, guint16, 0), ==, 600);
  g_assert_cmpuint (g_array_index (closed, guint16, 1), ==, 701);
  g_assert_cmpuint (sec_dc_table_count (table), ==, 1);
  for (i = 0; i < opens->len; i++)
    g_bytes_unref (g_array_index (opens, SecDcOutgoing, i).message);

  g_assert_true (sec_dc_text_valid ((const guint8 *) "a\0b", 3));
  g_assert_true (sec_dc_text_valid ((const guint8 *) "\0\0", 2));
  g_assert_false (sec_dc_text_valid ((const guint8 *) "a\0\xff", 3));
  g_assert_true (sec_dc_message_parse (SEC_DC_PPID_STRING,
          (const guint8 *) "a\0b", 3, &binary, &size, NULL));
  g_assert_false (binary);
  g_assert_cmpuint (size, ==, 3);

  g_array_unref (opens);
  g_array_unref (opened);
  g_array_unref (closed);
  sec_dc_table_free (table);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/datachannels/ids-client-even", test_ids_client_even);
  g_test_add_func ("/datachannels/ids-server-odd", test_ids_server_odd);
  g_test_add_func ("/datachannels/ids-refused", test_ids_refused);
  g_test_add_func ("/datachannels/ids-exhausted", test_ids_exhausted);
  g_test_add_func ("/datachannels/association-up", test_association_up);
  g_test_add_func ("/datachannels/open-checks-and-streams",
      test_open_checks_and_streams);
  g_test_add_func ("/datachannels/sent", test_sent);
  g_test_add_func ("/datachannels/receive-open", test_receive_open);
  g_test_add_func ("/datachannels/receive-open-refused",
      test_receive_open_refused);
  g_test_add_func ("/datachannels/receive-ack", test_receive_ack);
  g_test_add_func ("/datachannels/message-before-ack",
      test_message_before_ack);
  g_test_add_func ("/datachannels/receive-messages", test_receive_messages);
  g_test_add_func ("/datachannels/close-before-up", test_close_before_up);
  g_test_add_func ("/datachannels/close-when-up", test_close_when_up);
  g_test_add_func ("/datachannels/peer-closes", test_peer_closes);
  g_test_add_func ("/datachannels/close-all", test_close_all);
  return g_test_run ();
}
