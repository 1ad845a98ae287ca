/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecSrtpSession: libsrtp2 does the SRTP work (RFC 3711 packet format,
 * key derivation, rollover counter, replay database); this file adds
 * the bounds-checked header parse in front of it, per-SSRC counters
 * and the key lifetime of RFC 3711 §9.2 with soft and hard limits.
 *
 * One srtp_t holds the default key as a template (ssrc_any_outbound or
 * ssrc_any_inbound), so new SSRCs need no reconfiguration. An SSRC
 * given its own key gets its own srtp_t, so changing the default key
 * never disturbs it.
 *
 * Keys are single-use (RFC 3711 §9.1: the same key, SSRC and packet
 * index must never protect two packets). A new srtp_t starts at index 0
 * with an empty replay database, so building a second context from a
 * key that was live before would reuse keystream on send and accept
 * replays on receive. SecSrtpKeyHistory therefore remembers every key a
 * session made a context from, as HMAC-SHA-256 under a random secret of
 * its own (the keys themselves are not kept), and set_key refuses such
 * a key unless it is the live key of its scope again, which is a no-op.
 */
#include "srtpsession.h"

#include <string.h>
#include <srtp2/srtp.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#define KEY_DIGEST_LEN 32       /* HMAC-SHA-256 */
#define HISTORY_SECRET_LEN 32

typedef struct
{
  guint64 rtp_uses;
  guint64 rtcp_uses;
  gboolean soft_signalled;
  gboolean hard_signalled;
} KeyUsage;

typedef struct
{
  SecSrtpStreamStats stats;
  /* Set when this SSRC has a key of its own (request-key). */
  srtp_t own_ctx;
  SecSrtpProfile own_profile;
  KeyUsage own_usage;
  guint8 own_digest[KEY_DIGEST_LEN];    /* of own_ctx's key */
} Stream;

/* One key that was put into a session, and where. */
typedef struct
{
  guint8 digest[KEY_DIGEST_LEN];        /* first: the table's key */
  gboolean common;              /* the default key, for any SSRC */
  GHashTable *ssrcs;            /* SSRCs it keyed alone, or NULL */
} KeyUse;

struct _SecSrtpKeyHistory
{
  guint8 secret[HISTORY_SECRET_LEN];
  gboolean secret_ok;
  GHashTable *uses;             /* digest -> KeyUse */
};

struct _SecSrtpSession
{
  SecSrtpDirection direction;
  guint replay_window;
  guint64 key_lifetime;
  SecSrtpKeyHistory *history;

  srtp_t ctx;                   /* default key, template for any SSRC */
  SecSrtpProfile profile;
  KeyUsage usage;
  guint8 digest[KEY_DIGEST_LEN];        /* of ctx's key */

  GHashTable *streams;          /* SSRC -> Stream */
  Stream *last_stream;          /* one-entry cache for the hot path */
  SecSrtpSessionCounters counters;
};

gboolean
sec_srtp_library_init (void)
{
  static gsize init_done = 0;
  static gboolean init_ok = FALSE;

  if (g_once_init_enter (&init_done)) {
    srtp_err_status_t status = srtp_init ();

    init_ok = (status == srtp_err_status_ok);
    if (!init_ok)
      g_warning ("srtp_init() failed with status %d", status);
    g_once_init_leave (&init_done, 1);
  }
  return init_ok;
}

G_DEFINE_QUARK (sec-srtp-session-error-quark, sec_srtp_session_error);

/* ---- the keys a session put into a context ---- */

static guint
digest_hash (gconstpointer digest)
{
  guint hash;

  /* HMAC output: any four bytes are as good as a hash */
  memcpy (&hash, digest, sizeof (hash));
  return hash;
}

static gboolean
digest_equal (gconstpointer a, gconstpointer b)
{
  return CRYPTO_memcmp (a, b, KEY_DIGEST_LEN) == 0;
}

static void
key_use_free (gpointer data)
{
  KeyUse *use = data;

  if (use->ssrcs)
    g_hash_table_destroy (use->ssrcs);
  explicit_bzero (use, sizeof (*use));
  g_free (use);
}

SecSrtpKeyHistory *
sec_srtp_key_history_new (void)
{
  SecSrtpKeyHistory *history = g_atomic_rc_box_new0 (SecSrtpKeyHistory);

  /* a secret of this history only: digests cannot be compared across
   * elements or processes, nor tested against guessed keys */
  history->secret_ok = RAND_bytes (history->secret,
      sizeof (history->secret)) == 1;
  history->uses = g_hash_table_new_full (digest_hash, digest_equal, NULL,
      key_use_free);
  return history;
}

SecSrtpKeyHistory *
sec_srtp_key_history_ref (SecSrtpKeyHistory * history)
{
  return g_atomic_rc_box_acquire (history);
}

static void
key_history_clear (gpointer data)
{
  SecSrtpKeyHistory *history = data;

  g_hash_table_destroy (history->uses);
  explicit_bzero (history->secret, sizeof (history->secret));
}

void
sec_srtp_key_history_unref (SecSrtpKeyHistory * history)
{
  if (history)
    g_atomic_rc_box_release_full (history, key_history_clear);
}

/* HMAC-SHA-256 (secret, master key || master salt). Without a secret
 * (the CSPRNG failed) no key can be remembered, so none is accepted. */
static gboolean
key_digest (SecSrtpKeyHistory * history, const guint8 * key, gsize key_len,
    guint8 digest[KEY_DIGEST_LEN], GError ** error)
{
  unsigned int len = 0;

  if (!history->secret_ok || HMAC (EVP_sha256 (), history->secret,
          sizeof (history->secret), key, key_len, digest, &len) == NULL
      || len != KEY_DIGEST_LEN) {
    g_set_error_literal (error, SEC_SRTP_SESSION_ERROR,
        SEC_SRTP_SESSION_ERROR_NO_DIGEST,
        "could not compute the digest that remembers used SRTP keys "
        "(OpenSSL's random generator or HMAC failed), so no key is accepted");
    return FALSE;
  }
  return TRUE;
}

/* Was the key of @digest used where a key for @ssrc (or, with @common,
 * for any SSRC) would meet the same packet indexes? One key for several
 * SSRCs alone is fine: the SSRC is part of every IV (RFC 3711 §4.1.1). */
static gboolean
key_history_conflicts (SecSrtpKeyHistory * history,
    const guint8 digest[KEY_DIGEST_LEN], gboolean common, guint32 ssrc)
{
  KeyUse *use = g_hash_table_lookup (history->uses, digest);

  if (use == NULL)
    return FALSE;
  if (common || use->common)
    return TRUE;
  return use->ssrcs != NULL && g_hash_table_contains (use->ssrcs,
      GUINT_TO_POINTER (ssrc));
}

static void
key_history_add (SecSrtpKeyHistory * history,
    const guint8 digest[KEY_DIGEST_LEN], gboolean common, guint32 ssrc)
{
  KeyUse *use = g_hash_table_lookup (history->uses, digest);

  if (use == NULL) {
    use = g_new0 (KeyUse, 1);
    memcpy (use->digest, digest, KEY_DIGEST_LEN);
    g_hash_table_insert (history->uses, use->digest, use);
  }
  if (common) {
    use->common = TRUE;
  } else {
    if (use->ssrcs == NULL)
      use->ssrcs = g_hash_table_new (NULL, NULL);
    g_hash_table_add (use->ssrcs, GUINT_TO_POINTER (ssrc));
  }
}

static void
set_reuse_error (GError ** error, gboolean live_other_profile,
    SecSrtpProfile live_profile)
{
  if (live_other_profile)
    g_set_error (error, SEC_SRTP_SESSION_ERROR,
        SEC_SRTP_SESSION_ERROR_KEY_REUSED,
        "this master key and salt are live under profile %s and cannot "
        "change profile: SRTP keys are single-use (RFC 3711 section 9.1); "
        "set a new key", sec_srtp_profile_get_info (live_profile)->name);
  else
    g_set_error_literal (error, SEC_SRTP_SESSION_ERROR,
        SEC_SRTP_SESSION_ERROR_KEY_REUSED,
        "this master key and salt were used before by this element: SRTP "
        "keys are single-use (a second context would restart the packet "
        "index and the replay database, reusing keystream; RFC 3711 "
        "section 9.1), so a new key is needed, e.g. from a new DTLS "
        "handshake");
}

static void
stream_free (gpointer data)
{
  Stream *stream = data;

  if (stream->own_ctx)
    srtp_dealloc (stream->own_ctx);
  explicit_bzero (stream, sizeof (*stream));
  g_free (stream);
}

SecSrtpSession *
sec_srtp_session_new (SecSrtpDirection direction)
{
  SecSrtpSession *session = g_new0 (SecSrtpSession, 1);

  session->direction = direction;
  session->replay_window = SEC_SRTP_DEFAULT_REPLAY_WINDOW;
  session->key_lifetime = SEC_SRTP_MAX_KEY_LIFETIME_RTP;
  session->profile = SEC_SRTP_PROFILE_AES128_CM_SHA1_80;
  session->streams = g_hash_table_new_full (NULL, NULL, NULL, stream_free);
  session->history = sec_srtp_key_history_new ();
  return session;
}

void
sec_srtp_session_free (SecSrtpSession * session)
{
  if (session == NULL)
    return;
  if (session->ctx)
    srtp_dealloc (session->ctx);
  g_hash_table_destroy (session->streams);
  sec_srtp_key_history_unref (session->history);
  explicit_bzero (session, sizeof (*session));
  g_free (session);
}

/* Shares @history (an element's, for its whole life) instead of the
 * session's own. Call before setting keys. */
void
sec_srtp_session_set_key_history (SecSrtpSession * session,
    SecSrtpKeyHistory * history)
{
  sec_srtp_key_history_ref (history);
  sec_srtp_key_history_unref (session->history);
  session->history = history;
}

void
sec_srtp_session_set_replay_window (SecSrtpSession * session, guint window)
{
  session->replay_window = CLAMP (window, SEC_SRTP_MIN_REPLAY_WINDOW,
      SEC_SRTP_MAX_REPLAY_WINDOW);
}

void
sec_srtp_session_set_key_lifetime (SecSrtpSession * session, guint64 packets)
{
  session->key_lifetime = CLAMP (packets, 1, SEC_SRTP_MAX_KEY_LIFETIME_RTP);
}

static gboolean
make_ctx (SecSrtpSession * session, SecSrtpProfile profile,
    const guint8 * key, gsize key_len, gboolean specific, guint32 ssrc,
    srtp_t * ctx_out, GError ** error)
{
  srtp_policy_t policy;
  srtp_err_status_t status;

  if (!sec_srtp_profile_check_key (profile, key_len, error))
    return FALSE;
  if (!sec_srtp_library_init ()) {
    g_set_error_literal (error, SEC_SRTP_PROFILE_ERROR,
        SEC_SRTP_PROFILE_ERROR_UNKNOWN, "libsrtp2 failed to initialise");
    return FALSE;
  }

  memset (&policy, 0, sizeof (policy));
  switch (profile) {
    case SEC_SRTP_PROFILE_AES128_CM_SHA1_80:
      srtp_crypto_policy_set_rtp_default (&policy.rtp);
      srtp_crypto_policy_set_rtcp_default (&policy.rtcp);
      break;
    case SEC_SRTP_PROFILE_AES128_CM_SHA1_32:
      /* RFC 5764 §4.1.2: the 32-bit tag is for SRTP only */
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32 (&policy.rtp);
      srtp_crypto_policy_set_rtcp_default (&policy.rtcp);
      break;
    case SEC_SRTP_PROFILE_AEAD_AES_128_GCM:
      srtp_crypto_policy_set_aes_gcm_128_16_auth (&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth (&policy.rtcp);
      break;
    case SEC_SRTP_PROFILE_AEAD_AES_256_GCM:
      srtp_crypto_policy_set_aes_gcm_256_16_auth (&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_256_16_auth (&policy.rtcp);
      break;
  }

  if (specific) {
    policy.ssrc.type = ssrc_specific;
    policy.ssrc.value = ssrc;
  } else {
    policy.ssrc.type = session->direction == SEC_SRTP_DIRECTION_PROTECT ?
        ssrc_any_outbound : ssrc_any_inbound;
  }
  /* libsrtp2 only reads the key during srtp_create() */
  policy.key = (unsigned char *) key;
  policy.window_size = session->replay_window;
  /* Never reuse a packet index on send: that would reuse keystream. */
  policy.allow_repeat_tx = 0;
  policy.next = NULL;

  status = srtp_create (ctx_out, &policy);
  if (status != srtp_err_status_ok) {
    g_set_error (error, SEC_SRTP_PROFILE_ERROR,
        SEC_SRTP_PROFILE_ERROR_UNKNOWN,
        "libsrtp2 could not create a session for profile %s (status %d)",
        sec_srtp_profile_get_info (profile)->name, status);
    *ctx_out = NULL;
    return FALSE;
  }
  return TRUE;
}

static void
drop_default_key (SecSrtpSession * session)
{
  if (session->ctx)
    srtp_dealloc (session->ctx);
  session->ctx = NULL;
  explicit_bzero (session->digest, sizeof (session->digest));
  memset (&session->usage, 0, sizeof (session->usage));
}

/* The default key, for every SSRC without a key of its own. @key NULL
 * clears it. The live key again under the same profile changes nothing;
 * any other key this session's history holds is refused, and so is a
 * key that does not fit @profile: then the session is left without a
 * default key, so nothing is protected or accepted under a key that
 * was not meant (fail closed). */
SecSrtpKeyChange
sec_srtp_session_set_key (SecSrtpSession * session, SecSrtpProfile profile,
    const guint8 * key, gsize key_len, GError ** error)
{
  guint8 digest[KEY_DIGEST_LEN];
  srtp_t ctx = NULL;
  gboolean live_match;

  if (key == NULL) {
    gboolean had_key = session->ctx != NULL;

    drop_default_key (session);
    return had_key ? SEC_SRTP_KEY_APPLIED : SEC_SRTP_KEY_UNCHANGED;
  }
  if (!sec_srtp_profile_check_key (profile, key_len, error)
      || !key_digest (session->history, key, key_len, digest, error))
    goto refused;

  live_match = session->ctx != NULL
      && CRYPTO_memcmp (digest, session->digest, KEY_DIGEST_LEN) == 0;
  if (live_match && session->profile == profile) {
    explicit_bzero (digest, sizeof (digest));
    return SEC_SRTP_KEY_UNCHANGED;
  }
  if (key_history_conflicts (session->history, digest, TRUE, 0)) {
    set_reuse_error (error, live_match, session->profile);
    goto refused;
  }
  if (!make_ctx (session, profile, key, key_len, FALSE, 0, &ctx, error))
    goto refused;

  key_history_add (session->history, digest, TRUE, 0);
  drop_default_key (session);
  session->ctx = ctx;
  session->profile = profile;
  memcpy (session->digest, digest, KEY_DIGEST_LEN);
  explicit_bzero (digest, sizeof (digest));
  return SEC_SRTP_KEY_APPLIED;

refused:
  explicit_bzero (digest, sizeof (digest));
  drop_default_key (session);
  return SEC_SRTP_KEY_REFUSED;
}

gboolean
sec_srtp_session_has_key (SecSrtpSession * session)
{
  return session->ctx != NULL;
}

/* The profile of the live default key (or of the last one). */
SecSrtpProfile
sec_srtp_session_get_profile (SecSrtpSession * session)
{
  return session->profile;
}

static Stream *
lookup_stream (SecSrtpSession * session, guint32 ssrc)
{
  Stream *stream = session->last_stream;

  if (stream != NULL && stream->stats.ssrc == ssrc)
    return stream;
  stream = g_hash_table_lookup (session->streams, GUINT_TO_POINTER (ssrc));
  if (stream != NULL)
    session->last_stream = stream;
  return stream;
}

static Stream *
ensure_stream (SecSrtpSession * session, guint32 ssrc)
{
  Stream *stream = lookup_stream (session, ssrc);

  if (stream == NULL) {
    stream = g_new0 (Stream, 1);
    stream->stats.ssrc = ssrc;
    g_hash_table_insert (session->streams, GUINT_TO_POINTER (ssrc), stream);
    session->last_stream = stream;
  }
  return stream;
}

static void
drop_stream_key (Stream * stream)
{
  if (stream->own_ctx)
    srtp_dealloc (stream->own_ctx);
  stream->own_ctx = NULL;
  explicit_bzero (stream->own_digest, sizeof (stream->own_digest));
  memset (&stream->own_usage, 0, sizeof (stream->own_usage));
}

/* A key for @ssrc alone (the decoder's request-key). The same rules as
 * for the default key, per SSRC: the SSRC's live key again changes
 * nothing (@set_roc is then ignored: the live context knows better);
 * a key used before for this SSRC or as the default key is refused,
 * and the SSRC is left without a key of its own. */
SecSrtpKeyChange
sec_srtp_session_set_stream_key (SecSrtpSession * session, guint32 ssrc,
    SecSrtpProfile profile, const guint8 * key, gsize key_len,
    gboolean set_roc, guint32 roc, GError ** error)
{
  guint8 digest[KEY_DIGEST_LEN];
  srtp_t ctx = NULL;
  Stream *stream = lookup_stream (session, ssrc);
  gboolean live_match;

  if (!sec_srtp_profile_check_key (profile, key_len, error)
      || !key_digest (session->history, key, key_len, digest, error))
    goto refused;

  live_match = stream != NULL && stream->own_ctx != NULL
      && CRYPTO_memcmp (digest, stream->own_digest, KEY_DIGEST_LEN) == 0;
  if (live_match && stream->own_profile == profile) {
    explicit_bzero (digest, sizeof (digest));
    return SEC_SRTP_KEY_UNCHANGED;
  }
  if (key_history_conflicts (session->history, digest, FALSE, ssrc)) {
    set_reuse_error (error, live_match,
        live_match ? stream->own_profile : profile);
    goto refused;
  }
  if (!make_ctx (session, profile, key, key_len, TRUE, ssrc, &ctx, error))
    goto refused;
  if (set_roc && srtp_set_stream_roc (ctx, ssrc, roc) != srtp_err_status_ok) {
    srtp_dealloc (ctx);
    g_set_error (error, SEC_SRTP_PROFILE_ERROR,
        SEC_SRTP_PROFILE_ERROR_UNKNOWN,
        "could not set the rollover counter of SSRC 0x%08x", ssrc);
    goto refused;
  }

  key_history_add (session->history, digest, FALSE, ssrc);
  stream = ensure_stream (session, ssrc);
  drop_stream_key (stream);
  stream->own_ctx = ctx;
  stream->own_profile = profile;
  memcpy (stream->own_digest, digest, KEY_DIGEST_LEN);
  explicit_bzero (digest, sizeof (digest));
  return SEC_SRTP_KEY_APPLIED;

refused:
  explicit_bzero (digest, sizeof (digest));
  if (stream != NULL)
    drop_stream_key (stream);
  return SEC_SRTP_KEY_REFUSED;
}

/* Forgets every key (the default and the per-SSRC ones) but keeps the
 * counters readable. The history keeps their digests. */
void
sec_srtp_session_clear_keys (SecSrtpSession * session)
{
  GHashTableIter iter;
  gpointer value;

  drop_default_key (session);
  g_hash_table_iter_init (&iter, session->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    drop_stream_key (value);
}

guint
sec_srtp_session_trailer_len (SecSrtpSession * session, gboolean rtcp)
{
  return sec_srtp_profile_trailer_len (session->profile, rtcp);
}

static inline guint32
read_u32_be (const guint8 * p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) |
      ((guint32) p[2] << 8) | p[3];
}

/* RFC 3550 §5.1 and §6.4: a bounds-checked look at the fixed header.
 * For RTP the header length includes CSRCs and the extension. */
gboolean
sec_srtp_packet_parse (const guint8 * data, gsize len, gboolean rtcp,
    guint32 * ssrc, gsize * header_len)
{
  gsize hlen;

  if (data == NULL || len < (rtcp ? 8 : 12))
    return FALSE;
  if ((data[0] >> 6) != 2)
    return FALSE;

  if (rtcp) {
    hlen = 8;
    *ssrc = read_u32_be (data + 4);
  } else {
    guint csrc_count = data[0] & 0x0f;

    hlen = 12 + 4 * csrc_count;
    if (len < hlen)
      return FALSE;
    if (data[0] & 0x10) {
      guint ext_words;

      if (len < hlen + 4)
        return FALSE;
      ext_words = ((guint) data[hlen + 2] << 8) | data[hlen + 3];
      hlen += 4 + 4 * (gsize) ext_words;
      if (len < hlen)
        return FALSE;
    }
    *ssrc = read_u32_be (data + 8);
  }
  if (header_len)
    *header_len = hlen;
  return TRUE;
}

static SecSrtpResult
map_status (srtp_err_status_t status)
{
  switch (status) {
    case srtp_err_status_ok:
      return SEC_SRTP_RESULT_OK;
    case srtp_err_status_auth_fail:
      /* SRTCP whose E flag says "not encrypted" under a policy that
       * encrypts: the packet fails the policy, like a bad tag */
    case srtp_err_status_cant_check:
      return SEC_SRTP_RESULT_AUTH_FAILED;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
    case srtp_err_status_pkt_idx_old:
      return SEC_SRTP_RESULT_REPLAYED;
    case srtp_err_status_no_ctx:
      return SEC_SRTP_RESULT_NO_KEY;
    case srtp_err_status_key_expired:
      return SEC_SRTP_RESULT_KEY_EXPIRED;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
      return SEC_SRTP_RESULT_MALFORMED;
    default:
      return SEC_SRTP_RESULT_FAILED;
  }
}

static guint64
usage_limit (SecSrtpSession * session, gboolean rtcp)
{
  return MIN (session->key_lifetime, rtcp ? SEC_SRTP_MAX_KEY_LIFETIME_RTCP :
      SEC_SRTP_MAX_KEY_LIFETIME_RTP);
}

static gboolean
usage_expired (SecSrtpSession * session, const KeyUsage * usage, gboolean rtcp)
{
  return (rtcp ? usage->rtcp_uses : usage->rtp_uses) >=
      usage_limit (session, rtcp);
}

/* The soft limit leaves a margin of a tenth of the lifetime, at most
 * 2^16 packets (libsrtp2's own margin), for the application to re-key. */
static void
usage_count (SecSrtpSession * session, KeyUsage * usage, gboolean rtcp,
    SecSrtpEvents * events)
{
  guint64 limit = usage_limit (session, rtcp);
  guint64 soft = limit - MIN (limit / 10, G_GUINT64_CONSTANT (65536));
  guint64 uses = rtcp ? ++usage->rtcp_uses : ++usage->rtp_uses;

  if (uses >= soft && !usage->soft_signalled) {
    usage->soft_signalled = TRUE;
    *events |= SEC_SRTP_EVENT_SOFT_LIMIT;
  }
  if (uses >= limit && !usage->hard_signalled) {
    usage->hard_signalled = TRUE;
    *events |= SEC_SRTP_EVENT_HARD_LIMIT;
  }
}

static void
count_failure (SecSrtpSession * session, Stream * stream,
    SecSrtpResult result)
{
  switch (result) {
    case SEC_SRTP_RESULT_MALFORMED:
      session->counters.malformed++;
      break;
    case SEC_SRTP_RESULT_AUTH_FAILED:
      session->counters.auth_failures++;
      if (stream)
        stream->stats.auth_failures++;
      break;
    case SEC_SRTP_RESULT_REPLAYED:
      session->counters.replays_dropped++;
      if (stream)
        stream->stats.replays_dropped++;
      break;
    case SEC_SRTP_RESULT_NO_KEY:
      session->counters.no_key++;
      break;
    case SEC_SRTP_RESULT_KEY_EXPIRED:
      session->counters.key_expired++;
      break;
    default:
      session->counters.other_failures++;
      break;
  }
}

/* Both directions: parse, pick the key (the SSRC's own or the default),
 * check its lifetime, let libsrtp2 work, count. @max_len is only used
 * when protecting. */
static SecSrtpResult
process_packet (SecSrtpSession * session, gboolean protect, gboolean rtcp,
    guint8 * data, gsize * len, gsize max_len, guint32 * ssrc_out,
    SecSrtpEvents * events)
{
  guint32 ssrc;
  Stream *stream;
  srtp_t ctx;
  KeyUsage *usage;
  SecSrtpProfile profile;
  SecSrtpResult result;
  srtp_err_status_t status;
  int octets;

  *events = SEC_SRTP_EVENT_NONE;
  if (*len > G_MAXINT - SEC_SRTP_MAX_TRAILER_LEN
      || !sec_srtp_packet_parse (data, *len, rtcp, &ssrc, NULL)) {
    count_failure (session, NULL, SEC_SRTP_RESULT_MALFORMED);
    return SEC_SRTP_RESULT_MALFORMED;
  }
  if (ssrc_out)
    *ssrc_out = ssrc;

  stream = lookup_stream (session, ssrc);
  if (stream != NULL && stream->own_ctx != NULL) {
    ctx = stream->own_ctx;
    usage = &stream->own_usage;
    profile = stream->own_profile;
  } else {
    ctx = session->ctx;
    usage = &session->usage;
    profile = session->profile;
  }
  if (ctx == NULL) {
    result = SEC_SRTP_RESULT_NO_KEY;
    goto failed;
  }
  if (usage_expired (session, usage, rtcp)) {
    result = SEC_SRTP_RESULT_KEY_EXPIRED;
    goto failed;
  }
  if (protect && max_len < *len + sec_srtp_profile_trailer_len (profile,
          rtcp)) {
    /* the caller's mistake, not a dropped packet: not counted */
    return SEC_SRTP_RESULT_NO_ROOM;
  }

  octets = (int) *len;
  if (protect)
    status = rtcp ? srtp_protect_rtcp (ctx, data, &octets) :
        srtp_protect (ctx, data, &octets);
  else
    status = rtcp ? srtp_unprotect_rtcp (ctx, data, &octets) :
        srtp_unprotect (ctx, data, &octets);
  result = map_status (status);
  if (result != SEC_SRTP_RESULT_OK)
    goto failed;

  /* Only a packet that was protected or authenticated creates per-SSRC
   * state, so forged packets with random SSRCs cannot grow this table. */
  if (stream == NULL)
    stream = ensure_stream (session, ssrc);
  if (rtcp)
    stream->stats.rtcp_packets++;
  else
    stream->stats.rtp_packets++;
  /* payload bytes in (protect) or out (unprotect) */
  stream->stats.bytes += protect ? *len : (gsize) octets;
  session->counters.packets++;
  usage_count (session, usage, rtcp, events);
  *len = octets;
  return SEC_SRTP_RESULT_OK;

failed:
  count_failure (session, stream, result);
  return result;
}

SecSrtpResult
sec_srtp_session_protect (SecSrtpSession * session, gboolean rtcp,
    guint8 * data, gsize * len, gsize max_len, guint32 * ssrc_out,
    SecSrtpEvents * events)
{
  return process_packet (session, TRUE, rtcp, data, len, max_len, ssrc_out,
      events);
}

SecSrtpResult
sec_srtp_session_unprotect (SecSrtpSession * session, gboolean rtcp,
    guint8 * data, gsize * len, guint32 * ssrc_out, SecSrtpEvents * events)
{
  return process_packet (session, FALSE, rtcp, data, len, 0, ssrc_out,
      events);
}

/* For a caller that retries a packet after installing a key. */
void
sec_srtp_session_uncount_drop (SecSrtpSession * session, SecSrtpResult result)
{
  guint64 *counter = NULL;

  if (result == SEC_SRTP_RESULT_NO_KEY)
    counter = &session->counters.no_key;
  else if (result == SEC_SRTP_RESULT_KEY_EXPIRED)
    counter = &session->counters.key_expired;
  if (counter && *counter > 0)
    (*counter)--;
}

const SecSrtpSessionCounters *
sec_srtp_session_get_counters (SecSrtpSession * session)
{
  return &session->counters;
}

static gint
compare_ssrc (gconstpointer a, gconstpointer b)
{
  guint32 sa = GPOINTER_TO_UINT (a), sb = GPOINTER_TO_UINT (b);

  return sa < sb ? -1 : (sa > sb ? 1 : 0);
}

/* In SSRC order, so stats read the same from run to run. */
void
sec_srtp_session_foreach_stream (SecSrtpSession * session,
    SecSrtpStreamFunc func, gpointer user_data)
{
  GList *keys = g_hash_table_get_keys (session->streams);
  GList *l;

  keys = g_list_sort (keys, compare_ssrc);
  for (l = keys; l; l = l->next) {
    Stream *stream = g_hash_table_lookup (session->streams, l->data);

    func (&stream->stats, user_data);
  }
  g_list_free (keys);
}

const gchar *
sec_srtp_result_to_string (SecSrtpResult result)
{
  switch (result) {
    case SEC_SRTP_RESULT_OK:
      return "ok";
    case SEC_SRTP_RESULT_MALFORMED:
      return "malformed packet";
    case SEC_SRTP_RESULT_AUTH_FAILED:
      return "authentication failed";
    case SEC_SRTP_RESULT_REPLAYED:
      return "replayed or too old";
    case SEC_SRTP_RESULT_NO_KEY:
      return "no key for this SSRC";
    case SEC_SRTP_RESULT_KEY_EXPIRED:
      return "key lifetime reached";
    case SEC_SRTP_RESULT_NO_ROOM:
      return "no room for the authentication tag";
    case SEC_SRTP_RESULT_FAILED:
      return "libsrtp2 failure";
  }
  return "unknown";
}
