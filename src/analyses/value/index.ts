/**
 * Value metrics (DESIGN §5): build a model from records once, then ask it for any metric, scope
 * and window.
 * @module
 */
export { type AdoptionMetric, type AdoptionWeek, adoption } from './adoption.js';
export { type AgentWorkMetric, agentWorkUnits } from './agent-work.js';
export { type Acc, aggregate, type MetricQuery, type Scope, scopeKey } from './aggregate.js';
export { type AmplificationMetric, amplification } from './amplification.js';
export { type CacheEfficiencyMetric, cacheEfficiency } from './cache-efficiency.js';
export { type CostPerOutcomeMetric, costPerOutcome } from './cost-per-outcome.js';
export { valueModelFromStore } from './from-store.js';
export {
  buildValueModel,
  type ChangeBasis,
  type ChangeFacts,
  type DeploymentFacts,
  type DeploymentOutcome,
  type NdBasis,
  SESSION_OUTCOMES,
  type SessionOutcome,
  splitShares,
  type ValueInput,
  type ValueModel,
} from './model.js';
export { type NormalisedDeploymentsMetric, normalisedDeployments } from './normalised-deployments.js';
export type { NdSplit, ValueOptions } from './options.js';
export { aiRegularity, type RegularityMetric } from './regularity.js';
export { type ShippedChangesMetric, shippedChanges } from './shipped.js';
export { type ValueSummaries, type ValueSummary, valueSummaries, valueSummary } from './summary.js';
export { ALL_TIME, type Window } from './time.js';
export { type WasteCause, type WasteMetric, waste } from './waste.js';
