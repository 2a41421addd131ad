import type { QueryColumn, SqlRow, SqlValue } from './engine.ts';

/**
 * CSV that is safe where it lands (RFC 4180 quoting, plus OWASP's advice on CSV injection): a
 * text cell starting with `=`, `+`, `-`, `@`, TAB or CR would be read as a formula by Excel,
 * LibreOffice or Google Sheets, so it gets a leading `'` and is quoted. Numbers, booleans and NULL
 * are written as they are (a negative number stays a number); JSON output keeps every raw value.
 * Used by `query --format csv` and by the dashboard's CSV download.
 *
 *   csvCell('=HYPERLINK("http://x")') -> `"'=HYPERLINK(""http://x"")"`
 *   csvCell('ana, bo')                -> `"ana, bo"`
 *   csvCell(-1.5)                     -> `-1.5`
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\n\r\t]/;

/** One CSV field for a value. */
export function csvCell(value: SqlValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) || text !== value ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row of column names, then one line per row (`\n` between lines). */
export function toCsv(columns: readonly Pick<QueryColumn, 'name'>[], rows: readonly SqlRow[]): string {
  const names = columns.map((c) => c.name);
  const lines = [names.map(csvCell).join(',')];
  for (const row of rows) lines.push(names.map((n) => csvCell(row[n])).join(','));
  return lines.join('\n');
}
