import { randomBytes } from 'node:crypto';
import type { DecodedLogs } from '../otlp/otlp-decode.ts';
import { type SanitizeOptions, sanitize } from '../schema/allowlist.ts';
import type { Row } from '../schema/row.ts';

/**
 * One decoded request through the allowlist: rows to store, and what was left out, by reason
 * with counts and sizes (never content). Each row gets a fresh `event_id` (see `nextEventId`) and
 * the receive time as its envelope time, the local counterparts of the CloudWatch event id and
 * timestamp.
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

/**
 * Local event ids: 12 random hex digits drawn once per process, then a base-36 counter
 * (`3f9c0a71be42-0000a7`). Unique across restarts and processes in practice (48 random bits per
 * process), and, unlike a UUID per row, they compress in Parquet: the prefix repeats.
 */
const PROCESS_PREFIX = randomBytes(6).toString('hex');
let counter = 0;
export const nextEventId = (): string => `${PROCESS_PREFIX}-${(counter++).toString(36).padStart(6, '0')}`;

export function sanitizeBatch(
  decoded: DecodedLogs,
  receivedAt: number,
  options: SanitizeOptions,
): SanitizedBatch {
  const rows: Row[] = [];
  const rejected = new Map<string, Tally>();
  const skipped = new Map<string, Tally>();
  let rejectedCount = 0;
  decoded.records.forEach((record, index) => {
    if (record === null) {
      add(rejected, 'log record is not an object', decoded.sizeOf(index));
      rejectedCount++;
      return;
    }
    const outcome = sanitize(record, { id: nextEventId(), timestampMs: receivedAt }, options);
    if (outcome.kind === 'row') rows.push(outcome.row);
    else if (outcome.kind === 'skipped') add(skipped, outcome.reason, decoded.sizeOf(index));
    else {
      add(rejected, outcome.reason, decoded.sizeOf(index));
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
