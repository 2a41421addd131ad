import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type AlertStateStore, parseSentAlerts, serializeSentAlerts } from './alert-state.ts';

/**
 * The alert state in the lake bucket, for the scheduled Lambda: one JSON object at
 * `s3://<bucket>/<key>` (default `alerts/sent.json`), the same document as the local one.
 * A missing object is an empty state (the first run).
 */
export function s3AlertState(
  client: S3Client,
  bucket: string,
  key: string,
  now: () => Date = () => new Date(),
): AlertStateStore {
  return {
    async load() {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return parseSentAlerts((await object.Body?.transformToString('utf8')) ?? null, now());
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return parseSentAlerts(null, now());
        throw error;
      }
    },
    async save(sent) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: serializeSentAlerts(sent),
          ContentType: 'application/json',
        }),
      );
    },
  };
}
