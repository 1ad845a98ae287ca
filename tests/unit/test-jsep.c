/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The JSEP signaling-state machine: every (state, call, type)
 * combination against a table written out here, the exact message of
 * every refusal, and the check-then-apply protocol (nothing changes
 * until apply; a stale or forged transition is refused).
 */
#include "jsep.h"

#include <string.h>

#define STABLE SEC_JSEP_STATE_STABLE
#define LOCAL_OFFER SEC_JSEP_STATE_HAVE_LOCAL_OFFER
#define REMOTE_OFFER SEC_JSEP_STATE_HAVE_REMOTE_OFFER
#define CLOSED SEC_JSEP_STATE_CLOSED

#define CREATE_OFFER SEC_JSEP_OP_CREATE_OFFER
#define CREATE_ANSWER SEC_JSEP_OP_CREATE_ANSWER
#define SET_LOCAL SEC_JSEP_OP_SET_LOCAL_DESCRIPTION
#define SET_REMOTE SEC_JSEP_OP_SET_REMOTE_DESCRIPTION
#define CLOSE SEC_JSEP_OP_CLOSE

#define NONE SEC_JSEP_SDP_NONE
#define OFFER SEC_JSEP_SDP_OFFER
#define ANSWER SEC_JSEP_SDP_ANSWER
#define PRANSWER SEC_JSEP_SDP_PRANSWER
#define ROLLBACK SEC_JSEP_SDP_ROLLBACK

typedef struct
{
  SecJsepState from;
  SecJsepOp op;
  SecJsepSdpType type;
  SecJsepState to;
} Legal;

/* RFC 8829 §3.2, §4.1 (createOffer, createAnswer), §5.7 and W3C close() */
static const Legal legal[] = {
  { STABLE, CREATE_OFFER, NONE, STABLE },
  { STABLE, SET_LOCAL, OFFER, LOCAL_OFFER },
  { STABLE, SET_REMOTE, OFFER, REMOTE_OFFER },
  { STABLE, CLOSE, NONE, CLOSED },
  { LOCAL_OFFER, CREATE_OFFER, NONE, LOCAL_OFFER },
  { LOCAL_OFFER, SET_LOCAL, OFFER, LOCAL_OFFER },
  { LOCAL_OFFER, SET_REMOTE, ANSWER, STABLE },
  { LOCAL_OFFER, SET_LOCAL, ROLLBACK, STABLE },
  { LOCAL_OFFER, SET_REMOTE, ROLLBACK, STABLE },
  { LOCAL_OFFER, CLOSE, NONE, CLOSED },
  { REMOTE_OFFER, CREATE_ANSWER, NONE, REMOTE_OFFER },
  { REMOTE_OFFER, SET_REMOTE, OFFER, REMOTE_OFFER },
  { REMOTE_OFFER, SET_LOCAL, ANSWER, STABLE },
  { REMOTE_OFFER, SET_LOCAL, ROLLBACK, STABLE },
  { REMOTE_OFFER, SET_REMOTE, ROLLBACK, STABLE },
  { REMOTE_OFFER, CLOSE, NONE, CLOSED },
  { CLOSED, CLOSE, NONE, CLOSED },
};

typedef struct
{
  SecJsepState state;
  SecJsepOp op;
  SecJsepSdpType type;
  const gchar *message;
} Refusal;

/* Every call of the right kind refused in an open state, word for word. */
static const Refusal wrong_state[] = {
  { STABLE, CREATE_ANSWER, NONE,
      "create-answer in state stable: there is no remote offer to answer; "
      "set a remote offer first" },
  { STABLE, SET_LOCAL, ANSWER,
      "set-local-description(answer) in state stable: there is no remote "
      "offer to answer; set a remote offer first" },
  { STABLE, SET_REMOTE, ANSWER,
      "set-remote-description(answer) in state stable: there is no local "
      "offer to answer; set a local offer first" },
  { STABLE, SET_LOCAL, ROLLBACK,
      "set-local-description(rollback) in state stable: there is no pending "
      "offer to roll back (a rollback cancels an offer that is not answered "
      "yet, RFC 8829 §5.7)" },
  { STABLE, SET_REMOTE, ROLLBACK,
      "set-remote-description(rollback) in state stable: there is no "
      "pending offer to roll back (a rollback cancels an offer that is not "
      "answered yet, RFC 8829 §5.7)" },
  { LOCAL_OFFER, CREATE_ANSWER, NONE,
      "create-answer in state have-local-offer: the pending offer is our "
      "own, an answer must come from the peer; set the remote answer, or "
      "roll back the local offer" },
  { LOCAL_OFFER, SET_LOCAL, ANSWER,
      "set-local-description(answer) in state have-local-offer: the pending "
      "offer is our own, an answer must come from the peer; set the remote "
      "answer with set-remote-description" },
  { LOCAL_OFFER, SET_REMOTE, OFFER,
      "set-remote-description(offer) in state have-local-offer: both sides "
      "made an offer (glare); roll back the local offer with "
      "set-local-description(rollback) first, or wait for the answer and "
      "offer again after it" },
  { REMOTE_OFFER, CREATE_OFFER, NONE,
      "create-offer in state have-remote-offer: the peer's offer is waiting "
      "for an answer; answer it (create-answer) or roll it back before "
      "making an offer" },
  { REMOTE_OFFER, SET_LOCAL, OFFER,
      "set-local-description(offer) in state have-remote-offer: the peer's "
      "offer is waiting for an answer; answer it or roll it back with "
      "set-remote-description(rollback) first" },
  { REMOTE_OFFER, SET_REMOTE, ANSWER,
      "set-remote-description(answer) in state have-remote-offer: the "
      "pending offer came from the peer, so the answer must be local; "
      "create one with create-answer and set it with "
      "set-local-description" },
};

static const SecJsepState all_states[] = { STABLE, LOCAL_OFFER, REMOTE_OFFER,
  CLOSED };
static const SecJsepOp all_ops[] = { CREATE_OFFER, CREATE_ANSWER, SET_LOCAL,
  SET_REMOTE, CLOSE };
static const SecJsepSdpType all_types[] = { NONE, OFFER, ANSWER, PRANSWER,
  ROLLBACK };

static gboolean
takes_type (SecJsepOp op)
{
  return op == SET_LOCAL || op == SET_REMOTE;
}

static gchar *
call_text (SecJsepOp op, SecJsepSdpType type)
{
  if (type == NONE)
    return g_strdup (sec_jsep_op_name (op));
  return g_strdup_printf (
      "%s(%s)", sec_jsep_op_name (op), sec_jsep_sdp_type_name (type));
}

static void
test_names (void)
{
  SecJsepSdpType type;
  GError *error = NULL;

  g_assert_cmpstr (sec_jsep_state_name (STABLE), ==, "stable");
  g_assert_cmpstr (sec_jsep_state_name (LOCAL_OFFER), ==, "have-local-offer");
  g_assert_cmpstr (sec_jsep_state_name (REMOTE_OFFER), ==, "have-remote-offer");
  g_assert_cmpstr (sec_jsep_state_name (CLOSED), ==, "closed");
  g_assert_cmpstr (sec_jsep_op_name (CREATE_OFFER), ==, "create-offer");
  g_assert_cmpstr (sec_jsep_op_name (CREATE_ANSWER), ==, "create-answer");
  g_assert_cmpstr (sec_jsep_op_name (SET_LOCAL), ==, "set-local-description");
  g_assert_cmpstr (sec_jsep_op_name (SET_REMOTE), ==, "set-remote-description");
  g_assert_cmpstr (sec_jsep_op_name (CLOSE), ==, "close");

  g_assert_true (sec_jsep_sdp_type_from_string ("offer", &type, NULL));
  g_assert_cmpint (type, ==, OFFER);
  g_assert_true (sec_jsep_sdp_type_from_string ("answer", &type, NULL));
  g_assert_cmpint (type, ==, ANSWER);
  g_assert_true (sec_jsep_sdp_type_from_string ("pranswer", &type, NULL));
  g_assert_cmpint (type, ==, PRANSWER);
  g_assert_true (sec_jsep_sdp_type_from_string ("Rollback", &type, NULL));
  g_assert_cmpint (type, ==, ROLLBACK);

  type = OFFER;
  g_assert_false (sec_jsep_sdp_type_from_string ("answr", &type, &error));
  g_assert_error (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
      "unknown description type "
      "\"answr\": use \"offer\", \"answer\" or \"rollback\"");
  g_assert_cmpint (type, ==, OFFER);
  g_clear_error (&error);
  g_assert_false (sec_jsep_sdp_type_from_string (NULL, &type, &error));
  g_assert_error (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
      "no description type given: use "
      "\"offer\", \"answer\" or \"rollback\"");
  g_clear_error (&error);
  g_assert_false (sec_jsep_sdp_type_from_string ("", &type, &error));
  g_assert_error (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_INVALID);
  g_clear_error (&error);
  /* control characters and length of what the application passed do not
   * reach the message as they are */
  g_assert_false (
      sec_jsep_sdp_type_from_string ("offer\n\x01"
                                     "0123456789012345678901234567890123456789",
          &type, &error));
  g_assert_cmpstr (error->message, ==,
      "unknown description type "
      "\"offer\\n\\00101234567890123456789012345678...\": use \"offer\", "
      "\"answer\" or \"rollback\"");
  g_clear_error (&error);
}

/* All 4 x 5 x 5 combinations: the legal ones lead where the table says,
 * every other one fails with the expected code and message. */
static void
test_every_combination (void)
{
  guint s, o, t, i, n_legal = 0, n_refused = 0;

  for (s = 0; s < G_N_ELEMENTS (all_states); s++) {
    for (o = 0; o < G_N_ELEMENTS (all_ops); o++) {
      for (t = 0; t < G_N_ELEMENTS (all_types); t++) {
        SecJsepState state = all_states[s], next = 99;
        SecJsepOp op = all_ops[o];
        SecJsepSdpType type = all_types[t];
        const Legal *expected_legal = NULL;
        const Refusal *expected_refusal = NULL;
        GError *error = NULL;
        gchar *call = call_text (op, type), *expected = NULL;
        gint expected_code;
        gboolean ok;

        for (i = 0; i < G_N_ELEMENTS (legal); i++) {
          if (legal[i].from == state && legal[i].op == op
              && legal[i].type == type)
            expected_legal = &legal[i];
        }
        for (i = 0; i < G_N_ELEMENTS (wrong_state); i++) {
          if (wrong_state[i].state == state && wrong_state[i].op == op
              && wrong_state[i].type == type)
            expected_refusal = &wrong_state[i];
        }

        ok = sec_jsep_next_state (state, op, type, &next, &error);
        if (expected_legal != NULL) {
          if (!ok)
            g_error ("%s in %s refused: %s", call, sec_jsep_state_name (state),
                error->message);
          g_assert_no_error (error);
          g_assert_cmpint (next, ==, expected_legal->to);
          n_legal++;
          g_free (call);
          continue;
        }

        if (ok)
          g_error ("%s in %s accepted (-> %s)", call,
              sec_jsep_state_name (state), sec_jsep_state_name (next));
        g_assert_nonnull (error);
        g_assert_cmpint (next, ==, 99);
        n_refused++;

        /* which refusal, in the order the rules apply */
        if (takes_type (op) && type == NONE) {
          expected_code = SEC_JSEP_ERROR_INVALID;
          expected = g_strdup_printf ("%s needs a description type: "
                                      "\"offer\", \"answer\" or \"rollback\"",
              call);
        } else if (!takes_type (op) && type != NONE) {
          expected_code = SEC_JSEP_ERROR_INVALID;
          expected = g_strdup_printf ("%s takes no description type (got "
                                      "\"%s\")",
              sec_jsep_op_name (op), sec_jsep_sdp_type_name (type));
        } else if (state == CLOSED) {
          expected_code = SEC_JSEP_ERROR_CLOSED;
          expected = g_strdup_printf ("%s in state closed: the connection "
                                      "is closed; create a new one",
              call);
        } else if (type == PRANSWER) {
          expected_code = SEC_JSEP_ERROR_UNSUPPORTED;
          expected = g_strdup_printf (
              "%s in state %s: provisional answers "
              "are not supported; send a final answer (type \"answer\") "
              "instead",
              call, sec_jsep_state_name (state));
        } else {
          if (expected_refusal == NULL)
            g_error ("%s in %s refused but in neither table: %s", call,
                sec_jsep_state_name (state), error->message);
          expected_code = SEC_JSEP_ERROR_INVALID_STATE;
          expected = g_strdup (expected_refusal->message);
        }
        if (error->code != expected_code
            || strcmp (error->message, expected) != 0)
          g_error ("%s in %s:\n  got      (%d) %s\n  expected (%d) %s", call,
              sec_jsep_state_name (state), error->code, error->message,
              expected_code, expected);
        g_assert_true (error->domain == SEC_JSEP_ERROR);
        g_error_free (error);
        g_free (expected);
        g_free (call);
      }
    }
  }
  g_assert_cmpuint (n_legal, ==, G_N_ELEMENTS (legal));
  g_assert_cmpuint (n_legal + n_refused, ==, 4 * 5 * 5);
}

/* The machine: nothing changes on check; apply commits. */
static void
expect_step (
    SecJsep * jsep, SecJsepOp op, SecJsepSdpType type, SecJsepState expected)
{
  SecJsepTransition transition;
  SecJsepState before = jsep->state;
  guint64 serial = jsep->serial;
  GError *error = NULL;

  if (!sec_jsep_check (jsep, op, type, &transition, &error))
    g_error ("%s refused: %s", sec_jsep_op_name (op), error->message);
  g_assert_cmpint (jsep->state, ==, before);
  g_assert_cmpuint (jsep->serial, ==, serial);
  g_assert_cmpint (transition.from, ==, before);
  g_assert_cmpint (transition.to, ==, expected);
  g_assert_true (sec_jsep_apply (jsep, &transition, &error));
  g_assert_no_error (error);
  g_assert_cmpint (jsep->state, ==, expected);
}

static void
expect_refused (SecJsep * jsep, SecJsepOp op, SecJsepSdpType type, gint code)
{
  SecJsepTransition transition;
  SecJsep before = *jsep;
  GError *error = NULL;

  memset (&transition, 0x5a, sizeof (transition));
  g_assert_false (sec_jsep_check (jsep, op, type, &transition, &error));
  g_assert_error (error, SEC_JSEP_ERROR, code);
  g_clear_error (&error);
  g_assert_cmpint (jsep->state, ==, before.state);
  g_assert_cmpuint (jsep->serial, ==, before.serial);
}

static void
test_exchanges (void)
{
  SecJsep jsep;
  SecJsepTransition transition;

  sec_jsep_init (&jsep);
  g_assert_cmpint (jsep.state, ==, STABLE);

  /* we offer, the peer answers */
  expect_step (&jsep, CREATE_OFFER, NONE, STABLE);
  expect_step (&jsep, SET_LOCAL, OFFER, LOCAL_OFFER);
  expect_refused (&jsep, CREATE_ANSWER, NONE, SEC_JSEP_ERROR_INVALID_STATE);
  expect_refused (&jsep, SET_REMOTE, PRANSWER, SEC_JSEP_ERROR_UNSUPPORTED);
  g_assert_true (sec_jsep_check (&jsep, SET_REMOTE, ANSWER, &transition, NULL));
  g_assert_true (sec_jsep_transition_changes_state (&transition));
  g_assert_true (sec_jsep_transition_ends_exchange (&transition));
  g_assert_true (sec_jsep_apply (&jsep, &transition, NULL));
  g_assert_cmpint (jsep.state, ==, STABLE);

  /* the peer offers, we answer */
  g_assert_true (sec_jsep_check (&jsep, SET_REMOTE, OFFER, &transition, NULL));
  g_assert_true (sec_jsep_transition_changes_state (&transition));
  g_assert_false (sec_jsep_transition_ends_exchange (&transition));
  g_assert_true (sec_jsep_apply (&jsep, &transition, NULL));
  expect_refused (&jsep, CREATE_OFFER, NONE, SEC_JSEP_ERROR_INVALID_STATE);
  expect_step (&jsep, SET_REMOTE, OFFER, REMOTE_OFFER);
  expect_step (&jsep, CREATE_ANSWER, NONE, REMOTE_OFFER);
  expect_step (&jsep, SET_LOCAL, ANSWER, STABLE);

  /* glare: the local offer is rolled back, the remote one applied */
  expect_step (&jsep, SET_LOCAL, OFFER, LOCAL_OFFER);
  expect_refused (&jsep, SET_REMOTE, OFFER, SEC_JSEP_ERROR_INVALID_STATE);
  g_assert_true (
      sec_jsep_check (&jsep, SET_LOCAL, ROLLBACK, &transition, NULL));
  g_assert_true (sec_jsep_transition_ends_exchange (&transition));
  g_assert_true (sec_jsep_apply (&jsep, &transition, NULL));
  expect_step (&jsep, SET_REMOTE, OFFER, REMOTE_OFFER);
  /* RFC 8829 §5.7: the same effect through either call */
  expect_step (&jsep, SET_LOCAL, ROLLBACK, STABLE);
  expect_refused (&jsep, SET_REMOTE, ROLLBACK, SEC_JSEP_ERROR_INVALID_STATE);

  /* a create-offer in the same state changes nothing */
  g_assert_true (sec_jsep_check (&jsep, CREATE_OFFER, NONE, &transition, NULL));
  g_assert_false (sec_jsep_transition_changes_state (&transition));
  g_assert_false (sec_jsep_transition_ends_exchange (&transition));

  /* close, from anywhere, once and for all */
  expect_step (&jsep, SET_LOCAL, OFFER, LOCAL_OFFER);
  expect_step (&jsep, CLOSE, NONE, CLOSED);
  expect_refused (&jsep, CREATE_OFFER, NONE, SEC_JSEP_ERROR_CLOSED);
  expect_refused (&jsep, SET_REMOTE, ANSWER, SEC_JSEP_ERROR_CLOSED);
  expect_refused (&jsep, SET_LOCAL, ROLLBACK, SEC_JSEP_ERROR_CLOSED);
  expect_step (&jsep, CLOSE, NONE, CLOSED);
}

/* A transition checked before another was applied, or made up, is
 * refused and changes nothing: a description can never be applied
 * against a state that no longer holds. */
static void
test_stale_and_forged (void)
{
  SecJsep jsep;
  SecJsepTransition answer, offer_again, create, forged;
  GError *error = NULL;

  sec_jsep_init (&jsep);
  expect_step (&jsep, SET_LOCAL, OFFER, LOCAL_OFFER);

  /* two calls checked in have-local-offer; the first one applied makes
   * the second stale */
  g_assert_true (sec_jsep_check (&jsep, SET_REMOTE, ANSWER, &answer, NULL));
  g_assert_true (sec_jsep_check (&jsep, SET_LOCAL, OFFER, &offer_again, NULL));
  g_assert_true (sec_jsep_apply (&jsep, &offer_again, NULL));
  g_assert_cmpint (jsep.state, ==, LOCAL_OFFER);
  g_assert_false (sec_jsep_apply (&jsep, &answer, &error));
  g_assert_error (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_STALE);
  g_assert_cmpstr (error->message, ==,
      "set-remote-description(answer) was "
      "checked in state have-local-offer, but another negotiation call was "
      "applied since (the state is now have-local-offer); check the call "
      "again");
  g_clear_error (&error);
  g_assert_cmpint (jsep.state, ==, LOCAL_OFFER);

  /* the same transition cannot be applied twice */
  g_assert_true (sec_jsep_check (&jsep, SET_REMOTE, ANSWER, &answer, NULL));
  g_assert_true (sec_jsep_apply (&jsep, &answer, NULL));
  g_assert_cmpint (jsep.state, ==, STABLE);
  g_assert_false (sec_jsep_apply (&jsep, &answer, &error));
  g_assert_error (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_STALE);
  g_clear_error (&error);
  g_assert_cmpint (jsep.state, ==, STABLE);

  /* creating an offer leaves other checked calls valid */
  g_assert_true (sec_jsep_check (&jsep, SET_LOCAL, OFFER, &offer_again, NULL));
  g_assert_true (sec_jsep_check (&jsep, CREATE_OFFER, NONE, &create, NULL));
  g_assert_true (sec_jsep_apply (&jsep, &create, NULL));
  g_assert_true (sec_jsep_apply (&jsep, &offer_again, NULL));
  g_assert_cmpint (jsep.state, ==, LOCAL_OFFER);

  /* a transition that the table does not allow is refused even with the
   * right serial and state */
  forged.op = SET_LOCAL;
  forged.type = ANSWER;
  forged.from = LOCAL_OFFER;
  forged.to = STABLE;
  forged.serial = jsep.serial;
  g_assert_false (sec_jsep_apply (&jsep, &forged, &error));
  g_assert_error (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_STALE);
  g_clear_error (&error);
  /* one that names a wrong destination */
  forged.op = SET_REMOTE;
  forged.type = ANSWER;
  forged.to = REMOTE_OFFER;
  g_assert_false (sec_jsep_apply (&jsep, &forged, &error));
  g_assert_error (error, SEC_JSEP_ERROR, SEC_JSEP_ERROR_STALE);
  g_clear_error (&error);
  g_assert_cmpint (jsep.state, ==, LOCAL_OFFER);
}

int
main (int argc, char ** argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/jsep/names", test_names);
  g_test_add_func ("/jsep/every-combination", test_every_combination);
  g_test_add_func ("/jsep/exchanges", test_exchanges);
  g_test_add_func ("/jsep/stale-and-forged", test_stale_and_forged);
  return g_test_run ();
}
