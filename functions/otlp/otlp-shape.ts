import { canonicalAnyValue, field } from './canonical-value.ts';
import type { AttributeMap } from './log-record.ts';
import { OtlpDecodeError } from './otlp-errors.ts';

/**
 * Reading the decoded shape of an OTLP request (protobufjs objects or OTLP/JSON, camelCase or
 * snake_case), shared by the logs and the metrics decoders. Shape errors are `bad-shape`.
 */

/** `[{ key, value: AnyValue }]` to a null-prototype map of canonical values (last key wins). */
export function attributeMap(attributes: unknown): AttributeMap {
  const map: Record<string, unknown> = Object.create(null);
  if (!Array.isArray(attributes)) return map;
  for (const kv of attributes) {
    if (isObject(kv) && typeof kv.key === 'string') map[kv.key] = canonicalAnyValue(kv.value);
  }
  return map;
}

export function list(o: Record<string, unknown>, camel: string, snake: string): readonly unknown[] {
  const value = field(o, camel, snake);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError('bad-shape', `${camel} is not an array`);
  return value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asObject(value: unknown, message: string): Record<string, unknown> {
  if (!isObject(value)) throw new OtlpDecodeError('bad-shape', message);
  return value;
}
