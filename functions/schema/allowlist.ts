import { unwrapAnyValue } from '../otlp/any-value.ts';
import type { EventEnvelope, LogRecordInput } from '../otlp/log-record.ts';
import { coerce } from './coerce.ts';
import { COLUMNS, type Column, type Source } from './columns.ts';
import type { DroppedKeyCounter } from './dropped-keys.ts';
import type { Row } from './row.ts';
import { extractToolParameters, type ToolParameters } from './tool-parameters.ts';

/**
 * The allowlist: turns one OTLP log record into one row of the schema.
 *
 * Fails closed: only attribute keys named as `attr:` sources in columns.ts are read; every other
 * key (prompts, tool input, ids, paths, anything a future Claude Code adds) is dropped unread and
 * counted by name. `tool_parameters` is read only through tool-parameters.ts.
 */

export const CLAUDE_CODE_BODY_PREFIX = 'claude_code.';
export const CLAUDE_CODE_SCOPE = 'com.anthropic.claude_code.events';
const EVENT_NAME = /^[a-z][a-z0-9_.]{0,63}$/;

export type SanitizeOutcome =
  | { readonly kind: 'row'; readonly row: Row }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'rejected'; readonly reason: string };

export interface SanitizeOptions {
  /** Applies the deployment's e-mail policy (see email.ts). */
  readonly email: (email: string) => string;
  /** Receives the names of dropped attribute keys. */
  readonly dropped?: DroppedKeyCounter;
}

type Reader = (ctx: ReadContext) => unknown;

interface ReadContext {
  readonly record: LogRecordInput;
  readonly envelope: EventEnvelope;
  readonly eventName: string;
  toolParameters: ToolParameters | undefined;
}

interface CompiledColumn {
  readonly name: string;
  readonly column: Column;
  readonly readers: readonly { readonly read: Reader; readonly divideBy: number }[];
}

function readerFor(source: Source): Reader {
  const colon = source.indexOf(':');
  const kind = source.slice(0, colon);
  const key = source.slice(colon + 1);
  switch (kind) {
    case 'attr':
      return ({ record }) => {
        const own = record.attributes[key];
        return unwrapAnyValue(own !== undefined && own !== null ? own : record.resource[key]);
      };
    case 'tool_parameters':
      return (ctx) => {
        ctx.toolParameters ??= extractToolParameters(
          ctx.record.attributes.tool_name,
          ctx.record.attributes.tool_parameters,
        );
        return ctx.toolParameters[key];
      };
    case 'envelope':
      if (key === 'id') return ({ envelope }) => envelope.id;
      if (key === 'timestamp') return ({ envelope }) => envelope.timestampMs;
      break;
    case 'record':
      if (key === 'time') return ({ record }) => record.timeMs;
      if (key === 'event_name') return ({ eventName }) => eventName;
      break;
  }
  throw new Error(`columns.ts names an unknown source "${source}"`);
}

const PLAN: readonly CompiledColumn[] = COLUMNS.map((column: Column) => ({
  name: column.name,
  column,
  readers: column.sources.map((source) => ({
    read: readerFor(source),
    divideBy: column.divideBy?.[source] ?? 1,
  })),
}));

/** Every attribute key the allowlist reads; all others are dropped. */
export const ALLOWED_ATTRIBUTE_KEYS: ReadonlySet<string> = new Set([
  ...COLUMNS.flatMap((c: Column) => c.sources.filter((s) => s.startsWith('attr:')).map((s) => s.slice(5))),
  'event.name',
  'tool_name',
  'tool_parameters',
]);

/** The short event name, or why the record is not (or not a valid) Claude Code event. */
function eventNameOf(record: LogRecordInput): SanitizeOutcome | string {
  const body = unwrapAnyValue(record.body);
  let name: unknown;
  if (typeof body === 'string' && body.startsWith(CLAUDE_CODE_BODY_PREFIX)) {
    name = body.slice(CLAUDE_CODE_BODY_PREFIX.length);
  } else if (record.scopeName === CLAUDE_CODE_SCOPE) {
    name = unwrapAnyValue(record.attributes['event.name']);
  } else {
    return { kind: 'skipped', reason: 'not a Claude Code event' };
  }
  if (typeof name !== 'string' || !EVENT_NAME.test(name)) {
    return { kind: 'rejected', reason: 'invalid event name' };
  }
  return name;
}

function countDropped(map: LogRecordInput['attributes'], dropped: DroppedKeyCounter): void {
  for (const key in map) {
    if (!ALLOWED_ATTRIBUTE_KEYS.has(key)) dropped.add(key);
  }
}

/**
 * One record to one sparse row, or a skip/reject with a reason (never with content).
 *
 *   sanitize({ body: 'claude_code.api_request', attributes: { model: 'claude-x', cost_usd: '0.5',
 *     prompt: 'secret' }, resource: { 'service.name': 'claude-code' }, ... }, { id: '1', ... }, opts)
 *   -> { kind: 'row', row: { event_name: 'api_request', event_id: '1', service_name: 'claude-code',
 *        model: 'claude-x', cost_usd: 0.5 } }
 */
export function sanitize(
  record: LogRecordInput,
  envelope: EventEnvelope,
  options: SanitizeOptions,
): SanitizeOutcome {
  const eventName = eventNameOf(record);
  if (typeof eventName !== 'string') return eventName;
  if (options.dropped) {
    countDropped(record.attributes, options.dropped);
    countDropped(record.resource, options.dropped);
  }
  const ctx: ReadContext = { record, envelope, eventName, toolParameters: undefined };
  const row: Record<string, unknown> = {};
  for (const { name, column, readers } of PLAN) {
    for (const { read, divideBy } of readers) {
      const raw = read(ctx);
      if (raw === undefined || raw === null) continue;
      let value = coerce(column.type, raw);
      if (value === null) continue;
      if (divideBy !== 1 && typeof value === 'number') value = value / divideBy;
      row[name] = value;
      break;
    }
  }
  if (typeof row.user_email === 'string') row.user_email = options.email(row.user_email);
  if (row.event_time === undefined) return { kind: 'rejected', reason: 'no valid event time' };
  return { kind: 'row', row: row as Row };
}
