/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The attributes of a remote description that the bin uses, one level
 * (the session or an m-line) at a time: fingerprints (RFC 8122 §5), ICE
 * credentials and options (RFC 8839 §5.4, §5.6), a=setup (RFC 4145 §4),
 * directions, a=extmap (RFC 8285 §8), a=ssrc and a=ssrc-group (RFC 5576),
 * a=msid (RFC 8830), payload types with a=rtpmap, a=fmtp, a=rtcp-fb
 * (RFC 8866 §6, RFC 4585 §4.2), candidates, data channel attributes
 * (RFC 8841); the structs of sdpcheck.h and the helpers sdpcheck.c
 * shares. Every parser is bounds-checked and says what is wrong.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sdpcheck-private.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Small helpers */

/* A value from the peer, safe to put into a message: escaped (ASCII
 * only) and cut short. Never used on passwords or keys. */
gchar *
sec_sdp_quote (const gchar * value)
{
  gchar *escaped = g_strescape (value != NULL ? value : "", NULL);

  if (strlen (escaped) > QUOTE_MAX) {
    gchar *cut = g_strndup (escaped, QUOTE_MAX);

    g_free (escaped);
    escaped = g_strconcat (cut, "...", NULL);
    g_free (cut);
  }
  return escaped;
}

/* RFC 8866 §9: token-char */
gboolean
sec_sdp_is_token_char (guchar c)
{
  return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b
      || c == 0x2d || c == 0x2e || (c >= 0x30 && c <= 0x39)
      || (c >= 0x41 && c <= 0x5a) || (c >= 0x5e && c <= 0x7e);
}

gboolean
sec_sdp_is_token (const gchar * s, gsize max_length)
{
  gsize i;

  if (s == NULL || s[0] == '\0')
    return FALSE;
  for (i = 0; s[i] != '\0'; i++) {
    if (i >= max_length || !sec_sdp_is_token_char ((guchar)s[i]))
      return FALSE;
  }
  return TRUE;
}

/* Decimal digits only (no sign, no space), at most @max. */
gboolean
sec_sdp_parse_uint (const gchar * s, gsize length, guint64 max, guint64 * out)
{
  guint64 value = 0;
  gsize i;

  if (s == NULL || length == 0)
    return FALSE;
  for (i = 0; i < length; i++) {
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
    if (value > (max - (guint64)(s[i] - '0')) / 10)
      return FALSE;
    value = value * 10 + (guint64)(s[i] - '0');
  }
  *out = value;
  return TRUE;
}

gboolean
sec_sdp_parse_uint_str (const gchar * s, guint64 max, guint64 * out)
{
  return s != NULL && sec_sdp_parse_uint (s, strlen (s), max, out);
}

/* Printable text: valid UTF-8 without control characters (tabs are
 * fine). Everything the struct keeps passes this, whatever the
 * GstSDPMessage came from. */
gboolean
sec_sdp_is_clean_text (const gchar * s)
{
  const gchar *p;

  if (s == NULL)
    return TRUE;
  if (!g_utf8_validate (s, -1, NULL))
    return FALSE;
  for (p = s; *p != '\0'; p++) {
    if (((guchar)*p < 0x20 && *p != '\t') || (guchar)*p == 0x7f)
      return FALSE;
  }
  return TRUE;
}

/* "m-line 1 (video, mid 1)" */
gchar *
sec_sdp_media_label (const SecSdpMedia * media)
{
  gchar *media_name = sec_sdp_quote (media->media);
  gchar *label;

  if (media->mid != NULL) {
    gchar *mid = sec_sdp_quote (media->mid);

    label = g_strdup_printf (
        "m-line %u (%s, mid %s)", media->index, media_name, mid);
    g_free (mid);
  } else {
    label = g_strdup_printf ("m-line %u (%s)", media->index, media_name);
  }
  g_free (media_name);
  return label;
}

/* "<label>: <message>" */
void
sec_sdp_set_media_error (GError ** error, const SecSdpMedia * media, gint code,
    const gchar * format, ...)
{
  gchar *label = sec_sdp_media_label (media);
  gchar *message;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SEC_SDP_ERROR, code, "%s: %s", label, message);
  g_free (message);
  g_free (label);
}

gboolean
sec_sdp_strv_equal_as_sets (gchar ** a, gchar ** b)
{
  guint i;

  if (g_strv_length (a) != g_strv_length (b))
    return FALSE;
  for (i = 0; a[i] != NULL; i++) {
    if (!g_strv_contains ((const gchar *const *)b, a[i]))
      return FALSE;
  }
  for (i = 0; b[i] != NULL; i++) {
    if (!g_strv_contains ((const gchar *const *)a, b[i]))
      return FALSE;
  }
  return TRUE;
}

gchar **
sec_sdp_ptr_array_to_strv (GPtrArray * array)
{
  gchar **strv = g_new0 (gchar *, array->len + 1);
  guint i;

  for (i = 0; i < array->len; i++)
    strv[i] = g_strdup (g_ptr_array_index (array, i));
  return strv;
}

/* ------------------------------------------------------------------ */
/* Fingerprints (RFC 8122 §5) */

typedef struct
{
  const gchar *name;
  gsize digest_length;
  gboolean weak;
} HashInfo;

/* the IANA "Hash Function Textual Names" a fingerprint may carry */
static const HashInfo hashes[] = {
  { "sha-256", 32, FALSE },
  { "sha-384", 48, FALSE },
  { "sha-512", 64, FALSE },
  { "sha-1", 20, TRUE },
  { "sha-224", 28, TRUE },
  { "md5", 16, TRUE },
  { "md2", 16, TRUE },
};

gchar *
sec_sdp_fingerprint_normalize (const gchar * value, GError ** error)
{
  const HashInfo *hash = NULL;
  const gchar *p, *name_end;
  gchar *name, *quoted;
  GString *normalized;
  gsize n_bytes = 0;
  guint i;

  if (value == NULL)
    value = "";

  /* hash-func: a token, then SP (we take any run of spaces and tabs) */
  p = value;
  while (*p == ' ' || *p == '\t')
    p++;
  name_end = p;
  while (*name_end != '\0' && *name_end != ' ' && *name_end != '\t')
    name_end++;
  name = g_strndup (p, name_end - p);
  for (i = 0; i < G_N_ELEMENTS (hashes); i++) {
    if (g_ascii_strcasecmp (name, hashes[i].name) == 0)
      hash = &hashes[i];
  }
  if (hash == NULL) {
    quoted = sec_sdp_quote (name);
    g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
        "a=fingerprint has the unknown hash function \"%s\": use sha-256, "
        "sha-384 or sha-512 (RFC 8122 §5)",
        quoted);
    g_free (quoted);
    g_free (name);
    return NULL;
  }
  g_free (name);
  if (hash->weak) {
    g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_WEAK_HASH,
        "a=fingerprint uses %s, which is weaker than sha-256: the peer's "
        "certificate cannot be verified with it; the peer must send a "
        "sha-256, sha-384 or sha-512 fingerprint",
        hash->name);
    return NULL;
  }

  /* fingerprint: 2UHEX *(":" 2UHEX), upper or lower case taken */
  p = name_end;
  while (*p == ' ' || *p == '\t')
    p++;
  normalized = g_string_new (hash->name);
  g_string_append_c (normalized, ' ');
  while (TRUE) {
    if (!g_ascii_isxdigit (p[0]) || !g_ascii_isxdigit (p[1])) {
      g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
          "a=fingerprint %s: expected two hex digits at byte %" G_GSIZE_FORMAT
          " of the digest",
          hash->name, n_bytes + 1);
      g_string_free (normalized, TRUE);
      return NULL;
    }
    if (n_bytes > 0)
      g_string_append_c (normalized, ':');
    g_string_append_c (normalized, g_ascii_toupper (p[0]));
    g_string_append_c (normalized, g_ascii_toupper (p[1]));
    n_bytes++;
    p += 2;
    if (*p != ':' || n_bytes > hash->digest_length)
      break;
    p++;
  }
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != '\0' || n_bytes != hash->digest_length) {
    if (*p != '\0' && n_bytes <= hash->digest_length)
      g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
          "a=fingerprint %s: unexpected text after byte %" G_GSIZE_FORMAT
          " of the digest (hex pairs joined by ':' expected)",
          hash->name, n_bytes);
    else
      g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
          "a=fingerprint %s has %s%" G_GSIZE_FORMAT " bytes, but a %s "
          "digest has %" G_GSIZE_FORMAT,
          hash->name, n_bytes > hash->digest_length ? "more than " : "",
          MIN (n_bytes, hash->digest_length), hash->name, hash->digest_length);
    g_string_free (normalized, TRUE);
    return NULL;
  }
  return g_string_free (normalized, FALSE);
}

/* ------------------------------------------------------------------ */
/* The structs */

static void
extmap_free (gpointer data)
{
  SecSdpExtmap *extmap = data;

  g_free (extmap->uri);
  g_free (extmap->attributes);
  g_free (extmap);
}

static void
ssrc_free (gpointer data)
{
  SecSdpSsrc *ssrc = data;

  g_free (ssrc->cname);
  g_free (ssrc->msid);
  g_free (ssrc);
}

static void
ssrc_group_free (gpointer data)
{
  SecSdpSsrcGroup *group = data;

  g_free (group->semantics);
  g_array_unref (group->ssrcs);
  g_free (group);
}

static void
payload_free (gpointer data)
{
  SecSdpPayload *payload = data;

  g_free (payload->rtpmap);
  g_free (payload->fmtp);
  g_strfreev (payload->rtcp_fb);
  g_free (payload);
}

SecSdpMedia *
sec_sdp_media_new (guint index)
{
  SecSdpMedia *media = g_new0 (SecSdpMedia, 1);

  media->index = index;
  media->bundle_group = -1;
  media->transport_index = index;
  media->setup = SEC_SDP_SETUP_ACTIVE;
  media->formats = g_new0 (gchar *, 1);
  media->ice_options = g_new0 (gchar *, 1);
  media->fingerprints = g_new0 (gchar *, 1);
  media->candidates = g_new0 (gchar *, 1);
  media->msids = g_new0 (gchar *, 1);
  media->payloads = g_ptr_array_new_with_free_func (payload_free);
  media->extmaps = g_ptr_array_new_with_free_func (extmap_free);
  media->ssrcs = g_ptr_array_new_with_free_func (ssrc_free);
  media->ssrc_groups = g_ptr_array_new_with_free_func (ssrc_group_free);
  return media;
}

void
sec_sdp_media_free (gpointer data)
{
  SecSdpMedia *media = data;

  g_free (media->media);
  g_free (media->protocol);
  g_strfreev (media->formats);
  g_free (media->mid);
  g_free (media->ice_ufrag);
  if (media->ice_pwd != NULL)
    memset (media->ice_pwd, 0, strlen (media->ice_pwd));
  g_free (media->ice_pwd);
  g_strfreev (media->ice_options);
  g_strfreev (media->fingerprints);
  g_strfreev (media->candidates);
  g_ptr_array_unref (media->payloads);
  g_ptr_array_unref (media->extmaps);
  g_ptr_array_unref (media->ssrcs);
  g_ptr_array_unref (media->ssrc_groups);
  g_strfreev (media->msids);
  g_free (media);
}

void
sec_sdp_description_free (SecSdpDescription * description)
{
  if (description == NULL)
    return;
  g_free (description->origin_session_id);
  g_free (description->origin_session_version);
  g_strfreev (description->fingerprints);
  g_ptr_array_unref (description->bundle_groups);
  g_ptr_array_unref (description->media);
  g_free (description);
}

const SecSdpMedia *
sec_sdp_description_find_mid (
    const SecSdpDescription * description, const gchar * mid)
{
  guint i;

  g_return_val_if_fail (description != NULL, NULL);

  if (mid == NULL)
    return NULL;
  for (i = 0; i < description->media->len; i++) {
    const SecSdpMedia *media = g_ptr_array_index (description->media, i);

    if (media->mid != NULL && strcmp (media->mid, mid) == 0)
      return media;
  }
  return NULL;
}

void
sec_sdp_level_init (SecSdpLevel * level)
{
  memset (level, 0, sizeof (*level));
  level->fingerprints = g_ptr_array_new_with_free_func (g_free);
  level->extmaps = g_ptr_array_new_with_free_func (extmap_free);
}

void
sec_sdp_level_clear (SecSdpLevel * level)
{
  g_free (level->ice_ufrag);
  if (level->ice_pwd != NULL)
    memset (level->ice_pwd, 0, strlen (level->ice_pwd));
  g_free (level->ice_pwd);
  g_ptr_array_unref (level->fingerprints);
  g_strfreev (level->ice_options);
  g_ptr_array_unref (level->extmaps);
}

/* ------------------------------------------------------------------ */
/* Attributes */

/* "<where>: " for attribute errors: the m-line label or "session level" */
static gchar *
where_label (const SecSdpMedia * media)
{
  return media != NULL ? sec_sdp_media_label (media)
                       : g_strdup ("session level");
}

static void set_attribute_error (GError ** error, const SecSdpMedia * media,
    gint code, const gchar * format, ...) G_GNUC_PRINTF (4, 5);

static void
set_attribute_error (GError ** error, const SecSdpMedia * media, gint code,
    const gchar * format, ...)
{
  gchar *where = where_label (media);
  gchar *message;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SEC_SDP_ERROR, code, "%s: %s", where, message);
  g_free (message);
  g_free (where);
}

static gboolean
parse_direction (const gchar * name, SecSdpDirection * direction)
{
  static const gchar *names[] = { "sendrecv", "sendonly", "recvonly",
    "inactive" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    if (strcmp (name, names[i]) == 0) {
      *direction = (SecSdpDirection)i;
      return TRUE;
    }
  }
  return FALSE;
}

/* RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/" */
static gboolean
check_ice_credential (const SecSdpMedia * media, const gchar * name,
    const gchar * value, gsize min_length, GError ** error)
{
  gsize length = strlen (value), i;

  for (i = 0; i < length; i++) {
    if (!g_ascii_isalnum (value[i]) && value[i] != '+' && value[i] != '/') {
      set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
          "a=%s contains a character other than letters, digits, '+' and "
          "'/' (RFC 8839 §5.4)",
          name);
      return FALSE;
    }
  }
  if (length < min_length || length > ICE_CREDENTIAL_MAX) {
    set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
        "a=%s is %" G_GSIZE_FORMAT " characters long; RFC 8839 §5.4 "
        "requires %" G_GSIZE_FORMAT " to %u",
        name, length, min_length, ICE_CREDENTIAL_MAX);
    return FALSE;
  }
  return TRUE;
}

/* a=extmap:<id>[/<direction>] <uri> [<attributes>] (RFC 8285 §8) */
static gboolean
parse_extmap (SecSdpCheckContext * ctx, const SecSdpMedia * media,
    const gchar * value, GPtrArray * extmaps, GError ** error)
{
  const gchar *space = strchr (value, ' ');
  const gchar *slash;
  SecSdpExtmap *extmap;
  gchar *id_text, *rest, *quoted;
  guint64 id;
  SecSdpDirection direction = SEC_SDP_DIRECTION_SENDRECV;
  gboolean id_ok;
  guint i;

  if (space == NULL || space[1] == '\0' || space[1] == ' ') {
    quoted = sec_sdp_quote (value);
    set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
        "a=extmap:%s needs an id and a URI (RFC 8285 §8)", quoted);
    g_free (quoted);
    return FALSE;
  }
  id_text = g_strndup (value, space - value);
  slash = strchr (id_text, '/');
  id_ok = sec_sdp_parse_uint (id_text,
              slash != NULL ? (gsize)(slash - id_text) : strlen (id_text), 4351,
              &id)
      && (slash == NULL || parse_direction (slash + 1, &direction));
  g_free (id_text);
  /* 1-255 in any description; 4096-4351 only in offers, for the answer
   * to map (RFC 8285 §7) */
  if (!id_ok || id == 0 || (id > 255 && id < 4096)
      || (id >= 4096 && ctx->type == SEC_SDP_TYPE_ANSWER)) {
    quoted = sec_sdp_quote (value);
    set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
        "a=extmap:%s: the id must be 1 to 255 (4096 to 4351 in an offer), "
        "optionally followed by /sendrecv, /sendonly, /recvonly or "
        "/inactive (RFC 8285 §8)",
        quoted);
    g_free (quoted);
    return FALSE;
  }
  for (i = 0; i < extmaps->len; i++) {
    const SecSdpExtmap *other = g_ptr_array_index (extmaps, i);

    if (other->id == id) {
      set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
          "a=extmap id %u is given twice", (guint)id);
      return FALSE;
    }
  }

  rest = g_strdup (space + 1);
  extmap = g_new0 (SecSdpExtmap, 1);
  extmap->id = (guint)id;
  extmap->direction = direction;
  space = strchr (rest, ' ');
  if (space != NULL) {
    extmap->uri = g_strndup (rest, space - rest);
    extmap->attributes = g_strdup (space + 1);
  } else {
    extmap->uri = g_strdup (rest);
  }
  g_free (rest);
  g_ptr_array_add (extmaps, extmap);
  return TRUE;
}

static SecSdpSsrc *
find_ssrc (SecSdpMedia * media, guint32 ssrc_id)
{
  guint i;

  for (i = 0; i < media->ssrcs->len; i++) {
    SecSdpSsrc *ssrc = g_ptr_array_index (media->ssrcs, i);

    if (ssrc->ssrc == ssrc_id)
      return ssrc;
  }
  return NULL;
}

/* a=ssrc:<ssrc-id> <attribute>[:<value>] (RFC 5576 §4.1) */
static gboolean
parse_ssrc (SecSdpMedia * media, const gchar * value, GError ** error)
{
  const gchar *space = strchr (value, ' ');
  const gchar *attribute, *colon;
  SecSdpSsrc *ssrc;
  guint64 id;
  gchar **slot = NULL;

  if (space == NULL || space[1] == '\0'
      || !sec_sdp_parse_uint (value, space - value, G_MAXUINT32, &id)) {
    gchar *quoted = sec_sdp_quote (value);

    set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
        "a=ssrc:%s is not <ssrc> <attribute>[:<value>] with a 32-bit "
        "decimal SSRC (RFC 5576 §4.1)",
        quoted);
    g_free (quoted);
    return FALSE;
  }
  ssrc = find_ssrc (media, (guint32)id);
  if (ssrc == NULL) {
    ssrc = g_new0 (SecSdpSsrc, 1);
    ssrc->ssrc = (guint32)id;
    g_ptr_array_add (media->ssrcs, ssrc);
  }
  attribute = space + 1;
  colon = strchr (attribute, ':');
  if (colon == NULL)
    return TRUE;
  if (colon - attribute == 5 && strncmp (attribute, "cname", 5) == 0)
    slot = &ssrc->cname;
  else if (colon - attribute == 4 && strncmp (attribute, "msid", 4) == 0)
    slot = &ssrc->msid;
  if (slot != NULL) {
    if (*slot != NULL) {
      set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
          "SSRC %u has two a=ssrc %.*s attributes", ssrc->ssrc,
          (int)(colon - attribute), attribute);
      return FALSE;
    }
    *slot = g_strdup (colon + 1);
  }
  return TRUE;
}

/* a=ssrc-group:<semantics> *(SP <ssrc-id>) (RFC 5576 §4.2) */
static gboolean
parse_ssrc_group (SecSdpMedia * media, const gchar * value, GError ** error)
{
  gchar **fields = g_strsplit (value, " ", -1);
  SecSdpSsrcGroup *group;
  guint i, n_fields = g_strv_length (fields);

  if (n_fields < 2 || !sec_sdp_is_token (fields[0], 32)) {
    g_strfreev (fields);
    set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
        "a=ssrc-group needs a semantics and at least one SSRC (RFC 5576 "
        "§4.2)");
    return FALSE;
  }
  group = g_new0 (SecSdpSsrcGroup, 1);
  group->semantics = g_strdup (fields[0]);
  group->ssrcs = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (i = 1; i < n_fields; i++) {
    guint64 id;
    guint32 ssrc;

    if (!sec_sdp_parse_uint_str (fields[i], G_MAXUINT32, &id)) {
      gchar *quoted = sec_sdp_quote (fields[i]);

      set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
          "a=ssrc-group:%s: \"%s\" is not a 32-bit decimal SSRC",
          group->semantics, quoted);
      g_free (quoted);
      ssrc_group_free (group);
      g_strfreev (fields);
      return FALSE;
    }
    ssrc = (guint32)id;
    g_array_append_val (group->ssrcs, ssrc);
  }
  g_ptr_array_add (media->ssrc_groups, group);
  g_strfreev (fields);
  return TRUE;
}

/* a=msid:<msid-id> [<msid-appdata>] (RFC 8830 §2) */
static gboolean
check_msid (const SecSdpMedia * media, const gchar * value, GError ** error)
{
  gchar **fields = g_strsplit (value, " ", -1);
  guint n_fields = g_strv_length (fields);
  gboolean ok = (n_fields == 1 || n_fields == 2)
      && sec_sdp_is_token (fields[0], MSID_MAX_LENGTH)
      && (n_fields == 1 || sec_sdp_is_token (fields[1], MSID_MAX_LENGTH));

  g_strfreev (fields);
  if (!ok) {
    gchar *quoted = sec_sdp_quote (value);

    set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
        "a=msid:%s is not <stream id> [<track id>], each 1 to %u token "
        "characters (RFC 8830 §2)",
        quoted, MSID_MAX_LENGTH);
    g_free (quoted);
  }
  return ok;
}

static SecSdpPayload *
find_payload (SecSdpMedia * media, guint pt)
{
  guint i;

  for (i = 0; i < media->payloads->len; i++) {
    SecSdpPayload *payload = g_ptr_array_index (media->payloads, i);

    if (payload->pt == pt)
      return payload;
  }
  return NULL;
}

static void
strv_append (gchar *** strv, const gchar * value)
{
  guint length = g_strv_length (*strv);

  *strv = g_renew (gchar *, *strv, length + 2);
  (*strv)[length] = g_strdup (value);
  (*strv)[length + 1] = NULL;
}

/* a=rtpmap:<pt> <name>/<rate>[/<parameters>], a=fmtp:<pt> <parameters>,
 * a=rtcp-fb:<pt>|* <type>[ <parameters>] (RFC 8866 §6.6, §6.15;
 * RFC 4585 §4.2): the text after the payload type is kept as written. */
static gboolean
parse_payload_attribute (SecSdpCheckContext * ctx, SecSdpMedia * media,
    const gchar * key, const gchar * value, GError ** error)
{
  const gchar *space = strchr (value, ' ');
  SecSdpPayload *payload;
  guint64 pt;
  gchar *quoted;

  if (space == NULL || space[1] == '\0' || space[1] == ' ')
    goto malformed;
  if (strcmp (key, "rtcp-fb") == 0 && space - value == 1 && value[0] == '*') {
    g_ptr_array_add (g_ptr_array_index (ctx->wildcard_fb, media->index),
        g_strdup (space + 1));
    return TRUE;
  }
  if (!sec_sdp_parse_uint (value, space - value, 127, &pt))
    goto malformed;
  /* attributes of payload types not in the m-line are ignored */
  payload = find_payload (media, (guint)pt);
  if (payload == NULL)
    return TRUE;

  if (strcmp (key, "rtpmap") == 0) {
    const gchar *name = space + 1, *slash = strchr (name, '/');
    const gchar *rate_end;
    guint64 rate;
    gsize i;

    if (slash == NULL || slash == name)
      goto malformed;
    for (i = 0; name + i < slash; i++) {
      if (!sec_sdp_is_token_char ((guchar)name[i]))
        goto malformed;
    }
    rate_end = strchr (slash + 1, '/');
    if (rate_end == NULL)
      rate_end = slash + 1 + strlen (slash + 1);
    if (!sec_sdp_parse_uint (
            slash + 1, rate_end - (slash + 1), G_MAXUINT32, &rate)
        || rate == 0)
      goto malformed;
    if (payload->rtpmap != NULL)
      goto twice;
    payload->rtpmap = g_strdup (name);
  } else if (strcmp (key, "fmtp") == 0) {
    if (payload->fmtp != NULL)
      goto twice;
    payload->fmtp = g_strdup (space + 1);
  } else {
    strv_append (&payload->rtcp_fb, space + 1);
  }
  return TRUE;

malformed:
  quoted = sec_sdp_quote (value);
  set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
      "a=%s:%s is malformed (%s)", key, quoted,
      strcmp (key, "rtpmap") == 0 ? "<payload type> <encoding>/<clock rate>"
                                    "[/<channels>], RFC 8866 §6.6"
          : strcmp (key, "fmtp") == 0
          ? "<payload type> <parameters>, RFC 8866 §6.15"
          : "<payload type>|* <feedback type>, RFC 4585 §4.2");
  g_free (quoted);
  return FALSE;

twice:
  set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
      "payload type %u has two a=%s lines", (guint)pt, key);
  return FALSE;
}

/* The attributes that mean the same at session and media level (RFC 8866
 * §6, RFC 8839 §5, RFC 8122 §5, RFC 8842 §4, RFC 8285). TRUE with
 * *handled = FALSE for any other attribute. @media is NULL at session
 * level. */
gboolean
sec_sdp_parse_level_attribute (SecSdpCheckContext * ctx,
    const SecSdpMedia * media, SecSdpLevel * level, const gchar * key,
    const gchar * value, gboolean * handled, GError ** error)
{
  SecSdpDirection direction;

  *handled = TRUE;
  if (strcmp (key, "ice-ufrag") == 0 || strcmp (key, "ice-pwd") == 0) {
    gboolean pwd = key[4] == 'p';
    gchar **slot = pwd ? &level->ice_pwd : &level->ice_ufrag;

    if (*slot != NULL) {
      set_attribute_error (
          error, media, SEC_SDP_ERROR_INVALID, "two a=%s lines", key);
      return FALSE;
    }
    if (!check_ice_credential (
            media, key, value, pwd ? ICE_PWD_MIN : ICE_UFRAG_MIN, error))
      return FALSE;
    *slot = g_strdup (value);
  } else if (strcmp (key, "ice-options") == 0) {
    gchar **options = g_strsplit (value, " ", -1);
    guint i;

    for (i = 0; options[i] != NULL; i++) {
      if (!sec_sdp_is_token (options[i], 64)) {
        g_strfreev (options);
        set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
            "a=ice-options must be tokens separated by single spaces "
            "(RFC 8839 §5.6)");
        return FALSE;
      }
    }
    if (level->ice_options != NULL) {
      g_strfreev (options);
      set_attribute_error (
          error, media, SEC_SDP_ERROR_INVALID, "two a=ice-options lines");
      return FALSE;
    }
    level->ice_options = options;
  } else if (strcmp (key, "fingerprint") == 0) {
    GError *fingerprint_error = NULL;
    gchar *normalized =
        sec_sdp_fingerprint_normalize (value, &fingerprint_error);

    if (normalized == NULL) {
      set_attribute_error (error, media, fingerprint_error->code, "%s",
          fingerprint_error->message);
      g_error_free (fingerprint_error);
      return FALSE;
    }
    if (!g_ptr_array_find_with_equal_func (
            level->fingerprints, normalized, g_str_equal, NULL))
      g_ptr_array_add (level->fingerprints, normalized);
    else
      g_free (normalized);
  } else if (strcmp (key, "setup") == 0) {
    static const gchar *names[] = { "actpass", "active", "passive",
      "holdconn" };
    guint i;

    if (level->has_setup) {
      set_attribute_error (
          error, media, SEC_SDP_ERROR_INVALID, "two a=setup lines");
      return FALSE;
    }
    for (i = 0; i < G_N_ELEMENTS (names); i++) {
      if (strcmp (value, names[i]) == 0) {
        level->setup = (SecSdpSetup)i;
        level->has_setup = TRUE;
      }
    }
    if (!level->has_setup) {
      gchar *quoted = sec_sdp_quote (value);

      set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
          "a=setup:%s is none of actpass, active, passive, holdconn "
          "(RFC 4145 §4)",
          quoted);
      g_free (quoted);
      return FALSE;
    }
  } else if (parse_direction (key, &direction)) {
    if (level->has_direction) {
      set_attribute_error (error, media, SEC_SDP_ERROR_INVALID,
          "two direction attributes (sendrecv, sendonly, recvonly, "
          "inactive)");
      return FALSE;
    }
    level->has_direction = TRUE;
    level->direction = direction;
  } else if (strcmp (key, "end-of-candidates") == 0) {
    level->end_of_candidates = TRUE;
  } else if (strcmp (key, "crypto") == 0) {
    /* SDES keys (RFC 4568): only noted, never kept or quoted */
    level->has_crypto = TRUE;
  } else if (strcmp (key, "extmap") == 0) {
    return parse_extmap (ctx, media, value, level->extmaps, error);
  } else {
    *handled = FALSE;
  }
  return TRUE;
}

/* 4. The attributes of an m-line that is not rejected. */
gboolean
sec_sdp_parse_media_attributes (SecSdpCheckContext * ctx,
    const GstSDPMedia * sdp_media, SecSdpMedia * media, GError ** error)
{
  SecSdpLevel *level = &ctx->levels[media->index];
  gboolean rtp = media->proto == SEC_SDP_PROTO_DTLS_SRTP;
  GPtrArray *candidates = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *msids = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *wildcard = g_ptr_array_index (ctx->wildcard_fb, media->index);
  guint i, j, n = gst_sdp_media_attributes_len (sdp_media);
  gboolean ok = TRUE;

  /* the payload types, in m-line order (RFC 3551 §6; RFC 5761 §4 keeps
   * 64-95 out when RTCP shares the port) */
  for (i = 0; rtp && media->formats[i] != NULL; i++) {
    SecSdpPayload *payload;
    guint64 pt;

    if (!sec_sdp_parse_uint_str (media->formats[i], 127, &pt)) {
      gchar *quoted = sec_sdp_quote (media->formats[i]);

      sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_INVALID,
          "\"%s\" is not an RTP payload type (0 to 127)", quoted);
      g_free (quoted);
      ok = FALSE;
      goto done;
    }
    if (pt >= 64 && pt <= 95) {
      sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_INVALID,
          "payload type %u collides with RTCP packet types when RTP and "
          "RTCP share a port; RFC 5761 §4 excludes 64 to 95",
          (guint)pt);
      ok = FALSE;
      goto done;
    }
    if (find_payload (media, (guint)pt) != NULL) {
      sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_INVALID,
          "payload type %u is listed twice", (guint)pt);
      ok = FALSE;
      goto done;
    }
    payload = g_new0 (SecSdpPayload, 1);
    payload->pt = (guint)pt;
    payload->rtcp_fb = g_new0 (gchar *, 1);
    g_ptr_array_add (media->payloads, payload);
  }

  for (i = 0; i < n && ok; i++) {
    const GstSDPAttribute *attribute =
        gst_sdp_media_get_attribute (sdp_media, i);
    const gchar *key = attribute->key,
                *value = attribute->value != NULL ? attribute->value : "";
    gboolean handled;
    guint64 number;

    if (key == NULL)
      continue;
    if (!sec_sdp_is_clean_text (key) || !sec_sdp_is_clean_text (value)) {
      sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_INVALID,
          "an attribute is not valid UTF-8 text");
      ok = FALSE;
      break;
    }
    ok = sec_sdp_parse_level_attribute (
        ctx, media, level, key, value, &handled, error);
    if (!ok || handled)
      continue;

    if (strcmp (key, "rtcp-mux") == 0) {
      level->rtcp_mux = TRUE;
    } else if (strcmp (key, "rtcp-mux-only") == 0) {
      level->rtcp_mux_only = TRUE;
    } else if (strcmp (key, "rtcp-rsize") == 0) {
      media->rtcp_rsize = TRUE;
    } else if (strcmp (key, "candidate") == 0) {
      if (value[0] == '\0') {
        sec_sdp_set_media_error (
            error, media, SEC_SDP_ERROR_INVALID, "an empty a=candidate line");
        ok = FALSE;
      } else {
        g_ptr_array_add (candidates, g_strconcat ("candidate:", value, NULL));
      }
    } else if (!rtp) {
      /* data channels: RFC 8841 §5, §6 */
      if (strcmp (key, "sctp-port") == 0) {
        if (!sec_sdp_parse_uint_str (value, 65535, &number) || number == 0) {
          sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_INVALID,
              "a=sctp-port is not a port number (1 to 65535, RFC 8841 §5)");
          ok = FALSE;
        } else {
          media->sctp_port = (guint)number;
        }
      } else if (strcmp (key, "max-message-size") == 0) {
        if (!sec_sdp_parse_uint_str (value, G_MAXUINT64, &number)) {
          sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_INVALID,
              "a=max-message-size is not a decimal number of bytes "
              "(RFC 8841 §6)");
          ok = FALSE;
        } else {
          media->has_max_message_size = TRUE;
          media->max_message_size = number;
        }
      }
    } else if (strcmp (key, "ssrc") == 0) {
      ok = parse_ssrc (media, value, error);
    } else if (strcmp (key, "ssrc-group") == 0) {
      ok = parse_ssrc_group (media, value, error);
    } else if (strcmp (key, "msid") == 0) {
      ok = check_msid (media, value, error);
      if (ok)
        g_ptr_array_add (msids, g_strdup (value));
    } else if (strcmp (key, "rtpmap") == 0 || strcmp (key, "fmtp") == 0
        || strcmp (key, "rtcp-fb") == 0) {
      ok = parse_payload_attribute (ctx, media, key, value, error);
    }
  }

  if (ok) {
    /* a=rtcp-fb:* applies to every payload type (RFC 4585 §4.2) */
    for (i = 0; i < media->payloads->len; i++) {
      SecSdpPayload *payload = g_ptr_array_index (media->payloads, i);

      for (j = 0; j < wildcard->len; j++)
        strv_append (&payload->rtcp_fb, g_ptr_array_index (wildcard, j));
    }
    g_strfreev (media->candidates);
    media->candidates = sec_sdp_ptr_array_to_strv (candidates);
    g_strfreev (media->msids);
    media->msids = sec_sdp_ptr_array_to_strv (msids);
  }

done:
  g_ptr_array_unref (candidates);
  g_ptr_array_unref (msids);
  return ok;
}
