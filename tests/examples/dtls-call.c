/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dtls-call: the main job until the webrtc bin exists. A secure video
 * call between two peers in one process, each its own pipeline, over UDP
 * on loopback, keyed by DTLS-SRTP (RFC 5764):
 *
 *   each peer: videotestsrc ! vp8enc ! rtpvp8pay ! rtpbin
 *                ! secsrtpenc (RTP and RTCP) ! udpsink x2     (to the other)
 *              udpsrc x2 ! secsrtpdec (RTP and RTCP) ! rtpbin
 *                ! rtpvp8depay ! vp8dec ! fakesink           (from the other)
 *              udpsrc ! secdtlsdec    secdtlsenc ! udpsink  (DTLS, own ports)
 *
 * Each DTLS association makes its own ECDSA P-256 certificate. The
 * program plays the signaling channel: it reads each peer's
 * local-fingerprint and gives it to the other as peer-fingerprint, as an
 * SDP offer and answer would (a=fingerprint). The caller is the DTLS
 * client. When the handshake has verified both certificates, each
 * secdtlsdec hands the negotiated SRTP profile and the exported keys to
 * the secsrtpenc/secsrtpdec named by srtp-encoder/srtp-decoder (started
 * with wait-for-key=true) and posts dtls-connected; only then does the
 * video start. Keys are never printed.
 *
 * There is no RFC 7983 demux element yet, so DTLS travels on UDP ports
 * of its own, apart from SRTP and SRTCP.
 *
 * While the call runs, a third party sends forged SRTP packets (a valid
 * header of the real stream, random payload and tag) to both peers: they
 * must be dropped and counted, never decoded. At the end the caller
 * closes the association (close_notify) and the program prints what was
 * negotiated, protected, authenticated and delivered; it exits non-zero
 * if the handshake failed, too little media arrived or a forgery got
 * through.
 *
 * Usage: dtls-call [--profile NAME] [--frames N] [--forgeries N]
 */
#include <gst/gst.h>
#include <gio/gio.h>
#include <sys/random.h>
#include <string.h>

#define CALLER 0
#define CALLEE 1

typedef struct _Call Call;

typedef struct
{
  Call *call;
  const gchar *name;            /* "caller" or "callee" */
  gboolean is_client;
  guint32 ssrc;                 /* of the video this peer sends */

  GstElement *pipeline;
  GstElement *dtls_enc, *dtls_dec, *srtp_enc, *srtp_dec, *video_src;
  GstElement *depay;

  /* receive sockets, bound on 127.0.0.1 by us and given to udpsrc */
  GSocket *dtls_sock, *rtp_sock, *rtcp_sock;
  guint16 dtls_port, rtp_port, rtcp_port;

  gchar *local_fingerprint;     /* read from the element before the call */
  gchar *signaled_fingerprint;  /* the other peer's, set as peer-fingerprint */
  GstStructure *connected;      /* the dtls-connected message, main thread */

  gint frames_decoded;          /* atomic: counted in a streaming thread */
  gint sending_eos;             /* atomic */
  gint last_seq;                /* atomic */
  guint forgeries_sent;
} Peer;

struct _Call
{
  Peer peer[2];
  GMainLoop *loop;
  gint frames;
  gchar *profile;               /* --profile, or NULL for the defaults */
  gboolean failed;
  gboolean media_started;
  gboolean closing;
  gint64 start_us, connected_us;

  GSocket *attacker;
  guint forgeries_left;
  guint next_target;

  guint64 last_unprotected;
  gint quiet_ticks;
  gint close_ticks;
};

/* --- helpers ------------------------------------------------------------ */

static GSocket *
bind_loopback (guint16 * port)
{
  GError *err = NULL;
  GSocket *sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, &err);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, 0);
  GSocketAddress *bound;

  if (sock == NULL || !g_socket_bind (sock, addr, FALSE, &err))
    g_error ("cannot bind a UDP socket on 127.0.0.1: %s", err->message);
  bound = g_socket_get_local_address (sock, NULL);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_object_unref (bound);
  g_object_unref (addr);
  g_object_unref (lo);
  return sock;
}

static GstStructure *
get_stats (GstElement * e)
{
  GstStructure *s = NULL;

  g_object_get (e, "stats", &s, NULL);
  return s;
}

static guint64
stat_u64 (GstElement * e, const gchar * field)
{
  GstStructure *s = get_stats (e);
  guint64 v = 0;

  if (s) {
    gst_structure_get_uint64 (s, field, &v);
    gst_structure_free (s);
  }
  return v;
}

static gchar *
stat_str (GstElement * e, const gchar * field)
{
  GstStructure *s = get_stats (e);
  gchar *v = NULL;

  if (s) {
    v = g_strdup (gst_structure_get_string (s, field));
    gst_structure_free (s);
  }
  return v;
}

/* the sum of a per-SSRC counter of a secsrtpenc/secsrtpdec */
static guint64
stream_u64 (GstElement * e, const gchar * field)
{
  GstStructure *s = get_stats (e);
  guint64 total = 0, v;
  const GValue *streams;
  guint i;

  if (s == NULL)
    return 0;
  streams = gst_structure_get_value (s, "streams");
  for (i = 0; streams && i < gst_value_array_get_size (streams); i++) {
    const GstStructure *st =
        gst_value_get_structure (gst_value_array_get_value (streams, i));
    if (gst_structure_get_uint64 (st, field, &v))
      total += v;
  }
  gst_structure_free (s);
  return total;
}

static const gchar *
connection_state (GstElement * dtls)
{
  GEnumClass *klass;
  GEnumValue *value;
  gint state = 0;
  GParamSpec *pspec =
      g_object_class_find_property (G_OBJECT_GET_CLASS (dtls),
      "connection-state");

  g_object_get (dtls, "connection-state", &state, NULL);
  klass = g_type_class_peek (pspec->value_type);
  value = g_enum_get_value (klass, state);
  return value ? value->value_nick : "?";
}

static void
fail (Call * call, const gchar * why)
{
  g_printerr ("FAIL: %s\n", why);
  call->failed = TRUE;
  g_main_loop_quit (call->loop);
}

/* --- the peers -------------------------------------------------------- */

static GstElement *
get (Peer * peer, const gchar * name)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (peer->pipeline), name);

  g_assert (e != NULL);
  return e;
}

static void
set_socket (Peer * peer, const gchar * name, GSocket * sock)
{
  GstElement *src = get (peer, name);

  g_object_set (src, "socket", sock, NULL);
  gst_object_unref (src);
}

static void
on_frame (GstElement * sink, GstBuffer * buf, GstPad * pad, gpointer data)
{
  Peer *peer = data;

  g_atomic_int_inc (&peer->frames_decoded);
}

/* rtpbin makes recv_rtp_src_0_SSRC_PT when the other peer's video
 * arrives: that is what we decode */
static void
on_rtpbin_pad (GstElement * rtpbin, GstPad * pad, gpointer data)
{
  Peer *peer = data;
  GstPad *sink;

  if (!g_str_has_prefix (GST_PAD_NAME (pad), "recv_rtp_src_"))
    return;
  sink = gst_element_get_static_pad (peer->depay, "sink");
  if (!gst_pad_is_linked (sink) && gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    g_printerr ("%s: cannot link %s to the depayloader\n", peer->name,
        GST_PAD_NAME (pad));
  gst_object_unref (sink);
}

/* Note the last sequence number this peer sent (the third party forges
 * the next one) and when its video ends. */
static GstPadProbeReturn
note_seq (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Peer *peer = user_data;
  GstBuffer *buf = NULL;
  guint8 hdr[4];

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS)
      g_atomic_int_set (&peer->sending_eos, TRUE);
    return GST_PAD_PROBE_OK;
  }
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);
    guint n = gst_buffer_list_length (list);

    if (n > 0)
      buf = gst_buffer_list_get (list, n - 1);
  } else {
    buf = GST_PAD_PROBE_INFO_BUFFER (info);
  }
  if (buf && gst_buffer_extract (buf, 0, hdr, 4) == 4)
    g_atomic_int_set (&peer->last_seq, GST_READ_UINT16_BE (hdr + 2));
  return GST_PAD_PROBE_OK;
}

static void
peer_build (Peer * peer, Peer * other, gint frames, const gchar * pattern)
{
  GError *err = NULL;
  GstElement *e;
  GstPad *pad;
  gchar *desc;

  desc = g_strdup_printf ("rtpbin name=rb latency=200 "
      /* the video this peer sends */
      "videotestsrc name=video num-buffers=%d is-live=true pattern=%s "
      "! video/x-raw,width=320,height=240,framerate=30/1 "
      "! vp8enc deadline=1 target-bitrate=600000 "
      "! rtpvp8pay name=pay mtu=1200 pt=96 ssrc=%u ! rb.send_rtp_sink_0 "
      "secsrtpenc name=srtpenc wait-for-key=true "
      "rb.send_rtp_src_0 ! srtpenc.rtp_sink_0 "
      "srtpenc.rtp_src_0 ! udpsink host=127.0.0.1 port=%u "
      "sync=false async=false "
      "rb.send_rtcp_src_0 ! srtpenc.rtcp_sink_0 "
      "srtpenc.rtcp_src_0 ! udpsink host=127.0.0.1 port=%u "
      "sync=false async=false "
      /* the video this peer receives */
      "secsrtpdec name=srtpdec wait-for-key=true "
      "udpsrc name=rtpsrc caps=\"application/x-srtp,media=video,"
      "clock-rate=90000,encoding-name=VP8,payload=96\" ! srtpdec.rtp_sink_0 "
      "srtpdec.rtp_src_0 ! rb.recv_rtp_sink_0 "
      "udpsrc name=rtcpsrc caps=application/x-srtcp ! srtpdec.rtcp_sink_0 "
      "srtpdec.rtcp_src_0 ! rb.recv_rtcp_sink_0 "
      "rtpvp8depay name=depay ! vp8dec "
      "! fakesink name=frames sync=false async=false signal-handoffs=true "
      /* DTLS on ports of its own: it keys the SRTP elements above */
      "udpsrc name=dtlssrc ! secdtlsdec name=dtlsdec connection-id=%s "
      "srtp-encoder=srtpenc srtp-decoder=srtpdec "
      "! fakesink sync=false async=false "
      "secdtlsenc name=dtlsenc connection-id=%s is-client=%s "
      "! udpsink host=127.0.0.1 port=%u sync=false async=false",
      frames, pattern, peer->ssrc, other->rtp_port, other->rtcp_port,
      peer->name, peer->name, peer->is_client ? "true" : "false",
      other->dtls_port);
  peer->pipeline = gst_parse_launch (desc, &err);
  g_free (desc);
  if (peer->pipeline == NULL)
    g_error ("%s pipeline: %s", peer->name, err->message);

  peer->dtls_enc = get (peer, "dtlsenc");
  peer->dtls_dec = get (peer, "dtlsdec");
  peer->srtp_enc = get (peer, "srtpenc");
  peer->srtp_dec = get (peer, "srtpdec");
  peer->video_src = get (peer, "video");
  peer->depay = get (peer, "depay");
  set_socket (peer, "dtlssrc", peer->dtls_sock);
  set_socket (peer, "rtpsrc", peer->rtp_sock);
  set_socket (peer, "rtcpsrc", peer->rtcp_sock);

  /* the video starts when both peers have their keys */
  gst_element_set_locked_state (peer->video_src, TRUE);

  e = get (peer, "rb");
  g_signal_connect (e, "pad-added", G_CALLBACK (on_rtpbin_pad), peer);
  gst_object_unref (e);
  e = get (peer, "frames");
  g_signal_connect (e, "handoff", G_CALLBACK (on_frame), peer);
  gst_object_unref (e);
  e = get (peer, "pay");
  pad = gst_element_get_static_pad (e, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      note_seq, peer, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);

  /* each association has made its own certificate: its fingerprint is
   * what this peer's SDP would carry in a=fingerprint */
  g_object_get (peer->dtls_dec, "local-fingerprint", &peer->local_fingerprint,
      NULL);
  if (peer->local_fingerprint == NULL)
    g_error ("%s: no local fingerprint", peer->name);
}

static void
peer_free (Peer * peer)
{
  gst_clear_structure (&peer->connected);
  g_free (peer->local_fingerprint);
  g_free (peer->signaled_fingerprint);
  gst_object_unref (peer->dtls_enc);
  gst_object_unref (peer->dtls_dec);
  gst_object_unref (peer->srtp_enc);
  gst_object_unref (peer->srtp_dec);
  gst_object_unref (peer->video_src);
  gst_object_unref (peer->depay);
  gst_object_unref (peer->pipeline);
  g_object_unref (peer->dtls_sock);
  g_object_unref (peer->rtp_sock);
  g_object_unref (peer->rtcp_sock);
}

/* --- what was negotiated ------------------------------------------------ */

static gboolean
print_negotiated (Call * call)
{
  gboolean ok = TRUE;
  guint i;

  g_print ("DTLS handshake complete, %.1f ms after start; negotiated:\n",
      (call->connected_us - call->start_us) / 1000.0);
  for (i = 0; i < 2; i++) {
    Peer *peer = &call->peer[i];
    const GstStructure *s = peer->connected;
    const gchar *verified = gst_structure_get_string (s, "peer-fingerprint");
    const gchar *profile = gst_structure_get_string (s, "srtp-profile");
    gboolean is_client = FALSE;
    gchar *enc_profile = stat_str (peer->srtp_enc, "profile");
    gchar *dec_profile = stat_str (peer->srtp_dec, "profile");

    gst_structure_get_boolean (s, "is-client", &is_client);
    g_print ("  %s: DTLS %s (connection-id %s)\n", peer->name,
        is_client ? "client" : "server",
        gst_structure_get_string (s, "connection-id"));
    g_print ("    DTLS version:      %s\n",
        gst_structure_get_string (s, "dtls-version"));
    g_print ("    cipher suite:      %s\n",
        gst_structure_get_string (s, "cipher-suite"));
    g_print ("    SRTP profile:      %s (keys exported to secsrtpenc and "
        "secsrtpdec, never printed)\n", profile ? profile : "none");
    g_print ("    local fingerprint: %s\n",
        gst_structure_get_string (s, "local-fingerprint"));
    g_print ("    peer fingerprint:  %s (%s)\n", verified,
        g_strcmp0 (verified, peer->signaled_fingerprint) == 0 ?
        "verified, matches signaling" : "DOES NOT MATCH signaling");
    g_print ("    SAS:               %s (the same on both sides, or someone "
        "is in the middle)\n", GST_STR_NULL (gst_structure_get_string (s,
                "sas")));

    if (g_strcmp0 (gst_structure_get_string (s, "sas"),
            gst_structure_get_string (call->peer[1 - i].connected,
                "sas")) != 0 || gst_structure_get_string (s, "sas") == NULL) {
      g_printerr ("FAIL: the two sides' short authentication strings "
          "differ\n");
      ok = FALSE;
    }
    if (is_client != peer->is_client) {
      g_printerr ("FAIL: %s has the wrong DTLS role\n", peer->name);
      ok = FALSE;
    }
    if (g_strcmp0 (verified, peer->signaled_fingerprint) != 0) {
      g_printerr ("FAIL: %s verified %s, signaling said %s\n", peer->name,
          verified, peer->signaled_fingerprint);
      ok = FALSE;
    }
    if (profile == NULL || g_strcmp0 (enc_profile, profile) != 0
        || g_strcmp0 (dec_profile, profile) != 0) {
      g_printerr ("FAIL: %s negotiated SRTP profile %s but its secsrtpenc "
          "uses %s and its secsrtpdec %s\n", peer->name,
          GST_STR_NULL (profile), GST_STR_NULL (enc_profile),
          GST_STR_NULL (dec_profile));
      ok = FALSE;
    }
    if (call->profile && g_strcmp0 (profile, call->profile) != 0) {
      g_printerr ("FAIL: %s negotiated %s, --profile asked for %s\n",
          peer->name, GST_STR_NULL (profile), call->profile);
      ok = FALSE;
    }
    g_free (enc_profile);
    g_free (dec_profile);
  }
  if (g_strcmp0 (gst_structure_get_string (call->peer[0].connected,
              "srtp-profile"), gst_structure_get_string (call->peer[1].
              connected, "srtp-profile")) != 0) {
    g_printerr ("FAIL: the peers disagree on the SRTP profile\n");
    ok = FALSE;
  }
  return ok;
}

/* --- the third party ---------------------------------------------------- */

/* A forged packet: the header of the stream a peer receives (so it
 * reaches the real SSRC's context), random payload and tag. The targets
 * alternate between the two peers. */
static gboolean
send_forgery (gpointer user_data)
{
  Call *call = user_data;
  Peer *target = &call->peer[call->next_target];
  Peer *sender = &call->peer[1 - call->next_target];
  guint16 seq = (guint16) (g_atomic_int_get (&sender->last_seq) + 1);
  GInetAddress *lo;
  GSocketAddress *dest;
  guint8 pkt[300];
  gssize sent;

  if (call->forgeries_left == 0)
    return G_SOURCE_REMOVE;
  if (getrandom (pkt, sizeof (pkt), 0) != sizeof (pkt))
    return G_SOURCE_REMOVE;
  pkt[0] = 0x80;
  pkt[1] = 96;
  pkt[2] = seq >> 8;
  pkt[3] = seq & 0xff;
  GST_WRITE_UINT32_BE (pkt + 8, sender->ssrc);
  lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  dest = g_inet_socket_address_new (lo, target->rtp_port);
  sent = g_socket_send_to (call->attacker, dest, (gchar *) pkt, sizeof (pkt),
      NULL, NULL);
  g_object_unref (dest);
  g_object_unref (lo);
  if (sent == sizeof (pkt)) {
    target->forgeries_sent++;
    call->forgeries_left--;
    call->next_target = 1 - call->next_target;
  }
  return G_SOURCE_CONTINUE;
}

/* --- the call ------------------------------------------------------------- */

static void
start_media (Call * call)
{
  guint i, forgeries = call->forgeries_left;

  call->media_started = TRUE;
  for (i = 0; i < 2; i++) {
    gst_element_set_locked_state (call->peer[i].video_src, FALSE);
    gst_element_sync_state_with_parent (call->peer[i].video_src);
  }
  g_timeout_add (MAX (1000 * call->frames / 30 / (MAX (forgeries, 1) + 1),
          1), send_forgery, call);
}

static void
print_error (Peer * peer, GstMessage * msg)
{
  GError *err = NULL;
  gchar *dbg = NULL;

  gst_message_parse_error (msg, &err, &dbg);
  g_printerr ("%s: error from %s: %s\n  %s\n", peer->name,
      GST_OBJECT_NAME (msg->src), err->message, dbg ? dbg : "");
  g_clear_error (&err);
  g_free (dbg);
}

/* an error posted while the main loop was not running */
static void
print_pending_error (Peer * peer)
{
  GstBus *bus = gst_element_get_bus (peer->pipeline);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  if (msg) {
    print_error (peer, msg);
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
}

static gboolean
bus_cb (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Peer *peer = user_data;
  Call *call = peer->call;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:{
      print_error (peer, msg);
      call->failed = TRUE;
      g_main_loop_quit (call->loop);
      break;
    }
    case GST_MESSAGE_ELEMENT:{
      const GstStructure *s = gst_message_get_structure (msg);

      if (!gst_structure_has_name (s, "dtls-connected")
          || GST_MESSAGE_SRC (msg) != GST_OBJECT (peer->dtls_dec)
          || peer->connected)
        break;
      peer->connected = gst_structure_copy (s);
      if (call->peer[0].connected && call->peer[1].connected) {
        call->connected_us = g_get_monotonic_time ();
        if (!print_negotiated (call))
          fail (call, "the handshake did not give what was asked for");
        else
          start_media (call);
      }
      break;
    }
    default:
      break;
  }
  return TRUE;
}

static gboolean
check_done (gpointer user_data)
{
  Call *call = user_data;
  guint64 count;

  if (call->closing) {
    /* the caller sent close_notify: the callee's association closes */
    if (g_str_equal (connection_state (call->peer[CALLEE].dtls_dec),
            "closed") || ++call->close_ticks >= 20) {
      g_main_loop_quit (call->loop);
      return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
  }
  if (!call->media_started || call->forgeries_left > 0
      || !g_atomic_int_get (&call->peer[0].sending_eos)
      || !g_atomic_int_get (&call->peer[1].sending_eos))
    return G_SOURCE_CONTINUE;
  /* both have sent everything: wait until what is in flight has arrived
   * (no new packet for 500 ms) */
  count = stat_u64 (call->peer[0].srtp_dec, "packets-unprotected") +
      stat_u64 (call->peer[1].srtp_dec, "packets-unprotected");
  if (count == call->last_unprotected)
    call->quiet_ticks++;
  else
    call->quiet_ticks = 0;
  call->last_unprotected = count;
  if (call->quiet_ticks >= 5) {
    /* hang up: EOS on the caller's secdtlsenc sends close_notify */
    call->closing = TRUE;
    gst_element_send_event (call->peer[CALLER].dtls_enc, gst_event_new_eos ());
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
overall_timeout (gpointer user_data)
{
  Call *call = user_data;

  fail (call, call->media_started ? "the call did not finish in time" :
      "the DTLS handshake did not complete in time");
  return G_SOURCE_REMOVE;
}

/* the counters of one direction: from's secsrtpenc to to's secsrtpdec */
static gboolean
report_direction (Call * call, Peer * from, Peer * to)
{
  guint64 enc_rtp = stream_u64 (from->srtp_enc, "rtp-packets-protected");
  guint64 enc_rtcp = stream_u64 (from->srtp_enc, "rtcp-packets-protected");
  guint64 dec_rtp = stream_u64 (to->srtp_dec, "rtp-packets-unprotected");
  guint64 dec_rtcp = stream_u64 (to->srtp_dec, "rtcp-packets-unprotected");
  guint64 auth_fail = stat_u64 (to->srtp_dec, "auth-failures");
  guint64 replays = stat_u64 (to->srtp_dec, "replays-dropped");
  guint64 no_key = stat_u64 (to->srtp_dec, "no-key-dropped");
  gint decoded = g_atomic_int_get (&to->frames_decoded);
  gboolean ok = TRUE;

  g_print ("  %s -> %s:\n", from->name, to->name);
  g_print ("    protected:     %" G_GUINT64_FORMAT " RTP + %" G_GUINT64_FORMAT
      " RTCP packets (%s's secsrtpenc)\n", enc_rtp, enc_rtcp, from->name);
  g_print ("    authenticated: %" G_GUINT64_FORMAT " RTP + %" G_GUINT64_FORMAT
      " RTCP packets decrypted (%s's secsrtpdec; %" G_GUINT64_FORMAT
      " dropped before the key)\n", dec_rtp, dec_rtcp, to->name, no_key);
  g_print ("    forged:        %u injected by a third party, %"
      G_GUINT64_FORMAT " dropped (%" G_GUINT64_FORMAT " failed "
      "authentication, %" G_GUINT64_FORMAT " replayed a received sequence "
      "number)\n", to->forgeries_sent, auth_fail + replays, auth_fail,
      replays);
  g_print ("    delivered:     %d decoded frames of %d sent\n", decoded,
      call->frames);

  if (dec_rtp + dec_rtcp > enc_rtp + enc_rtcp) {
    g_printerr ("FAIL: %s authenticated more packets than %s protected\n",
        to->name, from->name);
    ok = FALSE;
  }
  /* a forgery is dropped either way: as a replay when the sequence
   * number it copied has been received already (checked before the tag),
   * else as an authentication failure; genuine packets on loopback are
   * neither, so each forgery is counted exactly once */
  if (auth_fail + replays != to->forgeries_sent) {
    g_printerr ("FAIL: %u forgeries sent to %s but %" G_GUINT64_FORMAT
        " dropped (%" G_GUINT64_FORMAT " authentication failures, %"
        G_GUINT64_FORMAT " replays)\n", to->forgeries_sent, to->name,
        auth_fail + replays, auth_fail, replays);
    ok = FALSE;
  }
  if (decoded < call->frames * 9 / 10 || dec_rtp == 0 || dec_rtcp == 0) {
    g_printerr ("FAIL: too little media arrived at %s\n", to->name);
    ok = FALSE;
  }
  return ok;
}

int
main (int argc, char **argv)
{
  gint frames = 90, forgeries = 20;
  gchar *profile = NULL;
  GOptionEntry entries[] = {
    {"profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
          "The only SRTP profile the caller (DTLS client) offers: "
          "aead-aes-256-gcm, aead-aes-128-gcm, aes128-cm-sha1-80 or "
          "aes128-cm-sha1-32 (default: the first three, in that order of "
          "preference)", "NAME"},
    {"frames", 'n', 0, G_OPTION_ARG_INT, &frames,
        "Video frames each peer sends (default: 90)", "N"},
    {"forgeries", 0, 0, G_OPTION_ARG_INT, &forgeries,
        "Forged packets a third party injects (default: 20)", "N"},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("- a secure DTLS-SRTP call "
      "on loopback");
  GError *err = NULL;
  Call call = { 0, };
  gchar *backend;
  const gchar *caller_state, *callee_state;
  gboolean ok;
  guint i;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("%s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  if (frames < 1 || forgeries < 0) {
    g_printerr ("--frames must be at least 1, --forgeries at least 0\n");
    return 2;
  }
  call.frames = frames;
  call.profile = profile;
  call.forgeries_left = forgeries;
  call.loop = g_main_loop_new (NULL, FALSE);

  call.peer[CALLER].name = "caller";
  call.peer[CALLER].is_client = TRUE;
  call.peer[CALLER].ssrc = 0x5ec0ca11;
  call.peer[CALLEE].name = "callee";
  call.peer[CALLEE].is_client = FALSE;
  call.peer[CALLEE].ssrc = 0x5ec0ffee;
  for (i = 0; i < 2; i++) {
    Peer *peer = &call.peer[i];

    peer->call = &call;
    peer->dtls_sock = bind_loopback (&peer->dtls_port);
    peer->rtp_sock = bind_loopback (&peer->rtp_port);
    peer->rtcp_sock = bind_loopback (&peer->rtcp_port);
  }
  peer_build (&call.peer[CALLER], &call.peer[CALLEE], frames, "ball");
  peer_build (&call.peer[CALLEE], &call.peer[CALLER], frames, "smpte");

  /* signaling, in process: each peer learns the other's fingerprint */
  for (i = 0; i < 2; i++) {
    Peer *peer = &call.peer[i], *other = &call.peer[1 - i];

    peer->signaled_fingerprint = g_strdup (other->local_fingerprint);
    g_object_set (peer->dtls_dec, "peer-fingerprint",
        peer->signaled_fingerprint, NULL);
  }
  /* --profile: the caller offers that profile only; the callee, as an
   * answerer would, accepts any of the four (aes128-cm-sha1-32 is not in
   * the default list) */
  if (profile) {
    g_object_set (call.peer[CALLER].dtls_dec, "srtp-profiles", profile, NULL);
    g_object_set (call.peer[CALLEE].dtls_dec, "srtp-profiles",
        "aead-aes-256-gcm,aead-aes-128-gcm,aes128-cm-sha1-80,"
        "aes128-cm-sha1-32", NULL);
  }

  g_print ("Secure DTLS-SRTP call over UDP on loopback (%d video frames "
      "each way, VP8 320x240)\n", frames);
  g_print ("  signaling: fingerprints exchanged in process, as a=fingerprint "
      "in SDP; the caller is the DTLS client\n");
  g_print ("  ports:     DTLS %u <-> %u, SRTP/SRTCP %u/%u <-> %u/%u "
      "(no RFC 7983 demux yet)\n", call.peer[CALLER].dtls_port,
      call.peer[CALLEE].dtls_port, call.peer[CALLER].rtp_port,
      call.peer[CALLER].rtcp_port, call.peer[CALLEE].rtp_port,
      call.peer[CALLEE].rtcp_port);

  call.attacker = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  for (i = 0; i < 2; i++) {
    GstBus *bus = gst_element_get_bus (call.peer[i].pipeline);

    gst_bus_add_watch (bus, bus_cb, &call.peer[i]);
    gst_object_unref (bus);
  }

  call.start_us = g_get_monotonic_time ();
  /* the callee (DTLS server) first, so the ClientHello finds it listening;
   * the order does not matter otherwise: DTLS retransmits */
  if (gst_element_set_state (call.peer[CALLEE].pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE
      || gst_element_set_state (call.peer[CALLER].pipeline,
          GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    g_printerr ("FAIL: a pipeline did not start\n");
    for (i = 0; i < 2; i++)
      print_pending_error (&call.peer[i]);
    call.failed = TRUE;
  } else {
    g_timeout_add (100, check_done, &call);
    g_timeout_add_seconds (30 + frames / 30, overall_timeout, &call);
    g_main_loop_run (call.loop);
  }

  caller_state = connection_state (call.peer[CALLER].dtls_dec);
  callee_state = connection_state (call.peer[CALLEE].dtls_dec);
  for (i = 0; i < 2; i++) {
    /* the video source is still locked when the call never started */
    gst_element_set_locked_state (call.peer[i].video_src, FALSE);
    gst_element_set_state (call.peer[i].pipeline, GST_STATE_NULL);
  }

  ok = !call.failed;
  if (call.media_started) {
    backend = stat_str (call.peer[CALLER].srtp_enc, "crypto-backend");
    g_print ("Call summary (crypto backend: %s)\n", backend ? backend : "?");
    g_free (backend);
    ok &= report_direction (&call, &call.peer[CALLER], &call.peer[CALLEE]);
    ok &= report_direction (&call, &call.peer[CALLEE], &call.peer[CALLER]);
    g_print ("  hang-up:       the caller sent close_notify; DTLS state: "
        "caller %s, callee %s\n", caller_state, callee_state);
    if (!g_str_equal (callee_state, "closed")) {
      g_printerr ("FAIL: the callee's association did not close\n");
      ok = FALSE;
    }
  } else {
    ok = FALSE;
  }

  if (ok)
    g_print ("OK: both certificates verified against signaling; every "
        "packet on the wire was encrypted and authenticated with "
        "DTLS-exported keys; every forgery was dropped\n");
  else if (!call.media_started)
    g_printerr ("FAIL: no secure call was established (see above)\n");
  else if (!call.failed)
    g_printerr ("FAIL: the call did not work as it should (see above)\n");

  g_object_unref (call.attacker);
  for (i = 0; i < 2; i++)
    peer_free (&call.peer[i]);
  g_main_loop_unref (call.loop);
  g_free (profile);
  return ok ? 0 : 1;
}
