/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * DCEP and data channel message framing: see dcep.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "dcep.h"

#include <string.h>

G_DEFINE_QUARK (sec-dcep-error-quark, sec_dcep_error);

/* RFC 8832 §5.1: type, channel type, priority, reliability parameter,
 * label length, protocol length */
#define OPEN_HEADER_SIZE 12
#define UNORDERED_BIT 0x80

void
sec_dcep_open_clear (SecDcepOpen * open)
{
  g_clear_pointer (&open->label, g_free);
  g_clear_pointer (&open->protocol, g_free);
}

static guint16
read_u16 (const guint8 * p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static guint32
read_u32 (const guint8 * p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16)
      | ((guint32) p[2] << 8) | p[3];
}

static void
write_u16 (guint8 * p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static void
write_u32 (guint8 * p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

/* A NUL-terminated copy of a UTF-8 field, NULL (and @error) when it is
 * not UTF-8 or holds a NUL (which a C string would cut short). */
static gchar *
utf8_field (const guint8 * data, gsize size, const gchar * name,
    GError ** error)
{
  if (memchr (data, '\0', size) != NULL
      || !g_utf8_validate ((const gchar *) data, size, NULL)) {
    g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
        "DATA_CHANNEL_OPEN: the %s is not UTF-8 text (RFC 8832 §5.1)",
        name);
    return NULL;
  }
  return g_strndup ((const gchar *) data, size);
}

static gboolean
parse_open (const guint8 * data, gsize size, SecDcepOpen * open,
    GError ** error)
{
  guint8 channel_type;
  guint16 label_len, protocol_len;
  gchar *label, *protocol;

  if (size < OPEN_HEADER_SIZE) {
    g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_TRUNCATED,
        "DATA_CHANNEL_OPEN of %" G_GSIZE_FORMAT " bytes: its header alone "
        "has %u (RFC 8832 §5.1)", size, OPEN_HEADER_SIZE);
    return FALSE;
  }
  channel_type = data[1];
  label_len = read_u16 (data + 8);
  protocol_len = read_u16 (data + 10);
  if (size != (gsize) OPEN_HEADER_SIZE + label_len + protocol_len) {
    g_set_error (error, SEC_DCEP_ERROR, size < (gsize) OPEN_HEADER_SIZE +
        label_len + protocol_len ? SEC_DCEP_ERROR_TRUNCATED :
        SEC_DCEP_ERROR_INVALID, "DATA_CHANNEL_OPEN of %" G_GSIZE_FORMAT
        " bytes, but its header, label (%u) and protocol (%u) make %u",
        size, label_len, protocol_len,
        OPEN_HEADER_SIZE + label_len + protocol_len);
    return FALSE;
  }
  switch (channel_type & ~UNORDERED_BIT) {
    case SEC_DC_RELIABLE:
    case SEC_DC_PARTIAL_RELIABLE_REXMIT:
    case SEC_DC_PARTIAL_RELIABLE_TIMED:
      break;
    default:
      g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_UNSUPPORTED,
          "DATA_CHANNEL_OPEN: unknown channel type 0x%02x (RFC 8832 §5.1 "
          "has 0x00, 0x01, 0x02 and those with 0x80)", channel_type);
      return FALSE;
  }
  if ((channel_type & ~UNORDERED_BIT) == SEC_DC_RELIABLE
      && read_u32 (data + 4) != 0) {
    g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
        "DATA_CHANNEL_OPEN: a reliable channel with reliability parameter "
        "%u (it must be 0: neither retransmits nor a lifetime apply)",
        read_u32 (data + 4));
    return FALSE;
  }
  label = utf8_field (data + OPEN_HEADER_SIZE, label_len, "label", error);
  if (label == NULL)
    return FALSE;
  protocol = utf8_field (data + OPEN_HEADER_SIZE + label_len, protocol_len,
      "protocol", error);
  if (protocol == NULL) {
    g_free (label);
    return FALSE;
  }
  open->ordered = (channel_type & UNORDERED_BIT) == 0;
  open->reliability = channel_type & ~UNORDERED_BIT;
  open->priority = read_u16 (data + 2);
  open->reliability_parameter = read_u32 (data + 4);
  open->label = label;
  open->protocol = protocol;
  return TRUE;
}

gboolean
sec_dcep_parse (const guint8 * data, gsize size, SecDcepType * type,
    SecDcepOpen * open, GError ** error)
{
  if (size == 0 || data == NULL) {
    g_set_error_literal (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_TRUNCATED,
        "an empty DCEP message (RFC 8832 §5)");
    return FALSE;
  }
  switch (data[0]) {
    case SEC_DCEP_ACK:
      if (size != 1) {
        g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
            "DATA_CHANNEL_ACK of %" G_GSIZE_FORMAT " bytes: it has one "
            "(RFC 8832 §5.2)", size);
        return FALSE;
      }
      *type = SEC_DCEP_ACK;
      return TRUE;
    case SEC_DCEP_OPEN:
      if (!parse_open (data, size, open, error))
        return FALSE;
      *type = SEC_DCEP_OPEN;
      return TRUE;
    default:
      g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_UNSUPPORTED,
          "unknown DCEP message type 0x%02x (RFC 8832 §8.2.1: 0x02 ACK, "
          "0x03 OPEN)", data[0]);
      return FALSE;
  }
}

GBytes *
sec_dcep_build_open (const SecDcepOpen * open, GError ** error)
{
  const gchar *label = open->label ? open->label : "";
  const gchar *protocol = open->protocol ? open->protocol : "";
  gsize label_len = strlen (label), protocol_len = strlen (protocol);
  guint32 parameter = open->reliability == SEC_DC_RELIABLE ? 0 :
      open->reliability_parameter;
  guint8 *out;

  if (label_len > G_MAXUINT16 || protocol_len > G_MAXUINT16) {
    g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_TOO_LONG,
        "a data channel's %s has %" G_GSIZE_FORMAT " bytes; DCEP carries at "
        "most 65535 (RFC 8832 §5.1)", label_len > G_MAXUINT16 ? "label" :
        "protocol", MAX (label_len, protocol_len));
    return NULL;
  }
  if (!g_utf8_validate (label, -1, NULL)
      || !g_utf8_validate (protocol, -1, NULL)) {
    g_set_error_literal (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
        "a data channel's label and protocol are UTF-8 text");
    return NULL;
  }
  if (open->reliability != SEC_DC_RELIABLE
      && open->reliability != SEC_DC_PARTIAL_RELIABLE_REXMIT
      && open->reliability != SEC_DC_PARTIAL_RELIABLE_TIMED) {
    g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
        "unknown reliability %d", open->reliability);
    return NULL;
  }
  out = g_malloc (OPEN_HEADER_SIZE + label_len + protocol_len);
  out[0] = SEC_DCEP_OPEN;
  out[1] = open->reliability | (open->ordered ? 0 : UNORDERED_BIT);
  write_u16 (out + 2, open->priority);
  write_u32 (out + 4, parameter);
  write_u16 (out + 8, label_len);
  write_u16 (out + 10, protocol_len);
  memcpy (out + OPEN_HEADER_SIZE, label, label_len);
  memcpy (out + OPEN_HEADER_SIZE + label_len, protocol, protocol_len);
  return g_bytes_new_take (out, OPEN_HEADER_SIZE + label_len + protocol_len);
}

GBytes *
sec_dcep_build_ack (void)
{
  static const guint8 ack[1] = { SEC_DCEP_ACK };

  return g_bytes_new_static (ack, sizeof (ack));
}

guint32
sec_dc_message_ppid (gboolean binary, gsize size)
{
  if (size == 0)
    return binary ? SEC_DC_PPID_BINARY_EMPTY : SEC_DC_PPID_STRING_EMPTY;
  return binary ? SEC_DC_PPID_BINARY : SEC_DC_PPID_STRING;
}

const guint8 *
sec_dc_message_payload (const guint8 * data, gsize size, gsize * payload_size)
{
  /* RFC 8831 §6.6: "a single byte with the value 0" */
  static const guint8 empty[1] = { 0 };

  if (size == 0) {
    *payload_size = sizeof (empty);
    return empty;
  }
  *payload_size = size;
  return data;
}

gboolean
sec_dc_message_parse (guint32 ppid, const guint8 * data, gsize size,
    gboolean * binary, gsize * message_size, GError ** error)
{
  switch (ppid) {
    case SEC_DC_PPID_STRING:
    case SEC_DC_PPID_BINARY:
      if (size == 0) {
        g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
            "an empty user message with PPID %u: an empty message is sent "
            "with PPID %u (RFC 8831 §6.6)", ppid, ppid == SEC_DC_PPID_STRING ?
            SEC_DC_PPID_STRING_EMPTY : SEC_DC_PPID_BINARY_EMPTY);
        return FALSE;
      }
      if (ppid == SEC_DC_PPID_STRING && !sec_dc_text_valid (data, size)) {
        g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
            "a text message of %" G_GSIZE_FORMAT " bytes that is not UTF-8 "
            "(PPID 51, RFC 8831 §6.6)", size);
        return FALSE;
      }
      *binary = ppid == SEC_DC_PPID_BINARY;
      *message_size = size;
      return TRUE;
    case SEC_DC_PPID_STRING_EMPTY:
    case SEC_DC_PPID_BINARY_EMPTY:
      if (size != 1) {
        g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_INVALID,
            "an empty message (PPID %u) carried %" G_GSIZE_FORMAT " bytes: "
            "it carries one (RFC 8831 §6.6)", ppid, size);
        return FALSE;
      }
      *binary = ppid == SEC_DC_PPID_BINARY_EMPTY;
      *message_size = 0;
      return TRUE;
    case SEC_DC_PPID_DCEP:
      g_set_error_literal (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_UNSUPPORTED,
          "PPID 50 is DCEP, not a message of the channel");
      return FALSE;
    case SEC_DC_PPID_BINARY_PARTIAL:
    case SEC_DC_PPID_STRING_PARTIAL:
      g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_UNSUPPORTED,
          "PPID %u (a partial message) is deprecated and refused: messages "
          "are whole (RFC 8831 §6.6, §8)", ppid);
      return FALSE;
    default:
      g_set_error (error, SEC_DCEP_ERROR, SEC_DCEP_ERROR_UNSUPPORTED,
          "unknown payload protocol identifier %u (RFC 8831 §8: 50, 51, 53, "
          "56, 57)", ppid);
      return FALSE;
  }
}

gboolean
sec_dc_text_valid (const guint8 * data, gsize size)
{
  /* g_utf8_validate stops at a NUL byte: check each piece between them */
  while (size > 0) {
    const guint8 *nul = memchr (data, 0, size);
    gsize piece = nul ? (gsize) (nul - data) : size;

    if (piece > 0 && !g_utf8_validate_len ((const gchar *) data, piece, NULL))
      return FALSE;
    if (nul == NULL)
      break;
    data += piece + 1;
    size -= piece + 1;
  }
  return TRUE;
}

gboolean
sec_dc_stream_id_valid (guint stream_id)
{
  return stream_id < G_MAXUINT16;
}

gboolean
sec_dc_stream_id_ours (guint16 stream_id, gboolean dtls_client)
{
  return sec_dc_stream_id_valid (stream_id)
      && (stream_id % 2 == 0) == (dtls_client != FALSE);
}
