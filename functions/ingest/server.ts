import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorsLog } from '../lake/errors-log.ts';
import type { FlushResult } from '../lake/flush-segment.ts';
import { LakeWriter } from '../lake/lake-writer.ts';
import { driftLog } from '../schema/drift-log.ts';
import { DroppedKeyCounter } from '../schema/dropped-keys.ts';
import { type EmailPolicy, emailTransformer, userIdPseudonymizer } from '../schema/email.ts';
import { createIngestHandler, type FallbackHandler, type IngestHandler, LOGS_PATH } from './handler.ts';

/**
 * The local endpoint: `node:http` + the ingest handler + the lake writer, wired together.
 *
 *   const server = await startIngestServer({ lake: './lake', port: 4318 });
 *   server.logsUrl   // http://127.0.0.1:4318/v1/logs
 *   await server.close()   // stop accepting, finish in-flight requests, flush spool to Parquet
 *
 * Loopback (127.0.0.1) unless `host` says otherwise. Extra routes (the dashboard) mount through
 * `fallback`, which sees every request that is not an OTLP route.
 */
export interface IngestServerOptions {
  readonly lake: string;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 4318 */
  readonly port?: number;
  readonly token?: string;
  readonly email?: EmailPolicy;
  readonly maxBodyBytes?: number;
  readonly flushBytes?: number;
  readonly flushIntervalMs?: number;
  /** Keep bodies of rejected requests under `<lake>/errors/bodies/` (they may hold secrets). */
  readonly keepRejectedBodies?: boolean;
  readonly fallback?: FallbackHandler;
  readonly log?: (line: string) => void;
  readonly onFlush?: (result: FlushResult) => void;
}

export interface IngestServer {
  /** `http://host:port` as bound (the real port when 0 was asked). */
  readonly url: string;
  readonly logsUrl: string;
  readonly server: Server;
  readonly writer: LakeWriter;
  readonly errors: ErrorsLog;
  readonly handler: IngestHandler;
  readonly dropped: DroppedKeyCounter;
  /** Event names the schema does not know, counted by name (schema drift). */
  readonly unknownEvents: DroppedKeyCounter;
  /** Moves everything spooled into Parquet now. */
  flush(): Promise<FlushResult[]>;
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4318;
/** How long `close()` lets requests in progress finish before it cuts their connections. */
export const CLOSE_GRACE_MS = 2_000;

export async function startIngestServer(options: IngestServerOptions): Promise<IngestServer> {
  const log = options.log ?? (() => undefined);
  const errors = new ErrorsLog(options.lake, options.keepRejectedBodies ?? false);
  const writer = await LakeWriter.open({
    lake: options.lake,
    flushBytes: options.flushBytes,
    flushIntervalMs: options.flushIntervalMs,
    errors,
    onFlush: options.onFlush,
    onError: (error) =>
      log(`flush failed, will retry: ${error instanceof Error ? error.message : String(error)}`),
  });
  const dropped = new DroppedKeyCounter();
  const unknownEvents = new DroppedKeyCounter();
  // Schema drift (names and counts only) persisted per day under the lake; see drift-log.ts.
  const drift = driftLog(options.lake, { droppedKeys: dropped, unknownEvents });
  const persistDrift = () =>
    drift.persist().catch(() => log('could not write the schema drift file; will retry'));
  const driftTimer = setInterval(persistDrift, options.flushIntervalMs ?? 60_000);
  driftTimer.unref();
  let closing: Promise<void> | null = null;
  const policy = options.email ?? { mode: 'keep' };
  const handler = createIngestHandler({
    sink: writer,
    sanitize: {
      email: emailTransformer(policy),
      pseudonym: userIdPseudonymizer(policy),
      dropped,
      unknownEvents,
    },
    errors,
    token: options.token,
    maxBodyBytes: options.maxBodyBytes,
    fallback: options.fallback,
    log,
    closing: () => closing !== null,
  });
  const inFlight = new Set<Promise<void>>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const done = handler(req, res).catch(() => undefined);
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_PORT, options.host ?? DEFAULT_HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    clearInterval(driftTimer);
    await writer.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  await writer.announce({ url, startedAt: new Date().toISOString() });

  const close = () => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests in progress get a grace period, then every connection is cut: a client that
      // stalls mid-body must not hold the stop (its request was never acknowledged).
      const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      cut.unref();
      await Promise.all(inFlight);
      await stopped;
      clearTimeout(cut);
      await Promise.all(inFlight);
      await writer.close();
      await errors.settled();
      clearInterval(driftTimer);
      await persistDrift();
    })();
    return closing;
  };
  return {
    url,
    logsUrl: `${url}${LOGS_PATH}`,
    server,
    writer,
    errors,
    handler,
    dropped,
    unknownEvents,
    flush: () => writer.flush(),
    close,
  };
}
