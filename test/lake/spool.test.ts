import { appendFile, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushSegment, listSegments } from '../../functions/lake/flush-segment.ts';
import { FlushThread } from '../../functions/lake/flush-thread.ts';
import { readLock } from '../../functions/lake/lake-lock.ts';
import { LakeWriter } from '../../functions/lake/lake-writer.ts';
import { Spool } from '../../functions/lake/spool.ts';
import { spoolDir } from '../../functions/lake/spool-layout.ts';
import { decodeSpoolSegment, encodeSpoolRecord } from '../../functions/lake/spool-record.ts';
import type { Row } from '../../functions/schema/row.ts';
import { dataFiles, lakeRows } from '../helpers/lake-files.ts';

const DAY1 = Date.UTC(2026, 0, 5, 10);
const DAY2 = Date.UTC(2026, 0, 6, 10);
const row = (i: number, time = DAY1): Row => ({
  event_time: time + i,
  event_name: 'api_request',
  event_id: `ev-${i}`,
  session_id: 's',
  event_sequence: i,
  cost_usd: i / 1000,
  input_tokens: i,
});

let lake: string;
beforeEach(async () => {
  lake = await mkdtemp(join(tmpdir(), 'lake-spool-'));
});
afterEach(async () => {
  await rm(lake, { recursive: true, force: true });
});

describe('spool records', () => {
  it('round-trips and stops at a torn or corrupt tail', () => {
    const a = encodeSpoolRecord([row(1), row(2)]);
    const b = encodeSpoolRecord([row(3)]);
    expect(decodeSpoolSegment(Buffer.concat([a, b]))).toMatchObject({ records: 2, discardedBytes: 0 });
    expect(decodeSpoolSegment(Buffer.concat([a, b.subarray(0, b.length - 1)]))).toMatchObject({
      records: 1,
      discardedBytes: b.length - 1,
    });
    const corrupt = Buffer.from(b);
    corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 2) ^ 0xff, corrupt.length - 2);
    expect(decodeSpoolSegment(Buffer.concat([a, corrupt])).rows).toEqual([row(1), row(2)]);
  });
});

describe('Spool', () => {
  it('keeps concurrent appends whole, one record per append', async () => {
    await mkdir(spoolDir(lake), { recursive: true });
    const spool = await Spool.open(spoolDir(lake));
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        spool.append(Array.from({ length: 1 + (i % 7) }, (_, j) => row(i * 10 + j))),
      ),
    );
    const [segment] = await listSegments(lake);
    const contents = decodeSpoolSegment(await readFile(segment!));
    expect(contents.records).toBe(60);
    expect(contents.discardedBytes).toBe(0);
    expect(contents.rows.length).toBe(spool.activeRows);
    await spool.seal(false);
  });
});

describe('FlushThread', () => {
  it('flushes on a worker thread, with the same result as in-thread', async () => {
    await mkdir(spoolDir(lake), { recursive: true });
    const spool = await Spool.open(spoolDir(lake));
    await spool.append([row(1), row(2, DAY2)]);
    const segment = await spool.seal(false);
    const thread = new FlushThread();
    try {
      const result = await thread.run(lake, segment!.path);
      expect(thread.onWorker).toBe(true);
      expect(result).toMatchObject({ rows: 2, discardedBytes: 0 });
      expect(result.files.length).toBe(2);
      await expect(thread.run(lake, join(lake, 'missing.spool'))).rejects.toThrow(/ENOENT/);
    } finally {
      await thread.close();
    }
    expect((await lakeRows(lake)).length).toBe(2);
  });

  it('start() loads the worker ahead of the first flush, which then runs on it', async () => {
    await mkdir(spoolDir(lake), { recursive: true });
    const spool = await Spool.open(spoolDir(lake));
    await spool.append([row(1)]);
    const segment = await spool.seal(false);
    const thread = new FlushThread();
    try {
      await thread.start();
      expect(thread.onWorker).toBe(true);
      await thread.start();
      expect(await thread.run(lake, segment!.path)).toMatchObject({ rows: 1 });
      expect(thread.onWorker).toBe(true);
    } finally {
      await thread.close();
    }
  });
});

describe('Spool segment switches', () => {
  it('never loses or misplaces an append that races a seal', async () => {
    await mkdir(spoolDir(lake), { recursive: true });
    const spool = await Spool.open(spoolDir(lake));
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 100; i++) {
      work.push(spool.append([row(i)]));
      if (i % 7 === 0) work.push(spool.seal());
    }
    await Promise.all(work);
    await spool.seal(false);
    let total = 0;
    for (const segment of await listSegments(lake)) {
      const contents = decodeSpoolSegment(await readFile(segment));
      expect(contents.discardedBytes).toBe(0);
      total += contents.rows.length;
    }
    expect(total).toBe(100);
  });
});

describe('flushSegment and recovery', () => {
  it('writes one file per day named after the segment, and flushing again replaces it', async () => {
    const writer = await LakeWriter.open({ lake, flushIntervalMs: 3_600_000 });
    await writer.append([row(1), row(2, DAY2)]);
    await writer.append([row(3)]);
    // Simulate a crash after the Parquet files were renamed but before the segment was removed.
    const [segment] = await listSegments(lake);
    const copy = `${segment}.copy`;
    await copyFile(segment!, copy);
    const [result] = await writer.flush();
    expect(result!.files.map((f) => f.split('/').at(-2))).toEqual(['dt=2026-01-05', 'dt=2026-01-06']);
    await copyFile(copy, segment!);
    await rm(copy);
    await flushSegment(lake, segment!);
    expect((await dataFiles(lake)).length).toBe(2);
    expect((await lakeRows(lake)).map((r) => r.event_id).sort()).toEqual(['ev-1', 'ev-2', 'ev-3']);
    await writer.close();
  });

  it('recovers every durable row of a writer that died, exactly once, and drops a torn tail', async () => {
    const first = await LakeWriter.open({ lake, flushIntervalMs: 3_600_000 });
    await first.append([row(1), row(2)]);
    await first.append([row(3)]);
    const [segment] = await listSegments(lake);
    await appendFile(segment!, encodeSpoolRecord([row(99)]).subarray(0, 20)); // a write cut by the crash
    // kill -9: no close(); the lock names a dead process.
    await writeFile(join(spoolDir(lake), '.lock'), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    const second = await LakeWriter.open({ lake, flushIntervalMs: 3_600_000 });
    expect(second.recovered.reduce((n, r) => n + r.rows, 0)).toBe(3);
    expect(second.recovered[0]!.discardedBytes).toBe(20);
    await second.append([row(4)]);
    await second.close();
    expect((await lakeRows(lake)).map((r) => r.event_id).sort()).toEqual(['ev-1', 'ev-2', 'ev-3', 'ev-4']);
    expect(await listSegments(lake)).toEqual([]);
  });

  it('takes over a lock that names its own pid but that it does not hold (a restarted container)', async () => {
    const lock = join(spoolDir(lake), '.lock');
    const first = await LakeWriter.open({ lake, flushIntervalMs: 3_600_000 });
    expect(await readLock(lock)).toMatchObject({ pid: process.pid });
    await first.append([row(7)]);
    await first.close();
    // docker kill + restart: the new process gets the pid the old one had, and finds it in the lock.
    await writeFile(lock, JSON.stringify({ pid: process.pid, startedAt: 'in an earlier life' }));
    expect(await readLock(lock)).toBeNull();
    const second = await LakeWriter.open({ lake, flushIntervalMs: 3_600_000 });
    await second.append([row(8)]);
    await second.close();
    expect((await lakeRows(lake)).map((r) => r.event_id).sort()).toEqual(['ev-7', 'ev-8']);
  });

  it('refuses a second writer on the same lake while the first lives', async () => {
    const writer = await LakeWriter.open({ lake });
    await expect(LakeWriter.open({ lake })).rejects.toThrow(/held by process/);
    await writer.close();
  });

  it('flushes on the size threshold and on the time threshold', async () => {
    const writer = await LakeWriter.open({ lake, flushBytes: 1, flushIntervalMs: 200 });
    await writer.append([row(1)]);
    await expect.poll(async () => (await dataFiles(lake)).length, { timeout: 5_000 }).toBe(1);
    await writer.close();
    const timed = await LakeWriter.open({ lake, flushIntervalMs: 200 });
    await timed.append([row(2)]);
    await expect.poll(async () => (await dataFiles(lake)).length, { timeout: 5_000 }).toBe(2);
    await timed.close();
  });
});
