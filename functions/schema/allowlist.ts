import { unwrapAnyValue } from '../otlp/any-value.ts';
import type { EventEnvelope, LogRecordInput } from '../otlp/log-record.ts';
import { coerce } from './coerce.ts';
import { COLUMNS, type Column, type Source } from './columns.ts';
import type { DroppedKeyCounter } from './dropped-keys.ts';
import { userIdPseudonymizer } from './email.ts';
import { eventKey } from './event-key.ts';
import { KNOWN_EVENT_NAMES } from './events.ts';
import type { ColumnValue, Row } from './row.ts';
import { extractToolParameters, type ToolParameters } from './tool-parameters.ts';

/**
 * The allowlist: turns one OTLP log record into one row of the schema.
 *
 * Fails closed: only attribute keys named as `attr:` sources in columns.ts are read; every other
 * key (prompts, tool input, ids, paths, anything a future Claude Code adds) is dropped unread and
 * counted by name. `tool_parameters` is read only through tool-parameters.ts.
 */

const defaultPseudonym = userIdPseudonymizer({ mode: 'keep' });

export const CLAUDE_CODE_BODY_PREFIX = 'claude_code.';
export const CLAUDE_CODE_SCOPE = 'com.anthropic.claude_code.events';
const EVENT_NAME = /^[a-z][a-z0-9_.]{0,63}$/;

export type SanitizeOutcome =
  | { readonly kind: 'row'; readonly row: Row }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'rejected'; readonly reason: string };

export type SanitizeMiss = Exclude<SanitizeOutcome, { kind: 'row' }>;

export interface SanitizeOptions {
  /** Applies the deployment's e-mail policy (see email.ts). */
  readonly email: (email: string) => string;
  /** Turns the raw install id (`user.id`) into its stored pseudonym (see email.ts). */
  readonly pseudonym?: (userId: string) => string;
  /** Receives the names of dropped attribute keys. */
  readonly dropped?: DroppedKeyCounter;
  /** Receives the names of events the schema does not know (see events.ts); they still become rows. */
  readonly unknownEvents?: DroppedKeyCounter;
}

/** A string attribute of the record, else of the resource; read only to derive, never stored. */
function derivationInput(record: LogRecordInput, key: string): string | undefined {
  const own = unwrapAnyValue(record.attributes[key]);
  if (typeof own === 'string') return own;
  const shared = unwrapAnyValue(record.resource[key]);
  return typeof shared === 'string' ? shared : undefined;
}

const TASK_NOTIFICATION = '<task-notification>';

/**
 * What kind of prompt a `user_prompt` is, from its text before the text is dropped: a background
 * subagent reports back through a prompt that starts with `<task-notification>`. Redacted text
 * (the default) cannot tell a notification from a typed prompt: null then, unless a slash command.
 */
function promptKindOf(record: LogRecordInput, eventName: string): string | undefined {
  if (eventName !== 'user_prompt') return undefined;
  const text = derivationInput(record, 'prompt') ?? derivationInput(record, 'prompt_text');
  if (text?.trimStart().startsWith(TASK_NOTIFICATION)) return 'task_notification';
  if (derivationInput(record, 'command_name')) return 'command';
  if (text !== undefined && text !== '<REDACTED>') return 'typed';
  return undefined;
}

/**
 * The compiled plan. Hot path: instead of looking every source key up in the record (~55 keyed
 * loads of mostly absent keys per event, megamorphic), each attribute key of the record is looked
 * up once in ATTR_SLOTS while counting the dropped ones; columns then read their sources from
 * slot arrays. Same semantics: per `attr:` source the record's value unless absent or null, else
 * the resource's; the first source that coerces to a value wins.
 */
type CompiledSource =
  | { readonly kind: 'attr'; readonly slot: number; readonly divideBy: number }
  | { readonly kind: 'tool_parameters'; readonly key: string; readonly divideBy: number }
  | {
      readonly kind:
        | 'envelope:id'
        | 'envelope:timestamp'
        | 'record:time'
        | 'record:event_name'
        | 'derived:user_pseudonym'
        | 'derived:prompt_kind';
      readonly divideBy: number;
    };

interface CompiledColumn {
  readonly name: string;
  readonly type: Column['type'];
  readonly sources: readonly CompiledSource[];
  /** The only events that fill the column, when restricted (columns.ts `events`). */
  readonly events: ReadonlySet<string> | undefined;
}

const ATTR_SLOTS = new Map<string, number>();

function compileSource(source: Source, column: Column): CompiledSource {
  const colon = source.indexOf(':');
  const kind = source.slice(0, colon);
  const key = source.slice(colon + 1);
  const divideBy = column.divideBy?.[source] ?? 1;
  switch (kind) {
    case 'attr': {
      let slot = ATTR_SLOTS.get(key);
      if (slot === undefined) {
        slot = ATTR_SLOTS.size;
        ATTR_SLOTS.set(key, slot);
      }
      return { kind: 'attr', slot, divideBy };
    }
    case 'tool_parameters':
      return { kind: 'tool_parameters', key, divideBy };
    case 'envelope':
    case 'record':
    case 'derived': {
      const name = `${kind}:${key}`;
      if (
        name === 'envelope:id' ||
        name === 'envelope:timestamp' ||
        name === 'record:time' ||
        name === 'record:event_name' ||
        name === 'derived:user_pseudonym' ||
        name === 'derived:prompt_kind'
      ) {
        return { kind: name, divideBy };
      }
    }
  }
  throw new Error(`columns.ts names an unknown source "${source}"`);
}

const PLAN: readonly CompiledColumn[] = COLUMNS.map((column: Column) => ({
  name: column.name,
  type: column.type,
  sources: column.sources.map((source) => compileSource(source, column)),
  events: column.events ? new Set(column.events) : undefined,
}));

/** Every attribute key the allowlist reads; all others are dropped. */
export const ALLOWED_ATTRIBUTE_KEYS: ReadonlySet<string> = new Set([
  ...COLUMNS.flatMap((c: Column) => c.sources.filter((s) => s.startsWith('attr:')).map((s) => s.slice(5))),
  'event.name',
  'tool_name',
  'tool_parameters',
]);

/**
 * Every allowed key with its slot, or READ_ELSEWHERE for allowed keys without one (`event.name`,
 * `tool_parameters`: read directly): one lookup per key decides keep, skip or drop.
 */
const READ_ELSEWHERE = -1;
const KEY_SLOTS: ReadonlyMap<string, number> = new Map([
  ...[...ALLOWED_ATTRIBUTE_KEYS].map((key): [string, number] => [key, READ_ELSEWHERE]),
  ...ATTR_SLOTS,
]);

/** The short event name, or why the record is not (or not a valid) Claude Code event. */
function eventNameOf(record: LogRecordInput): SanitizeMiss | string {
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

/**
 * Scratch space for the allowlisted values of the record being sanitized, reused across calls
 * (sanitize is synchronous): a slot holds a value only while its generation is the current one,
 * so nothing needs clearing between records.
 */
const scratch = {
  generation: 0,
  own: new Array<unknown>(ATTR_SLOTS.size).fill(undefined),
  shared: new Array<unknown>(ATTR_SLOTS.size).fill(undefined),
  ownGen: new Array<number>(ATTR_SLOTS.size).fill(0),
  sharedGen: new Array<number>(ATTR_SLOTS.size).fill(0),
};

/** Stores the values of the allowlisted keys of `map`; counts every other key by name. */
function readAttributes(
  map: LogRecordInput['attributes'],
  values: unknown[],
  generations: number[],
  dropped: DroppedKeyCounter | undefined,
): void {
  const generation = scratch.generation;
  for (const key in map) {
    const slot = KEY_SLOTS.get(key);
    if (slot === undefined) dropped?.add(key);
    else if (slot !== READ_ELSEWHERE) {
      values[slot] = map[key];
      generations[slot] = generation;
    }
  }
}

/** The `attr:` source in `slot`: the record's value unless absent or null, else the resource's. */
function attrValue(slot: number): unknown {
  const generation = scratch.generation;
  const own = scratch.ownGen[slot] === generation ? scratch.own[slot] : undefined;
  if (own !== undefined && own !== null) return own;
  return scratch.sharedGen[slot] === generation ? scratch.shared[slot] : undefined;
}

/** Receives the values of one record, column by column in schema order (COLUMNS index). */
export interface ColumnSink {
  add(column: number, value: ColumnValue): void;
}

const EVENT_TIME_COLUMN = COLUMNS.findIndex((c: Column) => c.name === 'event_time');
const USER_EMAIL_COLUMN = COLUMNS.findIndex((c: Column) => c.name === 'user_email');
const COLUMN_NAMES: readonly string[] = COLUMNS.map((c: Column) => c.name);

/**
 * The allowlist itself: hands `sink` every column of the record that has a value (the first of
 * its sources that coerces), in schema order, with the e-mail policy applied; or says why the
 * record is no row. `event_time` comes first: a record without one is rejected before the sink
 * sees anything.
 */
export function sanitizeInto(
  record: LogRecordInput,
  envelope: EventEnvelope,
  options: SanitizeOptions,
  sink: ColumnSink,
): SanitizeMiss | null {
  const eventName = eventNameOf(record);
  if (typeof eventName !== 'string') return eventName;
  if (options.unknownEvents !== undefined && !KNOWN_EVENT_NAMES.has(eventName))
    options.unknownEvents.add(eventName);
  scratch.generation++;
  readAttributes(record.attributes, scratch.own, scratch.ownGen, options.dropped);
  readAttributes(record.resource, scratch.shared, scratch.sharedGen, options.dropped);
  let toolParameters: ToolParameters | undefined;
  for (let column = 0; column < PLAN.length; column++) {
    const { type, sources, events } = PLAN[column]!;
    if (events !== undefined && !events.has(eventName)) continue;
    let found = false;
    for (const source of sources) {
      let raw: unknown;
      switch (source.kind) {
        case 'attr':
          raw = attrValue(source.slot);
          if (raw !== null && typeof raw === 'object') raw = unwrapAnyValue(raw);
          break;
        case 'tool_parameters':
          toolParameters ??= extractToolParameters(
            record.attributes.tool_name,
            record.attributes.tool_parameters,
          );
          raw = toolParameters[source.key];
          break;
        case 'envelope:id':
          // The deterministic de-duplication key, not the transport's id (event-key.ts).
          raw = eventKey(record, eventName, envelope.timestampMs);
          break;
        case 'envelope:timestamp':
          raw = envelope.timestampMs;
          break;
        case 'record:time':
          raw = record.timeMs;
          break;
        case 'record:event_name':
          raw = eventName;
          break;
        case 'derived:user_pseudonym': {
          const userId = derivationInput(record, 'user.id');
          raw = userId ? (options.pseudonym ?? defaultPseudonym)(userId) : undefined;
          break;
        }
        case 'derived:prompt_kind':
          raw = promptKindOf(record, eventName);
          break;
      }
      if (raw === undefined || raw === null) continue;
      let value = coerce(type, raw);
      if (value === null) continue;
      if (source.divideBy !== 1 && typeof value === 'number') value = value / source.divideBy;
      if (column === USER_EMAIL_COLUMN && typeof value === 'string') value = options.email(value);
      sink.add(column, value);
      found = true;
      break;
    }
    if (!found && column === EVENT_TIME_COLUMN) return { kind: 'rejected', reason: 'no valid event time' };
  }
  return null;
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
  const row: Record<string, ColumnValue> = {};
  const miss = sanitizeInto(record, envelope, options, {
    add: (column, value) => {
      row[COLUMN_NAMES[column]!] = value;
    },
  });
  return miss ?? { kind: 'row', row: row as Row };
}
