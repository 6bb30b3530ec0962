/**
 * Normalised deployments (DESIGN §5, Amazon's metric): each successful production deployment is
 * worth 1, split across the qualifying changes it shipped first. A deployment that ships nothing
 * new (a re-deploy of the same SHAs), only non-qualifying changes, or that was rolled back or
 * caused an incident is worth 0 and listed with that reason. So the org's ND equals exactly the
 * number of credited deployments, and no amount of splitting, re-deploying or tiny changes adds to it.
 * Without deployment data, each qualifying durable change is worth 1 (`basis` says so).
 * @module
 */
import { type Acc, accFor, type MetricQuery, ratio } from './aggregate.js';
import type { DeploymentOutcome, NdBasis, ValueModel } from './model.js';
import type { NdSplit } from './options.js';
import { ALL_TIME, inWindow, type Window, weekLabel } from './time.js';

export interface NormalisedDeploymentsMetric {
  basis: NdBasis;
  split: NdSplit;
  nd: number;
  /** Person-weeks with any activity (the engineer-weeks ND is spread over). */
  engineerWeeks: number;
  perEngineerWeek: number | null;
  weekly: Array<{ week: string; nd: number }>;
  /** ND on changes whose author the people directory does not know (org scope). */
  unattributed: number;
  /** Production deployments in the window by outcome (org-wide, whatever the scope). */
  deployments: Record<DeploymentOutcome, number> & { total: number };
}

type DeploymentCounts = NormalisedDeploymentsMetric['deployments'];

/** Per model and window: every scope's summary reports the same org-wide counts. */
const countCache = new WeakMap<ValueModel, Map<string, DeploymentCounts>>();

export function deploymentCounts(model: ValueModel, window: Window): DeploymentCounts {
  let byWindow = countCache.get(model);
  if (!byWindow) {
    byWindow = new Map();
    countCache.set(model, byWindow);
  }
  const key = `${window.from}:${window.until}`;
  let counts = byWindow.get(key);
  if (!counts) {
    counts = countDeployments(model, window);
    byWindow.set(key, counts);
  }
  return { ...counts };
}

function countDeployments(model: ValueModel, window: Window): DeploymentCounts {
  const out = {
    total: 0,
    credited: 0,
    nothing_new: 0,
    no_qualifying_changes: 0,
    rolled_back: 0,
    incident: 0,
    not_successful: 0,
  };
  for (const df of model.deployments) {
    if (!inWindow(df.deployment.ts, window)) continue;
    out.total++;
    out[df.outcome]++;
  }
  return out;
}

export function ndFromAcc(model: ValueModel, a: Acc, window: Window): NormalisedDeploymentsMetric {
  return {
    basis: model.ndBasis,
    split: model.options.ndSplit,
    nd: a.nd,
    engineerWeeks: a.workingWeeks.size,
    perEngineerWeek: ratio(a.nd, a.workingWeeks.size),
    weekly: [...a.ndByWeek].sort((x, y) => x[0] - y[0]).map(([w, nd]) => ({ week: weekLabel(w), nd })),
    unattributed: a.ndUnattributed,
    deployments: deploymentCounts(model, window),
  };
}

export function normalisedDeployments(
  model: ValueModel,
  query: MetricQuery = {},
): NormalisedDeploymentsMetric {
  const window = query.window ?? ALL_TIME;
  return ndFromAcc(model, accFor(model, { ...query, window }), window);
}
