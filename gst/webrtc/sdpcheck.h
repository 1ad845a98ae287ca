/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading and checking a remote description (offer or answer) before the
 * bin applies any of it: SDP text in, a plain struct out, or a GError that
 * says what is wrong and what the peer must do instead.
 *
 * The security rules (docs/design/webrtc.md, "Checking a remote
 * description"), each refused with its own error code, for every m-line
 * that is not rejected:
 *   - a DTLS profile (UDP/TLS/RTP/SAVPF, UDP/TLS/RTP/SAVP, TCP/DTLS/RTP/SAVPF,
 *     TCP/DTLS/RTP/SAVP; UDP/DTLS/SCTP, TCP/DTLS/SCTP, DTLS/SCTP for data);
 *     plain RTP (RTP/AVP, RTP/AVPF) and SDES-keyed SRTP (RTP/SAVP,
 *     RTP/SAVPF) are refused, and so is a=crypto without a=fingerprint;
 *   - an a=fingerprint (session or media level) with sha-256, sha-384 or
 *     sha-512 (RFC 8122 §5); sha-1, sha-224, md5 and md2 are refused;
 *   - a=ice-ufrag and a=ice-pwd (RFC 8839 §5.4);
 *   - a=rtcp-mux on RTP m-lines (RFC 8829 §5.1.1: the bin requires it);
 *   - an answer does not say a=setup:actpass (RFC 8842 §5.3);
 *   - an a=mid on every m-line, each distinct (RFC 5888, RFC 8843);
 *   - bundled m-lines agree on fingerprints, ICE credentials, a=setup and
 *     extmap ids, and an SSRC is declared by one m-line of a transport.
 *
 * Parsing goes through GstSDPMessage (gstreamer-sdp-1.0) after a line
 * scan of our own, so that garbage or truncated text gives an error that
 * names the line; nothing here aborts on bad input.
 *
 * Rejected m-lines (port 0 without a=bundle-only) are kept with their
 * index, media, protocol and mid; nothing else of them is read.
 *
 * Plain C over GLib and GstSDPMessage: no pads, threads or clocks.
 */
#ifndef SEC_SDP_CHECK_H
#define SEC_SDP_CHECK_H

#include <glib.h>
#include <gst/sdp/gstsdpmessage.h>

G_BEGIN_DECLS

#define SEC_SDP_ERROR (sec_sdp_error_quark ())

typedef enum
{
  SEC_SDP_ERROR_INVALID,        /* not SDP, or a malformed line or attribute */
  SEC_SDP_ERROR_NO_FINGERPRINT, /* no a=fingerprint for an m-line */
  SEC_SDP_ERROR_WEAK_HASH,      /* a fingerprint weaker than sha-256 */
  SEC_SDP_ERROR_INSECURE_PROFILE,    /* RTP/AVP(F), RTP/SAVP(F) */
  SEC_SDP_ERROR_SDES,                /* a=crypto keys without DTLS */
  SEC_SDP_ERROR_NO_ICE_CREDENTIALS,  /* a=ice-ufrag / a=ice-pwd missing */
  SEC_SDP_ERROR_NO_RTCP_MUX,         /* an RTP m-line without a=rtcp-mux */
  SEC_SDP_ERROR_SETUP,               /* a=setup:actpass in an answer */
  SEC_SDP_ERROR_BUNDLE,              /* bundled m-lines disagree, bad group */
  SEC_SDP_ERROR_MID,                 /* a=mid missing or used twice */
  SEC_SDP_ERROR_UNSUPPORTED,         /* a protocol we do not speak */
  SEC_SDP_ERROR_FINGERPRINT_CHANGED, /* renegotiation: see below */
  SEC_SDP_ERROR_RENEGOTIATION,       /* m-lines removed or their mids changed */
} SecSdpError;

GQuark sec_sdp_error_quark (void);

/* The largest description taken, in bytes. */
#define SEC_SDP_MAX_LENGTH (1024 * 1024)

typedef enum
{
  SEC_SDP_TYPE_OFFER,
  SEC_SDP_TYPE_ANSWER,
} SecSdpType;

typedef enum
{
  SEC_SDP_MEDIA_AUDIO,
  SEC_SDP_MEDIA_VIDEO,
  SEC_SDP_MEDIA_APPLICATION,
  SEC_SDP_MEDIA_OTHER, /* see SecSdpMedia.media */
} SecSdpMediaKind;

typedef enum
{
  SEC_SDP_PROTO_OTHER,     /* only on a rejected m-line */
  SEC_SDP_PROTO_DTLS_SRTP, /* UDP/TLS/RTP/SAVP(F), TCP/DTLS/RTP/SAVP(F) */
  SEC_SDP_PROTO_DTLS_SCTP, /* UDP/DTLS/SCTP, TCP/DTLS/SCTP, DTLS/SCTP */
} SecSdpProto;

/* Directions as the peer states them: "sendonly" means the peer sends. */
typedef enum
{
  SEC_SDP_DIRECTION_SENDRECV,
  SEC_SDP_DIRECTION_SENDONLY,
  SEC_SDP_DIRECTION_RECVONLY,
  SEC_SDP_DIRECTION_INACTIVE,
} SecSdpDirection;

/* RFC 8842 / RFC 4145 a=setup; absent means active (RFC 4145 §4). */
typedef enum
{
  SEC_SDP_SETUP_ACTPASS,
  SEC_SDP_SETUP_ACTIVE,
  SEC_SDP_SETUP_PASSIVE,
  SEC_SDP_SETUP_HOLDCONN,
} SecSdpSetup;

/* a=extmap:<id>[/<direction>] <uri> [<attributes>] (RFC 8285 §8);
 * session-level ones are merged into every m-line */
typedef struct
{
  guint id;                  /* 1..255; 4096..4351 only in offers */
  SecSdpDirection direction; /* sendrecv when not given */
  gchar *uri;
  gchar *attributes; /* NULL when none */
} SecSdpExtmap;

/* a=ssrc:<ssrc> cname:<cname> and a=ssrc:<ssrc> msid:<msid> (RFC 5576,
 * RFC 8830), one entry per SSRC */
typedef struct
{
  guint32 ssrc;
  gchar *cname; /* NULL when not given */
  gchar *msid;  /* NULL when not given */
} SecSdpSsrc;

/* a=ssrc-group:<semantics> <ssrc>... (FID for RTX, RFC 5576 §4.2) */
typedef struct
{
  gchar *semantics;
  GArray *ssrcs; /* guint32 */
} SecSdpSsrcGroup;

/* One payload type of an RTP m-line; the strings as written (codecs.c
 * turns them into caps). */
typedef struct
{
  guint pt;        /* 0..63 or 96..127 */
  gchar *rtpmap;   /* "opus/48000/2"; NULL when not given */
  gchar *fmtp;     /* "minptime=10;useinbandfec=1"; or NULL */
  gchar **rtcp_fb; /* "nack", "nack pli", "ccm fir", ...;
                                 * a=rtcp-fb:* ones included */
} SecSdpPayload;

typedef struct
{
  guint index; /* position of the m-line, from 0 */
  SecSdpMediaKind kind;
  gchar *media;         /* "audio", "video", "application", ... */
  guint port;           /* 0: rejected, or bundle-only */
  gboolean rejected;    /* port 0 without a=bundle-only in a group */
  gboolean bundle_only; /* a=bundle-only (RFC 8843 §6) */
  gchar *protocol;      /* as written: "UDP/TLS/RTP/SAVPF" */
  SecSdpProto proto;
  gboolean feedback; /* an AVPF profile (...SAVPF) */
  gchar **formats;   /* the format list as written */
  gchar *mid;        /* NULL only on a rejected m-line */

  /* Everything below is set only on m-lines that are not rejected. */

  /* RFC 8843: the BUNDLE group the m-line is in (index into
   * SecSdpDescription.bundle_groups, or -1), and the m-line whose
   * transport carries it: its group's tagged m-line, or itself. */
  gint bundle_group;
  guint transport_index;

  SecSdpDirection direction; /* media level, else session level */

  /* The transport, as it applies to this m-line: media level, else
   * session level, else (bundled) the tagged m-line's. */
  SecSdpSetup setup;
  gchar *ice_ufrag;
  gchar *ice_pwd;      /* a password: never log it */
  gchar **ice_options; /* "trickle", ... */
  gboolean ice_trickle;
  gchar **fingerprints; /* normalised "sha-256 AB:CD:...", >= 1 */
  gboolean rtcp_mux;
  gboolean rtcp_mux_only;     /* RFC 8858 */
  gboolean rtcp_rsize;        /* RFC 5506 */
  gchar **candidates;         /* "candidate:..." values as written */
  gboolean end_of_candidates; /* RFC 8840, media or session level */

  /* RTP m-lines */
  GPtrArray *payloads;    /* SecSdpPayload *, in m-line order */
  GPtrArray *extmaps;     /* SecSdpExtmap * */
  GPtrArray *ssrcs;       /* SecSdpSsrc * */
  GPtrArray *ssrc_groups; /* SecSdpSsrcGroup * */
  gchar **msids;          /* a=msid values: "<stream> [<track>]" */

  /* data channel m-lines (RFC 8841) */
  guint sctp_port; /* 0 when not given (RFC 8841: 5000) */
  gboolean has_max_message_size;
  guint64 max_message_size; /* 0: no limit (RFC 8841 §6.1) */
} SecSdpMedia;

typedef struct
{
  SecSdpType type;
  gchar *origin_session_id; /* o= sess-id and sess-version */
  gchar *origin_session_version;
  gboolean ice_lite;
  gchar **fingerprints;     /* session level, normalised */
  GPtrArray *bundle_groups; /* gchar ** (mids), as written */
  GPtrArray *media;         /* SecSdpMedia *, in m-line order */
} SecSdpDescription;

/* Reads and checks @length bytes of SDP text (-1: NUL-terminated). On
 * success returns a description that satisfies every rule above; on
 * failure NULL and a GError in SEC_SDP_ERROR whose message names the
 * m-line (index, media and mid) or line and the rule. Never aborts,
 * whatever the bytes; no message quotes an ICE password or an a=crypto
 * key. */
SecSdpDescription *sec_sdp_check (
    const gchar * text, gssize length, SecSdpType type, GError ** error);

/* The same for an already parsed message (no line scan, so less precise
 * errors for malformed lines). */
SecSdpDescription *sec_sdp_check_message (
    const GstSDPMessage * message, SecSdpType type, GError ** error);

void sec_sdp_description_free (SecSdpDescription * description);

/* The m-line with @mid, or NULL. */
const SecSdpMedia *sec_sdp_description_find_mid (
    const SecSdpDescription * description, const gchar * mid);

/* Parses an a=fingerprint value (RFC 8122 §5: "<hash> <hex pairs joined
 * by ':'>", the hash name ASCII case-insensitive, exactly the digest
 * length of the hash) and returns it as secdtlsdec's peer-fingerprint
 * takes it: "sha-256 AB:CD:..." (lower-case hash, upper-case hex).
 * sha-1, sha-224, md5 and md2 fail with SEC_SDP_ERROR_WEAK_HASH, the
 * rest with SEC_SDP_ERROR_INVALID. */
gchar *sec_sdp_fingerprint_normalize (const gchar * value, GError ** error);

/* What a renegotiation changes for one m-line of the new description
 * (flags; 0: carries on as before). */
typedef enum
{
  SEC_SDP_CHANGE_NEW_MLINE = 1 << 0,   /* added, or a rejected one reused */
  SEC_SDP_CHANGE_STOPPED = 1 << 1,     /* active before, rejected now */
  SEC_SDP_CHANGE_ICE_RESTART = 1 << 2, /* its transport has new ICE
                                         * credentials (RFC 8445 §9) */
  SEC_SDP_CHANGE_NEW_DTLS = 1 << 3,    /* its transport needs a new DTLS
                                         * association: a new transport, or
                                         * a new fingerprint with an ICE
                                         * restart */
} SecSdpChange;

/* Compares a new remote description with the previous one from the same
 * peer (both from sec_sdp_check). Refused:
 *   - fewer m-lines than before, or an m-line that was not rejected
 *     changing its media kind or its mid (RFC 8829 §5.2.2, §5.3.1:
 *     m-lines keep their place and mid) -> SEC_SDP_ERROR_RENEGOTIATION;
 *   - a changed set of fingerprints on a transport that continues without
 *     an ICE restart (same a=ice-ufrag and a=ice-pwd): its DTLS
 *     association continues, and the peer's certificate cannot change
 *     inside one (a new certificate needs a new association, RFC 8842
 *     §5; JSEP, RFC 8829 §5.11, ties new transports to an ICE restart)
 *     -> SEC_SDP_ERROR_FINGERPRINT_CHANGED.
 * A transport "continues" when its owner (an m-line that is its own
 * transport_index) was an owner at the same index before. With an ICE
 * restart a new fingerprint is allowed and the m-lines on that transport
 * are marked SEC_SDP_CHANGE_NEW_DTLS: the bin must then make a new DTLS
 * association, checked against the new fingerprint.
 * @changes (optional): a GArray of guint SecSdpChange flags, one per
 * m-line of @next; set only on success. */
gboolean sec_sdp_check_renegotiation (const SecSdpDescription * previous,
    const SecSdpDescription * next, GArray ** changes, GError ** error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecSdpDescription, sec_sdp_description_free)

G_END_DECLS

#endif /* SEC_SDP_CHECK_H */
