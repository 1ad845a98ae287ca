/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Trickle ICE SDP fragments: see whipfrag.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "whipfrag.h"

#include <string.h>

#include "icecandidate.h"
#include "iceserver.h"

G_DEFINE_QUARK (sec-whip-frag-error-quark, sec_whip_frag_error);

static void
media_free (SecWhipFragMedia * media)
{
  g_free (media->mid);
  g_free (media->kind);
  g_ptr_array_unref (media->candidates);
  g_free (media);
}

SecWhipFrag *
sec_whip_frag_new (const gchar * ice_ufrag, const gchar * ice_pwd)
{
  SecWhipFrag *frag = g_new0 (SecWhipFrag, 1);

  frag->ice_ufrag = g_strdup (ice_ufrag);
  frag->ice_pwd = g_strdup (ice_pwd);
  frag->media = g_ptr_array_new_with_free_func ((GDestroyNotify) media_free);
  return frag;
}

void
sec_whip_frag_free (SecWhipFrag * frag)
{
  if (frag == NULL)
    return;
  g_free (frag->ice_ufrag);
  sec_ice_secret_free (frag->ice_pwd);
  g_ptr_array_unref (frag->media);
  g_free (frag);
}

SecWhipFragMedia *
sec_whip_frag_add_media (SecWhipFrag * frag, const gchar * kind,
    const gchar * mid)
{
  SecWhipFragMedia *media = g_new0 (SecWhipFragMedia, 1);

  media->kind = g_strdup (kind ? kind : "audio");
  media->mid = g_strdup (mid);
  media->candidates = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (frag->media, media);
  return media;
}

gboolean
sec_whip_frag_media_add_candidate (SecWhipFragMedia * media,
    const gchar * candidate, GError ** error)
{
  SecIceCandidate parsed;

  if (g_str_has_prefix (candidate, "a="))
    candidate += 2;
  if (!sec_ice_candidate_parse (candidate, &parsed, error))
    return FALSE;
  g_ptr_array_add (media->candidates, g_strdup (candidate));
  return TRUE;
}

gchar *
sec_whip_frag_to_string (const SecWhipFrag * frag)
{
  GString *text = g_string_new (NULL);
  guint i, j;

  if (frag->ice_ufrag)
    g_string_append_printf (text, "a=ice-ufrag:%s\r\n", frag->ice_ufrag);
  if (frag->ice_pwd)
    g_string_append_printf (text, "a=ice-pwd:%s\r\n", frag->ice_pwd);
  if (frag->end_of_candidates)
    g_string_append (text, "a=end-of-candidates\r\n");
  for (i = 0; i < frag->media->len; i++) {
    const SecWhipFragMedia *media = g_ptr_array_index (frag->media, i);

    /* the m= line only opens the section (RFC 8840 §9): port 9 and the
     * protocol of a WebRTC m-line of that kind */
    if (g_str_equal (media->kind, "application"))
      g_string_append (text, "m=application 9 UDP/DTLS/SCTP "
          "webrtc-datachannel\r\n");
    else
      g_string_append_printf (text, "m=%s 9 UDP/TLS/RTP/SAVPF 0\r\n",
          media->kind);
    if (media->mid)
      g_string_append_printf (text, "a=mid:%s\r\n", media->mid);
    for (j = 0; j < media->candidates->len; j++)
      g_string_append_printf (text, "a=%s\r\n",
          (const gchar *) g_ptr_array_index (media->candidates, j));
    if (media->end_of_candidates)
      g_string_append (text, "a=end-of-candidates\r\n");
  }
  return g_string_free (text, FALSE);
}

/* --- parsing -------------------------------------------------------------- */

/* RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/", ufrag 4 to 256 of
 * them, pwd 22 to 256 */
static gboolean
ice_chars_valid (const gchar * value, gsize min, gsize max)
{
  gsize len = strlen (value), i;

  if (len < min || len > max)
    return FALSE;
  for (i = 0; i < len; i++)
    if (!g_ascii_isalnum (value[i]) && value[i] != '+' && value[i] != '/')
      return FALSE;
  return TRUE;
}

#define FAIL(code, ...) G_STMT_START { \
  g_set_error (error, SEC_WHIP_FRAG_ERROR, (code), __VA_ARGS__); \
  goto fail; \
} G_STMT_END

/* @value of an a=ice-ufrag or a=ice-pwd line into *@slot: the first one
 * sets it, another must say the same (session and media level). */
static gboolean
take_credential (gchar ** slot, const gchar * value, gboolean password,
    guint line, GError ** error)
{
  if (!ice_chars_valid (value, password ? 22 : 4, 256)) {
    g_set_error (error, SEC_WHIP_FRAG_ERROR, SEC_WHIP_FRAG_ERROR_SYNTAX,
        "line %u: a malformed %s (RFC 8839 §5.4: %s ice-chars)", line,
        password ? "a=ice-pwd" : "a=ice-ufrag", password ? "22 to 256" :
        "4 to 256");
    return FALSE;
  }
  if (*slot == NULL) {
    *slot = g_strdup (value);
    return TRUE;
  }
  if (!g_str_equal (*slot, value)) {
    g_set_error (error, SEC_WHIP_FRAG_ERROR, SEC_WHIP_FRAG_ERROR_SYNTAX,
        "line %u: a second %s that differs from the first (one ICE "
        "session per fragment)", line,
        password ? "a=ice-pwd" : "a=ice-ufrag");
    return FALSE;
  }
  return TRUE;
}

SecWhipFrag *
sec_whip_frag_parse (const gchar * text, gsize len, GError ** error)
{
  SecWhipFrag *frag;
  SecWhipFragMedia *media = NULL;
  const gchar *p, *end;
  guint line_number = 0, candidates = 0;

  if (len > SEC_WHIP_FRAG_MAX_LENGTH) {
    g_set_error (error, SEC_WHIP_FRAG_ERROR, SEC_WHIP_FRAG_ERROR_TOO_LARGE,
        "a trickle ICE fragment of %" G_GSIZE_FORMAT " bytes (at most %d "
        "taken)", len, SEC_WHIP_FRAG_MAX_LENGTH);
    return NULL;
  }
  if (len > 0 && (memchr (text, '\0', len) || !g_utf8_validate (text, len,
              NULL))) {
    g_set_error_literal (error, SEC_WHIP_FRAG_ERROR,
        SEC_WHIP_FRAG_ERROR_SYNTAX, "a trickle ICE fragment that is not "
        "UTF-8 text");
    return NULL;
  }
  frag = sec_whip_frag_new (NULL, NULL);
  p = text;
  end = text + len;
  while (p < end) {
    const gchar *eol = memchr (p, '\n', end - p);
    const gchar *line_end = eol ? eol : end;
    gchar *line, *value;

    line_number++;
    if (line_end > p && line_end[-1] == '\r')
      line_end--;
    line = g_strndup (p, line_end - p);
    p = eol ? eol + 1 : end;
    if (line[0] == '\0') {
      g_free (line);
      continue;
    }
    if (line[1] != '=' || (line[0] != 'a' && line[0] != 'm')) {
      gchar type = line[1] == '=' ? line[0] : '?';

      g_free (line);
      if (type == '?')
        FAIL (SEC_WHIP_FRAG_ERROR_SYNTAX, "line %u: not an SDP line "
            "(<type>=<value>)", line_number);
      FAIL (SEC_WHIP_FRAG_ERROR_SYNTAX, "line %u: a %c= line (a fragment "
          "has only a= and m= lines, RFC 8840 §9)", line_number, type);
    }
    value = line + 2;
    if (line[0] == 'm') {
      gchar *space = strchr (value, ' ');

      if (frag->media->len == SEC_WHIP_FRAG_MAX_MEDIA) {
        g_free (line);
        FAIL (SEC_WHIP_FRAG_ERROR_TOO_LARGE, "more than %d m= lines",
            SEC_WHIP_FRAG_MAX_MEDIA);
      }
      if (space == NULL || space == value) {
        g_free (line);
        FAIL (SEC_WHIP_FRAG_ERROR_SYNTAX, "line %u: an m= line without "
            "a media type and port", line_number);
      }
      *space = '\0';
      media = sec_whip_frag_add_media (frag, value, NULL);
    } else if (g_str_has_prefix (value, "ice-ufrag:")) {
      gboolean ok = take_credential (&frag->ice_ufrag, value + 10, FALSE,
          line_number, error);

      g_free (line);
      if (!ok)
        goto fail;
      continue;
    } else if (g_str_has_prefix (value, "ice-pwd:")) {
      gboolean ok = take_credential (&frag->ice_pwd, value + 8, TRUE,
          line_number, error);

      sec_ice_secret_free (line);
      if (!ok)
        goto fail;
      continue;
    } else if (g_str_equal (value, "end-of-candidates")) {
      if (media)
        media->end_of_candidates = TRUE;
      else
        frag->end_of_candidates = TRUE;
    } else if (g_str_has_prefix (value, "candidate:")) {
      GError *bad = NULL;

      if (media == NULL) {
        g_free (line);
        FAIL (SEC_WHIP_FRAG_ERROR_SYNTAX, "line %u: a candidate before "
            "any m= line (it belongs to none)", line_number);
      }
      if (++candidates > SEC_WHIP_FRAG_MAX_CANDIDATES) {
        g_free (line);
        FAIL (SEC_WHIP_FRAG_ERROR_TOO_LARGE, "more than %d candidates",
            SEC_WHIP_FRAG_MAX_CANDIDATES);
      }
      if (!sec_whip_frag_media_add_candidate (media, value, &bad)) {
        g_free (line);
        g_set_error (error, SEC_WHIP_FRAG_ERROR, SEC_WHIP_FRAG_ERROR_SYNTAX,
            "line %u: %s", line_number, bad->message);
        g_error_free (bad);
        goto fail;
      }
    } else if (g_str_has_prefix (value, "mid:")) {
      const gchar *mid = value + 4;

      if (media == NULL) {
        g_free (line);
        FAIL (SEC_WHIP_FRAG_ERROR_SYNTAX, "line %u: an a=mid before any "
            "m= line", line_number);
      }
      if (media->mid) {
        g_free (line);
        FAIL (SEC_WHIP_FRAG_ERROR_SYNTAX, "line %u: a second a=mid in one "
            "media section", line_number);
      }
      /* RFC 8843 §15: a token, at most 16 characters by W3C's rule; any
       * visible ASCII is taken here, the bin matches it */
      if (mid[0] == '\0' || strlen (mid) > 256 || strpbrk (mid, " \t")) {
        g_free (line);
        FAIL (SEC_WHIP_FRAG_ERROR_SYNTAX, "line %u: a malformed a=mid",
            line_number);
      }
      media->mid = g_strdup (mid);
    }
    /* other a= lines (ice-options, ice-lite, ...): not ours to act on */
    g_free (line);
  }
  return frag;

fail:
  sec_whip_frag_free (frag);
  return NULL;
}
