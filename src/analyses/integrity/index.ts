/**
 * Integrity (DESIGN §7): signals that detect tokenmaxxing with evidence, each comparing a person
 * with their own baseline and their peer group, combined into flags that hold a person out of
 * the board until reviewed. Definitions: docs/integrity.md.
 * @module
 */
export { CACHE_PADDING, cachePadding, isPaddedSession } from './cache-padding.js';
export { CHURN, churn } from './churn.js';
export {
  type IntegrityContext,
  type IntegrityOptions,
  integrityContext,
  monthEnds,
  ORG,
} from './context.js';
export { COST_PER_OUTCOME, costPerOutcome } from './cost-per-outcome.js';
export { DEADLINE_SPIKES, deadlineSpikes } from './deadline-spikes.js';
export { clusterFingerprints } from './fingerprint-clusters.js';
export {
  DEFAULT_THRESHOLDS,
  type DetectOptions,
  detectFindings,
  type Flag,
  type FlagStatus,
  flagsFromFindings,
  heldOutFrom,
  integrityFlags,
  raisesFlag,
  type Thresholds,
} from './flags.js';
export { NO_EDIT_SESSIONS, noEditSessions } from './no-edit-sessions.js';
export { NO_OUTCOME_SPEND, spendWithoutOutcomes } from './no-outcome-spend.js';
export { REPEATED_PROMPTS, repeatedPrompts } from './repeated-prompts.js';
export { mad, median, robustZ } from './stats.js';
export { TINY_PRS, tinyPrs } from './tiny-prs.js';
export { type Evidence, type Finding, SEVERITIES, type Severity, SIGNALS, type SignalId } from './types.js';
export { isLoopSession, UNATTENDED_LOOPS, unattendedLoops, unpromptedMs } from './unattended-loops.js';
