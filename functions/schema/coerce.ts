import { type ColumnType, MAX_STRING_LENGTH } from './columns.ts';
import type { ColumnValue } from './row.ts';

/**
 * Turns one attribute value (already unwrapped from OTLP AnyValue) into a column's type.
 * Never guesses: anything that does not parse cleanly is null, never NaN or a partial value.
 *
 *   coerce('bigint', '42') -> 42        coerce('bigint', '4.5') -> null
 *   coerce('boolean', 'true') -> true   coerce('boolean', 1) -> null
 *   coerce('double', 'NaN') -> null     coerce('string', 2.1) -> '2.1'
 */
export function coerce(type: ColumnType, value: unknown): ColumnValue | null {
  switch (type) {
    case 'string':
      return toStringValue(value);
    case 'bigint':
      return toSafeInteger(value);
    case 'double':
      return toFiniteNumber(value);
    case 'boolean':
      return toBoolean(value);
    case 'timestamp':
      return toEpochMillis(value);
  }
}

export function toStringValue(value: unknown): string | null {
  if (typeof value === 'string') return capString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return String(value);
  return null;
}

/** Cuts at MAX_STRING_LENGTH without splitting a surrogate pair. */
export function capString(value: string): string {
  if (value.length <= MAX_STRING_LENGTH) return value;
  const end = isHighSurrogate(value.charCodeAt(MAX_STRING_LENGTH - 1))
    ? MAX_STRING_LENGTH - 1
    : MAX_STRING_LENGTH;
  return value.slice(0, end);
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

// Plain decimal numbers only: no hex, no '1e3' for integers, no whitespace tricks.
const INTEGER_TEXT = /^-?\d{1,16}$/;
const DECIMAL_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d{1,3})?$/;

export function toSafeInteger(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && INTEGER_TEXT.test(value)) n = Number(value);
  else return null;
  return Number.isSafeInteger(n) ? n : null;
}

export function toFiniteNumber(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.length <= 64 && DECIMAL_TEXT.test(value)) n = Number(value);
  else return null;
  return Number.isFinite(n) ? n : null;
}

export function toBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

// ISO-8601 with an explicit zone, as Claude Code writes `event.timestamp`.
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
// Accepted range: 2000-01-01 .. 2100-01-01; anything outside is a broken clock, not an event.
const MIN_MS = 946_684_800_000;
const MAX_MS = 4_102_444_800_000;

/** ISO-8601 strings with a zone, or epoch milliseconds; null outside 2000..2100. */
export function toEpochMillis(value: unknown): number | null {
  let ms: number;
  if (typeof value === 'string') {
    const fast = value.length === 24 ? canonicalMillis(value) : undefined;
    if (fast !== undefined) ms = fast;
    else {
      const date = ISO_TIMESTAMP.exec(value);
      if (date === null || !isCalendarDate(date[1]!, date[2]!, date[3]!)) return null;
      ms = Date.parse(value);
    }
  } else if (typeof value === 'number' && Number.isInteger(value)) ms = value;
  else return null;
  return Number.isFinite(ms) && ms >= MIN_MS && ms < MAX_MS ? ms : null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Date.parse rolls 2025-02-29 over to March 1st; a day the month does not have is not a date. */
function isCalendarDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS_IN_MONTH[m - 1]! + (leap ? 1 : 0);
}

/**
 * Hot path for the form Claude Code sends, `2026-01-05T10:00:00.250Z` (24 characters), without a
 * regex or Date.parse. Returns undefined for anything unusual (other form, hour 24, year < 1000,
 * a day the month does not have...), which the general path then decides, so results are the same.
 */
function canonicalMillis(s: string): number | undefined {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return undefined; // - - T
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 46) return undefined; // : : .
  if (s.charCodeAt(23) !== 90) return undefined; // Z
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const millis = digits(s, 20, 3);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || millis < 0) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

/** The decimal number in s[start, start + length), or -1 if any character is not a digit. */
function digits(s: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** OTLP `timeUnixNano` (string or number of nanoseconds) to epoch ms; null when absent or zero. */
export function nanosToMillis(value: unknown): number | null {
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) {
    // Drop the last 6 digits instead of dividing: nanoseconds exceed 2^53.
    const ms = value.length > 6 ? Number(value.slice(0, -6)) : 0;
    return toEpochMillis(ms);
  }
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    // A double near 1.7e18 is only exact to ~256 ns: 1767607200250000000 is stored as
    // …249999872, which a plain floor would turn into …249 ms. Allow 1 µs of that error.
    return toEpochMillis(Math.floor(value / 1e6 + 1e-3));
  }
  return null;
}
