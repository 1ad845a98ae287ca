/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecSrtpBase: the machinery secsrtpenc and secsrtpdec share.
 *
 * Pads come in request pairs: requesting rtp_sink_N creates rtp_src_N
 * (same for rtcp_*). Everything that crosses the element goes through
 * one SecSrtpSession guarded by one mutex, taken once per buffer or
 * once per buffer list. Signals are emitted with the mutex released.
 *
 * Keys are single-use (docs/design/srtp.md). `profile` only stages the
 * profile of the next key; setting `key` while running puts (staged
 * profile, key) into the session in one step under the mutex, so a
 * packet meets either the old pair or the new one. A key set while
 * stopped waits for the start. At PAUSED->READY every key is wiped; the
 * element's key history (digests only) outlives restarts, so a key this
 * element used before is refused, and the live key again is a no-op.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecsrtpcommon.h"
#include "gstsecsrtpallocator.h"
#include "srtpalarm.h"
#include "srtpcrypto.h"

#include <string.h>
#include <glib/gi18n-lib.h>

GST_DEBUG_CATEGORY_STATIC (gst_sec_srtp_base_debug);
#define GST_CAT_DEFAULT gst_sec_srtp_base_debug

enum
{
  PROP_0,
  PROP_PROFILE,
  PROP_KEY,
  PROP_KEY_LIFETIME,
  PROP_WAIT_FOR_KEY,
};

enum
{
  SIGNAL_SOFT_LIMIT,
  SIGNAL_HARD_LIMIT,
  LAST_SIGNAL
};

static guint signals[LAST_SIGNAL];

#define DEFAULT_PROFILE SEC_SRTP_PROFILE_AES128_CM_SHA1_80
#define DEFAULT_WAIT_FOR_KEY FALSE

typedef struct
{
  GstPad *other;                /* the paired pad, not reffed */
  gboolean rtcp;
  /* the element and its private part, for the hot path without casts */
  gpointer self;
  gpointer priv;
} PadInfo;

/* A warning about drops, to post once the lock is dropped. */
typedef struct
{
  gboolean due;
  SecSrtpAlarmReport report;
  guint32 ssrc;                 /* of the packet that made it due */
  guint replay_window;
  gchar *profile;               /* the common key's, or NULL (request-key) */
} PendingAlarm;

/* What a call found that must be signalled once the lock is dropped. */
typedef struct
{
  SecSrtpEvents events;
  guint32 soft_ssrc;
  guint32 hard_ssrc;
  PendingAlarm alarms[SEC_SRTP_ALARM_N_KINDS];
} PendingSignals;

typedef struct
{
  GMutex lock;
  /* protected by lock */
  SecSrtpSession *session;      /* made at start, kept after stop for stats */
  gboolean running;             /* from READY->PAUSED to PAUSED->READY */
  SecSrtpKeyHistory *used_keys; /* digests of every key put into a session
                                 * in the element's life */
  SecSrtpProfile profile;       /* staged: the profile of the next key */
  guint8 *pending_key;          /* master key || salt set while stopped,
                                 * applied and wiped at start */
  gsize pending_key_len;
  guint64 key_lifetime;
  guint replay_window;
  gboolean wait_for_key;
  GstClockTime last_warning;
  guint64 drops_since_warning;
  SecSrtpResult last_drop_reason;
  SecSrtpAlarm alarm;           /* secsrtpdec: drops said on the bus */
  guint next_pad_id;
  GstAllocator *allocator;      /* for packets copied to make room */
  /* the subclass's; set at constructed (during instance init the class
   * pointer is still the base class's) */
  SecSrtpDirection direction;
} GstSecSrtpBasePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (GstSecSrtpBase, gst_sec_srtp_base,
    GST_TYPE_ELEMENT, G_ADD_PRIVATE (GstSecSrtpBase)
    GST_DEBUG_CATEGORY_INIT (gst_sec_srtp_base_debug, "secsrtp", 0,
        "SRTP elements, shared code"));

#define PRIV(self) ((GstSecSrtpBasePrivate *) \
    gst_sec_srtp_base_get_instance_private (GST_SEC_SRTP_BASE (self)))

static void gst_sec_srtp_base_constructed (GObject * object);
static void gst_sec_srtp_base_finalize (GObject * object);
static void gst_sec_srtp_base_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_sec_srtp_base_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_sec_srtp_base_change_state (GstElement *
    element, GstStateChange transition);
static GstPad *gst_sec_srtp_base_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
static void gst_sec_srtp_base_release_pad (GstElement * element, GstPad * pad);

GType
gst_sec_srtp_profile_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {SEC_SRTP_PROFILE_AES128_CM_SHA1_80,
        "AES-128 counter mode, HMAC-SHA1 80-bit tag (SRTP_AES128_CM_HMAC_SHA1_80)",
        "aes128-cm-sha1-80"},
    {SEC_SRTP_PROFILE_AES128_CM_SHA1_32,
          "AES-128 counter mode, HMAC-SHA1 32-bit tag on RTP, 80-bit on RTCP "
          "(SRTP_AES128_CM_HMAC_SHA1_32)",
        "aes128-cm-sha1-32"},
    {SEC_SRTP_PROFILE_AEAD_AES_128_GCM,
        "AES-128 GCM, 16-byte tag (SRTP_AEAD_AES_128_GCM)", "aead-aes-128-gcm"},
    {SEC_SRTP_PROFILE_AEAD_AES_256_GCM,
        "AES-256 GCM, 16-byte tag (SRTP_AEAD_AES_256_GCM)", "aead-aes-256-gcm"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSecSrtpProfile", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

void
sec_srtp_secure_free (guint8 * key, gsize len)
{
  if (key == NULL)
    return;
  explicit_bzero (key, len);
  g_free (key);
}

static void
gst_sec_srtp_base_class_init (GstSecSrtpBaseClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->constructed = gst_sec_srtp_base_constructed;
  gobject_class->finalize = gst_sec_srtp_base_finalize;
  gobject_class->set_property = gst_sec_srtp_base_set_property;
  gobject_class->get_property = gst_sec_srtp_base_get_property;

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_sec_srtp_base_change_state);
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_sec_srtp_base_request_new_pad);
  element_class->release_pad = GST_DEBUG_FUNCPTR (gst_sec_srtp_base_release_pad);

  /**
   * GstSecSrtpBase:profile:
   *
   * The SRTP protection profile of the next #GstSecSrtpBase:key. It takes
   * effect when the key is set, the two in one step, and never changes a
   * live key: set it before the key, or both in one g_object_set() with
   * the profile first. While stopped the order does not matter (both are
   * read at start).
   */
  g_object_class_install_property (gobject_class, PROP_PROFILE,
      g_param_spec_enum ("profile", "Protection profile",
          "SRTP protection profile (DTLS-SRTP name) of the next key: it "
          "takes effect together with 'key' (set it first, or both in one "
          "call with profile first) and never changes a live key; there is "
          "no null cipher and no null authentication",
          GST_TYPE_SEC_SRTP_PROFILE, DEFAULT_PROFILE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstSecSrtpBase:key:
   *
   * Master key followed by master salt: 30 bytes for the AES-CM profiles,
   * 28 for aead-aes-128-gcm, 44 for aead-aes-256-gcm, for the
   * #GstSecSrtpBase:profile set before it. While running, the key and
   * that profile replace the live ones in one step; while stopped, they
   * wait for the start. NULL removes the key.
   *
   * A key is single-use (RFC 3711 §9.1): it is wiped at PAUSED->READY,
   * so a restarted element needs a new key (from this property, DTLS or
   * request-key) exactly as at its first start. The element remembers a
   * keyed digest of every key it used, never the key: setting the live
   * key again changes nothing (rollover counter, replay window and key
   * lifetime carry on), and a key it used before that is not the live
   * one is an element error ("An SRTP key was used twice."), after which
   * the element has no key and drops (and counts) packets until a new
   * key is set. Write-only: a key is never readable back, logged or put
   * in caps.
   */
  g_object_class_install_property (gobject_class, PROP_KEY,
      g_param_spec_boxed ("key", "Master key",
          "SRTP master key followed by the master salt (30 bytes for the "
          "aes128-cm profiles, 28 for aead-aes-128-gcm, 44 for "
          "aead-aes-256-gcm), for the profile set before it. Single-use: "
          "wiped when the element stops; the live key again changes "
          "nothing, a key used before is refused. Write-only, never logged",
          GST_TYPE_BUFFER,
          G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  g_object_class_install_property (gobject_class, PROP_KEY_LIFETIME,
      g_param_spec_uint64 ("key-lifetime", "Key lifetime",
          "Packets one master key may protect or verify before the "
          "hard-limit signal (RFC 3711 section 9.2; SRTCP is further capped "
          "at 2^31). soft-limit fires a tenth (at most 65536 packets) before",
          1, SEC_SRTP_MAX_KEY_LIFETIME_RTP, SEC_SRTP_MAX_KEY_LIFETIME_RTP,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  g_object_class_install_property (gobject_class, PROP_WAIT_FOR_KEY,
      g_param_spec_boolean ("wait-for-key", "Wait for key",
          "Start without a key and drop (and count) packets until one is set, "
          "as when keys come later from DTLS; when FALSE a missing key is an "
          "error at start", DEFAULT_WAIT_FOR_KEY,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstSecSrtpBase::soft-limit:
   * @element: the element
   * @ssrc: the SSRC whose packet reached the soft limit
   *
   * The key in use has a tenth of its lifetime (at most 65536 packets)
   * left: time to set a new key.
   */
  signals[SIGNAL_SOFT_LIMIT] = g_signal_new ("soft-limit",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * GstSecSrtpBase::hard-limit:
   * @element: the element
   * @ssrc: the SSRC whose packet used the key for the last time
   *
   * The key in use reached its lifetime: packets under it are dropped from
   * now on until a new key is set.
   */
  signals[SIGNAL_HARD_LIMIT] = g_signal_new ("hard-limit",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_UINT);

  gst_type_mark_as_plugin_api (GST_TYPE_SEC_SRTP_PROFILE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_SEC_SRTP_BASE, 0);
}

static void
gst_sec_srtp_base_init (GstSecSrtpBase * self)
{
  GstSecSrtpBasePrivate *priv = PRIV (self);

  g_mutex_init (&priv->lock);
  priv->allocator = gst_sec_srtp_allocator_new ();
  priv->used_keys = sec_srtp_key_history_new ();
  priv->profile = DEFAULT_PROFILE;
  priv->key_lifetime = SEC_SRTP_MAX_KEY_LIFETIME_RTP;
  priv->replay_window = SEC_SRTP_DEFAULT_REPLAY_WINDOW;
  priv->wait_for_key = DEFAULT_WAIT_FOR_KEY;
  priv->last_warning = GST_CLOCK_TIME_NONE;
}

static void
gst_sec_srtp_base_constructed (GObject * object)
{
  PRIV (object)->direction = GST_SEC_SRTP_BASE_GET_CLASS (object)->direction;
  G_OBJECT_CLASS (gst_sec_srtp_base_parent_class)->constructed (object);
}

static void
gst_sec_srtp_base_finalize (GObject * object)
{
  GstSecSrtpBasePrivate *priv = PRIV (object);

  sec_srtp_session_free (priv->session);
  sec_srtp_secure_free (priv->pending_key, priv->pending_key_len);
  sec_srtp_key_history_unref (priv->used_keys);
  gst_object_unref (priv->allocator);
  g_mutex_clear (&priv->lock);

  G_OBJECT_CLASS (gst_sec_srtp_base_parent_class)->finalize (object);
}

static void
append_stream_stats (const SecSrtpStreamStats * stats, gpointer user_data)
{
  GPtrArray *args = user_data;
  GstStructure *s;
  gchar *rtp_name, *rtcp_name;
  const gchar *verb = g_ptr_array_index (args, 1);
  GValue v = G_VALUE_INIT;

  gboolean unprotect = GPOINTER_TO_INT (g_ptr_array_index (args, 2));

  rtp_name = g_strdup_printf ("rtp-packets-%s", verb);
  rtcp_name = g_strdup_printf ("rtcp-packets-%s", verb);
  s = gst_structure_new ("ssrc-stats",
      "ssrc", G_TYPE_UINT, stats->ssrc,
      rtp_name, G_TYPE_UINT64, stats->rtp_packets,
      rtcp_name, G_TYPE_UINT64, stats->rtcp_packets,
      "bytes", G_TYPE_UINT64, stats->bytes, NULL);
  /* only a decoder authenticates; both refuse an index seen before (the
   * encoder so that no keystream protects two packets) */
  if (unprotect)
    gst_structure_set (s,
        "auth-failures", G_TYPE_UINT64, stats->auth_failures, NULL);
  gst_structure_set (s,
      "replays-dropped", G_TYPE_UINT64, stats->replays_dropped, NULL);
  g_free (rtp_name);
  g_free (rtcp_name);

  g_value_init (&v, GST_TYPE_STRUCTURE);
  g_value_take_boxed (&v, s);
  gst_value_array_append_and_take_value (g_ptr_array_index (args, 0), &v);
}

static GstStructure *
build_stats_locked (GstSecSrtpBase * self)
{
  GstSecSrtpBaseClass *klass = GST_SEC_SRTP_BASE_GET_CLASS (self);
  GstSecSrtpBasePrivate *priv = PRIV (self);
  gboolean live = priv->running && sec_srtp_session_has_key (priv->session);
  /* the live key's profile, or the one the next key will get */
  const SecSrtpProfileInfo *info = sec_srtp_profile_get_info (live ?
      sec_srtp_session_get_profile (priv->session) : priv->profile);
  SecSrtpSessionCounters zero = { 0, };
  const SecSrtpSessionCounters *c = &zero;
  GValue streams = G_VALUE_INIT;
  GstStructure *s;
  gchar *total_name = g_strdup_printf ("packets-%s", klass->verb);

  g_value_init (&streams, GST_TYPE_ARRAY);
  if (priv->session) {
    GPtrArray *args = g_ptr_array_new ();

    c = sec_srtp_session_get_counters (priv->session);
    g_ptr_array_add (args, &streams);
    g_ptr_array_add (args, (gpointer) klass->verb);
    g_ptr_array_add (args, GINT_TO_POINTER (klass->direction ==
            SEC_SRTP_DIRECTION_UNPROTECT));
    sec_srtp_session_foreach_stream (priv->session, append_stream_stats, args);
    g_ptr_array_free (args, TRUE);
  }

  s = gst_structure_new (klass->stats_name,
      "crypto-backend", G_TYPE_STRING, sec_srtp_crypto_backend (),
      "profile", G_TYPE_STRING, info->name,
      "key-set", G_TYPE_BOOLEAN, live || (!priv->running
          && priv->pending_key != NULL),
      total_name, G_TYPE_UINT64, c->packets, NULL);
  if (klass->direction == SEC_SRTP_DIRECTION_UNPROTECT)
    gst_structure_set (s,
        "auth-failures", G_TYPE_UINT64, c->auth_failures, NULL);
  gst_structure_set (s,
      "replays-dropped", G_TYPE_UINT64, c->replays_dropped,
      "malformed-dropped", G_TYPE_UINT64, c->malformed,
      "no-key-dropped", G_TYPE_UINT64, c->no_key,
      "key-expired-dropped", G_TYPE_UINT64, c->key_expired,
      "other-dropped", G_TYPE_UINT64, c->other_failures, NULL);
  gst_structure_take_value (s, "streams", &streams);
  g_free (total_name);
  return s;
}

/* Posts the element error for a key that was refused. Called without
 * the lock. @what: where the key came from, or NULL for the property. */
void
gst_sec_srtp_base_post_key_error (GstSecSrtpBase * self, const gchar * what,
    const GError * error)
{
  if (g_error_matches (error, SEC_SRTP_SESSION_ERROR,
          SEC_SRTP_SESSION_ERROR_KEY_REUSED)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("An SRTP key was used twice.")),
        ("%s%s%s", what ? what : "", what ? ": " : "", error->message));
  } else {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("The SRTP key does not fit the selected protection profile.")),
        ("%s%s%s", what ? what : "", what ? ": " : "", error->message));
  }
}

/* The `key` property. While stopped the key waits for the start; while
 * running it goes into the session at once with the staged profile.
 * Returns the error to post once the lock is dropped, or NULL. */
static GError *
set_key_locked (GstSecSrtpBase * self, GstSecSrtpBasePrivate * priv,
    GstBuffer * buf)
{
  const SecSrtpProfileInfo *info = sec_srtp_profile_get_info (priv->profile);
  GError *error = NULL;
  SecSrtpKeyChange change;
  guint8 *key = NULL;
  gsize key_len = 0;

  if (buf) {
    key_len = gst_buffer_get_size (buf);
    key = g_malloc (MAX (key_len, 1));
    gst_buffer_extract (buf, 0, key, key_len);
  }

  if (!priv->running) {
    sec_srtp_secure_free (priv->pending_key, priv->pending_key_len);
    priv->pending_key = key;
    priv->pending_key_len = key_len;
    GST_INFO_OBJECT (self, "key %s (%" G_GSIZE_FORMAT " bytes), %s",
        key ? "set" : "cleared", key_len, key ? "applied at start" :
        "none at start");
    return NULL;
  }

  change = sec_srtp_session_set_key (priv->session, priv->profile, key,
      key_len, &error);
  sec_srtp_secure_free (key, key_len);
  switch (change) {
    case SEC_SRTP_KEY_APPLIED:
      /* a new key: its first authentication failure is said at once */
      sec_srtp_alarm_reset (&priv->alarm);
      if (buf)
        GST_INFO_OBJECT (self, "new key (%" G_GSIZE_FORMAT " bytes) with "
            "profile %s is live: new packet index, replay window and key "
            "lifetime", key_len, info->name);
      else
        GST_INFO_OBJECT (self, "key cleared: packets are dropped until a "
            "new key is set");
      break;
    case SEC_SRTP_KEY_UNCHANGED:
      GST_INFO_OBJECT (self, "the live key %s: nothing changes (packet "
          "index, replay window and key lifetime carry on)",
          buf ? "set again" : "was already cleared");
      break;
    case SEC_SRTP_KEY_REFUSED:
      GST_WARNING_OBJECT (self, "key refused, the element has no key now: "
          "%s", error->message);
      break;
  }
  return error;
}

static void
gst_sec_srtp_base_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecSrtpBase *self = GST_SEC_SRTP_BASE (object);
  GstSecSrtpBasePrivate *priv = PRIV (self);
  GError *key_error = NULL;

  g_mutex_lock (&priv->lock);
  switch (prop_id) {
    case PROP_PROFILE:
      /* staged for the next key: a live context keeps its profile */
      priv->profile = g_value_get_enum (value);
      if (priv->running && sec_srtp_session_has_key (priv->session)
          && sec_srtp_session_get_profile (priv->session) != priv->profile)
        GST_INFO_OBJECT (self, "profile %s is for the next key; the live "
            "key keeps %s", sec_srtp_profile_get_info (priv->profile)->name,
            sec_srtp_profile_get_info (sec_srtp_session_get_profile
                (priv->session))->name);
      break;
    case PROP_KEY:
      key_error = set_key_locked (self, priv, g_value_get_boxed (value));
      break;
    case PROP_KEY_LIFETIME:
      priv->key_lifetime = g_value_get_uint64 (value);
      if (priv->session)
        sec_srtp_session_set_key_lifetime (priv->session, priv->key_lifetime);
      break;
    case PROP_WAIT_FOR_KEY:
      priv->wait_for_key = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&priv->lock);

  if (key_error) {
    gst_sec_srtp_base_post_key_error (self, NULL, key_error);
    g_error_free (key_error);
  }
}

static void
gst_sec_srtp_base_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecSrtpBase *self = GST_SEC_SRTP_BASE (object);
  GstSecSrtpBasePrivate *priv = PRIV (self);

  g_mutex_lock (&priv->lock);
  switch (prop_id) {
    case PROP_PROFILE:
      g_value_set_enum (value, priv->profile);
      break;
    case PROP_KEY_LIFETIME:
      g_value_set_uint64 (value, priv->key_lifetime);
      break;
    case PROP_WAIT_FOR_KEY:
      g_value_set_boolean (value, priv->wait_for_key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&priv->lock);
}

GstStructure *
gst_sec_srtp_base_get_stats (GstSecSrtpBase * self)
{
  GstSecSrtpBasePrivate *priv = PRIV (self);
  GstStructure *stats;

  g_mutex_lock (&priv->lock);
  stats = build_stats_locked (self);
  g_mutex_unlock (&priv->lock);
  return stats;
}

void
gst_sec_srtp_base_set_replay_window (GstSecSrtpBase * self, guint window)
{
  GstSecSrtpBasePrivate *priv = PRIV (self);

  g_mutex_lock (&priv->lock);
  priv->replay_window = window;
  if (priv->session)
    sec_srtp_session_set_replay_window (priv->session, window);
  g_mutex_unlock (&priv->lock);
}

guint
gst_sec_srtp_base_get_replay_window (GstSecSrtpBase * self)
{
  GstSecSrtpBasePrivate *priv = PRIV (self);
  guint window;

  g_mutex_lock (&priv->lock);
  window = priv->replay_window;
  g_mutex_unlock (&priv->lock);
  return window;
}

SecSrtpKeyChange
gst_sec_srtp_base_set_stream_key (GstSecSrtpBase * self, guint32 ssrc,
    SecSrtpProfile profile, const guint8 * key, gsize key_len,
    gboolean set_roc, guint32 roc, GError ** error)
{
  GstSecSrtpBasePrivate *priv = PRIV (self);
  SecSrtpKeyChange change = SEC_SRTP_KEY_REFUSED;

  g_mutex_lock (&priv->lock);
  if (priv->running)
    change = sec_srtp_session_set_stream_key (priv->session, ssrc, profile,
        key, key_len, set_roc, roc, error);
  else
    g_set_error_literal (error, SEC_SRTP_PROFILE_ERROR,
        SEC_SRTP_PROFILE_ERROR_UNKNOWN, "element is not running");
  g_mutex_unlock (&priv->lock);
  return change;
}

static gboolean
start (GstSecSrtpBase * self)
{
  GstSecSrtpBaseClass *klass = GST_SEC_SRTP_BASE_GET_CLASS (self);
  GstSecSrtpBasePrivate *priv = PRIV (self);
  GError *error = NULL;
  gboolean can_get_keys;
  SecSrtpKeyChange change;

  g_mutex_lock (&priv->lock);
  sec_srtp_session_free (priv->session);
  priv->session = sec_srtp_session_new (klass->direction);
  sec_srtp_session_set_key_history (priv->session, priv->used_keys);
  sec_srtp_session_set_replay_window (priv->session, priv->replay_window);
  sec_srtp_session_set_key_lifetime (priv->session, priv->key_lifetime);
  priv->last_warning = GST_CLOCK_TIME_NONE;
  priv->drops_since_warning = 0;
  sec_srtp_alarm_reset (&priv->alarm);

  if (priv->pending_key == NULL) {
    can_get_keys = priv->wait_for_key
        || (klass->can_get_keys && klass->can_get_keys (self));
    priv->running = can_get_keys;
    g_mutex_unlock (&priv->lock);
    if (!can_get_keys) {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          (_("No SRTP key was set.")),
          ("set the 'key' property (master key followed by master salt)%s, "
              "or set wait-for-key=true to start without one",
              klass->direction == SEC_SRTP_DIRECTION_UNPROTECT ?
              ", connect to 'request-key'" : ""));
      return FALSE;
    }
    return TRUE;
  }

  /* the key set while stopped: into the session, and out of our hands
   * whether it fits or not */
  change = sec_srtp_session_set_key (priv->session, priv->profile,
      priv->pending_key, priv->pending_key_len, &error);
  sec_srtp_secure_free (priv->pending_key, priv->pending_key_len);
  priv->pending_key = NULL;
  priv->pending_key_len = 0;
  priv->running = change != SEC_SRTP_KEY_REFUSED;
  g_mutex_unlock (&priv->lock);

  if (change == SEC_SRTP_KEY_REFUSED) {
    gst_sec_srtp_base_post_key_error (self, NULL, error);
    g_clear_error (&error);
    return FALSE;
  }
  return TRUE;
}

/* A key is single-use: wipe every key, the per-SSRC ones included. The
 * session stays readable through 'stats' until the next start. */
static void
stop (GstSecSrtpBase * self)
{
  GstSecSrtpBasePrivate *priv = PRIV (self);

  g_mutex_lock (&priv->lock);
  priv->running = FALSE;
  if (priv->session)
    sec_srtp_session_clear_keys (priv->session);
  sec_srtp_secure_free (priv->pending_key, priv->pending_key_len);
  priv->pending_key = NULL;
  priv->pending_key_len = 0;
  g_mutex_unlock (&priv->lock);
}

static GstStateChangeReturn
gst_sec_srtp_base_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSecSrtpBase *self = GST_SEC_SRTP_BASE (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED && !start (self))
    return GST_STATE_CHANGE_FAILURE;

  ret = GST_ELEMENT_CLASS (gst_sec_srtp_base_parent_class)->change_state
      (element, transition);

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY
      || (transition == GST_STATE_CHANGE_READY_TO_PAUSED
          && ret == GST_STATE_CHANGE_FAILURE))
    stop (self);
  return ret;
}

/* ---- caps ---- */

/* Renames every structure of @caps to @name and removes fields that
 * other SRTP elements put in caps to carry keys: keys never travel
 * in caps through us. */
static GstCaps *
rename_caps (GstCaps * caps, const gchar * name)
{
  static const gchar *key_fields[] = {
    "srtp-key", "srtp-cipher", "srtp-auth", "srtcp-cipher", "srtcp-auth",
    "mki", "roc", "srtp-profile", NULL
  };
  GstCaps *out = gst_caps_copy (caps);
  guint i, n = gst_caps_get_size (out);

  for (i = 0; i < n; i++) {
    GstStructure *s = gst_caps_get_structure (out, i);

    guint k;

    gst_structure_set_name (s, name);
    for (k = 0; key_fields[k]; k++)
      gst_structure_remove_field (s, key_fields[k]);
  }
  return out;
}

static const gchar *
other_caps_name (GstSecSrtpBase * self, GstPad * pad, PadInfo * info)
{
  GstSecSrtpBaseClass *klass = GST_SEC_SRTP_BASE_GET_CLASS (self);
  GstPadTemplate *templ;
  GstCaps *caps;
  const gchar *name;

  if (GST_PAD_IS_SINK (pad))
    return info->rtcp ? klass->rtcp_out_caps : klass->rtp_out_caps;
  /* src pad: the name on the sink side, from the sink template */
  templ = GST_PAD_PAD_TEMPLATE (info->other);
  caps = gst_pad_template_get_caps (templ);
  name = g_intern_string (gst_structure_get_name (gst_caps_get_structure (caps,
              0)));
  gst_caps_unref (caps);
  return name;
}

static gboolean
gst_sec_srtp_base_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstSecSrtpBase *self = GST_SEC_SRTP_BASE (parent);
  PadInfo *info = gst_pad_get_element_private (pad);

  if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
    GstCaps *caps, *out;
    GstEvent *out_event;

    gst_event_parse_caps (event, &caps);
    out = rename_caps (caps, other_caps_name (self, pad, info));
    out_event = gst_event_new_caps (out);
    gst_caps_unref (out);
    gst_event_unref (event);
    return gst_pad_push_event (info->other, out_event);
  }
  return gst_pad_event_default (pad, parent, event);
}

static gboolean
gst_sec_srtp_base_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstSecSrtpBase *self = GST_SEC_SRTP_BASE (parent);
  PadInfo *info = gst_pad_get_element_private (pad);

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_CAPS:{
      GstCaps *filter, *peer_filter = NULL, *peer_caps, *result, *templ;
      const gchar *other_name = other_caps_name (self, pad, info);
      const gchar *own_name;

      templ = gst_pad_get_pad_template_caps (pad);
      own_name = gst_structure_get_name (gst_caps_get_structure (templ, 0));
      gst_query_parse_caps (query, &filter);
      if (filter)
        peer_filter = rename_caps (filter, other_name);
      peer_caps = gst_pad_peer_query_caps (info->other, peer_filter);
      if (gst_caps_is_any (peer_caps)) {
        result = gst_caps_ref (templ);
      } else {
        GstCaps *renamed = rename_caps (peer_caps, own_name);
        result = gst_caps_intersect (renamed, templ);
        gst_caps_unref (renamed);
      }
      if (filter) {
        GstCaps *tmp = gst_caps_intersect_full (filter, result,
            GST_CAPS_INTERSECT_FIRST);
        gst_caps_unref (result);
        result = tmp;
      }
      gst_query_set_caps_result (query, result);
      gst_caps_unref (result);
      gst_caps_unref (peer_caps);
      gst_caps_unref (templ);
      if (peer_filter)
        gst_caps_unref (peer_filter);
      return TRUE;
    }
    case GST_QUERY_ALLOCATION:
      if (GST_SEC_SRTP_BASE_GET_CLASS (self)->direction ==
          SEC_SRTP_DIRECTION_PROTECT) {
        /* Ask upstream for room after each packet for the trailer, so
         * packets are protected in place without a copy. */
        GstAllocationParams params;

        gst_allocation_params_init (&params);
        params.padding = SEC_SRTP_MAX_TRAILER_LEN;
        gst_query_add_allocation_param (query, NULL, &params);
        return TRUE;
      }
      return FALSE;
    default:
      return gst_pad_query_default (pad, parent, query);
  }
}

static GstIterator *
gst_sec_srtp_base_iterate_internal_links (GstPad * pad, GstObject * parent)
{
  PadInfo *info = gst_pad_get_element_private (pad);
  GValue v = G_VALUE_INIT;
  GstIterator *it;

  if (info == NULL || info->other == NULL)
    return NULL;
  g_value_init (&v, GST_TYPE_PAD);
  g_value_set_object (&v, info->other);
  it = gst_iterator_new_single (GST_TYPE_PAD, &v);
  g_value_unset (&v);
  return it;
}

/* ---- the packet path ---- */

/* secsrtpdec's warning about drops that keep happening (srtpalarm.h):
 * what to check for people, the counts and the likely cause in the
 * debug text and in the details; never key bytes. */
static void
post_alarm (GstSecSrtpBase * self, PendingAlarm * alarm)
{
  const SecSrtpAlarmReport *r = &alarm->report;
  guint interval_s = SEC_SRTP_ALARM_INTERVAL_US / G_USEC_PER_SEC;
  GString *debug = g_string_new (NULL);
  gchar *profile = alarm->profile ? g_strdup_printf ("the profile (%s here)",
      alarm->profile) : g_strdup ("the profile (keys from request-key here)");

  if (r->kind == SEC_SRTP_ALARM_AUTH) {
    if (r->first)
      g_string_append_printf (debug, "a packet (SSRC 0x%08x) failed "
          "authentication and was dropped", alarm->ssrc);
    else
      g_string_append_printf (debug, "%" G_GUINT64_FORMAT " packets failed "
          "authentication in the last %" G_GINT64_FORMAT " s (%"
          G_GUINT64_FORMAT " since the key was set, the last of SSRC "
          "0x%08x) and were dropped", r->dropped, r->elapsed_us /
          G_USEC_PER_SEC, r->total, alarm->ssrc);
    if (r->accepted == 0)
      g_string_append_printf (debug, "; no packet has authenticated since "
          "the key was set: the key or %s almost certainly differs from the "
          "sender's (with keys from DTLS, both ends must be keyed by the same "
          "association)", profile);
    else
      g_string_append_printf (debug, "; %" G_GUINT64_FORMAT " packets "
          "authenticated since the key was set, so the key is right for "
          "them: the failures are corrupted or forged packets, or packets "
          "under another key (a sender that changed its key, a second "
          "sender)", r->accepted);
    g_string_append_printf (debug, ". Every failure is counted in 'stats' "
        "(auth-failures); this warning comes at most every %u s.",
        interval_s);
    GST_ELEMENT_WARNING_WITH_DETAILS (self, STREAM, DECRYPT,
        (_("Received SRTP packets fail authentication and are dropped. "
                "Check that the key and the protection profile match the "
                "sender's.")), ("%s", debug->str),
        ("reason", G_TYPE_STRING, "authentication",
            "dropped", G_TYPE_UINT64, r->dropped,
            "total", G_TYPE_UINT64, r->total,
            "packets-unprotected", G_TYPE_UINT64, r->accepted,
            "ssrc", G_TYPE_UINT, alarm->ssrc,
            "interval", G_TYPE_UINT, interval_s, NULL));
  } else {
    g_string_append_printf (debug, "%" G_GUINT64_FORMAT " packets in a row "
        "were replays (an index already received, or older than the replay "
        "window of %u packets) and were dropped, the last of SSRC 0x%08x; ",
        r->run, alarm->replay_window, alarm->ssrc);
    if (!r->first)
      g_string_append_printf (debug, "%" G_GUINT64_FORMAT " replays since "
          "the last warning, ", r->dropped);
    g_string_append_printf (debug, "%" G_GUINT64_FORMAT " since the key was "
        "set. The sender probably restarted its stream under the key it used "
        "before (a new stream needs a new key, RFC 3711 section 9.1), or old "
        "packets are being sent again (a network path that loops, an "
        "attacker). Every replay is counted in 'stats' (replays-dropped); "
        "this warning comes at most every %u s while they go on.", r->total,
        interval_s);
    GST_ELEMENT_WARNING_WITH_DETAILS (self, STREAM, DECRYPT,
        (_("Received SRTP packets keep arriving as replays and are dropped. "
                "Check that the sender uses a new key after each restart.")),
        ("%s", debug->str),
        ("reason", G_TYPE_STRING, "replay",
            "dropped", G_TYPE_UINT64, r->dropped,
            "total", G_TYPE_UINT64, r->total,
            "packets-unprotected", G_TYPE_UINT64, r->accepted,
            "ssrc", G_TYPE_UINT, alarm->ssrc,
            "interval", G_TYPE_UINT, interval_s, NULL));
  }
  g_string_free (debug, TRUE);
  g_free (profile);
}

static void
emit_pending (GstSecSrtpBase * self, PendingSignals * pending)
{
  guint k;

  for (k = 0; k < SEC_SRTP_ALARM_N_KINDS; k++) {
    if (pending->alarms[k].due)
      post_alarm (self, &pending->alarms[k]);
    g_free (pending->alarms[k].profile);
    pending->alarms[k].profile = NULL;
  }
  if (pending->events & SEC_SRTP_EVENT_SOFT_LIMIT) {
    GST_INFO_OBJECT (self, "key soft limit reached (SSRC 0x%08x)",
        pending->soft_ssrc);
    g_signal_emit (self, signals[SIGNAL_SOFT_LIMIT], 0, pending->soft_ssrc);
  }
  if (pending->events & SEC_SRTP_EVENT_HARD_LIMIT) {
    GST_WARNING_OBJECT (self, "key hard limit reached (SSRC 0x%08x)",
        pending->hard_ssrc);
    g_signal_emit (self, signals[SIGNAL_HARD_LIMIT], 0, pending->hard_ssrc);
  }
}

/* STYLE.md: per-packet problems are counted, and logged at most once
 * per second. */
static void
note_drop_locked (GstSecSrtpBase * self, SecSrtpResult result)
{
  GstSecSrtpBasePrivate *priv = PRIV (self);
  GstClockTime now = g_get_monotonic_time () * GST_USECOND;

  priv->drops_since_warning++;
  priv->last_drop_reason = result;
  if (!GST_CLOCK_TIME_IS_VALID (priv->last_warning)
      || now - priv->last_warning >= GST_SECOND) {
    GST_WARNING_OBJECT (self, "dropped %" G_GUINT64_FORMAT " packet(s) in "
        "the last second, latest: %s", priv->drops_since_warning,
        sec_srtp_result_to_string (result));
    priv->last_warning = now;
    priv->drops_since_warning = 0;
  }
}

/* The element clock's time, for the drop warnings: a GstTestClock makes
 * them deterministic in tests. Without a clock, monotonic time (the
 * system clock's default). */
static gint64
element_now_us (GstSecSrtpBase * self)
{
  GstClock *clock = gst_element_get_clock (GST_ELEMENT (self));
  gint64 now;

  if (clock == NULL)
    return g_get_monotonic_time ();
  now = (gint64) (gst_clock_get_time (clock) / GST_USECOND);
  gst_object_unref (clock);
  return now;
}

/* secsrtpdec: counts the drop towards a warning, and queues the warning
 * in @pending when one is due. */
static void
note_alarm_locked (GstSecSrtpBase * self, GstSecSrtpBasePrivate * priv,
    SecSrtpResult result, guint32 ssrc, PendingSignals * pending)
{
  SecSrtpAlarmReport report;
  PendingAlarm *alarm;

  if (result != SEC_SRTP_RESULT_AUTH_FAILED
      && result != SEC_SRTP_RESULT_REPLAYED)
    return;
  if (!sec_srtp_alarm_dropped (&priv->alarm, result, element_now_us (self),
          &report))
    return;
  alarm = &pending->alarms[report.kind];
  alarm->due = TRUE;
  alarm->report = report;
  alarm->ssrc = ssrc;
  alarm->replay_window = priv->replay_window;
  g_free (alarm->profile);
  alarm->profile = sec_srtp_session_has_key (priv->session) ?
      g_strdup (sec_srtp_profile_get_info (sec_srtp_session_get_profile
          (priv->session))->name) : NULL;
}

/* Maps @buf's only memory for writing if the packet may be changed where
 * it lies: @buf is writable (the caller checked) and GStreamer's memory
 * lock grants the write map, which it refuses for memory shared with
 * another buffer (a shallow copy, a sub-buffer) or flagged read-only.
 * This is what gst_buffer_is_memory_range_writable () checks, without
 * walking from the memory back up to the buffer once more. */
static inline gboolean
map_own_memory (GstMemory * mem, GstMapInfo * map)
{
  return gst_memory_map (mem, map, GST_MAP_READWRITE);
}

/* Gives @mem, mapped by map_own_memory () into @map, @size bytes of valid
 * data (at most map->maxsize), then unmaps it. This is
 * gst_memory_resize (mem, 0, size) done while the write map still proves
 * the memory is the element's: that function would first check
 * writability again, up from the memory to its buffer, which costs more
 * here than the resize itself. */
static inline void
resize_and_unmap_own_memory (GstMemory * mem, GstMapInfo * map, gsize size)
{
  g_assert (size <= map->maxsize);
  /* as gst_memory_resize (): shrinking exposes padding that is not
   * zero-filled any more */
  if (size < mem->size)
    GST_MEMORY_FLAG_UNSET (mem, GST_MEMORY_FLAG_ZERO_PADDED);
  mem->size = size;
  gst_memory_unmap (mem, map);
}

/* secsrtpenc: protect @buf where it lies if its memory has room for the
 * trailer (the allocation query asks upstream for that room) and is its
 * own to change; otherwise into new memory of the final size, copying the
 * packet once. */
static GstBuffer *
protect_buffer_locked (GstSecSrtpBasePrivate * priv, GstBuffer * buf,
    gboolean rtcp, SecSrtpResult * result, guint32 * ssrc,
    SecSrtpEvents * events)
{
  gsize trailer = sec_srtp_session_trailer_len (priv->session, rtcp);
  gboolean writable = gst_buffer_is_writable (buf);
  GstMemory *mem;
  gsize size, offset, maxsize;
  GstMapInfo map;
  guint8 *data;
  gsize len;

  if (gst_buffer_n_memory (buf) == 1) {
    mem = gst_buffer_peek_memory (buf, 0);
    size = gst_memory_get_sizes (mem, &offset, &maxsize);
    if (writable && maxsize - offset >= size + trailer
        && map_own_memory (mem, &map)) {
      len = map.size;
      *result = sec_srtp_session_protect (priv->session, rtcp, map.data,
          &len, map.maxsize, ssrc, events);
      resize_and_unmap_own_memory (mem, &map,
          *result == SEC_SRTP_RESULT_OK ? len : map.size);
      return buf;
    }
  } else {
    size = gst_buffer_get_size (buf);
  }

  /* No room (payloaders allocate the exact size), or not ours: one new
   * memory of the final size. It is ours alone until it joins a buffer,
   * so it is written without a map. */
  GST_LOG ("no room for the trailer in place: copying %" G_GSIZE_FORMAT
      " bytes", size);
  mem = gst_sec_srtp_allocator_alloc_packet (priv->allocator, size + trailer,
      &data);
  gst_buffer_extract (buf, 0, data, size);
  len = size;
  *result = sec_srtp_session_protect (priv->session, rtcp, data, &len,
      size + trailer, ssrc, events);
  if (*result != SEC_SRTP_RESULT_OK) {
    gst_memory_unref (mem);
    return buf;
  }
  if (G_UNLIKELY (len != size + trailer))
    gst_memory_resize (mem, 0, len);
  if (writable) {
    gst_buffer_replace_all_memory (buf, mem);
  } else {
    /* shared with another branch: leave it alone */
    GstBuffer *out = gst_buffer_new ();

    gst_buffer_copy_into (out, buf, GST_BUFFER_COPY_METADATA, 0, -1);
    gst_buffer_append_memory (out, mem);
    gst_buffer_unref (buf);
    buf = out;
  }
  return buf;
}

/* secsrtpdec: always in place; a buffer or memory shared with another
 * branch is copied first (make_writable and the write map do that). */
static GstBuffer *
unprotect_buffer_locked (GstSecSrtpBasePrivate * priv, GstBuffer * buf,
    gboolean rtcp, SecSrtpResult * result, guint32 * ssrc,
    SecSrtpEvents * events)
{
  GstMemory *mem;
  GstMapInfo map;
  gsize len;

  if (gst_buffer_n_memory (buf) == 1 && gst_buffer_is_writable (buf)) {
    mem = gst_buffer_peek_memory (buf, 0);
    if (map_own_memory (mem, &map)) {
      len = map.size;
      *result = sec_srtp_session_unprotect (priv->session, rtcp, map.data,
          &len, ssrc, events);
      resize_and_unmap_own_memory (mem, &map,
          *result == SEC_SRTP_RESULT_OK ? len : map.size);
      return buf;
    }
  }

  buf = gst_buffer_make_writable (buf);
  if (!gst_buffer_map (buf, &map, GST_MAP_READWRITE)) {
    *result = SEC_SRTP_RESULT_FAILED;
    return buf;
  }
  len = map.size;
  *result = sec_srtp_session_unprotect (priv->session, rtcp, map.data, &len,
      ssrc, events);
  gst_buffer_unmap (buf, &map);
  if (*result == SEC_SRTP_RESULT_OK)
    gst_buffer_set_size (buf, len);
  return buf;
}

/* Protects or unprotects @buf (consumed). Returns the buffer to push, or
 * NULL when the packet is dropped. Called with the lock held; may drop
 * and retake it to ask for a key. */
static GstBuffer *
process_buffer_locked (GstSecSrtpBase * self, GstSecSrtpBasePrivate * priv,
    GstBuffer * buf, gboolean rtcp, PendingSignals * pending)
{
  SecSrtpResult result;
  SecSrtpEvents events = SEC_SRTP_EVENT_NONE;
  guint32 ssrc = 0;

  if (priv->direction == SEC_SRTP_DIRECTION_PROTECT) {
    buf = protect_buffer_locked (priv, buf, rtcp, &result, &ssrc, &events);
  } else {
    buf = unprotect_buffer_locked (priv, buf, rtcp, &result, &ssrc, &events);
    if (G_UNLIKELY (result == SEC_SRTP_RESULT_NO_KEY
            || result == SEC_SRTP_RESULT_KEY_EXPIRED)) {
      GstSecSrtpBaseClass *klass = GST_SEC_SRTP_BASE_GET_CLASS (self);
      gboolean got_key = FALSE;

      if (klass->need_key) {
        g_mutex_unlock (&priv->lock);
        got_key = klass->need_key (self, ssrc,
            result == SEC_SRTP_RESULT_KEY_EXPIRED);
        g_mutex_lock (&priv->lock);
      }
      if (got_key && priv->running) {
        /* the first attempt was counted as a drop; it is not one */
        sec_srtp_session_uncount_drop (priv->session, result);
        buf = unprotect_buffer_locked (priv, buf, rtcp, &result, &ssrc,
            &events);
      }
    }
  }

  if (G_UNLIKELY (events)) {
    pending->events |= events;
    if (events & SEC_SRTP_EVENT_SOFT_LIMIT)
      pending->soft_ssrc = ssrc;
    if (events & SEC_SRTP_EVENT_HARD_LIMIT)
      pending->hard_ssrc = ssrc;
  }

  if (G_UNLIKELY (result != SEC_SRTP_RESULT_OK)) {
    note_drop_locked (self, result);
    if (priv->direction == SEC_SRTP_DIRECTION_UNPROTECT)
      note_alarm_locked (self, priv, result, ssrc, pending);
    gst_buffer_unref (buf);
    return NULL;
  }
  if (priv->direction == SEC_SRTP_DIRECTION_UNPROTECT)
    sec_srtp_alarm_accepted (&priv->alarm);
  return buf;
}

static inline gboolean
pending_alarms (const PendingSignals * pending)
{
  return pending->alarms[SEC_SRTP_ALARM_AUTH].due
      || pending->alarms[SEC_SRTP_ALARM_REPLAY].due;
}

static GstFlowReturn
gst_sec_srtp_base_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  PadInfo *info = gst_pad_get_element_private (pad);
  GstSecSrtpBase *self = info->self;
  GstSecSrtpBasePrivate *priv = info->priv;
  PendingSignals pending = { 0, };

  g_mutex_lock (&priv->lock);
  if (G_UNLIKELY (!priv->running)) {
    g_mutex_unlock (&priv->lock);
    gst_buffer_unref (buf);
    return GST_FLOW_FLUSHING;
  }
  buf = process_buffer_locked (self, priv, buf, info->rtcp, &pending);
  g_mutex_unlock (&priv->lock);

  if (G_UNLIKELY (pending.events || pending_alarms (&pending)))
    emit_pending (self, &pending);
  if (buf == NULL)
    return GST_FLOW_OK;
  return gst_pad_push (info->other, buf);
}

typedef struct
{
  GstSecSrtpBase *self;
  GstSecSrtpBasePrivate *priv;
  gboolean rtcp;
  PendingSignals pending;
} ListContext;

static gboolean
process_list_item (GstBuffer ** buffer, guint idx, gpointer user_data)
{
  ListContext *ctx = user_data;

  /* the list's reference is handed over; NULL removes the item */
  *buffer = process_buffer_locked (ctx->self, ctx->priv, *buffer, ctx->rtcp,
      &ctx->pending);
  return TRUE;
}

static GstFlowReturn
gst_sec_srtp_base_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list)
{
  PadInfo *info = gst_pad_get_element_private (pad);
  GstSecSrtpBase *self = info->self;
  GstSecSrtpBasePrivate *priv = info->priv;
  ListContext ctx = { self, priv, info->rtcp, {0,} };

  list = gst_buffer_list_make_writable (list);
  g_mutex_lock (&priv->lock);
  if (G_UNLIKELY (!priv->running)) {
    g_mutex_unlock (&priv->lock);
    gst_buffer_list_unref (list);
    return GST_FLOW_FLUSHING;
  }
  gst_buffer_list_foreach (list, process_list_item, &ctx);
  g_mutex_unlock (&priv->lock);

  if (G_UNLIKELY (ctx.pending.events || pending_alarms (&ctx.pending)))
    emit_pending (self, &ctx.pending);
  if (gst_buffer_list_length (list) == 0) {
    gst_buffer_list_unref (list);
    return GST_FLOW_OK;
  }
  return gst_pad_push_list (info->other, list);
}

/* ---- pads ---- */

static GQuark
pad_info_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("gst-sec-srtp-pad-info");
  return quark;
}

void
gst_sec_srtp_base_install_pad_templates (GstElementClass * klass,
    const gchar * rtp_in, const gchar * rtp_out, const gchar * rtcp_in,
    const gchar * rtcp_out)
{
  gst_element_class_add_pad_template (klass,
      gst_pad_template_new ("rtp_sink_%u", GST_PAD_SINK, GST_PAD_REQUEST,
          gst_caps_new_empty_simple (rtp_in)));
  gst_element_class_add_pad_template (klass,
      gst_pad_template_new ("rtp_src_%u", GST_PAD_SRC, GST_PAD_SOMETIMES,
          gst_caps_new_empty_simple (rtp_out)));
  gst_element_class_add_pad_template (klass,
      gst_pad_template_new ("rtcp_sink_%u", GST_PAD_SINK, GST_PAD_REQUEST,
          gst_caps_new_empty_simple (rtcp_in)));
  gst_element_class_add_pad_template (klass,
      gst_pad_template_new ("rtcp_src_%u", GST_PAD_SRC, GST_PAD_SOMETIMES,
          gst_caps_new_empty_simple (rtcp_out)));
}

static GstPad *
gst_sec_srtp_base_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstSecSrtpBase *self = GST_SEC_SRTP_BASE (element);
  GstSecSrtpBasePrivate *priv = PRIV (self);
  GstElementClass *klass = GST_ELEMENT_GET_CLASS (element);
  const gchar *templ_name = GST_PAD_TEMPLATE_NAME_TEMPLATE (templ);
  gboolean rtcp;
  guint id;
  gchar *sink_name, *src_name;
  GstPad *sinkpad, *srcpad;
  PadInfo *sink_info, *src_info;

  if (g_str_equal (templ_name, "rtp_sink_%u"))
    rtcp = FALSE;
  else if (g_str_equal (templ_name, "rtcp_sink_%u"))
    rtcp = TRUE;
  else
    return NULL;

  GST_OBJECT_LOCK (self);
  if (name != NULL) {
    const gchar *prefix = rtcp ? "rtcp_sink_" : "rtp_sink_";
    const gchar *digits = name + strlen (prefix);
    gchar *end = NULL;
    guint64 parsed;

    if (!g_str_has_prefix (name, prefix) || !g_ascii_isdigit (*digits)
        || (parsed = g_ascii_strtoull (digits, &end, 10)) > G_MAXUINT16
        || *end != '\0') {
      GST_OBJECT_UNLOCK (self);
      GST_WARNING_OBJECT (self, "invalid pad name %s", name);
      return NULL;
    }
    id = (guint) parsed;
  } else {
    id = priv->next_pad_id;
  }
  priv->next_pad_id = MAX (priv->next_pad_id, id + 1);
  GST_OBJECT_UNLOCK (self);

  sink_name = g_strdup_printf ("%s_sink_%u", rtcp ? "rtcp" : "rtp", id);
  src_name = g_strdup_printf ("%s_src_%u", rtcp ? "rtcp" : "rtp", id);
  sinkpad = gst_element_get_static_pad (element, sink_name);
  if (sinkpad != NULL) {
    GST_WARNING_OBJECT (self, "pad %s already exists", sink_name);
    gst_object_unref (sinkpad);
    g_free (sink_name);
    g_free (src_name);
    return NULL;
  }

  sinkpad = gst_pad_new_from_template (templ, sink_name);
  srcpad = gst_pad_new_from_template (gst_element_class_get_pad_template
      (klass, rtcp ? "rtcp_src_%u" : "rtp_src_%u"), src_name);
  g_free (sink_name);
  g_free (src_name);

  sink_info = g_new0 (PadInfo, 1);
  sink_info->other = srcpad;
  sink_info->rtcp = rtcp;
  sink_info->self = self;
  sink_info->priv = priv;
  src_info = g_new0 (PadInfo, 1);
  src_info->other = sinkpad;
  src_info->rtcp = rtcp;
  src_info->self = self;
  src_info->priv = priv;
  /* freed with the pad; element_private is the fast path to it */
  g_object_set_qdata_full (G_OBJECT (sinkpad), pad_info_quark (), sink_info,
      g_free);
  g_object_set_qdata_full (G_OBJECT (srcpad), pad_info_quark (), src_info,
      g_free);
  gst_pad_set_element_private (sinkpad, sink_info);
  gst_pad_set_element_private (srcpad, src_info);

  gst_pad_set_chain_function (sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_srtp_base_chain));
  gst_pad_set_chain_list_function (sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_srtp_base_chain_list));
  gst_pad_set_event_function (sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_srtp_base_sink_event));
  gst_pad_set_query_function (sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_srtp_base_query));
  gst_pad_set_iterate_internal_links_function (sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_srtp_base_iterate_internal_links));
  gst_pad_set_query_function (srcpad,
      GST_DEBUG_FUNCPTR (gst_sec_srtp_base_query));
  gst_pad_set_iterate_internal_links_function (srcpad,
      GST_DEBUG_FUNCPTR (gst_sec_srtp_base_iterate_internal_links));

  gst_pad_set_active (srcpad, TRUE);
  gst_pad_set_active (sinkpad, TRUE);
  gst_element_add_pad (element, srcpad);
  gst_element_add_pad (element, sinkpad);
  return sinkpad;
}

static void
gst_sec_srtp_base_release_pad (GstElement * element, GstPad * pad)
{
  PadInfo *info = gst_pad_get_element_private (pad);
  GstPad *srcpad;

  if (info == NULL || GST_PAD_DIRECTION (pad) != GST_PAD_SINK)
    return;
  srcpad = info->other;

  gst_pad_set_active (pad, FALSE);
  gst_pad_set_active (srcpad, FALSE);
  gst_element_remove_pad (element, srcpad);
  gst_element_remove_pad (element, pad);
}
