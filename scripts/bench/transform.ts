import { loadavg } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { emailTransformer } from '../../functions/schema/email.ts';
import { transformBatch } from '../../functions/transform/transform-batch.ts';
import { type BenchSuite, peakRssMiB } from './bench-kit.ts';

/**
 * Issue 2, section 7: the Firehose transform on a realistic batch (about 1 MB of gzipped
 * CloudWatch subscription records, mixed Claude Code events with the attributes they really
 * carry) against the floor: base64 + gunzip + JSON.parse of the envelope and of every message.
 */
export const transformSuite: BenchSuite = {
  name: 'transform',
  async run() {
    const event = realisticBatch(1_000_000);
    const gzipBytes = event.records.reduce((n, r) => n + Buffer.byteLength(r.data, 'base64'), 0);
    const { events, rawBytes } = measureInput(event);
    const options = { email: emailTransformer({ mode: 'keep' }), reingester: noReingest };

    // Warm-ups one stage at a time, so each peak RSS belongs to its stage.
    for (let i = 0; i < WARMUPS; i++) floor(event);
    const floorRss = peakRssMiB();
    for (let i = 0; i < WARMUPS; i++) await transformBatch(event, options);
    const transformRss = peakRssMiB();
    // Then the two alternate, so that load from other processes hits both alike.
    const floorTimes: number[] = [];
    const transformTimes: number[] = [];
    const ratios: number[] = [];
    const load = loadavg()[0]!;
    for (let i = 0; i < RUNS; i++) {
      floorTimes.push(await timeMs(() => floor(event)));
      transformTimes.push(await timeMs(() => transformBatch(event, options)));
      ratios.push(transformTimes[i]! / floorTimes[i]!);
    }
    const { log } = await transformBatch(event, options);

    const row = (what: string, times: number[], rss: number, ratio: number) => {
      const ms = median(times);
      return {
        what,
        'median ms': ms.toFixed(1),
        'fastest ms': Math.min(...times).toFixed(1),
        'events/s': Math.round(events / (ms / 1000)).toLocaleString('en-US'),
        'MB/s decompressed': (rawBytes / 1e6 / (ms / 1000)).toFixed(1),
        'peak RSS MiB (process)': rss,
        'x floor': ratio.toFixed(2),
      };
    };
    return [
      {
        title: 'Transform (issue 2): Firehose batch vs. gunzip + JSON.parse floor',
        rows: [
          row('floor: base64 + gunzip + JSON.parse', floorTimes, floorRss, 1),
          row('transform (transformBatch)', transformTimes, transformRss, median(ratios)),
        ],
        notes: [
          `Input: ${event.records.length} Firehose records, ${(gzipBytes / 1e6).toFixed(2)} MB gzipped, ` +
            `${(rawBytes / 1e6).toFixed(2)} MB decompressed, ${events.toLocaleString('en-US')} log events ` +
            `(${log.events.rows.toLocaleString('en-US')} rows, ${log.events.skipped} skipped, ${log.events.rejected} rejected); ` +
            `output ${(log.bytes.out / 1e6).toFixed(2)} MB base64, response ${(log.bytes.response / 1e6).toFixed(2)} MB.`,
          `Median of ${RUNS} alternating floor/transform runs after ${WARMUPS} warm-ups of each, in one process; ` +
            `"x floor" is the median of the per-pair ratios (robust to load that drifts during the run). ` +
            `Peak RSS is the process maximum after each stage's warm-ups. Load average at start: ${load.toFixed(1)}.`,
        ],
      },
    ];
  },
};

const RUNS = 15;
const WARMUPS = 5;

async function timeMs(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const noReingest = { put: () => Promise.reject(new Error('the bench batch must fit one response')) };

function floor(event: FirehoseTransformationEvent): number {
  let n = 0;
  for (const record of event.records) {
    const payload = JSON.parse(gunzipSync(Buffer.from(record.data, 'base64')).toString('utf8'));
    for (const e of payload.logEvents) if (JSON.parse(e.message)) n++;
  }
  return n;
}

function measureInput(event: FirehoseTransformationEvent): { events: number; rawBytes: number } {
  let events = 0;
  let rawBytes = 0;
  for (const record of event.records) {
    const raw = gunzipSync(Buffer.from(record.data, 'base64'));
    rawBytes += raw.length;
    events += JSON.parse(raw.toString('utf8')).logEvents.length;
  }
  return { events, rawBytes };
}

/** Deterministic pseudo-random numbers (mulberry32), so every run sees the same batch. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Firehose records of CloudWatch DATA_MESSAGEs (~200 events each) until `gzipTarget` bytes. */
export function realisticBatch(gzipTarget: number): FirehoseTransformationEvent {
  const rand = prng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const users = Array.from({ length: 40 }, (_, i) => ({
    email: `dev${i}@example.com`,
    session: uuid(),
    install: hex(64),
    version: pick(['2.1.119', '2.1.121', '2.1.122', '2.1.126']),
  }));
  const records: FirehoseTransformationEvent['records'] = [];
  let gzipBytes = 0;
  let seq = 0;
  let t = Date.UTC(2026, 0, 5, 9);
  while (gzipBytes < gzipTarget) {
    const logEvents = Array.from({ length: 200 }, () => {
      const u = pick(users);
      t += Math.floor(rand() * 400);
      const numbers = u.version >= '2.1.122';
      const num = (v: number) => (numbers ? v : String(v));
      const attrs: Record<string, unknown> = {
        'session.id': u.session,
        'app.version': u.version,
        'organization.id': 'a1b2c3d4-0000-4000-8000-000000000001',
        'user.account_uuid': uuid(),
        'user.account_id': `user_${hex(24)}`,
        'user.id': u.install,
        'user.email': u.email,
        'terminal.type': pick(['vscode', 'iTerm.app', 'tmux', 'cursor']),
        'event.timestamp': new Date(t).toISOString(),
        'event.sequence': ++seq,
        'prompt.id': uuid(),
        'user.plan': 'team',
      };
      const r = rand();
      let name: string;
      if (r < 0.35) {
        name = 'api_request';
        const input = Math.floor(rand() * 5000);
        Object.assign(attrs, {
          model: pick(['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5']),
          cost_usd: num(Math.round(rand() * 1e6) / 1e7),
          duration_ms: num(Math.floor(rand() * 30000)),
          input_tokens: num(input),
          output_tokens: num(Math.floor(rand() * 2000)),
          cache_read_tokens: num(Math.floor(rand() * 90000)),
          cache_creation_tokens: num(Math.floor(rand() * 5000)),
          query_source: pick(['repl_main_thread', 'Explore', 'general-purpose']),
          request_id: `req_${hex(24)}`,
          speed: 'normal',
        });
      } else if (r < 0.6) {
        name = 'tool_result';
        const tool = pick(['Bash', 'Read', 'Edit', 'Grep', 'Agent', 'mcp_tool', 'Skill']);
        Object.assign(attrs, {
          tool_name: tool,
          success: pick(['true', 'true', 'true', 'false']),
          duration_ms: String(Math.floor(rand() * 5000)),
          decision_type: 'accept',
          decision_source: pick(['config', 'user_temporary', 'user_permanent']),
          tool_use_id: `toolu_${hex(24)}`,
          tool_parameters: JSON.stringify(
            tool === 'Bash'
              ? {
                  bash_command: 'npm',
                  full_command: `npm test -- --grep ${hex(8)}`,
                  description: 'Run the tests',
                }
              : tool === 'Agent'
                ? { subagent_type: 'Explore', description: 'Find the config loader' }
                : tool === 'mcp_tool'
                  ? { mcp_server_name: 'github', mcp_tool_name: 'search_code' }
                  : tool === 'Skill'
                    ? { skill_name: 'release-notes' }
                    : { file_path: `/Users/dev/src/app/${hex(6)}.ts` },
          ),
        });
      } else if (r < 0.75) {
        name = 'tool_decision';
        Object.assign(attrs, {
          tool_name: pick(['Bash', 'Edit', 'Write']),
          decision: 'accept',
          source: 'config',
        });
      } else if (r < 0.83) {
        name = 'user_prompt';
        Object.assign(attrs, { prompt_length: String(Math.floor(rand() * 2000)), prompt: '<REDACTED>' });
      } else if (r < 0.85) {
        name = 'api_error';
        Object.assign(attrs, {
          model: 'claude-sonnet-4-5',
          error: 'Overloaded',
          status_code: num(529),
          attempt: num(1),
        });
      } else if (r < 0.87) {
        name = 'skill_activated';
        Object.assign(attrs, {
          'skill.name': 'pdf',
          invocation_trigger: 'user-slash',
          'skill.source': 'plugin',
        });
      } else {
        name = pick([
          'assistant_response',
          'hook_execution_complete',
          'mcp_server_connection',
          'permission_mode_changed',
        ]);
        Object.assign(attrs, { hook_event: 'PreToolUse', status: 'ok' });
      }
      attrs['event.name'] = name;
      const message = {
        resource: {
          attributes: {
            'service.name': 'claude-code',
            'service.version': u.version,
            'os.type': 'darwin',
            'os.version': '24.1.0',
            'host.arch': 'arm64',
            'user.plan': 'team',
          },
        },
        body: `claude_code.${name}`,
        attributes: attrs,
      };
      return { id: `${t}${hex(40)}`, timestamp: t, message: JSON.stringify(message) };
    });
    const payload = {
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/claude-code/otel',
      logStream: 'team',
      subscriptionFilters: ['claude-otel-lake'],
      logEvents,
    };
    const data = gzipSync(JSON.stringify(payload));
    gzipBytes += data.length;
    records.push({
      recordId: `r${records.length}`,
      approximateArrivalTimestamp: t,
      data: data.toString('base64'),
    });
  }
  return {
    invocationId: 'bench',
    deliveryStreamArn: 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/bench',
    region: 'eu-west-1',
    records,
  };
}
