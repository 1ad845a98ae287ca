/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * H.264 profile-level-id (RFC 6184 §8.1): three bytes in hex,
 * profile_idc, profile-iop (the constraint_set0..5 flags) and level_idc,
 * classified into the profiles WebRTC endpoints negotiate. Two values
 * name the same profile when their profile_idc and constraint flags fall
 * in the same class, as browsers compare them: 42e0 and 42c0 are both
 * Constrained Baseline, 4200 is Baseline, 4d00 Main, 640c Constrained
 * High, 6400 High, f400 Predictive High 4:4:4. The level is the part
 * offer/answer may change (RFC 6184 §8.2.2).
 *
 * Plain C over GLib, no allocation but for the formatted string.
 */
#ifndef SEC_WEBRTC_H264_PROFILE_H
#define SEC_WEBRTC_H264_PROFILE_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE,
  SEC_WEBRTC_H264_PROFILE_BASELINE,
  SEC_WEBRTC_H264_PROFILE_MAIN,
  SEC_WEBRTC_H264_PROFILE_CONSTRAINED_HIGH,
  SEC_WEBRTC_H264_PROFILE_HIGH,
  SEC_WEBRTC_H264_PROFILE_PREDICTIVE_HIGH_444,
} SecWebRTCH264Profile;

/* Levels as a hundred times the level number, so that they compare in
 * order: 100 is level 1, 310 level 3.1, and level 1b (105) sits between
 * level 1 and level 1.1. */
#define SEC_WEBRTC_H264_LEVEL_1B 105u
#define SEC_WEBRTC_H264_LEVEL(major, minor) ((major)*100u + (minor)*10u)

typedef struct
{
  guint8 profile_idc;
  guint8 profile_iop;
  guint8 level_idc;
  SecWebRTCH264Profile profile;
  guint level; /* SEC_WEBRTC_H264_LEVEL (3, 1) = 310 */
} SecWebRTCH264ProfileLevelId;

/* The default when an SDP says nothing: Constrained Baseline level 3.1
 * ("42e01f"), as libwebrtc assumes. RFC 6184 §8.1 says Baseline level 1
 * ("42000a"); no browser offers H264 without the parameter, and
 * GStreamer's rtph264pay leaves it out of its caps, where the browser
 * reading matters. */
#define SEC_WEBRTC_H264_DEFAULT_PROFILE_LEVEL_ID "42e01f"

/* Parses exactly six hex digits. FALSE (and *reason, a static English
 * phrase for an error message) for anything else, a profile outside the
 * classes above, or a level_idc that is no H.264 level. */
gboolean sec_webrtc_h264_profile_level_id_parse (const gchar * text,
    SecWebRTCH264ProfileLevelId * out, const gchar ** reason);

/* Six lower-case hex digits for @plid's profile_idc and profile-iop with
 * @level (one of the levels parse accepts): the constraint_set3 flag is
 * set for level 1b and cleared for level 1.1 in the profiles where it
 * tells the two apart (66, 77, 88), and level_idc is written as H.264
 * Annex A writes it. g_free. */
gchar *sec_webrtc_h264_profile_level_id_format
    (const SecWebRTCH264ProfileLevelId * plid, guint level);

/* "constrained-baseline", "baseline", "main", "constrained-high", "high",
 * "high-4:4:4" (the names of gst_codec_utils_h264_get_profile ()). */
const gchar *sec_webrtc_h264_profile_name (SecWebRTCH264Profile profile);

G_END_DECLS

#endif
