import { describe, expect, it } from 'vitest';
import type { CommandIO } from '../../scripts/cli-kit.ts';
import { digestScheduleFromFlags } from '../../scripts/commands/serve-digest-schedule.ts';

const io = (env: Record<string, string>): CommandIO => ({ out: () => {}, err: () => {}, cwd: '/', env });
const slack = { SLACK_BOT_TOKEN: 'xoxb-secret-token', SLACK_CHANNEL: 'C0DIGEST' };

describe('serve --digest-schedule', () => {
  it('reads the schedule, the team zone and the Slack target before the endpoint starts', () => {
    expect(digestScheduleFromFlags(undefined, io({}))).toBeNull();
    const config = digestScheduleFromFlags('MON 09:00', io({ ...slack, TEAM_TIME_ZONE: 'Europe/Berlin' }));
    expect(config).toMatchObject({
      schedule: { day: 'MON', hour: 9, minute: 0 },
      timeZone: 'Europe/Berlin',
      slack: { token: 'xoxb-secret-token', channel: 'C0DIGEST' },
    });
  });

  it.each([
    ['MONDAY 9am', slack, /--digest-schedule: a schedule is a weekday or DAILY/],
    ['MON 09:00', { ...slack, TEAM_TIME_ZONE: 'Mars/Base' }, /TEAM_TIME_ZONE "Mars\/Base"/],
    ['MON 09:00', { SLACK_CHANNEL: 'C1' }, /needs Slack: no Slack bot token/],
    ['MON 09:00', { SLACK_BOT_TOKEN: 'xoxb-secret-token' }, /needs Slack: .*channel/i],
  ])('refuses %s with %o in one clear line, never echoing the token', (text, env, message) => {
    let error: Error | undefined;
    try {
      digestScheduleFromFlags(text, io(env));
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('xoxb-secret-token');
  });
});
