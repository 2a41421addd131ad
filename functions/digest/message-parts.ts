import { clip, MAX_SECTION_CHARS } from './slack-limits.ts';
import { fitTable, PHONE_WIDTH, type TableColumn } from './text-table.ts';

/**
 * A digest message as a list of parts, drawn as Block Kit blocks (blocks.ts) or as mrkdwn text
 * (text.ts). Every section's text is already within Slack's 3000 characters when made here.
 */
export type MessagePart =
  | { readonly type: 'header'; readonly text: string }
  | { readonly type: 'context'; readonly text: string }
  | { readonly type: 'section'; readonly text: string }
  | { readonly type: 'divider' };

export const header = (text: string): MessagePart => ({ type: 'header', text });
export const context = (text: string): MessagePart => ({ type: 'context', text });
export const divider = (): MessagePart => ({ type: 'divider' });
export const section = (text: string): MessagePart => ({
  type: 'section',
  text: clip(text, MAX_SECTION_CHARS),
});

export interface TableSectionOptions {
  /** Bold title line, mrkdwn. */
  readonly title: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly (readonly string[])[];
  /** Rows shown at most; the rest are counted in "+N more". */
  readonly maxRows: number;
  /** What the rows are, plural, for "+N more skill × person pairs". */
  readonly noun: string;
  /** A line after the table (mrkdwn). */
  readonly note?: string;
  readonly maxChars?: number;
  /** Widest line of the table (default: what a phone shows without wrapping). */
  readonly maxWidth?: number;
}

/**
 * A titled monospace table cut to `maxRows`, to the section limit and to a phone's width (names
 * cut with `…`, see fitTable), ending in `+N more <noun>` when rows were left out:
 *
 *   *Who used which skills*
 *   ```
 *   skill      person  uses
 *   create-pr  kasama    42
 *   ```
 *   _+3 more skill × person pairs_
 */
export function tableSection(options: TableSectionOptions): MessagePart {
  const maxChars = options.maxChars ?? MAX_SECTION_CHARS;
  const draw = (shown: number) => {
    const hidden = options.rows.length - shown;
    const lines = fitTable(options.columns, options.rows.slice(0, shown), options.maxWidth ?? PHONE_WIDTH);
    return [
      options.title,
      `\`\`\`\n${lines.join('\n')}\n\`\`\``,
      ...(hidden > 0 ? [`_+${hidden} more ${options.noun}_`] : []),
      ...(options.note ? [options.note] : []),
    ].join('\n');
  };
  let shown = Math.min(options.rows.length, options.maxRows);
  let text = draw(shown);
  while (text.length > maxChars && shown > 0) {
    shown -= 1;
    text = draw(shown);
  }
  return section(text);
}

/**
 * Splits mrkdwn written elsewhere into section-sized pieces, at blank lines where it can, then at
 * line breaks, and cuts a single over-long line.
 */
export function splitIntoSections(text: string, maxChars = MAX_SECTION_CHARS): string[] {
  const pieces: string[] = [];
  let current = '';
  const push = (piece: string, separator: string) => {
    if (current === '') current = piece;
    else if (current.length + separator.length + piece.length <= maxChars) current += separator + piece;
    else {
      pieces.push(current);
      current = piece;
    }
  };
  for (const paragraph of text.trim().split(/\n\s*\n/)) {
    if (paragraph.length <= maxChars) push(paragraph, '\n\n');
    else {
      paragraph.split('\n').forEach((line, i) => {
        push(clip(line, maxChars), i === 0 ? '\n\n' : '\n');
      });
    }
  }
  if (current !== '') pieces.push(current);
  return pieces;
}
