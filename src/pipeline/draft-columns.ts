/**
 * Drafts as columns, for handing them from a worker thread to the thread that writes the ledger:
 * the local ingest's parse workers, and the server's OTLP mapping worker (packed-map-result.ts).
 *
 * Posting the draft objects themselves makes the receiving thread deserialise every property
 * name and value of ~30 fields per record (structured clone); here the numbers travel in one
 * Float64Array (transferred, not copied) and every string once per batch in a string table, with
 * the records referring to it by index. Repeated strings (session, model, paths, origin) are
 * shared by the decoded records, which also keeps the receiving heap smaller.
 * @module
 */
import type { ActivityDraft, ActivityKind, UsageDraft } from '../ledger/records.js';

/** What crosses the thread boundary; `numbers.buffer` is in the transfer list. */
export interface DraftColumns {
  strings: string[];
  usageCount: number;
  activityCount: number;
  /** Per record: its numeric fields, then its string fields as indexes (-1 for null). */
  numbers: Float64Array;
}

// Numbers that may be null travel as NaN: no real count, cost or time is NaN.
const USAGE_WIDTH = 13 + 17;
const ACTIVITY_WIDTH = 6 + 10;

const num = (v: number | null): number => (v === null ? Number.NaN : v);
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export class DraftEncoder {
  private strings: string[] = [];
  private index = new Map<string, number>();
  // Per field, its last value and index: consecutive records mostly repeat a field's value
  // (session, model, origin…), and comparing with the last one saves hashing it for the map.
  private lastValue: (string | null)[] = [];
  private lastIndex: number[] = [];
  private usage: UsageDraft[] = [];
  private activity: ActivityDraft[] = [];

  get size(): number {
    return this.usage.length + this.activity.length;
  }

  addUsage(d: UsageDraft): void {
    this.usage.push(d);
  }

  addActivity(d: ActivityDraft): void {
    this.activity.push(d);
  }

  private str(field: number, s: string | null): number {
    if (s === null) return -1;
    if (s === this.lastValue[field]) return this.lastIndex[field]!;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    this.lastValue[field] = s;
    this.lastIndex[field] = i;
    return i;
  }

  /** Encodes what was added since the last call and starts over. */
  take(): DraftColumns {
    const { usage, activity } = this;
    const numbers = new Float64Array(usage.length * USAGE_WIDTH + activity.length * ACTIVITY_WIDTH);
    let p = 0;
    for (const d of usage) {
      const t = d.tokens;
      numbers[p++] = d.ts;
      numbers[p++] = t.inputUncached;
      numbers[p++] = t.cacheRead;
      numbers[p++] = t.cacheWrite5m;
      numbers[p++] = t.cacheWrite1h;
      numbers[p++] = t.cacheWriteOther;
      numbers[p++] = t.output;
      numbers[p++] = t.reasoning;
      numbers[p++] = d.webSearchRequests;
      numbers[p++] = num(d.credits);
      numbers[p++] = num(d.reportedCostUsd);
      numbers[p++] = d.isSubagent ? 1 : 0;
      numbers[p++] = d.isSidechain ? 1 : 0;
      numbers[p++] = this.str(0, d.id);
      numbers[p++] = this.str(1, d.source);
      numbers[p++] = this.str(2, d.tool);
      numbers[p++] = this.str(3, d.sessionId);
      numbers[p++] = this.str(4, d.parentSessionId);
      numbers[p++] = this.str(5, d.requestId);
      numbers[p++] = this.str(6, d.messageId);
      numbers[p++] = this.str(7, d.model);
      numbers[p++] = this.str(8, d.provider);
      numbers[p++] = this.str(9, d.speed);
      numbers[p++] = this.str(10, d.serviceTier);
      numbers[p++] = this.str(11, d.inferenceGeo);
      numbers[p++] = this.str(12, d.cwd);
      numbers[p++] = this.str(13, d.gitBranch);
      numbers[p++] = this.str(14, d.project);
      numbers[p++] = this.str(15, d.granularity);
      numbers[p++] = this.str(16, d.origin);
    }
    for (const d of activity) {
      numbers[p++] = d.ts;
      numbers[p++] = num(d.promptLength);
      numbers[p++] = d.linesAdded;
      numbers[p++] = d.linesRemoved;
      numbers[p++] = d.isSubagent ? 1 : 0;
      numbers[p++] = this.str(17, d.origin);
      numbers[p++] = this.str(18, d.id);
      numbers[p++] = this.str(19, d.source);
      numbers[p++] = this.str(20, d.tool);
      numbers[p++] = this.str(21, d.sessionId);
      numbers[p++] = this.str(22, d.kind);
      numbers[p++] = this.str(23, d.name);
      numbers[p++] = this.str(24, d.promptFingerprint);
      numbers[p++] = this.str(25, d.ref);
      numbers[p++] = this.str(26, d.cwd);
      numbers[p++] = this.str(27, d.gitBranch);
    }
    const out: DraftColumns = {
      strings: this.strings,
      usageCount: usage.length,
      activityCount: activity.length,
      numbers,
    };
    this.strings = [];
    this.index = new Map();
    this.lastValue = [];
    this.lastIndex = [];
    this.usage = [];
    this.activity = [];
    return out;
  }
}

/** Calls `onUsage`/`onActivity` with the decoded drafts, in the order they were added. */
export function decodeDrafts(
  c: DraftColumns,
  onUsage: (d: UsageDraft) => void,
  onActivity: (d: ActivityDraft) => void,
): void {
  const n = c.numbers;
  const s = c.strings;
  const str = (i: number): string | null => (i < 0 ? null : s[i]!);
  let p = 0;
  for (let r = 0; r < c.usageCount; r++, p += USAGE_WIDTH) {
    onUsage({
      id: s[n[p + 13]!]!,
      ts: n[p]!,
      source: s[n[p + 14]!] as UsageDraft['source'],
      tool: s[n[p + 15]!] as UsageDraft['tool'],
      sessionId: s[n[p + 16]!]!,
      parentSessionId: str(n[p + 17]!),
      requestId: str(n[p + 18]!),
      messageId: str(n[p + 19]!),
      model: str(n[p + 20]!),
      provider: s[n[p + 21]!] as UsageDraft['provider'],
      speed: str(n[p + 22]!) as UsageDraft['speed'],
      serviceTier: str(n[p + 23]!),
      inferenceGeo: str(n[p + 24]!),
      tokens: {
        inputUncached: n[p + 1]!,
        cacheRead: n[p + 2]!,
        cacheWrite5m: n[p + 3]!,
        cacheWrite1h: n[p + 4]!,
        cacheWriteOther: n[p + 5]!,
        output: n[p + 6]!,
        reasoning: n[p + 7]!,
      },
      webSearchRequests: n[p + 8]!,
      credits: orNull(n[p + 9]!),
      reportedCostUsd: orNull(n[p + 10]!),
      cwd: str(n[p + 25]!),
      gitBranch: str(n[p + 26]!),
      project: str(n[p + 27]!),
      isSubagent: n[p + 11] === 1,
      isSidechain: n[p + 12] === 1,
      granularity: s[n[p + 28]!] as UsageDraft['granularity'],
      origin: s[n[p + 29]!]!,
    });
  }
  for (let r = 0; r < c.activityCount; r++, p += ACTIVITY_WIDTH) {
    onActivity({
      id: s[n[p + 6]!]!,
      ts: n[p]!,
      source: s[n[p + 7]!] as ActivityDraft['source'],
      tool: s[n[p + 8]!] as ActivityDraft['tool'],
      sessionId: s[n[p + 9]!]!,
      kind: s[n[p + 10]!] as ActivityKind,
      name: str(n[p + 11]!),
      promptLength: orNull(n[p + 1]!),
      promptFingerprint: str(n[p + 12]!),
      linesAdded: n[p + 2]!,
      linesRemoved: n[p + 3]!,
      ref: str(n[p + 13]!),
      cwd: str(n[p + 14]!),
      gitBranch: str(n[p + 15]!),
      isSubagent: n[p + 4] === 1,
      origin: s[n[p + 5]!]!,
    });
  }
}
