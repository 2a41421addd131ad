import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIFT_DIR, readDriftDay } from '../../functions/schema/drift-log.ts';
import type { Row } from '../../functions/schema/row.ts';
import { type DuckDbEngine, openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import type { QueryWindow, SqlRow } from '../../functions/sql/engine.ts';
import { loadQueryCatalog, runNamedQuery } from '../../functions/sql/query-catalog.ts';
import { type ServeProcess, spawnServe } from '../../scripts/spawn-serve.ts';
import { allFiles, lakeRows } from '../helpers/lake-files.ts';
import { CLAUDE_CODE_VERSION, claudeBinary, claudeInstallDir } from './claude-cli.ts';
import { type Comparison, compareFigures } from './compare-figures.ts';
import { type FakeAnthropic, startFakeAnthropic } from './fake-anthropic.ts';
import { writeFixtures } from './fixtures.ts';
import { expectedQueryRows, expectedViewRows, factsOf } from './independent-figures.ts';
import { type RawRecord, rawRecords, requestObject } from './raw-otlp.ts';
import { type RecordingProxy, startRecordingProxy } from './recording-proxy.ts';
import { SECRETS, scenarioScript } from './scenarios.ts';
import { PEOPLE, preparePerson, runPerson, type SessionRun } from './sessions.ts';
import { transformCaptured } from './through-transform.ts';

/**
 * The real Claude Code CLI as the test client: scripted sessions against a fake Anthropic API
 * export their real OTLP through a recording proxy into a real `serve`; every figure of every
 * named query and of the view must equal the same figure computed from the captured OTLP.
 */
const bin = claudeBinary();
const MCP_SERVER = fileURLToPath(new URL('./tiny-mcp-server.mjs', import.meta.url));

if (!bin && process.env.CI === 'true') {
  describe('real Claude Code client', () => {
    it(`needs Claude Code ${CLAUDE_CODE_VERSION} installed (.ci/run installs it)`, () => {
      throw new Error(`claude not found under ${claudeInstallDir()}: run .ci/run's install step`);
    });
  });
}

describe.skipIf(!bin)(`real Claude Code ${CLAUDE_CODE_VERSION} client, end to end`, () => {
  let root: string;
  let lake: string;
  let serve: ServeProcess;
  let proxy: RecordingProxy;
  let fake: FakeAnthropic;
  let runs: SessionRun[];
  let records: RawRecord[];
  let rows: Row[];
  let engine: DuckDbEngine;
  let window: QueryWindow;
  const comparisons: Comparison[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'real-client-'));
    lake = join(root, 'lake');
    serve = await spawnServe(lake, ['--flush-seconds', '1', '--compact-minutes', '0'], {
      captureStderr: true,
    });
    proxy = await startRecordingProxy(serve.logsUrl);
    const places = await Promise.all(PEOPLE.map((p) => preparePerson(p, join(root, 'people'), MCP_SERVER)));
    const alice = places[PEOPLE.findIndex((p) => p.name === 'alice')]!;
    fake = await startFakeAnthropic(scenarioScript({ bashReadCwd: alice.cwd }));
    runs = (
      await Promise.all(PEOPLE.map((p, i) => runPerson(p, places[i]!, bin!, fake.url, proxy.logsUrl)))
    ).flat();
    serve.child.kill('SIGTERM');
    await once(serve.child, 'exit');
    records = rawRecords(proxy.captured);
    if (process.env.UPDATE_FIXTURES === '1') {
      await writeFixtures(proxy.captured, root, [
        ...new Set(records.map((r) => String(r.attributes['user.id']))),
      ]);
    }
    rows = await lakeRows(lake);
    engine = await openDuckDbEngine({ lake, threads: 1 });
    const times = records.map((r) => Number(BigInt(r.timeUnixNano) / 1_000_000n));
    const day = 86_400_000;
    window = {
      from: new Date(Math.floor(Math.min(...times) / day) * day),
      to: new Date((Math.floor(Math.max(...times) / day) + 1) * day),
      timeZone: 'UTC',
    };
  }, 300_000);

  afterAll(async () => {
    const figures = comparisons.reduce((n, c) => n + c.figures, 0);
    const sessions = new Set(records?.map((r) => r.attributes['session.id']));
    console.log(
      `[real-client] Claude Code ${CLAUDE_CODE_VERSION}: ${runs?.length ?? 0} runs, ${proxy?.captured.length ?? 0} OTLP requests, ` +
        `${records?.length ?? 0} events, ${sessions.size} session ids (${factsOf(records ?? []).length && activeCount(records)} with activity), ` +
        `${figures} figures compared over ${comparisons.length} queries/views`,
    );
    await engine?.close();
    await fake?.close();
    await proxy?.close();
    if (serve && serve.child.exitCode === null) serve.child.kill('SIGKILL');
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('ran every scripted session; the fake API saw the tools and their results', () => {
    for (const run of runs) {
      const ok = run.result.code === 0;
      expect(
        ok,
        `${run.person.name}/${run.plan.label} exit ${run.result.code}: ${run.result.stderr.slice(0, 400)}`,
      ).toBe(!run.plan.expectFailure);
    }
    const seen = JSON.stringify(fake.requests);
    expect(seen).toContain(SECRETS.fileContent); // Read really read the planted file
    expect(seen).toContain(`echo: ${SECRETS.mcpText}`); // the MCP tool really ran
    expect(seen).toContain('Launching skill: local-notes'); // the project-local skill loaded
    expect(seen).toContain('<task-notification>'); // the background subagent reported back
    expect(fake.requests.some((r) => r.tools?.some((t) => t.name === 'Agent'))).toBe(true);
  });

  it('captured protobuf and JSON, one of them gzipped, every request accepted', () => {
    const kinds = new Set(proxy.captured.map((c) => `${c.contentType.split(';')[0]}|${c.contentEncoding}`));
    expect(kinds).toContain('application/x-protobuf|identity');
    expect(kinds).toContain('application/json|gzip');
    expect(kinds).toContain('application/json|identity');
    expect(proxy.captured.every((c) => c.status === 200)).toBe(true);
  });

  it('every planted secret was sent, and no byte of one is under the lake or in serve output', async () => {
    const raw = proxy.captured.map((c) => JSON.stringify(requestObject(c))).join('\n');
    const userIds = [...new Set(records.map((r) => String(r.attributes['user.id'])))];
    // The people's scratch homes (every tool path is under one); serve may name its own lake path.
    const secrets = [...Object.values(SECRETS), ...userIds, join(root, 'people')];
    // The file's content is read by the tool but never exported; every other secret is sent.
    const unsent = Object.values(SECRETS).filter((s) => s !== SECRETS.fileContent && !raw.includes(s));
    expect(unsent, 'planted secrets Claude Code never sent').toEqual([]);
    expect(userIds.length).toBe(PEOPLE.length);
    const files = await allFiles(lake);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const texts = [file.bytes.toString('latin1')];
      if (file.bytes[0] === 0x1f && file.bytes[1] === 0x8b)
        texts.push(gunzipSync(file.bytes).toString('latin1'));
      for (const s of secrets)
        for (const t of texts) expect(t.includes(s), `${s} in ${file.path}`).toBe(false);
    }
    const stored = JSON.stringify(rows);
    for (const s of secrets) expect(stored.includes(s), `${s} in a lake row`).toBe(false);
    for (const s of secrets) expect(serve.output().includes(s), `${s} in serve output`).toBe(false);
  });

  it('every record is accounted for by event name', () => {
    const sent = tally(records.map((r) => r.eventName));
    const stored = tally(rows.map((r) => String(r.event_name)));
    expect(stored).toEqual(sent);
    for (const name of [
      'user_prompt',
      'api_request',
      'api_error',
      'api_retries_exhausted',
      'tool_result',
      'tool_decision',
      'skill_activated',
      'subagent_completed',
      'mcp_server_connection',
      'assistant_response',
      'plugin_loaded',
    ]) {
      expect(sent[name], name).toBeGreaterThan(0);
    }
  });

  it('every figure of every named query equals the figure computed from the captured OTLP', async () => {
    const expected = expectedQueryRows(factsOf(records));
    const catalog = await loadQueryCatalog();
    expect(
      [...catalog.keys()].filter((n) => !(n in expected)),
      'queries without an independent computation',
    ).toEqual([]);
    const failures: string[] = [];
    for (const name of catalog.keys()) {
      const result = await runNamedQuery(engine, name, window);
      const c = compareFigures(name, result.rows, expected[name]!);
      comparisons.push(c);
      failures.push(...c.mismatches);
    }
    expect(failures).toEqual([]);
  });

  it('...and so does every named query filtered to each person, the one without an e-mail included', async () => {
    const facts = factsOf(records);
    const persons = [...new Set(facts.map((f) => f.person))];
    expect(persons).toHaveLength(PEOPLE.length);
    const catalog = await loadQueryCatalog();
    const failures: string[] = [];
    for (const person of persons) {
      const expected = expectedQueryRows(facts.filter((f) => f.person === person));
      for (const name of catalog.keys()) {
        const result = await runNamedQuery(engine, name, { ...window, filters: { person } });
        const c = compareFigures(`${name} (person ${person})`, result.rows, expected[name]!);
        comparisons.push(c);
        failures.push(...c.mismatches);
      }
    }
    expect(failures).toEqual([]);
  });

  it('the view gives the same per-person figures', async () => {
    const result = await engine.run(`
      SELECT user_name, count(*) AS events, sum(is_prompt) AS prompts, sum(is_message) AS messages,
        sum(is_api_request) AS api_requests,
        sum(is_api_error) AS api_errors, sum(is_subagent_call) AS subagent_calls, sum(is_mcp_call) AS mcp_calls,
        sum(is_skill) AS skills, sum(cost_usd) AS cost_usd, sum(input_tokens) AS input_tokens,
        sum(output_tokens) AS output_tokens, count(DISTINCT active_session_id) AS sessions
      FROM claude_code_usage GROUP BY user_name`);
    const c = compareFigures('claude_code_usage', result.rows, expectedViewRows(factsOf(records)));
    comparisons.push(c);
    expect(c.mismatches).toEqual([]);
  });

  it('the person without an e-mail is in the per-person figures, under a pseudonym', async () => {
    const result = await runNamedQuery(engine, 'per_user_activity', window);
    const names = result.rows.map((r: SqlRow) => String(r.user_name));
    expect(names).toEqual(expect.arrayContaining(['alice', 'bob']));
    expect(names.filter((n) => /^anon_[0-9a-f]{12}$/.test(n))).toHaveLength(1);
  });

  it('schema drift lasts: names and counts of dropped keys per day under the lake, the same as the transform logs', async () => {
    const { log } = await transformCaptured(records);
    const days = (await readdir(join(lake, DRIFT_DIR))).filter((n) => n.endsWith('.json'));
    expect(days.length).toBeGreaterThan(0);
    const merged: Record<string, number> = {};
    const unknown: Record<string, number> = {};
    for (const day of days) {
      const drift = (await readDriftDay(join(lake, DRIFT_DIR, day)))!;
      for (const [k, n] of Object.entries(drift.droppedKeys)) merged[k] = (merged[k] ?? 0) + n;
      for (const [k, n] of Object.entries(drift.unknownEvents)) unknown[k] = (unknown[k] ?? 0) + n;
    }
    expect(merged).toEqual(log.droppedKeys);
    expect(unknown).toEqual(log.unknownEvents);
    // Every record carries user.id and the prompts their text: both dropped, both counted.
    expect(merged['user.id']).toBe(records.length);
    expect(merged.prompt).toBe(records.filter((r) => r.eventName === 'user_prompt').length);
  });

  it('sessions match the raw OTLP: the start-up session of claude -c is in the data but not counted', async () => {
    const ids = new Set(records.map((r) => r.attributes['session.id']));
    const active = activeCount(records);
    const phantom = [...ids].filter((id) =>
      records
        .filter((r) => r.attributes['session.id'] === id)
        .every((r) => r.eventName !== 'user_prompt' && r.eventName !== 'api_request'),
    );
    expect(phantom).toHaveLength(1);
    const totals = (await runNamedQuery(engine, 'team_totals', window)).rows[0]!;
    expect(totals.sessions).toBe(active);
    expect(active).toBe(ids.size - 1);
  });

  it('the AWS transform turns the same events, as CloudWatch subscription records, into the same rows', async () => {
    const { rows: awsRows, log } = await transformCaptured(records);
    expect(log).toMatchObject({ records: { failed: 0 } });
    const strip = (r: Row | Record<string, unknown>) => {
      const { event_id: _id, ...rest } = r as Record<string, unknown>;
      return JSON.stringify(
        Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== undefined)),
      );
    };
    const local = rows
      .map((r) => strip({ ...r, event_time: new Date(r.event_time as unknown as string).toISOString() }))
      .sort();
    const aws = awsRows.map(strip).sort();
    expect(aws).toEqual(local);
  });
});

function tally(names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of [...names].sort()) out[n] = (out[n] ?? 0) + 1;
  return out;
}

function activeCount(records: readonly RawRecord[]): number {
  return new Set(
    records
      .filter((r) => r.eventName === 'user_prompt' || r.eventName === 'api_request')
      .map((r) => r.attributes['session.id']),
  ).size;
}
