import type { AthenaEngineOptions } from '../sql/athena-engine.ts';
import { DigestConfigError } from './errors.ts';
import { type InsightsSettings, insightsSettings } from './insights-settings.ts';
import { checkTimeZone } from './period.ts';
import { parseDashboardUrl, parseDays } from './settings.ts';

/**
 * The scheduled digest's settings, all from the Lambda's environment (the AWS stack sets them):
 *
 *   SLACK_SECRET_ARN       Secrets Manager secret holding the bot token        (required)
 *   SLACK_CHANNEL          channel ID to post to                               (required)
 *   ATHENA_WORKGROUP       workgroup the queries run in                        (required)
 *   ATHENA_DATABASE        Glue database holding the `events` table           (required)
 *   ATHENA_OUTPUT_LOCATION s3:// results location, when the workgroup has none
 *   ATHENA_CATALOG         data catalog (default AwsDataCatalog)
 *   TEAM_TIME_ZONE         IANA zone of the team's days (default UTC)
 *   DIGEST_DAYS            days in the window (default 7)
 *   DIGEST_DASHBOARD_URL   link for the footer
 *   SLACK_API_URL          Web API base URL (default https://slack.com/api/)
 *   QUERIES_DIR            where the bundle keeps queries/*.sql (default: next to the code)
 *   DIGEST_INSIGHTS        auto: Bedrock writes the Insights section (default off)
 *   DIGEST_INSIGHTS_MODEL  Bedrock model or inference profile id (required with auto)
 *   DIGEST_INSIGHTS_TIMEOUT_SECONDS, DIGEST_CHANGELOG_URL   as for the command
 *   AWS_REGION             set by Lambda
 */
export interface DigestLambdaConfig {
  readonly secretArn: string;
  readonly channel: string;
  readonly days: number;
  readonly timeZone: string;
  readonly dashboardUrl: string | null;
  readonly slackApiUrl: string | undefined;
  readonly queriesDir: string | undefined;
  readonly insights: InsightsSettings;
  readonly athena: AthenaEngineOptions;
}

export function digestLambdaConfig(env: NodeJS.ProcessEnv): DigestLambdaConfig {
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new DigestConfigError(`the digest Lambda needs the environment variable ${name}`);
    return value;
  };
  const optional = (name: string): string | undefined => env[name]?.trim() || undefined;
  const outputLocation = optional('ATHENA_OUTPUT_LOCATION');
  const catalog = optional('ATHENA_CATALOG');
  const region = optional('AWS_REGION');
  const insights = insightsSettings({
    mode: optional('DIGEST_INSIGHTS'),
    modeName: 'DIGEST_INSIGHTS',
    model: optional('DIGEST_INSIGHTS_MODEL'),
    modelName: 'DIGEST_INSIGHTS_MODEL',
    env,
  });
  if (insights.mode === 'auto' && !insights.model) {
    throw new DigestConfigError(
      'DIGEST_INSIGHTS=auto needs DIGEST_INSIGHTS_MODEL (a Bedrock model or inference profile id)',
    );
  }
  return {
    insights,
    secretArn: required('SLACK_SECRET_ARN'),
    channel: required('SLACK_CHANNEL'),
    days: parseDays(optional('DIGEST_DAYS'), 'DIGEST_DAYS'),
    timeZone: checkTimeZone(optional('TEAM_TIME_ZONE') ?? 'UTC'),
    dashboardUrl: parseDashboardUrl(optional('DIGEST_DASHBOARD_URL'), 'DIGEST_DASHBOARD_URL'),
    slackApiUrl: optional('SLACK_API_URL'),
    queriesDir: optional('QUERIES_DIR'),
    athena: {
      workgroup: required('ATHENA_WORKGROUP'),
      database: required('ATHENA_DATABASE'),
      ...(outputLocation ? { outputLocation } : {}),
      ...(catalog ? { catalog } : {}),
      ...(region ? { region } : {}),
    },
  };
}
