import { toBlocks } from './blocks.ts';
import { composeDigest } from './compose.ts';
import type { SlackMessage } from './slack-post.ts';
import { fallbackText, toText } from './text.ts';
import type { Digest } from './types.ts';

/**
 * The three outputs of one digest, all drawn from the same model:
 *   slack -> { text, blocks } for chat.postMessage (within Slack's limits)
 *   text  -> the whole message as mrkdwn, ready to paste
 *   json  -> the model itself, for other tools
 */
export type DigestFormat = 'slack' | 'text' | 'json';

export const DIGEST_FORMATS: readonly DigestFormat[] = ['slack', 'text', 'json'];

export function slackMessage(digest: Digest): SlackMessage {
  return { text: fallbackText(digest), blocks: toBlocks(composeDigest(digest)) };
}

export function renderDigest(digest: Digest, format: DigestFormat): string {
  switch (format) {
    case 'slack':
      return JSON.stringify(slackMessage(digest), null, 2);
    case 'text':
      return toText(composeDigest(digest));
    case 'json':
      return JSON.stringify(digest, null, 2);
  }
}
