/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * secwebrtcbin's private parts, shared by its files:
 * gstsecwebrtcbin.c (class, negotiation, properties),
 * gstsecwebrtcbintransports.c (the transports, their candidates and the
 * states made from theirs), gstsecwebrtcbinpads.c (request pads and
 * transceivers) and gstsecwebrtcbinstats.c (get-stats).
 */
#ifndef GST_SEC_WEBRTC_BIN_PRIVATE_H
#define GST_SEC_WEBRTC_BIN_PRIVATE_H

#include <gst/gst.h>

#include "gstsecwebrtcbin.h"
#include "gstsecwebrtcdatachannel.h"
#include "session.h"
#include "transport.h"
#include "webrtcenums.h"
#include "webrtcmedia.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_sec_webrtc_bin_debug);

#define ICE_STATE_CHECKING 1
#define ICE_STATE_CONNECTED 2
#define ICE_STATE_COMPLETED 3
#define ICE_STATE_FAILED 4
#define ICE_STATE_DISCONNECTED 5
#define ICE_STATE_CLOSED 6
#define DTLS_STATE_CONNECTING 1
#define DTLS_STATE_CONNECTED 2
#define DTLS_STATE_CLOSED 3
#define DTLS_STATE_FAILED 4

enum
{
  SIGNAL_CREATE_OFFER,
  SIGNAL_CREATE_ANSWER,
  SIGNAL_SET_LOCAL_DESCRIPTION,
  SIGNAL_SET_REMOTE_DESCRIPTION,
  SIGNAL_ADD_ICE_CANDIDATE,
  SIGNAL_ADD_TURN_SERVER,
  SIGNAL_ADD_TRANSCEIVER,
  SIGNAL_GET_STATS,
  SIGNAL_ON_NEGOTIATION_NEEDED,
  SIGNAL_ON_ICE_CANDIDATE,
  SIGNAL_CREATE_DATA_CHANNEL,
  SIGNAL_ON_DATA_CHANNEL,
  GST_SEC_WEBRTC_BIN_LAST_SIGNAL
};

G_GNUC_INTERNAL extern guint
    gst_sec_webrtc_bin_signals[GST_SEC_WEBRTC_BIN_LAST_SIGNAL];

/* get-stats' own records (gstsecwebrtcbinstats.c) */
typedef struct _GstSecWebRTCBinStats GstSecWebRTCBinStats;

/* One local transport (GstSecWebRTCTransport) and what the bin counts of
 * it; its id is an m-line index (session.h) and its rtpbin session. */
typedef struct
{
  guint id;
  GstSecWebRTCTransport *transport;     /* a reference */
  /* protected by the bin's object lock: local candidates since gathering
   * (re)started, and whether gathering ended without any: then ICE can
   * never connect on it (failed) */
  guint n_local_candidates;
  gboolean gathering_done;
  gboolean gathered_nothing;
  /* the DTLS role the last remote description gave it */
  gboolean dtls_client;
} GstSecWebRTCBinTransport;

/* A candidate and the m-line it is for. */
typedef struct
{
  guint mline;
  gchar *candidate;             /* "" : end of candidates */
} GstSecWebRTCBinCandidate;

/* What the bin knows of each m-line's pads. */
typedef struct
{
  GstPad *sinkpad;              /* sink_%u ghost, or NULL */
  GstPad *srcpad;               /* src_%u ghost, or NULL */
} MLinePads;

struct _GstSecWebRTCBin
{
  GstBin parent;

  /* set at init */
  gchar *id;                    /* unique in the process */
  SecWebRTCMedia *media;

  /* the negotiation lock: session, transports, pads, candidates queues */
  GRecMutex lock;
  SecWebRTCSession *session;
  /* GstSecWebRTCBinTransport *, by id; changed under the object lock too
   * (read under either) */
  GPtrArray *transports;
  guint transports_made;        /* names them */
  GArray *pads;                 /* MLinePads, by m-line */
  GPtrArray *pending_sinkpads;  /* requested without caps, no m-line yet */
  /* GstSecWebRTCBinCandidate *: before a remote description */
  GPtrArray *early_remote_candidates;
  /* local ones before a local description, and whether there is one:
   * under the object lock (the transports' callbacks take only that) */
  GPtrArray *early_local_candidates;
  gboolean local_description_set;

  /* protected by the object lock */
  gchar *stun_server;
  GPtrArray *turn_servers;      /* URIs (passwords: wiped when freed) */
  GstSecWebRTCIceTransportPolicy ice_transport_policy;
  gchar *local_addresses;
  gchar *port_range;
  gchar *turn_tls_ca_file;
  GstSecWebRTCBundlePolicy bundle_policy;
  gchar *certificate;           /* PEM, wiped when freed */
  guint latency;
  GstSecWebRTCSignalingState signaling_state;
  GstSecWebRTCIceGatheringState ice_gathering_state;
  GstSecWebRTCIceConnectionState ice_connection_state;
  GstSecWebRTCConnectionState connection_state;
  GstStructure *security_info;

  /* set at init, its own lock */
  GstSecWebRTCBinStats *stats;

  /* data channels (gstsecwebrtcbindatachannels.c) */
  GMutex channels_lock;
  GHashTable *channels;         /* stream id -> GstSecWebRTCDataChannel * */
  GPtrArray *pending_channels;  /* created before the association */
  GstElement *sctpenc, *sctpdec;        /* references, once made */
  gboolean sctp_running;        /* started: channels open at once */
  guint64 sctp_max_message_size;        /* our a=max-message-size */
};

/* The largest message we take (a=max-message-size): what browsers say */
#define GST_SEC_WEBRTC_BIN_MAX_MESSAGE_SIZE 262144

G_GNUC_INTERNAL extern GstStaticPadTemplate gst_sec_webrtc_bin_sink_template;
G_GNUC_INTERNAL extern GstStaticPadTemplate gst_sec_webrtc_bin_src_template;

/* gstsecwebrtcbin.c */
/* Wipes and frees a string that may hold a secret (PEM, TURN password). */
G_GNUC_INTERNAL void gst_sec_webrtc_bin_secure_free (gchar * text);

/* gstsecwebrtcbintransports.c */
/* The transports (references, in id order) under the object lock; free
 * with g_ptr_array_unref. */
G_GNUC_INTERNAL GPtrArray *gst_sec_webrtc_bin_ref_transports
    (GstSecWebRTCBin * self);
/* Called with the negotiation lock or the object lock: transport @id or
 * NULL. */
G_GNUC_INTERNAL GstSecWebRTCBinTransport *gst_sec_webrtc_bin_transport_by_id
    (GstSecWebRTCBin * self, guint id);
G_GNUC_INTERNAL void gst_sec_webrtc_bin_transport_entry_free
    (GstSecWebRTCBinTransport * entry);
/* Called with the negotiation lock: transport @id, made (and linked to
 * rtpbin's session @id) if needed; NULL and @error when an element of
 * ours is missing. */
G_GNUC_INTERNAL GstSecWebRTCBinTransport *gst_sec_webrtc_bin_ensure_transport
    (GstSecWebRTCBin * self, guint id, GError ** error);
/* Called with the negotiation lock, after an exchange completed or was
 * rolled back: transports no description uses leave the bin. */
G_GNUC_INTERNAL void gst_sec_webrtc_bin_drop_unused_transports
    (GstSecWebRTCBin * self);
/* Called with the negotiation lock: new ICE credentials and gathering. */
G_GNUC_INTERNAL void gst_sec_webrtc_bin_restart_ice (GstSecWebRTCBin * self,
    GstSecWebRTCBinTransport * entry);
/* Called with the negotiation lock: transports @ids (made as needed) as
 * the session's SecWebRTCLocalTransport table; free with
 * gst_sec_webrtc_bin_local_transports_free (wipes the ICE passwords). */
G_GNUC_INTERNAL GHashTable *gst_sec_webrtc_bin_local_transports
    (GstSecWebRTCBin * self, GArray * ids, GError ** error);
G_GNUC_INTERNAL void gst_sec_webrtc_bin_local_transports_free
    (GHashTable * table);
/* No lock held: the W3C states and security-info from the transports'. */
G_GNUC_INTERNAL void gst_sec_webrtc_bin_update_connection_state
    (GstSecWebRTCBin * self);
G_GNUC_INTERNAL void gst_sec_webrtc_bin_update_gathering_state
    (GstSecWebRTCBin * self);
G_GNUC_INTERNAL void gst_sec_webrtc_bin_set_gathering_state
    (GstSecWebRTCBin * self, GstSecWebRTCIceGatheringState state);
/* Candidates (GstSecWebRTCBinCandidate) waiting in a queue. */
G_GNUC_INTERNAL void gst_sec_webrtc_bin_candidate_free
    (GstSecWebRTCBinCandidate * candidate);
G_GNUC_INTERNAL void gst_sec_webrtc_bin_queue_candidate (GPtrArray * queue,
    guint mline, const gchar * candidate);
/* No lock held: on-ice-candidate. */
G_GNUC_INTERNAL void gst_sec_webrtc_bin_emit_local_candidate
    (GstSecWebRTCBin * self, guint mline, const gchar * candidate);
/* Called with the negotiation lock: the local candidates held until the
 * local description (the caller emits them without the lock). */
G_GNUC_INTERNAL GPtrArray *gst_sec_webrtc_bin_take_early_local_candidates
    (GstSecWebRTCBin * self);
/* W3C: on-negotiation-needed fires as a task, after the call that made it
 * necessary returns. */
G_GNUC_INTERNAL void gst_sec_webrtc_bin_schedule_negotiation_needed
    (GstSecWebRTCBin * self);
/* Called with the lock held: the pads of @mline (grown as needed). */
G_GNUC_INTERNAL MLinePads *gst_sec_webrtc_bin_mline_pads (GstSecWebRTCBin *
    self, guint mline);

/* gstsecwebrtcbinpads.c */
G_GNUC_INTERNAL GstPad *gst_sec_webrtc_bin_request_new_pad (GstElement *
    element, GstPadTemplate * templ, const gchar * name,
    const GstCaps * caps);
G_GNUC_INTERNAL void gst_sec_webrtc_bin_release_pad (GstElement * element,
    GstPad * pad);
/* the add-transceiver action signal */
G_GNUC_INTERNAL guint gst_sec_webrtc_bin_add_transceiver (GstSecWebRTCBin *
    self, const gchar * direction, GstCaps * caps);

/* gstsecwebrtcbindatachannels.c */
G_GNUC_INTERNAL void gst_sec_webrtc_bin_data_channels_init
    (GstSecWebRTCBin * self);
G_GNUC_INTERNAL void gst_sec_webrtc_bin_data_channels_free
    (GstSecWebRTCBin * self);
/* the create-data-channel action signal */
G_GNUC_INTERNAL GstSecWebRTCDataChannel
    * gst_sec_webrtc_bin_create_data_channel (GstSecWebRTCBin * self,
    const gchar * label, const GstStructure * options);
/* a transport made its SCTP elements (not started yet) */
G_GNUC_INTERNAL void gst_sec_webrtc_bin_sctp_created (GstSecWebRTCBin * self,
    GstElement * enc, GstElement * dec);
/* the SCTP elements started: the waiting channels open (no lock held) */
G_GNUC_INTERNAL void gst_sec_webrtc_bin_sctp_started (GstSecWebRTCBin *
    self);
/* Called with the negotiation lock after an exchange completed: the
 * association on the data m-line's transport (it starts when DTLS is
 * connected) */
G_GNUC_INTERNAL void gst_sec_webrtc_bin_start_data_channels
    (GstSecWebRTCBin * self);

/* gstsecwebrtcbinstats.c: the get-stats action signal, and the records
 * it keeps from the start (init after the media, free in finalize) */
G_GNUC_INTERNAL void gst_sec_webrtc_bin_get_stats (GstSecWebRTCBin * self,
    GstPad * pad, GstPromise * promise);
G_GNUC_INTERNAL void gst_sec_webrtc_bin_stats_init (GstSecWebRTCBin * self);
G_GNUC_INTERNAL void gst_sec_webrtc_bin_stats_free (GstSecWebRTCBin * self);

G_END_DECLS

#endif /* GST_SEC_WEBRTC_BIN_PRIVATE_H */
