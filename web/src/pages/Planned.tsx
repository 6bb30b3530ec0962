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
