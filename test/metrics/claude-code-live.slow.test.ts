import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startIngestServer } from '../../functions/ingest/server.ts';
import { openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import { runNamedQuery } from '../../functions/sql/query-catalog.ts';
import { CLAUDE_BIN, CLAUDE_VERSION, captureClaudeMetrics } from './helpers/capture-claude-metrics.ts';
import { figuresByPerson } from './helpers/independent-figures.ts';

/**
 * The real Claude Code CLI (installed by .ci/run) run now, offline, with a scripted Write, Edit,
 * commit and PR: its metric requests replayed into `serve` give `productivity` equal to the figures
 * read independently from them, and the same figures as the committed fixtures.
 */
describe.skipIf(!existsSync(CLAUDE_BIN))(`real Claude Code ${CLAUDE_VERSION} metrics`, () => {
  it.each(['http/protobuf', 'http/json'] as const)(
    '%s, delta: productivity equals the raw requests',
    async (protocol) => {
      const requests = await captureClaudeMetrics(protocol, 'delta');
      expect(requests.length).toBeGreaterThan(0);
      const lake = await mkdtemp(join(tmpdir(), 'lake-cc-live-'));
      try {
        const server = await startIngestServer({ lake, port: 0, flushIntervalMs: 3_600_000 });
        try {
          for (const r of requests) {
            const headers: Record<string, string> = { 'content-type': r.contentType };
            if (r.contentEncoding) headers['content-encoding'] = r.contentEncoding;
            const res = await fetch(server.metricsUrl, {
              method: 'POST',
              headers,
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
            from: new Date(Date.now() - 86_400_000),
            to: new Date(Date.now() + 86_400_000),
            timeZone: 'UTC',
          };
          const { rows } = await runNamedQuery(engine, 'productivity', window);
          const expected = [
            ...figuresByPerson({ version: CLAUDE_VERSION, temporality: 'delta', requests }),
          ].map(([user_name, f]) => ({
            user_name,
            lines_added: f.lines_added,
            lines_removed: f.lines_removed,
            commits: f.commits,
            pull_requests: f.pull_requests,
            active_hours: Math.round((f.active_seconds / 3600) * 100) / 100,
          }));
          expect(rows).toEqual(expected);
          expect(rows[0]).toMatchObject({
            user_name: 'dev',
            lines_added: 8,
            lines_removed: 1,
            commits: 1,
            pull_requests: 1,
          });
        } finally {
          await engine.close();
        }
      } finally {
        await rm(lake, { recursive: true, force: true });
      }
    },
    240_000,
  );
});
