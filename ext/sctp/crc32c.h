/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CRC32c of SCTP packets (RFC 9260 §6.8 and Appendix A), written by
 * us into every packet usrsctp hands us: usrsctp runs with its checksum
 * "offloaded" (it neither writes nor checks one), because every packet
 * we receive came out of an authenticated DTLS record, and the ones we
 * send still need a correct checksum for the peer. With SSE4.2 the
 * processor's crc32 instruction computes it (about 8 bytes a cycle);
 * without, a table (a byte at a time).
 */
#ifndef SEC_SCTP_CRC32C_H
#define SEC_SCTP_CRC32C_H

#include <glib.h>

G_BEGIN_DECLS

/* The CRC32c of @len bytes (RFC 3720 §B.4's check values). */
guint32 sec_sctp_crc32c (const guint8 * data, gsize len);

/* Writes the checksum of an SCTP packet of @len bytes (at least the
 * 12-byte common header) into its bytes 8 to 11, as RFC 9260 Appendix A
 * places it. */
void sec_sctp_packet_set_checksum (guint8 * packet, gsize len);

/* TRUE when the processor's instruction computes it. */
gboolean sec_sctp_crc32c_hardware (void);

/* The table version, whatever the processor (for the tests). */
guint32 sec_sctp_crc32c_table (const guint8 * data, gsize len);

G_END_DECLS

#endif /* SEC_SCTP_CRC32C_H */
