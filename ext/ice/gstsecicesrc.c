/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secicesrc
 * @title: secicesrc
 *
 * Receives the datagrams of an ICE transport (RFC 8445, over libnice):
 * one stream, one component carrying RTP, RTCP and DTLS together. The
 * transport is shared with a secicesink by its name (`transport`); the
 * element's `ice-transport` property gives the transport object, which
 * has all the ICE settings (also `controlling`), the trickle signals
 * (`on-local-candidate`, `on-gathering-done`), the action signals
 * (`set-remote-credentials`, `add-remote-candidate`,
 * `end-of-remote-candidates`, `restart`), and `state` and
 * `selected-pair`.
 *
 * The common settings are properties of the element too, so that a
 * launch line can set them: #GstSecIceSrc:stun-server,
 * #GstSecIceSrc:turn-server, #GstSecIceSrc:ice-transport-policy,
 * #GstSecIceSrc:local-addresses, #GstSecIceSrc:port-range,
 * #GstSecIceSrc:ice-tcp and #GstSecIceSrc:turn-tls-ca-file. Each is
 * written to the transport (given before `transport`, it waits for it);
 * reading one gives the transport's value; `turn-server` is write-only
 * (it holds passwords). As on the transport, they are fixed once the
 * transport started gathering: a later change is refused with a warning
 * on the bus.
 *
 * Datagrams are pushed in order of arrival, timestamped with the running
 * time at arrival. The process's single ICE thread only queues them; a
 * worker thread from a shared pool pushes them, so downstream may block
 * (a paused sink, a full queue): then up to `max-pending` datagrams wait
 * and later ones are dropped and counted (`datagrams-dropped` in the
 * transport's `stats`), and no other transport of the process is held
 * up. In PAUSED datagrams wait the same way (as in a paused udpsrc's
 * socket) and are pushed on PLAYING; in READY and NULL they are dropped
 * and counted. ICE itself (connectivity checks, consent) runs in every
 * state from PAUSED on. Gathering starts when the element (or its
 * secicesink) goes to PAUSED. Consent freshness (RFC 7675) is on: a peer
 * that stops answering makes the state go to failed and sending stop.
 *
 * Bad remote candidates or credentials are refused with a warning on the
 * bus in every state, also before the pipeline starts;
 * `ice-transport-policy=relay` without a usable `turn-server` is a
 * warning at start (nothing can connect). See docs/ice.md.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 secicesrc transport=t stun-server=stun://127.0.0.1:3478 local-addresses=127.0.0.1 ! fakesink
 * ]| Runs as written (tests/examples/ice-launch-lines.sh runs it), but a
 * fragment of a call: the transport gathers on 127.0.0.1, and nothing
 * arrives until an application does the signaling (credentials and
 * candidates through the transport's signals, see docs/ice.md and the
 * complete, tested tests/examples/python/ice_pair.py).
  */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecicesrc.h"
#include "gstsecicetransport.h"

#include <glib/gi18n-lib.h>

GST_DEBUG_CATEGORY_STATIC (gst_sec_ice_src_debug);
#define GST_CAT_DEFAULT gst_sec_ice_src_debug

enum
{
  PROP_0,
  PROP_TRANSPORT,
  PROP_ICE_TRANSPORT,
  PROP_CAPS,
  PROP_MAX_PENDING,
  PROP_FIRST_SETTING,           /* GST_SEC_ICE_N_SETTINGS of them */
};

struct _GstSecIceSrc
{
  GstElement parent;

  GstPad *srcpad;
  GstSecIceReceiver *receiver;  /* for the element's lifetime */
  /* protected by the object lock; changes only in NULL/READY */
  GstSecIceTransport *transport;
  GstSecIceSettings pending;    /* ICE settings given before transport */
  GstCaps *caps;
};

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

#define gst_sec_ice_src_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstSecIceSrc, gst_sec_ice_src, GST_TYPE_ELEMENT,
    GST_DEBUG_CATEGORY_INIT (gst_sec_ice_src_debug, "secicesrc", 0,
        "ICE source"));
GST_ELEMENT_REGISTER_DEFINE (secicesrc, "secicesrc", GST_RANK_NONE,
    GST_TYPE_SEC_ICE_SRC);

static void gst_sec_ice_src_finalize (GObject * object);
static void gst_sec_ice_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_sec_ice_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_sec_ice_src_change_state (GstElement *
    element, GstStateChange transition);
static gboolean gst_sec_ice_src_activate_mode (GstPad * pad,
    GstObject * parent, GstPadMode mode, gboolean active);

static void
gst_sec_ice_src_class_init (GstSecIceSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_sec_ice_src_finalize;
  gobject_class->set_property = gst_sec_ice_src_set_property;
  gobject_class->get_property = gst_sec_ice_src_get_property;

  g_object_class_install_property (gobject_class, PROP_TRANSPORT,
      g_param_spec_string ("transport", "Transport",
          "Name of the ICE transport shared with a secicesink", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_ICE_TRANSPORT,
      g_param_spec_object ("ice-transport", "ICE transport",
          "The transport object: ICE settings, candidate and credential "
          "signals, state, selected pair", GST_TYPE_SEC_ICE_TRANSPORT,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_CAPS,
      g_param_spec_boxed ("caps", "Caps",
          "Caps of the datagrams pushed (none when unset)", GST_TYPE_CAPS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MAX_PENDING,
      g_param_spec_uint ("max-pending", "Maximum pending datagrams",
          "Received datagrams that may wait while downstream blocks or the "
          "element is paused; more are dropped and counted "
          "(datagrams-dropped in the transport's stats)", 1, 65536,
          GST_SEC_ICE_RECEIVER_DEFAULT_MAX_PENDING,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_PLAYING));
  /* stun-server, turn-server, ice-transport-policy, local-addresses,
   * port-range, ice-tcp, turn-tls-ca-file: written to the transport */
  gst_sec_ice_settings_install (gobject_class, PROP_FIRST_SETTING);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_sec_ice_src_change_state);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "ICE source (gst-secwebrtc)", "Source/Network",
      "Receives the datagrams of an ICE transport (libnice) shared with "
      "secicesink", "gst-secwebrtc developers");
  gst_type_mark_as_plugin_api (GST_TYPE_SEC_ICE_TRANSPORT, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_SEC_ICE_STATE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_SEC_ICE_POLICY, 0);
}

static void
gst_sec_ice_src_init (GstSecIceSrc * self)
{
  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_set_activatemode_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_sec_ice_src_activate_mode));
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
  self->receiver = gst_sec_ice_receiver_new (self->srcpad);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}

static void
gst_sec_ice_src_finalize (GObject * object)
{
  GstSecIceSrc *self = GST_SEC_ICE_SRC (object);

  if (self->transport) {
    gst_sec_ice_transport_detach_element (self->transport,
        GST_ELEMENT (self));
    gst_object_unref (self->transport);
  }
  gst_sec_ice_settings_clear (&self->pending);
  if (self->caps)
    gst_caps_unref (self->caps);
  gst_sec_ice_receiver_unref (self->receiver);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_sec_ice_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecIceSrc *self = GST_SEC_ICE_SRC (object);

  if (prop_id >= PROP_FIRST_SETTING
      && prop_id < PROP_FIRST_SETTING + GST_SEC_ICE_N_SETTINGS) {
    gst_sec_ice_settings_set (GST_ELEMENT (self), &self->transport,
        &self->pending, prop_id - PROP_FIRST_SETTING, value);
    return;
  }
  switch (prop_id) {
    case PROP_TRANSPORT:
      gst_sec_ice_transport_set_by_name (GST_ELEMENT (self),
          &self->transport, &self->pending, g_value_get_string (value));
      break;
    case PROP_CAPS:
      GST_OBJECT_LOCK (self);
      gst_caps_replace (&self->caps, g_value_get_boxed (value));
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_MAX_PENDING:
      gst_sec_ice_receiver_set_max_pending (self->receiver,
          g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_sec_ice_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecIceSrc *self = GST_SEC_ICE_SRC (object);

  if (prop_id >= PROP_FIRST_SETTING
      && prop_id < PROP_FIRST_SETTING + GST_SEC_ICE_N_SETTINGS) {
    gst_sec_ice_settings_get (GST_ELEMENT (self), &self->transport,
        &self->pending, prop_id - PROP_FIRST_SETTING, value);
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_TRANSPORT:
      g_value_set_string (value, self->transport ?
          GST_OBJECT_NAME (self->transport) : NULL);
      break;
    case PROP_ICE_TRANSPORT:
      g_value_set_object (value, self->transport);
      break;
    case PROP_CAPS:
      g_value_set_boxed (value, self->caps);
      break;
    case PROP_MAX_PENDING:
      g_value_set_uint (value,
          gst_sec_ice_receiver_get_max_pending (self->receiver));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static gboolean
gst_sec_ice_src_activate_mode (GstPad * pad, GstObject * parent,
    GstPadMode mode, gboolean active)
{
  GstSecIceSrc *self = GST_SEC_ICE_SRC (parent);

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;
  if (active) {
    GstSegment segment;
    GstEvent *event;
    gchar *stream_id = gst_pad_create_stream_id (pad, GST_ELEMENT (self),
        NULL);

    /* stored now, sent before the first datagram */
    event = gst_event_new_stream_start (stream_id);
    gst_pad_store_sticky_event (pad, event);
    gst_event_unref (event);
    g_free (stream_id);
    if (self->caps) {
      event = gst_event_new_caps (self->caps);
      gst_pad_store_sticky_event (pad, event);
      gst_event_unref (event);
    }
    gst_segment_init (&segment, GST_FORMAT_TIME);
    event = gst_event_new_segment (&segment);
    gst_pad_store_sticky_event (pad, event);
    gst_event_unref (event);
  }
  return TRUE;
}

static GstStateChangeReturn
gst_sec_ice_src_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSecIceSrc *self = GST_SEC_ICE_SRC (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (self->transport == NULL) {
        GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
            (_("No ICE transport was named.")),
            ("set the 'transport' property (shared with a secicesink)"));
        return GST_STATE_CHANGE_FAILURE;
      }
      if (!gst_sec_ice_transport_start (self->transport, element))
        return GST_STATE_CHANGE_FAILURE;
      break;
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      /* datagrams wait (up to max-pending); nothing here waits for the
       * ICE thread or for a push in progress */
      gst_sec_ice_receiver_set_playing (self->receiver, FALSE);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* pending datagrams are counted as dropped; the pad's deactivation
       * below waits for a push in progress (downstream is flushing) */
      gst_sec_ice_transport_remove_receiver (self->transport,
          self->receiver);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      /* after the pad's activation stored the sticky events */
      gst_sec_ice_transport_set_receiver (self->transport, self->receiver);
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
      gst_sec_ice_receiver_set_playing (self->receiver, TRUE);
      break;
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    default:
      break;
  }
  return ret;
}
