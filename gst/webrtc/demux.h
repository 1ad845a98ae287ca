/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a datagram on a WebRTC transport is, by its first bytes: RFC 7983
 * (updating RFC 5764 §5.1.2) for the protocols sharing one ICE
 * component, and RFC 5761 §4 for RTP and RTCP on one port (rtcp-mux).
 * Plain C: the bin's demux element routes each datagram by it.
 */
#ifndef SEC_WEBRTC_DEMUX_H
#define SEC_WEBRTC_DEMUX_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SEC_DEMUX_MALFORMED,          /* empty, or too short for what it says */
  SEC_DEMUX_STUN,               /* 0..3 (libnice takes these itself) */
  SEC_DEMUX_ZRTP,               /* 16..19 */
  SEC_DEMUX_DTLS,               /* 20..63, at least a record header */
  SEC_DEMUX_TURN_CHANNEL,       /* 64..79 */
  SEC_DEMUX_RTP,                /* 128..191, an RTP header */
  SEC_DEMUX_RTCP,               /* 128..191, packet type 192..223 */
  SEC_DEMUX_UNKNOWN,            /* any other first byte */
} SecDemuxKind;

/* The smallest datagram of each kind that can be what it claims: a DTLS
 * record header (RFC 6347 §4.1), an RTP fixed header (RFC 3550 §5.1), an
 * RTCP header with its SSRC (RFC 3550 §6.4). */
#define SEC_DEMUX_DTLS_MIN 13
#define SEC_DEMUX_RTP_MIN 12
#define SEC_DEMUX_RTCP_MIN 8

SecDemuxKind sec_demux_classify (const guint8 * data, gsize len);

/* "dtls", "rtp", ... for logs and stats. */
const gchar *sec_demux_kind_name (SecDemuxKind kind);

G_END_DECLS

#endif /* SEC_WEBRTC_DEMUX_H */
