import fc from 'fast-check';

/**
 * Other layouts of a CloudWatch subscription payload than CloudWatch's own compact one, valid
 * JSON or not: a character inserted (structural or tricky text) or deleted anywhere, the end
 * replaced, pretty-printed, `logEvents` first, a key after `logEvents`, a key that ends like
 * `"logEvents` (with an escaped quote) beside the real one.
 */
export interface LayoutMutation {
  readonly kind: string;
  readonly at: number;
  readonly text: string;
}

const tricky = fc.constantFrom('},{"id":"', '"logEvents":[', ']}', '\\', '"', '😀', '\u0000');

export const layoutMutation = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(tricky, fc.constantFrom(' ', '\n', ',', '{', '}', '[', ']')),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), text: fc.constant('') }),
  fc.record({
    kind: fc.constant('replace-end' as const),
    at: fc.nat(),
    text: fc.constantFrom(']', '}', ' ', ',', ']]', '}}'),
  }),
  fc.record({ kind: fc.constant('pretty' as const), at: fc.nat(), text: fc.constant('') }),
  fc.record({ kind: fc.constant('events-first' as const), at: fc.nat(), text: fc.constant('') }),
  fc.record({ kind: fc.constant('key-after' as const), at: fc.nat(), text: fc.constant('') }),
  fc.record({
    kind: fc.constant('lookalike-key' as const),
    at: fc.nat(),
    text: fc.constantFrom('x"logEvents', '"logEvents', 'x\\"logEvents', 'logEvents '),
  }),
);

export function mutateLayout(payload: Record<string, unknown>, m: LayoutMutation): string {
  const text = JSON.stringify(payload);
  switch (m.kind) {
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'delete': {
      const at = m.at % text.length;
      return text.slice(0, at) + text.slice(at + 1);
    }
    case 'replace-end': {
      const cut = 1 + (m.at % 3);
      return text.slice(0, -cut) + m.text;
    }
    case 'pretty':
      return JSON.stringify(payload, null, m.at % 3);
    case 'events-first': {
      const { logEvents, ...rest } = payload;
      return JSON.stringify({ logEvents, ...rest });
    }
    case 'lookalike-key': {
      // a key that ends like `"logEvents` before or after the real one, whose spacing may differ
      const fake = [
        {
          id: '9',
          timestamp: 9,
          message: '{"body":"claude_code.api_request","attributes":{"model":"FAKE"}}',
        },
      ];
      const text = JSON.stringify(m.at % 2 ? { ...payload, [m.text]: fake } : { [m.text]: fake, ...payload });
      return m.at % 4 >= 2 ? text.replace('"logEvents":[', '"logEvents" : [') : text;
    }
    default:
      return JSON.stringify({ ...payload, after: m.at });
  }
}
