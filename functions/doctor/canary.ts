import { randomBytes } from 'node:crypto';
import { CLAUDE_CODE_BODY_PREFIX, CLAUDE_CODE_SCOPE } from '../schema/allowlist.ts';
import { fail, type HopResult, pass } from './hop.ts';

/**
 * The canary: one OTLP/JSON log record shaped as Claude Code sends its events (scope, body
 * `claude_code.<name>`, `event.name`, `event.timestamp`, resource `service.name`), under an event
 * name no named query counts. Its id rides in `session.id`, an allowlisted field (column
 * `session_id`), so it is findable at every hop and in Athena; no prompt, path or e-mail is in it.
 */
export const CANARY_EVENT = 'doctor_canary';

export interface Canary {
  /** `doctor-` + 24 hex: unique per run. */
  readonly id: string;
  readonly sentAtMs: number;
}

export function newCanary(nowMs: number): Canary {
  return { id: `doctor-${randomBytes(12).toString('hex')}`, sentAtMs: nowMs };
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

export function canaryPayload(canary: Canary): unknown {
  const nanos = `${BigInt(canary.sentAtMs) * 1_000_000n}`;
  return {
    resourceLogs: [
      {
        resource: { attributes: [str('service.name', 'claude-code'), str('service.version', 'doctor')] },
        scopeLogs: [
          {
            scope: { name: CLAUDE_CODE_SCOPE, version: 'doctor' },
            logRecords: [
              {
                timeUnixNano: nanos,
                observedTimeUnixNano: nanos,
                body: { stringValue: `${CLAUDE_CODE_BODY_PREFIX}${CANARY_EVENT}` },
                attributes: [
                  str('event.name', CANARY_EVENT),
                  str('event.timestamp', new Date(canary.sentAtMs).toISOString()),
                  str('session.id', canary.id),
                  str('terminal.type', 'claude-otel-lake-doctor'),
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

export interface SendTarget {
  readonly url: string;
  readonly apiKey: string;
  readonly logGroup: string;
  readonly logStream: string;
}

const HOP = 'canary sent';

/** What a refusal of the OTLP endpoint means for the user. */
function fixFor(status: number): string {
  if (status === 401 || status === 403) {
    return "the API key is wrong, expired or not the writer user's: create one with the CreateApiKeyCommand output";
  }
  if (status === 400 || status === 404)
    return 'the log group or log stream named in the headers does not exist: redeploy';
  if (status === 429) return 'the endpoint throttled the request: run doctor again in a minute';
  return 'check the endpoint URL and the region';
}

/** Hop 4: POSTs the canary to the CloudWatch Logs OTLP endpoint with the writer's API key. */
export async function sendCanary(canary: Canary, target: SendTarget): Promise<HopResult> {
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${target.apiKey}`,
        'x-aws-log-group': target.logGroup,
        'x-aws-log-stream': target.logStream,
      },
      body: JSON.stringify(canaryPayload(canary)),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return fail(HOP, `cannot reach ${target.url} (${cause})`, 'check the network and the endpoint URL');
  }
  // The body is never shown whole: an endpoint echoing the request would echo the key.
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    return fail(HOP, `${target.url} answered HTTP ${response.status}`, fixFor(response.status));
  }
  const rejected = rejectedRecords(text);
  if (rejected > 0) {
    return fail(
      HOP,
      `${target.url} accepted the request but rejected ${rejected} log record(s) (OTLP partial success)`,
      'the log stream may be missing or the record too old; redeploy and run doctor again',
    );
  }
  return pass(HOP, `${CLAUDE_CODE_BODY_PREFIX}${CANARY_EVENT} ${canary.id} accepted by ${target.url}`);
}

/** `partialSuccess.rejectedLogRecords` of an OTLP/JSON response; 0 when absent or unreadable. */
function rejectedRecords(body: string): number {
  try {
    const parsed = JSON.parse(body) as { partialSuccess?: { rejectedLogRecords?: number | string } };
    return Number(parsed.partialSuccess?.rejectedLogRecords ?? 0) || 0;
  } catch {
    return 0;
  }
}
