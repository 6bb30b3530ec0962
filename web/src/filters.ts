/**
 * The dashboard's filters live in the URL query (`since`, `until`, `team`, `tool`), so a view can
 * be bookmarked, shared and reloaded, and moving between pages keeps them.
 * @module
 */
import { href } from './router.js';

export const FILTER_KEYS = ['since', 'until', 'team', 'tool'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

/** The tools the report API filters by (`REPORT_TOOLS` on the server). */
export const TOOLS = ['claude-code', 'codex', 'gemini-cli'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function readFilters(query: URLSearchParams): Filters {
  const out: Filters = {};
  for (const key of FILTER_KEYS) {
    const v = query.get(key);
    if (v) out[key] = v;
  }
  // A hand-edited URL with a malformed date would only earn a 400 on every request; drop it here.
  if (out.since && !DATE.test(out.since)) delete out.since;
  if (out.until && !DATE.test(out.until)) delete out.until;
  return out;
}

/** A link to `path` that carries the current filters along (and nothing page-specific). */
export function linkWithFilters(path: string, current: URLSearchParams, extra: Record<string, string> = {}) {
  const q = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const v = current.get(key);
    if (v) q.set(key, v);
  }
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return href(path, q);
}

/** The current query with some parameters set (or removed when empty). */
export function withParams(current: URLSearchParams, updates: Record<string, string | undefined>) {
  const q = new URLSearchParams(current);
  for (const [k, v] of Object.entries(updates)) {
    if (v) q.set(k, v);
    else q.delete(k);
  }
  return q;
}
