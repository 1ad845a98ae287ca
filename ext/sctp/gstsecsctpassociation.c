/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An SCTP association over DTLS on usrsctp, and its data channels: see
 * gstsecsctpassociation.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecsctpassociation.h"
#include "crc32c.h"
#include "datachannels.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>
#include <usrsctp.h>

GST_DEBUG_CATEGORY_STATIC (gst_sec_sctp_association_debug);
#define GST_CAT_DEFAULT gst_sec_sctp_association_debug

/* Buffers of the usrsctp socket. The send buffer bounds what a sender
 * has queued in SCTP (bufferedAmount counts only what waits for it), so
 * it is also the largest message we send; the receive buffer is the
 * window the peer may fill. */
#define SEND_BUFFER (1024 * 1024)
#define RECEIVE_BUFFER (1024 * 1024)
/* RFC 8261 §5: the SCTP packet fits a DTLS record in a 1200-byte path */
#define SCTP_PATH_MTU 1200
#define READ_CHUNK (64 * 1024)

GType
gst_sec_sctp_state_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_SEC_SCTP_STATE_NEW, "Not started", "new"},
    {GST_SEC_SCTP_STATE_CONNECTING, "INIT sent, waiting for the peer",
        "connecting"},
    {GST_SEC_SCTP_STATE_CONNECTED, "Association up", "connected"},
    {GST_SEC_SCTP_STATE_CLOSED, "Ended (stopped, shut down or lost)",
        "closed"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSecSctpState", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/* What the worker tells the elements after dropping the lock. */
typedef enum
{
  EVENT_CHANNEL,                /* the peer opened a channel */
  EVENT_OPEN,
  EVENT_MESSAGE,
  EVENT_CLOSING,
  EVENT_CLOSE,
  EVENT_BUFFERED_AMOUNT_LOW,
  EVENT_ERROR,                  /* a send that failed after it was queued */
  EVENT_STATE,
} EventType;

typedef struct
{
  EventType type;
  guint id;
  gboolean binary;
  GBytes *data;
  GstStructure *info;
  GError *error;
} Event;

/* An entry of the send queue: a message, a DCEP message or a stream
 * reset, in the order they were asked for. */
typedef struct
{
  guint id;
  guint32 ppid;
  gboolean reset;
  gboolean dcep;
  gsize size;                   /* the message's size for bufferedAmount */
  GBytes *payload;
} Outgoing;

struct _GstSecSctpAssociation
{
  gint refcount;
  gchar *name;

  /* protected by lock: the socket, the channels, the send queue, the
   * configuration and the counters; usrsctp may be called with it held
   * (its callbacks never take it) */
  GMutex lock;
  GstSecSctpConfig config;
  guint number;                 /* usrsctp's address; 0 when not started */
  struct socket *sock;
  GstSecSctpState state;
  gboolean started;
  SecDcTable *table;
  GQueue send_queue;            /* Outgoing */
  GArray *pending_resets;       /* ids whose reset usrsctp refused for now */
  GByteArray *partial;          /* a message delivered in pieces */
  guint16 partial_stream;
  gboolean partial_overflow;
  guint8 *read_buffer;
  guint64 packets_sent, packets_received, bytes_sent, bytes_received;
  guint64 messages_refused, messages_abandoned, messages_too_large;
  gchar *closed_reason;

  /* protected by wake_lock (taken in usrsctp's callbacks, never held
   * while calling anything but the worker's wake): what is left to do */
  GMutex wake_lock;
  GCond wake_cond;
  GQueue packets;               /* GstBuffer, for the src pad */
  GQueue deferred;              /* Event, for the worker to emit, in order */
  gboolean socket_event;        /* something to read or room to write */
  gboolean pushing;             /* a thread is pushing packets */
  gboolean emitting;            /* a thread is emitting events */
  gboolean stopping;
  GThread *worker;

  GWeakRef enc, dec;
  GstPad *srcpad;               /* protected by lock */
};

/* --- the process's usrsctp and the association table ------------------- */

/* The association this thread is calling usrsctp for: a received
 * packet (input ()), a message, a channel opened or closed, or the
 * worker's own calls (its thread has its association here for good).
 * usrsctp's callbacks on such a thread only note what the call made; the
 * thread handles it itself when usrsctp returns (after_call ()): it
 * reads the socket, hands SCTP more of the send queue and pushes the
 * packets, with no hop through the worker. Only callbacks on other
 * threads (usrsctp's timer: retransmissions, delayed SACKs) wake the
 * worker. Before, every received packet woke it, and so did every
 * message sent from an application thread: two thread hops on each
 * message's way, and a context switch per packet under load. */
static GPrivate input_assoc = G_PRIVATE_INIT (NULL);

static GMutex registry_lock;
static GHashTable *by_name;     /* name -> association (not a ref) */
static GHashTable *by_number;   /* number -> association (not a ref) */
static guint next_number = 1;

static void event_free (gpointer data);
static int conn_output (void *addr, void *buffer, size_t length, uint8_t tos,
    uint8_t set_df);

static void
usrsctp_once (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (gst_sec_sctp_association_debug, "secsctp", 0,
        "SCTP associations and data channels");
    /* port 0: no UDP encapsulation socket; AF_CONN only */
    usrsctp_init (0, conn_output, NULL);
    /* CRC32c: usrsctp neither writes nor checks it. What secsctpdec
     * receives came out of an authenticated DTLS record (RFC 8261: SCTP
     * runs only over DTLS here), which a changed bit does not pass, so
     * SCTP's checksum adds nothing on input (RFC 9653 §1 says as much);
     * conn_output () writes it into what we send, since peers check it,
     * with the processor's crc32 instruction where there is one
     * (crc32c.h): 3.8 % of the datachannel benchmark's CPU before. */
    usrsctp_enable_crc32c_offload ();
    /* RFC 8831 §6.2: partial reliability and stream reset; no ECN (the
     * DTLS layer hides the IP header) */
    usrsctp_sysctl_set_sctp_ecn_enable (0);
    usrsctp_sysctl_set_sctp_pr_enable (1);
    usrsctp_sysctl_set_sctp_reconfig_enable (1);
    /* WebRTC peers come and go: start fast, give up in seconds, not
     * minutes (the DTLS and ICE layers below say when a peer is gone) */
    usrsctp_sysctl_set_sctp_rto_initial_default (1000);
    usrsctp_sysctl_set_sctp_rto_min_default (100);
    usrsctp_sysctl_set_sctp_rto_max_default (10000);
    usrsctp_sysctl_set_sctp_init_rto_max_default (10000);
    usrsctp_sysctl_set_sctp_delayed_sack_time_default (20);
    usrsctp_sysctl_set_sctp_sendspace (SEND_BUFFER);
    usrsctp_sysctl_set_sctp_recvspace (RECEIVE_BUFFER);
    by_name = g_hash_table_new (g_str_hash, g_str_equal);
    by_number = g_hash_table_new (NULL, NULL);
    g_once_init_leave (&done, 1);
  }
}

static GstSecSctpAssociation *
ref_by_number (guint number)
{
  GstSecSctpAssociation *assoc;

  g_mutex_lock (&registry_lock);
  assoc = g_hash_table_lookup (by_number, GUINT_TO_POINTER (number));
  if (assoc)
    g_atomic_int_inc (&assoc->refcount);
  g_mutex_unlock (&registry_lock);
  return assoc;
}

GstSecSctpAssociation *
gst_sec_sctp_association_get (const gchar * name)
{
  GstSecSctpAssociation *assoc;

  usrsctp_once ();
  g_mutex_lock (&registry_lock);
  assoc = g_hash_table_lookup (by_name, name);
  if (assoc) {
    g_atomic_int_inc (&assoc->refcount);
    g_mutex_unlock (&registry_lock);
    return assoc;
  }
  assoc = g_new0 (GstSecSctpAssociation, 1);
  assoc->refcount = 1;
  assoc->name = g_strdup (name);
  g_mutex_init (&assoc->lock);
  g_mutex_init (&assoc->wake_lock);
  g_cond_init (&assoc->wake_cond);
  g_queue_init (&assoc->send_queue);
  g_queue_init (&assoc->packets);
  g_queue_init (&assoc->deferred);
  g_weak_ref_init (&assoc->enc, NULL);
  g_weak_ref_init (&assoc->dec, NULL);
  assoc->pending_resets = g_array_new (FALSE, FALSE, sizeof (guint16));
  assoc->partial = g_byte_array_new ();
  assoc->state = GST_SEC_SCTP_STATE_NEW;
  g_hash_table_insert (by_name, assoc->name, assoc);
  g_mutex_unlock (&registry_lock);
  return assoc;
}

GstSecSctpAssociation *
gst_sec_sctp_association_ref (GstSecSctpAssociation * assoc)
{
  g_atomic_int_inc (&assoc->refcount);
  return assoc;
}

static void
outgoing_free (gpointer data)
{
  Outgoing *out = data;

  if (out->payload)
    g_bytes_unref (out->payload);
  g_free (out);
}

void
gst_sec_sctp_association_unref (GstSecSctpAssociation * assoc)
{
  g_mutex_lock (&registry_lock);
  if (!g_atomic_int_dec_and_test (&assoc->refcount)) {
    g_mutex_unlock (&registry_lock);
    return;
  }
  if (g_hash_table_lookup (by_name, assoc->name) == assoc)
    g_hash_table_remove (by_name, assoc->name);
  g_mutex_unlock (&registry_lock);

  /* the elements stop it before they let go */
  g_warn_if_fail (assoc->sock == NULL && assoc->worker == NULL);
  sec_dc_table_free (assoc->table);
  g_queue_clear_full (&assoc->send_queue, outgoing_free);
  g_queue_clear_full (&assoc->packets, (GDestroyNotify) gst_buffer_unref);
  g_queue_clear_full (&assoc->deferred, event_free);
  g_array_unref (assoc->pending_resets);
  g_byte_array_unref (assoc->partial);
  g_free (assoc->read_buffer);
  g_free (assoc->closed_reason);
  g_weak_ref_clear (&assoc->enc);
  g_weak_ref_clear (&assoc->dec);
  gst_clear_object (&assoc->srcpad);
  g_mutex_clear (&assoc->lock);
  g_mutex_clear (&assoc->wake_lock);
  g_cond_clear (&assoc->wake_cond);
  g_free (assoc->name);
  g_free (assoc);
}

void
gst_sec_sctp_association_set_encoder (GstSecSctpAssociation * assoc,
    GstElement * enc, GstPad * srcpad)
{
  g_weak_ref_set (&assoc->enc, enc);
  g_mutex_lock (&assoc->lock);
  gst_object_replace ((GstObject **) & assoc->srcpad, (GstObject *) srcpad);
  g_mutex_unlock (&assoc->lock);
}

void
gst_sec_sctp_association_set_decoder (GstSecSctpAssociation * assoc,
    GstElement * dec)
{
  g_weak_ref_set (&assoc->dec, dec);
}

/* --- usrsctp callbacks: queue and wake, nothing else -------------------- */

static void
wake (GstSecSctpAssociation * assoc)
{
  g_mutex_lock (&assoc->wake_lock);
  assoc->socket_event = TRUE;
  if (g_private_get (&input_assoc) != assoc)
    g_cond_signal (&assoc->wake_cond);
  g_mutex_unlock (&assoc->wake_lock);
}

/* Every event is queued, in the order things happened (lock held: what
 * one thread read from the socket cannot overtake what another read
 * before it), for the worker to emit in that order, so that the
 * elements' signals come from one thread: a slow handler holds up
 * neither the thread that receives the transport's packets (its media
 * too, under BUNDLE) nor an application's call. (Emitting on the
 * receiving thread instead saved about 6 us of a 130 us round trip in
 * the datachannel benchmark: not worth that.) */
static void
defer_events_locked (GstSecSctpAssociation * assoc, GQueue * events)
{
  Event *event;

  if (g_queue_is_empty (events))
    return;
  g_mutex_lock (&assoc->wake_lock);
  while ((event = g_queue_pop_head (events)))
    g_queue_push_tail (&assoc->deferred, event);
  g_cond_signal (&assoc->wake_cond);
  g_mutex_unlock (&assoc->wake_lock);
}

/* Any thread, usrsctp's locks held: an SCTP packet for the peer. */
static int
conn_output (void *addr, void *buffer, size_t length, uint8_t tos,
    uint8_t set_df)
{
  GstSecSctpAssociation *assoc;
  GstBuffer *packet;
  guint8 *data;

  (void) tos;
  (void) set_df;
  if (length < 12)
    return 0;                   /* not an SCTP packet: never happens */
  assoc = ref_by_number (GPOINTER_TO_UINT (addr));
  if (assoc == NULL)
    return 0;                   /* stopped meanwhile: nobody to send to */
  data = g_memdup2 (buffer, length);
  sec_sctp_packet_set_checksum (data, length);
  packet = gst_buffer_new_wrapped (data, length);
  g_mutex_lock (&assoc->wake_lock);
  if (!assoc->stopping) {
    g_queue_push_tail (&assoc->packets, packet);
    packet = NULL;
    /* else the calling thread pushes it when usrsctp returns */
    if (g_private_get (&input_assoc) != assoc)
      g_cond_signal (&assoc->wake_cond);
  }
  g_mutex_unlock (&assoc->wake_lock);
  if (packet)
    gst_buffer_unref (packet);
  gst_sec_sctp_association_unref (assoc);
  return 0;
}

/* Any thread, usrsctp's locks held: the socket became readable or
 * writable (or both, or neither: the worker finds out). */
static void
socket_upcall (struct socket *sock, void *arg, int flags)
{
  GstSecSctpAssociation *assoc = ref_by_number (GPOINTER_TO_UINT (arg));

  (void) sock;
  (void) flags;
  if (assoc == NULL)
    return;
  wake (assoc);
  gst_sec_sctp_association_unref (assoc);
}

/* --- events ------------------------------------------------------------- */

static void
event_free (gpointer data)
{
  Event *event = data;

  if (event->data)
    g_bytes_unref (event->data);
  if (event->info)
    gst_structure_free (event->info);
  g_clear_error (&event->error);
  g_free (event);
}

static Event *
queue_event (GQueue * events, EventType type, guint id)
{
  Event *event = g_new0 (Event, 1);

  event->type = type;
  event->id = id;
  g_queue_push_tail (events, event);
  return event;
}

static GstStructure *
channel_info (const SecDcChannel * channel)
{
  GstStructure *info = gst_structure_new ("application/x-sec-data-channel",
      "id", G_TYPE_UINT, (guint) channel->id,
      "label", G_TYPE_STRING, channel->params.label,
      "protocol", G_TYPE_STRING, channel->params.protocol,
      "ordered", G_TYPE_BOOLEAN, channel->params.ordered,
      "negotiated", G_TYPE_BOOLEAN, channel->negotiated,
      "priority", G_TYPE_UINT, (guint) channel->params.priority, NULL);

  if (channel->params.reliability == SEC_DC_PARTIAL_RELIABLE_REXMIT)
    gst_structure_set (info, "max-retransmits", G_TYPE_INT,
        (gint) MIN (channel->params.reliability_parameter, G_MAXINT), NULL);
  else if (channel->params.reliability == SEC_DC_PARTIAL_RELIABLE_TIMED)
    gst_structure_set (info, "max-packet-lifetime", G_TYPE_INT,
        (gint) MIN (channel->params.reliability_parameter, G_MAXINT), NULL);
  return info;
}

static Event *
set_state_locked (GstSecSctpAssociation * assoc, GstSecSctpState state,
    GQueue * events)
{
  if (assoc->state == state)
    return NULL;
  GST_INFO ("association %s: %s", assoc->name,
      g_enum_get_value (g_type_class_peek (GST_TYPE_SEC_SCTP_STATE),
          state)->value_nick);
  assoc->state = state;
  return queue_event (events, EVENT_STATE, 0);
}

/* Every lock released: the signals and messages, in order. */
static void
emit_events (GstSecSctpAssociation * assoc, GQueue * events)
{
  GstElement *enc, *dec;
  Event *event;

  if (g_queue_is_empty (events))
    return;
  enc = g_weak_ref_get (&assoc->enc);
  dec = g_weak_ref_get (&assoc->dec);
  while ((event = g_queue_pop_head (events))) {
    switch (event->type) {
      case EVENT_CHANNEL:
        if (dec)
          g_signal_emit_by_name (dec, "on-channel", event->id, event->info);
        break;
      case EVENT_OPEN:
        if (dec)
          g_signal_emit_by_name (dec, "on-open", event->id);
        break;
      case EVENT_MESSAGE:
        if (dec)
          g_signal_emit_by_name (dec, "on-message", event->id,
              event->binary, event->data);
        break;
      case EVENT_CLOSING:
        if (dec)
          g_signal_emit_by_name (dec, "on-closing", event->id);
        break;
      case EVENT_CLOSE:
        if (dec)
          g_signal_emit_by_name (dec, "on-close", event->id);
        break;
      case EVENT_BUFFERED_AMOUNT_LOW:
        if (enc)
          g_signal_emit_by_name (enc, "on-buffered-amount-low", event->id);
        break;
      case EVENT_ERROR:
        if (enc)
          g_signal_emit_by_name (enc, "on-error", event->id, event->error);
        break;
      case EVENT_STATE:
        if (enc)
          g_object_notify (G_OBJECT (enc), "state");
        if (dec)
          g_object_notify (G_OBJECT (dec), "state");
        if (dec && event->info) {
          gst_element_post_message (dec,
              gst_message_new_element (GST_OBJECT (dec), event->info));
          event->info = NULL;
        }
        break;
    }
    event_free (event);
  }
  if (enc)
    gst_object_unref (enc);
  if (dec)
    gst_object_unref (dec);
}

/* --- sending ------------------------------------------------------------ */

static gboolean
reset_stream_locked (GstSecSctpAssociation * assoc, guint16 id)
{
  guint8 storage[sizeof (struct sctp_reset_streams) + sizeof (guint16)];
  struct sctp_reset_streams *srs = (struct sctp_reset_streams *) storage;

  memset (storage, 0, sizeof (storage));
  srs->srs_flags = SCTP_STREAM_RESET_OUTGOING;
  srs->srs_number_streams = 1;
  srs->srs_stream_list[0] = id;
  if (usrsctp_setsockopt (assoc->sock, IPPROTO_SCTP, SCTP_RESET_STREAMS, srs,
          (socklen_t) sizeof (storage)) < 0) {
    GST_DEBUG ("association %s: reset of stream %u deferred (%s)",
        assoc->name, id, g_strerror (errno));
    g_array_append_val (assoc->pending_resets, id);
    return FALSE;
  }
  GST_DEBUG ("association %s: outgoing stream %u reset", assoc->name, id);
  return TRUE;
}

static void
retry_resets_locked (GstSecSctpAssociation * assoc)
{
  GArray *pending = assoc->pending_resets;
  guint i;

  if (pending->len == 0)
    return;
  assoc->pending_resets = g_array_new (FALSE, FALSE, sizeof (guint16));
  for (i = 0; i < pending->len; i++)
    reset_stream_locked (assoc, g_array_index (pending, guint16, i));
  g_array_unref (pending);
}

static void
buffered_amount_taken (SecDcChannel * channel, gsize size, GQueue * events)
{
  guint64 before = channel->buffered_amount;

  channel->buffered_amount -= MIN (size, channel->buffered_amount);
  if (before > channel->buffered_amount_low_threshold
      && channel->buffered_amount <= channel->buffered_amount_low_threshold)
    queue_event (events, EVENT_BUFFERED_AMOUNT_LOW, channel->id);
}

/* Hands the send queue to usrsctp, in order, until its buffer is full. */
static void
flush_locked (GstSecSctpAssociation * assoc, GQueue * events)
{
  Outgoing *out;

  if (assoc->state != GST_SEC_SCTP_STATE_CONNECTED || assoc->sock == NULL)
    return;
  while ((out = g_queue_peek_head (&assoc->send_queue))) {
    SecDcChannel *channel = sec_dc_table_lookup (assoc->table, out->id);
    struct sctp_sendv_spa spa;
    gsize size;
    const guint8 *payload;
    ssize_t sent;

    if (out->reset) {
      g_queue_pop_head (&assoc->send_queue);
      reset_stream_locked (assoc, (guint16) out->id);
      outgoing_free (out);
      continue;
    }
    if (channel == NULL || channel->reset_out) {
      /* closed meanwhile: what it had queued goes nowhere */
      g_queue_pop_head (&assoc->send_queue);
      outgoing_free (out);
      continue;
    }
    memset (&spa, 0, sizeof (spa));
    spa.sendv_sndinfo.snd_sid = (guint16) out->id;
    spa.sendv_sndinfo.snd_ppid = htonl (out->ppid);
    spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
    /* DCEP messages and, until the channel is open, its first messages
     * go reliable and ordered (RFC 8832 §6) */
    if (!out->dcep && channel->state == SEC_DC_STATE_OPEN) {
      if (!channel->params.ordered)
        spa.sendv_sndinfo.snd_flags |= SCTP_UNORDERED;
      if (channel->params.reliability == SEC_DC_PARTIAL_RELIABLE_REXMIT) {
        spa.sendv_prinfo.pr_policy = SCTP_PR_SCTP_RTX;
        spa.sendv_prinfo.pr_value = channel->params.reliability_parameter;
        spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
      } else if (channel->params.reliability ==
          SEC_DC_PARTIAL_RELIABLE_TIMED) {
        spa.sendv_prinfo.pr_policy = SCTP_PR_SCTP_TTL;
        spa.sendv_prinfo.pr_value = channel->params.reliability_parameter;
        spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
      }
    }
    payload = g_bytes_get_data (out->payload, &size);
    sent = usrsctp_sendv (assoc->sock, payload, size, NULL, 0, &spa,
        (socklen_t) sizeof (spa), SCTP_SENDV_SPA, 0);
    if (sent < 0 && (errno == EWOULDBLOCK || errno == EAGAIN))
      break;                    /* the worker comes back when there is room */
    g_queue_pop_head (&assoc->send_queue);
    if (sent < 0) {
      Event *event = queue_event (events, EVENT_ERROR, out->id);

      event->error = g_error_new (GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_WRITE, "SCTP refused a message of %"
          G_GSIZE_FORMAT " bytes on channel '%s': %s", out->size,
          channel->params.label, g_strerror (errno));
    } else if (!out->dcep) {
      sec_dc_table_sent (assoc->table, channel, out->size);
    }
    if (!out->dcep)
      buffered_amount_taken (channel, out->size, events);
    outgoing_free (out);
  }
}

static void
enqueue_locked (GstSecSctpAssociation * assoc, guint id, guint32 ppid,
    gboolean dcep, gsize size, GBytes * payload)
{
  Outgoing *out = g_new0 (Outgoing, 1);

  out->id = id;
  out->ppid = ppid;
  out->dcep = dcep;
  out->size = size;
  out->payload = payload;
  g_queue_push_tail (&assoc->send_queue, out);
}

/* --- receiving ---------------------------------------------------------- */

static void
association_up_locked (GstSecSctpAssociation * assoc,
    const struct sctp_assoc_change *change, GQueue * events)
{
  GArray *opens = g_array_new (FALSE, FALSE, sizeof (SecDcOutgoing));
  GArray *opened = g_array_new (FALSE, FALSE, sizeof (guint16));
  GArray *closed = g_array_new (FALSE, FALSE, sizeof (guint16));
  guint streams = MIN (change->sac_outbound_streams,
      change->sac_inbound_streams);
  Event *event;
  guint i;

  sec_dc_table_set_max_streams (assoc->table, streams);
  event = set_state_locked (assoc, GST_SEC_SCTP_STATE_CONNECTED, events);
  if (event)
    event->info = gst_structure_new ("sctp-connected",
      "association-id", G_TYPE_STRING, assoc->name,
      "local-port", G_TYPE_UINT, assoc->config.local_port,
      "remote-port", G_TYPE_UINT, assoc->config.remote_port,
      "streams", G_TYPE_UINT, streams,
      "max-message-size", G_TYPE_UINT64, assoc->config.max_message_size,
      "remote-max-message-size", G_TYPE_UINT64,
      assoc->config.remote_max_message_size, NULL);

  sec_dc_table_association_up (assoc->table, opens, opened, closed);
  for (i = 0; i < opens->len; i++) {
    SecDcOutgoing *out = &g_array_index (opens, SecDcOutgoing, i);

    enqueue_locked (assoc, out->id, SEC_DC_PPID_DCEP, TRUE, 0, out->message);
  }
  for (i = 0; i < opened->len; i++)
    queue_event (events, EVENT_OPEN, g_array_index (opened, guint16, i));
  for (i = 0; i < closed->len; i++) {
    GST_WARNING ("association %s: channel %u closed: the peer took only %u "
        "streams", assoc->name, g_array_index (closed, guint16, i), streams);
    queue_event (events, EVENT_CLOSE, g_array_index (closed, guint16, i));
  }
  g_array_unref (opens);
  g_array_unref (opened);
  g_array_unref (closed);
}

static void
association_down_locked (GstSecSctpAssociation * assoc, const gchar * reason,
    GQueue * events)
{
  GArray *closed;
  Event *event;
  guint i;

  if (assoc->state == GST_SEC_SCTP_STATE_CLOSED)
    return;
  closed = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_free (assoc->closed_reason);
  assoc->closed_reason = g_strdup (reason);
  sec_dc_table_close_all (assoc->table, closed);
  g_queue_clear_full (&assoc->send_queue, outgoing_free);
  g_array_set_size (assoc->pending_resets, 0);
  for (i = 0; i < closed->len; i++)
    queue_event (events, EVENT_CLOSE, g_array_index (closed, guint16, i));
  g_array_unref (closed);
  event = set_state_locked (assoc, GST_SEC_SCTP_STATE_CLOSED, events);
  if (event)
    event->info = gst_structure_new ("sctp-closed",
        "association-id", G_TYPE_STRING, assoc->name,
        "reason", G_TYPE_STRING, reason, NULL);
}

static void
stream_reset_locked (GstSecSctpAssociation * assoc,
    const struct sctp_stream_reset_event *reset, gsize size, GQueue * events)
{
  gsize n, i;
  gboolean incoming = (reset->strreset_flags &
      SCTP_STREAM_RESET_INCOMING_SSN) != 0;

  if (size < sizeof (*reset) || reset->strreset_length > size)
    return;
  if (reset->strreset_flags & (SCTP_STREAM_RESET_DENIED |
          SCTP_STREAM_RESET_FAILED)) {
    /* an outgoing reset the peer could not do yet: ask again */
    n = (reset->strreset_length - sizeof (*reset)) / sizeof (guint16);
    for (i = 0; i < n; i++) {
      guint16 id = reset->strreset_stream_list[i];

      g_array_append_val (assoc->pending_resets, id);
    }
    return;
  }
  n = (reset->strreset_length - sizeof (*reset)) / sizeof (guint16);
  for (i = 0; i < n; i++) {
    guint16 id = reset->strreset_stream_list[i];
    gboolean reset_outgoing, closing, closed;

    sec_dc_table_stream_reset (assoc->table, id, incoming, &reset_outgoing,
        &closing, &closed);
    if (closing)
      queue_event (events, EVENT_CLOSING, id);
    if (reset_outgoing) {
      /* after what the channel still has queued */
      Outgoing *out = g_new0 (Outgoing, 1);

      out->id = id;
      out->reset = TRUE;
      g_queue_push_tail (&assoc->send_queue, out);
    }
    if (closed)
      queue_event (events, EVENT_CLOSE, id);
  }
}

static void
notification_locked (GstSecSctpAssociation * assoc, const guint8 * data,
    gsize size, GQueue * events)
{
  const union sctp_notification *n = (const union sctp_notification *) data;

  if (size < sizeof (n->sn_header))
    return;
  switch (n->sn_header.sn_type) {
    case SCTP_ASSOC_CHANGE:
      if (size < sizeof (n->sn_assoc_change))
        return;
      switch (n->sn_assoc_change.sac_state) {
        case SCTP_COMM_UP:
          association_up_locked (assoc, &n->sn_assoc_change, events);
          break;
        case SCTP_COMM_LOST:
          association_down_locked (assoc, "the peer stopped answering (SCTP "
              "association lost)", events);
          break;
        case SCTP_SHUTDOWN_COMP:
          association_down_locked (assoc, "the peer shut the association "
              "down", events);
          break;
        case SCTP_CANT_STR_ASSOC:
          association_down_locked (assoc, "the association could not be "
              "set up (no answer to INIT)", events);
          break;
        default:
          break;
      }
      break;
    case SCTP_STREAM_RESET_EVENT:
      stream_reset_locked (assoc, &n->sn_strreset_event, size, events);
      retry_resets_locked (assoc);
      break;
    case SCTP_SEND_FAILED_EVENT:
      /* partial reliability gave a message up (or the association went) */
      assoc->messages_abandoned++;
      break;
    default:
      break;
  }
}

/* A whole user message arrived. */
static void
message_locked (GstSecSctpAssociation * assoc, guint16 stream, guint32 ppid,
    GBytes * message, GQueue * events)
{
  GError *error = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (message, &size);
  SecDcRx rx;
  Event *event;

  if (!sec_dc_table_receive (assoc->table, stream, ppid, data, size, &rx,
          &error)) {
    assoc->messages_refused++;
    GST_WARNING ("association %s: refused a message on stream %u: %s",
        assoc->name, stream, error->message);
    g_error_free (error);
    g_bytes_unref (message);
    return;
  }
  if (rx.reply)
    enqueue_locked (assoc, stream, SEC_DC_PPID_DCEP, TRUE, 0, rx.reply);
  switch (rx.type) {
    case SEC_DC_RX_NEW_CHANNEL:
      event = queue_event (events, EVENT_CHANNEL, stream);
      event->info = channel_info (rx.channel);
      break;
    case SEC_DC_RX_NONE:
      break;
    case SEC_DC_RX_OPENED:
      queue_event (events, EVENT_OPEN, stream);
      break;
    case SEC_DC_RX_MESSAGE:
      if (rx.opened_too)
        queue_event (events, EVENT_OPEN, stream);
      event = queue_event (events, EVENT_MESSAGE, stream);
      event->binary = rx.binary;
      event->data = rx.size ? g_bytes_ref (message) : g_bytes_new (NULL, 0);
      break;
  }
  g_bytes_unref (message);
}

/* Reads everything the socket has (the worker, lock held). */
static void
drain_locked (GstSecSctpAssociation * assoc, GQueue * events)
{
  if (assoc->read_buffer == NULL)
    assoc->read_buffer = g_malloc (READ_CHUNK);
  while (assoc->sock) {
    struct sctp_rcvinfo info;
    struct sockaddr_conn from;
    socklen_t from_len = (socklen_t) sizeof (from);
    socklen_t info_len = (socklen_t) sizeof (info);
    unsigned int info_type = 0;
    int flags = 0;
    ssize_t n;

    memset (&info, 0, sizeof (info));
    n = usrsctp_recvv (assoc->sock, assoc->read_buffer, READ_CHUNK,
        (struct sockaddr *) &from, &from_len, &info, &info_len, &info_type,
        &flags);
    if (n < 0) {
      if (errno != EWOULDBLOCK && errno != EAGAIN && errno != ENOTCONN)
        GST_DEBUG ("association %s: recv: %s", assoc->name,
            g_strerror (errno));
      break;
    }
    if (n == 0) {
      association_down_locked (assoc, "the peer shut the association down",
          events);
      break;
    }
    if (flags & MSG_NOTIFICATION) {
      /* notifications fit in one read of READ_CHUNK */
      notification_locked (assoc, assoc->read_buffer, (gsize) n, events);
      continue;
    }
    if (assoc->partial->len == 0 && !assoc->partial_overflow
        && (flags & MSG_EOR)) {
      /* the usual case: a whole message in one read */
      if (assoc->config.max_message_size > 0
          && (guint64) n > assoc->config.max_message_size) {
        assoc->messages_too_large++;
        continue;
      }
      message_locked (assoc, info.rcv_sid, ntohl (info.rcv_ppid),
          g_bytes_new (assoc->read_buffer, (gsize) n), events);
      continue;
    }
    if (assoc->partial->len > 0 && info.rcv_sid != assoc->partial_stream) {
      /* without interleaving a message is delivered whole before the
       * next: this cannot happen, but never glue two messages together */
      g_byte_array_set_size (assoc->partial, 0);
      assoc->partial_overflow = FALSE;
    }
    assoc->partial_stream = info.rcv_sid;
    if (assoc->config.max_message_size > 0
        && assoc->partial->len + (guint64) n > assoc->config.max_message_size) {
      /* over our a=max-message-size: keep nothing of it */
      assoc->partial_overflow = TRUE;
      g_byte_array_set_size (assoc->partial, 0);
    } else if (!assoc->partial_overflow) {
      g_byte_array_append (assoc->partial, assoc->read_buffer, (guint) n);
    }
    if (!(flags & MSG_EOR))
      continue;
    if (assoc->partial_overflow) {
      assoc->messages_too_large++;
      GST_WARNING ("association %s: dropped a message on stream %u larger "
          "than our max-message-size %" G_GUINT64_FORMAT, assoc->name,
          info.rcv_sid, assoc->config.max_message_size);
    } else {
      GByteArray *whole = assoc->partial;

      assoc->partial = g_byte_array_new ();
      message_locked (assoc, info.rcv_sid, ntohl (info.rcv_ppid),
          g_byte_array_free_to_bytes (whole), events);
    }
    g_byte_array_set_size (assoc->partial, 0);
    assoc->partial_overflow = FALSE;
  }
}

/* --- the worker --------------------------------------------------------- */

static void
push_initial_events (GstPad * pad)
{
  GstSegment segment;
  GstCaps *caps;
  gchar *stream_id;

  stream_id = g_strdup_printf ("secsctp/%p", (gpointer) pad);
  gst_pad_push_event (pad, gst_event_new_stream_start (stream_id));
  g_free (stream_id);
  caps = gst_caps_new_empty_simple ("application/x-sctp");
  gst_pad_push_event (pad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (pad, gst_event_new_segment (&segment));
}

/* A pusher that is not the worker pushes at most this many batches
 * (what came in while it pushed the one before) and then leaves the rest
 * to the worker: a send-data call must not push for everyone for long. */
#define MAX_FOREIGN_BATCHES 4

/* Pushes the queued packets on the encoder's src pad, in order, from
 * whichever thread made them; one thread at a time (another that finds
 * a pusher at work leaves its packets to it: the pusher takes the queue
 * again before it lets go). No lock held. */
static void
push_packets (GstSecSctpAssociation * assoc, gboolean is_worker)
{
  guint batches = 0;

  g_mutex_lock (&assoc->wake_lock);
  if (assoc->pushing || assoc->stopping) {
    g_mutex_unlock (&assoc->wake_lock);
    return;
  }
  assoc->pushing = TRUE;
  while (!g_queue_is_empty (&assoc->packets) && !assoc->stopping) {
    GQueue packets = assoc->packets;
    GstBuffer *buffer;
    GstPad *pad;
    guint64 bytes = 0;
    guint count = 0;
    GList *l;

    if (!is_worker && batches++ == MAX_FOREIGN_BATCHES) {
      g_cond_signal (&assoc->wake_cond);
      break;
    }
    g_queue_init (&assoc->packets);
    g_mutex_unlock (&assoc->wake_lock);

    for (l = packets.head; l; l = l->next) {
      bytes += gst_buffer_get_size (l->data);
      count++;
    }
    g_mutex_lock (&assoc->lock);
    assoc->packets_sent += count;
    assoc->bytes_sent += bytes;
    pad = assoc->srcpad ? gst_object_ref (assoc->srcpad) : NULL;
    g_mutex_unlock (&assoc->lock);
    if (pad) {
      /* once per stream (the pad is active only after the start) */
      GstEvent *started = gst_pad_get_sticky_event (pad,
          GST_EVENT_STREAM_START, 0);

      if (started == NULL) {
        push_initial_events (pad);
        started = gst_pad_get_sticky_event (pad, GST_EVENT_STREAM_START, 0);
      }
      if (started) {
        gst_event_unref (started);
      } else {
        /* the pad is not active (stopping): no data before stream-start;
         * SCTP sends again what is lost */
        GST_DEBUG ("association %s: the encoder's pad is not active: %u "
            "packets dropped", assoc->name, count);
        gst_clear_object (&pad);
      }
    }
    while ((buffer = g_queue_pop_head (&packets))) {
      GstFlowReturn ret;

      if (pad == NULL) {
        gst_buffer_unref (buffer);
        continue;
      }
      ret = gst_pad_push (pad, buffer);
      if (ret != GST_FLOW_OK)
        GST_DEBUG ("association %s: push: %s", assoc->name,
            gst_flow_get_name (ret));
    }
    if (pad)
      gst_object_unref (pad);
    g_mutex_lock (&assoc->wake_lock);
  }
  assoc->pushing = FALSE;
  g_mutex_unlock (&assoc->wake_lock);
}

/* Emits the queued events, in order: the worker, or stop () once the
 * worker is gone. No lock held. */
static void
emit_queued (GstSecSctpAssociation * assoc)
{
  g_mutex_lock (&assoc->wake_lock);
  if (assoc->emitting) {
    g_mutex_unlock (&assoc->wake_lock);
    return;
  }
  assoc->emitting = TRUE;
  while (!g_queue_is_empty (&assoc->deferred)) {
    GQueue events = assoc->deferred;

    g_queue_init (&assoc->deferred);
    g_mutex_unlock (&assoc->wake_lock);
    emit_events (assoc, &events);
    g_mutex_lock (&assoc->wake_lock);
  }
  assoc->emitting = FALSE;
  g_mutex_unlock (&assoc->wake_lock);
}

/* What a usrsctp call of this thread made (input_assoc set): it reads
 * the socket and hands SCTP more of the send queue when usrsctp said it
 * could, then pushes the packets. The events it queued are the worker's
 * to emit. */
static void
after_call (GstSecSctpAssociation * assoc, gboolean is_worker)
{
  gboolean socket_event;

  g_mutex_lock (&assoc->wake_lock);
  socket_event = assoc->socket_event;
  assoc->socket_event = FALSE;
  g_mutex_unlock (&assoc->wake_lock);
  if (socket_event) {
    GQueue events = G_QUEUE_INIT;

    g_mutex_lock (&assoc->lock);
    drain_locked (assoc, &events);
    flush_locked (assoc, &events);
    defer_events_locked (assoc, &events);
    g_mutex_unlock (&assoc->lock);
  }
  push_packets (assoc, is_worker);
  if (is_worker)
    emit_queued (assoc);
}

/* The association's thread: it emits every signal, and does what
 * usrsctp's timer thread made (a retransmission, a delayed SACK, room in
 * the send buffer) and what a pusher left. */
static gpointer
worker (gpointer data)
{
  GstSecSctpAssociation *assoc = data;

  g_private_set (&input_assoc, assoc);
  for (;;) {
    g_mutex_lock (&assoc->wake_lock);
    while (!assoc->stopping && (g_queue_is_empty (&assoc->packets)
            || assoc->pushing) && (g_queue_is_empty (&assoc->deferred)
            || assoc->emitting) && !assoc->socket_event)
      g_cond_wait (&assoc->wake_cond, &assoc->wake_lock);
    if (assoc->stopping) {
      g_mutex_unlock (&assoc->wake_lock);
      break;
    }
    g_mutex_unlock (&assoc->wake_lock);

    after_call (assoc, TRUE);
  }
  return NULL;
}


/* An application's call (a message, a channel opened or closed) makes
 * SCTP packets on its own thread: it pushes them itself on the way out. */
static gpointer
begin_call (GstSecSctpAssociation * assoc)
{
  gpointer previous = g_private_get (&input_assoc);

  g_private_set (&input_assoc, assoc);
  return previous;
}

static void
end_call (GstSecSctpAssociation * assoc, gpointer previous)
{
  after_call (assoc, previous == assoc);
  g_private_set (&input_assoc, previous);
}

/* --- start and stop ----------------------------------------------------- */

static gboolean
setsockopt_or_error (struct socket *sock, int level, int name,
    const void *value, socklen_t size, const gchar * what, GError ** error)
{
  if (usrsctp_setsockopt (sock, level, name, value, size) == 0)
    return TRUE;
  g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
      "could not set %s on the SCTP socket: %s", what, g_strerror (errno));
  return FALSE;
}

static struct socket *
make_socket (GstSecSctpAssociation * assoc, guint number, GError ** error)
{
  static const guint16 event_types[] = { SCTP_ASSOC_CHANGE,
    SCTP_STREAM_RESET_EVENT, SCTP_SEND_FAILED_EVENT
  };
  struct socket *sock;
  struct linger linger = { 1, 0 };
  struct sctp_assoc_value reset = { 0, };
  struct sctp_initmsg init = { 0, };
  struct sctp_paddrparams paddr = { 0, };
  const int on = 1;
  int buffer;
  guint i;

  sock = usrsctp_socket (AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0,
      NULL);
  if (sock == NULL) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
        "could not make an SCTP socket: %s", g_strerror (errno));
    return NULL;
  }
  usrsctp_set_non_blocking (sock, 1);
  usrsctp_set_upcall (sock, socket_upcall, GUINT_TO_POINTER (number));

  /* closing aborts: the DTLS close_notify below tells the peer anyway */
  if (!setsockopt_or_error (sock, SOL_SOCKET, SO_LINGER, &linger,
          sizeof (linger), "SO_LINGER", error))
    goto fail;
  buffer = SEND_BUFFER;
  if (!setsockopt_or_error (sock, SOL_SOCKET, SO_SNDBUF, &buffer,
          sizeof (buffer), "SO_SNDBUF", error))
    goto fail;
  buffer = RECEIVE_BUFFER;
  if (!setsockopt_or_error (sock, SOL_SOCKET, SO_RCVBUF, &buffer,
          sizeof (buffer), "SO_RCVBUF", error))
    goto fail;
  /* RFC 8831 §6.7: closing a channel resets its streams */
  reset.assoc_id = SCTP_ALL_ASSOC;
  reset.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ;
  if (!setsockopt_or_error (sock, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET,
          &reset, sizeof (reset), "SCTP_ENABLE_STREAM_RESET", error))
    goto fail;
  /* messages go out at once (RFC 8831 §6.6: no Nagle) */
  if (!setsockopt_or_error (sock, IPPROTO_SCTP, SCTP_NODELAY, &on,
          sizeof (on), "SCTP_NODELAY", error))
    goto fail;
  if (!setsockopt_or_error (sock, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on,
          sizeof (on), "SCTP_RECVRCVINFO", error))
    goto fail;
  for (i = 0; i < G_N_ELEMENTS (event_types); i++) {
    struct sctp_event event = { 0, };

    event.se_assoc_id = SCTP_ALL_ASSOC;
    event.se_type = event_types[i];
    event.se_on = 1;
    if (!setsockopt_or_error (sock, IPPROTO_SCTP, SCTP_EVENT, &event,
            sizeof (event), "SCTP_EVENT", error))
      goto fail;
  }
  init.sinit_num_ostreams = (guint16) assoc->config.max_streams;
  init.sinit_max_instreams = (guint16) assoc->config.max_streams;
  if (!setsockopt_or_error (sock, IPPROTO_SCTP, SCTP_INITMSG, &init,
          sizeof (init), "SCTP_INITMSG", error))
    goto fail;
  /* RFC 8261 §5: no path MTU discovery of SCTP's own over DTLS */
  paddr.spp_flags = SPP_PMTUD_DISABLE;
  paddr.spp_pathmtu = SCTP_PATH_MTU;
  if (!setsockopt_or_error (sock, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS,
          &paddr, sizeof (paddr), "SCTP_PEER_ADDR_PARAMS", error))
    goto fail;
  return sock;

fail:
  usrsctp_close (sock);
  return NULL;
}

gboolean
gst_sec_sctp_association_start (GstSecSctpAssociation * assoc,
    const GstSecSctpConfig * config, GError ** error)
{
  struct sockaddr_conn local = { 0, }, remote = { 0, };
  struct socket *sock;
  GQueue events = G_QUEUE_INIT;
  guint number;

  g_mutex_lock (&assoc->lock);
  if (assoc->started) {
    g_mutex_unlock (&assoc->lock);
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_BUSY,
        "association '%s' is already started by another secsctpenc",
        assoc->name);
    return FALSE;
  }
  assoc->config = *config;
  g_mutex_lock (&registry_lock);
  number = next_number++;
  g_mutex_unlock (&registry_lock);

  sock = make_socket (assoc, number, error);
  if (sock == NULL) {
    g_mutex_unlock (&assoc->lock);
    return FALSE;
  }
  sec_dc_table_free (assoc->table);
  assoc->table = sec_dc_table_new (config->is_client, config->max_streams);
  assoc->sock = sock;
  assoc->number = number;
  assoc->started = TRUE;
  g_clear_pointer (&assoc->closed_reason, g_free);
  assoc->packets_sent = assoc->packets_received = 0;
  assoc->bytes_sent = assoc->bytes_received = 0;
  assoc->messages_refused = assoc->messages_abandoned = 0;
  assoc->messages_too_large = 0;

  g_mutex_lock (&registry_lock);
  g_hash_table_insert (by_number, GUINT_TO_POINTER (number), assoc);
  g_mutex_unlock (&registry_lock);
  usrsctp_register_address (GUINT_TO_POINTER (number));

  g_mutex_lock (&assoc->wake_lock);
  assoc->stopping = FALSE;
  g_mutex_unlock (&assoc->wake_lock);
  assoc->worker = g_thread_new ("secsctp", worker, assoc);

  local.sconn_family = AF_CONN;
  local.sconn_port = htons ((guint16) config->local_port);
  local.sconn_addr = GUINT_TO_POINTER (number);
  remote = local;
  remote.sconn_port = htons ((guint16) config->remote_port);
  if (usrsctp_bind (sock, (struct sockaddr *) &local, sizeof (local)) < 0) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
        "could not bind the SCTP socket to port %u: %s", config->local_port,
        g_strerror (errno));
    g_mutex_unlock (&assoc->lock);
    gst_sec_sctp_association_stop (assoc);
    return FALSE;
  }
  /* both ends connect (RFC 8841 §9.3: a simultaneous open) */
  if (usrsctp_connect (sock, (struct sockaddr *) &remote, sizeof (remote)) < 0
      && errno != EINPROGRESS) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
        "could not start the SCTP association: %s", g_strerror (errno));
    g_mutex_unlock (&assoc->lock);
    gst_sec_sctp_association_stop (assoc);
    return FALSE;
  }
  set_state_locked (assoc, GST_SEC_SCTP_STATE_CONNECTING, &events);
  defer_events_locked (assoc, &events);
  g_mutex_unlock (&assoc->lock);
  /* the INIT is the worker's to push: secdtlsenc holds it until its
   * handshake is done, and this thread may be changing a state */
  GST_INFO ("association %s started (ports %u -> %u, DTLS %s)", assoc->name,
      config->local_port, config->remote_port,
      config->is_client ? "client" : "server");
  return TRUE;
}

void
gst_sec_sctp_association_stop (GstSecSctpAssociation * assoc)
{
  GQueue events = G_QUEUE_INIT;
  struct socket *sock;
  GThread *thread;
  guint number;

  g_mutex_lock (&assoc->wake_lock);
  assoc->stopping = TRUE;
  g_cond_signal (&assoc->wake_cond);
  g_mutex_unlock (&assoc->wake_lock);

  g_mutex_lock (&assoc->lock);
  thread = assoc->worker;
  assoc->worker = NULL;
  g_mutex_unlock (&assoc->lock);
  if (thread)
    g_thread_join (thread);

  g_mutex_lock (&assoc->lock);
  sock = assoc->sock;
  number = assoc->number;
  assoc->sock = NULL;
  assoc->number = 0;
  assoc->started = FALSE;
  if (assoc->table)
    association_down_locked (assoc, "stopped", &events);
  /* after what is queued, and emitted below unless another thread is
   * emitting (then that thread does) */
  defer_events_locked (assoc, &events);
  g_mutex_unlock (&assoc->lock);

  if (number) {
    g_mutex_lock (&registry_lock);
    g_hash_table_remove (by_number, GUINT_TO_POINTER (number));
    g_mutex_unlock (&registry_lock);
  }
  if (sock)
    usrsctp_close (sock);
  if (number)
    usrsctp_deregister_address (GUINT_TO_POINTER (number));

  g_mutex_lock (&assoc->wake_lock);
  g_queue_clear_full (&assoc->packets, (GDestroyNotify) gst_buffer_unref);
  assoc->socket_event = FALSE;
  g_mutex_unlock (&assoc->wake_lock);
  emit_queued (assoc);
}

void
gst_sec_sctp_association_set_is_client (GstSecSctpAssociation * assoc,
    gboolean is_client)
{
  g_mutex_lock (&assoc->lock);
  assoc->config.is_client = is_client;
  if (assoc->table)
    sec_dc_table_set_dtls_client (assoc->table, is_client);
  g_mutex_unlock (&assoc->lock);
}

void
gst_sec_sctp_association_set_remote_max_message_size (GstSecSctpAssociation *
    assoc, guint64 size)
{
  g_mutex_lock (&assoc->lock);
  assoc->config.remote_max_message_size = size;
  g_mutex_unlock (&assoc->lock);
}

/* --- input from DTLS ---------------------------------------------------- */

void
gst_sec_sctp_association_input (GstSecSctpAssociation * assoc,
    const guint8 * data, gsize size)
{
  gpointer previous;
  guint number;

  g_mutex_lock (&assoc->lock);
  number = assoc->number;
  if (number) {
    /* as bytes_sent: SCTP packets, not messages */
    assoc->packets_received++;
    assoc->bytes_received += size;
  }
  g_mutex_unlock (&assoc->lock);
  if (number == 0) {
    GST_DEBUG ("association %s not started: dropped a packet of %"
        G_GSIZE_FORMAT " bytes", assoc->name, size);
    return;
  }
  /* usrsctp reads and checks the packet (CRC32c, verification tag); this
   * thread then reads what it completed and pushes the SACK or the data
   * it let go (after_call ()) */
  previous = g_private_get (&input_assoc);
  g_private_set (&input_assoc, assoc);
  usrsctp_conninput (GUINT_TO_POINTER (number), data, size, 0);
  after_call (assoc, previous == assoc);
  g_private_set (&input_assoc, previous);
}

void
gst_sec_sctp_association_peer_gone (GstSecSctpAssociation * assoc)
{
  GQueue events = G_QUEUE_INIT;

  g_mutex_lock (&assoc->lock);
  if (assoc->table)
    association_down_locked (assoc, "the peer closed DTLS (close_notify)",
        &events);
  defer_events_locked (assoc, &events);
  g_mutex_unlock (&assoc->lock);
}

/* --- the channel API ---------------------------------------------------- */

static gboolean
options_to_params (const gchar * label, const GstStructure * options,
    SecDcepOpen * params, gboolean * negotiated, gint * id, GError ** error)
{
  gint max_retransmits = -1, max_lifetime = -1, value;
  guint uvalue;
  gboolean ordered = TRUE;

  memset (params, 0, sizeof (*params));
  *negotiated = FALSE;
  *id = -1;
  params->priority = SEC_DC_PRIORITY_NORMAL;
  if (options) {
    if (gst_structure_has_field (options, "ordered")
        && !gst_structure_get_boolean (options, "ordered", &ordered))
      goto bad_type;
    if (gst_structure_has_field (options, "negotiated")
        && !gst_structure_get_boolean (options, "negotiated", negotiated))
      goto bad_type;
    if (gst_structure_get_int (options, "max-retransmits", &value))
      max_retransmits = value;
    else if (gst_structure_get_uint (options, "max-retransmits", &uvalue))
      max_retransmits = (gint) MIN (uvalue, G_MAXINT);
    if (gst_structure_get_int (options, "max-packet-lifetime", &value))
      max_lifetime = value;
    else if (gst_structure_get_uint (options, "max-packet-lifetime", &uvalue))
      max_lifetime = (gint) MIN (uvalue, G_MAXINT);
    if (gst_structure_get_int (options, "id", &value))
      *id = value;
    else if (gst_structure_get_uint (options, "id", &uvalue))
      *id = (gint) MIN (uvalue, G_MAXINT);
    if (gst_structure_get_uint (options, "priority", &uvalue))
      params->priority = (guint16) MIN (uvalue, G_MAXUINT16);
    params->protocol = g_strdup (gst_structure_get_string (options,
            "protocol"));
  }
  if (max_retransmits >= 0 && max_lifetime >= 0) {
    g_set_error_literal (error, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS,
        "max-retransmits and max-packet-lifetime cannot both be set (RFC "
        "8831 §6.1: one partial-reliability policy per channel)");
    goto fail;
  }
  if (*negotiated && *id < 0) {
    g_set_error_literal (error, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS,
        "a negotiated channel needs an id");
    goto fail;
  }
  if (label && strlen (label) > G_MAXUINT16) {
    g_set_error_literal (error, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS,
        "the label is longer than 65535 bytes (RFC 8832 §5.1)");
    goto fail;
  }
  if (params->protocol && strlen (params->protocol) > G_MAXUINT16) {
    g_set_error_literal (error, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS,
        "the protocol is longer than 65535 bytes (RFC 8832 §5.1)");
    goto fail;
  }
  params->ordered = ordered;
  if (max_retransmits >= 0) {
    params->reliability = SEC_DC_PARTIAL_RELIABLE_REXMIT;
    params->reliability_parameter = (guint32) max_retransmits;
  } else if (max_lifetime >= 0) {
    params->reliability = SEC_DC_PARTIAL_RELIABLE_TIMED;
    params->reliability_parameter = (guint32) max_lifetime;
  }
  params->label = g_strdup (label ? label : "");
  if (params->protocol == NULL)
    params->protocol = g_strdup ("");
  return TRUE;

bad_type:
  g_set_error_literal (error, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS,
      "'ordered' and 'negotiated' are booleans");
fail:
  sec_dcep_open_clear (params);
  return FALSE;
}

gint
gst_sec_sctp_association_open_channel (GstSecSctpAssociation * assoc,
    const gchar * label, const GstStructure * options, GError ** error)
{
  SecDcepOpen params;
  SecDcChannel *channel;
  gboolean negotiated;
  gint id, result = -1;
  GQueue events = G_QUEUE_INIT;
  gpointer previous;

  if (!options_to_params (label, options, &params, &negotiated, &id, error))
    return -1;
  previous = begin_call (assoc);
  g_mutex_lock (&assoc->lock);
  if (assoc->table == NULL || assoc->state == GST_SEC_SCTP_STATE_CLOSED) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_FAILED,
        "association '%s' is %s: start secsctpenc before opening channels",
        assoc->name, assoc->table ? "closed" : "not started");
    goto done;
  }
  channel = sec_dc_table_open (assoc->table, id, negotiated, &params, error);
  if (channel == NULL)
    goto done;
  result = channel->id;
  if (assoc->state == GST_SEC_SCTP_STATE_CONNECTED) {
    if (negotiated) {
      channel->state = SEC_DC_STATE_OPEN;
      queue_event (&events, EVENT_OPEN, channel->id);
    } else {
      GBytes *open = sec_dcep_build_open (&channel->params, NULL);

      channel->open_sent = TRUE;
      enqueue_locked (assoc, channel->id, SEC_DC_PPID_DCEP, TRUE, 0, open);
      flush_locked (assoc, &events);
    }
  }
  /* else: opened when the association comes up */
  GST_DEBUG ("association %s: channel %d '%s' (%s)", assoc->name, result,
      params.label, negotiated ? "negotiated" : "in-band");
done:
  /* on-open of a negotiated channel comes from the worker, after the
   * caller has the id */
  defer_events_locked (assoc, &events);
  g_mutex_unlock (&assoc->lock);
  end_call (assoc, previous);
  sec_dcep_open_clear (&params);
  return result;
}

gboolean
gst_sec_sctp_association_send (GstSecSctpAssociation * assoc, guint id,
    gboolean binary, GBytes * data, GError ** error)
{
  SecDcChannel *channel;
  GQueue events = G_QUEUE_INIT;
  gsize size = data ? g_bytes_get_size (data) : 0, payload_size;
  const guint8 *payload;
  guint64 limit;
  gboolean ok = FALSE;
  gpointer previous = begin_call (assoc);

  g_mutex_lock (&assoc->lock);
  channel = assoc->table ? sec_dc_table_lookup (assoc->table, id) : NULL;
  if (channel == NULL || channel->state != SEC_DC_STATE_OPEN) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE,
        "channel %u is %s: a message is sent on an open channel only", id,
        channel ? sec_dc_state_name (channel->state) : "closed");
    goto done;
  }
  if (!binary && size > 0 && !sec_dc_text_valid (g_bytes_get_data (data,
              NULL), size)) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE,
        "a text message of %" G_GSIZE_FORMAT " bytes that is not UTF-8",
        size);
    goto done;
  }
  limit = SEND_BUFFER;
  if (assoc->config.remote_max_message_size > 0)
    limit = MIN (limit, assoc->config.remote_max_message_size);
  if (size > limit) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE,
        "a message of %" G_GSIZE_FORMAT " bytes is larger than %"
        G_GUINT64_FORMAT " bytes, %s", size, limit,
        limit == SEND_BUFFER ? "the largest this element sends" :
        "the peer's a=max-message-size (RFC 8841 §6)");
    goto done;
  }
  payload = sec_dc_message_payload (size ? g_bytes_get_data (data, NULL) :
      NULL, size, &payload_size);
  enqueue_locked (assoc, id, sec_dc_message_ppid (binary, size), FALSE, size,
      size ? g_bytes_ref (data) : g_bytes_new (payload, payload_size));
  channel->buffered_amount += size;
  flush_locked (assoc, &events);
  ok = TRUE;
done:
  defer_events_locked (assoc, &events);
  g_mutex_unlock (&assoc->lock);
  end_call (assoc, previous);
  return ok;
}

void
gst_sec_sctp_association_close_channel (GstSecSctpAssociation * assoc,
    guint id)
{
  GQueue events = G_QUEUE_INIT;
  gboolean closed = FALSE;
  gpointer previous = begin_call (assoc);

  g_mutex_lock (&assoc->lock);
  if (assoc->table && sec_dc_table_close (assoc->table, id,
          assoc->state == GST_SEC_SCTP_STATE_CONNECTED, &closed)) {
    Outgoing *out = g_new0 (Outgoing, 1);

    /* after what it has queued (W3C: close sends the buffered data) */
    out->id = id;
    out->reset = TRUE;
    g_queue_push_tail (&assoc->send_queue, out);
    queue_event (&events, EVENT_CLOSING, id);
    flush_locked (assoc, &events);
  } else if (closed) {
    queue_event (&events, EVENT_CLOSE, id);
  }
  defer_events_locked (assoc, &events);
  g_mutex_unlock (&assoc->lock);
  end_call (assoc, previous);
}

guint64
gst_sec_sctp_association_get_buffered_amount (GstSecSctpAssociation * assoc,
    guint id)
{
  SecDcChannel *channel;
  guint64 amount = 0;

  g_mutex_lock (&assoc->lock);
  channel = assoc->table ? sec_dc_table_lookup (assoc->table, id) : NULL;
  if (channel)
    amount = channel->buffered_amount;
  g_mutex_unlock (&assoc->lock);
  return amount;
}

void
gst_sec_sctp_association_set_buffered_amount_low_threshold
    (GstSecSctpAssociation * assoc, guint id, guint64 threshold)
{
  SecDcChannel *channel;

  g_mutex_lock (&assoc->lock);
  channel = assoc->table ? sec_dc_table_lookup (assoc->table, id) : NULL;
  if (channel)
    channel->buffered_amount_low_threshold = threshold;
  g_mutex_unlock (&assoc->lock);
}

GstSecSctpState
gst_sec_sctp_association_get_state (GstSecSctpAssociation * assoc)
{
  GstSecSctpState state;

  g_mutex_lock (&assoc->lock);
  state = assoc->state;
  g_mutex_unlock (&assoc->lock);
  return state;
}

GstStructure *
gst_sec_sctp_association_get_stats (GstSecSctpAssociation * assoc)
{
  GValue list = G_VALUE_INIT;
  GstStructure *stats;
  GList *channels = NULL, *l;

  g_value_init (&list, GST_TYPE_LIST);
  g_mutex_lock (&assoc->lock);
  stats = gst_structure_new ("application/x-secsctp-stats",
      "association-id", G_TYPE_STRING, assoc->name,
      "state", GST_TYPE_SEC_SCTP_STATE, assoc->state,
      "packets-sent", G_TYPE_UINT64, assoc->packets_sent,
      "packets-received", G_TYPE_UINT64, assoc->packets_received,
      "bytes-sent", G_TYPE_UINT64, assoc->bytes_sent,
      "bytes-received", G_TYPE_UINT64, assoc->bytes_received,
      "messages-refused", G_TYPE_UINT64, assoc->messages_refused,
      "messages-abandoned", G_TYPE_UINT64, assoc->messages_abandoned,
      "messages-too-large", G_TYPE_UINT64, assoc->messages_too_large,
      "streams", G_TYPE_UINT, assoc->table ?
      sec_dc_table_get_max_streams (assoc->table) : 0, NULL);
  if (assoc->closed_reason)
    gst_structure_set (stats, "closed-reason", G_TYPE_STRING,
        assoc->closed_reason, NULL);
  if (assoc->table)
    channels = sec_dc_table_channels (assoc->table);
  for (l = channels; l; l = l->next) {
    SecDcChannel *channel = l->data;
    GValue v = G_VALUE_INIT;
    GstStructure *s = channel_info (channel);

    gst_structure_set (s, "state", G_TYPE_STRING,
        sec_dc_state_name (channel->state),
        "messages-sent", G_TYPE_UINT64, channel->messages_sent,
        "messages-received", G_TYPE_UINT64, channel->messages_received,
        "bytes-sent", G_TYPE_UINT64, channel->bytes_sent,
        "bytes-received", G_TYPE_UINT64, channel->bytes_received,
        "buffered-amount", G_TYPE_UINT64, channel->buffered_amount, NULL);
    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, s);
    gst_value_list_append_and_take_value (&list, &v);
  }
  g_list_free (channels);
  g_mutex_unlock (&assoc->lock);
  gst_structure_take_value (stats, "channels", &list);
  return stats;
}

void
gst_sec_sctp_association_get_value (GstSecSctpAssociation * assoc,
    gboolean stats, GValue * value)
{
  if (!stats)
    g_value_set_enum (value, assoc ? gst_sec_sctp_association_get_state
        (assoc) : GST_SEC_SCTP_STATE_NEW);
  else if (assoc)
    g_value_take_boxed (value, gst_sec_sctp_association_get_stats (assoc));
}
