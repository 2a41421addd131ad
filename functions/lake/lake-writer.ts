import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Row } from '../schema/row.ts';
import { recoverCompactions } from './compact-journal.ts';
import { listDataFiles } from './data-files.ts';
import type { ErrorsLog } from './errors-log.ts';
import { type FlushResult, flushSegment, spoolEntries } from './flush-segment.ts';
import { FlushThread } from './flush-thread.ts';
import { acquireLock, ownLockFields, readLock } from './lake-lock.ts';
import type { TableName } from './lake-table.ts';
import { quarantineFile } from './quarantine.ts';
import { Spool } from './spool.ts';
import { spoolDir } from './spool-layout.ts';

/**
 * The local lake's single writer: durable appends into the spool, flushed to Parquet when the
 * active segment reaches `flushBytes` or its oldest row is `flushIntervalMs` old, and on close.
 *
 * On open it takes `<lake>/spool/.lock` (one writer per lake; a dead holder is taken over) and
 * recovers: leftover compaction journals are replayed and every segment a previous process left
 * behind (kill -9, power loss) is flushed, so every acknowledged row lands exactly once.
 */
export interface LakeWriterOptions {
  readonly lake: string;
  /** Flush once the active segment holds this many bytes. @default 8 MiB */
  readonly flushBytes?: number;
  /** Flush once the oldest unflushed row is this old. @default 60000 */
  readonly flushIntervalMs?: number;
  readonly errors?: ErrorsLog;
  readonly onFlush?: (result: FlushResult) => void;
  /** A background flush failed; its segment stays in the spool and is retried. */
  readonly onError?: (error: unknown) => void;
  /** Write Parquet on a worker thread, so acknowledgements do not wait behind a flush. @default true */
  readonly flushInWorker?: boolean;
  /** The table this writer appends to (its own spool directory and lock). @default 'events' */
  readonly table?: TableName;
  /** One line per thing recovery found wrong (a damaged segment, a stray entry, a bad file). */
  readonly log?: (line: string) => void;
}

export const DEFAULT_FLUSH_BYTES = 8 * 1024 * 1024;
export const DEFAULT_FLUSH_INTERVAL_MS = 60_000;
export const COMPACT_LOCK = '.compact.lock';

export const lockPath = (lake: string, table: TableName = 'events'): string =>
  join(spoolDir(lake, table), '.lock');

export class LakeWriter {
  private sealed: string[] = [];
  private flushing: Promise<FlushResult[]> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Set when close ran out of time: no further segment is started. */
  private abandoned = false;
  private readonly thread: FlushThread | null;

  private constructor(
    readonly lake: string,
    private readonly spool: Spool,
    private readonly release: () => Promise<void>,
    private readonly options: LakeWriterOptions,
    /** What recovery flushed on open. */
    readonly recovered: readonly FlushResult[],
  ) {
    this.thread = options.flushInWorker === false ? null : new FlushThread();
  }

  static async open(options: LakeWriterOptions): Promise<LakeWriter> {
    const { lake } = options;
    const table = options.table ?? 'events';
    await mkdir(spoolDir(lake, table), { recursive: true });
    const release = await acquireLock(lockPath(lake, table), { startedAt: new Date().toISOString() });
    try {
      if (table === 'events' && !(await readLock(join(lake, COMPACT_LOCK)))) await recoverCompactions(lake);
      if (table === 'events') await quarantineBadDataFiles(options);
      const { segments, unexpected } = await spoolEntries(lake, table);
      for (const entry of unexpected) {
        options.log?.(`left alone: ${entry} is not a spool segment`);
        options.errors?.record({
          kind: 'spool',
          reason: 'unexpected entry in spool/ (left alone)',
          count: 1,
          bytes: 0,
        });
      }
      const recovered: FlushResult[] = [];
      const retry: string[] = [];
      for (const segment of segments) {
        try {
          const result = await flushSegment(lake, segment, table);
          reportFlush(result, options);
          recovered.push(result);
        } catch (error) {
          // Disk full or a write error: the segment stays in the spool and is flushed later.
          options.onError?.(error);
          retry.push(segment);
        }
      }
      const writer = new LakeWriter(
        lake,
        await Spool.open(spoolDir(lake, table)),
        release,
        options,
        recovered,
      );
      writer.sealed.push(...retry);
      writer.startTimer();
      return writer;
    } catch (error) {
      await release();
      throw error;
    }
  }

  /** Adds fields (e.g. the endpoint URL) to the lock file, for `demo` to find a running endpoint. */
  async announce(info: Record<string, unknown>): Promise<void> {
    const temporary = `${lockPath(this.lake, this.options.table)}.tmp`;
    await writeFile(temporary, JSON.stringify({ ...info, ...ownLockFields() }));
    await rename(temporary, lockPath(this.lake, this.options.table));
  }

  /** Resolves once the rows are durable in the spool. */
  async append(rows: readonly Row[]): Promise<void> {
    if (this.closed) throw new Error('the lake writer is closed');
    await this.spool.append(rows);
    if (this.spool.activeBytes >= (this.options.flushBytes ?? DEFAULT_FLUSH_BYTES)) this.flushInBackground();
  }

  /** Starts the flush worker ahead of the first flush (serve does, before it listens). */
  warmUp(): Promise<void> {
    return this.thread?.start() ?? Promise.resolve();
  }

  get pendingRows(): number {
    return this.spool.activeRows;
  }

  /** Seals the active segment and moves every sealed segment into Parquet files. */
  flush(): Promise<FlushResult[]> {
    const previous = this.flushing ?? Promise.resolve([]);
    const next = previous
      .catch(() => [])
      .then(async () => {
        const segment = await this.spool.seal(!this.closed);
        if (segment) this.sealed.push(segment.path);
        const results: FlushResult[] = [];
        while (this.sealed.length > 0 && !this.abandoned) {
          const segment = this.sealed[0]!;
          results.push(
            await (this.thread
              ? this.thread.run(this.lake, segment, this.options.table)
              : flushSegment(this.lake, segment, this.options.table)),
          );
          this.sealed.shift();
          reportFlush(results.at(-1)!, this.options);
          this.options.onFlush?.(results.at(-1)!);
        }
        return results;
      });
    this.flushing = next;
    void next
      .finally(() => {
        if (this.flushing === next) this.flushing = null;
      })
      .catch(() => undefined);
    return next;
  }

  private flushInBackground(): void {
    if (this.flushing) return;
    this.flush().catch((error) => this.options.onError?.(error));
  }

  private startTimer(): void {
    const interval = this.options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.timer = setInterval(
      () => {
        const since = this.spool.activeSince;
        if ((since !== null && Date.now() - since >= interval) || this.sealed.length > 0)
          this.flushInBackground();
      },
      Math.max(50, Math.min(1000, interval / 4)),
    );
    this.timer.unref();
  }

  /**
   * Flushes and releases the lake; appends after this fail. With `flushMs`, flushing stops after
   * that long (a flush in progress on the worker is cut; it is idempotent): the active segment is
   * sealed first, so everything not flushed stays in the spool and the next start flushes it.
   */
  async close({ flushMs = Number.POSITIVE_INFINITY }: { flushMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    try {
      const flushing = this.flush();
      if (Number.isFinite(flushMs)) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), flushMs);
        });
        const outcome = await Promise.race([flushing.then(() => 'done' as const), timeout]).finally(() =>
          clearTimeout(timer),
        );
        if (outcome === 'timeout') {
          this.abandoned = true;
          this.options.log?.(
            `stopping after ${flushMs} ms of flushing: ${this.sealed.length} spool segment(s) left for the next start`,
          );
        }
      } else await flushing;
    } finally {
      await this.thread?.close();
      await this.release();
    }
  }
}

/** Moves data files that cannot be Parquet (empty, garbage) to the quarantine, one line each. */
async function quarantineBadDataFiles(options: LakeWriterOptions): Promise<void> {
  for (const bad of (await listDataFiles(options.lake)).bad) {
    const kept = await quarantineFile(options.lake, bad.path, bad.reason, options.errors);
    options.log?.(`quarantined ${bad.path} (${bad.reason}) -> ${kept}`);
  }
}

/** What a flush could not store, said once in `errors/` and once in the log. */
function reportFlush(result: FlushResult, options: LakeWriterOptions): void {
  for (const range of result.damaged) {
    const reason =
      range.kind === 'torn-tail'
        ? 'torn tail after a crash (never acknowledged), kept in quarantine'
        : 'damaged spool bytes skipped (rows in them are lost unless repaired by hand), kept in quarantine';
    options.errors?.record({ kind: 'spool', reason, count: 1, bytes: range.bytes });
  }
  if (result.invalidRows > 0) {
    options.errors?.record({
      kind: 'spool',
      reason: 'spooled rows without a valid event time, kept in quarantine',
      count: result.invalidRows,
      bytes: 0,
    });
  }
  if (result.quarantined) {
    const damagedBytes = result.damaged.reduce((n, d) => n + d.bytes, 0);
    options.log?.(
      `spool segment ${result.segment}: ${result.rows} rows stored; ${damagedBytes} bytes undecodable (${result.damaged.map((d) => `${d.kind} at ${d.offset}`).join(', ') || 'none'}), ${result.invalidRows} rows without a valid time; segment kept as ${result.quarantined}`,
    );
  }
}
