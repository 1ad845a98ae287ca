/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A WHEP endpoint for the tests and the browser demo: on a SoupServer of
 * the caller's, each POSTed offer (with the bearer token) gets a pipeline
 * of its own, a secwebrtcbin that answers and sends what the sender
 * launch lines make (each ends in a payloader); a DELETE of the session's
 * URL ends it. The server's GMainContext (thread-default when the endpoint
 * is made) must be running.
 */
#ifndef SEC_WHEP_ENDPOINT_H
#define SEC_WHEP_ENDPOINT_H

#include <gst/gst.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _SecWhepEndpoint SecWhepEndpoint;

/* @senders: NULL-terminated launch lines ("videotestsrc ! ... !
 * rtpvp8pay"); @local_addresses: the bins' (NULL: every interface);
 * @allowed_origin: the one browser origin allowed (NULL: none). */
SecWhepEndpoint *sec_whep_endpoint_new (SoupServer * server,
    const gchar * path, const gchar * token, const gchar * const *senders,
    const gchar * local_addresses, const gchar * allowed_origin);
void sec_whep_endpoint_free (SecWhepEndpoint * endpoint);

/* Sessions answered and not deleted (any thread). */
guint sec_whep_endpoint_n_sessions (SecWhepEndpoint * endpoint);
/* security-info of the last session connected, NULL before (free it). */
GstStructure *sec_whep_endpoint_security_info (SecWhepEndpoint * endpoint);

G_END_DECLS

#endif
