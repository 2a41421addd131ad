import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted fake of the Anthropic Messages API on 127.0.0.1 (port 0), enough for the real
 * `claude -p` to run a conversation: it answers `POST /v1/messages` with streamed (SSE) or plain
 * JSON messages whose content is text or `tool_use` blocks, so Claude Code really runs the tools
 * and sends the results back. Which reply comes is decided by `script(request)`; the fake records
 * every request (tool lists and tool results included) for the test to look at.
 */
export type Block =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_use'; readonly name: string; readonly input: Record<string, unknown> };

export type Reply =
  | { readonly kind: 'message'; readonly content: readonly Block[]; readonly usage?: Partial<Usage> }
  | { readonly kind: 'error'; readonly status: number; readonly message: string };

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

export interface MessagesRequest {
  readonly model: string;
  readonly stream?: boolean;
  readonly messages: readonly { role: string; content: unknown }[];
  readonly tools?: readonly { name: string }[];
  readonly system?: unknown;
  readonly [key: string]: unknown;
}

export type Script = (request: MessagesRequest) => Reply;

export interface FakeAnthropic {
  readonly url: string;
  readonly requests: MessagesRequest[];
  close(): Promise<void>;
}

let nextId = 0;

export async function startFakeAnthropic(script: Script): Promise<FakeAnthropic> {
  const requests: MessagesRequest[] = [];
  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST' || !path?.endsWith('/v1/messages')) {
      // count_tokens and anything else: a harmless answer.
      if (path?.endsWith('/count_tokens')) return json(res, 200, { input_tokens: 10 });
      return json(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'no route' } });
    }
    let request: MessagesRequest;
    try {
      request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as MessagesRequest;
    } catch {
      return json(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'bad json' } });
    }
    requests.push(request);
    const reply = script(request);
    if (reply.kind === 'error') {
      return json(res, reply.status, { type: 'error', error: { type: 'api_error', message: reply.message } });
    }
    const usage: Usage = {
      input_tokens: 100,
      output_tokens: 20,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
      ...reply.usage,
    };
    const content = reply.content.map((b) =>
      b.type === 'text'
        ? b
        : {
            type: 'tool_use',
            id: `toolu_${(nextId++).toString().padStart(6, '0')}`,
            name: b.name,
            input: b.input,
          },
    );
    const message = {
      id: `msg_${(nextId++).toString().padStart(6, '0')}`,
      type: 'message',
      role: 'assistant',
      model: request.model,
      content,
      stop_reason: content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage,
    };
    if (!request.stream) return json(res, 200, message);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (event: string, data: unknown) =>
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('message_start', {
      type: 'message_start',
      message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
    });
    content.forEach((block, index) => {
      if ('text' in block) {
        send('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'text', text: '' },
        });
        send('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text: block.text },
        });
      } else {
        const b = block as { id: string; name: string; input: unknown };
        send('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} },
        });
        send('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) },
        });
      }
      send('content_block_stop', { type: 'content_block_stop', index });
    });
    send('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    });
    send('message_stop', { type: 'message_stop' });
    res.end();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
