import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * A lock file holding `{ pid, ... }`, for one writer per lake (`serve`) and one compaction at a
 * time. A lock whose process is gone (kill -9), or that names this process's pid without being
 * held by it (the same pid in an earlier life), is taken over.
 *
 *   <lake>/spool/.lock    {"pid":4711,"url":"http://127.0.0.1:4318","startedAt":"…"}
 */
export class LakeLockedError extends Error {
  override readonly name = 'LakeLockedError';
  constructor(
    readonly path: string,
    readonly holder: LockInfo,
  ) {
    super(`${path} is held by process ${holder.pid}`);
  }
}

/**
 * Locks this process holds. A lock file naming this process's pid that is not in here was left
 * by an earlier process that had the same pid: a restarted container (the pid namespace starts
 * over) or a reboot. It is stale, not ours.
 */
const heldHere = new Set<string>();

export interface LockInfo {
  readonly pid: number;
  readonly [key: string]: unknown;
}

export async function acquireLock(
  path: string,
  info: Omit<LockInfo, 'pid'> = {},
): Promise<() => Promise<void>> {
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify({ ...info, pid: process.pid }));
      await handle.sync();
      await handle.close();
      heldHere.add(resolve(path));
      return async () => {
        heldHere.delete(resolve(path));
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readLock(path);
      if (holder) throw new LakeLockedError(path, holder);
      await rm(path, { force: true });
    }
  }
  throw new Error(`could not take the lock ${path}`);
}

/** The holder of a lock whose process is alive, else null. */
export async function readLock(path: string): Promise<LockInfo | null> {
  let info: LockInfo;
  try {
    info = JSON.parse(await readFile(path, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
  if (typeof info?.pid !== 'number') return null;
  if (info.pid === process.pid) return heldHere.has(resolve(path)) ? info : null;
  try {
    process.kill(info.pid, 0);
    return info;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? info : null;
  }
}
