/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bearer tokens: see whipauth.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "whipauth.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "iceserver.h"

G_DEFINE_QUARK (sec-whip-auth-error-quark, sec_whip_auth_error);

static gboolean
is_b64token_char (gchar c)
{
  return g_ascii_isalnum (c) || (c != 0 && strchr ("-._~+/", c));
}

gboolean
sec_whip_token_valid (const gchar * token)
{
  gsize i = 0;

  if (token == NULL)
    return FALSE;
  while (is_b64token_char (token[i]))
    i++;
  if (i == 0)
    return FALSE;
  while (token[i] == '=')
    i++;
  return token[i] == '\0' && i <= SEC_WHIP_TOKEN_MAX_LENGTH;
}

/* @text without surrounding whitespace, checked; @text is zeroed and
 * freed either way. @where names the source for the error. */
static gchar *
token_from_text (gchar * text, const gchar * where, GError ** error)
{
  gchar *token;

  if (strlen (text) > SEC_WHIP_TOKEN_MAX_LENGTH + 64) {
    sec_ice_secret_free (text);
    g_set_error (error, SEC_WHIP_AUTH_ERROR, SEC_WHIP_AUTH_ERROR_INVALID,
        "%s: longer than %d bytes: not a token", where,
        SEC_WHIP_TOKEN_MAX_LENGTH);
    return NULL;
  }
  token = g_strdup (g_strstrip (text));
  sec_ice_secret_free (text);
  if (!sec_whip_token_valid (token)) {
    /* never quoted, even when wrong: it may be a real one, mistyped */
    g_set_error (error, SEC_WHIP_AUTH_ERROR, SEC_WHIP_AUTH_ERROR_INVALID,
        "%s: %s", where, token[0] ? "not one bearer token (RFC 6750 §2.1: "
        "letters, digits and -._~+/ then any '=', on one line)" : "empty");
    sec_ice_secret_free (token);
    return NULL;
  }
  return token;
}

gchar *
sec_whip_token_from_file (const gchar * path, GError ** error)
{
  GStatBuf st;
  gchar *contents = NULL, *where;
  gsize len;
  GError *local = NULL;
  gchar *token;

  where = g_strdup_printf ("the token file %s", path);
  if (g_stat (path, &st) != 0) {
    g_set_error (error, SEC_WHIP_AUTH_ERROR, SEC_WHIP_AUTH_ERROR_READ,
        "%s: %s", where, g_strerror (errno));
    g_free (where);
    return NULL;
  }
  if (!S_ISREG (st.st_mode)) {
    g_set_error (error, SEC_WHIP_AUTH_ERROR, SEC_WHIP_AUTH_ERROR_READ,
        "%s: not a regular file", where);
    g_free (where);
    return NULL;
  }
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    g_set_error (error, SEC_WHIP_AUTH_ERROR, SEC_WHIP_AUTH_ERROR_EXPOSED,
        "%s: other users can read it (mode %03o): a token is a password; "
        "chmod 600 it", where, (guint) (st.st_mode & 0777));
    g_free (where);
    return NULL;
  }
  if (!g_file_get_contents (path, &contents, &len, &local)) {
    g_set_error (error, SEC_WHIP_AUTH_ERROR, SEC_WHIP_AUTH_ERROR_READ,
        "%s: %s", where, local->message);
    g_error_free (local);
    g_free (where);
    return NULL;
  }
  if (memchr (contents, '\0', len)) {
    sec_ice_secret_free (contents);
    g_set_error (error, SEC_WHIP_AUTH_ERROR, SEC_WHIP_AUTH_ERROR_INVALID,
        "%s: a NUL byte: not a token", where);
    g_free (where);
    return NULL;
  }
  token = token_from_text (contents, where, error);
  g_free (where);
  return token;
}

gchar *
sec_whip_token_from_env (const gchar * name, GError ** error)
{
  const gchar *value = g_getenv (name);
  gchar *where, *token;

  if (value == NULL) {
    g_set_error (error, SEC_WHIP_AUTH_ERROR, SEC_WHIP_AUTH_ERROR_READ,
        "the environment variable %s is not set", name);
    return NULL;
  }
  where = g_strdup_printf ("the environment variable %s", name);
  token = token_from_text (g_strdup (value), where, error);
  g_free (where);
  return token;
}

SecWhipAuthResult
sec_whip_auth_check (const gchar * value, const gchar * expected)
{
  static const gchar scheme[] = "Bearer";
  const gchar *token;
  gboolean equal;

  if (value == NULL)
    return SEC_WHIP_AUTH_MISSING;
  /* RFC 9110 §11.1: the scheme without regard to case, then 1*SP */
  if (g_ascii_strncasecmp (value, scheme, sizeof (scheme) - 1) != 0
      || (value[sizeof (scheme) - 1] != ' '
          && value[sizeof (scheme) - 1] != '\0'))
    return SEC_WHIP_AUTH_WRONG_SCHEME;
  token = value + sizeof (scheme) - 1;
  while (*token == ' ')
    token++;
  if (!sec_whip_token_valid (token))
    return SEC_WHIP_AUTH_MALFORMED;
  /* the time depends on the expected token's length only */
  equal = sec_ice_secret_equal (token, expected);
  return equal ? SEC_WHIP_AUTH_OK : SEC_WHIP_AUTH_WRONG_TOKEN;
}

const gchar *
sec_whip_auth_result_describe (SecWhipAuthResult result)
{
  switch (result) {
    case SEC_WHIP_AUTH_OK:
      return "authorized";
    case SEC_WHIP_AUTH_MISSING:
      return "no Authorization header";
    case SEC_WHIP_AUTH_WRONG_SCHEME:
      return "an Authorization scheme other than Bearer";
    case SEC_WHIP_AUTH_MALFORMED:
      return "a malformed bearer token";
    case SEC_WHIP_AUTH_WRONG_TOKEN:
      return "a wrong bearer token";
  }
  return "?";
}
