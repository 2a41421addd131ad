import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { decodeCloudWatchPayload } from '../otlp/cloudwatch-envelope.ts';
import { DroppedKeyCounter } from '../schema/dropped-keys.ts';
import { ReingestError } from './errors.ts';
import { type InvocationLog, invocationLog, type LoggedRecord } from './invocation-log.ts';
import { type RecordOutcome, toFirehoseRecord } from './outcome.ts';
import type { Reingester } from './reingest.ts';
import { type Placement, planResponse, RESPONSE_BUDGET_BYTES } from './response-budget.ts';
import { responseBytes } from './response-size.ts';
import { splitDataMessage } from './split-payload.ts';
import { transformRecords } from './transform-record.ts';

export interface TransformBatchOptions {
  /** The deployment's e-mail policy, applied to `user.email` (see schema/email.ts). */
  readonly email: (email: string) => string;
  /** The same policy's pseudonym of `user.id` (see schema/email.ts `userIdPseudonymizer`). */
  readonly pseudonym?: (userId: string) => string;
  /** Where overflow goes; called only when the response would pass the budget. */
  readonly reingester: Reingester;
  /** @default RESPONSE_BUDGET_BYTES (6,000,000) */
  readonly budgetBytes?: number;
}

export interface BatchResult {
  readonly response: FirehoseTransformationResult;
  readonly log: InvocationLog;
}

/**
 * One Firehose invocation: every record through the allowlist, the response fitted under the
 * budget, overflow re-ingested. Returns exactly one entry per input `recordId`, in input order.
 * Throws (ReingestError) only when overflow could not be re-ingested, so Firehose retries.
 *
 *   transformBatch({ invocationId, deliveryStreamArn, records: [{ recordId: 'r1', data: <gzip CloudWatch
 *     DATA_MESSAGE, base64> }, { recordId: 'r2', data: <CONTROL_MESSAGE> }] }, options)
 *   -> { response: { records: [{ recordId: 'r1', result: 'Ok', data: <JSON lines, base64> },
 *        { recordId: 'r2', result: 'Dropped', data: '' }] }, log: { records: { in: 2, ok: 1, … } } }
 */
export async function transformBatch(
  event: FirehoseTransformationEvent,
  options: TransformBatchOptions,
): Promise<BatchResult> {
  const dropped = new DroppedKeyCounter();
  const unknownEvents = new DroppedKeyCounter();
  const sanitizeOptions = { email: options.email, pseudonym: options.pseudonym, dropped, unknownEvents };
  const results = transformRecords(event.records, sanitizeOptions);
  const placements = planResponse(
    event.records.map((r, i) => ({
      recordId: r.recordId,
      outcome: results[i]!.outcome,
      events: results[i]!.events,
    })),
    options.budgetBytes ?? RESPONSE_BUDGET_BYTES,
  );

  const overflow: Uint8Array[] = [];
  for (const [i, placement] of placements.entries()) {
    const data = event.records[i]!.data;
    // Re-ingested data is the original CloudWatch payload, so it is transformed again later.
    if (placement === 'reingest') overflow.push(Buffer.from(data, 'base64'));
    if (placement === 'split') overflow.push(...splitDataMessage(dataMessageOf(data)));
  }
  if (overflow.length > 0 && event.sourceKinesisStreamArn) {
    // PutRecordBatch is refused on a stream fed by a Kinesis data stream: fail loudly, not 8 times.
    throw new ReingestError(
      'kinesis-source',
      'cannot re-ingest overflow into a Kinesis-sourced delivery stream',
    );
  }
  // Records become Dropped only below this line, i.e. after their re-ingest succeeded.
  const reingest = overflow.length
    ? await options.reingester.put(event.deliveryStreamArn, overflow)
    : { bytes: 0, calls: 0 };

  const logged: LoggedRecord[] = event.records.map((record, i) => ({
    recordId: record.recordId,
    inputChars: record.data.length,
    result: results[i]!,
    final: finalOutcome(results[i]!.outcome, placements[i]!),
    deferred: placements[i] === 'reingest' ? 'reingested' : placements[i] === 'split' ? 'split' : null,
  }));
  const response = { records: logged.map((r) => toFirehoseRecord(r.recordId, r.final)) };
  const log = invocationLog(event.invocationId, logged, {
    responseBytes: responseBytes(response),
    reingestedBytes: reingest.bytes,
    reingestCalls: reingest.calls,
    dropped,
    unknownEvents,
  });
  return { response, log };
}

function finalOutcome(outcome: RecordOutcome, placement: Placement): RecordOutcome {
  switch (placement) {
    case 'keep':
      return outcome;
    case 'reingest':
      return { kind: 'dropped', reason: 'reingested' };
    case 'split':
      return { kind: 'dropped', reason: 'split-reingested' };
    case 'too-large':
      return { kind: 'failed', reason: 'output-too-large' };
  }
}

/** Decodes again (rare path) the DATA_MESSAGE of a record that already transformed cleanly. */
function dataMessageOf(data: string) {
  const payload = decodeCloudWatchPayload(data);
  if (payload.messageType !== 'DATA_MESSAGE') throw new Error('a split record must be a DATA_MESSAGE');
  return payload;
}
