import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as JsonExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

/**
 * A Claude Code-like metrics client: the OpenTelemetry JS SDK MeterProvider with the OTLP/HTTP
 * metrics exporter (protobuf or JSON, delta or cumulative), exported only when the test says so.
 */
export interface SdkMetricsClient {
  readonly provider: MeterProvider;
  /** Collects and exports now. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface SdkMetricsOptions {
  readonly url: string;
  readonly protocol: 'protobuf' | 'json';
  readonly temporality: 'delta' | 'cumulative';
  readonly gzip?: boolean;
  readonly token?: string;
  readonly resource: Record<string, string>;
}

export function sdkMetricsClient(options: SdkMetricsOptions): SdkMetricsClient {
  const config = {
    url: options.url,
    compression: options.gzip ? ('gzip' as never) : ('none' as never),
    headers: (options.token ? { authorization: `Bearer ${options.token}` } : {}) as Record<string, string>,
    temporalityPreference:
      options.temporality === 'delta'
        ? AggregationTemporalityPreference.DELTA
        : AggregationTemporalityPreference.CUMULATIVE,
  };
  const exporter = options.protocol === 'protobuf' ? new ProtoExporter(config) : new JsonExporter(config);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes(options.resource),
    readers: [reader],
  });
  return { provider, flush: () => reader.forceFlush(), shutdown: () => provider.shutdown() };
}

/**
 * A forwarding front for an endpoint that restarts on another port: the exporter keeps one URL.
 * `target` is read per request.
 */
export async function startForwarder(target: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const upstream = new URL(req.url ?? '/', target());
    const out = request(upstream, { method: req.method, headers: req.headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => {
      res.writeHead(503);
      res.end();
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
