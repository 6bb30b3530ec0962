import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitSandbox, type Person, plainNumstat } from '../../../test/fixtures/git/sandbox.js';
import type { CommitRecord } from '../../ledger/work.js';
import type { GitSkip } from './inspect.js';
import { type GitRepositoryRead, readGitRepository } from './source.js';
import { type GitRepoState, parseGitRepoState } from './state.js';

const BUNDLE = fileURLToPath(new URL('../../../test/fixtures/git/acme-api.bundle', import.meta.url));
const COPILOT_BOT: Person = {
  name: 'copilot-swe-agent[bot]',
  email: '198982749+Copilot@users.noreply.github.com',
};

let sandbox: GitSandbox;

beforeAll(() => {
  sandbox = new GitSandbox();
  // The source's own git children must not see the machine's ~/.gitconfig either.
  sandbox.pinProcessEnv();
});

afterAll(() => sandbox.cleanup());

function asRead(result: GitRepositoryRead | GitSkip): GitRepositoryRead {
  if (result.kind === 'skip') throw new Error(`unexpected skip: ${result.message}`);
  return result;
}

async function readAll(
  path: string,
  state: GitRepoState | null = null,
  batchSize?: number,
): Promise<{ read: GitRepositoryRead; commits: CommitRecord[]; batches: number }> {
  const read = asRead(await readGitRepository(path, state, batchSize ? { batchSize } : {}));
  const commits: CommitRecord[] = [];
  let batches = 0;
  for await (const batch of read.commits) {
    batches++;
    commits.push(...batch);
  }
  expect(read.stats.malformed).toBe(0);
  return { read, commits, batches };
}

function bySha(commits: CommitRecord[]): Map<string, CommitRecord> {
  return new Map(commits.map((c) => [c.sha, c]));
}

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i}\n`).join('');

describe('readGitRepository on a repository with every kind of commit', () => {
  let repo: string;
  const sha: Record<string, string> = {};

  beforeAll(() => {
    repo = sandbox.init('rich');
    sandbox.git(repo, ['remote', 'add', 'origin', 'git@github.com:acme/rich.git']);
    sandbox.write(repo, 'README.md', lines(5, 'readme'));
    sandbox.write(repo, 'file with spaces.txt', lines(8, 'space'));
    sandbox.write(repo, 'ünïcode/данные.txt', lines(3, 'uni'));
    sandbox.write(repo, 'logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    sha.root = sandbox.commit(repo, 'Initial commit');

    sandbox.git(repo, ['checkout', '-q', '-b', 'feature/limiter']);
    sandbox.write(repo, 'src/limiter.ts', lines(24, 'limit'));
    sha.claude = sandbox.commit(repo, 'Add limiter\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n');
    sandbox.git(repo, ['checkout', '-q', 'main']);
    sha.merge = sandbox.commitWith(repo, [
      'merge',
      '--no-ff',
      '-q',
      '-m',
      'Merge pull request #1 from acme/feature/limiter',
      'feature/limiter',
    ]);

    sandbox.write(repo, 'src/widget.ts', lines(10, 'widget'));
    sha.copilot = sandbox.commit(
      repo,
      'Add widget (#2)\n\n* widget\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>\n',
    );

    sandbox.mv(repo, 'file with spaces.txt', 'docs/renamed file.txt');
    sandbox.write(repo, 'docs/renamed file.txt', `${lines(8, 'space')}one more\n`);
    sha.cursor = sandbox.commit(repo, 'Move the doc\n\nMade-with: Cursor\n');

    sandbox.write(repo, 'logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 9, 9]));
    sandbox.write(repo, 'README.md', lines(4, 'readme'));
    sha.codex = sandbox.commit(repo, 'New logo\n\nCo-authored-by: Codex <codex@openai.com>\n');

    sandbox.write(repo, 'ünïcode/данные.txt', lines(6, 'uni'));
    sha.gemini = sandbox.commit(
      repo,
      'More data: ünïcode café\n\nCo-authored-by: Gemini CLI <gemini-cli@google.com>\n',
    );

    sandbox.write(repo, 'src/human.ts', lines(2, 'human'));
    sha.human = sandbox.commit(
      repo,
      'Pair work\n\nCo-authored-by: Alice Example <alice@example.com>\nCo-authored-by: Claude Monet <claude@monet.fr>\n',
    );

    sandbox.write(repo, 'src/session.ts', lines(3, 'session'));
    sha.session = sandbox.commit(
      repo,
      'Cloud session\n\nClaude-Session: https://claude.ai/code/session_01XYZ\n',
    );

    sha.revert = sandbox.commitWith(repo, ['revert', '--no-edit', sha.copilot!]);

    sandbox.write(repo, 'src/agent.ts', lines(7, 'agent'));
    sha.bot = sandbox.commit(repo, 'Agent change', { author: COPILOT_BOT });

    sandbox.write(repo, 'src/cursor-agent.ts', lines(2, 'ca'));
    sha.cursorCoauthor = sandbox.commit(
      repo,
      'Background agent\n\nCo-authored-by: Cursor <cursoragent@cursor.com>\n',
    );

    sandbox.git(repo, ['tag', '-a', 'v1.0.0', '-m', 'release']);

    sandbox.git(repo, ['checkout', '-q', '-b', 'wip']);
    sandbox.write(repo, 'src/wip.ts', lines(5, 'wip'));
    sha.wip = sandbox.commit(repo, 'Work in progress\n\nCo-authored-by: Codex <codex@openai.com>\n');
    sandbox.git(repo, ['checkout', '-q', 'main']);
  });

  it('reads every commit of every branch once, keyed by the origin remote', async () => {
    const { read, commits } = await readAll(repo);
    expect(read.repo).toBe('acme/rich');
    expect(read.defaultBranch).toBe('refs/heads/main');
    expect(read.full).toBe(true);
    const all = sandbox.git(repo, ['rev-list', '--branches', '--tags']).trim().split('\n');
    expect(commits.map((c) => c.sha).sort()).toEqual([...all].sort());
    expect(new Set(commits.map((c) => c.id)).size).toBe(commits.length);
    const root = bySha(commits).get(sha.root!)!;
    expect(root).toMatchObject({
      id: `git:acme/rich:${sha.root}`,
      repo: 'acme/rich',
      parents: [],
      subject: 'Initial commit',
      authorName: 'Dev Person',
      authorEmail: 'dev@example.com',
      committerEmail: 'dev@example.com',
      source: 'git',
      origin: repo,
      prNumber: null,
      revertsSha: null,
      aiEvidence: [],
    });
    expect(root.authorTs).toBe(Date.UTC(2025, 0, 1, 1));
  });

  it('finds exactly the AI-marked commits, with the right tool', async () => {
    const { commits } = await readAll(repo);
    const found = Object.fromEntries(
      commits
        .filter((c) => c.aiEvidence.length > 0)
        .map((c) => [c.sha, c.aiEvidence.map((e) => `${e.kind}:${e.tool}`)]),
    );
    expect(found).toEqual({
      [sha.claude!]: ['trailer:claude-code'],
      [sha.copilot!]: ['trailer:copilot'],
      [sha.cursor!]: ['trailer:cursor'],
      [sha.codex!]: ['trailer:codex'],
      [sha.gemini!]: ['trailer:gemini-cli'],
      [sha.session!]: ['trailer:claude-code'],
      [sha.bot!]: ['bot_author:copilot'],
      [sha.cursorCoauthor!]: ['trailer:cursor'],
      [sha.wip!]: ['trailer:codex'],
    });
    const human = bySha(commits).get(sha.human!)!;
    expect(human.trailers).toEqual([
      { key: 'Co-authored-by', value: 'Alice Example <alice@example.com>' },
      { key: 'Co-authored-by', value: 'Claude Monet <claude@monet.fr>' },
    ]);
    expect(bySha(commits).get(sha.claude!)!.aiEvidence).toEqual([
      { kind: 'trailer', tool: 'claude-code', detail: 'Co-Authored-By: Claude <noreply@anthropic.com>' },
    ]);
  });

  it('reads PR numbers from merge and squash subjects, and pairs the revert', async () => {
    const commits = bySha((await readAll(repo)).commits);
    expect(commits.get(sha.merge!)!.prNumber).toBe(1);
    expect(commits.get(sha.merge!)!.parents).toHaveLength(2);
    expect(commits.get(sha.copilot!)!.prNumber).toBe(2);
    const revert = commits.get(sha.revert!)!;
    expect(revert.revertsSha).toBe(sha.copilot);
    expect(revert.subject).toBe('Revert "Add widget (#2)"');
    expect(revert.prNumber).toBeNull();
    expect([...commits.values()].filter((c) => c.revertsSha !== null)).toHaveLength(1);
  });

  it('sums numstat exactly as plain `git log --numstat` does', async () => {
    const { commits } = await readAll(repo);
    const plain = plainNumstat(sandbox, repo, ['--branches', '--tags']);
    const sum = (rows: Iterable<{ additions: number; deletions: number; filesChanged: number }>) => {
      const t = { additions: 0, deletions: 0, filesChanged: 0 };
      for (const r of rows) {
        t.additions += r.additions;
        t.deletions += r.deletions;
        t.filesChanged += r.filesChanged;
      }
      return t;
    };
    expect(plain.size).toBe(commits.length);
    expect(sum(commits)).toEqual(sum(plain.values()));
    for (const c of commits) {
      expect({ sha: c.sha, a: c.additions, d: c.deletions, f: c.filesChanged }).toEqual({
        sha: c.sha,
        a: plain.get(c.sha)!.additions,
        d: plain.get(c.sha)!.deletions,
        f: plain.get(c.sha)!.filesChanged,
      });
    }
    const byId = bySha(commits);
    expect(byId.get(sha.cursor!)).toMatchObject({ additions: 1, deletions: 0, filesChanged: 1 });
    expect(byId.get(sha.codex!)).toMatchObject({ additions: 0, deletions: 1, filesChanged: 2 });
    expect(byId.get(sha.merge!)).toMatchObject({ additions: 0, deletions: 0, filesChanged: 0 });
  });

  it('marks what is reachable from the default branch', async () => {
    const commits = bySha((await readAll(repo)).commits);
    const offMain = [...commits.values()].filter((c) => !c.onDefaultBranch).map((c) => c.sha);
    expect(offMain).toEqual([sha.wip]);
    expect(commits.get(sha.claude!)!.onDefaultBranch).toBe(true);
  });

  it('yields batches of the requested size', async () => {
    const { commits, batches } = await readAll(repo, null, 4);
    expect(batches).toBe(Math.ceil(commits.length / 4));
  });

  it('lets the consumer stop early, and the next full read is unaffected', async () => {
    const total = sandbox.git(repo, ['rev-list', '--branches', '--tags']).trim().split('\n').length;
    const read = asRead(await readGitRepository(repo, null, { batchSize: 2 }));
    let seen = 0;
    for await (const batch of read.commits) {
      seen += batch.length;
      break;
    }
    expect(seen).toBe(2);
    expect((await readAll(repo)).commits).toHaveLength(total);
  });

  it('keeps git defaults whatever the user configured', async () => {
    const hostile = join(sandbox.home, 'hostile.gitconfig');
    writeFileSync(
      hostile,
      '[diff]\n\trenames = false\n[log]\n\tshowRoot = false\n\tshowSignature = true\n\tdecorate = full\n[color]\n\tui = always\n[i18n]\n\tlogOutputEncoding = ISO-8859-1\n',
    );
    const plain = (await readAll(repo)).commits;
    const saved = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = hostile;
    try {
      const underHostileConfig = (await readAll(repo)).commits;
      expect(underHostileConfig).toEqual(plain);
    } finally {
      process.env.GIT_CONFIG_GLOBAL = saved;
    }
  });
});

describe('incremental reads', () => {
  let repo: string;

  beforeAll(() => {
    repo = sandbox.init('incremental');
    sandbox.write(repo, 'a.txt', lines(3, 'a'));
    sandbox.commit(repo, 'one');
    sandbox.write(repo, 'a.txt', lines(4, 'a'));
    sandbox.commit(repo, 'two');
  });

  it('reads only new commits, nothing when nothing changed, and fixes the default-branch flag after merges and resets', async () => {
    const first = await readAll(repo);
    expect(first.commits).toHaveLength(2);
    // the state survives a JSON round trip, as the store keeps it
    const state1 = parseGitRepoState(JSON.parse(JSON.stringify(first.read.state)))!;
    expect(state1).toEqual(first.read.state);

    const again = await readAll(repo, state1);
    expect(again.commits).toEqual([]);
    expect(again.read.full).toBe(false);

    sandbox.write(repo, 'b.txt', lines(2, 'b'));
    const three = sandbox.commit(repo, 'three');
    sandbox.git(repo, ['checkout', '-q', '-b', 'topic']);
    sandbox.write(repo, 'topic.txt', lines(2, 't'));
    const topic1 = sandbox.commit(repo, 'topic one');
    sandbox.write(repo, 'topic.txt', lines(3, 't'));
    const topic2 = sandbox.commit(repo, 'topic two');
    sandbox.git(repo, ['checkout', '-q', 'main']);

    const second = await readAll(repo, state1);
    expect(second.commits.map((c) => [c.sha, c.onDefaultBranch]).sort()).toEqual(
      [
        [three, true],
        [topic1, false],
        [topic2, false],
      ].sort(),
    );
    expect(second.read.stats).toMatchObject({ newCommits: 3, updatedCommits: 0 });

    const merge = sandbox.commitWith(repo, [
      'merge',
      '--no-ff',
      '-q',
      '-m',
      'Merge pull request #5 from acme/topic',
      'topic',
    ]);
    const third = await readAll(repo, second.read.state);
    expect(third.read.stats).toMatchObject({ newCommits: 1, updatedCommits: 2 });
    expect(third.commits.map((c) => [c.sha, c.onDefaultBranch]).sort()).toEqual(
      [
        [merge, true],
        [topic1, true],
        [topic2, true],
      ].sort(),
    );
    const updated = bySha(third.commits).get(topic2)!;
    expect(updated).toEqual(bySha((await readAll(repo)).commits).get(topic2));

    // main is reset back before the merge: the merged commits leave the default branch again
    sandbox.git(repo, ['branch', '-D', 'topic']);
    sandbox.git(repo, ['reset', '-q', '--hard', three]);
    sandbox.git(repo, ['branch', 'keep', merge]);
    const fourth = await readAll(repo, third.read.state);
    expect(fourth.read.stats.newCommits).toBe(0);
    expect(fourth.commits.map((c) => [c.sha, c.onDefaultBranch]).sort()).toEqual(
      [
        [merge, false],
        [topic1, false],
        [topic2, false],
      ].sort(),
    );
  });

  it('reads everything again when the state belongs to another repository key', async () => {
    const first = await readAll(repo);
    const other = { ...first.read.state, repo: 'someone/else' };
    const again = await readAll(repo, other);
    expect(again.read.full).toBe(true);
    expect(again.commits).toHaveLength(first.commits.length);
  });

  it('survives a state whose tips were garbage-collected', async () => {
    const first = await readAll(repo);
    const gone = '0123456789abcdef0123456789abcdef01234567';
    const state = { ...first.read.state, tips: [...first.read.state.tips, gone], defaultTip: gone };
    const again = await readAll(repo, state);
    // the default tip is unknown, so every default-branch commit is re-checked: nothing is lost
    expect(again.commits.map((c) => [c.sha, c.onDefaultBranch]).sort()).toEqual(
      first.commits
        .filter((c) => c.onDefaultBranch)
        .map((c) => [c.sha, true])
        .sort(),
    );
  });
});

describe('the captured Claude Code repository', () => {
  it('finds its two Claude-co-authored commits and not the initial one', async () => {
    const clone = join(sandbox.root, 'acme-api');
    const bundle = join(sandbox.root, 'acme-api.bundle');
    copyFileSync(BUNDLE, bundle);
    sandbox.git(sandbox.root, ['clone', '-q', bundle, clone]);
    const { read, commits } = await readAll(clone);
    expect(read.repo).toBe('acme-api');
    expect(read.defaultBranch).toBe('refs/remotes/origin/master');
    const ai = commits.filter((c) =>
      c.aiEvidence.some((e) => e.kind === 'trailer' && e.tool === 'claude-code'),
    );
    expect(ai.map((c) => c.sha).sort()).toEqual([
      'ad60d2b35734e6fe6b5e637349fbbc021ef73c18',
      'ca09f3e546947eff6f78e7e50d02e1dde0a5fedf',
    ]);
    const initial = commits.find((c) => c.sha === 'd08c9da3002dbb9b6d8d606cc83107c2c7ca0b5c')!;
    expect(initial.subject).toBe('Initial commit');
    expect(initial.aiEvidence).toEqual([]);
    expect(commits.every((c) => c.onDefaultBranch)).toBe(true);
    const byId = bySha(commits);
    expect(byId.get('ca09f3e546947eff6f78e7e50d02e1dde0a5fedf')).toMatchObject({
      additions: 24,
      filesChanged: 1,
    });
    expect(byId.get('ad60d2b35734e6fe6b5e637349fbbc021ef73c18')).toMatchObject({
      additions: 9,
      filesChanged: 1,
    });
  });
});

describe('bad input becomes a skip with a reason', () => {
  async function skip(path: string, options = {}): Promise<GitSkip> {
    const result = await readGitRepository(path, null, options);
    if (result.kind !== 'skip') throw new Error(`expected a skip for ${path}`);
    return result;
  }

  it('a missing path', async () => {
    expect(await skip(join(sandbox.root, 'nope'))).toMatchObject({ reason: 'not_found' });
  });

  it('a file, and a plain directory', async () => {
    const dir = join(sandbox.root, 'plain');
    mkdirSync(dir);
    writeFileSync(join(dir, 'f.txt'), 'x');
    expect(await skip(join(dir, 'f.txt'))).toMatchObject({ reason: 'not_a_repository' });
    const s = await skip(dir);
    expect(s).toMatchObject({ reason: 'not_a_repository' });
    expect(s.message).toContain('not a git repository');
  });

  it('a subdirectory of a repository', async () => {
    const repo = sandbox.init('outer');
    sandbox.write(repo, 'sub/x.txt', 'x\n');
    sandbox.commit(repo, 'x');
    expect(await skip(join(repo, 'sub'))).toMatchObject({ reason: 'not_a_repository' });
  });

  it('an empty repository', async () => {
    const s = await skip(sandbox.init('empty'));
    expect(s).toMatchObject({ reason: 'empty' });
    expect(s.message).toContain('no commits');
  });

  it('a shallow clone', async () => {
    const source = sandbox.init('deep');
    for (let i = 0; i < 3; i++) {
      sandbox.write(source, 'f.txt', `${i}\n`);
      sandbox.commit(source, `c${i}`);
    }
    const shallow = join(sandbox.root, 'shallow');
    sandbox.git(sandbox.root, ['clone', '-q', '--depth', '1', `file://${source}`, shallow]);
    const s = await skip(shallow);
    expect(s).toMatchObject({ reason: 'shallow' });
    expect(s.message).toContain('--unshallow');
  });

  it('git missing', async () => {
    const repo = sandbox.init('any');
    const s = await skip(repo, { git: join(sandbox.root, 'no-such-git') });
    expect(s).toMatchObject({ reason: 'git_missing' });
    expect(s.message).toContain('git is not installed');
  });

  it('a repository git refuses to read', async () => {
    const repo = sandbox.init('broken');
    writeFileSync(join(repo, '.git', 'HEAD'), 'garbage\n');
    const s = await skip(repo);
    expect(['not_a_repository', 'git_failed']).toContain(s.reason);
  });

  it('reads a bare repository', async () => {
    const source = sandbox.init('for-bare');
    sandbox.write(source, 'f.txt', 'x\n');
    sandbox.commit(source, 'only');
    const bare = join(sandbox.root, 'project.git');
    sandbox.git(sandbox.root, ['clone', '-q', '--bare', source, bare]);
    const { read, commits } = await readAll(bare);
    expect(read.repo).toBe('project');
    expect(commits).toHaveLength(1);
    expect(commits[0]!.onDefaultBranch).toBe(true);
  });
});
