import { describe, expect, it } from 'vitest';
import {
  capLength,
  cleanInsights,
  MAX_AUTO_INSIGHTS_CHARS,
  neutralizeLinks,
  neutralizeSlackMentions,
  removeUnknownPeople,
  singleHeading,
} from '../../functions/digest/insights-guard.ts';
import type { Digest } from '../../functions/digest/types.ts';

const digest = {
  heavyUsers: [{ user: 'kasama', sessions: 3, messages: 9, topSkill: null }],
  skillUsers: [{ name: 'create-pr', user: 'ines', count: 2 }],
  mcpUsers: [],
  skills: [],
  subagents: [{ name: 'explore', count: 1, people: 1, users: [{ user: 'anon_0123456789ab', count: 1 }] }],
  mcpServers: [],
  dashboardUrl: 'https://dash.example.org/team',
} as unknown as Digest;

describe('insights guards', () => {
  it('neutralises every Slack special mention and user, channel and group reference', () => {
    expect(
      neutralizeSlackMentions(
        '<!channel> <!here|here> <!everyone> <!subteam^S1|devs> <@U123|bob> <#C99|general> @here',
      ),
    ).toBe('channel here everyone devs a teammate #general here');
  });

  it('keeps links to the documented hosts and the dashboard, drops the rest to their label', () => {
    const hosts = new Set(['code.claude.com', 'dash.example.org']);
    expect(
      neutralizeLinks('<https://code.claude.com/docs|docs> <https://evil.example/a|a> <mailto:x@y.z>', hosts),
    ).toBe('<https://code.claude.com/docs|docs> a a link');
    expect(neutralizeLinks('see https://evil.example/x and https://dash.example.org/team', hosts)).toBe(
      'see a link and https://dash.example.org/team',
    );
    expect(neutralizeLinks('[guide](https://code.claude.com/g) [bad](https://evil.example)', hosts)).toBe(
      '<https://code.claude.com/g|guide> bad',
    );
  });

  it('removes people the digest does not show; keeps those it shows', () => {
    const shown = new Set(['kasama', 'ines', 'anon_0123456789ab']);
    expect(
      removeUnknownPeople(
        '@kasama and @Ines beat @ghost; mail carl@example.com or kasama@example.com',
        shown,
      ),
    ).toBe('@kasama and @Ines beat a teammate; mail a teammate or @kasama');
    expect(removeUnknownPeople('anon_0123456789ab and anon_ffffffffffff', shown)).toBe(
      'anon_0123456789ab and a teammate',
    );
  });

  it('leaves one heading: an Insights title is dropped, other headings become bold', () => {
    expect(singleHeading('*:sparkles: Insights*\n## What we saw\ntext\n# AI Insights:\nmore')).toBe(
      '*What we saw*\ntext\nmore',
    );
  });

  it('caps the length at a line break', () => {
    const long = Array.from({ length: 400 }, (_, i) => `• line ${i}`).join('\n');
    const capped = capLength(long);
    expect(capped.length).toBeLessThanOrEqual(MAX_AUTO_INSIGHTS_CHARS);
    expect(capped.endsWith('\n')).toBe(false);
    expect(long.startsWith(capped)).toBe(true);
  });

  it('cleanInsights applies them all', () => {
    const out = cleanInsights(
      '# Insights\r\n<!here> @kasama rocks, @zed not. <https://dash.example.org/team|dash>',
      digest,
    );
    expect(out).toBe('here @kasama rocks, a teammate not. <https://dash.example.org/team|dash>');
  });
});

describe('what the model is sent', () => {
  it('the dashboard link loses a query string that could hold a token; earlier insights are left out', async () => {
    const { aggregatesOf, insightsRequest } = await import('../../functions/digest/insights-prompt.ts');
    const withToken = {
      ...digest,
      dashboardUrl: 'https://dash.example.org/team?token=SECRET-123#x',
      insights: 'old',
    };
    expect(aggregatesOf(withToken as Digest).dashboardUrl).toBe('https://dash.example.org/team');
    const request = insightsRequest(withToken as Digest, null);
    expect(request.user).not.toContain('SECRET-123');
    expect(request.user).not.toContain('"insights"');
    expect(request.user).toMatch(/changelog could not be fetched/);
  });
});
