/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * SECTION:element-secdtlsdec
 * @title: secdtlsdec
 *
 * The receiving half of a DTLS association (RFC 6347, DTLS-SRTP RFC
 * 5764): it takes DTLS datagrams from the network on `sink` (one datagram
 * per buffer), runs the handshake of the association it shares with a
 * secdtlsenc of the same `connection-id`, and pushes decrypted
 * application data on `src` (leave it unlinked when only SRTP keys are
 * wanted).
 *
 * A close_notify from the peer (its secdtlsenc got EOS) ends the `src`
 * stream: the application data that came before it, then EOS, once per
 * association (with stream-start, caps and segment before it even when
 * no data came). Datagrams that arrive later push nothing; starting the
 * elements again from READY makes a new association and a new stream. A
 * fatal alert or any other failure stays an element error, not EOS, and
 * closing this end (EOS into its secdtlsenc) does not end `src`.
 *
 * The peer certificate is checked inside the handshake against
 * `peer-fingerprint` (sha-256, sha-384 or sha-512, compared in constant
 * time; the SDP form "sha-256 AB:CD:..." or what `openssl x509 -noout
 * -fingerprint -sha256` prints; it reads back in the SDP form). On a
 * mismatch the handshake is aborted with a fatal alert, the element posts
 * an error naming the expected and the received fingerprint, and no key
 * is exported. Without `peer-fingerprint`, the `accept-certificate`
 * signal decides; with no handler the handshake fails, with an error that
 * gives the peer's fingerprint and says to set `peer-fingerprint` (and a
 * warning when the element starts without either). Once the peer is
 * verified it cannot change: a `peer-fingerprint` of another certificate
 * set later (signaling says the peer is someone else) fails the
 * association with an error naming both fingerprints, and the SRTP keys
 * are taken back from the secsrtp elements; a new association (the
 * elements started again from READY) checks the new value.
 *
 * When the handshake completes, the element hands the negotiated SRTP
 * profile and keys to the secsrtpenc/secsrtpdec named by `srtp-encoder`
 * and `srtp-decoder` and then posts an element message `dtls-connected`
 * with `connection-id`, `is-client`, `dtls-version`, `cipher-suite`,
 * `srtp-profile`, `peer-fingerprint`, `local-fingerprint` and `sas`, the
 * short authentication string: four words, the same at both ends of the
 * association and different across a man in the middle who terminates
 * DTLS with each side (docs/security.md; never keys). Datagrams that are not well-formed DTLS records are dropped and
 * counted in `stats`.
 *
 * Common mistakes are said early, as WARNING messages: no
 * `peer-fingerprint` and no `accept-certificate` handler; a secdtlsenc and
 * a secdtlsdec in one bin both without `connection-id`; nothing from the
 * peer 3 s after the handshake started (a server: no ClientHello, is
 * exactly one side `is-client=true`?; a client: no answer, is the network
 * path right?). Both sides `is-client=true` is an error that says so.
 *
 * ## Example launch lines
 *
 * A DTLS server and a DTLS client in two processes on 127.0.0.1. Each has
 * a certificate of its own and expects the other's fingerprint (in
 * WebRTC, only the fingerprints travel, in the SDP). Make the
 * certificates once, in a directory both terminals use:
 * |[
 * for end in a b; do
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
 *       -nodes -days 30 -subj /CN=$end -keyout $end.key -out $end.crt
 *   cat $end.crt $end.key > $end.pem
 * done
 * ]|
 * In one terminal, the server (end b), which expects a's certificate:
 * |[
 * A_FP=$(openssl x509 -in a.crt -noout -fingerprint -sha256)
 * gst-launch-1.0 -e -m \
 *   udpsrc address=127.0.0.1 port=5002 \
 *   ! secdtlsdec connection-id=b certificate="\"$(cat b.pem)\"" \
 *       peer-fingerprint="$A_FP" ! fakesink async=false \
 *   secdtlsenc connection-id=b \
 *   ! udpsink host=127.0.0.1 port=5003 sync=false async=false
 * ]|
 * In another terminal, the client (end a), which expects b's:
 * |[
 * B_FP=$(openssl x509 -in b.crt -noout -fingerprint -sha256)
 * gst-launch-1.0 -e -m \
 *   udpsrc address=127.0.0.1 port=5003 \
 *   ! secdtlsdec connection-id=a certificate="\"$(cat a.pem)\"" \
 *       peer-fingerprint="$B_FP" ! fakesink async=false \
 *   secdtlsenc connection-id=a is-client=true \
 *   ! udpsink host=127.0.0.1 port=5002 sync=false async=false
 * ]| Each process prints its `dtls-connected` message; Ctrl-C in either
 * sends close_notify to the other. The client retransmits its ClientHello
 * until the server answers, so either may start first. secdtlsenc's
 * reference has both ends in one process; docs/dtls-srtp-pipeline.md a
 * DTLS-SRTP call with audio. tests/examples/dtls-doc-examples.sh runs
 * these lines as written.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecdtlsdec.h"
#include "gstsecdtlsassociation.h"

GST_DEBUG_CATEGORY_STATIC (gst_sec_dtls_dec_debug);
#define GST_CAT_DEFAULT gst_sec_dtls_dec_debug

enum
{
  SIGNAL_ACCEPT_CERTIFICATE,
  LAST_SIGNAL
};

static guint signals[LAST_SIGNAL];

struct _GstSecDtlsDec
{
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpad;

  /* replaced (connection-id) only in NULL/READY, under the object lock;
   * streaming threads and state changes read it without */
  GstSecDtlsAssociation *assoc;
  /* streaming thread only */
  gboolean need_events;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

#define GST_SEC_DTLS_DATA_CAPS "application/x-dtls-data"

#define gst_sec_dtls_dec_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstSecDtlsDec, gst_sec_dtls_dec, GST_TYPE_ELEMENT,
    GST_DEBUG_CATEGORY_INIT (gst_sec_dtls_dec_debug, "secdtlsdec", 0,
        "DTLS decoder"));
GST_ELEMENT_REGISTER_DEFINE (secdtlsdec, "secdtlsdec", GST_RANK_NONE,
    GST_TYPE_SEC_DTLS_DEC);

static void gst_sec_dtls_dec_finalize (GObject * object);
static void gst_sec_dtls_dec_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_sec_dtls_dec_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_sec_dtls_dec_change_state (GstElement *
    element, GstStateChange transition);
static GstFlowReturn gst_sec_dtls_dec_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer);
static GstFlowReturn gst_sec_dtls_dec_chain_list (GstPad * pad,
    GstObject * parent, GstBufferList * list);
static gboolean gst_sec_dtls_dec_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event);

static void
gst_sec_dtls_dec_class_init (GstSecDtlsDecClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_sec_dtls_dec_finalize;
  gobject_class->set_property = gst_sec_dtls_dec_set_property;
  gobject_class->get_property = gst_sec_dtls_dec_get_property;
  gst_sec_dtls_install_properties (gobject_class);

  /**
   * GstSecDtlsDec::accept-certificate:
   * @dec: the element
   * @pem: the peer's certificate, PEM (never a key)
   *
   * Emitted inside the handshake, from the streaming thread, only when no
   * `peer-fingerprint` was set: return %TRUE to accept the peer. Without
   * a handler the peer is refused. Accepting a certificate not tied to
   * signaling gives up the authentication WebRTC relies on; use it only
   * when the identity is checked another way.
   *
   * Returns: %TRUE to accept the certificate
   */
  signals[SIGNAL_ACCEPT_CERTIFICATE] =
      g_signal_new ("accept-certificate", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, g_signal_accumulator_first_wins, NULL, NULL,
      G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_sec_dtls_dec_change_state);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "DTLS decoder (gst-secwebrtc)", "Decoder/Network/DTLS",
      "Receives the DTLS handshake, verifies the peer's certificate against "
      "the signaled fingerprint, exports DTLS-SRTP keys and decrypts "
      "application data", "gst-secwebrtc developers");
}

static void
gst_sec_dtls_dec_init (GstSecDtlsDec * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_dtls_dec_chain));
  gst_pad_set_chain_list_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_dtls_dec_chain_list));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_sec_dtls_dec_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->assoc = gst_sec_dtls_association_new_private (GST_ELEMENT (self),
      GST_SEC_DTLS_ROLE_DEC);
}

static void
gst_sec_dtls_dec_finalize (GObject * object)
{
  GstSecDtlsDec *self = GST_SEC_DTLS_DEC (object);

  gst_sec_dtls_association_release (self->assoc, GST_ELEMENT (self),
      GST_SEC_DTLS_ROLE_DEC);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_sec_dtls_dec_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSecDtlsDec *self = GST_SEC_DTLS_DEC (object);

  if (!gst_sec_dtls_set_property (GST_ELEMENT (self), GST_SEC_DTLS_ROLE_DEC,
          &self->assoc, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
gst_sec_dtls_dec_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSecDtlsDec *self = GST_SEC_DTLS_DEC (object);

  if (!gst_sec_dtls_get_property (GST_ELEMENT (self), &self->assoc, prop_id,
          value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static GstStateChangeReturn
gst_sec_dtls_dec_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSecDtlsDec *self = GST_SEC_DTLS_DEC (element);

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    if (!gst_sec_dtls_association_start (self->assoc, element,
            GST_SEC_DTLS_ROLE_DEC))
      return GST_STATE_CHANGE_FAILURE;
    self->need_events = TRUE;
  }
  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}

static void
push_initial_events (GstSecDtlsDec * self)
{
  GstSegment segment;
  GstCaps *caps;
  gchar *stream_id;

  stream_id = gst_pad_create_stream_id (self->srcpad, GST_ELEMENT (self),
      NULL);
  gst_pad_push_event (self->srcpad, gst_event_new_stream_start (stream_id));
  g_free (stream_id);
  caps = gst_caps_new_empty_simple (GST_SEC_DTLS_DATA_CAPS);
  gst_pad_push_event (self->srcpad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (self->srcpad, gst_event_new_segment (&segment));
}

static GstFlowReturn
gst_sec_dtls_dec_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstSecDtlsDec *self = GST_SEC_DTLS_DEC (parent);
  GstFlowReturn ret;

  (void) pad;
  /* before anything the association pushes: data, or the EOS of the
   * peer's close_notify */
  if (self->need_events) {
    self->need_events = FALSE;
    push_initial_events (self);
  }
  ret = gst_sec_dtls_association_receive (self->assoc, GST_ELEMENT (self),
      buffer, self->srcpad);
  gst_buffer_unref (buffer);
  return ret;
}

static GstFlowReturn
gst_sec_dtls_dec_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list)
{
  GstFlowReturn ret = GST_FLOW_OK;
  guint i, n = gst_buffer_list_length (list);

  for (i = 0; i < n && ret == GST_FLOW_OK; i++)
    ret = gst_sec_dtls_dec_chain (pad, parent,
        gst_buffer_ref (gst_buffer_list_get (list, i)));
  gst_buffer_list_unref (list);
  return ret;
}

static gboolean
gst_sec_dtls_dec_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:
    case GST_EVENT_STREAM_START:
    case GST_EVENT_SEGMENT:
      /* the src pad carries application data, with events of its own */
      gst_event_unref (event);
      return TRUE;
    default:
      return gst_pad_event_default (pad, parent, event);
  }
}
