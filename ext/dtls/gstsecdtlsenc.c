/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secdtlsenc
 * @title: secdtlsenc
 *
 * The sending half of a DTLS association (RFC 6347) for WebRTC
 * (DTLS-SRTP, RFC 5764): it sends the handshake records of the
 * association it shares with a secdtlsdec of the same `connection-id`,
 * retransmits lost flights on the DTLS timer, and encrypts application
 * data given on its request pad `sink` once connected. Its `src` pad
 * carries DTLS datagrams for the network (one record set per buffer,
 * sized for a 1200-byte MTU); the network's datagrams go to secdtlsdec,
 * never to this element's `sink` (DTLS records arriving there get a
 * warning that the two elements are probably swapped).
 *
 * The peer is authenticated by the fingerprint from signaling: set
 * `peer-fingerprint` (the SDP form "sha-256 AB:CD:...", or what
 * `openssl x509 -noout -fingerprint -sha256` prints), or the handshake
 * fails (see secdtlsdec's `accept-certificate` for the only
 * alternative). When the handshake has completed, the negotiated profile
 * and the exported keys go to the secsrtpenc named by `srtp-encoder` and
 * the secsrtpdec named by `srtp-decoder`, never through caps, messages or
 * logs; a name that does not lead to such an element fails the start.
 * `stats` are those of the association, the same as secdtlsdec's.
 *
 * With `is-client=true` the element sends the ClientHello when it goes to
 * PAUSED; exactly one end of an association must be the client. An EOS
 * event sent to the element (or to the pipeline, since without a `sink`
 * pad it is a source) sends close_notify before EOS.
 *
 * ## Example launch line
 *
 * Both ends of a DTLS association in one process, over UDP on 127.0.0.1.
 * Each end has a certificate of its own and expects the other's
 * fingerprint (in WebRTC, each peer makes its certificate and only the
 * fingerprints travel, in the SDP). Without `certificate` each
 * association makes a fresh one, whose fingerprint is known only once the
 * process runs (`local-fingerprint`), so a launch line needs certificates
 * made beforehand. Make them once, in an empty directory:
 * |[
 * for end in a b; do
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
 *       -nodes -days 30 -subj /CN=$end -keyout $end.key -out $end.crt
 *   cat $end.crt $end.key > $end.pem
 * done
 * ]|
 * Then, in that directory:
 * |[
 * A_FP=$(openssl x509 -in a.crt -noout -fingerprint -sha256)
 * B_FP=$(openssl x509 -in b.crt -noout -fingerprint -sha256)
 * gst-launch-1.0 -e -m \
 *   secdtlsenc connection-id=a is-client=true \
 *   ! udpsink host=127.0.0.1 port=5000 sync=false async=false \
 *   udpsrc address=127.0.0.1 port=5001 \
 *   ! secdtlsdec connection-id=a certificate="\"$(cat a.pem)\"" \
 *       peer-fingerprint="$B_FP" ! fakesink async=false \
 *   secdtlsenc connection-id=b \
 *   ! udpsink host=127.0.0.1 port=5001 sync=false async=false \
 *   udpsrc address=127.0.0.1 port=5000 \
 *   ! secdtlsdec connection-id=b certificate="\"$(cat b.pem)\"" \
 *       peer-fingerprint="$A_FP" ! fakesink async=false
 * ]| End a is the DTLS client, end b the server; a secdtlsenc and a
 * secdtlsdec with the same `connection-id` are one end. Each secdtlsdec
 * posts `dtls-connected` (`-m` prints it) with the verified peer
 * fingerprint; Ctrl-C sends close_notify and stops. The sinks must not
 * wait for preroll (`async=false`): nothing reaches them before the
 * handshake, which needs the pipeline PLAYING. A private key in a command
 * line is visible in the process list and GStreamer's log: from code, set
 * `certificate` with g_object_set(). secdtlsdec's reference has the same
 * ends in two processes; docs/dtls-srtp-pipeline.md a DTLS-SRTP call.
 * tests/examples/dtls-doc-examples.sh runs these lines as written.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecdtlsenc.h"
#include "gstsecdtlsassociation.h"

GST_DEBUG_CATEGORY_STATIC (gst_sec_dtls_enc_debug);
#define GST_CAT_DEFAULT gst_sec_dtls_enc_debug

struct _GstSecDtlsEnc
{
  GstElement parent;

  GstPad *srcpad;
  GstPad *sinkpad;              /* request pad, may be NULL */

  /* replaced (connection-id) only in NULL/READY, under the object lock;
   * streaming threads and state changes read it without */
  GstSecDtlsAssociation *assoc;
  /* the sink streaming thread's (reset while it does not run): DTLS
   * records came in as application data, said once per start */
  gboolean warned_swapped;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_REQUEST, GST_STATIC_CAPS_ANY);

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS ("application/x-dtls"));

#define gst_sec_dtls_enc_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstSecDtlsEnc, gst_sec_dtls_enc, GST_TYPE_ELEMENT,
    GST_DEBUG_CATEGORY_INIT (gst_sec_dtls_enc_debug, "secdtlsenc", 0,
        "DTLS encoder"));
GST_ELEMENT_REGISTER_DEFINE (secdtlsenc, "secdtlsenc", GST_RANK_NONE,
    GST_TYPE_SEC_DTLS_ENC);

static void gst_sec_dtls_enc_finalize (GObject * object);
static void gst_sec_dtls_enc_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_sec_dtls_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_sec_dtls_enc_change_state (GstElement *
    element, GstStateChange transition);
static gboolean gst_sec_dtls_enc_send_event (GstElement * element,
    GstEvent * event);
static GstPad *gst_sec_dtls_enc_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
static void gst_sec_dtls_enc_release_pad (GstElement * element, GstPad * pad);
static gboolean gst_sec_dtls_enc_src_activate_mode (GstPad * pad,
    GstObject * parent, GstPadMode mode, gboolean active);
static GstFlowReturn gst_sec_dtls_enc_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer);
static gboolean gst_sec_dtls_enc_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event);
static void push_initial_events (GstSecDtlsEnc * self);

static void
gst_sec_dtls_enc_class_init (GstSecDtlsEncClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_sec_dtls_enc_finalize;
  gobject_class->set_property = gst_sec_dtls_enc_set_property;
  gobject_class->get_property = gst_sec_dtls_enc_get_property;
  gst_sec_dtls_install_properties (gobject_class);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_sec_dtls_enc_change_state);
  element_class->send_event = GST_DEBUG_FUNCPTR (gst_sec_dtls_enc_send_event);
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_sec_dtls_enc_request_new_pad);
  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_sec_dtls_enc_release_pad);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "DTLS encoder (gst-secwebrtc)", "Encoder/Network/DTLS",
      "Sends the DTLS handshake and encrypts application data of the "
      "association shared with secdtlsdec; verified peers only",
      "gst-secwebrtc developers");
  gst_type_mark_as_plugin_api (GST_TYPE_SEC_DTLS_CONNECTION_STATE, 0);
}

static void
gst_sec_dtls_enc_init (GstSecDtlsEnc * self)
{
  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_set_activatemode_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_sec_dtls_enc_src_activate_mode));
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
  self->assoc = gst_sec_dtls_association_new_private (GST_ELEMENT (self),
      GST_SEC_DTLS_ROLE_ENC);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}

static void
gst_sec_dtls_enc_finalize (GObject * object)
{
  GstSecDtlsEnc *self = GST_SEC_DTLS_ENC (object);

  gst_sec_dtls_association_release (self->assoc, GST_ELEMENT (self),
      GST_SEC_DTLS_ROLE_ENC);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* For streaming threads and state changes: the association only changes
 * in NULL/READY (connection-id is refused above), when neither runs. */
static GstSecDtlsAssociation *
get_assoc (GstSecDtlsEnc * self)
{
  return self->assoc;
}

static void
gst_sec_dtls_enc_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecDtlsEnc *self = GST_SEC_DTLS_ENC (object);

  if (!gst_sec_dtls_set_property (GST_ELEMENT (self), GST_SEC_DTLS_ROLE_ENC,
          &self->assoc, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
gst_sec_dtls_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecDtlsEnc *self = GST_SEC_DTLS_ENC (object);

  if (!gst_sec_dtls_get_property (GST_ELEMENT (self), &self->assoc, prop_id,
          value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static GstStateChangeReturn
gst_sec_dtls_enc_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSecDtlsEnc *self = GST_SEC_DTLS_ENC (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      self->warned_swapped = FALSE;
      gst_sec_dtls_association_reset_if_finished (get_assoc (self), element);
      if (!gst_sec_dtls_association_start (get_assoc (self), element,
              GST_SEC_DTLS_ROLE_ENC))
        return GST_STATE_CHANGE_FAILURE;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* Best effort: the sink downstream may already have stopped. An
       * EOS before the state change is the reliable way to close. */
      gst_sec_dtls_association_close (get_assoc (self), element, NULL);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      /* like a live source: nothing to preroll */
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    default:
      break;
  }
  return ret;
}

static gboolean
gst_sec_dtls_enc_send_event (GstElement * element, GstEvent * event)
{
  GstSecDtlsEnc *self = GST_SEC_DTLS_ENC (element);

  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS) {
    /* any application thread, any state: a reference */
    GstSecDtlsAssociation *assoc = gst_sec_dtls_association_get (element,
        &self->assoc);

    /* close_notify, then EOS downstream, both from the DTLS timer
     * thread */
    gst_sec_dtls_association_close (assoc, element, event);
    gst_sec_dtls_association_unref (assoc);
    return TRUE;
  }
  return GST_ELEMENT_CLASS (parent_class)->send_event (element, event);
}

static GstPad *
gst_sec_dtls_enc_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstSecDtlsEnc *self = GST_SEC_DTLS_ENC (element);
  GstPad *pad;

  (void) name;
  (void) caps;
  GST_OBJECT_LOCK (self);
  if (self->sinkpad) {
    GST_OBJECT_UNLOCK (self);
    GST_WARNING_OBJECT (self, "there is only one sink pad");
    return NULL;
  }
  GST_OBJECT_UNLOCK (self);

  pad = gst_pad_new_from_template (templ, "sink");
  gst_pad_set_chain_function (pad, GST_DEBUG_FUNCPTR (gst_sec_dtls_enc_chain));
  gst_pad_set_event_function (pad,
      GST_DEBUG_FUNCPTR (gst_sec_dtls_enc_sink_event));
  GST_OBJECT_LOCK (self);
  self->sinkpad = pad;
  /* as GstElement does for its pads: active only above READY (a state
   * change activates it later), so no data reaches the association
   * while connection-id may still replace it */
  if (GST_STATE (self) > GST_STATE_READY
      || GST_STATE_NEXT (self) > GST_STATE_READY
      || GST_STATE_PENDING (self) > GST_STATE_READY) {
    GST_OBJECT_UNLOCK (self);
    gst_pad_set_active (pad, TRUE);
  } else {
    GST_OBJECT_UNLOCK (self);
  }
  gst_element_add_pad (element, pad);
  return pad;
}

static void
gst_sec_dtls_enc_release_pad (GstElement * element, GstPad * pad)
{
  GstSecDtlsEnc *self = GST_SEC_DTLS_ENC (element);

  GST_OBJECT_LOCK (self);
  if (pad != self->sinkpad) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  self->sinkpad = NULL;
  GST_OBJECT_UNLOCK (self);
  gst_pad_set_active (pad, FALSE);
  gst_element_remove_pad (element, pad);
}

static gboolean
gst_sec_dtls_enc_src_activate_mode (GstPad * pad, GstObject * parent,
    GstPadMode mode, gboolean active)
{
  GstSecDtlsEnc *self = GST_SEC_DTLS_ENC (parent);

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;
  /* no task: the process's DTLS timer thread starts the handshake and
   * runs the timers while the pad is active (gstsecdtlstimer.h) */
  if (active) {
    /* stored before any datagram: other threads push on this pad too */
    push_initial_events (self);
    gst_sec_dtls_association_set_flushing (get_assoc (self),
        GST_SEC_DTLS_ROLE_ENC, pad, FALSE);
  } else {
    gst_sec_dtls_association_set_flushing (get_assoc (self),
        GST_SEC_DTLS_ROLE_ENC, pad, TRUE);
  }
  return TRUE;
}

static GstFlowReturn
gst_sec_dtls_enc_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstSecDtlsEnc *self = GST_SEC_DTLS_ENC (parent);
  GstFlowReturn ret;

  (void) pad;
  gst_sec_dtls_warn_if_swapped (GST_ELEMENT (self), buffer,
      &self->warned_swapped);
  ret = gst_sec_dtls_association_send (get_assoc (self), GST_ELEMENT (self),
      buffer);
  gst_buffer_unref (buffer);
  return ret;
}

static gboolean
gst_sec_dtls_enc_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstSecDtlsEnc *self = GST_SEC_DTLS_ENC (parent);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_EOS:
      gst_sec_dtls_association_close (get_assoc (self), GST_ELEMENT (self),
          event);
      return TRUE;
    case GST_EVENT_CAPS:
    case GST_EVENT_STREAM_START:
    case GST_EVENT_SEGMENT:
      /* the src pad carries DTLS records, with events of its own */
      gst_event_unref (event);
      return TRUE;
    default:
      return gst_pad_event_default (pad, parent, event);
  }
}

static void
store_sticky (GstPad * pad, GstEvent * event)
{
  gst_pad_store_sticky_event (pad, event);
  gst_event_unref (event);
}

static void
push_initial_events (GstSecDtlsEnc * self)
{
  GstSegment segment;
  GstCaps *caps;
  gchar *stream_id;

  stream_id = gst_pad_create_stream_id (self->srcpad, GST_ELEMENT (self),
      NULL);
  store_sticky (self->srcpad, gst_event_new_stream_start (stream_id));
  g_free (stream_id);
  caps = gst_static_caps_get (&src_template.static_caps);
  store_sticky (self->srcpad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  store_sticky (self->srcpad, gst_event_new_segment (&segment));
}
