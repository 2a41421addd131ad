import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTeamActivity } from '../../functions/demo/team-activity.ts';
import { compactDays, lakeDays } from '../../functions/lake/compact.ts';
import { recoverCompactions, writeJournal } from '../../functions/lake/compact-journal.ts';
import { partitionDir, writeRowsToLake } from '../../functions/lake/lake-layout.ts';
import { writeParquetFile } from '../../functions/lake/parquet-file.ts';
import { spoolDir } from '../../functions/lake/spool-layout.ts';
import { sanitizeEvents } from '../helpers/lake.ts';
import { dataFiles, lakeRows } from '../helpers/lake-files.ts';

const endMs = Date.UTC(2026, 0, 8);
const rows = sanitizeEvents(generateTeamActivity({ seed: 3, teamSize: 4, days: 3, endMs }).events);

let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'lake-compact-'));
  // Several flushes' worth of small files per day.
  for (let i = 0; i < rows.length; i += 150) await writeRowsToLake(lake, rows.slice(i, i + 150));
});
afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

describe('compactDays', () => {
  it('merges each day into one file with identical content, leaving files of pending segments alone', async () => {
    const days = await lakeDays(lake);
    const before = await lakeRows(lake);
    const filesBefore = await dataFiles(lake);
    expect(filesBefore.length).toBeGreaterThan(days.length);
    // A segment still in the spool: its Parquet file must not be merged (it may be flushed again).
    await mkdir(spoolDir(lake), { recursive: true });
    const pendingId = '00001767800000000-pending';
    await writeFile(join(spoolDir(lake), `${pendingId}.spool`), '');
    const pendingRow = { ...rows[0]!, event_id: 'pending' };
    await writeParquetFile(join(partitionDir(lake, days[0]!), `${pendingId}.parquet`), [pendingRow]);

    const results = await compactDays(lake, days);
    expect(results.every((r) => r.output !== null)).toBe(true);
    const after = await lakeRows(lake);
    expect(after.filter((r) => r.event_id !== 'pending')).toEqual(before);
    for (const dt of days) {
      const names = (await readdir(partitionDir(lake, dt))).filter((n) => n.endsWith('.parquet'));
      expect(names.length).toBe(dt === days[0] ? 2 : 1);
    }
    expect(names(await dataFiles(lake))).toContain(`${pendingId}.parquet`);
  });

  it('replays a journal left by a crash: inputs go if the merged file exists, else nothing changes', async () => {
    const [dt] = await lakeDays(lake);
    const dir = partitionDir(lake, dt!);
    const extra = { ...rows[1]!, event_id: 'extra' };
    await writeParquetFile(join(dir, 'a-input.parquet'), [extra]);
    await writeParquetFile(join(dir, 'b-merged.parquet'), [extra]);
    await writeJournal(dir, { output: 'b-merged.parquet', inputs: ['a-input.parquet'] });
    await writeJournal(dir, { output: 'never-written.parquet', inputs: ['b-merged.parquet'] });
    expect(await recoverCompactions(lake)).toBe(2);
    const files = names(await readdir(dir));
    expect(files).not.toContain('a-input.parquet');
    expect(files).toContain('b-merged.parquet');
    expect(files.some((n) => n.startsWith('.compact-'))).toBe(false);
  });
});

const names = (paths: readonly string[]) => paths.map((p) => p.split('/').pop()!);
