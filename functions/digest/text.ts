import { title } from './compose.ts';
import { formatCount, formatUsd } from './format.ts';
import type { MessagePart } from './message-parts.ts';
import { clip, MAX_FALLBACK_CHARS } from './slack-limits.ts';
import type { Digest } from './types.ts';

/**
 * Message parts as one mrkdwn text, ready to paste into Slack: what `digest --format text` prints
 * and what the golden test keeps. No length limits apply here; the whole digest is shown.
 */
export function toText(parts: readonly MessagePart[]): string {
  return parts
    .map((part) => {
      if (part.type === 'header') return `*${part.text}*`;
      if (part.type === 'divider') return null;
      return part.text;
    })
    .filter((line): line is string => line !== null)
    .join('\n\n');
}

/**
 * The short `text` of chat.postMessage, shown in notifications and where blocks cannot be drawn:
 *   'Claude Code weekly digest, Mon 5 Jan – Sun 11 Jan 2026: 14 people, 212 sessions, ...'
 */
export function fallbackText(digest: Digest): string {
  const t = digest.totals;
  const head = `${title(digest)}, ${digest.period.label}`;
  if (digest.empty) return clip(`${head}: no Claude Code activity in this window.`, MAX_FALLBACK_CHARS);
  return clip(
    `${head}: ${formatCount(t.activeUsers.value)} people, ${formatCount(t.sessions.value)} sessions, ` +
      `${formatCount(t.messages.value)} messages, ${formatUsd(t.costUsd.value)} API-equivalent.`,
    MAX_FALLBACK_CHARS,
  );
}
