/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The HTTP side of a WHIP or WHEP client (RFC 9725; WHEP follows the same
 * exchange): POST the offer, follow 307/308, keep the session's URL and
 * ETag; DELETE it at the end. Used by secwhipsink and secwhepsrc from a
 * thread of their own (the calls block, bounded by the timeout).
 */
#ifndef GST_SEC_WHIP_CLIENT_H
#define GST_SEC_WHIP_CLIENT_H

#include <gst/gst.h>
#include <libsoup/soup.h>

#include "gstsecwhipcommon.h"

G_BEGIN_DECLS

typedef struct
{
  GstElement *element;          /* errors and warnings are posted as it */
  const gchar *protocol;        /* "WHIP" or "WHEP", for messages */
  gchar *endpoint;
  gchar *ca_file;
  guint timeout_s;
  gchar *token;                 /* NULL: no Authorization; zeroed at clear */
  GCancellable *cancellable;
  SoupSession *session;
  gchar *resource;              /* the session's URL, after the POST */
  gchar *etag;
  GPtrArray *ice_servers;       /* secwebrtcbin URIs from Link, may be empty */
  gboolean accept_patch;        /* the endpoint takes trickle ICE PATCHes */
} GstSecWhipClient;

/* Resets @client for @element's new session: reads its token, checks the
 * endpoint and makes the HTTP session; posts an element error and returns
 * FALSE when it cannot. Call without the element's object lock: it takes
 * it to read @token. */
G_GNUC_INTERNAL
gboolean gst_sec_whip_client_start (GstSecWhipClient * client,
    GstElement * element, const gchar * protocol, const gchar * endpoint,
    const gchar * ca_file, guint timeout_s, GstSecWhipToken * token);

/* Cancels what runs and joins @thread (if any). */
G_GNUC_INTERNAL
void gst_sec_whip_client_stop (GstSecWhipClient * client, GThread * thread);

/* POSTs @offer; returns the answer (g_free) or NULL after posting an
 * element error that names the endpoint and the status (never the
 * token). */
G_GNUC_INTERNAL
gchar *gst_sec_whip_client_post (GstSecWhipClient * client,
    const gchar * offer);

/* An authenticated OPTIONS of the endpoint (RFC 9725 §4.6): the ICE
 * servers of its Link header fields go to @client's ice_servers, and
 * accept_patch is set when its Accept-Patch names
 * application/trickle-ice-sdpfrag. TRUE as well when it was not
 * answered 2xx (an endpoint need not answer OPTIONS), but FALSE after
 * posting the element error when it refused our credentials (401, 403):
 * the POST would be refused the same way. */
G_GNUC_INTERNAL
gboolean gst_sec_whip_client_options (GstSecWhipClient * client);
/* PATCHes the session with trickle ICE fragment @body (RFC 9725 §4.3),
 * If-Match the session's ETag, or "*" for an ICE restart; keeps a new
 * ETag. Returns the status (0 when there was no answer, @error set) and,
 * for a 200, the fragment answered in @reply (g_free; it holds the
 * endpoint's ice-pwd). */
G_GNUC_INTERNAL
guint gst_sec_whip_client_patch (GstSecWhipClient * client,
    const gchar * body, gboolean restart, gchar ** reply, GError ** error);
/* DELETEs the session if there is one (once); a failure is a warning. */
G_GNUC_INTERNAL
void gst_sec_whip_client_delete (GstSecWhipClient * client);

G_GNUC_INTERNAL
void gst_sec_whip_client_clear (GstSecWhipClient * client);

G_END_DECLS

#endif /* GST_SEC_WHIP_CLIENT_H */
