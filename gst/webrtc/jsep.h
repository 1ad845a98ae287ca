/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The JSEP signaling-state machine (RFC 8829 §3.2 and §4.1, RFC 9429 since;
 * state names as the W3C RTCSignalingState): which negotiation call is
 * legal in which state, and the state it leads to.
 *
 *                set-local-description(offer)
 *     stable  ------------------------------->  have-local-offer
 *             <-------------------------------  (set-local(offer) again
 *              set-remote-description(answer)    replaces the offer)
 *              rollback
 *
 *                set-remote-description(offer)
 *     stable  ------------------------------->  have-remote-offer
 *             <-------------------------------  (set-remote(offer) again
 *              set-local-description(answer)     replaces the offer)
 *              rollback
 *
 *     any state  -- close -->  closed
 *
 * A rollback (type "rollback" to either set call, RFC 8829 §5.7) cancels
 * the pending offer, local or remote; it is an error in stable.
 *
 * A call is first checked (sec_jsep_check: pure, touches nothing), then
 * the caller applies the description, and only once that succeeded
 * commits the transition (sec_jsep_apply). A refused or failed call leaves
 * the state as it was, so there is no half-applied state.
 *
 * Provisional answers (pranswer, the have-*-pranswer states) are not
 * supported and are refused with a clear error; close() leads to closed
 * from every state and everything but close() is refused there.
 *
 * Plain C over GLib: no pads, threads or clocks.
 */
#ifndef SEC_JSEP_H
#define SEC_JSEP_H

#include <glib.h>

G_BEGIN_DECLS

#define SEC_JSEP_ERROR (sec_jsep_error_quark ())

typedef enum
{
  SEC_JSEP_ERROR_INVALID_STATE, /* the call is not legal in this state */
  SEC_JSEP_ERROR_CLOSED,        /* the connection is closed */
  SEC_JSEP_ERROR_UNSUPPORTED,   /* pranswer */
  SEC_JSEP_ERROR_INVALID,       /* unknown type name, type missing/extra */
  SEC_JSEP_ERROR_STALE,         /* applied after another transition */
} SecJsepError;

GQuark sec_jsep_error_quark (void);

/* W3C RTCSignalingState, without the pranswer states */
typedef enum
{
  SEC_JSEP_STATE_STABLE,
  SEC_JSEP_STATE_HAVE_LOCAL_OFFER,
  SEC_JSEP_STATE_HAVE_REMOTE_OFFER,
  SEC_JSEP_STATE_CLOSED,
} SecJsepState;

#define SEC_JSEP_N_STATES 4

typedef enum
{
  SEC_JSEP_OP_CREATE_OFFER,
  SEC_JSEP_OP_CREATE_ANSWER,
  SEC_JSEP_OP_SET_LOCAL_DESCRIPTION,
  SEC_JSEP_OP_SET_REMOTE_DESCRIPTION,
  SEC_JSEP_OP_CLOSE,
} SecJsepOp;

#define SEC_JSEP_N_OPS 5

/* W3C RTCSdpType; NONE for the calls that take no description */
typedef enum
{
  SEC_JSEP_SDP_NONE,
  SEC_JSEP_SDP_OFFER,
  SEC_JSEP_SDP_ANSWER,
  SEC_JSEP_SDP_PRANSWER,
  SEC_JSEP_SDP_ROLLBACK,
} SecJsepSdpType;

#define SEC_JSEP_N_SDP_TYPES 5

/* "stable", "have-local-offer", "have-remote-offer", "closed" */
const gchar *sec_jsep_state_name (SecJsepState state);

/* "create-offer", "create-answer", "set-local-description",
 * "set-remote-description", "close" */
const gchar *sec_jsep_op_name (SecJsepOp op);

/* "offer", "answer", "pranswer", "rollback"; "" for NONE */
const gchar *sec_jsep_sdp_type_name (SecJsepSdpType type);

/* The type argument of set-local-description and set-remote-description:
 * "offer", "answer", "pranswer" or "rollback" (ASCII case-insensitive).
 * NULL, "" or anything else fails with SEC_JSEP_ERROR_INVALID and a
 * message that lists the valid names. */
gboolean sec_jsep_sdp_type_from_string (
    const gchar * name, SecJsepSdpType * type, GError ** error);

/* The transition table itself (pure): the state that @op with @type leads
 * to from @state, or FALSE with a GError whose message names the call,
 * the state and why, and says what to do instead, e.g.
 * "set-remote-description(answer) in state stable: there is no local
 * offer to answer; set a local offer first". create-offer,
 * create-answer and close take SEC_JSEP_SDP_NONE; the set calls take a
 * type other than NONE. */
gboolean sec_jsep_next_state (SecJsepState state, SecJsepOp op,
    SecJsepSdpType type, SecJsepState * next_state, GError ** error);

/* The machine of one peer connection. Initialise with sec_jsep_init;
 * the fields are read-only for callers. */
typedef struct
{
  SecJsepState state;
  guint64 serial; /* descriptions (and close) applied so far */
} SecJsep;

/* A transition accepted by sec_jsep_check, to be committed with
 * sec_jsep_apply once the description is applied. */
typedef struct
{
  SecJsepOp op;
  SecJsepSdpType type;
  SecJsepState from;
  SecJsepState to;
  guint64 serial; /* the machine's serial when checked */
} SecJsepTransition;

void sec_jsep_init (SecJsep * jsep);

/* Checks @op with @type against the machine's current state and fills
 * @transition; changes nothing. FALSE with a GError as
 * sec_jsep_next_state gives when the call is not legal. */
gboolean sec_jsep_check (const SecJsep * jsep, SecJsepOp op,
    SecJsepSdpType type, SecJsepTransition * transition, GError ** error);

/* Commits a transition from sec_jsep_check: the state becomes
 * transition->to. A transition checked before another description (or
 * close) was applied, or not made by sec_jsep_check for this machine's
 * state, fails with SEC_JSEP_ERROR_STALE and changes nothing: check
 * again. create-offer and create-answer change no state; applying them
 * is allowed and invalidates no other check. */
gboolean sec_jsep_apply (
    SecJsep * jsep, const SecJsepTransition * transition, GError ** error);

/* TRUE when the transition changes the state (the bin notifies
 * signaling-state then). */
gboolean
sec_jsep_transition_changes_state (const SecJsepTransition * transition);

/* TRUE when the transition ends an offer/answer exchange and returns to
 * stable (an answer applied, or a rollback): the moment JSEP
 * (onnegotiationneeded, RFC 8829 §4.1; W3C "update the negotiation-needed
 * flag") checks again whether negotiation is needed. */
gboolean
sec_jsep_transition_ends_exchange (const SecJsepTransition * transition);

G_END_DECLS

#endif /* SEC_JSEP_H */
