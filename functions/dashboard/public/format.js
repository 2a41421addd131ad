// How values and column names read on the page. One place, so the numbers in the tables, the
// totals and the chart legend are formatted the same way.

const LABELS = {
  user: 'User',
  user_email: 'User',
  user_name: 'User',
  user_plan: 'Plan',
  plan: 'Plan',
  cost_usd: 'Cost',
  cost: 'Cost',
  messages: 'Messages',
  sessions: 'Sessions',
  skills: 'Skills',
  subagents: 'Subagents',
  mcp_calls: 'MCP calls',
  active_users: 'Active users',
  skill_name: 'Skill',
  skill: 'Skill',
  subagent_type: 'Subagent',
  subagent: 'Subagent',
  agent_name: 'Agent',
  mcp_server_name: 'MCP server',
  mcp_server: 'MCP server',
  model: 'Model',
  calls: 'Calls',
  uses: 'Uses',
  requests: 'Requests',
  api_requests: 'API requests',
  opus_calls: 'Opus calls',
  sonnet_calls: 'Sonnet calls',
  haiku_calls: 'Haiku calls',
  cost_per_message_usd: 'Cost per message',
  cost_per_msg_usd: 'Cost per message',
  cache_hit_pct: 'Cache hit',
  cache_pct: 'Cache hit',
  day: 'Day',
  date: 'Day',
  metric: 'Metric',
  current_value: 'This range',
  previous_value: 'Range before',
  change_pct: 'Change',
  users: 'Users',
  success_rate: 'Success rate',
  status_code: 'HTTP status',
  app_version: 'Version',
  last_seen: 'Last seen (UTC)',
  cost_per_message: 'Cost per message',
};

const ACRONYMS = { mcp: 'MCP', usd: 'USD', api: 'API', pct: '%' };

/** A readable heading for a column name: `cost_per_message_usd` -> `Cost per message`. */
export function columnLabel(name) {
  if (LABELS[name]) return LABELS[name];
  const words = name.split('_').map((w) => ACRONYMS[w] ?? w);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const NUMERIC_TYPES =
  /^(tinyint|smallint|integer|int|bigint|hugeint|double|real|float|decimal|numeric|ubigint|uinteger)/;

export const isNumericColumn = (column) => NUMERIC_TYPES.test(column.type);

/** What kind of number a column holds, from its name: money, a percentage, a change, a count. */
export function valueKind(column) {
  const n = column.name;
  if (/^timestamp/.test(column.type)) return 'time';
  if (!isNumericColumn(column)) return 'text';
  if (/(^|_)change_(pct|percent)$/.test(n)) return 'change';
  if (/(^|_)(pct|percent)($|_)/.test(n)) return 'percent';
  if (/(^|_)(rate|ratio|share)$/.test(n)) return 'fraction';
  if (/(^|_)(usd|cost)($|_)/.test(n)) return /(^|_)per(_|$)/.test(n) ? 'money-fine' : 'money';
  return /^(double|real|float|decimal|numeric)/.test(column.type) ? 'decimal' : 'count';
}

const money = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const moneyFine = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 4,
  maximumFractionDigits: 4,
});
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

const signed = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
});

/** A value as shown in a cell: `$1,234.57`, `1,234`, `99.9 %` (also for a 0-1 fraction), `+12.5 %`, `—` for NULL. */
export function formatValue(value, kind) {
  if (value === null || value === undefined) return '—';
  if (kind === 'time') return String(value).slice(0, 16).replace('T', ' ');
  if (typeof value !== 'number') return String(value);
  switch (kind) {
    case 'money':
      return money.format(value);
    case 'money-fine':
      return moneyFine.format(value);
    case 'percent':
      return `${percent.format(value)} %`;
    case 'fraction':
      return `${percent.format(value * 100)} %`;
    case 'change':
      return `${signed.format(value)} %`;
    case 'count':
      return count.format(value);
    case 'decimal':
      return decimal.format(value);
    default:
      return String(value);
  }
}

export const formatMoney = (value) => formatValue(value, 'money');
