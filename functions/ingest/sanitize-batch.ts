import type { DecodedLogs } from '../otlp/otlp-decode.ts';
import { type SanitizeOptions, sanitize } from '../schema/allowlist.ts';
import type { Row } from '../schema/row.ts';

/**
 * One decoded request through the allowlist: rows to store, and what was left out, by reason
 * with counts and sizes (never content). The receive time is the envelope time (the local
 * counterpart of the CloudWatch ingestion timestamp); `event_id` is the deterministic event key
 * (schema/event-key.ts), so a retried request stores rows with the same keys.
 *
 *   3 records: api_request, a record with body "GET /health", claude_code.<bad>
 *   -> rows: [1 row], skipped: { 'not a Claude Code event': {count:1, bytes:..} },
 *      rejected: { 'invalid event name': {count:1, bytes:..} }
 */
export interface Tally {
  count: number;
  bytes: number;
}

export interface SanitizedBatch {
  readonly rows: Row[];
  readonly rejected: Map<string, Tally>;
  readonly skipped: Map<string, Tally>;
  readonly rejectedCount: number;
}

/** Records per request whose size is measured for the errors log; the rest get the average. */
const MEASURED_RECORDS = 256;

export function sanitizeBatch(
  decoded: DecodedLogs,
  receivedAt: number,
  options: SanitizeOptions,
): SanitizedBatch {
  const rows: Row[] = [];
  const rejected = new Map<string, Tally>();
  const skipped = new Map<string, Tally>();
  let rejectedCount = 0;
  let measured = 0;
  let measuredBytes = 0;
  // Measuring re-encodes a record: bounded, so 8 MiB of rejected records cannot stall the loop,
  // and guarded, so a record nested too deep to re-encode is still counted.
  const sizeOf = (index: number): number => {
    if (measured >= MEASURED_RECORDS) return Math.round(measuredBytes / measured);
    let bytes = 0;
    try {
      bytes = decoded.sizeOf(index);
    } catch {
      bytes = 0;
    }
    measured++;
    measuredBytes += bytes;
    return bytes;
  };
  decoded.records.forEach((record, index) => {
    if (record === null) {
      add(rejected, 'log record is not an object', sizeOf(index));
      rejectedCount++;
      return;
    }
    let outcome: ReturnType<typeof sanitize>;
    try {
      outcome = sanitize(record, { timestampMs: receivedAt }, options);
    } catch {
      // A value nested beyond the stack (RangeError) or otherwise unreadable: this record only.
      outcome = { kind: 'rejected', reason: 'log record cannot be read (nested too deep?)' };
    }
    if (outcome.kind === 'row') rows.push(outcome.row);
    else if (outcome.kind === 'skipped') add(skipped, outcome.reason, sizeOf(index));
    else {
      add(rejected, outcome.reason, sizeOf(index));
      rejectedCount++;
    }
  });
  return { rows, rejected, skipped, rejectedCount };
}

function add(map: Map<string, Tally>, reason: string, bytes: number): void {
  const tally = map.get(reason);
  if (tally) {
    tally.count++;
    tally.bytes += bytes;
  } else map.set(reason, { count: 1, bytes });
}
