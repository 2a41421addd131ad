import type { NamedQueries } from '../../functions/dashboard/named-queries.ts';
import type { QueryResult, QueryWindow } from '../../functions/sql/engine.ts';

/** A `NamedQueries` that answers from a table and records every run, for API tests. */
export class FakeQueries implements NamedQueries {
  readonly engine = 'local' as const;
  readonly runs: { name: string; window: QueryWindow }[] = [];
  failNext: Error | undefined;

  constructor(private readonly results: Readonly<Record<string, QueryResult>>) {}

  get names(): string[] {
    return Object.keys(this.results);
  }

  async run(name: string, window: QueryWindow): Promise<QueryResult> {
    this.runs.push({ name, window });
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
