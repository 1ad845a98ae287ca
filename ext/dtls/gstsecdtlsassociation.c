/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The association a secdtlsenc/secdtlsdec pair shares: see
 * gstsecdtlsassociation.h for what it owns and its locking rules.
 *
 * Threads: the decoder's streaming thread feeds received datagrams; the
 * process's DTLS timer thread (gstsecdtlstimer.c, one for every
 * association) starts the handshake, sends what application threads
 * queued and drives the retransmission timer and the silence check, at
 * the times the core and this file ask for (the monotonic clock, the
 * core's now_us), while the encoder's src pad is active; the encoder's
 * sink streaming thread sends application data; the application thread
 * sets properties and changes states.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstsecdtlsassociation.h"
#include "gstsecdtlsassociationprivate.h"

#include <glib/gi18n-lib.h>
#include <string.h>

GST_DEBUG_CATEGORY (sec_dtls_association_debug);
#define GST_CAT_DEFAULT sec_dtls_association_debug

static GMutex registry_lock;
static GHashTable *registry;     /* id -> association, not referenced */

static gint64 run_timed (gpointer data);

/* --- certificate groups ------------------------------------------------- */

/* Associations with the same certificate-group present one certificate:
 * the group holds it while one of them does (an association counts once
 * it took it, until it is freed). Never locked with an association's
 * lock taken after it. */
typedef struct
{
  SecDtlsCertificate *certificate;
  guint users;
} CertificateGroup;

static GMutex groups_lock;
static GHashTable *groups;       /* name -> CertificateGroup */

static void
certificate_group_free (CertificateGroup * group)
{
  sec_dtls_certificate_unref (group->certificate);
  g_free (group);
}

/* A reference to the group's certificate, made now if it has none. */
static SecDtlsCertificate *
certificate_group_join (const gchar * name, GError ** error)
{
  CertificateGroup *group;
  SecDtlsCertificate *cert = NULL;

  g_mutex_lock (&groups_lock);
  if (groups == NULL)
    groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        (GDestroyNotify) certificate_group_free);
  group = g_hash_table_lookup (groups, name);
  if (group == NULL) {
    cert = sec_dtls_certificate_new (error);
    if (cert) {
      group = g_new0 (CertificateGroup, 1);
      group->certificate = sec_dtls_certificate_ref (cert);
      g_hash_table_insert (groups, g_strdup (name), group);
      GST_DEBUG ("certificate group %s made its certificate", name);
    }
  } else {
    cert = sec_dtls_certificate_ref (group->certificate);
  }
  if (group && cert)
    group->users++;
  g_mutex_unlock (&groups_lock);
  return cert;
}

static void
certificate_group_leave (const gchar * name)
{
  CertificateGroup *group;

  g_mutex_lock (&groups_lock);
  group = groups ? g_hash_table_lookup (groups, name) : NULL;
  if (group && --group->users == 0)
    g_hash_table_remove (groups, name);
  g_mutex_unlock (&groups_lock);
}

/* What a core call produced, acted on once every lock is released. */
typedef struct
{
  GError *error;
  gboolean connected;
  gboolean have_keys;
  SecDtlsSrtpKeys keys;
  guint keys_epoch;
  GstStructure *connected_info;
  gchar *srtp_encoder;
  gchar *srtp_decoder;
  /* the association failed after handing out keys: take them back */
  gboolean withdraw_keys;
  gchar *withdraw_encoder;
  gchar *withdraw_decoder;
  GQueue app;
  /* the peer closed (close_notify): EOS on the decoder's src after app */
  gboolean app_ended;
  /* the caller pushes the datagrams the call made (finish_call with
   * push): the timer thread need not wake for them */
  gboolean pushes;
} CallResult;

#define CALL_RESULT_INIT { NULL, FALSE, FALSE, { 0, }, 0, NULL, NULL, NULL, \
    FALSE, NULL, NULL, G_QUEUE_INIT, FALSE, FALSE }
/* a call whose thread pushes what it made */
#define CALL_RESULT_PUSHES { NULL, FALSE, FALSE, { 0, }, 0, NULL, NULL, \
    NULL, FALSE, NULL, NULL, G_QUEUE_INIT, FALSE, TRUE }

GType
gst_sec_dtls_connection_state_get_type (void)
{
  static gsize id = 0;
  static const GEnumValue values[] = {
    {GST_SEC_DTLS_CONNECTION_STATE_NEW, "New", "new"},
    {GST_SEC_DTLS_CONNECTION_STATE_CONNECTING, "Connecting", "connecting"},
    {GST_SEC_DTLS_CONNECTION_STATE_CONNECTED, "Connected", "connected"},
    {GST_SEC_DTLS_CONNECTION_STATE_CLOSED, "Closed", "closed"},
    {GST_SEC_DTLS_CONNECTION_STATE_FAILED, "Failed", "failed"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&id)) {
    GType type = g_enum_register_static ("GstSecDtlsConnectionState",
        values);
    g_once_init_leave (&id, type);
  }
  return (GType) id;
}

static GstSecDtlsConnectionState
state_from_core (SecDtlsState state)
{
  switch (state) {
    case SEC_DTLS_STATE_NEW:
      return GST_SEC_DTLS_CONNECTION_STATE_NEW;
    case SEC_DTLS_STATE_CONNECTING:
      return GST_SEC_DTLS_CONNECTION_STATE_CONNECTING;
    case SEC_DTLS_STATE_CONNECTED:
      return GST_SEC_DTLS_CONNECTION_STATE_CONNECTED;
    case SEC_DTLS_STATE_CLOSED:
      return GST_SEC_DTLS_CONNECTION_STATE_CLOSED;
    case SEC_DTLS_STATE_FAILED:
      return GST_SEC_DTLS_CONNECTION_STATE_FAILED;
  }
  return GST_SEC_DTLS_CONNECTION_STATE_FAILED;
}

/* --- life cycle --------------------------------------------------------- */

static GstSecDtlsAssociation *
association_new (const gchar * id)
{
  static gsize debug_once = 0;
  GstSecDtlsAssociation *assoc;

  if (g_once_init_enter (&debug_once)) {
    GST_DEBUG_CATEGORY_INIT (sec_dtls_association_debug, "secdtlsassociation",
        0, "DTLS association shared by secdtlsenc and secdtlsdec");
    g_once_init_leave (&debug_once, 1);
  }

  assoc = g_new0 (GstSecDtlsAssociation, 1);
  assoc->refcount = 1;
  assoc->id = g_strdup (id);
  g_rec_mutex_init (&assoc->conn_lock);
  g_mutex_init (&assoc->keys_lock);
  g_mutex_init (&assoc->lock);
  g_mutex_init (&assoc->push_lock);
  g_cond_init (&assoc->cond);
  g_queue_init (&assoc->app_in);
  g_queue_init (&assoc->outgoing);
  assoc->srtp_profiles = g_strdup (GST_SEC_DTLS_DEFAULT_SRTP_PROFILES);
  sec_dtls_srtp_profiles_parse (assoc->srtp_profiles, assoc->profile_ids,
      &assoc->n_profile_ids, NULL);
  assoc->handshake_timeout_ms = GST_SEC_DTLS_DEFAULT_HANDSHAKE_TIMEOUT_MS;
  assoc->state = GST_SEC_DTLS_CONNECTION_STATE_NEW;
  assoc->notified_state = GST_SEC_DTLS_CONNECTION_STATE_NEW;
  assoc->next_timeout = -1;
  assoc->silence_check_at = -1;
  gst_sec_dtls_timer_entry_init (&assoc->timer, run_timed, assoc);
  g_weak_ref_init (&assoc->enc, NULL);
  g_weak_ref_init (&assoc->dec, NULL);
  return assoc;
}

static void
association_free (GstSecDtlsAssociation * assoc)
{
  GST_DEBUG ("freeing association %s", GST_STR_NULL (assoc->id));
  sec_dtls_connection_free (assoc->conn);
  g_queue_clear_full (&assoc->app_in, (GDestroyNotify) gst_buffer_unref);
  g_queue_clear_full (&assoc->outgoing,
      (GDestroyNotify) gst_mini_object_unref);
  if (assoc->certificate)
    sec_dtls_certificate_unref (assoc->certificate);
  if (assoc->in_certificate_group)
    certificate_group_leave (assoc->certificate_group);
  g_free (assoc->certificate_group);
  g_clear_error (&assoc->certificate_error);
  g_clear_error (&assoc->peer_fingerprint_error);
  g_clear_error (&assoc->srtp_profiles_error);
  g_free (assoc->peer_fingerprint);
  g_free (assoc->srtp_profiles);
  g_free (assoc->srtp_encoder);
  g_free (assoc->srtp_decoder);
  g_free (assoc->keyed_encoder);
  g_free (assoc->keyed_decoder);
  g_weak_ref_clear (&assoc->enc);
  g_weak_ref_clear (&assoc->dec);
  g_rec_mutex_clear (&assoc->conn_lock);
  g_mutex_clear (&assoc->keys_lock);
  g_mutex_clear (&assoc->lock);
  g_mutex_clear (&assoc->push_lock);
  g_cond_clear (&assoc->cond);
  if (assoc->enc_srcpad)
    gst_object_unref (assoc->enc_srcpad);
  g_free (assoc->id);
  g_free (assoc);
}

GstSecDtlsAssociation *
gst_sec_dtls_association_ref (GstSecDtlsAssociation * assoc)
{
  g_mutex_lock (&registry_lock);
  assoc->refcount++;
  g_mutex_unlock (&registry_lock);
  return assoc;
}

void
gst_sec_dtls_association_unref (GstSecDtlsAssociation * assoc)
{
  gboolean last;

  g_mutex_lock (&registry_lock);
  last = --assoc->refcount == 0;
  if (last && assoc->id && registry
      && g_hash_table_lookup (registry, assoc->id) == assoc)
    g_hash_table_remove (registry, assoc->id);
  g_mutex_unlock (&registry_lock);
  if (last)
    association_free (assoc);
}

GstSecDtlsAssociation *
gst_sec_dtls_association_get (GstElement * element,
    GstSecDtlsAssociation ** assoc_ptr)
{
  GstSecDtlsAssociation *assoc;

  GST_OBJECT_LOCK (element);
  assoc = gst_sec_dtls_association_ref (*assoc_ptr);
  GST_OBJECT_UNLOCK (element);
  return assoc;
}

static void
attach (GstSecDtlsAssociation * assoc, GstElement * element,
    GstSecDtlsRole role)
{
  g_weak_ref_set (role == GST_SEC_DTLS_ROLE_ENC ? &assoc->enc : &assoc->dec,
      element);
}

GstSecDtlsAssociation *
gst_sec_dtls_association_new_private (GstElement * element,
    GstSecDtlsRole role)
{
  GstSecDtlsAssociation *assoc = association_new (NULL);

  attach (assoc, element, role);
  return assoc;
}

/* Settings set on @from override those of @to, except a usable expected
 * peer fingerprint: it goes through
 * gst_sec_dtls_association_set_peer_fingerprint (the association joined
 * may have verified its peer already). Both locks held. */
static void
merge_settings (GstSecDtlsAssociation * to, GstSecDtlsAssociation * from,
    Carried * carried)
{
  guint mask = from->set_mask;

  carried->mask = mask;

  if (mask & SET_IS_CLIENT)
    to->is_client = from->is_client;
  if ((mask & SET_CERTIFICATE_GROUP) && !to->in_certificate_group) {
    g_free (to->certificate_group);
    to->certificate_group = g_strdup (from->certificate_group);
  }
  if (mask & SET_CERTIFICATE) {
    if (to->certificate)
      sec_dtls_certificate_unref (to->certificate);
    to->certificate = from->certificate ?
        sec_dtls_certificate_ref (from->certificate) : NULL;
    g_clear_error (&to->certificate_error);
    to->certificate_error = from->certificate_error ?
        g_error_copy (from->certificate_error) : NULL;
    to->certificate_set_on = from->certificate_set_on;
  }
  if ((mask & SET_PEER_FINGERPRINT) && from->peer_fingerprint_error) {
    /* unusable: the next start says so */
    g_free (to->peer_fingerprint);
    to->peer_fingerprint = NULL;
    g_clear_error (&to->peer_fingerprint_error);
    to->peer_fingerprint_error = g_error_copy (from->peer_fingerprint_error);
    to->peer_fingerprint_set_on = from->peer_fingerprint_set_on;
    carried->mask &= ~SET_PEER_FINGERPRINT;
  } else if (mask & SET_PEER_FINGERPRINT) {
    carried->peer_fingerprint = g_strdup (from->peer_fingerprint);
    mask &= ~SET_PEER_FINGERPRINT;
  }
  if (mask & SET_SRTP_PROFILES) {
    g_free (to->srtp_profiles);
    to->srtp_profiles = g_strdup (from->srtp_profiles);
    memcpy (to->profile_ids, from->profile_ids, sizeof (to->profile_ids));
    to->n_profile_ids = from->n_profile_ids;
    g_clear_error (&to->srtp_profiles_error);
    to->srtp_profiles_error = from->srtp_profiles_error ?
        g_error_copy (from->srtp_profiles_error) : NULL;
    to->srtp_profiles_set_on = from->srtp_profiles_set_on;
  }
  if (mask & SET_HANDSHAKE_TIMEOUT)
    to->handshake_timeout_ms = from->handshake_timeout_ms;
  if (mask & SET_SRTP_ENCODER) {
    g_free (to->srtp_encoder);
    to->srtp_encoder = g_strdup (from->srtp_encoder);
    to->srtp_encoder_set_on = from->srtp_encoder_set_on;
  }
  if (mask & SET_SRTP_DECODER) {
    g_free (to->srtp_decoder);
    to->srtp_decoder = g_strdup (from->srtp_decoder);
    to->srtp_decoder_set_on = from->srtp_decoder_set_on;
  }
  to->set_mask |= mask;
}

/* Moves @element from its association @current to the one named @id
 * (made if absent; settings made on an anonymous association carry
 * over, see Carried). Returns the new association (a reference); @current
 * is released. NULL or "" @id gives a new anonymous one. Called under
 * @element's object lock: nothing here logs with @element, posts or
 * takes conn_lock. */
GstSecDtlsAssociation *
gst_sec_dtls_association_rename (GstSecDtlsAssociation * current,
    GstElement * element,
    GstSecDtlsRole role, const gchar * id, Carried * carried)
{
  GstSecDtlsAssociation *named;
  gboolean created = FALSE;

  if (id == NULL || *id == '\0') {
    named = association_new (NULL);
  } else {
    g_mutex_lock (&registry_lock);
    if (registry == NULL)
      registry = g_hash_table_new (g_str_hash, g_str_equal);
    named = g_hash_table_lookup (registry, id);
    if (named) {
      named->refcount++;
    } else {
      named = association_new (id);
      g_hash_table_insert (registry, named->id, named);
      created = TRUE;
    }
    g_mutex_unlock (&registry_lock);
  }
  carried->created = created;

  if (current) {
    /* settings made before the connection-id carry over */
    if (current->id == NULL) {
      g_mutex_lock (&current->lock);
      g_mutex_lock (&named->lock);
      merge_settings (named, current, carried);
      g_mutex_unlock (&named->lock);
      g_mutex_unlock (&current->lock);
    }
    gst_sec_dtls_association_release (current, element, role);
  }
  attach (named, element, role);
  return named;
}

void
gst_sec_dtls_association_release (GstSecDtlsAssociation * assoc,
    GstElement * element, GstSecDtlsRole role)
{
  GWeakRef *ref = role == GST_SEC_DTLS_ROLE_ENC ? &assoc->enc : &assoc->dec;
  GstElement *held = g_weak_ref_get (ref);

  if (held == element)
    g_weak_ref_set (ref, NULL);
  if (held)
    gst_object_unref (held);
  gst_sec_dtls_association_unref (assoc);
}

/* --- the core's callbacks ----------------------------------------------- */

static void
on_send (const guint8 * data, gsize len, gpointer user_data)
{
  GstSecDtlsAssociation *assoc = user_data;

  g_mutex_lock (&assoc->lock);
  g_queue_push_tail (&assoc->outgoing, gst_buffer_new_memdup (data, len));
  assoc->conn_touched = TRUE;
  g_mutex_unlock (&assoc->lock);
}

static void
on_app_data (const guint8 * data, gsize len, gpointer user_data)
{
  GstSecDtlsAssociation *assoc = user_data;

  g_queue_push_tail (&assoc->app_in, gst_buffer_new_memdup (data, len));
}

/* Called inside the handshake with conn_lock held (a recursive lock, so
 * the handler may use the elements' properties). */
static gboolean
on_accept_certificate (const gchar * pem, gpointer user_data)
{
  GstSecDtlsAssociation *assoc = user_data;
  GstElement *dec = g_weak_ref_get (&assoc->dec);
  gboolean accepted = FALSE;
  guint signal_id;

  if (dec == NULL)
    return FALSE;
  signal_id = g_signal_lookup ("accept-certificate", G_OBJECT_TYPE (dec));
  if (signal_id != 0 && g_signal_has_handler_pending (dec, signal_id, 0,
          FALSE)) {
    g_signal_emit (dec, signal_id, 0, pem, &accepted);
    GST_INFO_OBJECT (dec, "accept-certificate handler %s the certificate",
        accepted ? "accepted" : "rejected");
  } else {
    GST_WARNING_OBJECT (dec, "no peer-fingerprint and no accept-certificate "
        "handler: refusing the peer certificate");
  }
  gst_object_unref (dec);
  return accepted;
}

/* Without a handler nobody decides: the core then says that no
 * peer-fingerprint was set, not that the application said no. */
static gboolean
on_can_accept_certificate (gpointer user_data)
{
  GstSecDtlsAssociation *assoc = user_data;
  GstElement *dec = g_weak_ref_get (&assoc->dec);
  gboolean can;

  if (dec == NULL)
    return FALSE;
  can = gst_sec_dtls_has_accept_handler (dec);
  gst_object_unref (dec);
  return can;
}

static const SecDtlsConnectionCallbacks core_callbacks = {
  on_send, on_app_data, on_accept_certificate, on_can_accept_certificate
};

/* --- core calls --------------------------------------------------------- */

/* lock held: an unusable setting, and the element (@set_on) it was set
 * on, may be NULL. */
static gboolean
config_error_locked (GstSecDtlsAssociation * assoc, GError ** error,
    GstSecDtlsRole * set_on)
{
  const GError *why = assoc->certificate_error;
  GstSecDtlsRole role = assoc->certificate_set_on;

  if (why == NULL) {
    why = assoc->peer_fingerprint_error;
    role = assoc->peer_fingerprint_set_on;
  }
  if (why == NULL) {
    why = assoc->srtp_profiles_error;
    role = assoc->srtp_profiles_set_on;
  }
  if (why == NULL)
    return FALSE;
  g_propagate_error (error, g_error_copy (why));
  if (set_on)
    *set_on = role;
  return TRUE;
}

GstElement *
gst_sec_dtls_association_element (GstSecDtlsAssociation * assoc,
    GstSecDtlsRole role, GstElement * fallback)
{
  GstElement *element = g_weak_ref_get (role == GST_SEC_DTLS_ROLE_ENC ?
      &assoc->enc : &assoc->dec);

  return element ? element : gst_object_ref (fallback);
}

SecDtlsCertificate *
gst_sec_dtls_association_certificate_locked (GstSecDtlsAssociation * assoc,
    GError ** error)
{
  if (assoc->certificate == NULL && assoc->certificate_error == NULL
      && assoc->certificate_group) {
    /* the group's (docs/design/dtls.md, "Certificates") */
    assoc->certificate = certificate_group_join (assoc->certificate_group,
        error);
    assoc->in_certificate_group = assoc->certificate != NULL;
    return assoc->certificate;
  }
  if (assoc->certificate == NULL && assoc->certificate_error == NULL) {
    /* one fresh certificate per association (docs/design/dtls.md) */
    assoc->certificate = sec_dtls_certificate_new (error);
    return assoc->certificate;
  }
  if (assoc->certificate_error) {
    g_propagate_error (error, g_error_copy (assoc->certificate_error));
    return NULL;
  }
  return assoc->certificate;
}

/* conn_lock held. */
static gboolean
ensure_connection (GstSecDtlsAssociation * assoc, GError ** error)
{
  SecDtlsCertificate *cert;
  SecDtlsConnection *conn;
  gboolean is_client;
  gchar *peer_fingerprint;
  guint16 ids[4];
  guint n_ids;
  gint64 timeout_us;

  if (assoc->conn)
    return TRUE;

  g_mutex_lock (&assoc->lock);
  if (config_error_locked (assoc, error, NULL)) {
    g_mutex_unlock (&assoc->lock);
    return FALSE;
  }
  cert = gst_sec_dtls_association_certificate_locked (assoc, error);
  if (cert == NULL) {
    g_mutex_unlock (&assoc->lock);
    return FALSE;
  }
  cert = sec_dtls_certificate_ref (cert);
  is_client = assoc->is_client;
  peer_fingerprint = g_strdup (assoc->peer_fingerprint);
  memcpy (ids, assoc->profile_ids, sizeof (ids));
  n_ids = assoc->n_profile_ids;
  timeout_us = (gint64) assoc->handshake_timeout_ms * 1000;
  g_mutex_unlock (&assoc->lock);

  conn = sec_dtls_connection_new (cert, is_client, &core_callbacks, assoc,
      error);
  sec_dtls_certificate_unref (cert);
  if (conn && peer_fingerprint
      && !sec_dtls_connection_set_peer_fingerprint (conn, peer_fingerprint,
          error)) {
    sec_dtls_connection_free (conn);
    conn = NULL;
  }
  g_free (peer_fingerprint);
  if (conn == NULL)
    return FALSE;
  sec_dtls_connection_set_srtp_profiles (conn, ids, n_ids, NULL);
  sec_dtls_connection_set_handshake_timeout (conn, timeout_us);
  assoc->conn = conn;
  assoc->keys_handled = FALSE;
  assoc->app_ended = FALSE;
  GST_DEBUG ("association %s: new DTLS %s", GST_STR_NULL (assoc->id),
      is_client ? "client" : "server");
  return TRUE;
}

/* lock held: the connected association ended; what its connect handed
 * out is withdrawn (by finish_call), what is still on its way dropped. */
static void
end_connected_locked (GstSecDtlsAssociation * assoc, CallResult * result)
{
  assoc->connected_live = FALSE;
  assoc->keys_epoch++;
  if (!assoc->keys_out)
    return;
  assoc->keys_out = FALSE;
  result->withdraw_keys = TRUE;
  g_free (result->withdraw_encoder);
  g_free (result->withdraw_decoder);
  result->withdraw_encoder = g_steal_pointer (&assoc->keyed_encoder);
  result->withdraw_decoder = g_steal_pointer (&assoc->keyed_decoder);
}

/* lock held: the timer thread runs run_timed () by when something is
 * due: at once for datagrams to send or a handshake to start, else at
 * the core's next timeout or the silence check. Only while the encoder's
 * src pad is active (its deactivation cancels the timer and waits). */
static void
arm_for_locked (GstSecDtlsAssociation * assoc, gboolean caller_pushes)
{
  gint64 wake;

  if (assoc->enc_srcpad == NULL || assoc->enc_flushing)
    return;
  if ((!caller_pushes && !g_queue_is_empty (&assoc->outgoing))
      || (assoc->enc_started && !assoc->conn_started)) {
    wake = 0;
  } else {
    wake = assoc->next_timeout;
    if (assoc->silence_check_at >= 0 && (wake < 0
            || assoc->silence_check_at < wake))
      wake = assoc->silence_check_at;
  }
  gst_sec_dtls_timer_schedule (&assoc->timer, wake);
}

static void
arm_locked (GstSecDtlsAssociation * assoc)
{
  arm_for_locked (assoc, FALSE);
}

/* conn_lock held: mirrors the core state, collects what to do once
 * unlocked. */
static void
after_core_call (GstSecDtlsAssociation * assoc, CallResult * result)
{
  SecDtlsState core_state = assoc->conn ?
      sec_dtls_connection_get_state (assoc->conn) : SEC_DTLS_STATE_NEW;
  gint64 next = assoc->conn ?
      sec_dtls_connection_get_next_timeout (assoc->conn) : -1;
  gboolean just_connected = FALSE;

  if (core_state == SEC_DTLS_STATE_CONNECTED && !assoc->keys_handled) {
    const SecDtlsSrtpProfile *profile;
    SecDtlsCertificate *local;
    gchar *peer, *sas;

    assoc->keys_handled = TRUE;
    just_connected = TRUE;
    result->connected = TRUE;
    result->have_keys = sec_dtls_connection_export_srtp_keys (assoc->conn,
        &result->keys);
    profile = sec_dtls_connection_get_srtp_profile (assoc->conn);
    peer = sec_dtls_connection_get_peer_fingerprint (assoc->conn);
    result->connected_info = gst_structure_new ("dtls-connected",
        "connection-id", G_TYPE_STRING, assoc->id,
        "is-client", G_TYPE_BOOLEAN,
        sec_dtls_connection_is_client (assoc->conn),
        "dtls-version", G_TYPE_STRING,
        sec_dtls_connection_get_version (assoc->conn),
        "cipher-suite", G_TYPE_STRING,
        sec_dtls_connection_get_cipher_suite (assoc->conn),
        "peer-fingerprint", G_TYPE_STRING, peer, NULL);
    if (profile)
      gst_structure_set (result->connected_info, "srtp-profile",
          G_TYPE_STRING, profile->nick, NULL);
    /* the certificate this association presented (the setting may have
     * changed since, for the next one) */
    local = sec_dtls_connection_get_certificate (assoc->conn);
    gst_structure_set (result->connected_info, "local-fingerprint",
        G_TYPE_STRING, sec_dtls_certificate_get_fingerprint (local), NULL);
    /* the short authentication string (dtlssas.h): not a secret, it is
     * there to be read aloud */
    sas = sec_dtls_connection_get_sas (assoc->conn);
    if (sas)
      gst_structure_set (result->connected_info, "sas", G_TYPE_STRING, sas,
          NULL);
    g_free (sas);
    g_free (peer);
  }
  while (!g_queue_is_empty (&assoc->app_in))
    g_queue_push_tail (&result->app, g_queue_pop_head (&assoc->app_in));
  /* RFC 5246 §7.2.1: the peer's close_notify ends its application data.
   * Only sec_dtls_connection_receive reads one, so this is the decoder's
   * call, which pushes what came before it and then EOS. */
  if (!assoc->app_ended && assoc->conn
      && sec_dtls_connection_closed_by_peer (assoc->conn)) {
    assoc->app_ended = TRUE;
    result->app_ended = TRUE;
  }

  g_mutex_lock (&assoc->lock);
  /* wake senders only for what they wait on, a state change (queued
   * datagrams are pushed by finish_call) */
  if (assoc->state != state_from_core (core_state))
    g_cond_broadcast (&assoc->cond);
  assoc->state = state_from_core (core_state);
  assoc->next_timeout = next;
  /* a datagram to send: the caller sends it, or the timer thread (a
   * wake-up of the timer per record, before, for every record sent) */
  arm_for_locked (assoc, result->pushes);
  if (just_connected) {
    result->srtp_encoder = g_strdup (assoc->srtp_encoder);
    result->srtp_decoder = g_strdup (assoc->srtp_decoder);
    result->keys_epoch = assoc->keys_epoch;
    assoc->connected_live = TRUE;
    if (result->have_keys) {
      assoc->keys_out = TRUE;
      g_free (assoc->keyed_encoder);
      g_free (assoc->keyed_decoder);
      assoc->keyed_encoder = g_strdup (assoc->srtp_encoder);
      assoc->keyed_decoder = g_strdup (assoc->srtp_decoder);
    }
  }
  /* keys of a failed association must not protect anything more */
  if (core_state == SEC_DTLS_STATE_FAILED && assoc->connected_live)
    end_connected_locked (assoc, result);
  g_mutex_unlock (&assoc->lock);
}

static void
notify_state (GstSecDtlsAssociation * assoc)
{
  GstElement *elements[2] = { NULL, NULL };
  guint i;

  g_mutex_lock (&assoc->lock);
  if (assoc->state != assoc->notified_state) {
    assoc->notified_state = assoc->state;
    elements[0] = g_weak_ref_get (&assoc->enc);
    elements[1] = g_weak_ref_get (&assoc->dec);
  }
  g_mutex_unlock (&assoc->lock);
  for (i = 0; i < 2; i++) {
    if (elements[i]) {
      g_object_notify (G_OBJECT (elements[i]), "connection-state");
      gst_object_unref (elements[i]);
    }
  }
}

/* The secsrtp element named @name, looked up from @element's bin
 * outwards; only the expected type is accepted, so keys never go to an
 * element that merely has a "key" property. */
GstElement *
gst_sec_dtls_find_named_element (GstElement * element, const gchar * name)
{
  GstObject *parent = gst_object_get_parent (GST_OBJECT (element));

  while (parent) {
    GstObject *next;

    if (GST_IS_BIN (parent)) {
      GstElement *found = gst_bin_get_by_name (GST_BIN (parent), name);

      if (found) {
        gst_object_unref (parent);
        return found;
      }
    }
    next = gst_object_get_parent (parent);
    gst_object_unref (parent);
    parent = next;
  }
  return NULL;
}

static GstElement *
find_srtp_element (GstElement * element, const gchar * name,
    const gchar * type_name)
{
  GstElement *found = gst_sec_dtls_find_named_element (element, name);

  if (found && g_strcmp0 (G_OBJECT_TYPE_NAME (found), type_name) != 0) {
    gst_object_unref (found);
    return NULL;
  }
  return found;
}

static gboolean
set_srtp_key (GstElement * element, const gchar * name,
    const gchar * type_name, const gchar * profile_nick, const guint8 * key,
    gsize key_len)
{
  GstElement *srtp = find_srtp_element (element, name, type_name);
  GstBuffer *buffer;
  GstMapInfo map;

  if (srtp == NULL)
    return FALSE;
  buffer = gst_buffer_new_memdup (key, key_len);
  gst_util_set_object_arg (G_OBJECT (srtp), "profile", profile_nick);
  g_object_set (srtp, "key", buffer, NULL);
  /* the element keeps its own copy; wipe ours */
  if (gst_buffer_map (buffer, &map, GST_MAP_WRITE)) {
    memset (map.data, 0, map.size);
    gst_buffer_unmap (buffer, &map);
  }
  gst_buffer_unref (buffer);
  GST_INFO_OBJECT (element, "keyed %s (%s)", name, profile_nick);
  gst_object_unref (srtp);
  return TRUE;
}

static void
withdraw_srtp_key (GstElement * element, const gchar * name,
    const gchar * type_name)
{
  GstElement *srtp = find_srtp_element (element, name, type_name);

  if (srtp == NULL) {
    GST_WARNING_OBJECT (element, "no %s named '%s' to withdraw the SRTP key "
        "from", type_name, name);
    return;
  }
  g_object_set (srtp, "key", NULL, NULL);
  GST_INFO_OBJECT (element, "withdrew the SRTP key of %s", name);
  gst_object_unref (srtp);
}

/* No lock held. */
static void
withdraw_keys (GstSecDtlsAssociation * assoc, GstElement * element,
    CallResult * result)
{
  if (!result->withdraw_keys)
    return;
  g_mutex_lock (&assoc->keys_lock);
  if (result->withdraw_encoder)
    withdraw_srtp_key (element, result->withdraw_encoder, "GstSecSrtpEnc");
  if (result->withdraw_decoder)
    withdraw_srtp_key (element, result->withdraw_decoder, "GstSecSrtpDec");
  g_mutex_unlock (&assoc->keys_lock);
  g_clear_pointer (&result->withdraw_encoder, g_free);
  g_clear_pointer (&result->withdraw_decoder, g_free);
  result->withdraw_keys = FALSE;
}

void
gst_sec_dtls_post_error (GstElement * element, const GError * error)
{
  if (error->domain == SEC_DTLS_ERROR) {
    switch (error->code) {
      case SEC_DTLS_ERROR_NO_FINGERPRINT:
        GST_ELEMENT_ERROR (element, RESOURCE, NOT_AUTHORIZED,
            (_("Could not verify the peer: no peer-fingerprint was set.")),
            ("%s", error->message));
        return;
      case SEC_DTLS_ERROR_ROLE_CONFLICT:
        GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
            (_("Both sides are DTLS clients: one of them must set "
                    "is-client=false.")), ("%s", error->message));
        return;
      case SEC_DTLS_ERROR_FINGERPRINT_MISMATCH:
      case SEC_DTLS_ERROR_REJECTED:
        GST_ELEMENT_ERROR (element, RESOURCE, NOT_AUTHORIZED,
            (_("Could not establish a secure connection with the peer: "
                    "its certificate was not accepted.")),
            ("%s", error->message));
        return;
      case SEC_DTLS_ERROR_PEER_CHANGED:
        GST_ELEMENT_ERROR (element, RESOURCE, NOT_AUTHORIZED,
            (_("The peer's identity changed in signaling; a new secure "
                    "connection is needed.")), ("%s", error->message));
        return;
      case SEC_DTLS_ERROR_TIMEOUT:
        GST_ELEMENT_ERROR (element, RESOURCE, READ,
            (_("The peer did not complete the secure handshake in time.")),
            ("%s", error->message));
        return;
      case SEC_DTLS_ERROR_ALERT:
        GST_ELEMENT_ERROR (element, RESOURCE, READ,
            (_("The peer aborted the secure connection.")),
            ("%s", error->message));
        return;
      case SEC_DTLS_ERROR_INVALID:
      case SEC_DTLS_ERROR_WEAK_HASH:
      case SEC_DTLS_ERROR_CERTIFICATE:
        GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
            (_("The secure connection settings are not usable.")),
            ("%s", error->message));
        return;
      default:
        break;
    }
  }
  GST_ELEMENT_ERROR (element, RESOURCE, FAILED,
      (_("Could not establish a secure connection with the peer.")),
      ("%s", error->message));
}

static gboolean
has_pending_locked (GstSecDtlsAssociation * assoc)
{
  return assoc->enc_srcpad && !assoc->enc_flushing
      && !g_queue_is_empty (&assoc->outgoing);
}

/* Sends what the core queued on the encoder's src pad. The thread that
 * made the datagrams pushes them itself (no hop through the encoder's
 * timer thread). When another thread is pushing (or this one, further up its
 * stack, when elements are linked back to back), @wait FALSE leaves the
 * datagrams to it: a pusher takes the queue again after each batch and
 * after letting go of the push lock, so nothing is stranded. */
static void
push_outgoing (GstSecDtlsAssociation * assoc, GstElement * element,
    gboolean wait)
{
  gboolean again;

  do {
    if (wait)
      g_mutex_lock (&assoc->push_lock);
    else if (!g_mutex_trylock (&assoc->push_lock))
      return;

    for (;;) {
      GQueue items = G_QUEUE_INIT;
      GstMiniObject *item;
      GstPad *pad = NULL;

      g_mutex_lock (&assoc->lock);
      if (has_pending_locked (assoc)) {
        pad = gst_object_ref (assoc->enc_srcpad);
        while (!g_queue_is_empty (&assoc->outgoing))
          g_queue_push_tail (&items, g_queue_pop_head (&assoc->outgoing));
      }
      g_mutex_unlock (&assoc->lock);
      if (pad == NULL)
        break;
      while ((item = g_queue_pop_head (&items))) {
        if (GST_IS_BUFFER (item)) {
          GstFlowReturn ret = gst_pad_push (pad, GST_BUFFER (item));

          if (ret != GST_FLOW_OK)
            GST_DEBUG_OBJECT (element, "sending a datagram: %s",
                gst_flow_get_name (ret));
        } else {
          gst_pad_push_event (pad, GST_EVENT (item));
        }
      }
      gst_object_unref (pad);
    }
    g_mutex_unlock (&assoc->push_lock);

    g_mutex_lock (&assoc->lock);
    again = has_pending_locked (assoc);
    g_mutex_unlock (&assoc->lock);
    wait = FALSE;
  } while (again);
}

/* Every lock released: keys to the SRTP elements first, then the state
 * notification and the message, then application data (and EOS when
 * the peer closed) and errors.
 * Returns FALSE when an error was posted. */
static gboolean
finish_call (GstSecDtlsAssociation * assoc, GstElement * element,
    CallResult * result, GstPad * app_pad, gboolean push)
{
  gboolean ok = TRUE;

  /* the peer is waiting for these: send them before anything else (from
   * the application thread, the timer thread sends them) */
  if (push) {
    push_outgoing (assoc, element, FALSE);
  } else {
    g_mutex_lock (&assoc->lock);
    g_cond_broadcast (&assoc->cond);
    arm_locked (assoc);
    g_mutex_unlock (&assoc->lock);
  }

  if (result->connected) {
    const SecDtlsSrtpProfile *profile = result->have_keys ?
        sec_dtls_srtp_profile_from_id (result->keys.profile_id) : NULL;
    gboolean wants_keys = result->srtp_encoder || result->srtp_decoder;
    const gchar *missing = NULL;
    gboolean current;

    /* under keys_lock: a withdrawal (the association failed meanwhile)
     * either comes after this hand-over or makes it stale */
    g_mutex_lock (&assoc->keys_lock);
    g_mutex_lock (&assoc->lock);
    current = assoc->keys_epoch == result->keys_epoch;
    g_mutex_unlock (&assoc->lock);
    if (current && profile) {
      if (result->srtp_encoder && !set_srtp_key (element,
              result->srtp_encoder, "GstSecSrtpEnc", profile->nick,
              result->keys.local, result->keys.key_len))
        missing = result->srtp_encoder;
      if (result->srtp_decoder && !set_srtp_key (element,
              result->srtp_decoder, "GstSecSrtpDec", profile->nick,
              result->keys.remote, result->keys.key_len))
        missing = result->srtp_decoder;
    }
    g_mutex_unlock (&assoc->keys_lock);

    if (!current) {
      GST_INFO_OBJECT (element, "the association ended before its connect "
          "was reported: no SRTP keys handed over, no dtls-connected");
      g_clear_pointer (&result->connected_info, gst_structure_free);
    } else if (wants_keys && profile == NULL) {
      GST_ELEMENT_ERROR (element, RESOURCE, FAILED,
          (_("The peer did not agree on an SRTP protection profile.")),
          ("the handshake completed without use_srtp (RFC 5764 §4.1.3): "
              "the peer took none of the profiles in srtp-profiles, so no "
              "SRTP keys exist"));
      ok = FALSE;
    } else if (missing) {
      GST_ELEMENT_ERROR (element, RESOURCE, NOT_FOUND,
          (_("Could not hand the SRTP keys to the SRTP elements.")),
          ("no secsrtpenc/secsrtpdec named '%s' in the bins around %s",
              missing, GST_ELEMENT_NAME (element)));
      ok = FALSE;
    }
  }
  sec_dtls_srtp_keys_clear (&result->keys);
  withdraw_keys (assoc, element, result);
  notify_state (assoc);
  if (result->connected_info) {
    GST_INFO_OBJECT (element, "connected: %" GST_PTR_FORMAT,
        result->connected_info);
    gst_element_post_message (element,
        gst_message_new_element (GST_OBJECT (element),
            result->connected_info));
    result->connected_info = NULL;
  }
  while (!g_queue_is_empty (&result->app)) {
    GstBuffer *buffer = g_queue_pop_head (&result->app);

    if (app_pad) {
      GstFlowReturn ret = gst_pad_push (app_pad, buffer);

      if (ret != GST_FLOW_OK && ret != GST_FLOW_NOT_LINKED)
        GST_DEBUG_OBJECT (element, "application data: %s",
            gst_flow_get_name (ret));
    } else {
      gst_buffer_unref (buffer);
    }
  }
  if (result->app_ended) {
    /* nothing follows: a closed core takes no more datagrams */
    GST_INFO_OBJECT (element,
        "the peer closed the association (close_notify): end of its "
        "application data");
    if (app_pad && !gst_pad_push_event (app_pad, gst_event_new_eos ()))
      GST_DEBUG_OBJECT (element, "downstream refused the EOS");
  }
  if (result->error) {
    if (g_error_matches (result->error, SEC_DTLS_ERROR,
            SEC_DTLS_ERROR_CLOSED)) {
      GST_DEBUG_OBJECT (element, "%s", result->error->message);
    } else {
      GST_WARNING_OBJECT (element, "%s", result->error->message);
      gst_sec_dtls_post_error (element, result->error);
      ok = FALSE;
    }
    g_clear_error (&result->error);
  }
  g_free (result->srtp_encoder);
  g_free (result->srtp_decoder);
  result->srtp_encoder = result->srtp_decoder = NULL;
  return ok;
}

/* --- driving ------------------------------------------------------------ */

gboolean
gst_sec_dtls_association_start (GstSecDtlsAssociation * assoc,
    GstElement * element, GstSecDtlsRole role)
{
  GError *error = NULL;
  GstSecDtlsRole set_on = role;

  g_mutex_lock (&assoc->lock);
  if (config_error_locked (assoc, &error, &set_on)) {
    /* from the element the setting was made on, whichever starts first */
    GstElement *reporter;

    g_mutex_unlock (&assoc->lock);
    reporter = gst_sec_dtls_association_element (assoc, set_on, element);
    gst_sec_dtls_post_error (reporter, error);
    gst_object_unref (reporter);
    g_error_free (error);
    return FALSE;
  }
  g_mutex_unlock (&assoc->lock);
  if (!gst_sec_dtls_check_srtp_elements (assoc, element))
    return FALSE;
  if (role == GST_SEC_DTLS_ROLE_DEC)
    gst_sec_dtls_warn_at_start (assoc, element);

  g_mutex_lock (&assoc->lock);
  if (role == GST_SEC_DTLS_ROLE_ENC) {
    assoc->enc_started = TRUE;
    assoc->enc_flushing = FALSE;
    g_cond_broadcast (&assoc->cond);
    arm_locked (assoc);
  }
  g_mutex_unlock (&assoc->lock);
  return TRUE;
}

static gboolean
start_connection (GstSecDtlsAssociation * assoc, GstElement * element)
{
  CallResult result = CALL_RESULT_PUSHES;

  g_rec_mutex_lock (&assoc->conn_lock);
  if (ensure_connection (assoc, &result.error)) {
    sec_dtls_connection_start (assoc->conn, g_get_monotonic_time (),
        &result.error);
  }
  g_mutex_lock (&assoc->lock);
  assoc->conn_started = TRUE;
  /* a first look at what the peer sent, long before the timeout */
  assoc->silence_check_at = g_get_monotonic_time ()
      + GST_SEC_DTLS_SILENCE_WARNING_S * G_USEC_PER_SEC;
  g_mutex_unlock (&assoc->lock);
  after_core_call (assoc, &result);
  g_rec_mutex_unlock (&assoc->conn_lock);
  return finish_call (assoc, element, &result, NULL, TRUE);
}

static gboolean
handle_timeout (GstSecDtlsAssociation * assoc, GstElement * element)
{
  CallResult result = CALL_RESULT_PUSHES;

  g_rec_mutex_lock (&assoc->conn_lock);
  if (assoc->conn)
    sec_dtls_connection_handle_timeout (assoc->conn, g_get_monotonic_time (),
        &result.error);
  after_core_call (assoc, &result);
  g_rec_mutex_unlock (&assoc->conn_lock);
  return finish_call (assoc, element, &result, NULL, TRUE);
}

GstFlowReturn
gst_sec_dtls_association_receive (GstSecDtlsAssociation * assoc,
    GstElement * element, GstBuffer * buffer, GstPad * app_pad)
{
  CallResult result = CALL_RESULT_PUSHES;
  GstMapInfo map;
  gboolean failed_now = FALSE;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_FLOW_ERROR;
  g_rec_mutex_lock (&assoc->conn_lock);
  if (ensure_connection (assoc, &result.error)) {
    SecDtlsState before = sec_dtls_connection_get_state (assoc->conn);
    SecDtlsState after;

    sec_dtls_connection_receive (assoc->conn, map.data, map.size,
        g_get_monotonic_time (), &result.error);
    after = sec_dtls_connection_get_state (assoc->conn);
    failed_now = before != SEC_DTLS_STATE_FAILED
        && after == SEC_DTLS_STATE_FAILED;
    /* only a datagram the handshake took starts it; one dropped before
     * OpenSSL (the core is still new) leaves the start to the encoder's
     * timer thread, which sends a client's ClientHello */
    if (after != SEC_DTLS_STATE_NEW) {
      g_mutex_lock (&assoc->lock);
      assoc->conn_touched = TRUE;
      assoc->conn_started = TRUE;
      g_mutex_unlock (&assoc->lock);
    }
  } else {
    failed_now = TRUE;
  }
  after_core_call (assoc, &result);
  g_rec_mutex_unlock (&assoc->conn_lock);
  gst_buffer_unmap (buffer, &map);

  if (!finish_call (assoc, element, &result, app_pad, TRUE) && failed_now)
    return GST_FLOW_ERROR;
  return GST_FLOW_OK;
}

GstFlowReturn
gst_sec_dtls_association_send (GstSecDtlsAssociation * assoc,
    GstElement * element, GstBuffer * buffer)
{
  CallResult result = CALL_RESULT_PUSHES;
  GstSecDtlsConnectionState state;
  GstMapInfo map;
  gboolean flushing;

  /* Application data waits for the handshake (as a data channel does). */
  g_mutex_lock (&assoc->lock);
  while (!assoc->enc_flushing
      && (assoc->state == GST_SEC_DTLS_CONNECTION_STATE_NEW
          || assoc->state == GST_SEC_DTLS_CONNECTION_STATE_CONNECTING))
    g_cond_wait (&assoc->cond, &assoc->lock);
  flushing = assoc->enc_flushing;
  state = assoc->state;
  g_mutex_unlock (&assoc->lock);
  if (flushing)
    return GST_FLOW_FLUSHING;
  if (state == GST_SEC_DTLS_CONNECTION_STATE_CLOSED)
    return GST_FLOW_EOS;
  if (state != GST_SEC_DTLS_CONNECTION_STATE_CONNECTED)
    return GST_FLOW_ERROR;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_FLOW_ERROR;
  g_rec_mutex_lock (&assoc->conn_lock);
  if (assoc->conn)
    sec_dtls_connection_send (assoc->conn, map.data, map.size,
        &result.error);
  after_core_call (assoc, &result);
  g_rec_mutex_unlock (&assoc->conn_lock);
  gst_buffer_unmap (buffer, &map);
  return finish_call (assoc, element, &result, NULL, TRUE) ? GST_FLOW_OK :
      GST_FLOW_ERROR;
}

void
gst_sec_dtls_association_close (GstSecDtlsAssociation * assoc,
    GstElement * element, GstEvent * event)
{
  CallResult result = CALL_RESULT_INIT;

  g_rec_mutex_lock (&assoc->conn_lock);
  if (assoc->conn)
    sec_dtls_connection_close (assoc->conn);
  after_core_call (assoc, &result);
  g_rec_mutex_unlock (&assoc->conn_lock);
  if (event) {
    g_mutex_lock (&assoc->lock);
    g_queue_push_tail (&assoc->outgoing, event);
    g_mutex_unlock (&assoc->lock);
  }
  /* may run in the application thread: the timer thread sends */
  finish_call (assoc, element, &result, NULL, FALSE);
}

/* The timer thread (gstsecdtlstimer.h): what is due for the encoder,
 * pushed on its src pad; when to run next. */
static gint64
run_timed (gpointer data)
{
  GstSecDtlsAssociation *assoc = data;
  GstElement *element = g_weak_ref_get (&assoc->enc);
  gint64 wake = -1;

  if (element == NULL)
    return -1;
  g_mutex_lock (&assoc->lock);
  for (;;) {
    gint64 now;

    if (assoc->enc_flushing || assoc->enc_srcpad == NULL)
      break;
    if (!g_queue_is_empty (&assoc->outgoing)) {
      g_mutex_unlock (&assoc->lock);
      push_outgoing (assoc, element, TRUE);
      g_mutex_lock (&assoc->lock);
      continue;
    }
    if (assoc->enc_started && !assoc->conn_started) {
      g_mutex_unlock (&assoc->lock);
      start_connection (assoc, element);
      g_mutex_lock (&assoc->lock);
      continue;
    }
    now = g_get_monotonic_time ();
    if (assoc->next_timeout >= 0 && now >= assoc->next_timeout) {
      g_mutex_unlock (&assoc->lock);
      handle_timeout (assoc, element);
      g_mutex_lock (&assoc->lock);
      continue;
    }
    if (assoc->silence_check_at >= 0 && now >= assoc->silence_check_at) {
      assoc->silence_check_at = -1;
      g_mutex_unlock (&assoc->lock);
      gst_sec_dtls_warn_if_silent (assoc, element);
      g_mutex_lock (&assoc->lock);
      continue;
    }
    /* nothing due: the DTLS timer or the silence check, whichever is
     * first (the core calls and this element schedule earlier ones) */
    wake = assoc->next_timeout;
    if (assoc->silence_check_at >= 0 && (wake < 0
            || assoc->silence_check_at < wake))
      wake = assoc->silence_check_at;
    break;
  }
  g_mutex_unlock (&assoc->lock);
  gst_object_unref (element);
  return wake;
}

void
gst_sec_dtls_association_set_flushing (GstSecDtlsAssociation * assoc,
    GstSecDtlsRole role, GstPad * srcpad, gboolean flushing)
{
  if (role != GST_SEC_DTLS_ROLE_ENC)
    return;
  g_mutex_lock (&assoc->lock);
  assoc->enc_flushing = flushing;
  if (flushing)
    assoc->enc_started = FALSE;
  gst_object_replace ((GstObject **) & assoc->enc_srcpad,
      flushing ? NULL : GST_OBJECT (srcpad));
  g_cond_broadcast (&assoc->cond);
  arm_locked (assoc);
  g_mutex_unlock (&assoc->lock);
  /* nothing runs for the encoder once its pad is inactive */
  if (flushing)
    gst_sec_dtls_timer_cancel (&assoc->timer);
}

void
gst_sec_dtls_association_reset_if_finished (GstSecDtlsAssociation * assoc,
    GstElement * element)
{
  CallResult result = CALL_RESULT_INIT;

  g_rec_mutex_lock (&assoc->conn_lock);
  if (assoc->conn) {
    SecDtlsState state = sec_dtls_connection_get_state (assoc->conn);

    if (state == SEC_DTLS_STATE_CLOSED || state == SEC_DTLS_STATE_FAILED) {
      sec_dtls_connection_free (assoc->conn);
      assoc->conn = NULL;
      assoc->keys_handled = FALSE;
      g_mutex_lock (&assoc->lock);
      /* the keys of the association that ended do not carry over into
       * the next one */
      end_connected_locked (assoc, &result);
      assoc->conn_started = FALSE;
      assoc->conn_touched = FALSE;
      assoc->state = GST_SEC_DTLS_CONNECTION_STATE_NEW;
      assoc->next_timeout = -1;
      assoc->silence_check_at = -1;
      g_queue_clear_full (&assoc->outgoing,
          (GDestroyNotify) gst_mini_object_unref);
      g_mutex_unlock (&assoc->lock);
    }
  }
  g_rec_mutex_unlock (&assoc->conn_lock);
  withdraw_keys (assoc, element, &result);
  notify_state (assoc);
}

GstStructure *
gst_sec_dtls_association_get_stats (GstSecDtlsAssociation * assoc)
{
  SecDtlsConnectionStats stats = { 0, };
  GstSecDtlsConnectionState state;
  GstStructure *s;
  gchar *verified = NULL;

  /* one snapshot: the state and what was verified go together */
  g_rec_mutex_lock (&assoc->conn_lock);
  if (assoc->conn) {
    sec_dtls_connection_get_stats (assoc->conn, &stats);
    verified = sec_dtls_connection_get_peer_fingerprint (assoc->conn);
  }
  g_mutex_lock (&assoc->lock);
  state = assoc->state;
  g_mutex_unlock (&assoc->lock);
  g_rec_mutex_unlock (&assoc->conn_lock);
  s = gst_structure_new ("application/x-secdtls-stats",
      "connection-state", GST_TYPE_SEC_DTLS_CONNECTION_STATE, state,
      "datagrams-received", G_TYPE_UINT64, stats.datagrams_received,
      "datagrams-malformed", G_TYPE_UINT64, stats.datagrams_malformed,
      "datagrams-sent", G_TYPE_UINT64, stats.datagrams_sent,
      "retransmissions", G_TYPE_UINT64, stats.retransmissions,
      "app-bytes-sent", G_TYPE_UINT64, stats.app_bytes_sent,
      "app-bytes-received", G_TYPE_UINT64, stats.app_bytes_received, NULL);
  if (verified)
    gst_structure_set (s, "verified-peer-fingerprint", G_TYPE_STRING,
        verified, NULL);
  g_free (verified);
  return s;
}

/* --- settings that reach the core ---------------------------------------- */

/* A setting that changes the handshake applies to the core only while
 * nothing has been sent or received yet; then the core is made again. */
void
gst_sec_dtls_association_settings_changed (GstSecDtlsAssociation * assoc,
    GstElement * element,
    const gchar * what)
{
  g_rec_mutex_lock (&assoc->conn_lock);
  g_mutex_lock (&assoc->lock);
  if (assoc->conn && !assoc->conn_touched) {
    sec_dtls_connection_free (assoc->conn);
    assoc->conn = NULL;
    assoc->conn_started = FALSE;
    assoc->state = GST_SEC_DTLS_CONNECTION_STATE_NEW;
    assoc->next_timeout = -1;
    assoc->silence_check_at = -1;
    g_cond_broadcast (&assoc->cond);
    /* started again with the new setting */
    arm_locked (assoc);
  } else if (assoc->conn) {
    GST_WARNING_OBJECT (element, "%s changed after the handshake started; "
        "it applies to the next association", what);
  }
  g_mutex_unlock (&assoc->lock);
  g_rec_mutex_unlock (&assoc->conn_lock);
}

/* peer-fingerprint: the core decides what a new value means once a peer
 * was verified (dtlsconnection.h); the text changes in the same conn_lock
 * section, after the state it may have failed, so the property never
 * reads a value the association has not verified while it reads
 * connected. */
void
gst_sec_dtls_association_set_peer_fingerprint (GstSecDtlsAssociation *
    assoc, GstElement * element, GstSecDtlsRole role, const gchar * text)
{
  CallResult result = CALL_RESULT_INIT;
  SecDtlsFingerprint parsed;
  GError *error = NULL;
  gchar *canonical = NULL;

  /* kept and compared in the SDP form, whatever form was given (what
   * `openssl x509 -fingerprint` prints, lower case) */
  if (text && *text != '\0') {
    if (sec_dtls_fingerprint_parse (text, &parsed, &error))
      canonical = sec_dtls_fingerprint_to_string (&parsed);
    else
      g_prefix_error (&error, "peer-fingerprint: ");
  }
  text = error ? text : canonical;

  g_rec_mutex_lock (&assoc->conn_lock);
  /* may arrive after the handshake began, until the certificate does;
   * after it, a value that contradicts the verified peer fails it */
  if (assoc->conn) {
    if (!sec_dtls_connection_set_peer_fingerprint (assoc->conn, text,
            &result.error)
        && !g_error_matches (result.error, SEC_DTLS_ERROR,
            SEC_DTLS_ERROR_PEER_CHANGED))
      g_clear_error (&result.error);    /* the same as @error */
    after_core_call (assoc, &result);
  }
  g_mutex_lock (&assoc->lock);
  g_free (assoc->peer_fingerprint);
  assoc->peer_fingerprint = g_steal_pointer (&canonical);
  g_clear_error (&assoc->peer_fingerprint_error);
  if (error)
    assoc->peer_fingerprint_error = g_error_copy (error);
  assoc->peer_fingerprint_set_on = role;
  assoc->set_mask |= SET_PEER_FINGERPRINT;
  g_mutex_unlock (&assoc->lock);
  g_rec_mutex_unlock (&assoc->conn_lock);

  /* from the application thread: the timer thread sends close_notify */
  if (finish_call (assoc, element, &result, NULL, FALSE) && error) {
    /* a setting that can be wrong: say so now, and again at start */
    GST_WARNING_OBJECT (element, "%s", error->message);
    gst_sec_dtls_post_error (element, error);
  }
  g_clear_error (&error);
}
