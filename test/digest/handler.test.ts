import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDigestHandler } from '../../functions/digest/handler.ts';
import { tokenFromSecret } from '../../functions/digest/slack-secret.ts';
import type { AthenaEngineOptions } from '../../functions/sql/athena-engine.ts';
import { openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import type { CommandIO } from '../../scripts/cli-kit.ts';
import { createDigestCommand } from '../../scripts/commands/digest.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { buildTestLake, type TestLake } from '../helpers/lake.ts';

const TOKEN = 'xoxb-9999-LAMBDA-SECRET-TOKEN';
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:claude-otel-lake/slack-AbCdEf';
const NOW = new Date('2026-01-12T08:00:00Z'); // Monday 09:00 in Berlin
const fast = { retries: 2, minTimeout: 0, maxTimeout: 1 };

const secretsMock = mockClient(SecretsManagerClient);
let lake: TestLake;
let slack: FakeSlack;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  lake = await buildTestLake({ seed: 5, teamSize: 6, days: 14, endMs: Date.UTC(2026, 0, 12) });
  slack = await startFakeSlack({ token: TOKEN, channels: { C0WEEKLY: 'member' } });
});
afterEach(() => {
  secretsMock.reset();
});
afterAll(async () => {
  await slack.close();
  await lake.dispose();
  expect(JSON.stringify(logs)).not.toContain(TOKEN);
});

const env = () => ({
  SLACK_SECRET_ARN: ARN,
  SLACK_CHANNEL: 'C0WEEKLY',
  SLACK_API_URL: slack.apiUrl,
  ATHENA_WORKGROUP: 'claude-otel-lake',
  ATHENA_DATABASE: 'claude_otel_lake',
  AWS_REGION: 'us-east-1',
  TEAM_TIME_ZONE: 'Europe/Berlin',
});

/** The Athena engine stands in as DuckDB over the test lake: same SQL, same interface. */
function handlerWith(overrides: Record<string, string | undefined> = {}) {
  const opened: AthenaEngineOptions[] = [];
  const handler = createDigestHandler({
    env: { ...env(), ...overrides },
    secrets: new SecretsManagerClient({ region: 'us-east-1' }),
    openEngine: (options) => {
      opened.push(options);
      return openDuckDbEngine({ lake: lake.dir, timeZone: 'Europe/Berlin' });
    },
    now: () => NOW,
    retryConfig: fast,
    log: (entry) => logs.push(entry),
  });
  return { handler, opened };
}

describe('digest Lambda handler', () => {
  it('reads the token from Secrets Manager and posts the same digest as the command', async () => {
    secretsMock.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: TOKEN });
    const { handler, opened } = handlerWith();
    const result = await handler({});
    expect(result).toMatchObject({
      channel: 'C0WEEKLY',
      period: 'Mon 5 Jan – Sun 11 Jan 2026',
      empty: false,
    });
    expect(opened).toEqual([
      { workgroup: 'claude-otel-lake', database: 'claude_otel_lake', region: 'us-east-1' },
    ]);
    const fromLambda = slack.posts.at(-1)!;

    const io: CommandIO = {
      out: () => {},
      err: () => {},
      cwd: process.cwd(),
      env: { SLACK_BOT_TOKEN: TOKEN, SLACK_CHANNEL: 'C0WEEKLY', SLACK_API_URL: slack.apiUrl },
    };
    const command = createDigestCommand({ now: () => NOW, retryConfig: fast });
    expect(await command.run(['--lake', lake.dir, '--tz', 'Europe/Berlin', '--post'], io)).toBe(0);
    const fromCommand = slack.posts.at(-1)!;
    expect(fromLambda).toEqual(fromCommand);
    expect(fromLambda.blocks.length).toBeGreaterThan(5);
    expect(logs.at(-1)).toMatchObject({ level: 'info', message: 'digest posted', channel: 'C0WEEKLY' });
  });

  it('accepts the token as JSON in the secret', () => {
    expect(tokenFromSecret('{"token":"xoxb-1"}', ARN)).toBe('xoxb-1');
    expect(tokenFromSecret('{"SLACK_BOT_TOKEN":"xoxb-2"}', ARN)).toBe('xoxb-2');
    expect(tokenFromSecret(' xoxb-3\n', ARN)).toBe('xoxb-3');
  });

  it('fails with one line naming the secret when it is empty, without opening the engine', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: '' });
    const { handler, opened } = handlerWith();
    await expect(handler({})).rejects.toThrow(`the Slack secret ${ARN} is empty`);
    expect(opened).toEqual([]);
    expect(logs.at(-1)).toMatchObject({ level: 'error', error: 'DigestConfigError' });
  });

  it('says what to do when the secret has no value yet or holds something else', async () => {
    secretsMock.on(GetSecretValueCommand).rejects(
      Object.assign(new Error("can't find the specified secret value"), {
        name: 'ResourceNotFoundException',
      }),
    );
    await expect(handlerWith().handler({})).rejects.toThrow(/has no value yet: put the bot token in it/);
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'Zq8-generated-password' });
    await expect(handlerWith().handler({})).rejects.toThrow(/does not hold a Slack token/);
    expect(JSON.stringify(logs)).not.toContain('Zq8-generated-password');
  });

  it('fails when the secret cannot be read', async () => {
    secretsMock
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(handlerWith().handler({})).rejects.toThrow(
      /cannot read the Slack secret .* \(AccessDeniedException\)/,
    );
  });

  it('maps Slack refusals as the command does, never showing the token', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: TOKEN });
    const { handler } = handlerWith({ SLACK_CHANNEL: 'C0GONE' });
    await expect(handler({})).rejects.toMatchObject({ code: 'channel-not-found' });
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: `${TOKEN}-revoked` });
    await expect(handlerWith().handler({})).rejects.toMatchObject({ code: 'invalid-auth' });
  });

  it('names a missing setting', async () => {
    await expect(handlerWith({ ATHENA_WORKGROUP: undefined }).handler({})).rejects.toThrow(
      'the digest Lambda needs the environment variable ATHENA_WORKGROUP',
    );
    await expect(handlerWith({ TEAM_TIME_ZONE: 'Mars/Base' }).handler({})).rejects.toThrow(
      /unknown time zone/,
    );
  });
});
