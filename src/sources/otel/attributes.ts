/**
 * Reading attributes the way the tools actually send them: a count may be an `intValue`, a
 * `doubleValue` or a `stringValue` depending on version and path (formats.md §2.5), booleans may be
 * "true"/"false" strings. Record (or data point) attributes win over resource attributes, which
 * carry `OTEL_RESOURCE_ATTRIBUTES` such as `user.email` and `team.id`.
 * @module
 */
import { shortHash } from '../../ledger/ids.js';
import { RAW_IDENTITY_KEYS } from '../../ledger/people/resolve-raw.js';
import type { AttrMap, AttrValue } from './model.js';

/** `count()` of an attribute that is not there. */
export const ABSENT = -1;
/** `count()` of an attribute that is there but not a non-negative integer. */
export const INVALID = -2;

/** A count from any of the encodings a tool uses; `ABSENT` or `INVALID` otherwise. */
export function toCount(v: AttrValue | undefined): number {
  if (v === undefined || v === null) return ABSENT;
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : INVALID;
  if (typeof v !== 'string' || v.length === 0 || v.length > 15) return INVALID;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return INVALID;
    n = n * 10 + d;
  }
  return n;
}

/** A non-negative finite amount (a cost); null when absent or unusable. */
export function toAmount(v: AttrValue | undefined): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** A non-empty string, or a number written as one (ids such as `event.sequence`). */
export function toText(v: AttrValue | undefined): string | null {
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export function toFlag(v: AttrValue | undefined): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'True' || v === 'TRUE') return true;
  if (v === 'false' || v === 'False' || v === 'FALSE') return false;
  return null;
}

/** The last identity `rawIdentity` made, and how many values it has: handed out again while equal. */
let lastIdentity: Readonly<Record<string, string>> = Object.freeze({});
let lastIdentityCount = 0;

/**
 * The attributes of one record over those of its resource. One instance is reset for every
 * record of a request, so reading needs no merged copy.
 */
export class AttributeView {
  own: AttrMap;
  resource: AttrMap;

  constructor(own: AttrMap, resource: AttrMap) {
    this.own = own;
    this.resource = resource;
  }

  reset(own: AttrMap, resource: AttrMap): this {
    this.own = own;
    this.resource = resource;
    return this;
  }

  get(key: string): AttrValue | undefined {
    const v = this.own[key];
    return v !== undefined ? v : this.resource[key];
  }

  text(key: string): string | null {
    return toText(this.get(key));
  }

  count(key: string): number {
    return toCount(this.get(key));
  }

  amount(key: string): number | null {
    return toAmount(this.get(key));
  }

  flag(key: string): boolean | null {
    return toFlag(this.get(key));
  }

  /**
   * The identity attributes the people directory resolves (RAW_IDENTITY_KEYS), as strings; frozen,
   * and the very object of the previous call when every value is the same. The records of an
   * export nearly always share one identity: they then share one object, which costs one record
   * nothing to hold, and the person resolver and the stores know it by reference.
   */
  rawIdentity(): Readonly<Record<string, string>> {
    let same = true;
    let count = 0;
    for (let i = 0; i < RAW_IDENTITY_KEYS.length; i++) {
      const v = toText(this.get(RAW_IDENTITY_KEYS[i]!.key));
      if (v === null) continue;
      count++;
      if (lastIdentity[RAW_IDENTITY_KEYS[i]!.key] !== v) same = false;
    }
    if (same && count === lastIdentityCount) return lastIdentity;
    const out: Record<string, string> = {};
    for (let i = 0; i < RAW_IDENTITY_KEYS.length; i++) {
      const key = RAW_IDENTITY_KEYS[i]!.key;
      const v = toText(this.get(key));
      if (v !== null) out[key] = v;
    }
    lastIdentity = Object.freeze(out);
    lastIdentityCount = count;
    return lastIdentity;
  }
}

/** Attributes in a canonical order (sorted keys), as text; `skip` leaves one key out. */
export function canonicalAttributes(attrs: AttrMap, skip?: string): string {
  const keys = Object.keys(attrs).sort();
  const parts: unknown[] = [];
  for (const key of keys) if (key !== skip) parts.push(key, attrs[key]);
  return JSON.stringify(parts, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
}

/**
 * A counter series: metric name, data point attributes and resource attributes (formats.md §2.7).
 * Hashed, because the attributes include e-mail addresses and are long.
 */
export function seriesHash(metric: string, pointAttrs: AttrMap, resourceText: string, skip?: string): string {
  return shortHash(`${metric}\n${canonicalAttributes(pointAttrs, skip)}\n${resourceText}`);
}
