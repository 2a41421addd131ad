import { type ParseArgsConfig, parseArgs } from 'node:util';
import { closestName } from './did-you-mean.ts';

/**
 * The small contract every command follows: parse its own flags, do its work through `io`, and
 * throw a typed error for the top-level catch in cli.ts to turn into an exit code.
 */
export interface CommandIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Full help text, shown by `--help`. */
  readonly usage: string;
  /** Resolves to the exit code (0 unless said otherwise). */
  run(args: readonly string[], io: CommandIO): Promise<number | undefined>;
}

/** Bad flags or arguments: exit code 2 with the usage hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the user can act on: one clear line, exit code 1 (or the given code). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `node:util` parseArgs with errors turned into UsageError and `--help` recognised. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(withOptionHint(error instanceof Error ? error.message : String(error), options));
  }
}

/** parseArgs' "Unknown option '--form'" becomes one short line with the closest known flag. */
function withOptionHint(message: string, options: NonNullable<ParseArgsConfig['options']>): string {
  const m = /^Unknown option '(--?)([^']+)'/.exec(message);
  if (!m) return message;
  const guess = m[1] === '--' ? closestName(m[2]!, [...Object.keys(options), 'help']) : undefined;
  return `Unknown option '${m[1]}${m[2]}'${guess ? ` (did you mean --${guess}?)` : ''}`;
}
