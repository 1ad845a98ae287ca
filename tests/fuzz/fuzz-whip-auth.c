/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: arbitrary bytes as the Authorization header field a
 * client sends a WHIP server (ext/whip/whipauth.c): the check says OK
 * exactly when the field is "Bearer" (any case), one or more spaces and
 * the expected token, and never anything but one of its results; a
 * token it finds well formed is one by sec_whip_token_valid.
 *
 * Built as a libFuzzer target with clang and, with any compiler, linked to
 * replay-main.c, which runs the corpus as a regression test.
 */
#include "whipauth.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

static const gchar expected[] = "s3cr3t-T0ken.x_y~z+/==";

/* the rule, written plainly */
static gboolean
reference_ok (const gchar * value)
{
  const gchar *p;

  if (g_ascii_strncasecmp (value, "bearer ", 7) != 0)
    return FALSE;
  p = value + 7;
  while (*p == ' ')
    p++;
  return strcmp (p, expected) == 0;
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  gchar *value = g_strndup ((const gchar *) data, MIN (size, 16384));
  SecWhipAuthResult result = sec_whip_auth_check (value, expected);

  if ((result == SEC_WHIP_AUTH_OK) != reference_ok (value))
    abort ();
  if (result != SEC_WHIP_AUTH_OK && result != SEC_WHIP_AUTH_MISSING
      && result != SEC_WHIP_AUTH_WRONG_SCHEME
      && result != SEC_WHIP_AUTH_MALFORMED
      && result != SEC_WHIP_AUTH_WRONG_TOKEN)
    abort ();
  if (result == SEC_WHIP_AUTH_MISSING)
    abort ();                   /* only for a NULL field */
  if (sec_whip_auth_result_describe (result) == NULL)
    abort ();
  /* the token syntax alone */
  if (sec_whip_token_valid (value)) {
    gsize i;

    for (i = 0; value[i]; i++)
      if (!g_ascii_isalnum (value[i]) && !strchr ("-._~+/=", value[i]))
        abort ();
  }
  g_free (value);
  return 0;
}
