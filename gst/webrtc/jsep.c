/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The JSEP signaling-state machine: a table of the legal transitions
 * (RFC 8829 §3.2, §4.1, §5.7) and, for every other call, a message that
 * says why it is refused and what to do instead.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "jsep.h"

#include <string.h>

/* clang-format off */
G_DEFINE_QUARK (sec-jsep-error-quark, sec_jsep_error);
/* clang-format on */

typedef struct
{
  SecJsepState from;
  SecJsepOp op;
  SecJsepSdpType type;
  SecJsepState to;
} SecJsepLegalTransition;

/* Every legal (state, call, type); close is legal everywhere and is not
 * listed. */
static const SecJsepLegalTransition legal_transitions[] = {
  /* createOffer in stable and have-local-offer (RFC 8829 §4.1) */
  { SEC_JSEP_STATE_STABLE, SEC_JSEP_OP_CREATE_OFFER, SEC_JSEP_SDP_NONE,
      SEC_JSEP_STATE_STABLE },
  { SEC_JSEP_STATE_HAVE_LOCAL_OFFER, SEC_JSEP_OP_CREATE_OFFER,
      SEC_JSEP_SDP_NONE, SEC_JSEP_STATE_HAVE_LOCAL_OFFER },
  /* createAnswer answers a remote offer (RFC 8829 §4.1) */
  { SEC_JSEP_STATE_HAVE_REMOTE_OFFER, SEC_JSEP_OP_CREATE_ANSWER,
      SEC_JSEP_SDP_NONE, SEC_JSEP_STATE_HAVE_REMOTE_OFFER },
  /* we offer */
  { SEC_JSEP_STATE_STABLE, SEC_JSEP_OP_SET_LOCAL_DESCRIPTION,
      SEC_JSEP_SDP_OFFER, SEC_JSEP_STATE_HAVE_LOCAL_OFFER },
  { SEC_JSEP_STATE_HAVE_LOCAL_OFFER, SEC_JSEP_OP_SET_LOCAL_DESCRIPTION,
      SEC_JSEP_SDP_OFFER, SEC_JSEP_STATE_HAVE_LOCAL_OFFER },
  { SEC_JSEP_STATE_HAVE_LOCAL_OFFER, SEC_JSEP_OP_SET_REMOTE_DESCRIPTION,
      SEC_JSEP_SDP_ANSWER, SEC_JSEP_STATE_STABLE },
  /* the peer offers */
  { SEC_JSEP_STATE_STABLE, SEC_JSEP_OP_SET_REMOTE_DESCRIPTION,
      SEC_JSEP_SDP_OFFER, SEC_JSEP_STATE_HAVE_REMOTE_OFFER },
  { SEC_JSEP_STATE_HAVE_REMOTE_OFFER, SEC_JSEP_OP_SET_REMOTE_DESCRIPTION,
      SEC_JSEP_SDP_OFFER, SEC_JSEP_STATE_HAVE_REMOTE_OFFER },
  { SEC_JSEP_STATE_HAVE_REMOTE_OFFER, SEC_JSEP_OP_SET_LOCAL_DESCRIPTION,
      SEC_JSEP_SDP_ANSWER, SEC_JSEP_STATE_STABLE },
  /* RFC 8829 §5.7: a rollback has the same effect through either call
   * and cancels the pending offer, whoever made it */
  { SEC_JSEP_STATE_HAVE_LOCAL_OFFER, SEC_JSEP_OP_SET_LOCAL_DESCRIPTION,
      SEC_JSEP_SDP_ROLLBACK, SEC_JSEP_STATE_STABLE },
  { SEC_JSEP_STATE_HAVE_LOCAL_OFFER, SEC_JSEP_OP_SET_REMOTE_DESCRIPTION,
      SEC_JSEP_SDP_ROLLBACK, SEC_JSEP_STATE_STABLE },
  { SEC_JSEP_STATE_HAVE_REMOTE_OFFER, SEC_JSEP_OP_SET_LOCAL_DESCRIPTION,
      SEC_JSEP_SDP_ROLLBACK, SEC_JSEP_STATE_STABLE },
  { SEC_JSEP_STATE_HAVE_REMOTE_OFFER, SEC_JSEP_OP_SET_REMOTE_DESCRIPTION,
      SEC_JSEP_SDP_ROLLBACK, SEC_JSEP_STATE_STABLE },
};

const gchar *
sec_jsep_state_name (SecJsepState state)
{
  switch (state) {
    case SEC_JSEP_STATE_STABLE:
      return "stable";
    case SEC_JSEP_STATE_HAVE_LOCAL_OFFER:
      return "have-local-offer";
    case SEC_JSEP_STATE_HAVE_REMOTE_OFFER:
      return "have-remote-offer";
    case SEC_JSEP_STATE_CLOSED:
      return "closed";
  }
  return "unknown";
}

const gchar *
sec_jsep_op_name (SecJsepOp op)
{
  switch (op) {
    case SEC_JSEP_OP_CREATE_OFFER:
      return "create-offer";
    case SEC_JSEP_OP_CREATE_ANSWER:
      return "create-answer";
    case SEC_JSEP_OP_SET_LOCAL_DESCRIPTION:
      return "set-local-description";
    case SEC_JSEP_OP_SET_REMOTE_DESCRIPTION:
      return "set-remote-description";
    case SEC_JSEP_OP_CLOSE:
      return "close";
  }
  return "unknown";
}

const gchar *
sec_jsep_sdp_type_name (SecJsepSdpType type)
{
  switch (type) {
    case SEC_JSEP_SDP_NONE:
      return "";
    case SEC_JSEP_SDP_OFFER:
      return "offer";
    case SEC_JSEP_SDP_ANSWER:
      return "answer";
    case SEC_JSEP_SDP_PRANSWER:
      return "pranswer";
    case SEC_JSEP_SDP_ROLLBACK:
      return "rollback";
  }
  return "unknown";
}

gboolean
sec_jsep_sdp_type_from_string (
    const gchar * name, SecJsepSdpType * type, GError ** error)
{
  static const SecJsepSdpType types[] = { SEC_JSEP_SDP_OFFER,
    SEC_JSEP_SDP_ANSWER, SEC_JSEP_SDP_PRANSWER, SEC_JSEP_SDP_ROLLBACK };
  guint i;
  gchar *quoted;

  g_return_val_if_fail (type != NULL, FALSE);

  if (name != NULL) {
    for (i = 0; i < G_N_ELEMENTS (types); i++) {
      if (g_ascii_strcasecmp (name, sec_jsep_sdp_type_name (types[i])) == 0) {
        *type = types[i];
        return TRUE;
      }
    }
  }

  if (name == NULL || name[0] == '\0') {
    g_set_error_literal (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_INVALID,
        "no description type given: use \"offer\", \"answer\" or "
        "\"rollback\"");
    return FALSE;
  }
  /* the name comes from the application: quoted with escapes, cut short */
  quoted = g_strescape (name, NULL);
  if (strlen (quoted) > 40) {
    gchar *cut = g_strndup (quoted, 40);

    g_free (quoted);
    quoted = g_strconcat (cut, "...", NULL);
    g_free (cut);
  }
  g_set_error (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_INVALID,
      "unknown description type \"%s\": use \"offer\", \"answer\" or "
      "\"rollback\"",
      quoted);
  g_free (quoted);
  return FALSE;
}

/* "set-remote-description(answer)" or "create-offer" */
static gchar *
call_name (SecJsepOp op, SecJsepSdpType type)
{
  if (type == SEC_JSEP_SDP_NONE)
    return g_strdup (sec_jsep_op_name (op));
  return g_strdup_printf (
      "%s(%s)", sec_jsep_op_name (op), sec_jsep_sdp_type_name (type));
}

static gboolean
op_takes_type (SecJsepOp op)
{
  return op == SEC_JSEP_OP_SET_LOCAL_DESCRIPTION
      || op == SEC_JSEP_OP_SET_REMOTE_DESCRIPTION;
}

/* Why (state, op, type) is not in the table, with what to do instead.
 * Only called for calls that take the right kind of type, in a state
 * other than closed, without pranswer. */
static const gchar *
refusal_reason (SecJsepState state, SecJsepOp op, SecJsepSdpType type)
{
  gboolean local = op == SEC_JSEP_OP_SET_LOCAL_DESCRIPTION;

  switch (state) {
    case SEC_JSEP_STATE_STABLE:
      if (op == SEC_JSEP_OP_CREATE_ANSWER)
        return "there is no remote offer to answer; "
               "set a remote offer first";
      if (type == SEC_JSEP_SDP_ANSWER)
        return local
            ? "there is no remote offer to answer; "
              "set a remote offer first"
            : "there is no local offer to answer; set a local offer first";
      if (type == SEC_JSEP_SDP_ROLLBACK)
        return "there is no pending offer to roll back (a rollback cancels "
               "an offer that is not answered yet, RFC 8829 §5.7)";
      break;
    case SEC_JSEP_STATE_HAVE_LOCAL_OFFER:
      if (op == SEC_JSEP_OP_CREATE_ANSWER)
        return "the pending offer is our own, an answer must come from the "
               "peer; set the remote answer, or roll back the local offer";
      if (local && type == SEC_JSEP_SDP_ANSWER)
        return "the pending offer is our own, an answer must come from the "
               "peer; set the remote answer with set-remote-description";
      if (!local && type == SEC_JSEP_SDP_OFFER)
        return "both sides made an offer (glare); roll back the local "
               "offer with set-local-description(rollback) first, or wait "
               "for the answer and offer again after it";
      break;
    case SEC_JSEP_STATE_HAVE_REMOTE_OFFER:
      if (op == SEC_JSEP_OP_CREATE_OFFER)
        return "the peer's offer is waiting for an answer; answer it "
               "(create-answer) or roll it back before making an offer";
      if (local && type == SEC_JSEP_SDP_OFFER)
        return "the peer's offer is waiting for an answer; answer it "
               "or roll it back with set-remote-description(rollback) first";
      if (!local && type == SEC_JSEP_SDP_ANSWER)
        return "the pending offer came from the peer, so the answer must "
               "be local; create one with create-answer and set it with "
               "set-local-description";
      break;
    case SEC_JSEP_STATE_CLOSED:
      break;
  }
  return "the call is not allowed in this state";
}

gboolean
sec_jsep_next_state (SecJsepState state, SecJsepOp op, SecJsepSdpType type,
    SecJsepState * next_state, GError ** error)
{
  gchar *call;
  guint i;

  g_return_val_if_fail (next_state != NULL, FALSE);

  /* what the call needs, whatever the state */
  if (op_takes_type (op) && type == SEC_JSEP_SDP_NONE) {
    g_set_error (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_INVALID,
        "%s needs a description type: \"offer\", \"answer\" or "
        "\"rollback\"",
        sec_jsep_op_name (op));
    return FALSE;
  }
  if (!op_takes_type (op) && type != SEC_JSEP_SDP_NONE) {
    g_set_error (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_INVALID,
        "%s takes no description type (got \"%s\")", sec_jsep_op_name (op),
        sec_jsep_sdp_type_name (type));
    return FALSE;
  }

  /* W3C close(): a no-op on a closed connection */
  if (op == SEC_JSEP_OP_CLOSE) {
    *next_state = SEC_JSEP_STATE_CLOSED;
    return TRUE;
  }

  call = call_name (op, type);
  if (state == SEC_JSEP_STATE_CLOSED) {
    g_set_error (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_CLOSED,
        "%s in state closed: the connection is closed; create a new one", call);
    g_free (call);
    return FALSE;
  }
  if (type == SEC_JSEP_SDP_PRANSWER) {
    g_set_error (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_UNSUPPORTED,
        "%s in state %s: provisional answers are not supported; "
        "send a final answer (type \"answer\") instead",
        call, sec_jsep_state_name (state));
    g_free (call);
    return FALSE;
  }

  for (i = 0; i < G_N_ELEMENTS (legal_transitions); i++) {
    const SecJsepLegalTransition *t = &legal_transitions[i];

    if (t->from == state && t->op == op && t->type == type) {
      *next_state = t->to;
      g_free (call);
      return TRUE;
    }
  }

  g_set_error (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_INVALID_STATE,
      "%s in state %s: %s", call, sec_jsep_state_name (state),
      refusal_reason (state, op, type));
  g_free (call);
  return FALSE;
}

void
sec_jsep_init (SecJsep * jsep)
{
  g_return_if_fail (jsep != NULL);

  jsep->state = SEC_JSEP_STATE_STABLE;
  jsep->serial = 0;
}

gboolean
sec_jsep_check (const SecJsep * jsep, SecJsepOp op, SecJsepSdpType type,
    SecJsepTransition * transition, GError ** error)
{
  SecJsepState next_state;

  g_return_val_if_fail (jsep != NULL, FALSE);
  g_return_val_if_fail (transition != NULL, FALSE);

  if (!sec_jsep_next_state (jsep->state, op, type, &next_state, error))
    return FALSE;

  transition->op = op;
  transition->type = type;
  transition->from = jsep->state;
  transition->to = next_state;
  transition->serial = jsep->serial;
  return TRUE;
}

gboolean
sec_jsep_apply (
    SecJsep * jsep, const SecJsepTransition * transition, GError ** error)
{
  SecJsepState next_state;

  g_return_val_if_fail (jsep != NULL, FALSE);
  g_return_val_if_fail (transition != NULL, FALSE);

  /* Another transition was applied since this one was checked, or the
   * transition was not made by sec_jsep_check for this state: the
   * description was applied against a state that no longer holds. */
  if (transition->serial != jsep->serial || transition->from != jsep->state
      || !sec_jsep_next_state (
          transition->from, transition->op, transition->type, &next_state, NULL)
      || next_state != transition->to) {
    gchar *call = call_name (transition->op, transition->type);

    g_set_error (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_STALE,
        "%s was checked in state %s, but another negotiation call was "
        "applied since (the state is now %s); check the call again",
        call, sec_jsep_state_name (transition->from),
        sec_jsep_state_name (jsep->state));
    g_free (call);
    return FALSE;
  }

  jsep->state = transition->to;
  /* creating an offer or answer changes no state and leaves other
   * checked calls valid; every description applied (even one that keeps
   * the state, a new offer replacing the pending one) or close does not */
  if (transition->op != SEC_JSEP_OP_CREATE_OFFER
      && transition->op != SEC_JSEP_OP_CREATE_ANSWER)
    jsep->serial++;
  return TRUE;
}

gboolean
sec_jsep_transition_changes_state (const SecJsepTransition * transition)
{
  g_return_val_if_fail (transition != NULL, FALSE);

  return transition->from != transition->to;
}

gboolean
sec_jsep_transition_ends_exchange (const SecJsepTransition * transition)
{
  g_return_val_if_fail (transition != NULL, FALSE);

  return transition->to == SEC_JSEP_STATE_STABLE
      && (transition->from == SEC_JSEP_STATE_HAVE_LOCAL_OFFER
          || transition->from == SEC_JSEP_STATE_HAVE_REMOTE_OFFER);
}
