/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecSrtpAlarm: see srtpalarm.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "srtpalarm.h"

#include <string.h>

void
sec_srtp_alarm_reset (SecSrtpAlarm * alarm)
{
  memset (alarm, 0, sizeof (*alarm));
}

void
sec_srtp_alarm_accepted (SecSrtpAlarm * alarm)
{
  alarm->accepted++;
  alarm->replay_run = 0;
}

gboolean
sec_srtp_alarm_dropped (SecSrtpAlarm * alarm, SecSrtpResult result,
    gint64 now_us, SecSrtpAlarmReport * report)
{
  SecSrtpAlarmKind kind;
  SecSrtpAlarmCounter *c;
  gint64 elapsed;

  switch (result) {
    case SEC_SRTP_RESULT_AUTH_FAILED:
      kind = SEC_SRTP_ALARM_AUTH;
      break;
    case SEC_SRTP_RESULT_REPLAYED:
      kind = SEC_SRTP_ALARM_REPLAY;
      alarm->replay_run++;
      break;
    default:
      return FALSE;
  }
  c = &alarm->counters[kind];
  c->since_report++;
  c->total++;

  if (kind == SEC_SRTP_ALARM_REPLAY
      && alarm->replay_run < SEC_SRTP_ALARM_REPLAY_RUN)
    return FALSE;
  elapsed = c->reported ? now_us - c->last_report_us : 0;
  if (c->reported && elapsed >= 0 && elapsed < SEC_SRTP_ALARM_INTERVAL_US)
    return FALSE;

  report->kind = kind;
  report->first = !c->reported;
  report->dropped = c->since_report;
  report->total = c->total;
  report->accepted = alarm->accepted;
  report->run = kind == SEC_SRTP_ALARM_REPLAY ? alarm->replay_run : 0;
  report->elapsed_us = MAX (elapsed, 0);
  c->reported = TRUE;
  c->last_report_us = now_us;
  c->since_report = 0;
  return TRUE;
}
