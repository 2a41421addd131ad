import { type EmailPolicy, emailPolicyFrom } from '../schema/email.ts';

export interface TransformConfig {
  readonly emailPolicy: EmailPolicy;
}

/**
 * The transform's settings, read once at cold start. Throws EmailPolicyError naming the bad value,
 * so a misconfigured function fails at init instead of writing rows under the wrong policy.
 *
 *   { EMAIL_MODE: 'hmac', EMAIL_HMAC_KEY: '…16+ chars…' } -> { emailPolicy: { mode: 'hmac', key } }
 *   {}                                                     -> { emailPolicy: { mode: 'keep' } }
 */
export function transformConfigFrom(env: Readonly<Record<string, string | undefined>>): TransformConfig {
  return { emailPolicy: emailPolicyFrom(env.EMAIL_MODE || undefined, env.EMAIL_HMAC_KEY) };
}
