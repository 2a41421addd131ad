import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LakeLockedError, processIdentity } from '../../functions/lake/lake-lock.ts';
import { LakeWriter, lockPath } from '../../functions/lake/lake-writer.ts';
import { spoolDir } from '../../functions/lake/spool-layout.ts';

/** Issue 11, item 6: a lock is taken over only when its pid is not really the holder. */
let lake: string;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await rm(lake, { recursive: true, force: true });
});

async function liveUnrelatedPid(): Promise<number> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  await new Promise<void>((r) => child.once('spawn', () => r()));
  return child.pid!;
}

async function writeLock(info: Record<string, unknown>) {
  await mkdir(spoolDir(lake), { recursive: true });
  await writeFile(lockPath(lake), JSON.stringify(info));
}

describe('lake lock takeover', () => {
  it('takes over a lock naming a live but unrelated pid (pid reuse: other start time)', async () => {
    lake = await mkdtemp(join(tmpdir(), 'lake-lock-'));
    const pid = await liveUnrelatedPid();
    expect(processIdentity(pid)).not.toBeNull();
    await writeLock({ pid, proc: 'some-other-boot:12345' });
    const writer = await LakeWriter.open({ lake, flushInWorker: false });
    await writer.close();
  });

  it('takes over an old-format lock (no proc) whose live pid is not a claude-otel-lake process', async () => {
    lake = await mkdtemp(join(tmpdir(), 'lake-lock-'));
    await writeLock({ pid: await liveUnrelatedPid() });
    const writer = await LakeWriter.open({ lake, flushInWorker: false });
    await writer.close();
  });

  it('refuses while the pid recorded is really the holder (same boot id and start time)', async () => {
    lake = await mkdtemp(join(tmpdir(), 'lake-lock-'));
    const pid = await liveUnrelatedPid();
    await writeLock({ pid, proc: processIdentity(pid) });
    await expect(LakeWriter.open({ lake, flushInWorker: false })).rejects.toBeInstanceOf(LakeLockedError);
  });
});
