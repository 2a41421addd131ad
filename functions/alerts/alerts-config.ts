import { parseDashboardUrl } from '../digest/settings.ts';
import { isTimeZone } from '../sql/zoned-time.ts';

/**
 * Settings of the budget and spike alerts, one set for `serve`, `alerts` and the Lambda, each
 * validated with a message naming the setting:
 *
 *   ALERTS_BUDGET_USD        monthly team budget, API-equivalent USD (unset or 0: no budget alerts)
 *   ALERTS_THRESHOLDS        percentages of it that alert, default 80,90,100
 *   ALERTS_SPIKE_FACTOR      a day above this x the person's 28-day median alerts (default 3; 0: off)
 *   ALERTS_SPIKE_MIN_USD     days below this never alert (default 10)
 *   ALERTS_SPIKE_MIN_DAYS    days with use the median needs (default 5)
 *   ALERTS_CHANNEL           the admin channel they go to (not the team digest's)
 *   ALERTS_DASHBOARD_URL     link in each alert (default DIGEST_DASHBOARD_URL)
 */
export class AlertsConfigError extends Error {
  override readonly name = 'AlertsConfigError';
}

export interface AlertsConfig {
  readonly budgetUsd: number | null;
  readonly thresholds: readonly number[];
  /** 0 = no spike alerts. */
  readonly spikeFactor: number;
  readonly spikeMinUsd: number;
  readonly spikeMinDays: number;
  readonly channel: string | undefined;
  readonly dashboardUrl: string | null;
  readonly timeZone: string;
}

export const DEFAULT_THRESHOLDS = [80, 90, 100] as const;

/** Values by setting name; flags override the environment before this is called. */
export type AlertsSettings = Readonly<Record<string, string | undefined>>;

function number(settings: AlertsSettings, name: string, fallback: number, min: number, max: number): number {
  const text = settings[name]?.trim();
  if (!text) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new AlertsConfigError(`${name} must be a number from ${min} to ${max}; got "${text}"`);
  }
  return n;
}

export function alertsConfig(settings: AlertsSettings): AlertsConfig {
  const budget = number(settings, 'ALERTS_BUDGET_USD', 0, 0, 1e9);
  const thresholdsText = settings.ALERTS_THRESHOLDS?.trim();
  const thresholds = thresholdsText
    ? thresholdsText.split(',').map((t) => {
        const n = Number(t.trim());
        if (!Number.isFinite(n) || n <= 0 || n > 1000) {
          throw new AlertsConfigError(
            `ALERTS_THRESHOLDS must be percentages like 80,90,100; got "${thresholdsText}"`,
          );
        }
        return n;
      })
    : [...DEFAULT_THRESHOLDS];
  const timeZone = settings.TEAM_TIME_ZONE?.trim() || 'UTC';
  if (!isTimeZone(timeZone)) throw new AlertsConfigError(`unknown time zone "${timeZone}"`);
  let dashboardUrl: string | null;
  try {
    dashboardUrl = parseDashboardUrl(
      settings.ALERTS_DASHBOARD_URL ?? settings.DIGEST_DASHBOARD_URL,
      'ALERTS_DASHBOARD_URL',
    );
  } catch (error) {
    throw new AlertsConfigError((error as Error).message);
  }
  return {
    budgetUsd: budget > 0 ? budget : null,
    thresholds: [...new Set(thresholds)].sort((a, b) => a - b),
    spikeFactor: number(settings, 'ALERTS_SPIKE_FACTOR', 3, 0, 1000),
    spikeMinUsd: number(settings, 'ALERTS_SPIKE_MIN_USD', 10, 0, 1e9),
    spikeMinDays: number(settings, 'ALERTS_SPIKE_MIN_DAYS', 5, 1, 28),
    channel: settings.ALERTS_CHANNEL?.trim() || undefined,
    dashboardUrl,
    timeZone,
  };
}

/** Whether any alert is on. */
export const alertsOn = (c: AlertsConfig): boolean => c.budgetUsd !== null || c.spikeFactor > 0;

/** The channel to post to; never the team digest's (`digestChannel`), where the digest stays positive. */
export function alertsChannel(c: AlertsConfig, digestChannel: string | undefined): string {
  if (!c.channel)
    throw new AlertsConfigError(
      'no alerts channel: set ALERTS_CHANNEL (or --channel) to an admin channel ID',
    );
  if (digestChannel && c.channel === digestChannel.trim()) {
    throw new AlertsConfigError(
      `ALERTS_CHANNEL is the team digest's channel (${c.channel}): send alerts to an admin channel instead`,
    );
  }
  return c.channel;
}
