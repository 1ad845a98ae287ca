/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The short authentication string: see dtlssas.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "dtlssas.h"

gchar *
sec_dtls_sas_from_bytes (const guint8 * bytes, gsize len)
{
  GString *sas;
  guint64 bits = 0;
  guint i;

  if (bytes == NULL || len < SEC_DTLS_SAS_EXPORT_LEN)
    return NULL;
  for (i = 0; i < SEC_DTLS_SAS_EXPORT_LEN; i++)
    bits = (bits << 8) | bytes[i];
  /* the first 44 of the 48 bits */
  bits >>= SEC_DTLS_SAS_EXPORT_LEN * 8 - SEC_DTLS_SAS_BITS;
  sas = g_string_new (NULL);
  for (i = 0; i < SEC_DTLS_SAS_WORDS; i++) {
    guint shift = (SEC_DTLS_SAS_WORDS - 1 - i) * SEC_DTLS_SAS_BITS_PER_WORD;
    guint index = (guint) ((bits >> shift) & (SEC_DTLS_SAS_WORD_COUNT - 1));

    if (i > 0)
      g_string_append_c (sas, ' ');
    g_string_append (sas, sec_dtls_sas_words[index]);
  }
  return g_string_free (sas, FALSE);
}
