import type { QueryResult, QueryWindow } from '../sql/engine.ts';

/**
 * Results cached per (query, window), so reloading the page over Athena does not rescan S3.
 *
 * - A window that ended more than `settleMs` ago no longer changes: its entry lives until the
 *   cache is full (least recently used goes first).
 * - A window still open (today in it, or data still arriving) lives `openTtlMs`.
 * - Concurrent requests for one key share one run; a failed run is not cached.
 */
export interface ResultCacheOptions {
  /** Most entries kept (default 256). */
  readonly maxEntries?: number;
  /** Lifetime of an entry whose window is still open, ms (default 60 s). */
  readonly openTtlMs?: number;
  /** How long after its end a window may still receive late data, ms (default 1 h). */
  readonly settleMs?: number;
  readonly now?: () => number;
}

interface Entry {
  readonly result: Promise<QueryResult>;
  readonly expiresAt: number;
}

export interface CachedResult {
  readonly result: QueryResult;
  /** True when the result came from the cache (no query ran for this request). */
  readonly hit: boolean;
}

export const cacheKey = (name: string, window: QueryWindow): string =>
  `${name}|${window.from.toISOString()}|${window.to.toISOString()}|${window.timeZone}|${JSON.stringify(window.filters ?? {})}`;

export class ResultCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly openTtlMs: number;
  private readonly settleMs: number;
  private readonly now: () => number;

  constructor(options: ResultCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 256;
    this.openTtlMs = options.openTtlMs ?? 60_000;
    this.settleMs = options.settleMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached result of `name` over `window`, or the result of `run()`, remembered. */
  async get(name: string, window: QueryWindow, run: () => Promise<QueryResult>): Promise<CachedResult> {
    const key = cacheKey(name, window);
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) {
      this.entries.delete(key); // re-insert: most recently used last
      this.entries.set(key, entry);
      return { result: await entry.result, hit: true };
    }
    const settled = window.to.getTime() + this.settleMs <= now;
    const result = run();
    const fresh: Entry = { result, expiresAt: settled ? Number.POSITIVE_INFINITY : now + this.openTtlMs };
    this.entries.delete(key);
    this.entries.set(key, fresh);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    try {
      return { result: await result, hit: false };
    } catch (error) {
      if (this.entries.get(key) === fresh) this.entries.delete(key);
      throw error;
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
