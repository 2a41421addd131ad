import type { QueryWindow } from './engine.ts';
import { addDays, zonedDate, zonedMidnight } from './zoned-time.ts';

/**
 * The one window model of every surface (query, dashboard, digest, demo):
 *
 * - "the last N days" is the N whole calendar days in the team time zone that ended at the most
 *   recent midnight there; today is not in it. Every figure of such a window is final, and two
 *   of them (this week, last week) are equally complete.
 * - A window given by dates is those whole days, `to` exclusive. If it reaches into today (or
 *   later), it is `partial`: its data ends now, its label says so, and the window before it (week
 *   over week) stops at the same distance from its start (`asOf`).
 * - A rolling window (`--since 36h`) ends now: always partial, labelled "rolling".
 *
 *   lastWholeDays(new Date('2026-12-01T14:05:00Z'), 7, 'UTC')
 *   -> { fromDate: '2026-11-24', toDate: '2026-12-01', days: 7, partial: false,
 *        label: 'last 7 whole days: Tue 24 Nov – Mon 30 Nov 2026 (UTC)', ... }
 */
export type WindowKind = 'whole-days' | 'dates' | 'rolling';

export interface TimeWindow {
  readonly kind: WindowKind;
  /** The query window; `asOf` is set when it is partial. */
  readonly window: QueryWindow;
  /** First day, `yyyy-MM-dd`, in the window's zone (rolling: the day `from` falls on). */
  readonly fromDate: string;
  /** The day after the last, `yyyy-MM-dd` (exclusive end). */
  readonly toDate: string;
  /** Calendar days covered (rolling: the span in days, rounded up). */
  readonly days: number;
  /** True when the window holds an unfinished today: its latest figures are still growing. */
  readonly partial: boolean;
  /** For people: what the window is, in words, e.g. `last 7 whole days: Tue 24 Nov – Mon 30 Nov 2026 (UTC)`. */
  readonly label: string;
}

/** The default length of "the last N days" on every surface. */
export const DEFAULT_DAYS = 7;

const DAY_MS = 86_400_000;

/** The last `days` whole days in `timeZone`, ending at the start of today there. */
export function lastWholeDays(now: Date, days: number, timeZone: string): TimeWindow {
  const toDate = zonedDate(now, timeZone);
  const fromDate = addDays(toDate, -days);
  const window = { from: zonedMidnight(fromDate, timeZone), to: zonedMidnight(toDate, timeZone), timeZone };
  return {
    kind: 'whole-days',
    window,
    fromDate,
    toDate,
    days,
    partial: false,
    label: `last ${days} whole day${days === 1 ? '' : 's'}: ${dayRangeLabel(window)}`,
  };
}

/** The whole days `[fromDate, toDate)` in `timeZone`; partial when it reaches past `now`. */
export function dateWindow(fromDate: string, toDate: string, timeZone: string, now: Date): TimeWindow {
  const from = zonedMidnight(fromDate, timeZone);
  const to = zonedMidnight(toDate, timeZone);
  const partial = to.getTime() > now.getTime();
  const days = Math.round((Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / DAY_MS);
  const window: QueryWindow = partial ? { from, to, timeZone, asOf: now } : { from, to, timeZone };
  return {
    kind: 'dates',
    window,
    fromDate,
    toDate,
    days,
    partial,
    label: `${dayRangeLabel(window)}${partial ? partialNote(now, timeZone) : ''}`,
  };
}

/** Any instants `[from, to)` (ISO timestamps, `--since`): partial when it reaches past `now`. */
export function instantWindow(
  from: Date,
  to: Date,
  timeZone: string,
  now: Date,
  rolling: string | null = null,
): TimeWindow {
  const partial = to.getTime() > now.getTime() - 1;
  const window: QueryWindow = partial ? { from, to, timeZone, asOf: now } : { from, to, timeZone };
  const span = `${instantLabel(from, timeZone)} – ${instantLabel(to, timeZone)} (${timeZone})`;
  return {
    kind: rolling === null ? 'dates' : 'rolling',
    window,
    fromDate: zonedDate(from, timeZone),
    toDate: addDays(zonedDate(new Date(to.getTime() - 1), timeZone), 1),
    days: Math.ceil((to.getTime() - from.getTime()) / DAY_MS),
    partial,
    label: rolling === null ? span : `rolling ${rolling} up to now: ${span}`,
  };
}

/** `Tue 24 Nov – Mon 30 Nov 2026 (UTC)`; one day: `Mon 30 Nov 2026 (UTC)`. */
export function dayRangeLabel(window: QueryWindow): string {
  const format = (date: Date, withYear: boolean) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: window.timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      ...(withYear ? { year: 'numeric' } : {}),
    })
      .format(date)
      .replace(',', '');
  const last = new Date(window.to.getTime() - 1);
  const sameDay = zonedDate(window.from, window.timeZone) === zonedDate(last, window.timeZone);
  const range = sameDay ? format(window.from, true) : `${format(window.from, false)} – ${format(last, true)}`;
  return `${range} (${window.timeZone})`;
}

function instantLabel(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(at)
    .replace(',', '');
}

function partialNote(now: Date, timeZone: string): string {
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return `, today partial (data up to ${time.format(now)})`;
}
