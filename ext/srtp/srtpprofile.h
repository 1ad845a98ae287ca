/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The SRTP protection profiles we support, as named by DTLS-SRTP.
 * Plain C, no GStreamer: shared by the elements, tests and later the
 * DTLS plugin's use_srtp negotiation (by profile id, not by include).
 */
#ifndef SEC_SRTP_PROFILE_H
#define SEC_SRTP_PROFILE_H

#include <glib.h>

G_BEGIN_DECLS

/* Values are the DTLS-SRTP protection profile identifiers
 * (RFC 5764 §4.1.2, RFC 7714 §14.2), so they can travel as is.
 * There is deliberately no NULL cipher and no NULL authentication. */
typedef enum
{
  SEC_SRTP_PROFILE_AES128_CM_SHA1_80 = 0x0001,
  SEC_SRTP_PROFILE_AES128_CM_SHA1_32 = 0x0002,
  SEC_SRTP_PROFILE_AEAD_AES_128_GCM = 0x0007,
  SEC_SRTP_PROFILE_AEAD_AES_256_GCM = 0x0008,
} SecSrtpProfile;

typedef struct
{
  SecSrtpProfile profile;
  const gchar *name;            /* element enum nick: "aes128-cm-sha1-80" */
  const gchar *dtls_name;       /* RFC name: "SRTP_AES128_CM_HMAC_SHA1_80" */
  guint master_key_len;         /* bytes */
  guint master_salt_len;        /* bytes */
  guint rtp_tag_len;            /* bytes of authentication tag on SRTP */
  guint rtcp_tag_len;           /* bytes of authentication tag on SRTCP */
  gboolean aead;
} SecSrtpProfileInfo;

#define SEC_SRTP_PROFILE_ERROR (sec_srtp_profile_error_quark ())

typedef enum
{
  SEC_SRTP_PROFILE_ERROR_UNKNOWN,
  SEC_SRTP_PROFILE_ERROR_KEY_LENGTH,
} SecSrtpProfileError;

/* Largest number of bytes protect adds to a packet of any profile:
 * SRTCP E-flag and index (4) plus a 16-byte GCM tag. */
#define SEC_SRTP_MAX_TRAILER_LEN 20

G_GNUC_INTERNAL GQuark sec_srtp_profile_error_quark (void);
G_GNUC_INTERNAL const SecSrtpProfileInfo *sec_srtp_profile_get_info (SecSrtpProfile profile);
G_GNUC_INTERNAL const SecSrtpProfileInfo *sec_srtp_profile_from_name (const gchar * name);
G_GNUC_INTERNAL guint sec_srtp_profile_key_len (SecSrtpProfile profile);
G_GNUC_INTERNAL gboolean sec_srtp_profile_check_key (SecSrtpProfile profile,
    gsize key_len, GError ** error);
G_GNUC_INTERNAL guint sec_srtp_profile_trailer_len (SecSrtpProfile profile,
    gboolean rtcp);

G_END_DECLS

#endif /* SEC_SRTP_PROFILE_H */
