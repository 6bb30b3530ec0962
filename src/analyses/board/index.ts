/**
 * The leaderboard: lenses, bands, badges and the explanation behind a position.
 * @module
 */
export {
  awardBadges,
  type Badge,
  type BadgeId,
  type BadgeThresholds,
  DEFAULT_BADGE_THRESHOLDS,
} from './badges.js';
export { type Band, compositeScores, percentileRanks, rankAndBand } from './bands.js';
export {
  type Board,
  type BoardEntry,
  type BoardMetrics,
  type BoardOptions,
  board,
  boardMetrics,
  type HeldOutEntry,
  heldOutMap,
} from './board.js';
export {
  type ExplainedChange,
  type ExplainedDeployment,
  type ExplainedSession,
  type Explanation,
  explain,
} from './explain.js';
export { LENS_LABELS, LENSES, type Lens } from './lenses.js';
