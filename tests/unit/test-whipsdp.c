/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The descriptions of an ICE restart by PATCH (RFC 9725 §4.3.2,
 * ext/whip/gstsecwhipcommon.c): a description's ICE side as a trickle
 * fragment, and the peer's last description as it restarted with a
 * fragment (credentials at the level they were, candidates by mid, the
 * o= version one higher).
 */
#include <string.h>

#include "gstsecwhipcommon.h"

#define PWD_A "aaaaaaaaaaaaaaaaaaaaaaaa"
#define PWD_B "bbbbbbbbbbbbbbbbbbbbbbbb"

/* bundled, credentials per m-line (as secwebrtcbin writes them) */
static const gchar media_level[] =
    "v=0\r\n"
    "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=group:BUNDLE v a\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=mid:v\r\n"
    "a=ice-ufrag:uAAA\r\n"
    "a=ice-pwd:" PWD_A "\r\n"
    "a=candidate:1 1 UDP 2122260223 192.0.2.1 5000 typ host\r\n"
    "a=candidate:2 1 UDP 1686052607 198.51.100.1 6000 typ srflx "
    "raddr 192.0.2.1 rport 5000\r\n"
    "a=end-of-candidates\r\n"
    "a=rtpmap:96 VP8/90000\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=mid:a\r\n"
    "a=ice-ufrag:uAAA\r\n"
    "a=ice-pwd:" PWD_A "\r\n"
    "a=rtpmap:111 opus/48000/2\r\n";

/* credentials at session level (as some endpoints write them) */
static const gchar session_level[] =
    "v=0\r\n"
    "o=- 7 41 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=ice-ufrag:uAAA\r\n"
    "a=ice-pwd:" PWD_A "\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=mid:0\r\n"
    "a=candidate:1 1 UDP 2122260223 192.0.2.1 5000 typ host\r\n"
    "a=rtpmap:111 opus/48000/2\r\n";

static guint
count (const gchar * text, const gchar * needle)
{
  guint n = 0;

  for (const gchar * p = strstr (text, needle); p != NULL;
      p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_to_frag (void)
{
  GError *error = NULL;
  SecWhipFrag *frag = gst_sec_whip_sdp_to_frag (media_level, &error);
  SecWhipFragMedia *video, *audio;

  g_assert_no_error (error);
  g_assert_cmpstr (frag->ice_ufrag, ==, "uAAA");
  g_assert_cmpstr (frag->ice_pwd, ==, PWD_A);
  g_assert_cmpuint (frag->media->len, ==, 2);
  video = g_ptr_array_index (frag->media, 0);
  audio = g_ptr_array_index (frag->media, 1);
  g_assert_cmpstr (video->kind, ==, "video");
  g_assert_cmpstr (video->mid, ==, "v");
  g_assert_cmpuint (video->candidates->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (video->candidates, 1),
          "candidate:2 1 UDP 1686052607 198.51.100.1 6000 typ srflx"));
  g_assert_true (video->end_of_candidates);
  g_assert_cmpstr (audio->mid, ==, "a");
  g_assert_cmpuint (audio->candidates->len, ==, 0);
  sec_whip_frag_free (frag);

  /* session-level credentials are found too */
  frag = gst_sec_whip_sdp_to_frag (session_level, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (frag->ice_ufrag, ==, "uAAA");
  g_assert_cmpstr (frag->ice_pwd, ==, PWD_A);
  sec_whip_frag_free (frag);

  /* what is not a description with ICE credentials */
  g_assert_null (gst_sec_whip_sdp_to_frag ("v=0\r\ns=-\r\n", &error));
  g_assert_error (error, SEC_WHIP_FRAG_ERROR, SEC_WHIP_FRAG_ERROR_SYNTAX);
  g_clear_error (&error);
}

/* The fragment a peer restarts with: new credentials, a candidate for
 * mid "v" only, ended. */
static SecWhipFrag *
restart_frag (const gchar * mid)
{
  SecWhipFrag *frag = sec_whip_frag_new ("uBBB", PWD_B);
  SecWhipFragMedia *media = sec_whip_frag_add_media (frag, "video", mid);

  g_assert_true (sec_whip_frag_media_add_candidate (media,
          "candidate:9 1 UDP 2122260223 203.0.113.9 7000 typ host", NULL));
  media->end_of_candidates = TRUE;
  return frag;
}

static void
test_restart_media_level (void)
{
  SecWhipFrag *frag = restart_frag ("v");
  GError *error = NULL;
  gchar *sdp = gst_sec_whip_sdp_restart (media_level, frag, &error);

  g_assert_no_error (error);
  /* the old credentials and candidates are gone, the new ones per m-line */
  g_assert_null (strstr (sdp, "uAAA"));
  g_assert_null (strstr (sdp, PWD_A));
  g_assert_null (strstr (sdp, "192.0.2.1"));
  g_assert_cmpuint (count (sdp, "a=ice-ufrag:uBBB\r\n"), ==, 2);
  g_assert_cmpuint (count (sdp, "a=ice-pwd:" PWD_B "\r\n"), ==, 2);
  g_assert_cmpuint (count (sdp, "a=candidate:"), ==, 1);
  /* the candidate and its end on the m-line of mid v, before mid a */
  g_assert_true (strstr (sdp, "203.0.113.9") < strstr (sdp, "a=mid:a"));
  g_assert_cmpuint (count (sdp, "a=end-of-candidates"), ==, 1);
  /* the rest kept, the version one higher */
  g_assert_nonnull (strstr (sdp, "a=group:BUNDLE v a\r\n"));
  g_assert_nonnull (strstr (sdp, "a=rtpmap:96 VP8/90000\r\n"));
  g_assert_nonnull (strstr (sdp,
          "o=- 4611731400430051336 3 IN IP4 127.0.0.1\r\n"));
  g_free (sdp);
  sec_whip_frag_free (frag);
}

static void
test_restart_session_level (void)
{
  /* a fragment without mids: its media sections in m-line order */
  SecWhipFrag *frag = restart_frag (NULL);
  GError *error = NULL;
  gchar *sdp = gst_sec_whip_sdp_restart (session_level, frag, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (count (sdp, "a=ice-ufrag:"), ==, 1);
  g_assert_cmpuint (count (sdp, "a=ice-ufrag:uBBB"), ==, 1);
  /* still at session level: before the m-line */
  g_assert_true (strstr (sdp, "a=ice-ufrag:uBBB") < strstr (sdp, "m=audio"));
  g_assert_nonnull (strstr (sdp, "a=candidate:9 1 UDP"));
  g_assert_null (strstr (sdp, "192.0.2.1"));
  g_assert_nonnull (strstr (sdp, "o=- 7 42 IN IP4"));
  g_free (sdp);
  sec_whip_frag_free (frag);
}

static void
test_restart_refused (void)
{
  SecWhipFrag *frag = sec_whip_frag_new ("uBBB", NULL);
  GError *error = NULL;

  /* a restart names both credentials */
  g_assert_null (gst_sec_whip_sdp_restart (media_level, frag, &error));
  g_assert_error (error, SEC_WHIP_FRAG_ERROR, SEC_WHIP_FRAG_ERROR_SYNTAX);
  g_assert_null (strstr (error->message, PWD_B));
  g_clear_error (&error);
  sec_whip_frag_free (frag);

  frag = restart_frag ("v");
  g_assert_null (gst_sec_whip_sdp_restart ("not sdp at all", frag, &error));
  g_assert_error (error, SEC_WHIP_FRAG_ERROR, SEC_WHIP_FRAG_ERROR_SYNTAX);
  g_clear_error (&error);
  sec_whip_frag_free (frag);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/whip-sdp/to-frag", test_to_frag);
  g_test_add_func ("/whip-sdp/restart-media-level", test_restart_media_level);
  g_test_add_func ("/whip-sdp/restart-session-level",
      test_restart_session_level);
  g_test_add_func ("/whip-sdp/restart-refused", test_restart_refused);
  return g_test_run ();
}
