/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One SCTP association over DTLS (RFC 8261), shared by the secsctpenc
 * and the secsctpdec of the same `association-id`, and the data channels
 * on it (datachannels.c). usrsctp runs once per process (AF_CONN: it
 * has no sockets of its own on the network, only its timer thread);
 * each association is known to it by a number looked up in a table,
 * never by a pointer, so a late usrsctp callback finds nothing rather
 * than freed memory.
 *
 * Threads: usrsctp calls us back (packets to send, socket events) from
 * its timer thread and from whichever thread fed it, with its own locks
 * held, so those callbacks only queue. A thread of ours that called
 * usrsctp (a received packet, a message sent, a channel opened or
 * closed) then reads the socket and pushes the SCTP packets on
 * secsctpenc's src pad itself, one pusher at a time; the association's
 * worker thread does so for what usrsctp's timer made (and for the first
 * packet, the INIT, which secdtlsenc holds until its handshake is done),
 * and emits every signal of the elements, in order, with no lock held.
 */
#ifndef GST_SEC_SCTP_ASSOCIATION_H
#define GST_SEC_SCTP_ASSOCIATION_H

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _GstSecSctpAssociation GstSecSctpAssociation;

typedef enum
{
  GST_SEC_SCTP_STATE_NEW,
  GST_SEC_SCTP_STATE_CONNECTING,
  GST_SEC_SCTP_STATE_CONNECTED,
  GST_SEC_SCTP_STATE_CLOSED,
} GstSecSctpState;

#define GST_TYPE_SEC_SCTP_STATE (gst_sec_sctp_state_get_type ())
GType gst_sec_sctp_state_get_type (void);

/* What secsctpenc configures before it starts the association. */
typedef struct
{
  gboolean is_client;           /* the DTLS role: even or odd stream ids */
  guint local_port;             /* RFC 8841 a=sctp-port, 5000 */
  guint remote_port;
  /* the peer's a=max-message-size (0: no limit but ours) and ours */
  guint64 remote_max_message_size;
  guint64 max_message_size;
  guint max_streams;            /* each way, offered in INIT */
} GstSecSctpConfig;

/* The association named @id, made on first use (a reference). */
G_GNUC_INTERNAL
GstSecSctpAssociation *gst_sec_sctp_association_get (const gchar * id);
G_GNUC_INTERNAL
GstSecSctpAssociation *gst_sec_sctp_association_ref (GstSecSctpAssociation *
    assoc);
G_GNUC_INTERNAL
void gst_sec_sctp_association_unref (GstSecSctpAssociation * assoc);

/* The elements: weak references, for signals and the output pad. */
G_GNUC_INTERNAL
void gst_sec_sctp_association_set_encoder (GstSecSctpAssociation * assoc,
    GstElement * enc, GstPad * srcpad);
G_GNUC_INTERNAL
void gst_sec_sctp_association_set_decoder (GstSecSctpAssociation * assoc,
    GstElement * dec);

/* secsctpenc's READY -> PAUSED: the usrsctp socket, its worker thread,
 * the INIT (both ends connect: an SCTP simultaneous open). */
G_GNUC_INTERNAL
gboolean gst_sec_sctp_association_start (GstSecSctpAssociation * assoc,
    const GstSecSctpConfig * config, GError ** error);
/* secsctpenc's PAUSED -> READY: the socket closed (ABORT), every channel
 * closed, the worker joined. */
G_GNUC_INTERNAL
void gst_sec_sctp_association_stop (GstSecSctpAssociation * assoc);

/* Settings that may change while it runs (the bin learns them late). */
G_GNUC_INTERNAL
void gst_sec_sctp_association_set_is_client (GstSecSctpAssociation * assoc,
    gboolean is_client);
G_GNUC_INTERNAL
void gst_sec_sctp_association_set_remote_max_message_size
    (GstSecSctpAssociation * assoc, guint64 size);

/* secsctpdec: an SCTP packet from DTLS; the DTLS stream ended (the peer
 * sent close_notify). */
G_GNUC_INTERNAL
void gst_sec_sctp_association_input (GstSecSctpAssociation * assoc,
    const guint8 * data, gsize size);
G_GNUC_INTERNAL
void gst_sec_sctp_association_peer_gone (GstSecSctpAssociation * assoc);

/* The channel API (secsctpenc's action signals). open: the stream id,
 * or -1 with @error. send: FALSE with @error (not open, too large,
 * closed). */
G_GNUC_INTERNAL
gint gst_sec_sctp_association_open_channel (GstSecSctpAssociation * assoc,
    const gchar * label, const GstStructure * options, GError ** error);
G_GNUC_INTERNAL
gboolean gst_sec_sctp_association_send (GstSecSctpAssociation * assoc,
    guint id, gboolean binary, GBytes * data, GError ** error);
G_GNUC_INTERNAL
void gst_sec_sctp_association_close_channel (GstSecSctpAssociation * assoc,
    guint id);
G_GNUC_INTERNAL
guint64 gst_sec_sctp_association_get_buffered_amount
    (GstSecSctpAssociation * assoc, guint id);
G_GNUC_INTERNAL
void gst_sec_sctp_association_set_buffered_amount_low_threshold
    (GstSecSctpAssociation * assoc, guint id, guint64 threshold);

G_GNUC_INTERNAL
GstSecSctpState gst_sec_sctp_association_get_state (GstSecSctpAssociation *
    assoc);
/* The elements' read-only `state` (@stats FALSE) or `stats` property of
 * @assoc, which may be NULL (not started: new, no stats). */
G_GNUC_INTERNAL
void gst_sec_sctp_association_get_value (GstSecSctpAssociation * assoc,
    gboolean stats, GValue * value);
G_GNUC_INTERNAL
GstStructure *gst_sec_sctp_association_get_stats (GstSecSctpAssociation *
    assoc);

G_END_DECLS

#endif /* GST_SEC_SCTP_ASSOCIATION_H */
