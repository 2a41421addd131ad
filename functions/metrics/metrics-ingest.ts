import type { ErrorsLog } from '../lake/errors-log.ts';
import type { FlushResult } from '../lake/flush-segment.ts';
import { LakeWriter } from '../lake/lake-writer.ts';
import type { OtlpEncoding } from '../otlp/otlp-decode.ts';
import type { DroppedKeyCounter } from '../schema/dropped-keys.ts';
import { type EmailPolicy, emailTransformer, userIdPseudonymizer } from '../schema/email.ts';
import type { Row } from '../schema/row.ts';
import { toIncrements } from './increments.ts';
import { type KeptPoint, type MetricSanitizeOptions, sanitizePoint } from './metric-allowlist.ts';
import { metricPointsOf } from './metric-points.ts';
import { decodeMetricsRequest, encodeExportMetricsResponse } from './metrics-proto.ts';
import { SeriesState } from './series-state.ts';

/**
 * What `POST /v1/metrics` does with a body, behind the ingest handler's common checks (token,
 * limits, media types, gzip): decode, allowlist, then store as increments in the `metrics` table.
 *
 *   const metrics = await MetricsIngest.open({ lake, email: { mode: 'keep' } });
 *   const prepared = metrics.prepare('json', body);   // throws OtlpDecodeError -> 400
 *   await prepared.store();                            // throws -> 503 (retryable)
 *   prepared.response('json')                          // ExportMetricsServiceResponse
 *
 * Stores are serialized: increments are computed against the series state, the rows appended to
 * the metrics spool (durable), then the state saved, then the request is answered.
 */
export interface MetricsIngestOptions {
  readonly lake: string;
  readonly email?: EmailPolicy;
  readonly dropped?: DroppedKeyCounter;
  readonly errors?: ErrorsLog;
  readonly flushBytes?: number;
  readonly flushIntervalMs?: number;
  readonly flushInWorker?: boolean;
  readonly log?: (line: string) => void;
  readonly onFlush?: (result: FlushResult) => void;
}

export interface PreparedMetrics {
  readonly kept: number;
  readonly rejected: number;
  store(): Promise<void>;
  response(encoding: OtlpEncoding): Uint8Array;
}

export class MetricsStoreError extends Error {
  override readonly name = 'MetricsStoreError';
}

export class MetricsIngest {
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    readonly writer: LakeWriter,
    private readonly state: SeriesState,
    private readonly sanitize: MetricSanitizeOptions,
    private readonly options: MetricsIngestOptions,
  ) {}

  static async open(options: MetricsIngestOptions): Promise<MetricsIngest> {
    const policy = options.email ?? { mode: 'keep' };
    const state = await SeriesState.load(options.lake);
    if (state.loadError)
      options.log?.(
        `metrics series state ${state.loadError}; cumulative series restart from their start time`,
      );
    const writer = await LakeWriter.open({
      lake: options.lake,
      table: 'metrics',
      flushBytes: options.flushBytes,
      flushIntervalMs: options.flushIntervalMs,
      flushInWorker: options.flushInWorker,
      errors: options.errors,
      onFlush: options.onFlush,
      onError: (error) =>
        options.log?.(
          `metrics flush failed, will retry: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
    return new MetricsIngest(
      writer,
      state,
      { email: emailTransformer(policy), pseudonym: userIdPseudonymizer(policy), dropped: options.dropped },
      options,
    );
  }

  prepare(encoding: OtlpEncoding, body: Uint8Array): PreparedMetrics {
    const points = metricPointsOf(decodeMetricsRequest(encoding, body));
    const kept: KeptPoint[] = [];
    const rejected = new Map<string, number>();
    const skipped = new Map<string, number>();
    for (const point of points) {
      const outcome = sanitizePoint(point, this.sanitize);
      if (outcome.kind === 'kept') kept.push(outcome.point);
      else {
        const tally = outcome.kind === 'rejected' ? rejected : skipped;
        tally.set(outcome.reason, (tally.get(outcome.reason) ?? 0) + 1);
      }
    }
    const rejectedCount = [...rejected.values()].reduce((a, b) => a + b, 0);
    for (const [reason, count] of rejected)
      this.options.errors?.record({ kind: 'record', reason: `metrics: ${reason}`, count, bytes: 0 });
    for (const [reason, count] of skipped)
      this.options.errors?.record({ kind: 'skipped', reason: `metrics: ${reason}`, count, bytes: 0 });
    const message = [...rejected].map(([reason, n]) => `${reason} (${n})`).join('; ');
    return {
      kept: kept.length,
      rejected: rejectedCount,
      store: () => this.store(kept),
      response: (enc) => encodeExportMetricsResponse(enc, rejectedCount, message),
    };
  }

  private store(points: readonly KeptPoint[]): Promise<void> {
    const run = this.chain.then(async () => {
      const { rows, updates } = toIncrements(points, (key) => this.state.get(key));
      try {
        // MetricRow and Row are both sparse JSON objects; the writer serializes them by its table's columns.
        await this.writer.append(rows as unknown as Row[]);
      } catch (cause) {
        throw new MetricsStoreError('the lake could not store the metrics', { cause });
      }
      if (updates.size === 0) return;
      for (const [key, point] of updates) this.state.set(key, point);
      try {
        await this.state.save();
      } catch (error) {
        // The rows are durable and the state in memory is right; the next save catches up.
        this.options.log?.(
          `metrics series state not saved: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  flush(): Promise<FlushResult[]> {
    return this.writer.flush();
  }

  async close(): Promise<void> {
    await this.chain;
    await this.writer.close();
  }
}
