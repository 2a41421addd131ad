import { describe, expect, it } from 'vitest';
import { DashboardRequestError } from '../../functions/dashboard/errors.ts';
import { parseWindowParams, type WindowDefaults } from '../../functions/dashboard/window-params.ts';

const defaults: WindowDefaults = {
  timeZone: 'UTC',
  days: 7,
  maxDays: 92,
  now: () => new Date('2026-01-12T10:00:00Z'),
};
const parse = (query: string, d = defaults) => parseWindowParams(new URLSearchParams(query), d);

function refusal(query: string): string {
  try {
    parse(query);
  } catch (error) {
    expect(error).toBeInstanceOf(DashboardRequestError);
    expect((error as DashboardRequestError).status).toBe(400);
    return (error as Error).message;
  }
  throw new Error(`"${query}" was accepted`);
}

describe('parseWindowParams', () => {
  it('defaults to the last N whole days in the team zone, ending at midnight (today not in it)', () => {
    const p = parse('');
    expect(p.fromDate).toBe('2026-01-05');
    expect(p.toDate).toBe('2026-01-12');
    expect(p.days).toBe(7);
    expect(p.partial).toBe(false);
    expect(p.label).toBe('last 7 whole days: Mon 5 Jan – Sun 11 Jan 2026 (UTC)');
    expect(p.window).toEqual({
      from: new Date('2026-01-05T00:00:00Z'),
      to: new Date('2026-01-12T00:00:00Z'),
      timeZone: 'UTC',
    });
  });

  it('marks a range that reaches into today as partial, with the data cut at now', () => {
    const p = parse('from=2026-01-06&to=2026-01-13');
    expect(p.partial).toBe(true);
    expect(p.label).toBe('Tue 6 Jan – Mon 12 Jan 2026 (UTC), today partial (data up to 10:00)');
    expect(p.window.asOf).toEqual(new Date('2026-01-12T10:00:00Z'));
    expect(parse('from=2026-01-05&to=2026-01-12').partial).toBe(false);
  });

  it('takes person, model and skill filters, each once, as printable text', () => {
    const p = parse('person=ana&model=opus&skill=create-pr');
    expect(p.filters).toEqual({ person: 'ana', model: 'opus', skill: 'create-pr' });
    expect(p.window.filters).toEqual({ person: 'ana', model: 'opus', skill: 'create-pr' });
    expect(parse('').window.filters).toBeUndefined();
    expect(refusal('person=a&person=b')).toMatch(/"person" is given 2 times/);
    expect(refusal('skill=')).toMatch(/"skill" must be 1 to 256 printable characters/);
    expect(refusal('model=%0Aopus')).toMatch(/"model" must be 1 to 256 printable characters/);
  });

  it('takes days and a zone: day boundaries are midnight in that zone', () => {
    const p = parse('days=14&tz=Asia/Tokyo');
    // 10:00 UTC on Jan 12 is 19:00 in Tokyo, still Jan 12: the 14 days end at its midnight.
    expect(p.fromDate).toBe('2025-12-29');
    expect(p.window.from.toISOString()).toBe('2025-12-28T15:00:00.000Z');
    expect(p.window.to.toISOString()).toBe('2026-01-11T15:00:00.000Z');
    expect(p.window.timeZone).toBe('Asia/Tokyo');
  });

  it('takes a half-open custom range, across a DST change', () => {
    const p = parse('from=2026-03-28&to=2026-03-31&tz=Europe/Berlin');
    expect(p.window.from.toISOString()).toBe('2026-03-27T23:00:00.000Z');
    expect(p.window.to.toISOString()).toBe('2026-03-30T22:00:00.000Z');
    expect(p.days).toBeUndefined();
  });

  it('ignores the token parameter (auth reads it)', () => {
    expect(parse('days=7&token=abc').days).toBe(7);
  });

  it.each([
    ['days=0', '"days" must be a whole number from 1 to 92; got "0"'],
    ['days=abc', '"days" must be a whole number'],
    ['days=7.5', '"days" must be a whole number'],
    ['days=93', 'from 1 to 92; got "93"'],
    ['days=-3', 'got "-3"'],
    ['days=', 'got ""'],
    ['days=7&days=14', 'parameter "days" is given 2 times'],
    ['from=2026-01-01', '"from" and "to" go together'],
    ['to=2026-01-01', '"from" and "to" go together'],
    ['days=7&from=2026-01-01&to=2026-01-02', 'give either "days" or "from" and "to"'],
    ['from=2026-02-30&to=2026-03-02', '"from" must be a date yyyy-MM-dd; got "2026-02-30"'],
    ['from=2026-01-01T00:00:00Z&to=2026-01-02', '"from" must be a date'],
    ['from=2026-01-05&to=2026-01-05', '"from" must be before "to"'],
    ['from=2026-01-05&to=2026-01-01', '"from" must be before "to"'],
    ['from=2025-01-01&to=2026-01-01', 'the window is 365 days; at most 92 are allowed'],
    ['tz=Mars/Olympus', '"tz" must be an IANA time zone such as Europe/Berlin; got "Mars/Olympus"'],
    ["tz=UTC';DROP TABLE events", '"tz" must be an IANA time zone'],
    ['sql=SELECT 1', 'unknown parameter "sql"; expected days, from, to, tz'],
  ])('refuses %s with a message', (query, message) => {
    expect(refusal(query)).toContain(message);
  });
});
