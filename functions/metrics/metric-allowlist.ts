import { createHash } from 'node:crypto';
import { toStringValue } from '../schema/coerce.ts';
import type { Column } from '../schema/columns.ts';
import type { DroppedKeyCounter } from '../schema/dropped-keys.ts';
import { KEPT_METRICS, METRIC_COLUMNS, type MetricRow } from '../schema/metric-columns.ts';
import type { MetricPoint } from './metric-points.ts';

/**
 * The metrics allowlist: one OTLP data point to the kept fields of a `metrics` row, or a reason.
 *
 * Fails closed like the events allowlist: only metric names in KEPT_METRICS and attribute keys
 * named as `attr:` sources in metric-columns.ts are read (from the point, else the resource);
 * every other key is dropped unread and counted by name. `user.id` is read only to derive
 * `user_pseudonym`. The series key (which point follows which) is a hash of the name and all
 * attributes as sent, so it never stores a dropped value and keeps apart series that differ
 * only by a dropped key (e.g. `query_source`).
 */
export interface MetricSanitizeOptions {
  readonly email: (email: string) => string;
  readonly pseudonym: (userId: string) => string;
  readonly dropped?: DroppedKeyCounter;
}

export interface KeptPoint {
  readonly seriesKey: string;
  readonly name: string;
  readonly temporality: 'delta' | 'cumulative';
  readonly startNanos: string;
  readonly timeNanos: string;
  readonly value: number;
  /** The identity and dimension columns (no time, value or id yet). */
  readonly fields: MetricRow;
}

export type PointOutcome =
  | { readonly kind: 'kept'; readonly point: KeptPoint }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'rejected'; readonly reason: string };

const KEPT = new Set<string>(KEPT_METRICS);
const ATTRIBUTE_COLUMNS = (METRIC_COLUMNS as readonly Column[]).flatMap((c) =>
  c.sources.filter((s) => s.startsWith('attr:')).map((s) => ({ column: c.name, key: s.slice(5) })),
);
const READ_KEYS = new Set([...ATTRIBUTE_COLUMNS.map((a) => a.key), 'user.id']);

export function sanitizePoint(point: MetricPoint, options: MetricSanitizeOptions): PointOutcome {
  if (!KEPT.has(point.name)) return { kind: 'skipped', reason: 'metric name not kept' };
  if (point.kind !== 'sum')
    return { kind: 'rejected', reason: `${point.kind} points are not stored (sums only)` };
  if (!point.monotonic) return { kind: 'rejected', reason: 'non-monotonic sum not stored' };
  if (point.temporality === 'unspecified')
    return { kind: 'rejected', reason: 'sum without aggregation temporality' };
  if (point.value === null) return { kind: 'rejected', reason: 'data point has no finite value' };
  if (point.value < 0) return { kind: 'rejected', reason: 'negative value on a monotonic sum' };
  if (point.timeNanos === '0') return { kind: 'rejected', reason: 'data point has no time' };

  const fields: Record<string, unknown> = {};
  for (const { column, key } of ATTRIBUTE_COLUMNS) {
    const raw = key in point.attributes ? point.attributes[key] : point.resource[key];
    const value = toStringValue(raw);
    if (value === null || value === '') continue;
    fields[column] = column === 'user_email' ? options.email(value) : value;
  }
  const userId = toStringValue(point.attributes['user.id'] ?? point.resource['user.id']);
  if (userId) fields.user_pseudonym = options.pseudonym(userId);
  if (point.unit !== '') fields.unit = toStringValue(point.unit);
  if (options.dropped) {
    for (const key of Object.keys(point.attributes)) if (!READ_KEYS.has(key)) options.dropped.add(key);
    for (const key of Object.keys(point.resource)) if (!READ_KEYS.has(key)) options.dropped.add(key);
  }
  return {
    kind: 'kept',
    point: {
      seriesKey: seriesKeyOf(point),
      name: point.name,
      temporality: point.temporality,
      startNanos: point.startNanos,
      timeNanos: point.timeNanos,
      value: point.value,
      fields: fields as MetricRow,
    },
  };
}

function seriesKeyOf(point: MetricPoint): string {
  const sorted = (map: Readonly<Record<string, unknown>>) =>
    Object.keys(map)
      .sort()
      .map((k) => [k, map[k]]);
  return createHash('sha256')
    .update(JSON.stringify([point.name, sorted(point.attributes), sorted(point.resource)]))
    .digest('hex')
    .slice(0, 32);
}
