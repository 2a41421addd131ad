import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { flushSegment } from './flush-segment.ts';
import type { TableName } from './lake-table.ts';

/**
 * Worker-thread entry of flush-thread.ts: runs `flushSegment` off the main thread, so writing
 * Parquet (CPU-bound in parquetjs-lite) does not stall the endpoint's acknowledgements.
 */
/** The flush thread's nice value (0 = normal, 19 = lowest). */
const FLUSH_NICE = 10;

export interface FlushRequest {
  readonly id: number;
  readonly lake: string;
  readonly segment: string;
  readonly table?: TableName;
}

// Background work: on Linux this lowers this thread alone (a thread is a task to the scheduler;
// libuv's thread pool was started by the main thread and keeps its priority), so when the cores
// are busy the endpoint's thread, which acknowledges requests, comes first and the flush takes
// the idle cycles (2 cores: the endpoint, a client and a flush no longer share them evenly).
try {
  setPriority(FLUSH_NICE);
} catch {
  // not permitted or not supported: the flush runs at normal priority
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
