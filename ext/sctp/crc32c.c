/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * CRC32c (Castagnoli, reflected polynomial 0x82F63B78): see crc32c.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "crc32c.h"

#include <string.h>

#define POLYNOMIAL 0x82F63B78u
#define SCTP_COMMON_HEADER 12
#define SCTP_CHECKSUM_OFFSET 8

static guint32 table[256];

static gpointer
make_table (gpointer data)
{
  guint32 i, bit;

  (void) data;
  for (i = 0; i < 256; i++) {
    guint32 crc = i;

    for (bit = 0; bit < 8; bit++)
      crc = (crc & 1) ? (crc >> 1) ^ POLYNOMIAL : crc >> 1;
    table[i] = crc;
  }
  return NULL;
}

static guint32
update_table (guint32 crc, const guint8 * data, gsize len)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, make_table, NULL);
  while (len--)
    crc = table[(crc ^ *data++) & 0xff] ^ (crc >> 8);
  return crc;
}

guint32
sec_sctp_crc32c_table (const guint8 * data, gsize len)
{
  return ~update_table (0xffffffffu, data, len);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SSE42_PATH 1

__attribute__ ((target ("sse4.2")))
static guint32
update_sse42 (guint32 crc, const guint8 * data, gsize len)
{
  guint64 crc64 = crc;

  while (len >= 8) {
    guint64 word;

    memcpy (&word, data, 8);    /* any alignment */
    crc64 = __builtin_ia32_crc32di (crc64, word);
    data += 8;
    len -= 8;
  }
  crc = (guint32) crc64;
  while (len--)
    crc = __builtin_ia32_crc32qi (crc, *data++);
  return crc;
}
#endif

gboolean
sec_sctp_crc32c_hardware (void)
{
#ifdef HAVE_SSE42_PATH
  static gsize checked = 0;
  static gboolean hardware;

  if (g_once_init_enter (&checked)) {
    __builtin_cpu_init ();
    hardware = __builtin_cpu_supports ("sse4.2") != 0;
    g_once_init_leave (&checked, 1);
  }
  return hardware;
#else
  return FALSE;
#endif
}

guint32
sec_sctp_crc32c (const guint8 * data, gsize len)
{
#ifdef HAVE_SSE42_PATH
  if (sec_sctp_crc32c_hardware ())
    return ~update_sse42 (0xffffffffu, data, len);
#endif
  return sec_sctp_crc32c_table (data, len);
}

void
sec_sctp_packet_set_checksum (guint8 * packet, gsize len)
{
  guint32 crc;

  g_return_if_fail (len >= SCTP_COMMON_HEADER);
  memset (packet + SCTP_CHECKSUM_OFFSET, 0, 4);
  crc = sec_sctp_crc32c (packet, len);
  /* RFC 9260 Appendix A: the reflected CRC, its least significant byte
   * first */
  packet[SCTP_CHECKSUM_OFFSET] = (guint8) crc;
  packet[SCTP_CHECKSUM_OFFSET + 1] = (guint8) (crc >> 8);
  packet[SCTP_CHECKSUM_OFFSET + 2] = (guint8) (crc >> 16);
  packet[SCTP_CHECKSUM_OFFSET + 3] = (guint8) (crc >> 24);
}
