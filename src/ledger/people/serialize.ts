/**
 * A directory back into the people-file shape (docs/people.md), so that generated organisations
 * (the demo) and exports are written in the same format users write by hand and load through the
 * same validation.
 * @module
 */
import { ALIAS_FIELDS, type AliasField } from './draft.js';
import type { Person, Team } from './types.js';

const FIELD_OF_KIND = Object.fromEntries(
  Object.entries(ALIAS_FIELDS).map(([field, kind]) => [kind, field as AliasField]),
) as Record<string, AliasField>;

export interface PeopleFileJson {
  teams: Array<{ id: string; name: string; managers: string[] }>;
  people: Array<Record<string, unknown>>;
}

export function toPeopleFile(people: readonly Person[], teams: readonly Team[]): PeopleFileJson {
  return {
    teams: teams.map((t) => ({ id: t.id, name: t.name, managers: [...t.managers] })),
    people: people.map((p) => {
      const entry: Record<string, unknown> = { id: p.id, name: p.name };
      if (p.email) entry.email = p.email;
      for (const alias of p.aliases) {
        if (alias.kind === 'email' && alias.value === p.email) continue;
        const field = FIELD_OF_KIND[alias.kind];
        if (!field) continue;
        const list = (entry[field] as string[] | undefined) ?? [];
        list.push(alias.value);
        entry[field] = list;
      }
      if (p.memberships.length > 0) {
        entry.teams = p.memberships.map((m) => ({
          team: m.team,
          ...(m.from ? { from: m.from } : {}),
          ...(m.until ? { until: m.until } : {}),
        }));
      }
      if (p.costCentre) entry.cost_centre = p.costCentre;
      entry.board = p.boardOptIn ? 'opt-in' : 'opt-out';
      return entry;
    }),
  };
}
