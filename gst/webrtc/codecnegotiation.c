/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Payload types and negotiation (see codecs.h): one payload type space
 * per transport, the offer from our caps, the answer to an offer
 * (RFC 3264 §6.1, RFC 6184 §8.2.2 for H264), and the negotiated result
 * of a complete exchange.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "codecs-private.h"
#include "h264profile.h"

#include <string.h>

#define GST_CAT_DEFAULT sec_webrtc_codecs_debug

/* payload type ranges (RFC 3551 §6, RFC 5761 §4: 64..95 would clash with
 * RTCP packet types under rtcp-mux; browsers use 35..63 when 96..127 are
 * exhausted) */
#define DYNAMIC_PT_FIRST 96
#define DYNAMIC_PT_LAST 127
#define LOW_DYNAMIC_PT_FIRST 35
#define LOW_DYNAMIC_PT_LAST 63

/* ------------------------------------------------------------------ */
/* Payload type spaces */

struct _SecWebRTCPayloadSpace
{
  SecWebRTCCodec *by_pt[128];
};

SecWebRTCPayloadSpace *
sec_webrtc_payload_space_new (void)
{
  return g_new0 (SecWebRTCPayloadSpace, 1);
}

void
sec_webrtc_payload_space_free (SecWebRTCPayloadSpace * space)
{
  guint i;

  if (space == NULL)
    return;
  for (i = 0; i < G_N_ELEMENTS (space->by_pt); i++)
    sec_webrtc_codec_free (space->by_pt[i]);
  g_free (space);
}

const SecWebRTCCodec *
sec_webrtc_payload_space_lookup (const SecWebRTCPayloadSpace * space, guint pt)
{
  g_return_val_if_fail (space != NULL, NULL);

  return pt < G_N_ELEMENTS (space->by_pt) ? space->by_pt[pt] : NULL;
}

gboolean
sec_webrtc_payload_space_reserve (SecWebRTCPayloadSpace * space,
    const SecWebRTCCodec * codec, GError ** error)
{
  const SecWebRTCCodec *existing;
  gchar *mine, *theirs;

  g_return_val_if_fail (space != NULL && codec != NULL, FALSE);

  if (codec->payload_type < 0 || codec->payload_type > 127) {
    g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
        SEC_WEBRTC_CODEC_ERROR_PAYLOAD_TYPE,
        "payload type %d is not one of 0..127", codec->payload_type);
    return FALSE;
  }
  existing = space->by_pt[codec->payload_type];
  if (existing == NULL) {
    space->by_pt[codec->payload_type] = sec_webrtc_codec_copy (codec);
    return TRUE;
  }
  if (sec_webrtc_codec_same_configuration (existing, codec))
    return TRUE;

  mine = sec_webrtc_codec_describe (existing);
  theirs = sec_webrtc_codec_describe (codec);
  g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
      SEC_WEBRTC_CODEC_ERROR_PAYLOAD_TYPE,
      "payload type %d already means "
      "%s on this transport, so it cannot mean %s too (RFC 8843 §7.5)",
      codec->payload_type, mine, theirs);
  g_free (mine);
  g_free (theirs);
  return FALSE;
}

/* Payload types a codec may be given: the dynamic ranges and its own
 * static one. */
static gboolean
payload_type_fits (gint pt, const SecWebRTCCodec * codec)
{
  const SecWebRTCCodecInfo *info = sec_webrtc_codec_info_for_kind (codec->kind);

  return (pt >= DYNAMIC_PT_FIRST && pt <= DYNAMIC_PT_LAST)
      || (pt >= LOW_DYNAMIC_PT_FIRST && pt <= LOW_DYNAMIC_PT_LAST)
      || (info != NULL && info->static_pt == pt);
}

static gboolean
payload_type_usable (const SecWebRTCPayloadSpace * space, gint pt,
    const SecWebRTCCodec * codec)
{
  return space->by_pt[pt] == NULL
      || sec_webrtc_codec_same_configuration (space->by_pt[pt], codec);
}

gboolean
sec_webrtc_payload_space_assign (SecWebRTCPayloadSpace * space,
    SecWebRTCCodec * codec, GError ** error)
{
  const SecWebRTCCodecInfo *info;
  gint pt = -1, candidate;
  guint i;

  g_return_val_if_fail (space != NULL && codec != NULL, FALSE);
  sec_webrtc_codecs_ensure_debug ();

  info = sec_webrtc_codec_info_for_kind (codec->kind);
  if (codec->payload_type >= 0 && codec->payload_type <= 127
      && payload_type_fits (codec->payload_type, codec)
      && payload_type_usable (space, codec->payload_type, codec))
    pt = codec->payload_type;
  for (i = 0; pt < 0 && i < G_N_ELEMENTS (space->by_pt); i++) {
    if (space->by_pt[i]
        && sec_webrtc_codec_same_configuration (space->by_pt[i], codec))
      pt = (gint)i;
  }
  if (pt < 0 && info && info->static_pt >= 0
      && space->by_pt[info->static_pt] == NULL)
    pt = info->static_pt;
  for (candidate = DYNAMIC_PT_FIRST; pt < 0 && candidate <= DYNAMIC_PT_LAST;
       candidate++) {
    if (space->by_pt[candidate] == NULL)
      pt = candidate;
  }
  for (candidate = LOW_DYNAMIC_PT_FIRST;
       pt < 0 && candidate <= LOW_DYNAMIC_PT_LAST; candidate++) {
    if (space->by_pt[candidate] == NULL)
      pt = candidate;
  }
  if (pt < 0) {
    gchar *text = sec_webrtc_codec_describe (codec);

    g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
        SEC_WEBRTC_CODEC_ERROR_PAYLOAD_TYPE,
        "no payload type is free on "
        "this transport for %s: 96..127 and 35..63 are all in use",
        text);
    g_free (text);
    return FALSE;
  }

  if (codec->payload_type >= 0 && codec->payload_type != pt)
    GST_DEBUG ("payload type %d asked for by the caps cannot be used; %d "
               "instead",
        codec->payload_type, pt);
  codec->payload_type = pt;
  if (space->by_pt[pt] == NULL)
    space->by_pt[pt] = sec_webrtc_codec_copy (codec);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Offer */

static SecWebRTCCodec *
rtx_new (gint pt, gint apt, guint clock_rate)
{
  SecWebRTCCodec *rtx = sec_webrtc_codec_new (
      SEC_WEBRTC_CODEC_RTX, "video", pt, "rtx", clock_rate, 0);
  gchar *text = g_strdup_printf ("%d", apt);

  /* RFC 4588 §8.6 */
  rtx->apt = apt;
  sec_webrtc_codec_params_set (rtx->params, "apt", text);
  g_free (text);
  return rtx;
}

GPtrArray *
sec_webrtc_codecs_offer (const GstCaps * caps, SecWebRTCPayloadSpace * space,
    GError ** error)
{
  SecWebRTCPayloadSpace *own_space = NULL;
  GPtrArray *local, *primaries, *offer = NULL;
  guint i, j;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  sec_webrtc_codecs_ensure_debug ();

  local = sec_webrtc_codecs_from_caps (caps, error);
  if (local == NULL)
    return NULL;
  if (space == NULL)
    space = own_space = sec_webrtc_payload_space_new ();

  primaries = sec_webrtc_codec_list_new ();
  for (i = 0; i < local->len; i++) {
    SecWebRTCCodec *codec = g_ptr_array_index (local, i);
    gboolean repeated = FALSE;

    for (j = 0; j < primaries->len && !repeated; j++)
      repeated = sec_webrtc_codec_same_configuration (
          g_ptr_array_index (primaries, j), codec);
    if (repeated)
      GST_DEBUG ("caps structure %u repeats a codec configuration", i);
    else
      g_ptr_array_add (primaries, sec_webrtc_codec_copy (codec));
  }

  /* the codecs whose caps ask for a payload type get theirs first (if
   * free); then, in the caps' order, each other codec, and for video its
   * rtx right after it, as browsers number them: 96 VP8, 97 rtx, ... */
  for (i = 0; i < primaries->len; i++) {
    SecWebRTCCodec *codec = g_ptr_array_index (primaries, i);

    if (codec->payload_type >= 0
        && !sec_webrtc_payload_space_assign (space, codec, error))
      goto out;
  }
  offer = sec_webrtc_codec_list_new ();
  for (i = 0; i < primaries->len; i++) {
    SecWebRTCCodec *codec = g_ptr_array_index (primaries, i);
    const SecWebRTCCodecInfo *info =
        sec_webrtc_codec_info_for_kind (codec->kind);

    if (codec->payload_type < 0
        && !sec_webrtc_payload_space_assign (space, codec, error)) {
      g_clear_pointer (&offer, g_ptr_array_unref);
      goto out;
    }
    if (info->feedback_and_rtx) {
      for (j = 0; sec_webrtc_video_feedback[j]; j++)
        g_ptr_array_add (
            codec->feedback, g_strdup (sec_webrtc_video_feedback[j]));
    }
    g_ptr_array_add (offer, sec_webrtc_codec_copy (codec));
    if (info->feedback_and_rtx) {
      SecWebRTCCodec *rtx =
          rtx_new (-1, codec->payload_type, codec->clock_rate);

      if (!sec_webrtc_payload_space_assign (space, rtx, error)) {
        sec_webrtc_codec_free (rtx);
        g_clear_pointer (&offer, g_ptr_array_unref);
        goto out;
      }
      g_ptr_array_add (offer, rtx);
    }
  }

out:
  g_ptr_array_unref (primaries);
  g_ptr_array_unref (local);
  sec_webrtc_payload_space_free (own_space);
  return offer;
}

/* ------------------------------------------------------------------ */
/* Answer */

/* TRUE if @local (from our caps) can send and receive what @offered
 * describes (see sec_webrtc_codecs_answer) */
static gboolean
answer_matches (const SecWebRTCCodec * offered, const SecWebRTCCodec * local)
{
  if (offered->kind != local->kind)
    return FALSE;

  switch (offered->kind) {
    case SEC_WEBRTC_CODEC_H264: {
      SecWebRTCH264ProfileLevelId offered_plid, local_plid;
      gint mode = sec_webrtc_codec_h264_packetization_mode (offered);

      /* RFC 6184 §8.2.2: packetization-mode and the profile are used
       * symmetrically, the level may differ */
      if ((mode != 0 && mode != 1)
          || mode != sec_webrtc_codec_h264_packetization_mode (local)
          || !sec_webrtc_codec_h264_profile_level_id (
              offered, &offered_plid, NULL))
        return FALSE;
      if (sec_webrtc_codec_params_get (local->params, "profile-level-id")
          == NULL)
        return TRUE;
      return sec_webrtc_codec_h264_profile_level_id (local, &local_plid, NULL)
          && local_plid.profile == offered_plid.profile;
    }
    case SEC_WEBRTC_CODEC_VP9:
      return sec_webrtc_codec_vp9_profile_id (offered) >= 0
          && sec_webrtc_codec_vp9_profile_id (offered)
          == sec_webrtc_codec_vp9_profile_id (local);
    case SEC_WEBRTC_CODEC_UNKNOWN:
    case SEC_WEBRTC_CODEC_RTX:
      return FALSE;
    default:
      return TRUE;
  }
}

/* 1..10 decimal digits (NULL: FALSE) */
static gboolean
is_number (const gchar * value)
{
  guint64 number;

  return sec_webrtc_codec_parse_decimal (value, G_MAXUINT32, &number);
}

static gboolean
param_is_one (const SecWebRTCCodec * codec, const gchar * name)
{
  return g_strcmp0 (sec_webrtc_codec_params_get (codec->params, name), "1")
      == 0;
}

/* RFC 6184 §8.2.2: packetization-mode and the profile as offered; the
 * level ours when both allow asymmetry, else the lower one */
static void
answer_h264_params (SecWebRTCCodec * answer, const SecWebRTCCodec * offered,
    const SecWebRTCCodec * local)
{
  const gchar *offered_text =
      sec_webrtc_codec_params_get (offered->params, "profile-level-id");
  const gchar *local_text =
      sec_webrtc_codec_params_get (local->params, "profile-level-id");
  const gchar *mode =
      sec_webrtc_codec_params_get (offered->params, "packetization-mode");
  gboolean offered_asymmetry =
      param_is_one (offered, "level-asymmetry-allowed");
  gboolean local_asymmetry = local_text
      ? param_is_one (local, "level-asymmetry-allowed")
      : offered_asymmetry;

  if (local_asymmetry)
    sec_webrtc_codec_params_set (
        answer->params, "level-asymmetry-allowed", "1");
  if (mode)
    sec_webrtc_codec_params_set (answer->params, "packetization-mode", mode);
  if (local_text == NULL) {
    if (offered_text) {
      gchar *lower = g_ascii_strdown (offered_text, -1);

      sec_webrtc_codec_params_set (answer->params, "profile-level-id", lower);
      g_free (lower);
    }
  } else {
    SecWebRTCH264ProfileLevelId offered_plid, local_plid;
    guint level;
    gchar *text;

    /* both parse: answer_matches () checked */
    sec_webrtc_codec_h264_profile_level_id (offered, &offered_plid, NULL);
    sec_webrtc_codec_h264_profile_level_id (local, &local_plid, NULL);
    level = offered_asymmetry && local_asymmetry
        ? local_plid.level
        : MIN (local_plid.level, offered_plid.level);
    text = sec_webrtc_h264_profile_level_id_format (
        offered_text ? &offered_plid : &local_plid, level);
    sec_webrtc_codec_params_set (answer->params, "profile-level-id", text);
    g_free (text);
  }
}

static SecWebRTCCodec *
answer_codec (const SecWebRTCCodec * offered, const SecWebRTCCodec * local)
{
  const SecWebRTCCodecInfo *info =
      sec_webrtc_codec_info_for_kind (offered->kind);
  SecWebRTCCodec *answer = sec_webrtc_codec_new (offered->kind, offered->media,
      offered->payload_type, info->name, info->clock_rate, info->channels);
  static const gchar *const nothing_decided[] = { NULL };
  static const gchar *const h264_decided[] = { "profile-level-id",
    "packetization-mode", "level-asymmetry-allowed", NULL };
  static const gchar *const vp9_decided[] = { "profile-id", NULL };
  static const gchar *const opus_echoed[] = { "minptime", "useinbandfec",
    NULL };
  const gchar *const *ours_decide = nothing_decided;
  guint i;

  switch (offered->kind) {
    case SEC_WEBRTC_CODEC_H264:
      answer_h264_params (answer, offered, local);
      ours_decide = h264_decided;
      break;
    case SEC_WEBRTC_CODEC_VP9:
      if (sec_webrtc_codec_params_get (offered->params, "profile-id"))
        sec_webrtc_codec_params_set (answer->params, "profile-id",
            sec_webrtc_codec_params_get (offered->params, "profile-id"));
      ours_decide = vp9_decided;
      break;
    case SEC_WEBRTC_CODEC_OPUS:
      for (i = 0; opus_echoed[i]; i++) {
        const gchar *value =
            sec_webrtc_codec_params_get (offered->params, opus_echoed[i]);

        /* numbers only: our answer repeats no other text of the peer */
        if (is_number (value))
          sec_webrtc_codec_params_set (answer->params, opus_echoed[i], value);
      }
      break;
    default:
      break;
  }
  /* the rest of our caps' parameters (sprop-*, max-*, Opus settings) */
  for (i = 0; i < local->params->len; i++) {
    SecWebRTCCodecParam *param = g_ptr_array_index (local->params, i);

    if (!g_strv_contains (ours_decide, param->name))
      sec_webrtc_codec_params_set (answer->params, param->name, param->value);
  }
  if (info->feedback_and_rtx) {
    for (i = 0; i < offered->feedback->len; i++) {
      const gchar *feedback = g_ptr_array_index (offered->feedback, i);

      if (g_strv_contains (sec_webrtc_video_feedback, feedback))
        g_ptr_array_add (answer->feedback, g_strdup (feedback));
    }
  }
  return answer;
}

static gchar *
list_codecs (const GPtrArray * codecs, gboolean with_payload_type)
{
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; i < codecs->len; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (codecs, i);
    gchar *rtpmap = sec_webrtc_codec_rtpmap_string (codec);

    if (i == 16) {
      g_string_append (text, ", ...");
      g_free (rtpmap);
      break;
    }
    if (i > 0)
      g_string_append (text, ", ");
    if (with_payload_type)
      g_string_append_printf (text, "%d ", codec->payload_type);
    g_string_append (text, rtpmap);
    g_free (rtpmap);
  }
  if (codecs->len == 0)
    g_string_append (text, "none");
  return g_string_free (text, FALSE);
}

GPtrArray *
sec_webrtc_codecs_answer (const GPtrArray * offered, const GstCaps * caps,
    SecWebRTCPayloadSpace * space, GError ** error)
{
  SecWebRTCCodec *primaries[128] = { NULL };
  gboolean answered[128] = { FALSE };
  GPtrArray *local, *answer;
  const gchar *media;
  guint i, j;

  g_return_val_if_fail (offered != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  sec_webrtc_codecs_ensure_debug ();

  if (offered->len == 0) {
    g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
        SEC_WEBRTC_CODEC_ERROR_NO_COMMON, "the m-line offers no codec");
    return NULL;
  }
  media = ((const SecWebRTCCodec *)g_ptr_array_index (offered, 0))->media;
  if (caps) {
    local = sec_webrtc_codecs_from_caps (caps, error);
  } else {
    GstCaps *default_caps = sec_webrtc_codecs_default_caps (media);

    local = sec_webrtc_codecs_from_caps (default_caps, error);
    gst_caps_unref (default_caps);
  }
  if (local == NULL)
    return NULL;

  /* the codecs themselves, first */
  for (i = 0; i < offered->len; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (offered, i);
    GError *collision = NULL;

    if (codec->payload_type < 0 || codec->payload_type > 127)
      continue;
    for (j = 0; j < local->len && !primaries[codec->payload_type]; j++) {
      const SecWebRTCCodec *ours = g_ptr_array_index (local, j);

      if (answer_matches (codec, ours))
        primaries[codec->payload_type] = answer_codec (codec, ours);
    }
    if (primaries[codec->payload_type] && space
        && !sec_webrtc_payload_space_reserve (
            space, primaries[codec->payload_type], &collision)) {
      GST_WARNING ("offered codec left out: %s", collision->message);
      g_clear_error (&collision);
      g_clear_pointer (&primaries[codec->payload_type], sec_webrtc_codec_free);
    }
    answered[codec->payload_type] = primaries[codec->payload_type] != NULL;
  }

  /* then in the offer's order, with rtx for answered video codecs */
  answer = sec_webrtc_codec_list_new ();
  for (i = 0; i < offered->len; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (offered, i);

    if (codec->payload_type < 0 || codec->payload_type > 127)
      continue;
    if (primaries[codec->payload_type]) {
      g_ptr_array_add (
          answer, g_steal_pointer (&primaries[codec->payload_type]));
    } else if (codec->kind == SEC_WEBRTC_CODEC_RTX
        && strcmp (codec->media, "video") == 0 && codec->apt >= 0
        && codec->apt <= 127 && answered[codec->apt]
        && codec->clock_rate == 90000) {
      SecWebRTCCodec *rtx =
          rtx_new (codec->payload_type, codec->apt, codec->clock_rate);
      const gchar *rtx_time =
          sec_webrtc_codec_params_get (codec->params, "rtx-time");
      GError *collision = NULL;

      if (is_number (rtx_time))
        sec_webrtc_codec_params_set (rtx->params, "rtx-time", rtx_time);
      if (space && !sec_webrtc_payload_space_reserve (space, rtx, &collision)) {
        GST_WARNING ("offered rtx left out: %s", collision->message);
        g_clear_error (&collision);
        sec_webrtc_codec_free (rtx);
      } else {
        g_ptr_array_add (answer, rtx);
      }
    }
  }

  if (answer->len == 0) {
    gchar *theirs = list_codecs (offered, TRUE);
    gchar *ours = list_codecs (local, FALSE);

    g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
        SEC_WEBRTC_CODEC_ERROR_NO_COMMON,
        "no offered %s codec can be used "
        "(offered: %s; ours: %s)",
        media, theirs, ours);
    g_free (theirs);
    g_free (ours);
    g_clear_pointer (&answer, g_ptr_array_unref);
  }
  g_ptr_array_unref (local);
  return answer;
}

/* ------------------------------------------------------------------ */
/* Negotiated result */

GPtrArray *
sec_webrtc_codecs_negotiate (const GPtrArray * ours, const GPtrArray * theirs,
    GError ** error)
{
  const SecWebRTCCodec *ours_by_pt[128] = { NULL };
  gboolean kept[128] = { FALSE }, emitted[128] = { FALSE };
  GPtrArray *negotiated;
  guint i, j;

  g_return_val_if_fail (ours != NULL && theirs != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  sec_webrtc_codecs_ensure_debug ();

  for (i = 0; i < ours->len; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (ours, i);

    if (codec->payload_type >= 0 && codec->payload_type <= 127
        && ours_by_pt[codec->payload_type] == NULL)
      ours_by_pt[codec->payload_type] = codec;
  }

  for (i = 0; i < theirs->len; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (theirs, i);
    const SecWebRTCCodec *mine;

    if (codec->payload_type < 0 || codec->payload_type > 127
        || codec->kind == SEC_WEBRTC_CODEC_UNKNOWN
        || codec->kind == SEC_WEBRTC_CODEC_RTX)
      continue;
    mine = ours_by_pt[codec->payload_type];
    if (mine && sec_webrtc_codec_same_configuration (mine, codec))
      kept[codec->payload_type] = TRUE;
    else
      GST_DEBUG (
          "payload type %d: the remote codec is not ours", codec->payload_type);
  }

  negotiated = sec_webrtc_codec_list_new ();
  for (i = 0; i < theirs->len; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (theirs, i);
    const SecWebRTCCodec *mine;
    SecWebRTCCodec *copy;

    if (codec->payload_type < 0 || codec->payload_type > 127
        || emitted[codec->payload_type])
      continue;
    mine = ours_by_pt[codec->payload_type];
    if (codec->kind == SEC_WEBRTC_CODEC_RTX) {
      if (mine == NULL || !sec_webrtc_codec_same_configuration (mine, codec)
          || codec->apt < 0 || codec->apt > 127 || !kept[codec->apt])
        continue;
    } else if (!kept[codec->payload_type]) {
      continue;
    }
    copy = sec_webrtc_codec_copy (codec);
    g_ptr_array_set_size (copy->feedback, 0);
    for (j = 0; j < codec->feedback->len; j++) {
      const gchar *feedback = g_ptr_array_index (codec->feedback, j);

      if (sec_webrtc_codec_strv_contains (mine->feedback, feedback))
        g_ptr_array_add (copy->feedback, g_strdup (feedback));
    }
    g_ptr_array_add (negotiated, copy);
    /* a payload type listed twice in @theirs counts once */
    emitted[codec->payload_type] = TRUE;
  }

  if (negotiated->len == 0) {
    gchar *theirs_text = list_codecs (theirs, TRUE);
    gchar *ours_text = list_codecs (ours, TRUE);

    g_set_error (error, SEC_WEBRTC_CODEC_ERROR,
        SEC_WEBRTC_CODEC_ERROR_NO_COMMON,
        "the remote description has no "
        "codec of ours with the same payload type (theirs: %s; ours: %s)",
        theirs_text, ours_text);
    g_free (theirs_text);
    g_free (ours_text);
    g_clear_pointer (&negotiated, g_ptr_array_unref);
  }
  return negotiated;
}

const SecWebRTCCodec *
sec_webrtc_codecs_find_for_caps (const GPtrArray * codecs, const GstCaps * caps)
{
  const SecWebRTCCodec *found = NULL;
  GPtrArray *local;
  guint i, j;

  g_return_val_if_fail (codecs != NULL, NULL);

  local = sec_webrtc_codecs_from_caps (caps, NULL);
  if (local == NULL)
    return NULL;
  for (i = 0; i < codecs->len && found == NULL; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (codecs, i);

    for (j = 0; j < local->len && found == NULL; j++) {
      if (answer_matches (codec, g_ptr_array_index (local, j)))
        found = codec;
    }
  }
  g_ptr_array_unref (local);
  return found;
}

const SecWebRTCCodec *
sec_webrtc_codecs_find_rtx (const GPtrArray * codecs, gint pt)
{
  guint i;

  g_return_val_if_fail (codecs != NULL, NULL);

  for (i = 0; i < codecs->len; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (codecs, i);

    if (codec->kind == SEC_WEBRTC_CODEC_RTX && codec->apt == pt)
      return codec;
  }
  return NULL;
}
