/**
 * Similarity fingerprint of a human prompt, so repeated near-identical prompts can be found
 * (integrity, DESIGN §7) without ever storing what the person typed.
 *
 * A 64-bit SimHash over word 3-shingles of the normalised text, as 16 hex digits. Two prompts
 * that differ in a few words differ in few bits: compare with `fingerprintDistance`. The text
 * cannot be recovered from it.
 * @module
 */

const SHINGLE = 3;

/** Lower-cases, replaces digits (ids, line numbers, dates) and collapses whitespace and punctuation. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[0-9]+/g, '0')
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((w) => w.length > 0);
}

/** FNV-1a over a string, two independent 32-bit lanes (seeded differently) giving 64 bits. */
function hash64(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return [a >>> 0, b >>> 0];
}

export function promptFingerprint(text: string): string {
  const ws = words(text);
  const weights = new Int32Array(64);
  const shingles: string[] = [];
  if (ws.length < SHINGLE) {
    if (ws.length > 0) shingles.push(ws.join(' '));
  } else {
    for (let i = 0; i + SHINGLE <= ws.length; i++) shingles.push(ws.slice(i, i + SHINGLE).join(' '));
  }
  for (const sh of shingles) {
    const [hi, lo] = hash64(sh);
    for (let bit = 0; bit < 32; bit++) {
      weights[bit]! += (hi >>> bit) & 1 ? 1 : -1;
      weights[bit + 32]! += (lo >>> bit) & 1 ? 1 : -1;
    }
  }
  let hi = 0;
  let lo = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (weights[bit]! > 0) hi |= 1 << bit;
    if (weights[bit + 32]! > 0) lo |= 1 << bit;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** Number of differing bits between two fingerprints (0 = same, ≤ 10 ≈ near-duplicate). */
export function fingerprintDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < 16; i += 8) {
    let x = (Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      d++;
    }
  }
  return d;
}
