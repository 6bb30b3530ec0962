import { describe, expect, it } from 'vitest';
import { hashSeed, Rng } from './prng.js';
import { parseSize } from './size.js';

describe('Rng', () => {
  it('replays the same stream for the same seed and a different one for another seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(sa);
  });

  it('keeps int() inside its inclusive bounds and reaches both ends', () => {
    const r = new Rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const x = r.int(3, 6);
      expect(x).toBeGreaterThanOrEqual(3);
      expect(x).toBeLessThanOrEqual(6);
      seen.add(x);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('follows weights roughly and never picks a zero weight', () => {
    const r = new Rng(1);
    const counts = { a: 0, b: 0, z: 0 };
    for (let i = 0; i < 10_000; i++) {
      counts[
        r.weighted<'a' | 'b' | 'z'>([
          ['a', 3],
          ['b', 1],
          ['z', 0],
        ])
      ]++;
    }
    expect(counts.z).toBe(0);
    expect(counts.a / counts.b).toBeGreaterThan(2.6);
    expect(counts.a / counts.b).toBeLessThan(3.4);
  });

  it('has meanOneFactor averaging 1 so budgets keep their sum', () => {
    const r = new Rng(9);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += r.meanOneFactor(1);
    expect(sum / 20_000).toBeGreaterThan(0.93);
    expect(sum / 20_000).toBeLessThan(1.07);
  });

  it('writes v4 UUIDs', () => {
    const r = new Rng(5);
    for (let i = 0; i < 100; i++)
      expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('derives independent streams from labels', () => {
    expect(hashSeed(1, 'a')).not.toBe(hashSeed(1, 'b'));
    expect(Rng.derive(1, 'x').next()).toBe(Rng.derive(1, 'x').next());
    expect(Rng.derive(1, 'x').next()).not.toBe(Rng.derive(2, 'x').next());
  });
});

describe('parseSize', () => {
  it('reads binary units', () => {
    expect(parseSize('200m')).toBe(200 * 1024 ** 2);
    expect(parseSize('2g')).toBe(2 * 1024 ** 3);
    expect(parseSize('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('512KiB')).toBe(512 * 1024);
    expect(parseSize('1000')).toBe(1000);
  });

  it('rejects garbage', () => {
    expect(() => parseSize('lots')).toThrow(/not a size/);
    expect(() => parseSize('-1m')).toThrow(/not a size/);
  });
});
