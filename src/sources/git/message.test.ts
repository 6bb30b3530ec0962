import { describe, expect, it } from 'vitest';
import { pullRequestNumber, revertedSha, subjectOf } from './message.js';

describe('subjectOf', () => {
  it('is the first line, trimmed', () => {
    expect(subjectOf('Add x (#3)  \n\nbody\n')).toBe('Add x (#3)');
    expect(subjectOf('single')).toBe('single');
  });
});

describe('pullRequestNumber', () => {
  it.each([
    ['Merge pull request #12 from org/branch', 12],
    ['Add widget (#345)', 345],
    ['Add widget (#345) ', null], // subjectOf trims, so a raw trailing space is not GitHub's form
    ['Revert "Add widget (#345)"', null],
    ['Revert "Add widget (#345)" (#346)', 346],
    ['Fix #12 in parser', null],
    ['Merge branch main into feature', null],
    ['Merge pull request #0 from x/y', null],
  ])('%s → %s', (subject, expected) => {
    expect(pullRequestNumber(subject)).toBe(expected);
  });
});

describe('revertedSha', () => {
  it('reads full and abbreviated SHAs, and the revert.reference form', () => {
    const full = '0123456789abcdef0123456789abcdef01234567';
    expect(revertedSha(`Revert "x"\n\nThis reverts commit ${full}.\n`)).toBe(full);
    expect(revertedSha('Revert\n\nThis reverts commit ABCDEF1.\n')).toBe('abcdef1');
    expect(revertedSha('Revert "x"\n\nThis reverts commit 1a2b3c4 (x, 2025-01-01).\n')).toBe('1a2b3c4');
  });

  it('ignores near misses', () => {
    expect(revertedSha('This reverts commit 12345.')).toBeNull();
    expect(revertedSha('Mentions reverts commit abcdef12 casually')).toBeNull();
  });
});
