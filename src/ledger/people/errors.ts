/**
 * The people file's error, apart from the loader and its YAML, CSV and zod parsers, so that code
 * reporting it (the CLI's error handler) loads without them.
 * @module
 */
import type { PeopleFileProblem } from './draft.js';

const MAX_LISTED = 25;

/** The people file cannot be used; the message lists what to fix, where. */
export class PeopleFileError extends Error {
  readonly file: string;
  readonly problems: readonly PeopleFileProblem[];
  constructor(file: string, problems: PeopleFileProblem[]) {
    const lines = problems.slice(0, MAX_LISTED).map((p) => `  ${p.where ? `${p.where}: ` : ''}${p.message}`);
    if (problems.length > MAX_LISTED) lines.push(`  … and ${problems.length - MAX_LISTED} more`);
    super(`Invalid people file ${file}:\n${lines.join('\n')}`);
    this.name = 'PeopleFileError';
    this.file = file;
    this.problems = problems;
  }
}
