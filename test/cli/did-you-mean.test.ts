import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../scripts/did-you-mean.ts';

describe('closestName', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours as one edit each', () => {
    expect(editDistance('query', 'query')).toBe(0);
    expect(editDistance('quer', 'query')).toBe(1);
    expect(editDistance('queryy', 'query')).toBe(1);
    expect(editDistance('qvery', 'query')).toBe(1);
    expect(editDistance('qeury', 'query')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('picks the nearest name within the limit, and nothing when none is close', () => {
    const names = ['serve', 'demo', 'compact', 'schema', 'query', 'digest', 'dashboard'];
    expect(closestName('qeury', names)).toBe('query');
    expect(closestName('schemas', names)).toBe('schema');
    expect(closestName('xyzzy', names)).toBeUndefined();
    expect(closestName('dmo', names)).toBe('demo');
    expect(closestName('abc', names)).toBeUndefined();
  });
});
