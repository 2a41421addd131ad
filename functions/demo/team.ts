import type { Prng } from './prng.ts';

/** A demo team member: how much they use Claude Code and what they favour. */
export interface Member {
  readonly email: string;
  readonly plan: string;
  readonly appVersion: string;
  readonly terminal: string;
  readonly os: string;
  readonly arch: string;
  /** Expected sessions per working day (0 = inactive this week). */
  readonly sessionsPerDay: number;
  readonly favouriteSkills: readonly string[];
  readonly mcpServers: readonly string[];
  readonly modelBias: 'opus' | 'sonnet' | 'mixed';
}

const NAMES = [
  'aiko',
  'ben',
  'carla',
  'dev',
  'emma',
  'farid',
  'grace',
  'hiro',
  'ines',
  'jonas',
  'kasama',
  'lena',
  'mateo',
  'nora',
  'omar',
  'priya',
  'quinn',
  'rosa',
  'sven',
  'tara',
];
const PLANS = ['pro', 'max-5x', 'max-20x', 'team'] as const;
// Versions on both sides of 2.1.122, where numeric attributes stopped being strings.
const VERSIONS = ['2.1.118', '2.1.121', '2.1.122', '2.1.125'] as const;
export const SKILLS = [
  'daily-note',
  'create-pr',
  'review-pr',
  'write-tests',
  'release-notes',
  'db-migration',
] as const;
export const MCP_SERVERS = ['slack', 'google-calendar', 'github', 'linear', 'notion'] as const;

/**
 * A seeded team of `size` people. The last member of a team of four or more is inactive (zero
 * sessions) so that the digest's rule "never name inactive users" has someone to protect.
 */
export function makeTeam(prng: Prng, size: number): Member[] {
  return Array.from({ length: size }, (_, i) => {
    const name = NAMES[i % NAMES.length]! + (i >= NAMES.length ? String(Math.floor(i / NAMES.length)) : '');
    const inactive = size >= 4 && i === size - 1;
    const skills = [...SKILLS].sort(() => prng.next() - 0.5).slice(0, prng.int(1, 3));
    const servers = [...MCP_SERVERS].sort(() => prng.next() - 0.5).slice(0, prng.int(0, 2));
    return {
      email: `${name}@example.com`,
      plan: prng.pick(PLANS),
      appVersion: prng.pick(VERSIONS),
      terminal: prng.pick(['vscode', 'iTerm.app', 'ghostty', 'WarpTerminal', 'cursor']),
      os: prng.weighted([
        ['darwin', 7],
        ['linux', 2],
        ['windows', 1],
      ] as const),
      arch: prng.pick(['arm64', 'x64']),
      sessionsPerDay: inactive
        ? 0
        : prng.weighted([
            [0.6, 2],
            [1.5, 4],
            [3, 3],
            [5, 1],
          ] as const),
      favouriteSkills: skills,
      mcpServers: servers,
      modelBias: prng.weighted([
        ['opus', 2],
        ['sonnet', 4],
        ['mixed', 3],
      ] as const),
    };
  });
}
