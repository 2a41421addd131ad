import type { SqlEngine, SqlRow } from '../functions/sql/engine.ts';
import { runNamedQuery } from '../functions/sql/query-catalog.ts';
import { lastWholeDays } from '../functions/sql/time-window.ts';

/**
 * The demo's printout: `team_totals` for "the last N days" of the one window model (whole days
 * in the team time zone, today not in it), the window `query`, the dashboard and the digest use
 * by default, so the same label shows the same figures everywhere.
 *
 *   Team totals, last 7 whole days: Tue 24 Nov – Mon 30 Nov 2026 (UTC):
 *     API-equivalent cost      $231.86
 *     Messages                 879
 */
const LABELS: readonly [string, string, (v: number) => string][] = [
  [
    'cost_usd',
    'API-equivalent cost',
    (v) => `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
  ],
  ['messages', 'Messages', (v) => v.toLocaleString('en-US')],
  ['active_users', 'Active people', (v) => v.toLocaleString('en-US')],
  ['sessions', 'Sessions', (v) => v.toLocaleString('en-US')],
  ['api_requests', 'API requests', (v) => v.toLocaleString('en-US')],
  ['skills', 'Skill activations', (v) => v.toLocaleString('en-US')],
  ['subagents', 'Subagent runs', (v) => v.toLocaleString('en-US')],
  ['mcp_calls', 'MCP tool calls', (v) => v.toLocaleString('en-US')],
  ['input_tokens', 'Input tokens', (v) => v.toLocaleString('en-US')],
  ['output_tokens', 'Output tokens', (v) => v.toLocaleString('en-US')],
  ['cache_read_tokens', 'Cache read tokens', (v) => v.toLocaleString('en-US')],
];

export interface DemoTotals {
  readonly row: SqlRow;
  readonly text: string;
}

export async function demoTotals(
  engine: SqlEngine,
  now: Date,
  days: number,
  timeZone: string,
): Promise<DemoTotals> {
  const time = lastWholeDays(now, days, timeZone);
  const row = (await runNamedQuery(engine, 'team_totals', time.window)).rows[0] ?? {};
  const width = Math.max(...LABELS.map(([, label]) => label.length));
  const lines = [`\nTeam totals, ${time.label}:`];
  for (const [key, label, format] of LABELS) {
    const value = row[key];
    if (typeof value === 'number') lines.push(`  ${label.padEnd(width)}  ${format(value)}`);
  }
  return { row, text: lines.join('\n') };
}
