/**
 * The exact `git log` invocation the source parses, kept beside nothing else so that the format
 * string and the parser's expectations are changed together.
 *
 * Output shape with `-z` (every token below ends with a NUL byte):
 * - one header token per commit: `\x1e` then `%H %P %an %ae %at %cn %ce %ct %B` joined by `\x1f`.
 *   The raw body goes last because it is the only field that may itself contain `\x1f`.
 * - then, unless the commit has no diff (merges, empty commits), numstat tokens:
 *   `<added>\t<deleted>\t<path>`, or `<added>\t<deleted>\t` followed by two more tokens (the old
 *   and new path) for a rename or copy. Binary files have `-` for both counts. The first numstat
 *   token of a commit starts with `\n` (git's blank line between the message and the diff).
 * @module
 */

/** First byte of every header token. */
export const RECORD_MARK = 0x1e;
/** Separator between the header fields. */
export const FIELD_SEPARATOR = '\x1f';
/** Number of header fields, the body included. */
export const HEADER_FIELDS = 9;

const FORMAT = `%x1e${['%H', '%P', '%an', '%ae', '%at', '%cn', '%ce', '%ct', '%B'].join('%x1f')}`;

/**
 * Arguments for `git log` over revisions given on stdin.
 *
 * Each flag pins behaviour that user configuration would otherwise change, so that totals match
 * plain `git log --numstat` under git's defaults whatever `~/.gitconfig` says:
 * `-M` (rename detection on, as `diff.renames` defaults to), `--root` (the root commit's files
 * count, as `log.showRoot` defaults to), `--no-show-signature`, `--no-color`, `--no-ext-diff`,
 * and `--encoding=UTF-8` so the body is UTF-8 whatever `i18n.logOutputEncoding` says.
 * `--ignore-missing` lets a stored tip that has since been garbage-collected be skipped rather
 * than fail the run. Merges show no numstat, as in plain `git log --numstat`.
 */
export function logArgs(options: { noWalk?: boolean } = {}): string[] {
  return [
    'log',
    `--format=${FORMAT}`,
    '--numstat',
    '-z',
    '-M',
    '--root',
    '--no-show-signature',
    '--no-color',
    '--no-ext-diff',
    '--encoding=UTF-8',
    '--ignore-missing',
    ...(options.noWalk ? ['--no-walk=unsorted'] : []),
    '--stdin',
  ];
}

/**
 * The stdin for `logArgs`: revisions to include, then `^<rev>` for each one to exclude (git 2.39
 * rejects `--not` on stdin; `^` works in every version).
 */
export function revisionInput(include: Iterable<string>, exclude: Iterable<string> = []): string {
  const lines = [...include];
  for (const rev of exclude) lines.push(`^${rev}`);
  return `${lines.join('\n')}\n`;
}
