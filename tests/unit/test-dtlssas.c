/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The short authentication string's words (ext/dtls/dtlssas.c): the
 * list is BIP-39's English one, whole and in order (so that another
 * program shows the same words for the same bits), and the bits map to
 * words most significant first, 11 a word, the last 4 of the 48 exported
 * bits unused. test-dtlsconnection checks the string of real
 * associations (equal at both ends, different across a man in the
 * middle).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "dtlssas.h"

#include <string.h>

static void
test_word_list (void)
{
  GHashTable *prefixes = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  guint i;

  g_assert_cmpstr (sec_dtls_sas_words[0], ==, "abandon");
  g_assert_cmpstr (sec_dtls_sas_words[1], ==, "ability");
  g_assert_cmpstr (sec_dtls_sas_words[1023], ==, "lend");
  g_assert_cmpstr (sec_dtls_sas_words[1024], ==, "length");
  g_assert_cmpstr (sec_dtls_sas_words[2047], ==, "zoo");
  for (i = 0; i < SEC_DTLS_SAS_WORD_COUNT; i++) {
    const gchar *word = sec_dtls_sas_words[i];
    gsize len = strlen (word), j;

    g_assert_cmpuint (len, >=, 3);
    g_assert_cmpuint (len, <=, 8);
    for (j = 0; j < len; j++)
      g_assert_true (word[j] >= 'a' && word[j] <= 'z');
    /* in order, and no two alike in their first four letters: a word
     * heard is a word known */
    if (i > 0)
      g_assert_cmpint (strcmp (sec_dtls_sas_words[i - 1], word), <, 0);
    g_assert_true (g_hash_table_add (prefixes, g_strndup (word, 4)));
  }
  g_assert_cmpuint (g_hash_table_size (prefixes), ==, 2048);
  g_hash_table_unref (prefixes);
}

static void
expect_sas (const guint8 * bytes, const gchar * expected)
{
  gchar *sas = sec_dtls_sas_from_bytes (bytes, SEC_DTLS_SAS_EXPORT_LEN);

  g_assert_cmpstr (sas, ==, expected);
  g_free (sas);
}

static void
test_bits_to_words (void)
{
  static const guint8 zeros[6] = { 0, };
  static const guint8 ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
  static const guint8 counting[6] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab };
  static const guint8 top_bit[6] = { 0x80, 0, 0, 0, 0, 0 };
  /* the last 4 bits are not used */
  static const guint8 low_bits[6] = { 0x80, 0, 0, 0, 0, 0x0f };
  gchar *sas;

  expect_sas (zeros, "abandon abandon abandon abandon");
  expect_sas (ones, "zoo zoo zoo zoo");
  /* 0x0123456789a: words 9, 209, 719 and 154 */
  expect_sas (counting, "abuse boss fly battle");
  expect_sas (top_bit, "length abandon abandon abandon");
  expect_sas (low_bits, "length abandon abandon abandon");
  g_assert_cmpuint (SEC_DTLS_SAS_BITS, ==, 44);
  g_assert_null (sec_dtls_sas_from_bytes (zeros, 5));
  g_assert_null (sec_dtls_sas_from_bytes (NULL, 6));
  /* more bytes than needed: the first six count */
  sas = sec_dtls_sas_from_bytes ((const guint8 *) "\x01\x23\x45\x67\x89\xab"
      "\xff\xff", 8);
  g_assert_cmpstr (sas, ==, "abuse boss fly battle");
  g_free (sas);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dtls-sas/word-list", test_word_list);
  g_test_add_func ("/dtls-sas/bits-to-words", test_bits_to_words);
  return g_test_run ();
}
