/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Two ICE transports in one process on loopback: the fixture of the
 * secicesrc/secicesink tests (tests/check/elements/secice.c) and of the
 * interop test through coturn's turnserver (tests/interop/ice-coturn.c).
 * Each side is its own pipeline (appsrc ! secicesink, secicesrc ! appsink)
 * on a transport of its own, side 0 controlling, both on 127.0.0.1. The
 * test does the signaling through the transports' signals: the fixture
 * keeps every candidate a side signals and, unless told otherwise,
 * trickles it to the other side at once.
 *
 * A test sets what else it needs (policy, TURN server, port range, other
 * local addresses) on side[i].transport between sec_ice_pair_new () and
 * sec_ice_pair_start (). The helpers fail the running test (check's
 * fail_unless) on errors; every wait is bounded by wait_us.
 */
#ifndef SEC_ICE_PAIR_H
#define SEC_ICE_PAIR_H

#include "seccheck.h"

G_BEGIN_DECLS

/* the values of the transports' "state" (GstSecIceState) */
typedef enum
{
  SEC_ICE_PAIR_STATE_NEW,
  SEC_ICE_PAIR_STATE_CHECKING,
  SEC_ICE_PAIR_STATE_CONNECTED,
  SEC_ICE_PAIR_STATE_COMPLETED,
  SEC_ICE_PAIR_STATE_FAILED,
  SEC_ICE_PAIR_STATE_DISCONNECTED,
  SEC_ICE_PAIR_STATE_CLOSED,
} SecIcePairState;

/* the default bound of every wait of the fixture */
#define SEC_ICE_PAIR_WAIT_US (10 * G_USEC_PER_SEC)

typedef struct _SecIcePair SecIcePair;

/* Text (g_free) that ends the fixture's failure messages, such as
 * "; turnserver printed last:\n..."; called only when a check fails. */
typedef gchar *(*SecIcePairDetailFunc) (gpointer user_data);

typedef struct
{
  SecIcePair *pair;
  gint index;                   /* 0 or 1 */
  GstElement *pipeline;         /* NULL once removed */
  GstElement *src, *sink, *appsrc, *appsink;
  GObject *transport;           /* a reference; NULL once removed */
  GPtrArray *candidates;        /* signaled, protected by pair->lock */
  gboolean gathering_done;      /* protected by pair->lock */
  gboolean forward;             /* trickle to the peer at once; TRUE,
                                 * set before the side plays */
} SecIceSide;

struct _SecIcePair
{
  /* atomic: the test's, and one per handler connected to a transport or
   * a bus, dropped when the handler is gone (after a call running on
   * another thread has returned, which disconnecting does not wait for) */
  gint refcount;
  GMutex lock;
  /* broadcast on each candidate, end of gathering and state change */
  GCond cond;
  SecIceSide side[2];
  gint64 wait_us;               /* SEC_ICE_PAIR_WAIT_US; may be changed */
  SecIcePairDetailFunc detail_func;
  gpointer detail_data;
  gchar *detail;                /* the last failure detail */
  GMutex bus_lock;
  GString *bus_log;             /* warnings and errors either side posted,
                                 * protected by bus_lock; in failure
                                 * messages */
};

/* Fails the test unless secicesrc and secicesink are ours, and if
 * libnice's own elements (nicesrc, nicesink) can be found at all. */
void sec_ice_pair_check_plugins (void);

/* Two sides as above, not playing, with no remote credentials yet. */
SecIcePair *sec_ice_pair_new (void);

/* Stops both sides; their transports, and so their sockets, TURN
 * allocations and connections, go with them. */
void sec_ice_pair_free (SecIcePair * pair);

/* Ends every failure message of the fixture with what @func returns for
 * @user_data (after the warnings and errors either side posted on its
 * bus, which failure messages always show). */
void sec_ice_pair_set_failure_detail (SecIcePair * pair,
    SecIcePairDetailFunc func, gpointer user_data);

/* Gives each side the other's ufrag and pwd. */
void sec_ice_pair_exchange_credentials (SecIcePair * pair);

/* Sets @side's pipeline to PLAYING: it starts gathering. */
void sec_ice_side_play (SecIceSide * side);

/* sec_ice_pair_exchange_credentials (), then both sides play. */
void sec_ice_pair_start (SecIcePair * pair);

/* The side disappears abruptly: its pipeline stops and its transport and
 * sockets go, without a word to the peer. */
void sec_ice_side_remove (SecIceSide * side);

/* @side's transport's "state", a SecIcePairState. */
gint sec_ice_side_state (SecIceSide * side);

/* TRUE if @side's transport is connected or completed. */
gboolean sec_ice_side_is_connected (SecIceSide * side);

/* Waits until both sides are connected (or completed). */
void sec_ice_pair_wait_connected (SecIcePair * pair);

/* Waits until both sides finished gathering. */
void sec_ice_pair_wait_gathered (SecIcePair * pair);

/* Waits until @side finished gathering. */
void sec_ice_side_wait_gathered (SecIceSide * side);

/* Datagrams from side @from to the other, byte for byte, with a
 * timestamp: first probes until one arrives (the first ones may race the
 * peer's selection of a pair), then @count datagrams of 100 to 999 bytes,
 * each received before the next is sent. */
void sec_ice_pair_check_data (SecIcePair * pair, gint from, guint count);

G_END_DECLS

#endif /* SEC_ICE_PAIR_H */
