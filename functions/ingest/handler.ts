import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostHeaderAllowed } from '../dashboard/auth.ts';
import type { ErrorsLog } from '../lake/errors-log.ts';
import type { PreparedMetrics } from '../metrics/metrics-ingest.ts';
import { decodeLogsRequest, encodingOf, MEDIA_TYPES, type OtlpEncoding } from '../otlp/otlp-decode.ts';
import { OtlpDecodeError } from '../otlp/otlp-errors.ts';
import { encodeExportLogsResponse, encodeStatus, RPC_CODE } from '../otlp/otlp-response.ts';
import type { SanitizeOptions } from '../schema/allowlist.ts';
import type { Row } from '../schema/row.ts';
import { bearerMatches } from './bearer.ts';
import { drainThenClose, HttpError, pathOf, RETRY_AFTER_SECONDS, toHttpError } from './http-error.ts';
import { type InFlightBudget, unlimitedBudget } from './in-flight.ts';
import { decodeProtobufLogs } from './protobuf-logs.ts';
import { protobufWireProblem } from './protobuf-wire-check.ts';
import { readBody } from './read-body.ts';
import { sanitizeBatch } from './sanitize-batch.ts';

/**
 * The OTLP/HTTP logs endpoint as a plain `(req, res)` handler:
 *
 *   POST /v1/logs  application/x-protobuf | application/json, gzip or identity
 *     200  ExportLogsServiceResponse in the request's encoding (partialSuccess when records were rejected)
 *     400  body does not decode (protobuf, JSON, gzip)        401  token configured, bearer missing/wrong
 *     413  over `maxBodyBytes`, on the wire or after gunzip  415  other media type or content encoding
 *     403  bound to loopback without a token and the Host header is not a loopback name
 *     503  the spool could not store the rows, shutting down, or more request bytes in flight than
 *          the budget (retryable, Retry-After: 1)
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
  /**
   * DNS-rebinding guard (set when bound to loopback without a token): POST /v1/logs and
   * /v1/metrics need a loopback Host header, else 403, as the dashboard does.
   */
  readonly loopbackHostOnly?: boolean;
  /** Bytes of request bodies held at once (backpressure: 503 + Retry-After beyond). */
  readonly inFlight?: InFlightBudget;
}

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const LOGS_PATH = '/v1/logs';
export const METRICS_PATH = '/v1/metrics';
const OTHER_SIGNALS = new Set(['/v1/metrics', '/v1/traces']);

export interface IngestStats {
  requests: number;
  rows: number;
  rejectedRecords: number;
  byStatus: Record<number, number>;
}

export type IngestHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<void>) & {
  readonly stats: IngestStats;
};

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
    const budget = (options.inFlight ?? unlimitedBudget).request();
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
      if (options.loopbackHostOnly && !hostHeaderAllowed(req.headers.host)) {
        throw new HttpError(403, RPC_CODE.permissionDenied, 'Host header is not a loopback name');
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
      body = await readBody(req, limit, gzipped, budget);
      if (path === METRICS_PATH && options.metrics)
        return await storeMetrics(res, encoding, body, options.metrics);
      if (encoding === 'protobuf') {
        const problem = protobufWireProblem(body);
        if (problem) throw new HttpError(400, RPC_CODE.invalidArgument, `bad-protobuf: ${problem}`);
      }
      const decoded = encoding === 'protobuf' ? decodeProtobufLogs(body) : decodeLogsRequest(encoding, body);
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
      fail(req, res, replyIn, toHttpError(error, req, options.log));
    } finally {
      budget.release();
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
            `received ${path}: this endpoint stores logs${options.metrics ? ' and metrics' : ''} only (is ${path === METRICS_PATH ? 'OTEL_METRICS_EXPORTER' : 'OTEL_TRACES_EXPORTER'} set?)`,
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
