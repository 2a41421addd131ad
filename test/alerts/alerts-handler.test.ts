import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertsHandler } from '../../functions/alerts/handler.ts';
import { openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { buildAlertsLake, costRows } from './alerts-lake.ts';

/**
 * The alerts Lambda: Athena stands in as DuckDB over the test lake, S3 and Secrets Manager under
 * aws-sdk-client-mock (the state object kept in memory between runs, as the bucket would), Slack
 * faked. A new handler per run is a new Lambda container.
 */
const TOKEN = 'xoxb-lambda-alerts-TOKEN';
const s3Mock = mockClient(S3Client);
const secretsMock = mockClient(SecretsManagerClient);
const objects = new Map<string, string>();
let lake: { dir: string; dispose(): Promise<void> };
let slack: FakeSlack;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  lake = await buildAlertsLake(costRows('2026-11-03', '2026-12-02'));
  slack = await startFakeSlack({ token: TOKEN, channels: { C0ADMIN: 'member' } });
  secretsMock.on(GetSecretValueCommand).resolves({ SecretString: TOKEN });
  s3Mock.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
    const body = objects.get(`${input.Bucket}/${input.Key}`);
    if (body === undefined)
      throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    // The part of the SDK's stream body the store reads.
    return { Body: { transformToString: async () => body } } as never;
  });
  s3Mock.on(PutObjectCommand).callsFake((input: { Bucket: string; Key: string; Body: string }) => {
    objects.set(`${input.Bucket}/${input.Key}`, input.Body);
    return {};
  });
});
afterAll(async () => {
  await slack?.close();
  await lake?.dispose();
  expect(JSON.stringify(logs)).not.toContain(TOKEN);
});

const run = (now: string) =>
  createAlertsHandler({
    env: {
      ALERTS_SPIKE_FACTOR: '3',
      ALERTS_BUDGET_USD: '100',
      ALERTS_CHANNEL: 'C0ADMIN',
      DIGEST_CHANNEL: 'C0DIGEST',
      SLACK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:slack-AbCdEf',
      SLACK_API_URL: slack.apiUrl,
      STATE_BUCKET: 'lake-bucket',
      ATHENA_WORKGROUP: 'wg',
      ATHENA_DATABASE: 'db',
      AWS_REGION: 'us-east-1',
    },
    secrets: new SecretsManagerClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    openEngine: () => openDuckDbEngine({ lake: lake.dir, timeZone: 'UTC' }),
    now: () => new Date(now),
    retryConfig: { retries: 0 },
    log: (entry) => logs.push(entry),
  })({});

describe('alerts Lambda', () => {
  it('sends what is due, keeps the state in the lake bucket, and a new container sends nothing again', async () => {
    // 1-2 Dec: (5 + 20 + 0.5) + (40 + 50 + 5 + 100) = $220.50 of $100: the 100 % alert, and ana's spike.
    expect(await run('2026-12-02T16:00:00Z')).toEqual({ due: 2, sent: 2, failed: 0 });
    expect(slack.posts.map((p) => p.text)).toEqual([
      'Claude Code spend reached 100% of the monthly budget: $220.50 of $100.00 in December 2026.',
      expect.stringMatching(/^Cost spike: ana used \$40\.00/),
    ]);
    const state = JSON.parse(objects.get('lake-bucket/alerts/sent.json')!) as { sent: object };
    expect(Object.keys(state.sent)).toEqual([
      'budget:2026-12:100',
      'budget:2026-12:80',
      'budget:2026-12:90',
      'spike:2026-12-02:ana',
    ]);
    expect(await run('2026-12-02T17:00:00Z')).toEqual({ due: 0, sent: 0, failed: 0 });
    expect(slack.posts).toHaveLength(2);
  });

  it('fails with one line when a setting is missing', async () => {
    const handler = createAlertsHandler({
      env: { ALERTS_SPIKE_FACTOR: '3', ALERTS_CHANNEL: 'C0ADMIN' },
      log: (e) => logs.push(e),
    });
    await expect(handler({})).rejects.toThrow(
      'the alerts Lambda needs the environment variable SLACK_SECRET_ARN',
    );
  });
});
