import { createDigest, postDigest } from '../digest/run-digest.ts';
import type { SlackTarget } from '../digest/slack-post.ts';
import type { SqlEngine } from '../sql/engine.ts';
import { oncePerPeriod, type PeriodicJob } from './once-per-period.ts';
import type { Schedule } from './schedule-spec.ts';

/**
 * The digest on a schedule, from the running endpoint (`serve --digest-schedule "MON 09:00"`):
 * once per period it builds the digest of the last whole days before the due time (7 for a
 * weekday schedule, 1 for DAILY) from the lake and posts it to Slack, with the state in the lake
 * (`state/schedule/digest.json`) so a restart neither posts twice nor misses the week.
 */
export interface DigestScheduleOptions {
  readonly lake: string;
  readonly engine: SqlEngine;
  readonly schedule: Schedule;
  readonly timeZone: string;
  readonly slack: SlackTarget;
  readonly dashboardUrl?: string | null;
  readonly now?: () => Date;
  readonly checkEveryMs?: number;
  readonly retryMs?: number;
  readonly log?: (line: string) => void;
}

export function digestSchedule(options: DigestScheduleOptions): PeriodicJob {
  const days = options.schedule.day === 'DAILY' ? 1 : 7;
  const log = options.log ?? (() => {});
  return oncePerPeriod({
    name: 'digest',
    lake: options.lake,
    schedule: options.schedule,
    timeZone: options.timeZone,
    ...(options.now ? { now: options.now } : {}),
    ...(options.checkEveryMs === undefined ? {} : { checkEveryMs: options.checkEveryMs }),
    ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
    log,
    run: async (due) => {
      // The window is the one the due time names, even when the run catches up later that week.
      const digest = await createDigest({
        engine: options.engine,
        now: due.at,
        days,
        timeZone: options.timeZone,
        dashboardUrl: options.dashboardUrl ?? null,
      });
      const posted = await postDigest(digest, options.slack);
      log(`posted the digest for ${digest.period.label} to ${posted.channel} (ts ${posted.ts})`);
    },
  });
}
