import type {
  FirehoseRecordTransformationStatus as FirehoseStatus,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import type { EnvelopeErrorCode } from '../otlp/cloudwatch-envelope.ts';

/**
 * What happened to one Firehose input record, mapped one to one onto the Firehose statuses:
 *
 *   { kind: 'ok', data: 'eyJldmVudF90aW1lIjo…', rows: 3 }   -> { result: 'Ok', data }
 *   { kind: 'dropped', reason: 'control-message' }         -> { result: 'Dropped', data: '' }
 *   { kind: 'failed', reason: 'bad-gzip' }                 -> { result: 'ProcessingFailed', data: '' }
 *
 * `ProcessingFailed` makes Firehose keep the record's raw bytes under the error prefix, so a
 * failed record is never lost. `Dropped` is used only when nothing of the record belongs in the
 * lake (a control message, no Claude Code event) or after its re-ingest succeeded.
 */
export type RecordOutcome =
  | { readonly kind: 'ok'; readonly data: string; readonly rows: number }
  | { readonly kind: 'dropped'; readonly reason: DropReason }
  | { readonly kind: 'failed'; readonly reason: FailReason };

export type DropReason =
  /** CloudWatch's reachability check; carries no events. */
  | 'control-message'
  /** A DATA_MESSAGE whose every event was skipped or rejected (each counted in the log). */
  | 'no-rows'
  /** Did not fit the response; re-ingested unchanged into the same stream. */
  | 'reingested'
  /** Its output alone passed the budget; re-ingested as two halves of its events. */
  | 'split-reingested';

export type FailReason =
  | EnvelopeErrorCode
  /** One event's output alone passes the response budget (cannot be split further). */
  | 'output-too-large'
  /** An unexpected exception while transforming; named in the log by error class only. */
  | 'internal-error';

const STATUS: Readonly<Record<RecordOutcome['kind'], FirehoseStatus>> = {
  ok: 'Ok',
  dropped: 'Dropped',
  failed: 'ProcessingFailed',
};

/** The Firehose response entry for one record; `data` is always present, as the contract asks. */
export function toFirehoseRecord(
  recordId: string,
  outcome: RecordOutcome,
): FirehoseTransformationResultRecord {
  return { recordId, result: STATUS[outcome.kind], data: outcome.kind === 'ok' ? outcome.data : '' };
}
