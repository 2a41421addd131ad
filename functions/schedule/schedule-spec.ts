import { addDays, isTimeZone, zonedDate, zoneOffsetMs } from '../sql/zoned-time.ts';

/**
 * When a recurring job is due, in the team time zone:
 *
 *   parseSchedule('MON 09:00')   every Monday at 09:00 (one run per week)
 *   parseSchedule('DAILY 18:30') every day at 18:30 (one run per day)
 *
 * `dueAt(schedule, now, tz)` is the latest due time at or before `now` and the period it opens
 * (`2026-01-12` for the week starting with that Monday), so a runner can tell "already done for
 * this period" from "due". Wall-clock times are kept across DST changes (09:00 stays 09:00).
 */
export const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface Schedule {
  /** A weekday, or `DAILY`. */
  readonly day: Weekday | 'DAILY';
  readonly hour: number;
  readonly minute: number;
  /** The text it was read from, for log lines. */
  readonly text: string;
}

export class ScheduleSpecError extends Error {
  override readonly name = 'ScheduleSpecError';
}

const SPEC = /^\s*([A-Za-z]{3,5})\s+([01]?\d|2[0-3]):([0-5]\d)\s*$/;

export function parseSchedule(text: string): Schedule {
  const m = SPEC.exec(text);
  const day = m?.[1]?.toUpperCase();
  if (!m || !day || !([...WEEKDAYS, 'DAILY'] as string[]).includes(day)) {
    throw new ScheduleSpecError(
      `a schedule is a weekday or DAILY and a 24-hour time, such as "MON 09:00" or "DAILY 18:30"; got "${text}"`,
    );
  }
  return {
    day: day as Weekday | 'DAILY',
    hour: Number(m[2]),
    minute: Number(m[3]),
    text: `${day} ${m[2]!.padStart(2, '0')}:${m[3]}`,
  };
}

/** The instant a wall-clock time happens on a date in a zone (the later one in a DST gap). */
export function zonedTime(date: string, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + (hour * 60 + minute) * 60_000;
  const first = wall - zoneOffsetMs(wall, timeZone);
  const second = wall - zoneOffsetMs(first, timeZone);
  return new Date(second);
}

const weekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

export interface Due {
  /** The latest due time at or before `now`. */
  readonly at: Date;
  /** The period it opens: the due date, `yyyy-MM-dd` in the zone. */
  readonly period: string;
}

export function dueAt(schedule: Schedule, now: Date, timeZone: string): Due {
  if (!isTimeZone(timeZone)) throw new ScheduleSpecError(`unknown time zone "${timeZone}"`);
  const today = zonedDate(now, timeZone);
  const step = schedule.day === 'DAILY' ? 1 : 7;
  const back = schedule.day === 'DAILY' ? 0 : (weekdayOf(today) - WEEKDAYS.indexOf(schedule.day) + 7) % 7;
  let date = addDays(today, -back);
  let at = zonedTime(date, schedule.hour, schedule.minute, timeZone);
  if (at.getTime() > now.getTime()) {
    date = addDays(date, -step);
    at = zonedTime(date, schedule.hour, schedule.minute, timeZone);
  }
  return { at, period: date };
}

/** The next due time after `now`. */
export function nextDue(schedule: Schedule, now: Date, timeZone: string): Date {
  const { period } = dueAt(schedule, now, timeZone);
  const step = schedule.day === 'DAILY' ? 1 : 7;
  return zonedTime(addDays(period, step), schedule.hour, schedule.minute, timeZone);
}
