import type { MessagePart } from './message-parts.ts';
import {
  clip,
  MAX_BLOCKS,
  MAX_CONTEXT_CHARS,
  MAX_HEADER_CHARS,
  MAX_MESSAGE_CHARS,
  MAX_SECTION_CHARS,
} from './slack-limits.ts';

/**
 * Message parts as Block Kit blocks, within Slack's limits: at most 50 blocks and about 12,000
 * characters in all. When the parts do not fit (only long insights can make them), trailing parts
 * are left out, a context block says how many, and the last part (the footer) is always kept.
 *
 *   toBlocks([header('Digest'), section('*Totals*\n...')])
 *   -> [{ type: 'header', text: { type: 'plain_text', text: 'Digest', emoji: true } },
 *       { type: 'section', text: { type: 'mrkdwn', text: '*Totals*\n...' } }]
 */
export type Block =
  | { readonly type: 'header'; readonly text: { type: 'plain_text'; text: string; emoji: true } }
  | { readonly type: 'context'; readonly elements: readonly [{ type: 'mrkdwn'; text: string }] }
  | { readonly type: 'section'; readonly text: { type: 'mrkdwn'; text: string } }
  | { readonly type: 'divider' };

export function toBlock(part: MessagePart): Block {
  switch (part.type) {
    case 'header':
      return {
        type: 'header',
        text: { type: 'plain_text', text: clip(part.text, MAX_HEADER_CHARS), emoji: true },
      };
    case 'context':
      return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(part.text, MAX_CONTEXT_CHARS) }] };
    case 'section':
      return { type: 'section', text: { type: 'mrkdwn', text: clip(part.text, MAX_SECTION_CHARS) } };
    case 'divider':
      return { type: 'divider' };
  }
}

/** Characters of text a block carries. */
export function blockChars(block: Block): number {
  switch (block.type) {
    case 'header':
    case 'section':
      return block.text.text.length;
    case 'context':
      return block.elements[0].text.length;
    case 'divider':
      return 0;
  }
}

export interface BlockLimits {
  readonly maxBlocks: number;
  readonly maxChars: number;
}

export function toBlocks(
  parts: readonly MessagePart[],
  limits: BlockLimits = { maxBlocks: MAX_BLOCKS, maxChars: MAX_MESSAGE_CHARS },
): Block[] {
  const blocks = parts.map(toBlock);
  const total = blocks.reduce((sum, b) => sum + blockChars(b), 0);
  if (blocks.length <= limits.maxBlocks && total <= limits.maxChars) return blocks;

  const last = blocks[blocks.length - 1]!;
  const body = blocks.slice(0, -1);
  const notice = (n: number): Block => ({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `_+${n} more ${n === 1 ? 'part' : 'parts'} did not fit in one Slack message; \`digest --format text\` prints everything._`,
      },
    ],
  });
  const reserveChars = blockChars(last) + blockChars(notice(999_999));
  const kept: Block[] = [];
  let chars = 0;
  for (const block of body) {
    // Room for this block, the notice and the last block.
    if (kept.length + 3 > limits.maxBlocks || chars + blockChars(block) + reserveChars > limits.maxChars)
      break;
    kept.push(block);
    chars += blockChars(block);
  }
  // A trailing divider before the notice reads oddly.
  while (kept.at(-1)?.type === 'divider') kept.pop();
  const dropped = body.slice(kept.length).filter((b) => b.type !== 'divider').length;
  return [...kept, notice(dropped), last];
}
