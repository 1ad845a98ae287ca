/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SecSrtpAlarm: when a decoder's drops deserve a warning to the user and
 * not only a count. Plain C: the caller gives the time and posts the
 * warning; no locking (the caller serialises access).
 *
 * - Authentication failures: the first one is reported at once (a key or
 *   profile that differs from the sender's fails every packet, and the
 *   user should hear it at the first), later ones at most once per
 *   SEC_SRTP_ALARM_INTERVAL_US, with the count since the last report.
 * - Replays: normal in small numbers (a network path that duplicates
 *   packets), so they are reported only when SEC_SRTP_ALARM_REPLAY_RUN of
 *   them arrive in a row with no packet accepted between them (a sender
 *   that restarted under its old key, old traffic sent again), then at
 *   most once per interval while the run goes on.
 *
 * Other drops (malformed, no key, key expired) are not reported here.
 */
#ifndef SEC_SRTP_ALARM_H
#define SEC_SRTP_ALARM_H

#include <glib.h>
#include "srtpsession.h"

G_BEGIN_DECLS

#define SEC_SRTP_ALARM_INTERVAL_US (5 * G_USEC_PER_SEC)
#define SEC_SRTP_ALARM_REPLAY_RUN 50

typedef enum
{
  SEC_SRTP_ALARM_AUTH,
  SEC_SRTP_ALARM_REPLAY,
  SEC_SRTP_ALARM_N_KINDS,
} SecSrtpAlarmKind;

typedef struct
{
  SecSrtpAlarmKind kind;
  gboolean first;               /* the first report of this kind */
  guint64 dropped;              /* of this kind since the last report,
                                 * this packet included */
  guint64 total;                /* of this kind since the reset */
  guint64 accepted;             /* packets accepted since the reset */
  guint64 run;                  /* replays in a row (SEC_SRTP_ALARM_REPLAY) */
  gint64 elapsed_us;            /* since the last report; 0 on the first */
} SecSrtpAlarmReport;

typedef struct
{
  guint64 since_report;
  guint64 total;
  gint64 last_report_us;
  gboolean reported;
} SecSrtpAlarmCounter;

typedef struct
{
  SecSrtpAlarmCounter counters[SEC_SRTP_ALARM_N_KINDS];
  guint64 accepted;
  guint64 replay_run;
} SecSrtpAlarm;

/* Forgets everything: the next authentication failure is a first one. */
G_GNUC_INTERNAL void sec_srtp_alarm_reset (SecSrtpAlarm * alarm);

/* A packet was accepted (it ends a run of replays). */
G_GNUC_INTERNAL void sec_srtp_alarm_accepted (SecSrtpAlarm * alarm);

/* A packet was dropped for @result at @now_us (any monotonic clock in
 * microseconds; a clock that went back counts as the interval passed).
 * Returns TRUE and fills @report when a warning is due. */
G_GNUC_INTERNAL gboolean sec_srtp_alarm_dropped (SecSrtpAlarm * alarm,
    SecSrtpResult result, gint64 now_us, SecSrtpAlarmReport * report);

G_END_DECLS

#endif /* SEC_SRTP_ALARM_H */
