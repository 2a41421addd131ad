/**
 * Slack's limits for a message's blocks, as documented for Block Kit
 * (https://docs.slack.dev/reference/block-kit/blocks): at most 50 blocks in a message, 3000
 * characters in a section's text, 150 in a header's plain text.
 *
 * `MAX_MESSAGE_CHARS` is not documented: Slack answers `msg_blocks_too_long` for messages whose
 * blocks hold about 13,000 characters in total although every single block is within its limit
 * (slackapi/bolt-js#2509). The digest keeps well below that.
 */
export const MAX_BLOCKS = 50;
export const MAX_SECTION_CHARS = 3000;
export const MAX_HEADER_CHARS = 150;
export const MAX_CONTEXT_CHARS = 3000;
export const MAX_MESSAGE_CHARS = 12_000;
/** The `text` fallback shown in notifications; Slack truncates beyond 40,000, 4,000 is advised. */
export const MAX_FALLBACK_CHARS = 4000;

/** Cuts `text` to `max` characters, ending in an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
