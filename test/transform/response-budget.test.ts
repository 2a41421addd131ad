import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import {
  FirehoseClient,
  PutRecordBatchCommand,
  type PutRecordBatchCommandInput,
} from '@aws-sdk/client-firehose';
import type { FirehoseTransformationResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { emailTransformer } from '../../functions/schema/email.ts';
import { ReingestError } from '../../functions/transform/errors.ts';
import { firehoseReingester, type Reingester } from '../../functions/transform/reingest.ts';
import {
  LAMBDA_RESPONSE_LIMIT_BYTES,
  planResponse,
  RESPONSE_BUDGET_BYTES,
} from '../../functions/transform/response-budget.ts';
import { responseBytes } from '../../functions/transform/response-size.ts';
import { transformBatch } from '../../functions/transform/transform-batch.ts';
import {
  eventOf,
  firehoseEvent,
  firehoseRecord,
  type LogEventInput,
  logEvent,
  outputRows,
  stringAttributeKeys,
} from '../helpers/cloudwatch.ts';
import { expectedEventKey } from '../helpers/event-key.ts';

const firehose = mockClient(FirehoseClient);
const email = emailTransformer({ mode: 'keep' });
const reingester = firehoseReingester({ sleep: async () => {} });
const put = (call: number): PutRecordBatchCommandInput =>
  firehose.commandCalls(PutRecordBatchCommand)[call]!.args[0].input;

beforeEach(() => {
  firehose.reset();
  firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => ({
    FailedPutCount: 0,
    RequestResponses: input.Records!.map(() => ({ RecordId: 'x' })),
  }));
});

/** An api_request whose row is as wide as the schema allows: every string column at 256 characters. */
function wideEvent(): LogEventInput {
  const s = () => randomBytes(128).toString('hex');
  const keys = stringAttributeKeys();
  const attributes = Object.fromEntries(keys.map((k) => [k, s()]));
  return logEvent({
    body: 'claude_code.api_request',
    attributes: { ...attributes, 'event.timestamp': '2026-01-05T10:00:00.250Z' },
  });
}

/** Every event id in the Ok output records of a response. */
const idsOut = (response: FirehoseTransformationResult) =>
  response.records.flatMap((r) =>
    r.result === 'Ok' ? outputRows(r).map((row) => row.event_id as string) : [],
  );

/** The re-ingested records as the next Firehose invocation would see them. */
function reingestedEvent() {
  const data = firehose
    .commandCalls(PutRecordBatchCommand)
    .flatMap((c) => c.args[0].input.Records!.map((r) => r.Data!));
  return firehoseEvent(data.map((d) => firehoseRecord(Buffer.from(d).toString('base64'))));
}

describe('the 6 MB response guard', () => {
  it('keeps a batch whose output would pass 6 MB under the budget and re-ingests the overflow, losing nothing', async () => {
    const batches = Array.from({ length: 8 }, () => Array.from({ length: 100 }, wideEvent));
    const event = eventOf(...batches);
    const { response, log } = await transformBatch(event, { email, reingester });

    const size = Buffer.byteLength(JSON.stringify(response));
    expect(log.bytes.out).toBeGreaterThan(0);
    expect(size).toBe(responseBytes(response));
    expect(size).toBeLessThanOrEqual(RESPONSE_BUDGET_BYTES);
    expect(size).toBeLessThan(LAMBDA_RESPONSE_LIMIT_BYTES);
    const results = response.records.map((r) => r.result);
    expect(results.filter((r) => r === 'Ok').length).toBeGreaterThan(0);
    expect(results.filter((r) => r === 'Dropped').length).toBe(log.records.reingested);
    expect(log.records.reingested).toBeGreaterThan(0);
    expect(log.events.deferred).toBe(100 * log.records.reingested);

    // Re-ingested bytes are the original records, unchanged.
    const original = event.records.filter((_, i) => response.records[i]!.result === 'Dropped');
    const data = firehose.commandCalls(PutRecordBatchCommand).flatMap((c) => c.args[0].input.Records!);
    expect(data.map((r) => Buffer.from(r.Data!).toString('base64'))).toEqual(original.map((r) => r.data));

    // The next invocation transforms them: every event id exactly once across both.
    const first = idsOut(response);
    const next = reingestedEvent();
    firehose.resetHistory();
    const second = await transformBatch(next, { email, reingester });
    // Without the guard, the output would have passed 6 MB.
    expect(log.bytes.out + second.log.bytes.out).toBeGreaterThan(LAMBDA_RESPONSE_LIMIT_BYTES);
    expect(second.log.records.reingested).toBe(0);
    const all = [...first, ...idsOut(second.response)];
    expect(all.sort()).toEqual(
      batches
        .flat()
        .map((e) => expectedEventKey(JSON.parse(e.message)))
        .sort(),
    );
  });

  it('splits one record whose output alone passes the budget into two halves of its events', async () => {
    const events = Array.from({ length: 5 }, wideEvent);
    const event = eventOf(events);
    const { response, log } = await transformBatch(event, { email, reingester, budgetBytes: 20_000 });
    expect(response.records).toEqual([{ recordId: event.records[0]!.recordId, result: 'Dropped', data: '' }]);
    expect(log.records).toMatchObject({ split: 1, dropped: 1 });
    expect(log.events).toMatchObject({ in: 5, deferred: 5, rows: 0 });
    const halves = put(0).Records!.map((r) => JSON.parse(gunzipSync(r.Data!).toString('utf8')));
    expect(halves.map((h) => h.logEvents.map((e: LogEventInput) => e.id))).toEqual([
      events.slice(0, 2).map((e) => e.id),
      events.slice(2).map((e) => e.id),
    ]);
    expect(halves[0]).toMatchObject({
      messageType: 'DATA_MESSAGE',
      logGroup: '/claude-code/otel',
      logStream: 'team-a',
    });
    expect(halves[1].logEvents[0]).toEqual(events[2]);
  });

  it('fails a single event too large for any response (it cannot be split)', async () => {
    const event = eventOf([wideEvent()]);
    const { response, log } = await transformBatch(event, { email, reingester, budgetBytes: 5_000 });
    expect(response.records[0]).toMatchObject({ result: 'ProcessingFailed', data: '' });
    expect(log.failedRecords).toEqual([{ recordId: event.records[0]!.recordId, reason: 'output-too-large' }]);
    expect(log.events).toMatchObject({ in: 1, rejected: 1, rows: 0 });
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
  });

  it('marks nothing Dropped when the re-ingest fails: the invocation throws and Firehose retries', async () => {
    const failing: Reingester = { put: () => Promise.reject(new ReingestError('put-failed', 'no')) };
    const event = eventOf([wideEvent()], [wideEvent()]);
    await expect(transformBatch(event, { email, reingester: failing, budgetBytes: 14_000 })).rejects.toThrow(
      ReingestError,
    );
  });

  it('refuses to re-ingest into a Kinesis-sourced stream, before any call', async () => {
    const event = {
      ...eventOf([wideEvent()], [wideEvent()]),
      sourceKinesisStreamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/s',
    };
    await expect(transformBatch(event, { email, reingester, budgetBytes: 14_000 })).rejects.toMatchObject({
      code: 'kinesis-source',
    });
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
  });

  it('does not mark records Dropped before their re-ingest resolved', async () => {
    let release: () => void = () => {};
    let settled = false;
    const slow: Reingester = {
      put: (_arn, records) =>
        new Promise((resolve) => {
          release = () => resolve({ records: records.length, bytes: 0, calls: 1 });
        }),
    };
    const pending = transformBatch(eventOf([wideEvent()], [wideEvent()]), {
      email,
      reingester: slow,
      budgetBytes: 14_000,
    }).then((r) => {
      settled = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    release();
    expect((await pending).response.records.map((r) => r.result)).toEqual(['Ok', 'Dropped']);
  });
});

describe('planResponse', () => {
  const ok = (bytes: number, events = 2) => ({
    recordId: 'r',
    outcome: { kind: 'ok' as const, rows: events, data: 'x'.repeat(bytes) },
    events,
  });
  const dropped = {
    recordId: 'r',
    outcome: { kind: 'dropped' as const, reason: 'no-rows' as const },
    events: 1,
  };

  it('keeps records first come first served and skips only those that do not fit', () => {
    expect(planResponse([ok(400), ok(300), dropped, ok(100)], 900)).toEqual([
      'keep',
      'reingest',
      'keep',
      'keep',
    ]);
    expect(planResponse([ok(2000), ok(2000, 1), ok(10)], 1000)).toEqual(['split', 'too-large', 'keep']);
    expect(planResponse([], 1000)).toEqual([]);
  });
});

it('responseBytes is the exact JSON size of a response', () => {
  const response: FirehoseTransformationResult = {
    records: [
      { recordId: 'a"b', result: 'Ok', data: 'eA==' },
      { recordId: 'é', result: 'Dropped', data: '' },
      { recordId: '3', result: 'ProcessingFailed', data: '' },
    ],
  };
  expect(responseBytes(response)).toBe(Buffer.byteLength(JSON.stringify(response)));
  expect(responseBytes({ records: [] })).toBe(Buffer.byteLength(JSON.stringify({ records: [] })));
});
