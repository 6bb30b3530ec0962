/**
 * Adoption as the forecast uses it: for each local day, how many people of the scope used an AI
 * tool and how many ran an agentic session (subagents, edits, long tool runs: ledger/sessions.ts)
 * in the seven days ending that day. Seven-day counts carry no weekday pattern, so their trend is
 * the adoption trend and not the calendar.
 * @module
 */
import type { PeopleDirectory, PersonSpan } from '../../ledger/people/types.js';
import type { Store } from '../../ledger/store/store.js';
import { addDays } from '../reports/dates.js';
import { datesBetween, localDater, startOfLocalDay } from './calendar.js';
import type { Budget } from './schema.js';
import { resolvePersonId, sessionInScope } from './scope.js';

export interface AdoptionPoint {
  /** Local date; the counts cover the seven days ending on it. */
  date: string;
  active: number;
  agentic: number;
}

/** Seven-day active and agentic user counts for each local day from `from` to `until` (inclusive). */
export async function adoptionSeries(
  store: Store,
  budget: Budget,
  directory: PeopleDirectory,
  from: string,
  until: string,
): Promise<AdoptionPoint[]> {
  const zone = budget.timeZone;
  const readFrom = addDays(from, -6);
  const sinceTs = startOfLocalDay(readFrom, zone);
  const untilTs = startOfLocalDay(addDays(until, 1), zone);
  const sessions = await store.sessions({ since: sinceTs, until: untilTs });
  let spans: Map<string, PersonSpan[]> | undefined;
  if (budget.scope.kind === 'team') {
    spans = new Map();
    for (const s of directory.membershipSpans(budget.scope.id, sinceTs, untilTs)) {
      const list = spans.get(s.personId) ?? [];
      list.push(s);
      spans.set(s.personId, list);
    }
  }
  const personId = budget.scope.kind === 'person' ? resolvePersonId(directory, budget.scope.id) : undefined;
  // Per local day, who was active and who was agentic.
  const active = new Map<string, Set<string>>();
  const agentic = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, day: string, person: string) => {
    let set = map.get(day);
    if (!set) {
      set = new Set();
      map.set(day, set);
    }
    set.add(person);
  };
  const dayOf = localDater(zone);
  for (const s of sessions) {
    if (!sessionInScope(budget.scope, s, spans, personId)) continue;
    const day = dayOf(s.firstTs);
    add(active, day, s.personId);
    if (s.agentic) add(agentic, day, s.personId);
  }
  const days = datesBetween(readFrom, addDays(until, 1));
  const out: AdoptionPoint[] = [];
  for (let i = 6; i < days.length; i++) {
    const a = new Set<string>();
    const g = new Set<string>();
    for (let k = i - 6; k <= i; k++) {
      for (const p of active.get(days[k]!) ?? []) a.add(p);
      for (const p of agentic.get(days[k]!) ?? []) g.add(p);
    }
    out.push({ date: days[i]!, active: a.size, agentic: g.size });
  }
  return out;
}
