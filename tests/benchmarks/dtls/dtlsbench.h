/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the parts of the DTLS benchmark share: the variants, the
 * environment check and the certificates; what it shares with the SRTP
 * benchmark (the clock, child processes) is in benchcommon.h.
 * dtlsbench.c runs every variant in a child process of its own and
 * prints the table; dtlsbench-handshake.c times handshakes through a
 * pair of associations, dtlsbench-certificate.c times certificate
 * creation and makes the PEM certificates the handshakes use.
 */
#ifndef DTLS_BENCH_H
#define DTLS_BENCH_H

#include "benchcommon.h"

G_BEGIN_DECLS

typedef enum
{
  BENCH_IMPL_NONE,              /* no plugin at all (our plain-C core) */
  BENCH_IMPL_BAD,               /* gst-plugins-bad's dtls plugin */
  BENCH_IMPL_OURS,              /* our secdtls plugin */
} BenchImpl;

typedef enum
{
  BENCH_KEY_RSA,                /* RSA-2048 */
  BENCH_KEY_EC,                 /* ECDSA P-256 */
} BenchKeyType;

typedef enum
{
  /* handshake to SRTP keys, a pair of associations in one pipeline */
  BENCH_HS_BAD_RSA,             /* dtlsenc/dtlsdec, RSA-2048 PEM */
  BENCH_HS_BAD_EC,              /* dtlsenc/dtlsdec, ECDSA P-256 PEM */
  BENCH_HS_OURS_EC,             /* secdtls*, default certificate */
  BENCH_HS_OURS_RSA,            /* secdtls*, RSA-2048 PEM */
  /* making a default certificate */
  BENCH_CERT_BAD,               /* g_object_new (GstDtlsCertificate) */
  BENCH_CERT_OURS_CORE,         /* sec_dtls_certificate_new () */
  BENCH_CERT_OURS_ELEMENT,      /* secdtlsdec connection-id, fingerprint */
  BENCH_N_VARIANTS
} BenchVariant;

/* How long one handshake may take before the benchmark calls it failed. */
#define BENCH_HANDSHAKE_TIMEOUT_S 10

/* The environment check of docs/design/overview.md
 * (sec_bench_check_factories ()): the elements of @impl come from the
 * plugin file they must come from, and the other implementation's
 * elements are not in this process's registry. Prints what is wrong on
 * stderr. */
gboolean bench_check_factories (BenchImpl impl);

/* A fresh self-signed certificate and its private key as PEM text
 * (g_free), and in @fingerprint its "sha-256 AB:..." (g_free); NULL
 * with a message on stderr on failure. */
gchar *bench_make_pem (BenchKeyType type, gchar ** fingerprint);

/* The child's work: run @count timed measurements of @variant after an
 * untimed warm-up, append each to @samples_ns (gdouble nanoseconds) and
 * describe what was measured in @info (negotiated parameters, key type).
 * FALSE, with the reason on stderr, when a handshake failed or the
 * environment is wrong; timing never fails. */
gboolean bench_handshake_run (BenchVariant variant, guint count,
    GArray * samples_ns, GString * info);
gboolean bench_certificate_run (BenchVariant variant, guint count,
    GArray * samples_ns, GString * info);

G_END_DECLS

#endif /* DTLS_BENCH_H */
