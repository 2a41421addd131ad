import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertSchedule } from '../../functions/alerts/alert-schedule.ts';
import { alertsConfig } from '../../functions/alerts/alerts-config.ts';
import { startServe } from '../../scripts/commands/serve.ts';
import { captureIO } from '../helpers/cli-io.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { buildAlertsLake, costRows } from './alerts-lake.ts';

/**
 * The schedule `serve` runs: rounds on a timer over the lake, the clock faked, posts to the fake
 * Slack. Many rounds and a restart send the one due alert once.
 */
const TOKEN = 'xoxb-schedule-TOKEN';
let lake: { dir: string; dispose(): Promise<void> };
let slack: FakeSlack;

beforeAll(async () => {
  lake = await buildAlertsLake(costRows('2026-11-03', '2026-12-02'));
  slack = await startFakeSlack({ token: TOKEN, channels: { C0ADMIN: 'member' } });
});
afterAll(async () => {
  await slack?.close();
  await lake?.dispose();
});

describe('the scheduled alert check', () => {
  it('runs on its timer, sends the spike once across rounds and a restart', async () => {
    const clock = { now: new Date('2026-12-02T16:00:00Z') };
    const logs: string[] = [];
    const options = {
      lake: lake.dir,
      config: alertsConfig({ ALERTS_SPIKE_FACTOR: '3', ALERTS_CHANNEL: 'C0ADMIN' }),
      channel: 'C0ADMIN',
      token: TOKEN,
      slackApiUrl: slack.apiUrl,
      intervalMs: 10,
      firstDelayMs: 0,
      log: (l: string) => logs.push(l),
      now: () => clock.now,
    };
    const first = startAlertSchedule(options);
    // Wait for the timer to have run several rounds, whatever their speed.
    await expect
      .poll(() => logs.filter((l) => l.startsWith('alerts: sent')).length, { timeout: 30_000 })
      .toBe(1);
    clock.now = new Date('2026-12-02T18:00:00Z');
    const again = await first.runOnce();
    expect(again?.due).toEqual([]);
    await first.stop();
    const restarted = startAlertSchedule({ ...options, firstDelayMs: 60_000 });
    expect((await restarted.runOnce())?.due).toEqual([]);
    await restarted.stop();
    expect(slack.posts.map((p) => p.text)).toEqual([expect.stringMatching(/^Cost spike: ana used \$40\.00/)]);
    expect(logs.join('\n')).not.toContain(TOKEN);
  });
});

describe('serve with alerts', () => {
  it('refuses the team digest channel for alerts with one clear line, and leaves the lake free', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'serve-alerts-'));
    try {
      const env = {
        ALERTS_CHANNEL: 'C0SAME',
        SLACK_CHANNEL: 'C0SAME',
        SLACK_BOT_TOKEN: TOKEN,
        ALERTS_SPIKE_FACTOR: '3',
      };
      await expect(startServe(['--lake', 'lake', '--port', '0'], captureIO(dir, env).io)).rejects.toThrow(
        /ALERTS_CHANNEL is the team digest's channel/,
      );
      const { io, err } = captureIO(dir, { ...env, SLACK_CHANNEL: 'C0DIGEST' });
      const server = await startServe(['--lake', 'lake', '--port', '0'], io);
      await server!.close();
      expect(err.join('\n')).toContain(
        'alerts: checking the budget and cost spikes every 60 min, posting to C0SAME',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
