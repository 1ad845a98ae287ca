/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * WebRTC data channels above SCTP, the bytes only: the Data Channel
 * Establishment Protocol (DCEP, RFC 8832: DATA_CHANNEL_OPEN and
 * DATA_CHANNEL_ACK) and how a channel's messages travel as SCTP user
 * messages (RFC 8831 §6.6: the payload protocol identifiers, empty
 * messages, which stream ids each side opens).
 *
 * Everything here reads bytes that come from the peer and never trusts
 * them: a truncated or inconsistent message, an unknown type or a label
 * that is not UTF-8 is a GError that says what is wrong, never a crash
 * or a read out of bounds (fuzzed: tests/fuzz/fuzz-dcep.c). Plain C over
 * GLib: no SCTP stack, sockets, threads or clocks.
 */
#ifndef SEC_DCEP_H
#define SEC_DCEP_H

#include <glib.h>

G_BEGIN_DECLS

#define SEC_DCEP_ERROR (sec_dcep_error_quark ())

typedef enum
{
  SEC_DCEP_ERROR_TRUNCATED,     /* shorter than its fields say */
  SEC_DCEP_ERROR_INVALID,       /* a field's value is not allowed */
  SEC_DCEP_ERROR_UNSUPPORTED,   /* a message or PPID we do not speak */
  SEC_DCEP_ERROR_TOO_LONG,      /* a label or protocol over 65535 bytes */
} SecDcepError;

GQuark sec_dcep_error_quark (void);

/* RFC 8831 §8, RFC 8832 §8.1: SCTP payload protocol identifiers. */
#define SEC_DC_PPID_DCEP 50
#define SEC_DC_PPID_STRING 51
#define SEC_DC_PPID_BINARY_PARTIAL 52   /* deprecated, refused */
#define SEC_DC_PPID_BINARY 53
#define SEC_DC_PPID_STRING_PARTIAL 54   /* deprecated, refused */
#define SEC_DC_PPID_STRING_EMPTY 56
#define SEC_DC_PPID_BINARY_EMPTY 57

/* RFC 8832 §5.1 message types */
typedef enum
{
  SEC_DCEP_ACK = 0x02,
  SEC_DCEP_OPEN = 0x03,
} SecDcepType;

/* RFC 8832 §5.1 channel types, without the unordered bit (0x80) */
typedef enum
{
  SEC_DC_RELIABLE = 0x00,
  SEC_DC_PARTIAL_RELIABLE_REXMIT = 0x01,        /* parameter: retransmits */
  SEC_DC_PARTIAL_RELIABLE_TIMED = 0x02, /* parameter: lifetime in ms */
} SecDcReliability;

/* RFC 8832 §5.1 priorities (any 16-bit value is carried as it is) */
#define SEC_DC_PRIORITY_BELOW_NORMAL 128
#define SEC_DC_PRIORITY_NORMAL 256
#define SEC_DC_PRIORITY_HIGH 512
#define SEC_DC_PRIORITY_EXTRA_HIGH 1024

/* What a DATA_CHANNEL_OPEN says. */
typedef struct
{
  gboolean ordered;
  SecDcReliability reliability;
  guint32 reliability_parameter;        /* 0 for a reliable channel */
  guint16 priority;
  gchar *label;                 /* UTF-8, "" allowed */
  gchar *protocol;              /* UTF-8, "" allowed */
} SecDcepOpen;

void sec_dcep_open_clear (SecDcepOpen * open);

/* Reads a DCEP message (the payload of an SCTP message with PPID 50):
 * its type, and for DATA_CHANNEL_OPEN what it says (@open, cleared by
 * the caller with sec_dcep_open_clear; untouched otherwise). RFC 8832
 * §5: an ACK is one byte (more is refused), an OPEN is 12 bytes and its
 * label and protocol, exactly (bytes after them are refused, so that a
 * message is read one way only); a reliable channel's reliability
 * parameter must be 0 (§5.1: "ignored", refused here so that what we
 * tell the application is what the peer meant). */
gboolean sec_dcep_parse (const guint8 * data, gsize size,
    SecDcepType * type, SecDcepOpen * open, GError ** error);

/* A DATA_CHANNEL_OPEN for @open (label and protocol UTF-8, at most 65535
 * bytes each); NULL with SEC_DCEP_ERROR_TOO_LONG or _INVALID. */
GBytes *sec_dcep_build_open (const SecDcepOpen * open, GError ** error);
/* A DATA_CHANNEL_ACK. */
GBytes *sec_dcep_build_ack (void);

/* Sending a message of @size bytes: the PPID it travels with (RFC 8831
 * §6.6: an empty message is sent as one byte with PPID 56 or 57, since
 * SCTP cannot carry an empty user message), and the payload to send
 * (@data itself, or the one byte for an empty message). */
guint32 sec_dc_message_ppid (gboolean binary, gsize size);
const guint8 *sec_dc_message_payload (const guint8 * data, gsize size,
    gsize * payload_size);

/* A received user message: TRUE with @binary and its @size (0 for the
 * empty PPIDs, whatever byte they carry; RFC 8831 §6.6 says to ignore
 * it); FALSE with an error for DCEP's PPID (not a message: see
 * sec_dcep_parse), the deprecated partial PPIDs 52 and 54 and any other
 * PPID (SEC_DCEP_ERROR_UNSUPPORTED), an empty PPID with a payload other
 * than one byte, PPID 51 or 53 with no payload (an empty message has its
 * own PPIDs) and a string that is not UTF-8 (_INVALID: W3C delivers
 * strings as DOMString, so a browser never sends one). */
gboolean sec_dc_message_parse (guint32 ppid, const guint8 * data,
    gsize size, gboolean * binary, gsize * message_size, GError ** error);

/* A text message's bytes: UTF-8, where U+0000 is a character like any
 * other (a browser's send("a\0b") is 61 00 62). */
gboolean sec_dc_text_valid (const guint8 * data, gsize size);

/* RFC 8832 §6: the DTLS client opens channels on even stream ids, the
 * server on odd ones; 65535 is reserved (RFC 8831 §6.5). TRUE when
 * @stream_id is one the side (@dtls_client) may open. */
gboolean sec_dc_stream_id_ours (guint16 stream_id, gboolean dtls_client);
gboolean sec_dc_stream_id_valid (guint stream_id);

G_END_DECLS

#endif /* SEC_DCEP_H */
