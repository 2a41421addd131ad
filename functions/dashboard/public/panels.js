// The page's tables: which named query each shows, in which box. Optional queries (the ones the
// semantic layer adds over time) appear only when /api/meta lists them.

import { columnLabel, formatValue } from './format.js';

/** Week over week has one row per metric: its values read as money or counts by the metric. */
function weekOverWeekCell(row, column) {
  if (column.name === 'metric') return columnLabel(String(row.metric));
  if (column.name === 'current_value' || column.name === 'previous_value') {
    return formatValue(row[column.name], row.metric === 'cost_usd' ? 'money' : 'count');
  }
  return undefined;
}

/**
 * `previous_covered` says whether the lake reaches back over the whole range before; it is not a
 * column to read but a reason the change is empty, said once under the table.
 */
function weekOverWeekPrepare(answer) {
  const uncovered = answer.rows.some((r) => r.previous_covered === false);
  return {
    answer: { ...answer, columns: answer.columns.filter((c) => c.name !== 'previous_covered') },
    note: uncovered
      ? 'The lake does not reach back over the whole range before, so no change is shown.'
      : undefined,
  };
}

export const TABLES = [
  {
    query: 'week_over_week',
    caption: 'This range against the one before',
    formatCell: weekOverWeekCell,
    prepare: weekOverWeekPrepare,
  },
  { query: 'top_skills', caption: 'Top skills (by person)', limit: 10 },
  { query: 'top_subagents', caption: 'Top subagents (by person)', limit: 10 },
  { query: 'top_mcp_servers', caption: 'Top MCP servers (by person)', limit: 10 },
  { query: 'top_models', caption: 'Top models', limit: 10 },
  { query: 'time_to_first_token', caption: 'Time to first token by model', limit: 10 },
  { query: 'cost_by_skill', caption: 'Cost by skill', limit: 10 },
  { query: 'cost_by_agent', caption: 'Cost by agent', limit: 10 },
  { query: 'cost_by_mcp_server', caption: 'Cost by MCP server', limit: 10 },
  { query: 'tool_success_rate', caption: 'Tool success rate', limit: 10 },
  { query: 'tool_acceptance_rate', caption: 'Suggestion acceptance by tool', limit: 10 },
  { query: 'api_errors', caption: 'API errors', limit: 10 },
  { query: 'mcp_connection_failures', caption: 'MCP connection failures', limit: 10 },
  { query: 'subagent_runs', caption: 'Subagent runs', limit: 10 },
  { query: 'claude_code_versions', caption: 'Claude Code versions (by person)', limit: 10 },
  { query: 'productivity', caption: 'What Claude Code produced, per person', limit: 20 },
  { query: 'code_edit_acceptance', caption: 'Code-edit acceptance by tool', limit: 10 },
  { query: 'cost_per_output', caption: 'Cost per line added and per pull request' },
];

/** Queries the page's fixed boxes show (totals, charts, the per-user table). */
export const MAIN = ['team_totals', 'daily_cost_per_user', 'daily_activity', 'per_user_activity'];

/** Columns whose values are a person, a model or a skill: their cells link to that filter. */
export const LINKS = {
  user_name: 'person',
  user: 'person',
  model: 'model',
  skill_name: 'skill',
};

/** Short headings for the wide per-user table, so every column fits at 1440 px. */
export const PER_USER_LABELS = {
  user_name: 'Person',
  cost_usd: 'Cost',
  sessions: 'Sess.',
  messages: 'Msgs',
  subagents: 'Subag.',
  mcp_calls: 'MCP',
  opus_calls: 'Opus',
  sonnet_calls: 'Sonnet',
  haiku_calls: 'Haiku',
  cost_per_message: 'Cost/msg',
  cache_hit_pct: 'Cache hit',
};
