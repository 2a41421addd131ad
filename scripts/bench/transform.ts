import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { emailTransformer } from '../../functions/schema/email.ts';
import { transformBatch } from '../../functions/transform/transform-batch.ts';
import type { BenchSuite } from './bench-kit.ts';
import { firehoseWorkload } from './firehose-workload.ts';
import { PythonBaseline, responseRows } from './python-baseline.ts';

/**
 * Issue 14: the Firehose transform against the seed-style Python sanitizer (seed_sanitizer.py,
 * the same decode-filter-encode, checked to produce the same rows) and against the floor (base64 +
 * gunzip + JSON.parse of the envelope and of every message), on two workloads of 30,000 events in
 * Firehose-sized invocations. Goals: >= 1.4x faster than Python, <= 1.5x the floor.
 */
const EVENTS = 30_000;
const RUNS = 5;
const WARMUPS = 2;
export const TRANSFORM_GOALS = { vsPython: 1.4, vsFloor: 1.5 } as const;

const WORKLOADS = {
  project: { privateKeys: 0, label: "the project's batch" },
  'private-keys': { privateKeys: 30, label: '30 extra private keys per event' },
} as const;

export const transformSuite: BenchSuite = {
  name: 'transform',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'bench-transform-'));
    const inputs = Object.fromEntries(
      Object.entries(WORKLOADS).map(([name, w]) => [
        name,
        firehoseWorkload({
          events: EVENTS,
          perPayload: 500,
          batchGzipBytes: 1_000_000,
          privateKeys: w.privateKeys,
        }),
      ]),
    );
    const python = new PythonBaseline(join(dir, 'input.json'), inputs);
    const options = { email: emailTransformer({ mode: 'keep' }), reingester: noReingest };
    const transformAll = async (invocations: readonly FirehoseTransformationEvent[]) => {
      const out = [];
      for (const invocation of invocations) out.push(await transformBatch(invocation, options));
      return out;
    };
    // As a Lambda container does: one invocation at a time, its response handed on, not kept.
    const transformEach = async (invocations: readonly FirehoseTransformationEvent[]) => {
      for (const invocation of invocations) await transformBatch(invocation, options);
    };
    const rows = [];
    const notes: string[] = [];
    try {
      for (const [name, w] of Object.entries(WORKLOADS)) {
        const invocations = inputs[name]!;
        // Same output first: Python's rows must equal the transform's, row by row. In its own
        // scope, and collected before the clock: 60,000 decoded rows left in the heap made every
        // later collection (the transform allocates most) several times dearer.
        const rowCount = await sameRowsAsPython(name, invocations, transformAll, python, dir);
        globalThis.gc?.();

        for (let i = 0; i < WARMUPS; i++) {
          floor(invocations);
          await transformEach(invocations);
          await python.run(name);
        }
        const load = loadavg()[0]!;
        const times = { floor: [] as number[], transform: [] as number[], python: [] as number[] };
        const vsFloor: number[] = [];
        const vsPython: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          times.floor.push(cpuMs(() => floor(invocations)));
          const start = process.cpuUsage();
          await transformEach(invocations);
          times.transform.push(cpuSince(start));
          times.python.push(await python.run(name));
          vsFloor.push(times.transform[i]! / times.floor[i]!);
          vsPython.push(times.python[i]! / times.transform[i]!);
        }
        const { gzip, raw } = inputSize(invocations);
        const xFloor = median(vsFloor);
        const xPython = median(vsPython);
        rows.push({
          workload: w.label,
          'floor CPU ms': median(times.floor).toFixed(0),
          'transform CPU ms': median(times.transform).toFixed(0),
          'Python CPU ms': median(times.python).toFixed(0),
          'transform events/s': Math.round(EVENTS / (median(times.transform) / 1000)).toLocaleString('en-US'),
          'x faster than Python (goal >= 1.4)': xPython.toFixed(2),
          'x floor (goal <= 1.5)': xFloor.toFixed(2),
          result: xPython >= TRANSFORM_GOALS.vsPython && xFloor <= TRANSFORM_GOALS.vsFloor ? 'pass' : 'miss',
        });
        notes.push(
          `${w.label}: ${invocations.length} invocations, ${invocations.reduce((n, i) => n + i.records.length, 0)} records, ` +
            `${(gzip / 1e6).toFixed(2)} MB gzipped, ${(raw / 1e6).toFixed(1)} MB decompressed, ${rowCount.toLocaleString('en-US')} rows ` +
            `(identical in Python); load average ${load.toFixed(1)}.`,
        );
      }
    } finally {
      python.close();
      rmSync(dir, { recursive: true, force: true });
    }
    return [
      {
        title: 'Transform (issue 14): Firehose transform vs. seed-style Python vs. floor, 30,000 events',
        rows,
        notes: [
          ...notes,
          `Invocations of ~1 MB gzipped input, 500 events per CloudWatch payload. Per workload ${WARMUPS} warm-ups, then ${RUNS} rounds of ` +
            'floor, transform, Python (one pass over every invocation each); the ratios are medians of the per-round ratios. ' +
            "Times are CPU time (user + system of the process), not wall time, so that the other engineers' load on the shared machine " +
            'moves them less; Python (python3, json + gzip + base64, seed_sanitizer.py) is a long-lived process timing itself ' +
            '(time.process_time), so its start-up is excluded; ' +
            'floor = base64 + gunzip + JSON.parse of the envelope and of every message.',
        ],
      },
    ];
  },
};

async function sameRowsAsPython(
  name: string,
  invocations: readonly FirehoseTransformationEvent[],
  transformAll: (
    i: readonly FirehoseTransformationEvent[],
  ) => Promise<{ response: FirehoseTransformationResult }[]>,
  python: PythonBaseline,
  dir: string,
): Promise<number> {
  const ours = (await transformAll(invocations)).map((r) => responseRows(r.response));
  const theirs = (await python.responses(name, join(dir, `${name}.out.json`))).map(responseRows);
  if (!isDeepStrictEqual(ours, theirs)) throw new Error(`${name}: the Python baseline's rows differ`);
  return ours.reduce((n, r) => n + r.length, 0);
}

/** CPU time (user + system, all threads of this process), which other processes' load barely moves. */
function cpuMs(fn: () => unknown): number {
  const start = process.cpuUsage();
  fn();
  return cpuSince(start);
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const noReingest = { put: () => Promise.reject(new Error('the bench batch must fit one response')) };

function floor(invocations: readonly FirehoseTransformationEvent[]): number {
  let n = 0;
  for (const event of invocations) {
    for (const record of event.records) {
      const payload = JSON.parse(gunzipSync(Buffer.from(record.data, 'base64')).toString('utf8'));
      for (const e of payload.logEvents) if (JSON.parse(e.message)) n++;
    }
  }
  return n;
}

function inputSize(invocations: readonly FirehoseTransformationEvent[]): { gzip: number; raw: number } {
  let gzip = 0;
  let raw = 0;
  for (const event of invocations) {
    for (const record of event.records) {
      const bytes = Buffer.from(record.data, 'base64');
      gzip += bytes.length;
      raw += gunzipSync(bytes).length;
    }
  }
  return { gzip, raw };
}
