import {
  ErrorCode,
  type Logger,
  LogLevel,
  type RetryOptions,
  WebAPIPlatformError,
  WebClient,
} from '@slack/web-api';
import type { Block } from './blocks.ts';
import { DigestPostError } from './errors.ts';

/**
 * Sends one message with `chat.postMessage` (Block Kit blocks plus a `text` fallback) and turns
 * Slack's answers into DigestPostError with one clear line. Rate limits (HTTP 429) are retried by
 * WebClient itself: it waits the `Retry-After` seconds, then retries per `retryConfig`.
 *
 * The token goes only into WebClient's Authorization header; every message this module emits or
 * logs passes through `redact`, so the token cannot appear in any output.
 */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Block[];
}

export interface SlackTarget {
  readonly token: string | undefined;
  readonly channel: string | undefined;
  /** Web API base URL, e.g. `https://slack.com/api/` (default) or a test server's. */
  readonly apiUrl?: string | undefined;
  readonly retryConfig?: RetryOptions;
  /** Where WebClient's warnings and retry notes go (redacted); default: nowhere. */
  readonly log?: (line: string) => void;
}

export interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
}

/** A few retries over about a minute; WebClient's own default keeps trying for 30 minutes. */
export const DEFAULT_RETRY: RetryOptions = { retries: 4, factor: 2, minTimeout: 1000, maxTimeout: 20_000 };

/** The token and channel, or DigestPostError saying which is missing (before any work is done). */
export function requireTarget(
  token: string | undefined,
  channel: string | undefined,
): { token: string; channel: string } {
  const t = token?.trim();
  if (!t) {
    throw new DigestPostError(
      'missing-token',
      'no Slack bot token: set SLACK_BOT_TOKEN to the bot token (xoxb-...) of a Slack app with the chat:write scope',
    );
  }
  const c = channel?.trim();
  if (!c)
    throw new DigestPostError('missing-channel', 'no Slack channel: set SLACK_CHANNEL or pass --channel');
  return { token: t, channel: c };
}

export async function postMessage(message: SlackMessage, target: SlackTarget): Promise<PostedMessage> {
  const { token, channel } = requireTarget(target.token, target.channel);
  const redact = (text: string) => text.replaceAll(token, '[redacted]');
  const client = new WebClient(token, {
    slackApiUrl: target.apiUrl || undefined,
    retryConfig: target.retryConfig ?? DEFAULT_RETRY,
    logger: redactingLogger(target.log, redact),
  });
  try {
    const result = await client.chat.postMessage({
      channel,
      text: message.text,
      blocks: [...message.blocks],
      unfurl_links: false,
      unfurl_media: false,
    });
    return { channel: result.channel ?? channel, ts: result.ts ?? '' };
  } catch (error) {
    throw explain(error, channel, redact);
  }
}

/** Maps WebClient's errors to one clear line each. */
function explain(error: unknown, channel: string, redact: (text: string) => string): DigestPostError {
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    switch (code) {
      case 'invalid_auth':
      case 'not_authed':
      case 'token_revoked':
      case 'token_expired':
      case 'account_inactive':
        return new DigestPostError(
          'invalid-auth',
          `Slack rejected the bot token (${code}): check SLACK_BOT_TOKEN (or the secret) holds a current xoxb- token`,
        );
      case 'channel_not_found':
        return new DigestPostError(
          'channel-not-found',
          `Slack channel "${redact(channel)}" was not found (channel_not_found): use the channel ID (C0123456789) from the channel's details`,
        );
      case 'not_in_channel':
        return new DigestPostError(
          'not-in-channel',
          `the bot is not a member of channel "${redact(channel)}" (not_in_channel): invite it there with /invite @<your app>`,
        );
      case 'missing_scope':
        return new DigestPostError(
          'missing-scope',
          'the Slack app lacks the chat:write scope (missing_scope): add it under OAuth & Permissions and reinstall the app',
        );
      default:
        return new DigestPostError('slack-error', `Slack refused the message (${redact(code)})`);
    }
  }
  const code = (error as { code?: unknown } | null)?.code;
  const message = redact(error instanceof Error ? error.message : String(error));
  if (code === ErrorCode.RateLimitedError || /rate limit was exceeded/i.test(message)) {
    return new DigestPostError('rate-limited', 'Slack kept rate-limiting the request; try again in a minute');
  }
  if (code === ErrorCode.HTTPError || code === ErrorCode.RequestError) {
    return new DigestPostError('unreachable', `could not reach Slack: ${message}`);
  }
  return new DigestPostError('slack-error', `posting to Slack failed: ${message}`);
}

/** WebClient's logger, keeping info and above, every argument redacted, one line each. */
function redactingLogger(
  log: ((line: string) => void) | undefined,
  redact: (text: string) => string,
): Logger {
  let level = LogLevel.INFO;
  const write =
    (prefix: string) =>
    (...msg: unknown[]) => {
      if (log)
        log(redact(`${prefix}${msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ')}`));
    };
  return {
    debug: () => {},
    info: write('slack: '),
    warn: write('slack warning: '),
    error: write('slack error: '),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
