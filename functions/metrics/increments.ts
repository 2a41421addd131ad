import { createHash } from 'node:crypto';
import type { MetricRow } from '../schema/metric-columns.ts';
import type { KeptPoint } from './metric-allowlist.ts';
import type { SeriesPoint } from './series-state.ts';

/**
 * Sum data points to per-interval increases, whatever the temporality:
 *
 * - delta: the value as sent, over [start, time];
 * - cumulative: the difference to the previous point of the same series, over [previous time, time].
 *   A counter reset (a new start time, or a value below the previous one: the client restarted)
 *   starts again: the increase is the whole new value, over [new start, time].
 *   The first point of a series never seen (a new Claude Code process, or no saved state) counts in
 *   full from its start time: it is the total since that process began. After a restart of the
 *   endpoint the saved state (series-state.ts) continues every series, so nothing is counted twice.
 * - a cumulative point not newer than the last one of its series (a resend) adds nothing.
 *
 * Every row gets `metric_id` = hash(series, time): a point stored twice (a resend after a crash
 * between the spool write and the state save) has one id, which the queries count once.
 * Zero increases give no row.
 *
 * `previous` reads the series state (with this batch's own updates on top); `updates` is what to
 * save once the rows are durable.
 */
export interface IncrementsResult {
  readonly rows: MetricRow[];
  readonly updates: Map<string, SeriesPoint>;
  readonly resends: number;
}

export function toIncrements(
  points: readonly KeptPoint[],
  previous: (seriesKey: string) => SeriesPoint | undefined,
): IncrementsResult {
  const rows: MetricRow[] = [];
  const updates = new Map<string, SeriesPoint>();
  let resends = 0;
  for (const point of points) {
    let increase: number;
    let intervalStart: string;
    if (point.temporality === 'delta') {
      increase = point.value;
      intervalStart = point.startNanos === '0' ? point.timeNanos : point.startNanos;
    } else {
      const last = updates.get(point.seriesKey) ?? previous(point.seriesKey);
      const reset = last === undefined || last.startNanos !== point.startNanos || point.value < last.value;
      if (!reset && BigInt(point.timeNanos) <= BigInt(last.timeNanos)) {
        resends++;
        continue;
      }
      increase = reset ? point.value : point.value - last.value;
      intervalStart = reset
        ? point.startNanos === '0'
          ? point.timeNanos
          : point.startNanos
        : last.timeNanos;
      updates.set(point.seriesKey, {
        startNanos: point.startNanos,
        timeNanos: point.timeNanos,
        value: point.value,
      });
    }
    if (increase === 0) continue;
    rows.push({
      metric_time: nanosToMs(point.timeNanos),
      metric_start_time: nanosToMs(intervalStart),
      metric_name: point.name,
      metric_id: createHash('sha256')
        .update(`${point.seriesKey}\0${point.timeNanos}`)
        .digest('hex')
        .slice(0, 32),
      value: increase,
      temporality: point.temporality,
      ...point.fields,
    });
  }
  return { rows, updates, resends };
}

function nanosToMs(nanos: string): number {
  return Number(BigInt(nanos) / 1_000_000n);
}
