/** Token-bucket helpers shared by the source tests. */
import { EMPTY_TOKENS, type TokenBuckets, type UsageDraft } from '../../src/ledger/records.js';

/** Buckets with the given values and zero elsewhere. */
export function tokens(t: Partial<TokenBuckets>): TokenBuckets {
  return { ...EMPTY_TOKENS, ...t };
}

/** Bucket-by-bucket sum over usage drafts. */
export function sumTokens(usage: readonly UsageDraft[]): TokenBuckets {
  const t = tokens({});
  for (const u of usage) for (const k of Object.keys(t) as Array<keyof TokenBuckets>) t[k] += u.tokens[k];
  return t;
}
