import { newCanary, sendCanary } from './canary.ts';
import { checkDelivery } from './delivery.ts';
import { followCanary } from './follow.ts';
import { type DoctorClients, type DoctorClock, fail, type HopResult } from './hop.ts';
import { checkBearerAuth } from './log-group.ts';
import { checkStackOutputs } from './stack-outputs.ts';

export interface DoctorOptions {
  readonly stackName: string;
  /** The writer's API key; needed unless `send` is false. Never printed. */
  readonly apiKey?: string;
  /** OTLP logs URL to send to. @default the stack's OtlpLogsEndpoint output */
  readonly endpointUrl?: string;
  /** Send the canary and follow it (false: `--no-send`, configuration only). */
  readonly send: boolean;
  /** Slack on top of the buffer interval, ms. @default 5 minutes */
  readonly slackMs?: number;
  /** Time between two looks while waiting, ms. @default 30 s */
  readonly pollMs?: number;
}

export interface DoctorDeps {
  readonly clients: DoctorClients;
  readonly clock: DoctorClock;
  readonly report: (result: HopResult) => void;
  readonly progress: (line: string) => void;
}

/** The transform Lambda's own buffer (infra/constructs/delivery-defaults.ts processorBuffer). */
const TRANSFORM_BUFFER_MS = 60_000;

/**
 * Proves the deployed pipeline end to end: stack outputs -> bearer-token auth on the raw log
 * group -> subscription filter and ACTIVE stream -> a canary through the OTLP endpoint -> raw
 * log group -> Firehose -> a row in Athena. Stops at the first hop the next ones need. Resolves
 * to true only when every hop checked holds.
 */
export async function runDoctor(options: DoctorOptions, deps: DoctorDeps): Promise<boolean> {
  const { clients, clock, report, progress } = deps;
  const stack = await checkStackOutputs(clients, options.stackName);
  report(stack.result);
  if (!stack.outputs) return false;
  const outputs = stack.outputs;
  const auth = await checkBearerAuth(clients, outputs.rawLogGroup);
  report(auth);
  const delivery = await checkDelivery(clients, outputs.rawLogGroup, outputs.deliveryStream);
  report(delivery.result);
  if (!auth.ok || !delivery.facts) return false;
  if (!options.send) {
    progress('--no-send: configuration checked; no canary sent, so the data path itself is not proven.');
    return true;
  }
  if (!options.apiKey) {
    report(
      fail(
        'canary sent',
        'no API key to send the canary with',
        'set CLAUDE_OTEL_LAKE_API_KEY to the writer key (the CreateApiKeyCommand output), or pass --no-send',
      ),
    );
    return false;
  }
  const canary = newCanary(clock.now());
  const sent = await sendCanary(canary, {
    url: options.endpointUrl ?? outputs.otlpLogsEndpoint,
    apiKey: options.apiKey,
    logGroup: outputs.rawLogGroup,
    logStream: outputs.rawLogStream,
  });
  report(sent);
  if (!sent.ok) return false;
  const bufferMs = delivery.facts.bufferIntervalSeconds * 1000;
  const slackMs = options.slackMs ?? 300_000;
  const waitMs = bufferMs + TRANSFORM_BUFFER_MS + slackMs;
  progress(
    `  waiting up to ${Math.ceil(waitMs / 60_000)} min for the canary to reach Athena ` +
      `(Firehose buffers up to ${delivery.facts.bufferIntervalSeconds} s, the transform up to 60 s, plus ${Math.round(slackMs / 60_000)} min slack)`,
  );
  return followCanary(
    clients,
    clock,
    canary,
    {
      logGroup: outputs.rawLogGroup,
      stream: outputs.deliveryStream,
      bucket: outputs.lakeBucket,
      workGroup: outputs.workGroup,
      database: outputs.database,
      table: outputs.eventsTable,
      waitMs,
      pollMs: options.pollMs ?? 30_000,
    },
    report,
    progress,
  );
}
