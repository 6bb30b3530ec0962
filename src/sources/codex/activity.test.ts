import { describe, expect, it } from 'vitest';
import {
  commandText,
  countDiffLines,
  countPatchChanges,
  isGitCommit,
  parseCommitOutput,
} from './activity.js';

describe('git commits', () => {
  it('recognises git commit inside shell command lines, and nothing else', () => {
    expect(isGitCommit('git commit -m "x"')).toBe(true);
    expect(isGitCommit('bash -lc git add -A && git commit -am "x"')).toBe(true);
    expect(isGitCommit('git -C /repo -c user.name=bot commit --amend --no-edit')).toBe(true);
    expect(isGitCommit('git commit-tree HEAD^{tree}')).toBe(false);
    expect(isGitCommit('git log --grep commit')).toBe(false);
    expect(isGitCommit('echo digit commit')).toBe(false);
    expect(commandText(['bash', '-lc', 'git commit'])).toBe('bash -lc git commit');
    expect(commandText([1, 2])).toBeNull();
  });

  it('reads sha and branch from the summary line git prints', () => {
    expect(parseCommitOutput('hook ok\n[main 1a2b3c4] Fix it\n 1 file changed')).toEqual({
      sha: '1a2b3c4',
      branch: 'main',
    });
    expect(parseCommitOutput('[feat/x (root-commit) abcdef0] Initial')).toEqual({
      sha: 'abcdef0',
      branch: 'feat/x',
    });
    expect(parseCommitOutput('[detached HEAD 0123abc] wip')).toEqual({ sha: '0123abc', branch: null });
    expect(parseCommitOutput('nothing to commit, working tree clean')).toBeNull();
  });
});

describe('patch line counts', () => {
  it('counts +/- lines, treating ---/+++ as headers only before the first hunk', () => {
    const diff = '--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n+++i\n ctx\n--- removed dashes\n';
    expect(countDiffLines(diff)).toEqual({ added: 1, removed: 2 });
  });

  it('handles tagged and externally tagged changes, deletes, and nothing usable', () => {
    expect(
      countPatchChanges({
        '/a': { type: 'add', content: 'one\ntwo' },
        '/b': { delete: { content: 'x\ny\nz\n' } },
        '/c': { type: 'update', unified_diff: '@@ -1 +1 @@\n-old\n+new\n', move_path: '/d' },
      }),
    ).toEqual({ added: 3, removed: 4 });
    expect(countPatchChanges({ '/a': { type: 'rename' } })).toBeNull();
    expect(countPatchChanges('nope')).toBeNull();
  });
});
