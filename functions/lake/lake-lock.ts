import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * A lock file holding `{ pid, proc, ... }`, for one writer per lake (`serve`) and one compaction
 * at a time. A lock whose process is gone (kill -9), or that names this process's pid without
 * being held by it (the same pid in an earlier life), is taken over. So is a lock whose pid is
 * alive but is another process: `proc` is the holder's boot id and start time (from /proc), and
 * a reused pid (after a reboot or a container restart) has a different one. A lock without
 * `proc` (or on a system without /proc) is held while its pid lives, unless /proc shows that
 * pid's command line is not a claude-otel-lake process.
 *
 *   <lake>/spool/.lock    {"pid":4711,"proc":"5c1e…:912345","url":"http://127.0.0.1:4318","startedAt":"…"}
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

/** `<boot id>:<start time in clock ticks>` of a process, or null without /proc. */
export function processIdentity(pid: number): string | null {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime), counted after the parenthesised command name, which may hold spaces.
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return start ? `${boot}:${start}` : null;
  } catch {
    return null;
  }
}

/** This process's lock fields: its pid and identity. */
export const ownLockFields = (): { pid: number; proc?: string } => {
  const proc = processIdentity(process.pid);
  return proc ? { pid: process.pid, proc } : { pid: process.pid };
};

/** False only when /proc shows the pid runs something other than this tool (or Node). */
function mayBeOurs(pid: number): boolean {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return true;
  }
  return /claude-otel-lake|node|tsx|vitest/.test(cmdline);
}

export async function acquireLock(
  path: string,
  info: Omit<LockInfo, 'pid'> = {},
): Promise<() => Promise<void>> {
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify({ ...info, ...ownLockFields() }));
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
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  const now = processIdentity(info.pid);
  if (typeof info.proc === 'string' && now !== null) return now === info.proc ? info : null;
  return mayBeOurs(info.pid) ? info : null;
}
