import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type EmailPolicy, EmailPolicyError, emailPolicyFrom } from '../schema/email.ts';

export interface TransformConfig {
  readonly emailPolicy: EmailPolicy;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The transform's settings, read once at cold start. Throws EmailPolicyError naming the bad value,
 * so a misconfigured function fails at init instead of writing rows under the wrong policy.
 *
 *   { EMAIL_MODE: 'hmac', EMAIL_HMAC_KEY: '…16+ chars…' } -> { emailPolicy: { mode: 'hmac', key } }
 *   {}                                                     -> { emailPolicy: { mode: 'keep' } }
 */
export function transformConfigFrom(env: Env): TransformConfig {
  return { emailPolicy: emailPolicyFrom(env.EMAIL_MODE || undefined, env.EMAIL_HMAC_KEY) };
}

/**
 * As transformConfigFrom, but in `hmac` mode without `EMAIL_HMAC_KEY` the key is read from the
 * Secrets Manager secret named by `EMAIL_HMAC_SECRET_ARN` (how the AWS stack deploys it, so the
 * key never sits in the function's environment). Errors name the secret, never its value.
 */
export async function loadTransformConfig(
  env: Env,
  secrets: () => SecretsManagerClient,
): Promise<TransformConfig> {
  const arn = env.EMAIL_HMAC_SECRET_ARN;
  if (env.EMAIL_MODE !== 'hmac' || env.EMAIL_HMAC_KEY || !arn) return transformConfigFrom(env);
  let key: string | undefined;
  try {
    key = (await secrets().send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'Error';
    throw new EmailPolicyError(`cannot read the e-mail HMAC key from secret ${arn} (${name})`, {
      cause: error,
    });
  }
  return transformConfigFrom({ ...env, EMAIL_HMAC_KEY: key });
}
