import { field } from '../otlp/canonical-value.ts';
import type { AttributeMap } from '../otlp/log-record.ts';
import { asObject, attributeMap, isObject, list } from '../otlp/otlp-shape.ts';

/**
 * An ExportMetricsServiceRequest (protobuf `toObject` output or OTLP/JSON, the same keys) to one
 * flat entry per data point, with its metric's name, kind and temporality and its resource.
 *
 *   { resourceMetrics: [{ resource, scopeMetrics: [{ metrics: [{ name: 'claude_code.commit.count',
 *       sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ asDouble: 1, … }] } }] }] }] }
 *   -> [{ name: 'claude_code.commit.count', kind: 'sum', temporality: 'delta', monotonic: true, value: 1, … }]
 *
 * Time stamps stay decimal nanosecond strings (exact, and what the series state compares).
 * A body that is not this shape throws OtlpDecodeError (HTTP 400).
 */
export type MetricKind = 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary' | 'none';
export type Temporality = 'delta' | 'cumulative' | 'unspecified';

export interface MetricPoint {
  readonly name: string;
  readonly unit: string;
  readonly kind: MetricKind;
  readonly temporality: Temporality;
  readonly monotonic: boolean;
  readonly attributes: AttributeMap;
  readonly resource: AttributeMap;
  /** Decimal nanoseconds since the epoch, '0' when absent. */
  readonly startNanos: string;
  readonly timeNanos: string;
  /** The number of a sum or gauge point (null when absent or not a finite number). */
  readonly value: number | null;
}

const KINDS: readonly [MetricKind, string][] = [
  ['sum', 'sum'],
  ['gauge', 'gauge'],
  ['histogram', 'histogram'],
  ['exponentialHistogram', 'exponential_histogram'],
  ['summary', 'summary'],
];
const TEMPORALITY: Readonly<Record<string, Temporality>> = {
  1: 'delta',
  2: 'cumulative',
  AGGREGATION_TEMPORALITY_DELTA: 'delta',
  AGGREGATION_TEMPORALITY_CUMULATIVE: 'cumulative',
};

export function metricPointsOf(request: unknown): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const rm of list(
    asObject(request, 'the request is not an object'),
    'resourceMetrics',
    'resource_metrics',
  )) {
    const resourceMetrics = asObject(rm, 'a resourceMetrics entry is not an object');
    const resourceObject = field(resourceMetrics, 'resource', 'resource');
    const resource = attributeMap(
      isObject(resourceObject) ? field(resourceObject, 'attributes', 'attributes') : [],
    );
    for (const sm of list(resourceMetrics, 'scopeMetrics', 'scope_metrics')) {
      const scopeMetrics = asObject(sm, 'a scopeMetrics entry is not an object');
      for (const m of list(scopeMetrics, 'metrics', 'metrics')) {
        const metric = asObject(m, 'a metric is not an object');
        const name = typeof metric.name === 'string' ? metric.name : '';
        const unit = typeof metric.unit === 'string' ? metric.unit : '';
        const [kind, data] = kindOf(metric);
        const temporality =
          TEMPORALITY[String(field(data, 'aggregationTemporality', 'aggregation_temporality'))] ??
          'unspecified';
        const monotonic = field(data, 'isMonotonic', 'is_monotonic') === true;
        for (const p of list(data, 'dataPoints', 'data_points')) {
          const point = isObject(p) ? p : {};
          points.push({
            name,
            unit,
            kind,
            temporality,
            monotonic,
            attributes: attributeMap(field(point, 'attributes', 'attributes')),
            resource,
            startNanos: nanos(field(point, 'startTimeUnixNano', 'start_time_unix_nano')),
            timeNanos: nanos(field(point, 'timeUnixNano', 'time_unix_nano')),
            value: kind === 'sum' || kind === 'gauge' ? numberOf(point) : null,
          });
        }
      }
    }
  }
  return points;
}

function kindOf(metric: Record<string, unknown>): [MetricKind, Record<string, unknown>] {
  for (const [kind, snake] of KINDS) {
    const data = field(metric, kind, snake);
    if (isObject(data)) return [kind, data];
  }
  return ['none', {}];
}

function numberOf(point: Record<string, unknown>): number | null {
  const raw = field(point, 'asDouble', 'as_double') ?? field(point, 'asInt', 'as_int');
  const n = typeof raw === 'string' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** A fixed64 as decimal text: protobuf gives a string, OTLP/JSON a string or (JS exporter) a number. */
function nanos(value: unknown): string {
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return value.replace(/^0+(?=\d)/, '');
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0)
    return BigInt(Math.round(value)).toString();
  return '0';
}
