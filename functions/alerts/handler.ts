import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RetryOptions } from '@slack/web-api';
import { postMessage } from '../digest/slack-post.ts';
import { readSlackToken } from '../digest/slack-secret.ts';
import { type AthenaEngineOptions, openAthenaEngine } from '../sql/athena-engine.ts';
import type { SqlEngine } from '../sql/engine.ts';
import { AlertsConfigError, alertsChannel, alertsConfig, alertsOn } from './alerts-config.ts';
import { checkAlerts } from './check-alerts.ts';
import { s3AlertState } from './s3-state.ts';

/**
 * The scheduled budget and spike check on AWS (EventBridge Scheduler, hourly by default): the
 * same check as `claude-otel-lake alerts`, on Athena, the state in the lake bucket, the Slack
 * token from Secrets Manager. Settings from the environment:
 *
 *   ALERTS_* and TEAM_TIME_ZONE   as for the command (alerts-config.ts)
 *   SLACK_SECRET_ARN              the bot token's secret                 (required)
 *   DIGEST_CHANNEL                the digest's channel, which alerts refuse
 *   STATE_BUCKET, STATE_KEY       where the state lives (required; key default alerts/sent.json)
 *   ATHENA_WORKGROUP, ATHENA_DATABASE, QUERIES_DIR, SLACK_API_URL, AWS_REGION
 */
export interface AlertsHandlerDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly secrets?: SecretsManagerClient;
  readonly s3?: S3Client;
  readonly openEngine?: (options: AthenaEngineOptions) => SqlEngine | Promise<SqlEngine>;
  readonly now?: () => Date;
  readonly retryConfig?: RetryOptions;
  readonly log?: (entry: Record<string, unknown>) => void;
}

export interface AlertsRunResult {
  readonly due: number;
  readonly sent: number;
  readonly failed: number;
}

export function createAlertsHandler(
  deps: AlertsHandlerDeps = {},
): (event?: unknown) => Promise<AlertsRunResult> {
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  return async () => {
    try {
      const env = deps.env ?? process.env;
      const need = (name: string) => {
        const v = env[name]?.trim();
        if (!v) throw new AlertsConfigError(`the alerts Lambda needs the environment variable ${name}`);
        return v;
      };
      const config = alertsConfig(env);
      if (!alertsOn(config))
        throw new AlertsConfigError('no alert is on: set ALERTS_BUDGET_USD or ALERTS_SPIKE_FACTOR');
      const channel = alertsChannel(config, env.DIGEST_CHANNEL);
      const region = env.AWS_REGION?.trim() || undefined;
      const secrets = deps.secrets ?? new SecretsManagerClient(region ? { region } : {});
      const s3 = deps.s3 ?? new S3Client(region ? { region } : {});
      const token = await readSlackToken(secrets, need('SLACK_SECRET_ARN'));
      const engine = await (deps.openEngine ?? openAthenaEngine)({
        workgroup: need('ATHENA_WORKGROUP'),
        database: need('ATHENA_DATABASE'),
        ...(region ? { region } : {}),
      });
      try {
        const result = await checkAlerts({
          engine,
          now: deps.now?.() ?? new Date(),
          config,
          state: s3AlertState(s3, need('STATE_BUCKET'), env.STATE_KEY?.trim() || 'alerts/sent.json'),
          queriesDir: env.QUERIES_DIR?.trim() || undefined,
          log: (line) => log({ level: 'warn', message: line }),
          send: (message) =>
            postMessage(message, {
              token,
              channel,
              apiUrl: env.SLACK_API_URL,
              ...(deps.retryConfig ? { retryConfig: deps.retryConfig } : {}),
              log: (line) => log({ level: 'warn', message: line }),
            }),
        });
        const summary = { due: result.due.length, sent: result.sent.length, failed: result.failed.length };
        log({
          level: 'info',
          message: 'alerts checked',
          ...summary,
          keys: result.sent.flatMap((a) => a.keys),
        });
        return summary;
      } finally {
        await engine.close();
      }
    } catch (error) {
      const e = error as { name?: string; message?: string };
      log({ level: 'error', message: e.message ?? String(error), error: e.name });
      throw error;
    }
  };
}

export const handler = createAlertsHandler();
