/**
 * The server's people directory. It is re-read when the people file changes (checked at most once
 * a second), so adding an alias takes effect without a restart. With no people file the server
 * knows nobody: every identity stays its own raw value (an e-mail, an account id) — unlike the
 * local CLI, a server's records come from many people, so "everything is the local user" would
 * be wrong. A file that stops parsing keeps the last good directory and the error is reported.
 * @module
 */
import { statSync } from 'node:fs';
import { createPeopleDirectory, loadPeopleFile, type PeopleDirectory } from '../ledger/people/index.js';

export type PeopleSource = () => PeopleDirectory;

export function createPeopleSource(file: string | undefined, onError: (err: Error) => void): PeopleSource {
  const empty = createPeopleDirectory([], []);
  if (!file) return () => empty;
  let current = loadPeopleFile(file);
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
        current = loadPeopleFile(file);
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
