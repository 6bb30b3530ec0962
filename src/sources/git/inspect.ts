/**
 * Deciding whether a path can be read as a repository, before any long command runs. Everything
 * that makes a path unreadable becomes a `GitSkip` with a reason a person can act on; nothing
 * here throws for bad input.
 * @module
 */
import { realpath, stat } from 'node:fs/promises';
import { GitError, type GitRunOptions, gitOutput } from './git-exec.js';
import { readRepoKey } from './repo-key.js';

export type GitSkipReason =
  | 'not_found'
  | 'not_a_repository'
  | 'empty'
  | 'shallow'
  | 'git_missing'
  | 'git_failed';

/** A repository path that was not read, and why. */
export interface GitSkip {
  kind: 'skip';
  path: string;
  reason: GitSkipReason;
  message: string;
}

export interface RepositoryInfo {
  kind: 'repository';
  /** The work tree's top level, or the git directory of a bare repository. */
  directory: string;
  bare: boolean;
  /** Repository key (see repo-key.ts). */
  repo: string;
}

export function gitSkip(path: string, reason: GitSkipReason, message: string): GitSkip {
  return { kind: 'skip', path, reason, message };
}

/** Turns any failure of a git command into a skip; other errors are bugs and propagate. */
export function skipForError(path: string, error: unknown): GitSkip {
  if (error instanceof GitError) return gitSkip(path, error.code, `${path}: ${error.message}`);
  throw error;
}

async function isDirectory(path: string): Promise<boolean | null> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return null;
  }
}

/** Checks that `path` is the top of a complete (non-shallow) repository and names it. */
export async function inspectRepository(
  path: string,
  options: GitRunOptions = {},
): Promise<RepositoryInfo | GitSkip> {
  const kind = await isDirectory(path);
  if (kind === null) return gitSkip(path, 'not_found', `${path}: no such directory`);
  if (!kind) return gitSkip(path, 'not_a_repository', `${path}: not a directory`);
  try {
    const probe = await gitOutput(
      path,
      ['rev-parse', '--is-bare-repository', '--is-shallow-repository', '--absolute-git-dir'],
      options,
    );
    if (probe.code !== 0) {
      if (/not a git repository/i.test(probe.stderr)) {
        return gitSkip(path, 'not_a_repository', `${path}: not a git repository`);
      }
      const why = probe.stderr.trim().split('\n').pop() ?? `exit code ${probe.code}`;
      return gitSkip(path, 'git_failed', `${path}: git cannot read this repository: ${why}`);
    }
    const [bare, shallow, gitDir] = probe.stdout.trim().split('\n');
    const isBare = bare === 'true';
    let directory = gitDir!;
    if (!isBare) {
      const top = await gitOutput(path, ['rev-parse', '--show-toplevel'], options);
      // Inside a work tree's `.git` directory there is no top level to read.
      if (top.code !== 0 || !top.stdout.trim()) {
        return gitSkip(path, 'not_a_repository', `${path}: not the top of a git work tree`);
      }
      directory = top.stdout.trim();
    }
    // A directory inside some other work tree (say, a home directory kept in git) is not that
    // repository: reading the enclosing one would surprise whoever named the directory.
    if ((await realpath(directory)) !== (await realpath(path))) {
      return gitSkip(path, 'not_a_repository', `${path}: not a git repository (it is inside ${directory})`);
    }
    if (shallow === 'true') {
      return gitSkip(
        path,
        'shallow',
        `${path}: shallow clone, its history is incomplete (run \`git fetch --unshallow\` to read it)`,
      );
    }
    return { kind: 'repository', directory, bare: isBare, repo: await readRepoKey(directory, options) };
  } catch (error) {
    return skipForError(path, error);
  }
}
