/**
 * Builds an activity draft from what a source knows about the line (where, who, when) and the
 * fields of this kind of activity; absent fields get their neutral value, so every source
 * emits the same complete shape.
 * @module
 */
import type { ActivityDraft } from '../ledger/records.js';

/** The per-kind fields of an activity; anything left out is null (or 0 for line counts). */
export type ActivityFields = Partial<
  Pick<ActivityDraft, 'name' | 'promptLength' | 'promptFingerprint' | 'linesAdded' | 'linesRemoved' | 'ref'>
>;

export type ActivityContext = Pick<
  ActivityDraft,
  'id' | 'ts' | 'source' | 'tool' | 'sessionId' | 'kind' | 'cwd' | 'gitBranch' | 'isSubagent' | 'origin'
>;

export function activityDraft(context: ActivityContext, fields: ActivityFields): ActivityDraft {
  return {
    id: context.id,
    ts: context.ts,
    source: context.source,
    tool: context.tool,
    sessionId: context.sessionId,
    kind: context.kind,
    name: fields.name ?? null,
    promptLength: fields.promptLength ?? null,
    promptFingerprint: fields.promptFingerprint ?? null,
    linesAdded: fields.linesAdded ?? 0,
    linesRemoved: fields.linesRemoved ?? 0,
    ref: fields.ref ?? null,
    cwd: context.cwd,
    gitBranch: context.gitBranch,
    isSubagent: context.isSubagent,
    origin: context.origin,
  };
}
