/**
 * `tokenyield budget set|list|status|remove|what-if|alerts|check`: budgets on the local ledger or,
 * with `--server`, on a tokenyield server. Statuses, forecasts and checks are computed by
 * analyses/budgets; this file parses options and prints. `check --hook` speaks Claude Code's hook
 * protocol (docs/budgets.md): it reads the hook's JSON on stdin and answers with a decision.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createAlertDispatcher } from '../../alerts/index.js';
import { humanDate } from '../../analyses/budgets/calendar.js';
import {
  type BudgetCheckResult,
  BudgetConflictError,
  BudgetDefinitionError,
  type BudgetInput,
  BudgetNotFoundError,
  type BudgetService,
  type BudgetStatus,
  createBudgetService,
  formatAmount,
  type WhatIfResult,
} from '../../analyses/budgets/index.js';
import { type CommandContext, type GlobalOptions, openContext, withGlobalOptions } from '../context.js';
import { CliError } from '../errors.js';
import { renderTable } from '../format/table.js';
import { getJson, type RemoteOptions, remoteTarget, requestJson, withServerOptions } from '../remote.js';

interface JsonOption {
  json?: boolean;
}

type Options = RemoteOptions & GlobalOptions & JsonOption;

/** Runs `body` on a budget service over the local ledger (no alerts are sent from the CLI). */
async function withLocal<T>(
  cmd: Command,
  body: (s: BudgetService, ctx: CommandContext) => Promise<T>,
): Promise<T> {
  const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
  const directory = await ctx.directory();
  return ctx.withStore(async (store) => {
    const service = createBudgetService({
      store,
      directory: () => directory,
      config: ctx.config.budgets ?? [],
      tickMs: 0,
    });
    try {
      return await body(service, ctx);
    } catch (err) {
      if (err instanceof BudgetDefinitionError) throw new CliError(err.message);
      if (err instanceof BudgetConflictError || err instanceof BudgetNotFoundError)
        throw new CliError(err.message);
      throw err;
    } finally {
      await service.close();
    }
  });
}

function print(json: unknown, text: () => string, opts: JsonOption): void {
  process.stdout.write(opts.json ? `${JSON.stringify(json)}\n` : `${text()}\n`);
}

function percent(p: number | undefined): string {
  return p === undefined ? '–' : `${p.toFixed(p < 10 ? 1 : 0)} %`;
}

type Listed = Partial<BudgetStatus> &
  Pick<BudgetStatus, 'id' | 'name' | 'budget' | 'period'> & { view?: string };

function listTable(rows: Listed[]): string {
  if (rows.length === 0)
    return 'No budgets. Define some in the config file’s "budgets" or with `tokenyield budget set`.';
  return renderTable<Listed>(
    [
      { header: 'Budget', value: (r) => r.id, align: 'left' },
      { header: 'Name', value: (r) => r.name, align: 'left' },
      { header: 'Period', value: (r) => r.period.label, align: 'left' },
      { header: 'Spent', value: (r) => (r.spent === undefined ? '–' : formatAmount(r.spent, r.budget.unit)) },
      {
        header: 'Limit',
        value: (r) =>
          r.budget.perPerson
            ? `${formatAmount(r.budget.amount, r.budget.unit)} each`
            : formatAmount(r.limit?.total ?? r.budget.amount, r.budget.unit),
      },
      { header: 'Used', value: (r) => percent(r.percent) },
      { header: 'State', value: (r) => r.state ?? '–', align: 'left' },
      {
        header: 'Runs out',
        value: (r) =>
          r.forecast?.exhaustsOn && r.forecast.exhaustsOn < r.period.end ? r.forecast.exhaustsOn : '–',
        align: 'left',
      },
      {
        header: 'Projected end',
        value: (r) => (r.forecast ? formatAmount(r.forecast.projected.mid, r.budget.unit) : '–'),
      },
    ],
    rows,
  );
}

function detail(s: Listed): string {
  const unit = s.budget.unit;
  const amount = (n: number) => formatAmount(n, unit);
  const year = s.period.start.slice(0, 4);
  const lines = [
    `${s.name} (${s.id}): ${s.period.label}, ${s.period.start} to ${s.period.end} (exclusive) in ${s.period.timeZone}${s.source ? `, from ${s.source === 'config' ? 'the config file' : 'the API'}` : ''}`,
  ];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(12)}${text}`);
  if (s.limit && s.spent !== undefined) {
    row(
      'Limit',
      s.limit.carried > 0
        ? `${amount(s.limit.total)} (${amount(s.limit.base)} + ${amount(s.limit.carried)} rolled over)`
        : amount(s.limit.total),
    );
    row('Spent', `${amount(s.spent)} (${percent(s.percent)}), ${amount(s.remaining ?? 0)} left; ${s.state}`);
  }
  if (s.thresholds)
    row(
      'Thresholds',
      s.thresholds
        .map(
          (t) => `${t.percent} % ${t.crossedOn ? `crossed ${humanDate(t.crossedOn, year)}` : 'not crossed'}`,
        )
        .join(' · '),
    );
  const f = s.forecast;
  if (f) {
    row(
      'Burn rate',
      `${amount(f.burnRatePerDay)} a day (last 7 days ${amount(f.lastWeekPerDay)} a day; changing ${f.trendPerDay >= 0 ? '+' : ''}${amount(f.trendPerDay)} a day each day); model: ${f.method}`,
    );
    if (f.adoption)
      row(
        'Adoption',
        `agentic ${percent(100 * f.adoption.agenticShare)}${f.adoption.agenticShareMonthAgo === null ? '' : ` (a month ago ${percent(100 * f.adoption.agenticShareMonthAgo)})`}, ` +
          `${f.adoption.agenticGrowthPerMonth >= 0 ? '+' : ''}${(100 * f.adoption.agenticGrowthPerMonth).toFixed(1)} points a month; active ${percent(100 * f.adoption.activeShare)} of ${f.adoption.headcount}`,
      );
    row(
      'Projected',
      `${amount(f.projected.mid)} at the period's end (80 %: ${amount(f.projected.low)} – ${amount(f.projected.high)})`,
    );
    row(
      'Runs out',
      f.exhaustsOn && f.exhaustsOn < s.period.end
        ? `${humanDate(f.exhaustsOn, year)} (80 %: ${f.exhaustsRange.early ? humanDate(f.exhaustsRange.early, year) : 'after the period'} – ${f.exhaustsRange.late ? humanDate(f.exhaustsRange.late, year) : 'after the period'})`
        : `not within the period (chance it does: ${percent(100 * f.exhaustionProbability)})`,
    );
    for (const note of f.notes) row('Note', note);
  }
  if (s.allowances) {
    const a = s.allowances as BudgetStatus['allowances'] & {
      rows: { personId: string; spent: number; percent: number }[];
    };
    if (a.people !== undefined)
      row(
        'Allowance',
        `${amount(a.amount)} each for ${a.people} people; ${a.pastThreshold} past ${s.budget.thresholds[0]} %, ${a.over} over`,
      );
    for (const r of a.rows.slice(0, 10)) row('', `${r.personId}: ${amount(r.spent)} (${percent(r.percent)})`);
  }
  for (const w of s.warnings ?? []) row('Warning', w);
  return lines.join('\n');
}

function parseScope(value: string): BudgetInput['scope'] {
  if (value === 'org') return { kind: 'org' };
  const m = /^(team|person|tool|model):(.+)$/.exec(value);
  if (!m)
    throw new CliError(
      `--scope must be org, team:<id>, person:<id>, tool:<tool> or model:<model> (got "${value}")`,
    );
  return { kind: m[1] as 'team', id: m[2]! };
}

interface SetOptions extends Options {
  file?: string;
  scope?: string;
  period?: string;
  amount?: string;
  unit?: string;
  tz?: string;
  fiscalYearStart?: string;
  thresholds?: string;
  rolloverCap?: string;
  perPerson?: boolean;
  hard?: boolean;
  name?: string;
}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new CliError(`${flag} must be a number (got "${value}")`);
  return n;
}

function budgetInput(id: string, opts: SetOptions): Record<string, unknown> {
  if (opts.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(opts.file, 'utf8'));
    } catch (err) {
      throw new CliError(`Cannot read the budget in ${opts.file}: ${(err as Error).message}`);
    }
    return { ...(parsed as Record<string, unknown>), id };
  }
  if (!opts.scope || !opts.period || opts.amount === undefined)
    throw new CliError('budget set needs --scope, --period and --amount (or --file budget.json)');
  const input: Record<string, unknown> = {
    id,
    scope: parseScope(opts.scope),
    period: opts.period,
    amount: number(opts.amount, '--amount'),
  };
  if (opts.unit) input.unit = opts.unit;
  if (opts.tz) input.timeZone = opts.tz;
  if (opts.fiscalYearStart) input.fiscalYearStart = number(opts.fiscalYearStart, '--fiscal-year-start');
  if (opts.thresholds) input.thresholds = opts.thresholds.split(',').map((t) => number(t, '--thresholds'));
  if (opts.rolloverCap) input.rollover = { cap: number(opts.rolloverCap, '--rollover-cap') };
  if (opts.perPerson) input.perPerson = true;
  if (opts.hard) input.hard = true;
  if (opts.name) input.name = opts.name;
  return input;
}

function whatIfText(r: WhatIfResult & { rows: { personId: string; name?: string | null }[] }): string {
  const amount = (n: number) => formatAmount(n, r.unit);
  const head =
    `A cap of ${amount(r.cap)} per person in ${r.period.label} (through ${r.through}) would have stopped ${r.stopped} of ${r.people} people ` +
    `and saved ${amount(r.saved)} of ${amount(r.spent)} (${percent(100 * r.savedShare)}).`;
  if (r.rows.length === 0) return head;
  return `${head}\n\n${renderTable(
    [
      { header: 'Person', value: (x) => x.personId, align: 'left' },
      { header: 'Spent', value: (x) => amount(x.spent) },
      { header: 'Saved', value: (x) => amount(x.excess) },
      { header: 'Stopped on', value: (x) => x.stoppedOn ?? '–', align: 'left' },
    ],
    r.rows as (WhatIfResult['rows'][number] & { name?: string | null })[],
  )}`;
}

/** Claude Code's answer for a hook event: block or deny on `deny`, a visible message on `warn`. */
export function hookAnswer(event: string, answer: Pick<BudgetCheckResult, 'decision' | 'reason'>): unknown {
  if (answer.decision === 'allow') return {};
  const message = `tokenyield budget: ${answer.reason}`;
  if (answer.decision === 'warn') return { systemMessage: message };
  if (event === 'PreToolUse')
    return {
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: message,
      },
    };
  return { decision: 'block', reason: message };
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerBudget(program: Command): void {
  const budget = program
    .command('budget')
    .description(
      'budgets per org, team, person, tool or model: status, burn-rate forecast, what-if caps, checks',
    );
  const sub = (name: string) => withServerOptions(withGlobalOptions(budget.command(name)));

  sub('list')
    .description('every budget with its period, spend, limit and projected exhaustion')
    .option('--json', 'print JSON')
    .action(async (opts: Options, cmd: Command) => {
      const target = remoteTarget(opts);
      const rows = target
        ? (await getJson<{ budgets: Listed[] }>(target, '/api/v1/budgets')).budgets
        : await withLocal(cmd, (s) => s.statuses());
      print({ budgets: rows }, () => listTable(rows), opts);
    });

  sub('status')
    .description(
      'one budget in detail (or all): spend per threshold, burn rate, adoption, forecast, allowances',
    )
    .argument('[id]', 'the budget')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, opts: Options, cmd: Command) => {
      const target = remoteTarget(opts);
      let rows: Listed[];
      if (target) {
        rows = id
          ? [await getJson<Listed>(target, `/api/v1/budgets/${encodeURIComponent(id)}`)]
          : (await getJson<{ budgets: Listed[] }>(target, '/api/v1/budgets')).budgets;
      } else {
        rows = await withLocal(cmd, async (s) =>
          id ? [await s.status(id)].filter((x) => x !== undefined) : s.statuses(),
        );
        if (id && rows.length === 0) throw new CliError(`No budget "${id}"; see \`tokenyield budget list\`.`);
      }
      print(id ? rows[0] : { budgets: rows }, () => rows.map(detail).join('\n\n'), opts);
    });

  sub('set')
    .description('create or replace a budget (kept in the ledger; the config file’s budgets win)')
    .argument('<id>', 'lower-case id, e.g. payments-monthly')
    .option('--scope <scope>', 'org, team:<id>, person:<id>, tool:<tool> or model:<model>')
    .option('--period <period>', 'month, quarter or year')
    .option('--amount <n>', 'the limit per period (per person with --per-person)')
    .option('--unit <unit>', 'usd (default), tokens or credits')
    .option('--tz <zone>', 'IANA zone whose midnight starts a period (default UTC)')
    .option('--fiscal-year-start <month>', 'month 1–12 the fiscal year starts in (quarters and years)')
    .option('--thresholds <list>', 'alert thresholds in percent (default 50,80,100)')
    .option('--rollover-cap <n>', 'carry unused budget into the next period, at most this much')
    .option('--per-person', 'an allowance: the amount applies to each person in the scope')
    .option('--hard', 'the budget check denies past 100 % (default: warns)')
    .option('--name <name>', 'a name for people')
    .option('--file <path>', 'read the definition from a JSON file instead')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: SetOptions, cmd: Command) => {
      const input = budgetInput(id, opts);
      const target = remoteTarget(opts);
      const saved = target
        ? await requestJson<{ budget: BudgetInput }>(
            target,
            'PUT',
            `/api/v1/budgets/${encodeURIComponent(id)}`,
            {
              body: input,
            },
          )
        : await withLocal(cmd, (s) => s.set(input, `cli:${process.env.USER ?? 'local'}`));
      print(saved, () => `Budget "${id}" saved.`, opts);
    });

  sub('remove')
    .description('remove a budget set with `budget set` (config-file budgets are removed from the file)')
    .argument('<id>', 'the budget')
    .action(async (id: string, opts: Options, cmd: Command) => {
      const target = remoteTarget(opts);
      if (target) await requestJson(target, 'DELETE', `/api/v1/budgets/${encodeURIComponent(id)}`);
      else await withLocal(cmd, (s) => s.remove(id, `cli:${process.env.USER ?? 'local'}`));
      process.stdout.write(`Budget "${id}" removed.\n`);
    });

  sub('what-if')
    .description('what a per-person cap would have saved in this (or the last) period, and whom it stops')
    .argument('<id>', 'the budget whose scope and unit to use')
    .requiredOption('--cap <n>', 'the cap per person and period, in the budget’s unit')
    .option('--previous', 'replay the last complete period instead of this one so far')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: Options & { cap: string; previous?: boolean }, cmd: Command) => {
      const cap = number(opts.cap, '--cap')!;
      if (!(cap > 0)) throw new CliError('--cap must be a positive amount');
      const which = opts.previous ? 'previous' : 'current';
      const target = remoteTarget(opts);
      const result = target
        ? await getJson<WhatIfResult>(target, `/api/v1/budgets/${encodeURIComponent(id)}/what-if`, {
            cap,
            period: which,
          })
        : await withLocal(cmd, (s) => s.whatIf(id, cap, which));
      print(result, () => whatIfText(result), opts);
    });

  sub('alerts')
    .description('the alerts a budget raised, with their deliveries')
    .argument('<id>', 'the budget')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: Options, cmd: Command) => {
      const target = remoteTarget(opts);
      const alerts = target
        ? (
            await getJson<{ alerts: Awaited<ReturnType<BudgetService['alerts']>> }>(
              target,
              `/api/v1/budgets/${encodeURIComponent(id)}/alerts`,
            )
          ).alerts
        : await (async () => {
            const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
            return ctx.withStore((store) =>
              createAlertDispatcher({ store, channels: [], resume: false }).history({ budgetId: id }),
            );
          })();
      print(
        { alerts },
        () =>
          alerts.length === 0
            ? `No alerts for "${id}".`
            : alerts
                .map(
                  (a) =>
                    `${new Date(a.recordedAt).toISOString()}  ${a.event.message}\n    ${a.deliveries.map((d) => `${d.channel}: ${d.status}${d.attempts > 1 ? ` after ${d.attempts} attempts` : ''}${d.lastError && d.status !== 'delivered' ? ` (${d.lastError})` : ''}`).join('; ') || 'no channels configured'}`,
                )
                .join('\n'),
        opts,
      );
    });

  sub('check')
    .description('allow / warn / deny for a person’s next model call (what a gateway or a hook asks)')
    .option('--person <id>', 'the person (default: your own; any alias)')
    .option('--tool <tool>', 'the AI tool (with --hook: claude-code)')
    .option('--model <model>', 'the model, if known')
    .option('--hook', 'act as a Claude Code hook: read its JSON on stdin, answer block/deny in its format')
    .option('--json', 'print JSON')
    .action(
      async (
        opts: Options & { person?: string; tool?: string; model?: string; hook?: boolean },
        cmd: Command,
      ) => {
        const tool = opts.tool ?? (opts.hook ? 'claude-code' : undefined);
        let event = 'UserPromptSubmit';
        if (opts.hook) {
          const input = await readStdin();
          try {
            event = (JSON.parse(input || '{}') as { hook_event_name?: string }).hook_event_name ?? event;
          } catch {
            // Not JSON: still answer, as for a prompt.
          }
        }
        let answer: BudgetCheckResult;
        try {
          const target = remoteTarget(opts);
          answer = target
            ? await getJson<BudgetCheckResult>(target, '/api/v1/budget-check', {
                person: opts.person,
                tool,
                model: opts.model,
              })
            : await withLocal(cmd, async (s, ctx) => {
                await s.ready();
                return s.check({ person: opts.person ?? ctx.personId, tool, model: opts.model });
              });
        } catch (err) {
          // A hook must not stop work because the budget service is unreachable: say so, allow.
          if (!opts.hook) throw err;
          process.stdout.write(
            `${JSON.stringify({ systemMessage: `tokenyield budget check failed: ${(err as Error).message}` })}\n`,
          );
          return;
        }
        if (opts.hook) {
          process.stdout.write(`${JSON.stringify(hookAnswer(event, answer))}\n`);
          return;
        }
        print(
          answer,
          () =>
            [
              `${answer.decision}: ${answer.reason}`,
              ...answer.budgets.map((b) => `  ${b.decision.padEnd(5)} ${b.reason}`),
            ].join('\n'),
          opts,
        );
        if (answer.decision === 'deny') process.exitCode = 3;
      },
    );
}
