/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The properties secdtlsenc and secdtlsdec share: they are settings of
 * the association both elements hold (gstsecdtlsassociation.h), so each
 * element forwards them here. Also when each may change: connection-id
 * and the GST_PARAM_MUTABLE_READY settings are refused, with a WARNING
 * message, while the element runs (docs/design/dtls.md, "When settings
 * may change").
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecdtlsassociationprivate.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define GST_CAT_DEFAULT sec_dtls_association_debug

/* The blurbs say when each setting may change; the GST_PARAM_MUTABLE_*
 * flags say the same to tools. MUTABLE_READY settings are refused while
 * the element runs (refuse_if_running). */
void
gst_sec_dtls_install_properties (GObjectClass * klass)
{
  g_object_class_install_property (klass, GST_SEC_DTLS_PROP_CONNECTION_ID,
      g_param_spec_string ("connection-id", "Connection id",
          "Name of the DTLS association this element shares with its "
          "partner (secdtlsenc with secdtlsdec); unset gives a private one "
          "(a secdtlsdec starting in a bin with a secdtlsenc, both without, "
          "warns). Changes only in NULL or READY (refused with a warning "
          "otherwise)",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass, GST_SEC_DTLS_PROP_IS_CLIENT,
      g_param_spec_boolean ("is-client", "Is client",
          "Take the DTLS client role (sends the ClientHello); exactly one "
          "end must (two clients: an error; a server that hears nothing "
          "for 3 s warns). May change in any state until the first "
          "handshake datagram goes out or comes in, later changes are for "
          "the next association",
          FALSE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (klass, GST_SEC_DTLS_PROP_CERTIFICATE,
      g_param_spec_string ("certificate", "Certificate",
          "PEM text with the certificate and its private key (ECDSA or "
          "RSA >= 2048). Unset: a fresh ECDSA P-256 certificate for this "
          "association. Write-only: the key never leaves the element. "
          "Changes only in NULL or READY (refused with a warning otherwise)",
          NULL, G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass,
      GST_SEC_DTLS_PROP_CERTIFICATE_GROUP,
      g_param_spec_string ("certificate-group", "Certificate group",
          "Associations of this process with the same group present one "
          "certificate (one fingerprint), made by the first of them that "
          "needs one; `certificate` set on an association overrides it. "
          "For a peer connection with several transports, as a browser's "
          "RTCPeerConnection has one certificate. The key stays inside the "
          "plugin. Changes only in NULL or READY (refused with a warning "
          "otherwise)",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass,
      GST_SEC_DTLS_PROP_LOCAL_FINGERPRINT,
      g_param_spec_string ("local-fingerprint", "Local fingerprint",
          "Fingerprint of our certificate for signaling, "
          "\"sha-256 AB:CD:...\" (SDP a=fingerprint form): the one the "
          "handshake under way presents, else the one the next uses", NULL,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (klass, GST_SEC_DTLS_PROP_PEER_FINGERPRINT,
      g_param_spec_string ("peer-fingerprint", "Peer fingerprint",
          "Expected fingerprint of the peer's certificate, from signaling: "
          "\"sha-256 AB:CD:...\" (sha-256, sha-384 or sha-512; sha-1 and "
          "md5 are refused), or as `openssl x509 -noout -fingerprint "
          "-sha256` prints it. The handshake fails unless the peer's "
          "certificate matches (unset, and no accept-certificate handler: "
          "a warning at start, the handshake fails). May change in any "
          "state; once the peer's certificate was verified, a fingerprint "
          "of another certificate ends the association (connection-state "
          "failed, SRTP keys withdrawn, error) and is what the next "
          "handshake checks. Reads back the last value set, in the "
          "\"sha-256 AB:CD:...\" form; the verified one is in stats "
          "(verified-peer-fingerprint) and dtls-connected", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (klass, GST_SEC_DTLS_PROP_SRTP_PROFILES,
      g_param_spec_string ("srtp-profiles", "SRTP profiles",
          "DTLS-SRTP protection profiles to offer (use_srtp), comma "
          "separated, most preferred first: aead-aes-256-gcm, "
          "aead-aes-128-gcm, aes128-cm-sha1-80, aes128-cm-sha1-32. "
          "Changes only in NULL or READY (refused with a warning otherwise)",
          GST_SEC_DTLS_DEFAULT_SRTP_PROFILES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass,
      GST_SEC_DTLS_PROP_HANDSHAKE_TIMEOUT,
      g_param_spec_uint ("handshake-timeout", "Handshake timeout",
          "Milliseconds the handshake may take from its start before the "
          "association fails (retransmissions included). Changes only in "
          "NULL or READY (refused with a warning otherwise)", 100,
          G_MAXUINT, GST_SEC_DTLS_DEFAULT_HANDSHAKE_TIMEOUT_MS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass, GST_SEC_DTLS_PROP_SRTP_ENCODER,
      g_param_spec_string ("srtp-encoder", "SRTP encoder",
          "Name of the secsrtpenc that gets the negotiated profile and our "
          "SRTP key once the peer is verified (looked up in this element's "
          "bin, then the bins around it; no such element at start is an "
          "error); the key is withdrawn when the association fails. Changes "
          "only in NULL or READY (refused with a warning otherwise)", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass, GST_SEC_DTLS_PROP_SRTP_DECODER,
      g_param_spec_string ("srtp-decoder", "SRTP decoder",
          "Name of the secsrtpdec that gets the negotiated profile and the "
          "peer's SRTP key once the peer is verified (looked up as for "
          "srtp-encoder; no such element at start is an error); the key is "
          "withdrawn when the association fails. Changes only in NULL or "
          "READY (refused with a warning otherwise)", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (klass, GST_SEC_DTLS_PROP_CONNECTION_STATE,
      g_param_spec_enum ("connection-state", "Connection state",
          "State of the DTLS association", GST_TYPE_SEC_DTLS_CONNECTION_STATE,
          GST_SEC_DTLS_CONNECTION_STATE_NEW,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /* the association's: the same on secdtlsenc and secdtlsdec */
  g_object_class_install_property (klass, GST_SEC_DTLS_PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Of the association both elements share: connection-state, "
          "datagrams received/sent, malformed datagrams dropped, flights "
          "retransmitted, application bytes, and verified-peer-fingerprint "
          "once the peer's certificate passed the check (never keys)",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

/* The highest state @element is in or on its way to. Object lock held:
 * gst_element_set_state() records the pending and next state under it
 * before the element's change_state runs, so a state change cannot begin
 * unnoticed while the lock is held. */
static GstState
running_state_locked (GstElement * element)
{
  return MAX (GST_STATE (element), MAX (GST_STATE_NEXT (element),
          GST_STATE_PENDING (element)));
}

static void
post_refused (GstElement * element, const gchar * property, GstState state)
{
  GST_ELEMENT_WARNING (element, RESOURCE, SETTINGS,
      (_("A secure connection setting was not changed: it can only change "
              "while the element is stopped.")),
      ("%s changes only in the NULL or READY state; %s is in %s (or going "
          "there): the change was refused, the old value stays", property,
          GST_ELEMENT_NAME (element), gst_element_state_get_name (state)));
}

/* For GST_PARAM_MUTABLE_READY settings: TRUE, with a WARNING message,
 * when @element runs. The setting itself lives on the association and
 * is changed under its lock, so a change racing with a start is applied
 * either before or after it, never half. */
static gboolean
refuse_if_running (GstElement * element, const gchar * property)
{
  GstState state;

  GST_OBJECT_LOCK (element);
  state = running_state_locked (element);
  GST_OBJECT_UNLOCK (element);
  if (state <= GST_STATE_READY)
    return FALSE;
  post_refused (element, property, state);
  return TRUE;
}

/* connection-id: the element's association pointer changes only while no
 * streaming thread of the element can use it, checked and replaced under
 * the object lock (see running_state_locked). */
static void
set_connection_id (GstElement * element, GstSecDtlsRole role,
    GstSecDtlsAssociation ** assoc_ptr, const gchar * id)
{
  Carried carried = { 0, FALSE, NULL };
  GstSecDtlsAssociation *named;
  GstState state;

  GST_OBJECT_LOCK (element);
  state = running_state_locked (element);
  if (state > GST_STATE_READY) {
    GST_OBJECT_UNLOCK (element);
    post_refused (element, "connection-id", state);
    return;
  }
  named = gst_sec_dtls_association_rename (*assoc_ptr, element, role, id,
      &carried);
  *assoc_ptr = named;
  /* the element holds its reference; keep one for the rest of this call */
  gst_sec_dtls_association_ref (named);
  GST_OBJECT_UNLOCK (element);

  GST_DEBUG_OBJECT (element, "%s association '%s'",
      carried.created ? "created" : "joined", GST_STR_NULL (id));
  if (carried.mask & SET_PEER_FINGERPRINT)
    gst_sec_dtls_association_set_peer_fingerprint (named, element, role,
        carried.peer_fingerprint);
  if (carried.mask & (SET_IS_CLIENT | SET_CERTIFICATE | SET_SRTP_PROFILES
          | SET_HANDSHAKE_TIMEOUT))
    gst_sec_dtls_association_settings_changed (named, element,
        "a setting carried over");
  g_free (carried.peer_fingerprint);
  gst_sec_dtls_association_unref (named);
}

gboolean
gst_sec_dtls_set_property (GstElement * element, GstSecDtlsRole role,
    GstSecDtlsAssociation ** assoc_ptr, guint prop_id, const GValue * value)
{
  GstSecDtlsAssociation *assoc;
  GError *error = NULL;

  if (prop_id == GST_SEC_DTLS_PROP_CONNECTION_ID) {
    set_connection_id (element, role, assoc_ptr, g_value_get_string (value));
    return TRUE;
  }
  if (prop_id <= GST_SEC_DTLS_PROP_0 || prop_id >= GST_SEC_DTLS_PROP_LAST)
    return FALSE;

  assoc = gst_sec_dtls_association_get (element, assoc_ptr);
  switch (prop_id) {
    case GST_SEC_DTLS_PROP_IS_CLIENT:
      g_mutex_lock (&assoc->lock);
      assoc->is_client = g_value_get_boolean (value);
      assoc->set_mask |= SET_IS_CLIENT;
      g_mutex_unlock (&assoc->lock);
      gst_sec_dtls_association_settings_changed (assoc, element, "is-client");
      break;
    case GST_SEC_DTLS_PROP_CERTIFICATE:{
      /* the application's text, borrowed (GObject passes it through);
       * only the parsed certificate is kept (dtlscertificate.h) */
      const gchar *pem = g_value_get_string (value);
      SecDtlsCertificate *cert = NULL;

      if (refuse_if_running (element, "certificate"))
        break;
      if (pem && *pem)
        cert = sec_dtls_certificate_new_from_pem (pem, &error);
      g_mutex_lock (&assoc->lock);
      if (assoc->certificate)
        sec_dtls_certificate_unref (assoc->certificate);
      assoc->certificate = cert;
      g_clear_error (&assoc->certificate_error);
      if (error) {
        g_prefix_error (&error, "certificate: ");
        assoc->certificate_error = g_error_copy (error);
      }
      assoc->certificate_set_on = role;
      assoc->set_mask |= SET_CERTIFICATE;
      g_mutex_unlock (&assoc->lock);
      gst_sec_dtls_association_settings_changed (assoc, element,
          "certificate");
      break;
    }
    case GST_SEC_DTLS_PROP_CERTIFICATE_GROUP:
      if (refuse_if_running (element, "certificate-group"))
        break;
      g_mutex_lock (&assoc->lock);
      if (!assoc->in_certificate_group) {
        g_free (assoc->certificate_group);
        assoc->certificate_group = g_value_dup_string (value);
        assoc->set_mask |= SET_CERTIFICATE_GROUP;
      }
      g_mutex_unlock (&assoc->lock);
      gst_sec_dtls_association_settings_changed (assoc, element,
          "certificate-group");
      break;
    case GST_SEC_DTLS_PROP_PEER_FINGERPRINT:
      gst_sec_dtls_association_set_peer_fingerprint (assoc, element, role,
          g_value_get_string (value));
      break;
    case GST_SEC_DTLS_PROP_SRTP_PROFILES:{
      const gchar *text = g_value_get_string (value);
      guint16 ids[4];
      guint n = 0;

      if (refuse_if_running (element, "srtp-profiles"))
        break;
      if (text == NULL)
        text = GST_SEC_DTLS_DEFAULT_SRTP_PROFILES;
      if (!sec_dtls_srtp_profiles_parse (text, ids, &n, &error))
        g_prefix_error (&error, "srtp-profiles: ");
      g_mutex_lock (&assoc->lock);
      g_free (assoc->srtp_profiles);
      assoc->srtp_profiles = g_strdup (text);
      g_clear_error (&assoc->srtp_profiles_error);
      if (error) {
        assoc->srtp_profiles_error = g_error_copy (error);
      } else {
        memcpy (assoc->profile_ids, ids, sizeof (ids));
        assoc->n_profile_ids = n;
      }
      assoc->srtp_profiles_set_on = role;
      assoc->set_mask |= SET_SRTP_PROFILES;
      g_mutex_unlock (&assoc->lock);
      gst_sec_dtls_association_settings_changed (assoc, element,
          "srtp-profiles");
      break;
    }
    case GST_SEC_DTLS_PROP_HANDSHAKE_TIMEOUT:
      if (refuse_if_running (element, "handshake-timeout"))
        break;
      g_mutex_lock (&assoc->lock);
      assoc->handshake_timeout_ms = g_value_get_uint (value);
      assoc->set_mask |= SET_HANDSHAKE_TIMEOUT;
      g_mutex_unlock (&assoc->lock);
      gst_sec_dtls_association_settings_changed (assoc, element,
          "handshake-timeout");
      break;
    case GST_SEC_DTLS_PROP_SRTP_ENCODER:
      if (refuse_if_running (element, "srtp-encoder"))
        break;
      g_mutex_lock (&assoc->lock);
      g_free (assoc->srtp_encoder);
      /* "" is no name */
      assoc->srtp_encoder = g_value_dup_string (value);
      if (assoc->srtp_encoder && *assoc->srtp_encoder == '\0')
        g_clear_pointer (&assoc->srtp_encoder, g_free);
      assoc->srtp_encoder_set_on = role;
      assoc->set_mask |= SET_SRTP_ENCODER;
      g_mutex_unlock (&assoc->lock);
      break;
    case GST_SEC_DTLS_PROP_SRTP_DECODER:
      if (refuse_if_running (element, "srtp-decoder"))
        break;
      g_mutex_lock (&assoc->lock);
      g_free (assoc->srtp_decoder);
      /* "" is no name */
      assoc->srtp_decoder = g_value_dup_string (value);
      if (assoc->srtp_decoder && *assoc->srtp_decoder == '\0')
        g_clear_pointer (&assoc->srtp_decoder, g_free);
      assoc->srtp_decoder_set_on = role;
      assoc->set_mask |= SET_SRTP_DECODER;
      g_mutex_unlock (&assoc->lock);
      break;
    default:
      /* read-only */
      gst_sec_dtls_association_unref (assoc);
      return FALSE;
  }
  gst_sec_dtls_association_unref (assoc);

  /* settings that can be wrong: say so now, and again at start */
  if (error) {
    GST_WARNING_OBJECT (element, "%s", error->message);
    gst_sec_dtls_post_error (element, error);
    g_error_free (error);
  }
  return TRUE;
}

/* lock held: the certificate whose fingerprint local-fingerprint shows */
static SecDtlsCertificate *
local_certificate_locked (GstSecDtlsAssociation * assoc, GError ** error)
{
  /* a handshake under way (or done) presents the one it was made with */
  if (assoc->conn && assoc->conn_touched
      && (assoc->state == GST_SEC_DTLS_CONNECTION_STATE_CONNECTING
          || assoc->state == GST_SEC_DTLS_CONNECTION_STATE_CONNECTED))
    return sec_dtls_connection_get_certificate (assoc->conn);
  /* an element without connection-id has no association of its own yet:
   * only a given certificate has a fingerprint then */
  if (assoc->id == NULL && assoc->certificate == NULL)
    return NULL;
  return gst_sec_dtls_association_certificate_locked (assoc, error);
}

gboolean
gst_sec_dtls_get_property (GstElement * element,
    GstSecDtlsAssociation ** assoc_ptr, guint prop_id, GValue * value)
{
  GstSecDtlsAssociation *assoc;

  if (prop_id <= GST_SEC_DTLS_PROP_0 || prop_id >= GST_SEC_DTLS_PROP_LAST)
    return FALSE;

  assoc = gst_sec_dtls_association_get (element, assoc_ptr);
  switch (prop_id) {
    case GST_SEC_DTLS_PROP_CONNECTION_ID:
      g_value_set_string (value, assoc->id);
      break;
    case GST_SEC_DTLS_PROP_IS_CLIENT:
      g_mutex_lock (&assoc->lock);
      g_value_set_boolean (value, assoc->is_client);
      g_mutex_unlock (&assoc->lock);
      break;
    case GST_SEC_DTLS_PROP_CERTIFICATE_GROUP:
      g_mutex_lock (&assoc->lock);
      g_value_set_string (value, assoc->certificate_group);
      g_mutex_unlock (&assoc->lock);
      break;
    case GST_SEC_DTLS_PROP_LOCAL_FINGERPRINT:{
      SecDtlsCertificate *cert;
      GError *error = NULL;

      g_rec_mutex_lock (&assoc->conn_lock);
      g_mutex_lock (&assoc->lock);
      cert = local_certificate_locked (assoc, &error);
      g_value_set_string (value, cert ?
          sec_dtls_certificate_get_fingerprint (cert) : NULL);
      g_mutex_unlock (&assoc->lock);
      g_rec_mutex_unlock (&assoc->conn_lock);
      if (error) {
        GST_WARNING_OBJECT (element, "no local certificate: %s",
            error->message);
        g_error_free (error);
      }
      break;
    }
    case GST_SEC_DTLS_PROP_PEER_FINGERPRINT:
      g_mutex_lock (&assoc->lock);
      g_value_set_string (value, assoc->peer_fingerprint);
      g_mutex_unlock (&assoc->lock);
      break;
    case GST_SEC_DTLS_PROP_SRTP_PROFILES:
      g_mutex_lock (&assoc->lock);
      g_value_set_string (value, assoc->srtp_profiles);
      g_mutex_unlock (&assoc->lock);
      break;
    case GST_SEC_DTLS_PROP_HANDSHAKE_TIMEOUT:
      g_mutex_lock (&assoc->lock);
      g_value_set_uint (value, assoc->handshake_timeout_ms);
      g_mutex_unlock (&assoc->lock);
      break;
    case GST_SEC_DTLS_PROP_SRTP_ENCODER:
      g_mutex_lock (&assoc->lock);
      g_value_set_string (value, assoc->srtp_encoder);
      g_mutex_unlock (&assoc->lock);
      break;
    case GST_SEC_DTLS_PROP_SRTP_DECODER:
      g_mutex_lock (&assoc->lock);
      g_value_set_string (value, assoc->srtp_decoder);
      g_mutex_unlock (&assoc->lock);
      break;
    case GST_SEC_DTLS_PROP_CONNECTION_STATE:
      g_mutex_lock (&assoc->lock);
      g_value_set_enum (value, assoc->state);
      g_mutex_unlock (&assoc->lock);
      break;
    case GST_SEC_DTLS_PROP_STATS:
      g_value_take_boxed (value, gst_sec_dtls_association_get_stats (assoc));
      break;
    default:
      /* write-only */
      gst_sec_dtls_association_unref (assoc);
      return FALSE;
  }
  gst_sec_dtls_association_unref (assoc);
  return TRUE;
}
