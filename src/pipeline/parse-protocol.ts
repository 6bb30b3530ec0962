/**
 * The messages between the ingesting thread and its parse workers, and the sources a worker can
 * parse (those whose parser is a pure function of the file: no source keeps state across files).
 * @module
 */
import type { SourceId } from '../ledger/records.js';
import { claudeCodeSource } from '../sources/claude-code/source.js';
import type { FileSource, ParseEnd } from '../sources/source.js';
import type { DraftColumns } from './draft-columns.js';

export const WORKER_PARSERS: Partial<Record<SourceId, FileSource['parse']>> = {
  [claudeCodeSource.id]: claudeCodeSource.parse,
};

export interface ParseJobRequest {
  type: 'parse';
  job: number;
  source: SourceId;
  path: string;
  root: string;
  offset: number;
  state: unknown;
  /** Drafts posted per mid-file chunk: at most the writer's batch, so a huge file flushes as often. */
  chunkRecords: number;
}

interface Drafts {
  job: number;
  columns: DraftColumns;
  /** Lines skipped since the previous message, by reason. */
  skips: Record<string, number>;
}

/** Part of a file's drafts; the worker waits for an `ack` before parsing on. */
export interface ChunkMessage extends Drafts {
  type: 'chunk';
}

export interface EndMessage extends Drafts {
  type: 'end';
  end: ParseEnd;
}

/** The file could not be read to its end; the drafts before the failure are included. */
export interface ErrorMessage extends Drafts {
  type: 'error';
  error: { code: string | undefined; message: string };
}

export type PoolMessage = ChunkMessage | EndMessage | ErrorMessage;
