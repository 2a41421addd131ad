import { existsSync } from 'node:fs';
import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BEARER_TOKEN_REGIONS, ConfigError, type LakeConfig } from './config.ts';
import { Alarms } from './constructs/alarms.ts';
import { AthenaAnalytics } from './constructs/athena.ts';
import { Catalog } from './constructs/catalog.ts';
import { databaseNameFor } from './constructs/catalog-defaults.ts';
import { Delivery } from './constructs/delivery.ts';
import { Digest } from './constructs/digest.ts';
import { Ingest } from './constructs/ingest.ts';
import { createApiKeyCommand, otlpEndpoint, otlpHeadersTemplate } from './constructs/ingest-defaults.ts';
import { LakeBucket } from './constructs/lake-bucket.ts';
import { QuickSight } from './constructs/quicksight.ts';
import type { ProjectPaths } from './paths.ts';
import { QUICKSIGHT_VIEW, viewColumnsFor } from './view-columns.ts';

export interface LakeStackProps extends StackProps {
  readonly config: LakeConfig;
  readonly paths: ProjectPaths;
}

/**
 * The whole AWS deployment, composed from one construct per concern; no resource is defined
 * here. Claude Code -> Ingest (OTLP log group) -> Delivery (subscription, Firehose, transform)
 * -> LakeBucket (Parquet by dt) <- Catalog (Glue) <- AthenaAnalytics (workgroup, queries, views)
 * <- Digest (weekly, Slack) / QuickSight (optional); Alarms watch the path.
 */
export class LakeStack extends Stack {
  public readonly ingest: Ingest;
  public readonly lake: LakeBucket;
  public readonly catalog: Catalog;
  public readonly delivery: Delivery;
  public readonly athena: AthenaAnalytics;
  public readonly digest?: Digest;
  public readonly quicksight?: QuickSight;
  public readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: LakeStackProps) {
    super(scope, id, props);
    const { config, paths } = props;
    if (!BEARER_TOKEN_REGIONS.includes(config.region)) {
      Annotations.of(this).addWarningV2(
        'claude-otel-lake:region',
        `CloudWatch Logs accepts API keys (bearer tokens) only in ${BEARER_TOKEN_REGIONS.join(', ')}; ` +
          `Claude Code cannot write to ${config.region}.`,
      );
    }
    const bufferInterval = Duration.seconds(config.bufferIntervalSeconds);

    this.ingest = new Ingest(this, 'Ingest', {
      logGroupName: `/${config.prefix}/raw`,
      logStreamName: config.logStreamName,
      retentionDays: config.rawRetentionDays,
    });
    this.lake = new LakeBucket(this, 'Lake', {
      lifecycle: {
        transitionDays: config.lakeTransitionDays,
        expirationDays: config.lakeExpirationDays,
        errorRetentionDays: config.errorRetentionDays,
      },
    });
    const { bucket, prefixes } = this.lake;
    this.catalog = new Catalog(this, 'Catalog', {
      databaseName: databaseNameFor(config.prefix),
      bucket,
      eventsPrefix: prefixes.events,
      expirationDays: config.lakeExpirationDays,
    });
    this.delivery = new Delivery(this, 'Delivery', {
      source: this.ingest.logGroup,
      bucket,
      eventsPrefix: prefixes.events,
      errorsPrefix: prefixes.errors,
      table: this.catalog.table,
      databaseName: this.catalog.databaseName,
      tableName: this.catalog.tableName,
      transformEntry: paths.transformEntry,
      emailMode: config.emailMode,
      bufferInterval,
      logRetentionDays: config.logRetentionDays,
    });
    this.athena = new AthenaAnalytics(this, 'Athena', {
      workGroupName: config.prefix,
      bucket,
      resultsPrefix: prefixes.athenaResults,
      catalog: this.catalog,
      bytesScannedCutoffPerQuery: config.bytesScannedCutoffPerQuery,
      queriesDir: paths.queriesDir,
      viewsDir: paths.viewsDir,
      teamTimeZone: config.teamTimeZone,
      ddlEntry: paths.athenaDdlEntry,
      logRetentionDays: config.logRetentionDays,
    });
    const analyticsAccess = {
      workGroupName: this.athena.workGroupName,
      workGroupArn: this.athena.workGroupArn,
      catalog: this.catalog,
      bucket,
      eventsPrefix: prefixes.events,
      resultsPrefix: prefixes.athenaResults,
    };
    if (config.digestEnabled) {
      if (!existsSync(paths.digestEntry)) {
        throw new ConfigError(
          `context "digestEnabled" is true but the digest handler ${paths.digestEntry} does not exist`,
        );
      }
      this.digest = new Digest(this, 'Digest', {
        ...analyticsAccess,
        entry: paths.digestEntry,
        schedule: config.digestSchedule,
        timeZone: config.teamTimeZone,
        channel: config.digestChannel,
        days: config.digestDays,
        logRetentionDays: config.logRetentionDays,
      });
    }
    if (config.quicksightEnabled) {
      const viewName = QUICKSIGHT_VIEW;
      if (!this.athena.viewNames.includes(viewName)) {
        throw new ConfigError(
          `context "quicksightEnabled" is true but queries/views/ holds no view ${viewName}`,
        );
      }
      this.quicksight = new QuickSight(this, 'QuickSight', {
        ...analyticsAccess,
        idPrefix: config.prefix,
        principalArn: config.quicksightPrincipalArn,
        serviceRoleName: config.quicksightServiceRoleName,
        workGroup: this.athena.workGroup,
        viewDependencies: this.athena.views,
        viewName,
        columns: viewColumnsFor(viewName),
      });
    }
    this.alarms = new Alarms(this, 'Alarms', {
      streamName: this.delivery.stream.deliveryStreamName,
      transformLogGroup: this.delivery.transform.logGroup,
      bufferInterval,
      transform: this.delivery.transform.fn,
      ...(this.digest ? { digest: this.digest.fn.fn } : {}),
      ...(config.alarmEmail ? { email: config.alarmEmail } : {}),
    });
    this.addOutputs(config);
  }

  private addOutputs(config: LakeConfig): void {
    const out = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    const endpoint = otlpEndpoint(config.region);
    out('OtlpEndpoint', endpoint, 'OTEL_EXPORTER_OTLP_ENDPOINT for Claude Code (protocol http/protobuf).');
    out(
      'OtlpLogsEndpoint',
      `${endpoint}/v1/logs`,
      'The full OTLP logs URL (OTEL_EXPORTER_OTLP_LOGS_ENDPOINT).',
    );
    out(
      'OtlpHeaders',
      otlpHeadersTemplate(this.ingest.logGroup.logGroupName, this.ingest.logStreamName),
      'OTEL_EXPORTER_OTLP_HEADERS; replace <API_KEY> with the key from CreateApiKeyCommand.',
    );
    out('RawLogGroup', this.ingest.logGroup.logGroupName, 'Raw log group (short retention, bearer auth on).');
    out('WriterUser', this.ingest.writer.userName, 'IAM user whose API key Claude Code uses (write-only).');
    out(
      'CreateApiKeyCommand',
      createApiKeyCommand(this.ingest.writer.userName, config.region),
      'The one manual step: create the API key for the writer user (its secret is printed once).',
    );
    out(
      'LakeBucket',
      this.lake.bucket.bucketName,
      'Lake bucket: events/ (Parquet), errors/, athena-results/.',
    );
    out(
      'DeliveryStream',
      this.delivery.stream.deliveryStreamName,
      'Firehose stream from the raw log group to the lake (claude-otel-lake doctor follows it).',
    );
    out('AthenaWorkGroup', this.athena.workGroupName, 'Athena workgroup (engine v3, enforced settings).');
    out('GlueDatabase', this.catalog.databaseName, 'Glue database of the events table and views.');
    out('EventsTable', this.catalog.tableName, 'Glue table of the events (partition dt, projected).');
    out('Views', this.athena.viewNames.join(',') || 'none', 'Athena views created from queries/views/.');
    out('AlarmTopic', this.alarms.topic.topicArn, 'SNS topic of the pipeline alarms (subscribe to it).');
    if (this.digest) {
      out(
        'SlackTokenSecret',
        this.digest.slackToken.secretArn,
        'Put the Slack bot token here (created empty).',
      );
    }
    if (this.delivery.emailKey) {
      out(
        'EmailHmacKeySecret',
        this.delivery.emailKey.secretArn,
        'HMAC key of e-mail pseudonyms (generated).',
      );
    }
  }
}
