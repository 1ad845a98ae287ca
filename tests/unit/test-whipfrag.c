/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Trickle ICE SDP fragments (ext/whip/whipfrag.c): RFC 9725 §4.3.1's
 * PATCH body parsed, a fragment built and parsed back, credentials and
 * end-of-candidates at either level, and every refusal with the line it
 * names (the ICE password never quoted).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "whipfrag.h"

#include <string.h>

/* RFC 9725 §4.3.1, the body of the trickle PATCH */
static const gchar rfc_patch[] =
    "a=ice-ufrag:EsAw\r\n"
    "a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1\r\n"
    "m=audio 9 RTP/AVP 0\r\n"
    "a=mid:0\r\n"
    "a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host "
    "generation 0 ufrag EsAw network-id 1\r\n"
    "a=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host "
    "generation 0 ufrag EsAw network-id 2\r\n"
    "a=candidate:473322822 1 tcp 1518280447 192.0.2.1 9 typ host tcptype "
    "active generation 0 ufrag EsAw network-id 1\r\n"
    "a=candidate:2154773085 1 tcp 1518214911 198.51.100.2 9 typ host "
    "tcptype active generation 0 ufrag EsAw network-id 2\r\n"
    "a=end-of-candidates\r\n";

static void
test_rfc_patch (void)
{
  GError *error = NULL;
  SecWhipFrag *frag = sec_whip_frag_parse (rfc_patch, strlen (rfc_patch),
      &error);
  SecWhipFragMedia *media;

  g_assert_no_error (error);
  g_assert_cmpstr (frag->ice_ufrag, ==, "EsAw");
  g_assert_cmpstr (frag->ice_pwd, ==, "P2uYro0UCOQ4zxjKXaWCBui1");
  g_assert_false (frag->end_of_candidates);
  g_assert_cmpuint (frag->media->len, ==, 1);
  media = g_ptr_array_index (frag->media, 0);
  g_assert_cmpstr (media->kind, ==, "audio");
  g_assert_cmpstr (media->mid, ==, "0");
  g_assert_cmpuint (media->candidates->len, ==, 4);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (media->candidates, 2),
          "candidate:473322822 1 tcp "));
  g_assert_true (media->end_of_candidates);
  sec_whip_frag_free (frag);
}

static void
test_build_and_parse_back (void)
{
  g_autoptr (SecWhipFrag) frag = sec_whip_frag_new ("ufrg",
      "0123456789abcdefghij+/");
  g_autoptr (SecWhipFrag) back = NULL;
  SecWhipFragMedia *video, *data;
  GError *error = NULL;
  gchar *text;

  video = sec_whip_frag_add_media (frag, "video", "0");
  g_assert_true (sec_whip_frag_media_add_candidate (video,
          "a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host", NULL));
  g_assert_true (sec_whip_frag_media_add_candidate (video,
          "candidate:2 1 udp 1694498815 203.0.113.5 50001 typ srflx raddr "
          "127.0.0.1 rport 50000", NULL));
  g_assert_false (sec_whip_frag_media_add_candidate (video,
          "candidate:3 1 udp", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  data = sec_whip_frag_add_media (frag, "application", "1");
  data->end_of_candidates = TRUE;
  text = sec_whip_frag_to_string (frag);
  g_assert_cmpstr (text, ==,
      "a=ice-ufrag:ufrg\r\n"
      "a=ice-pwd:0123456789abcdefghij+/\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 0\r\n"
      "a=mid:0\r\n"
      "a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host\r\n"
      "a=candidate:2 1 udp 1694498815 203.0.113.5 50001 typ srflx raddr "
      "127.0.0.1 rport 50000\r\n"
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
      "a=mid:1\r\n" "a=end-of-candidates\r\n");
  back = sec_whip_frag_parse (text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->ice_ufrag, ==, "ufrg");
  g_assert_cmpuint (back->media->len, ==, 2);
  video = g_ptr_array_index (back->media, 0);
  data = g_ptr_array_index (back->media, 1);
  g_assert_cmpstr (video->mid, ==, "0");
  g_assert_cmpuint (video->candidates->len, ==, 2);
  g_assert_false (video->end_of_candidates);
  g_assert_cmpstr (data->kind, ==, "application");
  g_assert_true (data->end_of_candidates);
  g_free (text);
}

static void
test_levels_and_line_ends (void)
{
  /* LF line ends, credentials at media level, a session-level
   * end-of-candidates, lines we do not act on, a last line without an
   * end, blank lines */
  static const gchar text[] =
      "a=ice-options:trickle\n\n"
      "a=end-of-candidates\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\n"
      "a=ice-ufrag:abcd\n"
      "a=ice-pwd:abcdefghijklmnopqrstuv\n"
      "a=mid:v\n"
      "a=rtcp-mux\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\n"
      "a=ice-ufrag:abcd\n" "a=mid:a\n" "a=candidate:1 1 udp 1 ::1 9 typ host";
  GError *error = NULL;
  SecWhipFrag *frag = sec_whip_frag_parse (text, strlen (text), &error);
  SecWhipFragMedia *audio;

  g_assert_no_error (error);
  g_assert_true (frag->end_of_candidates);
  g_assert_cmpstr (frag->ice_ufrag, ==, "abcd");
  g_assert_cmpstr (frag->ice_pwd, ==, "abcdefghijklmnopqrstuv");
  g_assert_cmpuint (frag->media->len, ==, 2);
  audio = g_ptr_array_index (frag->media, 1);
  g_assert_cmpstr (audio->mid, ==, "a");
  g_assert_cmpuint (audio->candidates->len, ==, 1);
  sec_whip_frag_free (frag);

  /* an empty fragment: nothing, and no error */
  frag = sec_whip_frag_parse ("", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frag->media->len, ==, 0);
  g_assert_null (frag->ice_ufrag);
  sec_whip_frag_free (frag);
}

static void
expect_error (const gchar * text, gsize len, gint code, const gchar * part)
{
  GError *error = NULL;

  g_assert_null (sec_whip_frag_parse (text, len, &error));
  g_assert_error (error, SEC_WHIP_FRAG_ERROR, code);
  if (strstr (error->message, part) == NULL)
    g_error ("\"%s\" not in \"%s\"", part, error->message);
  g_assert_null (strstr (error->message, "SecretPassword"));
  g_error_free (error);
}

#define SYNTAX(text, part) \
  expect_error ((text), strlen (text), SEC_WHIP_FRAG_ERROR_SYNTAX, (part))

static void
test_refusals (void)
{
  GString *big;
  guint i;

  SYNTAX ("v=0\r\n", "line 1: a v= line");
  SYNTAX ("a=ice-ufrag:abcd\r\nhello\r\n", "line 2: not an SDP line");
  SYNTAX ("a=candidate:1 1 udp 1 127.0.0.1 9 typ host\r\n",
      "line 1: a candidate before any m= line");
  SYNTAX ("m=audio 9 RTP/AVP 0\r\na=candidate:1 1 udp\r\n", "line 2: ");
  SYNTAX ("m=audio\r\n", "without a media type and port");
  SYNTAX ("a=mid:0\r\n", "before any m= line");
  SYNTAX ("m=audio 9 RTP/AVP 0\r\na=mid:0\r\na=mid:1\r\n",
      "line 3: a second a=mid");
  SYNTAX ("m=audio 9 RTP/AVP 0\r\na=mid:\r\n", "malformed a=mid");
  SYNTAX ("a=ice-ufrag:ab\r\n", "malformed a=ice-ufrag");
  SYNTAX ("a=ice-ufrag:ab;d\r\n", "malformed a=ice-ufrag");
  SYNTAX ("a=ice-pwd:SecretPassword\r\n", "line 1: a malformed a=ice-pwd");
  SYNTAX ("a=ice-pwd:SecretPasswordSecretPassword\r\n"
      "m=audio 9 RTP/AVP 0\r\n"
      "a=ice-pwd:SecretPasswordSecretPasswordX\r\n",
      "line 3: a second a=ice-pwd that differs");
  SYNTAX ("a=ice-ufrag:abcd\r\nm=audio 9 RTP/AVP 0\r\na=ice-ufrag:abce\r\n",
      "a second a=ice-ufrag");
  expect_error ("a=ice-ufrag:ab\0cd\r\n", 18, SEC_WHIP_FRAG_ERROR_SYNTAX,
      "not UTF-8 text");
  expect_error ("a=ice-ufrag:ab\xff\xfe\r\n", 18, SEC_WHIP_FRAG_ERROR_SYNTAX,
      "not UTF-8 text");

  big = g_string_new (NULL);
  for (i = 0; i <= SEC_WHIP_FRAG_MAX_MEDIA; i++)
    g_string_append (big, "m=audio 9 RTP/AVP 0\r\n");
  expect_error (big->str, big->len, SEC_WHIP_FRAG_ERROR_TOO_LARGE,
      "more than 64 m= lines");
  g_string_assign (big, "m=audio 9 RTP/AVP 0\r\n");
  for (i = 0; i <= SEC_WHIP_FRAG_MAX_CANDIDATES; i++)
    g_string_append_printf (big, "a=candidate:%u 1 udp 1 127.0.0.1 %u typ "
        "host\r\n", i, 1000 + i);
  expect_error (big->str, big->len, SEC_WHIP_FRAG_ERROR_TOO_LARGE,
      "more than 256 candidates");
  g_string_set_size (big, 0);
  while (big->len <= SEC_WHIP_FRAG_MAX_LENGTH)
    g_string_append (big, "a=ice-options:trickle\r\n");
  expect_error (big->str, big->len, SEC_WHIP_FRAG_ERROR_TOO_LARGE,
      "at most 65536");
  g_string_free (big, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/whip-frag/rfc-patch", test_rfc_patch);
  g_test_add_func ("/whip-frag/build-and-parse-back",
      test_build_and_parse_back);
  g_test_add_func ("/whip-frag/levels-and-line-ends",
      test_levels_and_line_ends);
  g_test_add_func ("/whip-frag/refusals", test_refusals);
  return g_test_run ();
}
