/**
 * Behaviour every `Store` engine must share, as a vitest suite. Each engine's test file calls
 * `runStoreContract` with a factory; the file is not named `*.test.ts`, so it only runs from there.
 * @module
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityRecord, TokenBuckets, Tool, UsageRecord } from '../records.js';
import type { FileCheckpoint, PricingRow, Store, UsageGroupRow, UsageQuery, WriteBatch } from './store.js';

const NOON = (day: string) => Date.parse(`${day}T12:00:00Z`);

type UsageOverrides = Partial<Omit<UsageRecord, 'tokens'>> & { tokens?: Partial<TokenBuckets> };

/** A complete, priced Claude Code usage record; each call gets a fresh id unless one is given. */
export function usageRecord(overrides: UsageOverrides = {}, seq = nextSeq()): UsageRecord {
  const { tokens, ...rest } = overrides;
  return {
    id: `cc:msg_${seq}:req_${seq}`,
    ts: NOON('2024-03-10'),
    source: 'claude_code_jsonl',
    tool: 'claude-code',
    sessionId: 'session-1',
    parentSessionId: null,
    requestId: `req_${seq}`,
    messageId: `msg_${seq}`,
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    speed: null,
    serviceTier: 'standard',
    inferenceGeo: null,
    tokens: {
      inputUncached: 100,
      cacheRead: 1000,
      cacheWrite5m: 10,
      cacheWrite1h: 0,
      cacheWriteOther: 0,
      output: 50,
      reasoning: 0,
      ...tokens,
    },
    webSearchRequests: 0,
    credits: null,
    reportedCostUsd: null,
    cwd: '/home/dev/project',
    gitBranch: 'main',
    project: '/home/dev/project',
    isSubagent: false,
    isSidechain: false,
    granularity: 'request',
    origin: '/home/dev/.claude/projects/p/session-1.jsonl',
    personId: 'person-1',
    rawIdentity: { os_user: 'dev', host: 'box' },
    costUsd: 0.01,
    costBasis: 'computed',
    priceVersion: 'prices-1',
    ...rest,
  };
}

export function activityRecord(overrides: Partial<ActivityRecord> = {}, seq = nextSeq()): ActivityRecord {
  return {
    id: `cc:act_${seq}`,
    ts: NOON('2024-03-10'),
    source: 'claude_code_jsonl',
    tool: 'claude-code',
    sessionId: 'session-1',
    kind: 'tool_use',
    name: 'Edit',
    promptLength: null,
    promptFingerprint: null,
    linesAdded: 3,
    linesRemoved: 1,
    ref: null,
    cwd: '/home/dev/project',
    gitBranch: 'main',
    isSubagent: false,
    origin: '/home/dev/.claude/projects/p/session-1.jsonl',
    personId: 'person-1',
    ...overrides,
  };
}

export function checkpoint(overrides: Partial<FileCheckpoint> = {}): FileCheckpoint {
  return {
    source: 'claude_code_jsonl',
    path: '/home/dev/.claude/projects/p/session-1.jsonl',
    fileId: '2049:1234',
    size: 4096,
    mtimeMs: 1_710_000_000_123.5,
    offset: 4000,
    headHash: 'ab12cd34',
    state: null,
    ...overrides,
  };
}

let seqCounter = 0;
function nextSeq(): number {
  seqCounter += 1;
  return seqCounter;
}

export function batch(parts: Partial<WriteBatch> = {}): WriteBatch {
  return { usage: [], activity: [], checkpoints: [], ...parts };
}

const UTC_BY_TOOL: UsageQuery = { groupBy: 'tool', timeZone: 'UTC' };

/** One row summing everything `query` selects (tool grouping, then added up). */
async function totals(store: Store, query: Partial<UsageQuery> = {}) {
  const rows = await store.usage({ ...UTC_BY_TOOL, ...query });
  const sum = (pick: (row: UsageGroupRow) => number) => rows.reduce((acc, row) => acc + pick(row), 0);
  return {
    calls: sum((r) => r.calls),
    output: sum((r) => r.output),
    inputUncached: sum((r) => r.inputUncached),
    costUsd: sum((r) => r.costUsd),
    unpricedCalls: sum((r) => r.unpricedCalls),
  };
}

async function allPricingRows(store: Store, batchSize = 1000): Promise<PricingRow[]> {
  const rows: PricingRow[] = [];
  for await (const part of store.usageForPricing(batchSize)) rows.push(...part);
  return rows;
}

async function pricingRow(store: Store, id: string): Promise<PricingRow | undefined> {
  return (await allPricingRows(store)).find((row) => row.id === id);
}

const keys = (rows: UsageGroupRow[]) => rows.map((r) => r.key);
const callsByKey = (rows: UsageGroupRow[]) => Object.fromEntries(rows.map((r) => [r.key, r.calls]));

/** `open` must return a new, empty store on every call. */
export function runStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('write', () => {
      it('starts empty, with a schema version in meta', async () => {
        expect(await store.usage(UTC_BY_TOOL)).toEqual([]);
        expect((await store.checkpoints('claude_code_jsonl')).size).toBe(0);
        expect(await store.getMeta('schema_version')).toMatch(/^\d+$/);
      });

      it('applies an empty batch as a no-op', async () => {
        expect(await store.write(batch())).toEqual({
          usageInserted: 0,
          usageDuplicates: 0,
          activityInserted: 0,
          activityDuplicates: 0,
        });
      });

      it('is idempotent: the same batch twice leaves identical totals', async () => {
        const b = batch({
          usage: [
            usageRecord({ sessionId: 's1', model: 'claude-opus-4-1' }),
            usageRecord({ sessionId: 's2', ts: NOON('2024-03-11') }),
            usageRecord({
              sessionId: 's2',
              tool: 'codex',
              source: 'codex_rollout',
              provider: 'openai',
              model: 'gpt-5',
            }),
          ],
          activity: [activityRecord(), activityRecord({ kind: 'prompt', name: null, promptLength: 42 })],
          checkpoints: [checkpoint()],
        });
        expect(await store.write(b)).toEqual({
          usageInserted: 3,
          usageDuplicates: 0,
          activityInserted: 2,
          activityDuplicates: 0,
        });
        const first = await store.usage({ groupBy: 'day', timeZone: 'UTC' });
        expect(await store.write(b)).toEqual({
          usageInserted: 0,
          usageDuplicates: 3,
          activityInserted: 0,
          activityDuplicates: 2,
        });
        expect(await store.usage({ groupBy: 'day', timeZone: 'UTC' })).toEqual(first);
        expect(first.map((r) => r.calls)).toEqual([2, 1]);
      });

      it('keeps the copy with more tokens, whichever arrives first', async () => {
        for (const order of ['small-first', 'big-first'] as const) {
          const id = `cc:msg_keep_${order}:req_1`;
          const small = usageRecord({ id, tokens: { output: 10 }, model: 'small-copy' });
          const big = usageRecord({ id, tokens: { output: 500 }, model: 'big-copy' });
          const [first, second] = order === 'small-first' ? [small, big] : [big, small];
          expect((await store.write(batch({ usage: [first] }))).usageInserted).toBe(1);
          expect(await store.write(batch({ usage: [second] }))).toMatchObject({
            usageInserted: 0,
            usageDuplicates: 1,
          });
          const row = await pricingRow(store, id);
          expect(row?.tokens.output).toBe(500);
          expect(row?.model).toBe('big-copy');
        }
        expect(await totals(store)).toMatchObject({ calls: 2, output: 1000 });
      });

      it('on a token tie prefers the copy that states its speed, else keeps the stored one', async () => {
        for (const order of ['plain-first', 'speed-first'] as const) {
          const id = `cc:msg_tie_${order}:req_1`;
          const plain = usageRecord({ id, speed: null });
          const fast = usageRecord({ id, speed: 'fast' });
          const [first, second] = order === 'plain-first' ? [plain, fast] : [fast, plain];
          await store.write(batch({ usage: [first] }));
          await store.write(batch({ usage: [second] }));
          expect((await pricingRow(store, id))?.speed).toBe('fast');
        }
        const id = 'cc:msg_tie_plain:req_1';
        await store.write(batch({ usage: [usageRecord({ id, model: 'stored' })] }));
        await store.write(batch({ usage: [usageRecord({ id, model: 'arriving' })] }));
        expect((await pricingRow(store, id))?.model).toBe('stored');
      });

      it('collapses duplicates inside one batch by the same rule', async () => {
        const id = 'cc:msg_stream:req_1';
        const lines = [
          usageRecord({ id, tokens: { output: 25 }, model: 'line-4' }),
          usageRecord({ id, tokens: { output: 40 }, model: 'line-2' }),
          usageRecord({ id, tokens: { output: 5 }, model: 'line-5' }),
          usageRecord({ id, tokens: { output: 40 }, model: 'line-3', speed: 'standard' }),
          usageRecord({ id, tokens: { output: 10 }, model: 'line-1' }),
        ];
        expect(await store.write(batch({ usage: lines }))).toMatchObject({
          usageInserted: 1,
          usageDuplicates: 4,
        });
        const row = await pricingRow(store, id);
        expect(row).toMatchObject({ model: 'line-3', speed: 'standard' });
        expect(row?.tokens.output).toBe(40);

        const tieId = 'cc:msg_stream_tie:req_1';
        await store.write(
          batch({
            usage: [usageRecord({ id: tieId, model: 'first' }), usageRecord({ id: tieId, model: 'second' })],
          }),
        );
        expect((await pricingRow(store, tieId))?.model).toBe('first');
        expect(await totals(store)).toMatchObject({ calls: 2 });
      });

      it('supersedes a sidechain copy by a main-chain copy of the same message in either order', async () => {
        const copies = (messageId: string) => ({
          side: usageRecord({
            id: `cc:${messageId}:req_side`,
            messageId,
            requestId: 'req_side',
            isSidechain: true,
            tokens: { output: 70 },
            origin: `/logs/${messageId}/side.jsonl`,
          }),
          main: usageRecord({
            id: `cc:${messageId}:req_main`,
            messageId,
            requestId: 'req_main',
            isSidechain: false,
            tokens: { output: 30 },
            origin: `/logs/${messageId}/main.jsonl`,
          }),
        });

        const a = copies('msg_side_first');
        await store.write(batch({ usage: [a.side] }));
        expect(await totals(store)).toMatchObject({ calls: 1, output: 70 });
        await store.write(batch({ usage: [a.main] }));
        expect(await totals(store)).toMatchObject({ calls: 1, output: 30 });

        const b = copies('msg_main_first');
        await store.write(batch({ usage: [b.main] }));
        await store.write(batch({ usage: [b.side] }));
        expect(await totals(store)).toMatchObject({ calls: 2, output: 60 });

        const c = copies('msg_same_batch');
        await store.write(batch({ usage: [c.side, c.main] }));
        expect(await totals(store)).toMatchObject({ calls: 3, output: 90 });

        // A sidechain copy with no message id, or with a message of its own, always counts.
        await store.write(
          batch({
            usage: [
              usageRecord({ isSidechain: true, messageId: null, tokens: { output: 1 } }),
              usageRecord({ isSidechain: true, messageId: 'msg_only_side', tokens: { output: 2 } }),
            ],
          }),
        );
        expect(await totals(store)).toMatchObject({ calls: 5, output: 93 });

        // Removing the main-chain copy brings its sidechain copy back.
        await store.write(batch({ replaceOrigins: [a.main.origin] }));
        expect(await totals(store)).toMatchObject({ calls: 5, output: 133 });
      });

      it('drops the earlier records of replaced origins before applying the batch', async () => {
        const fileA = '/gemini/chats/a.json';
        const fileB = '/gemini/chats/b.json';
        const oldA = [usageRecord({ origin: fileA }), usageRecord({ origin: fileA })];
        const actA = [activityRecord({ origin: fileA }), activityRecord({ origin: fileA })];
        const keptB = usageRecord({ origin: fileB });
        await store.write(
          batch({ usage: [...oldA, keptB], activity: [...actA, activityRecord({ origin: fileB })] }),
        );
        expect(await totals(store)).toMatchObject({ calls: 3 });

        const rewritten = usageRecord({ id: oldA[0]!.id, origin: fileA, tokens: { output: 7 } });
        const result = await store.write(
          batch({ replaceOrigins: [fileA], usage: [rewritten], activity: [actA[0]!] }),
        );
        // Re-read records count as new: the earlier copies were dropped first, not merged.
        expect(result).toEqual({
          usageInserted: 1,
          usageDuplicates: 0,
          activityInserted: 1,
          activityDuplicates: 0,
        });
        expect(await totals(store)).toMatchObject({ calls: 2, output: 57 });
        const ids = (await allPricingRows(store)).map((r) => r.id).sort();
        expect(ids).toEqual([oldA[0]!.id, keptB.id].sort());
        expect((await store.write(batch({ activity: actA }))).activityInserted).toBe(1);
      });

      it('applies nothing of a batch that fails part-way', async () => {
        const origin = '/logs/stable.jsonl';
        const kept = usageRecord({ origin, sessionId: 'kept' });
        const keptActivity = activityRecord({ origin });
        await store.write(
          batch({ usage: [kept], activity: [keptActivity], checkpoints: [checkpoint({ offset: 10 })] }),
        );
        const before = await store.usage({ groupBy: 'session', timeZone: 'UTC' });
        const beforeCheckpoints = await store.checkpoints('claude_code_jsonl');

        const newActivity = activityRecord({ origin: '/logs/new.jsonl' });
        const broken = usageRecord({ sessionId: null as unknown as string });
        await expect(
          store.write(
            batch({
              replaceOrigins: [origin],
              usage: [usageRecord({ sessionId: 'new' }), broken, usageRecord({ sessionId: 'new' })],
              activity: [newActivity],
              checkpoints: [checkpoint({ offset: 999 })],
            }),
          ),
        ).rejects.toThrow();
        // Fails in the activity step, after usage was already merged inside the transaction.
        await expect(
          store.write(
            batch({
              usage: [usageRecord({ sessionId: 'new' })],
              activity: [activityRecord({ kind: null as unknown as ActivityRecord['kind'] })],
            }),
          ),
        ).rejects.toThrow();

        expect(await store.usage({ groupBy: 'session', timeZone: 'UTC' })).toEqual(before);
        expect(await store.checkpoints('claude_code_jsonl')).toEqual(beforeCheckpoints);
        expect(await store.write(batch({ usage: [kept], activity: [keptActivity, newActivity] }))).toEqual({
          usageInserted: 0,
          usageDuplicates: 1,
          activityInserted: 1,
          activityDuplicates: 1,
        });
      });
    });

    describe('usage', () => {
      it('cuts days in the requested time zone', async () => {
        await store.write(batch({ usage: [usageRecord({ ts: Date.parse('2024-03-10T23:30:00Z') })] }));
        expect(keys(await store.usage({ groupBy: 'day', timeZone: 'UTC' }))).toEqual(['2024-03-10']);
        expect(keys(await store.usage({ groupBy: 'day', timeZone: 'Asia/Tokyo' }))).toEqual(['2024-03-11']);
        expect(keys(await store.usage({ groupBy: 'day', timeZone: 'America/Los_Angeles' }))).toEqual([
          '2024-03-10',
        ]);
      });

      it('cuts days exactly at local midnight across DST gaps and odd offsets', async () => {
        // Santiago skips 00:00-01:00 local on 2024-09-08 (a day with no midnight); Kathmandu is
        // UTC+5:45; Lord Howe moves by half an hour. Calls every 7 minutes, off the quarter hours.
        const start = Date.parse('2024-09-06T00:03:00Z');
        const stamps = Array.from({ length: (4 * 1440) / 7 }, (_, i) => start + i * 7 * 60_000);
        const lordHowe = Date.parse('2024-10-05T12:01:00Z');
        stamps.push(...Array.from({ length: 300 }, (_, i) => lordHowe + i * 11 * 60_000));
        await store.write(batch({ usage: stamps.map((ts) => usageRecord({ ts })) }));
        for (const timeZone of ['America/Santiago', 'Asia/Kathmandu', 'Australia/Lord_Howe']) {
          const localDay = new Intl.DateTimeFormat('en-CA', { timeZone });
          const expected: Record<string, number> = {};
          for (const ts of stamps) {
            const day = localDay.format(ts);
            expected[day] = (expected[day] ?? 0) + 1;
          }
          expect(callsByKey(await store.usage({ groupBy: 'day', timeZone })), timeZone).toEqual(expected);
          for (const day of ['2024-09-08', '2024-10-06']) {
            const within = stamps.filter((ts) => localDay.format(ts) === day).length;
            const byModel = await store.usage({ groupBy: 'model', timeZone, since: day, until: day });
            expect(
              byModel.reduce((n, row) => n + row.calls, 0),
              `${timeZone} ${day}`,
            ).toBe(within);
          }
        }
      });

      it('keys weeks by their ISO Monday and months as YYYY-MM', async () => {
        await store.write(
          batch({
            usage: [
              usageRecord({ ts: NOON('2024-12-29') }), // Sunday
              usageRecord({ ts: NOON('2024-12-30') }), // Monday
              usageRecord({ ts: NOON('2025-01-01') }), // Wednesday, same ISO week across the new year
              usageRecord({ ts: NOON('2025-01-06') }),
            ],
          }),
        );
        expect(callsByKey(await store.usage({ groupBy: 'week', timeZone: 'UTC' }))).toEqual({
          '2024-12-23': 1,
          '2024-12-30': 2,
          '2025-01-06': 1,
        });
        expect(callsByKey(await store.usage({ groupBy: 'month', timeZone: 'UTC' }))).toEqual({
          '2024-12': 2,
          '2025-01': 2,
        });
        await store.write(batch({ usage: [usageRecord({ ts: Date.parse('2025-01-05T23:30:00Z') })] }));
        expect(callsByKey(await store.usage({ groupBy: 'week', timeZone: 'Asia/Tokyo' }))['2025-01-06']).toBe(
          2,
        );
        expect(callsByKey(await store.usage({ groupBy: 'week', timeZone: 'UTC' }))['2024-12-30']).toBe(3);
      });

      it('filters by inclusive local dates', async () => {
        await store.write(
          batch({
            usage: [
              usageRecord({ ts: NOON('2024-03-09') }),
              usageRecord({ ts: NOON('2024-03-10') }),
              usageRecord({ ts: Date.parse('2024-03-10T23:30:00Z') }),
              usageRecord({ ts: NOON('2024-03-11') }),
              usageRecord({ ts: NOON('2024-03-12') }),
            ],
          }),
        );
        const day = (query: Partial<UsageQuery>) =>
          store.usage({ groupBy: 'day', timeZone: 'UTC', ...query });
        expect(callsByKey(await day({ since: '2024-03-10', until: '2024-03-11' }))).toEqual({
          '2024-03-10': 2,
          '2024-03-11': 1,
        });
        expect(keys(await day({ since: '2024-03-11' }))).toEqual(['2024-03-11', '2024-03-12']);
        expect(keys(await day({ until: '2024-03-09' }))).toEqual(['2024-03-09']);
        expect(
          callsByKey(await day({ timeZone: 'Asia/Tokyo', since: '2024-03-11', until: '2024-03-11' })),
        ).toEqual({ '2024-03-11': 2 });
        expect(await day({ since: '2024-03-13' })).toEqual([]);
      });

      it('filters by tool and person', async () => {
        await store.write(
          batch({
            usage: [
              usageRecord({ tool: 'claude-code' }),
              usageRecord({ tool: 'codex', source: 'codex_rollout', personId: 'person-2' }),
              usageRecord({ tool: 'gemini-cli', source: 'gemini_cli_chat' }),
            ],
          }),
        );
        expect(keys(await store.usage({ ...UTC_BY_TOOL, tools: ['codex'] }))).toEqual(['codex']);
        expect(keys(await store.usage({ ...UTC_BY_TOOL, tools: ['codex', 'gemini-cli'] }))).toEqual([
          'codex',
          'gemini-cli',
        ]);
        expect(keys(await store.usage({ ...UTC_BY_TOOL, tools: [] }))).toHaveLength(3);
        expect(keys(await store.usage({ ...UTC_BY_TOOL, personId: 'person-2' }))).toEqual(['codex']);
        expect(await store.usage({ ...UTC_BY_TOOL, personId: 'nobody' })).toEqual([]);
      });

      it('groups by person, filters by model and sums credits (what budgets read)', async () => {
        await store.write(
          batch({
            usage: [
              usageRecord({ personId: 'person-1', model: 'claude-opus-4-1', costUsd: 2 }),
              usageRecord({ personId: 'person-1', model: 'claude-sonnet-4-5', costUsd: 1 }),
              usageRecord({
                personId: 'person-2',
                tool: 'codex',
                source: 'codex_rollout',
                model: 'gpt-5-codex',
                credits: 3.5,
                costUsd: null,
                costBasis: 'unpriced',
              }),
            ],
          }),
        );
        const byPerson = await store.usage({ groupBy: 'person', timeZone: 'UTC' });
        expect(byPerson.map((r) => [r.key, r.calls, r.costUsd, r.credits])).toEqual([
          ['person-1', 2, 3, 0],
          ['person-2', 1, 0, 3.5],
        ]);
        const opus = await store.usage({ groupBy: 'person', timeZone: 'UTC', models: ['claude-opus-4-1'] });
        expect(opus.map((r) => [r.key, r.costUsd])).toEqual([['person-1', 2]]);
        expect(await store.usage({ ...UTC_BY_TOOL, models: [] })).toHaveLength(2);
      });

      it('filters by a list of people, and an empty list selects nobody', async () => {
        await store.write(
          batch({
            usage: [
              usageRecord({ personId: 'person-1' }),
              usageRecord({ tool: 'codex', source: 'codex_rollout', personId: 'person-2' }),
              usageRecord({ tool: 'gemini-cli', source: 'gemini_cli_chat', personId: 'person-3' }),
            ],
          }),
        );
        const tools = async (personIds: string[]) => keys(await store.usage({ ...UTC_BY_TOOL, personIds }));
        expect(await tools(['person-1', 'person-3', 'nobody'])).toEqual(['claude-code', 'gemini-cli']);
        expect(await tools(['person-2'])).toEqual(['codex']);
        expect(await tools([])).toEqual([]);
        expect(
          keys(await store.usage({ ...UTC_BY_TOOL, personId: 'person-1', personIds: ['person-2'] })),
        ).toEqual([]);
      });

      it('filters by people within spans: a member only while a member, overlaps counted once', async () => {
        const day = (d: string) => ({ ts: NOON(d) });
        await store.write(
          batch({
            usage: [
              usageRecord({ personId: 'person-1', ...day('2024-03-01') }),
              usageRecord({ personId: 'person-1', ...day('2024-03-10') }),
              usageRecord({ personId: 'person-1', ...day('2024-03-20') }),
              usageRecord({ personId: 'person-2', ...day('2024-03-10') }),
            ],
          }),
        );
        const byDay = { groupBy: 'day' as const, timeZone: 'UTC' };
        const span = (personId: string, from: string, until: string) => ({
          personId,
          fromTs: Date.parse(`${from}T00:00:00Z`),
          untilTs: Date.parse(`${until}T23:59:59.999Z`),
        });
        const calls = async (personSpans: UsageQuery['personSpans']) =>
          callsByKey(await store.usage({ ...byDay, personSpans }));
        expect(await calls([span('person-1', '2024-03-05', '2024-03-15')])).toEqual({ '2024-03-10': 1 });
        expect(
          await calls([
            span('person-1', '2024-03-01', '2024-03-10'),
            span('person-1', '2024-03-10', '2024-03-31'),
          ]),
        ).toEqual({ '2024-03-01': 1, '2024-03-10': 1, '2024-03-20': 1 });
        expect(
          await calls([
            { personId: 'person-2', fromTs: Number.NEGATIVE_INFINITY, untilTs: Number.POSITIVE_INFINITY },
            span('nobody', '2024-01-01', '2024-12-31'),
          ]),
        ).toEqual({ '2024-03-10': 1 });
        expect(await calls([])).toEqual({});
      });

      it('sums every bucket and reports models, tools and time span per group', async () => {
        const t1 = Date.parse('2024-03-10T08:00:00Z');
        const t2 = Date.parse('2024-03-10T09:00:00Z');
        const tokens = {
          inputUncached: 1,
          cacheRead: 2,
          cacheWrite5m: 3,
          cacheWrite1h: 4,
          cacheWriteOther: 5,
          output: 6,
          reasoning: 2,
        };
        await store.write(
          batch({
            usage: [
              usageRecord({ ts: t2, model: 'zeta', tokens, costUsd: 0.5 }),
              usageRecord({
                ts: t1,
                model: 'alpha',
                tokens,
                costUsd: 0.25,
                tool: 'codex',
                source: 'codex_rollout',
              }),
              usageRecord({ ts: t1, model: null, tokens, costUsd: 1 }),
              usageRecord({ ts: t1, model: 'alpha', tokens, costUsd: 0 }),
            ],
          }),
        );
        const [row, ...rest] = await store.usage({ groupBy: 'day', timeZone: 'UTC' });
        expect(rest).toEqual([]);
        expect(row).toEqual({
          key: '2024-03-10',
          inputUncached: 4,
          cacheRead: 8,
          cacheWrite5m: 12,
          cacheWrite1h: 16,
          cacheWriteOther: 20,
          output: 24,
          reasoning: 8,
          costUsd: 1.75,
          credits: 0,
          calls: 4,
          unpricedCalls: 0,
          models: ['alpha', 'zeta'],
          tools: ['claude-code', 'codex'] satisfies Tool[],
          firstTs: t1,
          lastTs: t2,
        });
      });

      it('labels missing models and projects, and orders sessions by their last call', async () => {
        await store.write(
          batch({
            usage: [
              usageRecord({ sessionId: 'a-late', ts: NOON('2024-03-12'), model: null, project: null }),
              usageRecord({ sessionId: 'z-early', ts: NOON('2024-03-10'), model: 'm', project: '/p' }),
              usageRecord({ sessionId: 'a-late', ts: NOON('2024-03-09') }),
            ],
          }),
        );
        expect(keys(await store.usage({ groupBy: 'model', timeZone: 'UTC' }))).toEqual([
          '(unknown)',
          'claude-sonnet-4-5',
          'm',
        ]);
        expect(keys(await store.usage({ groupBy: 'project', timeZone: 'UTC' }))).toEqual([
          '(none)',
          '/home/dev/project',
          '/p',
        ]);
        const sessions = await store.usage({ groupBy: 'session', timeZone: 'UTC' });
        expect(keys(sessions)).toEqual(['z-early', 'a-late']);
        expect(sessions[1]).toMatchObject({ firstTs: NOON('2024-03-09'), lastTs: NOON('2024-03-12') });
      });

      it('counts unpriced calls apart and never prices them at 0', async () => {
        await store.write(
          batch({
            usage: [
              usageRecord({ costUsd: 1.25 }),
              usageRecord({ costUsd: null, costBasis: 'unpriced', priceVersion: null, model: 'mystery' }),
            ],
          }),
        );
        expect(await totals(store)).toMatchObject({ calls: 2, costUsd: 1.25, unpricedCalls: 1 });
        const [byModel] = await store.usage({ groupBy: 'model', timeZone: 'UTC', since: '2024-03-10' });
        expect(byModel).toMatchObject({ key: 'claude-sonnet-4-5', unpricedCalls: 0 });
        const mystery = (await store.usage({ groupBy: 'model', timeZone: 'UTC' })).find(
          (r) => r.key === 'mystery',
        );
        expect(mystery).toMatchObject({ calls: 1, unpricedCalls: 1, costUsd: 0 });
      });

      it('rejects an unknown time zone, a malformed date and an unknown grouping', async () => {
        await expect(store.usage({ groupBy: 'day', timeZone: 'Not/AZone' })).rejects.toThrow(/Not\/AZone/);
        await expect(store.usage({ groupBy: 'day', timeZone: "UTC'; DROP TABLE usage; --" })).rejects.toThrow(
          /time zone/,
        );
        await expect(store.usage({ groupBy: 'day', timeZone: 'UTC', since: '2024-02-30' })).rejects.toThrow(
          /2024-02-30/,
        );
        await expect(
          store.usage({ groupBy: 'day', timeZone: 'UTC', until: "2024-01-01' OR 1=1" }),
        ).rejects.toThrow(/until/);
        await expect(
          store.usage({ groupBy: 'hour' as UsageQuery['groupBy'], timeZone: 'UTC' }),
        ).rejects.toThrow(/hour/);
      });
    });

    describe('checkpoints and meta', () => {
      it('round-trips checkpoints with their parser state, per source', async () => {
        const withState = checkpoint({
          path: '/a.jsonl',
          size: 5_000_000_000,
          offset: 4_999_999_000,
          state: { pending: { 'req-1': { tokens: [1, 2, 3] } }, model: 'gpt-5', done: false, none: null },
        });
        const withoutState = checkpoint({ path: '/b.jsonl', state: null });
        const otherSource = checkpoint({ source: 'codex_rollout', path: '/a.jsonl', offset: 1 });
        await store.write(batch({ checkpoints: [withState, withoutState, otherSource] }));

        const claude = await store.checkpoints('claude_code_jsonl');
        expect(claude).toEqual(
          new Map([
            ['/a.jsonl', withState],
            ['/b.jsonl', withoutState],
          ]),
        );
        expect(await store.checkpoints('codex_rollout')).toEqual(new Map([['/a.jsonl', otherSource]]));
        expect((await store.checkpoints('gemini_cli_chat')).size).toBe(0);

        const moved = { ...withoutState, offset: 8000, size: 8192, state: { line: 7 } };
        await store.write(batch({ checkpoints: [{ ...moved, offset: 6000 }, moved] }));
        expect((await store.checkpoints('claude_code_jsonl')).get('/b.jsonl')).toEqual(moved);
      });

      it('stores key/value metadata', async () => {
        expect(await store.getMeta('price_version')).toBeUndefined();
        await store.setMeta('price_version', 'v1');
        await store.setMeta('price_version', 'v2');
        await store.setMeta('other', '');
        expect(await store.getMeta('price_version')).toBe('v2');
        expect(await store.getMeta('other')).toBe('');
      });

      it('lists metadata by key prefix, taking the prefix literally', async () => {
        await store.setMeta('budget:a', '{"a":1}');
        await store.setMeta('budget:b', '{"b":2}');
        await store.setMeta('budget%c', 'wildcard');
        await store.setMeta('budgets', 'not under the prefix');
        await store.setMeta('alert:x', 'other kind');
        expect(await store.metaWithPrefix('budget:')).toEqual(
          new Map([
            ['budget:a', '{"a":1}'],
            ['budget:b', '{"b":2}'],
          ]),
        );
        expect([...(await store.metaWithPrefix('budget%')).keys()]).toEqual(['budget%c']);
        expect((await store.metaWithPrefix('nothing:')).size).toBe(0);
      });
    });

    describe('pricing', () => {
      it('iterates every stored call once, in batches, with what pricing needs', async () => {
        const records = Array.from({ length: 7 }, (_, i) =>
          usageRecord({
            tokens: { output: i, reasoning: 1 },
            webSearchRequests: i % 2,
            reportedCostUsd: i ? null : 0.3,
          }),
        );
        records[3] = { ...records[3]!, speed: 'fast', serviceTier: 'priority', inferenceGeo: 'us' };
        await store.write(batch({ usage: records }));
        const sizes: number[] = [];
        const seen: PricingRow[] = [];
        for await (const part of store.usageForPricing(3)) {
          sizes.push(part.length);
          seen.push(...part);
        }
        expect(sizes).toEqual([3, 3, 1]);
        expect(seen.map((r) => r.id).sort()).toEqual(records.map((r) => r.id).sort());
        const expected = ({
          id,
          tool,
          provider,
          model,
          speed,
          serviceTier,
          inferenceGeo,
          tokens,
          ...rest
        }: UsageRecord) => ({
          id,
          tool,
          provider,
          model,
          speed,
          serviceTier,
          inferenceGeo,
          tokens,
          webSearchRequests: rest.webSearchRequests,
          reportedCostUsd: rest.reportedCostUsd,
        });
        expect(seen.find((r) => r.id === records[3]!.id)).toEqual(expected(records[3]!));
        expect(seen.find((r) => r.id === records[0]!.id)).toEqual(expected(records[0]!));
        await expect(async () => {
          for await (const _ of store.usageForPricing(0)) break;
        }).rejects.toThrow(/batchSize/);
      });

      it('updates costs while iterating, and an update to null makes a call unpriced again', async () => {
        const records = Array.from({ length: 10 }, () =>
          usageRecord({ costUsd: null, costBasis: 'unpriced' }),
        );
        await store.write(batch({ usage: records }));
        expect(await totals(store)).toMatchObject({ unpricedCalls: 10, costUsd: 0 });

        let seen = 0;
        for await (const part of store.usageForPricing(4)) {
          seen += part.length;
          await store.updateCosts(
            part.map((row) => ({
              id: row.id,
              costUsd: 0.5,
              costBasis: 'computed',
              priceVersion: 'prices-2',
            })),
          );
        }
        expect(seen).toBe(10);
        expect(await totals(store)).toMatchObject({ unpricedCalls: 0, costUsd: 5 });

        await store.updateCosts([
          { id: records[0]!.id, costUsd: null, costBasis: 'unpriced', priceVersion: null },
          { id: records[1]!.id, costUsd: 2, costBasis: 'computed', priceVersion: 'prices-2' },
          { id: records[1]!.id, costUsd: 1, costBasis: 'computed', priceVersion: 'prices-3' },
          { id: 'cc:not-stored', costUsd: 9, costBasis: 'computed', priceVersion: 'prices-3' },
        ]);
        expect(await totals(store)).toMatchObject({ calls: 10, unpricedCalls: 1, costUsd: 5 });
        await store.updateCosts([]);
      });
    });

    describe('lifecycle', () => {
      it('closes idempotently and refuses calls afterwards', async () => {
        await store.write(batch({ usage: [usageRecord()] }));
        await Promise.all([store.close(), store.close()]);
        await store.close();
        await expect(store.usage(UTC_BY_TOOL)).rejects.toThrow(/closed/);
      });

      it('serialises concurrent calls', async () => {
        const writes = Array.from({ length: 5 }, (_, i) =>
          store.write(batch({ usage: [usageRecord({ sessionId: `s${i}` })], activity: [activityRecord()] })),
        );
        const [results, rows] = await Promise.all([Promise.all(writes), store.usage(UTC_BY_TOOL)]);
        expect(results.every((r) => r.usageInserted === 1 && r.activityInserted === 1)).toBe(true);
        expect(rows.length).toBeLessThanOrEqual(1);
        expect(await totals(store)).toMatchObject({ calls: 5 });
      });
    });
  });
}
