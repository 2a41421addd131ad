/**
 * Errors of the transform. Per-record problems are outcomes (outcome.ts), not exceptions; these
 * are thrown only when the whole invocation must fail so that Firehose retries the batch.
 */

export type ReingestErrorCode = 'bad-stream-arn' | 'kinesis-source' | 'put-failed';

/** Overflow could not be re-ingested; thrown so that Firehose retries the whole batch. */
export class ReingestError extends Error {
  override readonly name = 'ReingestError';
  constructor(
    readonly code: ReingestErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
