import { gzipSync } from 'node:zlib';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { emailTransformer } from '../../functions/schema/email.ts';
import type { Reingester } from '../../functions/transform/reingest.ts';
import { type BatchResult, transformBatch } from '../../functions/transform/transform-batch.ts';
import {
  controlMessage,
  dataMessage,
  encodeData,
  eventOf,
  firehoseEvent,
  firehoseRecord,
  logEvent,
  outputRows,
  outputText,
  type StoredMessage,
} from '../helpers/cloudwatch.ts';
import { expectedEventKey } from '../helpers/event-key.ts';

/**
 * Section 5 of the foundation issue: one case per kind of bad input, each with its expected
 * outcome, and the proof that nothing is lost: every record answered once, every event counted.
 */

const noReingest: Reingester = { put: () => Promise.reject(new Error('unexpected re-ingest')) };
const options = { email: emailTransformer({ mode: 'keep' }), reingester: noReingest };

function cc(name: string, attributes: Record<string, unknown> = {}): StoredMessage {
  return {
    resource: { attributes: { 'service.name': 'claude-code' } },
    body: `claude_code.${name}`,
    attributes: { 'event.timestamp': '2026-01-05T10:00:00.250Z', ...attributes },
  };
}

/** Runs the batch and checks the accounting invariants that every case must keep. */
async function run(event: FirehoseTransformationEvent): Promise<BatchResult> {
  const result = await transformBatch(event, options);
  const ids = result.response.records.map((r) => r.recordId);
  expect(ids).toEqual(event.records.map((r) => r.recordId));
  const { records, events } = result.log;
  expect(records.in).toBe(event.records.length);
  expect(records.ok + records.dropped + records.failed).toBe(records.in);
  expect(events.rows + events.skipped + events.rejected + events.deferred).toBe(events.in);
  const rowsOut = result.response.records.reduce(
    (n, r) => n + (r.result === 'Ok' ? outputRows(r).length : 0),
    0,
  );
  expect(rowsOut).toBe(events.rows);
  return result;
}

const rawRecord = (bytes: Buffer | string) => firehoseRecord(Buffer.from(bytes).toString('base64'));

describe('records that cannot be decoded are ProcessingFailed, and named in the log', () => {
  const cases: [string, string, string][] = [
    ['bad base64', '%%%not base64%%%', 'bad-base64'],
    ['truncated gzip', encodeData(dataMessage([logEvent(cc('user_prompt'))])).slice(0, 24), 'bad-gzip'],
    ['gzip of non-JSON', gzipSync('not json at all').toString('base64'), 'not-json'],
    ['JSON that is not an object', encodeData([dataMessage([])]), 'not-an-object'],
    ['missing logEvents', encodeData({ messageType: 'DATA_MESSAGE', logGroup: 'g' }), 'bad-shape'],
    ['unknown messageType', encodeData({ ...dataMessage([]), messageType: 'OTHER' }), 'bad-shape'],
    ['plain (not gzipped) JSON', Buffer.from(JSON.stringify(dataMessage([]))).toString('base64'), 'bad-gzip'],
    ['empty data', '', 'bad-gzip'],
    // 100 MB of zeros gzip to ~100 KB: refused before it is inflated into memory.
    ['a gzip bomb', gzipSync(Buffer.alloc(100 * 1024 * 1024)).toString('base64'), 'too-large'],
  ];
  it.each(cases)('%s', async (_kind, data, code) => {
    const record = firehoseRecord(data);
    const { response, log } = await run(firehoseEvent([record]));
    expect(response.records).toEqual([{ recordId: record.recordId, result: 'ProcessingFailed', data: '' }]);
    expect(log.failedRecords).toEqual([{ recordId: record.recordId, reason: code }]);
    expect(log.events.in).toBe(0);
  });
});

describe('records and events that are not rows', () => {
  it('CONTROL_MESSAGE: Dropped', async () => {
    const { response, log } = await run(firehoseEvent([firehoseRecord(encodeData(controlMessage()))]));
    expect(response.records[0]).toMatchObject({ result: 'Dropped', data: '' });
    expect(log.records).toMatchObject({ dropped: 1, ok: 0, failed: 0 });
  });

  it('non-Claude-Code log lines: skipped by id, only the Claude Code events become rows', async () => {
    const other = [
      logEvent('START RequestId: 1 Version: $LATEST'),
      logEvent({ body: 'GET /health', attributes: {} }),
    ];
    const message = cc('user_prompt', { prompt_length: '3' });
    const mine = logEvent(message);
    const { response, log } = await run(eventOf([other[0]!, mine, other[1]!], [other[1]!]));
    expect(response.records.map((r) => r.result)).toEqual(['Ok', 'Dropped']);
    expect(outputRows(response.records[0]!)).toEqual([
      {
        event_time: '2026-01-05T10:00:00.250Z',
        event_name: 'user_prompt',
        event_id: expectedEventKey(message),
        service_name: 'claude-code',
        prompt_length: 3,
      },
    ]);
    // The first line is not JSON: rejected, not skipped; the second is JSON but not Claude Code.
    expect(log.events).toEqual({ in: 4, rows: 1, skipped: 2, rejected: 1, deferred: 0 });
    expect(log.skippedIds).toEqual([other[1]!.id, other[1]!.id]);
    expect(log.rejected).toEqual([{ id: other[0]!.id, reason: 'message is not a JSON object' }]);
  });

  it('a message that is not JSON, not an object, or missing: rejected by id, never with content', async () => {
    const events = [
      logEvent('{"body":"claude_code.api_request", SECRET'),
      logEvent('["claude_code.api_request"]'),
      { ...logEvent(''), message: undefined as unknown as string },
      logEvent(cc('<script>')),
      logEvent(cc('api_request', { 'event.timestamp': 'SECRET' }), { timestamp: 1 }),
    ];
    const { response, log } = await run(eventOf(events));
    expect(response.records[0]!.result).toBe('Dropped');
    expect(log.rejected).toEqual([
      { id: events[0]!.id, reason: 'message is not a JSON object' },
      { id: events[1]!.id, reason: 'message is not a JSON object' },
      { id: events[2]!.id, reason: 'no message' },
      { id: events[3]!.id, reason: 'invalid event name' },
      { id: events[4]!.id, reason: 'no valid event time' },
    ]);
    expect(JSON.stringify(log)).not.toContain('SECRET');
  });

  it('an empty batch and an empty DATA_MESSAGE', async () => {
    const empty = await run(firehoseEvent([]));
    expect(empty.response).toEqual({ records: [] });
    expect(empty.log.events.in).toBe(0);
    const none = await run(eventOf([]));
    expect(none.response.records[0]).toMatchObject({ result: 'Dropped' });
  });
});

describe('attribute values that do not fit their column become absent, never guessed', () => {
  const one = async (attributes: Record<string, unknown>) => {
    const { response } = await run(eventOf([logEvent(cc('api_request', attributes))]));
    const [row] = outputRows(response.records[0]!);
    return row!;
  };
  const BASE = ['event_time', 'event_name', 'event_id', 'service_name'];

  it('every wrong type', async () => {
    const wrong = [{}, [], ['a'], { nested: { x: 1 } }, null, { arrayValue: { values: [] } }];
    for (const value of wrong) {
      const row = await one({ model: value, input_tokens: value, cost_usd: value, success: value });
      expect(Object.keys(row)).toEqual(BASE);
    }
    const row = await one({
      input_tokens: 4.5,
      output_tokens: '4.5',
      cache_read_tokens: true,
      cost_usd: true,
      duration_ms: '0x10',
      status_code: ' 529',
      attempt: '1e3',
      success: 'yes',
      model: false,
      'event.sequence': 'seven',
    });
    expect(row).toEqual({ ...pick(row, BASE), model: 'false' });
  });

  it('NaN, Infinity and huge numbers in strings', async () => {
    const row = await one({
      cost_usd: 'NaN',
      cost_usd_micros: 'Infinity',
      input_tokens: '99999999999999999999',
      output_tokens: '9007199254740993',
      cache_read_tokens: '-Infinity',
      duration_ms: 1e300,
      'event.sequence': '9007199254740991',
      status_code: '1e999',
    });
    expect(row).toEqual({ ...pick(row, BASE), event_sequence: 9007199254740991 });
    const huge = await one({ cost_usd: '1e999', cost_usd_micros: '2500000' });
    expect(huge.cost_usd).toBe(2.5);
  });

  it('1 MB attribute values: kept columns are cut to 256 characters, others never read', async () => {
    const mb = 'S'.repeat(1024 * 1024);
    const row = await one({
      model: mb,
      prompt: mb,
      tool_name: 'Agent',
      tool_parameters: JSON.stringify({ subagent_type: 'Explore', pad: mb }),
    });
    expect(row.model).toBe('S'.repeat(256));
    expect(row.tool_name).toBe('Agent');
    expect(row.subagent_type).toBeUndefined(); // tool_parameters over 64 KiB is not parsed at all
  });

  it('deeply nested values', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const message = JSON.stringify(cc('api_request', { model: 'claude-x' })).replace(
      '"model"',
      `"deep":${deep},"model"`,
    );
    const { response, log } = await run(eventOf([logEvent(message)]));
    expect(outputRows(response.records[0]!)[0]).toMatchObject({ model: 'claude-x' });
    expect(log.droppedKeys).toEqual({ deep: 1 });
  });

  it('unicode and emoji survive intact and are cut on a code point', async () => {
    const row = await one({ model: 'modèle-😀-模型', skill_name: 'x', 'agent.name': '😀'.repeat(200) });
    expect(row.model).toBe('modèle-😀-模型');
    expect(row.agent_name).toBe('😀'.repeat(128));
    const odd = await one({ 'agent.name': `a${'😀'.repeat(200)}` });
    expect(odd.agent_name).toBe(`a${'😀'.repeat(127)}`);
  });
});

function pick(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

it('a mixed batch: every record answered once, counts add up, nothing private in the output', async () => {
  const good = logEvent(cc('tool_result', { tool_name: 'Bash', success: 'true', tool_input: 'SECRET' }));
  const event = firehoseEvent([
    rawRecord('garbage'),
    firehoseRecord(encodeData(controlMessage())),
    firehoseRecord(
      encodeData(dataMessage([good, logEvent('x'), logEvent({ body: 'other', attributes: {} })])),
    ),
  ]);
  const { response, log } = await run(event);
  expect(response.records.map((r) => r.result)).toEqual(['ProcessingFailed', 'Dropped', 'Ok']);
  expect(log.records).toEqual({ in: 3, ok: 1, dropped: 1, failed: 1, reingested: 0, split: 0 });
  expect(log.events).toEqual({ in: 3, rows: 1, skipped: 1, rejected: 1, deferred: 0 });
  expect(outputText(response.records)).not.toContain('SECRET');
});
