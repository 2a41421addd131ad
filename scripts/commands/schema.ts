import { COLUMNS, type Column, PARTITION_KEY } from '../../functions/schema/columns.ts';
import { type Command, parseFlags, UsageError } from '../cli-kit.ts';

/** The column reference as a Markdown table, generated from the one schema (also in the README). */
export function columnReferenceMarkdown(): string {
  const lines = ['| column | type | from (first present wins) | meaning |', '| --- | --- | --- | --- |'];
  for (const c of COLUMNS as readonly Column[]) {
    const sources = c.sources.map((s) => `\`${s}\``).join(', ');
    lines.push(`| \`${c.name}\` | ${c.type} | ${sources} | ${c.description.replaceAll('|', '\\|')} |`);
  }
  lines.push(
    `| \`${PARTITION_KEY}\` | string (partition) | arrival date, UTC | \`yyyy-MM-dd\`; a path segment, not a data column. |`,
  );
  return lines.join('\n');
}

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'Print the lake schema (the column reference), as Markdown or JSON',
  usage: `Usage: claude-otel-lake schema [--format markdown|json]

Prints the one column list every stage derives from: the Firehose JSON keys, the Glue table,
the local Parquet files and the DuckDB view.`,
  async run(args, io) {
    const { values } = parseFlags(args, { format: { type: 'string', default: 'markdown' } });
    if (values.help) {
      io.out(this.usage);
      return 0;
    }
    if (values.format === 'markdown') io.out(columnReferenceMarkdown());
    else if (values.format === 'json') io.out(JSON.stringify(COLUMNS, null, 2));
    else throw new UsageError(`--format must be markdown or json; got "${values.format}"`);
    return 0;
  },
};
