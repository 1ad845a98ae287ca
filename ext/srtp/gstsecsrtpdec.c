/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secsrtpdec
 * @title: secsrtpdec
 *
 * Verifies and decrypts SRTP and SRTCP packets (RFC 3711, RFC 5764,
 * RFC 7714) using libsrtp2. Only packets whose authentication tag verifies
 * and whose index is new go downstream; the others are dropped and counted
 * in #GstSecSrtpDec:stats (authentication failures, replays, malformed,
 * no key). The rollover counter follows sequence-number wrap and
 * reordering (RFC 3711 §3.3.1), and replays are caught by a window of
 * #GstSecSrtpDec:replay-window-size packets.
 *
 * One `key`/`profile` serves every SSRC; for per-SSRC keys connect to
 * #GstSecSrtpDec::request-key, which is asked once for each SSRC that has
 * no key and whenever an SSRC's own key runs out.
 *
 * Keys are single-use, so that a replayed packet is never accepted twice:
 * a new key would start a new replay window. Set #GstSecSrtpDec:profile
 * before #GstSecSrtpDec:key (or both in one g_object_set(), profile
 * first); the two take effect together. Keys are wiped when the element
 * goes to READY; after a restart it needs a new key. The live key set
 * again changes nothing (the replay window stays); a key this element
 * used before is refused with an error ("An SRTP key was used twice.")
 * and packets are dropped until a new key comes. The same holds per
 * SSRC for keys from #GstSecSrtpDec::request-key: the SSRC's live key
 * returned again changes nothing, a key used before for that SSRC or as
 * the common `key` is refused. One request-key key may serve several
 * SSRCs.
 *
 * Drops that keep happening are said on the bus, so that
 * `gst-launch-1.0 -m` shows a wrong key. The first packet that fails
 * authentication posts a WARNING (STREAM/DECRYPT, "Received SRTP packets
 * fail authentication and are dropped. Check that the key and the
 * protection profile match the sender's."); later failures post at most
 * one more every 5 seconds of the element's clock, with the count since
 * the last one. Its debug text says whether any packet has authenticated
 * since the key was set: none means the key or the profile differs from
 * the sender's; some means corrupted or forged packets, or a sender that
 * changed its key. A new `key` or a restart starts over. Replays are
 * normal in small numbers (a network that duplicates packets) and are
 * only counted; 50 in a row with no packet accepted between them (a
 * sender that restarted under its old key, old packets sent again) post a
 * WARNING too ("... keep arriving as replays ..."), again at most every
 * 5 s while they go on. The details of both carry `reason`
 * ("authentication" or "replay"), `dropped` (since the last warning),
 * `total`, `packets-unprotected`, `ssrc` and `interval` (5); no warning
 * carries key bytes.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 udpsrc port=5004 \
 *     caps="application/x-srtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload=96" ! \
 *   secsrtpdec key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d ! \
 *   rtpopusdepay ! opusdec ! autoaudiosink
 * ]| Receives, verifies and decrypts what the secsrtpenc example sends. The
 * caps other than the media type pass through unchanged.
 * tests/examples/srtp-udp.sh runs the two (on a free port instead of
 * 5004), and this receiver with another key to show the warning.
 * (A key written on a command line is for testing only.)
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecsrtpdec.h"

#include <glib/gi18n-lib.h>

GST_DEBUG_CATEGORY_STATIC (gst_sec_srtp_dec_debug);
#define GST_CAT_DEFAULT gst_sec_srtp_dec_debug

enum
{
  PROP_0,
  PROP_REPLAY_WINDOW_SIZE,
  PROP_STATS,
};

enum
{
  SIGNAL_REQUEST_KEY,
  LAST_SIGNAL
};

static guint signals[LAST_SIGNAL];

struct _GstSecSrtpDec
{
  GstSecSrtpBase parent;
};

G_DEFINE_TYPE_WITH_CODE (GstSecSrtpDec, gst_sec_srtp_dec,
    GST_TYPE_SEC_SRTP_BASE,
    GST_DEBUG_CATEGORY_INIT (gst_sec_srtp_dec_debug, "secsrtpdec", 0,
        "SRTP decoder"));
GST_ELEMENT_REGISTER_DEFINE (secsrtpdec, "secsrtpdec", GST_RANK_NONE,
    GST_TYPE_SEC_SRTP_DEC);

static void gst_sec_srtp_dec_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_sec_srtp_dec_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static gboolean gst_sec_srtp_dec_need_key (GstSecSrtpBase * base,
    guint32 ssrc, gboolean expired);
static gboolean gst_sec_srtp_dec_can_get_keys (GstSecSrtpBase * base);

static void
gst_sec_srtp_dec_class_init (GstSecSrtpDecClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstSecSrtpBaseClass *base_class = GST_SEC_SRTP_BASE_CLASS (klass);

  gobject_class->set_property = gst_sec_srtp_dec_set_property;
  gobject_class->get_property = gst_sec_srtp_dec_get_property;

  base_class->direction = SEC_SRTP_DIRECTION_UNPROTECT;
  base_class->rtp_out_caps = "application/x-rtp";
  base_class->rtcp_out_caps = "application/x-rtcp";
  base_class->stats_name = "application/x-secsrtpdec-stats";
  base_class->verb = "unprotected";
  base_class->need_key = gst_sec_srtp_dec_need_key;
  base_class->can_get_keys = gst_sec_srtp_dec_can_get_keys;

  /**
   * GstSecSrtpDec:replay-window-size:
   *
   * How many packets behind the newest one may still arrive (reordered)
   * and be accepted once each (RFC 3711 §3.3.2). Older or repeated
   * indexes are dropped and counted as replays.
   */
  g_object_class_install_property (gobject_class, PROP_REPLAY_WINDOW_SIZE,
      g_param_spec_uint ("replay-window-size", "Replay window size",
          "Packets behind the newest that are still accepted once each; "
          "repeated or older packets are dropped and counted as replays",
          SEC_SRTP_MIN_REPLAY_WINDOW, SEC_SRTP_MAX_REPLAY_WINDOW,
          SEC_SRTP_DEFAULT_REPLAY_WINDOW,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstSecSrtpDec:stats:
   *
   * Crypto backend, profile, whether a key is set, packets-unprotected,
   * drops by reason (auth-failures, replays-dropped, malformed-dropped,
   * no-key-dropped, key-expired-dropped, other-dropped) and, in `streams`,
   * per-SSRC counters (packets, bytes, auth-failures, replays-dropped).
   * Never keys.
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Crypto backend, profile, packets unprotected, drops by reason "
          "(auth-failures, replays-dropped, malformed, no key, key expired, "
          "other) and per-SSRC counters (packets, bytes, auth-failures, "
          "replays-dropped); never keys",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstSecSrtpDec::request-key:
   * @element: the element
   * @ssrc: the SSRC that needs a key
   *
   * Asked for a key for @ssrc when a packet arrives for an SSRC that has
   * none (no `key` is set), or whose own key reached its lifetime.
   * Return caps with `srtp-key` (GstBuffer: master key then salt) and
   * `srtp-profile` (string: a #GstSecSrtpProfile nick such as
   * "aead-aes-128-gcm" or the DTLS-SRTP name), and optionally `roc`
   * (uint: the sender's rollover counter, for joining a stream late).
   * Return NULL to drop the packet. The caps are not kept.
   *
   * Keys are single-use per SSRC: returning the key @ssrc already has
   * changes nothing (its replay window stays, `roc` is ignored); a key
   * used before for @ssrc, or as the element's `key`, is refused with an
   * element error and the packet is dropped. One key for several SSRCs
   * is fine. Keys are forgotten at PAUSED->READY.
   *
   * Returns: (transfer full) (nullable): the key for @ssrc
   */
  signals[SIGNAL_REQUEST_KEY] = g_signal_new ("request-key",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
      g_signal_accumulator_first_wins, NULL, NULL, GST_TYPE_CAPS, 1,
      G_TYPE_UINT);

  gst_sec_srtp_base_install_pad_templates (element_class,
      "application/x-srtp", "application/x-rtp",
      "application/x-srtcp", "application/x-rtcp");
  gst_element_class_set_static_metadata (element_class,
      "SRTP decoder (gst-secwebrtc)", "Filter/Network/SRTP",
      "Verifies and decrypts SRTP and SRTCP (libsrtp2), dropping and "
      "counting forged, replayed and malformed packets",
      "gst-secwebrtc developers");
}

static void
gst_sec_srtp_dec_init (GstSecSrtpDec * self)
{
}

static void
gst_sec_srtp_dec_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecSrtpDec *self = GST_SEC_SRTP_DEC (object);

  switch (prop_id) {
    case PROP_REPLAY_WINDOW_SIZE:
      gst_sec_srtp_base_set_replay_window (GST_SEC_SRTP_BASE (self),
          g_value_get_uint (value));
      break;
    default:
      G_OBJECT_CLASS (gst_sec_srtp_dec_parent_class)->set_property (object,
          prop_id, value, pspec);
      break;
  }
}

static void
gst_sec_srtp_dec_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecSrtpDec *self = GST_SEC_SRTP_DEC (object);

  switch (prop_id) {
    case PROP_REPLAY_WINDOW_SIZE:
      g_value_set_uint (value,
          gst_sec_srtp_base_get_replay_window (GST_SEC_SRTP_BASE (self)));
      break;
    case PROP_STATS:
      g_value_take_boxed (value,
          gst_sec_srtp_base_get_stats (GST_SEC_SRTP_BASE (self)));
      break;
    default:
      G_OBJECT_CLASS (gst_sec_srtp_dec_parent_class)->get_property (object,
          prop_id, value, pspec);
      break;
  }
}

static gboolean
gst_sec_srtp_dec_can_get_keys (GstSecSrtpBase * base)
{
  return g_signal_has_handler_pending (base, signals[SIGNAL_REQUEST_KEY], 0,
      FALSE);
}

static gboolean
gst_sec_srtp_dec_need_key (GstSecSrtpBase * base, guint32 ssrc,
    gboolean expired)
{
  GstCaps *caps = NULL;
  const GstStructure *s;
  const SecSrtpProfileInfo *info = NULL;
  const gchar *profile_name;
  GstBuffer *key = NULL;
  GstMapInfo map;
  guint roc = 0;
  gboolean have_roc;
  SecSrtpKeyChange change;
  GError *error = NULL;

  if (!g_signal_has_handler_pending (base, signals[SIGNAL_REQUEST_KEY], 0,
          FALSE))
    return FALSE;

  GST_DEBUG_OBJECT (base, "requesting a key for SSRC 0x%08x%s", ssrc,
      expired ? " (lifetime of the previous key reached)" : "");
  g_signal_emit (base, signals[SIGNAL_REQUEST_KEY], 0, ssrc, &caps);
  if (caps == NULL || gst_caps_get_size (caps) == 0) {
    GST_DEBUG_OBJECT (base, "no key for SSRC 0x%08x", ssrc);
    if (caps)
      gst_caps_unref (caps);
    return FALSE;
  }

  s = gst_caps_get_structure (caps, 0);
  profile_name = gst_structure_get_string (s, "srtp-profile");
  if (profile_name)
    info = sec_srtp_profile_from_name (profile_name);
  if (gst_structure_has_field_typed (s, "srtp-key", GST_TYPE_BUFFER))
    gst_structure_get (s, "srtp-key", GST_TYPE_BUFFER, &key, NULL);
  have_roc = gst_structure_get_uint (s, "roc", &roc);

  if (info == NULL || key == NULL) {
    GST_ELEMENT_ERROR (base, RESOURCE, SETTINGS,
        (_("The application gave an invalid SRTP key.")),
        ("request-key for SSRC 0x%08x returned caps without a valid "
            "srtp-profile (%s) or srtp-key buffer", ssrc,
            profile_name ? profile_name : "missing"));
    if (key)
      gst_buffer_unref (key);
    gst_caps_unref (caps);
    return FALSE;
  }

  if (!gst_buffer_map (key, &map, GST_MAP_READ)) {
    gst_buffer_unref (key);
    gst_caps_unref (caps);
    return FALSE;
  }
  change = gst_sec_srtp_base_set_stream_key (base, ssrc, info->profile,
      map.data, map.size, have_roc, roc, &error);
  gst_buffer_unmap (key, &map);
  gst_buffer_unref (key);
  gst_caps_unref (caps);

  switch (change) {
    case SEC_SRTP_KEY_REFUSED:{
      gchar *what = g_strdup_printf ("request-key for SSRC 0x%08x", ssrc);

      gst_sec_srtp_base_post_key_error (base, what, error);
      g_free (what);
      g_clear_error (&error);
      return FALSE;
    }
    case SEC_SRTP_KEY_UNCHANGED:
      /* e.g. the RTP and the RTCP pad asked at the same time: the live
       * context, with its replay database, stays */
      GST_INFO_OBJECT (base, "SSRC 0x%08x got its live key again: nothing "
          "changes", ssrc);
      return TRUE;
    case SEC_SRTP_KEY_APPLIED:
      break;
  }
  GST_INFO_OBJECT (base, "SSRC 0x%08x keyed with %s%s", ssrc, info->name,
      have_roc ? " and a rollover counter" : "");
  return TRUE;
}
