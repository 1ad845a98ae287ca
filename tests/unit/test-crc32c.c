/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SCTP's CRC32c (ext/sctp/crc32c.c): the check values of RFC 3720 §B.4
 * and the usual "123456789", the processor's instruction against the
 * table on every length a packet can have and any alignment, and where
 * the checksum lands in a packet: byte for byte what usrsctp writes when
 * it computes it itself (the peers check it; ours no longer do).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "crc32c.h"

#include <string.h>
#ifdef SEC_TEST_WITH_USRSCTP
#include <usrsctp.h>
#endif

static void
test_check_values (void)
{
  guint8 buffer[32];
  guint i;

  memset (buffer, 0, sizeof (buffer));
  g_assert_cmphex (sec_sctp_crc32c (buffer, 32), ==, 0x8A9136AA);
  g_assert_cmphex (sec_sctp_crc32c_table (buffer, 32), ==, 0x8A9136AA);
  memset (buffer, 0xff, sizeof (buffer));
  g_assert_cmphex (sec_sctp_crc32c (buffer, 32), ==, 0x62A8AB43);
  g_assert_cmphex (sec_sctp_crc32c_table (buffer, 32), ==, 0x62A8AB43);
  for (i = 0; i < 32; i++)
    buffer[i] = (guint8) i;
  g_assert_cmphex (sec_sctp_crc32c (buffer, 32), ==, 0x46DD794E);
  g_assert_cmphex (sec_sctp_crc32c_table (buffer, 32), ==, 0x46DD794E);
  for (i = 0; i < 32; i++)
    buffer[i] = (guint8) (31 - i);
  g_assert_cmphex (sec_sctp_crc32c (buffer, 32), ==, 0x113FDB5C);
  g_assert_cmphex (sec_sctp_crc32c ((const guint8 *) "123456789", 9), ==,
      0xE3069283);
  g_assert_cmphex (sec_sctp_crc32c (NULL, 0), ==, 0);
  g_test_message ("the processor's crc32 instruction is %s",
      sec_sctp_crc32c_hardware ()? "used" : "not available: the table is");
}

/* every length up to a jumbo packet, at every alignment of the start */
static void
test_instruction_matches_table (void)
{
  GRand *rand = g_rand_new_with_seed (9260);
  guint8 *buffer = g_malloc (1600 + 8);
  guint len, offset, i;

  for (i = 0; i < 1600 + 8; i++)
    buffer[i] = (guint8) g_rand_int (rand);
  for (len = 0; len <= 1600; len += (len < 64 ? 1 : 37))
    for (offset = 0; offset < 8; offset++)
      g_assert_cmphex (sec_sctp_crc32c (buffer + offset, len), ==,
          sec_sctp_crc32c_table (buffer + offset, len));
  g_free (buffer);
  g_rand_free (rand);
}

/* An SCTP packet: common header (ports 5000, a verification tag, the
 * checksum), a DATA chunk carrying "hello" (PPID 51, WebRTC string). */
static const guint8 data_packet[] = {
  0x13, 0x88, 0x13, 0x88, 0x1a, 0x2b, 0x3c, 0x4d,
  0xde, 0xad, 0xbe, 0xef,       /* overwritten */
  0x00, 0x03, 0x00, 0x15, 0x00, 0x00, 0x00, 0x01,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x33,
  'h', 'e', 'l', 'l', 'o', 0x00, 0x00, 0x00,
};

static void
test_packet_checksum (void)
{
  guint8 packet[sizeof (data_packet)];
  guint8 zeroed[sizeof (data_packet)];
  guint32 crc;

  memcpy (packet, data_packet, sizeof (packet));
  sec_sctp_packet_set_checksum (packet, sizeof (packet));
  /* the rest untouched */
  g_assert_cmpmem (packet, 8, data_packet, 8);
  g_assert_cmpmem (packet + 12, sizeof (packet) - 12, data_packet + 12,
      sizeof (packet) - 12);
  /* the CRC of the packet with a zero field, least significant byte
   * first (RFC 9260 Appendix A) */
  memcpy (zeroed, data_packet, sizeof (zeroed));
  memset (zeroed + 8, 0, 4);
  crc = sec_sctp_crc32c (zeroed, sizeof (zeroed));
  g_assert_cmpuint (packet[8], ==, crc & 0xff);
  g_assert_cmpuint (packet[9], ==, (crc >> 8) & 0xff);
  g_assert_cmpuint (packet[10], ==, (crc >> 16) & 0xff);
  g_assert_cmpuint (packet[11], ==, crc >> 24);
  /* a second time gives the same (the old value is not summed in) */
  memcpy (zeroed, packet, sizeof (zeroed));
  sec_sctp_packet_set_checksum (zeroed, sizeof (zeroed));
  g_assert_cmpmem (zeroed, sizeof (zeroed), packet, sizeof (packet));
#ifdef SEC_TEST_WITH_USRSCTP
  {
    guint32 theirs;

    /* usrsctp_crc32c () returns the field as it stores it */
    memset (zeroed + 8, 0, 4);
    theirs = usrsctp_crc32c (zeroed, sizeof (zeroed));
    g_assert_cmpmem (packet + 8, 4, &theirs, 4);
  }
#endif
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crc32c/check-values", test_check_values);
  g_test_add_func ("/crc32c/instruction-matches-table",
      test_instruction_matches_table);
  g_test_add_func ("/crc32c/packet-checksum", test_packet_checksum);
  return g_test_run ();
}
