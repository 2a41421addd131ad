import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny fake Anthropic Messages API for driving the real Claude Code CLI offline.
 *
 * The main conversation (a request that offers the `Write` tool) is answered from `script`: the
 * n-th answer is chosen by how many tool results the conversation already holds, so Claude Code
 * really runs each tool call in turn and then gets a closing text. Every other request (titles,
 * summaries, quota probes) gets a short text answer. Streaming requests get SSE, others JSON.
 */
export type ScriptStep =
  | { readonly tool: string; readonly input: Record<string, unknown> }
  | { readonly text: string };

export interface FakeMessagesApi {
  readonly url: string;
  readonly requests: number;
  close(): Promise<void>;
}

interface MessagesBody {
  readonly model?: string;
  readonly stream?: boolean;
  readonly tools?: readonly { name?: string }[];
  readonly messages?: readonly { content?: unknown }[];
}

export async function startFakeMessagesApi(script: readonly ScriptStep[]): Promise<FakeMessagesApi> {
  let requests = 0;
  const server: Server = createServer(async (req, res) => {
    const raw = await readAll(req);
    requests++;
    if (!req.url?.startsWith('/v1/messages')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"type":"error","error":{"type":"not_found_error","message":"not found"}}');
      return;
    }
    let body: MessagesBody = {};
    try {
      body = JSON.parse(raw.toString('utf8')) as MessagesBody;
    } catch {
      // an empty or odd body gets the default answer
    }
    if (req.url.startsWith('/v1/messages/count_tokens')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"input_tokens":10}');
      return;
    }
    const main = (body.tools ?? []).some((t) => t.name === 'Write');
    const step: ScriptStep = main
      ? (script[toolResultsIn(body)] ?? { text: 'Done.' })
      : { text: 'Fake title' };
    const model = body.model ?? 'claude-sonnet-4-5';
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const [event, data] of sseEvents(step, model, requests)) {
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      }
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(message(step, model, requests)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function toolResultsIn(body: MessagesBody): number {
  let n = 0;
  for (const m of body.messages ?? []) {
    if (!Array.isArray(m.content)) continue;
    for (const block of m.content as { type?: string }[]) if (block?.type === 'tool_result') n++;
  }
  return n;
}

const USAGE = {
  input_tokens: 120,
  output_tokens: 30,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
};

function contentOf(step: ScriptStep, n: number) {
  return 'tool' in step
    ? { type: 'tool_use', id: `toolu_fake_${n}`, name: step.tool, input: step.input }
    : { type: 'text', text: step.text };
}

function message(step: ScriptStep, model: string, n: number) {
  return {
    id: `msg_fake_${n}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [contentOf(step, n)],
    stop_reason: 'tool' in step ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: USAGE,
  };
}

function sseEvents(step: ScriptStep, model: string, n: number): [string, unknown][] {
  const start = {
    ...message(step, model, n),
    content: [],
    stop_reason: null,
    usage: { ...USAGE, output_tokens: 1 },
  };
  const block = contentOf(step, n);
  const events: [string, unknown][] = [['message_start', { type: 'message_start', message: start }]];
  if (block.type === 'tool_use') {
    events.push(
      [
        'content_block_start',
        { type: 'content_block_start', index: 0, content_block: { ...block, input: {} } },
      ],
      [
        'content_block_delta',
        {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
        },
      ],
    );
  } else {
    events.push(
      [
        'content_block_start',
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      ],
      [
        'content_block_delta',
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: block.text } },
      ],
    );
  }
  events.push(
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    [
      'message_delta',
      {
        type: 'message_delta',
        delta: { stop_reason: block.type === 'tool_use' ? 'tool_use' : 'end_turn', stop_sequence: null },
        usage: { output_tokens: USAGE.output_tokens },
      },
    ],
    ['message_stop', { type: 'message_stop' }],
  );
  return events;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
