import { emailTransformer, userIdPseudonymizer } from '../../functions/schema/email.ts';
import type { InvocationLog } from '../../functions/transform/invocation-log.ts';
import { transformBatch } from '../../functions/transform/transform-batch.ts';
import {
  dataMessage,
  encodeData,
  firehoseEvent,
  firehoseRecord,
  logEvent,
  outputRows,
} from '../helpers/cloudwatch.ts';
import type { RawRecord } from './raw-otlp.ts';

/**
 * The captured events as the AWS path sees them: each LogRecord stored by the CloudWatch OTLP
 * endpoint as one log event (`{"resource":{"attributes":{…}},"body":…,"attributes":{…}}`, flat
 * maps with JSON types), 50 events per subscription DATA_MESSAGE, one Firehose event, through the
 * real transform with the same e-mail policy as the local serve.
 */
export async function transformCaptured(
  records: readonly RawRecord[],
): Promise<{ rows: Record<string, unknown>[]; log: InvocationLog }> {
  const events = records.map((r) =>
    logEvent(
      {
        resource: { attributes: { ...r.resource } },
        scope: { name: r.scopeName },
        timeUnixNano: r.timeUnixNano,
        body: `claude_code.${r.eventName}`,
        attributes: { ...r.attributes },
      },
      { timestamp: Number(BigInt(r.timeUnixNano) / 1_000_000n) },
    ),
  );
  const batches: (typeof events)[] = [];
  for (let i = 0; i < events.length; i += 50) batches.push(events.slice(i, i + 50));
  const event = firehoseEvent(batches.map((b) => firehoseRecord(encodeData(dataMessage(b)))));
  const { response, log } = await transformBatch(event, {
    email: emailTransformer({ mode: 'keep' }),
    pseudonym: userIdPseudonymizer({ mode: 'keep' }),
    reingester: {
      put: async () => {
        throw new Error('the test batch never overflows');
      },
    },
  });
  return { rows: response.records.flatMap(outputRows), log };
}
