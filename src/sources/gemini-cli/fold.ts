/**
 * Replays a Gemini CLI chat recording the way Gemini CLI loads it (`loadConversationRecord` in
 * chatRecordingService.ts): records folded by message `id`, last write wins; `$rewindTo` drops that
 * message and everything after it (an unknown id drops everything); `$set.messages` is a checkpoint
 * that replaces the whole list; `$patch.removeIds` / `orderIds` remove and reorder. Besides the
 * resulting conversation it remembers every message ever written, because a rewound or compacted
 * turn was still a billed model call (see README.md).
 * @module
 */
import type { ParseSink } from '../source.js';
import { type Json, type MessageSummary, merge, object, parseTimestamp, str, summarise } from './messages.js';

export interface SessionMeta {
  sessionId: string | null;
  startTime: number | null;
  lastUpdated: number | null;
  kind: string | null;
  directories: string[];
}

export class ChatFold {
  readonly meta: SessionMeta = {
    sessionId: null,
    startTime: null,
    lastUpdated: null,
    kind: null,
    directories: [],
  };
  /** Every message ever written, in order of first appearance, at its latest write. */
  readonly written = new Map<string, MessageSummary>();
  /** The conversation Gemini CLI would resume: ids in order. */
  readonly live = new Map<string, true>();
  private lastModel: string | null = null;

  constructor(private readonly sink: ParseSink) {}

  record(value: unknown): void {
    const r = object(value);
    if (!r) {
      this.sink.skip('not a JSON object');
      return;
    }
    if (typeof r.$rewindTo === 'string') this.rewind(r.$rewindTo);
    else if (object(r.$patch)) this.patch(object(r.$patch)!);
    else if (typeof r.id === 'string') this.message(r, r.id, false);
    else if (object(r.$set)) this.metadata(object(r.$set)!, true);
    else if (typeof r.sessionId === 'string') this.metadata(r, false);
    // Anything else is a record kind this version does not know: ignored.
  }

  /** A whole legacy `ConversationRecord` (`session-*.json`). */
  document(value: unknown): void {
    const r = object(value);
    if (!r || typeof r.sessionId !== 'string') {
      this.sink.skip('not a Gemini CLI conversation');
      return;
    }
    this.metadata(r, false);
  }

  private message(record: Json, id: string, fromCheckpoint: boolean): void {
    const { summary, invalidTokens } = summarise(record, id, this.lastModel, fromCheckpoint);
    if (invalidTokens) this.sink.skip('invalid token counts');
    if (summary.model) this.lastModel = summary.model;
    const before = this.written.get(id);
    this.written.set(id, before ? merge(before, summary) : summary);
    this.live.set(id, true);
  }

  private rewind(id: string): void {
    if (!this.live.has(id)) {
      this.live.clear();
      return;
    }
    let found = false;
    for (const key of [...this.live.keys()]) {
      if (key === id) found = true;
      if (found) this.live.delete(key);
    }
  }

  private patch(p: Json): void {
    if (Array.isArray(p.removeIds)) {
      for (const id of p.removeIds) if (typeof id === 'string') this.live.delete(id);
    }
    if (Array.isArray(p.orderIds)) {
      const ordered = p.orderIds.filter((id): id is string => typeof id === 'string' && this.live.has(id));
      const rest = [...this.live.keys()].filter((id) => !ordered.includes(id));
      this.live.clear();
      for (const id of [...rest, ...ordered]) this.live.set(id, true);
    }
  }

  private metadata(m: Json, isUpdate: boolean): void {
    const meta = this.meta;
    meta.sessionId = str(m.sessionId) ?? meta.sessionId;
    meta.startTime = parseTimestamp(m.startTime) ?? meta.startTime;
    meta.lastUpdated = parseTimestamp(m.lastUpdated) ?? meta.lastUpdated;
    meta.kind = str(m.kind) ?? meta.kind;
    if (Array.isArray(m.directories))
      meta.directories = m.directories.filter((d): d is string => typeof d === 'string');
    if (!Array.isArray(m.messages)) return;
    // In `$set` the list is a checkpoint replacing the conversation; on a metadata line (a legacy
    // record written on one line) it is the conversation itself.
    if (isUpdate) this.live.clear();
    for (const raw of m.messages) {
      const msg = object(raw);
      if (msg && typeof msg.id === 'string') this.message(msg, msg.id, isUpdate);
    }
  }
}
