import { type CompactResult, compactDays, lakeDays } from './compact.ts';
import { LakeLockedError } from './lake-lock.ts';

/**
 * `serve`'s background compaction: every `intervalMs` it merges the files of each day before
 * today (UTC) into one, so a day ends with one file without anyone running `compact`. Today is
 * left alone (it is still being written). Uses the same safe `compactDays` as the command; a
 * day that already has one file costs a directory listing. Errors are logged, never thrown: a
 * failed compaction loses nothing and is tried again next time.
 */
export interface AutoCompaction {
  /** Runs one round now (also what the timer calls); resolves with the days merged. */
  runOnce(): Promise<CompactResult[]>;
  /** Stops the timer and waits for a round in progress. */
  stop(): Promise<void>;
}

export interface AutoCompactionOptions {
  readonly lake: string;
  readonly intervalMs: number;
  /** Delay before the first round (default: the interval). */
  readonly firstDelayMs?: number;
  readonly log: (line: string) => void;
  readonly now?: () => number;
}

/** Days of the lake before the UTC day of `nowMs`. */
export async function pastDays(lake: string, nowMs: number): Promise<string[]> {
  const today = new Date(nowMs).toISOString().slice(0, 10);
  return (await lakeDays(lake)).filter((d) => d < today);
}

export function startAutoCompaction(options: AutoCompactionOptions): AutoCompaction {
  const { lake, log, now = Date.now } = options;
  let running: Promise<CompactResult[]> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const round = async (): Promise<CompactResult[]> => {
    try {
      const merged = (await compactDays(lake, await pastDays(lake, now()))).filter((r) => r.output !== null);
      for (const r of merged) log(`compacted ${r.dt}: ${r.inputs} files -> 1 file, ${r.rows} rows`);
      return merged;
    } catch (error) {
      if (error instanceof LakeLockedError) log('compaction skipped: another compaction is running');
      else log(`compaction failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  };
  const runOnce = (): Promise<CompactResult[]> => {
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  };
  const schedule = (delay: number) => {
    timer = setTimeout(() => {
      void runOnce().finally(() => {
        if (timer !== null) schedule(options.intervalMs);
      });
    }, delay);
    timer.unref();
  };
  schedule(options.firstDelayMs ?? options.intervalMs);

  return {
    runOnce,
    async stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
