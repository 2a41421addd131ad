import { readFileSync } from 'node:fs';
import { CliError, type CommandIO, UsageError } from './cli-kit.ts';
import { COMMANDS } from './commands/index.ts';
import { closestName } from './did-you-mean.ts';

/** Top-level help, listing every command. */
export function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: claude-otel-lake <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `claude-otel-lake <command> --help` for the options of one command,',
    '`claude-otel-lake --version` for the version.',
  ].join('\n');
}

/** The version in package.json (read when asked, so `--help` does not pay for it). */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/**
 * Runs one command line and returns the exit code. The one place where errors become exit codes:
 * 2 for usage errors, the error's own code for CliError, 1 for anything unexpected.
 */
export async function runCli(argv: readonly string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainUsage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(`claude-otel-lake ${cliVersion()}`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    const guess = closestName(
      name,
      COMMANDS.map((c) => c.name),
    );
    const hint = guess ? `\nDid you mean \`claude-otel-lake ${guess}\`?` : `\n\n${mainUsage()}`;
    io.err(`claude-otel-lake: unknown command "${name}"${hint}`);
    return 2;
  }
  try {
    const command = await entry.load();
    return (await command.run(rest, io)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(
        `claude-otel-lake ${name}: ${error.message}\nRun \`claude-otel-lake ${name} --help\` for usage.`,
      );
      return 2;
    }
    if (error instanceof CliError) {
      io.err(`claude-otel-lake ${name}: ${error.message}`);
      return error.exitCode;
    }
    io.err(
      `claude-otel-lake ${name}: unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
}

/** Runs the process's own command line; called by the `claude-otel-lake` bin. */
export async function main(): Promise<void> {
  const io: CommandIO = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    cwd: process.cwd(),
    env: process.env,
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
