import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTeamActivity } from '../../functions/demo/team-activity.ts';
import { startIngestServer } from '../../functions/ingest/server.ts';
import { compactDays, lakeDays } from '../../functions/lake/compact.ts';
import { sanitizeEvents } from '../helpers/lake.ts';
import { dataFiles, lakeRows } from '../helpers/lake-files.ts';
import { comparable, exportRequest, PROTOBUF, post, protobufBody } from '../helpers/otlp-requests.ts';

const events = generateTeamActivity({ seed: 9, teamSize: 4, days: 3, endMs: Date.UTC(2026, 0, 8) }).events;
let lake: string;

afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

describe('compact while serve runs', () => {
  it('ends with one file per day and every event once', async () => {
    lake = await mkdtemp(join(tmpdir(), 'lake-compact-live-'));
    // Tiny flush threshold: nearly every request becomes its own Parquet file per day.
    const logged: string[] = [];
    const server = await startIngestServer({
      lake,
      port: 0,
      flushBytes: 1,
      log: (line) => logged.push(line),
    });
    let sending = true;
    const compacting = (async () => {
      let rounds = 0;
      while (sending || rounds === 0) {
        await compactDays(lake, await lakeDays(lake));
        rounds++;
      }
      return rounds;
    })();
    for (let i = 0; i < events.length; i += 40) {
      const res = await post(server.logsUrl, protobufBody(exportRequest(events.slice(i, i + 40))), PROTOBUF);
      expect(res.status).toBe(200);
    }
    sending = false;
    expect(await compacting).toBeGreaterThan(0);
    await server.close();
    // Compaction must not disturb the writer: a flush it broke would be retried, but only after a failure.
    expect(logged.filter((line) => line.startsWith('flush failed'))).toEqual([]);
    await compactDays(lake, await lakeDays(lake));
    expect((await dataFiles(lake)).length).toBe((await lakeDays(lake)).length);
    expect(comparable(await lakeRows(lake))).toEqual(comparable(sanitizeEvents(events)));
  });
});
