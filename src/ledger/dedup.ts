/**
 * Which copy of the same model call to keep (reference/formats.md §1.8 rule 7, §1.10 pitfall 2).
 * Streaming writes one call as several lines whose early copies carry placeholder output
 * counts, so the most complete copy – the largest token total – is the real one. On a tie the
 * copy that knows its `speed` wins (it can be priced for fast mode); otherwise the earlier one stays.
 * The store applies the same rule across batches; this is the in-memory half.
 * @module
 */
import { totalTokens, type UsageDraft } from './records.js';

/** True when `candidate` should replace `kept`. */
export function isBetterCopy(
  candidate: Pick<UsageDraft, 'tokens' | 'speed'>,
  kept: Pick<UsageDraft, 'tokens' | 'speed'>,
): boolean {
  const a = totalTokens(candidate.tokens);
  const b = totalTokens(kept.tokens);
  if (a !== b) return a > b;
  return candidate.speed !== null && kept.speed === null;
}
