import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Due, dueAt, nextDue, type Schedule } from './schedule-spec.ts';

/**
 * Runs a job once per period of a schedule (`MON 09:00`: once a week, from Monday 09:00 in the
 * team time zone), remembering the last period done in a small JSON file in the lake, so a
 * restart neither repeats it nor, if the process was down at 09:00, skips it: the first check
 * after the due time runs it, whenever in the period that is. The very first start (no state
 * yet) runs only a period that opened less than `firstRunGraceMs` ago, so turning the schedule
 * on on a Wednesday does not post Monday's digest then.
 *
 *   const job = oncePerPeriod({ name: 'digest', lake, schedule: parseSchedule('MON 09:00'),
 *     timeZone: 'Europe/Berlin', run: async (due) => postTheDigest(due.at) });
 *   const stop = job.start();   // checks every minute; stop() on shutdown
 *
 * The period is marked done only after `run` succeeded; a failed run is tried again after
 * `retryMs`. Checks never overlap. Used by `serve --digest-schedule` and meant for any other
 * periodic job of the endpoint (budget alerts, ...).
 */
export interface OncePerPeriodOptions {
  /** Names the state file, `<lake>/state/schedule/<name>.json`. */
  readonly name: string;
  readonly lake: string;
  readonly schedule: Schedule;
  readonly timeZone: string;
  readonly run: (due: Due) => Promise<void>;
  readonly now?: () => Date;
  /** How often `start()` checks (default 60 s). */
  readonly checkEveryMs?: number;
  /** Wait after a failed run before trying again (default 15 min). */
  readonly retryMs?: number;
  /** With no state yet, how late a run may still start (default 6 h). */
  readonly firstRunGraceMs?: number;
  readonly log?: (line: string) => void;
}

/** What a check did. */
export type CheckOutcome = 'ran' | 'done-already' | 'not-due' | 'failed' | 'waiting-to-retry' | 'busy';

interface State {
  readonly lastPeriod: string;
  readonly ranAt: string;
  readonly schedule: string;
}

export interface PeriodicJob {
  /** One check now: runs the job when this period's due time has passed and it has not run. */
  check(): Promise<CheckOutcome>;
  /** Checks every `checkEveryMs` (timer unref'd); returns stop(), which waits for a run in progress. */
  start(): () => Promise<void>;
  readonly stateFile: string;
}

const NAME = /^[a-z][a-z0-9-]{0,63}$/;

export function oncePerPeriod(options: OncePerPeriodOptions): PeriodicJob {
  if (!NAME.test(options.name))
    throw new Error(`a schedule name is lower-case letters, digits and -; got "${options.name}"`);
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const retryMs = options.retryMs ?? 15 * 60_000;
  const stateFile = join(options.lake, 'state', 'schedule', `${options.name}.json`);
  let running: Promise<CheckOutcome> | null = null;
  let retryAfter = 0;

  async function lastPeriod(): Promise<string | null> {
    try {
      const state = JSON.parse(await readFile(stateFile, 'utf8')) as Partial<State>;
      return typeof state.lastPeriod === 'string' ? state.lastPeriod : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      // A torn or foreign file: say so once per check, and treat the period as not done.
      log(
        `schedule ${options.name}: cannot read ${stateFile} (${(error as Error).message}); treating as never run`,
      );
      return null;
    }
  }

  async function markDone(period: string): Promise<void> {
    const state: State = { lastPeriod: period, ranAt: now().toISOString(), schedule: options.schedule.text };
    await mkdir(dirname(stateFile), { recursive: true });
    const temp = `${stateFile}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(state)}\n`);
    await rename(temp, stateFile); // atomic: a crash leaves the old state or the new, never half
  }

  async function checkOnce(): Promise<CheckOutcome> {
    const at = now();
    const due = dueAt(options.schedule, at, options.timeZone);
    const last = await lastPeriod();
    if (last === due.period) return 'done-already';
    if (last === null && at.getTime() - due.at.getTime() > (options.firstRunGraceMs ?? 6 * 3_600_000)) {
      return 'not-due';
    }
    if (at.getTime() < retryAfter) return 'waiting-to-retry';
    try {
      await options.run(due);
    } catch (error) {
      retryAfter = at.getTime() + retryMs;
      log(
        `schedule ${options.name}: the run for ${due.period} failed (${(error as Error).message}); trying again in ${Math.round(retryMs / 60_000)} min`,
      );
      return 'failed';
    }
    await markDone(due.period);
    log(
      `schedule ${options.name}: done for the period from ${due.period}; next ${nextDue(options.schedule, at, options.timeZone).toISOString()}`,
    );
    return 'ran';
  }

  const job: PeriodicJob = {
    stateFile,
    check() {
      if (running) return Promise.resolve('busy');
      running = checkOnce().finally(() => {
        running = null;
      });
      return running;
    },
    start() {
      const tick = () => {
        job.check().catch((error: unknown) => log(`schedule ${options.name}: ${(error as Error).message}`));
      };
      const timer = setInterval(tick, options.checkEveryMs ?? 60_000);
      timer.unref();
      tick();
      return async () => {
        clearInterval(timer);
        await running?.catch(() => undefined);
      };
    },
  };
  return job;
}
