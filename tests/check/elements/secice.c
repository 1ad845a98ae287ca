/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secicesrc + secicesink: two ICE transports in one process on loopback,
 * each side its own pipeline (appsrc ! secicesink, secicesrc ! appsink),
 * the test doing the signaling through the transports' signals. Gather,
 * trickle (at once and late), connect, datagrams both ways byte for byte,
 * ICE restart, relay-only without a relay, consent when the peer stops,
 * port range, and bad input.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "secicepair.h"

#include <gio/gio.h>
#include <gst/app/gstappsrc.h>
#include <string.h>

GST_START_TEST (test_connect_and_send)
{
  SecIcePair *p = sec_ice_pair_new ();
  GstStructure *pair = NULL;
  gint i;

  sec_ice_pair_check_plugins ();
  sec_ice_pair_start (p);
  sec_ice_pair_wait_connected (p);
  sec_ice_pair_check_data (p, 0, 20);
  sec_ice_pair_check_data (p, 1, 20);

  for (i = 0; i < 2; i++) {
    gchar *ufrag = NULL, *pwd = NULL;

    g_object_get (p->side[i].transport, "selected-pair", &pair,
        "local-ufrag", &ufrag, "local-pwd", &pwd, NULL);
    fail_unless (pair != NULL);
    fail_unless_equals_string (gst_structure_get_string (pair,
            "local-type"), "host");
    fail_unless_equals_string (gst_structure_get_string (pair,
            "local-protocol"), "udp");
    fail_unless_equals_string (gst_structure_get_string (pair,
            "local-address"), "127.0.0.1");
    fail_unless_equals_string (gst_structure_get_string (pair,
            "remote-address"), "127.0.0.1");
    gst_structure_free (pair);
    /* RFC 8445 §5.3 */
    fail_unless (strlen (ufrag) >= 4 && strlen (pwd) >= 22);
    g_free (ufrag);
    g_free (pwd);
    /* every signaled candidate is ours, on the address we asked for */
    fail_unless (p->side[i].candidates->len >= 1);
    fail_unless (strstr (g_ptr_array_index (p->side[i].candidates, 0),
            " 127.0.0.1 ") != NULL);
  }
  sec_ice_pair_free (p);
}

GST_END_TEST;

GST_START_TEST (test_late_trickle)
{
  SecIcePair *p = sec_ice_pair_new ();
  guint i;
  gint k;

  sec_ice_pair_check_plugins ();
  p->side[0].forward = p->side[1].forward = FALSE;
  sec_ice_pair_start (p);
  sec_ice_pair_wait_gathered (p);
  fail_unless (!sec_ice_side_is_connected (&p->side[0]));
  /* candidates given after gathering finished on both sides */
  for (k = 0; k < 2; k++) {
    for (i = 0; i < p->side[k].candidates->len; i++) {
      gboolean ok = FALSE;

      g_signal_emit_by_name (p->side[1 - k].transport,
          "add-remote-candidate", g_ptr_array_index (p->side[k].candidates,
              i), &ok);
      fail_unless (ok);
    }
    g_signal_emit_by_name (p->side[1 - k].transport,
        "end-of-remote-candidates");
  }
  sec_ice_pair_wait_connected (p);
  sec_ice_pair_check_data (p, 0, 5);
  sec_ice_pair_check_data (p, 1, 5);
  sec_ice_pair_free (p);
}

GST_END_TEST;

GST_START_TEST (test_restart)
{
  SecIcePair *p = sec_ice_pair_new ();
  gchar *old_ufrag = NULL, *new_ufrag = NULL;
  gboolean ok = FALSE;
  gint i;

  sec_ice_pair_check_plugins ();
  sec_ice_pair_start (p);
  sec_ice_pair_wait_connected (p);
  sec_ice_pair_check_data (p, 0, 3);
  g_object_get (p->side[0].transport, "local-ufrag", &old_ufrag, NULL);

  /* both restart; the re-signaled candidates go to the peer (forward) */
  for (i = 0; i < 2; i++) {
    g_signal_emit_by_name (p->side[i].transport, "restart", &ok);
    fail_unless (ok);
  }
  g_object_get (p->side[0].transport, "local-ufrag", &new_ufrag, NULL);
  fail_if (g_str_equal (old_ufrag, new_ufrag), "same ufrag after restart");
  sec_ice_pair_exchange_credentials (p);
  sec_ice_pair_wait_connected (p);
  sec_ice_pair_check_data (p, 0, 5);
  sec_ice_pair_check_data (p, 1, 5);
  g_free (old_ufrag);
  g_free (new_ufrag);
  sec_ice_pair_free (p);
}

GST_END_TEST;

static gboolean
ipv6_loopback_usable (void)
{
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV6,
      G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  GSocketAddress *address = g_inet_socket_address_new (loopback, 0);
  gboolean ok = socket && g_socket_bind (socket, address, FALSE, NULL);

  g_clear_object (&socket);
  g_object_unref (address);
  g_object_unref (loopback);
  return ok;
}

/* Host candidates on IPv6: the loopback ::1. */
GST_START_TEST (test_ipv6)
{
  SecIcePair *p = sec_ice_pair_new ();
  GstStructure *pair = NULL;
  gint i;

  sec_ice_pair_check_plugins ();
  if (!ipv6_loopback_usable ()) {
    /* some containers run with IPv6 disabled */
    g_printerr ("test_ipv6: ::1 cannot be bound here, not tested\n");
    sec_ice_pair_free (p);
    return;
  }
  for (i = 0; i < 2; i++)
    g_object_set (p->side[i].transport, "local-addresses", "::1", NULL);
  sec_ice_pair_start (p);
  sec_ice_pair_wait_connected (p);
  sec_ice_pair_check_data (p, 0, 3);
  g_object_get (p->side[0].transport, "selected-pair", &pair, NULL);
  fail_unless_equals_string (gst_structure_get_string (pair,
          "local-address"), "::1");
  gst_structure_free (pair);
  sec_ice_pair_free (p);
}

GST_END_TEST;

/* RFC 6544: with ice-tcp, TCP candidates are gathered and signaled, and
 * the peer accepts them; without it, none. */
GST_START_TEST (test_ice_tcp_candidates)
{
  SecIcePair *p = sec_ice_pair_new ();
  guint i, tcp[2] = { 0, 0 };
  gint k;

  sec_ice_pair_check_plugins ();
  g_object_set (p->side[0].transport, "ice-tcp", TRUE, NULL);
  sec_ice_pair_start (p);
  sec_ice_pair_wait_gathered (p);
  sec_ice_pair_wait_connected (p);
  for (k = 0; k < 2; k++) {
    for (i = 0; i < p->side[k].candidates->len; i++) {
      const gchar *c = g_ptr_array_index (p->side[k].candidates, i);

      if (strstr (c, " TCP ")) {
        fail_unless (strstr (c, " tcptype ") != NULL, "%s", c);
        tcp[k]++;
      }
    }
  }
  fail_unless (tcp[0] >= 1, "no TCP candidate with ice-tcp=true");
  fail_unless_equals_int (tcp[1], 0);
  sec_ice_pair_check_data (p, 1, 3);
  sec_ice_pair_free (p);
}

GST_END_TEST;

/* RFC 7675: when the peer vanishes (its transport and sockets gone, no
 * more answers to consent checks), the state goes to failed in bounded
 * time and sending stops. */
GST_START_TEST (test_consent_lost)
{
  SecIcePair *p = sec_ice_pair_new ();
  SecIceSide *gone = &p->side[1];
  gint64 start, end, elapsed;
  GstStructure *stats;
  guint64 unsent = 0;

  sec_ice_pair_check_plugins ();
  sec_ice_pair_start (p);
  sec_ice_pair_wait_connected (p);
  sec_ice_pair_check_data (p, 0, 2);

  /* the peer disappears abruptly */
  sec_ice_side_remove (gone);

  start = g_get_monotonic_time ();
  end = start + 60 * G_USEC_PER_SEC;
  g_mutex_lock (&p->lock);
  while (sec_ice_side_state (&p->side[0]) != SEC_ICE_PAIR_STATE_FAILED)
    fail_unless (g_cond_wait_until (&p->cond, &p->lock, end),
        "not failed 60 s after the peer vanished (state %d)",
        sec_ice_side_state (&p->side[0]));
  g_mutex_unlock (&p->lock);
  elapsed = g_get_monotonic_time () - start;
  GST_INFO ("failed %" G_GINT64_FORMAT " ms after the peer vanished",
      elapsed / 1000);
  /* RFC 7675 §5.1: consent expires 30 s after the last response */
  fail_unless (elapsed <= 45 * G_USEC_PER_SEC);

  /* sending stops: a datagram handed to the sink is counted as unsent */
  {
    GstPad *pad = gst_element_get_static_pad (p->side[0].sink, "sink");

    fail_unless_equals_int (gst_pad_chain (pad, gst_buffer_new_memdup
            ("late", 4)), GST_FLOW_OK);
    gst_object_unref (pad);
  }
  g_object_get (p->side[0].transport, "stats", &stats, NULL);
  gst_structure_get_uint64 (stats, "datagrams-unsent", &unsent);
  gst_structure_free (stats);
  fail_unless (unsent >= 1);
  sec_ice_pair_free (p);
}

GST_END_TEST;

GST_START_TEST (test_relay_only_without_relay)
{
  SecIcePair *p = sec_ice_pair_new ();

  sec_ice_pair_check_plugins ();
  g_object_set (p->side[0].transport, "ice-transport-policy", 1, NULL);
  sec_ice_side_play (&p->side[0]);
  sec_ice_side_wait_gathered (&p->side[0]);
  /* no TURN server, so nothing at all may be signaled: no host address */
  fail_unless_equals_int (p->side[0].candidates->len, 0);
  sec_ice_pair_free (p);
}

GST_END_TEST;

GST_START_TEST (test_port_range)
{
  SecIcePair *p = sec_ice_pair_new ();
  guint i;

  sec_ice_pair_check_plugins ();
  g_object_set (p->side[0].transport, "port-range", "47100-47110", NULL);
  sec_ice_pair_start (p);
  sec_ice_pair_wait_connected (p);
  sec_ice_pair_wait_gathered (p);
  for (i = 0; i < p->side[0].candidates->len; i++) {
    gchar **fields = g_strsplit (g_ptr_array_index (p->side[0].candidates,
            i), " ", -1);
    guint64 port = g_ascii_strtoull (fields[5], NULL, 10);

    fail_unless (port >= 47100 && port <= 47110, "port %" G_GUINT64_FORMAT,
        port);
    g_strfreev (fields);
  }
  sec_ice_pair_check_data (p, 0, 3);
  sec_ice_pair_free (p);
}

GST_END_TEST;

/* The next warning on @bus; its debug text in @debug. */
static gboolean
next_warning (GstBus * bus, gchar ** debug)
{
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND,
      GST_MESSAGE_WARNING);
  GError *error = NULL;

  if (msg == NULL)
    return FALSE;
  gst_message_parse_warning (msg, &error, debug);
  g_clear_error (&error);
  gst_message_unref (msg);
  return TRUE;
}

GST_START_TEST (test_bad_input)
{
  SecIcePair *p = sec_ice_pair_new ();
  GObject *t = p->side[0].transport;
  GstBus *bus = gst_element_get_bus (p->side[0].pipeline);
  static const gchar *bad_candidates[] = {
    "",
    "candidate:",
    "candidate:1 1 UDP 2130706431 127.0.0.1",
    "candidate:1 1 UDP 99999999999 127.0.0.1 5000 typ host",
    "candidate:1 1 UDP 2130706431 127.0.0.1 70000 typ host",
    "candidate:1 1 UDP 2130706431 127.0.0.1 5000 typ bogus",
    "candidate:1 1 SCTP 2130706431 127.0.0.1 5000 typ host",
    "garbage",
    "candidate:1 2 UDP 2130706431 127.0.0.1 5000 typ host",
    "candidate:1 1 UDP 2130706431 abcd.local 5000 typ host",
  };
  gboolean ok = TRUE;
  gchar *debug = NULL;
  guint i;

  sec_ice_pair_check_plugins ();
  sec_ice_side_play (&p->side[0]);
  for (i = 0; i < G_N_ELEMENTS (bad_candidates); i++) {
    ok = TRUE;
    g_signal_emit_by_name (t, "add-remote-candidate", bad_candidates[i], &ok);
    fail_if (ok, "accepted '%s'", bad_candidates[i]);
    fail_unless (next_warning (bus, &debug), "no warning for '%s'",
        bad_candidates[i]);
    fail_unless (strstr (debug, "candidate") != NULL, "%s", debug);
    g_free (debug);
  }
  /* the unknown component is named as such */
  g_signal_emit_by_name (t, "add-remote-candidate",
      "candidate:1 2 UDP 2130706431 127.0.0.1 5000 typ host", &ok);
  fail_unless (next_warning (bus, &debug));
  fail_unless (strstr (debug, "component 2") != NULL, "%s", debug);
  g_free (debug);

  /* credentials of the wrong length; the password is never shown */
  g_signal_emit_by_name (t, "set-remote-credentials", "abc",
      "0123456789012345678901", &ok);
  fail_if (ok);
  fail_unless (next_warning (bus, &debug));
  fail_unless (strstr (debug, "ufrag") != NULL, "%s", debug);
  g_free (debug);
  g_signal_emit_by_name (t, "set-remote-credentials", "abcd",
      "short-password", &ok);
  fail_if (ok);
  fail_unless (next_warning (bus, &debug));
  fail_unless (strstr (debug, "pwd") != NULL, "%s", debug);
  fail_unless (strstr (debug, "short-password") == NULL);
  g_free (debug);
  gst_object_unref (bus);
  sec_ice_pair_free (p);
}

GST_END_TEST;

GST_START_TEST (test_bad_settings)
{
  SecIcePair *p;
  GstBus *bus;
  GstMessage *msg;
  gchar *debug = NULL;
  GError *error = NULL;

  sec_ice_pair_check_plugins ();
  /* a STUN name that does not resolve: a warning, host candidates still */
  p = sec_ice_pair_new ();
  bus = gst_element_get_bus (p->side[0].pipeline);
  g_object_set (p->side[0].transport, "stun-server",
      "stun:no-such-host.invalid:3478", NULL);
  sec_ice_side_play (&p->side[0]);
  fail_unless (next_warning (bus, &debug));
  fail_unless (strstr (debug, "no-such-host.invalid") != NULL, "%s", debug);
  g_free (debug);
  sec_ice_side_wait_gathered (&p->side[0]);
  fail_unless (p->side[0].candidates->len >= 1);
  gst_object_unref (bus);
  sec_ice_pair_free (p);

  /* settings errors stop the element with a clear error */
  p = sec_ice_pair_new ();
  bus = gst_element_get_bus (p->side[0].pipeline);
  g_object_set (p->side[0].transport, "port-range", "5000-4000", NULL);
  fail_unless_equals_int (gst_element_set_state (p->side[0].pipeline,
          GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &error, &debug);
  fail_unless (strstr (debug, "port-range") != NULL, "%s", debug);
  g_clear_error (&error);
  g_free (debug);
  gst_message_unref (msg);
  gst_object_unref (bus);
  sec_ice_pair_free (p);

  p = sec_ice_pair_new ();
  bus = gst_element_get_bus (p->side[0].pipeline);
  g_object_set (p->side[0].transport, "turn-server",
      "turn://127.0.0.1:3478", NULL);
  fail_unless_equals_int (gst_element_set_state (p->side[0].pipeline,
          GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &error, &debug);
  fail_unless (strstr (debug, "turn-server") != NULL, "%s", debug);
  g_clear_error (&error);
  g_free (debug);
  gst_message_unref (msg);
  gst_object_unref (bus);
  sec_ice_pair_free (p);
}

GST_END_TEST;


/* --- streaming: the ICE thread never waits on downstream --------------- */

typedef struct
{
  GMutex lock;
  GCond cond;
  guint64 buffers;              /* protected by lock */
} Counter;

static void
counter_init (Counter * c)
{
  g_mutex_init (&c->lock);
  g_cond_init (&c->cond);
  c->buffers = 0;
}

static void
counter_clear (Counter * c)
{
  g_mutex_clear (&c->lock);
  g_cond_clear (&c->cond);
}

static guint64
counter_get (Counter * c)
{
  guint64 n;

  g_mutex_lock (&c->lock);
  n = c->buffers;
  g_mutex_unlock (&c->lock);
  return n;
}

static void
on_handoff (GstElement * sink, GstBuffer * buffer, GstPad * pad, Counter * c)
{
  (void) sink;
  (void) buffer;
  (void) pad;
  g_mutex_lock (&c->lock);
  c->buffers++;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
}

/* Waits (at most 10 s) until more than @than buffers were counted. */
static void
counter_wait_above (Counter * c, guint64 than, const gchar * what)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_mutex_lock (&c->lock);
  while (c->buffers <= than)
    fail_unless (g_cond_wait_until (&c->cond, &c->lock, end),
        "%s: no datagram delivered within 10 s (%" G_GUINT64_FORMAT
        " so far)", what, c->buffers);
  g_mutex_unlock (&c->lock);
}

/* Side @from's appsrc gets a 200-byte datagram every 200 us until
 * stopped (load, not a wait). */
typedef struct
{
  GstElement *appsrc;
  gint stop;
  GThread *thread;
} Sender;

static gpointer
sender_run (gpointer data)
{
  Sender *s = data;
  guint8 payload[200];
  guint n = 0;

  while (!g_atomic_int_get (&s->stop)) {
    memset (payload, n++, sizeof (payload));
    gst_app_src_push_buffer (GST_APP_SRC (s->appsrc),
        gst_buffer_new_memdup (payload, sizeof (payload)));
    g_usleep (200);
  }
  return NULL;
}

static void
sender_start (Sender * s, GstElement * appsrc)
{
  s->appsrc = appsrc;
  s->stop = 0;
  s->thread = g_thread_new ("sender", sender_run, s);
}

static void
sender_stop (Sender * s)
{
  g_atomic_int_set (&s->stop, 1);
  g_thread_join (s->thread);
}

/* gst_element_set_state () in a thread of its own, waited for at most
 * @seconds: a deadlock fails the test instead of hanging it. */
typedef struct
{
  GstElement *element;
  GstState state;
  GstStateChangeReturn ret;
  gboolean done;
  GMutex lock;
  GCond cond;
} StateCall;

static gpointer
state_call_run (gpointer data)
{
  StateCall *call = data;
  GstStateChangeReturn ret = gst_element_set_state (call->element,
      call->state);

  g_mutex_lock (&call->lock);
  call->ret = ret;
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->lock);
  return NULL;
}

static GstStateChangeReturn
set_state_bounded (GstElement * element, GstState state, gint seconds,
    const gchar * what)
{
  /* not freed if the call never returns: the test fails then */
  StateCall *call = g_new0 (StateCall, 1);
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  GstStateChangeReturn ret;
  GThread *thread;

  call->element = element;
  call->state = state;
  g_mutex_init (&call->lock);
  g_cond_init (&call->cond);
  thread = g_thread_new ("set-state", state_call_run, call);
  g_mutex_lock (&call->lock);
  while (!call->done)
    fail_unless (g_cond_wait_until (&call->cond, &call->lock, end),
        "%s: the state change to %s did not return within %d s "
        "(deadlock)", what, gst_element_state_get_name (state), seconds);
  g_mutex_unlock (&call->lock);
  g_thread_join (thread);
  ret = call->ret;
  g_mutex_clear (&call->lock);
  g_cond_clear (&call->cond);
  g_free (call);
  return ret;
}

/* Replaces @side's appsink by "identity ! identity ! identity ! identity
 * ! fakesink" (sync as given), counting what reaches the fakesink. */
static void
side_use_fakesink (SecIceSide * side, gboolean sync, Counter * counter)
{
  GstElement *prev = side->src, *sink;
  gint i;

  gst_element_unlink (side->src, side->appsink);
  gst_bin_remove (GST_BIN (side->pipeline), side->appsink);
  side->appsink = NULL;
  for (i = 0; i < 4; i++) {
    GstElement *identity = gst_element_factory_make ("identity", NULL);

    gst_bin_add (GST_BIN (side->pipeline), identity);
    fail_unless (gst_element_link (prev, identity));
    prev = identity;
  }
  sink = gst_element_factory_make ("fakesink", NULL);
  g_object_set (sink, "sync", sync, "signal-handoffs", TRUE, NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), counter);
  gst_bin_add (GST_BIN (side->pipeline), sink);
  fail_unless (gst_element_link (prev, sink));
}

/* The reviewer's reproduction: datagrams arriving every 200 us while the
 * receiving pipeline goes PLAYING -> PAUSED -> PLAYING 20 times, then to
 * NULL. Before the fix the ICE thread blocked in the paused sink's
 * preroll while secicesrc waited for it: a deadlock of every transport. */
static void
check_pause_while_receiving (gboolean sync)
{
  SecIcePair *p = sec_ice_pair_new ();
  SecIceSide *rx = &p->side[1];
  Counter counter;
  Sender sender;
  gint round;

  sec_ice_pair_check_plugins ();
  counter_init (&counter);
  side_use_fakesink (rx, sync, &counter);
  sec_ice_pair_start (p);
  sec_ice_pair_wait_connected (p);
  sender_start (&sender, p->side[0].appsrc);
  counter_wait_above (&counter, 0, "first datagram");

  for (round = 0; round < 20; round++) {
    guint64 before;
    gchar *what = g_strdup_printf ("round %d of 20 (sync=%d)", round + 1,
        sync);

    fail_if (set_state_bounded (rx->pipeline, GST_STATE_PAUSED, 20, what) ==
        GST_STATE_CHANGE_FAILURE);
    before = counter_get (&counter);
    fail_if (set_state_bounded (rx->pipeline, GST_STATE_PLAYING, 20, what) ==
        GST_STATE_CHANGE_FAILURE);
    /* datagrams flow again, so the next pause meets a push */
    counter_wait_above (&counter, before, what);
    g_free (what);
  }
  fail_unless_equals_int (set_state_bounded (rx->pipeline, GST_STATE_NULL,
          20, "to NULL"), GST_STATE_CHANGE_SUCCESS);
  sender_stop (&sender);
  sec_ice_pair_free (p);
  counter_clear (&counter);
}

GST_START_TEST (test_pause_while_receiving)
{
  check_pause_while_receiving (TRUE);
}

GST_END_TEST;

GST_START_TEST (test_pause_while_receiving_no_sync)
{
  check_pause_while_receiving (FALSE);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean blocked;             /* protected by lock */
} Block;

static GstPadProbeReturn
on_blocked (GstPad * pad, GstPadProbeInfo * info, Block * b)
{
  (void) pad;
  (void) info;
  g_mutex_lock (&b->lock);
  b->blocked = TRUE;
  g_cond_broadcast (&b->cond);
  g_mutex_unlock (&b->lock);
  return GST_PAD_PROBE_OK;
}

static guint64
transport_stat (GObject * transport, const gchar * field)
{
  GstStructure *stats = NULL;
  guint64 value = 0;

  g_object_get (transport, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint64 (stats, field, &value), "no %s in "
      "%" GST_PTR_FORMAT, field, stats);
  gst_structure_free (stats);
  return value;
}

/* Downstream of one secicesrc blocks (a blocking probe stands for a full
 * queue or a paused sink): only that element's datagrams wait, then are
 * dropped and counted past max-pending; another transport of the process
 * keeps receiving, and the blocked one resumes when unblocked. */
GST_START_TEST (test_blocked_downstream_costs_only_its_own)
{
  SecIcePair *blocked = sec_ice_pair_new ();
  SecIcePair *other = sec_ice_pair_new ();
  GstPad *pad = gst_element_get_static_pad (blocked->side[1].src, "src");
  Block b;
  gulong probe;
  guint i;
  gint64 end;

  sec_ice_pair_check_plugins ();
  g_mutex_init (&b.lock);
  g_cond_init (&b.cond);
  b.blocked = FALSE;
  g_object_set (blocked->side[1].src, "max-pending", 16, NULL);
  sec_ice_pair_start (blocked);
  sec_ice_pair_start (other);
  sec_ice_pair_wait_connected (blocked);
  sec_ice_pair_wait_connected (other);
  sec_ice_pair_check_data (blocked, 0, 2);

  probe = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BLOCK_DOWNSTREAM,
      (GstPadProbeCallback) on_blocked, &b, NULL);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_mutex_lock (&b.lock);
  while (!b.blocked) {
    g_mutex_unlock (&b.lock);
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC
            (blocked->side[0].appsrc), gst_buffer_new_memdup ("x", 1)),
        GST_FLOW_OK);
    g_mutex_lock (&b.lock);
    if (!b.blocked)
      g_cond_wait_until (&b.cond, &b.lock, MIN (end, g_get_monotonic_time ()
              + 50 * G_TIME_SPAN_MILLISECOND));
    fail_unless (b.blocked || g_get_monotonic_time () < end,
        "the probe never blocked");
  }
  g_mutex_unlock (&b.lock);

  /* the other transport does not notice */
  sec_ice_pair_check_data (other, 0, 10);
  sec_ice_pair_check_data (other, 1, 10);

  /* the blocked one keeps at most max-pending, counts the rest */
  for (i = 0; i < 100; i++)
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC
            (blocked->side[0].appsrc), gst_buffer_new_memdup ("y", 1)),
        GST_FLOW_OK);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (transport_stat (blocked->side[1].transport, "datagrams-dropped") <
      100 - 16 - 1) {
    fail_unless (g_get_monotonic_time () < end, "only %" G_GUINT64_FORMAT
        " datagrams counted as dropped", transport_stat (blocked->side[1].
            transport, "datagrams-dropped"));
    g_usleep (10 * 1000);
  }

  /* unblocked, it delivers again */
  gst_pad_remove_probe (pad, probe);
  sec_ice_pair_check_data (blocked, 0, 5);
  gst_object_unref (pad);
  sec_ice_pair_free (blocked);
  sec_ice_pair_free (other);
  g_mutex_clear (&b.lock);
  g_cond_clear (&b.cond);
}

GST_END_TEST;

/* transport is fixed while the element runs: a change is refused with a
 * warning and the element keeps its transport. */
GST_START_TEST (test_transport_fixed_while_running)
{
  SecIcePair *p = sec_ice_pair_new ();
  GstBus *bus = gst_element_get_bus (p->side[0].pipeline);
  GstElement *elements[2] = { p->side[0].src, p->side[0].sink };
  gchar *before = NULL, *after = NULL, *debug = NULL;
  guint i;

  sec_ice_pair_check_plugins ();
  sec_ice_pair_start (p);
  sec_ice_pair_wait_connected (p);
  for (i = 0; i < 2; i++) {
    g_object_get (elements[i], "transport", &before, NULL);
    g_object_set (elements[i], "transport", "another-transport", NULL);
    g_object_get (elements[i], "transport", &after, NULL);
    fail_unless_equals_string (after, before);
    fail_unless (next_warning (bus, &debug), "no warning from %s",
        GST_OBJECT_NAME (elements[i]));
    fail_unless (strstr (debug, "transport") != NULL, "%s", debug);
    g_free (debug);
    g_free (before);
    g_free (after);
  }
  sec_ice_pair_check_data (p, 0, 3);
  sec_ice_pair_check_data (p, 1, 3);
  gst_object_unref (bus);
  sec_ice_pair_free (p);
}

GST_END_TEST;

/* --- warnings in every state, and the settings on the elements -------- */

/* The next warning on @bus within 5 s: its text for people, its debug
 * text and the element that posted it (all may be NULL). */
static gboolean
next_warning_full (GstBus * bus, gchar ** text, gchar ** debug,
    GstObject ** source)
{
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND,
      GST_MESSAGE_WARNING);
  GError *error = NULL;

  if (msg == NULL)
    return FALSE;
  gst_message_parse_warning (msg, &error, debug);
  if (text)
    *text = g_strdup (error->message);
  if (source)
    *source = gst_object_ref (GST_MESSAGE_SRC (msg));
  g_clear_error (&error);
  gst_message_unref (msg);
  return TRUE;
}

/* Bad remote input while the elements are in NULL or READY (the
 * application signals before it starts the pipeline, as a bin does):
 * refused with the warning docs/ice.md describes, from an element that
 * holds the transport, also once the element that took it last is gone. */
GST_START_TEST (test_bad_input_before_start)
{
  SecIcePair *p = sec_ice_pair_new ();
  SecIceSide *side = &p->side[0];
  GstBus *bus = gst_element_get_bus (side->pipeline);
  GstState states[] = { GST_STATE_NULL, GST_STATE_READY };
  GstObject *source = NULL;
  gboolean ok;
  gchar *debug = NULL;
  guint i;

  sec_ice_pair_check_plugins ();
  for (i = 0; i < G_N_ELEMENTS (states); i++) {
    fail_unless (gst_element_set_state (side->pipeline, states[i]) ==
        GST_STATE_CHANGE_SUCCESS);
    ok = TRUE;
    g_signal_emit_by_name (side->transport, "add-remote-candidate",
        "candidate:1 1 UDP 2130706431 127.0.0.1 70000 typ host", &ok);
    fail_if (ok);
    fail_unless (next_warning_full (bus, NULL, &debug, &source),
        "no warning for a bad candidate in %s",
        gst_element_state_get_name (states[i]));
    fail_unless (strstr (debug, "candidate") != NULL, "%s", debug);
    fail_unless (source == GST_OBJECT (side->src)
        || source == GST_OBJECT (side->sink), "posted by %s",
        GST_OBJECT_NAME (source));
    gst_object_unref (source);
    g_free (debug);

    ok = TRUE;
    g_signal_emit_by_name (side->transport, "set-remote-credentials", "abc",
        "0123456789012345678901", &ok);
    fail_if (ok);
    fail_unless (next_warning_full (bus, NULL, &debug, NULL),
        "no warning for a bad ufrag in %s",
        gst_element_state_get_name (states[i]));
    fail_unless (strstr (debug, "ufrag") != NULL, "%s", debug);
    g_free (debug);
  }

  /* secicesink took the transport last; without it, secicesrc reports
   * (the pipeline stays in READY: in NULL its bus flushes) */
  fail_unless (gst_element_set_state (side->sink, GST_STATE_NULL) ==
      GST_STATE_CHANGE_SUCCESS);
  gst_element_unlink (side->appsrc, side->sink);
  gst_bin_remove (GST_BIN (side->pipeline), side->sink);
  side->sink = NULL;
  ok = TRUE;
  g_signal_emit_by_name (side->transport, "add-remote-candidate", "garbage",
      &ok);
  fail_if (ok);
  fail_unless (next_warning_full (bus, NULL, &debug, &source),
      "no warning once secicesink is gone");
  fail_unless (source == GST_OBJECT (side->src), "posted by %s",
      GST_OBJECT_NAME (source));
  gst_object_unref (source);
  g_free (debug);
  gst_object_unref (bus);
  sec_ice_pair_free (p);
}

GST_END_TEST;

/* ice-transport-policy=relay with no TURN server cannot connect: said at
 * start, with what to set. Not said when there is a TURN server. */
GST_START_TEST (test_relay_without_turn_warns)
{
  SecIcePair *p = sec_ice_pair_new ();
  GstBus *bus = gst_element_get_bus (p->side[0].pipeline);
  GstBus *bus1 = gst_element_get_bus (p->side[1].pipeline);
  gchar *text = NULL, *debug = NULL;

  sec_ice_pair_check_plugins ();
  gst_util_set_object_arg (G_OBJECT (p->side[0].transport),
      "ice-transport-policy", "relay");
  sec_ice_side_play (&p->side[0]);
  fail_unless (next_warning_full (bus, &text, &debug, NULL),
      "no warning for relay policy without a TURN server");
  fail_unless (strstr (text, "turn-server") != NULL, "%s", text);
  fail_unless (strstr (text, "nothing can connect") != NULL, "%s", text);
  fail_unless (strstr (debug, "relay") != NULL, "%s", debug);
  g_free (text);
  g_free (debug);

  /* with a TURN server (nothing listens there: only the settings count) */
  gst_util_set_object_arg (G_OBJECT (p->side[1].transport),
      "ice-transport-policy", "relay");
  g_object_set (p->side[1].transport, "turn-server",
      "turn://user:pass@127.0.0.1:9?transport=udp", NULL);
  sec_ice_side_play (&p->side[1]);
  /* the warning is posted while the element starts, so it would be on
   * the bus by now */
  fail_unless (gst_bus_pop_filtered (bus1, GST_MESSAGE_WARNING) == NULL);
  gst_object_unref (bus);
  gst_object_unref (bus1);
  sec_ice_pair_free (p);
}

GST_END_TEST;

static const gchar *element_settings[] = {
  "stun-server", "turn-server", "ice-transport-policy", "local-addresses",
  "port-range", "ice-tcp", "turn-tls-ca-file",
};

static void
assert_has_settings (GstElement * element)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (element);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (element_settings); i++) {
    GParamSpec *pspec = g_object_class_find_property (klass,
        element_settings[i]);

    fail_unless (pspec != NULL, "%s has no property %s",
        GST_OBJECT_NAME (element), element_settings[i]);
    fail_unless (pspec->flags & G_PARAM_WRITABLE);
    /* it holds passwords: write-only, as on the transport */
    fail_unless_equals_int (! !(pspec->flags & G_PARAM_READABLE),
        !g_str_equal (element_settings[i], "turn-server"));
  }
}

static gchar *
get_string (gpointer object, const gchar * name)
{
  gchar *value = NULL;

  g_object_get (object, name, &value, NULL);
  return value;
}

#define assert_string_prop(object, name, expected) G_STMT_START {       \
  gchar *__v = get_string (object, name);                               \
  fail_unless_equals_string (__v, expected);                            \
  g_free (__v);                                                         \
} G_STMT_END

/* The common ICE settings on secicesrc and secicesink themselves, so a
 * launch line can set them: given before `transport` they wait for it,
 * given after they go straight to the transport; reading gives the
 * transport's value. */
GST_START_TEST (test_settings_on_elements)
{
  const gchar *factories[] = { "secicesrc", "secicesink" };
  guint i;

  sec_ice_pair_check_plugins ();
  for (i = 0; i < G_N_ELEMENTS (factories); i++) {
    GstElement *e = gst_element_factory_make (factories[i], NULL);
    gchar *name = g_strdup_printf ("settings-%s", factories[i]);
    GObject *t = NULL;
    gint policy = -1;
    gboolean ice_tcp = FALSE;

    assert_has_settings (e);
    /* before the transport: kept, and readable on the element */
    g_object_set (e, "stun-server", "stun://127.0.0.1:3478",
        "local-addresses", "127.0.0.1", NULL);
    assert_string_prop (e, "stun-server", "stun://127.0.0.1:3478");
    g_object_set (e, "transport", name, NULL);
    g_object_get (e, "ice-transport", &t, NULL);
    fail_unless (t != NULL);
    assert_string_prop (t, "stun-server", "stun://127.0.0.1:3478");
    assert_string_prop (t, "local-addresses", "127.0.0.1");

    /* after: written through */
    gst_util_set_object_arg (G_OBJECT (e), "ice-transport-policy", "relay");
    g_object_set (e, "port-range", "47200-47210", "ice-tcp", TRUE,
        "turn-tls-ca-file", "/nonexistent/ca.pem",
        "turn-server", "turn://user:pass@127.0.0.1:3478", NULL);
    g_object_get (t, "ice-transport-policy", &policy, "ice-tcp", &ice_tcp,
        NULL);
    fail_unless_equals_int (policy, 1);
    fail_unless (ice_tcp);
    assert_string_prop (t, "port-range", "47200-47210");
    assert_string_prop (t, "turn-tls-ca-file", "/nonexistent/ca.pem");

    /* reading gives the transport's value, whoever set it */
    g_object_set (t, "stun-server", "stun://127.0.0.2:3478", NULL);
    assert_string_prop (e, "stun-server", "stun://127.0.0.2:3478");
    assert_string_prop (e, "port-range", "47200-47210");
    policy = -1;
    g_object_get (e, "ice-transport-policy", &policy, NULL);
    fail_unless_equals_int (policy, 1);

    g_object_unref (t);
    gst_object_unref (e);
    g_free (name);
  }
}

GST_END_TEST;

/* turn-server is write-only: that it reached the transport shows at
 * start, where a URI without credentials is an error naming it. */
GST_START_TEST (test_turn_server_on_element_reaches_transport)
{
  SecIcePair *p = sec_ice_pair_new ();
  GstBus *bus = gst_element_get_bus (p->side[0].pipeline);
  GstMessage *msg;
  GError *error = NULL;
  gchar *debug = NULL;

  sec_ice_pair_check_plugins ();
  assert_has_settings (p->side[0].sink);
  g_object_set (p->side[0].sink, "turn-server", "turn://127.0.0.1:3478",
      NULL);
  fail_unless_equals_int (gst_element_set_state (p->side[0].pipeline,
          GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &error, &debug);
  fail_unless (strstr (debug, "turn-server") != NULL, "%s", debug);
  g_clear_error (&error);
  g_free (debug);
  gst_message_unref (msg);
  gst_object_unref (bus);
  sec_ice_pair_free (p);
}

GST_END_TEST;

/* Once gathering started the settings are fixed, as on the transport: a
 * change through an element is refused with a warning from that element,
 * and the transport keeps its value. */
GST_START_TEST (test_settings_fixed_once_started)
{
  SecIcePair *p = sec_ice_pair_new ();
  GstBus *bus = gst_element_get_bus (p->side[0].pipeline);
  GstElement *elements[2] = { p->side[0].src, p->side[0].sink };
  GstObject *source = NULL;
  gchar *text = NULL, *debug = NULL;
  guint i;

  sec_ice_pair_check_plugins ();
  assert_has_settings (p->side[0].src);
  sec_ice_side_play (&p->side[0]);
  for (i = 0; i < 2; i++) {
    g_object_set (elements[i], "local-addresses", "127.0.0.2", NULL);
    fail_unless (next_warning_full (bus, &text, &debug, &source),
        "no warning from %s", GST_OBJECT_NAME (elements[i]));
    fail_unless (source == GST_OBJECT (elements[i]), "posted by %s",
        GST_OBJECT_NAME (source));
    fail_unless (strstr (debug, "local-addresses") != NULL, "%s", debug);
    fail_unless (strstr (text, "gathering started") != NULL, "%s", text);
    assert_string_prop (p->side[0].transport, "local-addresses",
        "127.0.0.1");
    assert_string_prop (elements[i], "local-addresses", "127.0.0.1");
    gst_object_unref (source);
    g_free (text);
    g_free (debug);
  }
  /* the value it holds again is no change: no warning (posted at once,
   * so it would be on the bus now) */
  g_object_set (elements[0], "local-addresses", "127.0.0.1", NULL);
  g_object_set (p->side[0].transport, "ice-tcp", FALSE, NULL);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL,
      "a warning for setting the value the transport holds");
  /* turn-server's value is never quoted */
  g_object_set (elements[0], "turn-server", "turn://u:hidden-pw@127.0.0.1:9",
      NULL);
  fail_unless (next_warning_full (bus, &text, &debug, NULL));
  fail_unless (strstr (debug, "turn-server") != NULL, "%s", debug);
  fail_unless (strstr (debug, "hidden-pw") == NULL, "%s", debug);
  g_free (text);
  g_free (debug);
  gst_object_unref (bus);
  sec_ice_pair_free (p);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  GPtrArray *candidates;
} Candidates;

static void
on_launch_candidate (GObject * transport, const gchar * candidate,
    Candidates * c)
{
  g_mutex_lock (&c->lock);
  g_ptr_array_add (c->candidates, g_strdup (candidate));
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
}

/* The launch line of secicesrc's documentation, as gst-launch-1.0 runs it:
 * the settings reach the transport, which gathers on 127.0.0.1. And a
 * sink with its settings before `transport`. */
GST_START_TEST (test_settings_from_launch_line)
{
  const gchar *line = "secicesrc transport=t stun-server=stun://127.0.0.1:3478 "
      "local-addresses=127.0.0.1 ! fakesink";
  const gchar *sink_line = "fakesrc num-buffers=0 ! secicesink "
      "port-range=47300-47310 ice-transport-policy=relay "
      "local-addresses=127.0.0.1 transport=t-sink";
  Candidates c = { 0, };
  GError *error = NULL;
  GstElement *pipeline, *e;
  GObject *t = NULL;
  gint64 end;
  gint policy = -1;

  sec_ice_pair_check_plugins ();
  pipeline = gst_parse_launch (line, &error);
  fail_unless (pipeline != NULL && error == NULL, "'%s': %s", line,
      error ? error->message : "no pipeline");
  e = sec_check_find_by_factory (pipeline, "secicesrc");
  g_object_get (e, "ice-transport", &t, NULL);
  assert_string_prop (t, "stun-server", "stun://127.0.0.1:3478");
  assert_string_prop (t, "local-addresses", "127.0.0.1");

  g_mutex_init (&c.lock);
  g_cond_init (&c.cond);
  c.candidates = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (t, "on-local-candidate", G_CALLBACK (on_launch_candidate),
      &c);
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_mutex_lock (&c.lock);
  while (c.candidates->len == 0)
    fail_unless (g_cond_wait_until (&c.cond, &c.lock, end),
        "no candidate gathered");
  fail_unless (strstr (g_ptr_array_index (c.candidates, 0), " 127.0.0.1 ")
      != NULL, "%s", (gchar *) g_ptr_array_index (c.candidates, 0));
  g_mutex_unlock (&c.lock);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (e);
  gst_object_unref (pipeline);
  /* the last reference: the transport goes, and its callbacks with it */
  g_object_unref (t);
  g_ptr_array_unref (c.candidates);
  g_mutex_clear (&c.lock);
  g_cond_clear (&c.cond);

  pipeline = gst_parse_launch (sink_line, &error);
  fail_unless (pipeline != NULL && error == NULL, "'%s': %s", sink_line,
      error ? error->message : "no pipeline");
  e = sec_check_find_by_factory (pipeline, "secicesink");
  g_object_get (e, "ice-transport", &t, NULL);
  assert_string_prop (t, "port-range", "47300-47310");
  assert_string_prop (t, "local-addresses", "127.0.0.1");
  g_object_get (t, "ice-transport-policy", &policy, NULL);
  fail_unless_equals_int (policy, 1);
  g_object_unref (t);
  gst_object_unref (e);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* A transport torn down while libnice is still asking a STUN server for
 * the server-reflexive candidate (nothing listens there: the request
 * meets ICMP port unreachable), again and again: libnice's socket
 * callbacks must not run on a stream that is being removed (a crash,
 * seen first in test_settings_from_launch_line). */
#define TEARDOWN_STUN_ROUNDS 40

GST_START_TEST (test_teardown_while_asking_stun)
{
  guint round;

  sec_ice_pair_check_plugins ();
  for (round = 0; round < TEARDOWN_STUN_ROUNDS; round++) {
    Candidates c = { 0, };
    GstElement *pipeline, *e;
    GObject *t = NULL;
    GError *error = NULL;
    gchar *line = g_strdup_printf ("secicesrc transport=stun-teardown-%u "
        "stun-server=stun://127.0.0.1:9 local-addresses=127.0.0.1 ! "
        "fakesink", round);
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    pipeline = gst_parse_launch (line, &error);
    fail_unless (pipeline != NULL && error == NULL, "%s", line);
    e = sec_check_find_by_factory (pipeline, "secicesrc");
    g_object_get (e, "ice-transport", &t, NULL);
    g_mutex_init (&c.lock);
    g_cond_init (&c.cond);
    c.candidates = g_ptr_array_new_with_free_func (g_free);
    g_signal_connect (t, "on-local-candidate",
        G_CALLBACK (on_launch_candidate), &c);
    fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
        GST_STATE_CHANGE_FAILURE);
    /* the host candidate is out: the STUN request has gone (or goes) */
    g_mutex_lock (&c.lock);
    while (c.candidates->len == 0)
      fail_unless (g_cond_wait_until (&c.cond, &c.lock, end),
          "round %u: no candidate gathered", round);
    g_mutex_unlock (&c.lock);
    gst_element_set_state (pipeline, GST_STATE_NULL);
    gst_object_unref (e);
    gst_object_unref (pipeline);
    /* the last reference: the transport goes, no callback runs after */
    g_object_unref (t);
    g_ptr_array_unref (c.candidates);
    g_mutex_clear (&c.lock);
    g_cond_clear (&c.cond);
    g_free (line);
  }
}

GST_END_TEST;

static Suite *
secice_suite (void)
{
  Suite *s = suite_create ("secice");
  TCase *tc;

  tc = tcase_create ("connect");
  tcase_add_test (tc, test_connect_and_send);
  tcase_add_test (tc, test_late_trickle);
  tcase_add_test (tc, test_restart);
  tcase_add_test (tc, test_port_range);
  tcase_add_test (tc, test_ice_tcp_candidates);
  tcase_add_test (tc, test_ipv6);
  suite_add_tcase (s, tc);

  tc = tcase_create ("consent");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_consent_lost);
  suite_add_tcase (s, tc);

  tc = tcase_create ("policy-and-input");
  tcase_add_test (tc, test_relay_only_without_relay);
  tcase_add_test (tc, test_bad_input);
  tcase_add_test (tc, test_bad_settings);
  tcase_add_test (tc, test_bad_input_before_start);
  tcase_add_test (tc, test_relay_without_turn_warns);
  suite_add_tcase (s, tc);

  tc = tcase_create ("element-settings");
  tcase_add_test (tc, test_settings_on_elements);
  tcase_add_test (tc, test_turn_server_on_element_reaches_transport);
  tcase_add_test (tc, test_settings_fixed_once_started);
  tcase_add_test (tc, test_settings_from_launch_line);
  suite_add_tcase (s, tc);

  tc = tcase_create ("teardown");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_teardown_while_asking_stun);
  suite_add_tcase (s, tc);

  tc = tcase_create ("streaming");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_pause_while_receiving);
  tcase_add_test (tc, test_pause_while_receiving_no_sync);
  tcase_add_test (tc, test_blocked_downstream_costs_only_its_own);
  tcase_add_test (tc, test_transport_fixed_while_running);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (secice);
