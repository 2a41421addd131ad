import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DigestConfigError } from './errors.ts';

/**
 * Reads the Slack bot token from Secrets Manager. The secret holds either the token itself
 * (`xoxb-...`) or JSON with a `token`, `bot_token` or `SLACK_BOT_TOKEN` key. The token is
 * returned, never logged; errors name the secret, not its value.
 *
 *   'xoxb-123'                    -> 'xoxb-123'
 *   '{"token":"xoxb-123"}'        -> 'xoxb-123'
 */
const KEYS = ['token', 'bot_token', 'SLACK_BOT_TOKEN'] as const;

export function tokenFromSecret(secret: string | undefined, arn: string): string {
  const text = secret?.trim() ?? '';
  if (text === '' || text === '{}') {
    throw new DigestConfigError(
      `the Slack secret ${arn} is empty: put the bot token (xoxb-...) in it, as the README shows`,
    );
  }
  if (!text.startsWith('{')) return text;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new DigestConfigError(`the Slack secret ${arn} looks like JSON but does not parse`);
  }
  for (const key of KEYS) {
    const value = json[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  throw new DigestConfigError(`the Slack secret ${arn} has none of the keys ${KEYS.join(', ')}`);
}

export async function readSlackToken(client: SecretsManagerClient, arn: string): Promise<string> {
  let secret: string | undefined;
  try {
    secret = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'Error';
    throw new DigestConfigError(`cannot read the Slack secret ${arn} (${name})`, { cause: error });
  }
  return tokenFromSecret(secret, arn);
}
