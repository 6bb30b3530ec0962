/**
 * `JSON.parse` of a large UTF-8 JSON text without ever holding it as one string.
 *
 * V8 allocates every string over 128 KiB in its large-object space, each on freshly mapped pages
 * that are unmapped again at the next scavenge. Decoding 197 KB of JSON to a string therefore cost
 * ~1.1 ms, nearly all of it page faults, against 16 µs for 118 KB; under load that was 28 % of the
 * decoding thread's time. Bodies of a few hundred kilobytes are what exporters send in bursts (the
 * OTel JS SDK batches up to 512 log records) and what gateways send all the time.
 *
 * So a large text is cut, at boundaries between elements of one array, into pieces of at most
 * `PIECE_BYTES`; each piece is parsed alone as `[piece]`, and the rest of the text (the "outer"),
 * with one placeholder string in place of each run of pieces, is parsed and the pieces' elements
 * are put back in the placeholders' places.
 *
 * Where the cuts go is a guess (after `}` and before `{"key"`, for keys the caller names), but the
 * result never depends on the guess being right. A piece is used only if it parses alone as a
 * list of values, and the outer only if it parses with each placeholder exactly once, as an array
 * element. A placeholder starts with a backslash escape, so the outer cannot parse if a cut fell
 * inside a string; an array element after a comma cannot be an object's key, so a cut that
 * parses is between two elements of an array. Then the original text parses too, to the same
 * value. Anything else falls back to one `JSON.parse` of the whole text, which also gives
 * invalid input its usual error: `TypeError` for bytes that are not UTF-8, `SyntaxError` for
 * text that is not JSON.
 * @module
 */
import { randomBytes } from 'node:crypto';

/**
 * Bytes per piece: at most as many characters, so that even a two-byte string (text outside
 * Latin-1) stays under V8's 128 KiB limit for ordinary heap objects.
 */
export const PIECE_BYTES = 48 * 1024;
/** Pieces that fail to parse before a key is given up as the wrong place to cut. */
const MAX_FAILURES = 8;

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Placeholders carry a per-process secret, so that no text sent to us can contain one. */
const PLACEHOLDER = `\u0000tokenyield:${randomBytes(8).toString('hex')}:`;

/** A run of consecutive pieces: the commas before its first and after its last element. */
export interface Run {
  from: number;
  to: number;
  elements: unknown[][];
}

/** How a text is cut: runs of parsed pieces, and how many bytes the outer keeps. */
export interface Plan {
  runs: Run[];
  outerBytes: number;
}

/**
 * Parses UTF-8 JSON `bytes` as `JSON.parse` would. `elementStarts` are keys that begin the
 * elements of the text's large arrays, innermost arrays first (e.g. a log record's first key
 * before a resource's): a cut goes before `{"<key>"` where it follows `},`.
 */
export function parseJsonInPieces(bytes: Uint8Array, elementStarts: readonly string[]): unknown {
  if (bytes.length <= PIECE_BYTES) return JSON.parse(utf8.decode(bytes));
  const plan = planPieces(bytes, elementStarts);
  return (plan && parsePlanned(bytes, plan)) ?? JSON.parse(utf8.decode(bytes));
}

/**
 * The first key's plan whose outer fits in two pieces, else the one whose outer is smallest;
 * null when no key gives a single piece that parses.
 */
export function planPieces(bytes: Uint8Array, elementStarts: readonly string[]): Plan | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let best: Plan | null = null;
  for (const key of elementStarts) {
    const plan = planFor(text, Buffer.from(`},{"${key}"`));
    if (plan.runs.length === 0) continue;
    if (plan.outerBytes <= 2 * PIECE_BYTES) return plan;
    if (!best || plan.outerBytes < best.outerBytes) best = plan;
  }
  return best;
}

/**
 * Walks the occurrences of `boundary` (`},{"key"`), taking the largest stretch of whole elements
 * up to `PIECE_BYTES` from each cut. A stretch that does not parse is halved until it does, or,
 * down to one element, is left in the outer: it crosses the end of its array (or is not JSON).
 */
function planFor(text: Buffer, boundary: Buffer): Plan {
  const runs: Run[] = [];
  let run: Run | null = null;
  let failures = 0;
  let at = text.indexOf(boundary);
  let window = PIECE_BYTES;
  // The rest after the last cut stays in the outer: stop once it would fit in half a piece.
  while (at >= 0 && text.length - at > PIECE_BYTES / 2 && failures < MAX_FAILURES) {
    const following = text.indexOf(boundary, at + 1);
    if (following < 0) break;
    const before = text.lastIndexOf(boundary, at + window);
    const next = before > at ? before : following;
    // Cuts are at the comma after `}`; a piece is the elements between two of them.
    const elements = parseList(text, at + 2, next + 1);
    if (elements) {
      if (!run) {
        run = { from: at + 1, to: next + 1, elements: [] };
        runs.push(run);
      }
      run.elements.push(elements);
      run.to = next + 1;
      at = next;
      window = PIECE_BYTES;
      continue;
    }
    failures++;
    if (next === following) {
      run = null;
      at = following;
      window = PIECE_BYTES;
    } else window = (next - at) >> 1;
  }
  let removed = 0;
  for (const r of runs) removed += r.to - r.from;
  return { runs, outerBytes: text.length - removed };
}

function parseList(text: Buffer, start: number, end: number): unknown[] | null {
  try {
    return JSON.parse(`[${utf8.decode(text.subarray(start, end))}]`) as unknown[];
  } catch {
    return null;
  }
}

/** The value of the whole text from `plan`, or null if the outer does not bear the plan out. */
function parsePlanned(bytes: Uint8Array, plan: Plan): unknown {
  let outer = '';
  let at = 0;
  for (const [i, run] of plan.runs.entries()) {
    outer += `${utf8.decode(bytes.subarray(at, run.from))},${JSON.stringify(PLACEHOLDER + i)}`;
    at = run.to;
  }
  outer += utf8.decode(bytes.subarray(at));
  let root: unknown;
  try {
    root = JSON.parse(outer);
  } catch {
    return null;
  }
  const found = findPlaceholders(root, plan.runs.length);
  if (!found) return null;
  for (const [array, indexes] of found) {
    const items = [...expand(array, indexes, plan.runs)];
    // Not `splice(0, n, ...items)`: thousands of arguments could overflow the stack.
    array.length = 0;
    for (const item of items) array.push(item);
  }
  return root;
}

/** Each array holding placeholders, with the run number at each index that holds one. */
function findPlaceholders(root: unknown, count: number): Map<unknown[], Map<number, number>> | null {
  const found = new Map<unknown[], Map<number, number>>();
  const seen = new Set<number>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (!Array.isArray(value)) {
      for (const key in value) stack.push((value as Record<string, unknown>)[key]);
      continue;
    }
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string' && item.startsWith(PLACEHOLDER)) {
        const run = Number(item.slice(PLACEHOLDER.length));
        if (!Number.isInteger(run) || run < 0 || run >= count || seen.has(run)) return null;
        seen.add(run);
        let indexes = found.get(value);
        if (!indexes) {
          indexes = new Map<number, number>();
          found.set(value, indexes);
        }
        indexes.set(i, run);
      } else stack.push(item);
    }
  }
  return seen.size === count ? found : null;
}

function* expand(array: unknown[], indexes: Map<number, number>, runs: Run[]): Generator<unknown> {
  for (let i = 0; i < array.length; i++) {
    const run = indexes.get(i);
    if (run === undefined) yield array[i];
    else for (const piece of runs[run]?.elements ?? []) yield* piece;
  }
}
