/**
 * Which copy of a Claude Code model call to keep (reference/formats.md §1.8 rules 5–7).
 *
 * One API response is written as several lines (one per content block, early ones with
 * placeholder `output_tokens`), and the same response can reappear in other files (resumed
 * sessions, `/btw` sidechain replays). The parser emits every copy; the pipeline keeps one per
 * call with these helpers, mirroring ccusage's `should_replace_deduped_entry` and
 * `push_deduped_entry` (`rust/crates/ccusage/src/adapter/claude/mod.rs`).
 * @module
 */
import { isBetterCopy } from '../../ledger/dedup.js';
import type { UsageDraft } from '../../ledger/records.js';

type CallCopy = Pick<UsageDraft, 'messageId' | 'requestId' | 'isSidechain' | 'tokens' | 'speed'>;

/**
 * Whether two drafts are copies of one call: same `message.id` and either the same `requestId`
 * (absent on both counts as the same) or one of them a sidechain copy, since `/btw` replays
 * carry a new `requestId` (ccusage#913). Drafts without a message id are never copies of
 * anything: ccusage cannot tell them apart and counts each.
 */
export function isSameCall(a: CallCopy, b: CallCopy): boolean {
  if (a.messageId === null || b.messageId === null || a.messageId !== b.messageId) return false;
  return (a.requestId ?? null) === (b.requestId ?? null) || a.isSidechain || b.isSidechain;
}

/**
 * The copy to keep of two copies of one call, `existing` first seen:
 * a main-chain copy beats a sidechain copy whatever its size; otherwise the larger total
 * (input + output + cache writes + cache reads) wins, because early streaming lines carry
 * placeholder output counts; on a tie the copy that reports `speed` wins; otherwise `existing`.
 */
export function pickBetter<T extends CallCopy>(existing: T, candidate: T): T {
  if (existing.isSidechain !== candidate.isSidechain) return existing.isSidechain ? candidate : existing;
  return isBetterCopy(candidate, existing) ? candidate : existing;
}
