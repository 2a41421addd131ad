/**
 * One canonical form for an OTLP AnyValue, whichever encoding it came from, so that protobuf and
 * JSON requests give identical rows:
 *
 *   { stringValue: 'x' } -> 'x'              { boolValue: false } -> false
 *   { intValue: '3' } (protobuf, JSON spec) -> 3      { intValue: 3 } (OTel JS JSON exporter) -> 3
 *   { intValue: '9007199254740993' } -> '9007199254740993' (beyond 2^53 stays exact text)
 *   { doubleValue: 'NaN' } (JSON) -> NaN     { doubleValue: 0.5 } -> 0.5
 *   { bytesValue | arrayValue | kvlistValue } -> an empty marker object: the lake keeps scalars
 *   only, so the content is not carried any further.
 *
 * Both lowerCamelCase and the proto field names (`string_value`) are read, as protobuf's JSON
 * mapping allows. A value that is already flat (a primitive) is returned as is.
 */
export const UNSUPPORTED_VALUE: Readonly<Record<string, never>> = Object.freeze({});

const SAFE_INTEGER_TEXT = /^-?\d{1,16}$/;

export function canonicalAnyValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  let x = field(v, 'stringValue', 'string_value');
  if (x !== undefined) return x;
  x = field(v, 'boolValue', 'bool_value');
  if (x !== undefined) return x;
  x = field(v, 'intValue', 'int_value');
  if (x !== undefined) return canonicalInteger(x);
  x = field(v, 'doubleValue', 'double_value');
  if (x !== undefined) return typeof x === 'string' ? Number(x) : x;
  return UNSUPPORTED_VALUE;
}

function canonicalInteger(x: unknown): unknown {
  if (typeof x === 'string' && SAFE_INTEGER_TEXT.test(x)) {
    const n = Number(x);
    return Number.isSafeInteger(n) ? n : x;
  }
  return x;
}

/** A field by its JSON name or its proto name; undefined when absent or null. */
export function field(o: Record<string, unknown>, camel: string, snake: string): unknown {
  const a = o[camel];
  if (a !== undefined && a !== null) return a;
  const b = o[snake];
  return b === null ? undefined : b;
}
