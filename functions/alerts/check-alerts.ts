import type { SlackMessage } from '../digest/slack-post.ts';
import type { SqlEngine } from '../sql/engine.ts';
import { zonedDate } from '../sql/zoned-time.ts';
import type { AlertStateStore } from './alert-state.ts';
import type { AlertsConfig } from './alerts-config.ts';
import { budgetStatus } from './budget.ts';
import { alertFigures } from './figures.ts';
import { budgetMessage, spikeMessage } from './messages.ts';
import { findSpikes } from './spikes.ts';

/**
 * One alert check: the figures from the named queries, the alerts they call for, minus those
 * already sent (the state), then each sent once. A budget check that finds several thresholds
 * newly crossed sends one message for the highest and marks the lower ones too.
 *
 * At most once: an alert's keys are saved before it is posted and removed again when the post
 * fails (so the next check retries it); a crash between the two loses that one alert rather than
 * sending it twice.
 */
export interface Alert {
  readonly kind: 'budget' | 'spike';
  /** State keys this alert settles, e.g. `budget:2026-12:90`. */
  readonly keys: readonly string[];
  readonly message: SlackMessage;
}

export interface CheckDeps {
  readonly engine: SqlEngine;
  readonly now: Date;
  readonly config: AlertsConfig;
  readonly state: AlertStateStore;
  /** Posts one alert; absent = a dry run that only reports. */
  readonly send?: (message: SlackMessage) => Promise<unknown>;
  readonly queriesDir?: string | undefined;
  readonly log?: (line: string) => void;
}

export interface CheckResult {
  /** Alerts due now (not sent before): sent, or in a dry run, what would be sent. */
  readonly due: readonly Alert[];
  readonly sent: readonly Alert[];
  readonly failed: readonly { readonly alert: Alert; readonly reason: string }[];
}

export function dueAlerts(
  figures: Awaited<ReturnType<typeof alertFigures>>,
  config: AlertsConfig,
  now: Date,
  sent: ReadonlyMap<string, string>,
): Alert[] {
  const alerts: Alert[] = [];
  if (config.budgetUsd !== null) {
    const status = budgetStatus({
      spentUsd: figures.monthSpentUsd,
      budgetUsd: config.budgetUsd,
      thresholds: config.thresholds,
      now,
      timeZone: config.timeZone,
    });
    const fresh = status.crossed.filter((t) => !sent.has(`budget:${status.month.month}:${t}`));
    const top = fresh.at(-1);
    if (top !== undefined) {
      alerts.push({
        kind: 'budget',
        keys: fresh.map((t) => `budget:${status.month.month}:${t}`),
        message: budgetMessage(status, top, config.dashboardUrl, zonedDate(now, config.timeZone)),
      });
    }
  }
  if (config.spikeFactor > 0) {
    const spikes = findSpikes(figures.dailyCosts, {
      days: figures.spikeDays,
      factor: config.spikeFactor,
      minUsd: config.spikeMinUsd,
      minHistoryDays: config.spikeMinDays,
    });
    for (const spike of spikes) {
      const key = `spike:${spike.day}:${spike.user}`;
      if (sent.has(key)) continue;
      alerts.push({
        kind: 'spike',
        keys: [key],
        message: spikeMessage(spike, config.spikeFactor, config.dashboardUrl),
      });
    }
  }
  return alerts;
}

export async function checkAlerts(deps: CheckDeps): Promise<CheckResult> {
  const figures = await alertFigures(deps.engine, deps.now, deps.config.timeZone, {
    queriesDir: deps.queriesDir,
  });
  const sentBefore = await deps.state.load();
  const due = dueAlerts(figures, deps.config, deps.now, sentBefore);
  if (!deps.send) return { due, sent: [], failed: [] };
  const sent: Alert[] = [];
  const failed: { alert: Alert; reason: string }[] = [];
  const state = new Map(sentBefore);
  for (const alert of due) {
    for (const key of alert.keys) state.set(key, deps.now.toISOString());
    await deps.state.save(state);
    try {
      await deps.send(alert.message);
      sent.push(alert);
    } catch (error) {
      for (const key of alert.keys) state.delete(key);
      await deps.state.save(state);
      const reason = error instanceof Error ? error.message : String(error);
      failed.push({ alert, reason });
      deps.log?.(`alerts: could not send the ${alert.kind} alert (${reason}); the next check tries again`);
    }
  }
  return { due, sent, failed };
}
