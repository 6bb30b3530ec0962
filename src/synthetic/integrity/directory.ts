/**
 * A people directory for generated organisations: one team per person for the whole period,
 * aliases looked up in Maps (the linker resolves every commit author and PR login through it).
 * @module
 */
import type { Alias, PeopleDirectory, Person, Team } from '../../ledger/people/types.js';

export const EMAIL_DOMAIN = 'acme.example';

export function orgDirectory(members: ReadonlyArray<{ id: string; team: string }>): PeopleDirectory {
  const people: Person[] = members.map((m) => ({
    id: m.id,
    name: m.id,
    email: `${m.id}@${EMAIL_DOMAIN}`,
    aliases: [
      { kind: 'git_email', value: `${m.id}@${EMAIL_DOMAIN}` },
      { kind: 'github', value: m.id },
    ],
    memberships: [{ team: m.team, from: null, until: null }],
    costCentre: null,
    boardOptIn: true,
  }));
  const byId = new Map(people.map((p) => [p.id, p]));
  const byAlias = new Map<string, Person>();
  const aliasKey = (a: Pick<Alias, 'kind' | 'value'>) => `${a.kind}\u0000${a.value.toLowerCase()}`;
  for (const p of people) for (const a of p.aliases) byAlias.set(aliasKey(a), p);
  const teamOf = new Map(members.map((m) => [m.id, m.team]));
  const teams: Team[] = [...new Set(members.map((m) => m.team))].map((id) => ({
    id,
    name: id,
    managers: [],
  }));
  const membersOf = (team: string) => people.filter((p) => teamOf.get(p.id) === team);
  return {
    people,
    teams,
    version: 'integrity-eval',
    person: (id) => byId.get(id),
    resolve(value, kind) {
      if (kind) return byAlias.get(aliasKey({ kind, value }));
      return (
        byAlias.get(aliasKey({ kind: 'git_email', value })) ??
        byAlias.get(aliasKey({ kind: 'github', value }))
      );
    },
    teamAt: (personId) => teamOf.get(personId),
    membersOf: (team) => membersOf(team),
    membershipSpans: (team, fromTs, untilTs) =>
      membersOf(team).map((p) => ({ personId: p.id, fromTs, untilTs })),
  };
}
