/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The browser demo (./run demo --browser [--headless]): one page served
 * over HTTPS publishes the browser's camera and microphone to a
 * secwhipserversrc of this program (WHIP) and plays the program's test
 * pattern back through the WHEP endpoint of tests/examples/whependpoint.c;
 * a token made for this run travels in the page URL's fragment, which the
 * browser never sends to a server. The page shows what was negotiated
 * and the short authentication strings of both calls; the program prints
 * its side, so that a person compares the words.
 *
 * Without --headless it prints the URL for a person's browser (accept the
 * self-signed certificate once) and runs until Ctrl-C. With --headless it
 * starts Debian's headless Chromium as the person, in a network namespace
 * of its own where only loopback exists, prints both sides' results and
 * exits 0 when video went both ways over verified calls.
 *
 * The certificate is made on the first run and kept (mode 600) in
 * $XDG_CONFIG_HOME/gst-secwebrtc/browser-demo.pem, or given with --cert
 * (PEM, certificate and key).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <libsoup/soup.h>

#include "whependpoint.h"
#include "whipauth.h"
#include "whipcert.h"

#define MIN_FRAMES 10

typedef struct
{
  GMainLoop *loop;
  gchar *token;
  gchar *origin;
  GstElement *pipeline;
  GstElement *whip;
  SecWhepEndpoint *whep;
  gint video_frames;            /* atomic: the browser's camera, decoded */
  gchar *result;                /* the page's report */
  GPid chromium;
  gint status;
} Demo;

static const gchar *const senders[] = {
  "videotestsrc is-live=true pattern=smpte ! video/x-raw,width=320,"
      "height=240,framerate=30/1 ! vp8enc deadline=1 ! rtpvp8pay",
  "audiotestsrc is-live=true wave=ticks ! opusenc ! rtpopuspay",
  NULL
};

/* --- a private network namespace for headless Chromium ------------------ */

static gboolean
enter_private_netns (GError ** error)
{
  struct ifreq ifr = { 0 };
  int fd;

  if (unshare (CLONE_NEWNET) != 0) {
    uid_t uid = getuid ();
    gid_t gid = getgid ();
    gchar *map;

    if (unshare (CLONE_NEWUSER | CLONE_NEWNET) != 0) {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
          "unshare: %s", g_strerror (errno));
      return FALSE;
    }
    g_file_set_contents ("/proc/self/setgroups", "deny", -1, NULL);
    map = g_strdup_printf ("%u %u 1", uid, uid);
    g_file_set_contents ("/proc/self/uid_map", map, -1, NULL);
    g_free (map);
    map = g_strdup_printf ("%u %u 1", gid, gid);
    g_file_set_contents ("/proc/self/gid_map", map, -1, NULL);
    g_free (map);
  }
  fd = socket (AF_INET, SOCK_DGRAM, 0);
  g_strlcpy (ifr.ifr_name, "lo", IFNAMSIZ);
  if (fd < 0 || ioctl (fd, SIOCGIFFLAGS, &ifr) != 0
      || (ifr.ifr_flags |= IFF_UP, ioctl (fd, SIOCSIFFLAGS, &ifr)) != 0) {
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
        "bringing lo up: %s", g_strerror (errno));
    if (fd >= 0)
      close (fd);
    return FALSE;
  }
  close (fd);
  return TRUE;
}

/* --- the certificate and the token -------------------------------------- */

static gchar *
certificate_file (const gchar * given, GError ** error)
{
  gchar *dir, *path, *cert = NULL, *key = NULL, *fingerprint = NULL, *pem;

  if (given != NULL)
    return g_canonicalize_filename (given, NULL);
  dir = g_build_filename (g_get_user_config_dir (), "gst-secwebrtc", NULL);
  path = g_build_filename (dir, "browser-demo.pem", NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS)) {
    g_free (dir);
    return path;
  }
  if (g_mkdir_with_parents (dir, 0700) != 0
      || !sec_whip_self_signed_new ("127.0.0.1", &cert, &key, &fingerprint,
          error)) {
    if (error != NULL && *error == NULL)
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot make %s",
          dir);
    g_free (dir);
    g_free (path);
    return NULL;
  }
  pem = g_strconcat (cert, key, NULL);
  if (!g_file_set_contents_full (path, pem, -1, G_FILE_SET_CONTENTS_CONSISTENT,
          0600, error))
    g_clear_pointer (&path, g_free);
  else
    g_print ("made %s, certificate %s\n", path, fingerprint);
  memset (pem, 0, strlen (pem));
  memset (key, 0, strlen (key));
  g_free (pem);
  g_free (key);
  g_free (cert);
  g_free (fingerprint);
  g_free (dir);
  return path;
}

static gchar *
token_new (void)
{
  guint8 bytes[24];
  gchar *token;

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = g_random_int_range (0, 256);
  token = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (token, "+", '-');
  g_strdelimit (token, "/", '_');
  return token;
}

/* --- the program's side -------------------------------------------------- */

static void
on_frame (GstElement * sink, GstBuffer * buffer, GstPad * pad, Demo * demo)
{
  g_atomic_int_inc (&demo->video_frames);
}

/* The browser's streams: video decoded and counted, audio decoded. */
static void
on_whip_pad (GstElement * whip, GstPad * pad, Demo * demo)
{
  GstCaps *caps = gst_pad_query_caps (pad, NULL);
  const gchar *encoding =
      gst_structure_get_string (gst_caps_get_structure (caps, 0),
      "encoding-name");
  const gchar *description = "queue ! fakesink";
  GstElement *branch, *sink;
  GstPad *sinkpad;

  if (g_strcmp0 (encoding, "VP8") == 0)
    description = "queue ! rtpvp8depay ! vp8dec ! fakesink name=frames "
        "signal-handoffs=true sync=false";
  else if (g_strcmp0 (encoding, "OPUS") == 0)
    description = "queue ! rtpopusdepay ! opusdec ! fakesink sync=false";
  g_print ("the browser sends %s\n", GST_STR_NULL (encoding));
  gst_caps_unref (caps);
  branch = gst_parse_bin_from_description (description, TRUE, NULL);
  sink = gst_bin_get_by_name (GST_BIN (branch), "frames");
  if (sink != NULL) {
    g_signal_connect (sink, "handoff", G_CALLBACK (on_frame), demo);
    gst_object_unref (sink);
  }
  gst_bin_add (GST_BIN (demo->pipeline), branch);
  gst_element_sync_state_with_parent (branch);
  sinkpad = gst_element_get_static_pad (branch, "sink");
  gst_pad_link (pad, sinkpad);
  gst_object_unref (sinkpad);
}

static void
json_append_info (GString * json, const GstStructure * info)
{
  g_string_append_c (json, '{');
  for (gint i = 0; info != NULL && i < gst_structure_n_fields (info); i++) {
    const gchar *name = gst_structure_nth_field_name (info, i);
    const GValue *value = gst_structure_get_value (info, name);
    gchar *text = G_VALUE_HOLDS_STRING (value) ?
        g_strescape (g_value_get_string (value), NULL) :
        G_VALUE_HOLDS_BOOLEAN (value) ?
        g_strdup (g_value_get_boolean (value) ? "true" : "false") :
        gst_value_serialize (value);

    g_string_append_printf (json, "%s\"%s\": %s%s%s", i ? ", " : "", name,
        G_VALUE_HOLDS_STRING (value) ? "\"" : "", text,
        G_VALUE_HOLDS_STRING (value) ? "\"" : "");
    g_free (text);
  }
  g_string_append_c (json, '}');
}

static gchar *
program_info (Demo * demo)
{
  GstStructure *whip = NULL, *whep = sec_whep_endpoint_security_info
      (demo->whep);
  GString *json = g_string_new ("{\"whip\": ");

  g_object_get (demo->whip, "security-info", &whip, NULL);
  if (whip != NULL)
    json_append_info (json, whip);
  else
    g_string_append (json, "null");
  g_string_append (json, ", \"whep\": ");
  if (whep != NULL)
    json_append_info (json, whep);
  else
    g_string_append (json, "null");
  g_string_append_printf (json, ", \"framesFromBrowser\": %d}",
      g_atomic_int_get (&demo->video_frames));
  if (whip)
    gst_structure_free (whip);
  if (whep)
    gst_structure_free (whep);
  return g_string_free (json, FALSE);
}

static void
print_side (const gchar * what, const GstStructure * info)
{
  gboolean verified = FALSE;

  if (info == NULL) {
    g_print ("%s: not connected\n", what);
    return;
  }
  gst_structure_get_boolean (info, "fingerprint-verified", &verified);
  g_print ("%s: %s %s, SRTP %s, %s -> %s\n  peer %s %s\n  SAS: %s\n", what,
      gst_structure_get_string (info, "dtls-version"),
      gst_structure_get_string (info, "cipher-suite"),
      gst_structure_get_string (info, "srtp-profile"),
      gst_structure_get_string (info, "local-candidate-type"),
      gst_structure_get_string (info, "remote-candidate-type"),
      gst_structure_get_string (info, "remote-fingerprint"),
      verified ? "verified" : "NOT VERIFIED",
      gst_structure_get_string (info, "sas"));
}

/* The result: the program's view and the page's report. */
static gboolean
report (Demo * demo)
{
  GstStructure *whip = NULL, *whep = sec_whep_endpoint_security_info
      (demo->whep);
  gboolean whip_ok = FALSE, whep_ok = FALSE, ok;
  gint frames = g_atomic_int_get (&demo->video_frames);

  g_object_get (demo->whip, "security-info", &whip, NULL);
  g_print ("\n== the program ==\n");
  print_side ("WHIP, the browser's camera to us", whip);
  print_side ("WHEP, our test pattern to the browser", whep);
  g_print ("video frames decoded from the browser: %d\n", frames);
  g_print ("\n== the browser (the page's report) ==\n%s\n",
      demo->result ? demo->result : "(none)");
  if (whip)
    gst_structure_get_boolean (whip, "fingerprint-verified", &whip_ok);
  if (whep)
    gst_structure_get_boolean (whep, "fingerprint-verified", &whep_ok);
  ok = whip_ok && whep_ok && frames >= MIN_FRAMES && demo->result != NULL
      && strstr (demo->result, "\"published\":true") != NULL
      && strstr (demo->result, "\"played\":true") != NULL;
  if (ok && demo->result != NULL) {
    const gchar *decoded = strstr (demo->result, "\"framesDecoded\":");
    /* the first framesDecoded is the publisher's (0), the second the
     * player's */
    if (decoded != NULL)
      decoded = strstr (decoded + 1, "\"framesDecoded\":");
    ok = decoded != NULL && atoi (decoded + 16) >= MIN_FRAMES;
  }
  g_print ("\n%s\n", ok ? "OK: video both ways, both calls verified; "
      "compare the SAS words with the page's" : "FAILED");
  if (whip)
    gst_structure_free (whip);
  if (whep)
    gst_structure_free (whep);
  return ok;
}

/* --- the page's server --------------------------------------------------- */

static gboolean
authorized (Demo * demo, SoupServerMessage * message)
{
  const gchar *value = soup_message_headers_get_one
      (soup_server_message_get_request_headers (message), "Authorization");

  if (sec_whip_auth_check (value, demo->token) == SEC_WHIP_AUTH_OK)
    return TRUE;
  soup_server_message_set_status (message, 401, NULL);
  return FALSE;
}

static void
serve_file (SoupServerMessage * message, const gchar * name,
    const gchar * type)
{
  gchar *path = g_build_filename (BROWSER_DEMO_DIR, name, NULL);
  gchar *contents = NULL;
  gsize length = 0;

  if (g_file_get_contents (path, &contents, &length, NULL)) {
    soup_server_message_set_status (message, 200, NULL);
    soup_server_message_set_response (message, type, SOUP_MEMORY_TAKE,
        contents, length);
  } else
    soup_server_message_set_status (message, 404, NULL);
  g_free (path);
}

static gboolean
quit_soon (gpointer data)
{
  g_main_loop_quit (((Demo *) data)->loop);
  return G_SOURCE_REMOVE;
}

static void
handle_page (SoupServer * server, SoupServerMessage * message,
    const char *path, GHashTable * query, gpointer user_data)
{
  Demo *demo = user_data;
  const gchar *method = soup_server_message_get_method (message);

  if (strcmp (path, "/") == 0 || strcmp (path, "/index.html") == 0)
    serve_file (message, "index.html", "text/html; charset=utf-8");
  else if (strcmp (path, "/demo.js") == 0)
    serve_file (message, "demo.js", "text/javascript; charset=utf-8");
  else if (strcmp (path, "/info") == 0 && authorized (demo, message)) {
    gchar *json = program_info (demo);

    soup_server_message_set_status (message, 200, NULL);
    soup_server_message_set_response (message, "application/json",
        SOUP_MEMORY_TAKE, json, strlen (json));
  } else if (strcmp (path, "/result") == 0 && strcmp (method, "POST") == 0
      && authorized (demo, message)) {
    SoupMessageBody *body = soup_server_message_get_request_body (message);
    GBytes *bytes = soup_message_body_flatten (body);

    g_free (demo->result);
    demo->result = g_strndup (g_bytes_get_data (bytes, NULL),
        MIN (g_bytes_get_size (bytes), 64 * 1024));
    g_bytes_unref (bytes);
    soup_server_message_set_status (message, 204, NULL);
    if (demo->chromium != 0)
      g_timeout_add (200, quit_soon, demo);
    else
      report (demo);
  } else if (soup_server_message_get_status (message) == 0)
    soup_server_message_set_status (message, 404, NULL);
}

/* --- headless Chromium --------------------------------------------------- */

static gboolean
start_chromium (Demo * demo, const gchar * url, const gchar * spki,
    const gchar * profile, GError ** error)
{
  const gchar *chromium = g_getenv ("SEC_CHROMIUM");
  gchar *spki_flag = g_strconcat ("--ignore-certificate-errors-spki-list=",
      spki, NULL);
  gchar *profile_flag = g_strconcat ("--user-data-dir=", profile, NULL);
  const gchar *argv[] = {
    chromium != NULL ? chromium : "chromium", "--headless", "--no-sandbox",
    "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required", spki_flag, profile_flag,
    url, NULL
  };
  gboolean ok = g_spawn_async (NULL, (gchar **) argv, NULL,
      G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
      G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
      &demo->chromium, error);

  g_free (spki_flag);
  g_free (profile_flag);
  return ok;
}

/* By its PID: SIGTERM, then SIGKILL after 5 s. */
static void
stop_chromium (Demo * demo)
{
  if (demo->chromium == 0)
    return;
  kill (demo->chromium, SIGTERM);
  for (gint i = 0; i < 50; i++) {
    if (waitpid (demo->chromium, NULL, WNOHANG) == demo->chromium) {
      demo->chromium = 0;
      return;
    }
    g_usleep (100 * 1000);
  }
  kill (demo->chromium, SIGKILL);
  waitpid (demo->chromium, NULL, 0);
  demo->chromium = 0;
}

static gboolean
on_sigint (gpointer data)
{
  g_main_loop_quit (((Demo *) data)->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_timeout (gpointer data)
{
  Demo *demo = data;

  g_printerr ("no result from the page in time\n");
  g_main_loop_quit (demo->loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  gboolean headless = FALSE;
  gint port = 8443, timeout_s = 60;
  gchar *cert_option = NULL, *cert_path, *pem = NULL, *url, *whip_url;
  gchar *spki = NULL, *profile = NULL;
  GOptionEntry entries[] = {
    {"headless", 0, 0, G_OPTION_ARG_NONE, &headless,
        "Run headless Chromium as the person and exit with the result", NULL},
    {"port", 0, 0, G_OPTION_ARG_INT, &port,
        "Port of the page (0: any; --headless: 0)", "PORT"},
    {"cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_option,
        "PEM file with the certificate and key to serve", "FILE"},
    {"timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s,
        "Seconds the headless run may take", "S"},
    {NULL}
  };
  GOptionContext *context = g_option_context_new ("- the browser demo");
  GError *error = NULL;
  GTlsCertificate *certificate;
  SoupServer *server;
  GSList *uris;
  Demo demo = { 0, };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  g_option_context_free (context);
  /* first, while this is the only thread: Chromium must see loopback
   * only (it would use every interface for ICE) */
  if (headless && !enter_private_netns (&error)) {
    g_printerr ("a private network namespace: %s\n", error->message);
    return 1;
  }
  gst_init (NULL, NULL);

  cert_path = certificate_file (cert_option, &error);
  if (cert_path == NULL || !g_file_get_contents (cert_path, &pem, NULL,
          &error)) {
    g_printerr ("certificate: %s\n", error->message);
    return 1;
  }
  certificate = g_tls_certificate_new_from_pem (pem, -1, &error);
  if (certificate == NULL) {
    g_printerr ("%s: %s\n", cert_path, error->message);
    return 1;
  }
  spki = sec_whip_cert_spki_sha256 (pem);
  memset (pem, 0, strlen (pem));
  g_free (pem);

  demo.loop = g_main_loop_new (NULL, FALSE);
  demo.token = token_new ();
  server = soup_server_new ("tls-certificate", certificate, NULL);
  if (!soup_server_listen_local (server, headless ? 0 : port,
          SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY, &error)) {
    g_printerr ("https://127.0.0.1:%d: %s\n", port, error->message);
    return 1;
  }
  uris = soup_server_get_uris (server);
  demo.origin = g_strdup_printf ("https://127.0.0.1:%d",
      g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  demo.whep = sec_whep_endpoint_new (server, "/whep", demo.token, senders,
      "127.0.0.1", demo.origin);
  soup_server_add_handler (server, "/", handle_page, &demo, NULL);

  /* the WHIP endpoint: an application sets the token property */
  demo.pipeline = gst_pipeline_new ("demo");
  demo.whip = gst_element_factory_make ("secwhipserversrc", NULL);
  if (demo.whip == NULL) {
    g_printerr ("secwhipserversrc is missing (meson option whip)\n");
    return 1;
  }
  g_object_set (demo.whip, "port", 0, "tls-certificate-file", cert_path,
      "allowed-origins", demo.origin, "local-addresses", "127.0.0.1",
      "auth-token", demo.token, "max-sessions", 2, NULL);
  g_signal_connect (demo.whip, "pad-added", G_CALLBACK (on_whip_pad), &demo);
  gst_bin_add (GST_BIN (demo.pipeline), demo.whip);
  if (gst_element_set_state (demo.pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    g_printerr ("the WHIP endpoint did not start\n");
    return 1;
  }
  {
    guint whip_port = 0;

    g_object_get (demo.whip, "bound-port", &whip_port, NULL);
    whip_url = g_strdup_printf ("https://127.0.0.1:%u/whip", whip_port);
  }
  url = g_strdup_printf ("%s/#token=%s&whip=%s", demo.origin, demo.token,
      whip_url);

  if (headless) {
    const gchar *chromium = g_getenv ("SEC_CHROMIUM");
    gchar *found = g_find_program_in_path (chromium ? chromium : "chromium");

    if (found == NULL) {
      g_printerr ("Chromium is missing (Debian's chromium; ./run deps "
          "installs it)\n");
      /* a skip for the test suite, never under CI */
      return g_getenv ("CI") != NULL ? 1 : 77;
    }
    g_free (found);
    profile = g_dir_make_tmp ("browser-demo-XXXXXX", NULL);
    if (!start_chromium (&demo, url, spki, profile, &error)) {
      g_printerr ("chromium: %s\n", error->message);
      return 1;
    }
    g_print ("headless Chromium (PID %d) opened the page\n", demo.chromium);
    g_timeout_add_seconds (timeout_s, on_timeout, &demo);
  } else {
    g_print ("Open this in your browser (accept the self-signed "
        "certificate; it is the same for the page and the WHIP endpoint, "
        "sha-256 SPKI %s):\n\n  %s\n\nThen compare the words it shows "
        "with the ones printed here. Ctrl-C ends.\n", spki, url);
  }
  g_unix_signal_add (SIGINT, on_sigint, &demo);
  g_main_loop_run (demo.loop);

  stop_chromium (&demo);
  if (headless)
    demo.status = report (&demo) ? 0 : 1;
  gst_element_set_state (demo.pipeline, GST_STATE_NULL);
  gst_object_unref (demo.pipeline);
  soup_server_disconnect (server);
  sec_whep_endpoint_free (demo.whep);
  g_object_unref (server);
  g_object_unref (certificate);
  if (profile != NULL) {
    gchar *rm[] = { (gchar *) "rm", (gchar *) "-rf", profile, NULL };
    g_spawn_sync (NULL, rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
        NULL, NULL, NULL);
  }
  g_free (profile);
  g_free (spki);
  g_free (url);
  g_free (whip_url);
  g_free (cert_path);
  g_free (cert_option);
  g_free (demo.origin);
  g_free (demo.result);
  memset (demo.token, 0, strlen (demo.token));
  g_free (demo.token);
  g_main_loop_unref (demo.loop);
  return demo.status;
}
