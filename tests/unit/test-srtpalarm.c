/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * When secsrtpdec's drops become a warning (srtpalarm.h), without
 * GStreamer: the first authentication failure at once, then at most one
 * report per interval with the count since; replays only in a run with
 * nothing accepted between them; other drops never.
 */
#include "srtpalarm.h"

#define S ((gint64) G_USEC_PER_SEC)

static void
test_auth_first_then_interval (void)
{
  SecSrtpAlarm alarm;
  SecSrtpAlarmReport r;
  guint i;

  sec_srtp_alarm_reset (&alarm);
  g_assert_true (sec_srtp_alarm_dropped (&alarm, SEC_SRTP_RESULT_AUTH_FAILED,
          100 * S, &r));
  g_assert_cmpint (r.kind, ==, SEC_SRTP_ALARM_AUTH);
  g_assert_true (r.first);
  g_assert_cmpuint (r.dropped, ==, 1);
  g_assert_cmpuint (r.total, ==, 1);
  g_assert_cmpuint (r.accepted, ==, 0);
  g_assert_cmpint (r.elapsed_us, ==, 0);

  for (i = 0; i < 9; i++)
    g_assert_false (sec_srtp_alarm_dropped (&alarm,
            SEC_SRTP_RESULT_AUTH_FAILED, 100 * S + i, &r));
  sec_srtp_alarm_accepted (&alarm);
  g_assert_false (sec_srtp_alarm_dropped (&alarm,
          SEC_SRTP_RESULT_AUTH_FAILED, 105 * S - 1, &r));
  g_assert_true (sec_srtp_alarm_dropped (&alarm, SEC_SRTP_RESULT_AUTH_FAILED,
          105 * S, &r));
  g_assert_false (r.first);
  g_assert_cmpuint (r.dropped, ==, 11);
  g_assert_cmpuint (r.total, ==, 12);
  g_assert_cmpuint (r.accepted, ==, 1);
  g_assert_cmpint (r.elapsed_us, ==, 5 * S);

  /* a long silence: the next failure is said, counting only itself */
  g_assert_true (sec_srtp_alarm_dropped (&alarm, SEC_SRTP_RESULT_AUTH_FAILED,
          500 * S, &r));
  g_assert_cmpuint (r.dropped, ==, 1);
  g_assert_cmpint (r.elapsed_us, ==, 395 * S);

  /* a clock that went back (another clock): said, not held back */
  g_assert_true (sec_srtp_alarm_dropped (&alarm, SEC_SRTP_RESULT_AUTH_FAILED,
          3 * S, &r));
  g_assert_cmpint (r.elapsed_us, ==, 0);
  g_assert_false (sec_srtp_alarm_dropped (&alarm,
          SEC_SRTP_RESULT_AUTH_FAILED, 4 * S, &r));

  /* a reset (new key, restart): the next failure is a first one again */
  sec_srtp_alarm_reset (&alarm);
  g_assert_true (sec_srtp_alarm_dropped (&alarm, SEC_SRTP_RESULT_AUTH_FAILED,
          4 * S, &r));
  g_assert_true (r.first);
  g_assert_cmpuint (r.total, ==, 1);
}

static void
test_replay_runs (void)
{
  SecSrtpAlarm alarm;
  SecSrtpAlarmReport r;
  guint i;

  sec_srtp_alarm_reset (&alarm);
  /* sporadic replays, however many, are only counted */
  for (i = 0; i < 1000; i++) {
    if (i % (SEC_SRTP_ALARM_REPLAY_RUN - 1) == 0)
      sec_srtp_alarm_accepted (&alarm);
    g_assert_false (sec_srtp_alarm_dropped (&alarm, SEC_SRTP_RESULT_REPLAYED,
            i * S, &r));
  }
  sec_srtp_alarm_accepted (&alarm);
  for (i = 1; i < SEC_SRTP_ALARM_REPLAY_RUN; i++)
    g_assert_false (sec_srtp_alarm_dropped (&alarm, SEC_SRTP_RESULT_REPLAYED,
            2000 * S, &r));
  g_assert_true (sec_srtp_alarm_dropped (&alarm, SEC_SRTP_RESULT_REPLAYED,
          2000 * S, &r));
  g_assert_cmpint (r.kind, ==, SEC_SRTP_ALARM_REPLAY);
  g_assert_true (r.first);
  g_assert_cmpuint (r.run, ==, SEC_SRTP_ALARM_REPLAY_RUN);
  g_assert_cmpuint (r.dropped, ==, 1000 + SEC_SRTP_ALARM_REPLAY_RUN);
  g_assert_cmpuint (r.total, ==, 1000 + SEC_SRTP_ALARM_REPLAY_RUN);

  /* the run goes on: once per interval */
  g_assert_false (sec_srtp_alarm_dropped (&alarm, SEC_SRTP_RESULT_REPLAYED,
          2004 * S, &r));
  g_assert_true (sec_srtp_alarm_dropped (&alarm, SEC_SRTP_RESULT_REPLAYED,
          2005 * S, &r));
  g_assert_false (r.first);
  g_assert_cmpuint (r.dropped, ==, 2);
  g_assert_cmpuint (r.run, ==, SEC_SRTP_ALARM_REPLAY_RUN + 2);

  /* an accepted packet ends the run: 5 s later, a short run says nothing */
  sec_srtp_alarm_accepted (&alarm);
  g_assert_false (sec_srtp_alarm_dropped (&alarm, SEC_SRTP_RESULT_REPLAYED,
          3000 * S, &r));
}

static void
test_other_drops_never_alarm (void)
{
  static const SecSrtpResult others[] = {
    SEC_SRTP_RESULT_MALFORMED, SEC_SRTP_RESULT_NO_KEY,
    SEC_SRTP_RESULT_KEY_EXPIRED, SEC_SRTP_RESULT_NO_ROOM,
    SEC_SRTP_RESULT_FAILED, SEC_SRTP_RESULT_OK,
  };
  SecSrtpAlarm alarm;
  SecSrtpAlarmReport r;
  guint i, k;

  sec_srtp_alarm_reset (&alarm);
  for (k = 0; k < G_N_ELEMENTS (others); k++)
    for (i = 0; i < 100; i++)
      g_assert_false (sec_srtp_alarm_dropped (&alarm, others[k], i * S, &r));
  /* and they do not break a run of replays */
  for (i = 0; i < SEC_SRTP_ALARM_REPLAY_RUN - 1; i++)
    g_assert_false (sec_srtp_alarm_dropped (&alarm, SEC_SRTP_RESULT_REPLAYED,
            0, &r));
  g_assert_false (sec_srtp_alarm_dropped (&alarm, SEC_SRTP_RESULT_NO_KEY, 0,
          &r));
  g_assert_true (sec_srtp_alarm_dropped (&alarm, SEC_SRTP_RESULT_REPLAYED, 0,
          &r));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/srtp/alarm/auth-first-then-interval",
      test_auth_first_then_interval);
  g_test_add_func ("/srtp/alarm/replay-runs", test_replay_runs);
  g_test_add_func ("/srtp/alarm/other-drops", test_other_drops_never_alarm);
  return g_test_run ();
}
