/**
 * A usage draft from telemetry. OTel events and metrics never carry what the file readers find
 * beside a call (parent session, service tier, region, web searches, credits, working directory,
 * branch, project), so those are always empty here and each mapper names only what its signal
 * knows.
 * @module
 */
import type { UsageDraft } from '../../ledger/records.js';

export type TelemetryUsage = Pick<
  UsageDraft,
  | 'id'
  | 'ts'
  | 'source'
  | 'tool'
  | 'sessionId'
  | 'requestId'
  | 'messageId'
  | 'model'
  | 'provider'
  | 'speed'
  | 'tokens'
  | 'reportedCostUsd'
  | 'isSubagent'
  | 'isSidechain'
  | 'granularity'
  | 'origin'
>;

export function telemetryUsageDraft(u: TelemetryUsage): UsageDraft {
  // Every field written out, in one order: records of one shape keep V8 on its fast paths.
  return {
    id: u.id,
    ts: u.ts,
    source: u.source,
    tool: u.tool,
    sessionId: u.sessionId,
    parentSessionId: null,
    requestId: u.requestId,
    messageId: u.messageId,
    model: u.model,
    provider: u.provider,
    speed: u.speed,
    serviceTier: null,
    inferenceGeo: null,
    tokens: u.tokens,
    webSearchRequests: 0,
    credits: null,
    reportedCostUsd: u.reportedCostUsd,
    cwd: null,
    gitBranch: null,
    project: null,
    isSubagent: u.isSubagent,
    isSidechain: u.isSidechain,
    granularity: u.granularity,
    origin: u.origin,
  };
}
