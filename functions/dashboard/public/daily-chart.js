// Daily lines (uPlot): cost per person (the top few and "Others") and, when the SQL layer has
// it, active people, sessions and messages per day. Days are calendar days in the team time
// zone, plotted at UTC midnight with the axis read in UTC, so the browser's zone never shifts a
// day. The legend shows each line's total for the range without hovering (hover: that day's
// value). Today, when in the range, is shaded and labelled "so far" instead of reading as a drop.

import uPlot from '/vendor/uPlot.esm.js';
import { formatMoney, formatValue, isNumericColumn } from './format.js';
import { renderTable } from './tables.js';

// Tableau 10: distinguishable, and lines 5 on are dashed so colour is not the only cue.
const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#76b7b2', '#9c755f', '#79706e'];
const OTHERS_COLOR = '#8a8f96';
/** People drawn as their own line; the rest are summed into "Others" (readable at 31 days). */
export const TOP_LINES = 6;
export const OTHERS = 'Others';

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
 * Pivots rows (day, user, cost) into lines: x = every day of the range, the `top` users by total
 * cost each a line, the others summed into one "Others" line; 0 where there is no cost that day.
 */
export function pivotDaily(rows, names, days, top = TOP_LINES) {
  const totals = new Map();
  const cells = new Map();
  for (const row of rows) {
    const user = String(row[names.user]);
    const cost = Number(row[names.cost] ?? 0);
    totals.set(user, (totals.get(user) ?? 0) + cost);
    const key = `${user}|${dayText(row[names.day])}`;
    cells.set(key, (cells.get(key) ?? 0) + cost);
  }
  const users = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || a.localeCompare(b));
  const shown = users.length > top + 1 ? users.slice(0, top) : users;
  const rest = users.slice(shown.length);
  const x = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const lines = shown.map((u) => ({
    label: u,
    values: days.map((d) => cells.get(`${u}|${d}`) ?? 0),
    total: totals.get(u),
  }));
  if (rest.length > 0) {
    lines.push({
      label: OTHERS,
      others: rest,
      values: days.map((d) => rest.reduce((sum, u) => sum + (cells.get(`${u}|${d}`) ?? 0), 0)),
      total: rest.reduce((sum, u) => sum + totals.get(u), 0),
    });
  }
  return { users, days, x, lines, totals };
}

/** Every `yyyy-MM-dd` from `fromDate` up to, not including, `toDate`. */
export function daysBetween(fromDate, toDate) {
  const days = [];
  for (let t = Date.parse(`${fromDate}T00:00:00Z`); t < Date.parse(`${toDate}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** True when the window's last day has not ended yet (its figures are so far, not final). */
export const lastDayPartial = (window, now = Date.now()) => now < Date.parse(window.to);

const plots = new Map();

/** Shades the last day's slot and labels it, so a partial day does not read as a fall. */
function partialDayPlugin(x) {
  return {
    hooks: {
      draw: (u) => {
        const left = u.valToPos(x.at(-1) - 43_200, 'x', true);
        const right = u.bbox.left + u.bbox.width;
        const { ctx } = u;
        ctx.save();
        ctx.fillStyle = 'rgba(120, 130, 140, 0.12)';
        ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
        ctx.fillStyle = '#55606e';
        ctx.font = `${Math.round(12 * devicePixelRatio)}px system-ui, sans-serif`;
        ctx.textAlign = 'right';
        ctx.fillText('today, so far', right - 4 * devicePixelRatio, u.bbox.top + 14 * devicePixelRatio);
        ctx.restore();
      },
    },
  };
}

/**
 * One line chart into `box`. `lines`: [{ label, values, total }]; `format` formats a value.
 * Returns nothing; replaces an earlier chart in the same box.
 */
export function renderLines(box, { x, days, lines, format, partial, emptyText, label }) {
  plots.get(box)?.plot.destroy();
  plots.get(box)?.observer.disconnect();
  plots.delete(box);
  box.replaceChildren();
  box.setAttribute('aria-label', label);
  if (lines.length === 0) {
    box.textContent = emptyText;
    return;
  }
  const size = () => {
    const width = Math.max(280, box.clientWidth);
    return { width, height: width < 500 ? 240 : 300 };
  };
  const plot = new uPlot(
    {
      ...size(),
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        {
          splits: (u) =>
            x.filter((_, i) => i % Math.ceil(x.length / Math.max(2, Math.floor(u.width / 70))) === 0),
          values: (_u, ticks) => ticks.map((t) => DAY_LABEL.format(new Date(t * 1000))),
        },
        { values: (_u, ticks) => ticks.map((t) => format(t)), size: 70 },
      ],
      series: [
        {
          label: 'Day',
          value: (_u, ts) => (ts === null ? 'Range total' : new Date(ts * 1000).toISOString().slice(0, 10)),
        },
        ...lines.map((line, i) => ({
          label: line.label,
          stroke: line.label === OTHERS ? OTHERS_COLOR : COLORS[i % COLORS.length],
          width: line.label === OTHERS ? 1.5 : 2,
          dash: i >= 4 || line.label === OTHERS ? [6, 4] : undefined,
          points: { show: days.length <= 14 },
          // No day under the cursor: the range total, so the legend reads without hovering.
          value: (_u, v, _s, idx) => (idx === null || idx === undefined ? format(line.total) : format(v)),
        })),
      ],
      legend: { live: true },
      plugins: partial ? [partialDayPlugin(x)] : [],
    },
    [x, ...lines.map((l) => l.values)],
    box,
  );
  const observer = new ResizeObserver(() => {
    const next = size();
    if (Math.abs(plot.width - next.width) > 2) plot.setSize(next);
  });
  observer.observe(box);
  plots.set(box, { plot, observer });
}

/** Daily cost per person: the chart and the same numbers as a table (every person, no "Others"). */
export function renderDailyChart(chartBox, tableBox, result, options = {}) {
  const names = dailyColumns(result.columns);
  const days = daysBetween(result.window.fromDate, result.window.toDate);
  const pivot = pivotDaily(result.rows, names, days);
  const partial = options.partial ?? lastDayPartial(result.window);
  renderLines(chartBox, {
    x: pivot.x,
    days,
    lines: pivot.lines,
    format: formatMoney,
    partial,
    emptyText: 'No cost in this range.',
    label:
      pivot.users.length === 0
        ? 'Daily cost per person: no cost in this range.'
        : `Daily cost per person, ${pivot.users.length} people, from ${days[0]} to ${days.at(-1)}. Highest: ${pivot.users[0]} with ${formatMoney(pivot.totals.get(pivot.users[0]))}.`,
  });
  const tableColumns = [
    { name: 'day', type: 'varchar' },
    ...pivot.users.map((u, j) => ({ name: `user_${j}`, type: 'double', label: u, kind: 'money' })),
  ];
  const cell = new Map(
    result.rows.map((r) => [`${r[names.user]}|${dayText(r[names.day])}`, Number(r[names.cost] ?? 0)]),
  );
  const tableRows = days.map((d, i) =>
    Object.fromEntries([
      ['day', partial && i === days.length - 1 ? `${d} (so far)` : d],
      ...pivot.users.map((u, j) => [`user_${j}`, cell.get(`${u}|${d}`) ?? 0]),
    ]),
  );
  renderTable(
    tableBox,
    { columns: tableColumns, rows: tableRows },
    { caption: 'Daily cost per person (USD)', id: 'daily-cost-table', ...(options.table ?? {}) },
  );
  return pivot;
}

/** Active people, sessions and messages per day, from a query with a day column and counts. */
export function renderActivityChart(chartBox, tableBox, result, options = {}) {
  const day = dailyColumns(result.columns).day;
  const metrics = result.columns.filter((c) => c.name !== day && isNumericColumn(c));
  const days = daysBetween(result.window.fromDate, result.window.toDate);
  const byDay = new Map(result.rows.map((r) => [dayText(r[day]), r]));
  const x = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const lines = metrics.map((m) => {
    const values = days.map((d) => Number(byDay.get(d)?.[m.name] ?? 0));
    return { label: options.label?.(m.name) ?? m.name, values, total: values.reduce((a, b) => a + b, 0) };
  });
  const partial = options.partial ?? lastDayPartial(result.window);
  renderLines(chartBox, {
    x,
    days,
    lines: result.rows.length === 0 ? [] : lines,
    format: (v) => formatValue(v, 'count'),
    partial,
    emptyText: 'No activity in this range.',
    label: `Daily activity from ${days[0]} to ${days.at(-1)}: ${lines.map((l) => l.label).join(', ')}.`,
  });
  renderTable(
    tableBox,
    {
      columns: [{ name: 'day', type: 'varchar' }, ...metrics],
      rows: days.map((d, i) => ({
        ...(byDay.get(d) ?? Object.fromEntries(metrics.map((m) => [m.name, 0]))),
        day: partial && i === days.length - 1 ? `${d} (so far)` : d,
      })),
    },
    { caption: 'Daily activity', id: 'daily-activity-table', ...(options.table ?? {}) },
  );
}
