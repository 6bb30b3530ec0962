import { describe, expect, it } from 'vitest';
import { commit, sha } from '../value/fixtures.js';
import { normaliseSha, SHA_AMBIGUOUS, ShaIndex } from './sha-index.js';

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

  it('keeps every commit findable, and same-prefix commits in insertion order, as the table grows', () => {
    const grown = new ShaIndex();
    const all = Array.from({ length: 5000 }, (_, i) => commit({ label: `c${i}`, repo: `acme/r${i % 3}` }));
    // Three commits sharing a 7-character prefix, added early, in between and late.
    const prefix = all[0]!.sha.slice(0, 7);
    const twins = [1, 2, 3].map((k) =>
      commit({ label: `twin${k}`, repo: 'acme/r9', sha: `${prefix}${String(k).repeat(33)}` }),
    );
    grown.add(twins[0]!, 9000);
    all.forEach((c, i) => {
      grown.add(c, i);
      if (i === 2500) grown.add(twins[1]!, 9001);
    });
    grown.add(twins[2]!, 9002);
    for (const i of [0, 1, 1023, 1024, 2047, 4999]) {
      expect(grown.exactIndex(all[i]!.repo, all[i]!.sha)).toBe(i);
      expect(grown.findIndex(all[i]!.sha.slice(0, 12), [all[i]!.repo])).toBe(i);
    }
    expect(grown.find(prefix)).toEqual([twins[0], all[0], twins[1], twins[2]]);
    expect(grown.findIndex(prefix, ['acme/r9'])).toBe(SHA_AMBIGUOUS);
    expect(grown.resolveIndex(`${prefix}2`, 'acme/r9')).toBe(9001);
    expect(grown.exactIndex('acme/r0', twins[0]!.sha)).toBe(-1);
  });
});
