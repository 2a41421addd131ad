import { describe, expect, it } from 'vitest';
import { buildDigest, type DigestInputs, type TotalsInput } from '../../functions/digest/build-digest.ts';
import { describePeriod } from '../../functions/digest/period.ts';
import { renderDigest, slackMessage } from '../../functions/digest/render.ts';
import { fitTable, PHONE_WIDTH } from '../../functions/digest/text-table.ts';

/**
 * The digest on a phone: no code-block line wider than 34 characters as Slack shows it (entities
 * decoded), whatever the names; one Insights heading; a footer that reads without the README.
 */
const period = describePeriod(
  { from: new Date('2026-01-05T00:00:00Z'), to: new Date('2026-01-12T00:00:00Z'), timeZone: 'UTC' },
  7,
);
const totals: TotalsInput = {
  activeUsers: 1234,
  sessions: 98_765,
  messages: 1_234_567,
  skills: 30_000,
  subagents: 12_000,
  mcpCalls: 9000,
  costUsd: 123_456.78,
};
const long = 'an-extremely-long-name-that-goes-on-and-on';
const inputs: DigestInputs = {
  totals,
  previousTotals: { ...totals, sessions: 90_000 },
  skillUsers: [
    { name: long, user: `${long}@example.com`, count: 123_456 },
    { name: 'r&d<notes>', user: 'bo@example.com', count: 3 },
  ],
  subagentUsers: [{ name: long, user: 'ana@example.com', count: 99_999 }],
  mcpUsers: [{ name: long, user: long, count: 1_000_000 }],
  userActivity: [{ user: 'ana', sessions: 20, messages: 200 }],
  models: [
    { model: 'claude-sonnet-4-5-20250929', requests: 1_234_567, costUsd: 123_456.78 },
    { model: `claude-${long}`, requests: 1, costUsd: 0.01 },
  ],
  cacheHitRate: 0.9,
};
const digest = (extra: { insights?: string | null; dashboardUrl?: string | null } = {}) =>
  buildDigest(inputs, { period, generatedAt: new Date('2026-01-12T09:00:00Z'), ...extra });

/** Every line inside ``` fences, as Slack shows it. */
function codeLines(text: string): string[] {
  return [...text.matchAll(/```\n([\s\S]*?)\n```/g)].flatMap((m) =>
    m[1]!.split('\n').map((l) => l.replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>')),
  );
}

describe('digest on a phone', () => {
  it(`keeps every table line within ${PHONE_WIDTH} characters, even with long names and big numbers`, () => {
    const text = renderDigest(digest(), 'text');
    const lines = codeLines(text);
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(PHONE_WIDTH);
    // Numbers are never cut (big ones are compact); names are cut, with an ellipsis.
    expect(text).toMatch(/\nan-extremely…\s+an-extremely…\s+123k\n/);
    expect(text).toMatch(/\s1\.0M\n/);
    expect(text).toMatch(/sonnet-4-5\s+1\.2M\s+100%\s+\$123k\n/);
    expect(text).not.toContain('```\n```');
  });

  it('cuts names, not entities, and keeps the columns aligned as shown', () => {
    const lines = fitTable(
      [{ header: 'skill' }, { header: 'uses', align: 'right' }],
      [
        ['r&amp;d-a-long-skill-name', '7'],
        ['x', '1,234'],
      ],
      14,
    );
    const shown = lines.map((l) => l.replaceAll('&amp;', '&'));
    expect(shown).toEqual(['skill     uses', 'r&d-a-…      7', 'x        1,234']);
  });

  it('gives one Insights heading when the insights file brings its own', () => {
    for (const own of ['# Insights', '*Insights*', '*:sparkles: Insights*', 'Insights:', '## Key insights']) {
      const text = renderDigest(digest({ insights: `${own}\n\nReviews are up 20%.` }), 'text');
      expect(text.match(/insights/gi), own).toHaveLength(1);
      expect(text).toContain('Reviews are up 20%.');
    }
    // A first line that merely mentions insights is kept.
    const kept = renderDigest(digest({ insights: 'Insights from the week: reviews are up.' }), 'text');
    expect(kept).toContain('Insights from the week: reviews are up.');
  });

  it('links the dashboard when its address is known and says it plainly otherwise; no README', () => {
    const linked = slackMessage(digest({ dashboardUrl: 'https://dash.example.com/' }));
    const footer = JSON.stringify(linked.blocks.at(-1));
    expect(footer).toContain('<https://dash.example.com/|the team dashboard>');
    const plain = renderDigest(digest(), 'text');
    expect(plain).toContain('ask whoever runs claude-otel-lake for its address');
    for (const text of [footer, plain]) expect(text).not.toMatch(/README/);
  });
});
