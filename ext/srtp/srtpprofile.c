/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SRTP protection profile table (RFC 5764 §4.1.2, RFC 7714 §14.2).
 */
#include "srtpprofile.h"

#include <string.h>

G_DEFINE_QUARK (sec-srtp-profile-error-quark, sec_srtp_profile_error);

static const SecSrtpProfileInfo profiles[] = {
  /* RFC 5764 §4.1.2: AES-CM 128, HMAC-SHA1 80-bit tag, SRTCP tag 80 */
  {SEC_SRTP_PROFILE_AES128_CM_SHA1_80, "aes128-cm-sha1-80",
      "SRTP_AES128_CM_HMAC_SHA1_80", 16, 14, 10, 10, FALSE},
  /* RFC 5764 §4.1.2: 32-bit tag on SRTP only, SRTCP keeps 80 bits */
  {SEC_SRTP_PROFILE_AES128_CM_SHA1_32, "aes128-cm-sha1-32",
      "SRTP_AES128_CM_HMAC_SHA1_32", 16, 14, 4, 10, FALSE},
  /* RFC 7714 §14.2: 12-byte salt, 16-byte tag */
  {SEC_SRTP_PROFILE_AEAD_AES_128_GCM, "aead-aes-128-gcm",
      "SRTP_AEAD_AES_128_GCM", 16, 12, 16, 16, TRUE},
  {SEC_SRTP_PROFILE_AEAD_AES_256_GCM, "aead-aes-256-gcm",
      "SRTP_AEAD_AES_256_GCM", 32, 12, 16, 16, TRUE},
};

const SecSrtpProfileInfo *
sec_srtp_profile_get_info (SecSrtpProfile profile)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (profiles); i++) {
    if (profiles[i].profile == profile)
      return &profiles[i];
  }
  return NULL;
}

/* Accepts the element nick ("aes128-cm-sha1-80") and the RFC name
 * ("SRTP_AES128_CM_HMAC_SHA1_80"), the latter case-insensitively. */
const SecSrtpProfileInfo *
sec_srtp_profile_from_name (const gchar * name)
{
  guint i;

  if (name == NULL)
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (profiles); i++) {
    if (strcmp (profiles[i].name, name) == 0
        || g_ascii_strcasecmp (profiles[i].dtls_name, name) == 0)
      return &profiles[i];
  }
  return NULL;
}

guint
sec_srtp_profile_key_len (SecSrtpProfile profile)
{
  const SecSrtpProfileInfo *info = sec_srtp_profile_get_info (profile);

  return info ? info->master_key_len + info->master_salt_len : 0;
}

gboolean
sec_srtp_profile_check_key (SecSrtpProfile profile, gsize key_len,
    GError ** error)
{
  const SecSrtpProfileInfo *info = sec_srtp_profile_get_info (profile);

  if (info == NULL) {
    g_set_error (error, SEC_SRTP_PROFILE_ERROR,
        SEC_SRTP_PROFILE_ERROR_UNKNOWN, "unknown SRTP profile %d", profile);
    return FALSE;
  }
  if (key_len != info->master_key_len + info->master_salt_len) {
    g_set_error (error, SEC_SRTP_PROFILE_ERROR,
        SEC_SRTP_PROFILE_ERROR_KEY_LENGTH,
        "profile %s needs a %u-byte key (%u-byte master key followed by "
        "%u-byte master salt), but the key given has %" G_GSIZE_FORMAT
        " bytes", info->name, info->master_key_len + info->master_salt_len,
        info->master_key_len, info->master_salt_len, key_len);
    return FALSE;
  }
  return TRUE;
}

/* Bytes srtp_protect may append: the tag, and for SRTCP the E flag and
 * 31-bit index (RFC 3711 §3.4). We never use an MKI. */
guint
sec_srtp_profile_trailer_len (SecSrtpProfile profile, gboolean rtcp)
{
  const SecSrtpProfileInfo *info = sec_srtp_profile_get_info (profile);

  if (info == NULL)
    return SEC_SRTP_MAX_TRAILER_LEN;
  return rtcp ? 4 + info->rtcp_tag_len : info->rtp_tag_len;
}
