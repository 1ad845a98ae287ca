/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * H.264 profile-level-id parsing and classification (RFC 6184 §8.1,
 * ITU-T H.264 §7.4.2.1.1 and Annex A for the constraint flags and
 * levels).
 */
#include "h264profile.h"

#include <string.h>

/* profile-iop bits, H.264 §7.3.2.1.1: constraint_set0_flag is the most
 * significant; the two lowest bits are reserved (zero). */
#define CONSTRAINT_SET3 0x10

/* A profile class: a profile_idc and the profile-iop bits that must have
 * the given values (mask/value), the others being free. The table follows
 * H.264 Annex A: a Main or Extended stream with constraint_set0 (resp.
 * set0 and set1) also obeys Baseline's constraints, and Baseline with
 * constraint_set1 is Constrained Baseline; constraint_set4 and set5 with
 * High make Constrained High. The four low bits (set4, set5, reserved)
 * must be zero elsewhere. */
typedef struct
{
  guint8 profile_idc;
  guint8 iop_mask;
  guint8 iop_value;
  SecWebRTCH264Profile profile;
} ProfileClass;

static const ProfileClass profile_classes[] = {
  /* Baseline (66), constraint_set1: x1xx0000 */
  { 0x42, 0x4f, 0x40, SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE },
  /* Main (77) with constraint_set0: 1xxx0000 */
  { 0x4d, 0x8f, 0x80, SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE },
  /* Extended (88) with constraint_set0 and set1: 11xx0000 */
  { 0x58, 0xcf, 0xc0, SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE },
  /* Baseline without constraint_set1: x0xx0000 */
  { 0x42, 0x4f, 0x00, SEC_WEBRTC_H264_PROFILE_BASELINE },
  /* Extended with constraint_set0 only: 10xx0000 */
  { 0x58, 0xcf, 0x80, SEC_WEBRTC_H264_PROFILE_BASELINE },
  /* Main: 0x0x0000 */
  { 0x4d, 0xaf, 0x00, SEC_WEBRTC_H264_PROFILE_MAIN },
  /* High: 00000000 */
  { 0x64, 0xff, 0x00, SEC_WEBRTC_H264_PROFILE_HIGH },
  /* High with constraint_set4 and set5: 00001100 */
  { 0x64, 0xff, 0x0c, SEC_WEBRTC_H264_PROFILE_CONSTRAINED_HIGH },
  /* High 4:4:4 Predictive: 00000000 */
  { 0xf4, 0xff, 0x00, SEC_WEBRTC_H264_PROFILE_PREDICTIVE_HIGH_444 },
};

/* level_idc values of H.264 Table A-1 (level 1b aside) */
static const guint8 level_idcs[] = { 10, 11, 12, 13, 20, 21, 22, 30, 31, 32, 40,
  41, 42, 50, 51, 52, 60, 61, 62 };

/* profiles in which level 1b is level_idc 11 with constraint_set3
 * (H.264 §7.4.2.1.1); the others write it as level_idc 9 */
static gboolean
profile_marks_1b_with_set3 (guint8 profile_idc)
{
  return profile_idc == 0x42 || profile_idc == 0x4d || profile_idc == 0x58;
}

static gint
hex_value (gchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

gboolean
sec_webrtc_h264_profile_level_id_parse (const gchar * text,
    SecWebRTCH264ProfileLevelId * out, const gchar ** reason)
{
  guint8 bytes[3];
  guint i;
  const ProfileClass *class = NULL;
  guint level = 0;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL || strlen (text) != 6) {
    if (reason)
      *reason = "it is not six hex digits";
    return FALSE;
  }
  for (i = 0; i < 3; i++) {
    gint high = hex_value (text[2 * i]), low = hex_value (text[2 * i + 1]);

    if (high < 0 || low < 0) {
      if (reason)
        *reason = "it is not six hex digits";
      return FALSE;
    }
    bytes[i] = (guint8)(high << 4 | low);
  }

  for (i = 0; i < G_N_ELEMENTS (profile_classes); i++) {
    if (profile_classes[i].profile_idc == bytes[0]
        && (bytes[1] & profile_classes[i].iop_mask)
            == profile_classes[i].iop_value) {
      class = &profile_classes[i];
      break;
    }
  }
  if (class == NULL) {
    if (reason)
      *reason = "its profile_idc and constraint flags name no profile "
                "WebRTC uses (constrained baseline, baseline, main, "
                "constrained high, high, high 4:4:4 predictive)";
    return FALSE;
  }

  if (bytes[2] == 9
      || (bytes[2] == 11 && (bytes[1] & CONSTRAINT_SET3)
          && profile_marks_1b_with_set3 (bytes[0]))) {
    level = SEC_WEBRTC_H264_LEVEL_1B;
  } else {
    for (i = 0; i < G_N_ELEMENTS (level_idcs); i++) {
      if (level_idcs[i] == bytes[2]) {
        level = bytes[2] * 10u;
        break;
      }
    }
  }
  if (level == 0) {
    if (reason)
      *reason = "its level_idc is no H.264 level";
    return FALSE;
  }

  out->profile_idc = bytes[0];
  out->profile_iop = bytes[1];
  out->level_idc = bytes[2];
  out->profile = class->profile;
  out->level = level;
  return TRUE;
}

gchar *
sec_webrtc_h264_profile_level_id_format
    (const SecWebRTCH264ProfileLevelId * plid, guint level)
{
  guint8 iop, level_idc;

  g_return_val_if_fail (plid != NULL, NULL);

  iop = plid->profile_iop;
  if (level == SEC_WEBRTC_H264_LEVEL_1B) {
    if (profile_marks_1b_with_set3 (plid->profile_idc)) {
      iop |= CONSTRAINT_SET3;
      level_idc = 11;
    } else {
      level_idc = 9;
    }
  } else {
    if (level == SEC_WEBRTC_H264_LEVEL (1, 1)
        && profile_marks_1b_with_set3 (plid->profile_idc))
      iop &= ~CONSTRAINT_SET3;
    level_idc = (guint8)(level / 10u);
  }
  return g_strdup_printf ("%02x%02x%02x", plid->profile_idc, iop, level_idc);
}

const gchar *
sec_webrtc_h264_profile_name (SecWebRTCH264Profile profile)
{
  switch (profile) {
    case SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE:
      return "constrained-baseline";
    case SEC_WEBRTC_H264_PROFILE_BASELINE:
      return "baseline";
    case SEC_WEBRTC_H264_PROFILE_MAIN:
      return "main";
    case SEC_WEBRTC_H264_PROFILE_CONSTRAINED_HIGH:
      return "constrained-high";
    case SEC_WEBRTC_H264_PROFILE_HIGH:
      return "high";
    case SEC_WEBRTC_H264_PROFILE_PREDICTIVE_HIGH_444:
      return "high-4:4:4";
  }
  return "unknown";
}
