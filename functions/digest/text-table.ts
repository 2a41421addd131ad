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

export function renderTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[]): string[] {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        const width = widths[i] ?? 0;
        return c.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}
