import { describe, expect, it } from 'vitest';
import { createReadCache } from './read-cache.js';

/** A cache over a generation counter and a clock the test moves by hand. */
function harness(maxStaleMs = 60_000) {
  const state = { generation: 0, now: 1_000_000 };
  const cache = createReadCache(() => String(state.generation), {
    maxStaleMs,
    maxEntries: 3,
    now: () => state.now,
  });
  return { state, cache };
}

/** A computation that takes `ms` of the fake clock and returns the generation it saw. */
function computation(state: { generation: number; now: number }, ms: number) {
  let runs = 0;
  let release: (() => void) | undefined;
  const compute = () => {
    runs++;
    const seen = state.generation;
    return new Promise<string>((resolve) => {
      release = () => {
        state.now += ms;
        resolve(`generation ${seen}`);
      };
    });
  };
  return {
    compute,
    runs: () => runs,
    finish: async () => {
      release?.();
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('read cache', () => {
  it('answers from the cache until the ledger changes, then recomputes a fast read', async () => {
    const { state, cache } = harness();
    const c = computation(state, 10);
    const first = cache.get('k', c.compute);
    await c.finish();
    expect(await first).toMatchObject({ value: 'generation 0', stale: false });
    expect(await cache.get('k', c.compute)).toMatchObject({ value: 'generation 0', stale: false });
    expect(c.runs()).toBe(1);

    state.generation = 1;
    const again = cache.get('k', c.compute);
    await c.finish();
    expect(await again).toMatchObject({ value: 'generation 1', stale: false });
    expect(c.runs()).toBe(2);
  });

  it('shares one computation among concurrent readers', async () => {
    const { state, cache } = harness();
    const c = computation(state, 10);
    const reads = [cache.get('k', c.compute), cache.get('k', c.compute), cache.get('k', c.compute)];
    await c.finish();
    expect((await Promise.all(reads)).map((r) => r.value)).toEqual(Array(3).fill('generation 0'));
    expect(c.runs()).toBe(1);
  });

  it('answers a slow read stale while one refresh runs, then fresh', async () => {
    const { state, cache } = harness();
    const c = computation(state, 5_000);
    const first = cache.get('k', c.compute);
    await c.finish();
    const { asOf } = await first;

    state.generation = 1;
    state.now += 5_000; // as old as it took to compute: a refresh may start
    const stale = await cache.get('k', c.compute);
    expect(stale).toEqual({ value: 'generation 0', asOf, stale: true });
    expect(c.runs()).toBe(2);
    // More reads during the refresh start nothing more.
    expect(await cache.get('k', c.compute)).toMatchObject({ value: 'generation 0', stale: true });
    expect(c.runs()).toBe(2);

    await c.finish();
    expect(await cache.get('k', c.compute)).toMatchObject({ value: 'generation 1', stale: false });
    expect(c.runs()).toBe(2);
  });

  it('does not refresh a slow read back to back, and waits once the answer is too old', async () => {
    const { state, cache } = harness(60_000);
    const c = computation(state, 5_000);
    const first = cache.get('k', c.compute);
    await c.finish();
    await first;

    state.generation = 1;
    state.now += 1_000; // younger than the 5 s it took: served stale, no refresh yet
    expect(await cache.get('k', c.compute)).toMatchObject({ value: 'generation 0', stale: true });
    expect(c.runs()).toBe(1);

    state.now += 60_000; // past maxStale: the reader waits for a fresh answer
    const fresh = cache.get('k', c.compute);
    expect(c.runs()).toBe(2);
    await c.finish();
    expect(await fresh).toMatchObject({ value: 'generation 1', stale: false });
  });

  it('never answers stale when maxStale is 0', async () => {
    const { state, cache } = harness(0);
    const c = computation(state, 5_000);
    const first = cache.get('k', c.compute);
    await c.finish();
    await first;
    state.generation = 1;
    const read = cache.get('k', c.compute);
    await c.finish();
    expect(await read).toMatchObject({ value: 'generation 1', stale: false });
  });

  it('forgets a failed computation so the next read tries again, keeping the last good answer', async () => {
    const { state, cache } = harness();
    const good = computation(state, 5_000);
    const first = cache.get('k', good.compute);
    await good.finish();
    await first;

    state.generation = 1;
    await expect(cache.get('k', () => Promise.reject(new Error('ledger closed')))).resolves.toMatchObject({
      stale: true,
    });
    await new Promise((r) => setImmediate(r));
    await expect(cache.get('other', () => Promise.reject(new Error('ledger closed')))).rejects.toThrow(
      'ledger closed',
    );
    expect(cache.size).toBe(1);
  });

  it('keeps at most maxEntries keys, dropping the least recently used', async () => {
    const { state, cache } = harness();
    for (const key of ['a', 'b', 'c', 'a', 'd']) {
      const c = computation(state, 1);
      const read = cache.get(key, c.compute);
      await c.finish();
      await read;
    }
    expect(cache.size).toBe(3);
    const b = computation(state, 1);
    const read = cache.get('b', b.compute);
    expect(b.runs()).toBe(1); // b was the oldest and went
    await b.finish();
    await read;
  });
});
