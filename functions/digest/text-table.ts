/**
 * Monospace tables for code blocks: columns padded to their widest cell, numbers right-aligned.
 *
 *   renderTable([{ header: 'skill' }, { header: 'uses', align: 'right' }], [['create-pr', '42']])
 *   -> ['skill      uses', 'create-pr    42']
 */
export interface TableColumn {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

/** Width as Slack shows it: an escaped `&lt;`, `&gt;` or `&amp;` (mrkdwn.ts) is one character. */
export function visibleLength(cell: string): number {
  return cell.replace(/&(?:lt|gt|amp);/g, '&').length;
}

export function renderTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[]): string[] {
  const widths = columns.map((c, i) =>
    Math.max(visibleLength(c.header), ...rows.map((r) => visibleLength(r[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(cell)));
        return c.align === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}

/** Widest table line a phone shows in a Slack code block without wrapping. */
export const PHONE_WIDTH = 34;

/** A cell cut to `width` visible characters with `…` (never inside an `&amp;` entity). */
function clipCell(cell: string, width: number): string {
  if (visibleLength(cell) <= width) return cell;
  const chars = cell.match(/&(?:lt|gt|amp);|[\s\S]/gu) ?? [];
  return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/**
 * `renderTable` within `maxWidth` characters a line: while too wide, the widest left-aligned
 * (name) column is cut with `…`, one character at a time; numbers are never cut.
 *
 *   fitTable([{ header: 'skill' }, { header: 'uses', align: 'right' }], [['a-very-long-skill', '4']], 12)
 *   -> ['skill   uses', 'a-ver…     4']
 */
export function fitTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  maxWidth: number = PHONE_WIDTH,
): string[] {
  const cells = rows.map((r) => [...r]);
  const widthOf = (i: number) =>
    Math.max(visibleLength(columns[i]!.header), ...cells.map((r) => visibleLength(r[i] ?? '')));
  const total = () => columns.reduce((sum, _c, i) => sum + widthOf(i), 0) + 2 * (columns.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    columns.forEach((c, i) => {
      if (
        c.align !== 'right' &&
        widthOf(i) > visibleLength(c.header) &&
        (widest < 0 || widthOf(i) > widthOf(widest))
      )
        widest = i;
    });
    if (widest < 0) break; // only numbers and headers left: nothing more to cut
    const target = widthOf(widest) - 1;
    for (const row of cells) row[widest] = clipCell(row[widest] ?? '', target);
  }
  return renderTable(columns, cells);
}
