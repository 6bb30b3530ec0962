/**
 * A mapped OTLP export in the form it crosses from the mapping worker to the main thread: the
 * drafts' numbers and flags in typed arrays (transferred, not copied), their strings in one
 * table, each string once per run of drafts that repeat it.
 *
 * Why not the drafts themselves: structured cloning writes every property name of every object
 * and reads each object back property by property. Over the server bench's exports (100 calls,
 * 220 drafts) that cost 7.3–7.7 µs per call to serialise on the worker and 4.7–4.9 µs to
 * deserialise on the main thread; packed, 1.1–1.4 and 1.2 µs (`docs/decisions.md`, "Server
 * throughput", thirteenth session).
 *
 * `unpackMapResult(packMapResult(m))` equals `m` field for field (a string field's `undefined`
 * comes back `null`; the drafts' types have none).
 * @module
 */
import type { ActivityDraft, ActivityKind, TokenBuckets, UsageDraft } from '../../ledger/records.js';
import type { Attributed, OtelMapResult } from '../../sources/otel/types.js';

export interface PackedDrafts {
  count: number;
  /** Per draft: its string fields' indexes into `strings` (-1 for null), then its identity's. */
  refs: Int32Array;
  numbers: Float64Array;
  /** Per draft: booleans, and which nullable numbers are null. */
  flags: Uint8Array;
}

export interface PackedMapResult {
  strings: string[];
  identities: Record<string, string>[];
  usage: PackedDrafts;
  activity: PackedDrafts;
  items: number;
  rejected: Record<string, number>;
  ignored: Record<string, number>;
}

const NULL_REF = -1;

/*
 * Field slots. The table below is checked against the draft types (a field added to a draft and
 * not listed here fails type checking); pack and unpack are written out field by field, because
 * objects built from a literal share one shape and are several times cheaper to make than ones
 * assigned key by key.
 */
type Slot = 'string' | 'number' | 'nullable number' | 'flag' | 'tokens';
const USAGE_FIELDS = {
  id: 'string',
  ts: 'number',
  source: 'string',
  tool: 'string',
  sessionId: 'string',
  parentSessionId: 'string',
  requestId: 'string',
  messageId: 'string',
  model: 'string',
  provider: 'string',
  speed: 'string',
  serviceTier: 'string',
  inferenceGeo: 'string',
  tokens: 'tokens',
  webSearchRequests: 'number',
  credits: 'nullable number',
  reportedCostUsd: 'nullable number',
  cwd: 'string',
  gitBranch: 'string',
  project: 'string',
  isSubagent: 'flag',
  isSidechain: 'flag',
  granularity: 'string',
  origin: 'string',
} as const satisfies { [K in keyof Required<UsageDraft>]: Slot };

const ACTIVITY_FIELDS = {
  id: 'string',
  ts: 'number',
  source: 'string',
  tool: 'string',
  sessionId: 'string',
  kind: 'string',
  name: 'string',
  promptLength: 'nullable number',
  promptFingerprint: 'string',
  linesAdded: 'number',
  linesRemoved: 'number',
  ref: 'string',
  cwd: 'string',
  gitBranch: 'string',
  isSubagent: 'flag',
  origin: 'string',
} as const satisfies { [K in keyof Required<ActivityDraft>]: Slot };

const TOKEN_FIELDS = Object.keys({
  inputUncached: 0,
  cacheRead: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheWriteOther: 0,
  output: 0,
  reasoning: 0,
} satisfies { [K in keyof Required<TokenBuckets>]: 0 }).length;

function countOf(fields: Record<string, Slot>, slot: Slot): number {
  return Object.values(fields).filter((s) => s === slot).length;
}

/** References per draft: one per string field, plus the identity. */
const USAGE_REFS = countOf(USAGE_FIELDS, 'string') + 1;
const USAGE_NUMBERS =
  countOf(USAGE_FIELDS, 'number') + countOf(USAGE_FIELDS, 'nullable number') + TOKEN_FIELDS;
const ACTIVITY_REFS = countOf(ACTIVITY_FIELDS, 'string') + 1;
const ACTIVITY_NUMBERS = countOf(ACTIVITY_FIELDS, 'number') + countOf(ACTIVITY_FIELDS, 'nullable number');

// Flag bits.
const SUBAGENT = 1;
const SIDECHAIN = 2;
const NO_CREDITS = 4;
const NO_REPORTED_COST = 8;
const NO_PROMPT_LENGTH = 4;

/**
 * The string table. Consecutive drafts mostly repeat a field's value (one session's calls share
 * its session, model, origin…): a value equal to the one the same slot had last takes its index.
 * Compared, not hashed, so a unique string (an id) costs one comparison that fails on its length
 * or first characters.
 */
class Strings {
  readonly values: string[] = [];
  private readonly last: (string | undefined)[] = [];
  private readonly lastRef: number[] = [];

  ref(slot: number, value: string | null | undefined): number {
    if (value == null) return NULL_REF;
    if (value === this.last[slot]) return this.lastRef[slot]!;
    const ref = this.values.push(value) - 1;
    this.last[slot] = value;
    this.lastRef[slot] = ref;
    return ref;
  }
}

/** Identities by reference: the drafts of one resource share one object. */
class Identities {
  readonly values: Record<string, string>[] = [];
  private last: Record<string, string> | undefined;

  ref(identity: Record<string, string>): number {
    if (identity !== this.last) {
      this.values.push(identity);
      this.last = identity;
    }
    return this.values.length - 1;
  }
}

function packUsage(items: readonly Attributed<UsageDraft>[], s: Strings, ids: Identities): PackedDrafts {
  const count = items.length;
  const refs = new Int32Array(count * USAGE_REFS);
  const numbers = new Float64Array(count * USAGE_NUMBERS);
  const flags = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const { draft: d, rawIdentity } = items[i]!;
    let r = i * USAGE_REFS;
    refs[r++] = s.ref(0, d.id);
    refs[r++] = s.ref(1, d.source);
    refs[r++] = s.ref(2, d.tool);
    refs[r++] = s.ref(3, d.sessionId);
    refs[r++] = s.ref(4, d.parentSessionId);
    refs[r++] = s.ref(5, d.requestId);
    refs[r++] = s.ref(6, d.messageId);
    refs[r++] = s.ref(7, d.model);
    refs[r++] = s.ref(8, d.provider);
    refs[r++] = s.ref(9, d.speed);
    refs[r++] = s.ref(10, d.serviceTier);
    refs[r++] = s.ref(11, d.inferenceGeo);
    refs[r++] = s.ref(12, d.cwd);
    refs[r++] = s.ref(13, d.gitBranch);
    refs[r++] = s.ref(14, d.project);
    refs[r++] = s.ref(15, d.granularity);
    refs[r++] = s.ref(16, d.origin);
    refs[r] = ids.ref(rawIdentity);
    let n = i * USAGE_NUMBERS;
    const t = d.tokens;
    numbers[n++] = d.ts;
    numbers[n++] = t.inputUncached;
    numbers[n++] = t.cacheRead;
    numbers[n++] = t.cacheWrite5m;
    numbers[n++] = t.cacheWrite1h;
    numbers[n++] = t.cacheWriteOther;
    numbers[n++] = t.output;
    numbers[n++] = t.reasoning;
    numbers[n++] = d.webSearchRequests;
    numbers[n++] = d.credits ?? 0;
    numbers[n] = d.reportedCostUsd ?? 0;
    flags[i] =
      (d.isSubagent ? SUBAGENT : 0) |
      (d.isSidechain ? SIDECHAIN : 0) |
      (d.credits === null ? NO_CREDITS : 0) |
      (d.reportedCostUsd === null ? NO_REPORTED_COST : 0);
  }
  return { count, refs, numbers, flags };
}

function packActivity(
  items: readonly Attributed<ActivityDraft>[],
  s: Strings,
  ids: Identities,
): PackedDrafts {
  const count = items.length;
  const refs = new Int32Array(count * ACTIVITY_REFS);
  const numbers = new Float64Array(count * ACTIVITY_NUMBERS);
  const flags = new Uint8Array(count);
  // Slots after usage's: the two kinds of draft alternate, and would otherwise break each other's runs.
  for (let i = 0; i < count; i++) {
    const { draft: d, rawIdentity } = items[i]!;
    let r = i * ACTIVITY_REFS;
    refs[r++] = s.ref(20, d.id);
    refs[r++] = s.ref(21, d.source);
    refs[r++] = s.ref(22, d.tool);
    refs[r++] = s.ref(23, d.sessionId);
    refs[r++] = s.ref(24, d.kind);
    refs[r++] = s.ref(25, d.name);
    refs[r++] = s.ref(26, d.promptFingerprint);
    refs[r++] = s.ref(27, d.ref);
    refs[r++] = s.ref(28, d.cwd);
    refs[r++] = s.ref(29, d.gitBranch);
    refs[r++] = s.ref(30, d.origin);
    refs[r] = ids.ref(rawIdentity);
    let n = i * ACTIVITY_NUMBERS;
    numbers[n++] = d.ts;
    numbers[n++] = d.linesAdded;
    numbers[n++] = d.linesRemoved;
    numbers[n] = d.promptLength ?? 0;
    flags[i] = (d.isSubagent ? SUBAGENT : 0) | (d.promptLength === null ? NO_PROMPT_LENGTH : 0);
  }
  return { count, refs, numbers, flags };
}

export function packMapResult(mapped: OtelMapResult): PackedMapResult {
  const strings = new Strings();
  const identities = new Identities();
  return {
    usage: packUsage(mapped.usage, strings, identities),
    activity: packActivity(mapped.activity, strings, identities),
    strings: strings.values,
    identities: identities.values,
    items: mapped.items,
    rejected: mapped.rejected,
    ignored: mapped.ignored,
  };
}

/** The buffers `postMessage` can move instead of copying. */
export function transferablesOf(packed: PackedMapResult): ArrayBuffer[] {
  const { usage, activity } = packed;
  return [usage, activity].flatMap((p) => [p.refs.buffer, p.numbers.buffer, p.flags.buffer]) as ArrayBuffer[];
}

function unpackUsage(
  { count, refs, numbers, flags }: PackedDrafts,
  strings: readonly string[],
  identities: readonly Record<string, string>[],
): Attributed<UsageDraft>[] {
  const text = (ref: number) => (ref === NULL_REF ? null : strings[ref]!);
  const out = new Array<Attributed<UsageDraft>>(count);
  for (let i = 0; i < count; i++) {
    const r = i * USAGE_REFS;
    const n = i * USAGE_NUMBERS;
    const f = flags[i]!;
    out[i] = {
      draft: {
        id: strings[refs[r]!]!,
        ts: numbers[n]!,
        source: strings[refs[r + 1]!]! as UsageDraft['source'],
        tool: strings[refs[r + 2]!]! as UsageDraft['tool'],
        sessionId: strings[refs[r + 3]!]!,
        parentSessionId: text(refs[r + 4]!),
        requestId: text(refs[r + 5]!),
        messageId: text(refs[r + 6]!),
        model: text(refs[r + 7]!),
        provider: strings[refs[r + 8]!]! as UsageDraft['provider'],
        speed: text(refs[r + 9]!) as UsageDraft['speed'],
        serviceTier: text(refs[r + 10]!),
        inferenceGeo: text(refs[r + 11]!),
        tokens: {
          inputUncached: numbers[n + 1]!,
          cacheRead: numbers[n + 2]!,
          cacheWrite5m: numbers[n + 3]!,
          cacheWrite1h: numbers[n + 4]!,
          cacheWriteOther: numbers[n + 5]!,
          output: numbers[n + 6]!,
          reasoning: numbers[n + 7]!,
        },
        webSearchRequests: numbers[n + 8]!,
        credits: f & NO_CREDITS ? null : numbers[n + 9]!,
        reportedCostUsd: f & NO_REPORTED_COST ? null : numbers[n + 10]!,
        cwd: text(refs[r + 12]!),
        gitBranch: text(refs[r + 13]!),
        project: text(refs[r + 14]!),
        isSubagent: (f & SUBAGENT) !== 0,
        isSidechain: (f & SIDECHAIN) !== 0,
        granularity: strings[refs[r + 15]!]! as UsageDraft['granularity'],
        origin: strings[refs[r + 16]!]!,
      },
      rawIdentity: identities[refs[r + 17]!]!,
    };
  }
  return out;
}

function unpackActivity(
  { count, refs, numbers, flags }: PackedDrafts,
  strings: readonly string[],
  identities: readonly Record<string, string>[],
): Attributed<ActivityDraft>[] {
  const text = (ref: number) => (ref === NULL_REF ? null : strings[ref]!);
  const out = new Array<Attributed<ActivityDraft>>(count);
  for (let i = 0; i < count; i++) {
    const r = i * ACTIVITY_REFS;
    const n = i * ACTIVITY_NUMBERS;
    const f = flags[i]!;
    out[i] = {
      draft: {
        id: strings[refs[r]!]!,
        ts: numbers[n]!,
        source: strings[refs[r + 1]!]! as ActivityDraft['source'],
        tool: strings[refs[r + 2]!]! as ActivityDraft['tool'],
        sessionId: strings[refs[r + 3]!]!,
        kind: strings[refs[r + 4]!]! as ActivityKind,
        name: text(refs[r + 5]!),
        promptLength: f & NO_PROMPT_LENGTH ? null : numbers[n + 3]!,
        promptFingerprint: text(refs[r + 6]!),
        linesAdded: numbers[n + 1]!,
        linesRemoved: numbers[n + 2]!,
        ref: text(refs[r + 7]!),
        cwd: text(refs[r + 8]!),
        gitBranch: text(refs[r + 9]!),
        isSubagent: (f & SUBAGENT) !== 0,
        origin: strings[refs[r + 10]!]!,
      },
      rawIdentity: identities[refs[r + 11]!]!,
    };
  }
  return out;
}

export function unpackMapResult(packed: PackedMapResult): OtelMapResult {
  return {
    usage: unpackUsage(packed.usage, packed.strings, packed.identities),
    activity: unpackActivity(packed.activity, packed.strings, packed.identities),
    items: packed.items,
    rejected: packed.rejected,
    ignored: packed.ignored,
  };
}
