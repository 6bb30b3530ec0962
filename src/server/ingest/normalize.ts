/**
 * Turns drafts that arrived over the network into ledger records: the person from the raw
 * identity through the people directory, the cost from the server's price book. A record whose
 * identity resolves to nobody keeps its strongest raw value as its person id, lower-cased, so
 * `tokenyield people unresolved` can list it and a later people file can claim it.
 * @module
 */
import { personForRawIdentity, RAW_IDENTITY_KEYS } from '../../ledger/people/resolve-raw.js';
import type { PeopleDirectory } from '../../ledger/people/types.js';
import { type PriceBook, priceUsage, splitCacheWritesByReportedCost } from '../../ledger/pricing/index.js';
import type { ActivityDraft, ActivityRecord, UsageDraft, UsageRecord } from '../../ledger/records.js';
import type { Attributed } from '../../sources/otel/types.js';

export const UNKNOWN_PERSON = 'unknown';

export type PersonResolver = (raw: Readonly<Record<string, string>>) => string;

/**
 * A resolver with a small cache: telemetry repeats the same few identities thousands of times.
 * `forced` attributes everything to one person (an engineer's own push token).
 */
export function createPersonResolver(directory: PeopleDirectory, forced?: string): PersonResolver {
  const cache = new Map<string, string>();
  // Records of one export share their identity object (AttrView.rawIdentity): known by reference.
  let lastRaw: Readonly<Record<string, string>> | undefined;
  let lastPerson = '';
  return (raw) => {
    if (forced) return forced;
    if (raw === lastRaw) return lastPerson;
    const key = JSON.stringify(raw);
    let person = cache.get(key);
    if (person === undefined) {
      person = personForRawIdentity(directory, raw)?.personId;
      if (person === undefined) {
        const strongest = RAW_IDENTITY_KEYS.find(({ key: k }) => raw[k]);
        person = strongest ? raw[strongest.key]!.toLowerCase() : UNKNOWN_PERSON;
      }
      if (cache.size > 10_000) cache.clear();
      cache.set(key, person);
    }
    lastRaw = raw;
    lastPerson = person;
    return person;
  };
}

export function usageRecord(
  item: Attributed<UsageDraft>,
  person: PersonResolver,
  priceBook: PriceBook,
): UsageRecord {
  const { rawIdentity } = item;
  // OTel reports cache writes without their TTL; the client's own cost usually reveals it.
  const d = splitCacheWritesByReportedCost(priceBook, item.draft);
  const price = priceUsage(priceBook, d);
  // Every field written out: one allocation of one shape. Object.assign({}, draft, extra) built
  // each record property by property, ~2.5 KB of garbage per record and the largest single source
  // of the loaded server's allocation (a spread literal with added keys is slower still).
  return {
    id: d.id,
    ts: d.ts,
    source: d.source,
    tool: d.tool,
    sessionId: d.sessionId,
    parentSessionId: d.parentSessionId,
    requestId: d.requestId,
    messageId: d.messageId,
    model: d.model,
    provider: d.provider,
    speed: d.speed,
    serviceTier: d.serviceTier,
    inferenceGeo: d.inferenceGeo,
    tokens: d.tokens,
    webSearchRequests: d.webSearchRequests,
    credits: d.credits,
    reportedCostUsd: d.reportedCostUsd,
    cwd: d.cwd,
    gitBranch: d.gitBranch,
    project: d.project,
    isSubagent: d.isSubagent,
    isSidechain: d.isSidechain,
    granularity: d.granularity,
    origin: d.origin,
    personId: person(rawIdentity),
    rawIdentity,
    costUsd: price.costUsd,
    costBasis: price.costBasis,
    priceVersion: price.priceVersion,
  };
}

export function activityRecord(item: Attributed<ActivityDraft>, person: PersonResolver): ActivityRecord {
  const d = item.draft;
  return {
    id: d.id,
    ts: d.ts,
    source: d.source,
    tool: d.tool,
    sessionId: d.sessionId,
    kind: d.kind,
    name: d.name,
    promptLength: d.promptLength,
    promptFingerprint: d.promptFingerprint,
    linesAdded: d.linesAdded,
    linesRemoved: d.linesRemoved,
    ref: d.ref,
    cwd: d.cwd,
    gitBranch: d.gitBranch,
    isSubagent: d.isSubagent,
    origin: d.origin,
    personId: person(item.rawIdentity),
  };
}
