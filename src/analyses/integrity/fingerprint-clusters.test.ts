import { describe, expect, it } from 'vitest';
import { clusterFingerprints } from './fingerprint-clusters.js';

const flip = (f: string, bits: number[]) => {
  let hi = Number.parseInt(f.slice(0, 8), 16) >>> 0;
  let lo = Number.parseInt(f.slice(8), 16) >>> 0;
  for (const b of bits) {
    if (b < 32) hi = (hi ^ (1 << b)) >>> 0;
    else lo = (lo ^ (1 << (b - 32))) >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
};

describe('fingerprint clusters', () => {
  it('joins fingerprints within the distance, even when every band differs somewhere', () => {
    const base = '0123456789abcdef';
    // Three bits in three different bands: one band is still identical.
    const near = flip(base, [1, 20, 40]);
    const far = 'fedcba9876543210';
    const c = clusterFingerprints([base, near, far, base], 3);
    expect(c[0]).toBe(c[1]);
    expect(c[0]).toBe(c[3]);
    expect(c[2]).not.toBe(c[0]);
  });

  it('keeps fingerprints beyond the distance apart and leaves malformed ones alone', () => {
    const base = '0123456789abcdef';
    const c = clusterFingerprints([base, flip(base, [0, 1, 2, 3, 4]), 'nope'], 3);
    expect(new Set(c).size).toBe(3);
  });
});
