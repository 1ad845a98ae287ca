/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The request rules of a WHIP endpoint (RFC 9725), without HTTP: what
 * secwhipserversrc answers to each request before any WebRTC work is done.
 * Plain C over GLib so that the unit tests and the fuzzer drive it with
 * any request (tests/unit/test-whipserver.c, tests/fuzz/fuzz-whip-server.c).
 *
 * The order of the checks, the first that fails decides:
 *   1. an Origin header field not in the allowed origins: 403 (CORS);
 *   2. OPTIONS without Authorization (a CORS preflight): 204; with one it
 *      goes through 3 and 4 and is answered 204 with the endpoint's ICE
 *      servers (RFC 9725 §4.6: an authenticated OPTIONS);
 *   3. an address with too many failed authentications: 429;
 *   4. the bearer token: 401 (and one more failure for the address);
 *   5. the method and path: 404 for an unknown path or session, 405;
 *   6. POST: 415 (not application/sdp), 411 (no length), 413 (over 64 KiB),
 *      503 (max-sessions reached), 400 (not SDP);
 *      DELETE: 200; PATCH: 415, 412 (If-Match), 400, 204 (candidates);
 *      an ICE restart (a new ufrag): 428 without If-Match, 400 without
 *      the new pwd, else 200 (the element answers with its fragment).
 * A request that passes comes back with an action for the element.
 */
#ifndef SEC_WHIP_SERVER_H
#define SEC_WHIP_SERVER_H

#include <glib.h>

#include "whipfrag.h"

G_BEGIN_DECLS

/* The largest SDP offer taken (a browser's offer is 3 to 10 KiB). */
#define SEC_WHIP_SERVER_MAX_BODY (64 * 1024)
/* Failed authentications one address may have in a window before it is
 * answered 429 until the window ends, the window, and the most addresses
 * remembered (the oldest entry goes first). */
#define SEC_WHIP_SERVER_AUTH_FAILURES 10
#define SEC_WHIP_SERVER_AUTH_WINDOW_S 60
#define SEC_WHIP_SERVER_MAX_ADDRESSES 4096

typedef struct _SecWhipServer SecWhipServer;

typedef enum
{
  SEC_WHIP_ACTION_NONE,         /* answer with the status, nothing to do */
  SEC_WHIP_ACTION_CREATE,       /* a new session for the offer in the body */
  SEC_WHIP_ACTION_DELETE,       /* end session_id */
  SEC_WHIP_ACTION_PATCH,        /* add the fragment's candidates to it */
  SEC_WHIP_ACTION_RESTART,      /* restart its ICE with the fragment (new
                                 * credentials), answer 200 with ours */
} SecWhipAction;

typedef struct
{
  const gchar *method;          /* "POST", ... */
  const gchar *path;            /* the request URI's path */
  const gchar *peer;            /* the client's address, as text */
  const gchar *origin;          /* each may be NULL when absent */
  const gchar *authorization;
  const gchar *content_type;
  const gchar *if_match;
  gint64 content_length;        /* -1 when absent */
  const gchar *body;
  gsize body_length;
  gint64 now_us;                /* a monotonic time */
} SecWhipRequest;

typedef struct
{
  guint status;
  const gchar *reason;          /* a short text for the body (static) */
  SecWhipAction action;
  gchar *session_id;            /* DELETE, PATCH */
  SecWhipFrag *frag;            /* PATCH */
  guint retry_after_s;          /* 429, 503: 0 when none */
  gboolean cors;                /* add the CORS response header fields */
  gboolean challenge;           /* add WWW-Authenticate: Bearer */
  /* an authenticated OPTIONS or a 201: add the endpoint's ICE servers as
   * Link header fields (RFC 9725 §4.6) and Accept-Patch */
  gboolean ice_servers;
} SecWhipResponse;

/* @path: the endpoint ("/whip"); sessions are @path/<id>. @token: the
 * expected bearer token (copied). @allowed_origins: NULL-terminated, may
 * be NULL (no browser origin allowed). */
SecWhipServer *sec_whip_server_new (const gchar * path, const gchar * token,
    const gchar * const *allowed_origins, guint max_sessions);
void sec_whip_server_free (SecWhipServer * server);

/* Fills @response for @request (sec_whip_response_clear after). */
void sec_whip_server_handle (SecWhipServer * server,
    const SecWhipRequest * request, SecWhipResponse * response);
void sec_whip_response_clear (SecWhipResponse * response);

/* A session the element has made for an accepted POST: its new id (128
 * random bits, hex; g_free) which its resource path ends with. @ice_ufrag:
 * the offer's, to tell trickle from an ICE restart; @etag: the ETag
 * given to the client. */
gchar *sec_whip_server_add_session (SecWhipServer * server,
    const gchar * ice_ufrag, gchar ** etag);
/* After an ICE restart of @session_id: its new ICE ufrag (@ice_ufrag, the
 * restarting fragment's) and a new ETag for @etag (g_free). FALSE when
 * there is no such session. */
gboolean sec_whip_server_restart_session (SecWhipServer * server,
    const gchar * session_id, const gchar * ice_ufrag, gchar ** etag);
/* The resource path of @session_id (g_free). */
gchar *sec_whip_server_session_path (SecWhipServer * server,
    const gchar * session_id);
/* Forgets @session_id (after DELETE, or when its call ended). */
void sec_whip_server_remove_session (SecWhipServer * server,
    const gchar * session_id);
/* Sessions held, those being made included. */
guint sec_whip_server_n_sessions (SecWhipServer * server);
/* A CREATE holds a place against max-sessions from the moment it is
 * answered with the action until the element calls add_session, or
 * release when it could not make the session. */
void sec_whip_server_release (SecWhipServer * server);

/* The CORS header fields of an allowed origin's response. */
#define SEC_WHIP_CORS_METHODS "POST, PATCH, DELETE, OPTIONS"
#define SEC_WHIP_CORS_HEADERS "Authorization, Content-Type, If-Match"
#define SEC_WHIP_CORS_EXPOSE "Location, ETag, Link, Accept-Patch"

/* The ice-ufrag of an SDP offer (the first one, session or media level;
 * NULL when none): what PATCH compares to tell an ICE restart. */
gchar *sec_whip_sdp_ice_ufrag (const gchar * sdp, gsize length);

G_END_DECLS

#endif /* SEC_WHIP_SERVER_H */
