// What the page shows beyond the range: the filters (person, model, skill) and the per-user
// sort, kept in the address with the range so any view, a person's page included, is a link:
//   ?days=31&tz=Europe/Berlin&person=alice&model=claude-sonnet-4-5&sort=messages.asc

import { rangeFromAddress, rangeToAddress, rangeToApiParams } from './range.js';

export const FILTERS = ['person', 'model', 'skill'];
const SORT = /^([a-z][a-z0-9_]{0,63})\.(asc|desc)$/;

/** The whole view from the address: { range, filters, sort }. */
export function viewFromAddress(search, defaults) {
  const params = new URLSearchParams(search);
  const filters = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  const m = SORT.exec(params.get('sort') ?? '');
  const sort = m ? { column: m[1], direction: m[2] === 'asc' ? 'ascending' : 'descending' } : null;
  return { range: rangeFromAddress(search, defaults), filters, sort };
}

/** The address of a view; the sort only when one was chosen. */
export function viewToAddress(view) {
  const params = new URLSearchParams(rangeToAddress(view.range).slice(1));
  for (const name of FILTERS) if (view.filters[name]) params.set(name, view.filters[name]);
  if (view.sort?.column) {
    params.set('sort', `${view.sort.column}.${view.sort.direction === 'ascending' ? 'asc' : 'desc'}`);
  }
  return `?${params.toString()}`;
}

/** The API parameters of a view: the range and the filters (the sort stays on the page). */
export function viewToApiParams(view) {
  const params = rangeToApiParams(view.range);
  for (const name of FILTERS) if (view.filters[name]) params.set(name, view.filters[name]);
  return params;
}

/** The address of the same range with other filters, e.g. a person's page. */
export function addressWith(view, filters) {
  return viewToAddress({ range: view.range, filters, sort: null });
}
