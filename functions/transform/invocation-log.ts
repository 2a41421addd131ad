import type { DroppedKeyCounter } from '../schema/dropped-keys.ts';
import type { FailReason, RecordOutcome } from './outcome.ts';
import type { EventMiss, RecordResult } from './transform-record.ts';

/** The `message` of the invocation log line; the stack's failed-records metric filter keys on it. */
export const INVOCATION_LOG_MESSAGE = 'claude-otel-lake transform';

/** Longest list of event ids (or failed record ids) the log line carries; the counts are exact. */
export const MAX_LOGGED_IDS = 50;

/**
 * The one structured log line per invocation. Counts, sizes, ids and key names only: never a
 * value, a message or an error text. Invariants:
 * `records.in = ok + dropped + failed` and `events.in = rows + skipped + rejected + deferred`
 * (deferred: events of re-ingested records, counted when they come back).
 *
 *   {"message":"claude-otel-lake transform","invocationId":"…","records":{"in":2,"ok":1,"dropped":1,
 *    "failed":0,"reingested":0,"split":0},"events":{"in":5,"rows":4,"skipped":1,"rejected":0,
 *    "deferred":0},"skippedIds":["3719…"],"rejected":[],"failedRecords":[],"idsOmitted":0,
 *    "bytes":{"in":1024,"messages":4100,"out":2048,"response":2270,"reingested":0},
 *    "reingestCalls":0,"droppedKeys":{"prompt":1},"droppedKeysTotal":1}
 */
export interface InvocationLog {
  readonly message: typeof INVOCATION_LOG_MESSAGE;
  readonly invocationId: string;
  readonly records: {
    readonly in: number;
    readonly ok: number;
    readonly dropped: number;
    readonly failed: number;
    readonly reingested: number;
    readonly split: number;
  };
  readonly events: {
    readonly in: number;
    readonly rows: number;
    readonly skipped: number;
    readonly rejected: number;
    readonly deferred: number;
  };
  readonly skippedIds: readonly string[];
  readonly rejected: readonly EventMiss[];
  readonly failedRecords: readonly {
    readonly recordId: string;
    readonly reason: FailReason;
    readonly error?: string;
  }[];
  /** Ids left out of the three lists above because of MAX_LOGGED_IDS. */
  readonly idsOmitted: number;
  readonly bytes: {
    /** Base64 characters of the input records' data. */
    readonly in: number;
    /** Characters of the decoded CloudWatch log messages (the decompressed input). */
    readonly messages: number;
    /** Base64 characters of the output data. */
    readonly out: number;
    /** The response's JSON size. */
    readonly response: number;
    /** Bytes put back into the stream. */
    readonly reingested: number;
  };
  readonly reingestCalls: number;
  /** Dropped attribute keys by (safe) name, over every event examined, deferred ones included. */
  readonly droppedKeys: Readonly<Record<string, number>>;
  readonly droppedKeysTotal: number;
  /** Event names the schema does not know (schema drift), by name; they still became rows. */
  readonly unknownEvents: Readonly<Record<string, number>>;
}

/** One record as the log sees it: its first-pass result, its final outcome, and whether it was deferred. */
export interface LoggedRecord {
  readonly recordId: string;
  readonly inputChars: number;
  readonly result: RecordResult;
  readonly final: RecordOutcome;
  readonly deferred: 'reingested' | 'split' | null;
}

export function invocationLog(
  invocationId: string,
  records: readonly LoggedRecord[],
  extra: {
    responseBytes: number;
    reingestedBytes: number;
    reingestCalls: number;
    dropped: DroppedKeyCounter;
    unknownEvents?: DroppedKeyCounter;
  },
): InvocationLog {
  const r = { in: records.length, ok: 0, dropped: 0, failed: 0, reingested: 0, split: 0 };
  const e = { in: 0, rows: 0, skipped: 0, rejected: 0, deferred: 0 };
  const bytes = {
    in: 0,
    messages: 0,
    out: 0,
    response: extra.responseBytes,
    reingested: extra.reingestedBytes,
  };
  const skippedIds: string[] = [];
  const rejected: EventMiss[] = [];
  const failedRecords: InvocationLog['failedRecords'][number][] = [];
  let idsOmitted = 0;
  const keep = <T>(list: T[], item: T) => {
    if (list.length < MAX_LOGGED_IDS) list.push(item);
    else idsOmitted++;
  };
  for (const { recordId, inputChars, result, final, deferred } of records) {
    r[final.kind]++;
    bytes.in += inputChars;
    bytes.messages += result.messageChars;
    e.in += result.events;
    if (final.kind === 'ok') bytes.out += final.data.length;
    if (final.kind === 'failed') {
      keep(
        failedRecords,
        result.errorName
          ? { recordId, reason: final.reason, error: result.errorName }
          : { recordId, reason: final.reason },
      );
    }
    if (deferred) {
      r[deferred]++;
      e.deferred += result.events;
      continue;
    }
    if (final.kind === 'failed' && final.reason === 'output-too-large') {
      // Its events were decoded but none reaches the lake from this record: rejected.
      e.rejected += result.events;
      continue;
    }
    e.rows += result.rows;
    e.skipped += result.skipped.length;
    e.rejected += result.rejected.length;
    for (const miss of result.skipped) keep(skippedIds, miss.id);
    for (const miss of result.rejected) keep(rejected, miss);
  }
  return {
    message: INVOCATION_LOG_MESSAGE,
    invocationId,
    records: r,
    events: e,
    skippedIds,
    rejected,
    failedRecords,
    idsOmitted,
    bytes,
    reingestCalls: extra.reingestCalls,
    droppedKeys: extra.dropped.toJSON(),
    droppedKeysTotal: extra.dropped.total,
    unknownEvents: extra.unknownEvents?.toJSON() ?? {},
  };
}
