import { toCsv } from '../../functions/sql/csv.ts';
import { displayValue, isNumericColumn, valueKind } from '../../functions/sql/display-values.ts';
import type { QueryFilters, QueryResult } from '../../functions/sql/engine.ts';
import { loadQueryCatalog, namedQuery, runNamedQuery } from '../../functions/sql/query-catalog.ts';
import { assertReadOnly } from '../../functions/sql/read-only.ts';
import type { TimeWindow } from '../../functions/sql/time-window.ts';
import { type Command, parseFlags, UsageError } from '../cli-kit.ts';
import {
  cliErrorOf,
  ENGINE_OPTIONS,
  ENGINE_OPTIONS_USAGE,
  openEngineFromFlags,
  timeWindowFromFlags,
} from '../engine-options.ts';

const FORMATS = ['table', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

const scannedText = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB scanned`;

/** The rows as an aligned table, numbers as the dashboard shows them (`$1,234.57`, `12,345`, `97.3 %`). */
export function formatTable(result: QueryResult): string {
  const names = result.columns.map((c) => c.name);
  const kinds = result.columns.map(valueKind);
  const cells = result.rows.map((row) => names.map((n, i) => displayValue(row[n] ?? null, kinds[i]!)));
  const widths = names.map((n, i) => Math.max(n.length, ...cells.map((r) => r[i]!.length)));
  const numeric = result.columns.map(isNumericColumn);
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const scanned = result.bytesScanned === undefined ? '' : `, ${scannedText(result.bytesScanned)}`;
  const count = `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${scanned})`;
  return [line(names), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line), count].join('\n');
}

/** CSV with raw values, text cells neutralised against formula injection (functions/sql/csv.ts). */
export const formatCsv = (result: QueryResult): string => toCsv(result.columns, result.rows);

export function formatResult(result: QueryResult, format: Format): string {
  if (format === 'json') return JSON.stringify(result.rows, null, 2);
  if (format === 'csv') return formatCsv(result);
  return formatTable(result);
}

/** The table's heading: what the window is, in words, and its exact instants. */
function heading(name: string, time: TimeWindow, filters: QueryFilters): string {
  const { from, to, timeZone } = time.window;
  const given = Object.entries(filters).filter(([, v]) => v !== undefined);
  const filterText = given.length ? `; ${given.map(([k, v]) => `${k} = ${v}`).join(', ')}` : '';
  return `${name}: ${time.label}${filterText}\n  [${from.toISOString()}, ${to.toISOString()}) ${timeZone}\n`;
}

export const queryCommand: Command = {
  name: 'query',
  summary: 'Run a named query (or read-only SQL) on the local lake or Athena',
  usage: `Usage: claude-otel-lake query <name> [--days 7 | --since 7d | --from D --to D] [--tz ZONE]
                              [--person NAME] [--model ID|opus|sonnet|haiku] [--skill NAME]
                              [--engine local|athena] [--format table|csv|json]
       claude-otel-lake query --list [--format table|json]
       claude-otel-lake query --sql "SELECT ... FROM events ..." [engine options]

Runs one of the queries in queries/ for a time window, the same SQL on DuckDB (local lake)
and Athena. --sql runs one ad-hoc read-only statement (SELECT or WITH) over \`events\` and
the view \`claude_code_usage\`.

  --format table|csv|json  output (default table: numbers as the dashboard shows them; csv
                           and json keep the raw values; json is an array of row objects)
  --list                   the known queries, each with what it answers
  --person, --model, --skill  count only the events of that person (user_name), model (id or
                           family) or skill

${ENGINE_OPTIONS_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseFlags(
      args,
      {
        ...ENGINE_OPTIONS,
        format: { type: 'string', default: 'table' },
        list: { type: 'boolean' },
        sql: { type: 'string' },
        person: { type: 'string' },
        model: { type: 'string' },
        skill: { type: 'string' },
      },
      true,
    );
    if (values.help) {
      io.out(this.usage);
      return 0;
    }
    const format = values.format as Format;
    if (!FORMATS.includes(format))
      throw new UsageError(`--format must be table, csv or json; got "${values.format}"`);
    if (positionals.length > 1)
      throw new UsageError(`one query name at a time; got ${positionals.join(', ')}`);
    const name = positionals[0];
    const modes = [values.list ? '--list' : '', values.sql !== undefined ? '--sql' : '', name ?? ''].filter(
      Boolean,
    );
    if (modes.length !== 1) {
      throw new UsageError(
        modes.length ? `give one of ${modes.join(', ')}` : 'name a query, or give --list or --sql',
      );
    }

    try {
      if (values.list) {
        const catalog = [...(await loadQueryCatalog()).values()];
        if (format === 'json') {
          io.out(
            JSON.stringify(
              catalog.map(({ sql: _sql, ...meta }) => meta),
              null,
              2,
            ),
          );
        } else {
          for (const q of catalog) io.out(`${q.name}  ${q.title}\n    ${q.description}`);
        }
        return 0;
      }
      const sql = values.sql === undefined ? undefined : assertReadOnly(values.sql);
      if (name !== undefined) await namedQuery(name);
      const time = timeWindowFromFlags(values, io.env);
      const filters: QueryFilters = Object.fromEntries(
        (['person', 'model', 'skill'] as const).flatMap((k) =>
          values[k] === undefined ? [] : [[k, values[k]]],
        ),
      );
      const window = Object.keys(filters).length ? { ...time.window, filters } : time.window;
      const engine = await openEngineFromFlags(values, io);
      try {
        const result = sql === undefined ? await runNamedQuery(engine, name!, window) : await engine.run(sql);
        if (format === 'table' && name !== undefined) io.out(heading(name, time, filters));
        io.out(formatResult(result, format));
        // The table's count line shows it; csv and json keep stdout to the data.
        if (format !== 'table' && result.bytesScanned !== undefined) io.err(scannedText(result.bytesScanned));
      } finally {
        await engine.close();
      }
      return 0;
    } catch (error) {
      throw cliErrorOf(error);
    }
  },
};
