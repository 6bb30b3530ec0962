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

const scopeName = (s: ValueSummary) =>
  s.scope.kind === 'org' ? 'org' : s.scope.kind === 'team' ? `team ${s.scope.team}` : s.scope.personId;

/** Every column of the table, in order: the header and how a summary shows in it. */
const FIELDS: ReadonlyArray<readonly [string, (s: ValueSummary) => string]> = [
  ['scope', scopeName],
  ['contributors', (s) => formatInt(s.contributors)],
  ['spend', (s) => formatUsd(s.spend.costUsd)],
  ['shipped', (s) => formatInt(s.shipped.shipped)],
  ['durable', (s) => formatInt(s.shipped.durable)],
  ['survival', (s) => pct(s.shipped.survivalRate)],
  [
    'ai_share',
    (s) => pct(s.shipped.qualifying > 0 ? s.shipped.aiAssistedQualifying / s.shipped.qualifying : null),
  ],
  ['nd', (s) => num(s.nd.nd)],
  ['nd_per_eng_week', (s) => num(s.nd.perEngineerWeek, 3)],
  ['awu', (s) => formatInt(s.agentWork.units)],
  ['awu_success', (s) => pct(s.agentWork.successRate)],
  ['usd_per_nd', (s) => usd(s.costPerOutcome.perNd)],
  ['usd_per_durable', (s) => usd(s.costPerOutcome.perDurableChange)],
  ['regularity', (s) => pct(s.regularity.regularity)],
  ['cache_eff', (s) => pct(s.cacheEfficiency.efficiency)],
  ['waste', (s) => pct(s.waste.share)],
];

export function valueRow(s: ValueSummary): Row {
  return Object.fromEntries(FIELDS.map(([header, show]) => [header, show(s)]));
}

export function valueColumns(): Column<Row>[] {
  return FIELDS.map(([header]) => ({
    header,
    value: (r: Row) => r[header] ?? '',
    align: header === 'scope' ? 'left' : 'right',
  }));
}
