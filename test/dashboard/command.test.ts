import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limiter } from '../../functions/dashboard/limit.ts';
import { runCli } from '../../scripts/cli.ts';
import { startDashboardCommand } from '../../scripts/commands/dashboard.ts';
import { captureIO } from '../helpers/cli-io.ts';

const capture = (env: NodeJS.ProcessEnv = {}) => captureIO(process.cwd(), env);

let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dashboard-cmd-'));
});
afterAll(() => rm(lake, { recursive: true, force: true }));

describe('dashboard command', () => {
  it('prints its usage with --help', async () => {
    const { io, out } = capture();
    expect(await runCli(['dashboard', '--help'], io)).toBe(0);
    expect(out.join('\n')).toContain('--token TOKEN');
  });

  it.each([
    [['--port', 'http'], '--port must be a number from 0 to 65535; got "http"'],
    [['--port', '70000'], '--port must be a number'],
    [['--token', 'short'], '--token must be at least 8 printable characters'],
    [['--host', '0.0.0.0'], '--host 0.0.0.0 is reachable from other machines: give --token'],
    [['--engine', 'sqlite'], '--engine must be local or athena; got "sqlite"'],
    [['--since', '7d'], 'Unknown option'],
  ])('refuses %j with exit code 2', async (args, message) => {
    const { io, err } = capture();
    expect(await runCli(['dashboard', '--lake', lake, ...args], io)).toBe(2);
    expect(err.join('\n')).toContain(message);
  });

  it('names a missing lake in one line, exit code 1', async () => {
    const { io, err } = capture();
    expect(await runCli(['dashboard', '--lake', join(lake, 'nope')], io)).toBe(1);
    expect(err.join('\n')).toMatch(/no lake at .*nope/);
  });

  it('serves the page and the API on loopback, with the token from the environment', async () => {
    const { io } = capture({ DASHBOARD_TOKEN: 'env-token-123', TEAM_TIME_ZONE: 'Asia/Tokyo' });
    const running = await startDashboardCommand(['--lake', lake, '--port', '0'], io);
    try {
      expect(running!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(running!.tokenRequired).toBe(true);
      expect((await fetch(`${running!.url}/`)).status).toBe(200);
      expect((await fetch(`${running!.url}/api/meta`)).status).toBe(401);
      const meta = await fetch(`${running!.url}/api/meta?token=env-token-123`);
      expect(await meta.json()).toMatchObject({ engine: 'local', timeZone: 'Asia/Tokyo' });
    } finally {
      await running!.close();
    }
  });
});

describe('limiter', () => {
  it('runs at most n tasks at once, in order', async () => {
    const limit = limiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      order.push(i);
      running--;
      if (i === 1) throw new Error('one fails');
      return i;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => limit(task(i))));
    expect(peak).toBe(2);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect(order).toHaveLength(5);
  });
});
