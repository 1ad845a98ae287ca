/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz target: arbitrary bytes as a remote description, the way the bin
 * gets one. The bytes go
 *   - through sec_sdp_check (our line scan, then GstSDPMessage), as an
 *     offer and as an answer;
 *   - straight into gst_sdp_message_parse_buffer, then
 *     sec_sdp_check_message, as an offer and as an answer (what the check
 *     sees when a caller parsed the text itself);
 * and every description that passes is compared with itself and with a
 * fixed real one (sec_sdp_check_renegotiation). A refusal must be a
 * SEC_SDP_ERROR with a UTF-8 message; a description that passes must keep
 * every rule of sdpcheck.h. Built as a libFuzzer target with clang and,
 * with any compiler, linked to replay-main.c, which runs the corpus as a
 * regression test.
 */
#include "sdpcheck.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* a small real offer (webrtcbin's form) to renegotiate against */
static const gchar base_offer[] =
    "v=0\r\n"
    "o=- 4203161320828925082 0 IN IP4 0.0.0.0\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=ice-options:trickle\r\n"
    "a=group:BUNDLE audio0 video1\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=setup:actpass\r\n"
    "a=ice-ufrag:w1MdRWoWVlv0xBm/08v+ZUfmVbhdgC3f\r\n"
    "a=ice-pwd:Arcqh5HEwpk0FGZVK1yRObrHpeNRkSwR\r\n"
    "a=rtcp-mux\r\n"
    "a=sendrecv\r\n"
    "a=rtpmap:111 OPUS/48000/2\r\n"
    "a=mid:audio0\r\n"
    "a=fingerprint:sha-256 4B:67:87:95:6C:66:40:33:25:29:A7:E7:6D:BA:27:E8:"
    "DE:54:B1:3C:20:B7:00:F8:09:A0:C5:15:32:CF:4A:EB\r\n"
    "m=video 0 UDP/TLS/RTP/SAVPF 96\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=bundle-only\r\n"
    "a=rtcp-mux\r\n"
    "a=rtpmap:96 VP8/90000\r\n"
    "a=mid:video1\r\n";

static SecSdpDescription *base;

static void
check_error (GError * error)
{
  if (error == NULL || error->domain != SEC_SDP_ERROR || error->message == NULL
      || error->message[0] == '\0'
      || !g_utf8_validate (error->message, -1, NULL))
    abort ();
  g_error_free (error);
}

/* what a description that passed must hold */
static void
check_description (const SecSdpDescription * description, SecSdpType type)
{
  GArray *changes = NULL;
  guint i, j;

  if (description->type != type)
    abort ();
  for (i = 0; i < description->media->len; i++) {
    const SecSdpMedia *media = g_ptr_array_index (description->media, i);
    const SecSdpMedia *transport;

    if (media->index != i || media->media == NULL || media->protocol == NULL
        || media->formats == NULL || media->formats[0] == NULL)
      abort ();
    if (media->rejected)
      continue;
    if (media->mid == NULL
        || sec_sdp_description_find_mid (description, media->mid) != media)
      abort ();
    if (media->proto == SEC_SDP_PROTO_OTHER)
      abort ();
    if (media->fingerprints == NULL || media->fingerprints[0] == NULL)
      abort ();
    for (j = 0; media->fingerprints[j] != NULL; j++) {
      if (!g_str_has_prefix (media->fingerprints[j], "sha-256 ")
          && !g_str_has_prefix (media->fingerprints[j], "sha-384 ")
          && !g_str_has_prefix (media->fingerprints[j], "sha-512 "))
        abort ();
    }
    if (media->ice_ufrag == NULL || media->ice_pwd == NULL)
      abort ();
    if (media->proto == SEC_SDP_PROTO_DTLS_SRTP && !media->rtcp_mux)
      abort ();
    if (type == SEC_SDP_TYPE_ANSWER && media->setup == SEC_SDP_SETUP_ACTPASS)
      abort ();
    if (media->transport_index >= description->media->len)
      abort ();
    transport = g_ptr_array_index (description->media, media->transport_index);
    /* bundled m-lines share their tag's transport */
    if (transport->rejected
        || transport->transport_index != media->transport_index
        || strcmp (transport->ice_ufrag, media->ice_ufrag) != 0
        || strcmp (transport->ice_pwd, media->ice_pwd) != 0
        || !g_strv_equal ((const gchar *const *)transport->fingerprints,
            (const gchar *const *)media->fingerprints)
        || transport->setup != media->setup)
      abort ();
    for (j = 0; j < media->payloads->len; j++) {
      const SecSdpPayload *payload = g_ptr_array_index (media->payloads, j);

      if (payload->pt > 127 || (payload->pt >= 64 && payload->pt <= 95)
          || payload->rtcp_fb == NULL)
        abort ();
    }
  }

  /* the same description again changes nothing */
  if (!sec_sdp_check_renegotiation (description, description, &changes, NULL)
      || changes->len != description->media->len)
    abort ();
  for (i = 0; i < changes->len; i++) {
    if (g_array_index (changes, guint, i) != 0)
      abort ();
  }
  g_array_unref (changes);

  /* against a real one, both ways: a result or a clear error */
  for (i = 0; i < 2; i++) {
    GError *error = NULL;
    const SecSdpDescription *previous = i == 0 ? base : description;
    const SecSdpDescription *next = i == 0 ? description : base;

    changes = NULL;
    if (sec_sdp_check_renegotiation (previous, next, &changes, &error)) {
      if (changes == NULL || changes->len != next->media->len)
        abort ();
      g_array_unref (changes);
    } else {
      if (changes != NULL)
        abort ();
      check_error (error);
    }
  }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  gchar *copy;
  guint t;

  if (base == NULL) {
    /* a misuse of an API (g_return_if_fail) is a bug here too */
    g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
    base = sec_sdp_check (base_offer, -1, SEC_SDP_TYPE_OFFER, NULL);
    if (base == NULL)
      abort ();
  }

  /* an exact-size heap copy without a terminating NUL for our entry
   * point, so that ASan sees any read past the end */
  copy = g_malloc (size + 1);
  memcpy (copy, data, size);
  for (t = 0; t < 2; t++) {
    SecSdpType type = t == 0 ? SEC_SDP_TYPE_OFFER : SEC_SDP_TYPE_ANSWER;
    GError *error = NULL;
    SecSdpDescription *description;

    description = sec_sdp_check (size > 0 ? copy : "", size, type, &error);
    if (description != NULL) {
      if (error != NULL)
        abort ();
      check_description (description, type);
      sec_sdp_description_free (description);
    } else {
      check_error (error);
    }
  }

  /* GstSDPMessage directly: GStreamer 1.22's parser reads up to a NUL
   * whatever the size given, so it gets a terminated copy */
  copy[size] = '\0';
  if (size > 0) {
    GstSDPMessage *message;

    gst_sdp_message_new (&message);
    gst_sdp_message_parse_buffer ((const guint8 *)copy, size, message);
    for (t = 0; t < 2; t++) {
      SecSdpType type = t == 0 ? SEC_SDP_TYPE_OFFER : SEC_SDP_TYPE_ANSWER;
      GError *error = NULL;
      SecSdpDescription *description;

      description = sec_sdp_check_message (message, type, &error);
      if (description != NULL) {
        check_description (description, type);
        sec_sdp_description_free (description);
      } else {
        check_error (error);
      }
    }
    gst_sdp_message_free (message);
  }
  g_free (copy);
  return 0;
}
