import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDigestCommand } from '../../scripts/commands/digest.ts';
import { captureIO } from '../helpers/cli-io.ts';
import {
  apiKeyOf,
  type FakeAnthropic,
  startFakeAnthropic,
  startFakeChangelog,
} from '../helpers/fake-anthropic.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { buildTestLake, emptyTestLake, type TestLake } from '../helpers/lake.ts';

/**
 * `digest --insights auto` end to end: real lake, real DuckDB, the official Anthropic SDK against
 * a fake Messages API on 127.0.0.1 (JSON and streamed answers), a local changelog stand-in and
 * the fake Slack.
 */
const API_KEY = 'sk-ant-test-DO-NOT-PRINT-0123456789';
const TOKEN = 'xoxb-insights-TOKEN-42';
const NOW = new Date('2026-01-12T09:00:00Z');
const CHANGELOG = [
  '# Changelog',
  '',
  '## 9.9.3',
  '- Newest: background agents',
  '',
  '## 9.9.2',
  '- Plugins marketplace',
  '',
  '## 9.9.1',
  '- Something',
  '',
  '## 9.9.0',
  '- Older one',
  '',
  '## 9.8.9',
  '- Older two',
  '',
  '## 1.0.0',
  '- ANCIENT-ENTRY',
].join('\n');

let lake: TestLake;
let api: FakeAnthropic;
let slack: FakeSlack;
let changelog: Awaited<ReturnType<typeof startFakeChangelog>>;
let inactive: string;
let active: string;

beforeAll(async () => {
  lake = await buildTestLake({ seed: 11, teamSize: 12, days: 14, endMs: Date.UTC(2026, 0, 12) });
  api = await startFakeAnthropic({ apiKey: API_KEY, text: '' });
  slack = await startFakeSlack({ token: TOKEN, channels: { C0DIGEST: 'member' } });
  changelog = await startFakeChangelog(CHANGELOG);
  const { generateTeamActivity } = await import('../../functions/demo/team-activity.ts');
  const team = generateTeamActivity({ seed: 11, teamSize: 12, days: 1, endMs: Date.UTC(2026, 0, 12) }).team;
  inactive = team.at(-1)!.email.split('@')[0]!;
});
afterAll(async () => {
  await Promise.all([api?.close(), slack?.close(), changelog?.close()]);
  await lake?.dispose();
});

const command = createDigestCommand({ now: () => NOW, retryConfig: { retries: 0 } });
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ANTHROPIC_API_KEY: API_KEY,
  ANTHROPIC_BASE_URL: api.url,
  DIGEST_CHANGELOG_URL: changelog.url,
  ...extra,
});

async function run(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const cap = captureIO(process.cwd(), env(extra));
  const code = await command.run(['--lake', lake.dir, ...args], cap.io);
  const printed = [...cap.out, ...cap.err].join('\n');
  expect(printed).not.toContain(API_KEY);
  return { code, ...cap };
}

const roughly = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
    typeof v === 'number' ? Number(v.toPrecision(9)) : v,
  );

const jsonDigest = async (args: string[], extra: NodeJS.ProcessEnv = {}) => {
  const r = await run(['--format', 'json', '--insights', 'auto', ...args], extra);
  return {
    ...r,
    digest: JSON.parse(r.out.join('\n')) as Record<string, unknown> & { insights: string | null },
  };
};

describe('the request holds only aggregates', () => {
  it('sends the --format json figures, the rules and the newest changelog entries; no session id, event id or prompt', async () => {
    const plain = JSON.parse((await run(['--format', 'json'])).out.join('\n')) as Record<string, unknown>;
    api.set({ apiKey: API_KEY, text: 'The team ran many sessions.' });
    const before = api.requests.length;
    const { digest, code } = await jsonDigest([], { DIGEST_INSIGHTS_STREAM: 'false' });
    expect(code).toBe(0);
    expect(api.requests.length).toBe(before + 1);
    const request = api.requests.at(-1)!;
    expect(apiKeyOf(request.headers)).toBe(API_KEY);
    expect(request.body.model).toBe('claude-sonnet-4-6');
    expect(request.body.stream).toBeFalsy();
    const user = request.body.messages[0]!.content;
    const sent = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(user)![1]!) as Record<string, unknown>;
    const { insights: _i, ...aggregates } = plain;
    // DuckDB sums doubles in parallel, so the last digits of a cost may differ between two runs.
    expect(roughly(sent)).toEqual(roughly(aggregates));
    expect(request.body.system).toMatch(/never name anyone for low or no usage/i);
    expect(user).toContain('9.9.3');
    expect(user).toContain('9.8.9');
    expect(user).not.toContain('ANCIENT-ENTRY');
    // Nothing row-level reaches the model.
    const sessionIds = new Set(lake.rows.map((r) => r.session_id).filter((s): s is string => !!s));
    expect(sessionIds.size).toBeGreaterThan(10);
    for (const id of sessionIds) expect(request.raw).not.toContain(id);
    expect(request.raw).not.toMatch(/"ev-\d+"|event_id|session_id|prompt_id|<REDACTED>/);
    expect(digest.insights).toBe('The team ran many sessions.');
  });

  it('takes the model from --insights-model, then DIGEST_INSIGHTS_MODEL', async () => {
    api.set({ apiKey: API_KEY, text: 'ok' });
    await jsonDigest(['--insights-model', 'claude-haiku-4-5'], { DIGEST_INSIGHTS_MODEL: 'claude-opus-4-8' });
    expect(api.requests.at(-1)!.body.model).toBe('claude-haiku-4-5');
    await jsonDigest([], { DIGEST_INSIGHTS_MODEL: 'claude-opus-4-8' });
    expect(api.requests.at(-1)!.body.model).toBe('claude-opus-4-8');
  });
});

describe('the answer is cleaned', () => {
  it('a streamed answer naming someone the digest does not show, pinging the channel and linking elsewhere', async () => {
    const shown = (await jsonDigest([])).digest as unknown as { heavyUsers: { user: string }[] };
    active = shown.heavyUsers[0]!.user;
    api.set({
      apiKey: API_KEY,
      text: [
        '*:sparkles: Insights*',
        `<!channel> Big week! @${active} led the way, and @${inactive} should catch up.`,
        `Ask ${inactive}@example.com or <@U0123ABCD> about it. <!here> <!subteam^S012|devs>`,
        '• Try the new background agents: <https://code.claude.com/docs/en/agents|docs>',
        '• Free credits at <https://evil.example/phish|claim here> or https://evil.example/x',
      ].join('\n'),
    });
    const before = api.requests.length;
    const { digest } = await jsonDigest([]);
    expect(api.requests.at(-1)!.body.stream).toBe(true);
    expect(api.requests.length).toBe(before + 1);
    const text = digest.insights!;
    expect(text).toContain(`@${active} led the way`);
    expect(text).not.toContain(inactive);
    expect(text).not.toMatch(/<!|<@|evil\.example|Insights/);
    expect(text).toContain('<https://code.claude.com/docs/en/agents|docs>');
    expect(text).toContain('claim here');
  });

  it('text output draws one Insights heading over the cleaned text', async () => {
    api.set({ apiKey: API_KEY, text: '# Insights\nA *good* week.' });
    const { out, code } = await run(['--insights', 'auto']);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text.match(/Insights/g)).toHaveLength(1);
    expect(text).toContain('*:sparkles: Insights*\n\nA *good* week.');
  });

  it('the posted message carries the insights under the heading', async () => {
    api.set({ apiKey: API_KEY, text: `Well done @${active}! <!everyone>` });
    const { code } = await run(['--insights', 'auto', '--post'], {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_CHANNEL: 'C0DIGEST',
      SLACK_API_URL: slack.apiUrl,
    });
    expect(code).toBe(0);
    const sections = slack.posts.at(-1)!.blocks.map((b) => b.text?.text ?? '');
    const at = sections.indexOf('*:sparkles: Insights*');
    expect(at).toBeGreaterThan(0);
    expect(sections[at + 1]).toBe(`Well done @${active}! everyone`);
  });
});

describe('without insights, never without the digest', () => {
  it('an HTTP 500 gives the digest without insights, exit 0, one line saying why', async () => {
    api.set({ apiKey: API_KEY, status: 500 });
    const { digest, code, err } = await jsonDigest([]);
    expect(code).toBe(0);
    expect(digest.insights).toBeNull();
    expect((digest.totals as { sessions: { value: number } }).sessions.value).toBeGreaterThan(0);
    const lines = err.filter((l) => l.startsWith('insights:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/failed \(.*HTTP 500\); the digest goes without insights/);
  });

  it('a stalled API times out and the digest is still posted', async () => {
    api.set({ apiKey: API_KEY, stall: true });
    const posts = slack.posts.length;
    const { code, err } = await run(['--insights', 'auto', '--post'], {
      DIGEST_INSIGHTS_TIMEOUT_SECONDS: '0.5',
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_CHANNEL: 'C0DIGEST',
      SLACK_API_URL: slack.apiUrl,
    });
    expect(code).toBe(0);
    expect(slack.posts.length).toBe(posts + 1);
    expect(slack.posts.at(-1)!.blocks.some((b) => b.text?.text.includes('Insights'))).toBe(false);
    expect(err.filter((l) => l.startsWith('insights:'))).toEqual([
      expect.stringMatching(/timed out after 500 ms/),
    ]);
  });

  it('a wrong key is a failure line that does not print the key', async () => {
    api.set({ apiKey: API_KEY, text: 'never seen' });
    const { digest, err } = await jsonDigest([], { ANTHROPIC_API_KEY: 'sk-ant-wrong-key-XYZ' });
    expect(digest.insights).toBeNull();
    expect(err.join('\n')).toMatch(/HTTP 401/);
    expect(err.join('\n')).not.toContain('sk-ant-wrong-key-XYZ');
  });

  it('no API key: one line, no request', async () => {
    const before = api.requests.length;
    const { digest, err } = await jsonDigest([], { ANTHROPIC_API_KEY: '' });
    expect(digest.insights).toBeNull();
    expect(api.requests.length).toBe(before);
    expect(err).toEqual(['insights: ANTHROPIC_API_KEY is not set; the digest goes without insights']);
  });

  it('offline changelog: said so, and the model is told to write without it', async () => {
    api.set({ apiKey: API_KEY, text: 'Fine.' });
    const { digest, err } = await jsonDigest([], { DIGEST_CHANGELOG_URL: 'http://127.0.0.1:9/CHANGELOG.md' });
    expect(digest.insights).toBe('Fine.');
    expect(err).toEqual([
      expect.stringMatching(
        /^insights: the Claude Code changelog was not fetched \(.+\); writing without it$/,
      ),
    ]);
    expect(api.requests.at(-1)!.body.messages[0]!.content).toMatch(/changelog could not be fetched/);
  });

  it('--insights-file wins over --insights auto: the API is not called', async () => {
    const { writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const file = join(lake.dir, 'skill-insights.md');
    await writeFile(file, 'Written by the usage-digest skill.');
    const before = api.requests.length;
    const { digest } = await jsonDigest(['--insights-file', file]);
    expect(digest.insights).toBe('Written by the usage-digest skill.');
    expect(api.requests.length).toBe(before);
  });

  it('an empty window: no call, one line, the kind empty digest', async () => {
    const empty = await emptyTestLake();
    try {
      const before = api.requests.length;
      const cap = captureIO(process.cwd(), env());
      expect(await command.run(['--lake', empty.dir, '--insights', 'auto'], cap.io)).toBe(0);
      expect(api.requests.length).toBe(before);
      expect(cap.err).toEqual(['insights: skipped, the window has no activity']);
      expect(cap.out.join('\n')).toContain('No Claude Code activity reached the lake');
    } finally {
      await empty.dispose();
    }
  });

  it('a bad --insights value is a usage error', async () => {
    await expect(run(['--insights', 'sometimes'])).rejects.toThrow(/--insights must be auto or off/);
  });
});
