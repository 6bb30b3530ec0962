/**
 * A small file beside the ledger (`<ledger>.manifest.json`) that lets a re-run with nothing new
 * answer without opening the database: which files the ledger fully covers (by identity, size
 * and mtime) and the reports already computed from exactly that state.
 *
 * It is only ever a cache. It is written after the ledger commits, atomically (write + rename),
 * so it never claims more than the ledger holds: a file that differs from its entry in any way,
 * a new file, a different price version or a missing manifest sends the run down the normal
 * path, which reads the ledger's own checkpoints.
 * @module
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import type { FileSource, SourceEnv } from '../sources/source.js';

const FORMAT = 1;
/** Reports kept per ledger state; old entries are dropped first. */
const MAX_REPORTS = 32;

/** `[fileId, size, mtimeMs]` of a file whose every byte the ledger has consumed. */
export type FileStamp = [fileId: string, size: number, mtimeMs: number];

export interface LedgerManifest {
  format: typeof FORMAT;
  priceVersion: string;
  /** Per source id: path → stamp. */
  files: Record<string, Record<string, FileStamp>>;
  /** Cached results for this exact ledger state, by query key. */
  reports: Record<string, unknown>;
}

export function manifestPath(dbPath: string): string {
  return `${dbPath}.manifest.json`;
}

export function readManifest(dbPath: string): LedgerManifest | null {
  try {
    const m = JSON.parse(readFileSync(manifestPath(dbPath), 'utf8')) as LedgerManifest;
    if (m?.format !== FORMAT || typeof m.files !== 'object' || typeof m.reports !== 'object') return null;
    return m;
  } catch {
    return null;
  }
}

export function writeManifest(dbPath: string, manifest: LedgerManifest): void {
  const keys = Object.keys(manifest.reports);
  for (const k of keys.slice(0, Math.max(0, keys.length - MAX_REPORTS))) delete manifest.reports[k];
  const path = manifestPath(dbPath);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(manifest));
    renameSync(tmp, path);
  } catch {
    // A cache that cannot be written only costs speed next time.
  }
}

export function stampOf(path: string): FileStamp | null {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    return st ? [`${st.dev}:${st.ino}`, st.size, st.mtimeMs] : null;
  } catch {
    return null;
  }
}

/**
 * True when every file the sources find now is in the manifest with the same stamp, and the
 * manifest has no file that is gone (its removal does not change the ledger, but the set of
 * files it describes must be exactly what a fresh run would see).
 */
export async function manifestIsCurrent(
  manifest: LedgerManifest,
  sources: readonly FileSource[],
  env: SourceEnv,
  priceVersion: string,
): Promise<boolean> {
  if (manifest.priceVersion !== priceVersion) return false;
  for (const source of sources) {
    const known = manifest.files[source.id] ?? {};
    const files = await source.discover(env);
    if (files.length !== Object.keys(known).length) return false;
    for (const file of files) {
      const stamp = known[file.path];
      const now = stampOf(file.path);
      if (!stamp || !now || stamp[0] !== now[0] || stamp[1] !== now[1] || stamp[2] !== now[2]) return false;
    }
  }
  return true;
}
