import {
  FirehoseClient,
  PutRecordBatchCommand,
  type PutRecordBatchCommandInput,
} from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDeliveryStreamArn } from '../../functions/transform/delivery-stream.ts';
import { ReingestError } from '../../functions/transform/errors.ts';
import { batchRecords, MAX_BATCH_BYTES } from '../../functions/transform/record-batches.ts';
import { backoffMs, firehoseReingester } from '../../functions/transform/reingest.ts';
import { STREAM_ARN } from '../helpers/cloudwatch.ts';

const firehose = mockClient(FirehoseClient);
let sleeps: number[];
const reingester = (maxAttempts = 4) =>
  firehoseReingester({ maxAttempts, sleep: async (ms) => void sleeps.push(ms) });

const records = (n: number, size = 10) =>
  Array.from({ length: n }, (_, i) => Buffer.alloc(size, i % 256)) as Uint8Array[];
const sent = (call: number): PutRecordBatchCommandInput =>
  firehose.commandCalls(PutRecordBatchCommand)[call]!.args[0].input;
const ok = (n: number) => ({
  FailedPutCount: 0,
  RequestResponses: Array.from({ length: n }, () => ({ RecordId: 'r' })),
});

beforeEach(() => {
  firehose.reset();
  sleeps = [];
});
afterEach(() => firehose.reset());

describe('firehoseReingester', () => {
  it('puts every record to the stream named in the ARN, in batches of at most 500', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .callsFake((input: PutRecordBatchCommandInput) => ok(input.Records!.length));
    const input = records(1201);
    const stats = await reingester().put(STREAM_ARN, input);
    expect(stats).toEqual({ records: 1201, bytes: 12010, calls: 3 });
    expect([0, 1, 2].map((i) => sent(i).Records!.length)).toEqual([500, 500, 201]);
    expect(sent(0).DeliveryStreamName).toBe('claude-otel-lake');
    expect(sent(2).Records!.at(-1)!.Data).toEqual(input[1200]);
  });

  it('retries only the entries that failed, with backoff, until they are accepted', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({
        FailedPutCount: 2,
        RequestResponses: [
          { RecordId: 'a' },
          { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'slow down' },
          { RecordId: 'c' },
          { ErrorCode: 'InternalFailure' },
        ],
      })
      .resolvesOnce({
        FailedPutCount: 1,
        RequestResponses: [{ ErrorCode: 'ServiceUnavailableException' }, { RecordId: 'd' }],
      })
      .resolves(ok(1));
    const input = records(4);
    const stats = await reingester().put(STREAM_ARN, input);
    expect(stats.calls).toBe(3);
    expect(sent(1).Records!.map((r) => r.Data)).toEqual([input[1], input[3]]);
    expect(sent(2).Records!.map((r) => r.Data)).toEqual([input[1]]);
    expect(sleeps).toHaveLength(2);
  });

  it('retries a whole batch when the call throws', async () => {
    firehose.on(PutRecordBatchCommand).rejectsOnce(new Error('socket hang up')).resolves(ok(2));
    await expect(reingester().put(STREAM_ARN, records(2))).resolves.toMatchObject({ calls: 2 });
    expect(sent(1).Records).toHaveLength(2);
  });

  it('throws ReingestError after the last attempt, naming the error codes', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .resolves({ FailedPutCount: 1, RequestResponses: [{ ErrorCode: 'ServiceUnavailableException' }] });
    const error = await reingester(3)
      .put(STREAM_ARN, records(1))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReingestError);
    expect(error).toMatchObject({ code: 'put-failed' });
    expect((error as Error).message).toMatch(/after 3 attempts.*ServiceUnavailableException/);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(3);
    firehose.reset();
    firehose.on(PutRecordBatchCommand).rejects(new Error('AccessDenied'));
    await expect(reingester(2).put(STREAM_ARN, records(1))).rejects.toThrow(ReingestError);
  });

  it('backs off exponentially with jitter, capped at 2 s', () => {
    for (let i = 0; i < 50; i++) {
      expect(backoffMs(1, 100)).toBeGreaterThanOrEqual(50);
      expect(backoffMs(1, 100)).toBeLessThanOrEqual(100);
      expect(backoffMs(3, 100)).toBeGreaterThanOrEqual(200);
      expect(backoffMs(20, 100)).toBeLessThanOrEqual(2000);
    }
  });
});

describe('batchRecords', () => {
  it('keeps each batch within 500 records and 4 MB, in order', () => {
    const big = records(10, 900 * 1024);
    const batches = batchRecords(big);
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    for (const b of batches)
      expect(b.reduce((n, r) => n + r.byteLength, 0)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    expect(batches.flat().every((r, i) => r === big[i])).toBe(true);
    expect(batchRecords([])).toEqual([]);
  });

  it('reads the 4 MB request limit as 4,000,000 bytes: four records of the 1,000 KiB maximum need two calls', () => {
    expect(MAX_BATCH_BYTES).toBe(4_000_000);
    const max = records(4, 1000 * 1024);
    expect(batchRecords(max).map((b) => b.length)).toEqual([3, 1]);
  });
});

describe('parseDeliveryStreamArn', () => {
  it('reads region and name, and rejects anything else', () => {
    expect(parseDeliveryStreamArn(STREAM_ARN)).toEqual({ region: 'eu-west-1', name: 'claude-otel-lake' });
    expect(parseDeliveryStreamArn('arn:aws-cn:firehose:cn-north-1:123456789012:deliverystream/s')).toEqual({
      region: 'cn-north-1',
      name: 's',
    });
    expect(() => parseDeliveryStreamArn('arn:aws:kinesis:eu-west-1:123456789012:stream/s')).toThrow(
      ReingestError,
    );
  });
});
