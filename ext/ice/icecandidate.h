/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ICE candidate attributes as trickle ICE and SDP carry them
 * (RFC 8839 §5.1, RFC 8445 §5.1, RFC 6544 §4.5 for ICE-TCP):
 *
 *   candidate:<foundation> <component> <transport> <priority>
 *     <address> <port> typ <type> [raddr <addr> rport <port>]
 *     [tcptype active|passive|so] *(<extension-name> <extension-value>)
 *
 * Plain C over GLib; parsing is bounds-checked and never trusts lengths.
 */
#ifndef SEC_ICE_CANDIDATE_H
#define SEC_ICE_CANDIDATE_H

#include <glib.h>

G_BEGIN_DECLS

#define SEC_ICE_ERROR (sec_ice_error_quark ())

typedef enum
{
  SEC_ICE_ERROR_INVALID,        /* malformed input */
  SEC_ICE_ERROR_UNSUPPORTED,    /* well formed but not something we take */
  SEC_ICE_ERROR_RESOLVE,        /* a host name did not resolve */
  SEC_ICE_ERROR_FAILED,
} SecIceError;

GQuark sec_ice_error_quark (void);

typedef enum
{
  SEC_ICE_CANDIDATE_HOST,
  SEC_ICE_CANDIDATE_SRFLX,
  SEC_ICE_CANDIDATE_PRFLX,
  SEC_ICE_CANDIDATE_RELAY,
} SecIceCandidateType;

typedef enum
{
  SEC_ICE_TRANSPORT_UDP,
  SEC_ICE_TRANSPORT_TCP,
} SecIceTransportProtocol;

typedef enum
{
  SEC_ICE_TCP_NONE,             /* UDP */
  SEC_ICE_TCP_ACTIVE,
  SEC_ICE_TCP_PASSIVE,
  SEC_ICE_TCP_SO,
} SecIceTcpType;

#define SEC_ICE_FOUNDATION_MAX 32       /* RFC 8445 §5.1.1.3: 1*32ice-char */

typedef struct
{
  gchar foundation[SEC_ICE_FOUNDATION_MAX + 1];
  guint component;              /* 1..256 */
  SecIceTransportProtocol transport;
  guint32 priority;
  gchar address[64];            /* IPv4, IPv6 (no brackets) or an mDNS/FQDN name */
  guint16 port;                 /* 0 allowed only for TCP active */
  SecIceCandidateType type;
  gboolean has_related;
  gchar related_address[64];
  guint16 related_port;
  SecIceTcpType tcp_type;
} SecIceCandidate;

/* Parses a candidate attribute value; a leading "a=" and "candidate:"
 * are accepted (the "candidate:" prefix is required). Unknown extension
 * name/value pairs are skipped (RFC 8839 §5.1); anything else malformed
 * fails with SEC_ICE_ERROR_INVALID and a message naming the field. A
 * well-formed candidate with a transport other than UDP/TCP or a type
 * other than host/srflx/prflx/relay (both are tokens in the grammar)
 * fails with SEC_ICE_ERROR_UNSUPPORTED. @candidate is written only on
 * success. */
gboolean sec_ice_candidate_parse (const gchar * text,
    SecIceCandidate * candidate, GError ** error);

/* "candidate:..." without "a=", canonical field order; g_free. */
gchar *sec_ice_candidate_to_string (const SecIceCandidate * candidate);

/* "host", "srflx", "prflx", "relay" */
const gchar *sec_ice_candidate_type_name (SecIceCandidateType type);

/* TRUE if the two candidates have the same fields (extensions are not
 * kept, so they do not count). */
gboolean sec_ice_candidate_equal (const SecIceCandidate * a,
    const SecIceCandidate * b);

/* TRUE if @address is an IPv4 or IPv6 literal (no brackets, no zone
 * index such as "%eth0": it would name an interface of the peer). */
gboolean sec_ice_address_is_ip (const gchar * address);

/* TRUE if @address is an IP literal (see sec_ice_address_is_ip()) or a
 * DNS host name: dot-separated labels of 1..63 letters, digits and
 * hyphens, no hyphen at either end of a label (RFC 1123 §2.1), at most
 * 253 characters in all. A name of digits and dots only must be an IPv4
 * address. Covers mDNS candidate names ("<uuid>.local") and STUN/TURN
 * server hosts. */
gboolean sec_ice_address_is_valid (const gchar * address);

/* Shared by the ICE parsers (not for other code). */

/* The escaped, shortened form of untrusted text for an error message:
 * printable ASCII as is (but for '\\' and '\''), any other byte as
 * "\\xNN", and "..." when it was cut at 40 bytes. g_free. */
G_GNUC_INTERNAL gchar *sec_ice_quote_untrusted (const gchar * text,
    gsize len);

/* Sets a SEC_ICE_ERROR_INVALID error. */
G_GNUC_INTERNAL void sec_ice_set_invalid (GError ** error,
    const gchar * format, ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS

#endif
