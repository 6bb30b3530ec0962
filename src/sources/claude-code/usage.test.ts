import { describe, expect, it } from 'vitest';
import { parseUsage, splitCacheWrites } from './usage.js';

describe('splitCacheWrites', () => {
  it('puts everything in 5m when the split is unknown', () => {
    expect(splitCacheWrites(500, null, null, false)).toEqual({ w5m: 500, w1h: 0 });
    expect(splitCacheWrites(null, null, null, false)).toEqual({ w5m: 0, w1h: 0 });
  });
  it('uses the split, clamped into the total like ccusage prices it', () => {
    expect(splitCacheWrites(2082, 1388, 694, true)).toEqual({ w5m: 1388, w1h: 694 });
    expect(splitCacheWrites(100, 0, 100, true)).toEqual({ w5m: 0, w1h: 100 });
    // A split smaller than the total leaves the remainder at the 5-minute rate.
    expect(splitCacheWrites(100, 10, 20, true)).toEqual({ w5m: 80, w1h: 20 });
    // A split larger than the total is cut to it.
    expect(splitCacheWrites(100, 90, 50, true)).toEqual({ w5m: 90, w1h: 10 });
    expect(splitCacheWrites(null, 5, 7, true)).toEqual({ w5m: 5, w1h: 7 });
  });
});

describe('parseUsage', () => {
  const parse = (v: unknown) => {
    const b = Buffer.from(JSON.stringify(v));
    const out = { end: 0 };
    return { result: parseUsage(b, 0, b.length, out), end: out.end, length: b.length };
  };
  it('returns where the object ends', () => {
    const { result, end, length } = parse({ input_tokens: 1, output_tokens: 2, cache_creation: {} });
    expect(end).toBe(length);
    expect(result).toMatchObject({
      tokens: { inputUncached: 1, output: 2, cacheWrite5m: 0 },
      speed: null,
      serviceTier: null,
    });
  });
  it('ignores unknown speeds and empty strings', () => {
    const { result } = parse({
      input_tokens: 1,
      output_tokens: 2,
      speed: 'warp',
      service_tier: '',
      inference_geo: 'not_available',
    });
    expect(result).toMatchObject({ speed: null, serviceTier: null, inferenceGeo: 'not_available' });
  });
});
