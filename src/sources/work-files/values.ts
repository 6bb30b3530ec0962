/**
 * Cell values of deployment, incident and task files → typed values, throwing `RowError` with a
 * reason fit for the skip summary. CSV gives every cell as text and JSON gives native types, so
 * every reader accepts both (`"true"` and `true`, `"1717000000"` and `1717000000`).
 * @module
 */
import type { DeploymentStatus } from '../../ledger/work.js';

/** Why a row cannot be used; `readWorkFile` records the message with the row number. */
export class RowError extends Error {
  override readonly name = 'RowError';
}

/** Text of a cell; null when empty or absent. Numbers are accepted where ids are expected. */
export function optionalText(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') throw new RowError(`${field}: expected text, got ${typeOf(value)}`);
  const t = value.trim();
  return t === '' ? null : t;
}

export function requiredText(value: unknown, field: string): string {
  const t = optionalText(value, field);
  if (t === null) throw new RowError(`missing ${field}`);
  return t;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const EPOCH = /^\d+(?:\.\d+)?$/;
/** Below this an epoch number is seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const EPOCH_SECONDS_LIMIT = 1e11;

function fromEpoch(n: number): number {
  return Math.round(n < EPOCH_SECONDS_LIMIT ? n * 1000 : n);
}

/**
 * Epoch ms from ISO-8601 (`2026-05-04T10:00:00Z`, `2026-05-04 10:00`, `2026-05-04`) or epoch
 * seconds / milliseconds. A date-time without a zone is read as UTC, not the reader's local
 * zone, so the same file gives the same times on every machine. Impossible dates such as
 * 2026-02-30 are rejected rather than rolled over.
 */
export function parseTime(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? fromEpoch(value) : null;
  if (typeof value !== 'string') return null;
  const t = value.trim();
  if (EPOCH.test(t)) return fromEpoch(Number(t));
  const m = ISO.exec(t);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  let offset = zone.toUpperCase();
  if (offset !== 'Z')
    offset = offset.length === 3 ? `${offset}:00` : `${offset.slice(0, 3)}:${offset.slice(-2)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${offset}`);
  return Number.isNaN(ms) ? null : ms;
}

export function requiredTime(value: unknown, field: string): number {
  if (isBlank(value)) throw new RowError(`missing ${field}`);
  const ms = parseTime(value);
  if (ms === null) throw new RowError(`${field}: not an ISO-8601 date or epoch time`);
  return ms;
}

export function optionalTime(value: unknown, field: string): number | null {
  if (isBlank(value)) return null;
  const ms = parseTime(value);
  if (ms === null) throw new RowError(`${field}: not an ISO-8601 date or epoch time`);
  return ms;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Items of a list cell: a JSON array, or text split on whitespace, `;` and `,`. */
export function listOf(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item === 'number' && Number.isFinite(item)) out.push(String(item));
    else if (typeof item === 'string') out.push(...item.split(/[\s;,]+/).filter((s) => s !== ''));
    else throw new RowError(`${field}: expected text or a list of text, got ${typeOf(item)}`);
  }
  return [...new Set(out)];
}

const SHA = /^[0-9a-f]{7,64}$/i;

/** Commit SHAs of a list cell, lower-cased; anything that is not 7–64 hex digits is an error. */
export function shaList(value: unknown, field: string): string[] {
  const shas = listOf(value, field).map((s) => s.toLowerCase());
  const bad = shas.find((s) => !SHA.test(s));
  if (bad !== undefined) throw new RowError(`${field}: "${bad}" is not a commit SHA`);
  return shas;
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

export function optionalBool(value: unknown, field: string): boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
  if (typeof value === 'string') {
    const t = value.trim().toLowerCase();
    if (t === '') return null;
    if (TRUE.has(t)) return true;
    if (FALSE.has(t)) return false;
  }
  throw new RowError(`${field}: expected true/false, got "${String(value)}"`);
}

/** Spellings seen in CI and deploy-tool exports, after lower-casing and `-`/space → `_`. */
const STATUS: Readonly<Record<string, DeploymentStatus>> = {
  success: 'success',
  succeeded: 'success',
  successful: 'success',
  ok: 'success',
  deployed: 'success',
  done: 'success',
  completed: 'success',
  complete: 'success',
  passed: 'success',
  failure: 'failure',
  failed: 'failure',
  fail: 'failure',
  error: 'error',
  errored: 'error',
  in_progress: 'in_progress',
  running: 'in_progress',
  pending: 'in_progress',
  queued: 'in_progress',
  started: 'in_progress',
  deploying: 'in_progress',
  rolled_back: 'rolled_back',
  rollback: 'rolled_back',
  rolledback: 'rolled_back',
  reverted: 'rolled_back',
};

export function deploymentStatus(value: unknown): DeploymentStatus {
  const raw = requiredText(value, 'status');
  const status = STATUS[raw.toLowerCase().replace(/[\s-]+/g, '_')];
  if (!status) throw new RowError(`unknown status "${raw}"`);
  return status;
}
