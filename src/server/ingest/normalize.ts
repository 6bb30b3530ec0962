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
  return (raw) => {
    if (forced) return forced;
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
  const draft = splitCacheWritesByReportedCost(priceBook, item.draft);
  const price = priceUsage(priceBook, draft);
  // Object.assign, not a spread literal with added keys: V8 builds the latter on a slow path, ten
  // times the cost of everything else here at tens of thousands of records a second.
  return Object.assign({}, draft, {
    personId: person(rawIdentity),
    rawIdentity,
    costUsd: price.costUsd,
    costBasis: price.costBasis,
    priceVersion: price.priceVersion,
  });
}

export function activityRecord(item: Attributed<ActivityDraft>, person: PersonResolver): ActivityRecord {
  return Object.assign({}, item.draft, { personId: person(item.rawIdentity) });
}
