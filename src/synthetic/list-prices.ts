/**
 * Anthropic list prices used only to put a reference cost into `truth.json`
 * (reference/formats.md §9.1, page of 2026-08-21). Deliberately independent of the product's
 * own price table: the oracle must not share a bug with the code it checks.
 * @module
 */
import type { CallUsage } from './truth.js';

interface Rate {
  /** USD per million uncached input tokens; cache rates derive from it. */
  input: number;
  output: number;
  /** Whole-request premium above 200k prompt tokens (only models that still carry one). */
  longContext?: { input: number; output: number };
}

const FAMILIES: ReadonlyArray<readonly [RegExp, Rate]> = [
  [/^claude-opus-4-[5-9]/, { input: 5, output: 25 }],
  [/^claude-opus-5/, { input: 5, output: 25 }],
  [/^claude-opus-4(-1)?(-\d{8})?$/, { input: 15, output: 75 }],
  [/^claude-sonnet-4-[6-9]/, { input: 3, output: 15 }],
  // The 2026-08 page serves 4.6+ at standard prices for the full window; earlier Sonnets kept the
  // premium tier, billed on the whole request once the prompt exceeds 200k.
  [/^claude-sonnet-4(-5)?(-\d{8})?$/, { input: 3, output: 15, longContext: { input: 6, output: 22.5 } }],
  [/^claude-sonnet-5/, { input: 2, output: 10 }],
  [/^claude-haiku-4-5/, { input: 1, output: 5 }],
];

const LONG_CONTEXT_THRESHOLD = 200_000;

function rateFor(model: string): Rate | null {
  for (const [re, rate] of FAMILIES) if (re.test(model)) return rate;
  return null;
}

/** Cost of one call at list price, or null when the model has no known price. */
export function listCostUsd(model: string, u: CallUsage): number | null {
  const rate = rateFor(model);
  if (rate === null) return null;
  const prompt = u.inputUncached + u.cacheRead + u.cacheWrite5m + u.cacheWrite1h;
  const r = rate.longContext !== undefined && prompt > LONG_CONTEXT_THRESHOLD ? rate.longContext : rate;
  return (
    (u.inputUncached * r.input +
      u.cacheWrite5m * r.input * 1.25 +
      u.cacheWrite1h * r.input * 2 +
      u.cacheRead * r.input * 0.1 +
      u.output * r.output) /
    1e6
  );
}
