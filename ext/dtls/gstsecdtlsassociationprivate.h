/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Inside the association: what gstsecdtlsassociation.c (life cycle, core
 * calls, key hand-over) shares with gstsecdtlsproperties.c (the shared
 * properties of secdtlsenc and secdtlsdec). Not for the element files.
 * Locking rules: gstsecdtlsassociation.h.
 */
#ifndef GST_SEC_DTLS_ASSOCIATION_PRIVATE_H
#define GST_SEC_DTLS_ASSOCIATION_PRIVATE_H

#include "gstsecdtlsassociation.h"
#include "gstsecdtlstimer.h"

G_BEGIN_DECLS

G_GNUC_INTERNAL GST_DEBUG_CATEGORY_EXTERN (sec_dtls_association_debug);

/* which settings were set explicitly (carried over on rename) */
enum
{
  SET_IS_CLIENT = 1 << 0,
  SET_CERTIFICATE = 1 << 1,
  SET_PEER_FINGERPRINT = 1 << 2,
  SET_SRTP_PROFILES = 1 << 3,
  SET_HANDSHAKE_TIMEOUT = 1 << 4,
  SET_SRTP_ENCODER = 1 << 5,
  SET_SRTP_DECODER = 1 << 6,
  SET_CERTIFICATE_GROUP = 1 << 7,
};

struct _GstSecDtlsAssociation
{
  gint refcount;                /* protected by registry_lock */
  gchar *id;                    /* NULL for an anonymous association */

  GRecMutex conn_lock;
  /* protected by conn_lock */
  SecDtlsConnection *conn;
  GQueue app_in;                /* GstBuffer, decrypted, to push */
  gboolean keys_handled;
  /* the peer's close_notify was taken as the end of the application
   * data (EOS on the decoder's src), once per core */
  gboolean app_ended;

  /* held while keys are set on or withdrawn from the SRTP elements, so a
   * withdrawal can never be overtaken by a late hand-over */
  GMutex keys_lock;

  GMutex lock;
  GCond cond;
  /* protected by lock */
  guint set_mask;
  gboolean is_client;
  SecDtlsCertificate *certificate;
  GError *certificate_error;
  /* associations of the process with the same group present one
   * certificate, made by the first that needs one (NULL: none) */
  gchar *certificate_group;
  gboolean in_certificate_group;        /* counted as one of its users */
  gchar *peer_fingerprint;
  GError *peer_fingerprint_error;
  gchar *srtp_profiles;
  guint16 profile_ids[4];
  guint n_profile_ids;
  GError *srtp_profiles_error;
  guint handshake_timeout_ms;
  gchar *srtp_encoder;
  gchar *srtp_decoder;
  /* the element (by role) each setting was last set on: a problem with
   * it is reported from there */
  GstSecDtlsRole certificate_set_on;
  GstSecDtlsRole peer_fingerprint_set_on;
  GstSecDtlsRole srtp_profiles_set_on;
  GstSecDtlsRole srtp_encoder_set_on;
  GstSecDtlsRole srtp_decoder_set_on;
  /* what a connect hands out (SRTP keys, dtls-connected) belongs to an
   * epoch, bumped when a connected association fails or a new core
   * replaces it: what finish_call has for an older epoch is dropped.
   * connected_live from the connect until then; keys_out while the keys
   * are (about to be) in the SRTP elements keyed_encoder/keyed_decoder */
  guint keys_epoch;
  gboolean connected_live;
  gboolean keys_out;
  gchar *keyed_encoder;
  gchar *keyed_decoder;

  GstSecDtlsConnectionState state;
  GstSecDtlsConnectionState notified_state;
  gboolean conn_started;
  gboolean conn_touched;        /* a datagram went in or out */
  gint64 next_timeout;
  /* when the timer thread checks whether the peer was heard from
   * (gst_sec_dtls_warn_if_silent), -1: not (any more) */
  gint64 silence_check_at;
  GQueue outgoing;              /* GstBuffer / GstEvent for the encoder */
  gboolean enc_started;
  gboolean enc_flushing;
  GstPad *enc_srcpad;           /* while the encoder's src pad is active */
  GWeakRef enc;

  /* the process's DTLS timer runs the encoder's work (run_timed) while
   * enc_srcpad is set; protected by the timer's lock */
  GstSecDtlsTimerEntry timer;

  /* held while datagrams are taken from the queue and pushed, so they
   * leave in the order the core made them, whichever thread pushes */
  GMutex push_lock;
  GWeakRef dec;
};

/* What a rename carries over that needs the core (applied once the
 * element's object lock is released). */
typedef struct
{
  guint mask;
  gboolean created;
  gchar *peer_fingerprint;      /* to apply when mask has it */
} Carried;

G_GNUC_INTERNAL GstSecDtlsAssociation *gst_sec_dtls_association_ref
    (GstSecDtlsAssociation * assoc);

/* Moves @element from @current to the association named @id (see the
 * definition); under @element's object lock. */
G_GNUC_INTERNAL GstSecDtlsAssociation *gst_sec_dtls_association_rename
    (GstSecDtlsAssociation * current, GstElement * element,
    GstSecDtlsRole role, const gchar * id, Carried * carried);

/* lock held: the certificate the next handshake presents (made on first
 * use when none was given), NULL with @error when it is unusable. */
G_GNUC_INTERNAL SecDtlsCertificate *gst_sec_dtls_association_certificate_locked
    (GstSecDtlsAssociation * assoc, GError ** error);

/* No lock held: a setting that changes the handshake was changed (the
 * core is made again if no datagram went in or out yet). */
G_GNUC_INTERNAL void gst_sec_dtls_association_settings_changed
    (GstSecDtlsAssociation * assoc, GstElement * element, const gchar * what);

/* No lock held: peer-fingerprint set on @element of @role (may fail a
 * verified association, see dtlsconnection.h). Stored in the SDP form. */
G_GNUC_INTERNAL void gst_sec_dtls_association_set_peer_fingerprint
    (GstSecDtlsAssociation * assoc, GstElement * element,
    GstSecDtlsRole role, const gchar * text);

/* A reference to the element of @role holding @assoc, else to @fallback:
 * where a problem with a setting made on that element is reported. */
G_GNUC_INTERNAL GstElement *gst_sec_dtls_association_element
    (GstSecDtlsAssociation * assoc, GstSecDtlsRole role,
    GstElement * fallback);

/* The element named @name, looked up in @element's bin, then the bins
 * around it (a reference, or NULL). */
G_GNUC_INTERNAL GstElement *gst_sec_dtls_find_named_element
    (GstElement * element, const gchar * name);

/* An element error for @error (SEC_DTLS_ERROR codes mapped to GStreamer
 * domains with a translated sentence). */
G_GNUC_INTERNAL void gst_sec_dtls_post_error (GstElement * element,
    const GError * error);

/* --- what a new user gets wrong (gstsecdtlschecks.c) -------------------- */

/* Seconds without a DTLS datagram from the peer after which the
 * timer thread warns (a server: no ClientHello; a client: no answer). */
#define GST_SEC_DTLS_SILENCE_WARNING_S 3

/* TRUE when secdtlsdec @dec has an accept-certificate handler. */
G_GNUC_INTERNAL gboolean gst_sec_dtls_has_accept_handler (GstElement * dec);

/* At READY->PAUSED: the secsrtp elements named by srtp-encoder and
 * srtp-decoder must exist around @element and be of the right kind;
 * otherwise an error from the element the name was set on, FALSE. */
G_GNUC_INTERNAL gboolean gst_sec_dtls_check_srtp_elements
    (GstSecDtlsAssociation * assoc, GstElement * element);

/* At the decoder's READY->PAUSED: warnings for a handshake that cannot
 * succeed as configured (no peer-fingerprint and no accept-certificate
 * handler; an encoder and a decoder in one bin without connection-id). */
G_GNUC_INTERNAL void gst_sec_dtls_warn_at_start
    (GstSecDtlsAssociation * assoc, GstElement * dec);

/* From the timer thread, GST_SEC_DTLS_SILENCE_WARNING_S after the
 * handshake started: a warning when no DTLS datagram came from the peer. */
G_GNUC_INTERNAL void gst_sec_dtls_warn_if_silent
    (GstSecDtlsAssociation * assoc, GstElement * element);

G_END_DECLS

#endif
