/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the parts of the SRTP benchmark share: the packet stream, the
 * profiles and the variants. srtpbench.c runs every variant in a child
 * process of its own (libsrtp2's crypto kernel is process-global) and
 * prints the table; srtpbench-raw.c drives libsrtp2 directly (variants
 * a and b), srtpbench-elements.c drives a pair of elements (c and d).
 */
#ifndef SRTP_BENCH_H
#define SRTP_BENCH_H

#include "benchcommon.h"

G_BEGIN_DECLS

/* One RTP packet as a video payloader would send it: 12-byte header and
 * payload, 1200 bytes in all (the usual WebRTC MTU budget). */
#define BENCH_PACKET_SIZE 1200
#define BENCH_HEADER_SIZE 12
#define BENCH_SSRC 0x5ec5ec01u
#define BENCH_PAYLOAD_TYPE 96
/* Packets per buffer list in list mode. */
#define BENCH_LIST_LEN 32

typedef enum
{
  BENCH_PROFILE_CM,             /* SRTP_AES128_CM_HMAC_SHA1_80 */
  BENCH_PROFILE_GCM,            /* SRTP_AEAD_AES_128_GCM */
} BenchProfile;

typedef enum
{
  BENCH_MODE_SINGLE,            /* one buffer per push */
  BENCH_MODE_LIST,              /* buffer lists of BENCH_LIST_LEN */
} BenchMode;

typedef enum
{
  BENCH_VARIANT_RAW_BUILTIN,    /* a: libsrtp2 alone, its own crypto */
  BENCH_VARIANT_RAW_OPENSSL,    /* b: libsrtp2 with our OpenSSL crypto */
  BENCH_VARIANT_BAD,            /* c: gst-plugins-bad srtpenc ! srtpdec */
  BENCH_VARIANT_OURS,           /* d: secsrtpenc ! secsrtpdec */
  BENCH_N_VARIANTS
} BenchVariant;

/* One variant set up in a child process: process() pushes @n packets
 * (a multiple of BENCH_LIST_LEN in list mode) through protect and
 * unprotect, continuing the sequence numbers of the previous call, and
 * returns how many came out intact; -1 on a hard failure. */
typedef struct _BenchRunner BenchRunner;
struct _BenchRunner
{
  gint64 (*process) (BenchRunner * runner, guint n);
  void (*free) (BenchRunner * runner);
  /* what did the crypto ("libsrtp2", "openssl", "mixed") */
  const gchar *crypto_backend;
};

/* The master key and salt of @profile (30 or 28 bytes), deterministic. */
const guint8 *bench_profile_key (BenchProfile profile, gsize * key_len);
/* Bytes srtp_protect () adds for @profile: 10 (CM) or 16 (GCM). */
guint bench_profile_tag_len (BenchProfile profile);

/* Writes the RTP header (sequence number @seq, timestamp from @seq,
 * fixed SSRC) and a payload pattern from @seq into @data, which holds
 * BENCH_PACKET_SIZE bytes. */
void bench_packet_fill (guint8 * data, guint16 seq);
/* TRUE if @data of @len bytes is the packet bench_packet_fill () wrote
 * for @seq, after protect and unprotect. */
gboolean bench_packet_check (const guint8 * data, gsize len, guint16 seq);

/* Set up a variant in this process, or NULL with a message on stderr.
 * The raw variants need gst_init () only for buffer allocation. With
 * @allocation_query the element variants allocate packets with the
 * parameters the encoder answers to an allocation query (secsrtpenc asks
 * for room for the tag); by default they use gst_buffer_new_allocate
 * (NULL, 1200, NULL), a plain allocation with no room after the packet
 * (the benchmark's definition). */
BenchRunner *bench_raw_runner_new (BenchVariant variant,
    BenchProfile profile, BenchMode mode);
BenchRunner *bench_element_runner_new (BenchVariant variant,
    BenchProfile profile, BenchMode mode, gboolean allocation_query);

G_END_DECLS

#endif /* SRTP_BENCH_H */
