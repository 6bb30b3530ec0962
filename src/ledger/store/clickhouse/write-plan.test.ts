import { describe, expect, it } from 'vitest';
import { activityRecord, usageRecord } from '../store.contract.js';
import { decodeVersion, rankOf, TOMBSTONE_RANK } from './row-version.js';
import type { UnitKey } from './rows.js';
import {
  planActivity,
  plannedRows,
  planUsage,
  type StoredUsage,
  settleSupersession,
  tombstoneActivity,
  tombstoneUsage,
} from './write-plan.js';

const DAY = '2024-03-10';
const stored = (over: Partial<StoredUsage> = {}): StoredUsage => ({
  key: { kDay: '2024-03-09', kPerson: 'someone-else' },
  generation: 0,
  rank: rankOf(1160, false),
  deleted: false,
  messageId: null,
  sidechain: false,
  superseded: false,
  ...over,
});

describe('planUsage', () => {
  it('files a new record under its UTC day and person, and counts it as new', () => {
    const record = usageRecord({ ts: Date.parse(`${DAY}T23:30:00Z`), personId: 'p1' });
    const plan = planUsage([record], new Map(), new Map());
    expect(plan.inserted).toBe(1);
    expect(plan.planned.map((p) => p.key)).toEqual([{ kDay: DAY, kPerson: 'p1' }]);
    expect(plannedRows(plan.planned, new Set())[0]).toMatchObject({
      k_day: DAY,
      k_person: 'p1',
      deleted: 0,
      superseded: 0,
    });
  });

  it('writes a stored id again only when strictly better, under the stored key and generation', () => {
    const same = usageRecord();
    const better = usageRecord({ id: same.id, tokens: { output: 500 } });
    const speedTie = usageRecord({ id: same.id, speed: 'fast' });
    const copy = stored({ generation: 3 });
    expect(planUsage([same], new Map([[same.id, copy]]), new Map()).planned).toEqual([]);
    for (const record of [better, speedTie]) {
      const plan = planUsage([record], new Map([[record.id, copy]]), new Map());
      expect(plan.inserted).toBe(0);
      expect(plan.planned[0]?.key).toEqual(copy.key);
      expect(decodeVersion(plan.planned[0]!.version).generation).toBe(3);
    }
  });

  it('counts a record whose stored copy was deleted as new, in the generation of the tombstone', () => {
    const record = usageRecord({ tokens: { output: 1 } });
    const tomb = stored({ generation: 2, rank: TOMBSTONE_RANK, deleted: true });
    const plan = planUsage([record], new Map([[record.id, tomb]]), new Map());
    expect(plan.inserted).toBe(1);
    expect(plan.planned[0]?.key).toEqual(tomb.key);
    expect(plan.planned[0]!.version > 2n << 42n).toBe(true);
  });

  it('files copies of one message together, with stored copies or earlier ones in the batch', () => {
    const where: UnitKey = { kDay: '2024-03-09', kPerson: 'p1' };
    const side = usageRecord({ messageId: 'm1', isSidechain: true, ts: Date.parse(`${DAY}T00:10:00Z`) });
    const main = usageRecord({ messageId: 'm1', ts: Date.parse(`${DAY}T00:20:00Z`) });
    expect(planUsage([main], new Map(), new Map([['m1', where]])).planned[0]?.key).toEqual(where);
    const inBatch = planUsage([side, main], new Map(), new Map());
    expect(inBatch.planned.map((p) => p.key.kDay)).toEqual([DAY, DAY]);
  });
});

describe('settleSupersession', () => {
  const key = { kDay: DAY, kPerson: 'person-1' };
  it('supersedes sidechain copies of a message with a live main-chain copy, arriving in either order', () => {
    const side = usageRecord({ messageId: 'm', isSidechain: true });
    const main = usageRecord({ messageId: 'm' });
    const together = settleSupersession(
      planUsage([side, main], new Map(), new Map()).planned,
      new Map(),
      new Set(['m']),
    );
    expect([...together.superseded]).toEqual([side.id]);

    const storedSide = stored({ key, messageId: 'm', sidechain: true, generation: 1 });
    const mainLater = settleSupersession(
      planUsage([main], new Map(), new Map()).planned,
      new Map([[side.id, storedSide]]),
      new Set(['m']),
    );
    expect(mainLater.flips).toEqual([
      { id: side.id, key, superseded: true, version: (2n << 42n) | storedSide.rank },
    ]);

    const storedMain = stored({ key, messageId: 'm' });
    const sideLater = settleSupersession(
      planUsage([side], new Map(), new Map()).planned,
      new Map([[main.id, storedMain]]),
      new Set(['m']),
    );
    expect([...sideLater.superseded]).toEqual([side.id]);
    expect(sideLater.flips).toEqual([]);
  });

  it('revives a superseded copy when its main-chain copy is deleted, and leaves other messages alone', () => {
    const side = stored({ key, messageId: 'm', sidechain: true, superseded: true });
    const deletedMain = stored({ key, messageId: 'm', deleted: true, rank: TOMBSTONE_RANK, generation: 1 });
    const other = stored({ key, messageId: 'other', sidechain: true, superseded: true });
    const result = settleSupersession(
      [],
      new Map([
        ['side', side],
        ['main', deletedMain],
        ['other', other],
      ]),
      new Set(['m']),
    );
    expect(result.flips.map((f) => [f.id, f.superseded])).toEqual([['side', false]]);
  });
});

describe('tombstones', () => {
  it('delete every live row one generation up, and leave them deleted for the rest of the batch', () => {
    const gone = tombstoneUsage([
      { id: 'u1', key: { kDay: DAY, kPerson: 'p' }, generation: 4, messageId: 'm', sidechain: false },
    ]);
    expect(gone.rows).toEqual([expect.objectContaining({ id: 'u1', deleted: 1, k_day: DAY, k_person: 'p' })]);
    expect(gone.stored.get('u1')).toMatchObject({ generation: 5, deleted: true, messageId: 'm' });
    expect(decodeVersion(String(gone.rows[0]!.ver))).toEqual({ generation: 5, rank: TOMBSTONE_RANK });

    const act = activityRecord();
    const goneActivity = tombstoneActivity([
      { id: act.id, kDay: DAY, sessionId: act.sessionId, generation: 0 },
    ]);
    const again = planActivity([act], goneActivity.stored);
    expect(again.inserted).toBe(1);
    expect(BigInt(String(again.rows[0]!.ver)) > BigInt(String(goneActivity.rows[0]!.ver))).toBe(true);
    const live = { kDay: DAY, sessionId: 's', generation: 0, deleted: false };
    expect(planActivity([act], new Map([[act.id, live]])).inserted).toBe(0);
  });
});
