/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecWebRTCDataChannel: see gstsecwebrtcdatachannel.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecwebrtcdatachannel.h"

GST_DEBUG_CATEGORY_STATIC (sec_webrtc_data_channel_debug);
#define GST_CAT_DEFAULT sec_webrtc_data_channel_debug

/* RFC 8831 §6.5: stream ids 0..65534 */
#define MAX_STREAM_ID 65534

struct _GstSecWebRTCDataChannel
{
  GObject parent;

  /* set at creation */
  gchar *label;
  gchar *protocol;
  gboolean ordered;
  gint max_packet_lifetime;     /* -1: not set */
  gint max_retransmits;         /* -1: not set */
  gboolean negotiated;
  guint priority;

  /* protected by lock */
  GMutex lock;
  gint id;                      /* -1 until the association took it */
  GstElement *enc;              /* secsctpenc, a reference, once attached */
  GstSecWebRTCDataChannelState state;
  guint64 low_threshold;
};

enum
{
  PROP_0,
  PROP_LABEL,
  PROP_ORDERED,
  PROP_MAX_PACKET_LIFETIME,
  PROP_MAX_RETRANSMITS,
  PROP_PROTOCOL,
  PROP_NEGOTIATED,
  PROP_PRIORITY,
  PROP_ID,
  PROP_READY_STATE,
  PROP_BUFFERED_AMOUNT,
  PROP_BUFFERED_AMOUNT_LOW_THRESHOLD,
};

enum
{
  SIGNAL_SEND_STRING,
  SIGNAL_SEND_DATA,
  SIGNAL_CLOSE,
  SIGNAL_ON_OPEN,
  SIGNAL_ON_CLOSE,
  SIGNAL_ON_ERROR,
  SIGNAL_ON_MESSAGE_STRING,
  SIGNAL_ON_MESSAGE_DATA,
  SIGNAL_ON_BUFFERED_AMOUNT_LOW,
  LAST_SIGNAL
};

static guint signals[LAST_SIGNAL];

G_DEFINE_TYPE_WITH_CODE (GstSecWebRTCDataChannel, gst_sec_webrtc_data_channel,
    G_TYPE_OBJECT,
    GST_DEBUG_CATEGORY_INIT (sec_webrtc_data_channel_debug,
        "secwebrtcdatachannel", 0, "secwebrtcbin's data channels"));

static void gst_sec_webrtc_data_channel_finalize (GObject * object);
static void gst_sec_webrtc_data_channel_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static void gst_sec_webrtc_data_channel_set_property (GObject * object,
    guint prop_id, const GValue * value, GParamSpec * pspec);
static void send_string (GstSecWebRTCDataChannel * self, const gchar * text);
static void send_data (GstSecWebRTCDataChannel * self, GBytes * data);
static void close_channel (GstSecWebRTCDataChannel * self);

static void
gst_sec_webrtc_data_channel_class_init (GstSecWebRTCDataChannelClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  gobject_class->finalize = gst_sec_webrtc_data_channel_finalize;
  gobject_class->get_property = gst_sec_webrtc_data_channel_get_property;
  gobject_class->set_property = gst_sec_webrtc_data_channel_set_property;

  g_object_class_install_property (gobject_class, PROP_LABEL,
      g_param_spec_string ("label", "Label", "The channel's label", NULL,
          ro));
  g_object_class_install_property (gobject_class, PROP_ORDERED,
      g_param_spec_boolean ("ordered", "Ordered",
          "Messages are delivered in the order they were sent", TRUE, ro));
  g_object_class_install_property (gobject_class, PROP_MAX_PACKET_LIFETIME,
      g_param_spec_int ("max-packet-lifetime", "Max packet lifetime",
          "Partial reliability: a message is given up after this many "
          "milliseconds (-1: not set)", -1, G_MAXINT, -1, ro));
  g_object_class_install_property (gobject_class, PROP_MAX_RETRANSMITS,
      g_param_spec_int ("max-retransmits", "Max retransmits",
          "Partial reliability: a message is given up after this many "
          "retransmissions (-1: not set)", -1, G_MAXINT, -1, ro));
  g_object_class_install_property (gobject_class, PROP_PROTOCOL,
      g_param_spec_string ("protocol", "Protocol",
          "The sub-protocol the channel was opened with", "", ro));
  g_object_class_install_property (gobject_class, PROP_NEGOTIATED,
      g_param_spec_boolean ("negotiated", "Negotiated",
          "Agreed out of band (no DCEP; both ends open the same id)", FALSE,
          ro));
  g_object_class_install_property (gobject_class, PROP_PRIORITY,
      g_param_spec_uint ("priority", "Priority",
          "RFC 8832 §5.1 priority, as carried in the OPEN", 0, G_MAXUINT16,
          0, ro));
  g_object_class_install_property (gobject_class, PROP_ID,
      g_param_spec_int ("id", "Id", "The SCTP stream id (-1 until the DTLS "
          "role is negotiated)", -1, MAX_STREAM_ID, -1, ro));
  g_object_class_install_property (gobject_class, PROP_READY_STATE,
      g_param_spec_enum ("ready-state", "Ready state",
          "connecting, open, closing or closed",
          GST_TYPE_SEC_WEBRTC_DATA_CHANNEL_STATE,
          GST_SEC_WEBRTC_DATA_CHANNEL_STATE_CONNECTING, ro));
  g_object_class_install_property (gobject_class, PROP_BUFFERED_AMOUNT,
      g_param_spec_uint64 ("buffered-amount", "Buffered amount",
          "Bytes of messages sent but not yet handed to SCTP's network "
          "path", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class,
      PROP_BUFFERED_AMOUNT_LOW_THRESHOLD,
      g_param_spec_uint64 ("buffered-amount-low-threshold",
          "Buffered amount low threshold",
          "on-buffered-amount-low fires when buffered-amount falls to this "
          "or below from above it", 0, G_MAXUINT64, 0,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  /**
   * GstSecWebRTCDataChannel::send-string:
   * A text message (UTF-8); an error comes through on-error.
   */
  signals[SIGNAL_SEND_STRING] = g_signal_new_class_handler ("send-string",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (send_string), NULL, NULL, NULL, G_TYPE_NONE, 1,
      G_TYPE_STRING);
  /**
   * GstSecWebRTCDataChannel::send-data:
   * A binary message; an error comes through on-error.
   */
  signals[SIGNAL_SEND_DATA] = g_signal_new_class_handler ("send-data",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (send_data), NULL, NULL, NULL, G_TYPE_NONE, 1,
      G_TYPE_BYTES);
  /**
   * GstSecWebRTCDataChannel::close:
   * Closes the channel (a stream reset after what is queued, RFC 8831
   * §6.7); on-close follows.
   */
  signals[SIGNAL_CLOSE] = g_signal_new_class_handler ("close",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (close_channel), NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ON_OPEN] = g_signal_new ("on-open",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  signals[SIGNAL_ON_CLOSE] = g_signal_new ("on-close",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  signals[SIGNAL_ON_ERROR] = g_signal_new ("on-error",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_ON_MESSAGE_STRING] = g_signal_new ("on-message-string",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_ON_MESSAGE_DATA] = g_signal_new ("on-message-data",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[SIGNAL_ON_BUFFERED_AMOUNT_LOW] =
      g_signal_new ("on-buffered-amount-low", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gst_sec_webrtc_data_channel_init (GstSecWebRTCDataChannel * self)
{
  g_mutex_init (&self->lock);
  self->id = -1;
  self->ordered = TRUE;
  self->max_packet_lifetime = -1;
  self->max_retransmits = -1;
  self->state = GST_SEC_WEBRTC_DATA_CHANNEL_STATE_CONNECTING;
}

static void
gst_sec_webrtc_data_channel_finalize (GObject * object)
{
  GstSecWebRTCDataChannel *self = GST_SEC_WEBRTC_DATA_CHANNEL (object);

  g_free (self->label);
  g_free (self->protocol);
  gst_clear_object (&self->enc);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (gst_sec_webrtc_data_channel_parent_class)->finalize
      (object);
}

/* The secsctpenc and id to send with (a reference), FALSE before. */
static gboolean
get_enc (GstSecWebRTCDataChannel * self, GstElement ** enc, guint * id)
{
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = self->enc != NULL && self->id >= 0;
  if (ok) {
    *enc = gst_object_ref (self->enc);
    *id = (guint) self->id;
  }
  g_mutex_unlock (&self->lock);
  return ok;
}

static void
gst_sec_webrtc_data_channel_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecWebRTCDataChannel *self = GST_SEC_WEBRTC_DATA_CHANNEL (object);

  switch (prop_id) {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_ORDERED:
      g_value_set_boolean (value, self->ordered);
      break;
    case PROP_MAX_PACKET_LIFETIME:
      g_value_set_int (value, self->max_packet_lifetime);
      break;
    case PROP_MAX_RETRANSMITS:
      g_value_set_int (value, self->max_retransmits);
      break;
    case PROP_PROTOCOL:
      g_value_set_string (value, self->protocol);
      break;
    case PROP_NEGOTIATED:
      g_value_set_boolean (value, self->negotiated);
      break;
    case PROP_PRIORITY:
      g_value_set_uint (value, self->priority);
      break;
    case PROP_ID:
      g_mutex_lock (&self->lock);
      g_value_set_int (value, self->id);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_READY_STATE:
      g_mutex_lock (&self->lock);
      g_value_set_enum (value, self->state);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_BUFFERED_AMOUNT:{
      GstElement *enc;
      guint64 amount = 0;
      guint id;

      if (get_enc (self, &enc, &id)) {
        g_signal_emit_by_name (enc, "get-buffered-amount", id, &amount);
        gst_object_unref (enc);
      }
      g_value_set_uint64 (value, amount);
      break;
    }
    case PROP_BUFFERED_AMOUNT_LOW_THRESHOLD:
      g_mutex_lock (&self->lock);
      g_value_set_uint64 (value, self->low_threshold);
      g_mutex_unlock (&self->lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_sec_webrtc_data_channel_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecWebRTCDataChannel *self = GST_SEC_WEBRTC_DATA_CHANNEL (object);

  switch (prop_id) {
    case PROP_BUFFERED_AMOUNT_LOW_THRESHOLD:{
      GstElement *enc;
      guint id;

      g_mutex_lock (&self->lock);
      self->low_threshold = g_value_get_uint64 (value);
      g_mutex_unlock (&self->lock);
      if (get_enc (self, &enc, &id)) {
        g_signal_emit_by_name (enc, "set-buffered-amount-low-threshold", id,
            g_value_get_uint64 (value));
        gst_object_unref (enc);
      }
      break;
    }
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

/* --- creation ------------------------------------------------------------ */

static gboolean
get_int_option (const GstStructure * options, const gchar * field,
    gint * out, GError ** error)
{
  const GValue *v = gst_structure_get_value (options, field);

  if (v == NULL)
    return TRUE;
  if (G_VALUE_HOLDS_INT (v) && g_value_get_int (v) >= 0) {
    *out = g_value_get_int (v);
    return TRUE;
  }
  if (G_VALUE_HOLDS_UINT (v) && g_value_get_uint (v) <= G_MAXINT) {
    *out = (gint) g_value_get_uint (v);
    return TRUE;
  }
  g_set_error (error, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS,
      "option '%s' must be an int of 0 or more", field);
  return FALSE;
}

static gboolean
get_bool_option (const GstStructure * options, const gchar * field,
    gboolean * out, GError ** error)
{
  const GValue *v = gst_structure_get_value (options, field);

  if (v == NULL)
    return TRUE;
  if (G_VALUE_HOLDS_BOOLEAN (v)) {
    *out = g_value_get_boolean (v);
    return TRUE;
  }
  g_set_error (error, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS,
      "option '%s' must be a boolean", field);
  return FALSE;
}

GstSecWebRTCDataChannel *
gst_sec_webrtc_data_channel_new (const gchar * label,
    const GstStructure * options, GError ** error)
{
  GstSecWebRTCDataChannel *self;
  gint id = -1, priority = 0;
  const GValue *protocol;

  if (label && !g_utf8_validate (label, -1, NULL)) {
    g_set_error_literal (error, GST_LIBRARY_ERROR,
        GST_LIBRARY_ERROR_SETTINGS, "the label is not UTF-8 (RFC 8832 §5.1)");
    return NULL;
  }
  self = g_object_new (GST_TYPE_SEC_WEBRTC_DATA_CHANNEL, NULL);
  self->label = g_strdup (label ? label : "");
  self->protocol = g_strdup ("");
  if (options == NULL)
    return self;
  if (!get_bool_option (options, "ordered", &self->ordered, error)
      || !get_bool_option (options, "negotiated", &self->negotiated, error)
      || !get_int_option (options, "max-packet-lifetime",
          &self->max_packet_lifetime, error)
      || !get_int_option (options, "max-retransmits", &self->max_retransmits,
          error)
      || !get_int_option (options, "id", &id, error)
      || !get_int_option (options, "priority", &priority, error))
    goto refused;
  protocol = gst_structure_get_value (options, "protocol");
  if (protocol && !G_VALUE_HOLDS_STRING (protocol)) {
    g_set_error_literal (error, GST_LIBRARY_ERROR,
        GST_LIBRARY_ERROR_SETTINGS, "option 'protocol' must be a string");
    goto refused;
  }
  if (protocol && g_value_get_string (protocol)) {
    if (!g_utf8_validate (g_value_get_string (protocol), -1, NULL)) {
      g_set_error_literal (error, GST_LIBRARY_ERROR,
          GST_LIBRARY_ERROR_SETTINGS, "the protocol is not UTF-8");
      goto refused;
    }
    g_free (self->protocol);
    self->protocol = g_value_dup_string (protocol);
  }
  /* W3C RTCPeerConnection.createDataChannel's TypeErrors */
  if (self->max_packet_lifetime >= 0 && self->max_retransmits >= 0) {
    g_set_error_literal (error, GST_LIBRARY_ERROR,
        GST_LIBRARY_ERROR_SETTINGS, "max-packet-lifetime and "
        "max-retransmits cannot both be set (RFC 8831 §6.1: one kind of "
        "partial reliability)");
    goto refused;
  }
  if (self->negotiated && id < 0) {
    g_set_error_literal (error, GST_LIBRARY_ERROR,
        GST_LIBRARY_ERROR_SETTINGS, "a negotiated channel needs an 'id' "
        "(both ends open the same stream)");
    goto refused;
  }
  if (id > MAX_STREAM_ID) {
    g_set_error (error, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS,
        "id %d is not a stream id (0 to %d)", id, MAX_STREAM_ID);
    goto refused;
  }
  if (priority > G_MAXUINT16) {
    g_set_error (error, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS,
        "priority %d is above 65535", priority);
    goto refused;
  }
  self->priority = (guint) priority;
  /* a requested id is what the application asked for; it is the
   * channel's once the association takes it */
  g_object_set_data (G_OBJECT (self), "sec-requested-id",
      GINT_TO_POINTER (id + 1));
  return self;

refused:
  g_object_unref (self);
  return NULL;
}

GstSecWebRTCDataChannel *
gst_sec_webrtc_data_channel_new_remote (GstElement * enc,
    const GstStructure * info)
{
  GstSecWebRTCDataChannel *self =
      g_object_new (GST_TYPE_SEC_WEBRTC_DATA_CHANNEL, NULL);
  guint id = 0, priority = 0;

  self->label = g_strdup (gst_structure_get_string (info, "label"));
  self->protocol = g_strdup (gst_structure_get_string (info, "protocol"));
  if (self->label == NULL)
    self->label = g_strdup ("");
  if (self->protocol == NULL)
    self->protocol = g_strdup ("");
  gst_structure_get_boolean (info, "ordered", &self->ordered);
  gst_structure_get_boolean (info, "negotiated", &self->negotiated);
  gst_structure_get_int (info, "max-packet-lifetime",
      &self->max_packet_lifetime);
  gst_structure_get_int (info, "max-retransmits", &self->max_retransmits);
  gst_structure_get_uint (info, "priority", &priority);
  gst_structure_get_uint (info, "id", &id);
  self->priority = priority;
  self->id = (gint) id;
  self->enc = gst_object_ref (enc);
  /* W3C: a channel the peer announced is open */
  self->state = GST_SEC_WEBRTC_DATA_CHANNEL_STATE_OPEN;
  return self;
}

GstStructure *
gst_sec_webrtc_data_channel_get_options (GstSecWebRTCDataChannel * self)
{
  GstStructure *options = gst_structure_new ("options",
      "ordered", G_TYPE_BOOLEAN, self->ordered,
      "protocol", G_TYPE_STRING, self->protocol,
      "negotiated", G_TYPE_BOOLEAN, self->negotiated,
      "priority", G_TYPE_UINT, self->priority, NULL);
  gint requested = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self),
          "sec-requested-id")) - 1;

  if (self->max_packet_lifetime >= 0)
    gst_structure_set (options, "max-packet-lifetime", G_TYPE_INT,
        self->max_packet_lifetime, NULL);
  if (self->max_retransmits >= 0)
    gst_structure_set (options, "max-retransmits", G_TYPE_INT,
        self->max_retransmits, NULL);
  if (requested >= 0)
    gst_structure_set (options, "id", G_TYPE_INT, requested, NULL);
  return options;
}

const gchar *
gst_sec_webrtc_data_channel_get_label (GstSecWebRTCDataChannel * self)
{
  return self->label;
}

gint
gst_sec_webrtc_data_channel_get_id (GstSecWebRTCDataChannel * self)
{
  gint id;

  g_mutex_lock (&self->lock);
  id = self->id;
  g_mutex_unlock (&self->lock);
  return id;
}

GstSecWebRTCDataChannelState
gst_sec_webrtc_data_channel_get_state (GstSecWebRTCDataChannel * self)
{
  GstSecWebRTCDataChannelState state;

  g_mutex_lock (&self->lock);
  state = self->state;
  g_mutex_unlock (&self->lock);
  return state;
}

void
gst_sec_webrtc_data_channel_attach (GstSecWebRTCDataChannel * self,
    GstElement * enc, gint id)
{
  guint64 threshold;

  g_mutex_lock (&self->lock);
  gst_object_replace ((GstObject **) & self->enc, GST_OBJECT (enc));
  self->id = id;
  threshold = self->low_threshold;
  g_mutex_unlock (&self->lock);
  GST_DEBUG_OBJECT (enc, "channel '%s' on stream %d", self->label, id);
  if (threshold)
    g_signal_emit_by_name (enc, "set-buffered-amount-low-threshold",
        (guint) id, threshold);
  g_object_notify (G_OBJECT (self), "id");
}

/* --- what the association says ------------------------------------------ */

/* Changes the state; FALSE when it was @state already. */
static gboolean
set_state (GstSecWebRTCDataChannel * self, GstSecWebRTCDataChannelState state)
{
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = self->state != state
      && self->state != GST_SEC_WEBRTC_DATA_CHANNEL_STATE_CLOSED;
  if (changed)
    self->state = state;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify (G_OBJECT (self), "ready-state");
  return changed;
}

void
gst_sec_webrtc_data_channel_opened (GstSecWebRTCDataChannel * self)
{
  if (set_state (self, GST_SEC_WEBRTC_DATA_CHANNEL_STATE_OPEN))
    g_signal_emit (self, signals[SIGNAL_ON_OPEN], 0);
}

void
gst_sec_webrtc_data_channel_closing (GstSecWebRTCDataChannel * self)
{
  set_state (self, GST_SEC_WEBRTC_DATA_CHANNEL_STATE_CLOSING);
}

void
gst_sec_webrtc_data_channel_closed (GstSecWebRTCDataChannel * self)
{
  if (set_state (self, GST_SEC_WEBRTC_DATA_CHANNEL_STATE_CLOSED))
    g_signal_emit (self, signals[SIGNAL_ON_CLOSE], 0);
}

void
gst_sec_webrtc_data_channel_message (GstSecWebRTCDataChannel * self,
    gboolean binary, GBytes * data)
{
  if (binary) {
    g_signal_emit (self, signals[SIGNAL_ON_MESSAGE_DATA], 0, data);
  } else {
    gsize size;
    const gchar *bytes = g_bytes_get_data (data, &size);
    /* checked UTF-8 (ext/sctp/datachannels.c); a U+0000 inside ends the
     * C string the signal carries (the bytes are in on-message-data's
     * GBytes only for binary messages, as in webrtcbin) */
    gchar *text = g_strndup (bytes ? bytes : "", size);

    g_signal_emit (self, signals[SIGNAL_ON_MESSAGE_STRING], 0, text);
    g_free (text);
  }
}

void
gst_sec_webrtc_data_channel_error (GstSecWebRTCDataChannel * self,
    const GError * error)
{
  GST_INFO ("channel '%s': %s", self->label, error->message);
  g_signal_emit (self, signals[SIGNAL_ON_ERROR], 0, error);
}

void
gst_sec_webrtc_data_channel_buffered_amount_low (GstSecWebRTCDataChannel *
    self)
{
  g_signal_emit (self, signals[SIGNAL_ON_BUFFERED_AMOUNT_LOW], 0);
}

/* --- the application's calls -------------------------------------------- */

static void
not_open (GstSecWebRTCDataChannel * self)
{
  GstSecWebRTCDataChannelState state =
      gst_sec_webrtc_data_channel_get_state (self);
  GError *error = g_error_new (GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE,
      "data channel '%s' is %s: a message is sent only on an open channel",
      self->label, g_enum_get_value (g_type_class_peek
          (GST_TYPE_SEC_WEBRTC_DATA_CHANNEL_STATE), state)->value_nick);

  gst_sec_webrtc_data_channel_error (self, error);
  g_error_free (error);
}

static void
send_string (GstSecWebRTCDataChannel * self, const gchar * text)
{
  GstElement *enc;
  gboolean sent;
  guint id;

  /* W3C: InvalidStateError unless open; secsctpenc's own refusals (a
   * message above the peer's size) come through on-error, which the
   * bin forwards here */
  if (gst_sec_webrtc_data_channel_get_state (self) !=
      GST_SEC_WEBRTC_DATA_CHANNEL_STATE_OPEN || !get_enc (self, &enc, &id)) {
    not_open (self);
    return;
  }
  g_signal_emit_by_name (enc, "send-string", id, text ? text : "", &sent);
  gst_object_unref (enc);
}

static void
send_data (GstSecWebRTCDataChannel * self, GBytes * data)
{
  GstElement *enc;
  GBytes *empty = NULL;
  gboolean sent;
  guint id;

  if (gst_sec_webrtc_data_channel_get_state (self) !=
      GST_SEC_WEBRTC_DATA_CHANNEL_STATE_OPEN || !get_enc (self, &enc, &id)) {
    not_open (self);
    return;
  }
  if (data == NULL)
    data = empty = g_bytes_new (NULL, 0);
  g_signal_emit_by_name (enc, "send-data", id, data, &sent);
  gst_object_unref (enc);
  if (empty)
    g_bytes_unref (empty);
}

static void
close_channel (GstSecWebRTCDataChannel * self)
{
  GstElement *enc;
  guint id;

  if (!get_enc (self, &enc, &id)) {
    /* never opened: nothing to reset */
    gst_sec_webrtc_data_channel_closed (self);
    return;
  }
  gst_sec_webrtc_data_channel_closing (self);
  g_signal_emit_by_name (enc, "close-channel", id);
  gst_object_unref (enc);
}
