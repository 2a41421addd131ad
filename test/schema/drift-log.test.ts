import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { driftFile, driftLog, readDriftDay } from '../../functions/schema/drift-log.ts';
import { DroppedKeyCounter } from '../../functions/schema/dropped-keys.ts';

let lake: string;
beforeEach(async () => {
  lake = await mkdtemp(join(tmpdir(), 'drift-'));
});
afterEach(async () => {
  await rm(lake, { recursive: true, force: true });
});

const DAY1 = Date.UTC(2026, 11, 1, 23, 59);
const DAY2 = Date.UTC(2026, 11, 2, 0, 1);

describe('driftLog', () => {
  it('adds what the counters gained to the day of the write, names and counts only', async () => {
    const counters = { droppedKeys: new DroppedKeyCounter(), unknownEvents: new DroppedKeyCounter() };
    const drift = driftLog(lake, counters);
    counters.droppedKeys.add('prompt');
    counters.droppedKeys.add('prompt');
    counters.unknownEvents.add('hook_run');
    await drift.persist(DAY1);
    await drift.persist(DAY1); // nothing new: no change
    counters.droppedKeys.add('prompt');
    counters.droppedKeys.add('new.key');
    await drift.persist(DAY2);
    expect(await readDriftDay(driftFile(lake, '2026-12-01'))).toEqual({
      day: '2026-12-01',
      droppedKeys: { prompt: 2 },
      unknownEvents: { hook_run: 1 },
      updatedAt: new Date(DAY1).toISOString(),
    });
    expect((await readDriftDay(driftFile(lake, '2026-12-02')))?.droppedKeys).toEqual({
      prompt: 1,
      'new.key': 1,
    });
  });

  it('adds to a file an earlier process wrote the same day', async () => {
    const first = { droppedKeys: new DroppedKeyCounter(), unknownEvents: new DroppedKeyCounter() };
    first.droppedKeys.add('user.id');
    await driftLog(lake, first).persist(DAY1);
    const second = { droppedKeys: new DroppedKeyCounter(), unknownEvents: new DroppedKeyCounter() };
    second.droppedKeys.add('user.id');
    await driftLog(lake, second).persist(DAY1);
    expect((await readDriftDay(driftFile(lake, '2026-12-01')))?.droppedKeys).toEqual({ 'user.id': 2 });
  });

  it('a failed write loses nothing: the gain is written by the next call', async () => {
    const counters = { droppedKeys: new DroppedKeyCounter(), unknownEvents: new DroppedKeyCounter() };
    const drift = driftLog(lake, counters);
    counters.droppedKeys.add('prompt');
    await writeFile(join(lake, 'drift'), 'a file where the directory should be');
    await expect(drift.persist(DAY1)).rejects.toThrow();
    await rm(join(lake, 'drift'));
    await drift.persist(DAY1);
    expect(JSON.parse(await readFile(driftFile(lake, '2026-12-01'), 'utf8')).droppedKeys).toEqual({
      prompt: 1,
    });
  });
});
