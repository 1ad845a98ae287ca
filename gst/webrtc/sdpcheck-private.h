/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What sdpcheck.c (the check) and sdpattributes.c (the attribute
 * parsers, the structs, small helpers) share. Not installed, not for the
 * bin: the bin includes sdpcheck.h.
 */
#ifndef SEC_SDP_CHECK_PRIVATE_H
#define SEC_SDP_CHECK_PRIVATE_H

#include "sdpcheck.h"

G_BEGIN_DECLS

/* identification-tag (RFC 5888) length we take: enough for every
 * implementation seen, short enough for the RTP MID header extension */
#define MID_MAX_LENGTH 64
/* RFC 8830 §2: msid-id and msid-appdata are 1*64token-char */
#define MSID_MAX_LENGTH 64
/* RFC 8839 §5.4 */
#define ICE_UFRAG_MIN 4
#define ICE_PWD_MIN 22
#define ICE_CREDENTIAL_MAX 256
/* how much of a value an error message quotes */
#define QUOTE_MAX 48

/* What one level (the session, or one m-line) says itself, before
 * inheritance. */
typedef struct
{
  gchar *ice_ufrag;
  gchar *ice_pwd;
  GPtrArray *fingerprints; /* normalised; empty: none at this level */
  gchar **ice_options;     /* NULL: none at this level */
  gboolean has_setup;
  SecSdpSetup setup;
  gboolean has_direction;
  SecSdpDirection direction;
  gboolean end_of_candidates;
  gboolean has_crypto;
  gboolean rtcp_mux;
  gboolean rtcp_mux_only;
  GPtrArray *extmaps; /* SecSdpExtmap * */
} SecSdpLevel;

/* Everything one check needs while it runs. */
typedef struct
{
  SecSdpType type;
  SecSdpLevel session;
  SecSdpLevel *levels;    /* one per m-line */
  GPtrArray *wildcard_fb; /* per m-line: GPtrArray of a=rtcp-fb:* */
  SecSdpDescription *description;
} SecSdpCheckContext;

/* helpers */
G_GNUC_INTERNAL gchar *sec_sdp_quote (const gchar * value);
G_GNUC_INTERNAL gboolean sec_sdp_is_token_char (guchar c);
G_GNUC_INTERNAL gboolean sec_sdp_is_token (const gchar * s, gsize max_length);
G_GNUC_INTERNAL gboolean sec_sdp_parse_uint (
    const gchar * s, gsize length, guint64 max, guint64 * out);
G_GNUC_INTERNAL gboolean sec_sdp_parse_uint_str (
    const gchar * s, guint64 max, guint64 * out);
G_GNUC_INTERNAL gboolean sec_sdp_is_clean_text (const gchar * s);
G_GNUC_INTERNAL gchar *sec_sdp_media_label (const SecSdpMedia * media);
G_GNUC_INTERNAL void
sec_sdp_set_media_error (GError ** error, const SecSdpMedia * media, gint code,
    const gchar * format, ...) G_GNUC_PRINTF (4, 5);
G_GNUC_INTERNAL gboolean sec_sdp_strv_equal_as_sets (gchar ** a, gchar ** b);
G_GNUC_INTERNAL gchar **sec_sdp_ptr_array_to_strv (GPtrArray * array);

/* the structs */
G_GNUC_INTERNAL SecSdpMedia *sec_sdp_media_new (guint index);
G_GNUC_INTERNAL void sec_sdp_media_free (gpointer data);
G_GNUC_INTERNAL void sec_sdp_level_init (SecSdpLevel * level);
G_GNUC_INTERNAL void sec_sdp_level_clear (SecSdpLevel * level);

/* attributes */
G_GNUC_INTERNAL gboolean sec_sdp_parse_level_attribute (
    SecSdpCheckContext * ctx, const SecSdpMedia * media, SecSdpLevel * level,
    const gchar * key, const gchar * value, gboolean * handled,
    GError ** error);
G_GNUC_INTERNAL gboolean sec_sdp_parse_media_attributes (
    SecSdpCheckContext * ctx, const GstSDPMedia * sdp_media,
    SecSdpMedia * media, GError ** error);

G_END_DECLS

#endif /* SEC_SDP_CHECK_PRIVATE_H */
