import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../functions/digest/build-digest.ts';
import { describePeriod } from '../../functions/digest/period.ts';
import { renderDigest } from '../../functions/digest/render.ts';
import { digestCommand } from '../../scripts/commands/digest.ts';

/**
 * The usage-digest skill drives the command; these checks keep the two from drifting apart: the
 * skill's frontmatter, the digest flags it uses, and the JSON fields its guide documents.
 */
const SKILL_DIR = new URL('../../.claude/skills/usage-digest/', import.meta.url);
const read = (path: string) => readFile(new URL(path, SKILL_DIR), 'utf8');

describe('usage-digest skill', () => {
  it('has a frontmatter Claude Code reads, named like its directory, run by hand only', async () => {
    const skill = await read('SKILL.md');
    const front = /^---\n([\s\S]*?)\n---\n/.exec(skill)?.[1] ?? '';
    expect(front).toMatch(/^name: usage-digest$/m);
    expect(front).toMatch(/^description: >/m);
    expect(front).toMatch(/^disable-model-invocation: true$/m);
    expect(front).toContain('WebFetch(domain:code.claude.com)');
  });

  it('has YAML frontmatter: a folded description indented under its key, nothing else loose', async () => {
    const skill = await read('SKILL.md');
    const front = /^---\n([\s\S]*?)\n---\n/.exec(skill)?.[1] ?? '';
    let inBlock = false;
    const description: string[] = [];
    let key = '';
    for (const line of front.split('\n')) {
      if (line.trim() === '') continue;
      if (inBlock && /^ {2}\S/.test(line)) {
        if (key === 'description') description.push(line.trim());
        continue;
      }
      const m = /^([a-z][a-z-]*): ?(.*)$/.exec(line);
      expect(
        m,
        `frontmatter line is neither "key: value" nor indented under a block scalar: ${line}`,
      ).not.toBeNull();
      key = m![1]!;
      inBlock = m![2] === '>' || m![2] === '|';
    }
    expect(description.join(' ')).toMatch(/weekly Claude Code usage digest/);
  });

  it('allows exactly the commands and files its steps use (permission rule syntax)', async () => {
    const skill = await read('SKILL.md');
    const front = /^---\n([\s\S]*?)\n---\n/.exec(skill)?.[1] ?? '';
    const tools = /^allowed-tools: (.*)$/m.exec(front)?.[1]?.match(/[A-Za-z]+(\([^)]*\))?/g) ?? [];
    const specifiers = (tool: string) =>
      tools.filter((t) => t.startsWith(`${tool}(`)).map((t) => t.slice(tool.length + 1, -1));
    const glob = (pattern: string, star: string) =>
      new RegExp(
        `^${pattern
          .split(/(\*\*|\*)/)
          .map((part) =>
            part === '**' ? '.*' : part === '*' ? star : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
          )
          .join('')}$`,
      );
    const bash = specifiers('Bash').map((p) => glob(p, '.*'));
    const commands = [...skill.matchAll(/```bash\n([\s\S]*?)```/g)].flatMap((m) =>
      m[1]!
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    );
    expect(commands.length).toBeGreaterThan(3);
    for (const command of commands)
      expect(
        bash.some((re) => re.test(command)),
        command,
      ).toBe(true);
    // Path rules are Read/Edit rules (Edit covers Write); `//` anchors at the filesystem root.
    expect(specifiers('Write')).toEqual([]);
    const edits = specifiers('Edit');
    for (const path of edits) expect(path, 'an absolute path rule starts with //').toMatch(/^\/\/|^~\//);
    const insights = '/tmp/claude/usage-digest/insights.md';
    expect(skill).toContain(insights);
    expect(edits.some((p) => glob(p.replace(/^\//, ''), '[^/]*').test(insights))).toBe(true);
  });

  it('has a template whose part labels are Slack bold (*x*), not Markdown-reformatted italics', async () => {
    const template = await read('templates/insights.md');
    for (const label of ['Praise', 'Trends', 'Try next']) {
      expect(template).toMatch(new RegExp(`^\\*${label}\\*$`, 'm'));
    }
    expect(template).not.toMatch(/^_[A-Z][a-z ]+_$/m);
  });

  it('uses only flags the digest command has', async () => {
    const skill = await read('SKILL.md');
    const mode1 = skill.slice(skill.indexOf('## Mode 1'), skill.indexOf('## Mode 2'));
    const used = new Set(mode1.match(/--[a-z][a-z-]+/g));
    expect([...used]).toEqual(expect.arrayContaining(['--format', '--insights-file', '--post']));
    for (const flag of used) expect(digestCommand.usage).toContain(`${flag} `);
  });

  it('documents JSON fields the digest really has', async () => {
    const guide = await read('references/insights-guide.md');
    const t = { activeUsers: 1, sessions: 2, messages: 3, skills: 1, subagents: 1, mcpCalls: 1, costUsd: 1 };
    const digest = JSON.parse(
      renderDigest(
        buildDigest(
          {
            totals: t,
            previousTotals: t,
            skillUsers: [{ name: 's', user: 'a', count: 1 }],
            subagentUsers: [{ name: 'Explore', user: 'a', count: 1 }],
            mcpUsers: [{ name: 'm', user: 'a', count: 1 }],
            userActivity: [{ user: 'a', sessions: 2, messages: 3 }],
            models: [{ model: 'x', requests: 1, costUsd: 1 }],
            cacheHitRate: 0.5,
          },
          {
            period: describePeriod({ from: new Date(0), to: new Date(86_400_000 * 7), timeZone: 'UTC' }, 7),
            generatedAt: new Date(0),
          },
        ),
        'json',
      ),
    );
    // First cells of the guide's field table: `a.b`, `c[]`, `totals.<name>.value / previous / changePct`.
    const fields = guide
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    expect(fields.length).toBeGreaterThan(6);
    const paths = fields.flatMap((field) => {
      const [first, ...siblings] = field.split(' / ');
      const parent = first!.split('.').slice(0, -1);
      return [first!, ...siblings.map((leaf) => [...parent, leaf].join('.'))];
    });
    for (const path of paths) {
      const keys = path.replace('<name>', 'sessions').replace(/\[\]/g, '.0').split('.');
      const value = keys.reduce<unknown>(
        (node, key) => (node as Record<string, unknown> | undefined)?.[key],
        digest,
      );
      expect(value, path).toBeDefined();
    }
  });
});
