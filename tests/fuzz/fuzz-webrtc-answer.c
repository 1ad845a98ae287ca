/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: a remote offer, as bytes from the peer, through the
 * negotiation model (gst/webrtc/session.c, sessiontransports.c) under
 * each bundle policy: set-remote-description(offer), the transports the
 * answer needs, create-answer, set-local-description(answer), then the
 * lookups the bin makes while media flows (candidates, payload types,
 * routing). Whatever the input: no crash; an error has a message; an
 * answer is valid SDP that our own check accepts as an answer, on the
 * transports it asked for, with no group the offer did not have.
 *
 * The first byte picks the bundle policy and how many transceivers of
 * ours exist before the offer (they are matched to its m-lines).
 */
#include "sdpcheck.h"
#include "session.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

#define FINGERPRINT "sha-256 " \
  "4B:67:87:95:6C:66:40:33:25:29:A7:E7:6D:BA:27:E8:" \
  "DE:54:B1:3C:20:B7:00:F8:09:A0:C5:15:32:CF:4A:EB"

static void
check_error (GError * error)
{
  if (error == NULL || error->message == NULL || error->message[0] == '\0'
      || !g_utf8_validate (error->message, -1, NULL))
    abort ();
  g_error_free (error);
}

static void
local_free (SecWebRTCLocalTransport * local)
{
  g_free ((gchar *) local->ice_ufrag);
  g_free ((gchar *) local->ice_pwd);
  g_free (local);
}

static GHashTable *
make_transports (GArray * ids)
{
  GHashTable *table = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) local_free);
  guint i;

  for (i = 0; i < ids->len; i++) {
    guint id = g_array_index (ids, guint, i);
    SecWebRTCLocalTransport *local = g_new0 (SecWebRTCLocalTransport, 1);

    local->ice_ufrag = g_strdup_printf ("ufrag%u", id);
    local->ice_pwd = g_strdup_printf ("passwordpasswordpassword%u", id);
    local->fingerprint = FINGERPRINT;
    g_hash_table_insert (table, GUINT_TO_POINTER (id), local);
  }
  return table;
}

static gboolean
has_id (GArray * ids, gint id)
{
  guint i;

  for (i = 0; i < ids->len; i++)
    if ((gint) g_array_index (ids, guint, i) == id)
      return TRUE;
  return FALSE;
}

static void
run (const gchar * text, gboolean balanced, guint n_ours)
{
  SecWebRTCSession *session = sec_webrtc_session_new ();
  SecWebRTCRemotePlan *plan = NULL;
  SecSdpDescription *offer, *answer;
  GHashTable *transports;
  GError *error = NULL;
  GArray *ids, *used;
  gchar *sdp;
  guint i, n;

  sec_webrtc_session_set_balanced (session, balanced);
  for (i = 0; i < n_ours; i++)
    sec_webrtc_session_add_transceiver (session, i % 2 ? "video" : "audio",
        SEC_SDP_DIRECTION_SENDRECV, NULL, NULL);
  if (!sec_webrtc_session_set_remote (session, SEC_JSEP_SDP_OFFER, text,
          &plan, &error)) {
    check_error (error);
    if (plan != NULL)
      abort ();
    sec_webrtc_session_free (session);
    return;
  }
  ids = sec_webrtc_session_get_answer_transports (session);
  /* what the plan asks of is what the answer uses */
  for (i = 0; i < plan->transports->len; i++) {
    SecWebRTCRemoteTransport *rt = g_ptr_array_index (plan->transports, i);

    if (!has_id (ids, rt->id) || rt->ice_ufrag == NULL
        || rt->ice_pwd == NULL || rt->fingerprint == NULL)
      abort ();
  }
  sec_webrtc_remote_plan_free (plan);
  transports = make_transports (ids);
  sdp = sec_webrtc_session_create_answer (session, transports, &error);
  if (sdp == NULL) {
    check_error (error);
  } else {
    offer = sec_sdp_check (text, -1, SEC_SDP_TYPE_OFFER, NULL);
    answer = sec_sdp_check (sdp, -1, SEC_SDP_TYPE_ANSWER, &error);
    /* our answer passes our own check, m-line for m-line */
    if (answer == NULL || offer == NULL
        || answer->media->len != offer->media->len)
      abort ();
    if (offer->bundle_groups->len == 0 && answer->bundle_groups->len != 0)
      abort ();
    sec_sdp_description_free (offer);
    sec_sdp_description_free (answer);
    if (!sec_webrtc_session_set_local (session, SEC_JSEP_SDP_ANSWER, NULL,
            &error))
      check_error (error);
    g_free (sdp);
  }
  used = sec_webrtc_session_get_used_transports (session);
  n = sec_webrtc_session_get_n_transceivers (session);
  for (i = 0; i < n; i++) {
    SecWebRTCTransceiver *t = sec_webrtc_session_get_transceiver (session, i);
    gint id = sec_webrtc_session_get_candidate_transport (session, i);

    if (!t->stopped && t->has_current && !has_id (used, t->transport))
      abort ();
    if (id >= 0 && !has_id (ids, id))
      abort ();
    if (t->transport >= 0) {
      GstCaps *caps = sec_webrtc_session_get_pt_caps (session, t->transport,
          96 + i);

      if (caps)
        gst_caps_unref (caps);
      sec_webrtc_session_route (session, t->transport, t->mid, 1234, 96);
    }
  }
  sec_webrtc_session_get_candidate_transport (session, n + 3);
  g_array_unref (used);
  g_array_unref (ids);
  g_hash_table_unref (transports);
  sec_webrtc_session_free (session);
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  static gboolean initialized;
  gchar *text;

  if (!initialized) {
    gst_init (NULL, NULL);
    initialized = TRUE;
  }
  if (size < 1 || size > 64 * 1024)
    return 0;
  text = g_strndup ((const gchar *) data + 1, size - 1);
  run (text, data[0] & 1, (data[0] >> 1) % 4);
  g_free (text);
  return 0;
}
