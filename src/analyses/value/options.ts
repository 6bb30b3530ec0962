/**
 * Every window, horizon and threshold of the value metrics (DESIGN §5 "every window, horizon and
 * weight is configurable and shown beside the number"). Resolved options travel with the model so
 * each report can print the values it was computed with.
 * @module
 */

import { DEFAULT_SESSION_WINDOW_MS, type LinkOptions } from '../linking/link.js';
import { DEFAULT_PR_COMMIT_OPTIONS } from '../linking/pr-commits.js';
import { DAY_MS } from './time.js';

/** How a deployment's 1 is divided: equally per qualifying change, or per person then per change. */
export type NdSplit = 'change' | 'person';

export interface ValueOptions extends LinkOptions {
  /** A change reverted within this many days of shipping is not durable. Default 14. */
  revertHorizonDays?: number;
  /** Changes with fewer added+deleted lines are trivial and do not count. Default 5. */
  trivialLines?: number;
  /** Default branch per repository; inferred from merge commits and base branches when absent. */
  defaultBranches?: ReadonlyMap<string, string>;
  /** Default `change` (DESIGN §5). `person` makes a person's share independent of how they split work. */
  ndSplit?: NdSplit;
  /**
   * A deployment also ships the not-yet-shipped ancestors of the commits it names (a deployment
   * often names only the commit it deployed). Default true.
   */
  deploymentAncestry?: boolean;
  /** Ancestors committed longer than this before the deployment are not walked into. Default 30. */
  ancestryLookbackDays?: number;
  /** The moment the data describes; changes younger than the revert horizon are provisional. Default: latest record. */
  asOf?: number;
}

export interface ResolvedValueOptions {
  repoPaths: ReadonlyMap<string, string> | undefined;
  sessionWindowMs: number;
  branchLookbackMs: number;
  maxBranchCommits: number;
  revertHorizonMs: number;
  trivialLines: number;
  defaultBranches: ReadonlyMap<string, string> | undefined;
  ndSplit: NdSplit;
  deploymentAncestry: boolean;
  ancestryLookbackMs: number;
  asOf: number | undefined;
}

export function resolveValueOptions(o: ValueOptions = {}): ResolvedValueOptions {
  return {
    repoPaths: o.repoPaths,
    sessionWindowMs: o.sessionWindowMs ?? DEFAULT_SESSION_WINDOW_MS,
    branchLookbackMs: o.branchLookbackMs ?? DEFAULT_PR_COMMIT_OPTIONS.branchLookbackMs,
    maxBranchCommits: o.maxBranchCommits ?? DEFAULT_PR_COMMIT_OPTIONS.maxBranchCommits,
    revertHorizonMs: (o.revertHorizonDays ?? 14) * DAY_MS,
    trivialLines: o.trivialLines ?? 5,
    defaultBranches: o.defaultBranches,
    ndSplit: o.ndSplit ?? 'change',
    deploymentAncestry: o.deploymentAncestry ?? true,
    ancestryLookbackMs: (o.ancestryLookbackDays ?? 30) * DAY_MS,
    asOf: o.asOf,
  };
}
