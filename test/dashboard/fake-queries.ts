import type { FilterName, QueryFilters } from '../../functions/dashboard/filters.ts';
import type { NamedQueries } from '../../functions/dashboard/named-queries.ts';
import type { QueryResult, QueryWindow } from '../../functions/sql/engine.ts';

/** A `NamedQueries` that answers from a table and records every run, for API tests. */
export class FakeQueries implements NamedQueries {
  readonly engine = 'local' as const;
  readonly runs: { name: string; window: QueryWindow; filters: QueryFilters }[] = [];
  failNext: Error | undefined;

  constructor(
    private readonly results: Readonly<Record<string, QueryResult>>,
    private readonly filters: Readonly<Record<string, readonly FilterName[]>> = {},
  ) {}

  filtersOf(name: string): readonly FilterName[] {
    return this.filters[name] ?? [];
  }

  get names(): string[] {
    return Object.keys(this.results);
  }

  async run(name: string, window: QueryWindow, filters: QueryFilters = {}): Promise<QueryResult> {
    this.runs.push({ name, window, filters });
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    const result = this.results[name];
    if (!result) throw new Error(`no fake result for ${name}`);
    return result;
  }
}

export const TOTALS: QueryResult = {
  columns: [
    { name: 'cost_usd', type: 'double' },
    { name: 'messages', type: 'bigint' },
  ],
  rows: [{ cost_usd: 12.5, messages: 40 }],
};
