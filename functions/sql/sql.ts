import type { SqlValue } from './engine.ts';

/**
 * Quoting for the few places SQL is built from values (view DDL, Athena ExecutionParameters,
 * DuckDB view over a lake path). Everything else is a `?` placeholder.
 *
 *   quoteIdent('dt')            -> "dt"
 *   quoteString("O'Brien")      -> 'O''Brien'
 *   sqlLiteral(null)            -> NULL
 */
export class SqlQuoteError extends Error {
  override readonly name = 'SqlQuoteError';
}

/** A double-quoted identifier; embedded quotes are doubled. Refuses NUL and the empty name. */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes('\0'))
    throw new SqlQuoteError('an identifier must be non-empty and free of NUL');
  return `"${name.replaceAll('"', '""')}"`;
}

/** A single-quoted string literal (standard SQL, Trino and DuckDB alike); refuses NUL. */
export function quoteString(value: string): string {
  if (value.includes('\0')) throw new SqlQuoteError('a string literal cannot contain NUL');
  return `'${value.replaceAll("'", "''")}'`;
}

/** Any scalar as a SQL literal: what Athena pastes in for an ExecutionParameter. */
export function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SqlQuoteError(`a numeric literal must be finite; got ${value}`);
    return String(value);
  }
  return quoteString(value);
}
