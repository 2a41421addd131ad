import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from '../dashboard/auth.ts';
import { ErrorsLog } from '../lake/errors-log.ts';
import type { FlushResult } from '../lake/flush-segment.ts';
import { LakeWriter } from '../lake/lake-writer.ts';
import { MetricsIngest } from '../metrics/metrics-ingest.ts';
import { otlpTypes } from '../otlp/otlp-proto.ts';
import { driftLog } from '../schema/drift-log.ts';
import { DroppedKeyCounter } from '../schema/dropped-keys.ts';
import { type EmailPolicy, emailTransformer, userIdPseudonymizer } from '../schema/email.ts';
import {
  createIngestHandler,
  type FallbackHandler,
  type IngestHandler,
  LOGS_PATH,
  METRICS_PATH,
} from './handler.ts';
import { DEFAULT_MAX_IN_FLIGHT_BYTES, InFlightBudget } from './in-flight.ts';

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
  /** Request bodies held at once before 503 + Retry-After. @default 64 MiB */
  readonly maxInFlightBytes?: number;
  /** Open connections at once; more are refused by the kernel's accept queue. @default 256 */
  readonly maxConnections?: number;
  /** A whole request (headers and body) must arrive within this. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** On close, time given to flushing the spool; the rest stays spooled for the next start. @default no limit */
  readonly closeFlushMs?: number;
}

export interface IngestServer {
  /** `http://host:port` as bound (the real port when 0 was asked). */
  readonly url: string;
  readonly logsUrl: string;
  readonly metricsUrl: string;
  readonly server: Server;
  readonly writer: LakeWriter;
  /** The `metrics` table's ingest (its own spool and writer, the same lake). */
  readonly metrics: MetricsIngest;
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
/** How long `serve`'s close spends flushing; what is left is flushed by the next start. */
export const CLOSE_FLUSH_MS = 10_000;
export const DEFAULT_MAX_CONNECTIONS = 256;
export const REQUEST_TIMEOUT_MS = 30_000;
export const HEADERS_TIMEOUT_MS = 10_000;

export async function startIngestServer(options: IngestServerOptions): Promise<IngestServer> {
  const log = options.log ?? (() => undefined);
  const errors = new ErrorsLog(options.lake, options.keepRejectedBodies ?? false);
  const writer = await LakeWriter.open({
    lake: options.lake,
    flushBytes: options.flushBytes,
    flushIntervalMs: options.flushIntervalMs,
    errors,
    log,
    onFlush: options.onFlush,
    onError: (error) =>
      log(`flush failed, will retry: ${error instanceof Error ? error.message : String(error)}`),
  });
  // The flush worker loads its modules now, not while the first flush competes with requests;
  // so do the OTLP protos the responses are encoded with.
  await writer.warmUp();
  otlpTypes();
  const dropped = new DroppedKeyCounter();
  let metrics: MetricsIngest;
  try {
    metrics = await MetricsIngest.open({
      lake: options.lake,
      email: options.email,
      dropped,
      errors,
      flushBytes: options.flushBytes,
      flushIntervalMs: options.flushIntervalMs,
      // A few rows a minute per developer: flushing them on this thread costs less than a worker.
      flushInWorker: false,
      log,
      onFlush: options.onFlush,
    });
  } catch (error) {
    await writer.close();
    throw error;
  }
  const unknownEvents = new DroppedKeyCounter();
  // Schema drift (names and counts only) persisted per day under the lake; see drift-log.ts.
  const drift = driftLog(options.lake, { droppedKeys: dropped, unknownEvents });
  const persistDrift = () =>
    drift.persist().catch(() => log('could not write the schema drift file; will retry'));
  const driftTimer = setInterval(persistDrift, options.flushIntervalMs ?? 60_000);
  driftTimer.unref();
  let closing: Promise<void> | null = null;
  const host = options.host ?? DEFAULT_HOST;
  const inFlightBudget = new InFlightBudget(options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES);
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
    metrics,
    loopbackHostOnly: options.token === undefined && isLoopbackHost(host),
    inFlight: inFlightBudget,
  });
  const inFlight = new Set<Promise<void>>();
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeout),
      // How often Node checks those timeouts (default 30 s): a stalled body is cut within ~1 s of its deadline.
      connectionsCheckingInterval: 1_000,
    },
    (req: IncomingMessage, res: ServerResponse) => {
      const done = handler(req, res).catch(() => undefined);
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
    },
  );
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
    else socket.destroy();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_PORT, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    clearInterval(driftTimer);
    await metrics.close();
    await writer.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const bound = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${bound}:${address.port}`;
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
      await metrics.close();
      await writer.close({ flushMs: options.closeFlushMs ?? Number.POSITIVE_INFINITY });
      await errors.settled();
      clearInterval(driftTimer);
      await persistDrift();
    })();
    return closing;
  };
  return {
    url,
    logsUrl: `${url}${LOGS_PATH}`,
    metricsUrl: `${url}${METRICS_PATH}`,
    server,
    writer,
    metrics,
    errors,
    handler,
    dropped,
    unknownEvents,
    flush: async () => [...(await writer.flush()), ...(await metrics.flush())],
    close,
  };
}
