import { describe, expect, it } from 'vitest';
import { describePeriod, digestWindows } from '../../functions/digest/period.ts';

describe('digestWindows', () => {
  it('covers the last whole days in the team time zone, and the same length before', () => {
    const w = digestWindows(new Date('2026-01-12T08:00:00Z'), 7, 'Europe/Berlin');
    expect(w.current.from.toISOString()).toBe('2026-01-04T23:00:00.000Z');
    expect(w.current.to.toISOString()).toBe('2026-01-11T23:00:00.000Z');
    expect(w.previous.from.toISOString()).toBe('2025-12-28T23:00:00.000Z');
    expect(w.previous.to.toISOString()).toBe('2026-01-04T23:00:00.000Z');
    expect(describePeriod(w.current, 7).label).toBe('Mon 5 Jan – Sun 11 Jan 2026');
  });

  it('follows calendar days across a DST change', () => {
    const w = digestWindows(new Date('2026-03-30T07:00:00Z'), 7, 'Europe/Berlin');
    expect(w.current.from.toISOString()).toBe('2026-03-22T23:00:00.000Z');
    expect(w.current.to.toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('refuses unknown zones and odd day counts', () => {
    expect(() => digestWindows(new Date(), 7, 'Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
    expect(() => digestWindows(new Date(), 0, 'UTC')).toThrow(/days must be/);
  });
});
