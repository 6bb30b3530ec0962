/**
 * Line survival at a horizon (DESIGN §5: "where git history allows it, line survival at 30 days"),
 * split by whether a commit was AI-assisted, so that "AI code gets rewritten" can be checked
 * rather than argued. Pure: takes measured commits, returns rates.
 * @module
 */

export interface MeasuredCommit {
  sha: string;
  repo: string;
  aiAssisted: boolean;
  added: number;
  surviving: number;
}

export interface SurvivalGroup {
  commits: number;
  added: number;
  surviving: number;
  /** surviving / added; null when nothing was added. */
  rate: number | null;
}

export interface LineSurvivalReport {
  horizonDays: number;
  aiAssisted: SurvivalGroup;
  other: SurvivalGroup;
  all: SurvivalGroup;
  /** Commits too recent to have reached the horizon: not measured yet. */
  tooRecent: number;
  /** Commits left out by the sample cap (the most recent measurable ones are kept). */
  notSampled: number;
}

function group(commits: readonly MeasuredCommit[]): SurvivalGroup {
  let added = 0;
  let surviving = 0;
  for (const c of commits) {
    added += c.added;
    surviving += c.surviving;
  }
  return { commits: commits.length, added, surviving, rate: added > 0 ? surviving / added : null };
}

export function lineSurvivalReport(
  measured: readonly MeasuredCommit[],
  horizonDays: number,
  tooRecent: number,
  notSampled: number,
): LineSurvivalReport {
  return {
    horizonDays,
    aiAssisted: group(measured.filter((c) => c.aiAssisted)),
    other: group(measured.filter((c) => !c.aiAssisted)),
    all: group(measured),
    tooRecent,
    notSampled,
  };
}
