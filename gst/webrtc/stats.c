/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * W3C RTCStats assembly: see stats.h and docs/design/webrtc.md,
 * "Statistics". Member names and types are those of webrtc-stats (W3C)
 * with WebIDL's mapping: unsigned long long -> guint64, long long ->
 * gint64, unsigned long -> guint, long -> gint, double -> gdouble,
 * DOMString -> string, boolean -> gboolean.
 *
 * The rule everywhere: a member whose value cannot be known exactly from
 * the inputs is left out, never estimated.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "stats.h"

#include <string.h>

/* A recorded candidate list longer than this is not searched further (the
 * id of a candidate past it says its type instead of its position). */
#define MAX_CANDIDATES 64

/* Sources rtpsession removed that the history keeps (see stats.h). */
#define MAX_HISTORY 256

#define ICE_STATE_FAILED 4      /* GstSecIceState */
#define DTLS_STATE_NEW 0        /* GstSecDtlsConnectionState */

/* RFC 4588 §4: an RTX payload is the original sequence number (2 bytes)
 * then the original payload */
#define RTX_OSN_SIZE 2

/* --- history of removed sources ------------------------------------------ */

/* The cumulative counters of an rtpsource's stats, in history order. */
static const gchar *const counter_fields[] = {
  "packets-sent", "octets-sent", "packets-received", "octets-received",
  "recv-nack-count", "recv-pli-count", "recv-fir-count", "sent-pli-count",
  "sent-fir-count",
};

enum
{
  PACKETS_SENT, OCTETS_SENT, PACKETS_RECEIVED, OCTETS_RECEIVED,
  RECV_NACK_COUNT, RECV_PLI_COUNT, RECV_FIR_COUNT, SENT_PLI_COUNT,
  SENT_FIR_COUNT, N_COUNTERS
};

G_STATIC_ASSERT (G_N_ELEMENTS (counter_fields) == N_COUNTERS);

typedef struct
{
  guint32 ssrc;
  gboolean internal;
  guint64 counters[N_COUNTERS];
  guint unknown;                /* bit per counter: a removal lacked it */
} HistoryEntry;

struct _SecWebRTCStatsHistory
{
  GArray *entries;              /* HistoryEntry */
  gboolean incomplete;          /* a source was not kept */
};

SecWebRTCStatsHistory *
sec_webrtc_stats_history_new (void)
{
  SecWebRTCStatsHistory *history = g_new0 (SecWebRTCStatsHistory, 1);

  history->entries = g_array_new (FALSE, TRUE, sizeof (HistoryEntry));
  return history;
}

void
sec_webrtc_stats_history_free (SecWebRTCStatsHistory * history)
{
  if (history == NULL)
    return;
  g_array_unref (history->entries);
  g_free (history);
}

SecWebRTCStatsHistory *
sec_webrtc_stats_history_copy (const SecWebRTCStatsHistory * history)
{
  SecWebRTCStatsHistory *copy = sec_webrtc_stats_history_new ();

  g_array_append_vals (copy->entries, history->entries->data,
      history->entries->len);
  copy->incomplete = history->incomplete;
  return copy;
}

/* A counter of rtpsource's stats (guint64 or guint, depending on the
 * counter and the GStreamer version). */
static gboolean
get_counter (const GstStructure * s, const gchar * field, guint64 * out)
{
  const GValue *v = s ? gst_structure_get_value (s, field) : NULL;

  if (v && G_VALUE_HOLDS_UINT64 (v))
    *out = g_value_get_uint64 (v);
  else if (v && G_VALUE_HOLDS_UINT (v))
    *out = g_value_get_uint (v);
  else
    return FALSE;
  return TRUE;
}

static HistoryEntry *
history_find (const SecWebRTCStatsHistory * history, guint32 ssrc,
    gboolean internal)
{
  guint i;

  for (i = 0; history && i < history->entries->len; i++) {
    HistoryEntry *e = &g_array_index (history->entries, HistoryEntry, i);

    if (e->ssrc == ssrc && e->internal == internal)
      return e;
  }
  return NULL;
}

void
sec_webrtc_stats_history_add (SecWebRTCStatsHistory * history,
    const GstStructure * source_stats)
{
  HistoryEntry *entry;
  guint ssrc, i;
  gboolean internal;

  if (source_stats == NULL
      || !gst_structure_get_uint (source_stats, "ssrc", &ssrc)
      || !gst_structure_get_boolean (source_stats, "internal", &internal)) {
    /* whose counters they were is unknown: any stream may have lost some */
    history->incomplete = TRUE;
    return;
  }
  entry = history_find (history, ssrc, internal);
  if (entry == NULL) {
    HistoryEntry new_entry = { 0, };

    if (history->entries->len >= MAX_HISTORY) {
      history->incomplete = TRUE;
      return;
    }
    new_entry.ssrc = ssrc;
    new_entry.internal = internal;
    g_array_append_val (history->entries, new_entry);
    entry = &g_array_index (history->entries, HistoryEntry,
        history->entries->len - 1);
  }
  for (i = 0; i < N_COUNTERS; i++) {
    guint64 value;

    if (get_counter (source_stats, counter_fields[i], &value)
        && value <= G_MAXUINT64 - entry->counters[i])
      entry->counters[i] += value;
    else
      entry->unknown |= 1u << i;
  }
}

void
sec_webrtc_stats_input_init (SecWebRTCStatsInput * input)
{
  memset (input, 0, sizeof (*input));
  input->ice_state = -1;
  input->ice_controlling = -1;
  input->dtls_state = -1;
  input->mlines = g_array_new (FALSE, TRUE, sizeof (SecWebRTCStatsMLine));
}

void
sec_webrtc_stats_input_clear (SecWebRTCStatsInput * input)
{
  guint i;

  for (i = 0; input->mlines && i < input->mlines->len; i++) {
    SecWebRTCStatsMLine *m = &g_array_index (input->mlines,
        SecWebRTCStatsMLine, i);

    g_free (m->mid);
    g_free (m->kind);
    if (m->send_codec)
      sec_webrtc_codec_free (m->send_codec);
    if (m->receive_codec)
      sec_webrtc_codec_free (m->receive_codec);
  }
  if (input->mlines)
    g_array_unref (input->mlines);
  if (input->ice_stats)
    gst_structure_free (input->ice_stats);
  if (input->selected_pair)
    gst_structure_free (input->selected_pair);
  if (input->dtls_info)
    gst_structure_free (input->dtls_info);
  if (input->rtp_stats)
    gst_structure_free (input->rtp_stats);
  if (input->sctp_stats)
    gst_structure_free (input->sctp_stats);
  sec_webrtc_stats_history_free (input->rtp_history);
  g_strfreev (input->local_candidates);
  g_strfreev (input->remote_candidates);
  g_free (input->local_fingerprint);
  memset (input, 0, sizeof (*input));
}

SecWebRTCStatsMLine *
sec_webrtc_stats_input_add_mline (SecWebRTCStatsInput * input, guint mline)
{
  SecWebRTCStatsMLine entry = { 0, };

  entry.mline = mline;
  entry.nack_packets_sent = -1;
  g_array_append_val (input->mlines, entry);
  return &g_array_index (input->mlines, SecWebRTCStatsMLine,
      input->mlines->len - 1);
}

/* --- names ----------------------------------------------------------------- */

/* W3C RTCIceTransportState, in GstSecIceState order */
static const gchar *
ice_state_name (gint state)
{
  static const gchar *names[] = { "new", "checking", "connected",
    "completed", "failed", "disconnected", "closed"
  };

  return state >= 0 && state < (gint) G_N_ELEMENTS (names) ?
      names[state] : NULL;
}

/* W3C RTCDtlsTransportState, in GstSecDtlsConnectionState order */
static const gchar *
dtls_state_name (gint state)
{
  static const gchar *names[] = { "new", "connecting", "connected",
    "closed", "failed"
  };

  return state >= 0 && state < (gint) G_N_ELEMENTS (names) ?
      names[state] : NULL;
}

/* W3C tlsVersion: the version's two bytes as four upper-case hex digits
 * (RFC 6347 §4.1: DTLS 1.0 is {254, 255}, 1.2 is {254, 253}; RFC 9147:
 * 1.3 is {254, 252}), from OpenSSL's names (SSL_get_version) */
static const gchar *
tls_version_hex (const gchar * version)
{
  if (g_strcmp0 (version, "DTLSv1.2") == 0)
    return "FEFD";
  if (g_strcmp0 (version, "DTLSv1.3") == 0)
    return "FEFC";
  if (g_strcmp0 (version, "DTLSv1") == 0
      || g_strcmp0 (version, "DTLSv1.0") == 0)
    return "FEFF";
  return NULL;
}

/* W3C dtlsCipher: the "Description" column of IANA's TLS cipher suite
 * registry, which is what the DTLS element reports (OpenSSL's
 * SSL_CIPHER_standard_name): "TLS_" then capitals, digits and '_' */
static gboolean
is_iana_cipher_name (const gchar * name)
{
  const gchar *c;

  if (name == NULL || !g_str_has_prefix (name, "TLS_") || name[4] == '\0')
    return FALSE;
  for (c = name; *c; c++)
    if (!g_ascii_isupper (*c) && !g_ascii_isdigit (*c) && *c != '_')
      return FALSE;
  return TRUE;
}

/* W3C srtpCipher: the "Profile" column of IANA's DTLS-SRTP protection
 * profile registry (RFC 5764 §4.1.2, RFC 7714 §14.2), from the profile
 * names of our elements */
static const gchar *
srtp_profile_iana (const gchar * nick)
{
  static const struct
  {
    const gchar *nick;
    const gchar *iana;
  } profiles[] = {
    {"aes128-cm-sha1-80", "SRTP_AES128_CM_HMAC_SHA1_80"},
    {"aes128-cm-sha1-32", "SRTP_AES128_CM_HMAC_SHA1_32"},
    {"aead-aes-128-gcm", "SRTP_AEAD_AES_128_GCM"},
    {"aead-aes-256-gcm", "SRTP_AEAD_AES_256_GCM"},
  };
  guint i;

  for (i = 0; nick && i < G_N_ELEMENTS (profiles); i++)
    if (strcmp (nick, profiles[i].nick) == 0)
      return profiles[i].iana;
  return NULL;
}

/* W3C RTCIceCandidateType */
static gboolean
is_candidate_type (const gchar * type)
{
  return g_strcmp0 (type, "host") == 0 || g_strcmp0 (type, "srflx") == 0
      || g_strcmp0 (type, "prflx") == 0 || g_strcmp0 (type, "relay") == 0;
}

/* --- candidate strings (RFC 8839 §5.1) ------------------------------------- */

typedef struct
{
  gchar foundation[33];
  guint component;
  gchar protocol[4];            /* "udp" or "tcp" */
  guint64 priority;
  gchar *address;
  guint port;
  gchar type[6];                /* "host", "srflx", "prflx", "relay" */
} Candidate;

static gboolean
all_digits (const gchar * text, guint max_len)
{
  guint n = 0;

  for (; text[n]; n++)
    if (!g_ascii_isdigit (text[n]))
      return FALSE;
  return n > 0 && n <= max_len;
}

/* RFC 8839 §5.1: foundation = 1*32ice-char; ice-char = ALPHA / DIGIT / "+"
 * / "/" */
static gboolean
is_foundation (const gchar * text)
{
  guint n;

  for (n = 0; text[n]; n++)
    if (!g_ascii_isalnum (text[n]) && text[n] != '+' && text[n] != '/')
      return FALSE;
  return n > 0 && n <= 32;
}

/* "candidate:<foundation> <component> <transport> <priority> <address>
 * <port> typ <type> ...": FALSE for anything else (the candidate is then
 * not matched, never guessed). */
static gboolean
candidate_parse (const gchar * text, Candidate * out)
{
  gchar **tokens;
  gboolean ok = FALSE;

  memset (out, 0, sizeof (*out));
  if (text == NULL || !g_str_has_prefix (text, "candidate:"))
    return FALSE;
  tokens = g_strsplit (text + strlen ("candidate:"), " ", 9);
  if (g_strv_length (tokens) >= 8 && is_foundation (tokens[0])
      && all_digits (tokens[1], 3) && all_digits (tokens[3], 10)
      && all_digits (tokens[5], 5) && strcmp (tokens[6], "typ") == 0
      && (g_ascii_strcasecmp (tokens[2], "udp") == 0
          || g_ascii_strcasecmp (tokens[2], "tcp") == 0)
      && tokens[4][0] != '\0' && is_candidate_type (tokens[7])) {
    g_strlcpy (out->foundation, tokens[0], sizeof (out->foundation));
    out->component = (guint) g_ascii_strtoull (tokens[1], NULL, 10);
    out->protocol[0] = g_ascii_tolower (tokens[2][0]);
    out->protocol[1] = g_ascii_tolower (tokens[2][1]);
    out->protocol[2] = g_ascii_tolower (tokens[2][2]);
    out->priority = g_ascii_strtoull (tokens[3], NULL, 10);
    out->port = (guint) g_ascii_strtoull (tokens[5], NULL, 10);
    out->address = g_strdup (tokens[4]);
    g_strlcpy (out->type, tokens[7], sizeof (out->type));
    ok = out->port <= 65535;
  }
  g_strfreev (tokens);
  if (!ok)
    g_clear_pointer (&out->address, g_free);
  return ok;
}

/* The position of the RTP component candidate of @type at @address @port
 * @protocol in @list, the last one signaled if there are several (a newer
 * generation); -1: not there. @found gets it parsed. */
static gint
candidate_find (gchar ** list, const gchar * type, const gchar * address,
    guint port, const gchar * protocol, Candidate * found)
{
  guint n = list ? g_strv_length (list) : 0;
  gint i;

  for (i = (gint) MIN (n, MAX_CANDIDATES) - 1; i >= 0; i--) {
    Candidate c;

    if (!candidate_parse (list[i], &c))
      continue;
    if (c.component == 1 && c.port == port && strcmp (c.type, type) == 0
        && g_ascii_strcasecmp (c.address, address) == 0
        && g_strcmp0 (c.protocol, protocol) == 0) {
      *found = c;
      return i;
    }
    g_free (c.address);
  }
  return -1;
}

/* --- entries ------------------------------------------------------------- */

typedef struct
{
  const SecWebRTCStatsInput *input;
  GstStructure *reply;
  /* "transport-<n>", and what the ids of the transport's own entries end
   * with: "" for transport 0, "-t<n>" for the others (candidates,
   * certificates and codecs are per transport) */
  gchar *transport_id;
  gchar *suffix;
} Build;

/* @base with the transport's suffix (g_free). */
static gchar *
own_id (Build * b, const gchar * base)
{
  return g_strconcat (base, b->suffix, NULL);
}

static GstStructure *
entry_new (Build * b, const gchar * id, const gchar * type)
{
  return gst_structure_new (type, "id", G_TYPE_STRING, id,
      "type", G_TYPE_STRING, type,
      "timestamp", G_TYPE_DOUBLE, b->input->timestamp, NULL);
}

static void
entry_add (Build * b, GstStructure * entry)
{
  GValue v = G_VALUE_INIT;
  gchar *id = g_strdup (gst_structure_get_string (entry, "id"));

  g_value_init (&v, GST_TYPE_STRUCTURE);
  g_value_take_boxed (&v, entry);
  gst_structure_take_value (b->reply, id, &v);
  g_free (id);
}

static gboolean
get_u64 (const GstStructure * s, const gchar * field, guint64 * out)
{
  return s && gst_structure_get_uint64 (s, field, out);
}

static gboolean
get_uint (const GstStructure * s, const gchar * field, guint * out)
{
  return s && gst_structure_get_uint (s, field, out);
}

static gboolean
get_int (const GstStructure * s, const gchar * field, gint * out)
{
  return s && gst_structure_get_int (s, field, out);
}

/* Copies a guint64 field under its W3C name. */
static void
copy_u64 (GstStructure * entry, const gchar * name, const GstStructure * s,
    const gchar * field)
{
  guint64 value;

  if (get_u64 (s, field, &value))
    gst_structure_set (entry, name, G_TYPE_UINT64, value, NULL);
}

/* "sha-256 AB:CD:..." -> algorithm and value (RFC 8122 §5); FALSE when
 * it is not in that form. */
static gboolean
fingerprint_split (const gchar * text, gchar ** algorithm, gchar ** value)
{
  const gchar *space = text ? strchr (text, ' ') : NULL;
  const gchar *c;

  if (space == NULL || space == text || space[1] == '\0')
    return FALSE;
  for (c = space + 1; *c; c++)
    if (!g_ascii_isxdigit (*c) && *c != ':')
      return FALSE;
  for (c = text; c < space; c++)
    if (!g_ascii_isalnum (*c) && *c != '-')
      return FALSE;
  *algorithm = g_strndup (text, space - text);
  *value = g_strdup (space + 1);
  return TRUE;
}

/* RTCCertificateStats: fingerprint and algorithm, never the key (nor the
 * certificate itself: base64Certificate is left out, the bin has only the
 * fingerprints). */
static gboolean
add_certificate (Build * b, const gchar * id, const gchar * fingerprint)
{
  gchar *algorithm, *value;
  GstStructure *entry;

  if (!fingerprint_split (fingerprint, &algorithm, &value))
    return FALSE;
  entry = entry_new (b, id, "certificate");
  gst_structure_set (entry, "fingerprint", G_TYPE_STRING, value,
      "fingerprintAlgorithm", G_TYPE_STRING, algorithm, NULL);
  entry_add (b, entry);
  g_free (algorithm);
  g_free (value);
  return TRUE;
}

/* RTCIceCandidateStats of the selected pair's @side ("local", "remote");
 * returns its id (g_free) or NULL. */
static gchar *
add_candidate (Build * b, const gchar * side, gchar ** list, gchar ** key)
{
  const GstStructure *pair = b->input->selected_pair;
  gchar *field, *id;
  const gchar *type, *protocol, *address;
  guint port;
  gint index;
  Candidate found;
  GstStructure *entry;

  field = g_strconcat (side, "-type", NULL);
  type = gst_structure_get_string (pair, field);
  g_free (field);
  field = g_strconcat (side, "-protocol", NULL);
  protocol = gst_structure_get_string (pair, field);
  g_free (field);
  field = g_strconcat (side, "-address", NULL);
  address = gst_structure_get_string (pair, field);
  g_free (field);
  field = g_strconcat (side, "-port", NULL);
  if (!get_uint (pair, field, &port) || port > 65535)
    port = G_MAXUINT;
  g_free (field);
  if (!is_candidate_type (type) || address == NULL || address[0] == '\0'
      || port == G_MAXUINT || (g_strcmp0 (protocol, "udp") != 0
          && g_strcmp0 (protocol, "tcp") != 0))
    return NULL;

  /* its position in the list signaled, or (a peer-reflexive candidate,
   * never signaled) its type: one pair is reported, so either is unique */
  index = candidate_find (list, type, address, port, protocol, &found);
  if (index >= 0)
    *key = g_strdup_printf ("%d", index);
  else
    *key = g_strdup (type);
  id = g_strdup_printf ("%s-candidate-%s%s", side, *key, b->suffix);
  entry = entry_new (b, id, strcmp (side, "local") == 0 ? "local-candidate"
      : "remote-candidate");
  gst_structure_set (entry,
      "transportId", G_TYPE_STRING, b->transport_id,
      "address", G_TYPE_STRING, address,
      "port", G_TYPE_INT, (gint) port,
      "protocol", G_TYPE_STRING, protocol,
      "candidateType", G_TYPE_STRING, type, NULL);
  if (index >= 0) {
    /* RFC 8445 §5.1.2: 1 .. 2^31 - 1, a W3C long */
    if (found.priority >= 1 && found.priority <= G_MAXINT32)
      gst_structure_set (entry, "priority", G_TYPE_INT,
          (gint) found.priority, NULL);
    gst_structure_set (entry, "foundation", G_TYPE_STRING, found.foundation,
        NULL);
    g_free (found.address);
  }
  entry_add (b, entry);
  return id;
}

static gboolean pair_round_trip (const SecWebRTCStatsInput * in,
    gdouble * seconds);

/* The selected pair and its candidates; returns the pair's id or NULL. */
static gchar *
add_selected_pair (Build * b)
{
  const SecWebRTCStatsInput *in = b->input;
  gchar *local, *remote, *id = NULL, *local_key = NULL, *remote_key = NULL;
  GstStructure *entry;

  if (in->selected_pair == NULL)
    return NULL;
  local = add_candidate (b, "local", in->local_candidates, &local_key);
  remote = add_candidate (b, "remote", in->remote_candidates, &remote_key);
  if (local && remote) {
    id = g_strdup_printf ("candidate-pair-%s-%s%s", local_key, remote_key,
        b->suffix);
    entry = entry_new (b, id, "candidate-pair");
    /* libnice selects a pair whose checks succeeded once it is nominated
     * (RFC 8445 §8.1.1, by us or, controlled, by the peer's
     * USE-CANDIDATE); it stays selected until the transport fails */
    gst_structure_set (entry,
        "transportId", G_TYPE_STRING, b->transport_id,
        "localCandidateId", G_TYPE_STRING, local,
        "remoteCandidateId", G_TYPE_STRING, remote,
        "state", G_TYPE_STRING, in->ice_state == ICE_STATE_FAILED ?
        "failed" : "succeeded", "nominated", G_TYPE_BOOLEAN, TRUE, NULL);
    copy_u64 (entry, "bytesSent", in->ice_stats, "selected-pair-bytes-sent");
    copy_u64 (entry, "bytesReceived", in->ice_stats,
        "selected-pair-bytes-received");
    {
      gdouble rtt = 0;

      if (pair_round_trip (in, &rtt))
        gst_structure_set (entry, "currentRoundTripTime", G_TYPE_DOUBLE,
            rtt, NULL);
    }
    entry_add (b, entry);
  }
  g_free (local);
  g_free (remote);
  g_free (local_key);
  g_free (remote_key);
  return id;
}

static void
add_transport (Build * b)
{
  const SecWebRTCStatsInput *in = b->input;
  const GstStructure *dtls = in->dtls_info;
  const gchar *local_fingerprint = in->local_fingerprint;
  GstStructure *entry;
  gchar *pair_id, *local_id, *remote_id;
  const gchar *text;
  gboolean is_client;

  if (!in->have_transport)
    return;
  entry = entry_new (b, b->transport_id, "transport");
  /* datagrams and their payload bytes (no IP, UDP, TURN or STUN) */
  copy_u64 (entry, "packetsSent", in->ice_stats, "datagrams-sent");
  copy_u64 (entry, "packetsReceived", in->ice_stats, "datagrams-received");
  copy_u64 (entry, "bytesSent", in->ice_stats, "bytes-sent");
  copy_u64 (entry, "bytesReceived", in->ice_stats, "bytes-received");
  if (in->ice_controlling >= 0)
    gst_structure_set (entry, "iceRole", G_TYPE_STRING,
        in->ice_controlling ? "controlling" : "controlled", NULL);
  if ((text = ice_state_name (in->ice_state)))
    gst_structure_set (entry, "iceState", G_TYPE_STRING, text, NULL);
  if ((text = dtls_state_name (in->dtls_state)))
    gst_structure_set (entry, "dtlsState", G_TYPE_STRING, text, NULL);

  if ((pair_id = add_selected_pair (b))) {
    gst_structure_set (entry, "selectedCandidatePairId", G_TYPE_STRING,
        pair_id, NULL);
    g_free (pair_id);
  }
  /* the certificate the association presented, once it did */
  if (dtls && gst_structure_get_string (dtls, "local-fingerprint"))
    local_fingerprint = gst_structure_get_string (dtls, "local-fingerprint");
  local_id = own_id (b, SEC_WEBRTC_STATS_LOCAL_CERTIFICATE_ID);
  remote_id = own_id (b, SEC_WEBRTC_STATS_REMOTE_CERTIFICATE_ID);
  if (add_certificate (b, local_id, local_fingerprint))
    gst_structure_set (entry, "localCertificateId", G_TYPE_STRING,
        local_id, NULL);

  /* what the handshake negotiated: only once it completed (the peer's
   * fingerprint is then the one its certificate was verified against) */
  if (dtls) {
    if (add_certificate (b, remote_id,
            gst_structure_get_string (dtls, "peer-fingerprint")))
      gst_structure_set (entry, "remoteCertificateId", G_TYPE_STRING,
          remote_id, NULL);
    if ((text = tls_version_hex (gst_structure_get_string (dtls,
                    "dtls-version"))))
      gst_structure_set (entry, "tlsVersion", G_TYPE_STRING, text, NULL);
    text = gst_structure_get_string (dtls, "cipher-suite");
    if (is_iana_cipher_name (text))
      gst_structure_set (entry, "dtlsCipher", G_TYPE_STRING, text, NULL);
    if ((text = srtp_profile_iana (gst_structure_get_string (dtls,
                    "srtp-profile"))))
      gst_structure_set (entry, "srtpCipher", G_TYPE_STRING, text, NULL);
    if (gst_structure_get_boolean (dtls, "is-client", &is_client))
      gst_structure_set (entry, "dtlsRole", G_TYPE_STRING,
          is_client ? "client" : "server", NULL);
  } else if (in->dtls_state == DTLS_STATE_NEW) {
    /* W3C: "unknown" until the DTLS negotiation starts */
    gst_structure_set (entry, "dtlsRole", G_TYPE_STRING, "unknown", NULL);
  }
  entry_add (b, entry);
  g_free (local_id);
  g_free (remote_id);
}

/* --- RTP ----------------------------------------------------------------- */

/* rtpsession's "source-stats": a GValueArray in GStreamer 1.22 (a
 * GstValueArray or list also accepted) */
static guint
source_count (const GValue * sources)
{
  if (sources == NULL)
    return 0;
  if (GST_VALUE_HOLDS_ARRAY (sources))
    return gst_value_array_get_size (sources);
  if (GST_VALUE_HOLDS_LIST (sources))
    return gst_value_list_get_size (sources);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS;
  if (G_VALUE_HOLDS (sources, g_value_array_get_type ())) {
    GValueArray *array = g_value_get_boxed (sources);

    return array ? array->n_values : 0;
  }
  G_GNUC_END_IGNORE_DEPRECATIONS;
  return 0;
}

static const GstStructure *
source_at (const GValue * sources, guint i)
{
  const GValue *v = NULL;

  if (GST_VALUE_HOLDS_ARRAY (sources))
    v = gst_value_array_get_value (sources, i);
  else if (GST_VALUE_HOLDS_LIST (sources))
    v = gst_value_list_get_value (sources, i);
  else {
    G_GNUC_BEGIN_IGNORE_DEPRECATIONS;
    v = &((GValueArray *) g_value_get_boxed (sources))->values[i];
    G_GNUC_END_IGNORE_DEPRECATIONS;
  }
  return v && GST_VALUE_HOLDS_STRUCTURE (v) ? gst_value_get_structure (v) :
      NULL;
}

static const GValue *
sources_of (const SecWebRTCStatsInput * in)
{
  return in->rtp_stats ? gst_structure_get_value (in->rtp_stats,
      "source-stats") : NULL;
}

/* The source @ssrc, ours (@internal) or the peer's. */
static const GstStructure *
find_source (const SecWebRTCStatsInput * in, guint32 ssrc, gboolean internal)
{
  const GValue *sources = sources_of (in);
  guint i, n = source_count (sources);

  for (i = 0; i < n; i++) {
    const GstStructure *s = source_at (sources, i);
    guint source_ssrc;
    gboolean source_internal;

    if (get_uint (s, "ssrc", &source_ssrc) && source_ssrc == ssrc
        && gst_structure_get_boolean (s, "internal", &source_internal)
        && source_internal == internal)
      return s;
  }
  return NULL;
}

/* A stream's cumulative counter: what rtpsession has for its source now
 * (@source, NULL if it has none) plus what it had before removing the
 * source (the history). FALSE when that cannot be known. */
static gboolean
stream_counter (const SecWebRTCStatsInput * in, const GstStructure * source,
    guint32 ssrc, gboolean internal, guint counter, guint64 * out)
{
  const HistoryEntry *past = history_find (in->rtp_history, ssrc, internal);
  guint64 now = 0;

  if (past == NULL && in->rtp_history && in->rtp_history->incomplete)
    return FALSE;
  if (past && (past->unknown & (1u << counter)))
    return FALSE;
  if (source && !get_counter (source, counter_fields[counter], &now))
    return FALSE;
  if (past && now > G_MAXUINT64 - past->counters[counter])
    return FALSE;
  *out = now + (past ? past->counters[counter] : 0);
  return TRUE;
}

/* rtpsession removed the source once at least (or may have). */
static gboolean
stream_restarted (const SecWebRTCStatsInput * in, guint32 ssrc,
    gboolean internal)
{
  return history_find (in->rtp_history, ssrc, internal) != NULL
      || (in->rtp_history && in->rtp_history->incomplete);
}

static gboolean
stream_known (const SecWebRTCStatsInput * in, const GstStructure * source,
    guint32 ssrc, gboolean internal)
{
  return source != NULL || history_find (in->rtp_history, ssrc, internal);
}

/* Sets @name (guint) from a counter, when known. */
static void
set_count (GstStructure * entry, const gchar * name,
    const SecWebRTCStatsInput * in, const GstStructure * source,
    guint32 ssrc, gboolean internal, guint counter)
{
  guint64 value;

  if (stream_counter (in, source, ssrc, internal, counter, &value)
      && value <= G_MAXUINT)
    gst_structure_set (entry, name, G_TYPE_UINT, (guint) value, NULL);
}

static gboolean
rb_is_about (const GstStructure * s, guint32 ssrc)
{
  gboolean have_rb = TRUE;
  guint about;

  if (gst_structure_has_field (s, "have-rb")
      && (!gst_structure_get_boolean (s, "have-rb", &have_rb) || !have_rb))
    return FALSE;
  return get_uint (s, "rb-ssrc", &about) && about == ssrc;
}

/* Of two report blocks about one stream, the later (RFC 3550 §6.4.1: its
 * extended highest sequence number received is not lower). */
static const GstStructure *
later_block (const GstStructure * a, const GstStructure * b)
{
  guint seq_a, seq_b;

  if (a == NULL)
    return b;
  if (!get_uint (b, "rb-exthighestseq", &seq_b))
    return a;
  if (!get_uint (a, "rb-exthighestseq", &seq_a) || seq_b > seq_a)
    return b;
  return a;
}

/* The last RTCP report block (RFC 3550 §6.4.1) the peer sent about our
 * @ssrc: from our source's "received-rr" (GStreamer >= 1.24, one per
 * sender) or its own rb-* fields, else (GStreamer 1.22) from the peer's
 * sources (each keeps the last block it sent, about one of our streams).
 * With several, the latest. */
static const GstStructure *
find_report_block (const SecWebRTCStatsInput * in, guint32 ssrc)
{
  const GstStructure *ours = find_source (in, ssrc, TRUE), *found = NULL;
  const GValue *sources = sources_of (in), *rr;
  guint i, n;

  if (ours && (rr = gst_structure_get_value (ours, "received-rr"))
      && GST_VALUE_HOLDS_LIST (rr)) {
    for (i = 0; i < gst_value_list_get_size (rr); i++) {
      const GValue *v = gst_value_list_get_value (rr, i);

      if (GST_VALUE_HOLDS_STRUCTURE (v)
          && rb_is_about (gst_value_get_structure (v), ssrc))
        found = later_block (found, gst_value_get_structure (v));
    }
  }
  if (ours && rb_is_about (ours, ssrc))
    found = later_block (found, ours);
  n = source_count (sources);
  for (i = 0; i < n; i++) {
    const GstStructure *s = source_at (sources, i);
    gboolean internal = TRUE;

    if (s && gst_structure_get_boolean (s, "internal", &internal)
        && !internal && rb_is_about (s, ssrc))
      found = later_block (found, s);
  }
  return found;
}

/* When the report block arrived (ms since the Unix epoch), from the
 * round trip rtpsession measured at its arrival (RFC 3550 §6.4.1: A - LSR
 * - DLSR, in the middle 32 bits of NTP time, A the arrival); FALSE
 * without one (no sender report referred to) or if it lies in the
 * future of @now_ms. rtpsession's clock is NTP time from the real-time
 * clock (rtpbin's ntp-time-source=ntp, the default), the same time as
 * the stats' timestamp. */
static gboolean
report_arrival (const GstStructure * rb, gdouble now_ms, gdouble * arrival)
{
  guint lsr, dlsr, round_trip;
  guint32 now_ntp, arrived_ntp, age;

  if (!get_uint (rb, "rb-lsr", &lsr) || lsr == 0
      || !get_uint (rb, "rb-dlsr", &dlsr)
      || !get_uint (rb, "rb-round-trip", &round_trip) || round_trip == 0
      || now_ms <= 0)
    return FALSE;
  /* RFC 5905 §6: NTP seconds count from 1900, 2208988800 s before 1970 */
  now_ntp = (guint32) (guint64) ((now_ms / 1000.0 + 2208988800.0) * 65536.0);
  arrived_ntp = (guint32) round_trip + lsr + dlsr;
  age = now_ntp - arrived_ntp;
  if (age >= G_MAXINT32)
    return FALSE;
  *arrival = now_ms - age * 1000.0 / 65536.0;
  return TRUE;
}

/* A round trip of a minute or more is no path's: the report block's LSR
 * or DLSR does not match our sender reports (a peer's mistake, or a
 * forged report; rtpsession's arithmetic then wraps). Left out rather
 * than shown (a secsrtp-protected report can still come from a peer
 * that miscounts). */
#define MAX_ROUND_TRIP (60 * 65536)

/* RFC 3550 §6.4.1 (the block refers to a sender report: LSR is not 0);
 * W3C: none from a block whose DLSR is 0. rtpsession's value is in
 * 1/65536 s. */
static gboolean
round_trip_of (const GstStructure * rb, guint * round_trip)
{
  guint dlsr;

  return get_uint (rb, "rb-dlsr", &dlsr) && dlsr != 0
      && get_uint (rb, "rb-round-trip", round_trip)
      && *round_trip < MAX_ROUND_TRIP;
}

/* The pair's latest round trip: W3C measures it with STUN consent
 * checks, which libnice 0.1.21 does not time for us; every RTP stream on
 * the transport crosses the same pair, so the latest round trip RTCP
 * measured on any of them (RFC 3550 §6.4.1, the remote-inbound-rtp
 * roundTripTime) is the pair's. FALSE before one was measured. */
static gboolean
pair_round_trip (const SecWebRTCStatsInput * in, gdouble * seconds)
{
  gdouble latest = -1, arrival;
  guint round_trip, i;

  for (i = 0; in->mlines && i < in->mlines->len; i++) {
    const SecWebRTCStatsMLine *m = &g_array_index (in->mlines,
        SecWebRTCStatsMLine, i);
    const GstStructure *rb = m->ssrc ? find_report_block (in, m->ssrc) :
        NULL;

    if (rb && report_arrival (rb, in->timestamp, &arrival)
        && arrival > latest && round_trip_of (rb, &round_trip)) {
      latest = arrival;
      *seconds = round_trip / 65536.0;
    }
  }
  return latest >= 0;
}

/* RTP time units -> seconds (RFC 3550 §6.4.1 interarrival jitter) */
static void
set_jitter (GstStructure * entry, const GstStructure * s,
    const gchar * field, gint clock_rate, const SecWebRTCCodec * codec)
{
  guint jitter;

  if (clock_rate <= 0 && codec)
    clock_rate = (gint) codec->clock_rate;
  if (clock_rate > 0 && get_uint (s, field, &jitter))
    gst_structure_set (entry, "jitter", G_TYPE_DOUBLE,
        (gdouble) jitter / clock_rate, NULL);
}

/* RTCCodecStats "codec-<pt>": one payload type means one codec
 * configuration on a BUNDLE transport (RFC 8843 §7.5); returns its id
 * (g_free) or NULL. */
static gchar *
add_codec (Build * b, const SecWebRTCCodec * codec, const gchar * kind)
{
  gchar *id, *mime, *fmtp;
  GstStructure *entry;

  if (codec == NULL || codec->payload_type < 0 || codec->payload_type > 127
      || codec->encoding_name == NULL || codec->clock_rate == 0)
    return NULL;
  id = g_strdup_printf ("codec-%d%s", codec->payload_type, b->suffix);
  if (gst_structure_has_field (b->reply, id))
    return id;
  mime = g_strdup_printf ("%s/%s", codec->media ? codec->media : kind,
      codec->encoding_name);
  entry = entry_new (b, id, "codec");
  gst_structure_set (entry,
      "transportId", G_TYPE_STRING, b->transport_id,
      "payloadType", G_TYPE_UINT, (guint) codec->payload_type,
      "mimeType", G_TYPE_STRING, mime,
      "clockRate", G_TYPE_UINT, codec->clock_rate, NULL);
  if (codec->channels > 0)
    gst_structure_set (entry, "channels", G_TYPE_UINT, codec->channels, NULL);
  if ((fmtp = sec_webrtc_codec_fmtp_string (codec)))
    gst_structure_set (entry, "sdpFmtpLine", G_TYPE_STRING, fmtp, NULL);
  entry_add (b, entry);
  g_free (fmtp);
  g_free (mime);
  return id;
}

/* Members every RTP stream entry has. */
static void
set_stream (Build * b, GstStructure * entry, const SecWebRTCStatsMLine * m,
    guint32 ssrc, const gchar * codec_id)
{
  gst_structure_set (entry, "ssrc", G_TYPE_UINT, ssrc,
      "kind", G_TYPE_STRING, m->kind,
      "transportId", G_TYPE_STRING, b->transport_id, NULL);
  if (codec_id)
    gst_structure_set (entry, "codecId", G_TYPE_STRING, codec_id, NULL);
}

/* packets and payload octets of a stream with its retransmissions (RFC
 * 4588 on their own SSRC: each carries one original packet, its payload
 * after the 2-byte original sequence number). FALSE when one of them is
 * not known. */
typedef struct
{
  guint64 packets, bytes;       /* the stream's, retransmissions included */
  guint64 rtx_packets, rtx_bytes;       /* the retransmissions' */
} StreamCounts;

static gboolean
stream_counts (const SecWebRTCStatsInput * in, guint32 ssrc,
    guint32 rtx_ssrc, gboolean internal, StreamCounts * out)
{
  const GstStructure *s = find_source (in, ssrc, internal);
  const GstStructure *rtx = rtx_ssrc ? find_source (in, rtx_ssrc,
      internal) : NULL;
  guint packets = internal ? PACKETS_SENT : PACKETS_RECEIVED;
  guint octets = internal ? OCTETS_SENT : OCTETS_RECEIVED;
  guint64 rtx_octets = 0;

  memset (out, 0, sizeof (*out));
  if (!stream_counter (in, s, ssrc, internal, packets, &out->packets)
      || !stream_counter (in, s, ssrc, internal, octets, &out->bytes))
    return FALSE;
  if (rtx_ssrc == 0)
    return TRUE;
  if (!stream_counter (in, rtx, rtx_ssrc, internal, packets,
          &out->rtx_packets)
      || !stream_counter (in, rtx, rtx_ssrc, internal, octets, &rtx_octets)
      || rtx_octets < RTX_OSN_SIZE * out->rtx_packets)
    return FALSE;
  out->rtx_bytes = rtx_octets - RTX_OSN_SIZE * out->rtx_packets;
  if (out->packets > G_MAXUINT64 - out->rtx_packets
      || out->bytes > G_MAXUINT64 - out->rtx_bytes)
    return FALSE;
  out->packets += out->rtx_packets;
  out->bytes += out->rtx_bytes;
  return TRUE;
}

/* RTCOutboundRtpStreamStats and, once the peer reported on it,
 * RTCRemoteInboundRtpStreamStats. */
static void
add_outbound (Build * b, const SecWebRTCStatsMLine * m)
{
  const SecWebRTCStatsInput *in = b->input;
  const GstStructure *s = find_source (in, m->ssrc, TRUE), *rb;
  gboolean video = g_strcmp0 (m->kind, "video") == 0;
  gchar *id, *remote_id, *codec_id;
  GstStructure *entry;
  StreamCounts counts;
  gint clock_rate = -1, lost;
  guint round_trip;
  gdouble arrival;

  if (m->ssrc == 0 || !stream_known (in, s, m->ssrc, TRUE))
    return;
  get_int (s, "clock-rate", &clock_rate);
  codec_id = add_codec (b, m->send_codec, m->kind);
  id = g_strdup_printf ("outbound-rtp-%u", m->mline);
  remote_id = g_strdup_printf ("remote-inbound-rtp-%u", m->mline);
  entry = entry_new (b, id, "outbound-rtp");
  set_stream (b, entry, m, m->ssrc, codec_id);
  if (m->mid)
    gst_structure_set (entry, "mid", G_TYPE_STRING, m->mid, NULL);
  /* RFC 3550 §6.4.1 sender's packet and octet (payload) counts, with the
   * retransmissions (W3C) */
  if (stream_counts (in, m->ssrc, m->rtx_ssrc, TRUE, &counts)) {
    gst_structure_set (entry, "packetsSent", G_TYPE_UINT64, counts.packets,
        "bytesSent", G_TYPE_UINT64, counts.bytes, NULL);
    if (m->rtx_ssrc)
      gst_structure_set (entry,
          "retransmittedPacketsSent", G_TYPE_UINT64, counts.rtx_packets,
          "retransmittedBytesSent", G_TYPE_UINT64, counts.rtx_bytes, NULL);
  }
  /* feedback the peer sent about this stream: NACK, PLI, FIR packets
   * (RFC 4585 §6.2.1, §6.3.1, RFC 5104 §4.3.1); PLI and FIR are video's */
  set_count (entry, "nackCount", in, s, m->ssrc, TRUE, RECV_NACK_COUNT);
  if (video) {
    set_count (entry, "pliCount", in, s, m->ssrc, TRUE, RECV_PLI_COUNT);
    set_count (entry, "firCount", in, s, m->ssrc, TRUE, RECV_FIR_COUNT);
  }

  /* W3C: a remote entry's timestamp is when its report arrived; without
   * it, no entry */
  if ((rb = find_report_block (in, m->ssrc))
      && report_arrival (rb, in->timestamp, &arrival)) {
    GstStructure *remote = entry_new (b, remote_id, "remote-inbound-rtp");

    gst_structure_set (remote, "timestamp", G_TYPE_DOUBLE, arrival, NULL);
    set_stream (b, remote, m, m->ssrc, codec_id);
    gst_structure_set (remote, "localId", G_TYPE_STRING, id, NULL);
    /* as the peer reported it (RFC 3550 §6.4.1, 24-bit signed) */
    if (get_int (rb, "rb-packetslost", &lost))
      gst_structure_set (remote, "packetsLost", G_TYPE_INT64, (gint64) lost,
          NULL);
    set_jitter (remote, rb, "rb-jitter", clock_rate, m->send_codec);
    if (round_trip_of (rb, &round_trip))
      gst_structure_set (remote, "roundTripTime", G_TYPE_DOUBLE,
          round_trip / 65536.0, NULL);
    entry_add (b, remote);
    gst_structure_set (entry, "remoteId", G_TYPE_STRING, remote_id, NULL);
  }
  entry_add (b, entry);
  g_free (id);
  g_free (remote_id);
  g_free (codec_id);
}

/* RTCInboundRtpStreamStats of the stream the bin delivers. */
static void
add_inbound (Build * b, const SecWebRTCStatsMLine * m)
{
  const SecWebRTCStatsInput *in = b->input;
  const GstStructure *s = find_source (in, m->received_ssrc, FALSE);
  gboolean video = g_strcmp0 (m->kind, "video") == 0;
  /* retransmissions are known when RTX is not negotiated (there are
   * none) or the peer signaled its RTX stream */
  gboolean rtx_known = !m->receive_rtx || m->received_rtx_ssrc != 0;
  gchar *id, *codec_id;
  GstStructure *entry;
  StreamCounts counts;
  gint clock_rate = -1, lost;

  if (m->received_ssrc == 0
      || !stream_known (in, s, m->received_ssrc, FALSE))
    return;
  get_int (s, "clock-rate", &clock_rate);
  codec_id = add_codec (b, m->receive_codec, m->kind);
  id = g_strdup_printf ("inbound-rtp-%u", m->mline);
  entry = entry_new (b, id, "inbound-rtp");
  set_stream (b, entry, m, m->received_ssrc, codec_id);
  if (m->mid)
    gst_structure_set (entry, "mid", G_TYPE_STRING, m->mid, NULL);
  if (rtx_known && stream_counts (in, m->received_ssrc,
          m->receive_rtx ? m->received_rtx_ssrc : 0, FALSE, &counts)) {
    gst_structure_set (entry, "packetsReceived", G_TYPE_UINT64,
        counts.packets, "bytesReceived", G_TYPE_UINT64, counts.bytes, NULL);
    if (m->receive_rtx)
      gst_structure_set (entry,
          "retransmittedPacketsReceived", G_TYPE_UINT64, counts.rtx_packets,
          "retransmittedBytesReceived", G_TYPE_UINT64, counts.rtx_bytes,
          NULL);
    /* RFC 3550 §6.4.1 cumulative number lost: expected less received,
     * retransmissions received included (so negative with duplicates);
     * rtpsession counts it since the source appeared, so not across a
     * removal */
    if (s && get_int (s, "packets-lost", &lost)
        && !stream_restarted (in, m->received_ssrc, FALSE))
      gst_structure_set (entry, "packetsLost", G_TYPE_INT64,
          (gint64) lost - (gint64) counts.rtx_packets, NULL);
  }
  if (s)
    set_jitter (entry, s, "jitter", clock_rate, m->receive_codec);
  /* feedback we sent about it: NACK packets as the bin counted them (not
   * rtpsession's count of NACK entries), PLI and FIR packets */
  if (m->nack_packets_sent >= 0 && m->nack_packets_sent <= G_MAXUINT)
    gst_structure_set (entry, "nackCount", G_TYPE_UINT,
        (guint) m->nack_packets_sent, NULL);
  if (video) {
    set_count (entry, "pliCount", in, s, m->received_ssrc, FALSE,
        SENT_PLI_COUNT);
    set_count (entry, "firCount", in, s, m->received_ssrc, FALSE,
        SENT_FIR_COUNT);
  }
  entry_add (b, entry);
  g_free (id);
  g_free (codec_id);
}

static guint64
u64_or_0 (const GstStructure * s, const gchar * field)
{
  guint64 value = 0;

  get_u64 (s, field, &value);
  return value;
}

/* W3C RTCSctpTransportStats (with the association's state and packet
 * counts, which the W3C dictionary does not have) and one
 * RTCDataChannelStats per channel the association has (a closed channel
 * leaves it: its entry goes with it). */
static void
add_sctp (Build * b, const GstStructure * sctp)
{
  GstStructure *entry = entry_new (b, "sctp-transport", "sctp-transport");
  const GValue *channels = gst_structure_get_value (sctp, "channels");
  const GValue *state = gst_structure_get_value (sctp, "state");
  guint i;

  gst_structure_set (entry, "transportId", G_TYPE_STRING, b->transport_id,
      "packetsSent", G_TYPE_UINT64, u64_or_0 (sctp, "packets-sent"),
      "packetsReceived", G_TYPE_UINT64, u64_or_0 (sctp, "packets-received"),
      "bytesSent", G_TYPE_UINT64, u64_or_0 (sctp, "bytes-sent"),
      "bytesReceived", G_TYPE_UINT64, u64_or_0 (sctp, "bytes-received"),
      NULL);
  if (state && G_VALUE_HOLDS_ENUM (state)) {
    GEnumValue *v = g_enum_get_value (g_type_class_peek (G_VALUE_TYPE
            (state)), g_value_get_enum (state));

    if (v)
      gst_structure_set (entry, "state", G_TYPE_STRING, v->value_nick, NULL);
  }
  entry_add (b, entry);
  for (i = 0; channels && GST_VALUE_HOLDS_LIST (channels)
      && i < gst_value_list_get_size (channels); i++) {
    const GValue *v = gst_value_list_get_value (channels, i);
    const GstStructure *c;
    gchar *id;
    guint stream = 0;

    if (!GST_VALUE_HOLDS_STRUCTURE (v))
      continue;
    c = gst_value_get_structure (v);
    if (!get_uint (c, "id", &stream))
      continue;
    id = g_strdup_printf ("data-channel-%u", stream);
    entry = entry_new (b, id, "data-channel");
    gst_structure_set (entry,
        "label", G_TYPE_STRING, gst_structure_get_string (c, "label"),
        "protocol", G_TYPE_STRING, gst_structure_get_string (c, "protocol"),
        "dataChannelIdentifier", G_TYPE_INT, (gint) stream,
        "state", G_TYPE_STRING, gst_structure_get_string (c, "state"),
        "messagesSent", G_TYPE_UINT64, u64_or_0 (c, "messages-sent"),
        "bytesSent", G_TYPE_UINT64, u64_or_0 (c, "bytes-sent"),
        "messagesReceived", G_TYPE_UINT64, u64_or_0 (c, "messages-received"),
        "bytesReceived", G_TYPE_UINT64, u64_or_0 (c, "bytes-received"),
        NULL);
    entry_add (b, entry);
    g_free (id);
  }
}

GstStructure *
sec_webrtc_stats_build (const SecWebRTCStatsInput * input, gint only_mline,
    SecWebRTCStatsStreams streams)
{
  Build b = { input, NULL, NULL, NULL };
  guint i;

  g_return_val_if_fail (input != NULL, NULL);

  b.reply = gst_structure_new_empty ("application/x-webrtc-stats");
  b.transport_id = g_strdup_printf ("transport-%u", input->transport);
  b.suffix = input->transport == 0 ? g_strdup ("") :
      g_strdup_printf ("-t%u", input->transport);
  add_transport (&b);
  for (i = 0; input->mlines && i < input->mlines->len; i++) {
    const SecWebRTCStatsMLine *m = &g_array_index (input->mlines,
        SecWebRTCStatsMLine, i);

    if (only_mline >= 0 && m->mline != (guint) only_mline)
      continue;
    if (g_strcmp0 (m->kind, "audio") != 0 && g_strcmp0 (m->kind, "video") != 0)
      continue;
    if (streams & SEC_WEBRTC_STATS_OUTBOUND)
      add_outbound (&b, m);
    if (streams & SEC_WEBRTC_STATS_INBOUND)
      add_inbound (&b, m);
  }
  if (input->sctp_stats)
    add_sctp (&b, input->sctp_stats);
  g_free (b.transport_id);
  g_free (b.suffix);
  return b.reply;
}
