/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading and checking a remote description: a line scan of our own
 * (RFC 8866 §5, §9), GstSDPMessage for the parsing proper, then the
 * attributes WebRTC uses (sdpattributes.c) and the security rules of
 * sdpcheck.h, in this order:
 *
 *   1. the text: size, NUL bytes, UTF-8, control characters, line types,
 *      v=0 first, m= lines well formed (scan_lines);
 *   2. the session level: o=, BUNDLE groups, session-level transport
 *      attributes (sec_sdp_parse_level_attribute);
 *   3. each m-line's identity: media, port, protocol, formats, mid,
 *      bundle-only; mids unique; which m-lines are rejected;
 *   4. each m-line that is not rejected: its profile, then all of its
 *      attributes (sec_sdp_parse_media_attributes: syntax errors and weak
 *      hashes here);
 *   5. the transports: the owners (unbundled m-lines and BUNDLE tags)
 *      need fingerprints, ICE credentials, rtcp-mux, a fitting a=setup;
 *      bundled m-lines must agree with their tag and inherit from it;
 *   6. per transport: extmap ids and SSRCs consistent.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sdpcheck-private.h"

#include <string.h>

/* clang-format off */
G_DEFINE_QUARK (sec-sdp-error-quark, sec_sdp_error);
/* clang-format on */

/* ------------------------------------------------------------------ */
/* 1. The text, line by line */

/* RFC 8866 §5: the types we know; k= (keys in the signaling) is refused
 * on its own */
static const gchar known_types[] = "vosiuepcbtrzam";

static gboolean
check_media_line (
    const gchar * line, gsize length, guint line_number, GError ** error)
{
  gchar *text = g_strndup (line + 2, length - 2);
  gchar **fields = g_strsplit (text, " ", -1);
  const gchar *reason = NULL;
  guint n_fields = g_strv_length (fields), i;
  guint64 port;
  gchar *slash;

  if (n_fields < 4) {
    reason = "it needs a media, a port, a protocol and at least one format";
  } else if (!sec_sdp_is_token (fields[0], 32)) {
    reason = "the media is not a token";
  } else {
    slash = strchr (fields[1], '/');
    if (!sec_sdp_parse_uint (fields[1],
            slash != NULL ? (gsize)(slash - fields[1]) : strlen (fields[1]),
            65535, &port)
        || (slash != NULL && !sec_sdp_parse_uint_str (slash + 1, 65535, &port)))
      reason = "the port is not a number from 0 to 65535";
  }
  if (reason == NULL) {
    /* proto: token *("/" token) */
    for (i = 0; fields[2][i] != '\0' && reason == NULL; i++) {
      if (!sec_sdp_is_token_char ((guchar)fields[2][i]) && fields[2][i] != '/')
        reason = "the protocol is not a token";
    }
    for (i = 3; i < n_fields && reason == NULL; i++) {
      if (!sec_sdp_is_token (fields[i], 256))
        reason = "a format is empty or not a token (one space between "
                 "fields)";
    }
  }
  if (reason != NULL) {
    gchar *quoted = sec_sdp_quote (text);

    g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
        "line %u (m=%s) is not a valid m= line: %s", line_number, quoted,
        reason);
    g_free (quoted);
  }
  g_strfreev (fields);
  g_free (text);
  return reason == NULL;
}

static gboolean
scan_lines (const gchar * text, gsize length, guint * n_media, GError ** error)
{
  const gchar *line = text, *end = text + length;
  guint line_number = 0;
  gboolean seen_version = FALSE, seen_origin = FALSE;

  *n_media = 0;
  if (length == 0) {
    g_set_error_literal (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
        "the description is empty");
    return FALSE;
  }
  if (length > SEC_SDP_MAX_LENGTH) {
    g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
        "the description is %" G_GSIZE_FORMAT " bytes long, more than the "
        "%u taken",
        length, SEC_SDP_MAX_LENGTH);
    return FALSE;
  }
  if (memchr (text, '\0', length) != NULL) {
    g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
        "the description contains a NUL byte (at offset %" G_GSIZE_FORMAT
        "): SDP is text",
        (gsize)((const gchar *)memchr (text, '\0', length) - text));
    return FALSE;
  }
  if (!g_utf8_validate_len (text, length, NULL)) {
    g_set_error_literal (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
        "the description is not valid UTF-8 text (RFC 8866 §5)");
    return FALSE;
  }

  while (line < end) {
    const gchar *newline = memchr (line, '\n', end - line);
    const gchar *line_end = newline != NULL ? newline : end;
    gsize line_length = line_end - line, i;

    line_number++;
    /* CRLF (RFC 8866 §5) or a bare LF */
    if (line_length > 0 && line[line_length - 1] == '\r')
      line_length--;
    for (i = 0; i < line_length; i++) {
      guchar c = (guchar)line[i];

      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
            "line %u contains the control character 0x%02x", line_number, c);
        return FALSE;
      }
    }

    if (line_length == 0) {
      /* an empty line (the end of the text, or a stray one) */
    } else if (line_length < 2 || line[1] != '=' || line[0] < 'a'
        || line[0] > 'z') {
      gchar *start = g_strndup (line, MIN (line_length, 16));
      gchar *quoted = sec_sdp_quote (start);

      g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
          "line %u (\"%s\") is not an SDP line: SDP lines are <type>=<value> "
          "with a lower-case letter as type (RFC 8866 §5)",
          line_number, quoted);
      g_free (quoted);
      g_free (start);
      return FALSE;
    } else if (!seen_version && line[0] != 'v') {
      g_set_error_literal (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
          "not an SDP description: it must start with the line v=0");
      return FALSE;
    } else if (line[0] == 'v') {
      if (seen_version) {
        g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
            "line %u: a second v= line", line_number);
        return FALSE;
      }
      if (line_length != 3 || line[2] != '0') {
        g_set_error_literal (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
            "not an SDP description this side takes: the first line must "
            "be v=0 (RFC 8866 §5.1)");
        return FALSE;
      }
      seen_version = TRUE;
    } else if (line[0] == 'k') {
      g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_SDES,
          "line %u is a k= line: keys in the signaling are refused; SRTP "
          "keys must come from DTLS",
          line_number);
      return FALSE;
    } else if (strchr (known_types, line[0]) == NULL) {
      g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
          "line %u has the unknown type \"%c=\" (RFC 8866 §5)", line_number,
          line[0]);
      return FALSE;
    } else if (line[0] == 'o') {
      seen_origin = TRUE;
    } else if (line[0] == 'm') {
      if (!seen_origin) {
        g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
            "line %u: an m= line before the o= line (RFC 8866 §5.2)",
            line_number);
        return FALSE;
      }
      if (!check_media_line (line, line_length, line_number, error))
        return FALSE;
      (*n_media)++;
    }
    line = newline != NULL ? newline + 1 : end;
  }

  if (!seen_version) {
    g_set_error_literal (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
        "not an SDP description: it must start with the line v=0");
    return FALSE;
  }
  if (!seen_origin) {
    g_set_error_literal (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
        "the description has no o= line (RFC 8866 §5.2)");
    return FALSE;
  }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* 3. An m-line's identity */

static const struct
{
  const gchar *name;
  SecSdpProto proto;
  gboolean feedback;
} dtls_protocols[] = {
  /* RFC 5764 §8, RFC 7850 (ICE-TCP), RFC 8841 §4 */
  { "UDP/TLS/RTP/SAVPF", SEC_SDP_PROTO_DTLS_SRTP, TRUE },
  { "UDP/TLS/RTP/SAVP", SEC_SDP_PROTO_DTLS_SRTP, FALSE },
  { "TCP/DTLS/RTP/SAVPF", SEC_SDP_PROTO_DTLS_SRTP, TRUE },
  { "TCP/DTLS/RTP/SAVP", SEC_SDP_PROTO_DTLS_SRTP, FALSE },
  { "UDP/DTLS/SCTP", SEC_SDP_PROTO_DTLS_SCTP, FALSE },
  { "TCP/DTLS/SCTP", SEC_SDP_PROTO_DTLS_SCTP, FALSE },
  { "DTLS/SCTP", SEC_SDP_PROTO_DTLS_SCTP, FALSE },
};

static SecSdpMedia *
media_from_sdp (const GstSDPMedia * sdp_media, guint index, GError ** error)
{
  SecSdpMedia *media = sec_sdp_media_new (index);
  GPtrArray *formats = g_ptr_array_new_with_free_func (g_free);
  const gchar *name = gst_sdp_media_get_media (sdp_media);
  const gchar *protocol = gst_sdp_media_get_proto (sdp_media);
  guint i, n;

  media->media = g_strdup (name != NULL ? name : "");
  media->protocol = g_strdup (protocol != NULL ? protocol : "");
  if (!sec_sdp_is_token (media->media, 32)
      || !sec_sdp_is_clean_text (media->protocol)
      || media->protocol[0] == '\0') {
    sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_INVALID,
        "the m= line's media or protocol is missing or malformed");
    goto failed;
  }
  if (strcmp (media->media, "audio") == 0)
    media->kind = SEC_SDP_MEDIA_AUDIO;
  else if (strcmp (media->media, "video") == 0)
    media->kind = SEC_SDP_MEDIA_VIDEO;
  else if (strcmp (media->media, "application") == 0)
    media->kind = SEC_SDP_MEDIA_APPLICATION;
  else
    media->kind = SEC_SDP_MEDIA_OTHER;

  if (gst_sdp_media_get_port (sdp_media) > 65535) {
    sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_INVALID,
        "the port is not a number from 0 to 65535");
    goto failed;
  }
  media->port = gst_sdp_media_get_port (sdp_media);

  for (i = 0; i < G_N_ELEMENTS (dtls_protocols); i++) {
    /* SDP protocol names compare ASCII case-insensitively (RFC 8866 §8.2.2
     * registers them in upper case; implementations differ) */
    if (g_ascii_strcasecmp (media->protocol, dtls_protocols[i].name) == 0) {
      media->proto = dtls_protocols[i].proto;
      media->feedback = dtls_protocols[i].feedback;
    }
  }

  n = gst_sdp_media_formats_len (sdp_media);
  for (i = 0; i < n; i++) {
    const gchar *format = gst_sdp_media_get_format (sdp_media, i);

    /* GstSDPMessage adds an empty format for a trailing space */
    if (format == NULL || format[0] == '\0')
      continue;
    if (!sec_sdp_is_token (format, 256)) {
      sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_INVALID,
          "a format in the m= line is not a token");
      goto failed;
    }
    g_ptr_array_add (formats, g_strdup (format));
  }
  if (formats->len == 0) {
    sec_sdp_set_media_error (
        error, media, SEC_SDP_ERROR_INVALID, "the m= line lists no format");
    goto failed;
  }
  g_strfreev (media->formats);
  media->formats = sec_sdp_ptr_array_to_strv (formats);
  g_clear_pointer (&formats, g_ptr_array_unref);

  n = gst_sdp_media_attributes_len (sdp_media);
  for (i = 0; i < n; i++) {
    const GstSDPAttribute *attribute =
        gst_sdp_media_get_attribute (sdp_media, i);

    if (g_strcmp0 (attribute->key, "mid") == 0) {
      const gchar *mid = attribute->value != NULL ? attribute->value : "";

      if (media->mid != NULL) {
        sec_sdp_set_media_error (
            error, media, SEC_SDP_ERROR_MID, "two a=mid lines");
        goto failed;
      }
      if (!sec_sdp_is_token (mid, MID_MAX_LENGTH)) {
        gchar *quoted = sec_sdp_quote (mid);

        sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_MID,
            "a=mid:%s is not 1 to %u token characters (RFC 5888 §4)", quoted,
            MID_MAX_LENGTH);
        g_free (quoted);
        goto failed;
      }
      media->mid = g_strdup (mid);
    } else if (g_strcmp0 (attribute->key, "bundle-only") == 0) {
      media->bundle_only = TRUE;
    }
  }
  return media;

failed:
  if (formats != NULL)
    g_ptr_array_unref (formats);
  sec_sdp_media_free (media);
  return NULL;
}

/* The profile of an m-line that is not rejected. */
static gboolean
check_profile (const SecSdpMedia * media, GError ** error)
{
  static const gchar *plain[] = { "RTP/AVP", "RTP/AVPF" };
  static const gchar *sdes[] = { "RTP/SAVP", "RTP/SAVPF" };
  gchar *quoted;
  guint i;

  if (media->proto != SEC_SDP_PROTO_OTHER) {
    /* RFC 8841 §4: data channels are m=application over SCTP; RTP
     * profiles carry the other media */
    if ((media->kind == SEC_SDP_MEDIA_APPLICATION)
        != (media->proto == SEC_SDP_PROTO_DTLS_SCTP)) {
      quoted = sec_sdp_quote (media->protocol);
      sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_UNSUPPORTED,
          "the protocol %s does not carry this media: m=application uses "
          "UDP/DTLS/SCTP (data channels), audio and video UDP/TLS/RTP/SAVPF",
          quoted);
      g_free (quoted);
      return FALSE;
    }
    return TRUE;
  }

  quoted = sec_sdp_quote (media->protocol);
  for (i = 0; i < G_N_ELEMENTS (plain); i++) {
    if (g_ascii_strcasecmp (media->protocol, plain[i]) == 0) {
      sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_INSECURE_PROFILE,
          "the profile %s is plain, unencrypted RTP and is refused; the "
          "peer must use DTLS-SRTP (UDP/TLS/RTP/SAVPF)",
          quoted);
      g_free (quoted);
      return FALSE;
    }
  }
  for (i = 0; i < G_N_ELEMENTS (sdes); i++) {
    if (g_ascii_strcasecmp (media->protocol, sdes[i]) == 0) {
      sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_INSECURE_PROFILE,
          "the profile %s is SRTP keyed in the signaling (SDES, a=crypto) "
          "and is refused: SRTP keys must come from DTLS; the peer must "
          "use DTLS-SRTP (UDP/TLS/RTP/SAVPF)",
          quoted);
      g_free (quoted);
      return FALSE;
    }
  }
  sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_UNSUPPORTED,
      "the protocol %s is not supported: use UDP/TLS/RTP/SAVPF for media "
      "or UDP/DTLS/SCTP for data channels",
      quoted);
  g_free (quoted);
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* 5. The transports */

/* RFC 8842 §5.3: the answerer chooses; the offerer may say anything
 * but should say actpass (RFC 8842 §5.2) */
static gboolean
check_setup (SecSdpCheckContext * ctx, const SecSdpMedia * media,
    GError ** error)
{
  if (ctx->type == SEC_SDP_TYPE_ANSWER
      && media->setup == SEC_SDP_SETUP_ACTPASS) {
    sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_SETUP,
        "the answer says a=setup:actpass, but an answer must choose the "
        "DTLS role, active or passive (RFC 8842 §5.3)");
    return FALSE;
  }
  return TRUE;
}

/* The transport of an unbundled m-line or a BUNDLE tag. */
static gboolean
resolve_owner (SecSdpCheckContext * ctx, SecSdpMedia * media,
    GError ** error)
{
  SecSdpLevel *level = &ctx->levels[media->index];
  SecSdpLevel *session = &ctx->session;
  GPtrArray *fingerprints = level->fingerprints->len > 0
      ? level->fingerprints
      : session->fingerprints;
  const gchar *ufrag =
      level->ice_ufrag != NULL ? level->ice_ufrag : session->ice_ufrag;
  const gchar *pwd = level->ice_pwd != NULL ? level->ice_pwd : session->ice_pwd;

  if (fingerprints->len == 0) {
    if (level->has_crypto || session->has_crypto)
      sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_SDES,
          "the remote description offers only SDES keys (a=crypto) and no "
          "a=fingerprint: SRTP keys must come from DTLS, checked against "
          "the peer's certificate fingerprint; the peer must use "
          "DTLS-SRTP");
    else
      sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_NO_FINGERPRINT,
          "the remote description has no a=fingerprint: the peer's "
          "certificate could not be verified; the peer must send the "
          "sha-256 fingerprint of its DTLS certificate (RFC 8122 §5)");
    return FALSE;
  }
  if (ufrag == NULL || pwd == NULL) {
    sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_NO_ICE_CREDENTIALS,
        "the remote description has no %s (session or media level): ICE "
        "cannot check connectivity with the peer without them (RFC 8839 "
        "§5.4)",
        ufrag == NULL && pwd == NULL ? "a=ice-ufrag and a=ice-pwd"
            : ufrag == NULL          ? "a=ice-ufrag"
                                     : "a=ice-pwd");
    return FALSE;
  }
  if (media->proto == SEC_SDP_PROTO_DTLS_SRTP && !level->rtcp_mux) {
    sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_NO_RTCP_MUX,
        "the m-line has no a=rtcp-mux: this side sends RTP and RTCP on one "
        "port only (RFC 8829 §5.1.1, RFC 5761)");
    return FALSE;
  }

  g_strfreev (media->fingerprints);
  media->fingerprints = sec_sdp_ptr_array_to_strv (fingerprints);
  media->ice_ufrag = g_strdup (ufrag);
  media->ice_pwd = g_strdup (pwd);
  if (level->has_setup)
    media->setup = level->setup;
  else if (session->has_setup)
    media->setup = session->setup;
  if (level->ice_options != NULL || session->ice_options != NULL) {
    g_strfreev (media->ice_options);
    media->ice_options = g_strdupv (
        level->ice_options != NULL ? level->ice_options : session->ice_options);
  }
  media->rtcp_mux = level->rtcp_mux;
  media->rtcp_mux_only = level->rtcp_mux_only;
  return check_setup (ctx, media, error);
}

/* A bundled m-line other than the tag takes the tag's transport (RFC
 * 8843 §7.1.3). In an answer what it says itself must agree with its
 * tag. An offer may give it a transport of its own (RFC 8843 §7.2.1: the
 * initial offer of a "balanced" peer, so that an answerer that does not
 * bundle can use each m-line alone): the answerer chooses, and since we
 * always accept BUNDLE, the tag's transport and fingerprint are the only
 * ones used; its own are not read. */
static gboolean
resolve_bundled (SecSdpCheckContext * ctx, SecSdpMedia * media,
    const SecSdpMedia * tag, GError ** error)
{
  SecSdpLevel *level = &ctx->levels[media->index];
  SecSdpLevel *session = &ctx->session;
  GPtrArray *fingerprints = level->fingerprints->len > 0
      ? level->fingerprints
      : session->fingerprints;
  const gchar *ufrag =
      level->ice_ufrag != NULL ? level->ice_ufrag : session->ice_ufrag;
  const gchar *pwd = level->ice_pwd != NULL ? level->ice_pwd : session->ice_pwd;
  gchar *tag_label = sec_sdp_media_label (tag);
  gboolean ok = FALSE;

  if (ctx->type == SEC_SDP_TYPE_OFFER)
    goto inherit;
  if (fingerprints->len > 0) {
    gchar **own = sec_sdp_ptr_array_to_strv (fingerprints);
    gboolean same = sec_sdp_strv_equal_as_sets (own, tag->fingerprints);

    if (!same)
      sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_BUNDLE,
          "it is bundled with %s but has another a=fingerprint (%s, not "
          "%s): bundled m-lines share one DTLS association",
          tag_label, own[0], tag->fingerprints[0]);
    g_strfreev (own);
    if (!same)
      goto done;
  }
  if ((ufrag != NULL && strcmp (ufrag, tag->ice_ufrag) != 0)
      || (pwd != NULL && strcmp (pwd, tag->ice_pwd) != 0)) {
    gchar *own_ufrag = sec_sdp_quote (ufrag != NULL ? ufrag : tag->ice_ufrag);
    gchar *tag_ufrag = sec_sdp_quote (tag->ice_ufrag);

    sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_BUNDLE,
        "it is bundled with %s but has other ICE credentials (a=ice-ufrag "
        "%s and %s%s): bundled m-lines share one ICE transport",
        tag_label, own_ufrag, tag_ufrag,
        strcmp (own_ufrag, tag_ufrag) == 0 ? ", a=ice-pwd differs" : "");
    g_free (own_ufrag);
    g_free (tag_ufrag);
    goto done;
  }
  if ((level->has_setup && level->setup != tag->setup)
      || (!level->has_setup && session->has_setup
          && session->setup != tag->setup)) {
    sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_BUNDLE,
        "it is bundled with %s but has another a=setup: bundled m-lines "
        "share one DTLS association",
        tag_label);
    goto done;
  }
  if (media->proto == SEC_SDP_PROTO_DTLS_SRTP && !level->rtcp_mux
      && !tag->rtcp_mux) {
    sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_NO_RTCP_MUX,
        "the m-line has no a=rtcp-mux: this side sends RTP and RTCP on one "
        "port only (RFC 8829 §5.1.1, RFC 5761)");
    goto done;
  }

inherit:
  g_strfreev (media->fingerprints);
  media->fingerprints = g_strdupv (tag->fingerprints);
  media->ice_ufrag = g_strdup (tag->ice_ufrag);
  media->ice_pwd = g_strdup (tag->ice_pwd);
  media->setup = tag->setup;
  g_strfreev (media->ice_options);
  media->ice_options = g_strdupv (
      level->ice_options != NULL ? level->ice_options : tag->ice_options);
  if (media->proto == SEC_SDP_PROTO_DTLS_SRTP) {
    media->rtcp_mux = TRUE;
    media->rtcp_mux_only = level->rtcp_mux_only || tag->rtcp_mux_only;
  }
  ok = TRUE;

done:
  g_free (tag_label);
  return ok;
}

/* What does not depend on the transport. */
static void
resolve_common (SecSdpCheckContext * ctx, SecSdpMedia * media)
{
  SecSdpLevel *level = &ctx->levels[media->index];

  media->direction = level->has_direction ? level->direction
      : ctx->session.has_direction        ? ctx->session.direction
                                          : SEC_SDP_DIRECTION_SENDRECV;
  media->ice_trickle =
      g_strv_contains ((const gchar *const *)media->ice_options, "trickle");
  media->end_of_candidates =
      level->end_of_candidates || ctx->session.end_of_candidates;
}

/* RFC 8285 §6: session-level extmaps apply to every m-line; RTP m-lines
 * only. */
static gboolean
merge_extmaps (SecSdpCheckContext * ctx, SecSdpMedia * media,
    GError ** error)
{
  GPtrArray *own = ctx->levels[media->index].extmaps;
  GPtrArray *all[2] = { own, ctx->session.extmaps };
  guint a, i, j;

  if (media->proto != SEC_SDP_PROTO_DTLS_SRTP)
    return TRUE;
  for (a = 0; a < 2; a++) {
    for (i = 0; i < all[a]->len; i++) {
      const SecSdpExtmap *extmap = g_ptr_array_index (all[a], i);
      SecSdpExtmap *copy;
      gboolean present = FALSE;

      for (j = 0; j < media->extmaps->len; j++) {
        const SecSdpExtmap *other = g_ptr_array_index (media->extmaps, j);

        if (other->id != extmap->id)
          continue;
        if (strcmp (other->uri, extmap->uri) != 0) {
          sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_INVALID,
              "a=extmap id %u is given at session level for another URI",
              extmap->id);
          return FALSE;
        }
        present = TRUE;
      }
      if (present)
        continue;
      copy = g_new0 (SecSdpExtmap, 1);
      copy->id = extmap->id;
      copy->direction = extmap->direction;
      copy->uri = g_strdup (extmap->uri);
      copy->attributes = g_strdup (extmap->attributes);
      g_ptr_array_add (media->extmaps, copy);
    }
  }
  return TRUE;
}

/* 6. Within one transport (one RTP session when bundled, RFC 8843): an
 * extmap id means one extension and an SSRC belongs to one m-line;
 * otherwise received packets could not be routed. */
static gboolean
check_transport_consistency (SecSdpDescription * description, GError ** error)
{
  /* "<transport index>:<ssrc>" -> SecSdpMedia, "<transport>:<id>" ->
   * SecSdpExtmap */
  GHashTable *ssrc_owner =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *extmap_owner =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean ok = TRUE;
  guint i, j;

  for (i = 0; i < description->media->len && ok; i++) {
    SecSdpMedia *media = g_ptr_array_index (description->media, i);

    if (media->rejected)
      continue;
    for (j = 0; j < media->ssrcs->len && ok; j++) {
      const SecSdpSsrc *ssrc = g_ptr_array_index (media->ssrcs, j);
      gchar *key =
          g_strdup_printf ("%u:%u", media->transport_index, ssrc->ssrc);
      SecSdpMedia *owner = g_hash_table_lookup (ssrc_owner, key);

      if (owner != NULL) {
        gchar *owner_label = sec_sdp_media_label (owner);

        sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_INVALID,
            "SSRC %u is declared by %s too: an SSRC names one stream of a "
            "transport (RFC 3550 §8)",
            ssrc->ssrc, owner_label);
        g_free (owner_label);
        g_free (key);
        ok = FALSE;
      } else {
        g_hash_table_insert (ssrc_owner, key, media);
      }
    }
    for (j = 0; j < media->extmaps->len && ok; j++) {
      const SecSdpExtmap *extmap = g_ptr_array_index (media->extmaps, j);
      gchar *key =
          g_strdup_printf ("%u:%u", media->transport_index, extmap->id);
      SecSdpExtmap *other = g_hash_table_lookup (extmap_owner, key);

      if (other != NULL && strcmp (other->uri, extmap->uri) != 0) {
        gchar *uri = sec_sdp_quote (extmap->uri),
              *other_uri = sec_sdp_quote (other->uri);

        sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_BUNDLE,
            "a=extmap id %u means %s here but %s on another m-line of the "
            "same transport: bundled m-lines share one RTP session "
            "(RFC 8843)",
            extmap->id, uri, other_uri);
        g_free (uri);
        g_free (other_uri);
        g_free (key);
        ok = FALSE;
      } else if (other == NULL) {
        g_hash_table_insert (extmap_owner, key, (gpointer)extmap);
      } else {
        g_free (key);
      }
    }
  }
  g_hash_table_unref (ssrc_owner);
  g_hash_table_unref (extmap_owner);
  return ok;
}

/* ------------------------------------------------------------------ */
/* 2. and the whole */

static gboolean
parse_session (
    SecSdpCheckContext * ctx, const GstSDPMessage * message, GError ** error)
{
  SecSdpDescription *description = ctx->description;
  const GstSDPOrigin *origin = gst_sdp_message_get_origin (message);
  guint64 number;
  guint i, n = gst_sdp_message_attributes_len (message);

  if (g_strcmp0 (gst_sdp_message_get_version (message), "0") != 0) {
    g_set_error_literal (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
        "not an SDP description: it must start with the line v=0");
    return FALSE;
  }
  /* RFC 8866 §5.2: sess-id and sess-version are numbers */
  if (origin == NULL
      || !sec_sdp_parse_uint_str (origin->sess_id, G_MAXUINT64, &number)
      || !sec_sdp_parse_uint_str (origin->sess_version, G_MAXUINT64, &number)) {
    g_set_error_literal (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
        "the o= line is missing or malformed: it must be o=<username> "
        "<session id> <session version> IN IP4|IP6 <address> with decimal "
        "session id and version (RFC 8866 §5.2)");
    return FALSE;
  }
  description->origin_session_id = g_strdup (origin->sess_id);
  description->origin_session_version = g_strdup (origin->sess_version);

  for (i = 0; i < n; i++) {
    const GstSDPAttribute *attribute =
        gst_sdp_message_get_attribute (message, i);
    const gchar *key = attribute->key,
                *value = attribute->value != NULL ? attribute->value : "";
    gboolean handled;

    if (key == NULL)
      continue;
    if (!sec_sdp_is_clean_text (key) || !sec_sdp_is_clean_text (value)) {
      g_set_error_literal (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
          "a session-level attribute is not valid UTF-8 text");
      return FALSE;
    }
    if (!sec_sdp_parse_level_attribute (
            ctx, NULL, &ctx->session, key, value, &handled, error))
      return FALSE;
    if (handled)
      continue;
    if (strcmp (key, "ice-lite") == 0) {
      description->ice_lite = TRUE;
    } else if (strcmp (key, "group") == 0) {
      gchar **fields = g_strsplit (value, " ", -1);
      guint j, k;

      /* a=group:<semantics> *(SP identification-tag) (RFC 5888 §5); only
       * BUNDLE matters here (RFC 8843 §7) */
      if (g_strcmp0 (fields[0], "BUNDLE") != 0 || fields[1] == NULL) {
        g_strfreev (fields);
        continue;
      }
      for (j = 1; fields[j] != NULL; j++) {
        gboolean bad = !sec_sdp_is_token (fields[j], MID_MAX_LENGTH);

        for (k = 1; k < j && !bad; k++)
          bad = strcmp (fields[k], fields[j]) == 0;
        if (bad) {
          gchar *quoted = sec_sdp_quote (fields[j]);

          g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_BUNDLE,
              "a=group:BUNDLE lists \"%s\" %s", quoted,
              sec_sdp_is_token (fields[j], MID_MAX_LENGTH)
                  ? "twice"
                  : "which is not a mid (1 to 64 token characters)");
          g_free (quoted);
          g_strfreev (fields);
          return FALSE;
        }
      }
      /* keep the mids only */
      g_free (fields[0]);
      memmove (fields, fields + 1, j * sizeof (gchar *));
      g_ptr_array_add (description->bundle_groups, fields);
    }
  }
  g_strfreev (description->fingerprints);
  description->fingerprints =
      sec_sdp_ptr_array_to_strv (ctx->session.fingerprints);
  return TRUE;
}

/* Which BUNDLE group lists @mid; -1 for none. */
static gint
find_group (SecSdpDescription * description, const gchar * mid)
{
  guint i;

  for (i = 0; mid != NULL && i < description->bundle_groups->len; i++) {
    if (g_strv_contains (
            g_ptr_array_index (description->bundle_groups, i), mid))
      return (gint)i;
  }
  return -1;
}

static gboolean
check_mids_and_groups (SecSdpDescription * description, GError ** error)
{
  GHashTable *mids = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean ok = TRUE;
  guint i, j;

  /* RFC 5888 §4: a mid names one m-line */
  for (i = 0; i < description->media->len && ok; i++) {
    SecSdpMedia *media = g_ptr_array_index (description->media, i);
    SecSdpMedia *other;

    if (media->mid == NULL)
      continue;
    other = g_hash_table_lookup (mids, media->mid);
    if (other != NULL) {
      sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_MID,
          "m-line %u has the same a=mid; each m-line needs its own "
          "(RFC 5888 §4)",
          other->index);
      ok = FALSE;
    }
    g_hash_table_insert (mids, media->mid, media);
  }

  /* RFC 8843 §7: each mid of a group names an m-line, in one group */
  for (i = 0; i < description->bundle_groups->len && ok; i++) {
    gchar **group = g_ptr_array_index (description->bundle_groups, i);

    for (j = 0; group[j] != NULL && ok; j++) {
      gchar *quoted = sec_sdp_quote (group[j]);

      if (!g_hash_table_contains (mids, group[j])) {
        g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_BUNDLE,
            "a=group:BUNDLE lists the mid %s, which no m-line has", quoted);
        ok = FALSE;
      } else if (find_group (description, group[j]) != (gint)i) {
        g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_BUNDLE,
            "the mid %s is in two BUNDLE groups (RFC 8843 §7)", quoted);
        ok = FALSE;
      }
      g_free (quoted);
    }
  }
  g_hash_table_unref (mids);
  return ok;
}

SecSdpDescription *
sec_sdp_check_message (
    const GstSDPMessage * message, SecSdpType type, GError ** error)
{
  SecSdpCheckContext ctx = {
    0,
  };
  SecSdpDescription *description;
  guint i, n_media;
  gboolean ok = FALSE;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (
      type == SEC_SDP_TYPE_OFFER || type == SEC_SDP_TYPE_ANSWER, NULL);

  n_media = gst_sdp_message_medias_len (message);
  description = g_new0 (SecSdpDescription, 1);
  description->type = type;
  description->fingerprints = g_new0 (gchar *, 1);
  description->bundle_groups =
      g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  description->media = g_ptr_array_new_with_free_func (sec_sdp_media_free);
  ctx.type = type;
  ctx.description = description;
  sec_sdp_level_init (&ctx.session);
  ctx.levels = g_new0 (SecSdpLevel, n_media);
  ctx.wildcard_fb =
      g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  for (i = 0; i < n_media; i++) {
    sec_sdp_level_init (&ctx.levels[i]);
    g_ptr_array_add (ctx.wildcard_fb, g_ptr_array_new_with_free_func (g_free));
  }

  /* 2. the session level */
  if (!parse_session (&ctx, message, error))
    goto done;

  /* 3. each m-line's identity, mids and groups, what is rejected */
  for (i = 0; i < n_media; i++) {
    SecSdpMedia *media =
        media_from_sdp (gst_sdp_message_get_media (message, i), i, error);

    if (media == NULL)
      goto done;
    g_ptr_array_add (description->media, media);
  }
  if (!check_mids_and_groups (description, error))
    goto done;
  for (i = 0; i < n_media; i++) {
    SecSdpMedia *media = g_ptr_array_index (description->media, i);

    /* RFC 8843 §6: port 0 with a=bundle-only in a group is bundled */
    media->rejected = media->port == 0
        && !(media->bundle_only && find_group (description, media->mid) >= 0);
  }

  /* 4. each m-line that is not rejected */
  for (i = 0; i < n_media; i++) {
    SecSdpMedia *media = g_ptr_array_index (description->media, i);

    if (media->rejected)
      continue;
    if (!check_profile (media, error))
      goto done;
    if (media->mid == NULL) {
      sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_MID,
          "the m-line has no a=mid: unified plan and BUNDLE identify "
          "m-lines by mid (RFC 8829 §5.2.1, RFC 8843)");
      goto done;
    }
    if (!sec_sdp_parse_media_attributes (
            &ctx, gst_sdp_message_get_media (message, i), media, error))
      goto done;
  }

  /* BUNDLE membership: the tag is the first mid of the group (RFC 8843
   * §7.2); mids of rejected m-lines are left out */
  for (i = 0; i < description->bundle_groups->len; i++) {
    gchar **group = g_ptr_array_index (description->bundle_groups, i);
    const SecSdpMedia *tag =
        sec_sdp_description_find_mid (description, group[0]);
    guint j;

    if (tag->rejected) {
      gchar *label = sec_sdp_media_label (tag);

      g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_BUNDLE,
          "the first mid of a=group:BUNDLE (its tag, RFC 8843 §7.2) names "
          "%s, which is rejected (port 0)",
          label);
      g_free (label);
      goto done;
    }
    for (j = 0; group[j] != NULL; j++) {
      SecSdpMedia *media =
          (SecSdpMedia *)sec_sdp_description_find_mid (description, group[j]);

      if (media->rejected)
        continue;
      media->bundle_group = (gint)i;
      media->transport_index = tag->index;
    }
  }

  /* 5. the transports: owners first (a tag may come after the m-lines it
   * carries), then the bundled m-lines */
  for (i = 0; i < n_media; i++) {
    SecSdpMedia *media = g_ptr_array_index (description->media, i);

    if (!media->rejected && media->transport_index == i
        && !resolve_owner (&ctx, media, error))
      goto done;
  }
  for (i = 0; i < n_media; i++) {
    SecSdpMedia *media = g_ptr_array_index (description->media, i);

    if (media->rejected)
      continue;
    if (media->transport_index != i
        && !resolve_bundled (&ctx, media,
            g_ptr_array_index (description->media, media->transport_index),
            error))
      goto done;
    resolve_common (&ctx, media);
    if (!merge_extmaps (&ctx, media, error))
      goto done;
  }

  /* 6. */
  ok = check_transport_consistency (description, error);

done:
  sec_sdp_level_clear (&ctx.session);
  for (i = 0; i < n_media; i++)
    sec_sdp_level_clear (&ctx.levels[i]);
  g_free (ctx.levels);
  g_ptr_array_unref (ctx.wildcard_fb);
  if (!ok) {
    sec_sdp_description_free (description);
    return NULL;
  }
  return description;
}

SecSdpDescription *
sec_sdp_check (
    const gchar * text, gssize length, SecSdpType type, GError ** error)
{
  GstSDPMessage *message;
  SecSdpDescription *description;
  gchar *copy;
  guint n_media;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (text);
  /* 1. the text */
  if (!scan_lines (text, (gsize)length, &n_media, error))
    return NULL;

  /* GStreamer 1.22's parser reads up to a NUL whatever the size it is
   * given: always give it a terminated copy */
  copy = g_strndup (text, length);
  gst_sdp_message_new (&message);
  if (gst_sdp_message_parse_buffer (
          (const guint8 *)copy, (guint)length, message)
          != GST_SDP_OK
      || gst_sdp_message_medias_len (message) != n_media) {
    g_set_error_literal (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID,
        "the description could not be parsed as SDP");
    description = NULL;
  } else {
    description = sec_sdp_check_message (message, type, error);
  }
  gst_sdp_message_free (message);
  g_free (copy);
  return description;
}

/* ------------------------------------------------------------------ */
/* Renegotiation */

gboolean
sec_sdp_check_renegotiation (const SecSdpDescription * previous,
    const SecSdpDescription * next, GArray ** changes, GError ** error)
{
  GArray *flags;
  guint i;

  g_return_val_if_fail (previous != NULL, FALSE);
  g_return_val_if_fail (next != NULL, FALSE);

  /* RFC 8829 §5.2.2, §5.3.1: m-lines are never removed, and keep their
   * place, their media and their mid; only a rejected one may be reused */
  if (next->media->len < previous->media->len) {
    g_set_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_RENEGOTIATION,
        "the new description has %u m-lines, the previous one had %u: "
        "m-lines cannot be removed in a renegotiation, only rejected "
        "(port 0) (RFC 8829 §5.2.2)",
        next->media->len, previous->media->len);
    return FALSE;
  }

  flags = g_array_new (FALSE, TRUE, sizeof (guint));
  g_array_set_size (flags, next->media->len);
  for (i = 0; i < next->media->len; i++) {
    const SecSdpMedia *media = g_ptr_array_index (next->media, i);
    const SecSdpMedia *before = i < previous->media->len
        ? g_ptr_array_index (previous->media, i)
        : NULL;
    guint *flag = &g_array_index (flags, guint, i);

    if (before == NULL || before->rejected) {
      if (!media->rejected)
        *flag |= SEC_SDP_CHANGE_NEW_MLINE;
      continue;
    }
    if (strcmp (media->media, before->media) != 0
        || g_strcmp0 (media->mid, before->mid) != 0) {
      gchar *old_media = sec_sdp_quote (before->media);
      gchar *old_mid = sec_sdp_quote (before->mid);

      sec_sdp_set_media_error (error, media, SEC_SDP_ERROR_RENEGOTIATION,
          "it was %s with mid %s before: an m-line keeps its media and "
          "mid in a renegotiation (RFC 8829 §5.2.2)",
          old_media, old_mid);
      g_free (old_media);
      g_free (old_mid);
      g_array_unref (flags);
      return FALSE;
    }
    if (media->rejected)
      *flag |= SEC_SDP_CHANGE_STOPPED;
  }

  /* the transports: a transport continues when its owner owned one at
   * the same index before; without an ICE restart its DTLS association
   * continues, and so must the peer's certificate */
  for (i = 0; i < next->media->len; i++) {
    const SecSdpMedia *owner = g_ptr_array_index (next->media, i);
    const SecSdpMedia *before = i < previous->media->len
        ? g_ptr_array_index (previous->media, i)
        : NULL;
    guint transport_flags = 0, j;

    if (owner->rejected || owner->transport_index != i)
      continue;
    if (before == NULL || before->rejected || before->transport_index != i
        || (g_array_index (flags, guint, i) & SEC_SDP_CHANGE_NEW_MLINE)) {
      transport_flags = SEC_SDP_CHANGE_NEW_DTLS;
    } else {
      gboolean ice_restart = strcmp (owner->ice_ufrag, before->ice_ufrag) != 0
          || strcmp (owner->ice_pwd, before->ice_pwd) != 0;
      gboolean new_certificate = !sec_sdp_strv_equal_as_sets (
          owner->fingerprints, before->fingerprints);

      if (new_certificate && !ice_restart) {
        sec_sdp_set_media_error (error, owner,
            SEC_SDP_ERROR_FINGERPRINT_CHANGED,
            "the peer's fingerprint changed from %s to %s without an ICE "
            "restart: its DTLS association continues, and the certificate "
            "of a peer cannot change inside one (RFC 8842 §5); the peer "
            "must restart ICE (new a=ice-ufrag and a=ice-pwd) to use a new "
            "certificate",
            before->fingerprints[0], owner->fingerprints[0]);
        g_array_unref (flags);
        return FALSE;
      }
      if (ice_restart)
        transport_flags |= SEC_SDP_CHANGE_ICE_RESTART;
      if (new_certificate)
        transport_flags |= SEC_SDP_CHANGE_NEW_DTLS;
    }
    for (j = 0; j < next->media->len; j++) {
      const SecSdpMedia *media = g_ptr_array_index (next->media, j);

      if (!media->rejected && media->transport_index == i)
        g_array_index (flags, guint, j) |= transport_flags;
    }
  }

  if (changes != NULL)
    *changes = flags;
  else
    g_array_unref (flags);
  return TRUE;
}
