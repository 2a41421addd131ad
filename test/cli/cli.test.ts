import { describe, expect, it } from 'vitest';
import { runCli } from '../../scripts/cli.ts';
import { COMMANDS } from '../../scripts/commands/index.ts';
import { captureIO } from '../helpers/cli-io.ts';

const capture = () => captureIO();

describe('runCli', () => {
  it('lists every command in the top-level help', async () => {
    const { io, out } = capture();
    expect(await runCli(['--help'], io)).toBe(0);
    const help = out.join('\n');
    const width = Math.max(...COMMANDS.map((c) => c.name.length));
    for (const c of COMMANDS) expect(help).toContain(`\n  ${c.name.padEnd(width)}  ${c.summary}\n`);
  });

  it('exits 2 for an unknown command and names it', async () => {
    const { io, err } = capture();
    expect(await runCli(['nope'], io)).toBe(2);
    expect(err.join('\n')).toContain('unknown command "nope"');
  });

  it('turns bad flags into a usage error with exit code 2', async () => {
    const { io, err } = capture();
    expect(await runCli(['schema', '--format', 'xml'], io)).toBe(2);
    expect(err.join('\n')).toContain('--format must be markdown or json');
  });

  it('prints --help for a command', async () => {
    const { io, out } = capture();
    expect(await runCli(['schema', '--help'], io)).toBe(0);
    expect(out.join('\n')).toContain('Usage: claude-otel-lake schema');
  });
});
