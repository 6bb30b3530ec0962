/**
 * Adoption (DESIGN §5): per week, people who used an AI tool and people who ran an agentic
 * session, as shares of headcount. Headcount of a week is everyone the people directory places in
 * the scope that week (a team membership on the week's Monday or Sunday) plus anyone active in the
 * scope that week, so a person missing from the people file cannot push a share above 1.
 * @module
 */
import {
  type Acc,
  aggregate,
  byWeek,
  type MetricQuery,
  type PersonSlots,
  ratio,
  scopeKey,
} from './aggregate.js';
import type { ValueModel } from './model.js';
import { ALL_TIME, WEEK_MS, type Window, weekLabel, weekStartMs, weeksOf } from './time.js';

export interface AdoptionWeek {
  week: string;
  headcount: number;
  activeAiUsers: number;
  agenticUsers: number;
  activeShare: number | null;
  agenticShare: number | null;
}

export interface AdoptionMetric {
  weeks: AdoptionWeek[];
  /** Mean of the weekly shares over weeks with a headcount. */
  meanActiveShare: number | null;
  meanAgenticShare: number | null;
}

/** Members per week: the org's (anyone with a team) and each team's, as person slots. */
export interface Headcounts {
  get(week: number): { org: Set<number>; teams: Map<string, Set<number>> };
}

/** Directory memberships per week, computed once per week for every scope (people × weeks lookups). */
export function headcounts(model: ValueModel, slots: PersonSlots): Headcounts {
  const cache = new Map<number, { org: Set<number>; teams: Map<string, Set<number>> }>();
  return {
    get(week) {
      let hit = cache.get(week);
      if (hit) return hit;
      hit = { org: new Set(), teams: new Map() };
      const start = weekStartMs(week);
      const end = start + WEEK_MS - 1;
      for (const p of model.directory.people) {
        const team = model.directory.teamAt(p.id, start) ?? model.directory.teamAt(p.id, end);
        if (team === undefined) continue;
        const slot = slots.slot(p.id);
        hit.org.add(slot);
        let set = hit.teams.get(team);
        if (!set) {
          set = new Set();
          hit.teams.set(team, set);
        }
        set.add(slot);
      }
      cache.set(week, hit);
      return hit;
    },
  };
}

/** Weeks of the window, or for an open-ended window the weeks the scope was active. */
function weeksFor(active: Map<number, Set<number>>, window: Window): number[] {
  const weeks = weeksOf(window);
  if (weeks.length > 0 || active.size === 0) return weeks;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const w of active.keys()) {
    if (w < lo) lo = w;
    if (w > hi) hi = w;
  }
  const out: number[] = [];
  for (let w = lo; w <= hi; w++) out.push(w);
  return out;
}

export function adoptionFromAcc(
  a: Acc,
  window: Window,
  slots: PersonSlots,
  heads: Headcounts,
): AdoptionMetric {
  const out: AdoptionWeek[] = [];
  let sumActive = 0;
  let sumAgentic = 0;
  let counted = 0;
  const activeByWeek = byWeek(a.workingWeeks);
  const aiByWeek = byWeek(a.aiUseWeeks);
  const agenticByWeek = byWeek(a.agenticWeeks);
  for (const w of weeksFor(activeByWeek, window)) {
    const members = heads.get(w);
    const scoped =
      a.scope.kind === 'org'
        ? members.org
        : a.scope.kind === 'team'
          ? (members.teams.get(a.scope.team) ?? new Set<number>())
          : members.org.has(slots.slot(a.scope.personId))
            ? new Set([slots.slot(a.scope.personId)])
            : new Set<number>();
    const all = new Set(scoped);
    for (const s of activeByWeek.get(w) ?? []) all.add(s);
    const active = aiByWeek.get(w)?.size ?? 0;
    const agentic = agenticByWeek.get(w)?.size ?? 0;
    const activeShare = ratio(active, all.size);
    const agenticShare = ratio(agentic, all.size);
    if (activeShare !== null && agenticShare !== null) {
      sumActive += activeShare;
      sumAgentic += agenticShare;
      counted++;
    }
    out.push({
      week: weekLabel(w),
      headcount: all.size,
      activeAiUsers: active,
      agenticUsers: agentic,
      activeShare,
      agenticShare,
    });
  }
  return {
    weeks: out,
    meanActiveShare: ratio(sumActive, counted),
    meanAgenticShare: ratio(sumAgentic, counted),
  };
}

export function adoption(model: ValueModel, query: MetricQuery = {}): AdoptionMetric {
  const scope = query.scope ?? { kind: 'org' as const };
  const window = query.window ?? ALL_TIME;
  const { accs, slots } = aggregate(model, window, scope);
  return adoptionFromAcc(accs.get(scopeKey(scope))!, window, slots, headcounts(model, slots));
}
