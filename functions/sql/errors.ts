/**
 * Errors of the SQL layer. `code` tells a caller (the CLI, the digest) what to do about it:
 * `unreachable` and `credentials` are environment problems, `failed`/`cancelled`/`timeout` are
 * one query's fate, `unknown-query`/`invalid-query` are the caller's mistake.
 */
export type SqlErrorCode =
  | 'unreachable'
  | 'credentials'
  | 'failed'
  | 'cancelled'
  | 'timeout'
  | 'unknown-query'
  | 'invalid-query';

export class SqlEngineError extends Error {
  override readonly name = 'SqlEngineError';
  constructor(
    message: string,
    readonly code: SqlErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
