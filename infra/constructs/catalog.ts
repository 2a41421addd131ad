import { Aws, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PARTITION_KEY } from '../../functions/schema/columns.ts';
import {
  EVENTS_TABLE,
  eventsStorageDescriptor,
  eventsTableParameters,
  gluePartitionKeys,
} from './catalog-defaults.ts';

export interface CatalogProps {
  /** Glue database name (lower case, underscores). */
  readonly databaseName: string;
  /** The lake bucket. */
  readonly bucket: s3.IBucket;
  /** Key prefix of the events, ending in `/`. */
  readonly eventsPrefix: string;
  /** Days the lake keeps events (0 = forever): the partition projection covers them all. */
  readonly expirationDays: number;
}

/** The Glue database and the `events` table: Parquet, columns from the schema, `dt` projected. */
export class Catalog extends Construct {
  public readonly database: glue.CfnDatabase;
  public readonly table: glue.CfnTable;
  public readonly databaseName: string;
  public readonly tableName = EVENTS_TABLE;

  constructor(scope: Construct, id: string, props: CatalogProps) {
    super(scope, id);
    this.databaseName = props.databaseName;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: props.databaseName,
        description: 'Sanitized Claude Code usage events (claude-otel-lake).',
      },
    });
    const location = `s3://${props.bucket.bucketName}/${props.eventsPrefix}`;
    this.table = new glue.CfnTable(this, 'EventsTable', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: props.databaseName,
      tableInput: {
        name: EVENTS_TABLE,
        description: 'One row per Claude Code event that passed the allowlist.',
        tableType: 'EXTERNAL_TABLE',
        parameters: eventsTableParameters(
          `${location}${PARTITION_KEY}=\${${PARTITION_KEY}}/`,
          props.expirationDays,
        ),
        partitionKeys: gluePartitionKeys(),
        storageDescriptor: eventsStorageDescriptor(location),
      },
    });
    this.table.node.addDependency(this.database);
  }

  /** ARNs of the catalog, the database and its tables (for Glue read policies). */
  arns(): { catalog: string; database: string; tables: string } {
    const stack = Stack.of(this);
    return {
      catalog: stack.formatArn({ service: 'glue', resource: 'catalog' }),
      database: stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
      tables: stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/*` }),
    };
  }
}
