import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startIngestServer } from '../../functions/ingest/server.ts';
import { openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import { runNamedQuery } from '../../functions/sql/query-catalog.ts';
import { figuresByPerson, loadFixture } from './helpers/independent-figures.ts';

const TOKEN = 'fixture-token-0123456789';
const lakes: string[] = [];
afterAll(async () => {
  for (const lake of lakes) await rm(lake, { recursive: true, force: true });
});

/** Real Claude Code 2.1.328 requests: a scripted Write, Edit, `git commit` and `gh pr create`. */
describe.each(['claude-code-2.1.328-protobuf-delta.json', 'claude-code-2.1.328-json-cumulative.json'])(
  '%s',
  (name) => {
    const fixture = loadFixture(name);

    it('productivity equals the figures computed from the raw requests', async () => {
      const lake = await mkdtemp(join(tmpdir(), 'lake-cc-metrics-'));
      lakes.push(lake);
      const server = await startIngestServer({ lake, port: 0, token: TOKEN, flushIntervalMs: 3_600_000 });
      try {
        for (const request of fixture.requests) {
          const headers: Record<string, string> = {
            'content-type': request.contentType,
            authorization: `Bearer ${TOKEN}`,
          };
          if (request.contentEncoding) headers['content-encoding'] = request.contentEncoding;
          const res = await fetch(server.metricsUrl, {
            method: 'POST',
            headers,
            body: Buffer.from(request.bodyBase64, 'base64'),
          });
          expect(res.status).toBe(200);
          // Every point Claude Code sends is a kept, monotonic sum: no partial success.
          const answer = request.contentType.includes('json') ? await res.json() : {};
          expect(answer).toEqual({});
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
        const { rows } = await runNamedQuery(engine, 'productivity', window);
        const expected = [...figuresByPerson(fixture)].map(([user_name, f]) => ({
          user_name,
          lines_added: f.lines_added,
          lines_removed: f.lines_removed,
          commits: f.commits,
          pull_requests: f.pull_requests,
          active_hours: Math.round((f.active_seconds / 3600) * 100) / 100,
        }));
        expect(rows).toEqual(expected);
        // The script's figures, as Claude Code counts them (a 5-line file with its final newline is 6 lines).
        expect(rows[0]).toMatchObject({
          user_name: 'dev',
          lines_added: 8,
          lines_removed: 1,
          commits: 1,
          pull_requests: 1,
        });
        const acceptance = await runNamedQuery(engine, 'code_edit_acceptance', window);
        expect(acceptance.rows).toEqual([
          { tool_name: 'Edit', accepted: 1, rejected: 0, acceptance_pct: 100 },
          { tool_name: 'Write', accepted: 1, rejected: 0, acceptance_pct: 100 },
        ]);
      } finally {
        await engine.close();
      }
    });
  },
);
