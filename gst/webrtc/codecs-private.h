/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared by codecs.c, codecsdp.c and codecnegotiation.c (not for other
 * code: the public API is codecs.h).
 */
#ifndef SEC_WEBRTC_CODECS_PRIVATE_H
#define SEC_WEBRTC_CODECS_PRIVATE_H

#include "codecs.h"
#include "h264profile.h"

G_BEGIN_DECLS

G_GNUC_INTERNAL extern GstDebugCategory *sec_webrtc_codecs_debug;
G_GNUC_INTERNAL void sec_webrtc_codecs_ensure_debug (void);

/* An implemented codec */
typedef struct
{
  SecWebRTCCodecKind kind;
  const gchar *name; /* as we write it in a=rtpmap */
  const gchar *media;
  guint clock_rate;
  guint channels;               /* written in a=rtpmap; 0: not written */
  gint static_pt;               /* RFC 3551, -1: dynamic only */
  gboolean feedback_and_rtx;    /* nack, nack pli, ccm fir; rtx */
  const gchar *const *fields;   /* caps fields that are fmtp parameters */
  const gchar *const *prefixes; /* ... and prefixes of such fields */
} SecWebRTCCodecInfo;

G_GNUC_INTERNAL const SecWebRTCCodecInfo *sec_webrtc_codec_info_for_kind
    (SecWebRTCCodecKind kind);
G_GNUC_INTERNAL const SecWebRTCCodecInfo *sec_webrtc_codec_info_for_name
    (const gchar * name);

/* "nack", "nack pli", "ccm fir", NULL */
G_GNUC_INTERNAL extern const gchar *const sec_webrtc_video_feedback[];

/* Untrusted text for an error message: printable ASCII as is (but for
 * '\\' and '\''), other bytes as \xNN, cut at 60 bytes with "...", in
 * single quotes. g_free. */
G_GNUC_INTERNAL gchar *sec_webrtc_codec_quote (const gchar * text);

/* ' ' or '\t' */
G_GNUC_INTERNAL gboolean sec_webrtc_codec_is_blank (gchar c);

/* Reads 1..@max_digits decimal digits at *p into *out (at most
 * @limit), advancing *p; FALSE and nothing read otherwise. */
G_GNUC_INTERNAL gboolean sec_webrtc_codec_read_number (const gchar ** p,
    guint max_digits, guint64 limit, guint64 * out);

/* A whole string of decimal digits, at most @limit (NULL: FALSE). */
G_GNUC_INTERNAL gboolean sec_webrtc_codec_parse_decimal (const gchar * text,
    guint64 limit, guint64 * out);

/* fmtp parameter lists (GPtrArray of SecWebRTCCodecParam); names compare
 * without case */
G_GNUC_INTERNAL void sec_webrtc_codec_param_free (gpointer param);
G_GNUC_INTERNAL GPtrArray *sec_webrtc_codec_params_new (void);
G_GNUC_INTERNAL SecWebRTCCodecParam *sec_webrtc_codec_params_find
    (const GPtrArray * params, const gchar * name);
G_GNUC_INTERNAL void sec_webrtc_codec_params_set (GPtrArray * params,
    const gchar * name, const gchar * value);
G_GNUC_INTERNAL const gchar *sec_webrtc_codec_params_get
    (const GPtrArray * params, const gchar * name);

/* TRUE if the GPtrArray of strings holds @value (any case) */
G_GNUC_INTERNAL gboolean sec_webrtc_codec_strv_contains
    (const GPtrArray * values, const gchar * value);

G_GNUC_INTERNAL SecWebRTCCodec *sec_webrtc_codec_new (SecWebRTCCodecKind kind,
    const gchar * media, gint pt, const gchar * encoding_name, guint clock_rate,
    guint channels);
/* a GPtrArray that frees its SecWebRTCCodecs */
G_GNUC_INTERNAL GPtrArray *sec_webrtc_codec_list_new (void);

/* H264 packetization-mode (RFC 6184 §8.1): absent is 0; -1 if not one
 * of 0, 1, 2 */
G_GNUC_INTERNAL gint sec_webrtc_codec_h264_packetization_mode
    (const SecWebRTCCodec * codec);
/* H264 profile-level-id, SEC_WEBRTC_H264_DEFAULT_PROFILE_LEVEL_ID when
 * absent */
G_GNUC_INTERNAL gboolean sec_webrtc_codec_h264_profile_level_id
    (const SecWebRTCCodec * codec, SecWebRTCH264ProfileLevelId * plid,
    const gchar ** reason);
/* VP9 profile-id: absent is 0; -1 if not 0..3 */
G_GNUC_INTERNAL gint sec_webrtc_codec_vp9_profile_id
    (const SecWebRTCCodec * codec);

/* TRUE if @a and @b are one codec configuration (codecs.h,
 * SecWebRTCPayloadSpace) */
G_GNUC_INTERNAL gboolean sec_webrtc_codec_same_configuration
    (const SecWebRTCCodec * a, const SecWebRTCCodec * b);

/* "H264/90000 ('packetization-mode=1;profile-level-id=42e01f')" for an
 * error message. g_free. */
G_GNUC_INTERNAL gchar *sec_webrtc_codec_describe (const SecWebRTCCodec * codec);

G_END_DECLS

#endif
