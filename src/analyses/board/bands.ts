/**
 * Percentile bands instead of exact ranks (DESIGN §6): a board says "top 10 %", "top 25 %",
 * "top 50 %" or nothing more, so small differences do not become contests. Composite lenses use
 * the mean percentile rank of their components, which needs no weights between unlike units
 * (deployments, sessions, log-lines) and cannot be moved by inflating one component's scale.
 * @module
 */

export type Band = 'top_10' | 'top_25' | 'top_50' | 'rest';

export const BAND_LIMITS: ReadonlyArray<readonly [Band, number]> = [
  ['top_10', 0.1],
  ['top_25', 0.25],
  ['top_50', 0.5],
];

/**
 * Mid-rank percentile of each value in [0, 1] (ties share the mean of their positions; a single
 * value sits at 0.5). O(n log n).
 */
export function percentileRanks(values: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return [];
  if (n === 1) return [0.5];
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && order[j + 1]![0] === order[i]![0]) j++;
    const mid = (i + j) / 2 / (n - 1);
    for (let k = i; k <= j; k++) out[order[k]![1]] = mid;
    i = j + 1;
  }
  return out;
}

/** Mean of the components' percentile ranks; `components[c][i]` is component c of entry i. */
export function compositeScores(components: ReadonlyArray<readonly number[]>): number[] {
  const n = components[0]?.length ?? 0;
  const out = new Array<number>(n).fill(0);
  for (const comp of components) {
    const ranks = percentileRanks(comp);
    for (let i = 0; i < n; i++) out[i]! += ranks[i]! / components.length;
  }
  return out;
}

export interface Ranked {
  /** Competition rank (1, 2, 2, 4 …) by score, highest first. */
  rank: number;
  band: Band;
}

/**
 * Ranks and bands entries by score. Entries with no outcome at all (`hasOutcome` false) are in
 * `rest` whatever their rank, so a crowd of zeros never lands in a top band.
 */
export function rankAndBand(scores: readonly number[], hasOutcome: readonly boolean[]): Ranked[] {
  const n = scores.length;
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const out = new Array<Ranked>(n);
  let rank = 0;
  order.forEach((idx, pos) => {
    if (pos === 0 || scores[idx]! !== scores[order[pos - 1]!]!) rank = pos + 1;
    let band: Band = 'rest';
    if (hasOutcome[idx]) {
      for (const [b, limit] of BAND_LIMITS) {
        if (rank / n <= limit) {
          band = b;
          break;
        }
      }
    }
    out[idx] = { rank, band };
  });
  return out;
}
