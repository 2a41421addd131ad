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
  if (!text.startsWith('{')) return slackToken(text, arn);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new DigestConfigError(`the Slack secret ${arn} looks like JSON but does not parse`);
  }
  for (const key of KEYS) {
    const value = json[key];
    if (typeof value === 'string' && value.trim()) return slackToken(value.trim(), arn);
  }
  throw new DigestConfigError(`the Slack secret ${arn} has none of the keys ${KEYS.join(', ')}`);
}

/** Slack tokens start with `xox` (`xoxb-` for bots); anything else is a secret filled wrongly. */
function slackToken(value: string, arn: string): string {
  if (!value.startsWith('xox')) {
    throw new DigestConfigError(
      `the Slack secret ${arn} does not hold a Slack token (a bot token starts with xoxb-): put the bot token in it, as the README shows`,
    );
  }
  return value;
}

export async function readSlackToken(client: SecretsManagerClient, arn: string): Promise<string> {
  let secret: string | undefined;
  try {
    secret = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'Error';
    if (name === 'ResourceNotFoundException') {
      throw new DigestConfigError(
        `the Slack secret ${arn} has no value yet: put the bot token in it (aws secretsmanager put-secret-value), as the README shows`,
        { cause: error },
      );
    }
    throw new DigestConfigError(`cannot read the Slack secret ${arn} (${name})`, { cause: error });
  }
  return tokenFromSecret(secret, arn);
}
