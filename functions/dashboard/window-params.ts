import type { QueryFilters, QueryWindow } from '../sql/engine.ts';
import { dateWindow, lastWholeDays, type TimeWindow } from '../sql/time-window.ts';
import { isTimeZone } from '../sql/zoned-time.ts';
import { badRequest } from './errors.ts';

/**
 * Turns the API's query string into a query window, strictly: unknown, repeated or malformed
 * parameters are refused with a message naming the parameter and the value. Windows follow the
 * one window model (functions/sql/time-window.ts), as `query` and the digest do:
 *
 *   ?days=7&tz=Europe/Berlin        the last 7 whole days in Berlin, ending at midnight (today not in it)
 *   ?from=2026-01-05&to=2026-01-12  [Jan 5 00:00, Jan 12 00:00) in the team time zone (half-open);
 *                                    `partial` when it reaches into today
 *   (nothing)                        the default number of whole days in the team time zone
 *   &person=ana&model=opus&skill=x   filters every query applies to the events it reads
 */
export interface WindowDefaults {
  /** Team time zone when the request names none. */
  readonly timeZone: string;
  /** Days when the request names no range. */
  readonly days: number;
  /** Longest window allowed, in days (bounds what one request can make Athena scan). */
  readonly maxDays: number;
  readonly now: () => Date;
}

export interface ParsedWindow {
  readonly window: QueryWindow;
  /** First day, `yyyy-MM-dd`, in the window's time zone. */
  readonly fromDate: string;
  /** Day after the last, `yyyy-MM-dd` (exclusive end). */
  readonly toDate: string;
  /** Set when the range was given as `days`. */
  readonly days?: number;
  /** True when the window holds an unfinished today (its last day's figures are still growing). */
  readonly partial: boolean;
  /** The window in words, e.g. `last 7 whole days: Tue 24 Nov – Mon 30 Nov 2026 (UTC)`. */
  readonly label: string;
  /** The filters given (absent ones left out). */
  readonly filters: QueryFilters;
}

export const FILTER_PARAMS = ['person', 'model', 'skill'] as const;
export const WINDOW_PARAMS = ['days', 'from', 'to', 'tz', ...FILTER_PARAMS] as const;
/** Parameters read elsewhere (auth) that the window parser must tolerate. */
const OTHER_PARAMS = new Set(['token']);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** IANA names only: letters, digits, `_+-/` (checked before `Intl` sees the text). */
const ZONE = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1)
    throw badRequest(`parameter "${name}" is given ${values.length} times; give it once`);
  return values[0];
}

function parseDate(name: string, value: string): string {
  const m = DATE.exec(value);
  const valid =
    m &&
    new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === value;
  if (!valid) throw badRequest(`"${name}" must be a date yyyy-MM-dd; got "${value}"`);
  return value;
}

function spanDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function parseWindowParams(params: URLSearchParams, defaults: WindowDefaults): ParsedWindow {
  for (const key of new Set(params.keys())) {
    if (!(WINDOW_PARAMS as readonly string[]).includes(key) && !OTHER_PARAMS.has(key)) {
      throw badRequest(`unknown parameter "${key}"; expected ${WINDOW_PARAMS.join(', ')}`);
    }
  }
  const tz = single(params, 'tz') ?? defaults.timeZone;
  if (!ZONE.test(tz) || !isTimeZone(tz))
    throw badRequest(`"tz" must be an IANA time zone such as Europe/Berlin; got "${tz}"`);
  const daysText = single(params, 'days');
  const fromText = single(params, 'from');
  const toText = single(params, 'to');

  if (daysText !== undefined && (fromText !== undefined || toText !== undefined)) {
    throw badRequest('give either "days" or "from" and "to", not both');
  }
  if ((fromText === undefined) !== (toText === undefined)) {
    throw badRequest('"from" and "to" go together; give both');
  }

  let parsed: TimeWindow;
  let days: number | undefined;
  if (fromText !== undefined && toText !== undefined) {
    const fromDate = parseDate('from', fromText);
    const toDate = parseDate('to', toText);
    const span = spanDays(fromDate, toDate);
    if (span <= 0)
      throw badRequest(`"from" must be before "to" (the end is exclusive); got ${fromDate}..${toDate}`);
    if (span > defaults.maxDays) {
      throw badRequest(`the window is ${span} days; at most ${defaults.maxDays} are allowed`);
    }
    parsed = dateWindow(fromDate, toDate, tz, defaults.now());
  } else {
    days = defaults.days;
    if (daysText !== undefined) {
      days = /^[1-9]\d{0,3}$/.test(daysText) ? Number(daysText) : Number.NaN;
      if (!(days <= defaults.maxDays)) {
        throw badRequest(`"days" must be a whole number from 1 to ${defaults.maxDays}; got "${daysText}"`);
      }
    }
    parsed = lastWholeDays(defaults.now(), days, tz);
  }
  const filters = parseFilters(params);
  const window: QueryWindow = Object.keys(filters).length ? { ...parsed.window, filters } : parsed.window;
  const { fromDate, toDate, partial, label } = parsed;
  const base = { window, fromDate, toDate, partial, label, filters };
  return days === undefined ? base : { ...base, days };
}

/** `person`, `model`, `skill`: each at most once, 1 to 256 characters of printable text. */
function parseFilters(params: URLSearchParams): QueryFilters {
  const filters: Record<string, string> = {};
  for (const name of FILTER_PARAMS) {
    const value = single(params, name);
    if (value === undefined) continue;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    if (value.length === 0 || value.length > 256 || /[\u0000-\u001f\u007f]/.test(value)) {
      throw badRequest(`"${name}" must be 1 to 256 printable characters`);
    }
    filters[name] = value;
  }
  return filters;
}
