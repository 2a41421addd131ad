import { createHash, createHmac } from 'node:crypto';

/**
 * How `user.email` is stored, a deployment setting:
 * - `keep`: as sent (lower-cased);
 * - `local-part`: the part before `@`;
 * - `hmac`: `u_` + 20 hex chars of HMAC-SHA256(key, email): stable per person, not reversible
 *   by a dictionary without the key.
 */
export type EmailPolicy =
  | { readonly mode: 'keep' }
  | { readonly mode: 'local-part' }
  | { readonly mode: 'hmac'; readonly key: string };

export type EmailMode = EmailPolicy['mode'];

export const EMAIL_MODES: readonly EmailMode[] = ['keep', 'local-part', 'hmac'];

export class EmailPolicyError extends Error {
  override readonly name = 'EmailPolicyError';
}

/** Builds a policy from settings (environment or flags), naming the bad value when invalid. */
export function emailPolicyFrom(mode: string | undefined, key: string | undefined): EmailPolicy {
  const m = mode ?? 'keep';
  if (m === 'keep' || m === 'local-part') return { mode: m };
  if (m === 'hmac') {
    if (!key || key.length < 16) {
      throw new EmailPolicyError('email mode "hmac" needs a key of at least 16 characters (EMAIL_HMAC_KEY)');
    }
    return { mode: 'hmac', key };
  }
  throw new EmailPolicyError(`email mode must be one of ${EMAIL_MODES.join(', ')}; got "${m}"`);
}

/** Returns a function that applies the policy; pseudonyms are memoized (a team has few e-mails). */
export function emailTransformer(policy: EmailPolicy): (email: string) => string {
  switch (policy.mode) {
    case 'keep':
      return (email) => email.trim().toLowerCase();
    case 'local-part':
      return (email) => localPart(email.trim().toLowerCase());
    case 'hmac': {
      const memo = new Map<string, string>();
      return (email) => {
        const normalized = email.trim().toLowerCase();
        let pseudonym = memo.get(normalized);
        if (pseudonym === undefined) {
          pseudonym = `u_${createHmac('sha256', policy.key).update(normalized).digest('hex').slice(0, 20)}`;
          if (memo.size < 10_000) memo.set(normalized, pseudonym);
        }
        return pseudonym;
      };
    }
  }
}

/**
 * Pseudonym of a raw install id (`user.id`), for people with no e-mail: `anon_` + 12 hex of
 * HMAC-SHA256(key, id) under the hmac policy, else of a fixed-salt SHA-256. Stable per install;
 * the raw id (linkable across systems) is never stored.
 */
export function userIdPseudonymizer(policy: EmailPolicy): (userId: string) => string {
  const memo = new Map<string, string>();
  const hash = (id: string) =>
    policy.mode === 'hmac'
      ? createHmac('sha256', policy.key).update(`user.id\0${id}`).digest('hex')
      : createHash('sha256').update(`claude-otel-lake user.id\0${id}`).digest('hex');
  return (userId) => {
    let pseudonym = memo.get(userId);
    if (pseudonym === undefined) {
      pseudonym = `anon_${hash(userId).slice(0, 12)}`;
      if (memo.size < 10_000) memo.set(userId, pseudonym);
    }
    return pseudonym;
  };
}

export function localPart(email: string): string {
  const at = email.indexOf('@');
  return at === -1 ? email : email.slice(0, at);
}
