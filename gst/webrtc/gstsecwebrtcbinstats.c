/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secwebrtcbin: get-stats (see gstsecwebrtcbin.c for the element). It
 * collects what the bin's parts know (the transport's ICE and DTLS
 * figures, rtpsession's source stats, the negotiated m-lines) and
 * stats.c turns it into W3C RTCStats (docs/design/webrtc.md,
 * "Statistics").
 *
 * Two records rtpsession does not keep are made here from the start:
 * the last counters of each source rtpsession removes (a quiet
 * retransmission stream, a paused one), so that the W3C counters keep
 * growing; and the RTCP NACK packets the bin sends, per stream
 * (rtpsession counts their entries, W3C the packets).
 *
 * rtpsession says a source will be removed (on-timeout, on-bye-timeout)
 * a little before it removes it. So the source object is kept, and its
 * final counters go into the history only once a snapshot of the
 * session's sources (taken with rtpsession's lock) no longer holds that
 * object: a source is then counted either in the snapshot or in the
 * history, never in both nor in neither.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecwebrtcbin-private.h"
#include "stats.h"

#include <gst/rtp/rtp.h>
#include <stdio.h>
#include <string.h>

#define GST_CAT_DEFAULT gst_sec_webrtc_bin_debug

/* The RTP session watched from the start (removed sources, NACK packets
 * sent): 0, the BUNDLE transport's (every max-bundle call, and a balanced
 * one whose peer bundled). The other transports of a balanced call with a
 * peer that does not bundle are reported from what their RTP session
 * holds when asked (docs/design/webrtc.md, "Statistics"). */
#define SESSION 0

/* The streams whose NACK packets are counted (the ones the bin receives;
 * past that, the others' count is unknown and left out). */
#define MAX_NACK_STREAMS 64

/* Removed sources waiting for get-stats (past that: the history is
 * incomplete, see stats.h) */
#define MAX_REMOVED 256

struct _GstSecWebRTCBinStats
{
  GstElement *rtpbin;           /* a reference, for the signal handlers */
  GObject *rtp_session;         /* rtpbin's RTPSession, a reference */

  GMutex lock;
  /* protected by lock */
  SecWebRTCStatsHistory *history;
  GPtrArray *removed;           /* RTPSource objects being removed */
  GHashTable *nack_packets;     /* media SSRC -> guint64 * */
  gboolean nack_streams_full;
};

/* --- records ------------------------------------------------------------- */

/* rtpsession's thread: a source is about to be removed; its counters go
 * into the history once it is gone (commit_removed). */
static void
on_source_removed (GObject * session, GObject * source,
    GstSecWebRTCBinStats * stats)
{
  (void) session;
  g_mutex_lock (&stats->lock);
  if (stats->removed->len < MAX_REMOVED)
    g_ptr_array_add (stats->removed, g_object_ref (source));
  else
    sec_webrtc_stats_history_add (stats->history, NULL);
  g_mutex_unlock (&stats->lock);
}

/* Called with stats->lock: the removed sources that @sources (a snapshot
 * of the session's) no longer holds go into the history with their final
 * counters. */
static void
commit_removed (GstSecWebRTCBinStats * stats, GValueArray * sources)
{
  guint i, k;

  for (i = 0; i < stats->removed->len;) {
    GObject *source = g_ptr_array_index (stats->removed, i);
    gboolean present = FALSE;

    G_GNUC_BEGIN_IGNORE_DEPRECATIONS;
    for (k = 0; sources && k < sources->n_values && !present; k++)
      present = g_value_get_object (&sources->values[k]) == source;
    G_GNUC_END_IGNORE_DEPRECATIONS;
    if (present) {
      i++;
    } else {
      GstStructure *source_stats = NULL;

      g_object_get (source, "stats", &source_stats, NULL);
      sec_webrtc_stats_history_add (stats->history, source_stats);
      if (source_stats)
        gst_structure_free (source_stats);
      g_ptr_array_remove_index (stats->removed, i);
    }
  }
}

static void
count_nacks (GstBuffer * buffer, GstSecWebRTCBinStats * stats)
{
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  gboolean more;

  if (!gst_rtcp_buffer_map (buffer, GST_MAP_READ, &rtcp))
    return;
  g_mutex_lock (&stats->lock);
  for (more = gst_rtcp_buffer_get_first_packet (&rtcp, &packet); more;
      more = gst_rtcp_packet_move_to_next (&packet)) {
    guint32 ssrc;
    guint64 *count;

    /* RFC 4585 §6.2.1: one Generic NACK packet names one media source */
    if (gst_rtcp_packet_get_type (&packet) != GST_RTCP_TYPE_RTPFB
        || gst_rtcp_packet_fb_get_type (&packet) != GST_RTCP_RTPFB_TYPE_NACK)
      continue;
    ssrc = gst_rtcp_packet_fb_get_media_ssrc (&packet);
    count = g_hash_table_lookup (stats->nack_packets,
        GUINT_TO_POINTER (ssrc));
    if (count == NULL) {
      if (g_hash_table_size (stats->nack_packets) >= MAX_NACK_STREAMS) {
        stats->nack_streams_full = TRUE;
        continue;
      }
      count = g_new0 (guint64, 1);
      g_hash_table_insert (stats->nack_packets, GUINT_TO_POINTER (ssrc),
          count);
    }
    (*count)++;
  }
  g_mutex_unlock (&stats->lock);
  gst_rtcp_buffer_unmap (&rtcp);
}

/* The RTCP rtpbin sends, on its way to the transport. */
static GstPadProbeReturn
sent_rtcp_probe (GstPad * pad, GstPadProbeInfo * info,
    GstSecWebRTCBinStats * stats)
{
  (void) pad;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    count_nacks (GST_PAD_PROBE_INFO_BUFFER (info), stats);
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);
    guint i;

    for (i = 0; i < gst_buffer_list_length (list); i++)
      count_nacks (gst_buffer_list_get (list, i), stats);
  }
  return GST_PAD_PROBE_OK;
}

/* rtpbin's send_rtcp_src pad appears when the transport is linked. */
static void
on_rtpbin_pad_added (GstElement * rtpbin, GstPad * pad,
    GstSecWebRTCBinStats * stats)
{
  (void) rtpbin;
  if (GST_PAD_DIRECTION (pad) == GST_PAD_SRC
      && g_strcmp0 (GST_PAD_NAME (pad), "send_rtcp_src_0") == 0)
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_BUFFER_LIST,
        (GstPadProbeCallback) sent_rtcp_probe, stats, NULL);
}

/* -1: not known */
static gint64
nack_packets_sent (GstSecWebRTCBinStats * stats, guint32 ssrc)
{
  guint64 *count;
  gint64 value = -1;

  g_mutex_lock (&stats->lock);
  count = g_hash_table_lookup (stats->nack_packets, GUINT_TO_POINTER (ssrc));
  if (count && *count <= G_MAXINT64)
    value = (gint64) * count;
  else if (count == NULL && !stats->nack_streams_full)
    value = 0;
  g_mutex_unlock (&stats->lock);
  return value;
}

void
gst_sec_webrtc_bin_stats_init (GstSecWebRTCBin * self)
{
  GstSecWebRTCBinStats *stats;
  GstElement *session = NULL;

  if (self->media == NULL)
    return;
  stats = g_new0 (GstSecWebRTCBinStats, 1);
  g_mutex_init (&stats->lock);
  stats->history = sec_webrtc_stats_history_new ();
  stats->removed = g_ptr_array_new_with_free_func (g_object_unref);
  stats->nack_packets = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  stats->rtpbin = gst_object_ref (sec_webrtc_media_get_rtpbin (self->media));

  /* the session exists: the sending side was requested with rtpbin */
  g_signal_emit_by_name (stats->rtpbin, "get-session", SESSION, &session);
  g_signal_emit_by_name (stats->rtpbin, "get-internal-session", SESSION,
      &stats->rtp_session);
  if (session) {
    /* RFC 3550 Appendix A.1's probation (a source counts from its second
     * packet in sequence) guards sessions anybody can send into; here
     * every packet passed SRTP authentication with the verified peer's
     * keys. Without it the counts start at a stream's first packet: with
     * it rtpsession counted the held packet but not in the expected
     * ones, and reported one packet lost less than RFC 3550 §6.4.1 says
     * (-1 for a stream without loss). */
    g_object_set (session, "probation", 0, NULL);
    gst_object_unref (session);
  }
  if (stats->rtp_session) {
    g_signal_connect (stats->rtp_session, "on-timeout",
        G_CALLBACK (on_source_removed), stats);
    g_signal_connect (stats->rtp_session, "on-bye-timeout",
        G_CALLBACK (on_source_removed), stats);
  }
  g_signal_connect (stats->rtpbin, "pad-added",
      G_CALLBACK (on_rtpbin_pad_added), stats);
  self->stats = stats;
}

void
gst_sec_webrtc_bin_stats_free (GstSecWebRTCBin * self)
{
  GstSecWebRTCBinStats *stats = self->stats;

  if (stats == NULL)
    return;
  if (stats->rtp_session) {
    g_signal_handlers_disconnect_by_data (stats->rtp_session, stats);
    g_object_unref (stats->rtp_session);
  }
  g_signal_handlers_disconnect_by_data (stats->rtpbin, stats);
  gst_object_unref (stats->rtpbin);
  sec_webrtc_stats_history_free (stats->history);
  g_ptr_array_unref (stats->removed);
  g_hash_table_unref (stats->nack_packets);
  g_mutex_clear (&stats->lock);
  g_free (stats);
  self->stats = NULL;
}

/* --- collecting ---------------------------------------------------------- */

static SecWebRTCCodec *
codec_for_pt (const GPtrArray * codecs, guint pt)
{
  guint i;

  for (i = 0; codecs && i < codecs->len; i++) {
    const SecWebRTCCodec *codec = g_ptr_array_index (codecs, i);

    if (codec->payload_type == (gint) pt
        && codec->kind != SEC_WEBRTC_CODEC_UNKNOWN)
      return sec_webrtc_codec_copy (codec);
  }
  return NULL;
}

/* The stream a src_%u ghost pad delivers: rtpbin's
 * recv_rtp_src_<session>_<ssrc>_<pt> behind it. */
static gboolean
delivered_stream (GstPad * ghost, guint transport, guint32 * ssrc,
    guint * pt)
{
  GstPad *target = gst_ghost_pad_get_target (GST_GHOST_PAD (ghost));
  guint session, ssrc_value, pt_value;
  gchar tail;
  gboolean ok;

  if (target == NULL)
    return FALSE;
  ok = sscanf (GST_PAD_NAME (target), "recv_rtp_src_%u_%u_%u%c", &session,
      &ssrc_value, &pt_value, &tail) == 3 && session == transport
      && pt_value <= 127;
  gst_object_unref (target);
  if (ok) {
    *ssrc = ssrc_value;
    *pt = pt_value;
  }
  return ok;
}

/* Called with the negotiation lock: what the m-lines negotiated. */
/* @first: also the m-lines on no transport (not negotiated, stopped). */
static void
collect_mlines (GstSecWebRTCBin * self, SecWebRTCStatsInput * in,
    gboolean first)
{
  guint i, n = sec_webrtc_session_get_n_transceivers (self->session);

  for (i = 0; i < n; i++) {
    SecWebRTCTransceiver *t = sec_webrtc_session_get_transceiver
        (self->session, i);
    SecWebRTCStatsMLine *m = sec_webrtc_stats_input_add_mline (in, i);
    MLinePads *pads = i < self->pads->len ?
        &g_array_index (self->pads, MLinePads, i) : NULL;
    guint pt;
    guint32 ssrc;

    if (t->transport >= 0 ? t->transport != (gint) in->transport : !first) {
      g_array_set_size (in->mlines, in->mlines->len - 1);
      continue;
    }
    m->mid = g_strdup (t->mid);
    m->kind = g_strdup (t->media);
    /* what our packets carry now (webrtcmedia.c writes it in) */
    if (self->media && sec_webrtc_media_get_sender (self->media, i, &pt,
            &ssrc)) {
      m->ssrc = ssrc;
      m->send_codec = codec_for_pt (t->negotiated, pt);
      /* RTX as the bin configured it (RFC 4588 §8.6: our FID SSRC) */
      if (t->negotiated && sec_webrtc_codecs_find_rtx (t->negotiated, pt))
        m->rtx_ssrc = t->rtx_ssrc;
    }
    if (pads && pads->srcpad && delivered_stream (pads->srcpad,
            in->transport, &ssrc, &pt)) {
      m->received_ssrc = ssrc;
      m->receive_codec = codec_for_pt (t->negotiated, pt);
      m->receive_rtx = t->negotiated
          && sec_webrtc_codecs_find_rtx (t->negotiated, pt) != NULL;
      m->received_rtx_ssrc = sec_webrtc_session_get_remote_rtx_ssrc
          (self->session, i, ssrc);
    }
  }
  /* RFC 8445 §6.1.1: the role the first completed exchange gave */
  if (sec_webrtc_session_get_local_sdp (self->session)
      && sec_webrtc_session_get_remote_sdp (self->session))
    in->ice_controlling =
        sec_webrtc_session_is_ice_controlling (self->session) ? 1 : 0;
}

/* Called with the negotiation lock: the m-line and direction of @pad,
 * FALSE when it is not a pad of this bin's m-lines. */
static gboolean
select_pad (GstSecWebRTCBin * self, GstPad * pad, gint * mline,
    SecWebRTCStatsStreams * streams)
{
  guint i;

  for (i = 0; i < self->pads->len; i++) {
    MLinePads *pads = &g_array_index (self->pads, MLinePads, i);

    if (pad == pads->sinkpad || pad == pads->srcpad) {
      *mline = (gint) i;
      *streams = pad == pads->sinkpad ? SEC_WEBRTC_STATS_OUTBOUND :
          SEC_WEBRTC_STATS_INBOUND;
      return TRUE;
    }
  }
  for (i = 0; i < self->pending_sinkpads->len; i++) {
    if (pad == g_ptr_array_index (self->pending_sinkpads, i)) {
      /* no m-line yet: nothing sent */
      *mline = -1;
      *streams = 0;
      return TRUE;
    }
  }
  return FALSE;
}

static void
collect_transport (GstSecWebRTCTransport * transport,
    SecWebRTCStatsInput * in)
{
  GstStructure *dtls = NULL, *enc = NULL, *dec = NULL;

  in->have_transport = TRUE;
  in->ice_state = gst_sec_webrtc_transport_get_ice_state (transport);
  in->dtls_state = gst_sec_webrtc_transport_get_dtls_state (transport);
  gst_sec_webrtc_transport_get_stats (transport, &in->ice_stats, &dtls, &enc,
      &dec);
  in->selected_pair = gst_sec_webrtc_transport_get_selected_pair (transport);
  in->local_candidates =
      gst_sec_webrtc_transport_get_local_candidates (transport);
  in->remote_candidates =
      gst_sec_webrtc_transport_get_remote_candidates (transport);
  in->dtls_info = gst_sec_webrtc_transport_get_dtls_info (transport);
  in->local_fingerprint =
      gst_sec_webrtc_transport_get_local_fingerprint (transport);
  if (dtls)
    gst_structure_free (dtls);
  if (enc)
    gst_structure_free (enc);
  if (dec)
    gst_structure_free (dec);
}

/* rtpsession's source stats, in the form of its "stats" property, from
 * @sources (RTPSource objects) */
static GstStructure *
session_stats (GValueArray * sources)
{
  GstStructure *session = gst_structure_new_empty
      ("application/x-rtp-session-stats");
  GValue array = G_VALUE_INIT;
  guint i;

  g_value_init (&array, GST_TYPE_ARRAY);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS;
  for (i = 0; sources && i < sources->n_values; i++) {
    GObject *source = g_value_get_object (&sources->values[i]);
    GstStructure *source_stats = NULL;
    GValue v = G_VALUE_INIT;

    if (source)
      g_object_get (source, "stats", &source_stats, NULL);
    if (source_stats == NULL)
      continue;
    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, source_stats);
    gst_value_array_append_and_take_value (&array, &v);
  }
  G_GNUC_END_IGNORE_DEPRECATIONS;
  gst_structure_take_value (session, "source-stats", &array);
  return session;
}

/* What the RTP session of @in's transport holds; session 0's with what
 * was recorded from the start (removed sources, NACK packets sent). */
static void
collect_rtp (GstSecWebRTCBin * self, SecWebRTCStatsInput * in)
{
  GstSecWebRTCBinStats *stats = self->stats;
  GValueArray *sources = NULL;
  GObject *rtp_session = NULL;
  guint i;

  if (stats == NULL)
    return;
  if (in->transport == SESSION)
    rtp_session = stats->rtp_session ? g_object_ref (stats->rtp_session) :
        NULL;
  else
    g_signal_emit_by_name (stats->rtpbin, "get-internal-session",
        in->transport, &rtp_session);
  if (rtp_session == NULL)
    return;
  /* one snapshot of the session's sources (RTPSession takes its lock) */
  g_object_get (rtp_session, "sources", &sources, NULL);
  in->rtp_stats = session_stats (sources);
  if (in->transport == SESSION) {
    g_mutex_lock (&stats->lock);
    commit_removed (stats, sources);
    in->rtp_history = sec_webrtc_stats_history_copy (stats->history);
    g_mutex_unlock (&stats->lock);
    for (i = 0; i < in->mlines->len; i++) {
      SecWebRTCStatsMLine *m = &g_array_index (in->mlines,
          SecWebRTCStatsMLine, i);

      if (m->received_ssrc)
        m->nack_packets_sent = nack_packets_sent (stats, m->received_ssrc);
    }
  }
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS;
  if (sources)
    g_value_array_free (sources);
  G_GNUC_END_IGNORE_DEPRECATIONS;
  g_object_unref (rtp_session);
}

static void
unref_transport (gpointer transport)
{
  if (transport)
    gst_object_unref (transport);
}

static gboolean
merge_field (GQuark field, const GValue * value, gpointer user_data)
{
  gst_structure_id_set_value (user_data, field, value);
  return TRUE;
}

/* --- stats --------------------------------------------------------------- */

void
gst_sec_webrtc_bin_get_stats (GstSecWebRTCBin * self, GstPad * pad,
    GstPromise * promise)
{
  SecWebRTCStatsStreams streams = SEC_WEBRTC_STATS_ALL;
  GPtrArray *transports = NULL;
  GArray *inputs;
  gint only_mline = -1;
  GstStructure *reply = NULL;
  guint i;

  g_rec_mutex_lock (&self->lock);
  if (pad && !select_pad (self, pad, &only_mline, &streams)) {
    GError *error;

    g_rec_mutex_unlock (&self->lock);
    /* W3C getStats: a selector of another connection is refused */
    error = g_error_new (SEC_WEBRTC_SESSION_ERROR,
        SEC_WEBRTC_SESSION_ERROR_INVALID, "get-stats: pad %s is not a sink "
        "or src pad of %s", GST_PAD_NAME (pad), GST_OBJECT_NAME (self));
    GST_INFO_OBJECT (self, "%s", error->message);
    gst_promise_reply (promise, gst_structure_new ("application/x-gst-promise",
            "error", G_TYPE_ERROR, error, NULL));
    g_error_free (error);
    return;
  }
  /* one input per transport (none yet: one for transport 0, with the
   * m-lines and no transport), each with the m-lines on it */
  transports = g_ptr_array_new_with_free_func (unref_transport);
  inputs = g_array_new (FALSE, TRUE, sizeof (SecWebRTCStatsInput));
  g_array_set_size (inputs, MAX (self->transports->len, 1));
  for (i = 0; i < inputs->len; i++) {
    SecWebRTCStatsInput *in = &g_array_index (inputs, SecWebRTCStatsInput, i);
    GstSecWebRTCBinTransport *entry = i < self->transports->len ?
        g_ptr_array_index (self->transports, i) : NULL;

    sec_webrtc_stats_input_init (in);
    in->timestamp = g_get_real_time () / 1000.0;
    in->transport = entry ? entry->id : SESSION;
    collect_mlines (self, in, i == 0);
    g_ptr_array_add (transports, entry ? gst_object_ref (entry->transport) :
        NULL);
  }
  g_rec_mutex_unlock (&self->lock);

  /* the elements are asked without the negotiation lock (rtpbin calls
   * into the bin with its own locks held) */
  for (i = 0; i < inputs->len; i++) {
    SecWebRTCStatsInput *in = &g_array_index (inputs, SecWebRTCStatsInput, i);
    GstSecWebRTCTransport *transport = g_ptr_array_index (transports, i);
    GstStructure *part;

    if (transport) {
      collect_transport (transport, in);
      gst_sec_webrtc_transport_get_sctp_stats (transport, &in->sctp_stats);
    }
    collect_rtp (self, in);
    part = sec_webrtc_stats_build (in, only_mline, streams);
    sec_webrtc_stats_input_clear (in);
    if (reply == NULL) {
      reply = part;
    } else {
      /* ids are unique across transports (stats.h) */
      gst_structure_foreach (part, merge_field, reply);
      gst_structure_free (part);
    }
  }
  g_array_unref (inputs);
  g_ptr_array_unref (transports);
  gst_promise_reply (promise, reply);
}
