/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * srtp-call: the main job until the webrtc bin exists. Two peers in one
 * process, each its own pipeline, talk over UDP on loopback:
 *
 *   sender:   videotestsrc ! vp8enc ! rtpvp8pay ! rtpbin
 *               ! secsrtpenc (RTP and RTCP) ! udpsink x2
 *   receiver: udpsrc x2 ! secsrtpdec (RTP and RTCP) ! rtpbin
 *               ! rtpvp8depay ! vp8dec ! fakesink
 *
 * A fresh random key is made for every run and never printed. While the
 * call runs, a third party sends forged SRTP packets (a valid header of
 * the real stream, random payload and tag) to the receiver: they must be
 * dropped and counted, never decoded. At the end the program prints what
 * was protected, authenticated and delivered, and exits non-zero if the
 * call did not work or a forgery got through.
 *
 * Usage: srtp-call [--profile NAME] [--frames N] [--forgeries N]
 */
#include <gst/gst.h>
#include <gio/gio.h>
#include <sys/random.h>
#include <string.h>

#define SSRC 0x5ec0ffee

typedef struct
{
  GstElement *sender, *receiver;
  GstElement *enc, *dec;
  GMainLoop *loop;
  gint frames_decoded;
  gint sender_eos;              /* atomic: set from a streaming thread */
  gboolean failed;
  guint forgeries_sent;
  guint forgeries_left;
  gint last_seq;                /* atomic */
} Call;

static gboolean
bus_cb (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Call *call = user_data;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:{
      GError *err = NULL;
      gchar *dbg = NULL;

      gst_message_parse_error (msg, &err, &dbg);
      g_printerr ("error from %s: %s\n  %s\n", GST_OBJECT_NAME (msg->src),
          err->message, dbg ? dbg : "");
      g_clear_error (&err);
      g_free (dbg);
      call->failed = TRUE;
      g_main_loop_quit (call->loop);
      break;
    }
    default:
      break;
  }
  return TRUE;
}

static void
on_frame (GstElement * sink, GstBuffer * buf, GstPad * pad, gpointer data)
{
  Call *call = data;

  g_atomic_int_inc (&call->frames_decoded);
}

static guint64
stat_u64 (GstElement * e, const gchar * field)
{
  GstStructure *s = NULL;
  guint64 v = 0;

  g_object_get (e, "stats", &s, NULL);
  if (s) {
    gst_structure_get_uint64 (s, field, &v);
    gst_structure_free (s);
  }
  return v;
}

static guint64
stream_u64 (GstElement * e, const gchar * field)
{
  GstStructure *s = NULL;
  guint64 total = 0, v;
  const GValue *streams;
  guint i;

  g_object_get (e, "stats", &s, NULL);
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

static gchar *
stat_str (GstElement * e, const gchar * field)
{
  GstStructure *s = NULL;
  gchar *v = NULL;

  g_object_get (e, "stats", &s, NULL);
  if (s) {
    v = g_strdup (gst_structure_get_string (s, field));
    gst_structure_free (s);
  }
  return v;
}

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

/* A forged packet: the real stream's header (so it reaches the real
 * SSRC's context) with random payload and tag. */
static gboolean
send_forgery (gpointer user_data)
{
  Call *call = ((gpointer *) user_data)[0];
  GSocket *sock = ((gpointer *) user_data)[1];
  GSocketAddress *dest = ((gpointer *) user_data)[2];
  guint8 pkt[300];
  guint16 seq = (guint16) (g_atomic_int_get (&call->last_seq) + 1);

  if (call->forgeries_left == 0)
    return G_SOURCE_REMOVE;
  if (getrandom (pkt, sizeof (pkt), 0) != sizeof (pkt))
    return G_SOURCE_REMOVE;
  pkt[0] = 0x80;
  pkt[1] = 96;
  pkt[2] = seq >> 8;
  pkt[3] = seq & 0xff;
  GST_WRITE_UINT32_BE (pkt + 8, SSRC);
  if (g_socket_send_to (sock, dest, (gchar *) pkt, sizeof (pkt), NULL,
          NULL) == sizeof (pkt)) {
    call->forgeries_sent++;
    call->forgeries_left--;
  }
  return G_SOURCE_CONTINUE;
}

static GstPadProbeReturn
note_seq (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Call *call = user_data;
  GstBuffer *buf = NULL;
  guint8 hdr[4];

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS)
      g_atomic_int_set (&call->sender_eos, TRUE);
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
    g_atomic_int_set (&call->last_seq, GST_READ_UINT16_BE (hdr + 2));
  return GST_PAD_PROBE_OK;
}

static gboolean
check_done (gpointer user_data)
{
  Call *call = user_data;
  static guint64 last_count = G_MAXUINT64;
  static gint quiet_ticks = 0;
  guint64 count;

  if (!g_atomic_int_get (&call->sender_eos) || call->forgeries_left > 0)
    return G_SOURCE_CONTINUE;
  /* the sender is done: wait until the receiver has seen everything
   * in flight (no new packet for 500 ms) */
  count = stat_u64 (call->dec, "packets-unprotected");
  if (count == last_count)
    quiet_ticks++;
  else
    quiet_ticks = 0;
  last_count = count;
  if (quiet_ticks >= 5)
    g_main_loop_quit (call->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
overall_timeout (gpointer user_data)
{
  Call *call = user_data;

  g_printerr ("the call did not finish in time\n");
  call->failed = TRUE;
  g_main_loop_quit (call->loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  gchar *profile = NULL;
  gint frames = 90, forgeries = 20;
  GOptionEntry entries[] = {
    {"profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
        "SRTP profile (aes128-cm-sha1-80, aes128-cm-sha1-32, "
          "aead-aes-128-gcm, aead-aes-256-gcm)", "NAME"},
    {"frames", 'n', 0, G_OPTION_ARG_INT, &frames, "Video frames to send",
        "N"},
    {"forgeries", 0, 0, G_OPTION_ARG_INT, &forgeries,
        "Forged packets a third party injects", "N"},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("- a secure SRTP call on "
      "loopback");
  GError *err = NULL;
  Call call = { 0, };
  guint8 key_bytes[44];
  gsize key_len;
  GstBuffer *key;
  GSocket *rtp_sock, *rtcp_sock, *attacker;
  guint16 rtp_port, rtcp_port;
  gchar *desc;
  GstElement *fakesink, *pay;
  GstPad *pay_src;
  GstBus *bus;
  gpointer forge_args[3];
  GInetAddress *lo;
  GSocketAddress *dest;
  guint64 enc_rtp, enc_rtcp, dec_rtp, dec_rtcp, auth_fail, replays;
  gchar *backend;
  int status = 0;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("%s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  if (profile == NULL)
    profile = g_strdup ("aead-aes-128-gcm");
  key_len = g_str_has_prefix (profile, "aes128") ? 30 :
      g_str_equal (profile, "aead-aes-128-gcm") ? 28 : 44;

  /* a fresh key for this call, from the kernel's CSPRNG; never printed */
  if (getrandom (key_bytes, key_len, 0) != (gssize) key_len)
    g_error ("getrandom failed");
  key = gst_buffer_new_memdup (key_bytes, key_len);
  explicit_bzero (key_bytes, sizeof (key_bytes));

  rtp_sock = bind_loopback (&rtp_port);
  rtcp_sock = bind_loopback (&rtcp_port);

  desc = g_strdup_printf ("rtpbin name=rb "
      "videotestsrc num-buffers=%d is-live=true pattern=ball "
      "! video/x-raw,width=320,height=240,framerate=30/1 "
      "! vp8enc deadline=1 target-bitrate=600000 "
      "! rtpvp8pay name=pay mtu=1200 pt=96 ssrc=%u ! rb.send_rtp_sink_0 "
      "secsrtpenc name=enc profile=%s "
      "rb.send_rtp_src_0 ! enc.rtp_sink_0 "
      "enc.rtp_src_0 ! udpsink host=127.0.0.1 port=%u sync=false async=false "
      "rb.send_rtcp_src_0 ! enc.rtcp_sink_0 "
      "enc.rtcp_src_0 ! udpsink host=127.0.0.1 port=%u sync=false async=false",
      frames, SSRC, profile, rtp_port, rtcp_port);
  call.sender = gst_parse_launch (desc, &err);
  g_free (desc);
  if (call.sender == NULL)
    g_error ("sender pipeline: %s", err->message);

  desc = g_strdup_printf ("rtpbin name=rb latency=200 "
      "secsrtpdec name=dec profile=%s "
      "udpsrc name=rtpsrc caps=\"application/x-srtp,media=video,"
      "clock-rate=90000,encoding-name=VP8,payload=96\" ! dec.rtp_sink_0 "
      "dec.rtp_src_0 ! rb.recv_rtp_sink_0 "
      "udpsrc name=rtcpsrc caps=application/x-srtcp ! dec.rtcp_sink_0 "
      "dec.rtcp_src_0 ! rb.recv_rtcp_sink_0 "
      "rb. ! rtpvp8depay ! vp8dec ! fakesink name=frames sync=false "
      "signal-handoffs=true", profile);
  call.receiver = gst_parse_launch (desc, &err);
  g_free (desc);
  if (call.receiver == NULL)
    g_error ("receiver pipeline: %s", err->message);

  call.enc = gst_bin_get_by_name (GST_BIN (call.sender), "enc");
  call.dec = gst_bin_get_by_name (GST_BIN (call.receiver), "dec");
  g_object_set (call.enc, "key", key, NULL);
  g_object_set (call.dec, "key", key, NULL);
  gst_buffer_unref (key);
  {
    GstElement *src = gst_bin_get_by_name (GST_BIN (call.receiver), "rtpsrc");
    g_object_set (src, "socket", rtp_sock, NULL);
    gst_object_unref (src);
    src = gst_bin_get_by_name (GST_BIN (call.receiver), "rtcpsrc");
    g_object_set (src, "socket", rtcp_sock, NULL);
    gst_object_unref (src);
  }
  fakesink = gst_bin_get_by_name (GST_BIN (call.receiver), "frames");
  g_signal_connect (fakesink, "handoff", G_CALLBACK (on_frame), &call);
  gst_object_unref (fakesink);
  pay = gst_bin_get_by_name (GST_BIN (call.sender), "pay");
  pay_src = gst_element_get_static_pad (pay, "src");
  gst_pad_add_probe (pay_src, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      note_seq, &call, NULL);
  gst_object_unref (pay_src);
  gst_object_unref (pay);

  call.loop = g_main_loop_new (NULL, FALSE);
  bus = gst_element_get_bus (call.sender);
  gst_bus_add_watch (bus, bus_cb, &call);
  gst_object_unref (bus);
  bus = gst_element_get_bus (call.receiver);
  gst_bus_add_watch (bus, bus_cb, &call);
  gst_object_unref (bus);

  /* the third party */
  attacker = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  dest = g_inet_socket_address_new (lo, rtp_port);
  call.forgeries_left = MAX (forgeries, 0);
  forge_args[0] = &call;
  forge_args[1] = attacker;
  forge_args[2] = dest;

  gst_element_set_state (call.receiver, GST_STATE_PLAYING);
  gst_element_set_state (call.sender, GST_STATE_PLAYING);
  g_timeout_add (MAX (1000 * frames / 30 / (MAX (forgeries, 1) + 1), 1),
      send_forgery, forge_args);
  g_timeout_add (100, check_done, &call);
  g_timeout_add_seconds (30 + frames / 30, overall_timeout, &call);
  g_main_loop_run (call.loop);

  gst_element_set_state (call.sender, GST_STATE_NULL);
  gst_element_set_state (call.receiver, GST_STATE_NULL);

  enc_rtp = stream_u64 (call.enc, "rtp-packets-protected");
  enc_rtcp = stream_u64 (call.enc, "rtcp-packets-protected");
  dec_rtp = stream_u64 (call.dec, "rtp-packets-unprotected");
  dec_rtcp = stream_u64 (call.dec, "rtcp-packets-unprotected");
  auth_fail = stat_u64 (call.dec, "auth-failures");
  replays = stat_u64 (call.dec, "replays-dropped");
  backend = stat_str (call.enc, "crypto-backend");

  g_print ("Secure SRTP call over UDP on loopback (%d video frames, "
      "VP8 320x240)\n", frames);
  g_print ("  profile:        %s (fresh random key, never printed)\n",
      profile);
  g_print ("  crypto backend: %s\n", backend ? backend : "?");
  g_print ("  protected:      %" G_GUINT64_FORMAT " RTP + %" G_GUINT64_FORMAT
      " RTCP packets (secsrtpenc)\n", enc_rtp, enc_rtcp);
  g_print ("  authenticated:  %" G_GUINT64_FORMAT " RTP + %" G_GUINT64_FORMAT
      " RTCP packets decrypted (secsrtpdec)\n", dec_rtp, dec_rtcp);
  g_print ("  forged:         %u injected by a third party, %" G_GUINT64_FORMAT
      " dropped as authentication failures, %" G_GUINT64_FORMAT
      " replays\n", call.forgeries_sent, auth_fail, replays);
  g_print ("  delivered:      %d decoded frames of %d sent\n",
      g_atomic_int_get (&call.frames_decoded), frames);

  if (call.failed) {
    status = 1;
  } else if (dec_rtp + dec_rtcp > enc_rtp + enc_rtcp) {
    g_printerr ("FAIL: more packets authenticated than were protected\n");
    status = 1;
  } else if (auth_fail != call.forgeries_sent) {
    g_printerr ("FAIL: %u forgeries sent but %" G_GUINT64_FORMAT
        " authentication failures counted\n", call.forgeries_sent, auth_fail);
    status = 1;
  } else if (g_atomic_int_get (&call.frames_decoded) < frames * 9 / 10
      || dec_rtp == 0 || dec_rtcp == 0) {
    g_printerr ("FAIL: too little media arrived\n");
    status = 1;
  } else {
    g_print ("OK: every packet on the wire was encrypted and authenticated; "
        "every forgery was dropped\n");
  }

  g_free (backend);
  g_free (profile);
  g_object_unref (dest);
  g_object_unref (lo);
  g_object_unref (attacker);
  g_object_unref (rtp_sock);
  g_object_unref (rtcp_sock);
  gst_object_unref (call.enc);
  gst_object_unref (call.dec);
  gst_object_unref (call.sender);
  gst_object_unref (call.receiver);
  g_main_loop_unref (call.loop);
  return status;
}
