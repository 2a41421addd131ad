/**
 * Unwraps an OTLP AnyValue into a primitive. Arrays, kvlists and bytes stay objects, which the
 * coercion turns into null: the lake keeps scalars only.
 *
 *   { stringValue: 'x' } -> 'x'     { intValue: '3' } -> '3'     { boolValue: true } -> true
 *   'x' -> 'x' (already flat, as CloudWatch stores it)
 */
export function unwrapAnyValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return v.intValue;
  if ('doubleValue' in v) return v.doubleValue;
  if ('boolValue' in v) return v.boolValue;
  return value;
}

/**
 * OTLP attributes as a list (`[{ key, value: AnyValue }]`) or already a flat map, as a map.
 * Uses a null-prototype object so keys like `__proto__` stay plain data.
 */
export function toAttributeMap(attributes: unknown): Record<string, unknown> {
  const map: Record<string, unknown> = Object.create(null);
  if (Array.isArray(attributes)) {
    for (const kv of attributes) {
      if (kv !== null && typeof kv === 'object' && typeof (kv as { key?: unknown }).key === 'string') {
        map[(kv as { key: string }).key] = (kv as { value?: unknown }).value;
      }
    }
    return map;
  }
  if (attributes !== null && typeof attributes === 'object') return attributes as Record<string, unknown>;
  return map;
}
