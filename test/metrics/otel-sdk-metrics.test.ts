import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attributes } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { type IngestServer, startIngestServer } from '../../functions/ingest/server.ts';
import { userIdPseudonymizer } from '../../functions/schema/email.ts';
import { allFiles } from '../helpers/lake-files.ts';
import { queryLake, round, totalsInLake } from './helpers/metrics-lake.ts';
import { sdkMetricsClient, startForwarder } from './helpers/sdk-metrics.ts';

const TOKEN = 'metrics-token-0123456789';
const lakes: string[] = [];
afterAll(async () => {
  for (const lake of lakes) await rm(lake, { recursive: true, force: true });
});

const RESOURCE = { 'service.name': 'claude-code', 'service.version': '2.1.328', 'host.name': 'SECRET-host' };
const person = (email: string, userId: string): Attributes => ({
  'user.email': email,
  'user.id': userId,
  'session.id': `session-${email || 'anon'}`,
  'terminal.type': 'SECRET-terminal',
  query_source: 'SECRET-query-source',
});

/**
 * What Claude Code's counters record, as (metric, attributes, amount) steps between exports. The
 * expected totals are summed from these steps by the test, independently of the endpoint.
 */
type Step = readonly [metric: string, attributes: Attributes, amount: number];
const alice = person('Alice@Example.com', 'SECRET-alice-install');
const bob = { ...person('', 'SECRET-bob-install'), 'user.email': '' };
const ROUNDS: readonly (readonly Step[])[] = [
  [
    ['claude_code.lines_of_code.count', { ...alice, type: 'added', model: 'claude-sonnet-4-5' }, 5],
    ['claude_code.lines_of_code.count', { ...alice, type: 'removed', model: 'claude-sonnet-4-5' }, 2],
    ['claude_code.commit.count', alice, 1],
    ['claude_code.active_time.total', { ...alice, type: 'cli' }, 1.5],
    ['claude_code.secret.metric', alice, 9],
  ],
  [
    ['claude_code.lines_of_code.count', { ...alice, type: 'added', model: 'claude-sonnet-4-5' }, 3],
    ['claude_code.pull_request.count', alice, 1],
    ['claude_code.lines_of_code.count', { ...bob, type: 'added', model: 'claude-opus-4-5' }, 7],
    ['claude_code.cost.usage', { ...bob, model: 'claude-opus-4-5' }, 0.25],
  ],
  [], // an export with nothing new: cumulative resends the same totals later, adding nothing
];
/** After the endpoint restarted and Claude Code restarted (a counter reset for cumulative). */
const AFTER_RESET: readonly Step[] = [
  ['claude_code.lines_of_code.count', { ...alice, type: 'added', model: 'claude-sonnet-4-5' }, 4],
  [
    'claude_code.code_edit_tool.decision',
    { ...alice, decision: 'accept', tool_name: 'Edit', language: 'Python' },
    1,
  ],
  ['claude_code.commit.count', alice, 1],
];

function expectedTotals(): Record<string, number> {
  const pseudonym = userIdPseudonymizer({ mode: 'keep' });
  const totals: Record<string, number> = {};
  for (const [metric, attributes, amount] of [...ROUNDS.flat(), ...AFTER_RESET]) {
    if (metric === 'claude_code.secret.metric') continue;
    const email = String(attributes['user.email'] ?? '').toLowerCase();
    const who = email || pseudonym(String(attributes['user.id']));
    const key = `${metric}|${String(attributes.type ?? '')}|${who}`;
    totals[key] = round((totals[key] ?? 0) + amount);
  }
  return totals;
}

function record(client: ReturnType<typeof sdkMetricsClient>, steps: readonly Step[]): void {
  const meter = client.provider.getMeter('com.anthropic.claude_code', '2.1.328');
  for (const [metric, attributes, amount] of steps) meter.createCounter(metric).add(amount, attributes);
}

describe.each([
  { protocol: 'protobuf', temporality: 'delta', gzip: false },
  { protocol: 'protobuf', temporality: 'cumulative', gzip: true },
  { protocol: 'json', temporality: 'delta', gzip: true },
  { protocol: 'json', temporality: 'cumulative', gzip: false },
] as const)(
  'OTel SDK metrics exporter ($protocol, $temporality, gzip $gzip) -> /v1/metrics -> lake',
  (mode) => {
    it('stores per-interval increases whose sums equal what was counted, across an endpoint restart and a counter reset', async () => {
      const lake = await mkdtemp(join(tmpdir(), `lake-metrics-${mode.protocol}-${mode.temporality}-`));
      lakes.push(lake);
      const open = () => startIngestServer({ lake, port: 0, token: TOKEN, flushIntervalMs: 3_600_000 });
      let server: IngestServer = await open();
      const front = await startForwarder(() => server.url);
      const url = `${front.url}/v1/metrics`;
      try {
        let client = sdkMetricsClient({ ...mode, url, token: TOKEN, resource: RESOURCE });
        for (const steps of ROUNDS) {
          record(client, steps);
          await client.flush();
        }
        // The endpoint restarts (its series state must carry over), then Claude Code restarts:
        // a new process is a new cumulative series start, its counters begin again at 0.
        await server.close();
        server = await open();
        await client.shutdown();
        client = sdkMetricsClient({ ...mode, url, token: TOKEN, resource: RESOURCE });
        record(client, AFTER_RESET);
        await client.flush();
        await client.shutdown();
        expect(server.handler.stats.byStatus[200]).toBeGreaterThan(0);
      } finally {
        await server.close();
        await front.close();
      }
      expect(await totalsInLake(lake)).toEqual(expectedTotals());

      const temporalities = await queryLake(lake, 'SELECT DISTINCT temporality FROM metrics');
      expect(temporalities).toEqual([{ temporality: mode.temporality }]);
      const dropped = await queryLake(
        lake,
        `SELECT count(*) AS n FROM metrics WHERE metric_name = 'claude_code.secret.metric'`,
      );
      expect(dropped).toEqual([{ n: 0 }]);
      // Nothing not named survives anywhere under the lake: spool, state file, Parquet, errors log.
      for (const file of await allFiles(lake)) expect(file.bytes.includes('SECRET')).toBe(false);
      const everything = await queryLake(lake, 'SELECT * FROM metrics');
      expect(JSON.stringify(everything)).not.toContain('SECRET');
    });
  },
);
