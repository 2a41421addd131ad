import { Duration, Size } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import { PARTITION_KEY } from '../../functions/schema/columns.ts';

/** `events/dt=!{timestamp:yyyy-MM-dd}/`: partitioned by UTC arrival date, no dynamic partitioning. */
export function dataOutputPrefix(eventsPrefix: string): string {
  return `${eventsPrefix}${PARTITION_KEY}=!{timestamp:yyyy-MM-dd}/`;
}

/** `errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`. */
export function errorOutputPrefix(errorsPrefix: string): string {
  return `${errorsPrefix}!{firehose:error-output-type}/${PARTITION_KEY}=!{timestamp:yyyy-MM-dd}/`;
}

/**
 * The transform's buffer: small (1 MB), because gunzip expands CloudWatch payloads and a Lambda
 * response may not pass 6 MB; the handler re-ingests any overflow.
 */
export function processorBuffer(): { bufferSize: Size; bufferInterval: Duration } {
  return { bufferSize: Size.mebibytes(1), bufferInterval: Duration.seconds(60) };
}

/** Parquet output: Snappy, v1 pages (the most widely readable). */
export function parquetOutput(): firehose.ParquetOutputFormat {
  return new firehose.ParquetOutputFormat({
    compression: firehose.ParquetCompression.SNAPPY,
    writerVersion: firehose.ParquetWriterVersion.V1,
  });
}

/** Format conversion forces at least 64 MB; 128 MB is the most Firehose buffers. */
export const S3_BUFFER_SIZE = Size.mebibytes(128);
