import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmailPolicyError } from '../../functions/schema/email.ts';
import { loadTransformConfig, transformConfigFrom } from '../../functions/transform/config.ts';
import { encodeRow } from '../../functions/transform/encode-row.ts';
import { toFirehoseRecord } from '../../functions/transform/outcome.ts';
import { eventOf, logEvent, outputRows } from '../helpers/cloudwatch.ts';

const KEY = 'a-long-enough-hmac-key-1234';
const prompt = (email: string) =>
  logEvent({
    body: 'claude_code.user_prompt',
    attributes: { 'event.timestamp': '2026-01-05T10:00:00.250Z', 'user.email': email, prompt: 'SECRET' },
  });

// One mock of the client class for the whole file (a second one would replace the first).
const secrets = mockClient(SecretsManagerClient);

async function loadHandler(env: Record<string, string>) {
  vi.resetModules();
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  return (await import('../../functions/transform/handler.ts')).handler;
}

afterEach(() => {
  secrets.reset();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('handler', () => {
  it('reads the e-mail policy at cold start, returns the response, writes one JSON log line', async () => {
    const handler = await loadHandler({ EMAIL_MODE: 'local-part' });
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const event = eventOf([prompt('Ana@Example.com')]);
    const response = await handler(event);
    expect(outputRows(response.records[0]!)).toMatchObject([{ user_email: 'ana' }]);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const log = JSON.parse(lines[0]!);
    expect(log).toMatchObject({
      message: 'claude-otel-lake transform',
      invocationId: 'invocation-1',
      records: { in: 1, ok: 1 },
      events: { in: 1, rows: 1 },
      droppedKeys: { prompt: 1 },
    });
    expect(lines[0]).not.toContain('SECRET');
    expect(lines[0]).not.toContain('ana');
  });

  it('applies hmac pseudonyms', async () => {
    const handler = await loadHandler({ EMAIL_MODE: 'hmac', EMAIL_HMAC_KEY: KEY });
    vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    const response = await handler(eventOf([prompt('ana@example.com'), prompt('ANA@example.com ')]));
    const [a, b] = outputRows(response.records[0]!);
    expect(a!.user_email).toMatch(/^u_[0-9a-f]{20}$/);
    expect(b!.user_email).toBe(a!.user_email);
  });

  it('logs one line naming the error, then rethrows so that Firehose retries', async () => {
    vi.resetModules();
    vi.doMock('../../functions/transform/transform-batch.ts', async () => {
      const { ReingestError } = await import('../../functions/transform/errors.ts');
      return {
        transformBatch: () =>
          Promise.reject(new ReingestError('put-failed', 're-ingest failed after 8 attempts')),
      };
    });
    const { handler } = await import('../../functions/transform/handler.ts');
    vi.doUnmock('../../functions/transform/transform-batch.ts');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    await expect(handler(eventOf([prompt('a@b.c')]))).rejects.toMatchObject({ code: 'put-failed' });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        message: 'claude-otel-lake transform failed',
        invocationId: 'invocation-1',
        records: 1,
        error: { name: 'ReingestError', code: 'put-failed', text: 're-ingest failed after 8 attempts' },
      },
    ]);
  });

  it('fails every invocation on a bad e-mail setting, naming it', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    // A fresh module graph per load: match the class by name, not identity.
    const noKey = await loadHandler({ EMAIL_MODE: 'hmac', EMAIL_HMAC_KEY: '' });
    await expect(noKey(eventOf([prompt('a@b.c')]))).rejects.toMatchObject({
      name: EmailPolicyError.name,
      message: expect.stringMatching(/EMAIL_HMAC_KEY/),
    });
    const badMode = await loadHandler({ EMAIL_MODE: 'sha1' });
    await expect(badMode(eventOf([prompt('a@b.c')]))).rejects.toThrow(/got "sha1"/);
    expect(lines.map((l) => JSON.parse(l).error.name)).toEqual(['EmailPolicyError', 'EmailPolicyError']);
  });
});

describe('handler, when the HMAC key cannot be read at cold start', () => {
  it('fails that invocation and reads the secret again on the next, instead of failing until recycled', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:EmailHmacKey-abc';
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }))
      .resolves({ SecretString: KEY });
    const handler = await loadHandler({
      EMAIL_MODE: 'hmac',
      EMAIL_HMAC_SECRET_ARN: arn,
      AWS_REGION: 'us-east-1',
    });
    await expect(handler(eventOf([prompt('a@b.c')]))).rejects.toThrow(/ThrottlingException/);
    const response = await handler(eventOf([prompt('a@b.c')]));
    expect(outputRows(response.records[0]!)[0]?.user_email).toMatch(/^u_[0-9a-f]{20}$/);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    // Once loaded, the configuration is kept: no further reads.
    await handler(eventOf([prompt('a@b.c')]));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});

describe('loadTransformConfig', () => {
  const client = () => new SecretsManagerClient({ region: 'us-east-1' });
  const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:EmailHmacKey-abc';

  it('reads the HMAC key from the secret named by EMAIL_HMAC_SECRET_ARN', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: KEY });
    await expect(
      loadTransformConfig({ EMAIL_MODE: 'hmac', EMAIL_HMAC_SECRET_ARN: arn }, client),
    ).resolves.toEqual({
      emailPolicy: { mode: 'hmac', key: KEY },
    });
  });

  it('does not call Secrets Manager outside hmac mode or when the key is set', async () => {
    await loadTransformConfig({ EMAIL_MODE: 'keep', EMAIL_HMAC_SECRET_ARN: arn }, client);
    await loadTransformConfig(
      { EMAIL_MODE: 'hmac', EMAIL_HMAC_KEY: KEY, EMAIL_HMAC_SECRET_ARN: arn },
      client,
    );
    expect(secrets.calls()).toHaveLength(0);
  });

  it('names the secret, not its value, when it cannot be read or is too short', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(
      loadTransformConfig({ EMAIL_MODE: 'hmac', EMAIL_HMAC_SECRET_ARN: arn }, client),
    ).rejects.toThrow(`cannot read the e-mail HMAC key from secret ${arn} (AccessDeniedException)`);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'short-secret' });
    const error = await loadTransformConfig({ EMAIL_MODE: 'hmac', EMAIL_HMAC_SECRET_ARN: arn }, client).catch(
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(EmailPolicyError);
    expect(String(error)).not.toContain('short-secret');
  });
});

describe('transformConfigFrom', () => {
  it('defaults to keep; an empty EMAIL_MODE is the default too', () => {
    expect(transformConfigFrom({})).toEqual({ emailPolicy: { mode: 'keep' } });
    expect(transformConfigFrom({ EMAIL_MODE: '' })).toEqual({ emailPolicy: { mode: 'keep' } });
    expect(transformConfigFrom({ EMAIL_MODE: 'hmac', EMAIL_HMAC_KEY: KEY })).toEqual({
      emailPolicy: { mode: 'hmac', key: KEY },
    });
  });
});

describe('encodeRow and toFirehoseRecord', () => {
  it('writes ISO-8601 UTC with milliseconds and omits absent columns', () => {
    expect(
      encodeRow({ event_time: Date.UTC(2026, 0, 5, 10, 0, 0, 250), event_name: 'x', cost_usd: 0.5 }),
    ).toBe('{"event_time":"2026-01-05T10:00:00.250Z","event_name":"x","cost_usd":0.5}\n');
    expect(encodeRow({ event_time: Date.UTC(2026, 0, 5), model: 'a"b\\c\n' })).toBe(
      '{"event_time":"2026-01-05T00:00:00.000Z","model":"a\\"b\\\\c\\n"}\n',
    );
    expect(encodeRow({})).toBe('{}\n');
  });

  it('maps outcomes one to one onto Firehose statuses', () => {
    expect(toFirehoseRecord('1', { kind: 'ok', rows: 1, data: 'e30K' })).toEqual({
      recordId: '1',
      result: 'Ok',
      data: 'e30K',
    });
    expect(toFirehoseRecord('2', { kind: 'dropped', reason: 'reingested' })).toEqual({
      recordId: '2',
      result: 'Dropped',
      data: '',
    });
    expect(toFirehoseRecord('3', { kind: 'failed', reason: 'bad-gzip' })).toEqual({
      recordId: '3',
      result: 'ProcessingFailed',
      data: '',
    });
  });
});

it('encodeRow converts event_time wherever it stands', () => {
  expect(encodeRow({ event_name: 'x', event_time: Date.UTC(2026, 0, 5) })).toBe(
    '{"event_name":"x","event_time":"2026-01-05T00:00:00.000Z"}\n',
  );
  expect(encodeRow({ event_time: Date.UTC(2026, 0, 5) })).toBe('{"event_time":"2026-01-05T00:00:00.000Z"}\n');
});

it('isoUtc equals Date#toISOString for any time in range', async () => {
  const { isoUtc } = await import('../../functions/transform/encode-row.ts');
  const fc = (await import('fast-check')).default;
  fc.assert(
    fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) - 1 }), (ms) => {
      expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
      expect(isoUtc(ms + 1)).toBe(new Date(ms + 1).toISOString());
      expect(isoUtc(ms - 59_999)).toBe(new Date(ms - 59_999).toISOString());
    }),
    { numRuns: 2000 },
  );
  for (const ms of [
    Date.UTC(2026, 0, 5, 10, 0, 59, 999),
    Date.UTC(2026, 0, 5, 10, 1),
    Date.UTC(2026, 0, 5, 10, 0, 9, 5),
  ]) {
    expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
  }
});
