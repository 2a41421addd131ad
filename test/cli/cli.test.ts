import { describe, expect, it } from 'vitest';
import { runCli } from '../../scripts/cli.ts';
import { COMMANDS } from '../../scripts/commands/index.ts';
import { captureIO } from '../helpers/cli-io.ts';

const capture = (cwd?: string) => captureIO(cwd);

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
    expect(err.join('\n')).not.toContain('Did you mean');
  });

  it('suggests the closest command for a typo', async () => {
    for (const [typo, meant] of [
      ['qeury', 'query'],
      ['dashbord', 'dashboard'],
      ['Serve', 'serve'],
      ['compcat', 'compact'],
    ]) {
      const { io, err } = capture();
      expect(await runCli([typo!], io)).toBe(2);
      expect(err.join('\n')).toContain(`Did you mean \`claude-otel-lake ${meant}\`?`);
    }
  });

  it('suggests the closest flag for a mistyped option', async () => {
    const { io, err } = capture();
    expect(await runCli(['query', 'team_totals', '--form', '2026-01-01'], io)).toBe(2);
    expect(err.join('\n')).toContain("Unknown option '--form' (did you mean --from?)");
  });

  it('treats a date the calendar does not have as a usage error (exit 2), before opening any lake', async () => {
    for (const date of ['2026-13-01', '2026-02-30', '2026-00-10']) {
      const { io, err } = capture('/nonexistent');
      expect(await runCli(['query', 'team_totals', '--from', date], io)).toBe(2);
      expect(err.join('\n')).toContain(
        `--from must be yyyy-MM-dd or an ISO timestamp with a zone; got "${date}"`,
      );
      expect(err.join('\n')).not.toContain('unexpected error');
    }
  });

  it('registers each command under the name and summary the command itself has', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect({ name: command.name, summary: command.summary }).toEqual({
        name: entry.name,
        summary: entry.summary,
      });
    }
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
