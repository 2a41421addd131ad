import { formatUsd } from '../digest/format.ts';
import { escapeMrkdwn } from '../digest/mrkdwn.ts';
import type { SlackMessage } from '../digest/slack-post.ts';
import type { BudgetStatus } from './budget.ts';
import type { Spike } from './spikes.ts';

/**
 * The alert messages: the figure, the window it covers and where to look further, as a short
 * text (notifications) and one section block.
 */
const DAY = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const dayLabel = (day: string) => DAY.format(new Date(`${day}T00:00:00Z`));
const pct = (n: number) => `${Math.round(n)}%`;

function where(dashboardUrl: string | null): string {
  return dashboardUrl
    ? `<${dashboardUrl}|Open the dashboard>`
    : 'See the dashboard (`npx claude-otel-lake dashboard`)';
}

function message(text: string, body: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: body } }] };
}

export function budgetMessage(
  status: BudgetStatus,
  threshold: number,
  dashboardUrl: string | null,
  /** The day the figure runs to, `yyyy-MM-dd` in the team time zone. */
  today: string,
): SlackMessage {
  const month = MONTH.format(new Date(`${status.month.month}-01T00:00:00Z`));
  const upTo = dayLabel(today);
  const head = `Claude Code spend reached ${pct(threshold)} of the monthly budget`;
  const text = `${head}: ${formatUsd(status.spentUsd)} of ${formatUsd(status.budgetUsd)} in ${month}.`;
  const body = [
    `:money_with_wings: *${head}*`,
    `*${formatUsd(status.spentUsd)}* of ${formatUsd(status.budgetUsd)} (${pct(status.usedPct)}, API-equivalent USD) in ${month}, month to date up to ${upTo}.`,
    `At the current burn the month ends at about *${formatUsd(status.forecastUsd)}* (${pct((status.forecastUsd / status.budgetUsd) * 100)} of the budget).`,
    where(dashboardUrl),
  ].join('\n');
  return message(text, body);
}

export function spikeMessage(spike: Spike, factor: number, dashboardUrl: string | null): SlackMessage {
  const who = escapeMrkdwn(spike.user);
  const times = spike.medianUsd > 0 ? `${(spike.costUsd / spike.medianUsd).toFixed(1)}×` : 'far above';
  const text = `Cost spike: ${spike.user} used ${formatUsd(spike.costUsd)} on ${dayLabel(spike.day)}, ${times} their 28-day median.`;
  const body = [
    `:chart_with_upwards_trend: *Cost spike: ${who}*`,
    `*${formatUsd(spike.costUsd)}* (API-equivalent USD) on ${dayLabel(spike.day)}, ${times} their median day of ${formatUsd(spike.medianUsd)} over the 28 days before (${spike.historyDays} days with use; alert above ${factor}×).`,
    where(dashboardUrl),
  ].join('\n');
  return message(text, body);
}
