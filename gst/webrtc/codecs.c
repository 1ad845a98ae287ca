/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Codecs of the webrtc bin (see codecs.h and docs/design/webrtc.md,
 * "Codecs and payload types"): the codec table, codec objects, what a
 * codec configuration is, and codecs to and from caps.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "codecs-private.h"
#include "h264profile.h"

#include <string.h>

#define GST_CAT_DEFAULT sec_webrtc_codecs_debug

/* clang-format off */
G_DEFINE_QUARK (sec-webrtc-codec-error-quark, sec_webrtc_codec_error);
/* clang-format on */

GST_DEBUG_CATEGORY (sec_webrtc_codecs_debug);

void
sec_webrtc_codecs_ensure_debug (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once)) {
    GST_DEBUG_CATEGORY_INIT (sec_webrtc_codecs_debug, "secwebrtccodecs", 0,
        "secwebrtcbin codecs and payload types");
    g_once_init_leave (&once, 1);
  }
}
/* ------------------------------------------------------------------ */
/* The implemented codecs */

static const gchar *const vp8_fields[] = { "max-fr", "max-fs", NULL };
static const gchar *const vp9_fields[] = { "profile-id", "max-fr", "max-fs",
  NULL };
static const gchar *const h264_fields[] = { "profile-level-id",
  "packetization-mode", "level-asymmetry-allowed", NULL };
static const gchar *const h264_prefixes[] = { "max-", "sprop-", NULL };

static const gchar *const opus_fields[] = { "minptime", "ptime", "maxptime",
  "useinbandfec", "usedtx", "stereo", "sprop-stereo", "cbr", "maxplaybackrate",
  "maxaveragebitrate", "sprop-maxcapturerate", NULL };

static const gchar *const no_fields[] = { NULL };

static const SecWebRTCCodecInfo codec_infos[] = {
  { SEC_WEBRTC_CODEC_VP8, "VP8", "video", 90000, 0, -1, TRUE, vp8_fields,
      no_fields },
  { SEC_WEBRTC_CODEC_VP9, "VP9", "video", 90000, 0, -1, TRUE, vp9_fields,
      no_fields },
  { SEC_WEBRTC_CODEC_H264, "H264", "video", 90000, 0, -1, TRUE, h264_fields,
      h264_prefixes },
  { SEC_WEBRTC_CODEC_OPUS, "opus", "audio", 48000, 2, -1, FALSE, opus_fields,
      no_fields },
  { SEC_WEBRTC_CODEC_PCMU, "PCMU", "audio", 8000, 0, 0, FALSE, no_fields,
      no_fields },
  { SEC_WEBRTC_CODEC_PCMA, "PCMA", "audio", 8000, 0, 8, FALSE, no_fields,
      no_fields },
};

#define CODEC_NAMES "VP8, VP9, H264, OPUS, PCMU, PCMA"

/* the feedback we implement, for video codecs (RFC 4585 §4.2, RFC 5104
 * §7.1) */
const gchar *const sec_webrtc_video_feedback[] = { SEC_WEBRTC_FEEDBACK_NACK,
  SEC_WEBRTC_FEEDBACK_NACK_PLI, SEC_WEBRTC_FEEDBACK_CCM_FIR, NULL };

const SecWebRTCCodecInfo *
sec_webrtc_codec_info_for_kind (SecWebRTCCodecKind kind)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (codec_infos); i++) {
    if (codec_infos[i].kind == kind)
      return &codec_infos[i];
  }
  return NULL;
}

const SecWebRTCCodecInfo *
sec_webrtc_codec_info_for_name (const gchar * name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (codec_infos); i++) {
    if (g_ascii_strcasecmp (codec_infos[i].name, name) == 0)
      return &codec_infos[i];
  }
  return NULL;
}

static gboolean
is_fmtp_field (const SecWebRTCCodecInfo * info, const gchar * name)
{
  guint i;

  for (i = 0; info->fields[i]; i++) {
    if (strcmp (info->fields[i], name) == 0)
      return TRUE;
  }
  for (i = 0; info->prefixes[i]; i++) {
    if (g_str_has_prefix (name, info->prefixes[i])
        && name[strlen (info->prefixes[i])] != '\0')
      return TRUE;
  }
  return FALSE;
}
/* ------------------------------------------------------------------ */
/* Small helpers */

/* Untrusted text for an error message: printable ASCII as is (but for
 * '\\' and '\''), other bytes as \xNN, cut at 60 bytes with "...". */
gchar *
sec_webrtc_codec_quote (const gchar * text)
{
  GString *out = g_string_new ("'");
  gsize i;

  for (i = 0; text[i] != '\0'; i++) {
    guchar c = (guchar)text[i];

    if (i == 60) {
      g_string_append (out, "...");
      break;
    }
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'')
      g_string_append_c (out, (gchar)c);
    else
      g_string_append_printf (out, "\\x%02x", c);
  }
  g_string_append_c (out, '\'');
  return g_string_free (out, FALSE);
}

gboolean
sec_webrtc_codec_is_blank (gchar c)
{
  return c == ' ' || c == '\t';
}

/* Reads 1..@max_digits decimal digits at *p into *out (at most
 * @limit); advances *p. */
gboolean
sec_webrtc_codec_read_number (const gchar ** p, guint max_digits, guint64 limit,
    guint64 * out)
{
  guint64 value = 0;
  guint n = 0;

  while (g_ascii_isdigit ((*p)[n])) {
    if (n == max_digits)
      return FALSE;
    value = value * 10 + (guint64)((*p)[n] - '0');
    n++;
  }
  if (n == 0 || value > limit)
    return FALSE;
  *p += n;
  *out = value;
  return TRUE;
}

void
sec_webrtc_codec_param_free (gpointer data)
{
  SecWebRTCCodecParam *param = data;

  g_free (param->name);
  g_free (param->value);
  g_free (param);
}

GPtrArray *
sec_webrtc_codec_params_new (void)
{
  return g_ptr_array_new_with_free_func (sec_webrtc_codec_param_free);
}

SecWebRTCCodecParam *
sec_webrtc_codec_params_find (const GPtrArray * params, const gchar * name)
{
  guint i;

  for (i = 0; i < params->len; i++) {
    SecWebRTCCodecParam *param = g_ptr_array_index (params, i);

    if (g_ascii_strcasecmp (param->name, name) == 0)
      return param;
  }
  return NULL;
}

/* Sets @name to @value, replacing an earlier value, else appending. */
void
sec_webrtc_codec_params_set (GPtrArray * params, const gchar * name,
    const gchar * value)
{
  SecWebRTCCodecParam *param = sec_webrtc_codec_params_find (params, name);

  if (param == NULL) {
    param = g_new0 (SecWebRTCCodecParam, 1);
    param->name = g_strdup (name);
    g_ptr_array_add (params, param);
  }
  g_free (param->value);
  param->value = g_strdup (value);
}

const gchar *
sec_webrtc_codec_params_get (const GPtrArray * params, const gchar * name)
{
  SecWebRTCCodecParam *param = sec_webrtc_codec_params_find (params, name);

  return param ? param->value : NULL;
}

gboolean
sec_webrtc_codec_strv_contains (const GPtrArray * values, const gchar * value)
{
  guint i;

  for (i = 0; i < values->len; i++) {
    if (g_ascii_strcasecmp (g_ptr_array_index (values, i), value) == 0)
      return TRUE;
  }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Codec objects */

SecWebRTCCodec *
sec_webrtc_codec_new (SecWebRTCCodecKind kind, const gchar * media, gint pt,
    const gchar * encoding_name, guint clock_rate, guint channels)
{
  SecWebRTCCodec *codec = g_new0 (SecWebRTCCodec, 1);

  codec->kind = kind;
  codec->media = g_ascii_strdown (media, -1);
  codec->payload_type = pt;
  codec->encoding_name = g_strdup (encoding_name);
  codec->clock_rate = clock_rate;
  codec->channels = channels;
  codec->params = sec_webrtc_codec_params_new ();
  codec->feedback = g_ptr_array_new_with_free_func (g_free);
  codec->apt = -1;
  return codec;
}

SecWebRTCCodec *
sec_webrtc_codec_copy (const SecWebRTCCodec * codec)
{
  SecWebRTCCodec *copy;
  guint i;

  g_return_val_if_fail (codec != NULL, NULL);

  copy = sec_webrtc_codec_new (codec->kind, codec->media, codec->payload_type,
      codec->encoding_name, codec->clock_rate, codec->channels);
  for (i = 0; i < codec->params->len; i++) {
    SecWebRTCCodecParam *param = g_ptr_array_index (codec->params, i);
    SecWebRTCCodecParam *param_copy = g_new0 (SecWebRTCCodecParam, 1);

    param_copy->name = g_strdup (param->name);
    param_copy->value = g_strdup (param->value);
    g_ptr_array_add (copy->params, param_copy);
  }
  for (i = 0; i < codec->feedback->len; i++)
    g_ptr_array_add (
        copy->feedback, g_strdup (g_ptr_array_index (codec->feedback, i)));
  copy->apt = codec->apt;
  return copy;
}

void
sec_webrtc_codec_free (SecWebRTCCodec * codec)
{
  if (codec == NULL)
    return;
  g_free (codec->media);
  g_free (codec->encoding_name);
  g_ptr_array_unref (codec->params);
  g_ptr_array_unref (codec->feedback);
  g_free (codec);
}

GPtrArray *
sec_webrtc_codec_list_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)sec_webrtc_codec_free);
}

const gchar *
sec_webrtc_codec_get_param (const SecWebRTCCodec * codec, const gchar * name)
{
  g_return_val_if_fail (codec != NULL && name != NULL, NULL);

  return sec_webrtc_codec_params_get (codec->params, name);
}

gboolean
sec_webrtc_codec_has_feedback (const SecWebRTCCodec * codec, const gchar * type)
{
  g_return_val_if_fail (codec != NULL && type != NULL, FALSE);

  return sec_webrtc_codec_strv_contains (codec->feedback, type);
}

gchar *
sec_webrtc_codec_rtpmap_string (const SecWebRTCCodec * codec)
{
  g_return_val_if_fail (codec != NULL && codec->encoding_name != NULL, NULL);

  if (codec->channels > 0)
    return g_strdup_printf (
        "%s/%u/%u", codec->encoding_name, codec->clock_rate, codec->channels);
  return g_strdup_printf ("%s/%u", codec->encoding_name, codec->clock_rate);
}

gchar *
sec_webrtc_codec_fmtp_string (const SecWebRTCCodec * codec)
{
  GString *fmtp;
  guint i;

  g_return_val_if_fail (codec != NULL, NULL);

  if (codec->params->len == 0)
    return NULL;
  fmtp = g_string_new (NULL);
  for (i = 0; i < codec->params->len; i++) {
    SecWebRTCCodecParam *param = g_ptr_array_index (codec->params, i);

    if (i > 0)
      g_string_append_c (fmtp, ';');
    g_string_append (fmtp, param->name);
    if (param->value)
      g_string_append_printf (fmtp, "=%s", param->value);
  }
  return g_string_free (fmtp, FALSE);
}

/* A whole string of decimal digits, at most @limit. */
gboolean
sec_webrtc_codec_parse_decimal (const gchar * text, guint64 limit,
    guint64 * out)
{
  const gchar *p = text;

  return text != NULL && sec_webrtc_codec_read_number (&p, 10, limit, out)
      && *p == '\0';
}

/* ------------------------------------------------------------------ */
/* Caps of a stream */

/* The fmtp parameters and feedback that become caps fields. Field names
 * are GQuarks, which live as long as the process: names a peer makes up
 * never become one, or every renegotiation could grow the process for
 * good. So only the parameters the payload formats define: H264 (RFC
 * 6184 §8.1), VP8 (RFC 7741 §6.1), VP9 (RFC 9628 §6), Opus (RFC 7587 §7,
 * and libwebrtc's minptime), rtx (RFC 4588 §8.6), and the feedback of
 * RFC 4585 §4.2, RFC 5104 §7.1 and the browsers' two. */
static const gchar *const known_params[] = { "profile-level-id",
  "max-recv-level", "max-mbps", "max-smbps", "max-fs", "max-cpb", "max-dpb",
  "max-br", "redundant-pic-cap", "sprop-parameter-sets",
  "sprop-level-parameter-sets", "use-level-src-parameter-sets",
  "in-band-parameter-sets", "level-asymmetry-allowed", "packetization-mode",
  "sprop-interleaving-depth", "sprop-deint-buf-req", "deint-buf-cap",
  "sprop-init-buf-time", "sprop-max-don-diff", "max-rcmd-nalu-size",
  "sar-understood", "sar-supported", "max-fr", "profile-id", "maxplaybackrate",
  "sprop-maxcapturerate", "maxptime", "ptime", "minptime", "maxaveragebitrate",
  "stereo", "sprop-stereo", "cbr", "useinbandfec", "usedtx", "apt", "rtx-time",
  NULL };

static const gchar *const known_feedback[] = { "ack rpsi", "ack app", "nack",
  "nack pli", "nack sli", "nack rpsi", "nack app", "ccm fir", "ccm tmmbr",
  "ccm tstr", "ccm vbcm", "goog-remb", "transport-cc", NULL };

GstCaps *
sec_webrtc_codec_to_caps (const SecWebRTCCodec * codec)
{
  GstStructure *s;
  gchar *encoding_name;
  guint i;

  g_return_val_if_fail (codec != NULL, NULL);
  sec_webrtc_codecs_ensure_debug ();

  if (codec->payload_type < 0 || codec->payload_type > 127
      || codec->encoding_name == NULL || codec->clock_rate == 0
      || codec->clock_rate > G_MAXINT)
    return NULL;

  encoding_name = g_ascii_strup (codec->encoding_name, -1);
  s = gst_structure_new ("application/x-rtp", "media", G_TYPE_STRING,
      codec->media, "payload", G_TYPE_INT, codec->payload_type, "clock-rate",
      G_TYPE_INT, (gint)codec->clock_rate, "encoding-name", G_TYPE_STRING,
      encoding_name, NULL);
  g_free (encoding_name);
  if (codec->channels > 0) {
    gchar *channels = g_strdup_printf ("%u", codec->channels);

    gst_structure_set (s, "encoding-params", G_TYPE_STRING, channels, NULL);
    g_free (channels);
  }

  for (i = 0; i < codec->params->len; i++) {
    SecWebRTCCodecParam *param = g_ptr_array_index (codec->params, i);
    gchar *name = g_ascii_strdown (param->name, -1);

    if (!g_strv_contains (known_params, name)
        || gst_structure_has_field (s, name)) {
      GST_DEBUG ("an fmtp parameter of payload type %d is not one its "
                 "caps carry",
          codec->payload_type);
    } else {
      /* RFC 4566 §6.6 leaves bare tokens to the codec; gstreamer-sdp
       * reads them as "1" */
      gst_structure_set (
          s, name, G_TYPE_STRING, param->value ? param->value : "1", NULL);
    }
    g_free (name);
  }

  for (i = 0; i < codec->feedback->len; i++) {
    const gchar *feedback = g_ptr_array_index (codec->feedback, i);
    gchar *name;

    if (!g_strv_contains (known_feedback, feedback))
      continue;
    name = g_strdup_printf ("rtcp-fb-%s", feedback);
    g_strdelimit (name, " ", '-');
    gst_structure_set (s, name, G_TYPE_BOOLEAN, TRUE, NULL);
    g_free (name);
  }

  return gst_caps_new_full (s, NULL);
}

/* ------------------------------------------------------------------ */
/* Configurations (what one payload type may mean on one transport) */

/* H264 packetization-mode (RFC 6184 §8.1): absent is 0; -1 if not one
 * of 0, 1, 2 */
gint
sec_webrtc_codec_h264_packetization_mode (const SecWebRTCCodec * codec)
{
  const gchar *value =
      sec_webrtc_codec_params_get (codec->params, "packetization-mode");
  guint64 mode;

  if (value == NULL)
    return 0;
  return sec_webrtc_codec_parse_decimal (value, 2, &mode) ? (gint)mode : -1;
}

/* H264 profile-level-id, the default when absent (see h264profile.h) */
gboolean
sec_webrtc_codec_h264_profile_level_id (const SecWebRTCCodec * codec,
    SecWebRTCH264ProfileLevelId * plid, const gchar ** reason)
{
  const gchar *value =
      sec_webrtc_codec_params_get (codec->params, "profile-level-id");

  return sec_webrtc_h264_profile_level_id_parse (
      value ? value : SEC_WEBRTC_H264_DEFAULT_PROFILE_LEVEL_ID, plid, reason);
}

/* VP9 profile-id (RFC 9628 §6): absent is 0; -1 if not 0..3 */
gint
sec_webrtc_codec_vp9_profile_id (const SecWebRTCCodec * codec)
{
  const gchar *value =
      sec_webrtc_codec_params_get (codec->params, "profile-id");
  guint64 profile;

  if (value == NULL)
    return 0;
  return sec_webrtc_codec_parse_decimal (value, 3, &profile) ? (gint)profile
                                                             : -1;
}

static guint
effective_channels (const SecWebRTCCodec * codec)
{
  /* RFC 4566 §6.6: audio without encoding parameters is one channel */
  if (codec->channels == 0 && strcmp (codec->media, "audio") == 0)
    return 1;
  return codec->channels;
}

/* TRUE if @a and @b are one codec configuration: the same codec, clock
 * rate and channels, and the parameters that select a decoder (H264
 * packetization-mode and profile, not level: RFC 6184 §8.2.2; VP9
 * profile-id; rtx apt). */
gboolean
sec_webrtc_codec_same_configuration (const SecWebRTCCodec * a,
    const SecWebRTCCodec * b)
{
  if (a->kind != b->kind || strcmp (a->media, b->media) != 0
      || g_ascii_strcasecmp (a->encoding_name, b->encoding_name) != 0
      || a->clock_rate != b->clock_rate
      || effective_channels (a) != effective_channels (b))
    return FALSE;

  switch (a->kind) {
    case SEC_WEBRTC_CODEC_H264: {
      SecWebRTCH264ProfileLevelId plid_a, plid_b;
      gint mode = sec_webrtc_codec_h264_packetization_mode (a);

      return mode >= 0 && mode == sec_webrtc_codec_h264_packetization_mode (b)
          && sec_webrtc_codec_h264_profile_level_id (a, &plid_a, NULL)
          && sec_webrtc_codec_h264_profile_level_id (b, &plid_b, NULL)
          && plid_a.profile == plid_b.profile;
    }
    case SEC_WEBRTC_CODEC_VP9:
      return sec_webrtc_codec_vp9_profile_id (a) >= 0
          && sec_webrtc_codec_vp9_profile_id (a)
          == sec_webrtc_codec_vp9_profile_id (b);
    case SEC_WEBRTC_CODEC_RTX:
      return a->apt == b->apt;
    case SEC_WEBRTC_CODEC_UNKNOWN: {
      gchar *fmtp_a = sec_webrtc_codec_fmtp_string (a);
      gchar *fmtp_b = sec_webrtc_codec_fmtp_string (b);
      gboolean same = g_strcmp0 (fmtp_a, fmtp_b) == 0;

      g_free (fmtp_a);
      g_free (fmtp_b);
      return same;
    }
    default:
      return TRUE;
  }
}

/* "H264/90000 (packetization-mode=1;profile-level-id=42e01f)" for error
 * messages (our own or already parsed text). */
gchar *
sec_webrtc_codec_describe (const SecWebRTCCodec * codec)
{
  gchar *rtpmap = sec_webrtc_codec_rtpmap_string (codec);
  gchar *fmtp = sec_webrtc_codec_fmtp_string (codec);
  gchar *text, *quoted;

  if (fmtp == NULL)
    return rtpmap;
  quoted = sec_webrtc_codec_quote (fmtp);
  text = g_strdup_printf ("%s (%s)", rtpmap, quoted);
  g_free (quoted);
  g_free (fmtp);
  g_free (rtpmap);
  return text;
}

/* ------------------------------------------------------------------ */
/* Our codecs, from caps */

/* The text of a caps field for an fmtp line: a fixed string (printable
 * ASCII, no ';', no blank at either end, not empty), integer or
 * boolean. NULL if it is none of these. */
static gchar *
field_to_param_value (const GValue * value)
{
  if (G_VALUE_HOLDS_STRING (value)) {
    const gchar *text = g_value_get_string (value);
    gsize i, len;

    if (text == NULL || (len = strlen (text)) == 0
        || sec_webrtc_codec_is_blank (text[0])
        || sec_webrtc_codec_is_blank (text[len - 1]))
      return NULL;
    for (i = 0; i < len; i++) {
      if (text[i] < 0x20 || text[i] > 0x7e || text[i] == ';')
        return NULL;
    }
    return g_strdup (text);
  }
  if (G_VALUE_HOLDS_INT (value))
    return g_strdup_printf ("%d", g_value_get_int (value));
  if (G_VALUE_HOLDS_UINT (value))
    return g_strdup_printf ("%u", g_value_get_uint (value));
  if (G_VALUE_HOLDS_BOOLEAN (value))
    return g_strdup (g_value_get_boolean (value) ? "1" : "0");
  return NULL;
}

/* TRUE if @s has no field @name or one that allows the string @text */
static gboolean
field_allows_string (const GstStructure * s, const gchar * name,
    const gchar * text)
{
  const GValue *field = gst_structure_get_value (s, name);
  GValue value = G_VALUE_INIT;
  gboolean allows;

  if (field == NULL)
    return TRUE;
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  allows = gst_value_intersect (NULL, field, &value);
  g_value_unset (&value);
  return allows;
}

static gboolean
field_allows_int (const GstStructure * s, const gchar * name, gint number)
{
  const GValue *field = gst_structure_get_value (s, name);
  GValue value = G_VALUE_INIT;
  gboolean allows;

  if (field == NULL)
    return TRUE;
  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, number);
  allows = gst_value_intersect (NULL, field, &value);
  g_value_unset (&value);
  return allows;
}

/* encoding-params of an audio structure: the channel count, 0 if
 * absent, -1 if not a number */
static gint
structure_channels (const GstStructure * s)
{
  const GValue *field = gst_structure_get_value (s, "encoding-params");
  guint64 channels;

  if (field == NULL)
    return 0;
  if (G_VALUE_HOLDS_INT (field))
    return g_value_get_int (field) >= 0 ? g_value_get_int (field) : -1;
  if (G_VALUE_HOLDS_STRING (field)
      && sec_webrtc_codec_parse_decimal (
          g_value_get_string (field), 255, &channels))
    return (gint)channels;
  return -1;
}

static gboolean
check_codec_params (SecWebRTCCodec * codec, const gchar * what, GError ** error)
{
  const gchar *value;
  const gchar *reason = NULL;
  SecWebRTCH264ProfileLevelId plid;

  switch (codec->kind) {
    case SEC_WEBRTC_CODEC_H264:
      switch (sec_webrtc_codec_h264_packetization_mode (codec)) {
        case 0:
        case 1:
          break;
        case 2:
          g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
              SEC_WEBRTC_CODEC_ERROR_UNSUPPORTED,
              "%s: packetization-mode 2 "
              "(interleaved) is not implemented, only 0 and 1",
              what);
          return FALSE;
        default:
          g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
              SEC_WEBRTC_CODEC_ERROR_INVALID,
              "%s: packetization-mode is "
              "not 0 or 1",
              what);
          return FALSE;
      }
      value = sec_webrtc_codec_params_get (codec->params, "profile-level-id");
      if (value
          && !sec_webrtc_h264_profile_level_id_parse (value, &plid, &reason)) {
        g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
            SEC_WEBRTC_CODEC_ERROR_INVALID,
            "%s: profile-level-id '%s' "
            "cannot be used: %s",
            what, value, reason);
        return FALSE;
      }
      value = sec_webrtc_codec_params_get (
          codec->params, "level-asymmetry-allowed");
      if (value && strcmp (value, "0") != 0 && strcmp (value, "1") != 0) {
        g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
            SEC_WEBRTC_CODEC_ERROR_INVALID,
            "%s: level-asymmetry-allowed "
            "is not 0 or 1",
            what);
        return FALSE;
      }
      return TRUE;
    case SEC_WEBRTC_CODEC_VP9:
      if (sec_webrtc_codec_vp9_profile_id (codec) < 0) {
        g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
            SEC_WEBRTC_CODEC_ERROR_INVALID,
            "%s: profile-id is not one of "
            "0..3",
            what);
        return FALSE;
      }
      return TRUE;
    default:
      return TRUE;
  }
}

static SecWebRTCCodec *
codec_from_structure (const GstStructure * s, guint index, GError ** error)
{
  const SecWebRTCCodecInfo *info;
  const gchar *encoding_name;
  const GValue *payload;
  SecWebRTCCodec *codec;
  gchar *what;
  gint pt = -1, channels;
  guint i;

  if (!gst_structure_has_name (s, "application/x-rtp")) {
    g_set_error (error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure %u is %s, not "
        "application/x-rtp",
        index, gst_structure_get_name (s));
    return NULL;
  }
  encoding_name = gst_structure_get_string (s, "encoding-name");
  if (encoding_name == NULL) {
    g_set_error (error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure %u has no "
        "encoding-name (a string such as \"VP8\")",
        index);
    return NULL;
  }
  info = sec_webrtc_codec_info_for_name (encoding_name);
  if (info == NULL) {
    gchar *quoted = sec_webrtc_codec_quote (encoding_name);

    g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
        SEC_WEBRTC_CODEC_ERROR_UNSUPPORTED,
        "caps structure %u: "
        "encoding-name %s is not a codec the bin implements (" CODEC_NAMES ")",
        index, quoted);
    g_free (quoted);
    return NULL;
  }

  what = g_strdup_printf ("caps structure %u (%s)", index, info->name);
  if (!field_allows_string (s, "media", info->media)) {
    g_set_error (error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID,
        "%s: media must be \"%s\"", what, info->media);
    goto fail;
  }
  if (!field_allows_int (s, "clock-rate", (gint)info->clock_rate)) {
    g_set_error (error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID,
        "%s: clock-rate must be %u (an "
        "integer)",
        what, info->clock_rate);
    goto fail;
  }
  if (strcmp (info->media, "audio") == 0) {
    /* opus is always /2 in SDP (RFC 7587 §7), mono or not */
    guint max_channels = info->kind == SEC_WEBRTC_CODEC_OPUS ? 2 : 1;

    channels = structure_channels (s);
    if (channels < 0 || (guint)channels > max_channels) {
      g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
          SEC_WEBRTC_CODEC_ERROR_UNSUPPORTED,
          "%s: encoding-params must be "
          "a channel count up to %u",
          what, max_channels);
      goto fail;
    }
  }
  payload = gst_structure_get_value (s, "payload");
  if (payload && G_VALUE_HOLDS_INT (payload)) {
    pt = g_value_get_int (payload);
    if (pt < 0 || pt > 127) {
      g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
          SEC_WEBRTC_CODEC_ERROR_INVALID,
          "%s: payload %d is not one of "
          "0..127",
          what, pt);
      goto fail;
    }
  }

  codec = sec_webrtc_codec_new (info->kind, info->media, pt, info->name,
      info->clock_rate, info->channels);
  for (i = 0; i < (guint)gst_structure_n_fields (s); i++) {
    const gchar *name = gst_structure_nth_field_name (s, i);
    gchar *value;

    if (!is_fmtp_field (info, name))
      continue;
    value = field_to_param_value (gst_structure_get_value (s, name));
    if (value == NULL) {
      g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
          SEC_WEBRTC_CODEC_ERROR_INVALID,
          "%s: field %s must be a fixed "
          "integer, boolean or non-empty string of printable ASCII "
          "without ';'",
          what, name);
      sec_webrtc_codec_free (codec);
      goto fail;
    }
    sec_webrtc_codec_params_set (codec->params, name, value);
    g_free (value);
  }
  if (!check_codec_params (codec, what, error)) {
    sec_webrtc_codec_free (codec);
    goto fail;
  }
  g_free (what);
  return codec;

fail:
  g_free (what);
  return NULL;
}

GPtrArray *
sec_webrtc_codecs_from_caps (const GstCaps * caps, GError ** error)
{
  GPtrArray *codecs;
  guint i;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  sec_webrtc_codecs_ensure_debug ();

  if (caps == NULL || gst_caps_is_any (caps) || gst_caps_is_empty (caps)) {
    g_set_error (error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID,
        "the caps name no codec (%s)",
        caps == NULL                 ? "none"
            : gst_caps_is_any (caps) ? "ANY"
                                     : "EMPTY");
    return NULL;
  }
  codecs = sec_webrtc_codec_list_new ();
  for (i = 0; i < gst_caps_get_size (caps); i++) {
    SecWebRTCCodec *codec =
        codec_from_structure (gst_caps_get_structure (caps, i), i, error);

    if (codec == NULL) {
      g_ptr_array_unref (codecs);
      return NULL;
    }
    if (codecs->len > 0
        && strcmp (codec->media,
               ((SecWebRTCCodec *)g_ptr_array_index (codecs, 0))->media)
            != 0) {
      g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
          SEC_WEBRTC_CODEC_ERROR_INVALID,
          "caps structure %u: %s is %s, "
          "but the caps before it are %s (one m-line carries one media)",
          i, codec->encoding_name, codec->media,
          ((SecWebRTCCodec *)g_ptr_array_index (codecs, 0))->media);
      sec_webrtc_codec_free (codec);
      g_ptr_array_unref (codecs);
      return NULL;
    }
    g_ptr_array_add (codecs, codec);
  }
  return codecs;
}

GstCaps *
sec_webrtc_codecs_default_caps (const gchar * media)
{
  static const gchar video[] =
      "application/x-rtp, media=video, clock-rate=90000, encoding-name=VP8; "
      "application/x-rtp, media=video, clock-rate=90000, encoding-name=VP9, "
      "profile-id=(string)0; "
      "application/x-rtp, media=video, clock-rate=90000, encoding-name=VP9, "
      "profile-id=(string)2; "
      "application/x-rtp, media=video, clock-rate=90000, encoding-name=H264, "
      "level-asymmetry-allowed=(string)1, packetization-mode=(string)1, "
      "profile-level-id=(string)42e01f; "
      "application/x-rtp, media=video, clock-rate=90000, encoding-name=H264, "
      "level-asymmetry-allowed=(string)1, packetization-mode=(string)0, "
      "profile-level-id=(string)42e01f; "
      "application/x-rtp, media=video, clock-rate=90000, encoding-name=H264, "
      "level-asymmetry-allowed=(string)1, packetization-mode=(string)1, "
      "profile-level-id=(string)42001f; "
      "application/x-rtp, media=video, clock-rate=90000, encoding-name=H264, "
      "level-asymmetry-allowed=(string)1, packetization-mode=(string)1, "
      "profile-level-id=(string)4d001f; "
      "application/x-rtp, media=video, clock-rate=90000, encoding-name=H264, "
      "level-asymmetry-allowed=(string)1, packetization-mode=(string)1, "
      "profile-level-id=(string)640c1f; "
      "application/x-rtp, media=video, clock-rate=90000, encoding-name=H264, "
      "level-asymmetry-allowed=(string)1, packetization-mode=(string)1, "
      "profile-level-id=(string)64001f";
  static const gchar audio[] =
      "application/x-rtp, media=audio, clock-rate=48000, encoding-name=OPUS, "
      "encoding-params=(string)2, minptime=(string)10, "
      "useinbandfec=(string)1; "
      "application/x-rtp, media=audio, clock-rate=8000, encoding-name=PCMU; "
      "application/x-rtp, media=audio, clock-rate=8000, encoding-name=PCMA";

  if (g_strcmp0 (media, "video") == 0)
    return gst_caps_from_string (video);
  if (g_strcmp0 (media, "audio") == 0)
    return gst_caps_from_string (audio);
  return NULL;
}
