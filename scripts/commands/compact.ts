import { resolve } from 'node:path';
import { pastDays } from '../../functions/lake/auto-compact.ts';
import { type CompactResult, compactDays, lakeDays } from '../../functions/lake/compact.ts';
import { LakeLockedError } from '../../functions/lake/lake-lock.ts';
import { CliError, type Command, parseFlags, UsageError } from '../cli-kit.ts';

const OPTIONS = {
  lake: { type: 'string', default: './lake' },
  day: { type: 'string' },
  all: { type: 'boolean', default: false },
} as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const compactCommand: Command = {
  name: 'compact',
  summary: "Merge a day's small Parquet files into one (safe while serve runs)",
  usage: `Usage: claude-otel-lake compact [--lake DIR] [--day YYYY-MM-DD | --all]

Merges the Parquet files of each day into one file with the same rows. Without --day or --all
it compacts every day before today (UTC); --all includes today. Safe while \`serve\` runs: files
still being flushed are left alone, the merged file appears atomically before its inputs go.`,
  async run(args, io) {
    const { values } = parseFlags(args, OPTIONS);
    if (values.help) {
      io.out(this.usage);
      return 0;
    }
    if (values.day !== undefined && values.all) throw new UsageError('give --day or --all, not both');
    if (values.day !== undefined && !DAY.test(values.day)) {
      throw new UsageError(`--day must be YYYY-MM-DD; got "${values.day}"`);
    }
    const lake = resolve(io.cwd, values.lake);
    const days =
      values.day !== undefined
        ? [values.day]
        : values.all
          ? await lakeDays(lake)
          : await pastDays(lake, Date.now());
    let results: CompactResult[];
    try {
      results = await compactDays(lake, days);
    } catch (error) {
      if (error instanceof LakeLockedError) {
        throw new CliError(`another compaction (pid ${error.holder.pid}) is running on ${lake}`);
      }
      throw error;
    }
    for (const r of results) {
      io.out(
        r.output
          ? `${r.dt}: ${r.inputs} files (${kib(r.bytesBefore)}) -> 1 file (${kib(r.bytesAfter)}), ${r.rows} rows`
          : `${r.dt}: ${r.inputs} file(s), nothing to merge`,
      );
    }
    if (results.length === 0) io.out(`nothing to compact in ${lake}`);
    return 0;
  },
};

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
