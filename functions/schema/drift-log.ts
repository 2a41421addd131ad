import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DroppedKeyCounter } from './dropped-keys.ts';

/**
 * Schema drift that lasts: the names (never values) and counts of attribute keys the allowlist
 * dropped and of event names the schema does not know, added up per UTC day in a small JSON file
 * under the lake, so a new Claude Code version's new fields show up without reading serve's
 * stderr at the right moment:
 *
 *   <lake>/drift/2026-12-01.json
 *   {"day":"2026-12-01","droppedKeys":{"user.id":109,"prompt":7},"unknownEvents":{"hook_run":2},
 *    "updatedAt":"2026-12-01T21:40:00.000Z"}
 *
 * `persist()` writes what the counters gained since the previous call (atomically: temporary
 * file, then rename); a failed write keeps the gain for the next call.
 */
export const DRIFT_DIR = 'drift';

export interface DriftCounters {
  readonly droppedKeys: DroppedKeyCounter;
  readonly unknownEvents: DroppedKeyCounter;
}

export interface DriftDay {
  readonly day: string;
  readonly droppedKeys: Record<string, number>;
  readonly unknownEvents: Record<string, number>;
  readonly updatedAt: string;
}

export const driftFile = (lake: string, day: string): string => join(lake, DRIFT_DIR, `${day}.json`);

export interface DriftLog {
  persist(now?: number): Promise<void>;
}

export function driftLog(lake: string, counters: DriftCounters): DriftLog {
  const written = { droppedKeys: {} as Record<string, number>, unknownEvents: {} as Record<string, number> };
  let queue: Promise<void> = Promise.resolve();
  const persistOnce = async (now: number) => {
    const current = {
      droppedKeys: counters.droppedKeys.toJSON(),
      unknownEvents: counters.unknownEvents.toJSON(),
    };
    const gain = {
      droppedKeys: minus(current.droppedKeys, written.droppedKeys),
      unknownEvents: minus(current.unknownEvents, written.unknownEvents),
    };
    if (!Object.keys(gain.droppedKeys).length && !Object.keys(gain.unknownEvents).length) return;
    const day = new Date(now).toISOString().slice(0, 10);
    const path = driftFile(lake, day);
    const before = await readDriftDay(path);
    const next: DriftDay = {
      day,
      droppedKeys: plus(before?.droppedKeys ?? {}, gain.droppedKeys),
      unknownEvents: plus(before?.unknownEvents ?? {}, gain.unknownEvents),
      updatedAt: new Date(now).toISOString(),
    };
    await mkdir(join(lake, DRIFT_DIR), { recursive: true });
    const temporary = `${path}.${randomUUID()}.partial`;
    await writeFile(temporary, `${JSON.stringify(next)}\n`);
    await rename(temporary, path);
    written.droppedKeys = current.droppedKeys;
    written.unknownEvents = current.unknownEvents;
  };
  return {
    // One write at a time: two overlapping calls would both add the same gain.
    persist(now = Date.now()) {
      const run = queue.then(() => persistOnce(now));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** A day's drift file, or null when there is none (or it is not ours to read). */
export async function readDriftDay(path: string): Promise<DriftDay | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as DriftDay;
    return typeof parsed === 'object' && parsed !== null ? parsed : null;
  } catch {
    return null;
  }
}

function minus(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(a)) if (n - (b[k] ?? 0) > 0) out[k] = n - (b[k] ?? 0);
  return out;
}

function plus(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return Object.fromEntries(Object.entries(out).sort((x, y) => y[1] - x[1]));
}
