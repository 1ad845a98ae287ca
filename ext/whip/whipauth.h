/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bearer tokens of WHIP and WHEP (RFC 9725 §4.4, RFC 6750 §2.1): read
 * from a file or an environment variable on the client, written as
 * "Authorization: Bearer <token>", and checked on the server against
 * the expected token in constant time. A token never appears in an error
 * message. Plain C over GLib; the header check is fuzzed
 * (tests/fuzz/fuzz-whip-auth.c): it reads what any client sends.
 */
#ifndef SEC_WHIP_AUTH_H
#define SEC_WHIP_AUTH_H

#include <glib.h>

G_BEGIN_DECLS

#define SEC_WHIP_AUTH_ERROR (sec_whip_auth_error_quark ())
GQuark sec_whip_auth_error_quark (void);

typedef enum
{
  SEC_WHIP_AUTH_ERROR_READ,     /* the file or variable could not be read */
  SEC_WHIP_AUTH_ERROR_INVALID,  /* not a b64token (RFC 6750 §2.1) */
  SEC_WHIP_AUTH_ERROR_EXPOSED,  /* a file other users can read */
} SecWhipAuthError;

/* The longest token taken (a JWT with a few claims fits). */
#define SEC_WHIP_TOKEN_MAX_LENGTH 4096

/* TRUE if @token is a b64token (RFC 6750 §2.1: 1*( ALPHA / DIGIT / "-" /
 * "." / "_" / "~" / "+" / "/" ) *"="), at most
 * SEC_WHIP_TOKEN_MAX_LENGTH. */
gboolean sec_whip_token_valid (const gchar * token);

/* The token in the file @path: its content without surrounding
 * whitespace (a final newline), which must be one b64token. Refused with
 * SEC_WHIP_AUTH_ERROR_EXPOSED when the file is readable by its group or
 * by others (chmod 600 it: a token is a password). Free the result with
 * sec_ice_secret_free (). */
gchar *sec_whip_token_from_file (const gchar * path, GError ** error);

/* The token in the environment variable @name, the same rules less the
 * file's mode. */
gchar *sec_whip_token_from_env (const gchar * name, GError ** error);

/* What a server makes of a request's Authorization header field. */
typedef enum
{
  SEC_WHIP_AUTH_OK,
  SEC_WHIP_AUTH_MISSING,        /* no header field */
  SEC_WHIP_AUTH_WRONG_SCHEME,   /* not "Bearer" (Basic, Digest, ...) */
  SEC_WHIP_AUTH_MALFORMED,      /* "Bearer" without a b64token */
  SEC_WHIP_AUTH_WRONG_TOKEN,    /* a token, not the expected one */
} SecWhipAuthResult;

/* Checks the Authorization header field @value (NULL when absent)
 * against @expected: the scheme matched without regard to case, one or
 * more spaces, the token compared in a time that depends on @expected's
 * length only. */
SecWhipAuthResult sec_whip_auth_check (const gchar * value,
    const gchar * expected);

/* A short description of @result for logs and HTTP reasons ("no
 * Authorization header", ...), never quoting a token. */
const gchar *sec_whip_auth_result_describe (SecWhipAuthResult result);

G_END_DECLS

#endif /* SEC_WHIP_AUTH_H */
