/**
 * Groups near-identical prompt fingerprints (64-bit SimHash, sources/fingerprint.ts) without
 * comparing every pair: each fingerprint is split into four 16-bit bands and only fingerprints
 * sharing a band are compared. Two fingerprints within 3 bits always share a band (four bands,
 * at most three of them touched); those within `maxDistance` usually do. Clusters are the
 * connected components of "within `maxDistance`", so a slowly drifting template stays together.
 * @module
 */

const BANDS = 4;
/** A bucket's members compared with a newcomer: enough to join it to its cluster, bounded so a crowded bucket is not quadratic. */
const BUCKET_PROBES = 32;

function popcount(x: number): number {
  let v = x >>> 0;
  let n = 0;
  while (v) {
    v &= v - 1;
    n++;
  }
  return n;
}

/**
 * Cluster id (the index of a representative) for each fingerprint; fingerprints that are not
 * 16 hex digits are their own cluster.
 */
export function clusterFingerprints(fingerprints: readonly string[], maxDistance: number): Int32Array {
  const n = fingerprints.length;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const valid = new Uint8Array(n);
  fingerprints.forEach((f, i) => {
    if (!/^[0-9a-f]{16}$/i.test(f)) return;
    hi[i] = Number.parseInt(f.slice(0, 8), 16) >>> 0;
    lo[i] = Number.parseInt(f.slice(8), 16) >>> 0;
    valid[i] = 1;
  });
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[i] !== r) {
      const next = parent[i]!;
      parent[i] = r;
      i = next;
    }
    return r;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const buckets = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (!valid[i]) continue;
    for (let b = 0; b < BANDS; b++) {
      const word = b < 2 ? hi[i]! : lo[i]!;
      const key = b * 0x10000 + ((b % 2 === 0 ? word >>> 16 : word) & 0xffff);
      const bucket = buckets.get(key);
      if (!bucket) {
        buckets.set(key, [i]);
        continue;
      }
      for (let k = 0; k < bucket.length && k < BUCKET_PROBES; k++) {
        const j = bucket[k]!;
        if (popcount(hi[i]! ^ hi[j]!) + popcount(lo[i]! ^ lo[j]!) <= maxDistance) union(i, j);
      }
      bucket.push(i);
    }
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = find(i);
  return out;
}
