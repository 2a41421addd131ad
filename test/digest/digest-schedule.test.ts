import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestSchedule } from '../../functions/schedule/digest-schedule.ts';
import { dueAt, parseSchedule, ScheduleSpecError } from '../../functions/schedule/schedule-spec.ts';
import { openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import type { SqlEngine } from '../../functions/sql/engine.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { buildTestLake, type TestLake } from '../helpers/lake.ts';

/**
 * `serve --digest-schedule "MON 09:00"`: on a fake clock, against a fake Slack and a real lake,
 * the digest is posted once per week at the due time, not again after a restart, caught up when
 * the endpoint was down at 09:00, and tried again after a failed post.
 */
const TZ = 'Europe/Berlin';
const fast = { retries: 0 };
let lake: TestLake;
let engine: SqlEngine;
let slack: FakeSlack;

beforeAll(async () => {
  lake = await buildTestLake({ seed: 42, teamSize: 8, days: 14, endMs: Date.UTC(2026, 0, 12) });
  engine = await openDuckDbEngine({ lake: lake.dir, timeZone: TZ });
  slack = await startFakeSlack({ token: 'xoxb-test', channels: { C0DIGEST: 'member', C0OUT: 'not-member' } });
});
afterAll(async () => {
  await slack?.close();
  await engine?.close();
  await lake?.dispose();
});

describe('schedule spec', () => {
  it('reads a weekday or DAILY and a 24-hour time, and refuses anything else', () => {
    expect(parseSchedule('mon 9:00')).toMatchObject({ day: 'MON', hour: 9, minute: 0, text: 'MON 09:00' });
    expect(parseSchedule('DAILY 18:30')).toMatchObject({ day: 'DAILY', hour: 18, minute: 30 });
    for (const bad of ['MONDAY 09:00', 'MON 9', 'MON 24:00', 'XYZ 09:00', '']) {
      expect(() => parseSchedule(bad)).toThrow(ScheduleSpecError);
    }
  });

  it('keeps 09:00 in the team zone across a DST change', () => {
    const monday = parseSchedule('MON 09:00');
    // Winter: 09:00 CET is 08:00 UTC; after the change on 29 March: 09:00 CEST is 07:00 UTC.
    expect(dueAt(monday, new Date('2026-01-14T12:00:00Z'), TZ)).toEqual({
      at: new Date('2026-01-12T08:00:00Z'),
      period: '2026-01-12',
    });
    expect(dueAt(monday, new Date('2026-03-30T07:00:00Z'), TZ).at).toEqual(new Date('2026-03-30T07:00:00Z'));
    expect(dueAt(monday, new Date('2026-03-30T06:59:59Z'), TZ).period).toBe('2026-03-23');
  });
});

describe('digest schedule on a fake clock', () => {
  let clock = new Date();
  const logs: string[] = [];
  const job = (channel = 'C0DIGEST') =>
    digestSchedule({
      lake: lake.dir,
      engine,
      schedule: parseSchedule('MON 09:00'),
      timeZone: TZ,
      slack: { token: 'xoxb-test', channel, apiUrl: slack.apiUrl, retryConfig: fast },
      dashboardUrl: 'https://dash.example.com/',
      now: () => clock,
      retryMs: 10 * 60_000,
      log: (l) => logs.push(l),
    });

  it('posts at Monday 09:00 Berlin, once, and not again after a restart', async () => {
    const first = job();
    clock = new Date('2026-01-11T19:00:00Z'); // Sunday evening: last Monday is long past, no state
    expect(await first.check()).toBe('not-due');
    clock = new Date('2026-01-12T07:59:59Z'); // Monday 08:59:59 Berlin
    expect(await first.check()).toBe('not-due');
    expect(slack.posts).toHaveLength(0);

    clock = new Date('2026-01-12T08:00:00Z'); // Monday 09:00 Berlin
    expect(await first.check()).toBe('ran');
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]!.channel).toBe('C0DIGEST');
    expect(slack.posts[0]!.text).toContain('Mon 5 Jan – Sun 11 Jan 2026');
    expect(JSON.stringify(slack.posts[0]!.blocks)).toContain(
      '<https://dash.example.com/|the team dashboard>',
    );
    const state = JSON.parse(await readFile(first.stateFile, 'utf8')) as { lastPeriod: string };
    expect(state.lastPeriod).toBe('2026-01-12');

    clock = new Date('2026-01-12T08:01:00Z');
    expect(await first.check()).toBe('done-already');
    // A restart: a new job over the same lake reads the state and posts nothing.
    clock = new Date('2026-01-14T10:00:00Z');
    expect(await job().check()).toBe('done-already');
    expect(slack.posts).toHaveLength(1);
  });

  it('catches up a week whose Monday 09:00 passed while the endpoint was down, for that week', async () => {
    clock = new Date('2026-01-21T15:00:00Z'); // Wednesday of the next week
    expect(await job().check()).toBe('ran');
    expect(slack.posts).toHaveLength(2);
    expect(slack.posts[1]!.text).toContain('Mon 12 Jan – Sun 18 Jan 2026');
    expect(await job().check()).toBe('done-already');
  });

  it('does not mark a failed post done: it tries again after the retry delay', async () => {
    clock = new Date('2026-01-26T08:00:00Z');
    const failing = job('C0OUT');
    expect(await failing.check()).toBe('failed');
    expect(logs.join('\n')).toMatch(/failed .*not_in_channel|not in the channel|not_in_channel/i);
    clock = new Date('2026-01-26T08:05:00Z');
    expect(await failing.check()).toBe('waiting-to-retry');
    expect(slack.posts).toHaveLength(2);
    // The channel is fixed (a new start with the right channel): it posts, once.
    clock = new Date('2026-01-26T08:11:00Z');
    expect(await job().check()).toBe('ran');
    expect(slack.posts).toHaveLength(3);
  });

  it('treats a torn state file as never run, and says so', async () => {
    const j = job();
    await writeFile(j.stateFile, '{"lastPer');
    clock = new Date('2026-01-26T09:00:00Z'); // within the first-run grace of this Monday
    expect(await j.check()).toBe('ran');
    expect(logs.join('\n')).toMatch(/cannot read .*digest\.json/);
    expect(slack.posts).toHaveLength(4);
  });
});
