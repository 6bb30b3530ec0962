/**
 * Integrity flags in the terminal: the list, one flag with its findings and review history, and
 * the explanation (`--explain`) that lets anyone with the ledger check the evidence.
 * @module
 */
import type {
  Derivation,
  FlagDetail,
  FlagExplanation,
  FlagList,
  FlagSummary,
  ReviewDecision,
} from '../../analyses/integrity/index.js';
import { formatInt, formatUsd, renderTable } from './table.js';

const day = (ts: number) => new Date(ts).toISOString().slice(0, 10);
const time = (ts: number) => new Date(ts).toISOString().slice(0, 16).replace('T', ' ');

export function flagRows(flags: readonly FlagSummary[]): Array<Record<string, unknown>> {
  return flags.map((f) => ({
    id: f.id,
    person: f.personId,
    name: f.name,
    team: f.team ?? '',
    from: day(f.window.from),
    until: day(f.window.until - 86_400_000),
    status: f.status,
    severity: f.severity,
    signals: f.signals,
    wasted_usd: f.wastedUsd,
    spend_usd: f.spendUsd,
    decided_by: f.decision?.by ?? '',
    note: f.decision?.note ?? '',
  }));
}

export function renderFlagList(list: FlagList): string {
  const head = list.periods.length
    ? `Periods: ${list.periods.map((p) => p.label).join(', ')}`
    : 'No data in this range.';
  if (list.flags.length === 0) return `${head}\nNo flags.`;
  const table = renderTable(
    [
      { header: 'flag', value: (f: FlagSummary) => f.id, align: 'left' },
      { header: 'person', value: (f) => f.name, align: 'left' },
      { header: 'team', value: (f) => f.team ?? '', align: 'left' },
      { header: 'period', value: (f) => `${day(f.window.from)}…`, align: 'left' },
      { header: 'status', value: (f) => f.status, align: 'left' },
      { header: 'severity', value: (f) => f.severity, align: 'left' },
      { header: 'wasted', value: (f) => formatUsd(f.wastedUsd) },
      { header: 'spend', value: (f) => formatUsd(f.spendUsd) },
      { header: 'signals', value: (f) => f.signals.join(', '), align: 'left' },
    ],
    [...list.flags],
  );
  const bad = list.unreadableReviews.map((u) => `\nUnreadable stored review ${u.key}: ${u.reason}`).join('');
  const open = list.flags.filter((f) => f.status === 'open').length;
  return `${head}\n\n${table}\n\n${list.flags.length} flags, ${open} open (open and confirmed flags hold the person out of the board).${bad}`;
}

function renderHistory(history: readonly ReviewDecision[]): string[] {
  return history.map((d) => `  ${time(d.at)}  ${d.status} by ${d.by}: ${d.note}`);
}

export function renderFlag(f: FlagDetail): string {
  const lines = [
    `${f.id}  ${f.name} (${f.personId})${f.team ? `, team ${f.team}` : ''}`,
    `Period ${f.period}: ${f.status}, severity ${f.severity}; spend ${formatUsd(f.spendUsd)}, estimated waste ${formatUsd(f.wastedUsd)}`,
    '',
    'Findings:',
  ];
  for (const x of f.findings) {
    lines.push(`  ${x.signal} (${x.severity}, peers: ${x.peerGroup}): ${x.reason}`);
    const numbers = Object.entries(x.evidence.numbers)
      .map(([k, v]) => `${k}=${v === null ? '–' : v}`)
      .join(' ');
    lines.push(`    ${numbers}`);
    const lists = [
      x.evidence.sessionIds.length ? `${x.evidence.sessionIds.length} sessions` : '',
      x.evidence.changeIds.length ? `${x.evidence.changeIds.length} changes` : '',
      x.evidence.commitShas.length ? `${x.evidence.commitShas.length} commits` : '',
    ].filter(Boolean);
    if (lists.length) lines.push(`    names ${lists.join(', ')}`);
  }
  lines.push('', 'Review:');
  if (f.review) {
    if (f.review.flagId !== f.id)
      lines.push(`  decided on ${f.review.flagId}, whose signals included all of these`);
    lines.push(...renderHistory(f.review.history));
  } else lines.push('  none yet');
  lines.push('', `Evidence rows and how to reproduce them: tokenyield flags show ${f.id} --explain`);
  return lines.join('\n');
}

function derivationLine(d: Derivation): string {
  const mark = d.matches ? 'matches' : `DIFFERS from the flag's ${d.evidence}`;
  return `      ${d.key} = ${d.recomputed}   ${d.how}  [${mark}]`;
}

export function renderExplanation(x: FlagExplanation): string {
  const f = x.flag;
  const lines = [
    `${f.id}  ${f.personId}: ${f.status}, severity ${f.severity}, window ${day(f.window.from)} – ${day(f.window.until - 86_400_000)}`,
    `Spend ${formatUsd(f.spendUsd)}, estimated waste ${formatUsd(f.wastedUsd)}${x.periodEnds.length ? `; board closes: ${x.periodEnds.map(day).join(', ')}` : ''}`,
  ];
  for (const e of x.findings) {
    lines.push('', `${e.signal} (${e.severity}, peer group ${e.peerGroup}): ${e.rule}`, `  ${e.reason}`);
    lines.push('    Evidence recomputed from the sessions and changes below:');
    for (const d of e.derivations) lines.push(derivationLine(d));
    lines.push('    Thresholds:');
    for (const c of e.checks)
      lines.push(
        `      [${c.met ? 'x' : ' '}] ${c.what}: ${c.value === null ? '–' : c.value} ${c.op} ${c.threshold}`,
      );
    if (e.context.length) {
      lines.push('    From the peer group and earlier weeks (not recomputable from this person’s rows):');
      for (const n of e.context) lines.push(`      ${n.key} = ${n.value === null ? '–' : n.value}: ${n.how}`);
    }
    lines.push(`    Wasted ${formatUsd(e.wastedUsd)}: ${e.wasteHow}`);
  }
  lines.push('', `Sessions (${x.sessions.length}; * named by a finding, ~ before the window):`);
  lines.push(
    renderTable(
      [
        {
          header: 'session',
          value: (s: FlagExplanation['sessions'][number]) =>
            `${s.namedBy.length ? '*' : s.inWindow ? ' ' : '~'}${s.sessionId}`,
          align: 'left',
        },
        { header: 'tool', value: (s) => s.tool, align: 'left' },
        { header: 'start', value: (s) => time(s.firstTs), align: 'left' },
        { header: 'hours', value: (s) => ((s.lastTs - s.firstTs) / 3_600_000).toFixed(2) },
        { header: 'calls', value: (s) => formatInt(s.calls) },
        { header: 'prompts', value: (s) => formatInt(s.prompts) },
        { header: 'cost', value: (s) => formatUsd(s.costUsd) },
        { header: 'output', value: (s) => formatInt(s.outputTokens) },
        { header: 'cache read', value: (s) => formatInt(s.cacheReadTokens) },
        { header: 'edits', value: (s) => formatInt(s.edits) },
        { header: 'commits', value: (s) => s.commitShas.map((c) => c.slice(0, 10)).join(' '), align: 'left' },
        { header: 'outcome', value: (s) => `${s.outcome}${s.waste ? ' (waste)' : ''}`, align: 'left' },
        { header: 'named by', value: (s) => s.namedBy.join(', '), align: 'left' },
      ],
      [...x.sessions],
    ),
  );
  if (x.changes.length) {
    lines.push('', `Changes (${x.changes.length}):`);
    lines.push(
      renderTable(
        [
          { header: 'change', value: (c: FlagExplanation['changes'][number]) => c.id, align: 'left' },
          { header: 'shipped', value: (c) => (c.shippedAt === null ? '' : time(c.shippedAt)), align: 'left' },
          { header: 'lines', value: (c) => `+${c.additions}/-${c.deletions}` },
          { header: 'self-merged', value: (c) => (c.selfMerged ? 'yes' : ''), align: 'left' },
          { header: 'AI', value: (c) => (c.aiAssisted ? 'yes' : ''), align: 'left' },
          {
            header: 'churn',
            value: (c) =>
              [
                c.revertedBy ? `reverted by ${c.revertedBy.sha.slice(0, 10)}` : '',
                c.rolledBackIn ? `rolled back in ${c.rolledBackIn}` : '',
                c.incidentIds.length ? `incidents ${c.incidentIds.join(' ')}` : '',
              ]
                .filter(Boolean)
                .join('; '),
            align: 'left',
          },
          { header: 'named by', value: (c) => c.namedBy.join(', '), align: 'left' },
        ],
        [...x.changes],
      ),
    );
  }
  lines.push(
    '',
    'To read the same rows from the DuckDB ledger (duckdb <ledger> -readonly):',
    `  ${x.reproduce.sessions};`,
    `  ${x.reproduce.activity};`,
    `  ${x.reproduce.changes};`,
  );
  return lines.join('\n');
}
