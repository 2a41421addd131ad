import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorsDir } from './lake-layout.ts';

/**
 * What was rejected, counted, with reason and size: one JSON line per (request, reason) in
 * `<lake>/errors/rejected-YYYY-MM-DD.jsonl`. Never the content: reasons are fixed texts.
 *
 *   {"time":"2026-01-05T10:00:00.000Z","kind":"record","reason":"invalid event name","count":2,"bytes":612}
 *   {"time":"…","kind":"request","status":400,"reason":"bad-protobuf","count":1,"bytes":5123}
 *
 * Raw request bodies may hold secrets; they are kept (under `errors/bodies/`) only when the
 * operator asks for it (`keepBodies`, the `serve --debug-keep-rejected` flag).
 */
export interface RejectionEntry {
  readonly kind: 'record' | 'request' | 'skipped' | 'spool' | 'lake';
  readonly reason: string;
  readonly count: number;
  readonly bytes: number;
  readonly status?: number;
}

export class ErrorsLog {
  private chain: Promise<void> = Promise.resolve();
  private readonly totals = new Map<string, { count: number; bytes: number }>();

  constructor(
    readonly lake: string,
    private readonly keepBodies = false,
  ) {}

  /** Counts the entry and appends it to today's file (in order, errors of the log itself ignored). */
  record(entry: RejectionEntry): void {
    const key = `${entry.kind}: ${entry.reason}`;
    const total = this.totals.get(key) ?? { count: 0, bytes: 0 };
    total.count += entry.count;
    total.bytes += entry.bytes;
    this.totals.set(key, total);
    const now = new Date();
    const line = `${JSON.stringify({ time: now.toISOString(), ...entry })}\n`;
    const dir = errorsDir(this.lake);
    const file = join(dir, `rejected-${now.toISOString().slice(0, 10)}.jsonl`);
    this.enqueue(async () => {
      await mkdir(dir, { recursive: true });
      await appendFile(file, line);
    });
  }

  /** Keeps a rejected body for debugging, only when enabled; returns whether it did. */
  keepBody(body: Uint8Array, extension: string): boolean {
    if (!this.keepBodies) return false;
    const dir = join(errorsDir(this.lake), 'bodies');
    const file = join(dir, `${Date.now()}-${randomUUID()}.${extension}`);
    this.enqueue(async () => {
      await mkdir(dir, { recursive: true });
      await writeFile(file, body);
    });
    return true;
  }

  /** Totals by `kind: reason` since start. */
  summary(): Record<string, { count: number; bytes: number }> {
    return Object.fromEntries([...this.totals].map(([k, v]) => [k, { ...v }]));
  }

  /** Resolves when every queued line is written. */
  settled(): Promise<void> {
    return this.chain;
  }

  private enqueue(task: () => Promise<void>): void {
    this.chain = this.chain.then(task).catch(() => undefined);
  }
}
