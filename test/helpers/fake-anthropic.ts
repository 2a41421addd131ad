import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Anthropic Messages API (node:http on 127.0.0.1, port 0), for the
 * official SDK pointed at it with ANTHROPIC_BASE_URL. `POST /v1/messages` answers with the
 * configured text as one JSON message, or as server-sent events when the request asks for
 * `stream: true`, exactly in the API's event shapes. Faults: `status` (e.g. 500) answers an API
 * error; `stall` accepts the request and never answers.
 *
 *   const api = await startFakeAnthropic({ text: 'Great week...' });
 *   env.ANTHROPIC_BASE_URL = api.url;   api.requests[0].body.messages[0].content
 */
export interface FakeAnthropicOptions {
  readonly text?: string;
  readonly status?: number;
  readonly stall?: boolean;
  /** The one API key it accepts. */
  readonly apiKey?: string;
}

export interface AnthropicRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  readonly body: {
    model: string;
    stream?: boolean;
    system?: string;
    max_tokens: number;
    messages: { role: string; content: string }[];
  };
}

export interface FakeAnthropic {
  readonly url: string;
  readonly requests: AnthropicRequest[];
  /** Changes the answer for the next requests. */
  set(options: FakeAnthropicOptions): void;
  close(): Promise<void>;
}

/** The key a request carries: `x-api-key`, or `Authorization: Bearer` as the SDK also sends it. */
export function apiKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string') return header;
  return /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
}

function sse(res: import('node:http').ServerResponse, model: string, text: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send('message_start', {
    type: 'message_start',
    message: {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 100, output_tokens: 1 },
    },
  });
  send('content_block_start', {
    type: 'content_block_start',
    index: 0,
    content_block: { type: 'text', text: '' },
  });
  // Several deltas, cut mid-word, as the API streams them.
  for (let i = 0; i < text.length; i += 17) {
    send('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: text.slice(i, i + 17) },
    });
  }
  send('content_block_stop', { type: 'content_block_stop', index: 0 });
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 42 },
  });
  send('message_stop', { type: 'message_stop' });
  res.end();
}

export async function startFakeAnthropic(initial: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  let options = initial;
  const requests: AnthropicRequest[] = [];
  const stalled: import('node:http').ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw || '{}') as AnthropicRequest['body'];
      requests.push({ path: req.url ?? '', headers: req.headers, raw, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method !== 'POST' || !(req.url ?? '').startsWith('/v1/messages')) {
        return json(404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } });
      }
      if (options.apiKey && apiKeyOf(req.headers) !== options.apiKey) {
        return json(401, {
          type: 'error',
          error: { type: 'authentication_error', message: 'invalid x-api-key' },
        });
      }
      if (options.stall) {
        stalled.push(res);
        return;
      }
      if (options.status && options.status >= 400) {
        return json(options.status, {
          type: 'error',
          error: { type: 'api_error', message: 'Internal server error' },
        });
      }
      const text = options.text ?? '';
      if (body.stream) return sse(res, body.model, text);
      json(200, {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 100, output_tokens: 42 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    set: (next) => {
      options = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of stalled) res.destroy();
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

/** A stand-in for the public changelog: a small Markdown file with version sections. */
export async function startFakeChangelog(
  markdown: string,
): Promise<{ url: string; hits: number; close(): Promise<void> }> {
  const state = { hits: 0 };
  const server = createServer((_req, res) => {
    state.hits += 1;
    res.writeHead(200, { 'content-type': 'text/markdown' });
    res.end(markdown);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/CHANGELOG.md`,
    get hits() {
      return state.hits;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
