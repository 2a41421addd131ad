// Tables from query results: a caption, one header per column, numbers right-aligned and
// formatted by format.js. A sortable table has a button in each heading; the sorted heading
// carries aria-sort (ascending/descending) and the others none, as ARIA asks.

import { columnLabel, formatValue, isNumericColumn, valueKind } from './format.js';

function el(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function compare(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1; // NULLs last in both directions
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** Rows sorted by one column; NULLs go last whichever the direction. */
export function sortRows(rows, column, direction) {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((x, y) => {
    const a = x[column];
    const b = y[column];
    if (a === null || a === undefined || b === null || b === undefined) return compare(a, b);
    return sign * compare(a, b);
  });
}

/**
 * Renders `result` ({ columns, rows }) into `container`. A column may carry its own `label` and
 * `kind` (see format.js valueKind) to override what its name suggests.
 * options: caption (text), sortable (bool), sort ({ column, direction }), onSort(column, direction),
 * captionHidden (the caption only for screen readers, when a heading already says it), emptyText,
 * id (table id, for tests and links), formatCell(row, column) (text, or undefined for
 * the default), limit (rows shown before a "Show all" button), cellHref(row, column) (a link for
 * the cell, e.g. a person's page, or undefined), csvHref (a "Download CSV" link under the table),
 * note (a line under the table, e.g. which filter this table ignores).
 */
export function renderTable(container, result, options = {}) {
  const columns = result.columns;
  const kinds = Object.fromEntries(columns.map((c) => [c.name, c.kind ?? valueKind(c)]));
  const rows = options.sort
    ? sortRows(result.rows, options.sort.column, options.sort.direction)
    : result.rows;

  const table = el('table');
  if (options.id) table.id = options.id;
  if (options.caption) {
    table.append(el('caption', options.captionHidden ? { class: 'visually-hidden' } : {}, options.caption));
  }
  const headRow = el('tr');
  for (const column of columns) {
    const th = el('th', { scope: 'col', 'data-column': column.name });
    if (isNumericColumn(column)) th.className = 'num';
    if (column.title) th.title = column.title;
    const label = column.label ?? columnLabel(column.name);
    if (options.sortable) {
      const sorted = options.sort?.column === column.name ? options.sort.direction : null;
      if (sorted) th.setAttribute('aria-sort', sorted);
      const button = el('button', { type: 'button' });
      button.append(
        label,
        el(
          'span',
          { class: 'sort-mark', 'aria-hidden': 'true' },
          sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : '↕',
        ),
      );
      button.addEventListener('click', () => {
        const next =
          sorted === 'descending'
            ? 'ascending'
            : sorted === 'ascending'
              ? 'descending'
              : isNumericColumn(column)
                ? 'descending'
                : 'ascending';
        options.onSort?.(column.name, next);
      });
      th.append(button);
    } else th.textContent = label;
    headRow.append(th);
  }
  table.append(el('thead'), el('tbody'));
  table.tHead.append(headRow);

  const shown = options.limit && !options.showAll ? rows.slice(0, options.limit) : rows;
  for (const row of shown) {
    const tr = el('tr');
    columns.forEach((column, i) => {
      const value = row[column.name];
      const text = options.formatCell?.(row, column) ?? formatValue(value, kinds[column.name]);
      const href = value === null || value === undefined ? undefined : options.cellHref?.(row, column);
      const cell = el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, href ? undefined : text);
      if (href) cell.append(el('a', { href }, text));
      cell.dataset.column = column.name;
      if (isNumericColumn(column)) cell.classList.add('num');
      tr.append(cell);
    });
    table.tBodies[0].append(tr);
  }
  if (rows.length === 0) {
    const tr = el('tr');
    tr.append(
      el(
        'td',
        { colspan: String(columns.length), class: 'empty' },
        options.emptyText ?? 'Nothing in this range.',
      ),
    );
    table.tBodies[0].append(tr);
  }

  const region = el('div', { class: 'table-scroll', role: 'region', tabindex: '0' });
  if (options.caption) region.setAttribute('aria-label', options.caption);
  region.append(table);
  container.replaceChildren(region);
  const below = el('p', { class: 'table-foot' });
  if (options.note) below.append(el('span', { class: 'filter-note' }, options.note));
  if (options.csvHref) {
    below.append(el('a', { class: 'csv', href: options.csvHref, download: '' }, 'Download CSV'));
  }
  if (below.childNodes.length > 0) container.append(below);
  if (shown.length < rows.length) {
    const more = el('button', { type: 'button', class: 'show-all' }, `Show all ${rows.length} rows`);
    more.addEventListener('click', () => {
      renderTable(container, result, { ...options, showAll: true });
      // Move focus to the first row that was hidden, so keyboard users continue where they were.
      const first = container.querySelector(`tbody tr:nth-child(${shown.length + 1}) th`);
      first?.setAttribute('tabindex', '-1');
      first?.focus();
    });
    container.append(more);
  }
  return table;
}
