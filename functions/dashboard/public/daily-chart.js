// Daily cost per user as a line chart (uPlot), one line per user, plus the same numbers as a
// table for screen readers and for reading exact values. Days are calendar days in the team time
// zone; they are plotted at UTC midnight and the axis is told to read them in UTC, so the
// browser's own zone never shifts a day.

import uPlot from '/vendor/uPlot.esm.js';
import { formatMoney, isNumericColumn } from './format.js';
import { renderTable } from './tables.js';

// Tableau 10: distinguishable, and lines 6-10 are dashed so colour is not the only cue.
const COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#79706e',
];

/** Which columns hold the day, the user and the cost, found by type and name. */
export function dailyColumns(columns) {
  const day =
    columns.find((c) => /^(date|timestamp)/.test(c.type)) ?? columns.find((c) => /day|date/.test(c.name));
  const user = columns.find((c) => c !== day && !isNumericColumn(c));
  const cost =
    columns.find((c) => c !== day && isNumericColumn(c) && /cost|usd/.test(c.name)) ??
    columns.find((c) => c !== day && isNumericColumn(c));
  return { day: day?.name, user: user?.name, cost: cost?.name };
}

const DAY_LABEL = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

const dayText = (value) => String(value).slice(0, 10);

/**
 * Pivots rows (day, user, cost) into uPlot's shape: x = every day of the range, one series per
 * user ordered by total cost, 0 where a user has no cost that day.
 */
export function pivotDaily(rows, names, days) {
  const totals = new Map();
  const cells = new Map();
  for (const row of rows) {
    const user = String(row[names.user]);
    const cost = Number(row[names.cost] ?? 0);
    totals.set(user, (totals.get(user) ?? 0) + cost);
    cells.set(`${user}|${dayText(row[names.day])}`, cost);
  }
  const users = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || a.localeCompare(b));
  const x = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const series = users.map((u) => days.map((d) => cells.get(`${u}|${d}`) ?? 0));
  return { users, days, x, series, totals };
}

/** Every `yyyy-MM-dd` from `fromDate` up to, not including, `toDate`. */
export function daysBetween(fromDate, toDate) {
  const days = [];
  for (let t = Date.parse(`${fromDate}T00:00:00Z`); t < Date.parse(`${toDate}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

let plot = null;
let resizeObserver = null;

export function renderDailyChart(chartBox, tableBox, result) {
  const names = dailyColumns(result.columns);
  const pivot = pivotDaily(result.rows, names, daysBetween(result.window.fromDate, result.window.toDate));
  plot?.destroy();
  plot = null;
  chartBox.replaceChildren();
  if (pivot.users.length === 0) {
    chartBox.textContent = 'No cost in this range.';
  } else {
    const width = Math.max(280, chartBox.clientWidth);
    plot = new uPlot(
      {
        width,
        height: width < 500 ? 260 : 320,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [
          {
            // One tick per day (every few days in a long range), labelled like "Jan 8".
            splits: (u) =>
              pivot.x.filter(
                (_, i) => i % Math.ceil(pivot.x.length / Math.max(2, Math.floor(u.width / 70))) === 0,
              ),
            values: (_u, ticks) => ticks.map((t) => DAY_LABEL.format(new Date(t * 1000))),
          },
          { values: (_u, ticks) => ticks.map((t) => formatMoney(t)), size: 70 },
        ],
        series: [
          {
            label: 'Day',
            value: (_u, ts) => (ts === null ? '—' : new Date(ts * 1000).toISOString().slice(0, 10)),
          },
          ...pivot.users.map((user, i) => ({
            label: user,
            stroke: COLORS[i % COLORS.length],
            width: 2,
            dash: i >= 5 ? [6, 4] : undefined,
            points: { show: pivot.days.length <= 31 },
            value: (_u, v) => (v === null ? '—' : formatMoney(v)),
          })),
        ],
        legend: { live: true },
      },
      [pivot.x, ...pivot.series],
      chartBox,
    );
    resizeObserver?.disconnect();
    resizeObserver = new ResizeObserver(() => {
      const w = Math.max(280, chartBox.clientWidth);
      if (plot && Math.abs(plot.width - w) > 2) plot.setSize({ width: w, height: w < 500 ? 260 : 320 });
    });
    resizeObserver.observe(chartBox);
  }
  const label =
    pivot.users.length === 0
      ? 'Daily cost per user: no cost in this range.'
      : `Daily cost per user, ${pivot.users.length} users with the highest cost, from ${pivot.days[0]} to ${pivot.days.at(-1)}. Highest: ${pivot.users[0]} with ${formatMoney(pivot.totals.get(pivot.users[0]))}.`;
  chartBox.setAttribute('aria-label', label);

  const tableColumns = [
    { name: 'day', type: 'varchar' },
    ...pivot.users.map((u, j) => ({ name: `user_${j}`, type: 'double', label: u, kind: 'money' })),
  ];
  const tableRows = pivot.days.map((d, i) =>
    Object.fromEntries([['day', d], ...pivot.series.map((values, j) => [`user_${j}`, values[i]])]),
  );
  renderTable(
    tableBox,
    { columns: tableColumns, rows: tableRows },
    { caption: 'Daily cost per user (USD)', id: 'daily-cost-table' },
  );
  return pivot;
}
