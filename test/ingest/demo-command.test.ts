import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../scripts/cli.ts';
import { startServe } from '../../scripts/commands/serve.ts';
import { captureIO } from '../helpers/cli-io.ts';
import { lakeRows } from '../helpers/lake-files.ts';

/**
 * `demo` end to end through the real CLI: OTel SDK exporter -> endpoint -> Parquet -> DuckDB,
 * the totals it prints against the rows in the lake, and the running-endpoint path with a token.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-cmd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const capture = (env: NodeJS.ProcessEnv = {}) => captureIO(dir, env);

const totalOf = (text: string, label: string): string | undefined =>
  new RegExp(`^  ${label}\\s+(\\S+)$`, 'm').exec(text)?.[1];

describe('demo', () => {
  it('fills the lake through the endpoint and prints totals that match the stored rows', async () => {
    const { io, out, err } = capture();
    const code = await runCli(
      ['demo', '--lake', 'lake-own', '--team', '3', '--days', '2', '--seed', '7'],
      io,
    );
    expect(err.join('\n')).toMatch(/events acknowledged/);
    expect(code).toBe(0);
    const rows = await lakeRows(join(dir, 'lake-own'));
    const text = out.join('\n');
    expect(text).toContain(`The lake holds ${rows.length} rows`);
    const prompts = rows.filter((r) => r.event_name === 'user_prompt').length;
    const requests = rows.filter((r) => r.event_name === 'api_request').length;
    const cost = rows.reduce((n, r) => n + (Number(r.cost_usd) || 0), 0);
    // The demo prints the last --days whole days (UTC), which hold every generated event.
    expect(text).toMatch(/^Team totals, last 2 whole days: /m);
    const en = (n: number, digits = 0) =>
      n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    expect(totalOf(text, 'Messages')).toBe(en(prompts));
    expect(totalOf(text, 'API requests')).toBe(en(requests));
    expect(totalOf(text, 'API-equivalent cost')).toBe(`$${en(cost, 2)}`);
    expect(prompts).toBeGreaterThan(0);
  });

  it('sends to a running serve; without its token it fails with a message naming the cause', async () => {
    const token = 'demo-token-0123456789';
    const served = capture();
    const server = await startServe(['--lake', 'lake-served', '--port', '0', '--token', token], served.io);
    // `demo` asks a running serve to flush with SIGUSR2; here serve runs in this process, so
    // answer the signal the way the serve command does.
    const flushOnSignal = () => void server?.flush();
    process.on('SIGUSR2', flushOnSignal);
    try {
      const wrong = capture();
      const failed = await runCli(['demo', '--lake', 'lake-served', '--team', '1', '--days', '1'], wrong.io);
      expect(failed).not.toBe(0);
      expect(wrong.err.join('\n')).toMatch(/not accepted .*401|401.*not accepted/s);

      const right = capture({ CLAUDE_OTEL_LAKE_TOKEN: token });
      const ok = await runCli(['demo', '--lake', 'lake-served', '--team', '1', '--days', '1'], right.io);
      expect(right.err.join('\n')).toContain(`sending to the running endpoint (pid ${process.pid})`);
      expect(ok).toBe(0);
      expect(right.out.join('\n')).toMatch(/The lake holds [1-9]\d* rows/);
    } finally {
      process.off('SIGUSR2', flushOnSignal);
      await server?.close();
    }
  });
});
