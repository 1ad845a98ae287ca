/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The data channels of one SCTP association (RFC 8831, RFC 8832), as a
 * table of channels by stream id and the rules that drive them: which
 * ids a side may open, what a received user message means for the
 * channel it arrives on (a DCEP OPEN makes a channel, an ACK opens ours,
 * data on a channel whose ACK has not come yet opens it too), and how a
 * channel closes (RFC 8831 §6.7: each side resets its outgoing stream;
 * the channel is closed when both are reset, and its id is free again).
 *
 * Plain C over GLib: no SCTP stack, sockets, threads or clocks. The
 * caller (gstsecsctpassociation.c) holds its lock around every call,
 * sends what a call asks it to send and tells the application what a
 * call reports. Everything that arrives from the peer is checked here
 * (fuzzed: tests/fuzz/fuzz-datachannels.c); a message that breaks a rule
 * is refused with a GError and changes nothing.
 */
#ifndef SEC_DATA_CHANNELS_H
#define SEC_DATA_CHANNELS_H

#include "dcep.h"

G_BEGIN_DECLS

typedef enum
{
  SEC_DC_STATE_CONNECTING,
  SEC_DC_STATE_OPEN,
  SEC_DC_STATE_CLOSING,
  SEC_DC_STATE_CLOSED,
} SecDcState;

typedef struct
{
  guint16 id;                   /* the SCTP stream id, both directions */
  SecDcepOpen params;           /* ordered, reliability, label, protocol */
  gboolean negotiated;          /* agreed out of band: no DCEP */
  gboolean ours;                /* opened by this side */
  SecDcState state;
  gboolean open_sent;           /* our DATA_CHANNEL_OPEN went out */
  gboolean reset_out;           /* our outgoing stream was reset */
  gboolean reset_in;            /* the peer's outgoing stream was reset */
  guint64 messages_sent, messages_received;
  guint64 bytes_sent, bytes_received;
  /* what the caller keeps per channel: bytes given to send but not yet
   * taken by SCTP, and the application's low-water mark for them */
  guint64 buffered_amount;
  guint64 buffered_amount_low_threshold;
} SecDcChannel;

typedef struct _SecDcTable SecDcTable;

/* A table for an association with @max_streams streams each way (ids
 * 0 .. max_streams - 1); @dtls_client decides which ids this side opens
 * (RFC 8832 §6). */
SecDcTable *sec_dc_table_new (gboolean dtls_client, guint max_streams);
void sec_dc_table_free (SecDcTable * table);
/* The role is known only once the DTLS role is (an SDP answer). */
void sec_dc_table_set_dtls_client (SecDcTable * table, gboolean dtls_client);
/* The streams the association agreed on (the smaller of the two sides'
 * counts); ids above it cannot be used. */
void sec_dc_table_set_max_streams (SecDcTable * table, guint max_streams);
guint sec_dc_table_get_max_streams (SecDcTable * table);

SecDcChannel *sec_dc_table_lookup (SecDcTable * table, guint id);
/* Every channel, in id order (the list is the caller's, the channels
 * the table's). */
GList *sec_dc_table_channels (SecDcTable * table);
guint sec_dc_table_count (SecDcTable * table);

/* Opens a channel of ours: @id -1 picks the lowest free id of our
 * parity (in-band only); otherwise the id must be valid, below
 * max_streams, free, and for an in-band channel of our parity (a
 * negotiated channel may take any id, since both sides create it).
 * @params is copied; its label and protocol must be UTF-8 of at most
 * 65535 bytes and its reliability one of RFC 8832's. Returns the channel, in state connecting, or NULL
 * with SEC_DCEP_ERROR_INVALID saying why. */
SecDcChannel *sec_dc_table_open (SecDcTable * table, gint id,
    gboolean negotiated, const SecDcepOpen * params, GError ** error);

/* What a received user message meant. */
typedef enum
{
  SEC_DC_RX_NONE,               /* nothing to tell (a late ACK) */
  SEC_DC_RX_NEW_CHANNEL,        /* a DATA_CHANNEL_OPEN: a channel, open */
  SEC_DC_RX_OPENED,             /* the ACK of our DATA_CHANNEL_OPEN */
  SEC_DC_RX_MESSAGE,            /* a message for the application */
} SecDcRxType;

typedef struct
{
  SecDcRxType type;
  SecDcChannel *channel;        /* the table's */
  gboolean binary;              /* SEC_DC_RX_MESSAGE: its type and size */
  gsize size;                   /* 0 for an empty message */
  /* a message that came before the ACK of our OPEN opened the channel
   * as well (RFC 8832 §6) */
  gboolean opened_too;
  /* a DCEP message to send on the channel's stream with PPID 50,
   * reliable and ordered (the caller unrefs it) */
  GBytes *reply;
} SecDcRx;

/* A complete user message that arrived on @stream with @ppid. TRUE with
 * @rx filled in; FALSE with an error for a message that breaks a rule
 * (a malformed DCEP message or user message, an OPEN on an id in use or
 * of our parity, an ACK for no channel of ours waiting for one, data on
 * a stream with no channel or a closed one). */
gboolean sec_dc_table_receive (SecDcTable * table, guint16 stream,
    guint32 ppid, const guint8 * data, gsize size, SecDcRx * rx,
    GError ** error);

/* The association came up: the DCEP OPEN of each in-band channel of
 * ours not sent yet (@opens: SecDcOutgoing, the caller's), and every
 * negotiated channel connecting is open now (@opened: their ids).
 * Channels at or above max_streams (set just before from what the two
 * ends agreed) cannot exist: they are closed and gone (@closed, may be
 * NULL). */
typedef struct
{
  guint16 id;
  GBytes *message;
} SecDcOutgoing;

void sec_dc_table_association_up (SecDcTable * table, GArray * opens,
    GArray * opened, GArray * closed);

/* A message of ours is about to be sent on @channel: counts it. In-band
 * channels of ours send ordered until they are open (RFC 8832 §6), so
 * the call says whether this one may go unordered. */
gboolean sec_dc_table_sent (SecDcTable * table, SecDcChannel * channel,
    gsize size);

/* The application closes @id. TRUE when the caller resets the outgoing
 * stream now (the channel goes closing); FALSE when nothing is left to
 * do on the wire (no such channel or already closing), with @closed
 * TRUE when the channel closed at once (the association was never up,
 * so nothing of it reached the peer) and is gone from the table. */
gboolean sec_dc_table_close (SecDcTable * table, guint id, gboolean up,
    gboolean * closed);

/* An SCTP stream reset of @id completed: the peer's outgoing stream
 * (@incoming) or ours. Sets @reset_outgoing when the caller must now
 * reset ours too (the peer closed: RFC 8831 §6.7), @closing when the
 * channel just began to close (the peer began it), and @closed when
 * both directions are reset: the channel is gone from the table. */
void sec_dc_table_stream_reset (SecDcTable * table, guint id,
    gboolean incoming, gboolean * reset_outgoing, gboolean * closing,
    gboolean * closed);

/* The association ended: every channel closed (their ids in @closed,
 * in id order), the table empty. */
void sec_dc_table_close_all (SecDcTable * table, GArray * closed);

const gchar *sec_dc_state_name (SecDcState state);

G_END_DECLS

#endif /* SEC_DATA_CHANNELS_H */
