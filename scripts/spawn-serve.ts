import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `claude-otel-lake` bin, run as users run it. */
export const CLI = fileURLToPath(new URL('./claude-otel-lake.js', import.meta.url));

export interface ServeProcess {
  readonly child: ChildProcess;
  /** The OTLP logs URL the process printed once it was listening. */
  readonly logsUrl: string;
  /** Everything the process printed so far (stdout, and stderr when captured). */
  output(): string;
}

export interface SpawnServeOptions {
  /** Also read stderr into `output()` (otherwise it is not piped at all). */
  readonly captureStderr?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Starts the real `claude-otel-lake serve` as a child process on a free port and resolves once it
 * prints its endpoint. Used where the endpoint must be its own process: the ingest benchmark
 * (its memory is its own) and the kill -9 recovery tests.
 */
export function spawnServe(
  lake: string,
  extraArgs: readonly string[] = [],
  options: SpawnServeOptions = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--lake', lake, '--port', '0', ...extraArgs], {
    stdio: ['ignore', 'pipe', options.captureStderr ? 'pipe' : 'ignore'],
    env: options.env ?? process.env,
  });
  return new Promise<ServeProcess>((resolve, reject) => {
    let out = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /events at (http:\/\/\S+\/v1\/logs)/.exec(out);
      if (match) resolve({ child, logsUrl: match[1]!, output: () => out });
    });
    child.once('exit', (code) => reject(new Error(`serve exited early (${code}): ${out}`)));
  });
}
