import { parentPort } from 'node:worker_threads';
import { flushSegment } from './flush-segment.ts';
import type { TableName } from './lake-table.ts';

/**
 * Worker-thread entry of flush-thread.ts: runs `flushSegment` off the main thread, so writing
 * Parquet (CPU-bound in parquetjs-lite) does not stall the endpoint's acknowledgements.
 */
export interface FlushRequest {
  readonly id: number;
  readonly lake: string;
  readonly segment: string;
  readonly table?: TableName;
}

parentPort?.on('message', async ({ id, lake, segment, table }: FlushRequest) => {
  try {
    parentPort?.postMessage({ id, result: await flushSegment(lake, segment, table) });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
// Loaded: FlushThread.start() waits for this.
parentPort?.postMessage({ ready: true });
