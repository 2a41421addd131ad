import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startIngestServer } from '../../functions/ingest/server.ts';
import { listSegments } from '../../functions/lake/flush-segment.ts';

let lake: string;
afterAll(async () => {
  if (lake) await rm(lake, { recursive: true, force: true });
});

describe('close (what SIGTERM runs)', () => {
  it('does not wait for a client that stalls in the middle of its body', async () => {
    lake = await mkdtemp(join(tmpdir(), 'lake-close-'));
    // Node's own request timeout far away: only the close's grace cut can end the stalled request.
    const server = await startIngestServer({ lake, port: 0, requestTimeoutMs: 600_000 });
    const { port } = server.server.address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      'POST /v1/logs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"resourceLogs":',
    );
    await new Promise((r) => setTimeout(r, 100));
    // close() resolves although the client never finishes its body (the test's own timeout would
    // fail otherwise), and the server cut the connection rather than waiting for it.
    await server.close();
    expect(socket.destroyed || socket.readableEnded).toBe(true);
    expect(await listSegments(lake)).toEqual([]);
    socket.destroy();
  }, 60_000);
});
