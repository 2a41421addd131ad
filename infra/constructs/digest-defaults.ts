import { Duration } from 'aws-cdk-lib';

/**
 * Environment of the digest handler: where to query and where to post. The Slack token itself
 * stays in Secrets Manager; the handler reads it at run time.
 */
export interface DigestEnvironment {
  readonly ATHENA_WORKGROUP: string;
  readonly ATHENA_DATABASE: string;
  readonly SLACK_TOKEN_SECRET_ARN: string;
  readonly SLACK_CHANNEL: string;
  readonly TEAM_TIME_ZONE: string;
  readonly DIGEST_DAYS: string;
}

export function digestEnvironment(e: {
  workGroup: string;
  database: string;
  secretArn: string;
  channel: string;
  timeZone: string;
  days: number;
}): DigestEnvironment {
  return {
    ATHENA_WORKGROUP: e.workGroup,
    ATHENA_DATABASE: e.database,
    SLACK_TOKEN_SECRET_ARN: e.secretArn,
    SLACK_CHANNEL: e.channel,
    TEAM_TIME_ZONE: e.timeZone,
    DIGEST_DAYS: String(e.days),
  };
}

/** Queries poll Athena: give the digest room, but not Lambda's 15 minutes. */
export const DIGEST_TIMEOUT = Duration.minutes(5);

/**
 * No retries by the scheduler: a retry after a partial failure could post the digest twice; a
 * failure raises the digest-errors alarm instead.
 */
export const DIGEST_RETRY_ATTEMPTS = 0;
