/**
 * Budgets, burn-rate forecasts and the budget check (DESIGN §8, docs/budgets.md,
 * docs/forecasting.md). Alert delivery is src/alerts; this module raises the events.
 * @module
 */

/** Periods in a budget's zone. */
export {
  type Period,
  type PeriodKind,
  periodAt,
  periodOfDate,
  previousPeriod,
  startOfLocalDay,
} from './calendar.js';
export { type CheckAnswer, type CheckDecision, type CheckEntry, checkBudgets } from './check.js';
export {
  BUDGET_META_PREFIX,
  BudgetConflictError,
  BudgetNotFoundError,
  mergeDefinitions,
  readStoredBudgets,
  removeBudget,
  saveBudget,
} from './definitions.js';
export { alertKey, budgetEvents, projectsOverrun } from './events.js';
export { type Forecast, type ForecastInput, forecastPeriod } from './forecast.js';
/** Definitions: the schema, the config section, and the API's stored budgets. */
export {
  type Budget,
  type BudgetDefinition,
  BudgetDefinitionError,
  type BudgetInput,
  type BudgetScope,
  type BudgetSource,
  type BudgetUnit,
  budgetName,
  budgetSchema,
  budgetsConfigSchema,
  describeScope,
  formatAmount,
  parseBudget,
} from './schema.js';
/** The server's budgets. */
export {
  type BudgetCheckResult,
  type BudgetService,
  type BudgetServiceOptions,
  createBudgetService,
} from './service.js';
/** Status, forecast, alerts, what-if and the check. */
export { type BudgetState, type BudgetStatus, budgetStatus, type StatusOptions } from './status.js';
export { type WhatIfResult, whatIfCap } from './what-if.js';
