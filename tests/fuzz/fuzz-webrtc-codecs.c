/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: the codec core of the webrtc bin (gst/webrtc/codecs.h).
 * The input is an m-line as SDP text ("m=video 9 UDP/TLS/RTP/SAVPF 96
 * 97" then "a=rtpmap:", "a=fmtp:" and "a=rtcp-fb:" lines; other lines
 * are ignored), cut into lines by our own code so that every byte reaches
 * the attribute parsers. Checked:
 *  - each line through the three attribute parsers: a clean error, or a
 *    result that formats and parses again to the same values;
 *  - the m-line's codecs: a clean error, or codecs that write into a
 *    GstSDPMedia and read back to the same list, each with stream caps;
 *  - our answer (every codec we implement), twice on one transport's
 *    payload types as two bundled m-lines: NO_COMMON or a list of
 *    offered payload types that negotiates to itself, with an offer on
 *    that transport afterwards;
 *  - "caps:" lines as sink caps for an offer and an answer.
 * Built as a libFuzzer target with clang and, with any compiler, linked
 * to replay-main.c, which runs the corpus as a regression test.
 */
#include "codecs.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

static void
check_error (GError * error, gboolean invalid_only)
{
  if (error == NULL || error->domain != SEC_WEBRTC_CODEC_ERROR
      || error->message == NULL || error->message[0] == '\0'
      || (invalid_only && error->code != SEC_WEBRTC_CODEC_ERROR_INVALID))
    abort ();
  g_error_free (error);
}

/* "PT rtpmap fmtp kind apt feedback..." */
static gchar *
summary (const GPtrArray * codecs)
{
  GString *out = g_string_new (NULL);
  guint i, j;

  for (i = 0; i < codecs->len; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (codecs, i);
    gchar *rtpmap = sec_webrtc_codec_rtpmap_string (codec);
    gchar *fmtp = sec_webrtc_codec_fmtp_string (codec);

    g_string_append_printf (out, "%d %s %s %d %d %s", codec->payload_type,
        rtpmap, fmtp ? fmtp : "-", codec->kind, codec->apt, codec->media);
    for (j = 0; j < codec->feedback->len; j++)
      g_string_append_printf (
          out, " [%s]", (const gchar *)g_ptr_array_index (codec->feedback, j));
    g_string_append_c (out, '\n');
    g_free (rtpmap);
    g_free (fmtp);
  }
  return g_string_free (out, FALSE);
}

static void
check_attribute (const gchar * line)
{
  GError *error = NULL;
  GPtrArray *params = NULL;
  gchar *name = NULL, *feedback = NULL, *again;
  guint rate, channels;
  gint pt;

  if (sec_webrtc_rtpmap_parse (line, &pt, &name, &rate, &channels, &error)) {
    gchar *name2 = NULL;
    guint rate2, channels2;
    gint pt2;

    if (pt < 0 || pt > 127 || name[0] == '\0' || rate == 0 || rate > G_MAXINT
        || channels > 255)
      abort ();
    again = channels ? g_strdup_printf ("%d %s/%u/%u", pt, name, rate, channels)
                     : g_strdup_printf ("%d %s/%u", pt, name, rate);
    if (!sec_webrtc_rtpmap_parse (again, &pt2, &name2, &rate2, &channels2, NULL)
        || pt2 != pt || strcmp (name2, name) != 0 || rate2 != rate
        || channels2 != channels)
      abort ();
    g_free (again);
    g_free (name2);
    g_free (name);
  } else {
    check_error (error, TRUE);
    error = NULL;
  }

  if (sec_webrtc_fmtp_parse (line, &pt, &params, &error)) {
    guint i;

    if (pt < 0 || pt > 127 || params->len > 64)
      abort ();
    for (i = 0; i < params->len; i++) {
      SecWebRTCCodecParam *param = g_ptr_array_index (params, i);

      if (param->name[0] == '\0' || strchr (param->name, ';')
          || (param->value && strchr (param->value, ';')))
        abort ();
    }
    g_ptr_array_unref (params);
  } else {
    check_error (error, TRUE);
    error = NULL;
  }

  if (sec_webrtc_rtcp_fb_parse (line, &pt, &feedback, &error)) {
    gchar *feedback2 = NULL;
    gint pt2;

    if (pt < -1 || pt > 127 || feedback[0] == '\0' || feedback[0] == ' '
        || strstr (feedback, "  "))
      abort ();
    again = pt < 0 ? g_strdup_printf ("* %s", feedback)
                   : g_strdup_printf ("%d %s", pt, feedback);
    if (!sec_webrtc_rtcp_fb_parse (again, &pt2, &feedback2, NULL) || pt2 != pt
        || strcmp (feedback2, feedback) != 0)
      abort ();
    g_free (again);
    g_free (feedback2);
    g_free (feedback);
  } else {
    check_error (error, TRUE);
  }
}

/* the list writes into a GstSDPMedia and reads back the same */
static void
check_round_trip (const GPtrArray * codecs, const gchar * media_name)
{
  GstSDPMedia *media;
  GPtrArray *again;
  gchar *before, *after;
  guint i, j;

  gst_sdp_media_new (&media);
  gst_sdp_media_set_media (media, media_name);
  sec_webrtc_codecs_to_sdp_media (codecs, media);
  again = sec_webrtc_codecs_from_sdp_media (media, NULL);
  if (again == NULL)
    abort ();
  before = summary (codecs);
  after = summary (again);
  if (strcmp (before, after) != 0) {
    g_printerr ("round trip:\n%s---\n%s", before, after);
    abort ();
  }
  for (i = 0; i < codecs->len; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (codecs, i);
    GstCaps *caps = sec_webrtc_codec_to_caps (codec);
    gchar *rtpmap = sec_webrtc_codec_rtpmap_string (codec);
    gchar *fmtp = sec_webrtc_codec_fmtp_string (codec);
    GPtrArray *one =
        g_ptr_array_new_with_free_func ((GDestroyNotify)sec_webrtc_codec_free);
    GPtrArray *feedback = g_ptr_array_new ();
    SecWebRTCCodec *copy;
    gchar *one_summary, *codec_summary;

    if (caps == NULL || !gst_caps_is_fixed (caps))
      abort ();
    gst_caps_unref (caps);

    /* the same codec from its values without the payload type (what
     * sdpcheck.c hands over) */
    for (j = 0; j < codec->feedback->len; j++)
      g_ptr_array_add (feedback, g_ptr_array_index (codec->feedback, j));
    g_ptr_array_add (feedback, NULL);
    copy = sec_webrtc_codec_parse (codec->media, (guint)codec->payload_type,
        rtpmap, fmtp, (const gchar *const *)feedback->pdata, NULL);
    g_ptr_array_unref (feedback);
    if (copy == NULL)
      abort ();
    g_ptr_array_add (one, copy);
    one_summary = summary (one);
    g_ptr_array_set_size (one, 0);
    g_ptr_array_add (one, sec_webrtc_codec_copy (codec));
    codec_summary = summary (one);
    if (strcmp (one_summary, codec_summary) != 0)
      abort ();
    g_free (one_summary);
    g_free (codec_summary);
    g_ptr_array_unref (one);
    g_free (rtpmap);
    g_free (fmtp);
  }
  g_free (before);
  g_free (after);
  g_ptr_array_unref (again);
  gst_sdp_media_free (media);
}

static void
check_answer (const GPtrArray * offered, SecWebRTCPayloadSpace * space)
{
  GError *error = NULL;
  GPtrArray *answer, *negotiated;
  guint i, j;

  answer = sec_webrtc_codecs_answer (offered, NULL, space, &error);
  if (answer == NULL) {
    if (error == NULL || error->code != SEC_WEBRTC_CODEC_ERROR_NO_COMMON)
      abort ();
    check_error (error, FALSE);
    return;
  }
  for (i = 0; i < answer->len; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (answer, i);
    gboolean offered_pt = FALSE;

    if (codec->kind == SEC_WEBRTC_CODEC_UNKNOWN)
      abort ();
    for (j = 0; j < offered->len; j++)
      offered_pt |=
          ((SecWebRTCCodec *)g_ptr_array_index (offered, j))->payload_type
          == codec->payload_type;
    if (!offered_pt)
      abort ();
    /* an rtx only with its codec */
    if (codec->kind == SEC_WEBRTC_CODEC_RTX) {
      gboolean repaired = FALSE;

      for (j = 0; j < answer->len; j++) {
        const SecWebRTCCodec *other = g_ptr_array_index (answer, j);

        repaired |= other->payload_type == codec->apt
            && other->kind != SEC_WEBRTC_CODEC_RTX;
      }
      if (!repaired || sec_webrtc_codecs_find_rtx (answer, codec->apt) == NULL)
        abort ();
    }
  }
  check_round_trip (
      answer, ((SecWebRTCCodec *)g_ptr_array_index (answer, 0))->media);

  /* what we answer is what we then negotiate, with the offer's fmtp */
  negotiated = sec_webrtc_codecs_negotiate (answer, offered, &error);
  if (negotiated == NULL) {
    g_printerr ("answer does not negotiate: %s\n", error->message);
    abort ();
  }
  if (negotiated->len != answer->len)
    abort ();
  for (i = 0; i < answer->len; i++) {
    const SecWebRTCCodec *ours = g_ptr_array_index (answer, i);
    const SecWebRTCCodec *agreed = g_ptr_array_index (negotiated, i);

    if (ours->payload_type != agreed->payload_type || ours->kind != agreed->kind
        || ours->feedback->len != agreed->feedback->len)
      abort ();
  }
  g_ptr_array_unref (negotiated);
  g_ptr_array_unref (answer);
}

static void
check_mline (gchar ** lines)
{
  GPtrArray *rtpmaps = g_ptr_array_new (), *fmtps = g_ptr_array_new ();
  GPtrArray *rtcp_fbs = g_ptr_array_new ();
  gchar **mline = NULL;
  const gchar *media = "video";
  const gchar *const *formats = NULL;
  SecWebRTCPayloadSpace *space;
  GPtrArray *codecs;
  GError *error = NULL;
  guint i;

  for (i = 0; lines[i]; i++) {
    if (g_str_has_prefix (lines[i], "m=") && mline == NULL) {
      mline = g_strsplit (lines[i] + 2, " ", -1);
      /* m=<media> <port> <proto> <fmt>... */
      media = mline[0];
      if (mline[0] && mline[1] && mline[2])
        formats = (const gchar *const *)mline + 3;
    } else if (g_str_has_prefix (lines[i], "a=rtpmap:")) {
      g_ptr_array_add (rtpmaps, lines[i] + 9);
    } else if (g_str_has_prefix (lines[i], "a=fmtp:")) {
      g_ptr_array_add (fmtps, lines[i] + 7);
    } else if (g_str_has_prefix (lines[i], "a=rtcp-fb:")) {
      g_ptr_array_add (rtcp_fbs, lines[i] + 10);
    }
  }
  g_ptr_array_add (rtpmaps, NULL);
  g_ptr_array_add (fmtps, NULL);
  g_ptr_array_add (rtcp_fbs, NULL);

  codecs = sec_webrtc_codecs_parse (media, formats,
      (const gchar *const *)rtpmaps->pdata, (const gchar *const *)fmtps->pdata,
      (const gchar *const *)rtcp_fbs->pdata, &error);
  if (codecs == NULL) {
    check_error (error, TRUE);
  } else {
    GstCaps *caps;

    check_round_trip (codecs, media);
    space = sec_webrtc_payload_space_new ();
    check_answer (codecs, space);
    check_answer (codecs, space);
    /* then an offer on the same transport */
    caps = sec_webrtc_codecs_default_caps (codecs->len > 0
            ? ((SecWebRTCCodec *)g_ptr_array_index (codecs, 0))->media
            : "audio");
    if (caps) {
      GPtrArray *offer = sec_webrtc_codecs_offer (caps, space, &error);

      if (offer) {
        check_round_trip (
            offer, ((SecWebRTCCodec *)g_ptr_array_index (offer, 0))->media);
        g_ptr_array_unref (offer);
      } else if (error->code != SEC_WEBRTC_CODEC_ERROR_PAYLOAD_TYPE) {
        abort ();
      } else {
        check_error (error, FALSE);
      }
      gst_caps_unref (caps);
    }
    sec_webrtc_payload_space_free (space);
    g_ptr_array_unref (codecs);
  }

  g_strfreev (mline);
  g_ptr_array_unref (rtpmaps);
  g_ptr_array_unref (fmtps);
  g_ptr_array_unref (rtcp_fbs);
}

/* "caps:" lines as the caps of a sink pad, one structure each:
 * "name=value;..." fields (decimal values of clock-rate and payload as
 * integers, others strings). Only the field names below: a caps field
 * name is a GQuark, which lives as long as the process, so made-up names
 * would grow GLib's quark table without end (which LeakSanitizer then
 * reports). Built field by field rather than with gst_caps_from_string (),
 * whose error paths are GStreamer's to fuzz. */
static const gchar *const caps_fields[] = { "media", "clock-rate",
  "encoding-name", "encoding-params", "payload", "ssrc", "a-framerate",
  "profile-level-id", "packetization-mode", "level-asymmetry-allowed",
  "sprop-parameter-sets", "max-br", "max-fs", "max-fr", "profile-id",
  "minptime", "ptime", "maxptime", "useinbandfec", "usedtx", "stereo",
  "sprop-stereo", "cbr", "maxplaybackrate", "maxaveragebitrate",
  "sprop-maxcapturerate", "apt", NULL };

static GstCaps *
caps_from_lines (gchar ** lines)
{
  GstCaps *caps = gst_caps_new_empty ();
  guint i, j;

  for (i = 0; lines[i]; i++) {
    GstStructure *s;
    gchar **fields;

    if (!g_str_has_prefix (lines[i], "caps:"))
      continue;
    s = gst_structure_new_empty ("application/x-rtp");
    fields = g_strsplit (lines[i] + 5, ";", -1);
    for (j = 0; fields[j]; j++) {
      gchar *equals = strchr (fields[j], '=');
      guint64 number;

      if (equals == NULL || equals == fields[j])
        continue;
      *equals = '\0';
      if (!g_strv_contains (caps_fields, fields[j])
          || !g_utf8_validate (equals + 1, -1, NULL))
        continue;
      if ((strcmp (fields[j], "payload") == 0
              || strcmp (fields[j], "clock-rate") == 0)
          && g_ascii_string_to_unsigned (
              equals + 1, 10, 0, G_MAXINT, &number, NULL))
        gst_structure_set (s, fields[j], G_TYPE_INT, (gint)number, NULL);
      else
        gst_structure_set (s, fields[j], G_TYPE_STRING, equals + 1, NULL);
    }
    g_strfreev (fields);
    gst_caps_append_structure (caps, s);
  }
  if (gst_caps_is_empty (caps)) {
    gst_caps_unref (caps);
    return NULL;
  }
  return caps;
}

static void
check_caps (gchar ** lines)
{
  GstCaps *caps = caps_from_lines (lines);
  GError *error = NULL;
  GPtrArray *offer;

  if (caps == NULL)
    return;
  offer = sec_webrtc_codecs_offer (caps, NULL, &error);
  if (offer) {
    const SecWebRTCCodec *first = g_ptr_array_index (offer, 0);
    GPtrArray *answer;

    check_round_trip (offer, first->media);
    if (sec_webrtc_codecs_find_for_caps (offer, caps) == NULL)
      abort ();
    /* our own offer answered with the same caps keeps every codec */
    answer = sec_webrtc_codecs_answer (offer, caps, NULL, &error);
    if (answer == NULL || answer->len != offer->len)
      abort ();
    g_ptr_array_unref (answer);
    g_ptr_array_unref (offer);
  } else {
    check_error (error, FALSE);
  }
  gst_caps_unref (caps);
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  static gboolean initialized = FALSE;
  gchar *text;
  gchar **lines;
  guint i;

  if (!initialized) {
    /* no plugins are needed: no registry to scan */
    g_setenv ("GST_REGISTRY_DISABLE", "yes", TRUE);
    gst_init (NULL, NULL);
    initialized = TRUE;
  }

  /* an exact-size heap copy with its NUL, so ASan sees any read past
   * the end; the text stops at the first NUL as C strings do */
  text = g_malloc (size + 1);
  memcpy (text, data, size);
  text[size] = '\0';

  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i]; i++) {
    const gchar *value = strchr (lines[i], ':');

    check_attribute (lines[i]);
    if (value)
      check_attribute (value + 1);
  }
  check_mline (lines);
  check_caps (lines);

  g_strfreev (lines);
  g_free (text);
  return 0;
}
