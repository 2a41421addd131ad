import type { SqlValue } from './engine.ts';

/**
 * DuckDB's column types and values, converted to what every engine hands back: type names as
 * Athena (Trino) spells them, values as plain scalars.
 *
 *   HUGEINT (a sum of BIGINT) -> 'bigint', 12n -> 12       TIMESTAMP -> ISO string '2026-01-05T10:00:00.000Z'
 *   DATE -> '2026-01-05'                                     beyond 2^53 -> the digits as a string
 */
export function normalizeDuckDbType(type: string): string {
  const t = type.toUpperCase();
  if (/^(HUGEINT|UHUGEINT|BIGINT|UBIGINT)$/.test(t)) return 'bigint';
  if (/^(INTEGER|UINTEGER|SMALLINT|USMALLINT|TINYINT|UTINYINT)$/.test(t)) return 'integer';
  if (t === 'DOUBLE' || t === 'FLOAT') return 'double';
  if (t.startsWith('TIMESTAMP')) return t.includes('TIME ZONE') ? 'timestamp with time zone' : 'timestamp';
  return t.toLowerCase();
}

export function toSqlValue(value: unknown, type: string): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) {
    return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}
