/**
 * Which repository an AI session worked in, from its working directory. Sessions only know their
 * `cwd`; outcome records know a repository key (`owner/name`). An explicit map of local checkout
 * paths wins (longest path prefix, so a nested checkout beats its parent); without one, the
 * directory's basename is compared with the name part of each repository key.
 * @module
 */

/** Splits a path on either separator and drops empty parts, so `C:\src\api\` and `/src/api` both work. */
function parts(path: string): string[] {
  return path.split(/[\\/]+/).filter((p) => p.length > 0);
}

function normalisePath(path: string): string {
  return parts(path).join('/').toLowerCase();
}

/** The name part of a repository key: `acme/api` → `api`, `api` → `api`. */
export function repoName(repo: string): string {
  const i = repo.lastIndexOf('/');
  return (i >= 0 ? repo.slice(i + 1) : repo).toLowerCase();
}

export type RepoResolver = (cwd: string | null) => readonly string[];

/**
 * Builds a resolver from session `cwd` to candidate repository keys. The result is a list because
 * two repositories can share a name (`acme/api`, `labs/api`); callers treat every candidate as
 * possible and let the other evidence (SHA, person, branch, time) decide. Results are cached per
 * distinct `cwd`, which repeats across millions of sessions.
 */
export function createRepoResolver(
  repos: Iterable<string>,
  repoPaths?: ReadonlyMap<string, string>,
): RepoResolver {
  const byPath = new Map<string, string>();
  if (repoPaths) for (const [path, repo] of repoPaths) byPath.set(normalisePath(path), repo);
  const byName = new Map<string, string[]>();
  for (const repo of repos) {
    const name = repoName(repo);
    const list = byName.get(name);
    if (!list) byName.set(name, [repo]);
    else if (!list.includes(repo)) list.push(repo);
  }
  const cache = new Map<string, readonly string[]>();
  const none: readonly string[] = [];

  return (cwd) => {
    if (!cwd) return none;
    const cached = cache.get(cwd);
    if (cached) return cached;
    const segs = parts(cwd).map((s) => s.toLowerCase());
    let result: readonly string[] = none;
    // Walking up from the deepest directory finds the longest mapped prefix first.
    if (byPath.size > 0) {
      for (let n = segs.length; n > 0 && result === none; n--) {
        const hit = byPath.get(segs.slice(0, n).join('/'));
        if (hit !== undefined) result = [hit];
      }
    }
    if (result === none && segs.length > 0) result = byName.get(segs[segs.length - 1]!) ?? none;
    cache.set(cwd, result);
    return result;
  };
}
