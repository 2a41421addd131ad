import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundlingWithSql, functionDefaults } from './lake-function-defaults.ts';

export interface LakeFunctionProps {
  /** Absolute path of the TypeScript entry, which exports `handler`. */
  readonly entry: string;
  /** What the function does, for the console. */
  readonly description: string;
  /** Environment variables. @default none */
  readonly environment?: Record<string, string>;
  /** Retention of the function's log group, days. */
  readonly logRetentionDays: number;
  /** Exported name of the handler. @default 'handler' */
  readonly handler?: string;
  /** Project directories whose `*.sql` files the bundle carries. @default none */
  readonly sqlDirs?: readonly string[];
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 1 minute */
  readonly timeout?: Duration;
}

/**
 * A bundled Node.js function with its own role and log group. The role starts empty except for
 * writing to that log group (no AWS managed policy); callers grant the rest explicitly.
 */
export class LakeFunction extends Construct {
  public readonly fn: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LakeFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    const defaults = functionDefaults();
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      ...defaults,
      entry: props.entry,
      handler: props.handler ?? defaults.handler,
      ...(props.sqlDirs?.length ? { bundling: bundlingWithSql(props.sqlDirs) } : {}),
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      memorySize: props.memorySize ?? defaults.memorySize,
      timeout: props.timeout ?? defaults.timeout,
    });
  }
}
