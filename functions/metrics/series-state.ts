import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The last cumulative point seen per series, kept in the lake so a restart continues each series
 * instead of counting its whole total again: `<lake>/state/metrics-cumulative.json`,
 *
 *   {"version":1,"series":{"<series hash>":["<start ns>","<time ns>",12]}}
 *
 * Only series hashes and numbers: no attribute value is ever written here. Saved atomically
 * (temporary file, fsync, rename, fsync of the directory). A series not updated for
 * RETENTION_MS is forgotten (a Claude Code process lives for one session). A missing or
 * unreadable file starts empty; what that means for counting is in increments.ts.
 */
export interface SeriesPoint {
  readonly startNanos: string;
  readonly timeNanos: string;
  readonly value: number;
}

export const RETENTION_MS = 7 * 24 * 3600 * 1000;

export const seriesStatePath = (lake: string): string => join(lake, 'state', 'metrics-cumulative.json');

export class SeriesState {
  private constructor(
    private readonly path: string,
    private readonly series: Map<string, SeriesPoint>,
    /** Why the file could not be read, when it existed but was not valid. */
    readonly loadError: string | null,
  ) {}

  static async load(lake: string): Promise<SeriesState> {
    const path = seriesStatePath(lake);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new SeriesState(path, new Map(), null);
      return new SeriesState(path, new Map(), 'unreadable');
    }
    try {
      const parsed = JSON.parse(text) as { version?: number; series?: Record<string, unknown> };
      const series = new Map<string, SeriesPoint>();
      for (const [key, entry] of Object.entries(parsed.series ?? {})) {
        if (!Array.isArray(entry) || entry.length !== 3) continue;
        const [startNanos, timeNanos, value] = entry as unknown[];
        if (typeof startNanos === 'string' && typeof timeNanos === 'string' && typeof value === 'number')
          series.set(key, { startNanos, timeNanos, value });
      }
      return new SeriesState(path, series, null);
    } catch {
      return new SeriesState(path, new Map(), 'not valid JSON');
    }
  }

  get(key: string): SeriesPoint | undefined {
    return this.series.get(key);
  }

  set(key: string, point: SeriesPoint): void {
    this.series.set(key, point);
  }

  get size(): number {
    return this.series.size;
  }

  async save(now = Date.now()): Promise<void> {
    const cutoff = BigInt(now - RETENTION_MS) * 1_000_000n;
    for (const [key, point] of this.series) if (BigInt(point.timeNanos) < cutoff) this.series.delete(key);
    const series: Record<string, [string, string, number]> = {};
    for (const [key, p] of this.series) series[key] = [p.startNanos, p.timeNanos, p.value];
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true });
    const temporary = `${this.path}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(JSON.stringify({ version: 1, series }));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.path);
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }
}
