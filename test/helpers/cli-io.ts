import type { CommandIO } from '../../scripts/cli-kit.ts';

/** A CommandIO that records what a command prints, for the command tests. */
export function captureIO(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { out: (t) => out.push(t), err: (t) => err.push(t), cwd, env };
  return { io, out, err };
}
