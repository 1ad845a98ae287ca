/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secwebrtcbin: two bins in one process on 127.0.0.1 (the fixture
 * tests/check/secwebrtcpair.c), the test doing the signaling. Calls with
 * VP8 and Opus both ways, each side as offerer, frames counted after the
 * decoders; security-info; a keyframe request crossing the call;
 * renegotiation and ICE restart on a running call; and the refusals:
 * tampered, missing and weak fingerprints, plain RTP, SDES, garbage and
 * truncated SDP, calls in the wrong state.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "secwebrtcpair.h"

#include <string.h>

#define FRAMES 20               /* video frames (30/s) and audio frames */

static gchar *tamper_fingerprint (const gchar * sdp);

static void
start_call (SecWebRTCPair * pair, gint offerer, gboolean video,
    gboolean audio)
{
  gint i;

  sec_webrtc_pair_check_plugins ();
  for (i = 0; i < 2; i++) {
    if (video)
      sec_webrtc_peer_add_video (&pair->peer[i]);
    if (audio)
      sec_webrtc_peer_add_audio (&pair->peer[i]);
  }
  sec_webrtc_pair_play (pair);
  sec_webrtc_pair_negotiate (pair, offerer, NULL);
  sec_webrtc_pair_wait_state (pair, SEC_WEBRTC_PAIR_CONNECTED, 10);
}

static void
check_call (gint offerer)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  gint i, state;

  start_call (pair, offerer, TRUE, TRUE);
  for (i = 0; i < 2; i++)
    sec_webrtc_peer_wait_frames (&pair->peer[i], FRAMES, FRAMES, 10);
  for (i = 0; i < 2; i++) {
    g_object_get (pair->peer[i].bin, "signaling-state", &state, NULL);
    fail_unless_equals_int (state, 0);  /* stable */
    fail_unless_equals_int (pair->peer[i].errors->len, 0);
    /* nothing to warn about in a call that went right (the DTLS decoder
     * starts before the remote fingerprint is known, and must not say
     * that no peer-fingerprint is set) */
    fail_unless (pair->peer[i].warnings->len == 0, "peer %d warned: %s", i,
        pair->peer[i].warnings->len ?
        (const gchar *) g_ptr_array_index (pair->peer[i].warnings, 0) : "");
  }
  sec_webrtc_pair_free (pair);
}

GST_START_TEST (test_call_first_offers)
{
  check_call (0);
}

GST_END_TEST;

GST_START_TEST (test_call_second_offers)
{
  check_call (1);
}

GST_END_TEST;

/* What was negotiated, and that each side verified the other's
 * certificate as signaled. */
GST_START_TEST (test_security_info)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  GstStructure *info[2];
  gchar *fingerprint[2];
  gchar **sas;
  gboolean verified = FALSE;
  gint i;

  start_call (pair, 0, FALSE, TRUE);
  for (i = 0; i < 2; i++) {
    g_object_get (pair->peer[i].bin, "security-info", &info[i],
        "local-fingerprint", &fingerprint[i], NULL);
    fail_unless (info[i] != NULL, "peer %d: no security-info", i);
    fail_unless (g_str_has_prefix (fingerprint[i], "sha-256 "));
  }
  for (i = 0; i < 2; i++) {
    GstStructure *s = info[i];

    fail_unless_equals_string (gst_structure_get_string (s, "dtls-version"),
        "DTLSv1.2");
    fail_unless (g_str_has_prefix (gst_structure_get_string (s,
                "cipher-suite"), "TLS_ECDHE_"));
    fail_unless_equals_string (gst_structure_get_string (s, "srtp-profile"),
        "aead-aes-256-gcm");
    fail_unless_equals_string (gst_structure_get_string (s,
            "local-fingerprint"), fingerprint[i]);
    fail_unless_equals_string (gst_structure_get_string (s,
            "remote-fingerprint"), fingerprint[1 - i]);
    fail_unless (gst_structure_get_boolean (s, "fingerprint-verified",
            &verified) && verified);
    fail_unless_equals_string (gst_structure_get_string (s,
            "local-candidate-type"), "host");
    fail_unless_equals_string (gst_structure_get_string (s,
            "remote-candidate-type"), "host");
    fail_if (strstr (gst_structure_to_string (s), "key") != NULL
        && gst_structure_has_field (s, "srtp-key"), "a key in security-info");
    /* the short authentication string: the same four words at both
     * ends of a direct call */
    sas = g_strsplit (gst_structure_get_string (s, "sas"), " ", -1);
    fail_unless_equals_int (g_strv_length (sas), 4);
    g_strfreev (sas);
    fail_unless_equals_string (gst_structure_get_string (s, "sas"),
        gst_structure_get_string (info[1 - i], "sas"));
  }
  for (i = 0; i < 2; i++) {
    gst_structure_free (info[i]);
    g_free (fingerprint[i]);
  }
  sec_webrtc_pair_free (pair);
}

GST_END_TEST;

/* A keyframe request from one side's decoder (what a lost packet or a
 * browser's PLI makes) arrives at the other side's payloader as a
 * force-key-unit event. */
GST_START_TEST (test_keyframe_request_crosses)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  GstPad *src;
  gulong before;
  gint64 end;

  start_call (pair, 0, TRUE, FALSE);
  sec_webrtc_peer_wait_frames (&pair->peer[1], 5, 0, 10);
  g_mutex_lock (&pair->lock);
  before = pair->peer[0].keyunit_requests;
  g_mutex_unlock (&pair->lock);
  src = gst_element_get_static_pad (pair->peer[1].bin, "src_0");
  fail_unless (src != NULL);
  fail_unless (gst_pad_send_event (src,
          gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM,
              gst_structure_new ("GstForceKeyUnit", "all-headers",
                  G_TYPE_BOOLEAN, TRUE, NULL))));
  gst_object_unref (src);
  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  g_mutex_lock (&pair->lock);
  while (pair->peer[0].keyunit_requests == before)
    fail_unless (g_cond_wait_until (&pair->cond, &pair->lock, end),
        "no force-key-unit at the sender's payloader within 5 s");
  g_mutex_unlock (&pair->lock);
  sec_webrtc_pair_free (pair);
}

GST_END_TEST;


/* --- a running call ---------------------------------------------------------- */

/* Video added to an audio call: a second exchange on the same transport
 * (no new DTLS handshake: the same association stays connected), and
 * media flows both ways on both m-lines afterwards. */
GST_START_TEST (test_renegotiate_add_video)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  GstStructure *info_before, *info_after;
  gint i;

  start_call (pair, 0, FALSE, TRUE);
  for (i = 0; i < 2; i++)
    sec_webrtc_peer_wait_frames (&pair->peer[i], 0, FRAMES, 10);
  g_object_get (pair->peer[0].bin, "security-info", &info_before, NULL);
  for (i = 0; i < 2; i++)
    sec_webrtc_peer_add_video (&pair->peer[i]);
  sec_webrtc_pair_negotiate (pair, 1, NULL);
  for (i = 0; i < 2; i++)
    sec_webrtc_peer_wait_frames (&pair->peer[i], FRAMES,
        pair->peer[i].audio_frames + FRAMES, 10);
  g_object_get (pair->peer[0].bin, "security-info", &info_after, NULL);
  /* the same association: the same fingerprints, still connected */
  fail_unless (gst_structure_is_equal (info_before, info_after),
      "security-info changed: %" GST_PTR_FORMAT " -> %" GST_PTR_FORMAT,
      info_before, info_after);
  fail_unless_equals_int (sec_webrtc_peer_state (&pair->peer[0]),
      SEC_WEBRTC_PAIR_CONNECTED);
  gst_structure_free (info_before);
  gst_structure_free (info_after);
  sec_webrtc_pair_free (pair);
}

GST_END_TEST;

static gchar *
ufrag_of (const gchar * sdp)
{
  const gchar *line = strstr (sdp, "a=ice-ufrag:");

  fail_unless (line != NULL);
  return g_strndup (line + 12, strcspn (line + 12, "\r\n"));
}

/* ICE restart mid-call (create-offer with ice-restart): new credentials,
 * and media continues once reconnected. */
GST_START_TEST (test_ice_restart)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  GstStructure *options = gst_structure_new ("options", "ice-restart",
      G_TYPE_BOOLEAN, TRUE, NULL);
  gchar *before, *after, *sdp, *error = NULL;
  guint frames;
  gint i;

  start_call (pair, 0, FALSE, TRUE);
  sec_webrtc_peer_wait_frames (&pair->peer[1], 0, FRAMES, 10);
  sdp = sec_webrtc_peer_create (&pair->peer[0], "offer", NULL, &error);
  before = ufrag_of (sdp);
  g_free (sdp);
  /* the offer just made is not used: set-local needs the last one */
  sec_webrtc_pair_negotiate (pair, 0, options);
  sdp = sec_webrtc_peer_create (&pair->peer[0], "offer", NULL, &error);
  after = ufrag_of (sdp);
  g_free (sdp);
  fail_if (g_str_equal (before, after), "the ufrag did not change");
  for (i = 0; i < 2; i++) {
    g_mutex_lock (&pair->lock);
    frames = pair->peer[i].audio_frames;
    g_mutex_unlock (&pair->lock);
    sec_webrtc_peer_wait_frames (&pair->peer[i], 0, frames + FRAMES, 15);
  }
  gst_structure_free (options);
  g_free (before);
  g_free (after);
  sec_webrtc_pair_free (pair);
}

GST_END_TEST;

/* A renegotiation that changes the peer's fingerprint without an ICE
 * restart is refused (the running association's peer cannot change). */
GST_START_TEST (test_fingerprint_change_refused)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  gchar *offer, *tampered, *error = NULL;

  start_call (pair, 0, FALSE, TRUE);
  offer = sec_webrtc_peer_create (&pair->peer[0], "offer", NULL, &error);
  fail_unless (offer != NULL, "%s", error);
  tampered = tamper_fingerprint (offer);
  fail_if (sec_webrtc_peer_set (&pair->peer[1], "remote", "offer", tampered,
          &error), "a changed fingerprint was accepted");
  fail_unless (strstr (error, "fingerprint") != NULL, "%s", error);
  fail_unless_equals_int (sec_webrtc_peer_state (&pair->peer[1]),
      SEC_WEBRTC_PAIR_CONNECTED);
  g_free (error);
  g_free (offer);
  g_free (tampered);
  sec_webrtc_pair_free (pair);
}

GST_END_TEST;

/* A malformed trickled candidate: a warning on the bus naming it, and the
 * call goes on. */
GST_START_TEST (test_malformed_candidate)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  gboolean named = FALSE;
  gint64 end;
  guint k = 0;

  start_call (pair, 0, FALSE, TRUE);
  g_signal_emit_by_name (pair->peer[1].bin, "add-ice-candidate", 0,
      "candidate:1 1 UDP 99 999.1.1.1 5000 typ host");
  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  g_mutex_lock (&pair->lock);
  while (!named) {
    for (; k < pair->peer[1].warnings->len && !named; k++)
      named = strstr (g_ptr_array_index (pair->peer[1].warnings, k),
          "999.1.1.1") != NULL;
    if (!named)
      fail_unless (g_cond_wait_until (&pair->cond, &pair->lock, end),
          "no warning naming the candidate");
  }
  g_mutex_unlock (&pair->lock);
  sec_webrtc_peer_wait_frames (&pair->peer[1], 0, FRAMES, 10);
  fail_unless_equals_int (pair->peer[1].errors->len, 0);
  sec_webrtc_pair_free (pair);
}

GST_END_TEST;


static gboolean
is_video (GstBuffer * buffer)
{
  guint8 head[2];

  return gst_buffer_extract (buffer, 0, head, 2) == 2 && head[0] >= 128
      && head[0] <= 191 && (head[1] & 0x7f) == 96;
}

/* drops every 7th SRTP video packet leaving a transport */
static GstPadProbeReturn
lose_video (GstPad * pad, GstPadProbeInfo * info, guint * n)
{
  (void) pad;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    if (is_video (GST_PAD_PROBE_INFO_BUFFER (info)) && ++(*n) % 7 == 0)
      return GST_PAD_PROBE_DROP;
  } else {
    GstBufferList *list =
        gst_buffer_list_make_writable (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
    guint i;

    for (i = 0; i < gst_buffer_list_length (list);) {
      if (is_video (gst_buffer_list_get (list, i)) && ++(*n) % 7 == 0)
        gst_buffer_list_remove (list, i, 1);
      else
        i++;
    }
    info->data = list;
  }
  return GST_PAD_PROBE_OK;
}

/* Lost video packets are asked for again (NACK, RFC 4585) and resent on
 * the RTX stream (RFC 4588), which the receiver takes. */
GST_START_TEST (test_loss_recovered_by_rtx)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  GstElement *icesink, *rtx_send, *rtx_receive;
  GstPad *pad;
  guint n = 0, sent = 0, taken = 0;
  gint64 end;

  start_call (pair, 0, TRUE, FALSE);
  sec_webrtc_peer_wait_frames (&pair->peer[1], 5, 0, 10);
  icesink = sec_check_find_by_factory (pair->peer[0].bin, "secicesink");
  rtx_send = sec_check_find_by_factory (pair->peer[0].bin, "rtprtxsend");
  rtx_receive = sec_check_find_by_factory (pair->peer[1].bin, "rtprtxreceive");
  fail_unless (icesink && rtx_send && rtx_receive);
  pad = gst_element_get_static_pad (icesink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, (GstPadProbeCallback) lose_video, &n,
      NULL);
  end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (sent == 0 || taken == 0) {
    g_object_get (rtx_send, "num-rtx-packets", &sent, NULL);
    g_object_get (rtx_receive, "num-rtx-assoc-packets", &taken, NULL);
    fail_unless (g_get_monotonic_time () < end, "after 15 s: %u video "
        "packets dropped, %u resent, %u taken by the receiver", n / 7, sent,
        taken);
    sec_webrtc_peer_wait_frames (&pair->peer[1],
        pair->peer[1].video_frames + 1, 0, 10);
  }
  gst_object_unref (pad);
  gst_object_unref (icesink);
  gst_object_unref (rtx_send);
  gst_object_unref (rtx_receive);
  sec_webrtc_pair_free (pair);
}

GST_END_TEST;

/* --- refusals ------------------------------------------------------------- */

static gchar *
replace_line (const gchar * sdp, const gchar * prefix, const gchar * with)
{
  gchar **lines = g_strsplit (sdp, "\r\n", -1);
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; lines[i] && lines[i][0]; i++) {
    if (g_str_has_prefix (lines[i], prefix)) {
      if (with)
        g_string_append_printf (out, "%s\r\n", with);
    } else {
      g_string_append_printf (out, "%s\r\n", lines[i]);
    }
  }
  g_strfreev (lines);
  return g_string_free (out, FALSE);
}

/* a fingerprint that is not the certificate's: its last hex pair changed */
static gchar *
tamper_fingerprint (const gchar * sdp)
{
  gchar *out = g_strdup (sdp);
  gchar *line = strstr (out, "a=fingerprint:sha-256 ");

  while (line) {
    gchar *end = strstr (line, "\r\n");

    end[-1] = end[-1] == '0' ? '1' : '0';
    line = strstr (end, "a=fingerprint:sha-256 ");
  }
  return out;
}

typedef struct
{
  const gchar *type;            /* tamper SDPs of this type */
} Tamper;

static gchar *
tamper_hook (gint from, const gchar * type, const gchar * sdp,
    gpointer user_data)
{
  Tamper *t = user_data;

  (void) from;
  return g_strcmp0 (type, t->type) == 0 ? tamper_fingerprint (sdp) : NULL;
}

/* A man in the middle who rewrites the fingerprint in signaling (or a
 * peer whose certificate is not the one signaled): both sides end in
 * failed, an error names the fingerprints, no frame is decoded. */
static void
check_tampered (const gchar * type)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  Tamper tamper = { type };
  gint i;

  sec_webrtc_pair_check_plugins ();
  pair->sdp_hook = tamper_hook;
  pair->sdp_hook_data = &tamper;
  for (i = 0; i < 2; i++) {
    sec_webrtc_peer_add_video (&pair->peer[i]);
    sec_webrtc_peer_add_audio (&pair->peer[i]);
  }
  sec_webrtc_pair_play (pair);
  sec_webrtc_pair_negotiate (pair, 0, NULL);
  sec_webrtc_pair_wait_state (pair, SEC_WEBRTC_PAIR_FAILED, 15);
  g_mutex_lock (&pair->lock);
  /* the side that checked the tampered fingerprint names both (its error
   * may reach the bus just after its state went to failed) */
  {
    SecWebRTCPeer *checker = &pair->peer[g_str_equal (type, "answer") ? 0 :
        1];
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    gboolean named = FALSE;
    guint k = 0;

    while (!named) {
      for (; k < checker->errors->len && !named; k++)
        named = strstr (g_ptr_array_index (checker->errors, k),
            "sha-256") != NULL;
      if (!named)
        fail_unless (g_cond_wait_until (&pair->cond, &pair->lock, end),
            "peer %d posted no error naming the fingerprints within 10 s "
            "(%u errors, first: %s)", checker->index, checker->errors->len,
            checker->errors->len ? (gchar *) g_ptr_array_index
            (checker->errors, 0) : "none");
    }
  }
  for (i = 0; i < 2; i++) {
    fail_unless_equals_int (pair->peer[i].video_frames, 0);
    fail_unless_equals_int (pair->peer[i].audio_frames, 0);
  }
  g_mutex_unlock (&pair->lock);
  sec_webrtc_pair_free (pair);
}

GST_START_TEST (test_tampered_fingerprint_in_answer)
{
  check_tampered ("answer");
}

GST_END_TEST;

GST_START_TEST (test_tampered_fingerprint_in_offer)
{
  check_tampered ("offer");
}

GST_END_TEST;

/* An offer from peer 0, rewritten, given to peer 1: refused with a
 * message containing @expected, and peer 1 stays stable. */
static void
check_refused_offer (const gchar * prefix, const gchar * with,
    const gchar * expected)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  gchar *offer, *bad, *error = NULL;
  gint state;

  sec_webrtc_pair_check_plugins ();
  sec_webrtc_peer_add_audio (&pair->peer[0]);
  offer = sec_webrtc_peer_create (&pair->peer[0], "offer", NULL, &error);
  fail_unless (offer != NULL, "%s", error);
  bad = replace_line (offer, prefix, with);
  fail_if (sec_webrtc_peer_set (&pair->peer[1], "remote", "offer", bad,
          &error), "accepted an offer with '%s' replaced by '%s'", prefix,
      GST_STR_NULL (with));
  fail_unless (strstr (error, expected) != NULL, "'%s' does not say '%s'",
      error, expected);
  g_object_get (pair->peer[1].bin, "signaling-state", &state, NULL);
  fail_unless_equals_int (state, 0);
  g_free (error);
  g_free (bad);
  g_free (offer);
  sec_webrtc_pair_free (pair);
}

GST_START_TEST (test_refused_descriptions)
{
  check_refused_offer ("a=fingerprint:", NULL, "fingerprint");
  check_refused_offer ("a=fingerprint:",
      "a=fingerprint:sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:"
      "19:E5:7C:AB", "sha-1");
  check_refused_offer ("m=audio", "m=audio 9 RTP/AVP 111", "RTP/AVP");
  check_refused_offer ("m=audio", "m=audio 9 RTP/SAVPF 111", "RTP/SAVPF");
  check_refused_offer ("a=ice-ufrag:", NULL, "ice");
  check_refused_offer ("a=rtcp-mux", NULL, "rtcp-mux");
}

GST_END_TEST;

GST_START_TEST (test_garbage_and_truncated)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  gchar *offer, *error = NULL;
  gsize len, full;
  gint state;

  sec_webrtc_pair_check_plugins ();
  sec_webrtc_peer_add_video (&pair->peer[0]);
  sec_webrtc_peer_add_audio (&pair->peer[0]);
  offer = sec_webrtc_peer_create (&pair->peer[0], "offer", NULL, &error);
  fail_unless (offer != NULL);
  full = strlen (offer);
  /* every prefix: a clear error or (only the whole) accepted */
  for (len = 0; len < full; len += 7) {
    gchar *prefix = g_strndup (offer, len);

    if (sec_webrtc_peer_set (&pair->peer[1], "remote", "offer", prefix,
            &error)) {
      gchar *rollback_error = NULL;

      fail_unless (sec_webrtc_peer_set (&pair->peer[1], "remote", "rollback",
              NULL, &rollback_error), "%s", rollback_error);
    } else {
      fail_unless (error && *error, "prefix %" G_GSIZE_FORMAT ": no message",
          len);
      g_free (error);
      error = NULL;
    }
    g_free (prefix);
  }
  fail_if (sec_webrtc_peer_set (&pair->peer[1], "remote", "offer",
          "\x01\x02garbage\xff", &error));
  g_free (error);
  error = NULL;
  g_object_get (pair->peer[1].bin, "signaling-state", &state, NULL);
  fail_unless_equals_int (state, 0);
  g_free (offer);
  sec_webrtc_pair_free (pair);
}

GST_END_TEST;

/* Calls in the wrong state: an error that says why, nothing changes. */
GST_START_TEST (test_wrong_state_calls)
{
  SecWebRTCPair *pair = sec_webrtc_pair_new ();
  gchar *sdp, *error = NULL;
  gint state;

  sec_webrtc_pair_check_plugins ();
  sec_webrtc_peer_add_audio (&pair->peer[0]);
  /* an answer before any offer */
  sdp = sec_webrtc_peer_create (&pair->peer[0], "answer", NULL, &error);
  fail_unless (sdp == NULL);
  fail_unless (strstr (error, "stable") != NULL, "%s", error);
  g_free (error);
  error = NULL;
  /* set-remote(answer) while stable */
  sdp = sec_webrtc_peer_create (&pair->peer[0], "offer", NULL, &error);
  fail_if (sec_webrtc_peer_set (&pair->peer[1], "remote", "answer", sdp,
          &error));
  fail_unless (strstr (error, "stable") != NULL, "%s", error);
  g_free (error);
  error = NULL;
  /* set-local with a description the bin did not make */
  fail_if (sec_webrtc_peer_set (&pair->peer[0], "local", "offer",
          "v=0\r\n", &error));
  g_free (error);
  g_object_get (pair->peer[0].bin, "signaling-state", &state, NULL);
  fail_unless_equals_int (state, 0);
  g_free (sdp);
  sec_webrtc_pair_free (pair);
}

GST_END_TEST;

static Suite *
secwebrtcbin_suite (void)
{
  Suite *s = suite_create ("secwebrtcbin");
  TCase *tc;

  tc = tcase_create ("call");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_call_first_offers);
  tcase_add_test (tc, test_call_second_offers);
  tcase_add_test (tc, test_security_info);
  tcase_add_test (tc, test_keyframe_request_crosses);
  suite_add_tcase (s, tc);

  tc = tcase_create ("running-call");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_renegotiate_add_video);
  tcase_add_test (tc, test_ice_restart);
  tcase_add_test (tc, test_fingerprint_change_refused);
  tcase_add_test (tc, test_malformed_candidate);
  tcase_add_test (tc, test_loss_recovered_by_rtx);
  suite_add_tcase (s, tc);

  tc = tcase_create ("refusals");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_tampered_fingerprint_in_answer);
  tcase_add_test (tc, test_tampered_fingerprint_in_offer);
  tcase_add_test (tc, test_refused_descriptions);
  tcase_add_test (tc, test_garbage_and_truncated);
  tcase_add_test (tc, test_wrong_state_calls);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (secwebrtcbin);
