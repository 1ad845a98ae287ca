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

/* DELETEs the session if there is one (once); a failure is a warning. */
G_GNUC_INTERNAL
void gst_sec_whip_client_delete (GstSecWhipClient * client);

G_GNUC_INTERNAL
void gst_sec_whip_client_clear (GstSecWhipClient * client);

G_END_DECLS

#endif /* GST_SEC_WHIP_CLIENT_H */
