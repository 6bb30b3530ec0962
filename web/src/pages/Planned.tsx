/**
 * Pages for capabilities that have not landed yet. They say what they will show and where it
 * comes from; they show no numbers, because any number here would be made up.
 * @module
 */

export interface PlannedPage {
  path: string;
  title: string;
  issue: string;
  summary: string;
  will: string[];
}

export const PLANNED: readonly PlannedPage[] = [
  {
    path: '/integrity',
    title: 'Integrity',
    issue: '#6',
    summary:
      'Signals of tokenmaxxing: spend that buys no outcome, explained with its evidence and an estimate of the money wasted.',
    will: [
      'Open flags per person and team, each with the signal, the evidence and the estimated wasted dollars.',
      'Signals compared with the person’s own baseline and their peer group (median and MAD), so a heavy user who ships is not flagged: spend without outcomes, cost-per-outcome outliers, unattended loops, repeated near-duplicate prompts, cache padding, spikes before a board period closes, sessions with no edits at high spend, churn of AI lines within 14 days, many tiny self-merged PRs.',
      'The review workflow: open → confirmed or dismissed, with a note. Open flags hold a person out of the board until reviewed (the board already reports how many are held out).',
    ],
  },
  {
    path: '/budgets',
    title: 'Budgets',
    issue: '#7',
    summary:
      'Budgets per organisation, team, person or tool, with burn-down and a forecast of period-end spend.',
    will: [
      'Each budget’s period (month, quarter, year), limit in dollars, tokens or credits, soft thresholds and roll-over.',
      'A burn-down chart: spend so far against the budget line, with the burn rate (weekday seasonality and adoption growth) and a forecast interval for the period end.',
      'The date each budget is expected to run out, "what if" caps, and the alerts sent (Slack-compatible, signed webhook, e-mail), once per threshold and period.',
    ],
  },
  {
    path: '/roi',
    title: 'ROI',
    issue: '#7',
    summary:
      'What the AI spend returned: outcomes per dollar over time, against the budget it was planned with.',
    will: [
      'Spend against outcomes per period: cost per normalised deployment, per agent work unit and per durable change, and how they move.',
      'Waste (spend in sessions with no durable outcome) by cause, next to the integrity flags that explain it.',
      'Return on each team’s budget once budgets exist; until then the overview shows cost per outcome from the value metrics.',
    ],
  },
];

export function Planned({ page }: { page: PlannedPage }) {
  return (
    <section className="planned" data-planned={page.path}>
      <h1>{page.title}</h1>
      <p className="state empty">
        Not available yet: this page arrives with issue {page.issue}. Until then it shows no numbers rather
        than made-up ones.
      </p>
      <p>{page.summary}</p>
      <h2>What it will show</h2>
      <ul>
        {page.will.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </section>
  );
}
