/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: arbitrary text into the RFC 8122 §5 fingerprint parser.
 * What parses must format and parse again to an equal fingerprint, and
 * format to the same text the second time. Built as a libFuzzer target
 * with clang and, with any compiler, linked to replay-main.c, which runs
 * the corpus as a regression test.
 */
#include "dtlsfingerprint.h"

#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  SecDtlsFingerprint fingerprint, again;
  GError *error = NULL;
  gchar *text, *text_again;

  /* an exact-size heap copy with its NUL, so ASan sees any read past
   * the end */
  text = g_malloc (size + 1);
  memcpy (text, data, size);
  text[size] = '\0';

  if (!sec_dtls_fingerprint_parse (text, &fingerprint, &error)) {
    g_assert (error != NULL);
    g_assert (error->domain == SEC_DTLS_ERROR);
    g_assert (error->code == SEC_DTLS_ERROR_INVALID
        || error->code == SEC_DTLS_ERROR_WEAK_HASH);
    g_error_free (error);
    g_free (text);
    return 0;
  }
  g_free (text);

  text = sec_dtls_fingerprint_to_string (&fingerprint);
  g_assert (text != NULL);
  if (!sec_dtls_fingerprint_parse (text, &again, &error))
    g_error ("'%s' does not parse again: %s", text, error->message);
  g_assert (sec_dtls_fingerprint_equal (&fingerprint, &again));
  text_again = sec_dtls_fingerprint_to_string (&again);
  g_assert (strcmp (text, text_again) == 0);
  g_free (text_again);
  g_free (text);
  return 0;
}
