import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { columnReferenceMarkdown } from '../../scripts/commands/schema.ts';

describe('README column reference', () => {
  it('is the table generated from functions/schema/columns.ts', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const match = /<!-- columns:start -->\n([\s\S]*?)\n<!-- columns:end -->/.exec(readme);
    expect(match, 'README.md lacks the columns markers').not.toBeNull();
    // On failure: paste the output of `npx claude-otel-lake schema` between the markers.
    expect(match?.[1]).toBe(columnReferenceMarkdown());
  });
});
