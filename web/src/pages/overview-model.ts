/**
 * Which of the value API's summaries the overview's headline describes. The API scopes the
 * answer to the caller; this only picks the one summary that matches the view, if there is one.
 * @module
 */
import type { Team, UserMe, ValueAnswer, ValueSummary } from '../types.js';

export function headlineSummary(value: ValueAnswer, team: string | undefined): ValueSummary | null {
  if (value.org) return value.org;
  if (team) return value.teams.find((s) => s.scope.kind === 'team' && s.scope.team === team) ?? null;
  if (value.teams.length === 1) return value.teams[0] ?? null;
  if (value.teams.length === 0 && value.people.length === 1) return value.people[0] ?? null;
  return null;
}

export function teamSummaries(value: ValueAnswer): Map<string, ValueSummary> {
  const out = new Map<string, ValueSummary>();
  for (const s of value.teams) if (s.scope.kind === 'team') out.set(s.scope.team, s);
  return out;
}

export function viewTitle(me: UserMe, teams: readonly Team[], team: string | undefined): string {
  if (team) return `Team ${teams.find((t) => t.id === team)?.name ?? team}`;
  if (me.role === 'admin') return 'Organisation';
  if (me.role === 'manager') return 'Your teams';
  return 'Your usage';
}
