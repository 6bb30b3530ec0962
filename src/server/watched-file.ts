/**
 * A value loaded from a file and reloaded when the file changes (size, mtime or inode; checked at
 * most once a second), so an operator's edit — a new alias, a new or revoked token — takes effect
 * without a restart. The first load throws, so a server never starts on a broken file; a later
 * file that fails to load keeps the last good value and the error is reported.
 * @module
 */
import { statSync } from 'node:fs';

export function watchedFile<T>(file: string, load: () => T, onError: (err: Error) => void): () => T {
  let current = load();
  let stamp = stampOf(file);
  let checkedAt = Date.now();
  return () => {
    const now = Date.now();
    if (now - checkedAt < 1000) return current;
    checkedAt = now;
    const next = stampOf(file);
    if (next !== stamp) {
      stamp = next;
      try {
        current = load();
      } catch (err) {
        onError(err as Error);
      }
    }
    return current;
  };
}

function stampOf(file: string): string {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    return 'missing';
  }
}
