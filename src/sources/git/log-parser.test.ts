import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitSandbox, plainNumstat } from '../../../test/fixtures/git/sandbox.js';
import { logArgs, revisionInput } from './log-format.js';
import { LogParser, type RawCommit } from './log-parser.js';

let sandbox: GitSandbox;
let repo: string;
let output: Buffer;

function parseChunks(chunks: Buffer[]): { commits: RawCommit[]; malformed: number } {
  const parser = new LogParser();
  const commits: RawCommit[] = [];
  for (const chunk of chunks) commits.push(...parser.push(chunk));
  commits.push(...parser.end());
  return { commits, malformed: parser.malformed };
}

function split(buffer: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) chunks.push(buffer.subarray(i, i + size));
  return chunks;
}

beforeAll(() => {
  sandbox = new GitSandbox();
  repo = sandbox.init('parser');
  const lines = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => `${tag} line ${i}\n`).join('');
  sandbox.write(repo, 'file with spaces.txt', lines(10, 'a'));
  sandbox.write(repo, 'ünïcode файл.md', lines(3, 'u'));
  sandbox.write(repo, 'new\nline.txt', lines(2, 'n'));
  sandbox.write(repo, 'odd\x1fname.txt', lines(1, 'o'));
  sandbox.write(repo, 'logo.bin', Buffer.from([0, 1, 2, 3, 255, 0, 7]));
  sandbox.commit(repo, 'Initial commit');
  sandbox.mv(repo, 'file with spaces.txt', 'docs ü/renamed file.txt');
  sandbox.write(repo, 'docs ü/renamed file.txt', `${lines(10, 'a')}extra\n`);
  sandbox.write(repo, 'logo.bin', Buffer.from([0, 9, 9, 9]));
  sandbox.commit(repo, 'Move the file\n\nWith a body that has \x1e and \x1f control bytes.\n');
  sandbox.git(repo, ['checkout', '-q', '-b', 'side']);
  sandbox.write(repo, 'side.txt', lines(4, 's'));
  sandbox.commit(repo, 'Side work');
  sandbox.git(repo, ['checkout', '-q', 'main']);
  sandbox.commit(repo, 'Nothing changed', { allowEmpty: true });
  sandbox.commitWith(repo, ['merge', '--no-ff', '-q', '-m', 'Merge pull request #7 from acme/side', 'side']);
  sandbox.write(repo, 'ünïcode файл.md', 'replaced\n');
  sandbox.commit(repo, 'Rewrite (#8)');
  output = execFileSync('git', logArgs(), { cwd: repo, input: revisionInput(['HEAD']), env: sandbox.env() });
});

afterAll(() => sandbox.cleanup());

describe('LogParser on real git output', () => {
  it('reads every commit with the header fields git printed', () => {
    const { commits, malformed } = parseChunks([output]);
    expect(malformed).toBe(0);
    expect(commits.map((c) => c.sha)).toEqual(sandbox.git(repo, ['rev-list', 'HEAD']).trim().split('\n'));
    const merge = commits.find((c) => c.message.startsWith('Merge pull request #7'))!;
    expect(merge.parents).toHaveLength(2);
    expect(merge.filesChanged).toBe(0);
    const root = commits[commits.length - 1]!;
    expect(root.parents).toEqual([]);
    expect(root.authorName).toBe('Dev Person');
    expect(root.authorEmail).toBe('dev@example.com');
    expect(root.authorTs).toBe(Date.UTC(2025, 0, 1, 1));
    const moved = commits.find((c) => c.message.startsWith('Move the file'))!;
    expect(moved.message).toBe('Move the file\n\nWith a body that has \x1e and \x1f control bytes.\n');
  });

  it('counts exactly what plain `git log --numstat` reports, renames and binaries included', () => {
    const { commits } = parseChunks([output]);
    const plain = plainNumstat(sandbox, repo, ['HEAD']);
    for (const c of commits) {
      expect({
        sha: c.sha,
        additions: c.additions,
        deletions: c.deletions,
        filesChanged: c.filesChanged,
      }).toEqual({
        sha: c.sha,
        ...plain.get(c.sha),
      });
    }
    const moved = commits.find((c) => c.message.startsWith('Move the file'))!;
    // the rename with one added line, plus the binary file: --no-renames would say 11 + 10
    expect([moved.additions, moved.deletions, moved.filesChanged]).toEqual([1, 0, 2]);
    const root = commits[commits.length - 1]!;
    expect([root.additions, root.filesChanged]).toEqual([16, 5]);
  });

  it('gives the same result however the stream is cut', () => {
    const whole = parseChunks([output]).commits;
    for (const size of [1, 2, 3, 5, 7, 64, 4096])
      expect(parseChunks(split(output, size)).commits).toEqual(whole);
    for (let at = 1; at < output.length; at++) {
      expect(parseChunks([output.subarray(0, at), output.subarray(at)]).commits).toEqual(whole);
    }
  });

  it('flags output that was cut short instead of inventing a commit end', () => {
    const { malformed } = parseChunks([output.subarray(0, output.length - 3)]);
    expect(malformed).toBe(1);
  });
});
