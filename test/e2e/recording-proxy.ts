import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One OTLP export request exactly as Claude Code sent it (body still compressed, if it was). */
export interface CapturedRequest {
  readonly contentType: string;
  readonly contentEncoding: string;
  readonly body: Buffer;
  /** The status `serve` answered with (the proxy passes it back to the exporter). */
  status: number;
}

export interface RecordingProxy {
  readonly logsUrl: string;
  readonly captured: CapturedRequest[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy on 127.0.0.1 (port 0) between Claude Code's exporter and `serve`: it keeps every
 * request's raw bytes and headers, forwards them unchanged and answers with serve's response.
 */
export async function startRecordingProxy(targetLogsUrl: string): Promise<RecordingProxy> {
  const target = new URL(targetLogsUrl);
  const captured: CapturedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const entry: CapturedRequest = {
        contentType: String(req.headers['content-type'] ?? ''),
        contentEncoding: String(req.headers['content-encoding'] ?? 'identity'),
        body,
        status: 0,
      };
      if (req.url?.split('?')[0] === '/v1/logs') captured.push(entry);
      const headers: Record<string, string> = {
        'content-type': entry.contentType,
        'content-length': String(body.length),
      };
      if (req.headers['content-encoding']) headers['content-encoding'] = entry.contentEncoding;
      const forward = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers },
        (upstream) => {
          entry.status = upstream.statusCode ?? 0;
          res.writeHead(upstream.statusCode ?? 502, upstream.headers);
          upstream.pipe(res);
        },
      );
      forward.on('error', () => {
        entry.status = 502;
        res.writeHead(502).end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    logsUrl: `http://127.0.0.1:${port}/v1/logs`,
    captured,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
