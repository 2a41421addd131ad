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

/** An absolute path (POSIX, Windows, or a URL's path after `scheme://host`), as engines print them. */
const ABSOLUTE_PATH = /(?:[A-Za-z]:\\|(?<![\w.])\/)[^\s'"`()[\],;]*/g;

/**
 * An error's message as an answer to a caller outside the machine (the dashboard API): the first
 * line, with every absolute file path replaced by `<path>`, so a failed query does not tell a
 * browser where the lake or the code lives.
 *
 *   publicMessage(new Error('IO Error: No files found that match "/home/ana/lake/events/x.parquet"'))
 *   -> 'IO Error: No files found that match "<path>"'
 */
export function publicMessage(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return text.replace(ABSOLUTE_PATH, '<path>');
}
