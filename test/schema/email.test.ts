import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EmailPolicyError, emailPolicyFrom, emailTransformer } from '../../functions/schema/email.ts';

const KEY = 'k'.repeat(32);

describe('e-mail policy', () => {
  it('keep: trimmed and lower-cased', () => {
    expect(emailTransformer({ mode: 'keep' })(' Ana.Lima@Example.COM ')).toBe('ana.lima@example.com');
  });

  it('local-part: the part before @, or the whole value without one', () => {
    const f = emailTransformer({ mode: 'local-part' });
    expect(f('Ana.Lima@Example.com')).toBe('ana.lima');
    expect(f('no-at-sign')).toBe('no-at-sign');
  });

  it('hmac: u_ + 20 hex of HMAC-SHA256(key, normalized e-mail), stable and key-dependent', () => {
    const f = emailTransformer({ mode: 'hmac', key: KEY });
    const expected = `u_${createHmac('sha256', KEY).update('ana@example.com').digest('hex').slice(0, 20)}`;
    expect(f('Ana@Example.com')).toBe(expected);
    expect(f(' ana@example.com')).toBe(expected);
    expect(f('bob@example.com')).not.toBe(expected);
    expect(emailTransformer({ mode: 'hmac', key: 'z'.repeat(32) })('ana@example.com')).not.toBe(expected);
    expect(f('Ana@Example.com')).not.toContain('ana');
  });

  it('emailPolicyFrom reads the settings and names a bad value', () => {
    expect(emailPolicyFrom(undefined, undefined)).toEqual({ mode: 'keep' });
    expect(emailPolicyFrom('local-part', undefined)).toEqual({ mode: 'local-part' });
    expect(emailPolicyFrom('hmac', KEY)).toEqual({ mode: 'hmac', key: KEY });
    expect(() => emailPolicyFrom('hmac', 'short')).toThrow(EmailPolicyError);
    expect(() => emailPolicyFrom('hmac', undefined)).toThrow(/EMAIL_HMAC_KEY/);
    expect(() => emailPolicyFrom('hash', undefined)).toThrow(/got "hash"/);
  });
});
