import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Slack's Web API (node:http on 127.0.0.1, port 0), enough for
 * `chat.postMessage` from @slack/web-api's WebClient pointed at it with `slackApiUrl`:
 *
 *   const slack = await startFakeSlack({ token: 'xoxb-test', channels: { C1: 'member' } });
 *   new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl }).chat.postMessage({ channel: 'C1', ... })
 *   slack.posts[0].blocks   // the blocks as Slack would receive them, parsed
 *
 * It answers like Slack: HTTP 200 with `{ ok: false, error }` for `invalid_auth`,
 * `channel_not_found`, `not_in_channel`, `invalid_blocks` (over 50 blocks, a section over 3000
 * characters, a header over 150); HTTP 429 with `Retry-After` for the first `rateLimit` requests.
 */
export type ChannelState = 'member' | 'not-member';

export interface FakeSlackOptions {
  /** The one bot token it accepts. */
  readonly token: string;
  /** Known channels by id or name, and whether the bot is in them. */
  readonly channels: Readonly<Record<string, ChannelState>>;
  /** How many requests get HTTP 429 before it answers normally. */
  readonly rateLimit?: number;
  /** The Retry-After header of a 429, in seconds. */
  readonly retryAfterSeconds?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** The raw request body, exactly as sent. */
  readonly raw: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly status: number;
}

export interface PostedMessage {
  readonly channel: string;
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

export interface SlackBlock {
  readonly type: string;
  readonly text?: { readonly type: string; readonly text: string };
  readonly elements?: readonly { readonly type: string; readonly text: string }[];
}

export interface FakeSlack {
  /** Base URL for WebClient's `slackApiUrl` (ends with `/api/`). */
  readonly apiUrl: string;
  readonly requests: RecordedRequest[];
  /** Messages accepted (ok: true), in order. */
  readonly posts: PostedMessage[];
  close(): Promise<void>;
}

/** Slack's Block Kit limits, checked on every message (invalid_blocks otherwise). */
export function blockProblems(blocks: readonly SlackBlock[]): string[] {
  const problems: string[] = [];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks (max 50)`);
  blocks.forEach((b, i) => {
    if (b.type === 'section' && (b.text?.text.length ?? 0) > 3000)
      problems.push(`block ${i}: section text over 3000`);
    if (b.type === 'header' && (b.text?.text.length ?? 0) > 150) problems.push(`block ${i}: header over 150`);
  });
  return problems;
}

function parseFields(raw: string, contentType: string | undefined): Record<string, string> {
  if (contentType?.includes('application/json')) {
    const json = JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(json).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

export async function startFakeSlack(options: FakeSlackOptions): Promise<FakeSlack> {
  const requests: RecordedRequest[] = [];
  const posts: PostedMessage[] = [];
  let limited = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const fields = parseFields(raw, req.headers['content-type']);
      const method = (req.url ?? '').replace(/^\/api\//, '');
      const answer = (
        status: number,
        body: Record<string, unknown>,
        headers: Record<string, string> = {},
      ) => {
        requests.push({ method, headers: req.headers, raw, fields, status });
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (limited < (options.rateLimit ?? 0)) {
        limited += 1;
        answer(
          429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(options.retryAfterSeconds ?? 1) },
        );
        return;
      }
      const auth = req.headers.authorization ?? (fields.token ? `Bearer ${fields.token}` : '');
      if (auth !== `Bearer ${options.token}`) {
        answer(200, { ok: false, error: auth ? 'invalid_auth' : 'not_authed' });
        return;
      }
      if (method !== 'chat.postMessage') {
        answer(200, { ok: false, error: 'unknown_method' });
        return;
      }
      const channel = fields.channel ?? '';
      const state = options.channels[channel];
      if (!state) return answer(200, { ok: false, error: 'channel_not_found' });
      if (state === 'not-member') return answer(200, { ok: false, error: 'not_in_channel' });
      const blocks = fields.blocks ? (JSON.parse(fields.blocks) as SlackBlock[]) : [];
      const problems = blockProblems(blocks);
      if (problems.length > 0) {
        return answer(200, { ok: false, error: 'invalid_blocks', errors: problems });
      }
      posts.push({ channel, text: fields.text ?? '', blocks });
      answer(200, { ok: true, channel, ts: `1700000000.${String(posts.length).padStart(6, '0')}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    requests,
    posts,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
