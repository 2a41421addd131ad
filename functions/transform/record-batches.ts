/**
 * PutRecordBatch limits: 500 records per call; 1,000 KB per record; "a limit of 4 MB for the
 * entire request" (API reference). The decimal reading, 4,000,000 bytes, is the one that holds
 * whichever MB AWS means: a call over the limit fails whole, is retried in vain and fails the
 * invocation.
 */
export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 4_000_000;

/**
 * Groups records, in order, into PutRecordBatch calls within both limits:
 *
 *   batchRecords([3 MB, 2 MB, 1 KB]) -> [[3 MB], [2 MB, 1 KB]]
 */
export function batchRecords<T extends Uint8Array>(
  records: readonly T[],
  maxRecords = MAX_BATCH_RECORDS,
  maxBytes = MAX_BATCH_BYTES,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const record of records) {
    if (current.length > 0 && (current.length >= maxRecords || bytes + record.byteLength > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += record.byteLength;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
