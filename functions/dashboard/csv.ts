// The one CSV writer of every surface (functions/sql/csv.ts: formula cells neutralised as OWASP
// advises), so a download from the page and `query --format csv` are the same bytes.
import { toCsv } from '../sql/csv.ts';
import type { QueryResult } from '../sql/engine.ts';
import type { QueryFilters } from './filters.ts';
import { FILTER_NAMES } from './filters.ts';
import type { ParsedWindow } from './window-params.ts';

/** One answer's rows as CSV text, ending in a newline. */
export function resultCsv(answer: QueryResult): string {
  return `${toCsv(answer.columns, answer.rows)}\n`;
}

/** `per_user_activity_2026-01-08_2026-01-14_person-alice.csv`: what was downloaded, in its name. */
export function csvFileName(name: string, parsed: ParsedWindow, filters: QueryFilters): string {
  const last = new Date(Date.parse(`${parsed.toDate}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const parts = [name, parsed.fromDate, last];
  for (const f of FILTER_NAMES) {
    const v = filters[f];
    if (v !== undefined) parts.push(`${f}-${v.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40)}`);
  }
  return `${parts.join('_')}.csv`;
}
