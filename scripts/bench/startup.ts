import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CLI } from '../spawn-serve.ts';
import type { BenchSuite } from './bench-kit.ts';
import { writeDemoLake } from './demo-lake.ts';

/**
 * Issue 14: how long the compiled `claude-otel-lake` takes to start, against what node itself
 * needs to do the same. `--help` against `node -e 0`; `query team_totals` on the demo lake against
 * node loading DuckDB and reading the same Parquet files (one COUNT over the same glob). Wall time
 * of whole processes, alternating pair by pair; the ratio is the median of the per-pair ratios.
 */
const PAIRS = 15;
/** The repository root: where `node -e` resolves @duckdb/node-api from, as the CLI does. */
const ROOT = dirname(dirname(CLI));
export const STARTUP_GOALS = { help: 3, query: 2 } as const;

const BARE_DUCKDB = `
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const r = await c.runAndReadAll("SELECT count(*) FROM read_parquet(" + JSON.stringify(process.argv[1] + '/events/**/*.parquet') + ", hive_partitioning=true)");
console.log(String(r.getRows()[0][0]));
`;

export const startupSuite: BenchSuite = {
  name: 'startup',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
    try {
      const lake = join(dir, 'lake');
      const rows = await writeDemoLake(lake);
      const load = loadavg()[0]!;
      const help = await pairs(['-e', '0'], [CLI, '--help'], ROOT);
      const query = await pairs(
        ['--input-type=module', '-e', BARE_DUCKDB, lake],
        [CLI, 'query', 'team_totals', '--lake', lake, '--since', '30d'],
        ROOT,
      );
      const row = (what: string, floor: string, r: PairTimes, goal: number) => ({
        'command (compiled CLI)': what,
        floor: floor,
        'floor ms': r.floor.toFixed(0),
        'CLI ms': r.cli.toFixed(0),
        'x floor': r.ratio.toFixed(2),
        goal: `<= ${goal}`,
        result: r.ratio <= goal ? 'pass' : 'miss',
      });
      return [
        {
          title: 'CLI start-up (issue 14): the compiled CLI vs. what node needs for the same',
          rows: [
            row('claude-otel-lake --help', 'node -e 0', help, STARTUP_GOALS.help),
            row(
              'claude-otel-lake query team_totals (demo lake)',
              'node: load DuckDB, one read_parquet',
              query,
              STARTUP_GOALS.query,
            ),
          ],
          notes: [
            `Whole processes, wall time, ${PAIRS} alternating floor/CLI pairs after 2 warm-ups; "x floor" is the median of the ` +
              `per-pair ratios, the ms columns are medians. Demo lake: ${rows.toLocaleString('en-US')} rows (15 people, 7 days). ` +
              `Load average at start: ${load.toFixed(1)}.`,
          ],
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

interface PairTimes {
  readonly floor: number;
  readonly cli: number;
  readonly ratio: number;
}

async function pairs(
  floorArgs: readonly string[],
  cliArgs: readonly string[],
  cwd: string,
): Promise<PairTimes> {
  for (let i = 0; i < 2; i++) {
    await timeProcess(floorArgs, cwd);
    await timeProcess(cliArgs, cwd);
  }
  const floor: number[] = [];
  const cli: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    floor.push(await timeProcess(floorArgs, cwd));
    cli.push(await timeProcess(cliArgs, cwd));
    ratios.push(cli[i]! / floor[i]!);
  }
  return { floor: median(floor), cli: median(cli), ratio: median(ratios) };
}

function timeProcess(args: readonly string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.join(' ').slice(0, 80)} exited ${code}: ${err}`));
    });
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
