/**
 * Measures line survival with `git blame` for the default-branch commits of the local clones the
 * ledger read. Blame costs a process per commit, so the newest measurable commits are sampled up to
 * a cap; commits younger than the horizon are counted but not measured.
 * @module
 */

import {
  type LineSurvivalReport,
  lineSurvivalReport,
  type MeasuredCommit,
} from '../analyses/survival/line-survival-report.js';
import type { Store } from '../ledger/store/store.js';
import type { CommitRecord } from '../ledger/work.js';
import { lineSurvival } from '../sources/git/index.js';

const DAY = 86_400_000;

export interface LineSurvivalOptions {
  horizonDays: number;
  /** At most this many commits are blamed. */
  maxCommits: number;
  /** Only commits of this repository key. */
  repo?: string;
  now?: number;
}

/** Merges add no lines of their own to follow (a root commit does). */
const measurable = (c: CommitRecord) => c.onDefaultBranch && c.parents.length <= 1 && c.additions > 0;

export async function measureLineSurvival(
  store: Store,
  options: LineSurvivalOptions,
): Promise<LineSurvivalReport> {
  const now = options.now ?? Date.now();
  const { commits } = await store.work({ kinds: ['commits'] });
  const candidates = commits.filter(
    (c) => c.source === 'git' && measurable(c) && (options.repo === undefined || c.repo === options.repo),
  );
  const ripe = candidates.filter((c) => c.authorTs + options.horizonDays * DAY <= now);
  ripe.sort((a, b) => b.authorTs - a.authorTs || a.sha.localeCompare(b.sha));
  const sample = ripe.slice(0, options.maxCommits);
  const measured: MeasuredCommit[] = [];
  for (const c of sample) {
    const s = await lineSurvival(c.origin, c.sha, options.horizonDays);
    measured.push({
      sha: c.sha,
      repo: c.repo,
      aiAssisted: c.aiEvidence.length > 0,
      added: s.added,
      surviving: s.surviving,
    });
  }
  return lineSurvivalReport(
    measured,
    options.horizonDays,
    candidates.length - ripe.length,
    ripe.length - sample.length,
  );
}
