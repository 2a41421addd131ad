// The dashboard page: reads the view (range, filters, sort) from the address, asks the JSON API
// for every named query in one batch and renders each. Every number shown comes from a named
// query; nothing is computed here but the pivot of the charts and the per-user table's sort.

import { ApiError, adoptTokenFromAddress, csvHref, fetchBatch, getJson, setToken } from './api-client.js';
import { renderActivityChart, renderDailyChart } from './daily-chart.js';
import { wireCsvDownloads } from './downloads.js';
import { fillFilterOptions, showFilters } from './filter-form.js';
import { columnLabel, formatValue, valueKind } from './format.js';
import { showOnboarding } from './onboarding.js';
import { LINKS, MAIN, PER_USER_LABELS, TABLES } from './panels.js';
import { addDays, PRESET_DAYS } from './range.js';
import { renderTable } from './tables.js';
import { addressWith, FILTERS, viewFromAddress, viewToAddress, viewToApiParams } from './view-state.js';

const $ = (id) => document.getElementById(id);
const state = { meta: null, view: null, perUser: null, shown: null, generation: 0 };

function announce(text) {
  $('status').textContent = text;
}

/** A link to the same range with one more filter (a person's page, a model, a skill). */
function cellHref(row, column) {
  const filter = LINKS[column.name];
  if (!filter || row[column.name] === null) return undefined;
  const value = String(row[column.name]);
  if (state.view.filters[filter] === value) return undefined;
  return addressWith(state.view, { ...state.view.filters, [filter]: value });
}

/** "Not filtered by person": a query the SQL layer cannot narrow says so under its table. */
function unfilteredNote(answer) {
  const names = answer.unfiltered ?? [];
  return names.length === 0
    ? undefined
    : `Not filtered by ${names.join(' or ')}: this table shows the whole team.`;
}

function tableOptions(name, answer, extra = {}) {
  return {
    cellHref,
    csvHref: csvHref(name, viewToApiParams(state.view)),
    note: unfilteredNote(answer),
    ...extra,
  };
}

function renderTotals(answer) {
  const list = document.createElement('dl');
  list.className = 'totals';
  const row = answer.rows[0] ?? {};
  for (const column of answer.columns) {
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
  const note = unfilteredNote(answer);
  $('totals').replaceChildren(
    list,
    ...(note
      ? [Object.assign(document.createElement('p'), { className: 'filter-note', textContent: note })]
      : []),
  );
}

function defaultSort(columns) {
  const cost = columns.find((c) => /cost/.test(c.name) && !/per/.test(c.name));
  return { column: cost?.name ?? columns[1]?.name ?? columns[0]?.name, direction: 'descending' };
}

function renderPerUser() {
  const answer = state.perUser;
  const sort =
    state.view.sort?.column && answer.columns.some((c) => c.name === state.view.sort.column)
      ? state.view.sort
      : defaultSort(answer.columns);
  const columns = answer.columns.map((c) =>
    PER_USER_LABELS[c.name] ? { ...c, label: PER_USER_LABELS[c.name], title: columnLabel(c.name) } : c,
  );
  renderTable(
    $('per-user'),
    { ...answer, columns },
    tableOptions('per_user_activity', answer, {
      id: 'per-user-table',
      caption: 'Per-person activity',
      captionHidden: true,
      sortable: true,
      sort,
      onSort(column, direction) {
        state.view = { ...state.view, sort: { column, direction } };
        window.history.replaceState(null, '', viewToAddress(state.view));
        renderPerUser();
        $('per-user')
          .querySelector(`th[data-column="${CSS.escape(column)}"] button`)
          ?.focus();
        announce(`Per-person activity sorted by ${columnLabel(column)}, ${direction}.`);
      },
    }),
  );
}

function describeRange(shown) {
  const last = addDays(shown.toDate, -1);
  const days = Math.round((Date.parse(shown.toDate) - Date.parse(shown.fromDate)) / 86_400_000);
  return `${shown.fromDate} to ${last} (${days} ${days === 1 ? 'day' : 'days'}, ${shown.timeZone})`;
}

function showPanelError(box, message) {
  const p = document.createElement('p');
  p.className = 'error';
  p.textContent = `Could not load: ${message}`;
  box.replaceChildren(p);
}

/** Marks every box as not loaded, without repeating the reason the status line gives once. */
function clearPanels(reason) {
  for (const box of document.querySelectorAll('[data-query]')) {
    const p = document.createElement('p');
    p.className = 'loading';
    p.textContent = reason;
    box.replaceChildren(p);
  }
}

function personHeader() {
  const person = state.view.filters.person;
  $('person-header').hidden = !person;
  document.body.classList.toggle('person-page', Boolean(person));
  if (!person) return;
  $('person-name').textContent = person;
  $('back-to-team').href = addressWith(state.view, { ...state.view.filters, person: undefined });
  document.title = `${person} · Claude Code usage`;
}

function render(name, answer, window) {
  const box = document.querySelector(`[data-query="${name}"]`);
  if (!box) return;
  if (answer.error) return showPanelError(box, answer.error);
  const withWindow = { ...answer, window };
  if (name === 'team_totals') renderTotals(answer);
  else if (name === 'daily_cost_per_user')
    renderDailyChart(box, $('daily-table'), withWindow, {
      partial: answer.partial,
      table: tableOptions(name, answer),
    });
  else if (name === 'daily_activity')
    renderActivityChart(box, $('activity-table'), withWindow, {
      partial: answer.partial,
      label: columnLabel,
      table: tableOptions(name, answer),
    });
  else if (name === 'per_user_activity') {
    state.perUser = answer;
    renderPerUser();
  } else {
    const table = TABLES.find((t) => t.query === name);
    const prepared = table.prepare?.(answer) ?? { answer };
    const options = tableOptions(name, answer, table);
    const note = [options.note, prepared.note].filter(Boolean).join(' ') || undefined;
    renderTable(box, prepared.answer, { ...options, note });
  }
}

async function refresh() {
  const generation = ++state.generation;
  const known = new Set(state.meta.queries);
  const names = [...MAIN, ...TABLES.map((t) => t.query)].filter((n) => known.has(n));
  for (const box of document.querySelectorAll('[data-query]')) {
    box.closest('.panel').hidden = !known.has(box.dataset.query);
  }
  for (const group of document.querySelectorAll('section.group')) {
    group.hidden = [...group.querySelectorAll('.panel')].every((panel) => panel.hidden);
  }
  personHeader();
  showFilters(state.view.filters);
  announce('Loading…');
  $('main').setAttribute('aria-busy', 'true');
  let batch;
  try {
    batch = await fetchBatch(names, viewToApiParams(state.view));
  } catch (error) {
    if (generation !== state.generation) return;
    $('main').removeAttribute('aria-busy');
    // One refused parameter is one message, here, not one per panel.
    announce(`This view could not be shown: ${error.message}`);
    clearPanels('Not loaded: see the message at the top.');
    $('range-label').textContent = 'the range asked for could not be used';
    if (error instanceof ApiError && error.status === 401) askForToken();
    return;
  }
  if (generation !== state.generation) return;
  for (const name of names) render(name, batch.results[name], batch.window);
  $('main').removeAttribute('aria-busy');
  state.shown = { ...batch.window };
  $('range-label').textContent = describeRange(state.shown);
  const answers = Object.values(batch.results);
  $('person-unfiltered').hidden = !answers.some((a) => a.unfiltered?.includes('person'));
  const failed = answers.filter((a) => a.error);
  const cached = answers.filter((a) => a.cached).length;
  const totals = batch.results.team_totals;
  showOnboarding(
    state.meta,
    totals && !totals.error && Object.keys(state.view.filters).length === 0 ? totals : null,
  );
  announce(
    failed.length === 0
      ? `Updated ${new Date().toLocaleTimeString()}: ${answers.length} answers, ${cached} from the cache.`
      : `Some parts could not be loaded (${failed.length} of ${answers.length})${
          new Set(failed.map((a) => a.error)).size === 1 ? `: ${failed[0].error}` : '.'
        }`,
  );
  void loadFilterOptions(batch);
}

/** The choices of the filter boxes: everyone in the range, unfiltered (the same answers when no filter is set). */
async function loadFilterOptions(batch) {
  const wanted = ['per_user_activity', 'top_models', 'top_skills'].filter((n) =>
    state.meta.queries.includes(n),
  );
  let results = batch.results;
  if (Object.keys(state.view.filters).length > 0) {
    try {
      results = (await fetchBatch(wanted, viewToApiParams({ ...state.view, filters: {} }))).results;
    } catch {
      return;
    }
  }
  fillFilterOptions(results, state.view.filters);
}

function syncForm() {
  const r = state.view.range;
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

function filtersFromForm() {
  const filters = {};
  for (const name of FILTERS) {
    const value = $(`filter-${name}`)?.value;
    if (value) filters[name] = value;
  }
  return filters;
}

function apply(view) {
  state.view = view;
  window.history.pushState(null, '', viewToAddress(view));
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
      if (range) void apply({ ...state.view, range });
    });
  }
  $('range-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const range = rangeFromForm();
    if (!range) {
      announce('Pick both a first and a last day for a custom range.');
      return;
    }
    void apply({ ...state.view, range, filters: filtersFromForm() });
  });
  for (const name of FILTERS) {
    $(`filter-${name}`)?.addEventListener('change', () => {
      void apply({ ...state.view, filters: filtersFromForm() });
    });
  }
  // Links to a person, model or skill stay on the page: same view, one more filter.
  document.addEventListener('click', (event) => {
    const link = event.target.closest?.('a[href^="?"]');
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    const view = viewFromAddress(link.getAttribute('href'), {
      days: state.meta.defaultDays,
      timeZone: state.meta.timeZone,
    });
    void apply(view).then(() => window.scrollTo(0, 0));
  });
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    setToken($('token').value.trim());
    $('token-form').hidden = true;
    void start();
  });
  window.addEventListener('popstate', () => {
    state.view = viewFromAddress(window.location.search, {
      days: state.meta.defaultDays,
      timeZone: state.meta.timeZone,
    });
    syncForm();
    void refresh();
  });
}

function fillTimeZones() {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  $('tz-list').replaceChildren(
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
  state.view = viewFromAddress(window.location.search, {
    days: state.meta.defaultDays,
    timeZone: state.meta.timeZone,
  });
  syncForm();
  await refresh();
}

// "How to read this" starts open on a wide screen, closed on a phone (the totals come first).
$('how-to-read').open = window.matchMedia('(min-width: 700px)').matches;
adoptTokenFromAddress();
fillTimeZones();
wireForm();
wireCsvDownloads();
void start();
