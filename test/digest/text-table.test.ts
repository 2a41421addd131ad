import { describe, expect, it } from 'vitest';
import { codeCell } from '../../functions/digest/mrkdwn.ts';
import { renderTable, visibleLength } from '../../functions/digest/text-table.ts';

describe('renderTable', () => {
  it('pads to the widest cell, numbers right-aligned', () => {
    expect(
      renderTable(
        [{ header: 'skill' }, { header: 'uses', align: 'right' }],
        [
          ['create-pr', '42'],
          ['x', '7'],
        ],
      ),
    ).toEqual(['skill      uses', 'create-pr    42', 'x             7']);
  });

  it('counts an escaped &, < or > as the one character Slack shows', () => {
    expect(visibleLength(codeCell('a<b>&c'))).toBe(6);
    const lines = renderTable(
      [{ header: 'person' }, { header: 'uses', align: 'right' }],
      [
        [codeCell('r&d'), '3'],
        ['ana', '10'],
      ],
    );
    expect(lines).toEqual(['person  uses', 'r&amp;d        3', 'ana       10']);
    // As shown in Slack (entities decoded), every line of the table has the same width.
    const shown = lines.map((l) => l.replaceAll('&amp;', '&'));
    expect(new Set(shown.map((l) => l.length)).size).toBe(1);
  });
});
