import type { IncomingMessage, ServerResponse } from 'node:http';
import { OtlpDecodeError } from '../otlp/otlp-errors.ts';
import { RPC_CODE } from '../otlp/otlp-response.ts';
import { BodyError } from './read-body.ts';

/** An HTTP answer the handler gives instead of a 200, with its google.rpc code and headers. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly rpcCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const RETRY_AFTER_SECONDS = 1;

export function toHttpError(error: unknown, req: IncomingMessage, log?: (line: string) => void): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof BodyError) {
    if (error.code === 'too-large' || error.code === 'too-large-after-gunzip')
      return new HttpError(413, RPC_CODE.resourceExhausted, error.message);
    if (error.code === 'busy')
      return new HttpError(503, RPC_CODE.unavailable, error.message, {
        'retry-after': String(RETRY_AFTER_SECONDS),
        connection: 'close',
      });
    return new HttpError(400, RPC_CODE.invalidArgument, error.message);
  }
  if (error instanceof OtlpDecodeError) {
    return new HttpError(400, RPC_CODE.invalidArgument, `${error.code}: ${error.message}`);
  }
  log?.(`internal error on ${pathOf(req.url)}: ${error instanceof Error ? error.name : typeof error}`);
  return new HttpError(500, RPC_CODE.internal, 'internal error');
}
export function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}

/** Reads and discards what is left of a body we refused (bounded), then closes the connection. */
export function drainThenClose(req: IncomingMessage, res: ServerResponse, limit: number): void {
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
