import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advertisedUrl } from '../../functions/ingest/settings-block.ts';
import { runCli } from '../../scripts/cli.ts';
import { startServe } from '../../scripts/commands/serve.ts';
import { captureIO } from '../helpers/cli-io.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'serve-cmd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const capture = (env: NodeJS.ProcessEnv = {}) => captureIO(dir, env);

/** The first top-level JSON object in the printed text. */
function settingsJson(text: string): { env: Record<string, string> } {
  const start = text.indexOf('{\n');
  const end = text.indexOf('\n}', start);
  return JSON.parse(text.slice(start, end + 2));
}

describe('serve', () => {
  it('prints a valid settings.json env block pointing at the bound endpoint, and the opt-out', async () => {
    const { io, out } = capture();
    const server = await startServe(['--lake', 'lake-a', '--port', '0'], io);
    try {
      const text = out.join('\n');
      const settings = settingsJson(text);
      expect(settings).toEqual({
        env: {
          CLAUDE_CODE_ENABLE_TELEMETRY: '1',
          OTEL_LOGS_EXPORTER: 'otlp',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: server!.logsUrl,
          OTEL_LOG_TOOL_DETAILS: '1',
          OTEL_METRICS_EXPORTER: 'otlp',
          OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: server!.metricsUrl,
          OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
        },
      });
      expect(server!.logsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/logs$/);
      expect(text).toContain('"CLAUDE_CODE_ENABLE_TELEMETRY": "0"');
      expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
    } finally {
      await server?.close();
    }
  });

  it('adds the Authorization header when a token is set (from the environment)', async () => {
    const { io, out, err } = capture({ CLAUDE_OTEL_LAKE_TOKEN: 'env-token-123456' });
    const server = await startServe(['--lake', 'lake-b', '--port', '0'], io);
    try {
      expect(settingsJson(out.join('\n')).env.OTEL_EXPORTER_OTLP_HEADERS).toBe(
        'Authorization=Bearer env-token-123456',
      );
      expect(err.join('\n')).not.toContain('env-token-123456');
    } finally {
      await server?.close();
    }
  });

  it('prints a reachable endpoint for a wildcard bind: the machine name, never 0.0.0.0', () => {
    expect(advertisedUrl('http://0.0.0.0:4318/v1/logs', 'build-box')).toBe('http://build-box:4318/v1/logs');
    expect(advertisedUrl('http://[::]:4318', 'build-box')).toBe('http://build-box:4318');
    expect(advertisedUrl('http://0.0.0.0:4318')).toBe(`http://${hostname().toLowerCase()}:4318`);
    expect(advertisedUrl('http://127.0.0.1:4318/v1/logs')).toBe('http://127.0.0.1:4318/v1/logs');
    expect(advertisedUrl('http://[::1]:4318')).toBe('http://[::1]:4318');
  });

  it('refuses bad flags and a second writer on the same lake', async () => {
    const { io, err } = capture();
    expect(await runCli(['serve', '--port', 'x'], io)).toBe(2);
    expect(await runCli(['serve', '--host', '0.0.0.0'], io)).toBe(2);
    expect(await runCli(['serve', '--email-mode', 'hmac'], io)).toBe(2);
    expect(await runCli(['serve', '--compact-minutes', 'hourly'], io)).toBe(2);
    await writeFile(join(io.cwd, 'not-a-dir'), 'x');
    expect(await runCli(['serve', '--lake', 'not-a-dir', '--port', '0'], io)).toBe(1);
    expect(err.join('\n')).toMatch(/--lake \S+not-a-dir is a file, not a directory/);
    expect(err.join('\n')).toContain('--compact-minutes must be a whole number; got "hourly"');
    const server = await startServe(['--lake', 'lake-c', '--port', '0'], capture().io);
    try {
      expect(await runCli(['serve', '--lake', 'lake-c', '--port', '0'], io)).toBe(1);
      expect(err.join('\n')).toMatch(/another serve \(pid \d+\) is writing/);
    } finally {
      await server?.close();
    }
  });
});
