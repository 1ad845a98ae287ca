/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secsctpdec
 * @title: secsctpdec
 *
 * The receiving half of a WebRTC data channel transport: it takes SCTP
 * packets (DTLS application data from secdtlsdec's `src` pad, one packet
 * per buffer) into the SCTP association it shares with the secsctpenc of
 * the same `association-id` (see secsctpenc for the association, its
 * settings and the sending side), and tells the application what
 * arrived through signals, all emitted from the association's own
 * thread in the order things happened:
 *
 * - `on-channel (id, info)`: the peer opened a channel with a
 *   DATA_CHANNEL_OPEN (RFC 8832); @info has `label`, `protocol`,
 *   `ordered`, `priority` and `max-retransmits` or `max-packet-lifetime`.
 *   The element has acknowledged it: it is open.
 * - `on-open (id)`: a channel this end opened is open (the peer's ACK,
 *   or for a negotiated channel the association came up).
 * - `on-message (id, binary, data)`: a whole message (GBytes, possibly
 *   empty; text is UTF-8, checked).
 * - `on-closing (id)`, `on-close (id)`: a channel's streams are being
 *   reset, and both are (RFC 8831 §6.7); every channel closes when the
 *   association ends.
 *
 * When the association comes up the element posts an element message
 * `sctp-connected` (ports, streams, both max message sizes), and
 * `sctp-closed` with a `reason` when it ends: the peer's DTLS
 * close_notify (an EOS on the sink pad), an SCTP shutdown or abort, or a
 * peer that stopped answering. Packets that usrsctp finds malformed (bad
 * checksum or verification tag) are dropped by it; messages against RFC
 * 8831/8832 (an unknown PPID, a DCEP message that does not parse, text
 * that is not UTF-8, data for no channel) are dropped and counted in
 * `stats` (`messages-refused`), never passed on.
 *
 * ## Example launch line
 *
 * See secsctpenc: the two elements are always used together, and an
 * application drives them through signals.
 * |[
 * gst-launch-1.0 udpsrc port=5000 ! secdtlsdec connection-id=a ! secsctpdec association-id=a
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecsctpdec.h"
#include "gstsecsctpassociation.h"

#include <glib/gi18n-lib.h>

GST_DEBUG_CATEGORY_STATIC (gst_sec_sctp_dec_debug);
#define GST_CAT_DEFAULT gst_sec_sctp_dec_debug

enum
{
  PROP_0,
  PROP_ASSOCIATION_ID,
  PROP_STATE,
  PROP_STATS,
};

enum
{
  SIGNAL_ON_CHANNEL,
  SIGNAL_ON_OPEN,
  SIGNAL_ON_MESSAGE,
  SIGNAL_ON_CLOSING,
  SIGNAL_ON_CLOSE,
  LAST_SIGNAL
};

static guint signals[LAST_SIGNAL];

struct _GstSecSctpDec
{
  GstElement parent;
  GstPad *sinkpad;

  /* protected by the object lock */
  gchar *association_id;
  GstSecSctpAssociation *assoc; /* while started */
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

#define gst_sec_sctp_dec_parent_class parent_class
G_DEFINE_TYPE (GstSecSctpDec, gst_sec_sctp_dec, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (secsctpdec, "secsctpdec", GST_RANK_NONE,
    GST_TYPE_SEC_SCTP_DEC);

static void gst_sec_sctp_dec_finalize (GObject * object);
static void gst_sec_sctp_dec_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_sec_sctp_dec_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_sec_sctp_dec_change_state (GstElement *
    element, GstStateChange transition);
static GstFlowReturn gst_sec_sctp_dec_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer);
static GstFlowReturn gst_sec_sctp_dec_chain_list (GstPad * pad,
    GstObject * parent, GstBufferList * list);
static gboolean gst_sec_sctp_dec_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event);

static void
gst_sec_sctp_dec_class_init (GstSecSctpDecClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_sec_sctp_dec_debug, "secsctpdec", 0,
      "SCTP data channels, receiving half");

  gobject_class->finalize = gst_sec_sctp_dec_finalize;
  gobject_class->set_property = gst_sec_sctp_dec_set_property;
  gobject_class->get_property = gst_sec_sctp_dec_get_property;

  g_object_class_install_property (gobject_class, PROP_ASSOCIATION_ID,
      g_param_spec_string ("association-id", "Association id",
          "Name of the SCTP association this element shares with the "
          "secsctpenc of the same id; required (unset fails the start). "
          "Changes only in NULL or READY",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_STATE,
      g_param_spec_enum ("state", "State", "The SCTP association's state",
          GST_TYPE_SEC_SCTP_STATE, GST_SEC_SCTP_STATE_NEW,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Of the association both elements share (see secsctpenc's)",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  signals[SIGNAL_ON_CHANNEL] = g_signal_new ("on-channel",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_UINT, GST_TYPE_STRUCTURE);
  signals[SIGNAL_ON_OPEN] = g_signal_new ("on-open",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_ON_MESSAGE] = g_signal_new ("on-message",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_BOOLEAN, G_TYPE_BYTES);
  signals[SIGNAL_ON_CLOSING] = g_signal_new ("on-closing",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_ON_CLOSE] = g_signal_new ("on-close",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_UINT);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class,
      "SCTP data channel decoder (gst-secwebrtc)", "Decoder/Network",
      "Receives WebRTC data channels: an SCTP association over DTLS (RFC "
      "8261) with DCEP (RFC 8832), shared with secsctpenc",
      "gst-secwebrtc developers");
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_sec_sctp_dec_change_state);
}

static void
gst_sec_sctp_dec_init (GstSecSctpDec * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_sctp_dec_chain));
  gst_pad_set_chain_list_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_sctp_dec_chain_list));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_sctp_dec_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SINK);
}

static void
gst_sec_sctp_dec_finalize (GObject * object)
{
  GstSecSctpDec *self = GST_SEC_SCTP_DEC (object);

  g_free (self->association_id);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static GstSecSctpAssociation *
get_assoc (GstSecSctpDec * self)
{
  GstSecSctpAssociation *assoc = NULL;

  GST_OBJECT_LOCK (self);
  if (self->assoc)
    assoc = gst_sec_sctp_association_ref (self->assoc);
  GST_OBJECT_UNLOCK (self);
  return assoc;
}

static void
gst_sec_sctp_dec_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecSctpDec *self = GST_SEC_SCTP_DEC (object);

  switch (prop_id) {
    case PROP_ASSOCIATION_ID:
      GST_OBJECT_LOCK (self);
      g_free (self->association_id);
      self->association_id = g_value_dup_string (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_sec_sctp_dec_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecSctpDec *self = GST_SEC_SCTP_DEC (object);
  GstSecSctpAssociation *assoc;

  switch (prop_id) {
    case PROP_ASSOCIATION_ID:
      GST_OBJECT_LOCK (self);
      g_value_set_string (value, self->association_id);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_STATE:
    case PROP_STATS:
      assoc = get_assoc (self);
      gst_sec_sctp_association_get_value (assoc, prop_id == PROP_STATS, value);
      if (assoc)
        gst_sec_sctp_association_unref (assoc);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static GstStateChangeReturn
gst_sec_sctp_dec_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSecSctpDec *self = GST_SEC_SCTP_DEC (element);
  GstSecSctpAssociation *assoc;
  GstStateChangeReturn ret;
  gchar *id;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    GST_OBJECT_LOCK (self);
    id = g_strdup (self->association_id);
    GST_OBJECT_UNLOCK (self);
    if (id == NULL || *id == '\0') {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          (_("No SCTP association id was set.")),
          ("set association-id on this secsctpdec and on its secsctpenc"));
      g_free (id);
      return GST_STATE_CHANGE_FAILURE;
    }
    assoc = gst_sec_sctp_association_get (id);
    g_free (id);
    gst_sec_sctp_association_set_decoder (assoc, element);
    GST_OBJECT_LOCK (self);
    self->assoc = assoc;
    GST_OBJECT_UNLOCK (self);
  }
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY
      || (transition == GST_STATE_CHANGE_READY_TO_PAUSED
          && ret == GST_STATE_CHANGE_FAILURE)) {
    GST_OBJECT_LOCK (self);
    assoc = self->assoc;
    self->assoc = NULL;
    GST_OBJECT_UNLOCK (self);
    if (assoc) {
      gst_sec_sctp_association_set_decoder (assoc, NULL);
      gst_sec_sctp_association_unref (assoc);
    }
  }
  return ret;
}

static GstFlowReturn
gst_sec_sctp_dec_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstSecSctpDec *self = GST_SEC_SCTP_DEC (parent);
  GstSecSctpAssociation *assoc = get_assoc (self);
  GstMapInfo map;

  (void) pad;
  if (assoc && gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    gst_sec_sctp_association_input (assoc, map.data, map.size);
    gst_buffer_unmap (buffer, &map);
  }
  if (assoc)
    gst_sec_sctp_association_unref (assoc);
  gst_buffer_unref (buffer);
  return GST_FLOW_OK;
}

static GstFlowReturn
gst_sec_sctp_dec_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list)
{
  guint i, n = gst_buffer_list_length (list);

  for (i = 0; i < n; i++)
    gst_sec_sctp_dec_chain (pad, parent,
        gst_buffer_ref (gst_buffer_list_get (list, i)));
  gst_buffer_list_unref (list);
  return GST_FLOW_OK;
}

static gboolean
gst_sec_sctp_dec_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstSecSctpDec *self = GST_SEC_SCTP_DEC (parent);

  (void) pad;
  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_EOS:{
      GstSecSctpAssociation *assoc = get_assoc (self);

      /* secdtlsdec ends its stream when the peer sends close_notify: the
       * peer has left, and so has the association */
      if (assoc) {
        gst_sec_sctp_association_peer_gone (assoc);
        gst_sec_sctp_association_unref (assoc);
      }
      /* a sink: the pipeline's EOS */
      gst_element_post_message (GST_ELEMENT (self),
          gst_message_new_eos (GST_OBJECT (self)));
      break;
    }
    default:
      break;
  }
  gst_event_unref (event);
  return TRUE;
}
