import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorsLog } from '../lake/errors-log.ts';
import type { PreparedMetrics } from '../metrics/metrics-ingest.ts';
import { decodeLogsRequest, encodingOf, MEDIA_TYPES, type OtlpEncoding } from '../otlp/otlp-decode.ts';
import { OtlpDecodeError } from '../otlp/otlp-errors.ts';
import { encodeExportLogsResponse, encodeStatus, RPC_CODE } from '../otlp/otlp-response.ts';
import type { SanitizeOptions } from '../schema/allowlist.ts';
import type { Row } from '../schema/row.ts';
import { bearerMatches } from './bearer.ts';
import { BodyError, readBody } from './read-body.ts';
import { sanitizeBatch } from './sanitize-batch.ts';

/**
 * The OTLP/HTTP logs endpoint as a plain `(req, res)` handler:
 *
 *   POST /v1/logs  application/x-protobuf | application/json, gzip or identity
 *     200  ExportLogsServiceResponse in the request's encoding (partialSuccess when records were rejected)
 *     400  body does not decode (protobuf, JSON, gzip)        401  token configured, bearer missing/wrong
 *     413  over `maxBodyBytes`, on the wire or after gunzip  415  other media type or content encoding
 *     503  the spool could not store the rows, or shutting down (retryable, Retry-After: 1)
 *     405  other methods
 *   POST /v1/metrics  the same checks and status codes, when `metrics` is given (functions/metrics);
 *     else 404 with a message, as for /v1/traces: this endpoint stores logs only
 *   GET /healthz   200 {"status":"ok"}
 *   anything else  `fallback(req, res)` if given (e.g. the dashboard), else 404
 *
 * Errors are answered as google.rpc.Status in the request's encoding. It never throws and never
 * logs a header or a body; the token is only compared.
 */
export interface RowSink {
  append(rows: readonly Row[]): Promise<void>;
}

/** Serves requests the OTLP routes do not; resolves true when it answered the request. */
export type FallbackHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface IngestHandlerOptions {
  readonly sink: RowSink;
  readonly sanitize: SanitizeOptions;
  readonly errors?: ErrorsLog;
  /** When set, POST /v1/logs needs `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Largest body accepted, compressed and decompressed. @default 8 MiB */
  readonly maxBodyBytes?: number;
  readonly fallback?: FallbackHandler;
  /** One-line operational messages (never content). */
  readonly log?: (line: string) => void;
  /**
   * True once the server is shutting down: new export requests then get 503 + Retry-After and
   * `Connection: close` before their body is read, so nothing is stored without a 200 reaching
   * the client (the exporter resends once the endpoint is back).
   */
  readonly closing?: () => boolean;
  /** Takes POST /v1/metrics (decode + allowlist, then store); without it the route answers 404. */
  readonly metrics?: { prepare(encoding: OtlpEncoding, body: Uint8Array): PreparedMetrics };
}

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const LOGS_PATH = '/v1/logs';
export const METRICS_PATH = '/v1/metrics';
const OTHER_SIGNALS = new Set(['/v1/metrics', '/v1/traces']);
const RETRY_AFTER_SECONDS = 1;

export interface IngestStats {
  requests: number;
  rows: number;
  rejectedRecords: number;
  byStatus: Record<number, number>;
}

export type IngestHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<void>) & {
  readonly stats: IngestStats;
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly rpcCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function createIngestHandler(options: IngestHandlerOptions): IngestHandler {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const stats: IngestStats = { requests: 0, rows: 0, rejectedRecords: 0, byStatus: {} };
  const warned = new Set<string>();

  const send = (
    res: ServerResponse,
    status: number,
    encoding: OtlpEncoding,
    body: Uint8Array,
    headers = {},
  ) => {
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    if (res.headersSent) return;
    res.writeHead(status, {
      'content-type': MEDIA_TYPES[encoding],
      'content-length': body.length,
      ...headers,
    });
    res.end(body);
  };

  const fail = (req: IncomingMessage, res: ServerResponse, encoding: OtlpEncoding, error: HttpError) => {
    options.errors?.record({
      kind: 'request',
      status: error.status,
      // Fixed texts only: a path is sender-controlled.
      reason: error.status === 404 ? 'unknown path or signal' : error.message,
      count: 1,
      bytes: Number(req.headers['content-length']) || 0,
    });
    // A body we did not read: answer, then let the connection close instead of reusing it.
    if (!req.complete) drainThenClose(req, res, limit);
    send(res, error.status, encoding, encodeStatus(encoding, error.rpcCode, error.message), error.headers);
  };

  const handleExport = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const encoding = encodingOf(req.headers['content-type']);
    const replyIn = encoding ?? 'json';
    let body: Buffer | undefined;
    try {
      if (options.closing?.()) {
        throw new HttpError(503, RPC_CODE.unavailable, 'the endpoint is shutting down; retry later', {
          'retry-after': String(RETRY_AFTER_SECONDS),
          connection: 'close',
        });
      }
      if (req.method !== 'POST') {
        throw new HttpError(405, RPC_CODE.unimplemented, `${path} accepts POST only`, { allow: 'POST' });
      }
      if (options.token !== undefined && !bearerMatches(req.headers.authorization, options.token)) {
        throw new HttpError(401, RPC_CODE.unauthenticated, 'missing or wrong bearer token', {
          'www-authenticate': 'Bearer',
        });
      }
      if (encoding === null) {
        throw new HttpError(
          415,
          RPC_CODE.invalidArgument,
          'Content-Type must be application/x-protobuf or application/json',
        );
      }
      const contentEncoding = String(req.headers['content-encoding'] ?? 'identity')
        .trim()
        .toLowerCase();
      const gzipped = contentEncoding === 'gzip' || contentEncoding === 'x-gzip';
      if (!gzipped && contentEncoding !== 'identity' && contentEncoding !== '') {
        throw new HttpError(415, RPC_CODE.invalidArgument, 'Content-Encoding must be gzip or identity');
      }
      body = await readBody(req, limit, gzipped);
      if (path === METRICS_PATH && options.metrics)
        return await storeMetrics(res, encoding, body, options.metrics);
      const decoded = decodeLogsRequest(encoding, body);
      const batch = sanitizeBatch(decoded, Date.now(), options.sanitize);
      for (const [reason, tally] of batch.rejected)
        options.errors?.record({ kind: 'record', reason, ...tally });
      if (batch.rejectedCount > 0) options.errors?.keepBody(body, encoding === 'json' ? 'json' : 'pb');
      for (const [reason, tally] of batch.skipped)
        options.errors?.record({ kind: 'skipped', reason, ...tally });
      try {
        await options.sink.append(batch.rows);
      } catch {
        // Retryable (OTLP/HTTP: 429, 502, 503, 504); Retry-After paces the exporter's retries.
        throw new HttpError(503, RPC_CODE.unavailable, 'the lake could not store the rows; retry later', {
          'retry-after': String(RETRY_AFTER_SECONDS),
        });
      }
      stats.rows += batch.rows.length;
      stats.rejectedRecords += batch.rejectedCount;
      const message = [...batch.rejected].map(([reason, t]) => `${reason} (${t.count})`).join('; ');
      send(
        res,
        200,
        encoding,
        encodeExportLogsResponse(encoding, {
          rejectedLogRecords: batch.rejectedCount,
          errorMessage: message,
        }),
      );
    } catch (error) {
      if (error instanceof OtlpDecodeError && body)
        options.errors?.keepBody(body, replyIn === 'json' ? 'json' : 'pb');
      fail(req, res, replyIn, toHttpError(error, req, options));
    }
  };

  const storeMetrics = async (
    res: ServerResponse,
    encoding: OtlpEncoding,
    body: Buffer,
    metrics: NonNullable<IngestHandlerOptions['metrics']>,
  ) => {
    const prepared = metrics.prepare(encoding, body);
    if (prepared.rejected > 0) options.errors?.keepBody(body, encoding === 'json' ? 'json' : 'pb');
    try {
      await prepared.store();
    } catch {
      throw new HttpError(503, RPC_CODE.unavailable, 'the lake could not store the metrics; retry later', {
        'retry-after': String(RETRY_AFTER_SECONDS),
      });
    }
    send(res, 200, encoding, prepared.response(encoding));
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.requests++;
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    try {
      const path = pathOf(req.url);
      if (path === LOGS_PATH || (path === METRICS_PATH && options.metrics))
        return await handleExport(req, res, path);
      if (OTHER_SIGNALS.has(path)) {
        if (!warned.has(path)) {
          warned.add(path);
          options.log?.(
            `received ${path}: this endpoint stores logs only (is OTEL_METRICS_EXPORTER/OTEL_TRACES_EXPORTER set?)`,
          );
        }
        const encoding = encodingOf(req.headers['content-type']) ?? 'json';
        const message = `claude-otel-lake stores OTLP logs and metrics only (POST ${LOGS_PATH}, ${METRICS_PATH}); unset OTEL_${path === METRICS_PATH ? 'METRICS' : 'TRACES'}_EXPORTER or set it to none`;
        return fail(req, res, encoding, new HttpError(404, RPC_CODE.unimplemented, message));
      }
      if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
        return send(res, 200, 'json', Buffer.from('{"status":"ok","service":"claude-otel-lake"}'));
      }
      if (options.fallback && (await options.fallback(req, res))) return;
      fail(
        req,
        res,
        'json',
        new HttpError(404, RPC_CODE.notFound, `no route for ${req.method} ${path.slice(0, 100)}`),
      );
    } catch {
      // Only a bug (or a throwing fallback) gets here: answer and keep serving.
      fail(req, res, 'json', new HttpError(500, RPC_CODE.internal, 'internal error'));
    }
  };
  return Object.assign(handler, { stats });
}

function toHttpError(error: unknown, req: IncomingMessage, options: IngestHandlerOptions): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof BodyError) {
    if (error.code === 'too-large' || error.code === 'too-large-after-gunzip')
      return new HttpError(413, RPC_CODE.resourceExhausted, error.message);
    return new HttpError(400, RPC_CODE.invalidArgument, error.message);
  }
  if (error instanceof OtlpDecodeError) {
    return new HttpError(400, RPC_CODE.invalidArgument, `${error.code}: ${error.message}`);
  }
  options.log?.(
    `internal error on ${pathOf(req.url)}: ${error instanceof Error ? error.name : typeof error}`,
  );
  return new HttpError(500, RPC_CODE.internal, 'internal error');
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}

/** Reads and discards what is left of a body we refused (bounded), then closes the connection. */
function drainThenClose(req: IncomingMessage, res: ServerResponse, limit: number): void {
  res.setHeader('connection', 'close');
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > 4 * limit) req.socket.destroy();
  });
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), 5_000);
  timer.unref();
  req.on('end', () => clearTimeout(timer));
  req.on('close', () => clearTimeout(timer));
}
