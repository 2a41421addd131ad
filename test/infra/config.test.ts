import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, configFromContext, defaultConfig } from '../../infra/config.ts';

const lookupOf = (ctx: Record<string, unknown>) => (key: string) => ctx[key];

describe('configFromContext', () => {
  it('gives the documented defaults for an empty context, region us-east-1', () => {
    expect(configFromContext(lookupOf({}))).toEqual({ ...defaultConfig(), region: 'us-east-1' });
  });

  it('lists every default in cdk.json, with the same value', () => {
    const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
    expect(cdkJson.context).toEqual(defaultConfig());
  });

  it('takes the region from CDK_DEFAULT_REGION unless the context names one', () => {
    expect(configFromContext(lookupOf({}), { defaultRegion: 'us-west-2' }).region).toBe('us-west-2');
    expect(configFromContext(lookupOf({ region: 'us-east-2' }), { defaultRegion: 'us-west-2' }).region).toBe(
      'us-east-2',
    );
  });

  it('accepts numbers and booleans given as strings on the command line', () => {
    const c = configFromContext(
      lookupOf({
        rawRetentionDays: '3',
        digestEnabled: 'true',
        digestChannel: 'C0123',
        quicksightEnabled: 'false',
      }),
    );
    expect(c.rawRetentionDays).toBe(3);
    expect(c.digestEnabled).toBe(true);
    expect(c.quicksightEnabled).toBe(false);
  });

  it.each([
    [{ emailMode: 'hash' }, /emailMode.*keep, local-part, hmac.*"hash"/],
    [{ rawRetentionDays: 2 }, /rawRetentionDays.*CloudWatch Logs.*got 2/],
    [{ teamTimeZone: 'Mars/Olympus' }, /teamTimeZone.*"Mars\/Olympus"/],
    [{ bufferIntervalSeconds: 30 }, /bufferIntervalSeconds.*60 to 900/],
    [{ bytesScannedCutoffPerQuery: 1000 }, /bytesScannedCutoffPerQuery/],
    [{ digestEnabled: 'yes' }, /digestEnabled.*true or false.*"yes"/],
    [{ digestEnabled: true }, /digestChannel/],
    [{ digestSchedule: 'every monday' }, /digestSchedule/],
    [{ quicksightEnabled: true }, /quicksightPrincipalArn/],
    [{ lakeTransitionDays: 90, lakeExpirationDays: 30 }, /lakeExpirationDays.*after/],
    [{ prefix: 'Claude Otel' }, /prefix/],
  ])('rejects %j, naming the key and the value', (ctx, message) => {
    expect(() => configFromContext(lookupOf(ctx))).toThrow(ConfigError);
    expect(() => configFromContext(lookupOf(ctx))).toThrow(message);
  });
});
