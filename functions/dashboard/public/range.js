// The page's time range and team time zone, kept in the address (`?days=14&tz=Asia/Tokyo` or
// `?from=2026-01-05&to=2026-01-11`) so a view can be shared as a link. `to` in the address and
// in the form is the last day shown (inclusive); the API's `to` is exclusive, one day later.

export const PRESET_DAYS = [7, 14, 31];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function addDays(date, days) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Reads the range from the address, falling back to `defaults` ({ days, timeZone }). */
export function rangeFromAddress(search, defaults) {
  const params = new URLSearchParams(search);
  const timeZone = params.get('tz') || defaults.timeZone;
  const from = params.get('from');
  const to = params.get('to');
  if (from && to && DATE.test(from) && DATE.test(to) && from <= to) {
    return { kind: 'custom', from, to, timeZone };
  }
  const days = Number(params.get('days'));
  return { kind: 'days', days: Number.isInteger(days) && days > 0 ? days : defaults.days, timeZone };
}

/** The address query string of a range. */
export function rangeToAddress(range) {
  const params = new URLSearchParams();
  if (range.kind === 'custom') {
    params.set('from', range.from);
    params.set('to', range.to);
  } else params.set('days', String(range.days));
  params.set('tz', range.timeZone);
  return `?${params.toString()}`;
}

/** The API parameters of a range (exclusive end). */
export function rangeToApiParams(range) {
  const params = new URLSearchParams();
  if (range.kind === 'custom') {
    params.set('from', range.from);
    params.set('to', addDays(range.to, 1));
  } else params.set('days', String(range.days));
  params.set('tz', range.timeZone);
  return params;
}
