import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouteHandler } from './http-handler.ts';

/**
 * A plain HTTP server around route handlers, tried in order; 404 when none answers. The
 * `dashboard` command runs the dashboard's handler on it.
 *
 *   const s = await startHttpServer([handler], { host: '127.0.0.1', port: 0 });
 *   s.url // 'http://127.0.0.1:43127'
 */
export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

export async function startHttpServer(
  handlers: readonly RouteHandler[],
  options: { readonly host: string; readonly port: number; readonly log?: (line: string) => void },
): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  const server = createServer((req, res) => {
    void (async () => {
      for (const handler of handlers) if (await handler(req, res)) return;
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: `no route ${req.url ?? ''}` }));
    })().catch((error: unknown) => {
      log(`http: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    url: `http://${hostForUrl}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
