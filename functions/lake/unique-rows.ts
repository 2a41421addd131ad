import type { Row } from '../schema/row.ts';

/**
 * Physical de-duplication by the event key (schema/event-key.ts): a retried request stores its
 * rows twice; the spool flush (within a segment) and compaction (across a day's files) keep only
 * the first copy. Query-time de-duplication covers what is not merged yet, and AWS.
 */
/** The rows with the first occurrence of each event_id (rows without one are all kept). */
export function uniqueByEventId(rows: readonly Row[]): Row[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const id = row.event_id;
    if (typeof id !== 'string') return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
