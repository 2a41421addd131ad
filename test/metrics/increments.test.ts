import { describe, expect, it } from 'vitest';
import { toIncrements } from '../../functions/metrics/increments.ts';
import type { KeptPoint } from '../../functions/metrics/metric-allowlist.ts';
import type { SeriesPoint } from '../../functions/metrics/series-state.ts';

const S = 1_000_000_000n; // one second in ns
const at = (seconds: number) => String(1_767_600_000n * S + BigInt(seconds) * S);
const point = (over: Partial<KeptPoint>): KeptPoint => ({
  seriesKey: 'series-a',
  name: 'claude_code.lines_of_code.count',
  temporality: 'cumulative',
  startNanos: at(0),
  timeNanos: at(60),
  value: 5,
  fields: { metric_type: 'added' },
  ...over,
});
const none = () => undefined;

describe('sum points to per-interval increases', () => {
  it('cumulative: the first point counts in full from its start, then the differences', () => {
    const { rows, updates } = toIncrements(
      [point({ value: 5 }), point({ timeNanos: at(120), value: 9 }), point({ timeNanos: at(180), value: 9 })],
      none,
    );
    expect(rows.map((r) => [r.value, r.metric_start_time, r.metric_time])).toEqual([
      [5, 1_767_600_000_000, 1_767_600_060_000],
      [4, 1_767_600_060_000, 1_767_600_120_000],
    ]);
    expect(updates.get('series-a')).toEqual({ startNanos: at(0), timeNanos: at(180), value: 9 });
  });

  it('cumulative: continues from the saved state (an endpoint restart) and counts a reset in full', () => {
    const saved: SeriesPoint = { startNanos: at(0), timeNanos: at(60), value: 5 };
    const { rows } = toIncrements(
      [
        point({ timeNanos: at(120), value: 7 }), // +2 since the saved point
        point({ startNanos: at(130), timeNanos: at(180), value: 3 }), // new process: a reset
        point({ startNanos: at(130), timeNanos: at(240), value: 1 }), // value went down: a reset too
      ],
      (key) => (key === 'series-a' ? saved : undefined),
    );
    expect(rows.map((r) => r.value)).toEqual([2, 3, 1]);
  });

  it('cumulative: a resent point adds nothing; delta points are taken as sent', () => {
    const saved: SeriesPoint = { startNanos: at(0), timeNanos: at(60), value: 5 };
    const resent = toIncrements([point({ value: 5 })], () => saved);
    expect(resent.rows).toEqual([]);
    expect(resent.resends).toBe(1);
    const delta = toIncrements(
      [
        point({ temporality: 'delta', startNanos: at(0), value: 3 }),
        point({ temporality: 'delta', startNanos: at(60), timeNanos: at(120), value: 0 }),
      ],
      none,
    );
    expect(delta.rows.map((r) => [r.value, r.temporality])).toEqual([[3, 'delta']]);
    expect(delta.updates.size).toBe(0);
  });

  it('gives one id per series and time, so a point stored twice is counted once', () => {
    const [a] = toIncrements([point({})], none).rows;
    const [b] = toIncrements([point({})], none).rows;
    const [c] = toIncrements([point({ seriesKey: 'series-b' })], none).rows;
    expect(a!.metric_id).toBe(b!.metric_id);
    expect(a!.metric_id).not.toBe(c!.metric_id);
  });
});
