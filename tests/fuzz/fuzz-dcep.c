/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: an SCTP user message of a data channel as the peer
 * could send it, through the data channel core (ext/sctp/dcep.c). The
 * first four bytes are its payload protocol identifier (big-endian), the
 * rest its payload. Whatever the input: no crash or read out of bounds,
 * an error has a message; a DCEP message that is accepted is what our
 * own builder makes of what it said, byte for byte (the reading is
 * strict: one message, one meaning); a user message accepted is of a
 * size within the payload.
 */
#include "dcep.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

static void
check_error (GError * error)
{
  if (error == NULL || error->domain != SEC_DCEP_ERROR
      || error->message == NULL || error->message[0] == '\0'
      || !g_utf8_validate (error->message, -1, NULL))
    abort ();
  g_error_free (error);
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  SecDcepOpen open = { 0, };
  SecDcepType type;
  GError *error = NULL;
  gboolean binary;
  gsize message_size, payload_size;
  guint32 ppid;

  if (size < 4)
    return 0;
  ppid = ((guint32) data[0] << 24) | ((guint32) data[1] << 16)
      | ((guint32) data[2] << 8) | data[3];
  data += 4;
  size -= 4;

  if (sec_dc_message_parse (ppid, data, size, &binary, &message_size,
          &error)) {
    if (message_size > size)
      abort ();
    /* what we would send for it has its PPID (empty: 56/57) */
    if (sec_dc_message_ppid (binary, message_size) != ppid)
      abort ();
    sec_dc_message_payload (data, message_size, &payload_size);
    if (payload_size == 0)
      abort ();
  } else {
    check_error (error);
    error = NULL;
  }

  if (sec_dcep_parse (data, size, &type, &open, &error)) {
    if (type == SEC_DCEP_OPEN) {
      GBytes *again = sec_dcep_build_open (&open, &error);
      gsize again_size;
      const guint8 *again_data;

      if (again == NULL)
        abort ();
      again_data = g_bytes_get_data (again, &again_size);
      if (again_size != size || memcmp (again_data, data, size) != 0)
        abort ();
      g_bytes_unref (again);
    } else if (type != SEC_DCEP_ACK || size != 1) {
      abort ();
    }
  } else {
    check_error (error);
    if (open.label != NULL || open.protocol != NULL)
      abort ();
  }
  sec_dcep_open_clear (&open);
  return 0;
}
