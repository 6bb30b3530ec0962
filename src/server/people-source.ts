/**
 * The server's people directory. It is re-read when the people file changes (checked at most once
 * a second), so adding an alias takes effect without a restart. With no people file the server
 * knows nobody: every identity stays its own raw value (an e-mail, an account id) — unlike the
 * local CLI, a server's records come from many people, so "everything is the local user" would
 * be wrong. A file that stops parsing keeps the last good directory and the error is reported.
 * @module
 */
import { createPeopleDirectory, loadPeopleFile, type PeopleDirectory } from '../ledger/people/index.js';
import { watchedFile } from './watched-file.js';

export type PeopleSource = () => PeopleDirectory;

export function createPeopleSource(file: string | undefined, onError: (err: Error) => void): PeopleSource {
  const empty = createPeopleDirectory([], []);
  if (!file) return () => empty;
  return watchedFile(file, () => loadPeopleFile(file), onError);
}
