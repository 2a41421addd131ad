#!/usr/bin/env node
import { buildApp } from './build-app.ts';
import { ConfigError } from './config.ts';

// `npx cdk synth` / `npx cdk deploy` run this file (cdk.json: "app": "npx tsx infra/app.ts").
// A setting the stack cannot honour is one clear line naming it, not a stack trace.
try {
  buildApp().app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`ConfigError: ${error.message}`);
  process.exitCode = 1;
}
