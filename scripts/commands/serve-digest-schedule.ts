import { isLoopbackHost } from '../../functions/dashboard/auth.ts';
import { requireTarget, type SlackTarget } from '../../functions/digest/slack-post.ts';
import { digestSchedule } from '../../functions/schedule/digest-schedule.ts';
import { parseSchedule, type Schedule, ScheduleSpecError } from '../../functions/schedule/schedule-spec.ts';
import type { SqlEngine } from '../../functions/sql/engine.ts';
import { isTimeZone } from '../../functions/sql/zoned-time.ts';
import { type CommandIO, UsageError } from '../cli-kit.ts';

/**
 * `serve --digest-schedule "MON 09:00"`: the flag and environment read before the endpoint
 * starts (a bad schedule, zone or missing Slack setting is one clear line, not a Monday surprise),
 * and the schedule started once it listens.
 */
export interface ServeDigestSchedule {
  readonly schedule: Schedule;
  readonly timeZone: string;
  readonly slack: SlackTarget;
  readonly dashboardUrl: string | undefined;
}

export function digestScheduleFromFlags(text: string | undefined, io: CommandIO): ServeDigestSchedule | null {
  if (text === undefined) return null;
  let schedule: Schedule;
  try {
    schedule = parseSchedule(text);
  } catch (error) {
    if (error instanceof ScheduleSpecError) throw new UsageError(`--digest-schedule: ${error.message}`);
    throw error;
  }
  const timeZone = io.env.TEAM_TIME_ZONE || 'UTC';
  if (!isTimeZone(timeZone)) {
    throw new UsageError(`TEAM_TIME_ZONE "${timeZone}" is not an IANA time zone such as Europe/Berlin`);
  }
  let target: { token: string; channel: string };
  try {
    target = requireTarget(io.env.SLACK_BOT_TOKEN, io.env.SLACK_CHANNEL);
  } catch (error) {
    throw new UsageError(`--digest-schedule needs Slack: ${(error as Error).message}`);
  }
  return {
    schedule,
    timeZone,
    slack: { ...target, apiUrl: io.env.SLACK_API_URL },
    dashboardUrl: io.env.DIGEST_DASHBOARD_URL || undefined,
  };
}

/** Starts the schedule over the endpoint's lake; returns stop(). */
export function startServeDigestSchedule(
  config: ServeDigestSchedule,
  options: { lake: string; engine: SqlEngine; publicUrl: string; log: (line: string) => void },
): () => Promise<void> {
  // A loopback address is no link for the team reading Slack; the footer then says it plainly.
  const host = new URL(options.publicUrl).hostname.replace(/^\[|\]$/g, '');
  const dashboardUrl = config.dashboardUrl ?? (isLoopbackHost(host) ? null : `${options.publicUrl}/`);
  const job = digestSchedule({
    lake: options.lake,
    engine: options.engine,
    schedule: config.schedule,
    timeZone: config.timeZone,
    slack: { ...config.slack, log: options.log },
    dashboardUrl,
    log: (line) => options.log(`digest: ${line}`),
  });
  options.log(
    `digest: posting every ${config.schedule.text} (${config.timeZone}) to ${config.slack.channel}`,
  );
  return job.start();
}
