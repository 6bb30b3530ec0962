import { describe, expect, it } from 'vitest';
import { Rng } from '../../../synthetic/prng.js';
import { KeyFilter } from './key-filter.js';

/** Deterministic 32-bit values, so that a failure reproduces. */
function* randomHalves(seed: number): Generator<number> {
  const rng = new Rng(seed);
  for (;;) yield rng.int(0, 0xffffffff);
}

describe('KeyFilter', () => {
  it('holds every key added, through growth, and no key that was not', () => {
    const filter = new KeyFilter(1_000_000);
    const halves = randomHalves(7);
    const added: [number, number][] = [];
    for (let i = 0; i < 50_000; i++) {
      const key: [number, number] = [halves.next().value as number, halves.next().value as number];
      filter.add(...key);
      added.push(key);
    }
    expect(filter.size).toBe(50_000);
    for (const key of added) expect(filter.mightHold(...key)).toBe(true);
    let absent = 0;
    for (let i = 0; i < 50_000; i++) {
      if (!filter.mightHold(halves.next().value as number, halves.next().value as number)) absent++;
    }
    // Random 64-bit keys: a repeat among 100k has a chance of about 1e-9.
    expect(absent).toBe(50_000);
  });

  it('tells keys apart that share a half, or whose slots collide', () => {
    const filter = new KeyFilter(100);
    filter.add(1, 5);
    filter.add(2, 5);
    filter.add(5, 1);
    filter.add(1, 5 + 4096);
    expect(filter.size).toBe(4);
    expect(filter.mightHold(1, 5)).toBe(true);
    expect(filter.mightHold(2, 5)).toBe(true);
    expect(filter.mightHold(5, 1)).toBe(true);
    expect(filter.mightHold(1, 5 + 4096)).toBe(true);
    expect(filter.mightHold(3, 5)).toBe(false);
    expect(filter.mightHold(1, 1)).toBe(false);
  });

  it('holds the key 0 and the largest key, and counts a repeated key once', () => {
    const filter = new KeyFilter(100);
    expect(filter.mightHold(0, 0)).toBe(false);
    filter.add(0, 0);
    filter.add(0, 0);
    filter.add(0xffffffff, 0xffffffff);
    filter.add(0xffffffff, 0xffffffff);
    expect(filter.size).toBe(2);
    expect(filter.mightHold(0, 0)).toBe(true);
    expect(filter.mightHold(0xffffffff, 0xffffffff)).toBe(true);
    // Signed views of the same bits are the same key.
    expect(filter.mightHold(-1, -1)).toBe(true);
    expect(filter.mightHold(0, 0xffffffff)).toBe(false);
  });

  it('answers "maybe" to every key once over its limit, or once it gave up', () => {
    const filter = new KeyFilter(3);
    for (let i = 1; i <= 3; i++) filter.add(0, i);
    expect(filter.overflowed).toBe(false);
    expect(filter.mightHold(0, 99)).toBe(false);
    filter.add(0, 4);
    expect(filter.overflowed).toBe(true);
    expect(filter.mightHold(0, 99)).toBe(true);
    expect(filter.size).toBe(0);

    const given = new KeyFilter(10);
    given.giveUp();
    expect(given.mightHold(7, 7)).toBe(true);
    given.add(7, 7);
    expect(given.overflowed).toBe(true);
  });

  it('sized up front for the keys expected, holds them and more', () => {
    const filter = new KeyFilter(10_000, 5_000);
    for (let i = 1; i <= 8_000; i++) filter.add(i, i * 7);
    expect(filter.size).toBe(8_000);
    for (let i = 1; i <= 8_000; i++) expect(filter.mightHold(i, i * 7)).toBe(true);
    expect(filter.mightHold(1, 8)).toBe(false);
    // Expecting more than the limit sizes for the limit, not for what was expected.
    expect(new KeyFilter(10, 1e12).mightHold(1, 1)).toBe(false);
  });

  it('refuses a limit that is not a whole number', () => {
    expect(() => new KeyFilter(-1)).toThrow(/maxKeys/);
    expect(() => new KeyFilter(1.5)).toThrow(/maxKeys/);
  });
});
