/**
 * Shared shape of a benchmark suite: `npm run bench` (scripts/bench.ts) runs every suite in one
 * process, one after the other, and prints one Markdown section each, so figures that are
 * compared side by side come from the same run on the same machine.
 */
export interface BenchSection {
  readonly title: string;
  /** Rows of one table; every row has the same keys, which become the columns. */
  readonly rows: readonly Readonly<Record<string, string | number>>[];
  /** Free-text lines printed under the table (what was measured, on what input). */
  readonly notes?: readonly string[];
}

export interface BenchSuite {
  readonly name: string;
  run(): Promise<readonly BenchSection[]>;
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** Runs fn `iterations` times after `warmup` runs; returns the median wall time in ms. */
export async function medianMs(fn: () => unknown, iterations = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export function markdownTable(rows: BenchSection['rows']): string {
  if (rows.length === 0) return '(no rows)';
  const keys = Object.keys(rows[0]!);
  const lines = [`| ${keys.join(' | ')} |`, `| ${keys.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${keys.map((k) => String(row[k] ?? '')).join(' | ')} |`);
  return lines.join('\n');
}
