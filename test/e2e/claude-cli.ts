import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The pinned Claude Code version the real-client suite drives (see .ci/run, which installs it). */
export const CLAUDE_CODE_VERSION = '2.1.328';

/**
 * Where .ci/run installs the pinned CLI: `${XDG_CACHE_HOME:-$HOME/.cache}/claude-otel-lake/
 * claude-code-<version>`, outside the package's dependencies (users should not download 370 MB).
 */
export function claudeInstallDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cache, 'claude-otel-lake', `claude-code-${CLAUDE_CODE_VERSION}`);
}

/** The installed `claude` binary, or null when it is not there. */
export function claudeBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  const bin = join(claudeInstallDir(env), 'node_modules', '.bin', 'claude');
  return existsSync(bin) ? bin : null;
}

export interface ClaudeRun {
  readonly bin: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The whole environment of the child (nothing is inherited but PATH). */
  readonly env: Readonly<Record<string, string>>;
  /** Kills a run that hangs (the fake API misbehaving), so the suite fails instead of stalling. */
  readonly timeoutMs?: number;
}

export interface ClaudeResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `claude` once to completion. */
export function runClaude(run: ClaudeRun): Promise<ClaudeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(run.bin, [...run.args], {
      cwd: run.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...run.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), run.timeoutMs ?? 90_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
