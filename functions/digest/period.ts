import type { QueryWindow } from '../sql/engine.ts';
import { lastWholeDays } from '../sql/time-window.ts';
import { addDays, isTimeZone, zonedMidnight } from '../sql/zoned-time.ts';
import { DigestConfigError } from './errors.ts';
import type { DigestPeriod } from './types.ts';

/**
 * The digest's window: "the last `days` days" of the one window model (functions/sql/time-window.ts),
 * i.e. whole days in the team time zone ending at the start of today there, and the window of the
 * same length just before it. Run on Monday 09:00 in
 * Europe/Berlin with `days = 7`, it covers Monday 00:00 to Monday 00:00 (Berlin) of last week:
 *
 *   digestWindows(new Date('2026-01-12T08:00:00Z'), 7, 'Europe/Berlin')
 *   -> current  [2026-01-04T23:00:00Z, 2026-01-11T23:00:00Z)
 *      previous [2025-12-28T23:00:00Z, 2026-01-04T23:00:00Z)
 *
 * Days are calendar days, so a window across a DST change is 167 or 169 hours long.
 */
export interface DigestWindows {
  readonly current: QueryWindow;
  readonly previous: QueryWindow;
}

/** Throws DigestConfigError naming the value when `timeZone` is not an IANA zone this runtime knows. */
export function checkTimeZone(timeZone: string): string {
  if (!isTimeZone(timeZone)) {
    throw new DigestConfigError(
      `unknown time zone "${timeZone}" (use an IANA name such as Europe/Berlin or UTC)`,
    );
  }
  return timeZone;
}

export function digestWindows(now: Date, days: number, timeZone: string): DigestWindows {
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throw new DigestConfigError(`days must be a whole number from 1 to 366; got ${days}`);
  }
  checkTimeZone(timeZone);
  const current = lastWholeDays(now, days, timeZone);
  const previousFrom = zonedMidnight(addDays(current.fromDate, -days), timeZone);
  return {
    current: current.window,
    previous: { from: previousFrom, to: current.window.from, timeZone },
  };
}

/** The period as the digest shows it. */
export function describePeriod(window: QueryWindow, days: number): DigestPeriod {
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
  const label =
    days === 1 ? format(window.from, true) : `${format(window.from, false)} – ${format(last, true)}`;
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    days,
    timeZone: window.timeZone,
    label,
  };
}
