// The CLI's CSV (`query --format csv`), so a download from the page and from the CLI are the same
// bytes. The semantic-layer branch moves it into one shared, formula-safe module; import it from
// there once it lands (one CSV writer for every surface).
import { formatCsv } from '../../scripts/commands/query.ts';
import type { QueryResult } from '../sql/engine.ts';
import type { QueryFilters } from './filters.ts';
import { FILTER_NAMES } from './filters.ts';
import type { ParsedWindow } from './window-params.ts';

/** One answer's rows as CSV text, ending in a newline. */
export function resultCsv(answer: QueryResult): string {
  return `${formatCsv(answer)}\n`;
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
