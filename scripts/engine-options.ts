import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { openAthenaEngine } from '../functions/sql/athena-engine.ts';
import { openDuckDbEngine } from '../functions/sql/duckdb-engine.ts';
import type { QueryWindow, SqlEngine } from '../functions/sql/engine.ts';
import { SqlEngineError } from '../functions/sql/errors.ts';
import { isTimeZone, zonedMidnight } from '../functions/sql/zoned-time.ts';
import { CliError, type CommandIO, UsageError } from './cli-kit.ts';

/**
 * The flags every command that queries the lake shares (query, digest, dashboard): which engine,
 * where the data is, and which time window. Spread `ENGINE_OPTIONS` into `parseFlags`, append
 * `ENGINE_OPTIONS_USAGE` to the help, then `openEngineAndWindow(values, io)`.
 *
 *   --since 7d                        [now - 7 days, now)     (h, d, w units; default 7d)
 *   --from 2026-01-05 --to 2026-01-12 [Jan 5 00:00, Jan 12 00:00) in --tz (the end is exclusive)
 */
export const ENGINE_OPTIONS = {
  engine: { type: 'string' },
  lake: { type: 'string' },
  workgroup: { type: 'string' },
  database: { type: 'string' },
  region: { type: 'string' },
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
  --since 7d              the last 7 days up to now (units h, d, w; default 7d)
  --from D --to D         a half-open window; D is yyyy-MM-dd (midnight in --tz) or an ISO
                          timestamp with zone; --to defaults to now
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
export function windowFromFlags(
  values: EngineFlagValues,
  env: NodeJS.ProcessEnv = {},
  now = new Date(),
): QueryWindow {
  const timeZone = values.tz ?? env.TEAM_TIME_ZONE ?? 'UTC';
  if (!isTimeZone(timeZone))
    throw new UsageError(`--tz must be an IANA time zone such as Europe/Berlin; got "${timeZone}"`);
  if (values.since !== undefined && (values.from !== undefined || values.to !== undefined)) {
    throw new UsageError('give either --since or --from/--to, not both');
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
    return { from, to, timeZone };
  }
  const since = values.since ?? '7d';
  const m = SINCE.exec(since);
  if (!m) throw new UsageError(`--since must be a number and a unit h, d or w (e.g. 7d); got "${since}"`);
  const span = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return { from: new Date(now.getTime() - span), to: now, timeZone };
}

/** Opens the engine the flags name. Missing settings throw UsageError; a missing lake, CliError. */
export async function openEngineFromFlags(values: EngineFlagValues, io: CommandIO): Promise<SqlEngine> {
  const kind = values.engine ?? io.env.QUERY_ENGINE ?? 'local';
  const timeZone = values.tz ?? io.env.TEAM_TIME_ZONE ?? 'UTC';
  if (kind === 'local') {
    const lake = resolve(io.cwd, values.lake ?? 'lake');
    const found = await stat(lake).catch(() => undefined);
    if (!found?.isDirectory()) {
      throw new CliError(`no lake at ${lake}; give --lake DIR, or run \`serve\` or \`demo\` to create one`);
    }
    try {
      return await openDuckDbEngine({ lake, timeZone: isTimeZone(timeZone) ? timeZone : 'UTC' });
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
