/**
 * Errors of the digest, each with a `code` a caller can branch on and a message that is one
 * clear line for a person. Messages never hold the Slack token (slack-post.ts redacts it).
 */
export type DigestPostErrorCode =
  | 'missing-token'
  | 'missing-channel'
  | 'invalid-auth'
  | 'channel-not-found'
  | 'not-in-channel'
  | 'missing-scope'
  | 'rate-limited'
  | 'slack-error'
  | 'unreachable';

/** Posting to Slack failed in a way the user can act on. */
export class DigestPostError extends Error {
  override readonly name = 'DigestPostError';
  constructor(
    readonly code: DigestPostErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The lake could not be read or a query result was not what the digest expects. */
export class DigestDataError extends Error {
  override readonly name = 'DigestDataError';
}

/** Bad configuration (flags, environment, insights file). */
export class DigestConfigError extends Error {
  override readonly name = 'DigestConfigError';
}
