import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext } from './config.ts';
import { LakeStack } from './lake-stack.ts';
import { type ProjectPaths, projectPaths } from './paths.ts';

/** Construct id of the stack (its CloudFormation name is `<prefix>-lake`). */
export const STACK_ID = 'ClaudeOtelLake';

/**
 * Context the app always sets, over anything on the command line: these are correctness, not
 * settings a team tunes.
 * - The CloudFormation validation bundled with aws-cdk-lib (on unless `CDK_VALIDATION=false`)
 *   reports its errors as warnings by default; here an error fails the synthesis, so no template
 *   CloudFormation would reject (a resource type missing in the region, a bad property) gets out.
 * - Server access logs are delivered by a bucket policy for `logging.s3.amazonaws.com`, not the
 *   legacy `LogDeliveryWrite` ACL, so every bucket keeps ACLs disabled (BucketOwnerEnforced).
 */
export const FIXED_CONTEXT = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
} as const;

export interface BuildOptions extends AppProps {
  /** Where the handlers, queries and views are. @default the repository's own */
  readonly paths?: ProjectPaths;
  /** Environment the account and default region come from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The CDK app: configuration from context, the one stack, and cdk-nag's AwsSolutions checks over
 * all of it. The account is `CDK_DEFAULT_ACCOUNT` (the CLI sets it from the credentials) or stays
 * a token offline; the region is `-c region=…`, else `CDK_DEFAULT_REGION` (the CLI sets it from
 * `AWS_REGION` or the profile), else us-east-1.
 */
export function buildApp(options: BuildOptions = {}): { app: App; stack: LakeStack } {
  const { paths = projectPaths(), env = process.env, ...appProps } = options;
  const app = new App({ ...appProps, postCliContext: { ...appProps.postCliContext, ...FIXED_CONTEXT } });
  const config = configFromContext((key) => app.node.tryGetContext(key), {
    ...(env.CDK_DEFAULT_REGION ? { defaultRegion: env.CDK_DEFAULT_REGION } : {}),
  });
  const stack = new LakeStack(app, STACK_ID, {
    stackName: `${config.prefix}-lake`,
    description: 'claude-otel-lake: Claude Code OpenTelemetry events to a privacy-first Parquet lake.',
    env: { ...(env.CDK_DEFAULT_ACCOUNT ? { account: env.CDK_DEFAULT_ACCOUNT } : {}), region: config.region },
    config,
    paths,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
