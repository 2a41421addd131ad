/**
 * The one shape every decoder produces and the allowlist reads: an OTLP LogRecord with its
 * resource, whatever encoding it arrived in (CloudWatch stored JSON, OTLP JSON, OTLP protobuf).
 *
 * Values stay as they arrived (a primitive or an OTLP AnyValue object); the allowlist unwraps
 * and coerces only the keys it keeps, so nothing else is ever touched.
 */
export type AttributeMap = Readonly<Record<string, unknown>>;

export interface LogRecordInput {
  /** `claude_code.api_request`, or an AnyValue `{ stringValue }`. */
  readonly body: unknown;
  readonly attributes: AttributeMap;
  readonly resource: AttributeMap;
  /** Instrumentation scope name when the encoding carries it. */
  readonly scopeName: string | null;
  /** The record's own time (`timeUnixNano`, else `observedTimeUnixNano`), epoch ms. */
  readonly timeMs: number | null;
}

/** What the transport knows about one event, apart from the record itself. */
export interface EventEnvelope {
  /** CloudWatch Logs event id, for error reports; the stored `event_id` is schema/event-key.ts. */
  readonly id?: string;
  /** CloudWatch ingestion timestamp or local receive time, epoch ms. */
  readonly timestampMs: number | null;
}
