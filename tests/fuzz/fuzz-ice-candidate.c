/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: arbitrary text into the RFC 8839 §5.1 candidate parser
 * and the RFC 7064/7065 server URI parser. A candidate that parses must
 * format and parse again to an equal candidate, and format to the same
 * text the second time; a server URI that parses must give a log string
 * without its password. Built as a libFuzzer target with clang and, with
 * any compiler, linked to replay-main.c, which runs the corpus as a
 * regression test.
 */
#include "icecandidate.h"
#include "iceserver.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

static void
check_candidate (const gchar * text)
{
  SecIceCandidate candidate, again;
  GError *error = NULL;
  gchar *formatted, *formatted_again;

  if (!sec_ice_candidate_parse (text, &candidate, &error)) {
    if (error == NULL || error->domain != SEC_ICE_ERROR
        || (error->code != SEC_ICE_ERROR_INVALID
            && error->code != SEC_ICE_ERROR_UNSUPPORTED)
        || error->message == NULL)
      abort ();
    g_error_free (error);
    return;
  }

  formatted = sec_ice_candidate_to_string (&candidate);
  if (formatted == NULL)
    abort ();
  if (!sec_ice_candidate_parse (formatted, &again, &error)) {
    g_printerr ("'%s' does not parse again: %s\n", formatted,
        error->message);
    abort ();
  }
  /* field by field, so that a failure says which */
  if (strcmp (candidate.foundation, again.foundation) != 0
      || candidate.component != again.component
      || candidate.transport != again.transport
      || candidate.priority != again.priority
      || strcmp (candidate.address, again.address) != 0
      || candidate.port != again.port || candidate.type != again.type
      || candidate.has_related != again.has_related
      || strcmp (candidate.related_address, again.related_address) != 0
      || candidate.related_port != again.related_port
      || candidate.tcp_type != again.tcp_type
      || !sec_ice_candidate_equal (&candidate, &again))
    abort ();
  formatted_again = sec_ice_candidate_to_string (&again);
  if (strcmp (formatted, formatted_again) != 0)
    abort ();
  g_free (formatted_again);
  g_free (formatted);
}

static void
check_server (const gchar * text)
{
  SecIceServer *server;
  GError *error = NULL;
  gchar *log_string;

  server = sec_ice_server_parse (text, &error);
  if (server == NULL) {
    if (error == NULL || error->domain != SEC_ICE_ERROR
        || error->message == NULL)
      abort ();
    g_error_free (error);
    return;
  }
  if (server->host == NULL || server->port == 0)
    abort ();
  if (server->kind != SEC_ICE_SERVER_STUN
      && (server->username == NULL || server->password == NULL
          || server->username[0] == '\0' || server->password[0] == '\0'))
    abort ();
  log_string = sec_ice_server_to_log_string (server);
  if (log_string == NULL)
    abort ();
  /* the log string parses back to the same server, but for the masked
   * password */
  if (server->kind != SEC_ICE_SERVER_STUN) {
    SecIceServer *again = sec_ice_server_parse (log_string, NULL);

    if (again == NULL || again->kind != server->kind
        || again->port != server->port
        || strcmp (again->host, server->host) != 0
        || strcmp (again->username, server->username) != 0
        || strcmp (again->password, "***") != 0)
      abort ();
    sec_ice_server_free (again);
  }
  g_free (log_string);
  sec_ice_server_free (server);
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  gchar *text;

  /* an exact-size heap copy with its NUL, so ASan sees any read past
   * the end */
  text = g_malloc (size + 1);
  memcpy (text, data, size);
  text[size] = '\0';

  check_candidate (text);
  check_server (text);

  g_free (text);
  return 0;
}
