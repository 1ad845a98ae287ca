/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The short authentication string (SAS) of a DTLS association: words two
 * people read to each other to find out whether a man in the middle
 * terminates their DTLS (docs/security.md, "Short authentication
 * string").
 *
 * Both ends derive the same bytes from the association's master secret
 * with the RFC 5705 exporter under a label of ours; an attacker who
 * controls signaling and terminates DTLS with each victim holds two
 * associations with two master secrets, so the victims see two strings
 * that match only by chance (2^-44), whatever fingerprints signaling
 * carried. The first 44 bits make four words of 11 bits each from a
 * fixed public list of 2048 (BIP-39's English list, dtlssaswords.c).
 */
#ifndef SEC_DTLS_SAS_H
#define SEC_DTLS_SAS_H

#include <glib.h>

G_BEGIN_DECLS

#define SEC_DTLS_SAS_WORD_COUNT 2048
#define SEC_DTLS_SAS_BITS_PER_WORD 11
#define SEC_DTLS_SAS_WORDS 4
#define SEC_DTLS_SAS_BITS (SEC_DTLS_SAS_WORDS * SEC_DTLS_SAS_BITS_PER_WORD)
/* bytes asked of the exporter: the 44 bits, rounded up */
#define SEC_DTLS_SAS_EXPORT_LEN 6
/* RFC 5705 §6: labels beginning with "EXPERIMENTAL" are for private use
 * without registration */
#define SEC_DTLS_SAS_EXPORTER_LABEL "EXPERIMENTAL gst-secwebrtc SAS"

extern const gchar *const sec_dtls_sas_words[SEC_DTLS_SAS_WORD_COUNT];

/* The words of the first 44 bits of @bytes (@len at least
 * SEC_DTLS_SAS_EXPORT_LEN), most significant bit first, separated by
 * single spaces: "shove upper canoe zebra". NULL when @len is short.
 * g_free. */
gchar *sec_dtls_sas_from_bytes (const guint8 * bytes, gsize len);

G_END_DECLS

#endif /* SEC_DTLS_SAS_H */
