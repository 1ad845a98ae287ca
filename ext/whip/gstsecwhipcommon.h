/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What secwhipsink, secwhepsrc and secwhipserversrc share: the bearer
 * token's properties, the secwebrtcbin properties they forward, and (the
 * two clients) the HTTPS rules of a request.
 */
#ifndef GST_SEC_WHIP_COMMON_H
#define GST_SEC_WHIP_COMMON_H

#include <gst/gst.h>
#include <libsoup/soup.h>

#include "whipfrag.h"
#include "whipserver.h"

G_BEGIN_DECLS

/* The "secwhip" debug category of these helpers (the plugin's init, or
 * a program that links them). */
G_GNUC_INTERNAL
void gst_sec_whip_debug_init (void);

/* --- the bearer token ---------------------------------------------------- */

typedef struct
{
  gchar *file;                  /* auth-token-file */
  gchar *env;                   /* auth-token-env */
  gchar *value;                 /* auth-token; zeroed when replaced */
  gboolean from_command_line;   /* auth-token set by gst-launch-1.0 */
} GstSecWhipToken;

/* Installs auth-token-file, auth-token-env and auth-token as
 * @first_prop_id, +1, +2 on @klass; @server changes the blurbs. */
G_GNUC_INTERNAL
void gst_sec_whip_token_install (GObjectClass * klass, guint first_prop_id,
    gboolean server);
/* TRUE when @prop_id is one of them (it is then set or read). */
G_GNUC_INTERNAL
gboolean gst_sec_whip_token_set (GstSecWhipToken * token, GObject * object,
    guint first_prop_id, guint prop_id, const GValue * value);
G_GNUC_INTERNAL
gboolean gst_sec_whip_token_get (GstSecWhipToken * token,
    guint first_prop_id, guint prop_id, GValue * value);
G_GNUC_INTERNAL
void gst_sec_whip_token_clear (GstSecWhipToken * token);
/* At start, without the object lock: the warning on the bus when the
 * token in use came from gst-launch-1.0's command line. */
G_GNUC_INTERNAL
void gst_sec_whip_token_warn (GstSecWhipToken * token, GstElement * element);
/* The token: from the file, else the variable, else the property; NULL
 * with no error when none is set. Zero it before freeing (secret_free). */
G_GNUC_INTERNAL
gchar *gst_sec_whip_token_resolve (GstSecWhipToken * token, GError ** error);
G_GNUC_INTERNAL
void gst_sec_whip_secret_free (gchar * secret);

/* --- secwebrtcbin's properties, forwarded -------------------------------- */

/* Installs copies of the bin's ICE, certificate, latency and security
 * properties (local-addresses, port-range, stun-server, turn-server,
 * turn-tls-ca-file, ice-transport-policy, certificate, latency,
 * bundle-policy, local-fingerprint, security-info, connection-state) from
 * @first_prop_id on. Returns how many. */
G_GNUC_INTERNAL
guint gst_sec_whip_forward_install (GObjectClass * klass,
    guint first_prop_id);
/* The forwarded property's name for @prop_id, NULL when it is not one. */
G_GNUC_INTERNAL
const gchar *gst_sec_whip_forward_name (guint first_prop_id, guint prop_id);
/* Whether the bin's property @name can be written. */
G_GNUC_INTERNAL
gboolean gst_sec_whip_forward_writable (const gchar * name);
/* Sets or reads the bin's property @name from or into our value (enums
 * as their nicks). */
G_GNUC_INTERNAL
void gst_sec_whip_forward_set (GstElement * webrtcbin, const gchar * name,
    const GValue * value);
G_GNUC_INTERNAL
void gst_sec_whip_forward_read (GstElement * webrtcbin, const gchar * name,
    GValue * value);

/* Values set before the bin exists (the server makes one per session):
 * kept here and applied to each new bin. */
typedef struct
{
  GHashTable *values;           /* name -> GValue */
} GstSecWhipForward;

G_GNUC_INTERNAL
void gst_sec_whip_forward_init (GstSecWhipForward * forward);
G_GNUC_INTERNAL
void gst_sec_whip_forward_clear (GstSecWhipForward * forward);
G_GNUC_INTERNAL
void gst_sec_whip_forward_store (GstSecWhipForward * forward,
    const gchar * name, const GValue * value);
G_GNUC_INTERNAL
void gst_sec_whip_forward_apply (GstSecWhipForward * forward,
    GstElement * webrtcbin);
/* The value kept for @name, else the default of the property. */
G_GNUC_INTERNAL
void gst_sec_whip_forward_get (GstSecWhipForward * forward,
    GParamSpec * pspec, GValue * value);

/* --- the clients' HTTPS ------------------------------------------------- */

/* Checks @url for a client: https, or http to a loopback address
 * (*@plain set; the caller warns). Returns the parsed URI. */
G_GNUC_INTERNAL
GUri *gst_sec_whip_check_url (const gchar * url, gboolean * plain,
    GError ** error);
/* @uri without user info, query or fragment: for messages (g_free). */
G_GNUC_INTERNAL
gchar *gst_sec_whip_url_for_log (GUri * uri);
/* A session that verifies servers against @ca_file (NULL: the system's
 * store), gives up after @timeout_s, and follows no redirect by itself. */
G_GNUC_INTERNAL
SoupSession *gst_sec_whip_session_new (const gchar * ca_file,
    guint timeout_s, GError ** error);

/* The ICE candidates gathered for a local description, put into it:
 * a=candidate lines on the m-line each was gathered for, and
 * a=end-of-candidates on every m-line (g_free). */
G_GNUC_INTERNAL
gchar *gst_sec_whip_sdp_add_candidates (const gchar * sdp,
    GPtrArray * candidates, GArray * mlines);

/* Runs the description exchange calls of a secwebrtcbin and waits for
 * their promise (bounded): the reply's sdp for create-offer/-answer
 * (g_free), "" for the others; NULL and @error when refused. */
G_GNUC_INTERNAL
gchar *gst_sec_whip_bin_call (GstElement * webrtcbin, const gchar * call,
    const gchar * type, const gchar * sdp, GError ** error);

/* Sets @webrtcbin's local description to the @type (offer or answer) it
 * creates and waits (at most @timeout_s) for ICE gathering to complete:
 * returns the description with every candidate in it (g_free). */
G_GNUC_INTERNAL
gchar *gst_sec_whip_bin_describe (GstElement * webrtcbin, const gchar * type,
    guint timeout_s, GError ** error);
/* The same, the offer made with create-offer's ice-restart option when
 * @ice_restart (new ICE credentials, RFC 8445 §9); for an answer, the
 * peer's @offer set first when not NULL (an offer that restarts ICE makes
 * the bin gather again as it is set: the candidates are watched from
 * before). */
G_GNUC_INTERNAL
gchar *gst_sec_whip_bin_describe_full (GstElement * webrtcbin,
    const gchar * type, gboolean ice_restart, const gchar * offer,
    guint timeout_s, GError ** error);

/* Trickle ICE: the candidates of a bin as they come. Connect it before
 * the description is made. */
typedef struct _GstSecWhipGathering GstSecWhipGathering;
G_GNUC_INTERNAL
GstSecWhipGathering *gst_sec_whip_gathering_new (GstElement * webrtcbin);
/* Waits until @deadline (monotonic) for candidates not yet taken, or the
 * end of gathering; appends the new ones to @candidates (gchar *) and
 * their m-lines to @mlines (guint). TRUE once gathering has ended
 * (every candidate was taken then). */
G_GNUC_INTERNAL
gboolean gst_sec_whip_gathering_wait (GstSecWhipGathering * gathering,
    gint64 deadline, GPtrArray * candidates, GArray * mlines);
G_GNUC_INTERNAL
void gst_sec_whip_gathering_free (GstSecWhipGathering * gathering);

/* --- ICE restart by PATCH (RFC 9725 §4.3.2) ------------------------------ */

/* The ICE side of description @sdp as a trickle ICE fragment: its
 * credentials, and every m-line (kind, mid) with its candidates, ended.
 * NULL with @error when @sdp is not SDP or names no ICE credentials. */
G_GNUC_INTERNAL
SecWhipFrag *gst_sec_whip_sdp_to_frag (const gchar * sdp, GError ** error);

/* @sdp, the peer's last description, as the peer restarted ICE with
 * @frag: its ICE credentials replaced by the fragment's (at the level
 * they were), its candidates by the fragment's of the same mid (or, when
 * the fragment's media sections have no mid, of the same position), and
 * its o= version one higher (g_free). NULL with @error when @sdp is not
 * SDP or @frag lacks either credential. */
G_GNUC_INTERNAL
gchar *gst_sec_whip_sdp_restart (const gchar * sdp, const SecWhipFrag * frag,
    GError ** error);

/* --- an endpoint's HTTP side (secwhipserversrc, the tests' WHEP one) ---- */

/* Fills @request from @message (received at @path); returns the body it
 * points into (unref it after the request), NULL when there is none. */
G_GNUC_INTERNAL
GBytes *gst_sec_whip_request_read (SoupServerMessage * message,
    const char *path, SecWhipRequest * request);
/* The header fields @response asks for (CORS, WWW-Authenticate,
 * Retry-After, Accept-Post) and, unless it is a 201, its status and its
 * reason as a text body. */
G_GNUC_INTERNAL
void gst_sec_whip_respond (SoupServerMessage * message,
    const SecWhipRequest * request, const SecWhipResponse * response);
/* @status and @text (may be NULL) as a text/plain body. */
G_GNUC_INTERNAL
void gst_sec_whip_respond_text (SoupServerMessage * message, guint status,
    const gchar * text);
/* Makes @server refuse, before reading it, a body over
 * SEC_WHIP_SERVER_MAX_BODY (413) or of unknown length (411): libsoup
 * reads and holds a whole body before a handler runs, whatever status is
 * set in got-headers, so the connection is taken, answered and closed. */
G_GNUC_INTERNAL
void gst_sec_whip_server_limit_bodies (SoupServer * server);

/* A call of @webrtcbin that fails (ICE, or the peer gone: connection-state
 * failed) becomes an element error of @element, a client. */
G_GNUC_INTERNAL
void gst_sec_whip_watch_connection (GstElement * element,
    GstElement * webrtcbin);

G_END_DECLS

#endif /* GST_SEC_WHIP_COMMON_H */
