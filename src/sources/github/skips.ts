/**
 * Tally of skipped input, grouped by reason. Reasons are kept free of per-record detail so that
 * a thousand rows with the same problem make one line of the summary; where the problem was
 * found (file, row, PR number) goes into a few examples instead.
 * @module
 */

export interface SkipSummary {
  reason: string;
  count: number;
  /** Up to `MAX_EXAMPLES` locations, e.g. `deployments.csv row 7` or `pulls.json #12`. */
  examples: string[];
}

const MAX_EXAMPLES = 5;

export class SkipTally {
  private readonly byReason = new Map<string, SkipSummary>();

  add(reason: string, example?: string): void {
    let entry = this.byReason.get(reason);
    if (!entry) {
      entry = { reason, count: 0, examples: [] };
      this.byReason.set(reason, entry);
    }
    entry.count++;
    if (example !== undefined && entry.examples.length < MAX_EXAMPLES) entry.examples.push(example);
  }

  /** Most frequent first, then by reason, so the output is stable across runs. */
  summary(): SkipSummary[] {
    return [...this.byReason.values()]
      .map((e) => ({ ...e, examples: [...e.examples] }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  }
}

/** Outcome of mapping one input object: a record, or why it was not usable. */
export type Parsed<T> = { ok: true; record: T } | { ok: false; reason: string };
