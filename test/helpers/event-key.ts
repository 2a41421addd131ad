import { createHash } from 'node:crypto';

/**
 * The event key as README "Durability" specifies it, computed here from the stored message alone
 * (not through the allowlist): sha256 over the record's own time in ms, the event name and the
 * identity attributes, joined by U+001F, first 32 hex digits.
 */
const IDENTITY = [
  'user.id',
  'session.id',
  'event.sequence',
  'prompt.id',
  'message.uuid',
  'tool_use_id',
  'agent_id',
];

const flat = (value: unknown): unknown =>
  value !== null && typeof value === 'object' ? Object.values(value as object)[0] : value;

export function expectedEventKey(message: {
  body: unknown;
  attributes: Record<string, unknown> | { key: string; value: unknown }[];
  timeUnixNano?: string | number;
}): string {
  const attributes: Record<string, unknown> = Array.isArray(message.attributes)
    ? Object.fromEntries(message.attributes.map(({ key, value }) => [key, flat(value)]))
    : Object.fromEntries(Object.entries(message.attributes).map(([k, v]) => [k, flat(v)]));
  const name = String(flat(message.body)).replace(/^claude_code\./, '');
  const time =
    message.timeUnixNano !== undefined
      ? String(Math.trunc(Number(message.timeUnixNano) / 1e6))
      : String(Date.parse(String(attributes['event.timestamp'])));
  const parts = [
    time,
    name,
    ...IDENTITY.map((k) => (attributes[k] === undefined ? '' : String(attributes[k]))),
  ];
  return createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, 32);
}
