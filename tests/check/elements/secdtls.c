/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secdtlsenc + secdtlsdec: two DTLS pairs in one pipeline, joined
 * directly (side 0's secdtlsenc -> sectestdrop -> side 1's secdtlsdec and
 * back), each pair keying a secsrtpenc/secsrtpdec by name. Handshakes in
 * both roles with every SRTP profile, media through the DTLS-keyed SRTP
 * elements, lost flights, verification failures that must fail closed,
 * garbage, a third party, a silent peer, application data, close_notify,
 * certificates.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "seccheck.h"
#include "sectestdrop.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/rtp/gstrtpbuffer.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <string.h>

#define WAIT (10 * GST_SECOND)

/* values of the GstSecDtlsConnectionState enum (connection-state) */
enum
{
  GST_SEC_TEST_STATE_NEW,
  GST_SEC_TEST_STATE_CONNECTING,
  GST_SEC_TEST_STATE_CONNECTED,
  GST_SEC_TEST_STATE_CLOSED,
  GST_SEC_TEST_STATE_FAILED,
};

typedef struct
{
  GstElement *pipeline;
  GstBus *bus;
  GstElement *enc[2], *dec[2], *drop[2];
  /* side i's DTLS keys these: srtpenc[i] protects what side i sends
   * (chain i: appsrc[i] ! srtpenc[i] ! srtpdec[1-i] ! appsink[1-i]) */
  GstElement *srtpenc[2], *srtpdec[2];
  GstElement *rtp_src[2], *rtp_sink[2];
  GstElement *data_src[2], *data_sink[2];
  GstStructure *connected[2];   /* dtls-connected of side i's secdtlsdec */
} DtlsPair;

static guint pair_counter;

static GstElement *
make (const gchar * factory, const gchar * name)
{
  GstElement *e = gst_element_factory_make (factory, name);

  fail_unless (e != NULL, "no element %s", factory);
  return e;
}

static void
link_pads (GstElement * a, const gchar * a_pad, GstElement * b,
    const gchar * b_pad)
{
  GstPad *src = a_pad[0] == 'r' && strchr (a_pad, '%') ?
      gst_element_request_pad_simple (a, a_pad) :
      gst_element_get_static_pad (a, a_pad);
  GstPad *sink = strchr (b_pad, '%') ?
      gst_element_request_pad_simple (b, b_pad) :
      gst_element_get_static_pad (b, b_pad);

  if (sink == NULL)             /* secdtlsenc's request pad "sink" */
    sink = gst_element_request_pad_simple (b, b_pad);

  fail_unless (src && sink, "no pads %s / %s", a_pad, b_pad);
  fail_unless_equals_int (gst_pad_link (src, sink), GST_PAD_LINK_OK);
  gst_object_unref (src);
  gst_object_unref (sink);
}

/* Side 0 is the DTLS client unless @side1_client. */
static DtlsPair *
pair_new (gboolean side1_client, gboolean app_data)
{
  DtlsPair *p = g_new0 (DtlsPair, 1);
  guint n = pair_counter++;
  gint i;

  p->pipeline = gst_pipeline_new (NULL);
  p->bus = gst_element_get_bus (p->pipeline);
  for (i = 0; i < 2; i++) {
    gchar *id = g_strdup_printf ("pair%u-side%d", n, i);
    gchar *name;
    GstCaps *caps;

    /* side 1 makes its decoder first: the order must not matter */
    if (i == 0) {
      p->enc[i] = make ("secdtlsenc", NULL);
      p->dec[i] = make ("secdtlsdec", NULL);
    } else {
      p->dec[i] = make ("secdtlsdec", NULL);
      p->enc[i] = make ("secdtlsenc", NULL);
    }
    g_object_set (p->enc[i], "connection-id", id, "is-client",
        side1_client ? i == 1 : i == 0, NULL);
    g_object_set (p->dec[i], "connection-id", id, NULL);
    p->drop[i] = make ("sectestdrop", NULL);

    name = g_strdup_printf ("srtpenc%d", i);
    p->srtpenc[i] = make ("secsrtpenc", name);
    g_object_set (p->enc[i], "srtp-encoder", name, NULL);
    g_free (name);
    name = g_strdup_printf ("srtpdec%d", i);
    p->srtpdec[i] = make ("secsrtpdec", name);
    g_object_set (p->dec[i], "srtp-decoder", name, NULL);
    g_free (name);
    g_object_set (p->srtpenc[i], "wait-for-key", TRUE, NULL);
    g_object_set (p->srtpdec[i], "wait-for-key", TRUE, NULL);

    p->rtp_src[i] = make ("appsrc", NULL);
    caps = gst_caps_from_string ("application/x-rtp, media=audio, "
        "clock-rate=8000, encoding-name=PCMA, payload=8");
    g_object_set (p->rtp_src[i], "format", GST_FORMAT_TIME, "caps", caps,
        NULL);
    gst_caps_unref (caps);
    p->rtp_sink[i] = make ("appsink", NULL);
    g_object_set (p->rtp_sink[i], "sync", FALSE, "async", FALSE, NULL);
    gst_bin_add_many (GST_BIN (p->pipeline), p->enc[i], p->dec[i],
        p->drop[i], p->srtpenc[i], p->srtpdec[i], p->rtp_src[i],
        p->rtp_sink[i], NULL);

    if (app_data) {
      p->data_src[i] = make ("appsrc", NULL);
      g_object_set (p->data_src[i], "format", GST_FORMAT_TIME, NULL);
      p->data_sink[i] = make ("appsink", NULL);
      g_object_set (p->data_sink[i], "sync", FALSE, "async", FALSE, NULL);
    } else {
      p->data_sink[i] = make ("fakesink", NULL);
      g_object_set (p->data_sink[i], "sync", FALSE, "async", FALSE, NULL);
    }
    gst_bin_add (GST_BIN (p->pipeline), p->data_sink[i]);
    if (p->data_src[i]) {
      gst_bin_add (GST_BIN (p->pipeline), p->data_src[i]);
      link_pads (p->data_src[i], "src", p->enc[i], "sink");
    }
    link_pads (p->dec[i], "src", p->data_sink[i], "sink");
    g_free (id);
  }
  for (i = 0; i < 2; i++) {
    link_pads (p->enc[i], "src", p->drop[i], "sink");
    link_pads (p->drop[i], "src", p->dec[1 - i], "sink");
    link_pads (p->rtp_src[i], "src", p->srtpenc[i], "rtp_sink_%u");
    link_pads (p->srtpenc[i], "rtp_src_0", p->srtpdec[1 - i], "rtp_sink_%u");
    link_pads (p->srtpdec[1 - i], "rtp_src_0", p->rtp_sink[1 - i], "sink");
  }
  return p;
}

static void
pair_free (DtlsPair * p)
{
  gint i;

  gst_element_set_state (p->pipeline, GST_STATE_NULL);
  for (i = 0; i < 2; i++) {
    if (p->connected[i])
      gst_structure_free (p->connected[i]);
  }
  gst_object_unref (p->bus);
  gst_object_unref (p->pipeline);
  g_free (p);
}

static gchar *
local_fingerprint (GstElement * e)
{
  gchar *fp = NULL;

  g_object_get (e, "local-fingerprint", &fp, NULL);
  fail_unless (fp != NULL);
  return fp;
}

static void
pair_expect_each_other (DtlsPair * p)
{
  gint i;

  for (i = 0; i < 2; i++) {
    gchar *fp = local_fingerprint (p->enc[1 - i]);

    /* set on the decoder: the association is shared */
    g_object_set (p->dec[i], "peer-fingerprint", fp, NULL);
    g_free (fp);
  }
}

static void
pair_start (DtlsPair * p)
{
  fail_if (gst_element_set_state (p->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
}

static gint
side_of (DtlsPair * p, GstObject * src)
{
  return src == GST_OBJECT (p->dec[0]) || src == GST_OBJECT (p->enc[0]) ?
      0 : 1;
}

/* Waits for both dtls-connected messages; fails on an error. */
static void
pair_wait_connected (DtlsPair * p)
{
  while (!p->connected[0] || !p->connected[1]) {
    GstMessage *msg = gst_bus_timed_pop_filtered (p->bus, WAIT,
        GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);
    const GstStructure *s;

    fail_unless (msg != NULL, "no dtls-connected within 10 s");
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      GError *error = NULL;
      gchar *debug = NULL;

      gst_message_parse_error (msg, &error, &debug);
      fail ("error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (msg),
          error->message, debug);
    }
    s = gst_message_get_structure (msg);
    if (gst_structure_has_name (s, "dtls-connected")) {
      gint side = side_of (p, GST_MESSAGE_SRC (msg));

      fail_unless (p->connected[side] == NULL, "two dtls-connected");
      p->connected[side] = gst_structure_copy (s);
    }
    gst_message_unref (msg);
  }
}

/* The next error; fails if a dtls-connected message comes first. The
 * debug string is returned in @debug. */
static GError *
pair_wait_error (DtlsPair * p, GstObject ** src, gchar ** debug)
{
  for (;;) {
    GstMessage *msg = gst_bus_timed_pop_filtered (p->bus, WAIT,
        GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);
    GError *error = NULL;

    fail_unless (msg != NULL, "no error within 10 s");
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT) {
      fail_if (gst_structure_has_name (gst_message_get_structure (msg),
              "dtls-connected"), "connected although it must fail");
      gst_message_unref (msg);
      continue;
    }
    gst_message_parse_error (msg, &error, debug);
    if (src)
      *src = gst_object_ref (GST_MESSAGE_SRC (msg));
    gst_message_unref (msg);
    return error;
  }
}

static gint
connection_state (GstElement * e)
{
  gint state;

  g_object_get (e, "connection-state", &state, NULL);
  return state;
}

static gboolean
srtp_key_set (GstElement * e)
{
  GstStructure *stats = NULL;
  gboolean set = TRUE;

  g_object_get (e, "stats", &stats, NULL);
  fail_unless (gst_structure_get_boolean (stats, "key-set", &set));
  gst_structure_free (stats);
  return set;
}

/* RTP from side @from through its DTLS-keyed secsrtpenc into the other
 * side's DTLS-keyed secsrtpdec, byte for byte. */
static void
pair_check_rtp (DtlsPair * p, gint from)
{
  guint i;

  for (i = 0; i < 3; i++) {
    GstBuffer *sent = sec_check_rtp_buffer_new (0x1000 + from, 100 + i,
        160 * i, 160);
    GstSample *sample;

    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC
            (p->rtp_src[from]), gst_buffer_copy (sent)), GST_FLOW_OK);
    sample = gst_app_sink_try_pull_sample (GST_APP_SINK
        (p->rtp_sink[1 - from]), WAIT);
    fail_unless (sample != NULL, "RTP %u from side %d did not arrive", i,
        from);
    fail_unless (sec_check_buffers_equal (gst_sample_get_buffer (sample),
            sent), "RTP %u from side %d changed", i, from);
    gst_sample_unref (sample);
    gst_buffer_unref (sent);
  }
}

static void
check_plugins (void)
{
  sec_check_factory_is_ours ("secdtlsenc");
  sec_check_factory_is_ours ("secdtlsdec");
  sec_check_factory_is_ours ("secsrtpenc");
  sec_check_factory_is_ours ("secsrtpdec");
  sec_check_factory_absent ("dtlsenc");
  sec_check_factory_absent ("dtlsdec");
  sec_check_factory_absent ("srtpenc");
}

/* --- handshakes ---------------------------------------------------------- */

static const gchar *profiles[] = {
  "aead-aes-256-gcm", "aead-aes-128-gcm", "aes128-cm-sha1-80",
  "aes128-cm-sha1-32"
};

GST_START_TEST (test_handshake_roles_and_profiles)
{
  guint role, k;

  check_plugins ();
  for (role = 0; role < 2; role++) {
    for (k = 0; k < G_N_ELEMENTS (profiles); k++) {
      DtlsPair *p = pair_new (role == 1, FALSE);
      gint i, client = role == 1 ? 1 : 0;

      GST_INFO ("client side %d, profile %s", client, profiles[k]);
      pair_expect_each_other (p);
      /* the client asks for one profile; for aes128-cm-sha1-32 both must */
      g_object_set (p->enc[client], "srtp-profiles", profiles[k], NULL);
      if (k == 3)
        g_object_set (p->enc[1 - client], "srtp-profiles", profiles[k],
            NULL);
      pair_start (p);
      pair_wait_connected (p);
      for (i = 0; i < 2; i++) {
        GstStructure *s = p->connected[i];
        gboolean is_client = FALSE;
        gchar **words;
        gchar *theirs = local_fingerprint (p->dec[1 - i]);
        gchar *mine = local_fingerprint (p->enc[i]);

        fail_unless_equals_string (gst_structure_get_string (s,
                "dtls-version"), "DTLSv1.2");
        fail_unless_equals_string (gst_structure_get_string (s,
                "srtp-profile"), profiles[k]);
        fail_unless (g_str_has_prefix (gst_structure_get_string (s,
                    "cipher-suite"), "TLS_ECDHE_ECDSA_WITH_"));
        fail_unless (gst_structure_get_boolean (s, "is-client", &is_client));
        fail_unless_equals_int (is_client, i == client);
        fail_unless_equals_string (gst_structure_get_string (s,
                "peer-fingerprint"), theirs);
        fail_unless_equals_string (gst_structure_get_string (s,
                "local-fingerprint"), mine);
        /* the short authentication string: four words, the same at
         * both ends */
        fail_unless (gst_structure_get_string (s, "sas") != NULL);
        words = g_strsplit (gst_structure_get_string (s, "sas"), " ", -1);
        fail_unless_equals_int (g_strv_length (words), 4);
        g_strfreev (words);
        fail_unless_equals_string (gst_structure_get_string (s, "sas"),
            gst_structure_get_string (p->connected[1 - i], "sas"));
        /* never keys */
        fail_unless_equals_int (gst_structure_n_fields (s), 8);
        fail_unless_equals_int (connection_state (p->enc[i]),
            GST_SEC_TEST_STATE_CONNECTED);
        g_free (theirs);
        g_free (mine);
      }
      /* keys crosswise: what one side protects, the other unprotects */
      pair_check_rtp (p, 0);
      pair_check_rtp (p, 1);
      pair_free (p);
    }
  }
}

GST_END_TEST;

GST_START_TEST (test_lost_flights)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  guint64 dropped = 0;
  guint max_size = 0;
  GstStructure *stats;
  guint64 retransmissions = 0;
  gint i;

  check_plugins ();
  pair_expect_each_other (p);
  /* flight 1 (ClientHello) and flight 2 (ServerHello ... ServerHelloDone,
   * one datagram: OpenSSL packs a flight's records up to the MTU) */
  g_object_set (p->drop[0], "drop", "0", NULL);
  g_object_set (p->drop[1], "drop", "0", NULL);
  pair_start (p);
  pair_wait_connected (p);
  g_object_get (p->drop[1], "dropped", &dropped, NULL);
  fail_unless_equals_int (dropped, 1);
  g_object_get (p->drop[0], "dropped", &dropped, NULL);
  fail_unless_equals_int (dropped, 1);
  /* each side resent its lost flight on its own timer */
  for (i = 0; i < 2; i++) {
    g_object_get (p->dec[i], "stats", &stats, NULL);
    fail_unless (gst_structure_get_uint64 (stats, "retransmissions",
            &retransmissions));
    fail_unless (retransmissions >= 1, "side %d: %" G_GUINT64_FORMAT, i,
        retransmissions);
    gst_structure_free (stats);
  }
  g_object_get (p->drop[0], "max-size", &max_size, NULL);
  fail_unless (max_size <= 1200, "datagram of %u bytes", max_size);
  pair_check_rtp (p, 0);
  pair_check_rtp (p, 1);
  pair_free (p);
}

GST_END_TEST;

/* This process's threads whose name does not start with @except_prefix
 * (/proc/self/task/N/comm), their names in @names. */
static guint
threads_except (const gchar * except_prefix, GString * names)
{
  GDir *dir = g_dir_open ("/proc/self/task", 0, NULL);
  const gchar *task;
  guint n = 0;

  fail_unless (dir != NULL, "no /proc/self/task");
  g_string_truncate (names, 0);
  while ((task = g_dir_read_name (dir)) != NULL) {
    gchar *path = g_build_filename ("/proc/self/task", task, "comm", NULL);
    gchar *comm = NULL;

    if (g_file_get_contents (path, &comm, NULL, NULL)
        && !g_str_has_prefix (comm, except_prefix)) {
      g_string_append_printf (names, "%s%s", names->len ? ", " : "",
          g_strstrip (comm));
      n++;
    }
    g_free (comm);
    g_free (path);
  }
  g_dir_close (dir);
  return n;
}

/* Issue 10, item 7: the DTLS timers (retransmission, handshake timeout,
 * the silence check) and the ClientHello of every association in the
 * process run on one shared thread, not on a thread per association:
 * eight pairs (sixteen associations) connected add at most one thread
 * besides the appsrcs' streaming threads. */
#define MANY_PAIRS 8

GST_START_TEST (test_no_thread_per_association)
{
  DtlsPair *warm_up, *pairs[MANY_PAIRS];
  GString *names = g_string_new (NULL);
  guint before, during, i;

  check_plugins ();
  /* the first handshake starts what a process keeps (the shared timer
   * thread among them) */
  warm_up = pair_new (FALSE, FALSE);
  pair_expect_each_other (warm_up);
  pair_start (warm_up);
  pair_wait_connected (warm_up);
  before = threads_except ("appsrc", names);
  for (i = 0; i < MANY_PAIRS; i++) {
    pairs[i] = pair_new (i % 2 == 1, FALSE);
    pair_expect_each_other (pairs[i]);
    /* the first flight is lost: its retransmission needs the timer */
    g_object_set (pairs[i]->drop[i % 2], "drop", "0", NULL);
    pair_start (pairs[i]);
  }
  for (i = 0; i < MANY_PAIRS; i++)
    pair_wait_connected (pairs[i]);
  during = threads_except ("appsrc", names);
  fail_unless (during <= before + 1, "%u DTLS associations connected added "
      "%d threads besides the appsrcs' (%u before, %u now: %s)",
      2 * MANY_PAIRS, (gint) during - (gint) before, before, during,
      names->str);
  for (i = 0; i < MANY_PAIRS; i++) {
    pair_check_rtp (pairs[i], 0);
    pair_free (pairs[i]);
  }
  pair_free (warm_up);
  g_string_free (names, TRUE);
}

GST_END_TEST;

static void
record_state (GObject * obj, GParamSpec * pspec, GString * seen)
{
  gint state;

  (void) pspec;
  g_object_get (obj, "connection-state", &state, NULL);
  g_string_append_c (seen, '0' + state);
}

GST_START_TEST (test_state_notify)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  GString *seen = g_string_new (NULL);

  check_plugins ();
  pair_expect_each_other (p);
  fail_unless_equals_int (connection_state (p->enc[0]),
      GST_SEC_TEST_STATE_NEW);
  g_signal_connect (p->enc[0], "notify::connection-state",
      G_CALLBACK (record_state), seen);
  pair_start (p);
  pair_wait_connected (p);
  fail_unless_equals_int (connection_state (p->dec[0]),
      GST_SEC_TEST_STATE_CONNECTED);
  /* connected was notified; the first notification (connecting or
   * already connected) came from the start */
  fail_unless (seen->len >= 1);
  fail_unless_equals_int (seen->str[seen->len - 1],
      '0' + GST_SEC_TEST_STATE_CONNECTED);
  g_signal_handlers_disconnect_by_data (p->enc[0], seen);
  g_string_free (seen, TRUE);
  pair_free (p);
}

GST_END_TEST;

/* The webrtc bin learns its DTLS role from the answer, after its
 * elements are playing: is-client may change until the first handshake
 * datagram. */
GST_START_TEST (test_role_set_late)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  gboolean is_client = FALSE;

  check_plugins ();
  pair_expect_each_other (p);
  g_object_set (p->enc[0], "is-client", FALSE, NULL);
  pair_start (p);
  fail_unless_equals_int (gst_element_get_state (p->pipeline, NULL, NULL,
          WAIT), GST_STATE_CHANGE_SUCCESS);
  /* two servers wait (new, or connecting once the task armed the
   * handshake timer); then one becomes the client */
  fail_unless (connection_state (p->enc[0]) == GST_SEC_TEST_STATE_NEW
      || connection_state (p->enc[0]) == GST_SEC_TEST_STATE_CONNECTING);
  g_object_set (p->dec[0], "is-client", TRUE, NULL);
  pair_wait_connected (p);
  fail_unless (gst_structure_get_boolean (p->connected[0], "is-client",
          &is_client));
  fail_unless (is_client);
  pair_check_rtp (p, 0);
  pair_free (p);
}

GST_END_TEST;

/* --- failing closed ------------------------------------------------------ */

static void
assert_no_keys (DtlsPair * p)
{
  gint i;

  for (i = 0; i < 2; i++) {
    fail_if (srtp_key_set (p->srtpenc[i]), "srtpenc%d keyed", i);
    fail_if (srtp_key_set (p->srtpdec[i]), "srtpdec%d keyed", i);
  }
}

static gchar *
unrelated_fingerprint (void)
{
  GstElement *other = make ("secdtlsdec", NULL);
  gchar *fp;

  g_object_set (other, "connection-id", "unrelated", NULL);
  fp = local_fingerprint (other);
  gst_object_unref (other);
  return fp;
}

GST_START_TEST (test_wrong_fingerprint)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  gchar *wrong = unrelated_fingerprint ();
  gchar *server_fp, *debug = NULL, *debug2 = NULL;
  GError *error, *error2;
  GstObject *src = NULL, *src2 = NULL;

  check_plugins ();
  pair_expect_each_other (p);
  g_object_set (p->dec[0], "peer-fingerprint", wrong, NULL);
  server_fp = local_fingerprint (p->enc[1]);
  pair_start (p);
  error = pair_wait_error (p, &src, &debug);
  error2 = pair_wait_error (p, &src2, &debug2);
  /* the client names both fingerprints; the server got a fatal alert */
  if (side_of (p, src) == 1) {
    GError *e = error;
    gchar *d = debug;

    error = error2;
    debug = debug2;
    error2 = e;
    debug2 = d;
  }
  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_NOT_AUTHORIZED), "%s", error->message);
  fail_unless (strstr (debug, "does not match") != NULL, "%s", debug);
  fail_unless (strstr (debug, wrong) != NULL, "%s", debug);
  fail_unless (strstr (debug, server_fp) != NULL, "%s", debug);
  fail_unless (strstr (debug2, "fatal alert: bad certificate") != NULL,
      "%s", debug2);
  fail_unless_equals_int (connection_state (p->enc[0]),
      GST_SEC_TEST_STATE_FAILED);
  fail_unless_equals_int (connection_state (p->dec[1]),
      GST_SEC_TEST_STATE_FAILED);
  assert_no_keys (p);
  g_clear_error (&error);
  g_clear_error (&error2);
  g_free (debug);
  g_free (debug2);
  g_free (wrong);
  g_free (server_fp);
  gst_object_unref (src);
  gst_object_unref (src2);
  pair_free (p);
}

GST_END_TEST;

GST_START_TEST (test_missing_fingerprint_no_handler)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  gchar *debug = NULL, *fp;
  GError *error;

  check_plugins ();
  /* only the server knows whom to expect */
  fp = local_fingerprint (p->enc[0]);
  g_object_set (p->dec[1], "peer-fingerprint", fp, NULL);
  g_free (fp);
  pair_start (p);
  error = pair_wait_error (p, NULL, &debug);
  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_NOT_AUTHORIZED) || strstr (debug, "alert"),
      "%s", error->message);
  fail_unless_equals_int (connection_state (p->dec[0]),
      GST_SEC_TEST_STATE_FAILED);
  assert_no_keys (p);
  g_clear_error (&error);
  g_free (debug);
  pair_free (p);
}

GST_END_TEST;

static gboolean
accept_cb (GstElement * dec, const gchar * pem, gpointer user_data)
{
  gboolean *answer = user_data;

  (void) dec;
  fail_unless (strstr (pem, "-----BEGIN CERTIFICATE-----") != NULL);
  fail_unless (strstr (pem, "PRIVATE") == NULL);
  return *answer;
}

GST_START_TEST (test_accept_certificate)
{
  gboolean answer;

  check_plugins ();
  for (answer = FALSE; answer <= TRUE; answer++) {
    DtlsPair *p = pair_new (FALSE, FALSE);
    gchar *fp = local_fingerprint (p->enc[0]);

    g_object_set (p->dec[1], "peer-fingerprint", fp, NULL);
    g_free (fp);
    g_signal_connect (p->dec[0], "accept-certificate",
        G_CALLBACK (accept_cb), &answer);
    pair_start (p);
    if (answer) {
      gchar *theirs = local_fingerprint (p->enc[1]);

      pair_wait_connected (p);
      fail_unless_equals_string (gst_structure_get_string (p->connected[0],
              "peer-fingerprint"), theirs);
      g_free (theirs);
      pair_check_rtp (p, 1);
    } else {
      gchar *debug = NULL;
      GError *error = pair_wait_error (p, NULL, &debug);

      fail_unless_equals_int (connection_state (p->dec[0]),
          GST_SEC_TEST_STATE_FAILED);
      assert_no_keys (p);
      g_clear_error (&error);
      g_free (debug);
    }
    pair_free (p);
  }
}

GST_END_TEST;

GST_START_TEST (test_weak_fingerprint_refused)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  gchar *debug = NULL;
  GError *error;

  check_plugins ();
  pair_expect_each_other (p);
  g_object_set (p->dec[0], "peer-fingerprint",
      "sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB",
      NULL);
  fail_unless_equals_int (gst_element_set_state (p->pipeline,
          GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  error = pair_wait_error (p, NULL, &debug);
  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS), "%s", error->message);
  fail_unless (strstr (debug, "sha-1") != NULL, "%s", debug);
  assert_no_keys (p);
  g_clear_error (&error);
  g_free (debug);
  pair_free (p);
}

GST_END_TEST;

/* No profile in common: the handshake may complete without use_srtp
 * (RFC 5764 §4.1.3), but SRTP elements waiting for keys must hear why
 * they get none. */
GST_START_TEST (test_no_common_srtp_profile)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  gchar *debug = NULL;
  GError *error;

  check_plugins ();
  pair_expect_each_other (p);
  g_object_set (p->enc[0], "srtp-profiles", "aes128-cm-sha1-32", NULL);
  pair_start (p);
  error = pair_wait_error (p, NULL, &debug);
  fail_unless (strstr (error->message, "SRTP protection profile") != NULL,
      "%s", error->message);
  fail_unless (strstr (debug, "use_srtp") != NULL, "%s", debug);
  assert_no_keys (p);
  g_clear_error (&error);
  g_free (debug);
  pair_free (p);
}

GST_END_TEST;

GST_START_TEST (test_garbage)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  guint64 injected = 0, malformed = 0;
  GstStructure *stats;

  check_plugins ();
  pair_expect_each_other (p);
  g_object_set (p->drop[0], "inject-garbage", TRUE, NULL);
  g_object_set (p->drop[1], "inject-garbage", TRUE, NULL);
  pair_start (p);
  pair_wait_connected (p);
  pair_check_rtp (p, 0);
  pair_check_rtp (p, 1);
  g_object_get (p->drop[0], "injected", &injected, NULL);
  /* the client's two flights: ClientHello, and Certificate ...
   * Finished packed into one datagram (OpenSSL fills datagrams up to the
   * MTU) */
  fail_unless (injected >= 2, "%" G_GUINT64_FORMAT, injected);
  g_object_get (p->dec[1], "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint64 (stats, "datagrams-malformed",
          &malformed));
  /* two of the three kinds are not well framed */
  fail_unless (malformed >= 2, "%" G_GUINT64_FORMAT, malformed);
  gst_structure_free (stats);
  pair_free (p);
}

GST_END_TEST;

/* A client's ClientHello reaches the real server S and a third party T;
 * T's answer arrives first. The client must refuse T (its certificate is
 * not the signaled one) and end with no keys. */
typedef struct
{
  GstElement *enc, *dec;
  GstHarness *h_enc, *h_dec;
} Side;

static void
side_init (Side * s, const gchar * id, gboolean is_client, GstBus * bus)
{
  s->enc = make ("secdtlsenc", NULL);
  s->dec = make ("secdtlsdec", NULL);
  g_object_set (s->enc, "connection-id", id, "is-client", is_client, NULL);
  g_object_set (s->dec, "connection-id", id, NULL);
  gst_element_set_bus (s->enc, bus);
  gst_element_set_bus (s->dec, bus);
  s->h_dec = gst_harness_new_with_element (s->dec, "sink", "src");
  gst_harness_set_src_caps_str (s->h_dec, "application/x-dtls");
  s->h_enc = gst_harness_new_with_element (s->enc, NULL, "src");
}

static void
side_clear (Side * s)
{
  gst_harness_teardown (s->h_enc);
  gst_harness_teardown (s->h_dec);
  gst_object_unref (s->enc);
  gst_object_unref (s->dec);
}

static guint64
datagrams_sent (Side * s)
{
  GstStructure *stats;
  guint64 n = 0;

  g_object_get (s->dec, "stats", &stats, NULL);
  gst_structure_get_uint64 (stats, "datagrams-sent", &n);
  gst_structure_free (stats);
  return n;
}

GST_START_TEST (test_third_party)
{
  GstBus *bus = gst_bus_new ();
  Side c, s, t;
  GstBuffer *hello;
  gchar *s_fp, *t_fp, *c_fp, *debug = NULL;
  guint64 i, n;
  GstMessage *msg;
  GError *error = NULL;

  check_plugins ();
  side_init (&c, "third-c", TRUE, bus);
  side_init (&s, "third-s", FALSE, bus);
  side_init (&t, "third-t", FALSE, bus);
  s_fp = local_fingerprint (s.enc);
  t_fp = local_fingerprint (t.enc);
  c_fp = local_fingerprint (c.enc);
  g_object_set (c.dec, "peer-fingerprint", s_fp, NULL);
  g_object_set (s.dec, "peer-fingerprint", c_fp, NULL);
  g_object_set (t.dec, "peer-fingerprint", c_fp, NULL);

  hello = gst_harness_pull (c.h_enc);
  fail_unless (hello != NULL);
  gst_harness_push (s.h_dec, gst_buffer_copy (hello));
  gst_harness_push (t.h_dec, hello);
  /* T's whole flight first */
  n = datagrams_sent (&t);
  fail_unless (n >= 1, "T sent %" G_GUINT64_FORMAT, n);
  for (i = 0; i < n; i++)
    gst_harness_push (c.h_dec, gst_harness_pull (t.h_enc));

  msg = gst_bus_timed_pop_filtered (bus, WAIT, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (c.dec));
  gst_message_parse_error (msg, &error, &debug);
  fail_unless (strstr (debug, t_fp) && strstr (debug, s_fp), "%s", debug);
  fail_unless_equals_int (connection_state (c.dec),
      GST_SEC_TEST_STATE_FAILED);
  gst_message_unref (msg);
  g_clear_error (&error);
  g_free (debug);

  /* S's genuine flight afterwards changes nothing: closed, no message */
  n = datagrams_sent (&s);
  for (i = 0; i < n; i++)
    gst_harness_push (c.h_dec, gst_harness_pull (s.h_enc));
  fail_unless_equals_int (connection_state (c.dec),
      GST_SEC_TEST_STATE_FAILED);
  while ((msg = gst_bus_pop (bus))) {
    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT
        && GST_MESSAGE_SRC (msg) == GST_OBJECT (c.dec));
    gst_message_unref (msg);
  }

  side_clear (&c);
  side_clear (&s);
  side_clear (&t);
  g_free (s_fp);
  g_free (t_fp);
  g_free (c_fp);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
}

GST_END_TEST;

GST_START_TEST (test_silent_peer_times_out)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *enc = make ("secdtlsenc", NULL);
  GstElement *dec = make ("secdtlsdec", NULL);
  GstElement *sink = make ("fakesink", NULL);
  GstElement *src = make ("appsrc", NULL);
  GstElement *sink2 = make ("fakesink", NULL);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GError *error = NULL;
  gchar *debug = NULL;
  gint64 start;
  GstStructure *stats;
  guint64 retransmissions = 0, malformed = 0;

  check_plugins ();
  g_object_set (enc, "connection-id", "silent", "is-client", TRUE,
      "handshake-timeout", 400, "peer-fingerprint",
      "sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", NULL);
  g_object_set (dec, "connection-id", "silent", NULL);
  g_object_set (sink, "async", FALSE, NULL);
  g_object_set (sink2, "async", FALSE, NULL);
  gst_bin_add_many (GST_BIN (pipeline), enc, sink, src, dec, sink2, NULL);
  fail_unless (gst_element_link (enc, sink));
  fail_unless (gst_element_link_many (src, dec, sink2, NULL));
  g_object_set (src, "format", GST_FORMAT_TIME, NULL);
  start = g_get_monotonic_time ();
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  /* all the "peer" ever sends is garbage: dropped, counted, no keys */
  for (guint i = 0; i < 3; i++) {
    static const guint8 junk[][16] = {
      {0x80, 0x60, 0x00, 0x01},
      {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0},
      {23, 0xfe, 0xfd},
    };
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (src),
            gst_buffer_new_memdup (junk[i], sizeof (junk[i]))), GST_FLOW_OK);
  }
  msg = gst_bus_timed_pop_filtered (bus, WAIT, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no timeout error");
  /* bounded: the 400 ms deadline, not the retransmission ceiling */
  fail_unless (g_get_monotonic_time () - start < 3 * G_USEC_PER_SEC);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (enc));
  gst_message_parse_error (msg, &error, &debug);
  fail_unless (strstr (debug, "400 ms") != NULL, "%s", debug);
  fail_unless_equals_int (connection_state (dec), GST_SEC_TEST_STATE_FAILED);
  g_object_get (dec, "stats", &stats, NULL);
  gst_structure_get_uint64 (stats, "retransmissions", &retransmissions);
  fail_unless (retransmissions >= 1);
  gst_structure_get_uint64 (stats, "datagrams-malformed", &malformed);
  fail_unless_equals_int (malformed, 3);
  gst_structure_free (stats);
  gst_message_unref (msg);
  g_clear_error (&error);
  g_free (debug);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* --- after the handshake ------------------------------------------------- */

static void
push_text (GstElement * appsrc, const gchar * text)
{
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (appsrc),
          gst_buffer_new_memdup (text, strlen (text))), GST_FLOW_OK);
}

static void
pull_text (GstElement * appsink, const gchar * text)
{
  GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (appsink),
      WAIT);
  GstMapInfo map;

  fail_unless (sample != NULL, "no application data");
  gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
  fail_unless_equals_int (map.size, strlen (text));
  fail_unless (memcmp (map.data, text, map.size) == 0);
  gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  gst_sample_unref (sample);
}

typedef struct
{
  GMutex lock;
  GCond cond;
} Waiter;

static void
on_state (GObject * obj, GParamSpec * pspec, Waiter * w)
{
  (void) obj;
  (void) pspec;
  g_mutex_lock (&w->lock);
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
}

static GstPadProbeReturn
signal_datagram (GstPad * pad, GstPadProbeInfo * info, Waiter * w)
{
  (void) pad;
  (void) info;
  g_mutex_lock (&w->lock);
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
  return GST_PAD_PROBE_OK;
}

/* Garbage that reaches the decoder before the client's encoder runs is
 * dropped and does not count as the handshake's start: the encoder still
 * sends its ClientHello. */
GST_START_TEST (test_garbage_before_client_starts)
{
  static const guint8 junk[] = { 0x80, 0x60, 0x00, 0x01 };
  GstElement *enc = make ("secdtlsenc", NULL);
  GstElement *dec = make ("secdtlsdec", NULL);
  GstHarness *h_enc, *h_dec;
  GstPad *srcpad;
  GstBuffer *hello;
  Waiter w;
  gint64 end;

  check_plugins ();
  g_mutex_init (&w.lock);
  g_cond_init (&w.cond);
  g_object_set (enc, "connection-id", "early-garbage", "is-client", TRUE,
      NULL);
  g_object_set (dec, "connection-id", "early-garbage", NULL);
  h_dec = gst_harness_new_with_element (dec, "sink", "src");
  gst_harness_set_src_caps_str (h_dec, "application/x-dtls");
  fail_unless_equals_int (gst_harness_push (h_dec,
          gst_buffer_new_memdup (junk, sizeof (junk))), GST_FLOW_OK);

  srcpad = gst_element_get_static_pad (enc, "src");
  gst_pad_add_probe (srcpad, GST_PAD_PROBE_TYPE_BUFFER,
      (GstPadProbeCallback) signal_datagram, &w, NULL);
  g_mutex_lock (&w.lock);
  h_enc = gst_harness_new_with_element (enc, NULL, "src");
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (gst_harness_buffers_received (h_enc) == 0)
    fail_unless (g_cond_wait_until (&w.cond, &w.lock, end),
        "no ClientHello within 10 s");
  g_mutex_unlock (&w.lock);
  hello = gst_harness_pull (h_enc);
  /* a handshake record (22), ClientHello (1) */
  fail_unless (gst_buffer_get_size (hello) > 13 + 12);
  {
    GstMapInfo map;

    gst_buffer_map (hello, &map, GST_MAP_READ);
    fail_unless_equals_int (map.data[0], 22);
    fail_unless_equals_int (map.data[13], 1);
    gst_buffer_unmap (hello, &map);
  }
  gst_buffer_unref (hello);
  gst_object_unref (srcpad);
  gst_harness_teardown (h_enc);
  gst_harness_teardown (h_dec);
  gst_object_unref (enc);
  gst_object_unref (dec);
  g_mutex_clear (&w.lock);
  g_cond_clear (&w.cond);
}

GST_END_TEST;

/* Waits (10 s at most) until @e's connection-state is @state. */
static void
wait_state (GstElement * e, gint state)
{
  Waiter w;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gulong id;

  g_mutex_init (&w.lock);
  g_cond_init (&w.cond);
  id = g_signal_connect (e, "notify::connection-state",
      G_CALLBACK (on_state), &w);
  g_mutex_lock (&w.lock);
  while (connection_state (e) != state)
    fail_unless (g_cond_wait_until (&w.cond, &w.lock, end),
        "connection-state %d, not %d, after 10 s", connection_state (e),
        state);
  g_mutex_unlock (&w.lock);
  g_signal_handler_disconnect (e, id);
  g_mutex_clear (&w.lock);
  g_cond_clear (&w.cond);
}

static void
assert_no_error_posted (DtlsPair * p)
{
  GstMessage *msg = gst_bus_pop_filtered (p->bus, GST_MESSAGE_ERROR);

  if (msg) {
    GError *error = NULL;
    gchar *debug = NULL;

    gst_message_parse_error (msg, &error, &debug);
    fail ("unexpected error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (msg),
        error->message, debug);
  }
}

GST_START_TEST (test_app_data_and_close_notify)
{
  DtlsPair *p = pair_new (FALSE, TRUE);
  Waiter w;
  gint64 end;

  check_plugins ();
  g_mutex_init (&w.lock);
  g_cond_init (&w.cond);
  pair_expect_each_other (p);
  pair_start (p);
  /* pushed before the handshake: waits for it */
  push_text (p->data_src[0], "early from the client");
  pair_wait_connected (p);
  push_text (p->data_src[1], "from the server");
  pull_text (p->data_sink[1], "early from the client");
  pull_text (p->data_sink[0], "from the server");

  /* EOS on the client's encoder: close_notify, the server closes */
  g_signal_connect (p->dec[1], "notify::connection-state",
      G_CALLBACK (on_state), &w);
  fail_unless (gst_element_send_event (p->enc[0], gst_event_new_eos ()));
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_mutex_lock (&w.lock);
  while (connection_state (p->dec[1]) != GST_SEC_TEST_STATE_CLOSED)
    fail_unless (g_cond_wait_until (&w.cond, &w.lock, end),
        "no close_notify seen");
  g_mutex_unlock (&w.lock);
  fail_unless_equals_int (connection_state (p->enc[0]),
      GST_SEC_TEST_STATE_CLOSED);
  g_signal_handlers_disconnect_by_data (p->dec[1], &w);
  pair_free (p);
  g_mutex_clear (&w.lock);
  g_cond_clear (&w.cond);
}

GST_END_TEST;

/* What a secdtlsdec pushes on its src pad, in order: event names
 * ("stream-start", "caps", "segment", "eos", ...) and "data:TEXT" for
 * buffers, space-separated. */
typedef struct
{
  GMutex lock;
  GCond cond;
  GString *seen;
  guint eos_count;
} AppStream;

static GstPadProbeReturn
record_app_stream (GstPad * pad, GstPadProbeInfo * info, AppStream * s)
{
  (void) pad;
  g_mutex_lock (&s->lock);
  if (s->seen->len > 0)
    g_string_append_c (s->seen, ' ');
  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
    GstMapInfo map;

    gst_buffer_map (buffer, &map, GST_MAP_READ);
    g_string_append (s->seen, "data:");
    g_string_append_len (s->seen, (const gchar *) map.data, map.size);
    gst_buffer_unmap (buffer, &map);
  } else {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

    g_string_append (s->seen, GST_EVENT_TYPE_NAME (event));
    if (GST_EVENT_TYPE (event) == GST_EVENT_EOS)
      s->eos_count++;
  }
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  return GST_PAD_PROBE_OK;
}

static void
app_stream_init (AppStream * s, GstElement * dec)
{
  GstPad *pad = gst_element_get_static_pad (dec, "src");

  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->seen = g_string_new (NULL);
  s->eos_count = 0;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      (GstPadProbeCallback) record_app_stream, s, NULL);
  gst_object_unref (pad);
}

static void
app_stream_clear (AppStream * s)
{
  g_string_free (s->seen, TRUE);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
}

/* Waits (10 s at most) for the @n-th EOS; returns what was pushed. */
static gchar *
app_stream_wait_eos (AppStream * s, guint n)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gchar *seen;

  g_mutex_lock (&s->lock);
  while (s->eos_count < n)
    fail_unless (g_cond_wait_until (&s->cond, &s->lock, end),
        "no EOS %u on secdtlsdec's src within 10 s; pushed: %s", n,
        s->seen->str);
  seen = g_strdup (s->seen->str);
  g_mutex_unlock (&s->lock);
  return seen;
}

static gchar *
app_stream_get (AppStream * s)
{
  gchar *seen;

  g_mutex_lock (&s->lock);
  seen = g_strdup (s->seen->str);
  g_mutex_unlock (&s->lock);
  return seen;
}

/* The network carries no EOS: a secdtlsenc's EOS stops at its src pad,
 * so only close_notify tells the peer. */
static GstPadProbeReturn
drop_eos (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  (void) pad;
  (void) user_data;
  return GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS ?
      GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

static void
eos_stays_local (GstElement * enc)
{
  GstPad *pad = gst_element_get_static_pad (enc, "src");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, drop_eos,
      NULL, NULL);
  gst_object_unref (pad);
}

static GstPadProbeReturn
keep_datagram (GstPad * pad, GstPadProbeInfo * info, GPtrArray * datagrams)
{
  (void) pad;
  g_ptr_array_add (datagrams,
      gst_buffer_ref (GST_PAD_PROBE_INFO_BUFFER (info)));
  return GST_PAD_PROBE_OK;
}

/* Application data then EOS into the client's secdtlsenc: close_notify
 * after the data; the server's secdtlsdec pushes the data, then EOS, and
 * nothing for datagrams that come after. */
GST_START_TEST (test_close_notify_ends_app_stream)
{
  DtlsPair *p = pair_new (FALSE, TRUE);
  GPtrArray *datagrams =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  GstPad *dec_sink = gst_element_get_static_pad (p->dec[1], "sink");
  AppStream s;
  gulong keep;
  gchar *seen, *after;
  guint i;

  check_plugins ();
  app_stream_init (&s, p->dec[1]);
  eos_stays_local (p->enc[0]);
  /* every datagram the server's decoder got, to send it again later */
  keep = gst_pad_add_probe (dec_sink, GST_PAD_PROBE_TYPE_BUFFER,
      (GstPadProbeCallback) keep_datagram, datagrams, NULL);
  pair_expect_each_other (p);
  pair_start (p);
  push_text (p->data_src[0], "early");
  pair_wait_connected (p);
  push_text (p->data_src[0], "one");
  push_text (p->data_src[0], "two");
  /* behind the data, in the stream: close_notify after it */
  fail_unless_equals_int (gst_app_src_end_of_stream (GST_APP_SRC
          (p->data_src[0])), GST_FLOW_OK);

  seen = app_stream_wait_eos (&s, 1);
  fail_unless_equals_string (seen,
      "stream-start caps segment data:early data:one data:two eos");
  fail_unless_equals_int (connection_state (p->dec[1]),
      GST_SEC_TEST_STATE_CLOSED);
  pull_text (p->data_sink[1], "early");
  pull_text (p->data_sink[1], "one");
  pull_text (p->data_sink[1], "two");
  /* the probe sees EOS before the sink does: wait for the sink's */
  fail_unless (gst_app_sink_try_pull_sample (GST_APP_SINK (p->data_sink[1]),
          WAIT) == NULL, "data after EOS");
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (p->data_sink[1])));

  /* the same datagrams again (the data, the close_notify): nothing more
   * on src, and the network source is not stopped (SRTP may share its
   * path) */
  gst_pad_remove_probe (dec_sink, keep);
  fail_unless (datagrams->len > 0);
  for (i = 0; i < datagrams->len; i++)
    fail_unless_equals_int (gst_pad_chain (dec_sink,
            gst_buffer_ref (g_ptr_array_index (datagrams, i))), GST_FLOW_OK);
  after = app_stream_get (&s);
  fail_unless_equals_string (after, seen);
  assert_no_error_posted (p);

  g_free (seen);
  g_free (after);
  gst_object_unref (dec_sink);
  g_ptr_array_unref (datagrams);
  pair_free (p);
  app_stream_clear (&s);
}

GST_END_TEST;

/* The server closes an association that never carried application
 * data: the client's secdtlsdec gives a whole stream (stream-start,
 * caps, segment) and EOS. A restart from READY is a new association
 * and a new stream, which ends with an EOS of its own. */
GST_START_TEST (test_close_notify_without_data_ends_app_stream)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  AppStream s;
  gchar *seen;
  gint i, round;

  check_plugins ();
  app_stream_init (&s, p->dec[0]);
  eos_stays_local (p->enc[1]);
  pair_expect_each_other (p);
  pair_start (p);
  for (round = 1; round <= 2; round++) {
    pair_wait_connected (p);
    fail_unless (gst_element_send_event (p->enc[1], gst_event_new_eos ()));
    seen = app_stream_wait_eos (&s, round);
    fail_unless_equals_string (seen, round == 1 ?
        "stream-start caps segment eos" :
        "stream-start caps segment eos stream-start caps segment eos");
    g_free (seen);
    wait_state (p->dec[0], GST_SEC_TEST_STATE_CLOSED);
    assert_no_error_posted (p);
    if (round == 2)
      break;

    /* a new association: the server first, the client's ClientHello
     * last; the sink of the ended stream starts again too (a sink drops
     * everything after EOS until then) */
    for (i = 1; i >= 0; i--) {
      fail_unless_equals_int (gst_element_set_state (p->enc[i],
              GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
      fail_unless_equals_int (gst_element_set_state (p->dec[i],
              GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
      fail_unless_equals_int (gst_element_set_state (p->data_sink[i],
              GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
      fail_unless (gst_element_set_state (p->data_sink[i],
              GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
      fail_unless (gst_element_set_state (p->dec[i], GST_STATE_PLAYING) !=
          GST_STATE_CHANGE_FAILURE);
      fail_unless (gst_element_set_state (p->enc[i], GST_STATE_PLAYING) !=
          GST_STATE_CHANGE_FAILURE);
      g_clear_pointer (&p->connected[i], gst_structure_free);
    }
  }
  pair_free (p);
  app_stream_clear (&s);
}

GST_END_TEST;

/* --- certificates -------------------------------------------------------- */

static gchar *
make_pem (gboolean rsa, gchar ** fingerprint)
{
  EVP_PKEY *key = rsa ? EVP_PKEY_Q_keygen (NULL, NULL, "RSA", (size_t) 2048)
      : EVP_PKEY_Q_keygen (NULL, NULL, "EC", "P-256");
  X509 *x509 = X509_new ();
  BIO *bio = BIO_new (BIO_s_mem ());
  X509_NAME *name;
  guint8 md[EVP_MAX_MD_SIZE];
  unsigned int md_len, i;
  GString *fp = g_string_new ("sha-256 ");
  gchar *pem;
  long len;
  char *data;

  X509_set_version (x509, 2);
  ASN1_INTEGER_set (X509_get_serialNumber (x509), 42);
  X509_gmtime_adj (X509_getm_notBefore (x509), -3600);
  X509_gmtime_adj (X509_getm_notAfter (x509), 3600);
  X509_set_pubkey (x509, key);
  name = X509_get_subject_name (x509);
  X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC,
      (const guint8 *) "test", -1, -1, 0);
  X509_set_issuer_name (x509, name);
  X509_sign (x509, key, EVP_sha256 ());
  X509_digest (x509, EVP_sha256 (), md, &md_len);
  for (i = 0; i < md_len; i++)
    g_string_append_printf (fp, i ? ":%02X" : "%02X", md[i]);
  *fingerprint = g_string_free (fp, FALSE);
  PEM_write_bio_X509 (bio, x509);
  PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL);
  len = BIO_get_mem_data (bio, &data);
  pem = g_strndup (data, len);
  BIO_free (bio);
  X509_free (x509);
  EVP_PKEY_free (key);
  return pem;
}

GST_START_TEST (test_certificates)
{
  gchar *ec_fp, *rsa_fp, *fp, *fp2;
  gchar *ec_pem = make_pem (FALSE, &ec_fp);
  gchar *rsa_pem = make_pem (TRUE, &rsa_fp);
  GstElement *e = make ("secdtlsenc", NULL);
  GRegex *form = g_regex_new ("^sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$", 0,
      0, NULL);
  DtlsPair *p;

  check_plugins ();
  /* no connection-id, no certificate: no fingerprint yet */
  g_object_get (e, "local-fingerprint", &fp, NULL);
  fail_unless (fp == NULL);
  /* a given certificate has its fingerprint at once */
  g_object_set (e, "certificate", ec_pem, NULL);
  fp = local_fingerprint (e);
  fail_unless_equals_string (fp, ec_fp);
  g_free (fp);
  /* it stays with the association the element joins */
  g_object_set (e, "connection-id", "cert-a", NULL);
  fp = local_fingerprint (e);
  fail_unless_equals_string (fp, ec_fp);
  g_free (fp);
  gst_object_unref (e);

  /* default certificates: one per association, SDP form */
  e = make ("secdtlsdec", NULL);
  g_object_set (e, "connection-id", "cert-b", NULL);
  fp = local_fingerprint (e);
  fail_unless (g_regex_match (form, fp, 0, NULL), "%s", fp);
  gst_object_unref (e);
  e = make ("secdtlsdec", NULL);
  g_object_set (e, "connection-id", "cert-c", NULL);
  fp2 = local_fingerprint (e);
  fail_unless (g_regex_match (form, fp2, 0, NULL), "%s", fp2);
  fail_if (g_str_equal (fp, fp2));
  g_free (fp);
  g_free (fp2);
  gst_object_unref (e);

  /* an RSA server and an ECDSA client */
  p = pair_new (FALSE, FALSE);
  g_object_set (p->enc[1], "certificate", rsa_pem, NULL);
  g_object_set (p->enc[0], "certificate", ec_pem, NULL);
  pair_expect_each_other (p);
  pair_start (p);
  pair_wait_connected (p);
  fail_unless_equals_string (gst_structure_get_string (p->connected[0],
          "peer-fingerprint"), rsa_fp);
  fail_unless_equals_string (gst_structure_get_string (p->connected[1],
          "peer-fingerprint"), ec_fp);
  fail_unless (g_str_has_prefix (gst_structure_get_string (p->connected[0],
              "cipher-suite"), "TLS_ECDHE_RSA_WITH_"));
  pair_check_rtp (p, 0);
  pair_free (p);

  g_regex_unref (form);
  g_free (ec_pem);
  g_free (rsa_pem);
  g_free (ec_fp);
  g_free (rsa_fp);
}

GST_END_TEST;

/* certificate-group: associations in one group show one certificate
 * (the transports of a peer connection), another group or none another;
 * a certificate set on an association wins; the group's certificate goes
 * with its last association, and a call between groups works. */
GST_START_TEST (test_certificate_group)
{
  gchar *ec_fp, *fp_a, *fp_b, *fp_c, *fp_d, *fp_e, *group = NULL;
  gchar *ec_pem = make_pem (FALSE, &ec_fp);
  GstElement *a = make ("secdtlsdec", NULL), *b = make ("secdtlsenc", NULL);
  GstElement *c = make ("secdtlsdec", NULL), *d = make ("secdtlsdec", NULL);
  GstElement *e;
  DtlsPair *p;

  check_plugins ();
  g_object_set (a, "connection-id", "group-a", "certificate-group", "pc1",
      NULL);
  /* set before the connection-id: carried into the association */
  g_object_set (b, "certificate-group", "pc1", NULL);
  g_object_set (b, "connection-id", "group-b", NULL);
  g_object_set (c, "connection-id", "group-c", "certificate-group", "pc2",
      NULL);
  g_object_set (d, "connection-id", "group-d", "certificate-group", "pc1",
      "certificate", ec_pem, NULL);
  g_object_get (b, "certificate-group", &group, NULL);
  fail_unless_equals_string (group, "pc1");
  fp_a = local_fingerprint (a);
  fp_b = local_fingerprint (b);
  fp_c = local_fingerprint (c);
  fp_d = local_fingerprint (d);
  fail_unless_equals_string (fp_a, fp_b);
  fail_if (g_str_equal (fp_a, fp_c));
  fail_unless_equals_string (fp_d, ec_fp);
  gst_object_unref (a);
  gst_object_unref (b);
  /* pc1 had only a and b: a new association of pc1 gets a new one */
  e = make ("secdtlsdec", NULL);
  g_object_set (e, "connection-id", "group-e", "certificate-group", "pc1",
      NULL);
  fp_e = local_fingerprint (e);
  fail_if (g_str_equal (fp_e, fp_a));
  gst_object_unref (e);
  gst_object_unref (c);
  gst_object_unref (d);

  /* a call whose two ends are in two groups */
  p = pair_new (FALSE, FALSE);
  g_object_set (p->enc[0], "certificate-group", "call-0", NULL);
  g_object_set (p->enc[1], "certificate-group", "call-1", NULL);
  pair_expect_each_other (p);
  pair_start (p);
  pair_wait_connected (p);
  pair_check_rtp (p, 0);
  pair_free (p);

  g_free (group);
  g_free (ec_pem);
  g_free (ec_fp);
  g_free (fp_a);
  g_free (fp_b);
  g_free (fp_c);
  g_free (fp_d);
  g_free (fp_e);
}

GST_END_TEST;

static void
assert_bad_certificate (const gchar * pem, const gchar * expected)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  gchar *debug = NULL;
  GError *error;

  pair_expect_each_other (p);
  g_object_set (p->enc[0], "certificate", pem, NULL);
  fail_unless_equals_int (gst_element_set_state (p->pipeline,
          GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  error = pair_wait_error (p, NULL, &debug);
  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS), "%s", error->message);
  fail_unless (strstr (debug, expected) != NULL, "'%s' not in '%s'",
      expected, debug);
  fail_unless (strstr (debug, "PRIVATE") == NULL);
  g_clear_error (&error);
  g_free (debug);
  pair_free (p);
}

GST_START_TEST (test_bad_certificates)
{
  gchar *fp1, *fp2;
  gchar *pem1 = make_pem (FALSE, &fp1);
  gchar *pem2 = make_pem (FALSE, &fp2);
  gchar *key1 = strstr (pem1, "-----BEGIN PRIVATE KEY-----");
  gchar *cert2_end = strstr (pem2, "-----BEGIN PRIVATE KEY-----");
  gchar *mixed, *cert2;

  check_plugins ();
  assert_bad_certificate ("-----BEGIN CERTIFICATE-----\nAAAA\n"
      "-----END CERTIFICATE-----\n", "certificate");
  /* certificate 2 with key 1 */
  cert2 = g_strndup (pem2, cert2_end - pem2);
  mixed = g_strconcat (cert2, key1, NULL);
  assert_bad_certificate (mixed, "certificate");
  g_free (mixed);
  g_free (cert2);
  g_free (pem1);
  g_free (pem2);
  g_free (fp1);
  g_free (fp2);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GString *text;
} Log;

static void
collect_log (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  Log *log = user_data;
  const gchar *text = gst_debug_message_get (message);

  (void) category;
  (void) level;
  (void) file;
  (void) function;
  (void) line;
  (void) object;
  if (text) {
    g_mutex_lock (&log->lock);
    g_string_append (log->text, text);
    g_string_append_c (log->text, '\n');
    g_mutex_unlock (&log->lock);
  }
}

/* With every debug category of ours at its most verbose, a whole call
 * (certificate set, handshake, keys handed over, media, stats, stop)
 * never logs a line of the private key, and the certificate property
 * cannot be read back. */
GST_START_TEST (test_private_key_never_logged)
{
  Log log = { {0}, g_string_new (NULL) };
  gchar *fp, *pem = make_pem (FALSE, &fp);
  gchar **lines, *key_block, *bus_text;
  GParamSpec *pspec;
  GstElement *probe;
  DtlsPair *p;
  GstStructure *stats;
  guint i, checked = 0;

  check_plugins ();
  probe = make ("secdtlsenc", NULL);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (probe),
      "certificate");
  fail_unless (pspec != NULL);
  fail_if (pspec->flags & G_PARAM_READABLE, "certificate is readable");
  gst_object_unref (probe);

  g_mutex_init (&log.lock);
  gst_debug_set_active (TRUE);
  gst_debug_add_log_function (collect_log, &log, NULL);
  gst_debug_set_threshold_for_name ("sec*", GST_LEVEL_MEMDUMP);
  gst_debug_set_threshold_for_name ("GST_PADS", GST_LEVEL_MEMDUMP);
  gst_debug_set_threshold_for_name ("GST_EVENT", GST_LEVEL_MEMDUMP);
  gst_debug_set_threshold_for_name ("GST_MESSAGE", GST_LEVEL_MEMDUMP);
  gst_debug_set_threshold_for_name ("GST_PROPERTIES", GST_LEVEL_MEMDUMP);

  p = pair_new (FALSE, FALSE);
  g_object_set (p->enc[0], "certificate", pem, NULL);
  pair_expect_each_other (p);
  pair_start (p);
  pair_wait_connected (p);
  pair_check_rtp (p, 0);
  g_object_get (p->dec[0], "stats", &stats, NULL);
  bus_text = gst_structure_to_string (p->connected[0]);
  gst_structure_free (stats);
  pair_free (p);

  gst_debug_remove_log_function (collect_log);
  gst_debug_set_threshold_from_string ("", TRUE);
  gst_debug_set_default_threshold (GST_LEVEL_NONE);

  fail_unless (log.text->len > 0, "nothing was logged: the check proves "
      "nothing");
  /* the fingerprint may be logged; that shows the log is the real one */
  fail_unless (strstr (log.text->str, "dtls-connected") != NULL);
  key_block = strstr (pem, "-----BEGIN PRIVATE KEY-----");
  fail_unless (key_block != NULL);
  lines = g_strsplit (key_block, "\n", -1);
  for (i = 1; lines[i] && !g_str_has_prefix (lines[i], "-----END"); i++) {
    if (strlen (lines[i]) < 16)
      continue;
    fail_if (strstr (log.text->str, lines[i]) != NULL,
        "a private key line was logged");
    fail_if (strstr (bus_text, lines[i]) != NULL,
        "a private key line is in dtls-connected");
    checked++;
  }
  fail_unless (checked >= 2);
  fail_if (strstr (log.text->str, "PRIVATE KEY") != NULL);
  g_strfreev (lines);
  g_free (bus_text);
  g_free (pem);
  g_free (fp);
  g_string_free (log.text, TRUE);
  g_mutex_clear (&log.lock);
}

GST_END_TEST;

GST_START_TEST (test_association_lifetime)
{
  GstElement *dec = make ("secdtlsdec", NULL);
  GstElement *enc;
  gchar *fp_dec, *fp_enc;

  check_plugins ();
  /* the decoder first; the encoder joins; either keeps it alive */
  g_object_set (dec, "connection-id", "life", NULL);
  fp_dec = local_fingerprint (dec);
  enc = make ("secdtlsenc", NULL);
  g_object_set (enc, "connection-id", "life", NULL);
  fp_enc = local_fingerprint (enc);
  fail_unless_equals_string (fp_enc, fp_dec);
  g_free (fp_enc);
  gst_object_unref (dec);
  dec = make ("secdtlsdec", NULL);
  g_object_set (dec, "connection-id", "life", NULL);
  fp_enc = local_fingerprint (dec);
  fail_unless_equals_string (fp_enc, fp_dec);
  g_free (fp_enc);
  gst_object_unref (dec);
  gst_object_unref (enc);
  /* released by both: a new association, a new certificate */
  dec = make ("secdtlsdec", NULL);
  g_object_set (dec, "connection-id", "life", NULL);
  fp_enc = local_fingerprint (dec);
  fail_if (g_str_equal (fp_enc, fp_dec));
  g_free (fp_enc);
  g_free (fp_dec);
  gst_object_unref (dec);
}

GST_END_TEST;

/* --- the peer's identity after the handshake ----------------------------- */

/* The fingerprint of @pem's certificate with @md, in the SDP form. */
static gchar *
pem_fingerprint (const gchar * pem, const EVP_MD * md, const gchar * name)
{
  BIO *bio = BIO_new_mem_buf (pem, -1);
  X509 *x509 = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int len, i;
  GString *fp = g_string_new (name);

  fail_unless (x509 != NULL);
  X509_digest (x509, md, digest, &len);
  for (i = 0; i < len; i++)
    g_string_append_printf (fp, i ? ":%02X" : " %02X", digest[i]);
  X509_free (x509);
  BIO_free (bio);
  return g_string_free (fp, FALSE);
}

/* One RTP packet chained into side @from's secsrtpenc in this thread:
 * TRUE if it came out of the other side's secsrtpdec (the whole path
 * runs in this call, so the appsink has it on return or never). Media
 * must have flowed once (pair_check_rtp) for the sticky events. */
static gboolean
pair_rtp_passes (DtlsPair * p, gint from, guint16 seq)
{
  GstPad *sink = gst_element_get_static_pad (p->srtpenc[from], "rtp_sink_0");
  GstSample *sample;

  fail_unless (sink != NULL);
  gst_pad_chain (sink, sec_check_rtp_buffer_new (0x1000 + from, seq,
          160 * seq, 160));
  gst_object_unref (sink);
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (p->rtp_sink[1 - from]),
      0);
  if (sample == NULL)
    return FALSE;
  gst_sample_unref (sample);
  return TRUE;
}

static gchar *
peer_fingerprint_of (GstElement * e)
{
  gchar *fp = NULL;

  g_object_get (e, "peer-fingerprint", &fp, NULL);
  return fp;
}

static gchar *
verified_fingerprint_of (GstElement * e)
{
  GstStructure *stats = NULL;
  gchar *fp;

  g_object_get (e, "stats", &stats, NULL);
  fp = g_strdup (gst_structure_get_string (stats, "verified-peer-fingerprint"));
  gst_structure_free (stats);
  return fp;
}

/* Side 0, connected and verified as @verified, is told by signaling that
 * its peer is now @other: the association fails, naming both, and no
 * media passes in either direction any more. */
static void
assert_peer_change_fails (DtlsPair * p, const gchar * verified,
    const gchar * other)
{
  guint64 dropped = sec_check_stat (p->srtpenc[0], 0, "no-key-dropped");
  GstObject *src = NULL;
  gchar *debug = NULL, *fp;
  GError *error;

  g_object_set (p->dec[0], "peer-fingerprint", other, NULL);
  error = pair_wait_error (p, &src, &debug);
  fail_unless (src == GST_OBJECT (p->dec[0]));
  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_NOT_AUTHORIZED), "%s", error->message);
  fail_unless (strstr (debug, verified) != NULL, "%s", debug);
  fail_unless (strstr (debug, other) != NULL, "%s", debug);
  fail_unless (strstr (debug, "new handshake") != NULL, "%s", debug);
  fail_unless_equals_int (connection_state (p->dec[0]),
      GST_SEC_TEST_STATE_FAILED);
  fail_unless_equals_int (connection_state (p->enc[0]),
      GST_SEC_TEST_STATE_FAILED);
  /* the keys from the old peer are gone from both SRTP elements */
  fail_if (srtp_key_set (p->srtpenc[0]), "srtpenc0 still keyed");
  fail_if (srtp_key_set (p->srtpdec[0]), "srtpdec0 still keyed");
  fail_if (pair_rtp_passes (p, 0, 300), "RTP still protected");
  fail_unless_equals_int (sec_check_stat (p->srtpenc[0], 0, "no-key-dropped"),
      dropped + 1);
  fail_if (pair_rtp_passes (p, 1, 300), "RTP still accepted");
  /* the property reads what the next handshake will check; what was
   * verified stays in stats (and in dtls-connected) */
  fp = peer_fingerprint_of (p->enc[0]);
  fail_unless_equals_string (fp, other);
  g_free (fp);
  fp = verified_fingerprint_of (p->dec[0]);
  fail_unless_equals_string (fp, verified);
  g_free (fp);
  fail_unless_equals_string (gst_structure_get_string (p->connected[0],
          "peer-fingerprint"), verified);
  gst_object_unref (src);
  g_clear_error (&error);
  g_free (debug);
}

GST_START_TEST (test_peer_fingerprint_changed_after_connected)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  gchar *fp_pem, *pem = make_pem (FALSE, &fp_pem);
  gchar *lower, *sha384, *fp;
  gchar *other = unrelated_fingerprint ();
  gint i;

  check_plugins ();
  g_object_set (p->enc[1], "certificate", pem, NULL);
  pair_expect_each_other (p);
  pair_start (p);
  pair_wait_connected (p);
  pair_check_rtp (p, 0);
  pair_check_rtp (p, 1);
  fail_unless (pair_rtp_passes (p, 0, 200));
  fail_unless (pair_rtp_passes (p, 1, 200));

  /* the same fingerprint again, in lower case, or with another hash of
   * the same certificate: nothing happens */
  lower = g_ascii_strdown (fp_pem, -1);
  sha384 = pem_fingerprint (pem, EVP_sha384 (), "sha-384");
  g_object_set (p->dec[0], "peer-fingerprint", fp_pem, NULL);
  g_object_set (p->enc[0], "peer-fingerprint", lower, NULL);
  /* it reads back in the SDP form, upper-case hex */
  fp = peer_fingerprint_of (p->dec[0]);
  fail_unless_equals_string (fp, fp_pem);
  g_free (fp);
  g_object_set (p->dec[0], "peer-fingerprint", sha384, NULL);
  assert_no_error_posted (p);
  fail_unless_equals_int (connection_state (p->dec[0]),
      GST_SEC_TEST_STATE_CONNECTED);
  fail_unless (srtp_key_set (p->srtpenc[0]));
  fail_unless (pair_rtp_passes (p, 0, 201));
  fail_unless (pair_rtp_passes (p, 1, 201));

  /* another peer: the association ends */
  assert_peer_change_fails (p, fp_pem, other);

  /* side 1 heard close_notify: its association is closed, its keys are
   * still in place; restarting its DTLS elements (a new association)
   * takes them back at once */
  wait_state (p->dec[1], GST_SEC_TEST_STATE_CLOSED);
  fail_unless (srtp_key_set (p->srtpenc[1]));
  for (i = 1; i >= 0; i--) {
    fail_unless_equals_int (gst_element_set_state (p->enc[i],
            GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
    fail_unless_equals_int (gst_element_set_state (p->dec[i],
            GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
    fail_unless (gst_element_set_state (p->dec[i], GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    fail_unless (gst_element_set_state (p->enc[i], GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    fail_if (srtp_key_set (p->srtpenc[i]), "srtpenc%d keyed", i);
    fail_if (srtp_key_set (p->srtpdec[i]), "srtpdec%d keyed", i);
  }
  /* the new association checks the new value, which the old peer does
   * not match */
  for (;;) {
    gchar *debug = NULL;
    GstObject *src = NULL;
    GError *error = pair_wait_error (p, &src, &debug);
    gboolean ours = src == GST_OBJECT (p->dec[0]);

    if (ours) {
      fail_unless (strstr (debug, "does not match") != NULL, "%s", debug);
      fail_unless (strstr (debug, other) != NULL, "%s", debug);
    }
    g_clear_error (&error);
    g_free (debug);
    gst_object_unref (src);
    if (ours)
      break;
  }
  assert_no_keys (p);
  pair_free (p);
  g_free (lower);
  g_free (sha384);
  g_free (other);
  g_free (pem);
  g_free (fp_pem);
}

GST_END_TEST;

/* A peer accepted by the application (no fingerprint at first): a
 * fingerprint of that certificate learnt later confirms it, another one
 * ends the association. */
GST_START_TEST (test_peer_fingerprint_after_accepted_certificate)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  gboolean answer = TRUE;
  gchar *accepted, *fp, *other = unrelated_fingerprint ();

  check_plugins ();
  fp = local_fingerprint (p->enc[0]);
  g_object_set (p->dec[1], "peer-fingerprint", fp, NULL);
  g_free (fp);
  g_signal_connect (p->dec[0], "accept-certificate", G_CALLBACK (accept_cb),
      &answer);
  pair_start (p);
  pair_wait_connected (p);
  accepted = local_fingerprint (p->enc[1]);
  pair_check_rtp (p, 0);
  pair_check_rtp (p, 1);

  g_object_set (p->dec[0], "peer-fingerprint", accepted, NULL);
  assert_no_error_posted (p);
  fail_unless_equals_int (connection_state (p->dec[0]),
      GST_SEC_TEST_STATE_CONNECTED);
  fail_unless (pair_rtp_passes (p, 0, 200));

  assert_peer_change_fails (p, accepted, other);
  pair_free (p);
  g_free (accepted);
  g_free (other);
}

GST_END_TEST;

static gboolean
accept_but_expect (GstElement * dec, const gchar * pem, gpointer user_data)
{
  (void) pem;
  /* the handler learns the fingerprint from signaling after all */
  g_object_set (dec, "peer-fingerprint", user_data, NULL);
  return TRUE;
}

/* An accept-certificate handler that sets peer-fingerprint: the
 * certificate is accepted only if it matches what the handler set. */
GST_START_TEST (test_peer_fingerprint_set_inside_accept_certificate)
{
  gint wrong;

  check_plugins ();
  for (wrong = 0; wrong < 2; wrong++) {
    DtlsPair *p = pair_new (FALSE, FALSE);
    gchar *fp = local_fingerprint (p->enc[0]);
    gchar *expect = wrong ? unrelated_fingerprint () :
        local_fingerprint (p->enc[1]);

    g_object_set (p->dec[1], "peer-fingerprint", fp, NULL);
    g_free (fp);
    g_signal_connect (p->dec[0], "accept-certificate",
        G_CALLBACK (accept_but_expect), expect);
    pair_start (p);
    if (wrong) {
      gchar *debug = NULL;
      GstObject *src = NULL;
      GError *error = pair_wait_error (p, &src, &debug);

      /* side 1 may report the alert it got first */
      while (side_of (p, src) != 0) {
        g_clear_error (&error);
        g_free (debug);
        gst_object_unref (src);
        error = pair_wait_error (p, &src, &debug);
      }
      gst_object_unref (src);
      fail_unless (strstr (debug, "does not match") != NULL, "%s", debug);
      fail_unless (strstr (debug, expect) != NULL, "%s", debug);
      fail_unless_equals_int (connection_state (p->dec[0]),
          GST_SEC_TEST_STATE_FAILED);
      assert_no_keys (p);
      g_clear_error (&error);
      g_free (debug);
    } else {
      pair_wait_connected (p);
      fp = peer_fingerprint_of (p->dec[0]);
      fail_unless_equals_string (fp, expect);
      g_free (fp);
      pair_check_rtp (p, 0);
    }
    pair_free (p);
    g_free (expect);
  }
}

GST_END_TEST;

/* --- what may change while the element runs ------------------------------ */

/* The next WARNING message from @src within 10 s (other messages, and
 * warnings from other elements, such as a server that heard nothing for
 * a while, are skipped); its debug string is returned. */
static gchar *
wait_warning (GstBus * bus, GstElement * src)
{
  for (;;) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, WAIT,
        GST_MESSAGE_WARNING | GST_MESSAGE_ERROR);
    GError *error = NULL;
    gchar *debug = NULL;

    fail_unless (msg != NULL, "no warning within 10 s");
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      gst_message_parse_error (msg, &error, &debug);
      fail ("error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (msg),
          error->message, debug);
    }
    gst_message_parse_warning (msg, &error, &debug);
    if (GST_MESSAGE_SRC (msg) != GST_OBJECT (src)) {
      GST_INFO ("skipping a warning from %s: %s", GST_MESSAGE_SRC_NAME (msg),
          debug);
      g_clear_error (&error);
      g_free (debug);
      gst_message_unref (msg);
      continue;
    }
    fail_unless (g_error_matches (error, GST_RESOURCE_ERROR,
            GST_RESOURCE_ERROR_SETTINGS), "%s", error->message);
    g_clear_error (&error);
    gst_message_unref (msg);
    return debug;
  }
}

static gchar *
string_property (GstElement * e, const gchar * name)
{
  gchar *value = NULL;

  g_object_get (e, name, &value, NULL);
  return value;
}

/* connection-id changes only in NULL/READY: while the pair plays (here
 * before the handshake, both waiting as servers), a change is refused
 * with a warning and the element stays in its association. */
GST_START_TEST (test_connection_id_refused_while_playing)
{
  DtlsPair *p = pair_new (FALSE, TRUE);
  gchar *id, *debug, *fp_before, *fp;

  check_plugins ();
  pair_expect_each_other (p);
  g_object_set (p->enc[0], "is-client", FALSE, NULL);
  id = string_property (p->enc[0], "connection-id");
  fp_before = local_fingerprint (p->enc[0]);
  pair_start (p);
  fail_unless_equals_int (gst_element_get_state (p->pipeline, NULL, NULL,
          WAIT), GST_STATE_CHANGE_SUCCESS);

  g_object_set (p->enc[0], "connection-id", "somewhere-else", NULL);
  debug = wait_warning (p->bus, p->enc[0]);
  fail_unless (strstr (debug, "connection-id") != NULL, "%s", debug);
  fail_unless (strstr (debug, "PLAYING") != NULL, "%s", debug);
  g_free (debug);
  fp = string_property (p->enc[0], "connection-id");
  fail_unless_equals_string (fp, id);
  g_free (fp);
  fp = local_fingerprint (p->enc[0]);
  fail_unless_equals_string (fp, fp_before);
  g_free (fp);

  /* the association is intact: the handshake and data work */
  g_object_set (p->dec[0], "is-client", TRUE, NULL);
  push_text (p->data_src[0], "still here");
  pair_wait_connected (p);
  pull_text (p->data_sink[1], "still here");
  pair_check_rtp (p, 0);
  pair_check_rtp (p, 1);
  g_free (id);
  g_free (fp_before);
  pair_free (p);
}

GST_END_TEST;

/* The other association settings that only apply to a handshake yet to
 * come are refused the same way while the element plays; is-client and
 * peer-fingerprint stay changeable. */
GST_START_TEST (test_settings_refused_while_playing)
{
  static const gchar *names[] = { "srtp-profiles", "srtp-encoder",
    "srtp-decoder"
  };
  DtlsPair *p = pair_new (FALSE, FALSE);
  gchar *fp_pem, *pem = make_pem (FALSE, &fp_pem);
  gchar *before, *after, *debug;
  guint timeout = 0;
  guint i;

  check_plugins ();
  pair_expect_each_other (p);
  pair_start (p);
  pair_wait_connected (p);

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    before = string_property (p->dec[0], names[i]);
    g_object_set (p->dec[0], names[i], "aes128-cm-sha1-32", NULL);
    debug = wait_warning (p->bus, p->dec[0]);
    fail_unless (strstr (debug, names[i]) != NULL, "%s", debug);
    g_free (debug);
    after = string_property (p->enc[0], names[i]);
    fail_unless_equals_string (after, before);
    g_free (before);
    g_free (after);
  }
  g_object_set (p->enc[0], "handshake-timeout", 100, NULL);
  debug = wait_warning (p->bus, p->enc[0]);
  g_free (debug);
  g_object_get (p->enc[0], "handshake-timeout", &timeout, NULL);
  fail_unless_equals_int (timeout, 20000);

  before = local_fingerprint (p->enc[0]);
  g_object_set (p->enc[0], "certificate", pem, NULL);
  debug = wait_warning (p->bus, p->enc[0]);
  fail_unless (strstr (debug, "certificate") != NULL, "%s", debug);
  fail_unless (strstr (debug, "PRIVATE") == NULL, "%s", debug);
  g_free (debug);
  after = local_fingerprint (p->enc[0]);
  fail_unless_equals_string (after, before);
  g_free (before);
  g_free (after);

  /* nothing of that reached the association */
  fail_unless_equals_int (connection_state (p->dec[0]),
      GST_SEC_TEST_STATE_CONNECTED);
  pair_check_rtp (p, 0);
  pair_check_rtp (p, 1);
  pair_free (p);
  g_free (pem);
  g_free (fp_pem);
}

GST_END_TEST;

/* --- what a new user gets wrong (issue 9) ------------------------------- */

/* The next message of @type from @src whose debug string contains
 * @needle (NULL: any), within 10 s; other messages are skipped, and
 * listed in the failure message if none matches. Returns the GError and
 * the debug string in @debug. */
static GError *
wait_message_from (GstBus * bus, GstMessageType type, GstElement * src,
    const gchar * needle, gchar ** debug)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GString *skipped = g_string_new (NULL);

  for (;;) {
    gint64 left = end - g_get_monotonic_time ();
    GstMessage *msg = left > 0 ? gst_bus_timed_pop_filtered (bus,
        left * GST_USECOND, GST_MESSAGE_WARNING | GST_MESSAGE_ERROR) : NULL;
    GError *error = NULL;
    gchar *text = NULL;

    fail_unless (msg != NULL, "no %s from %s with '%s' within 10 s; seen:%s",
        type == GST_MESSAGE_ERROR ? "ERROR" : "WARNING",
        GST_ELEMENT_NAME (src), GST_STR_NULL (needle),
        skipped->len ? skipped->str : " nothing");
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
      gst_message_parse_error (msg, &error, &text);
    else
      gst_message_parse_warning (msg, &error, &text);
    if (GST_MESSAGE_TYPE (msg) == type && GST_MESSAGE_SRC (msg) ==
        GST_OBJECT (src) && (needle == NULL || strstr (text, needle))) {
      gst_message_unref (msg);
      g_string_free (skipped, TRUE);
      *debug = text;
      return error;
    }
    g_string_append_printf (skipped, "\n  %s from %s: %s (%s)",
        GST_MESSAGE_TYPE_NAME (msg), GST_MESSAGE_SRC_NAME (msg),
        error->message, text);
    g_clear_error (&error);
    g_free (text);
    gst_message_unref (msg);
  }
}

/* One message of @type (WARNING or ERROR) from each of @a and @b with
 * @needle in its debug string, in any order (10 s at most); the debug
 * strings are returned. */
static void
wait_from_both (GstBus * bus, GstMessageType type, GstElement * a,
    GstElement * b, const gchar * needle, GError * errors[2],
    gchar * debug[2])
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GString *skipped = g_string_new (NULL);

  errors[0] = errors[1] = NULL;
  while (errors[0] == NULL || errors[1] == NULL) {
    gint64 left = end - g_get_monotonic_time ();
    GstMessage *msg = left > 0 ? gst_bus_timed_pop_filtered (bus,
        left * GST_USECOND, GST_MESSAGE_WARNING | GST_MESSAGE_ERROR) : NULL;
    GError *error = NULL;
    gchar *text = NULL;
    gint i = -1;

    fail_unless (msg != NULL, "no %s from %s and %s with '%s' within "
        "10 s; seen:%s", type == GST_MESSAGE_ERROR ? "ERROR" : "WARNING",
        GST_ELEMENT_NAME (a), GST_ELEMENT_NAME (b), needle,
        skipped->len ? skipped->str : " nothing");
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
      gst_message_parse_error (msg, &error, &text);
    else
      gst_message_parse_warning (msg, &error, &text);
    if (GST_MESSAGE_TYPE (msg) == type && strstr (text, needle))
      i = GST_MESSAGE_SRC (msg) == GST_OBJECT (a) ? 0 :
          GST_MESSAGE_SRC (msg) == GST_OBJECT (b) ? 1 : -1;
    if (i >= 0 && errors[i] == NULL) {
      errors[i] = error;
      debug[i] = text;
    } else {
      g_string_append_printf (skipped, "\n  %s from %s: %s (%s)",
          GST_MESSAGE_TYPE_NAME (msg), GST_MESSAGE_SRC_NAME (msg),
          error->message, text);
      g_clear_error (&error);
      g_free (text);
    }
    gst_message_unref (msg);
  }
  g_string_free (skipped, TRUE);
}

static void
assert_contains (const gchar * text, const gchar * needle)
{
  fail_unless (strstr (text, needle) != NULL, "'%s' not in: %s", needle,
      text);
}

/* No peer-fingerprint and no accept-certificate handler: a warning at
 * start says what will happen and how to avoid it; the handshake then
 * fails with an error that says no peer-fingerprint was set, gives the
 * peer's fingerprint to compare, and says what to set. The peer, refused,
 * hears which certificate of its own was refused. */
GST_START_TEST (test_no_fingerprint_says_what_to_do)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  gchar *fp0 = local_fingerprint (p->enc[0]);
  gchar *fp1 = local_fingerprint (p->enc[1]);
  gchar *debug = NULL, *debugs[2];
  GError *error, *errors[2];
  gint i;

  check_plugins ();
  /* only the server (side 1) knows whom to expect */
  g_object_set (p->dec[1], "peer-fingerprint", fp0, NULL);
  pair_start (p);

  error = wait_message_from (p->bus, GST_MESSAGE_WARNING, p->dec[0], NULL,
      &debug);
  GST_INFO ("warning: %s (%s)", error->message, debug);
  assert_contains (error->message, "peer-fingerprint");
  assert_contains (debug, "no peer-fingerprint");
  assert_contains (debug, "accept-certificate");
  assert_contains (debug, "before the peer's certificate arrives");
  /* what the peer must expect, for the user to pass on */
  assert_contains (debug, fp0);
  g_clear_error (&error);
  g_free (debug);

  /* the refusing side (0) and the refused one (1), in either order */
  wait_from_both (p->bus, GST_MESSAGE_ERROR, p->dec[0], p->dec[1], "",
      errors, debugs);
  GST_INFO ("error: %s (%s)", errors[0]->message, debugs[0]);
  fail_unless (g_error_matches (errors[0], GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_NOT_AUTHORIZED), "%s", errors[0]->message);
  assert_contains (errors[0]->message, "peer-fingerprint");
  assert_contains (debugs[0], "no peer-fingerprint was set");
  assert_contains (debugs[0], fp1);
  assert_contains (debugs[0], "local-fingerprint");
  assert_contains (debugs[0], "set peer-fingerprint");
  assert_contains (debugs[0], "accept-certificate");
  fail_if (strstr (debugs[0], "application rejected") != NULL, "%s",
      debugs[0]);
  /* the refused side: its own certificate was refused */
  GST_INFO ("peer's error: %s (%s)", errors[1]->message, debugs[1]);
  assert_contains (debugs[1], "fatal alert: bad certificate");
  assert_contains (debugs[1], fp1);
  assert_contains (debugs[1], "peer-fingerprint");
  for (i = 0; i < 2; i++) {
    g_clear_error (&errors[i]);
    g_free (debugs[i]);
  }
  assert_no_keys (p);
  g_free (fp0);
  g_free (fp1);
  pair_free (p);
}

GST_END_TEST;

/* The warning at start is not an error: an application that learns the
 * fingerprints (and the role) after starting connects. */
GST_START_TEST (test_fingerprint_set_after_start)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  GError *errors[2];
  gchar *debug[2];
  gint i;

  check_plugins ();
  /* two servers: nothing is sent until a role is decided */
  g_object_set (p->enc[0], "is-client", FALSE, NULL);
  pair_start (p);
  wait_from_both (p->bus, GST_MESSAGE_WARNING, p->dec[0], p->dec[1],
      "no peer-fingerprint", errors, debug);
  for (i = 0; i < 2; i++) {
    g_clear_error (&errors[i]);
    g_free (debug[i]);
  }
  pair_expect_each_other (p);
  g_object_set (p->dec[0], "is-client", TRUE, NULL);
  pair_wait_connected (p);
  pair_check_rtp (p, 0);
  pair_check_rtp (p, 1);
  pair_free (p);
}

GST_END_TEST;

/* is-client=true forgotten on both sides: each server warns after a few
 * seconds of silence (not after the 20 s handshake timeout), naming the
 * role and the network path; choosing a client then still connects. */
GST_START_TEST (test_two_servers_warned)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  GError *errors[2];
  gchar *debug[2];
  gint64 start;
  gint i;

  check_plugins ();
  pair_expect_each_other (p);
  g_object_set (p->enc[0], "is-client", FALSE, NULL);
  start = g_get_monotonic_time ();
  pair_start (p);
  wait_from_both (p->bus, GST_MESSAGE_WARNING, p->dec[0], p->dec[1],
      "ClientHello", errors, debug);
  for (i = 0; i < 2; i++) {
    GST_INFO ("warning: %s (%s)", errors[i]->message, debug[i]);
    fail_unless (g_error_matches (errors[i], GST_RESOURCE_ERROR,
            GST_RESOURCE_ERROR_SETTINGS), "%s", errors[i]->message);
    assert_contains (errors[i]->message, "client");
    assert_contains (debug[i], "is-client=true");
    assert_contains (debug[i], "network path");
    g_clear_error (&errors[i]);
    g_free (debug[i]);
  }
  /* 3 s of silence, documented; well before the handshake timeout */
  fail_unless (g_get_monotonic_time () - start >= 3 * G_USEC_PER_SEC - 1000);
  g_object_set (p->dec[0], "is-client", TRUE, NULL);
  pair_wait_connected (p);
  pair_free (p);
}

GST_END_TEST;

/* The final timeout names the likely causes from what was seen. */
GST_START_TEST (test_timeout_names_causes)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  GstElement *pipeline, *enc;
  GstBus *bus;
  GError *err = NULL, *error;
  gchar *debug = NULL;
  gint i;

  check_plugins ();
  /* two servers: no ClientHello ever */
  pair_expect_each_other (p);
  for (i = 0; i < 2; i++)
    g_object_set (p->enc[i], "is-client", FALSE, "handshake-timeout", 500,
        NULL);
  pair_start (p);
  error = wait_message_from (p->bus, GST_MESSAGE_ERROR, p->enc[0],
      NULL, &debug);
  GST_INFO ("servers: %s (%s)", error->message, debug);
  assert_contains (debug, "within 500 ms");
  assert_contains (debug, "no ClientHello");
  assert_contains (debug, "is-client=true");
  assert_contains (debug, "network path");
  g_clear_error (&error);
  g_free (debug);
  pair_free (p);

  /* a client nobody answers */
  pipeline = gst_parse_launch ("secdtlsenc name=enc connection-id=alone "
      "is-client=true handshake-timeout=500 ! fakesink async=false "
      "appsrc ! secdtlsdec connection-id=alone "
      "peer-fingerprint=\"sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:"
      "EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\" "
      "! fakesink async=false", &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  bus = gst_element_get_bus (pipeline);
  enc = gst_bin_get_by_name (GST_BIN (pipeline), "enc");
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  error = wait_message_from (bus, GST_MESSAGE_ERROR, enc, NULL, &debug);
  GST_INFO ("client: %s (%s)", error->message, debug);
  assert_contains (debug, "within 500 ms");
  assert_contains (debug, "no answer");
  assert_contains (debug, "network path");
  g_clear_error (&error);
  g_free (debug);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (enc);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* connection-id left out: an encoder and a decoder in one bin each have
 * a private association; a warning at start names both. */
GST_START_TEST (test_missing_connection_id_warned)
{
  GError *err = NULL, *error;
  GstElement *pipeline, *dec;
  gchar *debug = NULL;
  GstBus *bus;

  check_plugins ();
  pipeline = gst_parse_launch ("secdtlsenc name=my-enc is-client=true "
      "! fakesink async=false appsrc ! secdtlsdec name=my-dec "
      "! fakesink async=false", &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  bus = gst_element_get_bus (pipeline);
  dec = gst_bin_get_by_name (GST_BIN (pipeline), "my-dec");
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  error = wait_message_from (bus, GST_MESSAGE_WARNING, dec, "my-enc",
      &debug);
  GST_INFO ("warning: %s (%s)", error->message, debug);
  assert_contains (error->message, "connection-id");
  assert_contains (debug, "my-dec");
  assert_contains (debug, "same connection-id");
  g_clear_error (&error);
  g_free (debug);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (dec);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* secdtlsenc and secdtlsdec swapped: the peer's DTLS records arrive on
 * secdtlsenc's application-data pad; it says so. */
GST_START_TEST (test_swapped_elements_warned)
{
  GstBus *bus = gst_bus_new ();
  GstElement *pipeline, *enc, *src;
  GError *err = NULL, *error;
  GstBuffer *hello;
  gchar *debug = NULL;
  Side c;

  check_plugins ();
  side_init (&c, "swap-client", TRUE, bus);
  hello = gst_harness_pull (c.h_enc);
  fail_unless (hello != NULL);

  pipeline = gst_parse_launch ("appsrc name=net format=time "
      "! secdtlsenc name=swapped connection-id=swap-server "
      "! fakesink async=false", &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  enc = gst_bin_get_by_name (GST_BIN (pipeline), "swapped");
  src = gst_bin_get_by_name (GST_BIN (pipeline), "net");
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (src), hello),
      GST_FLOW_OK);
  gst_object_unref (bus);
  bus = gst_element_get_bus (pipeline);
  error = wait_message_from (bus, GST_MESSAGE_WARNING, enc, NULL, &debug);
  GST_INFO ("warning: %s (%s)", error->message, debug);
  assert_contains (error->message, "swapped");
  assert_contains (debug, "secdtlsdec");
  assert_contains (debug, "network");
  g_clear_error (&error);
  g_free (debug);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  side_clear (&c);
  gst_object_unref (src);
  gst_object_unref (enc);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Both sides is-client=true: each gets the other's ClientHello and says
 * that both are clients and one must set is-client=false. */
GST_START_TEST (test_two_clients_error)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  GError *errors[2];
  gchar *debug[2];
  gint i;

  check_plugins ();
  pair_expect_each_other (p);
  g_object_set (p->enc[1], "is-client", TRUE, NULL);
  pair_start (p);
  wait_from_both (p->bus, GST_MESSAGE_ERROR, p->dec[0], p->dec[1], "",
      errors, debug);
  for (i = 0; i < 2; i++) {
    GST_INFO ("side %d: %s (%s)", i, errors[i]->message, debug[i]);
    assert_contains (errors[i]->message, "Both sides are DTLS clients");
    assert_contains (errors[i]->message, "is-client=false");
    assert_contains (debug[i], "ClientHello");
    assert_contains (debug[i], "is-client=false");
    g_clear_error (&errors[i]);
    g_free (debug[i]);
  }
  assert_no_keys (p);
  pair_free (p);
}

GST_END_TEST;

/* A bad setting on secdtlsdec is reported from secdtlsdec, whichever
 * element of the pair starts first (gst-launch sets properties before
 * the elements have a bus). */
GST_START_TEST (test_settings_error_from_element_where_set)
{
  static const gchar *settings[][2] = {
    {"peer-fingerprint=\"sha-256 00:11\"", "peer-fingerprint"},
    {"srtp-profiles=aes128-cm-sha1-81", "srtp-profiles"},
    {"certificate=\"-----BEGIN CERTIFICATE-----\"", "certificate"},
  };
  guint k;

  check_plugins ();
  /* each setting with either element first in the description (the bin
   * starts them in an order that depends on it) */
  for (k = 0; k < 2 * G_N_ELEMENTS (settings); k++) {
    GError *err = NULL;
    gchar *enc = g_strdup_printf ("secdtlsenc name=e connection-id=where%u "
        "is-client=true ! fakesink async=false", k);
    gchar *dec = g_strdup_printf ("appsrc ! secdtlsdec name=d "
        "connection-id=where%u %s ! fakesink async=false", k,
        settings[k / 2][0]);
    gchar *desc = k % 2 ? g_strconcat (dec, " ", enc, NULL) :
        g_strconcat (enc, " ", dec, NULL);
    GstElement *pipeline = gst_parse_launch (desc, &err);
    GstBus *bus;
    GstMessage *msg;
    guint errors = 0;

    fail_unless (pipeline != NULL, "%s", err ? err->message : "");
    bus = gst_element_get_bus (pipeline);
    fail_unless_equals_int (gst_element_set_state (pipeline,
            GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
    while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR))) {
      GError *error = NULL;
      gchar *debug = NULL;

      gst_message_parse_error (msg, &error, &debug);
      GST_INFO ("%s: %s (%s)", GST_MESSAGE_SRC_NAME (msg), error->message,
          debug);
      fail_unless_equals_string (GST_MESSAGE_SRC_NAME (msg), "d");
      assert_contains (debug, settings[k / 2][1]);
      errors++;
      g_clear_error (&error);
      g_free (debug);
      gst_message_unref (msg);
    }
    fail_unless (errors >= 1);
    gst_element_set_state (pipeline, GST_STATE_NULL);
    gst_object_unref (bus);
    gst_object_unref (pipeline);
    g_free (desc);
    g_free (enc);
    g_free (dec);
  }
}

GST_END_TEST;

static gchar *
openssl_form (const gchar * fingerprint, const gchar * name)
{
  fail_unless (g_str_has_prefix (fingerprint, "sha-256 "));
  return g_strdup_printf ("%s Fingerprint=%s", name, fingerprint + 8);
}

/* What `openssl x509 -noout -fingerprint -sha256` prints works as
 * peer-fingerprint (OpenSSL 3 writes "sha256", 1.1 "SHA256"), and reads
 * back in the SDP form; a near miss says what was meant. */
GST_START_TEST (test_fingerprint_openssl_form)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  gchar *fp0 = local_fingerprint (p->enc[0]);
  gchar *fp1 = local_fingerprint (p->enc[1]);
  gchar *form0 = openssl_form (fp0, "SHA256");
  gchar *form1 = openssl_form (fp1, "sha256");
  gchar *fp, *debug = NULL, *near;
  GError *error;

  check_plugins ();
  g_object_set (p->dec[0], "peer-fingerprint", form1, NULL);
  g_object_set (p->dec[1], "peer-fingerprint", form0, NULL);
  fp = peer_fingerprint_of (p->enc[0]);
  fail_unless_equals_string (fp, fp1);
  g_free (fp);
  pair_start (p);
  pair_wait_connected (p);
  fail_unless_equals_string (gst_structure_get_string (p->connected[0],
          "peer-fingerprint"), fp1);
  pair_free (p);

  /* a near miss */
  p = pair_new (FALSE, FALSE);
  near = g_strdup_printf ("sha_256 %s", fp1 + 8);
  g_object_set (p->dec[0], "peer-fingerprint", near, NULL);
  error = wait_message_from (p->bus, GST_MESSAGE_ERROR, p->dec[0], NULL,
      &debug);
  GST_INFO ("near miss: %s (%s)", error->message, debug);
  assert_contains (debug, "did you mean sha-256");
  g_clear_error (&error);
  g_free (debug);
  pair_free (p);
  g_free (near);
  g_free (form0);
  g_free (form1);
  g_free (fp0);
  g_free (fp1);
}

GST_END_TEST;

/* A misspelled srtp-decoder/srtp-encoder, or one naming an element of
 * the wrong kind, fails the start with a clear error from the element it
 * was set on (not an error after the handshake). */
GST_START_TEST (test_srtp_element_names_checked_at_start)
{
  static const gchar *cases[][4] = {
    /* property, value, element index (0 dec, 1 enc), expected text */
    {"srtp-decoder", "srtpdec-typo", "0", "no element named 'srtpdec-typo'"},
    {"srtp-encoder", "srtpdec0", "1", "not a secsrtpenc"},
  };
  guint k;

  check_plugins ();
  for (k = 0; k < G_N_ELEMENTS (cases); k++) {
    DtlsPair *p = pair_new (FALSE, FALSE);
    GstElement *e = cases[k][2][0] == '0' ? p->dec[0] : p->enc[0];
    gchar *debug = NULL;
    GError *error;

    pair_expect_each_other (p);
    g_object_set (e, cases[k][0], cases[k][1], NULL);
    fail_unless_equals_int (gst_element_set_state (p->pipeline,
            GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
    error = wait_message_from (p->bus, GST_MESSAGE_ERROR, e, NULL, &debug);
    GST_INFO ("%s=%s: %s (%s)", cases[k][0], cases[k][1], error->message,
        debug);
    assert_contains (error->message, cases[k][0]);
    assert_contains (debug, cases[k][3]);
    assert_contains (debug, cases[k][1]);
    g_clear_error (&error);
    g_free (debug);
    assert_no_keys (p);
    pair_free (p);
  }
}

GST_END_TEST;

/* secdtlsenc has the same association stats as secdtlsdec. */
GST_START_TEST (test_encoder_stats)
{
  DtlsPair *p = pair_new (FALSE, FALSE);
  GstStructure *enc_stats = NULL, *dec_stats = NULL;
  gchar *fp1;

  check_plugins ();
  pair_expect_each_other (p);
  pair_start (p);
  pair_wait_connected (p);
  fp1 = local_fingerprint (p->enc[1]);
  g_object_get (p->enc[0], "stats", &enc_stats, NULL);
  g_object_get (p->dec[0], "stats", &dec_stats, NULL);
  fail_unless (enc_stats != NULL);
  fail_unless (gst_structure_is_equal (enc_stats, dec_stats),
      "%" GST_PTR_FORMAT " != %" GST_PTR_FORMAT, enc_stats, dec_stats);
  fail_unless_equals_string (gst_structure_get_string (enc_stats,
          "verified-peer-fingerprint"), fp1);
  fail_unless (sec_check_stat (p->enc[0], 0, "datagrams-sent") >= 2);
  gst_structure_free (enc_stats);
  gst_structure_free (dec_stats);
  g_free (fp1);
  pair_free (p);
}

GST_END_TEST;

static Suite *
secdtls_suite (void)
{
  Suite *s = suite_create ("secdtls");
  TCase *tc;

  sec_test_drop_register ();
  /* the tests use OpenSSL themselves (make_pem) before the plugin is
   * loaded: initialise it here, in the parent, without the atexit
   * cleanup that would race with GStreamer's exit handler in each test
   * process (see gstsecdtls.c) */
  OPENSSL_init_crypto (OPENSSL_INIT_NO_ATEXIT, NULL);

  tc = tcase_create ("handshake");
  tcase_add_test (tc, test_handshake_roles_and_profiles);
  tcase_add_test (tc, test_lost_flights);
  tcase_add_test (tc, test_no_thread_per_association);
  tcase_add_test (tc, test_state_notify);
  tcase_add_test (tc, test_role_set_late);
  tcase_add_test (tc, test_garbage_before_client_starts);
  suite_add_tcase (s, tc);

  tc = tcase_create ("fail-closed");
  tcase_add_test (tc, test_wrong_fingerprint);
  tcase_add_test (tc, test_missing_fingerprint_no_handler);
  tcase_add_test (tc, test_accept_certificate);
  tcase_add_test (tc, test_weak_fingerprint_refused);
  tcase_add_test (tc, test_no_common_srtp_profile);
  tcase_add_test (tc, test_garbage);
  tcase_add_test (tc, test_third_party);
  tcase_add_test (tc, test_silent_peer_times_out);
  suite_add_tcase (s, tc);

  tc = tcase_create ("connected");
  tcase_add_test (tc, test_app_data_and_close_notify);
  tcase_add_test (tc, test_close_notify_ends_app_stream);
  tcase_add_test (tc, test_close_notify_without_data_ends_app_stream);
  suite_add_tcase (s, tc);

  tc = tcase_create ("certificates");
  tcase_add_test (tc, test_certificates);
  tcase_add_test (tc, test_certificate_group);
  tcase_add_test (tc, test_bad_certificates);
  tcase_add_test (tc, test_association_lifetime);
  tcase_add_test (tc, test_private_key_never_logged);
  suite_add_tcase (s, tc);

  tc = tcase_create ("peer-identity");
  tcase_add_test (tc, test_peer_fingerprint_changed_after_connected);
  tcase_add_test (tc, test_peer_fingerprint_after_accepted_certificate);
  tcase_add_test (tc, test_peer_fingerprint_set_inside_accept_certificate);
  suite_add_tcase (s, tc);

  tc = tcase_create ("mutability");
  tcase_add_test (tc, test_connection_id_refused_while_playing);
  tcase_add_test (tc, test_settings_refused_while_playing);
  suite_add_tcase (s, tc);

  tc = tcase_create ("user-mistakes");
  tcase_add_test (tc, test_no_fingerprint_says_what_to_do);
  tcase_add_test (tc, test_fingerprint_set_after_start);
  tcase_add_test (tc, test_two_servers_warned);
  tcase_add_test (tc, test_timeout_names_causes);
  tcase_add_test (tc, test_missing_connection_id_warned);
  tcase_add_test (tc, test_swapped_elements_warned);
  tcase_add_test (tc, test_two_clients_error);
  tcase_add_test (tc, test_settings_error_from_element_where_set);
  tcase_add_test (tc, test_fingerprint_openssl_form);
  tcase_add_test (tc, test_srtp_element_names_checked_at_start);
  tcase_add_test (tc, test_encoder_stats);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (secdtls);
