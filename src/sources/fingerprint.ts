/**
 * Similarity fingerprint of a human prompt, so repeated near-identical prompts can be found
 * (integrity, DESIGN §7) without ever storing what the person typed.
 *
 * A 64-bit SimHash over word 3-shingles of the normalised text (lower case, every run of digits
 * the same, punctuation and spacing ignored), as 16 hex digits. Two prompts that differ in a few
 * words differ in few bits: compare with `fingerprintDistance`. The text cannot be recovered.
 *
 * It runs once per prompt on every ingest, so it hashes words as it scans the characters
 * instead of splitting and joining strings.
 * @module
 */

const SHINGLE = 3;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Word hashes of the text: letters/digits/underscore form words, any digit run counts as `0`. */
function wordHashes(text: string): number[] {
  const lower = text.toLowerCase();
  const hashes: number[] = [];
  let h = FNV_OFFSET;
  let inWord = false;
  let inDigits = false;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    const isDigit = c >= 48 && c <= 57;
    const isWordChar =
      isDigit || (c >= 97 && c <= 122) || c === 95 || (c >= 0xc0 && isLetterOrNumber(lower[i]!));
    if (!isWordChar) {
      if (inWord) hashes.push(h >>> 0);
      inWord = false;
      inDigits = false;
      h = FNV_OFFSET;
      continue;
    }
    if (isDigit) {
      if (inDigits) continue; // a run of digits hashes as one `0`
      inDigits = true;
      h = Math.imul(h ^ 48, FNV_PRIME);
    } else {
      inDigits = false;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    inWord = true;
  }
  if (inWord) hashes.push(h >>> 0);
  return hashes;
}

const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;
function isLetterOrNumber(ch: string): boolean {
  return LETTER_OR_NUMBER.test(ch);
}

/** Mixes word hashes into two independent 32-bit lanes for one shingle. */
function mix(a: number, b: number): number {
  let x = Math.imul(a ^ (b >>> 15), 0x2c1b3c6d);
  x ^= x >>> 12;
  x = Math.imul(x ^ b, 0x297a2d39);
  return (x ^ (x >>> 15)) >>> 0;
}

export function promptFingerprint(text: string): string {
  const words = wordHashes(text);
  const weights = new Int32Array(64);
  const add = (hi: number, lo: number) => {
    for (let bit = 0; bit < 32; bit++) {
      weights[bit]! += (hi >>> bit) & 1 ? 1 : -1;
      weights[bit + 32]! += (lo >>> bit) & 1 ? 1 : -1;
    }
  };
  if (words.length > 0 && words.length < SHINGLE) {
    let hi = 0x9e3779b9;
    let lo = 0x7f4a7c15;
    for (const w of words) {
      hi = mix(hi, w);
      lo = mix(lo ^ 0x5bd1e995, w);
    }
    add(hi, lo);
  }
  for (let i = 0; i + SHINGLE <= words.length; i++) {
    const hi = mix(mix(mix(0x9e3779b9, words[i]!), words[i + 1]!), words[i + 2]!);
    const lo = mix(mix(mix(0x7f4a7c15, words[i + 2]!), words[i + 1]!), words[i]!);
    add(hi, lo);
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
