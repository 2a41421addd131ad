import type { RecordOutcome } from './outcome.ts';

/** Lambda's hard limit on a synchronous response (6 MiB), which Firehose's response must respect. */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;

/**
 * The response budget: 6,000,000 bytes, as AWS's CloudWatch-logs Firehose blueprint uses, which
 * leaves ~290 KB of headroom under the hard limit for what is not counted exactly.
 */
export const RESPONSE_BUDGET_BYTES = 6_000_000;

/** JSON around one entry: `{"recordId":"","result":"ProcessingFailed","data":""},` is 52 bytes. */
const ENTRY_OVERHEAD_BYTES = 64;
const RESPONSE_OVERHEAD_BYTES = 16;

/**
 * Where an `ok` record's data goes:
 * - `keep`: in this response;
 * - `reingest`: does not fit after the records before it; re-ingest the original record as is;
 * - `split`: its data alone passes the budget; re-ingest its events as two smaller records;
 * - `too-large`: as `split`, but it holds a single event (ProcessingFailed).
 * Records that are not `ok` are always `keep` (they carry no data).
 */
export type Placement = 'keep' | 'reingest' | 'split' | 'too-large';

export interface BudgetEntry {
  readonly recordId: string;
  readonly outcome: RecordOutcome;
  readonly events: number;
}

/**
 * Fits a response under the budget, first come first kept, as the blueprint does:
 *
 *   planResponse([{ ok, 4 MB }, { ok, 3 MB }, { dropped }, { ok, 1 MB }], 6_000_000)
 *   -> ['keep', 'reingest', 'keep', 'keep']
 */
export function planResponse(entries: readonly BudgetEntry[], budget = RESPONSE_BUDGET_BYTES): Placement[] {
  let fixed = RESPONSE_OVERHEAD_BYTES;
  for (const e of entries) fixed += e.recordId.length + ENTRY_OVERHEAD_BYTES;
  let used = fixed;
  return entries.map(({ outcome, events }) => {
    if (outcome.kind !== 'ok') return 'keep';
    const size = outcome.data.length;
    if (fixed + size > budget) return events > 1 ? 'split' : 'too-large';
    if (used + size > budget) return 'reingest';
    used += size;
    return 'keep';
  });
}
