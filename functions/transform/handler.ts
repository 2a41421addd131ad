import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { emailTransformer } from '../schema/email.ts';
import { transformConfigFrom } from './config.ts';
import { firehoseReingester } from './reingest.ts';
import { transformBatch } from './transform-batch.ts';

// Cold start: configuration and clients once per container.
const config = transformConfigFrom(process.env);
const options = { email: emailTransformer(config.emailPolicy), reingester: firehoseReingester() };

/** Firehose data-transformation entry point: wiring only (see transform-batch.ts). */
export async function handler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
  const { response, log } = await transformBatch(event, options);
  process.stdout.write(`${JSON.stringify(log)}\n`);
  return response;
}
