// Vitest globalSetup: compiles dist/ once per run, so every test that spawns the real
// `claude-otel-lake` bin runs the current sources compiled, as users run it.
import { buildCli } from '../../scripts/build.js';

export async function setup(): Promise<void> {
  await buildCli({ quiet: true });
}
