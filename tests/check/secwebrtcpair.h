/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Two secwebrtcbin peers in one process on 127.0.0.1, each in a pipeline
 * of its own, the test doing the signaling: SDP as text from one bin's
 * promise to the other's action signal, candidates trickled from
 * on-ice-candidate to add-ice-candidate (a hook may tamper with either).
 * Each peer sends what the test adds (VP8 video, Opus audio) and decodes
 * what it receives, counting decoded frames per media.
 *
 * The fixture of tests/check/elements/secwebrtcbin.c and of the coturn
 * test of the bin. Every wait is bounded; helpers fail the running test
 * (check's fail_unless) with what went wrong.
 */
#ifndef SEC_WEBRTC_PAIR_H
#define SEC_WEBRTC_PAIR_H

#include "seccheck.h"

G_BEGIN_DECLS

/* GstSecWebRTCConnectionState values */
#define SEC_WEBRTC_PAIR_CONNECTED 2
#define SEC_WEBRTC_PAIR_FAILED 4

typedef struct _SecWebRTCPair SecWebRTCPair;

/* May rewrite an SDP on its way (return a new string, or NULL to pass it
 * as it is). */
typedef gchar *(*SecWebRTCPairSdpHook) (gint from, const gchar * type,
    const gchar * sdp, gpointer user_data);

typedef struct
{
  SecWebRTCPair *pair;
  gint index;
  GstElement *pipeline;
  GstElement *bin;              /* secwebrtcbin */
  guint video_frames;           /* decoded, protected by pair->lock */
  guint audio_frames;
  guint src_pads;               /* src_%u pads seen */
  GPtrArray *errors;            /* error messages from the bus, strings */
  GPtrArray *warnings;
  gulong keyunit_requests;      /* upstream force-key-unit at our payloader */
  GstElement *video_pay;
} SecWebRTCPeer;

struct _SecWebRTCPair
{
  GMutex lock;
  GCond cond;                   /* broadcast on frames, states, messages */
  SecWebRTCPeer peer[2];
  gboolean trickle;             /* forward candidates at once (TRUE) */
  SecWebRTCPairSdpHook sdp_hook;
  gpointer sdp_hook_data;
};

/* Checks that secwebrtcbin is ours and gst-plugins-bad's is absent. */
void sec_webrtc_pair_check_plugins (void);

/* Two peers, not playing, nothing to send yet. */
SecWebRTCPair *sec_webrtc_pair_new (void);
void sec_webrtc_pair_free (SecWebRTCPair * pair);

/* Peer @i sends a live VP8 (or Opus) test stream into a new sink pad. */
void sec_webrtc_peer_add_video (SecWebRTCPeer * peer);
void sec_webrtc_peer_add_audio (SecWebRTCPeer * peer);

/* Both pipelines to PLAYING. */
void sec_webrtc_pair_play (SecWebRTCPair * pair);

/* One offer/answer exchange with @offerer making the offer; with
 * @options for create-offer (may be NULL). Fails the test on any error
 * unless @expect_error_at is not NULL: then the step that failed
 * ("set-remote-description(answer)", ...) is returned in it and its
 * message in @error_message (g_free both). */
void sec_webrtc_pair_negotiate (SecWebRTCPair * pair, gint offerer,
    GstStructure * options);
gboolean sec_webrtc_pair_try_negotiate (SecWebRTCPair * pair, gint offerer,
    GstStructure * options, gchar ** failed_step, gchar ** error_message);

/* The replies of the action signals, for direct calls. NULL sdp: error
 * message in @error (g_free). */
gchar *sec_webrtc_peer_create (SecWebRTCPeer * peer, const gchar * what,
    GstStructure * options, gchar ** error);
gboolean sec_webrtc_peer_set (SecWebRTCPeer * peer, const gchar * which,
    const gchar * type, const gchar * sdp, gchar ** error);

/* Waits (at most @seconds) until both peers' connection-state is @state. */
void sec_webrtc_pair_wait_state (SecWebRTCPair * pair, gint state,
    gint seconds);
/* Waits until peer @i decoded at least @video video and @audio audio
 * frames (at most @seconds). */
void sec_webrtc_peer_wait_frames (SecWebRTCPeer * peer, guint video,
    guint audio, gint seconds);
gint sec_webrtc_peer_state (SecWebRTCPeer * peer);

G_END_DECLS

#endif /* SEC_WEBRTC_PAIR_H */
