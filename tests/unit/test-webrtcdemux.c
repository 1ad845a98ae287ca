/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RFC 7983 / RFC 5761 classification of datagrams (gst/webrtc/demux.c). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "demux.h"

#include <string.h>

/* every first byte lands where RFC 7983 §7 puts it */
static void
test_first_byte (void)
{
  guint8 datagram[64];
  guint b;

  memset (datagram, 0, sizeof (datagram));
  for (b = 0; b < 256; b++) {
    SecDemuxKind kind, expected;

    datagram[0] = b;
    datagram[1] = 96;           /* an RTP payload type */
    kind = sec_demux_classify (datagram, sizeof (datagram));
    if (b <= 3)
      expected = SEC_DEMUX_STUN;
    else if (b >= 16 && b <= 19)
      expected = SEC_DEMUX_ZRTP;
    else if (b >= 20 && b <= 63)
      expected = SEC_DEMUX_DTLS;
    else if (b >= 64 && b <= 79)
      expected = SEC_DEMUX_TURN_CHANNEL;
    else if (b >= 128 && b <= 191)
      expected = SEC_DEMUX_RTP;
    else
      expected = SEC_DEMUX_UNKNOWN;
    g_assert_cmpstr (sec_demux_kind_name (kind), ==,
        sec_demux_kind_name (expected));
  }
}

/* RFC 5761 §4: the second byte tells RTCP (192..223) from RTP */
static void
test_rtp_or_rtcp (void)
{
  guint8 packet[12] = { 0x80, 0, 0, 1, 0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44 };
  guint pt;

  for (pt = 0; pt < 256; pt++) {
    SecDemuxKind kind;

    packet[1] = pt;
    kind = sec_demux_classify (packet, sizeof (packet));
    if (pt >= 192 && pt <= 223)
      g_assert_cmpint (kind, ==, SEC_DEMUX_RTCP);
    else
      g_assert_cmpint (kind, ==, SEC_DEMUX_RTP);
  }
  /* receiver report with padding bit and a count: still RTCP */
  packet[0] = 0xa1;
  packet[1] = 201;
  g_assert_cmpint (sec_demux_classify (packet, 8), ==, SEC_DEMUX_RTCP);
}

/* every prefix of a real DTLS record, RTP and RTCP packet is either what
 * it is or malformed, never another protocol */
static void
test_prefixes (void)
{
  static const guint8 client_hello[] = {
    0x16, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x40, 0x01, 0x00, 0x00, 0x34,
  };
  static const guint8 rtp[] = {
    0x80, 0x60, 0x12, 0x34, 0x00, 0x00, 0x10, 0x00, 0xde, 0xad, 0xbe, 0xef,
    0x01, 0x02,
  };
  static const guint8 rtcp_sr[] = {
    0x80, 0xc8, 0x00, 0x06, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00,
  };
  struct
  {
    const guint8 *data;
    gsize len, min;
    SecDemuxKind kind;
  } cases[] = {
    {client_hello, sizeof (client_hello), SEC_DEMUX_DTLS_MIN, SEC_DEMUX_DTLS},
    {rtp, sizeof (rtp), SEC_DEMUX_RTP_MIN, SEC_DEMUX_RTP},
    {rtcp_sr, sizeof (rtcp_sr), SEC_DEMUX_RTCP_MIN, SEC_DEMUX_RTCP},
  };
  guint c;
  gsize len;

  for (c = 0; c < G_N_ELEMENTS (cases); c++) {
    for (len = 0; len <= cases[c].len; len++) {
      SecDemuxKind kind = sec_demux_classify (cases[c].data, len);

      g_assert_cmpint (kind, ==, len >= cases[c].min ? cases[c].kind :
          SEC_DEMUX_MALFORMED);
    }
  }
  g_assert_cmpint (sec_demux_classify (NULL, 10), ==, SEC_DEMUX_MALFORMED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/webrtc/demux/first-byte", test_first_byte);
  g_test_add_func ("/webrtc/demux/rtp-or-rtcp", test_rtp_or_rtcp);
  g_test_add_func ("/webrtc/demux/prefixes", test_prefixes);
  return g_test_run ();
}
