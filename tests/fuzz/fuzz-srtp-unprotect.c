/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: arbitrary datagrams into the SRTP core's header parse and
 * into keyed unprotect sessions (every profile, RTP and SRTCP). Built as
 * a libFuzzer target with clang (-Dfuzzing... see meson.build) and, with
 * any compiler, linked to replay-main.c, which runs the corpus as a
 * regression test.
 */
#include "srtpsession.h"

#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

static SecSrtpSession *sessions[4];

static void
setup (void)
{
  static const SecSrtpProfile profiles[4] = {
    SEC_SRTP_PROFILE_AES128_CM_SHA1_80, SEC_SRTP_PROFILE_AES128_CM_SHA1_32,
    SEC_SRTP_PROFILE_AEAD_AES_128_GCM, SEC_SRTP_PROFILE_AEAD_AES_256_GCM,
  };
  guint8 key[44];
  guint i;

  for (i = 0; i < sizeof (key); i++)
    key[i] = (guint8) (i * 3 + 1);
  sec_srtp_library_init ();
  for (i = 0; i < 4; i++) {
    sessions[i] = sec_srtp_session_new (SEC_SRTP_DIRECTION_UNPROTECT);
    sec_srtp_session_set_key (sessions[i], profiles[i], key,
        sec_srtp_profile_key_len (profiles[i]), NULL);
  }
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  guint8 *copy;
  guint32 ssrc;
  gsize len, hlen;
  SecSrtpEvents events;
  guint i;

  if (sessions[0] == NULL)
    setup ();
  sec_srtp_packet_parse (data, size, FALSE, &ssrc, &hlen);
  sec_srtp_packet_parse (data, size, TRUE, &ssrc, &hlen);
  /* an exact-size heap copy, so ASan sees any read past the end */
  copy = g_malloc (MAX (size, 1));
  for (i = 0; i < 8; i++) {
    memcpy (copy, data, size);
    len = size;
    sec_srtp_session_unprotect (sessions[i % 4], i >= 4, copy, &len, &ssrc,
        &events);
    g_assert (len <= size);
  }
  g_free (copy);
  return 0;
}
