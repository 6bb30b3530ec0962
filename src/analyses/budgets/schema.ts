/**
 * What a budget is (DESIGN §8), as one zod schema shared by the config file's `budgets` section,
 * the API (`PUT /api/v1/budgets/{id}`) and `tokenyield budget set`. Defaults are applied here, so
 * every other module reads a complete definition.
 * @module
 */
import { z } from 'zod';
import type { Tool } from '../../ledger/records.js';
import { isValidTimeZone } from '../reports/dates.js';

export const BUDGET_TOOLS = [
  'claude-code',
  'codex',
  'gemini-cli',
  'copilot',
  'cursor',
  'kiro',
  'api',
] as const satisfies readonly Tool[];

export const DEFAULT_THRESHOLDS = [50, 80, 100] as const;

const scopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('org') }).strict(),
  z.object({ kind: z.literal('team'), id: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('person'), id: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('tool'), id: z.enum(BUDGET_TOOLS) }).strict(),
  z.object({ kind: z.literal('model'), id: z.string().min(1) }).strict(),
]);

export const budgetSchema = z
  .object({
    /** Lower-case letters, digits, `.`, `_`, `-`; the key of the budget everywhere (alerts, URLs). */
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9._-]{0,63}$/,
        'lower-case letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64',
      ),
    /** For people; defaults to a description of the scope. */
    name: z.string().trim().min(1).max(120).optional(),
    scope: scopeSchema,
    period: z.enum(['month', 'quarter', 'year']),
    /** Month the fiscal year starts in (1 = January); moves quarters and years, not months. */
    fiscalYearStart: z.number().int().min(1).max(12).default(1),
    /** Periods begin and end at local midnight in this IANA zone. */
    timeZone: z
      .string()
      .refine((z) => z.trim() !== '' && isValidTimeZone(z), 'an IANA time zone such as Europe/Berlin or UTC')
      .default('UTC'),
    unit: z.enum(['usd', 'tokens', 'credits']).default('usd'),
    /** The limit per period; with `perPerson`, each person's allowance. */
    amount: z.number().positive().finite(),
    /** An allowance: `amount` applies to every person in the scope separately. */
    perPerson: z.boolean().default(false),
    /** Percentages of the limit that raise an alert once per period; 100 is the limit itself. */
    thresholds: z
      .array(z.number().positive().max(1000))
      .min(1)
      .default([...DEFAULT_THRESHOLDS])
      .transform((t) => [...new Set(t)].sort((a, b) => a - b)),
    /** Carry what the previous period left unused into this one, at most `cap` (in `unit`). */
    rollover: z.object({ cap: z.number().nonnegative().finite() }).strict().optional(),
    /** Past 100 % the budget check answers `deny` instead of `warn`. */
    hard: z.boolean().default(false),
  })
  .strict()
  .refine((b) => !(b.perPerson && b.rollover), {
    message: 'roll-over applies to a shared budget, not to per-person allowances',
    path: ['rollover'],
  })
  .refine((b) => !(b.perPerson && b.scope.kind === 'person'), {
    message: 'a per-person allowance needs a scope with people in it (org, team, tool or model)',
    path: ['perPerson'],
  });

/** A budget as written (defaults optional). */
export type BudgetInput = z.input<typeof budgetSchema>;
/** A complete budget definition. */
export type Budget = z.output<typeof budgetSchema>;
export type BudgetScope = Budget['scope'];
export type BudgetUnit = Budget['unit'];

/** Where a definition came from; the config file wins over the API for the same id. */
export type BudgetSource = 'config' | 'api';

export interface BudgetDefinition {
  budget: Budget;
  source: BudgetSource;
  /** Epoch ms of the last change through the API (absent for config budgets). */
  updatedAt?: number;
  /** Who changed it through the API (token name). */
  updatedBy?: string;
}

export class BudgetDefinitionError extends Error {
  override name = 'BudgetDefinitionError';
}

/** Parses a budget, or throws one message naming every bad field. */
export function parseBudget(input: unknown, where = 'budget'): Budget {
  const parsed = budgetSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`)
    .join('; ');
  throw new BudgetDefinitionError(`${where} is invalid: ${issues}`);
}

/** "team payments", "the organisation", "claude-code" … */
export function describeScope(scope: BudgetScope): string {
  switch (scope.kind) {
    case 'org':
      return 'the organisation';
    case 'team':
      return `team ${scope.id}`;
    case 'person':
      return scope.id;
    case 'tool':
      return `tool ${scope.id}`;
    case 'model':
      return `model ${scope.id}`;
  }
}

export function budgetName(b: Budget): string {
  if (b.name) return b.name;
  const scope = describeScope(b.scope);
  return `${scope.charAt(0).toUpperCase()}${scope.slice(1)}${b.perPerson ? ' per person' : ''}`;
}

// Built once: `toLocaleString` builds a formatter per call, too slow for the budget check's hot path.
const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const CENTS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const TENTHS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** An amount in a budget's unit, for people: "$40,000", "12.5M tokens", "300 credits". */
export function formatAmount(value: number, unit: BudgetUnit): string {
  if (unit === 'usd') return `$${(value >= 100 ? WHOLE : CENTS).format(value)}`;
  if (unit === 'credits') return `${TENTHS.format(value)} credits`;
  const abs = Math.abs(value);
  const [div, suffix] = abs >= 1e9 ? [1e9, 'B'] : abs >= 1e6 ? [1e6, 'M'] : abs >= 1e3 ? [1e3, 'k'] : [1, ''];
  return `${TENTHS.format(value / div)}${suffix} tokens`;
}

/** The config file's `budgets` section: a list of budgets with distinct ids. */
export const budgetsConfigSchema = z.array(budgetSchema).superRefine((budgets, ctx) => {
  const seen = new Set<string>();
  budgets.forEach((b, index) => {
    if (seen.has(b.id))
      ctx.addIssue({ code: 'custom', message: `budget id "${b.id}" is used twice`, path: [index, 'id'] });
    seen.add(b.id);
  });
});
