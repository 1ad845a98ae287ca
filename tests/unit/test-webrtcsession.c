/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecWebRTCSession (gst/webrtc/session.c, sessiontransports.c): two
 * sessions negotiating with each other, the test passing the SDP text
 * and giving each the local transports it asks for. The bundle policies:
 * which m-line goes on which transport, what the offers and answers say
 * (groups, ICE credentials, bundle-only) and what each remote
 * description asks of each transport.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "session.h"

#include <gst/gst.h>
#include <string.h>

#define FINGERPRINT_A "sha-256 " \
  "AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:" \
  "AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA"
#define FINGERPRINT_B "sha-256 " \
  "BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:" \
  "BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB"

typedef struct
{
  SecWebRTCSession *session;
  gchar name;                   /* 'a' or 'b' */
  GHashTable *made;             /* id -> SecWebRTCLocalTransport * */
} Peer;

static void
local_free (SecWebRTCLocalTransport * local)
{
  g_free ((gchar *) local->ice_ufrag);
  g_free ((gchar *) local->ice_pwd);
  g_free (local);
}

static void
peer_init (Peer * peer, gchar name, gboolean balanced, guint n_audio,
    guint n_video)
{
  guint i;

  peer->session = sec_webrtc_session_new ();
  peer->name = name;
  peer->made = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) local_free);
  sec_webrtc_session_set_balanced (peer->session, balanced);
  for (i = 0; i < n_audio; i++)
    g_assert_nonnull (sec_webrtc_session_add_transceiver (peer->session,
            "audio", SEC_SDP_DIRECTION_SENDRECV, NULL, NULL));
  for (i = 0; i < n_video; i++)
    g_assert_nonnull (sec_webrtc_session_add_transceiver (peer->session,
            "video", SEC_SDP_DIRECTION_SENDRECV, NULL, NULL));
}

static void
peer_clear (Peer * peer)
{
  sec_webrtc_session_free (peer->session);
  g_hash_table_unref (peer->made);
}

/* The transports @ids, "made" as the bin would: ufrag "<peer><id>". */
static GHashTable *
transports_for (Peer * peer, GArray * ids)
{
  guint i;

  for (i = 0; i < ids->len; i++) {
    guint id = g_array_index (ids, guint, i);
    SecWebRTCLocalTransport *local;

    if (g_hash_table_contains (peer->made, GUINT_TO_POINTER (id)))
      continue;
    local = g_new0 (SecWebRTCLocalTransport, 1);
    local->ice_ufrag = g_strdup_printf ("%cufrag%u", peer->name, id);
    local->ice_pwd = g_strdup_printf ("%cpasswordpasswordpassword%u",
        peer->name, id);
    local->fingerprint = peer->name == 'a' ? FINGERPRINT_A : FINGERPRINT_B;
    g_hash_table_insert (peer->made, GUINT_TO_POINTER (id), local);
  }
  return peer->made;
}

static gchar *
ids_text (GArray * ids)
{
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; i < ids->len; i++)
    g_string_append_printf (text, "%s%u", i ? " " : "",
        g_array_index (ids, guint, i));
  return g_string_free (text, FALSE);
}

static void
assert_ids (GArray * ids, const gchar * expected)
{
  gchar *text = ids_text (ids);

  g_assert_cmpstr (text, ==, expected);
  g_free (text);
  g_array_unref (ids);
}

static gchar *
make_offer (Peer * peer, const gchar * expected_ids)
{
  GArray *ids = sec_webrtc_session_get_offer_transports (peer->session);
  GError *error = NULL;
  gchar *sdp;

  sdp = sec_webrtc_session_create_offer (peer->session,
      transports_for (peer, ids), &error);
  g_assert_no_error (error);
  assert_ids (ids, expected_ids);
  g_assert_true (sec_webrtc_session_set_local (peer->session,
          SEC_JSEP_SDP_OFFER, NULL, &error));
  g_assert_no_error (error);
  return sdp;
}

/* The remote plan's transport ids, "id:ufrag" each. */
static gchar *
plan_text (SecWebRTCRemotePlan * plan)
{
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; i < plan->transports->len; i++) {
    SecWebRTCRemoteTransport *rt = g_ptr_array_index (plan->transports, i);

    g_string_append_printf (text, "%s%u:%s", i ? " " : "", rt->id,
        rt->ice_ufrag);
  }
  return g_string_free (text, FALSE);
}

static void
apply_remote (Peer * peer, SecJsepSdpType type, const gchar * sdp,
    const gchar * expected_plan)
{
  SecWebRTCRemotePlan *plan = NULL;
  GError *error = NULL;
  gchar *text;

  g_assert_true (sec_webrtc_session_set_remote (peer->session, type, sdp,
          &plan, &error));
  g_assert_no_error (error);
  text = plan_text (plan);
  g_assert_cmpstr (text, ==, expected_plan);
  g_free (text);
  sec_webrtc_remote_plan_free (plan);
}

static gchar *
make_answer (Peer * peer, const gchar * expected_ids)
{
  GArray *ids = sec_webrtc_session_get_answer_transports (peer->session);
  GError *error = NULL;
  gchar *sdp;

  sdp = sec_webrtc_session_create_answer (peer->session,
      transports_for (peer, ids), &error);
  g_assert_no_error (error);
  assert_ids (ids, expected_ids);
  g_assert_true (sec_webrtc_session_set_local (peer->session,
          SEC_JSEP_SDP_ANSWER, NULL, &error));
  g_assert_no_error (error);
  return sdp;
}

/* The value of @key ("a=ice-ufrag:") in m-line @mline (-1: session
 * level), NULL if absent. */
static gchar *
attribute (const gchar * sdp, gint mline, const gchar * key)
{
  gchar **lines = g_strsplit (sdp, "\r\n", -1);
  gchar *value = NULL;
  gint current = -1;
  guint i;

  for (i = 0; lines[i] && value == NULL; i++) {
    if (g_str_has_prefix (lines[i], "m="))
      current++;
    else if (current == mline && g_str_has_prefix (lines[i], key))
      value = g_strdup (lines[i] + strlen (key));
  }
  g_strfreev (lines);
  return value;
}

static void
assert_attribute (const gchar * sdp, gint mline, const gchar * key,
    const gchar * expected)
{
  gchar *value = attribute (sdp, mline, key);

  g_assert_cmpstr (value, ==, expected);
  g_free (value);
}

static gchar *
without_group (const gchar * sdp)
{
  gchar **lines = g_strsplit (sdp, "\r\n", -1);
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; lines[i]; i++) {
    if (g_str_has_prefix (lines[i], "a=group:"))
      continue;
    g_string_append (out, lines[i]);
    if (lines[i + 1])
      g_string_append (out, "\r\n");
  }
  g_strfreev (lines);
  return g_string_free (out, FALSE);
}

static gint
transport_of (Peer * peer, guint mline)
{
  return sec_webrtc_session_get_transceiver (peer->session, mline)->transport;
}

/* --- tests --------------------------------------------------------------- */

static void
test_max_bundle (void)
{
  Peer a, b;
  gchar *offer, *answer, *unbundled;

  peer_init (&a, 'a', FALSE, 1, 1);
  peer_init (&b, 'b', FALSE, 0, 0);
  offer = make_offer (&a, "0");
  assert_attribute (offer, -1, "a=group:", "BUNDLE 0 1");
  assert_attribute (offer, 0, "a=ice-ufrag:", "aufrag0");
  assert_attribute (offer, 1, "a=ice-ufrag:", "aufrag0");
  apply_remote (&b, SEC_JSEP_SDP_OFFER, offer, "0:aufrag0");
  answer = make_answer (&b, "0");
  assert_attribute (answer, -1, "a=group:", "BUNDLE 0 1");
  apply_remote (&a, SEC_JSEP_SDP_ANSWER, answer, "0:bufrag0");
  g_assert_cmpint (transport_of (&a, 1), ==, 0);
  g_assert_cmpint (transport_of (&b, 1), ==, 0);
  assert_ids (sec_webrtc_session_get_used_transports (a.session), "0");
  g_free (offer);
  g_free (answer);
  peer_clear (&a);
  peer_clear (&b);

  /* an offer without BUNDLE from a balanced peer: max-bundle takes the
   * first transport, rejects the other m-line and adds no group */
  peer_init (&a, 'a', TRUE, 1, 1);
  peer_init (&b, 'b', FALSE, 0, 0);
  offer = make_offer (&a, "0 1");
  unbundled = without_group (offer);
  apply_remote (&b, SEC_JSEP_SDP_OFFER, unbundled, "0:aufrag0");
  answer = make_answer (&b, "0");
  assert_attribute (answer, -1, "a=group:", NULL);
  g_assert_true (strstr (answer, "m=video 0 ") != NULL);
  apply_remote (&a, SEC_JSEP_SDP_ANSWER, answer, "0:bufrag0");
  g_assert_cmpint (transport_of (&a, 0), ==, 0);
  g_assert_cmpint (transport_of (&a, 1), ==, -1);
  g_assert_true (sec_webrtc_session_get_transceiver (a.session, 1)->stopped);
  assert_ids (sec_webrtc_session_get_used_transports (a.session), "0");
  g_free (offer);
  g_free (unbundled);
  g_free (answer);
  peer_clear (&a);
  peer_clear (&b);
}

static void
test_balanced_bundled (void)
{
  Peer a, b;
  gchar *offer, *answer, *again;

  peer_init (&a, 'a', TRUE, 1, 1);
  peer_init (&b, 'b', TRUE, 0, 0);
  offer = make_offer (&a, "0 1");
  assert_attribute (offer, -1, "a=group:", "BUNDLE 0 1");
  assert_attribute (offer, 0, "a=ice-ufrag:", "aufrag0");
  assert_attribute (offer, 1, "a=ice-ufrag:", "aufrag1");
  /* while the offer is pending both transports are in use */
  assert_ids (sec_webrtc_session_get_used_transports (a.session), "0 1");
  /* the answerer bundles on the tag's transport */
  apply_remote (&b, SEC_JSEP_SDP_OFFER, offer, "0:aufrag0");
  /* RFC 8843 §10: candidates of the offer's second m-line are for its
   * own transport, which the bundle discards: ignored (Chromium's
   * balanced offers trickle them) */
  g_assert_cmpint (sec_webrtc_session_get_candidate_transport (b.session, 0),
      ==, 0);
  g_assert_cmpint (sec_webrtc_session_get_candidate_transport (b.session, 1),
      ==, -1);
  answer = make_answer (&b, "0");
  assert_attribute (answer, -1, "a=group:", "BUNDLE 0 1");
  assert_attribute (answer, 1, "a=ice-ufrag:", "bufrag0");
  g_assert_cmpint (sec_webrtc_session_get_candidate_transport (b.session, 1),
      ==, -1);
  apply_remote (&a, SEC_JSEP_SDP_ANSWER, answer, "0:bufrag0");
  g_assert_cmpint (sec_webrtc_session_get_candidate_transport (a.session, 0),
      ==, 0);
  g_assert_cmpint (sec_webrtc_session_get_candidate_transport (a.session, 1),
      ==, -1);
  g_assert_cmpint (transport_of (&a, 1), ==, 0);
  assert_ids (sec_webrtc_session_get_used_transports (a.session), "0");
  /* bundled now: the next offer keeps everything on transport 0 */
  again = make_offer (&a, "0");
  assert_attribute (again, 1, "a=ice-ufrag:", "aufrag0");
  g_free (again);
  g_free (offer);
  g_free (answer);
  peer_clear (&a);
  peer_clear (&b);
}

static void
test_balanced_unbundled (void)
{
  Peer a, b;
  gchar *offer, *answer, *unbundled;
  GstCaps *caps;
  guint video_pt;

  peer_init (&a, 'a', TRUE, 1, 1);
  peer_init (&b, 'b', TRUE, 0, 0);
  offer = make_offer (&a, "0 1");
  unbundled = without_group (offer);
  apply_remote (&b, SEC_JSEP_SDP_OFFER, unbundled, "0:aufrag0 1:aufrag1");
  answer = make_answer (&b, "0 1");
  assert_attribute (answer, -1, "a=group:", NULL);
  assert_attribute (answer, 0, "a=ice-ufrag:", "bufrag0");
  assert_attribute (answer, 1, "a=ice-ufrag:", "bufrag1");
  apply_remote (&a, SEC_JSEP_SDP_ANSWER, answer, "0:bufrag0 1:bufrag1");
  g_assert_cmpint (transport_of (&a, 0), ==, 0);
  g_assert_cmpint (transport_of (&a, 1), ==, 1);
  g_assert_cmpint (transport_of (&b, 1), ==, 1);
  assert_ids (sec_webrtc_session_get_used_transports (a.session), "0 1");
  assert_ids (sec_webrtc_session_get_used_transports (b.session), "0 1");
  /* candidates for the peer's video m-line go to transport 1 */
  g_assert_cmpint (sec_webrtc_session_get_candidate_transport (a.session, 1),
      ==, 1);
  g_assert_cmpint (sec_webrtc_session_get_candidate_transport (b.session, 0),
      ==, 0);
  /* payload types are per transport (RTP session) */
  video_pt = ((SecWebRTCCodec *) g_ptr_array_index
      (sec_webrtc_session_get_transceiver (a.session, 1)->negotiated,
          0))->payload_type;
  caps = sec_webrtc_session_get_pt_caps (a.session, 1, video_pt);
  g_assert_nonnull (caps);
  gst_caps_unref (caps);
  g_assert_null (sec_webrtc_session_get_pt_caps (a.session, 0, video_pt));
  g_assert_null (sec_webrtc_session_route (a.session, 0,
          sec_webrtc_session_get_transceiver (a.session, 1)->mid, 1, 0));
  g_assert_nonnull (sec_webrtc_session_route (a.session, 1,
          sec_webrtc_session_get_transceiver (a.session, 1)->mid, 1, 0));
  g_free (offer);
  g_free (unbundled);
  g_free (answer);

  /* a renegotiation from the answerer keeps both transports */
  offer = make_offer (&b, "0 1");
  assert_attribute (offer, 0, "a=ice-ufrag:", "bufrag0");
  assert_attribute (offer, 1, "a=ice-ufrag:", "bufrag1");
  unbundled = without_group (offer);
  apply_remote (&a, SEC_JSEP_SDP_OFFER, unbundled, "0:bufrag0 1:bufrag1");
  answer = make_answer (&a, "0 1");
  apply_remote (&b, SEC_JSEP_SDP_ANSWER, answer, "0:aufrag0 1:aufrag1");
  g_assert_cmpint (transport_of (&b, 1), ==, 1);
  g_free (offer);
  g_free (unbundled);
  g_free (answer);
  peer_clear (&a);
  peer_clear (&b);
}

static void
test_balanced_bundle_only (void)
{
  Peer a, b;
  gchar *offer, *answer, *unbundled;

  /* audio, video, video: the second video m-line is bundle-only */
  peer_init (&a, 'a', TRUE, 1, 2);
  peer_init (&b, 'b', FALSE, 0, 0);
  offer = make_offer (&a, "0 1");
  assert_attribute (offer, -1, "a=group:", "BUNDLE 0 1 2");
  assert_attribute (offer, 2, "a=bundle-only", "");
  assert_attribute (offer, 2, "a=ice-ufrag:", NULL);
  g_assert_true (strstr (offer, "m=video 0 ") != NULL);
  apply_remote (&b, SEC_JSEP_SDP_OFFER, offer, "0:aufrag0");
  answer = make_answer (&b, "0");
  assert_attribute (answer, -1, "a=group:", "BUNDLE 0 1 2");
  apply_remote (&a, SEC_JSEP_SDP_ANSWER, answer, "0:bufrag0");
  g_assert_cmpint (transport_of (&a, 2), ==, 0);
  g_free (offer);
  g_free (answer);
  peer_clear (&a);
  peer_clear (&b);

  /* a peer that does not bundle cannot take a bundle-only m-line */
  peer_init (&a, 'a', TRUE, 1, 2);
  peer_init (&b, 'b', TRUE, 0, 0);
  offer = make_offer (&a, "0 1");
  unbundled = without_group (offer);
  apply_remote (&b, SEC_JSEP_SDP_OFFER, unbundled, "0:aufrag0 1:aufrag1");
  answer = make_answer (&b, "0 1");
  g_assert_true (strstr (answer, "m=video 0 ") != NULL);
  apply_remote (&a, SEC_JSEP_SDP_ANSWER, answer, "0:bufrag0 1:bufrag1");
  g_assert_cmpint (transport_of (&a, 1), ==, 1);
  g_assert_cmpint (transport_of (&a, 2), ==, -1);
  g_free (offer);
  g_free (unbundled);
  g_free (answer);
  peer_clear (&a);
  peer_clear (&b);
}

static void
test_rollback_releases (void)
{
  Peer a;
  gchar *offer;
  GError *error = NULL;

  peer_init (&a, 'a', TRUE, 1, 1);
  offer = make_offer (&a, "0 1");
  assert_ids (sec_webrtc_session_get_used_transports (a.session), "0 1");
  g_assert_true (sec_webrtc_session_set_local (a.session,
          SEC_JSEP_SDP_ROLLBACK, NULL, &error));
  g_assert_no_error (error);
  assert_ids (sec_webrtc_session_get_used_transports (a.session), "");
  g_free (offer);
  peer_clear (&a);
}

/* Data channels (RFC 8841): a data-only call; data next to media with
 * balanced (a transport of its own unbundled, one BUNDLE otherwise);
 * the peer's a=sctp-port and a=max-message-size; our data m-line that
 * waits for the peer's offer; a second data m-line rejected; the
 * roles kept by the answer of a renegotiation (RFC 8842 §5.5). */
static void
test_data_only (void)
{
  Peer a, b;
  gchar *offer, *answer, *edited;
  SecWebRTCTransceiver *da, *db;
  SecWebRTCRemotePlan *plan = NULL;
  GError *error = NULL;

  peer_init (&a, 'a', FALSE, 0, 0);
  peer_init (&b, 'b', FALSE, 0, 0);
  g_assert_false (sec_webrtc_session_negotiation_needed (a.session));
  da = sec_webrtc_session_add_data (a.session);
  g_assert_true (da->data);
  /* one data m-line: asking again gives the same */
  g_assert_true (sec_webrtc_session_add_data (a.session) == da);
  g_assert_true (sec_webrtc_session_negotiation_needed (a.session));
  offer = make_offer (&a, "0");
  g_assert_true (strstr (offer, "\r\nm=application 9 UDP/DTLS/SCTP "
          "webrtc-datachannel\r\n") != NULL);
  assert_attribute (offer, 0, "a=sctp-port:", "5000");
  assert_attribute (offer, 0, "a=max-message-size:", "262144");
  assert_attribute (offer, 0, "a=setup:", "actpass");
  assert_attribute (offer, -1, "a=group:", "BUNDLE 0");
  g_assert_null (attribute (offer, 0, "a=rtcp-mux"));
  /* the peer says another port and size */
  {
    gchar **parts = g_strsplit (offer, "a=sctp-port:5000", -1);

    edited = g_strjoinv ("a=sctp-port:5001", parts);
    g_strfreev (parts);
  }
  apply_remote (&b, SEC_JSEP_SDP_OFFER, edited, "0:aufrag0");
  db = sec_webrtc_session_get_data (b.session);
  g_assert_nonnull (db);
  answer = make_answer (&b, "0");
  assert_attribute (answer, 0, "a=setup:", "active");
  assert_attribute (answer, 0, "a=sctp-port:", "5000");
  g_assert_false (db->stopped);
  g_assert_cmpuint (db->remote_sctp_port, ==, 5001);
  g_assert_cmpuint (db->remote_max_message_size, ==, 262144);
  g_assert_cmpint (db->transport, ==, 0);
  g_assert_true (sec_webrtc_session_is_dtls_client (b.session));
  /* the answerer of a data m-line needs no new negotiation (it did, when
   * the transceiver made for the offer was recvonly) */
  g_assert_false (sec_webrtc_session_negotiation_needed (b.session));
  /* an answer without a=max-message-size: 64 KiB (RFC 8841 §6.1) */
  {
    gchar **parts = g_strsplit (answer, "a=max-message-size:262144\r\n", -1);

    g_free (answer);
    answer = g_strjoinv ("", parts);
    g_strfreev (parts);
  }
  apply_remote (&a, SEC_JSEP_SDP_ANSWER, answer, "0:bufrag0");
  g_assert_false (da->stopped);
  g_assert_cmpint (da->transport, ==, 0);
  g_assert_cmpuint (da->remote_sctp_port, ==, 5000);
  g_assert_cmpuint (da->remote_max_message_size, ==, 65536);
  g_assert_false (sec_webrtc_session_is_dtls_client (a.session));
  g_assert_false (sec_webrtc_session_negotiation_needed (a.session));

  /* renegotiation offered by the answerer: the old answerer stays the
   * DTLS client, so the new answerer writes passive */
  g_free (offer);
  g_free (answer);
  g_free (edited);
  offer = make_offer (&b, "0");
  apply_remote (&a, SEC_JSEP_SDP_OFFER, offer, "0:bufrag0");
  answer = make_answer (&a, "0");
  assert_attribute (answer, 0, "a=setup:", "passive");
  apply_remote (&b, SEC_JSEP_SDP_ANSWER, answer, "0:aufrag0");
  g_assert_true (sec_webrtc_session_is_dtls_client (b.session));
  g_assert_false (sec_webrtc_session_is_dtls_client (a.session));
  g_assert_true (sec_webrtc_session_is_ice_controlling (a.session));
  g_assert_false (sec_webrtc_session_is_ice_controlling (b.session));
  g_free (offer);
  g_free (answer);
  peer_clear (&a);
  peer_clear (&b);

  /* no data m-line that we can take: refused as having nothing usable */
  peer_init (&b, 'b', FALSE, 0, 0);
  g_assert_false (sec_webrtc_session_set_remote (b.session,
          SEC_JSEP_SDP_OFFER, "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n"
          "t=0 0\r\nm=application 9 UDP/DTLS/SCTP bfcp\r\n"
          "c=IN IP4 0.0.0.0\r\na=mid:0\r\na=ice-ufrag:abcd\r\n"
          "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=fingerprint:"
          FINGERPRINT_A "\r\na=setup:actpass\r\n", &plan, &error));
  g_assert_null (plan);
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_clear_error (&error);
  peer_clear (&b);
}

static void
test_data_with_media (void)
{
  Peer a, b;
  gchar *offer, *answer, *unbundled, *twice;
  SecWebRTCTransceiver *d;

  /* balanced, not bundled by the peer: data has a transport of its own */
  peer_init (&a, 'a', TRUE, 1, 0);
  peer_init (&b, 'b', TRUE, 0, 0);
  sec_webrtc_session_add_data (a.session);
  offer = make_offer (&a, "0 1");
  assert_attribute (offer, -1, "a=group:", "BUNDLE 0 1");
  unbundled = without_group (offer);
  apply_remote (&b, SEC_JSEP_SDP_OFFER, unbundled, "0:aufrag0 1:aufrag1");
  answer = make_answer (&b, "0 1");
  apply_remote (&a, SEC_JSEP_SDP_ANSWER, answer, "0:bufrag0 1:bufrag1");
  d = sec_webrtc_session_get_data (a.session);
  g_assert_cmpint (d->transport, ==, 1);
  g_assert_cmpint (sec_webrtc_session_get_data (b.session)->transport, ==, 1);
  g_free (offer);
  g_free (unbundled);
  g_free (answer);
  peer_clear (&a);
  peer_clear (&b);

  /* the answerer made a channel before the offer came: its data m-line
   * goes where the offer has one (audio first here) */
  peer_init (&a, 'a', FALSE, 1, 0);
  peer_init (&b, 'b', FALSE, 0, 0);
  sec_webrtc_session_add_data (a.session);
  sec_webrtc_session_add_data (b.session);
  offer = make_offer (&a, "0");
  /* a second data m-line in the offer: rejected, the first is used */
  twice = g_strconcat (offer, "m=application 9 UDP/DTLS/SCTP "
      "webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=bundle-only\r\n"
      "a=mid:9\r\na=sctp-port:5000\r\n", NULL);
  {
    gchar **parts = g_strsplit (twice, "a=group:BUNDLE 0 1", -1);

    g_free (twice);
    twice = g_strjoinv ("a=group:BUNDLE 0 1 9", parts);
    g_strfreev (parts);
  }
  apply_remote (&b, SEC_JSEP_SDP_OFFER, twice, "0:aufrag0");
  g_assert_cmpuint (sec_webrtc_session_get_n_transceivers (b.session), ==, 3);
  g_assert_true (sec_webrtc_session_get_transceiver (b.session, 1)->data);
  g_assert_false (sec_webrtc_session_get_transceiver (b.session, 2)->data);
  answer = make_answer (&b, "0");
  g_assert_true (strstr (answer, "m=application 9 UDP/DTLS/SCTP") != NULL);
  g_assert_true (strstr (answer, "m=application 0 UDP/DTLS/SCTP") != NULL);
  assert_attribute (answer, -1, "a=group:", "BUNDLE 0 1");
  g_assert_false (sec_webrtc_session_get_data (b.session)->stopped);
  g_assert_true (sec_webrtc_session_get_transceiver (b.session, 2)->stopped);
  g_free (offer);
  g_free (twice);
  g_free (answer);
  peer_clear (&a);
  peer_clear (&b);

  /* the answerer's data m-line, when the offer has none, waits after the
   * offer's m-lines: the next offer (its own) carries it */
  peer_init (&a, 'a', FALSE, 1, 0);
  peer_init (&b, 'b', FALSE, 0, 0);
  sec_webrtc_session_add_data (b.session);
  offer = make_offer (&a, "0");
  apply_remote (&b, SEC_JSEP_SDP_OFFER, offer, "0:aufrag0");
  g_assert_cmpuint (sec_webrtc_session_get_n_transceivers (b.session), ==, 2);
  g_assert_true (sec_webrtc_session_get_transceiver (b.session, 1)->data);
  answer = make_answer (&b, "0");
  g_assert_null (strstr (answer, "m=application"));
  apply_remote (&a, SEC_JSEP_SDP_ANSWER, answer, "0:bufrag0");
  g_assert_true (sec_webrtc_session_negotiation_needed (b.session));
  g_free (offer);
  g_free (answer);
  offer = make_offer (&b, "0");
  assert_attribute (offer, 1, "a=mid:", "1");
  assert_attribute (offer, -1, "a=group:", "BUNDLE 0 1");
  apply_remote (&a, SEC_JSEP_SDP_OFFER, offer, "0:bufrag0");
  g_assert_nonnull (sec_webrtc_session_get_data (a.session));
  answer = make_answer (&a, "0");
  apply_remote (&b, SEC_JSEP_SDP_ANSWER, answer, "0:aufrag0");
  g_assert_cmpint (sec_webrtc_session_get_data (b.session)->transport, ==, 0);
  g_assert_false (sec_webrtc_session_get_data (a.session)->stopped);
  g_free (offer);
  g_free (answer);
  peer_clear (&a);
  peer_clear (&b);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/webrtcsession/max-bundle", test_max_bundle);
  g_test_add_func ("/webrtcsession/balanced-bundled", test_balanced_bundled);
  g_test_add_func ("/webrtcsession/balanced-unbundled",
      test_balanced_unbundled);
  g_test_add_func ("/webrtcsession/balanced-bundle-only",
      test_balanced_bundle_only);
  g_test_add_func ("/webrtcsession/rollback-releases",
      test_rollback_releases);
  g_test_add_func ("/webrtcsession/data-only", test_data_only);
  g_test_add_func ("/webrtcsession/data-with-media", test_data_with_media);
  return g_test_run ();
}
