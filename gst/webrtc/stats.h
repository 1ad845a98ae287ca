/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * W3C RTCStats assembly for secwebrtcbin's get-stats ("Identifiers for
 * WebRTC's Statistics API", W3C Candidate Recommendation, webrtc-stats):
 * what the bin's parts report (the ICE transport, the DTLS association,
 * rtpbin's RTP session, the negotiated m-lines) becomes one structure
 * "application/x-webrtc-stats" whose fields are stats ids, each holding
 * one RTCStats dictionary with the W3C member names and types
 * (docs/design/webrtc.md, "Statistics", lists every field and where it
 * comes from).
 *
 * Plain C over GStreamer's core types: no elements, pads, threads or
 * clocks (the caller gives the time). The inputs are copies the caller
 * collected; nothing here trusts them to be well formed: a missing or
 * mistyped field leaves the W3C member it feeds absent, never a wrong
 * value. Keys never reach it: the inputs hold fingerprints, never
 * certificates' private keys or SRTP keys.
 *
 * Stats ids are GstStructure field names, and GStreamer interns field
 * names for the life of the process: every id is built from small
 * numbers the bin controls (the m-line index, a candidate's position in
 * the list signaled, a payload type), never from SSRCs, addresses or
 * ports, so that a long-running process does not grow with every call.
 */
#ifndef SEC_WEBRTC_STATS_H
#define SEC_WEBRTC_STATS_H

#include <gst/gst.h>

#include "codecs.h"

G_BEGIN_DECLS

/* The ids of transport 0 (the BUNDLE transport) and its certificates;
 * another transport n is "transport-<n>", and the ids of its candidates,
 * pair, certificates and codecs end with "-t<n>". */
#define SEC_WEBRTC_STATS_TRANSPORT_ID "transport-0"
#define SEC_WEBRTC_STATS_LOCAL_CERTIFICATE_ID "certificate-local"
#define SEC_WEBRTC_STATS_REMOTE_CERTIFICATE_ID "certificate-remote"

/* One m-line, as negotiated. Owned by the input (freed by
 * sec_webrtc_stats_input_clear). */
typedef struct
{
  guint mline;
  gchar *mid;                   /* NULL before it was in a description */
  gchar *kind;                  /* "audio" or "video" */

  /* what we send: the SSRC in our packets (0: nothing), our RTX SSRC
   * (RFC 4588; 0: none), the codec of the payload type we send with */
  guint32 ssrc;
  guint32 rtx_ssrc;
  SecWebRTCCodec *send_codec;   /* NULL: we do not send (yet) */

  /* the stream the bin delivers on the m-line's src_%u pad (0: none), the
   * codec of its payload type (NULL: unknown) */
  guint32 received_ssrc;
  SecWebRTCCodec *receive_codec;
  /* RTX negotiated for that payload type; the peer's RTX SSRC for the
   * stream (a=ssrc-group:FID; 0: not signaled). With RTX negotiated and
   * no RTX SSRC known, the counts that include retransmissions are left
   * out. */
  gboolean receive_rtx;
  guint32 received_rtx_ssrc;
  /* RTCP NACK packets (RFC 4585 §6.2.1) we sent about that stream; -1:
   * not known (sec_webrtc_stats_input_add_mline sets -1) */
  gint64 nack_packets_sent;
} SecWebRTCStatsMLine;

/* What rtpsession forgot: it removes a source that sent nothing for a
 * while (RFC 3550 §6.3.5; a retransmission stream, or a paused one), and
 * a source that comes back starts its counters from zero. The bin adds
 * the last counters of every source rtpsession removes here
 * (sec_webrtc_stats_history_add), and the stats add them to the current
 * ones, so that every W3C counter only grows. At most 256 sources are
 * kept; past that, the counters of sources not kept are unknown (and
 * left out). Not locked: the caller serialises. */
typedef struct _SecWebRTCStatsHistory SecWebRTCStatsHistory;

SecWebRTCStatsHistory *sec_webrtc_stats_history_new (void);
void sec_webrtc_stats_history_free (SecWebRTCStatsHistory * history);
SecWebRTCStatsHistory *sec_webrtc_stats_history_copy
    (const SecWebRTCStatsHistory * history);
/* @source_stats: rtpsource's "stats" ("application/x-rtp-source-stats"
 * with ssrc, internal and the counters) of a source being removed. */
void sec_webrtc_stats_history_add (SecWebRTCStatsHistory * history,
    const GstStructure * source_stats);

/* What the caller collected, at @timestamp. Every member may be NULL (or
 * 0, -1 for the states): its W3C members are left out. */
typedef struct
{
  /* W3C DOMHighResTimeStamp: ms since the Unix epoch */
  gdouble timestamp;

  /* which of the bin's transports this is (its id; 0: max-bundle's) */
  guint transport;

  /* the transport exists (made by the first offer or remote offer) */
  gboolean have_transport;
  /* GstSecIceState value (new, checking, connected, completed, failed,
   * disconnected, closed), -1 unknown; our ICE role: 1 controlling, 0
   * controlled, -1 not decided yet (before the first exchange completed) */
  gint ice_state;
  gint ice_controlling;
  /* secice's transport "stats" (datagrams-*, bytes-*,
   * selected-pair-bytes-*) and "selected-pair" (local-type,
   * local-protocol, local-address, local-port, and remote-*) */
  GstStructure *ice_stats;
  GstStructure *selected_pair;
  /* "candidate:..." strings: ours as signaled, the peer's as added */
  gchar **local_candidates;
  gchar **remote_candidates;

  /* GstSecDtlsConnectionState value (new, connecting, connected, closed,
   * failed), -1 unknown; the association's dtls-connected message
   * (dtls-version, cipher-suite, srtp-profile, is-client,
   * local-fingerprint, peer-fingerprint), NULL before it connected */
  gint dtls_state;
  GstStructure *dtls_info;
  /* "sha-256 AB:CD:..." of our certificate */
  gchar *local_fingerprint;

  /* rtpsession's "stats" (application/x-rtp-session-stats with the
   * per-source structures in "source-stats"), and what it forgot (NULL:
   * nothing) */
  GstStructure *rtp_stats;
  SecWebRTCStatsHistory *rtp_history;

  /* SecWebRTCStatsMLine, by m-line */
  GArray *mlines;

  /* the data channels' SCTP association when it runs on this transport:
   * secsctpenc's "stats" (application/x-secsctp-stats: state, packets-*,
   * bytes-*, and "channels", a list of structures with id, label,
   * protocol, state, messages-*, bytes-*), else NULL */
  GstStructure *sctp_stats;
} SecWebRTCStatsInput;

void sec_webrtc_stats_input_init (SecWebRTCStatsInput * input);
/* Frees what the input holds (init it again to reuse it). */
void sec_webrtc_stats_input_clear (SecWebRTCStatsInput * input);
/* A new m-line entry, zeroed but for nack_packets_sent (-1); the input
 * owns what is put into it. */
SecWebRTCStatsMLine *sec_webrtc_stats_input_add_mline
    (SecWebRTCStatsInput * input, guint mline);

/* Which RTP stream entries a reply holds (W3C getStats with a sender or
 * a receiver as selector: outbound-rtp or inbound-rtp, with what they
 * refer to). */
typedef enum
{
  SEC_WEBRTC_STATS_OUTBOUND = 1 << 0,   /* outbound-rtp, remote-inbound-rtp */
  SEC_WEBRTC_STATS_INBOUND = 1 << 1,    /* inbound-rtp */
  SEC_WEBRTC_STATS_ALL = SEC_WEBRTC_STATS_OUTBOUND | SEC_WEBRTC_STATS_INBOUND,
} SecWebRTCStatsStreams;

/* The reply of get-stats: "application/x-webrtc-stats" with one field per
 * stats id (transport-0, candidate-pair-*, local-candidate-*,
 * remote-candidate-*, certificate-local, certificate-remote, codec-<pt>,
 * outbound-rtp-<mline>, inbound-rtp-<mline>, remote-inbound-rtp-<mline>,
 * sctp-transport and data-channel-<stream id> when @input has
 * sctp_stats; those come with every @streams and @only_mline),
 * each a GstStructure named by its W3C type with `id`, `type` and
 * `timestamp` and that type's members. @streams: which RTP stream entries
 * (0: none); @only_mline >= 0: of that m-line only. The codecs are those
 * the stream entries refer to; the transport, pair, candidates and
 * certificates are always there (when known). */
GstStructure *sec_webrtc_stats_build (const SecWebRTCStatsInput * input,
    gint only_mline, SecWebRTCStatsStreams streams);

G_END_DECLS

#endif /* SEC_WEBRTC_STATS_H */
