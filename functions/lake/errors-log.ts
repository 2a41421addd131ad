import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorsDir } from './lake-layout.ts';

/**
 * What was rejected, counted, with reason and size, in `<lake>/errors/rejected-YYYY-MM-DD.jsonl`:
 * one JSON line per (kind, reason, status) and minute, so a flood of bad requests (or aborted
 * connections) adds at most one line per reason per minute. `time` is the minute's start; a
 * minute's line is written once the minute is over (or on `settled()`, at shutdown). Never the
 * content: reasons are fixed texts.
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

const MINUTE_MS = 60_000;

export class ErrorsLog {
  private chain: Promise<void> = Promise.resolve();
  private readonly totals = new Map<string, { count: number; bytes: number }>();
  /** This minute's entries by (kind, reason, status), not written yet. */
  private minute = 0;
  private pending = new Map<string, RejectionEntry & { count: number; bytes: number }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly lake: string,
    private readonly keepBodies = false,
  ) {}

  /** Counts the entry into this minute's line for its reason (written when the minute ends). */
  record(entry: RejectionEntry): void {
    const key = `${entry.kind}: ${entry.reason}`;
    const total = this.totals.get(key) ?? { count: 0, bytes: 0 };
    total.count += entry.count;
    total.bytes += entry.bytes;
    this.totals.set(key, total);
    const minute = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    if (minute !== this.minute) this.writePending();
    this.minute = minute;
    const lineKey = `${key}\0${entry.status ?? ''}`;
    const line = this.pending.get(lineKey);
    if (line) {
      line.count += entry.count;
      line.bytes += entry.bytes;
    } else this.pending.set(lineKey, { ...entry });
    if (this.timer === null) {
      this.timer = setTimeout(() => this.writePending(), minute + MINUTE_MS - Date.now() + 10);
      this.timer.unref();
    }
  }

  private writePending(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const time = new Date(this.minute);
    const lines = [...this.pending.values()].map(
      (e) => `${JSON.stringify({ time: time.toISOString(), ...e })}\n`,
    );
    this.pending = new Map();
    const dir = errorsDir(this.lake);
    const file = join(dir, `rejected-${time.toISOString().slice(0, 10)}.jsonl`);
    this.enqueue(async () => {
      await mkdir(dir, { recursive: true });
      await appendFile(file, lines.join(''));
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

  /** Writes this minute's lines now; resolves when every line is written. */
  settled(): Promise<void> {
    this.writePending();
    return this.chain;
  }

  private enqueue(task: () => Promise<void>): void {
    this.chain = this.chain.then(task).catch(() => undefined);
  }
}
