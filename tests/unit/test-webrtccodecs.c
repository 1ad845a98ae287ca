/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The codec core of the webrtc bin (gst/webrtc/codecs.h): the a=rtpmap,
 * a=fmtp and a=rtcp-fb parsers (valid, malformed, every prefix),
 * Chromium's, Firefox's and gst-plugins-bad webrtcbin's payload lists
 * read and answered field by field, the H264 profile-level-id table
 * (RFC 6184 §8.1, §8.2.2), offers from payloaders' caps, payload type
 * collisions in a BUNDLE group, the negotiated result of both roles, and
 * the caps of received streams checked against gstreamer-sdp and against
 * each depayloader's sink pad template (gst-plugins-good).
 */
#include "codecs.h"
#include "h264profile.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Helpers */

/* An m-line (the lines after "m=", "\n"-separated, a=... included)
 * through GstSDPMessage, as the bin gets it. */
static GstSDPMessage *
sdp_from_mlines (const gchar * mlines)
{
  GstSDPMessage *sdp;
  gchar **lines = g_strsplit (mlines, "\n", -1);
  gchar *body = g_strjoinv ("\r\n", lines);
  gchar *text = g_strdup_printf ("v=0\r\no=- 4611731400430051336 2 IN IP4 "
                                 "127.0.0.1\r\ns=-\r\nt=0 0\r\n%s\r\n",
      body);

  g_assert_cmpint (gst_sdp_message_new_from_text (text, &sdp), ==, GST_SDP_OK);
  g_strfreev (lines);
  g_free (body);
  g_free (text);
  return sdp;
}

static GPtrArray *
parse_mline (const gchar * mline)
{
  GstSDPMessage *sdp = sdp_from_mlines (mline);
  GError *error = NULL;
  GPtrArray *codecs;

  codecs = sec_webrtc_codecs_from_sdp_media (
      gst_sdp_message_get_media (sdp, 0), &error);
  g_assert_no_error (error);
  g_assert_nonnull (codecs);
  gst_sdp_message_free (sdp);
  return codecs;
}

/* "PT rtpmap[ fmtp=...][ fb=a,b]" per codec, one per line: the fields
 * the answer is made of, compared as one string so a failure shows
 * both lists. */
static gchar *
summary (const GPtrArray * codecs)
{
  GString *out = g_string_new (NULL);
  guint i, j;

  for (i = 0; i < codecs->len; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (codecs, i);
    gchar *rtpmap = sec_webrtc_codec_rtpmap_string (codec);
    gchar *fmtp = sec_webrtc_codec_fmtp_string (codec);

    g_string_append_printf (
        out, "%s%d %s", i ? "\n" : "", codec->payload_type, rtpmap);
    if (fmtp)
      g_string_append_printf (out, " fmtp=%s", fmtp);
    for (j = 0; j < codec->feedback->len; j++)
      g_string_append_printf (out, "%s%s", j ? "," : " fb=",
          (const gchar *)g_ptr_array_index (codec->feedback, j));
    g_free (rtpmap);
    g_free (fmtp);
  }
  return g_string_free (out, FALSE);
}

static void
assert_summary (const GPtrArray * codecs, const gchar * expected)
{
  gchar *text = summary (codecs);

  g_assert_cmpstr (text, ==, expected);
  g_free (text);
}

static GstCaps *
caps (const gchar * text)
{
  GstCaps *result = gst_caps_from_string (text);

  g_assert_nonnull (result);
  return result;
}

/* Fails printing both caps unless they are equal */
static void
assert_caps_equal (const GstCaps * actual, const GstCaps * expected,
    const gchar * what)
{
  if (!gst_caps_is_equal (actual, expected)) {
    gchar *a = gst_caps_to_string (actual);
    gchar *e = gst_caps_to_string (expected);

    g_error ("%s: %s, expected %s", what, a, e);
  }
}

/* The SDP text of @codecs in an m-line */
static gchar *
media_text (const GPtrArray * codecs, const gchar * media)
{
  GstSDPMedia *sdp_media;
  gchar *text;

  gst_sdp_media_new (&sdp_media);
  gst_sdp_media_set_media (sdp_media, media);
  gst_sdp_media_set_port_info (sdp_media, 9, 0);
  gst_sdp_media_set_proto (sdp_media, "UDP/TLS/RTP/SAVPF");
  sec_webrtc_codecs_to_sdp_media (codecs, sdp_media);
  text = gst_sdp_media_as_text (sdp_media);
  gst_sdp_media_free (sdp_media);
  return text;
}

/* ------------------------------------------------------------------ */
/* Real payload lists */

/* Chromium 120's video m-line (unified plan; its fake camera) */
static const gchar chromium_video[] =
    "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107 108 109 127 "
    "125 39 40 45 46 98 99 100 101 112 113 116 117 118\n"
    "c=IN IP4 0.0.0.0\n"
    "a=rtcp-mux\n"
    "a=rtpmap:96 VP8/90000\n"
    "a=rtcp-fb:96 goog-remb\n"
    "a=rtcp-fb:96 transport-cc\n"
    "a=rtcp-fb:96 ccm fir\n"
    "a=rtcp-fb:96 nack\n"
    "a=rtcp-fb:96 nack pli\n"
    "a=rtpmap:97 rtx/90000\n"
    "a=fmtp:97 apt=96\n"
    "a=rtpmap:102 H264/90000\n"
    "a=rtcp-fb:102 goog-remb\n"
    "a=rtcp-fb:102 transport-cc\n"
    "a=rtcp-fb:102 ccm fir\n"
    "a=rtcp-fb:102 nack\n"
    "a=rtcp-fb:102 nack pli\n"
    "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;"
    "profile-level-id=42001f\n"
    "a=rtpmap:103 rtx/90000\n"
    "a=fmtp:103 apt=102\n"
    "a=rtpmap:104 H264/90000\n"
    "a=rtcp-fb:104 nack\n"
    "a=rtcp-fb:104 nack pli\n"
    "a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=0;"
    "profile-level-id=42001f\n"
    "a=rtpmap:105 rtx/90000\n"
    "a=fmtp:105 apt=104\n"
    "a=rtpmap:106 H264/90000\n"
    "a=rtcp-fb:106 goog-remb\n"
    "a=rtcp-fb:106 transport-cc\n"
    "a=rtcp-fb:106 ccm fir\n"
    "a=rtcp-fb:106 nack\n"
    "a=rtcp-fb:106 nack pli\n"
    "a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;"
    "profile-level-id=42e01f\n"
    "a=rtpmap:107 rtx/90000\n"
    "a=fmtp:107 apt=106\n"
    "a=rtpmap:108 H264/90000\n"
    "a=rtcp-fb:108 nack\n"
    "a=rtcp-fb:108 nack pli\n"
    "a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=0;"
    "profile-level-id=42e01f\n"
    "a=rtpmap:109 rtx/90000\n"
    "a=fmtp:109 apt=108\n"
    "a=rtpmap:127 H264/90000\n"
    "a=rtcp-fb:127 nack\n"
    "a=rtcp-fb:127 nack pli\n"
    "a=fmtp:127 level-asymmetry-allowed=1;packetization-mode=1;"
    "profile-level-id=4d001f\n"
    "a=rtpmap:125 rtx/90000\n"
    "a=fmtp:125 apt=127\n"
    "a=rtpmap:39 H264/90000\n"
    "a=rtcp-fb:39 nack\n"
    "a=fmtp:39 level-asymmetry-allowed=1;packetization-mode=0;"
    "profile-level-id=4d001f\n"
    "a=rtpmap:40 rtx/90000\n"
    "a=fmtp:40 apt=39\n"
    "a=rtpmap:45 AV1/90000\n"
    "a=rtcp-fb:45 nack\n"
    "a=fmtp:45 level-idx=5;profile=0;tier=0\n"
    "a=rtpmap:46 rtx/90000\n"
    "a=fmtp:46 apt=45\n"
    "a=rtpmap:98 VP9/90000\n"
    "a=rtcp-fb:98 goog-remb\n"
    "a=rtcp-fb:98 transport-cc\n"
    "a=rtcp-fb:98 ccm fir\n"
    "a=rtcp-fb:98 nack\n"
    "a=rtcp-fb:98 nack pli\n"
    "a=fmtp:98 profile-id=0\n"
    "a=rtpmap:99 rtx/90000\n"
    "a=fmtp:99 apt=98\n"
    "a=rtpmap:100 VP9/90000\n"
    "a=rtcp-fb:100 nack\n"
    "a=rtcp-fb:100 nack pli\n"
    "a=fmtp:100 profile-id=2\n"
    "a=rtpmap:101 rtx/90000\n"
    "a=fmtp:101 apt=100\n"
    "a=rtpmap:112 H264/90000\n"
    "a=rtcp-fb:112 nack\n"
    "a=rtcp-fb:112 nack pli\n"
    "a=fmtp:112 level-asymmetry-allowed=1;packetization-mode=1;"
    "profile-level-id=64001f\n"
    "a=rtpmap:113 rtx/90000\n"
    "a=fmtp:113 apt=112\n"
    "a=rtpmap:116 red/90000\n"
    "a=rtpmap:117 rtx/90000\n"
    "a=fmtp:117 apt=116\n"
    "a=rtpmap:118 ulpfec/90000";

/* Chromium 120's audio m-line */
static const gchar chromium_audio[] =
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\n"
    "c=IN IP4 0.0.0.0\n"
    "a=rtcp-mux\n"
    "a=rtpmap:111 opus/48000/2\n"
    "a=rtcp-fb:111 transport-cc\n"
    "a=fmtp:111 minptime=10;useinbandfec=1\n"
    "a=rtpmap:63 red/48000/2\n"
    "a=fmtp:63 111/111\n"
    "a=rtpmap:9 G722/8000\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:13 CN/8000\n"
    "a=rtpmap:110 telephone-event/48000\n"
    "a=rtpmap:126 telephone-event/8000";

/* Firefox 115's video m-line (attributes grouped by kind, as it writes
 * them) */
static const gchar firefox_video[] =
    "m=video 9 UDP/TLS/RTP/SAVPF 120 124 121 125 126 127 97 98 123 122 119\n"
    "c=IN IP4 0.0.0.0\n"
    "a=fmtp:126 profile-level-id=42e01f;level-asymmetry-allowed=1;"
    "packetization-mode=1\n"
    "a=fmtp:97 profile-level-id=42e01f;level-asymmetry-allowed=1\n"
    "a=fmtp:120 max-fs=12288;max-fr=60\n"
    "a=fmtp:124 apt=120\n"
    "a=fmtp:121 max-fs=12288;max-fr=60\n"
    "a=fmtp:125 apt=121\n"
    "a=fmtp:127 apt=126\n"
    "a=fmtp:98 apt=97\n"
    "a=fmtp:119 apt=122\n"
    "a=rtcp-fb:120 nack\n"
    "a=rtcp-fb:120 nack pli\n"
    "a=rtcp-fb:120 ccm fir\n"
    "a=rtcp-fb:120 goog-remb\n"
    "a=rtcp-fb:120 transport-cc\n"
    "a=rtcp-fb:121 nack\n"
    "a=rtcp-fb:121 nack pli\n"
    "a=rtcp-fb:121 ccm fir\n"
    "a=rtcp-fb:121 goog-remb\n"
    "a=rtcp-fb:121 transport-cc\n"
    "a=rtcp-fb:126 nack\n"
    "a=rtcp-fb:126 nack pli\n"
    "a=rtcp-fb:126 ccm fir\n"
    "a=rtcp-fb:126 goog-remb\n"
    "a=rtcp-fb:126 transport-cc\n"
    "a=rtcp-fb:97 nack\n"
    "a=rtcp-fb:97 nack pli\n"
    "a=rtcp-fb:97 ccm fir\n"
    "a=rtcp-fb:97 goog-remb\n"
    "a=rtcp-fb:97 transport-cc\n"
    "a=rtcp-fb:123 nack\n"
    "a=rtcp-fb:123 nack pli\n"
    "a=rtcp-fb:123 ccm fir\n"
    "a=rtcp-fb:123 goog-remb\n"
    "a=rtcp-fb:123 transport-cc\n"
    "a=rtcp-mux\n"
    "a=rtcp-rsize\n"
    "a=rtpmap:120 VP8/90000\n"
    "a=rtpmap:124 rtx/90000\n"
    "a=rtpmap:121 VP9/90000\n"
    "a=rtpmap:125 rtx/90000\n"
    "a=rtpmap:126 H264/90000\n"
    "a=rtpmap:127 rtx/90000\n"
    "a=rtpmap:97 H264/90000\n"
    "a=rtpmap:98 rtx/90000\n"
    "a=rtpmap:123 ulpfec/90000\n"
    "a=rtpmap:122 red/90000\n"
    "a=rtpmap:119 rtx/90000";

/* Firefox 115's audio m-line */
static const gchar firefox_audio[] =
    "m=audio 9 UDP/TLS/RTP/SAVPF 109 9 0 8 101\n"
    "c=IN IP4 0.0.0.0\n"
    "a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1\n"
    "a=fmtp:101 0-15\n"
    "a=rtcp-mux\n"
    "a=rtpmap:109 opus/48000/2\n"
    "a=rtpmap:9 G722/8000/1\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:101 telephone-event/8000/1";

/* gst-plugins-bad 1.22 webrtcbin, from rtpvp8pay and rtpopuspay caps with
 * do-nack on the video transceiver (its RTX and red/ulpfec off) */
static const gchar webrtcbin_video[] = "m=video 9 UDP/TLS/RTP/SAVPF 96 97\n"
                                       "c=IN IP4 0.0.0.0\n"
                                       "a=rtcp-mux\n"
                                       "a=rtpmap:96 VP8/90000\n"
                                       "a=rtcp-fb:96 nack\n"
                                       "a=rtcp-fb:96 nack pli\n"
                                       "a=rtcp-fb:96 ccm fir\n"
                                       "a=framerate:30\n"
                                       "a=rtpmap:97 rtx/90000\n"
                                       "a=fmtp:97 apt=96";

static const gchar webrtcbin_audio[] =
    "m=audio 9 UDP/TLS/RTP/SAVPF 97\n"
    "c=IN IP4 0.0.0.0\n"
    "a=rtcp-mux\n"
    "a=rtpmap:97 OPUS/48000/2\n"
    "a=rtcp-fb:97 nack pli\n"
    "a=fmtp:97 sprop-maxcapturerate=48000;sprop-stereo=0";

/* webrtcbin from rtph264pay caps (x264enc, constrained baseline) */
static const gchar webrtcbin_h264[] =
    "m=video 9 UDP/TLS/RTP/SAVPF 96\n"
    "c=IN IP4 0.0.0.0\n"
    "a=rtcp-mux\n"
    "a=rtpmap:96 H264/90000\n"
    "a=rtcp-fb:96 nack pli\n"
    "a=fmtp:96 packetization-mode=1;profile-level-id=42c01f;"
    "sprop-parameter-sets=Z0LAH9kAUAW7ARAAAAMAEAAAAwPA8UKZIA==,aMuMsg==";

/* Caps as the payloaders make them (gst-launch-1.0 -v) */
#define VP8PAY_CAPS                                                            \
  "application/x-rtp, media=(string)video, "                                   \
  "clock-rate=(int)90000, encoding-name=(string)VP8, payload=(int)96, "        \
  "ssrc=(uint)1223597245, timestamp-offset=(uint)2729411372, "                 \
  "seqnum-offset=(uint)4124, a-framerate=(string)30"
#define VP9PAY_CAPS                                                            \
  "application/x-rtp, media=(string)video, "                                   \
  "clock-rate=(int)90000, encoding-name=(string)VP9, payload=(int)96"
#define H264PAY_CAPS                                                           \
  "application/x-rtp, media=(string)video, "                                   \
  "clock-rate=(int)90000, encoding-name=(string)H264, "                        \
  "packetization-mode=(string)1, "                                             \
  "sprop-parameter-sets=(string)\"Z0LADYyNQKD5APCIRqA\\=\\,aM48gA\\=\\=\", "   \
  "payload=(int)96, seqnum-offset=(uint)3042"
#define OPUSPAY_CAPS                                                           \
  "application/x-rtp, media=(string)audio, "                                   \
  "clock-rate=(int)48000, encoding-name=(string)OPUS, "                        \
  "sprop-stereo=(string)0, encoding-params=(string)2, "                        \
  "sprop-maxcapturerate=(string)48000, payload=(int)96"
#define PCMUPAY_CAPS                                                           \
  "application/x-rtp, media=(string)audio, "                                   \
  "clock-rate=(int)8000, encoding-name=(string)PCMU, payload=(int)0"
#define PCMAPAY_CAPS                                                           \
  "application/x-rtp, media=(string)audio, "                                   \
  "clock-rate=(int)8000, encoding-name=(string)PCMA, payload=(int)8"

/* ------------------------------------------------------------------ */
/* Attribute parsers */

typedef struct
{
  const gchar *value;
  gint pt;
  const gchar *name;
  guint clock_rate;
  guint channels;
} ValidRtpmap;

static const ValidRtpmap valid_rtpmaps[] = {
  { "96 VP8/90000", 96, "VP8", 90000, 0 },
  { "111 opus/48000/2", 111, "opus", 48000, 2 },
  { "0 PCMU/8000", 0, "PCMU", 8000, 0 },
  { "9 G722/8000/1", 9, "G722", 8000, 1 },
  { "101 telephone-event/8000/1", 101, "telephone-event", 8000, 1 },
  /* blanks and the line end GstSDPMessage may leave */
  { "127  H264/90000 \r", 127, "H264", 90000, 0 },
  { "35 X-GST-OPUS-DRAFT-SPITTKA-00/48000", 35, "X-GST-OPUS-DRAFT-SPITTKA-00",
      48000, 0 },
  { "100 x/2147483647/255", 100, "x", 2147483647u, 255 },
};

typedef struct
{
  const gchar *value;
  const gchar *why; /* in the message */
} Invalid;

static const Invalid invalid_rtpmaps[] = {
  { "", "does not start with a payload type" },
  { "96", "does not start with a payload type" },
  { "96VP8/90000", "does not start with a payload type" },
  { "128 VP8/90000", "does not start with a payload type" },
  { "-1 VP8/90000", "does not start with a payload type" },
  { "0096 VP8/90000", "does not start with a payload type" },
  { "96 /90000", "no encoding name" },
  { "96 VP8", "not followed by '/' and a clock rate" },
  { "96 VP 8/90000", "not followed by '/' and a clock rate" },
  { "96 VP8/", "clock rate is not a number" },
  { "96 VP8/0", "clock rate is not a number" },
  { "96 VP8/2147483648", "clock rate is not a number" },
  { "96 VP8/99999999999", "clock rate is not a number" },
  { "96 VP8/90000/", "not a channel count" },
  { "96 opus/48000/0", "not a channel count" },
  { "96 opus/48000/256", "not a channel count" },
  { "96 VP8/90000x", "unexpected text" },
  { "96 opus/48000/2/1", "unexpected text" },
  { "96 VP8/90000\r\na=rtpmap:97 x/1", "unexpected text" },
  { "96 VP8\xc3\xa9/90000", "not followed by '/'" },
  { "96 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/1",
      "longer than 64" },
};

static void
test_rtpmap_parse (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (valid_rtpmaps); i++) {
    const ValidRtpmap *v = &valid_rtpmaps[i];
    GError *error = NULL;
    gchar *name = NULL;
    guint rate = 0, channels = 99;
    gint pt = -1;

    g_assert_true (sec_webrtc_rtpmap_parse (
        v->value, &pt, &name, &rate, &channels, &error));
    g_assert_no_error (error);
    g_assert_cmpint (pt, ==, v->pt);
    g_assert_cmpstr (name, ==, v->name);
    g_assert_cmpuint (rate, ==, v->clock_rate);
    g_assert_cmpuint (channels, ==, v->channels);
    g_free (name);
  }

  for (i = 0; i < G_N_ELEMENTS (invalid_rtpmaps); i++) {
    GError *error = NULL;
    gchar *name = NULL;
    gint pt = -7;

    g_assert_false (sec_webrtc_rtpmap_parse (
        invalid_rtpmaps[i].value, &pt, &name, NULL, NULL, &error));
    g_assert_error (
        error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID);
    if (strstr (error->message, invalid_rtpmaps[i].why) == NULL)
      g_error ("'%s': message '%s' does not say '%s'", invalid_rtpmaps[i].value,
          error->message, invalid_rtpmaps[i].why);
    g_assert_true (g_str_has_prefix (error->message, "a=rtpmap:'"));
    /* nothing written on error */
    g_assert_cmpint (pt, ==, -7);
    g_assert_null (name);
    g_error_free (error);
  }
}

static void
test_fmtp_parse (void)
{
  static const struct
  {
    const gchar *value;
    gint pt;
    const gchar *params; /* name=value|name|... ; "(null)" bare */
  } valid[] = {
    { "111 minptime=10;useinbandfec=1", 111, "minptime=10|useinbandfec=1" },
    { "102 level-asymmetry-allowed=1;packetization-mode=1;"
      "profile-level-id=42001f",
        102,
        "level-asymmetry-allowed=1|packetization-mode=1|"
        "profile-level-id=42001f" },
    { "97 apt=96", 97, "apt=96" },
    { "101 0-15", 101, "0-15" },
    { "63 111/111", 63, "111/111" },
    /* blanks around names and values, empty parameters, a value with
     * '=', the first of two names wins (any case) */
    { "96  a = 1 ; ;b=x=y;;c;A=2; \r", 96, "a=1|b=x=y|c" },
    { "96 sprop-parameter-sets=Z0LAH9kAUAW7ARAAAAMAEAAAAwPA8UKZIA==,aMuMsg==",
        96,
        "sprop-parameter-sets=Z0LAH9kAUAW7ARAAAAMAEAAAAwPA8UKZIA==,"
        "aMuMsg==" },
    { "96 key=", 96, "key=" },
    { "96 ;", 96, "" },
  };
  static const Invalid invalid[] = {
    { "", "does not start with a payload type" },
    { "apt=96", "does not start with a payload type" },
    { "200 apt=96", "does not start with a payload type" },
    { "97", "does not start with a payload type" },
    { "97 ", "no parameters" },
    { "97 =96", "no name before '='" },
    { "97 a=1; =2", "no name before '='" },
    { "97 apt=9\x01", "not printable ASCII" },
    { "97 apt=\xc3\xa9", "not printable ASCII" },
    { "97 a\r\nb=1", "not printable ASCII" },
  };
  GString *many = g_string_new ("96 ");
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (valid); i++) {
    GPtrArray *params = NULL;
    GString *text = g_string_new (NULL);
    GError *error = NULL;
    gint pt = -1;

    g_assert_true (
        sec_webrtc_fmtp_parse (valid[i].value, &pt, &params, &error));
    g_assert_no_error (error);
    g_assert_cmpint (pt, ==, valid[i].pt);
    for (j = 0; j < params->len; j++) {
      SecWebRTCCodecParam *param = g_ptr_array_index (params, j);

      g_string_append_printf (text, "%s%s", j ? "|" : "", param->name);
      if (param->value)
        g_string_append_printf (text, "=%s", param->value);
    }
    g_assert_cmpstr (text->str, ==, valid[i].params);
    g_string_free (text, TRUE);
    g_ptr_array_unref (params);
  }

  for (i = 0; i < G_N_ELEMENTS (invalid); i++) {
    GPtrArray *params = NULL;
    GError *error = NULL;

    g_assert_false (
        sec_webrtc_fmtp_parse (invalid[i].value, NULL, &params, &error));
    g_assert_error (
        error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID);
    if (strstr (error->message, invalid[i].why) == NULL)
      g_error ("'%s': message '%s' does not say '%s'", invalid[i].value,
          error->message, invalid[i].why);
    g_assert_null (params);
    g_error_free (error);
  }

  /* 64 parameters are fine, 65 are refused */
  for (i = 0; i < 64; i++)
    g_string_append_printf (many, "p%u=1;", i);
  g_assert_true (sec_webrtc_fmtp_parse (many->str, NULL, NULL, NULL));
  g_string_append (many, "p64=1");
  {
    GError *error = NULL;

    g_assert_false (sec_webrtc_fmtp_parse (many->str, NULL, NULL, &error));
    g_assert_error (
        error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "more than 64 parameters"));
    /* the message quotes at most 60 bytes of the line */
    g_assert_nonnull (strstr (error->message, "...'"));
    g_assert_cmpuint (strlen (error->message), <, 160);
    g_error_free (error);
  }
  g_string_free (many, TRUE);
}

static void
test_rtcp_fb_parse (void)
{
  static const struct
  {
    const gchar *value;
    gint pt;
    const gchar *feedback;
  } valid[] = {
    { "96 nack", 96, "nack" },
    { "96 nack pli", 96, "nack pli" },
    { "96 ccm fir", 96, "ccm fir" },
    { "96 goog-remb", 96, "goog-remb" },
    { "111 transport-cc", 111, "transport-cc" },
    { "* nack", -1, "nack" },
    { "*  NACK\t PLI \r", -1, "nack pli" },
    { "96 trr-int 100", 96, "trr-int 100" },
    { "96 ccm tmmbr smaxpr=120", 96, "ccm tmmbr smaxpr=120" },
  };
  static const Invalid invalid[] = {
    { "", "does not start with a payload type 0..127 or '*'" },
    { "*", "does not start with a payload type 0..127 or '*'" },
    { "*nack", "does not start with a payload type 0..127 or '*'" },
    { "96", "does not start with a payload type 0..127 or '*'" },
    { "96nack", "does not start with a payload type 0..127 or '*'" },
    { "300 nack", "does not start with a payload type 0..127 or '*'" },
    { "96 ", "no feedback type" },
    { "* \t", "no feedback type" },
    { "96 nack\x7f", "not printable ASCII" },
    { "96 nack\r\npli", "not printable ASCII" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (valid); i++) {
    GError *error = NULL;
    gchar *feedback = NULL;
    gint pt = -2;

    g_assert_true (
        sec_webrtc_rtcp_fb_parse (valid[i].value, &pt, &feedback, &error));
    g_assert_no_error (error);
    g_assert_cmpint (pt, ==, valid[i].pt);
    g_assert_cmpstr (feedback, ==, valid[i].feedback);
    g_free (feedback);
  }
  for (i = 0; i < G_N_ELEMENTS (invalid); i++) {
    GError *error = NULL;
    gchar *feedback = NULL;

    g_assert_false (
        sec_webrtc_rtcp_fb_parse (invalid[i].value, NULL, &feedback, &error));
    g_assert_error (
        error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID);
    if (strstr (error->message, invalid[i].why) == NULL)
      g_error ("'%s': message '%s' does not say '%s'", invalid[i].value,
          error->message, invalid[i].why);
    g_assert_null (feedback);
    g_error_free (error);
  }
}

/* Every prefix of every attribute value of the real m-lines: either an
 * INVALID error with a message, or a result consistent with the whole
 * value (same payload type, a name that is a prefix of the whole one). */
static void
check_prefixes (const gchar * mline)
{
  gchar **lines = g_strsplit (mline, "\n", -1);
  guint i;
  gsize len;

  for (i = 0; lines[i]; i++) {
    const gchar *line = lines[i];
    enum
    {
      RTPMAP,
      FMTP,
      RTCP_FB
    } kind;
    const gchar *value;
    gint whole_pt;

    if (g_str_has_prefix (line, "a=rtpmap:"))
      kind = RTPMAP;
    else if (g_str_has_prefix (line, "a=fmtp:"))
      kind = FMTP;
    else if (g_str_has_prefix (line, "a=rtcp-fb:"))
      kind = RTCP_FB;
    else
      continue;
    value = strchr (line, ':') + 1;
    whole_pt = value[0] == '*' ? -1 : atoi (value);

    for (len = 0; len <= strlen (value); len++) {
      gchar *prefix = g_strndup (value, len);
      GError *error = NULL;
      gboolean ok;
      gint pt = -5;

      if (kind == RTPMAP) {
        gchar *name = NULL, *whole_name = NULL;

        ok = sec_webrtc_rtpmap_parse (prefix, &pt, &name, NULL, NULL, &error);
        if (ok) {
          g_assert_true (sec_webrtc_rtpmap_parse (
              value, NULL, &whole_name, NULL, NULL, NULL));
          g_assert_true (g_str_has_prefix (whole_name, name));
        }
        g_free (name);
        g_free (whole_name);
      } else if (kind == FMTP) {
        GPtrArray *params = NULL;

        ok = sec_webrtc_fmtp_parse (prefix, &pt, &params, &error);
        if (ok) {
          g_assert_nonnull (params);
          g_assert_cmpuint (params->len, >, 0);
          g_ptr_array_unref (params);
        }
      } else {
        gchar *feedback = NULL;

        ok = sec_webrtc_rtcp_fb_parse (prefix, &pt, &feedback, &error);
        if (ok)
          g_assert_true (g_str_has_prefix (strchr (value, ' ') + 1, feedback));
        g_free (feedback);
      }
      if (ok) {
        g_assert_no_error (error);
        g_assert_cmpint (pt, ==, whole_pt);
      } else {
        g_assert_error (
            error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID);
        g_assert_cmpint (pt, ==, -5);
        g_error_free (error);
      }
      /* the whole value parses */
      g_assert_true (len < strlen (value) || ok);
      g_free (prefix);
    }
  }
  g_strfreev (lines);
}

static void
test_every_prefix (void)
{
  check_prefixes (chromium_video);
  check_prefixes (chromium_audio);
  check_prefixes (firefox_video);
  check_prefixes (firefox_audio);
  check_prefixes (webrtcbin_video);
  check_prefixes (webrtcbin_audio);
  check_prefixes (webrtcbin_h264);
}

/* ------------------------------------------------------------------ */
/* Reading m-lines */

static void
test_parse_chromium (void)
{
  GPtrArray *video = parse_mline (chromium_video);
  GPtrArray *audio = parse_mline (chromium_audio);
  static const SecWebRTCCodecKind video_kinds[] = {
    SEC_WEBRTC_CODEC_VP8, SEC_WEBRTC_CODEC_RTX, SEC_WEBRTC_CODEC_H264,
    SEC_WEBRTC_CODEC_RTX, SEC_WEBRTC_CODEC_H264, SEC_WEBRTC_CODEC_RTX,
    SEC_WEBRTC_CODEC_H264, SEC_WEBRTC_CODEC_RTX, SEC_WEBRTC_CODEC_H264,
    SEC_WEBRTC_CODEC_RTX, SEC_WEBRTC_CODEC_H264, SEC_WEBRTC_CODEC_RTX,
    SEC_WEBRTC_CODEC_H264, SEC_WEBRTC_CODEC_RTX, SEC_WEBRTC_CODEC_UNKNOWN,
    SEC_WEBRTC_CODEC_RTX, /* AV1 */
    SEC_WEBRTC_CODEC_VP9, SEC_WEBRTC_CODEC_RTX, SEC_WEBRTC_CODEC_VP9,
    SEC_WEBRTC_CODEC_RTX, SEC_WEBRTC_CODEC_H264, SEC_WEBRTC_CODEC_RTX,
    SEC_WEBRTC_CODEC_UNKNOWN, SEC_WEBRTC_CODEC_RTX, /* red */
    SEC_WEBRTC_CODEC_UNKNOWN,                       /* ulpfec */
  };
  static const SecWebRTCCodecKind audio_kinds[] = {
    SEC_WEBRTC_CODEC_OPUS,
    SEC_WEBRTC_CODEC_UNKNOWN,
    SEC_WEBRTC_CODEC_UNKNOWN,
    SEC_WEBRTC_CODEC_PCMU,
    SEC_WEBRTC_CODEC_PCMA,
    SEC_WEBRTC_CODEC_UNKNOWN,
    SEC_WEBRTC_CODEC_UNKNOWN,
    SEC_WEBRTC_CODEC_UNKNOWN,
  };
  const SecWebRTCCodec *codec;
  guint i;

  g_assert_cmpuint (video->len, ==, G_N_ELEMENTS (video_kinds));
  for (i = 0; i < video->len; i++) {
    codec = g_ptr_array_index (video, i);
    g_assert_cmpint (codec->kind, ==, video_kinds[i]);
    g_assert_cmpstr (codec->media, ==, "video");
  }
  /* every field of two of them */
  codec = g_ptr_array_index (video, 0);
  g_assert_cmpint (codec->payload_type, ==, 96);
  g_assert_cmpstr (codec->encoding_name, ==, "VP8");
  g_assert_cmpuint (codec->clock_rate, ==, 90000);
  g_assert_cmpuint (codec->channels, ==, 0);
  g_assert_cmpuint (codec->params->len, ==, 0);
  g_assert_cmpint (codec->apt, ==, -1);
  g_assert_cmpuint (codec->feedback->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (codec->feedback, 0), ==, "goog-remb");
  g_assert_cmpstr (g_ptr_array_index (codec->feedback, 4), ==, "nack pli");
  g_assert_true (sec_webrtc_codec_has_feedback (codec, "NACK PLI"));
  g_assert_false (sec_webrtc_codec_has_feedback (codec, "nack sli"));
  codec = g_ptr_array_index (video, 5);
  g_assert_cmpint (codec->payload_type, ==, 105);
  g_assert_cmpstr (codec->encoding_name, ==, "rtx");
  g_assert_cmpint (codec->apt, ==, 104);
  g_assert_cmpstr (sec_webrtc_codec_get_param (codec, "APT"), ==, "104");
  codec = g_ptr_array_index (video, 12);
  g_assert_cmpint (codec->payload_type, ==, 39);
  g_assert_cmpstr (
      sec_webrtc_codec_get_param (codec, "profile-level-id"), ==, "4d001f");

  g_assert_cmpuint (audio->len, ==, G_N_ELEMENTS (audio_kinds));
  for (i = 0; i < audio->len; i++) {
    codec = g_ptr_array_index (audio, i);
    g_assert_cmpint (codec->kind, ==, audio_kinds[i]);
  }
  codec = g_ptr_array_index (audio, 0);
  g_assert_cmpstr (codec->encoding_name, ==, "opus");
  g_assert_cmpuint (codec->channels, ==, 2);
  g_assert_cmpstr (sec_webrtc_codec_get_param (codec, "minptime"), ==, "10");
  g_assert_cmpstr (g_ptr_array_index (codec->feedback, 0), ==, "transport-cc");
  /* red's "111/111" is a bare token */
  codec = g_ptr_array_index (audio, 1);
  g_assert_cmpstr (
      ((SecWebRTCCodecParam *)g_ptr_array_index (codec->params, 0))->name, ==,
      "111/111");
  g_assert_null (
      ((SecWebRTCCodecParam *)g_ptr_array_index (codec->params, 0))->value);

  g_ptr_array_unref (video);
  g_ptr_array_unref (audio);
}

static void
test_parse_rules (void)
{
  static const gchar *const formats[] = { "0", "8", "9", "96", "97", "98", "99",
    "100", NULL };
  static const gchar *const rtpmaps[] = { "96 VP8/90000", "97 opus/48000",
    "98 rtx/90000", "99 rtx/90000", "100 PCMU/16000", "120 VP9/90000", NULL };
  static const gchar *const fmtps[] = { "98 apt=96", "99 apt=x",
    "120 profile-id=1", NULL };
  static const gchar *const rtcp_fbs[] = { "* nack", "96 nack", "96 ccm fir",
    "120 nack pli", NULL };
  GError *error = NULL;
  GPtrArray *codecs;

  /* no rtpmap: PCMU and PCMA by RFC 3551, G722 (9) left out; an opus
   * without /2, rtx without a usable apt and PCMU at 16 kHz are not ours;
   * the wildcard feedback reaches every codec once */
  codecs = sec_webrtc_codecs_parse (
      "AUDIO", formats, rtpmaps, fmtps, rtcp_fbs, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "0 PCMU/8000 fb=nack\n"
      "8 PCMA/8000 fb=nack\n"
      "96 VP8/90000 fb=nack,ccm fir\n"
      "97 opus/48000 fb=nack\n"
      "98 rtx/90000 fmtp=apt=96 fb=nack\n"
      "99 rtx/90000 fmtp=apt=x fb=nack\n"
      "100 PCMU/16000 fb=nack");
  g_assert_cmpint (((SecWebRTCCodec *)g_ptr_array_index (codecs, 0))->kind, ==,
      SEC_WEBRTC_CODEC_PCMU);
  g_assert_cmpint (((SecWebRTCCodec *)g_ptr_array_index (codecs, 1))->kind, ==,
      SEC_WEBRTC_CODEC_PCMA);
  /* VP8 in an audio m-line is not ours */
  g_assert_cmpint (((SecWebRTCCodec *)g_ptr_array_index (codecs, 2))->kind, ==,
      SEC_WEBRTC_CODEC_UNKNOWN);
  g_assert_cmpstr (
      ((SecWebRTCCodec *)g_ptr_array_index (codecs, 2))->media, ==, "audio");
  g_assert_cmpint (((SecWebRTCCodec *)g_ptr_array_index (codecs, 3))->kind, ==,
      SEC_WEBRTC_CODEC_UNKNOWN);
  g_assert_cmpint (((SecWebRTCCodec *)g_ptr_array_index (codecs, 4))->kind, ==,
      SEC_WEBRTC_CODEC_RTX);
  g_assert_cmpint (((SecWebRTCCodec *)g_ptr_array_index (codecs, 5))->kind, ==,
      SEC_WEBRTC_CODEC_UNKNOWN);
  g_assert_cmpint (((SecWebRTCCodec *)g_ptr_array_index (codecs, 6))->kind, ==,
      SEC_WEBRTC_CODEC_UNKNOWN);
  g_ptr_array_unref (codecs);

  /* an empty m-line is an empty list */
  codecs = sec_webrtc_codecs_parse ("video", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codecs->len, ==, 0);
  g_ptr_array_unref (codecs);
}

/* One payload type as sdpcheck.c hands it over (values without the
 * payload type) reads as in a whole m-line */
static void
test_parse_payload (void)
{
  static const gchar *const mlines[] = { chromium_video, chromium_audio,
    firefox_video, firefox_audio, webrtcbin_h264 };
  static const struct
  {
    const gchar *media;
    guint pt;
    const gchar *rtpmap, *fmtp, *rtcp_fb;
    gint code;
    const gchar *message;
  } errors[] = {
    { "video", 96, "VP8", NULL, NULL, SEC_WEBRTC_CODEC_ERROR_INVALID,
        "a=rtpmap:'96 VP8' is malformed" },
    { "video", 96, "VP8/90000", "", NULL, SEC_WEBRTC_CODEC_ERROR_INVALID,
        "a=fmtp:'96 ' is malformed: it has no parameters" },
    { "video", 96, "VP8/90000", NULL, "", SEC_WEBRTC_CODEC_ERROR_INVALID,
        "a=rtcp-fb:'96 ' is malformed" },
    { "video", 96, "VP8/90000", NULL, "nack\x01",
        SEC_WEBRTC_CODEC_ERROR_INVALID,
        "a=rtcp-fb:'96 nack\\x01' is malformed" },
    { "video", 100, NULL, NULL, NULL, SEC_WEBRTC_CODEC_ERROR_UNSUPPORTED,
        "payload type 100 has no a=rtpmap" },
    { "video", 128, "VP8/90000", NULL, NULL, SEC_WEBRTC_CODEC_ERROR_INVALID,
        "payload type 128 is not one of 0..127" },
    { "application", 96, "VP8/90000", NULL, NULL,
        SEC_WEBRTC_CODEC_ERROR_INVALID,
        "an m-line of media 'application' carries no RTP codecs" },
  };
  GError *error = NULL;
  SecWebRTCCodec *codec;
  guint i, j, k;

  for (i = 0; i < G_N_ELEMENTS (mlines); i++) {
    GPtrArray *codecs = parse_mline (mlines[i]);
    GPtrArray *again =
        g_ptr_array_new_with_free_func ((GDestroyNotify)sec_webrtc_codec_free);
    gchar *expected, *actual;

    for (j = 0; j < codecs->len; j++) {
      const SecWebRTCCodec *c = g_ptr_array_index (codecs, j);
      gchar *rtpmap = sec_webrtc_codec_rtpmap_string (c);
      gchar *fmtp = sec_webrtc_codec_fmtp_string (c);
      GPtrArray *feedback = g_ptr_array_new ();

      for (k = 0; k < c->feedback->len; k++)
        g_ptr_array_add (feedback, g_ptr_array_index (c->feedback, k));
      g_ptr_array_add (feedback, NULL);
      codec = sec_webrtc_codec_parse (c->media, (guint)c->payload_type, rtpmap,
          fmtp, (const gchar *const *)feedback->pdata, &error);
      g_assert_no_error (error);
      g_assert_cmpint (codec->kind, ==, c->kind);
      g_assert_cmpint (codec->apt, ==, c->apt);
      g_ptr_array_add (again, codec);
      g_ptr_array_unref (feedback);
      g_free (rtpmap);
      g_free (fmtp);
    }
    expected = summary (codecs);
    actual = summary (again);
    g_assert_cmpstr (actual, ==, expected);
    g_free (expected);
    g_free (actual);
    g_ptr_array_unref (again);
    g_ptr_array_unref (codecs);
  }

  /* PCMU and PCMA need no rtpmap */
  codec = sec_webrtc_codec_parse ("audio", 8, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (codec->kind, ==, SEC_WEBRTC_CODEC_PCMA);
  g_assert_cmpstr (codec->encoding_name, ==, "PCMA");
  g_assert_cmpuint (codec->clock_rate, ==, 8000);
  sec_webrtc_codec_free (codec);

  for (i = 0; i < G_N_ELEMENTS (errors); i++) {
    const gchar *feedback[] = { errors[i].rtcp_fb, NULL };

    g_assert_null (sec_webrtc_codec_parse (errors[i].media, errors[i].pt,
        errors[i].rtpmap, errors[i].fmtp, feedback, &error));
    g_assert_error (error, SEC_WEBRTC_CODEC_ERROR, errors[i].code);
    if (!g_str_has_prefix (error->message, errors[i].message))
      g_error ("case %u: '%s' does not start with '%s'", i, error->message,
          errors[i].message);
    g_clear_error (&error);
  }
}

static void
test_parse_errors (void)
{
  static const struct
  {
    const gchar *media;
    const gchar *formats; /* space-separated */
    const gchar *rtpmaps; /* '|'-separated */
    const gchar *fmtps;
    const gchar *rtcp_fbs;
    const gchar *message;
  } cases[] = {
    { "application", "96", "", "", "",
        "an m-line of media 'application' carries no RTP codecs" },
    { "video", "96 x", "", "", "",
        "the m-line's format 'x' is not a payload type 0..127" },
    { "video", "96 128", "", "", "",
        "the m-line's format '128' is not a payload type 0..127" },
    { "video", "96 96", "", "", "", "the m-line lists payload type 96 twice" },
    { "video", "96", "96 VP8/90000|96 VP9/90000", "", "",
        "payload type 96 has two a=rtpmap lines" },
    { "video", "96", "96 VP8/90000", "96 a=1|96 b=2", "",
        "payload type 96 has two a=fmtp lines" },
    { "video", "96", "96 VP8", "", "",
        "a=rtpmap:'96 VP8' is malformed: the encoding name is not followed "
        "by '/' and a clock rate" },
    /* malformed lines of payload types not listed are errors too */
    { "video", "96", "96 VP8/90000|97 rtx", "", "",
        "a=rtpmap:'97 rtx' is malformed" },
    { "video", "96", "96 VP8/90000", "", "96", "a=rtcp-fb:'96' is malformed" },
    { "video", "96", "96 VP8/90000", "x", "", "a=fmtp:'x' is malformed" },
  };
  guint i, n;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar **formats = g_strsplit (cases[i].formats, " ", -1);
    gchar **rtpmaps = g_strsplit (cases[i].rtpmaps, "|", -1);
    gchar **fmtps = g_strsplit (cases[i].fmtps, "|", -1);
    gchar **rtcp_fbs = g_strsplit (cases[i].rtcp_fbs, "|", -1);
    GError *error = NULL;

    /* "" splits to an empty vector */
    g_assert_null (sec_webrtc_codecs_parse (cases[i].media,
        (const gchar *const *)formats, (const gchar *const *)rtpmaps,
        (const gchar *const *)fmtps, (const gchar *const *)rtcp_fbs, &error));
    g_assert_error (
        error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID);
    if (!g_str_has_prefix (error->message, cases[i].message))
      g_error ("case %u: '%s' does not start with '%s'", i, error->message,
          cases[i].message);
    g_error_free (error);
    g_strfreev (formats);
    g_strfreev (rtpmaps);
    g_strfreev (fmtps);
    g_strfreev (rtcp_fbs);
  }

  /* 32 distinct feedback values for one payload type are fine, 33 not */
  for (n = 32; n <= 33; n++) {
    static const gchar *const formats[] = { "96", NULL };
    static const gchar *const rtpmaps[] = { "96 VP8/90000", NULL };
    GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
    GError *error = NULL;
    GPtrArray *codecs;

    for (i = 0; i < n; i++)
      g_ptr_array_add (values, g_strdup_printf (i % 2 ? "96 x%u" : "* x%u", i));
    /* repeats do not count */
    g_ptr_array_add (values, g_strdup ("96 x0"));
    g_ptr_array_add (values, NULL);
    codecs = sec_webrtc_codecs_parse ("video", formats, rtpmaps, NULL,
        (const gchar *const *)values->pdata, &error);
    if (n == 32) {
      g_assert_no_error (error);
      g_assert_cmpuint (
          ((SecWebRTCCodec *)g_ptr_array_index (codecs, 0))->feedback->len, ==,
          32);
      g_ptr_array_unref (codecs);
    } else {
      g_assert_null (codecs);
      g_assert_error (
          error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==,
          "payload type 96 has more than "
          "32 different a=rtcp-fb values");
      g_error_free (error);
    }
    g_ptr_array_unref (values);
  }
}

/* ------------------------------------------------------------------ */
/* Answers */

static GPtrArray *
answer (const gchar * mline, const gchar * caps_text,
    SecWebRTCPayloadSpace * space, GError ** error)
{
  GPtrArray *offered = parse_mline (mline);
  GstCaps *local = caps_text ? caps (caps_text) : NULL;
  GPtrArray *result;

  result = sec_webrtc_codecs_answer (offered, local, space, error);
  if (local)
    gst_caps_unref (local);
  g_ptr_array_unref (offered);
  return result;
}

static void
test_answer_chromium_vp8 (void)
{
  SecWebRTCPayloadSpace *space = sec_webrtc_payload_space_new ();
  GError *error = NULL;
  GPtrArray *codecs;
  gchar *text;

  /* what a vp8enc ! rtpvp8pay pipeline sends: VP8 with Chromium's payload
   * type (not the caps' 96... which happens to be the same), its rtx, and
   * only the feedback we implement, in the offer's order */
  codecs = answer (chromium_video, VP8PAY_CAPS, space, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "96 VP8/90000 fb=ccm fir,nack,nack pli\n"
      "97 rtx/90000 fmtp=apt=96");
  g_assert_cmpint (
      ((SecWebRTCCodec *)g_ptr_array_index (codecs, 1))->apt, ==, 96);
  text = media_text (codecs, "video");
  g_assert_cmpstr (text, ==,
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"
      "a=rtpmap:96 VP8/90000\r\n"
      "a=rtcp-fb:96 ccm fir\r\n"
      "a=rtcp-fb:96 nack\r\n"
      "a=rtcp-fb:96 nack pli\r\n"
      "a=rtpmap:97 rtx/90000\r\n"
      "a=fmtp:97 apt=96\r\n");
  g_free (text);
  /* recorded in the transport's payload types */
  g_assert_cmpint (sec_webrtc_payload_space_lookup (space, 96)->kind, ==,
      SEC_WEBRTC_CODEC_VP8);
  g_assert_cmpint (sec_webrtc_payload_space_lookup (space, 97)->kind, ==,
      SEC_WEBRTC_CODEC_RTX);
  g_assert_null (sec_webrtc_payload_space_lookup (space, 98));
  g_ptr_array_unref (codecs);
  sec_webrtc_payload_space_free (space);
}

static void
test_answer_chromium_all (void)
{
  GError *error = NULL;
  GPtrArray *codecs;

  /* a receive-only transceiver without caps: every offered codec we
   * implement, in the offer's order, with the offer's payload types;
   * H264 104 (Baseline, mode 0) and 39 (Main, mode 0) are not among ours,
   * nor AV1, red and ulpfec; an rtx only with its codec */
  codecs = answer (chromium_video, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "96 VP8/90000 fb=ccm fir,nack,nack pli\n"
      "97 rtx/90000 fmtp=apt=96\n"
      "102 H264/90000 fmtp=level-asymmetry-allowed=1;packetization-mode=1;"
      "profile-level-id=42001f fb=ccm fir,nack,nack pli\n"
      "103 rtx/90000 fmtp=apt=102\n"
      "106 H264/90000 fmtp=level-asymmetry-allowed=1;packetization-mode=1;"
      "profile-level-id=42e01f fb=ccm fir,nack,nack pli\n"
      "107 rtx/90000 fmtp=apt=106\n"
      "108 H264/90000 fmtp=level-asymmetry-allowed=1;packetization-mode=0;"
      "profile-level-id=42e01f fb=nack,nack pli\n"
      "109 rtx/90000 fmtp=apt=108\n"
      "127 H264/90000 fmtp=level-asymmetry-allowed=1;packetization-mode=1;"
      "profile-level-id=4d001f fb=nack,nack pli\n"
      "125 rtx/90000 fmtp=apt=127\n"
      "98 VP9/90000 fmtp=profile-id=0 fb=ccm fir,nack,nack pli\n"
      "99 rtx/90000 fmtp=apt=98\n"
      "100 VP9/90000 fmtp=profile-id=2 fb=nack,nack pli\n"
      "101 rtx/90000 fmtp=apt=100\n"
      "112 H264/90000 fmtp=level-asymmetry-allowed=1;packetization-mode=1;"
      "profile-level-id=64001f fb=nack,nack pli\n"
      "113 rtx/90000 fmtp=apt=112");
  g_ptr_array_unref (codecs);

  /* audio: opus with its parameters, PCMU and PCMA; red, G722, CN and
   * telephone-event left out; no feedback (transport-cc is not ours) */
  codecs = answer (chromium_audio, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "111 opus/48000/2 fmtp=minptime=10;useinbandfec=1\n"
      "0 PCMU/8000\n"
      "8 PCMA/8000");
  g_ptr_array_unref (codecs);
}

static void
test_answer_payloader_caps (void)
{
  GError *error = NULL;
  GPtrArray *codecs;

  /* rtpopuspay's caps: the offer's minptime and useinbandfec, then our
   * sprop-* */
  codecs = answer (chromium_audio, OPUSPAY_CAPS, NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "111 opus/48000/2 fmtp=minptime=10;useinbandfec=1;"
      "sprop-stereo=0;sprop-maxcapturerate=48000");
  g_ptr_array_unref (codecs);

  codecs = answer (firefox_audio, OPUSPAY_CAPS, NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "109 opus/48000/2 fmtp=useinbandfec=1;"
      "sprop-stereo=0;sprop-maxcapturerate=48000");
  g_ptr_array_unref (codecs);

  /* our caps' opus settings win over the offer's */
  codecs = answer (chromium_audio,
      "application/x-rtp, encoding-name=OPUS, "
      "useinbandfec=(string)0, stereo=(int)1",
      NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "111 opus/48000/2 fmtp=minptime=10;useinbandfec=0;"
      "stereo=1");
  g_ptr_array_unref (codecs);

  /* only numbers are repeated from the offer */
  codecs = answer ("m=audio 9 UDP/TLS/RTP/SAVPF 111\n"
                   "a=rtpmap:111 opus/48000/2\n"
                   "a=fmtp:111 minptime=1 0;useinbandfec=yes",
      OPUSPAY_CAPS, NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "111 opus/48000/2 fmtp=sprop-stereo=0;"
      "sprop-maxcapturerate=48000");
  g_ptr_array_unref (codecs);

  /* PCMA before PCMU in our caps: still the offer's order */
  codecs = answer (chromium_audio, PCMAPAY_CAPS ";" PCMUPAY_CAPS, NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs, "0 PCMU/8000\n8 PCMA/8000");
  g_ptr_array_unref (codecs);

  /* openh264enc ! rtph264pay: packetization-mode 1, no profile-level-id:
   * every offered profile with mode 1, as offered, with our sprop */
  codecs = answer (firefox_video, H264PAY_CAPS, NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "126 H264/90000 fmtp=level-asymmetry-allowed=1;packetization-mode=1;"
      "profile-level-id=42e01f;sprop-parameter-sets=Z0LADYyNQKD5APCIRqA=,"
      "aM48gA== fb=nack,nack pli,ccm fir\n"
      "127 rtx/90000 fmtp=apt=126");
  g_ptr_array_unref (codecs);

  /* Firefox's VP9 (profile 0 by default) for rtpvp9pay, with its max-fs
   * and max-fr not echoed (they are its receive limits) */
  codecs = answer (firefox_video, VP9PAY_CAPS, NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "121 VP9/90000 fb=nack,nack pli,ccm fir\n"
      "125 rtx/90000 fmtp=apt=121");
  g_ptr_array_unref (codecs);

  /* several codecs in our caps, the offer's order decides */
  codecs = answer (firefox_video, VP9PAY_CAPS ";" VP8PAY_CAPS, NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "120 VP8/90000 fb=nack,nack pli,ccm fir\n"
      "124 rtx/90000 fmtp=apt=120\n"
      "121 VP9/90000 fb=nack,nack pli,ccm fir\n"
      "125 rtx/90000 fmtp=apt=121");
  g_ptr_array_unref (codecs);
}

static void
test_answer_webrtcbin (void)
{
  GError *error = NULL;
  GPtrArray *codecs;

  codecs = answer (webrtcbin_video, VP8PAY_CAPS, NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "96 VP8/90000 fb=nack,nack pli,ccm fir\n"
      "97 rtx/90000 fmtp=apt=96");
  g_ptr_array_unref (codecs);

  /* "OPUS" in upper case is opus; feedback on audio is not answered */
  codecs = answer (webrtcbin_audio, OPUSPAY_CAPS, NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "97 opus/48000/2 fmtp=sprop-stereo=0;"
      "sprop-maxcapturerate=48000");
  g_ptr_array_unref (codecs);

  /* 42c01f is Constrained Baseline, as our 42e01f: the answer keeps the
   * offer's constraint flags (RFC 6184 §8.2.2: the profile is used
   * symmetrically) */
  codecs = answer (webrtcbin_h264,
      "application/x-rtp, encoding-name=H264, "
      "packetization-mode=(string)1, profile-level-id=(string)42e01f",
      NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "96 H264/90000 fmtp=packetization-mode=1;"
      "profile-level-id=42c01f fb=nack pli");
  g_ptr_array_unref (codecs);
}

static void
test_answer_rules (void)
{
  GError *error = NULL;
  GPtrArray *codecs;

  /* rtx only with its codec: H264 mode 2 is not implemented, so neither
   * it nor its rtx is answered; an rtx for a payload type the m-line does
   * not list neither; a rtx at another clock rate neither */
  codecs = answer ("m=video 9 UDP/TLS/RTP/SAVPF 98 99 96 97 100 101\n"
                   "a=rtpmap:98 H264/90000\n"
                   "a=fmtp:98 packetization-mode=2;profile-level-id=42e01f\n"
                   "a=rtpmap:99 rtx/90000\n"
                   "a=fmtp:99 apt=98\n"
                   "a=rtpmap:96 VP8/90000\n"
                   "a=rtpmap:97 rtx/90000\n"
                   "a=fmtp:97 apt=96;rtx-time=3000\n"
                   "a=rtpmap:100 rtx/90000\n"
                   "a=fmtp:100 apt=120\n"
                   "a=rtpmap:101 rtx/48000\n"
                   "a=fmtp:101 apt=96",
      NULL, NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "96 VP8/90000\n"
      "97 rtx/90000 fmtp=apt=96;rtx-time=3000");
  g_ptr_array_unref (codecs);
  codecs = answer ("m=video 9 UDP/TLS/RTP/SAVPF 96 97\n"
                   "a=rtpmap:96 VP8/90000\n"
                   "a=rtpmap:97 rtx/90000\n"
                   "a=fmtp:97 apt=96;rtx-time=3s",
      NULL, NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs, "96 VP8/90000\n97 rtx/90000 fmtp=apt=96");
  g_ptr_array_unref (codecs);

  /* a=rtcp-fb:* applies to every codec; only what we implement */
  codecs = answer ("m=video 9 UDP/TLS/RTP/SAVPF 96 97\n"
                   "a=rtpmap:96 VP8/90000\n"
                   "a=rtpmap:97 VP9/90000\n"
                   "a=rtcp-fb:* nack\n"
                   "a=rtcp-fb:* transport-cc\n"
                   "a=rtcp-fb:97 ccm fir\n"
                   "a=rtcp-fb:97 ccm tmmbr",
      NULL, NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "96 VP8/90000 fb=nack\n"
      "97 VP9/90000 fb=ccm fir,nack");
  g_ptr_array_unref (codecs);

  /* nothing in common: rejected, saying what was offered */
  codecs = answer ("m=audio 9 UDP/TLS/RTP/SAVPF 9 13 110\n"
                   "a=rtpmap:9 G722/8000\n"
                   "a=rtpmap:13 CN/8000\n"
                   "a=rtpmap:110 telephone-event/48000",
      NULL, NULL, &error);
  g_assert_null (codecs);
  g_assert_error (
      error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_NO_COMMON);
  g_assert_cmpstr (error->message, ==,
      "no offered audio codec can be used "
      "(offered: 9 G722/8000, 13 CN/8000, 110 telephone-event/48000; ours: "
      "opus/48000/2, PCMU/8000, PCMA/8000)");
  g_clear_error (&error);

  /* video caps for an audio m-line */
  codecs = answer (chromium_audio, VP8PAY_CAPS, NULL, &error);
  g_assert_null (codecs);
  g_assert_error (
      error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_NO_COMMON);
  g_clear_error (&error);

  /* an m-line without payload types */
  {
    GPtrArray *empty = g_ptr_array_new ();

    g_assert_null (sec_webrtc_codecs_answer (empty, NULL, NULL, &error));
    g_assert_error (
        error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_NO_COMMON);
    g_clear_error (&error);
    g_ptr_array_unref (empty);
  }

  /* bad caps are the caller's error, not a rejection */
  codecs = answer (
      chromium_video, "application/x-rtp, encoding-name=H265", NULL, &error);
  g_assert_null (codecs);
  g_assert_error (
      error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_UNSUPPORTED);
  g_clear_error (&error);
}

/* ------------------------------------------------------------------ */
/* H264 profile-level-id */

static void
test_h264_profile_level_id (void)
{
  static const struct
  {
    const gchar *text;
    SecWebRTCH264Profile profile;
    guint level;
  } valid[] = {
    { "42e01f", SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE, 310 },
    { "42C01F", SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE, 310 },
    { "42401f", SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE, 310 },
    { "4de01f", SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE, 310 },
    { "4d801f", SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE, 310 },
    { "58c01f", SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE, 310 },
    { "42001f", SEC_WEBRTC_H264_PROFILE_BASELINE, 310 },
    { "42a01e", SEC_WEBRTC_H264_PROFILE_BASELINE, 300 },
    { "58801f", SEC_WEBRTC_H264_PROFILE_BASELINE, 310 },
    { "4d001f", SEC_WEBRTC_H264_PROFILE_MAIN, 310 },
    { "4d4033", SEC_WEBRTC_H264_PROFILE_MAIN, 510 },
    { "640c1f", SEC_WEBRTC_H264_PROFILE_CONSTRAINED_HIGH, 310 },
    { "64001f", SEC_WEBRTC_H264_PROFILE_HIGH, 310 },
    { "640034", SEC_WEBRTC_H264_PROFILE_HIGH, 520 },
    { "f4001f", SEC_WEBRTC_H264_PROFILE_PREDICTIVE_HIGH_444, 310 },
    /* level 1b: level_idc 11 with constraint_set3 in Baseline/Main/
     * Extended, level_idc 9 elsewhere; 1.1 without the flag */
    { "42f00b", SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE, 105 },
    { "42e00b", SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE, 110 },
    { "4d100b", SEC_WEBRTC_H264_PROFILE_MAIN, 105 },
    { "640009", SEC_WEBRTC_H264_PROFILE_HIGH, 105 },
    { "64000b", SEC_WEBRTC_H264_PROFILE_HIGH, 110 },
    { "42e00a", SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE, 100 },
    { "42e03e", SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE, 620 },
  };
  static const struct
  {
    const gchar *text;
    const gchar *reason;
  } invalid[] = {
    { "", "six hex digits" }, { "42e01", "six hex digits" },
    { "42e01f0", "six hex digits" }, { "42e01g", "six hex digits" },
    { " 42e01f", "six hex digits" }, { "43001f", "name no profile" },
    { "6e001f", "name no profile" }, /* High 10 */
    { "42081f", "name no profile" }, /* constraint_set4 in Baseline */
    { "42e001", "no H.264 level" },
    { "42e101", "name no profile" }, /* a reserved bit */
  };
  SecWebRTCH264ProfileLevelId plid;
  const gchar *reason = NULL;
  gchar *text;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (valid); i++) {
    if (!sec_webrtc_h264_profile_level_id_parse (valid[i].text, &plid, &reason))
      g_error ("%s: %s", valid[i].text, reason);
    g_assert_cmpint (plid.profile, ==, valid[i].profile);
    g_assert_cmpuint (plid.level, ==, valid[i].level);
  }
  for (i = 0; i < G_N_ELEMENTS (invalid) && invalid[i].text; i++) {
    reason = NULL;
    g_assert_false (sec_webrtc_h264_profile_level_id_parse (
        invalid[i].text, &plid, &reason));
    if (strstr (reason, invalid[i].reason) == NULL)
      g_error ("%s: '%s'", invalid[i].text, reason);
  }
  /* level_idc 99 is no level */
  g_assert_false (
      sec_webrtc_h264_profile_level_id_parse ("42e063", &plid, &reason));
  g_assert_cmpstr (reason, ==, "its level_idc is no H.264 level");

  /* formatting a level back */
  g_assert_true (
      sec_webrtc_h264_profile_level_id_parse ("42e01f", &plid, NULL));
  text = sec_webrtc_h264_profile_level_id_format (&plid, 105);
  g_assert_cmpstr (text, ==, "42f00b");
  g_free (text);
  g_assert_true (
      sec_webrtc_h264_profile_level_id_parse ("42f00b", &plid, NULL));
  text = sec_webrtc_h264_profile_level_id_format (&plid, 110);
  g_assert_cmpstr (text, ==, "42e00b");
  g_free (text);
  text = sec_webrtc_h264_profile_level_id_format (&plid, 520);
  g_assert_cmpstr (text, ==, "42f034");
  g_free (text);
  g_assert_true (
      sec_webrtc_h264_profile_level_id_parse ("64001f", &plid, NULL));
  text = sec_webrtc_h264_profile_level_id_format (&plid, 105);
  g_assert_cmpstr (text, ==, "640009");
  g_free (text);
  g_assert_cmpstr (sec_webrtc_h264_profile_name (
                       SEC_WEBRTC_H264_PROFILE_CONSTRAINED_BASELINE),
      ==, "constrained-baseline");
  g_assert_cmpstr (sec_webrtc_h264_profile_name (
                       SEC_WEBRTC_H264_PROFILE_PREDICTIVE_HIGH_444),
      ==, "high-4:4:4");
}

/* The answer's fmtp for one offered H264 payload type and our caps'
 * fields (NULL: not answered) */
static void
test_h264_matching (void)
{
  static const struct
  {
    const gchar *offered; /* a=fmtp:100 ... (NULL: no fmtp) */
    const gchar *ours;    /* caps fields after encoding-name=H264 */
    const gchar *answer;  /* answer fmtp, "" none, NULL rejected */
  } table[] = {
    /* the same profile and level */
    { "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
        "packetization-mode=(string)1, profile-level-id=(string)42e01f, "
        "level-asymmetry-allowed=(string)1",
        "level-asymmetry-allowed=1;packetization-mode=1;"
        "profile-level-id=42e01f" },
    /* 42c0 and 42e0 are both Constrained Baseline: the offer's flags */
    { "packetization-mode=1;profile-level-id=42c01f",
        "packetization-mode=(string)1, profile-level-id=(string)42e01f, "
        "level-asymmetry-allowed=(string)1",
        "level-asymmetry-allowed=1;packetization-mode=1;"
        "profile-level-id=42c01f" },
    /* Baseline, Main, Constrained High, High are other profiles */
    { "packetization-mode=1;profile-level-id=42001f",
        "packetization-mode=(string)1, profile-level-id=(string)42e01f", NULL },
    { "packetization-mode=1;profile-level-id=4d001f",
        "packetization-mode=(string)1, profile-level-id=(string)42e01f", NULL },
    { "packetization-mode=1;profile-level-id=640c1f",
        "packetization-mode=(string)1, profile-level-id=(string)42e01f", NULL },
    { "packetization-mode=1;profile-level-id=640c1f",
        "packetization-mode=(string)1, profile-level-id=(string)640c1f",
        "packetization-mode=1;profile-level-id=640c1f" },
    { "packetization-mode=1;profile-level-id=640c1f",
        "packetization-mode=(string)1, profile-level-id=(string)64001f", NULL },
    { "packetization-mode=1;profile-level-id=42001f",
        "packetization-mode=(string)1, profile-level-id=(string)42001f",
        "packetization-mode=1;profile-level-id=42001f" },
    /* Main with constraint_set0..2 is Constrained Baseline */
    { "packetization-mode=1;profile-level-id=4de01f",
        "packetization-mode=(string)1, profile-level-id=(string)42e01f",
        "packetization-mode=1;profile-level-id=4de01f" },
    /* packetization-mode must match; absent is 0 */
    { "packetization-mode=0;profile-level-id=42e01f",
        "packetization-mode=(string)1, profile-level-id=(string)42e01f", NULL },
    { "packetization-mode=1;profile-level-id=42e01f",
        "packetization-mode=(string)0, profile-level-id=(string)42e01f", NULL },
    { "profile-level-id=42e01f", "profile-level-id=(string)42e01f",
        "profile-level-id=42e01f" },
    { "profile-level-id=42e01f",
        "packetization-mode=(int)0, profile-level-id=(string)42e01f",
        "profile-level-id=42e01f" },
    { "packetization-mode=2;profile-level-id=42e01f",
        "packetization-mode=(string)1", NULL },
    { "packetization-mode=x;profile-level-id=42e01f",
        "packetization-mode=(string)1", NULL },
    /* levels: both allow asymmetry: ours (RFC 6184 §8.2.2) */
    { "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e034",
        "packetization-mode=(string)1, profile-level-id=(string)42e01f, "
        "level-asymmetry-allowed=(string)1",
        "level-asymmetry-allowed=1;packetization-mode=1;"
        "profile-level-id=42e01f" },
    { "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e00b",
        "packetization-mode=(string)1, profile-level-id=(string)42e01f, "
        "level-asymmetry-allowed=(string)1",
        "level-asymmetry-allowed=1;packetization-mode=1;"
        "profile-level-id=42e01f" },
    /* not both: the lower one */
    { "packetization-mode=1;profile-level-id=42e034",
        "packetization-mode=(string)1, profile-level-id=(string)42e01f, "
        "level-asymmetry-allowed=(string)1",
        "level-asymmetry-allowed=1;packetization-mode=1;"
        "profile-level-id=42e01f" },
    { "packetization-mode=1;profile-level-id=42e00b",
        "packetization-mode=(string)1, profile-level-id=(string)42e01f, "
        "level-asymmetry-allowed=(string)1",
        "level-asymmetry-allowed=1;packetization-mode=1;"
        "profile-level-id=42e00b" },
    { "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
        "packetization-mode=(string)1, profile-level-id=(string)42e00b",
        "packetization-mode=1;profile-level-id=42e00b" },
    { "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
        "packetization-mode=(string)1, profile-level-id=(string)42e00b, "
        "level-asymmetry-allowed=(string)0",
        "packetization-mode=1;profile-level-id=42e00b" },
    /* level 1b (constraint_set3 with level_idc 11) is below 1.1 */
    { "packetization-mode=1;profile-level-id=42f00b",
        "packetization-mode=(string)1, profile-level-id=(string)42e00b",
        "packetization-mode=1;profile-level-id=42f00b" },
    { "packetization-mode=1;profile-level-id=42e00b",
        "packetization-mode=(string)1, profile-level-id=(string)42f00b",
        "packetization-mode=1;profile-level-id=42f00b" },
    { "packetization-mode=1;profile-level-id=42e01f",
        "packetization-mode=(string)1, profile-level-id=(string)42f00b",
        "packetization-mode=1;profile-level-id=42f00b" },
    /* our caps without profile-level-id take the offered one */
    { "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640c1f",
        "packetization-mode=(string)1",
        "level-asymmetry-allowed=1;packetization-mode=1;"
        "profile-level-id=640c1f" },
    { "packetization-mode=1;profile-level-id=42E01F",
        "packetization-mode=(string)1",
        "packetization-mode=1;profile-level-id=42e01f" },
    /* an offer without profile-level-id is Constrained Baseline 3.1 */
    { "packetization-mode=1",
        "packetization-mode=(string)1, profile-level-id=(string)42e01f",
        "packetization-mode=1;profile-level-id=42e01f" },
    { "packetization-mode=1",
        "packetization-mode=(string)1, profile-level-id=(string)42001f", NULL },
    { NULL, "profile-level-id=(string)42e01f", "profile-level-id=42e01f" },
    { NULL, "packetization-mode=(string)0", "" },
    /* an unusable offered profile-level-id is not answered */
    { "packetization-mode=1;profile-level-id=zzzzzz",
        "packetization-mode=(string)1", NULL },
    { "packetization-mode=1;profile-level-id=43001f",
        "packetization-mode=(string)1", NULL },
    /* our sprop-* and max-* follow */
    { "packetization-mode=1;profile-level-id=42e01f;sprop-parameter-sets=AAA=",
        "packetization-mode=(string)1, max-br=(int)5000, "
        "sprop-parameter-sets=(string)\"Z0I=\"",
        "packetization-mode=1;profile-level-id=42e01f;max-br=5000;"
        "sprop-parameter-sets=Z0I=" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (table); i++) {
    gchar *mline = g_strdup_printf ("m=video 9 UDP/TLS/RTP/SAVPF 100\n"
                                    "a=rtpmap:100 H264/90000%s%s",
        table[i].offered ? "\na=fmtp:100 " : "",
        table[i].offered ? table[i].offered : "");
    gchar *ours = g_strdup_printf ("application/x-rtp, encoding-name=H264, "
                                   "%s",
        table[i].ours);
    GError *error = NULL;
    GPtrArray *codecs = answer (mline, ours, NULL, &error);

    if (table[i].answer == NULL) {
      if (codecs)
        g_error ("row %u: answered %s", i, summary (codecs));
      g_assert_error (
          error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_NO_COMMON);
      g_clear_error (&error);
    } else {
      gchar *fmtp;

      if (codecs == NULL)
        g_error ("row %u: %s", i, error->message);
      g_assert_cmpuint (codecs->len, ==, 1);
      fmtp = sec_webrtc_codec_fmtp_string (g_ptr_array_index (codecs, 0));
      if (g_strcmp0 (fmtp ? fmtp : "", table[i].answer) != 0)
        g_error ("row %u: answer fmtp '%s', expected '%s'", i, fmtp,
            table[i].answer);
      g_free (fmtp);
      g_ptr_array_unref (codecs);
    }
    g_free (mline);
    g_free (ours);
  }
}

/* ------------------------------------------------------------------ */
/* Offers and payload types */

static GPtrArray *
offer (const gchar * caps_text, SecWebRTCPayloadSpace * space, GError ** error)
{
  GstCaps *local = caps (caps_text);
  GPtrArray *codecs = sec_webrtc_codecs_offer (local, space, error);

  gst_caps_unref (local);
  return codecs;
}

static void
test_offer (void)
{
  GError *error = NULL;
  GPtrArray *codecs;
  gchar *text;

  /* rtpvp8pay's caps: its payload type, the feedback we implement (never
   * transport-cc or goog-remb), an rtx */
  codecs = offer (VP8PAY_CAPS, NULL, &error);
  g_assert_no_error (error);
  text = media_text (codecs, "video");
  g_assert_cmpstr (text, ==,
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"
      "a=rtpmap:96 VP8/90000\r\n"
      "a=rtcp-fb:96 nack\r\n"
      "a=rtcp-fb:96 nack pli\r\n"
      "a=rtcp-fb:96 ccm fir\r\n"
      "a=rtpmap:97 rtx/90000\r\n"
      "a=fmtp:97 apt=96\r\n");
  g_free (text);
  g_ptr_array_unref (codecs);

  /* several codecs without payload types: numbered as browsers do, each
   * rtx after its codec; the caps' fmtp fields of each codec */
  codecs = offer (
      "application/x-rtp, encoding-name=VP8; "
      "application/x-rtp, encoding-name=VP9, profile-id=(int)2; "
      "application/x-rtp, media=video, clock-rate=90000, encoding-name=h264, "
      "packetization-mode=(string)1, profile-level-id=(string)42e01f, "
      "level-asymmetry-allowed=(boolean)true, ssrc=(uint)1234",
      NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "96 VP8/90000 fb=nack,nack pli,ccm fir\n"
      "97 rtx/90000 fmtp=apt=96\n"
      "98 VP9/90000 fmtp=profile-id=2 fb=nack,nack pli,ccm fir\n"
      "99 rtx/90000 fmtp=apt=98\n"
      "100 H264/90000 fmtp=packetization-mode=1;profile-level-id=42e01f;"
      "level-asymmetry-allowed=1 fb=nack,nack pli,ccm fir\n"
      "101 rtx/90000 fmtp=apt=100");
  g_ptr_array_unref (codecs);

  /* audio: no feedback, no rtx; opus always /2; PCMU and PCMA their
   * static payload types */
  codecs = offer (OPUSPAY_CAPS ";" PCMUPAY_CAPS ";" PCMAPAY_CAPS, NULL, &error);
  g_assert_no_error (error);
  text = media_text (codecs, "audio");
  g_assert_cmpstr (text, ==,
      "m=audio 9 UDP/TLS/RTP/SAVPF 96 0 8\r\n"
      "a=rtpmap:96 opus/48000/2\r\n"
      "a=fmtp:96 sprop-stereo=0;sprop-maxcapturerate=48000\r\n"
      "a=rtpmap:0 PCMU/8000\r\n"
      "a=rtpmap:8 PCMA/8000\r\n");
  g_free (text);
  g_ptr_array_unref (codecs);
  codecs =
      offer ("application/x-rtp, encoding-name=PCMA; "
             "application/x-rtp, encoding-name=OPUS, encoding-params=(string)1",
          NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs, "8 PCMA/8000\n96 opus/48000/2");
  g_ptr_array_unref (codecs);

  /* a repeated configuration is offered once */
  codecs = offer (
      VP8PAY_CAPS "; application/x-rtp, encoding-name=VP8", NULL, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "96 VP8/90000 fb=nack,nack pli,ccm fir\n"
      "97 rtx/90000 fmtp=apt=96");
  g_ptr_array_unref (codecs);

  /* the default caps offer everything, each payload type once */
  {
    GstCaps *defaults = sec_webrtc_codecs_default_caps ("video");

    codecs = sec_webrtc_codecs_offer (defaults, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (codecs->len, ==, 18);
    g_assert_cmpint (
        ((SecWebRTCCodec *)g_ptr_array_index (codecs, 17))->payload_type, ==,
        113);
    g_ptr_array_unref (codecs);
    gst_caps_unref (defaults);
    g_assert_null (sec_webrtc_codecs_default_caps ("application"));
  }
}

static void
test_caps_errors (void)
{
  static const struct
  {
    const gchar *caps;
    gint code;
    const gchar *message;
  } cases[] = {
    { "video/x-raw", SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure 0 is video/x-raw, not application/x-rtp" },
    { "application/x-rtp, media=video", SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure 0 has no encoding-name" },
    { "application/x-rtp, encoding-name=VP8; application/x-rtp, "
      "encoding-name=H265",
        SEC_WEBRTC_CODEC_ERROR_UNSUPPORTED,
        "caps structure 1: encoding-name 'H265' is not a codec the bin "
        "implements (VP8, VP9, H264, OPUS, PCMU, PCMA)" },
    { "application/x-rtp, encoding-name=RTX",
        SEC_WEBRTC_CODEC_ERROR_UNSUPPORTED,
        "caps structure 0: encoding-name 'RTX' is not a codec" },
    { "application/x-rtp, media=audio, encoding-name=VP8",
        SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure 0 (VP8): media must be \"video\"" },
    { "application/x-rtp, clock-rate=8000, encoding-name=VP8",
        SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure 0 (VP8): clock-rate must be 90000" },
    { "application/x-rtp, clock-rate=(string)90000, encoding-name=VP8",
        SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure 0 (VP8): clock-rate must be 90000" },
    { "application/x-rtp, encoding-name=PCMU, encoding-params=(string)2",
        SEC_WEBRTC_CODEC_ERROR_UNSUPPORTED,
        "caps structure 0 (PCMU): encoding-params must be a channel count up "
        "to 1" },
    { "application/x-rtp, encoding-name=OPUS, encoding-params=(string)6",
        SEC_WEBRTC_CODEC_ERROR_UNSUPPORTED,
        "caps structure 0 (opus): encoding-params must be a channel count up "
        "to 2" },
    { "application/x-rtp, encoding-name=VP8, payload=(int)200",
        SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure 0 (VP8): payload 200 is not one of 0..127" },
    { "application/x-rtp, encoding-name=H264, packetization-mode=(string)2",
        SEC_WEBRTC_CODEC_ERROR_UNSUPPORTED,
        "caps structure 0 (H264): packetization-mode 2 (interleaved) is not "
        "implemented" },
    { "application/x-rtp, encoding-name=H264, packetization-mode=(string)x",
        SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure 0 (H264): packetization-mode is not 0 or 1" },
    { "application/x-rtp, encoding-name=H264, profile-level-id=(string)6e001f",
        SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure 0 (H264): profile-level-id '6e001f' cannot be used: "
        "its profile_idc" },
    { "application/x-rtp, encoding-name=H264, "
      "level-asymmetry-allowed=(string)yes",
        SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure 0 (H264): level-asymmetry-allowed is not 0 or 1" },
    { "application/x-rtp, encoding-name=VP9, profile-id=(string)4",
        SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure 0 (VP9): profile-id is not one of 0..3" },
    { "application/x-rtp, encoding-name=OPUS, minptime=(string)\"1;x=2\"",
        SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure 0 (opus): field minptime must be a fixed integer, "
        "boolean or non-empty string of printable ASCII without ';'" },
    { "application/x-rtp, encoding-name=OPUS, minptime=(double)10.0",
        SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure 0 (opus): field minptime must be" },
    { "application/x-rtp, encoding-name=OPUS, minptime=(string)\"\"",
        SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure 0 (opus): field minptime must be" },
    { "application/x-rtp, encoding-name=OPUS; application/x-rtp, "
      "encoding-name=VP8",
        SEC_WEBRTC_CODEC_ERROR_INVALID,
        "caps structure 1: VP8 is video, but the caps before it are audio" },
    { "ANY", SEC_WEBRTC_CODEC_ERROR_INVALID, "the caps name no codec (ANY)" },
    { "EMPTY", SEC_WEBRTC_CODEC_ERROR_INVALID,
        "the caps name no codec (EMPTY)" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GError *error = NULL;
    GPtrArray *codecs = offer (cases[i].caps, NULL, &error);

    if (codecs)
      g_error ("%s: offered %s", cases[i].caps, summary (codecs));
    g_assert_error (error, SEC_WEBRTC_CODEC_ERROR, cases[i].code);
    if (!g_str_has_prefix (error->message, cases[i].message))
      g_error ("%s: '%s' does not start with '%s'", cases[i].caps,
          error->message, cases[i].message);
    g_error_free (error);
  }

  /* ranges and lists that hold our value are fine (caps of a template) */
  {
    GError *error = NULL;
    GPtrArray *codecs =
        offer ("application/x-rtp, media={audio,video}, "
               "clock-rate=[1,2147483647], encoding-name=VP8, payload=[96,127]",
            NULL, &error);

    g_assert_no_error (error);
    assert_summary (codecs,
        "96 VP8/90000 fb=nack,nack pli,ccm fir\n"
        "97 rtx/90000 fmtp=apt=96");
    g_ptr_array_unref (codecs);
  }
}

static void
test_payload_types_bundle (void)
{
  SecWebRTCPayloadSpace *space = sec_webrtc_payload_space_new ();
  GError *error = NULL;
  GPtrArray *codecs;

  /* three m-lines on one transport: VP8 (caps 96), H264 (caps 96 too:
   * taken, so another), VP8 again (same configuration: shares 96 and its
   * rtx), opus (caps 96: taken) and PCMU (0) */
  codecs = offer (VP8PAY_CAPS, space, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "96 VP8/90000 fb=nack,nack pli,ccm fir\n"
      "97 rtx/90000 fmtp=apt=96");
  g_ptr_array_unref (codecs);
  codecs = offer (H264PAY_CAPS, space, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "98 H264/90000 fmtp=packetization-mode=1;"
      "sprop-parameter-sets=Z0LADYyNQKD5APCIRqA=,aM48gA== "
      "fb=nack,nack pli,ccm fir\n"
      "99 rtx/90000 fmtp=apt=98");
  g_ptr_array_unref (codecs);
  codecs = offer (VP8PAY_CAPS, space, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "96 VP8/90000 fb=nack,nack pli,ccm fir\n"
      "97 rtx/90000 fmtp=apt=96");
  g_ptr_array_unref (codecs);
  codecs = offer (OPUSPAY_CAPS ";" PCMUPAY_CAPS, space, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "100 opus/48000/2 fmtp=sprop-stereo=0;"
      "sprop-maxcapturerate=48000\n0 PCMU/8000");
  g_ptr_array_unref (codecs);

  /* H264 with another profile is another configuration; the same
   * profile at another level is not */
  codecs =
      offer ("application/x-rtp, encoding-name=H264, "
             "packetization-mode=(string)1, profile-level-id=(string)42e034, "
             "payload=(int)98",
          space, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "98 H264/90000 fmtp=packetization-mode=1;"
      "profile-level-id=42e034 fb=nack,nack pli,ccm fir\n"
      "99 rtx/90000 fmtp=apt=98");
  g_ptr_array_unref (codecs);
  codecs =
      offer ("application/x-rtp, encoding-name=H264, "
             "packetization-mode=(string)1, profile-level-id=(string)640c1f, "
             "payload=(int)98",
          space, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "101 H264/90000 fmtp=packetization-mode=1;"
      "profile-level-id=640c1f fb=nack,nack pli,ccm fir\n"
      "102 rtx/90000 fmtp=apt=101");
  g_ptr_array_unref (codecs);

  /* payload types a codec cannot have: 64..95 (RTCP under rtcp-mux),
   * another codec's static one */
  codecs = offer ("application/x-rtp, encoding-name=VP9, payload=(int)72; "
                  "application/x-rtp, encoding-name=VP9, profile-id=(string)2, "
                  "payload=(int)8",
      space, &error);
  g_assert_no_error (error);
  assert_summary (codecs,
      "103 VP9/90000 fb=nack,nack pli,ccm fir\n"
      "105 rtx/90000 fmtp=apt=103\n"
      "104 VP9/90000 fmtp=profile-id=2 fb=nack,nack pli,ccm fir\n"
      "106 rtx/90000 fmtp=apt=104");
  g_ptr_array_unref (codecs);

  /* answering a second bundled m-line whose offer reuses 96 for H264
   * (RFC 8843 §7.5): that codec is left out, VP8 96 is fine */
  codecs = answer ("m=video 9 UDP/TLS/RTP/SAVPF 96 120\n"
                   "a=rtpmap:96 H264/90000\n"
                   "a=fmtp:96 packetization-mode=1;profile-level-id=42e01f\n"
                   "a=rtpmap:120 VP8/90000",
      NULL, space, &error);
  g_assert_no_error (error);
  assert_summary (codecs, "120 VP8/90000");
  g_ptr_array_unref (codecs);
  codecs = answer ("m=video 9 UDP/TLS/RTP/SAVPF 96\n"
                   "a=rtpmap:96 H264/90000\n"
                   "a=fmtp:96 packetization-mode=1;profile-level-id=42e01f",
      NULL, space, &error);
  g_assert_null (codecs);
  g_assert_error (
      error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_NO_COMMON);
  g_clear_error (&error);
  codecs = answer ("m=video 9 UDP/TLS/RTP/SAVPF 96 97\n"
                   "a=rtpmap:96 VP8/90000\n"
                   "a=rtpmap:97 rtx/90000\n"
                   "a=fmtp:97 apt=96",
      NULL, space, &error);
  g_assert_no_error (error);
  assert_summary (codecs, "96 VP8/90000\n97 rtx/90000 fmtp=apt=96");
  g_ptr_array_unref (codecs);

  sec_webrtc_payload_space_free (space);
}

static void
test_payload_types_reserve_and_exhaust (void)
{
  SecWebRTCPayloadSpace *space = sec_webrtc_payload_space_new ();
  GPtrArray *formats = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *rtpmaps = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *codecs, *vp8;
  GError *error = NULL;
  guint i;

  /* the first reservation of 96 wins; the same configuration again is
   * fine, another one is refused naming both */
  vp8 = parse_mline ("m=video 9 UDP/TLS/RTP/SAVPF 96 97\n"
                     "a=rtpmap:96 VP8/90000\na=rtpmap:97 VP9/90000\n"
                     "a=fmtp:97 profile-id=0");
  g_assert_true (sec_webrtc_payload_space_reserve (
      space, g_ptr_array_index (vp8, 0), &error));
  g_assert_true (sec_webrtc_payload_space_reserve (
      space, g_ptr_array_index (vp8, 0), &error));
  g_assert_no_error (error);
  ((SecWebRTCCodec *)g_ptr_array_index (vp8, 1))->payload_type = 96;
  g_assert_false (sec_webrtc_payload_space_reserve (
      space, g_ptr_array_index (vp8, 1), &error));
  g_assert_error (
      error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_PAYLOAD_TYPE);
  g_assert_cmpstr (error->message, ==,
      "payload type 96 already means "
      "VP8/90000 on this transport, so it cannot mean VP9/90000 "
      "('profile-id=0') too (RFC 8843 §7.5)");
  g_clear_error (&error);
  g_ptr_array_unref (vp8);

  /* every other dynamic payload type taken by unknown codecs */
  for (i = 35; i < 128; i++) {
    if (i == 96 || (i > 63 && i < 96))
      continue;
    g_ptr_array_add (formats, g_strdup_printf ("%u", i));
    g_ptr_array_add (rtpmaps, g_strdup_printf ("%u X%u/90000", i, i));
  }
  g_ptr_array_add (formats, NULL);
  g_ptr_array_add (rtpmaps, NULL);
  codecs =
      sec_webrtc_codecs_parse ("video", (const gchar *const *)formats->pdata,
          (const gchar *const *)rtpmaps->pdata, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codecs->len, ==, 60);
  for (i = 0; i < codecs->len; i++)
    g_assert_true (sec_webrtc_payload_space_reserve (
        space, g_ptr_array_index (codecs, i), NULL));
  g_ptr_array_unref (codecs);

  /* VP8 still has 96; its rtx finds nothing */
  g_assert_null (offer ("application/x-rtp, encoding-name=VP8", space, &error));
  g_assert_error (
      error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_PAYLOAD_TYPE);
  g_assert_cmpstr (error->message, ==,
      "no payload type is free on this "
      "transport for rtx/90000 ('apt=96'): 96..127 and 35..63 are all in "
      "use");
  g_clear_error (&error);
  /* PCMU gets its static one, which is free */
  codecs = offer (PCMUPAY_CAPS, space, &error);
  g_assert_no_error (error);
  assert_summary (codecs, "0 PCMU/8000");
  g_ptr_array_unref (codecs);

  g_ptr_array_unref (formats);
  g_ptr_array_unref (rtpmaps);
  sec_webrtc_payload_space_free (space);
}

/* ------------------------------------------------------------------ */
/* Negotiated results */

static void
test_negotiate_as_offerer (void)
{
  GError *error = NULL;
  GPtrArray *ours, *theirs, *negotiated;
  const SecWebRTCCodec *codec;
  GstCaps *sink;

  ours = offer (VP8PAY_CAPS
      "; application/x-rtp, encoding-name=H264, "
      "packetization-mode=(string)1, profile-level-id=(string)42e01f, "
      "level-asymmetry-allowed=(string)1",
      NULL, &error);
  g_assert_no_error (error);
  assert_summary (ours,
      "96 VP8/90000 fb=nack,nack pli,ccm fir\n"
      "97 rtx/90000 fmtp=apt=96\n"
      "98 H264/90000 fmtp=packetization-mode=1;profile-level-id=42e01f;"
      "level-asymmetry-allowed=1 fb=nack,nack pli,ccm fir\n"
      "99 rtx/90000 fmtp=apt=98");

  /* Chromium's answer: its order, its level, its feedback (goog-remb is
   * dropped: we did not offer it) */
  theirs =
      parse_mline ("m=video 9 UDP/TLS/RTP/SAVPF 98 99 96 97\n"
                   "a=rtpmap:98 H264/90000\n"
                   "a=rtcp-fb:98 goog-remb\n"
                   "a=rtcp-fb:98 nack\n"
                   "a=fmtp:98 level-asymmetry-allowed=1;packetization-mode=1;"
                   "profile-level-id=42e028\n"
                   "a=rtpmap:99 rtx/90000\n"
                   "a=fmtp:99 apt=98\n"
                   "a=rtpmap:96 VP8/90000\n"
                   "a=rtcp-fb:96 ccm fir\n"
                   "a=rtcp-fb:96 nack\n"
                   "a=rtcp-fb:96 nack pli\n"
                   "a=rtpmap:97 rtx/90000\n"
                   "a=fmtp:97 apt=96");
  negotiated = sec_webrtc_codecs_negotiate (ours, theirs, &error);
  g_assert_no_error (error);
  assert_summary (negotiated,
      "98 H264/90000 fmtp=level-asymmetry-allowed=1;packetization-mode=1;"
      "profile-level-id=42e028 fb=nack\n"
      "99 rtx/90000 fmtp=apt=98\n"
      "96 VP8/90000 fb=ccm fir,nack,nack pli\n"
      "97 rtx/90000 fmtp=apt=96");

  /* what each sink pad sends with, and the rtx of each */
  sink = caps (H264PAY_CAPS);
  codec = sec_webrtc_codecs_find_for_caps (negotiated, sink);
  g_assert_nonnull (codec);
  g_assert_cmpint (codec->payload_type, ==, 98);
  g_assert_cmpint (
      sec_webrtc_codecs_find_rtx (negotiated, 98)->payload_type, ==, 99);
  gst_caps_unref (sink);
  sink = caps (VP8PAY_CAPS);
  g_assert_cmpint (
      sec_webrtc_codecs_find_for_caps (negotiated, sink)->payload_type, ==, 96);
  g_assert_cmpint (
      sec_webrtc_codecs_find_rtx (negotiated, 96)->payload_type, ==, 97);
  g_assert_null (sec_webrtc_codecs_find_rtx (negotiated, 97));
  gst_caps_unref (sink);
  sink = caps (VP9PAY_CAPS);
  g_assert_null (sec_webrtc_codecs_find_for_caps (negotiated, sink));
  gst_caps_unref (sink);
  sink = caps ("application/x-rtp, encoding-name=H264, "
               "packetization-mode=(string)0");
  g_assert_null (sec_webrtc_codecs_find_for_caps (negotiated, sink));
  gst_caps_unref (sink);
  sink = caps ("video/x-raw");
  g_assert_null (sec_webrtc_codecs_find_for_caps (negotiated, sink));
  gst_caps_unref (sink);
  g_ptr_array_unref (negotiated);
  g_ptr_array_unref (theirs);

  /* an answer that uses our payload types for something else, another
   * H264 profile, an rtx of a codec it does not keep: nothing is left */
  theirs =
      parse_mline ("m=video 9 UDP/TLS/RTP/SAVPF 96 98 97 99\n"
                   "a=rtpmap:96 VP9/90000\n"
                   "a=rtpmap:98 H264/90000\n"
                   "a=fmtp:98 packetization-mode=1;profile-level-id=640c1f\n"
                   "a=rtpmap:97 rtx/90000\n"
                   "a=fmtp:97 apt=96\n"
                   "a=rtpmap:99 rtx/90000\n"
                   "a=fmtp:99 apt=98");
  g_assert_null (sec_webrtc_codecs_negotiate (ours, theirs, &error));
  g_assert_error (
      error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_NO_COMMON);
  g_assert_true (g_str_has_prefix (error->message,
      "the remote description "
      "has no codec of ours with the same payload type (theirs: 96 "
      "VP9/90000, 98 H264/90000, 97 rtx/90000, 99 rtx/90000; ours: 96 "
      "VP8/90000, 97 rtx/90000, 98 H264/90000, 99 rtx/90000)"));
  g_clear_error (&error);
  g_ptr_array_unref (theirs);

  /* an answer with only an rtx keeps nothing */
  theirs = parse_mline ("m=video 9 UDP/TLS/RTP/SAVPF 97\n"
                        "a=rtpmap:97 rtx/90000\na=fmtp:97 apt=96");
  g_assert_null (sec_webrtc_codecs_negotiate (ours, theirs, &error));
  g_assert_error (
      error, SEC_WEBRTC_CODEC_ERROR, SEC_WEBRTC_CODEC_ERROR_NO_COMMON);
  g_clear_error (&error);
  g_ptr_array_unref (theirs);
  g_ptr_array_unref (ours);
}

static void
test_negotiate_as_answerer (void)
{
  GError *error = NULL;
  GPtrArray *offered, *ours, *negotiated;
  GstCaps *local, *received, *expected;

  /* webrtcbin offers H264 with its sprop-parameter-sets; we answer, and
   * the stream we receive has the sender's fmtp and the agreed feedback */
  offered = parse_mline (webrtcbin_h264);
  local = caps (H264PAY_CAPS);
  ours = sec_webrtc_codecs_answer (offered, local, NULL, &error);
  g_assert_no_error (error);
  negotiated = sec_webrtc_codecs_negotiate (ours, offered, &error);
  g_assert_no_error (error);
  assert_summary (negotiated,
      "96 H264/90000 fmtp=packetization-mode=1;"
      "profile-level-id=42c01f;sprop-parameter-sets="
      "Z0LAH9kAUAW7ARAAAAMAEAAAAwPA8UKZIA==,aMuMsg== fb=nack pli");
  received = sec_webrtc_codec_to_caps (g_ptr_array_index (negotiated, 0));
  expected =
      caps ("application/x-rtp, media=(string)video, payload=(int)96, "
            "clock-rate=(int)90000, encoding-name=(string)H264, "
            "packetization-mode=(string)1, profile-level-id=(string)42c01f, "
            "sprop-parameter-sets=(string)"
            "\"Z0LAH9kAUAW7ARAAAAMAEAAAAwPA8UKZIA\\=\\=\\,aMuMsg\\=\\=\", "
            "rtcp-fb-nack-pli=(boolean)true");
  assert_caps_equal (received, expected, "received caps");
  gst_caps_unref (received);
  gst_caps_unref (expected);
  g_assert_cmpint (
      sec_webrtc_codecs_find_for_caps (negotiated, local)->payload_type, ==,
      96);
  g_ptr_array_unref (negotiated);
  g_ptr_array_unref (ours);
  g_ptr_array_unref (offered);
  gst_caps_unref (local);

  /* Chromium's whole video offer, answered with everything we have */
  offered = parse_mline (chromium_video);
  ours = sec_webrtc_codecs_answer (offered, NULL, NULL, &error);
  g_assert_no_error (error);
  negotiated = sec_webrtc_codecs_negotiate (ours, offered, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (negotiated->len, ==, ours->len);
  {
    gchar *ours_text = summary (ours), *negotiated_text = summary (negotiated);

    /* here ours and the offer agree on every field */
    g_assert_cmpstr (negotiated_text, ==, ours_text);
    g_free (ours_text);
    g_free (negotiated_text);
  }
  g_ptr_array_unref (negotiated);
  g_ptr_array_unref (ours);
  g_ptr_array_unref (offered);
}

/* ------------------------------------------------------------------ */
/* Caps of received streams */

typedef struct
{
  const gchar *mline;
  gint pt;
  const gchar *depayloader; /* NULL: none (rtx) */
} ReceivedStream;

/* gstreamer-sdp's caps for @pt of @media, named as a stream's */
static GstCaps *
gstreamer_sdp_caps (const GstSDPMedia * media, gint pt)
{
  GstCaps *result = gst_sdp_media_get_caps_from_media (media, pt);

  g_assert_nonnull (result);
  result = gst_caps_make_writable (result);
  gst_structure_set_name (
      gst_caps_get_structure (result, 0), "application/x-rtp");
  return result;
}

static GstCaps *
depayloader_sink_caps (const gchar * name)
{
  GstElementFactory *factory = gst_element_factory_find (name);
  const GList *templates;
  GstCaps *result = NULL;

  if (factory == NULL)
    g_error ("%s (gst-plugins-good) is not installed", name);
  for (templates = gst_element_factory_get_static_pad_templates (factory);
       templates; templates = templates->next) {
    GstStaticPadTemplate *template = templates->data;

    if (template->direction == GST_PAD_SINK)
      result = gst_static_pad_template_get_caps (template);
  }
  gst_object_unref (factory);
  g_assert_nonnull (result);
  return result;
}

static void
test_received_caps (void)
{
  static const ReceivedStream streams[] = {
    { chromium_video, 96, "rtpvp8depay" },
    { chromium_video, 98, "rtpvp9depay" },
    { chromium_video, 100, "rtpvp9depay" },
    { chromium_video, 106, "rtph264depay" },
    { chromium_video, 108, "rtph264depay" },
    { chromium_video, 112, "rtph264depay" },
    { chromium_video, 97, NULL },
    { chromium_audio, 111, "rtpopusdepay" },
    { chromium_audio, 0, "rtppcmudepay" },
    { chromium_audio, 8, "rtppcmadepay" },
    { firefox_video, 120, "rtpvp8depay" },
    { firefox_video, 121, "rtpvp9depay" },
    { firefox_video, 126, "rtph264depay" },
    { firefox_video, 97, "rtph264depay" },
    { firefox_audio, 109, "rtpopusdepay" },
    { firefox_audio, 0, "rtppcmudepay" },
    { webrtcbin_video, 96, "rtpvp8depay" },
    { webrtcbin_audio, 97, "rtpopusdepay" },
    { webrtcbin_h264, 96, "rtph264depay" },
  };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (streams); i++) {
    GstSDPMessage *sdp = sdp_from_mlines (streams[i].mline);
    const GstSDPMedia *media = gst_sdp_message_get_media (sdp, 0);
    GPtrArray *codecs = parse_mline (streams[i].mline);
    const SecWebRTCCodec *codec = NULL;
    GstCaps *ours, *theirs;
    GstStructure *s;
    gchar *what;

    for (j = 0; j < codecs->len; j++) {
      if (((SecWebRTCCodec *)g_ptr_array_index (codecs, j))->payload_type
          == streams[i].pt)
        codec = g_ptr_array_index (codecs, j);
    }
    g_assert_nonnull (codec);
    ours = sec_webrtc_codec_to_caps (codec);
    s = gst_caps_get_structure (ours, 0);
    g_assert_true (gst_structure_has_name (s, "application/x-rtp"));
    g_assert_cmpstr (gst_structure_get_string (s, "media"), ==, codec->media);
    g_assert_true (gst_structure_has_field_typed (s, "payload", G_TYPE_INT));
    g_assert_true (gst_structure_has_field_typed (s, "clock-rate", G_TYPE_INT));
    g_assert_true (
        g_ascii_isupper (gst_structure_get_string (s, "encoding-name")[0]));

    /* as gstreamer-sdp makes them, but for H264 with
     * level-asymmetry-allowed=1, which it turns into a "profile" field
     * (the level is lost); we keep the fmtp as it is */
    theirs = gstreamer_sdp_caps (media, streams[i].pt);
    what = g_strdup_printf (
        "payload type %d: ours (H264 with "
        "level-asymmetry-allowed as gstreamer-sdp changes it), "
        "gstreamer-sdp's",
        streams[i].pt);
    if (g_strcmp0 (
            sec_webrtc_codec_get_param (codec, "level-asymmetry-allowed"), "1")
        == 0) {
      SecWebRTCH264ProfileLevelId plid;
      GstCaps *adjusted = gst_caps_copy (ours);
      GstStructure *a = gst_caps_get_structure (adjusted, 0);

      g_assert_true (sec_webrtc_h264_profile_level_id_parse (
          sec_webrtc_codec_get_param (codec, "profile-level-id"), &plid, NULL));
      gst_structure_remove_fields (
          a, "level-asymmetry-allowed", "profile-level-id", NULL);
      gst_structure_set (a, "profile", G_TYPE_STRING,
          sec_webrtc_h264_profile_name (plid.profile), NULL);
      assert_caps_equal (adjusted, theirs, what);
      gst_caps_unref (adjusted);
    } else {
      assert_caps_equal (ours, theirs, what);
    }
    gst_caps_unref (theirs);
    g_free (what);

    /* the depayloader takes them */
    if (streams[i].depayloader) {
      GstCaps *template = depayloader_sink_caps (streams[i].depayloader);

      if (!gst_caps_can_intersect (ours, template))
        g_error ("%s does not take %s", streams[i].depayloader,
            gst_caps_to_string (ours));
      gst_caps_unref (template);
    }
    gst_caps_unref (ours);
    g_ptr_array_unref (codecs);
    gst_sdp_message_free (sdp);
  }

  /* the check can fail: a VP8 stream is no H264 */
  {
    GPtrArray *codecs = parse_mline (chromium_video);
    GstCaps *vp8 = sec_webrtc_codec_to_caps (g_ptr_array_index (codecs, 0));
    GstCaps *template = depayloader_sink_caps ("rtph264depay");

    g_assert_false (gst_caps_can_intersect (vp8, template));
    gst_caps_unref (template);
    gst_caps_unref (vp8);
    g_ptr_array_unref (codecs);
  }
}

static void
test_received_caps_fields (void)
{
  GPtrArray *codecs;
  GstCaps *received, *expected;

  /* every field of an opus stream and an rtx one: fmtp names in lower
   * case, bare tokens as "1"; names no payload format defines (also the
   * rtpmap's own field names) are left out */
  codecs =
      parse_mline ("m=audio 9 UDP/TLS/RTP/SAVPF 111 97\n"
                   "a=rtpmap:111 opus/48000/2\n"
                   "a=fmtp:111 minptime=10;useinbandfec=1;STEREO=1;usedtx;flag;"
                   "clock-rate=1;2x=1;a b=1\n"
                   "a=rtcp-fb:111 transport-cc\n"
                   "a=rtcp-fb:* nack\n"
                   "a=rtpmap:97 rtx/48000\n"
                   "a=fmtp:97 apt=111");
  received = sec_webrtc_codec_to_caps (g_ptr_array_index (codecs, 0));
  expected = caps (
      "application/x-rtp, media=(string)audio, "
      "payload=(int)111, clock-rate=(int)48000, encoding-name=(string)OPUS, "
      "encoding-params=(string)2, minptime=(string)10, "
      "useinbandfec=(string)1, stereo=(string)1, usedtx=(string)1, "
      "rtcp-fb-transport-cc=(boolean)true, rtcp-fb-nack=(boolean)true");
  assert_caps_equal (received, expected, "received caps");
  gst_caps_unref (received);
  gst_caps_unref (expected);
  received = sec_webrtc_codec_to_caps (g_ptr_array_index (codecs, 1));
  expected = caps (
      "application/x-rtp, media=(string)audio, "
      "payload=(int)97, clock-rate=(int)48000, encoding-name=(string)RTX, "
      "apt=(string)111, rtcp-fb-nack=(boolean)true");
  assert_caps_equal (received, expected, "received caps");
  gst_caps_unref (received);
  gst_caps_unref (expected);
  g_ptr_array_unref (codecs);

  /* no payload type yet: no caps */
  {
    GstCaps *local = caps ("application/x-rtp, encoding-name=VP8");
    GPtrArray *ours = sec_webrtc_codecs_from_caps (local, NULL);

    g_assert_cmpint (
        ((SecWebRTCCodec *)g_ptr_array_index (ours, 0))->payload_type, ==, -1);
    g_assert_null (sec_webrtc_codec_to_caps (g_ptr_array_index (ours, 0)));
    g_ptr_array_unref (ours);
    gst_caps_unref (local);
  }
}

/* Field names of caps are GQuarks, which live as long as the process:
 * names a peer makes up must not become field names, or each
 * renegotiation could grow the process for good. */
static void
test_received_caps_made_up_names (void)
{
  GPtrArray *codecs;
  GstCaps *received;
  GstStructure *s;

  codecs = parse_mline ("m=video 9 UDP/TLS/RTP/SAVPF 96\n"
                        "a=rtpmap:96 VP8/90000\n"
                        "a=fmtp:96 x-made-up-parameter-5d0c=1;max-fr=30\n"
                        "a=rtcp-fb:96 x-made-up-feedback-5d0c\n"
                        "a=rtcp-fb:96 nack pli\n"
                        "a=rtcp-fb:96 trr-int 5d0c");
  received = sec_webrtc_codec_to_caps (g_ptr_array_index (codecs, 0));
  s = gst_caps_get_structure (received, 0);
  g_assert_cmpstr (gst_structure_get_string (s, "max-fr"), ==, "30");
  g_assert_true (gst_structure_has_field (s, "rtcp-fb-nack-pli"));
  g_assert_cmpint (gst_structure_n_fields (s), ==, 6);
  g_assert_cmpuint (g_quark_try_string ("x-made-up-parameter-5d0c"), ==, 0);
  g_assert_cmpuint (
      g_quark_try_string ("rtcp-fb-x-made-up-feedback-5d0c"), ==, 0);
  g_assert_cmpuint (g_quark_try_string ("rtcp-fb-trr-int-5d0c"), ==, 0);
  gst_caps_unref (received);
  g_ptr_array_unref (codecs);
}

static void
test_copy (void)
{
  GPtrArray *codecs = parse_mline (firefox_video);
  guint i;

  for (i = 0; i < codecs->len; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (codecs, i);
    SecWebRTCCodec *copy = sec_webrtc_codec_copy (codec);
    GPtrArray *one = g_ptr_array_new (), *other = g_ptr_array_new ();
    gchar *a, *b;

    g_ptr_array_add (one, (gpointer)codec);
    g_ptr_array_add (other, copy);
    a = summary (one);
    b = summary (other);
    g_assert_cmpstr (a, ==, b);
    g_assert_cmpint (copy->kind, ==, codec->kind);
    g_assert_cmpint (copy->apt, ==, codec->apt);
    g_assert_cmpstr (copy->media, ==, codec->media);
    g_assert_true (copy->params != codec->params);
    g_free (a);
    g_free (b);
    g_ptr_array_unref (one);
    g_ptr_array_unref (other);
    sec_webrtc_codec_free (copy);
  }
  sec_webrtc_codec_free (NULL);
  g_ptr_array_unref (codecs);
}

/* ------------------------------------------------------------------ */
/* Captured descriptions (tests/unit/sdp, see its README) */

static GstSDPMessage *
captured (const gchar * name)
{
  gchar *path = g_build_filename (SEC_TEST_SDP_DIR, name, NULL);
  GstSDPMessage *sdp;
  gchar *text;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("cannot read %s", path);
  g_assert_cmpint (gst_sdp_message_new_from_text (text, &sdp), ==, GST_SDP_OK);
  g_free (text);
  g_free (path);
  return sdp;
}

static gboolean
is_rtp_media (const GstSDPMedia * media)
{
  return strstr (gst_sdp_media_get_proto (media), "RTP") != NULL;
}

static const gchar *
depayloader_for (SecWebRTCCodecKind kind)
{
  switch (kind) {
    case SEC_WEBRTC_CODEC_VP8:
      return "rtpvp8depay";
    case SEC_WEBRTC_CODEC_VP9:
      return "rtpvp9depay";
    case SEC_WEBRTC_CODEC_H264:
      return "rtph264depay";
    case SEC_WEBRTC_CODEC_OPUS:
      return "rtpopusdepay";
    case SEC_WEBRTC_CODEC_PCMU:
      return "rtppcmudepay";
    case SEC_WEBRTC_CODEC_PCMA:
      return "rtppcmadepay";
    default:
      return NULL;
  }
}

/* Every RTP m-line of every captured description reads; our answer to
 * each offer (every codec we implement) negotiates to itself, and each
 * stream it receives is one its depayloader takes; each real answer
 * negotiates with its real offer. */
static void
test_captured (void)
{
  static const gchar *const offers[] = { "chromium-offer.sdp",
    "chromium-offer-vp8-only.sdp", "chromium-offer-h264-only.sdp",
    "chromium-datachannel-offer.sdp", "webrtcbin-offer.sdp",
    "webrtcbin-offer-h264-recvonly.sdp", "firefox-offer.sdp" };
  static const struct
  {
    const gchar *offer, *answer;
  } pairs[] = {
    { "chromium-offer.sdp", "chromium-answer.sdp" },
    { "chromium-offer.sdp", "webrtcbin-answer.sdp" },
    { "chromium-datachannel-offer.sdp", "chromium-datachannel-answer.sdp" },
    { "webrtcbin-offer.sdp", "chromium-answer-to-webrtcbin.sdp" },
    { "webrtcbin-offer-h264-recvonly.sdp",
        "chromium-answer-h264-to-webrtcbin.sdp" },
  };
  guint i, m, j, n_checked = 0;

  for (i = 0; i < G_N_ELEMENTS (offers); i++) {
    GstSDPMessage *sdp = captured (offers[i]);

    for (m = 0; m < gst_sdp_message_medias_len (sdp); m++) {
      const GstSDPMedia *media = gst_sdp_message_get_media (sdp, m);
      GPtrArray *offered, *ours, *negotiated;
      GError *error = NULL;

      if (!is_rtp_media (media))
        continue;
      offered = sec_webrtc_codecs_from_sdp_media (media, &error);
      g_assert_no_error (error);
      ours = sec_webrtc_codecs_answer (offered, NULL, NULL, &error);
      if (ours == NULL)
        g_error ("%s m-line %u: %s", offers[i], m, error->message);
      negotiated = sec_webrtc_codecs_negotiate (ours, offered, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (negotiated->len, ==, ours->len);
      for (j = 0; j < negotiated->len; j++) {
        const SecWebRTCCodec *codec = g_ptr_array_index (negotiated, j);
        const gchar *depayloader = depayloader_for (codec->kind);
        GstCaps *received = sec_webrtc_codec_to_caps (codec);

        if (depayloader) {
          GstCaps *template = depayloader_sink_caps (depayloader);

          if (!gst_caps_can_intersect (received, template))
            g_error ("%s m-line %u: %s does not take %s", offers[i], m,
                depayloader, gst_caps_to_string (received));
          gst_caps_unref (template);
          n_checked++;
        }
        gst_caps_unref (received);
      }
      g_ptr_array_unref (negotiated);
      g_ptr_array_unref (ours);
      g_ptr_array_unref (offered);
    }
    gst_sdp_message_free (sdp);
  }
  g_assert_cmpuint (n_checked, >, 20);

  for (i = 0; i < G_N_ELEMENTS (pairs); i++) {
    GstSDPMessage *offer = captured (pairs[i].offer);
    GstSDPMessage *answer = captured (pairs[i].answer);

    g_assert_cmpuint (gst_sdp_message_medias_len (offer), ==,
        gst_sdp_message_medias_len (answer));
    for (m = 0; m < gst_sdp_message_medias_len (answer); m++) {
      const GstSDPMedia *answered = gst_sdp_message_get_media (answer, m);
      GPtrArray *theirs, *offered, *negotiated;
      GError *error = NULL;

      if (!is_rtp_media (answered) || gst_sdp_media_get_port (answered) == 0)
        continue;
      offered = sec_webrtc_codecs_from_sdp_media (
          gst_sdp_message_get_media (offer, m), &error);
      g_assert_no_error (error);
      theirs = sec_webrtc_codecs_from_sdp_media (answered, &error);
      g_assert_no_error (error);
      /* the offerer's view: what the real answerer accepted */
      negotiated = sec_webrtc_codecs_negotiate (offered, theirs, &error);
      if (negotiated == NULL)
        g_error ("%s to %s m-line %u: %s", pairs[i].answer, pairs[i].offer, m,
            error->message);
      g_assert_cmpuint (negotiated->len, >, 0);
      g_assert_cmpint (
          ((SecWebRTCCodec *)g_ptr_array_index (negotiated, 0))->kind, !=,
          SEC_WEBRTC_CODEC_RTX);
      g_ptr_array_unref (negotiated);
      g_ptr_array_unref (theirs);
      g_ptr_array_unref (offered);
    }
    gst_sdp_message_free (offer);
    gst_sdp_message_free (answer);
  }
}

int
main (int argc, char ** argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/webrtc/codecs/rtpmap", test_rtpmap_parse);
  g_test_add_func ("/webrtc/codecs/fmtp", test_fmtp_parse);
  g_test_add_func ("/webrtc/codecs/rtcp-fb", test_rtcp_fb_parse);
  g_test_add_func ("/webrtc/codecs/every-prefix", test_every_prefix);
  g_test_add_func ("/webrtc/codecs/parse/chromium", test_parse_chromium);
  g_test_add_func ("/webrtc/codecs/parse/rules", test_parse_rules);
  g_test_add_func ("/webrtc/codecs/parse/errors", test_parse_errors);
  g_test_add_func ("/webrtc/codecs/parse/payload", test_parse_payload);
  g_test_add_func (
      "/webrtc/codecs/answer/chromium-vp8", test_answer_chromium_vp8);
  g_test_add_func (
      "/webrtc/codecs/answer/chromium-all", test_answer_chromium_all);
  g_test_add_func (
      "/webrtc/codecs/answer/payloader-caps", test_answer_payloader_caps);
  g_test_add_func ("/webrtc/codecs/answer/webrtcbin", test_answer_webrtcbin);
  g_test_add_func ("/webrtc/codecs/answer/rules", test_answer_rules);
  g_test_add_func (
      "/webrtc/codecs/h264/profile-level-id", test_h264_profile_level_id);
  g_test_add_func ("/webrtc/codecs/h264/matching", test_h264_matching);
  g_test_add_func ("/webrtc/codecs/offer", test_offer);
  g_test_add_func ("/webrtc/codecs/caps-errors", test_caps_errors);
  g_test_add_func (
      "/webrtc/codecs/payload-types/bundle", test_payload_types_bundle);
  g_test_add_func ("/webrtc/codecs/payload-types/reserve-and-exhaust",
      test_payload_types_reserve_and_exhaust);
  g_test_add_func (
      "/webrtc/codecs/negotiate/offerer", test_negotiate_as_offerer);
  g_test_add_func (
      "/webrtc/codecs/negotiate/answerer", test_negotiate_as_answerer);
  g_test_add_func ("/webrtc/codecs/received-caps", test_received_caps);
  g_test_add_func (
      "/webrtc/codecs/received-caps/fields", test_received_caps_fields);
  g_test_add_func ("/webrtc/codecs/received-caps/made-up-names",
      test_received_caps_made_up_names);
  g_test_add_func ("/webrtc/codecs/copy", test_copy);
  g_test_add_func ("/webrtc/codecs/captured", test_captured);

  return g_test_run ();
}
