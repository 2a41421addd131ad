#!/usr/bin/env node
// Entry of the `claude-otel-lake` command: runs the TypeScript CLI through tsx, no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
await main();
