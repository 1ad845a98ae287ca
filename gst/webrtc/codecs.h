/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Codecs and payload types of the webrtc bin: what an m-line's payload
 * list means, what we offer from a sink pad's caps, what we answer to an
 * offer, which payload type means what on a transport, and the caps of a
 * received stream.
 *
 * Plain C over GStreamer's core types (GstCaps, GstStructure) and
 * gstreamer-sdp's GstSDPMedia: no pads, elements, threads or clocks.
 * Every function is safe on untrusted input: bad input is a GError that
 * says what is wrong (domain SEC_WEBRTC_CODEC_ERROR), never an abort.
 *
 * Codecs implemented (everything else in a remote description is kept in
 * the parsed list as SEC_WEBRTC_CODEC_UNKNOWN and never answered):
 *
 *   VP8/90000    RFC 7741
 *   VP9/90000    RFC 9628 (profile-id, default 0)
 *   H264/90000   RFC 6184 (packetization-mode 0 or 1, profile-level-id
 *                 matched by profile, level changeable, §8.1 and §8.2.2)
 *   opus/48000/2 RFC 7587 (minptime, useinbandfec, stereo, ...)
 *   PCMU/8000    RFC 3551 static payload type 0
 *   PCMA/8000    RFC 3551 static payload type 8
 *   rtx          RFC 4588 (apt=), offered for every video codec
 *
 * RTCP feedback (RFC 4585, RFC 5104) implemented for video codecs: "nack",
 * "nack pli", "ccm fir". Never "transport-cc" nor "goog-remb".
 *
 * The bin uses it in this order:
 *
 *   offer:   codecs = sec_webrtc_codecs_offer (transceiver caps, space)
 *            sec_webrtc_codecs_to_sdp_media (codecs, media)
 *   answer:  offered = sec_webrtc_codecs_from_sdp_media (remote m-line)
 *            codecs = sec_webrtc_codecs_answer (offered, caps, space)
 *              (NULL with SEC_WEBRTC_CODEC_ERROR_NO_COMMON: answer the
 *              m-line with port 0)
 *            sec_webrtc_codecs_to_sdp_media (codecs, media)
 *   both, once the exchange is complete (ours = the list we wrote,
 *   theirs = sec_webrtc_codecs_from_sdp_media of the remote m-line):
 *            negotiated = sec_webrtc_codecs_negotiate (ours, theirs)
 *            send with sec_webrtc_codecs_find_for_caps (negotiated,
 *              sink caps)->payload_type; receive with
 *              sec_webrtc_codec_to_caps (negotiated[i]) per payload type;
 *              RTX: codec->apt; feedback: sec_webrtc_codec_has_feedback ()
 */
#ifndef SEC_WEBRTC_CODECS_H
#define SEC_WEBRTC_CODECS_H

#include <gst/gst.h>
#include <gst/sdp/sdp.h>

G_BEGIN_DECLS

#define SEC_WEBRTC_CODEC_ERROR (sec_webrtc_codec_error_quark ())

typedef enum
{
  /* malformed attribute text or caps */
  SEC_WEBRTC_CODEC_ERROR_INVALID,
  /* well formed, but a codec or parameter we do not implement (caps of
   * a sink pad; a remote description's unknown codecs are no error) */
  SEC_WEBRTC_CODEC_ERROR_UNSUPPORTED,
  /* an m-line has no codec both sides can use: reject it (port 0) */
  SEC_WEBRTC_CODEC_ERROR_NO_COMMON,
  /* a payload type already means another codec on this transport, or
   * no payload type is free */
  SEC_WEBRTC_CODEC_ERROR_PAYLOAD_TYPE,
} SecWebRTCCodecError;

GQuark sec_webrtc_codec_error_quark (void);

typedef enum
{
  SEC_WEBRTC_CODEC_UNKNOWN, /* in a remote description; never used */
  SEC_WEBRTC_CODEC_VP8,
  SEC_WEBRTC_CODEC_VP9,
  SEC_WEBRTC_CODEC_H264,
  SEC_WEBRTC_CODEC_OPUS,
  SEC_WEBRTC_CODEC_PCMU,
  SEC_WEBRTC_CODEC_PCMA,
  SEC_WEBRTC_CODEC_RTX,
} SecWebRTCCodecKind;

/* One fmtp parameter, in the order of the a=fmtp line. A bare token
 * (telephone-event's "0-15", red's "111/111") has value NULL. Names keep
 * their case; lookups ignore it (RFC 4566 §6 leaves the syntax to each
 * codec, and all of ours use case-insensitive names). */
typedef struct
{
  gchar *name;
  gchar *value;
} SecWebRTCCodecParam;

/* One payload type of an m-line. Read the fields; change them only
 * through the functions below. */
typedef struct
{
  SecWebRTCCodecKind kind;
  gchar *media;      /* "audio" or "video" (lower case) */
  gint payload_type; /* 0..127, or -1: not assigned yet */
  /* as written in a=rtpmap; ours are "VP8", "VP9", "H264", "opus",
   * "PCMU", "PCMA", "rtx" */
  gchar *encoding_name;
  guint clock_rate;
  guint channels;    /* rtpmap's encoding parameters; 0: none */
  GPtrArray *params; /* of SecWebRTCCodecParam (fmtp) */
  /* a=rtcp-fb values without the payload type, lower case, single
   * spaces: "nack", "nack pli", "ccm fir", "transport-cc", ... (a
   * remote "*" line is copied to every payload type) */
  GPtrArray *feedback; /* of gchar * */
  gint apt;            /* rtx: the payload type it repairs; else -1 */
} SecWebRTCCodec;

/* The implemented feedback types, also the values to pass to
 * sec_webrtc_codec_has_feedback (). */
#define SEC_WEBRTC_FEEDBACK_NACK "nack"
#define SEC_WEBRTC_FEEDBACK_NACK_PLI "nack pli"
#define SEC_WEBRTC_FEEDBACK_CCM_FIR "ccm fir"

SecWebRTCCodec *sec_webrtc_codec_copy (const SecWebRTCCodec * codec);
void sec_webrtc_codec_free (SecWebRTCCodec * codec);

/* The value of fmtp parameter @name (case-insensitive), NULL when absent
 * or a bare token. */
const gchar *sec_webrtc_codec_get_param (const SecWebRTCCodec * codec,
    const gchar * name);

/* TRUE if @codec carries the feedback @type ("nack pli"). */
gboolean sec_webrtc_codec_has_feedback (const SecWebRTCCodec * codec,
    const gchar * type);

/* The attribute values the codec writes, without "a=" nor the payload
 * type: "VP8/90000", "opus/48000/2"; "minptime=10;useinbandfec=1" (NULL:
 * no fmtp line). g_free. */
gchar *sec_webrtc_codec_rtpmap_string (const SecWebRTCCodec * codec);
gchar *sec_webrtc_codec_fmtp_string (const SecWebRTCCodec * codec);

/* The caps of an RTP stream of @codec (a received stream: pass the
 * negotiated codec, which carries the sender's fmtp), as
 * gst_sdp_media_get_caps_from_media () builds them and the depayloaders
 * accept them: application/x-rtp with media, payload, clock-rate,
 * encoding-name (upper case), encoding-params (the rtpmap's channels,
 * audio), each fmtp parameter as a lower-case string field (a bare token
 * as "1"), and each feedback as a boolean "rtcp-fb-nack-pli"=TRUE.
 * Unlike gstreamer-sdp: only the parameters and feedback the RTP payload
 * formats and RFCs define (H264, VP8, VP9, Opus, rtx; nack, nack pli,
 * ccm fir, ..., transport-cc, goog-remb): field names are GQuarks, which
 * live as long as the process, so a name a peer makes up never becomes
 * one; and H264 keeps profile-level-id and level-asymmetry-allowed as
 * they are (no "profile" field instead). NULL if @codec has no payload
 * type. */
GstCaps *sec_webrtc_codec_to_caps (const SecWebRTCCodec * codec);

/* --- Parsing an m-line ------------------------------------------------ */

/* The attribute parsers. @value is the attribute value without "a=" and
 * the attribute name ("96 VP8/90000"); a trailing "\r" or blanks are
 * ignored. On error nothing is written.
 *
 * rtpmap: "<pt> <name>/<clock-rate>[/<channels>]" (RFC 4566 §6.6),
 *   pt 0..127, name an RFC 4566 token, clock-rate 1..2147483647,
 *   channels 1..255. @channels is 0 when absent.
 * fmtp: "<pt> <parameters>" (RFC 4566 §6.6), parameters split at ';'
 *   into "name=value" or bare tokens, blanks around each trimmed, empty
 *   ones skipped; printable ASCII only. @params: a new array of
 *   SecWebRTCCodecParam (g_ptr_array_unref).
 * rtcp-fb: "<pt>|* <type>[ <parameter>...]" (RFC 4585 §4.2); @pt is -1
 *   for "*"; @feedback lower case with single spaces ("nack pli"). */
gboolean sec_webrtc_rtpmap_parse (const gchar * value, gint * pt,
    gchar ** encoding_name, guint * clock_rate, guint * channels,
    GError ** error);
gboolean sec_webrtc_fmtp_parse (const gchar * value, gint * pt,
    GPtrArray ** params, GError ** error);
gboolean sec_webrtc_rtcp_fb_parse (const gchar * value, gint * pt,
    gchar ** feedback, GError ** error);

/* The codecs of one RTP m-line, in the order of its format list.
 * @media: "audio" or "video" (any case; anything else is an error).
 * @formats: the m-line's formats (decimal 0..127, no duplicates).
 * @rtpmaps, @fmtps, @rtcp_fbs: the values of every a=rtpmap, a=fmtp and
 * a=rtcp-fb attribute of the m-line (NULL-terminated, NULL for none).
 *
 * Each format gets its rtpmap; without one, 0 and 8 are PCMU/8000 and
 * PCMA/8000 (RFC 3551) and other payload types are left out of the list
 * (nothing can be known about them). Attributes of payload types that are
 * not in the format list are ignored. A malformed attribute, two rtpmap
 * or two fmtp lines for one payload type are errors naming the line. A
 * codec we do not implement, or an implemented name with another clock
 * rate or channel count, is listed as SEC_WEBRTC_CODEC_UNKNOWN; an rtx
 * whose fmtp has no usable apt too. The list may be empty. */
GPtrArray *sec_webrtc_codecs_parse (const gchar * media,
    const gchar * const *formats, const gchar * const *rtpmaps,
    const gchar * const *fmtps, const gchar * const *rtcp_fbs, GError ** error);

/* One payload type of an RTP m-line from the attribute values WITHOUT
 * the payload type, as sdpcheck.c's SecSdpPayload holds them: @rtpmap
 * "VP8/90000" (NULL: none), @fmtp "apt=96" (NULL: none), @rtcp_fb
 * {"nack", "nack pli", NULL} (NULL: none; a=rtcp-fb:* values included),
 * checked as sec_webrtc_codecs_parse () checks them. The codec, of kind
 * SEC_WEBRTC_CODEC_UNKNOWN if it is not one we implement; NULL and
 * SEC_WEBRTC_CODEC_ERROR_INVALID for a malformed value, or
 * SEC_WEBRTC_CODEC_ERROR_UNSUPPORTED for a payload type other than 0 and
 * 8 without rtpmap (leave it out). The caller builds the list (a
 * GPtrArray with sec_webrtc_codec_free as its free function). */
SecWebRTCCodec *sec_webrtc_codec_parse (const gchar * media, guint pt,
    const gchar * rtpmap, const gchar * fmtp, const gchar * const *rtcp_fb,
    GError ** error);

/* The same for a GstSDPMedia (its media, formats and attributes). */
GPtrArray *sec_webrtc_codecs_from_sdp_media (const GstSDPMedia * media,
    GError ** error);

/* Adds @codecs to @media: their payload types to the format list, and
 * for each codec a=rtpmap, its a=rtcp-fb lines and a=fmtp (if it has
 * parameters), in list order. Every codec must have a payload type. */
void sec_webrtc_codecs_to_sdp_media (const GPtrArray * codecs,
    GstSDPMedia * media);

/* --- Payload types of a transport -------------------------------------- */

/* The payload types in use on one transport (one BUNDLE group, or one
 * m-line without BUNDLE): one payload type means one codec configuration
 * there (RFC 8843 §7.5), and the same configuration on two bundled
 * m-lines may share one payload type. A configuration is the kind, the
 * clock rate, the channels and the parameters that select a decoder:
 * H264 packetization-mode and profile (not level), VP9 profile-id, rtx
 * apt. Keep one for the life of the transport. Not locked: use it from
 * the bin's negotiation task only. (The other functions keep no state.) */
typedef struct _SecWebRTCPayloadSpace SecWebRTCPayloadSpace;

SecWebRTCPayloadSpace *sec_webrtc_payload_space_new (void);
void sec_webrtc_payload_space_free (SecWebRTCPayloadSpace * space);

/* Records @codec's payload type. FALSE (SEC_WEBRTC_CODEC_ERROR_PAYLOAD_TYPE,
 * naming both) if it already means another configuration. */
gboolean sec_webrtc_payload_space_reserve (SecWebRTCPayloadSpace * space,
    const SecWebRTCCodec * codec, GError ** error);

/* Gives @codec a payload type and records it: the one it has (from the
 * caps' `payload`) when that is free or means the same configuration
 * already, and is a dynamic one (96..127, 35..63) or the codec's own
 * static one; else the one this configuration already has on the
 * transport; else 0 for PCMU and 8 for PCMA if free; else the first free
 * of 96..127, then of 35..63 (as browsers do; 64..95 are never used,
 * RFC 5761 §4). FALSE (SEC_WEBRTC_CODEC_ERROR_PAYLOAD_TYPE) when none is
 * free. */
gboolean sec_webrtc_payload_space_assign (SecWebRTCPayloadSpace * space,
    SecWebRTCCodec * codec, GError ** error);

/* The codec recorded for @pt, NULL if free. */
const SecWebRTCCodec *sec_webrtc_payload_space_lookup
    (const SecWebRTCPayloadSpace * space, guint pt);

/* --- Offer, answer, negotiated result --------------------------------- */

/* The codecs of application/x-rtp @caps, one per structure, in order,
 * payload type from the `payload` field if it is a fixed integer (else
 * -1). Each structure needs encoding-name (any case) naming an
 * implemented codec; media and clock-rate are checked when present and
 * filled in when not; encoding-params (channels) must agree with the
 * codec. The codec's fmtp parameters are taken from the fields of that
 * name (string, integer or boolean): VP8 max-fr, max-fs; VP9 profile-id,
 * max-fr, max-fs; H264 profile-level-id, packetization-mode (0 or 1),
 * level-asymmetry-allowed, max-*, sprop-*; Opus minptime, ptime,
 * maxptime, useinbandfec, usedtx, stereo, sprop-stereo, cbr,
 * maxplaybackrate, maxaveragebitrate, sprop-maxcapturerate. Other fields
 * (ssrc, seqnum-offset, a-framerate, ...) are ignored. Errors name the
 * structure and field. No feedback, no RTX. */
GPtrArray *sec_webrtc_codecs_from_caps (const GstCaps * caps, GError ** error);

/* Every codec we implement for @media ("audio", "video"), as caps in our
 * order of preference, for a transceiver without caps of its own:
 * video VP8; VP9 profile-id 0 and 2; H264 packetization-mode 1 and 0
 * for Constrained Baseline, then mode 1 for Baseline, Main, Constrained
 * High and High (level 3.1, level-asymmetry-allowed); audio opus
 * (minptime=10, useinbandfec=1), PCMU, PCMA. NULL for another media. */
GstCaps *sec_webrtc_codecs_default_caps (const gchar * media);

/* The codecs we offer for a transceiver with @caps (see
 * sec_webrtc_codecs_from_caps), in the caps' order, with payload types
 * from @space (NULL: a space of its own), the video feedback
 * (nack, nack pli, ccm fir) on every video codec and an rtx payload
 * type (apt=) right after each video codec. */
GPtrArray *sec_webrtc_codecs_offer (const GstCaps * caps,
    SecWebRTCPayloadSpace * space, GError ** error);

/* Our answer to the codecs of an offered m-line (from
 * sec_webrtc_codecs_parse): each offered codec we implement and @caps
 * can send or receive (NULL: every codec of
 * sec_webrtc_codecs_default_caps for the m-line's media), in the OFFER's
 * order, with the offerer's payload types (RFC 3264 §6.1), recorded in
 * @space (NULL: none). An offered codec matches the first structure of
 * @caps with the same codec and configuration:
 *  - H264: the same packetization-mode (absent: 0; 2 is not implemented)
 *    and the same profile class (see h264profile.h; an absent
 *    profile-level-id is Constrained Baseline 3.1); caps without
 *    profile-level-id take the offered one as it is. The answer keeps
 *    the offer's profile_idc and constraint flags, with our level when
 *    both sides allow level asymmetry and the lower of the two levels
 *    otherwise (RFC 6184 §8.2.2); level-asymmetry-allowed=1 when our
 *    caps allow it (field "1", or no profile-level-id and the offer
 *    allows it).
 *  - VP9: the same profile-id (absent: 0).
 *  - opus: the offered minptime and useinbandfec, then the Opus fields
 *    of our caps (which win).
 *  - rtx (video only) when the codec it repairs is answered; apt and
 *    rtx-time as offered.
 *  - feedback: what the offer lists for that payload type (or "*") that
 *    we implement for video codecs, in the offer's order.
 * An offered payload type that @space already records for another
 * configuration (an offer breaking RFC 8843 §7.5) is left out. Nothing
 * left: NULL and SEC_WEBRTC_CODEC_ERROR_NO_COMMON, with a message listing
 * what was offered; reject the m-line. Invalid @caps are an error too. */
GPtrArray *sec_webrtc_codecs_answer (const GPtrArray * offered,
    const GstCaps * caps, SecWebRTCPayloadSpace * space, GError ** error);

/* The result of a complete exchange for one m-line: @ours is the list we
 * put in our description (offer or answer), @theirs the remote's parsed
 * m-line. Each codec of @theirs (in its order) whose payload type @ours
 * lists with the same configuration (as sec_webrtc_payload_space
 * compares them, H264 levels free), copied from @theirs (so fmtp and
 * sprop-* are the sender's) with only the feedback both list; rtx only
 * when its apt codec is kept. A codec the answer puts under another
 * payload type than the offer is not negotiated: answers keep the
 * offer's payload types (RFC 3264 §6.1 says SHOULD; browsers and
 * webrtcbin do). Empty: NULL and SEC_WEBRTC_CODEC_ERROR_NO_COMMON.
 * Lists returned here and above are GPtrArrays that free their
 * SecWebRTCCodecs (g_ptr_array_unref). */
GPtrArray *sec_webrtc_codecs_negotiate (const GPtrArray * ours,
    const GPtrArray * theirs, GError ** error);

/* The first codec of @codecs (not rtx) that a structure of @caps
 * describes, as sec_webrtc_codecs_answer () matches them (H264 caps
 * without profile-level-id match any profile of their
 * packetization-mode; VP9 caps without profile-id are profile 0): the
 * payload type to send that pad's stream with. NULL if none (or if @caps
 * are not valid codec caps). */
const SecWebRTCCodec *sec_webrtc_codecs_find_for_caps (const GPtrArray * codecs,
    const GstCaps * caps);

/* The rtx codec of @codecs whose apt is @pt, NULL if none. */
const SecWebRTCCodec *sec_webrtc_codecs_find_rtx (const GPtrArray * codecs,
    gint pt);

G_END_DECLS

#endif
