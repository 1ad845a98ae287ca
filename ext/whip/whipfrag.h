/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Trickle ICE SDP fragments (RFC 8840 §9, media type
 * application/trickle-ice-sdpfrag), the body of a WHIP/WHEP PATCH (RFC
 * 9725 §4.3): the ICE credentials, then per m-line its mid and the
 * candidates gathered since, or an end-of-candidates:
 *
 *   a=ice-ufrag:EsAw
 *   a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1
 *   m=audio 9 UDP/TLS/RTP/SAVPF 0
 *   a=mid:0
 *   a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host
 *   a=end-of-candidates
 *
 * Parsed (a client's PATCH, on the server; a server's answer to one, on
 * the client) and built (the client's PATCH). The m= line of a fragment
 * only opens a media section: what counts is its mid. Plain C over GLib,
 * bounds-checked and fuzzed (tests/fuzz/fuzz-whip-frag.c): the text
 * comes from the network. Error messages never quote the ICE password.
 */
#ifndef SEC_WHIP_FRAG_H
#define SEC_WHIP_FRAG_H

#include <glib.h>

G_BEGIN_DECLS

#define SEC_WHIP_FRAG_ERROR (sec_whip_frag_error_quark ())
GQuark sec_whip_frag_error_quark (void);

typedef enum
{
  SEC_WHIP_FRAG_ERROR_SYNTAX,   /* not a fragment */
  SEC_WHIP_FRAG_ERROR_TOO_LARGE,        /* over a limit below */
} SecWhipFragError;

/* What one fragment may hold: a client trickles a handful at a time. */
#define SEC_WHIP_FRAG_MAX_LENGTH (64 * 1024)
#define SEC_WHIP_FRAG_MAX_MEDIA 64
#define SEC_WHIP_FRAG_MAX_CANDIDATES 256

typedef struct
{
  gchar *mid;                   /* NULL when the section has no a=mid */
  gchar *kind;                  /* of its m= line: "audio", "video", ... */
  GPtrArray *candidates;        /* gchar *, "candidate:...", checked */
  gboolean end_of_candidates;
} SecWhipFragMedia;

typedef struct
{
  gchar *ice_ufrag;             /* NULL when absent */
  gchar *ice_pwd;               /* NULL when absent; never logged */
  /* a=end-of-candidates at session level: for every m-line */
  gboolean end_of_candidates;
  GPtrArray *media;             /* SecWhipFragMedia, in order */
} SecWhipFrag;

/* An empty fragment with these credentials (either may be NULL), for
 * building. */
SecWhipFrag *sec_whip_frag_new (const gchar * ice_ufrag,
    const gchar * ice_pwd);
/* Frees @frag, its ICE password zeroed first. */
void sec_whip_frag_free (SecWhipFrag * frag);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecWhipFrag, sec_whip_frag_free)

/* Appends a media section for the m-line of @kind ("audio", "video" or
 * "application") and @mid; returns it (owned by @frag). */
SecWhipFragMedia *sec_whip_frag_add_media (SecWhipFrag * frag,
    const gchar * kind, const gchar * mid);

/* Adds a candidate ("candidate:..." or "a=candidate:...") to @media;
 * FALSE with ext/ice's error if it is not one. */
gboolean sec_whip_frag_media_add_candidate (SecWhipFragMedia * media,
    const gchar * candidate, GError ** error);

/* The fragment's text, CRLF line ends (g_free; it holds the password:
 * free it with sec_ice_secret_free ()). */
gchar *sec_whip_frag_to_string (const SecWhipFrag * frag);

/* Parses @len bytes of a fragment (LF or CRLF line ends). Fails with
 * SEC_WHIP_FRAG_ERROR_SYNTAX naming the line for a line other than a= or
 * m=, a candidate before any m= line or malformed (ext/ice's parser), a
 * second a=mid in a section, ICE credentials that are malformed (RFC
 * 8839 §5.4) or that differ between session and media level, text that
 * is not UTF-8 or holds a NUL; with SEC_WHIP_FRAG_ERROR_TOO_LARGE over
 * a limit above. Other a= lines are ignored (RFC 8840 §9: the receiver
 * takes what it knows). */
SecWhipFrag *sec_whip_frag_parse (const gchar * text, gsize len,
    GError ** error);

G_END_DECLS

#endif /* SEC_WHIP_FRAG_H */
