import { canonicalAnyValue, UNSUPPORTED_VALUE } from '../otlp/canonical-value.ts';
import type { LogRecordInput } from '../otlp/log-record.ts';
import { type DecodedLogs, decodeLogsRequest } from '../otlp/otlp-decode.ts';
import { otlpTypes, TO_OBJECT } from '../otlp/otlp-proto.ts';
import { nanosToMillis } from '../schema/coerce.ts';
import { FIXED64, LENGTH, NOT_MINE, VARINT, WireReader } from './wire-reader.ts';

/**
 * The endpoint's protobuf logs decoder: the body's bytes straight to the records the allowlist
 * reads, the same records as `decodeLogsRequest` (protobufjs decode, `toObject`, normalizer)
 * in one pass and without the two intermediate object trees, which were a third of the
 * endpoint's CPU per event. Same semantics as protobufjs 8 (test/ingest/protobuf-logs.test.ts
 * compares both on generated and hand-made bodies): a known field with another wire type is
 * skipped, an implicit-presence scalar at its default is absent (a later default clears an
 * earlier value), a repeated singular message merges, oneof members are all kept. Whatever this
 * reader is not sure of (see wire-reader.ts) goes to `decodeLogsRequest`, unchanged.
 */
export function decodeProtobufLogs(body: Buffer): DecodedLogs {
  try {
    return decodeOnePass(body);
  } catch {
    // NotMine, or anything unforeseen: protobufjs answers as it always did.
    return decodeLogsRequest('protobuf', body);
  }
}

/** Nesting depth past which protobufjs's own limit (100) is left to protobufjs. */
const MAX_DEPTH = 64;

interface AnyValueState {
  string?: string;
  bool?: boolean;
  int?: number | string;
  double?: number;
  other?: true;
}

const MEMBERS = ['string', 'bool', 'int', 'double', 'other'] as const;

/**
 * Before an AnyValue member is set: a value with two different members (or a body sent twice
 * as two kinds) is left to protobufjs, which keeps the one last on the wire.
 */
function claim(into: AnyValueState, member: (typeof MEMBERS)[number]): void {
  for (const other of MEMBERS) if (other !== member && into[other] !== undefined) throw NOT_MINE;
}

function canonical(v: AnyValueState): unknown {
  if (v.string !== undefined) return v.string;
  if (v.bool !== undefined) return v.bool;
  if (v.int !== undefined) return typeof v.int === 'number' ? v.int : canonicalAnyValue({ intValue: v.int });
  if (v.double !== undefined) return v.double;
  return UNSUPPORTED_VALUE;
}

/** The one-pass decoder alone: throws NotMine where `decodeProtobufLogs` falls back (for tests). */
export function decodeOnePass(body: Buffer): DecodedLogs {
  const r = new WireReader(body);
  const records: LogRecordInput[] = [];
  const spans: number[] = [];
  const end = body.length;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag >>> 3 === 1 && (tag & 7) === LENGTH) resourceLogs(r, r.lengthEnd(end), records, spans);
    else r.skip(tag & 7, end);
  }
  return {
    records,
    raw: records,
    encoding: 'protobuf',
    sizeOf: (index) => {
      // As decodeLogsRequest sizes a record: its protobufjs object, encoded again.
      const { LogRecord } = otlpTypes();
      const bytes = body.subarray(spans[2 * index], spans[2 * index + 1]);
      const object = LogRecord.toObject(LogRecord.decode(bytes), TO_OBJECT);
      return LogRecord.encode(LogRecord.fromObject(object)).finish().length;
    },
  };
}

function resourceLogs(r: WireReader, end: number, records: LogRecordInput[], spans: number[]): void {
  const resource: Record<string, unknown> = Object.create(null);
  while (r.pos < end) {
    const tag = r.varint(end);
    const wire = tag & 7;
    const field = tag >>> 3;
    if (wire !== LENGTH) r.skip(wire, end);
    else if (field === 1) resourceMessage(r, r.lengthEnd(end), resource);
    else if (field === 2) scopeLogs(r, r.lengthEnd(end), resource, records, spans);
    else if (field === 3) r.skipString(end);
    else r.skip(wire, end);
  }
}

function resourceMessage(r: WireReader, end: number, into: Record<string, unknown>): void {
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag >>> 3 === 1 && (tag & 7) === LENGTH) keyValue(r, r.lengthEnd(end), into, 3);
    else r.skip(tag & 7, end);
  }
}

function scopeLogs(
  r: WireReader,
  end: number,
  resource: Record<string, unknown>,
  records: LogRecordInput[],
  spans: number[],
): void {
  const first = records.length;
  const scope: { name?: string } = {};
  while (r.pos < end) {
    const tag = r.varint(end);
    const wire = tag & 7;
    const field = tag >>> 3;
    if (wire !== LENGTH) r.skip(wire, end);
    else if (field === 1) scopeMessage(r, r.lengthEnd(end), scope);
    else if (field === 2) {
      const stop = r.lengthEnd(end);
      spans.push(r.pos, stop);
      records.push(logRecord(r, stop, resource));
    } else if (field === 3) r.skipString(end);
    else r.skip(wire, end);
  }
  // The scope may come after its records on the wire; each record gets the final name.
  const scopeName = scope.name ?? null;
  for (let i = first; i < records.length; i++)
    (records[i] as { scopeName: string | null }).scopeName = scopeName;
}

function scopeMessage(r: WireReader, end: number, scope: { name?: string }): void {
  while (r.pos < end) {
    const tag = r.varint(end);
    const wire = tag & 7;
    const field = tag >>> 3;
    if (field === 1 && wire === LENGTH) {
      const name = r.string(end);
      scope.name = name === '' ? undefined : name;
    } else if (field === 2 && wire === LENGTH) r.skipString(end);
    else if (field === 3 && wire === LENGTH) keyValue(r, r.lengthEnd(end), null, 3);
    else r.skip(wire, end);
  }
}

function logRecord(r: WireReader, end: number, resource: Record<string, unknown>): LogRecordInput {
  const attributes: Record<string, unknown> = Object.create(null);
  let time: string | undefined;
  let observed: string | undefined;
  let body: AnyValueState | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    const wire = tag & 7;
    const field = tag >>> 3;
    if (field === 6 && wire === LENGTH) keyValue(r, r.lengthEnd(end), attributes, 4);
    else if (field === 1 && wire === FIXED64) {
      const t = r.fixed64Text(end);
      time = t === '0' ? undefined : t;
    } else if (field === 11 && wire === FIXED64) {
      const t = r.fixed64Text(end);
      observed = t === '0' ? undefined : t;
    } else if (field === 5 && wire === LENGTH) {
      body ??= {};
      anyValue(r, r.lengthEnd(end), body, 4);
    } else if ((field === 3 || field === 12) && wire === LENGTH) r.skipString(end);
    else r.skip(wire, end);
  }
  return {
    body: body === undefined ? undefined : canonical(body),
    attributes,
    resource,
    scopeName: null,
    timeMs: nanosToMillis(time) ?? nanosToMillis(observed),
  };
}

/** A KeyValue into `into` (null: only checked), as the normalizer's attributeMap keeps it. */
function keyValue(r: WireReader, end: number, into: Record<string, unknown> | null, depth: number): void {
  let key: string | undefined;
  let value: AnyValueState | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    const wire = tag & 7;
    const field = tag >>> 3;
    if (field === 1 && wire === LENGTH) {
      const k = r.string(end);
      key = k === '' ? undefined : k;
    } else if (field === 2 && wire === LENGTH) {
      value ??= {};
      anyValue(r, r.lengthEnd(end), value, depth + 1);
    } else r.skip(wire, end);
  }
  if (into !== null && key !== undefined) into[key] = value === undefined ? undefined : canonical(value);
}

function anyValue(r: WireReader, end: number, into: AnyValueState, depth: number): void {
  if (depth > MAX_DEPTH) throw NOT_MINE;
  while (r.pos < end) {
    const tag = r.varint(end);
    const wire = tag & 7;
    const field = tag >>> 3;
    if (field === 1 && wire === LENGTH) {
      claim(into, 'string');
      into.string = r.string(end);
    } else if (field === 2 && wire === VARINT) {
      claim(into, 'bool');
      const b = r.varint(end);
      if (b > 1) throw NOT_MINE;
      into.bool = b === 1;
    } else if (field === 3 && wire === VARINT) {
      claim(into, 'int');
      into.int = r.int64(end);
    } else if (field === 4 && wire === FIXED64) {
      claim(into, 'double');
      into.double = r.double(end);
    } else if ((field === 5 || field === 6) && wire === LENGTH) {
      claim(into, 'other');
      into.other = true;
      nested(r, r.lengthEnd(end), field === 5, depth + 1);
    } else if (field === 7 && wire === LENGTH) {
      claim(into, 'other');
      into.other = true;
      r.skip(wire, end);
    } else r.skip(wire, end);
  }
}

/** An ArrayValue (or KeyValueList): not kept (the lake stores scalars), but checked as protobufjs does. */
function nested(r: WireReader, end: number, isArray: boolean, depth: number): void {
  if (depth > MAX_DEPTH) throw NOT_MINE;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag >>> 3 === 1 && (tag & 7) === LENGTH) {
      const stop = r.lengthEnd(end);
      if (isArray) anyValue(r, stop, {}, depth + 1);
      else keyValue(r, stop, null, depth + 1);
    } else r.skip(tag & 7, end);
  }
}
