import type { QueryWindow, SqlValue } from './engine.ts';
import { SqlEngineError } from './errors.ts';
import { isTimeZone } from './zoned-time.ts';

/**
 * How a `QueryWindow` reaches the SQL: positional `?` parameters, each query naming in its
 * header (`-- params: dt_from, dt_to, from, to`) which value fills which `?`, in order. Every
 * value is a string, so it binds as VARCHAR in DuckDB and is pasted in quoted by Athena; the SQL
 * casts it (`CAST(? AS TIMESTAMP)`), which reads the same on both engines.
 *
 * For the window [2026-01-05 00:00 UTC, 2026-01-12 00:00 UTC) in Europe/Berlin:
 *   from         '2026-01-05 00:00:00.000'   window start, UTC, inclusive
 *   to           '2026-01-12 00:00:00.000'   window end, UTC, exclusive
 *   dt_from      '2026-01-04'                 first dt partition: UTC date of `from`, minus one day
 *   dt_to        '2026-01-12'                 last dt partition: UTC date of the last instant, plus one day
 *   tz           'Europe/Berlin'              team time zone for daily buckets
 *   prev_from    '2025-12-29 00:00:00.000'   start of the window before, of the same length
 *   prev_to      '2026-01-05 00:00:00.000'   its end: `from`, or, when the window reaches past
 *                                            `asOf` (an unfinished today), `asOf` minus the length
 *   prev_dt_from '2025-12-28'                 first dt partition of the window before
 *   prev_dt_to   '2026-01-05'                 last dt partition of the window before
 *   prev_first_dt '2025-12-29'                UTC date of `prev_from` + 12 h: the lake covers the
 *                                            window before when it holds that dt or an earlier one
 *   person, model, skill  ''                  the filters; '' means none (`? IN ('', user_name)`)
 *
 * Athena takes parameters only in WHERE clauses, and Trino only a string literal after
 * `AT TIME ZONE`: a query that needs the zone in its SELECT writes `'{{time_zone}}'`, which
 * `renderQuery` (query-catalog.ts) fills in; `tz` is for a WHERE clause.
 */
export const WINDOW_PARAM_NAMES = [
  'from',
  'to',
  'dt_from',
  'dt_to',
  'tz',
  'prev_from',
  'prev_to',
  'prev_dt_from',
  'prev_dt_to',
  'prev_first_dt',
  'person',
  'model',
  'skill',
] as const;

export type WindowParamName = (typeof WINDOW_PARAM_NAMES)[number];

const DAY_MS = 86_400_000;

/** `2026-01-05 00:00:00.000`: a timestamp literal's text both engines cast to TIMESTAMP (UTC). */
export function timestampText(at: number): string {
  return new Date(at).toISOString().replace('T', ' ').replace('Z', '');
}

const utcDate = (at: number): string => new Date(at).toISOString().slice(0, 10);

/** Validates a window: finite, non-empty, a known zone. */
export function assertWindow(window: QueryWindow): void {
  const from = window.from.getTime();
  const to = window.to.getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
    throw new SqlEngineError(
      `a query window must be [from, to) with from before to; got ${String(window.from)}..${String(window.to)}`,
      'invalid-query',
    );
  }
  if (!isTimeZone(window.timeZone)) {
    throw new SqlEngineError(`unknown time zone "${window.timeZone}"`, 'invalid-query');
  }
  for (const [name, value] of Object.entries(window.filters ?? {})) {
    if (value !== undefined && (typeof value !== 'string' || value.length > 256 || value.includes('\0'))) {
      throw new SqlEngineError(`filter "${name}" must be text of at most 256 characters`, 'invalid-query');
    }
  }
}

/** Every window parameter's value, by name. */
export function windowParams(window: QueryWindow): Record<WindowParamName, SqlValue> {
  assertWindow(window);
  const from = window.from.getTime();
  const to = window.to.getTime();
  const span = to - from;
  const prevFrom = from - span;
  const dataEnd = Math.min(to, window.asOf?.getTime() ?? to);
  const prevTo = Math.max(prevFrom + 1, dataEnd - span);
  const filters = window.filters ?? {};
  return {
    from: timestampText(from),
    to: timestampText(to),
    dt_from: utcDate(from - DAY_MS),
    dt_to: utcDate(to - 1 + DAY_MS),
    tz: window.timeZone,
    prev_from: timestampText(prevFrom),
    prev_to: timestampText(prevTo),
    prev_dt_from: utcDate(prevFrom - DAY_MS),
    prev_dt_to: utcDate(prevTo - 1 + DAY_MS),
    // Partitions are UTC days: a lake that holds the day of the window's first noon covers it.
    prev_first_dt: utcDate(prevFrom + DAY_MS / 2),
    person: filters.person ?? '',
    model: filters.model ?? '',
    skill: filters.skill ?? '',
  };
}
