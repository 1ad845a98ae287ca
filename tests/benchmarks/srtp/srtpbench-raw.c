/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Variants a and b: libsrtp2's srtp_protect () and srtp_unprotect () on
 * one sender and one receiver session, no GStreamer element in between.
 * This is the floor an element can reach on the same crypto.
 *
 * a keeps libsrtp2's built-in crypto (Debian: NSS). b registers our
 * OpenSSL primitives first (sec_srtp_crypto_install (), the same code the
 * secsrtp plugin runs at load). Each packet is a freshly allocated
 * GstBuffer, 1200 bytes plus room for the tag, mapped for the call, so
 * the baseline pays the same allocation as the element variants.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "srtpbench.h"
#include "srtpcrypto.h"

#include <string.h>
#include <srtp2/srtp.h>

typedef struct
{
  BenchRunner runner;
  BenchMode mode;
  guint tag_len;
  srtp_t sender;
  srtp_t receiver;
  guint16 seq;                  /* next sequence number to send */
} RawRunner;

static gboolean
make_session (BenchProfile profile, gboolean sender, srtp_t * session)
{
  srtp_policy_t policy;
  srtp_err_status_t status;
  gsize key_len;

  memset (&policy, 0, sizeof (policy));
  if (profile == BENCH_PROFILE_CM) {
    srtp_crypto_policy_set_rtp_default (&policy.rtp);
    srtp_crypto_policy_set_rtcp_default (&policy.rtcp);
  } else {
    srtp_crypto_policy_set_aes_gcm_128_16_auth (&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth (&policy.rtcp);
  }
  policy.ssrc.type = sender ? ssrc_any_outbound : ssrc_any_inbound;
  /* libsrtp2 only reads the key during srtp_create () */
  policy.key = (unsigned char *) bench_profile_key (profile, &key_len);
  /* the replay window secsrtpdec uses by default */
  policy.window_size = 1024;
  policy.allow_repeat_tx = 0;
  policy.next = NULL;

  status = srtp_create (session, &policy);
  if (status != srtp_err_status_ok) {
    g_printerr ("srtp_create failed: %d\n", status);
    return FALSE;
  }
  return TRUE;
}

/* Allocates, fills and protects one packet; NULL on failure. */
static GstBuffer *
protect_new_packet (RawRunner * self)
{
  GstBuffer *buf;
  GstMapInfo map;
  int len = BENCH_PACKET_SIZE;
  srtp_err_status_t status;

  buf = gst_buffer_new_allocate (NULL, BENCH_PACKET_SIZE + self->tag_len,
      NULL);
  gst_buffer_map (buf, &map, GST_MAP_READWRITE);
  bench_packet_fill (map.data, self->seq++);
  status = srtp_protect (self->sender, map.data, &len);
  gst_buffer_unmap (buf, &map);
  if (status != srtp_err_status_ok
      || len != (int) (BENCH_PACKET_SIZE + self->tag_len)) {
    g_printerr ("srtp_protect failed: status %d, length %d\n", status, len);
    gst_buffer_unref (buf);
    return NULL;
  }
  return buf;
}

/* Unprotects @buf in place and checks it is the packet sent as @seq. */
static gboolean
unprotect_packet (RawRunner * self, GstBuffer * buf, guint16 seq)
{
  GstMapInfo map;
  int len;
  srtp_err_status_t status;
  gboolean intact;

  gst_buffer_map (buf, &map, GST_MAP_READWRITE);
  len = (int) map.size;
  status = srtp_unprotect (self->receiver, map.data, &len);
  intact = status == srtp_err_status_ok
      && bench_packet_check (map.data, (gsize) len, seq);
  gst_buffer_unmap (buf, &map);
  if (status != srtp_err_status_ok)
    g_printerr ("srtp_unprotect failed: status %d\n", status);
  return intact;
}

static gint64
raw_process (BenchRunner * runner, guint n)
{
  RawRunner *self = (RawRunner *) runner;
  gint64 intact = 0;
  guint i, j;

  if (self->mode == BENCH_MODE_SINGLE) {
    for (i = 0; i < n; i++) {
      guint16 seq = self->seq;
      GstBuffer *buf = protect_new_packet (self);

      if (buf == NULL)
        return -1;
      if (unprotect_packet (self, buf, seq))
        intact++;
      gst_buffer_unref (buf);
    }
    return intact;
  }

  /* list mode: protect a list of packets, then unprotect it, as a
   * list flows through an encoder and then a decoder */
  for (i = 0; i < n; i += BENCH_LIST_LEN) {
    GstBufferList *list = gst_buffer_list_new_sized (BENCH_LIST_LEN);
    guint16 first_seq = self->seq;

    for (j = 0; j < BENCH_LIST_LEN; j++) {
      GstBuffer *buf = protect_new_packet (self);

      if (buf == NULL) {
        gst_buffer_list_unref (list);
        return -1;
      }
      gst_buffer_list_add (list, buf);
    }
    for (j = 0; j < BENCH_LIST_LEN; j++) {
      if (unprotect_packet (self, gst_buffer_list_get (list, j),
              (guint16) (first_seq + j)))
        intact++;
    }
    gst_buffer_list_unref (list);
  }
  return intact;
}

static void
raw_free (BenchRunner * runner)
{
  RawRunner *self = (RawRunner *) runner;

  if (self->sender)
    srtp_dealloc (self->sender);
  if (self->receiver)
    srtp_dealloc (self->receiver);
  g_free (self);
}

BenchRunner *
bench_raw_runner_new (BenchVariant variant, BenchProfile profile,
    BenchMode mode)
{
  RawRunner *self;
  GstRegistry *registry = gst_registry_get ();
  GstPlugin *plugin;
  srtp_err_status_t status;

  g_return_val_if_fail (variant == BENCH_VARIANT_RAW_BUILTIN
      || variant == BENCH_VARIANT_RAW_OPENSSL, NULL);

  /* No plugin may have touched libsrtp2's crypto kernel in this process:
   * the parent gave us an empty plugin path and registry. */
  plugin = gst_registry_find_plugin (registry, "secsrtp");
  if (plugin == NULL)
    plugin = gst_registry_find_plugin (registry, "srtp");
  if (plugin != NULL) {
    g_printerr ("raw variant: plugin %s is in the registry (%s); the raw "
        "variants must run without SRTP plugins\n",
        gst_plugin_get_name (plugin), gst_plugin_get_filename (plugin));
    gst_object_unref (plugin);
    return NULL;
  }

  status = srtp_init ();
  if (status != srtp_err_status_ok) {
    g_printerr ("srtp_init failed: %d\n", status);
    return NULL;
  }

  self = g_new0 (RawRunner, 1);
  self->runner.process = raw_process;
  self->runner.free = raw_free;
  self->mode = mode;
  self->tag_len = bench_profile_tag_len (profile);
  self->seq = 1;

  if (variant == BENCH_VARIANT_RAW_OPENSSL) {
    /* after srtp_init (), as the plugin does at load */
    if (!sec_srtp_crypto_install ()
        || g_strcmp0 (sec_srtp_crypto_backend (), "openssl") != 0) {
      g_printerr ("sec_srtp_crypto_install did not register all OpenSSL "
          "types: backend is %s\n", sec_srtp_crypto_backend ());
      raw_free (&self->runner);
      return NULL;
    }
  }
  self->runner.crypto_backend = sec_srtp_crypto_backend ();

  if (!make_session (profile, TRUE, &self->sender)
      || !make_session (profile, FALSE, &self->receiver)) {
    raw_free (&self->runner);
    return NULL;
  }
  return &self->runner;
}
