import { describe, expect, it } from 'vitest';
import { commit, sha } from '../value/fixtures.js';
import { normaliseSha, ShaIndex } from './sha-index.js';

describe('ShaIndex', () => {
  const a = commit({ label: 'a', repo: 'acme/api' });
  const b = commit({ label: 'b', repo: 'acme/web' });
  // Same first 8 characters as `a`, different repository: a realistic 7-char collision.
  const twin = commit({ label: 'twin', repo: 'acme/web', sha: `${a.sha.slice(0, 8)}${'0'.repeat(32)}` });
  const index = new ShaIndex();
  for (const c of [a, b, twin]) index.add(c);

  it('matches abbreviated SHAs of at least 7 characters, case-insensitively', () => {
    expect(index.find(b.sha.slice(0, 7))).toEqual([b]);
    expect(index.find(b.sha.slice(0, 12).toUpperCase())).toEqual([b]);
    expect(index.find(b.sha)).toEqual([b]);
  });

  it('ignores prefixes shorter than 7 characters and non-hex strings', () => {
    expect(index.find(b.sha.slice(0, 6))).toEqual([]);
    expect(normaliseSha('zzzzzzz')).toBeUndefined();
  });

  it('restricts to repositories and reports ambiguity instead of guessing', () => {
    const short = a.sha.slice(0, 8);
    expect(index.find(short)).toHaveLength(2);
    expect(index.find(short, ['acme/api'])).toEqual([a]);
    expect(index.resolve(short).kind).toBe('ambiguous');
    expect(index.resolve(short, ['acme/web'])).toEqual({ kind: 'found', commit: twin });
    expect(index.resolve(a.sha.slice(0, 9)).kind).toBe('found');
    expect(index.resolve(sha('nothing')).kind).toBe('missing');
  });

  it('finds a commit by full SHA within one repository', () => {
    expect(index.exact('acme/api', a.sha)).toBe(a);
    expect(index.exact('acme/web', a.sha)).toBeUndefined();
  });
});
