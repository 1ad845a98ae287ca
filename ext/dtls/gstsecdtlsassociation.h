/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GstSecDtlsAssociation: the DTLS association a secdtlsenc and a
 * secdtlsdec share through their connection-id (docs/design/dtls.md). It
 * owns the association's settings, the SecDtlsConnection core, the queue of
 * datagrams the DTLS timer thread sends, and hands exported SRTP keys to the
 * secsrtp elements named in its settings. Refcounted; a named association
 * lives as long as an element holds it.
 *
 * Locks (taken in this order):
 *   conn_lock (GRecMutex): serialises every call into the core, which may
 *     call back (send, app data, accept-certificate) while it is held; a
 *     recursive lock so an accept-certificate handler may read or set
 *     properties of the elements.
 *   keys_lock (GMutex): serialises handing SRTP keys to the secsrtp
 *     elements and withdrawing them (their properties are set under it).
 *   lock (GMutex) + cond: settings, state mirror, outgoing queue; never
 *     held while calling the core or emitting signals.
 *   the DTLS timer's lock (gstsecdtlstimer.c), innermost: taken under
 *     lock to schedule the encoder's work; cancelling waits for a run in
 *     progress, so it is done with none of these held.
 * and, apart from them, the element's object lock: held only to read the
 * element's association pointer or to replace it (connection-id); while
 * it is held only registry_lock and associations' lock are taken (never
 * conn_lock, keys_lock or push_lock) and nothing is posted or emitted, so
 * a handler that takes it under conn_lock cannot deadlock.
 */
#ifndef GST_SEC_DTLS_ASSOCIATION_H
#define GST_SEC_DTLS_ASSOCIATION_H

#include <gst/gst.h>

#include "dtlsconnection.h"

G_BEGIN_DECLS

typedef enum
{
  GST_SEC_DTLS_CONNECTION_STATE_NEW,
  GST_SEC_DTLS_CONNECTION_STATE_CONNECTING,
  GST_SEC_DTLS_CONNECTION_STATE_CONNECTED,
  GST_SEC_DTLS_CONNECTION_STATE_CLOSED,
  GST_SEC_DTLS_CONNECTION_STATE_FAILED,
} GstSecDtlsConnectionState;

#define GST_TYPE_SEC_DTLS_CONNECTION_STATE \
  (gst_sec_dtls_connection_state_get_type ())
G_GNUC_INTERNAL GType gst_sec_dtls_connection_state_get_type (void);

#define GST_SEC_DTLS_DEFAULT_SRTP_PROFILES \
  "aead-aes-256-gcm,aead-aes-128-gcm,aes128-cm-sha1-80"
#define GST_SEC_DTLS_DEFAULT_HANDSHAKE_TIMEOUT_MS 20000

typedef struct _GstSecDtlsAssociation GstSecDtlsAssociation;

/* Which element of the pair is calling. */
typedef enum
{
  GST_SEC_DTLS_ROLE_ENC,
  GST_SEC_DTLS_ROLE_DEC,
} GstSecDtlsRole;

/* An anonymous association (no connection-id yet) for @element. */
G_GNUC_INTERNAL GstSecDtlsAssociation *gst_sec_dtls_association_new_private
    (GstElement * element, GstSecDtlsRole role);

/* Drops @element's attachment and reference. */
G_GNUC_INTERNAL void gst_sec_dtls_association_release
    (GstSecDtlsAssociation * assoc, GstElement * element, GstSecDtlsRole role);

/* A reference to the association @element holds in *@assoc_ptr, read
 * under the object lock (for application threads: connection-id may
 * replace it in NULL/READY). Streaming threads use the pointer directly:
 * it cannot change while the element is above READY. */
G_GNUC_INTERNAL GstSecDtlsAssociation *gst_sec_dtls_association_get
    (GstElement * element, GstSecDtlsAssociation ** assoc_ptr);
G_GNUC_INTERNAL void gst_sec_dtls_association_unref
    (GstSecDtlsAssociation * assoc);

/* --- properties shared by both elements -------------------------------- */

enum
{
  GST_SEC_DTLS_PROP_0,
  GST_SEC_DTLS_PROP_CONNECTION_ID,
  GST_SEC_DTLS_PROP_IS_CLIENT,
  GST_SEC_DTLS_PROP_CERTIFICATE,
  GST_SEC_DTLS_PROP_CERTIFICATE_GROUP,
  GST_SEC_DTLS_PROP_LOCAL_FINGERPRINT,
  GST_SEC_DTLS_PROP_PEER_FINGERPRINT,
  GST_SEC_DTLS_PROP_SRTP_PROFILES,
  GST_SEC_DTLS_PROP_HANDSHAKE_TIMEOUT,
  GST_SEC_DTLS_PROP_SRTP_ENCODER,
  GST_SEC_DTLS_PROP_SRTP_DECODER,
  GST_SEC_DTLS_PROP_CONNECTION_STATE,
  GST_SEC_DTLS_PROP_STATS,
  GST_SEC_DTLS_PROP_LAST,
};

G_GNUC_INTERNAL void gst_sec_dtls_install_properties (GObjectClass * klass);
/* Both return FALSE for a property id that is not shared. @assoc_ptr is
 * the element's association pointer (replaced on connection-id, under
 * the element's object lock). Settings marked GST_PARAM_MUTABLE_READY
 * are refused, with a WARNING message, while the element is above READY
 * or on its way there. */
G_GNUC_INTERNAL gboolean gst_sec_dtls_set_property (GstElement * element,
    GstSecDtlsRole role, GstSecDtlsAssociation ** assoc_ptr, guint prop_id,
    const GValue * value);
G_GNUC_INTERNAL gboolean gst_sec_dtls_get_property (GstElement * element,
    GstSecDtlsAssociation ** assoc_ptr, guint prop_id, GValue * value);

/* --- driving ------------------------------------------------------------ */

/* Checks the settings and, for the encoder, starts the handshake (a
 * client sends its ClientHello). Posts an element error (from the element
 * the setting was made on) and returns FALSE when the settings are
 * unusable or srtp-encoder/srtp-decoder name no element of the right
 * kind; the decoder also warns about a handshake that cannot succeed as
 * configured (gstsecdtlschecks.c). */
G_GNUC_INTERNAL gboolean gst_sec_dtls_association_start
    (GstSecDtlsAssociation * assoc, GstElement * element, GstSecDtlsRole role);

/* One datagram from the network (secdtlsdec). Decrypted application data
 * is pushed on @app_pad; when the datagram carries the peer's
 * close_notify, the data before it and then EOS, once per association
 * (a closed association pushes nothing more). Returns a flow return for
 * the chain function. */
G_GNUC_INTERNAL GstFlowReturn gst_sec_dtls_association_receive
    (GstSecDtlsAssociation * assoc, GstElement * element, GstBuffer * buffer,
    GstPad * app_pad);

/* Application data to encrypt (secdtlsenc sink): waits until connected
 * (or failed, closed, flushing). */
G_GNUC_INTERNAL GstFlowReturn gst_sec_dtls_association_send
    (GstSecDtlsAssociation * assoc, GstElement * element, GstBuffer * buffer);

/* close_notify, then @event (EOS, may be NULL) queued for the encoder. */
G_GNUC_INTERNAL void gst_sec_dtls_association_close
    (GstSecDtlsAssociation * assoc, GstElement * element, GstEvent * event);

/* The encoder's src pad was activated (@flushing FALSE: the handshake
 * starts and the timers run, on the process's DTLS timer thread, pushing
 * on @srcpad, as other threads do, see push_outgoing) or deactivated
 * (@flushing: waiting senders return, and nothing runs for the encoder
 * when this returns). */
G_GNUC_INTERNAL void gst_sec_dtls_association_set_flushing
    (GstSecDtlsAssociation * assoc, GstSecDtlsRole role, GstPad * srcpad,
    gboolean flushing);

/* A fresh core when the previous association ended (closed or failed),
 * so the elements can be started again; SRTP keys the previous one
 * handed out are withdrawn (found from @element). */
G_GNUC_INTERNAL void gst_sec_dtls_association_reset_if_finished
    (GstSecDtlsAssociation * assoc, GstElement * element);

G_GNUC_INTERNAL GstStructure *gst_sec_dtls_association_get_stats
    (GstSecDtlsAssociation * assoc);

/* secdtlsenc's application data: a WARNING message (once, *@warned) when
 * it is DTLS records, as when secdtlsenc and secdtlsdec are swapped
 * (gstsecdtlschecks.c). */
G_GNUC_INTERNAL void gst_sec_dtls_warn_if_swapped (GstElement * enc,
    GstBuffer * buffer, gboolean * warned);

G_END_DECLS

#endif
