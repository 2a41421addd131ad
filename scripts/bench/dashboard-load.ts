import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM } from '../chromium.ts';
import { CLI } from '../spawn-serve.ts';
import type { BenchSuite } from './bench-kit.ts';
import { writeDemoLake } from './demo-lake.ts';
import { type RecordedRequest, recordPageLoad, replayPageLoad } from './page-requests.ts';
import { median } from './startup.ts';

/**
 * Issue 14: the dashboard's cold load of its default view on the demo lake. The requests are the
 * page's own, recorded from Chromium loading it (page-requests.ts): the page, its styles and
 * module scripts, /api/meta, then the one /api/batch of every panel. Each run is a fresh
 * `claude-otel-lake dashboard --port 0` process (DuckDB opened, nothing computed, nothing cached);
 * the clock runs from the first request to the last answer.
 */
const RUNS = 5;
export const DASHBOARD_GOAL_MS = 1000;

export const dashboardSuite: BenchSuite = {
  name: 'dashboard',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'bench-dashboard-'));
    try {
      const lake = join(dir, 'lake');
      const rows = await writeDemoLake(lake);
      const load = loadavg()[0]!;
      // The recording is a cold load too (it also warms the OS file cache); not in the median.
      const recorded = await withDashboard(lake, ({ url }) => recordPageLoad(url));
      const requests = recorded.requests;
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        runs.push(
          await withDashboard(lake, async ({ url, startMs, pid }) => {
            const cpuBefore = cpuMs(pid);
            const replayed = await replayPageLoad(url, requests);
            return { startMs, ...replayed, cpuMs: cpuMs(pid) - cpuBefore };
          }),
        );
      }
      const times = runs.map((r) => r.ms);
      const ms = median(times);
      const batch = requests.findIndex((r) => r.path.startsWith('/api/batch'));
      const panels = new URLSearchParams(requests[batch]!.path.split('?')[1]).get('queries')!.split(',');
      return [
        {
          title: 'Dashboard (issue 14): cold load of the default view (last 7 days) on the demo lake',
          rows: [
            {
              what: `the page's ${requests.length} requests (${describe(requests)}), fresh process`,
              'median ms': ms.toFixed(0),
              'fastest ms': Math.min(...times).toFixed(0),
              'server CPU ms': median(runs.map((r) => r.cpuMs)).toFixed(0),
              goal: `<= ${DASHBOARD_GOAL_MS}`,
              result: ms <= DASHBOARD_GOAL_MS ? 'pass' : 'miss',
            },
          ],
          notes: [
            `Requests recorded from Chromium (${CHROMIUM}, playwright-core) loading the page once in this run, then ` +
              `replayed with fetch, each asked as soon as the answers Chromium had before asking it are in; ` +
              `the batch names ${panels.length} queries. Demo lake: ${rows.toLocaleString('en-US')} rows (15 people, ` +
              `7 days). Median of ${RUNS} runs, each in a new \`claude-otel-lake dashboard --port 0\` process, ` +
              'after the recording run (which warms the OS file cache). The clock starts at the first request. ' +
              '"server CPU ms": user + system time of the dashboard process (all its threads, DuckDB\'s included) ' +
              "over the same span, from /proc (10 ms ticks): the work, which the machine's load does not inflate.",
            `Median answers, ms after the first request: page files ${median(runs.map((r) => lastOf(r, requests, (p) => !p.startsWith('/api/')))).toFixed(0)}, ` +
              `/api/meta ${median(runs.map((r) => lastOf(r, requests, (p) => p === '/api/meta'))).toFixed(0)}, ` +
              `/api/batch ${median(runs.map((r) => r.answeredAt[batch]!)).toFixed(0)}. Process start to listening ` +
              `(not in the clock): median ${median(runs.map((r) => r.startMs)).toFixed(0)} ms. ` +
              `Chromium itself, in the recording run, first request to last answer: ${recorded.browserMs.toFixed(0)} ms.`,
            `Load average at start: ${load.toFixed(1)}.`,
          ],
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

interface Run {
  readonly ms: number;
  readonly cpuMs: number;
  readonly answeredAt: readonly number[];
  readonly startMs: number;
}

function lastOf(run: Run, requests: readonly RecordedRequest[], pick: (path: string) => boolean): number {
  return Math.max(...requests.flatMap((r, i) => (pick(r.path) ? [run.answeredAt[i]!] : [])));
}

function describe(requests: readonly RecordedRequest[]): string {
  const api = requests.filter((r) => r.path.startsWith('/api/')).map((r) => r.path.split('?')[0]);
  return `${requests.length - api.length} page files, ${api.join(', ')}`;
}

/** CPU time (user + system, every thread) a process has used so far, ms; Linux /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 100 Hz ticks
}

/** Runs `task` against a fresh dashboard process, stopped after. */
async function withDashboard<T>(
  lake: string,
  task: (dashboard: { url: string; startMs: number; pid: number }) => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const { child, url } = await startDashboard(lake);
  try {
    return await task({ url, startMs: performance.now() - started, pid: child.pid! });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

function startDashboard(lake: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'dashboard', '--lake', lake, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /: (http:\/\/\S+?)\/?\n/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`dashboard exited early (${code}): ${out}`)));
  });
}
