import { describe, expect, it } from 'vitest';
import { type Block, blockChars, toBlocks } from '../../functions/digest/blocks.ts';
import { buildDigest, type DigestInputs, type TotalsInput } from '../../functions/digest/build-digest.ts';
import { composeDigest } from '../../functions/digest/compose.ts';
import { describePeriod } from '../../functions/digest/period.ts';
import { renderDigest, slackMessage } from '../../functions/digest/render.ts';
import { blockProblems } from '../helpers/fake-slack.ts';

const window = {
  from: new Date('2026-01-05T00:00:00Z'),
  to: new Date('2026-01-12T00:00:00Z'),
  timeZone: 'UTC',
};
const period = describePeriod(window, 7);
const generatedAt = new Date('2026-01-12T09:00:00Z');

const zero: TotalsInput = {
  activeUsers: 0,
  sessions: 0,
  messages: 0,
  skills: 0,
  subagents: 0,
  mcpCalls: 0,
  costUsd: 0,
};
const someTotals: TotalsInput = {
  activeUsers: 4,
  sessions: 40,
  messages: 321,
  skills: 30,
  subagents: 12,
  mcpCalls: 9,
  costUsd: 1234.5,
};

function inputs(overrides: Partial<DigestInputs> = {}): DigestInputs {
  return {
    totals: someTotals,
    previousTotals: { ...someTotals, sessions: 32, costUsd: 1000, mcpCalls: 0 },
    skillUsers: [
      { name: 'create-pr', user: 'ana@example.com', count: 7 },
      { name: 'create-pr', user: 'bo@example.com', count: 3 },
      { name: 'daily-note', user: 'bo@example.com', count: 5 },
    ],
    subagentUsers: [{ name: 'Explore', user: 'ana@example.com', count: 12 }],
    mcpUsers: [{ name: 'slack', user: 'cy@example.com', count: 9 }],
    userActivity: [
      { user: 'ana', sessions: 20, messages: 200 },
      { user: 'bo', sessions: 12, messages: 80 },
      { user: 'cy', sessions: 6, messages: 30 },
      { user: 'dee', sessions: 2, messages: 11 },
    ],
    models: [
      { model: 'claude-sonnet-4-5-20250929', requests: 300, costUsd: 800 },
      { model: 'claude-opus-4-5-20251101', requests: 100, costUsd: 434.5 },
    ],
    cacheHitRate: 0.9734,
    ...overrides,
  };
}

const digestOf = (i: DigestInputs, insights: string | null = null) =>
  buildDigest(i, { period, generatedAt, insights });

function sectionTexts(blocks: readonly Block[]): string[] {
  return blocks.flatMap((b) => (b.type === 'section' ? [b.text.text] : []));
}

describe('digest rendering', () => {
  it('shows the totals with their change, formatted for people', () => {
    const text = renderDigest(digestOf(inputs()), 'text');
    expect(text).toContain('Mon 5 Jan – Sun 11 Jan 2026');
    expect(text).toContain('\nSessions *40* · +25% (32 last week)\n');
    expect(text).toContain('\nCost *$1,234.50* · +23% ($1,000.00 last week)\n');
    expect(text).toContain('\nMCP calls *9* · new (0 last week)\n');
    expect(text).toContain('97.3%');
    expect(text).toContain(
      [
        '*:hammer_and_wrench: Who used which skills*',
        '```',
        'skill       person  uses',
        'create-pr   ana        7',
        'daily-note  bo         5',
        'create-pr   bo         3',
        '```',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        '*:electric_plug: Who used which MCP servers*',
        '```',
        'server  person  calls',
        'slack   cy          9',
      ].join('\n'),
    );
  });

  it('shows the top skill x person pairs in the query order, naming nobody below the cut', () => {
    // As top_skills returns them: most first, ties by skill and then person.
    const skillUsers = [
      { name: 'create-pr', user: 'ana@example.com', count: 9 },
      ...['a', 'b', 'c'].flatMap((s) =>
        ['bo', 'cy'].map((u) => ({ name: `skill-${s}`, user: `${u}@example.com`, count: 4 })),
      ),
      { name: 'skill-z', user: 'cy@example.com', count: 2 },
      { name: 'skill-z', user: 'zed@example.com', count: 1 },
    ];
    const mcpUsers = Array.from({ length: 7 }, (_, i) => ({
      name: 'slack',
      user: `mcp${i}@example.com`,
      count: 10 - i,
    }));
    const digest = digestOf(inputs({ skillUsers, mcpUsers }));
    expect(digest.skillUsers.map((p) => `${p.name}/${p.user}/${p.count}`)).toEqual([
      'create-pr/ana/9',
      'skill-a/bo/4',
      'skill-a/cy/4',
      'skill-b/bo/4',
      'skill-b/cy/4',
      'skill-c/bo/4',
      'skill-c/cy/4',
      'skill-z/cy/2',
      'skill-z/zed/1',
    ]);
    for (const format of ['text', 'slack'] as const) {
      const text = renderDigest(digest, format);
      expect(text).toMatch(/skill-z\s+cy\s+2/);
      expect(text).toContain('_+1 more skill × person pairs_');
      expect(text).toMatch(/mcp4\s+6/);
      expect(text).toContain('_+2 more server × person pairs_');
      for (const cut of ['zed', 'mcp5', 'mcp6']) expect(text).not.toContain(cut);
    }
    // The data keeps every pair, for other tools.
    expect(digest.mcpUsers).toHaveLength(7);
  });

  it('merges pairs that come to the same shown name and leaves out pairs without a person', () => {
    const digest = digestOf(
      inputs({
        skillUsers: [
          { name: 'create-pr', user: 'bo@a.example', count: 3 },
          { name: 'daily-note', user: 'ana@example.com', count: 4 },
          { name: 'create-pr', user: 'bo@b.example', count: 2 },
          { name: 'create-pr', user: null, count: 8 },
          { name: 'create-pr', user: 'cy@example.com', count: 0 },
        ],
      }),
    );
    expect(digest.skillUsers).toEqual([
      { name: 'create-pr', user: 'bo', count: 5 },
      { name: 'daily-note', user: 'ana', count: 4 },
    ]);
  });

  it('names at most three heavy users, from the top, with their go-to skill', () => {
    const digest = digestOf(inputs());
    expect(digest.heavyUsers.map((u) => u.user)).toEqual(['ana', 'bo', 'cy']);
    expect(digest.heavyUsers[1]?.topSkill).toBe('daily-note');
    const text = renderDigest(digest, 'text');
    expect(text).not.toContain('dee');
    expect(text).not.toMatch(/least|inactive|lowest/i);
  });

  it('shows people by e-mail local part, and pseudonyms as they are', () => {
    const digest = digestOf(
      inputs({
        userActivity: [
          { user: 'ana.lopez@example.com', sessions: 9, messages: 10 },
          { user: 'u_3f9a0c1d2e4b5a6c7d8e', sessions: 5, messages: 10 },
        ],
      }),
    );
    expect(digest.heavyUsers.map((u) => u.user)).toEqual(['ana.lopez', 'u_3f9a0c1d2e4b5a6c7d8e']);
    expect(renderDigest(digest, 'text')).not.toContain('@example.com');
  });

  it('says kindly that there was no activity', () => {
    const digest = digestOf(
      inputs({
        totals: zero,
        previousTotals: zero,
        skillUsers: [],
        subagentUsers: [],
        mcpUsers: [],
        userActivity: [],
        models: [],
        cacheHitRate: null,
      }),
    );
    expect(digest.empty).toBe(true);
    const message = slackMessage(digest);
    expect(message.text).toContain('no Claude Code activity');
    expect(sectionTexts(message.blocks).join('\n')).toContain('nothing to celebrate yet');
  });

  it('cuts long tables with "+N more" and keeps every section within 3000 characters', () => {
    const skillUsers = Array.from({ length: 100 }, (_, i) => ({
      name: `skill-${String(i).padStart(3, '0')}-${'x'.repeat(300)}`,
      user: `user${i}@example.com`,
      count: 1000 - i,
    }));
    const message = slackMessage(digestOf(inputs({ skillUsers })));
    const skills = sectionTexts(message.blocks).find((t) => t.includes('Who used which skills'))!;
    expect(skills).toContain('_+92 more skill × person pairs_');
    expect(skills).toContain('user7');
    expect(skills).not.toContain('user8');
    for (const text of sectionTexts(message.blocks)) expect(text.length).toBeLessThanOrEqual(3000);
  });

  it('fits long insights into 50 blocks and about 12,000 characters, keeping the footer', () => {
    const insights = Array.from(
      { length: 120 },
      (_, i) => `Paragraph ${i}: ${'great work '.repeat(250)}`,
    ).join('\n\n');
    const message = slackMessage(digestOf(inputs(), insights));
    expect(blockProblems(message.blocks)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(message.blocks.reduce((n, b) => n + blockChars(b), 0)).toBeLessThanOrEqual(12_000);
    const last = message.blocks.at(-1)!;
    expect(last.type === 'context' && last.elements[0].text).toContain('Your own numbers and more');
    const notice = message.blocks.at(-2)!;
    expect(notice.type === 'context' && notice.elements[0].text).toMatch(/^_\+\d+ more parts did not fit/);
  });

  it('keeps to 50 blocks when there are many short parts', () => {
    const insights = Array.from({ length: 200 }, (_, i) => `Tip ${i}`).join('\n\n');
    const parts = composeDigest(
      digestOf(inputs(), insights.replaceAll('\n\n', `\n\n${'y'.repeat(2990)}\n\n`)),
    );
    expect(parts.length).toBeGreaterThan(50);
    expect(toBlocks(parts, { maxBlocks: 50, maxChars: 1_000_000 })).toHaveLength(50);
  });

  it('escapes names so they cannot link, mention or format, and neutralizes mentions in insights', () => {
    const digest = digestOf(
      inputs({ skillUsers: [{ name: '<!channel>`x`', user: '<@U123>@example.com', count: 3 }] }),
      'Shout-out <!here> and <!channel|channel>',
    );
    const all = JSON.stringify(slackMessage(digest));
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<!here>');
    expect(all).not.toContain('<@U123>');
    expect(all).toContain('&lt;!channel&gt;');
  });

  it('links the footer to the dashboard when given one', () => {
    const digest = buildDigest(inputs(), { period, generatedAt, dashboardUrl: 'https://bi.example.com/d/1' });
    const footer = slackMessage(digest).blocks.at(-1)!;
    expect(footer.type === 'context' && footer.elements[0].text).toContain(
      '<https://bi.example.com/d/1|the team dashboard>',
    );
  });

  it('gives the same content as data with --format json', () => {
    const digest = digestOf(inputs());
    const json = JSON.parse(renderDigest(digest, 'json'));
    expect(json.totals.sessions).toEqual({ value: 40, previous: 32, changePct: 25 });
    expect(json.skills[0]).toEqual({
      name: 'create-pr',
      count: 10,
      people: 2,
      users: [
        { user: 'ana', count: 7 },
        { user: 'bo', count: 3 },
      ],
    });
    expect(json.skillUsers).toEqual([
      { name: 'create-pr', user: 'ana', count: 7 },
      { name: 'daily-note', user: 'bo', count: 5 },
      { name: 'create-pr', user: 'bo', count: 3 },
    ]);
    expect(json.mcpUsers).toEqual([{ name: 'slack', user: 'cy', count: 9 }]);
    expect(json.period).toMatchObject({ days: 7, timeZone: 'UTC', from: '2026-01-05T00:00:00.000Z' });
  });
});
