import { Duration } from 'aws-cdk-lib';

/**
 * Environment of the digest handler (functions/digest/lambda-config.ts): where to query, where
 * to post, where the bundle keeps `queries/*.sql`. The Slack token itself stays in Secrets
 * Manager; the handler reads it at run time.
 */
export interface DigestEnvironment {
  readonly ATHENA_WORKGROUP: string;
  readonly ATHENA_DATABASE: string;
  readonly SLACK_SECRET_ARN: string;
  readonly SLACK_CHANNEL: string;
  readonly TEAM_TIME_ZONE: string;
  readonly DIGEST_DAYS: string;
  readonly QUERIES_DIR: string;
}

export function digestEnvironment(e: {
  workGroup: string;
  database: string;
  secretArn: string;
  channel: string;
  timeZone: string;
  days: number;
  queriesDir: string;
}): DigestEnvironment {
  return {
    ATHENA_WORKGROUP: e.workGroup,
    ATHENA_DATABASE: e.database,
    SLACK_SECRET_ARN: e.secretArn,
    SLACK_CHANNEL: e.channel,
    TEAM_TIME_ZONE: e.timeZone,
    DIGEST_DAYS: String(e.days),
    QUERIES_DIR: e.queriesDir,
  };
}

/** The digest runs several Athena queries one after another (each may wait up to 5 minutes). */
export const DIGEST_TIMEOUT = Duration.minutes(10);

/** The directory of the named queries, bundled with the digest. */
export const DIGEST_SQL_DIR = 'queries';

/**
 * No retries, by the scheduler nor by Lambda's asynchronous invocation: a retry after a partial
 * failure could post the digest twice; a failure raises the digest-errors alarm instead.
 */
export const DIGEST_RETRY_ATTEMPTS = 0;
