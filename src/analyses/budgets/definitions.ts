/**
 * Where budget definitions live: the config file's `budgets` section, and budgets set through the
 * API or `tokenyield budget set`, kept as JSON in the ledger's meta table under `budget:` so every
 * server on one ledger shares them. The config file wins: an id it defines cannot be set or
 * removed through the API (its owners review the file; an API call must not quietly override it).
 * @module
 */
import type { Store } from '../../ledger/store/store.js';
import { type Budget, type BudgetDefinition, parseBudget } from './schema.js';

export const BUDGET_META_PREFIX = 'budget:';

type MetaStore = Pick<Store, 'getMeta' | 'setMeta' | 'metaWithPrefix'>;

/** A stored entry: the definition, or a tombstone (the meta table has no delete). */
type StoredEntry =
  | { budget: unknown; updatedAt: number; updatedBy: string }
  | { deleted: true; updatedAt: number; updatedBy: string };

export class BudgetConflictError extends Error {
  override name = 'BudgetConflictError';
}

export class BudgetNotFoundError extends Error {
  override name = 'BudgetNotFoundError';
}

export interface StoredBudgets {
  definitions: BudgetDefinition[];
  /** Entries that no longer parse (written by another version?): listed, never used, never lost. */
  invalid: { key: string; error: string }[];
}

export async function readStoredBudgets(store: MetaStore): Promise<StoredBudgets> {
  const entries = await store.metaWithPrefix(BUDGET_META_PREFIX);
  const definitions: BudgetDefinition[] = [];
  const invalid: StoredBudgets['invalid'] = [];
  for (const [key, value] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
    try {
      const entry = JSON.parse(value) as StoredEntry;
      if ('deleted' in entry) continue;
      const budget = parseBudget(entry.budget, `stored ${key}`);
      if (`${BUDGET_META_PREFIX}${budget.id}` !== key) throw new Error(`its id is "${budget.id}"`);
      definitions.push({ budget, source: 'api', updatedAt: entry.updatedAt, updatedBy: entry.updatedBy });
    } catch (err) {
      invalid.push({ key, error: (err as Error).message });
    }
  }
  return { definitions, invalid };
}

/** Config budgets, then stored ones whose id the config does not define; sorted by id. */
export function mergeDefinitions(
  config: readonly Budget[],
  stored: readonly BudgetDefinition[],
): BudgetDefinition[] {
  const byId = new Map<string, BudgetDefinition>();
  for (const d of stored) byId.set(d.budget.id, d);
  for (const budget of config) byId.set(budget.id, { budget, source: 'config' });
  return [...byId.values()].sort((a, b) => a.budget.id.localeCompare(b.budget.id));
}

export async function saveBudget(
  store: MetaStore,
  config: readonly Budget[],
  input: unknown,
  by: string,
  now: number,
): Promise<BudgetDefinition> {
  const budget = parseBudget(input);
  if (config.some((b) => b.id === budget.id))
    throw new BudgetConflictError(
      `Budget "${budget.id}" is defined in the config file, which wins over the API; change it there.`,
    );
  const entry: StoredEntry = { budget, updatedAt: now, updatedBy: by };
  await store.setMeta(`${BUDGET_META_PREFIX}${budget.id}`, JSON.stringify(entry));
  return { budget, source: 'api', updatedAt: now, updatedBy: by };
}

export async function removeBudget(
  store: MetaStore,
  config: readonly Budget[],
  id: string,
  by: string,
  now: number,
): Promise<void> {
  if (config.some((b) => b.id === id))
    throw new BudgetConflictError(`Budget "${id}" is defined in the config file; remove it there.`);
  const key = `${BUDGET_META_PREFIX}${id}`;
  const current = await store.getMeta(key);
  if (current === undefined || isTombstone(current))
    throw new BudgetNotFoundError(`No budget "${id}" was set through the API.`);
  const entry: StoredEntry = { deleted: true, updatedAt: now, updatedBy: by };
  await store.setMeta(key, JSON.stringify(entry));
}

function isTombstone(value: string): boolean {
  try {
    return 'deleted' in (JSON.parse(value) as StoredEntry);
  } catch {
    // An entry that does not parse can still be removed.
    return false;
  }
}
