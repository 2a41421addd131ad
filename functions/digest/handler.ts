import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RetryOptions } from '@slack/web-api';
import { type AthenaEngineOptions, openAthenaEngine } from '../sql/athena-engine.ts';
import type { SqlEngine } from '../sql/engine.ts';
import { type DigestLambdaConfig, digestLambdaConfig } from './lambda-config.ts';
import { createDigest, postDigest } from './run-digest.ts';
import { readSlackToken } from './slack-secret.ts';
import type { Digest } from './types.ts';

/**
 * The scheduled digest (EventBridge Scheduler, default Monday 09:00 in the team time zone): the
 * same code as `claude-otel-lake digest --post`, on Athena, with the Slack token from Secrets
 * Manager. Wiring only: settings from the environment (lambda-config.ts), then run-digest.ts.
 * A failure is logged as one line and thrown, so the invocation counts as failed.
 */
export interface DigestResult {
  readonly channel: string;
  readonly ts: string;
  readonly period: string;
  readonly empty: boolean;
}

export interface DigestHandlerDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly secrets?: SecretsManagerClient;
  readonly openEngine?: (options: AthenaEngineOptions) => SqlEngine | Promise<SqlEngine>;
  readonly now?: () => Date;
  readonly retryConfig?: RetryOptions;
  /** Bedrock client for the insights (tests pass one under aws-sdk-client-mock). */
  readonly bedrock?: BedrockRuntimeClient;
  /** One JSON line per entry; default console.log. */
  readonly log?: (entry: Record<string, unknown>) => void;
}

export function createDigestHandler(
  deps: DigestHandlerDeps = {},
): (event?: unknown) => Promise<DigestResult> {
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  let config: DigestLambdaConfig | undefined;
  let secrets = deps.secrets;
  return async () => {
    try {
      config ??= digestLambdaConfig(deps.env ?? process.env);
      secrets ??= new SecretsManagerClient(config.athena.region ? { region: config.athena.region } : {});
      const token = await readSlackToken(secrets, config.secretArn);
      const engine = await (deps.openEngine ?? openAthenaEngine)(config.athena);
      let digest: Digest;
      try {
        digest = await createDigest({
          engine,
          now: deps.now?.() ?? new Date(),
          days: config.days,
          timeZone: config.timeZone,
          dashboardUrl: config.dashboardUrl,
          queriesDir: config.queriesDir,
        });
      } finally {
        await engine.close();
      }
      if (config.insights.mode === 'auto' && config.insights.model) {
        digest = await addInsights(digest, config, deps.bedrock, log);
      }
      const posted = await postDigest(digest, {
        token,
        channel: config.channel,
        apiUrl: config.slackApiUrl,
        ...(deps.retryConfig ? { retryConfig: deps.retryConfig } : {}),
        log: (line) => log({ level: 'warn', message: line }),
      });
      const result = { ...posted, period: digest.period.label, empty: digest.empty };
      log({ level: 'info', message: 'digest posted', ...result });
      return result;
    } catch (error) {
      const e = error as { name?: string; code?: string; message?: string };
      log({ level: 'error', message: e.message ?? String(error), error: e.name, code: e.code });
      throw error;
    }
  };
}

/** Bedrock Converse, loaded only when the insights are on; a failure is one warning, not a failed run. */
async function addInsights(
  digest: Digest,
  config: DigestLambdaConfig,
  client: BedrockRuntimeClient | undefined,
  log: (entry: Record<string, unknown>) => void,
): Promise<Digest> {
  const [{ withAutoInsights }, { bedrockModel }] = await Promise.all([
    import('./insights-auto.ts'),
    import('./insights-bedrock.ts'),
  ]);
  const model = bedrockModel({
    modelId: config.insights.model as string,
    region: config.athena.region,
    ...(client ? { client } : {}),
  });
  return withAutoInsights(digest, {
    model,
    timeoutMs: config.insights.timeoutMs,
    changelog: { url: config.insights.changelogUrl },
    log: (line) => log({ level: 'warn', message: line }),
  });
}

export const handler = createDigestHandler();
