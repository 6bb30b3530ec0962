/**
 * The parts of the REST API's answers the dashboard reads (see /api/v1/openapi.json and the
 * server's `src/server/api`). Written out rather than imported: the web app is built for the
 * browser and must not pull server modules into its bundle.
 * @module
 */

export type Role = 'admin' | 'manager' | 'engineer';

export interface PersonRow {
  id: string;
  name: string | null;
  email: string | null;
  team: string | null;
  boardOptIn: boolean;
}

export type Me =
  | { kind: 'user'; name: string; role: Role; person: PersonRow | null; readableTeams: 'all' | string[] }
  | { kind: 'ingest'; name: string; team: string | null };

export type UserMe = Extract<Me, { kind: 'user' }>;

export interface UsageTotals {
  input_tokens: number;
  output_tokens: number;
  cache_write_tokens: number;
  cache_read_tokens: number;
  total_tokens: number;
  cost_usd: number;
  calls: number;
  unpriced_calls: number;
}

export interface UsageRow extends UsageTotals {
  models: string[];
  tools: string[];
}

export interface DailyReport {
  rows: (UsageRow & { date: string })[];
  totals: UsageTotals;
  unpriced_models: string[];
}

export interface ModelReport {
  rows: (UsageRow & { model: string })[];
  totals: UsageTotals;
  unpriced_models: string[];
}

export interface Team {
  id: string;
  name: string;
  members: number | null;
  readable: boolean;
}

export type Scope = { kind: 'org' } | { kind: 'team'; team: string } | { kind: 'person'; personId: string };

export interface ValueSummary {
  scope: Scope;
  shipped: {
    basis: string;
    shipped: number;
    durable: number;
    survivalRate: number | null;
    qualifying: number;
    aiAssistedQualifying: number;
    revertHorizonDays: number;
  };
  nd: {
    basis: string;
    nd: number;
    engineerWeeks: number;
    perEngineerWeek: number | null;
    weekly: { week: string; nd: number }[];
  };
  agentWork: { units: number; attempted: number; successRate: number | null };
  regularity: { workingWeeks: number; aiWeeks: number; regularity: number | null };
  adoption: {
    weeks: { week: string; headcount: number; activeShare: number; agenticShare: number }[];
    meanActiveShare: number | null;
    meanAgenticShare: number | null;
  };
  costPerOutcome: {
    costUsd: number;
    perNd: number | null;
    perAgentWorkUnit: number | null;
    perDurableChange: number | null;
  };
  cacheEfficiency: { efficiency: number | null };
  waste: { costUsd: number; share: number | null };
  spend: { costUsd: number; sessions: number; unpricedCalls: number };
  contributors: number;
}

export interface ValueAnswer {
  org: ValueSummary | null;
  teams: ValueSummary[];
  people: ValueSummary[];
}

export const LENSES = ['value', 'efficiency', 'agent_work', 'regularity', 'spend'] as const;
export type Lens = (typeof LENSES)[number];

export type Band = 'top_10' | 'top_25' | 'top_50' | 'rest';

export interface BoardMetrics {
  nd: number;
  agentWorkUnits: number;
  attemptedSessions: number;
  agentSuccessRate: number | null;
  durableChanges: number;
  costUsd: number;
  ndPerDollar: number | null;
  regularity: number | null;
  workingWeeks: number;
  cacheEfficiency: number | null;
}

export interface BoardEntry {
  kind: 'team' | 'person';
  id: string;
  name: string;
  band: Band | null;
  rank: number | null;
  score: number | null;
  size: number;
  self: boolean;
  metrics: BoardMetrics;
  badges: { id: string; label: string; because: string }[];
}

export interface Board {
  lens: Lens;
  label: string;
  merit: boolean;
  level: 'team' | 'person';
  entries: BoardEntry[];
  suppressed: { id: string; reason: string }[];
  hidden: number;
  unranked: number;
  heldOut: number;
  /** Held-out people the caller may see, with the flags that hold them (`/integrity/<flag>`). */
  heldOutEntries?: { id: string; name: string; self: boolean; flagIds: string[] }[];
  settings: { minGroupSize: number; bands: string; minSpendUsd: number; minWorkingWeeks: number };
}

export interface Person extends PersonRow {
  aliases: { kind: string; value: string }[];
  memberships: { team: string; from: string | number | null; until: string | number | null }[];
  costCentre: string | null;
}

export interface ExplainChange {
  id: string;
  kind: string;
  repo: string;
  title: string | null;
  shippedAt: number | null;
  durable: boolean;
  qualifying: boolean;
  excludedBecause: string[];
  aiAssisted: boolean;
  evidence: { kind: string; tool: string | null; detail: string }[];
  sessionIds: string[];
  deploymentId: string | null;
  ndShare: number;
}

export interface ExplainSession {
  sessionId: string;
  tool: string;
  firstTs: number;
  lastTs: number;
  costUsd: number;
  calls: number;
  prompts: number;
  edits: number;
  agentic: boolean;
  outcome: string;
  agentWorkUnit: boolean;
  changeIds: string[];
}

export interface ExplainDeployment {
  id: string;
  service: string;
  ts: number;
  outcome: string;
  recipients: number;
  personTotal: number;
}

export interface Explanation {
  personId: string;
  name: string | null;
  heldOut: boolean;
  position: BoardEntry | null;
  totals: ValueSummary;
  changes: ExplainChange[];
  deployments: ExplainDeployment[];
  sessions: ExplainSession[];
}

export const SESSION_OUTCOMES = [
  'durable',
  'not_counted',
  'not_durable',
  'in_review',
  'not_shipped',
  'never_committed',
  'no_edits',
] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

/** `GET /api/v1/tools`: one row per AI tool. */
export interface ToolRow extends UsageTotals {
  tool: string;
  models: string[];
  outcomes: {
    sessions: number;
    costUsd: number;
    unpricedCalls: number;
    attempted: number;
    agentWorkUnits: number;
    successRate: number | null;
    costPerAgentWorkUnit: number | null;
    outcomes: Record<SessionOutcome, { sessions: number; costUsd: number }>;
  } | null;
}

export interface ToolBreakdown {
  since: string | null;
  until: string | null;
  rows: ToolRow[];
  totals: UsageTotals;
  unpriced_models: string[];
}

/** `GET /api/v1/teams/{id}`: members and managers only when the caller may read the team. */
export interface TeamDetail extends Team {
  managers?: { id: string; name: string }[];
  people?: PersonRow[];
}

/** A budget's definition as the API gives it (docs/budgets.md). */
export interface BudgetDefinition {
  id: string;
  name?: string;
  scope: { kind: 'org' | 'team' | 'person' | 'tool' | 'model'; id?: string };
  period: 'month' | 'quarter' | 'year';
  fiscalYearStart: number;
  timeZone: string;
  unit: 'usd' | 'tokens' | 'credits';
  amount: number;
  perPerson: boolean;
  thresholds: number[];
  rollover?: { cap: number };
  hard: boolean;
}

export interface BudgetPeriod {
  kind: string;
  start: string;
  end: string;
  label: string;
  timeZone: string;
  days: number;
}

export interface BudgetForecast {
  method: 'adoption' | 'trend' | 'level' | 'none';
  fitDays: number;
  burnRatePerDay: number;
  trendPerDay: number;
  lastWeekPerDay: number;
  weekdayFactors: number[];
  projected: { low: number; mid: number; high: number };
  exhaustsOn: string | null;
  exhaustsRange: { early: string | null; late: string | null };
  exhaustionProbability: number;
  path: { date: string; low: number; mid: number; high: number }[];
  adoption: {
    headcount: number;
    activeShare: number;
    agenticShare: number;
    activeShareMonthAgo: number | null;
    agenticShareMonthAgo: number | null;
    agenticGrowthPerMonth: number;
    spendPerAgenticUser: number;
    ceilingShare: number;
  } | null;
  notes: string[];
}

export interface AllowanceRow {
  personId: string;
  name: string | null;
  spent: number;
  percent: number;
}

/**
 * `GET /api/v1/budgets/{id}`. `view: "rows"`: an allowance whose scope the caller may not read,
 * with only the rows of people they may read (no totals, no forecast).
 */
export interface BudgetStatus {
  view: 'full' | 'rows';
  id: string;
  name: string;
  budget: BudgetDefinition;
  source: 'config' | 'api';
  period: BudgetPeriod;
  today: string;
  limit?: { base: number; carried: number; total: number };
  spent?: number;
  remaining?: number;
  percent?: number;
  state?: 'ok' | 'warning' | 'exceeded';
  thresholds?: { percent: number; amount: number; crossedOn: string | null }[];
  days?: { date: string; amount: number; cumulative: number }[];
  forecast?: BudgetForecast | null;
  allowances: {
    amount: number;
    people?: number;
    pastThreshold?: number;
    over?: number;
    rows: AllowanceRow[];
  } | null;
  warnings?: string[];
  computedAt: number;
}

/** `GET /api/v1/budgets`: statuses without days and forecast paths. */
export interface BudgetList {
  budgets: (Omit<BudgetStatus, 'days' | 'forecast'> & {
    forecast?: Pick<
      BudgetForecast,
      'method' | 'burnRatePerDay' | 'projected' | 'exhaustsOn' | 'exhaustsRange' | 'exhaustionProbability'
    > | null;
  })[];
}

/** `GET /api/v1/budgets/{id}/alerts`. */
export interface BudgetAlerts {
  alerts: {
    event: { key: string; kind: string; threshold: number; message: string; detectedAt: number };
    recordedAt: number;
    deliveries: {
      channel: string;
      status: string;
      attempts: number;
      lastError?: string;
      deliveredAt?: number;
    }[];
  }[];
}

/** `GET /api/v1/budgets/{id}/what-if`. */
export interface BudgetWhatIf {
  cap: number;
  unit: string;
  period: { start: string; end: string; label: string };
  through: string;
  people: number;
  spent: number;
  saved: number;
  savedShare: number;
  stopped: number;
  rows: { personId: string; name: string | null; spent: number; excess: number; stoppedOn: string | null }[];
  datedPeople: number;
}

/** Integrity flags (`/api/v1/flags`, docs/integrity.md). */
export type FlagStatus = 'open' | 'confirmed' | 'dismissed';

export interface ReviewDecision {
  status: 'confirmed' | 'dismissed';
  note: string;
  by: string;
  at: number;
}

export interface FlagSummary {
  id: string;
  personId: string;
  name: string;
  team: string | null;
  window: { from: number; until: number };
  status: FlagStatus;
  severity: 'low' | 'medium' | 'high';
  signals: string[];
  reasons: { signal: string; severity: string; reason: string }[];
  wastedUsd: number;
  spendUsd: number;
  decision: ReviewDecision | null;
  decisions: number;
  canReview: boolean;
}

export interface FlagListAnswer {
  periods: { from: number; until: number; label: string }[];
  flags: FlagSummary[];
  totals: { open: number; confirmed: number; dismissed: number; heldOutWastedUsd: number };
  unreadableReviews: { key: string; reason: string }[];
}

export interface FlagFinding {
  signal: string;
  peerGroup: string;
  severity: string;
  reason: string;
  evidence: {
    numbers: Record<string, number | null>;
    sessionIds: string[];
    changeIds: string[];
    commitShas: string[];
  };
  wastedUsd: number;
}

export interface FlagDetail extends FlagSummary {
  period: string;
  findings: FlagFinding[];
  review: { flagId: string; history: ReviewDecision[] } | null;
}

export interface FlagExplanationAnswer {
  findings: {
    signal: string;
    rule: string;
    derivations: {
      key: string;
      evidence: number | null;
      recomputed: number;
      matches: boolean;
      how: string;
    }[];
    checks: { what: string; value: number | null; op: string; threshold: number; met: boolean }[];
    context: { key: string; value: number | null; how: string }[];
    wasteHow: string;
  }[];
  sessions: {
    sessionId: string;
    tool: string;
    firstTs: number;
    lastTs: number;
    calls: number;
    prompts: number;
    costUsd: number;
    outputTokens: number;
    cacheReadTokens: number;
    edits: number;
    outcome: string;
    waste: boolean;
    inWindow: boolean;
    namedBy: string[];
  }[];
  changes: {
    id: string;
    shippedAt: number | null;
    additions: number;
    deletions: number;
    selfMerged: boolean;
    aiAssisted: boolean;
    revertedBy: { sha: string; at: number } | null;
    rolledBackIn: string | null;
    namedBy: string[];
  }[];
  reproduce: { sessions: string; activity: string; changes: string };
}

/** `GET /api/v1/roi` (src/analyses/roi/roi.ts). */
export const WASTE_CAUSES = [
  'no_edits',
  'never_committed',
  'not_shipped',
  'not_durable',
  'not_counted',
] as const;
export type WasteCause = (typeof WASTE_CAUSES)[number];

export interface RoiNumbers {
  spendUsd: number;
  sessions: number;
  unpricedCalls: number;
  attempted: number;
  agentWorkUnits: number;
  shipped: number | null;
  durableChanges: number | null;
  nd: number | null;
  costPerNd: number | null;
  costPerAgentWorkUnit: number | null;
  costPerDurableChange: number | null;
  lowData: ('nd' | 'agentWorkUnits' | 'durableChanges')[];
  waste: { usd: number; share: number | null; byCause: Record<WasteCause, number>; pendingUsd: number };
}

export interface RoiPeriodRow extends RoiNumbers {
  start: string;
  from: string;
  until: string;
  partial: boolean;
}

export interface RoiTrend {
  direction: 'falling' | 'flat' | 'rising' | null;
  changePerPeriod: number | null;
  periods: number;
  reason: string | null;
}

export interface RoiBudget {
  id: string;
  name: string;
  unit: string;
  period: { label: string; start: string; end: string };
  elapsed: number;
  spent: number;
  limit: number;
  used: number;
  outcomes: { nd: number | null; agentWorkUnits: number; durableChanges: number | null } | null;
  ndPerThousandSpent: number | null;
  ndPerThousandLimit: number | null;
  agentWorkUnitsPerThousandSpent: number | null;
  note: string | null;
}

export interface RoiReport {
  from: string | null;
  until: string | null;
  period: 'week' | 'month';
  scope: { kind: 'org' } | { kind: 'teams'; teams: string[] } | { kind: 'person'; personId: string };
  tools: string[] | null;
  ndBasis: string;
  minOutcomes: number;
  minGroupSize: number;
  totals: RoiNumbers;
  periods: RoiPeriodRow[];
  trend: { costPerNd: RoiTrend; costPerAgentWorkUnit: RoiTrend; costPerDurableChange: RoiTrend };
  flagged: {
    flags: { open: number; confirmed: number; dismissed: number };
    wastedUsd: number;
    confirmedUsd: number;
    flaggedSpendUsd: number;
    from: string | null;
    until: string | null;
  } | null;
  teams: {
    team: string | null;
    suppressed: boolean;
    numbers: (RoiNumbers & { contributors: number }) | null;
  }[];
  budgets: RoiBudget[];
  notes: string[];
}
