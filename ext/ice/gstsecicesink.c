/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secicesink
 * @title: secicesink
 *
 * Sends each buffer it receives as one datagram over an ICE transport
 * (RFC 8445, over libnice), on the selected candidate pair. The transport
 * is shared with a secicesrc by its name (`transport`); its settings and
 * signals are on the object in `ice-transport` (see secicesrc). Before a
 * pair is selected, and after consent is lost (RFC 7675), buffers are
 * dropped and counted (`datagrams-unsent` in the transport's `stats`):
 * protocols above (DTLS, SRTP) retransmit or tolerate loss.
 *
 * The common ICE settings are properties of the element too, written to
 * the transport as on secicesrc: #GstSecIceSink:stun-server,
 * #GstSecIceSink:turn-server (write-only), #GstSecIceSink:ice-transport-policy,
 * #GstSecIceSink:local-addresses, #GstSecIceSink:port-range,
 * #GstSecIceSink:ice-tcp and #GstSecIceSink:turn-tls-ca-file; fixed once
 * the transport started gathering.
 *
 * The element never waits for preroll and takes buffers from any thread.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 audiotestsrc is-live=true ! opusenc ! rtpopuspay ! \
 *   secsrtpenc key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d ! \
 *   secicesink transport=call1 local-addresses=127.0.0.1 port-range=40000-40100
 * ]| Runs as written (tests/examples/ice-launch-lines.sh runs it), but a
 * fragment of a call: the transport gathers candidates on 127.0.0.1,
 * with ports from 40000 to 40100, and the datagrams are counted as unsent
 * until an application does the signaling (credentials and candidates
 * through the transport's signals, see docs/ice.md and the complete,
 * tested tests/examples/python/ice_pair.py).
  */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecicesink.h"
#include "gstsecicetransport.h"

#include <glib/gi18n-lib.h>

GST_DEBUG_CATEGORY_STATIC (gst_sec_ice_sink_debug);
#define GST_CAT_DEFAULT gst_sec_ice_sink_debug

enum
{
  PROP_0,
  PROP_TRANSPORT,
  PROP_ICE_TRANSPORT,
  PROP_FIRST_SETTING,           /* GST_SEC_ICE_N_SETTINGS of them */
};

struct _GstSecIceSink
{
  GstElement parent;

  GstPad *sinkpad;
  /* protected by the object lock; changes only in NULL/READY */
  GstSecIceTransport *transport;
  GstSecIceSettings pending;    /* ICE settings given before transport */
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

#define gst_sec_ice_sink_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstSecIceSink, gst_sec_ice_sink, GST_TYPE_ELEMENT,
    GST_DEBUG_CATEGORY_INIT (gst_sec_ice_sink_debug, "secicesink", 0,
        "ICE sink"));
GST_ELEMENT_REGISTER_DEFINE (secicesink, "secicesink", GST_RANK_NONE,
    GST_TYPE_SEC_ICE_SINK);

static void gst_sec_ice_sink_finalize (GObject * object);
static void gst_sec_ice_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_sec_ice_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_sec_ice_sink_change_state (GstElement *
    element, GstStateChange transition);
static GstFlowReturn gst_sec_ice_sink_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer);
static GstFlowReturn gst_sec_ice_sink_chain_list (GstPad * pad,
    GstObject * parent, GstBufferList * list);

static void
gst_sec_ice_sink_class_init (GstSecIceSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_sec_ice_sink_finalize;
  gobject_class->set_property = gst_sec_ice_sink_set_property;
  gobject_class->get_property = gst_sec_ice_sink_get_property;

  g_object_class_install_property (gobject_class, PROP_TRANSPORT,
      g_param_spec_string ("transport", "Transport",
          "Name of the ICE transport shared with a secicesrc", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_ICE_TRANSPORT,
      g_param_spec_object ("ice-transport", "ICE transport",
          "The transport object: ICE settings, candidate and credential "
          "signals, state, selected pair", GST_TYPE_SEC_ICE_TRANSPORT,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /* stun-server, turn-server, ice-transport-policy, local-addresses,
   * port-range, ice-tcp, turn-tls-ca-file: written to the transport */
  gst_sec_ice_settings_install (gobject_class, PROP_FIRST_SETTING);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_sec_ice_sink_change_state);
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class,
      "ICE sink (gst-secwebrtc)", "Sink/Network",
      "Sends datagrams over an ICE transport (libnice) shared with "
      "secicesrc", "gst-secwebrtc developers");
}

static void
gst_sec_ice_sink_init (GstSecIceSink * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_ice_sink_chain));
  gst_pad_set_chain_list_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_ice_sink_chain_list));
  GST_PAD_SET_PROXY_CAPS (self->sinkpad);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SINK);
}

static void
gst_sec_ice_sink_finalize (GObject * object)
{
  GstSecIceSink *self = GST_SEC_ICE_SINK (object);

  if (self->transport) {
    gst_sec_ice_transport_detach_element (self->transport,
        GST_ELEMENT (self));
    gst_object_unref (self->transport);
  }
  gst_sec_ice_settings_clear (&self->pending);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_sec_ice_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecIceSink *self = GST_SEC_ICE_SINK (object);

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
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_sec_ice_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecIceSink *self = GST_SEC_ICE_SINK (object);

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
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static GstStateChangeReturn
gst_sec_ice_sink_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSecIceSink *self = GST_SEC_ICE_SINK (element);

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    if (self->transport == NULL) {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          (_("No ICE transport was named.")),
          ("set the 'transport' property (shared with a secicesrc)"));
      return GST_STATE_CHANGE_FAILURE;
    }
    if (!gst_sec_ice_transport_start (self->transport, element))
      return GST_STATE_CHANGE_FAILURE;
  }
  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}

static GstFlowReturn
gst_sec_ice_sink_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstSecIceSink *self = GST_SEC_ICE_SINK (parent);
  GstMapInfo map;

  (void) pad;
  if (gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    /* unsent datagrams are counted by the transport */
    gst_sec_ice_transport_send (self->transport, map.data, map.size);
    gst_buffer_unmap (buffer, &map);
  }
  gst_buffer_unref (buffer);
  return GST_FLOW_OK;
}

static GstFlowReturn
gst_sec_ice_sink_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list)
{
  guint i, n = gst_buffer_list_length (list);

  for (i = 0; i < n; i++)
    gst_sec_ice_sink_chain (pad, parent,
        gst_buffer_ref (gst_buffer_list_get (list, i)));
  gst_buffer_list_unref (list);
  return GST_FLOW_OK;
}
