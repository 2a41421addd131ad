import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { BodyClaim } from './in-flight.ts';

const gunzipAsync = promisify(gunzip);

/**
 * Reads a request body with a hard size limit, applied twice: to the bytes on the wire while
 * they stream in (a declared Content-Length over the limit fails before anything is read), and
 * to the bytes after gunzip, which stops inflating at the limit (a zip bomb costs at most
 * `limit` bytes of memory). Every byte held is also taken from `claim` (the server's in-flight
 * budget): a declared Content-Length up front, streamed bytes beyond it as they come, the
 * inflated size after gunzip; over the budget is a `busy` error (503).
 */
export class BodyError extends Error {
  override readonly name = 'BodyError';
  constructor(
    readonly code: 'too-large' | 'too-large-after-gunzip' | 'bad-gzip' | 'aborted' | 'busy',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const busy = () => new BodyError('busy', 'too many request bytes in flight; retry later');

export async function readBody(
  req: IncomingMessage,
  limit: number,
  gzipped: boolean,
  claim?: BodyClaim,
): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new BodyError('too-large', `body of ${declared} bytes is over the ${limit}-byte limit`);
  }
  let reserved = Number.isFinite(declared) && declared > 0 ? declared : 0;
  if (claim && reserved > 0 && !claim.take(reserved)) throw busy();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new BodyError('too-large', `body is over the ${limit}-byte limit`);
      if (claim && size > reserved) {
        if (!claim.take(size - reserved)) throw busy();
        reserved = size;
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof BodyError) throw error;
    throw new BodyError('aborted', 'the request was aborted', { cause: error });
  }
  const body = Buffer.concat(chunks, size);
  if (!gzipped) return body;
  let inflated: Buffer;
  try {
    inflated = await gunzipAsync(body, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyError('too-large-after-gunzip', `body is over the ${limit}-byte limit after gunzip`);
    }
    throw new BodyError('bad-gzip', 'body is not a complete gzip stream', { cause: error });
  }
  if (claim && !claim.take(inflated.length)) throw busy();
  return inflated;
}
