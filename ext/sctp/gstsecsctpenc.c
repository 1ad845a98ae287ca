/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secsctpenc
 * @title: secsctpenc
 *
 * The sending half of a WebRTC data channel transport: an SCTP
 * association over DTLS (RFC 8261, usrsctp) with the data channels of
 * RFC 8831 and their establishment protocol, DCEP (RFC 8832). It shares
 * the association with the secsctpdec of the same `association-id`:
 * this element holds its settings and sends, secsctpdec takes the
 * peer's packets and tells what arrived. Its `src` pad carries SCTP
 * packets for secdtlsenc's request `sink` pad (DTLS application data);
 * secdtlsdec's `src` pad feeds secsctpdec.
 *
 * The association starts when the element goes to PAUSED: both ends
 * send INIT (an SCTP simultaneous open) from port `local-port` to
 * `remote-port` (5000 unless the SDP's `a=sctp-port` says otherwise),
 * and secdtlsenc holds the packets until its handshake is done. Channels
 * are opened with the `open-channel` action, from either end, before or
 * after the association is up (a channel opened early opens when it
 * comes up): in-band ones with a DATA_CHANNEL_OPEN on a stream id of
 * this end's parity (the DTLS client even, the server odd: set
 * `is-client` as secdtlsenc's), negotiated ones (`negotiated=true` and an
 * `id`, created by both ends) without DCEP. Messages are sent with
 * `send-string` and `send-data` (text and binary, empty ones included,
 * RFC 8831 §6.6), ordered or not, reliable or with partial reliability
 * (`max-retransmits` or `max-packet-lifetime`), and arrive through
 * secsctpdec's `on-message`. `close-channel` resets the channel's
 * streams (RFC 8831 §6.7) after what it has queued.
 *
 * Flow control: what a channel has queued and SCTP has not taken yet is
 * its buffered amount (`get-buffered-amount`); `on-buffered-amount-low`
 * fires when it falls to the threshold set by
 * `set-buffered-amount-low-threshold`, so a sender can write a large
 * file without holding it in memory. SCTP's own send buffer is 1 MiB,
 * which is also the largest message this element sends; messages over
 * the peer's `remote-max-message-size` are refused, and messages over
 * our `max-message-size` are dropped and counted on arrival.
 *
 * Errors never take the pipeline down: a send that cannot be done
 * returns FALSE and emits `on-error` with the reason; what the peer sends
 * against the rules is dropped and counted in `stats`.
 *
 * ## Example launch line
 *
 * The element has no sink pads: an application opens channels and sends
 * through its action signals (below, from C and from Python).
 * A launch line can still start both ends of an association, over DTLS
 * over UDP on 127.0.0.1, and shows `sctp-connected` from each secsctpdec
 * (the certificates as in secdtlsenc's reference: a.pem, b.pem, a.crt,
 * b.crt):
 * |[
 * gst-launch-1.0 -m \
 *   udpsrc address=127.0.0.1 port=5000 ! secdtlsdec connection-id=a \
 *       certificate="\"$(cat a.pem)\"" \
 *       peer-fingerprint="$(openssl x509 -in b.crt -noout -fingerprint -sha256)" \
 *   ! secsctpdec association-id=a \
 *   secsctpenc association-id=a is-client=true ! secdtlsenc connection-id=a \
 *       is-client=true ! udpsink host=127.0.0.1 port=5001 sync=false async=false \
 *   udpsrc address=127.0.0.1 port=5001 ! secdtlsdec connection-id=b \
 *       certificate="\"$(cat b.pem)\"" \
 *       peer-fingerprint="$(openssl x509 -in a.crt -noout -fingerprint -sha256)" \
 *   ! secsctpdec association-id=b \
 *   secsctpenc association-id=b ! secdtlsenc connection-id=b \
 *   ! udpsink host=127.0.0.1 port=5000 sync=false async=false
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecsctpenc.h"
#include "gstsecsctpassociation.h"

#include <glib/gi18n-lib.h>

GST_DEBUG_CATEGORY_STATIC (gst_sec_sctp_enc_debug);
#define GST_CAT_DEFAULT gst_sec_sctp_enc_debug

#define DEFAULT_PORT 5000
#define DEFAULT_MAX_MESSAGE_SIZE (256 * 1024)
#define DEFAULT_MAX_STREAMS 1024

enum
{
  PROP_0,
  PROP_ASSOCIATION_ID,
  PROP_IS_CLIENT,
  PROP_LOCAL_PORT,
  PROP_REMOTE_PORT,
  PROP_MAX_MESSAGE_SIZE,
  PROP_REMOTE_MAX_MESSAGE_SIZE,
  PROP_MAX_STREAMS,
  PROP_STATE,
  PROP_STATS,
};

enum
{
  SIGNAL_OPEN_CHANNEL,
  SIGNAL_SEND_STRING,
  SIGNAL_SEND_DATA,
  SIGNAL_CLOSE_CHANNEL,
  SIGNAL_GET_BUFFERED_AMOUNT,
  SIGNAL_SET_BUFFERED_AMOUNT_LOW_THRESHOLD,
  SIGNAL_ON_BUFFERED_AMOUNT_LOW,
  SIGNAL_ON_ERROR,
  LAST_SIGNAL
};

static guint signals[LAST_SIGNAL];

struct _GstSecSctpEnc
{
  GstElement parent;
  GstPad *srcpad;

  /* protected by the object lock */
  gchar *association_id;
  GstSecSctpConfig config;
  GstSecSctpAssociation *assoc; /* while started */
};

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS ("application/x-sctp"));

#define gst_sec_sctp_enc_parent_class parent_class
G_DEFINE_TYPE (GstSecSctpEnc, gst_sec_sctp_enc, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (secsctpenc, "secsctpenc", GST_RANK_NONE,
    GST_TYPE_SEC_SCTP_ENC);

static void gst_sec_sctp_enc_finalize (GObject * object);
static void gst_sec_sctp_enc_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_sec_sctp_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_sec_sctp_enc_change_state (GstElement *
    element, GstStateChange transition);
static gint gst_sec_sctp_enc_open_channel (GstSecSctpEnc * self,
    const gchar * label, const GstStructure * options);
static gboolean gst_sec_sctp_enc_send_string (GstSecSctpEnc * self, guint id,
    const gchar * text);
static gboolean gst_sec_sctp_enc_send_data (GstSecSctpEnc * self, guint id,
    GBytes * data);
static void gst_sec_sctp_enc_close_channel (GstSecSctpEnc * self, guint id);
static guint64 gst_sec_sctp_enc_get_buffered_amount (GstSecSctpEnc * self,
    guint id);
static void gst_sec_sctp_enc_set_buffered_amount_low_threshold (GstSecSctpEnc
    * self, guint id, guint64 threshold);

static void
gst_sec_sctp_enc_class_init (GstSecSctpEncClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_sec_sctp_enc_debug, "secsctpenc", 0,
      "SCTP data channels, sending half");

  gobject_class->finalize = gst_sec_sctp_enc_finalize;
  gobject_class->set_property = gst_sec_sctp_enc_set_property;
  gobject_class->get_property = gst_sec_sctp_enc_get_property;

  g_object_class_install_property (gobject_class, PROP_ASSOCIATION_ID,
      g_param_spec_string ("association-id", "Association id",
          "Name of the SCTP association this element shares with the "
          "secsctpdec of the same id; required (unset fails the start). "
          "Changes only in NULL or READY",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_IS_CLIENT,
      g_param_spec_boolean ("is-client", "Is DTLS client",
          "This end is the DTLS client (set it as secdtlsenc's is-client): "
          "it opens channels on even stream ids, the server on odd ones "
          "(RFC 8832 §6). May change until the first channel is opened",
          FALSE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_LOCAL_PORT,
      g_param_spec_uint ("local-port", "Local port",
          "This end's SCTP port (RFC 8841 a=sctp-port)", 1, 65535,
          DEFAULT_PORT, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_REMOTE_PORT,
      g_param_spec_uint ("remote-port", "Remote port",
          "The peer's SCTP port (its a=sctp-port)", 1, 65535,
          DEFAULT_PORT, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MAX_MESSAGE_SIZE,
      g_param_spec_uint64 ("max-message-size", "Max message size",
          "The largest message this end takes (its a=max-message-size, RFC "
          "8841 §6); larger ones are dropped and counted. 0: no limit",
          0, G_MAXUINT64, DEFAULT_MAX_MESSAGE_SIZE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class,
      PROP_REMOTE_MAX_MESSAGE_SIZE, g_param_spec_uint64
      ("remote-max-message-size", "Remote max message size",
          "The largest message the peer takes (its a=max-message-size; "
          "65536 when its SDP has none, 0 when it says 0: no limit). "
          "Larger sends are refused. May change in any state",
          0, G_MAXUINT64, DEFAULT_MAX_MESSAGE_SIZE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_MAX_STREAMS,
      g_param_spec_uint ("max-streams", "Max streams",
          "Streams offered each way in INIT; the association takes the "
          "smaller of the two ends' counts, and channel ids stay below it",
          2, 65535, DEFAULT_MAX_STREAMS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_STATE,
      g_param_spec_enum ("state", "State", "The SCTP association's state",
          GST_TYPE_SEC_SCTP_STATE, GST_SEC_SCTP_STATE_NEW,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Of the association both elements share: state, packets and bytes "
          "each way, messages refused (against RFC 8831/8832), abandoned "
          "(partial reliability) and too large, and each channel "
          "('channels': label, protocol, state, messages and bytes each "
          "way, buffered amount)",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstSecSctpEnc::open-channel:
   * @label: the channel's label
   * @options: (nullable): `ordered` (boolean, default true),
   *   `max-retransmits` or `max-packet-lifetime` (int, ms; not both),
   *   `protocol` (string), `negotiated` (boolean) with `id` (int),
   *   `priority` (uint, RFC 8832 §5.1)
   *
   * Returns: the channel's stream id, or -1 (with a warning message
   * saying why: bad options, an id in use or of the peer's parity)
   */
  signals[SIGNAL_OPEN_CHANNEL] = g_signal_new_class_handler ("open-channel",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_sec_sctp_enc_open_channel), NULL, NULL, NULL,
      G_TYPE_INT, 2, G_TYPE_STRING, GST_TYPE_STRUCTURE);
  /**
   * GstSecSctpEnc::send-string:
   * Sends a text message (UTF-8; "" is an empty message) on an open
   * channel. Returns: FALSE with on-error when it cannot be sent
   */
  signals[SIGNAL_SEND_STRING] = g_signal_new_class_handler ("send-string",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_sec_sctp_enc_send_string), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 2, G_TYPE_UINT, G_TYPE_STRING);
  /**
   * GstSecSctpEnc::send-data:
   * Sends a binary message (an empty GBytes is an empty message).
   * Returns: FALSE with on-error when it cannot be sent
   */
  signals[SIGNAL_SEND_DATA] = g_signal_new_class_handler ("send-data",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_sec_sctp_enc_send_data), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 2, G_TYPE_UINT, G_TYPE_BYTES);
  signals[SIGNAL_CLOSE_CHANNEL] = g_signal_new_class_handler ("close-channel",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_sec_sctp_enc_close_channel), NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_GET_BUFFERED_AMOUNT] =
      g_signal_new_class_handler ("get-buffered-amount",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_sec_sctp_enc_get_buffered_amount), NULL, NULL, NULL,
      G_TYPE_UINT64, 1, G_TYPE_UINT);
  signals[SIGNAL_SET_BUFFERED_AMOUNT_LOW_THRESHOLD] =
      g_signal_new_class_handler ("set-buffered-amount-low-threshold",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_sec_sctp_enc_set_buffered_amount_low_threshold), NULL,
      NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT64);
  /**
   * GstSecSctpEnc::on-buffered-amount-low:
   * A channel's buffered amount fell to its threshold (from the
   * association's thread)
   */
  signals[SIGNAL_ON_BUFFERED_AMOUNT_LOW] =
      g_signal_new ("on-buffered-amount-low", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * GstSecSctpEnc::on-error:
   * A send on channel @id failed: why (from the thread that sent, or the
   * association's thread when SCTP refused a queued message)
   */
  signals[SIGNAL_ON_ERROR] = g_signal_new ("on-error",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_ERROR);

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "SCTP data channel encoder (gst-secwebrtc)", "Encoder/Network",
      "Sends WebRTC data channels: an SCTP association over DTLS (RFC "
      "8261) with DCEP (RFC 8832), shared with secsctpdec",
      "gst-secwebrtc developers");
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_sec_sctp_enc_change_state);
  gst_type_mark_as_plugin_api (GST_TYPE_SEC_SCTP_STATE, 0);
}

static void
gst_sec_sctp_enc_init (GstSecSctpEnc * self)
{
  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
  self->config.local_port = DEFAULT_PORT;
  self->config.remote_port = DEFAULT_PORT;
  self->config.max_message_size = DEFAULT_MAX_MESSAGE_SIZE;
  self->config.remote_max_message_size = DEFAULT_MAX_MESSAGE_SIZE;
  self->config.max_streams = DEFAULT_MAX_STREAMS;
}

static void
gst_sec_sctp_enc_finalize (GObject * object)
{
  GstSecSctpEnc *self = GST_SEC_SCTP_ENC (object);

  g_free (self->association_id);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* The running association, a reference, or NULL. */
static GstSecSctpAssociation *
get_assoc (GstSecSctpEnc * self)
{
  GstSecSctpAssociation *assoc = NULL;

  GST_OBJECT_LOCK (self);
  if (self->assoc)
    assoc = gst_sec_sctp_association_ref (self->assoc);
  GST_OBJECT_UNLOCK (self);
  return assoc;
}

static void
gst_sec_sctp_enc_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecSctpEnc *self = GST_SEC_SCTP_ENC (object);
  GstSecSctpAssociation *assoc;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ASSOCIATION_ID:
      g_free (self->association_id);
      self->association_id = g_value_dup_string (value);
      break;
    case PROP_IS_CLIENT:
      self->config.is_client = g_value_get_boolean (value);
      break;
    case PROP_LOCAL_PORT:
      self->config.local_port = g_value_get_uint (value);
      break;
    case PROP_REMOTE_PORT:
      self->config.remote_port = g_value_get_uint (value);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      self->config.max_message_size = g_value_get_uint64 (value);
      break;
    case PROP_REMOTE_MAX_MESSAGE_SIZE:
      self->config.remote_max_message_size = g_value_get_uint64 (value);
      break;
    case PROP_MAX_STREAMS:
      self->config.max_streams = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);

  /* the settings a running association takes */
  if (prop_id != PROP_IS_CLIENT && prop_id != PROP_REMOTE_MAX_MESSAGE_SIZE)
    return;
  assoc = get_assoc (self);
  if (assoc == NULL)
    return;
  if (prop_id == PROP_IS_CLIENT)
    gst_sec_sctp_association_set_is_client (assoc,
        g_value_get_boolean (value));
  else
    gst_sec_sctp_association_set_remote_max_message_size (assoc,
        g_value_get_uint64 (value));
  gst_sec_sctp_association_unref (assoc);
}

static void
gst_sec_sctp_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecSctpEnc *self = GST_SEC_SCTP_ENC (object);
  GstSecSctpAssociation *assoc;

  switch (prop_id) {
    case PROP_STATE:
    case PROP_STATS:
      assoc = get_assoc (self);
      gst_sec_sctp_association_get_value (assoc, prop_id == PROP_STATS, value);
      if (assoc)
        gst_sec_sctp_association_unref (assoc);
      return;
    default:
      break;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ASSOCIATION_ID:
      g_value_set_string (value, self->association_id);
      break;
    case PROP_IS_CLIENT:
      g_value_set_boolean (value, self->config.is_client);
      break;
    case PROP_LOCAL_PORT:
      g_value_set_uint (value, self->config.local_port);
      break;
    case PROP_REMOTE_PORT:
      g_value_set_uint (value, self->config.remote_port);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      g_value_set_uint64 (value, self->config.max_message_size);
      break;
    case PROP_REMOTE_MAX_MESSAGE_SIZE:
      g_value_set_uint64 (value, self->config.remote_max_message_size);
      break;
    case PROP_MAX_STREAMS:
      g_value_set_uint (value, self->config.max_streams);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static gboolean
start (GstSecSctpEnc * self)
{
  GstSecSctpAssociation *assoc;
  GstSecSctpConfig config;
  GError *error = NULL;
  gchar *id;

  GST_OBJECT_LOCK (self);
  id = g_strdup (self->association_id);
  config = self->config;
  GST_OBJECT_UNLOCK (self);
  if (id == NULL || *id == '\0') {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("No SCTP association id was set.")),
        ("set association-id on this secsctpenc and on its secsctpdec"));
    g_free (id);
    return FALSE;
  }
  assoc = gst_sec_sctp_association_get (id);
  g_free (id);
  gst_sec_sctp_association_set_encoder (assoc, GST_ELEMENT (self),
      self->srcpad);
  if (!gst_sec_sctp_association_start (assoc, &config, &error)) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        (_("Could not start the SCTP association.")), ("%s", error->message));
    g_error_free (error);
    gst_sec_sctp_association_set_encoder (assoc, NULL, NULL);
    gst_sec_sctp_association_unref (assoc);
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  self->assoc = assoc;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static void
stop (GstSecSctpEnc * self)
{
  GstSecSctpAssociation *assoc;

  GST_OBJECT_LOCK (self);
  assoc = self->assoc;
  self->assoc = NULL;
  GST_OBJECT_UNLOCK (self);
  if (assoc == NULL)
    return;
  gst_sec_sctp_association_stop (assoc);
  gst_sec_sctp_association_set_encoder (assoc, NULL, NULL);
  gst_sec_sctp_association_unref (assoc);
}

static GstStateChangeReturn
gst_sec_sctp_enc_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSecSctpEnc *self = GST_SEC_SCTP_ENC (element);
  GstStateChangeReturn ret;

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;
  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* the pad is flushing now: a push in progress returns at once */
      stop (self);
      break;
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      /* after the pads are active: the association's first packet (the
       * INIT) goes out on a pad that takes it (before, it could be pushed
       * on a flushing pad and lost, costing SCTP's initial RTO of 1 s,
       * with its stream-start lost too) */
      if (!start (self)) {
        GST_ELEMENT_CLASS (parent_class)->change_state (element,
            GST_STATE_CHANGE_PAUSED_TO_READY);
        return GST_STATE_CHANGE_FAILURE;
      }
      /* a live source: nothing to preroll */
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    default:
      break;
  }
  return ret;
}

static void
report_error (GstSecSctpEnc * self, guint id, GError * error)
{
  GST_INFO_OBJECT (self, "channel %u: %s", id, error->message);
  g_signal_emit (self, signals[SIGNAL_ON_ERROR], 0, id, error);
  g_error_free (error);
}

static gint
gst_sec_sctp_enc_open_channel (GstSecSctpEnc * self, const gchar * label,
    const GstStructure * options)
{
  GstSecSctpAssociation *assoc = get_assoc (self);
  GError *error = NULL;
  gint id;

  if (assoc == NULL) {
    GST_ELEMENT_WARNING (self, RESOURCE, FAILED,
        (_("Could not open a data channel.")),
        ("the element is not started: channels open in PAUSED or PLAYING"));
    return -1;
  }
  id = gst_sec_sctp_association_open_channel (assoc, label, options, &error);
  gst_sec_sctp_association_unref (assoc);
  if (id < 0) {
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        (_("Could not open a data channel.")), ("'%s': %s",
            label ? label : "", error->message));
    g_error_free (error);
  }
  return id;
}

static gboolean
send_message (GstSecSctpEnc * self, guint id, gboolean binary, GBytes * data)
{
  GstSecSctpAssociation *assoc = get_assoc (self);
  GError *error = NULL;
  gboolean ok;

  if (assoc == NULL) {
    report_error (self, id, g_error_new (GST_RESOURCE_ERROR,
            GST_RESOURCE_ERROR_WRITE, "channel %u: the element is not "
            "started", id));
    return FALSE;
  }
  ok = gst_sec_sctp_association_send (assoc, id, binary, data, &error);
  gst_sec_sctp_association_unref (assoc);
  if (!ok)
    report_error (self, id, error);
  return ok;
}

static gboolean
gst_sec_sctp_enc_send_string (GstSecSctpEnc * self, guint id,
    const gchar * text)
{
  GBytes *data;
  gboolean ok;

  if (text == NULL) {
    report_error (self, id, g_error_new_literal (GST_RESOURCE_ERROR,
            GST_RESOURCE_ERROR_WRITE, "send-string with NULL"));
    return FALSE;
  }
  data = g_bytes_new (text, strlen (text));
  ok = send_message (self, id, FALSE, data);
  g_bytes_unref (data);
  return ok;
}

static gboolean
gst_sec_sctp_enc_send_data (GstSecSctpEnc * self, guint id, GBytes * data)
{
  GBytes *empty = NULL;
  gboolean ok;

  if (data == NULL)
    data = empty = g_bytes_new (NULL, 0);
  ok = send_message (self, id, TRUE, data);
  if (empty)
    g_bytes_unref (empty);
  return ok;
}

static void
gst_sec_sctp_enc_close_channel (GstSecSctpEnc * self, guint id)
{
  GstSecSctpAssociation *assoc = get_assoc (self);

  if (assoc == NULL)
    return;
  gst_sec_sctp_association_close_channel (assoc, id);
  gst_sec_sctp_association_unref (assoc);
}

static guint64
gst_sec_sctp_enc_get_buffered_amount (GstSecSctpEnc * self, guint id)
{
  GstSecSctpAssociation *assoc = get_assoc (self);
  guint64 amount;

  if (assoc == NULL)
    return 0;
  amount = gst_sec_sctp_association_get_buffered_amount (assoc, id);
  gst_sec_sctp_association_unref (assoc);
  return amount;
}

static void
gst_sec_sctp_enc_set_buffered_amount_low_threshold (GstSecSctpEnc * self,
    guint id, guint64 threshold)
{
  GstSecSctpAssociation *assoc = get_assoc (self);

  if (assoc == NULL)
    return;
  gst_sec_sctp_association_set_buffered_amount_low_threshold (assoc, id,
      threshold);
  gst_sec_sctp_association_unref (assoc);
}
