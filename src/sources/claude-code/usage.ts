/**
 * `message.usage` of an assistant line → canonical token buckets (reference/formats.md §0.3, §1.4).
 * @module
 */
import type { TokenBuckets } from '../../ledger/records.js';
import { ObjectCursor, readCount, readString, WRONG_TYPE } from './json-scan.js';

export interface RawUsage {
  tokens: TokenBuckets;
  webSearchRequests: number;
  speed: 'standard' | 'fast' | null;
  serviceTier: string | null;
  inferenceGeo: string | null;
}

export type UsageResult = RawUsage | 'wrong-type' | 'missing-counts' | 'invalid-json';

/** Scratch space for the scanners: one per parse, so reading a value allocates nothing. */
const endOut = { end: 0 };

/**
 * Splits cache writes by TTL the way ccusage prices them (`cost.rs` `cache_creation_cost`):
 * `cache_creation_input_tokens` is the total, the per-TTL split is clamped into it, and any
 * remainder has an unknown TTL and is billed as 5-minute. Without a split everything is 5-minute.
 */
export function splitCacheWrites(
  total: number | null,
  split5m: number | null,
  split1h: number | null,
  hasSplit: boolean,
): { w5m: number; w1h: number } {
  if (!hasSplit) return { w5m: total ?? 0, w1h: 0 };
  const sum = total ?? (split5m ?? 0) + (split1h ?? 0);
  const five = Math.min(split5m ?? 0, sum);
  const one = Math.min(split1h ?? 0, sum - five);
  return { w5m: sum - one, w1h: one };
}

/** A string member as text; empty and non-strings are "not reported". `endOut.end` is set. */
function readText(b: Buffer, p: number, end: number): string | null {
  const s = readString(b, p, end, endOut);
  return typeof s === 'string' && s !== '' ? s : null;
}

/** Reads one count-valued member; returns false when it has the wrong type. */
function nestedCount(
  c: ObjectCursor,
  key: string,
  b: Buffer,
  end: number,
  into: { v: number | null },
): boolean {
  if (!c.keyIs(key)) return true;
  const v = readCount(b, c.valueStart, end, endOut);
  if (v === WRONG_TYPE) return false;
  into.v = v;
  return true;
}

const usageCursor = new ObjectCursor();
const cacheCursor = new ObjectCursor();
const cur5m = { v: null as number | null };
const cur1h = { v: null as number | null };
const curThinking = { v: null as number | null };
const curSearch = { v: null as number | null };

/**
 * Parses the usage object starting at `p` (its `{`). `out.end` receives the index just past it
 * (-1 when malformed).
 */
export function parseUsage(b: Buffer, p: number, end: number, out: { end: number }): UsageResult {
  out.end = -1;
  const c = usageCursor;
  if (!c.reset(b, p, end)) return 'wrong-type';
  let input: number | null | undefined;
  let output: number | null | undefined;
  let cacheCreation: number | null = null;
  let cacheRead: number | null = null;
  let hasSplit = false;
  cur5m.v = null;
  cur1h.v = null;
  curThinking.v = null;
  curSearch.v = null;
  let speed: RawUsage['speed'] = null;
  let serviceTier: string | null = null;
  let inferenceGeo: string | null = null;
  while (c.next()) {
    const v0 = c.valueStart;
    const k0 = b[c.keyStart];
    // Dispatch on length and first letter before comparing whole keys: this runs for every call.
    switch (c.keyEnd - c.keyStart) {
      case 12: // input_tokens | service_tier
        if (k0 === 0x69 && c.keyIs('input_tokens')) {
          input = readCount(b, v0, end, endOut);
          if (input === WRONG_TYPE) return 'wrong-type';
          c.done(endOut.end);
          continue;
        }
        if (k0 === 0x73 && c.keyIs('service_tier')) {
          serviceTier = readText(b, v0, end);
          if (endOut.end === -1) return 'invalid-json';
          c.done(endOut.end);
          continue;
        }
        break;
      case 13: // output_tokens | inference_geo
        if (k0 === 0x6f && c.keyIs('output_tokens')) {
          output = readCount(b, v0, end, endOut);
          if (output === WRONG_TYPE) return 'wrong-type';
          c.done(endOut.end);
          continue;
        }
        if (k0 === 0x69 && c.keyIs('inference_geo')) {
          inferenceGeo = readText(b, v0, end);
          if (endOut.end === -1) return 'invalid-json';
          c.done(endOut.end);
          continue;
        }
        break;
      case 27:
        if (c.keyIs('cache_creation_input_tokens')) {
          cacheCreation = readCount(b, v0, end, endOut);
          if (cacheCreation === WRONG_TYPE) return 'wrong-type';
          c.done(endOut.end);
          continue;
        }
        break;
      case 23:
        if (c.keyIs('cache_read_input_tokens')) {
          cacheRead = readCount(b, v0, end, endOut);
          if (cacheRead === WRONG_TYPE) return 'wrong-type';
          c.done(endOut.end);
          continue;
        }
        break;
      case 5:
        if (c.keyIs('speed')) {
          const value = readText(b, v0, end);
          if (endOut.end === -1) return 'invalid-json';
          speed = value === 'fast' || value === 'standard' ? value : null;
          c.done(endOut.end);
          continue;
        }
        break;
      case 14: // cache_creation
      case 21: // output_tokens_details
      case 15: {
        // server_tool_use
        const which = c.keyIs('cache_creation')
          ? 0
          : c.keyIs('output_tokens_details')
            ? 1
            : c.keyIs('server_tool_use')
              ? 2
              : -1;
        if (which === -1) break;
        if (b[v0] !== 0x7b) {
          // `null` here means "not reported"; any other non-object is a type error.
          if (readCount(b, v0, end, endOut) !== null) return 'wrong-type';
          c.done(endOut.end);
          continue;
        }
        if (which === 0) hasSplit = true;
        const n = cacheCursor;
        n.reset(b, v0, end);
        while (n.next()) {
          const ok =
            which === 0
              ? nestedCount(n, 'ephemeral_5m_input_tokens', b, end, cur5m) &&
                nestedCount(n, 'ephemeral_1h_input_tokens', b, end, cur1h)
              : which === 1
                ? nestedCount(n, 'thinking_tokens', b, end, curThinking)
                : nestedCount(n, 'web_search_requests', b, end, curSearch);
          if (!ok) return 'wrong-type';
          if (!n.skip()) return 'invalid-json';
        }
        if (n.failed) return 'invalid-json';
        c.done(n.position);
        continue;
      }
    }
    if (!c.skip()) return 'invalid-json';
  }
  if (c.failed) return 'invalid-json';
  out.end = c.position;
  if (input === undefined || output === undefined) return 'missing-counts';
  if (input === null || output === null) return 'wrong-type';
  const { w5m, w1h } = splitCacheWrites(cacheCreation, cur5m.v, cur1h.v, hasSplit);
  return {
    tokens: {
      inputUncached: input,
      cacheRead: cacheRead ?? 0,
      cacheWrite5m: w5m,
      cacheWrite1h: w1h,
      cacheWriteOther: 0,
      output,
      reasoning: curThinking.v ?? 0,
    },
    webSearchRequests: curSearch.v ?? 0,
    speed,
    serviceTier,
    inferenceGeo,
  };
}
