import { resolve } from 'node:path';
import type { RetryOptions } from '@slack/web-api';
import { localAlertState } from '../../functions/alerts/alert-state.ts';
import {
  type AlertsConfig,
  AlertsConfigError,
  alertsChannel,
  alertsConfig,
  alertsOn,
} from '../../functions/alerts/alerts-config.ts';
import { type CheckResult, checkAlerts } from '../../functions/alerts/check-alerts.ts';
import { DigestPostError } from '../../functions/digest/errors.ts';
import { DEFAULT_RETRY, postMessage, requireTarget } from '../../functions/digest/slack-post.ts';
import type { SqlEngine } from '../../functions/sql/engine.ts';
import { CliError, type Command, type CommandIO, parseFlags, UsageError } from '../cli-kit.ts';
import { cliErrorOf, ENGINE_OPTIONS, type EngineFlagValues, openEngineFromFlags } from '../engine-options.ts';

/**
 * `alerts`: the budget and spike check, once. `--dry-run` prints what would be sent and changes
 * nothing; without it, the due alerts are posted to the admin channel and remembered in
 * `<lake>/alerts/sent.json`, so none goes out twice. `serve` runs the same check on a schedule.
 */
export interface AlertsCommandDeps {
  readonly now?: () => Date;
  readonly retryConfig?: RetryOptions;
  readonly openEngine?: (values: EngineFlagValues, io: CommandIO) => Promise<SqlEngine>;
}

const USAGE = `Usage: claude-otel-lake alerts [--dry-run] [--budget USD] [--thresholds 80,90,100]
                               [--spike-factor 3] [--spike-min-usd 10] [--channel C]
                               [--dashboard-url URL] [--tz ZONE] [--lake DIR]

Checks the month's API-equivalent spend against the team budget (alerts at each threshold, with a
forecast of the month's end at the current burn) and each person's daily cost against their own
28-day median (a spike), and posts what is due to the admin channel. Each alert is sent at most
once per threshold, person and period; the record is kept in DIR/alerts/sent.json.

Options:
  --dry-run               print what would be sent; post nothing, record nothing
  --budget USD            monthly team budget (or $ALERTS_BUDGET_USD; unset: no budget alerts)
  --thresholds LIST       percentages of it that alert (or $ALERTS_THRESHOLDS; default 80,90,100)
  --spike-factor N        a day above N x the person's 28-day median (or $ALERTS_SPIKE_FACTOR;
                          default 3; 0: no spike alerts)
  --spike-min-usd USD     days below this never alert (or $ALERTS_SPIKE_MIN_USD; default 10)
  --channel C             admin channel ID (or $ALERTS_CHANNEL); not the digest's $SLACK_CHANNEL
  --dashboard-url URL     link in each alert (or $ALERTS_DASHBOARD_URL, $DIGEST_DASHBOARD_URL)
  --tz ZONE               team time zone of months and days (default UTC, or $TEAM_TIME_ZONE)
  --lake DIR              local lake directory (default ./lake)

Environment: SLACK_BOT_TOKEN (chat:write), SLACK_API_URL; ALERTS_SPIKE_MIN_DAYS (default 5).`;

const FLAGS = {
  lake: ENGINE_OPTIONS.lake,
  tz: ENGINE_OPTIONS.tz,
  'dry-run': { type: 'boolean' },
  budget: { type: 'string' },
  thresholds: { type: 'string' },
  'spike-factor': { type: 'string' },
  'spike-min-usd': { type: 'string' },
  channel: { type: 'string' },
  'dashboard-url': { type: 'string' },
} as const;

export function createAlertsCommand(deps: AlertsCommandDeps = {}): Command {
  return {
    name: 'alerts',
    summary: 'Check the monthly budget and cost spikes; post due alerts to the admin channel',
    usage: USAGE,
    async run(args, io) {
      const { values } = parseFlags(args, FLAGS);
      if (values.help) {
        io.out(USAGE);
        return 0;
      }
      try {
        const config = alertsConfig({
          ...io.env,
          ...defined({
            ALERTS_BUDGET_USD: values.budget,
            ALERTS_THRESHOLDS: values.thresholds,
            ALERTS_SPIKE_FACTOR: values['spike-factor'],
            ALERTS_SPIKE_MIN_USD: values['spike-min-usd'],
            ALERTS_CHANNEL: values.channel,
            ALERTS_DASHBOARD_URL: values['dashboard-url'],
            TEAM_TIME_ZONE: values.tz,
          }),
        });
        if (!alertsOn(config))
          throw new UsageError('no alert is on: give --budget or a --spike-factor above 0');
        const dryRun = values['dry-run'] === true;
        const channel = dryRun ? config.channel : alertsChannel(config, io.env.SLACK_CHANNEL);
        const token = io.env.SLACK_BOT_TOKEN;
        if (!dryRun) requireTarget(token, channel);
        const lake = resolve(io.cwd, values.lake ?? './lake');
        const engine = await (deps.openEngine ?? openEngineFromFlags)({ lake, tz: config.timeZone }, io);
        let result: CheckResult;
        try {
          result = await checkAlerts({
            engine,
            now: deps.now?.() ?? new Date(),
            config,
            state: localAlertState(lake),
            log: io.err,
            ...(dryRun
              ? {}
              : {
                  send: (message) =>
                    postMessage(message, {
                      token,
                      channel,
                      apiUrl: io.env.SLACK_API_URL,
                      retryConfig: deps.retryConfig ?? DEFAULT_RETRY,
                      log: io.err,
                    }),
                }),
          });
        } finally {
          await engine.close();
        }
        io.out(report(result, config, dryRun, channel));
        return result.failed.length > 0 ? 1 : 0;
      } catch (error) {
        if (error instanceof AlertsConfigError) throw new UsageError(error.message);
        if (error instanceof DigestPostError) throw new CliError(error.message, 1, { cause: error });
        throw cliErrorOf(error);
      }
    },
  };
}

function defined(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined));
}

function report(
  result: CheckResult,
  config: AlertsConfig,
  dryRun: boolean,
  channel: string | undefined,
): string {
  const on = [
    config.budgetUsd !== null ? `budget $${config.budgetUsd} at ${config.thresholds.join('/')}%` : null,
    config.spikeFactor > 0 ? `spikes above ${config.spikeFactor}x the 28-day median` : null,
  ].filter(Boolean);
  if (result.due.length === 0) return `No alert is due (${on.join('; ')}).`;
  const to = channel ?? '(no ALERTS_CHANNEL set)';
  const lines = result.due.map((a) => `- [${a.kind}] ${a.message.text}`);
  const head = dryRun
    ? `Would send ${result.due.length} alert(s) to ${to} (dry run, nothing recorded):`
    : `Sent ${result.sent.length} of ${result.due.length} alert(s) to ${to}:`;
  return [head, ...lines].join('\n');
}

export const alertsCommand: Command = createAlertsCommand();
