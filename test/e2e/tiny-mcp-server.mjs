// A tiny MCP server over stdio (newline-delimited JSON-RPC 2.0) with one tool, `echo`, for the
// real-client suite: enough of the protocol for Claude Code to connect, list and call it.
import { createInterface } from 'node:readline';

const tools = [
  {
    name: 'echo',
    description: 'Echoes the given text back.',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  },
];

const reply = (id, result) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id, result })}\n`);
const fail = (id, code, message) =>
  process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } })}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    return;
  }
  if (msg.id === undefined) return; // notifications
  switch (msg.method) {
    case 'initialize':
      return reply(msg.id, {
        protocolVersion: msg.params?.protocolVersion ?? '2025-06-18',
        capabilities: { tools: {} },
        serverInfo: { name: 'tiny', version: '1.0.0' },
      });
    case 'tools/list':
      return reply(msg.id, { tools });
    case 'tools/call':
      return reply(msg.id, {
        content: [{ type: 'text', text: `echo: ${msg.params?.arguments?.text ?? ''}` }],
      });
    case 'ping':
      return reply(msg.id, {});
    default:
      return fail(msg.id, -32601, 'method not found');
  }
});
