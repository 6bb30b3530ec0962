/**
 * Spend that integrity flags (docs/integrity.md) estimate was wasted, as ROI reports it. Flags
 * belong to fixed 8-week periods and to people, not to the report's weeks or tools, so this is one
 * figure for the periods the window overlaps, beside the session causes rather than added to them
 * (the same sessions are often in both). Dismissed flags waste nothing: a reviewer said so.
 * @module
 */
import type { Flag } from '../integrity/flags.js';

export interface FlaggedWaste {
  /** Flags of the periods the window overlaps, by status. */
  flags: { open: number; confirmed: number; dismissed: number };
  /** Σ wastedUsd of open and confirmed flags. */
  wastedUsd: number;
  /** Of which confirmed by a reviewer. */
  confirmedUsd: number;
  /** Σ spendUsd of the flagged people in those flags' windows. */
  flaggedSpendUsd: number;
  /** The flags' periods (`YYYY-MM-DD`, end exclusive); null without flags. */
  from: string | null;
  until: string | null;
}

export type FlagFacts = Pick<Flag, 'status' | 'wastedUsd' | 'spendUsd' | 'window'>;

const day = (ts: number) => new Date(ts).toISOString().slice(0, 10);

export function flaggedWaste(flags: readonly FlagFacts[]): FlaggedWaste {
  const out: FlaggedWaste = {
    flags: { open: 0, confirmed: 0, dismissed: 0 },
    wastedUsd: 0,
    confirmedUsd: 0,
    flaggedSpendUsd: 0,
    from: null,
    until: null,
  };
  let from = Number.POSITIVE_INFINITY;
  let until = Number.NEGATIVE_INFINITY;
  for (const f of flags) {
    out.flags[f.status]++;
    from = Math.min(from, f.window.from);
    until = Math.max(until, f.window.until);
    if (f.status === 'dismissed') continue;
    out.wastedUsd += f.wastedUsd;
    out.flaggedSpendUsd += f.spendUsd;
    if (f.status === 'confirmed') out.confirmedUsd += f.wastedUsd;
  }
  if (flags.length > 0) {
    out.from = day(from);
    out.until = day(until);
  }
  return out;
}
