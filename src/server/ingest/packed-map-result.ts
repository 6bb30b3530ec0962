/**
 * A mapped OTLP export in the form it crosses from the mapping worker to the main thread: the
 * drafts as columns (pipeline/draft-columns.ts, the local ingest's parse workers use the same),
 * plus what the drafts of an export carry besides, their raw identities, as one reference each.
 *
 * Why not the drafts themselves: structured cloning writes every property name of every object
 * and reads each object back property by property. Over the server bench's exports (100 calls,
 * 220 drafts) that cost 7.3–7.7 µs per call to serialise on the worker and 4.7–4.9 µs to
 * deserialise on the main thread; packed, ~1 and ~0.5 µs (`docs/decisions.md`, "Server
 * throughput", thirteenth session).
 *
 * `unpackMapResult(packMapResult(m))` equals `m` field for field, and drafts that shared an
 * identity object share one again (the person resolver knows identities by reference).
 * @module
 */
import { type DraftColumns, DraftEncoder, decodeDrafts } from '../../pipeline/draft-columns.js';
import type { OtelMapResult } from '../../sources/otel/types.js';

export interface PackedMapResult {
  drafts: DraftColumns;
  identities: Record<string, string>[];
  /** Per draft (usage first, then activity): its identity's index in `identities`. */
  identityRefs: Int32Array;
  items: number;
  rejected: Record<string, number>;
  ignored: Record<string, number>;
}

export function packMapResult(mapped: OtelMapResult): PackedMapResult {
  const encoder = new DraftEncoder();
  const identities: Record<string, string>[] = [];
  const identityRefs = new Int32Array(mapped.usage.length + mapped.activity.length);
  // The drafts of one resource share one identity object: known by reference, kept once per run.
  let last: Record<string, string> | undefined;
  let k = 0;
  const refer = (identity: Record<string, string>) => {
    if (identity !== last) {
      identities.push(identity);
      last = identity;
    }
    identityRefs[k++] = identities.length - 1;
  };
  for (const u of mapped.usage) {
    encoder.addUsage(u.draft);
    refer(u.rawIdentity);
  }
  for (const a of mapped.activity) {
    encoder.addActivity(a.draft);
    refer(a.rawIdentity);
  }
  return {
    drafts: encoder.take(),
    identities,
    identityRefs,
    items: mapped.items,
    rejected: mapped.rejected,
    ignored: mapped.ignored,
  };
}

/** The buffers `postMessage` can move instead of copying. */
export function transferablesOf(packed: PackedMapResult): ArrayBuffer[] {
  return [packed.drafts.numbers.buffer, packed.identityRefs.buffer] as ArrayBuffer[];
}

export function unpackMapResult(packed: PackedMapResult): OtelMapResult {
  const { identities, identityRefs } = packed;
  const usage: OtelMapResult['usage'] = [];
  const activity: OtelMapResult['activity'] = [];
  let k = 0;
  decodeDrafts(
    packed.drafts,
    (draft) => usage.push({ draft, rawIdentity: identities[identityRefs[k++]!]! }),
    (draft) => activity.push({ draft, rawIdentity: identities[identityRefs[k++]!]! }),
  );
  return { usage, activity, items: packed.items, rejected: packed.rejected, ignored: packed.ignored };
}
