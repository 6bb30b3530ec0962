/**
 * What a budget's scope selects in the ledger: usage filters for `Store.usage()`, the people it
 * covers (for allowances and the adoption ceiling), and whether an AI session belongs to it.
 * A team counts its members' usage only while they were members, so a person who moves team
 * mid-period takes their later spend with them.
 * @module
 */
import type { PeopleDirectory, PersonSpan } from '../../ledger/people/types.js';
import type { Tool } from '../../ledger/records.js';
import type { SessionSummary } from '../../ledger/sessions.js';
import type { UsageQuery } from '../../ledger/store/store.js';
import type { BudgetScope } from './schema.js';

export type UsageFilter = Pick<UsageQuery, 'personIds' | 'personSpans' | 'tools' | 'models'>;

/** The person a budget or a check names: a directory id or any alias; else the id as the ledger stores it. */
export function resolvePersonId(directory: PeopleDirectory, value: string): string {
  return (
    directory.person(value)?.id ??
    directory.person(value.toLowerCase())?.id ??
    directory.resolve(value)?.id ??
    value.toLowerCase()
  );
}

/** Usage filters for a scope over [fromTs, untilTs] (team membership is judged in that window). */
export function usageFilter(
  scope: BudgetScope,
  directory: PeopleDirectory,
  fromTs: number,
  untilTs: number,
): UsageFilter {
  switch (scope.kind) {
    case 'org':
      return {};
    case 'team':
      // An unknown team selects nobody (an empty span list), never everyone.
      return { personSpans: directory.membershipSpans(scope.id, fromTs, untilTs) };
    case 'person':
      return { personIds: [resolvePersonId(directory, scope.id)] };
    case 'tool':
      return { tools: [scope.id as Tool] };
    case 'model':
      return { models: [scope.id] };
  }
}

/** Whether the directory knows what the scope names (a team or a person); tools and models always "exist". */
export function scopeExists(scope: BudgetScope, directory: PeopleDirectory): boolean {
  if (scope.kind === 'team') return directory.teams.some((t) => t.id === scope.id);
  if (scope.kind === 'person') {
    const id = resolvePersonId(directory, scope.id);
    return directory.person(id) !== undefined;
  }
  return true;
}

/**
 * People the directory places in the scope in the window: a team's members; for the org, a tool
 * or a model everyone with a team membership then. Null when the directory cannot say (no teams).
 */
export function scopeHeadcount(
  scope: BudgetScope,
  directory: PeopleDirectory,
  fromTs: number,
  untilTs: number,
): number | null {
  if (scope.kind === 'person') return 1;
  if (scope.kind === 'team') return directory.membersOf(scope.id, fromTs, untilTs).length;
  const ids = new Set<string>();
  for (const t of directory.teams) for (const p of directory.membersOf(t.id, fromTs, untilTs)) ids.add(p.id);
  return ids.size > 0 ? ids.size : null;
}

/** Whether a session counts towards the scope's adoption (who used AI, who ran agents). */
export function sessionInScope(
  scope: BudgetScope,
  session: SessionSummary,
  spans: ReadonlyMap<string, readonly PersonSpan[]> | undefined,
  personId: string | undefined,
): boolean {
  switch (scope.kind) {
    case 'org':
    case 'model':
      // Sessions do not say which model they used; a model's adoption is the organisation's.
      return true;
    case 'tool':
      return session.tool === scope.id;
    case 'person':
      return session.personId === personId;
    case 'team':
      return (spans?.get(session.personId) ?? []).some(
        (s) => session.firstTs >= s.fromTs && session.firstTs <= s.untilTs,
      );
  }
}
