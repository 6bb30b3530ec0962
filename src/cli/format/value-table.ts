/**
 * One row per scope (org, team, person) of the value summary, for the terminal and for CSV.
 * @module
 */
import type { ValueSummary } from '../../analyses/value/index.js';
import type { Column } from './table.js';
import { formatInt, formatUsd } from './table.js';

type Row = Record<string, string>;

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(0)}%`);
const usd = (v: number | null) => (v === null ? '–' : formatUsd(v));
const num = (v: number | null, digits = 2) => (v === null ? '–' : v.toFixed(digits));

export function valueRow(s: ValueSummary): Row {
  const scope =
    s.scope.kind === 'org' ? 'org' : s.scope.kind === 'team' ? `team ${s.scope.team}` : s.scope.personId;
  return {
    scope,
    contributors: formatInt(s.contributors),
    spend: formatUsd(s.spend.costUsd),
    shipped: formatInt(s.shipped.shipped),
    durable: formatInt(s.shipped.durable),
    survival: pct(s.shipped.survivalRate),
    ai_share: pct(s.shipped.qualifying > 0 ? s.shipped.aiAssistedQualifying / s.shipped.qualifying : null),
    nd: num(s.nd.nd),
    nd_per_eng_week: num(s.nd.perEngineerWeek, 3),
    awu: formatInt(s.agentWork.units),
    awu_success: pct(s.agentWork.successRate),
    usd_per_nd: usd(s.costPerOutcome.perNd),
    usd_per_durable: usd(s.costPerOutcome.perDurableChange),
    regularity: pct(s.regularity.regularity),
    cache_eff: pct(s.cacheEfficiency.efficiency),
    waste: pct(s.waste.share),
  };
}

export function valueColumns(): Column<Row>[] {
  const left = new Set(['scope']);
  return Object.keys(valueRow(EMPTY_SHAPE)).map((header) => ({
    header,
    value: (r: Row) => r[header] ?? '',
    align: left.has(header) ? 'left' : 'right',
  }));
}

/** Only the keys of a row matter for the header; built once from a null-valued summary. */
const EMPTY_SHAPE = {
  scope: { kind: 'org' },
  contributors: 0,
  spend: { costUsd: 0 },
  shipped: { shipped: 0, durable: 0, survivalRate: null, qualifying: 0, aiAssistedQualifying: 0 },
  nd: { nd: 0, perEngineerWeek: null },
  agentWork: { units: 0, successRate: null },
  costPerOutcome: { perNd: null, perDurableChange: null },
  regularity: { regularity: null },
  cacheEfficiency: { efficiency: null },
  waste: { share: null },
} as unknown as ValueSummary;
