/**
 * Claude Code local transcripts (reference/formats.md §1).
 * @module
 */
export { isSameCall, pickBetter } from './dedup.js';
export type { ClaudeParserState } from './parser.js';
export { SKIP as CLAUDE_SKIP_REASONS } from './parser.js';
export type { TranscriptLayout } from './paths.js';
export { candidateRoots, discoverTranscripts, resolveRoots, transcriptLayout } from './paths.js';
export { type ClaudeParseOptions, claudeCodeSource, parseTranscript } from './source.js';
