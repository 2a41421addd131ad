/**
 * Calendar days in an IANA time zone with nothing but `Intl`:
 *
 *   zonedMidnight('2026-01-05', 'Europe/Berlin') -> 2026-01-04T23:00:00.000Z
 *   zonedDate(new Date('2026-01-04T23:30:00Z'), 'Europe/Berlin') -> '2026-01-05'
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `Intl` (and so DuckDB's ICU and Trino, which use the same IANA names) knows the zone. */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

function wallClock(ms: number, timeZone: string): { y: number; m: number; d: number; wallMs: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second) + (((ms % 1000) + 1000) % 1000);
  return { y: year, m: month, d: day, wallMs };
}

/** Offset of the zone from UTC at instant `ms`, in ms (Berlin in winter: +3,600,000). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  return wallClock(ms, timeZone).wallMs - ms;
}

/** `yyyy-MM-dd` of an instant in the zone. */
export function zonedDate(at: Date | number, timeZone: string): string {
  const { y, m, d } = wallClock(+at, timeZone);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The first instant of a calendar day (`yyyy-MM-dd`) in the zone (DST-safe). */
export function zonedMidnight(date: string, timeZone: string): Date {
  const guess = Date.parse(`${date}T00:00:00Z`);
  let at = guess - zoneOffsetMs(guess, timeZone);
  at = guess - zoneOffsetMs(at, timeZone);
  return new Date(at);
}

/** `yyyy-MM-dd` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
