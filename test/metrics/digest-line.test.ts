import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDigest, type DigestInputs } from '../../functions/digest/build-digest.ts';
import { composeDigest, outputLine } from '../../functions/digest/compose.ts';
import { digestInputsOf } from '../../functions/digest/from-queries.ts';
import { describePeriod, digestWindows } from '../../functions/digest/period.ts';
import { startIngestServer } from '../../functions/ingest/server.ts';
import { openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import { runNamedQuery } from '../../functions/sql/query-catalog.ts';
import { loadFixture } from './helpers/independent-figures.ts';

describe('the digest line from the metrics', () => {
  it('says what Claude Code helped ship, from team_totals over real Claude Code metrics', async () => {
    const lake = await mkdtemp(join(tmpdir(), 'lake-digest-metrics-'));
    try {
      const server = await startIngestServer({ lake, port: 0, flushIntervalMs: 3_600_000 });
      try {
        for (const r of loadFixture('claude-code-2.1.328-protobuf-delta.json').requests) {
          const res = await fetch(server.metricsUrl, {
            method: 'POST',
            headers: { 'content-type': r.contentType },
            body: Buffer.from(r.bodyBase64, 'base64'),
          });
          expect(res.status).toBe(200);
        }
      } finally {
        await server.close();
      }
      const engine = await openDuckDbEngine({ lake, threads: 1 });
      try {
        const window = {
          from: new Date('2026-01-01T00:00:00Z'),
          to: new Date('2027-12-31T00:00:00Z'),
          timeZone: 'UTC',
        };
        const totals = await runNamedQuery(engine, 'team_totals', window);
        expect(totals.rows[0]).toMatchObject({
          lines_added: 8,
          lines_removed: 1,
          commits: 1,
          pull_requests: 1,
        });
        const empty = { columns: [], rows: [] };
        const inputs = digestInputsOf({
          current: {
            team_totals: totals,
            top_skills: empty,
            top_subagents: empty,
            top_mcp_servers: empty,
            per_user_activity: empty,
            top_models: empty,
          } as never,
          weekOverWeek: await runNamedQuery(engine, 'week_over_week', window),
        });
        expect(inputs.totals.output).toEqual({ linesAdded: 8, commits: 1, pullRequests: 1 });
      } finally {
        await engine.close();
      }
    } finally {
      await rm(lake, { recursive: true, force: true });
    }
  });

  it('is in the totals section when there was output, and absent without it', () => {
    const base = {
      activeUsers: 2,
      sessions: 3,
      messages: 4,
      skills: 0,
      subagents: 0,
      mcpCalls: 0,
      costUsd: 1.5,
    };
    const inputs = (output?: DigestInputs['totals']['output']): DigestInputs => ({
      totals: output ? { ...base, output } : base,
      previousTotals: base,
      skillUsers: [],
      subagentUsers: [],
      mcpUsers: [],
      userActivity: [],
      models: [],
      cacheHitRate: null,
    });
    const ctx = {
      period: describePeriod(digestWindows(new Date('2026-01-12T09:00:00Z'), 7, 'UTC').current, 7),
      generatedAt: new Date('2026-01-12T09:00:00Z'),
    };
    const withOutput = JSON.stringify(
      composeDigest(buildDigest(inputs({ linesAdded: 1234, commits: 5, pullRequests: 1 }), ctx)),
    );
    expect(withOutput).toContain(
      'Claude Code helped ship *1,234 lines of code*, 5 commits and 1 pull request.',
    );
    const zero = buildDigest(inputs({ linesAdded: 0, commits: 0, pullRequests: 0 }), ctx);
    expect(zero.totals.output).toBeUndefined();
    expect(JSON.stringify(composeDigest(zero))).not.toContain('helped ship');
    expect(outputLine({ linesAdded: 1, commits: 1, pullRequests: 2 })).toBe(
      ':rocket: Claude Code helped ship *1 line of code*, 1 commit and 2 pull requests.',
    );
  });
});
