/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: the data channel table of one association
 * (ext/sctp/datachannels.c) driven by a sequence of operations, as the
 * association drives it: messages from the peer (arbitrary bytes under
 * any PPID, or well-formed DCEP OPENs and ACKs), channels the
 * application opens and closes, the association coming up and ending,
 * stream resets. After every step the table is checked against what each
 * call said it did, and against the rules that always hold (one channel
 * per id, below 65535, in the parity of the side that opened it; a
 * channel of the peer's is open from its OPEN on; a refused message
 * changes nothing; a reply is a DATA_CHANNEL_ACK). Any failure aborts.
 *
 * Input: one byte, the DTLS role (bit 0: client) and the association's
 * streams (bits 1-7, see max_streams_of); then records of five bytes and
 * a payload: the operation, a stream id (big-endian), an argument whose
 * meaning depends on the operation, the payload's length (cut to what
 * is left), the payload.
 */
#include "datachannels.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

enum
{
  OP_RECEIVE,                   /* arbitrary payload, PPID from the argument */
  OP_RECEIVE_OPEN,              /* a DCEP OPEN built from argument, payload */
  OP_RECEIVE_ACK,
  OP_OPEN,                      /* the application opens a channel */
  OP_ASSOCIATION_UP,
  OP_CLOSE,
  OP_RESET_INCOMING,
  OP_RESET_OUTGOING,
  OP_CLOSE_ALL,
  OP_SENT,
  OP_SET_MAX_STREAMS,
  OP_SET_ROLE,
  N_OPS
};

#define RECORD_HEADER 5

typedef struct
{
  SecDcTable *table;
  gboolean dtls_client;
  gboolean up;
} Fuzz;

/* What one channel looked like before a step. */
typedef struct
{
  gboolean exists;
  SecDcChannel copy;
} Before;

#define check(cond) G_STMT_START { \
  if (!(cond)) { \
    g_printerr ("%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    abort (); \
  } \
} G_STMT_END

static guint
max_streams_of (guint8 code)
{
  static const guint large[] = { 128, 256, 1024, 65534, 65535, 65536,
    G_MAXUINT, 0
  };

  return code < 120 ? code : large[code - 120];
}

static void
check_error (GError * error)
{
  check (error != NULL);
  check (error->domain == SEC_DCEP_ERROR);
  check (error->message != NULL && error->message[0] != '\0');
  check (g_utf8_validate (error->message, -1, NULL));
  g_error_free (error);
}

/* FNV-1a over a value's bytes */
static guint64
mix (guint64 digest, guint64 value)
{
  guint i;

  for (i = 0; i < 8; i++) {
    digest ^= (value >> (8 * i)) & 0xff;
    digest *= G_GUINT64_CONSTANT (0x100000001b3);
  }
  return digest;
}

/* A digest of everything the table says, to see that a refused step
 * changed nothing (cheaper than comparing copies on every step). */
static guint64
table_digest (SecDcTable * table)
{
  guint64 digest = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  GList *channels = sec_dc_table_channels (table), *l;

  digest = mix (digest, sec_dc_table_count (table));
  digest = mix (digest, sec_dc_table_get_max_streams (table));
  for (l = channels; l; l = l->next) {
    SecDcChannel *c = l->data;

    digest = mix (digest, c->id);
    digest = mix (digest, c->state);
    digest = mix (digest, c->ours | c->negotiated << 1 | c->open_sent << 2
        | c->reset_in << 3 | c->reset_out << 4);
    digest = mix (digest, g_str_hash (c->params.label));
    digest = mix (digest, g_str_hash (c->params.protocol));
    digest = mix (digest, c->params.ordered);
    digest = mix (digest, c->params.reliability);
    digest = mix (digest, c->params.reliability_parameter);
    digest = mix (digest, c->params.priority);
    digest = mix (digest, c->messages_received);
    digest = mix (digest, c->bytes_received);
    digest = mix (digest, c->messages_sent);
    digest = mix (digest, c->bytes_sent);
  }
  g_list_free (channels);
  return digest;
}

static void
check_unchanged (Fuzz * fuzz, guint64 before)
{
  check (table_digest (fuzz->table) == before);
}

/* The rules that hold after every step. */
static void
check_table (Fuzz * fuzz)
{
  GList *channels = sec_dc_table_channels (fuzz->table), *l;
  guint n = 0;
  gint last = -1;

  for (l = channels; l; l = l->next, n++) {
    SecDcChannel *c = l->data;

    /* one channel per id, in id order, found by its id */
    check ((gint) c->id > last);
    last = c->id;
    check (sec_dc_stream_id_valid (c->id));
    check (sec_dc_table_lookup (fuzz->table, c->id) == c);
    /* a closed channel is gone from the table */
    check (c->state == SEC_DC_STATE_CONNECTING
        || c->state == SEC_DC_STATE_OPEN || c->state == SEC_DC_STATE_CLOSING);
    check (c->params.label != NULL && c->params.protocol != NULL);
    check (g_utf8_validate (c->params.label, -1, NULL));
    check (g_utf8_validate (c->params.protocol, -1, NULL));
    /* RFC 8832 §6: each side opens in-band channels on its parity (the
     * role changes only while the table is empty, see OP_SET_ROLE) */
    if (!c->negotiated)
      check (sec_dc_stream_id_ours (c->id, fuzz->dtls_client) == c->ours);
    if (!c->ours) {
      /* the peer's channels come from an OPEN: open from the start */
      check (!c->negotiated && !c->open_sent);
      check (c->state != SEC_DC_STATE_CONNECTING);
    }
    if (c->negotiated)
      check (!c->open_sent);
    if (c->ours && !c->negotiated && c->state == SEC_DC_STATE_OPEN)
      check (c->open_sent);
    /* once up, nothing of ours waits for the association (the caller
     * sends the OPEN of a channel opened later at once) */
    if (fuzz->up && c->state == SEC_DC_STATE_CONNECTING)
      check (c->ours && !c->negotiated && c->open_sent);
    /* both directions reset: closed and gone */
    check (!(c->reset_in && c->reset_out));
    if (c->reset_in)
      check (c->state == SEC_DC_STATE_CLOSING);
    check (c->bytes_received == 0 || c->messages_received > 0);
  }
  check (n == sec_dc_table_count (fuzz->table));
  g_list_free (channels);
}

static Before
before_of (Fuzz * fuzz, guint id)
{
  SecDcChannel *channel = sec_dc_table_lookup (fuzz->table, id);
  Before before = { channel != NULL, {0,} };

  if (channel)
    before.copy = *channel;     /* label, protocol: borrowed, not kept */
  return before;
}

static guint32
ppid_of (guint8 arg)
{
  static const guint32 ppids[] = { SEC_DC_PPID_DCEP, SEC_DC_PPID_STRING,
    SEC_DC_PPID_BINARY, SEC_DC_PPID_STRING_EMPTY, SEC_DC_PPID_BINARY_EMPTY,
    SEC_DC_PPID_BINARY_PARTIAL, SEC_DC_PPID_STRING_PARTIAL, 0
  };

  /* mostly the PPIDs of RFC 8831 §8, now and then any other */
  return arg < 240 ? ppids[arg % G_N_ELEMENTS (ppids)] : arg * 1000003u;
}

static void
do_receive (Fuzz * fuzz, guint16 stream, guint32 ppid, const guint8 * data,
    gsize size)
{
  guint64 digest = table_digest (fuzz->table);
  guint count = sec_dc_table_count (fuzz->table);
  Before before = before_of (fuzz, stream);
  GError *error = NULL;
  SecDcRx rx;

  if (!sec_dc_table_receive (fuzz->table, stream, ppid, data, size, &rx,
          &error)) {
    check_error (error);
    check (rx.reply == NULL && rx.channel == NULL);
    check_unchanged (fuzz, digest);
    return;
  }
  check (error == NULL);
  check (rx.channel != NULL && rx.channel->id == stream);
  check (sec_dc_table_lookup (fuzz->table, stream) == rx.channel);
  switch (rx.type) {
    case SEC_DC_RX_NEW_CHANNEL:{
      SecDcepType type = 0;
      gsize reply_size;
      const guint8 *reply;

      check (ppid == SEC_DC_PPID_DCEP);
      check (!before.exists);
      check (sec_dc_table_count (fuzz->table) == count + 1);
      check (stream < sec_dc_table_get_max_streams (fuzz->table));
      check (!rx.channel->ours && !rx.channel->negotiated);
      check (rx.channel->state == SEC_DC_STATE_OPEN);
      check (!rx.opened_too);
      /* RFC 8832 §6: the answer is a DATA_CHANNEL_ACK */
      check (rx.reply != NULL);
      reply = g_bytes_get_data (rx.reply, &reply_size);
      check (sec_dcep_parse (reply, reply_size, &type, NULL, NULL));
      check (type == SEC_DCEP_ACK);
      g_bytes_unref (rx.reply);
      break;
    }
    case SEC_DC_RX_NONE:
      /* a late ACK: an open channel of ours, unchanged */
      check (ppid == SEC_DC_PPID_DCEP && size == 1 && data[0] == 0x02);
      check (before.exists && before.copy.ours && before.copy.open_sent);
      check (before.copy.state != SEC_DC_STATE_CONNECTING);
      check (rx.reply == NULL && !rx.opened_too);
      check_unchanged (fuzz, digest);
      break;
    case SEC_DC_RX_OPENED:
      check (ppid == SEC_DC_PPID_DCEP && size == 1 && data[0] == 0x02);
      check (before.exists && before.copy.state == SEC_DC_STATE_CONNECTING);
      check (before.copy.ours && !before.copy.negotiated);
      check (before.copy.open_sent);
      check (rx.channel->state == SEC_DC_STATE_OPEN);
      check (rx.reply == NULL && !rx.opened_too);
      check (sec_dc_table_count (fuzz->table) == count);
      break;
    case SEC_DC_RX_MESSAGE:
      check (ppid != SEC_DC_PPID_DCEP);
      check (before.exists && !before.copy.reset_in);
      check (rx.reply == NULL);
      check (rx.size <= size);
      check ((rx.size == 0) == (ppid == SEC_DC_PPID_STRING_EMPTY
              || ppid == SEC_DC_PPID_BINARY_EMPTY));
      check (rx.binary == (ppid == SEC_DC_PPID_BINARY
              || ppid == SEC_DC_PPID_BINARY_EMPTY));
      if (ppid == SEC_DC_PPID_STRING)
        check (sec_dc_text_valid (data, size));
      check (rx.opened_too ==
          (before.copy.state == SEC_DC_STATE_CONNECTING));
      check (rx.channel->state == (before.copy.state ==
              SEC_DC_STATE_CLOSING ? SEC_DC_STATE_CLOSING :
              SEC_DC_STATE_OPEN));
      check (rx.channel->messages_received ==
          before.copy.messages_received + 1);
      check (rx.channel->bytes_received ==
          before.copy.bytes_received + rx.size);
      check (sec_dc_table_count (fuzz->table) == count);
      break;
    default:
      check (FALSE);
  }
}

/* A DATA_CHANNEL_OPEN as the peer could send it (RFC 8832 §5.1): the
 * channel type from @arg (unordered bit and reliability; 3 is unknown),
 * a reliability parameter (a reliable channel's non-zero now and then,
 * which is refused), the label and protocol the two halves of the
 * payload, whatever bytes they are. */
static void
do_receive_open (Fuzz * fuzz, guint16 stream, guint8 arg,
    const guint8 * payload, gsize size)
{
  guint8 channel_type = arg & 0x83;
  guint32 parameter = (channel_type & 0x03) == 0 ? (arg >> 2) & 1 : arg >> 3;
  gsize label_len = size / 2, protocol_len = size - label_len;
  guint8 *message = g_malloc (12 + size);

  message[0] = 0x03;
  message[1] = channel_type;
  message[2] = 0x01;            /* priority 256 */
  message[3] = 0x00;
  message[4] = parameter >> 24;
  message[5] = (parameter >> 16) & 0xff;
  message[6] = (parameter >> 8) & 0xff;
  message[7] = parameter & 0xff;
  message[8] = label_len >> 8;
  message[9] = label_len & 0xff;
  message[10] = protocol_len >> 8;
  message[11] = protocol_len & 0xff;
  if (size)
    memcpy (message + 12, payload, size);
  do_receive (fuzz, stream, SEC_DC_PPID_DCEP, message, 12 + size);
  g_free (message);
}

/* What the association does when the application opens a channel
 * (gst_sec_sctp_association_open_channel): valid parameters (the caller
 * checks them), and once up the channel's OPEN goes out at once or a
 * negotiated channel is open at once. */
static void
do_open (Fuzz * fuzz, guint16 stream, guint8 arg, const guint8 * payload,
    gsize size)
{
  gboolean negotiated = (arg & 1) != 0;
  gint id = (arg & 2) ? -1 : stream;
  guint max_streams = sec_dc_table_get_max_streams (fuzz->table);
  guint first = fuzz->dtls_client ? 0 : 1, candidate;
  gchar *label = g_utf8_make_valid ((const gchar *) payload, size);
  SecDcepOpen params = { (arg & 4) == 0, (arg >> 3) & 3, 0, arg, label,
    (arg & 0x20) ? (gchar *) "proto" : NULL
  };
  guint64 digest = table_digest (fuzz->table);
  guint count = sec_dc_table_count (fuzz->table);
  GError *error = NULL;
  SecDcChannel *channel;

  if (params.reliability == 3)
    params.reliability = SEC_DC_RELIABLE;
  if (params.reliability != SEC_DC_RELIABLE)
    params.reliability_parameter = size;
  channel = sec_dc_table_open (fuzz->table, id, negotiated, &params, &error);
  if (channel == NULL) {
    check_error (error);
    check_unchanged (fuzz, digest);
    /* no id of ours is left */
    if (id < 0 && !negotiated)
      for (candidate = first; candidate < max_streams; candidate += 2)
        check (sec_dc_table_lookup (fuzz->table, candidate) != NULL);
    g_free (label);
    return;
  }
  check (error == NULL);
  check (sec_dc_table_count (fuzz->table) == count + 1);
  check (sec_dc_table_lookup (fuzz->table, channel->id) == channel);
  check (channel->id < max_streams && sec_dc_stream_id_valid (channel->id));
  check (id < 0 || channel->id == id);
  check (channel->ours && channel->negotiated == negotiated);
  check (channel->state == SEC_DC_STATE_CONNECTING && !channel->open_sent);
  check (!channel->reset_in && !channel->reset_out);
  check (strcmp (channel->params.label, label) == 0);
  check (strcmp (channel->params.protocol, params.protocol ?
          params.protocol : "") == 0);
  check (channel->params.label != label);
  if (!negotiated)
    check (sec_dc_stream_id_ours (channel->id, fuzz->dtls_client));
  /* -1: the lowest free id of ours */
  if (id < 0)
    for (candidate = first; candidate < channel->id; candidate += 2)
      check (sec_dc_table_lookup (fuzz->table, candidate) != NULL);
  g_free (label);

  if (fuzz->up) {
    if (negotiated) {
      channel->state = SEC_DC_STATE_OPEN;
    } else {
      GBytes *open = sec_dcep_build_open (&channel->params, NULL);

      check (open != NULL);
      channel->open_sent = TRUE;
      g_bytes_unref (open);
    }
  }
}

static void
do_association_up (Fuzz * fuzz)
{
  GArray *opens = g_array_new (FALSE, FALSE, sizeof (SecDcOutgoing));
  GArray *opened = g_array_new (FALSE, FALSE, sizeof (guint16));
  GArray *want_opens = g_array_new (FALSE, FALSE, sizeof (guint16));
  GArray *want_opened = g_array_new (FALSE, FALSE, sizeof (guint16));
  GArray *closed = g_array_new (FALSE, FALSE, sizeof (guint16));
  GArray *want_closed = g_array_new (FALSE, FALSE, sizeof (guint16));
  GList *channels = sec_dc_table_channels (fuzz->table), *l;
  guint count = sec_dc_table_count (fuzz->table);
  guint64 digest;
  guint i;

  /* what it should do: our in-band channels not offered yet, and the
   * negotiated ones waiting */
  for (l = channels; l; l = l->next) {
    SecDcChannel *c = l->data;

    /* above the streams the association took: closed and gone */
    if (c->id >= sec_dc_table_get_max_streams (fuzz->table)) {
      g_array_append_val (want_closed, c->id);
      continue;
    }
    if (c->state != SEC_DC_STATE_CONNECTING)
      continue;
    if (c->negotiated)
      g_array_append_val (want_opened, c->id);
    else if (c->ours && !c->open_sent)
      g_array_append_val (want_opens, c->id);
  }
  g_list_free (channels);

  sec_dc_table_association_up (fuzz->table, opens, opened, closed);
  fuzz->up = TRUE;
  check (sec_dc_table_count (fuzz->table) == count - want_closed->len);
  check (closed->len == want_closed->len);
  for (i = 0; i < closed->len; i++) {
    guint16 id = g_array_index (closed, guint16, i);

    check (id == g_array_index (want_closed, guint16, i));
    check (sec_dc_table_lookup (fuzz->table, id) == NULL);
  }
  check (opens->len == want_opens->len);
  for (i = 0; i < opens->len; i++) {
    SecDcOutgoing *out = &g_array_index (opens, SecDcOutgoing, i);
    SecDcChannel *c = sec_dc_table_lookup (fuzz->table, out->id);
    SecDcepOpen said = { 0, };
    SecDcepType type = 0;
    gsize size;
    const guint8 *data = g_bytes_get_data (out->message, &size);

    check (out->id == g_array_index (want_opens, guint16, i));
    check (c != NULL && c->open_sent && c->state == SEC_DC_STATE_CONNECTING);
    /* the OPEN says what the application asked for */
    check (sec_dcep_parse (data, size, &type, &said, NULL));
    check (type == SEC_DCEP_OPEN);
    check (strcmp (said.label, c->params.label) == 0);
    check (strcmp (said.protocol, c->params.protocol) == 0);
    check (said.ordered == c->params.ordered);
    check (said.reliability == c->params.reliability);
    check (said.reliability_parameter == c->params.reliability_parameter);
    check (said.priority == c->params.priority);
    sec_dcep_open_clear (&said);
    g_bytes_unref (out->message);
  }
  check (opened->len == want_opened->len);
  for (i = 0; i < opened->len; i++) {
    guint16 id = g_array_index (opened, guint16, i);
    SecDcChannel *c = sec_dc_table_lookup (fuzz->table, id);

    check (id == g_array_index (want_opened, guint16, i));
    check (c != NULL && c->negotiated && c->state == SEC_DC_STATE_OPEN);
  }

  /* again: nothing new, nothing changed */
  g_array_set_size (opens, 0);
  g_array_set_size (opened, 0);
  digest = table_digest (fuzz->table);
  sec_dc_table_association_up (fuzz->table, opens, opened, NULL);
  check (opens->len == 0 && opened->len == 0);
  check_unchanged (fuzz, digest);
  g_array_unref (opens);
  g_array_unref (opened);
  g_array_unref (want_opens);
  g_array_unref (want_opened);
  g_array_unref (closed);
  g_array_unref (want_closed);
}

static void
do_close (Fuzz * fuzz, guint16 id)
{
  guint64 digest = table_digest (fuzz->table);
  guint count = sec_dc_table_count (fuzz->table);
  Before before = before_of (fuzz, id);
  gboolean closed = TRUE;

  if (sec_dc_table_close (fuzz->table, id, fuzz->up, &closed)) {
    SecDcChannel *c = sec_dc_table_lookup (fuzz->table, id);

    check (fuzz->up && !closed);
    check (before.exists && before.copy.state != SEC_DC_STATE_CLOSING);
    check (c != NULL && c->state == SEC_DC_STATE_CLOSING);
    check (sec_dc_table_count (fuzz->table) == count);
  } else if (closed) {
    check (!fuzz->up);
    check (before.exists && before.copy.state != SEC_DC_STATE_CLOSING);
    check (sec_dc_table_lookup (fuzz->table, id) == NULL);
    check (sec_dc_table_count (fuzz->table) == count - 1);
  } else {
    check (!before.exists || before.copy.state == SEC_DC_STATE_CLOSING);
    check_unchanged (fuzz, digest);
  }
}

static void
do_stream_reset (Fuzz * fuzz, guint16 id, gboolean incoming)
{
  guint64 digest = table_digest (fuzz->table);
  guint count = sec_dc_table_count (fuzz->table);
  Before before = before_of (fuzz, id);
  gboolean reset_outgoing = TRUE, closing = TRUE, closed = TRUE;

  /* SCTP reports an outgoing reset only when we asked for one: after a
   * close of ours or the peer's */
  if (!incoming && before.exists
      && before.copy.state != SEC_DC_STATE_CLOSING)
    return;
  sec_dc_table_stream_reset (fuzz->table, id, incoming, &reset_outgoing,
      &closing, &closed);
  if (!before.exists) {
    check (!reset_outgoing && !closing && !closed);
    check_unchanged (fuzz, digest);
    return;
  }
  if (incoming) {
    /* RFC 8831 §6.7: the peer closed: we reset ours too, once */
    check (reset_outgoing == (before.copy.state != SEC_DC_STATE_CLOSING));
    check (closing == reset_outgoing);
    check (closed == before.copy.reset_out);
  } else {
    check (!reset_outgoing && !closing);
    check (closed == before.copy.reset_in);
  }
  if (closed) {
    check (sec_dc_table_lookup (fuzz->table, id) == NULL);
    check (sec_dc_table_count (fuzz->table) == count - 1);
  } else {
    SecDcChannel *c = sec_dc_table_lookup (fuzz->table, id);

    check (c != NULL && c->state == SEC_DC_STATE_CLOSING);
    check (incoming ? c->reset_in : c->reset_out);
    check (sec_dc_table_count (fuzz->table) == count);
  }
}

static void
do_close_all (Fuzz * fuzz)
{
  GArray *closed = g_array_new (FALSE, FALSE, sizeof (guint16));
  GList *channels = sec_dc_table_channels (fuzz->table), *l;
  guint i = 0;

  sec_dc_table_close_all (fuzz->table, closed);
  /* every channel that was, in id order (the list's pointers are not
   * read: the channels are freed) */
  check (closed->len == g_list_length (channels));
  for (l = channels; l; l = l->next, i++) {
    guint16 id = g_array_index (closed, guint16, i);

    check (i == 0 || id > g_array_index (closed, guint16, i - 1));
    check (sec_dc_table_lookup (fuzz->table, id) == NULL);
  }
  check (sec_dc_table_count (fuzz->table) == 0);
  check (sec_dc_table_channels (fuzz->table) == NULL);
  g_list_free (channels);
  g_array_unref (closed);
  fuzz->up = FALSE;
}

static void
do_sent (Fuzz * fuzz, guint16 id, gsize size)
{
  SecDcChannel *c = sec_dc_table_lookup (fuzz->table, id);
  guint64 messages, bytes;

  if (c == NULL)
    return;
  messages = c->messages_sent;
  bytes = c->bytes_sent;
  /* RFC 8832 §6: unordered only once open */
  check (sec_dc_table_sent (fuzz->table, c, size) ==
      (c->state == SEC_DC_STATE_OPEN));
  check (c->messages_sent == messages + 1 && c->bytes_sent == bytes + size);
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  Fuzz fuzz = { NULL, FALSE, FALSE };

  if (size < 1)
    return 0;
  fuzz.dtls_client = data[0] & 1;
  fuzz.table = sec_dc_table_new (fuzz.dtls_client, max_streams_of (data[0]
          >> 1));
  check (sec_dc_table_get_max_streams (fuzz.table) ==
      MIN (max_streams_of (data[0] >> 1), 65535));
  data++;
  size--;

  while (size >= RECORD_HEADER) {
    guint8 op = data[0] % N_OPS, arg = data[3];
    guint16 stream = (guint16) ((data[1] << 8) | data[2]);
    gsize payload_size = MIN (data[4], size - RECORD_HEADER);
    const guint8 *payload = data + RECORD_HEADER;

    switch (op) {
      case OP_RECEIVE:
        do_receive (&fuzz, stream, ppid_of (arg), payload, payload_size);
        break;
      case OP_RECEIVE_OPEN:
        do_receive_open (&fuzz, stream, arg, payload, payload_size);
        break;
      case OP_RECEIVE_ACK:
        do_receive (&fuzz, stream, SEC_DC_PPID_DCEP,
            (const guint8 *) "\x02", 1);
        break;
      case OP_OPEN:
        do_open (&fuzz, stream, arg, payload, payload_size);
        break;
      case OP_ASSOCIATION_UP:
        do_association_up (&fuzz);
        break;
      case OP_CLOSE:
        do_close (&fuzz, stream);
        break;
      case OP_RESET_INCOMING:
        do_stream_reset (&fuzz, stream, TRUE);
        break;
      case OP_RESET_OUTGOING:
        do_stream_reset (&fuzz, stream, FALSE);
        break;
      case OP_CLOSE_ALL:
        do_close_all (&fuzz);
        break;
      case OP_SENT:
        do_sent (&fuzz, stream, payload_size);
        break;
      case OP_SET_MAX_STREAMS:
        sec_dc_table_set_max_streams (fuzz.table, stream);
        check (sec_dc_table_get_max_streams (fuzz.table) == stream);
        break;
      case OP_SET_ROLE:
        /* the role is known before any channel has an id */
        if (sec_dc_table_count (fuzz.table) == 0) {
          fuzz.dtls_client = arg & 1;
          sec_dc_table_set_dtls_client (fuzz.table, fuzz.dtls_client);
        }
        break;
    }
    check_table (&fuzz);
    data += RECORD_HEADER + payload_size;
    size -= RECORD_HEADER + payload_size;
  }
  sec_dc_table_free (fuzz.table);
  return 0;
}
