/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Handshake to SRTP keys: two associations, a DTLS client and a DTLS
 * server, in one pipeline, each encoder's source pad linked straight to
 * the other side's decoder (no sockets, no queues; the encoders push
 * from pad tasks of their own):
 *
 *   client-enc (is-client) src -> sink server-dec
 *   server-enc             src -> sink client-dec
 *
 * The server side and the client's decoder go to PLAYING first, the
 * client's encoder (its state locked meanwhile) last: gst-plugins-bad's
 * server fails the handshake with "Fatal SSL error" when the ClientHello
 * reaches its dtlsdec before its dtlsenc has started the connection as a
 * server, which the state change order of one pipeline leaves to chance
 * (ours does not care about the order; docs/design/dtls.md). The clock starts just
 * before the client's encoder goes to PLAYING (it sends its ClientHello
 * on the way through PAUSED) and stops when both sides have their SRTP
 * keys:
 *
 *   ours    the "dtls-connected" element message of each secdtlsdec,
 *           posted once the peer's certificate matched peer-fingerprint
 *           and the keys were exported;
 *   theirs  the "on-key-received" signal of each dtlsdec.
 *
 * Both times are taken on the thread that reports them (a bus sync
 * handler, a signal handler), so no main loop wake-up is measured.
 *
 * Everything that is not the handshake happens before the clock starts:
 * the certificates (PEM text made once per process and reused by every
 * handshake; ours with no PEM makes its default certificate when
 * connection-id is set), the connection-ids and, for ours, each side's
 * peer-fingerprint, read from the other side's local-fingerprint. Every
 * handshake gets a fresh pipeline, fresh elements and fresh
 * connection-ids; tearing them down is not timed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "dtlsbench.h"

#include <string.h>

typedef struct
{
  GMutex lock;
  GCond cond;
  /* protected by lock */
  gint64 client_keys_ns;        /* when the client had its keys; 0 before */
  gint64 server_keys_ns;
  gchar *error;                 /* the first failure, or NULL */
  gchar *negotiated;            /* ours: from the first dtls-connected */
  /* set before the pipeline starts, read-only afterwards */
  GstElement *client_dec;
  GstElement *server_dec;
  const gchar *client_fingerprint;      /* ours: what each side shows */
  const gchar *server_fingerprint;
} Handshake;

/* What every handshake of one child uses. */
typedef struct
{
  BenchImpl impl;
  /* PEM certificate and key per side, NULL for ours' default */
  gchar *client_pem;
  gchar *server_pem;
  gchar *client_pem_fingerprint;
  gchar *server_pem_fingerprint;
} Setup;

static void
handshake_fail (Handshake * hs, gchar * message)
{
  g_mutex_lock (&hs->lock);
  if (hs->error == NULL)
    hs->error = message;
  else
    g_free (message);
  g_cond_signal (&hs->cond);
  g_mutex_unlock (&hs->lock);
}

static void
handshake_keys (Handshake * hs, GstElement * decoder, gint64 now)
{
  g_mutex_lock (&hs->lock);
  if (decoder == hs->client_dec && hs->client_keys_ns == 0)
    hs->client_keys_ns = now;
  else if (decoder == hs->server_dec && hs->server_keys_ns == 0)
    hs->server_keys_ns = now;
  g_cond_signal (&hs->cond);
  g_mutex_unlock (&hs->lock);
}

/* ours: a dtls-connected message with the peer fingerprint we set and
 * an SRTP profile (keys were exported) */
static void
on_dtls_connected (Handshake * hs, GstElement * decoder,
    const GstStructure * s, gint64 now)
{
  const gchar *expected = decoder == hs->client_dec ?
      hs->server_fingerprint : hs->client_fingerprint;
  const gchar *peer = gst_structure_get_string (s, "peer-fingerprint");
  const gchar *profile = gst_structure_get_string (s, "srtp-profile");
  gboolean is_client = FALSE;

  if (decoder != hs->client_dec && decoder != hs->server_dec)
    return;
  if (!gst_structure_get_boolean (s, "is-client", &is_client)
      || is_client != (decoder == hs->client_dec)) {
    handshake_fail (hs, g_strdup_printf ("%s: dtls-connected says "
            "is-client=%d", GST_ELEMENT_NAME (decoder), is_client));
    return;
  }
  if (profile == NULL) {
    handshake_fail (hs, g_strdup_printf ("%s: dtls-connected without "
            "srtp-profile: no SRTP keys", GST_ELEMENT_NAME (decoder)));
    return;
  }
  if (g_strcmp0 (peer, expected) != 0) {
    handshake_fail (hs, g_strdup_printf ("%s: dtls-connected with "
            "peer-fingerprint %s, expected %s", GST_ELEMENT_NAME (decoder),
            GST_STR_NULL (peer), expected));
    return;
  }

  g_mutex_lock (&hs->lock);
  if (hs->negotiated == NULL)
    hs->negotiated = g_strdup_printf ("%s, %s, SRTP %s",
        GST_STR_NULL (gst_structure_get_string (s, "dtls-version")),
        GST_STR_NULL (gst_structure_get_string (s, "cipher-suite")),
        profile);
  g_mutex_unlock (&hs->lock);
  handshake_keys (hs, decoder, now);
}

static GstBusSyncReply
on_bus_message (GstBus * bus, GstMessage * message, gpointer user_data)
{
  Handshake *hs = user_data;
  gint64 now = sec_bench_now_ns ();

  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_ELEMENT:{
      const GstStructure *s = gst_message_get_structure (message);

      if (s != NULL && gst_structure_has_name (s, "dtls-connected")
          && GST_IS_ELEMENT (GST_MESSAGE_SRC (message)))
        on_dtls_connected (hs, GST_ELEMENT (GST_MESSAGE_SRC (message)), s,
            now);
      break;
    }
    case GST_MESSAGE_ERROR:{
      GError *error = NULL;
      gchar *debug = NULL;

      gst_message_parse_error (message, &error, &debug);
      handshake_fail (hs, g_strdup_printf ("error from %s: %s (%s)",
              GST_MESSAGE_SRC_NAME (message), error->message,
              GST_STR_NULL (debug)));
      g_clear_error (&error);
      g_free (debug);
      break;
    }
    default:
      break;
  }
  /* nobody pops the bus; a sync handler that drops a message owns it */
  gst_message_unref (message);
  return GST_BUS_DROP;
}

/* theirs: dtlsdec has exported the keys */
static void
on_key_received (GstElement * decoder, gpointer user_data)
{
  handshake_keys (user_data, decoder, sec_bench_now_ns ());
}

/* gst-plugins-bad's enums GstDtlsSrtpCipher and GstDtlsSrtpAuth */
static gchar *
bad_negotiated (GstElement * decoder)
{
  guint cipher = 0, auth = 0;

  g_object_get (decoder, "srtp-cipher", &cipher, "srtp-auth", &auth, NULL);
  if (cipher == 1 && auth == 2)
    return g_strdup ("SRTP AES128_CM_SHA1_80");
  if (cipher == 1 && auth == 1)
    return g_strdup ("SRTP AES128_CM_SHA1_32");
  return g_strdup_printf ("SRTP cipher %u, auth %u", cipher, auth);
}

/* Element names and properties of one side. */
static gboolean
configure_side (const Setup * setup, GstElement * encoder,
    GstElement * decoder, const gchar * connection_id, gboolean is_client,
    const gchar * pem, const gchar * pem_fingerprint, gchar ** fingerprint)
{
  if (setup->impl == BENCH_IMPL_OURS) {
    /* the certificate first, so no default one is made and dropped */
    if (pem != NULL)
      g_object_set (decoder, "certificate", pem, NULL);
    g_object_set (decoder, "connection-id", connection_id, NULL);
    g_object_set (encoder, "connection-id", connection_id,
        "is-client", is_client, NULL);
    g_object_get (decoder, "local-fingerprint", fingerprint, NULL);
    if (*fingerprint == NULL || !g_str_has_prefix (*fingerprint, "sha-256 ")) {
      g_printerr ("%s: local-fingerprint is \"%s\" after connection-id was "
          "set\n", GST_ELEMENT_NAME (decoder), GST_STR_NULL (*fingerprint));
      return FALSE;
    }
    if (pem_fingerprint != NULL
        && g_ascii_strcasecmp (*fingerprint, pem_fingerprint) != 0) {
      g_printerr ("%s: local-fingerprint %s is not the one of the PEM "
          "certificate set (%s)\n", GST_ELEMENT_NAME (decoder), *fingerprint,
          pem_fingerprint);
      return FALSE;
    }
  } else {
    /* pem before connection-id: dtlsdec makes the connection with the
     * agent (certificate) it has when connection-id is set */
    g_object_set (decoder, "pem", pem, NULL);
    g_object_set (decoder, "connection-id", connection_id, NULL);
    g_object_set (encoder, "connection-id", connection_id,
        "is-client", is_client, NULL);
  }
  return TRUE;
}

/* One handshake in a fresh pipeline; its duration in @ns. */
static gboolean
handshake_once (const Setup * setup, guint index, gdouble * ns,
    GString * info)
{
  gboolean ours = setup->impl == BENCH_IMPL_OURS;
  const gchar *enc_factory = ours ? "secdtlsenc" : "dtlsenc";
  const gchar *dec_factory = ours ? "secdtlsdec" : "dtlsdec";
  GstElement *pipeline = gst_pipeline_new ("dtls-bench");
  GstElement *client_enc = NULL, *client_dec, *server_enc, *server_dec;
  gchar *client_id = g_strdup_printf ("dtls-bench-%u-client", index);
  gchar *server_id = g_strdup_printf ("dtls-bench-%u-server", index);
  gchar *client_fingerprint = NULL, *server_fingerprint = NULL;
  Handshake *hs = g_new0 (Handshake, 1);
  GstBus *bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
  gboolean ok = FALSE;
  gint64 start, deadline;

  g_mutex_init (&hs->lock);
  g_cond_init (&hs->cond);

  client_enc = gst_element_factory_make (enc_factory, "client-enc");
  client_dec = gst_element_factory_make (dec_factory, "client-dec");
  server_enc = gst_element_factory_make (enc_factory, "server-enc");
  server_dec = gst_element_factory_make (dec_factory, "server-dec");
  if (client_enc == NULL || client_dec == NULL || server_enc == NULL
      || server_dec == NULL) {
    g_printerr ("could not make %s and %s\n", enc_factory, dec_factory);
    gst_clear_object (&client_enc);
    gst_clear_object (&client_dec);
    gst_clear_object (&server_enc);
    gst_clear_object (&server_dec);
    goto done;
  }
  gst_bin_add_many (GST_BIN (pipeline), client_enc, client_dec, server_enc,
      server_dec, NULL);
  hs->client_dec = client_dec;
  hs->server_dec = server_dec;

  if (!configure_side (setup, client_enc, client_dec, client_id, TRUE,
          setup->client_pem, setup->client_pem_fingerprint,
          &client_fingerprint)
      || !configure_side (setup, server_enc, server_dec, server_id, FALSE,
          setup->server_pem, setup->server_pem_fingerprint,
          &server_fingerprint))
    goto done;
  if (ours) {
    /* what signaling would have carried, each way */
    g_object_set (client_dec, "peer-fingerprint", server_fingerprint, NULL);
    g_object_set (server_dec, "peer-fingerprint", client_fingerprint, NULL);
    hs->client_fingerprint = client_fingerprint;
    hs->server_fingerprint = server_fingerprint;
  } else {
    g_signal_connect (client_dec, "on-key-received",
        G_CALLBACK (on_key_received), hs);
    g_signal_connect (server_dec, "on-key-received",
        G_CALLBACK (on_key_received), hs);
  }

  if (!gst_element_link_pads (client_enc, "src", server_dec, "sink")
      || !gst_element_link_pads (server_enc, "src", client_dec, "sink")) {
    g_printerr ("could not link %s src to %s sink\n", enc_factory,
        dec_factory);
    goto done;
  }
  gst_bus_set_sync_handler (bus, on_bus_message, hs, NULL);

  /* everything but the client's encoder: the server waits */
  gst_element_set_locked_state (client_enc, TRUE);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE) {
    g_printerr ("the pipeline could not go to PLAYING\n");
    goto done;
  }

  start = sec_bench_now_ns ();
  if (gst_element_set_state (client_enc, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE)
    handshake_fail (hs, g_strdup ("the client's encoder could not go to "
            "PLAYING"));

  deadline = g_get_monotonic_time () + BENCH_HANDSHAKE_TIMEOUT_S *
      G_TIME_SPAN_SECOND;
  g_mutex_lock (&hs->lock);
  while (hs->error == NULL
      && (hs->client_keys_ns == 0 || hs->server_keys_ns == 0)) {
    if (!g_cond_wait_until (&hs->cond, &hs->lock, deadline))
      break;
  }
  if (hs->error != NULL) {
    g_printerr ("handshake %u failed: %s\n", index, hs->error);
  } else if (hs->client_keys_ns == 0 || hs->server_keys_ns == 0) {
    g_printerr ("handshake %u: no keys after %d s (client %s, server %s)\n",
        index, BENCH_HANDSHAKE_TIMEOUT_S,
        hs->client_keys_ns ? "has keys" : "has none",
        hs->server_keys_ns ? "has keys" : "has none");
  } else {
    *ns = MAX (hs->client_keys_ns, hs->server_keys_ns) - start;
    if (info->len == 0)
      g_string_append (info, hs->negotiated ? hs->negotiated : "");
    ok = TRUE;
  }
  g_mutex_unlock (&hs->lock);

  if (ok && !ours && info->len == 0) {
    gchar *negotiated = bad_negotiated (client_dec);

    g_string_append (info, negotiated);
    g_free (negotiated);
  }

done:
  if (client_enc != NULL)
    gst_element_set_state (client_enc, GST_STATE_NULL);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  g_free (hs->error);
  g_free (hs->negotiated);
  g_mutex_clear (&hs->lock);
  g_cond_clear (&hs->cond);
  g_free (hs);
  g_free (client_fingerprint);
  g_free (server_fingerprint);
  g_free (client_id);
  g_free (server_id);
  return ok;
}

gboolean
bench_handshake_run (BenchVariant variant, guint count, GArray * samples_ns,
    GString * info)
{
  Setup setup = { 0, };
  gboolean need_pem = TRUE;
  BenchKeyType key = BENCH_KEY_RSA;
  gboolean ok = TRUE;
  guint i;

  switch (variant) {
    case BENCH_HS_BAD_RSA:
      setup.impl = BENCH_IMPL_BAD;
      break;
    case BENCH_HS_BAD_EC:
      setup.impl = BENCH_IMPL_BAD;
      key = BENCH_KEY_EC;
      break;
    case BENCH_HS_OURS_EC:
      setup.impl = BENCH_IMPL_OURS;
      need_pem = FALSE;
      break;
    case BENCH_HS_OURS_RSA:
      setup.impl = BENCH_IMPL_OURS;
      break;
    default:
      g_return_val_if_reached (FALSE);
  }
  if (!bench_check_factories (setup.impl))
    return FALSE;

  if (need_pem) {
    setup.client_pem = bench_make_pem (key, &setup.client_pem_fingerprint);
    setup.server_pem = bench_make_pem (key, &setup.server_pem_fingerprint);
    if (setup.client_pem == NULL || setup.server_pem == NULL)
      ok = FALSE;
  }

  /* i == 0 is the warm-up */
  for (i = 0; ok && i <= count; i++) {
    gdouble ns = 0;

    ok = handshake_once (&setup, i, &ns, info);
    if (ok && i > 0)
      g_array_append_val (samples_ns, ns);
  }

  g_free (setup.client_pem);
  g_free (setup.server_pem);
  g_free (setup.client_pem_fingerprint);
  g_free (setup.server_pem_fingerprint);
  return ok;
}
