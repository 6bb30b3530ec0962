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

/** The 8 hex digits of `s` from `at` as an unsigned 32-bit number, or -1 when one is not hex. */
function hexWord(s: string, at: number): number {
  let v = 0;
  for (let k = at; k < at + 8; k++) {
    const c = s.charCodeAt(k);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
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
  for (let i = 0; i < n; i++) {
    const f = fingerprints[i]!;
    if (f.length !== 16) continue;
    const h = hexWord(f, 0);
    const l = hexWord(f, 8);
    if (h < 0 || l < 0) continue;
    hi[i] = h;
    lo[i] = l;
    valid[i] = 1;
  }
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
  // Buckets as linked lists in typed arrays (members in arrival order): one small array per band
  // and fingerprint was most of the time and garbage at a large organisation's volume.
  const bucketOf = new Map<number, number>();
  const first = new Int32Array(BANDS * n);
  const last = new Int32Array(BANDS * n);
  const next = new Int32Array(BANDS * n).fill(-1);
  let buckets = 0;
  for (let i = 0; i < n; i++) {
    if (!valid[i]) continue;
    for (let b = 0; b < BANDS; b++) {
      const word = b < 2 ? hi[i]! : lo[i]!;
      const key = b * 0x10000 + ((b % 2 === 0 ? word >>> 16 : word) & 0xffff);
      const slot = b * n + i;
      const bucket = bucketOf.get(key);
      if (bucket === undefined) {
        bucketOf.set(key, buckets);
        first[buckets] = slot;
        last[buckets] = slot;
        buckets++;
        continue;
      }
      let probes = 0;
      for (let at = first[bucket]!; at !== -1 && probes < BUCKET_PROBES; at = next[at]!, probes++) {
        const j = at - b * n;
        if (popcount(hi[i]! ^ hi[j]!) + popcount(lo[i]! ^ lo[j]!) <= maxDistance) union(i, j);
      }
      next[last[bucket]!] = slot;
      last[bucket] = slot;
    }
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = find(i);
  return out;
}
