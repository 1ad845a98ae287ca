/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecSrtpSession: one libsrtp2 session for one direction, with the
 * bookkeeping the elements expose (per-SSRC counters, key lifetime).
 * Plain C over GLib and libsrtp2: no pads, no clock, no locking (the
 * caller serialises access), no logging of key material.
 *
 * Keys are single-use. A SecSrtpKeyHistory remembers, as keyed digests,
 * every master key and salt put into a session; a key it holds is
 * refused unless it is the live key of that scope again, which changes
 * nothing. An element shares one history among the sessions of its
 * life, so a restart cannot bring an old key back.
 */
#ifndef SEC_SRTP_SESSION_H
#define SEC_SRTP_SESSION_H

#include <glib.h>
#include "srtpprofile.h"

G_BEGIN_DECLS

typedef enum
{
  SEC_SRTP_DIRECTION_PROTECT,
  SEC_SRTP_DIRECTION_UNPROTECT,
} SecSrtpDirection;

typedef enum
{
  SEC_SRTP_RESULT_OK,
  SEC_SRTP_RESULT_MALFORMED,    /* not an RTP/RTCP packet we can parse */
  SEC_SRTP_RESULT_AUTH_FAILED,  /* authentication tag does not verify */
  SEC_SRTP_RESULT_REPLAYED,     /* index already seen or too old */
  SEC_SRTP_RESULT_NO_KEY,       /* no key for this SSRC */
  SEC_SRTP_RESULT_KEY_EXPIRED,  /* key lifetime reached (RFC 3711 §9.2) */
  SEC_SRTP_RESULT_NO_ROOM,      /* protect: buffer cannot hold the tag */
  SEC_SRTP_RESULT_FAILED,       /* any other libsrtp2 failure */
} SecSrtpResult;

/* Events a call may report, to be signalled by the caller once its
 * locks are released. Each fires once per key. */
typedef enum
{
  SEC_SRTP_EVENT_NONE = 0,
  SEC_SRTP_EVENT_SOFT_LIMIT = 1 << 0,
  SEC_SRTP_EVENT_HARD_LIMIT = 1 << 1,
} SecSrtpEvents;

/* What a key change did. REFUSED is 0 so that the result reads as a
 * gboolean success. */
typedef enum
{
  SEC_SRTP_KEY_REFUSED = 0,     /* @error says why; the scope has no key now */
  SEC_SRTP_KEY_APPLIED,         /* a new key is live (or the key was cleared) */
  SEC_SRTP_KEY_UNCHANGED,       /* the live key again: context, index, replay
                                 * database and lifetime carry on */
} SecSrtpKeyChange;

#define SEC_SRTP_SESSION_ERROR (sec_srtp_session_error_quark ())

/* Errors of key changes besides SEC_SRTP_PROFILE_ERROR (key length,
 * libsrtp2 failures). */
typedef enum
{
  SEC_SRTP_SESSION_ERROR_KEY_REUSED,    /* the key was used before */
  SEC_SRTP_SESSION_ERROR_NO_DIGEST,     /* used keys cannot be remembered */
} SecSrtpSessionError;

typedef struct
{
  guint32 ssrc;
  guint64 rtp_packets;          /* protected or authenticated+decrypted */
  guint64 rtcp_packets;
  guint64 bytes;                /* payload bytes in (protect) or out */
  guint64 auth_failures;
  guint64 replays_dropped;
} SecSrtpStreamStats;

typedef struct
{
  guint64 packets;              /* all packets processed successfully */
  guint64 malformed;
  guint64 no_key;
  guint64 key_expired;
  guint64 auth_failures;        /* includes SSRCs never authenticated */
  guint64 replays_dropped;
  guint64 other_failures;
} SecSrtpSessionCounters;

/* RFC 3711 §9.2: at most 2^48 SRTP and 2^31 SRTCP packets per key. */
#define SEC_SRTP_MAX_KEY_LIFETIME_RTP (G_GUINT64_CONSTANT (1) << 48)
#define SEC_SRTP_MAX_KEY_LIFETIME_RTCP (G_GUINT64_CONSTANT (1) << 31)
#define SEC_SRTP_DEFAULT_REPLAY_WINDOW 1024
#define SEC_SRTP_MIN_REPLAY_WINDOW 64
#define SEC_SRTP_MAX_REPLAY_WINDOW 32767

typedef struct _SecSrtpSession SecSrtpSession;
typedef struct _SecSrtpKeyHistory SecSrtpKeyHistory;
typedef void (*SecSrtpStreamFunc) (const SecSrtpStreamStats * stats,
    gpointer user_data);

G_GNUC_INTERNAL gboolean sec_srtp_library_init (void);
G_GNUC_INTERNAL GQuark sec_srtp_session_error_quark (void);

G_GNUC_INTERNAL SecSrtpKeyHistory *sec_srtp_key_history_new (void);
G_GNUC_INTERNAL SecSrtpKeyHistory *sec_srtp_key_history_ref (SecSrtpKeyHistory *
    history);
G_GNUC_INTERNAL void sec_srtp_key_history_unref (SecSrtpKeyHistory * history);

G_GNUC_INTERNAL SecSrtpSession *sec_srtp_session_new (SecSrtpDirection direction);
G_GNUC_INTERNAL void sec_srtp_session_free (SecSrtpSession * session);

G_GNUC_INTERNAL void sec_srtp_session_set_replay_window (SecSrtpSession * session,
    guint window);
G_GNUC_INTERNAL void sec_srtp_session_set_key_lifetime (SecSrtpSession * session,
    guint64 packets);

G_GNUC_INTERNAL void sec_srtp_session_set_key_history (SecSrtpSession * session,
    SecSrtpKeyHistory * history);
G_GNUC_INTERNAL SecSrtpKeyChange sec_srtp_session_set_key (SecSrtpSession *
    session, SecSrtpProfile profile, const guint8 * key, gsize key_len,
    GError ** error);
G_GNUC_INTERNAL SecSrtpKeyChange
sec_srtp_session_set_stream_key (SecSrtpSession * session, guint32 ssrc,
    SecSrtpProfile profile, const guint8 * key, gsize key_len,
    gboolean set_roc, guint32 roc, GError ** error);
G_GNUC_INTERNAL void sec_srtp_session_clear_keys (SecSrtpSession * session);
G_GNUC_INTERNAL gboolean sec_srtp_session_has_key (SecSrtpSession * session);
G_GNUC_INTERNAL SecSrtpProfile sec_srtp_session_get_profile (SecSrtpSession *
    session);
G_GNUC_INTERNAL guint sec_srtp_session_trailer_len (SecSrtpSession * session,
    gboolean rtcp);

G_GNUC_INTERNAL SecSrtpResult sec_srtp_session_protect (SecSrtpSession * session,
    gboolean rtcp, guint8 * data, gsize * len, gsize max_len, guint32 * ssrc,
    SecSrtpEvents * events);
G_GNUC_INTERNAL SecSrtpResult sec_srtp_session_unprotect (SecSrtpSession * session,
    gboolean rtcp, guint8 * data, gsize * len, guint32 * ssrc,
    SecSrtpEvents * events);

G_GNUC_INTERNAL void sec_srtp_session_uncount_drop (SecSrtpSession * session,
    SecSrtpResult result);
G_GNUC_INTERNAL const SecSrtpSessionCounters *
    sec_srtp_session_get_counters (SecSrtpSession * session);
G_GNUC_INTERNAL void sec_srtp_session_foreach_stream (SecSrtpSession * session,
    SecSrtpStreamFunc func, gpointer user_data);

G_GNUC_INTERNAL gboolean sec_srtp_packet_parse (const guint8 * data, gsize len,
    gboolean rtcp, guint32 * ssrc, gsize * header_len);
G_GNUC_INTERNAL const gchar *sec_srtp_result_to_string (SecSrtpResult result);

G_END_DECLS

#endif /* SEC_SRTP_SESSION_H */
