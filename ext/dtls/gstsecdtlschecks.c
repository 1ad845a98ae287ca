/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a new user of secdtlsenc/secdtlsdec gets wrong, said early and
 * with the fix, instead of 20 s of silence and a handshake timeout: a
 * misspelled srtp-encoder/srtp-decoder (an error at start), no
 * peer-fingerprint, an encoder and a decoder without connection-id, a
 * peer that sends nothing (both sides servers, a wrong port), secdtlsenc
 * and secdtlsdec swapped (warnings on the bus, so `gst-launch-1.0 -m`
 * shows them). Both sides clients is an error of the core
 * (SEC_DTLS_ERROR_ROLE_CONFLICT). See docs/design/dtls.md, "Mistakes
 * said early".
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecdtlsassociationprivate.h"

#include <glib/gi18n-lib.h>

#define GST_CAT_DEFAULT sec_dtls_association_debug

gboolean
gst_sec_dtls_has_accept_handler (GstElement * dec)
{
  guint signal_id = g_signal_lookup ("accept-certificate",
      G_OBJECT_TYPE (dec));

  return signal_id != 0 && g_signal_has_handler_pending (dec, signal_id, 0,
      FALSE);
}

/* --- srtp-encoder / srtp-decoder ---------------------------------------- */

static gboolean
check_srtp_element (GstSecDtlsAssociation * assoc, GstElement * element,
    const gchar * property, const gchar * name, GstSecDtlsRole set_on,
    const gchar * type_name, const gchar * wanted)
{
  GstElement *found, *reporter;
  gboolean ok = TRUE;

  if (name == NULL)
    return TRUE;
  found = gst_sec_dtls_find_named_element (element, name);
  if (found && g_strcmp0 (G_OBJECT_TYPE_NAME (found), type_name) == 0) {
    gst_object_unref (found);
    return TRUE;
  }

  reporter = gst_sec_dtls_association_element (assoc, set_on, element);
  if (found == NULL) {
    GST_ELEMENT_ERROR (reporter, RESOURCE, NOT_FOUND,
        (_("The element named by %s was not found."), property),
        ("%s=%s (set on %s): no element named '%s' in the bins around %s, "
            "so the SRTP keys would have nowhere to go: give the %s "
            "name=%s, or correct %s", property, name,
            GST_ELEMENT_NAME (reporter), name, GST_ELEMENT_NAME (element),
            wanted, name, property));
    ok = FALSE;
  } else {
    GstElementFactory *factory = gst_element_get_factory (found);

    GST_ELEMENT_ERROR (reporter, RESOURCE, SETTINGS,
        (_("The element named by %s is not of the right kind."), property),
        ("%s=%s (set on %s) names a %s, not a %s: srtp-encoder names the "
            "secsrtpenc that protects what this side sends, srtp-decoder "
            "the secsrtpdec that checks what it receives", property, name,
            GST_ELEMENT_NAME (reporter), factory ?
            GST_OBJECT_NAME (factory) : G_OBJECT_TYPE_NAME (found), wanted));
    gst_object_unref (found);
    ok = FALSE;
  }
  gst_object_unref (reporter);
  return ok;
}

gboolean
gst_sec_dtls_check_srtp_elements (GstSecDtlsAssociation * assoc,
    GstElement * element)
{
  gchar *encoder, *decoder;
  GstSecDtlsRole encoder_set_on, decoder_set_on;
  gboolean ok;

  g_mutex_lock (&assoc->lock);
  encoder = g_strdup (assoc->srtp_encoder);
  decoder = g_strdup (assoc->srtp_decoder);
  encoder_set_on = assoc->srtp_encoder_set_on;
  decoder_set_on = assoc->srtp_decoder_set_on;
  g_mutex_unlock (&assoc->lock);

  ok = check_srtp_element (assoc, element, "srtp-encoder", encoder,
      encoder_set_on, "GstSecSrtpEnc", "secsrtpenc")
      && check_srtp_element (assoc, element, "srtp-decoder", decoder,
      decoder_set_on, "GstSecSrtpDec", "secsrtpdec");
  g_free (encoder);
  g_free (decoder);
  return ok;
}

/* --- at start ------------------------------------------------------------ */

/* A secdtlsenc without connection-id in @dec's bin, referenced, or NULL. */
static GstElement *
find_encoder_without_id (GstBin * bin)
{
  GstIterator *it = gst_bin_iterate_elements (bin);
  GValue item = G_VALUE_INIT;
  GstElement *found = NULL;
  gboolean done = FALSE;

  while (!done && found == NULL) {
    switch (gst_iterator_next (it, &item)) {
      case GST_ITERATOR_OK:{
        GstElement *e = g_value_get_object (&item);

        if (g_strcmp0 (G_OBJECT_TYPE_NAME (e), "GstSecDtlsEnc") == 0) {
          gchar *id = NULL;

          g_object_get (e, "connection-id", &id, NULL);
          if (id == NULL)
            found = gst_object_ref (e);
          g_free (id);
        }
        g_value_reset (&item);
        break;
      }
      case GST_ITERATOR_RESYNC:
        gst_iterator_resync (it);
        break;
      default:
        done = TRUE;
        break;
    }
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return found;
}

/* Each element without connection-id has a private association: an
 * encoder and a decoder in one bin, both without, cannot work. */
static void
warn_missing_connection_id (GstElement * dec)
{
  GstObject *parent = gst_object_get_parent (GST_OBJECT (dec));
  GstElement *enc;

  if (parent == NULL)
    return;
  enc = GST_IS_BIN (parent) ? find_encoder_without_id (GST_BIN (parent))
      : NULL;
  if (enc) {
    GST_ELEMENT_WARNING (dec, RESOURCE, SETTINGS,
        (_("A secdtlsenc and a secdtlsdec without connection-id do not "
                "work together: give both the same connection-id.")),
        ("%s and %s in %s have no connection-id, so each has a private "
            "DTLS association of its own and neither can complete a "
            "handshake: give both the same connection-id (for example "
            "connection-id=dtls on each)", GST_ELEMENT_NAME (dec),
            GST_ELEMENT_NAME (enc), GST_OBJECT_NAME (parent)));
    gst_object_unref (enc);
  }
  gst_object_unref (parent);
}

void
gst_sec_dtls_warn_at_start (GstSecDtlsAssociation * assoc, GstElement * dec)
{
  gboolean expects_nobody;
  gchar *local = NULL;

  g_mutex_lock (&assoc->lock);
  expects_nobody = assoc->peer_fingerprint == NULL;
  if (expects_nobody) {
    /* the certificate the handshake will present */
    SecDtlsCertificate *cert =
        gst_sec_dtls_association_certificate_locked (assoc, NULL);

    if (cert)
      local = g_strdup (sec_dtls_certificate_get_fingerprint (cert));
  }
  g_mutex_unlock (&assoc->lock);

  /* an application may still set it (not an error): the handshake only
   * needs it when the peer's certificate arrives */
  /* the details say which check this is, for applications (and
   * secwebrtcbin, which sets the fingerprint from signaling later) that
   * know better: "sec-dtls-check" = "no-peer-fingerprint" */
  if (expects_nobody && !gst_sec_dtls_has_accept_handler (dec)) {
    GST_ELEMENT_WARNING_WITH_DETAILS (dec, RESOURCE, SETTINGS,
        (_("No peer-fingerprint is set: the secure handshake will fail "
                "unless it is set before the peer's certificate arrives.")),
        ("%s has no peer-fingerprint and no accept-certificate handler: "
            "set peer-fingerprint to the peer's fingerprint from signaling "
            "(the peer's local-fingerprint) before the peer's certificate "
            "arrives, or connect to accept-certificate, else the handshake "
            "fails; the peer in turn must expect this side's "
            "local-fingerprint, %s", GST_ELEMENT_NAME (dec),
            GST_STR_NULL (local)), ("sec-dtls-check", G_TYPE_STRING,
            "no-peer-fingerprint", NULL));
  }
  g_free (local);
  if (assoc->id == NULL)
    warn_missing_connection_id (dec);
}

/* --- while the handshake runs --------------------------------------------- */

void
gst_sec_dtls_warn_if_silent (GstSecDtlsAssociation * assoc,
    GstElement * element)
{
  SecDtlsConnectionStats stats;
  gboolean silent = FALSE, is_client = FALSE;
  const gchar *why = NULL;
  GstElement *reporter;
  guint timeout_ms;

  g_rec_mutex_lock (&assoc->conn_lock);
  if (assoc->conn && sec_dtls_connection_get_state (assoc->conn) ==
      SEC_DTLS_STATE_CONNECTING) {
    sec_dtls_connection_get_stats (assoc->conn, &stats);
    silent = stats.datagrams_received == stats.datagrams_malformed;
    is_client = sec_dtls_connection_is_client (assoc->conn);
    /* a static string */
    why = sec_dtls_connection_explain_silence (assoc->conn);
  }
  g_rec_mutex_unlock (&assoc->conn_lock);
  if (!silent)
    return;

  g_mutex_lock (&assoc->lock);
  timeout_ms = assoc->handshake_timeout_ms;
  g_mutex_unlock (&assoc->lock);
  /* what did not arrive would have come through the decoder */
  reporter = gst_sec_dtls_association_element (assoc, GST_SEC_DTLS_ROLE_DEC,
      element);
  if (is_client) {
    GST_ELEMENT_WARNING (reporter, RESOURCE, SETTINGS,
        (_("The peer has not answered the secure handshake yet: check the "
                "network path and that the peer runs as the DTLS server.")),
        ("%s, the DTLS client of association '%s', has heard nothing "
            "from the peer in %d s (%" G_GUINT64_FORMAT " flights resent, %"
            G_GUINT64_FORMAT " datagrams received, none of them DTLS): %s; "
            "the handshake fails after handshake-timeout (%u ms)",
            GST_ELEMENT_NAME (reporter), GST_STR_NULL (assoc->id),
            GST_SEC_DTLS_SILENCE_WARNING_S, stats.retransmissions,
            stats.datagrams_received, why, timeout_ms));
  } else {
    GST_ELEMENT_WARNING (reporter, RESOURCE, SETTINGS,
        (_("No ClientHello has come from the peer yet: check that exactly "
                "one side is the DTLS client (is-client=true).")),
        ("%s, the DTLS server of association '%s', has heard nothing "
            "from the peer in %d s (%" G_GUINT64_FORMAT " datagrams "
            "received, none of them DTLS): %s; the handshake fails after "
            "handshake-timeout (%u ms)", GST_ELEMENT_NAME (reporter),
            GST_STR_NULL (assoc->id), GST_SEC_DTLS_SILENCE_WARNING_S,
            stats.datagrams_received, why, timeout_ms));
  }
  gst_object_unref (reporter);
}

void
gst_sec_dtls_warn_if_swapped (GstElement * enc, GstBuffer * buffer,
    gboolean * warned)
{
  GstMapInfo map;
  gboolean dtls;
  guint content_type;

  if (*warned || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return;
  /* whole DTLS records (RFC 7983 §7: first byte 20..63), as the peer's
   * handshake: never what an application sends to be encrypted */
  dtls = sec_dtls_datagram_is_dtls (map.data, map.size);
  content_type = map.size > 0 ? map.data[0] : 0;
  gst_buffer_unmap (buffer, &map);
  if (!dtls)
    return;
  *warned = TRUE;
  GST_ELEMENT_WARNING (enc, RESOURCE, SETTINGS,
      (_("secdtlsenc received DTLS records to encrypt: secdtlsenc and "
              "secdtlsdec are probably swapped.")),
      ("%s's sink pad takes application data to encrypt, but a DTLS record "
          "(content type %u) arrived on it, as from the network: "
          "secdtlsdec takes the network's datagrams (udpsrc ! secdtlsdec), "
          "secdtlsenc's src pad sends to the network (secdtlsenc ! "
          "udpsink); swap the two", GST_ELEMENT_NAME (enc), content_type));
}
