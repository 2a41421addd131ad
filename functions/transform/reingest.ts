import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { parseDeliveryStreamArn } from './delivery-stream.ts';
import { ReingestError } from './errors.ts';
import { batchRecords } from './record-batches.ts';

/** Puts records back into a delivery stream; resolves only once every record was accepted. */
export interface Reingester {
  put(deliveryStreamArn: string, records: readonly Uint8Array[]): Promise<ReingestStats>;
}

export interface ReingestStats {
  readonly records: number;
  readonly bytes: number;
  /** PutRecordBatch calls, retries included. */
  readonly calls: number;
}

export interface FirehoseReingesterOptions {
  /** The client for a region; defaults to one cached `new FirehoseClient({ region })` per region. */
  readonly clientFor?: (region: string) => FirehoseClient;
  /** Calls per batch before giving up, first try included. @default 8 */
  readonly maxAttempts?: number;
  /** First backoff; doubles per retry with jitter, capped at 2 s. @default 100 */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Re-ingests with PutRecordBatch as AWS's CloudWatch-logs blueprint does: batches of at most 500
 * records and 4 MB; only the entries that failed (all of them, if the call threw) are retried,
 * with exponential backoff; after `maxAttempts` a ReingestError is thrown, so the invocation fails
 * and Firehose retries the whole batch (records already put may then arrive twice).
 */
export function firehoseReingester(options: FirehoseReingesterOptions = {}): Reingester {
  const clientFor = options.clientFor ?? cachedClients();
  const retry: RetryOptions = {
    maxAttempts: options.maxAttempts ?? 8,
    baseDelayMs: options.baseDelayMs ?? 100,
    sleep: options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
  };
  return {
    async put(deliveryStreamArn, records) {
      const stream = parseDeliveryStreamArn(deliveryStreamArn);
      const client = clientFor(stream.region);
      let calls = 0;
      let bytes = 0;
      for (const batch of batchRecords(records)) {
        calls += await putBatch(client, stream.name, batch, retry);
        for (const record of batch) bytes += record.byteLength;
      }
      return { records: records.length, bytes, calls };
    },
  };
}

interface RetryOptions {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Puts one batch, retrying what failed; returns the number of calls made. */
async function putBatch(
  client: FirehoseClient,
  streamName: string,
  batch: readonly Uint8Array[],
  retry: RetryOptions,
): Promise<number> {
  let pending = batch;
  for (let attempt = 1; ; attempt++) {
    let why: string;
    let cause: unknown;
    try {
      const command = new PutRecordBatchCommand({
        DeliveryStreamName: streamName,
        Records: pending.map((Data) => ({ Data })),
      });
      const entries = (await client.send(command)).RequestResponses ?? [];
      const failed = pending.filter((_, i) => !entries[i] || entries[i].ErrorCode);
      if (failed.length === 0) return attempt;
      const codes = [...new Set(entries.map((e) => e.ErrorCode).filter(Boolean))].join(', ');
      why = `${failed.length} of ${pending.length} records failed (${codes || 'no entry'})`;
      pending = failed;
    } catch (error) {
      cause = error;
      why = `PutRecordBatch threw ${error instanceof Error ? error.name : typeof error}`;
    }
    if (attempt >= retry.maxAttempts) {
      throw new ReingestError('put-failed', `re-ingest failed after ${attempt} attempts: ${why}`, { cause });
    }
    await retry.sleep(backoffMs(attempt, retry.baseDelayMs));
  }
}

/** Exponential backoff with jitter: between half and all of base * 2^(retry-1), at most 2 s. */
export function backoffMs(retry: number, baseMs: number): number {
  const step = Math.min(2_000, baseMs * 2 ** (retry - 1));
  return Math.round(step / 2 + (Math.random() * step) / 2);
}

function cachedClients(): (region: string) => FirehoseClient {
  const clients = new Map<string, FirehoseClient>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = new FirehoseClient({ region });
      clients.set(region, client);
    }
    return client;
  };
}
