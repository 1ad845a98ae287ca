/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which m-line goes on which local transport, under the bundle policy
 * (RFC 8829 §4.1.1, RFC 8843), and what a remote description asks of
 * each transport: see session.h and docs/design/webrtc.md ("Transports
 * and the bundle policy").
 *
 * A local transport's id is the index of the m-line that carries its
 * attributes: 0 for max-bundle's one transport; with balanced, the first
 * m-line of each media kind in an offer of ours, or the owner of the
 * remote transport (its BUNDLE tag, or itself) in an answer.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "session-private.h"

#include <string.h>

#define GST_CAT_DEFAULT sec_webrtc_session_debug

static void
remote_transport_free (SecWebRTCRemoteTransport * transport)
{
  g_free (transport->ice_ufrag);
  if (transport->ice_pwd)
    memset (transport->ice_pwd, 0, strlen (transport->ice_pwd));
  g_free (transport->ice_pwd);
  g_free (transport->fingerprint);
  g_strfreev (transport->candidates);
  g_free (transport);
}

void
sec_webrtc_remote_plan_free (SecWebRTCRemotePlan * plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->transports);
  g_array_unref (plan->new_transceivers);
  g_free (plan);
}

static void
add_id (GArray * ids, gint id)
{
  guint k;

  for (k = 0; k < ids->len && g_array_index (ids, guint, k) != (guint) id;)
    k++;
  if (id >= 0 && k == ids->len)
    g_array_append_val (ids, id);
}

/* The transport of each m-line of our next offer (created_transport), and
 * which are bundle-only; returns the ids.
 *   max-bundle: every m-line on transport 0.
 *   balanced (RFC 8829 §4.1.1): an m-line keeps the transport of the last
 *   exchange; a new one goes into the current BUNDLE if there is one;
 *   otherwise the first m-line of each media kind gets a transport of its
 *   own (id: its index) and the others of the kind are bundle-only on it,
 *   so that an answerer that does not bundle rejects them. */
GArray *
sec_session_assign_offer (SecWebRTCSession * session, gboolean * bundle_only)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint));
  guint i, k;

  for (i = 0; i < session->transceivers->len; i++) {
    Transceiver *t = tr (session, i);
    gint id = -1;

    if (bundle_only)
      bundle_only[i] = FALSE;
    t->created_transport = -1;
    if (t->public.stopped)
      continue;
    if (!session->balanced)
      id = 0;
    else if (t->public.has_current && t->public.transport >= 0)
      id = t->public.transport;
    else if (session->bundle_transport >= 0)
      id = session->bundle_transport;
    else {
      for (k = 0; k < i && id < 0; k++) {
        Transceiver *o = tr (session, k);

        if (o->created_transport >= 0
            && g_strcmp0 (o->public.media, t->public.media) == 0)
          id = o->created_transport;
      }
      if (id >= 0 && bundle_only)
        bundle_only[i] = TRUE;
      else if (id < 0)
        id = i;
    }
    t->created_transport = id;
    add_id (ids, id);
  }
  return ids;
}

GArray *
sec_webrtc_session_get_offer_transports (SecWebRTCSession * session)
{
  return sec_session_assign_offer (session, NULL);
}

const SecWebRTCLocalTransport *
sec_session_local_transport (GHashTable * transports, gint id, GError ** error)
{
  const SecWebRTCLocalTransport *local = id < 0 ? NULL :
      g_hash_table_lookup (transports, GINT_TO_POINTER (id));

  if (local == NULL)
    g_set_error (error, SEC_WEBRTC_SESSION_ERROR,
        SEC_WEBRTC_SESSION_ERROR_INVALID, "no local transport %d", id);
  return local;
}

gboolean
sec_session_data_usable (const SecSdpMedia * m)
{
  guint k;

  if (m->rejected || m->proto != SEC_SDP_PROTO_DTLS_SCTP
      || m->kind != SEC_SDP_MEDIA_APPLICATION)
    return FALSE;
  for (k = 0; m->formats && m->formats[k]; k++)
    if (strcmp (m->formats[k], "webrtc-datachannel") == 0)
      return TRUE;
  return FALSE;
}

/* The (remote) transport of the first m-line that is not rejected (media
 * or data). */
gint
sec_session_main_transport (const SecSdpDescription * d)
{
  guint i;

  for (i = 0; i < d->media->len; i++) {
    const SecSdpMedia *m = g_ptr_array_index (d->media, i);

    if (!m->rejected && (m->proto == SEC_SDP_PROTO_DTLS_SRTP
            || sec_session_data_usable (m)))
      return m->transport_index;
  }
  return -1;
}

/* Audio or video over DTLS-SRTP, or data over DTLS/SCTP, not rejected. */
static gboolean
media_kind_usable (const SecSdpMedia * m)
{
  return (!m->rejected && m->proto == SEC_SDP_PROTO_DTLS_SRTP
      && (m->kind == SEC_SDP_MEDIA_AUDIO || m->kind == SEC_SDP_MEDIA_VIDEO))
      || sec_session_data_usable (m);
}

/* A remote transport (the index of the m-line that owns it) we use:
 * max-bundle, the first usable m-line's; balanced, the first usable
 * audio, video and data m-lines' (RFC 8829 §4.1.1:
 * "negotiate only one audio and video track on separate transports"
 * with a peer that does not bundle). */
static gboolean
remote_transport_used (SecWebRTCSession * session,
    const SecSdpDescription * d, guint remote_transport)
{
  gboolean seen_audio = FALSE, seen_video = FALSE, seen_data = FALSE;
  guint i;

  if (!session->balanced)
    return (gint) remote_transport == sec_session_main_transport (d);
  for (i = 0; i < d->media->len; i++) {
    const SecSdpMedia *m = g_ptr_array_index (d->media, i);
    gboolean *seen = m->kind == SEC_SDP_MEDIA_AUDIO ? &seen_audio :
        m->kind == SEC_SDP_MEDIA_VIDEO ? &seen_video : &seen_data;

    if (!media_kind_usable (m) || *seen)
      continue;
    *seen = TRUE;
    if (m->transport_index == remote_transport)
      return TRUE;
  }
  return FALSE;
}

gboolean
sec_session_media_usable (SecWebRTCSession * session,
    const SecSdpDescription * d,
    const SecSdpMedia * m)
{
  return media_kind_usable (m)
      && remote_transport_used (session, d, m->transport_index);
}

/* The local transport of m-line @i of a remote offer, -1 when we reject
 * it: 0 with max-bundle; with balanced the transport an m-line on the
 * same remote transport already has, else the remote owner's index. */
gint
sec_session_answer_transport (SecWebRTCSession * session,
    const SecSdpDescription * d,
    guint i)
{
  const SecSdpMedia *m = g_ptr_array_index (d->media, i);
  guint k;

  if (!sec_session_media_usable (session, d, m)
      || (i < session->transceivers->len && tr (session, i)->public.stopped))
    return -1;
  if (!session->balanced)
    return 0;
  for (k = 0; k < d->media->len && k < session->transceivers->len; k++) {
    const SecSdpMedia *o = g_ptr_array_index (d->media, k);
    const Transceiver *t = tr (session, k);

    if (media_kind_usable (o) && o->transport_index == m->transport_index
        && t->public.has_current && !t->public.stopped
        && t->public.transport >= 0)
      return t->public.transport;
  }
  return m->transport_index;
}

GArray *
sec_webrtc_session_get_answer_transports (SecWebRTCSession * session)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint));
  const SecSdpDescription *offer = session->pending_remote;
  guint i;

  for (i = 0; offer && i < offer->media->len; i++)
    add_id (ids, sec_session_answer_transport (session, offer, i));
  return ids;
}

/* The local transport m-line @i goes on after the peer's answer @d to our
 * offer, -1: stopped. The answer's transport for it is the one we offered
 * on its remote owner (the BUNDLE tag, or itself); two remote transports
 * cannot share one of ours (a bundle-only m-line the peer took unbundled:
 * RFC 8843 §6 says it must reject it). */
gint
sec_session_answered_transport (SecWebRTCSession * session,
    const SecSdpDescription * d,
    guint i)
{
  const SecSdpMedia *m = g_ptr_array_index (d->media, i);
  gint id;
  guint k;

  if (!sec_session_media_usable (session, d, m)
      || m->transport_index >= session->transceivers->len)
    return -1;
  id = tr (session, m->transport_index)->pending_transport;
  for (k = 0; k < i && id >= 0; k++) {
    const SecSdpMedia *o = g_ptr_array_index (d->media, k);

    if (sec_session_media_usable (session, d, o) && o->transport_index !=
        m->transport_index && o->transport_index <
        session->transceivers->len && tr (session,
            o->transport_index)->pending_transport == id) {
      GST_INFO ("m-line %u: the answer puts it on a transport of its own, "
          "but it was offered bundle-only: stopped", i);
      return -1;
    }
  }
  return id;
}

/* The transport of the current BUNDLE after an exchange with @answer
 * (its first group's tag), -1: none. */
gint
sec_session_bundle_transport (SecWebRTCSession * session,
    const SecSdpDescription * answer)
{
  guint i;

  gchar **mids;

  if (answer->bundle_groups->len == 0)
    return -1;
  /* the first m-line of the group we did not reject (our answer's tag) */
  mids = g_ptr_array_index (answer->bundle_groups, 0);
  for (; *mids; mids++) {
    for (i = 0; i < session->transceivers->len; i++) {
      const Transceiver *t = tr (session, i);

      if (g_strcmp0 (t->public.mid, *mids) == 0 && !t->public.stopped)
        return t->public.transport;
    }
  }
  return -1;
}

/* What applying @d asks of each local transport: the remote transport
 * of the m-lines on it. @offer: @d is a remote offer (we will answer
 * a=setup:active), else the answer to our pending offer. */
SecWebRTCRemotePlan *
sec_session_plan_new (SecWebRTCSession * session, const SecSdpDescription * d,
    gboolean offer)
{
  SecWebRTCRemotePlan *plan = g_new0 (SecWebRTCRemotePlan, 1);
  const SecSdpDescription *previous = session->remote;
  guint i, k;

  plan->new_transceivers = g_array_new (FALSE, FALSE, sizeof (guint));
  plan->transports = g_ptr_array_new_with_free_func ((GDestroyNotify)
      remote_transport_free);
  for (i = 0; i < d->media->len; i++) {
    const SecSdpMedia *m = g_ptr_array_index (d->media, i);
    gint id = offer ? sec_session_answer_transport (session, d, i) :
        sec_session_answered_transport (session, d, i);
    SecWebRTCRemoteTransport *rt;
    const SecSdpMedia *owner;

    for (k = 0; k < plan->transports->len; k++)
      if (((SecWebRTCRemoteTransport *) g_ptr_array_index (plan->transports,
                  k))->id == (guint) id)
        break;
    if (id < 0 || k < plan->transports->len)
      continue;
    owner = g_ptr_array_index (d->media, m->transport_index);
    rt = g_new0 (SecWebRTCRemoteTransport, 1);
    rt->id = id;
    rt->ice_ufrag = g_strdup (owner->ice_ufrag);
    rt->ice_pwd = g_strdup (owner->ice_pwd);
    rt->fingerprint = g_strdup (owner->fingerprints[0]);
    rt->candidates = g_strdupv (owner->candidates);
    rt->end_of_candidates = owner->end_of_candidates;
    /* RFC 8842 §5.3: we answer active (§5.5: on a running association,
     * the role we have); an answerer's passive makes us the client */
    rt->dtls_client = offer ? (session->local_sdp == NULL
        || session->dtls_client) : owner->setup == SEC_SDP_SETUP_PASSIVE;
    /* new remote credentials on a transport that had some: ICE restart */
    for (k = 0; previous && k < previous->media->len
        && k < session->transceivers->len; k++) {
      const SecSdpMedia *p = g_ptr_array_index (previous->media, k);
      const Transceiver *t = tr (session, k);

      if (media_kind_usable (p) && t->public.has_current
          && t->public.transport == id) {
        rt->ice_restart = g_strcmp0 (p->ice_ufrag, owner->ice_ufrag) != 0
            || g_strcmp0 (p->ice_pwd, owner->ice_pwd) != 0;
        break;
      }
    }
    g_ptr_array_add (plan->transports, rt);
  }
  return plan;
}

GArray *
sec_webrtc_session_get_used_transports (SecWebRTCSession * session)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint));
  guint i;

  for (i = 0; i < session->transceivers->len; i++) {
    const Transceiver *t = tr (session, i);

    if (!t->public.stopped)
      add_id (ids, t->public.transport);
    if (session->jsep.state != SEC_JSEP_STATE_STABLE) {
      /* an offer of ours, or the remote offer we are answering */
      add_id (ids, t->pending_transport);
      add_id (ids, t->created_transport);
      if (session->pending_remote && i < session->pending_remote->media->len)
        add_id (ids, sec_session_answer_transport (session,
                session->pending_remote, i));
    }
  }
  return ids;
}

gint
sec_webrtc_session_get_candidate_transport (SecWebRTCSession * session,
    guint mline)
{
  const SecSdpDescription *offer = session->pending_remote;
  const SecSdpMedia *m;

  /* RFC 8843 §7.3.1, §10: the shared transport of a BUNDLE group is its
   * tagged m-line's; a candidate the peer gives for another m-line of
   * the group is for a transport of its own that the bundle discards
   * (a balanced offerer gathers one per m-line until the answer), so it
   * is ignored: paired with it, our checks would succeed on a port the
   * peer is about to close. */
  if (offer && mline < offer->media->len) {
    m = g_ptr_array_index (offer->media, mline);
    if (!m->rejected && m->transport_index != mline)
      return -1;
    return sec_session_answer_transport (session, offer, mline);
  }
  if (session->remote == NULL || mline >= session->transceivers->len
      || mline >= session->remote->media->len)
    return -1;
  m = g_ptr_array_index (session->remote->media, mline);
  if (m->rejected || m->transport_index != mline)
    return -1;
  if (mline >= session->transceivers->len
      || tr (session, mline)->public.stopped)
    return -1;
  return tr (session, mline)->public.transport;
}
