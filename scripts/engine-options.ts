import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { QueryWindow, SqlEngine } from '../functions/sql/engine.ts';
import { SqlEngineError } from '../functions/sql/errors.ts';
import {
  DEFAULT_DAYS,
  dateWindow,
  instantWindow,
  lastWholeDays,
  type TimeWindow,
} from '../functions/sql/time-window.ts';
import { isTimeZone, zonedMidnight } from '../functions/sql/zoned-time.ts';
import { CliError, type CommandIO, UsageError } from './cli-kit.ts';

/**
 * The flags every command that queries the lake shares (query, digest, dashboard): which engine,
 * where the data is, and which time window. Spread `ENGINE_OPTIONS` into `parseFlags`, append
 * `ENGINE_OPTIONS_USAGE` to the help, then `openEngineAndWindow(values, io)`.
 *
 *   (nothing), --days 7               the last 7 whole days in --tz, ending at midnight (the default)
 *   --since 7d                        rolling: [now - 7 days, now)     (h, d, w units)
 *   --from 2026-01-05 --to 2026-01-12 [Jan 5 00:00, Jan 12 00:00) in --tz (the end is exclusive)
 * The one window model is functions/sql/time-window.ts.
 */
export const ENGINE_OPTIONS = {
  engine: { type: 'string' },
  lake: { type: 'string' },
  workgroup: { type: 'string' },
  database: { type: 'string' },
  region: { type: 'string' },
  days: { type: 'string' },
  since: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  tz: { type: 'string' },
} as const;

export const ENGINE_OPTIONS_USAGE = `Engine and window:
  --engine local|athena   where to run (default local, or $QUERY_ENGINE)
  --lake DIR              local lake directory (default ./lake)
  --workgroup NAME        Athena workgroup (or $ATHENA_WORKGROUP)
  --database NAME         Glue database holding the events table (or $ATHENA_DATABASE)
  --region REGION         AWS region (or $AWS_REGION)
  --days N                the last N whole days in --tz, ending at midnight: today is not in
                          it, so every figure is final (default: 7)
  --since 7d              rolling: the last 7 days up to now, today partial (units h, d, w)
  --from D --to D         a half-open window; D is yyyy-MM-dd (midnight in --tz) or an ISO
                          timestamp with zone; --to defaults to now (then today is partial)
  --tz ZONE               team time zone for daily buckets and dates (default UTC, or $TEAM_TIME_ZONE)`;

export type EngineFlagValues = { readonly [K in keyof typeof ENGINE_OPTIONS]?: string | undefined };

const SINCE = /^([1-9]\d{0,4})([hdw])$/;
const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function instant(flag: string, text: string, timeZone: string): Date {
  if (DATE.test(text)) {
    // A day the calendar does not have (2026-13-01, 2026-02-30) is a usage error, checked before
    // zonedMidnight, which cannot place an invalid date in a zone.
    const utc = Date.parse(`${text}T00:00:00Z`);
    if (Number.isFinite(utc) && new Date(utc).toISOString().startsWith(text)) {
      const at = zonedMidnight(text, timeZone);
      if (Number.isFinite(at.getTime())) return at;
    }
  } else if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text) && Number.isFinite(Date.parse(text))) {
    return new Date(text);
  }
  throw new UsageError(`--${flag} must be yyyy-MM-dd or an ISO timestamp with a zone; got "${text}"`);
}

/** The window the flags describe; invalid or conflicting flags throw UsageError naming them. */
export function timeWindowFromFlags(
  values: EngineFlagValues,
  env: NodeJS.ProcessEnv = {},
  now = new Date(),
): TimeWindow {
  const timeZone = values.tz ?? env.TEAM_TIME_ZONE ?? 'UTC';
  if (!isTimeZone(timeZone))
    throw new UsageError(`--tz must be an IANA time zone such as Europe/Berlin; got "${timeZone}"`);
  const given = (['days', 'since', 'from'] as const).filter((k) => values[k] !== undefined);
  if (given.length > 1) {
    throw new UsageError(
      `give one of --days, --since or --from/--to; got ${given.map((k) => `--${k}`).join(' and ')}`,
    );
  }
  if (values.from === undefined && values.to !== undefined) throw new UsageError('--to needs --from');
  if (values.from !== undefined) {
    const from = instant('from', values.from, timeZone);
    const to = values.to === undefined ? now : instant('to', values.to, timeZone);
    if (to.getTime() <= from.getTime()) {
      throw new UsageError(
        `--from must be before --to (the end is exclusive); got ${values.from}..${values.to ?? 'now'}`,
      );
    }
    const dates = DATE.test(values.from) && values.to !== undefined && DATE.test(values.to);
    return dates
      ? dateWindow(values.from, values.to!, timeZone, now)
      : instantWindow(from, to, timeZone, now);
  }
  if (values.since !== undefined) {
    const m = SINCE.exec(values.since);
    if (!m)
      throw new UsageError(`--since must be a number and a unit h, d or w (e.g. 7d); got "${values.since}"`);
    const span = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
    return instantWindow(new Date(now.getTime() - span), now, timeZone, now, values.since);
  }
  const days = values.days === undefined ? DEFAULT_DAYS : Number(values.days);
  if (!/^[1-9]\d{0,3}$/.test(values.days ?? String(DEFAULT_DAYS)) || days > 3660) {
    throw new UsageError(`--days must be a whole number from 1 to 3660; got "${values.days}"`);
  }
  return lastWholeDays(now, days, timeZone);
}

/** The query window of `timeWindowFromFlags`. */
export function windowFromFlags(
  values: EngineFlagValues,
  env: NodeJS.ProcessEnv = {},
  now = new Date(),
): QueryWindow {
  return timeWindowFromFlags(values, env, now).window;
}

/**
 * Opens the engine the flags name. Missing settings throw UsageError; a missing lake, CliError.
 * `local` tunes the DuckDB engine (the dashboard keeps the base view as a table).
 */
export async function openEngineFromFlags(
  values: EngineFlagValues,
  io: CommandIO,
  local: { readonly baseViewAsTable?: boolean; readonly connections?: number } = {},
): Promise<SqlEngine> {
  const kind = values.engine ?? io.env.QUERY_ENGINE ?? 'local';
  const timeZone = values.tz ?? io.env.TEAM_TIME_ZONE ?? 'UTC';
  if (kind === 'local') {
    const lake = resolve(io.cwd, values.lake ?? 'lake');
    const found = await stat(lake).catch(() => undefined);
    if (!found?.isDirectory()) {
      throw new CliError(`no lake at ${lake}; give --lake DIR, or run \`serve\` or \`demo\` to create one`);
    }
    try {
      // Each engine's module (DuckDB's native binding, the AWS SDK) loads only when it is used.
      const { openDuckDbEngine } = await import('../functions/sql/duckdb-engine.ts');
      return await openDuckDbEngine({ ...local, lake, timeZone: isTimeZone(timeZone) ? timeZone : 'UTC' });
    } catch (error) {
      throw cliErrorOf(error);
    }
  }
  if (kind === 'athena') {
    const workgroup = values.workgroup ?? io.env.ATHENA_WORKGROUP;
    const database = values.database ?? io.env.ATHENA_DATABASE;
    const region = values.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
    if (!workgroup) throw new UsageError('--engine athena needs --workgroup (or ATHENA_WORKGROUP)');
    if (!database) throw new UsageError('--engine athena needs --database (or ATHENA_DATABASE)');
    if (!region) throw new CliError('--engine athena needs an AWS region: --region or AWS_REGION');
    const { openAthenaEngine } = await import('../functions/sql/athena-engine.ts');
    return openAthenaEngine({ workgroup, database, region });
  }
  throw new UsageError(`--engine must be local or athena; got "${kind}"`);
}

/** Window first (cheap to validate), then the engine. The caller closes the engine. */
export async function openEngineAndWindow(
  values: EngineFlagValues,
  io: CommandIO,
  now = new Date(),
): Promise<{ engine: SqlEngine; window: QueryWindow }> {
  const window = windowFromFlags(values, io.env, now);
  const engine = await openEngineFromFlags(values, io);
  return { engine, window };
}

/** A SQL-layer error as the CLI's one clear line: unknown/invalid queries exit 2, the rest 1. */
export function cliErrorOf(error: unknown): unknown {
  if (!(error instanceof SqlEngineError)) return error;
  const code = error.code === 'unknown-query' || error.code === 'invalid-query' ? 2 : 1;
  return new CliError(error.message, code, { cause: error });
}
