import { COLUMNS, type Column, type Source } from './columns.ts';

/**
 * The allowlist compiled from columns.ts once per process (allowlist.ts runs it per record).
 *
 * The compiled plan. Hot path: instead of looking every source key up in the record (~55 keyed
 * loads of mostly absent keys per event, megamorphic), each attribute key of the record is looked
 * up once in ATTR_SLOTS while counting the dropped ones; columns then read their sources from
 * slot arrays. Same semantics: per `attr:` source the record's value unless absent or null, else
 * the resource's; the first source that coerces to a value wins.
 */
export type CompiledSource =
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

export interface CompiledColumn {
  readonly name: string;
  readonly type: Column['type'];
  readonly sources: readonly CompiledSource[];
  /** The only events that fill the column, when restricted (columns.ts `events`). */
  readonly events: ReadonlySet<string> | undefined;
}

/** Slot of each attribute key that a column reads. */
export const ATTR_SLOTS = new Map<string, number>();

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

export const PLAN: readonly CompiledColumn[] = COLUMNS.map((column: Column) => ({
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
export const READ_ELSEWHERE = -1;
export const KEY_SLOTS: ReadonlyMap<string, number> = new Map([
  ...[...ALLOWED_ATTRIBUTE_KEYS].map((key): [string, number] => [key, READ_ELSEWHERE]),
  ...ATTR_SLOTS,
]);
