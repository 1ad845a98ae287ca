/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The SRTP core without GStreamer: profile table, the bounds-checked
 * header parse (every prefix of a valid packet), protect/unprotect
 * round trips, counters, the key lifetime of RFC 3711 §9.2, and keys as
 * single-use: the live key again is a no-op, a used key is refused.
 */
#include "srtpprofile.h"
#include "srtpsession.h"

#include <string.h>

static void
test_profile_table (void)
{
  const SecSrtpProfileInfo *info;
  GError *error = NULL;

  info = sec_srtp_profile_from_name ("aes128-cm-sha1-80");
  g_assert_nonnull (info);
  g_assert_cmpint (info->profile, ==, 0x0001);
  g_assert_cmpuint (sec_srtp_profile_key_len (info->profile), ==, 30);
  info = sec_srtp_profile_from_name ("srtp_aead_aes_256_gcm");
  g_assert_nonnull (info);
  g_assert_cmpint (info->profile, ==, 0x0008);
  g_assert_cmpuint (sec_srtp_profile_key_len (info->profile), ==, 44);
  g_assert_cmpuint (sec_srtp_profile_key_len (SEC_SRTP_PROFILE_AEAD_AES_128_GCM),
      ==, 28);
  g_assert_null (sec_srtp_profile_from_name ("null"));
  g_assert_null (sec_srtp_profile_from_name ("SRTP_NULL_HMAC_SHA1_80"));
  g_assert_null (sec_srtp_profile_from_name (NULL));

  g_assert_false (sec_srtp_profile_check_key
      (SEC_SRTP_PROFILE_AES128_CM_SHA1_80, 16, &error));
  g_assert_error (error, SEC_SRTP_PROFILE_ERROR,
      SEC_SRTP_PROFILE_ERROR_KEY_LENGTH);
  g_assert_nonnull (strstr (error->message, "30-byte key"));
  g_assert_nonnull (strstr (error->message, "16 bytes"));
  g_clear_error (&error);
  g_assert_true (sec_srtp_profile_check_key
      (SEC_SRTP_PROFILE_AES128_CM_SHA1_80, 30, NULL));

  g_assert_cmpuint (sec_srtp_profile_trailer_len
      (SEC_SRTP_PROFILE_AES128_CM_SHA1_32, FALSE), ==, 4);
  g_assert_cmpuint (sec_srtp_profile_trailer_len
      (SEC_SRTP_PROFILE_AES128_CM_SHA1_32, TRUE), ==, 14);
  g_assert_cmpuint (sec_srtp_profile_trailer_len
      (SEC_SRTP_PROFILE_AEAD_AES_256_GCM, TRUE), ==, SEC_SRTP_MAX_TRAILER_LEN);
}

/* RTP with 2 CSRCs and a one-word header extension: 12 + 8 + 4 + 4. */
static const guint8 rtp_with_ext[] = {
  0x92, 0x60, 0x12, 0x34, 0x00, 0x00, 0x10, 0x00, 0xde, 0xad, 0xbe, 0xef,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
  0xbe, 0xde, 0x00, 0x01, 0x10, 0xaa, 0x00, 0x00,
  'p', 'a', 'y', 'l', 'o', 'a', 'd',
};

static void
test_parse_every_prefix (void)
{
  gsize len, hlen;
  guint32 ssrc;

  for (len = 0; len < sizeof (rtp_with_ext); len++) {
    gboolean ok = sec_srtp_packet_parse (rtp_with_ext, len, FALSE, &ssrc,
        &hlen);
    /* only prefixes that hold the whole header parse */
    g_assert_cmpint (ok, ==, len >= 28);
    if (ok) {
      g_assert_cmpuint (hlen, ==, 28);
      g_assert_cmphex (ssrc, ==, 0xdeadbeef);
    }
  }
  for (len = 0; len < 8; len++)
    g_assert_false (sec_srtp_packet_parse (rtp_with_ext, len, TRUE, &ssrc,
            NULL));
  g_assert_true (sec_srtp_packet_parse (rtp_with_ext, 8, TRUE, &ssrc, NULL));
  g_assert_cmphex (ssrc, ==, 0x00001000);
  /* version 1 */
  {
    guint8 v1[sizeof (rtp_with_ext)];
    memcpy (v1, rtp_with_ext, sizeof (v1));
    v1[0] = 0x52;
    g_assert_false (sec_srtp_packet_parse (v1, sizeof (v1), FALSE, &ssrc,
            NULL));
  }
}

static gsize
make_rtp (guint8 * buf, guint32 ssrc, guint16 seq, gsize payload)
{
  gsize i;

  buf[0] = 0x80;
  buf[1] = 96;
  buf[2] = seq >> 8;
  buf[3] = seq & 0xff;
  memset (buf + 4, 0, 4);
  buf[8] = ssrc >> 24;
  buf[9] = ssrc >> 16;
  buf[10] = ssrc >> 8;
  buf[11] = ssrc & 0xff;
  for (i = 0; i < payload; i++)
    buf[12 + i] = (guint8) (i + seq);
  return 12 + payload;
}

static guint8 test_key[44];

static void
test_roundtrip_and_counters (void)
{
  SecSrtpSession *tx = sec_srtp_session_new (SEC_SRTP_DIRECTION_PROTECT);
  SecSrtpSession *rx = sec_srtp_session_new (SEC_SRTP_DIRECTION_UNPROTECT);
  guint8 pkt[256], orig[256], copy[256];
  gsize len, olen, plen;
  SecSrtpEvents ev;
  guint32 ssrc;
  guint16 seq;

  g_assert_true (sec_srtp_session_set_key (tx,
          SEC_SRTP_PROFILE_AEAD_AES_128_GCM, test_key, 28, NULL));
  g_assert_true (sec_srtp_session_set_key (rx,
          SEC_SRTP_PROFILE_AEAD_AES_128_GCM, test_key, 28, NULL));

  for (seq = 1; seq <= 5; seq++) {
    olen = make_rtp (orig, 0x42, seq, 100);
    memcpy (pkt, orig, olen);
    len = olen;
    g_assert_cmpint (sec_srtp_session_protect (tx, FALSE, pkt, &len,
            olen + 15, &ssrc, &ev), ==, SEC_SRTP_RESULT_NO_ROOM);
    g_assert_cmpint (sec_srtp_session_protect (tx, FALSE, pkt, &len,
            sizeof (pkt), &ssrc, &ev), ==, SEC_SRTP_RESULT_OK);
    g_assert_cmpuint (len, ==, olen + 16);
    plen = len;
    memcpy (copy, pkt, plen);
    g_assert_cmpint (sec_srtp_session_unprotect (rx, FALSE, pkt, &len, &ssrc,
            &ev), ==, SEC_SRTP_RESULT_OK);
    g_assert_cmpuint (len, ==, olen);
    g_assert_cmpmem (pkt, len, orig, olen);
    /* replay */
    len = plen;
    g_assert_cmpint (sec_srtp_session_unprotect (rx, FALSE, copy, &len, &ssrc,
            &ev), ==, SEC_SRTP_RESULT_REPLAYED);
  }
  g_assert_cmpuint (sec_srtp_session_get_counters (rx)->packets, ==, 5);
  g_assert_cmpuint (sec_srtp_session_get_counters (rx)->replays_dropped, ==, 5);
  g_assert_cmpuint (sec_srtp_session_get_counters (tx)->packets, ==, 5);
  g_assert_cmpuint (sec_srtp_session_get_counters (tx)->other_failures +
      sec_srtp_session_get_counters (tx)->malformed, ==, 0);

  /* no key at all */
  sec_srtp_session_set_key (rx, SEC_SRTP_PROFILE_AEAD_AES_128_GCM, NULL, 0,
      NULL);
  len = make_rtp (pkt, 0x42, 9, 10) + 16;
  g_assert_cmpint (sec_srtp_session_unprotect (rx, FALSE, pkt, &len, &ssrc,
          &ev), ==, SEC_SRTP_RESULT_NO_KEY);
  g_assert_cmphex (ssrc, ==, 0x42);

  sec_srtp_session_free (tx);
  sec_srtp_session_free (rx);
}

static void
test_key_lifetime_events (void)
{
  SecSrtpSession *tx = sec_srtp_session_new (SEC_SRTP_DIRECTION_PROTECT);
  guint8 pkt[64];
  gsize len;
  SecSrtpEvents ev;
  guint seq, soft_at = 0, hard_at = 0;

  sec_srtp_session_set_key_lifetime (tx, 100);
  g_assert_true (sec_srtp_session_set_key (tx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, NULL));
  for (seq = 1; seq <= 101; seq++) {
    SecSrtpResult r;

    len = make_rtp (pkt, 1, seq, 8);
    r = sec_srtp_session_protect (tx, FALSE, pkt, &len, sizeof (pkt), NULL,
        &ev);
    if (seq <= 100)
      g_assert_cmpint (r, ==, SEC_SRTP_RESULT_OK);
    else
      g_assert_cmpint (r, ==, SEC_SRTP_RESULT_KEY_EXPIRED);
    if (ev & SEC_SRTP_EVENT_SOFT_LIMIT) {
      g_assert_cmpuint (soft_at, ==, 0);
      soft_at = seq;
    }
    if (ev & SEC_SRTP_EVENT_HARD_LIMIT) {
      g_assert_cmpuint (hard_at, ==, 0);
      hard_at = seq;
    }
  }
  g_assert_cmpuint (soft_at, ==, 90);
  g_assert_cmpuint (hard_at, ==, 100);
  sec_srtp_session_free (tx);
}

/* A receiver joining late is told the sender's rollover counter
 * (request-key's "roc"): with it the packets decrypt, without it they
 * fail authentication (RFC 3711 §3.3.1: the ROC is part of the index). */
static void
test_stream_key_with_roc (void)
{
  SecSrtpSession *tx = sec_srtp_session_new (SEC_SRTP_DIRECTION_PROTECT);
  SecSrtpSession *rx_roc = sec_srtp_session_new (SEC_SRTP_DIRECTION_UNPROTECT);
  SecSrtpSession *rx_zero = sec_srtp_session_new (SEC_SRTP_DIRECTION_UNPROTECT);
  guint8 pkt[128], copy[128];
  gsize len, plen;
  SecSrtpEvents ev;
  guint32 ssrc;

  g_assert_true (sec_srtp_session_set_stream_key (tx, 0x77,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, TRUE, 5, NULL));
  g_assert_true (sec_srtp_session_set_stream_key (rx_roc, 0x77,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, TRUE, 5, NULL));
  g_assert_true (sec_srtp_session_set_stream_key (rx_zero, 0x77,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, FALSE, 0, NULL));

  len = make_rtp (pkt, 0x77, 100, 50);
  g_assert_cmpint (sec_srtp_session_protect (tx, FALSE, pkt, &len,
          sizeof (pkt), &ssrc, &ev), ==, SEC_SRTP_RESULT_OK);
  plen = len;
  memcpy (copy, pkt, plen);
  g_assert_cmpint (sec_srtp_session_unprotect (rx_roc, FALSE, pkt, &len,
          &ssrc, &ev), ==, SEC_SRTP_RESULT_OK);
  g_assert_cmpint (sec_srtp_session_unprotect (rx_zero, FALSE, copy, &plen,
          &ssrc, &ev), ==, SEC_SRTP_RESULT_AUTH_FAILED);

  /* and a wrong key length for a stream key is refused */
  g_assert_false (sec_srtp_session_set_stream_key (rx_roc, 0x78,
          SEC_SRTP_PROFILE_AEAD_AES_256_GCM, test_key, 30, FALSE, 0, NULL));

  sec_srtp_session_free (tx);
  sec_srtp_session_free (rx_roc);
  sec_srtp_session_free (rx_zero);
}

/* Protects an RTP packet of @ssrc/@seq with @payload_len bytes into @pkt;
 * returns the result, the protected length in @len. */
static SecSrtpResult
protect_rtp (SecSrtpSession * tx, guint32 ssrc, guint16 seq, guint8 * pkt,
    gsize pkt_size, gsize * len)
{
  SecSrtpEvents ev;

  *len = make_rtp (pkt, ssrc, seq, 40);
  return sec_srtp_session_protect (tx, FALSE, pkt, len, pkt_size, NULL, &ev);
}

static SecSrtpResult
unprotect_copy (SecSrtpSession * rx, const guint8 * srtp, gsize len)
{
  guint8 copy[256];
  SecSrtpEvents ev;
  guint32 ssrc;

  g_assert_cmpuint (len, <=, sizeof (copy));
  memcpy (copy, srtp, len);
  return sec_srtp_session_unprotect (rx, FALSE, copy, &len, &ssrc, &ev);
}

/* The same key again (same profile) keeps the live context: its packet
 * index and replay database go on, so an index is never protected twice
 * and a replay is still caught (RFC 3711 §3.3.2, §9.1). */
static void
test_same_key_keeps_context (void)
{
  SecSrtpSession *tx = sec_srtp_session_new (SEC_SRTP_DIRECTION_PROTECT);
  SecSrtpSession *rx = sec_srtp_session_new (SEC_SRTP_DIRECTION_UNPROTECT);
  guint8 pkt[128], srtp[128];
  gsize len, srtp_len;

  g_assert_true (sec_srtp_session_set_key (tx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, NULL));
  g_assert_true (sec_srtp_session_set_key (rx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, NULL));
  g_assert_cmpint (protect_rtp (tx, 0x42, 100, srtp, sizeof (srtp),
          &srtp_len), ==, SEC_SRTP_RESULT_OK);
  g_assert_cmpint (unprotect_copy (rx, srtp, srtp_len), ==,
      SEC_SRTP_RESULT_OK);

  g_assert_cmpint (sec_srtp_session_set_key (tx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, NULL), ==,
      SEC_SRTP_KEY_UNCHANGED);
  g_assert_cmpint (sec_srtp_session_set_key (rx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, NULL), ==,
      SEC_SRTP_KEY_UNCHANGED);
  /* index 100 again: refused, not protected with the same keystream */
  g_assert_cmpint (protect_rtp (tx, 0x42, 100, pkt, sizeof (pkt), &len), ==,
      SEC_SRTP_RESULT_REPLAYED);
  g_assert_cmpint (unprotect_copy (rx, srtp, srtp_len), ==,
      SEC_SRTP_RESULT_REPLAYED);
  /* and the stream goes on */
  g_assert_cmpint (protect_rtp (tx, 0x42, 101, pkt, sizeof (pkt), &len), ==,
      SEC_SRTP_RESULT_OK);
  g_assert_cmpint (unprotect_copy (rx, pkt, len), ==, SEC_SRTP_RESULT_OK);

  sec_srtp_session_free (tx);
  sec_srtp_session_free (rx);
}

/* A key that was live before and is not now is refused, and the session
 * is left without a key (fail closed): switching back, clearing and
 * setting again, or the same bytes under another profile. */
static void
test_used_key_refused (void)
{
  SecSrtpSession *tx = sec_srtp_session_new (SEC_SRTP_DIRECTION_PROTECT);
  guint8 other_key[30], pkt[128];
  GError *error = NULL;
  gsize len;
  guint i;

  for (i = 0; i < sizeof (other_key); i++)
    other_key[i] = (guint8) (0xa0 + i);

  g_assert_true (sec_srtp_session_set_key (tx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, NULL));
  g_assert_true (sec_srtp_session_set_key (tx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, other_key, 30, NULL));
  /* back to the first key */
  g_assert_cmpint (sec_srtp_session_set_key (tx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, &error), ==,
      SEC_SRTP_KEY_REFUSED);
  g_assert_error (error, SEC_SRTP_SESSION_ERROR,
      SEC_SRTP_SESSION_ERROR_KEY_REUSED);
  g_assert_nonnull (strstr (error->message, "single-use"));
  g_clear_error (&error);
  g_assert_false (sec_srtp_session_has_key (tx));
  g_assert_cmpint (protect_rtp (tx, 0x42, 1, pkt, sizeof (pkt), &len), ==,
      SEC_SRTP_RESULT_NO_KEY);

  /* cleared, then the same again */
  g_assert_cmpint (sec_srtp_session_set_key (tx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, other_key, 30, &error), ==,
      SEC_SRTP_KEY_REFUSED);
  g_assert_error (error, SEC_SRTP_SESSION_ERROR,
      SEC_SRTP_SESSION_ERROR_KEY_REUSED);
  g_clear_error (&error);
  g_assert_cmpint (protect_rtp (tx, 0x42, 2, pkt, sizeof (pkt), &len), ==,
      SEC_SRTP_RESULT_NO_KEY);

  /* the same bytes under another profile of the same length: AES-CM
   * keystream does not depend on the tag length */
  other_key[0] ^= 0xff;
  g_assert_true (sec_srtp_session_set_key (tx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, other_key, 30, NULL));
  g_assert_cmpint (sec_srtp_session_set_key (tx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_32, other_key, 30, &error), ==,
      SEC_SRTP_KEY_REFUSED);
  g_assert_error (error, SEC_SRTP_SESSION_ERROR,
      SEC_SRTP_SESSION_ERROR_KEY_REUSED);
  g_assert_nonnull (strstr (error->message, "aes128-cm-sha1-80"));
  g_clear_error (&error);
  g_assert_cmpint (protect_rtp (tx, 0x42, 3, pkt, sizeof (pkt), &len), ==,
      SEC_SRTP_RESULT_NO_KEY);

  /* a key that does not fit: refused with both lengths, and no key left */
  other_key[0] ^= 0x0f;
  g_assert_cmpint (sec_srtp_session_set_key (tx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, other_key, 30, NULL), ==,
      SEC_SRTP_KEY_APPLIED);
  g_assert_cmpint (sec_srtp_session_set_key (tx,
          SEC_SRTP_PROFILE_AEAD_AES_256_GCM, test_key, 30, &error), ==,
      SEC_SRTP_KEY_REFUSED);
  g_assert_error (error, SEC_SRTP_PROFILE_ERROR,
      SEC_SRTP_PROFILE_ERROR_KEY_LENGTH);
  g_assert_nonnull (strstr (error->message, "44-byte key"));
  g_assert_nonnull (strstr (error->message, "30 bytes"));
  g_clear_error (&error);
  g_assert_false (sec_srtp_session_has_key (tx));

  sec_srtp_session_free (tx);
}

/* Per-SSRC keys: one key for two SSRCs is fine (the SSRC is in every IV,
 * RFC 3711 §4.1.1); the same key again for an SSRC whose context is live
 * keeps that context; a key used as the common key is refused for an
 * SSRC and the other way round. */
static void
test_stream_key_rules (void)
{
  SecSrtpSession *tx = sec_srtp_session_new (SEC_SRTP_DIRECTION_PROTECT);
  SecSrtpSession *rx = sec_srtp_session_new (SEC_SRTP_DIRECTION_UNPROTECT);
  guint8 common_key[30], srtp[128], pkt[128];
  gsize srtp_len, len;
  guint i;

  for (i = 0; i < sizeof (common_key); i++)
    common_key[i] = (guint8) (0x30 + i);

  g_assert_true (sec_srtp_session_set_key (tx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, NULL));
  g_assert_true (sec_srtp_session_set_stream_key (rx, 1,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, FALSE, 0, NULL));
  g_assert_true (sec_srtp_session_set_stream_key (rx, 2,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, FALSE, 0, NULL));
  g_assert_cmpint (protect_rtp (tx, 1, 7, srtp, sizeof (srtp), &srtp_len),
      ==, SEC_SRTP_RESULT_OK);
  g_assert_cmpint (unprotect_copy (rx, srtp, srtp_len), ==,
      SEC_SRTP_RESULT_OK);
  g_assert_cmpint (protect_rtp (tx, 2, 7, pkt, sizeof (pkt), &len), ==,
      SEC_SRTP_RESULT_OK);
  g_assert_cmpint (unprotect_copy (rx, pkt, len), ==, SEC_SRTP_RESULT_OK);

  /* SSRC 1's key again while live: its replay database stays */
  g_assert_cmpint (sec_srtp_session_set_stream_key (rx, 1,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, FALSE, 0, NULL),
      ==, SEC_SRTP_KEY_UNCHANGED);
  g_assert_cmpint (unprotect_copy (rx, srtp, srtp_len), ==,
      SEC_SRTP_RESULT_REPLAYED);

  /* a per-SSRC key as the common key, and the common key for an SSRC */
  g_assert_false (sec_srtp_session_set_key (rx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, test_key, 30, NULL));
  g_assert_true (sec_srtp_session_set_key (rx,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, common_key, 30, NULL));
  g_assert_false (sec_srtp_session_set_stream_key (rx, 3,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, common_key, 30, FALSE, 0,
          NULL));
  /* SSRC 1's key refused: SSRC 1 has no key of its own any more, and
   * the common key (never used for SSRC 1 alone) reads nothing of it */
  g_assert_false (sec_srtp_session_set_stream_key (rx, 1,
          SEC_SRTP_PROFILE_AES128_CM_SHA1_80, common_key, 30, FALSE, 0,
          NULL));
  g_assert_cmpint (protect_rtp (tx, 1, 8, pkt, sizeof (pkt), &len), ==,
      SEC_SRTP_RESULT_OK);
  g_assert_cmpint (unprotect_copy (rx, pkt, len), ==,
      SEC_SRTP_RESULT_AUTH_FAILED);

  sec_srtp_session_free (tx);
  sec_srtp_session_free (rx);
}

/* An element's history outlives its sessions: a restart (a new session
 * with the same history) cannot bring a key back. A history is its own:
 * another element may use the same key. */
static void
test_history_across_sessions (void)
{
  SecSrtpKeyHistory *history = sec_srtp_key_history_new ();
  SecSrtpSession *first = sec_srtp_session_new (SEC_SRTP_DIRECTION_PROTECT);
  SecSrtpSession *second, *other;
  GError *error = NULL;
  guint8 pkt[128];
  gsize len;

  sec_srtp_session_set_key_history (first, history);
  g_assert_cmpint (sec_srtp_session_set_key (first,
          SEC_SRTP_PROFILE_AEAD_AES_128_GCM, test_key, 28, NULL), ==,
      SEC_SRTP_KEY_APPLIED);
  g_assert_cmpint (protect_rtp (first, 9, 100, pkt, sizeof (pkt), &len), ==,
      SEC_SRTP_RESULT_OK);
  sec_srtp_session_clear_keys (first);
  g_assert_false (sec_srtp_session_has_key (first));
  sec_srtp_session_free (first);

  second = sec_srtp_session_new (SEC_SRTP_DIRECTION_PROTECT);
  sec_srtp_session_set_key_history (second, history);
  g_assert_cmpint (sec_srtp_session_set_key (second,
          SEC_SRTP_PROFILE_AEAD_AES_128_GCM, test_key, 28, &error), ==,
      SEC_SRTP_KEY_REFUSED);
  g_assert_error (error, SEC_SRTP_SESSION_ERROR,
      SEC_SRTP_SESSION_ERROR_KEY_REUSED);
  g_clear_error (&error);
  g_assert_cmpint (protect_rtp (second, 9, 100, pkt, sizeof (pkt), &len), ==,
      SEC_SRTP_RESULT_NO_KEY);
  g_assert_cmpint (sec_srtp_session_set_key (second,
          SEC_SRTP_PROFILE_AEAD_AES_128_GCM, test_key + 1, 28, NULL), ==,
      SEC_SRTP_KEY_APPLIED);
  g_assert_cmpint (protect_rtp (second, 9, 100, pkt, sizeof (pkt), &len), ==,
      SEC_SRTP_RESULT_OK);

  other = sec_srtp_session_new (SEC_SRTP_DIRECTION_PROTECT);
  g_assert_cmpint (sec_srtp_session_set_key (other,
          SEC_SRTP_PROFILE_AEAD_AES_128_GCM, test_key, 28, NULL), ==,
      SEC_SRTP_KEY_APPLIED);

  sec_srtp_session_free (second);
  sec_srtp_session_free (other);
  sec_srtp_key_history_unref (history);
}

int
main (int argc, char **argv)
{
  guint i;

  for (i = 0; i < sizeof (test_key); i++)
    test_key[i] = (guint8) (i * 7 + 1);
  g_test_init (&argc, &argv, NULL);
  g_assert_true (sec_srtp_library_init ());
  g_test_add_func ("/srtp/profile/table", test_profile_table);
  g_test_add_func ("/srtp/packet/every-prefix", test_parse_every_prefix);
  g_test_add_func ("/srtp/session/roundtrip", test_roundtrip_and_counters);
  g_test_add_func ("/srtp/session/key-lifetime", test_key_lifetime_events);
  g_test_add_func ("/srtp/session/stream-key-roc", test_stream_key_with_roc);
  g_test_add_func ("/srtp/keys/same-key-keeps-context",
      test_same_key_keeps_context);
  g_test_add_func ("/srtp/keys/used-key-refused", test_used_key_refused);
  g_test_add_func ("/srtp/keys/stream-key-rules", test_stream_key_rules);
  g_test_add_func ("/srtp/keys/history-across-sessions",
      test_history_across_sessions);
  return g_test_run ();
}
