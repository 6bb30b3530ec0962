/**
 * What every local-file source implements. A source turns raw input into canonical drafts and
 * nothing else: it never talks to the store, never prices, never resolves identity
 * (the pipeline does, DESIGN §3).
 * @module
 */
import type { ActivityDraft, SourceId, Tool, UsageDraft } from '../ledger/records.js';

export interface DiscoveredFile {
  path: string;
  /** The root directory the file was found under (e.g. `~/.claude`). */
  root: string;
}

/** Environment the sources read their roots from; tests pass their own. */
export interface SourceEnv {
  env: Record<string, string | undefined>;
  homeDir: string;
}

/** Receives what a parser finds. Skips are counted by reason; the summary shows them. */
export interface ParseSink {
  usage(draft: UsageDraft): void;
  activity(draft: ActivityDraft): void;
  /** A line (or record) that could not be used, with a short human reason such as `invalid JSON`. */
  skip(reason: string): void;
  /**
   * Append-mode sources call this between chunks of a file and await what it returns: the
   * consumer may write out what it collected so far (without the file's checkpoint), which keeps
   * memory bounded on a single huge file.
   */
  between?(): Promise<void> | undefined;
}

export interface ParseStart {
  /** Byte offset to start reading at (0, or the checkpoint's offset). */
  offset: number;
  /** Parser state saved at that offset by a previous run (null when starting at 0). */
  state: unknown;
}

export interface ParseEnd {
  /** Byte offset just past the last complete line consumed; an unfinished last line is not consumed. */
  offset: number;
  /** State to carry to the next run (must be JSON-serialisable). */
  state: unknown;
  bytesRead: number;
  lines: number;
}

export interface FileSource {
  readonly id: SourceId;
  readonly tool: Tool;
  /**
   * `append`: files only grow; a run reads from the last checkpoint offset.
   * `whole`: files are rewritten in place; a changed file is re-read from 0 and its earlier
   * records are replaced.
   */
  readonly mode: 'append' | 'whole';
  /** Finds this source's files under every root it knows (absent roots are not an error). */
  discover(env: SourceEnv): Promise<DiscoveredFile[]>;
  /** Reads `file` from `start` to its current end, reporting to `sink`. */
  parse(file: DiscoveredFile, start: ParseStart, sink: ParseSink): Promise<ParseEnd>;
}

/**
 * What a source is and where its files are, without its parser: each source's `paths.ts` exports
 * one, which its `source.ts` completes and `sources/index.ts` lists without loading the parser.
 */
export type SourceDescription = Omit<FileSource, 'parse'>;
