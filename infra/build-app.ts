import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext } from './config.ts';
import { LakeStack } from './lake-stack.ts';
import { type ProjectPaths, projectPaths } from './paths.ts';

/** Construct id of the stack (its CloudFormation name is `<prefix>-lake`). */
export const STACK_ID = 'ClaudeOtelLake';

export interface BuildOptions extends AppProps {
  /** Where the handlers, queries and views are. @default the repository's own */
  readonly paths?: ProjectPaths;
  /** Environment the account and default region come from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The CDK app: configuration from context, the one stack, and cdk-nag's AwsSolutions checks over
 * all of it. Synthesizes offline: the account stays a token, the region defaults to us-east-1.
 */
export function buildApp(options: BuildOptions = {}): { app: App; stack: LakeStack } {
  const { paths = projectPaths(), env = process.env, ...appProps } = options;
  const app = new App(appProps);
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
