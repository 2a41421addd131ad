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
