/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secsrtpenc
 * @title: secsrtpenc
 *
 * Protects RTP and RTCP packets with SRTP (RFC 3711) using libsrtp2, with
 * AES-CM/HMAC-SHA1 (RFC 5764) or AES-GCM (RFC 7714). There is no null
 * cipher and no null authentication: every packet that leaves is
 * encrypted and authenticated, and a packet that cannot be is dropped and
 * counted. Request `rtp_sink_N` (or `rtcp_sink_N`) and the matching
 * `rtp_src_N` appears. New SSRCs are protected with the same key without
 * reconfiguration. Packets are protected in place when the buffer is
 * writable and has room for the tag (the element asks upstream for that
 * room in the allocation query); buffer lists are processed as lists.
 *
 * Keys are single-use (RFC 3711 §9.1: one key must never protect two
 * packets with the same SSRC and index). Set #GstSecSrtpEnc:profile
 * before #GstSecSrtpEnc:key, or both in one g_object_set() with the
 * profile first: the profile only takes effect with the next key, and
 * the two replace the live ones in one step, between two packets. The
 * key is wiped when the element goes to READY, so a restarted element
 * needs a new key, as at its first start (from DTLS, that is a new
 * handshake). Setting the live key again changes nothing; a key this
 * element used before is refused with an error ("An SRTP key was used
 * twice.") and the element then drops packets until it gets a new key.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 audiotestsrc ! opusenc ! rtpopuspay ! \
 *   secsrtpenc key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d ! \
 *   udpsink host=127.0.0.1 port=5004
 * ]| Protects an Opus RTP stream with aes128-cm-sha1-80 and sends it; the
 * secsrtpdec example receives it (tests/examples/srtp-udp.sh runs the
 * two, on a free port instead of 5004).
 * (A key written on a command line is for testing only.)
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecsrtpenc.h"

GST_DEBUG_CATEGORY_STATIC (gst_sec_srtp_enc_debug);
#define GST_CAT_DEFAULT gst_sec_srtp_enc_debug

enum
{
  PROP_0,
  PROP_STATS,
};

struct _GstSecSrtpEnc
{
  GstSecSrtpBase parent;
};

G_DEFINE_TYPE_WITH_CODE (GstSecSrtpEnc, gst_sec_srtp_enc,
    GST_TYPE_SEC_SRTP_BASE,
    GST_DEBUG_CATEGORY_INIT (gst_sec_srtp_enc_debug, "secsrtpenc", 0,
        "SRTP encoder"));
GST_ELEMENT_REGISTER_DEFINE (secsrtpenc, "secsrtpenc", GST_RANK_NONE,
    GST_TYPE_SEC_SRTP_ENC);

static void gst_sec_srtp_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);

static void
gst_sec_srtp_enc_class_init (GstSecSrtpEncClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstSecSrtpBaseClass *base_class = GST_SEC_SRTP_BASE_CLASS (klass);

  gobject_class->get_property = gst_sec_srtp_enc_get_property;

  base_class->direction = SEC_SRTP_DIRECTION_PROTECT;
  base_class->rtp_out_caps = "application/x-srtp";
  base_class->rtcp_out_caps = "application/x-srtcp";
  base_class->stats_name = "application/x-secsrtpenc-stats";
  base_class->verb = "protected";

  /**
   * GstSecSrtpEnc:stats:
   *
   * Crypto backend, profile, whether a key is set, packets-protected,
   * drops by reason (replays-dropped: a packet index already protected
   * under the key, refused so that no keystream protects two packets;
   * malformed-dropped, no-key-dropped, key-expired-dropped,
   * other-dropped) and, in `streams`, per-SSRC counters (packets, bytes,
   * replays-dropped). The encoder verifies nothing, so it has no
   * auth-failures (secsrtpdec has). Never keys.
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Crypto backend, profile, packets protected, drops by reason "
          "(replays-dropped: an index already protected under the key; "
          "malformed, no key, key expired, other) and per-SSRC counters "
          "(packets, bytes, replays-dropped); never keys",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_sec_srtp_base_install_pad_templates (element_class,
      "application/x-rtp", "application/x-srtp",
      "application/x-rtcp", "application/x-srtcp");
  gst_element_class_set_static_metadata (element_class,
      "SRTP encoder (gst-secwebrtc)", "Filter/Network/SRTP",
      "Protects RTP and RTCP with SRTP (libsrtp2; no null cipher or "
      "authentication)", "gst-secwebrtc developers");
}

static void
gst_sec_srtp_enc_init (GstSecSrtpEnc * self)
{
}

static void
gst_sec_srtp_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  switch (prop_id) {
    case PROP_STATS:
      g_value_take_boxed (value,
          gst_sec_srtp_base_get_stats (GST_SEC_SRTP_BASE (object)));
      break;
    default:
      G_OBJECT_CLASS (gst_sec_srtp_enc_parent_class)->get_property (object,
          prop_id, value, pspec);
      break;
  }
}
