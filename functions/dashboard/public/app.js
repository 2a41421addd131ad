// The dashboard page: reads the range from the address, asks the JSON API for each named query
// and renders it. Every number shown comes from /api/queries/<name>; nothing is computed here
// but the pivot of the daily chart and the client-side sort of the per-user table.

import { ApiError, adoptTokenFromAddress, fetchQuery, getJson, setToken } from './api-client.js';
import { renderDailyChart } from './daily-chart.js';
import { columnLabel, formatValue, valueKind } from './format.js';
import { addDays, PRESET_DAYS, rangeFromAddress, rangeToAddress, rangeToApiParams } from './range.js';
import { renderTable } from './tables.js';

/** Sections of the page and the query each one shows; optional ones appear when the query exists. */
const TABLES = [
  { query: 'week_over_week', caption: 'This range against the one before', formatCell: weekOverWeekCell },
  { query: 'top_skills', caption: 'Top skills (by user)', limit: 10 },
  { query: 'top_subagents', caption: 'Top subagents (by user)', limit: 10 },
  { query: 'top_mcp_servers', caption: 'Top MCP servers (by user)', limit: 10 },
  { query: 'top_models', caption: 'Top models', limit: 10 },
  { query: 'cost_by_skill', caption: 'Cost by skill', limit: 10 },
  { query: 'cost_by_agent', caption: 'Cost by agent', limit: 10 },
  { query: 'cost_by_mcp_server', caption: 'Cost by MCP server', limit: 10 },
  { query: 'tool_success_rate', caption: 'Tool success rate', limit: 10 },
  { query: 'api_errors', caption: 'API errors', limit: 10 },
  { query: 'claude_code_versions', caption: 'Claude Code versions (by user)', limit: 10 },
  { query: 'productivity', caption: 'What Claude Code produced, per person', limit: 20 },
  { query: 'code_edit_acceptance', caption: 'Code-edit acceptance by tool', limit: 10 },
  { query: 'cost_per_output', caption: 'Cost per line added and per pull request' },
];

/** Week over week has one row per metric: its values read as money or counts by the metric. */
function weekOverWeekCell(row, column) {
  if (column.name === 'metric') return columnLabel(String(row.metric));
  if (column.name === 'current_value' || column.name === 'previous_value') {
    return formatValue(row[column.name], row.metric === 'cost_usd' ? 'money' : 'count');
  }
  return undefined;
}

const $ = (id) => document.getElementById(id);
const state = {
  meta: null,
  range: null,
  perUser: null,
  perUserSort: { column: null, direction: 'descending' },
  shown: null,
  generation: 0,
};

function announce(text) {
  $('status').textContent = text;
}

function showError(box, error) {
  const p = document.createElement('p');
  p.className = 'error';
  p.textContent = `Could not load: ${error.message}`;
  box.replaceChildren(p);
}

function renderTotals(result) {
  const list = document.createElement('dl');
  list.className = 'totals';
  const row = result.rows[0] ?? {};
  for (const column of result.columns) {
    const item = document.createElement('div');
    item.dataset.column = column.name;
    if (/_tokens$/.test(column.name)) item.className = 'minor';
    const dt = document.createElement('dt');
    dt.textContent = columnLabel(column.name);
    const dd = document.createElement('dd');
    dd.textContent = formatValue(row[column.name] ?? null, valueKind(column));
    item.append(dt, dd);
    list.append(item);
  }
  $('totals').replaceChildren(list);
}

function defaultPerUserSort(columns) {
  const cost = columns.find((c) => /cost/.test(c.name) && !/per/.test(c.name));
  return { column: cost?.name ?? columns[1]?.name ?? columns[0]?.name, direction: 'descending' };
}

function renderPerUser() {
  const result = state.perUser;
  if (!state.perUserSort.column || !result.columns.some((c) => c.name === state.perUserSort.column)) {
    state.perUserSort = defaultPerUserSort(result.columns);
  }
  renderTable($('per-user'), result, {
    id: 'per-user-table',
    caption: 'Per-user activity',
    captionHidden: true,
    sortable: true,
    sort: state.perUserSort,
    onSort(column, direction) {
      state.perUserSort = { column, direction };
      renderPerUser();
      $('per-user')
        .querySelector(`th[data-column="${CSS.escape(column)}"] button`)
        ?.focus();
      announce(`Per-user activity sorted by ${columnLabel(column)}, ${direction}.`);
    },
  });
}

async function load(name, box, render, failures) {
  box.setAttribute('aria-busy', 'true');
  try {
    const result = await fetchQuery(name, rangeToApiParams(state.range));
    render(result);
    return result;
  } catch (error) {
    failures.push(error.message);
    showError(box, error);
    if (error instanceof ApiError && error.status === 401) askForToken();
    return null;
  } finally {
    box.removeAttribute('aria-busy');
  }
}

function describeRange(shown) {
  const last = addDays(shown.toDate, -1);
  const days = Math.round((Date.parse(shown.toDate) - Date.parse(shown.fromDate)) / 86_400_000);
  return `${shown.fromDate} to ${last} (${days} ${days === 1 ? 'day' : 'days'}, ${shown.timeZone})`;
}

async function refresh() {
  const generation = ++state.generation;
  const known = new Set(state.meta.queries);
  announce('Loading…');
  $('main').setAttribute('aria-busy', 'true');
  const failures = [];
  const jobs = [
    load('team_totals', $('totals'), renderTotals, failures),
    load(
      'daily_cost_per_user',
      $('daily-chart'),
      (r) => renderDailyChart($('daily-chart'), $('daily-table'), r),
      failures,
    ),
    load(
      'per_user_activity',
      $('per-user'),
      (r) => {
        state.perUser = r;
        renderPerUser();
      },
      failures,
    ),
  ];
  for (const table of TABLES) {
    const box = document.querySelector(`[data-query="${table.query}"]`);
    if (!box) continue;
    box.closest('section, .panel').hidden = !known.has(table.query);
    if (known.has(table.query))
      jobs.push(load(table.query, box, (r) => renderTable(box, r, table), failures));
  }
  for (const group of document.querySelectorAll('section.group')) {
    group.hidden = [...group.querySelectorAll('[data-query]')].every((panel) => panel.hidden);
  }
  const results = (await Promise.all(jobs)).filter(Boolean);
  if (generation !== state.generation) return;
  $('main').removeAttribute('aria-busy');
  const cached = results.filter((r) => r.cached).length;
  state.shown = results[0]?.window ?? null;
  $('range-label').textContent = state.shown ? describeRange(state.shown) : '';
  announce(
    results.length === jobs.length
      ? `Updated ${new Date().toLocaleTimeString()}: ${results.length} answers, ${cached} from the cache.`
      : // One reason for every failure (a parameter the API refused): say it here, once.
        `Some parts could not be loaded (${jobs.length - results.length} of ${jobs.length})${
          new Set(failures).size === 1 ? `: ${failures[0]}` : '.'
        }`,
  );
}

function syncForm() {
  const r = state.range;
  const preset = r.kind === 'days' && PRESET_DAYS.includes(r.days) ? String(r.days) : 'custom';
  for (const radio of document.querySelectorAll('input[name="range"]'))
    radio.checked = radio.value === preset;
  $('custom-range').hidden = preset !== 'custom';
  if (r.kind === 'custom') {
    $('from').value = r.from;
    $('to').value = r.to;
  } else if (preset === 'custom') {
    $('from').value = '';
    $('to').value = '';
  }
  $('tz').value = r.timeZone;
  $('tz-shown').textContent = r.timeZone;
}

function rangeFromForm() {
  const preset = document.querySelector('input[name="range"]:checked')?.value ?? '7';
  const timeZone = $('tz').value.trim() || state.meta.timeZone;
  if (preset !== 'custom') return { kind: 'days', days: Number(preset), timeZone };
  const from = $('from').value;
  const to = $('to').value;
  if (!from || !to) return null;
  return from <= to
    ? { kind: 'custom', from, to, timeZone }
    : { kind: 'custom', from: to, to: from, timeZone };
}

function apply(range) {
  state.range = range;
  window.history.pushState(null, '', rangeToAddress(range));
  syncForm();
  return refresh();
}

function askForToken() {
  $('token-form').hidden = false;
  $('token').focus();
}

function wireForm() {
  for (const radio of document.querySelectorAll('input[name="range"]')) {
    radio.addEventListener('change', () => {
      $('custom-range').hidden = radio.value !== 'custom';
      if (radio.value === 'custom') {
        if (!$('from').value && state.shown) {
          $('from').value = state.shown.fromDate;
          $('to').value = addDays(state.shown.toDate, -1);
        }
        $('from').focus();
        return;
      }
      const range = rangeFromForm();
      if (range) void apply(range);
    });
  }
  $('range-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const range = rangeFromForm();
    if (!range) {
      announce('Pick both a first and a last day for a custom range.');
      return;
    }
    void apply(range);
  });
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    setToken($('token').value.trim());
    $('token-form').hidden = true;
    void start();
  });
  window.addEventListener('popstate', () => {
    state.range = rangeFromAddress(window.location.search, {
      days: state.meta.defaultDays,
      timeZone: state.meta.timeZone,
    });
    syncForm();
    void refresh();
  });
}

function fillTimeZones() {
  const list = $('tz-list');
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  list.replaceChildren(
    ...['UTC', ...zones].map((z) => Object.assign(document.createElement('option'), { value: z })),
  );
}

async function start() {
  try {
    state.meta = await getJson('/api/meta');
  } catch (error) {
    announce(`Could not reach the dashboard API: ${error.message}`);
    if (error instanceof ApiError && error.status === 401) askForToken();
    return;
  }
  $('engine').textContent = state.meta.engine === 'athena' ? 'Athena (AWS lake)' : 'DuckDB (local lake)';
  $('latency').textContent = state.meta.dataLatency;
  state.range = rangeFromAddress(window.location.search, {
    days: state.meta.defaultDays,
    timeZone: state.meta.timeZone,
  });
  syncForm();
  await refresh();
}

adoptTokenFromAddress();
fillTimeZones();
wireForm();
void start();
