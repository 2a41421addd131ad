import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

/** Runtime of every function of the stack (Node 20 is deprecated on Lambda). */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * esbuild bundling shared by every function: ESM (the project is ESM), minified, with source
 * maps, and a `require` shim for CommonJS dependencies bundled into ESM. No Docker: esbuild is a
 * devDependency, so bundling runs locally.
 */
export function bundlingDefaults(): nodejs.BundlingOptions {
  return {
    format: nodejs.OutputFormat.ESM,
    target: 'node24',
    minify: true,
    sourceMap: true,
    mainFields: ['module', 'main'],
    banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    forceDockerBundling: false,
  };
}

/**
 * Bundling that also copies the `*.sql` files of project directories into the bundle, for code
 * that reads SQL at run time: `['queries']` puts `queries/*.sql` at `/var/task/queries/`.
 */
export function bundlingWithSql(dirs: readonly string[]): nodejs.BundlingOptions {
  return {
    ...bundlingDefaults(),
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir: string, outputDir: string) =>
        dirs.flatMap((dir) => [
          `mkdir -p "${outputDir}/${dir}"`,
          `cp "${inputDir}/${dir}/"*.sql "${outputDir}/${dir}/"`,
        ]),
    },
  };
}

/** Where a bundled directory lands in the Lambda file system. */
export const LAMBDA_TASK_ROOT = '/var/task';

/** Function settings shared by every function of the stack. */
export function functionDefaults(): Pick<
  nodejs.NodejsFunctionProps,
  'runtime' | 'architecture' | 'memorySize' | 'timeout' | 'bundling' | 'handler'
> {
  return {
    runtime: LAMBDA_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 512,
    timeout: Duration.minutes(1),
    bundling: bundlingDefaults(),
    handler: 'handler',
  };
}
