/** PutRecordBatch limits: 500 records and 4 MiB per call; 1,000 KiB per record. */
export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Groups records, in order, into PutRecordBatch calls within both limits:
 *
 *   batchRecords([3 MiB, 2 MiB, 1 KiB]) -> [[3 MiB], [2 MiB, 1 KiB]]
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
