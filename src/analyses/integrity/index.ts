/**
 * Integrity (DESIGN §7): signals that detect tokenmaxxing with evidence, each comparing a person
 * with their own baseline and their peer group, combined into flags that hold a person out of
 * the board until reviewed. Definitions: docs/integrity.md.
 * @module
 */
export { CACHE_PADDING, cachePadding, isPaddedSession } from './cache-padding.js';
export { CHURN, churn } from './churn.js';
export {
  fingerprintsOf,
  type IntegrityContext,
  type IntegrityOptions,
  integrityContext,
  monthEnds,
  ORG,
} from './context.js';
export { COST_PER_OUTCOME, costPerOutcome } from './cost-per-outcome.js';
export { DEADLINE_SPIKES, deadlineSpikes } from './deadline-spikes.js';
export {
  type Check,
  type ContextNumber,
  type Derivation,
  type ExplainedChange,
  type ExplainedFinding,
  type ExplainedSession,
  type ExplainOptions,
  explainFlag,
  type FlagExplanation,
} from './explain.js';
export { clusterFingerprints } from './fingerprint-clusters.js';
export {
  type FlagBook,
  type FlagDetail,
  type FlagFilter,
  type FlagList,
  type FlagSummary,
  findFlag,
  flagBook,
  flagDetail,
  flagList,
  type PeriodOptions,
  periodFlags,
  periodsFor,
  selectFlags,
  summariseFlag,
} from './flag-book.js';
export {
  DEFAULT_THRESHOLDS,
  type DetectOptions,
  detectFindings,
  FLAG_STATUSES,
  type Flag,
  type FlagReview,
  type FlagStatus,
  flagId,
  flagsFromFindings,
  heldOutFrom,
  integrityFlags,
  type ReviewDecision,
  raisesFlag,
  type Thresholds,
  thresholdsOf,
} from './flags.js';
export { type FlagStore, flagBookFromStore, periodFingerprints, periodFlagsFromStore } from './from-store.js';
export { NO_EDIT_SESSIONS, noEditSessions } from './no-edit-sessions.js';
export { NO_OUTCOME_SPEND, spendWithoutOutcomes } from './no-outcome-spend.js';
export { dataSpan, isPeriod, PERIOD_WEEKS, periodLabel, periodOf, periodsOverlapping } from './periods.js';
export { REPEATED_PROMPTS, repeatedPrompts } from './repeated-prompts.js';
export {
  applyReviews,
  checkReview,
  MAX_NOTE_CHARS,
  parseStoredReview,
  REVIEW_PREFIX,
  type ReviewBook,
  ReviewError,
  type ReviewRequest,
  type ReviewStore,
  readReviews,
  recordReview,
  reviewFor,
  type StoredReview,
} from './review.js';
export { mad, median, robustZ } from './stats.js';
export { TINY_PRS, tinyPrs } from './tiny-prs.js';
export { type Evidence, type Finding, SEVERITIES, type Severity, SIGNALS, type SignalId } from './types.js';
export { isLoopSession, UNATTENDED_LOOPS, unattendedLoops, unpromptedMs } from './unattended-loops.js';
