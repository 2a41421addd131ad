import { type FileHandle, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Row } from '../schema/row.ts';
import { fsyncDir, newSegmentId, SPOOL_SUFFIX } from './spool-layout.ts';
import { encodeSpoolRecord } from './spool-record.ts';

/**
 * The fsync'd append-only spool: `append(rows)` resolves only once the rows are on disk.
 *
 * Every append is one framed record (spool-record.ts). Appends are serialized through one queue
 * (segment switches too, so no write ever lands in a closed segment) and group-committed: whatever arrived while the previous fsync ran is written with one
 * `writev` and made durable with one `fdatasync`, so concurrent requests never interleave and
 * throughput does not pay one fsync per request. A failed write (a full disk) is cut back to the
 * last good offset, so later records never follow a torn one; if even the cut fails, the next
 * write tries it again first and, at worst, overwrites the torn bytes in place (writes are
 * positional). The spool never gives up: once the disk has room, appends succeed again.
 */
export class SpoolError extends Error {
  override readonly name = 'SpoolError';
}

interface Pending {
  readonly buffer: Buffer;
  readonly rows: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class Spool {
  private queue: Pending[] = [];
  private lock: Promise<void> = Promise.resolve();
  private drainScheduled = false;
  /** Bytes past `bytes` may hold a failed write that could not be cut off yet. */
  private dirtyTail = false;

  private constructor(
    readonly dir: string,
    private segment: { id: string; path: string; handle: FileHandle },
    private bytes: number,
    private rowCount: number,
    private firstAppendAt: number | null,
  ) {}

  /** Starts a new, empty active segment in `dir` (existing segments are left to recovery). */
  static async open(dir: string): Promise<Spool> {
    return new Spool(dir, await Spool.newSegment(dir), 0, 0, null);
  }

  private static async newSegment(dir: string) {
    const id = newSegmentId();
    const path = join(dir, `${id}${SPOOL_SUFFIX}`);
    const handle = await open(path, 'wx');
    await fsyncDir(dir);
    return { id, path, handle };
  }

  /** Bytes, rows and age of the active segment. */
  get activeBytes(): number {
    return this.bytes;
  }
  get activeRows(): number {
    return this.rowCount;
  }
  get activeSince(): number | null {
    return this.firstAppendAt;
  }

  append(rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    const buffer = encodeSpoolRecord(rows);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ buffer, rows: rows.length, resolve, reject });
      if (!this.drainScheduled) {
        this.drainScheduled = true;
        void this.exclusive(() => this.drain());
      }
    });
  }

  /** Runs writes and segment switches one at a time, in call order. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(task);
    this.lock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const { handle } = this.segment;
      const start = this.bytes;
      try {
        if (this.dirtyTail) {
          await handle.truncate(start);
          this.dirtyTail = false;
        }
        const buffers = batch.map((p) => p.buffer);
        const size = buffers.reduce((n, b) => n + b.length, 0);
        const { bytesWritten } = await handle.writev(buffers, start);
        if (bytesWritten !== size)
          throw new SpoolError(`short spool write (${bytesWritten} of ${size} bytes)`);
        await handle.datasync();
        this.bytes = start + size;
        this.rowCount += batch.reduce((n, p) => n + p.rows, 0);
        this.firstAppendAt ??= Date.now();
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
        try {
          await handle.truncate(start);
          await handle.datasync();
        } catch {
          this.dirtyTail = true;
        }
      }
    }
    this.drainScheduled = false;
  }

  /** Waits for every append made before this call to be durable (or failed). */
  settle(): Promise<void> {
    return this.exclusive(async () => undefined);
  }

  /**
   * Closes the active segment and starts a new one (unless `reopen` is false); returns the
   * closed segment's path, or null when it held nothing (it is then reused or removed).
   */
  seal(reopen = true): Promise<{ id: string; path: string } | null> {
    return this.exclusive(async () => {
      if (this.bytes === 0 && reopen) return null;
      const closed = this.segment;
      if (this.bytes === 0) {
        // Closing with nothing spooled: no segment to flush (and no flush worker to start).
        await closed.handle.close();
        await rm(closed.path, { force: true });
        return null;
      }
      // The next segment first: if it cannot be created (a full disk), the active one stays.
      const next = reopen ? await Spool.newSegment(this.dir) : null;
      await closed.handle.close();
      if (next) this.segment = next;
      this.bytes = 0;
      this.rowCount = 0;
      this.firstAppendAt = null;
      return { id: closed.id, path: closed.path };
    });
  }
}
