import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitSandbox } from '../../../test/fixtures/git/sandbox.js';
import { GitError } from './git-exec.js';
import { lineSurvival } from './line-survival.js';

const DAY = 86_400;
const T0 = Date.UTC(2025, 2, 1) / 1000;
const numbered = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag} ${i}`);
const text = (rows: string[]) => `${rows.join('\n')}\n`;

let sandbox: GitSandbox;
let repo: string;
const sha: Record<string, string> = {};

beforeAll(() => {
  sandbox = new GitSandbox();
  sandbox.pinProcessEnv();
  repo = sandbox.init('survival');
  sandbox.write(repo, 'base.txt', 'base\n');
  sha.base = sandbox.commit(repo, 'base', { seconds: T0 });

  const x = numbered('x', 10);
  const y = numbered('y', 5);
  sandbox.write(repo, 'src/x file.ts', text(x));
  sandbox.write(repo, 'y.txt', text(y));
  sandbox.write(repo, 'blob.bin', Buffer.from([0, 1, 2]));
  sha.target = sandbox.commit(repo, 'target', { seconds: T0 + DAY });

  // day 3: three of x's lines rewritten
  sandbox.write(repo, 'src/x file.ts', text(x.map((l, i) => (i < 3 ? `${l} changed` : l))));
  sha.edit = sandbox.commit(repo, 'edit', { seconds: T0 + 3 * DAY });

  // day 6: y moves and loses one line
  sandbox.mv(repo, 'y.txt', 'moved/y renamed.txt');
  sandbox.write(repo, 'moved/y renamed.txt', text(y.slice(1)));
  sha.move = sandbox.commit(repo, 'move', { seconds: T0 + 6 * DAY });

  // day 11: x is deleted
  sandbox.git(repo, ['rm', '-q', 'src/x file.ts']);
  sha.drop = sandbox.commit(repo, 'drop', { seconds: T0 + 11 * DAY });

  sandbox.git(repo, ['checkout', '-q', '-b', 'unmerged']);
  sandbox.write(repo, 'side.txt', text(numbered('s', 4)));
  sha.side = sandbox.commit(repo, 'side', { seconds: T0 + 12 * DAY });
  sandbox.git(repo, ['checkout', '-q', 'main']);
});

afterAll(() => sandbox.cleanup());

describe('lineSurvival', () => {
  it('counts every added text line as surviving before anything touched them', async () => {
    expect(await lineSurvival(repo, sha.target!, 1)).toEqual({
      sha: sha.target,
      added: 15,
      surviving: 15,
      horizonSha: sha.target,
      horizonContainsCommit: true,
    });
  });

  it('loses the lines later commits rewrote', async () => {
    const r = await lineSurvival(repo, sha.target!, 3);
    expect([r.horizonSha, r.surviving]).toEqual([sha.edit, 12]);
  });

  it('follows a renamed file', async () => {
    const r = await lineSurvival(repo, sha.target!.slice(0, 10), 6);
    expect([r.horizonSha, r.added, r.surviving]).toEqual([sha.move, 15, 11]);
  });

  it('blames at the branch tip when the horizon is still ahead, and a deleted file keeps nothing', async () => {
    const r = await lineSurvival(repo, sha.target!, 365);
    expect([r.horizonSha, r.surviving]).toEqual([sha.drop, 4]);
  });

  it('reports a commit that never reached the default branch', async () => {
    expect(await lineSurvival(repo, sha.side!, 30)).toEqual({
      sha: sha.side,
      added: 4,
      surviving: 0,
      horizonSha: sha.drop,
      horizonContainsCommit: false,
    });
  });

  it('rejects an unknown commit with a GitError', async () => {
    await expect(lineSurvival(repo, 'deadbeefdeadbeef', 7)).rejects.toBeInstanceOf(GitError);
  });
});
