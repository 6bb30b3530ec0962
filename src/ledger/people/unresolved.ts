/**
 * Identities seen in the data that the people directory maps to no one — the list behind
 * `tokenyield people unresolved`, ordered so that adding the first few aliases to the people
 * file attributes the most spend.
 * @module
 */
import { foldAlias } from './directory.js';
import type { AliasKind, PeopleDirectory } from './types.js';

/** One identity as seen in the ledger, with what was attributed to it. */
export interface SeenIdentity {
  /** `unknown` when the source did not say what kind of identifier it is. */
  kind: AliasKind | 'unknown';
  value: string;
  costUsd: number;
  calls: number;
  commits: number;
  pullRequests: number;
}

export interface IdentityTotals {
  identities: number;
  costUsd: number;
  calls: number;
  commits: number;
  pullRequests: number;
}

export interface UnresolvedReport {
  /** Unresolved identities, merged per (kind, value), most spend first, then most work. */
  identities: SeenIdentity[];
  /** Sums over `identities`. */
  unresolved: IdentityTotals;
  /** Sums over everything seen (distinct identities after merging), to put the above in proportion. */
  seen: IdentityTotals;
}

function emptyTotals(): IdentityTotals {
  return { identities: 0, costUsd: 0, calls: 0, commits: 0, pullRequests: 0 };
}

function add(totals: IdentityTotals, s: SeenIdentity): void {
  totals.identities += 1;
  totals.costUsd += s.costUsd;
  totals.calls += s.calls;
  totals.commits += s.commits;
  totals.pullRequests += s.pullRequests;
}

/** Unpriced calls arrive with no usable cost; they still count as calls, just not as spend. */
function finite(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

/**
 * Merges `seen` per (kind, value) — values compared the way the directory compares them, so
 * `Alice@x` and `alice@x` are one identity, shown as first seen — and keeps those the directory
 * cannot resolve. Pure: the caller gathers `seen` from the ledger.
 */
export function unresolvedIdentities(
  directory: PeopleDirectory,
  seen: Iterable<SeenIdentity>,
): UnresolvedReport {
  const merged = new Map<string, SeenIdentity>();
  for (const s of seen) {
    const kind = s.kind === 'unknown' ? undefined : s.kind;
    const key = `${s.kind}\u0000${foldAlias(kind, s.value)}`;
    const m = merged.get(key);
    if (m === undefined) {
      merged.set(key, {
        kind: s.kind,
        value: s.value.trim(),
        costUsd: finite(s.costUsd),
        calls: finite(s.calls),
        commits: finite(s.commits),
        pullRequests: finite(s.pullRequests),
      });
    } else {
      m.costUsd += finite(s.costUsd);
      m.calls += finite(s.calls);
      m.commits += finite(s.commits);
      m.pullRequests += finite(s.pullRequests);
    }
  }

  const identities: SeenIdentity[] = [];
  const seenTotals = emptyTotals();
  const unresolved = emptyTotals();
  for (const s of merged.values()) {
    add(seenTotals, s);
    if (directory.resolve(s.value, s.kind === 'unknown' ? undefined : s.kind) !== undefined) continue;
    identities.push(s);
    add(unresolved, s);
  }
  identities.sort(
    (a, b) =>
      b.costUsd - a.costUsd ||
      b.commits + b.pullRequests - (a.commits + a.pullRequests) ||
      b.calls - a.calls ||
      (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
      (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
  );
  return { identities, unresolved, seen: seenTotals };
}
