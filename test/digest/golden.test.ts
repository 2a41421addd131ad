import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../scripts/cli-kit.ts';
import { createDigestCommand } from '../../scripts/commands/digest.ts';
import { buildTestLake, type TestLake } from '../helpers/lake.ts';

/**
 * The digest as text for a fixed seed and a fixed clock, kept under test/fixtures/digest/ and
 * read by a person once. Regenerate after an intended change with
 *   UPDATE_GOLDEN=1 npx vitest run test/digest/golden.test.ts
 * and read the diff as the team would read the message.
 */
const GOLDEN = new URL('../fixtures/digest/weekly-digest.golden.txt', import.meta.url);
const NOW = new Date('2026-01-12T08:00:00Z'); // Monday 09:00 in Berlin

let lake: TestLake;
beforeAll(async () => {
  lake = await buildTestLake({ seed: 42, teamSize: 15, days: 14, endMs: Date.UTC(2026, 0, 12) });
});
afterAll(() => lake.dispose());

describe('digest golden text', () => {
  it('matches the reviewed text for seed 42, Monday 12 Jan 2026 09:00 Europe/Berlin', async () => {
    const out: string[] = [];
    const io: CommandIO = { out: (t) => out.push(t), err: () => {}, cwd: process.cwd(), env: {} };
    const command = createDigestCommand({ now: () => NOW });
    expect(await command.run(['--lake', lake.dir, '--tz', 'Europe/Berlin', '--format', 'text'], io)).toBe(0);
    const text = `${out.join('\n')}\n`;
    if (process.env.UPDATE_GOLDEN) await writeFile(GOLDEN, text);
    expect(text).toBe(await readFile(GOLDEN, 'utf8'));
  });
});
