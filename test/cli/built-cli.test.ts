import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../../scripts/spawn-serve.ts';

/**
 * The real `claude-otel-lake` bin, compiled by the globalSetup (test/helpers/build-cli.ts), run as
 * a user runs it: it must use dist/ (no tsx, no fallback note) and load no heavy package for --help.
 */
const dir = mkdtempSync(join(tmpdir(), 'built-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RECORDER = fileURLToPath(new URL('../helpers/record-imports.mjs', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

function run(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const imports = join(dir, `imports-${Math.random().toString(36).slice(2)}.txt`);
  const result = spawnSync(process.execPath, ['--import', RECORDER, CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env, RECORD_IMPORTS: imports },
    cwd: dir,
  });
  const loaded = readFileSync(imports, 'utf8').split('\n').filter(Boolean);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, loaded };
}

describe('the built claude-otel-lake bin', () => {
  it('prints --help from dist/ without tsx or any heavy package', () => {
    const { code, stdout, stderr, loaded } = run(['--help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: claude-otel-lake <command>');
    expect(stdout).toMatch(/\n {2}query +Run a named query/);
    expect(loaded.some((url) => url.includes('/dist/cli.js'))).toBe(true);
    const packages = loaded.filter((url) => url.includes('/node_modules/'));
    expect(packages).toEqual([]);
    expect(loaded.filter((url) => url.endsWith('.ts'))).toEqual([]);
  });

  it('prints the package version and exits 2 for a mistyped command with a suggestion', () => {
    const version = run(['--version']);
    expect(version.stdout.trim()).toBe(`claude-otel-lake ${pkg.version}`);
    expect(version.code).toBe(0);
    const typo = run(['sevre']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown command "sevre"');
    expect(typo.stderr).toContain('Did you mean `claude-otel-lake serve`?');
  });

  it('runs the sources through tsx when told to, with the same help', () => {
    const built = run(['--help']);
    const source = run(['--help'], { CLAUDE_OTEL_LAKE_FROM_SOURCE: '1' });
    expect(source.code).toBe(0);
    expect(source.stdout).toBe(built.stdout);
    expect(source.loaded.some((url) => url.endsWith('/scripts/cli.ts'))).toBe(true);
  });
});
