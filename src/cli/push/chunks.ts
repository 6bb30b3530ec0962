/**
 * Splits one ingest batch into push bodies that fit the server's body limit.
 *
 * Order is what keeps a split batch safe: the origins to replace go first, then the records,
 * then the checkpoints. A push cut off between two bodies has stored records but not yet the
 * checkpoints that cover them, so the next push reads those files again and upserts the same
 * ids; a whole-file source's file may briefly count short, never twice.
 * @module
 */
import type { ActivityRecord, UsageRecord } from '../../ledger/records.js';
import type { WriteBatch } from '../../ledger/store/store.js';
import { PUSH_VERSION } from '../../server/push/wire.js';
import { PushError } from './client.js';

type Part = 'replaceOrigins' | 'usage' | 'activity' | 'checkpoints';
const PARTS: readonly Part[] = ['replaceOrigins', 'usage', 'activity', 'checkpoints'];

/** The draft a usage record was made from: cost and person are the server's to decide. */
function usageDraft(record: UsageRecord) {
  const { personId: _p, rawIdentity: _r, costUsd: _c, costBasis: _b, priceVersion: _v, ...draft } = record;
  return draft;
}

function activityDraft(record: ActivityRecord) {
  const { personId: _p, ...draft } = record;
  return draft;
}

function serialized(batch: WriteBatch, part: Part): string[] {
  switch (part) {
    case 'replaceOrigins':
      return (batch.replaceOrigins ?? []).map((o) => JSON.stringify(o));
    case 'usage':
      return batch.usage.map((r) => JSON.stringify(usageDraft(r)));
    case 'activity':
      return batch.activity.map((r) => JSON.stringify(activityDraft(r)));
    case 'checkpoints':
      return batch.checkpoints.map((c) => JSON.stringify(c));
  }
}

function envelope(identity: string, parts: Record<Part, string[]>): string {
  const lists = PARTS.map((p) => `"${p}":[${parts[p].join(',')}]`).join(',');
  return `{"version":${PUSH_VERSION},"identity":${identity},${lists}}`;
}

const emptyParts = (): Record<Part, string[]> => ({
  replaceOrigins: [],
  usage: [],
  activity: [],
  checkpoints: [],
});

/**
 * JSON bodies for `batch`, each at most `maxBytes` before compression (the server limits the
 * inflated size too). An empty batch still makes one body, so that its checkpoints are sent.
 */
export function pushBodies(batch: WriteBatch, identity: Record<string, string>, maxBytes: number): string[] {
  const id = JSON.stringify(identity);
  // Headroom for the server's own accounting; the limit is a hard refusal, not a target.
  const budget = Math.floor(maxBytes * 0.95) - Buffer.byteLength(envelope(id, emptyParts()));
  const bodies: string[] = [];
  let current = emptyParts();
  let size = 0;
  let items = 0;
  for (const part of PARTS) {
    for (const item of serialized(batch, part)) {
      const bytes = Buffer.byteLength(item) + 1;
      if (bytes > budget)
        throw new PushError(
          `A ${part} entry is ${bytes} bytes, more than the server accepts in one request (${maxBytes}); raise server.maxBodyBytes.`,
        );
      if (size + bytes > budget && items > 0) {
        bodies.push(envelope(id, current));
        current = emptyParts();
        size = 0;
        items = 0;
      }
      current[part].push(item);
      size += bytes;
      items++;
    }
  }
  if (items > 0 || bodies.length === 0) bodies.push(envelope(id, current));
  return bodies;
}
