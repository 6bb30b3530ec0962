/**
 * What a git read remembers for the next run of the same repository (plain JSON).
 *
 * Every commit reachable from `tips` has been reported, with `onDefaultBranch` computed against
 * `defaultTip`; so the next run reads `<current tips> --not <tips>` and re-checks the default
 * branch only for commits between `defaultTip` and the new default tip.
 * @module
 */

export const GIT_STATE_VERSION = 1;

export interface GitRepoState {
  v: typeof GIT_STATE_VERSION;
  /** Repository key the records were written under; a different key means a full re-read. */
  repo: string;
  /** Commit SHAs of every ref tip read (sorted). */
  tips: string[];
  defaultRef: string | null;
  defaultTip: string | null;
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

function isShaOrNull(value: unknown): value is string | null {
  return value === null || (typeof value === 'string' && SHA.test(value));
}

/** Validates a state read back from storage; anything unrecognised means "start over" (null). */
export function parseGitRepoState(value: unknown): GitRepoState | null {
  if (typeof value !== 'object' || value === null) return null;
  const s = value as Record<string, unknown>;
  if (s.v !== GIT_STATE_VERSION || typeof s.repo !== 'string') return null;
  if (!Array.isArray(s.tips) || !s.tips.every((t) => typeof t === 'string' && SHA.test(t))) return null;
  if (!(s.defaultRef === null || typeof s.defaultRef === 'string') || !isShaOrNull(s.defaultTip)) return null;
  return {
    v: GIT_STATE_VERSION,
    repo: s.repo,
    tips: [...(s.tips as string[])],
    defaultRef: s.defaultRef as string | null,
    defaultTip: s.defaultTip as string | null,
  };
}
