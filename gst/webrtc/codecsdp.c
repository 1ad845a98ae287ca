/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The SDP side of the codecs (see codecs.h): a=rtpmap, a=fmtp and
 * a=rtcp-fb parsing (RFC 4566 §6.6, RFC 4585 §4.2), the codecs of a
 * remote m-line, and our codecs written into a GstSDPMedia.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "codecs-private.h"
#include "h264profile.h"

#include <string.h>

#define GST_CAT_DEFAULT sec_webrtc_codecs_debug

/* Limits on untrusted input that real descriptions stay far below; past
 * them the input is refused rather than processed in quadratic time. */
#define MAX_PARAMS 64      /* fmtp parameters on one line */
#define MAX_FEEDBACK 32    /* distinct rtcp-fb values of one payload type */
#define MAX_NAME_LENGTH 64 /* rtpmap encoding name */

/* RFC 4566 §9 token-char */
static gboolean
is_token_char (gchar c)
{
  return g_ascii_isalnum (c)
      || (c != '\0' && strchr ("!#$%&'*+-.^_`{|}~", c) != NULL);
}

/* The end of @value without trailing blanks and "\r\n" (GstSDPMessage
 * keeps what follows the attribute name up to the line end). */
static gsize
trimmed_length (const gchar * value)
{
  gsize len = strlen (value);

  while (len > 0
      && (sec_webrtc_codec_is_blank (value[len - 1]) || value[len - 1] == '\r'
          || value[len - 1] == '\n'))
    len--;
  return len;
}

/* "<pt> " at the start of an attribute value; *p after the blanks */
static gboolean
read_payload_type (const gchar ** p, gint * pt)
{
  guint64 value;

  if (!sec_webrtc_codec_read_number (p, 3, 127, &value)
      || !sec_webrtc_codec_is_blank (**p))
    return FALSE;
  while (sec_webrtc_codec_is_blank (**p))
    (*p)++;
  *pt = (gint)value;
  return TRUE;
}

static void
set_invalid (GError ** error, const gchar * attribute, const gchar * value,
    const gchar * why)
{
  gchar *quoted = sec_webrtc_codec_quote (value);

  g_set_error (error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID,
      "a=%s:%s is malformed: %s", attribute, quoted, why);
  g_free (quoted);
}

/* ------------------------------------------------------------------ */
/* Attribute parsers (RFC 4566 §6.6, RFC 4585 §4.2) */

gboolean
sec_webrtc_rtpmap_parse (const gchar * value, gint * pt, gchar ** encoding_name,
    guint * clock_rate, guint * channels, GError ** error)
{
  const gchar *p = value, *end, *name_start, *name_end;
  guint64 rate, number_of_channels = 0;
  gint payload;

  g_return_val_if_fail (value != NULL, FALSE);

  end = value + trimmed_length (value);
  if (!read_payload_type (&p, &payload)) {
    set_invalid (error, "rtpmap", value,
        "it does not start with a payload "
        "type 0..127 and a space");
    return FALSE;
  }
  name_start = p;
  while (p < end && is_token_char (*p))
    p++;
  if (p == name_start) {
    set_invalid (error, "rtpmap", value, "it has no encoding name");
    return FALSE;
  }
  if (p - name_start > MAX_NAME_LENGTH) {
    set_invalid (error, "rtpmap", value,
        "the encoding name is longer than " G_STRINGIFY (
            MAX_NAME_LENGTH) " characters");
    return FALSE;
  }
  name_end = p;
  if (p == end || *p != '/') {
    set_invalid (error, "rtpmap", value,
        "the encoding name is not "
        "followed by '/' and a clock rate");
    return FALSE;
  }
  p++;
  if (!sec_webrtc_codec_read_number (&p, 10, G_MAXINT, &rate) || rate == 0) {
    set_invalid (error, "rtpmap", value,
        "the clock rate is not a number "
        "1..2147483647");
    return FALSE;
  }
  if (p < end && *p == '/') {
    p++;
    if (!sec_webrtc_codec_read_number (&p, 3, 255, &number_of_channels)
        || number_of_channels == 0) {
      set_invalid (error, "rtpmap", value,
          "the encoding parameters are not "
          "a channel count 1..255");
      return FALSE;
    }
  }
  if (p != end) {
    set_invalid (error, "rtpmap", value,
        "unexpected text after the clock "
        "rate and channels");
    return FALSE;
  }

  if (pt)
    *pt = payload;
  if (encoding_name)
    *encoding_name = g_strndup (name_start, (gsize)(name_end - name_start));
  if (clock_rate)
    *clock_rate = (guint)rate;
  if (channels)
    *channels = (guint)number_of_channels;
  return TRUE;
}

gboolean
sec_webrtc_fmtp_parse (const gchar * value, gint * pt, GPtrArray ** params,
    GError ** error)
{
  const gchar *p = value, *end, *c;
  GPtrArray *list;
  gint payload;

  g_return_val_if_fail (value != NULL, FALSE);

  end = value + trimmed_length (value);
  if (!read_payload_type (&p, &payload)) {
    set_invalid (error, "fmtp", value,
        "it does not start with a payload "
        "type 0..127 and a space");
    return FALSE;
  }
  if (p >= end) {
    set_invalid (error, "fmtp", value,
        "it has no parameters after the "
        "payload type");
    return FALSE;
  }
  for (c = p; c < end; c++) {
    if ((*c < 0x20 || *c > 0x7e) && *c != '\t') {
      set_invalid (error, "fmtp", value,
          "it holds a byte that is not "
          "printable ASCII");
      return FALSE;
    }
  }

  list = sec_webrtc_codec_params_new ();
  while (p < end) {
    const gchar *segment_end = p, *name_end, *value_start = NULL;
    const gchar *value_end;

    while (segment_end < end && *segment_end != ';')
      segment_end++;
    value_end = segment_end;
    while (p < segment_end && sec_webrtc_codec_is_blank (*p))
      p++;
    while (value_end > p && sec_webrtc_codec_is_blank (value_end[-1]))
      value_end--;
    if (p < value_end) {
      SecWebRTCCodecParam *param;

      name_end = p;
      while (name_end < value_end && *name_end != '=')
        name_end++;
      if (name_end < value_end) {
        value_start = name_end + 1;
        while (
            value_start < value_end && sec_webrtc_codec_is_blank (*value_start))
          value_start++;
        while (name_end > p && sec_webrtc_codec_is_blank (name_end[-1]))
          name_end--;
        if (name_end == p) {
          set_invalid (error, "fmtp", value,
              "a parameter has no name "
              "before '='");
          g_ptr_array_unref (list);
          return FALSE;
        }
      }
      if (list->len == MAX_PARAMS) {
        set_invalid (error, "fmtp", value,
            "it has more than " G_STRINGIFY (MAX_PARAMS) " parameters");
        g_ptr_array_unref (list);
        return FALSE;
      }
      param = g_new0 (SecWebRTCCodecParam, 1);
      param->name = g_strndup (p, (gsize)(name_end - p));
      if (value_start)
        param->value =
            g_strndup (value_start, (gsize)(value_end - value_start));
      /* the first of two with one name counts */
      if (sec_webrtc_codec_params_find (list, param->name) == NULL)
        g_ptr_array_add (list, param);
      else
        sec_webrtc_codec_param_free (param);
    }
    p = segment_end < end ? segment_end + 1 : end;
  }

  if (pt)
    *pt = payload;
  if (params)
    *params = list;
  else
    g_ptr_array_unref (list);
  return TRUE;
}

gboolean
sec_webrtc_rtcp_fb_parse (const gchar * value, gint * pt, gchar ** feedback,
    GError ** error)
{
  const gchar *p = value, *end;
  GString *normalised;
  gint payload;

  g_return_val_if_fail (value != NULL, FALSE);

  end = value + trimmed_length (value);
  if (p[0] == '*' && sec_webrtc_codec_is_blank (p[1])) {
    payload = -1;
    p++;
    while (sec_webrtc_codec_is_blank (*p))
      p++;
  } else if (!read_payload_type (&p, &payload)) {
    set_invalid (error, "rtcp-fb", value,
        "it does not start with a payload "
        "type 0..127 or '*' and a space");
    return FALSE;
  }
  if (p >= end) {
    set_invalid (error, "rtcp-fb", value, "it has no feedback type");
    return FALSE;
  }

  normalised = g_string_new (NULL);
  while (p < end) {
    if (sec_webrtc_codec_is_blank (*p)) {
      while (p < end && sec_webrtc_codec_is_blank (*p))
        p++;
      g_string_append_c (normalised, ' ');
      continue;
    }
    if (*p < 0x21 || *p > 0x7e) {
      set_invalid (error, "rtcp-fb", value,
          "it holds a byte that is not "
          "printable ASCII");
      g_string_free (normalised, TRUE);
      return FALSE;
    }
    g_string_append_c (normalised, g_ascii_tolower (*p));
    p++;
  }

  if (pt)
    *pt = payload;
  if (feedback)
    *feedback = g_string_free (normalised, FALSE);
  else
    g_string_free (normalised, TRUE);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* The codecs of a remote m-line */

/* What a remote codec is: one we implement when its name, clock rate,
 * channel count and media are ours (opus must say /2, RFC 7587 §7; audio
 * codecs one channel at most; video codecs no channel count); rtx when
 * it names the payload type it repairs (RFC 4588 §8.6). */
static SecWebRTCCodecKind
classify (const SecWebRTCCodec * codec, gint * apt)
{
  const SecWebRTCCodecInfo *info;
  guint64 value;

  *apt = -1;
  if (g_ascii_strcasecmp (codec->encoding_name, "rtx") == 0) {
    if (!sec_webrtc_codec_parse_decimal (
            sec_webrtc_codec_params_get (codec->params, "apt"), 127, &value))
      return SEC_WEBRTC_CODEC_UNKNOWN;
    *apt = (gint)value;
    return SEC_WEBRTC_CODEC_RTX;
  }
  info = sec_webrtc_codec_info_for_name (codec->encoding_name);
  if (info == NULL || strcmp (info->media, codec->media) != 0
      || info->clock_rate != codec->clock_rate)
    return SEC_WEBRTC_CODEC_UNKNOWN;
  if (info->channels > 0) {
    if (codec->channels != info->channels)
      return SEC_WEBRTC_CODEC_UNKNOWN;
  } else if (strcmp (info->media, "video") == 0) {
    if (codec->channels != 0)
      return SEC_WEBRTC_CODEC_UNKNOWN;
  } else if (codec->channels > 1) {
    return SEC_WEBRTC_CODEC_UNKNOWN;
  }
  return info->kind;
}

typedef struct
{
  gboolean listed;
  gchar *encoding_name; /* NULL: no rtpmap */
  guint clock_rate;
  guint channels;
  GPtrArray *params; /* NULL: no fmtp */
  GPtrArray *feedback;
} PayloadSlot;

static gboolean
feedback_add (GPtrArray * feedback, const gchar * value, gint pt,
    GError ** error)
{
  if (sec_webrtc_codec_strv_contains (feedback, value))
    return TRUE;
  if (feedback->len == MAX_FEEDBACK) {
    if (pt < 0)
      g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
          SEC_WEBRTC_CODEC_ERROR_INVALID,
          "the m-line has more than " G_STRINGIFY (
              MAX_FEEDBACK) " different a=rtcp-fb:* values");
    else
      g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
          SEC_WEBRTC_CODEC_ERROR_INVALID,
          "payload type %d has more than " G_STRINGIFY (
              MAX_FEEDBACK) " different a=rtcp-fb values",
          pt);
    return FALSE;
  }
  g_ptr_array_add (feedback, g_strdup (value));
  return TRUE;
}

static gboolean
parse_attributes (PayloadSlot * slots, GPtrArray * wildcard_feedback,
    const gchar * const *rtpmaps, const gchar * const *fmtps,
    const gchar * const *rtcp_fbs, GError ** error)
{
  guint i;

  for (i = 0; rtpmaps && rtpmaps[i]; i++) {
    gchar *name;
    guint rate, channels;
    gint pt;

    if (!sec_webrtc_rtpmap_parse (
            rtpmaps[i], &pt, &name, &rate, &channels, error))
      return FALSE;
    if (!slots[pt].listed) {
      GST_DEBUG ("a=rtpmap for payload type %d, which the m-line does not "
                 "list: ignored",
          pt);
      g_free (name);
      continue;
    }
    if (slots[pt].encoding_name) {
      g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
          SEC_WEBRTC_CODEC_ERROR_INVALID,
          "payload type %d has two a=rtpmap lines", pt);
      g_free (name);
      return FALSE;
    }
    slots[pt].encoding_name = name;
    slots[pt].clock_rate = rate;
    slots[pt].channels = channels;
  }

  for (i = 0; fmtps && fmtps[i]; i++) {
    GPtrArray *params;
    gint pt;

    if (!sec_webrtc_fmtp_parse (fmtps[i], &pt, &params, error))
      return FALSE;
    if (!slots[pt].listed) {
      g_ptr_array_unref (params);
      continue;
    }
    if (slots[pt].params) {
      g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
          SEC_WEBRTC_CODEC_ERROR_INVALID,
          "payload type %d has two a=fmtp lines", pt);
      g_ptr_array_unref (params);
      return FALSE;
    }
    slots[pt].params = params;
  }

  for (i = 0; rtcp_fbs && rtcp_fbs[i]; i++) {
    gchar *feedback;
    gboolean ok = TRUE;
    gint pt;

    if (!sec_webrtc_rtcp_fb_parse (rtcp_fbs[i], &pt, &feedback, error))
      return FALSE;
    if (pt < 0)
      ok = feedback_add (wildcard_feedback, feedback, pt, error);
    else if (slots[pt].listed)
      ok = feedback_add (slots[pt].feedback, feedback, pt, error);
    g_free (feedback);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

/* "audio" or "video", any case */
static gboolean
check_media (const gchar * media, GError ** error)
{
  gchar *quoted;

  if (media
      && (g_ascii_strcasecmp (media, "audio") == 0
          || g_ascii_strcasecmp (media, "video") == 0))
    return TRUE;
  quoted = sec_webrtc_codec_quote (media ? media : "");
  g_set_error (error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID,
      "an m-line of media %s carries no RTP codecs (audio or video "
      "expected)",
      quoted);
  g_free (quoted);
  return FALSE;
}

GPtrArray *
sec_webrtc_codecs_parse (const gchar * media, const gchar * const *formats,
    const gchar * const *rtpmaps, const gchar * const *fmtps,
    const gchar * const *rtcp_fbs, GError ** error)
{
  PayloadSlot slots[128];
  gint order[128];
  guint n_formats = 0, i, j;
  GPtrArray *wildcard_feedback = NULL, *codecs = NULL;
  gchar *lower_media = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  sec_webrtc_codecs_ensure_debug ();

  if (!check_media (media, error))
    return NULL;
  lower_media = g_ascii_strdown (media, -1);

  memset (slots, 0, sizeof (slots));
  for (i = 0; formats && formats[i]; i++) {
    guint64 pt;

    if (!sec_webrtc_codec_parse_decimal (formats[i], 127, &pt)) {
      gchar *quoted = sec_webrtc_codec_quote (formats[i]);

      g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
          SEC_WEBRTC_CODEC_ERROR_INVALID,
          "the m-line's format %s is not a "
          "payload type 0..127",
          quoted);
      g_free (quoted);
      goto out;
    }
    if (slots[pt].listed) {
      g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
          SEC_WEBRTC_CODEC_ERROR_INVALID,
          "the m-line lists payload type %u twice", (guint)pt);
      goto out;
    }
    slots[pt].listed = TRUE;
    slots[pt].feedback = g_ptr_array_new_with_free_func (g_free);
    order[n_formats++] = (gint)pt;
  }

  wildcard_feedback = g_ptr_array_new_with_free_func (g_free);
  if (!parse_attributes (
          slots, wildcard_feedback, rtpmaps, fmtps, rtcp_fbs, error))
    goto out;

  codecs = sec_webrtc_codec_list_new ();
  for (i = 0; i < n_formats; i++) {
    PayloadSlot *slot = &slots[order[i]];
    SecWebRTCCodec *codec;
    const gchar *name = slot->encoding_name;
    guint rate = slot->clock_rate;

    if (name == NULL) {
      /* RFC 3551 §6, the static ones we implement */
      if (order[i] == 0 || order[i] == 8) {
        name = order[i] == 0 ? "PCMU" : "PCMA";
        rate = 8000;
      } else {
        GST_DEBUG ("payload type %d has no a=rtpmap: left out", order[i]);
        continue;
      }
    }
    codec = sec_webrtc_codec_new (SEC_WEBRTC_CODEC_UNKNOWN, lower_media,
        order[i], name, rate, slot->channels);
    if (slot->params) {
      g_ptr_array_unref (codec->params);
      codec->params = g_steal_pointer (&slot->params);
    }
    for (j = 0; j < slot->feedback->len; j++)
      g_ptr_array_add (
          codec->feedback, g_strdup (g_ptr_array_index (slot->feedback, j)));
    for (j = 0; j < wildcard_feedback->len; j++) {
      if (!feedback_add (codec->feedback,
              g_ptr_array_index (wildcard_feedback, j), order[i], error)) {
        sec_webrtc_codec_free (codec);
        g_clear_pointer (&codecs, g_ptr_array_unref);
        goto out;
      }
    }
    codec->kind = classify (codec, &codec->apt);
    g_ptr_array_add (codecs, codec);
  }

out:
  for (i = 0; i < G_N_ELEMENTS (slots); i++) {
    g_free (slots[i].encoding_name);
    if (slots[i].params)
      g_ptr_array_unref (slots[i].params);
    if (slots[i].feedback)
      g_ptr_array_unref (slots[i].feedback);
  }
  if (wildcard_feedback)
    g_ptr_array_unref (wildcard_feedback);
  g_free (lower_media);
  return codecs;
}

SecWebRTCCodec *
sec_webrtc_codec_parse (const gchar * media, guint pt, const gchar * rtpmap,
    const gchar * fmtp, const gchar * const *rtcp_fb, GError ** error)
{
  SecWebRTCCodec *codec;
  gchar *text, *name = NULL;
  guint rate = 8000, channels = 0, i;
  GPtrArray *params = NULL;
  gint parsed_pt = -1;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  sec_webrtc_codecs_ensure_debug ();

  if (!check_media (media, error))
    return NULL;
  if (pt > 127) {
    g_set_error (error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID,
        "payload type %u is not one of 0..127", pt);
    return NULL;
  }

  /* the values are the attributes' without the payload type: put it
   * back so that the attribute parsers check everything */
  if (rtpmap) {
    text = g_strdup_printf ("%u %s", pt, rtpmap);
    if (!sec_webrtc_rtpmap_parse (
            text, &parsed_pt, &name, &rate, &channels, error)
        || parsed_pt != (gint)pt) {
      g_free (text);
      g_free (name);
      /* a value that starts with another payload type */
      if (error && *error == NULL)
        g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
            SEC_WEBRTC_CODEC_ERROR_INVALID,
            "the a=rtpmap value of payload "
            "type %u is malformed",
            pt);
      return NULL;
    }
    g_free (text);
  } else if (pt == 0 || pt == 8) {
    /* RFC 3551 §6 */
    name = g_strdup (pt == 0 ? "PCMU" : "PCMA");
  } else {
    g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
        SEC_WEBRTC_CODEC_ERROR_UNSUPPORTED,
        "payload type %u has no "
        "a=rtpmap: nothing is known about it",
        pt);
    return NULL;
  }

  if (fmtp) {
    text = g_strdup_printf ("%u %s", pt, fmtp);
    if (!sec_webrtc_fmtp_parse (text, NULL, &params, error)) {
      g_free (text);
      g_free (name);
      return NULL;
    }
    g_free (text);
  }

  codec = sec_webrtc_codec_new (
      SEC_WEBRTC_CODEC_UNKNOWN, media, (gint)pt, name, rate, channels);
  g_free (name);
  if (params) {
    g_ptr_array_unref (codec->params);
    codec->params = params;
  }
  for (i = 0; rtcp_fb && rtcp_fb[i]; i++) {
    gchar *feedback = NULL;
    gboolean ok;

    text = g_strdup_printf ("%u %s", pt, rtcp_fb[i]);
    ok = sec_webrtc_rtcp_fb_parse (text, &parsed_pt, &feedback, error)
        && parsed_pt == (gint)pt
        && feedback_add (codec->feedback, feedback, (gint)pt, error);
    if (!ok && error && *error == NULL)
      g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
          SEC_WEBRTC_CODEC_ERROR_INVALID,
          "an a=rtcp-fb value of payload "
          "type %u is malformed",
          pt);
    g_free (feedback);
    g_free (text);
    if (!ok) {
      sec_webrtc_codec_free (codec);
      return NULL;
    }
  }
  codec->kind = classify (codec, &codec->apt);
  return codec;
}

static gchar **
media_attribute_values (const GstSDPMedia * media, const gchar * key)
{
  GPtrArray *values = g_ptr_array_new ();
  guint i;

  for (i = 0; i < gst_sdp_media_attributes_len (media); i++) {
    const GstSDPAttribute *attribute = gst_sdp_media_get_attribute (media, i);

    if (g_strcmp0 (attribute->key, key) == 0)
      g_ptr_array_add (
          values, (gpointer)(attribute->value ? attribute->value : ""));
  }
  g_ptr_array_add (values, NULL);
  return (gchar **)g_ptr_array_free (values, FALSE);
}

GPtrArray *
sec_webrtc_codecs_from_sdp_media (const GstSDPMedia * media, GError ** error)
{
  GPtrArray *formats;
  gchar **rtpmaps, **fmtps, **rtcp_fbs;
  GPtrArray *codecs;
  guint i;

  g_return_val_if_fail (media != NULL, NULL);

  formats = g_ptr_array_new ();
  for (i = 0; i < gst_sdp_media_formats_len (media); i++)
    g_ptr_array_add (formats, (gpointer)gst_sdp_media_get_format (media, i));
  g_ptr_array_add (formats, NULL);
  rtpmaps = media_attribute_values (media, "rtpmap");
  fmtps = media_attribute_values (media, "fmtp");
  rtcp_fbs = media_attribute_values (media, "rtcp-fb");

  codecs = sec_webrtc_codecs_parse (gst_sdp_media_get_media (media),
      (const gchar *const *)formats->pdata, (const gchar *const *)rtpmaps,
      (const gchar *const *)fmtps, (const gchar *const *)rtcp_fbs, error);

  /* the arrays hold pointers into @media */
  g_free (rtpmaps);
  g_free (fmtps);
  g_free (rtcp_fbs);
  g_ptr_array_unref (formats);
  return codecs;
}

void
sec_webrtc_codecs_to_sdp_media (const GPtrArray * codecs, GstSDPMedia * media)
{
  guint i, j;

  g_return_if_fail (codecs != NULL && media != NULL);

  for (i = 0; i < codecs->len; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (codecs, i);
    gchar *text, *attribute;

    g_return_if_fail (codec->payload_type >= 0);

    text = g_strdup_printf ("%d", codec->payload_type);
    gst_sdp_media_add_format (media, text);
    g_free (text);

    text = sec_webrtc_codec_rtpmap_string (codec);
    attribute = g_strdup_printf ("%d %s", codec->payload_type, text);
    gst_sdp_media_add_attribute (media, "rtpmap", attribute);
    g_free (attribute);
    g_free (text);

    for (j = 0; j < codec->feedback->len; j++) {
      attribute = g_strdup_printf ("%d %s", codec->payload_type,
          (const gchar *)g_ptr_array_index (codec->feedback, j));
      gst_sdp_media_add_attribute (media, "rtcp-fb", attribute);
      g_free (attribute);
    }

    text = sec_webrtc_codec_fmtp_string (codec);
    if (text) {
      attribute = g_strdup_printf ("%d %s", codec->payload_type, text);
      gst_sdp_media_add_attribute (media, "fmtp", attribute);
      g_free (attribute);
      g_free (text);
    }
  }
}
