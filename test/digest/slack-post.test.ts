import { afterEach, describe, expect, it } from 'vitest';
import { DigestPostError } from '../../functions/digest/errors.ts';
import { postMessage, type SlackMessage } from '../../functions/digest/slack-post.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';

const TOKEN = 'xoxb-test-0123456789-SECRET';
const fast = { retries: 3, minTimeout: 0, maxTimeout: 1 };
const message: SlackMessage = {
  text: 'Claude Code weekly digest',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Hello*' } }],
};

let slack: FakeSlack | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

async function fake(options: { rateLimit?: number; retryAfterSeconds?: number } = {}) {
  slack = await startFakeSlack({
    token: TOKEN,
    channels: { C0DIGEST: 'member', C0OUTSIDE: 'not-member' },
    ...options,
  });
  return slack;
}

async function failure(promise: Promise<unknown>): Promise<DigestPostError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DigestPostError);
  return error as DigestPostError;
}

describe('postMessage', () => {
  it('posts blocks as a JSON form field with the text fallback, the token only in the header', async () => {
    const s = await fake();
    const posted = await postMessage(message, {
      token: TOKEN,
      channel: 'C0DIGEST',
      apiUrl: s.apiUrl,
      retryConfig: fast,
    });
    expect(posted).toEqual({ channel: 'C0DIGEST', ts: '1700000000.000001' });
    expect(s.posts[0]).toEqual({ channel: 'C0DIGEST', text: message.text, blocks: message.blocks });
    expect(s.requests[0]?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(typeof s.requests[0]?.fields.blocks).toBe('string');
    expect(s.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(s.requests[0]?.raw).not.toContain(TOKEN);
  });

  it.each([
    [
      'a wrong token',
      { token: 'xoxb-wrong-SECRET', channel: 'C0DIGEST' },
      'invalid-auth',
      /rejected the bot token \(invalid_auth\)/,
    ],
    [
      'an unknown channel',
      { token: TOKEN, channel: 'C0NOPE' },
      'channel-not-found',
      /"C0NOPE" was not found \(channel_not_found\)/,
    ],
    [
      'a channel without the bot',
      { token: TOKEN, channel: 'C0OUTSIDE' },
      'not-in-channel',
      /not a member of channel "C0OUTSIDE" \(not_in_channel\).*\/invite/,
    ],
    ['no token', { token: undefined, channel: 'C0DIGEST' }, 'missing-token', /SLACK_BOT_TOKEN/],
    ['a blank token', { token: '  ', channel: 'C0DIGEST' }, 'missing-token', /SLACK_BOT_TOKEN/],
    [
      'no channel',
      { token: TOKEN, channel: undefined },
      'missing-channel',
      /SLACK_CHANNEL or pass --channel/,
    ],
  ] as const)('turns %s into one clear line', async (_, target, code, text) => {
    const s = await fake();
    const logs: string[] = [];
    const error = await failure(
      postMessage(message, { ...target, apiUrl: s.apiUrl, retryConfig: fast, log: (l) => logs.push(l) }),
    );
    expect(error.code).toBe(code);
    expect(error.message).toMatch(text);
    expect(error.message).not.toContain('\n');
    expect(`${error.message}${logs.join('')}`).not.toContain('SECRET');
    expect(s.posts).toHaveLength(0);
  });

  it('retries after HTTP 429, waiting the Retry-After seconds', async () => {
    const s = await fake({ rateLimit: 1, retryAfterSeconds: 1 });
    const logs: string[] = [];
    const started = Date.now();
    await postMessage(message, {
      token: TOKEN,
      channel: 'C0DIGEST',
      apiUrl: s.apiUrl,
      retryConfig: fast,
      log: (l) => logs.push(l),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(s.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(s.posts).toHaveLength(1);
    expect(logs.join('\n')).toMatch(/rate limit/i);
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('gives up after the retries with one clear line', async () => {
    const s = await fake({ rateLimit: 100, retryAfterSeconds: 0 });
    const error = await failure(
      postMessage(message, {
        token: TOKEN,
        channel: 'C0DIGEST',
        apiUrl: s.apiUrl,
        retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 1 },
      }),
    );
    expect(error.code).toBe('rate-limited');
    expect(s.requests).toHaveLength(3);
  });

  it('says so when Slack cannot be reached', async () => {
    const s = await fake();
    const url = s.apiUrl;
    await s.close();
    slack = undefined;
    const error = await failure(
      postMessage(message, { token: TOKEN, channel: 'C0DIGEST', apiUrl: url, retryConfig: { retries: 0 } }),
    );
    expect(error.code).toBe('unreachable');
    expect(error.message).not.toContain(TOKEN);
  });
});
