import { postMessage } from '../digest/slack-post.ts';
import { openDuckDbEngine } from '../sql/duckdb-engine.ts';
import { localAlertState } from './alert-state.ts';
import type { AlertsConfig } from './alerts-config.ts';
import { type CheckResult, checkAlerts } from './check-alerts.ts';

/**
 * `serve`'s alert check: every `intervalMs` the same check as `claude-otel-lake alerts`, over the
 * lake it writes (its own DuckDB engine, closed after each round). Rounds never overlap; a failed
 * round is one log line and is tried again next time. Once-only sending is the state's job
 * (alert-state.ts), so a restart or a short interval never repeats an alert.
 */
export interface AlertSchedule {
  runOnce(): Promise<CheckResult | null>;
  stop(): Promise<void>;
}

export interface AlertScheduleOptions {
  readonly lake: string;
  readonly config: AlertsConfig;
  readonly channel: string;
  readonly token: string;
  readonly slackApiUrl?: string | undefined;
  readonly intervalMs: number;
  readonly firstDelayMs?: number;
  readonly log: (line: string) => void;
  readonly now?: () => Date;
}

export function startAlertSchedule(options: AlertScheduleOptions): AlertSchedule {
  const { log, now = () => new Date() } = options;
  let running: Promise<CheckResult | null> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const round = async (): Promise<CheckResult | null> => {
    try {
      const engine = await openDuckDbEngine({ lake: options.lake, timeZone: options.config.timeZone });
      try {
        const result = await checkAlerts({
          engine,
          now: now(),
          config: options.config,
          state: localAlertState(options.lake, now),
          log,
          send: (message) =>
            postMessage(message, {
              token: options.token,
              channel: options.channel,
              apiUrl: options.slackApiUrl,
              log,
            }),
        });
        for (const a of result.sent)
          log(`alerts: sent the ${a.kind} alert to ${options.channel}: ${a.message.text}`);
        return result;
      } finally {
        await engine.close();
      }
    } catch (error) {
      log(`alerts: the check failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  };
  const runOnce = (): Promise<CheckResult | null> => {
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  };
  const schedule = (delay: number) => {
    timer = setTimeout(() => {
      void runOnce().finally(() => {
        if (timer !== null) schedule(options.intervalMs);
      });
    }, delay);
    timer.unref();
  };
  schedule(options.firstDelayMs ?? options.intervalMs);
  return {
    runOnce,
    async stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
