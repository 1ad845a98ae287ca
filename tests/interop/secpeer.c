/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The peer process of an interop test and the loopback sockets and
 * temporary directories around it (secpeer.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "secpeer.h"

#include <glib-unix.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define STOP_TIMEOUT_MS 3000
#define MAX_DATAGRAM 65536
#define PROBE_MIN_WAIT_US (20 * G_TIME_SPAN_MILLISECOND)
#define PROBE_MAX_WAIT_US (250 * G_TIME_SPAN_MILLISECOND)

/* ---- the process ---- */

static void
child_setup (gpointer user_data)
{
  SecPeerFlags flags = GPOINTER_TO_INT (user_data);

#ifdef __linux__
  /* if this process dies without stopping the peer (a crash, meson's
   * timeout), the peer goes too */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
  if (flags & SEC_PEER_MERGE_STDERR)
    dup2 (STDOUT_FILENO, STDERR_FILENO);
}

gboolean
sec_peer_start (SecPeer * peer, const gchar * name, SecPeerFlags flags,
    gchar ** argv, gchar ** envp, GError ** error)
{
  gchar *command = g_strjoinv (" ", argv);
  gint stdin_fd = -1, stdout_fd = -1;
  GPid pid = 0;
  gboolean spawned;

  memset (peer, 0, sizeof (*peer));
  peer->stdin_fd = -1;
  peer->stdout_fd = -1;

  GST_INFO ("starting %s: %s", name, command);
  spawned = g_spawn_async_with_pipes (NULL, argv, envp,
      G_SPAWN_DO_NOT_REAP_CHILD, child_setup, GINT_TO_POINTER (flags), &pid,
      (flags & SEC_PEER_STDIN_PIPE) ? &stdin_fd : NULL, &stdout_fd, NULL,
      error);
  if (!spawned) {
    g_prefix_error (error, "cannot start %s: ", command);
    g_free (command);
    return FALSE;
  }
  g_free (command);

  peer->name = g_strdup (name);
  peer->program = g_path_get_basename (argv[0]);
  peer->flags = flags;
  peer->pid = pid;
  peer->stdin_fd = stdin_fd;
  peer->stdout_fd = stdout_fd;
  peer->output = g_string_new (NULL);
  fail_unless (g_unix_set_fd_nonblocking (peer->stdout_fd, TRUE, NULL));
  return TRUE;
}

gboolean
sec_peer_drain (SecPeer * peer)
{
  gchar text[4096];

  /* peer->output is there from sec_peer_start () to sec_peer_stop () */
  while (peer->output != NULL && !peer->exited) {
    gssize n = read (peer->stdout_fd, text, sizeof (text));

    if (n > 0) {
      GST_LOG ("%s printed: %.*s", peer->name, (gint) n, text);
      g_string_append_len (peer->output, text, n);
      if (peer->flags & SEC_PEER_ECHO)
        g_printerr ("%s: %.*s", peer->name, (gint) n, text);
    } else if (n == 0) {
      peer->exited = TRUE;
    } else if (errno != EINTR) {
      break;                    /* EAGAIN: nothing more for now */
    }
  }
  return peer->exited;
}

void
sec_peer_poll (SecPeer * peer, gint64 deadline)
{
  GPollFD fd = { peer->stdout_fd, G_IO_IN | G_IO_HUP, 0 };
  gsize len = peer->output->len;
  gint64 now;

  sec_peer_drain (peer);
  now = g_get_monotonic_time ();
  if (peer->output->len > len || peer->exited || now >= deadline)
    return;
  g_poll (&fd, 1, (gint) ((deadline - now + 999) / 1000));
  sec_peer_drain (peer);
}

/* TRUE once the peer has exited (end of file on its stdout), FALSE after
 * @timeout_ms. */
static gboolean
wait_exit (SecPeer * peer, gint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  while (!sec_peer_drain (peer) && g_get_monotonic_time () < deadline)
    sec_peer_poll (peer, deadline);
  return peer->exited;
}

gboolean
sec_peer_stop (SecPeer * peer, gint * early_status)
{
  gboolean early = FALSE;

  if (peer->output == NULL)
    return FALSE;               /* not running */

  if (peer->pid > 0) {
    gboolean exited;
    gint status = 0;
    pid_t reaped;

    early = exited = sec_peer_drain (peer);
    if (peer->stdin_fd >= 0) {
      close (peer->stdin_fd);
      peer->stdin_fd = -1;
    }
    if (!exited) {
      kill (peer->pid, SIGTERM);
      exited = wait_exit (peer, STOP_TIMEOUT_MS);
    }
    if (!exited) {
      g_printerr ("%s (pid %d) ignored SIGTERM for %d ms, sending SIGKILL\n",
          peer->name, (gint) peer->pid, STOP_TIMEOUT_MS);
      kill (peer->pid, SIGKILL);
      exited = wait_exit (peer, STOP_TIMEOUT_MS);
    }
    reaped = waitpid (peer->pid, &status, WNOHANG);
    if (reaped == 0 && exited) {
      /* Its files are closed, so it is a zombie already or in its last
       * steps of exiting; SIGKILL makes sure this wait ends. */
      kill (peer->pid, SIGKILL);
      reaped = waitpid (peer->pid, &status, 0);
    }
    if (reaped != peer->pid)
      g_printerr ("%s (pid %d) survived SIGKILL for %d ms\n", peer->name,
          (gint) peer->pid, STOP_TIMEOUT_MS);
    early = early && reaped == peer->pid;
    if (early && early_status != NULL)
      *early_status = status;
    g_spawn_close_pid (peer->pid);
  }
  if (peer->stdin_fd >= 0)
    close (peer->stdin_fd);
  if (peer->stdout_fd >= 0)
    close (peer->stdout_fd);
  g_string_free (peer->output, TRUE);
  g_free (peer->name);
  g_free (peer->program);
  memset (peer, 0, sizeof (*peer));
  return early;
}

void
sec_peer_fail_if_exited (SecPeer * peer)
{
  gboolean echo = (peer->flags & SEC_PEER_ECHO) != 0;

  sec_peer_drain (peer);
  fail_if (peer->exited, "%s (%s, pid %d) exited early; %s%s", peer->name,
      peer->program, (gint) peer->pid,
      echo ? "its messages are above" : "it printed:\n",
      echo ? "" : peer->output->str);
}

/* ---- files and skipping ---- */

gchar *
sec_peer_dir_new (const gchar * tmpl)
{
  GError *error = NULL;
  gchar *dir = g_dir_make_tmp (tmpl, &error);

  fail_unless (dir != NULL, "temporary directory: %s",
      error ? error->message : "?");
  return dir;
}

void
sec_peer_dir_remove (const gchar * path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL) {
    gchar *file = g_build_filename (path, name, NULL);

    g_unlink (file);
    g_free (file);
  }
  g_dir_close (dir);
  g_rmdir (path);
}

void
sec_peer_skip (const gchar * format, ...)
{
  va_list args;
  gchar *reason;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("SKIP: %s\n", reason);
  g_free (reason);
  exit (77);
}

gchar *
sec_peer_find_program_or_skip (const gchar * program, const gchar * reason)
{
  gchar *path = g_find_program_in_path (program);

  if (path == NULL)
    sec_peer_skip ("%s", reason);
  return path;
}

gchar *
sec_peer_find_gst_launch_or_skip (const gchar * plugin,
    const gchar * elements)
{
  const gchar *system_dir = g_getenv ("SEC_SYSTEM_PLUGIN_DIR");
  gchar *reason, *path;

  reason = g_strdup_printf ("gst-launch-1.0 is not installed (Debian: "
      "gstreamer1.0-tools), so gst-plugins-bad's %s cannot run as the peer",
      elements);
  path = sec_peer_find_program_or_skip ("gst-launch-1.0", reason);
  g_free (reason);
  if (system_dir != NULL) {
    gchar *file = g_strdup_printf ("libgst%s.so", plugin);
    gchar *plugin_path = g_build_filename (system_dir, file, NULL);

    if (!g_file_test (plugin_path, G_FILE_TEST_IS_REGULAR))
      sec_peer_skip ("%s is missing: gst-plugins-bad's %s plugin is not "
          "installed (Debian: gstreamer1.0-plugins-bad)", plugin_path,
          plugin);
    g_free (plugin_path);
    g_free (file);
  }
  /* without SEC_SYSTEM_PLUGIN_DIR the peer fails to start, loudly */
  return path;
}

/* ---- a gst-launch-1.0 peer ---- */

gchar **
sec_peer_gst_environ_new (const gchar * registry_dir)
{
  gchar **envp = g_get_environ ();
  gchar *registry = g_build_filename (registry_dir, "registry.bin", NULL);

  envp = g_environ_setenv (envp, "GST_PLUGIN_SYSTEM_PATH_1_0",
      g_getenv ("SEC_SYSTEM_PLUGIN_DIR"), TRUE);
  envp = g_environ_unsetenv (envp, "GST_PLUGIN_SYSTEM_PATH");
  envp = g_environ_unsetenv (envp, "GST_PLUGIN_PATH_1_0");
  envp = g_environ_unsetenv (envp, "GST_PLUGIN_PATH");
  envp = g_environ_setenv (envp, "GST_REGISTRY_1_0", registry, TRUE);
  envp = g_environ_unsetenv (envp, "GST_REGISTRY");
  g_free (registry);
  return envp;
}

void
sec_peer_add_words (GPtrArray * argv, gchar * description)
{
  gchar **words = g_strsplit (description, " ", -1);
  guint i;

  for (i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_ptr_array_add (argv, g_strdup (words[i]));
  g_strfreev (words);
  g_free (description);
}

/* ---- sockets ---- */

GSocketAddress *
sec_peer_loopback_address_new (guint16 port)
{
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *address = g_inet_socket_address_new (loopback, port);

  g_object_unref (loopback);
  return address;
}

GSocket *
sec_peer_udp_socket_new (void)
{
  GError *error = NULL;
  GSocket *socket;
  GSocketAddress *address;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, &error);
  fail_unless (socket != NULL, "socket: %s", error->message);
  address = sec_peer_loopback_address_new (0);
  fail_unless (g_socket_bind (socket, address, FALSE, &error),
      "bind 127.0.0.1:0: %s", error->message);
  g_object_unref (address);
  g_socket_set_blocking (socket, FALSE);
  return socket;
}

guint16
sec_peer_socket_port (GSocket * socket)
{
  GSocketAddress *address = g_socket_get_local_address (socket, NULL);
  guint16 port;

  fail_unless (address != NULL);
  port = sec_peer_address_port (address);
  g_object_unref (address);
  return port;
}

guint16
sec_peer_address_port (GSocketAddress * address)
{
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

void
sec_peer_free_ports (guint16 * ports, guint n_ports)
{
  GSocket **sockets = g_new (GSocket *, n_ports);
  guint i;

  for (i = 0; i < n_ports; i++)
    sockets[i] = sec_peer_udp_socket_new ();
  for (i = 0; i < n_ports; i++) {
    ports[i] = sec_peer_socket_port (sockets[i]);
    g_object_unref (sockets[i]);
  }
  g_free (sockets);
}

void
sec_peer_send (GSocket * sender, GSocketAddress * to, GstBuffer * packet)
{
  GError *error = NULL;
  GstMapInfo map;
  gssize sent;

  gst_buffer_map (packet, &map, GST_MAP_READ);
  sent = g_socket_send_to (sender, to, (const gchar *) map.data, map.size,
      NULL, &error);
  fail_unless (sent == (gssize) map.size, "send: %s",
      error ? error->message : "short write");
  gst_buffer_unmap (packet, &map);
}

/* Waits until @socket is readable (TRUE) or @deadline (monotonic time)
 * passes (FALSE). If the peer exits meanwhile: fails the test, or with
 * !@may_fail returns FALSE (peer->exited tells). */
static gboolean
wait_readable (SecPeer * peer, GSocket * socket, gint64 deadline,
    gboolean may_fail)
{
  for (;;) {
    GPollFD fds[2];
    gint64 now = g_get_monotonic_time ();
    gint n;

    if (now >= deadline)
      return FALSE;
    fds[0].fd = g_socket_get_fd (socket);
    fds[0].events = G_IO_IN;
    fds[0].revents = 0;
    fds[1].fd = peer->stdout_fd;
    fds[1].events = G_IO_IN | G_IO_HUP;
    fds[1].revents = 0;
    n = g_poll (fds, 2, (gint) ((deadline - now + 999) / 1000));
    if (n < 0) {
      fail_unless (errno == EINTR, "poll: %s", g_strerror (errno));
      continue;
    }
    if (fds[1].revents != 0) {
      if (may_fail)
        sec_peer_fail_if_exited (peer);
      else if (sec_peer_drain (peer))
        return FALSE;
    }
    if (fds[0].revents != 0)
      return TRUE;
  }
}

static GstBuffer *
receive (SecPeer * peer, GSocket * socket, gint64 deadline, gboolean may_fail)
{
  static guint8 datagram[MAX_DATAGRAM];

  for (;;) {
    GError *error = NULL;
    gssize len = g_socket_receive (socket, (gchar *) datagram,
        sizeof (datagram), NULL, &error);

    if (len >= 0)
      return gst_buffer_new_memdup (datagram, len);
    fail_unless (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK),
        "receive: %s", error->message);
    g_clear_error (&error);
    if (!wait_readable (peer, socket, deadline, may_fail))
      return NULL;
  }
}

GstBuffer *
sec_peer_receive (SecPeer * peer, GSocket * socket, gint64 deadline)
{
  return receive (peer, socket, deadline, TRUE);
}

gboolean
sec_peer_try_wait_echo (SecPeer * peer, GSocket * sender,
    GSocketAddress * echo_in, GSocket * echo_out, gint64 timeout_us,
    gchar ** why)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + timeout_us;
  gint64 wait_us = PROBE_MIN_WAIT_US;
  gboolean echo = (peer->flags & SEC_PEER_ECHO) != 0;
  guint n_probes = 0;

  while (g_get_monotonic_time () < deadline) {
    GstBuffer *probe = gst_buffer_new_allocate (NULL, 4, NULL);
    GstBuffer *answer;

    gst_buffer_memset (probe, 0, (guint8) n_probes, 4);
    sec_peer_send (sender, echo_in, probe);
    gst_buffer_unref (probe);
    n_probes++;

    /* an answer to any probe, this test's or an earlier one's, will do */
    answer = receive (peer, echo_out,
        MIN (deadline, g_get_monotonic_time () + wait_us), FALSE);
    if (answer) {
      gst_buffer_unref (answer);
      GST_INFO ("%s answered probe %u after %" G_GINT64_FORMAT " ms",
          peer->name, n_probes, (g_get_monotonic_time () - start) / 1000);
      return TRUE;
    }
    if (peer->exited)
      break;
    wait_us = MIN (wait_us * 2, PROBE_MAX_WAIT_US);
  }
  sec_peer_drain (peer);
  if (peer->exited)
    *why = g_strdup_printf ("%s (%s, pid %d) exited early; %s%s", peer->name,
        peer->program, (gint) peer->pid,
        echo ? "its messages are above" : "it printed:\n",
        echo ? "" : peer->output->str);
  else
    *why = g_strdup_printf ("%s (%s, pid %d) did not echo any of %u probe "
        "datagrams in %d s: its pipeline is not playing; %s%s", peer->name,
        peer->program, (gint) peer->pid, n_probes,
        (gint) (timeout_us / G_USEC_PER_SEC),
        echo ? "its messages are above" : "it printed:\n",
        echo ? "" : peer->output->str);
  return FALSE;
}

void
sec_peer_wait_echo (SecPeer * peer, GSocket * sender,
    GSocketAddress * echo_in, GSocket * echo_out, gint64 timeout_us)
{
  gchar *why = NULL;

  if (!sec_peer_try_wait_echo (peer, sender, echo_in, echo_out, timeout_us,
          &why))
    fail ("%s", why);
}
