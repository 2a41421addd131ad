import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figure, formatChange, formatCount, formatShare, formatUsd } from '../../functions/digest/format.ts';
import { digestWindows } from '../../functions/digest/period.ts';
import { runCli } from '../../scripts/cli.ts';
import type { CommandIO } from '../../scripts/cli-kit.ts';
import { createDigestCommand } from '../../scripts/commands/digest.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { buildTestLake, emptyTestLake, type TestLake } from '../helpers/lake.ts';
import { type Figures, figuresOf, pairs, ranked, topBySessions } from './independent-figures.ts';

const TOKEN = 'xoxb-1111-2222-TOPSECRETTOKEN';
const NOW = new Date('2026-01-12T09:00:00Z'); // a Monday
const CHANNEL = 'C0DIGEST';
const SECRETS = ['hunter2', 'secret-project', '/Users/someone', 'id_rsa', 'private', 'shadow', 'deploy.sh'];

let lake: TestLake;
let slack: FakeSlack;
let inactive: string;
let current: Figures;
let previous: Figures;
const printed: string[] = [];

beforeAll(async () => {
  lake = await buildTestLake({ seed: 11, teamSize: 12, days: 14, endMs: Date.UTC(2026, 0, 12) });
  slack = await startFakeSlack({ token: TOKEN, channels: { [CHANNEL]: 'member', C0LURKER: 'not-member' } });
  const { generateTeamActivity } = await import('../../functions/demo/team-activity.ts');
  const team = generateTeamActivity({ seed: 11, teamSize: 12, days: 1, endMs: Date.UTC(2026, 0, 12) }).team;
  inactive = team.at(-1)!.email.split('@')[0]!;
  const w = digestWindows(NOW, 7, 'UTC');
  current = figuresOf(lake.events, w.current.from, w.current.to);
  previous = figuresOf(lake.events, w.previous.from, w.previous.to);
});

afterAll(async () => {
  await slack?.close();
  await lake?.dispose();
  // Nothing the command printed, on any path, held the token.
  expect(printed.join('\n')).not.toContain(TOKEN);
});

function capture(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = {
    out: (t) => {
      out.push(t);
      printed.push(t);
    },
    err: (t) => {
      err.push(t);
      printed.push(t);
    },
    cwd: process.cwd(),
    env,
  };
  return { io, out, err };
}

const command = createDigestCommand({
  now: () => NOW,
  retryConfig: { retries: 3, minTimeout: 0, maxTimeout: 1 },
});
const slackEnv = () => ({ SLACK_BOT_TOKEN: TOKEN, SLACK_CHANNEL: CHANNEL, SLACK_API_URL: slack.apiUrl });
const cells = (...parts: string[]) =>
  new RegExp(parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));

/** The monospace table of the section titled `title`: header, rows of cells, and its "+N more" line. */
function tableIn(sections: readonly string[], title: string) {
  const text = sections.find((t) => t.split('\n')[0]!.includes(title));
  if (!text) throw new Error(`no section titled ${title}`);
  const [header, ...rows] = /```\n([\s\S]*?)\n```/
    .exec(text)![1]!
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));
  return { header, rows, more: /^_\+(\d+) more (.+)_$/m.exec(text)?.slice(1) ?? null };
}

describe('digest --post', () => {
  let texts: string;
  let sections: string[];

  beforeAll(async () => {
    const { io, out } = capture(slackEnv());
    expect(await command.run(['--lake', lake.dir, '--post'], io)).toBe(0);
    expect(out.join('\n')).toMatch(
      /^Posted the digest for Mon 5 Jan – Sun 11 Jan 2026 to C0DIGEST \(ts \d+\.\d+\)\.$/,
    );
    const post = slack.posts.at(-1)!;
    sections = post.blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
    texts = post.blocks.map((b) => b.text?.text ?? b.elements?.map((e) => e.text).join(' ') ?? '').join('\n');
  });

  it('carries the team totals, with their change, as counted from the events', () => {
    const rows: [string, keyof Figures, (n: number) => string][] = [
      ['Active people', 'activeUsers', formatCount],
      ['Sessions', 'sessions', formatCount],
      ['Messages', 'messages', formatCount],
      ['Skill uses', 'skills', formatCount],
      ['Subagent runs', 'subagents', formatCount],
      ['MCP calls', 'mcpCalls', formatCount],
      ['Cost', 'costUsd', formatUsd],
    ];
    for (const [label, key, fmt] of rows) {
      const now = current[key] as number;
      const before = previous[key] as number;
      expect(texts).toContain(
        `\n${label} *${fmt(now)}* · ${formatChange(figure(now, before))} (${fmt(before)} last week)\n`,
      );
    }
    expect(current.sessions).toBeGreaterThan(10);
  });

  it('shows who used which skills and MCP servers as the top pairs counted from the events', () => {
    for (const [title, map, first, count, top, noun] of [
      ['Who used which skills', current.skillUsers, 'skill', 'uses', 8, 'skill × person pairs'],
      ['Who used which MCP servers', current.mcpUsers, 'server', 'calls', 5, 'server × person pairs'],
    ] as const) {
      const all = pairs(map);
      // The week has more pairs than the table shows, so the cut is exercised.
      expect(all.length).toBeGreaterThan(top);
      const table = tableIn(sections, title);
      expect(table.header).toEqual([first, 'person', count]);
      expect(table.rows).toEqual(all.slice(0, top).map((p) => [p.name, p.user, formatCount(p.count)]));
      expect(table.more).toEqual([String(all.length - top), noun]);
    }
  });

  it('carries the subagent types with their people and top user', () => {
    const rows = ranked(current.subagentUsers);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows.slice(0, 5)) {
      expect(texts).toMatch(cells(row.name, formatCount(row.count), formatCount(row.people)));
    }
    const lead = rows[0]!.users[0]!;
    expect(texts).toContain(`_Most ${rows[0]!.name} runs: ${lead.user} (${lead.count})._`);
  });

  it('names the three heavy users by sessions, each with their go-to skill', () => {
    for (const [i, u] of topBySessions(current).entries()) {
      expect(texts).toContain(
        `${i + 1}. *${u.user}*: ${formatCount(u.sessions)} sessions, ${formatCount(u.messages)} messages`,
      );
    }
  });

  it('carries the model mix and the cache hit rate', () => {
    const total = [...current.models.values()].reduce((n, m) => n + m.requests, 0);
    for (const [model, m] of current.models) {
      expect(texts).toMatch(
        cells(
          model.replace(/^claude-/, '').replace(/-\d{8}$/, ''),
          formatCount(m.requests),
          `${Math.round((m.requests / total) * 100)}%`,
          formatUsd(m.costUsd),
        ),
      );
    }
    expect(texts).toContain(`*${formatShare(current.cacheHitRate!)}* of input tokens`);
  });

  it('never names the inactive member, and holds no prompt, command, path or tool input', () => {
    const raw = slack.requests.map((r) => r.raw).join('\n');
    expect(raw.length).toBeGreaterThan(1000);
    expect(raw).not.toContain(inactive);
    for (const secret of SECRETS) expect(raw).not.toContain(secret);
    expect(texts).not.toMatch(/least|inactive|lowest|bottom/i);
  });
});

describe('digest dry run', () => {
  it('prints the same content as data with --format json', async () => {
    const { io, out } = capture({});
    expect(await command.run(['--lake', lake.dir, '--format', 'json'], io)).toBe(0);
    const digest = JSON.parse(out.join('\n'));
    expect(digest.totals.sessions).toMatchObject({ value: current.sessions, previous: previous.sessions });
    expect(digest.totals.costUsd.value).toBeCloseTo(current.costUsd, 6);
    expect(digest.skills).toEqual(ranked(current.skillUsers));
    expect(digest.skillUsers).toEqual(pairs(current.skillUsers));
    expect(digest.mcpServers).toEqual(ranked(current.mcpUsers));
    expect(digest.mcpUsers).toEqual(pairs(current.mcpUsers));
    expect(digest.subagents).toEqual(ranked(current.subagentUsers));
    expect(digest.heavyUsers.map((u: { user: string }) => u.user)).toEqual(
      topBySessions(current).map((u) => u.user),
    );
    expect(digest.cacheHitRate).toBeCloseTo(current.cacheHitRate!, 9);
    expect(JSON.stringify(digest)).not.toContain(inactive);
  });

  it('prints the Slack payload with --format slack, and posts nothing without --post', async () => {
    const posts = slack.requests.length;
    const { io, out } = capture(slackEnv());
    expect(await command.run(['--lake', lake.dir, '--format', 'slack', '--days', '3'], io)).toBe(0);
    const payload = JSON.parse(out.join('\n'));
    expect(payload.text).toMatch(/^Claude Code digest: last 3 days, Fri 9 Jan – Sun 11 Jan 2026:/);
    expect(payload.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':bar_chart: Claude Code digest: last 3 days', emoji: true },
    });
    expect(slack.requests.length).toBe(posts);
  });

  it('appends the insights file under Insights', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'insights-'));
    const file = join(dir, 'insights.md');
    await writeFile(file, ':sparkles: *Praise*\nThe team leaned on skills this week. <!channel>\n');
    const { io, out } = capture({});
    expect(await command.run(['--lake', lake.dir, '--insights-file', file], io)).toBe(0);
    const text = out.join('\n');
    expect(text).toContain(
      '*:sparkles: Insights*\n\n:sparkles: *Praise*\nThe team leaned on skills this week. @channel',
    );
    const { io: io2, err } = capture({});
    expect(await runCli(['digest', '--lake', lake.dir, '--insights-file', join(dir, 'nope.md')], io2)).toBe(
      2,
    );
    expect(err.join('\n')).toContain('cannot read the insights file');
  });
});

describe('digest failures: one clear line and a non-zero exit', () => {
  let empty: Awaited<ReturnType<typeof emptyTestLake>>;
  beforeAll(async () => {
    empty = await emptyTestLake();
  });
  afterAll(() => empty.dispose());

  it.each([
    [
      'no token',
      { SLACK_CHANNEL: CHANNEL },
      [],
      /^claude-otel-lake digest: no Slack bot token: set SLACK_BOT_TOKEN/,
    ],
    ['no channel', { SLACK_BOT_TOKEN: TOKEN }, [], /no Slack channel: set SLACK_CHANNEL or pass --channel/],
    ['a wrong token', { SLACK_BOT_TOKEN: `${TOKEN}-x`, SLACK_CHANNEL: CHANNEL }, [], /invalid_auth/],
    [
      'an unknown channel',
      { SLACK_BOT_TOKEN: TOKEN },
      ['--channel', 'C0NOWHERE'],
      /"C0NOWHERE" was not found \(channel_not_found\)/,
    ],
    [
      'a channel without the bot',
      { SLACK_BOT_TOKEN: TOKEN },
      ['--channel', 'C0LURKER'],
      /\(not_in_channel\): invite it/,
    ],
  ])('%s', async (_, env, args, message) => {
    const { io, err, out } = capture({ ...env, SLACK_API_URL: slack.apiUrl });
    const code = await runCli(['digest', '--lake', empty.dir, '--post', ...args], io);
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
    expect(out).toEqual([]);
  });

  it('exits 2 for bad flags', async () => {
    for (const args of [
      ['--days', 'seven'],
      ['--format', 'xml'],
      ['--tz', 'Nowhere/Land'],
      ['--dashboard-url', 'ftp://x'],
    ]) {
      const { io, err } = capture({});
      expect(await runCli(['digest', '--lake', empty.dir, ...args], io)).toBe(2);
      expect(err.join('\n')).toMatch(/--days|--format|time zone|--dashboard-url/);
    }
  });

  it('says kindly when the window has no data, and exits 0', async () => {
    const { io, out } = capture({});
    expect(await runCli(['digest', '--lake', empty.dir], io)).toBe(0);
    expect(out.join('\n')).toContain('nothing to celebrate yet');
  });
});

describe('digest --post under rate limits', () => {
  it('retries after HTTP 429 with Retry-After and then posts', async () => {
    const limited = await startFakeSlack({
      token: TOKEN,
      channels: { [CHANNEL]: 'member' },
      rateLimit: 2,
      retryAfterSeconds: 0,
    });
    try {
      const { io, err } = capture({
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_CHANNEL: CHANNEL,
        SLACK_API_URL: limited.apiUrl,
      });
      expect(await command.run(['--lake', lake.dir, '--post'], io)).toBe(0);
      expect(limited.requests.map((r) => r.status)).toEqual([429, 429, 200]);
      expect(limited.posts).toHaveLength(1);
      expect(err.join('\n')).toMatch(/rate limit/i);
    } finally {
      await limited.close();
    }
  });
});
