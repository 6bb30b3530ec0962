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
