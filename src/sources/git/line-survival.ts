/**
 * Line survival: how much of what a commit added is still there, by `git blame`, some days later.
 *
 * The horizon is the default branch as it stood at author time + `horizonDays` (the last
 * first-parent commit committed by then, which is the branch tip when the horizon is still in
 * the future). Lines "added" are the commit's numstat additions over text files (the same
 * numbers as its `CommitRecord`; a merge adds none). A line "survives" when
 * `git blame --line-porcelain <horizon> -- <file>` still attributes it to the commit, the file
 * being followed through renames between the commit and the horizon. Lines moved to another file
 * or within the file by a later commit count as replaced, as blame without -M/-C sees them.
 * @module
 */

import { resolveDefaultBranch } from './default-branch.js';
import { GitError, type GitRunOptions, git, gitLines, gitOutput } from './git-exec.js';

export interface LineSurvival {
  /** The full SHA of the commit measured. */
  sha: string;
  /** Lines the commit added (text files). */
  added: number;
  /** Of those, lines blame attributes to the commit at the horizon. */
  surviving: number;
  /** The commit blamed at, or null when the default branch had no commit yet at the horizon. */
  horizonSha: string | null;
  /** False when the commit was not on the default branch by the horizon (then nothing survives). */
  horizonContainsCommit: boolean;
}

const DAY_SECONDS = 86_400;

function nulTokens(text: string): string[] {
  const tokens = text.split('\0');
  if (tokens[tokens.length - 1] === '') tokens.pop();
  return tokens;
}

/** Lines added per file (by the file's path in the commit), from `diff-tree --numstat -z`. */
async function addedByPath(dir: string, sha: string, run: GitRunOptions): Promise<Map<string, number>> {
  const out = await git(
    dir,
    ['diff-tree', '-r', '--root', '-M', '--numstat', '-z', '--no-commit-id', sha],
    run,
  );
  const added = new Map<string, number>();
  const tokens = nulTokens(out);
  for (let i = 0; i < tokens.length; i++) {
    const [a, , path] = tokens[i]!.replace(/^\n/, '').split('\t');
    // A rename's paths follow as two tokens; the new path is the one the file has in the commit.
    let file = path;
    if (path === '') {
      file = tokens[i + 2];
      i += 2;
    }
    const count = Number(a);
    if (file !== undefined && Number.isInteger(count) && count > 0) added.set(file, count);
  }
  return added;
}

/** Where each of `paths` is at `horizon` (renamed, same, or null when deleted). */
async function pathsAt(
  dir: string,
  sha: string,
  horizon: string,
  paths: Iterable<string>,
  run: GitRunOptions,
): Promise<Map<string, string | null>> {
  const moved = new Map<string, string | null>();
  if (sha !== horizon) {
    const tokens = nulTokens(
      await git(dir, ['diff-tree', '-r', '-M', '--name-status', '-z', sha, horizon], run),
    );
    for (let i = 0; i < tokens.length; i++) {
      const status = tokens[i]!;
      if (status.startsWith('R') || status.startsWith('C')) {
        if (status.startsWith('R')) moved.set(tokens[i + 1]!, tokens[i + 2]!);
        i += 2;
      } else {
        if (status === 'D') moved.set(tokens[i + 1]!, null);
        i += 1;
      }
    }
  }
  const result = new Map<string, string | null>();
  for (const path of paths) result.set(path, moved.has(path) ? moved.get(path)! : path);
  return result;
}

async function blamedTo(dir: string, horizon: string, path: string, sha: string, run: GitRunOptions) {
  let count = 0;
  let atHeader = true;
  for await (const line of gitLines(dir, ['blame', '--line-porcelain', horizon, '--', path], run)) {
    if (atHeader) {
      if (line.startsWith(`${sha} `)) count++;
      atHeader = false;
    } else if (line.startsWith('\t')) {
      atHeader = true;
    }
  }
  return count;
}

/** Measures how many of the lines `sha` added survive `horizonDays` later (see the module doc). */
export async function lineSurvival(
  repoPath: string,
  sha: string,
  horizonDays: number,
  options: { git?: string } = {},
): Promise<LineSurvival> {
  const run: GitRunOptions = options.git ? { git: options.git } : {};
  const resolved = await gitOutput(repoPath, ['rev-parse', '--verify', '-q', `${sha}^{commit}`], run);
  if (resolved.code !== 0) throw new GitError('git_failed', `${repoPath}: no commit ${sha}`);
  const full = resolved.stdout.trim();
  const authorSeconds = Number(
    (await git(repoPath, ['show', '-s', '--no-show-signature', '--format=%at', full], run)).trim(),
  );
  const added = await addedByPath(repoPath, full, run);
  const total = [...added.values()].reduce((a, b) => a + b, 0);

  const def = await resolveDefaultBranch(repoPath, run);
  const before = Math.floor(authorSeconds + horizonDays * DAY_SECONDS);
  const horizon = def
    ? (
        await git(repoPath, ['rev-list', '-1', '--first-parent', `--before=${before}`, def.sha], run)
      ).trim() || null
    : null;
  const contained =
    horizon !== null &&
    (await gitOutput(repoPath, ['merge-base', '--is-ancestor', full, horizon], run)).code === 0;
  const result: LineSurvival = {
    sha: full,
    added: total,
    surviving: 0,
    horizonSha: horizon,
    horizonContainsCommit: contained,
  };
  if (!contained || horizon === null || total === 0) return result;

  for (const [path, now] of await pathsAt(repoPath, full, horizon, added.keys(), run)) {
    if (now === null) continue;
    result.surviving += Math.min(added.get(path)!, await blamedTo(repoPath, horizon, now, full, run));
  }
  return result;
}
