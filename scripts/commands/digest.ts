import { resolve } from 'node:path';
import type { RetryOptions } from '@slack/web-api';
import { DigestConfigError, DigestDataError, DigestPostError } from '../../functions/digest/errors.ts';
import { readInsights } from '../../functions/digest/insights.ts';
import { type InsightsSettings, insightsSettings } from '../../functions/digest/insights-settings.ts';
import { checkTimeZone } from '../../functions/digest/period.ts';
import { DIGEST_FORMATS, type DigestFormat, renderDigest } from '../../functions/digest/render.ts';
import { createDigest, postDigest } from '../../functions/digest/run-digest.ts';
import { parseDashboardUrl, parseDays } from '../../functions/digest/settings.ts';
import { DEFAULT_RETRY, requireTarget } from '../../functions/digest/slack-post.ts';
import type { Digest } from '../../functions/digest/types.ts';
import type { SqlEngine } from '../../functions/sql/engine.ts';
import { CliError, type Command, type CommandIO, parseFlags, UsageError } from '../cli-kit.ts';
import { cliErrorOf, ENGINE_OPTIONS, type EngineFlagValues, openEngineFromFlags } from '../engine-options.ts';

/**
 * `digest`: the weekly digest from the lake, printed (a dry run) or posted to Slack.
 *
 *   claude-otel-lake digest                          prints the last 7 whole days as text
 *   claude-otel-lake digest --format json            the same content as data
 *   claude-otel-lake digest --post --channel C0123   posts Block Kit blocks + a text fallback
 *
 * The Slack token comes only from SLACK_BOT_TOKEN and is never printed.
 */
export interface DigestCommandDeps {
  readonly now?: () => Date;
  /** WebClient's retry policy (tests make it fast). */
  readonly retryConfig?: RetryOptions;
  readonly openEngine?: (values: EngineFlagValues, io: CommandIO) => Promise<SqlEngine>;
}

const USAGE = `Usage: claude-otel-lake digest [--days 7] [--engine local|athena] [--tz ZONE]
                               [--format text|slack|json] [--post] [--channel C]
                               [--insights auto|off] [--insights-model ID] [--insights-file F]
                               [--dashboard-url URL] [--lake DIR]

Builds the team's usage digest for the last --days whole days in the team time zone (ending at
midnight today), compared with the same number of days before. Without --post it prints the
message: text (Slack mrkdwn, the default), slack (the chat.postMessage payload) or json (the
digest as data). With --post it sends the message to Slack.

Options:
  --days N                days in the window (default 7, or $DIGEST_DAYS)
  --tz ZONE               team time zone (default UTC, or $TEAM_TIME_ZONE)
  --format F              text | slack | json (dry run output; default text)
  --post                  post to Slack with chat.postMessage
  --channel C             channel ID (or $SLACK_CHANNEL); invite the bot there first
  --insights auto|off     auto: Claude writes the Insights section from the digest's aggregates
                          and the newest changelog entries (or $DIGEST_INSIGHTS; default off);
                          needs $ANTHROPIC_API_KEY; if the call fails the digest goes without
  --insights-model ID     the model for --insights auto (or $DIGEST_INSIGHTS_MODEL;
                          default claude-sonnet-4-6)
  --insights-file F       append the insights written by the usage-digest skill (mrkdwn);
                          wins over --insights auto
  --dashboard-url URL     link the footer to your dashboard (or $DIGEST_DASHBOARD_URL)
  --engine local|athena   where to run (default local, or $QUERY_ENGINE)
  --lake DIR              local lake directory (default ./lake)
  --workgroup, --database, --region   Athena settings (or $ATHENA_WORKGROUP, $ATHENA_DATABASE, $AWS_REGION)

Environment for --post:
  SLACK_BOT_TOKEN         the bot token (xoxb-...) of a Slack app with the chat:write scope
  SLACK_CHANNEL           default channel
  SLACK_API_URL           Web API base URL (default https://slack.com/api/)

Environment for --insights auto:
  ANTHROPIC_API_KEY       Anthropic API key (never printed)
  ANTHROPIC_BASE_URL      API base URL (default https://api.anthropic.com)
  DIGEST_INSIGHTS_TIMEOUT_SECONDS   the whole model call (default 60)
  DIGEST_CHANGELOG_URL    where the newest Claude Code changes are read (5 s timeout)`;

const { since: _since, from: _from, to: _to, ...ENGINE_FLAGS } = ENGINE_OPTIONS;

const FLAGS = {
  ...ENGINE_FLAGS,
  days: { type: 'string' },
  format: { type: 'string' },
  post: { type: 'boolean' },
  channel: { type: 'string' },
  'insights-file': { type: 'string' },
  insights: { type: 'string' },
  'insights-model': { type: 'string' },
  'dashboard-url': { type: 'string' },
} as const;

/** Turns the digest's and the SQL layer's errors into the CLI's one clear line. */
function cliError(error: unknown): unknown {
  if (error instanceof DigestConfigError) return new UsageError(error.message);
  if (error instanceof DigestPostError || error instanceof DigestDataError) {
    return new CliError(error.message, 1, { cause: error });
  }
  return cliErrorOf(error);
}

export function createDigestCommand(deps: DigestCommandDeps = {}): Command {
  return {
    name: 'digest',
    summary: 'Build the weekly usage digest; print it, or post it to Slack with --post',
    usage: USAGE,
    async run(args, io) {
      const { values } = parseFlags(args, FLAGS);
      if (values.help) {
        io.out(USAGE);
        return 0;
      }
      try {
        const format = (values.format ?? 'text') as DigestFormat;
        if (!DIGEST_FORMATS.includes(format)) {
          throw new UsageError(`--format must be ${DIGEST_FORMATS.join(', ')}; got "${values.format}"`);
        }
        const days = parseDays(values.days ?? io.env.DIGEST_DAYS, values.days ? '--days' : 'DIGEST_DAYS');
        const timeZone = checkTimeZone(values.tz ?? io.env.TEAM_TIME_ZONE ?? 'UTC');
        const dashboardUrl = parseDashboardUrl(values['dashboard-url'] ?? io.env.DIGEST_DASHBOARD_URL);
        const insightsFile = values['insights-file'];
        const insights = insightsFile ? await readInsights(resolve(io.cwd, insightsFile)) : null;
        const auto = insightsSettings({
          mode: values.insights ?? io.env.DIGEST_INSIGHTS,
          modeName: values.insights ? '--insights' : 'DIGEST_INSIGHTS',
          model: values['insights-model'] ?? io.env.DIGEST_INSIGHTS_MODEL,
          modelName: values['insights-model'] ? '--insights-model' : 'DIGEST_INSIGHTS_MODEL',
          env: io.env,
        });
        const token = io.env.SLACK_BOT_TOKEN;
        const channel = values.channel ?? io.env.SLACK_CHANNEL;
        if (values.post) requireTarget(token, channel);

        const engine = await (deps.openEngine ?? openEngineFromFlags)({ ...values, tz: timeZone }, io);
        let digest: Digest;
        try {
          const now = deps.now?.() ?? new Date();
          digest = await createDigest({ engine, now, days, timeZone, dashboardUrl, insights });
        } finally {
          await engine.close();
        }
        if (insights === null && auto.mode === 'auto') digest = await addAutoInsights(digest, auto, io);
        if (!values.post) {
          io.out(renderDigest(digest, format));
          return 0;
        }
        const posted = await postDigest(digest, {
          token,
          channel,
          apiUrl: io.env.SLACK_API_URL,
          retryConfig: deps.retryConfig ?? DEFAULT_RETRY,
          log: io.err,
        });
        io.out(`Posted the digest for ${digest.period.label} to ${posted.channel} (ts ${posted.ts}).`);
        return 0;
      } catch (error) {
        throw cliError(error);
      }
    },
  };
}

/** The Anthropic API call, loaded only when asked for; without a key, one line and no insights. */
async function addAutoInsights(digest: Digest, auto: InsightsSettings, io: CommandIO): Promise<Digest> {
  const log = (line: string) => io.err(line);
  const apiKey = io.env.ANTHROPIC_API_KEY?.trim();
  if (!apiKey) {
    log('insights: ANTHROPIC_API_KEY is not set; the digest goes without insights');
    return digest;
  }
  const [{ withAutoInsights }, { anthropicModel }, { DEFAULT_INSIGHTS_MODEL }] = await Promise.all([
    import('../../functions/digest/insights-auto.ts'),
    import('../../functions/digest/insights-anthropic.ts'),
    import('../../functions/digest/insights-model.ts'),
  ]);
  const model = anthropicModel({
    apiKey,
    model: auto.model ?? DEFAULT_INSIGHTS_MODEL,
    baseUrl: io.env.ANTHROPIC_BASE_URL?.trim() || undefined,
    stream: io.env.DIGEST_INSIGHTS_STREAM !== 'false',
  });
  return withAutoInsights(digest, {
    model,
    timeoutMs: auto.timeoutMs,
    changelog: { url: auto.changelogUrl },
    log,
  });
}

export const digestCommand: Command = createDigestCommand();
