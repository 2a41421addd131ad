import { badRequest } from './errors.ts';
import { WINDOW_PARAMS } from './window-params.ts';

/**
 * The dashboard's filters, beside the window: who (`person`, as the per-user table names them),
 * which `model` and which `skill`. Each narrows every named query that declares it (BRIEF
 * contract 4: the semantic layer's queries gain optional `person`, `model`, `skill`); a query
 * that does not declare one is answered unfiltered and says so (`unfiltered` in the answer).
 *
 *   ?days=7&person=alice&model=claude-sonnet-4-5   -> { person: 'alice', model: 'claude-sonnet-4-5' }
 */
export const FILTER_NAMES = ['person', 'model', 'skill'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];
export type QueryFilters = Partial<Record<FilterName, string>>;

/** Names, models and skills are short identifiers; anything with control characters is refused. */
const VALUE = /^[^\p{Cc}]{1,256}$/u;

/** Splits the query string into the filters and the window's own parameters (strictly). */
export function parseFilters(params: URLSearchParams): {
  readonly filters: QueryFilters;
  readonly windowParams: URLSearchParams;
} {
  const filters: QueryFilters = {};
  const rest = new URLSearchParams();
  for (const [key, value] of params) {
    if (!(FILTER_NAMES as readonly string[]).includes(key)) {
      rest.append(key, value);
      continue;
    }
    const name = key as FilterName;
    if (filters[name] !== undefined) throw badRequest(`parameter "${name}" is given twice; give it once`);
    if (value === '') continue; // an emptied filter box means "everyone"
    if (!VALUE.test(value)) {
      throw badRequest(`"${name}" must be 1 to 256 characters without control characters`);
    }
    filters[name] = value;
  }
  return { filters, windowParams: rest };
}

/** Refuses a parameter that is neither a window parameter, a filter nor one the API reads itself. */
export function assertKnownParams(params: URLSearchParams, extra: readonly string[] = []): void {
  const known = new Set<string>([...WINDOW_PARAMS, ...FILTER_NAMES, 'token', ...extra]);
  for (const key of new Set(params.keys())) {
    if (!known.has(key)) {
      throw badRequest(
        `unknown parameter "${key}"; expected ${[...WINDOW_PARAMS, ...FILTER_NAMES, ...extra].join(', ')}`,
      );
    }
  }
}

/** The filters a query applies, and those it was given but cannot apply. */
export function splitFilters(
  filters: QueryFilters,
  supported: readonly FilterName[],
): { readonly applied: QueryFilters; readonly unfiltered: FilterName[] } {
  const applied: QueryFilters = {};
  const unfiltered: FilterName[] = [];
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value === undefined) continue;
    if (supported.includes(name)) applied[name] = value;
    else unfiltered.push(name);
  }
  return { applied, unfiltered };
}

/** A stable text of the filters for cache keys: `person=alice&model=x`. */
export const filtersKey = (filters: QueryFilters): string =>
  FILTER_NAMES.filter((n) => filters[n] !== undefined)
    .map((n) => `${n}=${encodeURIComponent(filters[n] ?? '')}`)
    .join('&');
