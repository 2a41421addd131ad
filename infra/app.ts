#!/usr/bin/env node
import { buildApp } from './build-app.ts';

// `npx cdk synth` / `npx cdk deploy` run this file (cdk.json: "app": "npx tsx infra/app.ts").
buildApp().app.synth();
