import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoEvent } from '../../functions/demo/team-activity.ts';
import { listSegments } from '../../functions/lake/flush-segment.ts';
import { partitionDir, writeRowsToLake } from '../../functions/lake/lake-layout.ts';
import { spoolDir } from '../../functions/lake/spool-layout.ts';
import { encodeSpoolRecord } from '../../functions/lake/spool-record.ts';
import type { Row } from '../../functions/schema/row.ts';
import { openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import { CLI, type ServeProcess, spawnServe } from '../../scripts/spawn-serve.ts';
import { dataFiles, lakeRows } from '../helpers/lake-files.ts';
import { exportRequest, PROTOBUF, post, protobufBody } from '../helpers/otlp-requests.ts';

/**
 * Issue 11, items 1-5, with real faults against the real CLI: flipped bytes in a spool segment
 * after kill -9, kill -9 of `compact` between publish and removal, a client retry while serve is
 * SIGSTOPped, a full disk (1 MiB tmpfs), garbage files in the lake and the spool.
 */
const BASE = Date.UTC(2026, 0, 5, 9);
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function newLake(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lake-faults-'));
  dirs.push(dir);
  return dir;
}

async function serve(lake: string, args: string[] = []): Promise<ServeProcess> {
  const s = await spawnServe(lake, ['--compact-minutes', '0', ...args]);
  children.push(s.child);
  return s;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

async function stop(s: ServeProcess): Promise<void> {
  s.child.kill('SIGTERM');
  await exited(s.child);
}

function event(session: string, sequence: number, cost = 0.01): DemoEvent {
  const time = BASE + sequence * 1000;
  return {
    body: 'claude_code.api_request',
    timeMs: time,
    resource: { 'service.name': 'claude-code' },
    attributes: { 'session.id': session, 'event.sequence': sequence, cost_usd: cost, model: 'claude-x' },
  };
}

const batch = (session: string, first: number, n = 10) =>
  protobufBody(exportRequest(Array.from({ length: n }, (_, i) => event(session, first + i))));

describe('faults', () => {
  it('1. a flipped byte and a bad length in the middle of a spool segment: later records kept, damage quarantined and counted', async () => {
    const lake = await newLake();
    const s = await serve(lake, ['--flush-seconds', '3600']);
    for (let r = 0; r < 20; r++)
      expect((await post(s.logsUrl, batch('a', r * 10), PROTOBUF)).status).toBe(200);
    s.child.kill('SIGKILL');
    await exited(s.child);
    const [segment] = await listSegments(lake);
    const bytes = await readFile(segment!);
    // Record boundaries: walk the frames to damage record 5 (payload byte) and record 12 (length).
    const starts: number[] = [];
    for (let at = 0; at < bytes.length; at += 8 + bytes.readUInt32BE(at)) starts.push(at);
    expect(starts.length).toBe(20);
    bytes[starts[5]! + 20]! ^= 0x01;
    bytes.writeUInt32BE(bytes.readUInt32BE(starts[12]!) + 3, starts[12]!);
    const damaged = Buffer.from(bytes);
    await writeFile(segment!, bytes);

    await stop(await serve(lake));
    const rows = await lakeRows(lake);
    const sequences = rows.map((r) => Number(r.event_sequence)).sort((a, b) => a - b);
    const expected = Array.from({ length: 200 }, (_, i) => i).filter(
      (i) => Math.floor(i / 10) !== 5 && Math.floor(i / 10) !== 12,
    );
    expect(sequences).toEqual(expected);
    const quarantine = join(lake, 'errors', 'quarantine', 'spool');
    const kept = await readdir(quarantine);
    expect(kept).toHaveLength(1);
    expect(await readFile(join(quarantine, kept[0]!))).toEqual(damaged);
    const errors = await errorLines(lake);
    expect(
      errors.filter((e) => String(e.reason).startsWith('damaged spool bytes')).length,
    ).toBeGreaterThanOrEqual(1);
    expect(errors.some((e) => String(e.reason).includes('never acknowledged'))).toBe(false);
  }, 120_000);

  it('2. kill -9 of compact between publish and removal: every reader sees the day once', async () => {
    const lake = await newLake();
    const rows: Row[] = Array.from({ length: 30 }, (_, i) => ({
      event_time: BASE + i,
      event_name: 'api_request',
      event_id: `id-${i}`,
      cost_usd: 0.5,
    }));
    for (let f = 0; f < 3; f++) await writeRowsToLake(lake, rows.slice(f * 10, f * 10 + 10));
    const compact = spawn(process.execPath, [CLI, 'compact', '--all', '--lake', lake], {
      env: { ...process.env, CLAUDE_OTEL_LAKE_FAULT: 'compact-after-publish' },
      stdio: 'ignore',
    });
    children.push(compact);
    await exited(compact);
    expect(compact.signalCode).toBe('SIGKILL');
    const day = partitionDir(lake, '2026-01-05');
    const names = await readdir(day);
    expect(names.filter((n) => n.endsWith('.parquet'))).toHaveLength(4);
    expect(names.some((n) => n.startsWith('.compact-'))).toBe(true);

    const engine = await openDuckDbEngine({ lake });
    try {
      const { rows: totals } = await engine.run('SELECT count(*) AS n, sum(cost_usd) AS cost FROM events');
      expect(totals[0]).toEqual({ n: 30, cost: 15 });
    } finally {
      await engine.close();
    }
    const cli = execFileSync(process.execPath, [
      CLI,
      'query',
      '--sql',
      'SELECT count(*) AS n FROM events',
      '--lake',
      lake,
      '--format',
      'json',
    ]);
    expect(JSON.parse(cli.toString())).toEqual([{ n: 30 }]);
    // The next compaction replays the journal: one file, the same rows.
    execFileSync(process.execPath, [CLI, 'compact', '--all', '--lake', lake]);
    expect(await dataFiles(lake)).toHaveLength(1);
    expect((await lakeRows(lake)).length).toBe(30);
  }, 120_000);

  it('3. a client retry after a timeout while serve is SIGSTOPped: same event_id, stored once after compaction', async () => {
    const lake = await newLake();
    const s = await serve(lake, ['--flush-seconds', '1']);
    const body = batch('retry', 0, 20);
    s.child.kill('SIGSTOP');
    const first = postWithTimeout(s.logsUrl, body, 500);
    await expect(first).rejects.toThrow(/timeout/);
    s.child.kill('SIGCONT');
    // The exporter's retry: the same body again.
    expect((await post(s.logsUrl, body, PROTOBUF)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    await stop(s);
    // Both copies were acknowledged with equal keys; the flush or the compaction keeps one.
    const stored = await lakeRows(lake);
    expect(stored.length === 20 || stored.length === 40).toBe(true);
    expect(new Set(stored.map((r) => r.event_id)).size).toBe(20);
    // The figure through the named query (the semantic layer's base view counts each key once).
    const totals = () =>
      JSON.parse(
        execFileSync(process.execPath, [
          CLI,
          'query',
          'team_totals',
          '--from',
          '2026-01-05',
          '--to',
          '2026-01-06',
          '--lake',
          lake,
          '--format',
          'json',
        ]).toString(),
      ) as { cost_usd: number }[];
    expect(totals()[0]!.cost_usd).toBeCloseTo(20 * 0.01, 10);
    execFileSync(process.execPath, [CLI, 'compact', '--all', '--lake', lake]);
    expect(totals()[0]!.cost_usd).toBeCloseTo(20 * 0.01, 10);
    const after = await lakeRows(lake);
    expect(after.length).toBe(20);
    const expectedCost = 20 * 0.01;
    expect(after.reduce((n, r) => n + Number(r.cost_usd), 0)).toBeCloseTo(expectedCost, 10);
  }, 120_000);

  it('4. disk full (1 MiB tmpfs): 503 + Retry-After, serve stays up, every acknowledged row lands once space returns', async () => {
    const lake = await newLake();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', lake]);
    } catch (error) {
      if (process.env.CI === 'true') throw error;
      console.warn(`skipping the tmpfs test: mount failed (${String(error)})`);
      return;
    }
    try {
      const s = await serve(lake, ['--flush-seconds', '1']);
      const acked: number[] = [];
      let next = 0;
      const send = async () => {
        const first = next;
        next += 10;
        const res = await post(s.logsUrl, batch('full', first), PROTOBUF);
        if (res.status === 200) for (let i = 0; i < 10; i++) acked.push(first + i);
        return res;
      };
      for (let i = 0; i < 5; i++) expect((await send()).status).toBe(200);
      // Fill the disk to the last byte.
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${join(lake, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
      } catch {
        // dd stops with ENOSPC: the disk is full.
      }
      let refused = 0;
      for (let i = 0; i < 30; i++) {
        const res = await send();
        if (res.status === 503) {
          refused++;
          expect(res.headers['retry-after']).toBe('1');
        }
      }
      expect(refused).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 2_500)); // flushes fail on the full disk meanwhile
      expect(s.child.exitCode).toBeNull();
      await rm(join(lake, 'filler'));
      for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200);
      await stop(s);
      expect(s.child.exitCode).toBe(0);
      const sequences = (await lakeRows(lake)).map((r) => Number(r.event_sequence)).sort((a, b) => a - b);
      expect(sequences).toEqual([...acked].sort((a, b) => a - b));
    } finally {
      execFileSync('umount', ['-l', lake]);
    }
  }, 120_000);

  it('5. garbage Parquet files and spool entries: serve, query, compact keep working on the good data', async () => {
    const lake = await newLake();
    const good: Row[] = Array.from({ length: 5 }, (_, i) => ({
      event_time: BASE + i,
      event_name: 'api_request',
      event_id: `g-${i}`,
      cost_usd: 1,
    }));
    await writeRowsToLake(lake, good);
    await writeRowsToLake(
      lake,
      good.map((r) => ({ ...r, event_id: `h-${r.event_id}` })),
    );
    const day = partitionDir(lake, '2026-01-05');
    await writeFile(join(day, 'empty.parquet'), '');
    await writeFile(join(day, 'garbage.parquet'), Buffer.alloc(4096, 7));
    const query = () =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [CLI, 'query', '--sql', 'SELECT count(*) AS n FROM events', '--lake', lake, '--format', 'json'],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        ).toString(),
      );
    expect(query()).toEqual([{ n: 10 }]);
    await mkdir(join(spoolDir(lake), 'x.spool'), { recursive: true });
    await writeFile(join(spoolDir(lake), 'notes.txt'), 'stray');
    const badTime = {
      event_time: 'not a time',
      event_name: 'api_request',
      event_id: 'bad',
    } as unknown as Row;
    await writeFile(
      join(spoolDir(lake), '00000000000001-bad.spool'),
      encodeSpoolRecord([badTime, { ...good[0]!, event_id: 'spooled' }]),
    );

    const s = await serve(lake);
    expect((await post(s.logsUrl, batch('after', 0, 3), PROTOBUF)).status).toBe(200);
    await stop(s);
    expect(s.child.exitCode).toBe(0);
    const quarantined = await readdir(join(lake, 'errors', 'quarantine'), { recursive: true });
    expect(quarantined.some((n) => n.includes('empty.parquet'))).toBe(true);
    expect(quarantined.some((n) => n.includes('garbage.parquet'))).toBe(true);
    expect(quarantined.some((n) => n.endsWith('00000000000001-bad.spool'))).toBe(true);
    expect((await stat(join(spoolDir(lake), 'x.spool'))).isDirectory()).toBe(true);
    expect(query()).toEqual([{ n: 14 }]);
    await writeFile(join(day, 'garbage2.parquet'), Buffer.alloc(100, 1));
    execFileSync(process.execPath, [CLI, 'compact', '--all', '--lake', lake], { stdio: 'ignore' });
    expect(query()).toEqual([{ n: 14 }]);
    const reasons = (await errorLines(lake)).map((e) => String(e.reason));
    expect(reasons.some((r) => r.includes('without a valid event time'))).toBe(true);
    expect(reasons.some((r) => r.includes('unexpected entry in spool/'))).toBe(true);
  }, 120_000);
});

async function errorLines(lake: string): Promise<Record<string, unknown>[]> {
  const dir = join(lake, 'errors');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.jsonl'));
  const text = (await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')))).join('');
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function postWithTimeout(url: string, body: Buffer, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: PROTOBUF }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}
