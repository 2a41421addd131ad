import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoEvent } from '../../functions/demo/team-activity.ts';
import { listSegments } from '../../functions/lake/flush-segment.ts';
import { type ServeProcess, spawnServe } from '../../scripts/spawn-serve.ts';
import { lakeRows } from '../helpers/lake-files.ts';
import { exportRequest, PROTOBUF, post, protobufBody } from '../helpers/otlp-requests.ts';

/**
 * kill -9 under load, then restart: every event whose request was answered 200 is in the lake
 * exactly once. Runs the real CLI (`claude-otel-lake serve`) as a child process.
 */
const BASE = Date.UTC(2026, 0, 5, 9);
let lake: string;
const children: ChildProcess[] = [];
const lakes: string[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of lakes) await rm(dir, { recursive: true, force: true });
});

async function startServe(): Promise<ServeProcess> {
  const serve = await spawnServe(lake, ['--flush-seconds', '1', '--flush-mb', '1']);
  children.push(serve.child);
  return serve;
}

function event(worker: number, sequence: number): DemoEvent {
  const time = BASE + sequence * 1000;
  return {
    body: 'claude_code.api_request',
    timeMs: time,
    resource: { 'service.name': 'claude-code' },
    attributes: {
      'session.id': `worker-${worker}`,
      'event.sequence': sequence,
      'event.timestamp': new Date(time).toISOString(),
      model: 'claude-sonnet-4-5',
      input_tokens: sequence,
      cost_usd: 0.001,
      prompt: 'SECRET',
    },
  };
}

/** Workers post 10-event protobuf requests until stopped; returns the keys of acknowledged events. */
function load(logsUrl: string, workers: number, firstSequence: number) {
  const acked: string[] = [];
  let stopped = false;
  let next = firstSequence;
  const run = async (worker: number) => {
    while (!stopped) {
      const start = next;
      next += 10;
      const events = Array.from({ length: 10 }, (_, i) => event(worker, start + i));
      try {
        const res = await post(logsUrl, protobufBody(exportRequest(events)), PROTOBUF);
        if (res.status === 200)
          acked.push(...events.map((e) => `${e.attributes['session.id']}/${e.attributes['event.sequence']}`));
      } catch {
        // Connection cut by the kill: not acknowledged.
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const running = Promise.all(Array.from({ length: workers }, (_, w) => run(w)));
  return {
    acked,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

describe('kill -9 under load', () => {
  it('recovers every acknowledged event exactly once', async () => {
    lake = await mkdtemp(join(tmpdir(), 'lake-crash-'));
    lakes.push(lake);
    const acked: string[] = [];
    let sequence = 0;
    for (const runFor of [1500, 2300]) {
      const { child, logsUrl } = await startServe();
      const traffic = load(logsUrl, 6, sequence);
      await new Promise((r) => setTimeout(r, runFor));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      await traffic.stop();
      acked.push(...traffic.acked);
      sequence += 1_000_000;
    }
    expect(acked.length).toBeGreaterThan(200);
    // The kills left acknowledged rows in the spool, so the restart really has to recover them.
    const left = await Promise.all((await listSegments(lake)).map((s) => stat(s)));
    expect(left.some((s) => s.size > 0)).toBe(true);
    // Restart: recovery flushes what the killed processes left in the spool; then a clean stop.
    const { child } = await startServe();
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    expect(await listSegments(lake)).toEqual([]);

    const rows = await lakeRows(lake);
    const counts = new Map<string, number>();
    for (const row of rows) {
      const key = `${row.session_id}/${row.event_sequence}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const missing = acked.filter((key) => counts.get(key) !== 1);
    expect(missing).toEqual([]);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('SECRET');
  });

  it('SIGTERM under load: exits 0 with every acknowledged event once and nothing unacknowledged stored', async () => {
    lake = await mkdtemp(join(tmpdir(), 'lake-term-'));
    lakes.push(lake);
    const { child, logsUrl } = await startServe();
    const traffic = load(logsUrl, 6, 0);
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    await traffic.stop();
    expect(code).toBe(0);
    expect(traffic.acked.length).toBeGreaterThan(200);
    expect(await listSegments(lake)).toEqual([]);
    const keys = (await lakeRows(lake)).map((row) => `${row.session_id}/${row.event_sequence}`);
    // Requests that arrive while it shuts down get 503 before their body is read, and requests
    // already in progress get their 200: the lake holds exactly what was acknowledged.
    expect(keys.sort()).toEqual([...traffic.acked].sort());
  });
});
