import { execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ScriptStep, startFakeMessagesApi } from './fake-messages-api.ts';

/**
 * Runs the real Claude Code CLI against the fake Messages API with a scripted Write, Edit,
 * `git commit` and `gh pr create` (a fake `gh` on PATH), and records every raw OTLP metrics
 * request it sends. Used to (re)capture the fixtures and by the live slow test.
 */
export const CLAUDE_VERSION = '2.1.328';
export const CLAUDE_BIN = join(
  process.env.HOME ?? '/root',
  '.cache/claude-otel-lake',
  `claude-code-${CLAUDE_VERSION}`,
  'node_modules/.bin/claude',
);

export interface CapturedRequest {
  readonly contentType: string;
  readonly contentEncoding: string | null;
  /** The body exactly as sent (still gzipped when it was), base64. */
  readonly bodyBase64: string;
}

export type Protocol = 'http/protobuf' | 'http/json';
export type Temporality = 'delta' | 'cumulative';

export const SCRIPT: readonly ScriptStep[] = [
  {
    tool: 'Write',
    input: { file_path: 'PLACEHOLDER/app.py', content: 'a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n' },
  },
  {
    tool: 'Edit',
    input: { file_path: 'PLACEHOLDER/app.py', old_string: 'b = 2\n', new_string: 'b = 20\nbb = 21\n' },
  },
  { tool: 'Bash', input: { command: 'git add -A && git commit -q -m "Add app"', description: 'Commit' } },
  { tool: 'Bash', input: { command: 'gh pr create --title "Add app" --body "x"', description: 'Open PR' } },
  { text: 'All done.' },
];

export async function captureClaudeMetrics(
  protocol: Protocol,
  temporality: Temporality,
): Promise<CapturedRequest[]> {
  const scratch = await mkdtemp(join(tmpdir(), 'claude-metrics-'));
  const work = join(scratch, 'work');
  const bin = join(scratch, 'bin');
  await mkdir(work);
  await mkdir(bin);
  await writeFile(join(bin, 'gh'), '#!/bin/sh\necho https://github.com/example/app/pull/7\n');
  await chmod(join(bin, 'gh'), 0o755);
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: work, env: { ...process.env, HOME: scratch } });
  git('init', '-q');
  git('config', 'user.email', 'dev@example.com');
  git('config', 'user.name', 'Dev');
  const script = SCRIPT.map((s) =>
    'tool' in s && typeof s.input.file_path === 'string'
      ? { ...s, input: { ...s.input, file_path: s.input.file_path.replace('PLACEHOLDER', work) } }
      : s,
  );
  const api = await startFakeMessagesApi(script);
  const captured: CapturedRequest[] = [];
  const sink = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/metrics') {
        captured.push({
          contentType: String(req.headers['content-type'] ?? ''),
          contentEncoding: req.headers['content-encoding'] ? String(req.headers['content-encoding']) : null,
          bodyBase64: Buffer.concat(chunks).toString('base64'),
        });
      }
      const json = String(req.headers['content-type']).includes('json');
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const { port } = sink.address() as AddressInfo;
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        CLAUDE_BIN,
        ['-p', 'Write app.py, edit it, commit and open a PR', '--allowedTools', 'Write,Edit,Bash'],
        {
          cwd: work,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            PATH: `${bin}:${process.env.PATH ?? ''}`,
            HOME: scratch,
            ANTHROPIC_BASE_URL: api.url,
            ANTHROPIC_API_KEY: 'sk-ant-test',
            CLAUDE_CODE_ENABLE_TELEMETRY: '1',
            OTEL_METRICS_EXPORTER: 'otlp',
            OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
            OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `http://127.0.0.1:${port}/v1/metrics`,
            OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: temporality,
            OTEL_METRIC_EXPORT_INTERVAL: '1000',
            OTEL_RESOURCE_ATTRIBUTES: 'user.email=dev@example.com',
            DISABLE_AUTOUPDATER: '1',
            CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          },
        },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      child.stdout.resume();
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`claude exited ${code}: ${stderr.slice(-500)}`));
      });
    });
  } finally {
    await api.close();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
    await rm(scratch, { recursive: true, force: true });
  }
  return captured;
}

// Run directly: tsx test/metrics/helpers/capture-claude-metrics.ts <out-dir>
if (process.argv[1]?.endsWith('capture-claude-metrics.ts')) {
  const out = process.argv[2] ?? 'test/fixtures/metrics';
  await mkdir(out, { recursive: true });
  for (const [protocol, temporality] of [
    ['http/protobuf', 'delta'],
    ['http/json', 'cumulative'],
  ] as const) {
    const requests = await captureClaudeMetrics(protocol, temporality);
    const name = `claude-code-${CLAUDE_VERSION}-${protocol === 'http/json' ? 'json' : 'protobuf'}-${temporality}.json`;
    await writeFile(
      join(out, name),
      `${JSON.stringify({ version: CLAUDE_VERSION, protocol, temporality, script: SCRIPT, requests }, null, 1)}\n`,
    );
    console.log(`${name}: ${requests.length} requests`);
  }
}
