import type { QueryResult, SqlValue } from '../../functions/sql/engine.ts';
import { loadQueryCatalog, namedQuery, runNamedQuery } from '../../functions/sql/query-catalog.ts';
import { assertReadOnly } from '../../functions/sql/read-only.ts';
import { type Command, parseFlags, UsageError } from '../cli-kit.ts';
import {
  cliErrorOf,
  ENGINE_OPTIONS,
  ENGINE_OPTIONS_USAGE,
  openEngineFromFlags,
  windowFromFlags,
} from '../engine-options.ts';

const FORMATS = ['table', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** A value as a table cell: fractions to 4 decimals, NULL as empty. */
function cell(value: SqlValue): string {
  if (value === null) return '';
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Math.round(value * 1e4) / 1e4);
  return String(value);
}

const scannedText = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB scanned`;

export function formatTable(result: QueryResult): string {
  const names = result.columns.map((c) => c.name);
  const cells = result.rows.map((row) => names.map((n) => cell(row[n] ?? null)));
  const widths = names.map((n, i) => Math.max(n.length, ...cells.map((r) => r[i]!.length)));
  const numeric = result.columns.map((c) => /int|double|decimal|real|float/.test(c.type));
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const scanned = result.bytesScanned === undefined ? '' : `, ${scannedText(result.bytesScanned)}`;
  const count = `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${scanned})`;
  return [line(names), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line), count].join('\n');
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function formatCsv(result: QueryResult): string {
  const names = result.columns.map((c) => c.name);
  const lines = [names.map(csvField).join(',')];
  for (const row of result.rows)
    lines.push(names.map((n) => csvField(row[n] === null ? '' : String(row[n]))).join(','));
  return lines.join('\n');
}

export function formatResult(result: QueryResult, format: Format): string {
  if (format === 'json') return JSON.stringify(result.rows, null, 2);
  if (format === 'csv') return formatCsv(result);
  return formatTable(result);
}

export const queryCommand: Command = {
  name: 'query',
  summary: 'Run a named query (or read-only SQL) on the local lake or Athena',
  usage: `Usage: claude-otel-lake query <name> [--since 7d | --from D --to D] [--tz ZONE]
                              [--engine local|athena] [--format table|csv|json]
       claude-otel-lake query --list [--format table|json]
       claude-otel-lake query --sql "SELECT ... FROM events ..." [engine options]

Runs one of the queries in queries/ for a time window, the same SQL on DuckDB (local lake)
and Athena. --sql runs one ad-hoc read-only statement (SELECT or WITH) over \`events\` and
the view \`claude_code_usage\`.

  --format table|csv|json  output (default table; json is an array of row objects)
  --list                   the known queries, one line each

${ENGINE_OPTIONS_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseFlags(
      args,
      {
        ...ENGINE_OPTIONS,
        format: { type: 'string', default: 'table' },
        list: { type: 'boolean' },
        sql: { type: 'string' },
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
          const width = Math.max(...catalog.map((q) => q.name.length));
          for (const q of catalog) io.out(`${q.name.padEnd(width)}  ${q.title}`);
        }
        return 0;
      }
      const sql = values.sql === undefined ? undefined : assertReadOnly(values.sql);
      if (name !== undefined) await namedQuery(name);
      const window = windowFromFlags(values, io.env);
      const engine = await openEngineFromFlags(values, io);
      try {
        const result = sql === undefined ? await runNamedQuery(engine, name!, window) : await engine.run(sql);
        if (format === 'table' && name !== undefined) {
          io.out(
            `${name}: ${window.from.toISOString()} .. ${window.to.toISOString()} (${window.timeZone})\n`,
          );
        }
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
