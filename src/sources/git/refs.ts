/**
 * The commits a run starts from: the tip of every branch, remote-tracking branch and tag (tags
 * peeled to their commit; tags of trees or blobs ignored), plus a detached HEAD. Notes and stash
 * refs are left out on purpose: their commits are bookkeeping, not delivered work.
 * @module
 */
import { type GitRunOptions, gitOutput } from './git-exec.js';

/** Distinct commit SHAs of all ref tips, sorted. */
export async function listTips(directory: string, options: GitRunOptions = {}): Promise<string[]> {
  const tips = new Set<string>();
  const refs = await gitOutput(
    directory,
    [
      'for-each-ref',
      '--format=%(objecttype) %(objectname) %(*objecttype) %(*objectname)',
      'refs/heads',
      'refs/remotes',
      'refs/tags',
    ],
    options,
  );
  if (refs.code === 0) {
    for (const line of refs.stdout.split('\n')) {
      const [type, sha, peeledType, peeledSha] = line.split(' ');
      if (type === 'commit' && sha) tips.add(sha);
      else if (type === 'tag' && peeledType === 'commit' && peeledSha) tips.add(peeledSha);
    }
  }
  const head = await gitOutput(directory, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'], options);
  if (head.code === 0 && head.stdout.trim()) tips.add(head.stdout.trim());
  return [...tips].sort();
}

/** Whether `sha` names a commit present in the repository. */
export async function commitExists(
  directory: string,
  sha: string,
  options: GitRunOptions = {},
): Promise<boolean> {
  const out = await gitOutput(directory, ['cat-file', '-e', `${sha}^{commit}`], options);
  return out.code === 0;
}
