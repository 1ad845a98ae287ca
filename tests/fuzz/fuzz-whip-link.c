/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: arbitrary bytes as the value of a Link header field from
 * a WHIP/WHEP server (ext/whip/whiplink.c): a value that is refused adds
 * no server and its error names a position, never a piece of the value;
 * one that parses adds at most SEC_WHIP_LINK_MAX_SERVERS servers, each
 * with a URI of visible ASCII; a server turned into secwebrtcbin's form
 * parses with ext/ice's parser, and an error about it never quotes its
 * credential.
 *
 * Built as a libFuzzer target with clang and, with any compiler, linked to
 * replay-main.c, which runs the corpus as a regression test.
 */
#include "whiplink.h"
#include "iceserver.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  gchar *value;
  GPtrArray *servers;
  GError *error = NULL;
  guint i;

  if (size > SEC_WHIP_LINK_MAX_LENGTH + 16)
    return 0;
  /* a header value as libsoup gives it: up to the first NUL */
  value = g_strndup ((const gchar *) data, size);
  servers = sec_whip_ice_servers_new ();
  if (!sec_whip_link_parse (value, servers, &error)) {
    if (servers->len != 0)
      abort ();
    if (!g_str_has_prefix (error->message,
            "malformed Link header field at byte ")
        && !g_str_has_prefix (error->message, "a Link header field of "))
      abort ();
    g_clear_error (&error);
  }
  if (servers->len > SEC_WHIP_LINK_MAX_SERVERS)
    abort ();
  for (i = 0; i < servers->len; i++) {
    SecWhipIceServer *server = g_ptr_array_index (servers, i);
    gboolean is_turn = FALSE;
    const gchar *c;
    gchar *uri;

    for (c = server->uri; *c; c++)
      if ((guchar) * c <= 0x20 || (guchar) * c >= 0x7f)
        abort ();
    uri = sec_whip_ice_server_to_uri (server, &is_turn, &error);
    if (uri) {
      SecIceServer *parsed = sec_ice_server_parse (uri, NULL);

      if (parsed == NULL)
        abort ();
      if (is_turn != (parsed->username != NULL))
        abort ();
      sec_ice_server_free (parsed);
      sec_ice_secret_free (uri);
    } else {
      if (error == NULL)
        abort ();
      /* the credential is never quoted: when the message holds its
       * text, so does the message for another credential of the same
       * length (the text came from the URI or from ours) */
      if (server->credential && strlen (server->credential) >= 4
          && strstr (error->message, server->credential) != NULL) {
        SecWhipIceServer other = *server;
        GError *other_error = NULL;
        gchar *other_uri;

        other.credential = g_strnfill (strlen (server->credential), '\x01');
        other_uri = sec_whip_ice_server_to_uri (&other, NULL, &other_error);
        if (other_error == NULL
            || strstr (other_error->message, server->credential) == NULL)
          abort ();
        g_clear_error (&other_error);
        sec_ice_secret_free (other_uri);
        g_free (other.credential);
      }
      g_clear_error (&error);
    }
  }
  g_ptr_array_unref (servers);
  g_free (value);
  return 0;
}
