/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bearer tokens of WHIP/WHEP (ext/whip/whipauth.c): reading a token from
 * a file (mode 600 only, whitespace around it dropped, one b64token) or
 * the environment, and a server's check of an Authorization header field
 * (scheme in any case, wrong scheme, malformed, wrong token); no error
 * ever quotes a token.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "whipauth.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "iceserver.h"

static const gchar token[] = "eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_"
    "HACGpVUMN_a9IV7pAx_Zmeo=";

static gchar *
write_file (const gchar * contents, gint mode)
{
  gchar *path = NULL;
  gint fd = g_file_open_tmp ("whip-token-XXXXXX", &path, NULL);

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
  return path;
}

static void
expect_file_error (const gchar * contents, gint mode, gint code,
    const gchar * part)
{
  gchar *path = write_file (contents, mode);
  GError *error = NULL;

  g_assert_null (sec_whip_token_from_file (path, &error));
  g_assert_error (error, SEC_WHIP_AUTH_ERROR, code);
  if (strstr (error->message, part) == NULL)
    g_error ("\"%s\" not in \"%s\"", part, error->message);
  g_assert_null (strstr (error->message, "eyJ"));
  g_assert_null (strstr (error->message, "hunter"));
  g_error_free (error);
  g_unlink (path);
  g_free (path);
}

static void
test_token_file (void)
{
  gchar *contents = g_strconcat ("  ", token, "\n", NULL);
  gchar *path = write_file (contents, 0600);
  GError *error = NULL;
  gchar *read;

  read = sec_whip_token_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read, ==, token);
  sec_ice_secret_free (read);
  g_unlink (path);
  g_free (path);

  /* readable by others: refused, however good the token */
  expect_file_error (contents, 0644, SEC_WHIP_AUTH_ERROR_EXPOSED,
      "other users can read it (mode 644)");
  expect_file_error (contents, 0640, SEC_WHIP_AUTH_ERROR_EXPOSED,
      "chmod 600");
  expect_file_error ("\n\n", 0600, SEC_WHIP_AUTH_ERROR_INVALID, "empty");
  expect_file_error ("hunter2 hunter3\n", 0600, SEC_WHIP_AUTH_ERROR_INVALID,
      "not one bearer token");
  expect_file_error ("eyJ\nhunter\n", 0600, SEC_WHIP_AUTH_ERROR_INVALID,
      "not one bearer token");
  expect_file_error ("eyJ=x\n", 0600, SEC_WHIP_AUTH_ERROR_INVALID,
      "not one bearer token");
  g_free (contents);

  g_assert_null (sec_whip_token_from_file ("/nonexistent/token", &error));
  g_assert_error (error, SEC_WHIP_AUTH_ERROR, SEC_WHIP_AUTH_ERROR_READ);
  g_clear_error (&error);
  g_assert_null (sec_whip_token_from_file ("/tmp", &error));
  g_assert_error (error, SEC_WHIP_AUTH_ERROR, SEC_WHIP_AUTH_ERROR_READ);
  g_clear_error (&error);
}

static void
test_token_env (void)
{
  GError *error = NULL;
  gchar *read;

  g_setenv ("SEC_TEST_WHIP_TOKEN", token, TRUE);
  read = sec_whip_token_from_env ("SEC_TEST_WHIP_TOKEN", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read, ==, token);
  sec_ice_secret_free (read);
  g_setenv ("SEC_TEST_WHIP_TOKEN", "hunter2 x", TRUE);
  g_assert_null (sec_whip_token_from_env ("SEC_TEST_WHIP_TOKEN", &error));
  g_assert_error (error, SEC_WHIP_AUTH_ERROR, SEC_WHIP_AUTH_ERROR_INVALID);
  g_assert_null (strstr (error->message, "hunter2"));
  g_clear_error (&error);
  g_unsetenv ("SEC_TEST_WHIP_TOKEN");
  g_assert_null (sec_whip_token_from_env ("SEC_TEST_WHIP_TOKEN", &error));
  g_assert_error (error, SEC_WHIP_AUTH_ERROR, SEC_WHIP_AUTH_ERROR_READ);
  g_clear_error (&error);
}

static void
test_token_syntax (void)
{
  gchar *long_token = g_strnfill (SEC_WHIP_TOKEN_MAX_LENGTH + 1, 'a');

  g_assert_true (sec_whip_token_valid ("a"));
  g_assert_true (sec_whip_token_valid ("A-._~+/9=="));
  g_assert_true (sec_whip_token_valid (token));
  g_assert_false (sec_whip_token_valid (""));
  g_assert_false (sec_whip_token_valid ("=="));
  g_assert_false (sec_whip_token_valid ("a=b"));
  g_assert_false (sec_whip_token_valid ("a b"));
  g_assert_false (sec_whip_token_valid ("a\"b"));
  g_assert_false (sec_whip_token_valid (NULL));
  g_assert_false (sec_whip_token_valid (long_token));
  long_token[SEC_WHIP_TOKEN_MAX_LENGTH] = '\0';
  g_assert_true (sec_whip_token_valid (long_token));
  g_free (long_token);
}

static void
test_check (void)
{
  gchar *header = g_strconcat ("Bearer ", token, NULL);
  gchar *lower = g_strconcat ("bearer    ", token, NULL);
  gchar *wrong = g_strconcat ("Bearer ", token, NULL);
  gchar *after_padding = g_strconcat ("Bearer ", token, "x", NULL);
  gchar *shorter = g_strndup (header, strlen (header) - 1);

  g_assert_cmpint (sec_whip_auth_check (header, token), ==, SEC_WHIP_AUTH_OK);
  g_assert_cmpint (sec_whip_auth_check (lower, token), ==, SEC_WHIP_AUTH_OK);
  g_assert_cmpint (sec_whip_auth_check (NULL, token), ==,
      SEC_WHIP_AUTH_MISSING);
  g_assert_cmpint (sec_whip_auth_check ("Basic dXNlcjpwYXNz", token), ==,
      SEC_WHIP_AUTH_WRONG_SCHEME);
  g_assert_cmpint (sec_whip_auth_check ("Bearertoken", token), ==,
      SEC_WHIP_AUTH_WRONG_SCHEME);
  g_assert_cmpint (sec_whip_auth_check (token, token), ==,
      SEC_WHIP_AUTH_WRONG_SCHEME);
  g_assert_cmpint (sec_whip_auth_check ("", token), ==,
      SEC_WHIP_AUTH_WRONG_SCHEME);
  g_assert_cmpint (sec_whip_auth_check ("Bearer", token), ==,
      SEC_WHIP_AUTH_MALFORMED);
  g_assert_cmpint (sec_whip_auth_check ("Bearer  ", token), ==,
      SEC_WHIP_AUTH_MALFORMED);
  g_assert_cmpint (sec_whip_auth_check ("Bearer a b", token), ==,
      SEC_WHIP_AUTH_MALFORMED);
  /* one character changed */
  wrong[7] = 'f';
  g_assert_cmpint (sec_whip_auth_check (wrong, token), ==,
      SEC_WHIP_AUTH_WRONG_TOKEN);
  /* nothing may follow the '=' padding */
  g_assert_cmpint (sec_whip_auth_check (after_padding, token), ==,
      SEC_WHIP_AUTH_MALFORMED);
  g_assert_cmpint (sec_whip_auth_check (shorter, token), ==,
      SEC_WHIP_AUTH_WRONG_TOKEN);
  g_assert_cmpint (sec_whip_auth_check ("Bearer x", token), ==,
      SEC_WHIP_AUTH_WRONG_TOKEN);
  g_assert_cmpstr (sec_whip_auth_result_describe
      (SEC_WHIP_AUTH_WRONG_SCHEME), ==,
      "an Authorization scheme other than Bearer");
  g_free (header);
  g_free (lower);
  g_free (wrong);
  g_free (after_padding);
  g_free (shorter);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/whip-auth/token-file", test_token_file);
  g_test_add_func ("/whip-auth/token-env", test_token_env);
  g_test_add_func ("/whip-auth/token-syntax", test_token_syntax);
  g_test_add_func ("/whip-auth/check", test_check);
  return g_test_run ();
}
