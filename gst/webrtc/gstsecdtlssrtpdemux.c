/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secdtlssrtpdemux
 * @title: secdtlssrtpdemux
 *
 * Splits the datagrams of one WebRTC transport (an ICE component that
 * carries DTLS, SRTP and SRTCP together) by their first bytes: RFC 7983
 * for DTLS against SRTP, RFC 5761 §4 for SRTP against SRTCP (rtcp-mux).
 * DTLS records leave on `dtls_src` (for secdtlsdec), SRTP packets on
 * `rtp_src` and SRTCP packets on `rtcp_src` (for secsrtpdec's
 * rtp_sink/rtcp_sink). Anything else (STUN, which libnice answers itself,
 * ZRTP, TURN channel data, unknown first bytes, datagrams too short for
 * what their first byte says) is dropped and counted in `stats`, never
 * passed on. secwebrtcbin uses it inside each of its transports.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 secicesrc transport=t1 ! secdtlssrtpdemux name=d \
 *   d.dtls_src ! fakesink d.rtp_src ! fakesink d.rtcp_src ! fakesink
 * ]| Runs as written, but a fragment: an application does the ICE
 * signaling (docs/ice.md), and in a call secdtlsdec and secsrtpdec take
 * the three outputs, as secwebrtcbin arranges them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecdtlssrtpdemux.h"
#include "demux.h"

/* the chain copies the first SEC_DEMUX_DTLS_MIN bytes to classify */
G_STATIC_ASSERT (SEC_DEMUX_RTP_MIN <= SEC_DEMUX_DTLS_MIN
    && SEC_DEMUX_RTCP_MIN <= SEC_DEMUX_DTLS_MIN);

GST_DEBUG_CATEGORY_STATIC (gst_sec_dtls_srtp_demux_debug);
#define GST_CAT_DEFAULT gst_sec_dtls_srtp_demux_debug

enum
{
  PROP_0,
  PROP_STATS,
};

enum
{
  OUT_DTLS,
  OUT_RTP,
  OUT_RTCP,
  N_OUTS
};

struct _GstSecDtlsSrtpDemux
{
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpads[N_OUTS];      /* set at init */

  /* protected by the object lock */
  guint64 passed[N_OUTS];
  guint64 dropped[SEC_DEMUX_UNKNOWN + 1];       /* by SecDemuxKind */
  GstClockTime last_drop_log;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate dtls_src_template =
GST_STATIC_PAD_TEMPLATE ("dtls_src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-dtls"));
static GstStaticPadTemplate rtp_src_template =
GST_STATIC_PAD_TEMPLATE ("rtp_src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-srtp"));
static GstStaticPadTemplate rtcp_src_template =
GST_STATIC_PAD_TEMPLATE ("rtcp_src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-srtcp"));

static const gchar *out_caps[N_OUTS] = {
  "application/x-dtls", "application/x-srtp", "application/x-srtcp"
};

#define gst_sec_dtls_srtp_demux_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstSecDtlsSrtpDemux, gst_sec_dtls_srtp_demux,
    GST_TYPE_ELEMENT,
    GST_DEBUG_CATEGORY_INIT (gst_sec_dtls_srtp_demux_debug,
        "secdtlssrtpdemux", 0, "RFC 7983 demux"));
GST_ELEMENT_REGISTER_DEFINE (secdtlssrtpdemux, "secdtlssrtpdemux",
    GST_RANK_NONE, GST_TYPE_SEC_DTLS_SRTP_DEMUX);

static void gst_sec_dtls_srtp_demux_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static GstFlowReturn gst_sec_dtls_srtp_demux_chain (GstPad * pad,
    GstObject * parent, GstBuffer * buffer);
static GstFlowReturn gst_sec_dtls_srtp_demux_chain_list (GstPad * pad,
    GstObject * parent, GstBufferList * list);
static gboolean gst_sec_dtls_srtp_demux_sink_event (GstPad * pad,
    GstObject * parent, GstEvent * event);

static void
gst_sec_dtls_srtp_demux_class_init (GstSecDtlsSrtpDemuxClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->get_property = gst_sec_dtls_srtp_demux_get_property;

  /**
   * GstSecDtlsSrtpDemux:stats:
   *
   * Datagrams passed on each output (`dtls`, `rtp`, `rtcp`) and dropped
   * by kind (`malformed`, `stun`, `zrtp`, `turn-channel`, `unknown`).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Datagrams passed on dtls_src, rtp_src and rtcp_src, and dropped "
          "by kind (malformed, stun, zrtp, turn-channel, unknown)",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &dtls_src_template);
  gst_element_class_add_static_pad_template (element_class,
      &rtp_src_template);
  gst_element_class_add_static_pad_template (element_class,
      &rtcp_src_template);
  gst_element_class_set_static_metadata (element_class,
      "DTLS/SRTP/SRTCP demux (gst-secwebrtc)", "Demuxer/Network",
      "Splits a WebRTC transport's datagrams into DTLS, SRTP and SRTCP by "
      "their first bytes (RFC 7983, RFC 5761)", "gst-secwebrtc developers");
}

static void
gst_sec_dtls_srtp_demux_init (GstSecDtlsSrtpDemux * self)
{
  GstStaticPadTemplate *templates[N_OUTS] = {
    &dtls_src_template, &rtp_src_template, &rtcp_src_template
  };
  guint i;

  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_dtls_srtp_demux_chain));
  gst_pad_set_chain_list_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_dtls_srtp_demux_chain_list));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_dtls_srtp_demux_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  for (i = 0; i < N_OUTS; i++) {
    self->srcpads[i] = gst_pad_new_from_static_template (templates[i],
        templates[i]->name_template);
    gst_pad_use_fixed_caps (self->srcpads[i]);
    gst_element_add_pad (GST_ELEMENT (self), self->srcpads[i]);
  }
  self->last_drop_log = GST_CLOCK_TIME_NONE;
}

static void
gst_sec_dtls_srtp_demux_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecDtlsSrtpDemux *self = GST_SEC_DTLS_SRTP_DEMUX (object);

  switch (prop_id) {
    case PROP_STATS:
      GST_OBJECT_LOCK (self);
      g_value_take_boxed (value, gst_structure_new ("secdtlssrtpdemux-stats",
              "dtls", G_TYPE_UINT64, self->passed[OUT_DTLS],
              "rtp", G_TYPE_UINT64, self->passed[OUT_RTP],
              "rtcp", G_TYPE_UINT64, self->passed[OUT_RTCP],
              "malformed", G_TYPE_UINT64,
              self->dropped[SEC_DEMUX_MALFORMED],
              "stun", G_TYPE_UINT64, self->dropped[SEC_DEMUX_STUN],
              "zrtp", G_TYPE_UINT64, self->dropped[SEC_DEMUX_ZRTP],
              "turn-channel", G_TYPE_UINT64,
              self->dropped[SEC_DEMUX_TURN_CHANNEL],
              "unknown", G_TYPE_UINT64, self->dropped[SEC_DEMUX_UNKNOWN],
              NULL));
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

/* Each output gets a stream-start of its own and its fixed caps; other
 * events (segment, EOS, flushes) go to every output. */
static gboolean
gst_sec_dtls_srtp_demux_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstSecDtlsSrtpDemux *self = GST_SEC_DTLS_SRTP_DEMUX (parent);
  guint i;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_STREAM_START:{
      const gchar *upstream_id;

      gst_event_parse_stream_start (event, &upstream_id);
      for (i = 0; i < N_OUTS; i++) {
        gchar *id = gst_pad_create_stream_id (self->srcpads[i],
            GST_ELEMENT (self), GST_PAD_NAME (self->srcpads[i]));
        GstEvent *start = gst_event_new_stream_start (id);
        GstCaps *caps = gst_caps_from_string (out_caps[i]);

        gst_event_set_group_id (start, gst_util_group_id_next ());
        gst_pad_push_event (self->srcpads[i], start);
        /* the event takes its own reference */
        gst_pad_push_event (self->srcpads[i], gst_event_new_caps (caps));
        gst_caps_unref (caps);
        g_free (id);
      }
      gst_event_unref (event);
      return TRUE;
    }
    case GST_EVENT_CAPS:
      /* the outputs' caps are their own */
      gst_event_unref (event);
      return TRUE;
    default:
      return gst_pad_event_default (pad, parent, event);
  }
}

static void
count_drop (GstSecDtlsSrtpDemux * self, SecDemuxKind kind, gsize size)
{
  GstClockTime now = gst_util_get_timestamp ();
  gboolean log;

  GST_OBJECT_LOCK (self);
  self->dropped[kind]++;
  /* per-packet problems: at most one log line a second (STYLE.md) */
  log = !GST_CLOCK_TIME_IS_VALID (self->last_drop_log)
      || now - self->last_drop_log >= GST_SECOND;
  if (log)
    self->last_drop_log = now;
  GST_OBJECT_UNLOCK (self);
  if (log)
    GST_WARNING_OBJECT (self, "dropped a %s datagram of %" G_GSIZE_FORMAT
        " bytes (counted in stats)", sec_demux_kind_name (kind), size);
}

static GstFlowReturn
gst_sec_dtls_srtp_demux_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer)
{
  GstSecDtlsSrtpDemux *self = GST_SEC_DTLS_SRTP_DEMUX (parent);
  guint8 head[SEC_DEMUX_DTLS_MIN];
  gsize size = gst_buffer_get_size (buffer);
  gsize n = gst_buffer_extract (buffer, 0, head, sizeof (head));
  SecDemuxKind kind;
  GstFlowReturn ret;
  guint out;

  (void) pad;
  /* every kind's minimum length is within the bytes copied (n is the
   * whole datagram when it is shorter) */
  kind = sec_demux_classify (head, n);
  switch (kind) {
    case SEC_DEMUX_DTLS:
      out = OUT_DTLS;
      break;
    case SEC_DEMUX_RTP:
      out = OUT_RTP;
      break;
    case SEC_DEMUX_RTCP:
      out = OUT_RTCP;
      break;
    default:
      count_drop (self, kind, size);
      gst_buffer_unref (buffer);
      return GST_FLOW_OK;
  }
  GST_OBJECT_LOCK (self);
  self->passed[out]++;
  GST_OBJECT_UNLOCK (self);
  ret = gst_pad_push (self->srcpads[out], buffer);
  /* an output nobody takes (e.g. SRTCP before the session links it) is
   * not the other outputs' problem */
  if (ret == GST_FLOW_NOT_LINKED)
    ret = GST_FLOW_OK;
  return ret;
}

static GstFlowReturn
gst_sec_dtls_srtp_demux_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list)
{
  guint i, len = gst_buffer_list_length (list);
  GstFlowReturn ret = GST_FLOW_OK;

  for (i = 0; i < len && ret == GST_FLOW_OK; i++)
    ret = gst_sec_dtls_srtp_demux_chain (pad, parent,
        gst_buffer_ref (gst_buffer_list_get (list, i)));
  gst_buffer_list_unref (list);
  return ret;
}
