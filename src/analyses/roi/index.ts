/**
 * ROI (issue #5): spend beside outcomes per week or month, cost per outcome and its trend, waste
 * by cause, flagged waste, and spend against budget. docs/dashboard.md describes the page.
 * @module
 */
export type { BudgetFacts, RoiBudget } from './budgets.js';
export { type FlagFacts, type FlaggedWaste, flaggedWaste } from './flagged.js';
export { ROI_PERIODS, type RoiPeriodKind } from './periods.js';
export {
  DEFAULT_MIN_OUTCOMES,
  type RoiNumbers,
  type RoiPeriodRow,
  type RoiReport,
  type RoiRequest,
  type RoiTeamRow,
  roiReport,
  WASTE_CAUSES,
} from './roi.js';
export type { RoiScope } from './tally.js';
export { costTrend, type Trend } from './trend.js';
