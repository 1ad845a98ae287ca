/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RFC 7983 §7 and RFC 5761 §4: see demux.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "demux.h"

SecDemuxKind
sec_demux_classify (const guint8 * data, gsize len)
{
  guint8 first;

  if (data == NULL || len == 0)
    return SEC_DEMUX_MALFORMED;
  first = data[0];
  /* RFC 7983 §7: the first byte decides */
  if (first <= 3)
    return SEC_DEMUX_STUN;
  if (first >= 16 && first <= 19)
    return SEC_DEMUX_ZRTP;
  if (first >= 20 && first <= 63)
    return len >= SEC_DEMUX_DTLS_MIN ? SEC_DEMUX_DTLS : SEC_DEMUX_MALFORMED;
  if (first >= 64 && first <= 79)
    return SEC_DEMUX_TURN_CHANNEL;
  if (first >= 128 && first <= 191) {
    /* RFC 5761 §4: RTCP packet types 192..223 (SR 200, RR 201, SDES,
     * BYE, APP, RTPFB 205, PSFB 206, XR 207) lie where RTP payload types
     * 64..95 with the marker bit would, which rtcp-mux forbids for RTP */
    if (len >= 2 && data[1] >= 192 && data[1] <= 223)
      return len >= SEC_DEMUX_RTCP_MIN ? SEC_DEMUX_RTCP : SEC_DEMUX_MALFORMED;
    return len >= SEC_DEMUX_RTP_MIN ? SEC_DEMUX_RTP : SEC_DEMUX_MALFORMED;
  }
  return SEC_DEMUX_UNKNOWN;
}

const gchar *
sec_demux_kind_name (SecDemuxKind kind)
{
  switch (kind) {
    case SEC_DEMUX_MALFORMED:
      return "malformed";
    case SEC_DEMUX_STUN:
      return "stun";
    case SEC_DEMUX_ZRTP:
      return "zrtp";
    case SEC_DEMUX_DTLS:
      return "dtls";
    case SEC_DEMUX_TURN_CHANNEL:
      return "turn-channel";
    case SEC_DEMUX_RTP:
      return "rtp";
    case SEC_DEMUX_RTCP:
      return "rtcp";
    case SEC_DEMUX_UNKNOWN:
      break;
  }
  return "unknown";
}
