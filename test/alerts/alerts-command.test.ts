import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUsd } from '../../functions/digest/format.ts';
import { createAlertsCommand } from '../../scripts/commands/alerts.ts';
import { captureIO } from '../helpers/cli-io.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { buildAlertsLake, type CostRow, costRows, spentBetween } from './alerts-lake.ts';

/**
 * `alerts` on a fake clock, a real lake and DuckDB, and the fake Slack. Every command run is a
 * new command over the same lake directory: a restart, as far as the state is concerned.
 */
const TOKEN = 'xoxb-alerts-TOKEN';
const MONTH_START = new Date('2026-12-01T00:00:00Z');
const MONTH_END = new Date('2027-01-01T00:00:00Z');

let rows: CostRow[];
let lake: { dir: string; dispose(): Promise<void> };
let slack: FakeSlack;
let budget: number;
let clock: Date;

beforeAll(async () => {
  rows = costRows();
  lake = await buildAlertsLake(rows);
  slack = await startFakeSlack({
    token: TOKEN,
    channels: { C0ADMIN: 'member', C0DIGEST: 'member', C0NOBOT: 'not-member' },
  });
  // The budget makes 10 Dec 12:00 land at 85 %.
  budget = Math.round((spentBetween(rows, MONTH_START, new Date('2026-12-10T12:00:00Z')) / 0.85) * 100) / 100;
});
afterAll(async () => {
  await slack?.close();
  await lake?.dispose();
});

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  SLACK_BOT_TOKEN: TOKEN,
  SLACK_API_URL: slack.apiUrl,
  SLACK_CHANNEL: 'C0DIGEST',
  ALERTS_CHANNEL: 'C0ADMIN',
  ALERTS_DASHBOARD_URL: 'https://dash.example.org/team',
  ...extra,
});

/** A fresh command (a restart) at the fake clock's time. */
async function alerts(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const command = createAlertsCommand({ now: () => clock, retryConfig: { retries: 0 } });
  const cap = captureIO(process.cwd(), env(extra));
  const code = await command.run(['--lake', lake.dir, ...args], cap.io);
  expect([...cap.out, ...cap.err].join('\n')).not.toContain(TOKEN);
  return { code, ...cap };
}

const budgetArgs = () => ['--budget', String(budget), '--spike-factor', '0'];
const postsTo = (channel: string) => slack.posts.filter((p) => p.channel === channel);

describe('budget alerts', () => {
  it('nothing below the first threshold', async () => {
    clock = new Date('2026-12-05T12:00:00Z');
    expect(spentBetween(rows, MONTH_START, clock) / budget).toBeLessThan(0.8);
    const { code, out } = await alerts(budgetArgs());
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/^No alert is due/);
    expect(slack.posts).toHaveLength(0);
  });

  it('--dry-run shows the 80 % alert and records nothing', async () => {
    clock = new Date('2026-12-10T12:00:00Z');
    const { out } = await alerts([...budgetArgs(), '--dry-run']);
    expect(out.join('\n')).toMatch(
      /^Would send 1 alert\(s\) to C0ADMIN \(dry run, nothing recorded\):\n- \[budget\] Claude Code spend reached 80% of the monthly budget/,
    );
    expect(slack.posts).toHaveLength(0);
    await expect(readFile(join(lake.dir, 'alerts', 'sent.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('80 % is sent once, with the figure, the window, the forecast and the dashboard link', async () => {
    clock = new Date('2026-12-10T12:00:00Z');
    await alerts(budgetArgs());
    expect(postsTo('C0ADMIN')).toHaveLength(1);
    const spent = spentBetween(rows, MONTH_START, clock);
    const forecast =
      (spent / (clock.getTime() - MONTH_START.getTime())) * (MONTH_END.getTime() - MONTH_START.getTime());
    const body = postsTo('C0ADMIN')[0]!.blocks[0]!.text!.text;
    expect(body).toContain('*Claude Code spend reached 80% of the monthly budget*');
    expect(body).toContain(
      `*${formatUsd(spent)}* of ${formatUsd(budget)} (85%, API-equivalent USD) in December 2026, month to date up to Thu, 10 Dec 2026.`,
    );
    expect(body).toContain(`month ends at about *${formatUsd(forecast)}*`);
    expect(body).toContain('<https://dash.example.org/team|Open the dashboard>');
    // Again, and again after a restart: nothing new.
    await alerts(budgetArgs());
    clock = new Date('2026-12-10T18:00:00Z');
    await alerts(budgetArgs());
    expect(postsTo('C0ADMIN')).toHaveLength(1);
  });

  it('crossing 90 and 100 between two checks sends one alert for 100 and never repeats either', async () => {
    clock = new Date('2026-12-20T12:00:00Z');
    expect(spentBetween(rows, MONTH_START, clock) / budget).toBeGreaterThanOrEqual(1);
    await alerts(budgetArgs());
    expect(postsTo('C0ADMIN')).toHaveLength(2);
    expect(postsTo('C0ADMIN')[1]!.text).toMatch(/^Claude Code spend reached 100% of the monthly budget/);
    clock = new Date('2026-12-28T12:00:00Z');
    await alerts(budgetArgs());
    expect(postsTo('C0ADMIN')).toHaveLength(2);
    const state = JSON.parse(await readFile(join(lake.dir, 'alerts', 'sent.json'), 'utf8')) as {
      sent: object;
    };
    expect(Object.keys(state.sent)).toEqual(['budget:2026-12:100', 'budget:2026-12:80', 'budget:2026-12:90']);
  });

  it('a new month with no spend yet: nothing due', async () => {
    clock = new Date('2027-01-01T12:00:00Z');
    const { out } = await alerts([...budgetArgs(), '--dry-run']);
    expect(out.join('\n')).toMatch(/^No alert is due/);
  });
});

describe('spike alerts', () => {
  const spikeArgs = ['--spike-factor', '3', '--spike-min-usd', '10'];

  it('flags the person above 3x their own 28-day median, nobody else, in the admin channel only', async () => {
    clock = new Date('2026-12-02T16:00:00Z');
    const before = slack.posts.length;
    const { out } = await alerts(spikeArgs);
    const posted = slack.posts.slice(before);
    expect(posted.map((p) => p.channel)).toEqual(['C0ADMIN']);
    expect(postsTo('C0DIGEST')).toHaveLength(0);
    // ana: $40 against a median day of $5 over the 28 days before (29 Nov... 4 Nov all $5).
    expect(posted[0]!.text).toBe('Cost spike: ana used $40.00 on Wed, 2 Dec 2026, 8.0× their 28-day median.');
    expect(posted[0]!.blocks[0]!.text!.text).toContain(
      'their median day of $5.00 over the 28 days before (28 days with use; alert above 3×)',
    );
    expect(out.join('\n')).not.toMatch(/ben|cy|dee/);
  });

  it('is not repeated the next day (yesterday is checked again) or after a restart', async () => {
    clock = new Date('2026-12-03T08:00:00Z');
    const before = slack.posts.length;
    const { out } = await alerts(spikeArgs);
    expect(slack.posts.length).toBe(before);
    expect(out.join('\n')).toMatch(/^No alert is due/);
  });

  it('a failed post is not recorded, so the next check sends it', async () => {
    clock = new Date('2026-12-02T20:00:00Z');
    const { code, err } = await alerts([...spikeArgs, '--spike-factor', '2'], { ALERTS_CHANNEL: 'C0NOBOT' });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/could not send the spike alert .*not_in_channel.*next check tries again/);
    const state = JSON.parse(await readFile(join(lake.dir, 'alerts', 'sent.json'), 'utf8')) as {
      sent: object;
    };
    expect(Object.keys(state.sent)).not.toContain('spike:2026-12-02:ben');
    const before = slack.posts.length;
    await alerts([...spikeArgs, '--spike-factor', '2']);
    expect(slack.posts.slice(before).map((p) => p.text)).toEqual([
      expect.stringMatching(/^Cost spike: ben used \$50\.00/),
    ]);
  });

  it('refuses the digest channel and a missing one', async () => {
    await expect(alerts(spikeArgs, { ALERTS_CHANNEL: 'C0DIGEST' })).rejects.toThrow(/team digest's channel/);
    await expect(alerts(spikeArgs, { ALERTS_CHANNEL: '' })).rejects.toThrow(/no alerts channel/);
    await expect(alerts(['--budget', 'lots'])).rejects.toThrow(/ALERTS_BUDGET_USD must be a number/);
  });
});
