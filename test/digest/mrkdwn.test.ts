import { describe, expect, it } from 'vitest';
import { buildDigest, type DigestInputs } from '../../functions/digest/build-digest.ts';
import { codeCell, escapeMrkdwn } from '../../functions/digest/mrkdwn.ts';
import { renderDigest } from '../../functions/digest/render.ts';

const HOSTILE = ['*x* _y_', '~gone~', '`rm -rf`', '<!channel>', 'a&b<c>', 'two\nlines', '_lead', 'ana_lopez'];

const totals = {
  activeUsers: 3,
  sessions: 9,
  messages: 30,
  skills: 4,
  subagents: 2,
  mcpCalls: 1,
  costUsd: 12,
};

function digestWith(users: readonly string[]) {
  const inputs: DigestInputs = {
    totals,
    previousTotals: totals,
    skillUsers: users.map((user) => ({ name: `*skill* of ${user}`, user, count: 2 })),
    subagentUsers: [],
    mcpUsers: users.map((user) => ({ name: '_srv_', user, count: 1 })),
    userActivity: users.map((user, i) => ({ user, sessions: 10 - i, messages: 20 })),
    models: [],
    cacheHitRate: null,
  };
  return buildDigest(inputs, {
    period: {
      from: '2026-01-05T00:00:00.000Z',
      to: '2026-01-12T00:00:00.000Z',
      days: 7,
      timeZone: 'UTC',
      label: 'x',
    },
    generatedAt: new Date('2026-01-12T09:00:00Z'),
  });
}

describe('names in Slack mrkdwn can neither format, nor link, nor mention', () => {
  it('escapes the formatting characters outside words and the entities everywhere', () => {
    expect(escapeMrkdwn('*x* _y_')).toBe('\u2217x\u2217 \u02cdy\u02cd');
    expect(escapeMrkdwn('ana_lopez')).toBe('ana_lopez');
    expect(escapeMrkdwn('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
    expect(escapeMrkdwn('two\nlines')).toBe('two lines');
    expect(codeCell('a`b <c>')).toBe("a'b &lt;c&gt;");
  });

  it('keeps "Most active this week" one bold name per line, whatever the names hold', () => {
    const text = renderDigest(digestWith(HOSTILE.slice(0, 3)), 'text');
    const section = text.slice(text.indexOf('Most active this week'));
    const lines = section.split('\n').slice(1, 4);
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      // `N. *name*: …` with no other asterisk, underscore at a word edge, tilde or backtick.
      const m = /^\d\. \*([^*]+)\*: \d+ sessions, \d+ messages/.exec(line);
      expect(m, line).not.toBeNull();
      expect(m![1]).not.toMatch(/[*~`]|(^|\W)_|_(\W|$)/);
    }
  });

  it('no name leaves a mention, a link or a raw angle bracket anywhere in the message', () => {
    for (const format of ['text', 'slack'] as const) {
      const out = renderDigest(digestWith(HOSTILE), format);
      expect(out).not.toContain('<!channel>');
      expect(out).not.toMatch(/<[@#!]/);
    }
  });
});
