import { OTLPLogExporter as HttpJsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type LogRecordExporter,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import type { DemoEvent } from '../demo/team-activity.ts';
import { CLAUDE_CODE_SCOPE } from '../schema/allowlist.ts';

/**
 * Sends events the way Claude Code does: the OpenTelemetry JS SDK (`LoggerProvider` +
 * `BatchLogRecordProcessor` + the OTLP/HTTP log exporter), one provider per distinct resource
 * (one per developer machine), protobuf or JSON, gzip optional. Used by `demo`, the tests and
 * the benchmark.
 *
 *   await sendWithOtelSdk(events, { url: 'http://127.0.0.1:4318/v1/logs', protocol: 'protobuf' })
 *   -> { exported: 4210, failed: 0 }
 */
export interface OtelSendOptions {
  readonly url: string;
  readonly protocol: 'protobuf' | 'json';
  readonly gzip?: boolean;
  readonly token?: string;
  /** Events emitted between two flushes of every provider. @default 2000 */
  readonly chunk?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface OtelSendResult {
  /** Records in exports answered 2xx. */
  readonly exported: number;
  /** Records in exports that failed (after the exporter's own retries). */
  readonly failed: number;
  /** Why the last failed export failed (`HTTP 401: Unauthorized`, `connect ECONNREFUSED ...`). */
  readonly lastError?: string;
}

type ExportCallback = Parameters<LogRecordExporter['export']>[1];

class CountingExporter implements LogRecordExporter {
  exported = 0;
  failed = 0;
  lastError: string | undefined;
  constructor(private readonly inner: LogRecordExporter) {}
  export(logs: ReadableLogRecord[], done: ExportCallback): void {
    this.inner.export(logs, (result) => {
      if (result.code === 0) this.exported += logs.length;
      else {
        this.failed += logs.length;
        this.lastError = describeExportError(result.error);
      }
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

export async function sendWithOtelSdk(
  events: readonly DemoEvent[],
  options: OtelSendOptions,
): Promise<OtelSendResult> {
  const chunk = options.chunk ?? 2000;
  const providers = new Map<string, { provider: LoggerProvider; exporter: CountingExporter }>();
  const providerFor = (resource: DemoEvent['resource']) => {
    const key = JSON.stringify(resource);
    let entry = providers.get(key);
    if (!entry) {
      const config = {
        url: options.url,
        ...(options.gzip ? { compression: 'gzip' as never } : {}),
        ...(options.token ? { headers: { Authorization: `Bearer ${options.token}` } } : {}),
      };
      const exporter = new CountingExporter(
        options.protocol === 'protobuf' ? new ProtoExporter(config) : new HttpJsonExporter(config),
      );
      const provider = new LoggerProvider({
        resource: resourceFromAttributes({ ...resource }),
        processors: [
          new BatchLogRecordProcessor({
            exporter,
            maxQueueSize: chunk * 2,
            maxExportBatchSize: 512,
            scheduledDelayMillis: 200,
          }),
        ],
      });
      entry = { provider, exporter };
      providers.set(key, entry);
    }
    return entry.provider;
  };
  try {
    for (let start = 0; start < events.length; start += chunk) {
      for (const event of events.slice(start, start + chunk)) {
        providerFor(event.resource)
          .getLogger(CLAUDE_CODE_SCOPE)
          .emit({ body: event.body, timestamp: event.timeMs, attributes: { ...event.attributes } });
      }
      await Promise.all([...providers.values()].map((p) => p.provider.forceFlush()));
      options.onProgress?.(Math.min(start + chunk, events.length), events.length);
    }
  } finally {
    await Promise.all([...providers.values()].map((p) => p.provider.shutdown()));
  }
  let exported = 0;
  let failed = 0;
  let lastError: string | undefined;
  for (const { exporter } of providers.values()) {
    exported += exporter.exported;
    failed += exporter.failed;
    lastError = exporter.lastError ?? lastError;
  }
  return lastError === undefined ? { exported, failed } : { exported, failed, lastError };
}

/** The exporter's error in one line: OTLPExporterError carries the HTTP status as `code`. */
function describeExportError(error: Error | undefined): string {
  if (!error) return 'unknown error';
  const status = (error as Error & { code?: unknown }).code;
  const prefix = typeof status === 'number' ? `HTTP ${status}: ` : '';
  return `${prefix}${error.message || error.name}`.split('\n')[0]!.slice(0, 200);
}
