/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the interop tests share about their independent peer: a program
 * (gst-launch-1.0, openssl) in a process of its own, started and stopped
 * by PID with bounded waits, whose output is read without blocking, and
 * the loopback UDP sockets and temporary directories around it.
 *
 * A peer gets SIGKILL if the test process dies (Linux), so a crash or
 * meson's timeout never leaves one running. The helpers fail the running
 * test (check's fail_unless) on errors, like the rest of the test code,
 * and print nothing on success.
 */
#ifndef SEC_PEER_H
#define SEC_PEER_H

#include "seccheck.h"

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  SEC_PEER_FLAGS_NONE = 0,
  /* its stdin is a pipe held open until sec_peer_stop () (end of file
   * there makes some programs quit); otherwise /dev/null */
  SEC_PEER_STDIN_PIPE = 1 << 0,
  /* its stderr joins its stdout, one stream in the order it was written;
   * otherwise it goes straight to our stderr */
  SEC_PEER_MERGE_STDERR = 1 << 1,
  /* what it prints is passed on to our stderr as it comes, after
   * "NAME: ", besides being kept in output */
  SEC_PEER_ECHO = 1 << 2,
} SecPeerFlags;

/* A peer process. All zeros is a peer that is not running; the fields
 * are for reading. */
typedef struct
{
  gchar *name;                  /* for messages: "openssl s_server" */
  gchar *program;               /* argv[0] without its directory */
  SecPeerFlags flags;
  GPid pid;                     /* 0 when not running */
  gint stdin_fd;                /* -1 without SEC_PEER_STDIN_PIPE */
  gint stdout_fd;               /* non-blocking */
  GString *output;              /* everything it printed so far */
  gboolean exited;              /* end of file seen on stdout_fd */
} SecPeer;

/* Starts @argv (NULL-terminated, argv[0] a path) with the environment
 * @envp (NULL: ours) as @peer, called @name in messages. FALSE if it
 * cannot start, with "cannot start COMMAND: REASON" in @error; @peer is
 * then not running. */
gboolean sec_peer_start (SecPeer * peer, const gchar * name,
    SecPeerFlags flags, gchar ** argv, gchar ** envp, GError ** error);

/* Stops @peer by its PID: SIGTERM, then SIGKILL if its stdout is still
 * open after 3 s, then reaps it; every wait is bounded (a peer that
 * survives SIGKILL is left behind with a message on stderr). Closes its
 * pipes and frees its output. Returns TRUE if it had exited on its own
 * before this call, with its wait status in @early_status (may be NULL).
 * Does nothing on a peer that is not running. */
gboolean sec_peer_stop (SecPeer * peer, gint * early_status);

/* Appends what @peer printed to peer->output, never blocking; sets
 * peer->exited at end of file. Returns peer->exited. */
gboolean sec_peer_drain (SecPeer * peer);

/* Drains @peer; if it printed nothing new, waits until it prints
 * something, exits or @deadline (monotonic time) passes. */
void sec_peer_poll (SecPeer * peer, gint64 deadline);

/* Drains @peer and fails the test if it has exited, with what it
 * printed (or, with SEC_PEER_ECHO, a pointer to it above). */
void sec_peer_fail_if_exited (SecPeer * peer);

/* A new directory in the temporary directory from @tmpl ("name-XXXXXX");
 * fails the test if it cannot be made. */
gchar *sec_peer_dir_new (const gchar * tmpl);

/* Removes @path and the files in it (not subdirectories), as far as it
 * can. */
void sec_peer_dir_remove (const gchar * path);

/* Prints "SKIP: " and the reason from @format, then exits with 77,
 * meson's "skipped". Only for a peer program that is not installed. */
void sec_peer_skip (const gchar * format, ...) G_GNUC_PRINTF (1, 2)
    G_GNUC_NORETURN;

/* The path of @program (g_free) found in PATH, or sec_peer_skip () with
 * @reason. */
gchar *sec_peer_find_program_or_skip (const gchar * program,
    const gchar * reason);

/* The path of gst-launch-1.0 (g_free), after checking that
 * gst-plugins-bad's @plugin ("srtp") is in $SEC_SYSTEM_PLUGIN_DIR when
 * that is set; sec_peer_skip () saying that @elements
 * ("srtpenc/srtpdec") cannot run as the peer when either is missing. */
gchar *sec_peer_find_gst_launch_or_skip (const gchar * plugin,
    const gchar * elements);

/* For a gst-launch-1.0 peer: our environment, but with
 * $SEC_SYSTEM_PLUGIN_DIR as the only plugin path and the registry file
 * registry.bin in @registry_dir, so that it sees gst-plugins-bad and
 * never our plugins. */
gchar **sec_peer_gst_environ_new (const gchar * registry_dir);

/* Appends the words of @description (no word contains a space; taken)
 * to @argv; gst-launch-1.0 joins its arguments back into one
 * description. */
void sec_peer_add_words (GPtrArray * argv, gchar * description);

/* 127.0.0.1:@port */
GSocketAddress *sec_peer_loopback_address_new (guint16 port);

/* A non-blocking UDP socket bound to 127.0.0.1 on a free port. */
GSocket *sec_peer_udp_socket_new (void);

guint16 sec_peer_socket_port (GSocket * socket);
guint16 sec_peer_address_port (GSocketAddress * address);

/* Fills @ports with @n_ports UDP ports on 127.0.0.1 that were free a
 * moment ago, all different (bound at once, then closed), for a peer to
 * bind. */
void sec_peer_free_ports (guint16 * ports, guint n_ports);

/* Sends @packet from @sender to @to; fails the test on a short send. */
void sec_peer_send (GSocket * sender, GSocketAddress * to,
    GstBuffer * packet);

/* The next datagram on @socket, or NULL if none came before @deadline
 * (monotonic time). Fails the test if @peer exits meanwhile. */
GstBuffer *sec_peer_receive (SecPeer * peer, GSocket * socket,
    gint64 deadline);

/* Sends probe datagrams from @sender to the echo branch of a
 * gst-launch-1.0 @peer ("udpsrc port=ECHO_IN ! udpsink port=ECHO_OUT"),
 * a new one each try, until one comes back to @echo_out: from then on
 * its pipeline is playing and all its udpsrc elements are bound. Fails
 * the test after @timeout_us. */
void sec_peer_wait_echo (SecPeer * peer, GSocket * sender,
    GSocketAddress * echo_in, GSocket * echo_out, gint64 timeout_us);

/* sec_peer_wait_echo (), but instead of failing the test it returns FALSE
 * with the reason in @why (g_free): for a caller with something to clean
 * up first, such as an unchecked fixture that must stop the peer. */
gboolean sec_peer_try_wait_echo (SecPeer * peer, GSocket * sender,
    GSocketAddress * echo_in, GSocket * echo_out, gint64 timeout_us,
    gchar ** why);

G_END_DECLS

#endif /* SEC_PEER_H */
