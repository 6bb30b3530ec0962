import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitSandbox } from '../../../test/fixtures/git/sandbox.js';
import { discoverRepositories } from './discover.js';

let sandbox: GitSandbox;

beforeAll(() => {
  sandbox = new GitSandbox();
});

afterAll(() => sandbox.cleanup());

describe('discoverRepositories', () => {
  it('finds work trees, worktree checkouts and bare repositories, and skips node_modules', async () => {
    const src = join(sandbox.root, 'src');
    const a = sandbox.init('src/a');
    const b = sandbox.init('src/group/b');
    sandbox.write(b, 'f.txt', 'x\n');
    sandbox.commit(b, 'x');
    const worktree = join(src, 'group', 'b-feature');
    sandbox.git(b, ['worktree', 'add', '-q', '-b', 'feature', worktree]);
    const bare = join(src, 'c.git');
    sandbox.git(sandbox.root, ['init', '-q', '--bare', bare]);
    sandbox.init('src/app/node_modules/dep');
    sandbox.init('src/a/vendor/nested');
    mkdirSync(join(src, 'empty-dir'));
    symlinkSync(src, join(src, 'loop'));
    writeFileSync(join(src, 'notes.txt'), 'not a repo');

    expect(await discoverRepositories([src, join(sandbox.root, 'missing')])).toEqual(
      [a, bare, b, worktree].sort(),
    );
  });

  it('stops at the depth asked', async () => {
    const deep = sandbox.init('depth/one/two/three');
    const root = join(sandbox.root, 'depth');
    expect(await discoverRepositories([root], { maxDepth: 2 })).toEqual([]);
    expect(await discoverRepositories([root], { maxDepth: 3 })).toEqual([deep]);
  });
});
