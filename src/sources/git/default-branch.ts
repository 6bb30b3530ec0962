/**
 * The branch whose history counts as shipped: the remote's default (`origin/HEAD`) when the clone
 * knows it, else the conventional names, else whatever HEAD is on.
 * @module
 */
import { type GitRunOptions, gitOutput } from './git-exec.js';

export interface DefaultBranch {
  /** Full ref name, e.g. `refs/remotes/origin/main`, or `HEAD` when detached. */
  ref: string;
  /** Its commit. */
  sha: string;
}

const CONVENTIONAL = [
  'refs/heads/main',
  'refs/heads/master',
  'refs/remotes/origin/main',
  'refs/remotes/origin/master',
];

async function commitOf(directory: string, ref: string, options: GitRunOptions): Promise<string | null> {
  const out = await gitOutput(directory, ['rev-parse', '--verify', '-q', `${ref}^{commit}`], options);
  return out.code === 0 && out.stdout.trim() ? out.stdout.trim() : null;
}

/** The default branch and its tip, or null when the repository has no commit to point at. */
export async function resolveDefaultBranch(
  directory: string,
  options: GitRunOptions = {},
): Promise<DefaultBranch | null> {
  const originHead = await gitOutput(directory, ['symbolic-ref', '-q', 'refs/remotes/origin/HEAD'], options);
  const candidates = originHead.code === 0 && originHead.stdout.trim() ? [originHead.stdout.trim()] : [];
  candidates.push(...CONVENTIONAL);
  for (const ref of candidates) {
    const sha = await commitOf(directory, ref, options);
    if (sha) return { ref, sha };
  }
  const sha = await commitOf(directory, 'HEAD', options);
  if (!sha) return null;
  const head = await gitOutput(directory, ['symbolic-ref', '-q', 'HEAD'], options);
  return { ref: head.code === 0 && head.stdout.trim() ? head.stdout.trim() : 'HEAD', sha };
}
