import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { emailTransformer, userIdPseudonymizer } from '../schema/email.ts';
import { loadTransformConfig } from './config.ts';
import { ReingestError } from './errors.ts';
import { firehoseReingester } from './reingest.ts';
import { type TransformBatchOptions as Options, transformBatch } from './transform-batch.ts';

const load = (): Promise<Options> =>
  loadTransformConfig(process.env, () => new SecretsManagerClient({})).then((config) => ({
    email: emailTransformer(config.emailPolicy),
    pseudonym: userIdPseudonymizer(config.emailPolicy),
    reingester: firehoseReingester(),
  }));

// Cold start: configuration (maybe a secret read) and clients once per container. A failed load
// is not kept: a bad setting fails every invocation with its reason, but a passing failure (the
// secret read throttled) must not poison the container until it is recycled.
let options: Promise<Options> | undefined = load();
options.catch(() => undefined);

function currentOptions(): Promise<Options> {
  const pending = options ?? load();
  options = pending;
  pending.catch(() => {
    if (options === pending) options = undefined;
  });
  return pending;
}

const writeLine = (entry: object) => process.stdout.write(`${JSON.stringify(entry)}\n`);

/** Firehose data-transformation entry point: wiring only (see transform-batch.ts). */
export async function handler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
  try {
    const { response, log } = await transformBatch(event, await currentOptions());
    writeLine(log);
    return response;
  } catch (error) {
    // Firehose retries the whole batch; say why in one line (codes only, never record content).
    const code = error instanceof ReingestError ? error.code : undefined;
    const name = error instanceof Error ? error.name : typeof error;
    const text = error instanceof ReingestError ? error.message : undefined;
    writeLine({
      message: 'claude-otel-lake transform failed',
      invocationId: event.invocationId,
      records: event.records.length,
      error: { name, code, text },
    });
    throw error;
  }
}
