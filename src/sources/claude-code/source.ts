/**
 * The Claude Code transcript source: discovery plus streaming parse of `projects/**\/*.jsonl`.
 * @module
 */
import { readLines } from '../jsonl/line-reader.js';
import type { DiscoveredFile, FileSource, ParseEnd, ParseSink, ParseStart } from '../source.js';
import { SKIP, TranscriptParser } from './parser.js';
import { claudeCodeDescription, transcriptLayout } from './paths.js';

export interface ClaudeParseOptions {
  /** Lines longer than this are skipped and reported (tests use a small value). */
  maxLineBytes?: number;
  chunkBytes?: number;
}

/** Parses `file` from `start`; exposed with options so tests can force tiny buffers. */
export async function parseTranscript(
  file: DiscoveredFile,
  start: ParseStart,
  sink: ParseSink,
  options: ClaudeParseOptions = {},
): Promise<ParseEnd> {
  const parser = new TranscriptParser(file.path, transcriptLayout(file.path), sink, start.state);
  const result = await readLines(
    file.path,
    start.offset,
    (buf, s, e, offset) => parser.line(buf, s, e, offset),
    (buf, s, e, offset) => parser.tail(buf, s, e, offset),
    { between: sink.between?.bind(sink), ...options },
  );
  for (let i = 0; i < result.oversizedLines; i++) sink.skip(SKIP.tooLong);
  return { offset: result.offset, state: parser.state(), bytesRead: result.bytesRead, lines: result.lines };
}

export const claudeCodeSource: FileSource = {
  ...claudeCodeDescription,
  parse: (file: DiscoveredFile, start: ParseStart, sink: ParseSink) => parseTranscript(file, start, sink),
};
