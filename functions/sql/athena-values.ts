import type { SqlValue } from './engine.ts';

/**
 * Athena hands every value back as text (`VarCharValue`); the column metadata says what it is.
 * Converted to the same scalars the DuckDB engine returns:
 *
 *   ('bigint', '42') -> 42          ('double', '0.5') -> 0.5        ('boolean', 'true') -> true
 *   ('timestamp', '2026-01-05 10:00:00.000') -> '2026-01-05T10:00:00.000Z'
 *   ('date', '2026-01-05') -> '2026-01-05'      (any type, no VarCharValue) -> null
 */
export function fromAthenaText(type: string, text: string | undefined): SqlValue {
  if (text === undefined) return null;
  const t = type.toLowerCase();
  switch (t) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'int':
    case 'bigint': {
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case 'double':
    case 'float':
    case 'real':
      return Number(text);
    case 'boolean':
      return text === 'true';
    case 'timestamp':
      return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(text) ? isoFromAthenaTimestamp(text) : text;
    default:
      if (t.startsWith('decimal')) return Number(text);
      return text;
  }
}

/** `2026-01-05 10:00:00.000` (UTC, no zone) -> `2026-01-05T10:00:00.000Z`. */
function isoFromAthenaTimestamp(text: string): string {
  const [date, time = '00:00:00'] = text.split(' ');
  const [hms, fraction = ''] = time.split('.');
  return `${date}T${hms}.${fraction.padEnd(3, '0').slice(0, 3)}Z`;
}
