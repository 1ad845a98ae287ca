/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: arbitrary bytes as a trickle ICE SDP fragment, the body
 * of a WHIP/WHEP PATCH (ext/whip/whipfrag.c): a fragment that parses
 * stays within the limits, each of its candidates parses with ext/ice's
 * parser, and its text (sec_whip_frag_to_string) parses back to the same
 * credentials, mids, candidates and end-of-candidates; an error never
 * quotes an ICE password of the input.
 *
 * Built as a libFuzzer target with clang and, with any compiler, linked to
 * replay-main.c, which runs the corpus as a regression test.
 */
#include "whipfrag.h"
#include "icecandidate.h"
#include "iceserver.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

static void
check_same (const SecWhipFrag * a, const SecWhipFrag * b)
{
  guint i, j;

  if (g_strcmp0 (a->ice_ufrag, b->ice_ufrag) != 0
      || g_strcmp0 (a->ice_pwd, b->ice_pwd) != 0
      || a->end_of_candidates != b->end_of_candidates
      || a->media->len != b->media->len)
    abort ();
  for (i = 0; i < a->media->len; i++) {
    const SecWhipFragMedia *ma = g_ptr_array_index (a->media, i);
    const SecWhipFragMedia *mb = g_ptr_array_index (b->media, i);

    if (g_strcmp0 (ma->mid, mb->mid) != 0
        || ma->end_of_candidates != mb->end_of_candidates
        || ma->candidates->len != mb->candidates->len)
      abort ();
    for (j = 0; j < ma->candidates->len; j++)
      if (strcmp (g_ptr_array_index (ma->candidates, j),
              g_ptr_array_index (mb->candidates, j)) != 0)
        abort ();
  }
}

/* no ICE password of the input (22 ice-chars or more after "a=ice-pwd:"
 * at the start of a line: RFC 8839 §5.4's shortest) is in @message.
 * Shorter ones can be words of the message's own text ("andidates" is in
 * "TCP candidates only"), which says nothing about quoting. */
static void
check_no_password (const guint8 * data, gsize size, const gchar * message)
{
  static const gchar key[] = "a=ice-pwd:";
  gsize i;

  for (i = 0; i + sizeof (key) - 1 < size; i++) {
    gsize start, end;

    /* an a=ice-pwd line: what the parser takes as the password */
    if ((i > 0 && data[i - 1] != '\n')
        || memcmp (data + i, key, sizeof (key) - 1) != 0)
      continue;
    start = end = i + sizeof (key) - 1;
    while (end < size && (g_ascii_isalnum (data[end]) || data[end] == '+'
            || data[end] == '/'))
      end++;
    if (end - start >= 22) {
      gchar *password = g_strndup ((const gchar *) data + start,
          end - start);
      gchar *copy = g_strndup ((const gchar *) data, size);
      const gchar *first = strstr (copy, password);

      /* unless the same text is elsewhere in the input too (inside a
       * candidate line that the error may quote) */
      if (strstr (message, password) && first
          && strstr (first + 1, password) == NULL)
        abort ();
      g_free (copy);
      g_free (password);
    }
  }
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  GError *error = NULL;
  SecWhipFrag *frag = sec_whip_frag_parse ((const gchar *) data, size,
      &error);
  SecWhipFrag *back;
  guint i, j, candidates = 0;
  gchar *text;

  if (frag == NULL) {
    if (error == NULL || error->domain != SEC_WHIP_FRAG_ERROR)
      abort ();
    check_no_password (data, size, error->message);
    g_error_free (error);
    return 0;
  }
  if (frag->media->len > SEC_WHIP_FRAG_MAX_MEDIA)
    abort ();
  for (i = 0; i < frag->media->len; i++) {
    const SecWhipFragMedia *media = g_ptr_array_index (frag->media, i);

    for (j = 0; j < media->candidates->len; j++) {
      SecIceCandidate candidate;

      if (!sec_ice_candidate_parse (g_ptr_array_index (media->candidates,
                  j), &candidate, NULL))
        abort ();
      candidates++;
    }
  }
  if (candidates > SEC_WHIP_FRAG_MAX_CANDIDATES)
    abort ();
  text = sec_whip_frag_to_string (frag);
  if (strlen (text) <= SEC_WHIP_FRAG_MAX_LENGTH) {
    back = sec_whip_frag_parse (text, strlen (text), &error);
    if (back == NULL)
      abort ();
    check_same (frag, back);
    sec_whip_frag_free (back);
  }
  sec_ice_secret_free (text);
  sec_whip_frag_free (frag);
  return 0;
}
