/**
 * Accumulates one request's mapping result. Every item ends up in exactly one place: it produced
 * drafts, or it is counted under a rejected or an ignored reason; the server derives "accepted" as
 * `items − rejected − ignored`.
 * @module
 */
import type { ActivityDraft, UsageDraft } from '../../ledger/records.js';
import type { OtelMapResult } from './types.js';

/** Reasons are keyed by names the sender chose; past this many a request's extra ones are pooled. */
const MAX_REASONS = 64;
const MAX_NAME = 80;

/** An event or metric name fit for a reason key (bounded length; never attribute values). */
export function nameForReason(name: string): string {
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}…` : name;
}

function bump(map: Record<string, number>, reason: string): void {
  const n = map[reason];
  if (n !== undefined) map[reason] = n + 1;
  else if (Object.keys(map).length < MAX_REASONS) map[reason] = 1;
  else map['other reasons'] = (map['other reasons'] ?? 0) + 1;
}

export class Collector {
  readonly result: OtelMapResult = { usage: [], activity: [], items: 0, rejected: {}, ignored: {} };

  reject(reason: string): void {
    bump(this.result.rejected, reason);
  }

  ignore(reason: string): void {
    bump(this.result.ignored, reason);
  }

  usage(draft: UsageDraft, rawIdentity: Record<string, string>): void {
    this.result.usage.push({ draft, rawIdentity });
  }

  activity(draft: ActivityDraft, rawIdentity: Record<string, string>): void {
    this.result.activity.push({ draft, rawIdentity });
  }
}
