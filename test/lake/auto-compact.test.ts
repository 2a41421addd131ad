import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTeamActivity } from '../../functions/demo/team-activity.ts';
import { startAutoCompaction } from '../../functions/lake/auto-compact.ts';
import { writeRowsToLake } from '../../functions/lake/lake-layout.ts';
import { acquireLock } from '../../functions/lake/lake-lock.ts';
import { COMPACT_LOCK } from '../../functions/lake/lake-writer.ts';
import { sanitizeEvents } from '../helpers/lake.ts';
import { dataFiles, lakeRows } from '../helpers/lake-files.ts';

const endMs = Date.UTC(2026, 0, 8);
const rows = sanitizeEvents(generateTeamActivity({ seed: 5, teamSize: 3, days: 3, endMs }).events);
const HOUR = 3_600_000;

let lake = '';
afterEach(async () => {
  await rm(lake, { recursive: true, force: true });
});

async function smallFilesLake(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lake-auto-compact-'));
  for (let i = 0; i < rows.length; i += 100) await writeRowsToLake(dir, rows.slice(i, i + 100));
  return dir;
}

const filesOfDay = (files: string[], dt: string) => files.filter((f) => f.includes(`dt=${dt}`));

describe('startAutoCompaction', () => {
  it('merges every day before today into one file with the same rows, and leaves today alone', async () => {
    lake = await smallFilesLake();
    const today = '2026-01-07'; // the last generated day: still being written
    const before = await dataFiles(lake);
    expect(filesOfDay(before, today).length).toBeGreaterThan(1);
    const rowsBefore = await lakeRows(lake);
    const lines: string[] = [];
    const now = () => Date.parse(`${today}T12:00:00Z`);
    const auto = startAutoCompaction({ lake, intervalMs: HOUR, log: (l) => lines.push(l), now });
    const merged = await auto.runOnce();
    await auto.stop();

    expect(merged.map((r) => r.dt)).toEqual(['2026-01-05', '2026-01-06']);
    const after = await dataFiles(lake);
    expect(filesOfDay(after, '2026-01-05')).toHaveLength(1);
    expect(filesOfDay(after, '2026-01-06')).toHaveLength(1);
    expect(filesOfDay(after, today)).toEqual(filesOfDay(before, today));
    expect(await lakeRows(lake)).toEqual(rowsBefore);
    expect(lines).toEqual([
      expect.stringMatching(/^compacted 2026-01-05: \d+ files -> 1 file, \d+ rows$/),
      expect.stringMatching(/^compacted 2026-01-06: \d+ files -> 1 file, \d+ rows$/),
    ]);
    // A second round finds nothing to merge and says nothing.
    const again = startAutoCompaction({ lake, intervalMs: HOUR, log: (l) => lines.push(l), now });
    expect(await again.runOnce()).toEqual([]);
    await again.stop();
    expect(lines).toHaveLength(2);
  });

  it('runs on its timer', async () => {
    lake = await smallFilesLake();
    const lines: string[] = [];
    const auto = startAutoCompaction({ lake, intervalMs: HOUR, firstDelayMs: 10, log: (l) => lines.push(l) });
    await expect.poll(() => lines.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await auto.stop();
    expect(lines.every((l) => l.startsWith('compacted '))).toBe(true);
  });

  it('skips a round, without throwing, while another compaction holds the lake', async () => {
    lake = await smallFilesLake();
    const release = await acquireLock(join(lake, COMPACT_LOCK), { command: 'compact' });
    const lines: string[] = [];
    const auto = startAutoCompaction({ lake, intervalMs: HOUR, log: (l) => lines.push(l) });
    try {
      expect(await auto.runOnce()).toEqual([]);
    } finally {
      await auto.stop();
      await release();
    }
    expect(lines).toEqual(['compaction skipped: another compaction is running']);
  });
});
