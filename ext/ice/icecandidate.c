/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ICE candidate attributes, RFC 8839 §5.1 (with RFC 6544 §4.5 for
 * ICE-TCP):
 *
 *   candidate-attribute = "candidate" ":" foundation SP component-id SP
 *                         transport SP priority SP connection-address SP
 *                         port SP cand-type [SP rel-addr] [SP rel-port]
 *                         *(SP cand-extension)
 *   foundation          = 1*32ice-char
 *   ice-char            = ALPHA / DIGIT / "+" / "/"
 *   component-id        = 1*3DIGIT
 *   transport           = "UDP" / transport-extension
 *   priority            = 1*10DIGIT
 *   cand-type           = "typ" SP candidate-types
 *   candidate-types     = "host" / "srflx" / "prflx" / "relay" / token
 *   rel-addr            = "raddr" SP connection-address
 *   rel-port            = "rport" SP port
 *   cand-extension      = extension-att-name SP extension-att-value
 *   extension-att-name  = token
 *   extension-att-value = *VCHAR
 *
 * The text comes from the peer's signaling, so it is untrusted: it is
 * walked token by token with an index bounded by its (trimmed) length,
 * every field is checked against its grammar before it is copied into a
 * fixed-size field, and error messages quote at most a short, escaped
 * piece of it. Unknown extensions ("generation 0", "ufrag ...",
 * "network-id 1", "network-cost 10") are checked for shape and skipped.
 */
#include "icecandidate.h"

#include <string.h>

G_DEFINE_QUARK (sec-ice-error-quark, sec_ice_error);

/* Longest piece of untrusted text quoted in an error message, escapes
 * included. */
#define QUOTE_MAX 40

/* RFC 8445 §5.1.2.1: a 32-bit priority. */
#define PRIORITY_MAX_DIGITS 10

/* the longest IPv6 text, INET6_ADDRSTRLEN without its NUL */
#define IP_LITERAL_MAX 45

#define ADDRESS_MAX (sizeof (((SecIceCandidate *) NULL)->address) - 1)

/* RFC 1035 §2.3.4 */
#define HOST_NAME_MAX_LEN 253
#define HOST_LABEL_MAX_LEN 63

typedef struct
{
  const gchar *text;
  gsize end;
  gsize pos;
} TokenReader;

typedef struct
{
  const gchar *start;
  gsize len;
} Token;

typedef enum
{
  DECIMAL_OK,
  DECIMAL_NOT_A_NUMBER,
  DECIMAL_TOO_LARGE,
} DecimalStatus;

/* See icecandidate.h. */
gchar *
sec_ice_quote_untrusted (const gchar * text, gsize len)
{
  GString *quoted = g_string_sized_new (QUOTE_MAX + 4);
  gsize i;

  for (i = 0; i < len; i++) {
    guchar c = (guchar) text[i];
    gchar piece[8];

    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
      piece[0] = (gchar) c;
      piece[1] = '\0';
    } else {
      g_snprintf (piece, sizeof (piece), "\\x%02x", c);
    }
    if (quoted->len + strlen (piece) > QUOTE_MAX) {
      g_string_append (quoted, "...");
      break;
    }
    g_string_append (quoted, piece);
  }
  return g_string_free (quoted, FALSE);
}

void
sec_ice_set_invalid (GError ** error, const gchar * format, ...)
{
  va_list args;
  gchar *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, SEC_ICE_ERROR, SEC_ICE_ERROR_INVALID, message);
  g_free (message);
}

/* "candidate <what> '<quoted token>' <problem>" */
static void
set_invalid_token (GError ** error, const gchar * what, const Token * token,
    const gchar * problem)
{
  gchar *quoted = sec_ice_quote_untrusted (token->start, token->len);

  sec_ice_set_invalid (error, "candidate %s '%s' %s", what, quoted, problem);
  g_free (quoted);
}

static gboolean
is_separator (gchar c)
{
  return c == ' ' || c == '\t';
}

/* The next run of non-separator characters; FALSE at the end. */
static gboolean
token_reader_next (TokenReader * reader, Token * token)
{
  gsize start;

  while (reader->pos < reader->end && is_separator (reader->text[reader->pos]))
    reader->pos++;
  if (reader->pos >= reader->end)
    return FALSE;
  start = reader->pos;
  while (reader->pos < reader->end
      && !is_separator (reader->text[reader->pos]))
    reader->pos++;
  token->start = reader->text + start;
  token->len = reader->pos - start;
  return TRUE;
}

static gboolean
token_equals (const Token * token, const gchar * literal)
{
  gsize len = strlen (literal);

  return token->len == len && memcmp (token->start, literal, len) == 0;
}

static gboolean
token_equals_nocase (const Token * token, const gchar * literal)
{
  gsize len = strlen (literal);

  return token->len == len
      && g_ascii_strncasecmp (token->start, literal, len) == 0;
}

/* RFC 4566 §9: token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E /
 * %x30-39 / %x41-5A / %x5E-7E */
static gboolean
is_token_char (gchar ch)
{
  guchar c = (guchar) ch;

  return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b
      || c == 0x2d || c == 0x2e || (c >= 0x30 && c <= 0x39)
      || (c >= 0x41 && c <= 0x5a) || (c >= 0x5e && c <= 0x7e);
}

static gboolean
token_is_token (const Token * token)
{
  gsize i;

  for (i = 0; i < token->len; i++) {
    if (!is_token_char (token->start[i]))
      return FALSE;
  }
  return TRUE;
}

/* RFC 5234 B.1: VCHAR = %x21-7E */
static gboolean
token_is_vchar (const Token * token)
{
  gsize i;

  for (i = 0; i < token->len; i++) {
    guchar c = (guchar) token->start[i];

    if (c < 0x21 || c > 0x7e)
      return FALSE;
  }
  return TRUE;
}

/* 1*@max_digits DIGIT, at most @max_value (<= G_MAXUINT32). More digits
 * than allowed is DECIMAL_TOO_LARGE as long as they are all digits. */
static DecimalStatus
parse_decimal (const Token * token, gsize max_digits, guint64 max_value,
    guint64 * value)
{
  guint64 v = 0;
  gsize i;

  if (token->len == 0)
    return DECIMAL_NOT_A_NUMBER;
  for (i = 0; i < token->len; i++) {
    if (!g_ascii_isdigit (token->start[i]))
      return DECIMAL_NOT_A_NUMBER;
  }
  if (token->len > max_digits)
    return DECIMAL_TOO_LARGE;
  /* @max_value is at most G_MAXUINT32, so v * 10 + 9 cannot wrap */
  for (i = 0; i < token->len; i++) {
    v = v * 10 + (guint64) (token->start[i] - '0');
    if (v > max_value)
      return DECIMAL_TOO_LARGE;
  }
  *value = v;
  return DECIMAL_OK;
}

/* Hex digits, dots and colons only, then GLib's parser: rules out zone
 * indexes and anything GLib might be lenient about. */
static gboolean
address_is_ip_len (const gchar * address, gsize len)
{
  gchar buf[IP_LITERAL_MAX + 1];
  gsize i;

  if (len == 0 || len >= sizeof (buf))
    return FALSE;
  for (i = 0; i < len; i++) {
    gchar c = address[i];

    if (!g_ascii_isxdigit (c) && c != '.' && c != ':')
      return FALSE;
  }
  memcpy (buf, address, len);
  buf[len] = '\0';
  return g_hostname_is_ip_address (buf);
}

/* RFC 1123 §2.1 host name, or an IP literal */
static gboolean
address_is_valid_len (const gchar * address, gsize len)
{
  gsize i, label_len = 0;
  gboolean digits_and_dots = TRUE;

  if (address_is_ip_len (address, len))
    return TRUE;
  if (len == 0 || len > HOST_NAME_MAX_LEN)
    return FALSE;

  for (i = 0; i < len; i++) {
    gchar c = address[i];

    if (c == '.') {
      if (label_len == 0 || address[i - 1] == '-')
        return FALSE;
      label_len = 0;
      continue;
    }
    if (!g_ascii_isalnum (c) && c != '-')
      return FALSE;
    if (c == '-' && label_len == 0)
      return FALSE;
    if (!g_ascii_isdigit (c))
      digits_and_dots = FALSE;
    if (++label_len > HOST_LABEL_MAX_LEN)
      return FALSE;
  }
  if (label_len == 0 || address[len - 1] == '-')
    return FALSE;
  /* "1.2.3" or "1.2.3.256" look like an IPv4 address and are not one */
  return !digits_and_dots;
}

gboolean
sec_ice_address_is_ip (const gchar * address)
{
  g_return_val_if_fail (address != NULL, FALSE);

  return address_is_ip_len (address, strlen (address));
}

gboolean
sec_ice_address_is_valid (const gchar * address)
{
  g_return_val_if_fail (address != NULL, FALSE);

  return address_is_valid_len (address, strlen (address));
}

const gchar *
sec_ice_candidate_type_name (SecIceCandidateType type)
{
  switch (type) {
    case SEC_ICE_CANDIDATE_HOST:
      return "host";
    case SEC_ICE_CANDIDATE_SRFLX:
      return "srflx";
    case SEC_ICE_CANDIDATE_PRFLX:
      return "prflx";
    case SEC_ICE_CANDIDATE_RELAY:
      return "relay";
  }
  g_return_val_if_reached (NULL);
}

static const gchar *
tcp_type_name (SecIceTcpType tcp_type)
{
  switch (tcp_type) {
    case SEC_ICE_TCP_ACTIVE:
      return "active";
    case SEC_ICE_TCP_PASSIVE:
      return "passive";
    case SEC_ICE_TCP_SO:
      return "so";
    case SEC_ICE_TCP_NONE:
      break;
  }
  return NULL;
}

/* Reads the token after @what ("component id", ...) or fails naming it. */
static gboolean
read_field (TokenReader * reader, Token * token, const gchar * what,
    GError ** error)
{
  if (token_reader_next (reader, token))
    return TRUE;
  sec_ice_set_invalid (error, "candidate has no %s", what);
  return FALSE;
}

static gboolean
parse_foundation (const Token * token, gchar * foundation, GError ** error)
{
  gsize i;

  /* RFC 8445 §5.1.1.3, RFC 8839 §5.1: 1*32ice-char */
  if (token->len > SEC_ICE_FOUNDATION_MAX) {
    set_invalid_token (error, "foundation", token,
        "is longer than 32 characters");
    return FALSE;
  }
  for (i = 0; i < token->len; i++) {
    gchar c = token->start[i];

    if (!g_ascii_isalnum (c) && c != '+' && c != '/') {
      set_invalid_token (error, "foundation", token,
          "has a character other than ALPHA, DIGIT, '+' and '/'");
      return FALSE;
    }
  }
  memcpy (foundation, token->start, token->len);
  foundation[token->len] = '\0';
  return TRUE;
}

static gboolean
parse_port (const Token * token, const gchar * what, guint16 * port,
    GError ** error)
{
  guint64 value = 0;

  /* RFC 4566 §9 port = 1*DIGIT, so leading zeros are fine */
  switch (parse_decimal (token, G_MAXSIZE, G_MAXUINT16, &value)) {
    case DECIMAL_OK:
      *port = (guint16) value;
      return TRUE;
    case DECIMAL_NOT_A_NUMBER:
      set_invalid_token (error, what, token, "is not a number");
      return FALSE;
    case DECIMAL_TOO_LARGE:
      set_invalid_token (error, what, token, "is not in 0..65535");
      return FALSE;
  }
  g_return_val_if_reached (FALSE);
}

/* RFC 8839 §5.1 connection-address: IPv4, IPv6 or an FQDN (mDNS names
 * included); at most what SecIceCandidate holds. */
static gboolean
parse_address (const Token * token, const gchar * what, gchar * address,
    GError ** error)
{
  if (token->len > ADDRESS_MAX) {
    set_invalid_token (error, what, token, "is longer than 63 characters");
    return FALSE;
  }
  if (!address_is_valid_len (token->start, token->len)) {
    set_invalid_token (error, what, token,
        "is neither an IP address nor a host name");
    return FALSE;
  }
  memcpy (address, token->start, token->len);
  address[token->len] = '\0';
  return TRUE;
}

gboolean
sec_ice_candidate_parse (const gchar * text, SecIceCandidate * candidate,
    GError ** error)
{
  static const gchar candidate_prefix[] = "candidate:";
  SecIceCandidate parsed;
  TokenReader reader;
  Token token, transport_token = { NULL, 0 }, type_token = { NULL, 0 };
  gboolean transport_known = TRUE, type_known = TRUE;
  gboolean has_tcp_type = FALSE;
  guint64 value = 0;
  gsize start, end;

  g_return_val_if_fail (candidate != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL) {
    sec_ice_set_invalid (error, "no candidate text");
    return FALSE;
  }
  memset (&parsed, 0, sizeof (parsed));

  /* leading and trailing whitespace (an SDP line's CR LF, say) */
  start = 0;
  end = strlen (text);
  while (start < end && g_ascii_isspace (text[start]))
    start++;
  while (end > start && g_ascii_isspace (text[end - 1]))
    end--;
  if (start == end) {
    sec_ice_set_invalid (error, "candidate is empty");
    return FALSE;
  }

  /* an SDP line "a=candidate:..." or a trickled "candidate:..." */
  if (end - start >= 2 && text[start] == 'a' && text[start + 1] == '=')
    start += 2;
  if (end - start < strlen (candidate_prefix)
      || memcmp (text + start, candidate_prefix,
          strlen (candidate_prefix)) != 0) {
    gchar *quoted = sec_ice_quote_untrusted (text + start, end - start);

    sec_ice_set_invalid (error, "candidate '%s' does not start with 'candidate:'",
        quoted);
    g_free (quoted);
    return FALSE;
  }
  reader.text = text;
  reader.pos = start + strlen (candidate_prefix);
  reader.end = end;

  if (!read_field (&reader, &token, "foundation", error)
      || !parse_foundation (&token, parsed.foundation, error))
    return FALSE;

  /* RFC 8839 §5.1 component-id = 1*3DIGIT; RFC 8445 §5.1.1.1: 1..256 */
  if (!read_field (&reader, &token, "component id", error))
    return FALSE;
  switch (parse_decimal (&token, 3, 256, &value)) {
    case DECIMAL_OK:
      break;
    case DECIMAL_TOO_LARGE:
      value = 0;
      break;
    case DECIMAL_NOT_A_NUMBER:
      set_invalid_token (error, "component id", &token, "is not a number");
      return FALSE;
  }
  if (value < 1) {
    set_invalid_token (error, "component id", &token, "is not in 1..256");
    return FALSE;
  }
  parsed.component = (guint) value;

  /* RFC 8839 §5.1 transport = "UDP" / transport-extension; RFC 6544
   * §4.5 adds "TCP". Both case-insensitive. Another well-formed
   * transport is reported as unsupported once the rest has parsed. */
  if (!read_field (&reader, &transport_token, "transport", error))
    return FALSE;
  if (token_equals_nocase (&transport_token, "UDP")) {
    parsed.transport = SEC_ICE_TRANSPORT_UDP;
  } else if (token_equals_nocase (&transport_token, "TCP")) {
    parsed.transport = SEC_ICE_TRANSPORT_TCP;
  } else if (token_is_token (&transport_token)) {
    transport_known = FALSE;
  } else {
    set_invalid_token (error, "transport", &transport_token,
        "is not a token");
    return FALSE;
  }

  /* RFC 8839 §5.1 priority = 1*10DIGIT, RFC 8445 §5.1.2: 32 bits */
  if (!read_field (&reader, &token, "priority", error))
    return FALSE;
  switch (parse_decimal (&token, PRIORITY_MAX_DIGITS, G_MAXUINT32, &value)) {
    case DECIMAL_OK:
      break;
    case DECIMAL_NOT_A_NUMBER:
      set_invalid_token (error, "priority", &token, "is not a number");
      return FALSE;
    case DECIMAL_TOO_LARGE:
      set_invalid_token (error, "priority", &token, "does not fit 32 bits");
      return FALSE;
  }
  parsed.priority = (guint32) value;

  if (!read_field (&reader, &token, "connection address", error)
      || !parse_address (&token, "connection address", parsed.address,
          error))
    return FALSE;

  if (!read_field (&reader, &token, "port", error)
      || !parse_port (&token, "port", &parsed.port, error))
    return FALSE;

  /* cand-type = "typ" SP candidate-types */
  if (!read_field (&reader, &token, "'typ'", error))
    return FALSE;
  if (!token_equals (&token, "typ")) {
    set_invalid_token (error, "has", &token, "where 'typ' was expected");
    return FALSE;
  }
  if (!read_field (&reader, &type_token, "type after 'typ'", error))
    return FALSE;
  if (token_equals (&type_token, "host")) {
    parsed.type = SEC_ICE_CANDIDATE_HOST;
  } else if (token_equals (&type_token, "srflx")) {
    parsed.type = SEC_ICE_CANDIDATE_SRFLX;
  } else if (token_equals (&type_token, "prflx")) {
    parsed.type = SEC_ICE_CANDIDATE_PRFLX;
  } else if (token_equals (&type_token, "relay")) {
    parsed.type = SEC_ICE_CANDIDATE_RELAY;
  } else if (token_is_token (&type_token)) {
    type_known = FALSE;
  } else {
    set_invalid_token (error, "type", &type_token, "is not a token");
    return FALSE;
  }

  /* [SP rel-addr] [SP rel-port] *(SP cand-extension), with RFC 6544
   * §4.5 "tcptype" among the extensions. raddr and rport come as a
   * pair (RFC 8839 §5.1); they are taken for any type, as
   * implementations differ on host candidates. */
  while (token_reader_next (&reader, &token)) {
    Token name = token;

    if (!token_is_token (&name)) {
      set_invalid_token (error, "extension name", &name, "is not a token");
      return FALSE;
    }

    if (token_equals (&name, "raddr")) {
      if (parsed.has_related) {
        sec_ice_set_invalid (error, "candidate has 'raddr' twice");
        return FALSE;
      }
      if (!read_field (&reader, &token, "address after 'raddr'", error)
          || !parse_address (&token, "related address",
              parsed.related_address, error))
        return FALSE;
      if (!token_reader_next (&reader, &token)
          || !token_equals (&token, "rport")) {
        sec_ice_set_invalid (error, "candidate has 'raddr' without 'rport'");
        return FALSE;
      }
      if (!read_field (&reader, &token, "port after 'rport'", error)
          || !parse_port (&token, "related port", &parsed.related_port,
              error))
        return FALSE;
      parsed.has_related = TRUE;
    } else if (token_equals (&name, "rport")) {
      sec_ice_set_invalid (error, "candidate has 'rport' without 'raddr'");
      return FALSE;
    } else if (token_equals (&name, "tcptype")) {
      if (has_tcp_type) {
        sec_ice_set_invalid (error, "candidate has 'tcptype' twice");
        return FALSE;
      }
      if (!read_field (&reader, &token, "value after 'tcptype'", error))
        return FALSE;
      if (token_equals (&token, "active")) {
        parsed.tcp_type = SEC_ICE_TCP_ACTIVE;
      } else if (token_equals (&token, "passive")) {
        parsed.tcp_type = SEC_ICE_TCP_PASSIVE;
      } else if (token_equals (&token, "so")) {
        parsed.tcp_type = SEC_ICE_TCP_SO;
      } else {
        set_invalid_token (error, "tcptype", &token,
            "is not active, passive or so (RFC 6544 §4.5)");
        return FALSE;
      }
      has_tcp_type = TRUE;
    } else {
      /* extension-att-name SP extension-att-value: skipped */
      if (!token_reader_next (&reader, &token)) {
        set_invalid_token (error, "extension", &name, "has no value");
        return FALSE;
      }
      if (!token_is_vchar (&token)) {
        set_invalid_token (error, "extension", &name,
            "has a value with characters that are not visible ASCII");
        return FALSE;
      }
    }
  }

  if (!transport_known) {
    gchar *quoted = sec_ice_quote_untrusted (transport_token.start,
        transport_token.len);

    g_set_error (error, SEC_ICE_ERROR, SEC_ICE_ERROR_UNSUPPORTED,
        "candidate transport '%s' is not supported (UDP or TCP)", quoted);
    g_free (quoted);
    return FALSE;
  }

  /* RFC 6544 §4.5: TCP candidates say which way they connect; UDP ones
   * have no tcptype. */
  if (parsed.transport == SEC_ICE_TRANSPORT_TCP && !has_tcp_type) {
    sec_ice_set_invalid (error, "TCP candidate has no tcptype (RFC 6544 §4.5)");
    return FALSE;
  }
  if (parsed.transport == SEC_ICE_TRANSPORT_UDP && has_tcp_type) {
    sec_ice_set_invalid (error, "UDP candidate has a tcptype (RFC 6544 §4.5 is "
        "for TCP candidates only)");
    return FALSE;
  }
  /* RFC 6544 §4.5: only an active TCP candidate, which never listens,
   * may carry port 0 (or the discard port 9). */
  if (parsed.port == 0 && parsed.tcp_type != SEC_ICE_TCP_ACTIVE) {
    sec_ice_set_invalid (error, "candidate port 0 is only valid for TCP active "
        "candidates (RFC 6544 §4.5)");
    return FALSE;
  }

  if (!type_known) {
    gchar *quoted = sec_ice_quote_untrusted (type_token.start, type_token.len);

    g_set_error (error, SEC_ICE_ERROR, SEC_ICE_ERROR_UNSUPPORTED,
        "candidate type '%s' is not supported (host, srflx, prflx or "
        "relay)", quoted);
    g_free (quoted);
    return FALSE;
  }

  *candidate = parsed;
  return TRUE;
}

/* strlen bounded by the field, for structs filled by callers */
static gint
field_len (const gchar * field, gsize size)
{
  const gchar *nul = memchr (field, '\0', size);

  return (gint) (nul != NULL ? (gsize) (nul - field) : size);
}

gchar *
sec_ice_candidate_to_string (const SecIceCandidate * candidate)
{
  const gchar *type_name;
  GString *text;

  g_return_val_if_fail (candidate != NULL, NULL);
  type_name = sec_ice_candidate_type_name (candidate->type);
  g_return_val_if_fail (type_name != NULL, NULL);
  g_return_val_if_fail (candidate->transport == SEC_ICE_TRANSPORT_UDP
      || candidate->transport == SEC_ICE_TRANSPORT_TCP, NULL);

  text = g_string_sized_new (128);
  g_string_append_printf (text, "candidate:%.*s %u %s %u %.*s %u typ %s",
      field_len (candidate->foundation, sizeof (candidate->foundation)),
      candidate->foundation, candidate->component,
      candidate->transport == SEC_ICE_TRANSPORT_TCP ? "TCP" : "UDP",
      candidate->priority,
      field_len (candidate->address, sizeof (candidate->address)),
      candidate->address, candidate->port, type_name);
  if (candidate->has_related) {
    g_string_append_printf (text, " raddr %.*s rport %u",
        field_len (candidate->related_address,
            sizeof (candidate->related_address)),
        candidate->related_address, candidate->related_port);
  }
  if (candidate->transport == SEC_ICE_TRANSPORT_TCP
      && tcp_type_name (candidate->tcp_type) != NULL) {
    g_string_append_printf (text, " tcptype %s",
        tcp_type_name (candidate->tcp_type));
  }
  return g_string_free (text, FALSE);
}

static gboolean
field_equal (const gchar * a, const gchar * b, gsize size)
{
  gint len = field_len (a, size);

  return len == field_len (b, size) && memcmp (a, b, (gsize) len) == 0;
}

gboolean
sec_ice_candidate_equal (const SecIceCandidate * a, const SecIceCandidate * b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (!field_equal (a->foundation, b->foundation, sizeof (a->foundation))
      || a->component != b->component || a->transport != b->transport
      || a->priority != b->priority
      || !field_equal (a->address, b->address, sizeof (a->address))
      || a->port != b->port || a->type != b->type
      || a->has_related != b->has_related || a->tcp_type != b->tcp_type)
    return FALSE;
  if (a->has_related
      && (!field_equal (a->related_address, b->related_address,
              sizeof (a->related_address))
          || a->related_port != b->related_port))
    return FALSE;
  return TRUE;
}
