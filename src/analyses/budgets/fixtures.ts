/**
 * Test fixtures: a small people directory (two teams, one person without a team) and priced
 * usage records written into a real in-memory DuckDB ledger.
 * @module
 */
import { createPeopleDirectory } from '../../ledger/people/directory.js';
import type { PeopleDirectory, Person } from '../../ledger/people/types.js';
import type { Tool, UsageRecord } from '../../ledger/records.js';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';
import { usageRecord } from '../../ledger/store/store.contract.js';
import type { Store } from '../../ledger/store/store.js';
import { type BudgetDefinition, type BudgetInput, parseBudget } from './schema.js';

function person(id: string, team: string | null, from = '2020-01-01', until: string | null = null): Person {
  return {
    id,
    name: id.split('@')[0]!.replace(/^./, (c) => c.toUpperCase()),
    email: id,
    aliases: [
      { kind: 'email', value: id },
      { kind: 'github', value: `${id.split('@')[0]}-gh` },
    ],
    memberships: team ? [{ team, from, until }] : [],
    costCentre: null,
    boardOptIn: false,
  };
}

/** alice and bob in payments, carol in search, dave in payments until 2026-03-15 then search, erin in no team. */
export function testDirectory(): PeopleDirectory {
  const dave = person('dave@acme.example', 'payments', '2020-01-01', '2026-03-15');
  dave.memberships.push({ team: 'search', from: '2026-03-16', until: null });
  return createPeopleDirectory(
    [
      person('alice@acme.example', 'payments'),
      person('bob@acme.example', 'payments'),
      person('carol@acme.example', 'search'),
      dave,
      person('erin@acme.example', null),
    ],
    [
      { id: 'payments', name: 'Payments', managers: ['alice@acme.example'] },
      { id: 'search', name: 'Search', managers: [] },
    ],
  );
}

let seq = 0;

/** One priced call: `costUsd` dollars, by `personId`, at `iso` (an ISO instant). */
export function spend(
  personId: string,
  iso: string,
  costUsd: number,
  extra: { tool?: Tool; model?: string; credits?: number; agentic?: boolean; output?: number } = {},
): UsageRecord {
  seq += 1;
  const sessionId = `budget-test-${seq}`;
  return usageRecord(
    {
      id: `budget-test:${seq}`,
      ts: Date.parse(iso),
      personId,
      costUsd,
      tool: extra.tool ?? 'claude-code',
      model: extra.model ?? 'claude-sonnet-4-5',
      credits: extra.credits ?? null,
      sessionId,
      parentSessionId: extra.agentic ? sessionId : null,
      isSubagent: extra.agentic ?? false,
      tokens: { inputUncached: 100, cacheRead: 0, cacheWrite5m: 0, output: extra.output ?? 50 },
    },
    seq,
  );
}

export async function ledgerWith(records: UsageRecord[]): Promise<Store> {
  const store = await openDuckDbStore({ path: ':memory:' });
  if (records.length > 0) await store.write({ usage: records, activity: [], checkpoints: [] });
  return store;
}

export function definition(input: BudgetInput): BudgetDefinition {
  return { budget: parseBudget(input), source: 'config' };
}
