/**
 * The git outcome source: one local repository in, `CommitRecord` batches out, incrementally.
 *
 * A run lists the ref tips and the default branch's tip, then
 * 1. reads `git log <tips> --not <tips of the previous run>`: the commits never reported before;
 * 2. computes `N = rev-list <default tip> --not <previous default tip>`, the commits that became
 *    reachable from the default branch since the previous run (everything on it, on a first run).
 *    A new commit is on the default branch exactly when it is in N, because nothing reachable
 *    from the previous default tip is new;
 * 3. re-reads, and yields again with the right `onDefaultBranch`, the commits of N that step 1
 *    did not cover (commits reported earlier as off the default branch and since merged into it)
 *    and those of `rev-list <previous default tip> --not <default tip>` (dropped from it by a
 *    force-push or reset). The store upserts by id, so a record yielded twice is harmless.
 *
 * The step-3 re-read is proportional to what changed on the default branch. If the previous
 * default tip no longer exists (force-push then garbage collection), N is the whole default
 * history and the re-read is a full one: slow, but never wrong. Commits dropped from the default
 * branch in that case cannot be listed and keep their old flag.
 * @module
 */
import type { CommitRecord } from '../../ledger/work.js';
import { type DefaultBranch, resolveDefaultBranch } from './default-branch.js';
import { type GitRunOptions, gitLines, gitStream } from './git-exec.js';
import { type GitSkip, gitSkip, inspectRepository, skipForError } from './inspect.js';
import { logArgs, revisionInput } from './log-format.js';
import { LogParser, type RawCommit } from './log-parser.js';
import { toCommitRecord } from './record.js';
import { commitExists, listTips } from './refs.js';
import { GIT_STATE_VERSION, type GitRepoState } from './state.js';

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export interface GitReadOptions {
  /** The git executable (default `git` on PATH). */
  git?: string;
  /** Records per yielded batch (default 1000). */
  batchSize?: number;
}

/** Counters filled in while `commits` is consumed. */
export interface GitReadStats {
  /** Commits reported for the first time. */
  newCommits: number;
  /** Commits reported again because their `onDefaultBranch` changed. */
  updatedCommits: number;
  /** Output tokens that fit no expected shape (should stay 0; non-zero means a parser gap). */
  malformed: number;
}

export interface GitRepositoryRead {
  kind: 'read';
  /** The repository's top-level directory (or git directory, when bare). */
  path: string;
  repo: string;
  defaultBranch: string | null;
  /** True when there was no usable previous state and all history is read. */
  full: boolean;
  /** Batches of records; a single pass. Git failures mid-way reject with a `GitError`. */
  commits: AsyncIterable<CommitRecord[]>;
  stats: GitReadStats;
  /** The state to keep for the next run: store it only after `commits` was consumed to the end. */
  state: GitRepoState;
}

async function revList(
  directory: string,
  include: string,
  exclude: string | null,
  options: GitRunOptions,
): Promise<Set<string>> {
  const shas = new Set<string>();
  const args = ['rev-list', include, ...(exclude ? ['--not', exclude] : [])];
  for await (const line of gitLines(directory, args, options)) if (line) shas.add(line);
  return shas;
}

async function* rawCommits(
  directory: string,
  args: string[],
  input: string,
  options: GitRunOptions,
  stats: GitReadStats,
) {
  const parser = new LogParser();
  try {
    for await (const chunk of gitStream(directory, args, { ...options, input })) yield* parser.push(chunk);
    yield* parser.end();
  } finally {
    stats.malformed += parser.malformed;
  }
}

interface Plan {
  directory: string;
  repo: string;
  tips: string[];
  previousTips: string[];
  defaultBranch: DefaultBranch | null;
  /** The previous default tip, when it still exists. */
  previousDefault: string | null;
}

async function* readCommits(
  plan: Plan,
  options: GitReadOptions,
  stats: GitReadStats,
): AsyncGenerator<CommitRecord[]> {
  const { directory, repo } = plan;
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const run: GitRunOptions = options.git ? { git: options.git } : {};
  const def = plan.defaultBranch;
  const newlyOnDefault = def
    ? await revList(directory, def.sha, plan.previousDefault, run)
    : new Set<string>();
  const droppedFromDefault = plan.previousDefault
    ? await revList(directory, plan.previousDefault, def?.sha ?? null, run)
    : new Set<string>();

  let batch: CommitRecord[] = [];
  const emit = (raw: RawCommit, onDefault: boolean): CommitRecord[] | null => {
    batch.push(toCommitRecord(raw, repo, directory, onDefault));
    if (batch.length < batchSize) return null;
    const full = batch;
    batch = [];
    return full;
  };

  const fresh = revisionInput(plan.tips, plan.previousTips);
  for await (const raw of rawCommits(directory, logArgs(), fresh, run, stats)) {
    stats.newCommits++;
    // Deleting as we go leaves in the set only the commits step 3 must re-read.
    const ready = emit(raw, newlyOnDefault.delete(raw.sha));
    if (ready) yield ready;
  }

  if (newlyOnDefault.size + droppedFromDefault.size > 0) {
    const again = revisionInput([...newlyOnDefault, ...droppedFromDefault]);
    for await (const raw of rawCommits(directory, logArgs({ noWalk: true }), again, run, stats)) {
      stats.updatedCommits++;
      const ready = emit(raw, newlyOnDefault.has(raw.sha));
      if (ready) yield ready;
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Reads the repository at `path` from where `previous` (the state returned by the last run, or
 * null) left off. Bad input (no such directory, not a repository, an empty or shallow
 * repository, git missing or failing) is returned as a `GitSkip`, never thrown.
 */
export async function readGitRepository(
  path: string,
  previous: GitRepoState | null,
  options: GitReadOptions = {},
): Promise<GitRepositoryRead | GitSkip> {
  const run: GitRunOptions = options.git ? { git: options.git } : {};
  const info = await inspectRepository(path, run);
  if (info.kind === 'skip') return info;
  try {
    const { directory, repo } = info;
    const tips = await listTips(directory, run);
    if (tips.length === 0) return gitSkip(path, 'empty', `${path}: repository has no commits yet`);
    const defaultBranch = await resolveDefaultBranch(directory, run);
    const usable = previous !== null && previous.v === GIT_STATE_VERSION && previous.repo === repo;
    // Tips go to git's stdin as revisions: anything but a SHA (a hand-edited state) is dropped.
    const previousTips = usable ? previous.tips.filter((t) => SHA.test(t)) : [];
    const previousDefault =
      usable &&
      previous.defaultTip &&
      SHA.test(previous.defaultTip) &&
      (await commitExists(directory, previous.defaultTip, run))
        ? previous.defaultTip
        : null;
    const tipSet = new Set(tips);
    if (defaultBranch) tipSet.add(defaultBranch.sha);
    const stats: GitReadStats = { newCommits: 0, updatedCommits: 0, malformed: 0 };
    const plan: Plan = {
      directory,
      repo,
      tips: [...tipSet].sort(),
      previousTips,
      defaultBranch,
      previousDefault,
    };
    return {
      kind: 'read',
      path: directory,
      repo,
      defaultBranch: defaultBranch?.ref ?? null,
      full: !usable,
      commits: { [Symbol.asyncIterator]: () => readCommits(plan, options, stats) },
      stats,
      state: {
        v: GIT_STATE_VERSION,
        repo,
        tips: plan.tips,
        defaultRef: defaultBranch?.ref ?? null,
        defaultTip: defaultBranch?.sha ?? null,
      },
    };
  } catch (error) {
    return skipForError(path, error);
  }
}
