/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading and checking a remote description, on real SDP: Chromium 156's
 * offers and answers (captured, tests/unit/sdp/capture), gst-plugins-bad
 * webrtcbin 1.22's offer and answer (captured the same way, in another
 * process) and Firefox-style SDP written from what Firefox sends. Every
 * field the bin uses, every security rule with its message, garbage and
 * every prefix of the captured descriptions, and the renegotiation rule.
 */
#include "sdpcheck.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* SDP text helpers */

static gchar *
load_sdp (const gchar * name)
{
  gchar *path = g_test_build_filename (G_TEST_DIST, "sdp", name, NULL);
  gchar *contents = NULL;
  GError *error = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("cannot read %s: %s", path, error->message);
  g_free (path);
  return contents;
}

/* Rewrites the lines of @text: section -1 is the session level, n the
 * n-th m= section; G_MAXINT means every section. A line starting with
 * @prefix is dropped (@replacement NULL) or replaced; @append, when not
 * NULL, is added at the end of the section. */
static gchar *
edit_sdp (const gchar * text, gint section, const gchar * prefix,
    const gchar * replacement, const gchar * append)
{
  gchar **lines = g_strsplit (text, "\r\n", -1);
  GString *out = g_string_new (NULL);
  gint current = -1;
  guint i;

  for (i = 0; lines[i] != NULL; i++) {
    const gchar *line = lines[i];
    gboolean here;

    if (line[0] == '\0' && lines[i + 1] == NULL)
      break;
    if (g_str_has_prefix (line, "m=")) {
      if (append != NULL && (section == current || section == G_MAXINT))
        g_string_append_printf (out, "%s\r\n", append);
      current++;
    }
    here = section == current || section == G_MAXINT;
    if (here && prefix != NULL && g_str_has_prefix (line, prefix)) {
      if (replacement != NULL)
        g_string_append_printf (out, "%s\r\n", replacement);
      continue;
    }
    g_string_append_printf (out, "%s\r\n", line);
  }
  if (append != NULL && (section == current || section == G_MAXINT))
    g_string_append_printf (out, "%s\r\n", append);
  g_strfreev (lines);
  return g_string_free (out, FALSE);
}

static gchar *
drop_lines (const gchar * text, gint section, const gchar * prefix)
{
  return edit_sdp (text, section, prefix, NULL, NULL);
}

static gchar *
replace_line (
    const gchar * text, gint section, const gchar * prefix, const gchar * line)
{
  return edit_sdp (text, section, prefix, line, NULL);
}

static gchar *
add_line (const gchar * text, gint section, const gchar * line)
{
  return edit_sdp (text, section, NULL, NULL, line);
}

/* every occurrence */
static gchar *
replace_text (const gchar * text, const gchar * old, const gchar * new_text)
{
  gchar **parts = g_strsplit (text, old, -1);
  gchar *result = g_strjoinv (new_text, parts);

  g_assert_cmpuint (g_strv_length (parts), >, 1);
  g_strfreev (parts);
  return result;
}

/* Chromium's certificate in chromium-offer.sdp */
#define CHROMIUM_FINGERPRINT                                                   \
  "sha-256 32:B0:05:09:50:F3:89:1A:0C:A4:9F:D3:"                               \
  "17:19:82:9A:CA:15:81:03:DD:64:52:F5:14:32:5A:39:77:94:E5:60"
#define OTHER_FINGERPRINT                                                      \
  "sha-256 AA:B0:05:09:50:F3:89:1A:0C:A4:9F:D3:"                               \
  "17:19:82:9A:CA:15:81:03:DD:64:52:F5:14:32:5A:39:77:94:E5:60"

static SecSdpDescription *
expect_ok (const gchar * text, SecSdpType type)
{
  GError *error = NULL;
  SecSdpDescription *description = sec_sdp_check (text, -1, type, &error);

  if (description == NULL)
    g_error ("refused: %s\n%s", error->message, text);
  g_assert_no_error (error);
  g_assert_cmpint (description->type, ==, type);
  return description;
}

static void
expect_ok_and_free (const gchar * text, SecSdpType type)
{
  sec_sdp_description_free (expect_ok (text, type));
}

/* @message: the whole message, or (ending in "...") its start */
static void
expect_error (
    const gchar * text, SecSdpType type, gint code, const gchar * message)
{
  GError *error = NULL;
  SecSdpDescription *description = sec_sdp_check (text, -1, type, &error);
  gsize length = strlen (message);

  if (description != NULL)
    g_error ("accepted, expected \"%s\":\n%s", message, text);
  g_assert_nonnull (error);
  if (error->domain != SEC_SDP_ERROR || error->code != code)
    g_error ("error %d (%s), expected %d (%s)", error->code, error->message,
        code, message);
  if (g_str_has_suffix (message, "...")) {
    if (strncmp (error->message, message, length - 3) != 0)
      g_error ("message\n  \"%s\"\ndoes not start with\n  \"%.*s\"",
          error->message, (int)length - 3, message);
  } else if (strcmp (error->message, message) != 0) {
    g_error ("message\n  \"%s\"\nexpected\n  \"%s\"", error->message, message);
  }
  g_error_free (error);
}

static const SecSdpMedia *
media_at (const SecSdpDescription * description, guint index)
{
  g_assert_cmpuint (index, <, description->media->len);
  return g_ptr_array_index (description->media, index);
}

static const SecSdpPayload *
payload_at (const SecSdpMedia * media, guint index)
{
  g_assert_cmpuint (index, <, media->payloads->len);
  return g_ptr_array_index (media->payloads, index);
}

static const SecSdpPayload *
find_payload (const SecSdpMedia * media, guint pt)
{
  guint i;

  for (i = 0; i < media->payloads->len; i++) {
    const SecSdpPayload *payload = g_ptr_array_index (media->payloads, i);

    if (payload->pt == pt)
      return payload;
  }
  g_error ("no payload type %u in m-line %u", pt, media->index);
  return NULL;
}

static void
assert_strv (gchar ** strv, const gchar * const * expected)
{
  guint i;

  for (i = 0; expected[i] != NULL; i++) {
    g_assert_nonnull (strv[i]);
    g_assert_cmpstr (strv[i], ==, expected[i]);
  }
  g_assert_null (strv[i]);
}

/* ------------------------------------------------------------------ */
/* Real descriptions, field by field */

static void
test_chromium_offer (void)
{
  gchar *text = load_sdp ("chromium-offer.sdp");
  SecSdpDescription *description = expect_ok (text, SEC_SDP_TYPE_OFFER);
  const SecSdpMedia *audio, *video;
  const SecSdpPayload *payload;
  const SecSdpExtmap *extmap;
  const SecSdpSsrc *ssrc;
  const SecSdpSsrcGroup *group;
  guint pts[] = { 111, 63, 9, 0, 8, 13, 110, 126 }, i;

  g_assert_cmpstr (description->origin_session_id, ==, "7325401989981900425");
  g_assert_cmpstr (description->origin_session_version, ==, "2");
  g_assert_false (description->ice_lite);
  g_assert_null (description->fingerprints[0]);
  g_assert_cmpuint (description->bundle_groups->len, ==, 1);
  assert_strv (g_ptr_array_index (description->bundle_groups, 0),
      (const gchar *[]){ "0", "1", NULL });
  g_assert_cmpuint (description->media->len, ==, 2);

  audio = media_at (description, 0);
  g_assert_cmpuint (audio->index, ==, 0);
  g_assert_cmpint (audio->kind, ==, SEC_SDP_MEDIA_AUDIO);
  g_assert_cmpstr (audio->media, ==, "audio");
  g_assert_cmpuint (audio->port, ==, 34631);
  g_assert_false (audio->rejected);
  g_assert_false (audio->bundle_only);
  g_assert_cmpstr (audio->protocol, ==, "UDP/TLS/RTP/SAVPF");
  g_assert_cmpint (audio->proto, ==, SEC_SDP_PROTO_DTLS_SRTP);
  g_assert_true (audio->feedback);
  assert_strv (audio->formats,
      (const gchar *[]){
          "111", "63", "9", "0", "8", "13", "110", "126", NULL });
  g_assert_cmpstr (audio->mid, ==, "0");
  g_assert_cmpint (audio->bundle_group, ==, 0);
  g_assert_cmpuint (audio->transport_index, ==, 0);
  g_assert_cmpint (audio->direction, ==, SEC_SDP_DIRECTION_SENDRECV);
  g_assert_cmpint (audio->setup, ==, SEC_SDP_SETUP_ACTPASS);
  g_assert_cmpstr (audio->ice_ufrag, ==, "A9ss");
  g_assert_cmpstr (audio->ice_pwd, ==, "h/x5trdvj4DO0hYip/wL+jvk");
  assert_strv (audio->ice_options, (const gchar *[]){ "trickle", NULL });
  g_assert_true (audio->ice_trickle);
  assert_strv (
      audio->fingerprints, (const gchar *[]){ CHROMIUM_FINGERPRINT, NULL });
  g_assert_true (audio->rtcp_mux);
  g_assert_false (audio->rtcp_mux_only);
  g_assert_true (audio->rtcp_rsize);
  g_assert_cmpuint (g_strv_length (audio->candidates), ==, 4);
  g_assert_cmpstr (audio->candidates[0], ==,
      "candidate:2017430855 1 udp "
      "2122194687 192.0.2.2 34631 typ host generation 0 network-id 1");
  g_assert_cmpstr (audio->candidates[3], ==,
      "candidate:1307809843 1 tcp "
      "1518285567 fd00::2 9 typ host tcptype active generation 0 "
      "network-id 2");
  g_assert_false (audio->end_of_candidates);

  g_assert_cmpuint (audio->payloads->len, ==, G_N_ELEMENTS (pts));
  for (i = 0; i < G_N_ELEMENTS (pts); i++)
    g_assert_cmpuint (payload_at (audio, i)->pt, ==, pts[i]);
  payload = payload_at (audio, 0);
  g_assert_cmpstr (payload->rtpmap, ==, "opus/48000/2");
  g_assert_cmpstr (payload->fmtp, ==, "minptime=10;useinbandfec=1");
  assert_strv (payload->rtcp_fb, (const gchar *[]){ "transport-cc", NULL });
  payload = find_payload (audio, 63);
  g_assert_cmpstr (payload->rtpmap, ==, "red/48000/2");
  g_assert_cmpstr (payload->fmtp, ==, "111/111");
  payload = find_payload (audio, 0);
  g_assert_cmpstr (payload->rtpmap, ==, "PCMU/8000");
  g_assert_null (payload->fmtp);
  g_assert_null (payload->rtcp_fb[0]);

  g_assert_cmpuint (audio->extmaps->len, ==, 4);
  extmap = g_ptr_array_index (audio->extmaps, 3);
  g_assert_cmpuint (extmap->id, ==, 4);
  g_assert_cmpstr (extmap->uri, ==, "urn:ietf:params:rtp-hdrext:sdes:mid");
  g_assert_cmpint (extmap->direction, ==, SEC_SDP_DIRECTION_SENDRECV);
  g_assert_null (extmap->attributes);

  g_assert_cmpuint (audio->ssrcs->len, ==, 1);
  ssrc = g_ptr_array_index (audio->ssrcs, 0);
  g_assert_cmpuint (ssrc->ssrc, ==, 2701197027u);
  g_assert_cmpstr (ssrc->cname, ==, "RLhoURZO+BNDE2yV");
  g_assert_cmpstr (ssrc->msid, ==,
      "8f65c8bb-0d94-4b7e-90be-b30e2e3e6c61 "
      "53115af1-1fa8-4e25-866b-6a1093593a8a");
  assert_strv (audio->msids,
      (const gchar *[]){ "8f65c8bb-0d94-4b7e-90be-b30e2e3e6c61 "
                         "53115af1-1fa8-4e25-866b-6a1093593a8a",
          NULL });
  g_assert_cmpuint (audio->ssrc_groups->len, ==, 0);
  g_assert_cmpuint (audio->sctp_port, ==, 0);
  g_assert_false (audio->has_max_message_size);

  video = media_at (description, 1);
  g_assert_cmpint (video->kind, ==, SEC_SDP_MEDIA_VIDEO);
  g_assert_cmpuint (video->port, ==, 44165);
  g_assert_cmpstr (video->mid, ==, "1");
  g_assert_cmpint (video->bundle_group, ==, 0);
  g_assert_cmpuint (video->transport_index, ==, 0);
  g_assert_cmpuint (video->payloads->len, ==, 23);
  payload = payload_at (video, 0);
  g_assert_cmpuint (payload->pt, ==, 96);
  g_assert_cmpstr (payload->rtpmap, ==, "VP8/90000");
  assert_strv (payload->rtcp_fb,
      (const gchar *[]){
          "goog-remb", "transport-cc", "ccm fir", "nack", "nack pli", NULL });
  payload = find_payload (video, 97);
  g_assert_cmpstr (payload->rtpmap, ==, "rtx/90000");
  g_assert_cmpstr (payload->fmtp, ==, "apt=96");
  payload = find_payload (video, 102);
  g_assert_cmpstr (payload->rtpmap, ==, "H264/90000");
  g_assert_cmpstr (payload->fmtp, ==,
      "level-asymmetry-allowed=1;"
      "packetization-mode=1;profile-level-id=42001f");
  payload = find_payload (video, 98);
  g_assert_cmpstr (payload->rtpmap, ==, "VP9/90000");
  g_assert_cmpstr (payload->fmtp, ==, "profile-id=0");
  payload = find_payload (video, 45);
  g_assert_cmpstr (payload->rtpmap, ==, "AV1/90000");
  g_assert_cmpuint (video->extmaps->len, ==, 11);
  extmap = g_ptr_array_index (video->extmaps, 0);
  g_assert_cmpuint (extmap->id, ==, 14);
  g_assert_cmpstr (extmap->uri, ==, "urn:ietf:params:rtp-hdrext:toffset");
  g_assert_cmpuint (video->ssrcs->len, ==, 2);
  g_assert_cmpuint (video->ssrc_groups->len, ==, 1);
  group = g_ptr_array_index (video->ssrc_groups, 0);
  g_assert_cmpstr (group->semantics, ==, "FID");
  g_assert_cmpuint (group->ssrcs->len, ==, 2);
  g_assert_cmpuint (g_array_index (group->ssrcs, guint32, 0), ==, 1728766208u);
  g_assert_cmpuint (g_array_index (group->ssrcs, guint32, 1), ==, 1660185028u);
  g_assert_true (sec_sdp_description_find_mid (description, "1") == video);
  g_assert_null (sec_sdp_description_find_mid (description, "2"));

  sec_sdp_description_free (description);

  /* the same text as an answer: an answer must choose the DTLS role */
  expect_error (text, SEC_SDP_TYPE_ANSWER, SEC_SDP_ERROR_SETUP,
      "m-line 0 (audio, mid 0): the answer says a=setup:actpass, but an "
      "answer must choose the DTLS role, active or passive (RFC 8842 §5.3)");
  g_free (text);
}

static void
test_chromium_answers (void)
{
  gchar *text = load_sdp ("chromium-answer.sdp");
  SecSdpDescription *description = expect_ok (text, SEC_SDP_TYPE_ANSWER);
  const SecSdpMedia *audio = media_at (description, 0);

  g_assert_cmpint (audio->setup, ==, SEC_SDP_SETUP_ACTIVE);
  g_assert_cmpuint (description->media->len, ==, 2);
  g_assert_cmpuint (media_at (description, 1)->transport_index, ==, 0);
  g_assert_cmpstr (audio->fingerprints[0], !=, CHROMIUM_FINGERPRINT);
  sec_sdp_description_free (description);
  /* an offer may say active too (RFC 8842 §5.2 asks for actpass) */
  expect_ok_and_free (text, SEC_SDP_TYPE_OFFER);
  g_free (text);

  /* Chromium answering gst-plugins-bad's webrtcbin: webrtcbin's mids */
  text = load_sdp ("chromium-answer-to-webrtcbin.sdp");
  description = expect_ok (text, SEC_SDP_TYPE_ANSWER);
  g_assert_cmpstr (media_at (description, 0)->mid, ==, "audio0");
  g_assert_cmpstr (media_at (description, 1)->mid, ==, "video1");
  g_assert_cmpuint (media_at (description, 1)->port, ==, 9);
  g_assert_cmpstr (
      payload_at (media_at (description, 1), 0)->rtpmap, ==, "VP8/90000");
  sec_sdp_description_free (description);
  g_free (text);
}

static void
test_chromium_datachannel (void)
{
  gchar *text = load_sdp ("chromium-datachannel-offer.sdp");
  SecSdpDescription *description = expect_ok (text, SEC_SDP_TYPE_OFFER);
  const SecSdpMedia *data = media_at (description, 2);

  g_assert_cmpint (data->kind, ==, SEC_SDP_MEDIA_APPLICATION);
  g_assert_cmpint (data->proto, ==, SEC_SDP_PROTO_DTLS_SCTP);
  g_assert_cmpstr (data->protocol, ==, "UDP/DTLS/SCTP");
  assert_strv (data->formats, (const gchar *[]){ "webrtc-datachannel", NULL });
  g_assert_cmpuint (data->sctp_port, ==, 5000);
  g_assert_true (data->has_max_message_size);
  g_assert_cmpuint (data->max_message_size, ==, 262144);
  g_assert_cmpuint (data->payloads->len, ==, 0);
  g_assert_false (data->rtcp_mux);
  g_assert_cmpuint (data->transport_index, ==, 0);
  g_assert_cmpstr (data->mid, ==, "2");
  sec_sdp_description_free (description);
  g_free (text);

  text = load_sdp ("chromium-datachannel-answer.sdp");
  expect_ok_and_free (text, SEC_SDP_TYPE_ANSWER);
  g_free (text);
}

static void
test_webrtcbin (void)
{
  gchar *text = load_sdp ("webrtcbin-offer.sdp");
  SecSdpDescription *description = expect_ok (text, SEC_SDP_TYPE_OFFER);
  const SecSdpMedia *audio = media_at (description, 0);
  const SecSdpMedia *video = media_at (description, 1);

  /* webrtcbin bundles with port 0 and a=bundle-only (RFC 8843 §6) */
  g_assert_cmpuint (video->port, ==, 0);
  g_assert_true (video->bundle_only);
  g_assert_false (video->rejected);
  g_assert_cmpuint (video->transport_index, ==, 0);
  g_assert_cmpstr (audio->mid, ==, "audio0");
  g_assert_cmpstr (audio->ice_ufrag, ==, "w1MdRWoWVlv0xBm/08v+ZUfmVbhdgC3f");
  g_assert_true (audio->rtcp_mux_only);
  g_assert_cmpuint (g_strv_length (audio->candidates), ==, 9);
  g_assert_cmpstr (audio->candidates[1], ==,
      "candidate:2 1 TCP 1015021823 "
      "192.0.2.2 9 typ host tcptype active");
  g_assert_cmpuint (g_strv_length (video->candidates), ==, 0);
  g_assert_true (audio->ice_trickle); /* session level */
  g_assert_true (video->ice_trickle);
  g_assert_cmpstr (payload_at (audio, 0)->rtpmap, ==, "OPUS/48000/2");
  g_assert_cmpstr (payload_at (audio, 0)->fmtp, ==,
      "sprop-stereo=0;sprop-maxcapturerate=48000");
  assert_strv (payload_at (video, 0)->rtcp_fb,
      (const gchar *[]){ "nack pli", "ccm fir", "transport-cc", NULL });
  g_assert_cmpstr (((SecSdpSsrc *)g_ptr_array_index (video->ssrcs, 0))->msid,
      ==,
      "user1464037759@host-5545523d "
      "webrtctransceiver1");
  sec_sdp_description_free (description);
  g_free (text);

  text = load_sdp ("webrtcbin-answer.sdp");
  description = expect_ok (text, SEC_SDP_TYPE_ANSWER);
  g_assert_cmpint (media_at (description, 1)->setup, ==, SEC_SDP_SETUP_ACTIVE);
  sec_sdp_description_free (description);
  g_free (text);
}

static void
test_firefox (void)
{
  gchar *text = load_sdp ("firefox-offer.sdp");
  SecSdpDescription *description = expect_ok (text, SEC_SDP_TYPE_OFFER);
  const SecSdpMedia *audio = media_at (description, 0);
  const SecSdpMedia *video = media_at (description, 1);
  const SecSdpMedia *data = media_at (description, 2);
  const SecSdpExtmap *extmap;
  const gchar *fingerprint =
      "sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:"
      "3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08";

  /* Firefox: the fingerprint at session level */
  assert_strv (
      description->fingerprints, (const gchar *[]){ fingerprint, NULL });
  assert_strv (audio->fingerprints, (const gchar *[]){ fingerprint, NULL });
  assert_strv (data->fingerprints, (const gchar *[]){ fingerprint, NULL });
  g_assert_cmpstr (audio->ice_ufrag, ==, "58b99ead");
  g_assert_true (audio->ice_trickle);
  extmap = g_ptr_array_index (audio->extmaps, 1);
  g_assert_cmpuint (extmap->id, ==, 2);
  g_assert_cmpint (extmap->direction, ==, SEC_SDP_DIRECTION_RECVONLY);
  g_assert_cmpstr (find_payload (audio, 101)->fmtp, ==, "0-15");
  g_assert_cmpstr (find_payload (audio, 9)->rtpmap, ==, "G722/8000/1");
  g_assert_cmpstr (find_payload (video, 126)->fmtp, ==,
      "profile-level-id="
      "42e01f;level-asymmetry-allowed=1;packetization-mode=1");
  g_assert_cmpstr (find_payload (video, 124)->fmtp, ==, "apt=120");
  g_assert_cmpstr (audio->msids[0], ==,
      "{5a990edd-0568-ac40-8d97-310fc33f3411} "
      "{218cfa1c-617d-2249-9997-60929ce4c405}");
  g_assert_cmpuint (data->max_message_size, ==, 1073741823);
  g_assert_false (audio->rtcp_rsize);
  g_assert_true (video->rtcp_rsize);
  sec_sdp_description_free (description);
  g_free (text);

  text = load_sdp ("firefox-answer-to-chromium.sdp");
  description = expect_ok (text, SEC_SDP_TYPE_ANSWER);
  g_assert_cmpint (media_at (description, 0)->setup, ==, SEC_SDP_SETUP_ACTIVE);
  g_assert_cmpstr (media_at (description, 1)->fingerprints[0], ==,
      description->fingerprints[0]);
  sec_sdp_description_free (description);
  g_free (text);
}

/* ------------------------------------------------------------------ */
/* Fingerprints */

static void
test_fingerprint_normalize (void)
{
  static const struct
  {
    const gchar *value;
    const gchar *normalized;
  } valid[] = {
    { "sha-256 32:b0:05:09:50:f3:89:1a:0c:a4:9f:d3:17:19:82:9a:ca:15:81:03:"
      "dd:64:52:f5:14:32:5a:39:77:94:e5:60",
        CHROMIUM_FINGERPRINT },
    { "SHA-256  32:B0:05:09:50:F3:89:1A:0C:A4:9F:D3:17:19:82:9A:CA:15:81:03:"
      "DD:64:52:F5:14:32:5A:39:77:94:E5:60 ",
        CHROMIUM_FINGERPRINT },
    { "sha-384 "
      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:ff",
        "sha-384 "
        "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
        "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
        "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF" },
  };
  static const struct
  {
    const gchar *value;
    gint code;
    const gchar *message;
  } invalid[] = {
    { "sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB",
        SEC_SDP_ERROR_WEAK_HASH,
        "a=fingerprint uses sha-1, which is "
        "weaker than sha-256: the peer's certificate cannot be verified "
        "with it; the peer must send a sha-256, sha-384 or sha-512 "
        "fingerprint" },
    { "md5 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B",
        SEC_SDP_ERROR_WEAK_HASH, "a=fingerprint uses md5, which is..." },
    { "MD2 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B",
        SEC_SDP_ERROR_WEAK_HASH, "a=fingerprint uses md2, which is..." },
    { "sha-224 00:11", SEC_SDP_ERROR_WEAK_HASH,
        "a=fingerprint uses sha-224, which is..." },
    { "sha256 32:B0:05:09:50:F3:89:1A:0C:A4:9F:D3:17:19:82:9A:CA:15:81:03:"
      "DD:64:52:F5:14:32:5A:39:77:94:E5:60",
        SEC_SDP_ERROR_INVALID,
        "a=fingerprint has the unknown hash function \"sha256\": use "
        "sha-256, sha-384 or sha-512 (RFC 8122 §5)" },
    { "", SEC_SDP_ERROR_INVALID,
        "a=fingerprint has the unknown hash "
        "function \"\": use sha-256, sha-384 or sha-512 (RFC 8122 §5)" },
    { "sha-256", SEC_SDP_ERROR_INVALID,
        "a=fingerprint sha-256: expected "
        "two hex digits at byte 1 of the digest" },
    { "sha-256 32:B0:05:09:50:F3:89:1A:0C:A4:9F:D3:17:19:82:9A:CA:15:81:03:"
      "DD:64:52:F5:14:32:5A:39:77:94:E5",
        SEC_SDP_ERROR_INVALID,
        "a=fingerprint sha-256 has 31 bytes, but a sha-256 digest has 32" },
    { "sha-256 32:B0:05:09:50:F3:89:1A:0C:A4:9F:D3:17:19:82:9A:CA:15:81:03:"
      "DD:64:52:F5:14:32:5A:39:77:94:E5:60:00",
        SEC_SDP_ERROR_INVALID,
        "a=fingerprint sha-256 has more than 32 bytes, but a sha-256 digest "
        "has 32" },
    { "sha-256 32B0:05:09:50:F3:89:1A:0C:A4:9F:D3:17:19:82:9A:CA:15:81:03:"
      "DD:64:52:F5:14:32:5A:39:77:94:E5:60",
        SEC_SDP_ERROR_INVALID,
        "a=fingerprint sha-256: unexpected text after byte 1 of the digest "
        "(hex pairs joined by ':' expected)" },
    { "sha-256 3G:B0", SEC_SDP_ERROR_INVALID,
        "a=fingerprint sha-256: "
        "expected two hex digits at byte 1 of the digest" },
    { "sha-256 32:B0:05:09:50:F3:89:1A:0C:A4:9F:D3:17:19:82:9A:CA:15:81:03:"
      "DD:64:52:F5:14:32:5A:39:77:94:E5:60 x",
        SEC_SDP_ERROR_INVALID,
        "a=fingerprint sha-256: unexpected text after byte 32 of the..." },
    { "sha-256 32:B0:", SEC_SDP_ERROR_INVALID,
        "a=fingerprint sha-256: "
        "expected two hex digits at byte 3 of the digest" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (valid); i++) {
    GError *error = NULL;
    gchar *normalized = sec_sdp_fingerprint_normalize (valid[i].value, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (normalized, ==, valid[i].normalized);
    g_free (normalized);
  }
  for (i = 0; i < G_N_ELEMENTS (invalid); i++) {
    GError *error = NULL;
    gchar *normalized =
        sec_sdp_fingerprint_normalize (invalid[i].value, &error);
    gsize length = strlen (invalid[i].message);

    if (normalized != NULL)
      g_error ("\"%s\" accepted as %s", invalid[i].value, normalized);
    g_assert_error (error, SEC_SDP_ERROR, invalid[i].code);
    if (g_str_has_suffix (invalid[i].message, "..."))
      g_assert_cmpint (
          strncmp (error->message, invalid[i].message, length - 3), ==, 0);
    else
      g_assert_cmpstr (error->message, ==, invalid[i].message);
    g_error_free (error);
  }
}

/* ------------------------------------------------------------------ */
/* The security rules, each on the real Chromium offer */

static void
test_rule_fingerprint (void)
{
  gchar *offer = load_sdp ("chromium-offer.sdp");
  gchar *text, *text2;
  SecSdpDescription *description;

  /* none anywhere */
  text = drop_lines (offer, G_MAXINT, "a=fingerprint:");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_NO_FINGERPRINT,
      "m-line 0 (audio, mid 0): the remote description has no "
      "a=fingerprint: the peer's certificate could not be verified; the "
      "peer must send the sha-256 fingerprint of its DTLS certificate "
      "(RFC 8122 §5)");
  expect_error (text, SEC_SDP_TYPE_ANSWER, SEC_SDP_ERROR_NO_FINGERPRINT,
      "m-line 0 (audio, mid 0): the remote description has no...");

  /* at session level only: taken for every m-line */
  text2 = add_line (text, -1, "a=fingerprint:" CHROMIUM_FINGERPRINT);
  description = expect_ok (text2, SEC_SDP_TYPE_OFFER);
  assert_strv (media_at (description, 1)->fingerprints,
      (const gchar *[]){ CHROMIUM_FINGERPRINT, NULL });
  sec_sdp_description_free (description);
  g_free (text2);
  g_free (text);

  /* only the tag has one: the bundled m-line takes it (RFC 8843 §7.1.3) */
  text = drop_lines (offer, 1, "a=fingerprint:");
  description = expect_ok (text, SEC_SDP_TYPE_OFFER);
  assert_strv (media_at (description, 1)->fingerprints,
      (const gchar *[]){ CHROMIUM_FINGERPRINT, NULL });
  sec_sdp_description_free (description);
  /* without BUNDLE the second m-line has its own transport: refused */
  text2 = drop_lines (text, -1, "a=group:BUNDLE");
  expect_error (text2, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_NO_FINGERPRINT,
      "m-line 1 (video, mid 1): the remote description has no...");
  g_free (text2);
  g_free (text);

  /* weak hashes, at media and at session level, and next to a good one */
  text = replace_line (offer, 0, "a=fingerprint:",
      "a=fingerprint:sha-1 "
      "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_WEAK_HASH,
      "m-line 0 (audio, mid 0): a=fingerprint uses sha-1, which is weaker "
      "than sha-256: the peer's certificate cannot be verified with it; the "
      "peer must send a sha-256, sha-384 or sha-512 fingerprint");
  g_free (text);
  text = add_line (offer, 1,
      "a=fingerprint:md5 "
      "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_WEAK_HASH,
      "m-line 1 (video, mid 1): a=fingerprint uses md5, which is...");
  g_free (text);
  text = add_line (offer, -1,
      "a=fingerprint:sha-224 "
      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:"
      "77:88:99:AA:BB");
  expect_error (text, SEC_SDP_TYPE_ANSWER, SEC_SDP_ERROR_WEAK_HASH,
      "session level: a=fingerprint uses sha-224, which is...");
  g_free (text);

  /* malformed */
  text = replace_line (offer, 0, "a=fingerprint:",
      "a=fingerprint:sha-256 "
      "32:B0:05:09:50:F3:89:1A:0C:A4:9F:D3:17:19:82:9A:CA:15:81:03:DD:64:52:"
      "F5:14:32:5A:39:77:94:E5");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_INVALID,
      "m-line 0 (audio, mid 0): a=fingerprint sha-256 has 31 bytes, but a "
      "sha-256 digest has 32");
  g_free (text);

  /* sha-512 and lower case: normalised */
  text = replace_text (offer, "a=fingerprint:" CHROMIUM_FINGERPRINT,
      "a=fingerprint:SHA-512 "
      "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:"
      "77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:"
      "ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff");
  description = expect_ok (text, SEC_SDP_TYPE_OFFER);
  g_assert_cmpstr (media_at (description, 1)->fingerprints[0], ==,
      "sha-512 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:"
      "44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:"
      "BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
  sec_sdp_description_free (description);
  g_free (text);

  /* two certificates (RFC 8122 §5 allows several lines): both kept */
  text = add_line (offer, 0, "a=fingerprint:" OTHER_FINGERPRINT);
  text2 = add_line (text, 1, "a=fingerprint:" OTHER_FINGERPRINT);
  description = expect_ok (text2, SEC_SDP_TYPE_OFFER);
  assert_strv (media_at (description, 0)->fingerprints,
      (const gchar *[]){ CHROMIUM_FINGERPRINT, OTHER_FINGERPRINT, NULL });
  sec_sdp_description_free (description);
  g_free (text2);
  g_free (text);
  g_free (offer);
}

static void
test_rule_profile (void)
{
  gchar *offer = load_sdp ("chromium-offer.sdp");
  gchar *text, *text2;
  SecSdpDescription *description;

  text = replace_text (offer, "UDP/TLS/RTP/SAVPF", "RTP/AVP");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_INSECURE_PROFILE,
      "m-line 0 (audio, mid 0): the profile RTP/AVP is plain, unencrypted "
      "RTP and is refused; the peer must use DTLS-SRTP (UDP/TLS/RTP/SAVPF)");
  expect_error (text, SEC_SDP_TYPE_ANSWER, SEC_SDP_ERROR_INSECURE_PROFILE,
      "m-line 0 (audio, mid 0): the profile RTP/AVP is plain...");
  g_free (text);

  /* only the second m-line */
  text =
      edit_sdp (offer, G_MAXINT, "m=video ", "m=video 9 RTP/AVPF 96 97", NULL);
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_INSECURE_PROFILE,
      "m-line 1 (video, mid 1): the profile RTP/AVPF is plain, "
      "unencrypted...");
  g_free (text);

  /* SDES: SRTP keyed in the signaling, with or without a=crypto */
  text = replace_text (offer, "UDP/TLS/RTP/SAVPF", "RTP/SAVPF");
  text2 = add_line (text, 0,
      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
      "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz");
  expect_error (text2, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_INSECURE_PROFILE,
      "m-line 0 (audio, mid 0): the profile RTP/SAVPF is SRTP keyed in the "
      "signaling (SDES, a=crypto) and is refused: SRTP keys must come from "
      "DTLS; the peer must use DTLS-SRTP (UDP/TLS/RTP/SAVPF)");
  g_free (text2);
  g_free (text);
  text = replace_text (offer, "UDP/TLS/RTP/SAVPF", "RTP/SAVP");
  expect_error (text, SEC_SDP_TYPE_ANSWER, SEC_SDP_ERROR_INSECURE_PROFILE,
      "m-line 0 (audio, mid 0): the profile RTP/SAVP is SRTP keyed...");
  g_free (text);

  /* only SDES keys on a DTLS profile (no fingerprint): refused as such;
   * the key never appears in the message */
  text = drop_lines (offer, G_MAXINT, "a=fingerprint:");
  text2 = add_line (text, G_MAXINT,
      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
      "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz");
  expect_error (text2, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_SDES,
      "m-line 0 (audio, mid 0): the remote description offers only SDES "
      "keys (a=crypto) and no a=fingerprint: SRTP keys must come from DTLS, "
      "checked against the peer's certificate fingerprint; the peer must "
      "use DTLS-SRTP");
  g_free (text2);
  g_free (text);
  /* a=crypto next to a fingerprint on a DTLS profile: ignored */
  text = add_line (offer, G_MAXINT,
      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
      "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz");
  expect_ok_and_free (text, SEC_SDP_TYPE_OFFER);
  g_free (text);
  /* k= lines: keys in the signaling */
  text = replace_line (offer, -1, "t=0 0", "t=0 0\r\nk=clear:secret");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_SDES,
      "line 5 is a k= line: keys in the signaling are refused; SRTP keys "
      "must come from DTLS");
  g_free (text);

  /* the DTLS profiles taken (RFC 5764, RFC 7850, RFC 8841) */
  text = replace_text (offer, "UDP/TLS/RTP/SAVPF", "TCP/DTLS/RTP/SAVPF");
  expect_ok_and_free (text, SEC_SDP_TYPE_OFFER);
  g_free (text);
  text = replace_text (offer, "UDP/TLS/RTP/SAVPF", "UDP/TLS/RTP/SAVP");
  description = expect_ok (text, SEC_SDP_TYPE_OFFER);
  g_assert_false (media_at (description, 0)->feedback);
  sec_sdp_description_free (description);
  g_free (text);
  text = replace_text (offer, "UDP/TLS/RTP/SAVPF", "udp/tls/rtp/savpf");
  expect_ok_and_free (text, SEC_SDP_TYPE_OFFER);
  g_free (text);
  text = load_sdp ("chromium-datachannel-offer.sdp");
  text2 = replace_text (text, "UDP/DTLS/SCTP", "DTLS/SCTP");
  expect_ok_and_free (text2, SEC_SDP_TYPE_OFFER);
  g_free (text2);
  text2 = replace_text (text, "UDP/DTLS/SCTP", "TCP/DTLS/SCTP");
  expect_ok_and_free (text2, SEC_SDP_TYPE_OFFER);
  g_free (text2);
  /* data over an RTP profile, media over SCTP, plain SCTP */
  text2 = replace_text (text, "UDP/DTLS/SCTP", "UDP/TLS/RTP/SAVPF");
  expect_error (text2, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_UNSUPPORTED,
      "m-line 2 (application, mid 2): the protocol UDP/TLS/RTP/SAVPF does "
      "not carry this media: m=application uses UDP/DTLS/SCTP (data "
      "channels), audio and video UDP/TLS/RTP/SAVPF");
  g_free (text2);
  text2 = replace_text (text, "UDP/DTLS/SCTP", "SCTP");
  expect_error (text2, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_UNSUPPORTED,
      "m-line 2 (application, mid 2): the protocol SCTP is not supported: "
      "use UDP/TLS/RTP/SAVPF for media or UDP/DTLS/SCTP for data channels");
  g_free (text2);
  g_free (text);
  text = replace_text (
      offer, "m=audio 34631 UDP/TLS/RTP/SAVPF", "m=audio 34631 UDP/DTLS/SCTP");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_UNSUPPORTED,
      "m-line 0 (audio, mid 0): the protocol UDP/DTLS/SCTP does not...");
  g_free (text);

  /* a rejected m-line's profile does not matter */
  text = replace_text (
      offer, "m=video 44165 UDP/TLS/RTP/SAVPF", "m=video 0 RTP/AVP");
  text2 = replace_text (text, "a=group:BUNDLE 0 1", "a=group:BUNDLE 0");
  description = expect_ok (text2, SEC_SDP_TYPE_OFFER);
  g_assert_true (media_at (description, 1)->rejected);
  g_assert_cmpint (media_at (description, 1)->proto, ==, SEC_SDP_PROTO_OTHER);
  g_assert_cmpuint (media_at (description, 1)->payloads->len, ==, 0);
  sec_sdp_description_free (description);
  g_free (text2);
  g_free (text);
  g_free (offer);
}

static void
test_rule_ice (void)
{
  gchar *offer = load_sdp ("chromium-offer.sdp");
  gchar *text, *text2;
  SecSdpDescription *description;
  GError *error = NULL;

  text = drop_lines (offer, G_MAXINT, "a=ice-ufrag:");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_NO_ICE_CREDENTIALS,
      "m-line 0 (audio, mid 0): the remote description has no a=ice-ufrag "
      "(session or media level): ICE cannot check connectivity with the "
      "peer without them (RFC 8839 §5.4)");
  g_free (text);
  text = drop_lines (offer, G_MAXINT, "a=ice-pwd:");
  expect_error (text, SEC_SDP_TYPE_ANSWER, SEC_SDP_ERROR_NO_ICE_CREDENTIALS,
      "m-line 0 (audio, mid 0): the remote description has no a=ice-pwd "
      "(session or media level)...");
  text2 = drop_lines (text, G_MAXINT, "a=ice-ufrag:");
  expect_error (text2, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_NO_ICE_CREDENTIALS,
      "m-line 0 (audio, mid 0): the remote description has no a=ice-ufrag "
      "and a=ice-pwd (session or media level)...");
  /* at session level */
  g_free (text);
  text = add_line (text2, -1,
      "a=ice-ufrag:A9ss\r\n"
      "a=ice-pwd:h/x5trdvj4DO0hYip/wL+jvk");
  description = expect_ok (text, SEC_SDP_TYPE_OFFER);
  g_assert_cmpstr (media_at (description, 1)->ice_ufrag, ==, "A9ss");
  g_assert_cmpstr (
      media_at (description, 1)->ice_pwd, ==, "h/x5trdvj4DO0hYip/wL+jvk");
  sec_sdp_description_free (description);
  g_free (text2);
  g_free (text);

  /* RFC 8839 §5.4 lengths and characters; the password is never quoted */
  text = replace_text (offer, "a=ice-ufrag:A9ss", "a=ice-ufrag:A9s");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_INVALID,
      "m-line 0 (audio, mid 0): a=ice-ufrag is 3 characters long; RFC 8839 "
      "§5.4 requires 4 to 256");
  g_free (text);
  text = replace_text (offer, "a=ice-pwd:h/x5trdvj4DO0hYip/wL+jvk",
      "a=ice-pwd:h/x5trdvj4DO0hYip/wL+jv!");
  g_assert_null (sec_sdp_check (text, -1, SEC_SDP_TYPE_OFFER, &error));
  g_assert_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
      "m-line 0 (audio, mid 0): a=ice-pwd "
      "contains a character other than letters, digits, '+' and '/' "
      "(RFC 8839 §5.4)");
  g_assert_null (strstr (error->message, "h/x5"));
  g_clear_error (&error);
  g_free (text);
  text = replace_text (offer, "a=ice-pwd:h/x5trdvj4DO0hYip/wL+jvk",
      "a=ice-pwd:h/x5trdvj4DO0hYip");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_INVALID,
      "m-line 0 (audio, mid 0): a=ice-pwd is 17 characters long; RFC 8839 "
      "§5.4 requires 22 to 256");
  g_free (text);
  text = add_line (offer, 0, "a=ice-ufrag:B9ss");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_INVALID,
      "m-line 0 (audio, mid 0): two a=ice-ufrag lines");
  g_free (text);
  g_free (offer);
}

static void
test_rule_rtcp_mux (void)
{
  gchar *offer = load_sdp ("chromium-offer.sdp");
  gchar *text, *text2;

  text = drop_lines (offer, 0, "a=rtcp-mux");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_NO_RTCP_MUX,
      "m-line 0 (audio, mid 0): the m-line has no a=rtcp-mux: this side "
      "sends RTP and RTCP on one port only (RFC 8829 §5.1.1, RFC 5761)");
  g_free (text);
  /* a bundled m-line takes the tag's */
  text = drop_lines (offer, 1, "a=rtcp-mux");
  expect_ok_and_free (text, SEC_SDP_TYPE_OFFER);
  text2 = drop_lines (text, -1, "a=group:BUNDLE");
  expect_error (text2, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_NO_RTCP_MUX,
      "m-line 1 (video, mid 1): the m-line has no a=rtcp-mux...");
  g_free (text2);
  g_free (text);
  /* data channels need none */
  text = load_sdp ("chromium-datachannel-offer.sdp");
  text2 = drop_lines (text, 2, "a=rtcp-mux");
  expect_ok_and_free (text2, SEC_SDP_TYPE_OFFER);
  g_free (text2);
  g_free (text);
  g_free (offer);
}

static void
test_rule_setup (void)
{
  gchar *answer = load_sdp ("chromium-answer.sdp");
  gchar *text;
  SecSdpDescription *description;

  text = replace_text (answer, "a=setup:active", "a=setup:actpass");
  expect_error (text, SEC_SDP_TYPE_ANSWER, SEC_SDP_ERROR_SETUP,
      "m-line 0 (audio, mid 0): the answer says a=setup:actpass, but an "
      "answer must choose the DTLS role, active or passive (RFC 8842 §5.3)");
  expect_ok_and_free (text, SEC_SDP_TYPE_OFFER);
  g_free (text);
  text = replace_text (answer, "a=setup:active", "a=setup:passive");
  description = expect_ok (text, SEC_SDP_TYPE_ANSWER);
  g_assert_cmpint (media_at (description, 1)->setup, ==, SEC_SDP_SETUP_PASSIVE);
  sec_sdp_description_free (description);
  g_free (text);
  text = replace_text (answer, "a=setup:active", "a=setup:holdconn");
  description = expect_ok (text, SEC_SDP_TYPE_ANSWER);
  g_assert_cmpint (
      media_at (description, 0)->setup, ==, SEC_SDP_SETUP_HOLDCONN);
  sec_sdp_description_free (description);
  g_free (text);
  /* absent: active (RFC 4145 §4) */
  text = drop_lines (answer, G_MAXINT, "a=setup:");
  description = expect_ok (text, SEC_SDP_TYPE_ANSWER);
  g_assert_cmpint (media_at (description, 0)->setup, ==, SEC_SDP_SETUP_ACTIVE);
  sec_sdp_description_free (description);
  g_free (text);
  /* only the bundled m-line says actpass: it contradicts its tag */
  text = replace_line (answer, 1, "a=setup:", "a=setup:actpass");
  expect_error (text, SEC_SDP_TYPE_ANSWER, SEC_SDP_ERROR_BUNDLE,
      "m-line 1 (video, mid 1): it is bundled with m-line 0 (audio, mid 0) "
      "but has another a=setup: bundled m-lines share one DTLS "
      "association");
  g_free (text);
  text = replace_text (answer, "a=setup:active", "a=setup:client");
  expect_error (text, SEC_SDP_TYPE_ANSWER, SEC_SDP_ERROR_INVALID,
      "m-line 0 (audio, mid 0): a=setup:client is none of actpass, active, "
      "passive, holdconn (RFC 4145 §4)");
  g_free (text);
  g_free (answer);
}

static void
test_rule_bundle (void)
{
  gchar *offer = load_sdp ("chromium-offer.sdp");
  gchar *answer = load_sdp ("chromium-answer.sdp");
  gchar *text, *text2;
  SecSdpDescription *description;

  /* an answer: bundled m-lines share the tag's transport and say nothing
   * else (RFC 8843 §7.3.1) */
  text = replace_line (
      answer, 1, "a=fingerprint:", "a=fingerprint:" OTHER_FINGERPRINT);
  expect_error (text, SEC_SDP_TYPE_ANSWER, SEC_SDP_ERROR_BUNDLE,
      "m-line 1 (video, mid 1): it is bundled with m-line 0 (audio, mid 0) "
      "but has another a=fingerprint (" OTHER_FINGERPRINT ", not "
      "sha-256 6A:50:71:A6:BD:F0:0D:58:91:A4:29:72:94:8B:34:EF:C5:9C:7B:D8:"
      "3F:F2:F2:09:BF:5A:3A:09:F0:B9:14:92): bundled m-lines share one DTLS "
      "association");
  g_free (text);
  text = replace_line (answer, 1, "a=ice-ufrag:", "a=ice-ufrag:B9ss");
  expect_error (text, SEC_SDP_TYPE_ANSWER, SEC_SDP_ERROR_BUNDLE,
      "m-line 1 (video, mid 1): it is bundled with m-line 0 (audio, mid 0) "
      "but has other ICE credentials (a=ice-ufrag B9ss and bI6a): bundled "
      "m-lines share one ICE transport");
  g_free (text);
  text = replace_line (
      answer, 1, "a=ice-pwd:", "a=ice-pwd:AAAAAAAAAAAAAAAAAAAAAAAA");
  expect_error (text, SEC_SDP_TYPE_ANSWER, SEC_SDP_ERROR_BUNDLE,
      "m-line 1 (video, mid 1): it is bundled with m-line 0 (audio, mid 0) "
      "but has other ICE credentials (a=ice-ufrag bI6a and bI6a, a=ice-pwd "
      "differs): bundled m-lines share one ICE transport");
  g_free (text);

  /* an offer may give a bundled m-line a transport of its own (RFC 8843
   * §7.2.1, a "balanced" offerer): it is bundled all the same, on the
   * tag's transport and certificate */
  text = replace_line (
      offer, 1, "a=fingerprint:", "a=fingerprint:" OTHER_FINGERPRINT);
  text2 = replace_line (text, 1, "a=ice-ufrag:", "a=ice-ufrag:B9ss");
  g_free (text);
  text = replace_line (
      text2, 1, "a=ice-pwd:", "a=ice-pwd:AAAAAAAAAAAAAAAAAAAAAAAA");
  g_free (text2);
  description = expect_ok (text, SEC_SDP_TYPE_OFFER);
  g_assert_cmpuint (media_at (description, 1)->transport_index, ==, 0);
  g_assert_cmpint (media_at (description, 1)->bundle_group, ==, 0);
  g_assert_cmpstr (
      media_at (description, 1)->fingerprints[0], ==, CHROMIUM_FINGERPRINT);
  g_assert_cmpstr (media_at (description, 1)->ice_ufrag, ==, "A9ss");
  sec_sdp_description_free (description);
  /* not bundled: each m-line its own transport and certificate */
  text2 = drop_lines (text, -1, "a=group:");
  description = expect_ok (text2, SEC_SDP_TYPE_OFFER);
  g_assert_cmpuint (media_at (description, 1)->transport_index, ==, 1);
  g_assert_cmpint (media_at (description, 1)->bundle_group, ==, -1);
  g_assert_cmpstr (
      media_at (description, 1)->fingerprints[0], ==, OTHER_FINGERPRINT);
  g_assert_cmpstr (media_at (description, 1)->ice_ufrag, ==, "B9ss");
  sec_sdp_description_free (description);
  g_free (text2);
  g_free (text);
  g_free (answer);

  /* groups naming what is not there */
  text = replace_text (offer, "a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_BUNDLE,
      "a=group:BUNDLE lists the mid 2, which no m-line has");
  g_free (text);
  text = replace_text (
      offer, "a=group:BUNDLE 0 1", "a=group:BUNDLE 0\r\na=group:BUNDLE 1 0");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_BUNDLE,
      "the mid 0 is in two BUNDLE groups (RFC 8843 §7)");
  g_free (text);
  text = replace_text (offer, "a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 x\"y");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_BUNDLE,
      "a=group:BUNDLE lists \"x\\\"y\" which is not a mid (1 to 64 token "
      "characters)");
  g_free (text);
  text = replace_text (offer, "a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 0");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_BUNDLE,
      "a=group:BUNDLE lists \"0\" twice");
  g_free (text);
  /* the tag is the first mid: here m-line 1, whose transport m-line 0
   * then uses */
  text = replace_text (offer, "a=group:BUNDLE 0 1", "a=group:BUNDLE 1 0");
  description = expect_ok (text, SEC_SDP_TYPE_OFFER);
  g_assert_cmpuint (media_at (description, 0)->transport_index, ==, 1);
  g_assert_cmpuint (media_at (description, 1)->transport_index, ==, 1);
  sec_sdp_description_free (description);
  /* ... and it must not be rejected */
  text2 = replace_text (text, "m=video 44165", "m=video 0");
  expect_error (text2, SEC_SDP_TYPE_ANSWER, SEC_SDP_ERROR_BUNDLE,
      "the first mid of a=group:BUNDLE (its tag, RFC 8843 §7.2) names "
      "m-line 1 (video, mid 1), which is rejected (port 0)");
  g_free (text2);
  g_free (text);
  /* a rejected member is simply not bundled */
  text = replace_text (offer, "m=video 44165", "m=video 0");
  description = expect_ok (text, SEC_SDP_TYPE_OFFER);
  g_assert_true (media_at (description, 1)->rejected);
  g_assert_cmpint (media_at (description, 1)->bundle_group, ==, -1);
  sec_sdp_description_free (description);
  g_free (text);
  /* other group semantics are ignored */
  text = add_line (offer, -1, "a=group:LS 0 1");
  expect_ok_and_free (text, SEC_SDP_TYPE_OFFER);
  g_free (text);

  /* one extmap id, one meaning, per transport */
  text = replace_text (offer,
      "a=extmap:14 urn:ietf:params:rtp-hdrext:"
      "toffset",
      "a=extmap:1 urn:ietf:params:rtp-hdrext:toffset");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_BUNDLE,
      "m-line 1 (video, mid 1): a=extmap id 1 means urn:ietf:params:rtp-"
      "hdrext:toffset here but urn:ietf:params:rtp-hdrext:ssrc-audio-level "
      "on another m-line of the same transport: bundled m-lines share one "
      "RTP session (RFC 8843)");
  g_free (text);
  /* one SSRC, one m-line */
  text = replace_text (offer, "1660185028", "2701197027");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_INVALID,
      "m-line 1 (video, mid 1): SSRC 2701197027 is declared by m-line 0 "
      "(audio, mid 0) too: an SSRC names one stream of a transport "
      "(RFC 3550 §8)");
  text2 = drop_lines (text, -1, "a=group:");
  expect_ok_and_free (text2, SEC_SDP_TYPE_OFFER);
  g_free (text2);
  g_free (text);
  g_free (offer);
}

static void
test_rule_mid (void)
{
  gchar *offer = load_sdp ("chromium-offer.sdp");
  gchar *text, *text2;
  SecSdpDescription *description;

  text = replace_text (offer, "a=mid:1", "a=mid:0");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_MID,
      "m-line 1 (video, mid 0): m-line 0 has the same a=mid; each m-line "
      "needs its own (RFC 5888 §4)");
  g_free (text);
  text = drop_lines (offer, 1, "a=mid:");
  text2 = replace_text (text, "a=group:BUNDLE 0 1", "a=group:BUNDLE 0");
  expect_error (text2, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_MID,
      "m-line 1 (video): the m-line has no a=mid: unified plan and BUNDLE "
      "identify m-lines by mid (RFC 8829 §5.2.1, RFC 8843)");
  g_free (text2);
  /* a rejected m-line needs none */
  text2 = replace_text (text, "a=group:BUNDLE 0 1\r\n", "");
  g_free (text);
  text = replace_text (text2, "m=video 44165", "m=video 0");
  description = expect_ok (text, SEC_SDP_TYPE_OFFER);
  g_assert_null (media_at (description, 1)->mid);
  sec_sdp_description_free (description);
  g_free (text2);
  g_free (text);
  text = add_line (offer, 0, "a=mid:x");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_MID,
      "m-line 0 (audio, mid 0): two a=mid lines");
  g_free (text);
  text = replace_text (offer, "a=mid:1", "a=mid:a\"b");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_MID,
      "m-line 1 (video): a=mid:a\\\"b is not 1 to 64 token characters "
      "(RFC 5888 §4)");
  g_free (text);
  g_free (offer);
}

/* The attributes the bin uses: malformed ones are refused with the line
 * they are on named. */
static void
test_malformed_attributes (void)
{
  static const struct
  {
    gint section;
    const gchar *prefix; /* NULL: add */
    const gchar *line;
    const gchar *message;
  } cases[] = {
    { 0, "m=audio", "m=audio 34631 UDP/TLS/RTP/SAVPF 111 72",
        "m-line 0 (audio, mid 0): payload type 72 collides with RTCP packet "
        "types when RTP and RTCP share a port; RFC 5761 §4 excludes 64 to "
        "95" },
    { 0, "m=audio", "m=audio 34631 UDP/TLS/RTP/SAVPF 111 128",
        "m-line 0 (audio, mid 0): \"128\" is not an RTP payload type (0 to "
        "127)" },
    { 0, "m=audio", "m=audio 34631 UDP/TLS/RTP/SAVPF 111 111",
        "m-line 0 (audio, mid 0): payload type 111 is listed twice" },
    { 0, NULL, "a=rtpmap:111 opus/48000/2",
        "m-line 0 (audio, mid 0): payload type 111 has two a=rtpmap lines" },
    { 0, NULL, "a=fmtp:111 stereo=1",
        "m-line 0 (audio, mid 0): payload type 111 has two a=fmtp lines" },
    { 0, "a=rtpmap:111", "a=rtpmap:111 opus",
        "m-line 0 (audio, mid 0): a=rtpmap:111 opus is malformed (<payload "
        "type> <encoding>/<clock rate>[/<channels>], RFC 8866 §6.6)" },
    { 0, "a=rtpmap:111", "a=rtpmap:111 opus/0/2",
        "m-line 0 (audio, mid 0): a=rtpmap:111 opus/0/2 is malformed..." },
    { 0, "a=rtpmap:111", "a=rtpmap:x opus/48000/2",
        "m-line 0 (audio, mid 0): a=rtpmap:x opus/48000/2 is malformed..." },
    { 0, "a=fmtp:111", "a=fmtp:111",
        "m-line 0 (audio, mid 0): a=fmtp:111 is malformed (<payload type> "
        "<parameters>, RFC 8866 §6.15)" },
    { 0, NULL, "a=rtcp-fb:111",
        "m-line 0 (audio, mid 0): a=rtcp-fb:111 is malformed (<payload "
        "type>|* <feedback type>, RFC 4585 §4.2)" },
    { 0, NULL, "a=extmap:0 urn:x",
        "m-line 0 (audio, mid 0): a=extmap:0 urn:x: the id must be 1 to 255 "
        "(4096 to 4351 in an offer), optionally followed by /sendrecv, "
        "/sendonly, /recvonly or /inactive (RFC 8285 §8)" },
    { 0, NULL, "a=extmap:256 urn:x",
        "m-line 0 (audio, mid 0): a=extmap:256 urn:x: the id must be..." },
    { 0, NULL, "a=extmap:5/sideways urn:x",
        "m-line 0 (audio, mid 0): a=extmap:5/sideways urn:x: the id must..." },
    { 0, NULL, "a=extmap:5",
        "m-line 0 (audio, mid 0): a=extmap:5 needs an id and a URI (RFC 8285 "
        "§8)" },
    { 0, NULL, "a=extmap:4 urn:x",
        "m-line 0 (audio, mid 0): a=extmap id 4 is given twice" },
    { 0, NULL, "a=ssrc:4294967296 cname:x",
        "m-line 0 (audio, mid 0): a=ssrc:4294967296 cname:x is not <ssrc> "
        "<attribute>[:<value>] with a 32-bit decimal SSRC (RFC 5576 "
        "§4.1)" },
    { 0, NULL, "a=ssrc:2701197027 cname:again",
        "m-line 0 (audio, mid 0): SSRC 2701197027 has two a=ssrc cname "
        "attributes" },
    { 0, NULL, "a=ssrc-group:FID",
        "m-line 0 (audio, mid 0): a=ssrc-group needs a semantics and at "
        "least one SSRC (RFC 5576 §4.2)" },
    { 0, NULL, "a=ssrc-group:FID 1 x",
        "m-line 0 (audio, mid 0): a=ssrc-group:FID: \"x\" is not a 32-bit "
        "decimal SSRC" },
    { 0, NULL, "a=msid:a b c",
        "m-line 0 (audio, mid 0): a=msid:a b c is not <stream id> [<track "
        "id>], each 1 to 64 token characters (RFC 8830 §2)" },
    { 0, NULL, "a=sendonly",
        "m-line 0 (audio, mid 0): two direction attributes (sendrecv, "
        "sendonly, recvonly, inactive)" },
    { 0, NULL,
        "a=candidate:", "m-line 0 (audio, mid 0): an empty a=candidate line" },
    { 0, NULL, "a=ice-options:trickle  renomination",
        "m-line 0 (audio, mid 0): a=ice-options must be tokens separated by "
        "single spaces (RFC 8839 §5.6)" },
    { 0, "m=audio", "m=audio 34631 UDP/TLS/RTP/SAVPF 111 abc",
        "m-line 0 (audio, mid 0): \"abc\" is not an RTP payload type (0 to "
        "127)" },
  };
  gchar *offer = load_sdp ("chromium-offer.sdp");
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar *text = cases[i].prefix != NULL
        ? replace_line (offer, cases[i].section, cases[i].prefix, cases[i].line)
        : add_line (offer, cases[i].section, cases[i].line);

    expect_error (
        text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_INVALID, cases[i].message);
    g_free (text);
  }
  g_free (offer);
}

/* What is kept: wildcards, session-level extmaps, extmap ids of offers,
 * trickle, end-of-candidates, payload attributes of unlisted types. */
static void
test_attribute_details (void)
{
  gchar *offer = load_sdp ("chromium-offer.sdp");
  gchar *text, *text2;
  SecSdpDescription *description;
  const SecSdpExtmap *extmap;

  text = add_line (offer, 0,
      "a=rtcp-fb:* nack\r\na=rtpmap:100 VP8/90000\r\n"
      "a=end-of-candidates\r\na=extmap:4096/sendonly urn:example attr");
  description = expect_ok (text, SEC_SDP_TYPE_OFFER);
  assert_strv (find_payload (media_at (description, 0), 111)->rtcp_fb,
      (const gchar *[]){ "transport-cc", "nack", NULL });
  assert_strv (find_payload (media_at (description, 0), 0)->rtcp_fb,
      (const gchar *[]){ "nack", NULL });
  g_assert_true (media_at (description, 0)->end_of_candidates);
  g_assert_false (media_at (description, 1)->end_of_candidates);
  extmap = g_ptr_array_index (media_at (description, 0)->extmaps, 4);
  g_assert_cmpuint (extmap->id, ==, 4096);
  g_assert_cmpint (extmap->direction, ==, SEC_SDP_DIRECTION_SENDONLY);
  g_assert_cmpstr (extmap->uri, ==, "urn:example");
  g_assert_cmpstr (extmap->attributes, ==, "attr");
  sec_sdp_description_free (description);
  /* an answer maps ids into 1..255 (RFC 8285 §7) */
  expect_error (text, SEC_SDP_TYPE_ANSWER, SEC_SDP_ERROR_INVALID,
      "m-line 0 (audio, mid 0): a=extmap:4096/sendonly urn:example attr: "
      "the id must be...");
  g_free (text);

  /* session-level extmap, direction, end-of-candidates and ice-lite */
  text = add_line (offer, -1,
      "a=extmap:9 urn:session\r\na=recvonly\r\n"
      "a=end-of-candidates\r\na=ice-lite");
  text2 = drop_lines (text, G_MAXINT, "a=sendrecv");
  description = expect_ok (text2, SEC_SDP_TYPE_OFFER);
  g_assert_true (description->ice_lite);
  g_assert_cmpint (
      media_at (description, 1)->direction, ==, SEC_SDP_DIRECTION_RECVONLY);
  g_assert_true (media_at (description, 1)->end_of_candidates);
  extmap = g_ptr_array_index (media_at (description, 0)->extmaps, 4);
  g_assert_cmpuint (extmap->id, ==, 9);
  g_assert_cmpstr (extmap->uri, ==, "urn:session");
  sec_sdp_description_free (description);
  g_free (text2);
  g_free (text);
  text = add_line (offer, -1, "a=extmap:4 urn:session");
  expect_error (text, SEC_SDP_TYPE_OFFER, SEC_SDP_ERROR_INVALID,
      "m-line 0 (audio, mid 0): a=extmap id 4 is given at session level for "
      "another URI");
  g_free (text);

  /* no trickle */
  text = drop_lines (offer, G_MAXINT, "a=ice-options:");
  description = expect_ok (text, SEC_SDP_TYPE_OFFER);
  g_assert_false (media_at (description, 0)->ice_trickle);
  g_assert_null (media_at (description, 0)->ice_options[0]);
  sec_sdp_description_free (description);
  g_free (text);
  g_free (offer);
}

/* ------------------------------------------------------------------ */
/* Garbage */

static void
test_garbage (void)
{
  static const struct
  {
    const gchar *text;
    gssize length;
    const gchar *message;
  } cases[] = {
    { "", 0, "the description is empty" },
    { "hello", -1,
        "line 1 (\"hello\") is not an SDP line: SDP lines are "
        "<type>=<value> with a lower-case letter as type (RFC 8866 §5)" },
    { "\r\n\r\n", -1,
        "not an SDP description: it must start with the line "
        "v=0" },
    { "o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n", -1,
        "not an SDP description: it "
        "must start with the line v=0" },
    { "v=1\r\n", -1,
        "not an SDP description this side takes: the first "
        "line must be v=0 (RFC 8866 §5.1)" },
    { "v=0\r\nv=0\r\n", -1, "line 2: a second v= line" },
    { "v=0\r\n", -1, "the description has no o= line (RFC 8866 §5.2)" },
    { "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\n", -1,
        "line 2: an m= line "
        "before the o= line (RFC 8866 §5.2)" },
    { "v=0\r\no=- 1\r\n", -1,
        "the o= line is missing or malformed: it must "
        "be o=<username> <session id> <session version> IN IP4|IP6 "
        "<address> with decimal session id and version (RFC 8866 §5.2)" },
    { "v=0\r\no=- x 1 IN IP4 0.0.0.0\r\n", -1, "the o= line is missing..." },
    { "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio 70000 UDP/TLS/RTP/SAVPF 0\r\n",
        -1,
        "line 3 (m=audio 70000 UDP/TLS/RTP/SAVPF 0) is not a valid m= "
        "line: the port is not a number from 0 to 65535" },
    { "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio abc UDP/TLS/RTP/SAVPF 0\r\n",
        -1, "line 3 (m=audio abc UDP/TLS/RTP/SAVPF 0) is not a valid m=..." },
    { "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio 9 UDP/TLS/RTP/SAVPF\r\n", -1,
        "line 3 (m=audio 9 UDP/TLS/RTP/SAVPF) is not a valid m= line: it "
        "needs a media, a port, a protocol and at least one format" },
    { "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0 \r\n", -1,
        "line 3 (m=audio 9 UDP/TLS/RTP/SAVPF 0 ) is not a valid m= "
        "line: a format is empty or not a token (one space between fields)" },
    { "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nx=1\r\n", -1,
        "line 3 has the unknown "
        "type \"x=\" (RFC 8866 §5)" },
    { "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nA=1\r\n", -1,
        "line 3 (\"A=1\") is "
        "not an SDP line..." },
    { "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\na=x\x01y\r\n", -1,
        "line 3 contains "
        "the control character 0x01" },
    { "v=0\r\no=- 1 1 IN IP4 0.0.0.0\ra=x\r\n", -1,
        "line 2 contains the "
        "control character 0x0d" },
    { "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=\xff\xfe\r\n", -1,
        "the "
        "description is not valid UTF-8 text (RFC 8866 §5)" },
    { "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n\0s=-\r\n", 35,
        "the description "
        "contains a NUL byte (at offset 29): SDP is text" },
  };
  guint i;
  gchar *huge;
  GError *error = NULL;
  SecSdpDescription *description;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gsize length =
        cases[i].length >= 0 ? (gsize)cases[i].length : strlen (cases[i].text);
    /* exact-size heap copies, no terminating NUL */
    gchar *copy = g_memdup2 (cases[i].text, length + (length == 0));
    gsize message_length = strlen (cases[i].message);
    guint t;

    for (t = 0; t < 2; t++) {
      description = sec_sdp_check (copy, length,
          t == 0 ? SEC_SDP_TYPE_OFFER : SEC_SDP_TYPE_ANSWER, &error);
      if (description != NULL)
        g_error ("case %u accepted", i);
      g_assert_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID);
      if (g_str_has_suffix (cases[i].message, "...")) {
        if (strncmp (error->message, cases[i].message, message_length - 3) != 0)
          g_error ("case %u: \"%s\"", i, error->message);
      } else if (strcmp (error->message, cases[i].message) != 0) {
        g_error ("case %u: \"%s\"\n  expected \"%s\"", i, error->message,
            cases[i].message);
      }
      g_clear_error (&error);
    }
    g_free (copy);
  }

  /* a minimal description without m-lines is valid (nothing to use) */
  description = expect_ok ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n"
                           "t=0 0\r\n",
      SEC_SDP_TYPE_OFFER);
  g_assert_cmpuint (description->media->len, ==, 0);
  sec_sdp_description_free (description);
  /* bare LF line ends work as well */
  description = expect_ok (
      "v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nt=0 0", SEC_SDP_TYPE_OFFER);
  sec_sdp_description_free (description);

  /* more than SEC_SDP_MAX_LENGTH */
  huge = g_strnfill (SEC_SDP_MAX_LENGTH + 1, 'a');
  memcpy (huge, "v=0\r\n", 5);
  g_assert_null (sec_sdp_check (huge, -1, SEC_SDP_TYPE_OFFER, &error));
  g_assert_error (error, SEC_SDP_ERROR, SEC_SDP_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
      "the description is 1048577 bytes "
      "long, more than the 1048576 taken");
  g_clear_error (&error);
  g_free (huge);
}

/* libnice stun/tests/test-parse.c style: every prefix of every captured
 * description, exact-size heap copies without a terminating NUL, in
 * both modes: a clear error or a result that keeps every rule. */
static void
check_result_invariants (const SecSdpDescription * description)
{
  guint i;

  for (i = 0; i < description->media->len; i++) {
    const SecSdpMedia *media = g_ptr_array_index (description->media, i);

    g_assert_cmpuint (media->index, ==, i);
    if (media->rejected)
      continue;
    g_assert_nonnull (media->mid);
    g_assert_nonnull (media->fingerprints[0]);
    g_assert_true (g_str_has_prefix (media->fingerprints[0], "sha-"));
    g_assert_nonnull (media->ice_ufrag);
    g_assert_nonnull (media->ice_pwd);
    g_assert_cmpint (media->proto, !=, SEC_SDP_PROTO_OTHER);
    if (media->proto == SEC_SDP_PROTO_DTLS_SRTP)
      g_assert_true (media->rtcp_mux);
    g_assert_cmpuint (media->transport_index, <, description->media->len);
    if (description->type == SEC_SDP_TYPE_ANSWER)
      g_assert_cmpint (media->setup, !=, SEC_SDP_SETUP_ACTPASS);
  }
}

static void
test_every_prefix (void)
{
  static const gchar *files[] = { "chromium-offer.sdp", "chromium-answer.sdp",
    "chromium-datachannel-offer.sdp", "webrtcbin-offer.sdp",
    "firefox-offer.sdp" };
  guint f;

  for (f = 0; f < G_N_ELEMENTS (files); f++) {
    gchar *text = load_sdp (files[f]);
    gsize full_length = strlen (text), length;
    guint n_valid = 0, n_errors = 0, t;

    for (length = 0; length <= full_length; length++) {
      gchar *copy = g_memdup2 (text, MAX (length, 1));

      for (t = 0; t < 2; t++) {
        SecSdpType type = t == 0 ? SEC_SDP_TYPE_OFFER : SEC_SDP_TYPE_ANSWER;
        GError *error = NULL;
        SecSdpDescription *description =
            sec_sdp_check (copy, length, type, &error);

        if (description != NULL) {
          g_assert_no_error (error);
          check_result_invariants (description);
          sec_sdp_description_free (description);
          n_valid++;
        } else {
          g_assert_nonnull (error);
          g_assert_true (error->domain == SEC_SDP_ERROR);
          g_assert_cmpuint (strlen (error->message), >, 10);
          g_error_free (error);
          n_errors++;
        }
      }
      g_free (copy);
    }
    g_test_message ("%s: %" G_GSIZE_FORMAT " prefixes x 2 modes, %u valid, "
                    "%u refused",
        files[f], full_length + 1, n_valid, n_errors);
    /* the whole text is valid in its own mode; most prefixes are not */
    g_assert_cmpuint (n_valid, >=, 1);
    g_assert_cmpuint (n_errors, >, full_length);
    g_free (text);
  }
}

/* ------------------------------------------------------------------ */
/* Renegotiation */

static SecSdpDescription *
check_text (const gchar * text, SecSdpType type)
{
  return expect_ok (text, type);
}

static void
expect_changes (const SecSdpDescription * previous,
    const SecSdpDescription * next, const guint * expected, guint n)
{
  GArray *changes = NULL;
  GError *error = NULL;
  guint i;

  if (!sec_sdp_check_renegotiation (previous, next, &changes, &error))
    g_error ("renegotiation refused: %s", error->message);
  g_assert_cmpuint (changes->len, ==, n);
  for (i = 0; i < n; i++) {
    if (g_array_index (changes, guint, i) != expected[i])
      g_error ("m-line %u: changes 0x%x, expected 0x%x", i,
          g_array_index (changes, guint, i), expected[i]);
  }
  g_array_unref (changes);
}

static void
expect_renegotiation_error (const SecSdpDescription * previous,
    const SecSdpDescription * next, gint code, const gchar * message)
{
  GArray *changes = NULL;
  GError *error = NULL;

  g_assert_false (
      sec_sdp_check_renegotiation (previous, next, &changes, &error));
  g_assert_null (changes);
  g_assert_error (error, SEC_SDP_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  g_error_free (error);
}

static void
test_renegotiation (void)
{
  gchar *offer = load_sdp ("chromium-offer.sdp");
  gchar *text, *text2;
  SecSdpDescription *before = check_text (offer, SEC_SDP_TYPE_OFFER);
  SecSdpDescription *after;
  const guint none[] = { 0, 0 };

  /* the same again: nothing changes */
  after = check_text (offer, SEC_SDP_TYPE_OFFER);
  expect_changes (before, after, none, 2);
  g_assert_true (sec_sdp_check_renegotiation (before, after, NULL, NULL));
  sec_sdp_description_free (after);

  /* a new certificate without an ICE restart: refused */
  text = replace_text (offer, CHROMIUM_FINGERPRINT, OTHER_FINGERPRINT);
  after = check_text (text, SEC_SDP_TYPE_OFFER);
  expect_renegotiation_error (before, after, SEC_SDP_ERROR_FINGERPRINT_CHANGED,
      "m-line 0 (audio, mid 0): the "
      "peer's fingerprint changed from " CHROMIUM_FINGERPRINT
      " to " OTHER_FINGERPRINT " without an ICE restart: its DTLS association "
      "continues, and the certificate of a peer cannot change inside one "
      "(RFC 8842 §5); the peer must restart ICE (new a=ice-ufrag and "
      "a=ice-pwd) to use a new certificate");
  sec_sdp_description_free (after);
  /* a second certificate added counts as a change too */
  text2 = add_line (offer, G_MAXINT, "a=fingerprint:" OTHER_FINGERPRINT);
  after = check_text (text2, SEC_SDP_TYPE_OFFER);
  g_assert_false (sec_sdp_check_renegotiation (before, after, NULL, NULL));
  sec_sdp_description_free (after);
  g_free (text2);
  /* only the password changed: that is an ICE restart (RFC 8445 §9),
   * and with it a new certificate is taken */
  text2 = replace_text (
      text, "h/x5trdvj4DO0hYip/wL+jvk", "AAAAAAAAAAAAAAAAAAAAAAAA");
  after = check_text (text2, SEC_SDP_TYPE_OFFER);
  {
    const guint restart[] = { SEC_SDP_CHANGE_ICE_RESTART
          | SEC_SDP_CHANGE_NEW_DTLS,
      SEC_SDP_CHANGE_ICE_RESTART | SEC_SDP_CHANGE_NEW_DTLS };
    expect_changes (before, after, restart, 2);
  }
  sec_sdp_description_free (after);
  g_free (text2);
  g_free (text);

  /* an ICE restart alone keeps the DTLS association */
  text = replace_text (offer, "a=ice-ufrag:A9ss", "a=ice-ufrag:Z9ss");
  after = check_text (text, SEC_SDP_TYPE_OFFER);
  {
    const guint restart[] = { SEC_SDP_CHANGE_ICE_RESTART,
      SEC_SDP_CHANGE_ICE_RESTART };
    expect_changes (before, after, restart, 2);
  }
  sec_sdp_description_free (after);
  g_free (text);

  /* a tampered answer in a renegotiation, the bin's case */
  {
    gchar *answer = load_sdp ("chromium-answer.sdp");
    SecSdpDescription *answer_before = check_text (answer, SEC_SDP_TYPE_ANSWER);
    const gchar *fingerprint = answer_before->fingerprints[0] != NULL
        ? answer_before->fingerprints[0]
        : media_at (answer_before, 0)->fingerprints[0];
    gchar *line = g_strconcat ("a=fingerprint:", OTHER_FINGERPRINT, NULL);

    g_assert_nonnull (fingerprint);
    text = edit_sdp (answer, G_MAXINT, "a=fingerprint:", line, NULL);
    after = check_text (text, SEC_SDP_TYPE_ANSWER);
    g_assert_false (
        sec_sdp_check_renegotiation (answer_before, after, NULL, NULL));
    sec_sdp_description_free (after);
    sec_sdp_description_free (answer_before);
    g_free (line);
    g_free (text);
    g_free (answer);
  }

  /* m-lines keep their place, media and mid */
  text = replace_text (offer, "a=mid:1", "a=mid:v");
  text2 = replace_text (text, "a=group:BUNDLE 0 1", "a=group:BUNDLE 0 v");
  after = check_text (text2, SEC_SDP_TYPE_OFFER);
  expect_renegotiation_error (before, after, SEC_SDP_ERROR_RENEGOTIATION,
      "m-line 1 (video, mid v): it was video with mid 1 before: an m-line "
      "keeps its media and mid in a renegotiation (RFC 8829 §5.2.2)");
  sec_sdp_description_free (after);
  g_free (text2);
  g_free (text);
  {
    gchar *video_start = strstr (offer, "m=video");
    gchar *audio_only = g_strndup (offer, video_start - offer);

    text = replace_text (audio_only, "a=group:BUNDLE 0 1", "a=group:BUNDLE 0");
    after = check_text (text, SEC_SDP_TYPE_OFFER);
    expect_renegotiation_error (before, after, SEC_SDP_ERROR_RENEGOTIATION,
        "the new description has 1 m-lines, the previous one had 2: m-lines "
        "cannot be removed in a renegotiation, only rejected (port 0) "
        "(RFC 8829 §5.2.2)");
    /* the other way round: a stream added to a running call */
    {
      const guint added[] = { 0, SEC_SDP_CHANGE_NEW_MLINE };
      SecSdpDescription *audio_call = after;

      expect_changes (audio_call, before, added, 2);
      sec_sdp_description_free (audio_call);
    }
    g_free (text);
    g_free (audio_only);
  }

  /* rejected, then reused for something else */
  text = replace_text (offer, "m=video 44165", "m=video 0");
  after = check_text (text, SEC_SDP_TYPE_OFFER);
  {
    const guint stopped[] = { 0, SEC_SDP_CHANGE_STOPPED };
    expect_changes (before, after, stopped, 2);
  }
  {
    gchar *reused = replace_text (offer, "a=mid:1", "a=mid:7");
    gchar *reused2 =
        replace_text (reused, "a=group:BUNDLE 0 1", "a=group:BUNDLE 0 7");
    SecSdpDescription *recycled = check_text (reused2, SEC_SDP_TYPE_OFFER);
    const guint expected[] = { 0, SEC_SDP_CHANGE_NEW_MLINE };

    expect_changes (after, recycled, expected, 2);
    sec_sdp_description_free (recycled);
    g_free (reused2);
    g_free (reused);
  }
  sec_sdp_description_free (after);
  g_free (text);

  /* unbundled before with its own certificate, bundled now: m-line 1's
   * old association ends, it joins m-line 0's, which continues */
  text = drop_lines (offer, -1, "a=group:");
  text2 = replace_line (
      text, 1, "a=fingerprint:", "a=fingerprint:" OTHER_FINGERPRINT);
  sec_sdp_description_free (before);
  before = check_text (text2, SEC_SDP_TYPE_OFFER);
  after = check_text (offer, SEC_SDP_TYPE_OFFER);
  expect_changes (before, after, none, 2);
  /* and back: m-line 1 gets a transport of its own, a new association */
  {
    const guint unbundled[] = { 0, SEC_SDP_CHANGE_NEW_DTLS };
    expect_changes (after, before, unbundled, 2);
  }
  sec_sdp_description_free (after);
  g_free (text2);
  g_free (text);
  sec_sdp_description_free (before);
  g_free (offer);
}

int
main (int argc, char ** argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sdpcheck/chromium-offer", test_chromium_offer);
  g_test_add_func ("/sdpcheck/chromium-answers", test_chromium_answers);
  g_test_add_func ("/sdpcheck/chromium-datachannel", test_chromium_datachannel);
  g_test_add_func ("/sdpcheck/webrtcbin", test_webrtcbin);
  g_test_add_func ("/sdpcheck/firefox", test_firefox);
  g_test_add_func (
      "/sdpcheck/fingerprint-normalize", test_fingerprint_normalize);
  g_test_add_func ("/sdpcheck/rule/fingerprint", test_rule_fingerprint);
  g_test_add_func ("/sdpcheck/rule/profile", test_rule_profile);
  g_test_add_func ("/sdpcheck/rule/ice", test_rule_ice);
  g_test_add_func ("/sdpcheck/rule/rtcp-mux", test_rule_rtcp_mux);
  g_test_add_func ("/sdpcheck/rule/setup", test_rule_setup);
  g_test_add_func ("/sdpcheck/rule/bundle", test_rule_bundle);
  g_test_add_func ("/sdpcheck/rule/mid", test_rule_mid);
  g_test_add_func ("/sdpcheck/malformed-attributes", test_malformed_attributes);
  g_test_add_func ("/sdpcheck/attribute-details", test_attribute_details);
  g_test_add_func ("/sdpcheck/garbage", test_garbage);
  g_test_add_func ("/sdpcheck/every-prefix", test_every_prefix);
  g_test_add_func ("/sdpcheck/renegotiation", test_renegotiation);
  return g_test_run ();
}
